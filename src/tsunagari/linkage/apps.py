from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "tsunagari.linkage"
    label = "linkage"
    verbose_name = "データ連携"

    def ready(self) -> None:
        from tsunagari.linkage import access

        access.register()
        from tsunagari.lib import quota
        from tsunagari.linkage.runs import stored_extracts

        quota.register_store("linkage.extracts", stored_extracts)
