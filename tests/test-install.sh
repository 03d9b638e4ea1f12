#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary DESTDIR and runs the installed
# programs from there: the command line's --help and a record written and
# read back, its translations (each shipped language), and the window under
# its own Xvfb (tests/with-xvfb.sh), found over AT-SPI with its German
# labels. Proves that what `meson install` puts down is complete: data
# files, schema, icons, translations, and programs that find them.
#
#   test-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$1
source=$2
app_id=io.github.mesodesk.Mesodesk

# shellcheck source=tests/install-tree.sh
. "$source/tests/install-tree.sh"
install_tree "$build"

for f in \
  "applications/$app_id.desktop" \
  "metainfo/$app_id.metainfo.xml" \
  "glib-2.0/schemas/$app_id.gschema.xml" \
  "icons/hicolor/scalable/apps/$app_id.svg" \
  "icons/hicolor/symbolic/apps/$app_id-symbolic.svg"; do
  [ -s "$share/$f" ] || fail "not installed: share/$f"
done
languages=$(grep -v '^#' "$source/po/LINGUAS" | tr -s ' \n' ' ')
for lang in $languages; do
  [ -s "$share/locale/$lang/LC_MESSAGES/mesodesk.mo" ] \
    || fail "not installed: share/locale/$lang/LC_MESSAGES/mesodesk.mo"
done

# The command line.
"$cli" --help >"$scratch/help.txt" || fail "mesodesk-cli --help exits $?"
grep -q 'patient' "$scratch/help.txt" || fail "mesodesk-cli --help lists no commands"
"$cli" --version | grep -q '^mesodesk-cli [0-9]' || fail "mesodesk-cli --version"
db=$scratch/clinic.db
id=$("$cli" --database "$db" patient add --name "Installed Test") || fail "patient add"
[ "$id" = 1 ] || fail "patient add printed '$id', not 1"
"$cli" --database "$db" patient list | grep -q 'Installed Test' || fail "patient list"

# translated LANG MSGID: what the installed catalogue says for MSGID in LANG.
translated() {
  LANGUAGE=$1 TEXTDOMAINDIR=$share/locale gettext -d mesodesk -- "$2"
}

# Each language: the summary of --help comes out translated, which only
# happens if the installed program found the installed catalogue.
summary="Mesodesk, the microneedling clinic’s records, on the command line."
for lang in $languages; do
  want=$(translated "$lang" "$summary")
  [ "$want" != "$summary" ] || fail "$lang: the --help summary is not translated in the catalogue"
  LANGUAGE=$lang "$cli" --help >"$scratch/help-$lang.txt" || fail "$lang: --help exits $?"
  grep -qF -- "$want" "$scratch/help-$lang.txt" \
    || fail "$lang: the installed mesodesk-cli --help does not show “$want”"
done

# A translated error, on stderr.
want=$(translated de "--database needs the path of a database file.")
[ "$want" != "--database needs the path of a database file." ] || fail "de: error not translated"
if LANGUAGE=de "$cli" --database "" patient list 2>"$scratch/err.txt"; then
  fail "an empty --database was accepted"
fi
grep -qF -- "$want" "$scratch/err.txt" || fail "de: the error reads: $(cat "$scratch/err.txt")"

# The window, in German: it must start, stay up, show its translated view
# names to AT-SPI (so the resources and the catalogue were found) and log
# no warning.
patients_de=$(translated de "Patients")
aftercare_de=$(translated de "Aftercare")
[ "$patients_de" != "Patients" ] || fail "de: “Patients” is not translated"
LANGUAGE=de "$source/tests/with-xvfb.sh" bash -c '
  "$1" --database "$2" 2>"$3" & app=$!
  /usr/bin/python3 "$4" "$5" "$6"; found=$?
  sleep 1
  if ! kill -0 $app 2>/dev/null; then echo "the window exited early" >&2; exit 1; fi
  kill $app; wait $app 2>/dev/null
  exit $found' _ "$gui" "$db" "$scratch/window.log" "$source/tests/find-accessible.py" \
  "$patients_de" "$aftercare_de" || { cat "$scratch/window.log" >&2; fail "the installed window"; }
if grep -E 'CRITICAL|WARNING|Gtk-Message|not found' "$scratch/window.log" >&2; then
  fail "the installed window logged the above"
fi

echo "installed tree at $root: files, schema, ${languages}translations, CLI and window OK"
