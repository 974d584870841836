"""The practice's worklist page: the selector's lines for the user's own practice, filtered
by kind (`?kind=`), with the count of each kind."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from workup.accounts.rules import clinician_required
from workup.worklist.selectors import KINDS, WorklistItem, worklist_items

# what the date of each kind of line is
VERBS = {
    "critical_result": "taken",
    "result_awaited": "requested",
    "letter_not_printed": "accepted",
    "result_to_review": "taken",
    "review_due": "due",
}
UNKNOWN_KIND = "There is no such kind of item on the worklist, so every item is shown."


@dataclass(frozen=True)
class Line:
    item: WorklistItem
    verb: str
    ago: str  # "12 days ago", "today", "3 days overdue"


@clinician_required
def worklist(request):
    today = timezone.localdate()
    items = worklist_items(practice_id=request.user.practice_id, today=today)
    counts = Counter(item.kind for item in items)
    kind = request.GET.get("kind") or None
    unknown = kind is not None and kind not in KINDS
    if unknown:
        kind = None  # never echoed: the page says so in fixed words
    shown = [item for item in items if kind is None or item.kind == kind]
    return render(
        request,
        "worklist/worklist.html",
        {
            "lines": [Line(item, VERBS[item.kind], _ago(item, today)) for item in shown],
            "filters": [(code, label, counts[code]) for code, label in KINDS.items()],
            "total": len(items),
            "kind": kind,
            "kind_label": KINDS.get(kind, ""),
            "unknown_kind": UNKNOWN_KIND if unknown else "",
        },
    )


def _ago(item: WorklistItem, today: date) -> str:
    days = (today - item.day).days
    if item.due is not None:
        if days <= 0:
            return "due today" if days == 0 else f"in {-days} day{'s' if days != -1 else ''}"
        return f"{days} day{'s' if days != 1 else ''} overdue"
    if days <= 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''} ago"
