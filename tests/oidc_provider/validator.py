"""The claims the test provider puts in ID tokens and userinfo: the email address and whether
it is verified, as an agency's provider does."""

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaims(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request):
        person = next(p for p in settings.PEOPLE if p["username"] == request.user.username)
        return {
            "email": person["email"],
            "email_verified": person["verified"],
            "name": person["username"],
        }
