"""python manage.py seed_demo [--password PW]: two demo practices, their users and patients.

Idempotent: users and patients that exist are left as they are (passwords included), so
running it twice changes nothing. Data comes from fixtures/demo/demo.yaml; every assessment
is made by the engine.
"""

from datetime import date, timedelta

import yaml
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workup.accounts.models import Practice, User
from workup.clinic import services
from workup.clinic.models import Patient

DEFAULT_PASSWORD = "workup-demo"
TYPICAL_CRAMPS = {
    "episodes_per_week": 3,
    "longest_minutes": 3,
    "when": ["night"],
    "sites": ["calf"],
    "side": "both",
    "relieved_by_stretching": True,
    "sleep_disturbed": True,
}


class Command(BaseCommand):
    help = "Create the demo practices, users and patients (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help="password for new demo users (in development the default is "
            f"{DEFAULT_PASSWORD}; with DEBUG off one of at least 12 "
            "characters must be given)",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        password = self._password(password)
        demo = yaml.safe_load((settings.BASE_DIR / "fixtures" / "demo" / "demo.yaml").read_text())
        created_users = created_patients = 0
        for spec in demo["practices"]:
            practice, _ = Practice.objects.get_or_create(name=spec["name"])
            users = {}
            for u in spec["users"]:
                user, created = User.objects.get_or_create(
                    username=u["username"],
                    defaults={
                        "first_name": u["first_name"],
                        "last_name": u["last_name"],
                        "role": u["role"],
                        "practice": practice,
                        "is_staff": u["role"] == User.Role.ADMIN,
                    },
                )
                if created:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                    created_users += 1
                users[u["role"]] = user
            for p in spec["patients"]:
                if Patient.objects.filter(practice=practice, mrn=p["mrn"]).exists():
                    continue
                patient = services.patient_create(
                    practice=practice,
                    name=p["name"],
                    date_of_birth=p["date_of_birth"],
                    sex=p["sex"],
                    mrn=p["mrn"],
                    language=p.get("language", "en"),
                )
                created_patients += 1
                for c in p["consultations"]:
                    day = date.today() - timedelta(days=c["days_ago"])
                    services.consultation_create(
                        patient=patient,
                        clinician=users["gp"],
                        day=day,
                        intake=_intake(patient, c, day),
                    )
        self.stdout.write(
            f"Demo data: {created_users} users and {created_patients} patients "
            "created (existing ones left as they were)."
        )
        passwords = (
            f"password: {password}"
            if created_users
            else f"passwords unchanged; the demo default is {DEFAULT_PASSWORD}"
        )
        self.stdout.write(
            "Log in at http://127.0.0.1:8000/accounts/login/ as north.gp, "
            "north.nurse, north.admin, south.gp, south.nurse or south.admin "
            f"({passwords})."
        )

    def _password(self, password: str | None) -> str:
        """The public demo password is the one exception to the password rules, and only in
        development: with DEBUG off, demo users get a password that passes the validators."""
        if password is None:
            if settings.PRODUCTION:
                raise CommandError(
                    "DEBUG is off: give the demo users a password of your own "
                    "with --password (the public demo password is for "
                    "development only)."
                )
            return DEFAULT_PASSWORD
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("--password: " + " ".join(exc.messages)) from None
        return password


def _intake(patient: Patient, spec: dict, day: date) -> dict:
    """A demo consultation's intake: the typical cramps changed where the spec says, and the
    rest of the spec's contract fields as they are."""
    fields = {key: value for key, value in spec.items() if key not in ("days_ago", "cramps")}
    return services.patient_intake(
        patient=patient, day=day, cramps={**TYPICAL_CRAMPS, **spec.get("cramps", {})}, **fields
    )
