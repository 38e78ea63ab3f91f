from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "tsunagari.consultations"
    label = "consultations"
    verbose_name = "相談・つなぎ"

    def ready(self) -> None:
        from tsunagari.consultations import access

        access.register()
