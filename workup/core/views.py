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
        "rules": [{"rule": r, "when": r.when.describe()} for r in kb.rules],
        "definitions": [{"name": name, "when": cond.describe()}
                        for name, cond in kb.definitions.items()],
        "results": kb.results,
        "classes": classes,
        "sources": sorted(kb.sources.items(), key=lambda s: s[1]["short"].lower()),
    })
