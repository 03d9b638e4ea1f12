/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's SQLite provider: what the clinic's database does that is
 * SQLite's own and would differ on another engine. Opening the file
 * (pragmas, WAL, the 0600 file, the network-filesystem refusal, the header
 * check before SQLite writes), the SQL functions the schema and the search
 * call, the search's bitmap, memory limits, online backup and restore. The
 * rest of the store speaks meso-db.h only. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-db-sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000
/* SQLite's default page cache (2 MiB) makes the day's reminders on a large
 * clinic read most pages from the OS again on every run; 16 MiB holds the
 * three courses indexes (names included, 11 MiB on the demo). It fills
 * only as pages are read, and the window holds a few connections (one per
 * worker), so it stays modest. */
#define CACHE_KIB 16384

/* SQLite's result code @rc on @db as the store's error. FALSE. */
static gboolean
set_sqlite_error (MesoDb  *db,
                  int      rc,
                  GError **error)
{
  GError *cause = NULL;

  meso_db_sqlite_set_error (db, rc, &cause);
  return meso_store_set_db_error (error, cause);
}

static sqlite3 *
store_handle (MesoStore *store)
{
  return meso_db_sqlite_handle (meso_store_get_db (store));
}

/* ========================================================= SQL functions */

/* Who made a change, for the audit log's triggers: meso_actor() (the
 * actor set_actor() gave the function, else the OS user), meso_os_user()
 * and meso_host(). */
static void
actor_sql_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  const char *actor = sqlite3_user_data (context);

  sqlite3_result_text (context, actor != NULL ? actor : g_get_user_name (), -1, SQLITE_STATIC);
}

static gboolean
set_actor (MesoStore   *self,
           const char  *actor,
           GError     **error)
{
  int rc;

  /* The statements that fire a trigger are prepared again on their next
   * step, with this function. */
  rc = sqlite3_create_function_v2 (store_handle (self), "meso_actor", 0,
                                   SQLITE_UTF8 | SQLITE_INNOCUOUS, g_strdup (actor),
                                   actor_sql_function, NULL, NULL, g_free);
  return rc == SQLITE_OK || set_sqlite_error (meso_store_get_db (self), rc, error);
}

/* The file's owner holds the database (emergency access). */
static gboolean
holds_database (MesoStore  *self,
                gboolean   *holds,
                GError    **error)
{
  GStatBuf buf;

  *holds = g_stat (meso_store_get_path (self), &buf) == 0 && buf.st_uid == getuid ();
  return TRUE;
}

/* The computer, meso_host(). */
static void
host_sql_function (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_host_name (), -1, SQLITE_STATIC);
}

/* meso_search_contact (phone, email, birth_date) in SQL: the search document's contact
 * column, so that one statement indexes one patient or all of them. */
static void
search_contact_sql_function (sqlite3_context  *context,
                             int               argc,
                             sqlite3_value   **argv)
{
  char *contact = meso_store_contact_document ((const char *)sqlite3_value_text (argv[0]),
                                               (const char *)sqlite3_value_text (argv[1]),
                                               (const char *)sqlite3_value_text (argv[2]));

  sqlite3_result_text (context, contact, -1, g_free);
}

#define SEARCH_HITS_TYPE "meso_search_hits"

/* meso_search_hit (hits, id): whether @id is among a search's matches, read
 * once into a bitmap the store binds as a pointer (search-names). */
static void
search_hit_sql_function (sqlite3_context  *context,
                         int               argc,
                         sqlite3_value   **argv)
{
  const MesoSearchHits *hits = sqlite3_value_pointer (argv[0], SEARCH_HITS_TYPE);
  gint64 id = sqlite3_value_int64 (argv[1]);
  gboolean hit = hits != NULL && id >= 0 && (guint64)id / 64 < hits->n_words &&
                 (hits->words[id / 64] >> (id % 64) & 1) != 0;

  sqlite3_result_int (context, hit);
}

/* @hits must outlive the statement's run (the logic binds NULL after it). */
static void
bind_search_hits (MesoDbStmt           *stmt,
                  int                   index,
                  const MesoSearchHits *hits)
{
  sqlite3_bind_pointer (meso_db_sqlite_stmt_handle (stmt), index, (void *)hits,
                        SEARCH_HITS_TYPE, NULL);
}

/* The full-text query is the search's one parameter here (?1). */
static void
bind_search (MesoDbStmt           *stmt,
             const MesoSearchText *search)
{
  meso_db_bind_text (stmt, 1, search->query);
}

static gboolean
index_patients (MesoStore  *self,
                gint64      id,
                GError    **error)
{
  MesoDbStmt *stmt;

  /* The index's own triggers (schema v2) keep the FTS table in step. One
   * statement for everyone (@id 0) lets FTS5 write its index once, not
   * once per patient. No such patient: nothing to index. */
  stmt = meso_store_prepare (self,
                             "INSERT INTO patients_search_doc (id, name, contact, state) "
                             "SELECT id, name, meso_search_contact (phone, email, birth_date), "
                             MESO_STORE_SEARCH_STATE ("archived") " FROM patients "
                             "WHERE id BETWEEN ?1 AND ?2 ON CONFLICT (id) DO UPDATE SET "
                             "name = excluded.name, contact = excluded.contact, "
                             "state = excluded.state",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, id == 0 ? G_MININT64 : id);
  meso_db_bind_int64 (stmt, 2, id == 0 ? G_MAXINT64 : id);
  return meso_store_step_done (self, stmt, error);
}

/* ====================================================== files and opening */

