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
