"""Models of the app (filled in by the app's own change)."""

from __future__ import annotations