gboolean
meso_store_fs_type_is_remote (gint64 fs_type)
{
  switch ((guint32)fs_type)
    {
    case 0x6969:      /* NFS */
    case 0x517B:      /* SMB */
    case 0xFF534D42:  /* CIFS */
    case 0xFE534D42:  /* SMB2 */
    case 0x564C:      /* NCP */
    case 0x6B414653:  /* AFS */
    case 0x5346414F:  /* OpenAFS */
    case 0x73757245:  /* Coda */
    case 0x47504653:  /* GPFS */
    case 0x00C36400:  /* Ceph */
    case 0x19830326:  /* FhGFS / BeeGFS */
    case 0x013111A8:  /* IBRIX */
    case 0x65735546:  /* FUSE: sshfs and friends, locking unknown */
      return TRUE;
    default:
      return FALSE;
    }
}

/* A WAL file is a 32-byte header and then frames. */
#define WAL_HEADER_SIZE 32

static gboolean
has_wal_content (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 && st.st_size > WAL_HEADER_SIZE;
}

static guint32
read_be32 (const guint8 *bytes)
{
  return ((guint32)bytes[0] << 24) | ((guint32)bytes[1] << 16) | ((guint32)bytes[2] << 8) |
         bytes[3];
}

/* Reads the first @n bytes of @path into @header (zeros past its end) and
 * its size, through SQLite's own file layer, never with open()/close():
 * POSIX drops every lock a process holds on a file when it closes any
 * descriptor of it, so a close beside this process's connections (the
 * window holds one per worker) would let another program think itself the
 * last, delete the write-ahead log, and lose the window's writes ("How To
 * Corrupt An SQLite Database File", 2.2). SQLite's unix layer knows the
 * file's other descriptors in this process and keeps ours open while they
 * hold locks. */
static gboolean
read_header (const char  *path,
             guint8      *header,
             int          n,
             gint64      *size,
             GError     **error)
{
  sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
  g_autofree sqlite3_file *file = NULL;
  sqlite3_filename name;
  sqlite3_int64 file_size = 0;
  int rc, flags = 0;

  memset (header, 0, n);
  if (vfs == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                           _("The clinic database reported an unexpected error. "
                             "Nothing was changed."));
      return FALSE;
    }
  file = g_malloc0 (vfs->szOsFile);
  /* The form SQLite gives a main database's name (URI parameters after it). */
  name = sqlite3_create_filename (path, "", "", 0, NULL);
  rc = vfs->xOpen (vfs, name, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &flags);
  if (rc == SQLITE_OK)
    {
      rc = file->pMethods->xFileSize (file, &file_size);
      if (rc == SQLITE_OK && file_size > 0)
        rc = file->pMethods->xRead (file, header, n, 0);
      if (rc == SQLITE_IOERR_SHORT_READ)
        rc = SQLITE_OK;  /* shorter than a header: the caller refuses it */
    }
  if (file->pMethods != NULL)
    file->pMethods->xClose (file);
  sqlite3_free_filename (name);

  if (rc != SQLITE_OK)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_debug ("Reading the header of %s: SQLite error %d", path, rc);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot read “%s”: check that it exists and that its permissions "
                     "allow reading it."), display);
      return FALSE;
    }
  *size = file_size;
  return TRUE;
}

/* Reads SQLite's header: refuses what is not an SQLite file, and a file
 * shorter than its header says (truncated), before SQLite writes anything. */
static gboolean
check_existing_file (const char  *path,
                     GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  guint8 header[100];
  GStatBuf st;
  guint32 page_size, n_pages;
  gint64 size;

  if (g_stat (path, &st) != 0)
    return TRUE;  /* new: SQLite creates it */

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is not a file."), display);
      return FALSE;
    }
  if (st.st_size == 0)
    return TRUE;

  if (!read_header (path, header, sizeof header, &size, error))
    return FALSE;

  if (size < (gint64)sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Mesodesk database (it is not an SQLite file, or it is "
                     "empty or damaged). It was left untouched."), display);
      return FALSE;
    }

  /* Another program's SQLite file: refuse before anything writes to it. */
  {
    guint32 app_id = read_be32 (header + 68);
    guint32 schema_cookie = read_be32 (header + 40);
    guint32 user_version = read_be32 (header + 60);

    /* Ours set the application id with the first schema, in one
     * transaction: a version or a table without it is someone else's. */
    if (app_id != MESO_APPLICATION_ID && (app_id != 0 || schema_cookie != 0 || user_version != 0))
      {
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                     _("“%s” is an SQLite file of another program, not a Mesodesk database. "
                       "It was left untouched."), display);
        return FALSE;
      }
  }

  page_size = ((guint32)header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  n_pages = read_be32 (header + 28);
  /* The page count is valid when "version-valid-for" matches the change
   * counter. A write-ahead log beside the file may hold the missing pages
   * (a checkpoint cut short by a crash): SQLite completes that on open. */
  if (memcmp (header + 92, header + 24, 4) == 0 && !has_wal_content (path) &&
      (page_size < 512 || (guint64)size < (guint64)page_size * n_pages ||
       size % page_size != 0))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged: it is shorter than its own header says (truncated). "
                     "It was left untouched; restore it from a backup."), display);
      return FALSE;
    }

  return TRUE;
}

static gboolean
prepare_location (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *display = g_filename_display_name (dir);
  struct statfs fs;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot create the folder “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (statfs (dir, &fs) == 0 && meso_store_fs_type_is_remote (fs.f_type))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNSUPPORTED,
                   _("“%s” is on a network filesystem. SQLite’s locking is not reliable "
                     "there, so records could be lost; keep the clinic database on a local "
                     "disk."), display);
      return FALSE;
    }

  return TRUE;
}

/* Checks the file and its folder, opens it, and sets the connection up
 * (pragmas, functions). NULL with a MESO_STORE_ERROR. */
