"""The knowledge app's system check: a broken knowledge base stops the server starting."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from workup.knowledge.loading import knowledge_base


def test_a_broken_knowledge_base_fails_the_system_check(settings, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(settings.KNOWLEDGE_BASE_DIR, kb)
    (kb / "meta.yaml").write_text("files: []\n")
    settings.KNOWLEDGE_BASE_DIR = kb
    try:
        with pytest.raises(SystemCheckError, match="meta.yaml: version: missing"):
            call_command("check")
    finally:
        knowledge_base.cache_clear()
