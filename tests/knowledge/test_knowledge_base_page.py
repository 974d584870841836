"""The knowledge base page says everything in words: labels for tests, findings, medicines,
results and sources, never the knowledge base's codes (`u_and_e`, `loop_diuretic`, `True`)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    body = html.split("<main", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_page_shows_labels_and_words_never_codes(login, gp, kb):
    text = visible_text(login(gp).get("/knowledge-base/").content.decode())
    codes = set(re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text)) - {"knowledge_base"}
    assert not codes, f"codes shown: {sorted(codes)[:10]}"
    assert not re.search(r"\b(True|False|None)\b", text)
    for words in (
        "Urea and electrolytes",  # a test
        "takes a loop diuretic",  # a medicine class in a rule
        "NICE CKS Leg cramps",  # a source
        "Test:",  # what a rule recommends, by kind
        "furosemide",  # a medicine of a class
    ):
        assert words in text, words


def test_a_rules_sources_link_to_the_sources_table(login, gp):
    html = login(gp).get("/knowledge-base/").content.decode()
    assert '<a href="#source-nice_cks_leg_cramps">NICE CKS Leg cramps</a>' in html
    assert '<tr id="source-nice_cks_leg_cramps">' in html
