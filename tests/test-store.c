/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinic database, against a real SQLite file in a fresh temporary
 * folder per test: opening and its refusals, migrations, round trips, the
 * audit log, patients and search, flags, sessions, appointments, backup.
 * "Now" is 2026-11-21T09:00 (a Saturday) in Europe/Berlin. The recall list
 * and aftercare reminders are in test-reminders.c. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"
#include "meso-db-postgresql.h"
#include "meso-db-sqlite.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "meso-test-core.h"

#define NOW "2026-11-21T09:00"

/* A store error of @code, with a message for a person. */
#define EXPECT_ERROR(what, error, expected_code) \
  G_STMT_START { \
    const GError *e_ = (error); \
    if (e_ == NULL) \
      { \
        print_error ("case \"%s\": expected %s, got no error\n", (what), #expected_code); \
        fail (); \
      } \
    if (e_->domain != MESO_STORE_ERROR || e_->code != (int) (expected_code)) \
      { \
        print_error ("case \"%s\": expected %s (%d), got %s %d: %s\n", (what), #expected_code, \
                     (int) (expected_code), g_quark_to_string (e_->domain), e_->code, \
                     e_->message); \
        fail (); \
      } \
    if (e_->message == NULL || *e_->message == '\0') \
      { \
        print_error ("case \"%s\": the error has no message\n", (what)); \
        fail (); \
      } \
  } G_STMT_END

/* ================================================================ helpers */

typedef StoreFixture Fixture;

static int
setup_dir (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-store-XXXXXX", FALSE);
  return 0;
}

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-store-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  return 0;
}

static MesoSession *
session_new (gint64      patient_id,
             const char *at,
             MesoArea    area,
             guint       needle_um)
{
  g_autoptr(GDateTime) when = local_dt (at);
  MesoSession *session = meso_session_new ();

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, area);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, needle_um);
  return session;
}

/* Records a session that the rules allow. */
static gint64
record_ok (MesoStore  *store,
           gint64      patient_id,
           const char *at,
           MesoArea    area)
{
  g_autoptr(MesoSession) session = session_new (patient_id, at, area, 500);
  g_autoptr(GError) error = NULL;

  if (!meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, NULL, &error))
    {
      print_error ("recording a session at %s: %s\n", at, error ? error->message : "?");
      fail ();
    }
  assert_true (meso_session_get_id (session) > 0);
  return meso_session_get_id (session);
}

static MesoAppointment *
appointment_new (gint64      patient_id,
                 const char *start,
                 MesoArea    area,
                 guint       minutes,
                 const char *practitioner,
                 const char *room)
{
  g_autoptr(GDateTime) when = local_dt (start);
  MesoAppointment *appointment = meso_appointment_new ();

  meso_appointment_set_patient_id (appointment, patient_id);
  meso_appointment_set_start (appointment, when);
  meso_appointment_set_area (appointment, area);
  meso_appointment_set_minutes (appointment, minutes);
  meso_appointment_set_practitioner (appointment, practitioner);
  meso_appointment_set_room (appointment, room);
  return appointment;
}

static gint64
book_ok (MesoStore  *store,
         gint64      patient_id,
         const char *start,
         MesoArea    area,
         const char *practitioner,
         const char *room)
{
  g_autoptr(MesoAppointment) appointment =
    appointment_new (patient_id, start, area, 60, practitioner, room);
  g_autoptr(GError) error = NULL;

  if (!meso_store_book_appointment (store, appointment, MESO_ROLE_RECEPTIONIST, NULL, &error))
    {
      print_error ("booking at %s: %s\n", start, error ? error->message : "?");
      fail ();
    }
  assert_true (meso_appointment_get_id (appointment) > 0);
  return meso_appointment_get_id (appointment);
}

static guint
count_sessions (MesoStore *store,
                gint64     patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = meso_store_list_sessions (store, patient_id, &error);

  EXPECT_NO_ERROR ("list sessions", error);
  assert_non_null (sessions);
  return sessions->len;
}

static guint
count_appointments (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) from = local_dt ("2000-01-01T00:00");
  g_autoptr(GDateTime) to = local_dt ("2100-01-01T00:00");
  g_autoptr(GPtrArray) list = meso_store_list_appointments (store, from, to, &error);

  EXPECT_NO_ERROR ("list appointments", error);
  assert_non_null (list);
  return list->len;
}

static MesoVerdict *
find_verdict (GPtrArray  *verdicts,
              const char *rule)
{
  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    if (g_strcmp0 (meso_verdict_get_rule (g_ptr_array_index (verdicts, i)), rule) == 0)
      return g_ptr_array_index (verdicts, i);
  return NULL;
}

static char *
iso_day (const char *iso_date_time)
{
  return g_strndup (iso_date_time, 10);
}

/* A raw connection beside the store's, as another program would have: the
 * connection layer's driver for the location's engine, without the store.
 * SQLite's audit triggers call meso_actor(), so it is given one. */
static void
raw_actor (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_user_name (), -1, SQLITE_STATIC);
}

static void
raw_host (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_host_name (), -1, SQLITE_STATIC);
}

/* The names a search finds, in order, joined by "|" (below). */
static void expect_found (MesoStore  *store,
                          const char *what,
                          const char *expected,
                          const char *text,
                          gboolean    include_archived);

static MesoDb *
raw_open (const char *location)
{
  g_autoptr(GError) error = NULL;
  MesoDb *db;

  if (meso_store_location_parse (location) == MESO_DB_ENGINE_POSTGRESQL)
    db = meso_db_postgresql_open (location, &error);
  else
    db = meso_db_sqlite_open (location, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error);
  if (db == NULL)
    {
      print_error ("raw open of %s: %s\n", location, error ? error->message : "?");
      fail ();
    }
  if (meso_db_get_engine (db) == MESO_DB_ENGINE_SQLITE)
    {
      sqlite3 *handle = meso_db_sqlite_handle (db);

      sqlite3_busy_timeout (handle, 5000);
      sqlite3_create_function (handle, "meso_actor", 0, SQLITE_UTF8, NULL, raw_actor, NULL,
                               NULL);
      sqlite3_create_function (handle, "meso_os_user", 0, SQLITE_UTF8, NULL, raw_actor,
                               NULL, NULL);
      sqlite3_create_function (handle, "meso_host", 0, SQLITE_UTF8, NULL, raw_host,
                               NULL, NULL);
    }
  return db;
}

static void
raw_exec (MesoDb     *db,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!meso_db_exec (db, sql, &error))
    {
      print_error ("raw SQL failed: %s\n  %s\n", error ? error->message : "?", sql);
      fail ();
    }
}

/* The first row of @sql, stepped onto; fails the test without one. */
static MesoDbStmt *
raw_row (MesoDb     *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt = meso_db_prepare (db, sql, &error);

  if (stmt == NULL || !meso_db_step (stmt, &error))
    {
      print_error ("raw query failed: %s\n  %s\n", error ? error->message : "no row", sql);
      fail ();
    }
  return stmt;
}

static gint64
raw_int (MesoDb     *db,
         const char *sql)
{
  MesoDbStmt *stmt = raw_row (db, sql);
  gint64 value = meso_db_column_int64 (stmt, 0);

  meso_db_reset (stmt);
  return value;
}

static char *
raw_text (MesoDb     *db,
          const char *sql)
{
  MesoDbStmt *stmt = raw_row (db, sql);
  char *value = meso_db_column_dup (stmt, 0);

  meso_db_reset (stmt);
  return value;
}

/* The text of a statement for the run's engine, where the two differ. */
static const char *
engine_sql (const char *sqlite,
            const char *postgresql)
{
  return test_engine_is_postgresql () ? postgresql : sqlite;
}

/* A pragma of the store's own connection. */
static char *
store_pragma (MesoStore  *store,
              const char *sql)
{
  g_autoptr(GError) error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (store, sql, &error);
  char *value;

  EXPECT_NO_ERROR (sql, error);
  assert_non_null (stmt);
  assert_true (meso_store_step_row (store, stmt, &error));
  value = meso_db_column_dup (stmt, 0);
  meso_db_reset (stmt);
  return value;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      print_error ("cannot stat %s\n", path);
      fail ();
    }
  return st.st_mode & 0777;
}

/* ============================================================== opening */

