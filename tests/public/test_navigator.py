"""「どこに相談すればいいの？」: plain questions lead to the right windows,
and emergencies lead to the right lines first."""

from __future__ import annotations

from django.test import Client

from tsunagari.resources.models import HsdsRecord, Service


def _page(client: Client, query: str) -> str:
    response = client.get(f"/public/soudan/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_it_asks_three_plain_questions(directory: int, client: Client) -> None:
    body = _page(client, "")
    assert "だれのことで困っていますか" in body
    assert "何について困っていますか" in body
    assert "どこに住んでいますか" in body


def test_it_leads_an_older_persons_worry_to_the_local_longevity_centre(
    directory: int, client: Client
) -> None:
    # given a longevity centre whose area covers a town
    area = HsdsRecord.objects.filter(table="service_areas").order_by("record_id").first()
    centre = Service.objects.get(id=area.data["service_id"])
    town = area.data["name"]
    # when a family member asks about care for someone living there
    body = _page(client, f"who=family&topic=elderly&town={town}")
    # then that centre is shown with hours, phone, access and what to bring
    assert centre.name in body
    assert "毎週 月・火・水・木・金・土 09:00〜17:00" in body
    assert 'href="tel:' in body
    assert "介護保険被保険者証" in body
    assert "江東区" in body


def test_it_asks_for_the_town_when_it_matters(directory: int, client: Client) -> None:
    body = _page(client, "who=self&topic=elderly&town=")
    assert "町名を選ぶと" in body


def test_it_shows_the_dv_line_before_any_window(directory: int, client: Client) -> None:
    # given someone facing violence at home
    body = _page(client, "who=self&topic=violence")
    # then the DV line and the police come first in the results
    results = body[body.index('id="results"') :]
    assert "#8008" in results and "110" in results
    assert results.index("#8008") < results.index("福祉の総合相談窓口")
    assert 'href="tel:%238008"' in results


def test_it_shows_the_abuse_dial_for_a_child_at_risk(directory: int, client: Client) -> None:
    body = _page(client, "who=neighbour&topic=abuse")
    results = body[body.index('id="results"') :]
    assert "189" in results
    assert "ご本人の同意がなくても" in results


def test_it_shows_suicide_prevention_lines(directory: int, client: Client) -> None:
    results = _page(client, "topic=suicide")
    assert "0570-783-556" in results and "0120-279-338" in results and "119" in results


def test_it_always_offers_the_window_that_takes_any_worry(directory: int, client: Client) -> None:
    body = _page(client, "who=self&topic=unknown")
    assert "福祉の総合相談窓口（なんでも相談）" in body


def test_it_ignores_unknown_answers(directory: int, client: Client) -> None:
    body = _page(client, "who=<x>&topic=<script>&town=nowhere")
    assert "<script>" not in body
