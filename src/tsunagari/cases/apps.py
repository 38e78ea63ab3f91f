from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tsunagari.cases"
    label = "cases"
    verbose_name = _("多機関協働の事例")

    def ready(self) -> None:
        from tsunagari.cases.access import register

        register()
