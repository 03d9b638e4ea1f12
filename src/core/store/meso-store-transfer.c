/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving a clinic (issue 15): every record of one database copied into
 * another, of either engine, for mesodesk-cli transfer, a clinic server's
 * backup (a new SQLite file) and a restore into a server.
 *
 * The tables are the audited ones (meso_store_audited_tables[], each after
 * those it refers to), then the courses (derived, copied as they are) and
 * the audit log; a table's columns are read from the source's own rows
 * (`SELECT *`), so no list here repeats the schema. Rows go in with their
 * ids, through the connection layer's bulk load (COPY on PostgreSQL), in
 * one transaction on the target, while the source is read in one
 * transaction of its own (one snapshot). The provider turns the target's
 * audit triggers off around the copy, so the log is the source's, not one
 * written anew, and makes new ids count on past the copied ones; the
 * search index is made from the copied patients. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include <glib/gi18n-lib.h>

/* Copied after the audited tables: the photos' bytes (not audited), the
 * derived courses, and the log itself with its chain's head, as they are
 * (their hashes verify on the target). */
static const char *const more_tables[] = { "photo_data", "courses", "audit", "audit_chain" };

/* Progress and the cancellable are looked at once per this many rows. */
#define ROWS_PER_REPORT 2000

typedef struct
{
  MesoStore                *source;
  MesoStore                *target;
  MesoTransferProgressFunc  progress;
  gpointer                  user_data;
  GCancellable             *cancellable;
  gint64                    done;
  gint64                    total;
} Copy;

/* Every table a copy holds, in the order it is written. */
static GPtrArray *
copied_tables (void)
{
  GPtrArray *tables = g_ptr_array_new ();

  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    g_ptr_array_add (tables, (gpointer)meso_store_audited_tables[i].table);
  for (guint i = 0; i < G_N_ELEMENTS (more_tables); i++)
    g_ptr_array_add (tables, (gpointer)more_tables[i]);
  return tables;
}

static gboolean
count_rows (MesoStore   *store,
            const char  *sql,
            gint64      *rows,
            GError     **error)
{
  MesoDbStmt *stmt = meso_store_prepare (store, sql, error);

  if (stmt == NULL || !meso_store_step_found (store, stmt, error, "%s", sql))
    return FALSE;
  *rows = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return TRUE;
}

static gboolean
count_table (MesoStore   *store,
             const char  *table,
             gint64      *rows,
             GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return count_rows (store, sql, rows, error);
}

/* What every new database holds of its own, which the copy replaces: its
 * name, and the consent forms Mesodesk ships (their texts' first versions). */
static const struct
{
  const char *table;
  const char *records;  /* counts the rows that are records */
} own_rows[] = {
  { "settings", "SELECT count(*) FROM settings WHERE key <> 'install_id'" },
  { "consent_forms", "SELECT count(*) FROM consent_forms f WHERE EXISTS (SELECT 1 FROM "
                     "consent_texts t WHERE t.form_id = f.id AND t.created_by <> '"
                     MESO_CONSENT_SHIPPED_BY "')" },
  { "consent_texts", "SELECT count(*) FROM consent_texts WHERE created_by <> '"
                     MESO_CONSENT_SHIPPED_BY "'" },
};

/* Empty: no records, and nothing but what every new database holds. */
static gboolean
check_empty (MesoStore  *target,
             GError    **error)
{
  gint64 rows = 0;

  for (guint i = 0; meso_store_audited_tables[i].table != NULL; i++)
    {
      const char *table = meso_store_audited_tables[i].table;
      const char *records = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (own_rows); k++)
        if (g_str_equal (table, own_rows[k].table))
          records = own_rows[k].records;
      if (!(records != NULL ? count_rows (target, records, &rows, error)
                            : count_table (target, table, &rows, error)))
        return FALSE;
      if (rows > 0)
        {
          if (meso_store_location_is_server (meso_store_get_path (target)))
            g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                                 _("That database on the clinic server already holds records: "
                                   "a clinic moves only into an empty database. Nothing was "
                                   "changed."));
          else
            {
              g_autofree char *display = g_filename_display_name (meso_store_get_path (target));

              g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("“%s” already holds records: a clinic moves only into an empty "
                             "database. Nothing was changed."), display);
            }
          return FALSE;
        }
    }
  return TRUE;
}

