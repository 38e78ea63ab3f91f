"""Hand-made awareness activities."""

from __future__ import annotations

from typing import Any

from tsunagari.awareness.services import ActivityInput


def talk(**overrides: Any) -> ActivityInput:
    """A public talk on 2026-06-10 in 北砂: 30 people (20 aged 65+, 10 aged 18–64)."""
    values: dict[str, Any] = {
        "title": "地域共生社会を考える講演会", "kind": "lecture", "held_on": "2026-06-10",
        "town": "北砂", "place": "北砂文化センター", "organiser": "地域福祉課",
        "themes": ["kyosei"], "participants": 30,
        "bands": {"age_65_plus": 20, "age_18_64": 10},
    }  # fmt: skip
    values.update(overrides)
    return ActivityInput(**values)