static void
test_open_creates_private_folder_and_file (void **state)
{
  /* A file's folder and mode: a server has neither. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *outer = g_build_filename (f->dir, "clinic", NULL);
  g_autofree char *inner = g_build_filename (outer, "data", NULL);
  g_autofree char *path = g_build_filename (inner, "clinic.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(MesoStore) store = NULL;

  store = meso_store_open (path, &error);
  EXPECT_NO_ERROR ("open in a new folder", error);
  assert_non_null (store);
  EXPECT_STR ("path", path, meso_store_get_path (store));

  EXPECT_INT ("new folder is 0700", 0700, file_mode (inner));
  EXPECT_INT ("new parent folder is 0700", 0700, file_mode (outer));
  EXPECT_INT ("new file is 0600", 0600, file_mode (path));

  add_patient (store, "Anna Müller", FALSE);
  EXPECT ("a write leaves a -wal file while open", g_file_test (wal, G_FILE_TEST_EXISTS));
  EXPECT_INT ("the -wal file is private too", 0600, file_mode (wal));
}

static void
test_open_tightens_permissions (void **state)
{
  /* A file's mode: a server has none. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  static const struct
  {
    const char *what;
    gboolean    real_database;
    guint       mode;
  } cases[] = {
    { "a database readable by everyone", TRUE, 0644 },
    { "a database writable by the group", TRUE, 0660 },
    { "an empty file readable by everyone", FALSE, 0644 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoStore) store = NULL;
      g_autofree char *name = g_strdup_printf ("case%u.db", i);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (cases[i].real_database)
        {
          store = meso_store_open (path, &error);
          EXPECT_NO_ERROR (cases[i].what, error);
          add_patient (store, "Bernd Schmidt", FALSE);
          g_clear_object (&store);
        }
      else
        assert_true (g_file_set_contents (path, "", 0, NULL));
      assert_int_equal (g_chmod (path, cases[i].mode), 0);
      EXPECT_INT (cases[i].what, cases[i].mode, file_mode (path));

      store = meso_store_open (path, &error);
      EXPECT_NO_ERROR (cases[i].what, error);
      assert_non_null (store);
      EXPECT_INT (cases[i].what, 0600, file_mode (path));
    }
}

static void
test_open_pragmas (void **state)
{
  /* SQLite's pragmas and WAL file: a server has neither. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autofree char *journal = store_pragma (f->store, "PRAGMA journal_mode");
  g_autofree char *foreign_keys = store_pragma (f->store, "PRAGMA foreign_keys");
  g_autofree char *synchronous = store_pragma (f->store, "PRAGMA synchronous");
  g_autofree char *busy = store_pragma (f->store, "PRAGMA busy_timeout");
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  EXPECT_STR ("journal mode", "wal", journal);
  EXPECT_STR ("foreign keys on", "1", foreign_keys);
  EXPECT_STR ("synchronous = FULL", "2", synchronous);
  EXPECT ("a busy timeout is set", g_ascii_strtoll (busy, NULL, 10) > 0);

  add_patient (f->store, "Clara Annecy", FALSE);
  EXPECT ("WAL: a -wal file after a write", g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* A reference to nothing is refused, by the store or by the database's
 * foreign keys, and leaves nothing written. */
static void
test_missing_references_refused (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) orphan = NULL;
  g_autoptr(MesoSession) nobody = NULL;
  gint64 patient;
  guint audit;

  patient = add_patient (f->store, "Clara Annecy", FALSE);

  /* A patient that does not exist. */
  audit = count_audit (f->store);
  nobody = session_new (patient + 1000, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  EXPECT ("session of a missing patient",
          !meso_store_add_session (f->store, nobody, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_ERROR ("session of a missing patient", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The database itself refuses a reference to nothing. The store does
   * not look the appointment up, so only the foreign key can. */
  orphan = session_new (patient, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  meso_session_set_appointment_id (orphan, 4242);
  EXPECT ("session of a missing appointment",
          !meso_store_add_session (f->store, orphan, MESO_ROLE_CLINICIAN, NULL, &error));
  assert_non_null (error);
  EXPECT ("a missing appointment is INVALID or NOT_FOUND",
          g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID) ||
          g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));
  EXPECT_INT ("nothing written", 0, count_sessions (f->store, patient));
  EXPECT_INT ("nothing audited", audit, count_audit (f->store));
}

/* Where the clinic lives: libpq decides what is a server; a path stays a file. */
static void
test_location_parse (void **state)
{
  static const struct
  {
    const char  *location;
    MesoDbEngine engine;
  } cases[] = {
    { "postgresql://desk@clinic.example/mesodesk?sslmode=verify-full", MESO_DB_ENGINE_POSTGRESQL },
    { "postgres://localhost/clinic", MESO_DB_ENGINE_POSTGRESQL },
    { "postgresql://", MESO_DB_ENGINE_POSTGRESQL },
    { "service=clinic", MESO_DB_ENGINE_POSTGRESQL },
    { "host=/tmp/pg dbname=clinic", MESO_DB_ENGINE_POSTGRESQL },
    { "  host = server  dbname='the clinic' ", MESO_DB_ENGINE_POSTGRESQL },
    { "clinic.db", MESO_DB_ENGINE_SQLITE },
    { "/home/desk/.local/share/mesodesk/clinic.db", MESO_DB_ENGINE_SQLITE },
    { "./service=clinic", MESO_DB_ENGINE_SQLITE },
    { "/srv/service=clinic", MESO_DB_ENGINE_SQLITE },
    { "nokey=clinic", MESO_DB_ENGINE_SQLITE },          /* not a word libpq knows */
    { "service=clinic trailing", MESO_DB_ENGINE_SQLITE },  /* libpq refuses it */
    { "postgresql.db", MESO_DB_ENGINE_SQLITE },
    { "postgresql:clinic.db", MESO_DB_ENGINE_SQLITE },
    { "my clinic.db", MESO_DB_ENGINE_SQLITE },
    { "", MESO_DB_ENGINE_SQLITE },
    { "   ", MESO_DB_ENGINE_SQLITE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    EXPECT_INT (cases[i].location, cases[i].engine,
                meso_store_location_parse (cases[i].location));
}

static void
test_open_schema_version (void **state)
{
  /* SQLite's header; the server's mesodesk_meta: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  MesoDb *db;

  EXPECT_INT ("schema version", MESO_STORE_SCHEMA_VERSION,
              meso_store_get_schema_version (f->store));
  g_clear_object (&f->store);

  db = raw_open (f->path);
  EXPECT_INT ("user_version in the file", MESO_STORE_SCHEMA_VERSION,
              raw_int (db, "PRAGMA user_version"));
  EXPECT_INT ("application_id marks it as Mesodesk's", 0x4D45534F,
              raw_int (db, "PRAGMA application_id"));
  meso_db_close (db);
}

/* The window's limit on its connections' memory holds with several of
 * them reading more than it allows; lifted, one connection's cache keeps
 * what it read. */
static void
test_process_memory_limit (void **state)
{
  /* SQLite's heap: a server's memory is its own. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) second = NULL;
  g_autofree char *notes = g_strnfill (8000, 'n');
  sqlite3_int64 limited, unlimited;

  /* Set first, as the window does before it opens anything: the limit
   * bounds how far the caches grow, it does not empty them. */
  meso_store_limit_process_memory (2 * 1024 * 1024);
  assert_true (meso_store_begin (f->store, &error));
  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %u", i);
      g_autoptr(MesoPatient) patient = meso_patient_new ();

      meso_patient_set_name (patient, name);
      meso_patient_set_notes (patient, notes);
      assert_true (meso_store_add_patient (f->store, patient, &error));
    }
  assert_true (meso_store_commit (f->store, &error));
  EXPECT_NO_ERROR ("12 MB of notes", error);
  second = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("a second connection", error);

  assert_true (meso_store_check (f->store, &error));
  assert_true (meso_store_check (second, &error));
  limited = sqlite3_memory_used ();
  meso_store_limit_process_memory (0);
  assert_true (meso_store_check (second, &error));
  unlimited = sqlite3_memory_used ();
  EXPECT_NO_ERROR ("read everything", error);

  if (limited >= 4 * 1024 * 1024 || unlimited <= 8 * 1024 * 1024)
    print_message ("SQLite heap: %lld bytes limited, %lld unlimited\n", (long long) limited,
                   (long long) unlimited);
  EXPECT ("limited: about 2 MiB", limited < 4 * 1024 * 1024);
  EXPECT ("unlimited: the cache keeps what it read", unlimited > 8 * 1024 * 1024);
}

static void
test_open_migrates_empty_version_0 (void **state)
{
  /* Old SQLite schemas; a server's starts at the latest: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, 0, &error);
  g_autoptr(GPtrArray) found = NULL;
  MesoDb *db;

  EXPECT_NO_ERROR ("open at version 0", error);
  assert_non_null (old);
  EXPECT_INT ("version 0", 0, meso_store_get_schema_version (old));
  g_clear_object (&old);

  db = raw_open (f->path);
  EXPECT_INT ("no user_version yet", 0, raw_int (db, "PRAGMA user_version"));
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate from 0", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));

  add_patient (f->store, "Dora Lind", FALSE);
  found = meso_store_search_patients (f->store, "dora", FALSE, 0, 0, &error);
  EXPECT_NO_ERROR ("search after migration", error);
  EXPECT_INT ("found", 1, found->len);
}

static gboolean
has_reminder (GPtrArray         *reminders,
              gint64             patient_id,
              MesoAftercareKind  kind)
{
  for (guint i = 0; i < reminders->len; i++)
    {
      MesoReminder *r = g_ptr_array_index (reminders, i);

      if (r->patient_id == patient_id && r->kind == kind)
        return TRUE;
    }
  return FALSE;
}

static void
test_open_migrates_version_1_data (void **state)
{
  /* Old SQLite schemas; a server's starts at the latest: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, 1, &error);
  g_autoptr(GDateTime) oct22 = local_dt ("2026-10-22T10:00");
  g_autoptr(GDateTime) sep01 = local_dt ("2026-09-01T10:00");
  g_autoptr(GDateTime) nov25 = local_dt ("2026-11-25T10:00");
  g_autoptr(GPtrArray) reminders = NULL;
  g_autofree char *sql = NULL;
  GDate today = make_day ("2026-11-21");
  static const struct
  {
    const char *query;
    const char *name;  /* NULL: nobody */
  } searches[] = {
    { "greta", "Greta Müller" },
    { "muller", "Greta Müller" },
    { "0171", "Greta Müller" },
    { "hans", "Hans Öberg" },
    { "oberg", "Hans Öberg" },
    { "greta@example", "Greta Müller" },
    { "ida", "Ida Roth" },
    { "nobody", NULL },
  };
  MesoDb *db;

  EXPECT_NO_ERROR ("open at version 1", error);
  assert_non_null (old);
  EXPECT_INT ("version 1", 1, meso_store_get_schema_version (old));
  g_clear_object (&old);

  /* Rows the way schema v1 stores them, written by a v1 program. */
  db = raw_open (f->path);
  EXPECT_INT ("user_version 1", 1, raw_int (db, "PRAGMA user_version"));
  sql = g_strdup_printf (
    "INSERT INTO patients (id, name, sort_key, phone, email, sensitive_skin, created_at) VALUES "
    "(1, 'Greta Müller', 'greta muller', '(0171) 555 12', 'greta@example.org', 0, 0),"
    "(2, 'Hans Öberg', 'hans oberg', NULL, NULL, 1, 0),"
    "(3, 'Ida Roth', 'ida roth', NULL, NULL, 0, 0);"
    "INSERT INTO sessions (patient_id, at, area, device, needle_um, created_at) VALUES "
    "(1, %" G_GINT64_FORMAT ", 'face', 'pen', 500, 0),"
    "(2, %" G_GINT64_FORMAT ", 'face', 'roller', 500, 0),"
    "(3, %" G_GINT64_FORMAT ", 'face', 'pen', 500, 0);"
    "INSERT INTO appointments (patient_id, area, start, minutes, end_at, status, created_at) "
    "VALUES (3, 'face', %" G_GINT64_FORMAT ", 60, %" G_GINT64_FORMAT ", 'booked', 0);",
    g_date_time_to_unix (oct22), g_date_time_to_unix (sep01), g_date_time_to_unix (oct22),
    g_date_time_to_unix (nov25), g_date_time_to_unix (nov25) + 3600);
  raw_exec (db, sql);
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate from 1", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  assert_true (meso_store_check (f->store, &error));

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GPtrArray) found =
        meso_store_search_patients (f->store, searches[i].query, FALSE, 0, 0, &error);

      EXPECT_NO_ERROR (searches[i].query, error);
      assert_non_null (found);
      EXPECT_INT (searches[i].query, searches[i].name ? 1 : 0, found->len);
      if (searches[i].name != NULL)
        EXPECT_STR (searches[i].query, searches[i].name,
                    meso_patient_get_name (g_ptr_array_index (found, 0)));
    }

  /* Their courses: Greta's window (Nov 19 – Dec 3) is open, Hans's
   * (sensitive: Oct 27 – Nov 10) has closed, Ida's next is booked. */
  reminders = meso_store_list_reminders (f->store, &today, &error);
  EXPECT_NO_ERROR ("reminders after migration", error);
  assert_non_null (reminders);
  EXPECT ("Greta is due", has_reminder (reminders, 1, MESO_AFTERCARE_FOLLOW_UP_DUE));
  EXPECT ("Hans is overdue", has_reminder (reminders, 2, MESO_AFTERCARE_OVERDUE));
  EXPECT ("Hans is not due", !has_reminder (reminders, 2, MESO_AFTERCARE_FOLLOW_UP_DUE));
  EXPECT ("Ida is booked: not due", !has_reminder (reminders, 3, MESO_AFTERCARE_FOLLOW_UP_DUE));
  EXPECT ("Ida is booked: not overdue", !has_reminder (reminders, 3, MESO_AFTERCARE_OVERDUE));
}

/* Version 2 kept the courses without the patient's name; version 3 makes
 * them anew from the sessions, names included, whatever a v2 program left
 * in them. */
static void
test_open_migrates_version_2_data (void **state)
{
  /* Old SQLite schemas; a server's starts at the latest: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, 2, &error);
  g_autoptr(GDateTime) oct22 = local_dt ("2026-10-22T10:00");
  g_autoptr(GDateTime) sep01 = local_dt ("2026-09-01T10:00");
  g_autoptr(GPtrArray) reminders = NULL;
  g_autofree char *sql = NULL;
  GDate today = make_day ("2026-11-21");
  MesoDb *db;

  EXPECT_NO_ERROR ("open at version 2", error);
  assert_non_null (old);
  EXPECT_INT ("version 2", 2, meso_store_get_schema_version (old));
  g_clear_object (&old);

  /* Rows the way schema v2 stores them; Hans's course is stale (it names
   * a window that is not his), as a damaged or older file might hold. */
  db = raw_open (f->path);
  EXPECT_INT ("user_version 2", 2, raw_int (db, "PRAGMA user_version"));
  sql = g_strdup_printf (
    "INSERT INTO patients (id, name, sort_key, phone, email, sensitive_skin, created_at) VALUES "
    "(1, 'Greta Müller', 'greta muller', NULL, NULL, 0, 0),"
    "(2, 'Hans Öberg', 'hans oberg', NULL, NULL, 1, 0);"
    "INSERT INTO sessions (id, patient_id, at, area, device, needle_um, created_at) VALUES "
    "(1, 1, %" G_GINT64_FORMAT ", 'face', 'pen', 500, 0),"
    "(2, 2, %" G_GINT64_FORMAT ", 'face', 'roller', 500, 0);"
    "INSERT INTO courses (patient_id, area, last_session_id, last_at, opens_day, closes_day,"
    " next_at, recall, archived) VALUES (1, 'face', 1, %" G_GINT64_FORMAT ", 1, 2, NULL,"
    " 'active', 0);",
    g_date_time_to_unix (oct22), g_date_time_to_unix (sep01), g_date_time_to_unix (oct22));
  raw_exec (db, sql);
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate from 2", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  assert_true (meso_store_check (f->store, &error));
  /* Version 2 indexed no one these rows name: version 4 indexes everyone. */
  expect_found (f->store, "found after migration", "Greta Müller", "greta", FALSE);
  expect_found (f->store, "found by a word without its accent", "Hans Öberg", "oberg", FALSE);

  reminders = meso_store_list_reminders (f->store, &today, &error);
  EXPECT_NO_ERROR ("reminders after migration", error);
  assert_non_null (reminders);
  EXPECT ("Greta is due", has_reminder (reminders, 1, MESO_AFTERCARE_FOLLOW_UP_DUE));
  EXPECT ("Hans is overdue", has_reminder (reminders, 2, MESO_AFTERCARE_OVERDUE));
  for (guint i = 0; i < reminders->len; i++)
    {
      MesoReminder *r = g_ptr_array_index (reminders, i);

      EXPECT_STR ("each listed by name", r->patient_id == 1 ? "Greta Müller" : "Hans Öberg",
                  r->patient);
      EXPECT ("each with the skin type", r->sensitive_skin == (r->patient_id == 2));
    }
}

/* Version 3's search index did not know who is archived (each match was
 * looked up); version 4 makes it anew from the patients, archived marked. */
static void
test_open_migrates_version_3_data (void **state)
{
  /* Old SQLite schemas; a server's starts at the latest: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, 3, &error);
  guint count = 0;
  MesoDb *db;

  EXPECT_NO_ERROR ("open at version 3", error);
  assert_non_null (old);
  EXPECT_INT ("version 3", 3, meso_store_get_schema_version (old));
  g_clear_object (&old);

  /* Rows the way schema v3 stores them: Ida is archived; Jan's index entry
   * is stale (an older name), as a damaged file might hold. */
  db = raw_open (f->path);
  EXPECT_INT ("user_version 3", 3, raw_int (db, "PRAGMA user_version"));
  raw_exec (db,
            "INSERT INTO patients (id, name, sort_key, phone, email, archived, created_at) VALUES "
            "(1, 'Ida Lindqvist', 'ida lindqvist', '0171 111', NULL, 1, 0),"
            "(2, 'Jan Lindqvist', 'jan lindqvist', NULL, 'jan@example.org', 0, 0);"
            "INSERT INTO patients_search_doc (id, name, contact) VALUES "
            "(1, 'Ida Lindqvist', '0171 111 0171111'),"
            "(2, 'Jon Lindqvist', '');");
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate from 3", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  assert_true (meso_store_check (f->store, &error));

  expect_found (f->store, "the archived left out", "Jan Lindqvist", "lindqvist", FALSE);
  assert_true (meso_store_count_patients (f->store, "lindqvist", FALSE, &count, &error));
  EXPECT_INT ("counted without her", 1, count);
  expect_found (f->store, "the archived with the archived", "Ida Lindqvist|Jan Lindqvist",
                "lindqvist", TRUE);
  expect_found (f->store, "by her phone, with the archived", "Ida Lindqvist", "0171", TRUE);
  expect_found (f->store, "the stale entry made anew", "Jan Lindqvist", "jan", FALSE);
  expect_found (f->store, "by the e-mail", "Jan Lindqvist", "example", FALSE);
  expect_found (f->store, "the old name gone", "", "jon", TRUE);
}

/* Version 6's search index held no birth dates and nothing indexed a
 * patient's next appointment; version 7 makes the index anew, nothing lost. */
static void
test_open_migrates_version_6_data (void **state)
{
  /* Old SQLite schemas; a server's: store-engines (test_version_6_migrated). */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, 6, &error);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(MesoPatient) ida = NULL;
  MesoDb *db;

  EXPECT_NO_ERROR ("open at version 6", error);
  assert_non_null (old);
  g_clear_object (&old);

  /* Rows as version 6 indexed them: no birth date in the contact. */
  db = raw_open (f->path);
  EXPECT_INT ("user_version 6", 6, raw_int (db, "PRAGMA user_version"));
  raw_exec (db,
            "INSERT INTO patients (id, name, sort_key, birth_date, phone, archived, created_at) "
            "VALUES (1, 'Ida Lindqvist', 'ida lindqvist', '1985-03-14', '0171 111', 0, 0),"
            "(2, 'Jan Lindqvist', 'jan lindqvist', '1990-01-02', NULL, 0, 0);"
            "INSERT INTO patients_search_doc (id, name, contact, state) VALUES "
            "(1, 'Ida Lindqvist', '0171 111 0171111', ''), (2, 'Jan Lindqvist', '', '');"
            "INSERT INTO appointments (id, patient_id, area, start, minutes, end_at, status, "
            "created_at) VALUES (1, 1, 'face', 4102444800, 60, 4102448400, 'booked', 0);");
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate from 6", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  assert_true (meso_store_check (f->store, &error));

  expect_found (f->store, "by the year", "Ida Lindqvist", "1985", FALSE);
  expect_found (f->store, "by the ISO date", "Jan Lindqvist", "1990-01-02", FALSE);
  expect_found (f->store, "by the phone still", "Ida Lindqvist", "0171", FALSE);
  ida = meso_store_get_patient (f->store, 1, &error);
  EXPECT_NO_ERROR ("get", error);
  EXPECT_STR ("her birth date kept", "1985-03-14", meso_patient_get_birth_date (ida));
  found = meso_store_search_patients (f->store, "lindqvist", FALSE, 0, 10, &error);
  EXPECT_NO_ERROR ("a page", error);
  EXPECT_INT ("both", 2, found->len);
  EXPECT_INT ("her next appointment on the page", 4102444800,
              meso_patient_get_next_appointment (found->pdata[0]));
  EXPECT_INT ("none for him", 0, meso_patient_get_next_appointment (found->pdata[1]));
}

/* The version before MESO_STORE_SCHEMA_LOTS kept a session's lot as text
 * alone; that one adds products and lots and a session's reference to its
 * registered lot. No lot was
 * registered before, so none is linked; every session keeps its text. */
static void
test_open_migrates_to_lots (void **state)
{
  /* Old SQLite schemas; a server's: store-engines (test_migrated_to_lots). */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = meso_store_open_at_version (f->path, MESO_STORE_SCHEMA_LOTS - 1,
                                                         &error);
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  GDate expires;
  MesoDb *db;

  EXPECT_NO_ERROR ("open before the lots", error);
  assert_non_null (old);
  g_clear_object (&old);

  db = raw_open (f->path);
  EXPECT_INT ("the version before", MESO_STORE_SCHEMA_LOTS - 1,
              raw_int (db, "PRAGMA user_version"));
  raw_exec (db,
            "INSERT INTO patients (id, name, sort_key, archived, created_at) "
            "VALUES (1, 'Ida Lindqvist', 'ida lindqvist', 0, 0);"
            "INSERT INTO sessions (id, patient_id, at, area, device, needle_um, lot, created_at) "
            "VALUES (1, 1, 1767261600, 'face', 'pen', 500, 'HA-2601-007', 0);");
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrate to the lots", error);
  assert_non_null (f->store);
  EXPECT_INT ("migrated", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  assert_true (meso_store_check (f->store, &error));

  sessions = meso_store_list_sessions (f->store, 1, &error);
  EXPECT_NO_ERROR ("sessions", error);
  EXPECT_INT ("kept", 1, sessions->len);
  EXPECT_STR ("its lot as typed", "HA-2601-007", meso_session_get_lot (sessions->pdata[0]));
  db = raw_open (f->path);
  EXPECT_INT ("nothing linked", 0,
              raw_int (db, "SELECT count(*) FROM sessions WHERE lot_id IS NOT NULL"));
  EXPECT_INT ("the recall's index", 1,
              raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions_lot'"));
  meso_db_close (db);

  /* The new tables are audited. */
  g_date_clear (&expires, 1);
  g_date_set_dmy (&expires, 31, G_DATE_DECEMBER, 2026);
  EXPECT ("a lot", meso_store_add_lot (f->store, "HA-2601-007", "Hyaluron", &expires, NULL, NULL,
                                       &error));
  EXPECT_NO_ERROR ("a lot", error);
  audit = meso_store_list_audit (f->store, "products", 0, &error);
  EXPECT_INT ("the product audited", 1, audit->len);
  g_clear_pointer (&audit, g_ptr_array_unref);
  audit = meso_store_list_audit (f->store, "lots", 0, &error);
  EXPECT_INT ("the lot audited", 1, audit->len);
}

static void
test_open_newer_schema_unsupported (void **state)
{
  /* PRAGMA user_version; the server's newer version: store-engines. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          MESO_STORE_SCHEMA_VERSION + 1);
  MesoDb *db;

  add_patient (f->store, "Emil Frey", FALSE);
  g_clear_object (&f->store);

  db = raw_open (f->path);
  raw_exec (db, sql);
  meso_db_close (db);

  store = meso_store_open (f->path, &error);
  assert_null (store);
  EXPECT_ERROR ("newer schema", error, MESO_STORE_ERROR_UNSUPPORTED);
}

/* Each writes @path; the store must refuse it and leave it as it was. */
static void
make_foreign_sqlite (const char *dir,
                     const char *path)
{
  MesoDb *db = raw_open (path);

  raw_exec (db, "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT);"
                "INSERT INTO recipes (title) VALUES ('Apple pie'), ('Bread');");
  meso_db_close (db);
}

/* A valid SQLite file with nothing in it but a user_version: no table, no
 * application id, yet not ours (issue 14). */
static void
make_versioned_sqlite (const char *dir,
                       const char *path)
{
  MesoDb *db = raw_open (path);

  raw_exec (db, "PRAGMA user_version = 7");
  meso_db_close (db);
}

static void
make_truncated (const char *dir,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *real = g_build_filename (dir, "real.db", NULL);
  g_autofree char *notes = g_strnfill (2000, 'n');
  g_autofree char *bytes = NULL;
  gsize length;
  MesoStore *store = meso_store_open (real, &error);

  EXPECT_NO_ERROR ("a real database", error);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(MesoPatient) patient = meso_patient_new ();
      g_autofree char *name = g_strdup_printf ("Patient %u", i);

      meso_patient_set_name (patient, name);
      meso_patient_set_notes (patient, notes);
      assert_true (meso_store_add_patient (store, patient, NULL));
    }
  g_object_unref (store);

  assert_true (g_file_get_contents (real, &bytes, &length, NULL));
  assert_true (length > 64 * 1024);
  assert_true (g_file_set_contents (path, bytes, length / 2, NULL));
}

static void
make_zeroed (const char *dir,
             const char *path)
{
  g_autofree char *zeros = g_malloc0 (64 * 1024);

  assert_true (g_file_set_contents (path, zeros, 64 * 1024, NULL));
}

static void
make_text (const char *dir,
           const char *path)
{
  const char *text = "name;phone\nAnna Müller;0151 234567\nBernd Schmidt;030 1234567\n"
                     "This is a patient list someone saved under the database's name.\n";

  assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
make_short_text (const char *dir,
                 const char *path)
{
  assert_true (g_file_set_contents (path, "SQLite", -1, NULL));
}

typedef void (*MakeFileFunc) (const char *dir, const char *path);

/* The store must refuse the file with CORRUPT and a message naming it, and
 * leave it exactly as it was: bytes, permissions, no -wal, -shm or journal.
 * Everything is freed before the checks, so a failure reports no leaks. */
static void
expect_refused_untouched (Fixture      *f,
                          const char   *what,
                          const char   *name,
                          MakeFileFunc  make)
{
  char *path = g_build_filename (f->dir, name, NULL);
  char *wal = g_strconcat (path, "-wal", NULL);
  char *shm = g_strconcat (path, "-shm", NULL);
  char *journal = g_strconcat (path, "-journal", NULL);
  char *before = NULL, *after = NULL;
  gsize before_len = 0, after_len = 0;
  GError *error = NULL;
  MesoStore *store;
  gboolean refused, corrupt, named, same, no_wal, no_shm, no_journal;
  GStatBuf st_before, st_after;
  guint mode;

  make (f->dir, path);
  assert_int_equal (g_chmod (path, 0640), 0);
  assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  assert_int_equal (g_stat (path, &st_before), 0);

  store = meso_store_open (path, &error);
  refused = store == NULL;
  corrupt = g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT);
  named = error != NULL && strstr (error->message, name) != NULL;
  if (!corrupt || !named)
    print_error ("case \"%s\": got %s %d: %s\n", what,
                 error ? g_quark_to_string (error->domain) : "no error",
                 error ? error->code : 0, error ? error->message : "");
  g_clear_object (&store);
  g_clear_error (&error);

  same = g_file_get_contents (path, &after, &after_len, NULL) && before_len == after_len &&
         memcmp (before, after, before_len) == 0;
  same = same && g_stat (path, &st_after) == 0 &&
         st_before.st_mtim.tv_sec == st_after.st_mtim.tv_sec &&
         st_before.st_mtim.tv_nsec == st_after.st_mtim.tv_nsec;
  no_wal = !g_file_test (wal, G_FILE_TEST_EXISTS);
  no_shm = !g_file_test (shm, G_FILE_TEST_EXISTS);
  no_journal = !g_file_test (journal, G_FILE_TEST_EXISTS);
  mode = file_mode (path);
  g_free (path);
  g_free (wal);
  g_free (shm);
  g_free (journal);
  g_free (before);
  g_free (after);

  if (!(refused && corrupt && named && same && no_wal && no_shm && no_journal && mode == 0640))
    print_error ("case \"%s\": refused %d, CORRUPT %d, named %d, same bytes and time %d, no -wal %d, "
                 "no -shm %d, no journal %d, mode %o (was 640)\n", what, refused, corrupt, named,
                 same, no_wal, no_shm, no_journal, mode);
  EXPECT (what, refused);
  EXPECT (what, corrupt);
  EXPECT (what, named);
  EXPECT (what, same);
  EXPECT (what, no_wal);
  EXPECT (what, no_shm);
  EXPECT (what, no_journal);
  /* Not ours: not even its permissions change. */
  EXPECT_INT (what, 0640, mode);
}

/* Another program's SQLite file is refused from its header, before the WAL
 * switch or the chmod could touch it: "It was left untouched". */
/* A crash in the middle of a checkpoint leaves the file shorter than its
 * header says while the write-ahead log still holds every page: that is no
 * damage, SQLite completes it on open, and the store must not refuse it. */
static void
test_open_accepts_interrupted_checkpoint (void **state)
{
  /* SQLite's WAL checkpoint: a server has none. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autofree char *wal_path = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *wal = NULL;
  g_autofree char *main_file = NULL;
  g_autoptr(GError) error = NULL;
  gsize wal_length, main_length;
  MesoDb *db;

  g_clear_object (&f->store);
  db = raw_open (f->path);
  raw_exec (db, "PRAGMA wal_autocheckpoint = 0;"
                "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                "FROM n WHERE i < 200) INSERT INTO rooms (name) "
                "SELECT printf ('Room %d %s', i, hex (zeroblob (600))) FROM n");
  assert_true (g_file_get_contents (wal_path, &wal, &wal_length, &error));
  raw_exec (db, "PRAGMA wal_checkpoint (PASSIVE)");
  assert_true (g_file_get_contents (f->path, &main_file, &main_length, &error));
  meso_db_close (db);

  /* The state a kill leaves: the header page written, the last pages not. */
  assert_true (main_length > 3 * 4096);
  assert_true (g_file_set_contents (f->path, main_file, main_length - 2 * 4096, &error));
  assert_true (g_file_set_contents (wal_path, wal, wal_length, &error));

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("open after an interrupted checkpoint", error);
  assert_non_null (f->store);
  assert_true (meso_store_check (f->store, &error));
  {
    g_auto(GStrv) rooms = meso_store_list_rooms (f->store, &error);

    assert_non_null (rooms);
    assert_int_equal (g_strv_length (rooms), 200);
  }
}

static void
test_open_refuses_foreign_sqlite_file (void **state)
{
  /* SQLite files; another program's database on a server: store-engines. */
  SKIP_ON_POSTGRESQL ();

  expect_refused_untouched (*state, "an SQLite file of another program", "recipes.db",
                            make_foreign_sqlite);
}

static void
test_open_refuses_versioned_sqlite_file (void **state)
{
  /* SQLite files; another program's database on a server: store-engines. */
  SKIP_ON_POSTGRESQL ();

  expect_refused_untouched (*state, "an SQLite file with only a user_version", "versioned.db",
                            make_versioned_sqlite);
}

static void
test_open_refuses_damaged_file (void **state)
{
  /* SQLite files; a server checks its own pages. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  static const struct
  {
    const char  *what;
    const char  *name;
    MakeFileFunc make;
  } cases[] = {
    { "a truncated copy of a real database", "truncated.db", make_truncated },
    { "64 KiB of zeros", "zeros.db", make_zeroed },
    { "a text file", "text.db", make_text },
    { "a text file shorter than a header", "short.db", make_short_text },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    expect_refused_untouched (f, cases[i].what, cases[i].name, cases[i].make);
}

static void
test_fs_type_is_remote (void **state)
{
  static const struct
  {
    const char *what;
    gint64      magic;
    gboolean    remote;
  } cases[] = {
    { "NFS", 0x6969, TRUE },
    { "CIFS", 0xFF534D42, TRUE },
    { "SMB2", 0xFE534D42, TRUE },
    { "SMB", 0x517B, TRUE },
    { "ext4", 0xEF53, FALSE },
    { "tmpfs", 0x01021994, FALSE },
    { "btrfs", 0x9123683E, FALSE },
    { "xfs", 0x58465342, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    EXPECT_INT (cases[i].what, cases[i].remote, meso_store_fs_type_is_remote (cases[i].magic));
}

static void
test_default_path (void **state)
{
  /* main() pointed XDG_DATA_HOME at a private folder before GLib cached it. */
  const char *data_home = g_getenv ("XDG_DATA_HOME");
  g_autofree char *expected = g_build_filename (data_home, "mesodesk", "clinic.db", NULL);
  g_autofree char *fallback = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *chosen = NULL;

  EXPECT_STR ("GLib sees our XDG_DATA_HOME", data_home, g_get_user_data_dir ());

  g_unsetenv ("MESODESK_DATABASE");
  fallback = meso_store_default_path ();
  EXPECT_STR ("without MESODESK_DATABASE", expected, fallback);

  g_setenv ("MESODESK_DATABASE", "", TRUE);
  empty = meso_store_default_path ();
  EXPECT_STR ("an empty MESODESK_DATABASE is unset", expected, empty);

  g_setenv ("MESODESK_DATABASE", "/srv/clinic/other.db", TRUE);
  chosen = meso_store_default_path ();
  EXPECT_STR ("MESODESK_DATABASE wins", "/srv/clinic/other.db", chosen);
  g_unsetenv ("MESODESK_DATABASE");
}

/* ============================================================ round trip */

/* Exactly @n_bytes of mixed UTF-8: one- to four-byte characters, quotes,
 * SQL and format characters, a ZWJ emoji sequence. */
static char *
make_note (gsize n_bytes,
           guint shift)
{
  static const char *const pieces[] = {
    "a", "é", "€", "😀", "ع", "\n", "'", "\"", "中", "\t", ";", "--", "\\", "%s", "👩‍⚕️",
    "\u200F", "ß", " ", "\r\n",
  };
  GString *note = g_string_new (NULL);

  for (guint i = shift;; i++)
    {
      const char *piece = pieces[i % G_N_ELEMENTS (pieces)];

      if (note->len + strlen (piece) > n_bytes)
        break;
      g_string_append (note, piece);
    }
  while (note->len < n_bytes)
    g_string_append_c (note, 'z');
  return g_string_free (note, FALSE);
}

static void
expect_same_patient (const char  *what,
                     MesoPatient *expected,
                     MesoPatient *actual)
{
  const char *en = meso_patient_get_notes (expected);
  const char *an = meso_patient_get_notes (actual);

  EXPECT_INT (what, meso_patient_get_id (expected), meso_patient_get_id (actual));
  EXPECT_STR (what, meso_patient_get_name (expected), meso_patient_get_name (actual));
  EXPECT_INT (what, strlen (meso_patient_get_name (expected)),
              strlen (meso_patient_get_name (actual)));
  EXPECT_STR (what, meso_patient_get_phone (expected), meso_patient_get_phone (actual));
  EXPECT_STR (what, meso_patient_get_email (expected), meso_patient_get_email (actual));
  EXPECT_STR (what, meso_patient_get_birth_date (expected),
              meso_patient_get_birth_date (actual));
  EXPECT_INT (what, meso_patient_get_sensitive_skin (expected),
              meso_patient_get_sensitive_skin (actual));
  EXPECT_INT (what, strlen (en), strlen (an));
  EXPECT (what, memcmp (en, an, strlen (en)) == 0);
}

static void
test_patient_round_trip (void **state)
{
  Fixture *f = *state;
  static const char *const names[] = {
    "O'Brien \"Bob\"",
    "Dr. 👩‍⚕️ Ana 😀",
    "عائشة بنت أحمد",
    "x'); DROP TABLE patients; --",
    "Zoë Ångström-Łukasiewicz %s %n",
  };
  g_autofree char *note = make_note (10240, 0);
  g_autofree char *other_note = make_note (10240, 7);
  MesoDb *db;

  assert_int_equal (strlen (note), 10240);
  assert_true (g_utf8_validate (note, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoPatient) patient = meso_patient_new ();
      g_autoptr(MesoPatient) got = NULL;
      g_autoptr(MesoPatient) updated = NULL;
      const char *renamed = names[(i + 1) % G_N_ELEMENTS (names)];

      meso_patient_set_name (patient, names[i]);
      meso_patient_set_notes (patient, note);
      meso_patient_set_phone (patient, "+49 (0)30 123-456");
      meso_patient_set_email (patient, "o'brien+test@example.org");
      meso_patient_set_birth_date (patient, "1980-02-29");
      assert_true (meso_store_add_patient (f->store, patient, &error));
      EXPECT_NO_ERROR (names[i], error);

      got = meso_store_get_patient (f->store, meso_patient_get_id (patient), &error);
      EXPECT_NO_ERROR (names[i], error);
      assert_non_null (got);
      expect_same_patient (names[i], patient, got);

      meso_patient_set_name (patient, renamed);
      meso_patient_set_notes (patient, other_note);
      assert_true (meso_store_update_patient (f->store, patient, &error));
      EXPECT_NO_ERROR (renamed, error);
      updated = meso_store_get_patient (f->store, meso_patient_get_id (patient), &error);
      assert_non_null (updated);
      expect_same_patient (renamed, patient, updated);
    }

  /* The database holds the bytes, as text; the patients table is still there. */
  db = raw_open (f->path);
  EXPECT_INT ("every patient stored", G_N_ELEMENTS (names),
              raw_int (db, "SELECT count(*) FROM patients"));
  EXPECT_INT ("notes are 10240 bytes", 10240,
              raw_int (db, engine_sql ("SELECT min(length(CAST(notes AS BLOB))) FROM patients",
                                       "SELECT min(octet_length(notes)) FROM patients")));
  {
    g_autofree char *type =
      raw_text (db, engine_sql ("SELECT typeof(name) FROM patients WHERE name LIKE "
                                "'%DROP TABLE%'",
                                "SELECT pg_typeof(name)::text FROM patients WHERE name LIKE "
                                "'%DROP TABLE%'"));

    EXPECT_STR ("the injection is stored as text", "text", type);
  }
  meso_db_close (db);
}

static gint64
add_born (MesoStore  *store,
          const char *name,
          const char *birth_date,
          const char *phone)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GError) error = NULL;

  meso_patient_set_name (patient, name);
  meso_patient_set_birth_date (patient, birth_date);
  meso_patient_set_phone (patient, phone);
  EXPECT (name, meso_store_add_patient (store, patient, &error));
  EXPECT_NO_ERROR (name, error);
  return meso_patient_get_id (patient);
}

/* The ids of @patient's namesakes, "1 3". */
static char *
namesakes_of (MesoStore  *store,
              gint64      id,
              const char *name,
              const char *birth_date,
              const char *phone)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  meso_patient_set_id (patient, id);
  meso_patient_set_name (patient, name);
  meso_patient_set_birth_date (patient, birth_date);
  meso_patient_set_phone (patient, phone);
  found = meso_store_find_namesakes (store, patient, &error);
  EXPECT_NO_ERROR ("namesakes", error);
  assert_non_null (found);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            meso_patient_get_id (found->pdata[i]));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define EXPECT_NAMESAKES(what, expected, ...) \
  G_STMT_START { \
    g_autofree char *ids_ = namesakes_of (f->store, __VA_ARGS__); \
    EXPECT_STR (what, expected, ids_); \
  } G_STMT_END

