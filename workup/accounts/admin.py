"""The Django admin for practice admins: users and patients of their own practice only.

Every admin view of a practice-scoped model (changelist, add, change, history, history
detail and revert, delete, autocomplete, password change) reaches rows through
`get_queryset`, which holds only the admin's own practice: a row of another practice is "not
found". A row never changes practice in the admin except by a superuser's explicit edit; a
revert keeps the row's practice. Who may do what to whom is in `workup.accounts.rules`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from workup.accounts import rules
from workup.accounts.models import Practice, User


class PracticeScopedAdmin(admin.ModelAdmin):
    """A practice admin sees and edits only rows of their own practice; superusers see all."""

    practice_field = "practice"  # a foreign key to Practice on the model

    def _allowed(self, request):
        user = request.user  # may be anonymous (the admin's login page lists no apps)
        return user.is_superuser or rules.user_is_practice_admin(user)

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

    def scope(self, request, queryset):
        """`queryset` (of the model or of its history) cut to the admin's practice."""
        if request.user.is_superuser:
            return queryset
        if not self._allowed(request):
            return queryset.none()
        return queryset.filter(**{f"{self.practice_field}_id": request.user.practice_id})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        field = f"{self.practice_field}_id"
        reverted = getattr(request, "workup_revert_of", None)
        if reverted is not None:  # a revert never moves a row to another practice
            setattr(obj, field, getattr(reverted, field))
        elif not request.user.is_superuser:
            setattr(obj, field, request.user.practice_id)
        super().save_model(request, obj, form, change)

    def _practice_hidden(self, request):
        """The practice is not in the form: it is the admin's own, or in a revert the row's."""
        return not request.user.is_superuser or hasattr(request, "workup_revert_of")

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self._practice_hidden(request):
            exclude.append(self.practice_field)
        return exclude

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._practice_hidden(request) and self.practice_field not in self.readonly_fields:
            fields = [f for f in fields if f != self.practice_field]
        return fields

    # -- django-simple-history's views (used when the admin is also a SimpleHistoryAdmin) ---

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """Only the historical rows of the admin's practice: a row as it was in another
        practice is never shown."""
        return self.scope(
            request, super().get_history_queryset(request, history_manager, pk_name, object_id)
        )

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            # simple-history would otherwise show the history of any row, even a deleted one
            raise Http404("No such record in your practice.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, and Revert: the row and that version must both be of the admin's
        practice, and the revert keeps the row's current practice."""
        current = self.get_object(request, unquote(object_id))
        history = self.model._meta.simple_history_manager_attribute
        versions = self.scope(
            request,
            getattr(self.model, history).filter(
                **{self.model._meta.pk.attname: unquote(object_id)}
            ),
        )
        try:
            found = current is not None and versions.filter(history_id=version_id).exists()
        except (ValueError, ValidationError):  # not an id at all
            found = False
        if not found:
            raise Http404("No such record in your practice.")
        request.workup_revert_of = current
        return super().history_form_view(request, object_id, version_id, extra_context)


# What a practice admin may change on a GP's account (the rest is the GP's or the operator's).
GP_FIELDS_A_PRACTICE_ADMIN_EDITS = ("is_active", "registration_body", "registration_number")


class RoleRulesForm(forms.ModelForm):
    """The user forms: a role a practice admin may not give is refused on the role field.
    `actor` (who is editing) is set by `PracticeUserAdmin.get_form`."""

    actor = None

    def clean_role(self):
        role = self.cleaned_data["role"]
        # self.instance still holds the role before the change (None for a new user)
        refusal = rules.role_change_refusal(actor=self.actor, target=self.instance, new_role=role)
        if refusal:
            raise forms.ValidationError(refusal)
        return role


class UserChangeForm(RoleRulesForm, UserAdmin.form):
    pass


class UserCreationForm(RoleRulesForm, UserAdmin.add_form):
    pass


@admin.register(User)
class PracticeUserAdmin(PracticeScopedAdmin, UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "first_name", "last_name", "role", "practice", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "practice", "is_active", "is_staff")}),
        # printed under the clinician's signature on letters and requests
        ("Professional registration", {"fields": ("registration_body", "registration_number")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "usable_password",
                    "password1",
                    "password2",
                    "role",
                    "practice",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.exclude(is_superuser=True)

    def _edit_refusal(self, request, obj):
        return obj is not None and rules.account_edit_refusal(actor=request.user, target=obj)

    def get_fieldsets(self, request, obj=None):
        sets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return sets
        # the practice is the admin's own; staff status follows the role; a GP's password is
        # not the admin's to change (the link to its form is not shown)
        hidden = {"practice", "is_staff"} | (
            {"password"} if self._edit_refusal(request, obj) else set()
        )
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
            for name, opts in sets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._edit_refusal(request, obj):
            # a GP: the admin may only deactivate them and keep their registration number up
            # to date (the practice keeps it for the letters)
            readonly += [
                f
                for _, opts in self.get_fieldsets(request, obj)
                for f in opts["fields"]
                if f not in GP_FIELDS_A_PRACTICE_ADMIN_EDITS
            ]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser:
            initial.setdefault("role", User.Role.NURSE)  # the GP role is not the admin's to give
        return initial

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and self._edit_refusal(request, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        # staff status follows the role: practice admins use the admin, clinicians do not
        obj.is_staff = obj.is_superuser or obj.role == User.Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    """Superusers add and edit every practice; a practice admin sees only their own practice
    and edits its letterhead (address, telephone, ODS code), not its name."""

    fields = ("name", "address", "telephone", "ods_code")
    list_display = ("name", "ods_code", "telephone")

    def _own_admin(self, request):
        return rules.user_is_practice_admin(request.user)

    def has_module_permission(self, request):
        return request.user.is_superuser or self._own_admin(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._own_admin(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or self._own_admin(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not self._own_admin(request):
            return qs.none()
        return qs.filter(pk=request.user.practice_id)  # another practice is "not found"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "name"]


admin.site.site_header = "Leg cramp workup: practice administration"
admin.site.site_title = "Workup admin"
admin.site.index_template = "admin/workup_index.html"
