"""The welfare workforce (direction 9-1): qualifications, training, supervision per agency."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "tsunagari.workforce"
    label = "workforce"
    verbose_name = _("福祉人材")

    def ready(self) -> None:
        from tsunagari.workforce.access import register

        register()
