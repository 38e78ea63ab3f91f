"""Consent forms go back to where they were opened from, never off the site."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "javascript:alert(1)",
               "/\\evil.example", "/" + "a" * 3000],
)  # fmt: skip
def test_it_goes_to_the_worklist_instead_of_a_hostile_next(
    client_for: Callable[[str], Client], target: str
) -> None:
    # given a consultant pressing a notice's button with a hostile next
    client = client_for("consultant.elderly")
    # when
    response = client.post("/consent/999999/withdrawal/seen/", {"next": target})
    # then the page goes to the worklist
    assert response.status_code == 302
    assert response["Location"] == "/consultations/"


def test_it_goes_back_to_a_local_next(client_for: Callable[[str], Client]) -> None:
    client = client_for("consultant.elderly")
    response = client.post(
        "/consent/999999/withdrawal/seen/", {"next": "/consultations/#withdrawals"}
    )
    assert response["Location"] == "/consultations/#withdrawals"
