"""Content negotiation that refuses an empty or unknown ``?format=`` instead of ignoring it."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        format_given = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_given is not None and format_given not in {r.format for r in renderers}:
            raise exceptions.NotFound(
                "Unknown format: use " + " or ".join(f"format={r.format}" for r in renderers) + "."
            )
        return super().select_renderer(request, renderers, format_suffix)
