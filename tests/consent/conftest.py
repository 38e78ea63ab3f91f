from __future__ import annotations

from tests.people.conftest import residents  # noqa: F401  (fixture)
