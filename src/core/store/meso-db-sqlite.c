/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The connection layer over an SQLite file: each entry a thin wrapper of
 * the C API, statements prepared persistent (they are kept by meso-db.c). */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-db-sqlite.h"
#include "meso-db-private.h"

typedef struct
{
  MesoDb   parent;
  sqlite3 *handle;
} MesoDbSqlite;

typedef struct
{
  MesoDbStmt    parent;
  sqlite3_stmt *handle;
} MesoDbSqliteStmt;

#define DB_HANDLE(db) (((MesoDbSqlite *)(db))->handle)
#define STMT_HANDLE(stmt) (((MesoDbSqliteStmt *)(stmt))->handle)

static MesoDbError
error_kind (int rc)
{
  switch (rc)
    {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return MESO_DB_ERROR_UNIQUE;
    default:
      break;
    }
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return MESO_DB_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return MESO_DB_ERROR_CONSTRAINT;
    case SQLITE_FULL:
      return MESO_DB_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return MESO_DB_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return MESO_DB_ERROR_READONLY;
    case SQLITE_CANTOPEN:
      return MESO_DB_ERROR_CANTOPEN;
    case SQLITE_IOERR:
      return MESO_DB_ERROR_IO;
    default:
      return MESO_DB_ERROR_FAILED;
    }
}

void
meso_db_sqlite_set_error (MesoDb  *db,
                          int      rc,
                          GError **error)
{
  sqlite3 *handle = db != NULL ? DB_HANDLE (db) : NULL;

  /* For the debug log only: the store gives people its own words. */
  g_debug ("SQLite error %d: %s", rc, handle != NULL ? sqlite3_errmsg (handle) : "");
  g_set_error (error, MESO_DB_ERROR, error_kind (rc), "SQLite error %d", rc);
}

static void
sqlite_close (MesoDb *db)
{
  sqlite3_close_v2 (DB_HANDLE (db));
  g_free (db);
}

static MesoDbStmt *
sqlite_prepare (MesoDb      *db,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *handle = NULL;
  MesoDbSqliteStmt *stmt;
  int rc;

  /* Persistent: each is kept for the connection's life. */
  rc = sqlite3_prepare_v3 (DB_HANDLE (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &handle, NULL);
  if (rc != SQLITE_OK)
    {
      meso_db_sqlite_set_error (db, rc, error);
      return NULL;
    }
  stmt = g_new0 (MesoDbSqliteStmt, 1);
  stmt->handle = handle;
  return &stmt->parent;
}

static void
sqlite_finalize (MesoDbStmt *stmt)
{
  sqlite3_finalize (STMT_HANDLE (stmt));
  g_free (stmt);
}

static void
sqlite_clear (MesoDbStmt *stmt)
{
  sqlite3_reset (STMT_HANDLE (stmt));
  sqlite3_clear_bindings (STMT_HANDLE (stmt));
}

static void
sqlite_bind_int64 (MesoDbStmt *stmt,
                   int         index,
                   gint64      value)
{
  sqlite3_bind_int64 (STMT_HANDLE (stmt), index, value);
}

static void
sqlite_bind_double (MesoDbStmt *stmt,
                    int         index,
                    double      value)
{
  sqlite3_bind_double (STMT_HANDLE (stmt), index, value);
}

static void
sqlite_bind_text (MesoDbStmt *stmt,
                  int         index,
                  const char *text)
{
  sqlite3_bind_text (STMT_HANDLE (stmt), index, text, -1, SQLITE_TRANSIENT);
}

static void
sqlite_bind_blob (MesoDbStmt *stmt,
                  int         index,
                  GBytes     *bytes)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  /* A zero-length blob, not NULL: SQLite binds NULL for a NULL pointer. */
  if (size == 0)
    sqlite3_bind_zeroblob (STMT_HANDLE (stmt), index, 0);
  else
    sqlite3_bind_blob64 (STMT_HANDLE (stmt), index, data, size, SQLITE_TRANSIENT);
}

static void
sqlite_bind_null (MesoDbStmt *stmt,
                  int         index)
{
  sqlite3_bind_null (STMT_HANDLE (stmt), index);
}

static gboolean
sqlite_step (MesoDbStmt  *stmt,
             GError     **error)
{
  int rc = sqlite3_step (STMT_HANDLE (stmt));

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    meso_db_sqlite_set_error (stmt->db, rc, error);
  sqlite3_reset (STMT_HANDLE (stmt));
  return FALSE;
}

static void
sqlite_reset (MesoDbStmt *stmt)
{
  sqlite3_reset (STMT_HANDLE (stmt));
}

