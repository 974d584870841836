"""The shape of each knowledge-base file, as typed models (pydantic).

A file that does not fit is refused by the schema, and `schema_error` turns pydantic's report
into one line naming the file and the entry ("sources.yaml: source 'nice_ng158': year: must be
a whole number"). What the schema cannot see (a code a rule names exists, every rule cites a
known source, nothing is orphaned) is checked afterwards in kb.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Codes = Annotated[list[str], Field(min_length=1)]
Sources = Annotated[list[str], Field(min_length=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# -- meta.yaml ----------------------------------------------------------------------------
class Meta(BaseModel):
    model_config = ConfigDict(extra="allow")
    version: Text
    contract: int
    files: Codes


# -- sources.yaml -------------------------------------------------------------------------
class Source(_Entry):
    short: Text
    title: Text
    publisher: Text
    year: int
    url: Url
    evidence: Literal["primary", "secondary"]
    note: Text | None = None


class SourcesFile(_Entry):
    sources: Annotated[dict[str, Source], Field(min_length=1)]


# -- vocabulary.yaml ----------------------------------------------------------------------
class Label(_Entry):
    label: Text


Labels = Annotated[dict[str, Label], Field(min_length=1)]


class VocabularyFile(_Entry):
    findings: Labels
    # codes of an earlier contract still accepted, read as the code they became
    finding_synonyms: dict[str, str] = {}
    conditions: Labels
    leg_signs: Labels
    pregnancy: Labels
    cramp_when: Labels
    cramp_sites: Labels
    sexes: Codes
    sides: Codes


# -- catalogue.yaml -----------------------------------------------------------------------
class UrgencyOrder(_Entry):
    red_flags: Codes
    referrals: Codes


class Investigation(_Entry):
    label: Text
    kind: Literal["blood", "urine", "imaging", "examination", "review"]
    loinc: list[str]
    loinc_note: Text | None = None
    specimen: Text | None = None  # what the laboratory needs (blood or urine tests)
    fasting: Text | None = None  # whether the patient fasts first, in the lab request's words
    # How the product's screens group it (never the engine's output): decided with that
    # referral when both are recommended (one real-world action); shown under that section;
    # part of that red flag's action (so "Accept all" leaves it to its own click).
    decided_with: Text | None = None
    shown_as: Literal["actions"] | None = None
    red_flag: Text | None = None


class RedFlag(_Entry):
    label: Text
    urgency: str
    action: Text


class Review(_Entry):
    """When an action that is a review falls due: `first_after_days` after the date in the
    intake's field `start` (quinine_started), then every `then_every_days` after the last
    review."""

    start: Literal["quinine_started"]
    first_after_days: Annotated[int, Field(gt=0)]
    then_every_days: Annotated[int, Field(gt=0)]
    sources: list[str]


class CatalogueFile(_Entry):
    urgency_order: UrgencyOrder
    investigations: Annotated[dict[str, Investigation], Field(min_length=1)]
    referrals: Labels
    red_flags: Annotated[dict[str, RedFlag], Field(min_length=1)]
    differentials: Labels
    actions: Labels
    reviews: dict[str, Review] = {}

    @model_validator(mode="after")
    def _urgencies_known(self):
        for code, flag in self.red_flags.items():
            if flag.urgency not in self.urgency_order.red_flags:
                raise ValueError(
                    f"red flag '{code}': urgency must be one of {self.urgency_order.red_flags}"
                )
        return self


# -- medications.yaml ---------------------------------------------------------------------
class MedicationClass(_Entry):
    label: Text
    associated_with_cramps: bool
    evidence: str | None = None
    sources: list[str]  # checked (non-empty, known) with the other citations


class Drug(_Entry):
    drug_class: str = Field(alias="class")
    label: Text | None = None
    names: Codes


class Combination(_Entry):
    names: Codes
    components: Annotated[list[str], Field(min_length=2)]


class MedicationsFile(BaseModel):
    # further top-level sections (for example words that mark a medicine as stopped) belong
    # to the matcher, which reads them
    model_config = ConfigDict(extra="allow")
    classes: Annotated[dict[str, MedicationClass], Field(min_length=1)]
    drugs: Annotated[dict[str, Drug], Field(min_length=1)]
    combinations: list[Combination] = []


# -- scores.yaml --------------------------------------------------------------------------
class Wells(_Entry):
    title: Text
    sources: list[str]
    assessed_when_any_finding: Codes
    items: Annotated[dict[str, int], Field(min_length=1)]
    likely_at_least: int
    # a rule condition (rules.yaml's language): when it holds, the score does not apply
    not_scored_when: dict[str, Any] | None = None


class CeapClass(_Entry):
    class_: str = Field(alias="class")
    signs: list[str] = []


class Ceap(_Entry):
    title: Text
    sources: list[str]
    classes: Annotated[list[CeapClass], Field(min_length=1)]
    symptomatic_signs: Codes


class TypicalCramp(_Entry):
    title: Text
    sources: list[str]
    longest_typical_minutes: float


class Adults(_Entry):
    title: Text
    sources: list[str]
    minimum_age: int
    pregnancy_not_asked_from_age: int


class ReferenceValue(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: Text
    sources: list[str]


class ScoresFile(_Entry):
    wells: Wells
    ceap: Ceap
    typical_cramp: TypicalCramp
    adults: Adults
    reference_values: dict[str, ReferenceValue] = {}


# -- results.yaml -------------------------------------------------------------------------
class Band(_Entry):
    """One band of a numeric result. Exactly one bound: `below` (<), `at_most` (<=), `above`
    (>) or `at_least` (>=); with `times_upper_limit` the bound is a multiple of the
    laboratory's upper limit. `when` (a rule condition) limits the band to some patients."""

    band: Text
    flag: Literal["low", "high", "critical"]
    side: Literal["low", "high"]
    below: float | None = None
    at_most: float | None = None
    above: float | None = None
    at_least: float | None = None
    times_upper_limit: bool = False
    label: Text | None = None
    when: dict[str, Any] | None = None

    def describe(self) -> str:
        """ "below 3.5", "above 5 times the upper limit": for the knowledge base page."""
        name = next(
            b for b in ("below", "at_most", "above", "at_least") if getattr(self, b) is not None
        )
        times = " times the upper limit" if self.times_upper_limit else ""
        only = " (only for some patients: see `when`)" if self.when else ""
        return f"{name.replace('_', ' ')} {getattr(self, name):g}{times}{only}"

    @model_validator(mode="after")
    def _one_bound(self):
        bounds = [
            b for b in ("below", "at_most", "above", "at_least") if getattr(self, b) is not None
        ]
        if len(bounds) != 1:
            raise ValueError("needs exactly one of below, at_most, above, at_least")
        return self


