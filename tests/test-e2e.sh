#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The end-to-end test: installs the build into a temporary DESTDIR and lets
# tests/e2e-receptionist.py use the installed window over AT-SPI as a
# receptionist would, on an empty database, in English and then in German.
# Its own Xvfb and session bus (tests/with-xvfb.sh).
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

"$source/tests/with-xvfb.sh" /usr/bin/python3 "$source/tests/e2e-receptionist.py" \
  "$gui" "$scratch/clinic.db" "$build/tests/e2e-shots" "$share/locale"
