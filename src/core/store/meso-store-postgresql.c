/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's PostgreSQL provider (issue 15): what the clinic's database
 * does that is PostgreSQL's own. Connecting (a server of version 15 or
 * later, the audit's actor as a setting of the connection), the schema's
 * DDL for each numbered migration (meso-store.c keeps their one list),
 * its plpgsql triggers, the exclusion constraints that guard practitioners'
 * and rooms' times, the version in a table of ours, and the statements the
 * logic runs differently here, the patient search's index of words, a
 * check of what the server's database must hold, and change notes
 * (LISTEN/NOTIFY). Not yet: backup and restore. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-db-postgresql.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* PostgreSQL 15: MERGE, and the oldest release still supported when issue
 * 15 was written. */
#define MIN_SERVER_VERSION 150000

/* Every committed change to the clinic's tables notifies this channel
 * (schema version 5); each connection listens. */
#define CHANGES_CHANNEL "mesodesk_changes"

/* ====================================================== connecting */

/* What every connection made runs first, again after one was lost: the
 * audit's actor, the other desks' changes heard, no JIT. */
static gboolean
setup_connection (MesoDb      *db,
                  const char  *actor,
                  GError     **error)
{
  g_autofree char *setup = NULL;
  PGconn *conn = meso_db_postgresql_handle (db);
  char *literal, *os_user, *host;

  /* Who (the signed-in person or the OS user), and the OS user and the
   * computer beside it (schema MESO_STORE_AUDIT_CHAIN_VERSION's columns). */
  literal = PQescapeLiteral (conn, actor, strlen (actor));
  os_user = PQescapeLiteral (conn, g_get_user_name (), strlen (g_get_user_name ()));
  host = PQescapeLiteral (conn, g_get_host_name (), strlen (g_get_host_name ()));
  if (literal != NULL && os_user != NULL && host != NULL)
    setup = g_strdup_printf ("SELECT set_config ('mesodesk.actor', %s, false), "
                             "set_config ('mesodesk.os_user', %s, false), "
                             "set_config ('mesodesk.host', %s, false); "
                             "LISTEN " CHANGES_CHANNEL "; SET jit = off",
                             literal, os_user, host);
  PQfreemem (literal);
  PQfreemem (os_user);
  PQfreemem (host);
  if (setup == NULL)
    {
      g_set_error_literal (error, MESO_DB_ERROR, MESO_DB_ERROR_FAILED, "escaping the actor");
      return FALSE;
    }
  return meso_db_postgresql_set_setup (db, setup, error);
}

static gboolean
set_actor (MesoStore   *self,
           const char  *actor,
           GError     **error)
{
  GError *cause = NULL;

  return setup_connection (meso_store_get_db (self), actor, &cause) ||
         meso_store_set_db_error (error, cause);
}

/* A superuser of the server holds the database (emergency access). */
static gboolean
holds_database (MesoStore  *self,
                gboolean   *holds,
                GError    **error)
{
  int super = 0;

  if (!meso_store_read_int (self, "SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles "
                            "WHERE rolname = current_user", &super, error))
    return FALSE;
  *holds = super != 0;
  return TRUE;
}

static MesoDb *
postgresql_open (const char  *location,
                 GError     **error)
{
  g_autoptr(GError) cause = NULL;
  MesoDb *db;
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
   * does: the OS user, for the whole connection; and the other desks'
   * changes are heard. No JIT compiling: the generic plans the server keeps
   * for prepared statements guess costs high enough to compile a search
   * (10-50 ms) that then runs in 3. Again on every connection made after
   * one was lost. */
  if (!setup_connection (db, g_get_user_name (), &cause))
    {
      meso_db_close (db);
      meso_store_set_db_error (error, g_steal_pointer (&cause));
      return NULL;
    }
  return db;
}

/* ============================================================ the schema */

/* The audit function's first part, in each version of it: the row's number
 * and its changes as JSON (an update's only what changed, as [old, new]). */
#define AUDIT_FUNCTION_CHANGES \
  "DECLARE\n" \
  "  old_row jsonb;\n" \
  "  new_row jsonb;\n" \
  "  row_id bigint := 0;\n" \
  "  changes json;\n" \
  "BEGIN\n" \
  "  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb (OLD); END IF;\n" \
  "  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb (NEW); END IF;\n" \
  "  IF TG_ARGV[0] <> '' THEN\n" \
  "    row_id := (coalesce (new_row, old_row) ->> TG_ARGV[0])::bigint;\n" \
  "  END IF;\n" \
  "  IF TG_OP = 'UPDATE' THEN\n" \
  "    SELECT json_object_agg (c, jsonb_build_array (old_row -> c, new_row -> c) ORDER BY n)\n" \
  "      INTO changes\n" \
  "      FROM unnest (string_to_array (TG_ARGV[1], ',')) WITH ORDINALITY AS t (c, n)\n" \
  "      WHERE (old_row -> c) IS DISTINCT FROM (new_row -> c);\n" \
  "    IF changes IS NULL THEN RETURN NULL; END IF;\n" \
  "  ELSE\n" \
  "    SELECT json_object_agg (c, coalesce (new_row, old_row) -> c ORDER BY n) INTO changes\n" \
  "      FROM unnest (string_to_array (TG_ARGV[1], ',')) WITH ORDINALITY AS t (c, n);\n" \
  "  END IF;\n"

/* The audit log's entries, written by one trigger function for every table
 * (TG_ARGV: the column that numbers a row, '' for none; the audited
 * columns, comma-separated): the same fields as SQLite's, an update naming
 * only what changed as [old, new]. Append-only, as on SQLite. */
static const char audit_functions[] =
  "CREATE FUNCTION mesodesk_audit () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  AUDIT_FUNCTION_CHANGES
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

/* SQLite's NOCASE: A–Z folded to a–z, every other character as it is, so
 * "Ärztin" and "ärztin" are two names there, and "Zed" sorts after "_x".
 * An ICU collation would fold and sort every script by the locale's rules:
 * the practitioners' and rooms' names are compared, made unique and sorted
 * by this key instead, a C-collated text, the same on every server. */
#define NOCASE(text) \
  "translate (" text ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

/* Version 1: the records and the audit log. Ids are BIGINT identities;
 * times (Unix seconds) BIGINT, flags and counts INTEGER, as SQLite stores
 * them, so every list reads the same values. Names sort and compare by
 * their bytes ("C"), as SQLite's do, whatever the server's locale; the
 * practitioners' and rooms' names are unique and found by NOCASE(), as
 * SQLite's NOCASE columns (the statements: dialect()). */
static const char schema_v1[] =
  /* Marks the database as ours (set_version()). */
  "CREATE TABLE mesodesk_meta ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  application_id BIGINT NOT NULL,"
  "  version INTEGER NOT NULL);"
  "CREATE TABLE settings ("
  "  key TEXT COLLATE \"C\" PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE practitioners ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(name)) > 0),"
  "  role TEXT NOT NULL CHECK (role IN ('clinician', 'receptionist')),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE UNIQUE INDEX practitioners_name ON practitioners ((" NOCASE ("name") "));"
  "CREATE TABLE rooms ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(name)) > 0),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE UNIQUE INDEX rooms_name ON rooms ((" NOCASE ("name") "));"
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

