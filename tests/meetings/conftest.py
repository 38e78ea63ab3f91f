"""Fixtures shared with the council and case tests: member organisations, a council
meeting, and the 8050 household of the case tests."""

from __future__ import annotations

from tests.cases.conftest import ward
from tests.council.conftest import meeting, members

__all__ = ["meeting", "members", "ward"]
