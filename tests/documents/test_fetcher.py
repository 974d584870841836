"""Hostile names and free text render as text and fetch nothing."""

import pytest

from tests.documents.helpers import KB, document_input, kind_html, pages_of, text_of
from workup.documents.pdf import StaticOnlyFetcher, render_pdf

pytestmark = pytest.mark.django_db(databases=[])

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css"><style>@import url(file:///etc/hosts);</style>',
    "x" * 5000,
    "محمد عبد الله",  # right-to-left script
    "שרה כהן",
]


class SpyFetcher(StaticOnlyFetcher):
    def __init__(self):
        super().__init__()
        self.asked = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


@pytest.mark.parametrize(
    "name", HOSTILE, ids=["img-tag", "css-import", "5000-chars", "arabic", "hebrew"]
)
@pytest.mark.parametrize("kind", ["handout", "referral"])
def test_a_hostile_name_or_medicine_is_printed_as_text_and_fetches_nothing(name, kind):
    doc = document_input(
        name=name,
        medications=[name[:200], "Lasix 40mg"],
        left=["varicose_veins", "venous_symptoms"],
    )
    html = (
        kind_html("handout", doc, KB, language="en")
        if kind == "handout"
        else kind_html("referral", doc, KB, to="vascular")
    )
    spy = SpyFetcher()
    pdf = render_pdf(html, fetcher=spy)
    assert spy.refused == []
    assert all(url.startswith("static:") for url in spy.asked), spy.asked
    text = "".join(text_of(pdf).split())
    if name.startswith("<"):
        assert "".join(name[:40].split()) in text
    elif name.startswith("x"):
        assert "x" * 200 in text and pages_of(pdf) <= 4
    else:
        assert any(word[::-1] in text or word in text for word in name.split())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/a.png",
        "data:text/css,body{}",
        "static:../settings.py",
        "static:/../../../etc/passwd",
        "static:fonts/../../settings.py",
        "static:does-not-exist.svg",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url[:80]]


def test_the_fetcher_serves_the_shipped_fonts_and_pictures():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("static:fonts/NotoSans-Regular.ttf").read()[:4] == b"\x00\x01\x00\x00"
    assert b"<svg" in fetcher.fetch("static:handout/calf-stretch.svg").read()


def test_every_picture_the_knowledge_base_names_is_shipped():
    fetcher = StaticOnlyFetcher()
    for step in KB.handout["stretching"]["steps"]:
        assert fetcher.fetch(f"static:handout/{step['picture']}").read()
