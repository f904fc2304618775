"""The frame of every document page of the site, and the small HTML helpers they share.

A document page links the site's one stylesheet and script (`site.css`, `site.js`, with the
search index `search-index.js`) from the site's root, so a page in `resource/org/` loads
them as `../../site.css`: the site works from `file://` and asks no other host for anything.
Every string from the data goes through `esc`: names are text, never HTML.
"""

from __future__ import annotations

import html
import re

from jjjkg.core.terms import JJJ, RESOURCE, shorten

SAFE_PATH = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def bi(zh: str, en: str) -> str:
    """Text in both languages; the page's switch shows one of them."""
    if zh == en:
        return esc(zh)
    return f'<span class="zh-only">{esc(zh)}</span><span class="en-only">{esc(en)}</span>'


def table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def doc_page(title_zh: str, title_en: str, body: str, root: str = "") -> str:
    """A document page whose shared files are at `root` (`""`, `"../"`, …)."""
    from jjjkg.readers.viz import asset, fill

    return fill(
        asset("doc.html"),
        title=esc(title_zh),
        heading=bi(title_zh, title_en),
        root=root,
        body=body,
    )


def entity_path(iri: str) -> str | None:
    """`resource/org/cnooc.html` for `jorg:cnooc`: the IRI's path under the resource base, so
    a w3id redirect can point each IRI at its page; None for an IRI without a plain path."""
    if not iri.startswith(RESOURCE):
        return None
    rest = iri[len(RESOURCE) :]
    return f"resource/{rest}.html" if SAFE_PATH.fullmatch(rest) else None


def class_path(cls: str) -> str:
    """`class/Enterprise.html` for `jjj:Enterprise` (`class/org-Organization.html` else)."""
    local = cls[len(JJJ) :] if cls.startswith(JJJ) else shorten(cls).strip("<>")
    return "class/" + re.sub(r"[^A-Za-z0-9._-]", "-", local) + ".html"


def root_of(path: str) -> str:
    """The way back to the site's root from a page at `path` (relative to the site)."""
    return "../" * path.count("/")
