"""After completing an action the page goes back only to a council page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tsunagari.council.models import ActionItem, ActionStatus


@pytest.mark.parametrize(
    "back", ["//evil.example/council/", "https://evil.example/council/", "/people/1/",
             "/council/\\\\evil.example", "javascript:alert(1)", "/council/" + "a" * 3000],
)  # fmt: skip
def test_it_goes_to_the_action_list_instead_of_a_hostile_back(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem], back: str
) -> None:
    # given the NPO's open action
    item = actions["overdue"]
    # when the form comes back with a hostile "back"
    response = client_for("council").post(f"/council/actions/{item.pk}/done/", {"back": back})
    # then the action is done and the page goes to the list
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert response.status_code == 302
    assert response["Location"] == "/council/actions/"


def test_it_goes_back_to_the_council_page_it_came_from(
    client_for: Callable[[str], Client], actions: dict[str, ActionItem]
) -> None:
    item = actions["overdue"]
    response = client_for("council").post(
        f"/council/actions/{item.pk}/done/", {"back": "/council/?from=home"}
    )
    assert response["Location"] == "/council/?from=home"
