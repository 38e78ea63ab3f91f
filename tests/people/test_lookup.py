from __future__ import annotations

from typing import Any

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.people.lookup import lookup
from tsunagari.people.models import Person


def test_it_finds_a_person_from_a_misspelt_kana_and_an_era_date(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    result = lookup(personas["consultant.elderly"], "やまだ たろ S23.3.5")
    top = result.matches[0]
    assert top.view.id == residents["taro"].pk
    assert top.view.name == "山田\u3000太郎"
    assert "生年月日一致" in top.reasons


def test_it_ranks_the_twin_below_the_person_asked_for(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    ids = [
        m.view.id
        for m in lookup(personas["consultant.elderly"], "ヤマダ タロウ 1948-03-05").matches
    ]
    assert ids[0] == residents["taro"].pk
    assert residents["jiro"].pk in ids[1:]


def test_it_tells_another_agency_only_that_the_ward_knows_the_person(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    match = lookup(personas["consultant.toyosu"], "ヤマダ タロウ 1948-03-05").matches[0]
    assert match.view.level == "known"
    assert match.view.name == "" and match.view.birth_date is None and match.view.address == ""
    # the ward's front desk, not the agencies that support him (finding 5 of issue 11)
    assert [c.name for c in match.view.contacts] == ["福祉部 福祉課"]


def test_it_never_shows_a_sealed_address_outside_designated_staff(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # the self-reliance desk shares her case under a support meeting, but is not designated
    match = lookup(personas["consultant.self"], "サトウ メグミ 1985-07-01").matches[0]
    assert match.view.level == "full"
    assert match.view.address == "" and match.view.phone == "" and match.view.contact_hidden


def test_it_shows_a_sealed_address_to_designated_staff(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    match = lookup(personas["consultant.child"], "サトウ メグミ 1985-07-01").matches[0]
    assert match.view.address.startswith("江東区東雲")


def test_it_does_not_let_the_address_reveal_a_sealed_person(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # searching by her address must not rank her or say the address matched
    result = lookup(personas["consultant.self"], "サトウ 東雲1-9-40")
    for m in result.matches:
        assert not any("住所" in r for r in m.reasons)


def test_it_names_only_the_ward_as_contact_for_a_sealed_person(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    match = lookup(personas["consultant.toyosu"], "サトウ メグミ 1985-07-01").matches[0]
    assert match.view.level == "known"
    assert [c.name for c in match.view.contacts] == ["福祉部 福祉課"]


def test_it_audits_every_search_with_the_people_shown(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    lookup(personas["consultant.elderly"], "ヤマダ タロウ 1948-03-05")
    event = AuditEvent.objects.filter(object_type="people.search").latest("seq")
    assert event.actor_username == "consultant.elderly"
    assert residents["taro"].pk in event.detail["shown_in_full"]
    assert "ヤマダ" not in str(event.detail)  # the log names kinds of facts, not the values typed


def test_it_answers_nothing_for_an_empty_query(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    assert lookup(personas["consultant.elderly"], "   ").matches == []


def test_it_survives_hostile_queries(personas: dict[str, Staff], residents: Any) -> None:
    for text in ("' OR 1=1 --", "%", "_", "\\", "<script>", "ア" * 5000, "１" * 300, "\x00"):
        lookup(personas["consultant.elderly"], text)


def test_it_has_an_interface_label_for_every_reason_the_matcher_gives() -> None:
    import inspect
    import re

    from tsunagari.people import matching
    from tsunagari.people.lookup import REASON_LABELS

    given = set(
        re.findall(r'"([^"\n]{1,30}(?:一致|類似)[^"\n]{0,10})"', inspect.getsource(matching))
    )
    assert given
    assert given <= set(REASON_LABELS)
