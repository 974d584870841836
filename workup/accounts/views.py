"""The user's own API tokens (django-rest-knox): made here, shown once, stored hashed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from knox.models import AuthToken
from knox.settings import knox_settings

PREFIX_SHOWN = 8  # characters of knox's non-secret token_key that identify a token on the page


@require_http_methods(["GET", "POST"])
def api_token(request):
    """GET lists the user's live tokens (made, expires, first characters). POST `make` makes a
    token and shows it on this one response only (knox keeps only its hash, so it can never be
    shown again); POST `revoke` deletes all the user's tokens."""
    new_token = None
    action = request.POST.get("action")
    if action == "revoke":
        count, _ = AuthToken.objects.filter(user=request.user).delete()
        messages.success(
            request,
            "All your API tokens were revoked: none of them works now."
            if count
            else "You had no API tokens.",
        )
        return redirect("api_token")
    if action == "make":
        _, new_token = AuthToken.objects.create(user=request.user)
    elif request.method == "POST":
        return redirect("api_token")
    tokens = AuthToken.objects.filter(user=request.user, expiry__gt=timezone.now()).order_by(
        "-created"
    )
    return render(
        request,
        "accounts/api_token.html",
        {
            "new_token": new_token,
            "tokens": [
                {"prefix": t.token_key[:PREFIX_SHOWN], "created": t.created, "expiry": t.expiry}
                for t in tokens
            ],
            "ttl_days": getattr(knox_settings.TOKEN_TTL, "days", None),  # None: never expire
        },
    )
