"""The home page says what is waiting, and the header badge says how much.

Yamada Taro is a client of 長寿サポートセンター北砂 (lsc-16, consultant.elderly),
who refers him to 生活サポートセンター (srs-01, consultant.self) with his consent;
豊洲 (lsc-08, consultant.toyosu) is another agency that must see none of it.
"""

# ruff: noqa: F811  (the fixtures imported below are test parameters of the same name)
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.consultations.conftest import consent, consultation, intake  # noqa: F401  (fixtures)
from tests.people.conftest import make_person, residents  # noqa: F401  (fixture)
from tsunagari.accounts.models import Agency, HomeVisit, Role, Staff
from tsunagari.accounts.waiting import HOME_ROWS, badge_for, waiting_for
from tsunagari.audit.models import AuditEvent
from tsunagari.consent.models import Consent, DecisionStatus, SupportMeeting
from tsunagari.consent.services import (
    WithdrawalInput,
    mark_withdrawal_seen,
    support_meetings_to_confirm,
    withdraw_consent,
)
from tsunagari.consultations.models import Consultation, Referral
from tsunagari.consultations.services import (
    accept_referral,
    decline_referral,
    record_referral_outcome,
    save_consultation,
    send_referral,
)
from tsunagari.consultations.worklists import RECENTLY_CLOSED_DAYS
from tsunagari.lib import clock
from tsunagari.people.models import AccessOpening, Person
from tsunagari.people.openings import openings_to_review

BADGE = re.compile(r'class="waiting-badge"[^>]*>対応待ち (\d+)件<')


def _refer(personas: Any, consultation: Consultation) -> Referral:
    return send_referral(
        personas["consultant.elderly"], consultation.pk, to_agency="srs-01", summary="家計の相談"
    )


def _home(client_for: Any, who: str) -> str:
    response = client_for(who).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _badge(body: str) -> int | None:
    found = BADGE.search(body)
    return int(found.group(1)) if found else None


def _section(body: str, anchor: str) -> str:
    """The part of the home page's waiting section under the heading ``anchor``."""
    start = body.find(f'<h3 id="{anchor}">')
    if start < 0:
        return ""
    end = body.find("<h3 ", start + 1)
    return body[start : end if end > 0 else body.find("</section>", start)]


# --- each count, for the right persona and not another agency ------------------


