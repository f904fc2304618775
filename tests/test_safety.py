"""Issue 11 at the unit level: the SERVICE test, terminal escapes, the output folder's guard,
leftovers and swap, a full disk, an internal error, the canvas cap."""

from __future__ import annotations

import errno
import os
import re
import signal
import time

import pytest
from click.testing import CliRunner
from conftest import write_project

from jjjkg.cli import cli
from jjjkg.core.service import uses_service
from jjjkg.core.terminal import escape_controls
from jjjkg.pipeline import distdir


@pytest.mark.parametrize(
    "text, found",
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * { SeRvIcE ?endpoint { ?s ?p ?o } }", True),
        ("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * {\n# SERVICE <http://x/>\n?s ?p ?o }", False),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', False),
        ("SELECT * { ?s ?p '''a\nSERVICE <http://x/>''' }", False),
        ("SELECT ?service { ?s ex:service $service }", False),
        ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", False),
        ("SELECT * { <http://x/SERVICE> ?p ?o }", False),
    ],
)
def test_service_is_found_as_the_grammar_reads_it(text, found):
    assert uses_service(text) is found


def test_control_characters_are_escaped_for_the_terminal():
    text = "a\x1b]0;title\x07b\x1b[2J\u202ec\x9b\td\r\n"
    assert escape_controls(text) == "a\\x1b]0;title\\x07b\\x1b[2J\\u202ec\\x9b\td\r\n"


def test_default_dist_of_older_jjjkg_is_replaced_but_not_as_dist_option(project):
    """A dist/ without the marker (older jjjkg) is the project's own; another is not ours."""
    import shutil

    from jjjkg.pipeline.build import build

    build(project)
    (project / "dist" / distdir.MARKER).unlink()
    shutil.copytree(project / "dist", project / "old-out")
    result = CliRunner().invoke(
        cli, ["build", "--root", str(project), "--dist", str(project / "old-out")]
    )
    assert result.exit_code == 2
    assert "old-out: refused, not a folder jjjkg built" in result.output
    assert not build(project, force=True).up_to_date
    assert (project / "dist" / distdir.MARKER).is_file()


def test_leftovers_of_dead_builds_are_removed_and_nothing_else(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    names = [".dist-123-ab_cd12x.tmp", ".dist-abcd1234.tmp", ".dist-1-99-x.tmp", ".dist-oxigraph"]
    for name in [*names, ".dist-old-77"]:
        (tmp_path / name).mkdir()
    distdir.remove_leftovers(dist)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".dist-1-99-x.tmp", ".dist-oxigraph", "dist"]


