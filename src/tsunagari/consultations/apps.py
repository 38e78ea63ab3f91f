from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "tsunagari.consultations"
    label = "consultations"
    verbose_name = _("相談・つなぎ")

    def ready(self) -> None:
        from django.core import checks

        from tsunagari.consultations import access, limits

        access.register()
        checks.register(limits.check_data)
