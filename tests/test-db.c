/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's connection layer (meso-db.h), issue 15: the same cases on
 * every engine in engines[], then what only PostgreSQL has (its dialect,
 * its SQLSTATEs, serialization failures, a server that goes away).
 *
 * PostgreSQL comes from MESODESK_TEST_POSTGRESQL (a libpq conninfo), which
 * build-aux/dev test sets with build-aux/pg-test-server. Without it the
 * PostgreSQL cases are skipped, unless CI is set: then they fail. Each
 * case works in a schema of its own, dropped afterwards. Every table and
 * constraint is named zq_…, so an error message that quotes the server's
 * own text shows it. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-db.h"
#include "meso-db-postgresql.h"
#include "meso-db-sqlite.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "meso-test.h"

#include <math.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESO_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MESO_TEST_ASAN 1
#endif
#ifdef MESO_TEST_ASAN
/* From the sanitizer runtime (GCC ships no header for it). */
size_t __sanitizer_get_current_allocated_bytes (void);
#endif

typedef struct _Engine Engine;

typedef struct
{
  const Engine *engine;
  char         *scope;  /* where the case's tables live: a schema, a file */
  MesoDb       *db;
  GPtrArray    *others; /* more connections, closed even when a case fails */
} Fixture;

struct _Engine
{
  const char *name;
  /* Why the engine cannot be tested here, or NULL. */
  const char *(*unavailable) (void);
  void        (*create_scope) (Fixture *f);
  /* A new connection to the fixture's database and scope. */
  MesoDb     *(*connect) (Fixture *f, GError **error);
  void        (*drop_scope) (Fixture *f);
  /* A column that numbers new rows, for INSERT … RETURNING id. */
  const char *id_column;
  /* Cases for this engine alone, after the common ones. */
  const struct CMUnitTest *own_tests;
  gsize       n_own_tests;
};

static const Engine *current_engine;

/* ============================================================== helpers */

/* Words of the server's own messages, which no GError may carry. */
static const char *const server_words[] = {
  "zq", "ERROR:", "FATAL:", "DETAIL", "violates", "duplicate key", "could not serialize",
  "terminating", "closed the connection", "syntax", "does not exist", "mesodesk-pg-",
};

/* Checks *@error_ptr, then clears it. */
static void
expect_db_error (const char  *what,
                 GError     **error_ptr,
                 MesoDbError  kind)
{
  const GError *error = *error_ptr;

  if (error == NULL)
    {
      print_error ("case \"%s\": expected error %d, got none\n", what, kind);
      fail ();
    }
  if (error->domain != MESO_DB_ERROR || error->code != (int)kind)
    {
      print_error ("case \"%s\": expected MESO_DB_ERROR %d, got %s %d: %s\n", what, kind,
                   g_quark_to_string (error->domain), error->code, error->message);
      fail ();
    }
  for (gsize i = 0; i < G_N_ELEMENTS (server_words); i++)
    EXPECT_NOT_CONTAINS (what, error->message, server_words[i]);
  g_clear_error (error_ptr);
}

static void
exec_ok (MesoDb     *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  meso_db_exec (db, sql, &error);
  EXPECT_NO_ERROR (sql, error);
}

static MesoDbStmt *
prepare_ok (MesoDb     *db,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt = meso_db_prepare (db, sql, &error);

  EXPECT_NO_ERROR (sql, error);
  assert_non_null (stmt);
  return stmt;
}

/* Steps @stmt, which must give a row (@row) or come to its end. */
static void
expect_step (const char *what,
             MesoDbStmt *stmt,
             gboolean    row)
{
  g_autoptr(GError) error = NULL;
  gboolean got = meso_db_step (stmt, &error);

  EXPECT_NO_ERROR (what, error);
  EXPECT_INT (what, row, got);
}

static void
run_ok (const char *what,
        MesoDbStmt *stmt)
{
  g_autoptr(GError) error = NULL;

  meso_db_run (stmt, &error);
  EXPECT_NO_ERROR (what, error);
}

/* One number from @sql, which has no parameters. */
static gint64
query_int (MesoDb     *db,
           const char *sql)
{
  MesoDbStmt *stmt = prepare_ok (db, sql);
  gint64 value;

  expect_step (sql, stmt, TRUE);
  value = meso_db_column_int64 (stmt, 0);
  expect_step (sql, stmt, FALSE);
  return value;
}

static char *
create_table_sql (const char *name,
                  const char *columns)
{
  return g_strdup_printf ("CREATE TABLE %s (id %s, %s)", name,
                          current_engine->id_column, columns);
}

/* Memory the process holds: its resident set, or under AddressSanitizer
 * (whose quarantine keeps freed blocks resident) what is allocated. */
static gint64
memory_in_use (void)
{
#ifdef MESO_TEST_ASAN
  return (gint64)__sanitizer_get_current_allocated_bytes ();
#else
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) * 1024 : 0;
#endif
}

/* ============================================================== fixture */

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->engine = current_engine;
  f->others = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_db_close);
  f->engine->create_scope (f);
  f->db = f->engine->connect (f, &error);
  EXPECT_NO_ERROR ("connecting", error);
  assert_non_null (f->db);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  meso_db_close (f->db);
  g_ptr_array_unref (f->others);
  f->engine->drop_scope (f);
  g_free (f->scope);
  g_free (f);
  return 0;
}

static MesoDb *
fixture_db (void **state)
{
  return ((Fixture *)*state)->db;
}

static MesoDb *
connect_again (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  MesoDb *db = f->engine->connect (f, &error);

  EXPECT_NO_ERROR ("a second connection", error);
  assert_non_null (db);
  g_ptr_array_add (f->others, db);
  return db;
}

/* ======================================================== common cases */

static void
test_parameters_numbered (void **state)
{
  MesoDb *db = fixture_db (state);
  const char *sql = "SELECT CAST(?2 AS TEXT) || '|' || CAST(?1 AS TEXT) || '|' "
                    "|| CAST(?2 AS TEXT), CAST(?1 AS BIGINT) * 10 + CAST(?2 AS BIGINT)";
  MesoDbStmt *stmt = prepare_ok (db, sql);

  meso_db_bind_text (stmt, 1, "3");
  meso_db_bind_text (stmt, 2, "4");
  expect_step ("?2 ?1 ?2", stmt, TRUE);
  EXPECT_STR ("?2 ?1 ?2", "4|3|4", meso_db_column_text (stmt, 0));
  EXPECT_INT ("?1 * 10 + ?2", 34, meso_db_column_int64 (stmt, 1));
  expect_step ("?2 ?1 ?2", stmt, FALSE);

  /* The same statement again, with numbers bound. */
  meso_db_bind_int64 (stmt, 2, 7);
  meso_db_bind_int64 (stmt, 1, 5);
  expect_step ("bound again", stmt, TRUE);
  EXPECT_STR ("bound again", "7|5|7", meso_db_column_text (stmt, 0));
  EXPECT_INT ("bound again", 57, meso_db_column_int (stmt, 1));
  expect_step ("bound again", stmt, FALSE);
}

/* Statements that share a set of values (the reminders') skip some of
 * them: every number is bound, the skipped ones are ignored. */
