#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/POTFILES.in misses a C or .ui file under src/ or ui/ that
has strings for translators, or lists a file that does not exist.

    check-potfiles.py SOURCE_DIR
"""
import pathlib
import re
import sys

from checks import finish

MARKERS = re.compile(
    r"(?<![A-Za-z0-9_])(?:_|C_|N_|NC_|g_dngettext|ngettext)\s*\("
    r'|translatable="yes"'
)
# Comments name the markers without being strings (`/* N_() */`); blanked
# out, keeping their newlines so line numbers still match.
COMMENTS = {
    ".c": re.compile(r"/\*.*?\*/|//[^\n]*", re.S),
    ".h": re.compile(r"/\*.*?\*/|//[^\n]*", re.S),
    ".ui": re.compile(r"<!--.*?-->", re.S),
}


def strip_comments(path, text):
    return COMMENTS[path.suffix].sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def main():
    top = pathlib.Path(sys.argv[1])
    listed = []
    for line in (top / "po" / "POTFILES.in").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            listed.append(line)

    problems = []
    for path in listed:
        if not (top / path).is_file():
            problems.append(f"po/POTFILES.in lists {path}, which does not exist")

    for folder in ("src", "ui"):
        for path in sorted((top / folder).rglob("*")):
            if path.suffix not in (".c", ".h", ".ui") or not path.is_file():
                continue
            rel = path.relative_to(top).as_posix()
            if rel in listed:
                continue
            text = strip_comments(path, path.read_text(encoding="utf-8"))
            match = MARKERS.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                problems.append(
                    f"{rel}:{line} has strings for translators ({match.group(0).strip()}) "
                    "but is not in po/POTFILES.in"
                )

    finish(problems, f"po/POTFILES.in: {len(listed)} files, all present, none missing")


main()