def test_a_stranded_old_dist_is_put_back(tmp_path):
    """A two-rename swap killed between its renames left no dist/: the next build restores it."""
    (tmp_path / ".dist-old-42").mkdir()
    (tmp_path / ".dist-old-42" / "manifest.json").write_text("{}")
    distdir.remove_leftovers(tmp_path / "dist")
    assert (tmp_path / "dist" / "manifest.json").read_text() == "{}"


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_puts_the_new_build_in_place(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(distdir, "_exchange", lambda a, b: False)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "old").write_text("old")
    new = distdir.make_temporary(dist)
    (new / "new").write_text("new")
    distdir.swap_in(new, dist)
    assert sorted(p.name for p in dist.iterdir()) == [distdir.MARKER, "new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_renameat2_exchange_is_used_here(tmp_path):
    """On this system the swap is the atomic exchange, not the two-rename fallback."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    assert distdir._exchange(a, b)
    assert (b / "x").read_text() == "a" and not (a / "x").exists()


def test_full_disk_is_one_line_and_leaves_the_old_dist(project, monkeypatch):
    """One line, the old dist/ kept, no temporary folder left."""
    from jjjkg.core import rdfio
    from jjjkg.pipeline.build import build

    build(project)
    before = (project / "dist" / "manifest.json").read_bytes()
    target = str(project / "dist" / "jjjkg.nq")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)

    monkeypatch.setattr(rdfio, "write_dataset", full)
    result = CliRunner().invoke(cli, ["build", "--root", str(project), "--force"])
    assert result.exit_code == 2
    assert (
        result.output == f"Error: {target}: No space left on device (the build was not written)\n"
    )
    assert (project / "dist" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == ["dist", "graph", "ontology", "queries"]


def test_a_store_that_cannot_be_written_is_one_line_and_leaves_the_old_dist(project, monkeypatch):
    """The store loads in a child process: its OSError (here: a file where the store's
    folder goes) reaches the build as one line, exit 2, the old dist/ kept, nothing left."""
    from jjjkg.core import rdfio
    from jjjkg.pipeline.build import build

    build(project)
    before = (project / "dist" / "manifest.json").read_bytes()
    real = rdfio.write_dataset

    def write_dataset(*args, nq_written, **kwargs):
        def start() -> None:
            (args[2] / "store").write_text("")
            nq_written()

        return real(*args, nq_written=start, **kwargs)

    monkeypatch.setattr(rdfio, "write_dataset", write_dataset)
    result = CliRunner().invoke(cli, ["build", "--root", str(project), "--force"])
    assert result.exit_code == 2
    assert re.fullmatch(
        r"Error: \S+: IO error: .*store.* is not a directory \(the build was not written\)\n",
        result.output,
    ), result.output
    assert (project / "dist" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == ["dist", "graph", "ontology", "queries"]


def test_a_store_load_is_stopped_at_once(tmp_path):
    """A bulk load cannot be stopped, so it runs in a child that `cancel` kills: Ctrl-C ends
    the build now, not when the load would."""
    from jjjkg.core.project import NQ
    from jjjkg.pipeline.persist import STORE_INPUT, Loading

    lines = "".join(
        f'<http://e/{i}> <http://e/p> "{i}" <http://e/g{i % 97}> .\n' for i in range(4 * 10**5)
    )
    (tmp_path / NQ).write_text(lines, encoding="ascii")
    (tmp_path / STORE_INPUT).write_text("", encoding="ascii")
    notes: list[str] = []
    loading = Loading(tmp_path, notes.append)
    loading.start()
    while not notes and loading.process.poll() is None:  # until the child is loading
        time.sleep(0.01)
    loading.cancel()
    assert loading.process.returncode == -signal.SIGKILL  # killed, not finished
    assert notes == ["store: 1/2 bulk-loading the named graphs"]


def test_an_unexpected_exception_is_an_internal_error_with_exit_3(built_project, monkeypatch):
    from jjjkg.readers import stats

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(stats, "compute_stats", broken)
    result = CliRunner().invoke(cli, ["stats", "--root", str(built_project)])
    assert (result.exit_code, result.output) == (3, "internal error: RuntimeError: boom\n")


def test_a_5000_character_label_is_capped_on_the_canvas(tmp_path):
    """The overview draws a short label; the node keeps the whole name for its tooltip."""
    import re

    long = "长" * 5000
    files = {
        "graph/long.trig": "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix jjj: <https://w3id.org/jjjkg/ontology#> .\n"
        "<https://w3id.org/jjjkg/resource/graph/catalogue> {\n"
        f'  <https://w3id.org/jjjkg/resource/org/long> a jjj:Company ; skos:prefLabel "{long}"@zh,'
        ' "Long"@en .\n}\n'
    }
    root = write_project(write_project(tmp_path / "project"), files)
    page = tmp_path / "overview.html"
    result = CliRunner().invoke(cli, ["viz", "--root", str(root), "-o", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert f'"full":{{"en":"Long","zh":"{long}"}}' in text
    assert '"label":"' + "长" * 11 + '…"' in text
    assert max(len(label) for label in re.findall(r'"label":"([^"]*)"', text)) <= 24


def test_a_port_with_a_listener_is_still_taken():
    """SO_REUSEADDR in the probe frees ports in TIME_WAIT only, not one a server listens on."""
    import socket

    from jjjkg.core.errors import ServiceError
    from jjjkg.readers.serve import check_port_free

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with pytest.raises(ServiceError, match="Address already in use"):
            check_port_free("127.0.0.1", port)


@pytest.mark.parametrize("stage", ["load", "shacl", "reason", "checks", "write", "site", "store"])
def test_ctrl_c_at_each_stage_leaves_no_temporary_folder(project, stage):
    """Ctrl-C (here raised by the progress note of each stage, validation forked) stops the
    build with KeyboardInterrupt alone (no `Bad file descriptor` from the cancelled child)."""
    from jjjkg.pipeline.build import build

    def interrupt(note: str) -> None:
        if note.split(":")[0].split(" ")[0] == stage:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(project, progress=interrupt, parallel=True)
    assert sorted(p.name for p in project.iterdir()) == ["graph", "ontology", "queries"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left to reap
