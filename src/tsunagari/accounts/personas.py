"""Fixed personas: one per role and agency, plus an outsider.

The demo ward signs in with these, and the tests use the same people, so a
rule is always exercised by a named, recognisable person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tsunagari.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagari.demo.population import build_agencies

# The demo ward's shared password, printed by `tsunagari demo`; never a real account.
DEMO_PASSWORD = "tsunagari-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    town: str
    phone: str


def ward_agencies() -> list[AgencySpec]:
    """Every agency of the synthetic ward, with a made-up office phone."""
    specs = []
    for i, agency in enumerate(build_agencies()):
        # Not a real subscriber's number: none starts with 0 after the area code.
        phone = f"03-{i // 100:04d}-{1000 + i * 7:04d}"
        specs.append(
            AgencySpec(agency.code, agency.name, AgencyKind(agency.kind), agency.town, phone)
        )
    return specs


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    agency: str | None
    roles: tuple[str, ...]
    sealed_access: bool = False
    flag_access: bool = False
    safeguarding_access: bool = False
    disaster_authority: bool = False
    consumer_affairs: bool = False
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


# dept-01 福祉課, dept-15 防災課, dept-16 消費者センター, srs-01 生活サポートセンター, lsc-16 長寿サポートセンター北砂,
# lsc-08 長寿サポートセンター豊洲, dis-02 相談支援事業所 あおぞら, cfc-03 大島子ども家庭支援センター,
# swc-01 社会福祉協議会, mac-01 多機関協働事業, npo-05 見守りネット江東, msd-08 砂町地区民生委員
PERSONA_AGENCIES = (
    "dept-01",
    "dept-15",
    "dept-16",
    "srs-01",
    "lsc-16",
    "lsc-08",
    "dis-02",
    "cfc-03",
    "swc-01",
    "mac-01",
    "npo-05",
    "msd-08",
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        "管理 花子",
        "dept-01",
        (Role.ADMINISTRATOR,),
        note="accounts, imports, audit verification",
    ),
    Persona("planner", "計画 進", "dept-01", (Role.PLANNER,)),
    Persona("coordinator", "協働 真理", "mac-01", (Role.COORDINATOR,), flag_access=True),
    Persona("consultant.self", "自立 太郎", "srs-01", (Role.CONSULTANT,)),
    Persona("consultant.elderly", "長寿 良子", "lsc-16", (Role.CONSULTANT,)),
    Persona("consultant.toyosu", "豊洲 健", "lsc-08", (Role.CONSULTANT,)),
    Persona("consultant.disability", "障害 明", "dis-02", (Role.CONSULTANT,)),
    Persona("consultant.child", "子育 恵", "cfc-03", (Role.CONSULTANT,), sealed_access=True),
    Persona("supervisor.elderly", "監督 誠", "lsc-16", (Role.SUPERVISOR,)),
    Persona("outreach", "訪問 翔", "swc-01", (Role.OUTREACH,), flag_access=True),
    Persona("participation", "参加 陽子", "swc-01", (Role.PARTICIPATION,)),
    Persona("community", "地域 和子", "swc-01", (Role.COMMUNITY,)),
    Persona("disaster", "防災 剛", "dept-15", (Role.DISASTER,), disaster_authority=True),
    Persona(
        "safeguarding",
        "権利 守",
        "dept-01",
        (Role.CONSULTANT,),
        sealed_access=True,
        safeguarding_access=True,
        note="designated team for abuse and violence reports",
    ),
    Persona(
        "consumer",
        "消費 守",
        "dept-16",
        (Role.CONSULTANT,),
        consumer_affairs=True,
        note="consumer affairs centre: scam and consumer-damage alerts",
    ),
    Persona("council", "連携 葵", "npo-05", (Role.COUNCIL_MEMBER,)),
    Persona("commissioner", "民生 静", "msd-08", (Role.CONSULTANT,)),
    Persona("outsider", "部外 者", None, (), note="signs in but may see nothing"),
)


def ensure_agencies(codes: tuple[str, ...] | None = PERSONA_AGENCIES) -> dict[str, Agency]:
    """Create the ward's agencies (only the personas' ones unless ``codes`` is None)."""
    agencies: dict[str, Agency] = {}
    for spec in ward_agencies():
        if codes is not None and spec.code not in codes:
            continue
        agency, _ = Agency.objects.update_or_create(
            code=spec.code,
            defaults={"name": spec.name, "kind": spec.kind, "town": spec.town, "phone": spec.phone},
        )
        agencies[spec.code] = agency
    return agencies


def ensure_personas(password: str = DEMO_PASSWORD) -> dict[str, Staff]:
    """Create (or refresh) every persona; returns them by username."""
    agencies = ensure_agencies()
    people: dict[str, Staff] = {}
    for persona in PERSONAS:
        staff, created = Staff.objects.get_or_create(username=persona.username)
        staff.display_name = persona.display_name
        staff.agency = agencies[persona.agency] if persona.agency else None
        staff.roles = [str(r) for r in persona.roles]
        staff.sealed_access = persona.sealed_access
        staff.flag_access = persona.flag_access
        staff.safeguarding_access = persona.safeguarding_access
        staff.disaster_authority = persona.disaster_authority
        staff.consumer_affairs = persona.consumer_affairs
        staff.is_staff = False
        if created or not staff.has_usable_password():
            staff.set_password(password)
        staff.save()
        people[persona.username] = staff
    return people
