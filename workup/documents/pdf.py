"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files. The HTML
comes from the document kinds (kinds.py).

Documents are tagged PDF (PDF/UA-1) with the document language and title set and the fonts
shipped in workup/static/fonts embedded, so a handout looks the same on every machine.

What a warm process keeps between documents (`make bench` times a warm worker): the font
configuration (the @font-face fonts, loaded once), the bytes of the static files documents
load (fonts, the handout's pictures), keyed by path and modification time, and the documents'
style sheets, parsed once: the <style> of the templates' <head>, the same for every document
of a kind and language (nothing of a patient is ever written into CSS; a test holds the
templates to it). Nothing of a patient, a user or a document is ever kept.
"""

import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"


# path -> (modification time, bytes): the static files documents load, read once per process
STATIC_FILES: dict[Path, tuple[int, bytes]] = {}
STATIC_FILES_MAX = 64  # a handful are used (fonts, pictures): a bound all the same


def _static_bytes(path: Path) -> bytes:
    """A static file's bytes, read once per process (and again if the file changes)."""
    mtime = path.stat().st_mtime_ns
    kept = STATIC_FILES.get(path)
    if kept is None or kept[0] != mtime:
        if len(STATIC_FILES) >= STATIC_FILES_MAX:
            STATIC_FILES.clear()
        kept = STATIC_FILES[path] = (mtime, path.read_bytes())
    return kept[1]


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:<path>` from the project's static folder; refuses everything else
    (http, https, file, data, ...), whatever a patient's name or a free-text field contains."""

    def __init__(self, root: Path | None = None):
        super().__init__(allowed_protocols=())
        self.root = (root or Path(settings.BASE_DIR) / "workup" / "static").resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_SCHEME):
            path = (self.root / url[len(STATIC_SCHEME) :].lstrip("/")).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if path.suffix == ".ttf":
                    mime = "font/ttf"
                data = _static_bytes(path)
                return URLFetcherResponse(url, data, {"Content-Type": mime})
        self.refused.append(url[:80])
        raise ValueError("Documents may load only the project's own static files.")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


# style text -> the parsed style sheet (parsing it was a tenth of a handout's render)
STYLESHEETS: dict[str, CSS] = {}
STYLESHEETS_MAX = 16  # a few per kind (the handout's language and print size)
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _stylesheet(text: str) -> CSS:
    sheet = STYLESHEETS.get(text)
    if sheet is None:
        if len(STYLESHEETS) >= STYLESHEETS_MAX:
            STYLESHEETS.clear()
        sheet = STYLESHEETS[text] = CSS(
            string=text,
            base_url=STATIC_SCHEME,
            url_fetcher=StaticOnlyFetcher(),
            font_config=_font_config(),
        )
    return sheet


def _split_style(html: str) -> tuple[str, list[CSS]]:
    """The HTML without the <style> of its <head>, and that style sheet (parsed once per
    process). It applies as the user's style sheet rather than the author's: with no other
    style sheet but the user agent's, and only the templates' inline styles above it, that
    draws the same PDF."""
    head = html.find("</head>")
    found = STYLE.search(html, 0, head if head >= 0 else len(html))
    if found is None:
        return html, []
    return html[: found.start()] + html[found.end() :], [_stylesheet(found[1])]


class Pdf(bytes):
    """A PDF's bytes that know its number of pages (from the layout: nothing reads it back)."""

    pages: int


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> Pdf:
    fetcher = fetcher or StaticOnlyFetcher()
    html, stylesheets = _split_style(html)
    options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
        font_config=_font_config(), stylesheets=stylesheets, **options
    )
    data = Pdf(document.write_pdf(**options))
    data.pages = len(document.pages)
    return data
