"""Structured logs: one JSON object a line, with the request's method and path but no secrets."""

import json
import logging

from django.test import RequestFactory

from tsoc_tracker.logs import JsonFormatter


def format_record(message, *args, exc_info=None, **extra) -> dict:
    record = logging.getLogger("tsoc.test").makeRecord(
        "tsoc.test", logging.WARNING, __file__, 1, message, args, exc_info, extra=extra
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_log_line_is_json_with_time_level_logger_and_message():
    entry = format_record("Reminder sent to %s", "lee.lead@example.govt.nz")

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tsoc.test"
    assert entry["message"] == "Reminder sent to lee.lead@example.govt.nz"
    assert entry["time"].endswith("+00:00")


def test_extra_fields_are_kept_as_fields():
    entry = format_record("Report built", report_id=42, period="2026-Q3")

    assert entry["report_id"] == 42
    assert entry["period"] == "2026-Q3"


def test_a_request_is_logged_as_method_and_path_without_cookies_or_body():
    request = RequestFactory().post(
        "/accounts/login/", {"password": "hunter2"}, HTTP_COOKIE="sessionid=s3cr3t"
    )

    entry = format_record("Bad request", request=request, status_code=400)

    assert entry["method"] == "POST"
    assert entry["path"] == "/accounts/login/"
    assert entry["status_code"] == 400
    assert "s3cr3t" not in json.dumps(entry)
    assert "hunter2" not in json.dumps(entry)


def test_an_exception_keeps_its_traceback_inside_the_one_line():
    try:
        raise ValueError("bad input")
    except ValueError:
        import sys

        entry = format_record("Import failed", exc_info=sys.exc_info())

    assert "Traceback" in entry["exception"]
    assert "ValueError: bad input" in entry["exception"]
