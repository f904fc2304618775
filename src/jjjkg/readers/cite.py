"""Citations for the claims about an entity: one pasteable line, object or entry per claim.

Each claim is quoted with the exact sentence that states it (`jjj:text` of its sentence
graph) when the data has sentences; otherwise with its paragraph's evidence span, and the
citation says so. The article's title and author are read from the data; its date and
newspaper are not stated there, so no citation gives them. BibTeX and CSL-JSON cite the
article once per paragraph, the paragraph being the pinpoint. Background facts (not in the
article) are not cited.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from jjjkg.core.errors import JjjkgError
from jjjkg.core.terms import RESOURCE, shorten
from jjjkg.readers.claims import Claim, articles, claims, names
from jjjkg.readers.render import cell

FORMATS = ("text", "json", "bibtex", "csl-json")
_WORDS = {
    "zh": {
        "section": "第{}节",
        "paragraph": "第{}段",
        "lines": "原文第{}行",
        "evidence": "（段落依据，非原句：数据尚无句子文本）",
    },
    "en": {
        "section": "section {}",
        "paragraph": "paragraph {}",
        "lines": "source line{s} {}",
        "evidence": " (paragraph evidence, not the sentence: the data has no sentence text)",
    },
}


class Citations:
    """The article claims about one entity, with what a citation of each needs."""

    def __init__(self, store, iri: str, lang: str = "zh"):
        self.iri, self.lang = iri, lang
        every = claims(store, iri)
        self.claims = [c for c in every if c.place.in_article]
        self.background = len(every) - len(self.claims)
        self.names = names(store, self.claims, lang)
        self.articles = articles(store, {c.place.article for c in self.claims if c.place.article})

    def statement(self, claim: Claim) -> str:
        """`天津港 —服务→ 北京`: the claim read forwards."""
        s, p, o = (cell(t, self.names) for t in (claim.subject, claim.predicate, claim.object))
        return f"{s} —{p}→ {o}"

    def quote(self, claim: Claim) -> tuple[str, str]:
        """The words that state the claim, and where they come from."""
        if claim.place.sentence is not None:
            return claim.place.sentence, "sentence"
        return claim.place.evidence or "", "paragraph evidence"

    def article(self, claim: Claim) -> dict:
        return self.articles.get(claim.place.article or "", {})

    def where(self, claim: Claim) -> str:
        words, place = _WORDS[self.lang], claim.place
        parts = []
        if place.section_number is not None:
            parts.append(words["section"].format(place.section_number))
        if place.paragraph_number is not None:
            parts.append(words["paragraph"].format(place.paragraph_number))
        if place.lines:
            plural = "s" * ("," in place.lines or "–" in place.lines)
            parts.append(words["lines"].format(place.lines, s=plural))
        return ("，" if self.lang == "zh" else ", ").join(parts)

    def line(self, claim: Claim) -> str:
        quote, source = self.quote(claim)
        article = self.article(claim)
        author, title = article.get("author", ""), article.get("title", "")
        note = _WORDS[self.lang]["evidence"] if source != "sentence" else ""
        if self.lang == "zh":
            work = f"{author}《{title}》" if author else f"《{title}》"
            return f"{self.statement(claim)}：“{quote}”{note}——{work}，{self.where(claim)}"
        work = f"{author}, 《{title}》" if author else f"《{title}》"
        return f"{self.statement(claim)}: “{quote}”{note} — {work}, {self.where(claim)}"

    def record(self, claim: Claim) -> dict:
        quote, source = self.quote(claim)
        place, article = claim.place, self.article(claim)
        obj = claim.object
        return {
            "claim": self.statement(claim),
            "subject": claim.subject.value,
            "predicate": claim.predicate.value,
            "object": obj.value if isinstance(obj, (ox.NamedNode, ox.Literal)) else str(obj),
            "quote": quote,
            "quoteFrom": source,
            "paragraph": place.paragraph_number,
            "paragraphIri": place.paragraph,
            "section": place.section_number,
            "sectionTitle": self.names.get(place.section or "", ""),
            "lines": place.lines,
            "graph": place.graph,
            "title": article.get("title", ""),
            "author": article.get("author", ""),
        }

    def entries(self) -> list[dict]:
        """One entry per cited paragraph: the article, the paragraph as the pinpoint."""
        seen: dict[str, dict] = {}
        for claim in self.claims:
            place = claim.place
            if place.paragraph in seen:
                continue
            article = self.article(claim)
            key = (place.article or "").removeprefix(RESOURCE).replace("article/", "")
            seen[place.paragraph] = {
                "id": f"{key}-{place.paragraph.rsplit('/', 1)[-1]}",
                "title": article.get("title", ""),
                "subtitle": article.get("subtitle", ""),
                "author": article.get("author", ""),
                "paragraph": place.paragraph_number,
                "section": place.section_number,
                "lines": place.paragraph_lines,
            }
        return list(seen.values())


def cite(store, iri: str, fmt: str = "text", lang: str = "zh") -> str:
    """The citations of the article claims about `iri` in `fmt`."""
    if fmt not in FORMATS:
        raise JjjkgError(f"unknown citation format '{fmt}'; use one of {', '.join(FORMATS)}")
    found = Citations(store, iri, lang)
    if not found.claims:
        raise JjjkgError(f"the article states no claim about {shorten(iri)}")
    if fmt == "text":
        return "".join(found.line(c) + "\n" for c in found.claims)
    if fmt == "json":
        records = [found.record(c) for c in found.claims]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "bibtex":
        return "\n".join(_bibtex(entry) for entry in found.entries())
    return json.dumps([_csl(e) for e in found.entries()], ensure_ascii=False, indent=1) + "\n"


def _bibtex(entry: dict) -> str:
    fields = [
        ("author", entry["author"]),
        ("title", entry["title"]),
        ("subtitle", entry["subtitle"]),
        ("note", _pinpoint(entry)),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@article{{{entry['id']},\n{body}}}\n"


def _csl(entry: dict) -> dict:
    item = {"id": entry["id"], "type": "article-newspaper", "title": entry["title"]}
    if entry["author"]:
        item["author"] = [{"literal": entry["author"]}]
    if entry["paragraph"] is not None:
        item["locator"] = str(entry["paragraph"])
        item["label"] = "paragraph"
    item["note"] = _pinpoint(entry)
    return item


def _pinpoint(entry: dict) -> str:
    parts = []
    if entry["section"] is not None:
        parts.append(f"section {entry['section']}")
    if entry["paragraph"] is not None:
        parts.append(f"paragraph {entry['paragraph']}")
    if entry["lines"]:
        plural = "s" * ("," in entry["lines"] or "–" in entry["lines"])
        parts.append(f"source line{plural} {entry['lines']}")
    return ", ".join(parts)
