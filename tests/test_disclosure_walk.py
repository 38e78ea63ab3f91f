"""Every page and API answer, as every persona, on a ward with the hard cases.

The ward: a sealed mother (佐藤 恵) and her non-sealed son (佐藤 蒼太) in one
household; the mother is also the subject of a referral; other residents
are known to sensitive agencies (disability office, self-reliance support).
Pages come from the URL configuration and operations from the OpenAPI
schema (as the outsider test does), so a page added later is walked too.

Two promises are checked on every response body:
* no sealed address or phone, unless the persona is designated;
* a response that shows a resident's name wrote an audit event naming them.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import timezone

from tests.accounts.test_permissions import _schema, _walk
from tests.people.conftest import make_person, residents  # noqa: F401  (fixture)
from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action, actions_for
from tsunagari.audit.models import AuditEvent
from tsunagari.consent.services import ConsentInput, record_consent
from tsunagari.consultations.services import ConsultationInput, save_consultation, send_referral
from tsunagari.people.models import AgencyLink, Household, LinkBasis, Membership, Person

# "東雲" alone is a town with public places in the directory; the building is not.
SEALED_TRACES = ("東雲レジデンス", "080-3333-4444", "08033334444")
PERSONAS = [
    "admin", "planner", "coordinator", "consultant.self", "consultant.elderly",
    "consultant.toyosu", "consultant.disability", "consultant.child", "supervisor.elderly",
    "outreach", "participation", "community", "disaster", "council", "commissioner", "outsider",
]  # fmt: skip


@pytest.fixture
def ward(personas: dict[str, Staff], residents: dict[str, Person]) -> dict[str, list[int]]:  # noqa: F811
    megumi = residents["megumi"]
    sota = make_person(name="佐藤　蒼太", kana="サトウ　ソウタ", birth_date="2015-04-02", sex="1",
                       address="江東区東雲1-9-40 東雲レジデンス805", phone="080-3333-4444")  # fmt: skip
    home = Household.objects.create(number="H-77", address="江東区東雲1-9-40 東雲レジデンス805")
    Membership.objects.create(household=home, person=megumi, relation="世帯主")
    Membership.objects.create(household=home, person=sota, relation="子")
    for code in ("cfc-03", "lsc-16"):
        AgencyLink.objects.create(person=sota, agency=Agency.objects.get(code=code),
                                  basis=LinkBasis.CASE)  # fmt: skip
    child = personas["consultant.child"]
    today = timezone.localdate()
    about_megumi = save_consultation(child, ConsultationInput(
        channel="visit", service="child", visitor="self", person_id=megumi.pk,
        problems=["dv_abuse"], notes="避難中。"), final=True)  # fmt: skip
    record_consent(child, megumi.pk, ConsentInput(form="with", given_on=today.isoformat(),
                   expires_on=(today + timedelta(days=90)).isoformat(), agencies=["srs-01"],
                   categories=["basic"]))  # fmt: skip
    referral = send_referral(child, about_megumi.pk, to_agency="srs-01", summary="生活費の相談")
    about_sota = save_consultation(personas["consultant.elderly"], ConsultationInput(
        channel="phone", service="elderly", visitor="family", visitor_relation="祖母",
        person_id=sota.pk, problems=["family"], notes="孫のこと。"), final=True)  # fmt: skip
    return {
        "person_id": [megumi.pk, sota.pk, residents["hanako"].pk, residents["taro"].pk],
        "consultation_id": [about_megumi.pk, about_sota.pk],
        "referral_id": [referral.pk],
    }


def _pages(ids: dict[str, list[int]]) -> list[str]:
    pages = []
    for route, _p in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "static/", "signout/", "i18n/")):
            continue
        path = "/" + route.lstrip("^").rstrip("$")
        if "<" not in path:
            pages.append(path)
            continue
        params = [part.split(":")[-1].rstrip(">").split(">")[0] for part in path.split("<")[1:]]
        if len(params) != 1 or params[0] not in ids:
            continue  # objects of other apps: covered by their own refusal tests
        start, rest = path.split("<", 1)
        for value in ids[params[0]]:
            pages.append(f"{start}{value}{rest.split('>', 1)[1]}")
    return sorted(set(pages))


def _api_gets(ids: dict[str, list[int]]) -> list[str]:
    out = []
    for path, methods in _schema()["paths"].items():
        op = methods.get("get")
        if op is None:
            continue
        query = {p["name"]: "サトウ" for p in op.get("parameters", [])
                 if p.get("required") and p["in"] == "query"}  # fmt: skip
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        if "{" not in path:
            out.append(path + suffix)
            continue
        name = path.split("{", 1)[1].split("}", 1)[0]
        for value in ids.get(name, []):
            out.append(path.replace("{" + name + "}", str(value)) + suffix)
    return sorted(set(out))


def _body(response: Any) -> str:
    content = getattr(response, "content", b"")
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else ""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _named(after_seq: int) -> set[str]:
    named: set[str] = set()
    for event in AuditEvent.objects.filter(seq__gt=after_seq):
        named.add(event.person_id)
        named |= {str(p) for p in (event.detail or {}).get("persons", [])}
    return named


@pytest.mark.parametrize("username", PERSONAS)
def test_it_never_leaks_a_sealed_contact_and_audits_every_person_shown(
    client_for: Any, personas: dict[str, Staff], ward: dict[str, list[int]], username: str
) -> None:
    client = client_for(username)
    designated = Action.VIEW_SEALED_CONTACT in actions_for(personas[username])
    # 山田 太郎 is also the forms' example name, so he is walked but not looked for.
    people = {
        str(p.pk): p.full_name
        for p in Person.objects.filter(pk__in=ward["person_id"]).exclude(surname="山田")
    }
    urls = _pages(ward) + [u for u in _api_gets(ward)] + ["/people/?q=サトウ"]
    problems: list[str] = []
    for url in urls:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.get(url)
        body = _body(response)
        if not designated:
            problems += [f"{url}: sealed trace {t}" for t in SEALED_TRACES if t in body]
        shown = {pid for pid, name in people.items() if name in body}
        missing = shown - _named(last)
        if missing:
            problems.append(
                f"{url}: shows {sorted(people[p] for p in missing)} without an audit event"
            )
    assert not problems, "\n".join(problems)


def test_it_walks_the_person_and_referral_pages(ward: dict[str, list[int]]) -> None:
    pages = _pages(ward)
    assert f"/people/{ward['person_id'][1]}/" in pages
    assert f"/consultations/referrals/{ward['referral_id'][0]}/" in pages
    assert any(u.startswith("/api/people/") for u in _api_gets(ward))
