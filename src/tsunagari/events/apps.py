from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "tsunagari.events"
    label = "events"
    verbose_name = _("経過")
