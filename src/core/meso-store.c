/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* 'MESO': marks the file as ours, so a foreign SQLite file is never migrated. */
#define MESO_APPLICATION_ID 0x4D45534F
#define BUSY_TIMEOUT_MS 10000
/* SQLite's default page cache (2 MiB) makes the day's reminders on a large
 * clinic read most pages from the OS again on every run; 16 MiB holds the
 * three courses indexes (names included, 11 MiB on the demo). It fills
 * only as pages are read, and the window holds a few connections (one per
 * worker), so it stays modest. */
#define CACHE_KIB 16384

struct _MesoStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
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

/* ================================================================ SQLite */
/* Everything SQLite-specific, bar the SQL text, is in this section. */

void
meso_store_set_db_error (MesoStore   *self,
                         int          rc,
                         GError     **error)
{
  int code;
  const char *message;

  /* The person reads ours; SQLite's own words go to the debug log only. */
  g_debug ("SQLite error %d: %s", rc, self->db ? sqlite3_errmsg (self->db) : "");

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = MESO_STORE_ERROR_BUSY;
      message = _("The clinic database is busy: another program kept it locked. "
                  "Nothing was changed; try again.");
      break;
    case SQLITE_FULL:
      code = MESO_STORE_ERROR_FULL;
      message = _("The disk is full. Nothing was changed; free some space and try again.");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = MESO_STORE_ERROR_CORRUPT;
      message = _("The clinic database is damaged or is not a Mesodesk database. "
                  "Restore it from a backup.");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database cannot be written: check the file’s permissions.");
      break;
    case SQLITE_CANTOPEN:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database cannot be opened: check that its folder exists and "
                  "can be written.");
      break;
    case SQLITE_IOERR:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The disk reported an error while reading or writing the clinic database. "
                  "Nothing was changed.");
      break;
    case SQLITE_CONSTRAINT:
      code = MESO_STORE_ERROR_INVALID;
      message = _("The change contradicts the records already stored (for example, a "
                  "record it refers to is missing). Nothing was changed.");
      break;
    default:
      code = MESO_STORE_ERROR_FAILED;
      message = _("The clinic database reported an unexpected error. Nothing was changed.");
      break;
    }

  g_set_error_literal (error, MESO_STORE_ERROR, code, message);
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

sqlite3_stmt *
meso_store_prepare (MesoStore   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      meso_store_set_db_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer)sql, stmt);
  return stmt;
}

