"""Consumer protection (direction 6-2 防犯対策と消費者保護): scam and consumer-damage
alerts (注意情報), their delivery to the watch network of the alert's towns, and
the visits they ask outreach to make to people at risk.

An alert is written by the consumer affairs centre (消費者センター) from its own
consultations or from a police station's notice, issued by designated staff
(``Action.ISSUE_CONSUMER_ALERTS``), and then:

* each watch-network agency (民生委員協議会, 長寿サポートセンター) of the alert's
  towns gets one :class:`Delivery`; its staff read the alert in their inbox and
  report how many residents they spoke to (a count, never names);
* each person at risk living in the alert's towns gets one :class:`VisitTask`,
  which is an outreach target (the visit is worked in outreach).

Every change goes through ``consumer.services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.outreach.models import OutreachTarget
from tsunagari.people.models import Person


class AlertKind(models.TextChoices):
    # 特殊詐欺: オレオレ詐欺, 還付金詐欺, キャッシュカード詐欺盗 and the like.
    SPECIAL_FRAUD = "special_fraud", _("特殊詐欺")
    # 悪質商法: high-pressure or deceptive selling (訪問販売, 電話勧誘, 催眠商法).
    BAD_BUSINESS = "bad_business", _("悪質商法")
    # 点検商法: a free "inspection" (roof, water, gas) that ends in a costly contract.
    INSPECTION = "inspection", _("点検商法")
    # 架空請求: bills for services never used (letters, text messages, e-mail).
    FAKE_BILLING = "fake_billing", _("架空請求")
    # Anything else, named in the title.
    OTHER = "other", _("その他")


class AlertSource(models.TextChoices):
    # The consumer affairs centre's own consultations.
    CENTRE = "centre", _("消費者センター")
    # A police station's notice (the station is named on the alert).
    POLICE = "police", _("警察署")


class AlertStatus(models.TextChoices):
    # Being written; seen by the centre only, can be edited.
    DRAFT = "draft", _("下書き")
    # Issued: sent to the watch network, visits asked of outreach.
    ISSUED = "issued", _("発信中")
    # Withdrawn: issued by mistake or proved wrong; recipients see it withdrawn.
    WITHDRAWN = "withdrawn", _("取り下げ")
    # Ended: the wave of calls or visits is over; kept for the record.
    ENDED = "ended", _("終了")


class Alert(models.Model):
    """One 注意情報 about scams or consumer damage in some towns of the ward."""

    reference = models.CharField(_("番号"), max_length=20, unique=True)
    kind = models.CharField(_("種類"), max_length=20, choices=AlertKind.choices)
    title = models.CharField(_("件名"), max_length=120)
    description = models.TextField(_("内容（わかりやすい言葉で）"))
    advice = models.TextField(_("住民に伝えてほしいこと"))
    source = models.CharField(_("情報元"), max_length=10, choices=AlertSource.choices)
    police_station = models.CharField(_("警察署名"), max_length=60, blank=True)
    # The towns (町名) the alert concerns; recipients and visits follow them.
    areas = models.JSONField(_("対象の町"), default=list)
    status = models.CharField(
        _("状態"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.DRAFT
    )
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    issued_on = models.DateField(_("発信日"), null=True, blank=True, db_index=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_note = models.CharField(_("取り下げ・終了の理由"), max_length=500, blank=True)
    # People at risk in the area left out of outreach because they (or their
    # household) are sealed (閲覧制限): designated staff contact them directly.
    sealed_withheld = models.PositiveIntegerField(_("区が直接対応する人数"), default=0)
    # Optimistic lock: an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        verbose_name = _("消費者被害の注意情報")
        verbose_name_plural = _("消費者被害の注意情報")

    def __str__(self) -> str:
        return self.reference

    @property
    def source_label(self) -> str:
        if self.source == AlertSource.POLICE and self.police_station:
            return self.police_station
        return str(self.get_source_display())

    @property
    def is_sent(self) -> bool:
        return self.status != AlertStatus.DRAFT


class Delivery(models.Model):
    """An alert as one watch-network agency received it, and what it reported back."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(_("受領の報告日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 声かけ人数: residents the agency spoke to about the alert (a count, no names).
    spoke_to = models.PositiveIntegerField(_("声かけした人数"), null=True, blank=True)
    note = models.CharField(_("報告のメモ"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["agency__kind", "agency__code"]
        verbose_name = _("注意情報の送付")
        verbose_name_plural = _("注意情報の送付")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["alert", "agency"], name="consumer_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.agency_id}"


class Reason(models.TextChoices):
    # 75 or older on the issue date, the only member of their household.
    ALONE_75 = "alone_75", _("75歳以上の一人暮らし")
    # An open (or paused) outreach target.
    OUTREACH = "outreach", _("アウトリーチの対象")
    # The person or a member on an open multi-agency case.
    CASE = "case", _("多機関協働の事例")


class VisitTask(models.Model):
    """A visit an alert asked of outreach for one person at risk (one per person per alert)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    target = models.OneToOneField(
        OutreachTarget, on_delete=models.PROTECT, related_name="consumer_visit"
    )
    reasons = models.JSONField(_("訪問の理由"), default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["alert", "pk"]
        verbose_name = _("注意情報による訪問")
        verbose_name_plural = _("注意情報による訪問")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["alert", "person"], name="consumer_visit_once")
        ]

    def __str__(self) -> str:
        return f"visit for alert {self.alert_id}, person {self.person_id}"