/* Version 4 (SQLite's search index made anew, knowing the archived): the
 * search index here is a table of words, each patient's folded in C
 * (meso_store_search_entry()) as SQLite's tokenizer folds them, so both
 * find the same; a prefix is a range of the C-collated words. Each patient
 * has a row '' besides, so the index's patients can be counted. A copy of
 * the archived flag lets a count read the words alone; a trigger keeps it.
 * Beside it, every patient under each distinct start (the first 1 to
 * SEARCH_PREFIX characters) of their words, with their sort key: a short
 * word's matches are one range of patient_prefixes_order, already in the
 * names' order, so a page is read and not sorted, and a longer word's are
 * in that range too. A trigger keeps the copies of the sort key and the
 * archived flag; no foreign key, as the index is made anew in one pass. */
#define SEARCH_PREFIX_LENGTH 3
#define SEARCH_PREFIX G_STRINGIFY (SEARCH_PREFIX_LENGTH)
#define WORDS_WORD_INDEX \
  "CREATE INDEX patient_words_word ON patient_words (word, archived, patient_id)"
#define PREFIXES_ORDER_INDEX \
  "CREATE INDEX patient_prefixes_order ON patient_prefixes (prefix, archived, sort_key, " \
  "patient_id)"
static const char schema_v4[] =
  "CREATE TABLE patient_words ("
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  word TEXT COLLATE \"C\" NOT NULL,"
  "  archived INTEGER NOT NULL,"
  "  PRIMARY KEY (patient_id, word));"
  WORDS_WORD_INDEX ";"
  "CREATE TABLE patient_prefixes ("
  "  patient_id BIGINT NOT NULL,"
  "  prefix TEXT COLLATE \"C\" NOT NULL,"
  "  archived INTEGER NOT NULL,"
  "  sort_key TEXT COLLATE \"C\" NOT NULL,"
  "  PRIMARY KEY (patient_id, prefix));"
  PREFIXES_ORDER_INDEX ";"
  /* A search reads a page or a count of them: starting parallel workers,
   * which the generic plans of its prepared statements ask for (they guess
   * a word's range at thousands of rows), took longer than the search. */
  "ALTER TABLE patient_words SET (parallel_workers = 0);"
  "ALTER TABLE patient_prefixes SET (parallel_workers = 0);"
  /* The names in the search's order, for the walk of everyone. */
  "CREATE INDEX patients_order ON patients (sort_key, id) WHERE archived = 0;"
  "CREATE FUNCTION mesodesk_patient_words_archived () RETURNS trigger LANGUAGE plpgsql AS $$"
  "  BEGIN UPDATE patient_words SET archived = NEW.archived WHERE patient_id = NEW.id"
  "  AND archived <> NEW.archived;"
  "  UPDATE patient_prefixes SET archived = NEW.archived, sort_key = NEW.sort_key"
  "  WHERE patient_id = NEW.id;"
  "  RETURN NULL; END $$;"
  "CREATE TRIGGER patient_words_archived AFTER UPDATE OF archived, sort_key ON patients"
  "  FOR EACH ROW WHEN (OLD.archived IS DISTINCT FROM NEW.archived"
  "  OR OLD.sort_key IS DISTINCT FROM NEW.sort_key)"
  "  EXECUTE FUNCTION mesodesk_patient_words_archived ();";

/* Version 5: each statement that changes a table the store writes notifies
 * the other desks when it commits (a transaction's notifications of one
 * table are sent once); the window reloads what it shows. */
static const char schema_v5[] =
  "CREATE FUNCTION mesodesk_notify () RETURNS trigger LANGUAGE plpgsql AS $$"
  "  BEGIN PERFORM pg_notify ('" CHANGES_CHANNEL "', TG_TABLE_NAME); RETURN NULL; END $$;";

/* Version 6: the aftercare lists read their indexes alone, as SQLite's
 * do (its courses are WITHOUT ROWID, so each index holds the area too). The
 * courses' indexes carry the area; the day's recent sessions (the
 * aftercare of the first days) are a range of sessions_at holding the
 * session's id, each with its patient from an index holding what the list
 * shows: without it the server hashed all 100 000 patients for a few
 * thousand sessions (50 ms where this takes 5). Their keys stay the
 * sections' orders and ranges; the other columns are INCLUDEd. */
static const char schema_v6[] =
  "DROP INDEX sessions_at;"
  "CREATE INDEX sessions_at ON sessions (at, patient_id, area) INCLUDE (id);"
  "CREATE INDEX patients_aftercare ON patients (id) INCLUDE (archived, sensitive_skin, name);"
  "DROP INDEX courses_moisturise, courses_due, courses_overdue;"
  "CREATE INDEX courses_moisturise ON courses (coalesce (next_at, last_at), patient_id,"
  "  last_session_id, closes_day) INCLUDE (last_at, next_at, area, name, sensitive_skin)"
  "  WHERE archived = 0;"
  "CREATE INDEX courses_due ON courses (closes_day, patient_id, last_session_id, opens_day)"
  "  INCLUDE (last_at, area, name, sensitive_skin)"
  "  WHERE recall = 'active' AND next_at IS NULL AND archived = 0;"
  "CREATE INDEX courses_overdue ON courses (last_at, patient_id, last_session_id, closes_day)"
  "  INCLUDE (opens_day, area, name, sensitive_skin)"
  "  WHERE recall = 'active' AND next_at IS NULL AND archived = 0;"
  /* The statistics of the new expression index's coalesce (). */
  "ANALYZE courses;";

/* Version 7: a page of the patient list reads each patient's next
 * appointment (MESO_STORE_PATIENT_PAGE_COLUMNS) from one index entry, the
 * duplicate check (meso_store_find_namesakes()) the patients of one name
 * from another; the search index is filled anew, with birth dates. */
static const char schema_v7[] =
  "CREATE INDEX appointments_next ON appointments (patient_id, start)"
  "  WHERE status IN ('booked', 'checked-in');"
  "CREATE INDEX patients_namesakes ON patients (sort_key);";

/* Version 8: the practitioners are the staff (issue 16), as SQLite's.
 * IF NOT EXISTS: a database set back to an older version number (as
 * store-engines' migration tests do) takes the step again. */
static const char schema_v8[] =
  "ALTER TABLE practitioners ADD COLUMN IF NOT EXISTS manager INTEGER NOT NULL DEFAULT 0,"
  "  ADD COLUMN IF NOT EXISTS password_hash TEXT,"
  "  ADD COLUMN IF NOT EXISTS failures INTEGER NOT NULL DEFAULT 0,"
  "  ADD COLUMN IF NOT EXISTS failed_at BIGINT NOT NULL DEFAULT 0;";

/* Version 9, MESO_STORE_SCHEMA_LOTS (issue 18): products and their lots, as SQLite's; a product's
 * name is unique by NOCASE(), as the practitioners' are. */
static const char schema_v9[] =
  "CREATE TABLE products ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(name)) > 0),"
  "  created_at BIGINT NOT NULL);"
  "CREATE UNIQUE INDEX products_name ON products ((" NOCASE ("name") "));"
  "CREATE TABLE lots ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  product_id BIGINT NOT NULL REFERENCES products (id),"
  "  number TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(number)) > 0),"
  "  expires_on TEXT COLLATE \"C\" NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  UNIQUE (product_id, number));"
  "CREATE INDEX lots_number ON lots (number);"
  "ALTER TABLE sessions ADD COLUMN lot_id BIGINT REFERENCES lots (id);"
  "CREATE INDEX sessions_lot ON sessions (lot_id, at) WHERE lot_id IS NOT NULL;";

