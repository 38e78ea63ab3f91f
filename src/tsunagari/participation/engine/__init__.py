"""The participation matching engine (参加支援のマッチング). No Django import.

A person's :class:`Profile` and the :class:`Opportunity` list in, ranked
:class:`Suggestion` objects with a short Japanese reason out::

    from tsunagari.participation.engine import Profile, rank
    for s in rank(profile, opportunities, travel=table, limit=10):
        print(s.opportunity.title, s.reason)
"""

from __future__ import annotations

from tsunagari.participation.engine.catalogue import Catalogue
from tsunagari.participation.engine.matching import (
    LANGUAGE_LABELS,
    Suggestion,
    eligible,
    rank,
    reasons_for,
    travel_minutes,
)
from tsunagari.participation.engine.model import (
    DAY_NAMES,
    PERIOD_NAMES,
    SMALL_GROUP,
    Opportunity,
    Profile,
    Slot,
    period_of,
)

__all__ = [
    "DAY_NAMES",
    "LANGUAGE_LABELS",
    "PERIOD_NAMES",
    "SMALL_GROUP",
    "Catalogue",
    "Opportunity",
    "Profile",
    "Slot",
    "Suggestion",
    "eligible",
    "period_of",
    "rank",
    "reasons_for",
    "travel_minutes",
]
