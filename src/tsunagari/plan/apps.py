from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "tsunagari.plan"
    label = "plan"
    verbose_name = _("地域福祉計画")

    def ready(self) -> None:
        from tsunagari.lib import quota
        from tsunagari.plan.services import stored_evidence

        quota.register_store("plan.evidence", stored_evidence)
