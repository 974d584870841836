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
