from django.urls import path

from workup.documents import views

urlpatterns = [
    path(
        "consultations/<uuid:consultation_id>/documents/",
        views.document_create,
        name="document_create",
    ),
    path("documents/<uuid:document_id>/", views.document_detail, name="document_detail"),
    path("documents/<uuid:document_id>/pdf", views.document_file, name="document_file"),
]
