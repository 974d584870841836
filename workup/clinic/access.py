"""Who may do what. Login itself is enforced for every view by LoginRequiredMiddleware."""
from functools import wraps

from django.core.exceptions import PermissionDenied


def clinician_required(view):
    """GPs and nurses of a practice: the clinical screens."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_clinician:
            raise PermissionDenied("Clinical records are for the practice's GPs and nurses.")
        return view(request, *args, **kwargs)
    return wrapper


def gp_required(view):
    """Only a GP accepts or declines recommendations."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.can_decide:
            raise PermissionDenied("Only a GP can accept or decline recommendations.")
        return view(request, *args, **kwargs)
    return wrapper
