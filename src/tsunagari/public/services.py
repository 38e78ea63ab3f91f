"""What the residents' pages show: the navigator's answer and the place
search. Reads only public entries (never a confidential service or place)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import GATHERING_KINDS, Audience, ResourceKind, Service
from tsunagari.resources.services import Entry, SearchQuery, describe, search_services
from tsunagari.resources.towns import TOWNS


@dataclass(frozen=True)
class Line:
    """A national or emergency phone line. ``check`` marks facts (hours)
    to confirm against the operator's own page before each release."""

    key: str
    name: tuple[str, str, str]
    number: str
    hours: tuple[str, str, str]
    topics: frozenset[str]
    check: bool = False

    @property
    def tel(self) -> str:
        return self.number.replace("#", "%23").replace("-", "")


# Order matters: life in danger first.
LINES: tuple[Line, ...] = (
    Line("police", ("警察（事件・暴力・命の危険）", "けいさつ", "Police"), "110", ("24時間", "いつでも", "24 hours"),
         frozenset({"violence", "abuse", "suicide", "danger"})),
    Line("ambulance", ("救急車（けが・急病・自殺のおそれ）", "きゅうきゅうしゃ", "Ambulance"), "119", ("24時間", "いつでも", "24 hours"),
         frozenset({"suicide", "danger"})),
    Line("dv", ("DV相談ナビ（配偶者などからの暴力）", "DV そうだん ナビ（いえで たたかれる とき）", "DV consultation navi (domestic violence)"),
         "#8008", ("最寄りの相談窓口につながります（受付時間は窓口ごと）", "ちかくの そうだん ばしょに つながります", "Connects to your nearest centre (hours vary)"),
         frozenset({"violence"}), check=True),
    Line("abuse", ("児童相談所 虐待対応ダイヤル", "こどもの ぎゃくたいの でんわ", "Child abuse hotline (child guidance centre)"), "189",
         ("24時間・通話料無料", "いつでも・むりょう", "24 hours, free"), frozenset({"abuse"})),
    Line("yorisoi", ("よりそいホットライン（どんな悩みでも）", "よりそい ホットライン（なんでも）", "Yorisoi hotline (any worry)"), "0120-279-338",
         ("24時間・無料（外国語・DV・自殺の専門回線あり）", "いつでも・むりょう", "24 hours, free; foreign languages available"),
         frozenset({"suicide", "violence", "lonely", "unknown"}), check=True),
    Line("inochi", ("いのちの電話（ナビダイヤル）", "いのちの でんわ", "Inochi no Denwa (lifeline)"), "0570-783-556",
         ("10時〜22時（通話料がかかります）", "ごぜん10じ〜よる10じ", "10:00-22:00 (call charges apply)"),
         frozenset({"suicide", "lonely"}), check=True),
)  # fmt: skip

EMERGENCY_TOPICS = frozenset({"violence", "abuse", "suicide"})
TOPIC_AUDIENCE = {
    "elderly": Audience.ELDERLY,
    "disability": Audience.DISABILITY,
    "child": Audience.CHILD,
    "money": Audience.SELF_RELIANCE,
    "abuse": Audience.CHILD,
}
TOPICS = (
    "elderly",
    "disability",
    "child",
    "money",
    "lonely",
    "unknown",
    "violence",
    "abuse",
    "suicide",
)
WHO = ("self", "family", "neighbour")

KIND_LABELS: dict[str, tuple[str, str, str]] = {
    ResourceKind.IBASHO: ("居場所", "だれでも いける ばしょ", "Drop-in place"),
    ResourceKind.KAYOI: ("通いの場（体操など）", "たいそうの あつまり", "Exercise meet-up"),
    ResourceKind.KODOMO_SHOKUDO: ("子ども食堂", "こどもの しょくどう", "Children's cafeteria"),
    ResourceKind.SALON: ("サロン", "おちゃの あつまり", "Salon"),
    ResourceKind.CAFE: ("カフェ（認知症カフェなど）", "カフェ", "Café"),
    ResourceKind.GROUP: ("サークル・団体", "なかまの グループ", "Club or group"),
    ResourceKind.VOLUNTEERING: ("ボランティア", "ボランティア", "Volunteering"),
    ResourceKind.JOB_SUPPORT: ("就労支援", "しごとの てつだい", "Job support"),
    ResourceKind.CONSULTATION: ("相談窓口", "そうだんの ところ", "Consultation desk"),
    ResourceKind.LONGEVITY_CENTRE: (
        "長寿サポートセンター",
        "おとしよりの そうだんの ところ",
        "Longevity Support Centre",
    ),
}
DAY_LABELS = {
    "MO": ("月曜", "げつようび", "Monday"), "TU": ("火曜", "かようび", "Tuesday"), "WE": ("水曜", "すいようび", "Wednesday"),
    "TH": ("木曜", "もくようび", "Thursday"), "FR": ("金曜", "きんようび", "Friday"), "SA": ("土曜", "どようび", "Saturday"),
    "SU": ("日曜", "にちようび", "Sunday"),
}  # fmt: skip
LANGUAGE_LABELS = {"en": "English", "zh": "中文", "ko": "한국어", "vi": "Tiếng Việt", "ne": "नेपाली"}
PUBLIC_TOWNS = TOWNS


