from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "tsunagari.surveys"
    label = "surveys"
    verbose_name = _("孤独・孤立実態調査")

    def ready(self) -> None:
        from tsunagari.lib import quota
        from tsunagari.surveys.services import stored_imports

        quota.register_store("surveys.imports", stored_imports)
