from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Headers Django does not set itself.

    Pages for signed-in staff may carry personal data, so browsers and
    proxies must not keep them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # A content-hashed asset marked immutable carries no personal data.
        immutable = "immutable" in response.get("Cache-Control", "")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if not immutable:
                response["Cache-Control"] = "no-store"
        return response
