#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs COMMAND with a display of its own: an Xvfb (1280x800x24) on a
# display no other server uses, with a cookie of its own, and a session
# bus (dbus-run-session). Exits with COMMAND's status and stops the server.
# Every test with a window runs under it, not under xvfb-run -a: that
# takes the first display without a lock file and races with any other
# xvfb-run starting at the same moment (two test runs on one machine), and
# the loser's window cannot open its display.
#
#   with-xvfb.sh COMMAND [ARGUMENT…]
set -uo pipefail

[ $# -gt 0 ] || { echo "usage: with-xvfb.sh COMMAND [ARGUMENT…]" >&2; exit 2; }

scratch=$(mktemp -d) || exit 1
xvfb=
stop_xvfb() {
  [ -z "$xvfb" ] || { kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; }
  xvfb=
}
trap 'stop_xvfb; rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# in_use N: display N is taken, here or by a server only its abstract
# socket shows (another mount namespace: no lock file in our /tmp).
in_use() {
  [ -e "/tmp/.X$1-lock" ] || grep -q "@/tmp/.X11-unix/X$1\$" /proc/net/unix
}

# start_xvfb N: Xvfb on :N with a cookie of its own, so a client that
# reaches another server fails rather than drives it; 0 once it answers.
start_xvfb() {
  local n=$1
  export XAUTHORITY=$scratch/Xauthority
  rm -f "$scratch/display"
  touch "$XAUTHORITY"
  xauth -q add ":$n" . "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" || return 1
  # -noreset: a server resets when its last client leaves, and refuses
  # connections meanwhile (the check below, the bus launcher).
  Xvfb ":$n" -displayfd 3 -auth "$XAUTHORITY" -noreset -screen 0 1280x800x24 -nolisten tcp \
    3>"$scratch/display" 2>>"$scratch/xvfb.log" &
  xvfb=$!
  for _ in $(seq 100); do
    [ -s "$scratch/display" ] && break
    kill -0 "$xvfb" 2>/dev/null || { wait "$xvfb" 2>/dev/null; xvfb=; return 1; }
    sleep 0.1
  done
  export DISPLAY=:$n
  [ -s "$scratch/display" ] && import -window root null: 2>>"$scratch/xvfb.log" && return 0
  stop_xvfb
  return 1
}

# A display number from our PID, so that runs started together try
# different ones; the next ones if taken or if another server won the race.
n=$((100 + $$ % 400))
for _ in 1 2 3 4 5 6 7 8; do
  n=$((n + 1))
  in_use $n && continue
  start_xvfb $n && break
done
if [ -z "$xvfb" ]; then
  cat "$scratch/xvfb.log" >&2
  echo "with-xvfb.sh: no Xvfb could be started" >&2
  exit 1
fi
# The window must use this server, not a Wayland compositor it may find.
unset WAYLAND_DISPLAY

dbus-run-session -- "$@"
