from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from workup.knowledge.loading import knowledge_base


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
    return render(
        request,
        "site/home.html",
        {
            "kb_version": kb.version,
            "rule_count": len(kb.rules),
            "source_count": len(kb.sources),
        },
    )
