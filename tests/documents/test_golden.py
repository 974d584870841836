"""The first page of a handout in each language, compared with a stored picture of it, so a
broken layout is seen. Rebuild the pictures after an intended change with
UPDATE_GOLDEN=1 make test (and look at them before committing)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.documents.helpers import BUSY, KB, document_input, kind_html
from workup.documents.pdf import render_pdf

pytestmark = pytest.mark.django_db(databases=[])
GOLDEN = Path(__file__).parent / "golden"
OUT = Path(__file__).resolve().parents[2] / "test-results" / "golden"
DPI = 50
TOLERANCE = 0.005  # at most 0.5% of pixels may differ noticeably

if not shutil.which("pdftoppm"):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must run the golden-image test: install poppler-utils")
    pytest.skip(
        "pdftoppm is not installed (apt-get install poppler-utils)", allow_module_level=True
    )


def first_page_png(pdf: bytes, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(OUT / f"{name}.pdf"),
            str(OUT / name),
        ],
        check=True,
    )
    return OUT / f"{name}.png"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_first_page_looks_as_it_did(language):
    pdf = render_pdf(kind_html("handout", document_input(**BUSY), KB, language=language))
    got = first_page_png(pdf, f"handout-{language}-page1")
    golden = GOLDEN / got.name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not golden.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no golden picture {golden.name}: make it locally and commit it")
        shutil.copy(got, golden)
        pytest.skip(f"golden picture {golden.name} written: look at it and commit it")
    a, b = Image.open(golden).convert("L"), Image.open(got).convert("L")
    assert a.size == b.size, "the page size changed"
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 48 else 0)
    changed = diff.histogram()[255] / (a.size[0] * a.size[1])
    assert changed <= TOLERANCE, f"{changed:.2%} of the page changed (see {got})"
