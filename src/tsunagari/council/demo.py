"""Demo data for the council app (filled in below as the app grows)."""

from __future__ import annotations


def load_demo_council(seed: int) -> str:
    return ""
