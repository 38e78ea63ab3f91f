"""Pages on the demo ward say that their data are sample data; a ward's own
database (no demo loaded) shows no such notice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tsunagari.demo.models import DemoWard, is_demo_ward

STAFF_NOTICE = "架空のサンプルデータ"
PUBLIC_NOTICE = "架空のもの"


@pytest.mark.django_db
def test_no_notice_without_the_demo(client_for: Callable[[str], Client]) -> None:
    assert not is_demo_ward()
    assert STAFF_NOTICE not in client_for("consultant.self").get("/").content.decode()
    assert PUBLIC_NOTICE not in Client().get("/public/").content.decode()


@pytest.mark.django_db
def test_staff_and_public_pages_say_sample_data(client_for: Callable[[str], Client]) -> None:
    DemoWard.objects.create(people=100, seed=1)
    assert STAFF_NOTICE in client_for("consultant.self").get("/").content.decode()
    assert STAFF_NOTICE in Client().get("/login/").content.decode()
    assert PUBLIC_NOTICE in Client().get("/public/").content.decode()
    easy = Client().get("/public/?yasashii=1").content.decode()
    assert "ほんもの では ありません" in easy
