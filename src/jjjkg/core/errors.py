"""One exception hierarchy for jjjkg.

The library raises these; only the CLI prints them and exits. Each error carries the exit
code the CLI uses: 1 when the data fails its checks, 2 for usage or input errors; the CLI
itself exits 3 on an unexpected exception (a bug) and 130 on Ctrl-C.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a bug: an exception jjjkg did not expect (the CLI's last resort)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class JjjkgError(Exception):
    """Base class of every error jjjkg raises on purpose."""

    exit_code = EXIT_USAGE


def _located(message: str, path: str | None, line: int | None, col: int | None) -> str:
    """Format `path:line:col: message`, leaving out the parts that are unknown."""
    where = [str(part) for part in (path, line, col) if part is not None]
    return ":".join(where) + ": " + message if where else message


class LocatedError(JjjkgError):
    """An error about a place in a text: `path:line:col: message`, unknown parts left out."""

    def __init__(
        self, message: str, path: str | None = None, line: int | None = None, col: int | None = None
    ):
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        super().__init__(_located(message, path, line, col))


class SourceError(LocatedError):
    """An input file that cannot be read: missing, unknown format, bad syntax."""


class QueryError(LocatedError):
    """A SPARQL query that cannot be parsed or run; `path`/`line`/`col` locate it."""


@dataclass(frozen=True)
class Violation:
    """One failed constraint: a SHACL result or a row returned by a check query."""

    focus: str
    shape: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus}  {self.shape}  {self.message}"


@dataclass
class ValidationReport:
    """What `validate` found: SHACL results and check-query rows, plus what was run."""

    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    shapes: int = 0
    checks: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        passed = len(self.checks) - len(self.failed_checks)
        shacl = (
            "SHACL conforms"
            if not [v for v in self.violations if v.severity != "Check"]
            else f"SHACL {self.shacl_violations} violation{'s' * (self.shacl_violations != 1)}"
        )
        shapes = f"{self.shapes} shape{'s' * (self.shapes != 1)}"
        text = f"{shacl} ({shapes}); checks {passed}/{len(self.checks)} passed"
        if self.warnings:
            text += f"; {len(self.warnings)} warning{'s' * (len(self.warnings) != 1)}"
        return text

    @property
    def shacl_violations(self) -> int:
        return sum(1 for v in self.violations if v.severity != "Check")


class ValidationError(JjjkgError):
    """The data does not conform: SHACL violations or check queries returning rows."""

    exit_code = EXIT_CHECKS_FAILED

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.summary())


class BuildError(JjjkgError):
    """The build could not finish for a reason other than bad input (e.g. cannot write)."""


class ServiceError(JjjkgError):
    """A server that cannot start or a remote endpoint that fails or refuses a request."""


class NotBuilt(SourceError):
    """A folder that should hold a built dataset does not (the one "dist/ is missing")."""

    def __init__(self, dist, why: str = "no built dataset here; run `jjjkg build` first") -> None:
        super().__init__(why, str(dist))


class ReasonerError(JjjkgError):
    """An unknown reasoner name."""


class ExportFormatError(JjjkgError):
    """An export format jjjkg does not write."""


class UnknownEntity(JjjkgError):
    """A name that matches no entity (or class); the message lists the nearest names."""


class UnsupportedShape(JjjkgError):
    """The shapes use a SHACL feature this compiler does not translate."""


class VersionMismatch(JjjkgError):
    """The ontology header's version differs from the data set's (`graph/VERSION`)."""

    exit_code = EXIT_CHECKS_FAILED


class DescriptionError(ValidationError):
    """The data set's description (`dist/void.ttl`) fails its shapes (a bug of the build)."""

    def __init__(self, report: ValidationReport):
        super().__init__(report)
        n = len(report.violations)
        self.args = (f"the data set description fails its shapes ({n} violation{'s' * (n != 1)})",)


class AmbiguousEntity(JjjkgError):
    """A name that matches several entities equally well; the message lists them."""


class ServiceRefused(JjjkgError):
    """A query with a SERVICE clause (a request to another host) where none may be sent."""

    def __init__(self, where: str, hint: str = "") -> None:
        super().__init__(
            f"{where}: SERVICE clause refused (it would send a request to another host){hint}"
        )


class DistRefused(BuildError):
    """A --dist folder jjjkg did not make (or one that holds the sources): never replaced."""


class CredentialsError(JjjkgError):
    """A user name given without a password to send (no JJJKG_PASSWORD, no ~/.netrc entry)."""
