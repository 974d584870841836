"""Keep patient data out of error pages and error reports."""

from django.views.debug import SafeExceptionReporterFilter


class NoPatientDataFilter(SafeExceptionReporterFilter):
    """Hide every POST value and every local variable, in DEBUG and in production alike.

    Django's default filter only hides what a view marks as sensitive, and nothing at all when
    DEBUG is on; clinical forms carry patient data in every field.
    """

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
