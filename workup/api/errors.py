"""One error format for the whole API: `{"errors": {"field.path": "message"}}`.

Every 4xx answer has it: a bad intake names the intake's field (`cramps.longest_minutes`); a
problem with the request itself names what was wrong with it: `body` (not JSON, not UTF-8,
nested too deeply, too large, empty), `content_type`, `authorization` (401), `rate_limit`
(429, with Retry-After), `method` (405), `accept` (406), `path` (404).

`exception_handler` is the DRF exception handler that writes it, the project's default
(`REST_FRAMEWORK["EXCEPTION_HANDLER"]` in settings).
"""

import json
import math

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from rest_framework import exceptions, renderers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

TOKEN_PAGE = "/accounts/api-token/"


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "is too large"


def errors(status_code: int, field: str, message: str, headers=None) -> Response:
    return Response({"errors": {field: message}}, status=status_code, headers=headers)


def exception_handler(exc, context):
    """DRF's handler, then its answer rewritten into the one error format (None, and so a
    500, only for an exception that is not a request error: a bug)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _fields(exc, response.data)}
    if isinstance(exc, exceptions.Throttled):
        response["Retry-After"] = str(_seconds(exc.wait))
    return response


def _fields(exc, data) -> dict:
    if isinstance(exc, (exceptions.ParseError, BodyTooLarge)):
        return {"body": str(exc.detail)}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return {"content_type": "must be application/json"}
    if isinstance(exc, exceptions.NotAuthenticated):
        return {
            "authorization": "is required: send 'Authorization: Token <your token>' "
            f"(make a token at {TOKEN_PAGE})"
        }
    if isinstance(exc, exceptions.AuthenticationFailed):
        return {
            "authorization": "the token is not valid or has expired "
            f"(make a new one at {TOKEN_PAGE})"
        }
    if isinstance(exc, exceptions.PermissionDenied):
        return {"authorization": str(exc.detail)}
    if isinstance(exc, exceptions.Throttled):
        return {"rate_limit": f"too many requests: try again in {_seconds(exc.wait)} seconds"}
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = exc.args[0] if exc.args else ""
        method = method if method.isalpha() and len(method) <= 10 else "this method"
        return {"method": f"{method} is not allowed: use POST"}
    if isinstance(exc, exceptions.NotAcceptable):
        return {"accept": "this API answers in application/json only"}
    if isinstance(exc, exceptions.NotFound):
        return {"path": "not found"}
    if isinstance(data, dict) and "detail" not in data:  # a ValidationError's fields
        return {str(k): _text(v) for k, v in _flat(data)}
    return {"request": _text(data.get("detail", data) if isinstance(data, dict) else data)}


def _flat(data, prefix=""):
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from _flat(value, name)
        else:
            yield name, value


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _seconds(wait) -> int:
    return max(1, math.ceil(wait)) if wait is not None else 60


class JSONRenderer(renderers.JSONRenderer):
    """UTF-8 JSON. Text the intake check lets through is always valid Unicode; should a string
    ever hold an unpaired surrogate (which UTF-8 cannot carry), it is written as a \\u escape
    rather than failing the response."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return json.dumps(
                data,
                cls=self.encoder_class,
                ensure_ascii=True,
                allow_nan=False,
                separators=(",", ":"),
            ).encode("ascii")


@login_not_required
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a 404 in the same format (not an HTML page)."""
    return JsonResponse(
        {"errors": {"path": "no such API address: the API is POST /api/v1/assessments"}}, status=404
    )
