"""The look-up answers no guesses (finding 5 of issue 11).

Another agency's consultant who types a guessed phone or address learns
nothing from the answer about which guess matched: no score, no reason, a
neutral order, the same bytes for a right and a wrong guess; "known to the
ward" names the ward's front desk, not the agencies that support the
person; every look-up is audited with its query and the persons returned;
one person's look-ups are rate-limited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.people.access import contacts_for
from tsunagari.people.lookup import (
    LookupLimited,
    check_rate,
    interactive_lookup,
    lookup,
    query_digest,
)
from tsunagari.people.matching import parse_query
from tsunagari.people.models import Household, Membership, Person

from .conftest import make_person

HANAKO = "スズキ ハナコ"
RIGHT_PHONE = "090-1111-2222"  # Suzuki Hanako's phone
WRONG_PHONE = "090-9876-5432"
HTMX = {"HX-Request": "true"}
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _neutral(body: str, q: str) -> str:
    """The page without what differs by design: its CSRF token and the echoed query."""
    for form in (q, quote(q), quote(q).replace("%20", "+"), q.replace(" ", "+")):
        body = body.replace(form, "<q>")
    return _CSRF.sub(r"\1<csrf>", body)


# --- no score, no reason for another agency ------------------------------------------


def test_it_shows_another_agency_no_score_and_no_reason_for_a_guessed_phone(
    client_for: Callable[[str], Client], residents: dict[str, Person]
) -> None:
    # Given the Toyosu centre, which does not support Hanako (the disability office does)
    client = client_for("consultant.toyosu")
    # When its consultant searches her name with her phone guessed right
    data = client.get("/api/people/search", {"q": f"{HANAKO} {RIGHT_PHONE}"}).json()
    partial = client.get("/people/", {"q": f"{HANAKO} {RIGHT_PHONE}"}, headers=HTMX)
    # Then she is "known to the ward", with no score and no reason
    match = next(m for m in data["matches"] if m["person"]["id"] == residents["hanako"].pk)
    assert match["person"]["level"] == "known"
    assert match["score"] is None and match["reasons"] == []
    body = partial.content.decode()
    assert "区に記録のある方です" in body
    assert "電話番号一致" not in body and "カナ一致" not in body


@pytest.mark.parametrize("path", ["/people/", "/api/people/search", "/consultations/lookup/"])
def test_it_answers_a_right_and_a_wrong_phone_guess_byte_for_byte_alike(
    client_for: Callable[[str], Client], residents: dict[str, Person], path: str
) -> None:
    # Given another agency's consultant guessing Hanako's phone, right and wrong
    client = client_for("consultant.toyosu")
    right_q, wrong_q = f"{HANAKO} {RIGHT_PHONE}", f"{HANAKO} {WRONG_PHONE}"
    # When the page (and its htmx partial), the API and the intake answer both guesses
    answers = []
    for q in (right_q, wrong_q):
        response = client.get(path, {"q": q})
        assert response.status_code == 200
        answers.append(_neutral(response.content.decode(), q))
    if path == "/people/":
        for q in (right_q, wrong_q):
            answers.append(client.get(path, {"q": q}, headers=HTMX).content.decode())
        assert answers[2] == answers[3]
    # Then the same person comes back, and nothing else tells the guesses apart
    assert answers[0] == answers[1]
    ids = [
        e.detail["persons"]
        for e in AuditEvent.objects.filter(object_type="people.search").order_by("seq")
    ]
    assert ids[0] == ids[1] and residents["hanako"].pk in ids[0]


def test_it_lists_persons_it_may_not_show_in_number_order_not_by_score(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # Given two namesakes nobody at the Toyosu centre supports, the later one with a known phone
    first = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1970-01-01",
                        phone="03-5555-0001")  # fmt: skip
    second = make_person(name="田中　一郎", kana="タナカ　イチロウ", birth_date="1971-02-02",
                         phone="03-5555-0002")  # fmt: skip
    viewer = personas["consultant.toyosu"]
    # When the consultant guesses the second one's phone, then the first one's
    guessed_second = lookup(viewer, "タナカ イチロウ 03-5555-0002").matches
    guessed_first = lookup(viewer, "タナカ イチロウ 03-5555-0001").matches
    # Then both answers list them in the same order (by number), whichever guess matched
    assert [m.view.id for m in guessed_second] == [first.pk, second.pk]
    assert [m.view.id for m in guessed_first] == [first.pk, second.pk]
    assert all(m.score is None and m.reason_text == "" for m in guessed_second)


def test_it_still_shows_the_entitled_agency_its_score_and_reasons(
    client_for: Callable[[str], Client], residents: dict[str, Person]
) -> None:
    # Given the Kitasuna centre, which serves Taro
    client = client_for("consultant.elderly")
    # When it searches him with his phone
    data = client.get("/api/people/search", {"q": "ヤマダ タロウ 03-3640-1234"}).json()
    page = client.get("/people/", {"q": "ヤマダ タロウ 03-3640-1234"}).content.decode()
    # Then it sees why he matched, and how well
    top = data["matches"][0]
    assert top["person"]["id"] == residents["taro"].pk
    assert "電話番号一致" in top["reasons"] and top["score"] > 0
    assert "電話番号一致" in page


def test_it_gives_no_reasons_under_a_consent_that_does_not_open_basic_information(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # Given the disability office sees Hanako under a consent that opens only her name
    result = lookup(personas["consultant.disability"], f"{HANAKO} {RIGHT_PHONE}")
    match = next(m for m in result.matches if m.view.id == residents["hanako"].pk)
    # Then the reasons, which would name her phone, are not given either
    assert match.view.level == "full" and not match.view.shows("basic")
    assert not match.disclosed and match.reasons == () and match.score is None


def test_it_puts_the_persons_the_viewer_may_see_first_best_first(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # Given the Kitasuna centre supports Taro and Jiro, and not a namesake with a lower number
    result = lookup(personas["consultant.elderly"], "ヤマダ 1948-03-05")
    disclosed = [m.disclosed for m in result.matches]
    assert disclosed == sorted(disclosed, reverse=True)  # entitled ones first
    scores = [m.score for m in result.matches if m.disclosed]
    assert scores == sorted(scores, reverse=True)  # best first among them


def test_it_does_not_confirm_an_address_shared_with_a_sealed_household_member(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # Given Taro lives with a sealed person: their shared address is sealed
    home = Household.objects.create(number="H-1", address="東京都江東区北砂三丁目12番5号")
    Membership.objects.create(household=home, person=residents["taro"], relation="世帯主")
    Membership.objects.create(household=home, person=residents["megumi"], relation="同居人")
    # When his own (entitled, undesignated) centre searches him with that address
    result = lookup(personas["consultant.elderly"], "ヤマダ タロウ 北砂3-12-5")
    # Then no reason says the address matched
    taro = next(m for m in result.matches if m.view.id == residents["taro"].pk)
    assert taro.disclosed and not any("住所" in r for r in taro.reasons)


# --- known to the ward: the front desk -------------------------------------------------


def test_it_names_only_the_ward_front_desk_as_contact(
    client_for: Callable[[str], Client], residents: dict[str, Person]
) -> None:
    # Given Hanako is supported by a disability office, Taro by a longevity centre
    client = client_for("consultant.toyosu")
    # When another agency finds them
    page = client.get("/people/", {"q": f"{HANAKO} 1990-11-20"}).content.decode()
    detail = client.get(f"/people/{residents['hanako'].pk}/").content.decode()
    # Then the answer names the ward's welfare desk, never the agencies that support them
    for body in (page, detail):
        assert "福祉部 福祉課" in body
        assert "あおぞら" not in body and "相談支援事業所" not in body
    for person in residents.values():
        assert [c.name for c in contacts_for(person)] == ["福祉部 福祉課"]


# --- audit -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/people/", {}), ("/people/", HTMX), ("/api/people/search", {})],
)
def test_it_audits_each_look_up_with_its_query_and_the_persons_returned(
    client_for: Callable[[str], Client],
    residents: dict[str, Person],
    path: str,
    headers: dict[str, str],
) -> None:
    # When another agency looks Hanako up by name and phone
    client_for("consultant.toyosu").get(path, {"q": f"{HANAKO} {RIGHT_PHONE}"}, headers=headers)
    # Then the event names her and what was searched, as keyed digests
    event = AuditEvent.objects.filter(object_type="people.search").latest("seq")
    assert event.actor_username == "consultant.toyosu"
    assert event.detail["persons"] == [residents["hanako"].pk]
    assert event.detail["query"]["phone"] == query_digest("phone", "09011112222")
    assert event.detail["query"]["kana"] == query_digest("kana", "スズキハナコ")
    assert set(event.detail["query_parts"]) == {"kana", "phone"}
    # and not the values themselves: the log is no copy of what was typed
    assert "1111" not in str(event.detail) and "スズキ" not in str(event.detail)


def test_it_lets_a_supervisor_find_who_searched_a_phone(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    lookup(personas["consultant.toyosu"], f"{HANAKO} {RIGHT_PHONE}")
    lookup(personas["consultant.toyosu"], "ヤマダ タロウ")
    wanted = query_digest("phone", parse_query(RIGHT_PHONE).phone)
    found = [e for e in AuditEvent.objects.filter(object_type="people.search")
             if e.detail.get("query", {}).get("phone") == wanted]  # fmt: skip
    assert [e.actor_username for e in found] == ["consultant.toyosu"]


# --- rate limit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/people/", {}),
        ("/people/", HTMX),
        ("/api/people/search", {}),
        ("/consultations/lookup/", {}),
    ],
)
def test_it_refuses_look_ups_over_the_minute_limit_with_429(
    client_for: Callable[[str], Client],
    residents: dict[str, Person],
    settings: Any,
    path: str,
    headers: dict[str, str],
) -> None:
    # Given a limit of two look-ups a minute
    settings.LOOKUP_PER_MINUTE = 2
    client = client_for("consultant.elderly")
    for _ in range(2):
        assert client.get(path, {"q": "ヤマダ タロウ"}, headers=headers).status_code == 200
    # When a third comes within the minute
    response = client.get(path, {"q": "ヤマダ タロウ"}, headers=headers)
    # Then it is refused, saying when to try again, and the refusal is audited
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.content.decode()
    if path.startswith("/api/"):
        body = response.json()["detail"]
    assert "1 分間に 2 回" in body and "秒ほど待ってから" in body
    assert "山田" not in body  # nobody is shown
    denied = AuditEvent.objects.filter(object_type="people.search", action="denied")
    assert denied.count() == 1 and denied.get().detail["limit"] == "minute"
    assert AuditEvent.objects.filter(object_type="people.search", action="view").count() == 2


def test_it_frees_a_place_once_the_minute_has_passed(
    personas: dict[str, Staff], residents: dict[str, Person], settings: Any
) -> None:
    settings.LOOKUP_PER_MINUTE = 1
    viewer = personas["consultant.elderly"]
    interactive_lookup(viewer, "ヤマダ タロウ")
    q = parse_query("ヤマダ タロウ")
    with pytest.raises(LookupLimited):
        check_rate(viewer, q, purpose="test")
    check_rate(viewer, q, purpose="test", now=timezone.now() + timedelta(seconds=61))


def test_it_refuses_look_ups_over_the_day_limit_until_tomorrow(
    client_for: Callable[[str], Client], residents: dict[str, Person], settings: Any
) -> None:
    settings.LOOKUP_PER_DAY = 1
    client = client_for("consultant.elderly")
    assert client.get("/api/people/search", {"q": "ヤマダ タロウ"}).status_code == 200
    response = client.get("/api/people/search", {"q": "ヤマダ タロウ"})
    assert response.status_code == 429
    assert "本日の検索の回数が上限（1 回）" in response.json()["detail"]
    assert int(response["Retry-After"]) <= 24 * 3600


def test_it_counts_each_person_on_their_own(
    client_for: Callable[[str], Client], residents: dict[str, Person], settings: Any
) -> None:
    settings.LOOKUP_PER_MINUTE = 1
    assert client_for("consultant.elderly").get("/people/", {"q": "ヤマダ"}).status_code == 200
    assert client_for("consultant.toyosu").get("/people/", {"q": "ヤマダ"}).status_code == 200


def test_it_does_not_count_an_empty_or_unreadable_query(
    client_for: Callable[[str], Client], residents: dict[str, Person], settings: Any
) -> None:
    settings.LOOKUP_PER_MINUTE = 1
    client = client_for("consultant.elderly")
    for q in ("", "   ", "\x00", "\x01\x02"):
        assert client.get("/people/", {"q": q}).status_code == 200
    assert client.get("/people/", {"q": "ヤマダ"}).status_code == 200


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "%", "<script>alert(1)</script>", "ア" * 5000, "１" * 300, "\x00"]
)
def test_it_survives_hostile_queries_on_every_entry_point(
    client_for: Callable[[str], Client], residents: dict[str, Person], q: str
) -> None:
    client = client_for("consultant.toyosu")
    for path in ("/people/", "/api/people/search", "/consultations/lookup/"):
        response = client.get(path, {"q": q})
        assert response.status_code == 200
        if response["Content-Type"].startswith("text/html"):
            assert "<script>alert" not in response.content.decode()
