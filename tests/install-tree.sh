# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the tests that run the installed programs (test-install.sh,
# test-e2e.sh): fail, and install_tree BUILD_DIR, which installs the build
# into a temporary DESTDIR ($scratch, removed on exit), sets $root, $share,
# $cli and $gui, compiles the schema as a package's post-install step would
# and points the environment at the installed tree and a private home.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

install_tree() {
  local build=$1 dest
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  dest=$scratch/dest

  meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$scratch/install.log" 2>&1 \
    || { cat "$scratch/install.log" >&2; fail "meson install --destdir"; }

  cli=$(find "$dest" -path '*/bin/mesodesk-cli' -type f | head -n1)
  [ -n "$cli" ] || fail "no bin/mesodesk-cli under the DESTDIR"
  root=$(dirname "$(dirname "$cli")")
  share=$root/share
  gui=$root/bin/mesodesk
  [ -x "$gui" ] || fail "no bin/mesodesk beside mesodesk-cli"

  glib-compile-schemas --strict "$share/glib-2.0/schemas" || fail "the installed schema"
  export GSETTINGS_SCHEMA_DIR=$share/glib-2.0/schemas
  export GSETTINGS_BACKEND=memory
  export XDG_DATA_DIRS=$share:/usr/share
  export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/home/config XDG_DATA_HOME=$scratch/home/data
  export XDG_CACHE_HOME=$scratch/home/cache XDG_RUNTIME_DIR=$scratch/runtime
  mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 0700 "$XDG_RUNTIME_DIR"
  export LC_ALL=C.UTF-8
  unset LANGUAGE MESODESK_DATABASE
  export MESODESK_NOW=2026-11-20T10:00
}
