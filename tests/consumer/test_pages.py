"""The pages: the centre's list, forms and alert page; the watch network's inbox
and report; refusals with a reason; no person on any of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.consumer.conftest import SEALED_ADDRESS, alert_input
from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditEvent
from tsunagari.consumer.models import Alert, AlertStatus, Delivery
from tsunagari.consumer.services import create_alert, issue_alert

ClientFor = Callable[[str], Client]


def _form(**kwargs: Any) -> dict[str, Any]:
    data = alert_input(**kwargs)
    return {"kind": data.kind, "title": data.title, "description": data.description,
            "advice": data.advice, "source": data.source, "police_station": data.police_station,
            "areas": data.areas}  # fmt: skip


def test_the_centre_writes_issues_and_reads_an_alert(
    client_for: ClientFor, ward: dict[str, Any]
) -> None:
    client = client_for("consumer")
    assert client.get("/consumer/new/").status_code == 200
    response = client.post("/consumer/new/", _form())
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/consumer/{alert.pk}/"
    page = client.get(f"/consumer/{alert.pk}/").content.decode()
    assert "発信する" in page and alert.title in page
    client.post(f"/consumer/{alert.pk}/issue/", {"version": alert.version})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ISSUED
    page = client.get(f"/consumer/{alert.pk}/").content.decode()
    assert "砂町地区民生委員・児童委員協議会" in page and "訪問の依頼: 3 人" in page
    assert "区の指定職員が直接対応: 1 人" in page
    # the page names nobody
    for person in ward.values():
        assert person.surname + " " not in page and person.full_name not in page
    assert SEALED_ADDRESS not in page
    listing = client.get("/consumer/").content.decode()
    assert alert.reference in listing and "0 / 3 機関" in listing


def test_a_form_with_mistakes_says_what_to_fix(client_for: ClientFor) -> None:
    response = client_for("consumer").post("/consumer/new/", _form(areas=[], title=""))
    assert response.status_code == 422
    page = response.content.decode()
    assert "対象の町を1つ以上選んでください。" in page and "件名を入力してください" in page
    assert not Alert.objects.exists()


def test_withdrawing_from_the_page_needs_a_reason(
    client_for: ClientFor, personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = issue_alert(personas["consumer"], create_alert(personas["consumer"], alert_input()).pk)
    client = client_for("consumer")
    response = client.post(f"/consumer/{alert.pk}/close/", {"to": "withdrawn", "note": "",
                                                            "version": alert.version})  # fmt: skip
    assert response.status_code == 422
    client.post(f"/consumer/{alert.pk}/close/", {"to": "withdrawn", "note": "誤り",
                                                 "version": alert.version})  # fmt: skip
    alert.refresh_from_db()
    assert alert.status == AlertStatus.WITHDRAWN
    page = (
        client_for("commissioner")
        .get(f"/consumer/inbox/{Delivery.objects.get(alert=alert, agency__code='msd-08').pk}/")
        .content.decode()
    )
    assert "取り下げられました" in page


def test_others_are_refused_the_centres_pages_with_a_reason_and_audited(
    client_for: ClientFor, personas: dict[str, Staff]
) -> None:
    alert = create_alert(personas["consumer"], alert_input())
    for name in ("commissioner", "outreach", "planner", "outsider"):
        client = client_for(name)
        for url in ("/consumer/", "/consumer/new/", f"/consumer/{alert.pk}/edit/"):
            response = client.get(url)
            assert response.status_code == 403, (name, url)
            assert "権限がありません" in response.content.decode()
        assert client.post(f"/consumer/{alert.pk}/issue/").status_code == 403
    # a draft is not shown to a recipient either
    assert client_for("commissioner").get(f"/consumer/{alert.pk}/").status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_type="consumer.alert").exists()
    assert Alert.objects.get().status == AlertStatus.DRAFT


def test_the_watch_network_reads_its_inbox_and_reports_a_count(
    client_for: ClientFor, personas: dict[str, Staff], ward: dict[str, Any]
) -> None:
    alert = issue_alert(personas["consumer"], create_alert(personas["consumer"], alert_input()).pk)
    elsewhere = issue_alert(personas["consumer"], create_alert(
        personas["consumer"], alert_input(areas=["豊洲"], title="豊洲の件")).pk)  # fmt: skip
    client = client_for("commissioner")
    page = client.get("/consumer/inbox/").content.decode()
    assert alert.title in page and "豊洲の件" not in page and "未報告" in page
    mine = Delivery.objects.get(alert=alert, agency__code="msd-08")
    # the alert's page leads a recipient to its own delivery
    response = client.get(f"/consumer/{alert.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/consumer/inbox/{mine.pk}/"
    page = client.get(f"/consumer/inbox/{mine.pk}/").content.decode()
    assert alert.advice in page
    for person in ward.values():
        assert person.full_name not in page
    assert client.post(f"/consumer/inbox/{mine.pk}/", {"spoke_to": "x"}).status_code == 422
    response = client.post(f"/consumer/inbox/{mine.pk}/", {"spoke_to": "8", "note": "サロンで"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.spoke_to == 8
    assert "声かけ 8 人" in client.get("/consumer/inbox/").content.decode()
    # another agency's delivery and an alert for other towns are refused
    other = Delivery.objects.get(alert=alert, agency__code="lsc-16")
    assert client.get(f"/consumer/inbox/{other.pk}/").status_code == 403
    assert client.post(f"/consumer/inbox/{other.pk}/", {"spoke_to": "3"}).status_code == 403
    assert client.get(f"/consumer/{elsewhere.pk}/").status_code == 403
    assert client_for("council").get("/consumer/inbox/").status_code == 403
    assert client_for("outsider").get("/consumer/inbox/").status_code == 403
