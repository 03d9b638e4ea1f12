/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's PostgreSQL provider (issue 15): what the clinic's database
 * does that is PostgreSQL's own. Connecting (a server of version 15 or
 * later, the audit's actor as a setting of the connection), the schema's
 * DDL for each numbered migration (meso-store.c keeps their one list),
 * its plpgsql triggers, the exclusion constraints that guard practitioners'
 * and rooms' times, the version in a table of ours, and the statements the
 * logic runs differently here. Not yet: the patient search, change
 * notes, the integrity check, backup and restore. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-db-postgresql.h"

#include <glib/gi18n-lib.h>

/* PostgreSQL 15: MERGE, and the oldest release still supported when issue
 * 15 was written. */
#define MIN_SERVER_VERSION 150000

/* ====================================================== connecting */

static MesoDb *
postgresql_open (const char  *location,
                 GError     **error)
{
  g_autoptr(GError) cause = NULL;
  MesoDb *db;
  MesoDbStmt *stmt;
  int server_version;

  db = meso_db_postgresql_open (location, &cause);
  if (db == NULL)
    {
      meso_store_set_db_error (error, g_steal_pointer (&cause));
      return NULL;
    }

  server_version = PQserverVersion (meso_db_postgresql_handle (db));
  if (server_version < MIN_SERVER_VERSION)
    {
      g_debug ("PostgreSQL server version %d", server_version);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNSUPPORTED,
                   _("The clinic server runs PostgreSQL %d; Mesodesk needs version %d or "
                     "later. Nothing was changed."),
                   server_version / 10000, MIN_SERVER_VERSION / 10000);
      meso_db_close (db);
      return NULL;
    }

  /* The audit triggers name who made each change, as SQLite's meso_actor()
   * does: the OS user, for the whole connection. */
  stmt = meso_db_prepare (db, "SELECT set_config ('mesodesk.actor', ?1, false)", &cause);
  if (stmt != NULL)
    {
      meso_db_bind_text (stmt, 1, g_get_user_name ());
      meso_db_run (stmt, &cause);
    }
  if (cause != NULL)
    {
      meso_db_close (db);
      meso_store_set_db_error (error, g_steal_pointer (&cause));
      return NULL;
    }
  return db;
}

/* ============================================================ the schema */

/* The audit log's entries, written by one trigger function for every table
 * (TG_ARGV: the column that numbers a row, '' for none; the audited
 * columns, comma-separated): the same fields as SQLite's, an update naming
 * only what changed as [old, new]. Append-only, as on SQLite. */
static const char audit_functions[] =
  "CREATE FUNCTION mesodesk_audit () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "DECLARE\n"
  "  old_row jsonb;\n"
  "  new_row jsonb;\n"
  "  row_id bigint := 0;\n"
  "  changes json;\n"
  "BEGIN\n"
  "  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb (OLD); END IF;\n"
  "  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb (NEW); END IF;\n"
  "  IF TG_ARGV[0] <> '' THEN\n"
  "    row_id := (coalesce (new_row, old_row) ->> TG_ARGV[0])::bigint;\n"
  "  END IF;\n"
  "  IF TG_OP = 'UPDATE' THEN\n"
  "    SELECT json_object_agg (c, jsonb_build_array (old_row -> c, new_row -> c) ORDER BY n)\n"
  "      INTO changes\n"
  "      FROM unnest (string_to_array (TG_ARGV[1], ',')) WITH ORDINALITY AS t (c, n)\n"
  "      WHERE (old_row -> c) IS DISTINCT FROM (new_row -> c);\n"
  "    IF changes IS NULL THEN RETURN NULL; END IF;\n"
  "  ELSE\n"
  "    SELECT json_object_agg (c, coalesce (new_row, old_row) -> c ORDER BY n) INTO changes\n"
  "      FROM unnest (string_to_array (TG_ARGV[1], ',')) WITH ORDINALITY AS t (c, n);\n"
  "  END IF;\n"
  "  INSERT INTO audit (at, actor, tbl, row_id, action, changes) VALUES (\n"
  "    to_char (statement_timestamp () AT TIME ZONE 'UTC',\n"
  "             'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),\n"
  "    coalesce (nullif (current_setting ('mesodesk.actor', true), ''), session_user),\n"
  "    TG_TABLE_NAME, row_id, lower (TG_OP), changes::text);\n"
  "  RETURN NULL;\n"
  "END $$;\n"
  "CREATE FUNCTION mesodesk_audit_append_only () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';\n"
  "END $$;\n"
  "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit\n"
  "  FOR EACH ROW EXECUTE FUNCTION mesodesk_audit_append_only ();\n"
  "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit\n"
  "  FOR EACH STATEMENT EXECUTE FUNCTION mesodesk_audit_append_only ();\n";

