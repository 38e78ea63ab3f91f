from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tsunagari.accounts"
    label = "accounts"
    verbose_name = "職員・関係機関"

    def ready(self) -> None:
        # The sign-in time that the session's absolute lifetime counts from,
        # what a member of staff is told when they sign in, and whether they
        # have an authenticator (asked once, at sign-in).
        from tsunagari.accounts import mfa, notices, sessions  # noqa: F401
