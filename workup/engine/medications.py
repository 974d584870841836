"""Recognise medications as a GP types them ("Furosemide 40mg", "Lasix", "Seretide 250").

The text is folded to lower-case words (doses, units, strengths and punctuation fall away as
they match no name), then the longest dictionary name found in it wins. A line naming two or
more drugs ("furosemide and amiloride") is read as a combination of them.

A line the dictionary does not know stays unrecognised (drug and class null): it is never
replaced by a guess. It carries up to three close dictionary names as `suggestions` ("furosemid"
-> ["furosemide"]), found by fuzzy matching (rapidfuzz) only for such lines, so recognised
lines cost nothing extra. A suggestion names each drug once, by its generic name where the
close name was a brand ("lasixx" -> "furosemide"); a combination product by its first name.

A line saying the medicine was stopped ("stopped furosemide 2019", "ex-furosemide", "previously
on lasix": the `stopped_markers` of medications.yaml, cancelled by its `restarted_markers`) is
recognised as usual but `stopped`; such a medicine is not `current`, and the engine's rules use
current medicines only.

Every contract entry has the keys text, drug, class, associated_with_cramps, recognised,
suggestions (a list: empty when recognised) and stopped (a bool); plus components for a
combination and a note when not recognised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

_WORD = re.compile(r"[a-z]+")

MAX_SUGGESTIONS = 3
# fuzz.ratio (0-100) a typed word or phrase needs against a dictionary name to be suggested:
# one wrong, missing or extra letter in a 6-letter name scores about 83-92; unrelated names of
# similar length score under 60.
SUGGESTION_CUTOFF = 75
# a phrase of at most SHORT letters needs more: "iron" is not "zicron" (80)
SHORT, SHORT_CUTOFF = 5, 85
# a second or third suggestion is given only if it scores nearly as well as the best
# ("omeprazol": omeprazole 95, esomeprazole 86; "atorvastatine": not lovastatin, 78)
RUNNER_UP_WITHIN = 10
# Words that are never part of a suggestion's match: doses, units, how often, forms and
# devices, and filler. A phrase compared with the dictionary neither starts nor ends with one,
# so "furosemid 40mg od" is compared as "furosemid".
_NOISE = frozenset(
    """
    mg mcg microgram micrograms ug g gram grams ml l litre litres unit units iu mmol
    od bd bid tds tid qds qid qd om on prn nocte mane daily once twice three four times a an
    day days week weeks weekly month monthly year years every each morning evening night nights
    nightly bedtime at in the and or with for as to of when if required needed per x
    tablet tablets tab tabs capsule capsules cap caps pill pills inhaler inhalers puff puffs
    spray sprays patch patches cream gel drops liquid solution suspension injection injections
    sachet sachets dose doses oral po sc im iv sr mr xl la er cr xr modified release slow
    evohaler accuhaler turbohaler easyhaler diskus spiromax respimat handihaler genuair
    breezhaler nexthaler takes taking take took since from until
""".split()
)


class MedicationDictionaryError(ValueError):
    """A malformed section of medications.yaml that the matcher reads (stopped_markers,
    restarted_markers, suggest_only): `entry` and `problem` name it, as KnowledgeBaseError's."""

    def __init__(self, entry: str, problem: str):
        self.file, self.entry, self.problem = "medications.yaml", entry, problem
        super().__init__(f"medications.yaml: {entry}: {problem}")


