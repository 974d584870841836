from django.shortcuts import render

from workup.core.knowledge import knowledge_base


def home(request):
    kb = knowledge_base()
    return render(request, "core/home.html", {
        "kb_version": kb.version,
        "rule_count": len(kb.rules),
        "source_count": len(kb.sources),
    })
