/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-i18n.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

/* The locale folder beside the running program (bin/../share/locale), if
 * there is one; NULL elsewhere, such as in the build tree. */
static char *
relocated_localedir (void)
{
  g_autofree char *exe = NULL;
  g_autofree char *bindir = NULL;
  g_autofree char *localedir = NULL;

  if (RELATIVE_LOCALEDIR[0] == '\0')
    return NULL;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  bindir = g_path_get_dirname (exe);
  localedir = g_build_filename (bindir, RELATIVE_LOCALEDIR, NULL);
  if (!g_file_test (localedir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&localedir);
}

/**
 * meso_i18n_init:
 *
 * Sets the locale from the environment and binds Mesodesk's text domain.
 * The translations are looked up beside the program first, so an installed
 * tree that was copied elsewhere (a `meson install --destdir` tree, a moved
 * prefix) still speaks its language; otherwise in the configured LOCALEDIR.
 * For an ordinary install both are the same folder. MESODESK_LOCALEDIR, when
 * set, wins: the build tree's po/ folder, for `build-aux/dev run` and tests.
 */
void
meso_i18n_init (void)
{
  const char *from_env = g_getenv ("MESODESK_LOCALEDIR");
  g_autofree char *localedir = NULL;

  if (from_env != NULL && *from_env != '\0')
    localedir = g_strdup (from_env);
  else
    localedir = relocated_localedir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