static void
report (Copy *copy)
{
  if (copy->progress != NULL)
    copy->progress (copy->done, copy->total, copy->user_data);
}

/* @table's rows, in the order of its first column (the id), into the
 * target; @rows: how many. */
static gboolean
copy_table (Copy        *copy,
            const char  *table,
            gint64      *rows,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", table);
  g_autofree const char **values = NULL;
  g_autoptr(GError) local_error = NULL;
  MesoDbLoad *load = NULL;
  MesoDbStmt *stmt;
  int n_columns = 0;

  *rows = 0;
  stmt = meso_store_prepare (copy->source, sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_stream (stmt);
  while (meso_store_step_row (copy->source, stmt, &local_error))
    {
      GError *cause = NULL;

      if (load == NULL)
        {
          g_autofree const char **columns = NULL;

          n_columns = meso_db_column_count (stmt);
          columns = g_new0 (const char *, n_columns + 1);
          values = g_new0 (const char *, n_columns + 1);
          for (int i = 0; i < n_columns; i++)
            columns[i] = meso_db_column_name (stmt, i);
          load = meso_db_load_begin (meso_store_get_db (copy->target), table, columns, &cause);
          if (load == NULL)
            {
              meso_db_reset (stmt);
              return meso_store_set_db_error (error, cause);
            }
        }
      for (int i = 0; i < n_columns; i++)
        values[i] = meso_db_column_text (stmt, i);
      if (!meso_db_load_row (load, values, &cause))
        {
          meso_db_reset (stmt);
          meso_db_load_end (load, FALSE, NULL);
          return meso_store_set_db_error (error, cause);
        }
      (*rows)++;
      if (++copy->done % ROWS_PER_REPORT == 0)
        {
          if (g_cancellable_set_error_if_cancelled (copy->cancellable, error))
            {
              meso_db_reset (stmt);
              meso_db_load_end (load, FALSE, NULL);
              return FALSE;
            }
          report (copy);
        }
    }
  if (local_error != NULL)
    {
      if (load != NULL)
        meso_db_load_end (load, FALSE, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (load != NULL)
    {
      GError *cause = NULL;

      if (!meso_db_load_end (load, TRUE, &cause))
        return meso_store_set_db_error (error, cause);
    }
  return TRUE;
}

/* The photos' bytes: the bulk load takes text, so its rows are bound one
 * by one, as bytes (the one table copied by its columns' names). */
static gboolean
copy_photo_data (Copy     *copy,
                 gint64   *rows,
                 GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *read;

  *rows = 0;
  read = meso_store_prepare (copy->source, "SELECT photo_id, thumbnail, image FROM photo_data "
                             "ORDER BY photo_id", error);
  if (read == NULL)
    return FALSE;
  meso_db_stream (read);
  while (meso_store_step_row (copy->source, read, &local_error))
    {
      g_autoptr(GBytes) thumbnail = meso_db_column_bytes (read, 1);
      g_autoptr(GBytes) image = meso_db_column_bytes (read, 2);
      MesoDbStmt *write = meso_store_prepare (copy->target, "INSERT INTO photo_data (photo_id, "
                                              "thumbnail, image) VALUES (?1, ?2, ?3)", error);

      if (write == NULL)
        {
          meso_db_reset (read);
          return FALSE;
        }
      meso_db_bind_int64 (write, 1, meso_db_column_int64 (read, 0));
      meso_db_bind_blob (write, 2, thumbnail);
      meso_db_bind_blob (write, 3, image);
      if (!meso_store_step_done (copy->target, write, error))
        {
          meso_db_reset (read);
          return FALSE;
        }
      (*rows)++;
      copy->done++;
      if (g_cancellable_set_error_if_cancelled (copy->cancellable, error))
        {
          meso_db_reset (read);
          return FALSE;
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The target's rows go (a fresh database holds its own name and the log
 * of writing it), the tables referring to others first. */
static gboolean
clear_target (MesoStore  *target,
              GPtrArray  *tables,
              GError    **error)
{
  for (guint i = tables->len; i > 0; i--)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s",
                                              (const char *)tables->pdata[i - 1]);

      if (!meso_store_exec (target, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
copy_all (Copy     *copy,
          gboolean  replace,
          GArray   *counts,
          GError  **error)
{
  const MesoStoreProvider *provider = meso_store_get_provider (copy->target);
  g_autoptr(GPtrArray) tables = copied_tables ();

  /* How much there is, in the snapshot the copy reads. */
  for (guint i = 0; i < tables->len; i++)
    {
      MesoTableCount count = { tables->pdata[i], 0 };

      if (!count_table (copy->source, count.table, &count.rows, error))
        return FALSE;
      g_array_append_val (counts, count);
      copy->total += count.rows;
    }
  report (copy);

  if ((!replace && !check_empty (copy->target, error)) ||
      !provider->copy_begin (copy->target, error) ||
      !clear_target (copy->target, tables, error))
    return FALSE;

  for (guint i = 0; i < tables->len; i++)
    {
      MesoTableCount *count = &g_array_index (counts, MesoTableCount, i);
      gint64 copied = 0, stored = 0;

      if (!(g_str_equal (count->table, "photo_data")
              ? copy_photo_data (copy, &copied, error)
              : copy_table (copy, count->table, &copied, error)))
        return FALSE;
      /* What the target holds now must be what the source held. */
      if (!count_table (copy->target, count->table, &stored, error))
        return FALSE;
      if (copied != count->rows || stored != count->rows)
        {
          g_debug ("Copy of %s: %" G_GINT64_FORMAT " rows read, %" G_GINT64_FORMAT
                   " stored, %" G_GINT64_FORMAT " counted", count->table, copied, stored,
                   count->rows);
          g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                               _("The copy did not come out with as many records as the "
                                 "clinic holds, so it was abandoned. Nothing was changed."));
          return FALSE;
        }
    }
  if (!provider->copy_end (copy->target, error) ||
      !meso_store_index_patient (copy->target, 0, error))
    return FALSE;
  report (copy);
  return TRUE;
}

gboolean
meso_store_copy_into (MesoStore                 *self,
                      MesoStore                 *target,
                      gboolean                   replace,
                      const char                *restored,
                      MesoTransferProgressFunc   progress,
                      gpointer                   user_data,
                      GCancellable              *cancellable,
                      GArray                   **counts,
                      GError                   **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (MesoTableCount));
  Copy copy = { self, target, progress, user_data, cancellable, 0, 0 };

  /* One snapshot of the source; on SQLite its write lock too, so nothing
   * written during a move is left behind in the old database. */
  if (!meso_store_begin (self, error))
    return FALSE;
  if (!meso_store_begin (target, error))
    {
      meso_store_rollback (self);
      return FALSE;
    }
  if (!copy_all (&copy, replace, rows, error) ||
      (restored != NULL &&
       !meso_store_audit_note (target, "database", "restore", restored, error)) ||
      !meso_store_commit (target, error))
    {
      meso_store_rollback (target);
      meso_store_rollback (self);
      return FALSE;
    }
  meso_store_rollback (self);
  meso_store_after_bulk_write (target);
  if (counts != NULL)
    *counts = g_steal_pointer (&rows);
  return TRUE;
}

GArray *
meso_store_transfer (MesoStore                 *self,
                     const char                *target,
                     MesoTransferProgressFunc   progress,
                     gpointer                   user_data,
                     GCancellable              *cancellable,
                     GError                   **error)
{
  g_autoptr(MesoStore) to = NULL;
  GArray *counts = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return NULL;

  to = meso_store_open (target, error);
  if (to == NULL)
    return NULL;
  /* Said before anything waits for the target's lock (which the source's
   * transaction would hold, were they one database); said again inside
   * the copy's transaction. */
  if (!check_empty (to, error))
    return NULL;
  /* The same database, by whatever name (a link, another conninfo): its
   * name, made at random when it was set up, is the same. */
  if (g_str_equal (meso_store_get_install_id (self), meso_store_get_install_id (to)))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The clinic cannot be moved into its own database: choose another "
                             "one. Nothing was changed."));
      return NULL;
    }
  if (!meso_store_copy_into (self, to, FALSE, NULL, progress, user_data, cancellable, &counts, error))
    return NULL;
  return counts;
}
