"""A supervisor keeps only their own agency's register; the ward keeps every one.

Each refusal is also checked with the object rule switched off, so the test
shows it is the rule (not something else) that refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tsunagari.accounts import policy
from tsunagari.accounts.models import Agency, Staff
from tsunagari.accounts.policy import Action
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.workforce.models import Qualification, Worker
from tsunagari.workforce.services import WorkerInput, add_worker, record_qualification


@pytest.fixture
def rule_off() -> Iterator[None]:
    """The workforce's object rules removed for one test (restored after)."""
    saved = {k: v for k, v in policy._object_rules.items() if k[0] == Action.MANAGE_WORKFORCE}
    for key in saved:
        del policy._object_rules[key]
    yield
    policy._object_rules.update(saved)


def test_a_supervisor_keeps_their_own_agencys_register(
    personas: dict[str, Staff], agencies: dict[str, Agency], workers: dict[str, Worker]
) -> None:
    supervisor = personas["supervisor.elderly"]  # lsc-16
    assert policy.allowed(supervisor, Action.MANAGE_WORKFORCE, agencies["lsc-16"])
    added = add_worker(supervisor, agencies["lsc-16"], WorkerInput(name="新人 五月"))
    record_qualification(supervisor, added.pk, "social_worker", "2020-04-01")
    assert Qualification.objects.filter(worker=added).count() == 1


@pytest.mark.parametrize("code", ["dept-01", "lsc-08"])
def test_a_supervisor_cannot_change_another_agencys_register(
    personas: dict[str, Staff], agencies: dict[str, Agency], workers: dict[str, Worker], code: str
) -> None:
    supervisor = personas["supervisor.elderly"]
    other = workers["ward"] if code == "dept-01" else workers["toyosu"]
    with pytest.raises(PermissionDenied, match="自分の機関の名簿だけ"):
        add_worker(supervisor, agencies[code], WorkerInput(name="侵入 六郎"))
    with pytest.raises(PermissionDenied):
        record_qualification(supervisor, other.pk, "social_worker", "2020-04-01")
    assert not Qualification.objects.filter(worker=other).exists()


def test_without_the_rule_the_supervisor_would_change_another_register(
    personas: dict[str, Staff], agencies: dict[str, Agency], workers: dict[str, Worker],
    rule_off: None,
) -> None:  # fmt: skip
    supervisor = personas["supervisor.elderly"]
    record_qualification(supervisor, workers["ward"].pk, "social_worker", "2020-04-01")
    assert Qualification.objects.filter(worker=workers["ward"]).exists()


def test_a_supervisor_cannot_see_another_agencys_register_pages(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    client = client_for("supervisor.elderly")
    assert client.get("/workforce/agencies/lsc-16/").status_code == 200
    for url in ("/workforce/agencies/dept-01/", "/workforce/agencies/lsc-08/",
                f"/workforce/workers/{workers['ward'].pk}/",
                f"/workforce/workers/{workers['toyosu'].pk}/",
                "/workforce/agencies/dept-01/supervision/new/",
                "/workforce/agencies/lsc-08/trainings/new/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, url
        assert "福祉 三郎" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor_username="supervisor.elderly",
                                     detail__agency="dept-01").exists()  # fmt: skip


def test_without_the_rule_the_supervisor_would_see_another_register_page(
    client_for: Callable[[str], Client], workers: dict[str, Worker], rule_off: None
) -> None:
    response = client_for("supervisor.elderly").get("/workforce/agencies/dept-01/")
    assert response.status_code == 200 and "福祉 三郎" in response.content.decode()


@pytest.mark.parametrize("username", ["admin", "planner"])
def test_administrators_and_planners_see_every_register(
    client_for: Callable[[str], Client], workers: dict[str, Worker], username: str
) -> None:
    client = client_for(username)
    page = client.get("/workforce/").content.decode()
    assert "福祉部 福祉課" in page and "長寿サポートセンター北砂" in page
    for code in ("dept-01", "lsc-16", "lsc-08"):
        assert client.get(f"/workforce/agencies/{code}/").status_code == 200


@pytest.mark.parametrize("username", ["consultant.elderly", "council", "community", "outsider"])
def test_those_without_the_action_are_refused_with_a_reason(
    client_for: Callable[[str], Client], workers: dict[str, Worker], username: str
) -> None:
    response = client_for(username).get("/workforce/agencies/lsc-16/")
    assert response.status_code == 403


def test_the_supervisors_start_page_is_their_own_register(
    client_for: Callable[[str], Client], workers: dict[str, Worker]
) -> None:
    response = client_for("supervisor.elderly").get("/workforce/")
    assert response.status_code == 302 and response["Location"].endswith(
        "/workforce/agencies/lsc-16/"
    )
