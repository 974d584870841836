"""Patient data never appears on error pages, even with DEBUG on."""

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response


@pytest.mark.parametrize("debug", [True, False])
def test_an_error_page_shows_no_posted_values_or_local_variables(settings, debug):
    settings.DEBUG = debug
    # built at run time, so the page's source-code excerpts cannot contain them
    name, number = "-".join(["Margaret", "Ellis"]), str(94347 * 100000 + 65919)
    request = RequestFactory().post("/patients/new/", {"name": name, "nhs_number": number})
    patient_name = name  # noqa: F841  (a local variable in the failing frame)
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        response = technical_500_response(request, *sys.exc_info())
    html = response.content.decode()
    assert "boom" in html
    assert name not in html and number not in html
