"""Asking by name, whole answers, citations, path provenance (issue 12), through CliRunner
with exact output, on a small project in the sentence shape (`sentence_fixture`) and on
the real repository."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import sentence_fixture as sf
from click.testing import CliRunner
from conftest import REPO

from jjjkg.cli import cli
from jjjkg.core.errors import AmbiguousEntity, UnknownEntity
from jjjkg.dist.store import open_store
from jjjkg.readers import query as queries
from jjjkg.readers.resolve import names_from_store

R = "https://w3id.org/jjjkg/resource/"
PORT = R + "infra/port"
ART = R + "article/tianjin-jjj-decade/"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The sentence-shape project, built once (read-only for tests)."""
    from jjjkg.pipeline.build import build

    root = sf.write_project(tmp_path_factory.mktemp("sentences") / "project")
    build(root)
    return root


@pytest.fixture(scope="module")
def names(project):
    return names_from_store(open_store(project / "dist"))


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--root", str(project)], catch_exceptions=False)


# -- the resolver --


@pytest.mark.parametrize(
    "name",
    [
        "天津港",
        "Port of Tianjin",
        "port of tianjin",
        "TIANJIN PORT",  # an alternative name, case-insensitive
        "infra/port",
        "port",
        "jinfra:port",
        f"<{PORT}>",
        PORT,
        " 天津港 ",
    ],
)
def test_resolver_takes_names_slugs_prefixed_names_and_iris(names, name):
    assert names.resolve(name) == PORT


def test_resolver_ambiguous_names_list_the_candidates(names):
    with pytest.raises(AmbiguousEntity) as caught:
        names.resolve("津港")
    assert str(caught.value) == (
        "ambiguous entity '津港': jinfra:port (天津港), jorg:port-group (天津港集团)"
    )
    assert caught.value.exit_code == 2


def test_resolver_refuses_an_iri_not_in_the_graph(names):
    with pytest.raises(UnknownEntity, match=r"^unknown entity 'jfac:port'; did you mean: "):
        names.resolve("jfac:port")
    with pytest.raises(UnknownEntity, match=r"^unknown entity '<https://example.org/x>'"):
        names.resolve("<https://example.org/x>")


def test_resolver_numbers_sections_and_paragraphs(names):
    assert names.resolve("1", "section") == ART + "s1"
    assert names.resolve("s1", "section") == ART + "s1"
    assert names.resolve("2", "paragraph") == ART + "p02"
    assert names.resolve("p02", "paragraph") == ART + "p02"


def test_param_kind_lets_a_section_be_given_by_number(names):
    text = "#+ param: section jart:s9 section\nSELECT ?section WHERE { ?p jjj:inSection ?section }"
    query = queries.from_text(text, None, "-e")
    assert query.kinds == {"section": "section"} and query.params == {"section": "jart:s9"}
    assert queries.bindings(query, ["section=1"], lambda: names) == {
        "section": ox.NamedNode(ART + "s1")
    }


def test_bind_resolves_names_and_keeps_quoted_values_literal(project):
    by_name = run(project, "query", "claims-of", "--bind", "entity=中海油")
    assert by_name.exit_code == 0
    assert by_name.output == (
        "entity  link            other   value\n"
        "------  --------------  ------  -----\n"
        "中海油  skos:prefLabel  CNOOC\n"
        "中海油  skos:prefLabel  中海油\n"
        "中海油  布局于          天津\n"
        "3 rows\n"
    )
    quoted = run(project, "query", "claims-of", "--bind", 'entity="中海油"')
    assert quoted.output.endswith("0 rows\n")


@pytest.mark.parametrize(
    "value, message",
    [
        ("津港", "ambiguous entity '津港': jinfra:port (天津港), jorg:port-group (天津港集团)"),
        ("中海由", "unknown entity '中海由'; did you mean: 中海油?"),
    ],
)
def test_bind_errors_are_one_line_exit_2(project, value, message):
    result = run(project, "query", "claims-of", "--bind", f"entity={value}")
    assert result.exit_code == 2
    assert result.output == f"Error: --bind entity: {message}\n"


def test_bind_given_twice_is_an_error(project):
    result = run(
        project, "query", "claims-of", "--bind", "entity=中海油", "--bind", "entity=天津港"
    )
    assert result.exit_code == 2
    assert result.output == "Error: --bind entity given twice ('中海油' and '天津港')\n"


