/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _MesoStore
{
  GObject     parent_instance;

  MesoDb     *db;
  char       *path;
  int         version;
  guint       depth;
  char       *install_id;       /* nested transactions: the outer one BEGINs */
};

G_DEFINE_FINAL_TYPE (MesoStore, meso_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (meso-store-error-quark, meso_store_error)

/* ================================================================= dates */

/* A range error from meso-time, as the store's own: FALSE if there is one. */
static gboolean
date_as_store_error (GError   *local_error,
                     GError  **error)
{
  if (local_error == NULL)
    return TRUE;
  g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                       local_error->message);
  g_error_free (local_error);
  return FALSE;
}

gboolean
meso_store_check_date_time (MesoDateKind   kind,
                            GDateTime     *date_time,
                            GDateTime     *now,
                            GError       **error)
{
  GError *local_error = NULL;

  meso_date_time_check (kind, date_time, now, &local_error);
  return date_as_store_error (local_error, error);
}

gboolean
meso_store_check_date (MesoDateKind   kind,
                       const GDate   *date,
                       GError       **error)
{
  GError *local_error = NULL;
  GDate today;

  meso_clock_today (&today);
  meso_date_check (kind, date, &today, &local_error);
  return date_as_store_error (local_error, error);
}

/* ======================================================= the connection */
/* The store's logic speaks meso-db.h; these give its errors as the store's. */

gboolean
meso_store_set_db_error (GError **error,
                         GError  *cause)
{
  int code;
  const char *message;

  g_return_val_if_fail (cause != NULL, FALSE);

  /* The person reads ours; the engine's own words went to the debug log. */
  switch (cause->domain == MESO_DB_ERROR ? (MesoDbError)cause->code : MESO_DB_ERROR_FAILED)
    {
    case MESO_DB_ERROR_BUSY:
      code = MESO_STORE_ERROR_BUSY;
      message = _("The clinic database is busy: another program kept it locked. "
                  "Nothing was changed; try again.");
      break;
    case MESO_DB_ERROR_SERIALIZATION:
      code = MESO_STORE_ERROR_BUSY;
      message = _("Another desk changed the same records at the same moment. "
                  "Nothing was changed; try again.");
      break;
    case MESO_DB_ERROR_FULL:
      code = MESO_STORE_ERROR_FULL;
      message = _("The disk is full. Nothing was changed; free some space and try again.");
      break;
    case MESO_DB_ERROR_CORRUPT:
      code = MESO_STORE_ERROR_CORRUPT;
      message = _("The clinic database is damaged or is not a Mesodesk database. "
                  "Restore it from a backup.");
      break;
    case MESO_DB_ERROR_READONLY:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database cannot be written: check the file’s permissions.");
      break;
    case MESO_DB_ERROR_CANTOPEN:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database cannot be opened: check that its folder exists and "
                  "can be written.");
      break;
    case MESO_DB_ERROR_IO:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The disk reported an error while reading or writing the clinic database. "
                  "Nothing was changed.");
      break;
    case MESO_DB_ERROR_UNIQUE:
    case MESO_DB_ERROR_CONSTRAINT:
      code = MESO_STORE_ERROR_INVALID;
      message = _("The change contradicts the records already stored (for example, a "
                  "record it refers to is missing). Nothing was changed.");
      break;
    case MESO_DB_ERROR_CONNECTION:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic server cannot be reached: check the network and that the "
                  "server is running. Nothing was changed.");
      break;
    case MESO_DB_ERROR_AUTH:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic server refused the user name or password. Nothing was changed.");
      break;
    case MESO_DB_ERROR_FAILED:
    default:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database reported an unexpected error. Nothing was changed.");
      break;
    }

  g_error_free (cause);
  g_set_error_literal (error, MESO_STORE_ERROR, code, message);
  return FALSE;
}

gboolean
meso_store_invalid (GError **error,
                    GError  *cause)
{
  g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID, cause->message);
  g_error_free (cause);
  return FALSE;
}

gboolean
meso_store_check_text (MesoTextField   field,
                       const char     *text,
                       GError        **error)
{
  GError *local_error = NULL;

  return meso_text_validate (field, text, &local_error) ||
         meso_store_invalid (error, local_error);
}

MesoDb *
meso_store_get_db (MesoStore *self)
{
  return self->db;
}

MesoDbStmt *
meso_store_prepare (MesoStore   *self,
                    const char  *sql,
                    GError     **error)
{
  GError *cause = NULL;
  MesoDbStmt *stmt = meso_db_prepare (self->db, sql, &cause);

  if (stmt == NULL)
    meso_store_set_db_error (error, cause);
  return stmt;
}

