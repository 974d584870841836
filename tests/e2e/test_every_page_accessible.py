"""Every page each persona can open, checked by axe-core in a real browser: WCAG 2.2 AA and
axe's best practices, with no exception.

The pages are generated, not listed: the URL conf (walked as tests/test_every_url.py does)
filled with ids from the demo data (`seed_demo`: a patient, a visit with results, one of its
results and a document printed for it), and the admin site's registry (the index, each app,
each registered model's changelist, add, change, history, past version and delete pages,
the user password page). Each persona (GP, nurse, practice admin, anonymous, and the site's
superuser for the models only a superuser sees) GETs every one of them in process first; each
full HTML page it is shown (200) is opened in the browser and checked, and so are a page it
may not open (403) and one that is not there (404). tests/e2e/conftest.py fails the test on
any violation, console error or unexpected HTTP error.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.management import call_command
from django.db import connections
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.admin import SimpleHistoryAdmin

from tests.test_every_url import every_route
from workup.accounts.models import User
from workup.clinic.models import Result
from workup.documents import services as documents

DEMO_PASSWORD = "workup-demo"
PERSONAS = {  # name: username (None: anonymous)
    "gp": "north.gp",
    "nurse": "north.nurse",
    "practice-admin": "north.admin",
    "anonymous": None,
    "superuser": "root",
}
MISSING = "/no-such-page/"


def site_paths(fillers):
    """Every pattern of the URL conf but the admin's, each parameter filled."""
    paths = []
    for route in every_route():
        if route.startswith("admin/") or re.search(r"[\^$(\\]", route):
            continue
        path = "/" + route
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            path = re.sub(rf"<(?:\w+:)?{name}>", str(fillers[name]), path, count=1)
        paths.append(path)
    return paths


def admin_paths(user):
    """The admin's pages for the rows `user` sees: from the admin site's registry."""
    site = admin.site
    paths = [reverse(f"admin:{name}") for name in ("login", "index", "password_change")]
    paths += [
        reverse("admin:app_list", args=[label])
        for label in sorted({m._meta.app_label for m in site._registry})
    ]
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        row = model_admin.get_queryset(request).order_by("pk").first() if user else None
        if row is None:
            continue
        paths += [
            reverse(f"{info}_change", args=[row.pk]),
            reverse(f"{info}_history", args=[row.pk]),
            reverse(f"{info}_delete", args=[row.pk]),
        ]
        if isinstance(model_admin, UserAdmin):
            paths.append(reverse("admin:auth_user_password_change", args=[row.pk]))
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = row.history.order_by("history_id").first()
            paths.append(reverse(f"{info}_simple_history", args=[row.pk, version.history_id]))
    return paths


def sort_pages(user, paths):
    """`paths` as `user` finds them: the full HTML pages shown (200), and those refused (403).
    In a thread of its own, as the live server answers: this one runs Playwright's event loop,
    where Django's async-to-sync views (the health check) refuse to run."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(_sort_pages, user, paths).result()


def _sort_pages(user, paths):
    client = Client()
    if user is not None:
        client.force_login(user)
    shown, refused = [], []
    for path in dict.fromkeys(paths):
        response = client.get(path)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and b"<html" in response.content[:500]:
            shown.append(path)
        elif response.status_code == 403:
            refused.append(path)
    connections.close_all()
    return shown, refused


@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_persona_passes_axe_core(new_session, expect):
    call_command("seed_demo")
    User.objects.create_superuser("root", password=DEMO_PASSWORD, practice=None)
    gp = User.objects.get(username="north.gp")
    result = Result.objects.filter(patient__practice=gp.practice).order_by("pk").first()
    consultation = result.consultation
    document = documents.document_request(
        consultation=consultation, user=gp, kind="handout", options={"language": "en"}
    )
    fillers = {
        "patient_id": consultation.patient.public_id,
        "consultation_id": consultation.public_id,
        "document_id": document.public_id,
        "result_id": result.public_id,
        "uidb64": urlsafe_base64_encode(force_bytes(gp.pk)),
        "token": "set-password",
    }
    every_path = site_paths(fillers)

    started, covered, checked = time.monotonic(), {}, set()
    for persona, username in PERSONAS.items():
        user = User.objects.get(username=username) if username else None
        paths = admin_paths(user) if persona == "superuser" else every_path + admin_paths(user)
        shown, refused = sort_pages(user, paths)
        assert shown, f"{persona} can open no page"
        if persona == "superuser":  # the admin pages of the models no practice's admin sees
            shown = [path for path in shown if path not in checked]
        checked.update(shown)
        session = new_session(persona)
        if user is not None:
            session.login(username, DEMO_PASSWORD)
        for path in shown:
            session.goto(path)
            session.check(path.strip("/").replace("/", "_") or "home")
        if refused:  # a refusal (a GP and a nurse may GET every page of theirs: none)
            response = session.goto(refused[0], expect_status=403)
            assert response.status == 403, (persona, refused[0], response.status)
            expect(session.page.locator("h1")).to_contain_text("cannot")
            session.screen("refused")
        response = session.goto(MISSING, expect_status=404)
        assert response.status == 404
        session.screen("not-found")
        covered[persona] = len(shown) + len(refused[:1]) + 1
        print(f"\n{persona}: {len(shown)} pages, 403 page: {refused[0] if refused else 'none'}")
    print(
        f"axe-core on {sum(covered.values())} pages in {time.monotonic() - started:.0f} s: "
        + ", ".join(f"{p} {n}" for p, n in covered.items())
    )
    # the pages anyone may open and those of each role are all there
    assert covered["anonymous"] >= 4 and covered["practice-admin"] >= 15
    assert min(covered["gp"], covered["nurse"]) >= 10
