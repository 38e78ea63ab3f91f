"""Rules as data build the roster from the registry and the loaded department
records; each rebuild says who came and went and why; a rule without its data
says so."""

from __future__ import annotations

from typing import Any

import pytest

from tsunagari.accounts.models import Staff
from tsunagari.disaster import services
from tsunagari.disaster.models import (
    DepartmentFact,
    FactLoad,
    InclusionRule,
    RecipientKind,
    RosterEntry,
)
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.people.models import Person


def on_roster() -> dict[int, list[str]]:
    return {e.person_id: e.reasons for e in RosterEntry.objects.filter(on_roster=True)}


def test_it_builds_the_roster_from_the_rules_on_a_hand_made_street(roster: dict[str, Any]) -> None:
    p = roster["people"]
    # then exactly the people who meet a rule are on it, with their reasons
    assert on_roster() == {
        p["oyama"].pk: ["care_3_5", "age_75_alone"],
        p["nakamura"].pk: ["physical_1_2"],
        p["hayashi"].pk: ["mental_1_alone"],
        p["ishii"].pk: ["age_75_alone"],
        p["ueda"].pk: ["intellectual_a"],
        p["sato"].pk: ["care_3_5", "age_75_alone"],
        p["nishi"].pk: ["intractable"],
    }
    rebuild = roster["rebuild"]
    assert len(rebuild.added) == 7 and rebuild.removed == [] and rebuild.total == 7
    assert all(r["evaluated"] for r in rebuild.rules)
    assert DomainEvent.objects.filter(
        kind=EventKind.ROSTER_REBUILT, object_id=str(rebuild.pk)
    ).exists()


def test_it_keeps_only_the_rule_columns_of_an_extract_and_reports_unmatched_rows(
    loaded: dict[str, Person],
) -> None:
    care = FactLoad.objects.get(source="care", current=True)
    # the row whose 宛名番号 is unknown is reported by its row number, not dropped silently
    assert care.rows == 4 and care.matched == 3 and care.unmatched_rows == [5]
    assert set(DepartmentFact.objects.filter(source="care").first().attributes) == {"care_level"}  # type: ignore[union-attr]