/* A second record of one person: the same name (case and accents aside)
 * with the same birth date, or with the same phone's digits. */
static void
test_patient_namesakes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 erika = add_born (f->store, "Erika Mustermann", "1985-03-14", "0151 234567");
  gint64 other = add_born (f->store, "Erika Mustermann", "1990-01-01", NULL);
  gint64 archived = add_born (f->store, "Max Muster", "1970-05-05", "030 1234");

  add_born (f->store, "Erika Musterfrau", "1985-03-14", "0151 234567");
  EXPECT ("archive", meso_store_set_patient_archived (f->store, archived, TRUE, &error));
  EXPECT_NO_ERROR ("archive", error);

  EXPECT_NAMESAKES ("name and birth date", "1", 0, " erika MUSTERMANN ", "1985-03-14", NULL);
  EXPECT_NAMESAKES ("name and phone digits", "1", 0, "Érika Mustermann", NULL,
                    "(0151) 23-45-67");
  EXPECT_NAMESAKES ("both of that name", "1 2", 0, "Erika Mustermann", "1990-01-01",
                    "0151/234567");
  EXPECT_NAMESAKES ("the name alone is not enough", "", 0, "Erika Mustermann", "2000-01-01",
                    "0170 1");
  EXPECT_NAMESAKES ("nor the date alone", "", 0, "Erika Muster", "1985-03-14", NULL);
  EXPECT_NAMESAKES ("no date, no phone: nothing to compare", "", 0, "Erika Mustermann", NULL,
                    NULL);
  EXPECT_NAMESAKES ("the archived too", "3", 0, "Max Muster", "1970-05-05", NULL);
  EXPECT_NAMESAKES ("not herself", "", erika, "Erika Mustermann", "1985-03-14", NULL);
  EXPECT_NAMESAKES ("but the other", "1", other, "Erika Mustermann", "1985-03-14", NULL);
}

#include <locale.h>

/* A birth date typed in the locale's form or ISO, or its year, finds the
 * patient; other locales' forms are words as before. */
static void
test_patient_search_birth_dates (void **state)
{
  Fixture *f = *state;

  add_born (f->store, "Erika Mustermann", "1985-03-14", "0151 234567");
  add_born (f->store, "Erik Muster", "1985-11-02", NULL);
  add_born (f->store, "Anna Lind", "1990-03-14", NULL);

  expect_found (f->store, "the year", "Erik Muster|Erika Mustermann", "1985", FALSE);
  expect_found (f->store, "ISO", "Erika Mustermann", "1985-03-14", FALSE);
  expect_found (f->store, "ISO, short", "Erika Mustermann", "1985-3-14", FALSE);
  expect_found (f->store, "a date and a name", "Erika Mustermann", "erik 1985-03-14", FALSE);
  expect_found (f->store, "another day", "", "1985-03-15", FALSE);
  expect_found (f->store, "the phone still", "Erika Mustermann", "0151", FALSE);
  if (setlocale (LC_TIME, "de_DE.UTF-8") != NULL)
    {
      expect_found (f->store, "German", "Erika Mustermann", "14.03.1985", FALSE);
      expect_found (f->store, "German, short", "Anna Lind", "14.3.1990", FALSE);
      setlocale (LC_TIME, "C.UTF-8");
    }
  else if (g_getenv ("CI") != NULL)
    fail_msg ("de_DE.UTF-8 is not installed (Debian: locales-all)");
  if (setlocale (LC_TIME, "en_US.UTF-8") != NULL)
    {
      expect_found (f->store, "US English", "Erika Mustermann", "03/14/1985", FALSE);
      setlocale (LC_TIME, "C.UTF-8");
    }
}

/* A page carries each patient's next booked appointment, from now on. */
static void
test_patient_page_next_appointment (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GDateTime) first = local_dt ("2026-11-23T10:00");
  g_autoptr(GDateTime) second = local_dt ("2026-11-30T11:00");
  gint64 ida = add_patient (f->store, "Ida Lind", FALSE);
  gint64 jan = add_patient (f->store, "Jan Lind", FALSE);
  gint64 early = book_appointment_ok (f->store, ida, "2026-11-23T10:00", MESO_AREA_FACE);

  book_appointment_ok (f->store, ida, "2026-11-30T11:00", MESO_AREA_NECK);
  (void) jan;

  page = meso_store_search_patients (f->store, "lind", FALSE, 0, 10, &error);
  EXPECT_NO_ERROR ("page", error);
  EXPECT_INT ("two", 2, page->len);
  EXPECT_INT ("Ida's first", g_date_time_to_unix (first),
              meso_patient_get_next_appointment (page->pdata[0]));
  EXPECT_INT ("Jan has none", 0, meso_patient_get_next_appointment (page->pdata[1]));
  g_clear_pointer (&page, g_ptr_array_unref);

  EXPECT ("cancel", meso_store_cancel_appointment (f->store, early, "ill", &error));
  EXPECT_NO_ERROR ("cancel", error);
  page = meso_store_search_patients (f->store, "", FALSE, 0, 10, &error);
  EXPECT_NO_ERROR ("everyone", error);
  EXPECT_INT ("the cancelled one is not next", g_date_time_to_unix (second),
              meso_patient_get_next_appointment (page->pdata[0]));
  g_clear_pointer (&page, g_ptr_array_unref);

  /* A page read from where a scroll jump left off carries it too. */
  {
    gint64 aaron = add_patient (f->store, "Aaron Alt", FALSE);

    page = meso_store_list_patients_after (f->store, aaron, 0, 10, &error);
    EXPECT_NO_ERROR ("after Aaron", error);
    assert_non_null (page);
    EXPECT_INT ("Ida and Jan after Aaron", 2, page->len);
    EXPECT_INT ("Ida's next after a jump", g_date_time_to_unix (second),
                meso_patient_get_next_appointment (page->pdata[0]));
    EXPECT_INT ("Jan's none after a jump", 0, meso_patient_get_next_appointment (page->pdata[1]));
    g_clear_pointer (&page, g_ptr_array_unref);
  }

  /* Once it has begun, it is not the next. */
  g_setenv ("MESODESK_NOW", "2026-12-01T09:00", TRUE);
  page = meso_store_search_patients (f->store, "", TRUE, 0, 10, &error);
  EXPECT_NO_ERROR ("later", error);
  EXPECT_INT ("nothing ahead", 0, meso_patient_get_next_appointment (page->pdata[0]));
}

/* The search finds a name that is SQL by its words, as any other. */
static void
test_patient_search_injection (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  add_patient (f->store, "x'); DROP TABLE patients; --", FALSE);
  add_patient (f->store, "Dora Lind", FALSE);
  found = meso_store_search_patients (f->store, "drop table", FALSE, 0, 0, &error);
  EXPECT_NO_ERROR ("search for the injection", error);
  assert_non_null (found);
  EXPECT_INT ("found by its words", 1, found->len);
  EXPECT_STR ("found by its words", "x'); DROP TABLE patients; --",
              meso_patient_get_name (g_ptr_array_index (found, 0)));
}

/* ================================================================ audit */

static MesoAuditEntry *
last_audit (MesoStore  *store,
            const char *table,
            gint64      row_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, table, row_id, &error);
  MesoAuditEntry *entry, *copy;

  EXPECT_NO_ERROR ("list audit", error);
  assert_non_null (entries);
  assert_true (entries->len > 0);
  entry = g_ptr_array_index (entries, entries->len - 1);
  copy = g_new0 (MesoAuditEntry, 1);
  *copy = *entry;
  copy->at = g_strdup (entry->at);
  copy->actor = g_strdup (entry->actor);
  copy->os_user = g_strdup (entry->os_user);
  copy->host = g_strdup (entry->host);
  copy->table = g_strdup (entry->table);
  copy->action = g_strdup (entry->action);
  copy->changes = g_strdup (entry->changes);
  return copy;
}

static void
expect_audit (const char     *what,
              MesoAuditEntry *entry,
              const char     *table,
              gint64          row_id,
              const char     *action)
{
  EXPECT_STR (what, g_get_user_name (), entry->actor);
  /* The system user and the computer, each in a column of its own. */
  EXPECT_STR (what, g_get_user_name (), entry->os_user);
  EXPECT_STR (what, g_get_host_name (), entry->host);
  EXPECT_STR (what, table, entry->table);
  EXPECT_INT (what, row_id, entry->row_id);
  EXPECT_STR (what, action, entry->action);
  EXPECT (what, entry->at != NULL && g_str_has_suffix (entry->at, "Z"));
  EXPECT (what, entry->changes != NULL && entry->changes[0] == '{');
}

/* What @path (JSONPath) finds in @entry's changes, as the store lists
 * them: the same fields on every engine, whatever each one's spacing. */
static JsonNode *
audit_json (const MesoAuditEntry *entry,
            const char           *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) changes = json_from_string (entry->changes, &error);
  g_autoptr(JsonNode) found = NULL;
  JsonArray *matches;

  EXPECT_NO_ERROR (entry->changes, error);
  EXPECT (entry->changes, changes != NULL && JSON_NODE_HOLDS_OBJECT (changes));
  found = json_path_query (path, changes, &error);
  EXPECT_NO_ERROR (path, error);
  matches = json_node_get_array (found);
  if (json_array_get_length (matches) != 1)
    {
      print_error ("%s in %s: %u matches\n", path, entry->changes,
                   json_array_get_length (matches));
      fail ();
    }
  return json_node_copy (json_array_get_element (matches, 0));
}

static gint64
audit_json_int (const MesoAuditEntry *entry,
                const char           *path)
{
  g_autoptr(JsonNode) node = audit_json (entry, path);

  EXPECT (path, json_node_get_value_type (node) == G_TYPE_INT64);
  return json_node_get_int (node);
}

static char *
audit_json_text (const MesoAuditEntry *entry,
                 const char           *path)
{
  g_autoptr(JsonNode) node = audit_json (entry, path);

  EXPECT (path, json_node_get_value_type (node) == G_TYPE_STRING);
  return json_node_dup_string (node);
}

