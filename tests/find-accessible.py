#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waits up to 20 s for the mesodesk window to show, over AT-SPI, an
accessible object named by each argument; exits 1 naming those missing."""
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for i in range(node.get_child_count()):
        yield from walk(node.get_child_at_index(i), depth + 1)


def names():
    found = set()
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is None or app.get_name() != "mesodesk":
            continue
        for node in walk(app):
            try:
                found.add(node.get_name())
            except gi.repository.GLib.Error:
                pass
    return found


def main():
    wanted = sys.argv[1:]
    missing = wanted
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        seen = names()
        missing = [w for w in wanted if w not in seen]
        if not missing:
            sys.exit(0)
        time.sleep(0.5)
    print("not shown by the window: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)


# Also a module: tests/e2e-receptionist.py walks the tree with walk().
if __name__ == "__main__":
    main()
