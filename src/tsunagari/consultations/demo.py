"""Demo consultations, consents and referrals."""

from __future__ import annotations


def load_demo_consultations(seed: int) -> str:
    """Create the demo ward's consultations; returns a one-line summary."""
    return "no consultations"