def test_library_query_resolves_names_as_bind_does(project):
    import jjjkg

    by_name = jjjkg.query("claims-of", root=project, entity="中海油")
    assert by_name == jjjkg.query("claims-of", root=project, entity="jorg:cnooc")
    assert {row["other"] for row in by_name} >= {"jplace:tianjin"}
    with pytest.raises(UnknownEntity, match="did you mean: 中海油"):
        jjjkg.query("claims-of", root=project, entity="中海由")


def test_viz_bind_without_query_is_an_error(project):
    result = run(project, "viz", "--bind", "entity=天津港")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --bind sets a variable of --query; give --query NAME|FILE\n"
    )


# -- find and show --


def test_find(project):
    result = run(project, "find", "津港")
    assert result.exit_code == 0
    assert result.output == (
        "entity           class     zh                  en                                     "
        "paragraphs\n"
        "---------------  --------  ------------------  -------------------------------------  "
        "----------\n"
        "jinfra:port      港口      天津港              Port of Tianjin                        1\n"
        "jorg:port-group  企业      天津港集团          Tianjin Port Group                     1\n"
        "jobs:port-teu    数据观测  天津港集装箱吞吐量  Port of Tianjin: container throughput  1\n"
        "3 entities\n"
    )
    assert run(project, "find", "nothing-like-it").output == (
        "Error: no entity name contains 'nothing-like-it'\n"
    )


def test_show_text_has_claims_sentences_figures_and_background(project):
    result = run(project, "show", "天津港")
    assert result.exit_code == 0
    assert result.output == (
        "天津港  jinfra:port\n"
        "  class  港口 (jjj:Port)\n"
        "  zh     天津港\n"
        "  en     Port of Tianjin\n"
        "  also   Tianjin Port; 津港\n"
        "\n"
        "Claims (3)\n"
        "   link      other         paragraph    sentence\n"
        "-  --------  ------------  -----------  "
        "------------------------------------------------------\n"
        "→  服务      河北雄安新区  第1段：港口  天津港服务雄安新区。\n"
        "→  运营单位  天津港集团    第1段：港口  "
        "天津港由天津港集团运营，集装箱吞吐量突破2200万标准箱。\n"
        "→  是        港口          目录\n"
        "\n"
        "Figures (1)\n"
        "figure              value       unit    year  qualifiers  stated as                     "
        "paragraph\n"
        "------------------  ----------  ------  ----  ----------  ----------------------------  "
        "-----------\n"
        "天津港集装箱吞吐量  22,000,000  标准箱  2023  超过        集装箱吞吐量突破2200万标准箱  "
        "第1段：港口\n"
    )


def test_show_marks_background_in_english(project):
    result = run(project, "show", "Xiong'an New Area", "--lang", "en")
    assert result.output.splitlines()[6:] == [
        "Claims (3)",
        "   link        other                 paragraph              sentence",
        "-  ----------  --------------------  ---------------------  --------------------",
        "←  serves      Port of Tianjin       Paragraph 1: The port  天津港服务雄安新区。",
        "→  located in  Hebei                 background",
        "→  is a        state-level new area  catalogue",
    ]


def test_show_json(project):
    result = run(project, "show", "天津港", "--format", "json", "--lang", "en")
    card = json.loads(result.output)
    assert card["name"] == "jinfra:port" and card["alt"] == ["Tianjin Port", "津港"]
    assert [
        (c["direction"], c["propertyLabel"], c["otherLabel"], c["paragraph"], c["sentence"])
        for c in card["claims"]
    ] == [
        ("out", "serves", "Xiong'an New Area", 1, "天津港服务雄安新区。"),
        (
            "out",
            "operated by",
            "Tianjin Port Group",
            1,
            "天津港由天津港集团运营，集装箱吞吐量突破2200万标准箱。",
        ),
        ("out", "is a", "port", None, None),
    ]
    assert card["claims"][2]["background"] is True
    assert card["figures"] == [
        {
            "iri": R + "obs/port-teu",
            "label": "Port of Tianjin: container throughput",
            "value": 22000000,
            "unit": R + "unit/teu",
            "year": "2023",
            "statedAs": "集装箱吞吐量突破2200万标准箱",
            "unitLabel": "TEU",
            "qualifiers": [R + "qualifier/more-than"],
            "qualifierLabels": ["more than"],
            "paragraph": "Paragraph 1: The port",
        }
    ]


