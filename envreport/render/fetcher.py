"""The only URL fetcher WeasyPrint gets: ``data:`` URIs and files of envreport's own assets.

WeasyPrint's default fetcher reads any ``file:`` URL and makes HTTP requests, so a workbook
string that reached the HTML as markup could embed local files in the PDF
(shared/reference/security.md). Escaping is the first layer; this is the second. Everything
else raises :class:`weasyprint.urls.FatalURLFetchingError`, which stops the render.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from envreport.render.environment import builtin_template_dir


def asset_dir() -> Path:
    """The folder whose files the report may load (fonts, images shipped with envreport)."""
    return (builtin_template_dir() / "assets").resolve()


# WeasyPrint ships no type information (no py.typed, no stubs), so mypy sees URLFetcher as Any
class RestrictedURLFetcher(URLFetcher):  # type: ignore[misc]
    """Allow ``data:`` URIs and regular files under :func:`asset_dir`; refuse everything else.

    ``requested`` records every URL WeasyPrint asked for (tests assert on it).
    """

    def __init__(self, root: Path | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.root = (root or asset_dir()).resolve()
        self.requested: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_file() and path.is_relative_to(self.root):
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": media_type})
        raise FatalURLFetchingError(f"envreport does not fetch {url[:200]!r}")
