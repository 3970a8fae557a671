"""Sign-in with the agency's identity provider over OpenID Connect (mozilla-django-oidc).

The authorisation code flow with PKCE; the ID token's RS256 signature is checked against the
provider's published keys, and its issuer, audience, expiry and nonce against what we sent. A
person is signed in only when the provider vouches for their email address (the verified claim)
and exactly one active account here has that address: nobody gets an account by signing in. A
refused sign-in ends on a page that says why (``refusal``).
"""

import logging
from functools import lru_cache

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

REFUSAL = "signin.oidc_refusal"
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def is_configured() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


@lru_cache(maxsize=4)
def _discovery(issuer: str) -> dict:
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
    )
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(f"{issuer}'s discovery document names another issuer")
    return document


def endpoint(name: str) -> str:
    """An endpoint from the settings, or else from the issuer's discovery document."""
    configured = getattr(settings, name)
    if configured or not settings.OIDC_OP_ISSUER:
        return configured
    return _discovery(settings.OIDC_OP_ISSUER)[ENDPOINTS[name]]


def refuse(request, reason: str, **details) -> None:
    request.session[REFUSAL] = {"reason": reason, **details}


class AgencySignInBackend(OIDCAuthenticationBackend):
    """Signs in the one active account whose email the provider has verified."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password form posted to an address carrying
        # ?code=…&state=… must not start a token exchange.
        if request is None or "nonce" not in kwargs or not is_configured():
            return None
        for name in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"):
            setattr(self, name, endpoint(name))
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)  # signature, expiry and nonce
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token is from another issuer")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        # The checked ID token's claims, with userinfo's added (Entra ID, for one, puts its
        # verified-domain claim only in the ID token). Both must be about the same person.
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub", payload.get("sub")) != payload.get("sub"):
            logger.warning("The identity provider's userinfo is about someone else")
            refuse(self.request, "unchecked")
            return None
        claims = payload | userinfo
        email = (claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip()
        verified_claim = settings.OIDC_EMAIL_VERIFIED_CLAIM
        if not email:
            refuse(self.request, "no_email")
            return None
        if verified_claim and claims.get(verified_claim) is not True:
            refuse(self.request, "unverified", email=email)
            return None
        people = list(self.UserModel.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(people) != 1:
            refuse(self.request, "unknown" if not people else "several", email=email)
            return None
        return people[0]

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # a deactivated account is signed out


class StartView(OIDCAuthenticationRequestView):
    """Sends the person to their agency's sign-in page."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not is_configured():
            raise Http404("Sign-in with an identity provider is not set up here")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            logger.warning("The identity provider's discovery document failed: %s", error)
            refuse(request, "unreachable")
            return redirect("signin:oidc-refused")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back, with a code to exchange for their tokens."""

    failure_url = reverse_lazy("signin:oidc-refused")

    def get(self, request):
        if not is_configured():
            raise Http404("Sign-in with an identity provider is not set up here")
        try:
            return super().get(request)
        except requests.RequestException as error:
            logger.warning("The identity provider did not answer as expected: %s", error)
            refuse(request, "unreachable")
        except SuspiciousOperation as error:
            logger.warning("A sign-in from the identity provider failed its checks: %s", error)
            refuse(request, "unchecked")
        return self.login_failure()
