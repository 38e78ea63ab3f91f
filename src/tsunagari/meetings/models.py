"""The one meeting record that the liaison council and case conferences share.

Abstract models only (no tables here): each app keeps its own tables and
inherits the shape.

* ``MeetingBase``: the day a meeting was held and its agenda.
* ``MinutesBase``: the minutes (議事録) of one meeting, versioned; a save made
  against an older version is refused (``meetings.services.save_minutes``).
  A concrete model adds ``meeting = OneToOneField(<its meeting>)``.
* ``ActionItemBase``: something a meeting agreed to do, assigned to an
  agency, with a due date, a status and the day it was done. It is overdue
  once a working day of the ward (``tsunagari.lib.calendar``) has passed
  after the due date while it is still open. A concrete model adds its
  meeting and its owner, and names in ``AGENCY_FIELD`` the lookup from the
  action to the responsible agency, so one worklist query serves every app.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Staff


class MeetingBase(models.Model):
    """A meeting: the day it was held and its agenda (one item a line)."""

    held_on = models.DateField(_("開催日"))
    agenda = models.TextField(_("議題"), blank=True)

    class Meta:
        abstract = True

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class MinutesBase(models.Model):
    """The minutes of one meeting (議事録); ``version`` counts the saves."""

    text = models.TextField(_("議事録"))
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(default=timezone.now)
    # Optimistic lock: minutes saved against an older version are refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ActionStatus(models.TextChoices):
    # Agreed and not yet done.
    OPEN = "open", _("対応中")
    # Done; done_on says when.
    DONE = "done", _("完了")


class ActionItemBase(models.Model):
    """Something a meeting agreed to do, by a due date, owned by an agency."""

    # The lookup from an action to its responsible agency's id (without ``_id``),
    # e.g. ``"agency"`` or ``"owner__agency"``.
    AGENCY_FIELD: ClassVar[str] = "agency"

    title = models.CharField(_("内容"), max_length=300)
    due_on = models.DateField(_("期限"))
    status = models.CharField(
        _("状態"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def overdue_days(self) -> int:
        """Working days of the ward past the due date while open; 0 when not overdue."""
        from tsunagari.meetings.services import overdue_days

        return overdue_days(self.due_on) if self.is_open else 0

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days > 0
