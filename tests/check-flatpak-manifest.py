#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest offline: flatpak-builder must parse it with no
warning (an unknown or misspelt key warns), and it must keep the sandbox
shut: exactly the display, GPU and IPC permissions and the network (only
for the clinic's own database server, issue 15), no files outside the
app's own data; libpq built (the GNOME runtime has none); every downloaded
source pinned by a checksum.

    check-flatpak-manifest.py FLATPAK_BUILDER MANIFEST METAINFO

The metainfo (its .xml.in) must tell people what the network is for.
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import finish

NETWORK_WORDS = ("Mesodesk uses the network only to reach your clinic's own database server, "
                 "if you set one up")
FINISH_ARGS = ["--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
               "--share=network"]


def main():
    builder, manifest, metainfo = sys.argv[1], sys.argv[2], sys.argv[3]
    problems = []
    with open(metainfo, encoding="utf-8") as f:
        description = " ".join(f.read().split())
    if NETWORK_WORDS not in description:
        problems.append(f"{metainfo} does not say what the network is for: {NETWORK_WORDS!r}")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_CACHE_HOME=home, XDG_DATA_HOME=home)
        run = subprocess.run([builder, "--show-manifest", os.path.abspath(manifest)],
                             env=env, cwd=home, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"flatpak-builder --show-manifest failed ({run.returncode}):\n{run.stderr}")
    if run.stderr.strip():
        problems.append("flatpak-builder warns:\n" + run.stderr.strip())

    data = json.loads(run.stdout)
    if data.get("id") != "io.github.mesodesk.Mesodesk":
        problems.append(f"id is {data.get('id')!r}")
    if data.get("finish-args") != FINISH_ARGS:
        problems.append(f"finish-args are {data.get('finish-args')}, not {FINISH_ARGS}")
    if data.get("runtime") != "org.gnome.Platform" or data.get("sdk") != "org.gnome.Sdk":
        problems.append("not on the GNOME runtime and SDK")
    version = str(data.get("runtime-version", ""))
    if not version.isdigit() or int(version) < 47:
        problems.append(f"runtime-version {version!r}: want a GNOME release, 47 or later")

    modules = data.get("modules", [])
    names = [m.get("name") for m in modules if isinstance(m, dict)]
    if not names or names[-1] != "mesodesk":
        problems.append(f"modules are {names}: mesodesk must be built last")
    elif modules[-1].get("buildsystem") != "meson":
        problems.append("mesodesk is not built with meson")
    if "libical" not in names:
        problems.append("no libical module (the GNOME runtime does not ship it)")
    if "libpq" not in names:
        problems.append("no libpq module (the GNOME runtime does not ship it)")
    for module in modules:
        for src in module.get("sources", []) if isinstance(module, dict) else []:
            if src.get("type") in ("archive", "file") and not src.get("sha256"):
                problems.append(f"{module.get('name')}: {src.get('url')} has no sha256")

    finish(problems, f"{manifest}: parsed, sandbox {' '.join(FINISH_ARGS)}, modules {names}")


main()
