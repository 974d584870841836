from django.urls import path, re_path

from workup.api import errors, views

urlpatterns = [
    path("v1/assessments", views.assessments, name="api_assessments"),
    re_path(r"", errors.not_found),  # anything else under /api/: a JSON 404
]