static MesoDb *
sqlite_open (const char  *path,
             GError     **error)
{
  g_autoptr(GError) cause = NULL;
  MesoDb *db;
  sqlite3 *handle;

  if (!check_existing_file (path, error) || !prepare_location (path, error))
    return NULL;

  db = meso_db_sqlite_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                  SQLITE_OPEN_NOMUTEX, &cause);
  if (db == NULL)
    {
      meso_store_set_db_error (error, g_steal_pointer (&cause));
      return NULL;
    }
  /* Health data: private to the user, set by name before anything is
   * written (SQLite gives the -wal and -shm files the database's mode). Not
   * through a descriptor of ours: closing it would drop this process's
   * locks (read_header()). */
  if (g_chmod (path, 0600) != 0)
    g_debug ("Could not make the database private: %s", g_strerror (errno));
  handle = meso_db_sqlite_handle (db);
  sqlite3_busy_timeout (handle, BUSY_TIMEOUT_MS);
  /* The audit triggers call it; innocuous, so it stays callable there. */
  sqlite3_create_function (handle, "meso_actor", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                           actor_sql_function, NULL, NULL);
  sqlite3_create_function (handle, "meso_os_user", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                           actor_sql_function, NULL, NULL);
  sqlite3_create_function (handle, "meso_host", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                           host_sql_function, NULL, NULL);
  sqlite3_create_function (handle, "meso_search_contact", 3,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           search_contact_sql_function, NULL, NULL);
  /* Its answer hangs on a pointer only the store's own statements bind. */
  sqlite3_create_function (handle, "meso_search_hit", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                           NULL, search_hit_sql_function, NULL, NULL);

  if (!meso_db_exec (db, "PRAGMA foreign_keys = ON", &cause) ||
      !meso_db_exec (db, "PRAGMA journal_mode = WAL", &cause) ||
      !meso_db_exec (db, "PRAGMA synchronous = FULL", &cause) ||
      !meso_db_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), &cause))
    {
      meso_db_close (db);
      meso_store_set_db_error (error, g_steal_pointer (&cause));
      return NULL;
    }
  return db;
}

void
meso_store_limit_process_memory (gint64 bytes)
{
  g_return_if_fail (bytes >= 0);

  sqlite3_soft_heap_limit64 (bytes);
}

/* ============================================================ the schema */

/* @chained: the columns of schema MESO_STORE_AUDIT_CHAIN_VERSION on (the
 * system user and the computer; the place and hash are the store's,
 * written as the transaction commits). */
