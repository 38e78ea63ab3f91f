"""Reports of abuse and violence (通報・届出), their clocks and protection, and
rights advocacy (権利擁護支援).

The reporter's identity lives in its own table (``ReporterIdentity``), read
only by the designated team (``Action.WORK_SAFEGUARDING``): the abuse
prevention laws keep who reported confidential (高齢者虐待防止法 art. 8/23,
障害者虐待防止法 art. 8, 児童虐待防止法 art. 7). No event, timeline, API
answer or export outside the team's pages carries it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import Person


class Law(models.TextChoices):
    # 高齢者虐待防止法: abuse by a carer at home (養護者による虐待).
    ELDER_CARER = "elder_carer", _("高齢者虐待（養護者による）")
    # 高齢者虐待防止法: abuse in a care facility or service (養介護施設従事者等による虐待).
    ELDER_FACILITY = "elder_facility", _("高齢者虐待（養介護施設従事者等による）")
    # 障害者虐待防止法 (by a carer, a facility or an employer).
    DISABILITY = "disability", _("障害者虐待")
    # 児童虐待防止法: passed at once to the child and family support centre or
    # the child guidance centre.
    CHILD = "child", _("児童虐待")
    # 配偶者暴力防止法 (DV): with the 配偶者暴力相談支援センター.
    DV = "dv", _("配偶者等からの暴力（DV）")


class AbuseKind(models.TextChoices):
    # 身体的虐待
    PHYSICAL = "physical", _("身体的虐待")
    # 心理的虐待 (including verbal abuse, threats)
    PSYCHOLOGICAL = "psychological", _("心理的虐待")
    # 性的虐待
    SEXUAL = "sexual", _("性的虐待")
    # 介護・世話の放棄・放任 (neglect)
    NEGLECT = "neglect", _("介護・世話の放棄・放任（ネグレクト）")
    # 経済的虐待
    ECONOMIC = "economic", _("経済的虐待")


class ReporterType(models.TextChoices):
    # The person themself (本人による届出).
    SELF = "self", _("本人")
    # A family member or relative.
    FAMILY = "family", _("家族・親族")
    # A care manager (介護支援専門員) or counsellor (相談支援専門員).
    CARE_MANAGER = "care_manager", _("介護支援専門員・相談支援専門員")
    # Staff of a care or disability service or facility.
    SERVICE_STAFF = "service_staff", _("介護・障害福祉サービス事業所の職員")
    # A doctor, nurse or hospital.
    MEDICAL = "medical", _("医療機関")
    # The police.
    POLICE = "police", _("警察")
    # A school, nursery or kindergarten.
    SCHOOL = "school", _("学校・保育所等")
    # 民生委員・児童委員.
    COMMISSIONER = "commissioner", _("民生委員・児童委員")
    # A neighbour or acquaintance.
    NEIGHBOUR = "neighbour", _("近隣住民・知人")
    # Ward or agency staff.
    AGENCY_STAFF = "agency_staff", _("行政・関係機関の職員")
    # Did not give a name.
    ANONYMOUS = "anonymous", _("匿名")
    # Anyone else.
    OTHER = "other", _("その他")


class State(models.TextChoices):
    # Received; safety not yet confirmed.
    RECEIVED = "received", _("受付")
    # A child's report handed over to the child and family support centre or
    # the child guidance centre; the ward's clocks stop there.
    HANDED_OVER = "handed_over", _("送致済み")
    # Safety confirmed (安全確認); facts being found.
    SAFETY_CONFIRMED = "safety_confirmed", _("安全確認済み")
    # Facts found (事実確認); waiting for the core-member meeting.
    FACTS_FOUND = "facts_found", _("事実確認済み")
    # The core-member meeting decided; monitoring follows.
    MONITORING = "monitoring", _("モニタリング中")
    # Closed (終結) with a reason.
    CLOSED = "closed", _("終結")


class Urgency(models.TextChoices):
    # 緊急性が高い: protect now (separation may be needed).
    HIGH = "high", _("高い")
    # 中程度: act within days.
    MEDIUM = "medium", _("中程度")
    # 低い: monitoring.
    LOW = "low", _("低い")


class Separation(models.TextChoices):
    # No separation.
    NONE = "none", _("分離しない")
    # Separated by agreement (e.g. short stay, hospital, shelter by choice).
    AGREED = "agreed", _("分離（契約による入所・一時保護等）")
    # A measure for unavoidable reasons (やむを得ない事由による措置, 老人福祉法 art. 10-4/11,
    # 身体障害者福祉法 art. 18 等).
    MEASURE = "measure", _("やむを得ない事由による措置")


class CloseReason(models.TextChoices):
    # Abuse was not recognised and no further support is needed.
    NOT_RECOGNISED = "not_recognised", _("虐待ではないと判断")
    # Abuse ended; the situation is stable.
    RESOLVED = "resolved", _("虐待が解消した")
    # Support handed over to another agency (e.g. long-term care plan).
    HANDED_OVER = "handed_over", _("他機関の支援へ引き継ぎ")
    # The person moved out of the ward (transferred to the new municipality).
    MOVED = "moved", _("転出（転出先へ引き継ぎ）")
    # The person died.
    DIED = "died", _("死亡")
    # Another reason, described in the note.
    OTHER = "other", _("その他")


class Clock(models.TextChoices):
    # Safety confirmed within SAFEGUARDING_SAFETY_HOURS of the report.
    SAFETY = "safety", _("安全確認")
    # Facts found within SAFEGUARDING_FACTS_HOURS of the report.
    FACTS = "facts", _("事実確認")
    # Core-member meeting within SAFEGUARDING_DECISION_HOURS of the report.
    DECISION = "decision", _("コアメンバー会議")
    # A monitoring review every SAFEGUARDING_MONITORING_DAYS after the decision.
    MONITORING = "monitoring", _("モニタリング")


class Report(models.Model):
    """One report of abuse or violence, worked by the designated team."""

    law = models.CharField(_("種別"), max_length=20, choices=Law.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Whom the report is about when not yet identified (e.g. "北砂の80代の女性").
    subject_note = models.CharField(_("対象者の手がかり"), max_length=200, blank=True)
    kinds = models.JSONField(_("虐待の種類"), default=list, blank=True)
    summary = models.TextField(_("通報の内容"), blank=True)
    received_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    filed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    filed_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    handed_to = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_at = models.DateTimeField(_("送致日時"), null=True, blank=True)
    safety_at = models.DateTimeField(_("安全確認日時"), null=True, blank=True)
    safety_note = models.CharField(_("安全確認の方法と結果"), max_length=500, blank=True)
    facts_at = models.DateTimeField(_("事実確認日時"), null=True, blank=True)
    facts_note = models.TextField(_("事実確認の内容"), blank=True)
    decided_at = models.DateTimeField(_("コアメンバー会議の日時"), null=True, blank=True)
    recognised = models.BooleanField(_("虐待の判断"), null=True, blank=True)
    urgency = models.CharField(_("緊急性"), max_length=10, choices=Urgency.choices, blank=True)
    separation = models.CharField(_("分離"), max_length=10, choices=Separation.choices, blank=True)
    decision_note = models.TextField(_("会議の記録"), blank=True)
    monitored_at = models.DateTimeField(_("直近のモニタリング"), null=True, blank=True)
    closed_at = models.DateTimeField(_("終結日時"), null=True, blank=True)
    close_reason = models.CharField(
        _("終結の理由"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("終結の説明"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-received_at", "-pk"]
        verbose_name = _("虐待・暴力の通報")
        verbose_name_plural = _("虐待・暴力の通報")

    def __str__(self) -> str:
        return f"report {self.pk} ({self.law}, {self.state})"

    @property
    def is_open(self) -> bool:
        return self.state not in {State.CLOSED, State.HANDED_OVER}


class ReporterIdentity(models.Model):
    """Who reported: the team's eyes only (kept apart so nothing else reads it)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reporter")
    reporter_type = models.CharField(_("通報者の種別"), max_length=20, choices=ReporterType.choices)
    name = models.CharField(_("通報者の氏名"), max_length=120, blank=True)
    relation = models.CharField(_("本人との関係"), max_length=60, blank=True)
    contact = models.CharField(_("通報者の連絡先"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("通報者")
        verbose_name_plural = _("通報者")

    def __str__(self) -> str:
        return f"reporter of {self.report_id}"


class Escalation(models.Model):
    """A clock that ran over, told to the supervisor once."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(_("期限"), max_length=20, choices=Clock.choices)
    due_at = models.DateTimeField(_("期限の日時"))
    at = models.DateTimeField(_("報告日時"))
    # The team agency's supervisors at the time (names are staff, not residents).
    told = models.CharField(_("報告先"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["report", "clock", "due_at"], name="escalation_once_per_due"
            )
        ]
        verbose_name = _("期限超過の報告")
        verbose_name_plural = _("期限超過の報告")

    def __str__(self) -> str:
        return f"{self.report_id} {self.clock} overdue"


class Monitoring(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="monitorings")
    at = models.DateTimeField(_("日時"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("モニタリングの内容"), max_length=1000)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("モニタリング")
        verbose_name_plural = _("モニタリング")

    def __str__(self) -> str:
        return f"monitoring {self.pk} of {self.report_id}"


class SealDecision(models.Model):
    """A decision to seal the person's address (住民基本台帳のDV等支援措置 and 閲覧制限 here)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="seals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("決定日時"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    # The registry's 支援措置 request, when one was filed (申出の受付番号 etc.).
    registry_note = models.CharField(_("住民基本台帳の支援措置"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("閲覧制限の決定")
        verbose_name_plural = _("閲覧制限の決定")

    def __str__(self) -> str:
        return f"seal {self.person_id} ({self.report_id})"


class SafetyPlan(models.Model):
    """The safety plan kept with the report (one, revised; each revision an event)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="safety_plan")
    # The multi-agency case of the same person, when there is one.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risks = models.TextField(_("危険の内容"), blank=True)
    measures = models.TextField(_("安全のための取り決め"))
    contacts = models.TextField(_("緊急時の連絡先・避難先"), blank=True)
    review_on = models.DateField(_("見直し予定日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"))
    updated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("安全計画")
        verbose_name_plural = _("安全計画")

    def __str__(self) -> str:
        return f"safety plan of {self.report_id}"


# ── rights advocacy (権利擁護支援) ──────────────────────────────────────────


class AdvocacyState(models.TextChoices):
    # Being considered: the person may need a guardian or other support.
    OPEN = "open", _("支援中")
    # Ended (a guardian appointed and stable, support elsewhere, moved, died).
    CLOSED = "closed", _("終了")


class GuardianType(models.TextChoices):
    # 後見
    GUARDIANSHIP = "guardianship", _("後見")
    # 保佐
    CURATORSHIP = "curatorship", _("保佐")
    # 補助
    ASSISTANCE = "assistance", _("補助")


class Advocacy(models.Model):
    """A person the core agency (中核機関) supports: may need a guardian or other advocacy."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("開始日時"))
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    needs_guardian = models.BooleanField(_("成年後見の必要"), default=True)
    reason = models.CharField(_("支援の理由"), max_length=500, blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="advocacies"
    )
    state = models.CharField(
        _("状態"), max_length=10, choices=AdvocacyState.choices, default=AdvocacyState.OPEN
    )

    class Meta:
        ordering: ClassVar = ["-opened_at", "-pk"]
        verbose_name = _("権利擁護支援")
        verbose_name_plural = _("権利擁護支援")

    def __str__(self) -> str:
        return f"advocacy {self.pk} ({self.person_id})"


class PetitionStep(models.TextChoices):
    # Started: the ward decided to consider a mayor's petition.
    STARTED = "started", _("申立ての検討開始")
    # 親族調査: relatives searched (none able or willing to petition).
    RELATIVES = "relatives", _("親族調査")
    # 診断書: the doctor's certificate obtained.
    CERTIFICATE = "certificate", _("医師の診断書")
    # 家庭裁判所への申立て.
    PETITIONED = "petitioned", _("家庭裁判所への申立て")
    # 審判: a guardian appointed.
    APPOINTED = "appointed", _("後見人等の選任")
    # Withdrawn (a relative petitioned, the person died, ...).
    WITHDRAWN = "withdrawn", _("取り下げ・中止")


PETITION_ORDER = [
    PetitionStep.STARTED,
    PetitionStep.RELATIVES,
    PetitionStep.CERTIFICATE,
    PetitionStep.PETITIONED,
    PetitionStep.APPOINTED,
]


class Petition(models.Model):
    """A mayor's petition (市区町村長申立て, 老人福祉法 art. 32 等) as a tracked procedure."""

    advocacy = models.ForeignKey(Advocacy, on_delete=models.CASCADE, related_name="petitions")
    guardian_type = models.CharField(_("類型"), max_length=20, choices=GuardianType.choices)
    step = models.CharField(
        _("段階"), max_length=20, choices=PetitionStep.choices, default=PetitionStep.STARTED
    )
    started_at = models.DateTimeField(_("開始日時"))
    relatives_at = models.DateTimeField(_("親族調査の完了"), null=True, blank=True)
    certificate_at = models.DateTimeField(_("診断書の取得"), null=True, blank=True)
    petitioned_at = models.DateTimeField(_("申立ての日時"), null=True, blank=True)
    appointed_at = models.DateTimeField(_("選任の日時"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げの日時"), null=True, blank=True)
    # Who was appointed (a professional or 市民後見人), as the court named them.
    guardian = models.CharField(_("選任された後見人等"), max_length=120, blank=True)
    note = models.CharField(_("備考"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["-started_at", "-pk"]
        verbose_name = _("市区町村長申立て")
        verbose_name_plural = _("市区町村長申立て")

    def __str__(self) -> str:
        return f"petition {self.pk} ({self.step})"


class SupportKind(models.TextChoices):
    # 成年後見制度利用支援事業: a subsidy towards the guardian's fee (報酬助成).
    FEE_SUBSIDY = "fee_subsidy", _("後見人等の報酬助成")
    # A referral to the 社協's 日常生活自立支援事業.
    DAILY_LIFE = "daily_life", _("日常生活自立支援事業へのつなぎ")


class AdvocacySupport(models.Model):
    advocacy = models.ForeignKey(Advocacy, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("種類"), max_length=20, choices=SupportKind.choices)
    at = models.DateTimeField(_("日時"))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(_("助成額（円）"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("備考"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("権利擁護の支援")
        verbose_name_plural = _("権利擁護の支援")

    def __str__(self) -> str:
        return f"{self.kind} for {self.advocacy_id}"