/* Version 1: the records and the audit log. Ids are BIGINT identities;
 * times (Unix seconds) BIGINT, flags and counts INTEGER, as SQLite stores
 * them, so every list reads the same values. Names sort and compare by
 * their bytes ("C"), as SQLite's do, whatever the server's locale; the
 * practitioners' and rooms' names are unique and found without regard to
 * case, as SQLite's NOCASE. */
static const char schema_v1[] =
  /* Marks the database as ours (set_version()). */
  "CREATE TABLE mesodesk_meta ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  application_id BIGINT NOT NULL,"
  "  version INTEGER NOT NULL);"
  "CREATE COLLATION mesodesk_nocase (provider = icu, locale = 'und-u-ks-level2',"
  "  deterministic = false);"
  "CREATE TABLE settings ("
  "  key TEXT COLLATE \"C\" PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE practitioners ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE mesodesk_nocase NOT NULL UNIQUE CHECK (length(trim(name)) > 0),"
  "  role TEXT NOT NULL CHECK (role IN ('clinician', 'receptionist')),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE rooms ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE mesodesk_nocase NOT NULL UNIQUE CHECK (length(trim(name)) > 0),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE opening_hours ("
  "  weekday INTEGER PRIMARY KEY CHECK (weekday BETWEEN 1 AND 7),"
  "  open_minute INTEGER NOT NULL,"
  "  close_minute INTEGER NOT NULL,"
  "  CHECK (0 <= open_minute AND open_minute <= close_minute AND close_minute <= 1440));"
  "CREATE TABLE patients ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(name)) > 0),"
  "  sort_key TEXT COLLATE \"C\" NOT NULL,"
  "  birth_date TEXT COLLATE \"C\","
  "  phone TEXT,"
  "  email TEXT,"
  "  sensitive_skin INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  archived INTEGER NOT NULL DEFAULT 0,"
  "  recall TEXT NOT NULL DEFAULT 'active' CHECK (recall IN ('active', 'finished', 'declined')),"
  "  created_at BIGINT NOT NULL);"
  "CREATE INDEX patients_sort ON patients (archived, sort_key);"
  "CREATE TABLE flags ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  kind TEXT NOT NULL,"
  "  noted_on TEXT COLLATE \"C\" NOT NULL,"
  "  cleared_on TEXT COLLATE \"C\","
  "  CHECK (cleared_on IS NULL OR cleared_on >= noted_on));"
  "CREATE INDEX flags_patient ON flags (patient_id, kind);"
  "CREATE TABLE appointments ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  area TEXT NOT NULL,"
  "  start BIGINT NOT NULL,"
  "  minutes INTEGER NOT NULL CHECK (minutes > 0),"
  "  end_at BIGINT NOT NULL,"
  "  practitioner_id BIGINT REFERENCES practitioners (id),"
  "  room_id BIGINT REFERENCES rooms (id),"
  "  status TEXT NOT NULL DEFAULT 'booked',"
  "  override_reason TEXT,"
  "  cancel_reason TEXT,"
  "  created_at BIGINT NOT NULL,"
  /* The database's own guard, besides the store's checks in the booking's
   * transaction: no two active appointments of one practitioner, or in one
   * room, overlap. */
  "  CONSTRAINT appointments_practitioner_free EXCLUDE USING gist (practitioner_id WITH =,"
  "    int8range (start, end_at) WITH &&)"
  "    WHERE (status IN ('booked', 'checked-in') AND practitioner_id IS NOT NULL),"
  "  CONSTRAINT appointments_room_free EXCLUDE USING gist (room_id WITH =,"
  "    int8range (start, end_at) WITH &&)"
  "    WHERE (status IN ('booked', 'checked-in') AND room_id IS NOT NULL));"
  "CREATE INDEX appointments_start ON appointments (start);"
  "CREATE INDEX appointments_patient ON appointments (patient_id, area, start);"
  "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, start);"
  "CREATE INDEX appointments_room ON appointments (room_id, start);"
  "CREATE TABLE sessions ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  appointment_id BIGINT REFERENCES appointments (id),"
  "  at BIGINT NOT NULL,"
  "  area TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  home_use INTEGER NOT NULL DEFAULT 0,"
  "  needle_um INTEGER NOT NULL,"
  "  needle_count INTEGER,"
  "  needle_material TEXT,"
  "  indication TEXT,"
  "  actives TEXT,"
  "  lot TEXT,"
  "  practitioner_id BIGINT REFERENCES practitioners (id),"
  "  notes TEXT,"
  "  override_reason TEXT,"
  "  caution_confirmed INTEGER NOT NULL DEFAULT 0,"
  "  created_at BIGINT NOT NULL);"
  "CREATE INDEX sessions_patient ON sessions (patient_id, area, at);"
  "CREATE INDEX sessions_at ON sessions (at);"
  "CREATE TABLE contacts ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  at BIGINT NOT NULL,"
  "  channel TEXT NOT NULL,"
  "  note TEXT,"
  "  outcome TEXT);"
  "CREATE INDEX contacts_patient ON contacts (patient_id, at);"
  "CREATE TABLE audit ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id BIGINT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  changes TEXT NOT NULL);"
  "CREATE INDEX audit_row ON audit (tbl, row_id);";