static void
test_parameters_skipped (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt = prepare_ok (db, "SELECT CAST(?4 AS BIGINT) - ?2");

  for (int i = 1; i <= 6; i++)
    meso_db_bind_int64 (stmt, i, i * 10);
  expect_step ("?4 - ?2, ?1 ?3 ?5 ?6 bound", stmt, TRUE);
  EXPECT_INT ("?4 - ?2", 20, meso_db_column_int64 (stmt, 0));
  expect_step ("?4 - ?2", stmt, FALSE);
}

static void
test_parameters_in_quotes_left_alone (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt;

  exec_ok (db, "CREATE TABLE zq_q (\"?1\" TEXT, \"it\"\"s ?2\" TEXT)");
  stmt = prepare_ok (db, "INSERT INTO zq_q (\"?1\", \"it\"\"s ?2\") "
                         "VALUES (?1, '?2 it''s ?1') -- ?3\n");
  meso_db_bind_text (stmt, 1, "value");
  run_ok ("insert", stmt);

  stmt = prepare_ok (db, "SELECT \"?1\", \"it\"\"s ?2\", '?1' /* ?4 */ FROM zq_q "
                         "WHERE \"?1\" = ?1");
  meso_db_bind_text (stmt, 1, "value");
  expect_step ("select", stmt, TRUE);
  EXPECT_STR ("a quoted name", "value", meso_db_column_text (stmt, 0));
  EXPECT_STR ("a literal with '' in it", "?2 it's ?1", meso_db_column_text (stmt, 1));
  EXPECT_STR ("a literal", "?1", meso_db_column_text (stmt, 2));
  expect_step ("select", stmt, FALSE);
}

static const gint64 int_values[] = { G_MININT64, G_MININT64 + 1, -1, 0, 1, G_MAXINT32 + 1LL,
                                     G_MAXINT64 };
static const double double_values[] = { 0.1, 1.0 / 3.0, -123.456e-7, 1e308, 5e-324,
                                        G_MAXDOUBLE, -2.5 };
static const char *const text_values[] = {
  "Zoë Ångström 🙂👩🏽‍⚕️", "control \x01\x02\x1b\x1f\x7f end", "tab\tline\nreturn\r",
  "中文 русский ﷽", "'single' \"double\" back\\slash", "?1 $1 $$ -- /*", "",
};

static void
test_values_round_trip (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt;

  exec_ok (db, "CREATE TABLE zq_v (k BIGINT, i BIGINT, d DOUBLE PRECISION, t TEXT)");
  G_STATIC_ASSERT (G_N_ELEMENTS (int_values) == G_N_ELEMENTS (double_values));
  G_STATIC_ASSERT (G_N_ELEMENTS (int_values) == G_N_ELEMENTS (text_values));

  for (gsize k = 0; k < G_N_ELEMENTS (int_values); k++)
    {
      stmt = prepare_ok (db, "INSERT INTO zq_v (k, i, d, t) VALUES (?1, ?2, ?3, ?4)");
      meso_db_bind_int64 (stmt, 1, k);
      meso_db_bind_int64 (stmt, 2, int_values[k]);
      meso_db_bind_double (stmt, 3, double_values[k]);
      meso_db_bind_text (stmt, 4, text_values[k]);
      run_ok ("insert", stmt);
    }

  for (gsize k = 0; k < G_N_ELEMENTS (int_values); k++)
    {
      g_autofree char *what = g_strdup_printf ("row %" G_GSIZE_FORMAT, k);
      g_autofree char *dup = NULL;

      stmt = prepare_ok (db, "SELECT i, d, t FROM zq_v WHERE k = ?1");
      meso_db_bind_int64 (stmt, 1, k);
      expect_step (what, stmt, TRUE);
      EXPECT_INT (what, int_values[k], meso_db_column_int64 (stmt, 0));
      if (meso_db_column_double (stmt, 1) != double_values[k])
        {
          print_error ("case \"%s\": expected %.17g, got %.17g\n", what, double_values[k],
                       meso_db_column_double (stmt, 1));
          fail ();
        }
      EXPECT_STR (what, text_values[k], meso_db_column_text (stmt, 2));
      dup = meso_db_column_dup (stmt, 2);
      EXPECT_STR (what, text_values[k], dup);
      EXPECT (what, !meso_db_column_is_null (stmt, 2));
      expect_step (what, stmt, FALSE);
    }

  EXPECT_INT ("the smallest int64, read back", G_MININT64,
              query_int (db, "SELECT min(i) FROM zq_v"));
  EXPECT_INT ("the largest int64, read back", G_MAXINT64,
              query_int (db, "SELECT max(i) FROM zq_v"));
}

static void
test_nulls (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt;

  exec_ok (db, "CREATE TABLE zq_n (k BIGINT, i BIGINT, d DOUBLE PRECISION, t TEXT)");
  stmt = prepare_ok (db, "INSERT INTO zq_n (k, i, d, t) VALUES (?1, ?2, ?3, ?4)");
  meso_db_bind_int64 (stmt, 1, 1);
  meso_db_bind_null (stmt, 2);
  meso_db_bind_null (stmt, 3);
  meso_db_bind_text (stmt, 4, NULL);
  run_ok ("insert NULLs", stmt);

  stmt = prepare_ok (db, "SELECT i, d, t, k FROM zq_n");
  expect_step ("NULL columns", stmt, TRUE);
  for (int c = 0; c < 3; c++)
    {
      g_autofree char *dup = meso_db_column_dup (stmt, c);

      EXPECT ("NULL column", meso_db_column_is_null (stmt, c));
      EXPECT ("NULL column", meso_db_column_text (stmt, c) == NULL);
      EXPECT ("NULL column", dup == NULL);
      EXPECT_INT ("NULL column as a number", 0, meso_db_column_int64 (stmt, c));
      EXPECT ("NULL column as a double", meso_db_column_double (stmt, c) == 0.0);
    }
  EXPECT ("a value beside them", !meso_db_column_is_null (stmt, 3));
  expect_step ("NULL columns", stmt, FALSE);

  EXPECT_INT ("IS NULL finds them", 1,
              query_int (db, "SELECT count(*) FROM zq_n WHERE i IS NULL AND d IS NULL "
                             "AND t IS NULL"));
}

/* Bytes (a photo's) come back as they went in, NULs and all; an empty
 * value is not NULL. SQLite stores a BYTEA column's blobs as they are. */
static void
test_bytes_round_trip (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt;
  guint8 all[512];
  g_autoptr(GBytes) every = NULL;
  g_autoptr(GBytes) none = g_bytes_new (NULL, 0);

  for (gsize i = 0; i < sizeof all; i++)
    all[i] = (guint8)(i * 7 + (i >> 8));
  all[0] = 0;  /* a NUL first, as text would end there */
  every = g_bytes_new (all, sizeof all);

  exec_ok (db, "CREATE TABLE zq_b (k BIGINT, b BYTEA)");
  stmt = prepare_ok (db, "INSERT INTO zq_b (k, b) VALUES (?1, ?2)");
  meso_db_bind_int64 (stmt, 1, 1);
  meso_db_bind_blob (stmt, 2, every);
  run_ok ("insert bytes", stmt);
  stmt = prepare_ok (db, "INSERT INTO zq_b (k, b) VALUES (?1, ?2)");
  meso_db_bind_int64 (stmt, 1, 2);
  meso_db_bind_blob (stmt, 2, none);
  run_ok ("insert no bytes", stmt);
  stmt = prepare_ok (db, "INSERT INTO zq_b (k, b) VALUES (?1, ?2)");
  meso_db_bind_int64 (stmt, 1, 3);
  meso_db_bind_blob (stmt, 2, NULL);
  run_ok ("insert NULL", stmt);

  stmt = prepare_ok (db, "SELECT b FROM zq_b ORDER BY k");
  {
    g_autoptr(GBytes) read = NULL;

    expect_step ("every byte", stmt, TRUE);
    read = meso_db_column_bytes (stmt, 0);
    EXPECT ("every byte, back", read != NULL && g_bytes_equal (read, every));
  }
  {
    g_autoptr(GBytes) read = NULL;

    expect_step ("no bytes", stmt, TRUE);
    read = meso_db_column_bytes (stmt, 0);
    EXPECT ("empty, not NULL", read != NULL && g_bytes_get_size (read) == 0);
  }
  expect_step ("NULL", stmt, TRUE);
  EXPECT ("NULL", meso_db_column_bytes (stmt, 0) == NULL);
  expect_step ("the end", stmt, FALSE);
  EXPECT_INT ("their length on the engine", sizeof all,
              query_int (db, "SELECT length(b) FROM zq_b WHERE k = 1"));
}