static char *
audit_triggers_sql (const MesoAuditedTable *t,
                    gboolean                chained)
{
  const char *columns = chained ? "at, actor, os_user, host, tbl, row_id, action, changes"
                                : "at, actor, tbl, row_id, action, changes";
  const char *who = chained ? "meso_actor(), meso_os_user(), meso_host()" : "meso_actor()";
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
    "INSERT INTO audit (%s) VALUES "
    "(strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), %s, '%s', NEW.rowid, 'insert', "
    "json_object(%s)); END;\n",
    t->table, t->table, columns, who, t->table, inserted->str);
  g_string_append_printf (sql,
    "CREATE TRIGGER audit_%s_update AFTER UPDATE ON %s BEGIN "
    "INSERT INTO audit (%s) "
    "SELECT strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), %s, '%s', NEW.rowid, "
    "'update', json_group_object(k, json(v)) FROM (%s) HAVING count(*) > 0; END;\n",
    t->table, t->table, columns, who, t->table, changed->str);
  g_string_append_printf (sql,
    "CREATE TRIGGER audit_%s_delete AFTER DELETE ON %s BEGIN "
    "INSERT INTO audit (%s) VALUES "
    "(strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'), %s, '%s', OLD.rowid, 'delete', "
    "json_object(%s)); END;\n",
    t->table, t->table, columns, who, t->table, deleted->str);

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* Append-only: the database itself refuses to change its history. Since
 * the chain, one change is let through: an entry without a place getting
 * its place and hash, nothing else of it changed (the store's seal). */
#define AUDIT_GUARD_V1_SQL \
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN" \
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;" \
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN" \
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
#define AUDIT_GUARD_SQL \
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN OLD.seq IS NOT NULL" \
  "  OR NEW.seq IS NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at" \
  "  OR NEW.actor IS NOT OLD.actor OR NEW.os_user IS NOT OLD.os_user" \
  "  OR NEW.host IS NOT OLD.host OR NEW.tbl IS NOT OLD.tbl OR NEW.row_id IS NOT OLD.row_id" \
  "  OR NEW.action IS NOT OLD.action OR NEW.changes IS NOT OLD.changes BEGIN" \
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;" \
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN" \
  "  SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

/* The triggers of the audited tables that the steps to @from … @to make
 * (each table's since within); @chained: as audit_triggers_sql(). */
static gboolean
create_audit_triggers (MesoStore  *self,
                       int         from,
                       int         to,
                       gboolean    chained,
                       GError    **error)
{
  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    {
      const MesoAuditedTable *t = &meso_store_audited_tables[i];
      g_autofree char *sql = NULL;

      if (MAX (t->since, 1) < from || MAX (t->since, 1) > to)
        continue;
      sql = audit_triggers_sql (t, chained);

      if (!meso_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
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
  AUDIT_GUARD_V1_SQL;

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

/* Version 5 made a server notify every change; a file's data version
 * (PRAGMA data_version) says as much. */
static const char schema_v5[] = "";

/* Version 6 gave a server's aftercare lists indexes they read alone; a
 * file's indexes were so made already (the courses WITHOUT ROWID). */
static const char schema_v6[] = "";

/* Version 7: a page of the patient list reads each patient's next
 * appointment (MESO_STORE_PATIENT_PAGE_COLUMNS) from one index entry, the
 * duplicate check (meso_store_find_namesakes()) the patients of one name
 * from another; the search index is filled anew, with birth dates. */
static const char schema_v7[] =
  "CREATE INDEX appointments_next ON appointments (patient_id, start)"
  "  WHERE status IN ('booked', 'checked-in');"
  "CREATE INDEX patients_namesakes ON patients (sort_key);";

/* Version 8: the practitioners are the staff (issue 16). `role` stays
 * whether one treats (clinician) or not; `manager` beside it; a password's
 * Argon2id hash (NULL: no account); the failed sign-ins in a row and the
 * last one's time (Unix milliseconds), shared by every desk. */
static const char schema_v8[] =
  "ALTER TABLE practitioners ADD COLUMN manager INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE practitioners ADD COLUMN password_hash TEXT;"
  "ALTER TABLE practitioners ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE practitioners ADD COLUMN failed_at INTEGER NOT NULL DEFAULT 0;";

/* Version 9, MESO_STORE_SCHEMA_LOTS (issue 18): products and their lots, each lot's number unique
 * within its product and its expiry the last day of use (R7); a session
 * keeps the lot as typed and, when it was registered, refers to it. The
 * recall ("who received lot X") reads the sessions of a lot in
 * sessions_lot, which holds only the sessions that have one. */
static const char schema_v9[] =
  "CREATE TABLE products ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE lots ("
  "  id INTEGER PRIMARY KEY,"
  "  product_id INTEGER NOT NULL REFERENCES products (id),"
  "  number TEXT NOT NULL CHECK (length(trim(number)) > 0),"
  "  expires_on TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (product_id, number));"
  "CREATE INDEX lots_number ON lots (number);"
  "ALTER TABLE sessions ADD COLUMN lot_id INTEGER REFERENCES lots (id);"
  "CREATE INDEX sessions_lot ON sessions (lot_id, at) WHERE lot_id IS NOT NULL;";

/* Version 10 (MESO_STORE_AUDIT_CHAIN_VERSION): the audit log names the
 * system user and the computer, and is chained (HACKING.md, "The audit
 * log's chain"): each entry's place and hash, the chain's head in one row.
 * The triggers are made anew (audit_triggers_sql()), the guard lets the
 * seal through. */
static const char schema_v10[] =
  "ALTER TABLE audit ADD COLUMN os_user TEXT;"
  "ALTER TABLE audit ADD COLUMN host TEXT;"
  "ALTER TABLE audit ADD COLUMN seq INTEGER;"
  "ALTER TABLE audit ADD COLUMN hash TEXT;"
  "CREATE UNIQUE INDEX audit_seq ON audit (seq);"
  "CREATE TABLE audit_chain ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq INTEGER NOT NULL,"
  "  hash TEXT NOT NULL);"
  "INSERT INTO audit_chain (id, seq, hash) VALUES (1, 0, '');"
  "DROP TRIGGER audit_no_update;"
  "DROP TRIGGER audit_no_delete;"
  AUDIT_GUARD_SQL;

/* Version 11, MESO_STORE_SCHEMA_CONSENT (issue 18, R8): consent forms by
 * name, each language's text in numbered versions (an edit is a new one,
 * none is ever changed), and the patients' consents, each on the version
 * it was signed on; a signature drawn on screen is its PNG, base64. A
 * signed consent is never changed but once, to revoke it: the trigger
 * refuses any other update, whoever sends it. */
static const char schema_v11[] =
  "CREATE TABLE consent_forms ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE consent_texts ("
  "  id INTEGER PRIMARY KEY,"
  "  form_id INTEGER NOT NULL REFERENCES consent_forms (id),"
  "  language TEXT NOT NULL CHECK (length(language) > 0),"
  "  version INTEGER NOT NULL CHECK (version > 0),"
  "  body TEXT NOT NULL CHECK (length(trim(body)) > 0),"
  "  created_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (form_id, language, version));"
  "CREATE TABLE consents ("
  "  id INTEGER PRIMARY KEY,"
  "  patient_id INTEGER NOT NULL REFERENCES patients (id),"
  "  text_id INTEGER NOT NULL REFERENCES consent_texts (id),"
  "  signed_on TEXT NOT NULL,"
  "  method TEXT NOT NULL CHECK (method IN ('screen', 'paper')),"
  "  signature TEXT,"
  "  taken_by TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  revoked_on TEXT,"
  "  revoke_reason TEXT,"
  "  revoked_by TEXT,"
  "  CHECK ((method = 'screen') = (signature IS NOT NULL)),"
  "  CHECK ((revoked_on IS NULL) = (revoke_reason IS NULL) AND"
  "         (revoked_on IS NULL) = (revoked_by IS NULL)));"
  "CREATE INDEX consents_patient ON consents (patient_id, signed_on);"
  "CREATE TRIGGER consent_texts_kept BEFORE UPDATE ON consent_texts BEGIN"
  "  SELECT RAISE (ABORT, 'a consent form''s version is never changed'); END;"
  "CREATE TRIGGER consents_signed BEFORE UPDATE ON consents"
  "  WHEN OLD.revoked_on IS NOT NULL OR NEW.revoked_on IS NULL"
  "    OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id"
  "    OR NEW.text_id IS NOT OLD.text_id OR NEW.signed_on IS NOT OLD.signed_on"
  "    OR NEW.method IS NOT OLD.method OR NEW.signature IS NOT OLD.signature"
  "    OR NEW.taken_by IS NOT OLD.taken_by OR NEW.created_at IS NOT OLD.created_at"
  "  BEGIN SELECT RAISE (ABORT, 'a signed consent cannot be edited, only revoked'); END;";

/* Version 12 (MESO_STORE_SCHEMA_PHOTOS): before/after photos of a session.
 * The metadata (audited) apart from the bytes (not audited, never read by
 * a list); in photo_data the thumbnail comes before the image, so reading
 * it follows none of the image's overflow pages. */
static const char schema_v12[] =
  "CREATE TABLE photos ("
  "  id INTEGER PRIMARY KEY,"
  "  session_id INTEGER NOT NULL REFERENCES sessions (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('before', 'during', 'after')),"
  "  area TEXT NOT NULL,"
  "  taken_at INTEGER NOT NULL,"
  "  width INTEGER NOT NULL CHECK (width > 0),"
  "  height INTEGER NOT NULL CHECK (height > 0),"
  "  format TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),"
  "  added_by TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL);"
  "CREATE INDEX photos_session ON photos (session_id, id);"
  "CREATE TABLE photo_data ("
  "  photo_id INTEGER PRIMARY KEY REFERENCES photos (id) ON DELETE CASCADE,"
  "  thumbnail BLOB NOT NULL,"
  "  image BLOB NOT NULL);";

/* The triggers of the audited tables the steps up to @version made. */
static gboolean
drop_audit_triggers (MesoStore  *self,
                     int         version,
                     GError    **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    if (MAX (meso_store_audited_tables[i].since, 1) <= version)
      g_string_append_printf (sql, "DROP TRIGGER audit_%1$s_insert; "
                              "DROP TRIGGER audit_%1$s_update; DROP TRIGGER audit_%1$s_delete;",
                              meso_store_audited_tables[i].table);
  return meso_store_exec (self, sql->str, error);
}

/* Each version's DDL; what a step fills is the logic's (meso-store.c). */
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

  if (*schemas[version - 1] != '\0' && !meso_store_exec (self, schemas[version - 1], error))
    return FALSE;
  if (version == MESO_STORE_SCHEMA_CONSENT && !meso_store_fill_consent_forms (self, error))
    return FALSE;
  /* The chain's step makes every table's triggers anew, with the system
   * user and the computer; before it, each step makes its own tables'. */
  if (version == MESO_STORE_AUDIT_CHAIN_VERSION)
    return drop_audit_triggers (self, version, error) &&
           create_audit_triggers (self, 1, version, TRUE, error);
  return create_audit_triggers (self, version, version, version > MESO_STORE_AUDIT_CHAIN_VERSION,
                                error);
}

/* A copy's rows and audit log go in as they are (meso-store-transfer.c):
 * SQLite cannot turn a trigger off, so the audit's are dropped and made
 * again, in the copy's transaction. */
static gboolean
copy_begin (MesoStore  *self,
            GError    **error)
{
  return meso_store_exec (self, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                                "DELETE FROM patients_search_doc;", error) &&
         drop_audit_triggers (self, MESO_STORE_SCHEMA_VERSION, error);
}

static gboolean
copy_end (MesoStore  *self,
          GError    **error)
{
  return meso_store_exec (self, AUDIT_GUARD_SQL, error) &&
         create_audit_triggers (self, 1, MESO_STORE_SCHEMA_VERSION, TRUE, error);
}

/* Reads the version, the application id and the tables in one snapshot:
 * read apart, another program's first migration could commit between them
 * and make our new file look foreign (tables, but the application id read
 * before they were there). */
static gboolean
check_version (MesoStore  *self,
                                 int        *version,
                                 GError    **error)
{
  int app_id = 0, n_tables = 0;
  gboolean read;

  if (!meso_store_exec (self, "BEGIN", error))
    return FALSE;
  read = meso_store_read_int (self, "PRAGMA user_version", version, error) &&
         meso_store_read_int (self, "PRAGMA application_id", &app_id, error) &&
         meso_store_read_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, error);
  meso_db_exec (meso_store_get_db (self), "COMMIT", NULL);
  if (!read)
    return FALSE;

  if (app_id != MESO_APPLICATION_ID && (app_id != 0 || n_tables > 0 || *version != 0))
    {
      g_autofree char *display = g_filename_display_name (meso_store_get_path (self));

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is an SQLite file of another program, not a Mesodesk database. "
                     "It was left untouched."), display);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_version (MesoStore  *self,
             int        *version,
             GError    **error)
{
  return meso_store_read_int (self, "PRAGMA user_version", version, error);
}

static gboolean
set_version (MesoStore  *self,
             int         version,
             GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = "
                                          G_STRINGIFY (MESO_APPLICATION_ID), version);

  return meso_store_exec (self, sql, error);
}

static gboolean check (MesoStore  *self,
                       GError    **error);

/* While a long write runs: a big page cache (KiB), and statement journals
 * in memory (one on disk takes a write per page of every INSERT). Neither
 * touches synchronous or the journal, so the committed result is as
 * durable as any other write. */
#define BULK_CACHE_KIB 262144

static gboolean
tune_bulk_write (MesoStore  *self,
                 char      **restore,
                 GError    **error)
{
  int cache_kib = 0, temp_store = 0;

  if (!meso_store_read_int (self, "PRAGMA cache_size", &cache_kib, error) ||
      !meso_store_read_int (self, "PRAGMA temp_store", &temp_store, error))
    return FALSE;
  *restore = g_strdup_printf ("PRAGMA cache_size = %d; PRAGMA temp_store = %d", cache_kib,
                              temp_store);
  return meso_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (BULK_CACHE_KIB) ";"
                                "PRAGMA temp_store = MEMORY", error);
}


