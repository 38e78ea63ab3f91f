from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "tsunagari.surveys"
    label = "surveys"
    verbose_name = "孤独・孤立実態調査"
