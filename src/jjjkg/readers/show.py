"""`jjjkg show NAME`: an entity's card.

Its names and classes; every claim in both directions (property, the other entity, the
paragraph, and the sentence once the data has sentences); every figure of it (value, unit,
year, qualifiers, the words as stated); background facts (not in the article) marked as
such. As text, JSON, or Turtle (the triples about it and its figures).
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from jjjkg.core.terms import (
    BACKGROUND_GRAPH,
    CATALOGUE_GRAPH,
    DATASET_GRAPH,
    INFERRED_GRAPH,
    JJJ,
    SHAPES_GRAPH,
    shorten,
)
from jjjkg.readers.claims import Claim, claims, names
from jjjkg.readers.facts import quad_store
from jjjkg.readers.find import _classes
from jjjkg.readers.render import cell, labels, plain, table, used_prefixes
from jjjkg.readers.resolve import Names

FORMATS = ("text", "json", "ttl")
OBSERVATION_OF = JJJ + "observationOf"
_FIGURE_PARTS = {
    "value": JJJ + "value",
    "upper": JJJ + "upperValue",
    "unit": JJJ + "unit",
    "measure": JJJ + "measure",
    "year": JJJ + "referenceYear",
    "baseline": JJJ + "baselineYear",
    "statedAs": JJJ + "statedAs",
}
NOT_ASSERTED = {INFERRED_GRAPH, DATASET_GRAPH, SHAPES_GRAPH}  # graphs not in jjjkg.ttl
OUTSIDE = {  # graphs outside the article, as `show` and `path` mark them
    BACKGROUND_GRAPH: {"zh": "背景", "en": "background"},
    CATALOGUE_GRAPH: {"zh": "目录", "en": "catalogue"},
}


class Card:
    """What `show` prints about one entity."""

    def __init__(self, store, names_: Names, iri: str, lang: str = "zh"):
        self.store, self.iri, self.lang = store, iri, lang
        self.candidate = names_.get(iri)
        every = claims(store, iri)
        self.figure_claims, self.claims = [], []
        self._figure_places: dict[str, dict[str, None]] | None = None
        for c in every:
            figure = not c.forward and c.predicate.value == OBSERVATION_OF
            (self.figure_claims if figure else self.claims).append(c)
        self.names = names(store, every, lang)
        self.classes = _classes(self.candidate)
        self.names.update(labels(store, set(self.classes), lang))
        self.figures = _figures(store, [c.subject.value for c in self.figure_claims], lang)

    def where(self, claim: Claim) -> str:
        if claim.place.background:
            return outside(claim.place.graph, self.lang)
        return self.names.get(claim.place.paragraph, shorten(claim.place.paragraph))

    def claim_rows(self) -> list[list[str]]:
        return [
            [
                "→" if c.forward else "←",
                cell(c.predicate, self.names),
                cell(c.other, self.names),
                self.where(c),
                c.place.sentence or "",
            ]
            for c in self.claims
        ]

    def text(self, max_width: int | None = None) -> str:
        c = self.candidate
        out = [f"{c.name(self.lang)}  {shorten(c.iri)}"]
        classes = ", ".join(f"{self.names.get(t, '')} ({shorten(t)})" for t in self.classes)
        out.append(f"  class  {classes}")
        out += [f"  {lang}     {getattr(c, lang)}" for lang in ("zh", "en") if getattr(c, lang)]
        if c.alt:
            out.append(f"  also   {'; '.join(c.alt)}")
        rows = self.claim_rows()
        if any(r[4] for r in rows):
            header = ["", "link", "other", "paragraph", "sentence"]
        else:
            header, rows = ["", "link", "other", "paragraph"], [r[:4] for r in rows]
        text = "\n".join(out) + f"\n\nClaims ({len(rows)})\n" + table(header, rows, None, max_width)
        if self.figures:
            figure_rows = [
                [
                    f["label"],
                    _amount(f),
                    f["unitLabel"],
                    str(f.get("year") or ""),
                    ", ".join(f["qualifierLabels"]),
                    f.get("statedAs", ""),
                    self._figure_place(f["iri"]),
                ]
                for f in self.figures
            ]
            header = ["figure", "value", "unit", "year", "qualifiers", "stated as", "paragraph"]
            figures = table(header, figure_rows, {1}, max_width)
            text += f"\nFigures ({len(self.figures)})\n" + figures
        return text

    def _figure_place(self, obs: str) -> str:
        if self._figure_places is None:
            self._figure_places = {}
            for c in self.figure_claims:
                self._figure_places.setdefault(c.subject.value, {})[self.where(c)] = None
        return "; ".join(self._figure_places.get(obs, {}))

    def record(self) -> dict:
        c = self.candidate
        return {
            "iri": c.iri,
            "name": shorten(c.iri),
            "zh": c.zh,
            "en": c.en,
            "alt": c.alt,
            "class": [{"iri": t, "label": self.names.get(t, "")} for t in self.classes],
            "claims": [
                {
                    "direction": "out" if x.forward else "in",
                    "property": x.predicate.value,
                    "propertyLabel": cell(x.predicate, self.names),
                    "other": plain(x.other),
                    "otherLabel": cell(x.other, self.names),
                    "paragraph": x.place.paragraph_number,
                    "section": x.place.section_number,
                    "sentence": x.place.sentence,
                    "graph": x.place.graph,
                    "background": x.place.background,
                }
                for x in self.claims
            ],
            "figures": [{**f, "paragraph": self._figure_place(f["iri"])} for f in self.figures],
        }

    def turtle(self) -> bytes:
        """The asserted triples about the entity and its figures, and those pointing at it."""
        quads = quad_store(self.store)
        node = ox.NamedNode(self.iri)
        subjects = [self.iri] + [f["iri"] for f in self.figures]
        patterns = [(ox.NamedNode(s), None, None, None) for s in subjects]
        triples = {
            q.triple
            for pattern in [*patterns, (None, None, node, None)]
            for q in quads.quads_for_pattern(*pattern)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in NOT_ASSERTED
        }
        ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(ordered))


def outside(graph: str, lang: str) -> str:
    """How a graph outside the article is marked: 背景 / background, 目录 / catalogue."""
    return OUTSIDE.get(graph, {}).get(lang) or shorten(graph)


def _amount(figure: dict) -> str:
    value = figure.get("value")
    text = "" if value is None else f"{value:,}"
    if figure.get("upper") is not None:
        text += f"–{figure['upper']:,}"
    return text


def _figures(store, observations: list[str], lang: str) -> list[dict]:
    """The parts of each observation, as plain values, with labels in `lang`."""
    if not observations:
        return []
    rows = [
        (q.subject, q.predicate, q.object)
        for obs in sorted(set(observations))
        for q in store.default_quads(ox.NamedNode(obs))
    ]
    iris = {r[0].value for r in rows} | {r[2].value for r in rows if isinstance(r[2], ox.NamedNode)}
    named = labels(store, iris, lang)
    by_observation: dict[str, dict[str, list]] = {}
    for r in rows:
        by_observation.setdefault(r[0].value, {}).setdefault(r[1].value, []).append(r[2])
    out = []
    for obs in sorted(set(observations)):
        props = by_observation.get(obs, {})
        figure = {"iri": obs, "label": named.get(obs, shorten(obs))}
        for key, prop in _FIGURE_PARTS.items():
            if prop in props:
                term = sorted(props[prop], key=str)[0]
                figure[key] = plain(term)
        unit = figure.get("unit")
        figure["unitLabel"] = named.get(unit, "") if unit else ""
        qualifiers = sorted(t.value for t in props.get(JJJ + "qualifier", []))
        figure["qualifiers"] = qualifiers
        figure["qualifierLabels"] = [named.get(q, shorten(q)) for q in qualifiers]
        out.append(figure)
    return out


def show(
    store, names_: Names, iri: str, fmt: str = "text", lang: str = "zh", max_width=None
) -> bytes:
    """The card of `iri` in `fmt` (text tables wrap to `max_width`, if given)."""
    card = Card(store, names_, iri, lang)
    if fmt == "json":
        return (json.dumps(card.record(), ensure_ascii=False, indent=1) + "\n").encode()
    if fmt == "ttl":
        return card.turtle()
    return card.text(max_width).encode()
