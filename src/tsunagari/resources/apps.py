from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagari.resources"
    label = "resources"
    verbose_name = "地域資源"
