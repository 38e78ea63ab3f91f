"""The sample-data notice costs no query per page: whether this is the demo
ward is asked once per process, asked again at once when this process writes
or removes the mark, and within a few minutes when another process does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tsunagari.demo import context
from tsunagari.demo.models import DemoWard

NOTICE = "架空のサンプルデータ"


@pytest.fixture(autouse=True)
def _asked_afresh() -> Iterator[None]:
    # What an earlier test's (rolled back) ward left in this process's memory.
    context.forget()
    yield
    context.forget()


def _page(client: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    asked = sum("demo_demoward" in q["sql"] for q in ctx.captured_queries)
    return response.content.decode(), asked


@pytest.mark.django_db
def test_no_notice_on_a_ward_without_the_demo(client_for: Callable[[str], Client]) -> None:
    client = client_for("consultant.self")
    html, asked = _page(client)
    assert NOTICE not in html and asked == 1
    html, asked = _page(client)
    assert NOTICE not in html and asked == 0  # the next pages do not ask again


@pytest.mark.django_db
def test_the_notice_on_the_demo_ward_costs_no_query_per_page(
    client_for: Callable[[str], Client],
) -> None:
    client = client_for("consultant.self")
    assert NOTICE not in _page(client)[0]
    DemoWard.objects.create(people=100, seed=1)  # as ``tsunagari demo`` does, in this process
    html, asked = _page(client)
    assert NOTICE in html and asked == 1
    html, asked = _page(client)
    assert NOTICE in html and asked == 0
    DemoWard.objects.all().delete()
    assert NOTICE not in _page(client)[0]


@pytest.mark.django_db
def test_a_demo_loaded_by_another_process_shows_after_a_while(
    client_for: Callable[[str], Client], monkeypatch: Any
) -> None:
    client = client_for("consultant.self")
    assert NOTICE not in _page(client)[0]
    # bulk_create sends no signal: as if the demo were loaded by another process
    DemoWard.objects.bulk_create([DemoWard(people=100, seed=1)])
    assert NOTICE not in _page(client)[0]  # this process still trusts what it found
    monkeypatch.setattr(context, "RECHECK_SECONDS", 0.0)
    assert NOTICE in _page(client)[0]


@pytest.mark.django_db
def test_a_mark_rolled_back_is_forgotten(client_for: Callable[[str], Client]) -> None:
    from django.db import transaction

    client = client_for("consultant.self")
    with transaction.atomic():
        DemoWard.objects.create(people=100, seed=1)
        assert context.demo_ward_loaded()
        transaction.set_rollback(True)
    html, asked = _page(client)
    assert NOTICE not in html and asked == 1
    assert _page(client)[1] == 0


@pytest.mark.django_db
def test_the_loaded_demo_ward_says_sample_data_on_every_page(
    demo_ward: str, client_for: Callable[[str], Client]
) -> None:
    client = client_for("consultant.self")
    html, _asked = _page(client)
    assert NOTICE in html
    html, asked = _page(client)
    assert NOTICE in html and asked == 0
