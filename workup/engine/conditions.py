"""The rule conditions: one registry, where each kind of condition is checked when the knowledge
base loads, evaluated for a patient, and described in words, all in one class.

A condition in rules.yaml is a mapping with one key (`findings: [...]`, `all: [...]`, ...).
`parse_condition` turns it into a tree of `Condition` objects, refusing unknown keys and codes;
`Condition.holds(scope)` says whether it holds and which of the patient's own findings made it
hold (the evidence a reason shows); `Condition.describe()` says it in words for the knowledge
base page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

Evidence = list[str]


class ConditionError(ValueError):
    """A condition that cannot be used; the loader adds the file and the entry."""


@dataclass
class ParseContext:
    """What a condition may name, and what the loader records as used."""

    known: dict[str, Any]  # kind -> codes (a dict or set)
    labels: dict[str, dict[str, str]]  # kind -> code -> label, for describing
    definitions: dict[str, Condition] = field(default_factory=dict)
    raw_definitions: dict[str, dict] = field(default_factory=dict)
    used: dict[str, set[str]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)  # result code -> definition

    def codes(self, kind: str, values: Any) -> tuple[str, ...]:
        if not isinstance(values, list) or not values:
            raise ConditionError(f"needs a non-empty list of {kind}")
        known = self.known[kind]
        for v in values:
            if v not in known:
                raise ConditionError(f"unknown {_singular(kind)} '{v}'")
        self.used.setdefault(kind, set()).update(values)
        return tuple(values)


REGISTRY: dict[str, type[Condition]] = {}


def condition(cls):
    REGISTRY[cls.key] = cls
    return cls


def parse_condition(raw: Any, ctx: ParseContext, leg: bool = False) -> Condition:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ConditionError(f"a condition must have exactly one key: {raw!r}")
    ((key, value),) = raw.items()
    cls = REGISTRY.get(key)
    if cls is None or (leg and not cls.in_one_leg):
        where = " inside same_leg" if cls is not None else ""
        raise ConditionError(f"unknown condition '{key}'{where}")
    return cls.parse(value, ctx, leg)


class Condition:
    key: ClassVar[str]
    in_one_leg: ClassVar[bool] = False  # may be used inside `same_leg`

    @classmethod
    def parse(cls, value, ctx: ParseContext, leg: bool) -> Condition:
        raise NotImplementedError

    def holds(self, scope) -> tuple[bool, Evidence]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    @property
    def asks_fallback(self) -> bool:
        """Whether this condition (at its top level) holds only when nothing else applies."""
        return False

    def walk(self):
        """This condition and every condition inside it (not through `ref`)."""
        yield self
        for child in getattr(self, "parts", ()) + ((self.part,) if hasattr(self, "part") else ()):
            yield from child.walk()


# -- combinations -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Group(Condition):
    parts: tuple[Condition, ...]
    in_one_leg: ClassVar[bool] = True

    @classmethod
    def parse(cls, value, ctx, leg):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{cls.key}' needs a list of conditions")
        return cls(tuple(parse_condition(v, ctx, leg) for v in value))


@condition
class All(_Group):
    key = "all"

    def holds(self, scope):
        evidence = []
        for part in self.parts:
            ok, ev = part.holds(scope)
            if not ok:
                return False, []
            evidence += ev
        return True, evidence

    def describe(self):
        return "(" + " and ".join(p.describe() for p in self.parts) + ")"

    @property
    def asks_fallback(self):
        return any(p.asks_fallback for p in self.parts)


@condition
class Any_(_Group):
    key = "any"

    def holds(self, scope):
        evidence, hit = [], False
        for part in self.parts:
            ok, ev = part.holds(scope)
            if ok:
                hit = True
                evidence += ev
        return hit, evidence

    def describe(self):
        return "(" + " or ".join(p.describe() for p in self.parts) + ")"


@condition
@dataclass(frozen=True)
class Not(Condition):
    part: Condition
    key = "not"
    in_one_leg = True

    @classmethod
    def parse(cls, value, ctx, leg):
        return cls(parse_condition(value, ctx, leg))

    def holds(self, scope):
        return not self.part.holds(scope)[0], []

    def describe(self):
        return "not " + self.part.describe()


@condition
@dataclass(frozen=True)
class Supporting(Condition):
    """Always holds; adds the patient's matching findings to the reason."""

    part: Condition
    key = "supporting"

    @classmethod
    def parse(cls, value, ctx, leg):
        return cls(parse_condition(value, ctx, leg))

    def holds(self, scope):
        return True, self.part.holds(scope)[1]

    def describe(self):
        return "noting " + self.part.describe()


