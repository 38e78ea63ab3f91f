"""A multi-agency case (多機関協働事業): a person, the household members it
concerns, a team of agencies with one lead worker, a stage, and the regime
under which the team shares information (支援会議 or 重層的支援会議).

The case grants no access of its own: under 支援会議 the meeting's links
open the persons to its member agencies, under 重層的支援会議 the person's
consent's links do. The case is seen by the team agencies while that basis
holds (``cases.access``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.consultations.models import Need
from tsunagari.meetings.models import ActionItemBase, MeetingBase, MinutesBase
from tsunagari.people.display import QuickChoiceDisplay
from tsunagari.people.models import Person


class Stage(models.TextChoices):
    # Opened from a need; the team is being formed.
    INTAKE = "intake", _("受付")
    # The team is finding out the household's situation across life domains.
    ASSESSMENT = "assessment", _("アセスメント")
    # The team is agreeing a support plan with the person.
    PLAN = "plan", _("プラン")
    # The agencies carry out the plan.
    SUPPORT = "support", _("支援")
    # The team follows how the support works and reviews the plan.
    MONITORING = "monitoring", _("モニタリング")
    # Closed (終結): reached only by closing the case with a reason.
    CLOSED = "closed", _("終結")


# The stages a case moves through one step at a time, forward or back;
# 終結 is reached only by closing it (with a reason).
MOVABLE_STAGES: list[str] = [
    Stage.INTAKE,
    Stage.ASSESSMENT,
    Stage.PLAN,
    Stage.SUPPORT,
    Stage.MONITORING,
]


class Regime(models.TextChoices):
    # 支援会議 (Social Welfare Act art. 106-6): no consent; only the meeting's
    # member agencies share, bound by its duty of confidentiality.
    SUPPORT_MEETING = "support_meeting", _("支援会議")
    # 重層的支援会議: the person's recorded, in-date consent covers every team agency.
    LAYERED = "layered", _("重層的支援会議")


class CaseState(models.TextChoices):
    # The team is working on the case.
    OPEN = "open", _("進行中")
    # Closed (終結) with a reason; it can be reopened.
    CLOSED = "closed", _("終結")
    # Suspended (中断) with a reason; it can be reopened.
    SUSPENDED = "suspended", _("中断")


class EndReason(models.TextChoices):
    # The person's and household's problems were resolved.
    RESOLVED = "resolved", _("課題が解決した")
    # Another agency carries on the support alone.
    HANDED_OVER = "handed_over", _("他の機関に引き継いだ")
    # The person no longer wants the support.
    DECLINED = "declined", _("本人が支援を望まなくなった")
    # The person could not be reached any more.
    NO_CONTACT = "no_contact", _("連絡がつかなくなった")
    # The person moved out of the ward.
    MOVED = "moved", _("区外へ転出した")
    # The person died.
    DIED = "died", _("亡くなった")
    # Anything else, written in the note.
    OTHER = "other", _("その他")


class SourceKind(models.TextChoices):
    """Where a case was opened from (each kept on the case with its number)."""

    # A multi-agency need raised at intake and picked up by the coordinator.
    NEED = "need", _("多機関協働の依頼")
    # A consultation about the person (the coordinator's agency's, or one a need came from).
    CONSULTATION = "consultation", _("相談")
    # A referral (つなぎ) the coordinating agency received.
    REFERRAL = "referral", _("つなぎ（紹介）")
    # An outreach target being connected to a case.
    OUTREACH = "outreach", _("アウトリーチの対象")
    # An early-detection candidate (早期把握の候補) of a linkage run.
    CANDIDATE = "candidate", _("早期把握の候補")


class Case(QuickChoiceDisplay, models.Model):
    need = models.OneToOneField(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    # What the case was opened from, and that record's number (a need's is also ``need``).
    source_kind = models.CharField(
        _("始まり"), max_length=20, choices=SourceKind.choices, default=SourceKind.NEED
    )
    source_id = models.PositiveBigIntegerField(_("始まりの番号"), null=True, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    regime = models.CharField(_("情報共有の根拠"), max_length=20, choices=Regime.choices)
    # The 支援会議 decision the case relies on (regime 支援会議).
    support_meeting = models.ForeignKey(
        SupportMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The consent that covered the team when the regime was chosen (重層的支援会議);
    # access is checked against the consents in force, not only this one.
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("段階"), max_length=20, choices=Stage.choices, default=Stage.INTAKE)
    state = models.CharField(
        _("状態"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN
    )
    # The stage the case had when it was closed or suspended (reopening returns to it).
    stage_before_end = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    lead = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("主担当")
    )
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    opened_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    ended_at = models.DateTimeField(_("終結・中断の日時"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(
        _("終結・中断の理由"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("理由の説明"), max_length=500, blank=True)
    handover_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("引き継ぐ機関"),
    )  # fmt: skip
    handover_note = models.CharField(_("引き継ぎの内容"), max_length=1000, blank=True)

    class Meta:
        ordering: ClassVar = ["-opened_at", "-pk"]
        verbose_name = _("多機関協働の事例")
        verbose_name_plural = _("多機関協働の事例")
        indexes: ClassVar = [models.Index(fields=["stage", "state"], name="case_stage_state")]
        constraints: ClassVar = [
            # One case per source record: opening it again leads to the case (reopen it).
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], name="case_source_once",
                condition=models.Q(source_id__isnull=False),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"case {self.pk} for person {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.state == CaseState.OPEN


class TeamAgency(models.Model):
    """An agency on the case's team, and its role in it (free text, short)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("役割"), max_length=60, blank=True)
    # The agency's worker on the case (the lead's agency: the lead, 主担当).
    worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("担当者"),
    )  # fmt: skip
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("チームの機関")
        verbose_name_plural = _("チームの機関")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_agency_once")
        ]

    def __str__(self) -> str:
        return f"agency {self.agency_id} on case {self.case_id}"


