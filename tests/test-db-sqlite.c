/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's connection layer (meso-db.h) over its SQLite driver: what
 * the store relies on of every engine, and SQLite's errors as the kinds
 * the store words for people. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-db-sqlite.h"
#include "meso-store-private.h"

#include <glib/gstdio.h>

#include "meso-test.h"

typedef struct
{
  char   *dir;
  char   *path;
  MesoDb *db;
} DbFixture;

static MesoDb *
open_db (const char *path,
         int         flags)
{
  g_autoptr(GError) error = NULL;
  MesoDb *db = meso_db_sqlite_open (path, flags, &error);

  EXPECT_NO_ERROR (path, error);
  assert_non_null (db);
  return db;
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  DbFixture *f = g_new0 (DbFixture, 1);

  f->dir = g_dir_make_tmp ("mesodesk-db-XXXXXX", &error);
  EXPECT_NO_ERROR ("temporary folder", error);
  f->path = g_build_filename (f->dir, "clinic.db", NULL);
  f->db = open_db (f->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  assert_true (meso_db_exec (f->db,
                             "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                             "n INTEGER NOT NULL CHECK (n >= 0), x REAL)",
                             &error));
  EXPECT_NO_ERROR ("schema", error);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  DbFixture *f = *state;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  meso_db_close (f->db);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static const char insert_sql[] = "INSERT INTO t (name, n, x) VALUES (?1, ?2, ?3) RETURNING id";

/* One row through INSERT … RETURNING id; its id, or 0 with @error. */
static gint64
insert (MesoDb      *db,
        const char  *name,
        gint64       n,
        GError     **error)
{
  MesoDbStmt *stmt = meso_db_prepare (db, insert_sql, error);
  gint64 id;

  if (stmt == NULL)
    return 0;
  meso_db_bind_text (stmt, 1, name);
  meso_db_bind_int64 (stmt, 2, n);
  meso_db_bind_double (stmt, 3, 0.5);
  if (!meso_db_step (stmt, error))
    return 0;
  id = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return id;
}

/* RETURNING gives each new row's id; the statement is kept and comes back
 * reset, without the last call's bindings. */
static void
test_db_statements (void **state)
{
  DbFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *dup = NULL;
  MesoDbStmt *stmt, *again;

  EXPECT_INT ("first id", 1, insert (f->db, "Ada", 3, &error));
  EXPECT_NO_ERROR ("first insert", error);
  EXPECT_INT ("changes", 1, meso_db_changes (f->db));
  EXPECT_INT ("second id", 2, insert (f->db, NULL, 0, &error));
  EXPECT_NO_ERROR ("second insert", error);

  stmt = meso_db_prepare (f->db, insert_sql, &error);
  again = meso_db_prepare (f->db, insert_sql, &error);
  EXPECT ("the same statement, kept", stmt == again);
  /* No bindings left: n is NULL, which the table refuses. */
  EXPECT ("step without bindings fails", !meso_db_step (again, &error));
  assert_non_null (error);
  EXPECT_INT ("no bindings: a constraint", MESO_DB_ERROR_CONSTRAINT, error->code);
  g_clear_error (&error);

  stmt = meso_db_prepare (f->db, "SELECT id, name, n, x FROM t ORDER BY id", &error);
  assert_non_null (stmt);
  assert_true (meso_db_step (stmt, &error));
  EXPECT_STR ("text", "Ada", meso_db_column_text (stmt, 1));
  dup = meso_db_column_dup (stmt, 1);
  EXPECT_STR ("dup", "Ada", dup);
  EXPECT_INT ("int", 3, meso_db_column_int (stmt, 2));
  EXPECT ("double", meso_db_column_double (stmt, 3) == 0.5);
  EXPECT ("not null", !meso_db_column_is_null (stmt, 1));
  assert_true (meso_db_step (stmt, &error));
  EXPECT ("null", meso_db_column_is_null (stmt, 1));
  EXPECT ("null text", meso_db_column_text (stmt, 1) == NULL);
  EXPECT ("null dup", meso_db_column_dup (stmt, 1) == NULL);
  EXPECT ("the end", !meso_db_step (stmt, &error));
  EXPECT_NO_ERROR ("the end", error);
  /* Reset at its end: it runs again from the start. */
  assert_true (meso_db_step (stmt, &error));
  EXPECT_INT ("again from the first row", 1, meso_db_column_int64 (stmt, 0));
  meso_db_reset (stmt);

  /* A number may appear twice; one the text does not use is ignored. */
  stmt = meso_db_prepare (f->db, "SELECT ?1 + ?1 + ?3", &error);
  assert_non_null (stmt);
  for (int i = 1; i <= 8; i++)
    meso_db_bind_int64 (stmt, i, i);
  assert_true (meso_db_step (stmt, &error));
  EXPECT_INT ("?1 + ?1 + ?3", 5, meso_db_column_int64 (stmt, 0));
  meso_db_reset (stmt);

  stmt = meso_db_prepare (f->db, "DELETE FROM t", &error);
  assert_true (meso_db_run (stmt, &error));
  EXPECT_INT ("changes of a delete", 2, meso_db_changes (f->db));
}

static void
expect_kind (const char *what,
             GError     *error,
             int         kind)
{
  if (error == NULL)
    fail_msg ("%s: no error, expected kind %d", what, kind);
  if (error->domain != MESO_DB_ERROR || error->code != kind)
    fail_msg ("%s: %s %d (%s), expected kind %d", what, g_quark_to_string (error->domain),
              error->code, error->message, kind);
}

/* SQLite's result codes as the kinds the store tells apart. */
static void
test_db_error_kinds (void **state)
{
  DbFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "folder", "x.db", NULL);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.db", NULL);
  MesoDb *other;

  insert (f->db, "Ada", 1, &error);
  insert (f->db, "Ada", 1, &error);
  expect_kind ("a second Ada", error, MESO_DB_ERROR_UNIQUE);
  g_clear_error (&error);
  insert (f->db, "Bea", -1, &error);
  expect_kind ("a check", error, MESO_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  EXPECT ("a syntax error", meso_db_prepare (f->db, "SELEKT 1", &error) == NULL);
  expect_kind ("a syntax error", error, MESO_DB_ERROR_FAILED);
  g_clear_error (&error);

  EXPECT ("a missing folder",
          meso_db_sqlite_open (missing, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                               &error) == NULL);
  expect_kind ("a missing folder", error, MESO_DB_ERROR_CANTOPEN);
  g_clear_error (&error);

  assert_true (g_file_set_contents (garbage, "not a database, not at all; "
                                    "just some words, longer than a header's hundred bytes, "
                                    "so that SQLite reads them as one and refuses it.", -1,
                                    NULL));
  other = open_db (garbage, SQLITE_OPEN_READWRITE);
  EXPECT ("not a database", !meso_db_exec (other, "SELECT * FROM sqlite_schema", &error));
  expect_kind ("not a database", error, MESO_DB_ERROR_CORRUPT);
  g_clear_error (&error);
  meso_db_close (other);
  g_unlink (garbage);

  other = open_db (f->path, SQLITE_OPEN_READONLY);
  EXPECT ("read-only", !meso_db_exec (other, "DELETE FROM t", &error));
  expect_kind ("read-only", error, MESO_DB_ERROR_READONLY);
  g_clear_error (&error);
  meso_db_close (other);

  /* Another connection holds the write lock (no busy timeout here). */
  other = open_db (f->path, SQLITE_OPEN_READWRITE);
  assert_true (meso_db_begin (other, &error));
  EXPECT ("locked", !meso_db_begin (f->db, &error));
  expect_kind ("locked", error, MESO_DB_ERROR_BUSY);
  g_clear_error (&error);
  assert_true (meso_db_exec (other, "ROLLBACK", &error));
  meso_db_close (other);
}

/* Every kind becomes the store's error with words for people: never the
 * engine's own, and each in the family the command line's exit codes
 * follow (a database error: 5; a contradiction of the records: 2). */
static void
test_db_errors_for_people (void **state)
{
  static const struct
  {
    MesoDbError    kind;
    MesoStoreError code;
    const char    *says;
  } cases[] = {
    { MESO_DB_ERROR_BUSY, MESO_STORE_ERROR_BUSY, "busy" },
    { MESO_DB_ERROR_SERIALIZATION, MESO_STORE_ERROR_BUSY, "try again" },
    { MESO_DB_ERROR_UNIQUE, MESO_STORE_ERROR_INVALID, "contradicts" },
    { MESO_DB_ERROR_CONSTRAINT, MESO_STORE_ERROR_INVALID, "contradicts" },
    { MESO_DB_ERROR_FULL, MESO_STORE_ERROR_FULL, "disk is full" },
    { MESO_DB_ERROR_CORRUPT, MESO_STORE_ERROR_CORRUPT, "damaged" },
    { MESO_DB_ERROR_READONLY, MESO_STORE_ERROR_FAILED, "cannot be written" },
    { MESO_DB_ERROR_CANTOPEN, MESO_STORE_ERROR_FAILED, "cannot be opened" },
    { MESO_DB_ERROR_IO, MESO_STORE_ERROR_FAILED, "disk reported an error" },
    { MESO_DB_ERROR_CONNECTION, MESO_STORE_ERROR_UNREACHABLE, "cannot be reached" },
    { MESO_DB_ERROR_AUTH, MESO_STORE_ERROR_DENIED, "user name or password" },
    { MESO_DB_ERROR_TLS_HOST, MESO_STORE_ERROR_UNREACHABLE, "does not match the server’s name" },
    { MESO_DB_ERROR_TLS_UNTRUSTED, MESO_STORE_ERROR_UNREACHABLE, "not signed by the clinic’s" },
    { MESO_DB_ERROR_TLS_NO_CA, MESO_STORE_ERROR_UNREACHABLE, "no copy of the clinic’s" },
    { MESO_DB_ERROR_TLS_MISSING, MESO_STORE_ERROR_UNREACHABLE, "does not offer encryption" },
    { MESO_DB_ERROR_FAILED, MESO_STORE_ERROR_FAILED, "unexpected error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("kind %d", cases[i].kind);

      EXPECT (what, !meso_store_set_db_error (&error, g_error_new (MESO_DB_ERROR, cases[i].kind,
                                                                   "engine words %d", 42)));
      assert_non_null (error);
      EXPECT (what, error->domain == MESO_STORE_ERROR);
      EXPECT_INT (what, cases[i].code, error->code);
      EXPECT_CONTAINS (what, error->message, cases[i].says);
      EXPECT_NOT_CONTAINS (what, error->message, "engine words");
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_db_statements, setup, teardown),
    cmocka_unit_test_setup_teardown (test_db_error_kinds, setup, teardown),
    cmocka_unit_test (test_db_errors_for_people),
  };

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
