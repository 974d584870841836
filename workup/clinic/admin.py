from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workup.accounts.admin import PracticeScopedAdmin
from workup.clinic.models import Patient


@admin.register(Patient)
class PatientAdmin(PracticeScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "date_of_birth", "sex", "nhs_number", "mrn", "language")
    # no search box: a search would put a patient's name in the URL
    readonly_fields = ("public_id",)
