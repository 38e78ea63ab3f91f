from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tsunagari.audit"
    label = "audit"
    verbose_name = "監査ログ"

    def ready(self) -> None:
        from tsunagari.audit import signals  # noqa: F401  (sign-in events)
