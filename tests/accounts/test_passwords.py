"""Real accounts need a password of at least 12 characters that is not a common one."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD
from workup.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak", ["Summer2024", "workup-demo", "password1234", "123456789012"])
def test_demo_strength_passwords_are_refused(weak, gp):
    with pytest.raises(ValidationError):
        validate_password(weak, user=gp)


def test_a_long_passphrase_is_accepted(gp):
    validate_password(PASSWORD, user=gp)


def test_a_user_cannot_change_to_a_short_password(browser, gp):
    b = browser(gp)
    response = b.submit(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Summer2024", "new_password2": "Summer2024"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert User.objects.get(pk=gp.pk).check_password(PASSWORD)
