"""The directory of organisations, services, places and groups (HSDS 3.0).

Every table of the Open Referral Human Services Data Specification that the
ward uses is a model here, keyed by the HSDS id (a UUID string) and with the
HSDS field names, so import and export are a plain mapping. Links between
records are HSDS id columns (``service_id``, ``location_id`` …), not database
foreign keys: HSDS data in the wild refers to records published elsewhere
(parent organisations, programmes), and an import must keep such links.

Extensions the ward needs (HSDS profiles allow extra fields) start with
``x_``. Fields that are ours only (search columns, version) have no prefix
and never leave the system. HSDS tables the ward does not use (funding,
programs, service areas …) are kept as they came in :class:`HsdsRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class ServiceStatus(models.TextChoices):
    # Open and taking people.
    ACTIVE = "active", _("実施中")
    # Paused for now (e.g. between seasons); keeps its place in the directory.
    INACTIVE = "inactive", _("休止中")
    # Closed for good; kept for history, never shown to residents.
    DEFUNCT = "defunct", _("終了")
    # Closed for a while (works, illness); residents see the alert.
    TEMPORARILY_CLOSED = "temporarily closed", _("一時休止")


class ResourceKind(models.TextChoices):
    # One of the four consultation services' windows (包括的相談支援).
    CONSULTATION = "consultation", _("相談窓口")
    # 長寿サポートセンター (地域包括支援センター): elderly consultation.
    LONGEVITY_CENTRE = "longevity_centre", _("長寿サポートセンター")
    # National or ward lines for emergencies (DV, abuse, suicide risk).
    EMERGENCY_LINE = "emergency_line", _("緊急・電話相談")
    # 居場所: a place where anyone can drop in.
    IBASHO = "ibasho", _("居場所")
    # 通いの場: regular gatherings for older people (exercise, tea).
    KAYOI = "kayoi", _("通いの場")
    # 子ども食堂: meals for children and families.
    KODOMO_SHOKUDO = "kodomo_shokudo", _("子ども食堂")
    # サロン: neighbourhood salon run by volunteers.
    SALON = "salon", _("サロン")
    # Community café (認知症カフェ, 地域カフェ).
    CAFE = "cafe", _("カフェ")
    # A community group or club anyone may join.
    GROUP = "group", _("地域の団体・サークル")
    # Volunteering opportunity.
    VOLUNTEERING = "volunteering", _("ボランティア")
    # Job support (就労支援, 就労準備).
    JOB_SUPPORT = "job_support", _("就労支援")
    # Shelter or other place whose location is never published.
    SHELTER = "shelter", _("保護施設")
    # Anything else.
    OTHER = "other", _("その他")


GATHERING_KINDS = frozenset(
    {
        ResourceKind.IBASHO,
        ResourceKind.KAYOI,
        ResourceKind.KODOMO_SHOKUDO,
        ResourceKind.SALON,
        ResourceKind.CAFE,
        ResourceKind.GROUP,
        ResourceKind.VOLUNTEERING,
        ResourceKind.JOB_SUPPORT,
    }
)
WINDOW_KINDS = frozenset({ResourceKind.CONSULTATION, ResourceKind.LONGEVITY_CENTRE})


class Audience(models.TextChoices):
    # Older people and their families (長寿サポートセンター).
    ELDERLY = "elderly", _("高齢の方")
    # People with disabilities (障害者相談支援).
    DISABILITY = "disability", _("障害のある方")
    # Pregnancy, children and child-rearing (利用者支援事業).
    CHILD = "child", _("子ども・子育て")
    # Money, work, housing (生活困窮者自立相談支援).
    SELF_RELIANCE = "self_reliance", _("くらし・お金・仕事")
    # Anyone.
    ANYONE = "anyone", _("どなたでも")


class HsdsModel(models.Model):
    """Fields every stored HSDS record has."""

    id = models.CharField(primary_key=True, max_length=64)
    # HSDS fields this model has no column for, kept so export returns them.
    extra = models.JSONField(default=dict, blank=True)

    # The HSDS table (file name without .csv) this model stores.
    hsds_table: ClassVar[str] = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.hsds_table}:{self.id}"


class Organization(HsdsModel):
    hsds_table = "organizations"
    name = models.TextField(_("名称"))
    alternate_name = models.TextField(_("別名"), blank=True)
    description = models.TextField(_("説明"), blank=True)
    email = models.TextField(_("メール"), blank=True)
    website = models.TextField(_("ウェブサイト"), blank=True)
    tax_status = models.TextField(blank=True)
    tax_id = models.TextField(blank=True)
    year_incorporated = models.FloatField(null=True, blank=True)
    legal_status = models.TextField(_("法人格"), blank=True)
    logo = models.TextField(blank=True)
    uri = models.TextField(blank=True)
    parent_organization_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("団体・機関")
        verbose_name_plural = _("団体・機関")

    def __str__(self) -> str:
        return self.name


class Service(HsdsModel):
    hsds_table = "services"
    organization_id = models.CharField(max_length=64, blank=True, db_index=True)
    program_id = models.CharField(max_length=64, blank=True)
    name = models.TextField(_("名称"))
    alternate_name = models.TextField(_("別名（英語名）"), blank=True)
    description = models.TextField(_("説明"), blank=True)
    url = models.TextField(_("URL"), blank=True)
    email = models.TextField(_("メール"), blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(_("通訳"), blank=True)
    application_process = models.TextField(_("利用のしかた"), blank=True)
    fees_description = models.TextField(_("費用"), blank=True)
    wait_time = models.TextField(blank=True)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(_("対象"), blank=True)
    minimum_age = models.FloatField(_("対象年齢（下限）"), null=True, blank=True)
    maximum_age = models.FloatField(_("対象年齢（上限）"), null=True, blank=True)
    # Last checked (確認日) and by whom: HSDS assured_date / assurer_email.
    assured_date = models.CharField(_("最終確認日"), max_length=32, blank=True)
    assurer_email = models.TextField(blank=True)
    licenses = models.TextField(blank=True)
    alert = models.TextField(_("お知らせ"), blank=True)
    last_modified = models.CharField(max_length=40, blank=True)

    # Extensions (exported with the x_ prefix).
    x_kind = models.CharField(
        _("種別"), max_length=32, choices=ResourceKind.choices, default=ResourceKind.OTHER
    )
    x_audience = models.CharField(_("対象（相談分野）"), max_length=120, blank=True)
    x_easy_description = models.TextField(_("やさしい日本語の説明"), blank=True)
    x_capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    x_vacancies = models.PositiveIntegerField(_("空き"), null=True, blank=True)
    x_confidential = models.BooleanField(_("非公開（所在地秘匿）"), default=False)
    x_verified_by = models.CharField(_("確認者"), max_length=150, blank=True)

    # Ours only. Four eyes: an entry created or edited by staff waits for a
    # check by someone other than its last editor before residents see it.
    awaiting_check = models.BooleanField(_("確認待ち"), default=False, db_index=True)
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最後に編集した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking and search columns (see services.reindex).
    version = models.PositiveIntegerField(default=1)
    is_public = models.BooleanField(default=True, db_index=True)
    search_text = models.TextField(blank=True)
    towns = models.CharField(max_length=400, blank=True)
    days = models.CharField(max_length=40, blank=True)
    language_codes = models.CharField(max_length=200, blank=True)
    is_free = models.BooleanField(default=False)
    # A public place of the service has a step-free entrance (profile, not words).
    wheelchair = models.BooleanField(default=False)
    # Features ("|lift|braille|") that a public place of the service has.
    access_features = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("サービス・活動")
        verbose_name_plural = _("サービス・活動")
        # Result pages are ordered by name: the index serves the first page
        # without sorting every match.
        indexes: ClassVar = [
            models.Index(fields=["is_public", "x_kind"]),
            models.Index(fields=["is_public", "name", "id"], name="resources_service_public_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(HsdsModel):
    hsds_table = "locations"
    location_type = models.CharField(max_length=16, default="physical")
    url = models.TextField(blank=True)
    organization_id = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.TextField(_("名称"), blank=True)
    alternate_name = models.TextField(blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(_("交通"), blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.TextField(blank=True)
    external_identifier_type = models.TextField(blank=True)
    # Extensions.
    x_town = models.CharField(_("町名"), max_length=40, blank=True, db_index=True)
    # Shelters and the like: never on public pages, public API or exports.
    x_confidential = models.BooleanField(_("所在地を公開しない"), default=False)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("場所")
        verbose_name_plural = _("場所")

    def __str__(self) -> str:
        return self.name or self.id


class ServiceAtLocation(HsdsModel):
    hsds_table = "service_at_location"
    service_id = models.CharField(max_length=64, db_index=True)
    location_id = models.CharField(max_length=64, db_index=True)
    description = models.TextField(blank=True)


class Address(HsdsModel):
    hsds_table = "addresses"
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    attention = models.TextField(blank=True)
    address_1 = models.TextField()
    address_2 = models.TextField(blank=True)
    city = models.TextField()
    region = models.TextField(blank=True)
    state_province = models.TextField()
    postal_code = models.TextField()
    country = models.CharField(max_length=8)
    address_type = models.CharField(max_length=16)


class Phone(HsdsModel):
    hsds_table = "phones"
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    organization_id = models.CharField(max_length=64, blank=True, db_index=True)
    contact_id = models.CharField(max_length=64, blank=True, db_index=True)
    service_at_location_id = models.CharField(max_length=64, blank=True, db_index=True)
    number = models.TextField()
    extension = models.FloatField(null=True, blank=True)
    type = models.TextField(blank=True)
    description = models.TextField(blank=True)


class Contact(HsdsModel):
    hsds_table = "contacts"
    organization_id = models.CharField(max_length=64, blank=True, db_index=True)
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    service_at_location_id = models.CharField(max_length=64, blank=True, db_index=True)
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.TextField(blank=True)
    title = models.TextField(blank=True)
    department = models.TextField(blank=True)
    email = models.TextField(blank=True)


class Schedule(HsdsModel):
    hsds_table = "schedules"
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    service_at_location_id = models.CharField(max_length=64, blank=True, db_index=True)
    valid_from = models.CharField(max_length=32, blank=True)
    valid_to = models.CharField(max_length=32, blank=True)
    dtstart = models.CharField(max_length=32, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.CharField(max_length=32, blank=True)
    count = models.FloatField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=8, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = models.CharField(max_length=64, blank=True)
    byweekno = models.CharField(max_length=200, blank=True)
    bymonthday = models.CharField(max_length=200, blank=True)
    byyearday = models.CharField(max_length=400, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.CharField(max_length=16, blank=True)
    closes_at = models.CharField(max_length=16, blank=True)
    schedule_link = models.TextField(blank=True)
    attending_type = models.TextField(blank=True)
    notes = models.TextField(blank=True)


class Availability(models.TextChoices):
    # Checked: the place has it.
    YES = "yes", _("あり")
    # Checked: the place does not have it.
    NO = "no", _("なし")
    # Not checked yet: never counted as either (a search for it leaves the place out).
    UNKNOWN = "unknown", _("未確認")


# The accessibility profile's features, in the order pages show them.
FEATURE_LABELS: dict[str, _StrPromise] = {
    "step_free": _("段差のない入口"),
    "lift": _("エレベーター"),
    "accessible_toilet": _("車いす使用者用トイレ"),
    "hearing_loop": _("ヒアリングループ（磁気ループ）"),
    "braille": _("点字の案内"),
    "seating": _("座って待てる席"),
    "parking": _("障害者用駐車場"),
    "quiet_room": _("静かな部屋"),
}
assert tuple(FEATURE_LABELS) == ACCESSIBILITY_FEATURES


def _availability() -> models.CharField[str, str]:
    return models.CharField(
        max_length=8, choices=Availability.choices, default=Availability.UNKNOWN
    )


class Accessibility(HsdsModel):
    """HSDS accessibility of a place. The first record of a location (by id)
    carries its structured profile (x_<feature>: yes/no/unknown); the note is
    ``details``, and ``description`` a plain summary for other readers."""

    hsds_table = "accessibility"
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.TextField(blank=True)
    x_step_free = _availability()
    x_lift = _availability()
    x_accessible_toilet = _availability()
    x_hearing_loop = _availability()
    x_braille = _availability()
    x_seating = _availability()
    x_parking = _availability()
    x_quiet_room = _availability()

    def features(self) -> dict[str, str]:
        return {f: getattr(self, f"x_{f}") for f in ACCESSIBILITY_FEATURES}

    @property
    def complete(self) -> bool:
        """Every feature checked (none unknown)."""
        return Availability.UNKNOWN not in self.features().values()


class Language(HsdsModel):
    hsds_table = "languages"
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    phone_id = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.TextField(blank=True)
    code = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)


class CostOption(HsdsModel):
    hsds_table = "cost_options"
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    valid_from = models.CharField(max_length=32, blank=True)
    valid_to = models.CharField(max_length=32, blank=True)
    option = models.TextField(blank=True)
    currency = models.CharField(max_length=8, blank=True)
    amount = models.FloatField(null=True, blank=True)
    amount_description = models.TextField(blank=True)


class RequiredDocument(HsdsModel):
    """What to bring (持ち物) for a service."""

    hsds_table = "required_documents"
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    document = models.TextField(blank=True)
    uri = models.TextField(blank=True)


class Taxonomy(HsdsModel):
    hsds_table = "taxonomies"
    name = models.TextField()
    description = models.TextField()
    uri = models.TextField(blank=True)
    version = models.TextField(blank=True)


class TaxonomyTerm(HsdsModel):
    hsds_table = "taxonomy_terms"
    code = models.TextField(blank=True)
    name = models.TextField()
    description = models.TextField()
    parent_id = models.CharField(max_length=64, blank=True, db_index=True)
    taxonomy = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    taxonomy_id = models.CharField(max_length=64, blank=True, db_index=True)
    term_uri = models.TextField(blank=True)


class Attribute(HsdsModel):
    hsds_table = "attributes"
    link_id = models.CharField(max_length=64, blank=True, db_index=True)
    taxonomy_term_id = models.CharField(max_length=64, blank=True, db_index=True)
    link_type = models.TextField(blank=True)
    link_entity = models.TextField(blank=True)
    value = models.TextField(blank=True)


class HsdsRecord(models.Model):
    """A record of an HSDS table the directory has no model for, kept whole."""

    table = models.CharField(max_length=64)
    record_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["table", "record_id"], name="hsds_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.table}:{self.record_id}"


MODELS: dict[str, type[HsdsModel]] = {
    m.hsds_table: m
    for m in (
        Organization,
        Service,
        Location,
        ServiceAtLocation,
        Address,
        Phone,
        Contact,
        Schedule,
        Accessibility,
        Language,
        CostOption,
        RequiredDocument,
        Taxonomy,
        TaxonomyTerm,
        Attribute,
    )
}
