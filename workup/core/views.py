from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from workup.core.knowledge import knowledge_base


@login_not_required
def home(request):
    """Says the product is up and which knowledge base it runs; no patient data."""
    kb = knowledge_base()
    return render(request, "core/home.html", {
        "kb_version": kb.version,
        "rule_count": len(kb.rules),
        "source_count": len(kb.sources),
    })
