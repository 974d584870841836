"""Clinical records. URLs carry `public_id` (a random UUID), never a name or identifier.

Every change to a clinical record is kept in a history (django-simple-history).
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from workup.accounts.models import Practice
from workup.engine import DECIDABLE


def handout_languages() -> list[tuple[str, str]]:
    """The languages a handout is printed in: settings.LANGUAGES, the one list of them."""
    return settings.LANGUAGES


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    mrn = models.CharField("MRN", max_length=30, blank=True)
    language = models.CharField(
        "Handout language", max_length=5, choices=handout_languages, default="en"
    )
    # Free text as the GP writes it ("penicillin: rash"), or "no known allergies" ticked; both
    # empty is "not recorded". Each consultation confirms them (Consultation.allergies_confirmed).
    allergies = models.TextField(blank=True)
    no_known_allergies = models.BooleanField("No known allergies", default=False)
    # The date of the latest consultation (empty: never seen), kept by services.
    # consultation_create, so that the patient list is sorted from an index instead of from
    # every consultation of the practice (the index: migration 0009, PostgreSQL). Derived, so
    # not in the history.
    last_seen = models.DateField("Last visit", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["last_seen"])

    class Meta:
        ordering = ["name", "date_of_birth"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="one_patient_per_nhs_number_in_practice",
                violation_error_message="A patient with this NHS number is already registered "
                "in this practice.",
            )
        ]

    def __str__(self):
        return self.name

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        """The age today, as every screen shows it beside the date of birth."""
        return self.age_on(date.today())

    @property
    def nhs_number_spaced(self) -> str:
        """The NHS number as it is written and read aloud: 3-3-4 ("943 476 5919")."""
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else n

    @property
    def allergies_line(self) -> str:
        """The allergies on one line, as headers and letters show them: "Penicillin: rash;
        Codeine: vomiting"."""
        return "; ".join(line.strip() for line in self.allergies.splitlines() if line.strip())

    def record_allergies(self, *, allergies: str, no_known_allergies: bool) -> bool:
        """Keep the allergies as the GP last confirmed them; saved (and so kept in the
        history) only when they changed. True when they changed."""
        allergies = allergies.strip()
        if (allergies, no_known_allergies) == (self.allergies, self.no_known_allergies):
            return False
        self.allergies, self.no_known_allergies = allergies, no_known_allergies
        self.save(update_fields=["allergies", "no_known_allergies"])
        return True


class Consultation(models.Model):
    """One visit: the intake (in the contract's format) and the assessment the engine made."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consultations")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    date = models.DateField(default=date.today)
    intake = models.JSONField()
    assessment = models.JSONField()
    knowledge_base_version = models.CharField(max_length=20)
    # Raised by every save of the intake: a save based on an older version is refused, so two
    # clinicians editing at once never overwrite each other silently.
    version = models.PositiveIntegerField(default=1)
    # The intake page's own id for one "Save": a second click (or a resent form) finds the
    # consultation the first one made instead of making another.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The patient's allergies were confirmed at this visit ("Allergies checked today"; the
    # intake page asks for it at every save). False on visits saved before it was asked.
    allergies_confirmed = models.BooleanField("Allergies checked at this visit", default=False)

    # For the referral letters, outside the engine's intake (the contract has no such fields):
    # how long the patient has had the symptoms, and any vein surgery or procedure before.
    # Empty: "not recorded" on the letter.
    class SymptomsFor(models.TextChoices):
        UNDER_3_MONTHS = "under_3_months", "Less than 3 months"
        MONTHS_3_TO_12 = "3_to_12_months", "3 to 12 months"
        YEARS_1_TO_5 = "1_to_5_years", "1 to 5 years"
        OVER_5_YEARS = "over_5_years", "More than 5 years"

    symptoms_for = models.CharField(
        "Symptoms for", max_length=20, choices=SymptomsFor.choices, blank=True
    )
    venous_surgery = models.CharField(
        "Previous vein surgery or procedures", max_length=200, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"Consultation {self.date:%d %b %Y}"

    def confirm_allergies(self) -> None:
        """The allergies were checked with the patient at this visit (kept in the history)."""
        if not self.allergies_confirmed:
            self.allergies_confirmed = True
            self.save(update_fields=["allergies_confirmed"])


class Decision(models.Model):
    """A GP's decision on one recommended item: accepted, or declined with a reason."""

    MAX_REASON_LENGTH = 1000

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="decisions"
    )
    # labelled in the singular: "investigations" is shown as "Investigation"
    kind = models.CharField(
        max_length=20, choices=[(kind, kind[:-1].capitalize()) for kind in DECIDABLE]
    )
    code = models.CharField(max_length=60)
    accepted = models.BooleanField()
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "code"], name="one_decision_per_item"
            )
        ]
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{'Accepted' if self.accepted else 'Declined'} {self.code}"


class Result(models.Model):
    """A returned result: it answers one investigation accepted at one consultation (the
    request) and belongs to that consultation's patient. `flag` is the engine's reading of it
    when the consultation was last assessed; a critical result (or a coded value the knowledge
    base says must be acknowledged) waits on the worklist until a GP acknowledges it."""

    class Coded(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="results")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="results")
    investigation = models.CharField(max_length=60)  # the request it answers
    code = models.CharField(max_length=60)  # the result's code (knowledge base results.yaml)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    coded = models.CharField(max_length=10, choices=Coded.choices, blank=True)
    upper_limit = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    taken_on = models.DateField()
    flag = models.CharField(max_length=10, blank=True)
    must_acknowledge = models.BooleanField(default=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "code"], name="one_result_per_request")
        ]
        ordering = ["taken_on", "code"]

    def __str__(self):
        return f"Result {self.code} ({self.taken_on:%d %b %Y})"

    @property
    def value(self) -> float | str:
        """As the contract's intake carries it: a number, or positive/negative."""
        if self.coded:
            return self.coded
        number = float(self.number)
        return int(number) if number.is_integer() else number  # 138, not 138.0

    def as_intake(self) -> dict:
        entry = {"code": self.code, "value": self.value, "date": self.taken_on.isoformat()}
        if self.upper_limit is not None:
            entry["upper_limit"] = float(self.upper_limit)
        return entry
