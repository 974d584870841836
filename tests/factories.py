"""Intake factories: a typical idiopathic night cramp, changed only where a test says so."""
import copy

TYPICAL = {
    "age": 68,
    "sex": "female",
    "pregnancy": "none",
    "cramps": {
        "episodes_per_week": 3,
        "longest_minutes": 3,
        "when": ["night"],
        "sites": ["calf"],
        "side": "both",
        "relieved_by_stretching": True,
        "sleep_disturbed": True,
    },
    "findings": [],
    "conditions": [],
    "medications": [],
    "legs": {"left": [], "right": []},
}


def intake_data(*, cramps=None, left=(), right=(), **fields):
    """A contract intake dict; `cramps` updates the cramp fields, `left`/`right` the legs."""
    data = copy.deepcopy(TYPICAL)
    data["cramps"].update(cramps or {})
    data["legs"] = {"left": list(left), "right": list(right)}
    data.update(fields)
    return data
