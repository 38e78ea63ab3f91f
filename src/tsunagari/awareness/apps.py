from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "tsunagari.awareness"
    label = "awareness"
    verbose_name = _("地域共生社会への意識醸成")
