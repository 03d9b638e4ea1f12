#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails if a shipped translation is broken or incomplete: each language in
po/LINGUAS must pass `msgfmt --check` and, merged with a template made now
from po/POTFILES.in, have no untranslated and no fuzzy message. Prints each
language's statistics. Nothing in the source tree is written.

    check-translations.py SOURCE_DIR
"""
import pathlib
import re
import subprocess
import sys
import tempfile

from checks import finish

# The keywords of meson's i18n preset 'glib', which po/meson.build uses; C's
# default keywords (gettext, ngettext …) stay on as well.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def main():
    top = pathlib.Path(sys.argv[1])
    languages = [w for line in (top / "po" / "LINGUAS").read_text().splitlines()
                 if not line.startswith("#") for w in line.split()]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pot = pathlib.Path(tmp) / "mesodesk.pot"
        made = run(["xgettext", *XGETTEXT_ARGS, "--package-name=mesodesk",
                    "--files-from=po/POTFILES.in", f"--output={pot}"], cwd=top)
        if made.returncode != 0 or not pot.exists():
            sys.exit(f"xgettext failed:\n{made.stderr}")
        total = len(re.findall(r"^msgid ", pot.read_text(encoding="utf-8"), re.M)) - 1

        for lang in languages:
            po = top / "po" / f"{lang}.po"
            if not po.exists():
                problems.append(f"{lang}: po/{lang}.po is missing")
                continue
            check = run(["msgfmt", "--check", "--output-file=/dev/null", str(po)])
            if check.returncode != 0:
                problems.append(f"{lang}: msgfmt --check fails:\n{check.stderr.strip()}")
            merged = pathlib.Path(tmp) / f"{lang}.po"
            merge = run(["msgmerge", "--quiet", "--no-fuzzy-matching",
                         f"--output-file={merged}", str(po), str(pot)])
            if merge.returncode != 0:
                problems.append(f"{lang}: msgmerge fails:\n{merge.stderr.strip()}")
                continue
            stats = run(["msgfmt", "--check", "--statistics", "--output-file=/dev/null",
                         str(merged)])
            line = stats.stderr.strip().splitlines()[-1] if stats.stderr.strip() else ""
            print(f"{lang}: {line} (template: {total} messages)")
            if stats.returncode != 0 or "untranslated" in line or "fuzzy" in line:
                problems.append(f"{lang}: not complete against the current template: {line}"
                                " — run build-aux/update-po and translate what it marks")

    finish(problems)


main()
