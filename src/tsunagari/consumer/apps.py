"""Consumer protection (direction 6-2): scam and consumer-damage alerts, the watch network, visits to people at risk."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumerConfig(AppConfig):
    name = "tsunagari.consumer"
    label = "consumer"
    verbose_name = _("消費者被害の防止")

    def ready(self) -> None:
        from tsunagari.consumer import access

        access.register()
