"""The workforce pages: forms call the actions, pages are audited."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.workforce.models import Qualification, Supervision, Training, Worker


def test_a_supervisor_adds_a_worker_and_a_qualification_from_the_pages(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    client = client_for("supervisor.elderly")
    bad = client.post("/workforce/agencies/lsc-16/", {"name": "", "job": "相談員"})
    assert bad.status_code == 422 and "入力してください" in bad.content.decode()
    client.post("/workforce/agencies/lsc-16/", {"name": "新人 五月", "job": "相談員"})
    worker = Worker.objects.get(name="新人 五月")
    response = client.post(f"/workforce/workers/{worker.pk}/",
                           {"kind": "social_worker", "obtained_on": "2024-03-15"})  # fmt: skip
    assert response.status_code == 302
    assert Qualification.objects.get(worker=worker).kind == "social_worker"
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor_username="supervisor.elderly",
                                     detail__worker=worker.pk).exists()  # fmt: skip


def test_the_cross_agency_page_counts_per_agency_and_only_the_ward_enters_it(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    admin = client_for("admin")
    response = admin.post("/workforce/cross-agency/new/", {
        "title": "合同研修 第1回", "held_on": "2026-01-10", "hours": "3", "organiser": "福祉課",
        "cross_agency": "1", "workers": [str(w.pk) for w in workers.values()]})  # fmt: skip
    course = Training.objects.get()
    assert response.status_code == 302 and course.cross_agency
    page = admin.get("/workforce/cross-agency/?year=2025").content.decode()
    assert "合同研修 第1回" in page and "長寿サポートセンター北砂" in page
    supervisor = client_for("supervisor.elderly")
    assert supervisor.get("/workforce/cross-agency/new/").status_code == 403
    # the supervisor sees the counts, and only their own agency's names
    detail = supervisor.get(f"/workforce/trainings/{course.pk}/").content.decode()
    assert "北砂 一郎" in detail and "福祉 三郎" not in detail and "豊洲 四季" not in detail


def test_an_agencys_course_and_supervision_from_the_forms(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    client = client_for("supervisor.elderly")
    ids = [str(workers["kitasuna1"].pk), str(workers["kitasuna2"].pk)]
    assert client.post("/workforce/agencies/lsc-16/trainings/new/", {
        "title": "虐待対応研修", "held_on": "2026-01-10", "hours": "2", "organiser": "北砂",
        "workers": ids}).status_code == 302  # fmt: skip
    assert Training.objects.get().attendances.count() == 2
    bad = client.post("/workforce/agencies/lsc-16/supervision/new/", {
        "held_on": "2026-01-10", "supervisor": "監督", "format": "individual", "hours": "1",
        "workers": ids})  # fmt: skip
    assert bad.status_code == 422 and "1人を選んで" in bad.content.decode()
    assert client.post("/workforce/agencies/lsc-16/supervision/new/", {
        "held_on": "2026-01-10", "supervisor": "監督", "format": "group", "hours": "1",
        "workers": ids}).status_code == 302  # fmt: skip
    assert Supervision.objects.get().workers.count() == 2
    page = client.get("/workforce/agencies/lsc-16/?year=2025").content.decode()
    assert "虐待対応研修" in page and "グループ" in page


def test_every_page_opens_for_the_ward(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    admin = client_for("admin")
    admin.post("/workforce/cross-agency/new/", {
        "title": "合同研修", "held_on": "2026-01-10", "hours": "3", "organiser": "福祉課",
        "workers": [str(workers["ward"].pk)]})  # fmt: skip
    course = Training.objects.get()
    for url in ("/workforce/", "/workforce/?year=2025", "/workforce/cross-agency/",
                "/workforce/cross-agency/new/", "/workforce/agencies/lsc-16/trainings/new/",
                "/workforce/agencies/lsc-16/supervision/new/", f"/workforce/trainings/{course.pk}/",
                f"/workforce/workers/{workers['toyosu'].pk}/", "/workforce/agencies/npo-05/"):  # fmt: skip
        assert admin.get(url).status_code == 200, url
    # a supervisor adds their own people to the ward's course, and only theirs are offered
    supervisor = client_for("supervisor.elderly")
    page = supervisor.get(f"/workforce/trainings/{course.pk}/").content.decode()
    assert "北砂 一郎" in page and "豊洲 四季" not in page
    supervisor.post(
        f"/workforce/trainings/{course.pk}/", {"workers": [str(workers["kitasuna1"].pk)]}
    )
    assert course.attendances.count() == 2
