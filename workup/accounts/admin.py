"""The Django admin for practice admins: users and patients of their own practice only."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from workup.accounts.models import Practice, User


class PracticeScopedAdmin(admin.ModelAdmin):
    """A practice admin sees and edits only rows of their own practice; superusers see all."""

    practice_field = "practice"

    def _allowed(self, request):
        user = request.user
        return user.is_superuser or (user.role == User.Role.ADMIN and user.practice_id is not None)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # clinical records are never deleted by a practice

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.practice_field}_id": request.user.practice_id})

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            setattr(obj, f"{self.practice_field}_id", request.user.practice_id)
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            exclude.append(self.practice_field)
        return exclude


@admin.register(User)
class PracticeUserAdmin(PracticeScopedAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "practice", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "practice", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role",
                                                 "practice")}),
    )

    def get_fieldsets(self, request, obj=None):
        sets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return sets
        return [(name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "practice")})
                for name, opts in sets]

    def save_model(self, request, obj, form, change):
        # staff status follows the role: practice admins use the admin, clinicians do not
        obj.is_staff = obj.is_superuser or obj.role == User.Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser


admin.site.site_header = "Leg cramp workup: practice administration"
admin.site.site_title = "Workup admin"
admin.site.index_template = "admin/workup_index.html"