/* How many members an object, or elements an array, @path finds has. */
static guint
audit_json_size (const MesoAuditEntry *entry,
                 const char           *path)
{
  g_autoptr(JsonNode) node = audit_json (entry, path);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node));
  EXPECT (path, JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

static void
test_audit_logs_every_change (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(MesoAuditEntry) inserted = NULL;
  g_autoptr(MesoAuditEntry) updated = NULL;
  g_autoptr(MesoAuditEntry) archived = NULL;
  g_autoptr(MesoAuditEntry) session_entry = NULL;
  g_autoptr(MesoAuditEntry) cancelled = NULL;
  g_autoptr(MesoAuditEntry) deleted = NULL;
  gint64 id, session_id, appointment_id, room_id;
  guint before;
  MesoDb *db;

  meso_patient_set_name (patient, "Frida Kahl");
  meso_patient_set_phone (patient, "0151 111");
  assert_true (meso_store_add_patient (f->store, patient, &error));
  id = meso_patient_get_id (patient);
  inserted = last_audit (f->store, "patients", id);
  expect_audit ("insert", inserted, "patients", id, "insert");

  meso_patient_set_phone (patient, "0151 222");
  assert_true (meso_store_update_patient (f->store, patient, &error));
  updated = last_audit (f->store, "patients", id);
  expect_audit ("update", updated, "patients", id, "update");

  /* An update that changes nothing is not an entry. */
  before = count_audit (f->store);
  assert_true (meso_store_update_patient (f->store, patient, &error));
  EXPECT_INT ("no change, no entry", before, count_audit (f->store));

  assert_true (meso_store_set_patient_archived (f->store, id, TRUE, &error));
  archived = last_audit (f->store, "patients", id);
  expect_audit ("archive", archived, "patients", id, "update");
  assert_true (meso_store_set_patient_archived (f->store, id, FALSE, &error));

  session_id = record_ok (f->store, id, "2026-11-20T10:00", MESO_AREA_NECK);
  session_entry = last_audit (f->store, "sessions", session_id);
  expect_audit ("session", session_entry, "sessions", session_id, "insert");

  appointment_id = book_ok (f->store, id, "2026-12-21T10:00", MESO_AREA_NECK, NULL, NULL);
  assert_true (meso_store_cancel_appointment (f->store, appointment_id, "ill", &error));
  cancelled = last_audit (f->store, "appointments", appointment_id);
  expect_audit ("cancel", cancelled, "appointments", appointment_id, "update");

  assert_true (meso_store_add_room (f->store, "Room 9", &error));
  db = raw_open (f->path);
  if (test_engine_is_postgresql ())
    {
      /* Another Mesodesk's connection names its user and computer so. */
      g_autofree char *sql = g_strdup_printf ("SELECT set_config ('mesodesk.os_user', '%s', "
                                              "false), set_config ('mesodesk.host', '%s', false)",
                                              g_get_user_name (), g_get_host_name ());

      raw_exec (db, sql);
    }
  room_id = raw_int (db, "SELECT id FROM rooms WHERE name = 'Room 9'");
  raw_exec (db, "DELETE FROM rooms WHERE name = 'Room 9'");
  deleted = last_audit (f->store, "rooms", room_id);
  expect_audit ("delete", deleted, "rooms", room_id, "delete");

  meso_db_close (db);

  {
    g_autofree char *name = audit_json_text (inserted, "$.name");
    g_autofree char *old_phone = audit_json_text (updated, "$.phone[0]");
    g_autofree char *new_phone = audit_json_text (updated, "$.phone[1]");
    g_autofree char *reason = audit_json_text (cancelled, "$.cancel_reason[1]");
    g_autofree char *status = audit_json_text (cancelled, "$.status[1]");
    g_autofree char *area = audit_json_text (session_entry, "$.area");
    g_autofree char *room = audit_json_text (deleted, "$.name");

    EXPECT_INT ("insert lists every audited column", 8, audit_json_size (inserted, "$"));
    EXPECT_STR ("insert lists the values", "Frida Kahl", name);
    EXPECT_INT ("update lists only what changed", 1, audit_json_size (updated, "$"));
    EXPECT_INT ("as [old, new]", 2, audit_json_size (updated, "$.phone"));
    EXPECT_STR ("old value", "0151 111", old_phone);
    EXPECT_STR ("new value", "0151 222", new_phone);
    EXPECT_INT ("archive lists archived only", 1, audit_json_size (archived, "$"));
    EXPECT_INT ("archived [0, 1]", 0, audit_json_int (archived, "$.archived[0]"));
    EXPECT_INT ("archived [0, 1]", 1, audit_json_int (archived, "$.archived[1]"));
    EXPECT_STR ("session values", "neck", area);
    EXPECT_INT ("session values", 500, audit_json_int (session_entry, "$.needle_um"));
    EXPECT_INT ("cancel changes status and reason", 2, audit_json_size (cancelled, "$"));
    EXPECT_STR ("cancel reason", "ill", reason);
    EXPECT_STR ("cancel status", "cancelled", status);
    EXPECT_STR ("delete keeps the old values", "Room 9", room);
    EXPECT_INT ("delete lists every audited column", 2, audit_json_size (deleted, "$"));
  }
}

static void
audit_id_cb (const MesoAuditEntry *entry,
             gpointer              ids)
{
  g_array_append_val ((GArray *)ids, entry->id);
  EXPECT ("an entry's texts", entry->at != NULL && entry->actor != NULL &&
                              entry->table != NULL && entry->changes != NULL);
}

/* The log one entry at a time: the list's entries, filtered the same. */
static void
test_audit_foreach (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) first = meso_patient_new ();
  g_autoptr(MesoPatient) second = meso_patient_new ();
  const char *tables[] = { NULL, "patients", "rooms" };

  meso_patient_set_name (first, "Frida Kahl");
  assert_true (meso_store_add_patient (f->store, first, &error));
  meso_patient_set_name (second, "Otto Dix");
  assert_true (meso_store_add_patient (f->store, second, &error));
  meso_patient_set_phone (first, "0151 111");
  assert_true (meso_store_update_patient (f->store, first, &error));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (gint64 row = 0; row <= meso_patient_get_id (second); row++)
      {
        g_autoptr(GPtrArray) listed = meso_store_list_audit (f->store, tables[t], row, &error);
        g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

        assert_non_null (listed);
        assert_true (meso_store_foreach_audit (f->store, tables[t], row, audit_id_cb, ids,
                                               &error));
        EXPECT_NO_ERROR ("foreach", error);
        EXPECT_INT ("as many as listed", listed->len, ids->len);
        for (guint i = 0; i < listed->len && i < ids->len; i++)
          EXPECT_INT ("the same, in order",
                      ((MesoAuditEntry *)g_ptr_array_index (listed, i))->id,
                      g_array_index (ids, gint64, i));
      }
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    assert_true (meso_store_foreach_audit (f->store, "patients", meso_patient_get_id (first),
                                           audit_id_cb, ids, &error));
    EXPECT_INT ("the first patient's insert and update", 2, ids->len);
  }
}

static void
test_audit_is_append_only (void **state)
{
  Fixture *f = *state;
  static const char *const attacks[] = {
    "UPDATE audit SET actor = 'someone else'",
    "UPDATE audit SET changes = '{}' WHERE tbl = 'patients'",
    "DELETE FROM audit",
    "DELETE FROM audit WHERE id = 1",
    NULL,  /* the engine's way of emptying a table at once */
  };
  guint before;
  MesoDb *db;

  add_patient (f->store, "Gina Holt", FALSE);
  add_patient (f->store, "Hugo Holt", TRUE);
  before = count_audit (f->store);
  assert_true (before >= 2);

  /* Another program on the same database: the database itself refuses,
   * as a constraint (SQLite's RAISE (ABORT), the server's trigger). */
  db = raw_open (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *attack = attacks[i];

      if (attack == NULL)
        attack = engine_sql ("DELETE FROM audit WHERE id > 0", "TRUNCATE audit");
      EXPECT (attack, !meso_db_exec (db, attack, &error));
      EXPECT (attack, g_error_matches (error, MESO_DB_ERROR, MESO_DB_ERROR_CONSTRAINT));
    }
  EXPECT_INT ("the raw count is the same", before, raw_int (db, "SELECT count(*) FROM audit"));
  meso_db_close (db);
  EXPECT_INT ("the log has the same count", before, count_audit (f->store));
}

/* The log as Mesodesk wrote it verifies; then, on a database of its own
 * each, an attacker with the engine's own tool (the guards dropped first)
 * changes, deletes, forges, swaps an entry, or drops a trigger: each is
 * found, naming the first entry that does not match. */
typedef struct
{
  const char *what;
  const char *sqlite;
  const char *postgresql;
  gint64      bad_id;   /* -1: no entry's fault */
} AuditAttack;

static void
expect_audit_sound (MesoStore *store,
                    gint64     entries)
{
  g_autoptr(GError) error = NULL;
  g_auto(MesoAuditVerification) result = { 0 };

  assert_true (meso_store_verify_audit (store, &result, &error));
  EXPECT_NO_ERROR ("verify", error);
  EXPECT_STR ("no problem", NULL, result.problem);
  EXPECT ("sound", result.sound);
  EXPECT_INT ("entries", entries, result.entries);
  EXPECT ("a hash", result.last_hash != NULL && strlen (result.last_hash) == 64);
}

static void
test_audit_verify_finds_tampering (void **state)
{
  static const AuditAttack attacks[] = {
    { "changed", "UPDATE audit SET changes = '{\"name\":\"Someone\"}' WHERE id = 3",
      "UPDATE audit SET changes = '{\"name\":\"Someone\"}' WHERE id = 3", 3 },
    { "deleted", "DELETE FROM audit WHERE id = 3", "DELETE FROM audit WHERE id = 3", 4 },
    { "deleted at the end", "DELETE FROM audit WHERE id = 5",
      "DELETE FROM audit WHERE id = 5", -1 },
    { "forged", "INSERT INTO audit (id, at, actor, os_user, host, tbl, row_id, action, changes, "
      "seq, hash) SELECT 9, at, actor, os_user, host, tbl, row_id, action, changes, 6, "
      "'4f2e5a81c0d3b6e9a7f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0' FROM audit "
      "WHERE id = 5; UPDATE audit_chain SET seq = 6, hash = "
      "'4f2e5a81c0d3b6e9a7f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0'",
      "INSERT INTO audit (id, at, actor, os_user, host, tbl, row_id, action, changes, "
      "seq, hash) SELECT 9, at, actor, os_user, host, tbl, row_id, action, changes, 6, "
      "'4f2e5a81c0d3b6e9a7f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0' FROM audit "
      "WHERE id = 5; UPDATE audit_chain SET seq = 6, hash = "
      "'4f2e5a81c0d3b6e9a7f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f0'", 9 },
    { "written by hand", "INSERT INTO audit (at, actor, tbl, row_id, action, changes) "
      "VALUES ('2026-01-01T00:00:00.000Z', 'x', 'patients', 1, 'delete', '{}')",
      "INSERT INTO audit (at, actor, tbl, row_id, action, changes) "
      "VALUES ('2026-01-01T00:00:00.000Z', 'x', 'patients', 1, 'delete', '{}')", 6 },
    { "swapped", "UPDATE audit SET seq = -1 WHERE id = 2; UPDATE audit SET seq = 2 "
      "WHERE id = 3; UPDATE audit SET seq = 3 WHERE id = 2",
      "UPDATE audit SET seq = -1 WHERE id = 2; UPDATE audit SET seq = 2 "
      "WHERE id = 3; UPDATE audit SET seq = 3 WHERE id = 2", 3 },
    { "a trigger dropped", "DROP TRIGGER audit_patients_delete",
      "DROP TRIGGER audit_patients ON patients", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      StoreFixture *f = store_fixture_new ("mesodesk-audit-XXXXXX", TRUE);
      g_autoptr(GError) error = NULL;
      g_auto(MesoAuditVerification) result = { 0 };
      MesoDb *db;

      /* Entries 1-5: the database's name, four patients. */
      add_patient (f->store, "Ada Bell", FALSE);
      add_patient (f->store, "Bea Bell", FALSE);
      add_patient (f->store, "Cai Bell", FALSE);
      add_patient (f->store, "Dov Bell", FALSE);
      expect_audit_sound (f->store, 5);

      db = raw_open (f->path);
      raw_exec (db, engine_sql ("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete",
                                "DROP TRIGGER audit_no_change ON audit"));
      raw_exec (db, engine_sql (attacks[i].sqlite, attacks[i].postgresql));
      meso_db_close (db);

      assert_true (meso_store_verify_audit (f->store, &result, &error));
      EXPECT_NO_ERROR (attacks[i].what, error);
      EXPECT (attacks[i].what, !result.sound);
      EXPECT (attacks[i].what, result.problem != NULL);
      EXPECT_STR (attacks[i].what, NULL, result.last_hash);
      if (attacks[i].bad_id >= 0)
        EXPECT_INT (attacks[i].what, attacks[i].bad_id, result.bad_id);
      store_fixture_free (f);
    }
}

/* A database of schema 7 gets the chain over its entries at the upgrade,
 * in id order, nothing lost; new entries chain on. */
static void
test_audit_chain_upgrade (void **state)
{
  StoreFixture *f;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = NULL;
  guint before;

  f = store_fixture_new ("mesodesk-audit-upgrade-XXXXXX", FALSE);
  old = meso_store_open_at_version (f->path, MESO_STORE_AUDIT_CHAIN_VERSION - 1, &error);

  EXPECT_NO_ERROR ("open at the version before", error);
  assert_non_null (old);
  add_patient (old, "Old One", FALSE);
  add_patient (old, "Old Two", TRUE);
  before = count_audit (old);
  g_clear_object (&old);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("upgrade", error);
  assert_non_null (f->store);
  EXPECT_INT ("nothing lost", before, count_audit (f->store));
  expect_audit_sound (f->store, before);
  add_patient (f->store, "New One", FALSE);
  expect_audit_sound (f->store, before + 1);
  store_fixture_free (f);
}

/* Every kind of write seals its entries (one outside a transaction too). */
static void
test_audit_chain_after_writes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 id;

  id = add_patient (f->store, "Gina Holt", FALSE);
  assert_true (meso_store_add_practitioner (f->store, "Rita", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_set_patient_archived (f->store, id, TRUE, &error));
  entries = meso_store_list_audit (f->store, NULL, 0, &error);
  assert_non_null (entries);
  expect_audit_sound (f->store, entries->len);
}

/* A long write (the demo of 300 patients: over 3 000 entries, more than
 * one of the seal's batches) sealed whole at its commit, then a write after
 * it chained on, on either engine. */
static void
test_audit_chain_long_write (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  guint entries;

  assert_true (meso_store_generate_demo (f->store, 300, 1, &error));
  EXPECT_NO_ERROR ("demo", error);
  entries = count_audit (f->store);
  EXPECT ("more than one batch", entries > 2000);
  expect_audit_sound (f->store, entries);
  add_patient (f->store, "Gina Holt", FALSE);
  expect_audit_sound (f->store, entries + 1);
}

/* ============================================================= patients */

static void
test_patient_validation (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    const char *name;
    const char *email;
  } cases[] = {
    { "empty name", "", NULL },
    { "blank name", "   \t ", NULL },
    { "bad e-mail", "Ivo Kern", "not an address" },
  };
  guint audit = count_audit (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoPatient) patient = meso_patient_new ();

      meso_patient_set_name (patient, cases[i].name);
      meso_patient_set_email (patient, cases[i].email);
      EXPECT (cases[i].what, !meso_store_add_patient (f->store, patient, &error));
      EXPECT_ERROR (cases[i].what, error, MESO_STORE_ERROR_INVALID);
      EXPECT_INT (cases[i].what, 0, meso_patient_get_id (patient));
    }
  EXPECT_INT ("nothing written", audit, count_audit (f->store));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MesoPatient) patient = meso_patient_new ();
    gint64 id = add_patient (f->store, "Jana Ost", FALSE);
    g_autoptr(MesoPatient) kept = NULL;

    meso_patient_set_id (patient, id);
    meso_patient_set_name (patient, " ");
    EXPECT ("update to an empty name", !meso_store_update_patient (f->store, patient, &error));
    EXPECT_ERROR ("update to an empty name", error, MESO_STORE_ERROR_INVALID);
    kept = meso_store_get_patient (f->store, id, NULL);
    EXPECT_STR ("the name is kept", "Jana Ost", meso_patient_get_name (kept));
    g_clear_error (&error);

    meso_patient_set_id (patient, id + 99);
    meso_patient_set_name (patient, "Nobody");
    EXPECT ("update of a missing patient", !meso_store_update_patient (f->store, patient, &error));
    EXPECT_ERROR ("update of a missing patient", error, MESO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    EXPECT ("get a missing patient", meso_store_get_patient (f->store, id + 99, &error) == NULL);
    EXPECT_ERROR ("get a missing patient", error, MESO_STORE_ERROR_NOT_FOUND);
  }
}

/* "Name|Name" for a search result, to compare with a case's expectation. */
static char *
join_names (GPtrArray *patients)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < patients->len; i++)
    {
      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, meso_patient_get_name (g_ptr_array_index (patients, i)));
    }
  return g_string_free (names, FALSE);
}

static char *
search_names (MesoStore  *store,
              const char *text,
              gboolean    include_archived,
              guint       offset,
              guint       limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint count = G_MAXUINT;

  found = meso_store_search_patients (store, text, include_archived, offset, limit, &error);
  EXPECT_NO_ERROR (text ? text : "(null)", error);
  assert_non_null (found);
  if (offset == 0 && limit == 0)
    {
      assert_true (meso_store_count_patients (store, text, include_archived, &count, &error));
      EXPECT_NO_ERROR (text ? text : "(null)", error);
      EXPECT_INT (text ? text : "(null)", found->len, count);
    }
  return join_names (found);
}

static void
add_search_patients (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 archived;

  add_patient_full (store, "Frida Kahlo", FALSE, NULL, NULL);
  add_patient_full (store, "Émile Zola", FALSE, NULL, "emile@zola.fr");
  add_patient_full (store, "Anna Müller", FALSE, "(0151) 23 45 67", "anna.mueller@example.org");
  add_patient_full (store, "Clara Annecy", TRUE, NULL, NULL);
  add_patient_full (store, "Bernd Schmidt", FALSE, "+49 30 1234567", "bernd@praxis.de");
  archived = add_patient_full (store, "Dieter Maier", FALSE, "0172 999", NULL);
  assert_true (meso_store_set_patient_archived (store, archived, TRUE, &error));
}

static void
test_patient_search (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *text;
    gboolean    include_archived;
    const char *expected;
  } cases[] = {
    { "ann", FALSE, "Anna Müller|Clara Annecy" },
    { "anne", FALSE, "Clara Annecy" },
    { "müller", FALSE, "Anna Müller" },
    { "muller", FALSE, "Anna Müller" },
    { "MÜLLER", FALSE, "Anna Müller" },
    { "MUL", FALSE, "Anna Müller" },
    { "üller", FALSE, "" },
    { "emile", FALSE, "Émile Zola" },
    { "ÉMILE", FALSE, "Émile Zola" },
    { "0151", FALSE, "Anna Müller" },
    { "01512345", FALSE, "Anna Müller" },
    { "1234", FALSE, "Bernd Schmidt" },
    { "anna.mueller", FALSE, "Anna Müller" },
    { "bernd@praxis", FALSE, "Bernd Schmidt" },
    { "praxis", FALSE, "Bernd Schmidt" },
    { "anna müller", FALSE, "Anna Müller" },
    { "  müller   anna ", FALSE, "Anna Müller" },
    { "anna zola", FALSE, "" },
    { "schmidt clara", FALSE, "" },
    { "", FALSE, "Anna Müller|Bernd Schmidt|Clara Annecy|Émile Zola|Frida Kahlo" },
    { NULL, FALSE, "Anna Müller|Bernd Schmidt|Clara Annecy|Émile Zola|Frida Kahlo" },
    { "!!! ,.-", FALSE, "Anna Müller|Bernd Schmidt|Clara Annecy|Émile Zola|Frida Kahlo" },
    { "\"", FALSE, "Anna Müller|Bernd Schmidt|Clara Annecy|Émile Zola|Frida Kahlo" },
    { "maier", FALSE, "" },
    { "maier", TRUE, "Dieter Maier" },
    { "0172", TRUE, "Dieter Maier" },
    { "", TRUE, "Anna Müller|Bernd Schmidt|Clara Annecy|Dieter Maier|Émile Zola|Frida Kahlo" },
    /* The index's archived mark is not a word of anyone's. */
    { "archived", TRUE, "" },
    { "arch", FALSE, "" },
    { "state", TRUE, "" },
  };

  add_search_patients (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = search_names (f->store, cases[i].text,
                                             cases[i].include_archived, 0, 0);
      g_autofree char *what = g_strdup_printf ("search \"%s\"%s",
                                               cases[i].text ? cases[i].text : "(null)",
                                               cases[i].include_archived ? " with archived" : "");

      EXPECT_STR (what, cases[i].expected, names);
    }
}

static void
expect_found (MesoStore  *store,
              const char *what,
              const char *expected,
              const char *text,
              gboolean    include_archived)
{
  g_autofree char *names = search_names (store, text, include_archived, 0, 0);

  EXPECT_STR (what, expected, names);
}

/* Archiving, by any path, and taking it back reach the search index at
 * once: the count and the pages leave the patient out, or take her in. */
static void
test_patient_search_follows_archiving (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  gint64 id;

  add_search_patients (f->store);
  id = add_patient_full (f->store, "Ottilie Maier", FALSE, "0172 555", NULL);
  expect_found (f->store, "both listed", "Dieter Maier|Ottilie Maier", "maier", TRUE);
  expect_found (f->store, "Ottilie found", "Ottilie Maier", "maier", FALSE);

  assert_true (meso_store_set_patient_archived (f->store, id, TRUE, &error));
  expect_found (f->store, "archived: not found", "", "maier", FALSE);
  expect_found (f->store, "archived: found with the archived", "Dieter Maier|Ottilie Maier",
                "0172", TRUE);

  assert_true (meso_store_set_patient_archived (f->store, id, FALSE, &error));
  expect_found (f->store, "back", "Ottilie Maier", "maier", FALSE);

  /* Archived through an edit of the record. */
  patient = meso_store_get_patient (f->store, id, &error);
  EXPECT_NO_ERROR ("get", error);
  meso_patient_set_archived (patient, TRUE);
  assert_true (meso_store_update_patient (f->store, patient, &error));
  expect_found (f->store, "archived by an edit", "", "ottilie", FALSE);

  /* And by any statement: the trigger follows the column. */
  assert_true (meso_store_exec (f->store,
                                "UPDATE patients SET archived = 0 WHERE name = 'Ottilie Maier'",
                                &error));
  expect_found (f->store, "taken back by SQL", "Ottilie Maier", "ottilie", FALSE);
}

