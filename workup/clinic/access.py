"""The role rules (workup.accounts.rules) as view decorators. Login itself is enforced for
every view by LoginRequiredMiddleware."""
from functools import wraps

from django.core.exceptions import PermissionDenied

from workup.accounts import rules


def clinician_required(view):
    """GPs and nurses of a practice: the clinical screens."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rules.user_is_clinician(request.user):
            raise PermissionDenied("Clinical records are for the practice's GPs and nurses.")
        return view(request, *args, **kwargs)
    return wrapper


def gp_required(view):
    """Only a GP accepts or declines recommendations."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rules.user_can_decide(request.user):
            raise PermissionDenied("Only a GP can accept or decline recommendations.")
        return view(request, *args, **kwargs)
    return wrapper
