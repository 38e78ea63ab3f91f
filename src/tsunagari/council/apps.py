from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "tsunagari.council"
    label = "council"
    verbose_name = "孤独・孤立対策連携会議"