static gboolean
sqlite_column_is_null (MesoDbStmt *stmt,
                       int         column)
{
  return sqlite3_column_type (STMT_HANDLE (stmt), column) == SQLITE_NULL;
}

static gint64
sqlite_column_int64 (MesoDbStmt *stmt,
                     int         column)
{
  return sqlite3_column_int64 (STMT_HANDLE (stmt), column);
}

static double
sqlite_column_double (MesoDbStmt *stmt,
                      int         column)
{
  return sqlite3_column_double (STMT_HANDLE (stmt), column);
}

static const char *
sqlite_column_text (MesoDbStmt *stmt,
                    int         column)
{
  return (const char *)sqlite3_column_text (STMT_HANDLE (stmt), column);
}

static GBytes *
sqlite_column_bytes (MesoDbStmt *stmt,
                     int         column)
{
  sqlite3_stmt *handle = STMT_HANDLE (stmt);
  gconstpointer data = sqlite3_column_blob (handle, column);

  if (data == NULL && sqlite3_column_type (handle, column) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (data, sqlite3_column_bytes (handle, column));
}

static int
sqlite_column_count (MesoDbStmt *stmt)
{
  return sqlite3_column_count (STMT_HANDLE (stmt));
}

static const char *
sqlite_column_name (MesoDbStmt *stmt,
                    int         column)
{
  return sqlite3_column_name (STMT_HANDLE (stmt), column);
}

static gint64
sqlite_changes (MesoDb *db)
{
  return sqlite3_changes64 (DB_HANDLE (db));
}

static gboolean
sqlite_exec (MesoDb      *db,
             const char  *sql,
             GError     **error)
{
  int rc = sqlite3_exec (DB_HANDLE (db), sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      meso_db_sqlite_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_begin (MesoDb  *db,
              GError **error)
{
  /* IMMEDIATE: the write lock now, so two programs booking at once queue
   * up instead of both deciding on stale data. */
  return sqlite_exec (db, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_begin_read (MesoDb  *db,
                   GError **error)
{
  /* Deferred: the snapshot is taken at the first read and kept to the end. */
  return sqlite_exec (db, "BEGIN DEFERRED", error);
}

static const MesoDbDriver sqlite_driver = {
  .engine = MESO_DB_ENGINE_SQLITE,
  .close = sqlite_close,
  .prepare = sqlite_prepare,
  .finalize = sqlite_finalize,
  .clear = sqlite_clear,
  .bind_int64 = sqlite_bind_int64,
  .bind_double = sqlite_bind_double,
  .bind_text = sqlite_bind_text,
  .bind_null = sqlite_bind_null,
  .bind_blob = sqlite_bind_blob,
  .step = sqlite_step,
  .reset = sqlite_reset,
  .column_is_null = sqlite_column_is_null,
  .column_int64 = sqlite_column_int64,
  .column_double = sqlite_column_double,
  .column_text = sqlite_column_text,
  .column_bytes = sqlite_column_bytes,
  .column_count = sqlite_column_count,
  .column_name = sqlite_column_name,
  .changes = sqlite_changes,
  .exec = sqlite_exec,
  .begin = sqlite_begin,
  .begin_read = sqlite_begin_read,
};

MesoDb *
meso_db_sqlite_open (const char  *path,
                     int          sqlite_open_flags,
                     GError     **error)
{
  MesoDbSqlite *db;
  sqlite3 *handle = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &handle, sqlite_open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_debug ("Opening %s: SQLite error %d: %s", path, rc,
               handle != NULL ? sqlite3_errmsg (handle) : "");
      g_set_error (error, MESO_DB_ERROR, error_kind (rc), "SQLite error %d", rc);
      sqlite3_close_v2 (handle);
      return NULL;
    }
  sqlite3_extended_result_codes (handle, 1);

  db = g_new0 (MesoDbSqlite, 1);
  meso_db_init (&db->parent, &sqlite_driver);
  db->handle = handle;
  return &db->parent;
}

sqlite3 *
meso_db_sqlite_handle (MesoDb *db)
{
  g_return_val_if_fail (db != NULL && meso_db_get_engine (db) == MESO_DB_ENGINE_SQLITE, NULL);

  return DB_HANDLE (db);
}

sqlite3_stmt *
meso_db_sqlite_stmt_handle (MesoDbStmt *stmt)
{
  g_return_val_if_fail (stmt != NULL, NULL);
  g_return_val_if_fail (meso_db_get_engine (stmt->db) == MESO_DB_ENGINE_SQLITE, NULL);

  return STMT_HANDLE (stmt);
}
