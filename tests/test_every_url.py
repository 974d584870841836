"""Every persona against every URL, as an attacker walking the other practice's ids would.

The URLs are generated, not listed: from the URL conf (walking includes) for the site, and
from the admin site's registry for the admin (each registered model's changelist, add,
change, history, delete, its simple-history version pages and Revert, the user password
page, autocomplete for every foreign key to a model with a search box, "view on site").
`test_every_url_pattern_is_generated` fails when a pattern exists that the generator does not
know how to fill, so a new URL or a newly registered model is covered as soon as it exists.

Each persona then GETs and POSTs (CSRF enforced, with the token from a page they can open)
every URL filled with the ids of the *other* practice's rows, and:
- anonymous is sent to a login page (the API answers 401 in JSON); only public pages answer;
- nobody ever receives another practice's patient's name, date of birth or NHS number, or
  another practice's usernames, whatever the status;
- no POST changes a row of the other practice (the database is compared after);
- GPs and nurses get only redirects or 403 from the admin; the practice admin gets 403 on
  the clinical screens.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken
from simple_history.admin import SimpleHistoryAdmin

from tests.browsing import Browser, page_tokens
from tests.factories import PASSWORD, PatientFactory, PracticeFactory, UserFactory, consultation_for
from workup.accounts.models import Practice
from workup.clinic.models import Decision, Result
from workup.documents.models import Document

pytestmark = pytest.mark.django_db

STRONG = "a-long-Passw0rd-for-tests"
# apps whose rows are logs that grow with every attempt (the access log records refusals too)
LOG_APPS = {"audit", "axes", "sessions"}
MISSING_PK = "987654"  # an id no row has: the generator fills every pattern even for empty tables


# -- The world: two practices, each with patients, a consultation, a decision, a document -----


@dataclass
class Side:
    practice: Practice
    users: dict
    patients: list
    secrets: list = field(default_factory=list)


def make_side(name, prefix, patient_name, dob, nhs):
    practice = PracticeFactory(name=name)
    users = {
        role: UserFactory(
            username=f"{prefix}.{role}",
            practice=practice,
            role=role,
            last_name=f"{prefix.title()}{role.title()}son",
        )
        for role in ("gp", "nurse", "admin")
    }
    patient = PatientFactory(
        practice=practice, name=patient_name, date_of_birth=dob, nhs_number=nhs
    )
    patient.mrn = f"MRN-{prefix}"  # a second version in the patient's history
    patient.save()
    consultation = consultation_for(patient, users["gp"], findings=["calf_swelling_3cm"])
    Decision.objects.create(
        consultation=consultation,
        kind="differentials",
        code="dvt",
        accepted=True,
        decided_by=users["gp"],
    )
    Result.objects.create(  # a critical result awaiting a GP's acknowledgement
        patient=patient,
        consultation=consultation,
        investigation="u_and_e",
        code="potassium",
        number="6.6",
        taken_on=consultation.date,
        flag="critical",
        must_acknowledge=True,
        recorded_by=users["nurse"],
    )
    Document.objects.create(
        consultation=consultation,
        kind="handout",
        fingerprint="f" * 64,
        options={"language": "en"},
        requested_by=users["gp"],
        status=Document.Status.FAILED,
        error="test",
    )
    AuthToken.objects.create(user=users["gp"])
    visit = Client()  # the practice's GP opens the record (the access log, if kept, has rows)
    visit.force_login(users["gp"])
    assert visit.get(f"/patients/{patient.public_id}/").status_code == 200
    secrets = [
        patient_name,
        nhs,
        f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        dob.strftime("%B %-d, %Y"),
        dob.strftime("%-d %B %Y"),
        dob.strftime("%-d %b %Y"),
        dob.strftime("%b. %-d, %Y"),
        *(u.username for u in users.values()),
        *(u.last_name for u in users.values()),
    ]
    return Side(practice, users, [patient], secrets)


@pytest.fixture
def world(db):
    north = make_side(
        "Northside Surgery", "north", "Margaret Ellis", date(1951, 7, 23), "9434765919"
    )
    south = make_side("Southside Surgery", "south", "Irene Walsh", date(1948, 11, 5), "4010232137")
    return {"north": north, "south": south}


PERSONAS = {  # persona: (practice, role); None: anonymous
    "north gp": ("north", "gp"),
    "north nurse": ("north", "nurse"),
    "north admin": ("north", "admin"),
    "south admin": ("south", "admin"),
    "south gp": ("south", "gp"),
    "anonymous": None,
}


# -- Which rows belong to a practice (for any model: the shortest foreign-key path) -----------


def practice_path(model, depth=3):
    """The lookup from `model` to its Practice ("practice", "patient__practice", ...), "pk" for
    Practice itself, None for a model no practice owns (groups, login attempts)."""
    if model is Practice:
        return "pk"
    frontier = [(model, "")]
    for _ in range(depth):
        following = []
        for current, prefix in frontier:
            for f in current._meta.get_fields():
                if (f.many_to_one or f.one_to_one) and f.concrete:
                    if f.related_model is Practice:
                        return f"{prefix}{f.name}"
                    if f.related_model is not None and f.related_model is not current:
                        following.append((f.related_model, f"{prefix}{f.name}__"))
        frontier = following
    return None


def rows_of(model, practice):
    """`model`'s rows of `practice` (every row, for a model no practice owns)."""
    path = practice_path(model)
    qs = model._default_manager.all()
    return qs.filter(**{path: practice.pk}) if path else qs


