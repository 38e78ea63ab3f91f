from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "tsunagari.public"
    label = "public"
    verbose_name = "区民向けページ"
