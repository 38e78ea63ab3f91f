"""Demo loneliness surveys."""

from __future__ import annotations


def load_demo_surveys(seed: int) -> str:
    """Create the demo surveys; returns a one-line summary."""
    return "no surveys"