/* Version 10 (MESO_STORE_AUDIT_CHAIN_VERSION): the audit log names the
 * system user and the computer (the connection's settings, as the actor),
 * and is chained (HACKING.md, "The audit log's chain"): each entry's place
 * and hash, written by the store as the transaction commits, the chain's
 * head in one row that the sealing transaction updates (so two desks
 * sealing at once cannot both commit: the second runs again). The guard
 * lets that seal through and nothing else. */
static const char schema_v10[] =
  "ALTER TABLE audit ADD COLUMN os_user TEXT, ADD COLUMN host TEXT, ADD COLUMN seq BIGINT,"
  "  ADD COLUMN hash TEXT;"
  "CREATE UNIQUE INDEX audit_seq ON audit (seq);"
  "CREATE TABLE audit_chain ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq BIGINT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "INSERT INTO audit_chain (id, seq, hash) VALUES (1, 0, '');"
  "CREATE OR REPLACE FUNCTION mesodesk_audit () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  AUDIT_FUNCTION_CHANGES
  "  INSERT INTO audit (at, actor, os_user, host, tbl, row_id, action, changes) VALUES (\n"
  "    to_char (statement_timestamp () AT TIME ZONE 'UTC',\n"
  "             'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),\n"
  "    coalesce (nullif (current_setting ('mesodesk.actor', true), ''), session_user),\n"
  "    nullif (current_setting ('mesodesk.os_user', true), ''),\n"
  "    nullif (current_setting ('mesodesk.host', true), ''),\n"
  "    TG_TABLE_NAME, row_id, lower (TG_OP), changes::text);\n"
  "  RETURN NULL;\n"
  "END $$;\n"
  "CREATE OR REPLACE FUNCTION mesodesk_audit_append_only () RETURNS trigger\n"
  "  LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  IF TG_OP = 'UPDATE' THEN\n"
  "    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL AND\n"
  "       (NEW.id, NEW.at, NEW.actor, NEW.os_user, NEW.host, NEW.tbl, NEW.row_id, NEW.action,\n"
  "        NEW.changes) IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.os_user,\n"
  "        OLD.host, OLD.tbl, OLD.row_id, OLD.action, OLD.changes) THEN\n"
  "      RETURN NEW;\n"
  "    END IF;\n"
  "  END IF;\n"
  "  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';\n"
  "END $$;\n";

/* Version 11, MESO_STORE_SCHEMA_CONSENT (issue 18, R8): consent forms,
 * their texts' versions and the patients' consents, as SQLite's; a form's
 * name is unique by NOCASE(). The trigger lets a signed consent change once,
 * to be revoked, and nothing else. */
static const char schema_v11[] =
  "CREATE TABLE consent_forms ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  name TEXT COLLATE \"C\" NOT NULL CHECK (length(trim(name)) > 0),"
  "  created_at BIGINT NOT NULL);"
  "CREATE UNIQUE INDEX consent_forms_name ON consent_forms ((" NOCASE ("name") "));"
  "CREATE TABLE consent_texts ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  form_id BIGINT NOT NULL REFERENCES consent_forms (id),"
  "  language TEXT COLLATE \"C\" NOT NULL CHECK (length(language) > 0),"
  "  version BIGINT NOT NULL CHECK (version > 0),"
  "  body TEXT NOT NULL CHECK (length(trim(body)) > 0),"
  "  created_by TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  UNIQUE (form_id, language, version));"
  "CREATE TABLE consents ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id BIGINT NOT NULL REFERENCES patients (id),"
  "  text_id BIGINT NOT NULL REFERENCES consent_texts (id),"
  "  signed_on TEXT COLLATE \"C\" NOT NULL,"
  "  method TEXT COLLATE \"C\" NOT NULL CHECK (method IN ('screen', 'paper')),"
  "  signature TEXT,"
  "  taken_by TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  revoked_on TEXT COLLATE \"C\","
  "  revoke_reason TEXT,"
  "  revoked_by TEXT,"
  "  CHECK ((method = 'screen') = (signature IS NOT NULL)),"
  "  CHECK ((revoked_on IS NULL) = (revoke_reason IS NULL) AND"
  "         (revoked_on IS NULL) = (revoked_by IS NULL)));"
  "CREATE INDEX consents_patient ON consents (patient_id, signed_on);"
  "CREATE FUNCTION mesodesk_consent_texts_kept () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  RAISE EXCEPTION 'a consent form''s version is never changed'\n"
  "    USING ERRCODE = 'integrity_constraint_violation';\n"
  "END $$;\n"
  "CREATE TRIGGER consent_texts_kept BEFORE UPDATE ON consent_texts FOR EACH ROW "
  "  EXECUTE FUNCTION mesodesk_consent_texts_kept ();"
  "CREATE FUNCTION mesodesk_consent_signed () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  IF OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL AND\n"
  "     (NEW.id, NEW.patient_id, NEW.text_id, NEW.signed_on, NEW.method, NEW.signature,\n"
  "      NEW.taken_by, NEW.created_at) IS NOT DISTINCT FROM (OLD.id, OLD.patient_id,\n"
  "      OLD.text_id, OLD.signed_on, OLD.method, OLD.signature, OLD.taken_by,\n"
  "      OLD.created_at) THEN\n"
  "    RETURN NEW;\n"
  "  END IF;\n"
  "  RAISE EXCEPTION 'a signed consent cannot be edited, only revoked'\n"
  "    USING ERRCODE = 'integrity_constraint_violation';\n"
  "END $$;\n"
  "CREATE TRIGGER consents_signed BEFORE UPDATE ON consents FOR EACH ROW "
  "  EXECUTE FUNCTION mesodesk_consent_signed ();";
/* Version 12 (MESO_STORE_SCHEMA_PHOTOS): before/after photos, as SQLite's.
 * The bytes are TOASTed out of line and never compressed (JPEG and PNG
 * are already): a list selects the thumbnail alone and never reads an
 * image's chunks. */
static const char schema_v12[] =
  "CREATE TABLE photos ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  session_id BIGINT NOT NULL REFERENCES sessions (id),"
  "  kind TEXT COLLATE \"C\" NOT NULL CHECK (kind IN ('before', 'during', 'after')),"
  "  area TEXT COLLATE \"C\" NOT NULL,"
  "  taken_at BIGINT NOT NULL,"
  "  width INTEGER NOT NULL CHECK (width > 0),"
  "  height INTEGER NOT NULL CHECK (height > 0),"
  "  format TEXT COLLATE \"C\" NOT NULL CHECK (format IN ('jpeg', 'png')),"
  "  added_by TEXT NOT NULL,"
  "  added_at BIGINT NOT NULL);"
  "CREATE INDEX photos_session ON photos (session_id, id);"
  "CREATE TABLE photo_data ("
  "  photo_id BIGINT PRIMARY KEY REFERENCES photos (id) ON DELETE CASCADE,"
  "  thumbnail BYTEA NOT NULL,"
  "  image BYTEA NOT NULL);"
  "ALTER TABLE photo_data ALTER COLUMN thumbnail SET STORAGE EXTERNAL,"
  "  ALTER COLUMN image SET STORAGE EXTERNAL;";

