"""Intake factories: a typical idiopathic night cramp, changed only where a test says so."""

import copy

TYPICAL = {
    "age": 68,
    "sex": "female",
    "pregnancy": "none",
    "cramps": {
        "episodes_per_week": 3,
        "longest_minutes": 3,
        "when": ["night"],
        "sites": ["calf"],
        "side": "both",
        "relieved_by_stretching": True,
        "sleep_disturbed": True,
    },
    "findings": [],
    "conditions": [],
    "medications": [],
    "legs": {"left": [], "right": []},
}


def intake_data(*, cramps=None, left=(), right=(), **fields):
    """A contract intake dict; `cramps` updates the cramp fields, `left`/`right` the legs."""
    data = copy.deepcopy(TYPICAL)
    data["cramps"].update(cramps or {})
    data["legs"] = {"left": list(left), "right": list(right)}
    data.update(fields)
    return data


# The intake page's POST for a typical consultation: night calf cramps, a loop diuretic and an
# inhaler, varicose veins on the left. Tests add or change fields.
INTAKE_POST = {
    "episodes_per_week": "4",
    "longest_minutes": "3",
    "when": ["night"],
    "sites": ["calf"],
    "side": "left",
    "relieved_by_stretching": "yes",
    "sleep_disturbed": "on",
    "pregnancy": "none",
    "medications": "Lasix 40mg\nSeretide 250",
    "left_leg": ["varicose_veins"],
    # asked at every visit: none known, checked with the patient today
    "no_known_allergies": "on",
    "allergies_confirmed": "on",
}


# -- Database factories (factory_boy) ----------------------------------------------------------
from datetime import date  # noqa: E402

import factory  # noqa: E402

from workup.accounts.models import Practice, User  # noqa: E402
from workup.clinic.models import Patient  # noqa: E402

PASSWORD = "correct horse battery staple"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Practice {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Clinician{n}")
    practice = factory.SubFactory(PracticeFactory)
    role = User.Role.GP
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.is_staff = obj.role == User.Role.ADMIN
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Patient Number{n}")
    date_of_birth = date(1956, 3, 14)
    sex = Patient.Sex.FEMALE


def consultation_for(patient, clinician, day=None, **intake_fields):
    """A saved consultation, assessed by the engine through the service."""
    from workup.clinic.services import consultation_create, patient_intake

    data = intake_data(**intake_fields)
    del data["age"], data["sex"]  # the patient's own, as the intake page takes them
    intake = patient_intake(patient=patient, day=day or date.today(), **data)
    return consultation_create(patient=patient, clinician=clinician, intake=intake, day=day)


# -- Follow-ups: visits that read the records, decisions, results -------------------------------


def visit_for(patient, clinician, day=None, **intake_fields):
    """A consultation as the intake page saves it: the intake also carries what the patient's
    records hold (earlier requests not yet answered, results, the quinine start)."""
    from workup.clinic.selectors import intake_history
    from workup.clinic.services import consultation_create, patient_intake

    day = day or date.today()
    data = intake_data(**intake_fields)
    del data["age"], data["sex"]
    history = intake_history(patient=patient, day=day, medications=data["medications"])
    intake = patient_intake(patient=patient, day=day, **{**data, **history})
    return consultation_create(patient=patient, clinician=clinician, intake=intake, day=day)


def accept(consultation, gp, kind, *codes):
    """The GP accepts each item (as the review page does)."""
    from workup.clinic.services import decision_record

    for code in codes:
        decision_record(consultation=consultation, user=gp, kind=kind, code=code, accepted=True)
    consultation.refresh_from_db()
    return consultation


def record(consultation, user, taken_on=None, **values):
    """Results typed for tests accepted at `consultation`: record(c, nurse, potassium=3.1)."""
    from decimal import Decimal

    from workup.clinic.services import ResultEntry, results_record

    entries = [
        ResultEntry(
            code=code,
            value=value if isinstance(value, str) else Decimal(str(value)),
            taken_on=taken_on or consultation.date,
        )
        for code, value in values.items()
    ]
    return results_record(consultation=consultation, user=user, entries=entries)
