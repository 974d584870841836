"""Clinical values in words, the same on every screen and document:
`{% load clinical_words %}{{ ceap.left|ceap_words }}` -> "C4a, symptomatic"."""

from django import template

register = template.Library()


@register.filter
def ceap_words(leg) -> str:
    """A leg's CEAP class and whether it is symptomatic, never run together: "C4a" is a class
    (C4, subclass a), so symptoms are a word of their own ("C4a, symptomatic")."""
    if not isinstance(leg, dict) or not leg.get("class"):
        return "not recorded"
    return f"{leg['class']}, {'symptomatic' if leg.get('symptomatic') else 'asymptomatic'}"
