"""The one front door: consultations, needs raised at intake, and referrals."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tsunagari.accounts.models import Agency, Staff
from tsunagari.consent.models import Consent, SupportMeeting
from tsunagari.people.display import QuickChoiceDisplay
from tsunagari.people.models import IdentityCheck, Person


class Channel(models.TextChoices):
    # The person (or someone for them) came to the office.
    VISIT = "visit", _("来所")
    # A phone call.
    PHONE = "phone", _("電話")
    # Found on a home visit or other outreach.
    OUTREACH = "outreach", _("訪問・アウトリーチ")
    # E-mail, web form, online meeting.
    ONLINE = "online", _("オンライン・メール")
    # Passed on by another agency.
    AGENCY = "agency", _("関係機関から")
    # Passed on by a 民生委員・児童委員.
    COMMISSIONER = "commissioner", _("民生委員から")


class Service(models.TextChoices):
    # 地域包括支援センター (長寿サポートセンター).
    ELDERLY = "elderly", _("高齢（地域包括支援）")
    # 障害者相談支援.
    DISABILITY = "disability", _("障害（障害者相談支援）")
    # 利用者支援事業 (child-rearing).
    CHILD = "child", _("子育て（利用者支援）")
    # 生活困窮者自立相談支援.
    SELF_RELIANCE = "self_reliance", _("生活困窮（自立相談支援）")


class ProblemArea(models.TextChoices):
    # The 16 problem areas of the national intake form, in the form's order,
    # with the ward's own 消費者被害 before その他.
    HEALTH = "health", _("健康・障害")
    HOUSING = "housing", _("住まい")
    INCOME = "income", _("収入")
    RENT_LOAN = "rent_loan", _("家賃・ローン")
    TAX_UTILITIES = "tax_utilities", _("税・公共料金")
    DEBT = "debt", _("債務")
    JOB_SEARCH = "job_search", _("仕事探し")
    WORK_WORRY = "work_worry", _("仕事上の不安")
    COMMUNITY = "community", _("地域")
    FAMILY = "family", _("家族")
    CHILD_REARING = "child_rearing", _("子育て")
    CARE = "care", _("介護")
    WITHDRAWAL = "withdrawal", _("ひきこもり・不登校")
    DV_ABUSE = "dv_abuse", _("DV・虐待")
    FOOD = "food", _("食べるものがない")
    # The ward's addition (direction 6-2): scams, deceptive selling, fake bills;
    # referred to the consumer affairs centre (消費者センター).
    CONSUMER_DAMAGE = "consumer_damage", _("消費者被害")
    OTHER = "other", _("その他")


class Visitor(models.TextChoices):
    # 本人: the person themself.
    SELF = "self", _("本人")
    # A family member or relative.
    FAMILY = "family", _("家族・親族")
    # A neighbour, friend or acquaintance.
    ACQUAINTANCE = "acquaintance", _("近隣・知人")
    # A 民生委員・児童委員.
    COMMISSIONER = "commissioner", _("民生委員")
    # Staff of another agency.
    AGENCY = "agency", _("関係機関の職員")
    # Anyone else.
    OTHER = "other", _("その他")


class Work(models.TextChoices):
    # Not asked or not known.
    UNKNOWN = "", _("未確認")
    REGULAR = "regular", _("就労中（正規）")
    NON_REGULAR = "non_regular", _("就労中（非正規）")
    SELF_EMPLOYED = "self_employed", _("自営")
    SEEKING = "seeking", _("無職（求職中）")
    NOT_WORKING = "not_working", _("無職（求職していない）")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("退職・年金生活")


class Housing(models.TextChoices):
    UNKNOWN = "", _("未確認")
    OWNED = "owned", _("持ち家")
    RENTED = "rented", _("賃貸（民間）")
    PUBLIC = "public", _("公営住宅")
    WITH_OTHERS = "with_others", _("家族・知人宅")
    INSTITUTION = "institution", _("施設・病院")
    UNSTABLE = "unstable", _("不安定（ネットカフェ等）")
    NONE = "none", _("住居なし")


class HealthInsurance(models.TextChoices):
    UNKNOWN = "", _("未確認")
    NATIONAL = "national", _("国民健康保険")
    EMPLOYEE = "employee", _("被用者保険（社会保険）")
    LATE_ELDERLY = "late_elderly", _("後期高齢者医療")
    PUBLIC_ASSISTANCE = "public_assistance", _("生活保護（医療扶助）")
    NONE = "none", _("無保険")


class Pension(models.TextChoices):
    UNKNOWN = "", _("未確認")
    OLD_AGE = "old_age", _("老齢年金")
    DISABILITY = "disability", _("障害年金")
    SURVIVORS = "survivors", _("遺族年金")
    NONE = "none", _("受給なし")


class ConsultationStatus(models.TextChoices):
    # Being typed; autosaved; not yet counted anywhere.
    DRAFT = "draft", _("下書き")
    # Received and recorded; counted in the indicators.
    RECORDED = "recorded", _("受付済み")


class FirstOutcome(models.TextChoices):
    # Not decided yet.
    UNDECIDED = "", _("未定")
    # Resolved at first contact with information or advice.
    RESOLVED = "resolved", _("情報提供で解決")
    # Referred to another agency (a closed-loop referral).
    REFERRAL = "referral", _("他機関へつなぐ")
    # Needs multi-agency work (多機関協働).
    ESCALATION = "escalation", _("多機関協働へ")
    # Needs outreach (アウトリーチ).
    OUTREACH = "outreach", _("アウトリーチが必要")


class Consultation(QuickChoiceDisplay, models.Model):
    """One consultation received at any agency, about anyone."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("受付日"), default=timezone.localdate, db_index=True)
    received_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("受付方法"), max_length=20, choices=Channel.choices, blank=True)
    service = models.CharField(
        _("受け付けた事業"), max_length=20, choices=Service.choices, blank=True
    )
    visitor = models.CharField(_("来談者"), max_length=20, choices=Visitor.choices, blank=True)
    visitor_relation = models.CharField(
        pgettext_lazy("visitor's relation to the person", "続柄"), max_length=30, blank=True
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    # How the person's identity was confirmed when they came themself
    # (people.IdentityCheck); without it the consultation opens nothing.
    identity_check = models.CharField(
        _("本人確認の方法"), max_length=20, choices=IdentityCheck.choices, blank=True
    )
    identity_note = models.CharField(_("本人確認の備考"), max_length=200, blank=True)
    # A person typed at intake but not yet registered (drafts): name, kana, …
    pending_person = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(_("相談の分野"), default=list, blank=True)
    main_problem = models.CharField(
        _("主な分野"), max_length=20, choices=ProblemArea.choices, blank=True
    )
    work = models.CharField(_("仕事"), max_length=20, choices=Work.choices, blank=True)
    housing = models.CharField(_("住まい"), max_length=20, choices=Housing.choices, blank=True)
    health_insurance = models.CharField(
        _("健康保険"), max_length=20, choices=HealthInsurance.choices, blank=True
    )
    pension = models.CharField(_("年金"), max_length=20, choices=Pension.choices, blank=True)
    notes = models.TextField(_("相談内容・メモ"), blank=True)
    outcome = models.CharField(
        _("初回の対応"), max_length=20, choices=FirstOutcome.choices, blank=True
    )
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
        db_index=True,
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic lock: a save made against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-received_on", "-pk"]
        verbose_name = _("相談")
        verbose_name_plural = _("相談")
        indexes: ClassVar = [
            models.Index(fields=["agency", "status"], name="consultation_agency_status")
        ]

    def __str__(self) -> str:
        return f"consultation {self.pk}"

    @property
    def problem_labels(self) -> list[str]:
        labels = dict(ProblemArea.choices)
        return [str(labels.get(p, p)) for p in self.problems or []]


class NeedKind(models.TextChoices):
    # Needs multi-agency work (多機関協働事業).
    MULTI_AGENCY = "multi_agency", _("多機関協働")
    # Needs outreach (アウトリーチ等を通じた継続的支援).
    OUTREACH = "outreach", _("アウトリーチ")


class NeedStatus(models.TextChoices):
    # Waiting for the coordinator or outreach team.
    OPEN = "open", _("未対応")
    # Someone took it on (a case or outreach target follows).
    PICKED_UP = "picked_up", _("対応開始")


class Need(QuickChoiceDisplay, models.Model):
    """A need for multi-agency work or outreach raised at first contact."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="needs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("種類"), max_length=20, choices=NeedKind.choices)
    status = models.CharField(
        _("状態"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    raised_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    raised_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    picked_up_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    picked_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["status", "raised_at"]
        verbose_name = _("対応の必要")
        verbose_name_plural = _("対応の必要")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["consultation", "kind"], name="need_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"need {self.pk} ({self.kind})"


class ReferralStatus(models.TextChoices):
    # Sent; the receiving agency has not opened it yet.
    SENT = "sent", _("送付済み")
    # The receiving agency opened it.
    RECEIVED = "received", _("受領")
    # The receiving agency took the person on (gets a case link).
    ACCEPTED = "accepted", _("受け入れ")
    # The receiving agency declined, with a reason.
    DECLINED = "declined", _("辞退")
    # The sender withdrew it before an answer.
    REVOKED = "revoked", _("取り下げ")
    # An outcome is recorded: the loop is closed.
    CLOSED = "closed", _("結果記録済み")


class ReferralOutcome(models.TextChoices):
    # Not recorded yet.
    NONE = "", _("未記録")
    # The person is connected with the receiving agency.
    CONNECTED = "connected", _("つながった")
    # The person could not be reached.
    NO_CONTACT = "no_contact", _("連絡がつかなかった")
    # The person is not eligible for the agency's services.
    NOT_ELIGIBLE = "not_eligible", _("対象外だった")
    # The agency has no capacity.
    NO_CAPACITY = "no_capacity", _("受け入れ枠がなかった")
    # The person no longer wants support.
    NOT_INTERESTED = "not_interested", _("本人が希望しなくなった")


class Urgency(models.TextChoices):
    # Within the receiving agency's usual response days.
    NORMAL = "normal", _("通常")
    # Sooner than usual: the sender says why in the summary.
    SOON = "soon", _("早めに")
    # Today if at all possible (safety, no food, eviction).
    URGENT = "urgent", _("至急")


class Referral(QuickChoiceDisplay, models.Model):
    """A closed-loop referral (つなぎ) from one agency to another."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("回答期限"))
    # What the sender chose to share with the receiver.
    summary = models.TextField(_("共有する内容"))
    urgency = models.CharField(
        _("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # How and when the person prefers to be contacted (e.g. 平日午前に携帯へ).
    contact_preference = models.CharField(_("本人への連絡の希望"), max_length=200, blank=True)
    # What the person has been told about this referral.
    explained = models.CharField(_("本人に説明したこと"), max_length=500, blank=True)
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_meeting = models.ForeignKey(
        SupportMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状態"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        db_index=True,
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("辞退の理由"), max_length=500, blank=True)
    outcome = models.CharField(
        _("結果"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-sent_at", "-pk"]
        verbose_name = _("つなぎ（紹介）")
        verbose_name_plural = _("つなぎ（紹介）")
        indexes: ClassVar = [
            models.Index(fields=["to_agency", "status"], name="referral_to_status"),
            models.Index(fields=["from_agency", "status"], name="referral_from_status"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def awaiting_answer(self) -> bool:
        return self.status in {ReferralStatus.SENT, ReferralStatus.RECEIVED}

    def is_overdue(self, now: object | None = None) -> bool:
        return self.awaiting_answer and (now or timezone.now()) > self.due_at  # type: ignore[operator]


class ReferralEventKind(models.TextChoices):
    SENT = "sent", _("送付")
    RECEIVED = "received", _("受領")
    ACCEPTED = "accepted", _("受け入れ")
    DECLINED = "declined", _("辞退")
    REVOKED = "revoked", _("取り下げ")
    OUTCOME = "outcome", _("結果の記録")


class ReferralEvent(QuickChoiceDisplay, models.Model):
    """One named step in a referral's history; the timeline is read from these."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ReferralEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("つなぎの経過")
        verbose_name_plural = _("つなぎの経過")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"