class ResultDefinition(_Entry):
    label: Text
    kind: Literal["numeric", "coded"]
    unit: Text | None = None
    unit_in_text: bool = True  # "ABPI 0.7", not "ABPI 0.7 ratio"
    answers: Codes  # the investigations this result answers
    maximum: float | None = None  # the largest plausible value (numeric)
    normal: Text | None = None  # the reference range in words, for the reasons
    upper_limit: float | None = None  # default laboratory upper limit (creatine kinase)
    # coded values the GP must acknowledge as soon as they are in, like a critical value
    acknowledge: list[Literal["positive", "negative"]] = []
    bands: list[Band] = []
    sources: list[str]

    @model_validator(mode="after")
    def _numeric_has_unit(self):
        if self.kind == "numeric" and not (self.unit and self.maximum and self.normal):
            raise ValueError("a numeric result needs unit, maximum and normal")
        if any(b.times_upper_limit for b in self.bands) and not self.upper_limit:
            raise ValueError("bands relative to the upper limit need a default upper_limit")
        return self


class ResultsFile(_Entry):
    results: Annotated[dict[str, ResultDefinition], Field(min_length=1)]


# -- rules.yaml ---------------------------------------------------------------------------
class RuleModel(_Entry):
    id: Text
    title: Text
    when: dict[str, Any]
    then: Annotated[dict[str, list[str | dict[str, Any]]], Field(min_length=1)]
    why: Text
    sources: list[str]


class RulesFile(_Entry):
    definitions: dict[str, dict[str, Any]] = {}
    rules: Annotated[list[RuleModel], Field(min_length=1)]


FILE_MODELS = {
    "sources.yaml": SourcesFile,
    "vocabulary.yaml": VocabularyFile,
    "catalogue.yaml": CatalogueFile,
    "medications.yaml": MedicationsFile,
    "scores.yaml": ScoresFile,
    "results.yaml": ResultsFile,
    "rules.yaml": RulesFile,
}

# How an entry of a mapping section is named in a message: "source 'nice_ng158'".
_ENTRY_NAMES = {
    "sources": "source",
    "classes": "class",
    "drugs": "drug",
    "results": "result",
    "findings": "findings",
    "conditions": "conditions",
    "leg_signs": "leg_signs",
    "investigations": "investigations",
    "referrals": "referrals",
    "red_flags": "red_flags",
    "differentials": "differentials",
    "actions": "actions",
    "reference_values": "reference_values",
}


def schema_error(error: ValidationError, data: dict) -> tuple[str, str]:
    """(entry, problem) for the first problem pydantic found, in the knowledge base's words."""
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"]]
    message = _plain(first)
    if not loc:
        return "", message
    head = loc[0]
    if head == "rules" and len(loc) > 1 and loc[1].isdigit():
        rule = (data.get("rules") or [])[int(loc[1])]
        rid = rule.get("id") if isinstance(rule, dict) else None
        entry = f"rule '{rid}'" if rid else f"rules[{loc[1]}]"
        rest = loc[2:]
    elif head in _ENTRY_NAMES and len(loc) > 1:
        entry = f"{_ENTRY_NAMES[head]} '{loc[1]}'"
        rest = loc[2:]
    else:
        entry, rest = head, loc[1:]
    rest = [p for p in rest if not p.startswith(("function-", "union["))]
    return entry, (f"{'.'.join(rest)}: {message}" if rest else message)


def _plain(err: dict) -> str:
    kind = err["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unexpected key (quote a label with commas)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_type", "float_parsing"):
        return "must be a number"
    if kind in ("too_short", "string_too_short"):
        return "missing or empty"
    if kind == "string_pattern_mismatch":
        return "must start with http:// or https://"
    if kind == "literal_error":
        return "must be " + err["ctx"]["expected"]
    if kind == "value_error":
        return str(err["ctx"]["error"])
    return err["msg"]