def test_show_ttl(project):
    result = run(project, "show", "中海油", "--format", "ttl")
    assert result.output.endswith(
        "jorg:cnooc a jjj:Enterprise ;\n"
        '\tskos:prefLabel "CNOOC"@en , "中海油"@zh ;\n'
        "\tjjj:setUpUnitIn jplace:tianjin .\n"
    )
    assert len(list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE))) == 4


# -- cite --


def test_cite_text_quotes_the_sentence(project):
    result = run(project, "cite", "天津港")
    assert result.exit_code == 0
    assert result.output == (
        "天津港 —服务→ 河北雄安新区：“天津港服务雄安新区。”——朱波《测试文章》，第1节，第1段，"
        "原文第3行\n"
        "天津港 —运营单位→ 天津港集团：“天津港由天津港集团运营，集装箱吞吐量突破2200万标准箱。”"
        "——朱波《测试文章》，第1节，第1段，原文第3–5行\n"
        "天津港集装箱吞吐量 —观测对象→ 天津港：“天津港由天津港集团运营，集装箱吞吐量突破2200万"
        "标准箱。”——朱波《测试文章》，第1节，第1段，原文第3–5行\n"
    )


def test_cite_says_when_it_quotes_the_paragraph_evidence(project):
    result = run(project, "cite", "CNOOC", "--lang", "en")
    assert result.output == (
        "CNOOC —set up a unit in→ Tianjin: “中海油在津布局” (paragraph evidence, not the "
        "sentence: the data has no sentence text) — 朱波, 《测试文章》, section 1, "
        "paragraph 2, source line 7\n"
    )


def test_cite_json(project):
    result = run(project, "cite", "中海油", "--format", "json")
    assert json.loads(result.output) == [
        {
            "claim": "中海油 —布局于→ 天津",
            "subject": R + "org/cnooc",
            "predicate": "https://w3id.org/jjjkg/ontology#setUpUnitIn",
            "object": R + "place/tianjin",
            "quote": "中海油在津布局",
            "quoteFrom": "paragraph evidence",
            "paragraph": 2,
            "paragraphIri": ART + "p02",
            "section": 1,
            "sectionTitle": "港口与交通",
            "lines": "7",
            "graph": ART + "p02",
            "title": "测试文章",
            "author": "朱波",
        }
    ]


def test_cite_bibtex_gives_the_article_with_the_paragraph_and_no_invented_fields(project):
    result = run(project, "cite", "天津港", "--format", "bibtex")
    assert result.output == (
        "@article{tianjin-jjj-decade-p01,\n"
        "  author = {朱波},\n"
        "  title = {测试文章},\n"
        "  note = {section 1, paragraph 1, source lines 3,5},\n"
        "}\n"
    )
    assert "year" not in result.output and "journal" not in result.output


def test_cite_csl_json(project):
    result = run(project, "cite", "天津港", "--format", "csl-json")
    assert json.loads(result.output) == [
        {
            "id": "tianjin-jjj-decade-p01",
            "type": "article-newspaper",
            "title": "测试文章",
            "author": [{"literal": "朱波"}],
            "locator": "1",
            "label": "paragraph",
            "note": "section 1, paragraph 1, source lines 3,5",
        }
    ]


def test_cite_an_entity_with_background_facts_only(project):
    result = run(project, "cite", "河北省")
    assert result.exit_code == 2
    assert result.output == "Error: the article states no claim about jplace:hebei\n"


# -- whole, labelled answers --


def test_labelled_csv_puts_a_name_beside_each_iri_column(project):
    args = ["claims-of", "--bind", "entity=中海油", "--format", "csv", "--lang", "en"]
    result = run(project, "query", *args)
    assert result.stdout_bytes.decode() == (
        "entity,entityLabel,link,linkLabel,other,otherLabel,value\r\n"
        f"{R}org/cnooc,CNOOC,http://www.w3.org/2004/02/skos/core#prefLabel,skos:prefLabel,"
        "CNOOC,,\r\n"
        f"{R}org/cnooc,CNOOC,http://www.w3.org/2004/02/skos/core#prefLabel,skos:prefLabel,"
        "中海油,,\r\n"
        f"{R}org/cnooc,CNOOC,https://w3id.org/jjjkg/ontology#setUpUnitIn,set up a unit in,"
        f"{R}place/tianjin,Tianjin,\r\n"
    )


