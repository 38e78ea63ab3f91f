"""Intake's problem areas include 消費者被害 (the ward's addition), in the form and the record."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tsunagari.consultations.intake import ConsultationInput, clean_intake
from tsunagari.consultations.models import ProblemArea


def test_consumer_damage_is_an_area_before_other() -> None:
    values = ProblemArea.values
    assert values[-2:] == ["consumer_damage", "other"]
    assert ProblemArea("consumer_damage").label == "消費者被害"


def test_intake_accepts_consumer_damage_as_the_main_area() -> None:
    cleaned = clean_intake(
        ConsultationInput(
            problems=["other", "consumer_damage", "debt"], main_problem="consumer_damage"
        ),
        final=False,
    )
    assert cleaned["problems"] == ["debt", "consumer_damage", "other"]
    assert cleaned["main_problem"] == "consumer_damage"


def test_the_intake_form_offers_the_area(client_for: Callable[[str], Client]) -> None:
    page = client_for("consultant.elderly").get("/consultations/new/").content.decode()
    assert 'value="consumer_damage"' in page and "消費者被害" in page
