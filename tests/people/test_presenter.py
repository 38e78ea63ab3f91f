"""The one presenter: break-the-glass (finding 1), household seals (4),
audited reads (6), consent history (7), consent categories (8), and the
audit index of list views."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.consultations.conftest import intake
from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.audit.services import events_about
from tsunagari.consent.services import ConsentInput, record_consent
from tsunagari.consultations.services import save_consultation
from tsunagari.people import sections
from tsunagari.people.access import is_entitled
from tsunagari.people.models import (
    AccessOpening,
    AgencyLink,
    Household,
    LinkBasis,
    Membership,
    OpeningStatus,
    Person,
)
from tsunagari.people.openings import confirm_opening, openings_to_review, revoke_opening
from tsunagari.people.presenter import Purpose, present_people, present_person


@pytest.fixture
def family(residents: dict[str, Person]) -> dict[str, Person]:
    """Megumi (sealed) and her son Sota (not sealed) share one household;
    the child and family centre supports Sota."""
    sota = make_person(name="佐藤　蒼太", kana="サトウ　ソウタ", birth_date="2015-04-02", sex="1",
                       address="江東区東雲1-9-40 東雲レジデンス805", phone="080-3333-4444")  # fmt: skip
    home = Household.objects.create(number="H-77", address="江東区東雲1-9-40 東雲レジデンス805")
    Membership.objects.create(household=home, person=residents["megumi"], relation="世帯主")
    Membership.objects.create(household=home, person=sota, relation="子")
    for code in ("cfc-03", "lsc-16"):
        AgencyLink.objects.create(person=sota, agency=Agency.objects.get(code=code),
                                  basis=LinkBasis.CASE)  # fmt: skip
    return {"megumi": residents["megumi"], "sota": sota}


# ── finding 1: break-the-glass instead of self-granted access ──────────────


def test_it_opens_nothing_when_the_person_comes_without_a_recorded_identity_check(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given a consultant at the disability office, which has no basis to see Taro
    staff = personas["consultant.disability"]
    # when a consultation with Taro as the visitor is recorded without an identity check
    save_consultation(staff, intake(residents["taro"], visitor="self", visitor_relation=""),
                      final=True)  # fmt: skip
    # then the record stays closed to the agency
    assert not is_entitled(staff, residents["taro"])
    assert not AccessOpening.objects.exists()


def test_it_opens_the_record_provisionally_when_identity_was_confirmed(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    staff = personas["consultant.disability"]
    save_consultation(staff, intake(residents["taro"], visitor="self", visitor_relation="",
                                    identity_check="document"), final=True)  # fmt: skip
    opening = AccessOpening.objects.get()
    assert opening.status == OpeningStatus.PROVISIONAL
    assert opening.until == timezone.localdate() + timedelta(days=13)
    view = present_person(staff, residents["taro"], Purpose.VIEW)
    assert view.level == "full" and view.provisional


def test_it_never_opens_a_sealed_person_at_the_desk(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    staff = personas["consultant.elderly"]
    save_consultation(staff, intake(residents["megumi"], visitor="self", visitor_relation="",
                                    identity_check="document"), final=True)  # fmt: skip
    assert not is_entitled(staff, residents["megumi"])
    assert not AccessOpening.objects.exists()


def test_it_refuses_an_identity_check_for_someone_elses_report(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    from tsunagari.consultations.intake import IntakeError

    with pytest.raises(IntakeError) as exc:
        save_consultation(personas["consultant.disability"],
                          intake(residents["taro"], identity_check="document"), final=True)  # fmt: skip
    assert "identity_check" in exc.value.errors
    assert not AccessOpening.objects.exists()


def test_it_opens_nothing_through_the_api_without_an_identity_check(
    client_for: Any, residents: dict[str, Person], personas: dict[str, Staff]
) -> None:
    body = {"channel": "visit", "service": "disability", "visitor": "self",
            "person_id": residents["taro"].pk, "problems": ["health"], "outcome": "resolved"}  # fmt: skip
    response = client_for("consultant.disability").post(
        "/api/consultations", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert not is_entitled(personas["consultant.disability"], residents["taro"])


def test_it_lists_openings_for_the_supervisor_and_flags_unusual_volume(
    personas: dict[str, Staff], settings: Any
) -> None:
    # given a worker at Kitasuna who opens three records at the desk in one day
    settings.AT_DESK_FLAG_PER_DAY = 2
    staff = personas["consultant.elderly"]
    people = [make_person(name=f"来所　{n}", birth_date="1950-01-0" + str(n + 1)) for n in range(3)]
    for person in people:
        save_consultation(staff, intake(person, visitor="self", visitor_relation="",
                                        identity_check="known"), final=True)  # fmt: skip
    # when their supervisor reads the review list
    rows = openings_to_review(personas["supervisor.elderly"])
    # then all three are there, flagged, and the list's view is audited naming them
    assert len(rows) == 3 and all(r.flagged for r in rows)
    assert {r.person.name for r in rows} == {p.full_name for p in people}
    event = AuditEvent.objects.filter(object_type="people.accessopening", action="view").get()
    assert sorted(event.detail["persons"]) == sorted(p.pk for p in people)
    # and another agency's supervisor-less staff cannot read it
    with pytest.raises(PermissionDenied):
        openings_to_review(staff)


def test_it_lets_the_supervisor_confirm_or_revoke_an_opening(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    staff, boss = personas["consultant.elderly"], personas["supervisor.elderly"]
    one = make_person(name="確認　一郎", birth_date="1951-02-03")
    two = make_person(name="取消　二郎", birth_date="1952-02-03")
    for person in (one, two):
        save_consultation(staff, intake(person, visitor="self", visitor_relation="",
                                        identity_check="document"), final=True)  # fmt: skip
    first, second = AccessOpening.objects.order_by("pk")
    confirm_opening(boss, first.pk, note="継続支援")
    revoke_opening(boss, second.pk, note="来所は別人の相談だった")
    assert present_person(staff, one, Purpose.VIEW).provisional is False
    assert is_entitled(staff, one)
    assert not is_entitled(staff, two)
    with pytest.raises(PermissionDenied):
        # a worker cannot review openings, least of all their own
        confirm_opening(staff, first.pk)


def test_it_ends_the_provisional_access_when_its_days_are_over(
    personas: dict[str, Staff], residents: dict[str, Person], settings: Any
) -> None:
    settings.AT_DESK_ACCESS_DAYS = 1
    staff = personas["consultant.disability"]
    save_consultation(staff, intake(residents["taro"], visitor="self", visitor_relation="",
                                    identity_check="document"), final=True)  # fmt: skip
    # the link's last day is today; tomorrow it is gone
    link = AgencyLink.objects.get(basis=LinkBasis.AT_DESK)
    assert link.until == timezone.localdate()
    AgencyLink.objects.filter(pk=link.pk).update(until=timezone.localdate() - timedelta(days=1))
    assert not is_entitled(staff, residents["taro"])


# ── finding 4: a sealed household member's address ────────────────────────


def test_it_hides_the_household_address_on_a_sealed_members_childs_page(
    client_for: Any, family: dict[str, Person]
) -> None:
    # given Sota is not sealed but lives with his sealed mother
    # when an undesignated consultant who supports Sota opens his page
    body = client_for("consultant.elderly").get(f"/people/{family['sota'].pk}/").content.decode()
    # then neither the header nor the household panel shows the address or phone
    assert "東雲" not in body and "080-3333-4444" not in body
    # while the designated consultant still sees it
    body = client_for("consultant.child").get(f"/people/{family['sota'].pk}/").content.decode()
    assert "東雲レジデンス805" in body


def test_it_does_not_let_an_undesignated_editor_blank_a_sealed_households_address(
    client_for: Any, family: dict[str, Person]
) -> None:
    sota = family["sota"]
    client = client_for("consultant.elderly")
    page = client.get(f"/people/{sota.pk}/edit/").content.decode()
    assert "東雲" not in page
    client.post(f"/people/{sota.pk}/edit/", {"name": "佐藤　蒼太", "kana": "サトウ　ソウタ",
                "birth_date": "2015-04-02", "sex": "male", "address": "", "phone": "",
                "version": sota.version})  # fmt: skip
    sota.refresh_from_db()
    assert sota.address == "江東区東雲1-9-40 東雲レジデンス805"


def test_it_hides_the_household_address_in_the_api_and_export(
    client_for: Any, family: dict[str, Person]
) -> None:
    client = client_for("consultant.elderly")
    sota = family["sota"]
    for url in (f"/api/people/{sota.pk}", f"/people/{sota.pk}/export.csv"):
        body = client.get(url).content.decode()
        assert "東雲" not in body and "080-3333-4444" not in body, url


# ── finding 6: every read is audited ───────────────────────────────────────


def test_it_audits_the_edit_page_a_failed_edit_and_an_unchanged_api_put(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    client = client_for("consultant.elderly")
    before = events_about(taro.pk).filter(action=AuditAction.VIEW).count()
    client.get(f"/people/{taro.pk}/edit/")
    client.post(f"/people/{taro.pk}/edit/", {"name": "", "version": taro.version})
    client.put(f"/api/people/{taro.pk}", {"name": taro.full_name, "kana": taro.full_kana,
               "birth_date": "1948-03-05", "address": taro.address, "phone": taro.phone,
               "resident_id": taro.resident_id, "version": taro.version},
               content_type="application/json")  # fmt: skip
    assert events_about(taro.pk).filter(action=AuditAction.VIEW).count() == before + 3


def test_it_names_every_person_of_a_list_in_its_audit_event(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    staff = personas["consultant.elderly"]
    present_people(staff, [residents["taro"], residents["jiro"]], Purpose.LIST,
                   object_type="consultations.worklist")  # fmt: skip
    event = AuditEvent.objects.filter(object_type="consultations.worklist").get()
    assert sorted(event.detail["persons"]) == sorted([residents["taro"].pk, residents["jiro"].pk])
    assert events_about(residents["jiro"].pk).filter(pk=event.pk).exists()


def test_it_finds_worklist_views_in_the_log_by_person(
    client_for: Any, personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    save_consultation(personas["consultant.elderly"], intake(residents["taro"]), final=True)
    client_for("consultant.elderly").get("/consultations/")
    assert events_about(residents["taro"].pk).filter(object_type="consultations.worklist").exists()


# ── finding 7: consent history to an agency that only got a report ─────────


def test_it_hides_the_consent_history_from_an_agency_not_entitled_to_the_person(
    client_for: Any, personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given Taro's consent recorded at Kitasuna, sharing with the disability office
    today = timezone.localdate()
    record_consent(personas["consultant.elderly"], residents["taro"].pk, ConsentInput(
        form="with", given_on=today.isoformat(), expires_on=(today + timedelta(days=90)).isoformat(),
        agencies=["dis-02"], categories=["basic"], note="同意書あり"))  # fmt: skip
    # and a neighbour's report about Taro taken at Toyosu (no basis to see him)
    c = save_consultation(personas["consultant.toyosu"], intake(residents["taro"]), final=True)
    # when Toyosu opens its consultation
    body = client_for("consultant.toyosu").get(f"/consultations/{c.pk}/").content.decode()
    # then it sees no consent, agency or category of it
    assert "障害者相談" not in body and "同意書あり" not in body
    assert "同意の記録は表示されません" in body


# ── finding 8: consent categories are enforced ─────────────────────────────


def test_it_shows_only_the_categories_a_consent_covers(
    client_for: Any, personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    # given Taro consented to share only what he consulted about with the disability office
    today = timezone.localdate()
    record_consent(personas["consultant.elderly"], residents["taro"].pk, ConsentInput(
        form="with", given_on=today.isoformat(), expires_on=(today + timedelta(days=90)).isoformat(),
        agencies=["dis-02"], categories=["consultation"]))  # fmt: skip
    staff = personas["consultant.disability"]
    # when the disability office looks at him
    view = present_person(staff, residents["taro"], Purpose.VIEW, with_household=True)
    # then it sees his name, and not his address, phone, birth date or resident number
    assert view.level == "full" and view.name == residents["taro"].full_name
    assert view.sections == {sections.IDENTITY, sections.CONSULTATIONS}
    assert not (view.address or view.phone or view.birth_date or view.resident_id)
    body = client_for("consultant.disability").get(f"/api/people/{residents['taro'].pk}").json()
    assert body["address"] == "" and body["resident_id"] == ""
    # and cannot edit him either
    response = client_for("consultant.disability").get(f"/people/{residents['taro'].pk}/edit/")
    assert response.status_code == 403


def test_it_shows_everything_once_the_consent_covers_basic_information(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    today = timezone.localdate()
    record_consent(personas["consultant.elderly"], residents["taro"].pk, ConsentInput(
        form="with", given_on=today.isoformat(), expires_on=(today + timedelta(days=90)).isoformat(),
        agencies=["dis-02"], categories=["basic", "family"]))  # fmt: skip
    view = present_person(personas["consultant.disability"], residents["taro"], Purpose.VIEW)
    assert view.address == residents["taro"].address
    assert sections.HOUSEHOLD in view.sections and sections.CONSULTATIONS not in view.sections


def test_it_audits_the_consent_form_when_a_save_is_refused(
    client_for: Any, residents: dict[str, Person]
) -> None:
    taro = residents["taro"]
    before = events_about(taro.pk).filter(action=AuditAction.VIEW).count()
    response = client_for("consultant.elderly").post(
        f"/consent/new/?person={taro.pk}", {"person": taro.pk, "form": "with", "given_on": "x"}
    )
    assert response.status_code == 400 and taro.full_name in response.content.decode()
    assert events_about(taro.pk).filter(action=AuditAction.VIEW).count() == before + 1


@pytest.mark.parametrize(
    ("decision", "note", "message"),
    [("approve", "", "「確認」か「取り消し」を選んでください。"),
     ("revoke", "", "取り消す理由を入力してください。"),
     ("revoke", "x" * 501, "500文字以内"),
     ("confirm", "a\x00b", "制御文字")],
)  # fmt: skip
def test_it_refuses_a_bad_review_of_an_opening_and_changes_nothing(
    client_for: Any, personas: dict[str, Staff], decision: str, note: str, message: str
) -> None:
    # given a worker at Kitasuna opened a record at the desk
    person = make_person(name="来所　太一", birth_date="1951-05-06")
    save_consultation(personas["consultant.elderly"], intake(person, visitor="self",
                      visitor_relation="", identity_check="document"), final=True)  # fmt: skip
    opening = AccessOpening.objects.get()
    # when their supervisor sends a bad review
    response = client_for("supervisor.elderly").post(
        f"/people/openings/{opening.pk}/review/", {"decision": decision, "note": note}, follow=True
    )
    # then the page says what to fix and the opening is as it was
    assert message in response.content.decode()
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.PROVISIONAL and opening.reviewed_by is None


def test_it_refuses_an_unknown_opening_and_anyone_but_supervisors(
    client_for: Any, personas: dict[str, Staff]
) -> None:
    response = client_for("supervisor.elderly").post(
        "/people/openings/999999/review/", {"decision": "confirm"}, follow=True
    )
    assert "その番号の記録はありません。" in response.content.decode()
    for username in ("consultant.elderly", "outsider", "council"):
        assert client_for(username).get("/people/openings/").status_code == 403


def test_it_refuses_an_identity_check_that_is_not_in_the_list(
    personas: dict[str, Staff], residents: dict[str, Person]
) -> None:
    from tsunagari.consultations.intake import IntakeError

    for value in ("passport!", "<script>", "x" * 5000, ["document"]):
        with pytest.raises(IntakeError) as exc:
            save_consultation(personas["consultant.disability"], intake(
                residents["taro"], visitor="self", visitor_relation="", identity_check=value),
                final=True)  # fmt: skip
        assert "identity_check" in exc.value.errors
    assert not AccessOpening.objects.exists()
