#!/usr/bin/env python3
"""Check a built site: every internal link resolves, nothing loads from outside.

    python tools/site_check.py site/

Two checks over every HTML page (and every stylesheet) of the folder:

- broken_links: each href and src that stays in the site names a file that
  exists, and a #fragment names an id (or a name) on the target page;
- outside_resources: no page or stylesheet loads anything from another host
  (http://, https:// or // in a script, stylesheet, image, frame, font, ...).
  Plain <a href="https://..."> links are allowed: a reader may follow them,
  the page itself fetches nothing.

The browser test (tests/test_site.py) adds what only a browser sees: the
requests a page really makes, console errors and figures that fail to load.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes through which a tag makes the browser fetch something.
LOADING = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
}
# <link rel=...> values that fetch their href; others (canonical, ...) only name it.
LINK_FETCHES = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
}
LINK_FETCHES |= {"apple-touch-icon", "shortcut", "preconnect", "dns-prefetch"}
OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# One start tag (quote-aware) or a whole <style> element: what parse() looks at.
TAG = re.compile(
    r"""<style\b.*?</style\s*>"""
    r"""|<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s"'<>=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*\s*/?>""",
    re.S | re.I,
)
WANTED = re.compile(
    r"\s(?:href|src|srcset|id|name|data|poster|style)\s*=|^<style", re.I
)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)


class Page(HTMLParser):
    """The links, fetched resources and ids of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag.attr, url) for the link check
        self.loads: list[tuple[str, str]] = []  # (tag.attr, url) the browser fetches
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        for key in ("id", "name") if tag in ("a", "map") else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        for attr in ("href", "src", "data", "poster", "srcset"):
            if attr not in attrs:
                continue
            urls = [u.strip().split()[0] for u in attrs[attr].split(",") if u.strip()]
            if attr != "srcset":
                urls = [attrs[attr].strip()]
            for url in urls:
                self.links.append((f"{tag}.{attr}", url))
                rel = set(attrs.get("rel", "").lower().split())
                if (tag, attr) in LOADING or (tag == "link" and rel & LINK_FETCHES):
                    self.loads.append((f"{tag}.{attr}", url))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


@cache
def parse(path: Path) -> Page:
    page = Page()
    text = path.read_text(encoding="utf-8", errors="replace")
    # Only the tags that link, load or name something: the highlighted source
    # pages hold tens of thousands of plain <span>s that need no parsing.
    page.feed("".join(m for m in TAG.findall(text) if WANTED.search(m)))
    page.close()
    return page


def internal(url: str) -> bool:
    """Whether a URL points into the site (no scheme, no host)."""
    return bool(url) and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I)


def target_file(page: Path, path: str, site: Path) -> Path:
    """The file a relative or site-absolute path names, seen from `page`."""
    path = unquote(path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """'page: tag.attr url (why)' for every internal link that leads nowhere."""
    site = site.resolve()
    problems = []
    for page_path in sorted(site.rglob("*.html")):
        page = parse(page_path)
        where = page_path.relative_to(site).as_posix()
        for attr, url in page.links:
            if not internal(url):
                continue
            parts = urlsplit(url)
            target = (
                target_file(page_path, parts.path, site) if parts.path else page_path
            )
            try:
                target.relative_to(site)
            except ValueError:
                problems.append(f"{where}: {attr} {url} (leaves the site folder)")
                continue
            if not target.is_file():
                problems.append(f"{where}: {attr} {url} (no such file)")
                continue
            fragment = unquote(parts.fragment)
            if (
                fragment
                and target.suffix == ".html"
                and fragment not in parse(target).ids
            ):
                if not (fragment == "projector" or fragment.startswith(":~:")):
                    problems.append(f"{where}: {attr} {url} (no id {fragment!r} there)")
    return problems


def outside_resources(site: Path) -> list[str]:
    """'file: what url' for everything a page or stylesheet loads from elsewhere."""
    site = site.resolve()
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            page = parse(path)
            for attr, url in page.loads:
                if OUTSIDE.match(url):
                    problems.append(f"{where}: {attr} {url}")
            css = "\n".join(page.styles)
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if OUTSIDE.match(url):
                problems.append(f"{where}: css url {url}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="site_check", description=__doc__.split("\n")[0]
    )
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"))
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(
            f"site_check: no {args.site}/index.html; build it with `make site`",
            file=sys.stderr,
        )
        return 2
    problems = broken_links(args.site) + outside_resources(args.site)
    for problem in problems:
        print(problem)
    pages = len(list(args.site.rglob("*.html")))
    print(f"site_check: {pages} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
