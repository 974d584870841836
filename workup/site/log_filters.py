"""Logging filters (settings.LOGGING)."""

import logging

from django.core.exceptions import PermissionDenied


class ExpectedRefusal(logging.Filter):
    """A 403 for a PermissionDenied is the access rules working (a nurse opening a GP's page,
    a practice admin a clinical one), not a fault: Django's "Forbidden (Permission denied):
    /path/" line is kept, without the traceback, whose exception message may say whose record
    it was. Any other record passes unchanged."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) == 403 and isinstance(exc, PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
