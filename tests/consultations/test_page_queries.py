"""The staff pages of the load benchmark cost a fixed number of queries,
whatever the number of rows they list (no query per row), and no more than
they do today: a page that starts to cost more fails here before it shows
in bench/load_pages.py.

Each test counts a page with a few rows, adds many more, and counts again.
The pinned maxima are today's counts on this small ward (the session, the
staff member, the header badge, the lists, the presenter, the audit event)
for a page after the sign-in's first: whether the staff member has an
authenticator is asked once per sign-in, whether this is the demo ward once
per process, and neither is counted here.
"""

from __future__ import annotations

from typing import Any

from tests.consultations.conftest import intake
from tests.page_queries import queries
from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.consultations.models import (
    Consultation,
    ConsultationStatus,
    Need,
    NeedKind,
    Referral,
)
from tsunagari.consultations.services import save_consultation, send_referral
from tsunagari.people.models import AgencyLink, LinkBasis, Person

# Today's counts (see the module docstring); raise one only with a reason.
WORKLIST_MAX = 20
HOME_CONSULTANT_MAX = 7
HOME_OUTREACH_MAX = 17
LOOKUP_MAX = 15
API_CONSULTATIONS_MAX = 8


def _linked_person(i: int, agency: str = "lsc-16") -> Person:
    person = make_person(name="試験　太郎", kana="シケン　タロウ",
                         birth_date=f"1950-01-{i % 28 + 1:02d}", sex="1")  # fmt: skip
    AgencyLink.objects.create(
        person=person, agency=Agency.objects.get(code=agency), basis=LinkBasis.SERVICE
    )
    return person


def _consultations(staff: Staff, n: int) -> list[Consultation]:
    return [save_consultation(staff, intake(_linked_person(i)), final=True) for i in range(n)]


def _referrals(base: Referral, n: int) -> None:
    """More referrals like ``base`` (the same sides), each about its own person."""
    for i in range(n):
        Referral.objects.create(
            consultation=base.consultation, person=_linked_person(100 + i),
            from_agency=base.from_agency, to_agency=base.to_agency, sent_by=base.sent_by,
            due_at=base.due_at, summary=base.summary, urgency="soon",
        )  # fmt: skip


def _needs(base: Consultation, staff: Staff, n: int) -> None:
    """Open needs about people the outreach team has no link to (the presenter
    shows them as "known to the ward", with whom to contact)."""
    for i in range(n):
        person = make_person(name="未知　花子", kana="ミチ　ハナコ",
                             birth_date=f"1960-02-{i % 28 + 1:02d}", sex="2")  # fmt: skip
        raised = Consultation.objects.create(agency=base.agency, received_by=staff, person=person,
                                             outcome="outreach", status="recorded")  # fmt: skip
        Need.objects.create(consultation=raised, person=person, kind=NeedKind.OUTREACH,
                            raised_by=staff, raised_agency=base.agency)  # fmt: skip


def test_the_worklist_costs_the_same_queries_for_many_rows(
    counted_client: Any, personas: dict[str, Staff], consent: Any, consultation: Consultation
) -> None:
    # given a consultant with a few consultations and a sent referral
    staff = personas["consultant.elderly"]
    _consultations(staff, 2)
    referral = send_referral(staff, consultation.pk, to_agency="srs-01", summary="家計の相談")
    client = counted_client("consultant.elderly")
    client.get("/consultations/")  # the visit row exists from here on
    few = queries(client, "/consultations/")
    # when many more consultations and referrals are listed
    _consultations(staff, 12)
    _referrals(referral, 12)
    body = client.get("/consultations/").content.decode()
    assert body.count("/consultations/referrals/") >= 13
    # then the page costs no more queries, and no more than today
    assert queries(client, "/consultations/") == few
    assert few <= WORKLIST_MAX


def test_the_worklist_labels_every_row_as_before(
    counted_client: Any, personas: dict[str, Staff], consent: Any, consultation: Consultation
) -> None:
    # the labels read once per page (not once per row) still label every row
    staff = personas["consultant.elderly"]
    _consultations(staff, 3)
    send_referral(staff, consultation.pk, to_agency="srs-01", summary="家計の相談")
    body = counted_client("consultant.elderly").get("/consultations/").content.decode()
    assert body.count('data-label="主な分野"') == 4  # the three above and the consent's one
    assert body.count('data-label="受け取る機関"') == 1
    assert "介護" in body  # the main problem's label, read from the choices
    assert "結果の記録待ち" in body or "送付済み" in body or "送った" in body


def test_the_home_page_costs_the_same_queries_for_many_waiting(
    counted_client: Any, personas: dict[str, Staff], consent: Any, consultation: Consultation
) -> None:
    # given a consultant whose agency sent referrals, and open needs
    staff = personas["consultant.elderly"]
    referral = send_referral(staff, consultation.pk, to_agency="srs-01", summary="家計の相談")
    _needs(consultation, staff, 2)
    consultant, outreach = counted_client("consultant.elderly"), counted_client("outreach")
    consultant.get("/")
    outreach.get("/")
    few = queries(consultant, "/"), queries(outreach, "/")
    # when many more wait
    _referrals(referral, 10)
    _needs(consultation, staff, 10)
    # then neither home page costs more, nor more than today
    assert (queries(consultant, "/"), queries(outreach, "/")) == few
    assert few[0] <= HOME_CONSULTANT_MAX
    assert few[1] <= HOME_OUTREACH_MAX


def test_the_look_up_asks_for_the_front_desk_once_for_many_unknown_people(
    counted_client: Any, personas: dict[str, Staff], settings: Any
) -> None:
    # given people the consultant's agency has no link to, matching one name
    settings.LOOKUP_PER_MINUTE = 1000
    settings.LOOKUP_PER_DAY = 1000
    for i in range(2):
        make_person(
            name="未知　花子", kana="ミチ　ハナコ", birth_date=f"1960-02-{i + 1:02d}", sex="2"
        )
    client = counted_client("consultant.elderly")
    url = "/consultations/lookup/?q=ミチ ハナコ"
    few = queries(client, url)
    # when the look-up finds many more of them (it shows at most ten)
    for i in range(8):
        make_person(
            name="未知　花子", kana="ミチ　ハナコ", birth_date=f"1961-03-{i + 1:02d}", sex="2"
        )
    body = client.get(url).content.decode()
    assert body.count("区に記録のある方") + body.count("ほかの機関") >= 1
    # then it costs no more queries (the desk to contact is read once)
    assert queries(client, url) == few
    assert few <= LOOKUP_MAX


def test_the_consultations_api_costs_the_same_queries_for_many(
    counted_client: Any, personas: dict[str, Staff]
) -> None:
    staff = personas["consultant.elderly"]
    _consultations(staff, 2)
    client = counted_client("consultant.elderly")
    few = queries(client, "/api/consultations")
    _consultations(staff, 10)
    assert len(client.get("/api/consultations").json()) == 12
    assert queries(client, "/api/consultations") == few
    assert few <= API_CONSULTATIONS_MAX
    assert Consultation.objects.filter(status=ConsultationStatus.RECORDED).count() == 12


def test_templates_are_read_and_compiled_once_per_process() -> None:
    # Every page renders several templates: the cached loader keeps them
    # compiled (Django's default when no loaders are listed); listing
    # loaders without it would read and compile them on every request.
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
