"""Response headers every page gets."""
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Pages may show patient data, so no browser or proxy keeps a copy: every response made
    by a view is `Cache-Control: no-store, private` (static files are served before this, by
    WhiteNoise or runserver, and keep their own caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
    the outermost trusted proxy saw (never a value the client can set for itself)."""
    from django.conf import settings

    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
