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
/* The location the store opens: --database, else $MESODESK_DATABASE, else
 * the clinic server Preferences chose (with the password that connected,
 * once meso_application_connect() has; without one before), else
 * the default file. It may hold a password: show
 * meso_application_describe_database(), never this. */
const char      *meso_application_get_database_path  (MesoApplication  *self);
/* Whether --database or $MESODESK_DATABASE decide (Preferences then do not). */
gboolean         meso_application_get_location_fixed (MesoApplication  *self);
/* "clinic on HOST / DATABASE" for a clinic server, NULL for a file. */
char            *meso_application_describe_database  (MesoApplication  *self);
/* Opens @location instead (Preferences' Clinic Database), as a restore
 * reopens: "store-changed" hands the views the new store. */
gboolean         meso_application_use_database       (MesoApplication  *self,
                                                      const char       *location,
                                                      GError          **error);
/* The application's settings (the schema's), or NULL when the schema is
 * not installed: an uninstalled build still runs. */
GSettings       *meso_application_get_settings       (MesoApplication  *self);
/* A new GSettings of the schema, or NULL when it is not installed. */
GSettings       *meso_application_load_settings      (void);

/* Every view that shows records listens to "store-changed" and reloads what
 * it shows. Whoever writes through the application's store calls
 * meso_application_store_changed() after a successful write; writes by other
 * programs (the command line, another desk) are noticed within a second
 * (meso_store_watch()). The signal is emitted from the main loop, once for any
 * number of calls in between, never from inside a store call. */
void             meso_application_store_changed      (MesoApplication  *self);

/* TRUE from when the clinic server's connection is found lost until it is
 * made again ("unreachable", notified): the application retries every few
 * seconds, sooner on meso_application_retry_connection() (app.retry-connection),
 * then emits "store-changed". */
gboolean         meso_application_get_unreachable    (MesoApplication  *self);
void             meso_application_retry_connection   (MesoApplication  *self);

/* Connects to the clinic server (the start-up's, issue 15) off the main
 * thread: the keyring, else the person over @parent, gives the password
 * Preferences' server needs. Meanwhile "connecting" is TRUE and
 * meso_application_get_store() gives NULL at once; then the views get the
 * store ("store-changed"), or "connect-error" says why not (retried by
 * meso_application_retry_connection()). Nothing when one is under way. */
void             meso_application_connect            (MesoApplication  *self,
                                                      GtkWindow        *parent);
gboolean         meso_application_get_connecting     (MesoApplication  *self);
/* Why connecting at start-up failed, for people; NULL when it did not. */
const char      *meso_application_get_connect_error  (MesoApplication  *self);

/* A message over @parent saying what cannot be done (@heading) and why
 * (@message, e.g. a store error's message), with a Close button. */
void             meso_application_show_error         (GtkWindow        *parent,
                                                      const char       *heading,
                                                      const char       *message);
/* Closes the application's connection, for a restore that replaces the
 * file: until meso_application_reopen_store(), meso_application_get_store()
 * fails with MESO_STORE_ERROR_BUSY. */
void             meso_application_close_store        (MesoApplication  *self);
/* Opens the database again (after a restore) and emits "store-changed":
 * a view that keeps the store re-fetches it then, since it is a new one. */
gboolean         meso_application_reopen_store       (MesoApplication  *self,
                                                      GError          **error);

G_END_DECLS
