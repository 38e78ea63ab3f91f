"""The residents' pages (no sign-in) read everything from the query string: any
value answers with a page (200) or a plain refusal (4xx), never a server error,
and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import CELL, FUZZ

ODD = st.text(alphabet=st.sampled_from("\x00\x01あ北砂1２²①%&=?#<>'\" -\u2028\ufeff"), max_size=30)
VALUE = st.sampled_from(["", "1", "0", "-1", "on", "99999999999999999999", "en", "ja"]) | CELL | ODD

PAGES = {
    "/public/": ["lang", "yasashii", "moji"],
    "/public/soudan/": ["who", "topic", "town", "yasashii"],
    "/public/basho/": ["town", "day", "kind", "access", "language", "q", "page", "moji"],
    "/public/katsudo/": ["town", "lang"],
    "/public/kinkyu/": ["lang", "moji"],
}


@pytest.mark.django_db
@FUZZ
@given(
    page=st.sampled_from(sorted(PAGES)),
    data=st.data(),
)
def test_any_query_string_gets_a_page_or_a_plain_refusal(page: str, data: st.DataObject) -> None:
    from tsunagari.audit.models import AuditEvent

    names = data.draw(st.lists(st.sampled_from(PAGES[page]), max_size=4))
    query = {name: data.draw(VALUE) for name in names}
    before = AuditEvent.objects.count()
    response = Client().get(page, query)
    assert response.status_code < 500
    assert response.status_code in {200, 301, 302, 400, 404}, response.status_code
    assert AuditEvent.objects.count() == before
