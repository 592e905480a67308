"""Content-Security-Policy and Cache-Control on every page and download.

Django 5.2 has no CSP of its own; the policy is one fixed string, so a few lines here do what django-csp would,
without a dependency and its settings. Scripts only from our own origin (static/js, static/vendor): no inline
script, no inline event handler, no eval. Inline styles stay allowed: ECharts writes style attributes into its
tooltips and the progress bars set their widths inline; a style cannot run code.

Every answer that is not a static file (WhiteNoise answers those before this middleware is reached, with their
own long cache headers) carries `Cache-Control: no-store`: the ledger, the audit log and every export hold
figures a shared computer or a proxy must not keep after the user has signed out.
"""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response["Cache-Control"] = "no-store"
        return response
