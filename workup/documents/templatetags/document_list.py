"""`{% load document_list %}`: a consultation's documents as the Print panel and the document
page list them (`services.documents_listed`: time, current or superseded)."""

from django import template
from django.utils import formats, timezone

from workup.documents.services import documents_listed

register = template.Library()


@register.filter
def listed(documents):
    return documents_listed(documents=documents)


@register.filter
def printed_time(moment):
    """`14:32` today, `3 Oct 2026, 14:32` on another day (local time)."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j M Y, H:i")
