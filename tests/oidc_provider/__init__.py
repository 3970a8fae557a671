"""A real OpenID Connect provider for the sign-in tests: a tiny Django project running
django-oauth-toolkit's OIDC provider in a second process (``serve.py``), signing ID tokens
with an RSA key (RS256) it makes at start."""
