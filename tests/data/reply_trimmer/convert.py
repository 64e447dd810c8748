"""Convert discourse/email_reply_trimmer's test emails into ``cases.jsonl``.

Usage: python tests/data/reply_trimmer/convert.py GIT_DIR [COMMIT]

GIT_DIR is a clone (bare or not) of https://github.com/discourse/email_reply_trimmer
(MIT licence; see NOTICE beside this file). Each line of ``cases.jsonl`` holds one email
body (``test/emails/NAME.txt``) and the reply text that library expects to keep
(``test/trimmed/NAME.txt``), both as the repository has them, CRLF line ends included.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).with_name("cases.jsonl")


def _git(git_dir: str, *args: str) -> str:
    done = subprocess.run(["git", "--git-dir", git_dir, *args], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def convert(git_dir: str, commit: str = "HEAD") -> list[dict[str, str]]:
    names = _git(git_dir, "ls-tree", "--name-only", f"{commit}:test/emails").split()
    cases = []
    for file_name in sorted(names):
        name = file_name.removesuffix(".txt")
        cases.append(
            {
                "name": name,
                "email": _git(git_dir, "show", f"{commit}:test/emails/{file_name}"),
                "trimmed": _git(git_dir, "show", f"{commit}:test/trimmed/{file_name}"),
            }
        )
    return cases


def main() -> None:
    git_dir = sys.argv[1]
    commit = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    resolved = _git(git_dir, "rev-parse", commit).strip()
    cases = convert(git_dir, resolved)
    with OUT.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps({"commit": resolved, **case}, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases from {resolved} written to {OUT}")


if __name__ == "__main__":
    main()