@dataclass(frozen=True)
class Component:
    id: str
    drug: str
    drug_class: str
    class_label: str
    associated_with_cramps: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Medication:
    """One line of the patient's medication list, as recognised."""

    text: str
    components: tuple[Component, ...]  # empty when not recognised
    suggestions: tuple[str, ...] = ()  # close dictionary names; only when not recognised
    stopped: bool = False  # the line says the medicine was stopped

    @property
    def recognised(self) -> bool:
        return bool(self.components)

    @property
    def current(self) -> bool:
        """Taken now: false when the line says it was stopped. Rules use current medicines."""
        return not self.stopped

    @property
    def primary(self) -> Component | None:
        """The component the contract reports: the first one linked with cramps, else the first."""
        for c in self.components:
            if c.associated_with_cramps:
                return c
        return self.components[0] if self.components else None

    def as_contract(self) -> dict:
        p = self.primary
        entry = {
            "text": self.text,
            "drug": p.drug if p else None,
            "class": p.drug_class if p else None,
            "associated_with_cramps": p.associated_with_cramps if p else None,
            "recognised": self.recognised,
            "suggestions": list(self.suggestions),
            "stopped": self.stopped,
        }
        if len(self.components) > 1:
            entry["components"] = [c.drug for c in self.components]
        if not p:
            entry["note"] = "Not recognised: check the spelling; its link with cramps is unknown."
            if self.suggestions:
                entry["note"] += f" Did you mean {_either(self.suggestions)}?"
        return entry

    def describe(self, component: Component | None = None) -> str:
        """'takes Lasix 40mg: furosemide, a loop diuretic' (naming the given component).

        A stopped one: 'stopped Lasix 2019: furosemide, a loop diuretic, no longer taken'."""
        c = component or self.primary
        others = [o.drug for o in self.components if o is not c]
        text = f"{self.text.strip()}: {c.drug}, {_article(c.class_label)} {c.class_label}"
        if self.current:
            text = "takes " + text
        if others:
            text += f" (combined with {', '.join(others)})"
        return text if self.current else text + ", no longer taken"


