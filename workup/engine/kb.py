"""Load and check the knowledge base (the YAML files in fixtures/knowledge_base).

Everything clinical lives in those files: codes, labels, thresholds, reference ranges, rules
and sources. Each file is read into typed models (schema.py), so a malformed file is refused
with the file and the entry named. Then the checks the schema cannot make: every code a rule
or a score names exists, every rule, threshold and statement cites a known source, and nothing
is orphaned. Rule conditions are compiled through the one registry in conditions.py.
A broken knowledge base raises KnowledgeBaseError naming the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

try:  # the C loader is several times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

from . import schema
from .conditions import Condition, ConditionError, ParseContext, _singular, parse_condition
from .medications import MedicationDictionaryError, MedicationMatcher

OUTPUT_LISTS = ("red_flags", "investigations", "referrals", "differentials", "actions")
# The lists on which a GP records a decision (accept, or decline with a reason); red flags and
# actions are shown, not decided. The clinic's decisions and the documents read this.
DECIDABLE = ("investigations", "referrals", "differentials", "actions")
REQUIRED_FILES = (
    "sources.yaml",
    "vocabulary.yaml",
    "catalogue.yaml",
    "medications.yaml",
    "scores.yaml",
    "results.yaml",
    "rules.yaml",
    "handout.yaml",
)


class KnowledgeBaseError(Exception):
    """The knowledge base is broken: the message names the file and the entry."""

    def __init__(self, file: str, entry: str, problem: str):
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}" if entry else f"{file}: {problem}")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: Condition
    then: dict  # list name -> list of {"code", "urgency"?, "why"?}
    why: str
    sources: tuple[str, ...]
    fallback: bool


@dataclass
class KnowledgeBase:
    version: str
    contract: int
    directory: Path
    sources: dict[str, dict]
    vocabulary: dict[str, Any]
    catalogue: dict[str, Any]
    medications: dict[str, Any]
    scores: dict[str, Any]
    results: dict[str, schema.ResultDefinition]
    rules: list[Rule]
    definitions: dict[str, Condition]
    wells_not_scored: Condition | None
    # (result code, band) -> the band's own condition, where it has one
    band_conditions: dict[tuple[str, str], Condition]
    handout: dict
    matcher: MedicationMatcher = field(repr=False)
    # urgency rank per output list: lower is more urgent
    urgency_rank: dict[str, dict[str, int]] = field(default_factory=dict)
    # catalogue order of each output list's codes
    order: dict[str, dict[str, int]] = field(default_factory=dict)
    # the sources of every rule that can recommend a code (kind -> code -> source ids): what
    # an item carried over from an earlier visit cites when no rule fires for it now
    code_sources: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def source_short(self, source_id: str) -> str:
        return self.sources[source_id]["short"]

    def label(self, section: str, code: str) -> str:
        return self.vocabulary[section][code]["label"]


def load_knowledge_base(directory: str | Path) -> KnowledgeBase:
    directory = Path(directory)
    raw_meta = _read(directory, "meta.yaml")
    meta = _validate("meta.yaml", schema.Meta, raw_meta)
    for name in REQUIRED_FILES:
        if name not in meta.files:
            raise KnowledgeBaseError("meta.yaml", "files", f"does not list {name}")
    raw = {name: _read(directory, name) for name in meta.files}
    typed = {name: _validate(name, model, raw[name]) for name, model in schema.FILE_MODELS.items()}

    checker = _Checker(raw, typed)
    checker.check_medications()
    checker.check_vocabulary()
    checker.check_scores()
    checker.check_results()
    rules, definitions = checker.check_rules()
    wells_not_scored = checker.check_wells_condition()
    checker.check_handout()
    checker.check_nothing_orphaned(rules)
    checker.check_handout_coverage()

    catalogue = raw["catalogue.yaml"]
    kb = KnowledgeBase(
        version=meta.version,
        contract=meta.contract,
        directory=directory,
        sources=raw["sources.yaml"]["sources"],
        vocabulary=raw["vocabulary.yaml"],
        catalogue=catalogue,
        medications=raw["medications.yaml"],
        scores=raw["scores.yaml"],
        results=typed["results.yaml"].results,
        rules=rules,
        definitions=definitions,
        wells_not_scored=wells_not_scored,
        band_conditions=checker.band_conditions,
        handout=raw["handout.yaml"],
        matcher=_matcher(raw["medications.yaml"]),
    )
    kb.urgency_rank = {
        kind: {u: i for i, u in enumerate(order)}
        for kind, order in catalogue["urgency_order"].items()
    }
    kb.order = {kind: {c: i for i, c in enumerate(catalogue[kind])} for kind in OUTPUT_LISTS}
    kb.code_sources = {kind: {} for kind in OUTPUT_LISTS}
    for rule in rules:
        for kind, items in rule.then.items():
            for item in items:
                known = kb.code_sources[kind].get(item["code"], ())
                kb.code_sources[kind][item["code"]] = tuple(dict.fromkeys(known + rule.sources))
    return kb


def _matcher(medications: dict) -> MedicationMatcher:
    try:
        return MedicationMatcher(medications)
    except MedicationDictionaryError as exc:
        raise KnowledgeBaseError(exc.file, exc.entry, exc.problem) from None


def _read(directory: Path, name: str) -> dict:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(name, "", f"cannot be read ({exc.strerror})") from None
    try:
        content = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise KnowledgeBaseError(name, "", f"is not valid YAML{where}") from None
    if not isinstance(content, dict):
        raise KnowledgeBaseError(name, "", "must be a mapping at the top level")
    return content


def _validate(name: str, model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        entry, problem = schema.schema_error(exc, data)
        raise KnowledgeBaseError(name, entry, problem) from None


class _Checker:
    """The cross-reference checks; remembers what is cited and used, to find orphans."""

    def __init__(self, raw: dict[str, dict], typed: dict[str, Any]):
        self.raw, self.typed = raw, typed
        self.cited: set[str] = set()
        vocab, cat, meds = (
            typed["vocabulary.yaml"],
            typed["catalogue.yaml"],
            typed["medications.yaml"],
        )
        self.known = {
            "findings": vocab.findings,
            "conditions": vocab.conditions,
            "leg_signs": vocab.leg_signs,
            "pregnancy": vocab.pregnancy,
            "cramp_sites": vocab.cramp_sites,
            "cramp_when": vocab.cramp_when,
            "investigations": cat.investigations,
            "referrals": cat.referrals,
            "red_flags": cat.red_flags,
            "differentials": cat.differentials,
            "actions": cat.actions,
            "medication_classes": meds.classes,
            "medication_drugs": meds.drugs,
        }
        labels = {
            kind: {c: getattr(v, "label", c) for c, v in codes.items()}
            for kind, codes in self.known.items()
        }
        self.ctx = ParseContext(
            known=self.known,
            labels=labels,
            raw_definitions=typed["rules.yaml"].definitions,
            results=typed["results.yaml"].results,
        )
        self.ctx.used = {k: set() for k in ("findings", "conditions", "leg_signs", "results")}

    def cite(self, file: str, entry: str, sources) -> tuple[str, ...]:
        if not sources:
            raise KnowledgeBaseError(file, entry, "cites no source")
        known = self.typed["sources.yaml"].sources
        for s in sources:
            if s not in known:
                raise KnowledgeBaseError(file, entry, f"cites unknown source '{s}'")
        self.cited.update(sources)
        return tuple(sources)

    def codes(self, file: str, entry: str, kind: str, values) -> None:
        try:
            self.ctx.codes(kind, list(values))
        except ConditionError as exc:
            raise KnowledgeBaseError(file, entry, str(exc)) from None

    def condition(self, file: str, entry: str, raw) -> Condition:
        try:
            return parse_condition(raw, self.ctx)
        except ConditionError as exc:
            raise KnowledgeBaseError(file, entry, str(exc)) from None

    # -- sections ------------------------------------------------------------------------
    def check_vocabulary(self):
        vocab = self.typed["vocabulary.yaml"]
        for old, new in vocab.finding_synonyms.items():
            if new not in vocab.findings:
                raise KnowledgeBaseError(
                    "vocabulary.yaml", f"finding_synonyms '{old}'", f"unknown finding '{new}'"
                )
            if old in vocab.findings:
                raise KnowledgeBaseError(
                    "vocabulary.yaml", f"finding_synonyms '{old}'", "is also a finding"
                )

    def check_medications(self):
        file = "medications.yaml"
        meds = self.typed[file]
        for cid, cls in meds.classes.items():
            self.cite(file, f"class '{cid}'", cls.sources)
        seen: dict[tuple, str] = {}

        def names(entry, values):
            for name in values:
                key = MedicationMatcher.key(str(name))
                if not key:
                    raise KnowledgeBaseError(file, entry, f"name '{name}' has no letters")
                if seen.get(key, entry) != entry:
                    raise KnowledgeBaseError(file, entry, f"name '{name}' is also {seen[key]}")
                seen[key] = entry

        used = set()
        for did, drug in meds.drugs.items():
            if drug.drug_class not in meds.classes:
                raise KnowledgeBaseError(
                    file, f"drug '{did}'", f"unknown class '{drug.drug_class}'"
                )
            used.add(drug.drug_class)
            names(f"drug '{did}'", drug.names)
        for i, combo in enumerate(meds.combinations):
            for c in combo.components:
                if c not in meds.drugs:
                    raise KnowledgeBaseError(file, f"combinations[{i}]", f"unknown drug '{c}'")
            names(f"combinations[{i}]", combo.names)
        for cid in meds.classes:
            if cid not in used:
                raise KnowledgeBaseError(file, f"class '{cid}'", "no drug belongs to it")

    def check_scores(self):
        file = "scores.yaml"
        s = self.typed[file]
        self.cite(file, "wells", s.wells.sources)
        self.codes(
            file, "wells.assessed_when_any_finding", "findings", s.wells.assessed_when_any_finding
        )
        self.codes(file, "wells.items", "findings", s.wells.items)
        self.cite(file, "ceap", s.ceap.sources)
        for cls in s.ceap.classes:
            if cls.signs:
                self.codes(file, f"ceap.classes '{cls.class_}'", "leg_signs", cls.signs)
        self.codes(file, "ceap.symptomatic_signs", "leg_signs", s.ceap.symptomatic_signs)
        self.cite(file, "typical_cramp", s.typical_cramp.sources)
        self.cite(file, "adults", s.adults.sources)
        for name, ref in s.reference_values.items():
            self.cite(file, f"reference_values '{name}'", ref.sources)

    def check_results(self):
        file = "results.yaml"
        for code, r in self.typed[file].results.items():
            entry = f"result '{code}'"
            self.cite(file, entry, r.sources)
            for inv in r.answers:
                if inv not in self.known["investigations"]:
                    raise KnowledgeBaseError(file, entry, f"answers unknown investigation '{inv}'")
            if r.acknowledge and r.kind != "coded":
                raise KnowledgeBaseError(file, entry, "acknowledge is for coded results only")
        cat = self.typed["catalogue.yaml"]
        for code, review in cat.reviews.items():
            entry = f"review '{code}'"
            if code not in self.known["actions"]:
                raise KnowledgeBaseError("catalogue.yaml", entry, f"unknown action '{code}'")
            self.cite("catalogue.yaml", entry, review.sources)
        # band conditions are compiled once the rules' definitions are known (check_rules)

    def check_rules(self) -> tuple[list[Rule], dict[str, Condition]]:
        file = "rules.yaml"
        rules_file = self.typed[file]
        rules, ids = [], set()
        for r in rules_file.rules:
            entry = f"rule '{r.id}'"
            if r.id in ids:
                raise KnowledgeBaseError(file, entry, "id is used twice")
            ids.add(r.id)
            sources = self.cite(file, entry, r.sources)
            when = self.condition(file, entry, r.when)
            then = self.check_then(file, entry, r.then)
            rules.append(Rule(r.id, r.title, when, then, r.why, sources, when.asks_fallback))
        for name in rules_file.definitions:  # every definition compiles, used or not
            self.condition(file, f"definition '{name}'", {"ref": name})
        self.band_conditions = {}
        for code, r in self.typed["results.yaml"].results.items():
            for band in r.bands:
                if band.when is not None:
                    self.band_conditions[(code, band.band)] = self.condition(
                        "results.yaml", f"result '{code}' band '{band.band}'", band.when
                    )
        return rules, self.ctx.definitions

    def check_wells_condition(self) -> Condition | None:
        raw = self.typed["scores.yaml"].wells.not_scored_when
        return None if raw is None else self.condition("scores.yaml", "wells.not_scored_when", raw)

    def check_then(self, file, entry, then) -> dict:
        cat = self.typed["catalogue.yaml"]
        result = {}
        for kind, items in then.items():
            if kind not in OUTPUT_LISTS:
                raise KnowledgeBaseError(file, entry, f"unknown output list '{kind}'")
            if not items:
                raise KnowledgeBaseError(file, entry, f"'{kind}' needs a list")
            out = []
            for item in items:
                item = {"code": item} if isinstance(item, str) else dict(item)
                code = item.get("code")
                extra = set(item) - {"code", "urgency", "why"}
                if extra:
                    raise KnowledgeBaseError(file, entry, f"unexpected keys {sorted(extra)}")
                if code not in self.known[kind]:
                    raise KnowledgeBaseError(file, entry, f"unknown {_singular(kind)} '{code}'")
                if kind == "referrals" and item.get("urgency") not in cat.urgency_order.referrals:
                    raise KnowledgeBaseError(
                        file,
                        entry,
                        f"referral '{code}' needs an urgency from {cat.urgency_order.referrals}",
                    )
                if kind == "red_flags":
                    item.setdefault("urgency", cat.red_flags[code].urgency)
                    if item["urgency"] not in cat.urgency_order.red_flags:
                        raise KnowledgeBaseError(
                            file, entry, f"red flag '{code}' has an unknown urgency"
                        )
                if kind in ("investigations", "differentials", "actions") and "urgency" in item:
                    raise KnowledgeBaseError(
                        file, entry, f"{_singular(kind)} '{code}' takes no urgency"
                    )
                out.append(item)
            result[kind] = out
        return result

    def check_handout(self):
        """Every statement a handout may print cites a source."""
        file = "handout.yaml"
        data = self.raw[file]
        self.cite(file, "design_sources", data.get("design_sources"))

        def walk(node, path):
            if isinstance(node, dict):
                if "text" in node:
                    if not isinstance(node["text"], str) or not node["text"].strip():
                        raise KnowledgeBaseError(file, path, "text must be a non-empty string")
                    if not isinstance(node.get("sources"), list):
                        raise KnowledgeBaseError(file, path, "cites no source")
                    self.cite(file, path, node.get("sources"))
                for key, value in node.items():
                    if key not in ("text", "sources"):
                        walk(value, f"{path}.{key}" if path else str(key))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{path}[{i}]")

        walk({k: v for k, v in data.items() if k != "design_sources"}, "")

    def check_handout_coverage(self):
        file = "handout.yaml"
        data = self.raw[file]
        for kind in ("red_flags", "investigations", "referrals", "differentials"):
            section = data.get(kind) or {}
            for code in self.known[kind]:
                if not (section.get(code) or {}).get("text"):
                    raise KnowledgeBaseError(file, f"{kind} '{code}'", "has no patient text")
        for urgency in self.typed["catalogue.yaml"].urgency_order.referrals:
            if not (data.get("referral_urgency") or {}).get(urgency):
                raise KnowledgeBaseError(
                    file, f"referral_urgency '{urgency}'", "has no patient text"
                )
        for code in self.known["actions"]:
            if not ((data.get("actions") or {}).get(code) or {}).get("text"):
                raise KnowledgeBaseError(file, f"actions '{code}'", "has no patient text")
        for code, r in self.typed["results.yaml"].results.items():
            flags = {b.flag for b in r.bands} if r.kind == "numeric" else {"positive", "negative"}
            for flag in sorted(flags):
                entry = ((data.get("results") or {}).get(code) or {}).get(flag) or {}
                if not entry.get("text"):
                    raise KnowledgeBaseError(
                        file, f"results '{code}' flag '{flag}'", "has no patient text"
                    )
        for cid in self.known["medication_classes"]:
            if not ((data.get("medicine_classes") or {}).get(cid) or {}).get("text"):
                raise KnowledgeBaseError(file, f"medicine_classes '{cid}'", "has no patient text")
        for did in data.get("drug_names") or {}:
            if did not in self.known["medication_drugs"]:
                raise KnowledgeBaseError(file, f"drug_names '{did}'", "unknown drug")
        urgencies = set(self.typed["catalogue.yaml"].urgency_order.red_flags)
        for code, entry in (data.get("red_flags") or {}).items():
            for key in set(entry) - {"text", "sources"}:
                if key not in urgencies:
                    raise KnowledgeBaseError(
                        file, f"red_flags '{code}'", f"'{key}' is not an urgency"
                    )
        for key in (
            "about_cramps",
            "stretching",
            "during_cramp",
            "urgent_help",
            "follow_up",
            "venous_self_care",
            "pain_relief",
            "clot",
        ):
            if not data.get(key):
                raise KnowledgeBaseError(file, key, "missing or empty")

    def check_nothing_orphaned(self, rules: list[Rule]):
        produced = {kind: set() for kind in OUTPUT_LISTS}
        for rule in rules:
            for kind, items in rule.then.items():
                produced[kind].update(i["code"] for i in items)
        for kind in OUTPUT_LISTS:
            for code in self.known[kind]:
                if code not in produced[kind]:
                    raise KnowledgeBaseError(
                        "catalogue.yaml", f"{kind} '{code}'", "no rule recommends it"
                    )
        for kind in ("findings", "conditions", "leg_signs"):
            for code in self.known[kind]:
                if code not in self.ctx.used[kind]:
                    raise KnowledgeBaseError(
                        "vocabulary.yaml", f"{kind} '{code}'", "no rule or score uses it"
                    )
        for code in self.typed["results.yaml"].results:
            if code not in self.ctx.used["results"]:
                raise KnowledgeBaseError("results.yaml", f"result '{code}'", "no rule uses it")
        for sid in self.typed["sources.yaml"].sources:
            if sid not in self.cited:
                raise KnowledgeBaseError("sources.yaml", f"source '{sid}'", "nothing cites it")
