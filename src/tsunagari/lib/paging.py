"""Pages of one section of a page that lists several (``_section_pager.html``).

Each section has its own page number in the address (``page``,
``waiting_page``, ...), and its links keep the other sections' numbers and
come back to the section's heading, so paging one list leaves the others
where they were.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page

__all__ = ["section"]


def section(pages: dict[str, tuple[Page[Any], str]], name: str) -> dict[str, Any]:
    """The pager of section ``name`` of ``pages`` ({section: (page, its address
    parameter)}): the page, the section's whole count, and the addresses of
    the previous and next pages ("" at either end)."""
    page, param = pages[name]
    numbers = {p: pg.number for pg, p in pages.values()}

    def href(n: int) -> str:
        return "?" + urlencode({**numbers, param: n}) + f"#{name}"

    return {
        "page": page,
        "total": page.paginator.count,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
    }
