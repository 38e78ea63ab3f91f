"""Outreach (アウトリーチ等を通じた継続的支援事業): the people the outreach team
tries to reach, every attempt and meeting, and the handover when they are
connected.

A target is a person, a household (through one of its members), or only
partly identified (an address or a town and a description) until the team
ties it to a person through the look-up. Targets are seen by the outreach
team and, once connected, by the agency they were handed over to
(``outreach.access``); a tip's sender gets only its reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.cases.models import Case
from tsunagari.consultations.models import Consultation, Need, Referral
from tsunagari.linkage.models import Candidate
from tsunagari.people.display import QuickChoiceDisplay
from tsunagari.people.models import Household, Person

if TYPE_CHECKING:
    from datetime import date


class TargetKind(models.TextChoices):
    # One known person.
    PERSON = "person", _("本人")
    # A household, reached through one of its members.
    HOUSEHOLD = "household", _("世帯")
    # Only an address or town and a description; tied to a person later.
    PARTIAL = "partial", _("一部のみ判明")


class Source(models.TextChoices):
    # An early-detection candidate designated staff decided to pass to outreach.
    CANDIDATE = "candidate", _("早期把握の候補")
    # A need of kind outreach raised at a consultation and picked up.
    NEED = "need", _("相談からの依頼")
    # A consultation whose person could not be reached.
    CONSULTATION = "consultation", _("連絡がつかなかった相談")
    # A tip from a 民生委員, neighbour, landlord, utility or agency.
    TIP = "tip", _("気づきの連絡")
    # A person at risk in the area of a scam or consumer-damage alert (consumer app).
    ALERT = "consumer_alert", _("消費者被害の注意情報")


class Tipster(models.TextChoices):
    # 民生委員・児童委員.
    COMMISSIONER = "commissioner", _("民生委員・児童委員")
    # A neighbour (passed on by whoever took the call).
    NEIGHBOUR = "neighbour", _("近隣住民")
    # A landlord or housing manager.
    LANDLORD = "landlord", _("家主・管理会社")
    # Electricity, gas, water, newspaper or delivery.
    UTILITY = "utility", _("電気・ガス・水道・配達事業者")
    # Another agency.
    AGENCY = "agency", _("関係機関")


class State(models.TextChoices):
    # Recorded; nobody has tried to make contact yet.
    NEW = "new", _("新規")
    # Attempts are being made (visits, calls, letters); no meeting yet.
    TRYING = "trying", _("接触を試みている")
    # The team has met the person (or household).
    IN_CONTACT = "in_contact", _("接触できた")
    # Meeting regularly; building the trust support needs.
    BUILDING_TRUST = "building_trust", _("関係づくり")
    # Handed over to an agency or a multi-agency case, with a note.
    CONNECTED = "connected", _("支援につながった")
    # Ended, with a reason.
    CLOSED = "closed", _("終了")
    # Put aside with a date to look again.
    PAUSED = "paused", _("一時休止")


# States worked on (shown in the worker's list).
OPEN_STATES = (State.NEW, State.TRYING, State.IN_CONTACT, State.BUILDING_TRUST)
# The order the team chart stacks them in.
STATE_ORDER = [s.value for s in State]


class CloseReason(models.TextChoices):
    # Support is no longer needed (e.g. family took over).
    NOT_NEEDED = "not_needed", _("支援の必要がなくなった")
    # The person said clearly they do not want contact.
    REFUSED = "refused", _("本人が関わりを望まない")
    # Could not be reached after repeated attempts.
    UNREACHABLE = "unreachable", _("繰り返し試みても接触できない")
    # Moved out of the ward.
    MOVED = "moved", _("区外へ転出した")
    # The person died.
    DIED = "died", _("亡くなった")
    # Connected support ended the outreach.
    DONE = "done", _("引き継ぎが済んだ")
    # Anything else, written in the note.
    OTHER = "other", _("その他")


class Method(models.TextChoices):
    # A home visit.
    VISIT = "visit", _("訪問")
    # A phone call.
    PHONE = "phone", _("電話")
    # A letter or a note through the door.
    LETTER = "letter", _("手紙")
    # Through a partner: a 民生委員, a landlord, a neighbour.
    PARTNER = "partner", _("協力者を通じて")


class Result(models.TextChoices):
    # Nobody answered.
    NO_ANSWER = "no_answer", _("応答なし")
    # A note or letter was left.
    NOTE_LEFT = "note_left", _("メモを残した")
    # The person (or household) was met.
    MET = "met", _("会えた")
    # The person refused contact.
    REFUSED = "refused", _("拒否された")
    # Someone else was met (family, neighbour).
    MET_OTHER = "met_other", _("本人以外に会えた")


class Risk(models.TextChoices):
    # No answer for days and mail piling up: immediate.
    NO_ANSWER_MAIL = "no_answer_mail", _("何日も応答がなく郵便物がたまっている")
    # Signs of abuse or violence: immediate.
    ABUSE = "abuse", _("虐待・暴力の疑い")
    # Talk or signs of self-harm: immediate.
    SELF_HARM = "self_harm", _("自傷・自殺をほのめかす")
    # Sudden illness, weakness, cannot move: immediate.
    HEALTH = "health", _("急な体調悪化・衰弱")
    # Electricity, gas or water cut off.
    UTILITIES = "utilities", _("電気・ガス・水道の停止")
    # Not eating.
    NO_FOOD = "no_food", _("食事がとれていない")
    # Rubbish piling up, unhygienic home.
    HOARDING = "hoarding", _("ごみの堆積・不衛生")
    # Nobody to turn to.
    ALONE = "alone", _("頼れる人がいない")


# Signs that ask for an escalation, recorded with who was told.
IMMEDIATE_RISKS = frozenset({Risk.NO_ANSWER_MAIL, Risk.ABUSE, Risk.SELF_HARM, Risk.HEALTH})


class Tip(QuickChoiceDisplay, models.Model):
    """A tip passed to the outreach team; its sender gets the reference only."""

    reference = models.CharField(_("受付番号"), max_length=20, unique=True)
    tipster = models.CharField(_("連絡元"), max_length=20, choices=Tipster.choices)
    sent_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    sent_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    town = models.CharField(_("町名"), max_length=40, blank=True)
    address = models.CharField(_("住所・場所"), max_length=300, blank=True)
    description = models.TextField(_("気づいたこと"))

    class Meta:
        ordering: ClassVar = ["-sent_at", "-pk"]
        verbose_name = _("気づきの連絡")
        verbose_name_plural = _("気づきの連絡")

    def __str__(self) -> str:
        return self.reference


class OutreachTarget(QuickChoiceDisplay, models.Model):
    kind = models.CharField(_("対象の種類"), max_length=12, choices=TargetKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Partly identified targets: where, and what is known. Cleared of the
    # address once tied to a person (the person's record carries it, sealed or not).
    town = models.CharField(_("町名"), max_length=40, blank=True)
    address = models.CharField(_("住所・場所"), max_length=300, blank=True)
    description = models.TextField(_("状況の説明"), blank=True)

    source = models.CharField(_("きっかけ"), max_length=20, choices=Source.choices)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    need = models.OneToOneField(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="outreach_target"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tip = models.OneToOneField(
        Tip, null=True, blank=True, on_delete=models.PROTECT, related_name="target"
    )

    state = models.CharField(_("段階"), max_length=20, choices=State.choices, default=State.NEW)
    worker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("担当"),
    )  # fmt: skip
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    state_since = models.DateTimeField(default=timezone.now)

    # Connected: to an agency (optionally through a referral) or to a case.
    handover_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("つないだ機関"),
    )  # fmt: skip
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handover_note = models.TextField(_("引き継ぎの内容"), blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)

    close_reason = models.CharField(
        _("終了の理由"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("理由の説明"), max_length=500, blank=True)
    pause_until = models.DateField(_("見直す日"), null=True, blank=True)
    pause_note = models.CharField(_("休止の理由"), max_length=500, blank=True)

    # The next contact the latest contact (by its date, then as recorded)
    # planned, kept by ``services.log_contact``: the worker's list orders a
    # whole caseload on it without reading every target's contacts.
    next_contact_on = models.DateField(_("次回の予定"), null=True, blank=True, editable=False)

    # Optimistic lock: an offline note written against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("アウトリーチの対象")
        verbose_name_plural = _("アウトリーチの対象")
        indexes: ClassVar = [
            models.Index(fields=["state", "worker"], name="outreach_state_worker"),
            # The targets nobody has taken, oldest first (``worklists.waiting_ids``):
            # read in order and stopped at the page, not sorted whole.
            models.Index(fields=["worker", "created_at", "id"], name="outreach_worker_created"),
            # A worker's caseload ordered and counted from the index alone
            # (``worklists.by_urgency``), however many targets they hold.
            models.Index(
                fields=["worker", "state", "next_contact_on"], name="outreach_worker_next"
            ),
        ]

    def __str__(self) -> str:
        return f"outreach target {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Contact(QuickChoiceDisplay, models.Model):
    """One attempt or meeting, with what was seen and the next planned contact."""

    target = models.ForeignKey(OutreachTarget, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("日付"))
    method = models.CharField(_("方法"), max_length=12, choices=Method.choices)
    result = models.CharField(_("結果"), max_length=12, choices=Result.choices)
    living = models.TextField(_("生活の様子"), blank=True)
    risks = models.JSONField(_("気になる兆候"), default=list, blank=True)
    risk_note = models.CharField(_("兆候の補足"), max_length=500, blank=True)
    next_on = models.DateField(_("次回の予定"), null=True, blank=True)
    # Immediate risk: who was told (name and agency), and when.
    told = models.CharField(_("報告した相手"), max_length=200, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # A note written offline carries its own id, so a resend is not a second contact.
    client_ref = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering: ClassVar = ["-on", "-pk"]
        verbose_name = _("訪問・連絡の記録")
        verbose_name_plural = _("訪問・連絡の記録")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["target", "client_ref"],
                condition=~models.Q(client_ref=""),
                name="outreach_contact_client_ref_once",
            )
        ]

    def __str__(self) -> str:
        return f"contact {self.pk} on target {self.target_id}"

    @property
    def risk_labels(self) -> list[str]:
        labels = dict(Risk.choices)
        return [str(labels.get(r, r)) for r in self.risks or []]


def latest_next_on(target_id: int) -> date | None:
    """The next contact the target's latest contact planned (by date, then as
    recorded): what ``OutreachTarget.next_contact_on`` keeps."""
    return (
        Contact.objects.filter(target_id=target_id)
        .order_by("-on", "-pk")
        .values_list("next_on", flat=True)
        .first()
    )
