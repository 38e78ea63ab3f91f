"""Barrier reports (7-1 まちのバリアフリー化): a resident tells the ward about a
barrier at a place of the directory or on a street, without signing in; staff
pass it to the responsible department and move it to an answer the reporter
reads by the report's reference."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BarrierWhere(models.TextChoices):
    # At a place of the directory (a location, chosen from the list).
    PLACE = "place", _("施設・場所")
    # On a street, a park or a station area (town and description).
    STREET = "street", _("道路・公園など")


class BarrierStatus(models.TextChoices):
    # Reached the ward; nobody has passed it on yet.
    RECEIVED = "received", _("受付")
    # Passed to the responsible department.
    ASSIGNED = "assigned", _("担当課へ送付")
    # The department is dealing with it.
    IN_PROGRESS = "in_progress", _("対応中")
    # Dealt with; the public answer says how.
    RESOLVED = "resolved", _("対応済み")
    # Cannot be acted on (not the ward's, not found, not a barrier); the answer says why.
    NOT_ACTIONABLE = "not_actionable", _("対応不可")


CLOSED = frozenset({BarrierStatus.RESOLVED, BarrierStatus.NOT_ACTIONABLE})
# Where each status may go next.
NEXT: dict[str, frozenset[str]] = {
    BarrierStatus.RECEIVED: frozenset({BarrierStatus.ASSIGNED, BarrierStatus.NOT_ACTIONABLE}),
    BarrierStatus.ASSIGNED: frozenset(
        {BarrierStatus.IN_PROGRESS, BarrierStatus.RESOLVED, BarrierStatus.NOT_ACTIONABLE}
    ),
    BarrierStatus.IN_PROGRESS: frozenset({BarrierStatus.RESOLVED, BarrierStatus.NOT_ACTIONABLE}),
    BarrierStatus.RESOLVED: frozenset(),
    BarrierStatus.NOT_ACTIONABLE: frozenset(),
}


class Department(models.TextChoices):
    # Roads, pavements, kerbs, tactile paving.
    ROADS = "roads", _("道路課")
    # Ward buildings (区の施設).
    FACILITIES = "facilities", _("施設課")
    # Parks, rivers, waterside paths.
    PARKS = "parks", _("公園河川課")
    # Crossings, signals, bicycles left on pavements.
    TRAFFIC = "traffic", _("交通対策課")
    # The organisation that runs the place (from the directory).
    KEEPER = "keeper", _("施設の管理者")
    # Anyone else (named in the staff note).
    OTHER = "other", _("その他")


class BarrierReport(models.Model):
    reference = models.CharField(_("受付番号"), max_length=12, unique=True)
    where = models.CharField(_("場所の種類"), max_length=8, choices=BarrierWhere.choices)
    # The directory's location (HSDS id) when ``where`` is a place.
    location_id = models.CharField(max_length=64, blank=True, db_index=True)
    place_name = models.CharField(_("施設・場所"), max_length=200, blank=True)
    town = models.CharField(_("町名"), max_length=40, db_index=True)
    description = models.TextField(_("内容"))
    # For the answer only; only staff who work the reports see it.
    contact = models.CharField(_("連絡先"), max_length=200, blank=True)
    status = models.CharField(
        _("状況"),
        max_length=16,
        choices=BarrierStatus.choices,
        default=BarrierStatus.RECEIVED,
        db_index=True,
    )
    department = models.CharField(_("担当"), max_length=16, choices=Department.choices, blank=True)
    # What the reporter reads by the reference.
    public_answer = models.TextField(_("区からの回答"), blank=True)
    # Staff only (who was called, what the department said).
    staff_note = models.TextField(_("職員メモ"), blank=True)
    received_at = models.DateTimeField(_("受付日時"), db_index=True)
    updated_at = models.DateTimeField(_("更新日時"))
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最後に対応した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A keyed hash of the sender's address, for the rate limit only.
    client_key = models.CharField(max_length=16, blank=True, db_index=True)

    class Meta:
        ordering: ClassVar = ["-received_at", "-pk"]
        verbose_name = _("バリアの報告")
        verbose_name_plural = _("バリアの報告")

    def __str__(self) -> str:
        return self.reference
