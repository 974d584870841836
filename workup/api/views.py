"""POST /api/v1/assessments: a contract intake in, the contract assessment out. Stores nothing.

Every refusal is JSON in one format, `{"errors": {"field.path": "message"}}` (see errors.py),
and no body, however malformed, makes it fail with a 500.
"""

import json

from django.contrib.auth.decorators import login_not_required
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from workup.accounts.network import client_ip
from workup.api.errors import BodyTooLarge, JSONRenderer, errors
from workup.engine import IntakeError, recommend
from workup.knowledge.loading import knowledge_base

# An intake at every limit (100 medications of 200 characters) is well under 100 KB of JSON;
# a typical one is under 1 KB.
MAX_BODY_BYTES = 256 * 1024


class IntakeParser(BaseParser):
    """JSON, read with limits: at most MAX_BODY_BYTES, UTF-8, no NaN or Infinity, and a
    nesting too deep to parse is refused rather than crashing."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise BodyTooLarge(f"is too large: at most {MAX_BODY_BYTES // 1024} KB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise exceptions.ParseError("must be UTF-8 text") from None
        try:
            return json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise exceptions.ParseError("is nested too deeply") from None
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno})"
            ) from None
        except ValueError:  # an integer of more than 4300 digits
            raise exceptions.ParseError("is not valid JSON (a number is too long)") from None


def _no_constant(name):
    raise exceptions.ParseError(f"is not valid JSON ({name} is not a JSON number)")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check; a header that is not plain ASCII is refused as an invalid token
    (knox would fail decoding it)."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except UnicodeError:
            raise exceptions.AuthenticationFailed() from None

    def authenticate_credentials(self, token: bytes):
        if not token.isascii() or len(token) > 200:
            raise exceptions.AuthenticationFailed()
        return super().authenticate_credentials(token)


class AnonThrottle(AnonRateThrottle):
    """Calls without a valid token: the `anon` rate, per client address (the address the
    trusted proxy saw, never X-Forwarded-For as the client wrote it)."""

    def get_ident(self, request):
        return client_ip(request) or ""


class UserThrottle(UserRateThrottle):
    """Calls with a valid token: the `user` rate, per user."""

    def get_ident(self, request):
        return client_ip(request) or ""


class Assessments(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [IntakeParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonThrottle, UserThrottle]

    def handle_exception(self, exc):
        # DRF throttles only once a call is authenticated, so calls without a valid token
        # (guessing tokens) would never be throttled: they count at the anonymous rate here.
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            for throttle in self.get_throttles():
                if isinstance(throttle, AnonRateThrottle) and not throttle.allow_request(
                    self.request, self
                ):
                    exc = exceptions.Throttled(throttle.wait())
                    break
        return super().handle_exception(exc)

    def post(self, request):
        if request.stream is None:
            raise exceptions.ParseError("is empty: send a contract intake as JSON")
        data = request.data
        try:
            return Response(recommend(data, knowledge_base()))
        except IntakeError as exc:
            return errors(400, exc.field or "intake", exc.message)


assessments = login_not_required(Assessments.as_view())
