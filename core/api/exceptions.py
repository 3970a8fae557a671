"""One error shape for every API failure, and the HTTP errors the API adds to DRF's.

Every error is JSON like::

    {"type": "validation_error", "title": "Bad Request", "status": 400,
     "detail": "The request has errors: see “errors”.", "errors": {"percent_complete": ["…"]}}

``errors`` maps a field (or query parameter) to its messages; ``non_field_errors`` holds the
messages about the request as a whole. It is empty for errors that aren't about input.
"""

import http

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.outages import OUTAGES, RETRY_AFTER_SECONDS

from .renderers import ORJSONRenderer

NON_FIELD_ERRORS = "non_field_errors"
ERROR_TYPES = {"invalid": "validation_error"}  # otherwise the type is DRF's error code


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with data that already exists."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Someone else has changed this since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag you read, so nobody else's change is overwritten."
    default_code = "precondition_required"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable. Try again in a minute."
    default_code = "service_unavailable"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def _field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as flat ``{"field": ["message"]}`` (nested fields dotted)."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = NON_FIELD_ERRORS if key == "__all__" else str(key)
            flat.update(_field_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD_ERRORS: [str(message) for message in messages]}


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):  # DRF reads a JSON body through request.body
        return RequestTooLarge(
            f"The request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes, "
            "the most the API accepts."
        )
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({NON_FIELD_ERRORS: exc.messages})
    if isinstance(exc, OUTAGES):
        unavailable = ServiceUnavailable()
        unavailable.wait = RETRY_AFTER_SECONDS
        return unavailable
    if isinstance(exc, IntegrityError):
        return Conflict()
    if isinstance(exc, DataError):
        return exceptions.ValidationError(
            {NON_FIELD_ERRORS: ["A value is out of the range or shape the database accepts."]}
        )
    return exc


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error the API raises, in the one shape above."""
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django log it and answer 500

    headers = dict(getattr(exc, "headers", None) or {})
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    is_validation = isinstance(exc, exceptions.ValidationError)
    errors = _field_errors(exc.detail) if is_validation else {}
    if is_validation:
        detail = "The request has errors: see “errors”."
    elif isinstance(exc.detail, dict | list):
        detail = "; ".join(m for messages in _field_errors(exc.detail).values() for m in messages)
    else:
        detail = str(exc.detail)
    code = exc.get_codes() if not is_validation else "invalid"
    code = code if isinstance(code, str) else exc.default_code

    request = context.get("request")
    if request is not None:  # errors are JSON even when the client asked for CSV
        request.accepted_renderer = ORJSONRenderer()
        request.accepted_media_type = ORJSONRenderer.media_type

    if not isinstance(exc, ServiceUnavailable):  # the connection is gone: nothing to roll back
        set_rollback()
    return Response(
        error_body(exc.status_code, ERROR_TYPES.get(code, code), detail, errors),
        status=exc.status_code,
        headers=headers,
    )


def error_body(status_code: int, type_: str, detail: str, errors: dict | None = None) -> dict:
    """The one error shape, for answers made outside DRF (middleware, ``handler500``)."""
    return {
        "type": type_,
        "title": http.HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "errors": errors or {},
    }


def error_response(
    status_code: int, type_: str, detail: str, errors: dict | None = None
) -> HttpResponse:
    """``error_body`` as a plain Django response, for answers made outside DRF."""
    return HttpResponse(
        ORJSONRenderer().render(error_body(status_code, type_, detail, errors)),
        status=status_code,
        content_type=ORJSONRenderer.media_type,
    )