static void
test_returning_and_changes (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autofree char *create = create_table_sql ("zq_r", "name TEXT");
  MesoDbStmt *stmt;
  gint64 ids[3];

  exec_ok (db, create);
  for (int i = 0; i < 3; i++)
    {
      stmt = prepare_ok (db, "INSERT INTO zq_r (name) VALUES (?1) RETURNING id");
      meso_db_bind_text (stmt, 1, "a name");
      expect_step ("RETURNING id", stmt, TRUE);
      ids[i] = meso_db_column_int64 (stmt, 0);
      expect_step ("RETURNING id", stmt, FALSE);
      EXPECT_INT ("one row inserted", 1, meso_db_changes (db));
    }
  EXPECT ("ids count up", ids[0] > 0 && ids[1] > ids[0] && ids[2] > ids[1]);

  /* Its row read, the rest abandoned: the insert still counts. */
  stmt = prepare_ok (db, "INSERT INTO zq_r (name) VALUES (?1), (?1) RETURNING id");
  meso_db_bind_text (stmt, 1, "two names");
  expect_step ("RETURNING two ids", stmt, TRUE);
  meso_db_reset (stmt);
  EXPECT_INT ("two rows inserted", 2, meso_db_changes (db));
  exec_ok (db, "DELETE FROM zq_r WHERE name = 'two names'");

  stmt = prepare_ok (db, "UPDATE zq_r SET name = ?1");
  meso_db_bind_text (stmt, 1, "another");
  run_ok ("update", stmt);
  EXPECT_INT ("three rows updated", 3, meso_db_changes (db));

  EXPECT_INT ("a query between", 3, query_int (db, "SELECT count(*) FROM zq_r"));
  EXPECT_INT ("a query changes nothing", 3, meso_db_changes (db));

  stmt = prepare_ok (db, "DELETE FROM zq_r WHERE id > ?1");
  meso_db_bind_int64 (stmt, 1, ids[2]);
  run_ok ("delete nothing", stmt);
  EXPECT_INT ("nothing deleted", 0, meso_db_changes (db));

  exec_ok (db, "DELETE FROM zq_r WHERE name = 'another'");
  EXPECT_INT ("exec deleted three", 3, meso_db_changes (db));
}

static void
test_cached_statement_fresh (void **state)
{
  MesoDb *db = fixture_db (state);
  const char *count_sql = "SELECT count(*), max(v) FROM zq_c WHERE v > ?1";
  MesoDbStmt *stmt, *again;

  exec_ok (db, "CREATE TABLE zq_c (v BIGINT)");
  exec_ok (db, "INSERT INTO zq_c (v) VALUES (1)");
  stmt = prepare_ok (db, count_sql);
  meso_db_bind_int64 (stmt, 1, 0);
  expect_step ("first", stmt, TRUE);
  EXPECT_INT ("first count", 1, meso_db_column_int64 (stmt, 0));
  /* Left in the middle of its rows. */

  exec_ok (db, "INSERT INTO zq_c (v) VALUES (2), (3)");
  again = prepare_ok (db, count_sql);
  EXPECT ("the kept statement", again == stmt);
  meso_db_bind_int64 (again, 1, 1);
  expect_step ("again", again, TRUE);
  EXPECT_INT ("fresh count", 2, meso_db_column_int64 (again, 0));
  EXPECT_INT ("fresh max", 3, meso_db_column_int64 (again, 1));
  expect_step ("again", again, FALSE);

  /* Run to its end, then stepped again: runs anew. */
  expect_step ("anew", again, TRUE);
  EXPECT_INT ("anew", 2, meso_db_column_int64 (again, 0));
  meso_db_reset (again);
}

/* Rows 1 … @n, each with @text. */
static const char series_sql[] =
  "WITH RECURSIVE zq_s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM zq_s WHERE n < ?1) "
  "SELECT n, CAST(?2 AS TEXT) FROM zq_s";

#define LARGE_ROWS 100000
#define LARGE_TEXT 1000

/* The series of @rows rows of @length characters each. */
static MesoDbStmt *
prepare_series_of (MesoDb *db,
                   gint64  rows,
                   gsize   length)
{
  g_autofree char *text = g_strnfill (length, 'x');
  MesoDbStmt *stmt = prepare_ok (db, series_sql);

  meso_db_bind_int64 (stmt, 1, rows);
  meso_db_bind_text (stmt, 2, text);
  return stmt;
}

static MesoDbStmt *
prepare_series (MesoDb *db,
                gint64  rows)
{
  return prepare_series_of (db, rows, LARGE_TEXT);
}

static void
test_large_result_streams (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt = prepare_series (db, LARGE_ROWS);
  gint64 before = memory_in_use ();
  gint64 most = before;
  gint64 rows = 0;

  meso_db_stream (stmt);
  while (meso_db_step (stmt, &error))
    {
      rows++;
      if (rows % 10000 == 0)
        {
          EXPECT_INT ("row number", rows, meso_db_column_int64 (stmt, 0));
          EXPECT_INT ("row text", LARGE_TEXT, strlen (meso_db_column_text (stmt, 1)));
          most = MAX (most, memory_in_use ());
        }
    }
  EXPECT_NO_ERROR ("large result", error);
  EXPECT_INT ("every row", LARGE_ROWS, rows);

  /* The result is about 100 MB; streamed, a few rows are held at a time. */
  print_message ("%s: memory grew by %" G_GINT64_FORMAT " KiB over 100 000 rows\n",
                 current_engine->name, (most - before) / 1024);
  if (most - before > 24 * 1024 * 1024)
    {
      print_error ("memory grew by %" G_GINT64_FORMAT " bytes over a result of %d bytes\n",
                   most - before, LARGE_ROWS * LARGE_TEXT);
      fail ();
    }
}

/* Not streamed, a run's rows may come whole (PostgreSQL's one result):
 * more rows than any buffer holds are all there, in order, with
 * statements run between them, and a run abandoned halfway leaves nothing
 * behind; the next handing out of a streamed statement fetches whole. */