static void
test_patient_search_syntax_is_text (void **state)
{
  Fixture *f = *state;
  /* FTS5 syntax and SQL: none may error; each is only words to look for. */
  static const char *const texts[] = {
    "\"", "a\"b*", "\"anna", "anna\"", "*", "^anna", "anna*", "NOT", "anna OR bernd",
    "anna AND", "NEAR(anna bernd)", "name:anna", "(", ")", "{name}", "'", "\\", "%", "_",
    "'; DROP TABLE patients; --", "-anna", "+", "anna:", "\u200F", "😀",
  };

  add_search_patients (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *names = search_names (f->store, texts[i], TRUE, 0, 0);

      EXPECT (texts[i], names != NULL);
    }
  {
    g_autofree char *names = search_names (f->store, "\"anna", FALSE, 0, 0);

    EXPECT_STR ("a quote before a word", "Anna Müller", names);
  }
  {
    g_autofree char *names = search_names (f->store, "a\"b*", FALSE, 0, 0);

    EXPECT_STR ("a\"b*: words a and b, and no one has both", "", names);
  }
}

static void
test_patient_search_paging (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    guint       offset;
    guint       limit;
    const char *expected;
  } cases[] = {
    { 0, 2, "Anna Müller|Bernd Schmidt" },
    { 2, 2, "Clara Annecy|Émile Zola" },
    { 4, 2, "Frida Kahlo" },
    { 5, 2, "" },
    { 1, 1, "Bernd Schmidt" },
    { 3, 0, "Émile Zola|Frida Kahlo" },
  };

  add_search_patients (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = search_names (f->store, "", FALSE, cases[i].offset,
                                             cases[i].limit);
      g_autofree char *what = g_strdup_printf ("offset %u limit %u", cases[i].offset,
                                               cases[i].limit);

      EXPECT_STR (what, cases[i].expected, names);
    }
  {
    g_autofree char *names = search_names (f->store, "a", FALSE, 1, 1);

    EXPECT_STR ("paging a search", "Clara Annecy", names);
  }
}

/* A page read from a patient's place (a scroll jump from a page the list
 * holds) is the page OFFSET reads, from every place and at every
 * distance: names that sort alike ("anna muller", "Anna Müller") in the
 * order of their numbers, the archived left out. */
static void
test_patients_after_agree_with_paging (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  g_autoptr(GPtrArray) none = NULL;

  add_search_patients (f->store);
  add_patient_full (f->store, "anna muller", FALSE, NULL, NULL);
  add_patient_full (f->store, "Anna Müller", FALSE, NULL, NULL);
  add_patient_full (f->store, "Zoë Adler", FALSE, NULL, NULL);
  everyone = meso_store_search_patients (f->store, "", FALSE, 0, 0, &error);
  EXPECT_NO_ERROR ("everyone", error);
  EXPECT_INT ("everyone", 8, everyone->len);

  for (guint at = 0; at < everyone->len; at++)
    for (guint skip = 0; at + 1 + skip <= everyone->len; skip++)
      for (guint limit = 0; limit <= 3; limit++)
        {
          gint64 id = meso_patient_get_id (g_ptr_array_index (everyone, at));
          g_autoptr(GPtrArray) after = meso_store_list_patients_after (f->store, id, skip, limit,
                                                                       &error);
          g_autofree char *what = g_strdup_printf ("after row %u, %u skipped, %u", at, skip,
                                                   limit);
          g_autofree char *expected = search_names (f->store, "", FALSE, at + 1 + skip, limit);
          g_autofree char *names = NULL;

          EXPECT_NO_ERROR (what, error);
          assert_non_null (after);
          names = join_names (after);
          EXPECT_STR (what, expected, names);
        }

  none = meso_store_list_patients_after (f->store, 999999, 0, 10, &error);
  EXPECT_NO_ERROR ("after no patient", error);
  EXPECT_INT ("after no patient", 0, none->len);
}

/* "id:Name|id:Name" for a page by @plan; checks the plan used, and the
 * count that comes with the page against the count's own statement. */
static char *
search_by (MesoStore      *store,
           const char     *text,
           gboolean        include_archived,
           guint           offset,
           guint           limit,
           MesoSearchPlan  plan)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GString *page = g_string_new (NULL);
  MesoSearchPlan used = plan;
  guint count = G_MAXUINT, counted = G_MAXUINT - 1;

  found = meso_store_search_patients_by (store, text, include_archived, offset, limit, &used,
                                         &count, &error);
  EXPECT_NO_ERROR (text, error);
  assert_non_null (found);
  assert_true (meso_store_count_patients (store, text, include_archived, &counted, &error));
  EXPECT_INT (text, counted, count);
  if (include_archived)
    EXPECT_INT (text, MESO_SEARCH_PLAN_MATCHES, used);
  else if (plan != MESO_SEARCH_PLAN_AUTO)
    EXPECT_INT (text, plan, used);
  for (guint i = 0; i < found->len; i++)
    {
      MesoPatient *patient = g_ptr_array_index (found, i);

      g_string_append_printf (page, "%s%" G_GINT64_FORMAT ":%s", i ? "|" : "",
                              meso_patient_get_id (patient), meso_patient_get_name (patient));
    }
  return g_string_free (page, FALSE);
}

static void
test_patient_search_plans_agree (void **state)
{
  Fixture *f = *state;
  static const char *const first[] = { "Anna", "Ánna", "anna", "Ana", "Marie", "Mia", "Ömer",
                                       "Zoë", "Leon" };
  static const char *const last[] = { "Müller", "Muller", "Maier", "Schmidt", "Annecy", "Zola" };
  static const char *const texts[] = { "a", "an", "anna", "mü", "m", "ma mü", "0151", "01",
                                       "z", "leon schmidt", "example", "nobody" };
  static const struct
  {
    guint offset, limit;
  } pages[] = { { 0, 50 }, { 50, 50 }, { 0, 7 }, { 13, 7 }, { 95, 10 }, { 250, 50 },
                { 0, 0 }, { 30, 0 }, { 1000, 10 } };
  g_autoptr(GError) error = NULL;
  guint count = 0;

  /* Same names many times (ties: by number), accents and case, phones and
   * e-mails; every ninth archived. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", first[i % G_N_ELEMENTS (first)],
                                               last[i / 3 % G_N_ELEMENTS (last)]);
      g_autofree char *phone = i % 4 ? g_strdup_printf ("(01%02u) %u", 50 + i % 30, 1000 + i)
                                     : NULL;
      g_autofree char *email = i % 5 ? g_strdup_printf ("p%u@example.org", i) : NULL;
      gint64 id = add_patient_full (f->store, name, FALSE, phone, email);

      if (i % 9 == 0)
        assert_true (meso_store_set_patient_archived (f->store, id, TRUE, &error));
    }
  assert_true (meso_store_count_patients (f->store, "a", FALSE, &count, &error));
  EXPECT ("\"a\" fills several pages", count > 100);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
      for (int archived = 0; archived <= 1; archived++)
        {
          g_autofree char *what = g_strdup_printf ("\"%s\"%s, offset %u limit %u", texts[t],
                                                   archived ? " with archived" : "",
                                                   pages[p].offset, pages[p].limit);
          g_autofree char *matches = search_by (f->store, texts[t], archived, pages[p].offset,
                                                pages[p].limit, MESO_SEARCH_PLAN_MATCHES);
          g_autofree char *names = search_by (f->store, texts[t], archived, pages[p].offset,
                                              pages[p].limit, MESO_SEARCH_PLAN_NAMES);
          g_autofree char *chosen = search_by (f->store, texts[t], archived, pages[p].offset,
                                               pages[p].limit, MESO_SEARCH_PLAN_AUTO);

          EXPECT_STR (what, matches, names);
          EXPECT_STR (what, matches, chosen);
        }
}

/* The walk by the names probes a bitmap of the matches' ids; an id too
 * large for one makes it probe with "id IN (…)": the same rows. */
static void
test_patient_search_huge_id (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *matches = NULL;
  g_autofree char *names = NULL;
  MesoDb *db;

  /* The bitmap of matches is SQLite's; the server walks without one. */
  SKIP_ON_POSTGRESQL ();
  add_patient_full (f->store, "Zed One", FALSE, NULL, NULL);
  add_patient_full (f->store, "Zed Two", FALSE, NULL, NULL);
  db = raw_open (f->path);
  raw_exec (db, "INSERT INTO patients (id, name, sort_key, created_at) "
                "VALUES (100000000, 'Zed Huge', 'zed huge', 0)");
  meso_db_close (db);
  assert_true (meso_store_index_patient (f->store, 100000000, &error));

  matches = search_by (f->store, "zed", FALSE, 0, 50, MESO_SEARCH_PLAN_MATCHES);
  names = search_by (f->store, "zed", FALSE, 0, 50, MESO_SEARCH_PLAN_NAMES);
  EXPECT_STR ("the walk, past the bitmap's ids", matches, names);
  EXPECT ("the large id is found", strstr (names, "100000000:Zed Huge") != NULL);
  EXPECT ("and the others", strstr (names, "Zed One") != NULL && strstr (names, "Zed Two"));
}

static void
test_patient_update_reindexes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  gint64 id;

  add_search_patients (f->store);
  id = add_patient_full (f->store, "Karl Schmied", FALSE, "0160 555", NULL);
  patient = meso_store_get_patient (f->store, id, &error);
  assert_non_null (patient);

  meso_patient_set_name (patient, "Karl Schulz");
  meso_patient_set_phone (patient, "0170 777");
  assert_true (meso_store_update_patient (f->store, patient, &error));
  EXPECT_NO_ERROR ("rename", error);

  {
    g_autofree char *old_name = search_names (f->store, "schmied", FALSE, 0, 0);
    g_autofree char *new_name = search_names (f->store, "schulz", FALSE, 0, 0);
    g_autofree char *old_phone = search_names (f->store, "0160", FALSE, 0, 0);
    g_autofree char *new_phone = search_names (f->store, "0170777", FALSE, 0, 0);
    g_autofree char *first = search_names (f->store, "karl", FALSE, 0, 0);

    EXPECT_STR ("old name no longer found", "", old_name);
    EXPECT_STR ("new name found", "Karl Schulz", new_name);
    EXPECT_STR ("old phone no longer found", "", old_phone);
    EXPECT_STR ("new phone found", "Karl Schulz", new_phone);
    EXPECT_STR ("first name still found", "Karl Schulz", first);
  }
}

/* ================================================================ flags */

static void
test_flags_keep_history (void **state)
{
  Fixture *f = *state;
  gint64 id = add_patient (f->store, "Lena Ruf", FALSE);
  GDate nov01 = make_day ("2026-11-01"), oct31 = make_day ("2026-10-31");
  GDate nov10 = make_day ("2026-11-10"), nov15 = make_day ("2026-11-15");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) flags = NULL;
  guint audit;

  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &nov01,
                                    &error));
  EXPECT_NO_ERROR ("set", error);

  /* Setting an open flag again changes nothing. */
  audit = count_audit (f->store);
  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &nov10,
                                    &error));
  EXPECT_NO_ERROR ("set again", error);
  EXPECT_INT ("set again writes nothing", audit, count_audit (f->store));
  flags = meso_store_list_flags (f->store, id, &error);
  EXPECT_INT ("still one flag", 1, flags->len);
  EXPECT_INT ("noted on kept", 0, g_date_compare (&nov01,
                                                 &g_array_index (flags, MesoFlag, 0).noted_on));
  g_clear_pointer (&flags, g_array_unref);

  /* Clearing before it was noted is invalid; the border day is allowed. */
  EXPECT ("clear before noted",
          !meso_store_clear_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &oct31,
                                  &error));
  EXPECT_ERROR ("clear before noted", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT_INT ("nothing written", audit, count_audit (f->store));

  assert_true (meso_store_clear_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &nov10,
                                      &error));
  EXPECT_NO_ERROR ("clear", error);

  EXPECT ("clear again",
          !meso_store_clear_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &nov15,
                                  &error));
  EXPECT_ERROR ("clear again", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  EXPECT ("clear a flag never set",
          !meso_store_clear_flag (f->store, id, MESO_CONTRAINDICATION_HERPES, &nov15, &error));
  EXPECT_ERROR ("clear a flag never set", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  EXPECT ("flag on a missing patient",
          !meso_store_set_flag (f->store, id + 50, MESO_CONTRAINDICATION_HERPES, &nov15, &error));
  EXPECT_ERROR ("flag on a missing patient", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Set again after clearing: a new row; the old one keeps its dates. */
  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_ACTIVE_ACNE, &nov15,
                                    &error));
  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_SCAR_PRONE, &nov15,
                                    &error));
  assert_true (meso_store_clear_flag (f->store, id, MESO_CONTRAINDICATION_SCAR_PRONE, &nov15,
                                      &error));
  EXPECT_NO_ERROR ("cleared on the day it was noted", error);

  flags = meso_store_list_flags (f->store, id, &error);
  EXPECT_NO_ERROR ("list", error);
  assert_non_null (flags);
  EXPECT_INT ("history kept", 3, flags->len);
  {
    MesoFlag *first = &g_array_index (flags, MesoFlag, 0);
    MesoFlag *second = &g_array_index (flags, MesoFlag, 1);
    MesoFlag *third = &g_array_index (flags, MesoFlag, 2);

    EXPECT_INT ("first kind", MESO_CONTRAINDICATION_ACTIVE_ACNE, first->kind);
    EXPECT_INT ("first noted", 0, g_date_compare (&nov01, &first->noted_on));
    EXPECT ("first cleared", g_date_valid (&first->cleared_on));
    EXPECT_INT ("first cleared on", 0, g_date_compare (&nov10, &first->cleared_on));
    EXPECT_INT ("second kind", MESO_CONTRAINDICATION_ACTIVE_ACNE, second->kind);
    EXPECT_INT ("second noted", 0, g_date_compare (&nov15, &second->noted_on));
    EXPECT ("second open", !g_date_valid (&second->cleared_on));
    EXPECT_INT ("third kind", MESO_CONTRAINDICATION_SCAR_PRONE, third->kind);
    EXPECT_INT ("third cleared the same day", 0, g_date_compare (&nov15, &third->cleared_on));
  }
}

/* ============================================================= sessions */

/* Tries to record; on failure checks the code, that the message names each
 * of @needles (NULL-terminated), and that nothing was written. */
static void
expect_session_refused (const char  *what,
                        MesoStore   *store,
                        MesoSession *session,
                        MesoRole     role,
                        int          code,
                        ...)
{
  g_autoptr(GError) error = NULL;
  gint64 patient_id = meso_session_get_patient_id (session);
  guint sessions = count_sessions (store, patient_id);
  guint audit = count_audit (store);
  const char *needle;
  va_list args;

  EXPECT (what, !meso_store_add_session (store, session, role, NULL, &error));
  EXPECT_ERROR (what, error, code);
  va_start (args, code);
  while ((needle = va_arg (args, const char *)) != NULL)
    EXPECT_CONTAINS (what, error->message, needle);
  va_end (args);
  EXPECT_INT (what, 0, meso_session_get_id (session));
  EXPECT_INT (what, sessions, count_sessions (store, patient_id));
  EXPECT_INT (what, audit, count_audit (store));
}

static void
test_session_interval_borders (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    gboolean    sensitive;
    const char *previous;
    gboolean    allowed;
    const char *earliest;
  } cases[] = {
    /* The new session is on 2026-11-21 at 08:00. */
    { "27 days after a face session", FALSE, "2026-10-25T10:00", FALSE, "2026-11-22" },
    { "28 days after a face session", FALSE, "2026-10-24T10:00", TRUE, NULL },
    { "55 days, sensitive skin", TRUE, "2026-09-27T10:00", FALSE, "2026-11-22" },
    { "56 days, sensitive skin", TRUE, "2026-09-26T10:00", TRUE, NULL },
    { "28 days, sensitive skin", TRUE, "2026-10-24T10:00", FALSE, "2026-12-19" },
    { "the same day", FALSE, "2026-11-21T07:00", FALSE, "2026-12-19" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 id = add_patient (f->store, cases[i].what, cases[i].sensitive);
      g_autoptr(MesoSession) session = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
      g_autofree char *previous_day = iso_day (cases[i].previous);

      record_ok (f->store, id, cases[i].previous, MESO_AREA_FACE);
      if (cases[i].allowed)
        {
          g_autoptr(GError) error = NULL;

          EXPECT (cases[i].what, meso_store_add_session (f->store, session, MESO_ROLE_CLINICIAN,
                                                         NULL, &error));
          EXPECT_NO_ERROR (cases[i].what, error);
          EXPECT_INT (cases[i].what, 2, count_sessions (f->store, id));
        }
      else
        expect_session_refused (cases[i].what, f->store, session, MESO_ROLE_CLINICIAN,
                                MESO_STORE_ERROR_REFUSED, "R1", previous_day, cases[i].earliest,
                                NULL);
    }
}

static void
test_session_later_than_window_warns (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  gint64 id = add_patient (f->store, "Mia Wolf", FALSE);
  g_autoptr(MesoSession) session = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  MesoVerdict *r1;

  record_ok (f->store, id, "2026-10-09T10:00", MESO_AREA_FACE);  /* 43 days before */
  assert_true (meso_store_add_session (f->store, session, MESO_ROLE_RECEPTIONIST, &verdicts,
                                       &error));
  r1 = find_verdict (verdicts, "R1");
  assert_non_null (r1);
  EXPECT_INT ("43 days: a warning, never refused", MESO_VERDICT_WARNING,
              meso_verdict_get_kind (r1));
}

static void
test_session_other_area_not_neighbour (void **state)
{
  Fixture *f = *state;
  gint64 id = add_patient (f->store, "Nora Beck", FALSE);
  g_autoptr(MesoSession) face = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);

  record_ok (f->store, id, "2026-11-11T10:00", MESO_AREA_FACE);
  record_ok (f->store, id, "2026-11-21T08:00", MESO_AREA_NECK);
  record_ok (f->store, id, "2026-11-21T08:30", MESO_AREA_SCALP);
  expect_session_refused ("the face itself 10 days later", f->store, face, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_REFUSED, "R1", NULL);
  EXPECT_INT ("three sessions", 3, count_sessions (f->store, id));
}

