"""POST /api/v1/assessments: a contract intake in, the contract assessment out. Stores nothing."""
from django.contrib.auth.decorators import login_not_required
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from workup.core.knowledge import knowledge_base
from workup.engine import IntakeError, recommend


@login_not_required
@api_view(["POST"])
@authentication_classes([TokenAuthentication])
@permission_classes([IsAuthenticated])
def assessments(request):
    try:
        return Response(recommend(request.data, knowledge_base()))
    except IntakeError as exc:
        return Response({"errors": {exc.field or "intake": exc.message}}, status=400)
