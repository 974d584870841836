"""Who is asking, by address: the sign-in lock-out (django-axes, AXES_CLIENT_IP_CALLABLE) and
the API throttle both count requests per client address, and must agree on it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
    the outermost trusted proxy saw (never a value the client can set for itself)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
