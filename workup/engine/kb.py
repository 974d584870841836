"""Load and check the knowledge base (the YAML files in fixtures/knowledge_base).

Everything clinical lives in those files: codes, labels, thresholds, rules and sources. This
module reads them, checks that they hang together, and prepares look-up tables for the engine.
A broken file raises KnowledgeBaseError naming the file and the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

from .medications import MedicationMatcher

OUTPUT_LISTS = ("red_flags", "investigations", "referrals", "differentials")
CONDITION_KEYS = {
    "all", "any", "not", "supporting", "findings", "conditions", "medication_classes",
    "medication_drugs", "medication_associated_with_cramps", "pregnancy", "cramp_sites",
    "cramp_duration", "relieved_by_stretching", "leg_signs", "same_leg", "wells", "fallback",
}
LEG_CONDITION_KEYS = {"all", "any", "not", "leg_signs", "all_leg_signs"}
URL = re.compile(r"^https?://\S+$")


class KnowledgeBaseError(Exception):
    """The knowledge base is broken: the message names the file and the entry."""

    def __init__(self, file: str, entry: str, problem: str):
        self.file, self.entry, self.problem = file, entry, problem
        super().__init__(f"{file}: {entry}: {problem}" if entry else f"{file}: {problem}")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: dict
    then: dict  # list name -> list of {"code", "urgency"?, "why"?}
    why: str
    sources: tuple[str, ...]
    fallback: bool


@dataclass
class KnowledgeBase:
    version: str
    directory: Path
    sources: dict[str, dict]
    vocabulary: dict[str, dict]
    catalogue: dict[str, Any]
    medications: dict[str, Any]
    scores: dict[str, Any]
    rules: list[Rule]
    handout: dict
    matcher: MedicationMatcher = field(repr=False)
    # urgency rank per output list: lower is more urgent
    urgency_rank: dict[str, dict[str, int]] = field(default_factory=dict)
    # catalogue order of each output list's codes
    order: dict[str, dict[str, int]] = field(default_factory=dict)

    def source_short(self, source_id: str) -> str:
        return self.sources[source_id]["short"]

    def label(self, section: str, code: str) -> str:
        return self.vocabulary[section][code]["label"]


def load_knowledge_base(directory: str | Path) -> KnowledgeBase:
    directory = Path(directory)
    meta = _read(directory, "meta.yaml")
    for key in ("version", "files"):
        if key not in meta:
            raise KnowledgeBaseError("meta.yaml", "", f"missing '{key}'")
    data = {name: _read(directory, name) for name in meta["files"]}
    for name in ("sources.yaml", "vocabulary.yaml", "catalogue.yaml", "medications.yaml",
                 "scores.yaml", "rules.yaml", "handout.yaml"):
        if name not in data:
            raise KnowledgeBaseError("meta.yaml", "files", f"does not list {name}")

    checker = _Checker(data)
    checker.check_sources()
    checker.check_vocabulary()
    checker.check_catalogue()
    checker.check_medications()
    checker.check_scores()
    rules = checker.check_rules()
    checker.check_handout()
    checker.check_nothing_orphaned(rules)
    checker.check_handout_coverage()

    catalogue = data["catalogue.yaml"]
    meds = data["medications.yaml"]
    kb = KnowledgeBase(
        version=str(meta["version"]),
        directory=directory,
        sources=data["sources.yaml"]["sources"],
        vocabulary=data["vocabulary.yaml"],
        catalogue=catalogue,
        medications=meds,
        scores=data["scores.yaml"],
        rules=rules,
        handout=data["handout.yaml"],
        matcher=MedicationMatcher(meds),
    )
    kb.urgency_rank = {
        kind: {u: i for i, u in enumerate(order)}
        for kind, order in catalogue["urgency_order"].items()
    }
    kb.order = {kind: {c: i for i, c in enumerate(catalogue[kind])} for kind in OUTPUT_LISTS}
    return kb


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


class _Checker:
    """Checks one knowledge base and remembers what is referenced, to find orphans."""

    def __init__(self, data: dict[str, dict]):
        self.data = data
        self.cited: set[str] = set()
        self.used: dict[str, set[str]] = {k: set() for k in ("findings", "conditions", "leg_signs")}

    # -- helpers -------------------------------------------------------------------------
    def section(self, file: str, key: str) -> dict:
        value = self.data[file].get(key)
        if not isinstance(value, dict) or not value:
            raise KnowledgeBaseError(file, key, "missing or empty")
        return value

    def cite(self, file: str, entry: str, sources: Any) -> tuple[str, ...]:
        if not isinstance(sources, list) or not sources:
            raise KnowledgeBaseError(file, entry, "cites no source")
        known = self.data["sources.yaml"]["sources"]
        for s in sources:
            if s not in known:
                raise KnowledgeBaseError(file, entry, f"cites unknown source '{s}'")
        self.cited.update(sources)
        return tuple(sources)

    def codes(self, file: str, entry: str, kind: str, values: Any) -> list[str]:
        known = self.known(kind)
        if not isinstance(values, list) or not values:
            raise KnowledgeBaseError(file, entry, f"needs a non-empty list of {kind}")
        for v in values:
            if v not in known:
                raise KnowledgeBaseError(file, entry, f"unknown {_singular(kind)} '{v}'")
        if kind in self.used:
            self.used[kind].update(values)
        return values

    def known(self, kind: str):
        vocab, cat, meds = (self.data[f] for f in ("vocabulary.yaml", "catalogue.yaml",
                                                   "medications.yaml"))
        return {
            "findings": vocab["findings"], "conditions": vocab["conditions"],
            "leg_signs": vocab["leg_signs"], "pregnancy": vocab["pregnancy"],
            "cramp_sites": vocab["cramp_sites"], "investigations": cat["investigations"],
            "referrals": cat["referrals"], "red_flags": cat["red_flags"],
            "differentials": cat["differentials"], "medication_classes": meds["classes"],
            "medication_drugs": meds["drugs"],
        }[kind]

    # -- sections --------------------------------------------------------------------------
    def check_sources(self):
        for sid, src in self.section("sources.yaml", "sources").items():
            entry = f"source '{sid}'"
            if not isinstance(src, dict):
                raise KnowledgeBaseError("sources.yaml", entry, "must be a mapping")
            for key in ("short", "title", "publisher", "year", "url", "evidence"):
                if not src.get(key):
                    raise KnowledgeBaseError("sources.yaml", entry, f"missing '{key}'")
            if not isinstance(src["year"], int):
                raise KnowledgeBaseError("sources.yaml", entry, "year must be a whole number")
            if not URL.match(str(src["url"])):
                raise KnowledgeBaseError("sources.yaml", entry, "url must start with http")
            if src["evidence"] not in ("primary", "secondary"):
                raise KnowledgeBaseError("sources.yaml", entry,
                                         "evidence must be primary or secondary")

    def check_vocabulary(self):
        for key in ("findings", "conditions", "leg_signs", "pregnancy", "cramp_when",
                    "cramp_sites"):
            for code, item in self.section("vocabulary.yaml", key).items():
                if not isinstance(item, dict) or not item.get("label"):
                    raise KnowledgeBaseError("vocabulary.yaml", f"{key} '{code}'", "needs a label")
                if set(item) != {"label"}:  # an unquoted comma in a flow mapping splits a label
                    extra = sorted(str(k) for k in set(item) - {"label"})
                    raise KnowledgeBaseError("vocabulary.yaml", f"{key} '{code}'",
                                             f"unexpected keys {extra} (quote a label with commas)")
        for key in ("sexes", "sides"):
            if not isinstance(self.data["vocabulary.yaml"].get(key), list):
                raise KnowledgeBaseError("vocabulary.yaml", key, "must be a list")

    def check_catalogue(self):
        file = "catalogue.yaml"
        order = self.section(file, "urgency_order")
        for kind in ("red_flags", "referrals"):
            if not isinstance(order.get(kind), list) or not order[kind]:
                raise KnowledgeBaseError(file, f"urgency_order.{kind}", "missing or empty")
        for kind in OUTPUT_LISTS:
            for code, item in self.section(file, kind).items():
                entry = f"{kind} '{code}'"
                if not isinstance(item, dict) or not item.get("label"):
                    raise KnowledgeBaseError(file, entry, "needs a label")
        for code, item in self.data[file]["investigations"].items():
            if not isinstance(item.get("loinc"), list):
                raise KnowledgeBaseError(file, f"investigations '{code}'", "loinc must be a list")
        for code, item in self.data[file]["red_flags"].items():
            if item.get("urgency") not in order["red_flags"]:
                raise KnowledgeBaseError(file, f"red_flags '{code}'",
                                         f"urgency must be one of {order['red_flags']}")
            if not item.get("action"):
                raise KnowledgeBaseError(file, f"red_flags '{code}'", "needs an action")

    def check_medications(self):
        file = "medications.yaml"
        classes = self.section(file, "classes")
        drugs = self.section(file, "drugs")
        for cid, cls in classes.items():
            entry = f"class '{cid}'"
            if not isinstance(cls, dict) or not cls.get("label"):
                raise KnowledgeBaseError(file, entry, "needs a label")
            if not isinstance(cls.get("associated_with_cramps"), bool):
                raise KnowledgeBaseError(file, entry, "associated_with_cramps must be true or false")
            self.cite(file, entry, cls.get("sources"))
        seen: dict[str, str] = {}
        used_classes = set()

        def names(entry, values):
            if not isinstance(values, list) or not values:
                raise KnowledgeBaseError(file, entry, "needs a list of names")
            for name in values:
                key = MedicationMatcher.key(str(name))
                if not key:
                    raise KnowledgeBaseError(file, entry, f"name '{name}' has no letters")
                if seen.get(key, entry) != entry:
                    raise KnowledgeBaseError(file, entry, f"name '{name}' is also {seen[key]}")
                seen[key] = entry

        for did, drug in drugs.items():
            entry = f"drug '{did}'"
            if not isinstance(drug, dict) or drug.get("class") not in classes:
                raise KnowledgeBaseError(file, entry, f"unknown class '{(drug or {}).get('class')}'")
            used_classes.add(drug["class"])
            names(entry, drug.get("names"))
        for i, combo in enumerate(self.data[file].get("combinations") or []):
            entry = f"combinations[{i}]"
            components = combo.get("components") if isinstance(combo, dict) else None
            if not isinstance(components, list) or len(components) < 2:
                raise KnowledgeBaseError(file, entry, "needs two or more components")
            for c in components:
                if c not in drugs:
                    raise KnowledgeBaseError(file, entry, f"unknown drug '{c}'")
            names(entry, combo.get("names"))
        for cid in classes:
            if cid not in used_classes:
                raise KnowledgeBaseError(file, f"class '{cid}'", "no drug belongs to it")

    def check_scores(self):
        file = "scores.yaml"
        wells = self.section(file, "wells")
        self.cite(file, "wells", wells.get("sources"))
        self.codes(file, "wells.assessed_when_any_finding", "findings",
                   wells.get("assessed_when_any_finding"))
        items = wells.get("items")
        if not isinstance(items, dict) or not items:
            raise KnowledgeBaseError(file, "wells.items", "missing or empty")
        self.codes(file, "wells.items", "findings", list(items))
        for code, points in items.items():
            if not isinstance(points, int):
                raise KnowledgeBaseError(file, f"wells.items '{code}'", "points must be a whole number")
        if wells.get("collateral_item") not in items:
            raise KnowledgeBaseError(file, "wells.collateral_item", "must be one of the items")
        self.codes(file, "wells.collateral_not_scored_with_leg_signs", "leg_signs",
                   wells.get("collateral_not_scored_with_leg_signs"))
        if not isinstance(wells.get("likely_at_least"), int):
            raise KnowledgeBaseError(file, "wells.likely_at_least", "must be a whole number")

        ceap = self.section(file, "ceap")
        self.cite(file, "ceap", ceap.get("sources"))
        classes = ceap.get("classes")
        if not isinstance(classes, list) or not classes:
            raise KnowledgeBaseError(file, "ceap.classes", "missing or empty")
        for i, cls in enumerate(classes):
            if not isinstance(cls, dict) or not cls.get("class"):
                raise KnowledgeBaseError(file, f"ceap.classes[{i}]", "needs a class")
            if i and cls.get("signs"):
                self.codes(file, f"ceap.classes '{cls['class']}'", "leg_signs", cls["signs"])
        self.codes(file, "ceap.symptomatic_signs", "leg_signs", ceap.get("symptomatic_signs"))

        for name, ref in self.section(file, "reference_values").items():
            self.cite(file, f"reference_values '{name}'", (ref or {}).get("sources"))

        typical = self.section(file, "typical_cramp")
        self.cite(file, "typical_cramp", typical.get("sources"))
        if not isinstance(typical.get("longest_typical_minutes"), (int, float)):
            raise KnowledgeBaseError(file, "typical_cramp.longest_typical_minutes",
                                     "must be a number")

    def check_rules(self) -> list[Rule]:
        file = "rules.yaml"
        raw = self.data[file].get("rules")
        if not isinstance(raw, list) or not raw:
            raise KnowledgeBaseError(file, "rules", "missing or empty")
        rules, ids = [], set()
        for i, r in enumerate(raw):
            rid = r.get("id") if isinstance(r, dict) else None
            entry = f"rule '{rid}'" if rid else f"rules[{i}]"
            if not rid:
                raise KnowledgeBaseError(file, entry, "needs an id")
            if rid in ids:
                raise KnowledgeBaseError(file, entry, "id is used twice")
            ids.add(rid)
            for key in ("title", "why"):
                if not r.get(key):
                    raise KnowledgeBaseError(file, entry, f"needs '{key}'")
            sources = self.cite(file, entry, r.get("sources"))
            if "when" not in r:
                raise KnowledgeBaseError(file, entry, "needs 'when'")
            fallback = self.check_condition(file, entry, r["when"])
            then = self.check_then(file, entry, r.get("then"))
            rules.append(Rule(rid, r["title"], r["when"], then, str(r["why"]).strip(),
                              sources, fallback))
        return rules

    def check_condition(self, file, entry, cond, leg=False) -> bool:
        """Check one condition; returns whether it (at its top level) asks for `fallback`."""
        allowed = LEG_CONDITION_KEYS if leg else CONDITION_KEYS
        if not isinstance(cond, dict) or len(cond) != 1:
            raise KnowledgeBaseError(file, entry, f"a condition must have exactly one key: {cond!r}")
        (key, value), = cond.items()
        if key not in allowed:
            raise KnowledgeBaseError(file, entry, f"unknown condition '{key}'")
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise KnowledgeBaseError(file, entry, f"'{key}' needs a list of conditions")
            flags = [self.check_condition(file, entry, c, leg) for c in value]
            return key == "all" and any(flags)
        if key in ("not", "supporting"):
            self.check_condition(file, entry, value, leg)
            return False
        if key == "same_leg":
            self.check_condition(file, entry, value, leg=True)
            return False
        if key in ("leg_signs", "all_leg_signs"):
            self.codes(file, entry, "leg_signs", value)
        elif key in ("findings", "conditions", "medication_classes", "medication_drugs",
                     "pregnancy", "cramp_sites"):
            self.codes(file, entry, key, value)
        elif key in ("medication_associated_with_cramps", "relieved_by_stretching", "fallback"):
            if not isinstance(value, bool) or (key != "relieved_by_stretching" and not value):
                raise KnowledgeBaseError(file, entry, f"'{key}' must be true")
            return key == "fallback"
        elif key == "cramp_duration" and value not in ("typical", "atypical"):
            raise KnowledgeBaseError(file, entry, "cramp_duration must be typical or atypical")
        elif key == "wells" and value not in ("likely", "unlikely"):
            raise KnowledgeBaseError(file, entry, "wells must be likely or unlikely")
        return False

    def check_then(self, file, entry, then) -> dict:
        if not isinstance(then, dict) or not then:
            raise KnowledgeBaseError(file, entry, "needs 'then'")
        cat = self.data["catalogue.yaml"]
        result = {}
        for kind, items in then.items():
            if kind not in OUTPUT_LISTS:
                raise KnowledgeBaseError(file, entry, f"unknown output list '{kind}'")
            if not isinstance(items, list) or not items:
                raise KnowledgeBaseError(file, entry, f"'{kind}' needs a list")
            out = []
            for item in items:
                item = {"code": item} if isinstance(item, str) else dict(item)
                code = item.get("code")
                if code not in cat[kind]:
                    raise KnowledgeBaseError(file, entry, f"unknown {_singular(kind)} '{code}'")
                if kind == "referrals" and item.get("urgency") not in cat["urgency_order"]["referrals"]:
                    raise KnowledgeBaseError(file, entry, f"referral '{code}' needs an urgency "
                                             f"from {cat['urgency_order']['referrals']}")
                if kind == "red_flags":
                    item.setdefault("urgency", cat["red_flags"][code]["urgency"])
                    if item["urgency"] not in cat["urgency_order"]["red_flags"]:
                        raise KnowledgeBaseError(file, entry, f"red flag '{code}' has an unknown urgency")
                if kind in ("investigations", "differentials") and "urgency" in item:
                    raise KnowledgeBaseError(file, entry, f"{_singular(kind)} '{code}' takes no urgency")
                out.append(item)
            result[kind] = out
        return result

    def check_handout(self):
        """Every statement a handout may print cites a source, and every code it may need to
        explain has its plain-language text."""
        file = "handout.yaml"
        data = self.data[file]
        self.cite(file, "design_sources", data.get("design_sources"))

        def walk(node, path):
            if isinstance(node, dict):
                if "text" in node:
                    if not isinstance(node["text"], str) or not node["text"].strip():
                        raise KnowledgeBaseError(file, path, "text must be a non-empty string")
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
        data = self.data[file]
        cat = self.data["catalogue.yaml"]
        for kind in OUTPUT_LISTS:
            section = data.get(kind) or {}
            for code in cat[kind]:
                if not (section.get(code) or {}).get("text"):
                    raise KnowledgeBaseError(file, f"{kind} '{code}'", "has no patient text")
        for urgency in cat["urgency_order"]["referrals"]:
            if not (data.get("referral_urgency") or {}).get(urgency):
                raise KnowledgeBaseError(file, f"referral_urgency '{urgency}'", "has no patient text")
        for key in ("about_cramps", "stretching", "during_cramp", "urgent_help", "follow_up"):
            if not data.get(key):
                raise KnowledgeBaseError(file, key, "missing or empty")

    def check_nothing_orphaned(self, rules: list[Rule]):
        produced = {kind: set() for kind in OUTPUT_LISTS}
        for rule in rules:
            for kind, items in rule.then.items():
                produced[kind].update(i["code"] for i in items)
        for kind in OUTPUT_LISTS:
            for code in self.data["catalogue.yaml"][kind]:
                if code not in produced[kind]:
                    raise KnowledgeBaseError("catalogue.yaml", f"{kind} '{code}'",
                                             "no rule recommends it")
        for kind in self.used:
            for code in self.data["vocabulary.yaml"][kind]:
                if code not in self.used[kind]:
                    raise KnowledgeBaseError("vocabulary.yaml", f"{kind} '{code}'",
                                             "no rule or score uses it")
        for sid in self.data["sources.yaml"]["sources"]:
            if sid not in self.cited:
                raise KnowledgeBaseError("sources.yaml", f"source '{sid}'", "nothing cites it")


def _singular(kind: str) -> str:
    return {"findings": "finding", "conditions": "condition", "leg_signs": "leg sign",
            "investigations": "investigation", "referrals": "referral", "red_flags": "red flag",
            "differentials": "differential", "medication_classes": "medication class",
            "medication_drugs": "drug", "pregnancy": "pregnancy value",
            "cramp_sites": "cramp site"}.get(kind, kind)
