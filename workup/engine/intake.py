"""Validate an intake exactly as the assessment contract says.

`validate_intake(data, kb)` returns an `Intake` or raises `IntakeError` whose `field` is the
dotted path of the first problem (``cramps.longest_minutes``) and whose message says what is
wanted (``must be a number from 0 to 1440``). Unknown fields and unknown codes are errors: a
typo must never be silently ignored in a clinical tool.

Every number and every text has a plausible limit (`LIMITS`, `MAX_*` below). The web form
takes its limits from here, so the form and the API refuse the same values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from .kb import KnowledgeBase


class IntakeError(ValueError):
    """An intake refused: `field` is the dotted path of the first problem ("" when the problem
    is the file or text the intake came in), `message` what is wanted. `describe()` is the one
    way to say it in a line; the API sends the two parts as they are."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(self.describe())

    def describe(self, label: str | None = None) -> str:
        """``field: message``; `label` names the field instead (the web form's own label)."""
        name = label or self.field
        return f"{name}: {self.message}" if name else self.message


@dataclass(frozen=True)
class Cramps:
    episodes_per_week: float
    longest_minutes: float
    when: tuple[str, ...]
    sites: tuple[str, ...]
    side: str
    relieved_by_stretching: bool
    sleep_disturbed: bool


@dataclass(frozen=True)
class ResultInput:
    code: str
    value: float | str  # a number, or "positive"/"negative" for a coded result
    upper_limit: float | None = None
    date: str | None = None


@dataclass(frozen=True)
class PreviousItem:
    code: str
    kind: str  # "investigation" or "referral"
    date: str


@dataclass(frozen=True)
class Intake:
    age: int
    sex: str
    pregnancy: str
    cramps: Cramps
    findings: tuple[str, ...]
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    legs: dict  # {"left": tuple, "right": tuple}
    results: tuple[ResultInput, ...] = ()
    previous: tuple[PreviousItem, ...] = ()
    quinine_started: str | None = None


TOP_FIELDS = {
    "age",
    "sex",
    "pregnancy",
    "cramps",
    "findings",
    "conditions",
    "medications",
    "legs",
    "results",
    "previous",
    "quinine_started",
}
RESULT_FIELDS = {"code", "value", "upper_limit", "date"}
PREVIOUS_FIELDS = {"code", "kind", "date"}
PREVIOUS_KINDS = {"investigation": "investigations", "referral": "referrals"}
CODED_VALUES = ("positive", "negative")
CRAMP_FIELDS = {
    "episodes_per_week",
    "longest_minutes",
    "when",
    "sites",
    "side",
    "relieved_by_stretching",
    "sleep_disturbed",
}
LEGS = ("left", "right")

# The plausible range of each number in an intake (inclusive). A value outside it is a typo or
# a broken client, never a history a GP took, and it would skew the rules and the charts.
LIMITS = {
    "age": (0, 120),
    # 100 a week is about 14 a day, one every waking hour: no patient can count more than that,
    # and a typo (1000 for 10) must not pass as a real history.
    "cramps.episodes_per_week": (0, 100),
    # a cramp lasts seconds to minutes; 1440 minutes is a whole day
    "cramps.longest_minutes": (0, 1440),
}
MAX_MEDICATIONS = 100  # entries in `medications`
MAX_MEDICATION_LENGTH = 200  # characters in one medication
MAX_CODES = 100  # entries in a list of codes (findings, conditions, when, sites, each leg)
MAX_UPPER_LIMIT = 100000  # a laboratory's upper limit of normal (creatine kinase, U/L)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Text may not hold control characters (C0, DEL, C1) or unpaired surrogates, which are not
# Unicode characters at all and cannot be written as UTF-8.
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
NOT_TEXT_MESSAGE = "must be plain text, without control characters or invalid Unicode"


def text_problem(text: str) -> str | None:
    """What is wrong with a free text (None: nothing): control characters, lone surrogates."""
    return NOT_TEXT_MESSAGE if _NOT_TEXT.search(text) else None


