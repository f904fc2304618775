"""The coverage audit: what a source text says that the built graph does not hold.

`audit_file(source, root)` reads a plain-text source (UTF-8), splits it into paragraphs,
finds every figure (Arabic numbers with decimals, ranges, percentages, 万/亿 multipliers
resolved; years and dates apart) and every name (the graph's own zh labels that occur in
the text; strings in quotation marks and title marks 《》), and compares them with the
built dataset:

- a figure is *encoded* when an observation in the paragraph's own graph has that
  `jjj:value` (or `jjj:upperValue`), compared as decimals; *elsewhere* when only another
  graph has it; *waived* when the reviewed waiver file lists it; *name* when it sits inside
  a name the graph knows (and no value matches); else *unencoded*;
- a year (`2023年`) or date is encoded when a `jjj:referenceYear` / `jjj:baselineYear`, or
  another literal typed xsd:gYear / gYearMonth / date / dateTime, holds it;
- digits that are part of a code or a name by rule are not figures: joined to Latin letters
  (`A320`, `5G`, `PM25` — the extraction's PM2.5) or by `+` (`1+7`, `3+N`);
- a quoted or title-marked string that no zh label contains (compared without spaces,
  quotation marks, and with dashes and the extraction's `一` made equal) is reported as a
  possibly unencoded name.

Paragraphs: blank-line separated blocks of lines, `#` headings skipped. When the source is
an article the graph describes (its `dcterms:source` has the same file name), blocks map
to the article's paragraph graphs through `jjj:sourceLines`; otherwise they are numbered
p01, p02, ... in order and have no graph of their own.

The waiver file (default `coverage/waivers.tsv`) is tab-separated: source file name (or
`*`), paragraph id, the figure as the report writes it, and the reason.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from jjjkg.core.errors import SourceError
from jjjkg.core.project import read_text
from jjjkg.core.terms import RESOURCE, compact

if TYPE_CHECKING:
    from jjjkg.dist.store import Store

WAIVERS_FILE = Path("coverage") / "waivers.tsv"

GRAPH = RESOURCE + "graph/"
# Graphs whose literals never cover an article figure or name: the ontology's own dates
# and labels, the description of the source, the reasoner's copies, SKOS vocabularies.
NOT_DATA = {GRAPH + name for name in ("ontology", "shapes", "source", "inferred", "vocabulary")}

# -- finding figures --

MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
}
# Latin letters after digits that make a unit (the number stays a figure), not a code;
# compared case-sensitively, so `5G` stays a name.
LATIN_UNITS = {"km", "m", "cm", "mm", "kg", "t", "TEU", "GW", "MW", "kW", "kWh", "GWh", "GB", "TB"}

_NUM = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_SEP = r"[~\-–—至到]"
_YEAR = r"(?:1[89]|20)\d{2}"
_TOKEN = re.compile(
    rf"""
      (?P<plus>(?:[0-9A-Za-z]+\+)+[0-9A-Za-z]+)
    | (?P<latin>[A-Za-z]+\d[\d.]*[0-9A-Za-z]*|\d[\d.]*[A-Za-z][0-9A-Za-z]*)
    | (?P<y1>{_YEAR})年?\s*{_SEP}\s*(?P<y2>{_YEAR})年
    | (?P<year>{_YEAR})年(?:(?P<ym>\d{{1,2}})月(?:(?P<yd>\d{{1,2}})日)?)?
    | (?P<month>\d{{1,2}})月(?:(?P<day>\d{{1,2}})日)?
    | (?P<lo>{_NUM})(?P<lomult>{_MULT})?(?P<lopct>[%‰])?
      \s*(?:{_SEP}\s*(?P<hi>{_NUM})(?P<himult>{_MULT})?(?P<hipct>[%‰])?)?
    """,
    re.VERBOSE,
)
_NOT_AFTER = re.compile(r"[\dA-Za-z.]")

# Full-width digits, letters and signs as ASCII (the rest of the text stays as it is: a
# full-width comma is punctuation, not a thousands separator).
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALF.update({ord("\u3000"): " "})


def collapse(text: str) -> str:
    """The text with line-wrap spaces removed: whitespace stays only between two ASCII
    letters or digits (`LNG 2023`), full-width digits and signs made ASCII."""
    text = text.translate(_HALF)
    return re.sub(
        r"\s+",
        lambda m: " " if _ascii_alnum(text, m.start() - 1) and _ascii_alnum(text, m.end()) else "",
        text,
    )


def _ascii_alnum(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


@dataclass(frozen=True)
class Figure:
    """One figure of the text: `written` as it stands, `value` (and `upper` for a range)
    resolved. `kind`: number, percent, range, year, date or code."""

    written: str
    kind: str
    value: Decimal | None = None
    upper: Decimal | None = None
    start: int = 0
    end: int = 0
    reason: str = ""  # why a code is not a figure
    date: str = ""  # a year or date as compared: `2023`, `2023-03-05`, `--03-26` (no year)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _year_figure(written: str, year: str, month: str | None, day: str | None, start: int):
    if month is None:
        return Figure(
            written, "year", Decimal(year), start=start, end=start + len(written), date=year
        )
    key = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return Figure(written, "date", start=start, end=start + len(written), date=key)


def find_figures(text: str) -> list[Figure]:
    """Every figure, year, date and code in `text` (collapse it first), in text order."""
    found: list[Figure] = []
    for m in _TOKEN.finditer(text):
        start, end, written = m.start(), m.end(), m.group()
        if start and _NOT_AFTER.match(text[start - 1]) and not m.group("latin"):
            continue  # the tail of a token like `1.2.3`: not a figure of its own
        if m.group("plus"):
            if any(c.isdigit() for c in written):
                found.append(
                    Figure(
                        written, "code", start=start, end=end, reason="digits joined by + (a name)"
                    )
                )
            continue
        if m.group("latin"):
            unit = re.fullmatch(r"(\d+(?:\.\d+)?)([A-Za-z]+)", written)
            if unit and unit.group(2) in LATIN_UNITS:
                found.append(
                    Figure(written, "number", _decimal(unit.group(1)), start=start, end=end)
                )
            else:
                reason = (
                    "PM2.5 with its point lost (a name, not 25)"
                    if re.fullmatch(r"PM25", written, re.IGNORECASE)
                    else "digits joined to Latin letters (a name or code)"
                )
                found.append(Figure(written, "code", start=start, end=end, reason=reason))
            continue
        if m.group("y1"):
            for group in ("y1", "y2"):
                year = m.group(group)
                found.append(_year_figure(year + "年", year, None, None, m.start(group)))
            continue
        if m.group("year"):
            found.append(
                _year_figure(written, m.group("year"), m.group("ym"), m.group("yd"), start)
            )
            continue
        if m.group("month"):
            key = f"--{int(m.group('month')):02d}" + (
                f"-{int(m.group('day')):02d}" if m.group("day") else ""
            )
            found.append(Figure(written, "date", start=start, end=end, date=key))
            continue
        found.append(_number(m, written, start, end))
    return found


def _number(m: re.Match, written: str, start: int, end: int) -> Figure:
    with localcontext(prec=DIGITS):  # a long figure in a text stays exact (28 by default)
        hi_mult = MULTIPLIERS.get(m.group("himult") or "", Decimal(1))
        lo_mult = MULTIPLIERS[m.group("lomult")] if m.group("lomult") else hi_mult
        value = _decimal(m.group("lo")) * lo_mult
        if m.group("hi") is None:
            kind = "percent" if m.group("lopct") else "number"
            return Figure(written, kind, _clean(value), start=start, end=end)
        upper = _decimal(m.group("hi")) * hi_mult
        return Figure(written, "range", _clean(value), _clean(upper), start=start, end=end)


DIGITS = 200


def _clean(value: Decimal) -> Decimal:
    """27600 rather than 2.7600E+4: an integral value as an integer, else normalised."""
    with localcontext(prec=DIGITS):
        value = value.normalize()
        if value != value.to_integral_value() or value.adjusted() >= DIGITS:  # too long
            return value
        return value.quantize(Decimal(1))


def show_value(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


# -- names --

_QUOTES = re.compile(r"“([^“”]+)”|《([^《》]+)》|「([^「」]+)」|『([^『』]+)』")
_DASHES = set("—–―‐-－一")
_NOISE = set("“”\"'‘’《》「」『』〈〉")


def keyed(text: str) -> tuple[str, list[int]]:
    """`text` as names are compared (NFKC; no spaces or quotation marks; every dash, and
    the extraction's `一` standing for one, made `—`; a run of them one `—`), with the
    position in `text` of each character of the result."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        for c in unicodedata.normalize("NFKC", char):
            if c.isspace() or c in _NOISE:
                continue
            if c in _DASHES:
                if out and out[-1] == "—":
                    continue
                c = "—"
            out.append(c)
            where.append(i)
    return "".join(out), where


def name_key(text: str) -> str:
    """A label or quoted string as compared (see `keyed`)."""
    return keyed(text)[0]


def quoted_strings(text: str) -> list[str]:
    """The strings in “…”, "…" (paired in order), 《…》, 「…」 and 『…』, as written."""
    found: list[tuple[int, str]] = []
    for m in _QUOTES.finditer(text):
        found.append((m.start(), next(g for g in m.groups() if g is not None)))
    marks = [i for i, c in enumerate(text) if c == '"']
    for open_, close in zip(marks[::2], marks[1::2], strict=False):
        if close > open_ + 1:
            found.append((open_, text[open_ + 1 : close]))
    return [s.strip() for _, s in sorted(found) if s.strip()]


# -- the source text --


@dataclass
class Paragraph:
    """A paragraph of the source: its id (`p03`, or `L3` for text outside every paragraph
    of the described article), the graph that holds its claims, its lines and text."""

    id: str
    lines: list[int]
    text: str
    graph: str | None = None
    number: int | None = None
    quotes: list[str] = field(default_factory=list)


def read_source(path: Path) -> list[str]:
    """The lines of a UTF-8 text file; SourceError when missing or not UTF-8."""
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such source file", str(path))
    try:
        return path.read_bytes().decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise SourceError("not UTF-8 text", str(path), line) from None


def blocks(lines: list[str]) -> list[list[int]]:
    """Blank-line separated runs of lines (1-based numbers); `#` headings left out."""
    runs: list[list[int]] = []
    current: list[int] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            if current:
                runs.append(current)
            current = []
        else:
            current.append(number)
    if current:
        runs.append(current)
    return runs


@dataclass(frozen=True)
class ArticleParagraph:
    iri: str
    number: int
    lines: tuple[int, ...]


def paragraphs(
    lines: list[str], described: list[ArticleParagraph] | None, notes: list[str]
) -> list[Paragraph]:
    """The source's paragraphs, mapped to the article's paragraph graphs when described."""
    runs = blocks(lines)

    def text_of(run: list[int]) -> tuple[str, list[str]]:
        raw = [lines[n - 1] for n in run]
        return collapse("\n".join(raw)), [q for line in raw for q in quoted_strings(line)]

    if not described:
        found = []
        for i, run in enumerate(runs, 1):
            text, quotes = text_of(run)
            found.append(Paragraph(f"p{i:02d}", run, text, quotes=quotes))
        return found
    owner: dict[int, ArticleParagraph] = {}
    for para in described:
        for n in para.lines:
            owner.setdefault(n, para)
    members: dict[str, list[list[int]]] = {}
    loose: list[list[int]] = []
    for run in runs:
        owners = {owner[n].iri: owner[n] for n in run if n in owner}
        if not owners:
            loose.append(run)
            continue
        if len(owners) > 1:
            notes.append(f"lines {_lines(run)} belong to several paragraphs; kept with the first")
        first = min(owners.values(), key=lambda p: p.number)
        members.setdefault(first.iri, []).append(run)
    found = []
    for para in sorted(described, key=lambda p: p.number):
        runs_of = members.get(para.iri)
        if not runs_of:
            notes.append(
                f"{_local(para.iri)}: jjj:sourceLines {_lines(para.lines)} match no text here"
            )
            continue
        order = {n: i for i, n in enumerate(para.lines)}
        runs_of.sort(key=lambda run: min(order.get(n, len(order)) for n in run))
        texts, quotes = zip(*(text_of(run) for run in runs_of), strict=True)
        found.append(
            Paragraph(
                _local(para.iri),
                [n for run in runs_of for n in run],
                "".join(texts),
                para.iri,
                para.number,
                [q for qs in quotes for q in qs],
            )
        )
    for run in loose:
        text, quotes = text_of(run)
        found.append(Paragraph(f"L{run[0]}", run, text, quotes=quotes))
    return found


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _lines(numbers: Iterable[int]) -> str:
    return ",".join(str(n) for n in numbers)


# -- what the graph holds --


@dataclass(frozen=True)
class Article:
    iri: str
    source: str  # dcterms:source as written
    paragraphs: tuple[ArticleParagraph, ...]


@dataclass
class GraphFacts:
    """What the audit compares against, read once from the built dataset."""

    values: dict[Decimal, set[tuple[str, str]]] = field(default_factory=dict)
    ranges: dict[tuple[Decimal, Decimal], set[tuple[str, str]]] = field(default_factory=dict)
    dates: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # lexical -> (g, s)
    labels: dict[str, str] = field(default_factory=dict)  # name_key -> a label as written
    articles: list[Article] = field(default_factory=list)

    def add_value(self, graph: str, obs: str, value: Decimal, upper: Decimal | None = None):
        self.values.setdefault(_clean(value), set()).add((graph, obs))
        if upper is not None:
            self.values.setdefault(_clean(upper), set()).add((graph, obs))
            self.ranges.setdefault((_clean(value), _clean(upper)), set()).add((graph, obs))

    def add_label(self, label: str) -> None:
        key = name_key(label)
        if len(key) >= 2:
            self.labels.setdefault(key, label)

    def article_for(self, source: Path) -> Article | None:
        """The described article whose dcterms:source has this file's name."""
        for article in self.articles:
            if PurePosixPath(article.source.replace("\\", "/")).name == Path(source).name:
                return article
        return None


# A claim's graph is its sentence's; the audit compares paragraphs, so ?g is the paragraph.
_VALUES = """
SELECT ?g ?obs ?value ?upper WHERE {
  GRAPH ?claims { ?obs jjj:value ?value . OPTIONAL { ?obs jjj:upperValue ?upper } }
  OPTIONAL { ?claims jjj:inParagraph ?paragraph }
  BIND(COALESCE(?paragraph, ?claims) AS ?g)
}"""
_DATES = """
SELECT ?g ?s ?o WHERE {
  GRAPH ?claims { ?s ?p ?o }
  OPTIONAL { ?claims jjj:inParagraph ?paragraph }
  BIND(COALESCE(?paragraph, ?claims) AS ?g)
  FILTER (isLiteral(?o) && (?p IN (jjj:referenceYear, jjj:baselineYear)
          || datatype(?o) IN (xsd:gYear, xsd:gYearMonth, xsd:date, xsd:dateTime)))
}"""
_LABELS = """
SELECT DISTINCT ?g ?label WHERE {
  GRAPH ?g { ?s ?p ?label VALUES ?p { skos:prefLabel skos:altLabel rdfs:label } }
  FILTER (langMatches(lang(?label), "zh"))
  FILTER NOT EXISTS { ?s a jjj:Observation }
}"""
_ARTICLES = """
SELECT ?article ?source ?p ?n ?lines WHERE {
  ?article dcterms:source ?source .
  OPTIONAL { ?p jjj:inArticle ?article ; jjj:paragraphNumber ?n ; jjj:sourceLines ?lines }
}"""


def graph_facts(store: Store) -> GraphFacts:
    """Read observations, dates, zh labels and article paragraphs from the built store."""
    facts = GraphFacts()
    for row in store.query(_VALUES, inferred=False):
        g = row["g"].value
        if g in NOT_DATA:
            continue
        value, upper = _literal_decimal(row["value"]), _literal_decimal(row["upper"])
        if value is not None:
            facts.add_value(g, row["obs"].value, value, upper)
    for row in store.query(_DATES, inferred=False):
        if row["g"].value not in NOT_DATA:
            lexical = row["o"].value.strip()
            facts.dates.setdefault(lexical, set()).add((row["g"].value, row["s"].value))
    for row in store.query(_LABELS, inferred=False):
        if row["g"].value not in NOT_DATA:
            facts.add_label(row["label"].value)
    found: dict[str, tuple[str, list[ArticleParagraph]]] = {}
    for row in store.query(_ARTICLES, inferred=False):
        article = found.setdefault(row["article"].value, (row["source"].value, []))
        if row["p"] is not None:
            numbers = tuple(int(n) for n in re.findall(r"\d+", row["lines"].value))
            article[1].append(ArticleParagraph(row["p"].value, int(row["n"].value), numbers))
    facts.articles = [
        Article(iri, source, tuple(sorted(paras, key=lambda p: p.number)))
        for iri, (source, paras) in sorted(found.items())
    ]
    return facts


def _literal_decimal(term) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(term.value)
    except (InvalidOperation, ValueError):
        return None


# -- waivers --


@dataclass(frozen=True)
class Waiver:
    source: str  # a file name, or "*"
    paragraph: str  # a paragraph id, or "*"
    figure: str  # as the report writes it
    reason: str
    line: int = 0

    def covers(self, source: str, paragraph: str, figure: str) -> bool:
        return (
            self.source in ("*", source)
            and self.paragraph in ("*", paragraph)
            and self.figure == figure
        )


def read_waivers(path: Path | None) -> list[Waiver]:
    """The waiver rows of a TSV file (`#` comments and blank lines skipped)."""
    if path is None:
        return []
    path = Path(path)
    if not path.is_file():
        raise SourceError("no such waiver file", str(path))
    rows = []
    for number, line in enumerate(read_text(path, str(path)).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 4 or not all(cells):
            raise SourceError(
                "a waiver is 4 tab-separated cells: source, paragraph, figure, reason",
                str(path),
                number,
            )
        rows.append(Waiver(*cells, line=number))
    return rows


# -- the audit --


@dataclass
class FigureResult:
    figure: Figure
    status: str  # encoded, elsewhere, waived, name, unencoded; "code" for codes
    context: str = ""
    matches: list[tuple[str, str]] = field(default_factory=list)  # (graph, subject)
    note: str = ""  # the waiver's reason, the name it sits in, why a code is no figure


@dataclass
class ParagraphResult:
    paragraph: Paragraph
    figures: list[FigureResult] = field(default_factory=list)  # numbers, percents, ranges
    years: list[FigureResult] = field(default_factory=list)  # years and dates
    codes: list[FigureResult] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # labels of the graph found here
    unmatched: list[str] = field(default_factory=list)  # quoted strings no label holds


@dataclass
class Coverage:
    source: str
    article: str | None
    paragraphs: list[ParagraphResult]
    unused_waivers: list[Waiver]
    notes: list[str]

    def count(self, part: str, status: str | None = None) -> int:
        return sum(
            1
            for p in self.paragraphs
            for r in getattr(p, part)
            if status is None or r.status == status
        )

    @property
    def failures(self) -> int:
        """Figures and years neither encoded nor waived (nor inside a known name)."""
        return self.count("figures", "unencoded") + self.count("years", "unencoded")

    def summary(self) -> str:
        def part(name: str, noun: str) -> str:
            total = self.count(name)
            bits = [f"{self.count(name, 'encoded')} encoded"]
            for status, label in (
                ("elsewhere", "in another paragraph"),
                ("name", "inside names"),
                ("waived", "waived"),
            ):
                if self.count(name, status):
                    bits.append(f"{self.count(name, status)} {label}")
            bits.append(f"{self.count(name, 'unencoded')} unencoded")
            return f"{total} {noun}{'s' * (total != 1)} ({', '.join(bits)})"

        names = sum(len(p.names) for p in self.paragraphs)
        quoted = sum(len(p.unmatched) for p in self.paragraphs)
        text = (
            f"{len(self.paragraphs)} paragraphs: {part('figures', 'figure')}; "
            f"{part('years', 'year')}; {self.count('codes')} codes skipped; "
            f"{names} names known, {quoted} quoted not in the graph"
        )
        if self.unused_waivers:
            n = len(self.unused_waivers)
            text += f"; {n} unused waiver{'s' * (n != 1)}"
        return text


def audit(
    source_name: str,
    lines: list[str],
    facts: GraphFacts,
    waivers: Sequence[Waiver] = (),
    article: Article | None = None,
) -> Coverage:
    """Compare the text's figures and names with the graph's facts, paragraph by paragraph."""
    notes: list[str] = []
    found = paragraphs(lines, list(article.paragraphs) if article else None, notes)
    used: set[Waiver] = set()
    results = []
    for para in found:
        result = ParagraphResult(para)
        known = _known_names(para.text, facts)
        result.names = sorted({label for _, _, label in known})
        for figure in find_figures(para.text):
            if figure.kind == "code":
                result.codes.append(FigureResult(figure, "code", note=figure.reason))
                continue
            matches = _matches(figure, facts)
            item = FigureResult(figure, "", _context(para.text, figure), sorted(matches))
            waiver = next(
                (w for w in waivers if w.covers(source_name, para.id, figure.written)), None
            )
            inside = next(
                (
                    label
                    for s, e, label in known
                    if s <= figure.start and figure.end <= e and figure.written in label
                ),
                None,
            )
            here = [m for m in item.matches if para.graph is None or m[0] == para.graph]
            if here:
                item.status, item.matches = "encoded", here
            elif matches:
                item.status = "elsewhere"
            elif waiver is not None:
                item.status, item.note = "waived", waiver.reason
                used.add(waiver)
            elif inside is not None:
                item.status, item.note = "name", inside
            else:
                item.status = "unencoded"
            (result.years if figure.kind in ("year", "date") else result.figures).append(item)
        keys = set(facts.labels)
        for quote in dict.fromkeys(para.quotes):
            key = name_key(quote)
            if key and not any(key in label for label in keys):
                result.unmatched.append(collapse(quote))
        results.append(result)
    unused = [w for w in waivers if w not in used and w.source in ("*", source_name)]
    return Coverage(source_name, article.iri if article else None, results, unused, notes)


def _matches(figure: Figure, facts: GraphFacts) -> set[tuple[str, str]]:
    if figure.kind == "range":
        return set(facts.ranges.get((figure.value, figure.upper), ()))
    if figure.kind in ("year", "date"):
        hits: set[tuple[str, str]] = set()
        for lexical, where in facts.dates.items():
            if _same_date(figure.date, lexical):
                hits |= where
        return hits
    return set(facts.values.get(figure.value, ()))


def _same_date(key: str, lexical: str) -> bool:
    """Whether a literal (`2023`, `2023-03`, `2023-03-05`, `2023-03-05T10:00:00`) holds the
    year or date `key` (`2023`, `2023-03`, `2023-03-05`, or `--03-05` with no year)."""
    if key.startswith("--"):
        key, lexical = key[2:], lexical[5:] if lexical[4:5] == "-" else ""
    return lexical == key or lexical.startswith(key + "-") or lexical.startswith(key + "T")


def _known_names(text: str, facts: GraphFacts) -> list[tuple[int, int, str]]:
    """(start, end, label) of each zh label of the graph found in `text`."""
    key, where = keyed(text)
    found = []
    for label_key, label in facts.labels.items():
        start = key.find(label_key)
        while start >= 0:
            found.append((where[start], where[start + len(label_key) - 1] + 1, label))
            start = key.find(label_key, start + 1)
    return found


def _context(text: str, figure: Figure, width: int = 12) -> str:
    before = text[max(0, figure.start - width) : figure.start]
    after = text[figure.end : figure.end + width]
    return f"{'…' if figure.start > width else ''}{before}{figure.written}{after}" + (
        "…" if figure.end + width < len(text) else ""
    )


def audit_file(
    source: Path, root: Path, dist: Path | None = None, waivers: Path | None = None
) -> Coverage:
    """Audit a source text against the built dataset of `root` (built first if stale).

    `waivers`: the waiver file; by default `ROOT/coverage/waivers.tsv` when it exists.
    """
    from jjjkg.dist import ensure_built
    from jjjkg.dist.store import open_store

    lines = read_source(source)
    if waivers is None and (Path(root) / WAIVERS_FILE).is_file():
        waivers = Path(root) / WAIVERS_FILE
    rows = read_waivers(waivers)
    facts = graph_facts(open_store(ensure_built(root, dist)))
    return audit(Path(source).name, lines, facts, rows, facts.article_for(source))


# -- reports --


def _where(item: FigureResult) -> str:
    graphs = sorted({g for g, _ in item.matches})
    return ", ".join(_local(g) if "/article/" in g else compact(g) for g in graphs)


def _shown(figure: Figure) -> str:
    if figure.kind == "range":
        resolved = f"{show_value(figure.value)}~{show_value(figure.upper)}"
    elif figure.kind in ("year", "date"):
        return figure.written
    else:
        resolved = show_value(figure.value)
    written = figure.written.rstrip("%‰")
    return (
        figure.written
        if written.replace(",", "") == resolved
        else (f"{figure.written} = {resolved}")
    )


def render_text(report: Coverage, show_all: bool = False) -> str:
    """The report as text: one line per paragraph, then what needs a look, then a summary."""
    out = [
        f"Coverage of {report.source}"
        + (f" against {compact(report.article)}" if report.article else "")
    ]
    for p in report.paragraphs:
        para = p.paragraph
        where = f"line{'s' * (len(para.lines) != 1)} {_lines(para.lines)}"
        counts = [f"{len(p.figures)} figure{'s' * (len(p.figures) != 1)}"]
        if p.years:
            counts.append(f"{len(p.years)} year{'s' * (len(p.years) != 1)}")
        counts.append(f"{len(p.names)} names known")
        if p.unmatched:
            counts.append(f"{len(p.unmatched)} quoted not in the graph")
        flag = " UNENCODED" if any(r.status == "unencoded" for r in p.figures + p.years) else ""
        out.append(f"{para.id}  {where}: {', '.join(counts)}{flag}")
        for item in p.figures + p.years:
            if item.status == "encoded" and not show_all:
                continue
            detail = {
                "encoded": ", ".join(compact(s) for _, s in item.matches),
                "elsewhere": f"in {_where(item)}",
                "waived": item.note,
                "name": f"inside {item.note}",
                "unencoded": item.context,
            }[item.status]
            out.append(f"  {item.status:<10} {_shown(item.figure)}  {detail}".rstrip())
        if p.codes:
            codes: dict[str, int] = {}
            for item in p.codes:
                codes[item.figure.written] = codes.get(item.figure.written, 0) + 1
            listed = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in codes.items())
            out.append(f"  {'codes':<10} {listed}")
        if p.unmatched:
            out.append(f"  {'quoted':<10} " + " ".join(f"“{q}”" for q in p.unmatched))
    for note in report.notes:
        out.append(f"note: {note}")
    for waiver in report.unused_waivers:
        out.append(
            f"unused waiver (line {waiver.line}): {waiver.paragraph} {waiver.figure} "
            "is encoded or not in the text"
        )
    out.append(report.summary())
    return "\n".join(out) + "\n"


def as_dict(report: Coverage) -> dict:
    """The whole report as JSON-ready data (every figure, encoded or not)."""

    def figure(item: FigureResult) -> dict:
        f = item.figure
        data = {"written": f.written, "kind": f.kind, "status": item.status}
        if f.kind in ("year", "date"):
            data["date"] = f.date
        else:
            data["value"] = show_value(f.value)
            if f.upper is not None:
                data["upper"] = show_value(f.upper)
        if item.context:
            data["context"] = item.context
        if item.matches:
            data["encodedIn"] = [{"graph": g, "subject": s} for g, s in item.matches]
        if item.note:
            data["note"] = item.note
        return data

    return {
        "source": report.source,
        "article": report.article,
        "paragraphs": [
            {
                "id": p.paragraph.id,
                "graph": p.paragraph.graph,
                "lines": p.paragraph.lines,
                "figures": [figure(i) for i in p.figures],
                "years": [figure(i) for i in p.years],
                "codes": [{"written": i.figure.written, "note": i.note} for i in p.codes],
                "names": p.names,
                "quotedNotInGraph": p.unmatched,
            }
            for p in report.paragraphs
        ],
        "unusedWaivers": [
            {"line": w.line, "source": w.source, "paragraph": w.paragraph, "figure": w.figure}
            for w in report.unused_waivers
        ],
        "notes": report.notes,
        "summary": {
            "paragraphs": len(report.paragraphs),
            **{
                f"{part}{status.title() if status else ''}": report.count(part, status)
                for part in ("figures", "years")
                for status in (None, "encoded", "elsewhere", "name", "waived", "unencoded")
            },
            "codes": report.count("codes"),
            "namesKnown": sum(len(p.names) for p in report.paragraphs),
            "quotedNotInGraph": sum(len(p.unmatched) for p in report.paragraphs),
            "failures": report.failures,
        },
    }


def render_json(report: Coverage) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"
