import pytest
from django.core.management import CommandError, call_command

from workup.accounts.models import Practice, User
from workup.clinic.models import Consultation, Patient

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Practice.objects.values_list("name", flat=True)),
        sorted(User.objects.values_list("username", "role", "practice__name", "password")),
        Patient.objects.count(),
        sorted(Consultation.objects.values_list("public_id", flat=True)),
    )


def test_it_creates_two_practices_six_users_and_ten_to_fifteen_patients_each(capsys):
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
        assert 10 <= practice.patients.count() <= 15
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
