"""The server log: a refusal the access rules expect (a practice admin opening a clinical
screen) is one line, with no traceback and no patient data; a real fault keeps its traceback."""

import logging
import sys

import pytest

from workup.site.log_filters import ExpectedRefusal

pytestmark = pytest.mark.django_db


def refusals(caplog):
    return [r for r in caplog.records if r.name == "django.request" and r.status_code == 403]


def test_a_refused_page_logs_one_line_without_a_traceback(caplog, login, admin_user, patient):
    client = login(admin_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/patients/{patient.public_id}/")
    assert response.status_code == 403
    [record] = refusals(caplog)
    line = logging.Formatter().format(record)
    assert line == f"Forbidden (Permission denied): /patients/{patient.public_id}/"
    assert "Traceback" not in caplog.text and patient.name not in caplog.text


def test_a_real_fault_keeps_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: /x/",
            (),
            sys.exc_info(),
        )
    record.status_code = 500
    assert ExpectedRefusal().filter(record)
    assert "Traceback" in logging.Formatter().format(record)
