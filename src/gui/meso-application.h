/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_APPLICATION (meso_application_get_type ())

G_DECLARE_FINAL_TYPE (MesoApplication, meso_application, MESO, APPLICATION, AdwApplication)

MesoApplication *meso_application_new                (void);

/* The UI files, style sheet and shortcuts window live in a GResource built into a
 * static library; every widget class that loads from it calls this first. */
void             meso_application_ensure_resources   (void);

/* The clinic database (--database, $MESODESK_DATABASE or the default path),
 * opened on first use; NULL with @error when it cannot be opened. */
MesoStore       *meso_application_get_store          (MesoApplication  *self,
                                                      GError          **error);
const char      *meso_application_get_database_path  (MesoApplication  *self);

G_END_DECLS
