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

/* The OS user, for the audit log's triggers. */
static void
actor_sql_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_user_name (), -1, SQLITE_STATIC);
}

/* meso_search_contact (phone, email) in SQL: the search document's contact
 * column, so that one statement indexes one patient or all of them. */
static void
search_contact_sql_function (sqlite3_context  *context,
                             int               argc,
                             sqlite3_value   **argv)
{
  char *contact = meso_store_contact_document ((const char *)sqlite3_value_text (argv[0]),
                                               (const char *)sqlite3_value_text (argv[1]));

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

void
meso_store_sqlite_bind_search_hits (MesoDbStmt           *stmt,
                                    int                   index,
                                    const MesoSearchHits *hits)
{
  sqlite3_bind_pointer (meso_db_sqlite_stmt_handle (stmt), index, (void *)hits,
                        SEARCH_HITS_TYPE, NULL);
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

MesoDb *
meso_store_sqlite_open (const char  *path,
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
  sqlite3_create_function (handle, "meso_search_contact", 2,
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
