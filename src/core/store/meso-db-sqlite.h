/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SQLite driver of the connection layer (meso-db.h). Only the store's
 * SQLite provider (meso-store-sqlite.c) includes this: the rest of the
 * store speaks meso-db.h alone. */

#pragma once

#include "meso-db.h"

#include <sqlite3.h>

G_BEGIN_DECLS

/* sqlite3_open_v2() with @sqlite_open_flags and extended result codes on.
 * NULL with a MESO_DB_ERROR. */
MesoDb       *meso_db_sqlite_open        (const char   *path,
                                          int           sqlite_open_flags,
                                          GError      **error);

/* For what only SQLite has: custom functions, pragmas, the backup API. */
sqlite3      *meso_db_sqlite_handle      (MesoDb       *db);
sqlite3_stmt *meso_db_sqlite_stmt_handle (MesoDbStmt   *stmt);

/* SQLite's result code @rc as a MESO_DB_ERROR (SQLite's own words to the
 * debug log). */
void          meso_db_sqlite_set_error   (MesoDb       *db,
                                          int           rc,
                                          GError      **error);

G_END_DECLS