static void
test_large_result_whole (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt, *other;
  gint64 rows = 0;

  exec_ok (db, "CREATE TABLE zq_w (n BIGINT)");
  stmt = prepare_series_of (db, LARGE_ROWS, 20);
  meso_db_stream (stmt);
  stmt = prepare_series_of (db, LARGE_ROWS, 20);
  while (meso_db_step (stmt, &error))
    {
      rows++;
      EXPECT_INT ("row number", rows, meso_db_column_int64 (stmt, 0));
      if (rows % 25000 == 0)
        {
          EXPECT_INT ("row text", 20, strlen (meso_db_column_text (stmt, 1)));
          other = prepare_ok (db, "INSERT INTO zq_w (n) VALUES (?1) RETURNING n");
          meso_db_bind_int64 (other, 1, rows);
          expect_step ("a write between rows", other, TRUE);
          EXPECT_INT ("a write between rows", rows, meso_db_column_int64 (other, 0));
          expect_step ("a write between rows", other, FALSE);
          EXPECT_INT ("its change", 1, meso_db_changes (db));
        }
    }
  EXPECT_NO_ERROR ("large result", error);
  EXPECT_INT ("every row", LARGE_ROWS, rows);
  EXPECT_INT ("every write", 250000, query_int (db, "SELECT sum(n) FROM zq_w"));

  /* Abandoned, in a transaction, then run again: from its first row. */
  assert_true (meso_db_begin (db, NULL));
  for (int i = 0; i < 3; i++)
    expect_step ("the first rows", stmt, TRUE);
  meso_db_reset (stmt);
  EXPECT_INT ("a query after the reset", 1, query_int (db, "SELECT count(*) FROM zq_w "
                                                          "WHERE n = 25000"));
  exec_ok (db, "COMMIT");
  expect_step ("again", stmt, TRUE);
  EXPECT_INT ("again from the first row", 1, meso_db_column_int64 (stmt, 0));
  meso_db_reset (stmt);
}

/* A streamed read into a bulk load on another connection (a transfer's
 * shape): every row arrives, and memory stays that of a few rows. */
static void
test_stream_into_load (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDb *target = NULL;
  const char *const columns[] = { "n", "t", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *create = create_table_sql ("zq_l", "n BIGINT, t TEXT");
  MesoDbStmt *stmt;
  MesoDbLoad *load;
  gint64 before, most, rows = 0;

  /* SQLite: the load commits beside the open read. */
  if (g_str_equal (current_engine->name, "sqlite"))
    exec_ok (db, "PRAGMA journal_mode = WAL");
  exec_ok (db, create);
  target = connect_again (state);
  assert_true (meso_db_begin (target, NULL));
  load = meso_db_load_begin (target, "zq_l", columns, &error);
  EXPECT_NO_ERROR ("the load begun", error);
  assert_non_null (load);

  stmt = prepare_series (db, LARGE_ROWS);
  meso_db_stream (stmt);
  before = most = memory_in_use ();
  while (meso_db_step (stmt, &error))
    {
      const char *values[] = { meso_db_column_text (stmt, 0), meso_db_column_text (stmt, 1) };

      if (!meso_db_load_row (load, values, &error))
        break;
      if (++rows % 10000 == 0)
        most = MAX (most, memory_in_use ());
    }
  EXPECT_NO_ERROR ("streamed and loaded", error);
  assert_true (meso_db_load_end (load, TRUE, &error));
  EXPECT_NO_ERROR ("the load ended", error);
  exec_ok (target, "COMMIT");
  EXPECT_INT ("every row read", LARGE_ROWS, rows);
  EXPECT_INT ("every row stored", LARGE_ROWS, query_int (target, "SELECT count(*) FROM zq_l"));
  EXPECT_INT ("in order", LARGE_ROWS, query_int (target, "SELECT max(n) FROM zq_l"));
  print_message ("%s: memory grew by %" G_GINT64_FORMAT " KiB streaming into a load\n",
                 current_engine->name, (most - before) / 1024);
  if (most - before > 24 * 1024 * 1024)
    {
      print_error ("memory grew by %" G_GINT64_FORMAT " bytes\n", most - before);
      fail ();
    }
}

static void
test_reset_mid_result (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt = prepare_series (db, LARGE_ROWS);
  g_autoptr(GError) error = NULL;
  gint64 rows = 0;

  /* Streamed: the abandoned run is cancelled on the server. */
  meso_db_stream (stmt);
  for (int i = 0; i < 10; i++)
    expect_step ("the first rows", stmt, TRUE);
  meso_db_reset (stmt);

  /* Nothing of the abandoned run (a late cancel) reaches the next ones. */
  for (int i = 0; i < 50; i++)
    {
      MesoDbStmt *other = prepare_ok (db, "SELECT CAST(?1 AS BIGINT)");

      meso_db_bind_int64 (other, 1, i);
      expect_step ("queries after the reset", other, TRUE);
      EXPECT_INT ("queries after the reset", i, meso_db_column_int64 (other, 0));
      expect_step ("queries after the reset", other, FALSE);
    }
  /* Bindings kept. */
  while (meso_db_step (stmt, &error))
    if (++rows == 1)
      EXPECT_INT ("from the first row again", 1, meso_db_column_int64 (stmt, 0));
  EXPECT_NO_ERROR ("run again", error);
  EXPECT_INT ("every row again", LARGE_ROWS, rows);

  /* Inside a transaction, which the abandoned rows must not disturb. */
  exec_ok (db, "CREATE TABLE zq_m (v BIGINT)");
  assert_true (meso_db_begin (db, NULL));
  stmt = prepare_series (db, 5000);
  meso_db_stream (stmt);
  for (int i = 0; i < 5; i++)
    expect_step ("rows in a transaction", stmt, TRUE);
  meso_db_reset (stmt);
  exec_ok (db, "INSERT INTO zq_m (v) VALUES (42)");
  exec_ok (db, "COMMIT");
  EXPECT_INT ("the transaction's write", 42, query_int (db, "SELECT v FROM zq_m"));
}

static void
test_interleaved_statements (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *outer, *inner;
  g_autoptr(GError) error = NULL;
  gint64 rows = 0;

  exec_ok (db, "CREATE TABLE zq_i (n BIGINT)");
  outer = prepare_series (db, 3000);
  while (meso_db_step (outer, &error))
    {
      rows++;
      EXPECT_INT ("outer row", rows, meso_db_column_int64 (outer, 0));
      if (rows % 1000 == 0)
        {
          inner = prepare_ok (db, "INSERT INTO zq_i (n) VALUES (?1)");
          meso_db_bind_int64 (inner, 1, meso_db_column_int64 (outer, 0));
          run_ok ("a write between rows", inner);
          exec_ok (db, "UPDATE zq_i SET n = n + 0");
        }
    }
  EXPECT_NO_ERROR ("outer", error);
  EXPECT_INT ("every outer row", 3000, rows);
  EXPECT_INT ("every inner write", 6000, query_int (db, "SELECT sum(n) FROM zq_i"));
}

static void
test_nested_savepoints (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt;

  exec_ok (db, "CREATE TABLE zq_s (v BIGINT UNIQUE)");
  assert_true (meso_db_begin (db, &error));
  exec_ok (db, "INSERT INTO zq_s (v) VALUES (1)");
  exec_ok (db, "SAVEPOINT a");
  exec_ok (db, "INSERT INTO zq_s (v) VALUES (2)");
  exec_ok (db, "SAVEPOINT b");
  exec_ok (db, "INSERT INTO zq_s (v) VALUES (3)");
  exec_ok (db, "ROLLBACK TO b");
  exec_ok (db, "RELEASE b");
  exec_ok (db, "RELEASE a");

  /* A failure inside a savepoint, undone by rolling back to it. */
  exec_ok (db, "SAVEPOINT c");
  stmt = prepare_ok (db, "INSERT INTO zq_s (v) VALUES (?1)");
  meso_db_bind_int64 (stmt, 1, 1);
  EXPECT ("a duplicate", !meso_db_run (stmt, &error));
  expect_db_error ("a duplicate in a savepoint", &error, MESO_DB_ERROR_UNIQUE);
  exec_ok (db, "ROLLBACK TO c");
  exec_ok (db, "RELEASE c");
  exec_ok (db, "INSERT INTO zq_s (v) VALUES (4)");
  exec_ok (db, "COMMIT");

  EXPECT_INT ("rows kept", 3, query_int (db, "SELECT count(*) FROM zq_s"));
  EXPECT_INT ("which rows", 7, query_int (db, "SELECT sum(v) FROM zq_s"));
}

/* meso_db_begin_read(): one snapshot, while another connection writes and
 * commits beside it without waiting (SQLite: with the write-ahead log, as
 * the store opens its files). */
static void
test_read_snapshot (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDb *other;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (current_engine->name, "sqlite"))
    exec_ok (db, "PRAGMA journal_mode = WAL");
  exec_ok (db, "CREATE TABLE zq_r (v BIGINT)");
  exec_ok (db, "INSERT INTO zq_r (v) VALUES (1)");
  other = connect_again (state);

  assert_true (meso_db_begin_read (db, &error));
  EXPECT_NO_ERROR ("begin read", error);
  EXPECT_INT ("the first read", 1, query_int (db, "SELECT count(*) FROM zq_r"));
  exec_ok (other, "INSERT INTO zq_r (v) VALUES (2)");
  EXPECT_INT ("committed meanwhile", 2, query_int (other, "SELECT count(*) FROM zq_r"));
  EXPECT_INT ("the same snapshot", 1, query_int (db, "SELECT sum(v) FROM zq_r"));
  exec_ok (db, "ROLLBACK");
  EXPECT_INT ("after it", 3, query_int (db, "SELECT sum(v) FROM zq_r"));
}