static gboolean
create_notify_trigger (MesoStore   *self,
                       const char  *table,
                       GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("CREATE TRIGGER notify_%s AFTER INSERT OR UPDATE OR "
                                          "DELETE OR TRUNCATE ON %s FOR EACH STATEMENT "
                                          "EXECUTE FUNCTION mesodesk_notify ()", table, table);

  return meso_store_exec (self, sql, error);
}

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
  static const char *const schemas[] = { schema_v1, schema_v2, schema_v3, schema_v4,
                                         schema_v5, schema_v6, schema_v7, schema_v8, schema_v9,
                                         schema_v10, schema_v11, schema_v12 };

  G_STATIC_ASSERT (G_N_ELEMENTS (schemas) == MESO_STORE_SCHEMA_VERSION);
  g_return_val_if_fail (version >= 1 && version <= MESO_STORE_SCHEMA_VERSION, FALSE);

  if (version == 1 && !create_btree_gist (self, error))
    return FALSE;
  if (*schemas[version - 1] != '\0' && !meso_store_exec (self, schemas[version - 1], error))
    return FALSE;
  if (version == 1 && !meso_store_exec (self, audit_functions, error))
    return FALSE;
  /* The shipped consent texts before the tables' audit triggers. */
  if (version == MESO_STORE_SCHEMA_CONSENT && !meso_store_fill_consent_forms (self, error))
    return FALSE;
  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    {
      const MesoAuditedTable *t = &meso_store_audited_tables[i];
      g_autofree char *sql = NULL;

      /* The audited tables are every table the store writes but the
       * derived courses: each notifies from version 5 on. */
      if ((version == 5 && t->since <= 5) ||
          (version > 5 && MESO_AUDITED_SINCE (t, version)))
        if (!create_notify_trigger (self, t->table, error))
          return FALSE;
      if (!MESO_AUDITED_SINCE (t, version))
        continue;
      sql = audit_trigger_sql (t);
      if (!meso_store_exec (self, sql, error))
        return FALSE;
    }
  return version != 5 || create_notify_trigger (self, "courses", error);
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

/* ======================================================== locations */

/* @keyword's value in libpq's reading of @options, or NULL. */
static const char *
option_value (const PQconninfoOption *options,
              const char             *keyword)
{
  for (const PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword))
      return o->val != NULL && *o->val != '\0' ? o->val : NULL;
  return NULL;
}

/* The loopback's names: a receptionist knows no "localhost". */
static gboolean
is_this_computer (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "127.0.0.1") ||
         g_str_equal (host, "::1");
}

char *
meso_store_postgresql_describe (const char *location)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  const char *host, *database, *service;
  char *text;

  /* Only the host and the database: never the user, the password or an
   * option, and nothing libpq would read from a service file. */
  host = option_value (options, "host");
  if (host == NULL)
    host = option_value (options, "hostaddr");
  database = option_value (options, "dbname");
  service = option_value (options, "service");
  if (host == NULL && service == NULL)
    host = g_getenv ("PGHOST");
  if (database == NULL && service == NULL)
    database = g_getenv ("PGDATABASE");

  if (host == NULL && database == NULL && service != NULL)
    /* Translators: where the window is connected; %s is a name from the
     * clinic's pg_service.conf */
    text = g_strdup_printf (_("clinic server “%s”"), service);
  else if (host == NULL || host[0] == '/' || host[0] == '@' || is_this_computer (host))
    /* A socket's folder, no host at all, or the loopback: the server on this
     * computer, which a receptionist knows by the clinic's name only.
     * Translators: where the window is connected, for a clinic server on this
     * same computer; %s is the database's name. Read after “the”, as in
     * “Now: the clinic “mesodesk” (server on this computer).” */
    text = g_strdup_printf (_("clinic “%s” (server on this computer)"),
                            database != NULL ? database : g_get_user_name ());
  else
    /* Translators: where the window is connected; the first %s is the
     * server's host name, the second the database's name */
    text = g_strdup_printf (_("clinic on %s / %s"), host,
                            database != NULL ? database : g_get_user_name ());
  PQconninfoFree (options);
  return text;
}

static void
append_word (GString    *out,
             const char *keyword,
             const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  /* libpq's conninfo quoting: single quotes, a backslash before ' and \. */
  g_string_append_printf (out, "%s%s='", out->len > 0 ? " " : "", keyword);
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\'' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '\'');
}

char *
meso_store_server_location (const char *host,
                            guint       port,
                            const char *database,
                            const char *user,
                            const char *tls,
                            const char *ca_file,
                            const char *password)
{
  GString *out = g_string_new (NULL);
  g_autofree char *port_text = port > 0 ? g_strdup_printf ("%u", port) : NULL;

  append_word (out, "host", host);
  append_word (out, "port", port_text);
  append_word (out, "dbname", database);
  append_word (out, "user", user);
  append_word (out, "sslmode", tls);
  append_word (out, "sslrootcert", ca_file);
  append_word (out, "password", password);
  /* No word at all would not read as a server's location: libpq's defaults. */
  if (out->len == 0)
    append_word (out, "dbname", g_get_user_name ());
  return g_string_free (out, FALSE);
}

/* ======================================================== the search */

/* Rows of patients' words per INSERT, as arrays. */
#define INDEX_BATCH 5000

static gboolean
insert_words (MesoStore  *self,
              GString    *ids,
              GString    *words,
              GString    *archived,
              GError    **error)
{
  MesoDbStmt *stmt;

  if (ids->len == 0)
    return TRUE;
  stmt = meso_store_prepare (self,
                             "INSERT INTO patient_words (patient_id, word, archived) "
                             "SELECT * FROM unnest (CAST(?1 AS BIGINT[]), CAST(?2 AS TEXT[]), "
                             "CAST(?3 AS INTEGER[]))",
                             error);
  if (stmt == NULL)
    return FALSE;
  g_string_append_c (ids, '}');
  g_string_append_c (words, '}');
  g_string_append_c (archived, '}');
  meso_db_bind_text (stmt, 1, ids->str);
  meso_db_bind_text (stmt, 2, words->str);
  meso_db_bind_text (stmt, 3, archived->str);
  g_string_truncate (ids, 0);
  g_string_truncate (words, 0);
  g_string_truncate (archived, 0);
  return meso_store_step_done (self, stmt, error);
}

static void
add_word (GString    *ids,
          GString    *words,
          GString    *archived,
          gint64      id,
          const char *word,
          int         is_archived)
{
  /* A word holds letters, digits and marks only: quoted, it needs no
   * escapes (and "null" stays a word). */
  g_string_append_printf (ids, "%c%" G_GINT64_FORMAT, ids->len ? ',' : '{', id);
  g_string_append_printf (words, "%c\"%s\"", words->len ? ',' : '{', word);
  g_string_append_printf (archived, "%c%d", archived->len ? ',' : '{', is_archived);
}

/* Runs @sql, whose ?1 and ?2 are the first and last patient's ids. */
static gboolean
exec_for_patients (MesoStore   *self,
                   const char  *sql,
                   gint64       low,
                   gint64       high,
                   GError     **error)
{
  MesoDbStmt *stmt = meso_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, low);
  meso_db_bind_int64 (stmt, 2, high);
  return meso_store_step_done (self, stmt, error);
}

