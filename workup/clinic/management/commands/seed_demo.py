"""python manage.py seed_demo [--password PW]: two demo practices, their users and patients.

Idempotent: users and patients that exist are left as they are (passwords included), so
running it twice changes nothing. Data comes from fixtures/demo/demo.yaml; every assessment
is made by the engine, and everything a clinician does (accepting a test or a referral,
recording a result) goes through the same services as the screens, in the order the file
lists it: a follow-up visit is created after the results of the visit before, and its intake
carries them (and earlier requests, and the quinine start) from the records, as a visit made
on the intake page does.
"""

from datetime import date, timedelta
from decimal import Decimal

import yaml
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workup.accounts.models import Practice, User
from workup.clinic import selectors, services
from workup.clinic.models import Consultation, Patient

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
            for place, p in enumerate(spec["patients"], start=1):
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
                for number, c in enumerate(p["consultations"], start=1):
                    where = f"{spec['name']}, patient {place}, consultation {number}"
                    try:
                        _consultation(patient, c, users)
                    except ValueError as exc:  # IntakeError, DecisionError, ResultError
                        raise CommandError(f"fixtures/demo/demo.yaml, {where}: {exc}") from exc
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


# A consultation's keys that are not intake fields: when it was, and what was done after it.
# `accept` ({kind: [codes]}) is decided by the practice's GP, then `results` ([{code, value,
# days_ago, upper_limit}]) are recorded by its nurse; `then` lists further rounds of both (a
# positive D-dimer is followed by a scan accepted and resulted).
STEPS = ("accept", "results", "then")


def _consultation(patient: Patient, spec: dict, users: dict) -> Consultation:
    day = _days_ago(spec["days_ago"])
    consultation = services.consultation_create(
        patient=patient, clinician=users["gp"], day=day, intake=_intake(patient, spec, day)
    )
    for step in [spec, *spec.get("then", [])]:
        for kind, codes in step.get("accept", {}).items():
            for code in codes:
                consultation.refresh_from_db()
                services.decision_record(
                    consultation=consultation,
                    user=users["gp"],
                    kind=kind,
                    code=code,
                    accepted=True,
                )
        if step.get("results"):
            consultation.refresh_from_db()
            services.results_record(
                consultation=consultation,
                user=users["nurse"],
                entries=[_result(r) for r in step["results"]],
            )
    return consultation


def _intake(patient: Patient, spec: dict, day: date) -> dict:
    """A demo consultation's intake: the typical cramps changed where the spec says, the rest
    of the spec's contract fields as they are, and what the records say (results, earlier
    requests not yet answered, the quinine start) as the intake page adds it."""
    typed = set(spec) & (set(selectors.HISTORY_FIELDS) - {"results"})
    if typed:
        raise CommandError(
            f"demo.yaml: {', '.join(sorted(typed))} come from the records, not the file."
        )
    fields = {
        key: value
        for key, value in spec.items()
        if key not in ("days_ago", "cramps", *STEPS, *selectors.HISTORY_FIELDS)
    }
    history = selectors.intake_history(
        patient=patient, day=day, medications=fields.get("medications", [])
    )
    return services.patient_intake(
        patient=patient,
        day=day,
        cramps={**TYPICAL_CRAMPS, **spec.get("cramps", {})},
        **fields,
        **history,
    )


def _result(spec: dict) -> services.ResultEntry:
    value = spec["value"]
    upper = spec.get("upper_limit")
    return services.ResultEntry(
        code=spec["code"],
        value=value if isinstance(value, str) else Decimal(str(value)),
        taken_on=_days_ago(spec["days_ago"]),
        upper_limit=None if upper is None else Decimal(str(upper)),
    )


def _days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)