static void
test_constraint_errors (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = create_table_sql ("zq_parent", "code TEXT CONSTRAINT zq_code UNIQUE");
  MesoDbStmt *stmt;

  exec_ok (db, parent);
  exec_ok (db, "CREATE TABLE zq_child (parent BIGINT NOT NULL "
               "CONSTRAINT zq_fk REFERENCES zq_parent (id), "
               "n BIGINT CONSTRAINT zq_check CHECK (n > 0))");
  exec_ok (db, "INSERT INTO zq_parent (code) VALUES ('zq-a')");

  stmt = prepare_ok (db, "INSERT INTO zq_parent (code) VALUES (?1) RETURNING id");
  meso_db_bind_text (stmt, 1, "zq-a");
  EXPECT ("unique, step", !meso_db_step (stmt, &error));
  expect_db_error ("unique, step", &error, MESO_DB_ERROR_UNIQUE);

  EXPECT ("unique, exec", !meso_db_exec (db, "INSERT INTO zq_parent (code) VALUES ('zq-a')",
                                         &error));
  expect_db_error ("unique, exec", &error, MESO_DB_ERROR_UNIQUE);

  stmt = prepare_ok (db, "INSERT INTO zq_child (parent, n) VALUES (?1, ?2)");
  meso_db_bind_int64 (stmt, 1, 999);
  meso_db_bind_int64 (stmt, 2, 1);
  EXPECT ("foreign key", !meso_db_run (stmt, &error));
  expect_db_error ("foreign key", &error, MESO_DB_ERROR_CONSTRAINT);

  stmt = prepare_ok (db, "INSERT INTO zq_child (parent, n) VALUES (?1, ?2)");
  meso_db_bind_null (stmt, 1);
  meso_db_bind_int64 (stmt, 2, 1);
  EXPECT ("not null", !meso_db_run (stmt, &error));
  expect_db_error ("not null", &error, MESO_DB_ERROR_CONSTRAINT);

  EXPECT ("check", !meso_db_exec (db, "INSERT INTO zq_child (parent, n) "
                                      "SELECT id, -1 FROM zq_parent", &error));
  expect_db_error ("check", &error, MESO_DB_ERROR_CONSTRAINT);

  /* The connection goes on. */
  EXPECT_INT ("after the errors", 1, query_int (db, "SELECT count(*) FROM zq_parent"));
}

static void
test_bad_sql (void **state)
{
  MesoDb *db = fixture_db (state);
  g_autoptr(GError) error = NULL;

  EXPECT ("syntax", meso_db_prepare (db, "SELEC zq_1", &error) == NULL);
  expect_db_error ("syntax", &error, MESO_DB_ERROR_FAILED);

  EXPECT ("no such table", meso_db_prepare (db, "SELECT * FROM zq_missing", &error) == NULL);
  expect_db_error ("no such table", &error, MESO_DB_ERROR_FAILED);

  EXPECT ("exec", !meso_db_exec (db, "DROP TABLE zq_missing", &error));
  expect_db_error ("exec", &error, MESO_DB_ERROR_FAILED);
}

/* ========================================================== PostgreSQL */

static const char *
pg_conninfo (void)
{
  const char *conninfo = g_getenv ("MESODESK_TEST_POSTGRESQL");

  return conninfo != NULL && *conninfo != '\0' ? conninfo : NULL;
}

static const char *
pg_unavailable (void)
{
  return pg_conninfo () == NULL ? "MESODESK_TEST_POSTGRESQL is not set" : NULL;
}

static void
pg_create_scope (Fixture *f)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  MesoDb *db = meso_db_postgresql_open (pg_conninfo (), &error);

  EXPECT_NO_ERROR ("connecting to MESODESK_TEST_POSTGRESQL", error);
  assert_non_null (db);
  f->scope = g_strdup_printf ("zq_test_%d_%u", (int)getpid (), ++counter);
  sql = g_strdup_printf ("DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
                         f->scope, f->scope);
  exec_ok (db, sql);
  meso_db_close (db);
}

static MesoDb *
pg_connect (Fixture  *f,
            GError  **error)
{
  g_autofree char *sql = g_strdup_printf ("SET search_path TO %s", f->scope);
  MesoDb *db = meso_db_postgresql_open (pg_conninfo (), error);

  /* Again on a connection made after one was lost. */
  if (db != NULL && !meso_db_postgresql_set_setup (db, sql, error))
    g_clear_pointer (&db, meso_db_close);
  return db;
}

static void
pg_drop_scope (Fixture *f)
{
  /* A lock a failed case left must not hang the run. */
  g_autofree char *sql = g_strdup_printf ("SET lock_timeout = '10s'; DROP SCHEMA %s CASCADE",
                                          f->scope);
  MesoDb *db = meso_db_postgresql_open (pg_conninfo (), NULL);

  if (db != NULL)
    meso_db_exec (db, sql, NULL);
  meso_db_close (db);
}

