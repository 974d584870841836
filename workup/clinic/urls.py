from django.urls import path

from workup.clinic import views

urlpatterns = [
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/new/", views.patient_create, name="patient_create"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<uuid:patient_id>/consultations/new/",
        views.consultation_create,
        name="consultation_create",
    ),
    path(
        "patients/<uuid:patient_id>/live-assessment/", views.live_assessment, name="live_assessment"
    ),
    path(
        "consultations/<uuid:consultation_id>/",
        views.consultation_review,
        name="consultation_review",
    ),
    path(
        "consultations/<uuid:consultation_id>/intake/",
        views.consultation_edit,
        name="consultation_edit",
    ),
    path(
        "consultations/<uuid:consultation_id>/results/",
        views.consultation_results,
        name="consultation_results",
    ),
    path(
        "results/<uuid:result_id>/acknowledge/",
        views.result_acknowledge,
        name="result_acknowledge",
    ),
    path(
        "consultations/<uuid:consultation_id>/decisions/",
        views.decision_record,
        name="decision_record",
    ),
    path(
        "consultations/<uuid:consultation_id>/decisions/accept-all/",
        views.decisions_accept_all,
        name="decisions_accept_all",
    ),
]
