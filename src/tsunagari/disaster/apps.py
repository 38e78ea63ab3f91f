from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisasterConfig(AppConfig):
    name = "tsunagari.disaster"
    label = "disaster"
    verbose_name = _("避難行動要支援者")

    def ready(self) -> None:
        from tsunagari.disaster.access import register

        register()
