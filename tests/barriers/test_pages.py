"""The desk's pages for barrier reports: the list and one report, with the
steps taken from the page; refused with a reason to staff without the role."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.audit.models import AuditEvent
from tsunagari.barriers.models import BarrierReport
from tsunagari.barriers.services import report_barrier


def _report() -> BarrierReport:
    return report_barrier(
        where="street", town="大島", description="点字ブロックが途切れています。",
        contact="reporter@example.jp",
    )  # fmt: skip


def test_it_lets_the_community_desk_assign_and_close_a_report(
    client_for: Callable[[str], Client], db: None
) -> None:
    report = _report()
    client = client_for("community")
    listing = client.get("/barriers/").content.decode()
    assert report.reference in listing
    page = client.get(f"/barriers/{report.pk}/").content.decode()
    assert "reporter@example.jp" in page and "道路課" in page
    assert AuditEvent.objects.filter(
        object_type="barriers.report", object_id=str(report.pk), action="view"
    ).exists()
    client.post(
        f"/barriers/{report.pk}/assign/", {"department": "roads", "expected_status": "received"}
    )
    client.post(
        f"/barriers/{report.pk}/move/",
        {"status": "resolved", "expected_status": "assigned", "public_answer": "直しました。"},
    )
    report.refresh_from_db()
    assert (report.status, report.department, report.public_answer) == (
        "resolved",
        "roads",
        "直しました。",
    )
    assert "バリアの報告の対応状況の変更" in client.get(f"/barriers/{report.pk}/").content.decode()


def test_it_tells_the_desk_what_to_fix_when_closing_without_an_answer(
    client_for: Callable[[str], Client], db: None
) -> None:
    report = _report()
    client = client_for("community")
    response = client.post(
        f"/barriers/{report.pk}/move/",
        {"status": "not_actionable", "expected_status": "received", "public_answer": ""},
        follow=True,
    )
    assert "回答" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "received"


def test_it_refuses_the_pages_to_a_consultant_with_a_reason(
    client_for: Callable[[str], Client], db: None
) -> None:
    report = _report()
    client = client_for("consultant.self")
    for url in ("/barriers/", f"/barriers/{report.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "reporter@example.jp" not in response.content.decode()
    response = client.post(
        f"/barriers/{report.pk}/assign/", {"department": "roads", "expected_status": "received"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "received"
