"""The person page and the presenter (in bench/load_pages.py) cost a fixed
number of queries, whatever the size of the household or of the list, and
no more than today."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.page_queries import queries
from tests.people.conftest import make_person
from tsunagari.accounts.models import Staff
from tsunagari.people.models import Household, Membership, Person
from tsunagari.people.presenter import Purpose, present_people

# Today's count on this small ward; raise it only with a reason.
PERSON_PAGE_MAX = 21


def _members(house: Household, n: int) -> None:
    for i in range(n):
        person = make_person(name="山田　花", kana="ヤマダ　ハナ", birth_date=f"1980-05-{i + 1:02d}",
                             sex="2", sealed=i == 0)  # fmt: skip
        Membership.objects.create(household=house, person=person, relation="同居人")


def test_the_person_page_costs_the_same_queries_for_a_large_household(
    counted_client: Any, residents: dict[str, Person]
) -> None:
    # given Taro (served by the consultant's agency) in a household of two
    taro = residents["taro"]
    house = Household.objects.create(number="H-0001", address=taro.address)
    Membership.objects.create(household=house, person=taro, relation="世帯主")
    _members(house, 1)
    client = counted_client("consultant.elderly")
    url = f"/people/{taro.pk}/"
    client.get(url)
    few = queries(client, url)
    # when the household grows (a sealed member among them)
    _members(house, 7)
    assert client.get(url).content.decode().count("山田　花") >= 8
    # then the page costs no more queries, and no more than today
    assert queries(client, url) == few
    assert few <= PERSON_PAGE_MAX


def test_the_presenter_asks_for_the_front_desk_once_per_list(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given people the viewer's agency is not entitled to see
    strangers = [
        make_person(
            name="未知　花子", kana="ミチ　ハナコ", birth_date=f"1960-02-{i + 1:02d}", sex="2"
        )
        for i in range(8)
    ]
    viewer = personas["consultant.elderly"]
    with CaptureQueriesContext(connection) as two:
        present_people(viewer, strangers[:2], Purpose.LIST, audit=False)
    with CaptureQueriesContext(connection) as eight:
        views = present_people(viewer, strangers, Purpose.LIST, audit=False)
    # then each is told whom to contact, read once for the whole list
    assert {v.level for v in views} == {"known"}
    assert all(v.contacts and v.contacts == views[0].contacts for v in views)
    assert len(eight.captured_queries) == len(two.captured_queries)
