"""POST /api/v1/assessments: the contract over HTTP, with a per-user token; stores nothing.
Every refusal is JSON in one format, {"errors": {"field": "message"}}, and never a 500."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from tests.api.conftest import URL, assert_errors, post
from tests.factories import UserFactory, intake_data
from workup.clinic.models import Consultation, Patient

pytestmark = pytest.mark.django_db


def test_it_returns_the_contract_assessment(client, token, kb):
    response = post(client, intake_data(medications=["Lasix 40mg"]), token)
    assert response.status_code == 200
    body = response.json()
    assert body["contract"] == 2 and body["knowledge_base"] == kb.version
    assert body["actions"] == [] and body["results"] == []
    assert body["medications"][0]["drug"] == "furosemide"
    assert not Consultation.objects.exists() and not Patient.objects.exists()


def test_it_reads_results_and_earlier_requests_of_contract_2(client, token):
    intake = intake_data(
        medications=["Lasix 40mg"],
        left=["varicose_veins", "venous_symptoms"],
        results=[{"code": "potassium", "value": 3.1}],
        previous=[{"code": "vascular", "kind": "referral", "date": "2026-10-03"}],
    )
    response = post(client, intake, token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["code"], r["flag"]) for r in body["results"]] == [("potassium", "low")]
    assert "review_diuretic" in [a["code"] for a in body["actions"]]
    vascular = [r for r in body["referrals"] if r["code"] == "vascular"]
    assert vascular and vascular[0]["already_requested"] == "2026-10-03"


def test_a_version_1_finding_is_still_accepted(client, token):
    response = post(client, intake_data(findings=["foot_ulcer_or_gangrene"]), token)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"age": 15}, "age", "this tool is for adults aged 16 and over"),
        ({"sex": "male", "pregnancy": "trimester_2"}, "pregnancy", "male"),
        ({"results": [{"code": "potassium", "value": -1}]}, "results[0].value", "number"),
        ({"results": [{"code": "d_dimer", "value": "maybe"}]}, "results[0].value", "positive"),
        (
            {"results": [{"code": "sodium", "value": 140}, {"code": "sodium", "value": 141}]},
            "results[1].code",
            "twice",
        ),
        ({"results": [{"code": "unobtainium", "value": 1}]}, "results[0].code", "unknown"),
        (
            {"previous": [{"code": "vascular", "kind": "referral", "date": "3 Oct 2026"}]},
            "previous[0].date",
            "YYYY-MM-DD",
        ),
    ],
)
def test_contract_2_refusals_name_the_field(client, token, change, field, words):
    message = assert_errors(post(client, intake_data(**change), token), 400, field)
    assert words in message


def test_a_medicine_in_any_script_comes_back_as_written(client, token):
    response = post(client, intake_data(medications=["Ácido fólico 5 mg"]), token)
    assert response.status_code == 200
    assert response.json()["medications"][0]["text"] == "Ácido fólico 5 mg"


def test_it_gives_field_errors_for_bad_input(client, token):
    response = post(client, intake_data(cramps={"longest_minutes": -1}), token)
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"cramps.longest_minutes": "must be a number from 0 to 1440"}
    }


@pytest.mark.parametrize(
    "change, field",
    [
        ({"cramps": {"episodes_per_week": 10**400}}, "cramps.episodes_per_week"),
        ({"cramps": {"longest_minutes": -(10**400)}}, "cramps.longest_minutes"),
        ({"cramps": {"episodes_per_week": 1e308}}, "cramps.episodes_per_week"),
        ({"cramps": {"episodes_per_week": 101}}, "cramps.episodes_per_week"),
        ({"cramps": {"longest_minutes": 1441}}, "cramps.longest_minutes"),
        ({"age": 10**400}, "age"),
    ],
)
def test_an_implausible_number_is_refused_naming_the_field(client, token, change, field):
    response = post(client, intake_data(**change), token)
    assert "must be a" in assert_errors(response, 400, field)


def test_a_number_at_its_limit_is_accepted(client, token):
    cramps = {"episodes_per_week": 100, "longest_minutes": 1440}
    assert post(client, intake_data(cramps=cramps), token).status_code == 200


def test_a_lone_surrogate_in_a_medicine_is_refused_naming_it(client, token):
    body = json.dumps(intake_data(medications=["Lasix", "Lipitor \ud800"]))  # escaped: \ud800
    message = assert_errors(post(client, body, token), 400, "medications[1]")
    assert "plain text" in message


def test_a_control_character_in_a_medicine_is_refused(client, token):
    response = post(client, intake_data(medications=["Lasix\x1b[31m"]), token)
    assert_errors(response, 400, "medications[0]")


def test_an_unknown_field_with_a_lone_surrogate_is_named_safely(client, token):
    body = json.dumps({**intake_data(), "weight\udfff": 80})
    response = post(client, body, token)
    assert response.json() == {"errors": {"weight\\udfff": "unknown field"}}


def test_a_very_long_medicine_is_refused(client, token):
    response = post(client, intake_data(medications=["x" * 201]), token)
    assert "200 characters" in assert_errors(response, 400, "medications[0]")


def test_a_long_list_of_codes_is_refused(client, token):
    response = post(client, intake_data(findings=["previous_dvt"] * 101), token)
    assert "at most 100" in assert_errors(response, 400, "findings")


def test_it_refuses_json_that_is_not_an_object(client, token):
    assert_errors(post(client, [1, 2], token), 400, "intake")


@pytest.mark.parametrize(
    "body, words",
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ('{"age": NaN}', "NaN"),
        (b'{"age": "\xff"}', "UTF-8"),
        ('{"age": ' + "9" * 5000 + "}", "too long"),
        ("", "empty"),
    ],
)
def test_it_refuses_a_body_that_is_not_json_naming_the_body(client, token, body, words):
    assert words in assert_errors(post(client, body, token), 400, "body")


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deep_nesting_is_refused_naming_the_body(client, token, depth):
    response = post(client, '{"age": ' + "[" * depth + "]" * depth + "}", token)
    assert assert_errors(response, 400, "body") == "is nested too deeply"


def test_deep_nesting_at_the_top_is_refused_naming_the_body(client, token):
    assert (
        assert_errors(post(client, "[" * 1000 + "]" * 1000, token), 400, "body")
        == "is nested too deeply"
    )


def test_a_body_too_large_is_refused(client, token):
    body = json.dumps(intake_data(medications=["x" * 1000] * 300))
    assert "too large" in assert_errors(post(client, body, token), 413, "body")


def test_a_form_body_is_refused_naming_the_content_type(client, token):
    response = post(client, "age=60", token, content_type="application/x-www-form-urlencoded")
    assert_errors(response, 415, "content_type")


def test_a_charset_it_does_not_know_does_not_break_it(client, token):
    response = post(client, intake_data(), token, content_type="application/json; charset=nope")
    assert response.status_code == 200


def test_it_requires_a_token(client):
    assert "Token" in assert_errors(post(client, intake_data()), 401, "authorization")


def test_it_refuses_a_wrong_token(client, token):
    assert_errors(post(client, intake_data(), "0" * 64), 401, "authorization")


def test_a_token_that_is_not_ascii_is_refused_not_a_crash(client):
    response = client.generic(
        "POST",
        URL,
        json.dumps(intake_data()),
        content_type="application/json",
        HTTP_AUTHORIZATION="Token \xff\xfe",
    )  # not ASCII
    assert_errors(response, 401, "authorization")


def test_an_expired_token_is_refused_in_the_error_format(client, user):
    instance, token = AuthToken.objects.create(user=user, expiry=timedelta(days=30))
    assert post(client, intake_data(), token).status_code == 200
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    message = assert_errors(post(client, intake_data(), token), 401, "authorization")
    assert "expired" in message


def test_tokens_expire_after_the_configured_time(user):
    instance, _ = AuthToken.objects.create(user=user)
    assert timedelta(days=29) < instance.expiry - timezone.now() <= timedelta(days=30)


def test_a_session_alone_is_not_enough(client):
    client.force_login(UserFactory())
    assert_errors(post(client, intake_data()), 401, "authorization")


def test_it_only_takes_post(client, token):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert assert_errors(response, 405, "method") == "GET is not allowed: use POST"


def test_it_answers_only_json(client, token):
    response = post(client, intake_data(), token, HTTP_ACCEPT="text/html")
    assert_errors(response, 406, "accept")


@pytest.mark.parametrize("path", ["/api/v1/assessments/", "/api/v2/assessments", "/api/"])
def test_another_api_address_is_a_json_404(client, path):
    assert_errors(client.post(path), 404, "path")


# -- Throttling (settings: anon 20/min, user 60/min) -------------------------------------------


def test_a_token_holder_is_throttled_after_60_calls_a_minute(client, token):
    for _ in range(60):
        assert post(client, intake_data(), token).status_code == 200
    response = post(client, intake_data(), token)
    message = assert_errors(response, 429, "rate_limit")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert f"{response['Retry-After']} seconds" in message


def test_one_users_calls_do_not_throttle_another(client, token):
    for _ in range(61):
        post(client, {}, token)
    other = AuthToken.objects.create(user=UserFactory())[1]
    assert post(client, intake_data(), other).status_code == 200


def test_calls_without_a_valid_token_are_throttled_after_20_a_minute(client):
    for _ in range(20):
        assert post(client, intake_data(), "0" * 64).status_code == 401
    response = post(client, intake_data(), "0" * 64)
    assert_errors(response, 429, "rate_limit")
    assert int(response["Retry-After"]) >= 1


def test_a_forged_forwarded_for_does_not_escape_the_anonymous_limit(client):
    for n in range(20):
        post(client, intake_data(), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = post(client, intake_data(), HTTP_X_FORWARDED_FOR="10.0.1.1")
    assert response.status_code == 429