/* ============================================ change notes and maintenance */

/* Another connection's commit changes it; a cheap pragma, read every
 * MESO_STORE_WATCH_MS by a window's watch. */
static gint64
data_version (MesoStore *self)
{
  MesoDbStmt *stmt;
  gint64 version = -1;

  stmt = meso_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && meso_store_step_row (self, stmt, NULL))
    {
      version = meso_db_column_int64 (stmt, 0);
      meso_db_reset (stmt);
    }
  return version;
}

static int
watch_fd (MesoStore *self)
{
  return -1;
}

static gboolean
find_missing_audit_trigger (MesoStore  *self,
                            char      **missing,
                            GError    **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  MesoDbStmt *stmt;

  *missing = NULL;
  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    {
      const char *table = meso_store_audited_tables[i].table;

      g_ptr_array_add (names, g_strdup_printf ("audit_%s_insert", table));
      g_ptr_array_add (names, g_strdup_printf ("audit_%s_update", table));
      g_ptr_array_add (names, g_strdup_printf ("audit_%s_delete", table));
    }
  g_ptr_array_add (names, g_strdup ("audit_no_update"));
  g_ptr_array_add (names, g_strdup ("audit_no_delete"));

  stmt = meso_store_prepare (self, "SELECT count(*) FROM sqlite_schema "
                                   "WHERE type = 'trigger' AND name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      meso_db_bind_text (stmt, 1, names->pdata[i]);
      if (!meso_store_step_found (self, stmt, error, "no count"))
        return FALSE;
      if (meso_db_column_int (stmt, 0) == 0)
        *missing = g_strdup (names->pdata[i]);
      meso_db_reset (stmt);
      if (*missing != NULL)
        break;
    }
  return TRUE;
}

