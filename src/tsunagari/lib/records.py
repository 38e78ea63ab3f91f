"""Fields that several apps' records share, as abstract models (no table of their own).

Kept apart from ``lib.versioned`` (the actions) so that an app's ``models``
imports no services while the app registry loads.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedRecord(models.Model):
    """When and by whom a record was made, when last saved, and its version."""

    created = models.DateTimeField(_("登録日時"))
    created_by = models.ForeignKey(
        "accounts.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("更新日時"))
    # Optimistic lock: a correction saved against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
