from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagari.resources"
    label = "resources"
    verbose_name = "地域資源"

    def ready(self) -> None:
        from tsunagari.resources import access

        access.register()