def validate_intake(data, kb: KnowledgeBase) -> Intake:
    vocab = kb.vocabulary
    if not isinstance(data, dict):
        raise IntakeError("intake", "must be a JSON object")
    _no_unknown(data, TOP_FIELDS, "")

    age = _required(data, "age", "")
    low, high = LIMITS["age"]
    if not _is_int(age) or not low <= age <= high:
        raise IntakeError("age", f"must be a whole number from {low} to {high}")
    age = int(age)
    adult = kb.scores["adults"]["minimum_age"]
    if age < adult:
        raise IntakeError("age", f"this tool is for adults aged {adult} and over")
    sex = _required(data, "sex", "")
    _choice("sex", sex, vocab["sexes"])
    pregnancy = data.get("pregnancy", "none")
    _choice("pregnancy", pregnancy, list(vocab["pregnancy"]))
    if sex == "male" and pregnancy != "none":
        raise IntakeError("pregnancy", "must be none when sex is male")

    raw = _required(data, "cramps", "")
    if not isinstance(raw, dict):
        raise IntakeError("cramps", "must be an object")
    _no_unknown(raw, CRAMP_FIELDS, "cramps.")
    numbers = {}
    for name in ("episodes_per_week", "longest_minutes"):
        value = _required(raw, name, "cramps.")
        low, high = LIMITS[f"cramps.{name}"]
        if not _is_number(value) or not low <= value <= high:
            raise IntakeError(f"cramps.{name}", f"must be a number from {low} to {high}")
        numbers[name] = value
    when = _codes(_required(raw, "when", "cramps."), "cramps.when", vocab["cramp_when"], True)
    sites = _codes(_required(raw, "sites", "cramps."), "cramps.sites", vocab["cramp_sites"], True)
    side = _required(raw, "side", "cramps.")
    _choice("cramps.side", side, vocab["sides"])
    relieved = _required(raw, "relieved_by_stretching", "cramps.")
    if not isinstance(relieved, bool):
        raise IntakeError("cramps.relieved_by_stretching", "must be true or false")
    sleep = raw.get("sleep_disturbed", False)
    if not isinstance(sleep, bool):
        raise IntakeError("cramps.sleep_disturbed", "must be true or false")

    synonyms = vocab.get("finding_synonyms") or {}
    findings = _codes(data.get("findings", []), "findings", vocab["findings"], synonyms=synonyms)
    conditions = _codes(data.get("conditions", []), "conditions", vocab["conditions"])

    meds = data.get("medications", [])
    if not isinstance(meds, list):
        raise IntakeError("medications", "must be a list of names")
    if len(meds) > MAX_MEDICATIONS:
        raise IntakeError("medications", f"must have at most {MAX_MEDICATIONS} entries")
    for i, m in enumerate(meds):
        if not isinstance(m, str) or not m.strip():
            raise IntakeError(f"medications[{i}]", "must be a non-empty name")
        if len(m) > MAX_MEDICATION_LENGTH:
            raise IntakeError(
                f"medications[{i}]", f"must be at most {MAX_MEDICATION_LENGTH} characters"
            )
        if problem := text_problem(m):
            raise IntakeError(f"medications[{i}]", problem)

    legs_raw = data.get("legs", {})
    if not isinstance(legs_raw, dict):
        raise IntakeError("legs", "must be an object with left and right")
    _no_unknown(legs_raw, set(LEGS), "legs.")
    legs = {leg: _codes(legs_raw.get(leg, []), f"legs.{leg}", vocab["leg_signs"]) for leg in LEGS}

    return Intake(
        age=age,
        sex=sex,
        pregnancy=pregnancy,
        cramps=Cramps(
            numbers["episodes_per_week"],
            numbers["longest_minutes"],
            when,
            sites,
            side,
            relieved,
            sleep,
        ),
        findings=findings,
        conditions=conditions,
        medications=tuple(meds),
        legs=legs,
        results=_results(data.get("results", []), kb),
        previous=_previous(data.get("previous", []), kb),
        quinine_started=_date(data["quinine_started"], "quinine_started")
        if data.get("quinine_started") is not None
        else None,
    )


def _objects(value, field: str, fields: set, shape: str):
    """(path, object) for each entry of a list of objects, each with only known fields."""
    if not isinstance(value, list):
        raise IntakeError(field, f"must be a list of {shape} objects")
    if len(value) > MAX_CODES:
        raise IntakeError(field, f"must have at most {MAX_CODES} entries")
    for i, item in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise IntakeError(where, f"must be an object {shape}")
        _no_unknown(item, fields, where + ".")
        yield where, item


