#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The end-to-end test: installs the build into a temporary DESTDIR and lets
# tests/e2e-receptionist.py use the installed window over AT-SPI as a
# receptionist would, on an empty database, in English and then in German.
# Its own Xvfb (which picks a free display itself: -displayfd, so tests
# running at once cannot take the same one) and its own session bus.
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

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do
  [ -s "$scratch/display" ] && break
  kill -0 $xvfb 2>/dev/null || { cat "$scratch/xvfb.log" >&2; fail "Xvfb did not start"; }
  sleep 0.1
done
[ -s "$scratch/display" ] || fail "Xvfb gave no display within 10 s"
export DISPLAY=:$(head -n1 "$scratch/display")

dbus-run-session -- /usr/bin/python3 "$source/tests/e2e-receptionist.py" \
  "$gui" "$scratch/clinic.db" "$build/tests/e2e-shots" "$share/locale"
