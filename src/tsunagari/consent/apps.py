from __future__ import annotations

from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "tsunagari.consent"
    label = "consent"
    verbose_name = "同意"
