"""Text for a terminal: control characters from the data shown as escapes, never obeyed.

A label or a source line may hold ESC sequences (set the window title, clear the screen),
other C0/C1 controls or the bidirectional overrides that reverse how a line reads. Tab, line
feed and carriage return are kept: tables, CSV (CRLF) and line-wise output need them.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character written as `\\xNN` or `\\uNNNN`."""
    return _CONTROL.sub(_escape, text)


class SafeStream:
    """A text stream that escapes control characters in what is written to it.

    `raw` is the stream underneath (for the build's own progress line, which moves the
    cursor on purpose); anything else (`buffer`, `isatty`, `encoding`) is the stream's.
    """

    def __init__(self, raw) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(escape_controls(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)
