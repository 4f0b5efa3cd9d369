"""Content-Security-Policy on every response: scripts from this site or carrying the nonce.

No page has an inline script or event-handler attribute; data for scripts travels in
`json_script` blocks (type application/json, never executed) and `data-` attributes, so an
injected `<script>` or `onerror=` cannot run. Styles allow inline: CodeMirror and xterm.js insert
style elements at run time and member colours are style attributes; CSS cannot run script.
`{{ csp_nonce }}` is in every template's context for a script that must be inline one day.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def csp_policy(request: HttpRequest, nonce: str) -> str:
    extra = next(
        (sources for prefix, sources in settings.CSP_PATH_SOURCES.items()
         if request.path.startswith(prefix)),
        "",
    )  # fmt: skip
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}' {extra}",
        "style-src": f"'self' 'unsafe-inline' {extra}",
        "img-src": f"'self' data: blob: {extra}",
        "font-src": "'self' data:",
        # 'self' covers same-origin ws:/wss: in browsers of CSP level 3; spelled out for others.
        "connect-src": f"'self' {'wss' if request.is_secure() else 'ws'}://{request.get_host()}",
        "media-src": "'self' blob: mediastream:",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value.strip()}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", csp_policy(request, request.csp_nonce))
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Template context: `csp_nonce` for `<script nonce="{{ csp_nonce }}">`."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