@dataclass(frozen=True)
class _Switch(Condition):
    """A condition written `key: true`."""

    @classmethod
    def parse(cls, value, ctx, leg):
        if value is not True:
            raise ConditionError(f"'{cls.key}' must be true")
        return cls()


@dataclass(frozen=True)
class _Either(Condition):
    """A condition written `key: A` or `key: B`; `yes` is the one that is true."""

    yes: bool
    choices: ClassVar[tuple[str, str]]
    yes_value: ClassVar[str]

    @classmethod
    def parse(cls, value, ctx, leg):
        if value not in cls.choices:
            raise ConditionError(f"{cls.key} must be {cls.choices[0]} or {cls.choices[1]}")
        return cls(value == cls.yes_value)


@condition
@dataclass(frozen=True)
class Fallback(_Switch):
    """Holds only when no other rule gave a red flag or a differential, and no result is
    flagged (the engine applies fallback rules last)."""

    key = "fallback"

    def holds(self, scope):
        return True, []

    def describe(self):
        return "nothing else applies (no red flag, differential or flagged result)"

    @property
    def asks_fallback(self):
        return True


@condition
@dataclass(frozen=True)
class Ref(Condition):
    """A condition defined once under `definitions` in rules.yaml."""

    name: str
    key = "ref"

    @classmethod
    def parse(cls, value, ctx, leg):
        if value not in ctx.raw_definitions:
            raise ConditionError(f"unknown definition '{value}'")
        if value not in ctx.definitions:
            ctx.definitions[value] = None  # being parsed: a definition may not refer to itself
            ctx.definitions[value] = parse_condition(ctx.raw_definitions[value], ctx)
        elif ctx.definitions[value] is None:
            raise ConditionError(f"definition '{value}' refers to itself")
        return cls(value)

    def holds(self, scope):
        return scope.definitions[self.name].holds(scope)

    def describe(self):
        return self.name.replace("_", " ")


# -- the patient's record -----------------------------------------------------------------
@dataclass(frozen=True)
class _Codes(Condition):
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    kind: ClassVar[str]

    @classmethod
    def parse(cls, value, ctx, leg):
        codes = ctx.codes(cls.kind, value)
        return cls(codes, tuple(ctx.labels[cls.kind][c] for c in codes))

    def describe(self):
        return f"{self.key.replace('_', ' ')}: {', '.join(self.codes)}"

    def present(self, values, template="{}"):
        """Holds when any of the codes is among `values`; the reasons name those found."""
        hits = [
            template.format(label)
            for c, label in zip(self.codes, self.labels, strict=True)
            if c in values
        ]
        return bool(hits), hits


@condition
class Findings(_Codes):
    key = kind = "findings"

    def holds(self, scope):
        return self.present(scope.intake.findings)


@condition
class Conditions(_Codes):
    key = kind = "conditions"

    def holds(self, scope):
        return self.present(scope.intake.conditions)


@condition
class Pregnancy(_Codes):
    key = kind = "pregnancy"

    def holds(self, scope):
        value = scope.intake.pregnancy
        if value not in self.codes:
            return False, []
        return True, [self.labels[self.codes.index(value)]]


@condition
class CrampSites(_Codes):
    key = kind = "cramp_sites"

    def holds(self, scope):
        return self.present(scope.intake.cramps.sites, "cramps in the {}")


@condition
class CrampWhenOnly(_Codes):
    """Every time the cramps come is one of these (`[exercise]`: only with exercise)."""

    key = "cramp_when_only"
    kind = "cramp_when"

    def holds(self, scope):
        when = scope.intake.cramps.when
        if not set(when) <= set(self.codes):
            return False, []
        return True, ["cramps only " + " or ".join(self.labels[self.codes.index(w)] for w in when)]

    def describe(self):
        return f"cramps come only: {', '.join(self.codes)}"


