/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-application.h"
#include "meso-i18n.h"
#include "meso-store.h"
#include "meso-time.h"

#include <glib/gi18n.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  meso_i18n_init ();

  /* A mistyped MESODESK_NOW would otherwise quietly put every date on the real clock, an
   * empty MESODESK_DATABASE open the default database. */
  if (!meso_clock_check_env (&error) || !meso_store_check_env (&error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  app = meso_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
