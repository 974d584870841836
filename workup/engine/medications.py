"""Recognise medications as a GP types them ("Furosemide 40mg", "Lasix", "Seretide 250").

The text is folded to lower-case words (doses, units, strengths and punctuation fall away as
they match no name), then the longest dictionary name found in it wins. A line naming two or
more drugs ("furosemide and amiloride") is read as a combination of them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[a-z]+")


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

    @property
    def recognised(self) -> bool:
        return bool(self.components)

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
        }
        if len(self.components) > 1:
            entry["components"] = [c.drug for c in self.components]
        if not p:
            entry["note"] = "Not recognised: check the spelling; its link with cramps is unknown."
        return entry

    def describe(self, component: Component | None = None) -> str:
        """'takes Lasix 40mg: furosemide, a loop diuretic' (naming the given component)."""
        c = component or self.primary
        others = [o.drug for o in self.components if o is not c]
        text = f"takes {self.text.strip()}: {c.drug}, {_article(c.class_label)} {c.class_label}"
        if others:
            text += f" (combined with {', '.join(others)})"
        return text


class MedicationMatcher:
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
        # name (tuple of words) -> tuple of drug ids
        self.names: dict[tuple[str, ...], tuple[str, ...]] = {}
        for drug_id, drug in medications["drugs"].items():
            for name in drug["names"]:
                self.names[self.key(name)] = (drug_id,)
        for combo in medications.get("combinations") or []:
            for name in combo["names"]:
                self.names[self.key(name)] = tuple(combo["components"])
        self.longest = max(len(k) for k in self.names)

    @staticmethod
    def key(text: str) -> tuple[str, ...]:
        folded = unicodedata.normalize("NFKD", text.lower())
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
        return tuple(_WORD.findall(folded))

    def match(self, text: str) -> Medication:
        words = self.key(text)
        found: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                drugs = self.names.get(words[i:i + size])
                if drugs:
                    found.extend(d for d in drugs if d not in found)
                    i += size
                    break
            else:
                i += 1
        return Medication(text=text, components=tuple(self.components[d] for d in found))

    def suggestions(self) -> list[str]:
        """Every known name, for the intake form's suggestions."""
        return sorted(" ".join(k) for k in self.names)


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"
