from django.shortcuts import render

from workup.knowledge.loading import knowledge_base


def knowledge_base_page(request):
    """The knowledge base, readable by every signed-in user (read only: it changes as data)."""
    kb = knowledge_base()
    meds = kb.medications
    classes = [
        {
            "id": cid,
            **cls,
            "drugs": sorted(d for d, drug in meds["drugs"].items() if drug["class"] == cid),
        }
        for cid, cls in meds["classes"].items()
    ]
    return render(
        request,
        "knowledge/knowledge_base.html",
        {
            "kb": kb,
            "rules": [{"rule": r, "when": r.when.describe()} for r in kb.rules],
            "definitions": [
                {"name": name, "when": cond.describe()} for name, cond in kb.definitions.items()
            ],
            "results": kb.results,
            "classes": classes,
            "sources": sorted(kb.sources.items(), key=lambda s: s[1]["short"].lower()),
        },
    )
