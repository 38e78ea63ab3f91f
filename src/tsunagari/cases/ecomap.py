"""The household map of a case (エコマップ), drawn on the server as SVG from
the case's data, with a text equivalent for screen readers; printable.

It shows the persons the case concerns, who live together (they were chosen
from the person's current household), each with the relation recorded on the
case, and the team's agencies around the household with their roles and the
lead worker's agency marked. Names come from the presenter's views only (a
person the viewer may not see is drawn without a name); no address, phone or
other contact detail is ever drawn, so seals hold in the picture too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext

from tsunagari.cases.models import Case
from tsunagari.people.presenter import PersonView

__all__ = ["HouseholdMap", "household_map"]

WIDTH, HEIGHT = 720, 460
CX, CY = WIDTH / 2, HEIGHT / 2
HOUSE_W, HOUSE_H = 300, 130
RING_X, RING_Y = 300, 190
BOX_W, BOX_H = 176, 44


@dataclass(frozen=True)
class HouseholdMap:
    svg: str  # a complete <svg> element, safe to include as is
    persons: list[str]  # text equivalent: one line per person
    agencies: list[str]  # text equivalent: one line per agency


def _label(view: PersonView | None) -> str:
    if view is not None and view.level == "full":
        return view.name
    return gettext("（表示できない方）")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def household_map(case: Case, views: dict[int, PersonView]) -> HouseholdMap:
    """The map for ``case`` as the viewer sees it (``views``: the presenter's
    views of the persons concerned, by person id)."""
    members = list(case.members.all())
    people = [(case.person_id, gettext("本人"))] + [
        (m.person_id, m.relation or "") for m in members
    ]
    team = list(case.team.select_related("agency"))
    lead_agency = case.lead.agency_id
    title = gettext("事例 %(n)s の世帯と支援の図") % {"n": case.pk}
    persons = [
        gettext("%(name)s（%(relation)s）、同居") % {"name": _label(views.get(pk)), "relation": rel or "—"}
        for pk, rel in people
    ]  # fmt: skip
    agencies = [
        (gettext("%(agency)s: %(role)s（主担当の機関）") if t.agency_id == lead_agency
         else gettext("%(agency)s: %(role)s")) % {"agency": t.agency.name, "role": t.role or "—"}
        for t in team
    ]  # fmt: skip
    desc = gettext("同居している対象者: %(persons)s。支援している機関: %(agencies)s。") % {
        "persons": "、".join(persons), "agencies": "、".join(agencies) or "—"}  # fmt: skip
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="map-title map-desc" class="household-map" font-family="sans-serif">',
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>',
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
    ]
    # the agencies on a ring around the household, each joined to it
    boxes: list[str] = []
    for i, t in enumerate(team):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(team), 1)
        x, y = CX + RING_X * math.cos(angle), CY + RING_Y * math.sin(angle)
        x = min(max(x, BOX_W / 2 + 4), WIDTH - BOX_W / 2 - 4)
        y = min(max(y, BOX_H / 2 + 4), HEIGHT - BOX_H / 2 - 4)
        lead = t.agency_id == lead_agency
        width = 4 if lead else 2
        dash = "" if lead else ' stroke-dasharray="6 4"'
        out.append(f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{CX:.0f}" y2="{CY:.0f}" '
                   f'stroke="#1f4e79" stroke-width="{width}"{dash}/>')  # fmt: skip
        name = escape(_short(t.agency.name, 12))
        role = _short(t.role or "", 11)
        role = escape(gettext("主担当・%(role)s") % {"role": role} if lead else role)
        boxes.append(
            f'<rect x="{x - BOX_W / 2:.0f}" y="{y - BOX_H / 2:.0f}" width="{BOX_W}" height="{BOX_H}" '
            f'rx="6" fill="#eef3f8" stroke="#1f4e79" stroke-width="{width}"/>'
            f'<text x="{x:.0f}" y="{y - 5:.0f}" text-anchor="middle" font-size="12" fill="#111">{name}</text>'
            f'<text x="{x:.0f}" y="{y + 13:.0f}" text-anchor="middle" font-size="11" fill="#333">{role}</text>'
        )  # fmt: skip
    # the household: one enclosure (they live together), a circle per person
    out.append(
        f'<rect x="{CX - HOUSE_W / 2:.0f}" y="{CY - HOUSE_H / 2:.0f}" width="{HOUSE_W}" '
        f'height="{HOUSE_H}" rx="18" fill="#fffdf5" stroke="#7a5c00" stroke-width="2"/>'
        f'<text x="{CX - HOUSE_W / 2 + 10:.0f}" y="{CY - HOUSE_H / 2 + 18:.0f}" font-size="12" '
        f'fill="#5c4500">{escape(gettext("同居"))}</text>'
    )  # fmt: skip
    step = HOUSE_W / (len(people) + 1)
    for i, (pk, rel) in enumerate(people, start=1):
        x = CX - HOUSE_W / 2 + step * i
        main = pk == case.person_id
        out.append(
            f'<circle cx="{x:.0f}" cy="{CY - 8:.0f}" r="18" fill="{"#1f4e79" if main else "#ffffff"}" '
            f'stroke="#1f4e79" stroke-width="{3 if main else 2}"/>'
            f'<text x="{x:.0f}" y="{CY + 28:.0f}" text-anchor="middle" font-size="12" fill="#111">'
            f"{escape(_short(_label(views.get(pk)), 8))}</text>"
            f'<text x="{x:.0f}" y="{CY + 44:.0f}" text-anchor="middle" font-size="11" fill="#333">'
            f"{escape(_short(rel, 8))}</text>"
        )  # fmt: skip
    out.extend(boxes)
    out.append("</svg>")
    return HouseholdMap("".join(out), persons, agencies)