class CaseMember(models.Model):
    """A household member the case also concerns."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("続柄"), max_length=30, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("事例の対象となる世帯員")
        verbose_name_plural = _("事例の対象となる世帯員")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "person"], name="case_member_once")
        ]

    def __str__(self) -> str:
        return f"member {self.person_id} of case {self.case_id}"


class ConfidentialityConfirmation(models.Model):
    """A worker's confirmation of the 支援会議's duty of confidentiality
    (社会福祉法第106条の6第6項), given when they first open the case.

    Kept per worker, not per agency: the Act binds each person who takes part
    in the meeting's work (and, art. 160, punishes each person who leaks), so
    a colleague of a worker who confirmed has not confirmed anything.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="confirmations")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # The 支援会議 decision the case relied on when the worker confirmed.
    support_meeting = models.ForeignKey(
        SupportMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確認日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("守秘義務の確認")
        verbose_name_plural = _("守秘義務の確認")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "staff"], name="case_confirmation_once")
        ]

    def __str__(self) -> str:
        return f"staff {self.staff_id} confirmed confidentiality on case {self.case_id}"


# ── assessment ───────────────────────────────────────────────────────────────


class LifeArea(models.TextChoices):
    HEALTH = "health", _("健康")
    DISABILITY = "disability", _("障害")
    CARE = "care", _("介護")
    MONEY = "money", _("収入・借金")
    HOUSING = "housing", _("住まい")
    WORK = "work", _("仕事")
    FAMILY = "family", _("家族関係・ケアの担い")
    CHILDREARING = "childrearing", _("子育て")
    ISOLATION = "isolation", _("社会とのつながり（孤立）")
    SAFETY = "safety", _("安全（暴力・虐待・危険）")


class Assessment(models.Model):
    """One version of the assessment of one person the case concerns.

    A new assessment of the same person is a new version; earlier ones stay.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版"))
    summary = models.TextField(_("全体の見立て（支援者）"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["person_id", "-version"]
        verbose_name = _("アセスメント")
        verbose_name_plural = _("アセスメント")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case", "person", "version"], name="case_assessment_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"assessment v{self.version} of person {self.person_id} in case {self.case_id}"


class AssessmentArea(models.Model):
    """One life area of an assessment: the workers' view, the person's own words
    (kept apart) and the strengths."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("生活の領域"), max_length=20, choices=LifeArea.choices)
    situation = models.TextField(_("状況（支援者の見立て）"), blank=True)
    own_words = models.TextField(_("本人の言葉"), blank=True)
    strengths = models.TextField(_("強み・できていること"), blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("アセスメントの領域")
        verbose_name_plural = _("アセスメントの領域")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assessment", "area"], name="assessment_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.area} of assessment {self.assessment_id}"


# ── support plan ─────────────────────────────────────────────────────────────