static void
test_session_override (void **state)
{
  Fixture *f = *state;
  const char *reason = "Travels abroad for three months; agreed with the patient";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  gint64 a = add_patient (f->store, "Olga Pohl", FALSE);
  gint64 b = add_patient (f->store, "Paul Pohl", FALSE);
  gint64 c = add_patient (f->store, "Quentin Pohl", FALSE);
  g_autoptr(MesoSession) by_clinician = session_new (a, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) by_receptionist =
    session_new (b, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) blank = session_new (b, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) needless = session_new (c, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  MesoVerdict *r1;

  record_ok (f->store, a, "2026-10-30T10:00", MESO_AREA_FACE);
  record_ok (f->store, b, "2026-10-30T10:00", MESO_AREA_FACE);

  meso_session_set_override_reason (by_clinician, reason);
  assert_true (meso_store_add_session (f->store, by_clinician, MESO_ROLE_CLINICIAN, &verdicts,
                                       &error));
  EXPECT_NO_ERROR ("clinician override", error);
  r1 = find_verdict (verdicts, "R1");
  assert_non_null (r1);
  EXPECT_INT ("lifted to a warning", MESO_VERDICT_WARNING, meso_verdict_get_kind (r1));
  EXPECT_INT ("by an override", MESO_RESOLUTION_OVERRIDE, meso_verdict_get_resolution (r1));
  sessions = meso_store_list_sessions (f->store, a, &error);
  EXPECT_INT ("stored", 2, sessions->len);
  EXPECT_STR ("the reason is stored", reason,
              meso_session_get_override_reason (g_ptr_array_index (sessions, 0)));
  EXPECT ("the older one has none",
          meso_session_get_override_reason (g_ptr_array_index (sessions, 1)) == NULL);

  meso_session_set_override_reason (by_receptionist, reason);
  expect_session_refused ("a receptionist's override", f->store, by_receptionist,
                          MESO_ROLE_RECEPTIONIST, MESO_STORE_ERROR_REFUSED, "R1", "clinician",
                          NULL);

  meso_session_set_override_reason (blank, "     ");
  expect_session_refused ("a blank reason", f->store, blank, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_REFUSED, "R1", NULL);

  /* Nothing to override: the reason is not kept as if it had been used. */
  meso_session_set_override_reason (needless, reason);
  assert_true (meso_store_add_session (f->store, needless, MESO_ROLE_CLINICIAN, NULL, &error));
  g_clear_pointer (&sessions, g_ptr_array_unref);
  sessions = meso_store_list_sessions (f->store, c, &error);
  EXPECT ("no refusal, no override stored",
          meso_session_get_override_reason (g_ptr_array_index (sessions, 0)) == NULL);
}

static void
test_session_active_contraindication (void **state)
{
  Fixture *f = *state;
  static const MesoContraindication kinds[] = {
    MESO_CONTRAINDICATION_ACTIVE_ACNE,
    MESO_CONTRAINDICATION_HERPES,
    MESO_CONTRAINDICATION_INFECTION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *what = meso_enum_to_nick (MESO_TYPE_CONTRAINDICATION, kinds[i]);
      gint64 id = add_patient (f->store, what, FALSE);
      GDate nov20 = make_day ("2026-11-20"), nov21 = make_day ("2026-11-21");
      g_autoptr(MesoSession) today = session_new (id, "2026-11-21T08:00", MESO_AREA_NECK, 500);
      g_autoptr(MesoSession) after_clearing =
        session_new (id, "2026-11-21T08:00", MESO_AREA_NECK, 500);
      g_autoptr(GError) error = NULL;

      assert_true (meso_store_set_flag (f->store, id, kinds[i], &nov20, &error));
      /* The day before it was noted is not touched by it. */
      record_ok (f->store, id, "2026-11-19T10:00", MESO_AREA_FACE);

      meso_session_set_override_reason (today, "the patient insists");
      meso_session_set_caution_confirmed (today, TRUE);
      expect_session_refused (what, f->store, today, MESO_ROLE_CLINICIAN,
                              MESO_STORE_ERROR_REFUSED, "R2", "2026-11-20", NULL);

      assert_true (meso_store_clear_flag (f->store, id, kinds[i], &nov21, &error));
      assert_true (meso_store_add_session (f->store, after_clearing, MESO_ROLE_RECEPTIONIST, NULL,
                                           &error));
      EXPECT_NO_ERROR ("cleared on the day", error);
    }
}

static void
test_session_scar_prone_needs_confirmation (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  gint64 id = add_patient (f->store, "Rosa Narbe", FALSE);
  gint64 plain = add_patient (f->store, "Rita Glatt", FALSE);
  GDate noted = make_day ("2026-06-01");
  g_autoptr(MesoSession) unconfirmed = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) confirmed = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) no_caution = session_new (plain, "2026-11-21T08:00", MESO_AREA_FACE,
                                                   500);
  MesoVerdict *r2;

  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_SCAR_PRONE, &noted,
                                    &error));
  expect_session_refused ("scar-prone, unconfirmed", f->store, unconfirmed, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_REFUSED, "R2", NULL);

  meso_session_set_caution_confirmed (confirmed, TRUE);
  assert_true (meso_store_add_session (f->store, confirmed, MESO_ROLE_RECEPTIONIST, &verdicts,
                                       &error));
  EXPECT_NO_ERROR ("scar-prone, confirmed", error);
  r2 = find_verdict (verdicts, "R2");
  assert_non_null (r2);
  EXPECT_INT ("confirmed", MESO_RESOLUTION_CONFIRM, meso_verdict_get_resolution (r2));
  sessions = meso_store_list_sessions (f->store, id, &error);
  EXPECT_INT ("stored", 1, sessions->len);
  EXPECT ("caution-confirmed is recorded",
          meso_session_get_caution_confirmed (g_ptr_array_index (sessions, 0)));

  /* Nothing to confirm: not recorded as confirmed. */
  meso_session_set_caution_confirmed (no_caution, TRUE);
  assert_true (meso_store_add_session (f->store, no_caution, MESO_ROLE_CLINICIAN, NULL, &error));
  g_clear_pointer (&sessions, g_ptr_array_unref);
  sessions = meso_store_list_sessions (f->store, plain, &error);
  EXPECT ("no caution, nothing confirmed",
          !meso_session_get_caution_confirmed (g_ptr_array_index (sessions, 0)));
}

static void
test_session_needle_borders (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    guint       um;
    MesoArea    area;
    gboolean    home_use;
    gboolean    scars;
    int         code;  /* -1: allowed */
  } cases[] = {
    { "2.6 mm", 2600, MESO_AREA_BODY, FALSE, FALSE, MESO_STORE_ERROR_INVALID },
    { "2.5 mm on the body", 2500, MESO_AREA_BODY, FALSE, FALSE, -1 },
    { "0.14 mm", 140, MESO_AREA_BODY, FALSE, FALSE, MESO_STORE_ERROR_INVALID },
    { "0.15 mm", 150, MESO_AREA_BODY, FALSE, FALSE, -1 },
    { "home use 1.2 mm", 1200, MESO_AREA_BODY, TRUE, FALSE, MESO_STORE_ERROR_REFUSED },
    { "home use 1.01 mm", 1010, MESO_AREA_BODY, TRUE, FALSE, MESO_STORE_ERROR_REFUSED },
    { "home use 1.0 mm", 1000, MESO_AREA_BODY, TRUE, FALSE, -1 },
    { "clinic 1.2 mm", 1200, MESO_AREA_BODY, FALSE, FALSE, -1 },
    { "face 1.6 mm", 1600, MESO_AREA_FACE, FALSE, FALSE, MESO_STORE_ERROR_REFUSED },
    { "face 1.5 mm", 1500, MESO_AREA_FACE, FALSE, FALSE, -1 },
    { "face 1.6 mm for acne scars", 1600, MESO_AREA_FACE, FALSE, TRUE, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 id = add_patient (f->store, cases[i].what, FALSE);
      g_autoptr(MesoSession) session =
        session_new (id, "2026-11-21T08:00", cases[i].area, cases[i].um);

      meso_session_set_home_use (session, cases[i].home_use);
      if (cases[i].scars)
        meso_session_set_indication (session, meso_enum_to_nick (MESO_TYPE_INDICATION,
                                                                 MESO_INDICATION_ACNE_SCARS));
      if (cases[i].code < 0)
        {
          g_autoptr(GError) error = NULL;

          EXPECT (cases[i].what, meso_store_add_session (f->store, session, MESO_ROLE_CLINICIAN,
                                                         NULL, &error));
          EXPECT_NO_ERROR (cases[i].what, error);
        }
      else
        {
          /* Not overridable: R3 is a hard limit. */
          meso_session_set_override_reason (session, "the clinician wants to");
          expect_session_refused (cases[i].what, f->store, session, MESO_ROLE_CLINICIAN,
                                  cases[i].code, "R3", NULL);
        }
    }
}