/* Version 2 (the search index, the courses) and 3 (the courses made anew
 * with the patient's name and skin type): no database on a server was ever
 * at 2, so the courses are made once, in their shape of version 3, with
 * both their triggers. The search index waits for PostgreSQL's own search
 * (issue 15 item 3). */
static const char schema_v2[] =
  "DROP INDEX sessions_at;"
  "CREATE INDEX sessions_at ON sessions (at, patient_id, area);"
  "INSERT INTO settings (key, value)"
  "  VALUES ('install_id', replace (gen_random_uuid ()::text, '-', ''));";

static const char schema_v3[] =
  "CREATE TABLE courses ("
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  area TEXT NOT NULL,"
  "  last_session_id BIGINT NOT NULL REFERENCES sessions (id),"
  "  last_at BIGINT NOT NULL,"
  "  opens_day INTEGER NOT NULL,"
  "  closes_day INTEGER NOT NULL,"
  "  next_at BIGINT,"
  "  recall TEXT NOT NULL,"
  "  archived INTEGER NOT NULL,"
  "  name TEXT COLLATE \"C\" NOT NULL,"
  "  sensitive_skin INTEGER NOT NULL,"
  "  PRIMARY KEY (patient_id, area));"
  "CREATE INDEX courses_moisturise ON courses (coalesce (next_at, last_at), patient_id,"
  "  last_session_id, closes_day, last_at, next_at, opens_day, recall, archived, name,"
  "  sensitive_skin) WHERE archived = 0;"
  "CREATE INDEX courses_due ON courses (closes_day, patient_id, last_session_id, opens_day,"
  "  last_at, next_at, recall, archived, name, sensitive_skin) WHERE recall = 'active'"
  "  AND next_at IS NULL AND archived = 0;"
  "CREATE INDEX courses_overdue ON courses (last_at, patient_id, last_session_id, opens_day,"
  "  closes_day, next_at, recall, archived, name, sensitive_skin) WHERE recall = 'active'"
  "  AND next_at IS NULL AND archived = 0;"
  /* Archiving, a rename, a new skin type (any statement that sets them)
   * reach the courses at once: SQLite's courses_archived and
   * courses_patient in one. */
  "CREATE FUNCTION mesodesk_courses_patient () RETURNS trigger LANGUAGE plpgsql AS $$"
  "  BEGIN UPDATE courses SET name = NEW.name, sensitive_skin = NEW.sensitive_skin,"
  "  archived = NEW.archived WHERE patient_id = NEW.id; RETURN NULL; END $$;"
  "CREATE TRIGGER courses_patient AFTER UPDATE OF name, sensitive_skin, archived ON patients"
  "  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name"
  "  OR OLD.sensitive_skin IS DISTINCT FROM NEW.sensitive_skin"
  "  OR OLD.archived IS DISTINCT FROM NEW.archived)"
  "  EXECUTE FUNCTION mesodesk_courses_patient ();";

/* Version 4 made SQLite's search index anew; there is none here yet. */
static const char schema_v4[] = "";

/* The exclusion constraints need btree_gist; a role that may not create it
 * is told what to ask for. */
static gboolean
create_btree_gist (MesoStore  *self,
                   GError    **error)
{
  g_autoptr(GError) cause = NULL;

  if (meso_db_exec (meso_store_get_db (self),
                    "SAVEPOINT btree_gist; CREATE EXTENSION IF NOT EXISTS btree_gist; "
                    "RELEASE btree_gist", &cause))
    return TRUE;
  meso_db_exec (meso_store_get_db (self), "ROLLBACK TO btree_gist; RELEASE btree_gist", NULL);
  if (cause->domain == MESO_DB_ERROR && cause->code == MESO_DB_ERROR_READONLY)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                           _("The clinic server’s database lacks the btree_gist extension, and "
                             "this user may not add it. Ask the server’s administrator to run "
                             "“CREATE EXTENSION btree_gist” in the clinic’s database. Nothing "
                             "was changed."));
      return FALSE;
    }
  return meso_store_set_db_error (error, g_steal_pointer (&cause));
}