class MedicationMatcher:
    """Reads medications.yaml (the parsed dict); match() each line the GP typed.

    Public: match(text) -> Medication; suggest(text) -> list[str]; suggestions() -> every
    known name (the form's datalist); key(text) -> the folded words; names (name words ->
    drug ids); components (drug id -> Component)."""

    def __init__(self, medications: dict):
        classes = medications["classes"]
        self.components: dict[str, Component] = {}
        for drug_id, drug in medications["drugs"].items():
            cls = classes[drug["class"]]
            self.components[drug_id] = Component(
                id=drug_id,
                drug=drug.get("label") or drug_id.replace("_", " "),
                drug_class=drug["class"],
                class_label=cls["label"],
                associated_with_cramps=cls["associated_with_cramps"],
                sources=tuple(cls["sources"]),
            )
        # a drug as the assessment names it (its label) or by its id -> its component
        self.by_drug: dict[str, Component] = {
            **{c.id: c for c in self.components.values()},
            **{c.drug: c for c in self.components.values()},
        }
        # name (tuple of words) -> tuple of drug ids
        self.names: dict[tuple[str, ...], tuple[str, ...]] = {}
        # what a suggestion says for each drug or combination (its drug ids)
        said: dict[tuple[str, ...], str] = {}
        for drug_id, drug in medications["drugs"].items():
            names = [str(n) for n in drug["names"]]
            for name in names:
                self.names[self.key(name)] = (drug_id,)
            # the generic name as the dictionary writes it ("co-codamol"), else its first name
            generic = self.key(self.components[drug_id].drug)
            said[(drug_id,)] = next((n for n in names if self.key(n) == generic), names[0])
        for combo in medications.get("combinations") or []:
            ids = tuple(combo["components"])
            for name in combo["names"]:
                self.names[self.key(str(name))] = ids
            said.setdefault(ids, str(combo["names"][0]))
        self.longest = max(len(k) for k in self.names)

        self.stopped_markers = self._markers(medications, "stopped_markers")
        self.restarted_markers = self._markers(medications, "restarted_markers")
        self._marker_words = frozenset(
            w for m in self.stopped_markers | self.restarted_markers for w in m
        )
        self._longest_marker = max(
            map(len, self.stopped_markers | self.restarted_markers), default=0
        )

        # fuzzy search: every name as a string, and the suggestion it stands for; then the
        # names only ever suggested ("tonic" is not recognised, but suggests quinine)
        self._choices = [" ".join(k) for k in self.names]
        self._choice_says = [said[ids] for ids in self.names.values()]
        suggest_only = medications.get("suggest_only") or {}
        if not isinstance(suggest_only, dict):
            raise MedicationDictionaryError("suggest_only", "must map a name to a drug id")
        for name, drug_id in suggest_only.items():
            where = f"suggest_only '{name}'"
            if drug_id not in self.components:
                raise MedicationDictionaryError(where, f"unknown drug '{drug_id}'")
            if not self.key(str(name)) or self.key(str(name)) in self.names:
                raise MedicationDictionaryError(
                    where, "must have letters and not be a medicine name"
                )
            self._choices.append(" ".join(self.key(str(name))))
            self._choice_says.append(said[(drug_id,)])
        self._suggest_words = lru_cache(maxsize=4096)(self._fuzzy)

    def _markers(self, medications: dict, section: str) -> frozenset[tuple[str, ...]]:
        values = medications.get(section) or []
        if not isinstance(values, list):
            raise MedicationDictionaryError(section, "must be a list of words")
        markers = set()
        for value in values:
            marker = self.key(str(value))
            if not marker:
                raise MedicationDictionaryError(section, f"'{value}' has no letters")
            if marker in self.names:
                raise MedicationDictionaryError(section, f"'{value}' is also a medicine name")
            markers.add(marker)
        return frozenset(markers)

    @staticmethod
    def key(text: str) -> tuple[str, ...]:
        folded = unicodedata.normalize("NFKD", text.lower())
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        return tuple(_WORD.findall(folded))

    def match(self, text: str) -> Medication:
        words = self.key(text)
        found = self._find(words)
        stopped = self._stopped(words)
        if found:
            return Medication(
                text=text, components=tuple(self.components[d] for d in found), stopped=stopped
            )
        return Medication(
            text=text, components=(), suggestions=self._suggest_words(words), stopped=stopped
        )

    def suggest(self, text: str) -> list[str]:
        """Up to three dictionary names close to an unrecognised `text`, best first.

        Empty when the text is recognised (there is nothing to correct) or nothing is close.
        A suggestion is only a suggestion: match() never applies it."""
        words = self.key(text)
        return [] if self._find(words) else list(self._suggest_words(words))

    def suggestions(self) -> list[str]:
        """Every known name, for the intake form's suggestions."""
        return sorted(" ".join(k) for k in self.names)

    # -- internals -------------------------------------------------------------------------
    def _find(self, words: tuple[str, ...]) -> list[str]:
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                drugs = self.names.get(words[i : i + size])
                if drugs:
                    found.extend(d for d in drugs if d not in found)
                    i += size
                    break
            else:
                i += 1
        return found

    def _stopped(self, words: tuple[str, ...]) -> bool:
        if not self._marker_words.intersection(words):
            return False
        stopped = restarted = False
        for i in range(len(words)):
            for size in range(1, min(self._longest_marker, len(words) - i) + 1):
                phrase = words[i : i + size]
                stopped = stopped or phrase in self.stopped_markers
                restarted = restarted or phrase in self.restarted_markers
        return stopped and not restarted

    def _fuzzy(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The best-scoring suggestions for any phrase of the line (cached per line)."""
        best: dict[str, float] = {}  # suggestion -> its best score
        for i, first in enumerate(words):
            if first in _NOISE or first in self._marker_words:
                continue
            for size in range(1, min(self.longest, len(words) - i) + 1):
                last = words[i + size - 1]
                if last in _NOISE or last in self._marker_words:
                    continue
                phrase = " ".join(words[i : i + size])
                if len(phrase) < 3:
                    continue
                cutoff = SHORT_CUTOFF if len(phrase) <= SHORT else SUGGESTION_CUTOFF
                for _, score, index in process.extract(
                    phrase, self._choices, scorer=fuzz.ratio, limit=10, score_cutoff=cutoff
                ):
                    says = self._choice_says[index]
                    if score > best.get(says, 0):
                        best[says] = score
        if not best:
            return ()
        top = max(best.values())
        ranked = sorted(
            (s for s in best if best[s] >= top - RUNNER_UP_WITHIN),
            key=lambda says: (-best[says], says),
        )
        return tuple(ranked[:MAX_SUGGESTIONS])


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _either(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