def test_plain_csv_stays_w3c_sparql_csv(project):
    result = run(project, "query", "claims-of", "--bind", "entity=中海油", "--format", "csv")
    assert result.output.splitlines() == [
        "entity,link,other,value",
        f"{R}org/cnooc,http://www.w3.org/2004/02/skos/core#prefLabel,CNOOC,",
        f"{R}org/cnooc,http://www.w3.org/2004/02/skos/core#prefLabel,中海油,",
        f"{R}org/cnooc,https://w3id.org/jjjkg/ontology#setUpUnitIn,{R}place/tianjin,",
    ]


def test_labelled_json_and_tsv(project):
    args = ["query", "-e", "SELECT ?o ?v WHERE { ?o jjj:value ?v }"]
    assert json.loads(run(project, *args, "--format", "json", "--lang", "zh").output) == [
        {"o": R + "obs/port-teu", "oLabel": "天津港集装箱吞吐量", "v": 22000000}
    ]
    assert run(project, *args, "--format", "tsv", "--lang", "en").stdout_bytes.decode() == (
        f"o\toLabel\tv\r\n{R}obs/port-teu\tPort of Tianjin: container throughput\t22000000\r\n"
    )


SENTENCES = "SELECT ?s ?text WHERE { ?s jjj:text ?text } ORDER BY ?s"


def test_a_piped_table_never_cuts_a_cell(project):
    result = run(project, "query", "-e", SENTENCES)
    assert result.output == (
        "s            text\n"
        "-----------  ------------------------------------------------------\n"
        "jart:p01-s1  天津港服务雄安新区。\n"
        "jart:p01-s2  天津港由天津港集团运营，集装箱吞吐量突破2200万标准箱。\n"
        "2 rows\n"
    )


def test_max_width_wraps_cells(project):
    result = run(project, "query", "-e", SENTENCES, "--max-width", "40")
    assert result.output == (
        "s            text\n"
        "-----------  ---------------------------\n"
        "jart:p01-s1  天津港服务雄安新区。\n"
        "jart:p01-s2  天津港由天津港集团运营，集\n"
        "             装箱吞吐量突破2200万标准\n"
        "             箱。\n"
        "2 rows\n"
    )


def test_wrap_breaks_latin_text_at_spaces():
    from jjjkg.readers.render import wrap

    assert wrap("Port of Tianjin: container throughput", 16) == [
        "Port of Tianjin:",
        "container",
        "throughput",
    ]


def test_dataframe_has_name_columns_and_numbers_as_numbers(project):
    import jjjkg

    frame = jjjkg.dataframe("claims-of", lang="en", root=project, entity="中海油")
    assert list(frame.columns) == [
        "entity", "entityLabel", "link", "linkLabel", "other", "otherLabel", "value"
    ]  # fmt: skip
    assert frame["otherLabel"].isna().tolist() == [True, True, False]  # literals have no name
    assert frame["otherLabel"].iloc[2] == "Tianjin"
    figures = jjjkg.dataframe("SELECT ?o ?v WHERE { ?o jjj:value ?v }", root=project)
    assert figures["v"].dtype.kind == "i" and figures["v"].tolist() == [22000000]
    assert figures["o"].tolist() == [R + "obs/port-teu"]


# -- path provenance --


def test_path_marks_each_steps_paragraph_and_background(project):
    result = run(project, "path", "雄安", "中海油")
    assert result.exit_code == 0
    assert result.output == (
        "河北雄安新区 → 中海油: 1 shortest path of 4 steps\n"
        "\n"
        "1. 河北雄安新区\n"
        "   ←服务— 天津港  [第1段]\n"
        "   —运营单位→ 天津港集团  [第1段]\n"
        "   —位于→ 天津  [背景]\n"
        "   ←布局于— 中海油  [第2段]\n"
    )
    english = run(project, "path", "雄安", "中海油", "--lang", "en").output
    assert "   —located in→ Tianjin  [background]\n" in english
    assert "   ←serves— Port of Tianjin  [paragraph 1]\n" in english


def test_path_article_only_walks_no_background_link(project):
    result = run(project, "path", "雄安", "中海油", "--article-only")
    assert result.exit_code == 1
    assert result.output == "No path: 河北雄安新区 → 中海油\n"


