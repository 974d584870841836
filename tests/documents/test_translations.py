"""Every statement a handout may print, and every heading, has its Spanish translation."""

import re
from pathlib import Path

import polib

from tests.documents.helpers import KB

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "workup" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def handout_statements(node):
    if isinstance(node, dict):
        if "text" in node:
            yield node["text"]
        for key, value in node.items():
            if key not in ("text", "sources"):
                yield from handout_statements(value)
    elif isinstance(node, list):
        for value in node:
            yield from handout_statements(value)


def template_strings():
    for path in (ROOT / "templates" / "documents").glob("*.html"):
        yield from re.findall(r'{% translate "([^"]+)" %}', path.read_text())


def test_every_handout_string_has_a_spanish_translation():
    po = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    wanted = set(handout_statements(KB.handout)) | set(template_strings())
    missing = sorted(s for s in wanted if not po.get(s))
    assert not missing, missing
    fuzzy = [e.msgid for e in polib.pofile(str(PO)) if "fuzzy" in e.flags]
    assert not fuzzy


def test_the_spanish_file_has_nothing_left_over():
    po = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    wanted = set(handout_statements(KB.handout)) | set(template_strings())
    assert po - wanted == set()


REGIONAL = re.compile(r"\b(gemelos?|culos?|moratones|moratón)\b", re.IGNORECASE)
# English word in a statement -> the neutral Spanish word its translation must use
NEUTRAL = {"calf": "pantorrilla", "bruis": "moretones", "bottom": "nalgas"}


def test_the_spanish_text_uses_words_understood_in_spain_and_latin_america():
    entries = [e for e in polib.pofile(str(PO)) if not e.obsolete]
    regional = [(e.msgid, e.msgstr) for e in entries if REGIONAL.search(e.msgstr)]
    assert not regional, regional
    for english, spanish in NEUTRAL.items():
        wanting = [
            e.msgid
            for e in entries
            if english in e.msgid.lower() and spanish not in e.msgstr.lower()
        ]
        assert not wanting, (spanish, wanting)
