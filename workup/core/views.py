from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from workup.core.knowledge import knowledge_base


@login_not_required
def home(request):
    """Says the product is up and which knowledge base it runs; no patient data. A signed-in
    user goes on to their own starting page: clinicians to patients, admins to the admin."""
    user = request.user
    if user.is_authenticated and getattr(user, "is_clinician", False):
        return redirect("patient_list")
    if user.is_authenticated and user.is_staff:
        return redirect("admin:index")
    kb = knowledge_base()
    return render(request, "core/home.html", {
        "kb_version": kb.version,
        "rule_count": len(kb.rules),
        "source_count": len(kb.sources),
    })


def knowledge_base_page(request):
    """The knowledge base, readable by every signed-in user (read only: it changes as data)."""
    kb = knowledge_base()
    meds = kb.medications
    classes = [{"id": cid, **cls, "drugs": sorted(d for d, drug in meds["drugs"].items()
                                                  if drug["class"] == cid)}
               for cid, cls in meds["classes"].items()]
    return render(request, "core/knowledge_base.html", {
        "kb": kb,
        "rules": [{"rule": r, "when": describe_condition(r.when)} for r in kb.rules],
        "classes": classes,
        "sources": sorted(kb.sources.items(), key=lambda s: s[1]["short"].lower()),
    })


def describe_condition(cond: dict) -> str:
    """A rule condition in words, for people reviewing the knowledge base."""
    (key, value), = cond.items()
    if key in ("all", "any"):
        joiner = " and " if key == "all" else " or "
        return "(" + joiner.join(describe_condition(c) for c in value) + ")"
    if key == "not":
        return "not " + describe_condition(value)
    if key == "supporting":
        return "noting " + describe_condition(value)
    if key == "fallback":
        return "no other rule gave a red flag or a differential"
    if key == "same_leg":
        return "in one leg " + describe_condition(value)
    if isinstance(value, list):
        return f"{key.replace('_', ' ')}: {', '.join(value)}"
    return f"{key.replace('_', ' ')}: {value}"
