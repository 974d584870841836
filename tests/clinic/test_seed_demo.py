import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from workup.accounts.models import Practice, User
from workup.clinic.models import Consultation, Decision, Patient, Result

pytestmark = pytest.mark.django_db


def snapshot():
    """Every table's row count (the clinical records' histories included), and what the demo's
    records say: a second run must change none of it."""
    return (
        {model._meta.label: model.objects.count() for model in apps.get_models()},
        sorted(Practice.objects.values_list("name", flat=True)),
        sorted(User.objects.values_list("username", "role", "practice__name", "password")),
        sorted(Patient.objects.values_list("public_id", "name", "mrn")),
        sorted(
            (c.public_id, c.version, c.updated_at, repr(c.intake), repr(c.assessment))
            for c in Consultation.objects.all()
        ),
        sorted(
            Decision.objects.values_list(
                "consultation__public_id", "kind", "code", "accepted", "decided_at"
            )
        ),
        sorted(
            Result.objects.values_list(
                "public_id", "code", "number", "coded", "flag", "must_acknowledge", "updated_at"
            )
        ),
    )


def test_it_creates_two_practices_six_users_and_seventeen_to_twenty_patients_each(capsys):
    call_command("seed_demo", password="a-test-passphrase-for-demo")
    assert sorted(Practice.objects.values_list("name", flat=True)) == [
        "Northside Surgery",
        "Southside Surgery",
    ]
    assert sorted(User.objects.values_list("username", flat=True)) == [
        "north.admin",
        "north.gp",
        "north.nurse",
        "south.admin",
        "south.gp",
        "south.nurse",
    ]
    assert User.objects.get(username="south.nurse").check_password("a-test-passphrase-for-demo")
    assert User.objects.get(username="north.admin").is_staff
    for practice in Practice.objects.all():
        assert 17 <= practice.patients.count() <= 20
    assert "north.gp" in capsys.readouterr().out


def test_running_it_twice_changes_nothing():
    call_command("seed_demo")
    before = snapshot()
    call_command("seed_demo", password="another-long-passphrase")
    assert snapshot() == before


def test_the_demo_consultations_cover_the_rule_table():
    from workup.knowledge.loading import knowledge_base

    call_command("seed_demo")
    seen = {kind: set() for kind in ("red_flags", "investigations", "referrals", "differentials")}
    for c in Consultation.objects.all():
        assert c.knowledge_base_version == knowledge_base().version
        for kind in seen:
            seen[kind] |= {i["code"] for i in c.assessment[kind]}
    cat = knowledge_base().catalogue
    for kind in ("red_flags", "referrals"):
        assert seen[kind] == set(cat[kind]), kind
    missing = set(cat["investigations"]) - seen["investigations"]
    assert missing <= {"pregnancy_test"}, missing


def test_the_public_demo_password_is_for_development_only(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_a_weak_demo_password_is_refused_naming_the_option():
    with pytest.raises(CommandError, match="--password: .*at least 12 characters"):
        call_command("seed_demo", password="Summer2024")
    assert not User.objects.exists()


def demo_file(tmp_path, settings, consultation: str):
    settings.BASE_DIR = tmp_path
    (tmp_path / "fixtures" / "demo").mkdir(parents=True)
    (tmp_path / "fixtures" / "demo" / "demo.yaml").write_text(
        "practices:\n"
        "  - name: Northside Surgery\n"
        "    users:\n"
        "      - {username: north.gp, first_name: A, last_name: P, role: gp}\n"
        "      - {username: north.nurse, first_name: T, last_name: O, role: nurse}\n"
        "    patients:\n"
        "      - {name: Ann Example, date_of_birth: 1950-01-01, sex: female, mrn: N-9001,\n"
        f"         consultations: [{consultation}]}}\n"
    )


def test_a_demo_step_the_assessment_does_not_allow_stops_it_saying_where(tmp_path, settings):
    demo_file(tmp_path, settings, "{days_ago: 3, accept: {referrals: [vascular]}}")
    with pytest.raises(CommandError, match="Northside Surgery, patient 1, consultation 1: .*"):
        call_command("seed_demo")
    assert not Patient.objects.exists() and not User.objects.exists()


def test_what_the_records_give_an_intake_cannot_be_typed_in_the_demo_file(tmp_path, settings):
    demo_file(tmp_path, settings, "{days_ago: 3, quinine_started: '2026-01-01'}")
    with pytest.raises(CommandError, match="quinine_started come from the records"):
        call_command("seed_demo")
    assert not Patient.objects.exists()
