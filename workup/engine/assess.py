"""From a validated intake to an assessment: a pure function over the knowledge base."""

from __future__ import annotations

from .intake import PREVIOUS_KINDS, Intake
from .kb import OUTPUT_LISTS, KnowledgeBase, Rule
from .medications import Medication
from .results import Interpreted, interpret
from .scores import ceap, wells_score

CONTRACT_VERSION = 2


class _Evidence(str):
    """A phrase naming the patient's own finding; a medicine's carries its class's sources."""

    sources: tuple[str, ...] = ()


class _Patient:
    """The intake plus what the engine derives from it once: the scope rule conditions are
    evaluated in (conditions.py)."""

    def __init__(self, intake: Intake, kb: KnowledgeBase):
        self.intake = intake
        self.kb = kb
        self.definitions = kb.definitions
        self.medications: tuple[Medication, ...] = tuple(
            kb.matcher.match(text) for text in intake.medications
        )
        # only medicines taken now count for the rules (not one written as stopped)
        self.medicine_evidence = tuple(
            (c, _medicine_evidence(m, c))
            for m in self.medications
            if m.current
            for c in m.components
        )
        self.results: dict[str, Interpreted] = {}
        self.results = {
            r.code: interpret(r, kb.results[r.code], self._band_holds(r.code))
            for r in intake.results
        }
        self.wells = wells_score(intake, kb, self)

    def _band_holds(self, code: str):
        def holds(band) -> bool:
            cond = self.kb.band_conditions.get((code, band.band))
            return cond is None or cond.holds(self)[0]

        return holds


def assess(intake: Intake, kb: KnowledgeBase) -> dict:
    """The contract's assessment object for one intake."""
    patient = _Patient(intake, kb)
    items: dict[str, dict[str, dict]] = {kind: {} for kind in OUTPUT_LISTS}
    for rule in kb.rules:
        if not rule.fallback:
            _apply(rule, patient, kb, items)
    flagged = any(r.flagged for r in patient.results.values())
    if not items["red_flags"] and not items["differentials"] and not flagged:
        for rule in kb.rules:
            if rule.fallback:
                _apply(rule, patient, kb, items)
    _previous(patient, kb, items)

    result = {"contract": CONTRACT_VERSION, "knowledge_base": kb.version}
    for kind in OUTPUT_LISTS:
        result[kind] = _ordered(kind, items[kind], kb)
    result["results"] = [_result(patient.results[r.code], kb) for r in intake.results]
    result["medications"] = [m.as_contract() for m in patient.medications]
    result["wells_score"] = patient.wells.score if patient.wells else None
    result["ceap"] = ceap(intake, kb)
    return result


def _apply(rule: Rule, patient: _Patient, kb: KnowledgeBase, items: dict) -> None:
    matched, evidence = rule.when.holds(patient)
    if not matched:
        return
    sources = list(rule.sources)
    for e in evidence:  # a medicine named in the reason brings its class's sources
        sources.extend(s for s in getattr(e, "sources", ()) if s not in sources)
    shown = "; ".join(_dedupe(evidence))
    for kind, outputs in rule.then.items():
        for out in outputs:
            why = out.get("why") or rule.why
            reason = f"{_capital(shown)}. {_capital(why)}" if shown else _capital(why)
            item = items[kind].setdefault(
                out["code"], {"code": out["code"], "reasons": [], "sources": []}
            )
            if "urgency" in out:
                current = item.get("urgency")
                rank = kb.urgency_rank[kind]
                if current is None or rank[out["urgency"]] < rank[current]:
                    item["urgency"] = out["urgency"]
            if reason not in item["reasons"]:
                item["reasons"].append(reason)
            _add_sources(item, sources, kb)


def _previous(patient: _Patient, kb: KnowledgeBase, items: dict) -> None:
    """Items requested at an earlier visit and not yet resulted (REFERENCE 3c): listed with
    the earliest date they were requested, whether or not a rule recommends them now."""
    answered = {inv for r in patient.intake.results for inv in kb.results[r.code].answers}
    earliest: dict[tuple[str, str], str] = {}
    for p in patient.intake.previous:
        kind = PREVIOUS_KINDS[p.kind]
        if kind == "investigations" and p.code in answered:
            continue
        key = (kind, p.code)
        if key not in earliest or p.date < earliest[key]:
            earliest[key] = p.date
    for (kind, code), day in earliest.items():
        item = items[kind].get(code)
        if item is None:
            what = "Referred" if kind == "referrals" else "Requested"
            awaited = "not yet seen" if kind == "referrals" else "result awaited"
            item = items[kind][code] = {
                "code": code,
                "reasons": [f"{what} on {day}; {awaited}."],
                "sources": [],
            }
            if kind == "referrals":
                item["urgency"] = None  # no rule asks for it now
            _add_sources(item, kb.code_sources[kind].get(code, ()), kb)
        item["already_requested"] = day


def _add_sources(item: dict, sources, kb: KnowledgeBase) -> None:
    for s in sources:
        short = kb.source_short(s)
        if short not in item["sources"]:
            item["sources"].append(short)


def _ordered(kind: str, found: dict, kb: KnowledgeBase) -> list[dict]:
    order = kb.order[kind]
    rank = kb.urgency_rank.get(kind, {})

    def key(item):
        return (rank.get(item.get("urgency"), len(rank)), order[item["code"]])

    out = []
    for item in sorted(found.values(), key=key):
        entry = {"code": item["code"]}
        if "urgency" in item:
            entry["urgency"] = item["urgency"]
        if "already_requested" in item:
            entry["already_requested"] = item["already_requested"]
        entry["reasons"] = item["reasons"]
        entry["sources"] = item["sources"]
        if kind == "investigations":
            entry["loinc"] = list(kb.catalogue["investigations"][item["code"]]["loinc"])
        out.append(entry)
    return out


def _result(r: Interpreted, kb: KnowledgeBase) -> dict:
    entry = {
        "code": r.code,
        "value": r.value,
        "unit": r.unit,
        "flag": r.flag,
        "reasons": [r.phrase + "."],  # it starts with the result's label, cased as written
        "sources": list(dict.fromkeys(kb.source_short(s) for s in r.sources)),
    }
    if r.date:
        entry["date"] = r.date
    return entry


def _medicine_evidence(medication: Medication, component) -> _Evidence:
    evidence = _Evidence(medication.describe(component))
    evidence.sources = component.sources
    return evidence


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