const MesoStoreProvider meso_store_sqlite_provider = {
  .engine = MESO_DB_ENGINE_SQLITE,
  .open = sqlite_open,
  .check_version = check_version,
  .get_version = get_version,
  .schema_step = schema_step,
  .set_version = set_version,
  .dialect = NULL,
  .index_patients = index_patients,
  .bind_search = bind_search,
  .bind_search_hits = bind_search_hits,
  .check = check,
  .data_version = data_version,
  .watch_fd = watch_fd,
  .tune_bulk_write = tune_bulk_write,
  .copy_begin = copy_begin,
  .copy_end = copy_end,
  .set_actor = set_actor,
  .holds_database = holds_database,
  .find_missing_audit_trigger = find_missing_audit_trigger,
};

static gboolean
check (MesoStore  *self,
       GError    **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

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

/* ===================================================== backup and restore */

gboolean
meso_store_backup (MesoStore   *self,
                   const char  *destination,
                   GError     **error)
{
  return meso_store_backup_full (self, destination, NULL, NULL, NULL, error);
}

static void
set_backup_write_error (const char  *destination,
                        int          saved_errno,
                        GError     **error)
{
  g_autofree char *display = g_filename_display_name (destination);
  const char *reason = meso_store_describe_file_error (destination,
                                                       g_file_error_from_errno (saved_errno));

  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
               _("Cannot write the backup “%s”: %s"), display,
               reason != NULL ? reason : g_strerror (saved_errno));
}

/* Whether SQLite's integrity check finds nothing wrong in @db. */
static gboolean
database_is_sound (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean sound = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check (1)", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    sound = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  return sound;
}

/* Write beside the destination and rename: a failed backup never leaves a
 * half-written file under the name a person will restore from. The new,
 * empty file's name (absolute, so never read as a server's location), or
 * NULL with the error. */
static char *
make_partial (const char  *destination,
              GError     **error)
{
  g_autofree char *absolute = g_canonicalize_filename (destination, NULL);
  g_autofree char *partial = g_strconcat (absolute, ".partial", NULL);
  int fd;

  g_unlink (partial);
  fd = g_open (partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_backup_write_error (destination, errno, error);
      return NULL;
    }
  /* A new file of its own (O_EXCL): no connection of ours holds a lock on it. */
  close (fd);
  return g_steal_pointer (&partial);
}

/* Removes @path and what SQLite keeps beside it. */
static void
unlink_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* Copies @self to @destination with SQLite's online backup; with @verify,
 * only a copy that passes the integrity check is put in place. */
static gboolean
copy_to_file (MesoStore         *self,
              const char        *destination,
              gboolean           verify,
              MesoProgressFunc   progress,
              gpointer           user_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autofree char *partial = NULL;
  sqlite3 *target = NULL;
  sqlite3_backup *backup;
  gboolean cancelled = FALSE, damaged = FALSE;
  int rc;

  partial = make_partial (destination, error);
  if (partial == NULL)
    return FALSE;

  rc = sqlite3_open_v2 (partial, &target, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (target, "main", store_handle (self), "main");
      if (backup == NULL)
        rc = sqlite3_errcode (target);
      else
        {
          /* Steps, so other programs can write between them. */
          do
            {
              rc = sqlite3_backup_step (backup, 256);
              if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep (20);
              if (progress != NULL && sqlite3_backup_pagecount (backup) > 0)
                progress (1.0 - (double)sqlite3_backup_remaining (backup) /
                          sqlite3_backup_pagecount (backup), user_data);
              cancelled = g_cancellable_is_cancelled (cancellable);
            }
          while (!cancelled &&
                 (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED));
          sqlite3_backup_finish (backup);
          /* The pages are copied as they are: a damaged database makes a
           * damaged copy, which must never pass for a good backup. */
          damaged = rc == SQLITE_DONE && !cancelled && verify && !database_is_sound (target);
          if (rc == SQLITE_DONE && !cancelled && !damaged)
            rc = sqlite3_exec (target, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
        }
    }
  sqlite3_close_v2 (target);

  if (cancelled || damaged || rc != SQLITE_OK)
    g_unlink (partial);
  if (cancelled)
    {
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return FALSE;
    }
  if (damaged)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                           _("The clinic database is damaged, so no backup was written: a copy "
                             "would be damaged too. Keep the backups you have, and restore the "
                             "latest one."));
      return FALSE;
    }
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (meso_store_get_db (self), rc, error);
      return FALSE;
    }

  if (g_rename (partial, destination) != 0)
    {
      int saved_errno = errno;

      g_unlink (partial);
      set_backup_write_error (destination, saved_errno, error);
      return FALSE;
    }
  return TRUE;
}

/* Whether @a and @b name one file: the same path, a link, a hard link. */
static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf st_a, st_b;

  return g_stat (a, &st_a) == 0 && g_stat (b, &st_b) == 0 &&
         st_a.st_dev == st_b.st_dev && st_a.st_ino == st_b.st_ino;
}

gboolean
meso_store_check_backup_target (MesoStore   *self,
                                const char  *destination,
                                GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);

  /* A clinic server's backup is a file, never the server itself. */
  if (meso_store_get_provider (self)->engine == MESO_DB_ENGINE_SQLITE &&
      same_file (meso_store_get_path (self), destination))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The backup cannot be the clinic database itself."));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  MesoProgressFunc progress;
  gpointer         user_data;
} FractionProgress;

