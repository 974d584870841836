"""Shared by `handout` and `referral`: read one contract intake as `recommend` does."""

from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from workup.documents.content import DocumentInput
from workup.knowledge.management.refusals import assess_file, loaded_knowledge_base


def read_input(path: str, name: str) -> DocumentInput:
    """The intake assessed by the engine, every item taken as accepted. A bad file fails as
    it does for `recommend`: one line naming the file and the field, exit status 2.

    What the intake knows is filled in (the sex; the age, from `age`); what it does not (NHS
    number, date of birth, allergies, the practice and the clinician) prints "not recorded"."""
    intake, assessment = assess_file(path, loaded_knowledge_base())
    return DocumentInput.all_accepted(
        intake,
        assessment,
        patient_name=name,
        sex=str(intake.get("sex") or "").capitalize(),
        day=date.today(),
    )


def write_output(path: str, pdf: bytes) -> None:
    try:
        Path(path).write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"{path}: cannot write the file ({exc.strerror})") from None
