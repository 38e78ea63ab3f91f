from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "tsunagari.consultations"
    label = "consultations"
    verbose_name = "相談・つなぎ"