static void
test_pg_dialect (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt;

  stmt = prepare_ok (db, "SELECT E'\\'?2', $$ ?1 $$, $zq$ ?1 'x$zq$, "
                         "'{\"a\": 1}'::jsonb ? 'a', ?1::bigint IS NULL, a$1 "
                         "FROM (SELECT 5 AS a$1) AS zq_t");
  meso_db_bind_null (stmt, 1);
  expect_step ("dialect", stmt, TRUE);
  EXPECT_STR ("an E'' literal", "'?2", meso_db_column_text (stmt, 0));
  EXPECT_STR ("a dollar quote", " ?1 ", meso_db_column_text (stmt, 1));
  EXPECT_STR ("a tagged dollar quote", " ?1 'x", meso_db_column_text (stmt, 2));
  EXPECT_INT ("jsonb's ? operator, a boolean", 1, meso_db_column_int (stmt, 3));
  EXPECT_INT ("a cast parameter", 1, meso_db_column_int64 (stmt, 4));
  EXPECT_INT ("a name with $", 5, meso_db_column_int64 (stmt, 5));
  expect_step ("dialect", stmt, FALSE);

  stmt = prepare_ok (db, "SELECT false, 2.75::numeric, 'Infinity'::float8");
  expect_step ("types", stmt, TRUE);
  EXPECT_INT ("false", 0, meso_db_column_int (stmt, 0));
  EXPECT_INT ("a numeric, truncated", 2, meso_db_column_int64 (stmt, 1));
  EXPECT ("a numeric as a double", meso_db_column_double (stmt, 1) == 2.75);
  EXPECT ("infinity", meso_db_column_double (stmt, 2) == INFINITY);
  expect_step ("types", stmt, FALSE);
}

static void
test_pg_settings (void **state)
{
  MesoDb *db = fixture_db (state);
  MesoDbStmt *stmt = prepare_ok (db, "SELECT current_setting('application_name'), "
                                     "current_setting('client_encoding'), "
                                     "current_setting('transaction_isolation')");

  expect_step ("settings", stmt, TRUE);
  EXPECT_STR ("application_name", "mesodesk", meso_db_column_text (stmt, 0));
  EXPECT_STR ("client_encoding", "UTF8", meso_db_column_text (stmt, 1));
  expect_step ("settings", stmt, FALSE);

  assert_true (meso_db_begin (db, NULL));
  expect_step ("in a transaction", stmt, TRUE);
  EXPECT_STR ("meso_db_begin", "serializable", meso_db_column_text (stmt, 2));
  expect_step ("in a transaction", stmt, FALSE);
  exec_ok (db, "ROLLBACK");
}

/* Each SQLSTATE the driver names, raised by the server. */
static const struct
{
  const char *state;
  MesoDbError kind;
} sqlstates[] = {
  { "40001", MESO_DB_ERROR_SERIALIZATION }, { "40P01", MESO_DB_ERROR_SERIALIZATION },
  { "23505", MESO_DB_ERROR_UNIQUE },        { "23P01", MESO_DB_ERROR_UNIQUE },
  { "23503", MESO_DB_ERROR_CONSTRAINT },    { "23502", MESO_DB_ERROR_CONSTRAINT },
  { "23514", MESO_DB_ERROR_CONSTRAINT },    { "53100", MESO_DB_ERROR_FULL },
  { "55P03", MESO_DB_ERROR_BUSY },          { "42501", MESO_DB_ERROR_READONLY },
  { "28000", MESO_DB_ERROR_AUTH },          { "28P01", MESO_DB_ERROR_AUTH },
  { "08006", MESO_DB_ERROR_CONNECTION },    { "57P01", MESO_DB_ERROR_CONNECTION },
  { "57P02", MESO_DB_ERROR_CONNECTION },    { "57P03", MESO_DB_ERROR_CONNECTION },
  { "XX001", MESO_DB_ERROR_CORRUPT },       { "XX002", MESO_DB_ERROR_CORRUPT },
  { "22012", MESO_DB_ERROR_FAILED },        { "42P01", MESO_DB_ERROR_FAILED },
  { "53200", MESO_DB_ERROR_FAILED },        { "40003", MESO_DB_ERROR_FAILED },
};

static void
test_pg_sqlstates (void **state)
{
  MesoDb *db = fixture_db (state);

  exec_ok (db, "CREATE FUNCTION zq_raise (code text) RETURNS integer AS $$ "
               "BEGIN RAISE EXCEPTION 'zq secret' USING ERRCODE = code; END $$ "
               "LANGUAGE plpgsql");
  for (gsize i = 0; i < G_N_ELEMENTS (sqlstates); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("%s, exec", sqlstates[i].state);
      g_autofree char *sql = g_strdup_printf ("SELECT zq_raise ('%s')", sqlstates[i].state);
      MesoDbStmt *stmt;

      EXPECT (what, !meso_db_exec (db, sql, &error));
      expect_db_error (what, &error, sqlstates[i].kind);

      g_free (what);
      what = g_strdup_printf ("%s, step", sqlstates[i].state);
      stmt = prepare_ok (db, "SELECT zq_raise (?1)");
      meso_db_bind_text (stmt, 1, sqlstates[i].state);
      EXPECT (what, !meso_db_step (stmt, &error));
      expect_db_error (what, &error, sqlstates[i].kind);
    }
}

/* A serializable transaction on @db that has read zq_acct's row 1. */
static void
begin_and_read (const char *what,
                MesoDb     *db)
{
  MesoDbStmt *stmt;

  assert_true (meso_db_begin (db, NULL));
  stmt = prepare_ok (db, "SELECT v FROM zq_acct WHERE id = ?1");
  meso_db_bind_int64 (stmt, 1, 1);
  expect_step (what, stmt, TRUE);
  EXPECT_INT (what, 10, meso_db_column_int64 (stmt, 0));
  meso_db_reset (stmt);
}

static void
test_pg_serialization_failure (void **state)
{
  MesoDb *a = fixture_db (state);
  MesoDb *b = connect_again (state);
  const char *write_sql = "UPDATE zq_acct SET v = v + 1 WHERE id = ?1";
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt;

  exec_ok (a, "CREATE TABLE zq_acct (id BIGINT PRIMARY KEY, v BIGINT)");
  exec_ok (a, "INSERT INTO zq_acct VALUES (1, 10)");

  /* Both read the row, then both write it: the second writer loses. */
  begin_and_read ("a reads", a);
  begin_and_read ("b reads", b);

  stmt = prepare_ok (a, write_sql);
  meso_db_bind_int64 (stmt, 1, 1);
  run_ok ("a writes", stmt);
  exec_ok (a, "COMMIT");

  stmt = prepare_ok (b, write_sql);
  meso_db_bind_int64 (stmt, 1, 1);
  EXPECT ("b writes", !meso_db_run (stmt, &error));
  expect_db_error ("b writes after a committed", &error, MESO_DB_ERROR_SERIALIZATION);
  exec_ok (b, "ROLLBACK");

  EXPECT_INT ("a's write only", 11, query_int (b, "SELECT v FROM zq_acct"));
}

/* Ends the server process of the connection @pid, from @killer. */
static void
terminate (gint64  pid,
           MesoDb *killer)
{
  MesoDbStmt *stmt = prepare_ok (killer,
                                 "SELECT pg_terminate_backend (CAST(?1 AS INTEGER), 10000)");

  meso_db_bind_int64 (stmt, 1, pid);
  expect_step ("pg_terminate_backend", stmt, TRUE);
  EXPECT_INT ("pg_terminate_backend", 1, meso_db_column_int (stmt, 0));
  expect_step ("pg_terminate_backend", stmt, FALSE);
}

/* The use that finds the connection gone fails; the next one, outside a
 * transaction, connects again: the kept statements are prepared again
 * (the server forgot them) and the connection's setup runs again. */
