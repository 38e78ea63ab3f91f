"""Schemathesis against the OpenAPI description, in-process.

Requests generated from ``tsunagari.api.api.get_openapi_schema()`` go
through Django's WSGI application (the test database, no network) as a
signed-in consultant (a bearer token), as the outsider and without
credentials. Whatever the input: never a server error; what the schema
declares is what comes back; a refusal is 401 or 403, never data.

The default run tries a few examples per operation; ``-m slow`` runs many.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tsunagari.accounts.models import ApiToken, Staff

CHECKS = [not_a_server_error, response_schema_conformance]


def _schema() -> Any:
    from tsunagari.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


def _operations() -> list[Any]:
    return [result.ok() for result in _schema().get_all_operations()]


def _is_open(operation: Any) -> bool:
    return not operation.definition.raw.get("security")


@pytest.fixture
def in_process(db: None) -> Iterator[None]:
    # As django.test.Client does: a request must not close the test's
    # connection (and its transaction) when it ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(staff: Staff) -> dict[str, str]:
    _t, raw = ApiToken.issue(staff, "fuzz")
    return {"Authorization": f"Bearer {raw}"}


def _run(
    operations: list[Any],
    callers: dict[str, dict[str, str] | None],
    examples: int,
    *,
    derandomize: bool = True,
) -> Counter[tuple[str, int]]:
    """Send each generated request as every caller, check each answer, count the statuses."""
    seen: Counter[tuple[str, int]] = Counter()
    for operation in operations:

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=derandomize,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            for who, headers in callers.items():
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                STATUS_RULE[who](case.operation, response.status_code)
                seen[who, response.status_code] += 1

        call()
    return seen


def _answered(seen: Counter[tuple[str, int]]) -> int:
    """How many requests the consultant got an answer with data for (the run is not all refusals)."""
    return sum(n for (who, status), n in seen.items() if who == "consultant" and status < 300)


def _consultant_status(operation: Any, status: int) -> None:
    assert status < 500, f"{operation.label}: {status}"


def _outsider_status(operation: Any, status: int) -> None:
    # input is validated before the permission check (422), and a missing
    # object may be reported as missing (404); data never comes back
    if not _is_open(operation) and operation.path != "/api/me":  # /api/me: who they are
        assert status in {401, 403, 404, 422}, f"{operation.label}: the outsider got {status}"


def _anonymous_status(operation: Any, status: int) -> None:
    if not _is_open(operation):
        # 401, or 403 when a write without a session fails the CSRF check first
        assert status in {401, 403}, f"{operation.label}: no credentials got {status}"


STATUS_RULE = {
    "consultant": _consultant_status,
    "outsider": _outsider_status,
    "anonymous": _anonymous_status,
}


def _callers(personas: dict[str, Staff]) -> dict[str, dict[str, str] | None]:
    return {
        "consultant": _token(personas["consultant.elderly"]),
        "outsider": _token(personas["outsider"]),
        "anonymous": None,
    }


def test_it_answers_every_operation_within_its_schema(
    in_process: None, personas: dict[str, Staff]
) -> None:
    seen = _run(
        _operations(), _callers(personas), examples=int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
    )
    assert _answered(seen) >= 20


@pytest.mark.slow
def test_it_answers_every_operation_within_its_schema_at_length(
    in_process: None, personas: dict[str, Staff]
) -> None:
    # a new seed each run, so repeated long runs try new inputs
    seen = _run(_operations(), _callers(personas), examples=100, derandomize=False)
    assert _answered(seen) >= 100


def test_it_finds_operations_to_try(db: None) -> None:
    operations = _operations()
    assert len(operations) >= 30
    assert any(_is_open(op) for op in operations) and not all(_is_open(op) for op in operations)
