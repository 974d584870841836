from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workup.accounts.admin import PracticeScopedAdmin
from workup.clinic.forms import PatientForm
from workup.clinic.models import Patient


@admin.register(Patient)
class PatientAdmin(PracticeScopedAdmin, SimpleHistoryAdmin):
    """Patients of the admin's practice, checked as the clinical screens check them (date of
    birth, NHS number and its check digit, one patient per NHS number in a practice)."""

    form = PatientForm
    fields = ("practice", *PatientForm.Meta.fields, "public_id")  # practice: superusers only
    list_display = ("name", "date_of_birth", "sex", "nhs_number", "mrn", "language")
    # no search box: a search would put a patient's name in the URL
    readonly_fields = ("public_id",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # the practice in which the NHS number must be unique: the row's, else the admin's (a
        # superuser's new patient is checked by the database constraint on the chosen practice)
        row = getattr(request, "workup_revert_of", None) or obj  # a revert: the row as it is
        practice = (
            row.practice
            if row is not None
            else (None if request.user.is_superuser else request.user.practice)
        )

        class PatientAdminForm(form):
            def __init__(self, *args, **kwargs):
                kwargs.setdefault("practice", practice)
                super().__init__(*args, **kwargs)

        return PatientAdminForm