@dataclass
class Navigation:
    who: str
    topic: str
    town: str
    lines: list[Line] = field(default_factory=list)
    windows: list[Entry] = field(default_factory=list)
    fallback: list[Entry] = field(default_factory=list)
    needs_town: bool = False

    @property
    def emergency(self) -> bool:
        return self.topic in EMERGENCY_TOPICS


def _windows(audience: str, town: str) -> list[Service]:
    kinds = (ResourceKind.CONSULTATION, ResourceKind.LONGEVITY_CENTRE)
    qs = search_services(SearchQuery(kinds=kinds))
    found: list[Service] = []
    if audience == Audience.ELDERLY:
        if town:
            found += list(
                qs.filter(x_kind=ResourceKind.LONGEVITY_CENTRE, towns__contains=f"|{town}|")[:2]
            )
        found += list(
            qs.filter(x_kind=ResourceKind.CONSULTATION, x_audience__contains=audience)[:2]
        )
    else:
        local = qs.filter(x_kind=ResourceKind.CONSULTATION, x_audience__contains=audience)
        if town:
            near = list(local.filter(towns__contains=f"|{town}|")[:2])
            found += near
            found += [s for s in local[:3] if s not in near][: max(0, 3 - len(near))]
        else:
            found += list(local[:3])
    return found


def navigate(who: str, topic: str, town: str) -> Navigation:
    """The navigator's answer: emergency lines first when the topic calls
    for them, then the windows for the topic and town, then the front door
    that takes any worry."""
    who = who if who in WHO else "self"
    topic = topic if topic in TOPICS else "unknown"
    town = town if town in PUBLIC_TOWNS else ""
    nav = Navigation(who=who, topic=topic, town=town)
    nav.lines = [line for line in LINES if topic in line.topics]
    audience = TOPIC_AUDIENCE.get(topic, "")
    services = _windows(audience, town) if audience else []
    nav.windows = [describe(s, show_confidential=False) for s in services]
    nav.needs_town = topic == "elderly" and not town
    anyone = search_services(SearchQuery(kinds=(ResourceKind.CONSULTATION,))).filter(
        x_audience__contains=Audience.ANYONE
    )
    nav.fallback = [describe(s, show_confidential=False) for s in anyone[:1] if s not in services]
    return nav


@dataclass(frozen=True)
class PlaceFilters:
    town: str = ""
    day: str = ""
    kind: str = ""
    free: bool = False
    wheelchair: bool = False
    features: tuple[str, ...] = ()
    language: str = ""
    text: str = ""


def search_places(filters: PlaceFilters) -> QuerySet[Service]:
    kinds = (filters.kind,) if filters.kind in GATHERING_KINDS else tuple(GATHERING_KINDS)
    return search_services(
        SearchQuery(
            text=filters.text[:100],
            kinds=kinds,
            town=filters.town if filters.town in PUBLIC_TOWNS else "",
            day=filters.day if filters.day in DAY_LABELS else "",
            free=filters.free,
            wheelchair=filters.wheelchair,
            features=tuple(f for f in filters.features if f in ACCESSIBILITY_FEATURES),
            language=filters.language if filters.language in LANGUAGE_LABELS else "",
        )
    )


@dataclass(frozen=True)
class PlaceAccess:
    """A public place's accessibility profile, for the residents' place page."""

    name: str
    rows: list[tuple[str, str]]  # (feature, "yes" | "no" | "unknown")
    note: str
    any_unknown: bool


def access_of(entry: Entry) -> list[PlaceAccess]:
    from tsunagari.resources.accessibility import profiles_for

    profiles = profiles_for([p.location.id for p in entry.places])
    out = []
    for place in entry.places:
        profile = profiles[place.location.id]
        out.append(
            PlaceAccess(
                name=place.location.name,
                rows=[(f, profile.features[f]) for f in ACCESSIBILITY_FEATURES],
                note=profile.note,
                any_unknown=not profile.complete,
            )
        )
    return out


def public_entry(service_id: str) -> Entry | None:
    """One public service for its page; None if it is not public (a
    confidential place, or an entry awaiting a second person's check)."""
    service = Service.objects.filter(
        id=service_id[:64], is_public=True, x_confidential=False, awaiting_check=False
    ).first()
    return describe(service, show_confidential=False) if service else None