static char *
audit_trigger_sql (const MesoAuditedTable *t)
{
  g_autofree char *columns = g_strjoinv (",", (char **)t->columns);

  return g_strdup_printf ("CREATE TRIGGER audit_%s AFTER INSERT OR UPDATE OR DELETE ON %s "
                          "FOR EACH ROW EXECUTE FUNCTION mesodesk_audit ('%s', '%s')",
                          t->table, t->table, t->row_id != NULL ? t->row_id : "", columns);
}

static gboolean
schema_step (MesoStore  *self,
             int         version,
             GError    **error)
{
  static const char *const schemas[] = { schema_v1, schema_v2, schema_v3, schema_v4 };

  G_STATIC_ASSERT (G_N_ELEMENTS (schemas) == MESO_STORE_SCHEMA_VERSION);
  g_return_val_if_fail (version >= 1 && version <= MESO_STORE_SCHEMA_VERSION, FALSE);

  if (version == 1 && !create_btree_gist (self, error))
    return FALSE;
  if (*schemas[version - 1] != '\0' && !meso_store_exec (self, schemas[version - 1], error))
    return FALSE;
  if (version == 1)
    {
      if (!meso_store_exec (self, audit_functions, error))
        return FALSE;
      for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
        {
          g_autofree char *sql = audit_trigger_sql (&meso_store_audited_tables[i]);

          if (!meso_store_exec (self, sql, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ============================================================ the version */

/* Ours: mesodesk_meta names the application and the schema's version. */
static const char meta_sql[] =
  "SELECT application_id, version FROM mesodesk_meta WHERE id = 1";

/* In one statement, one snapshot: whether our table is there, and how many
 * tables of any kind the schema holds. */
static const char schema_sql[] =
  "SELECT to_regclass ('mesodesk_meta') IS NOT NULL, (SELECT count(*) FROM pg_catalog.pg_class c "
  "WHERE c.relnamespace = current_schema ()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', "
  "'f', 'S'))";

static gboolean
read_version (MesoStore  *self,
              int        *version,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  gboolean ours;
  gint64 n_tables, app_id = 0;

  stmt = meso_store_prepare (self, schema_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        return meso_store_set_db_error (error, g_error_new_literal (MESO_DB_ERROR,
                                                                    MESO_DB_ERROR_FAILED,
                                                                    "no row"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  ours = meso_db_column_int (stmt, 0) != 0;
  n_tables = meso_db_column_int64 (stmt, 1);
  meso_db_reset (stmt);

  *version = 0;
  if (ours)
    {
      stmt = meso_store_prepare (self, meta_sql, error);
      if (stmt == NULL)
        return FALSE;
      if (meso_store_step_row (self, stmt, &local_error))
        {
          app_id = meso_db_column_int64 (stmt, 0);
          *version = meso_db_column_int (stmt, 1);
          meso_db_reset (stmt);
        }
      else if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* Tables without ours, or ours naming another program: someone else's. */
  if ((ours && app_id != MESO_APPLICATION_ID) || (!ours && n_tables > 0))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                           _("This database on the clinic server holds another program’s "
                             "tables, not Mesodesk’s. It was left untouched; give Mesodesk a "
                             "database of its own."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_version (MesoStore  *self,
             int         version,
             GError    **error)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO mesodesk_meta (id, application_id, version) VALUES (1, %d, %d)"
    "  ON CONFLICT (id) DO UPDATE SET application_id = excluded.application_id,"
    "  version = excluded.version",
    MESO_APPLICATION_ID, version);

  return meso_store_exec (self, sql, error);
}

/* ======================================================== dialect */

/* The course of each patient and area: the row of its last session.
 * SQLite takes bare columns from max()'s row; PostgreSQL says so. */
static const char courses_last_sql[] =
  "SELECT DISTINCT ON (s.patient_id, s.area) s.patient_id, s.id, s.at AS last, s.area, "
  "p.sensitive_skin, p.recall, (SELECT min(a.start) FROM appointments a "
  "WHERE a.patient_id = s.patient_id AND a.area = s.area "
  "AND a.start > s.at AND a.status IN ('booked', 'checked-in')), "
  "p.archived, p.name "
  "FROM sessions s JOIN patients p ON p.id = s.patient_id "
  "WHERE ?1::bigint = 0 OR s.patient_id = ?1 "
  "ORDER BY s.patient_id, s.area, s.at DESC, s.id DESC";

/* An audit entry the logic writes (a restore): json_build_object for
 * SQLite's json_object. */
static const char audit_note_sql[] =
  "INSERT INTO audit (at, actor, tbl, row_id, action, changes) "
  "VALUES (?1, ?2, ?3, 0, ?4, json_build_object ('what', CAST(?5 AS TEXT))::text)";

static const char *
dialect (const char *name)
{
  if (g_str_equal (name, "courses-last"))
    return courses_last_sql;
  if (g_str_equal (name, "audit-note"))
    return audit_note_sql;
  return NULL;
}

/* ============================================================= copies */

/* A copy's rows and audit log go in as they are (meso-store-transfer.c):
 * the audit triggers, and the log's guard, off for the copy's transaction
 * (ALTER TABLE is transactional here; the clinic's role owns the tables). */
static gboolean
set_audit_triggers (MesoStore  *self,
                    gboolean    enable,
                    GError    **error)
{
  const char *verb = enable ? "ENABLE" : "DISABLE";
  g_autoptr(GString) sql = g_string_new (NULL);

  g_string_append_printf (sql, "ALTER TABLE audit %1$s TRIGGER audit_no_change, "
                          "%1$s TRIGGER audit_no_truncate;", verb);
  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    g_string_append_printf (sql, "ALTER TABLE %1$s %2$s TRIGGER audit_%1$s;",
                            meso_store_audited_tables[i].table, verb);
  return meso_store_exec (self, sql->str, error);
}

/* A bulk load's way (PostgreSQL's "Populating a Database"): the foreign
 * keys and the indexes that are no constraint's go for the copy and come
 * back after it, each made or checked once over all the rows instead of
 * row by row (a third of the time of the demo's transfer). Their
 * definitions are read from the catalog, kept for the transaction. */
static const char keep_definitions_sql[] =
  "CREATE TEMPORARY TABLE mesodesk_copy_definitions ON COMMIT DROP AS "
  "SELECT format ('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS drop, "
  "  format ('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, "
  "    pg_get_constraintdef (oid)) AS make, 1 AS kind "
  "  FROM pg_constraint WHERE contype = 'f' "
  "  AND connamespace = current_schema ()::regnamespace "
  "UNION ALL "
  "SELECT format ('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef (i.indexrelid), 0 "
  "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
  "  WHERE c.relnamespace = current_schema ()::regnamespace "
  "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);"
  "DO $$ DECLARE d record; BEGIN"
  "  FOR d IN SELECT * FROM mesodesk_copy_definitions ORDER BY kind DESC LOOP"
  "    EXECUTE d.drop; END LOOP; END $$;";

static const char make_again_sql[] =
  "DO $$ DECLARE d record; BEGIN"
  "  FOR d IN SELECT * FROM mesodesk_copy_definitions ORDER BY kind LOOP"
  "    EXECUTE d.make; END LOOP; END $$;"
  "DROP TABLE mesodesk_copy_definitions;";

static gboolean
copy_begin (MesoStore  *self,
            GError    **error)
{
  return set_audit_triggers (self, FALSE, error) &&
         meso_store_exec (self, keep_definitions_sql, error);
}

/* The copied rows kept their ids; an identity counts on from the largest. */
static gboolean
copy_end (MesoStore  *self,
          GError    **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    if (g_strcmp0 (meso_store_audited_tables[i].row_id, "id") == 0)
      g_string_append_printf (sql, "SELECT setval (pg_get_serial_sequence ('%1$s', 'id'), "
                              "coalesce (max (id), 0) + 1, false) FROM %1$s;",
                              meso_store_audited_tables[i].table);
  g_string_append (sql, "SELECT setval (pg_get_serial_sequence ('audit', 'id'), "
                        "coalesce (max (id), 0) + 1, false) FROM audit;");
  return meso_store_exec (self, make_again_sql, error) &&
         meso_store_exec (self, sql->str, error) && set_audit_triggers (self, TRUE, error);
}

const MesoStoreProvider meso_store_postgresql_provider = {
  .engine = MESO_DB_ENGINE_POSTGRESQL,
  .open = postgresql_open,
  .check_version = read_version,
  .get_version = read_version,
  .schema_step = schema_step,
  .set_version = set_version,
  .dialect = dialect,
  .has_search = FALSE,
  .copy_begin = copy_begin,
  .copy_end = copy_end,
};
