"""A mark that this database holds the synthetic demo ward.

``tsunagari demo`` writes it; every page then says that what it shows is
sample data (staff pages and the residents' pages alike), so a screenshot or
a printed report of the demo is never mistaken for the ward's real records.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoWard(models.Model):
    loaded_at = models.DateTimeField(_("読み込み日時"), default=timezone.now)
    people = models.PositiveIntegerField(_("住民数"), default=0)
    seed = models.IntegerField(_("乱数の種"), default=0)

    class Meta:
        verbose_name = _("デモ区")
        verbose_name_plural = _("デモ区")

    def __str__(self) -> str:
        return f"demo ward ({self.people} people, seed {self.seed})"


def is_demo_ward() -> bool:
    """True when the demo ward was loaded into this database."""
    return DemoWard.objects.exists()
