"""A test client that behaves as a browser does about CSRF.

`Browser()` enforces CSRF (Django's test client does not by default) and, like a browser,
posts a form with the token the page it came from carries: `submit(page_url, data)` GETs the
page, takes the token from the form, then posts. A page that carries two different CSRF
secrets (a token cached from another session, say) cannot be posted from, as in a browser.
"""

import re

from django.test import Client

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def page_tokens(html: str) -> list[str]:
    return TOKEN.findall(html)


class Browser:
    def __init__(self, **defaults):
        self.client = Client(enforce_csrf_checks=True, **defaults)

    def get(self, url, *args, **kwargs):
        return self.client.get(url, *args, **kwargs)

    def token(self, html: str) -> str:
        """The token a browser would send: the last one in the page's forms (a repeated field
        name is read last-wins by Django), else the htmx header's."""
        tokens = page_tokens(html) or HX_TOKEN.findall(html)
        assert tokens, "the page has no CSRF token"
        return tokens[-1]

    def submit(self, page_url: str, data: dict, *, action: str | None = None, **kwargs):
        """Open `page_url`, then post `data` (to `action`, else back to the page) with the
        page's token."""
        page = self.client.get(page_url)
        assert page.status_code == 200, (page_url, page.status_code)
        html = page.content.decode()
        return self.client.post(
            action or page_url, {**data, "csrfmiddlewaretoken": self.token(html)}, **kwargs
        )

    def htmx_post(self, page_url: str, action: str, data: dict, *, form_id: str | None = None):
        """An htmx request made from `page_url`: the token travels in the X-CSRFToken header
        taken from the page's hx-headers and, with `form_id` (hx-include of a form), in every
        csrfmiddlewaretoken field of that form too (Django reads the field before the
        header)."""
        html = self.client.get(page_url).content.decode()
        found = HX_TOKEN.findall(html)
        assert found, "the page has no htmx CSRF header"
        if form_id:
            start = html.index(f'id="{form_id}"')
            data = {
                **data,
                "csrfmiddlewaretoken": page_tokens(html[start : html.index("</form>", start)]),
            }
        return self.client.post(action, data, HTTP_X_CSRFTOKEN=found[-1], HTTP_HX_REQUEST="true")

    def login(self, username: str, password: str):
        response = self.submit("/accounts/login/", {"username": username, "password": password})
        return response

    def logout(self):
        html = self.client.get("/patients/").content.decode()
        return self.client.post("/accounts/logout/", {"csrfmiddlewaretoken": self.token(html)})
