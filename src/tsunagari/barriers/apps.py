from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarriersConfig(AppConfig):
    name = "tsunagari.barriers"
    label = "barriers"
    verbose_name = _("まちのバリアフリー")
