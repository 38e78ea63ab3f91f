from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "tsunagari.consent"
    label = "consent"
    verbose_name = _("同意")
