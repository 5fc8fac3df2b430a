"""HTML to PDF with WeasyPrint, fetching nothing but our own static files and data: URLs.

Reports contain text typed by users. WeasyPrint would otherwise read file:// URLs, make
HTTP requests and embed local files through <link rel="attachment">.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative URLs in a report resolve against this base; only its /static/ path is served.
BASE_URL = "https://evaluatiespiegel.invalid/"
STATIC_PREFIX = "/static/"


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(
            STATIC_PREFIX
        ):
            logger.warning("Rapport: URL geweigerd: %s", url[:200])
            raise RefusedURL(f"URL geweigerd: {url[:200]}")
        relative = posixpath.normpath(unquote(parts.path[len(STATIC_PREFIX) :]))
        if relative.startswith(("..", "/")) or "\\" in relative:
            raise RefusedURL(f"URL geweigerd: {url[:200]}")
        path = finders.find(relative)
        if not path:
            raise RefusedURL(f"Onbekend statisch bestand: {relative}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
