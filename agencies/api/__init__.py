"""The REST API's shared machinery (authentication, errors, rendering, paging, the base viewset)
and the agency endpoints. ``actions.api`` and ``reporting.api`` build on it."""
