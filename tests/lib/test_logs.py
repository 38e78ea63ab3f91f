from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.lib.logs import OneLineRefusals


def refusal_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request" and r.status_code == 403]  # type: ignore[attr-defined]


def test_it_logs_a_permission_refusal_as_one_line(
    client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # given a signed-in member of no agency
    client = client_for("outsider")
    # when they open a page their role does not allow
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/surveys/")
    # then the log has one line naming who, the path and the reason, and no traceback
    assert response.status_code == 403
    [record] = refusal_records(caplog)
    message = record.getMessage()
    assert record.exc_info is None
    assert "\n" not in message
    assert message.startswith("Forbidden (Permission denied): user=outsider path=/surveys/ reason=")
    assert "権限" in message
    assert "Traceback" not in caplog.text


def make_record(exc: BaseException, request: object = None) -> logging.LogRecord:
    try:
        raise exc
    except BaseException:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x",), exc_info
    )
    record.request = request
    return record


def test_it_keeps_a_hostile_reason_and_path_on_one_line() -> None:
    # given a refusal whose reason and path carry newlines and a huge text
    class Request:
        path = "/people/\nWARNING forged line"
        user = None

    record = make_record(PermissionDenied("理由\r\nERROR forged" + "あ" * 10_000), Request())
    # when
    OneLineRefusals().filter(record)
    # then
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message
    assert "user=anonymous" in message
    assert len(message) < 1000


def test_it_leaves_other_errors_with_their_traceback() -> None:
    # given a server error
    record = make_record(ValueError("boom"))
    # when
    OneLineRefusals().filter(record)
    # then the traceback stays for whoever investigates it
    assert record.exc_info is not None
    assert record.getMessage() == "Forbidden: /x"
