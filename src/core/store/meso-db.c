/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-db.h"
#include "meso-db-private.h"

G_DEFINE_QUARK (meso-db-error-quark, meso_db_error)

static void
finalize_statement (gpointer data)
{
  MesoDbStmt *stmt = data;

  stmt->db->driver->finalize (stmt);
}

void
meso_db_init (MesoDb             *db,
              const MesoDbDriver *driver)
{
  db->driver = driver;
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

void
meso_db_close (MesoDb *db)
{
  if (db == NULL)
    return;
  /* Statements first: an engine closes only a connection without any. */
  g_clear_pointer (&db->statements, g_hash_table_unref);
  db->driver->close (db);
}

MesoDbEngine
meso_db_get_engine (MesoDb *db)
{
  return db->driver->engine;
}

MesoDbStmt *
meso_db_prepare (MesoDb      *db,
                 const char  *sql,
                 GError     **error)
{
  MesoDbStmt *stmt = g_hash_table_lookup (db->statements, sql);

  db->statements_run++;
  if (stmt != NULL)
    {
      db->driver->clear (stmt);
      stmt->streamed = FALSE;
      return stmt;
    }
  stmt = db->driver->prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  stmt->db = db;
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

void
meso_db_bind_int64 (MesoDbStmt *stmt,
                    int         index,
                    gint64      value)
{
  stmt->db->driver->bind_int64 (stmt, index, value);
}

void
meso_db_bind_double (MesoDbStmt *stmt,
                     int         index,
                     double      value)
{
  stmt->db->driver->bind_double (stmt, index, value);
}

void
meso_db_bind_text (MesoDbStmt *stmt,
                   int         index,
                   const char *text)
{
  if (text == NULL)
    stmt->db->driver->bind_null (stmt, index);
  else
    stmt->db->driver->bind_text (stmt, index, text);
}

void
meso_db_bind_null (MesoDbStmt *stmt,
                   int         index)
{
  stmt->db->driver->bind_null (stmt, index);
}

void
meso_db_bind_blob (MesoDbStmt *stmt,
                   int         index,
                   GBytes     *bytes)
{
  if (bytes == NULL)
    stmt->db->driver->bind_null (stmt, index);
  else
    stmt->db->driver->bind_blob (stmt, index, bytes);
}

void
meso_db_stream (MesoDbStmt *stmt)
{
  stmt->streamed = TRUE;
}

gboolean
meso_db_step (MesoDbStmt  *stmt,
              GError     **error)
{
  return stmt->db->driver->step (stmt, error);
}

gboolean
meso_db_run (MesoDbStmt  *stmt,
             GError     **error)
{
  GError *local_error = NULL;

  while (stmt->db->driver->step (stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
meso_db_reset (MesoDbStmt *stmt)
{
  stmt->db->driver->reset (stmt);
}

gboolean
meso_db_column_is_null (MesoDbStmt *stmt,
                        int         column)
{
  return stmt->db->driver->column_is_null (stmt, column);
}

gint64
meso_db_column_int64 (MesoDbStmt *stmt,
                      int         column)
{
  return stmt->db->driver->column_int64 (stmt, column);
}

int
meso_db_column_int (MesoDbStmt *stmt,
                    int         column)
{
  return (int)CLAMP (stmt->db->driver->column_int64 (stmt, column), G_MININT, G_MAXINT);
}

double
meso_db_column_double (MesoDbStmt *stmt,
                       int         column)
{
  return stmt->db->driver->column_double (stmt, column);
}

const char *
meso_db_column_text (MesoDbStmt *stmt,
                     int         column)
{
  return stmt->db->driver->column_text (stmt, column);
}

char *
meso_db_column_dup (MesoDbStmt *stmt,
                    int         column)
{
  return g_strdup (stmt->db->driver->column_text (stmt, column));
}

GBytes *
meso_db_column_bytes (MesoDbStmt *stmt,
                      int         column)
{
  return stmt->db->driver->column_bytes (stmt, column);
}

int
meso_db_column_count (MesoDbStmt *stmt)
{
  return stmt->db->driver->column_count (stmt);
}

const char *
meso_db_column_name (MesoDbStmt *stmt,
                     int         column)
{
  return stmt->db->driver->column_name (stmt, column);
}

gint64
meso_db_changes (MesoDb *db)
{
  return db->driver->changes (db);
}

gboolean
meso_db_exec (MesoDb      *db,
              const char  *sql,
              GError     **error)
{
  db->statements_run++;
  return db->driver->exec (db, sql, error);
}

gint64
meso_db_get_statements (MesoDb *db)
{
  return db->statements_run;
}

gboolean
meso_db_begin (MesoDb  *db,
               GError **error)
{
  db->race = MESO_DB_RACE_NONE;
  db->statements_run++;
  return db->driver->begin (db, error);
}

gboolean
meso_db_begin_read (MesoDb  *db,
                    GError **error)
{
  db->race = MESO_DB_RACE_NONE;
  return db->driver->begin_read (db, error);
}

gboolean
meso_db_is_connected (MesoDb *db)
{
  return db->driver->is_connected == NULL || db->driver->is_connected (db);
}

gboolean
meso_db_reconnect (MesoDb  *db,
                   GError **error)
{
  return db->driver->reconnect == NULL || db->driver->reconnect (db, error);
}

void
meso_db_hold_reconnect (MesoDb   *db,
                        gboolean  held)
{
  db->reconnect_held = held;
}

MesoDbRace
meso_db_get_race (MesoDb *db)
{
  return db->race;
}

/* ============================================================ bulk loads */

struct _MesoDbLoad
{
  MesoDb     *db;
  guint       n_columns;
  gpointer    data;     /* the driver's, when it loads its own way */
  MesoDbStmt *insert;   /* else: one INSERT a row */
};

MesoDbLoad *
meso_db_load_begin (MesoDb             *db,
                    const char         *table,
                    const char *const  *columns,
                    GError            **error)
{
  g_autofree MesoDbLoad *load = g_new0 (MesoDbLoad, 1);

  g_return_val_if_fail (table != NULL && columns != NULL && columns[0] != NULL, NULL);

  load->db = db;
  load->n_columns = g_strv_length ((char **)columns);
  if (db->driver->load_begin != NULL)
    {
      load->data = db->driver->load_begin (db, table, columns, error);
      if (load->data == NULL)
        return NULL;
    }
  else
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO \"%s\" (", table);
      for (guint i = 0; i < load->n_columns; i++)
        g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", columns[i]);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < load->n_columns; i++)
        g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
      g_string_append (sql, ")");
      load->insert = meso_db_prepare (db, sql->str, error);
      if (load->insert == NULL)
        return NULL;
    }
  return g_steal_pointer (&load);
}

gboolean
meso_db_load_row (MesoDbLoad         *load,
                  const char *const  *values,
                  GError            **error)
{
  if (load->data != NULL)
    return load->db->driver->load_row (load->data, values, load->n_columns, error);

  for (guint i = 0; i < load->n_columns; i++)
    meso_db_bind_text (load->insert, i + 1, values[i]);
  return meso_db_run (load->insert, error);
}

gboolean
meso_db_load_end (MesoDbLoad  *load,
                  gboolean     finish,
                  GError     **error)
{
  gboolean ok = TRUE;

  if (load->data != NULL)
    ok = load->db->driver->load_end (load->data, finish, error);
  g_free (load);
  return ok;
}
