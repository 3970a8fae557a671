"""The one-time link an invited person sets their password with.

Django's password-reset token machinery, with its own salt (a reset link is not an invitation
link, nor the other way round) and its own lifetime, ``INVITATION_TIMEOUT_DAYS``. A token is
made from the account's password hash, last sign-in and whether it is active, so it stops
working once the password is set, once the person has signed in, or when the account is
deactivated.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "agencies.people.invitations.InvitationTokenGenerator"

    @property
    def timeout_seconds(self) -> int:
        return settings.INVITATION_TIMEOUT_DAYS * 24 * 60 * 60

    def check_token(self, user, token) -> bool:
        """As Django's, but against ``INVITATION_TIMEOUT_DAYS``, not ``PASSWORD_RESET_TIMEOUT``."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.timeout_seconds

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    """The set-password address for ``user``, valid until used or ``INVITATION_TIMEOUT_DAYS``."""
    return reverse(
        "people:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
