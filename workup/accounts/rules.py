"""Who may do what: every role rule of the product, in one place.

Views (through the decorators at the end), services, the admin and the commands ask these
functions; none of them compares roles itself. Login itself is enforced for every view by
LoginRequiredMiddleware.

| who            | clinical screens | accept/decline | print documents | manage users |
|----------------|------------------|----------------|-----------------|--------------|
| GP             | yes              | yes            | yes             | no           |
| nurse          | yes              | no             | yes             | no           |
| practice admin | no               | no             | no              | yes (below)  |

A practice admin adds, edits and deactivates the nurses and admins of their own practice. They
cannot change their own role, cannot give anyone the GP role, and cannot change a GP's
account (role, password, name, e-mail); they may deactivate a GP who leaves. The GP role is
granted only by `python manage.py grant_gp_role USERNAME`, run by whoever operates the server,
which logs it.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied


def _role(user) -> str | None:
    return getattr(user, "role", None)


def _in_practice(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "practice_id", None) is not None
    )


def user_is_clinician(user) -> bool:
    """GPs and nurses of a practice: the clinical screens."""
    return _in_practice(user) and _role(user) in ("gp", "nurse")


def user_can_decide(user) -> bool:
    """Only a GP accepts or declines recommendations."""
    return _in_practice(user) and _role(user) == "gp"


def user_can_print(user) -> bool:
    """GPs and nurses print documents, and only for what a GP has accepted (the document
    kinds check that); a nurse may hand out the letter the GP decided on."""
    return user_is_clinician(user)


def user_is_practice_admin(user) -> bool:
    return _in_practice(user) and _role(user) == "admin" and bool(getattr(user, "is_active", False))


def user_can_manage(actor, target) -> bool:
    """May `actor` edit `target`'s account in the admin at all (same practice)?"""
    if getattr(actor, "is_superuser", False):
        return True
    return user_is_practice_admin(actor) and target.practice_id == actor.practice_id


def role_change_refusal(*, actor, target, new_role: str) -> str | None:
    """Why `actor` may not give `target` the role `new_role` (None: they may).

    `target.role` is the role before the change (None for a new user)."""
    if getattr(actor, "is_superuser", False):
        return None
    old_role = getattr(target, "role", None) if getattr(target, "pk", None) else None
    if target.pk and target.pk == actor.pk and new_role != old_role:
        return "You cannot change your own role; ask another practice admin."
    if new_role == "gp" and old_role != "gp":
        return (
            "The GP role is granted by the service operator "
            "(python manage.py grant_gp_role), not in the admin."
        )
    return None


def account_edit_refusal(*, actor, target) -> str | None:
    """Why `actor` may not change `target`'s account details or password (None: they may)."""
    if getattr(actor, "is_superuser", False):
        return None
    if not user_can_manage(actor, target):
        return "That account is not in your practice."
    if target.pk and target.pk != actor.pk and target.role == "gp":
        return (
            "A GP's account is changed by the GP (Change password) or by the service "
            "operator; a practice admin may only deactivate it."
        )
    return None


# The rules as view decorators: a user without the role gets 403.


def clinician_required(view):
    """GPs and nurses of a practice: the clinical screens."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_clinician(request.user):
            raise PermissionDenied("Clinical records are for the practice's GPs and nurses.")
        return view(request, *args, **kwargs)

    return wrapper


def gp_required(view):
    """Only a GP accepts or declines recommendations."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_can_decide(request.user):
            raise PermissionDenied("Only a GP can accept or decline recommendations.")
        return view(request, *args, **kwargs)

    return wrapper
