from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "tsunagari.outreach"
    label = "outreach"
    verbose_name = _("アウトリーチ")

    def ready(self) -> None:
        from tsunagari.outreach.access import register

        register()
