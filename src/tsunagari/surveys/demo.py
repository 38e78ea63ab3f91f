"""Demo data for the surveys app (filled in below as the app grows)."""

from __future__ import annotations


def load_demo_surveys(seed: int) -> str:
    return ""
