"""Outreach candidates: designated staff list, filter and decide, every view
audited; everyone else is refused. And the person page's panel of the
departments that know a person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.people.conftest import make_person
from tsunagari.accounts.models import Agency, Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.linkage.models import Candidate, LinkageRun, RecordLink, RunStatus
from tsunagari.linkage.runs import departments_for
from tsunagari.people.models import AgencyLink, LinkBasis, Person


@pytest.fixture
def flagged(personas: dict[str, Staff]) -> dict[str, Any]:
    """A finished run with two candidates: an 8050 household nobody supports
    and an isolated elder already served by the Kitasuna longevity centre."""
    parent = make_person(name="鈴木　博", kana="スズキ　ヒロシ", birth_date="1948-01-15",
                         address="江東区亀戸2-3-4", resident_id="1000005")  # fmt: skip
    son = make_person(name="鈴木　浩", kana="スズキ　ヒロシ", birth_date="1978-03-03",
                      address="江東区亀戸2-3-4", resident_id="1000006")  # fmt: skip
    elder = make_person(name="山﨑　恵子", kana="ヤマサキ　ケイコ", birth_date="1945-05-05",
                        address="江東区清澄1-1-1", resident_id="1000016")  # fmt: skip
    AgencyLink.objects.create(
        person=elder, agency=Agency.objects.get(code="lsc-16"), basis=LinkBasis.SERVICE
    )
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    for source, record_id, cluster, person in [
        ("registry", "R05", "P01", parent),
        ("care", "C05", "P01", parent),
        ("registry", "R06", "P02", son),
        ("poverty", "P01", "P02", son),
        ("csw", "W02", "P02", son),
        ("registry", "R16", "P03", elder),
        ("csw", "W05", "P03", elder),
    ]:
        RecordLink.objects.create(
            run=run, source=source, record_id=record_id, cluster=cluster, person=person
        )
    c8050 = Candidate.objects.create(
        run=run, pattern="8050", pattern_ja="8050問題", household_key="H01",
        member_keys=["P01", "P02"], sources=["care", "csw", "poverty", "registry"],
        evidence={
            "parent": {"person_id": "P01", "age": 78, "sources": ["care", "registry"],
                       "attributes": {"care_level": ["要介護3"]}},
            "child": {"person_id": "P02", "age": 48, "sources": ["csw", "poverty", "registry"],
                      "attributes": {"note": ["ひきこもり相談"]}},
        },
    )  # fmt: skip
    c8050.members.set([parent, son])
    alone = Candidate.objects.create(
        run=run, pattern="isolation", pattern_ja="社会的孤立", household_key="H02",
        member_keys=["P03"], sources=["csw", "registry"],
        evidence={"person": {"person_id": "P03", "age": 81, "sources": ["csw", "registry"],
                             "attributes": {}}},
    )  # fmt: skip
    alone.members.set([elder])
    return {"run": run, "8050": c8050, "isolation": alone, "son": son, "elder": elder}


def test_it_lists_candidates_for_designated_staff_and_audits_the_view(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    # When the coordinator (flag access) opens the list
    response = client_for("coordinator").get(reverse("linkage:candidates"))
    # Then both candidates show, and the view is audited with what was shown
    html = response.content.decode()
    assert response.status_code == 200
    assert "8050問題" in html and "社会的孤立" in html
    event = AuditEvent.objects.filter(action="view", object_type="linkage.candidate").last()
    assert event is not None and event.actor_username == "coordinator"
    assert set(event.detail["candidates"]) == {flagged["8050"].pk, flagged["isolation"].pk}


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"known": "no"}, "8050問題", "社会的孤立"),
        ({"known": "yes"}, "社会的孤立", "8050問題"),
        ({"pattern": "isolation"}, "社会的孤立", "8050問題"),
    ],
)
def test_it_filters_candidates_by_agency_contact_and_pattern(
    client_for: Callable[[str], Client],
    flagged: dict[str, Any],
    query: dict[str, str],
    shown: str,
    hidden: str,
) -> None:
    # When outreach staff filter the list
    response = client_for("outreach").get(reverse("linkage:candidates"), query)
    # Then only the matching candidates show
    html = response.content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert shown in table
    assert hidden not in table


def test_it_shows_the_evidence_and_records_a_decision_made_by_a_person(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    url = reverse("linkage:candidate", kwargs={"pk": flagged["8050"].pk})
    # When the coordinator opens the candidate
    page = client.get(url).content.decode()
    # Then the evidence names the members, the sources and why
    assert "鈴木　浩" in page and "生活支援" in page and "介護保険" in page
    assert "ひきこもり相談" in page and "要介護3" in page
    assert AuditEvent.objects.filter(
        action="view", object_type="linkage.candidate", object_id=str(flagged["8050"].pk)
    ).exists()
    # When they record that the household was referred to outreach
    response = client.post(url, {"status": "referred", "note": "CSWと訪問予定"})
    # Then the decision is stored with who made it, and audited
    assert response.status_code == 302
    decided = Candidate.objects.get(pk=flagged["8050"].pk)
    assert decided.status == "referred" and decided.note == "CSWと訪問予定"
    assert decided.decided_by is not None and decided.decided_by.username == "coordinator"
    assert decided.decided_at is not None
    event = AuditEvent.objects.filter(action="update", object_type="linkage.candidate").get()
    assert event.detail["status"] == "referred"


def test_it_refuses_a_decision_without_a_status(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    url = reverse("linkage:candidate", kwargs={"pk": flagged["8050"].pk})
    response = client_for("coordinator").post(url, {"status": "", "note": "x"})
    assert response.status_code == 400
    assert Candidate.objects.get(pk=flagged["8050"].pk).status == "new"


def test_it_never_changes_a_candidate_by_itself(flagged: dict[str, Any]) -> None:
    # Given a fresh run's candidates, nobody has decided anything yet
    assert set(Candidate.objects.values_list("status", flat=True)) == {"new"}
    assert not Candidate.objects.filter(decided_by__isnull=False).exists()


@pytest.mark.parametrize("username", ["consultant.elderly", "council", "outsider", "admin"])
@pytest.mark.parametrize("page", ["list", "detail", "decide"])
def test_it_refuses_candidate_pages_to_anyone_without_the_designation(
    client_for: Callable[[str], Client], flagged: dict[str, Any], username: str, page: str
) -> None:
    client = client_for(username)
    detail = reverse("linkage:candidate", kwargs={"pk": flagged["8050"].pk})
    # When someone without flag access opens a page or posts a decision
    if page == "list":
        response = client.get(reverse("linkage:candidates"))
    elif page == "detail":
        response = client.get(detail)
    else:
        response = client.post(detail, {"status": "not_needed"})
    # Then it is refused, audited as denied, and nothing changed
    assert response.status_code == 403
    assert Candidate.objects.get(pk=flagged["8050"].pk).status == "new"
    assert AuditEvent.objects.filter(action="denied", actor_username=username).exists()


def test_it_refuses_candidate_pages_to_anonymous_visitors(flagged: dict[str, Any]) -> None:
    response = Client().get(reverse("linkage:candidates"))
    assert response.status_code == 302
    assert "/signin/" in response["Location"] or "login" in response["Location"]


def test_it_lists_the_departments_that_know_a_person(flagged: dict[str, Any]) -> None:
    # When the panel's service is asked about the son
    found = departments_for(flagged["son"])
    # Then it names the sources in Japanese, the registry first, with the run date
    assert [d.label for d in found] == ["住民記録", "生活支援", "社会福祉協議会"]
    assert all(d.last_seen == flagged["run"].finished for d in found)


def test_it_ignores_runs_that_did_not_finish(flagged: dict[str, Any]) -> None:
    failed = LinkageRun.objects.create(status=RunStatus.FAILED)
    RecordLink.objects.create(
        run=failed, source="disability", record_id="D9", cluster="P9", person=flagged["son"]
    )
    assert "障害福祉" not in [d.label for d in departments_for(flagged["son"])]


def test_it_renders_the_departments_snippet(flagged: dict[str, Any]) -> None:
    # Given the departments are in the context, the snippet lists them
    son = flagged["son"]
    html = render_to_string(
        "linkage/_departments.html", {"person": son, "departments": departments_for(son)}
    )
    assert "この方を把握している部署" in html
    assert "生活支援" in html and "社会福祉協議会" in html
    assert flagged["run"].finished.strftime("%Y-%m-%d") in html or "最終確認" in html
    # and without them it loads them itself, once the page is shown
    lazy = render_to_string("linkage/_departments.html", {"person": son})
    assert 'hx-trigger="load"' in lazy
    assert reverse("linkage:departments", kwargs={"person_id": son.pk}) in lazy


def test_it_shows_the_panel_only_to_those_entitled_to_see_the_person(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    url = reverse("linkage:departments", kwargs={"person_id": flagged["elder"].pk})
    # The Kitasuna longevity centre serves her: it sees the panel, audited
    response = client_for("consultant.elderly").get(url)
    assert response.status_code == 200
    assert "社会福祉協議会" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="view", person_id=str(flagged["elder"].pk), detail__panel="departments"
    ).exists()
    # Toyosu's centre does not
    assert client_for("consultant.toyosu").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 403


def test_it_shows_nothing_when_no_run_knows_the_person(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    stranger: Person = make_person(
        name="田中　一", birth_date="1960-01-01", address="江東区東陽1-1-1"
    )
    html = render_to_string(
        "linkage/_departments.html", {"person": stranger, "departments": departments_for(stranger)}
    )
    assert "記録はありません" in html


def test_it_shows_the_latest_runs_candidates_with_earlier_decisions_beside_them(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    # Given the 8050 household was referred after the first run
    first = flagged["8050"]
    first.status, first.note = "referred", "訪問済み"
    first.decided_at = timezone.now()
    first.save()
    # and a later run flags the same people again
    later = LinkageRun.objects.create(
        status=RunStatus.DONE, finished=timezone.now() + timezone.timedelta(days=30)
    )
    again = Candidate.objects.create(
        run=later, pattern="8050", pattern_ja="8050問題", household_key="H07",
        member_keys=["P11", "P12"], sources=["care"], evidence={},
    )  # fmt: skip
    again.members.set(first.members.all())
    client = client_for("coordinator")
    # When the coordinator opens the list, only the later run's candidate shows
    html = client.get(reverse("linkage:candidates")).content.decode()
    assert f"/linkage/candidates/{again.pk}/" in html
    assert f"/linkage/candidates/{first.pk}/" not in html
    everything = client.get(reverse("linkage:candidates"), {"runs": "all"}).content.decode()
    assert f"/linkage/candidates/{first.pk}/" in everything
    # and the new candidate shows the earlier decision, which it did not take over
    detail = client.get(reverse("linkage:candidate", kwargs={"pk": again.pk})).content.decode()
    assert "同じ方々についての過去の判断" in detail and "訪問済み" in detail
    again.refresh_from_db()
    assert again.status == "new"


def test_it_pages_candidates_and_keeps_the_filters(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    run = Candidate.objects.first().run  # type: ignore[union-attr]
    for i in range(60):
        Candidate.objects.create(run=run, pattern="isolation", pattern_ja="社会的孤立",
                                 household_key=f"HX{i:02d}", member_keys=["PX"])  # fmt: skip
    page = (
        client_for("coordinator")
        .get(reverse("linkage:candidates"), {"pattern": "isolation"})
        .content.decode()
    )
    assert "?pattern=isolation&amp;page=2" in page


def test_it_refuses_a_huge_decision_note_and_keeps_the_candidate_as_it_was(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    candidate = Candidate.objects.order_by("pk").first()
    assert candidate is not None
    response = client_for("coordinator").post(
        reverse("linkage:candidate", args=[candidate.pk]),
        {"status": "referred", "note": "x" * 5000},
    )
    assert response.status_code == 400
    assert "入力内容を確認してください。" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "new" and candidate.note == ""


def test_it_names_the_residents_of_a_candidate_in_the_audit_log(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    # When the coordinator opens the 8050 candidate
    client_for("coordinator").get(reverse("linkage:candidate", kwargs={"pk": flagged["8050"].pk}))
    # Then "who looked at the son" finds it: the presenter named both residents
    from tsunagari.audit.services import events_about

    assert events_about(flagged["son"].pk).filter(object_type="linkage.candidate").exists()


def test_it_never_shows_the_registry_seal_as_evidence(
    client_for: Callable[[str], Client], flagged: dict[str, Any]
) -> None:
    # given the registry marks the elder with a DV support measure (閲覧制限)
    alone = flagged["isolation"]
    alone.evidence["person"]["attributes"] = {"sealed": ["1"], "care_level": ["要介護1"]}
    alone.save(update_fields=["evidence"])
    # when the coordinator opens the candidate
    body = (
        client_for("coordinator")
        .get(reverse("linkage:candidate", kwargs={"pk": alone.pk}))
        .content.decode()
    )
    # then the care level is evidence, the seal is not
    assert "要介護1" in body
    assert "閲覧制限" not in body and "sealed" not in body


@pytest.mark.parametrize(
    ("since_days", "until_days", "marked"),
    [(-30, None, True), (-30, 30, True), (-30, 0, True), (-60, -1, False), (5, None, False)],
)
def test_it_marks_a_candidate_whose_member_an_agency_works_with_today(
    client_for: Callable[[str], Client],
    flagged: dict[str, Any],
    since_days: int,
    until_days: int | None,
    marked: bool,
) -> None:
    # Given the 8050 household's son linked to an agency from / until those days
    today = timezone.localdate()
    AgencyLink.objects.create(
        person=flagged["son"], agency=Agency.objects.get(code="srs-01"), basis=LinkBasis.CASE,
        since=today + timedelta(days=since_days),
        until=None if until_days is None else today + timedelta(days=until_days),
    )  # fmt: skip
    # When the list is opened
    html = client_for("outreach").get(reverse("linkage:candidates")).content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    row = next(r for r in table.split("</tr>") if "8050問題" in r)
    # Then the household shows as served only while the link holds today
    assert ("支援中の機関あり" in row) is marked
    assert ("つながりなし" in row) is not marked
    # and the "known / not known to an agency" filter agrees with the mark
    for known, listed in (("yes", marked), ("no", not marked)):
        page = client_for("outreach").get(reverse("linkage:candidates"), {"known": known})
        body = page.content.decode()
        rows = body[body.index("<tbody>") : body.index("</tbody>")]
        assert ("8050問題" in rows) is listed, known