gboolean
meso_store_step_done (MesoStore     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      meso_store_set_db_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
meso_store_step_row (MesoStore     *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    meso_store_set_db_error (self, rc, error);
  return FALSE;
}

gboolean
meso_store_step_found (MesoStore     *self,
                       sqlite3_stmt  *stmt,
                       GError       **error,
                       const char    *format,
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
meso_store_exec (MesoStore   *self,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      meso_store_set_db_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Transactions nest: the outermost takes the write lock, inner ones are
 * savepoints, so an import can wrap many single writes in one all-or-nothing
 * unit. After a failed commit nothing is left to roll back. */
gboolean
meso_store_begin (MesoStore  *self,
                  GError    **error)
{
  g_autofree char *sql = NULL;

  /* IMMEDIATE: take the write lock now, so two programs booking at once
   * queue up instead of both deciding on stale data. */
  sql = self->depth == 0 ? g_strdup ("BEGIN IMMEDIATE")
                         : g_strdup_printf ("SAVEPOINT level%u", self->depth);
  if (!meso_store_exec (self, sql, error))
    return FALSE;
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
  /* SQLite may have rolled back by itself (e.g. a full disk): then no-op. */
  if (self->depth > 0 || !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

void
meso_store_bind_text (sqlite3_stmt *stmt,
                      int           index,
                      const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
meso_store_column_dup (sqlite3_stmt *stmt,
                       int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *)text) : NULL;
}

gint64
meso_store_last_insert_id (MesoStore *self)
{
  return sqlite3_last_insert_rowid (self->db);
}

/* The OS user, for the audit log's triggers. */
static void
actor_sql_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_user_name (), -1, SQLITE_STATIC);
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
read_pragma_int (MesoStore   *self,
                 const char  *sql,
                 int         *value,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_OK)
    {
      meso_store_set_db_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
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
  read = read_pragma_int (self, "PRAGMA user_version", &version, error) &&
         read_pragma_int (self, "PRAGMA application_id", &app_id, error) &&
         read_pragma_int (self, "SELECT count(*) FROM sqlite_schema", &n_tables, error);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
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
      if (!read_pragma_int (self, "PRAGMA user_version", &version, error))
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
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_existing_file (path, error) || !prepare_location (path, error))
    return NULL;

  self = g_object_new (MESO_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      meso_store_set_db_error (self, rc, error);
      return NULL;
    }
  /* Health data: private to the user, set by name before anything is
   * written (SQLite gives the -wal and -shm files the database's mode). Not
   * through a descriptor of ours: closing it would drop this process's
   * locks (read_header()). */
  if (g_chmod (path, 0600) != 0)
    g_debug ("Could not make the database private: %s", g_strerror (errno));
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  /* The audit triggers call it; innocuous, so it stays callable there. */
  sqlite3_create_function (self->db, "meso_actor", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                           actor_sql_function, NULL, NULL);
  sqlite3_create_function (self->db, "meso_search_contact", 2,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           meso_store_search_contact_function, NULL, NULL);
  /* Its answer hangs on a pointer only the store's own statements bind. */
  sqlite3_create_function (self->db, "meso_search_hit", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                           NULL, meso_store_search_hit_function, NULL, NULL);

  if (!meso_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !meso_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !meso_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !meso_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), error) ||
      !migrate (self, target_version, error))
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

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
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
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
meso_store_init (MesoStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
}

void
meso_store_limit_process_memory (gint64 bytes)
{
  g_return_if_fail (bytes >= 0);

  sqlite3_soft_heap_limit64 (bytes);
}

gint64
meso_store_get_data_version (MesoStore *self)
{
  sqlite3_stmt *stmt;
  gint64 version = -1;

  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  stmt = meso_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt != NULL && meso_store_step_row (self, stmt, NULL))
    {
      version = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (self->install_id != NULL)
    return self->install_id;

  stmt = meso_store_prepare (self, "SELECT value FROM settings WHERE key = 'install_id'", NULL);
  if (stmt != NULL && meso_store_step_row (self, stmt, NULL))
    {
      self->install_id = meso_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  stmt = meso_store_prepare (self, policy_sql, error);
  if (stmt == NULL)
    return FALSE;

  while (meso_store_step_row (self, stmt, &local_error))
    {
      const char *key = (const char *)sqlite3_column_text (stmt, 0) + strlen ("policy.");
      gint64 value = sqlite3_column_int64 (stmt, 1);

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
  sqlite3_stmt *stmt;

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
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, G_STRUCT_MEMBER (guint, policy, policy_fields[i].offset));
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = meso_store_prepare (self,
                             "SELECT id, at, actor, tbl, row_id, action, changes FROM audit "
                             "WHERE (?1 IS NULL OR tbl = ?1) AND (?2 = 0 OR row_id = ?2) "
                             "ORDER BY id",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_store_bind_text (stmt, 1, table);
  sqlite3_bind_int64 (stmt, 2, row_id);

  /* The row's own text, not copies: the entry lives for the call only. */
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoAuditEntry entry = {
        .id = sqlite3_column_int64 (stmt, 0),
        .at = (char *)sqlite3_column_text (stmt, 1),
        .actor = (char *)sqlite3_column_text (stmt, 2),
        .table = (char *)sqlite3_column_text (stmt, 3),
        .row_id = sqlite3_column_int64 (stmt, 4),
        .action = (char *)sqlite3_column_text (stmt, 5),
        .changes = (char *)sqlite3_column_text (stmt, 6),
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  stmt = meso_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  while (meso_store_step_row (self, stmt, &local_error))
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

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
      sqlite3_reset (stmt);
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
  int rc, fd;

  /* Write beside the destination and rename: a failed backup never leaves a
   * half-written file under the name a person will restore from. */
  partial = g_strconcat (destination, ".partial", NULL);
  g_unlink (partial);
  fd = g_open (partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_backup_write_error (destination, errno, error);
      return FALSE;
    }
  /* A new file of its own (O_EXCL): no connection of ours holds a lock on it. */
  close (fd);

  rc = sqlite3_open_v2 (partial, &target, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (target, "main", self->db, "main");
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
      meso_store_set_db_error (self, rc, error);
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

  if (same_file (self->path, destination))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The backup cannot be the clinic database itself."));
      return FALSE;
    }
  return TRUE;
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

  if (!meso_store_check_backup_target (self, destination, error))
    return FALSE;
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
  if (!read_pragma_int (self, "PRAGMA page_size", &page_size, error) ||
      !read_pragma_int (source, "PRAGMA page_size", &source_page_size, error))
    return FALSE;
  if (page_size != source_page_size)
    {
      g_autofree char *resize = g_strdup_printf ("PRAGMA journal_mode = DELETE; "
                                                 "PRAGMA page_size = %d; VACUUM", page_size);

      if (!meso_store_exec (source, resize, error))
        return FALSE;
    }

  backup = sqlite3_backup_init (self->db, "main", source->db, "main");
  if (backup == NULL)
    {
      meso_store_set_db_error (self, sqlite3_errcode (self->db), error);
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
      meso_store_set_db_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
meso_store_restore (const char  *backup,
                    const char  *destination,
                    char       **kept_aside,
                    GError     **error)
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
  g_autofree char *contents = NULL;
  gboolean ok;
  gsize length;

  g_return_val_if_fail (backup != NULL && destination != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kept_aside != NULL)
    *kept_aside = NULL;

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
  if (!check_backup_file (backup, error))
    return FALSE;
  if (!g_file_get_contents (backup, &contents, &length, NULL))
    {
      g_autofree char *display = g_filename_display_name (backup);

      /* Database family (exit 5), as a backup that is damaged or not one. */
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                   _("Cannot read the backup “%s”."), display);
      return FALSE;
    }
  g_unlink (incoming);
  if (!g_file_set_contents_full (incoming, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  g_clear_pointer (&contents, g_free);

  check = meso_store_open (incoming, error);
  if (check == NULL || !meso_store_check (check, error))
    goto discard;

  /* The database in use takes the backup's pages in place; what is there
   * now is first copied aside as it is (damaged, maybe: unverified). */
  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    live = meso_store_open (destination, &live_error);
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
