"""What a signed-in client may do beyond what the querysets already allow."""

from rest_framework import permissions

from agencies.tokens import ApiToken


class TokenScopePermission(permissions.BasePermission):
    """A read-only token may only read."""

    message = "This token is read-only: ask the secretariat for one that may write."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken) and request.auth.read_only:
            return request.method in permissions.SAFE_METHODS
        return True
