"""The agencies' part of the REST API: token authentication and scopes, rate limits per token,
``/me/`` and the agency resource."""
