"""Signing in: local passwords with a second factor (an authenticator app and recovery codes),
and the agency's own identity provider over OpenID Connect."""
