from django.urls import path

from workup.api import views

urlpatterns = [
    path("v1/assessments", views.assessments, name="api_assessments"),
]