static void
fraction_progress_cb (gint64   done,
                      gint64   total,
                      gpointer user_data)
{
  FractionProgress *fraction = user_data;

  if (total > 0)
    fraction->progress ((double)done / total, fraction->user_data);
}

/* Another engine's clinic into a new SQLite file, record by record
 * (meso_store_copy_into()), checked before it takes the name
 * @destination: a Mesodesk database any desk opens. */
static gboolean
copy_by_records (MesoStore         *self,
                 const char        *destination,
                 MesoProgressFunc   progress,
                 gpointer           user_data,
                 GCancellable      *cancellable,
                 GError           **error)
{
  FractionProgress fraction = { progress, user_data };
  g_autofree char *partial = make_partial (destination, error);
  g_autoptr(MesoStore) copy = NULL;
  gboolean ok;

  if (partial == NULL)
    return FALSE;
  copy = meso_store_open (partial, error);
  ok = copy != NULL &&
       meso_store_copy_into (self, copy, FALSE, NULL,
                             progress != NULL ? fraction_progress_cb : NULL, &fraction,
                             cancellable, NULL, error);
  if (ok && !database_is_sound (store_handle (copy)))
    {
      ok = FALSE;
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                           _("The copy of the clinic failed its check, so no backup was "
                             "written. Try again."));
    }
  /* One file, without a write-ahead log beside it. */
  ok = ok && meso_store_exec (copy, "PRAGMA journal_mode = DELETE", error);
  g_clear_object (&copy);
  if (ok && g_rename (partial, destination) != 0)
    {
      ok = FALSE;
      set_backup_write_error (destination, errno, error);
    }
  if (!ok)
    unlink_database (partial);
  return ok;
}

gboolean
meso_store_backup_full (MesoStore         *self,
                        const char        *destination,
                        MesoProgressFunc   progress,
                        gpointer           user_data,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  if (!meso_store_check_backup_target (self, destination, error))
    return FALSE;
  if (meso_store_get_provider (self)->engine != MESO_DB_ENGINE_SQLITE)
    return copy_by_records (self, destination, progress, user_data, cancellable, error);
  return copy_to_file (self, destination, TRUE, progress, user_data, cancellable, error);
}

static gboolean
rename_if_exists (const char  *from,
                  const char  *to,
                  GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;
  {
    int saved_errno = errno;
    g_autofree char *display = g_filename_display_name (from);

    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                 _("Cannot move “%s” aside: %s"), display, g_strerror (saved_errno));
  }
  return FALSE;
}

/* A backup is a Mesodesk database with its schema: not an empty file, nor
 * an SQLite file without our application id and a schema version. */
static gboolean
check_backup_file (const char  *backup,
                   GError     **error)
{
  g_autofree char *display = g_filename_display_name (backup);
  guint8 header[100];
  gint64 size = 0;
  GStatBuf st;

  if (g_stat (backup, &st) != 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot read the backup “%s”."), display);
      return FALSE;
    }
  if (!check_existing_file (backup, error) || !read_header (backup, header, sizeof header,
                                                            &size, error))
    return FALSE;
  if (size == 0 || read_be32 (header + 68) != MESO_APPLICATION_ID ||
      read_be32 (header + 60) == 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Mesodesk backup: it is empty or holds no clinic records. "
                     "The clinic database was left as it was."), display);
      return FALSE;
    }
  return TRUE;
}

/* Writes @source's pages over @self's in one transaction, through SQLite's
 * backup API: the file, its write-ahead log and every connection to them
 * stay, so a program with the database open (the window) sees the restored
 * records, as after any other write, instead of writing on into a file moved
 * aside. Other writers wait, as for any write. */
static gboolean
overwrite_with (MesoStore  *self,
                MesoStore  *source,
                GError    **error)
{
  sqlite3_backup *backup;
  int page_size = 0, source_page_size = 0, rc;
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  /* A WAL database takes pages of its own size only. */
  if (!meso_store_read_int (self, "PRAGMA page_size", &page_size, error) ||
      !meso_store_read_int (source, "PRAGMA page_size", &source_page_size, error))
    return FALSE;
  if (page_size != source_page_size)
    {
      g_autofree char *resize = g_strdup_printf ("PRAGMA journal_mode = DELETE; "
                                                 "PRAGMA page_size = %d; VACUUM", page_size);

      if (!meso_store_exec (source, resize, error))
        return FALSE;
    }

  backup = sqlite3_backup_init (store_handle (self), "main", store_handle (source), "main");
  if (backup == NULL)
    {
      set_sqlite_error (meso_store_get_db (self), sqlite3_errcode (store_handle (self)), error);
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && g_get_monotonic_time () < deadline);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (meso_store_get_db (self), rc, error);
      return FALSE;
    }
  return TRUE;
}

/* @backup into @path, for opening (which migrates, and may write) and
 * checking: the backup itself is left as it is. */
