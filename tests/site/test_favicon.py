"""The icon: every page names it (the product's and the admin's), and a browser that asks for
/favicon.ico anyway is sent to it, with no login and no error."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_favicon_ico_is_the_product_icon(client):
    response = client.get("/favicon.ico")
    # not 301: browsers would keep the hashed name of today's icon for good
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert finders.find("favicon.svg")


def test_the_product_pages_and_the_admin_name_the_icon(client, login, admin_user):
    assert ICON in client.get("/accounts/login/").content.decode()
    assert ICON in client.get("/admin/login/").content.decode()
    assert ICON in login(admin_user).get("/admin/").content.decode()