# -- help --


def test_command_list_shows_whole_summaries():
    listing = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    for name, command in cli.commands.items():
        summary = " ".join(command.help.split("\n\n", 1)[0].split())
        assert summary in listing, name


def test_query_and_rank_help_say_what_they_take():
    query_help = " ".join(CliRunner().invoke(cli, ["query", "--help"]).output.split())
    assert "CONSTRUCT: ttl, nt, table" in query_help and "jjjkg queries" in query_help
    rank_help = " ".join(CliRunner().invoke(cli, ["rank", "--help"]).output.split())
    assert "jjj:Name, Name, or the class's zh or en label" in rank_help


# -- the real repository --


def test_real_bind_by_name_and_section_number(built_dist):
    store = open_store(built_dist)
    names = names_from_store(store)
    entity_claims = queries.find_query(REPO, "entity-claims")
    values = queries.bindings(entity_claims, ["entity=天津港"], lambda: names)
    assert values == {"entity": ox.NamedNode(R + "infra/tianjin-port")}
    theme = queries.find_query(REPO, "theme-figures")
    values = queries.bindings(theme, ["section=4"], lambda: names)
    assert values == {"section": ox.NamedNode(ART + "s4")}
    with pytest.raises(UnknownEntity, match="did you mean: jinfra:tianjin-port"):
        queries.bindings(entity_claims, ["entity=jfac:tianjin-port"], lambda: names)


def test_real_names_match_in_full_width_or_ascii(built_dist):
    """天津港（集团）有限公司 is written with full-width brackets; ASCII ones find it too."""
    names = names_from_store(open_store(built_dist))
    group = R + "org/tianjin-port-group"
    for typed in ("天津港（集团）有限公司", "天津港(集团)有限公司", "天津港（集团)有限公司"):
        assert names.resolve(typed) == group
    found = CliRunner().invoke(
        cli, ["find", "港(集团", "--root", str(REPO), "--dist", str(built_dist)]
    )
    assert found.exit_code == 0 and "jorg:tianjin-port-group" in found.output


def test_real_names_file_holds_what_the_store_says(built_dist):
    """dist/names.tsv is the build's fold of the asserted name and type triples: the same
    candidates as folding the readers' asserted view (jjjkg.ttl)."""
    from jjjkg.core.names import NAMES_QUERY, fold

    from_file = names_from_store(open_store(built_dist)).by_iri
    assert len(from_file) > 800
    asserted = fold(open_store(built_dist).query(NAMES_QUERY, inferred=False))
    assert {c.iri: c for c in asserted} == from_file
    assert from_file[R + "org/cnooc"].zh == "中海油"
    assert "中国海洋石油集团有限公司" in from_file[R + "org/cnooc"].alt


def test_real_names_index_is_searched_as_the_names_would_be_matched(built_dist):
    """The index file answers every key, IRI and substring search as the same names held in
    memory do: the binary search misses no line and finds no other."""
    from jjjkg.core.names import keys
    from jjjkg.readers.resolve import Names

    on_disk = names_from_store(open_store(built_dist))
    in_memory = Names(list(names_from_store(open_store(built_dist)).by_iri.values()))
    every = list(in_memory.by_iri.values())
    for c in every:
        assert on_disk.get(c.iri) == c
        for tier, key in keys(c):
            assert [x.iri for x in on_disk.under(tier, key)] == [
                x.iri for x in in_memory.under(tier, key)
            ]
    assert on_disk.get(R + "org/no-such-thing") is None
    assert on_disk.under("name", "no such name") == []
    for text in ("天津", "港", "cnooc", "tianjin-port", "(", "%", "zz-none"):
        assert [(c.iri, exact) for c, exact in on_disk.containing(text)] == [
            (c.iri, exact) for c, exact in in_memory.containing(text)
        ]
    assert [c.iri for c, _ in on_disk.containing("中海油")][:1] == [R + "org/cnooc"]


def test_real_cite_names_the_author_from_the_data(built_dist):
    from jjjkg.readers.cite import cite

    store = open_store(built_dist)
    lines = cite(store, R + "org/cnooc", "text", "en").splitlines()
    assert lines and all("朱波, 《握紧“方向盘” 跑好“接力赛”》" in line for line in lines)
    assert any("paragraph 2" in line for line in lines)
