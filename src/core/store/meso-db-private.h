/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the drivers only: what each engine implements behind meso-db.h. */

#pragma once

#include "meso-db.h"

G_BEGIN_DECLS

typedef struct
{
  MesoDbEngine engine;

  void       (*close)          (MesoDb *db);
  /* A new statement for @sql (meso-db.c keeps them by text). */
  MesoDbStmt *(*prepare)       (MesoDb *db, const char *sql, GError **error);
  void       (*finalize)       (MesoDbStmt *stmt);
  /* Before a kept statement is handed out again: reset, no bindings. */
  void       (*clear)          (MesoDbStmt *stmt);

  void       (*bind_int64)     (MesoDbStmt *stmt, int index, gint64 value);
  void       (*bind_double)    (MesoDbStmt *stmt, int index, double value);
  void       (*bind_text)      (MesoDbStmt *stmt, int index, const char *text);
  void       (*bind_null)      (MesoDbStmt *stmt, int index);
  void       (*bind_blob)      (MesoDbStmt *stmt, int index, GBytes *bytes);

  gboolean   (*step)           (MesoDbStmt *stmt, GError **error);
  void       (*reset)          (MesoDbStmt *stmt);

  gboolean   (*column_is_null) (MesoDbStmt *stmt, int column);
  gint64     (*column_int64)   (MesoDbStmt *stmt, int column);
  double     (*column_double)  (MesoDbStmt *stmt, int column);
  const char *(*column_text)   (MesoDbStmt *stmt, int column);
  GBytes     *(*column_bytes)  (MesoDbStmt *stmt, int column);
  int        (*column_count)   (MesoDbStmt *stmt);
  const char *(*column_name)   (MesoDbStmt *stmt, int column);

  gint64     (*changes)        (MesoDb *db);
  gboolean   (*exec)           (MesoDb *db, const char *sql, GError **error);
  gboolean   (*begin)          (MesoDb *db, GError **error);
  gboolean   (*begin_read)     (MesoDb *db, GError **error);
  /* NULL for an engine whose connection cannot be lost (a file). */
  gboolean   (*is_connected)   (MesoDb *db);
  gboolean   (*reconnect)      (MesoDb *db, GError **error);

  /* A bulk load (meso_db_load_begin()) the engine's own way; NULL: one
   * prepared INSERT a row. The driver's state for one load is @data. */
  gpointer   (*load_begin)     (MesoDb *db, const char *table, const char *const *columns,
                                GError **error);
  gboolean   (*load_row)       (gpointer data, const char *const *values, guint n_values,
                                GError **error);
  gboolean   (*load_end)       (gpointer data, gboolean finish, GError **error);
} MesoDbDriver;

/* Every driver's MesoDb and MesoDbStmt start with these. */
struct _MesoDb
{
  const MesoDbDriver *driver;
  GHashTable         *statements;   /* SQL text (owned copy) → MesoDbStmt */
  /* Whether the transaction lost to a concurrent one (set by the driver's
   * error mapping, cleared by meso_db_begin()): see meso_db_get_race(). */
  MesoDbRace          race;
  /* Set by meso_db_hold_reconnect(): a use of a lost connection fails at
   * once, and only meso_db_reconnect() connects again. */
  gboolean            reconnect_held;
  /* Statements handed out or run (meso_db_get_statements()). */
  gint64              statements_run;
};

struct _MesoDbStmt
{
  MesoDb   *db;
  /* Set by meso_db_stream() until the statement is handed out again. */
  gboolean  streamed;
};

/* For a driver's open function: sets up the shared part. */
void meso_db_init (MesoDb             *db,
                   const MesoDbDriver *driver);

G_END_DECLS
