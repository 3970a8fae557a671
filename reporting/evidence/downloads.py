"""A stored evidence file as a download, for the page and the API alike: an attachment, typed
from its content, never sniffed or shown inline by the browser."""

from django.http import FileResponse

from reporting.models import Evidence


def attachment_response(evidence: Evidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
