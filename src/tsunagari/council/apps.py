from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "tsunagari.council"
    label = "council"
    verbose_name = _("孤独・孤立対策連携会議")

    def ready(self) -> None:
        from tsunagari.council.services import stored_documents
        from tsunagari.lib import quota

        quota.register_store("council.documents", stored_documents)
