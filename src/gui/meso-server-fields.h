/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A clinic server's connection settings as a group of rows (server, port,
 * database, user, encryption, the clinic's certificate authority):
 * Preferences' Clinic Database and Data →
 * Move Clinic to a Clinic Server show the same fields. */

#pragma once

#include <adwaita.h>

#include "meso-server.h"

G_BEGIN_DECLS

#define MESO_TYPE_SERVER_FIELDS (meso_server_fields_get_type ())

G_DECLARE_FINAL_TYPE (MesoServerFields, meso_server_fields, MESO, SERVER_FIELDS,
                      AdwPreferencesGroup)

GtkWidget  *meso_server_fields_new        (void);
/* Fills the fields from @server. */
void        meso_server_fields_set_server (MesoServerFields *self,
                                           const MesoServer *server);
/* The server the fields name now. */
MesoServer *meso_server_fields_get_server (MesoServerFields *self);
/* What the CA row's file chooser does with the file picked: keeps a copy
 * (meso_server_import_ca()) and shows who it is; FALSE if it is no
 * certificate or cannot be read. */
gboolean    meso_server_fields_set_ca_file (MesoServerFields  *self,
                                            const char        *path,
                                            GError           **error);

G_END_DECLS