def snapshot(practice):
    """Every row of `practice`, in every table except the logs, as plain values."""
    return {
        model._meta.label: list(rows_of(model, practice).order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label not in LOG_APPS and practice_path(model)
    }


# -- The URLs ----------------------------------------------------------------------------------


@dataclass
class Url:
    path: str
    post: dict | None = None  # what an attacker posts there (None: GET only)
    admin: bool = False


def every_route():
    """Every URL pattern of the URL conf, as the resolver names its route."""
    routes = []

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            route = URLResolver._join_route(prefix, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            else:
                routes.append(route)

    walk(get_resolver(), "")
    return routes


def row_data(obj, *, practice, new=False):
    """A form's worth of `obj`'s values, as an attacker would post them: the practice set to
    `practice`; for a new row, unique and optional text blanked or made new."""
    data = {}
    for f in obj._meta.concrete_fields:
        if not f.editable or f.primary_key or isinstance(f, (models.JSONField, models.FileField)):
            continue
        value = getattr(obj, f.attname)
        if f.related_model is Practice:
            value = practice.pk
        elif new and f.choices:
            value = f.choices[-1][0]
        elif new and isinstance(f, models.CharField) and f.unique:
            value = f"attacker.{uuid.uuid4().hex[:6]}"
        elif new and isinstance(f, models.CharField) and f.blank:
            value = ""
        elif f.name in ("name", "first_name", "last_name"):
            value = "Changed By Attacker"
        if isinstance(value, bool):
            value = "on" if value else None
        if value is not None:
            data[f.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


POST_EXTRA = {
    "_save": "Save",
    "post": "yes",
    "usable_password": "true",
    "password1": STRONG,
    "password2": STRONG,
}


def admin_urls(target: Side, attacker: Practice | None):
    """The admin site's URLs for the target practice's rows, from the admin registry."""
    own = attacker or target.practice
    site = admin.site
    urls = [
        Url(reverse(f"admin:{name}"), admin=True)
        for name in (
            "index",
            "login",
            "logout",
            "password_change",
            "password_change_done",
            "jsi18n",
        )
    ]
    urls.append(Url("/admin/no-such-page/", admin=True))  # the catch-all
    for app_label in {m._meta.app_label for m in site._registry}:
        urls.append(Url(reverse("admin:app_list", args=[app_label]), admin=True))
    for model, model_admin in site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows = list(rows_of(model, target.practice)[:5])
        example = rows[0] if rows else None
        urls.append(Url(reverse(f"{info}_changelist"), admin=True))
        urls.append(
            Url(
                reverse(f"{info}_add"),
                admin=True,
                post={
                    **(row_data(example, practice=target.practice, new=True) if example else {}),
                    **POST_EXTRA,
                },
            )
        )
        content_type = ContentType.objects.get_for_model(model)
        for pk in [row.pk for row in rows] + [MISSING_PK]:
            post = {
                **(
                    row_data(model._default_manager.get(pk=pk), practice=own)
                    if pk != MISSING_PK
                    else {}
                ),
                **POST_EXTRA,
            }
            urls += [
                Url(reverse(f"{info}_change", args=[pk]), post=post, admin=True),
                Url(reverse(f"{info}_history", args=[pk]), admin=True),
                Url(reverse(f"{info}_delete", args=[pk]), post=post, admin=True),
                Url(reverse(f"{info}_changelist") + f"{pk}/", admin=True),
                Url(reverse("admin:view_on_site", args=[content_type.pk, pk]), admin=True),
            ]
            if isinstance(model_admin, UserAdmin):
                urls.append(
                    Url(
                        reverse("admin:auth_user_password_change", args=[pk]), post=post, admin=True
                    )
                )
        if isinstance(model_admin, SimpleHistoryAdmin):
            history = getattr(model, model._meta.simple_history_manager_attribute)
            versions = list(rows_of(history.model, target.practice)[:5])
            for version in versions or [None]:
                pk = version.instance.pk if version else MISSING_PK
                post = {
                    **(row_data(version.instance, practice=own) if version else {}),
                    **POST_EXTRA,
                }
                version_id = version.history_id if version else MISSING_PK
                urls.append(
                    Url(
                        reverse(f"{info}_simple_history", args=[pk, version_id]),
                        post=post,
                        admin=True,
                    )
                )
    # autocomplete: every foreign key (of any model) to a registered model with a search box
    for model in apps.get_models():
        for f in model._meta.get_fields():
            remote = getattr(f, "related_model", None)
            if not (f.concrete and f.is_relation and remote in site._registry):
                continue
            if not site._registry[remote].search_fields:
                continue
            urls.append(
                Url(
                    f"/admin/autocomplete/?app_label={model._meta.app_label}"
                    f"&model_name={model._meta.model_name}&field_name={f.name}&term=",
                    admin=True,
                )
            )
    urls.append(
        Url(
            "/admin/autocomplete/?app_label=clinic&model_name=consultation"
            "&field_name=patient&term=",
            admin=True,
        )
    )  # Patient: no search box
    return urls


def site_urls(target: Side):
    """Every other URL of the URL conf, each parameter filled with the target's real ids."""
    patient = target.patients[0]
    consultation = patient.consultations.first()
    fillers = {
        "patient_id": [patient.public_id, uuid.uuid4()],
        "consultation_id": [consultation.public_id],
        "document_id": [consultation.documents.first().public_id],
        "result_id": [consultation.results.first().public_id],
        "uidb64": [urlsafe_base64_encode(force_bytes(target.users["gp"].pk))],
        "token": ["set-password"],
    }
    post = {
        **row_data(patient, practice=target.practice),
        "kind": "differentials",
        "code": "dvt",
        "accepted": "false",
        "reason": "attacker",
        "potassium": "2.0",
        "u_and_e-taken_on": date.today().isoformat(),
        "language": "en",
        "new_password1": STRONG,
        "new_password2": STRONG,
        **POST_EXTRA,
    }
    urls = []
    for route in every_route():
        if route.startswith("admin/"):
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if re.search(r"[\^$(\\]", route) or any(n not in fillers for n in names):
            continue  # cannot fill it: test_every_url_pattern_is_generated says so
        paths = ["/" + route]
        for name in names:
            paths = [
                re.sub(rf"<(?:\w+:)?{name}>", str(v), p, count=1)
                for p in paths
                for v in fillers[name]
            ]
        # logging out is tried last, by the tests themselves
        urls += [Url(p, post=None if "logout" in p else post) for p in paths]
    return urls


def all_urls(target, attacker=None):
    return site_urls(target) + admin_urls(target, attacker)


def test_every_url_pattern_is_generated(world):
    generated = set()
    for url in all_urls(world["north"]):
        generated.add(resolve(url.path.split("?")[0]).route)
    missing = [r for r in every_route() if r not in generated]
    assert not missing, f"no URL is generated for these patterns: {missing}"


# -- The personas ------------------------------------------------------------------------------


def login_page(location):
    return location.split("?")[0] in ("/accounts/login/", "/admin/login/")


def is_public(path):
    return getattr(resolve(path.split("?")[0]).func, "login_required", True) is False


def is_clinical(path):
    module = resolve(path.split("?")[0]).func.__module__
    return module.startswith(("workup.clinic.", "workup.documents."))


def check(persona, role, url, response, secrets, method):
    path, status = url.path, response.status_code
    where = f"{persona} {method} {path}: {status}"
    body = response.content.decode(errors="replace")
    leaked = [s for s in secrets if s in body]
    assert not leaked, f"{where} shows {leaked}"
    if role is None:
        if path.startswith("/api/"):  # JSON: 401, or 404 for an address the API does not have
            expected = 401 if resolve(path).url_name else 404
            assert status == expected, where
            assert response["Content-Type"].startswith("application/json"), where
        elif not is_public(path):
            assert status == 302 and login_page(response["Location"]), where
    elif url.admin and role in ("gp", "nurse"):
        if resolve(path.split("?")[0]).url_name in ("login", "logout"):
            assert status in (200, 302, 405), where
        else:
            assert status == 403 or (status == 302 and login_page(response["Location"])), where
    elif not url.admin and role == "admin" and is_clinical(path):
        assert status == 403 or (method == "GET" and status == 405), where


def persona_browser(world, persona):
    if PERSONAS[persona] is None:
        return Browser(), None, None
    side, role = PERSONAS[persona]
    user = world[side].users[role]
    browser = Browser()
    assert browser.login(user.username, PASSWORD).status_code == 302
    return browser, role, world[side].practice


def csrf_token(browser):
    """A token from a page the persona can open (any form of theirs carries it)."""
    for page in ("/admin/password_change/", "/accounts/password_change/", "/accounts/login/"):
        response = browser.get(page)
        if response.status_code == 200 and page_tokens(response.content.decode()):
            return browser.token(response.content.decode())
    raise AssertionError("no page with a CSRF token")


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_a_persona_reaches_nothing_of_the_other_practice(world, persona):
    browser, role, own = persona_browser(world, persona)
    if own is None:  # anonymous: aims at Northside, may learn nothing of either practice
        target, secrets = world["north"], world["north"].secrets + world["south"].secrets
    else:
        target = world["south"] if own == world["north"].practice else world["north"]
        secrets = target.secrets
    before = snapshot(target.practice)
    urls = all_urls(target, own)

    for url in urls:
        check(persona, role, url, browser.get(url.path), secrets, "GET")

    token = csrf_token(browser)
    for url in urls:
        if url.post is not None:
            response = browser.client.post(url.path, {**url.post, "csrfmiddlewaretoken": token})
            assert "CSRF verification failed" not in response.content.decode(), (
                f"{persona} POST {url.path}: refused for its CSRF token, so nothing was tried"
            )
            check(persona, role, url, response, secrets, "POST")

    assert snapshot(target.practice) == before, f"{persona} changed {target.practice}'s rows"
    for path in ("/accounts/logout/", "/admin/logout/"):
        response = browser.client.post(path, {"csrfmiddlewaretoken": token})
        assert response.status_code in (200, 302), (path, response.status_code)
