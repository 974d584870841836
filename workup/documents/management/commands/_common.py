"""Shared by `handout` and `referral`: read one contract intake as `recommend` does."""
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from workup.documents.content import DocumentInput
from workup.engine import IntakeError, KnowledgeBaseError, recommend
from workup.knowledge.intake_files import read_intake
from workup.knowledge.loading import knowledge_base


def read_input(path: str, name: str) -> DocumentInput:
    """The intake assessed by the engine, every item taken as accepted; errors exit 2."""
    try:
        kb = knowledge_base()
    except KnowledgeBaseError as exc:
        raise CommandError(f"knowledge base: {exc}") from None
    try:
        intake = read_intake(path)
        assessment = recommend(intake, kb)
    except IntakeError as exc:  # one line naming the file and the field, exit 2, as `recommend`
        sys.stderr.write(f"{path}: {exc}\n")
        raise SystemExit(2) from None
    return DocumentInput.all_accepted(intake, assessment, patient_name=name, day=date.today())


def write_output(path: str, pdf: bytes) -> None:
    try:
        Path(path).write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"{path}: cannot write the file ({exc.strerror})") from None
