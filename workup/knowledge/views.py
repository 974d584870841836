"""The knowledge base page: every rule, definition, result range and medicine class, in the
words a clinician reads (the knowledge base's labels), never its codes."""

from django.shortcuts import render

from workup.engine import conditions as c
from workup.knowledge.loading import knowledge_base

# What each list of a rule's "then" is called on the page, in the order the page shows them
RECOMMENDS = {
    "red_flags": "Red flag",
    "referrals": "Referral",
    "investigations": "Test",
    "actions": "Action",
    "differentials": "Consider",
}
BOUNDS = {"below": "below", "at_most": "at most", "above": "above", "at_least": "at least"}
ACRONYMS = {"dvt": "DVT", "svt": "SVT", "ck": "CK", "abpi": "ABPI", "egfr": "eGFR", "tsh": "TSH"}


def _or(words, last="or"):
    """ "a", "a or b", "a, b or c" ("" for none)."""
    words = list(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def _word(code: str) -> str:
    """A code as words: "dvt_signs" -> "DVT signs"."""
    return " ".join(ACRONYMS.get(w, w) for w in code.split("_"))


def in_words(condition, kb, *, top=True) -> str:
    """A rule's condition as a clinician reads it: the knowledge base's labels for findings,
    conditions, leg signs, medicines and results. A kind of condition this does not know is
    said as the engine says it."""

    def inner(part):
        return in_words(part, kb, top=False)

    def group(text):
        return text if top else f"({text})"

    match condition:
        case c.All(parts=parts):
            return group(" and ".join(inner(p) for p in parts))
        case c.Any_(parts=parts):
            return group(" or ".join(inner(p) for p in parts))
        case c.Not(part=part):
            return "not " + inner(part)
        case c.Supporting(part=part):
            return "noting " + inner(part)
        case c.SameLeg(part=part):
            return "in the same leg: " + inner(part)
        case c.Ref(name=name):
            return _word(name)
        case c.Findings(labels=labels):
            return _or(labels)
        case c.Conditions(labels=labels):
            return _or(labels)
        case c.Pregnancy(labels=labels):
            return "pregnancy: " + _or(labels)
        case c.CrampSites(labels=labels):
            return "cramps in the " + _or(labels)
        case c.CrampWhenOnly(labels=labels):
            return "cramps come only " + _or(labels)
        case c.AllLegSigns(labels=labels):
            return "leg signs: " + _or(labels, "and")
        case c.LegSigns(labels=labels):
            return "leg sign: " + _or(labels)
        case c.MedicationClasses(codes=codes):
            classes = kb.medications["classes"]
            return "takes a " + _or(classes[code]["label"] for code in codes)
        case c.MedicationDrugs(codes=codes):
            drugs = kb.medications["drugs"]
            return "takes " + _or(drugs[code]["names"][0] for code in codes)
        case c.Result(codes=codes):
            what = _or(_word(v) for v in condition.flags + condition.sides + condition.bands)
            results = _or(kb.results[code].label for code in codes)
            return f"{results} result: " + (what if what else "any value")
    return condition.describe()


def _band(kb, code, band) -> str:
    """ "below 3.5: low", "at most 75 when restless legs: low; 75 or less (low for restless
    legs)": the bound, when it applies, the flag, and the band's own label."""
    bound = next(b for b in BOUNDS if getattr(band, b) is not None)
    text = f"{BOUNDS[bound]} {getattr(band, bound):g}"
    if band.times_upper_limit:
        text += " times the upper limit"
    when = kb.band_conditions.get((code, band.band))
    if when is not None:
        text += f" when {in_words(when, kb)}"
    text += f": {band.flag}"
    return text + (f"; {band.label}" if band.label else "")


def _recommends(kb, then: dict) -> list[dict]:
    """A rule's recommendations, by list, each item's label and urgency in words."""
    lines = []
    for kind, heading in RECOMMENDS.items():
        for item in then.get(kind, []):
            label = kb.catalogue[kind][item["code"]]["label"]
            urgency = f" ({_word(item['urgency'])})" if item.get("urgency") else ""
            lines.append({"kind": heading, "text": label + urgency})
    for kind in then:  # a list this page does not name yet is still shown
        if kind not in RECOMMENDS:
            lines += [{"kind": _word(kind), "text": _word(i["code"])} for i in then[kind]]
    return lines


def knowledge_base_page(request):
    """The knowledge base, readable by every signed-in user (read only: it changes as data)."""
    kb = knowledge_base()
    meds = kb.medications

    def sources(ids):
        return [{"id": s, "short": kb.source_short(s)} for s in ids]

    classes = [
        {
            **cls,
            "drugs": sorted(
                drug["names"][0] for drug in meds["drugs"].values() if drug["class"] == cid
            ),
            "sources": sources(cls.get("sources", [])),
        }
        for cid, cls in meds["classes"].items()
    ]
    return render(
        request,
        "knowledge/knowledge_base.html",
        {
            "kb": kb,
            "rules": [
                {
                    "title": r.title,
                    "when": in_words(r.when, kb),
                    "recommends": _recommends(kb, r.then),
                    "why": r.why,
                    "sources": sources(r.sources),
                }
                for r in kb.rules
            ],
            "definitions": [
                {"name": _word(name), "when": in_words(cond, kb)}
                for name, cond in kb.definitions.items()
            ],
            "results": [
                {
                    "label": r.label,
                    "unit": r.unit,
                    "normal": r.normal,
                    "bands": [_band(kb, code, b) for b in r.bands],
                    "sources": sources(r.sources),
                }
                for code, r in kb.results.items()
            ],
            "classes": classes,
            "sources": sorted(kb.sources.items(), key=lambda s: s[1]["short"].lower()),
        },
    )
