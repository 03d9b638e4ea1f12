#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 17, item 9: the window starts without a warning on a session bus
with no notification server, and still notifies where there is one.

Runs under tests/with-xvfb.sh (a display and a session bus of its own).
The database has follow-ups due, so the window has a notification to send.
First the bare bus: stderr must hold no WARNING or CRITICAL. Then a stand-in
org.freedesktop.Notifications server on the same bus: it must be asked to
show the follow-ups.

    check-startup-quiet.py MESODESK MESODESK_CLI SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys
import time

from gi.repository import Gio, GLib

from checks import finish

NOTIFY_XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
</node>
"""


def run_window(app, env, seconds, loop_context=None):
    """Starts the window, lets it run, stops it; returns its stderr."""
    proc = subprocess.Popen([app], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if loop_context is not None:
            while loop_context.iteration(False):
                pass
        time.sleep(0.05)
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    return err


def main():
    app, cli, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch, mode=0o700)
    env = dict(os.environ)
    env.update({
        "HOME": scratch,
        "XDG_CONFIG_HOME": os.path.join(scratch, "config"),
        "XDG_DATA_HOME": os.path.join(scratch, "data"),
        "XDG_CACHE_HOME": os.path.join(scratch, "cache"),
        "MESODESK_DATABASE": os.path.join(scratch, "clinic.db"),
        "MESODESK_NOW": "2026-07-06T10:00",
    })
    subprocess.run([cli, "demo", "--seed", "1", "--patients", "60"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    problems = []

    err = run_window(app, env, 6)
    for line in err.splitlines():
        if "WARNING" in line or "CRITICAL" in line:
            problems.append(f"no notification server: the window said: {line}")

    # A stand-in server, owned on the bus from this process.
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    calls = []

    def on_call(connection, sender, path, interface, method, params, invocation):
        if method == "Notify":
            calls.append(params.unpack())
            invocation.return_value(GLib.Variant("(u)", (len(calls),)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["body", "actions"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("stand-in", "test", "1", "1.2")))
        else:
            invocation.return_value(None)

    node = Gio.DBusNodeInfo.new_for_xml(NOTIFY_XML)
    bus.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call,
                        None, None)
    owner = Gio.bus_own_name_on_connection(bus, "org.freedesktop.Notifications",
                                           Gio.BusNameOwnerFlags.NONE, None, None)
    context = GLib.MainContext.default()
    err = run_window(app, env, 6, context)
    Gio.bus_unown_name(owner)
    if not any("follow-up" in str(call[3]) for call in calls):
        problems.append(f"with a notification server: no follow-up notification (calls: {calls})")
    for line in err.splitlines():
        if "WARNING" in line or "CRITICAL" in line:
            problems.append(f"with a notification server: the window said: {line}")

    finish(problems, "no start-up warning without a notification server; "
                     "the follow-ups notified with one")


if __name__ == "__main__":
    main()