/* Patients @low to @high under each start of their words, from the words
 * just written. */
static const char index_prefixes_sql[] =
  "INSERT INTO patient_prefixes (patient_id, prefix, archived, sort_key) "
  "SELECT DISTINCT w.patient_id, left (w.word, n), p.archived, p.sort_key "
  "FROM patient_words w JOIN patients p ON p.id = w.patient_id "
  "CROSS JOIN generate_series (1, " SEARCH_PREFIX ") AS n "
  "WHERE w.patient_id BETWEEN ?1 AND ?2 AND length (w.word) >= n";

static gboolean index_words (MesoStore  *self,
                             gint64      low,
                             gint64      high,
                             GError    **error);

static gboolean
index_patients (MesoStore  *self,
                gint64      id,
                GError    **error)
{
  gint64 low = id == 0 ? G_MININT64 : id, high = id == 0 ? G_MAXINT64 : id;

  /* Everyone's: the indexes made after their rows, sorted in one pass, not
   * kept up row by row (minutes on 100 000 patients). */
  if (id == 0)
    return meso_store_exec (self, "TRUNCATE patient_words, patient_prefixes; "
                            "DROP INDEX patient_words_word, patient_prefixes_order; "
                            "ALTER TABLE patient_words DROP CONSTRAINT patient_words_pkey; "
                            "ALTER TABLE patient_prefixes "
                            "DROP CONSTRAINT patient_prefixes_pkey", error) &&
           index_words (self, low, high, error) &&
           meso_store_exec (self, "ALTER TABLE patient_words ADD PRIMARY KEY (patient_id, word); "
                            WORDS_WORD_INDEX "; "
                            "ALTER TABLE patient_prefixes ADD PRIMARY KEY (patient_id, "
                            "prefix); " PREFIXES_ORDER_INDEX, error);
  return exec_for_patients (self, "DELETE FROM patient_words WHERE patient_id BETWEEN ?1 AND ?2",
                            low, high, error) &&
         exec_for_patients (self, "DELETE FROM patient_prefixes "
                            "WHERE patient_id BETWEEN ?1 AND ?2", low, high, error) &&
         index_words (self, low, high, error);
}

