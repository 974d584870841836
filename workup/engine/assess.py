"""From a validated intake to an assessment: a pure function over the knowledge base."""
from __future__ import annotations

from dataclasses import dataclass

from .intake import Intake
from .kb import OUTPUT_LISTS, KnowledgeBase, Rule
from .medications import Medication
from .scores import Wells, ceap, wells_score

CONTRACT_VERSION = 1


class _Evidence(str):
    """A phrase naming the patient's own finding; a medicine's carries its class's sources."""

    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Patient:
    """The intake plus what the engine derives from it once."""

    intake: Intake
    medications: tuple[Medication, ...]
    wells: Wells | None
    medicine_evidence: tuple  # (component, _Evidence) for every component of every medicine


def assess(intake: Intake, kb: KnowledgeBase) -> dict:
    """The contract's assessment object for one intake."""
    medications = tuple(kb.matcher.match(text) for text in intake.medications)
    patient = _Patient(
        intake=intake,
        medications=medications,
        wells=wells_score(intake, kb),
        medicine_evidence=tuple((c, _medicine_evidence(m, c)) for m in medications
                                for c in m.components),
    )
    items: dict[str, dict[str, dict]] = {kind: {} for kind in OUTPUT_LISTS}
    for rule in kb.rules:
        if rule.fallback:
            continue
        _apply(rule, patient, kb, items)
    if not items["red_flags"] and not items["differentials"]:
        for rule in kb.rules:
            if rule.fallback:
                _apply(rule, patient, kb, items)

    result = {"contract": CONTRACT_VERSION, "knowledge_base": kb.version}
    for kind in OUTPUT_LISTS:
        result[kind] = _ordered(kind, items[kind], kb)
    result["medications"] = [m.as_contract() for m in patient.medications]
    result["wells_score"] = patient.wells.score if patient.wells else None
    result["ceap"] = ceap(intake, kb)
    return result


def _apply(rule: Rule, patient: _Patient, kb: KnowledgeBase, items: dict) -> None:
    matched, evidence = _holds(rule.when, patient, kb)
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
            item = items[kind].setdefault(out["code"], {"code": out["code"], "reasons": [],
                                                        "sources": []})
            if "urgency" in out:
                current = item.get("urgency")
                rank = kb.urgency_rank[kind]
                if current is None or rank[out["urgency"]] < rank[current]:
                    item["urgency"] = out["urgency"]
            if reason not in item["reasons"]:
                item["reasons"].append(reason)
            for s in sources:
                short = kb.source_short(s)
                if short not in item["sources"]:
                    item["sources"].append(short)


def _ordered(kind: str, found: dict, kb: KnowledgeBase) -> list[dict]:
    order = kb.order[kind]
    rank = kb.urgency_rank.get(kind, {})

    def key(item):
        return (rank.get(item.get("urgency"), 0), order[item["code"]])

    out = []
    for item in sorted(found.values(), key=key):
        entry = {"code": item["code"]}
        if "urgency" in item:
            entry["urgency"] = item["urgency"]
        entry["reasons"] = item["reasons"]
        entry["sources"] = item["sources"]
        if kind == "investigations":
            entry["loinc"] = list(kb.catalogue["investigations"][item["code"]]["loinc"])
        out.append(entry)
    return out


# -- conditions --------------------------------------------------------------------------------

def _holds(cond: dict, p: _Patient, kb: KnowledgeBase) -> tuple[bool, list[str]]:
    """Whether a rule condition holds, and the patient's own findings that made it hold."""
    (key, value), = cond.items()
    intake = p.intake
    if key == "all":
        evidence = []
        for sub in value:
            ok, ev = _holds(sub, p, kb)
            if not ok:
                return False, []
            evidence += ev
        return True, evidence
    if key == "any":
        evidence, hit = [], False
        for sub in value:
            ok, ev = _holds(sub, p, kb)
            if ok:
                hit = True
                evidence += ev
        return hit, evidence
    if key == "not":
        return not _holds(value, p, kb)[0], []
    if key == "supporting":
        return True, _holds(value, p, kb)[1]
    if key == "fallback":
        return True, []
    if key == "findings":
        hits = [f for f in value if f in intake.findings]
        return bool(hits), [kb.label("findings", f) for f in hits]
    if key == "conditions":
        hits = [c for c in value if c in intake.conditions]
        return bool(hits), [kb.label("conditions", c) for c in hits]
    if key in ("medication_classes", "medication_drugs", "medication_associated_with_cramps"):
        evidence = [e for c, e in p.medicine_evidence if _medication_matches(key, value, c)]
        return bool(evidence), evidence
    if key == "pregnancy":
        ok = intake.pregnancy in value
        return ok, [kb.label("pregnancy", intake.pregnancy)] if ok else []
    if key == "cramp_sites":
        hits = [s for s in value if s in intake.cramps.sites]
        return bool(hits), [f"cramps in the {kb.label('cramp_sites', s)}" for s in hits]
    if key == "cramp_duration":
        limit = kb.scores["typical_cramp"]["longest_typical_minutes"]
        minutes = intake.cramps.longest_minutes
        atypical = minutes > limit
        if atypical != (value == "atypical"):
            return False, []
        more = f", over {_num(limit)}" if atypical else ""
        return True, [f"longest cramp {_num(minutes)} min{more}"]
    if key == "relieved_by_stretching":
        ok = intake.cramps.relieved_by_stretching == value
        return ok, ["eased by stretching" if value else "not eased by stretching"] if ok else []
    if key == "leg_signs":
        evidence = [f"{leg} leg: {kb.label('leg_signs', s)}"
                    for leg, signs in intake.legs.items() for s in value if s in signs]
        return bool(evidence), evidence
    if key == "same_leg":
        evidence, hit = [], False
        for leg, signs in intake.legs.items():
            ok, ev = _leg_holds(value, signs, kb)
            if ok:
                hit = True
                evidence.append(f"{leg} leg: {', '.join(_dedupe(ev))}")
        return hit, evidence
    if key == "wells":
        if p.wells is None or p.wells.likely != (value == "likely"):
            return False, []
        return True, [p.wells.describe(kb)]
    raise ValueError(f"unknown condition {key!r}")  # the loader checks rules; never reached


def _leg_holds(cond: dict, signs: tuple[str, ...], kb: KnowledgeBase) -> tuple[bool, list[str]]:
    (key, value), = cond.items()
    if key in ("all", "any"):
        results = [_leg_holds(sub, signs, kb) for sub in value]
        ok = all(r[0] for r in results) if key == "all" else any(r[0] for r in results)
        return ok, [e for r in results if r[0] for e in r[1]] if ok else []
    if key == "not":
        return not _leg_holds(value, signs, kb)[0], []
    hits = [s for s in value if s in signs]
    ok = bool(hits) if key == "leg_signs" else len(hits) == len(value)
    return ok, [kb.label("leg_signs", s) for s in hits] if ok else []


def _medicine_evidence(medication: Medication, component) -> _Evidence:
    evidence = _Evidence(medication.describe(component))
    evidence.sources = component.sources
    return evidence


def _medication_matches(key: str, value, component) -> bool:
    if key == "medication_classes":
        return component.drug_class in value
    if key == "medication_drugs":
        return component.id in value
    return component.associated_with_cramps


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(x: float) -> str:
    return f"{x:g}"