gboolean
meso_store_step_done (MesoStore   *self,
                      MesoDbStmt  *stmt,
                      GError     **error)
{
  GError *cause = NULL;

  if (!meso_db_step (stmt, &cause))
    return cause == NULL || meso_store_set_db_error (error, cause);
  meso_db_reset (stmt);
  return TRUE;
}

gboolean
meso_store_step_row (MesoStore   *self,
                     MesoDbStmt  *stmt,
                     GError     **error)
{
  GError *cause = NULL;

  if (meso_db_step (stmt, &cause))
    return TRUE;
  if (cause != NULL)
    meso_store_set_db_error (error, cause);
  return FALSE;
}

gboolean
meso_store_step_id (MesoStore   *self,
                    MesoDbStmt  *stmt,
                    gint64      *id,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        meso_store_set_db_error (error, g_error_new_literal (MESO_DB_ERROR, MESO_DB_ERROR_FAILED,
                                                             "no id returned"));
      return FALSE;
    }
  *id = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return TRUE;
}

gboolean
meso_store_step_found (MesoStore   *self,
                       MesoDbStmt  *stmt,
                       GError     **error,
                       const char  *format,
                       ...)
{
  g_autoptr(GError) local_error = NULL;
  va_list args;

  if (meso_store_step_row (self, stmt, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND, format, args);
      va_end (args);
    }
  return FALSE;
}

