"""Fixed personas: one per role and agency, plus an outsider.

The demo ward signs in with these, and the tests use the same people, so a
rule is always exercised by a named, recognisable person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tsunagari.accounts.models import Agency, AgencyKind, Role, Staff

# The demo ward's shared password, printed by `tsunagari demo`; never a real account.
DEMO_PASSWORD = "tsunagari-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    name_en: str
    kind: str
    town: str
    phone: str


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    agency: str | None
    roles: tuple[str, ...]
    sealed_access: bool = False
    flag_access: bool = False
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


CORE_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "ward-welfare",
        "江東区 福祉部 地域福祉課",
        "Koto City Community Welfare Division",
        AgencyKind.WARD_DEPARTMENT,
        "東陽",
        "03-3647-9111",
    ),
    AgencySpec(
        "ward-self-reliance",
        "江東区 生活困窮者自立相談支援窓口",
        "Koto City Self-Reliance Support Desk",
        AgencyKind.SELF_RELIANCE_SUPPORT,
        "東陽",
        "03-3647-9112",
    ),
    AgencySpec(
        "ward-disaster",
        "江東区 防災課",
        "Koto City Disaster Preparedness Division",
        AgencyKind.WARD_DEPARTMENT,
        "東陽",
        "03-3647-9584",
    ),
    AgencySpec(
        "chojyu-kitasuna",
        "長寿サポートセンター北砂",
        "Kitasuna Longevity Support Centre",
        AgencyKind.LONGEVITY_SUPPORT_CENTRE,
        "北砂",
        "03-5606-0001",
    ),
    AgencySpec(
        "chojyu-toyosu",
        "長寿サポートセンター豊洲",
        "Toyosu Longevity Support Centre",
        AgencyKind.LONGEVITY_SUPPORT_CENTRE,
        "豊洲",
        "03-5606-0002",
    ),
    AgencySpec(
        "disability-koto",
        "江東区障害者相談支援センター",
        "Koto Disability Consultation Centre",
        AgencyKind.DISABILITY_CONSULTATION,
        "亀戸",
        "03-5606-0003",
    ),
    AgencySpec(
        "kodomo-koto",
        "江東区子ども家庭支援センター",
        "Koto Child and Family Support Centre",
        AgencyKind.CHILD_FAMILY_CENTRE,
        "大島",
        "03-5606-0004",
    ),
    AgencySpec(
        "shakyo-koto",
        "江東区社会福祉協議会",
        "Koto Council of Social Welfare",
        AgencyKind.SOCIAL_WELFARE_COUNCIL,
        "東陽",
        "03-5606-0005",
    ),
    AgencySpec(
        "npo-tsunagu",
        "NPO法人つなぐ江東",
        "NPO Tsunagu Koto",
        AgencyKind.NPO,
        "門前仲町",
        "03-5606-0006",
    ),
    AgencySpec(
        "minsei-sunamachi",
        "民生委員・児童委員協議会（砂町地区）",
        "Sunamachi Commissioners' Association",
        AgencyKind.COMMISSIONER,
        "北砂",
        "03-5606-0007",
    ),
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        "管理 花子",
        "ward-welfare",
        (Role.ADMINISTRATOR,),
        note="accounts, imports, audit verification",
    ),
    Persona("planner", "計画 進", "ward-welfare", (Role.PLANNER,)),
    Persona("coordinator", "協働 真理", "ward-welfare", (Role.COORDINATOR,), flag_access=True),
    Persona("consultant.self", "自立 太郎", "ward-self-reliance", (Role.CONSULTANT,)),
    Persona("consultant.elderly", "長寿 良子", "chojyu-kitasuna", (Role.CONSULTANT,)),
    Persona("consultant.toyosu", "豊洲 健", "chojyu-toyosu", (Role.CONSULTANT,)),
    Persona("consultant.disability", "障害 明", "disability-koto", (Role.CONSULTANT,)),
    Persona("consultant.child", "子育 恵", "kodomo-koto", (Role.CONSULTANT,), sealed_access=True),
    Persona("supervisor.elderly", "監督 誠", "chojyu-kitasuna", (Role.SUPERVISOR,)),
    Persona("outreach", "訪問 翔", "shakyo-koto", (Role.OUTREACH,), flag_access=True),
    Persona("participation", "参加 陽子", "shakyo-koto", (Role.PARTICIPATION,)),
    Persona("community", "地域 和子", "shakyo-koto", (Role.COMMUNITY,)),
    Persona("disaster", "防災 剛", "ward-disaster", (Role.DISASTER,)),
    Persona("council", "連携 葵", "npo-tsunagu", (Role.COUNCIL_MEMBER,)),
    Persona("commissioner", "民生 静", "minsei-sunamachi", (Role.CONSULTANT,)),
    Persona("outsider", "部外 者", None, (), note="signs in but may see nothing"),
)


def ensure_agencies(specs: tuple[AgencySpec, ...] = CORE_AGENCIES) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in specs:
        agency, _ = Agency.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "kind": spec.kind,
                "town": spec.town,
                "phone": spec.phone,
            },
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
        staff.is_staff = False
        if created or not staff.has_usable_password():
            staff.set_password(password)
        staff.save()
        people[persona.username] = staff
    return people