static gboolean
copy_backup (const char  *backup,
             const char  *path,
             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (backup, &contents, &length, NULL))
    {
      g_autofree char *display = g_filename_display_name (backup);

      /* Database family (exit 5), as a backup that is damaged or not one. */
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot read the backup “%s”."), display);
      return FALSE;
    }
  unlink_database (path);
  return g_file_set_contents_full (path, contents, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* A backup file into a clinic server: its records copied in one
 * transaction (meso_store_copy_into()), checked first in a copy of the
 * file in a private temporary folder. */
static gboolean
restore_into_server (const char             *backup,
                     const char             *destination,
                     gboolean                replace,
                     const MesoStaffTicket  *signed_in,
                     GError                **error)
{
  g_autoptr(GError) tmp_error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *incoming = NULL;
  g_autofree char *name = g_path_get_basename (backup);
  g_autoptr(MesoStore) check = NULL;
  g_autoptr(MesoStore) live = NULL;
  gboolean ok;

  if (!check_backup_file (backup, error))
    return FALSE;
  folder = g_dir_make_tmp ("mesodesk-restore-XXXXXX", &tmp_error);
  if (folder == NULL)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot make a temporary folder to check the backup in: %s"),
                   tmp_error->message);
      return FALSE;
    }
  incoming = g_build_filename (folder, "backup.db", NULL);

  ok = copy_backup (backup, incoming, error) &&
       (check = meso_store_open (incoming, error)) != NULL &&
       meso_store_check (check, error) &&
       (live = meso_store_open (destination, error)) != NULL &&
       meso_store_require_ticket (live, signed_in, MESO_PERMISSION_MANAGE, error);
  if (ok && !replace)
    {
      g_autoptr(GError) not_empty = NULL;

      /* Said here in the words of a restore, not of a move. */
      ok = meso_store_copy_into (check, live, FALSE, name, NULL, NULL, NULL, NULL, &not_empty);
      if (!ok && g_error_matches (not_empty, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
        g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                             _("The clinic server already holds records; restoring the backup "
                               "would replace them all. Nothing was changed."));
      else if (!ok)
        g_propagate_error (error, g_steal_pointer (&not_empty));
    }
  else if (ok)
    ok = meso_store_copy_into (check, live, TRUE, name, NULL, NULL, NULL, NULL, error);

  g_clear_object (&check);
  unlink_database (incoming);
  g_rmdir (folder);
  return ok;
}

gboolean
meso_store_restore (const char  *backup,
                    const char  *destination,
                    char       **kept_aside,
                    GError     **error)
{
  return meso_store_restore_full (backup, destination, MESO_RESTORE_NONE, NULL, kept_aside,
                                  error);
}

gboolean
meso_store_restore_full (const char             *backup,
                         const char             *destination,
                         MesoRestoreFlags        flags,
                         const MesoStaffTicket  *signed_in,
                         char                  **kept_aside,
                         GError                **error)
{
  g_autoptr(MesoStore) check = NULL;
  g_autoptr(MesoStore) live = NULL;
  g_autoptr(GError) live_error = NULL;
  /* The real clock, not MESODESK_NOW: two restores must not share a name. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S-%fZ");
  g_autofree char *incoming = g_strconcat (destination, ".restoring", NULL);
  g_autofree char *incoming_wal = g_strconcat (incoming, "-wal", NULL);
  g_autofree char *incoming_shm = g_strconcat (incoming, "-shm", NULL);
  g_autofree char *aside = g_strdup_printf ("%s.replaced-%s", destination, stamp);
  g_autofree char *aside_wal = g_strconcat (aside, "-wal", NULL);
  g_autofree char *dest_wal = g_strconcat (destination, "-wal", NULL);
  g_autofree char *dest_shm = g_strconcat (destination, "-shm", NULL);
  gboolean ok;

  g_return_val_if_fail (backup != NULL && destination != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kept_aside != NULL)
    *kept_aside = NULL;

  if (meso_store_location_parse (destination) == MESO_DB_ENGINE_POSTGRESQL)
    return restore_into_server (backup, destination, (flags & MESO_RESTORE_REPLACE) != 0,
                                signed_in, error);

  /* The file alone would miss what its write-ahead log holds, and the
   * records would be replaced by their own older state. */
  if (same_file (backup, destination))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The clinic database cannot be restored from itself: choose a "
                             "backup."));
      return FALSE;
    }
  /* Check a copy, never the backup itself: opening migrates and may write. */
  if (!check_backup_file (backup, error) || !copy_backup (backup, incoming, error))
    return FALSE;

  check = meso_store_open (incoming, error);
  if (check == NULL || !meso_store_check (check, error))
    goto discard;

  /* The database in use takes the backup's pages in place; what is there
   * now is first copied aside as it is (damaged, maybe: unverified). */
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    live = meso_store_open (destination, &live_error);
  /* Asked of the database being replaced: its accounts decide. One that
   * does not open has none to ask (and is kept aside, below). */
  if (live != NULL && !meso_store_require_ticket (live, signed_in, MESO_PERMISSION_MANAGE,
                                                  error))
    goto discard;
  if (live != NULL)
    {
      if (!copy_to_file (live, aside, FALSE, NULL, NULL, NULL, error))
        goto discard;
      if (!overwrite_with (live, check, error))
        {
          g_unlink (aside);  /* one transaction: nothing was replaced */
          goto discard;
        }
      g_clear_object (&check);
      g_unlink (incoming);
      g_unlink (incoming_wal);
      g_unlink (incoming_shm);
      if (kept_aside != NULL)
        *kept_aside = g_steal_pointer (&aside);
      return TRUE;
    }
  /* No Mesodesk opens it (missing, not a database, damaged at its start),
   * so nobody can be using it: the checked copy replaces the file. */
  if (live_error != NULL && live_error->code != MESO_STORE_ERROR_CORRUPT &&
      live_error->code != MESO_STORE_ERROR_UNSUPPORTED)
    {
      g_propagate_error (error, g_steal_pointer (&live_error));
      goto discard;
    }
  ok = meso_store_exec (check, "PRAGMA wal_checkpoint(TRUNCATE)", error);
  g_clear_object (&check);
  if (!ok)
    goto discard;

  /* Keep the replaced file, with its write-ahead log, under one name. */
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      if (!rename_if_exists (destination, aside, error) ||
          !rename_if_exists (dest_wal, aside_wal, error))
        goto discard;
      g_unlink (dest_shm);
      if (kept_aside != NULL)
        *kept_aside = g_steal_pointer (&aside);
    }

  g_unlink (incoming_wal);
  g_unlink (incoming_shm);
  if (g_rename (incoming, destination) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (destination);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot put the restored database in place as “%s”: %s"), display,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;

discard:
  g_clear_object (&check);
  g_unlink (incoming);
  g_unlink (incoming_wal);
  g_unlink (incoming_shm);
  return FALSE;
}
