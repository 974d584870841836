"""Security headers on every page: a Content-Security-Policy with no inline script and no
eval, a Permissions-Policy, and no browser or proxy keeping a copy of a page with patient
data."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pages(patient, consultation):
    return [
        reverse("patient_list"),
        reverse("patient_detail", args=[patient.public_id]),
        reverse("consultation_create", args=[patient.public_id]),
        reverse("consultation_review", args=[consultation.public_id]),
        reverse("consultation_edit", args=[consultation.public_id]),
        reverse("api_token"),
        reverse("knowledge_base"),
    ]


def csp(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_has_a_strict_content_security_policy(client, login, gp, patient, consultation):
    anonymous = [client.get(reverse("login")), client.get(reverse("home"))]
    client = login(gp)
    for url, response in [("anonymous", r) for r in anonymous] + [
        (url, client.get(url)) for url in pages(patient, consultation)
    ]:
        assert response.status_code == 200, url
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert "unsafe" not in response["Content-Security-Policy"], url


def test_pages_have_no_inline_script_or_style_that_the_policy_would_block(
    login, gp, patient, consultation
):
    client = login(gp)
    for url in pages(patient, consultation):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url  # onclick= and the like
        assert not re.search(r"<[a-z][^>]*\sstyle=\"", html), url
        assert not re.search(r"<style\b", html), url


def test_htmx_runs_without_eval_or_script_tags(login, gp, patient):
    html = login(gp).get(reverse("consultation_create", args=[patient.public_id])).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    import json

    config = json.loads(config)
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False  # it would add an inline <style>


def test_pages_with_patient_data_are_never_stored(login, gp, patient, consultation):
    client = login(gp)
    for url in pages(patient, consultation):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_the_api_is_never_stored_either(client):
    response = client.post("/api/v1/assessments", {}, content_type="application/json")
    assert "no-store" in response["Cache-Control"]


def test_a_permissions_policy_turns_off_device_features(login, gp):
    header = login(gp).get(reverse("patient_list"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header