class SupportPlan(models.Model):
    """The case's shared support plan (支援プラン): its current goals, actions and
    review date. ``version`` counts the saved revisions; a save must name the
    version it started from, so a stale save is refused, not overwritten."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    version = models.PositiveIntegerField(_("版"), default=0)
    # The goals in the person's own words, in order.
    goals = models.JSONField(_("目標（本人の言葉）"), default=list)
    review_on = models.DateField(_("見直しの日"), null=True, blank=True)
    # The revision last agreed at a conference (None: never agreed).
    agreed_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("支援プラン")
        verbose_name_plural = _("支援プラン")

    def __str__(self) -> str:
        return f"plan of case {self.case_id} v{self.version}"


class PlanAction(models.Model):
    """An action of the plan: what, which team agency, by when. Kept across
    revisions (monitoring notes point to it); a removed action is kept inactive."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("支援の内容"), max_length=300)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("担当機関")
    )
    due_on = models.DateField(_("期限"))
    active = models.BooleanField(default=True)
    added_in = models.PositiveIntegerField(default=1)
    removed_in = models.PositiveIntegerField(null=True, blank=True)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["order", "pk"]
        verbose_name = _("支援プランの行動")
        verbose_name_plural = _("支援プランの行動")
        indexes: ClassVar = [
            models.Index(fields=["agency", "active", "due_on"], name="plan_action_agency_due")
        ]

    def __str__(self) -> str:
        return f"action {self.pk} of plan {self.plan_id}"


class PlanRevision(models.Model):
    """One saved version of the plan, as it read then (goals, actions, review
    date), who saved it, and whether and where it was agreed."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版"))
    content = models.JSONField(default=dict)
    saved_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    saved_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(_("保存日時"), default=timezone.now)
    agreed_at = models.DateTimeField(_("合意日時"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conference = models.ForeignKey(
        "Conference", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-number"]
        verbose_name = _("支援プランの版")
        verbose_name_plural = _("支援プランの版")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_once")
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of plan {self.plan_id}"


# ── case conferences ─────────────────────────────────────────────────────────


class Conference(MeetingBase):
    """A case conference, held under the case's regime at the time: who
    attended (agencies with their share of the work, and staff), agenda
    (``held_on`` and ``agenda`` are the shared meeting's), versioned minutes
    (``ConferenceMinutes``), decisions and the actions agreed (``ConferenceAction``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    regime = models.CharField(_("会議の根拠"), max_length=20, choices=Regime.choices)
    support_meeting = models.ForeignKey(
        SupportMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decisions = models.TextField(_("決定事項"), blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-held_on", "-pk"]
        verbose_name = _("事例の会議")
        verbose_name_plural = _("事例の会議")
        indexes: ClassVar = [models.Index(fields=["held_on", "regime"], name="case_conf_held")]

    def __str__(self) -> str:
        return f"conference {self.pk} of case {self.case_id}"

    @property
    def minutes(self) -> str:
        """The minutes' current text ("" when none were written)."""
        record = getattr(self, "minutes_record", None)
        return record.text if record is not None else ""


class ConferenceMinutes(MinutesBase):
    """The minutes of a case conference, versioned: a stale save is refused."""

    meeting = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="minutes_record"
    )

    class Meta:
        verbose_name = _("事例の会議の議事録")
        verbose_name_plural = _("事例の会議の議事録")

    def __str__(self) -> str:
        return f"minutes v{self.version} of conference {self.meeting_id}"


class ConferenceAction(ActionItemBase):
    """An action a case conference assigned to one of the team's agencies, with a
    due date: it appears in that agency's worklist and turns overdue on the
    ward's working-day calendar."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="actions")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("担当機関")
    )
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["status", "due_on", "pk"]
        verbose_name = _("事例の会議で決めた行動")
        verbose_name_plural = _("事例の会議で決めた行動")
        indexes: ClassVar = [
            models.Index(fields=["agency", "status", "due_on"], name="conf_action_agency_due")
        ]

    def __str__(self) -> str:
        return f"action {self.pk} of conference {self.conference_id}"

    @property
    def owner_label(self) -> str:
        return self.agency.name

    @property
    def text(self) -> str:
        """The action's wording, under the name a plan action's has."""
        return self.title


class ConferenceAgency(models.Model):
    """An agency that attended, and its share of the work decided (役割分担)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("役割分担"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["conference", "agency"], name="conf_agency_once")
        ]

    def __str__(self) -> str:
        return f"agency {self.agency_id} at conference {self.conference_id}"


class ConferenceAttendee(models.Model):
    """A staff member who attended (of an attending agency)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["conference", "staff"], name="conf_staff_once")
        ]

    def __str__(self) -> str:
        return f"staff {self.staff_id} at conference {self.conference_id}"


# ── monitoring ───────────────────────────────────────────────────────────────


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    ON_TRACK = "on_track", _("進んでいる")
    STALLED = "stalled", _("滞っている")
    DONE = "done", _("完了")


class MonitoringNote(models.Model):
    """A progress note on one action of the plan (モニタリング)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="monitoring")
    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="notes")
    progress = models.CharField(_("進み具合"), max_length=20, choices=Progress.choices)
    note = models.TextField(_("経過"), blank=True)
    written_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-written_at", "-pk"]
        verbose_name = _("モニタリングの記録")
        verbose_name_plural = _("モニタリングの記録")

    def __str__(self) -> str:
        return f"note {self.pk} on action {self.action_id}"