def test_a_changed_rule_changes_the_roster_and_the_rebuild_says_why(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    p = roster["people"]
    rule = InclusionRule.objects.get(code="care_3_5")
    # when an officer widens 要介護3〜5 to 要介護1〜5 and drops 75+ living alone
    services.save_rule(personas["disaster"], rule.pk, services.RuleInput(
        code="care_1_5", label="要介護1〜5", source="care",
        attributes="care_level = 要介護1, 要介護2, 要介護3, 要介護4, 要介護5"))  # fmt: skip
    age = InclusionRule.objects.get(code="age_75_alone")
    services.save_rule(personas["disaster"], age.pk, services.RuleInput(
        code=age.code, label=age.label, source="registry", min_age="75", living_alone=True,
        active=False))  # fmt: skip
    rebuild = services.rebuild_roster(personas["disaster"])
    # then 小川 (要介護1) comes on, 石井 (75+ alone only) goes off, with reasons
    assert [a["person"] for a in rebuild.added] == [p["ogawa"].pk]
    assert rebuild.added[0]["reasons"] == ["要介護1〜5"]
    assert [r["person"] for r in rebuild.removed] == [p["ishii"].pk]
    assert rebuild.removed[0]["reasons"] == ["75歳以上の一人暮らし"]
    assert on_roster()[p["oyama"].pk] == ["care_1_5"]


def test_a_rule_whose_data_is_missing_is_reported_and_takes_nobody_off(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    p = roster["people"]
    # when the care extract is no longer in the system
    DepartmentFact.objects.filter(source="care").delete()
    FactLoad.objects.filter(source="care").delete()
    rebuild = services.rebuild_roster(personas["disaster"])
    # then the rule says it could not be evaluated (not "nobody matched") ...
    care = next(r for r in rebuild.rules if r["code"] == "care_3_5")
    assert care["evaluated"] is False and "取り込まれていません" in care["problem"]
    # ... and nobody is removed because of it
    assert rebuild.removed == []
    assert p["oyama"].pk in on_roster() and p["sato"].pk in on_roster()


def test_a_rule_needing_a_column_the_extract_lacks_is_not_evaluated(
    loaded: dict[str, Person], personas: dict[str, Staff]
) -> None:
    services.save_rule(personas["disaster"], None, services.RuleInput(
        code="oxygen", label="在宅酸素", source="disability", attributes="oxygen = 1"))  # fmt: skip
    rebuild = services.rebuild_roster(personas["disaster"])
    oxygen = next(r for r in rebuild.rules if r["code"] == "oxygen")
    assert oxygen["evaluated"] is False and "oxygen" in oxygen["problem"]


def test_living_alone_cannot_be_evaluated_without_households(
    loaded: dict[str, Person], personas: dict[str, Staff]
) -> None:
    from tsunagari.people.models import Membership

    Membership.objects.all().delete()
    rebuild = services.rebuild_roster(personas["disaster"])
    alone = next(r for r in rebuild.rules if r["code"] == "age_75_alone")
    assert alone["evaluated"] is False


def test_a_person_added_by_hand_stays_through_rebuilds_until_ended(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    ogawa = roster["people"]["ogawa"]
    services.add_by_hand(personas["disaster"], ogawa.pk, "在宅で人工呼吸器を使用（家族から相談）")
    rebuild = services.rebuild_roster(personas["disaster"])
    assert rebuild.removed == [] and on_roster()[ogawa.pk] == ["manual"]
    services.end_by_hand(personas["disaster"], ogawa.pk, "転出")
    assert ogawa.pk not in on_roster()
    assert services.rebuild_roster(personas["disaster"]).added == []


def test_it_refuses_a_hand_addition_without_a_reason(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    with pytest.raises(services.DisasterError) as refused:
        services.add_by_hand(personas["disaster"], roster["people"]["ogawa"].pk, " ")
    assert "reason" in refused.value.errors


def test_it_refuses_a_department_extract_without_a_recorded_basis(
    street: dict[str, Person], personas: dict[str, Staff]
) -> None:
    with pytest.raises(services.DisasterError) as refused:
        services.load_department_facts(
            personas["disaster"], "poverty", b"resident_id\n1\n", "p.csv"
        )
    assert "根拠" in refused.value.errors["source"]


def test_staff_without_the_roster_role_may_not_rebuild(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rebuild_roster(personas["consultant.elderly"])


def test_a_new_rule_on_a_column_loaded_before_it_existed_asks_for_a_new_load(
    loaded: dict[str, Person], personas: dict[str, Staff]
) -> None:
    # record_id was in the care file but no rule read it, so it was not kept
    services.save_rule(personas["disaster"], None, services.RuleInput(
        code="by_record", label="記録番号", source="care", attributes="record_id = K1"))  # fmt: skip
    rebuild = services.rebuild_roster(personas["disaster"])
    rule = next(r for r in rebuild.rules if r["code"] == "by_record")
    assert rule["evaluated"] is False and "取り込み直して" in rule["problem"]


def test_an_age_rule_without_any_birth_date_is_not_evaluated() -> None:
    from tsunagari.disaster import rules as engine

    rule = engine.RuleSpec("age", "75歳以上", engine.REGISTRY, min_age=75)
    facts = engine.Facts(people={1: engine.PersonFacts(None, True, "北砂")})
    result = engine.evaluate([rule], facts)
    assert result.rules[0].evaluated is False and "生年月日" in result.rules[0].problem
    # with one birth date known, it runs and counts the one it cannot decide
    facts.people[2] = engine.PersonFacts(80, True, "北砂")
    result = engine.evaluate([rule], facts)
    assert result.rules[0].matched == {2} and result.rules[0].undecided == 1


def test_a_person_excluded_by_hand_stays_off_until_the_exclusion_ends(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    oyama = roster["people"]["oyama"]
    officer = personas["disaster"]
    services.exclude_by_hand(officer, oyama.pk, "特別養護老人ホームに入所（施設が避難を担う）")
    assert oyama.pk not in on_roster()
    # a rebuild keeps them off although the rules match, and says why
    rebuild = services.rebuild_roster(officer)
    assert rebuild.added == [] and oyama.pk not in on_roster()
    # a hand addition is refused while the exclusion holds
    with pytest.raises(services.DisasterError):
        services.add_by_hand(officer, oyama.pk, "在宅に戻った")
    services.end_exclusion(officer, oyama.pk, "退所して在宅に戻った")
    rebuild = services.rebuild_roster(officer)
    assert [a["person"] for a in rebuild.added] == [oyama.pk]


def test_an_exclusion_found_at_rebuild_is_listed_with_its_reason(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    from tsunagari.disaster.models import ManualExclusion

    oyama = roster["people"]["oyama"]
    # an exclusion recorded while the entry was on the roster (e.g. by an import)
    ManualExclusion.objects.create(person=oyama, reason="施設入所")
    rebuild = services.rebuild_roster(personas["disaster"])
    assert rebuild.removed == [
        {
            "person": oyama.pk,
            "reasons": ["要介護3〜5", "75歳以上の一人暮らし"],
            "why": "手動で除外: 施設入所",
        }
    ]


def by_hand_events(person: Person) -> list[str]:
    return [
        e.data.get("change")
        for e in DomainEvent.objects.filter(kind=EventKind.ROSTER_CHANGED_BY_HAND,
                                            person_id=person.pk).order_by("pk")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "refusal"),
    [
        ("add_by_hand", "end_by_hand", "手動で追加されていません"),
        ("exclude_by_hand", "end_exclusion", "手動で除外されていません"),
    ],
)
def test_a_hand_decision_ended_twice_is_refused_the_second_time_without_a_second_event(
    roster: dict[str, Any], personas: dict[str, Staff], start: str, end: str, refusal: str
) -> None:
    person = roster["people"]["ogawa" if start == "add_by_hand" else "oyama"]
    officer = personas["disaster"]
    getattr(services, start)(officer, person.pk, "始めた理由")
    getattr(services, end)(officer, person.pk, "終えた理由")
    with pytest.raises(services.DisasterError) as refused:
        getattr(services, end)(officer, person.pk, "もう一度")
    assert refusal in refused.value.errors["person"]
    assert by_hand_events(person)[1:] == ["ended" if end == "end_by_hand" else "exclusion_ended"]


@pytest.mark.parametrize("end", ["end_by_hand", "end_exclusion"])
def test_a_hand_decision_ended_by_another_officer_meanwhile_is_not_ended_again(
    roster: dict[str, Any], personas: dict[str, Staff], end: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import transaction

    from tsunagari.disaster.models import ManualExclusion, ManualInclusion

    decisions = ManualInclusion if end == "end_by_hand" else ManualExclusion
    person = roster["people"]["ogawa" if end == "end_by_hand" else "oyama"]
    officer = personas["disaster"]
    start = services.add_by_hand if end == "end_by_hand" else services.exclude_by_hand
    start(officer, person.pk, "始めた理由")
    atomic = transaction.atomic

    def other_officer_ends_it_first(*args: Any, **kwargs: Any) -> Any:
        # another officer's end lands just before this action's transaction opens
        decisions.objects.filter(person=person, ended_at__isnull=True).update(
            ended_at=services.clock.now(), end_reason="先に終了"
        )
        return atomic(*args, **kwargs)

    monkeypatch.setattr(services.transaction, "atomic", other_officer_ends_it_first)
    with pytest.raises(services.DisasterError):
        getattr(services, end)(officer, person.pk, "同時に終了")
    monkeypatch.undo()
    # the other officer's end stands, and no end event is written for it twice
    assert decisions.objects.get(person=person).end_reason == "先に終了"
    assert len(by_hand_events(person)) == 1


def test_a_rule_change_and_a_recipient_change_are_named_events_of_their_own(
    roster: dict[str, Any], personas: dict[str, Staff]
) -> None:
    officer = personas["disaster"]
    rule = services.save_rule(officer, None, services.RuleInput(
        code="oxygen", label="在宅酸素", source="disability", attributes="oxygen = 1"))  # fmt: skip
    recipient = services.save_recipient(officer, None, services.RecipientInput(
        name="北砂消防団", kind=RecipientKind.FIRE, towns=["北砂"]))  # fmt: skip
    changed = DomainEvent.objects.get(kind=EventKind.ROSTER_RULE_CHANGED, object_id=str(rule.pk))
    assert changed.data["code"] == "oxygen" and changed.data["created"] is True
    registered = DomainEvent.objects.get(
        kind=EventKind.ROSTER_RECIPIENT_CHANGED, object_id=str(recipient.pk)
    )
    assert registered.data["towns"] == ["北砂"] and registered.data["created"] is True
    # neither borrows the kind of a person's hand addition any more
    assert not DomainEvent.objects.filter(kind=EventKind.ROSTER_CHANGED_BY_HAND).exists()