def test_it_counts_an_incoming_referral_for_the_receiving_agency_only(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    # given a referral from Kitasuna to the self-reliance centre
    referral = _refer(personas, consultation)
    # when each side and an outside agency look at their home
    receiver = _home(client_for, "consultant.self")
    sender = _home(client_for, "consultant.elderly")
    other = _home(client_for, "consultant.toyosu")
    # then the receiver sees it waiting, by name, and nobody else does
    assert waiting_for(personas["consultant.self"], None).incoming == 1
    incoming = _section(receiver, "incoming")
    assert f'href="/consultations/referrals/{referral.pk}/"' in incoming
    assert "山田　太郎" in incoming
    assert waiting_for(personas["consultant.elderly"], None).incoming == 0
    assert _section(sender, "incoming") == ""
    assert waiting_for(personas["consultant.toyosu"], None).total == 0
    assert "山田" not in other
    assert f"/consultations/referrals/{referral.pk}/" not in other


def test_it_counts_an_overdue_referral_on_both_sides_once(
    personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = _refer(personas, consultation)
    Referral.objects.filter(pk=referral.pk).update(due_at=clock.now() - timedelta(hours=1))
    receiver = waiting_for(personas["consultant.self"], None)
    sender = waiting_for(personas["consultant.elderly"], None)
    assert (receiver.overdue, receiver.incoming, receiver.total) == (1, 1, 1)
    assert (sender.overdue, sender.incoming, sender.total) == (1, 0, 1)
    assert waiting_for(personas["consultant.toyosu"], None).overdue == 0


def test_it_counts_the_needs_for_those_who_work_them_only(
    client_for: Any, personas: Any, residents: dict[str, Person]
) -> None:
    # given a consultation that raised a need for multi-agency work
    save_consultation(
        personas["consultant.elderly"], intake(residents["taro"], outcome="escalation"), final=True
    )
    # then the coordinator and the outreach worker have it waiting, a consultant not
    assert waiting_for(personas["coordinator"], None).needs == 1
    assert waiting_for(personas["outreach"], None).needs == 1
    assert "needs" not in waiting_for(personas["consultant.elderly"], None).kinds
    body = _home(client_for, "coordinator")
    assert 'href="/consultations/needs/"' in _section(body, "needs")


def test_it_counts_a_draft_for_its_author_only(
    client_for: Any, personas: Any, residents: dict[str, Person]
) -> None:
    draft = save_consultation(
        personas["consultant.elderly"], intake(residents["taro"]), final=False
    )
    assert waiting_for(personas["consultant.elderly"], None).drafts == 1
    assert waiting_for(personas["consultant.toyosu"], None).drafts == 0
    assert waiting_for(personas["consultant.self"], None).drafts == 0
    body = _home(client_for, "consultant.elderly")
    assert f'href="/consultations/{draft.pk}/edit/"' in _section(body, "drafts")
    assert f"/consultations/{draft.pk}/" not in _home(client_for, "consultant.toyosu")


def test_it_counts_a_withdrawal_for_the_agency_that_must_notice_it(
    client_for: Any, personas: Any, consent: Consent
) -> None:
    # given Taro tells the self-reliance centre that he withdraws the consent
    # Kitasuna recorded
    withdraw_consent(
        personas["consultant.self"],
        consent.pk,
        WithdrawalInput(said_on=clock.today().isoformat(), channel="phone", told_to="自立 太郎"),
    )
    # then Kitasuna has it to notice, the centre that recorded it does not
    assert waiting_for(personas["consultant.elderly"], None).withdrawals == 1
    assert waiting_for(personas["consultant.self"], None).withdrawals == 0
    assert waiting_for(personas["consultant.toyosu"], None).withdrawals == 0
    assert "山田　太郎" in _section(_home(client_for, "consultant.elderly"), "withdrawals")
    # and once taken note of, it no longer waits
    mark_withdrawal_seen(personas["consultant.elderly"], consent.pk)
    assert waiting_for(personas["consultant.elderly"], None).withdrawals == 0


def _deciding(username: str, agency: str, role: str = Role.COORDINATOR) -> Staff:
    return Staff.objects.create(
        username=username, agency=Agency.objects.get(code=agency), roles=[role]
    )


def test_it_counts_the_support_meeting_decisions_the_viewer_may_confirm(
    personas: Any, residents: dict[str, Person]
) -> None:
    # given two pending decisions: one recorded by the multi-agency coordinator,
    # one by a deciding member at Kitasuna, and one already ended
    kitasuna = _deciding("deciding.kitasuna", "lsc-16")
    ward = _deciding("supervisor.ward", "dept-01", Role.SUPERVISOR)
    agencies = {a.code: a for a in Agency.objects.all()}
    for by, members, ended in (
        (personas["coordinator"], ["mac-01", "lsc-16", "srs-01"], None),
        (kitasuna, ["lsc-16", "mac-01"], None),
        (kitasuna, ["lsc-16", "mac-01"], clock.today()),
    ):
        meeting = SupportMeeting.objects.create(
            person=residents["taro"], decided_on=clock.today(), decided_by=by,
            recorded_agency=by.agency, reason="8050", status=DecisionStatus.PENDING,
            ended_on=ended,
        )  # fmt: skip
        meeting.agencies.set([agencies[c] for c in members])
    # then each viewer's count is the consent service's, in one query
    expected = {"coordinator": 1, "deciding.kitasuna": 1, "supervisor.ward": 2}
    for staff in [*personas.values(), kitasuna, ward]:
        count = waiting_for(staff, None).meetings
        assert count == support_meetings_to_confirm(staff), staff.username
        assert count == expected.get(staff.username, 0), staff.username


def test_it_counts_the_openings_the_supervisor_reviews_without_naming_anyone(
    client_for: Any, personas: Any, residents: dict[str, Person]
) -> None:
    # given a worker at Kitasuna opened Jiro's record at the desk
    AccessOpening.objects.create(
        person=residents["jiro"], agency=personas["consultant.elderly"].agency,
        opened_by=personas["consultant.elderly"], identity_check="document",
        source="test", until=clock.today() + timedelta(days=3),
    )  # fmt: skip
    supervisor = personas["supervisor.elderly"]
    # when the supervisor opens the home page
    client = client_for("supervisor.elderly")
    before = AuditEvent.objects.count()
    body = client.get("/").content.decode()
    # then the count is there, as the review page would list, and no name
    assert waiting_for(supervisor, None).openings == 1
    assert "山田　次郎" not in body
    assert 'href="/people/openings/"' in body
    assert AuditEvent.objects.count() == before  # counts name nobody
    assert len(openings_to_review(supervisor)) == 1


# --- "since the last visit" ----------------------------------------------------


def test_it_shows_an_accepted_referral_as_new_once_after_the_last_visit(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    # given the sender has looked at its home before the answer
    referral = _refer(personas, consultation)
    first = _home(client_for, "consultant.elderly")
    assert "はじめての確認です" in first
    assert waiting_for(personas["consultant.elderly"], None).answered == 0
    # when the receiver accepts
    accept_referral(personas["consultant.self"], referral.pk)
    # then the sender's next home shows it as new, in the badge too
    body = _home(client_for, "consultant.elderly")
    answered = _section(body, "answered")
    assert f'href="/consultations/referrals/{referral.pk}/"' in answered
    assert "新着" in answered and "山田　太郎" in answered
    assert _badge(body) == 1
    # and after that visit it is no longer new
    again = _home(client_for, "consultant.elderly")
    assert _section(again, "answered") == ""
    assert _badge(again) is None


def test_it_treats_nothing_as_new_on_the_first_visit(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = _refer(personas, consultation)
    accept_referral(personas["consultant.self"], referral.pk)
    assert not HomeVisit.objects.filter(staff=personas["consultant.elderly"]).exists()
    body = _home(client_for, "consultant.elderly")
    assert _section(body, "answered") == ""
    assert HomeVisit.objects.filter(staff=personas["consultant.elderly"]).count() == 1


def test_it_takes_an_answer_seen_on_the_worklist_as_no_longer_new(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = _refer(personas, consultation)
    _home(client_for, "consultant.elderly")
    accept_referral(personas["consultant.self"], referral.pk)
    client = client_for("consultant.elderly")
    assert _badge(client.get("/agencies/").content.decode()) == 1
    worklist = client.get("/consultations/").content.decode()
    assert _badge(worklist) is None
    assert _section(_home(client_for, "consultant.elderly"), "answered") == ""


def test_it_shows_the_sender_its_closed_referral(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    # given the receiver accepted and recorded how it ended, after the sender's last visit
    referral = _refer(personas, consultation)
    accept_referral(personas["consultant.self"], referral.pk)
    _home(client_for, "consultant.elderly")
    record_referral_outcome(personas["consultant.self"], referral.pk, outcome="connected")
    # then the sender sees the outcome as new on its home
    assert "つながった" in _section(_home(client_for, "consultant.elderly"), "answered")
    # and on its worklist, for some days, then no more
    worklist = client_for("consultant.elderly").get("/consultations/").content.decode()
    closed = worklist[worklist.index('id="closed"') :]
    assert f'href="/consultations/referrals/{referral.pk}/"' in closed
    assert "つながった" in closed
    assert f"/consultations/referrals/{referral.pk}/" not in (
        client_for("consultant.toyosu").get("/consultations/").content.decode()
    )
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=clock.now() - timedelta(days=RECENTLY_CLOSED_DAYS + 1)
    )
    later = client_for("consultant.elderly").get("/consultations/").content.decode()
    assert f"/consultations/referrals/{referral.pk}/" not in later


def test_it_does_not_announce_to_the_sender_the_outcome_it_recorded_itself(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = _refer(personas, consultation)
    decline_referral(personas["consultant.self"], referral.pk, reason="対象外")
    _home(client_for, "consultant.elderly")  # sees the decline
    record_referral_outcome(personas["consultant.elderly"], referral.pk, outcome="not_eligible")
    assert (
        waiting_for(personas["consultant.elderly"], clock.now() - timedelta(seconds=1)).answered
        == 0
    )


# --- the badge -----------------------------------------------------------------


def test_it_shows_the_total_in_the_header_badge_and_hides_it_at_zero(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    client = client_for("consultant.self")
    assert 'class="waiting-badge"' not in client.get("/agencies/").content.decode()
    # given a referral waiting and a draft of the receiver's own
    _refer(personas, consultation)
    save_consultation(
        personas["consultant.self"], intake(None, service="self_reliance"), final=False
    )
    # then the badge on any page says two, with its words, and links to the home list
    body = client.get("/agencies/").content.decode()
    assert _badge(body) == 2 == badge_for(personas["consultant.self"]).total
    assert 'href="/#waiting"' in body
    # and the home page's badge and tiles agree
    home = _home(client_for, "consultant.self")
    assert _badge(home) == 2
    assert "2件" in home[home.index('id="waiting"') :]


@pytest.mark.parametrize("who", ["outsider", "council"])
def test_it_shows_no_personal_data_and_no_badge_to_outsiders_and_council_members(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent, who: str
) -> None:
    referral = _refer(personas, consultation)
    Referral.objects.filter(pk=referral.pk).update(due_at=clock.now() - timedelta(days=1))
    before = AuditEvent.objects.filter(object_type="accounts.home").count()
    body = _home(client_for, who)
    assert 'class="waiting-badge"' not in body
    assert 'id="waiting"' not in body
    assert "山田" not in body
    assert badge_for(personas[who]).total == 0
    assert AuditEvent.objects.filter(object_type="accounts.home").count() == before


# --- audit, limits, hostile input ---------------------------------------------


def test_it_audits_every_person_the_home_lists_name(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    referral = _refer(personas, consultation)
    _home(client_for, "consultant.self")
    event = AuditEvent.objects.filter(object_type="accounts.home").order_by("-pk").first()
    assert event is not None
    assert event.actor_username == "consultant.self"
    assert event.detail["persons"] == [referral.person_id]
    assert event.detail["referrals"] == [referral.pk]


def _many_referrals(first: Referral, n: int) -> None:
    """``n`` more referrals like ``first``, each about another person (rows
    made directly: only their number matters here)."""
    for i in range(n):
        person = make_person(name="試験　太郎", kana="シケン　タロウ",
                             birth_date=f"1950-01-{i + 1:02d}", sex="1")  # fmt: skip
        Referral.objects.create(
            consultation=first.consultation, person=person, from_agency=first.from_agency,
            to_agency=first.to_agency, sent_by=first.sent_by, due_at=first.due_at,
            summary=first.summary,
        )  # fmt: skip


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_counts_with_a_few_queries_whatever_the_number_waiting(
    client_for: Any,
    personas: Any,
    consultation: Consultation,
    consent: Consent,
    django_assert_max_num_queries: Any,
) -> None:
    # given one referral waiting, then many more
    client = client_for("consultant.self")
    first = _refer(personas, consultation)
    client.get("/")  # the session and the visit row exist from here on
    page_one, home_one = _queries(client, "/agencies/"), _queries(client, "/")
    _many_referrals(first, 3 * HOME_ROWS)
    # then neither the badge on a page nor the home page costs more queries
    assert _queries(client, "/agencies/") == page_one
    assert _queries(client, "/") == home_one
    # and the badge's share stays a handful (the agencies page alone, without it,
    # is the baseline)
    baseline = _queries(client_for("council"), "/")
    with django_assert_max_num_queries(page_one):
        client.get("/agencies/")
    with django_assert_max_num_queries(baseline + 25):
        client.get("/")
    body = client.get("/").content.decode()
    assert _section(body, "incoming").count("/consultations/referrals/") == HOME_ROWS
    assert f"すべて見る（{3 * HOME_ROWS + 1}件）" in body


def test_it_badge_costs_at_most_a_handful_of_queries(
    client_for: Any,
    personas: Any,
    consultation: Consultation,
    consent: Consent,
    django_assert_max_num_queries: Any,
) -> None:
    _many_referrals(_refer(personas, consultation), 3)
    staff = personas["coordinator"]
    with django_assert_max_num_queries(7):
        total = badge_for(staff).total
    assert total == 0  # the coordinator's agency is no side of these referrals
    with django_assert_max_num_queries(6):
        assert badge_for(personas["consultant.self"]).total == 4


def test_it_ignores_whatever_the_home_page_is_sent(
    client_for: Any, personas: Any, consultation: Consultation, consent: Consent
) -> None:
    # given a referral answered, and a visit recorded in the future (a clock
    # set wrong once): nothing is new, nothing fails
    referral = _refer(personas, consultation)
    accept_referral(personas["consultant.self"], referral.pk)
    HomeVisit.objects.create(
        staff=personas["consultant.elderly"], seen_at=clock.now() + timedelta(days=365)
    )
    client = client_for("consultant.elderly")
    hostile = "/?since=1970-01-01&visit=%00%27%22<script>&" + "x=" + "9" * 5000
    response = client.get(hostile)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body.split("<main", 1)[1]
    assert _section(body, "answered") == ""
    assert client.post("/").status_code == 405
