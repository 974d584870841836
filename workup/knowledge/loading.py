"""The knowledge base for Django code: loaded once per process from settings."""

from functools import lru_cache

from django.conf import settings

from workup.engine import KnowledgeBase, load_knowledge_base


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return load_knowledge_base(settings.KNOWLEDGE_BASE_DIR)