def _results(value, kb: KnowledgeBase) -> tuple[ResultInput, ...]:
    out, seen = [], set()
    for where, item in _objects(value, "results", RESULT_FIELDS, '{"code", "value"}'):
        code = _required(item, "code", where + ".")
        if not isinstance(code, str) or code not in kb.results:
            shown = _short(code) if isinstance(code, str) else code
            raise IntakeError(
                f"{where}.code", f"unknown result code {shown!r}; known: " + ", ".join(kb.results)
            )
        if code in seen:
            raise IntakeError(f"{where}.code", f"{code} is given twice")
        seen.add(code)
        definition = kb.results[code]
        raw = _required(item, "value", where + ".")
        if definition.kind == "coded":
            if raw not in CODED_VALUES:
                raise IntakeError(f"{where}.value", "must be positive or negative")
            result_value = raw
        else:
            top = definition.maximum
            if not _is_number(raw) or not 0 <= raw <= top:
                raise IntakeError(
                    f"{where}.value", f"must be a number from 0 to {top:,.10g} ({definition.unit})"
                )
            result_value = raw
        upper = item.get("upper_limit")
        if upper is not None:
            if definition.upper_limit is None:
                raise IntakeError(
                    f"{where}.upper_limit",
                    f"is only for results with a laboratory upper limit, not {code}",
                )
            if not _is_number(upper) or not 0 < upper <= MAX_UPPER_LIMIT:
                raise IntakeError(
                    f"{where}.upper_limit", f"must be a number over 0 and at most {MAX_UPPER_LIMIT}"
                )
        day = _date(item["date"], f"{where}.date") if item.get("date") is not None else None
        out.append(ResultInput(code, result_value, upper, day))
    return tuple(out)


def _previous(value, kb: KnowledgeBase) -> tuple[PreviousItem, ...]:
    out = []
    for where, item in _objects(value, "previous", PREVIOUS_FIELDS, '{"code", "kind", "date"}'):
        kind = _required(item, "kind", where + ".")
        if kind not in PREVIOUS_KINDS:
            raise IntakeError(f"{where}.kind", "must be investigation or referral")
        code = _required(item, "code", where + ".")
        known = kb.catalogue[PREVIOUS_KINDS[kind]]
        if not isinstance(code, str) or code not in known:
            shown = _short(code) if isinstance(code, str) else code
            raise IntakeError(f"{where}.code", f"unknown {kind} code {shown!r}")
        day = _date(_required(item, "date", where + "."), f"{where}.date")
        out.append(PreviousItem(code, kind, day))
    return tuple(out)


def _date(value, field: str) -> str:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise IntakeError(field, "must be a date written YYYY-MM-DD")


def _required(obj: dict, name: str, prefix: str):
    if name not in obj:
        raise IntakeError(prefix + name, "is required")
    return obj[name]


def _no_unknown(obj: dict, allowed: set, prefix: str):
    for key in obj:
        if key not in allowed:
            raise IntakeError(prefix + _shown(str(key)), "unknown field")


def _choice(field: str, value, allowed: list):
    if not isinstance(value, str) or value not in allowed:
        raise IntakeError(field, "must be one of " + ", ".join(allowed))


def _codes(
    value, field: str, known: dict, non_empty: bool = False, synonyms: dict | None = None
) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise IntakeError(field, "must be a list of codes")
    if non_empty and not value:
        raise IntakeError(field, "must name at least one of " + ", ".join(known))
    if len(value) > MAX_CODES:
        raise IntakeError(field, f"must have at most {MAX_CODES} entries")
    out = []
    for i, code in enumerate(value):
        if not isinstance(code, str):
            raise IntakeError(f"{field}[{i}]", "must be a code (a string)")
        if synonyms and code in synonyms:
            code = synonyms[code]
        if code not in known:
            raise IntakeError(f"{field}[{i}]", f"unknown code {_short(code)!r}")  # repr escapes
        if code not in out:
            out.append(code)
    return tuple(out)


def _short(text: str) -> str:
    """Input echoed in a message: at most 40 characters and an ellipsis."""
    return text if len(text) <= 40 else text[:40] + "..."


def _shown(text: str) -> str:
    """An unknown field's name echoed in a message: short, and escaped unless it is
    printable, so that a message can always be written out."""
    short = _short(text)
    return short if short.isprintable() else repr(short)[1:-1]


def _is_number(value) -> bool:
    # an int of any size compares exactly with the limits (math.isfinite would overflow)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _is_int(value) -> bool:
    if isinstance(value, float) and value.is_integer():
        return True
    return isinstance(value, int) and not isinstance(value, bool)
