"""`jjjkg push --user`: the password from $JJJKG_PASSWORD or ~/.netrc, never the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from jjjkg.cli import cli
from jjjkg.core.errors import CredentialsError
from jjjkg.readers.credentials import credentials

ENDPOINT = "http://127.0.0.1:8890/sparql-graph-crud-auth"


@pytest.fixture
def netrc(tmp_path, monkeypatch):
    path = tmp_path / "netrc"
    path.write_text("machine 127.0.0.1 login dba password from-netrc\n")
    path.chmod(0o600)
    monkeypatch.setenv("NETRC", str(path))
    monkeypatch.delenv("JJJKG_PASSWORD", raising=False)
    return path


def test_the_password_comes_from_the_environment_first(netrc, monkeypatch):
    monkeypatch.setenv("JJJKG_PASSWORD", "from-env")
    assert credentials(ENDPOINT, "dba") == ("dba", "from-env")


def test_the_password_comes_from_netrc_for_the_host(netrc):
    assert credentials(ENDPOINT, "dba") == ("dba", "from-netrc")
    assert credentials(ENDPOINT, None) == ("dba", "from-netrc")  # no --user: netrc's login
    assert credentials("http://localhost:7878/store", None) is None  # no entry: no login


def test_a_user_without_a_password_is_one_line_exit_2(netrc, project):
    with pytest.raises(CredentialsError):
        credentials(ENDPOINT, "someone")
    result = CliRunner().invoke(
        cli, ["push", "--endpoint", ENDPOINT, "--user", "someone", "--root", str(project)]
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: --user someone: no password; set $JJJKG_PASSWORD or add "
        "'machine 127.0.0.1 login someone password …' to ~/.netrc\n"
    )
