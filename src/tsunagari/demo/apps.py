from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tsunagari.demo"
    label = "demo"
    verbose_name = "デモ区"
