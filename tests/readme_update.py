"""Re-pin the README's `$ jjjkg …` transcripts: run them as tests/test_readme.py does (in a clone
of the committed state: commit first) and write the real output in place. Examples with a `…`
line (elided output) or a `^C` are only checked: fix those by hand. Review the diff (`git diff
README.md`) before committing.

    .venv/bin/python tests/readme_update.py

"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import test_readme as t  # noqa: E402


def main() -> int:
    text = t.README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        checkout = t.clone(Path(tmp))
        out, stale = [], 0
        position = 0
        for match in re.finditer(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
            body = match.group(1)
            steps = t.examples(match.group(0))
            if not steps:
                continue
            lines, background = [], []
            for command, expected in steps[0]:
                run = re.sub(r"\s+#.*$", "", command)
                lines.append(f"$ {command}")
                if run.endswith("&"):
                    background.append(t.shell(run[:-1], checkout))
                    lines += expected
                    continue
                if background:
                    t.wait_for_port(run)
                if any("^C" in line for line in expected) or any(
                    line.strip() == "…" for line in expected
                ):
                    lines += expected
                    continue
                actual = t.output_of(run, checkout)
                if not t.matches(expected, actual):
                    stale += 1
                lines += actual
            for process in background:
                t.os.killpg(process.pid, t.signal.SIGTERM)
                process.wait(timeout=30)
            start = match.start(1)
            out.append(text[position:start])
            out.append("\n".join(lines) + "\n")
            position = match.end(1)
            del body
        out.append(text[position:])
    t.README.write_text("".join(out), encoding="utf-8")
    print(f"{stale} example(s) rewritten; run tests/test_readme.py for the elided ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
