"""Token authentication for machine clients: ``Authorization: Token <key>`` (or ``Bearer``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from agencies.tokens import ApiToken

SCHEMES = ("token", "bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    """Signs the client in as the token's user; ``request.auth`` is the ApiToken."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the key as “Authorization: Token <key>”, with no spaces in the key."
            )
        token = ApiToken.objects.for_key(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid, or has been revoked.")
        token.record_use()
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when credentials are missing or wrong.
        return f'{self.keyword} realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "agencies.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <key>” (or “Bearer <key>”) with a key the secretariat issued.",
        }
