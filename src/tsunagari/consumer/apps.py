from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumerConfig(AppConfig):
    name = "tsunagari.consumer"
    label = "consumer"
    verbose_name = _("消費者被害の防止")
