from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "tsunagari.linkage"
    label = "linkage"
    verbose_name = "データ連携"
