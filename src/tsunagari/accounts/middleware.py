from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware

#: Addresses and host names of the machine itself.
LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "::1"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
#: Headers a proxy adds: a request carrying one did not come straight from a local browser.
_FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_FORWARDED",
)


def from_this_machine(request: HttpRequest) -> bool:
    """A browser or health check on the server itself, not through the proxy.

    True only when the connection comes from a loopback address, names a
    loopback host and carries no proxy header: nobody on the network reaches
    the application that way, so there is nothing to redirect to HTTPS.
    """
    host, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
    return (
        request.META.get("REMOTE_ADDR", "") in LOOPBACK_ADDRESSES
        and host in LOOPBACK_HOSTS
        and not any(name in request.META for name in _FORWARDED)
    )


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's security middleware; plain HTTP from the server itself is not redirected.

    With ``SECURE_SSL_REDIRECT`` (on in production) every plain-HTTP request
    is sent to HTTPS, so the application never serves a page in clear text to
    the network even if reached without the TLS proxy. ``http://127.0.0.1``
    opened on the server itself (a local trial, a health check) keeps working.
    """

    def process_request(self, request: HttpRequest) -> HttpResponsePermanentRedirect | None:
        if self.redirect and not request.is_secure() and from_this_machine(request):
            return None
        return super().process_request(request)


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
        # A JSON answer opened directly in a browser is saved, never rendered
        # (ASVS 14.4.2); scripts reading it with fetch are not affected.
        if request.path.startswith("/api/") and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response.setdefault("Content-Disposition", 'attachment; filename="api.json"')
        # A content-hashed asset marked immutable carries no personal data.
        immutable = "immutable" in response.get("Cache-Control", "")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if not immutable:
                response["Cache-Control"] = "no-store"
        return response
