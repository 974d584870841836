"""Validate an intake exactly as the assessment contract says.

`validate_intake(data, kb)` returns an `Intake` or raises `IntakeError` whose `field` is the
dotted path of the first problem (``cramps.longest_minutes``) and whose message says what is
wanted (``must be a number >= 0``). Unknown fields and unknown codes are errors: a typo must
never be silently ignored in a clinical tool.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .kb import KnowledgeBase


class IntakeError(ValueError):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}" if field else message)


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
class Intake:
    age: int
    sex: str
    pregnancy: str
    cramps: Cramps
    findings: tuple[str, ...]
    conditions: tuple[str, ...]
    medications: tuple[str, ...]
    legs: dict  # {"left": tuple, "right": tuple}


TOP_FIELDS = {"age", "sex", "pregnancy", "cramps", "findings", "conditions", "medications", "legs"}
CRAMP_FIELDS = {"episodes_per_week", "longest_minutes", "when", "sites", "side",
                "relieved_by_stretching", "sleep_disturbed"}
LEGS = ("left", "right")
MAX_MEDICATIONS = 100
MAX_MEDICATION_LENGTH = 200


def validate_intake(data, kb: KnowledgeBase) -> Intake:
    vocab = kb.vocabulary
    if not isinstance(data, dict):
        raise IntakeError("intake", "must be a JSON object")
    _no_unknown(data, TOP_FIELDS, "")

    age = _required(data, "age", "")
    if not _is_int(age) or not 0 <= age <= 120:
        raise IntakeError("age", "must be a whole number from 0 to 120")
    age = int(age)
    sex = _required(data, "sex", "")
    _choice("sex", sex, vocab["sexes"])
    pregnancy = data.get("pregnancy", "none")
    _choice("pregnancy", pregnancy, list(vocab["pregnancy"]))

    raw = _required(data, "cramps", "")
    if not isinstance(raw, dict):
        raise IntakeError("cramps", "must be an object")
    _no_unknown(raw, CRAMP_FIELDS, "cramps.")
    numbers = {}
    for name in ("episodes_per_week", "longest_minutes"):
        value = _required(raw, name, "cramps.")
        if not _is_number(value) or value < 0:
            raise IntakeError(f"cramps.{name}", "must be a number >= 0")
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

    findings = _codes(data.get("findings", []), "findings", vocab["findings"])
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
            raise IntakeError(f"medications[{i}]",
                              f"must be at most {MAX_MEDICATION_LENGTH} characters")

    legs_raw = data.get("legs", {})
    if not isinstance(legs_raw, dict):
        raise IntakeError("legs", "must be an object with left and right")
    _no_unknown(legs_raw, set(LEGS), "legs.")
    legs = {leg: _codes(legs_raw.get(leg, []), f"legs.{leg}", vocab["leg_signs"]) for leg in LEGS}

    return Intake(
        age=age, sex=sex, pregnancy=pregnancy,
        cramps=Cramps(numbers["episodes_per_week"], numbers["longest_minutes"], when, sites,
                      side, relieved, sleep),
        findings=findings, conditions=conditions, medications=tuple(meds), legs=legs,
    )


def _required(obj: dict, name: str, prefix: str):
    if name not in obj:
        raise IntakeError(prefix + name, "is required")
    return obj[name]


def _no_unknown(obj: dict, allowed: set, prefix: str):
    for key in obj:
        if key not in allowed:
            raise IntakeError(prefix + str(key), "unknown field")


def _choice(field: str, value, allowed: list):
    if not isinstance(value, str) or value not in allowed:
        raise IntakeError(field, "must be one of " + ", ".join(allowed))


def _codes(value, field: str, known: dict, non_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise IntakeError(field, "must be a list of codes")
    if non_empty and not value:
        raise IntakeError(field, "must name at least one of " + ", ".join(known))
    out = []
    for i, code in enumerate(value):
        if not isinstance(code, str):
            raise IntakeError(f"{field}[{i}]", "must be a code (a string)")
        if code not in known:
            shown = code if len(code) <= 40 else code[:40] + "..."
            raise IntakeError(f"{field}[{i}]", f"unknown code {shown!r}")
        if code not in out:
            out.append(code)
    return tuple(out)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value) -> bool:
    if isinstance(value, float) and value.is_integer():
        return True
    return isinstance(value, int) and not isinstance(value, bool)
