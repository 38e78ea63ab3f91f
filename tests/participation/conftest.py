"""A person the participation worker's agency (社協, swc-01) supports, one it does not,
and the small demo directory to match against."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.people.conftest import make_person
from tests.resources.conftest import load_small_directory
from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import AgencyLink, LinkBasis


@pytest.fixture
def pward(personas: dict[str, Staff]) -> dict[str, Any]:
    """中村 和夫 (68, 北砂), supported by 社協; 小林 さとみ (40), known only to the
    disability office; and the small demo directory."""
    load_small_directory()
    kazuo = make_person(name="中村　和夫", kana="ナカムラ　カズオ", birth_date="1958-04-02", sex="1",
                        address="江東区北砂三丁目1番1号", phone="03-3640-0001")  # fmt: skip
    satomi = make_person(name="小林　さとみ", kana="コバヤシ　サトミ", birth_date="1986-01-09",
                         sex="2", address="江東区豊洲1-1-1", phone="090-0000-1111")  # fmt: skip
    swc = Agency.objects.get(code="swc-01")
    AgencyLink.objects.create(
        person=kazuo, agency=swc, basis=LinkBasis.SERVICE, since=date(2025, 4, 1)
    )
    other = Agency.objects.exclude(code="swc-01").order_by("code").first()
    assert other is not None
    AgencyLink.objects.create(person=satomi, agency=other, basis=LinkBasis.SERVICE)
    return {"kazuo": kazuo, "satomi": satomi, "worker": personas["participation"]}
