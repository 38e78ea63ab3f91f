"""The sections of a person's record, and which consent category opens which.

This is the one mapping from the categories a consent covers
(``consent.InfoCategory``) to what an agency sees under that consent. An
agency on the person's case, under a support meeting, providing a service
or with the person at its desk sees every section; an agency that sees the
person only under a consent sees the sections its consent's categories
open, and always the person's name (shared information must say whom it is
about). No Django import: the presenter and its tests read it alike.
"""

from __future__ import annotations

# Name and reading: who the shared information is about.
IDENTITY = "identity"
# Birth date, sex, address, phone, resident number.
BASIC = "basic"
# The household: members, relations, ages.
HOUSEHOLD = "household"
# What the person consulted about (consultations and their notes).
CONSULTATIONS = "consultations"
# Support given: referrals and their outcomes, needs, consents, meetings.
SUPPORT = "support"
# Health, disability and care.
HEALTH = "health"
# Income, debts, benefits and housing costs.
MONEY = "money"

ALL_SECTIONS: frozenset[str] = frozenset(
    {IDENTITY, BASIC, HOUSEHOLD, CONSULTATIONS, SUPPORT, HEALTH, MONEY}
)

# consent.InfoCategory value -> the sections it opens.
CATEGORY_SECTIONS: dict[str, frozenset[str]] = {
    "basic": frozenset({BASIC}),
    "consultation": frozenset({CONSULTATIONS}),
    "health": frozenset({HEALTH}),
    "money": frozenset({MONEY}),
    "family": frozenset({HOUSEHOLD}),
    "support": frozenset({SUPPORT}),
}


def sections_for_categories(categories: list[str] | None) -> frozenset[str]:
    """The sections a consent with these categories opens (identity always).

    Example:
        >>> sorted(sections_for_categories(["basic"]))
        ['basic', 'identity']
    """
    opened: set[str] = {IDENTITY}
    for category in categories or []:
        opened |= CATEGORY_SECTIONS.get(category, frozenset())
    return frozenset(opened)
