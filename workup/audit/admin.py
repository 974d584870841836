"""The access log in the admin: read only, and only the events of the admin's own practice."""

from django.contrib import admin

from workup.accounts.admin import PracticeScopedAdmin
from workup.audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(PracticeScopedAdmin):
    list_display = ("at", "username", "action", "patient", "consultation", "document")
    list_filter = ("action",)
    date_hierarchy = "at"
    fields = readonly_fields = (
        "at",
        "username",
        "practice",
        "action",
        "patient",
        "consultation",
        "document",
    )
    # no search box: a search would put what was typed in the URL
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
