"""Demo liaison council."""

from __future__ import annotations


def load_demo_council(seed: int) -> str:
    """Create the demo council; returns a one-line summary."""
    return "no council data"