static void
test_pg_server_gone (void **state)
{
  Fixture *f = *state;
  MesoDb *a = f->db;
  MesoDb *b = connect_again (state);
  g_autoptr(GError) error = NULL;
  g_autofree char *setup_sql = g_strdup_printf ("SET search_path TO %s; "
                                                "SET application_name = 'zq_setup'", f->scope);
  MesoDbStmt *kept = prepare_ok (a, "SELECT 1");
  gint64 pid = query_int (a, "SELECT pg_backend_pid()");
  gint64 heard;

  assert_true (meso_db_postgresql_set_setup (a, setup_sql, &error));
  assert_null (error);
  heard = meso_db_postgresql_notifications (a);
  terminate (pid, b);

  EXPECT ("a kept statement", !meso_db_step (kept, &error));
  expect_db_error ("a kept statement", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("found lost", !meso_db_is_connected (a));
  EXPECT_INT ("no socket while lost", -1, meso_db_postgresql_socket (a));

  kept = prepare_ok (a, "SELECT 1");
  expect_step ("the kept statement, connected again", kept, TRUE);
  EXPECT_INT ("its row", 1, meso_db_column_int (kept, 0));
  expect_step ("the kept statement's end", kept, FALSE);
  EXPECT ("connected", meso_db_is_connected (a));
  EXPECT ("a new server process", query_int (a, "SELECT pg_backend_pid()") != pid);
  EXPECT_INT ("a new statement", 2, query_int (a, "SELECT 2"));
  EXPECT_INT ("set up again", 1,
              query_int (a, "SELECT count(*) FROM pg_stat_activity "
                            "WHERE pid = pg_backend_pid() AND application_name = 'zq_setup'"));
  EXPECT ("what went unheard counted", meso_db_postgresql_notifications (a) > heard);

  /* An exec and a begin connect again too. */
  terminate (query_int (a, "SELECT pg_backend_pid()"), b);
  EXPECT ("exec", !meso_db_exec (a, "SELECT 3", &error));
  expect_db_error ("exec", &error, MESO_DB_ERROR_CONNECTION);
  exec_ok (a, "SELECT 3");
  terminate (query_int (a, "SELECT pg_backend_pid()"), b);
  EXPECT ("begin", !meso_db_begin (a, &error));
  expect_db_error ("begin", &error, MESO_DB_ERROR_CONNECTION);
  assert_true (meso_db_begin (a, NULL));
  exec_ok (a, "ROLLBACK");
  /* meso_db_reconnect() is the next use, asked for. */
  terminate (query_int (a, "SELECT pg_backend_pid()"), b);
  EXPECT ("a first use finds it lost", !meso_db_exec (a, "SELECT 4", NULL));
  EXPECT ("reconnect", meso_db_reconnect (a, &error));
  assert_null (error);
}

/* Held (meso_db_hold_reconnect()): a use of a lost connection fails at
 * once and does not connect; meso_db_reconnect() does; let go, a use
 * connects again by itself. */
static void
test_pg_reconnect_held (void **state)
{
  MesoDb *a = fixture_db (state);
  MesoDb *b = connect_again (state);
  g_autoptr(GError) error = NULL;
  gint64 pid = query_int (a, "SELECT pg_backend_pid()");

  meso_db_hold_reconnect (a, TRUE);
  terminate (pid, b);
  EXPECT ("a first use finds it lost", !meso_db_exec (a, "SELECT 1", NULL));
  EXPECT ("the next fails too", !meso_db_exec (a, "SELECT 1", &error));
  expect_db_error ("held", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("a statement", meso_db_prepare (a, "SELECT 6", &error) == NULL);
  expect_db_error ("a statement", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("a begin", !meso_db_begin (a, &error));
  expect_db_error ("a begin", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("not connected", !meso_db_is_connected (a));
  EXPECT ("reconnect, asked", meso_db_reconnect (a, &error));
  assert_null (error);
  EXPECT ("a new server process", query_int (a, "SELECT pg_backend_pid()") != pid);

  meso_db_hold_reconnect (a, FALSE);
  terminate (query_int (a, "SELECT pg_backend_pid()"), b);
  EXPECT ("a first use finds it lost", !meso_db_exec (a, "SELECT 1", NULL));
  exec_ok (a, "SELECT 1");
}

/* Inside a transaction the error stands until the caller rolls back, and
 * nothing of the transaction was written. */
static void
test_pg_server_gone_in_transaction (void **state)
{
  MesoDb *a = fixture_db (state);
  MesoDb *b = connect_again (state);
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt;

  exec_ok (a, "CREATE TABLE zq_half (v INTEGER)");
  assert_true (meso_db_begin (a, NULL));
  stmt = prepare_ok (a, "INSERT INTO zq_half (v) VALUES (?1)");
  meso_db_bind_int64 (stmt, 1, 1);
  run_ok ("the first write", stmt);
  terminate (query_int (a, "SELECT pg_backend_pid()"), b);

  stmt = prepare_ok (a, "INSERT INTO zq_half (v) VALUES (?1)");
  meso_db_bind_int64 (stmt, 1, 2);
  EXPECT ("the second write", !meso_db_run (stmt, &error));
  expect_db_error ("the second write", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("a new statement", meso_db_prepare (a, "SELECT 5", &error) == NULL);
  expect_db_error ("a new statement", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("a savepoint", !meso_db_exec (a, "SAVEPOINT zq", &error));
  expect_db_error ("a savepoint", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("reconnect", !meso_db_reconnect (a, &error));
  expect_db_error ("reconnect", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("commit", !meso_db_exec (a, "COMMIT", &error));
  expect_db_error ("commit", &error, MESO_DB_ERROR_CONNECTION);

  exec_ok (a, "ROLLBACK");
  EXPECT_INT ("nothing half-written", 0, query_int (a, "SELECT count(*) FROM zq_half"));
  EXPECT_INT ("nothing seen elsewhere", 0, query_int (b, "SELECT count(*) FROM zq_half"));
}

/* A notification from another connection is counted once its commit is
 * read; the connection's own are not. */
static void
test_pg_notifications (void **state)
{
  MesoDb *a = fixture_db (state);
  MesoDb *b = connect_again (state);
  gint64 before;

  exec_ok (a, "LISTEN zq_channel");
  before = meso_db_postgresql_notifications (a);
  exec_ok (a, "NOTIFY zq_channel");
  EXPECT_INT ("its own", before, meso_db_postgresql_notifications (a));
  exec_ok (b, "BEGIN; NOTIFY zq_channel; ROLLBACK");
  exec_ok (b, "NOTIFY zq_channel");
  for (int i = 0; i < 100 && meso_db_postgresql_notifications (a) == before; i++)
    g_usleep (10000);
  EXPECT_INT ("another's, committed", before + 1, meso_db_postgresql_notifications (a));
  EXPECT ("a socket to wait on", meso_db_postgresql_socket (a) >= 0);
}

static void
test_pg_server_gone_mid_result (void **state)
{
  Fixture *f = *state;
  MesoDb *b = connect_again (state);
  g_autoptr(GError) error = NULL;
  gint64 pid = query_int (f->db, "SELECT pg_backend_pid()");
  MesoDbStmt *stmt = prepare_series (f->db, LARGE_ROWS);
  gint64 rows = 0;

  meso_db_stream (stmt);
  expect_step ("the first row", stmt, TRUE);
  terminate (pid, b);
  rows = 1;
  while (meso_db_step (stmt, &error))
    rows++;
  expect_db_error ("rows cut off", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT ("fewer rows than asked for", rows < LARGE_ROWS);

  /* Fetched whole, the server gone while it sends them (it ends itself
   * halfway): not one row of the cut-off result is handed out. */
  stmt = prepare_ok (f->db,
                     "WITH RECURSIVE zq_s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM zq_s "
                     "WHERE n < 100000) SELECT n, CASE WHEN n = 50000 THEN "
                     "pg_terminate_backend (pg_backend_pid ()) END FROM zq_s");
  rows = 0;
  while (meso_db_step (stmt, &error))
    rows++;
  expect_db_error ("a whole result cut off", &error, MESO_DB_ERROR_CONNECTION);
  EXPECT_INT ("no row of it", 0, rows);
  /* The next use connects again. */
  EXPECT_INT ("connected again", 1, query_int (f->db, "SELECT 1"));
}

static void
test_pg_connect_failures (void **state)
{
  g_autoptr(GError) error = NULL;
  PQconninfoOption *options = PQconninfoParse (pg_conninfo (), NULL);
  g_autoptr(GString) keywords = g_string_new (NULL);
  g_autoptr(GString) service = g_string_new ("[zq_service]\n");
  g_autofree char *wrong_user = NULL;
  g_autofree char *service_dir = NULL;
  g_autofree char *service_file = NULL;
  MesoDb *db;

  assert_non_null (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && strcmp (o->keyword, "user") != 0)
      {
        g_string_append_printf (keywords, "%s='%s' ", o->keyword, o->val);
        g_string_append_printf (service, "%s=%s\n", o->keyword, o->val);
      }
  PQconninfoFree (options);

  /* key=value form, a user the server does not know. */
  wrong_user = g_strdup_printf ("%s user=zq_nobody", keywords->str);
  EXPECT ("unknown user", meso_db_postgresql_open (wrong_user, &error) == NULL);
  expect_db_error ("unknown user", &error, MESO_DB_ERROR_AUTH);

  EXPECT ("no server", meso_db_postgresql_open ("host=/nonexistent/zq port=1 "
                                                "connect_timeout=2", &error) == NULL);
  expect_db_error ("no server", &error, MESO_DB_ERROR_CONNECTION);

  /* service=NAME, from a service file. */
  service_dir = make_temp_dir ("mesodesk-pgservice-XXXXXX");
  service_file = g_build_filename (service_dir, "pg_service.conf", NULL);
  assert_true (g_file_set_contents (service_file, service->str, -1, NULL));
  g_setenv ("PGSERVICEFILE", service_file, TRUE);
  db = meso_db_postgresql_open ("service=zq_service", &error);
  g_unsetenv ("PGSERVICEFILE");
  EXPECT_NO_ERROR ("service=NAME", error);
  assert_non_null (db);
  EXPECT_INT ("service=NAME", 1, query_int (db, "SELECT 1"));
  meso_db_close (db);
  remove_temp_dir (g_steal_pointer (&service_dir));
}

static const struct CMUnitTest postgresql_tests[] = {
  cmocka_unit_test_setup_teardown (test_pg_dialect, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_settings, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_sqlstates, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_serialization_failure, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_server_gone, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_reconnect_held, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_server_gone_in_transaction, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_notifications, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_server_gone_mid_result, setup, teardown),
  cmocka_unit_test_setup_teardown (test_pg_connect_failures, setup, teardown),
};

/* ============================================================== SQLite */

static const char *
sqlite_unavailable (void)
{
  return NULL;
}

/* A fresh file in a folder of its own. */
static void
sqlite_create_scope (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesodesk-db-XXXXXX", &error);

  EXPECT_NO_ERROR ("a temporary folder", error);
  f->scope = g_build_filename (dir, "test.db", NULL);
}

static MesoDb *
sqlite_connect (Fixture  *f,
                GError  **error)
{
  MesoDb *db = meso_db_sqlite_open (f->scope, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);

  /* As the store opens its own: foreign keys enforced, and a second
   * connection waits for the first's lock. */
  if (db != NULL && !meso_db_exec (db, "PRAGMA foreign_keys = ON", error))
    g_clear_pointer (&db, meso_db_close);
  if (db != NULL)
    sqlite3_busy_timeout (meso_db_sqlite_handle (db), 10000);
  return db;
}

static void
sqlite_drop_scope (Fixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->scope);
  g_autofree char *wal = g_strconcat (f->scope, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->scope, "-shm", NULL);
  g_autofree char *journal = g_strconcat (f->scope, "-journal", NULL);

  g_unlink (f->scope);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
  g_rmdir (dir);
}

/* ============================================================== engines */

static const Engine engines[] = {
  {
    .name = "sqlite",
    .unavailable = sqlite_unavailable,
    .create_scope = sqlite_create_scope,
    .connect = sqlite_connect,
    .drop_scope = sqlite_drop_scope,
    .id_column = "INTEGER PRIMARY KEY",
  },
  {
    .name = "postgresql",
    .unavailable = pg_unavailable,
    .create_scope = pg_create_scope,
    .connect = pg_connect,
    .drop_scope = pg_drop_scope,
    .id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .own_tests = postgresql_tests,
    .n_own_tests = G_N_ELEMENTS (postgresql_tests),
  },
};

int
main (void)
{
  const struct CMUnitTest common_tests[] = {
    cmocka_unit_test_setup_teardown (test_parameters_numbered, setup, teardown),
    cmocka_unit_test_setup_teardown (test_parameters_skipped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_parameters_in_quotes_left_alone, setup, teardown),
    cmocka_unit_test_setup_teardown (test_values_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_nulls, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bytes_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_returning_and_changes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cached_statement_fresh, setup, teardown),
    cmocka_unit_test_setup_teardown (test_large_result_streams, setup, teardown),
    cmocka_unit_test_setup_teardown (test_large_result_whole, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stream_into_load, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reset_mid_result, setup, teardown),
    cmocka_unit_test_setup_teardown (test_interleaved_statements, setup, teardown),
    cmocka_unit_test_setup_teardown (test_nested_savepoints, setup, teardown),
    cmocka_unit_test_setup_teardown (test_read_snapshot, setup, teardown),
    cmocka_unit_test_setup_teardown (test_constraint_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_sql, setup, teardown),
  };
  int failed = 0;
  guint ran = 0;

  meso_test_filter_from_env ();

  for (gsize e = 0; e < G_N_ELEMENTS (engines); e++)
    {
      const char *why = engines[e].unavailable ();
      g_autofree char *own_name = g_strdup_printf ("%s only", engines[e].name);

      if (why != NULL && g_getenv ("CI") == NULL)
        {
          g_printerr ("%s: SKIPPED, %s (build-aux/dev test starts a server; "
                      "see HACKING.md)\n", engines[e].name, why);
          continue;
        }
      if (why != NULL)
        {
          g_printerr ("%s: FAILED, %s, and CI is set\n", engines[e].name, why);
          failed++;
          continue;
        }
      current_engine = &engines[e];
      failed += _cmocka_run_group_tests (engines[e].name, common_tests,
                                         G_N_ELEMENTS (common_tests), NULL, NULL);
      if (engines[e].n_own_tests > 0)
        failed += _cmocka_run_group_tests (own_name, engines[e].own_tests,
                                           engines[e].n_own_tests, NULL, NULL);
      ran++;
    }

  /* 77: meson's "skipped", when no engine could be tested. */
  return failed == 0 && ran == 0 ? 77 : failed;
}
