from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tsunagari.people"
    label = "people"
    verbose_name = "本人・世帯"

    def ready(self) -> None:
        from tsunagari.people import access

        access.register()
