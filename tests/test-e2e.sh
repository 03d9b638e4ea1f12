#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The end-to-end test: installs the build into a temporary DESTDIR and lets
# tests/e2e-receptionist.py use the installed window over AT-SPI as a
# receptionist would, on an empty database, in English and then in German.
# Its own Xvfb, on a display no other server uses (tests start servers at
# once here, and xvfb-run -a can pick a display that is taken), and its
# own session bus.
# Screenshots of each step: BUILD_DIR/tests/e2e-shots.
#
#   test-e2e.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2

# shellcheck source=tests/install-tree.sh
. "$source/tests/install-tree.sh"
install_tree "$build"
export TZ=Europe/Berlin

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
    3>"$scratch/display" 2>"$scratch/xvfb.log" &
  xvfb=$!
  for _ in $(seq 100); do
    [ -s "$scratch/display" ] && break
    kill -0 $xvfb 2>/dev/null || { xvfb=; return 1; }
    sleep 0.1
  done
  export DISPLAY=:$n
  [ -s "$scratch/display" ] && import -window root null: 2>>"$scratch/xvfb.log" && return 0
  kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null
  xvfb=
  return 1
}

xvfb=
trap '[ -z "$xvfb" ] || { kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null; }; rm -rf "$scratch"' EXIT
n=$((100 + $$ % 400))
for _ in 1 2 3 4 5 6 7 8; do
  n=$((n + 1))
  in_use $n && continue
  start_xvfb $n && break
done
[ -n "$xvfb" ] || { cat "$scratch/xvfb.log" >&2; fail "no Xvfb could be started"; }

dbus-run-session -- /usr/bin/python3 "$source/tests/e2e-receptionist.py" \
  "$gui" "$scratch/clinic.db" "$build/tests/e2e-shots" "$share/locale"
