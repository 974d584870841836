"""How the intake commands (`recommend`, `handout`, `referral`) read and assess an intake
file, and how they fail: always a CommandError."""

from django.core.management.base import CommandError, SystemCheckError

from workup.engine import IntakeError, KnowledgeBase, KnowledgeBaseError, recommend
from workup.knowledge.intake_files import read_intake
from workup.knowledge.loading import knowledge_base


class IntakeRefused(SystemCheckError):
    """Intake files refused: exit status 2 and one line per file, `<file>: <field>: <message>`,
    which scripts and the contract checker read. It is a CommandError whose base is
    SystemCheckError because Django writes that one's message as it stands, without the
    "CommandError: " it puts before any other."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines), returncode=2)


def loaded_knowledge_base() -> KnowledgeBase:
    try:
        return knowledge_base()
    except KnowledgeBaseError as exc:
        raise CommandError(f"knowledge base: {exc}") from None


def assess_file(path: str, kb: KnowledgeBase) -> tuple[dict, dict]:
    """The intake in `path` (- for standard input) and the engine's assessment of it;
    IntakeRefused naming the file and the field if it cannot be read or is refused."""
    try:
        intake = read_intake(path)
        return intake, recommend(intake, kb)
    except IntakeError as exc:
        raise IntakeRefused(f"{path}: {exc.describe()}") from None
