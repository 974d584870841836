"""Loaded into a worker with `celery worker --include tests.services.slow_render` by the fault
tests only: rendering sleeps first, so a test can kill the worker in the middle of it."""

import time

from workup.documents import pdf

_render = pdf.render_pdf


def slow_render_pdf(html, **kwargs):
    time.sleep(30)
    return _render(html, **kwargs)


pdf.render_pdf = slow_render_pdf
