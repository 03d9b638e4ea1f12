/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-db-postgresql.h"
#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _MesoStore
{
  GObject     parent_instance;

  const MesoStoreProvider *provider;
  MesoDb     *db;
  char       *path;
  int         version;
  guint       depth;
  char       *install_id;       /* nested transactions: the outer one BEGINs */
  /* Who is signed in (meso-store-staff.c): 0 and NULL when nobody. */
  gint64      staff_id;
  char       *staff_name;
  char       *actor;            /* the audit's; NULL: the OS user */
  gint64      audit_mark;       /* the last audit entry before the outer one began */
  MesoStoreGrant grant;         /* meso_store_require()'s (meso-store-staff.c) */
  gboolean    reading;          /* the outer one is meso_store_begin_read()'s */
};

G_DEFINE_FINAL_TYPE (MesoStore, meso_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (meso-store-error-quark, meso_store_error)

/* ================================================================= dates */

gboolean
meso_store_check_date_time (MesoDateKind   kind,
                            GDateTime     *date_time,
                            GDateTime     *now,
                            GError       **error)
{
  GError *local_error = NULL;

  return meso_date_time_check (kind, date_time, now, &local_error) ||
         meso_store_invalid (error, local_error);
}

gboolean
meso_store_check_date (MesoDateKind   kind,
                       const GDate   *date,
                       GError       **error)
{
  GError *local_error = NULL;
  GDate today;

  meso_clock_today (&today);
  return meso_date_check (kind, date, &today, &local_error) ||
         meso_store_invalid (error, local_error);
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
      code = MESO_STORE_ERROR_UNREACHABLE;
      message = _("The clinic server cannot be reached: check the network and that the "
                  "server is running. Nothing was changed.");
      break;
    case MESO_DB_ERROR_AUTH:
      code = MESO_STORE_ERROR_DENIED;
      message = _("The clinic server refused the user name or password. Nothing was changed.");
      break;
    /* A server whose certificate is not verified is not connected to: it
     * cannot be reached safely, whatever answers at its address. */
    case MESO_DB_ERROR_TLS_HOST:
      code = MESO_STORE_ERROR_UNREACHABLE;
      message = _("The clinic server’s certificate does not match the server’s name, so "
                  "Mesodesk did not connect: this may not be the clinic’s server. Check the "
                  "server name, or ask whoever set up the server.");
      break;
    case MESO_DB_ERROR_TLS_UNTRUSTED:
      code = MESO_STORE_ERROR_UNREACHABLE;
      message = _("The clinic server’s certificate is not signed by the clinic’s certificate "
                  "authority, so Mesodesk did not connect: this may not be the clinic’s "
                  "server. Ask whoever set up the server.");
      break;
    case MESO_DB_ERROR_TLS_NO_CA:
      code = MESO_STORE_ERROR_UNREACHABLE;
      message = _("The clinic server’s certificate cannot be checked: this computer has no "
                  "copy of the clinic’s certificate authority (choose it in Preferences → "
                  "Clinic Database, or see “Several desks” in the README). Mesodesk did not "
                  "connect.");
      break;
    case MESO_DB_ERROR_TLS_MISSING:
      code = MESO_STORE_ERROR_UNREACHABLE;
      message = _("The clinic server does not offer encryption, which this connection "
                  "requires. Mesodesk did not connect.");
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

void
meso_store_after_bulk_write (MesoStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->provider->bulk_write_done != NULL &&
      !self->provider->bulk_write_done (self, &error))
    g_debug ("After a long write: %s", error->message);
}

const MesoStoreProvider *
meso_store_get_provider (MesoStore *self)
{
  return self->provider;
}

const char *
meso_store_dialect (MesoStore  *self,
                    const char *name,
                    const char *sql)
{
  const char *own = self->provider->dialect != NULL ? self->provider->dialect (name) : NULL;

  return own != NULL ? own : sql;
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

/* A write outside a transaction is made one, so that the audit entries it
 * causes are sealed into the chain at its commit, as every write's. */
static gboolean
alone (MesoStore *self)
{
  return self->depth == 0 && self->version >= MESO_STORE_AUDIT_CHAIN_VERSION;
}

static gboolean
step_done_cb (MesoStore  *self,
              gpointer    stmt,
              GError    **error)
{
  return meso_store_step_done (self, stmt, error);
}

typedef struct
{
  MesoDbStmt *stmt;
  gint64     *id;
} StepId;

static gboolean
step_id_cb (MesoStore  *self,
            gpointer    data,
            GError    **error)
{
  StepId *step = data;

  return meso_store_step_id (self, step->stmt, step->id, error);
}

gboolean
meso_store_step_done (MesoStore   *self,
                      MesoDbStmt  *stmt,
                      GError     **error)
{
  GError *cause = NULL;

  if (alone (self))
    return meso_store_run_write (self, step_done_cb, stmt, error);
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

  if (alone (self))
    {
      StepId step = { stmt, id };

      return meso_store_run_write (self, step_id_cb, &step, error);
    }
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

/* ========================================================= the audit chain
 * The triggers write each entry without a place in the chain; the
 * transaction that caused it seals it as it commits (seal_audit()): in id
 * order, each gets the next place (seq) and its hash over the previous
 * entry's, under the chain's head (audit_chain, one row) updated in the
 * same transaction. SQLite's write lock already queues the writers; on a
 * server two desks sealing at once both update the head, and the second's
 * serializable transaction fails and runs again (meso_store_run_write()),
 * so places follow commit order, whatever order the ids were taken in. */

/* @number in decimal, written backwards from @end; returns where it starts. */
static char *
format_decimal (char    *end,
                guint64  number)
{
  do
    *--end = '0' + number % 10;
  while ((number /= 10) != 0);
  return end;
}

/* A field as the hash reads it: its length in decimal, ':', its bytes, ','
 * (a netstring). The entry's fields are put together in one buffer and
 * hashed at once: GChecksum's own cost is per call, g_snprintf's per
 * number. */
static void
hash_bytes (GString    *text,
            const char *bytes,
            gsize       length)
{
  char digits[24];
  char *start = format_decimal (digits + sizeof digits, length);

  g_string_append_len (text, start, digits + sizeof digits - start);
  g_string_append_c (text, ':');
  g_string_append_len (text, bytes, length);
  g_string_append_c (text, ',');
}

/* NULL is "-,". */
static void
hash_field (GString    *text,
            const char *field)
{
  if (field == NULL)
    g_string_append_len (text, "-,", 2);
  else
    hash_bytes (text, field, strlen (field));
}

static void
hash_number (GString *text,
             gint64   number)
{
  char digits[24];
  char *start = format_decimal (digits + sizeof digits,
                                number < 0 ? -(guint64)number : (guint64)number);

  if (number < 0)
    *--start = '-';
  hash_bytes (text, start, digits + sizeof digits - start);
}

/* What one seal or verification needs again for every entry. */
struct _MesoAuditHasher
{
  GChecksum *sum;
  GString   *text;
};

MesoAuditHasher *
meso_audit_hasher_new (void)
{
  MesoAuditHasher *hasher = g_new0 (MesoAuditHasher, 1);

  hasher->sum = g_checksum_new (G_CHECKSUM_SHA256);
  hasher->text = g_string_sized_new (1024);
  return hasher;
}

void
meso_audit_hasher_free (MesoAuditHasher *hasher)
{
  if (hasher == NULL)
    return;
  g_checksum_free (hasher->sum);
  g_string_free (hasher->text, TRUE);
  g_free (hasher);
}

/* The entry's hash in @hash (64 hex digits and a NUL). */
void
meso_audit_hasher_hash (MesoAuditHasher      *hasher,
                        const char           *prev,
                        gint64                seq,
                        gint64                id,
                        const MesoAuditEntry *entry,
                        char                  hash[MESO_AUDIT_HASH_SIZE])
{
  GString *text = hasher->text;

  g_string_truncate (text, 0);
  hash_field (text, prev != NULL ? prev : "");
  hash_number (text, seq);
  hash_number (text, id);
  hash_field (text, entry->at);
  hash_field (text, entry->actor);
  hash_field (text, entry->os_user);
  hash_field (text, entry->host);
  hash_field (text, entry->table);
  hash_number (text, entry->row_id);
  hash_field (text, entry->action);
  hash_field (text, entry->changes);
  g_checksum_reset (hasher->sum);
  g_checksum_update (hasher->sum, (const guchar *)text->str, text->len);
  g_strlcpy (hash, g_checksum_get_string (hasher->sum), MESO_AUDIT_HASH_SIZE);
}

char *
meso_store_audit_hash (const char            *prev,
                       gint64                 seq,
                       gint64                 id,
                       const MesoAuditEntry  *entry)
{
  g_autoptr(MesoAuditHasher) hasher = meso_audit_hasher_new ();
  char hash[MESO_AUDIT_HASH_SIZE];

  meso_audit_hasher_hash (hasher, prev, seq, id, entry, hash);
  return g_strdup (hash);
}

/* The columns an entry is hashed by, after seq and hash. */
#define AUDIT_ENTRY_COLUMNS "id, at, actor, os_user, host, tbl, row_id, action, changes"

static void
read_audit_entry (MesoDbStmt     *stmt,
                  int             first,
                  MesoAuditEntry *entry)
{
  entry->id = meso_db_column_int64 (stmt, first);
  entry->at = (char *)meso_db_column_text (stmt, first + 1);
  entry->actor = (char *)meso_db_column_text (stmt, first + 2);
  entry->os_user = (char *)meso_db_column_text (stmt, first + 3);
  entry->host = (char *)meso_db_column_text (stmt, first + 4);
  entry->table = (char *)meso_db_column_text (stmt, first + 5);
  entry->row_id = meso_db_column_int64 (stmt, first + 6);
  entry->action = (char *)meso_db_column_text (stmt, first + 7);
  entry->changes = (char *)meso_db_column_text (stmt, first + 8);
}

/* Entries written since, numbered after the mark, are the transaction's
 * own: on a server its snapshot shows no one else's that were not there
 * when it began. An entry someone wrote by hand without a place is never
 * sealed by a later write; meso_store_verify_audit() finds it. */
static gboolean
mark_audit (MesoStore  *self,
            GError    **error)
{
  MesoDbStmt *stmt;

  self->audit_mark = 0;
  if (self->version < MESO_STORE_AUDIT_CHAIN_VERSION)
    return TRUE;
  stmt = meso_store_prepare (self, "SELECT coalesce (max (id), 0) FROM audit", error);
  if (stmt == NULL || !meso_store_step_found (self, stmt, error, "no audit mark"))
    return FALSE;
  self->audit_mark = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return TRUE;
}

static void
audit_entry_clear (MesoAuditEntry *entry)
{
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->os_user);
  g_free (entry->host);
  g_free (entry->table);
  g_free (entry->action);
  g_free (entry->changes);
}

static void
copy_audit_entry (const MesoAuditEntry *entry,
                  MesoAuditEntry       *copy)
{
  copy->id = entry->id;
  copy->at = g_strdup (entry->at);
  copy->actor = g_strdup (entry->actor);
  copy->os_user = g_strdup (entry->os_user);
  copy->host = g_strdup (entry->host);
  copy->table = g_strdup (entry->table);
  copy->row_id = entry->row_id;
  copy->action = g_strdup (entry->action);
  copy->changes = g_strdup (entry->changes);
}

/* Entries are sealed this many at a time: read and hashed, then written by
 * one statement, since a server's connection runs one statement at a time
 * and a round trip per entry cost more than the rest of the seal. */
#define SEAL_BATCH 2000

/* One batch's places and hashes, written at once: ?1 the entries' ids in
 * chain order, ?3 their hashes in the same order, each list separated by
 * commas; ?2 the place before the first (the server's dialect
 * "audit-seal" reads the same). A hash is found by its offset in the bytes
 * (a BLOB's substr() does not walk the text from its start). */
static const char audit_seal_sql[] =
  "UPDATE audit SET seq = ?2 + s.key + 1, "
  "hash = CAST (substr (CAST (?3 AS BLOB), s.key * 65 + 1, 64) AS TEXT) "
  "FROM json_each ('[' || ?1 || ']') AS s WHERE audit.id = s.value";

/* Gives the entries numbered after @after_id that have no place yet their
 * places and hashes, and the head the last of them. */
static gboolean
seal_audit (MesoStore  *self,
            gint64      after_id,
            GError    **error)
{
  g_autoptr(MesoAuditHasher) hasher = meso_audit_hasher_new ();
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) hashes = g_string_new (NULL);
  char head[MESO_AUDIT_HASH_SIZE] = "";
  gint64 seq = -1;
  guint count;
  MesoDbStmt *stmt;

  do
    {
      g_autoptr(GError) local_error = NULL;
      gint64 first_seq = seq;
      MesoDbStmt *read;

      read = meso_store_prepare (self, "SELECT " AUDIT_ENTRY_COLUMNS " FROM audit "
                                       "WHERE id > ?1 AND seq IS NULL ORDER BY id LIMIT ?2",
                                 error);
      if (read == NULL)
        return FALSE;
      meso_db_bind_int64 (read, 1, after_id);
      meso_db_bind_int64 (read, 2, SEAL_BATCH);
      g_string_truncate (ids, 0);
      g_string_truncate (hashes, 0);
      count = 0;
      while (meso_store_step_row (self, read, &local_error))
        {
          MesoAuditEntry entry;

          if (seq < 0)
            {
              /* The head, locked: one desk seals at a time. */
              stmt = meso_store_prepare (self, "UPDATE audit_chain SET seq = seq WHERE id = 1 "
                                               "RETURNING seq, hash", error);
              if (stmt == NULL || !meso_store_step_found (self, stmt, error, "no audit chain"))
                {
                  meso_db_reset (read);
                  return FALSE;
                }
              first_seq = seq = meso_db_column_int64 (stmt, 0);
              g_strlcpy (head, meso_db_column_text (stmt, 1), sizeof head);
              meso_db_reset (stmt);
            }
          read_audit_entry (read, 0, &entry);
          meso_audit_hasher_hash (hasher, head, ++seq, entry.id, &entry, head);
          if (count > 0)
            {
              g_string_append_c (ids, ',');
              g_string_append_c (hashes, ',');
            }
          g_string_append_printf (ids, "%" G_GINT64_FORMAT, entry.id);
          g_string_append (hashes, head);
          after_id = entry.id;
          count++;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (count == 0)
        break;

      stmt = meso_store_prepare (self, meso_store_dialect (self, "audit-seal", audit_seal_sql),
                                 error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_text (stmt, 1, ids->str);
      meso_db_bind_int64 (stmt, 2, first_seq);
      meso_db_bind_text (stmt, 3, hashes->str);
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }
  while (count == SEAL_BATCH);

  if (seq < 0)
    return TRUE;                        /* nothing written, nothing to seal */
  stmt = meso_store_prepare (self, "UPDATE audit_chain SET seq = ?1, hash = ?2 WHERE id = 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, seq);
  meso_db_bind_text (stmt, 2, head);
  return meso_store_step_done (self, stmt, error);
}

static void
unlock_writers (MesoStore *self)
{
  if (self->provider->unlock_writers != NULL)
    self->provider->unlock_writers (self);
}

/* A read's outer transaction took no writers' lock. */
static void
end_outer (MesoStore *self)
{
  if (!self->reading)
    unlock_writers (self);
  self->reading = FALSE;
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

      if (self->provider->lock_writers != NULL && !self->provider->lock_writers (self, error))
        return FALSE;
      /* The engine's guard against deciding on stale data (meso_db_begin()). */
      if (!meso_db_begin (self->db, &cause))
        {
          unlock_writers (self);
          return meso_store_set_db_error (error, cause);
        }
      if (!mark_audit (self, error))
        {
          meso_db_exec (self->db, "ROLLBACK", NULL);
          unlock_writers (self);
          return FALSE;
        }
      self->depth++;
      /* The permission the call asked for before this began, asked again
       * of the person's row as this transaction reads it: a manager at
       * another desk may have disabled them since the kept answer. */
      if (self->grant.pending >= 0)
        {
          MesoStaffRoles roles;

          if (!meso_store_require_roles (self, self->grant.pending, &roles, error))
            {
              meso_store_rollback (self);
              return FALSE;
            }
        }
      return TRUE;
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
meso_store_begin_read (MesoStore  *self,
                       GError    **error)
{
  GError *cause = NULL;

  if (self->depth > 0)
    return meso_store_begin (self, error);
  if (!meso_db_begin_read (self->db, &cause))
    return meso_store_set_db_error (error, cause);
  self->depth = 1;
  self->reading = TRUE;
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
  if ((self->depth == 1 && !self->reading && self->version >= MESO_STORE_AUDIT_CHAIN_VERSION &&
       !seal_audit (self, self->audit_mark, error)) ||
      !meso_store_exec (self, sql, error))
    {
      meso_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  if (self->depth == 0)
    {
      /* This store's own write may have changed the staff; its data
       * version does not count its own writes. */
      if (!self->reading)
        {
          self->grant.known = FALSE;
          self->grant.pending = -1;
        }
      end_outer (self);
    }
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
  if (self->depth == 0)
    end_outer (self);
}

/* How often a write that lost to another desk is run at most, and the most
 * it waits before a run (doubling from 4 ms, randomized so that desks that
 * collided do not collide again in step). A unique or exclusion violation
 * that the next run meets again was no race. */
#define WRITE_ATTEMPTS 10
#define WRITE_BACKOFF_MAX_MS 250

gboolean
meso_store_run_write (MesoStore          *self,
                      MesoStoreWriteFunc  func,
                      gpointer            data,
                      GError            **error)
{
  MesoDbRace race = MESO_DB_RACE_NONE;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (guint attempt = 1;; attempt++)
    {
      GError *local_error = NULL;
      gboolean outermost = self->depth == 0;
      MesoDbRace last_race = race;
      guint backoff_ms;

      if (meso_store_begin (self, &local_error))
        {
          if (func (self, data, &local_error))
            {
              if (meso_store_commit (self, &local_error))
                return TRUE;
            }
          else
            meso_store_rollback (self);
        }

      /* Inside another write, the outermost one runs everything again. */
      race = meso_db_get_race (self->db);
      if (!outermost || race == MESO_DB_RACE_NONE || attempt == WRITE_ATTEMPTS ||
          (race == MESO_DB_RACE_MAYBE && last_race == MESO_DB_RACE_MAYBE))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_debug ("A write lost to another desk's (attempt %u): running it again", attempt);
      g_error_free (local_error);
      backoff_ms = MIN (4u << MIN (attempt - 1, 8u), WRITE_BACKOFF_MAX_MS);
      g_usleep (g_random_int_range (1, (gint32)backoff_ms + 1) * 1000);
    }
}

/* ====================================================== files and opening */

char *
meso_store_default_path (void)
{
  const char *env = g_getenv ("MESODESK_DATABASE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return meso_store_default_file ();
}

char *
meso_store_default_file (void)
{
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

MesoDbEngine
meso_store_location_parse (const char *location)
{
  g_return_val_if_fail (location != NULL, MESO_DB_ENGINE_SQLITE);

  /* libpq, not a guess of ours, says what it would read as a server. */
  return meso_db_postgresql_is_conninfo (location) ? MESO_DB_ENGINE_POSTGRESQL
                                                   : MESO_DB_ENGINE_SQLITE;
}

gboolean
meso_store_location_is_server (const char *location)
{
  return meso_store_location_parse (location) == MESO_DB_ENGINE_POSTGRESQL;
}

/* ============================================================ the schema */

const MesoAuditedTable meso_store_audited_tables[] = {
  /* Each after the tables it refers to, so a copy (meso-store-transfer.c)
   * inserts them in this order. */
  { "settings", NULL, { "key", "value", NULL } },
  { "practitioners", "id", { "name", "role", "active", NULL } },
  { "rooms", "id", { "name", "active", NULL } },
  { "opening_hours", "weekday", { "weekday", "open_minute", "close_minute", NULL } },
  { "products", "id", { "name", NULL }, MESO_STORE_SCHEMA_LOTS },
  { "lots", "id", { "product_id", "number", "expires_on", NULL }, MESO_STORE_SCHEMA_LOTS },
  { "consent_forms", "id", { "name", NULL }, MESO_STORE_SCHEMA_CONSENT },
  /* A text's body and a signature's image are not repeated in the log. */
  { "consent_texts", "id", { "form_id", "language", "version", "created_by", NULL },
    MESO_STORE_SCHEMA_CONSENT },
  { "patients", "id", { "name", "birth_date", "phone", "email", "sensitive_skin", "notes",
                        "archived", "recall", NULL } },
  { "flags", "id", { "patient_id", "kind", "noted_on", "cleared_on", NULL } },
  { "appointments", "id", { "patient_id", "area", "start", "minutes", "practitioner_id",
                            "room_id", "status", "override_reason", "cancel_reason", NULL } },
  { "sessions", "id", { "patient_id", "appointment_id", "at", "area", "device", "home_use",
                        "needle_um", "needle_count", "needle_material", "indication", "actives",
                        "lot", "practitioner_id", "notes", "override_reason",
                        "caution_confirmed", NULL } },
  { "contacts", "id", { "patient_id", "at", "channel", "note", "outcome", NULL } },
  { "consents", "id", { "patient_id", "text_id", "signed_on", "method", "taken_by",
                        "revoked_on", "revoke_reason", "revoked_by", NULL },
    MESO_STORE_SCHEMA_CONSENT },
  /* Metadata only: the image and thumbnail bytes are in photo_data, which
   * no trigger copies into the log. */
  { "photos", "id", { "session_id", "kind", "area", "taken_at", "width", "height", "format",
                      "added_by", NULL }, MESO_STORE_SCHEMA_PHOTOS },
  { NULL, NULL, { NULL } },
};

/* The numbered migrations, one list for every engine: each provider gives
 * a step's DDL in its dialect (schema_step), and the step's filling,
 * written once, follows it here. */
static gboolean
fill_courses (MesoStore  *self,
              GError    **error)
{
  return meso_store_update_courses (self, 0, error);
}

static gboolean
fill_search_index (MesoStore  *self,
                   GError    **error)
{
  return meso_store_index_patient (self, 0, error);
}

/* Every entry already there gets its place and hash, in id order. */
static gboolean
fill_audit_chain (MesoStore  *self,
                  GError    **error)
{
  return seal_audit (self, 0, error);
}

typedef gboolean (*MigrateFill) (MesoStore *self, GError **error);

static const MigrateFill migrations[] = {
  NULL,               /* 1: the records, the audit log and its triggers */
  NULL,               /* 2: the search index, the courses (filled by 3 and 4) */
  fill_courses,       /* 3: the courses carry the patient's name and skin */
  fill_search_index,  /* 4: the search index knows who is archived */
  NULL,               /* 5: a server notifies every change (no DDL on SQLite) */
  NULL,               /* 6: a server's aftercare lists read indexes alone (no DDL on SQLite) */
  fill_search_index,  /* 7: birth dates searched; next appointments, namesakes indexed */
  NULL,               /* 8: the practitioners are the staff: manager, password, failures */
  NULL,               /* 9 (MESO_STORE_SCHEMA_LOTS): products and lots; a session refers
                       * to its registered lot (none was registered before: nothing to
                       * link) */
  fill_audit_chain,   /* 10 (MESO_STORE_AUDIT_CHAIN_VERSION): the audit log chained */
  NULL,               /* 11 (MESO_STORE_SCHEMA_CONSENT): consent forms, their texts'
                       * versions, the patients' consents; the shipped forms' first
                       * versions are put in by the providers' step, before its audit
                       * triggers (meso_store_fill_consent_forms()) */
  NULL,               /* 12 (MESO_STORE_SCHEMA_PHOTOS): before/after photos */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MESO_STORE_SCHEMA_VERSION);

static gboolean
migrate_steps (MesoStore  *self,
               int         from,
               int         to,
               GError    **error)
{
  for (int v = from; v < to; v++)
    {
      g_debug ("Migrating the database to schema %d", v + 1);
      if (!self->provider->schema_step (self, v + 1, error) ||
          (migrations[v] != NULL && !migrations[v] (self, error)) ||
          !self->provider->set_version (self, v + 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_not_newer (int      version,
                 GError **error)
{
  if (version <= MESO_STORE_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNSUPPORTED,
               _("This clinic database was written by a newer Mesodesk (schema %d; this "
                 "one knows up to %d). Update Mesodesk to open it."),
               version, MESO_STORE_SCHEMA_VERSION);
  return FALSE;
}

static gboolean
migrate_cb (MesoStore  *self,
            gpointer    data,
            GError    **error)
{
  int version = 0;

  /* Read again inside the transaction: another program may have migrated
   * meanwhile. */
  return self->provider->get_version (self, &version, error) &&
         migrate_steps (self, version, GPOINTER_TO_INT (data), error);
}

static gboolean
migrate (MesoStore  *self,
         int         target,
         GError    **error)
{
  int version = 0;

  if (!self->provider->check_version (self, &version, error))
    return FALSE;
  if (!check_not_newer (version, error))
    return FALSE;

  if (version < target &&
      !meso_store_run_write (self, migrate_cb, GINT_TO_POINTER (target), error))
    return FALSE;
  version = MAX (version, target);

  self->version = version;
  return TRUE;
}

/* Connected, not yet migrated. */
static MesoStore *
connect_store (const MesoStoreProvider  *provider,
               const char               *location,
               GError                  **error)
{
  MesoStore *self;
  MesoDb *db;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = provider->open (location, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (MESO_TYPE_STORE, NULL);
  self->provider = provider;
  self->path = g_strdup (location);
  self->db = db;
  return self;
}

static MesoStore *
open_store (const MesoStoreProvider  *provider,
            const char               *location,
            int                       target_version,
            GError                  **error)
{
  g_autoptr(MesoStore) self = connect_store (provider, location, error);

  if (self == NULL || !migrate (self, target_version, error))
    return NULL;
  return g_steal_pointer (&self);
}

static const MesoStoreProvider *
provider_for (const char *location)
{
  if (meso_store_location_parse (location) == MESO_DB_ENGINE_POSTGRESQL)
    return &meso_store_postgresql_provider;
  return &meso_store_sqlite_provider;
}

MesoStore *
meso_store_open (const char  *location,
                 GError     **error)
{
  g_return_val_if_fail (location != NULL, NULL);

  return open_store (provider_for (location), location, MESO_STORE_SCHEMA_VERSION, error);
}

gboolean
meso_store_probe (const char  *location,
                  gboolean    *set_up,
                  guint       *patients,
                  GError     **error)
{
  g_autoptr(MesoStore) self = NULL;
  int version = 0, count = 0;

  g_return_val_if_fail (location != NULL, FALSE);
  g_return_val_if_fail (set_up != NULL && patients != NULL, FALSE);

  *set_up = FALSE;
  *patients = 0;
  self = connect_store (provider_for (location), location, error);
  if (self == NULL || !self->provider->check_version (self, &version, error) ||
      !check_not_newer (version, error))
    return FALSE;
  if (version == 0)
    return TRUE;

  /* Every schema version has had this table as it is. */
  if (!meso_store_read_int (self, "SELECT count(*) FROM patients", &count, error))
    return FALSE;
  *set_up = TRUE;
  *patients = (guint)MAX (count, 0);
  return TRUE;
}

char *
meso_store_describe_location (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (meso_store_location_parse (location) == MESO_DB_ENGINE_POSTGRESQL)
    return meso_store_postgresql_describe (location);
  return NULL;
}

char *
meso_store_describe (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return meso_store_describe_location (self->path);
}

gboolean
meso_store_check (MesoStore  *self,
                  GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  return self->provider->check (self, error);
}

gboolean
meso_store_require_sqlite (MesoStore  *self,
                           GError    **error)
{
  if (self->provider->engine == MESO_DB_ENGINE_SQLITE)
    return TRUE;
  g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNSUPPORTED,
                       _("This is not possible yet on a clinic server, only with a clinic "
                         "database file."));
  return FALSE;
}

MesoStore *
meso_store_open_at_version (const char  *location,
                            int          version,
                            GError     **error)
{
  g_return_val_if_fail (version >= 0 && version <= MESO_STORE_SCHEMA_VERSION, NULL);

  /* By its location, as meso_store_open(): a server's conninfo opened as a
   * file's path made an SQLite file of that name instead. */
  return open_store (provider_for (location), location, version, error);
}

/* ======================================================== change notes */

gint64
meso_store_get_data_version (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  return self->provider->data_version (self);
}

gboolean
meso_store_reconnect (MesoStore  *self,
                      GError    **error)
{
  GError *cause = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  return meso_db_reconnect (self->db, &cause) || meso_store_set_db_error (error, cause);
}

void
meso_store_hold_reconnect (MesoStore *self,
                           gboolean   held)
{
  g_return_if_fail (MESO_IS_STORE (self));

  meso_db_hold_reconnect (self->db, held);
}

typedef struct
{
  GSource    source;
  MesoStore *store;
  gint64     version;
  int        fd;       /* the provider's watch_fd(), or -1 */
  gpointer   fd_tag;
  gboolean   lost;
} MesoStoreWatch;

static gboolean
watch_prepare (GSource *source,
               int     *timeout)
{
  MesoStoreWatch *watch = (MesoStoreWatch *)source;
  int fd = watch->store->provider->watch_fd (watch->store);

  /* A connection made again has a socket of its own. */
  if (fd != watch->fd)
    {
      if (watch->fd_tag != NULL)
        g_source_remove_unix_fd (source, watch->fd_tag);
      watch->fd_tag = fd >= 0 ? g_source_add_unix_fd (source, fd, G_IO_IN | G_IO_HUP | G_IO_ERR)
                              : NULL;
      watch->fd = fd;
    }
  *timeout = -1;
  return FALSE;
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  MesoStoreWatch *watch = (MesoStoreWatch *)source;
  MesoStoreWatchFunc func = (MesoStoreWatchFunc)(void (*) (void))callback;
  gint64 version = watch->store->provider->data_version (watch->store);
  gboolean connected = meso_db_is_connected (watch->store->db);

  /* The notifications on the socket, or the file's number, read every
   * MESO_STORE_WATCH_MS besides: a notification may have come in while the
   * store ran a statement. */
  g_source_set_ready_time (source, g_get_monotonic_time () + MESO_STORE_WATCH_MS * 1000);
  if (!connected)
    {
      if (!watch->lost && func != NULL)
        func (watch->store, MESO_STORE_EVENT_LOST, user_data);
      watch->lost = TRUE;
      return G_SOURCE_CONTINUE;
    }
  watch->lost = FALSE;
  if (version != watch->version)
    {
      watch->version = version;
      if (func != NULL)
        func (watch->store, MESO_STORE_EVENT_CHANGED, user_data);
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_finalize (GSource *source)
{
  g_clear_object (&((MesoStoreWatch *)source)->store);
}

static GSourceFuncs watch_funcs = {
  .prepare = watch_prepare,
  .dispatch = watch_dispatch,
  .finalize = watch_finalize,
};

GSource *
meso_store_watch (MesoStore          *self,
                  MesoStoreWatchFunc  func,
                  gpointer            user_data,
                  GDestroyNotify      notify)
{
  GSource *source;
  MesoStoreWatch *watch;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  source = g_source_new (&watch_funcs, sizeof (MesoStoreWatch));
  watch = (MesoStoreWatch *)source;
  watch->store = g_object_ref (self);
  watch->version = self->provider->data_version (self);
  watch->fd = -1;
  g_source_set_name (source, "MesoStoreWatch");
  g_source_set_callback (source, (GSourceFunc)(void (*) (void))func, user_data, notify);
  g_source_set_ready_time (source, g_get_monotonic_time () + MESO_STORE_WATCH_MS * 1000);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
meso_store_finalize (GObject *object)
{
  MesoStore *self = (MesoStore *)object;

  g_clear_pointer (&self->db, meso_db_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->install_id, g_free);
  g_clear_pointer (&self->staff_name, g_free);
  g_clear_pointer (&self->actor, g_free);

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
  self->grant.pending = -1;
}

/* ======================================================= who is signed in */

const char *
meso_store_get_actor (MesoStore *self)
{
  return self->actor != NULL ? self->actor : g_get_user_name ();
}

gint64
meso_store_get_staff (MesoStore   *self,
                      const char **name)
{
  if (name != NULL)
    *name = self->staff_name;
  return self->staff_id;
}

/* The audit names the person (the OS user while nobody is signed in); the
 * OS user and the computer have columns of their own beside it. */
gboolean
meso_store_set_staff (MesoStore   *self,
                      gint64       id,
                      const char  *name,
                      GError     **error)
{
  g_autofree char *actor = NULL;

  if (id != 0)
    actor = g_strdup (name);
  if (!self->provider->set_actor (self, actor != NULL ? actor : g_get_user_name (), error))
    return FALSE;
  self->staff_id = id;
  self->grant = (MesoStoreGrant) { .known = FALSE, .pending = -1 };
  g_free (self->staff_name);
  self->staff_name = id != 0 ? g_strdup (name) : NULL;
  g_free (self->actor);
  self->actor = g_steal_pointer (&actor);
  return TRUE;
}

MesoStoreGrant *
meso_store_get_grant (MesoStore *self)
{
  return &self->grant;
}

gboolean
meso_store_in_transaction (MesoStore *self)
{
  return self->depth > 0;
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

GPtrArray *
meso_store_read_rows (MesoStore        *self,
                      MesoDbStmt       *stmt,
                      MesoStoreRowFunc  from_row,
                      GDestroyNotify    free_func,
                      GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  g_autoptr(GError) local_error = NULL;

  while (meso_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (rows, from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ================================================================ policy */

static const char policy_sql[] = "SELECT key, value FROM settings WHERE key LIKE 'policy.%'";

gboolean
meso_store_load_policy (MesoStore   *self,
                        MesoPolicy  *policy,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoPolicy loaded = *meso_policy_get_default ();
  guint n_fields;
  const MesoPolicyField *policy_fields = meso_policy_get_fields (&n_fields);
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

      for (guint i = 0; i < n_fields; i++)
        if (g_str_equal (key, policy_fields[i].setting) && value >= 0 && value <= G_MAXUINT)
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

static gboolean
save_policy_cb (MesoStore  *self,
                gpointer    data,
                GError    **error)
{
  const MesoPolicy *policy = data;
  guint n_fields;
  const MesoPolicyField *policy_fields = meso_policy_get_fields (&n_fields);
  MesoDbStmt *stmt;

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *key = g_strconcat ("policy.", policy_fields[i].setting, NULL);

      stmt = meso_store_prepare (self, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_text (stmt, 1, key);
      meso_db_bind_int64 (stmt, 2, G_STRUCT_MEMBER (guint, policy, policy_fields[i].offset));
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }

  /* The windows of every course follow the policy. */
  return meso_store_update_courses (self, 0, error);
}

gboolean
meso_store_save_policy (MesoStore         *self,
                        const MesoPolicy  *policy,
                        GError           **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  {
    g_autoptr(GError) invalid = NULL;

    if (!meso_policy_validate (policy, &invalid))
      {
        g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID, invalid->message);
        return FALSE;
      }
  }

  return meso_store_run_write (self, save_policy_cb, (gpointer)policy, error);
}

/* ============================================================ clinic info */

typedef struct
{
  const char *key;
  gsize       offset;
} SettingField;

static const SettingField clinic_fields[] = {
  { "clinic.name", G_STRUCT_OFFSET (MesoClinicInfo, name) },
  { "clinic.address", G_STRUCT_OFFSET (MesoClinicInfo, address) },
  { "clinic.phone", G_STRUCT_OFFSET (MesoClinicInfo, phone) },
  { "clinic.emergency", G_STRUCT_OFFSET (MesoClinicInfo, emergency) },
};

void
meso_clinic_info_clear (MesoClinicInfo *info)
{
  g_return_if_fail (info != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (clinic_fields); i++)
    g_clear_pointer (&G_STRUCT_MEMBER (char *, info, clinic_fields[i].offset), g_free);
}

gboolean
meso_store_load_clinic_info (MesoStore       *self,
                             MesoClinicInfo  *info,
                             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoClinicInfo loaded = { 0 };
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  stmt = meso_store_prepare (self, "SELECT key, value FROM settings WHERE key LIKE 'clinic.%'",
                             error);
  if (stmt == NULL)
    return FALSE;

  while (meso_store_step_row (self, stmt, &local_error))
    {
      const char *key = meso_db_column_text (stmt, 0);
      const char *value = meso_db_column_text (stmt, 1);

      for (guint i = 0; i < G_N_ELEMENTS (clinic_fields); i++)
        if (g_str_equal (key, clinic_fields[i].key) && value != NULL && *value != '\0')
          {
            char **field = &G_STRUCT_MEMBER (char *, &loaded, clinic_fields[i].offset);

            g_free (*field);
            *field = g_strdup (value);
          }
    }
  if (local_error != NULL)
    {
      meso_clinic_info_clear (&loaded);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *info = loaded;
  return TRUE;
}

static gboolean
save_clinic_info_cb (MesoStore  *self,
                     gpointer    data,
                     GError    **error)
{
  const MesoClinicInfo *info = data;

  for (guint i = 0; i < G_N_ELEMENTS (clinic_fields); i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, info, clinic_fields[i].offset);
      g_autofree char *trimmed = g_strstrip (g_strdup (value != NULL ? value : ""));
      MesoDbStmt *stmt;

      if (*trimmed == '\0')
        stmt = meso_store_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
      else
        stmt = meso_store_prepare (self, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_text (stmt, 1, clinic_fields[i].key);
      if (*trimmed != '\0')
        meso_db_bind_text (stmt, 2, trimmed);
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
meso_store_save_clinic_info (MesoStore             *self,
                             const MesoClinicInfo  *info,
                             GError               **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return meso_store_run_write (self, save_clinic_info_cb, (gpointer)info, error);
}

/* ============================================================== audit log */

void
meso_audit_entry_free (MesoAuditEntry *entry)
{
  if (entry == NULL)
    return;
  audit_entry_clear (entry);
  g_free (entry);
}

#define AUDIT_LIST_WHERE \
  "WHERE (CAST(?1 AS TEXT) IS NULL OR tbl = ?1) AND (CAST(?2 AS BIGINT) = 0 OR row_id = ?2) " \
  "ORDER BY id"

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

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  /* A database not yet upgraded has no system user or computer. */
  stmt = meso_store_prepare (self,
                             self->version >= MESO_STORE_AUDIT_CHAIN_VERSION
                               ? "SELECT " AUDIT_ENTRY_COLUMNS " FROM audit " AUDIT_LIST_WHERE
                               : "SELECT id, at, actor, NULL, NULL, tbl, row_id, action, "
                                 "changes FROM audit " AUDIT_LIST_WHERE,
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, table);
  meso_db_bind_int64 (stmt, 2, row_id);
  meso_db_stream (stmt);

  /* The row's own text, not copies: the entry lives for the call only. */
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoAuditEntry entry;

      read_audit_entry (stmt, 0, &entry);
      func (&entry, user_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The JSON of the entry's changes made by the database, as the triggers'. */
static const char audit_note_sql[] =
  "INSERT INTO audit (at, actor, os_user, host, tbl, row_id, action, changes) "
  "VALUES (?1, ?2, ?2, ?6, ?3, 0, ?4, json_object ('what', ?5))";

gboolean
meso_store_audit_note (MesoStore   *self,
                       const char  *table,
                       const char  *action,
                       const char  *what,
                       GError     **error)
{
  /* The real clock, as the triggers', in their form. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *at = g_strdup_printf ("%s.%03dZ", seconds,
                                         g_date_time_get_microsecond (now) / 1000);
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, meso_store_dialect (self, "audit-note", audit_note_sql),
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, at);
  meso_db_bind_text (stmt, 2, meso_store_get_actor (self));
  meso_db_bind_text (stmt, 3, table);
  meso_db_bind_text (stmt, 4, action);
  meso_db_bind_text (stmt, 5, what);
  meso_db_bind_text (stmt, 6, g_get_host_name ());
  return meso_store_step_done (self, stmt, error);
}

void
meso_audit_verification_clear (MesoAuditVerification *result)
{
  g_clear_pointer (&result->last_hash, g_free);
  g_clear_pointer (&result->problem, g_free);
}

#define AUDIT_MISMATCH(result, id, format) \
  G_STMT_START { \
    g_autofree char *number_ = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)(id)); \
    (result)->sound = FALSE; \
    (result)->bad_id = (id); \
    g_clear_pointer (&(result)->last_hash, g_free); \
    (result)->problem = g_strdup_printf (format, number_); \
  } G_STMT_END

/* The chain walked in its order (audit_seq), each entry's hash made again
 * from the one before and compared; then the entries without a place, the
 * head, and the triggers. The head is read first, and only places up to it are walked:
 * entries sealed meanwhile came with a newer head. */
gboolean
meso_store_verify_audit (MesoStore              *self,
                         MesoAuditVerification  *result,
                         GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *head_hash = NULL;
  g_autofree char *prev = g_strdup ("");
  g_autoptr(MesoAuditHasher) hasher = meso_audit_hasher_new ();
  gint64 head_seq;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  *result = (MesoAuditVerification) { .sound = TRUE };

  stmt = meso_store_prepare (self, "SELECT seq, hash FROM audit_chain WHERE id = 1", error);
  if (stmt == NULL || !meso_store_step_found (self, stmt, error, "no audit chain"))
    return FALSE;
  head_seq = meso_db_column_int64 (stmt, 0);
  head_hash = g_strdup (meso_db_column_text (stmt, 1));
  meso_db_reset (stmt);

  stmt = meso_store_prepare (self, "SELECT seq, hash, " AUDIT_ENTRY_COLUMNS " FROM audit "
                                   "WHERE seq <= ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, head_seq);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      gint64 seq = meso_db_column_int64 (stmt, 0);
      const char *hash = meso_db_column_text (stmt, 1);
      char expected[MESO_AUDIT_HASH_SIZE];
      MesoAuditEntry entry;

      read_audit_entry (stmt, 2, &entry);
      if (seq != result->entries + 1)
        {
          /* Translators: %s is an entry's number in the audit log */
          AUDIT_MISMATCH (result, entry.id, _("entries before entry %s are missing"));
          meso_db_reset (stmt);
          return TRUE;
        }
      meso_audit_hasher_hash (hasher, prev, seq, entry.id, &entry, expected);
      if (g_strcmp0 (hash, expected) != 0)
        {
          /* Translators: %s is an entry's number in the audit log */
          AUDIT_MISMATCH (result, entry.id, _("entry %s was changed, or moved"));
          meso_db_reset (stmt);
          return TRUE;
        }
      result->entries++;
      g_free (prev);
      prev = g_strdup (expected);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (result->entries != head_seq || g_strcmp0 (prev, head_hash) != 0)
    {
      result->sound = FALSE;
      result->problem = g_strdup (_("entries at the end of the audit log are missing"));
      return TRUE;
    }
  if (result->entries > 0)
    result->last_hash = g_steal_pointer (&prev);

  /* Written behind the store's back: no place in the chain (an entry that
   * was sealed has one for good), or a place past the head. */
  stmt = meso_store_prepare (self, "SELECT id FROM audit WHERE seq IS NULL OR seq > ?1 "
                                   "ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, head_seq);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      gint64 id = meso_db_column_int64 (stmt, 0);

      meso_db_reset (stmt);
      /* Translators: %s is an entry's number in the audit log */
      AUDIT_MISMATCH (result, id, _("entry %s was not written by Mesodesk"));
      return TRUE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The entries match; a change made while a trigger was gone left none. */
  if (!self->provider->find_missing_audit_trigger (self, &missing, error))
    return FALSE;
  if (missing != NULL)
    {
      result->sound = FALSE;
      g_clear_pointer (&result->last_hash, g_free);
      /* Translators: %s is the name of a trigger in the database */
      result->problem = g_strdup_printf (_("the audit trigger “%s” is missing, so changes "
                                           "may go unrecorded"), missing);
    }
  return TRUE;
}

static void
add_audit_entry (const MesoAuditEntry *entry,
                 gpointer              entries)
{
  MesoAuditEntry *copy = g_new0 (MesoAuditEntry, 1);

  copy_audit_entry (entry, copy);
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

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_audit_entry_free);
  if (!meso_store_foreach_audit (self, table, row_id, add_audit_entry, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
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
      (sql = meso_store_lots_sql (name)) != NULL ||
      (sql = meso_store_reminders_sql (name)) != NULL ||
      (sql = meso_store_appointments_sql (name)) != NULL)
    return sql;
  return NULL;
}