/* Writes the entries of patients @low to @high, whose old ones are gone. */
static gboolean
index_words (MesoStore  *self,
             gint64      low,
             gint64      high,
             GError    **error)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(GString) archived = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  guint n_rows = 0;
  MesoDbStmt *stmt;


  stmt = meso_store_prepare (self,
                             "SELECT id, name, phone, email, archived, birth_date FROM patients "
                             "WHERE id BETWEEN ?1 AND ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, low);
  meso_db_bind_int64 (stmt, 2, high);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      gint64 patient = meso_db_column_int64 (stmt, 0);
      int is_archived = meso_db_column_int (stmt, 4);
      g_autoptr(GPtrArray) entry = meso_store_search_entry (meso_db_column_text (stmt, 1),
                                                            meso_db_column_text (stmt, 2),
                                                            meso_db_column_text (stmt, 3),
                                                            meso_db_column_text (stmt, 5));

      add_word (ids, words, archived, patient, "", is_archived);
      for (guint i = 0; i < entry->len; i++)
        add_word (ids, words, archived, patient, entry->pdata[i], is_archived);
      n_rows += entry->len + 1;
      /* The driver reads the patients left into memory first. */
      if (n_rows >= INDEX_BATCH)
        {
          n_rows = 0;
          if (!insert_words (self, ids, words, archived, error))
            {
              meso_db_reset (stmt);
              return FALSE;
            }
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return insert_words (self, ids, words, archived, error) &&
         exec_for_patients (self, index_prefixes_sql, low, high, error);
}

/* A search's words as ranges of the C-collated words: ?6 the first word
 * (the one matching fewest, order_search()), which the matches are read
 * from; ?7 the start of the second (of the first, alone), whose range of
 * patient_prefixes the walk merges with ?6's; ?8 the others and ?9 all of
 * them, each probed per patient, ?10 the others the merge leaves to probe;
 * ?5 whether the archived count. */
static void
bind_search (MesoDbStmt           *stmt,
             const MesoSearchText *search)
{
  g_autoptr(GString) others = g_string_new ("{");
  g_autoptr(GString) all = g_string_new ("{");
  g_autoptr(GString) unmerged = g_string_new ("{");
  g_autofree char *second = NULL;

  if (search->words->len > 0)
    second = g_utf8_substring (search->words->pdata[MIN (search->words->len, 2) - 1], 0,
                               SEARCH_PREFIX_LENGTH);
  for (guint i = 0; i < search->words->len; i++)
    {
      const char *word = search->words->pdata[i];

      if (i > 0)
        g_string_append_printf (others, "%s\"%s\"", i > 1 ? "," : "", word);
      /* The merge with ?7's range has found the second word's patients
       * already where the word is its start. */
      if (i > 0 && !(i == 1 && g_str_equal (word, second)))
        g_string_append_printf (unmerged, "%s\"%s\"", unmerged->len > 1 ? "," : "", word);
      g_string_append_printf (all, "%s\"%s\"", i > 0 ? "," : "", word);
    }
  g_string_append_c (others, '}');
  g_string_append_c (all, '}');
  g_string_append_c (unmerged, '}');
  meso_db_bind_int64 (stmt, 5, search->include_archived ? 1 : 0);
  meso_db_bind_text (stmt, 6, search->words->len > 0 ? search->words->pdata[0] : "");
  meso_db_bind_text (stmt, 7, second != NULL ? second : "");
  meso_db_bind_text (stmt, 8, others->str);
  meso_db_bind_text (stmt, 9, all->str);
  meso_db_bind_text (stmt, 10, unmerged->str);
}

#define PATIENT_COLUMNS MESO_STORE_PATIENT_COLUMNS
/* Words from @w up to the last one that starts with @w. */
#define WORD_PREFIX(column, w) \
  column " >= " w " AND " column " < " w " || chr (1114111)"

/* How many patients' words each word of ?9 starts, counted in its range of
 * the words' index up to SEARCH_ORDER_CAP (past it, a word is as good a
 * start as the longest). */
#define SEARCH_ORDER_CAP 2000
static const char search_order_sql[] =
  "SELECT (SELECT count(*) FROM (SELECT 1 FROM patient_words o WHERE "
  WORD_PREFIX ("o.word", "q.w") " AND (CAST(?5 AS INTEGER) <> 0 OR o.archived = 0) "
  "LIMIT " G_STRINGIFY (SEARCH_ORDER_CAP) ") AS c) "
  "FROM unnest (CAST(?9 AS TEXT[])) WITH ORDINALITY AS q (w, i) ORDER BY q.i";

typedef struct
{
  char   *word;
  gint64  matches;
  guint   position;
} SearchWord;

static int
compare_fewest_first (gconstpointer a,
                      gconstpointer b)
{
  const SearchWord *x = a, *y = b;

  if (x->matches != y->matches)
    return x->matches < y->matches ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

/* The statements start from ?6's matches, merge them with ?7's start's
 * and probe the others' per patient: the rarest words first read fewest
 * ("Hu Ja" read every "Hu" where "Ja" had a tenth as many). A word's
 * count is its range in the words' index, read no further than the cap: a
 * fraction of a millisecond. Equals keep their order (the longest
 * first). */
static void
order_search (MesoStore      *self,
              MesoSearchText *search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (SearchWord));
  MesoDbStmt *stmt = meso_store_prepare (self, search_order_sql, &error);

  if (stmt == NULL)
    {
      g_debug ("The search's words keep their order: %s", error->message);
      return;
    }
  bind_search (stmt, search);
  while (meso_store_step_row (self, stmt, &error))
    {
      SearchWord word = { NULL, meso_db_column_int64 (stmt, 0), words->len };

      g_array_append_val (words, word);
    }
  if (error != NULL || words->len != search->words->len)
    {
      g_debug ("The search's words keep their order: %s",
               error != NULL ? error->message : "a count per word");
      return;
    }
  for (guint i = 0; i < words->len; i++)
    g_array_index (words, SearchWord, i).word = search->words->pdata[i];
  g_array_sort (words, compare_fewest_first);
  for (guint i = 0; i < words->len; i++)
    search->words->pdata[i] = g_array_index (words, SearchWord, i).word;
}

/* Whether each word of @words starts a word of patient @id. */
#define HAS_WORDS(id, words) \
  "NOT EXISTS (SELECT 1 FROM unnest (CAST(" words " AS TEXT[])) AS q (w) WHERE NOT EXISTS " \
  "(SELECT 1 FROM patient_words o WHERE o.patient_id = " id " AND " \
  WORD_PREFIX ("o.word", "q.w") "))"
#define FIRST_WORD(w) WORD_PREFIX ("w.word", "CAST(?6 AS TEXT)")

/* The sort: the first word's matches, each patient looked up by id (the
 * OFFSET 0 keeps the planner, which cannot tell a range of words from the
 * text bound, from reading every patient to join them), the others probed;
 * counted as they are sorted (MESO_STORE_PAGE_TOTAL_COLUMN, after the next
 * appointment, which the server looks up for the page's rows alone). */
static const char search_sql[] =
  "SELECT " MESO_STORE_PATIENT_PAGE_COLUMNS ("p") ", count(*) OVER () FROM "
  "(SELECT DISTINCT w.patient_id FROM patient_words w "
  "WHERE " FIRST_WORD (w) " AND (CAST(?5 AS INTEGER) <> 0 OR w.archived = 0)) AS m "
  "CROSS JOIN LATERAL (SELECT " PATIENT_COLUMNS ", sort_key FROM patients "
  "WHERE id = m.patient_id OFFSET 0) AS p WHERE " HAS_WORDS ("m.patient_id", "?8") " "
  "ORDER BY p.sort_key, p.id LIMIT ?3 OFFSET ?4";

/* The first word's start, whose patients patient_prefixes holds in the
 * names' order; a longer word's patients are found among them. */
#define FIRST_PREFIX "left (CAST(?6 AS TEXT), " SEARCH_PREFIX ")"
#define FIRST_WORD_IS_PREFIX "length (CAST(?6 AS TEXT)) <= " SEARCH_PREFIX
/* Whether patient @id has the first word, where it is longer than its
 * start. */
#define HAS_FIRST_WORD(id) \
  "(" FIRST_WORD_IS_PREFIX " OR EXISTS (SELECT 1 FROM patient_words o WHERE o.patient_id = " \
  id " AND " WORD_PREFIX ("o.word", "CAST(?6 AS TEXT)") "))"

/* The walk by the names: the first word's start's range of
 * patient_prefixes_order is in the page's order, and so is the second's
 * (?7; the first's again when it is alone): their merge (an index-only
 * read of each, as long as the page needs) holds the patients with both,
 * so a rare pair of common words ("Le Lo") is read as two ranges, not
 * probed patient by patient; the page is its first rows that have the
 * words, read and not sorted. */
#define PREFIXES_MERGED(x, y) \
  "patient_prefixes " x " JOIN patient_prefixes " y " ON " y ".prefix = CAST(?7 AS TEXT) " \
  "AND " y ".archived = " x ".archived AND " y ".sort_key = " x ".sort_key AND " \
  y ".patient_id = " x ".patient_id"
static const char search_names_in_sql[] =
  "SELECT " MESO_STORE_PATIENT_PAGE_COLUMNS ("p") " FROM patients p "
  "JOIN (SELECT x.patient_id, x.sort_key "
  "FROM " PREFIXES_MERGED ("x", "y") " WHERE x.prefix = " FIRST_PREFIX " AND x.archived = 0 "
  "AND " HAS_FIRST_WORD ("x.patient_id") " AND " HAS_WORDS ("x.patient_id", "?10") " "
  "ORDER BY x.sort_key, x.patient_id LIMIT ?3 OFFSET ?4) AS m ON p.id = m.patient_id "
  "ORDER BY m.sort_key, m.patient_id";

/* The server's own threshold: the walk reads the first word's start's
 * patients until the page's end, so it is quick where the first word's
 * matches are many (and exact for a word no longer than its start); the
 * sort, where they are few: past SEARCH_WALK_MIN_MATCHES per page of ?3 rows,
 * counted in the first word's rows that have the others (the walk reads
 * its start's range to the end for a rare pair), the walk (measured on the
 * 100 000 demo patients with bench/meso-bench.c). A word no longer than its
 * start is not counted at all (a one-time filter: the count, 12 ms for
 * "Le Lo", was made and then not needed). */
#define SEARCH_WALK_MIN_MATCHES "300"
static const char search_plan_sql[] =
  "SELECT " FIRST_WORD_IS_PREFIX " OR count(*) > (CAST(?4 AS BIGINT) + ?3) * "
  SEARCH_WALK_MIN_MATCHES " / ?3 FROM "
  "(SELECT 1 FROM patient_words w WHERE NOT " FIRST_WORD_IS_PREFIX " AND " FIRST_WORD (w) " AND "
  "w.archived = 0 AND " HAS_WORDS ("w.patient_id", "?8") " "
  "LIMIT (CAST(?4 AS BIGINT) + ?3) * " SEARCH_WALK_MIN_MATCHES " / ?3 + 1) AS m";

/* A word no longer than its start: its patients, once each, are one range
 * of patient_prefixes, read in the index; a longer one: its words' range.
 * Two words or more: the merge of the first two's starts' ranges, as the
 * walk reads them, the rest probed. */
static const char search_count_sql[] =
  "SELECT CASE WHEN cardinality (CAST(?9 AS TEXT[])) > 1 THEN (SELECT count(*) FROM "
  PREFIXES_MERGED ("x", "y") " WHERE x.prefix = " FIRST_PREFIX " AND "
  "(CAST(?5 AS INTEGER) <> 0 OR x.archived = 0) AND " HAS_FIRST_WORD ("x.patient_id") " AND "
  HAS_WORDS ("x.patient_id", "?10") ") "
  "WHEN " FIRST_WORD_IS_PREFIX " THEN (SELECT count(*) FROM patient_prefixes x "
  "WHERE x.prefix = CAST(?6 AS TEXT) AND (CAST(?5 AS INTEGER) <> 0 OR x.archived = 0)) "
  "ELSE (SELECT count(DISTINCT w.patient_id) "
  "FROM patient_words w WHERE " FIRST_WORD (w) " AND (CAST(?5 AS INTEGER) <> 0 "
  "OR w.archived = 0)) END";

/* ============================================================ the check */

/* Adds @problem to @problems unless @sql's count is @expected. */
static gboolean
check_count (MesoStore   *self,
             const char  *sql,
             int          expected,
             const char  *problem,
             GString     *problems,
             GError     **error)
{
  int n = 0;

  if (!meso_store_read_int (self, sql, &n, error))
    return FALSE;
  if (n != expected)
    g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", problem);
  return TRUE;
}

/* What makes the database Mesodesk's beyond its tables: the schema's
 * version, the audit's triggers, the exclusion constraints, and a search
 * index holding every patient with the archived flag they have. */
static gboolean
check (MesoStore  *self,
       GError    **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  int version = 0;

  if (!read_version (self, &version, error))
    return FALSE;
  if (version != MESO_STORE_SCHEMA_VERSION)
    /* Translators: a part of “The clinic server’s database is not as Mesodesk made it (%s)” */
    g_string_append_printf (problems, _("schema version %d, not %d"), version,
                            MESO_STORE_SCHEMA_VERSION);

  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    {
      const char *table = meso_store_audited_tables[i].table;
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_catalog.pg_trigger "
                                              "WHERE tgname = 'audit_%s' AND tgrelid = "
                                              "to_regclass ('%s') AND tgenabled <> 'D'",
                                              table, table);
      /* Translators: %s is a table's name */
      g_autofree char *problem = g_strdup_printf (_("no audit of the table “%s”"), table);

      if (!check_count (self, sql, 1, problem, problems, error))
        return FALSE;
    }
  if (!check_count (self,
                    "SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid = "
                    "to_regclass ('audit') AND tgname IN ('audit_no_change', "
                    "'audit_no_truncate') AND tgenabled <> 'D'",
                    2, _("the audit log may be changed"), problems, error) ||
      !check_count (self,
                    "SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype = 'x' "
                    "AND conrelid = to_regclass ('appointments') AND conname IN "
                    "('appointments_practitioner_free', 'appointments_room_free') "
                    "AND convalidated",
                    2, _("practitioners or rooms may be booked twice"), problems, error) ||
      !check_count (self,
                    "SELECT (SELECT count(*) FROM patients) - (SELECT count(*) "
                    "FROM patient_words w JOIN patients p ON p.id = w.patient_id "
                    "WHERE w.word = '' AND w.archived = p.archived)",
                    0, _("the patient search misses patients"), problems, error) ||
      !check_count (self,
                    "SELECT count(*) FROM patient_prefixes x JOIN patients p "
                    "ON p.id = x.patient_id WHERE x.archived <> p.archived "
                    "OR x.sort_key <> p.sort_key",
                    0, _("the patient search misses patients"), problems, error))
    return FALSE;

  if (problems->len > 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("The clinic server’s database is not as Mesodesk made it (%s). Ask "
                     "the server’s administrator to restore it from a backup."),
                   problems->str);
      return FALSE;
    }
  return TRUE;
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