@condition
@dataclass(frozen=True)
class CrampDuration(_Either):
    key = "cramp_duration"
    choices = ("typical", "atypical")
    yes_value = "atypical"

    def holds(self, scope):
        limit = scope.kb.scores["typical_cramp"]["longest_typical_minutes"]
        minutes = scope.intake.cramps.longest_minutes
        atypical = minutes > limit
        if atypical != self.yes:
            return False, []
        more = f", over {_num(limit)}" if atypical else ""
        return True, [f"longest cramp {_num(minutes)} min{more}"]

    def describe(self):
        return (
            "longest cramp "
            + ("over" if self.yes else "at most")
            + " the typical limit (scores.yaml)"
        )


@condition
@dataclass(frozen=True)
class RelievedByStretching(Condition):
    value: bool
    key = "relieved_by_stretching"

    @classmethod
    def parse(cls, value, ctx, leg):
        if not isinstance(value, bool):
            raise ConditionError("'relieved_by_stretching' must be true or false")
        return cls(value)

    def holds(self, scope):
        if scope.intake.cramps.relieved_by_stretching != self.value:
            return False, []
        return True, ["eased by stretching" if self.value else "not eased by stretching"]

    def describe(self):
        return "eased by stretching" if self.value else "not eased by stretching"


# -- medicines ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Medicines(Condition):
    codes: tuple[str, ...]
    kind: ClassVar[str]
    noun: ClassVar[str]  # one of what `codes` name, in words

    @classmethod
    def parse(cls, value, ctx, leg):
        return cls(ctx.codes(cls.kind, value))

    def holds(self, scope):
        evidence = [e for c, e in scope.medicine_evidence if self.matches(c)]
        return bool(evidence), evidence

    def describe(self):
        return f"takes a {self.noun}: " + ", ".join(self.codes)


@condition
class MedicationClasses(_Medicines):
    key = kind = "medication_classes"
    noun = "medicine class"

    def matches(self, component):
        return component.drug_class in self.codes


@condition
class MedicationDrugs(_Medicines):
    key = kind = "medication_drugs"
    noun = "drug"

    def matches(self, component):
        return component.id in self.codes


@condition
@dataclass(frozen=True)
class MedicationAssociated(_Switch):
    key = "medication_associated_with_cramps"

    def holds(self, scope):
        evidence = [e for c, e in scope.medicine_evidence if c.associated_with_cramps]
        return bool(evidence), evidence

    def describe(self):
        return "takes a medicine associated with cramps"


@condition
@dataclass(frozen=True)
class QuinineStarted(_Switch):
    key = "quinine_started"

    def holds(self, scope):
        day = scope.intake.quinine_started
        return (True, [f"quinine started on {day}"]) if day else (False, [])

    def describe(self):
        return "a quinine start date is recorded"


# -- legs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _LegSigns(Condition):
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    in_one_leg = True
    every: ClassVar[bool]

    @classmethod
    def parse(cls, value, ctx, leg):
        codes = ctx.codes("leg_signs", value)
        return cls(codes, tuple(ctx.labels["leg_signs"][c] for c in codes))

    def _leg(self, signs) -> tuple[bool, Evidence]:
        hits = [label for c, label in zip(self.codes, self.labels, strict=True) if c in signs]
        ok = len(hits) == len(self.codes) if self.every else bool(hits)
        return ok, hits if ok else []

    def holds(self, scope):
        if isinstance(scope, LegScope):
            return self._leg(scope.signs)
        evidence = []
        for leg, signs in scope.intake.legs.items():
            ok, ev = self._leg(signs)
            if ok:
                evidence += [f"{leg} leg: {e}" for e in ev]
        return bool(evidence), evidence


@condition
class LegSigns(_LegSigns):
    key = "leg_signs"
    every = False

    def describe(self):
        return "leg signs: " + ", ".join(self.codes)