gboolean
meso_store_read_int (MesoStore   *self,
                     const char  *sql,
                     int         *value,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (meso_store_step_row (self, stmt, &local_error))
    {
      *value = meso_db_column_int (stmt, 0);
      meso_db_reset (stmt);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  else
    return meso_store_set_db_error (error, g_error_new_literal (MESO_DB_ERROR,
                                                                MESO_DB_ERROR_FAILED, "no row"));
  return TRUE;
}

gboolean
meso_store_exec (MesoStore   *self,
                 const char  *sql,
                 GError     **error)
{
  GError *cause = NULL;

  return meso_db_exec (self->db, sql, &cause) || meso_store_set_db_error (error, cause);
}

/* Transactions nest: the outermost takes the write lock, inner ones are
 * savepoints, so an import can wrap many single writes in one all-or-nothing
 * unit. After a failed commit nothing is left to roll back. */
gboolean
meso_store_begin (MesoStore  *self,
                  GError    **error)
{
  if (self->depth == 0)
    {
      GError *cause = NULL;

      /* The engine's guard against deciding on stale data (meso_db_begin()). */
      if (!meso_db_begin (self->db, &cause))
        return meso_store_set_db_error (error, cause);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("SAVEPOINT level%u", self->depth);

      if (!meso_store_exec (self, sql, error))
        return FALSE;
    }
  self->depth++;
  return TRUE;
}

gboolean
meso_store_commit (MesoStore  *self,
                   GError    **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (self->depth > 0, FALSE);

  sql = self->depth == 1 ? g_strdup ("COMMIT")
                         : g_strdup_printf ("RELEASE level%u", self->depth - 1);
  if (!meso_store_exec (self, sql, error))
    {
      meso_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
meso_store_rollback (MesoStore *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (self->depth > 0);

  self->depth--;
  if (self->depth == 0)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO level%u; RELEASE level%u", self->depth, self->depth);
  /* The engine may have rolled back by itself (e.g. a full disk): then the
   * statement fails, and there is nothing to undo. */
  meso_db_exec (self->db, sql, NULL);
}

/* ====================================================== files and opening */

char *
meso_store_default_path (void)
{
  const char *env = g_getenv ("MESODESK_DATABASE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "mesodesk", "clinic.db", NULL);
}

gboolean
meso_store_check_env (GError **error)
{
  const char *env = g_getenv ("MESODESK_DATABASE");

  if (env == NULL || *env != '\0')
    return TRUE;
  g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                       _("MESODESK_DATABASE is set but empty: give it the path of the clinic "
                         "database, or unset it to use the default one."));
  return FALSE;
}

const char *
meso_store_describe_file_error (const char *path,
                                GFileError  code)
{
  if (code == G_FILE_ERROR_ISDIR || g_file_test (path, G_FILE_TEST_IS_DIR))
    return _("it is a folder.");
  if (code == G_FILE_ERROR_NOENT || code == G_FILE_ERROR_NOTDIR)
    {
      g_autofree char *folder = g_path_get_dirname (path);

      return g_file_test (folder, G_FILE_TEST_IS_DIR) ? _("there is no such file.")
                                                      : _("its folder does not exist.");
    }
  if (code == G_FILE_ERROR_ACCES || code == G_FILE_ERROR_PERM || code == G_FILE_ERROR_ROFS)
    return _("permission denied (the place is read-only, or not yours).");
  if (code == G_FILE_ERROR_NOSPC)
    return _("the disk is full.");
  return NULL;
}

/* ============================================================ the schema */

/* Audit triggers: every insert, update and delete, with what changed. */
typedef struct
{
  const char *table;
  const char *columns[24];
} AuditedTable;

static const AuditedTable audited_tables[] = {
  { "patients", { "name", "birth_date", "phone", "email", "sensitive_skin", "notes",
                  "archived", "recall", NULL } },
  { "flags", { "patient_id", "kind", "noted_on", "cleared_on", NULL } },
  { "sessions", { "patient_id", "appointment_id", "at", "area", "device", "home_use",
                  "needle_um", "needle_count", "needle_material", "indication", "actives",
                  "lot", "practitioner_id", "notes", "override_reason", "caution_confirmed",
                  NULL } },
  { "appointments", { "patient_id", "area", "start", "minutes", "practitioner_id", "room_id",
                      "status", "override_reason", "cancel_reason", NULL } },
  { "practitioners", { "name", "role", "active", NULL } },
  { "rooms", { "name", "active", NULL } },
  { "opening_hours", { "weekday", "open_minute", "close_minute", NULL } },
  { "contacts", { "patient_id", "at", "channel", "note", "outcome", NULL } },
  { "settings", { "key", "value", NULL } },
};

static char *
audit_triggers_sql (const AuditedTable *t)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) inserted = g_string_new (NULL);
  g_autoptr(GString) deleted = g_string_new (NULL);
  g_autoptr(GString) changed = g_string_new (NULL);

  for (guint i = 0; t->columns[i] != NULL; i++)
    {
      const char *c = t->columns[i];

      g_string_append_printf (inserted, "%s'%s', NEW.%s", i ? ", " : "", c, c);
      g_string_append_printf (deleted, "%s'%s', OLD.%s", i ? ", " : "", c, c);
      g_string_append_printf (changed,
                              "%sSELECT '%s' AS k, json_array(OLD.%s, NEW.%s) AS v "
                              "WHERE OLD.%s IS NOT NEW.%s",
                              i ? " UNION ALL " : "", c, c, c, c, c);
    }

  g_string_append_printf (sql,
    "CREATE TRIGGER audit_%s_insert AFTER INSERT ON %s BEGIN "
    "INSERT INTO audit (at, actor, tbl, row_id, action, changes) VALUES "
    "(strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), meso_actor(), '%s', NEW.rowid, 'insert', "
    "json_object(%s)); END;\n",
    t->table, t->table, t->table, inserted->str);
  g_string_append_printf (sql,
    "CREATE TRIGGER audit_%s_update AFTER UPDATE ON %s BEGIN "
    "INSERT INTO audit (at, actor, tbl, row_id, action, changes) "
    "SELECT strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), meso_actor(), '%s', NEW.rowid, "
    "'update', json_group_object(k, json(v)) FROM (%s) HAVING count(*) > 0; END;\n",
    t->table, t->table, t->table, changed->str);
  g_string_append_printf (sql,
    "CREATE TRIGGER audit_%s_delete AFTER DELETE ON %s BEGIN "
    "INSERT INTO audit (at, actor, tbl, row_id, action, changes) VALUES "
    "(strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), meso_actor(), '%s', OLD.rowid, 'delete', "
    "json_object(%s)); END;\n",
    t->table, t->table, t->table, deleted->str);

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* Version 1: the records, the audit log, and its triggers. */
static const char schema_v1[] =
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE practitioners ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),"
  "  role TEXT NOT NULL CHECK (role IN ('clinician', 'receptionist')),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE rooms ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),"
  "  active INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE opening_hours ("
  "  weekday INTEGER PRIMARY KEY CHECK (weekday BETWEEN 1 AND 7),"
  "  open_minute INTEGER NOT NULL,"
  "  close_minute INTEGER NOT NULL,"
  "  CHECK (0 <= open_minute AND open_minute <= close_minute AND close_minute <= 1440));"
  "CREATE TABLE patients ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL CHECK (length(trim(name)) > 0),"
  "  sort_key TEXT NOT NULL,"
  "  birth_date TEXT,"
  "  phone TEXT,"
  "  email TEXT,"
  "  sensitive_skin INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  archived INTEGER NOT NULL DEFAULT 0,"
  "  recall TEXT NOT NULL DEFAULT 'active' CHECK (recall IN ('active', 'finished', 'declined')),"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX patients_sort ON patients (archived, sort_key);"
  "CREATE TABLE flags ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  kind TEXT NOT NULL,"
  "  noted_on TEXT NOT NULL,"
  "  cleared_on TEXT,"
  "  CHECK (cleared_on IS NULL OR cleared_on >= noted_on));"
  "CREATE INDEX flags_patient ON flags (patient_id, kind);"
  "CREATE TABLE appointments ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  area TEXT NOT NULL,"
  "  start INTEGER NOT NULL,"
  "  minutes INTEGER NOT NULL CHECK (minutes > 0),"
  "  end_at INTEGER NOT NULL,"
  "  practitioner_id INTEGER REFERENCES practitioners (id),"
  "  room_id INTEGER REFERENCES rooms (id),"
  "  status TEXT NOT NULL DEFAULT 'booked',"
  "  override_reason TEXT,"
  "  cancel_reason TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX appointments_start ON appointments (start);"
  "CREATE INDEX appointments_patient ON appointments (patient_id, area, start);"
  "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, start);"
  "CREATE INDEX appointments_room ON appointments (room_id, start);"
  "CREATE TABLE sessions ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  appointment_id INTEGER REFERENCES appointments (id),"
  "  at INTEGER NOT NULL,"
  "  area TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  home_use INTEGER NOT NULL DEFAULT 0,"
  "  needle_um INTEGER NOT NULL,"
  "  needle_count INTEGER,"
  "  needle_material TEXT,"
  "  indication TEXT,"
  "  actives TEXT,"
  "  lot TEXT,"
  "  practitioner_id INTEGER REFERENCES practitioners (id),"
  "  notes TEXT,"
  "  override_reason TEXT,"
  "  caution_confirmed INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX sessions_patient ON sessions (patient_id, area, at);"
  "CREATE INDEX sessions_at ON sessions (at);"
  "CREATE TABLE contacts ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  at INTEGER NOT NULL,"
  "  channel TEXT NOT NULL,"
  "  note TEXT,"
  "  outcome TEXT);"
  "CREATE INDEX contacts_patient ON contacts (patient_id, at);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id INTEGER NOT NULL,"
  "  action TEXT NOT NULL,"
  "  changes TEXT NOT NULL);"
  "CREATE INDEX audit_row ON audit (tbl, row_id);"
  /* Append-only: the database itself refuses to change its history. */
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;";

/* Version 2: the patient search index and the per-area courses the recall
 * list reads, so neither scans every session. */
static const char schema_v2[] =
  "CREATE TABLE patients_search_doc ("
  "  id INTEGER PRIMARY KEY REFERENCES patients (id),"
  "  name TEXT NOT NULL,"
  "  contact TEXT NOT NULL);"
  /* Prefix indexes: what is typed first, a word's first letters, is found
   * without reading every word that begins with them. */
  "CREATE VIRTUAL TABLE patients_search USING fts5 ("
  "  name, contact, content = 'patients_search_doc', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
  /* The archived patients by number, so a search's count skips them
   * without reading each match's row. */
  "CREATE INDEX patients_archived ON patients (id, archived) WHERE archived <> 0;"
  "CREATE TRIGGER patients_search_insert AFTER INSERT ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (rowid, name, contact) VALUES (NEW.id, NEW.name, NEW.contact);"
  "  END;"
  "CREATE TRIGGER patients_search_delete AFTER DELETE ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (patients_search, rowid, name, contact)"
  "  VALUES ('delete', OLD.id, OLD.name, OLD.contact); END;"
  "CREATE TRIGGER patients_search_update AFTER UPDATE ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (patients_search, rowid, name, contact)"
  "  VALUES ('delete', OLD.id, OLD.name, OLD.contact);"
  "  INSERT INTO patients_search (rowid, name, contact) VALUES (NEW.id, NEW.name, NEW.contact);"
  "  END;"
  /* One row per patient and area: the last session, its follow-up window
   * (julian days), the start of the next booked session (NULL: none), and
   * the patient's recall state and archived flag, so the aftercare panel
   * counts and pages its sections from these indexes alone (one per
   * section, in its order; each covers what its section reads, the partial
   * ones' conditions included, so no row of courses is read). */
  "CREATE TABLE courses ("
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  area TEXT NOT NULL,"
  "  last_session_id INTEGER NOT NULL REFERENCES sessions (id),"
  "  last_at INTEGER NOT NULL,"
  "  opens_day INTEGER NOT NULL,"
  "  closes_day INTEGER NOT NULL,"
  "  next_at INTEGER,"
  "  recall TEXT NOT NULL,"
  "  archived INTEGER NOT NULL,"
  "  PRIMARY KEY (patient_id, area)) WITHOUT ROWID;"
  "CREATE INDEX courses_moisturise ON courses (coalesce (next_at, last_at), patient_id,"
  "  last_session_id, closes_day, last_at, next_at, opens_day, recall, archived)"
  "  WHERE archived = 0;"
  "CREATE INDEX courses_due ON courses (closes_day, patient_id, last_session_id, opens_day,"
  "  last_at, next_at, recall, archived) WHERE recall = 'active' AND next_at IS NULL"
  "  AND archived = 0;"
  "CREATE INDEX courses_overdue ON courses (last_at, patient_id, last_session_id, opens_day,"
  "  closes_day, next_at, recall, archived) WHERE recall = 'active' AND next_at IS NULL"
  "  AND archived = 0;"
  /* Archiving (any statement that sets it) reaches the courses at once. */
  "CREATE TRIGGER courses_archived AFTER UPDATE OF archived ON patients"
  "  WHEN OLD.archived IS NOT NEW.archived BEGIN"
  "  UPDATE courses SET archived = NEW.archived WHERE patient_id = NEW.id; END;"
  /* The first days' aftercare reads the sessions of the last few days from
   * this index alone, not from rows spread over the whole table. */
  "DROP INDEX sessions_at;"
  "CREATE INDEX sessions_at ON sessions (at, patient_id, area);"
  /* Names this database in exported calendars, so two clinics' UIDs differ. */
  "INSERT INTO settings (key, value) VALUES ('install_id', lower (hex (randomblob (16))));";

/* Version 3: each course carries its patient's name and skin type, kept in
 * step by a trigger, so the aftercare lists read a section from its index
 * alone instead of looking every listed patient up (the demo's full list
 * for a day: 45 000 lookups, two thirds of its time). The table is made
 * anew and filled from the sessions (migrate_v3), the one way that is right
 * whichever version the file comes from. */
static const char schema_v3[] =
  "DROP TABLE courses;"
  "CREATE TABLE courses ("
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  area TEXT NOT NULL,"
  "  last_session_id INTEGER NOT NULL REFERENCES sessions (id),"
  "  last_at INTEGER NOT NULL,"
  "  opens_day INTEGER NOT NULL,"
  "  closes_day INTEGER NOT NULL,"
  "  next_at INTEGER,"
  "  recall TEXT NOT NULL,"
  "  archived INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  sensitive_skin INTEGER NOT NULL,"
  "  PRIMARY KEY (patient_id, area)) WITHOUT ROWID;"
  "CREATE INDEX courses_moisturise ON courses (coalesce (next_at, last_at), patient_id,"
  "  last_session_id, closes_day, last_at, next_at, opens_day, recall, archived, name,"
  "  sensitive_skin) WHERE archived = 0;"
  "CREATE INDEX courses_due ON courses (closes_day, patient_id, last_session_id, opens_day,"
  "  last_at, next_at, recall, archived, name, sensitive_skin) WHERE recall = 'active'"
  "  AND next_at IS NULL AND archived = 0;"
  "CREATE INDEX courses_overdue ON courses (last_at, patient_id, last_session_id, opens_day,"
  "  closes_day, next_at, recall, archived, name, sensitive_skin) WHERE recall = 'active'"
  "  AND next_at IS NULL AND archived = 0;"
  /* A rename or a new skin type (any statement that sets them) reaches the
   * courses at once; courses_archived (version 2) does the same for archiving. */
  "CREATE TRIGGER courses_patient AFTER UPDATE OF name, sensitive_skin ON patients"
  "  WHEN OLD.name IS NOT NEW.name OR OLD.sensitive_skin IS NOT NEW.sensitive_skin BEGIN"
  "  UPDATE courses SET name = NEW.name, sensitive_skin = NEW.sensitive_skin"
  "  WHERE patient_id = NEW.id; END;";

/* Version 4: the search index knows who is archived (a "state" column,
 * MESO_STORE_SEARCH_STATE), so a search's count is the index's alone: it
 * had looked each match up in patients_archived, 10 ms of the 17 a search
 * for "c" took on the demo (56 000 matches). The index is made anew and
 * filled from the patients (migrate_v4), whichever version the file comes
 * from. */
static const char schema_v4[] =
  "DROP TRIGGER patients_search_insert;"
  "DROP TRIGGER patients_search_delete;"
  "DROP TRIGGER patients_search_update;"
  "DROP TABLE patients_search;"
  "DROP TABLE patients_search_doc;"
  "DROP INDEX patients_archived;"
  "CREATE TABLE patients_search_doc ("
  "  id INTEGER PRIMARY KEY REFERENCES patients (id),"
  "  name TEXT NOT NULL,"
  "  contact TEXT NOT NULL,"
  "  state TEXT NOT NULL);"
  "CREATE VIRTUAL TABLE patients_search USING fts5 ("
  "  name, contact, state, content = 'patients_search_doc', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"
  "CREATE TRIGGER patients_search_insert AFTER INSERT ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (rowid, name, contact, state)"
  "  VALUES (NEW.id, NEW.name, NEW.contact, NEW.state); END;"
  "CREATE TRIGGER patients_search_delete AFTER DELETE ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (patients_search, rowid, name, contact, state)"
  "  VALUES ('delete', OLD.id, OLD.name, OLD.contact, OLD.state); END;"
  "CREATE TRIGGER patients_search_update AFTER UPDATE ON patients_search_doc BEGIN"
  "  INSERT INTO patients_search (patients_search, rowid, name, contact, state)"
  "  VALUES ('delete', OLD.id, OLD.name, OLD.contact, OLD.state);"
  "  INSERT INTO patients_search (rowid, name, contact, state)"
  "  VALUES (NEW.id, NEW.name, NEW.contact, NEW.state); END;"
  /* Archiving (any statement that sets it) reaches the index at once. */
  "CREATE TRIGGER patients_search_archived AFTER UPDATE OF archived ON patients"
  "  WHEN (OLD.archived <> 0) IS NOT (NEW.archived <> 0) BEGIN"
  "  UPDATE patients_search_doc SET state = " MESO_STORE_SEARCH_STATE ("NEW.archived")
  "  WHERE id = NEW.id; END;";

static gboolean migrate_v1 (MesoStore *self, GError **error);
static gboolean migrate_v2 (MesoStore *self, GError **error);
static gboolean migrate_v3 (MesoStore *self, GError **error);
static gboolean migrate_v4 (MesoStore *self, GError **error);

typedef gboolean (*MigrateFunc) (MesoStore *self, GError **error);

static const MigrateFunc migrations[] = {
  migrate_v1,
  migrate_v2,
  migrate_v3,
  migrate_v4,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MESO_STORE_SCHEMA_VERSION);

static gboolean
migrate_v1 (MesoStore  *self,
            GError    **error)
{
  if (!meso_store_exec (self, schema_v1, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (audited_tables); i++)
    {
      g_autofree char *sql = audit_triggers_sql (&audited_tables[i]);

      if (!meso_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_v2 (MesoStore  *self,
            GError    **error)
{
  /* The patients an earlier version stored are indexed by migrate_v4, their
   * courses by migrate_v3. */
  return meso_store_exec (self, schema_v2, error);
}

static gboolean
migrate_v3 (MesoStore  *self,
            GError    **error)
{
  return meso_store_exec (self, schema_v3, error) && meso_store_update_courses (self, 0, error);
}

static gboolean
migrate_v4 (MesoStore  *self,
            GError    **error)
{
  return meso_store_exec (self, schema_v4, error) && meso_store_index_patient (self, 0, error);
}

static gboolean
migrate (MesoStore  *self,
         int         target,
         GError    **error)
{
  int version = 0, app_id = 0, n_tables = 0;
  gboolean read;

  /* One snapshot for the three: read apart, another program's first
   * migration could commit between them and make our new file look foreign
   * (tables, but the application id read before they were there). */
  if (!meso_store_exec (self, "BEGIN", error))
    return FALSE;
  read = meso_store_read_int (self, "PRAGMA user_version", &version, error) &&
         meso_store_read_int (self, "PRAGMA application_id", &app_id, error) &&
         meso_store_read_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, error);
  meso_db_exec (self->db, "COMMIT", NULL);
  if (!read)
    return FALSE;

  if (app_id != MESO_APPLICATION_ID && (app_id != 0 || n_tables > 0 || version != 0))
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is an SQLite file of another program, not a Mesodesk database. "
                     "It was left untouched."), display);
      return FALSE;
    }
  if (version > MESO_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNSUPPORTED,
                   _("This clinic database was written by a newer Mesodesk (schema %d; this "
                     "one knows up to %d). Update Mesodesk to open it."),
                   version, MESO_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version < target)
    {
      if (!meso_store_begin (self, error))
        return FALSE;
      /* Read again inside the lock: another program may have migrated meanwhile. */
      if (!meso_store_read_int (self, "PRAGMA user_version", &version, error))
        goto failed;
      for (int v = version; v < target; v++)
        {
          g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

          g_debug ("Migrating the database to schema %d", v + 1);
          if (!migrations[v] (self, error) || !meso_store_exec (self, set_version, error))
            goto failed;
        }
      if (!meso_store_exec (self, "PRAGMA application_id = " G_STRINGIFY (MESO_APPLICATION_ID),
                            error))
        goto failed;
      if (!meso_store_commit (self, error))
        return FALSE;
      version = target;
    }

  self->version = version;
  return TRUE;

failed:
  meso_store_rollback (self);
  return FALSE;
}

static MesoStore *
open_store (const char  *path,
            int          target_version,
            GError     **error)
{
  g_autoptr(MesoStore) self = NULL;
  MesoDb *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = meso_store_sqlite_open (path, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (MESO_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = db;
  if (!migrate (self, target_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

MesoStore *
meso_store_open (const char  *path,
                 GError     **error)
{
  return open_store (path, MESO_STORE_SCHEMA_VERSION, error);
}

MesoStore *
meso_store_open_at_version (const char  *path,
                            int          version,
                            GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= MESO_STORE_SCHEMA_VERSION, NULL);

  return open_store (path, version, error);
}

static void
meso_store_finalize (GObject *object)
{
  MesoStore *self = (MesoStore *)object;

  g_clear_pointer (&self->db, meso_db_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->install_id, g_free);

  G_OBJECT_CLASS (meso_store_parent_class)->finalize (object);
}

static void
meso_store_class_init (MesoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_store_finalize;
}

static void
meso_store_init (MesoStore *self)
{
}

gint64
meso_store_get_data_version (MesoStore *self)
{
  MesoDbStmt *stmt;
  gint64 version = -1;

  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  stmt = meso_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && meso_store_step_row (self, stmt, NULL))
    {
      version = meso_db_column_int64 (stmt, 0);
      meso_db_reset (stmt);
    }
  return version;
}

const char *
meso_store_get_path (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return self->path;
}

const char *
meso_store_get_install_id (MesoStore *self)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (self->install_id != NULL)
    return self->install_id;

  stmt = meso_store_prepare (self, "SELECT value FROM settings WHERE key = 'install_id'", NULL);
  if (stmt != NULL && meso_store_step_row (self, stmt, NULL))
    {
      self->install_id = meso_db_column_dup (stmt, 0);
      meso_db_reset (stmt);
    }
  /* Unreadable (a damaged settings table): still a usable, if unstable, name. */
  if (self->install_id == NULL)
    self->install_id = g_strdup ("unknown");
  return self->install_id;
}

int
meso_store_get_schema_version (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), 0);

  return self->version;
}

/* ================================================================ policy */

typedef struct
{
  const char *key;
  gsize       offset;
} PolicyField;

static const PolicyField policy_fields[] = {
  { "interval_min_days", G_STRUCT_OFFSET (MesoPolicy, interval_min_days) },
  { "interval_max_days", G_STRUCT_OFFSET (MesoPolicy, interval_max_days) },
  { "sensitive_min_days", G_STRUCT_OFFSET (MesoPolicy, sensitive_min_days) },
  { "sensitive_max_days", G_STRUCT_OFFSET (MesoPolicy, sensitive_max_days) },
  { "no_water_hours", G_STRUCT_OFFSET (MesoPolicy, no_water_hours) },
  { "sun_protection_days", G_STRUCT_OFFSET (MesoPolicy, sun_protection_days) },
  { "due_soon_days", G_STRUCT_OFFSET (MesoPolicy, due_soon_days) },
};

static const char policy_sql[] = "SELECT key, value FROM settings WHERE key LIKE 'policy.%'";

gboolean
meso_store_load_policy (MesoStore   *self,
                        MesoPolicy  *policy,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoPolicy loaded = *meso_policy_get_default ();
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  stmt = meso_store_prepare (self, policy_sql, error);
  if (stmt == NULL)
    return FALSE;

  while (meso_store_step_row (self, stmt, &local_error))
    {
      const char *key = meso_db_column_text (stmt, 0) + strlen ("policy.");
      gint64 value = meso_db_column_int64 (stmt, 1);

      for (guint i = 0; i < G_N_ELEMENTS (policy_fields); i++)
        if (g_str_equal (key, policy_fields[i].key) && value >= 0 && value <= G_MAXUINT)
          G_STRUCT_MEMBER (guint, &loaded, policy_fields[i].offset) = (guint)value;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A database edited by hand below the hard bounds gets the defaults. */
  if (!meso_policy_validate (&loaded, &local_error))
    {
      g_warning ("Stored clinic policy ignored: %s", local_error->message);
      loaded = *meso_policy_get_default ();
    }

  *policy = loaded;
  return TRUE;
}

gboolean
meso_store_save_policy (MesoStore         *self,
                        const MesoPolicy  *policy,
                        GError           **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  {
    g_autoptr(GError) invalid = NULL;

    if (!meso_policy_validate (policy, &invalid))
      {
        g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID, invalid->message);
        return FALSE;
      }
  }

  if (!meso_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    {
      g_autofree char *key = g_strconcat ("policy.", policy_fields[i].key, NULL);

      stmt = meso_store_prepare (self, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);
      if (stmt == NULL)
        goto failed;
      meso_db_bind_text (stmt, 1, key);
      meso_db_bind_int64 (stmt, 2, G_STRUCT_MEMBER (guint, policy, policy_fields[i].offset));
      if (!meso_store_step_done (self, stmt, error))
        goto failed;
    }

  /* The windows of every course follow the policy. */
  if (!meso_store_update_courses (self, 0, error))
    goto failed;

  return meso_store_commit (self, error);

failed:
  meso_store_rollback (self);
  return FALSE;
}

/* ============================================================== audit log */

void
meso_audit_entry_free (MesoAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->table);
  g_free (entry->action);
  g_free (entry->changes);
  g_free (entry);
}

gboolean
meso_store_foreach_audit (MesoStore      *self,
                          const char     *table,
                          gint64          row_id,
                          MesoAuditFunc   func,
                          gpointer        user_data,
                          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = meso_store_prepare (self,
                             "SELECT id, at, actor, tbl, row_id, action, changes FROM audit "
                             "WHERE (?1 IS NULL OR tbl = ?1) AND (?2 = 0 OR row_id = ?2) "
                             "ORDER BY id",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, table);
  meso_db_bind_int64 (stmt, 2, row_id);

  /* The row's own text, not copies: the entry lives for the call only. */
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoAuditEntry entry = {
        .id = meso_db_column_int64 (stmt, 0),
        .at = (char *)meso_db_column_text (stmt, 1),
        .actor = (char *)meso_db_column_text (stmt, 2),
        .table = (char *)meso_db_column_text (stmt, 3),
        .row_id = meso_db_column_int64 (stmt, 4),
        .action = (char *)meso_db_column_text (stmt, 5),
        .changes = (char *)meso_db_column_text (stmt, 6),
      };

      func (&entry, user_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
add_audit_entry (const MesoAuditEntry *entry,
                 gpointer              entries)
{
  MesoAuditEntry *copy = g_new0 (MesoAuditEntry, 1);

  copy->id = entry->id;
  copy->at = g_strdup (entry->at);
  copy->actor = g_strdup (entry->actor);
  copy->table = g_strdup (entry->table);
  copy->row_id = entry->row_id;
  copy->action = g_strdup (entry->action);
  copy->changes = g_strdup (entry->changes);
  g_ptr_array_add (entries, copy);
}

GPtrArray *
meso_store_list_audit (MesoStore   *self,
                       const char  *table,
                       gint64       row_id,
                       GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_audit_entry_free);
  if (!meso_store_foreach_audit (self, table, row_id, add_audit_entry, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}

/* =========================================================== maintenance */

gboolean
meso_store_check (MesoStore  *self,
                  GError    **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  stmt = meso_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  while (meso_store_step_row (self, stmt, &local_error))
    {
      const char *line = meso_db_column_text (stmt, 0);

      if (line != NULL && !g_str_equal (line, "ok"))
        g_debug ("integrity_check: %s", line);
      if (line != NULL && !g_str_equal (line, "ok"))
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  stmt = meso_store_prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return FALSE;
  if (meso_store_step_row (self, stmt, &local_error))
    {
      g_string_append_printf (problems, "%s%s", problems->len ? "; " : "",
                              _("records refer to others that are missing"));
      meso_db_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (problems->len > 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("The clinic database is damaged (%s). Restore it from a backup."),
                   problems->str);
      return FALSE;
    }
  return TRUE;
}

/* ============================================== statements, by name */

const char *
meso_store_sql_for (const char *name)
{
  const char *sql;

  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "policy"))
    return policy_sql;
  if ((sql = meso_store_patients_sql (name)) != NULL ||
      (sql = meso_store_sessions_sql (name)) != NULL ||
      (sql = meso_store_reminders_sql (name)) != NULL ||
      (sql = meso_store_appointments_sql (name)) != NULL)
    return sql;
  return NULL;
}