/* The practitioners' and rooms' statements by name (SQLite's: "name = ?1"
 * and "ORDER BY name" over a NOCASE column), through the unique index on
 * NOCASE (name). */
#define NAME_IS(column) NOCASE (column) " = " NOCASE ("CAST(?1 AS TEXT)")
#define BY_NAME " ORDER BY " NOCASE ("name")
#define NAMES(table, columns) "SELECT " columns " FROM " table
#define RESOURCE_STATEMENTS(kind, table, columns, uses) \
  { kind "-names", NAMES (table, "name") " WHERE active <> 0" BY_NAME }, \
  { kind "-entries", NAMES (table, columns) BY_NAME }, \
  { kind "-id", "SELECT id FROM " table " WHERE " NAME_IS ("name") " AND active <> 0" }, \
  { kind "-active", "UPDATE " table " SET active = ?2 WHERE " NAME_IS ("name") }, \
  { kind "-rename", "UPDATE " table " SET name = ?2 WHERE " NAME_IS ("name") }, \
  { kind "-uses", "SELECT " uses " FROM " table " t WHERE " NAME_IS ("t.name") }, \
  { kind "-remove", "DELETE FROM " table " WHERE " NAME_IS ("name") }

/* A page of everyone not archived, far down the list (a scroll jump): the
 * page's ids first, from the names' index alone, then their rows. Read
 * with the rows, OFFSET fetched every row it skipped from the table: 19 ms
 * against 6 at the middle of the 100 000-patient demo. */
static const char everyone_page_sql[] =
  "SELECT " MESO_STORE_PATIENT_PAGE_COLUMNS ("patients") " FROM patients WHERE id IN "
  "(SELECT id FROM patients WHERE archived = 0 ORDER BY sort_key, id LIMIT ?3 OFFSET ?4) "
  "ORDER BY sort_key, id";

/* The same after a patient's place (a scroll jump from a page read):
 * the ids from the names' index alone, as above. */
static const char everyone_after_sql[] =
  "SELECT " MESO_STORE_PATIENT_PAGE_COLUMNS ("patients") " FROM patients WHERE id IN "
  "(SELECT id FROM patients WHERE archived = 0 "
  "AND (sort_key, id) > ((SELECT sort_key FROM patients WHERE id = ?1), ?1) "
  "ORDER BY sort_key, id LIMIT ?3 OFFSET ?4) "
  "ORDER BY sort_key, id";

/* An audit entry the logic writes (a restore): json_build_object for
 * SQLite's json_object. */
static const char audit_note_sql[] =
  "INSERT INTO audit (at, actor, os_user, host, tbl, row_id, action, changes) "
  "VALUES (?1, ?2, ?2, ?6, ?3, 0, ?4, json_build_object ('what', CAST(?5 AS TEXT))::text)";

/* Today's aftercare of the first days (meso-store-reminders.c): without
 * SQLite's unary plus on archived, which the server reads as an
 * expression it knows nothing of (a patient in 200 kept) and so walked
 * every patient's sessions instead of the day's few. Each session's
 * patient is looked up by key (the LATERAL … LIMIT 1 is not flattened):
 * joined, the server chose to merge the day's 2 000 sessions with all
 * 100 000 patients in key order, 66 ms where the lookups take 13. */
static const char reminders_recent_sql[] =
  "SELECT p.id, p.name, p.sensitive_skin, s.area, s.id, s.at, p.phone, "
  "(SELECT c.next_at FROM courses c WHERE c.patient_id = s.patient_id AND c.area = s.area) "
  "FROM sessions s CROSS JOIN LATERAL (SELECT id, name, sensitive_skin, phone FROM patients "
  "WHERE id = s.patient_id AND archived = 0 LIMIT 1) p "
  "WHERE s.at >= ?6 AND s.at < ?3";