@condition
class AllLegSigns(_LegSigns):
    key = "all_leg_signs"
    every = True

    def describe(self):
        return "all of the leg signs: " + ", ".join(self.codes)


@dataclass(frozen=True)
class LegScope:
    """One leg, for conditions inside `same_leg`."""

    signs: tuple[str, ...]
    parent: Any

    def __getattr__(self, name):
        return getattr(self.parent, name)


@condition
@dataclass(frozen=True)
class SameLeg(Condition):
    part: Condition
    key = "same_leg"

    @classmethod
    def parse(cls, value, ctx, leg):
        return cls(parse_condition(value, ctx, leg=True))

    def holds(self, scope):
        evidence = []
        for leg, signs in scope.intake.legs.items():
            ok, ev = self.part.holds(LegScope(signs, scope))
            if ok:
                evidence.append(f"{leg} leg: {', '.join(dict.fromkeys(ev))}")
        return bool(evidence), evidence

    def describe(self):
        return "in one leg " + self.part.describe()


# -- scores and results -------------------------------------------------------------------
@condition
@dataclass(frozen=True)
class WellsLikely(_Either):
    key = "wells"
    choices = ("likely", "unlikely")
    yes_value = "likely"

    def holds(self, scope):
        wells = scope.wells
        if wells is None or wells.likely != self.yes:
            return False, []
        return True, [wells.describe(scope.kb)]

    def describe(self):
        return "two-level Wells score: DVT " + ("likely" if self.yes else "unlikely")


@condition
@dataclass(frozen=True)
class Result(Condition):
    """A returned result: `{code: potassium, side: low}`, `{code: [sodium, potassium], flag:
    [critical]}`, `{code: ankle_brachial_index, band: [low, borderline]}`, `{code: d_dimer,
    value: positive}`, or `{code: pregnancy_test}` (any result of it)."""

    codes: tuple[str, ...]
    flags: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    key = "result"

    @classmethod
    def parse(cls, value, ctx, leg):
        if not isinstance(value, dict) or "code" not in value:
            raise ConditionError("'result' needs a code")
        extra = set(value) - {"code", "flag", "side", "band", "value"}
        if extra:
            raise ConditionError(f"'result' has unknown keys {sorted(extra)}")
        codes = value["code"] if isinstance(value["code"], list) else [value["code"]]
        for c in codes:
            if c not in ctx.results:
                raise ConditionError(f"unknown result '{c}'")
        ctx.used.setdefault("results", set()).update(codes)

        def listed(name, allowed=None):
            v = value.get(name, [])
            v = v if isinstance(v, list) else [v]
            for item in v:
                if allowed is not None and item not in allowed:
                    raise ConditionError(f"result {name} '{item}' is not one of {sorted(allowed)}")
            return tuple(v)

        bands = {b.band for c in codes for b in ctx.results[c].bands}
        flags = listed("flag", {"normal", "low", "high", "critical", "positive", "negative"})
        flags += listed("value", {"positive", "negative"})
        return cls(tuple(codes), flags, listed("side", {"low", "high"}), listed("band", bands))

    def holds(self, scope):
        evidence = []
        for code in self.codes:
            r = scope.results.get(code)
            if r is None:
                continue
            if self.flags and r.flag not in self.flags:
                continue
            if self.sides and r.side not in self.sides:
                continue
            if self.bands and r.band not in self.bands:
                continue
            evidence.append(r.phrase)
        return bool(evidence), evidence

    def describe(self):
        what = " or ".join(self.flags + self.sides + self.bands) or "any value"
        return f"result {', '.join(self.codes)}: {what}"


def _num(x: float) -> str:
    return f"{x:g}"


def _singular(kind: str) -> str:
    return {
        "findings": "finding",
        "conditions": "condition",
        "leg_signs": "leg sign",
        "investigations": "investigation",
        "referrals": "referral",
        "red_flags": "red flag",
        "differentials": "differential",
        "actions": "action",
        "medication_classes": "medication class",
        "medication_drugs": "drug",
        "pregnancy": "pregnancy value",
        "cramp_sites": "cramp site",
        "cramp_when": "cramp time",
    }.get(kind, kind)
