"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files. The HTML
comes from the document kinds (kinds.py).

Documents are tagged PDF (PDF/UA-1) with the document language and title set and the fonts
shipped in workup/static/fonts embedded, so a handout looks the same on every machine.
"""

import mimetypes
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"


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
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url[:80])
        raise ValueError("Documents may load only the project's own static files.")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher)
    return document.write_pdf(
        font_config=_font_config(), pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )
