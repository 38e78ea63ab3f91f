"""The pages of a case's work: assessment, plan (revisions, conflict, agreement,
monitoring), conferences; who may open them, and what they never show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import ADDRESS, PHONE, meeting_for, open_for
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import (
    Assessment,
    Case,
    Conference,
    MonitoringNote,
    Regime,
    Stage,
    SupportPlan,
)
from tsunagari.consultations.limits import working_calendar
from tsunagari.lib import clock

Clients = Callable[[str], Client]
TEAM = ("mac-01", "srs-01", "lsc-16", "cfc-03")


def working(days: int) -> str:
    return working_calendar().add_working_days(clock.today(), days).isoformat()


@pytest.fixture
def sm_case(ward: dict[str, Any], personas: dict[str, Staff]) -> Case:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    return open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)


def plan_post(version: int, goal: str) -> dict[str, Any]:
    return {"version": str(version), "goal": [goal, ""],
            "action_id": ["", ""], "action_text": ["介護サービスの見直し", ""],
            "action_agency": ["lsc-16", ""], "action_due": [working(10), ""],
            "review_on": working(40)}  # fmt: skip


def test_the_coordinator_assesses_plans_holds_a_conference_and_agrees(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    client = client_for("coordinator")
    base = f"/cases/{sm_case.pk}"
    # assessment: the form, then a version recorded
    page = client.get(f"{base}/assessment/").content.decode()
    assert "本人の言葉" in page and "高橋　ふみ" in page and ADDRESS not in page
    response = client.post(f"{base}/assessment/", {
        "person": str(ward["mother"].pk), "care-situation": "要介護2",
        "care-own_words": "この家で暮らしたい", "care-strengths": "近所づきあい"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"{base}/assessment/").content.decode()
    assert "「この家で暮らしたい」" in page and "第1版" in page
    # an empty one is refused with the message, nothing recorded
    refused = client.post(f"{base}/assessment/", {"person": str(ward["mother"].pk)})
    assert refused.status_code == 422 and "少なくとも1つ" in refused.content.decode()
    assert Assessment.objects.count() == 1
    # plan: saved from the form
    assert client.post(f"{base}/plan/", plan_post(0, "家で暮らし続けたい")).status_code == 302
    page = client.get(f"{base}/plan/").content.decode()
    assert "「家で暮らし続けたい」" in page and "未合意" in page
    # conference: the papers rule is on the form and the minutes page
    form = client.get(f"{base}/conferences/new/").content.decode()
    assert "会議の資料は会議の外へ渡しません" in form
    response = client.post(f"{base}/conferences/new/", {
        "held_on": clock.today().isoformat(), "agency": ["mac-01", "lsc-16"],
        "role-lsc-16": "介護サービスの調整", "staff": ["coordinator"], "agenda": "方針",
        "minutes": "状況を共有", "decisions": "プランに合意"})  # fmt: skip
    held = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}/conferences/{held.pk}/"
    minutes = client.get(f"{base}/conferences/{held.pk}/").content.decode()
    assert "資料は会議の外へ渡しません" in minutes and "介護サービスの調整" in minutes
    assert "出力や印刷の機能はありません" in minutes
    # agreement at the conference, with the person's agreement
    client.post(f"{base}/plan/agree/", {"version": "1", "conference": str(held.pk),
                                        "person_agreed": "yes"})  # fmt: skip
    plan = SupportPlan.objects.get()
    assert plan.agreed_version == 1
    sm_case.refresh_from_db()
    assert sm_case.stage == Stage.SUPPORT
    # monitoring from the plan page
    action = plan.actions.get()
    client.post(f"{base}/monitoring/", {"action": str(action.pk), "progress": "on_track",
                                        "note": "週2回のデイサービス開始"})  # fmt: skip
    assert MonitoringNote.objects.get().note == "週2回のデイサービス開始"
    page = client.get(f"{base}/plan/").content.decode()
    assert "週2回のデイサービス開始" in page and "会議で合意済み" in page
    # the case page links the work, and its timeline names each step
    detail = client.get(f"{base}/").content.decode()
    for step in ("事例のアセスメント（第1版）", "事例の会議の開催（支援会議）",
                 "支援プランの合意（第1版）", "事例のモニタリング（進んでいる）"):  # fmt: skip
        assert step in detail, step
    assert f"{base}/conferences/{held.pk}/" in detail and f"{base}/plan/" in detail


def test_a_stale_save_shows_both_texts_and_keeps_the_typed_one(
    sm_case: Case, client_for: Clients
) -> None:
    base = f"/cases/{sm_case.pk}"
    first, second = client_for("coordinator"), client_for("coordinator")
    first.post(f"{base}/plan/", plan_post(0, "最初の目標"))
    # both open version 1; the first saves, then the second
    assert first.post(f"{base}/plan/", plan_post(1, "一人目の変更")).status_code == 302
    response = second.post(f"{base}/plan/", plan_post(1, "二人目の変更"))
    body = response.content.decode()
    assert response.status_code == 409
    assert "一人目の変更" in body and 'value="二人目の変更"' in body and "消えていません" in body
    # the form now carries the newest version, so saving again on purpose works
    assert 'name="version" value="2"' in body
    plan = SupportPlan.objects.get()
    assert plan.version == 2 and plan.goals == ["一人目の変更"]
    # the history shows every revision and what changed
    history = first.get(f"{base}/plan/").content.decode()
    assert "第1版" in history and "第2版" in history and "削除: 目標: 最初の目標" in history


def test_an_agency_off_the_team_gets_none_of_the_work_pages(
    sm_case: Case, client_for: Clients
) -> None:
    client = client_for("consultant.disability")
    base = f"/cases/{sm_case.pk}"
    for url in ("assessment/", "plan/", "conferences/new/"):
        assert client.get(f"{base}/{url}").status_code == 403, url
    assert (
        client.post(f"{base}/monitoring/", {"action": "1", "progress": "done"}).status_code == 403
    )
    assert AuditEvent.objects.filter(action="denied", object_type="cases.case").count() >= 4


def test_an_unconfirmed_member_is_sent_to_the_confirmation_step(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    coordinator = client_for("coordinator")
    base = f"/cases/{sm_case.pk}"
    coordinator.post(f"{base}/conferences/new/", {
        "held_on": clock.today().isoformat(), "agency": ["mac-01"], "minutes": "秘密の議事録"})  # fmt: skip
    held = Conference.objects.get()
    client = client_for("consultant.elderly")
    for url in ("assessment/", "plan/", f"conferences/{held.pk}/"):
        response = client.get(f"{base}/{url}")
        assert response.status_code == 302 and response["Location"] == f"{base}/", url
    # after confirming, the minutes open; the member (not coordinating) cannot record a conference
    client.post(f"{base}/confidentiality/")
    assert "秘密の議事録" in client.get(f"{base}/conferences/{held.pk}/").content.decode()
    assert client.get(f"{base}/conferences/new/").status_code == 403


def test_work_pages_never_show_the_sealed_households_address(
    ward: dict[str, Any], sm_case: Case, client_for: Clients
) -> None:
    client = client_for("consultant.elderly")
    base = f"/cases/{sm_case.pk}"
    client.post(f"{base}/confidentiality/")
    for url in ("assessment/", "plan/"):
        body = client.get(f"{base}/{url}").content.decode()
        assert "高橋　健二" in body or url == "plan/"
        assert ADDRESS not in body and PHONE not in body, url


def test_the_api_reads_plan_and_conferences_under_the_same_rules(
    sm_case: Case, client_for: Clients
) -> None:
    coordinator = client_for("coordinator")
    base = f"/cases/{sm_case.pk}"
    assert coordinator.get(f"/api/cases/{sm_case.pk}/plan").status_code == 404
    coordinator.post(f"{base}/plan/", plan_post(0, "家で暮らし続けたい"))
    coordinator.post(f"{base}/conferences/new/", {
        "held_on": clock.today().isoformat(), "agency": ["mac-01"], "minutes": "秘密の議事録"})  # fmt: skip
    plan = coordinator.get(f"/api/cases/{sm_case.pk}/plan").json()
    assert plan["version"] == 1 and plan["goals"] == ["家で暮らし続けたい"]
    assert plan["actions"][0]["agency"] == "lsc-16" and len(plan["revisions"]) == 1
    assert (
        coordinator.get(f"/api/cases/{sm_case.pk}/conferences").json()[0]["minutes"]
        == "秘密の議事録"
    )
    # an agency off the team, and a member who has not confirmed, get 403 with the reason
    off = client_for("consultant.disability").get(f"/api/cases/{sm_case.pk}/conferences")
    assert off.status_code == 403
    member = client_for("consultant.elderly")
    refused = member.get(f"/api/cases/{sm_case.pk}/conferences")
    assert refused.status_code == 403 and "守秘義務" in refused.json()["detail"]
    member.post(f"{base}/confidentiality/")
    assert member.get(f"/api/cases/{sm_case.pk}/conferences").status_code == 200
    assert AuditEvent.objects.filter(reason="case conferences (api)").count() == 2


def test_the_list_shows_cases_without_a_plan_reviews_due_and_overdue_actions(
    sm_case: Case, client_for: Clients
) -> None:
    from datetime import datetime, time

    from django.utils import timezone

    from tsunagari.cases.services import PLAN_EXPECTED_DAYS

    client = client_for("coordinator")
    base = f"/cases/{sm_case.pk}"
    client.post(f"{base}/plan/", plan_post(0, "家で暮らし続けたい"))
    plan = SupportPlan.objects.get()
    assert plan.review_on is not None
    later = working_calendar().add_working_days(plan.review_on, 1)
    at = datetime.combine(later, time(10), tzinfo=timezone.get_current_timezone())
    assert working_calendar().working_days_between(clock.today(), later) > PLAN_EXPECTED_DAYS
    with clock.frozen(at):
        page = client.get("/cases/").content.decode()
    assert "支援プランの合意がない事例" in page and "見直しの日から1開庁日" in page
    assert "期限を過ぎた支援" in page and "介護サービスの見直し" in page
    # today none of it is due
    page = client.get("/cases/").content.decode()
    assert "支援プランの合意がない事例" not in page and "期限を過ぎた支援" not in page


def test_each_agency_sees_the_actions_it_is_responsible_for(
    sm_case: Case, client_for: Clients
) -> None:
    client_for("coordinator").post(f"/cases/{sm_case.pk}/plan/", plan_post(0, "家で暮らす"))
    elderly = client_for("consultant.elderly")
    # not before confirming the duty
    assert "あなたの機関が担当する支援" not in elderly.get("/cases/").content.decode()
    elderly.post(f"/cases/{sm_case.pk}/confidentiality/")
    page = elderly.get("/cases/").content.decode()
    assert "あなたの機関が担当する支援" in page and "介護サービスの見直し" in page
    # the self-reliance centre is not responsible for it
    other = client_for("consultant.self")
    other.post(f"/cases/{sm_case.pk}/confidentiality/")
    assert "あなたの機関が担当する支援" not in other.get("/cases/").content.decode()
    # once done, it leaves the worklist
    action = SupportPlan.objects.get().actions.get()
    elderly.post(f"/cases/{sm_case.pk}/monitoring/", {"action": str(action.pk), "progress": "done"})
    assert "あなたの機関が担当する支援" not in elderly.get("/cases/").content.decode()


def test_under_consent_each_agency_sees_only_the_sections_the_person_agreed_to(
    ward: dict[str, Any], personas: dict[str, Staff], client_for: Clients
) -> None:
    from tests.cases.conftest import consent_for
    from tsunagari.cases.access import NO_SUPPORT_SECTION
    from tsunagari.cases.services import AreaInput, AssessmentInput, record_assessment

    # the mother shares health and family matters, not money nor her support record
    consent_for(ward, personas, ["mac-01", "lsc-16"], son=False,
                categories=("basic", "health", "family"))  # fmt: skip
    case = open_for(ward, personas, Regime.LAYERED, ("mac-01", "lsc-16"), members=False)
    record_assessment(personas["coordinator"], case.pk, AssessmentInput(
        person=str(ward["mother"].pk), summary="全体の見立て（非公開）",
        areas=[AreaInput("care", "要介護2"), AreaInput("money", "借金が300万円")]))  # fmt: skip
    client = client_for("consultant.elderly")
    page = client.get(f"/cases/{case.pk}/assessment/").content.decode()
    assert (
        "要介護2" in page and "借金が300万円" not in page and "全体の見立て（非公開）" not in page
    )
    assert "1つの領域は表示しません" in page
    # the plan and the conferences are the support record: refused with the reason
    response = client.get(f"/cases/{case.pk}/plan/")
    assert response.status_code == 403 and str(NO_SUPPORT_SECTION) in response.content.decode()
    assert client.get(f"/api/cases/{case.pk}/conferences").status_code == 403
    # with the support record shared, the same pages open (the rule is not vacuous)
    consent_for(ward, personas, ["mac-01", "lsc-16"], son=False,
                categories=("basic", "health", "family", "support", "money"))  # fmt: skip
    assert client.get(f"/cases/{case.pk}/plan/").status_code == 200
    assert "借金が300万円" in client.get(f"/cases/{case.pk}/assessment/").content.decode()
