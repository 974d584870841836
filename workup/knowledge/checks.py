"""A Django system check: `manage.py check`, `runserver` and `migrate` refuse a broken
knowledge base."""

from django.core.checks import Error, register

from workup.engine import KnowledgeBaseError
from workup.knowledge.loading import knowledge_base


@register()
def knowledge_base_loads(app_configs, **kwargs):
    knowledge_base.cache_clear()
    try:
        knowledge_base()
    except KnowledgeBaseError as exc:
        return [
            Error(
                f"The knowledge base is broken: {exc}",
                id="workup.E001",
                hint="Fix the file named, then run `make test`.",
            )
        ]
    return []