static void
test_session_input_errors (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  gint64 id = add_patient (f->store, "Sven Tag", FALSE);
  gint64 other = add_patient (f->store, "Sara Tag", FALSE);
  g_autoptr(MesoSession) tomorrow = session_new (id, "2026-11-22T00:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) next_year = session_new (id, "2027-01-10T10:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) stranger = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) bad_material = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE,
                                                     500);
  g_autoptr(MesoSession) tonight = session_new (id, "2026-11-21T23:59", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) known = session_new (other, "2026-11-21T08:00", MESO_AREA_FACE, 500);

  assert_true (meso_store_add_practitioner (f->store, "Dr Weiss", MESO_ROLE_CLINICIAN, &error));

  expect_session_refused ("tomorrow", f->store, tomorrow, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, NULL);
  expect_session_refused ("next year", f->store, next_year, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, NULL);
  meso_session_set_practitioner (stranger, "Dr Nobody");
  expect_session_refused ("an unknown practitioner", f->store, stranger, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_NOT_FOUND, "Dr Nobody", NULL);
  meso_session_set_needle_material (bad_material, "unobtainium");
  expect_session_refused ("an unknown material", f->store, bad_material, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, "unobtainium", NULL);

  /* Later today is still today. */
  assert_true (meso_store_add_session (f->store, tonight, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR ("later today", error);

  meso_session_set_practitioner (known, "Dr Weiss");
  meso_session_set_needle_material (known, "titanium");
  meso_session_set_lot (known, "LOT-7'\"");
  meso_session_set_needle_count (known, 36);
  assert_true (meso_store_add_session (f->store, known, MESO_ROLE_CLINICIAN, NULL, &error));
  sessions = meso_store_list_sessions (f->store, other, &error);
  assert_non_null (sessions);
  EXPECT_INT ("one", 1, sessions->len);
  {
    MesoSession *s = g_ptr_array_index (sessions, 0);
    g_autoptr(GDateTime) at = local_dt ("2026-11-21T08:00");

    EXPECT_STR ("practitioner", "Dr Weiss", meso_session_get_practitioner (s));
    EXPECT_STR ("material", "titanium", meso_session_get_needle_material (s));
    EXPECT_STR ("lot", "LOT-7'\"", meso_session_get_lot (s));
    EXPECT_INT ("count", 36, meso_session_get_needle_count (s));
    EXPECT_INT ("needle", 500, meso_session_get_needle_um (s));
    EXPECT_INT ("area", MESO_AREA_FACE, meso_session_get_area (s));
    EXPECT ("time", g_date_time_equal (at, meso_session_get_at (s)));
  }
}

/* The write-nothing check gives the verdicts the write would give, case by
 * case, and writes nothing; a session it allows is then recorded. */
static void
test_session_check_writes_nothing (void **state)
{
  Fixture *f = *state;
  gint64 id = add_patient (f->store, "Selma Vorab", FALSE);
  gint64 acne = add_patient (f->store, "Till Akne", FALSE);
  GDate noted = make_day ("2026-11-01");
  static const struct
  {
    const char     *what;
    int             patient;   /* 0: id, 1: acne */
    const char     *at;
    guint           um;
    gboolean        home_use;
    MesoRole        role;
    const char     *reason;
    MesoVerdictKind worst;
    const char     *rule;      /* the worst verdict's */
  } cases[] = {
    { "in the window", 0, "2026-11-21T08:00", 500, FALSE, MESO_ROLE_RECEPTIONIST, NULL,
      MESO_VERDICT_OK, NULL },
    { "3 mm", 0, "2026-11-21T08:00", 3000, FALSE, MESO_ROLE_CLINICIAN, NULL,
      MESO_VERDICT_INVALID, "R3" },
    { "home roller 1.2 mm", 0, "2026-11-21T08:00", 1200, TRUE, MESO_ROLE_CLINICIAN, NULL,
      MESO_VERDICT_REFUSED, "R3" },
    { "too early", 0, "2026-11-10T08:00", 500, FALSE, MESO_ROLE_CLINICIAN, NULL,
      MESO_VERDICT_REFUSED, "R1" },
    { "too early, a receptionist's reason", 0, "2026-11-10T08:00", 500, FALSE,
      MESO_ROLE_RECEPTIONIST, "Moving abroad next week", MESO_VERDICT_REFUSED, "R1" },
    { "too early, a clinician's reason", 0, "2026-11-10T08:00", 500, FALSE,
      MESO_ROLE_CLINICIAN, "Moving abroad next week", MESO_VERDICT_WARNING, "R1" },
    { "active acne", 1, "2026-11-21T08:00", 500, FALSE, MESO_ROLE_CLINICIAN, NULL,
      MESO_VERDICT_REFUSED, "R2" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) later = session_new (id, "2026-11-22T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) ok = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) stored = NULL;
  guint audit;

  record_ok (f->store, id, "2026-10-20T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_flag (f->store, acne, MESO_CONTRAINDICATION_ACTIVE_ACNE, &noted,
                                    &error));
  audit = count_audit (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MesoSession) session =
        session_new (cases[i].patient == 0 ? id : acne, cases[i].at, MESO_AREA_FACE, cases[i].um);
      g_autoptr(GPtrArray) verdicts = NULL;
      g_autoptr(GPtrArray) written = NULL;
      g_autoptr(MesoVerdict) worst = NULL;
      g_autoptr(GError) add_error = NULL;
      gboolean added;

      meso_session_set_home_use (session, cases[i].home_use);
      meso_session_set_override_reason (session, cases[i].reason);
      verdicts = meso_store_check_session (f->store, session, cases[i].role, &error);
      EXPECT_NO_ERROR (cases[i].what, error);
      assert_non_null (verdicts);
      EXPECT_INT (cases[i].what, 5, verdicts->len);
      worst = meso_verdict_worst (verdicts);
      EXPECT_INT (cases[i].what, cases[i].worst, meso_verdict_get_kind (worst));
      if (cases[i].rule != NULL)
        EXPECT_STR (cases[i].what, cases[i].rule, meso_verdict_get_rule (worst));
      EXPECT_INT (cases[i].what, audit, count_audit (f->store));
      EXPECT_INT (cases[i].what, 0, meso_session_get_id (session));

      /* The write agrees where it would be refused (an allowed write would
       * change the facts of the cases after it). */
      if (meso_verdict_is_blocking (worst))
        {
          added = meso_store_add_session (f->store, session, cases[i].role, &written, &add_error);
          EXPECT (cases[i].what, !added);
          assert_non_null (add_error);
          EXPECT_INT (cases[i].what, audit, count_audit (f->store));
        }
    }
  EXPECT_INT ("nothing written", 1, count_sessions (f->store, id));

  /* Not a session at all: an error, as the write gives. */
  {
    g_autoptr(GPtrArray) none = meso_store_check_session (f->store, later,
                                                          MESO_ROLE_CLINICIAN, &error);

    assert_null (none);
    EXPECT_ERROR ("a day to come", error, MESO_STORE_ERROR_INVALID);
    g_clear_error (&error);
    meso_session_set_practitioner (ok, "Nobody Here");
    none = meso_store_check_session (f->store, ok, MESO_ROLE_CLINICIAN, &error);
    assert_null (none);
    EXPECT_ERROR ("an unknown practitioner", error, MESO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    meso_session_set_practitioner (ok, NULL);
  }

  /* A session the check allows is recorded, and read back by its id. */
  meso_session_set_lot (ok, "L-0815");
  assert_true (meso_store_add_session (f->store, ok, MESO_ROLE_RECEPTIONIST, NULL, &error));
  EXPECT_NO_ERROR ("allowed", error);
  stored = meso_store_get_session (f->store, meso_session_get_id (ok), &error);
  EXPECT_NO_ERROR ("get", error);
  assert_non_null (stored);
  EXPECT_INT ("same patient", id, meso_session_get_patient_id (stored));
  EXPECT_STR ("same lot", "L-0815", meso_session_get_lot (stored));
  EXPECT_INT ("same time", 0, g_date_time_compare (meso_session_get_at (ok),
                                                    meso_session_get_at (stored)));
  g_clear_object (&stored);
  stored = meso_store_get_session (f->store, meso_session_get_id (ok) + 100, &error);
  assert_null (stored);
  EXPECT_ERROR ("no such session", error, MESO_STORE_ERROR_NOT_FOUND);
}


/* ========================================================= appointments */

static void
expect_booking_refused (const char      *what,
                        MesoStore       *store,
                        MesoAppointment *appointment,
                        MesoRole         role,
                        int              code,
                        const char      *needle)
{
  g_autoptr(GError) error = NULL;
  guint appointments = count_appointments (store);
  guint audit = count_audit (store);

  EXPECT (what, !meso_store_book_appointment (store, appointment, role, NULL, &error));
  EXPECT_ERROR (what, error, code);
  if (needle != NULL)
    EXPECT_CONTAINS (what, error->message, needle);
  EXPECT_INT (what, appointments, count_appointments (store));
  EXPECT_INT (what, audit, count_audit (store));
}

static void
test_appointment_follow_up_window (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 a = add_patient (f->store, "Tara Lenz", FALSE);
  gint64 b = add_patient (f->store, "Timo Lenz", FALSE);
  /* Sessions on Friday 30 October: the window opens on Friday 27 November. */
  g_autoptr(MesoAppointment) thursday = appointment_new (a, "2026-11-26T10:00", MESO_AREA_FACE,
                                                         60, NULL, NULL);
  g_autoptr(MesoAppointment) friday = appointment_new (a, "2026-11-27T10:00", MESO_AREA_FACE,
                                                       60, NULL, NULL);
  g_autoptr(MesoAppointment) early = appointment_new (b, "2026-11-24T10:00", MESO_AREA_FACE,
                                                      60, NULL, NULL);
  g_autoptr(MesoAppointment) stored = NULL;

  record_ok (f->store, a, "2026-10-30T10:00", MESO_AREA_FACE);
  record_ok (f->store, b, "2026-10-30T10:00", MESO_AREA_FACE);

  expect_booking_refused ("27 days: too early", f->store, thursday, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_REFUSED, "R1");
  assert_true (meso_store_book_appointment (f->store, friday, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("28 days: inside the window", error);
  EXPECT ("an id", meso_appointment_get_id (friday) > 0);
  EXPECT_INT ("booked", MESO_APPOINTMENT_BOOKED, meso_appointment_get_status (friday));

  meso_appointment_set_override_reason (early, "Wedding on the 28th");
  expect_booking_refused ("a receptionist's override", f->store, early, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_REFUSED, "clinician");
  assert_true (meso_store_book_appointment (f->store, early, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR ("a clinician's override", error);
  stored = meso_store_get_appointment (f->store, meso_appointment_get_id (early), &error);
  assert_non_null (stored);
  EXPECT_STR ("the reason is stored", "Wedding on the 28th",
              meso_appointment_get_override_reason (stored));
  EXPECT_STR ("with the patient's name", "Timo Lenz", meso_appointment_get_patient_name (stored));
}

static void
test_appointment_contraindication_only_warns (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  gint64 id = add_patient (f->store, "Uma Fleck", FALSE);
  GDate noted = make_day ("2026-11-18");
  g_autoptr(MesoAppointment) appointment = appointment_new (id, "2026-12-01T10:00",
                                                            MESO_AREA_FACE, 60, NULL, NULL);
  MesoVerdict *r2;

  assert_true (meso_store_set_flag (f->store, id, MESO_CONTRAINDICATION_HERPES, &noted, &error));
  assert_true (meso_store_book_appointment (f->store, appointment, MESO_ROLE_RECEPTIONIST,
                                            &verdicts, &error));
  EXPECT_NO_ERROR ("booking ahead while herpes is active", error);
  r2 = find_verdict (verdicts, "R2");
  assert_non_null (r2);
  EXPECT_INT ("a warning", MESO_VERDICT_WARNING, meso_verdict_get_kind (r2));
}

static void
test_appointment_is_a_neighbour (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_patient (f->store, "Vera Nord", FALSE);
  gint64 appointment = book_ok (f->store, id, "2026-11-30T10:00", MESO_AREA_FACE, NULL, NULL);
  g_autoptr(MesoSession) before_booking = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE,
                                                       500);
  g_autoptr(MesoSession) after_cancel = session_new (id, "2026-11-21T08:00", MESO_AREA_FACE, 500);

  expect_session_refused ("9 days before a booked face session", f->store, before_booking,
                          MESO_ROLE_CLINICIAN, MESO_STORE_ERROR_REFUSED, "R1", "2026-11-30",
                          NULL);

  assert_true (meso_store_cancel_appointment (f->store, appointment, "moved away", &error));
  assert_true (meso_store_add_session (f->store, after_cancel, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR ("a cancelled booking is no neighbour", error);
}

static void
test_appointment_conflicts (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    guint       patient;
    const char *start;
    guint       minutes;
    MesoArea    area;
    const char *practitioner;
    const char *room;
    gboolean    allowed;
    const char *needle;  /* besides the first appointment's number */
  } cases[] = {
    /* The first: patient 0, Tuesday 24 November 10:00–11:00, Dr Weiss, Room 1. */
    { "same practitioner, overlapping", 1, "2026-11-24T10:30", 60, MESO_AREA_FACE, "Dr Weiss",
      "Room 2", FALSE, "Dr Weiss" },
    { "same practitioner, inside", 1, "2026-11-24T10:15", 15, MESO_AREA_FACE, "Dr Weiss", NULL,
      FALSE, "Dr Weiss" },
    { "same practitioner, ending inside", 1, "2026-11-24T09:30", 60, MESO_AREA_FACE, "Dr Weiss",
      NULL, FALSE, "Dr Weiss" },
    { "same room, overlapping", 1, "2026-11-24T10:30", 60, MESO_AREA_FACE, "Dr Berg", "Room 1",
      FALSE, "Room 1" },
    { "same patient, overlapping", 0, "2026-11-24T10:59", 30, MESO_AREA_NECK, "Dr Berg",
      "Room 2", FALSE, NULL },
    { "back to back, after", 1, "2026-11-24T11:00", 60, MESO_AREA_FACE, "Dr Weiss", "Room 1",
      TRUE, NULL },
    { "back to back, before", 2, "2026-11-24T09:00", 60, MESO_AREA_FACE, "Dr Weiss", "Room 1",
      TRUE, NULL },
    { "the same time, nothing shared", 3, "2026-11-24T10:00", 60, MESO_AREA_FACE, "Dr Berg",
      "Room 2", TRUE, NULL },
  };
  g_autoptr(GError) error = NULL;
  gint64 patients[4];
  gint64 first;

  assert_true (meso_store_add_practitioner (f->store, "Dr Weiss", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_practitioner (f->store, "Dr Berg", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_room (f->store, "Room 1", &error));
  assert_true (meso_store_add_room (f->store, "Room 2", &error));
  for (guint i = 0; i < G_N_ELEMENTS (patients); i++)
    {
      g_autofree char *name = g_strdup_printf ("Conflict Patient %u", i);

      patients[i] = add_patient (f->store, name, FALSE);
    }
  first = book_ok (f->store, patients[0], "2026-11-24T10:00", MESO_AREA_FACE, "Dr Weiss",
                   "Room 1");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MesoAppointment) appointment =
        appointment_new (patients[cases[i].patient], cases[i].start, cases[i].area,
                         cases[i].minutes, cases[i].practitioner, cases[i].room);

      if (cases[i].allowed)
        {
          g_autoptr(GError) booking_error = NULL;

          EXPECT (cases[i].what, meso_store_book_appointment (f->store, appointment,
                                                              MESO_ROLE_RECEPTIONIST, NULL,
                                                              &booking_error));
          EXPECT_NO_ERROR (cases[i].what, booking_error);
        }
      else
        {
          g_autofree char *number = g_strdup_printf ("appointment %" G_GINT64_FORMAT " ", first);

          /* A clinician's reason lifts R1, never a double booking. */
          meso_appointment_set_override_reason (appointment, "squeeze it in");
          expect_booking_refused (cases[i].what, f->store, appointment, MESO_ROLE_CLINICIAN,
                                  MESO_STORE_ERROR_REFUSED, number);
          if (cases[i].needle != NULL)
            expect_booking_refused (cases[i].what, f->store, appointment, MESO_ROLE_CLINICIAN,
                                    MESO_STORE_ERROR_REFUSED, cases[i].needle);
        }
    }

  /* A cancelled appointment holds no slot. */
  assert_true (meso_store_cancel_appointment (f->store, first, NULL, &error));
  {
    g_autoptr(MesoAppointment) freed = appointment_new (patients[1], "2026-11-24T10:00",
                                                        MESO_AREA_NECK, 60, "Dr Weiss", NULL);

    assert_true (meso_store_book_appointment (f->store, freed, MESO_ROLE_RECEPTIONIST, NULL,
                                              &error));
    EXPECT_NO_ERROR ("the cancelled slot is free", error);
  }
}

static void
test_appointment_reschedule (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id = add_patient (f->store, "Willi Kehr", FALSE);
  gint64 first, cancelled;
  g_autoptr(MesoAppointment) later = NULL;
  g_autoptr(MesoAppointment) next_days = NULL;
  g_autoptr(MesoAppointment) move_cancelled = NULL;
  g_autoptr(GDateTime) expected = local_dt ("2026-12-02T10:30");

  assert_true (meso_store_add_practitioner (f->store, "Dr Weiss", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_room (f->store, "Room 1", &error));
  first = book_ok (f->store, id, "2026-11-30T10:00", MESO_AREA_FACE, "Dr Weiss", "Room 1");

  /* Half an hour later overlaps only its own old slot. */
  later = appointment_new (id, "2026-11-30T10:30", MESO_AREA_FACE, 60, "Dr Weiss", "Room 1");
  meso_appointment_set_id (later, first);
  assert_true (meso_store_book_appointment (f->store, later, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("moved within its own slot", error);

  /* Two days later: its old self is no R1 neighbour. */
  next_days = appointment_new (id, "2026-12-02T10:30", MESO_AREA_FACE, 60, "Dr Weiss", "Room 1");
  meso_appointment_set_id (next_days, first);
  assert_true (meso_store_book_appointment (f->store, next_days, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("moved by two days", error);
  EXPECT_INT ("same id", first, meso_appointment_get_id (next_days));

  list = meso_store_list_patient_appointments (f->store, id, &error);
  assert_non_null (list);
  EXPECT_INT ("still one appointment", 1, list->len);
  EXPECT ("at the new time",
          g_date_time_equal (expected,
                             meso_appointment_get_start (g_ptr_array_index (list, 0))));

  cancelled = book_ok (f->store, id, "2026-12-20T10:00", MESO_AREA_NECK, NULL, NULL);
  assert_true (meso_store_cancel_appointment (f->store, cancelled, NULL, &error));
  move_cancelled = appointment_new (id, "2026-12-21T10:00", MESO_AREA_NECK, 60, NULL, NULL);
  meso_appointment_set_id (move_cancelled, cancelled);
  expect_booking_refused ("moving a cancelled appointment", f->store, move_cancelled,
                          MESO_ROLE_RECEPTIONIST, MESO_STORE_ERROR_INVALID, NULL);
}

static void
test_appointment_cancel (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) stored = NULL;
  gint64 patient = add_patient (f->store, "Xaver Storn", FALSE);
  gint64 id = book_ok (f->store, patient, "2026-11-25T10:00", MESO_AREA_HANDS, NULL, NULL);
  guint audit;

  assert_true (meso_store_cancel_appointment (f->store, id, "Patient has the flu", &error));
  EXPECT_NO_ERROR ("cancel", error);
  stored = meso_store_get_appointment (f->store, id, &error);
  EXPECT_INT ("status", MESO_APPOINTMENT_CANCELLED, meso_appointment_get_status (stored));
  EXPECT_STR ("reason", "Patient has the flu", meso_appointment_get_cancel_reason (stored));

  audit = count_audit (f->store);
  EXPECT ("cancel twice", !meso_store_cancel_appointment (f->store, id, "again", &error));
  EXPECT_ERROR ("cancel twice", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT_INT ("nothing written", audit, count_audit (f->store));
  EXPECT ("cancel a missing one",
          !meso_store_cancel_appointment (f->store, id + 100, NULL, &error));
  EXPECT_ERROR ("cancel a missing one", error, MESO_STORE_ERROR_NOT_FOUND);
}

/* Check-in judges R2 again, for today: an active defer-flag refuses it and
 * changes nothing; once cleared, or for a caution, it goes through. */
static void
test_appointment_check_in (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) stored = NULL;
  gint64 patient = add_patient (f->store, "Yara Quell", FALSE);
  gint64 other = add_patient (f->store, "Zeno Quell", FALSE);
  gint64 today = book_ok (f->store, patient, "2026-11-21T11:00", MESO_AREA_FACE, NULL, NULL);
  gint64 later = book_ok (f->store, patient, "2026-11-23T11:00", MESO_AREA_NECK, NULL, NULL);
  gint64 scarred = book_ok (f->store, other, "2026-11-21T13:00", MESO_AREA_FACE, NULL, NULL);
  GDate noted = make_day ("2026-11-18");
  GDate cleared = make_day ("2026-11-21");
  guint audit;

  assert_true (meso_store_set_flag (f->store, patient, MESO_CONTRAINDICATION_HERPES, &noted,
                                    &error));
  audit = count_audit (f->store);
  EXPECT ("herpes active today", !meso_store_check_in_appointment (f->store, today, &error));
  EXPECT_ERROR ("herpes active today", error, MESO_STORE_ERROR_REFUSED);
  assert_non_null (strstr (error->message, "R2"));
  g_clear_error (&error);
  EXPECT_INT ("nothing written", audit, count_audit (f->store));
  stored = meso_store_get_appointment (f->store, today, &error);
  EXPECT_INT ("still booked", MESO_APPOINTMENT_BOOKED, meso_appointment_get_status (stored));
  g_clear_object (&stored);

  EXPECT ("another day", !meso_store_check_in_appointment (f->store, later, &error));
  EXPECT_ERROR ("another day", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Cleared today: no longer active today. */
  assert_true (meso_store_clear_flag (f->store, patient, MESO_CONTRAINDICATION_HERPES, &cleared,
                                      &error));
  assert_true (meso_store_check_in_appointment (f->store, today, &error));
  EXPECT_NO_ERROR ("cleared", error);
  stored = meso_store_get_appointment (f->store, today, &error);
  EXPECT_INT ("checked in", MESO_APPOINTMENT_CHECKED_IN, meso_appointment_get_status (stored));
  EXPECT ("twice", !meso_store_check_in_appointment (f->store, today, &error));
  EXPECT_ERROR ("twice", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A caution is confirmed when the session is recorded, not at the desk. */
  assert_true (meso_store_set_flag (f->store, other, MESO_CONTRAINDICATION_SCAR_PRONE, &noted,
                                    &error));
  assert_true (meso_store_check_in_appointment (f->store, scarred, &error));
  EXPECT_NO_ERROR ("scar-prone", error);

  EXPECT ("missing", !meso_store_check_in_appointment (f->store, later + 100, &error));
  EXPECT_ERROR ("missing", error, MESO_STORE_ERROR_NOT_FOUND);
}

static void
test_appointment_opening_hours (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    const char *start;
    guint       minutes;
    gboolean    warning;
  } cases[] = {
    /* Default hours: Monday to Friday 9:00–18:00. 24 Nov is a Tuesday. */
    { "inside", "2026-11-24T10:00", 60, FALSE },
    { "starts at opening", "2026-11-24T09:00", 60, FALSE },
    { "starts before opening", "2026-11-24T08:59", 60, TRUE },
    { "ends at closing", "2026-11-24T17:00", 60, FALSE },
    { "ends after closing", "2026-11-24T17:01", 60, TRUE },
    { "evening", "2026-11-24T19:00", 30, TRUE },
    { "Sunday", "2026-11-29T10:00", 60, TRUE },
    /* The clinic opens on Saturdays 10:00–14:00 (set below). */
    { "Saturday, open", "2026-11-28T10:00", 60, FALSE },
    { "Saturday, too late", "2026-11-28T13:30", 60, TRUE },
  };
  g_autoptr(GError) error = NULL;
  int open, close;

  assert_true (meso_store_set_opening_hours (f->store, G_DATE_SATURDAY, 600, 840, &error));
  assert_true (meso_store_get_opening_hours (f->store, G_DATE_SATURDAY, &open, &close, &error));
  EXPECT_INT ("Saturday opens", 600, open);
  EXPECT_INT ("Saturday closes", 840, close);
  EXPECT ("closing before opening",
          !meso_store_set_opening_hours (f->store, G_DATE_MONDAY, 900, 600, &error));
  EXPECT_ERROR ("closing before opening", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) verdicts = NULL;
      g_autoptr(GError) booking_error = NULL;
      gint64 id = add_patient (f->store, cases[i].what, FALSE);
      g_autoptr(MesoAppointment) appointment =
        appointment_new (id, cases[i].start, MESO_AREA_FACE, cases[i].minutes, NULL, NULL);
      MesoVerdict *hours;

      EXPECT (cases[i].what, meso_store_book_appointment (f->store, appointment,
                                                          MESO_ROLE_RECEPTIONIST, &verdicts,
                                                          &booking_error));
      EXPECT_NO_ERROR (cases[i].what, booking_error);
      EXPECT (cases[i].what, meso_appointment_get_id (appointment) > 0);
      hours = find_verdict (verdicts, "hours");
      assert_non_null (hours);
      EXPECT_INT (cases[i].what, cases[i].warning ? MESO_VERDICT_WARNING : MESO_VERDICT_OK,
                  meso_verdict_get_kind (hours));
    }
}

static void
test_appointment_check_writes_nothing (void **state)
{
  Fixture *f = *state;
  gint64 id = add_patient (f->store, "Yara Prüf", FALSE);
  static const struct
  {
    const char *what;
    const char *start;
    MesoVerdictKind worst;
  } cases[] = {
    { "too early", "2026-11-23T10:00", MESO_VERDICT_REFUSED },
    { "inside the window", "2026-12-01T10:00", MESO_VERDICT_OK },
    { "on a Sunday", "2026-12-06T10:00", MESO_VERDICT_WARNING },
  };
  guint audit, appointments;

  record_ok (f->store, id, "2026-11-03T10:00", MESO_AREA_FACE);
  audit = count_audit (f->store);
  appointments = count_appointments (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoAppointment) appointment =
        appointment_new (id, cases[i].start, MESO_AREA_FACE, 60, NULL, NULL);
      g_autoptr(GPtrArray) verdicts = meso_store_check_appointment (f->store, appointment,
                                                                    MESO_ROLE_RECEPTIONIST,
                                                                    &error);
      g_autoptr(MesoVerdict) worst = NULL;

      EXPECT_NO_ERROR (cases[i].what, error);
      assert_non_null (verdicts);
      worst = meso_verdict_worst (verdicts);
      EXPECT_INT (cases[i].what, cases[i].worst, meso_verdict_get_kind (worst));
      EXPECT_INT (cases[i].what, 0, meso_appointment_get_id (appointment));
    }
  EXPECT_INT ("no appointment written", appointments, count_appointments (f->store));
  EXPECT_INT ("no audit written", audit, count_audit (f->store));
}

static void
test_appointment_input_errors (void **state)
{
  Fixture *f = *state;
  gint64 id = add_patient (f->store, "Zeno Alt", FALSE);
  g_autoptr(MesoAppointment) past = appointment_new (id, "2026-11-21T08:59", MESO_AREA_FACE, 60,
                                                     NULL, NULL);
  g_autoptr(MesoAppointment) yesterday = appointment_new (id, "2026-11-20T10:00", MESO_AREA_FACE,
                                                          60, NULL, NULL);
  g_autoptr(MesoAppointment) long_one = appointment_new (id, "2026-11-24T08:00", MESO_AREA_FACE,
                                                         13 * 60, NULL, NULL);
  g_autoptr(MesoAppointment) unknown = appointment_new (id, "2026-11-24T10:00", MESO_AREA_FACE,
                                                        60, "Dr Nobody", NULL);
  g_autoptr(MesoAppointment) no_room = appointment_new (id, "2026-11-24T10:00", MESO_AREA_FACE,
                                                        60, NULL, "Attic");
  g_autoptr(MesoAppointment) no_patient = appointment_new (id + 10, "2026-11-24T10:00",
                                                           MESO_AREA_FACE, 60, NULL, NULL);
  g_autoptr(MesoAppointment) now = appointment_new (id, NOW, MESO_AREA_FACE, 60, NULL, NULL);
  g_autoptr(GError) error = NULL;

  expect_booking_refused ("a minute ago", f->store, past, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_INVALID, NULL);
  expect_booking_refused ("yesterday", f->store, yesterday, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_INVALID, NULL);
  expect_booking_refused ("13 hours", f->store, long_one, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_INVALID, NULL);
  expect_booking_refused ("an unknown practitioner", f->store, unknown, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_NOT_FOUND, "Dr Nobody");
  expect_booking_refused ("an unknown room", f->store, no_room, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_NOT_FOUND, "Attic");
  expect_booking_refused ("a missing patient", f->store, no_patient, MESO_ROLE_RECEPTIONIST,
                          MESO_STORE_ERROR_NOT_FOUND, NULL);
  assert_true (meso_store_book_appointment (f->store, now, MESO_ROLE_RECEPTIONIST, NULL, &error));
  EXPECT_NO_ERROR ("now is not the past", error);
}

static void
test_appointment_list_range (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 a = add_patient (f->store, "Alma Reihe", FALSE);
  gint64 b = add_patient (f->store, "Beat Reihe", FALSE);
  gint64 tue, wed, thu;
  static const struct
  {
    const char *from;
    const char *to;
    const char *expected;  /* t, w, h: Tuesday, Wednesday, Thursday */
  } cases[] = {
    { "2026-11-24T10:00", "2026-11-26T10:00", "tw" },
    { "2026-11-24T10:01", "2026-11-26T10:01", "wh" },
    { "2026-11-24T00:00", "2026-11-27T00:00", "twh" },
    { "2026-11-26T10:00", "2026-11-26T10:00", "" },
    { "2026-11-25T10:00", "2026-11-25T10:01", "w" },
  };

  thu = book_ok (f->store, a, "2026-11-26T10:00", MESO_AREA_NECK, NULL, NULL);
  tue = book_ok (f->store, a, "2026-11-24T10:00", MESO_AREA_FACE, NULL, NULL);
  wed = book_ok (f->store, b, "2026-11-25T10:00", MESO_AREA_FACE, NULL, NULL);
  assert_true (meso_store_cancel_appointment (f->store, wed, NULL, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) from = local_dt (cases[i].from);
      g_autoptr(GDateTime) to = local_dt (cases[i].to);
      g_autoptr(GPtrArray) list = meso_store_list_appointments (f->store, from, to, &error);
      g_autoptr(GString) got = g_string_new (NULL);
      g_autofree char *what = g_strdup_printf ("[%s, %s)", cases[i].from, cases[i].to);

      EXPECT_NO_ERROR (what, error);
      assert_non_null (list);
      for (guint j = 0; j < list->len; j++)
        {
          MesoAppointment *appointment = g_ptr_array_index (list, j);
          gint64 id = meso_appointment_get_id (appointment);

          g_string_append_c (got, id == tue ? 't' : id == wed ? 'w' : id == thu ? 'h' : '?');
          EXPECT (what, meso_appointment_get_patient_name (appointment) != NULL);
        }
      EXPECT_STR (what, cases[i].expected, got->str);
    }
}

/* Dates at the edges of the calendar: each kind refused past its border
 * with an error, never an assertion, and nothing written. Now is
 * 2026-11-21T09:00, so bookings reach 2031-11-21. */
static void
test_date_borders (void **state)
{
  Fixture *f = *state;
  gint64 a = add_patient (f->store, "Ada Rand", FALSE);
  gint64 b = add_patient (f->store, "Bo Rand", FALSE);
  g_autoptr(MesoSession) old = session_new (a, "1899-12-31T10:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoAppointment) beyond = appointment_new (a, "2031-11-22T00:00", MESO_AREA_FACE, 60,
                                                       NULL, NULL);
  g_autoptr(MesoAppointment) overlap = appointment_new (b, "2031-11-21T00:00", MESO_AREA_NECK, 60,
                                                        "Dr Rand", NULL);
  g_autoptr(MesoAppointment) last_evening = NULL;
  g_autoptr(GDateTime) first_day = local_dt ("2026-11-21T00:00");
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) reminders = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) list_error = NULL;
  GDate day;

  expect_session_refused ("a session on 1899-12-31", f->store, old, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, "1900-01-01", NULL);
  record_ok (f->store, a, "1900-01-01T10:00", MESO_AREA_FACE);

  expect_booking_refused ("a booking 5 years and a day ahead", f->store, beyond,
                          MESO_ROLE_RECEPTIONIST, MESO_STORE_ERROR_INVALID, "2031-11-21");
  /* 23:30 on the day before the last, an hour long: its end is past
   * midnight, so a booking of the practitioner at midnight overlaps. */
  assert_true (meso_store_add_practitioner (f->store, "Dr Rand", MESO_ROLE_CLINICIAN, &error));
  book_ok (f->store, a, "2031-11-20T23:30", MESO_AREA_FACE, "Dr Rand", NULL);
  expect_booking_refused ("the practitioner, after midnight", f->store, overlap,
                          MESO_ROLE_RECEPTIONIST, MESO_STORE_ERROR_REFUSED, "Dr Rand");
  last_evening = appointment_new (b, "2031-11-21T23:30", MESO_AREA_NECK, 60, NULL, NULL);
  assert_true (meso_store_book_appointment (f->store, last_evening, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("23:30 on the last day", error);

  none = meso_store_list_appointments (f->store, first_day, NULL, &list_error);
  EXPECT ("a list without its end", none == NULL);
  EXPECT_ERROR ("a list without its end", list_error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&list_error);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 31, G_DATE_DECEMBER, 1899);
  EXPECT ("reminders on 1899-12-31",
          meso_store_list_reminders (f->store, &day, &list_error) == NULL);
  EXPECT_ERROR ("reminders on 1899-12-31", list_error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&list_error);
  EXPECT ("a flag on 1899-12-31",
          !meso_store_set_flag (f->store, a, MESO_CONTRAINDICATION_HERPES, &day, &list_error));
  EXPECT_ERROR ("a flag on 1899-12-31", list_error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&list_error);

  g_date_set_dmy (&day, 1, G_DATE_JANUARY, 1900);
  reminders = meso_store_list_reminders (f->store, &day, &error);
  EXPECT_NO_ERROR ("reminders on 1900-01-01", error);
  EXPECT ("reminders on 1900-01-01", reminders != NULL);
  g_date_set_dmy (&day, 22, G_DATE_NOVEMBER, 2031);
  EXPECT ("a flag 5 years and a day ahead",
          !meso_store_set_flag (f->store, a, MESO_CONTRAINDICATION_HERPES, &day, &list_error));
  EXPECT_ERROR ("a flag 5 years and a day ahead", list_error, MESO_STORE_ERROR_INVALID);
  g_date_set_dmy (&day, 21, G_DATE_NOVEMBER, 2031);
  assert_true (meso_store_set_flag (f->store, a, MESO_CONTRAINDICATION_HERPES, &day, &error));
  EXPECT_NO_ERROR ("a flag 5 years ahead", error);
}

/* A session fulfils only its own patient's appointment, of its area, still
 * booked or checked in; anything else is invalid input and writes nothing. */
static void
test_session_fulfils_own_appointment (void **state)
{
  Fixture *f = *state;
  gint64 erika = add_patient (f->store, "Erika Mustermann", FALSE);
  gint64 max = add_patient (f->store, "Max Mustermann", FALSE);
  gint64 hers = book_ok (f->store, erika, "2026-11-21T10:00", MESO_AREA_FACE, NULL, NULL);
  gint64 cancelled = book_ok (f->store, max, "2026-11-21T11:00", MESO_AREA_NECK, NULL, NULL);
  gint64 his = book_ok (f->store, max, "2026-11-21T12:00", MESO_AREA_FACE, NULL, NULL);
  g_autoptr(MesoSession) stranger = session_new (max, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) other_area = session_new (max, "2026-11-21T08:00", MESO_AREA_SCALP,
                                                   500);
  g_autoptr(MesoSession) on_cancelled = session_new (max, "2026-11-21T08:00", MESO_AREA_NECK,
                                                     500);
  g_autoptr(MesoSession) own = session_new (max, "2026-11-21T08:00", MESO_AREA_FACE, 500);
  g_autoptr(MesoSession) again = session_new (max, "2026-11-21T08:30", MESO_AREA_NECK, 500);
  g_autoptr(MesoAppointment) stored = NULL;
  g_autoptr(GPtrArray) checked = NULL;
  g_autoptr(GError) error = NULL;

  meso_session_set_appointment_id (stranger, hers);
  expect_session_refused ("another patient's", f->store, stranger, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, "Erika Mustermann", NULL);
  checked = meso_store_check_session (f->store, stranger, MESO_ROLE_CLINICIAN, &error);
  EXPECT ("the check says so too", checked == NULL);
  EXPECT_ERROR ("the check says so too", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  stored = meso_store_get_appointment (f->store, hers, &error);
  EXPECT_INT ("hers is still booked", MESO_APPOINTMENT_BOOKED,
              meso_appointment_get_status (stored));
  g_clear_object (&stored);

  meso_session_set_appointment_id (other_area, his);
  expect_session_refused ("another area", f->store, other_area, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, "Face", NULL);

  assert_true (meso_store_cancel_appointment (f->store, cancelled, NULL, &error));
  meso_session_set_appointment_id (on_cancelled, cancelled);
  expect_session_refused ("a cancelled one", f->store, on_cancelled, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, NULL);

  meso_session_set_appointment_id (own, his);
  assert_true (meso_store_add_session (f->store, own, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR ("his own", error);
  stored = meso_store_get_appointment (f->store, his, &error);
  EXPECT_INT ("his is done", MESO_APPOINTMENT_DONE, meso_appointment_get_status (stored));

  meso_session_set_appointment_id (again, his);
  meso_session_set_area (again, MESO_AREA_FACE);
  expect_session_refused ("one already done", f->store, again, MESO_ROLE_CLINICIAN,
                          MESO_STORE_ERROR_INVALID, NULL);
}

/* =========================================================== maintenance */

static void
test_check_healthy (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;

  add_search_patients (f->store);
  EXPECT ("a healthy database passes", meso_store_check (f->store, &error));
  EXPECT_NO_ERROR ("check", error);
}

static void
test_backup_while_open (void **state)
{
  /* A server's backup: test-cli transfer/backup. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "backups", NULL);
  g_autofree char *destination = g_build_filename (folder, "clinic-2026-11-21.db", NULL);
  g_autofree char *partial = g_strconcat (destination, ".partial", NULL);
  g_autofree char *original = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(MesoStore) restored = NULL;
  gint64 id;

  add_search_patients (f->store);
  id = add_patient (f->store, "Last Before Backup", FALSE);
  record_ok (f->store, id, "2026-11-20T10:00", MESO_AREA_FACE);
  assert_int_equal (g_mkdir (folder, 0700), 0);

  /* The store stays open and usable throughout. */
  assert_true (meso_store_backup (f->store, destination, &error));
  EXPECT_NO_ERROR ("backup", error);
  EXPECT ("no .partial left", !g_file_test (partial, G_FILE_TEST_EXISTS));
  add_patient (f->store, "After The Backup", FALSE);

  restored = meso_store_open (destination, &error);
  EXPECT_NO_ERROR ("open the backup", error);
  assert_non_null (restored);
  EXPECT ("the backup passes the check", meso_store_check (restored, &error));
  EXPECT_NO_ERROR ("check the backup", error);
  EXPECT_INT ("schema", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (restored));

  copy = search_names (restored, "", TRUE, 0, 0);
  original = search_names (f->store, "", TRUE, 0, 0);
  EXPECT_STR ("the same patients, as at the backup",
              "Anna Müller|Bernd Schmidt|Clara Annecy|Dieter Maier|Émile Zola|Frida Kahlo|"
              "Last Before Backup", copy);
  EXPECT_CONTAINS ("the original went on", original, "After The Backup");
  EXPECT_INT ("the session is in it", 1, count_sessions (restored, id));
  {
    g_autofree char *found = search_names (restored, "muller", FALSE, 0, 0);

    EXPECT_STR ("the backup's search index works", "Anna Müller", found);
  }
}

static void
test_backup_to_missing_folder (void **state)
{
  /* A server's backup: test-cli transfer/backup. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "no-such-folder", NULL);
  g_autofree char *destination = g_build_filename (folder, "backup.db", NULL);

  add_patient (f->store, "Backup Patient", FALSE);
  EXPECT ("backup into a missing folder",
          !meso_store_backup (f->store, destination, &error));
  assert_non_null (error);
  EXPECT ("with a message", error->message != NULL && *error->message != '\0');
  EXPECT ("the folder is not created", !g_file_test (folder, G_FILE_TEST_EXISTS));
}

/* Runs the built mesodesk-cli on @path, as another program beside this
 * one; its standard output, or NULL with the test failed. */
static char *
run_cli (const char *path,
         ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("MESODESK_CLI");
  const char *arg;
  int status = 0;
  va_list args;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      print_error ("MESODESK_CLI must name the built mesodesk-cli (meson sets it)\n");
      fail ();
    }
  g_strv_builder_add_many (builder, cli, "--database", path, NULL);
  va_start (args, path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      print_error ("mesodesk-cli %s failed: %s%s\n", argv[3], error ? error->message : "",
                   err ? err : "");
      fail ();
    }
  return g_steal_pointer (&out);
}

/* Whether this process holds a file of @path's that is no longer on disk. */
static gboolean
holds_deleted_file (const char *path)
{
  g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (fds != NULL && (name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && g_str_has_prefix (target, path) &&
          g_str_has_suffix (target, " (deleted)"))
        return TRUE;
    }
  return FALSE;
}

static gint64
add_listed_patient (const char *path,
                    const char *name,
                    GHashTable *ids)
{
  g_autofree char *out = run_cli (path, "patient", "add", "--name", name, NULL);
  gint64 id = g_ascii_strtoll (out, NULL, 10);

  EXPECT (name, id > 0);
  EXPECT ("a new id", g_hash_table_add (ids, GINT_TO_POINTER (id)));
  return id;
}

static void
add_own_patient (MesoStore  *store,
                 const char *name,
                 GHashTable *ids)
{
  EXPECT ("a new id",
          g_hash_table_add (ids, GINT_TO_POINTER (add_patient (store, name, FALSE))));
}

/* Issue 14: the window keeps a connection per worker beside its main one.
 * Opening one must not drop the process's locks on the file (POSIX drops
 * them all when any descriptor of the file closes), or the next program to
 * close thinks it was the last, deletes the write-ahead log under the
 * window, and the window's records are lost while record numbers repeat. */
static void
test_several_stores_beside_other_programs (void **state)
{
  /* Locks on one FILE and its WAL; desks on a server: faults. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) worker = NULL;
  g_autoptr(MesoStore) copy = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *listed = NULL;
  g_autofree char *in_backup = NULL;
  static const char *const everyone =
    "Desk A\nDesk B\nDesk C\nWindow A\nWindow B\nWindow C\nWorker A\nWorker B\n";

  add_own_patient (f->store, "Window A", ids);
  worker = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("a worker's store", error);
  assert_non_null (worker);
  add_own_patient (worker, "Worker A", ids);

  /* Other programs read, write and back up while both stay open. */
  g_free (run_cli (f->path, "patient", "list", NULL));
  add_listed_patient (f->path, "Desk A", ids);
  g_free (run_cli (f->path, "backup", backup, NULL));
  EXPECT ("the write-ahead log is still on disk", g_file_test (wal, G_FILE_TEST_EXISTS));
  EXPECT ("no file of ours was deleted under us", !holds_deleted_file (f->path));

  add_own_patient (f->store, "Window B", ids);
  add_own_patient (worker, "Worker B", ids);
  add_listed_patient (f->path, "Desk B", ids);
  g_clear_object (&worker);
  add_own_patient (f->store, "Window C", ids);
  add_listed_patient (f->path, "Desk C", ids);
  EXPECT ("no file of ours was deleted under us", !holds_deleted_file (f->path));

  g_clear_object (&f->store);
  listed = run_cli (f->path, "patient", "list", NULL);
  {
    g_auto(GStrv) lines = g_strsplit (listed, "\n", -1);
    g_autoptr(GString) names = g_string_new (NULL);

    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);

        g_string_append_printf (names, "%s\n", fields[1] ? fields[1] : "");
      }
    EXPECT_STR ("every acknowledged record, once", everyone, names->str);
  }
  EXPECT_INT ("eight numbers, none given twice", 8, g_hash_table_size (ids));

  copy = meso_store_open (backup, &error);
  EXPECT_NO_ERROR ("open the backup", error);
  in_backup = search_names (copy, "", TRUE, 0, 0);
  EXPECT_STR ("the backup holds what was acknowledged before it",
              "Desk A|Window A|Worker A", in_backup);
}

/* ============================================ practitioners and rooms */

static MesoResource *
find_resource (GPtrArray  *entries,
               const char *name)
{
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      MesoResource *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->name, name) == 0)
        return entry;
    }
  return NULL;
}

/* The clinic's name, address, phone and emergency line: saved trimmed, read
 * back the same, and cleared by saving them empty. */
static void
test_clinic_info (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  MesoClinicInfo info = { 0 };
  MesoClinicInfo saved = {
    .name = (char *)"  Hautpraxis am Markt ",
    .address = (char *)"Marktplatz 3\n04109 Leipzig",
    .phone = (char *)"0341 123456",
    .emergency = (char *)"",
  };

  assert_true (meso_store_load_clinic_info (f->store, &info, &error));
  EXPECT_NO_ERROR ("load unset", error);
  EXPECT ("no name yet", info.name == NULL && info.address == NULL && info.phone == NULL &&
          info.emergency == NULL);

  assert_true (meso_store_save_clinic_info (f->store, &saved, &error));
  EXPECT_NO_ERROR ("save", error);
  assert_true (meso_store_load_clinic_info (f->store, &info, &error));
  EXPECT_STR ("trimmed name", "Hautpraxis am Markt", info.name);
  EXPECT_STR ("address lines", "Marktplatz 3\n04109 Leipzig", info.address);
  EXPECT_STR ("phone", "0341 123456", info.phone);
  EXPECT ("empty is unset", info.emergency == NULL);
  meso_clinic_info_clear (&info);

  saved.phone = NULL;
  saved.emergency = (char *)"After hours: 0171 555 0199";
  assert_true (meso_store_save_clinic_info (f->store, &saved, &error));
  assert_true (meso_store_load_clinic_info (f->store, &info, &error));
  EXPECT ("phone removed", info.phone == NULL);
  EXPECT_STR ("emergency", "After hours: 0171 555 0199", info.emergency);
  meso_clinic_info_clear (&info);
}

/* Settings change who and where: an unused one goes, a used one stays for
 * the records (refused, with a message), inactive ones are listed for the
 * settings but offered for nothing new, and a rename keeps the records. */
static void
test_resources_settings (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) active = NULL;
  g_autoptr(MesoAppointment) booked = NULL;
  gint64 patient_id, appointment_id;
  MesoResource *entry;

  assert_true (meso_store_add_practitioner (f->store, "Dr Weiss", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_practitioner (f->store, "Anna", MESO_ROLE_RECEPTIONIST, &error));
  assert_true (meso_store_add_practitioner (f->store, "Temp", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_room (f->store, "Room 1", &error));
  assert_true (meso_store_add_room (f->store, "Spare", &error));
  patient_id = add_patient (f->store, "Ida Lund", FALSE);
  appointment_id = book_ok (f->store, patient_id, "2026-11-24T10:00", MESO_AREA_FACE,
                            "Dr Weiss", "Room 1");

  entries = meso_store_list_practitioner_entries (f->store, &error);
  EXPECT_NO_ERROR ("list", error);
  assert_non_null (entries);
  assert_int_equal (entries->len, 3);
  entry = g_ptr_array_index (entries, 0);
  EXPECT ("sorted", entry != NULL && g_str_equal (entry->name, "Anna"));
  EXPECT ("receptionist", entry != NULL && entry->role == MESO_ROLE_RECEPTIONIST);
  entry = find_resource (entries, "Dr Weiss");
  EXPECT ("role kept", entry != NULL && entry->role == MESO_ROLE_CLINICIAN);
  EXPECT ("active", entry != NULL && entry->active);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Unused: removed. Used: refused, naming why, and still there. */
  assert_true (meso_store_remove_practitioner (f->store, "Temp", &error));
  assert_true (meso_store_remove_room (f->store, "Spare", &error));
  EXPECT ("used practitioner", !meso_store_remove_practitioner (f->store, "Dr Weiss", &error));
  EXPECT_ERROR ("used practitioner", error, MESO_STORE_ERROR_CONFLICT);
  EXPECT ("message names them", strstr (error->message, "Dr Weiss") != NULL);
  EXPECT ("message says inactive", strstr (error->message, "inactive") != NULL);
  g_clear_error (&error);
  EXPECT ("used room", !meso_store_remove_room (f->store, "Room 1", &error));
  EXPECT_ERROR ("used room", error, MESO_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  EXPECT ("missing", !meso_store_remove_room (f->store, "Nowhere", &error));
  EXPECT_ERROR ("missing", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  entries = meso_store_list_room_entries (f->store, &error);
  assert_non_null (entries);
  assert_int_equal (entries->len, 1);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Those who treat: the clinicians, not the receptionist. */
  active = meso_store_list_clinicians (f->store, &error);
  EXPECT_NO_ERROR ("clinicians", error);
  assert_non_null (active);
  EXPECT_INT ("one clinician", 1, g_strv_length (active));
  EXPECT ("the clinician", g_strv_contains ((const char *const *)active, "Dr Weiss"));
  g_clear_pointer (&active, g_strfreev);

  /* Inactive: off the booking lists, still in the settings' list. */
  assert_true (meso_store_set_practitioner_active (f->store, "Dr Weiss", FALSE, &error));
  active = meso_store_list_practitioners (f->store, &error);
  assert_non_null (active);
  EXPECT ("not offered", !g_strv_contains ((const char *const *)active, "Dr Weiss"));
  g_clear_pointer (&active, g_strfreev);
  active = meso_store_list_clinicians (f->store, &error);
  assert_non_null (active);
  EXPECT ("an inactive clinician has no column", g_strv_length (active) == 0);
  entries = meso_store_list_practitioner_entries (f->store, &error);
  entry = find_resource (entries, "Dr Weiss");
  EXPECT ("listed inactive", entry != NULL && !entry->active);
  g_clear_pointer (&entries, g_ptr_array_unref);
  assert_true (meso_store_set_practitioner_active (f->store, "Dr Weiss", TRUE, &error));
  EXPECT ("no such room", !meso_store_set_room_active (f->store, "Nowhere", FALSE, &error));
  EXPECT_ERROR ("no such room", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Renamed: the appointment follows; a taken or empty name is refused. */
  assert_true (meso_store_rename_practitioner (f->store, "Dr Weiss", " Dr Weiss-Lund ", &error));
  assert_true (meso_store_rename_room (f->store, "Room 1", "Blue Room", &error));
  booked = meso_store_get_appointment (f->store, appointment_id, &error);
  assert_non_null (booked);
  EXPECT_STR ("follows", "Dr Weiss-Lund", meso_appointment_get_practitioner (booked));
  EXPECT_STR ("room follows", "Blue Room", meso_appointment_get_room (booked));
  EXPECT ("taken", !meso_store_rename_practitioner (f->store, "Anna", "dr weiss-lund", &error));
  EXPECT_ERROR ("taken", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("empty", !meso_store_rename_room (f->store, "Blue Room", "  ", &error));
  EXPECT_ERROR ("empty", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("rename missing", !meso_store_rename_room (f->store, "Nowhere", "X", &error));
  EXPECT_ERROR ("rename missing", error, MESO_STORE_ERROR_NOT_FOUND);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_open_creates_private_folder_and_file, setup_dir,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_open_tightens_permissions, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_pragmas, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_missing_references_refused, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_open_schema_version, setup_store, teardown),
    cmocka_unit_test (test_location_parse),
    cmocka_unit_test_setup_teardown (test_open_accepts_interrupted_checkpoint, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_process_memory_limit, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_empty_version_0, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_version_1_data, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_version_2_data, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_version_3_data, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_version_6_data, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_migrates_to_lots, setup_dir, teardown),
    cmocka_unit_test_setup_teardown (test_open_newer_schema_unsupported, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_open_refuses_foreign_sqlite_file, setup_dir,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_open_refuses_versioned_sqlite_file, setup_dir,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_open_refuses_damaged_file, setup_dir, teardown),
    cmocka_unit_test (test_fs_type_is_remote),
    cmocka_unit_test (test_default_path),
    cmocka_unit_test_setup_teardown (test_patient_round_trip, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_logs_every_change, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_is_append_only, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_verify_finds_tampering, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_chain_after_writes, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_chain_long_write, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_chain_upgrade, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_audit_foreach, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_validation, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_follows_archiving, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_patient_search, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_injection, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_namesakes, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_birth_dates, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_page_next_appointment, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_syntax_is_text, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_paging, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patients_after_agree_with_paging, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_plans_agree, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_search_huge_id, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_patient_update_reindexes, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_flags_keep_history, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_interval_borders, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_later_than_window_warns, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_session_other_area_not_neighbour, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_session_override, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_active_contraindication, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_session_scar_prone_needs_confirmation, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_session_needle_borders, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_input_errors, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_check_writes_nothing, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_follow_up_window, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_contraindication_only_warns, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_appointment_is_a_neighbour, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_conflicts, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_reschedule, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_cancel, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_check_in, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_opening_hours, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_check_writes_nothing, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_appointment_input_errors, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_list_range, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_date_borders, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_fulfils_own_appointment, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_check_healthy, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_backup_while_open, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_backup_to_missing_folder, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_several_stores_beside_other_programs, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_resources_settings, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_clinic_info, setup_store, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