static const char *
dialect (const char *name)
{
  static const char *const named[][2] = {
    RESOURCE_STATEMENTS ("practitioner", "practitioners", "name, active, role",
                         "(SELECT count(*) FROM appointments WHERE practitioner_id = t.id) + "
                         "(SELECT count(*) FROM sessions WHERE practitioner_id = t.id)"),
    RESOURCE_STATEMENTS ("room", "rooms", "name, active, NULL",
                         "(SELECT count(*) FROM appointments WHERE room_id = t.id)"),
    { "clinician-names",
      NAMES ("practitioners", "name") " WHERE active <> 0 AND role = 'clinician'" BY_NAME },
    { "staff-by-name",
      "SELECT id, name, password_hash, active, failures, failed_at, role, manager "
      "FROM practitioners WHERE " NAME_IS ("name") },
    { "staff-entries",
      "SELECT name, role, manager, active, CASE WHEN password_hash IS NOT NULL THEN 1 ELSE 0 "
      "END FROM practitioners" BY_NAME },
    { "sign-in-names",
      NAMES ("practitioners", "name") " WHERE password_hash IS NOT NULL AND active <> 0" BY_NAME },
    { "practitioner-role",
      "SELECT role FROM practitioners WHERE " NAME_IS ("name") " AND active <> 0" },
    { "product-id", "SELECT id, name FROM products WHERE " NAME_IS ("name") },
    { "lots-list",
      "SELECT l.id, l.number, p.name, l.expires_on, "
      "(SELECT count(*) FROM sessions s WHERE s.lot_id = l.id) "
      "FROM lots l JOIN products p ON p.id = l.product_id "
      "ORDER BY " NOCASE ("p.name") ", l.expires_on, l.number" },
    { "courses-last", courses_last_sql },
    { "audit-note", audit_note_sql },
    /* The seal's batch in one statement, as the logic's (meso-store.c). */
    { "audit-seal",
      "UPDATE audit SET seq = ?2::bigint + s.n, hash = s.hash "
      "FROM unnest (string_to_array (?1, ',')::bigint[], string_to_array (?3, ',')) "
      "WITH ORDINALITY AS s (id, hash, n) WHERE audit.id = s.id" },
    { "everyone-page", everyone_page_sql },
    { "everyone-after", everyone_after_sql },
    { "reminders-recent", reminders_recent_sql },
    { "search", search_sql },
    { "search-names-in", search_names_in_sql },
    { "search-plan", search_plan_sql },
    { "search-count", search_count_sql },
  };

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (name, named[i][0]))
      return named[i][1];
  return NULL;
}

/* ======================================================== change notes */

static gint64
data_version (MesoStore *self)
{
  return meso_db_postgresql_notifications (meso_store_get_db (self));
}

static int
watch_fd (MesoStore *self)
{
  return meso_db_postgresql_socket (meso_store_get_db (self));
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
  /* The search index is made from the copied patients afterwards. */
  return set_audit_triggers (self, FALSE, error) &&
         meso_store_exec (self, "TRUNCATE patient_words, patient_prefixes", error) &&
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

/* ======================================================== a long write */

/* After the demo's million rows: the planner's statistics, which
 * autovacuum gathers only a while later (without them the aftercare's
 * plans read every patient), and the visibility map that lets the lists
 * read their indexes alone (the search's walk by the names too: without
 * it every prefix read its row, and a search with its count took twice as
 * long). VACUUM marks a page all-visible only once the
 * commit that wrote it is on disk: the statistics are committed
 * synchronously first, which flushes the demo's commit too on a server
 * that commits asynchronously. VACUUM cannot run inside a transaction:
 * there, the statistics only. */
#define BULK_TABLES \
  "patients, flags, appointments, sessions, courses, patient_words, patient_prefixes, audit"

static gboolean
bulk_write_done (MesoStore  *self,
                 GError    **error)
{
  PGconn *conn = meso_db_postgresql_handle (meso_store_get_db (self));

  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    return meso_store_exec (self, "ANALYZE " BULK_TABLES, error);
  return meso_store_exec (self, "BEGIN; SET LOCAL synchronous_commit = on; "
                                "ANALYZE " BULK_TABLES "; COMMIT", error) &&
         meso_store_exec (self, "VACUUM " BULK_TABLES, error);
}

/* Each audited table's trigger and the log's guards, by name, on, in this
 * database's schema. */
static gboolean
find_missing_audit_trigger (MesoStore  *self,
                            char      **missing,
                            GError     **error)
{
  g_autoptr(GString) names = g_string_new ("audit_no_change,audit_no_truncate");
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  *missing = NULL;
  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    g_string_append_printf (names, ",audit_%s", meso_store_audited_tables[i].table);
  stmt = meso_store_prepare (self,
                             "SELECT e.name FROM unnest (string_to_array (?1, ',')) "
                             "WITH ORDINALITY AS e (name, n) WHERE NOT EXISTS (SELECT 1 "
                             "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c "
                             "ON c.oid = t.tgrelid WHERE t.tgname = e.name AND t.tgenabled <> 'D' "
                             "AND c.relnamespace = current_schema ()::regnamespace) "
                             "ORDER BY e.n LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, names->str);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      *missing = g_strdup (meso_db_column_text (stmt, 0));
      meso_db_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The writers' lock: a session-level advisory lock of this database, taken
 * before BEGIN so that the transaction's snapshot is taken after the last
 * writer's commit (taken inside, a writer that waited for it would still
 * see the chain's head as it was and fail to move it). The server drops it
 * with a connection that dies. A writer waits for it WRITERS_WAIT at most
 * (lock_timeout, for this statement alone: the two are one implicit
 * transaction) behind another desk's long write, an import or a transfer:
 * then it is busy, and nothing was written. */
#define WRITERS_LOCK_KEY "7361006164"   /* "mesodesk writers" */
#define WRITERS_WAIT "10s"

static gboolean
lock_writers (MesoStore  *self,
              GError    **error)
{
  g_autoptr(GError) cause = NULL;

  if (meso_db_exec (meso_store_get_db (self),
                    "SET LOCAL lock_timeout = '" WRITERS_WAIT "'; "
                    "SELECT pg_advisory_lock (" WRITERS_LOCK_KEY ")", &cause))
    return TRUE;
  if (g_error_matches (cause, MESO_DB_ERROR, MESO_DB_ERROR_BUSY))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_BUSY,
                           _("The clinic database is busy with a long task at another desk, "
                             "such as an import. Nothing was changed; try again in a "
                             "minute."));
      return FALSE;
    }
  return meso_store_set_db_error (error, g_steal_pointer (&cause));
}

static void
unlock_writers (MesoStore *self)
{
  /* A broken connection has dropped it already. */
  meso_db_exec (meso_store_get_db (self), "SELECT pg_advisory_unlock (" WRITERS_LOCK_KEY ")",
                NULL);
}

const MesoStoreProvider meso_store_postgresql_provider = {
  .engine = MESO_DB_ENGINE_POSTGRESQL,
  .open = postgresql_open,
  .check_version = read_version,
  .get_version = read_version,
  .schema_step = schema_step,
  .set_actor = set_actor,
  .holds_database = holds_database,
  .set_version = set_version,
  .dialect = dialect,
  .data_version = data_version,
  .watch_fd = watch_fd,
  .index_patients = index_patients,
  .bind_search = bind_search,
  .order_search = order_search,
  .bind_search_hits = NULL,
  .check = check,
  .copy_begin = copy_begin,
  .copy_end = copy_end,
  .bulk_write_done = bulk_write_done,
  .find_missing_audit_trigger = find_missing_audit_trigger,
  .lock_writers = lock_writers,
  .unlock_writers = unlock_writers,
};
