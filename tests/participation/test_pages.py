"""The participation pages: a worker's whole flow, and who is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from tsunagari.audit.models import AuditEvent
from tsunagari.participation.models import Opportunity, Placement, PlacementState
from tsunagari.resources.models import Organization

Clients = Callable[[str], Client]


def test_a_worker_builds_a_profile_proposes_and_settles(
    pward: dict[str, Any], client_for: Clients
) -> None:
    c = client_for("participation")
    kazuo = pward["kazuo"]
    page = c.get(reverse("participation:profile", args=[kazuo.pk]))
    assert page.status_code == 200 and "中村　和夫" in page.content.decode()
    saved = c.post(reverse("participation:profile", args=[kazuo.pk]), {
        "interests": ["サロン"], "home_town": "北砂", "languages": ["ja"],
        "free_times": ["MO-am", "TU-pm", "WE-am", "TH-am", "FR-pm"], "goals": "外に出たい",
    })  # fmt: skip
    assert saved.status_code == 302 and saved["Location"].endswith("/suggestions/")
    listed = c.get(saved["Location"]).content.decode()
    assert 'class="reason"' in listed and "提案する" in listed
    source = listed.split('name="source" value="', 1)[1].split('"', 1)[0]
    proposed = c.post(saved["Location"], {"source": source, "reason": "月曜午前"})
    assert proposed.status_code == 302
    placement = Placement.objects.get()
    for state in ("trial", "participating", "settled"):
        moved = c.post(reverse("participation:placement_move", args=[placement.pk]),
                       {"to": state, "version": Placement.objects.get().version})  # fmt: skip
        assert moved.status_code == 302
    assert Placement.objects.get().state == PlacementState.SETTLED
    shown = c.get(reverse("participation:placement", args=[placement.pk])).content.decode()
    assert "定着" in shown and "参加の定着・中止" in shown
    home = c.get(reverse("participation:home")).content.decode()
    assert "フォローアップの予定" in home


def test_it_shows_a_refusal_instead_of_saving_bad_input(
    pward: dict[str, Any], client_for: Clients
) -> None:
    c = client_for("participation")
    page = c.post(reverse("participation:profile", args=[pward["kazuo"].pk]),
                  {"home_town": "渋谷", "languages": ["ja"]})  # fmt: skip
    assert page.status_code == 400 and "江東区の町名から" in page.content.decode()


def test_it_refuses_a_person_another_agency_supports(
    pward: dict[str, Any], client_for: Clients
) -> None:
    c = client_for("participation")
    for name in ("profile", "suggestions"):
        assert c.get(reverse(f"participation:{name}", args=[pward["satomi"].pk])).status_code == 403
    assert AuditEvent.objects.filter(action="denied", person_id=str(pward["satomi"].pk)).exists()


def test_it_refuses_staff_without_the_participation_role(
    pward: dict[str, Any], client_for: Clients
) -> None:
    for who in ("consultant.elderly", "outsider", "council"):
        c = client_for(who)
        for url in (reverse("participation:home"), reverse("participation:hosts"),
                    reverse("participation:profile", args=[pward["kazuo"].pk])):  # fmt: skip
            assert c.get(url).status_code == 403, (who, url)


def test_the_list_shows_only_the_agencys_people(pward: dict[str, Any], client_for: Clients) -> None:
    from tsunagari.lib import clock
    from tsunagari.participation.models import ParticipationProfile

    for p in (pward["kazuo"], pward["satomi"]):
        ParticipationProfile.objects.create(person=p, updated_at=clock.now())
    page = client_for("participation").get(reverse("participation:home")).content.decode()
    assert "中村　和夫" in page and "小林" not in page


def test_the_hosts_page_records_a_created_opportunity(
    pward: dict[str, Any], client_for: Clients
) -> None:
    c = client_for("participation")
    host = Organization.objects.order_by("id").first()
    assert host is not None
    done = c.post(reverse("participation:hosts"), {
        "title": "図書館の本の整理", "kind": "volunteering", "host_id": host.pk, "town": "北砂",
        "free_times": ["TU-am"], "cost_yen": "0", "companion_ok": "on",
    })  # fmt: skip
    assert done.status_code == 302
    assert Opportunity.objects.get().title == "図書館の本の整理"
    page = c.get(reverse("participation:hosts")).content.decode()
    assert "図書館の本の整理" in page and host.name in page
    bad = c.post(reverse("participation:hosts"), {"title": "", "kind": "x"})
    assert bad.status_code == 400


def test_a_refusal_says_why(pward: dict[str, Any], client_for: Clients) -> None:
    page = client_for("participation").get(
        reverse("participation:profile", args=[pward["satomi"].pk])
    )
    assert page.status_code == 403 and "根拠" in page.content.decode()


def test_a_sealed_persons_address_stays_hidden(pward: dict[str, Any], client_for: Clients) -> None:
    from tsunagari.people.models import Person

    Person.objects.filter(pk=pward["kazuo"].pk).update(sealed=True)
    page = client_for("participation").get(
        reverse("participation:profile", args=[pward["kazuo"].pk])
    )
    body = page.content.decode()
    assert page.status_code == 200 and "中村　和夫" in body
    assert "北砂三丁目1番1号" not in body and "閲覧制限のため表示しません" in body
