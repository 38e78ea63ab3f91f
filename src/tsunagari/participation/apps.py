from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "tsunagari.participation"
    label = "participation"
    verbose_name = _("参加支援")

    def ready(self) -> None:
        from tsunagari.participation.access import register

        register()
