"""What a returned result means: its flag, its band and the reason, from results.yaml.

Ranges and thresholds are the knowledge base's (set to the laboratory's own); this module only
applies them: bands in order, the first that holds wins, none means normal.
"""

from __future__ import annotations

from dataclasses import dataclass

from .intake import ResultInput
from .schema import Band, ResultDefinition

_BOUNDS = {
    "below": (lambda v, t: v < t, "below"),
    "at_most": (lambda v, t: v <= t, "at most"),
    "above": (lambda v, t: v > t, "above"),
    "at_least": (lambda v, t: v >= t, "at least"),
}


@dataclass(frozen=True)
class Interpreted:
    code: str
    value: float | str
    unit: str | None
    flag: str  # normal, low, high, critical, positive, negative
    side: str | None  # low or high, for a numeric result outside the range
    band: str | None  # the band's name ("critical_emergency"), None when normal or coded
    phrase: str  # "potassium 3.1 mmol/L is below 3.5 (low)"
    sources: tuple[str, ...]
    date: str | None = None

    @property
    def flagged(self) -> bool:
        """Something that applies: any flag but normal and negative."""
        return self.flag not in ("normal", "negative")


def interpret(result: ResultInput, definition: ResultDefinition, band_holds) -> Interpreted:
    """`band_holds(band)` says whether a band's own `when` condition holds for this patient."""
    name = definition.label
    if definition.kind == "coded":
        return Interpreted(
            result.code,
            result.value,
            None,
            str(result.value),
            None,
            None,
            f"{name} {result.value}",
            tuple(definition.sources),
            result.date,
        )
    value = result.value
    upper = result.upper_limit or definition.upper_limit
    shown = f"{name} {_num(value)}" + (f" {definition.unit}" if definition.unit_in_text else "")
    for band in definition.bands:
        threshold = _threshold(band, upper)
        test, words = _BOUNDS[_bound_name(band)]
        if test(value, threshold) and band_holds(band):
            edge = (
                f"{_num(_bound(band))} times the upper limit of {_num(upper)}"
                if band.times_upper_limit
                else _num(threshold)
            )
            phrase = (
                f"{shown} is {band.label}"
                if band.label
                else f"{shown} is {words} {edge} ({band.flag})"
            )
            return Interpreted(
                result.code,
                value,
                definition.unit,
                band.flag,
                band.side,
                band.band,
                phrase,
                tuple(definition.sources),
                result.date,
            )
    range_ = definition.normal
    if upper and any(b.times_upper_limit for b in definition.bands):
        range_ = f"at most the upper limit, {_num(upper)}"
    return Interpreted(
        result.code,
        value,
        definition.unit,
        "normal",
        None,
        None,
        f"{shown} is within the reference range ({range_})",
        tuple(definition.sources),
        result.date,
    )


def _bound_name(band: Band) -> str:
    return next(b for b in _BOUNDS if getattr(band, b) is not None)


def _bound(band: Band) -> float:
    return getattr(band, _bound_name(band))


def _threshold(band: Band, upper: float | None) -> float:
    return _bound(band) * upper if band.times_upper_limit else _bound(band)


def _num(x: float) -> str:
    return f"{x:g}"
