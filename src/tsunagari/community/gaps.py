"""Where a new gathering place would help most: a table by town.

For each of the ward's towns (``resources.towns``: the towns the directory
and the people registry both use):

* **gathering places**: places of the directory (not confidential) in the
  town where a public, running gathering service (居場所, 通いの場, サロン …)
  is held or where an active community activity takes place;
* **regular activities**: active regular activities at places in the town;
* **residents aged 65+**: people of the registry living in the town who are
  65 or older on the day, a count (small ones hidden with ``lib.disclosure``,
  and one more when a single hidden one could be worked out from the total);
* **places per 1,000 residents aged 65+**: hidden with the count it comes from;
* **loneliness**, where a survey round has results: the town's share of
  people who feel lonely at least sometimes, with its 95 % interval, from the
  newest analysed survey (``surveys.results``, its own suppression applied),
  compared with the ward's figure: "higher" when the whole interval lies
  above it, "lower" when wholly below, otherwise no clear difference.

Order: towns whose loneliness is clearly higher than the ward's first, then
fewest places per 1,000 residents aged 65+ (a town with none first, more
older residents first), then the rest; towns whose count is hidden last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext

from tsunagari.community.models import Activity, ActivityKind, ActivityStatus
from tsunagari.lib.disclosure import protect_line
from tsunagari.resources.models import (
    GATHERING_KINDS,
    Location,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from tsunagari.resources.towns import TOWNS

OLDER_AGE = 65
HIGHER = "higher"
LOWER = "lower"
UNCLEAR = "unclear"


@dataclass(frozen=True)
class Loneliness:
    estimate: float  # percent
    low: float
    high: float
    n: int | None

    @property
    def text(self) -> str:
        return f"{self.estimate:.1f}%（{self.low:.1f}〜{self.high:.1f}）"


@dataclass
class TownGap:
    town: str
    places: int
    regular_activities: int
    older: int | None  # residents aged 65+, None when hidden
    per_1000: float | None  # places per 1,000 residents aged 65+
    loneliness: Loneliness | None = None
    compared: str = ""  # HIGHER, LOWER, UNCLEAR or "" (no survey figure)
    rank: int | None = None

    @property
    def compared_label(self) -> str:
        return {
            HIGHER: gettext("区全体より高い"),
            LOWER: gettext("区全体より低い"),
            UNCLEAR: gettext("はっきりした差はない"),
        }.get(self.compared, gettext("調査結果なし"))


@dataclass
class GapTable:
    on: date
    rows: list[TownGap] = field(default_factory=list)
    older_total: int | None = None
    places_total: int = 0
    survey_title: str = ""
    ward_loneliness: Loneliness | None = None
    limit: int = 5


def _older_by_town(on: date) -> dict[str, int]:
    from tsunagari.people.models import Person

    try:
        cutoff = on.replace(year=on.year - OLDER_AGE)
    except ValueError:  # 29 February
        cutoff = on.replace(year=on.year - OLDER_AGE, day=28)
    counts: dict[str, int] = {}
    rows = (
        Person.objects.exclude(town="")
        .filter(birth_date__lte=cutoff)
        .values_list("town", flat=True)
    )
    for town in rows.iterator(chunk_size=5000):
        counts[town] = counts.get(town, 0) + 1
    return counts


def _places_by_town() -> tuple[dict[str, int], dict[str, int]]:
    services = Service.objects.filter(
        x_kind__in=[str(k) for k in GATHERING_KINDS], status=ServiceStatus.ACTIVE,
        is_public=True, x_confidential=False,
    ).values("id")  # fmt: skip
    location_ids = set(
        ServiceAtLocation.objects.filter(service_id__in=services).values_list(
            "location_id", flat=True
        )
    )
    active = Activity.objects.filter(status=ActivityStatus.ACTIVE)
    location_ids |= set(active.values_list("location_id", flat=True))
    places: dict[str, int] = {}
    for town in Location.objects.filter(id__in=location_ids, x_confidential=False).exclude(
        x_town=""
    ).values_list("x_town", flat=True):  # fmt: skip
        places[town] = places.get(town, 0) + 1
    regular: dict[str, int] = {}
    for town in (
        active.filter(kind=ActivityKind.REGULAR).exclude(town="").values_list("town", flat=True)
    ):
        regular[town] = regular.get(town, 0) + 1
    return places, regular


def _loneliness() -> tuple[str, Loneliness | None, dict[str, Loneliness]]:
    from tsunagari.surveys.models import Survey
    from tsunagari.surveys.results import results_for

    survey = (
        Survey.objects.filter(analysis__isnull=False)
        .order_by("-fiscal_year", "-wave", "-pk")
        .first()
    )
    if survey is None:
        return "", None, {}
    results = results_for(survey)
    table = results.tables.get("lonely_any", {})

    def pick(row: object) -> Loneliness | None:
        for cell in (getattr(row, "weighted", None), getattr(row, "unweighted", None)):
            if cell is None or cell.suppressed or cell.estimate is None:
                continue
            if cell.ci_low is None or cell.ci_high is None:
                continue
            return Loneliness(round(cell.estimate * 100, 1), round(cell.ci_low * 100, 1),
                              round(cell.ci_high * 100, 1), cell.n)  # fmt: skip
        return None

    overall = table.get("all", [])
    ward = pick(overall[0]) if overall else None
    towns = {row.level: value for row in table.get("town", []) if (value := pick(row)) is not None}
    return survey.title, ward, towns


def gap_table(on: date) -> GapTable:
    """The gap table for day ``on`` (ages counted on that day), small counts hidden."""
    limit = int(settings.SMALL_CELL_MIN)
    older = _older_by_town(on)
    places, regular = _places_by_town()
    title, ward, lonely = _loneliness()
    towns = [t for t in TOWNS if older.get(t) or places.get(t)]
    towns += sorted(t for t in {*older, *places} if t not in TOWNS)
    counts = [older.get(t, 0) for t in towns]
    protection = protect_line(counts, limit)
    shown = protection.apply(counts)
    table = GapTable(on=on, limit=limit, survey_title=title, ward_loneliness=ward,
                     places_total=sum(places.get(t, 0) for t in towns),
                     older_total=None if protection.total is not None else sum(counts))  # fmt: skip
    for town, count in zip(towns, shown, strict=True):
        n_places = places.get(town, 0)
        per = round(n_places * 1000 / count, 2) if count else None
        row = TownGap(town, n_places, regular.get(town, 0), count, per)
        row.loneliness = lonely.get(town)
        if row.loneliness is not None and ward is not None:
            if row.loneliness.low > ward.estimate:
                row.compared = HIGHER
            elif row.loneliness.high < ward.estimate:
                row.compared = LOWER
            else:
                row.compared = UNCLEAR
        table.rows.append(row)
    ranked = [r for r in table.rows if r.per_1000 is not None]
    ranked.sort(key=lambda r: (r.compared != HIGHER, r.per_1000, -(r.older or 0), r.town))
    rest = [r for r in table.rows if r.per_1000 is None]
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    table.rows = ranked + rest
    return table


def chart_data(table: GapTable) -> dict[str, object]:
    """The numbers the page's two charts draw (the same as the table's)."""
    ranked = [r for r in table.rows if r.per_1000 is not None]
    lonely = [r for r in table.rows if r.loneliness is not None]
    return {
        "places": {
            "towns": [r.town for r in ranked],
            "values": [r.per_1000 for r in ranked],
            "title": gettext("65歳以上1,000人あたりの集いの場の数（少ない町ほど上）"),
            "axis": gettext("か所（65歳以上1,000人あたり）"),
        },
        "loneliness": {
            "towns": [r.town for r in lonely],
            "values": [r.loneliness.estimate for r in lonely if r.loneliness],
            "low": [r.loneliness.low for r in lonely if r.loneliness],
            "high": [r.loneliness.high for r in lonely if r.loneliness],
            "ward": table.ward_loneliness.estimate if table.ward_loneliness else None,
            "title": gettext("孤独感が「たまに」以上ある人の割合（95%信頼区間）"),
            "axis": "%",
            "ward_label": gettext("区全体"),
        },
    }
