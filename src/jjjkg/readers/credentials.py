"""Credentials for a SPARQL store, never from the command line: the user name from `--user`,
the password from `$JJJKG_PASSWORD` or `~/.netrc` (`machine HOST login USER password …`;
`$NETRC` names another file). Without `--user`, a `~/.netrc` entry for the host is used.

The password goes to urllib's Basic and Digest handlers, which answer the server's challenge
(Virtuoso's `/sparql-graph-crud-auth` wants Digest; Fuseki, GraphDB and Stardog Basic).
Those handlers send each request once without credentials and again after the challenge; a
server that refuses the first try closes the connection while a large body is still being
sent (a broken pipe), so `challenged` fetches the challenge once with an empty request and
`authorize` answers it up front on every request with a body.
"""

from __future__ import annotations

import base64
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from jjjkg.core.errors import CredentialsError

PASSWORD_VARIABLE = "JJJKG_PASSWORD"


def _netrc_entry(host: str) -> tuple[str, str] | None:
    path = Path(os.environ.get("NETRC", Path.home() / ".netrc"))
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as err:
        raise CredentialsError(f"{path}: cannot read it: {err}") from None
    return (found[0], found[2]) if found else None


def credentials(endpoint: str, user: str | None) -> tuple[str, str] | None:
    """(user, password) for `endpoint`, or None to send no credentials."""
    host = urllib.parse.urlsplit(endpoint).hostname or ""
    password = os.environ.get(PASSWORD_VARIABLE)
    entry = _netrc_entry(host) if password is None or user is None else None
    if user is None:
        return entry
    if password is None:
        if entry is None or entry[0] != user:
            raise CredentialsError(
                f"--user {user}: no password; set ${PASSWORD_VARIABLE} or add "
                f"'machine {host} login {user} password …' to ~/.netrc"
            )
        password = entry[1]
    return user, password


def opener(endpoint: str, auth: tuple[str, str] | None) -> urllib.request.OpenerDirector:
    """An opener that answers Basic and Digest challenges of `endpoint` with `auth`."""
    if auth is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint, *auth)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )


def challenged(endpoint: str, timeout: float) -> str | None:
    """The `WWW-Authenticate` challenge `endpoint` answers a bodiless GET with, if any."""
    try:
        urllib.request.urlopen(urllib.request.Request(endpoint, method="GET"), timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 401:
            return err.headers.get("WWW-Authenticate")
    except (urllib.error.URLError, TimeoutError, OSError):
        pass  # the real request will report it
    return None


def authorize(request: urllib.request.Request, auth: tuple[str, str], challenge: str) -> None:
    """Add the Authorization header answering `challenge` (Basic or Digest) to `request`."""
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, *auth)
        handler = urllib.request.HTTPDigestAuthHandler(passwords)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        header = handler.get_authorization(request, chal)
        if header:
            request.add_unredirected_header("Authorization", f"Digest {header}")
