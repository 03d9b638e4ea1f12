/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-application-actions.h"

#include "meso-exchange.h"
#include "meso-progress-window.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

/* Work done within this long shows no progress window: it would only flash. */
#define PROGRESS_DELAY_MSEC 1000

/* ====================================================== the work itself */

typedef struct
{
  MesoDataTask      task;
  GFile            *file;
  char             *database;
  MesoProgressFunc  progress;
  gpointer          progress_data;
  gint              permille;       /* atomic; -1: unknown */
  gint              report_pending; /* atomic */
  gboolean          finished;       /* main thread only */
  GTask            *outer;          /* the caller's task, which owns the job */
} DataJob;

static void
data_job_free (DataJob *job)
{
  g_clear_object (&job->file);
  g_free (job->database);
  g_free (job);
}

static gboolean
data_job_report_cb (gpointer user_data)
{
  DataJob *job = g_task_get_task_data (G_TASK (user_data));
  int permille;

  g_atomic_int_set (&job->report_pending, 0);
  permille = g_atomic_int_get (&job->permille);
  if (!job->finished && job->progress != NULL)
    job->progress (permille < 0 ? -1.0 : permille / 1000.0, job->progress_data);
  return G_SOURCE_REMOVE;
}

/* On the worker: keeps the latest value, and wakes the main loop once. */
static void
data_job_progress_cb (double   fraction,
                      gpointer user_data)
{
  DataJob *job = user_data;
  GTask *task = job->outer;

  g_atomic_int_set (&job->permille, fraction < 0.0 ? -1 : (int)(fraction * 1000.0));
  if (job->progress != NULL && g_atomic_int_compare_and_exchange (&job->report_pending, 0, 1))
    g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                                data_job_report_cb, g_object_ref (task), g_object_unref);
}

/* A transfer's rows done of all, as the share done. */
static void
data_job_rows_cb (gint64   done,
                  gint64   total,
                  gpointer user_data)
{
  data_job_progress_cb (total > 0 ? (double)done / total : -1.0, user_data);
}

/* The whole clinic into the new file @job->file names, written in place (a
 * database, not a file copied there); a file it made is removed again when
 * the transfer fails or is cancelled. The records copied, or 0. */
static gint64
data_job_transfer (DataJob       *job,
                   MesoStore     *store,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *target = g_file_get_path (job->file);
  g_autoptr(GArray) counts = NULL;
  gboolean existed;
  gint64 total = 0;

  if (target == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The clinic can move only to a folder of this computer: choose "
                             "another place."));
      return 0;
    }
  existed = g_file_test (target, G_FILE_TEST_EXISTS);
  counts = meso_store_transfer (store, target, data_job_rows_cb, job, cancellable, error);
  if (counts == NULL)
    {
      if (!existed)
        {
          g_autofree char *wal = g_strconcat (target, "-wal", NULL);
          g_autofree char *shm = g_strconcat (target, "-shm", NULL);

          g_unlink (target);
          g_unlink (wal);
          g_unlink (shm);
        }
      return 0;
    }
  for (guint i = 0; i < counts->len; i++)
    total += g_array_index (counts, MesoTableCount, i).rows;
  return total;
}

/* Outgoing files are written here first, then copied to the chosen file:
 * a sandbox's portal lets us write the chosen file, not files beside it. */
static char *
outgoing_path (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "mesodesk", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is the reason */
                   _("Cannot prepare the file: %s"), g_strerror (saved_errno));
      return NULL;
    }
  return g_strdup_printf ("%s/outgoing-%08x", dir, g_random_int ());
}

/* The chosen file as a local path: itself, or a copy in @copy. */
static char *
incoming_path (GFile         *file,
               char         **copy,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFile) local = NULL;
  char *path = g_file_get_path (file);

  if (path != NULL)
    return path;
  *copy = outgoing_path (error);
  if (*copy == NULL)
    return NULL;
  local = g_file_new_for_path (*copy);
  if (!g_file_copy (file, local, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error))
    return NULL;
  return g_strdup (*copy);
}

static char *
data_job_run (DataJob       *job,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(MesoStore) store = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *chosen = NULL;
  g_autoptr(GFile) local = NULL;
  guint count = 0;
  gint64 records = 0;
  gboolean ok = FALSE;

  if (job->task == MESO_DATA_RESTORE)
    {
      data_job_progress_cb (-1.0, job);
      path = incoming_path (job->file, &copy, NULL, error);
      /* Confirmed: on a clinic server too, every record is replaced. */
      ok = path != NULL && meso_store_restore_full (path, job->database, MESO_RESTORE_REPLACE,
                                                    &kept, error);
    }
  else if ((store = meso_store_open (job->database, error)) != NULL)
    {
      switch (job->task)
        {
        case MESO_DATA_IMPORT_PATIENTS:
          path = incoming_path (job->file, &copy, cancellable, error);
          ok = path != NULL &&
               meso_exchange_import_patients_csv_full (store, path, data_job_progress_cb, job,
                                                       cancellable, &count, error);
          break;
        case MESO_DATA_EXPORT_PATIENTS:
          copy = outgoing_path (error);
          ok = copy != NULL &&
               meso_exchange_export_patients_csv_full (store, copy, data_job_progress_cb, job,
                                                       cancellable, &count, error);
          break;
        case MESO_DATA_BACKUP:
          chosen = g_file_get_path (job->file);
          if (chosen != NULL && !meso_store_check_backup_target (store, chosen, error))
            break;
          copy = outgoing_path (error);
          ok = copy != NULL &&
               meso_store_backup_full (store, copy, data_job_progress_cb, job, cancellable,
                                       error);
          break;
        case MESO_DATA_TRANSFER:
          records = data_job_transfer (job, store, cancellable, error);
          ok = records > 0;
          break;
        case MESO_DATA_RESTORE:
        default:
          g_assert_not_reached ();
        }
      if (ok && (job->task == MESO_DATA_EXPORT_PATIENTS || job->task == MESO_DATA_BACKUP))
        {
          local = g_file_new_for_path (copy);
          ok = g_file_copy (local, job->file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                            error);
        }
    }
  if (copy != NULL)
    g_unlink (copy);
  if (!ok)
    return NULL;

  switch (job->task)
    {
    case MESO_DATA_IMPORT_PATIENTS:
      return g_strdup_printf (ngettext ("%u patient was added.", "%u patients were added.",
                                        count), count);
    case MESO_DATA_EXPORT_PATIENTS:
      return g_strdup_printf (ngettext ("%u patient was written to the file.",
                                        "%u patients were written to the file.", count), count);
    case MESO_DATA_BACKUP:
      return g_strdup (_("The backup holds every record as it was now. Keep it somewhere "
                         "other than this computer."));
    case MESO_DATA_RESTORE:
      if (meso_store_location_is_server (job->database))
        {
          g_autofree char *where = meso_store_describe_location (job->database);

          /* Translators: after a restore into a clinic server; %s is e.g.
           * “clinic on server.local / mesodesk” */
          return g_strdup_printf (_("The records on the %s are now the backup’s. The audit log "
                                    "notes the restore."), where);
        }
      if (kept == NULL)
        return g_strdup (_("The records are now the backup’s."));
      shown = g_filename_display_name (kept);
      /* Translators: %s is a file name, with its folder */
      return g_strdup_printf (_("The records are now the backup’s. The replaced database is "
                                "kept as “%s”."), shown);
    case MESO_DATA_TRANSFER:
      chosen = g_file_get_path (job->file);
      shown = g_filename_display_name (chosen);
      /* Translators: %s is a file name, with its folder; the count is of
       * records of every kind (patients, sessions, the audit log…) */
      return g_strdup_printf (ngettext ("The clinic is now also in “%s”: %" G_GINT64_FORMAT
                                        " record, every count checked. This window still works "
                                        "on the old database; to work on the new one, start "
                                        "Mesodesk with it on every desk.",
                                        "The clinic is now also in “%s”: %" G_GINT64_FORMAT
                                        " records, every count checked. This window still works "
                                        "on the old database; to work on the new one, start "
                                        "Mesodesk with it on every desk.",
                                        (gulong)MAX (records, 0)),
                              shown, records);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
data_job_thread (GTask        *inner,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DataJob *job = task_data;
  GError *error = NULL;
  char *summary = data_job_run (job, cancellable, &error);

  if (summary == NULL)
    g_task_return_error (inner, error);
  else
    g_task_return_pointer (inner, summary, g_free);
}

/* Back on the main thread: no progress after this; a restore reopens. */
static void
data_job_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = G_TASK (user_data);
  DataJob *job = g_task_get_task_data (outer);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reopen_error = NULL;
  char *summary = g_task_propagate_pointer (G_TASK (result), &error);

  job->finished = TRUE;
  /* Whatever happened, the application works on the file now in place. */
  if (job->task == MESO_DATA_RESTORE &&
      !meso_application_reopen_store (MESO_APPLICATION (source), &reopen_error) &&
      summary != NULL)
    {
      g_clear_pointer (&summary, g_free);
      error = g_steal_pointer (&reopen_error);
    }
  if (job->task != MESO_DATA_RESTORE && job->task != MESO_DATA_EXPORT_PATIENTS &&
      summary != NULL)
    meso_application_store_changed (MESO_APPLICATION (source));
  if (summary == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, summary, g_free);
}

void
meso_application_run_data_task (MesoApplication     *self,
                                MesoDataTask         task,
                                GFile               *file,
                                GCancellable        *cancellable,
                                MesoProgressFunc     progress,
                                gpointer             progress_data,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *outer;
  DataJob *job;

  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (DataJob, 1);
  job->task = task;
  job->file = g_object_ref (file);
  job->database = g_strdup (meso_application_get_database_path (self));
  job->progress = progress;
  job->progress_data = progress_data;
  job->permille = -1;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, meso_application_run_data_task);
  g_task_set_task_data (outer, job, (GDestroyNotify)data_job_free);
  job->outer = outer;

  /* A restore replaces the file, so no connection of ours may be open on it;
   * it cannot be stopped half way, so its worker gets no cancellable. */
  inner = g_task_new (self, task == MESO_DATA_RESTORE ? NULL : cancellable, data_job_done_cb,
                      outer);
  g_task_set_task_data (inner, job, NULL);
  if (task == MESO_DATA_RESTORE)
    meso_application_close_store (self);
  g_task_run_in_thread (inner, data_job_thread);
}

char *
meso_application_run_data_task_finish (MesoApplication  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* =========================================================== the actions */

typedef struct
{
  const char *action;
  GtkFileChooserAction chooser_action;
  const char *chooser_title;
  const char *accept_label;
  const char *suggested_name;   /* for a new file; NULL when opening one */
  gboolean    csv;
  const char *progress_title;
  const char *done_heading;
  const char *failed_heading;
} DataTaskInfo;

static const DataTaskInfo task_info[] = {
  [MESO_DATA_IMPORT_PATIENTS] = {
    "import-patients", GTK_FILE_CHOOSER_ACTION_OPEN,
    /* Translators: title of the file chooser for a CSV file of patients */
    N_("Import Patients"), N_("_Import"), NULL, TRUE,
    N_("Importing patients…"), N_("Patients Imported"), N_("Import Failed"),
  },
  [MESO_DATA_EXPORT_PATIENTS] = {
    "export-patients", GTK_FILE_CHOOSER_ACTION_SAVE,
    N_("Export Patients"), N_("_Export"),
    /* Translators: the suggested file name of a patient export */
    N_("patients.csv"), TRUE,
    N_("Exporting patients…"), N_("Patients Exported"), N_("Export Failed"),
  },
  [MESO_DATA_BACKUP] = {
    "backup", GTK_FILE_CHOOSER_ACTION_SAVE,
    N_("Back Up Database"), N_("_Back Up"),
    /* Translators: the suggested file name of a backup; keep .db */
    N_("clinic-backup.db"), FALSE,
    N_("Backing up the database…"), N_("Backup Complete"), N_("Backup Failed"),
  },
  [MESO_DATA_RESTORE] = {
    "restore", GTK_FILE_CHOOSER_ACTION_OPEN,
    N_("Restore From Backup"), N_("_Restore"), NULL, FALSE,
    N_("Restoring the database…"), N_("Database Restored"), N_("Restore Failed"),
  },
  [MESO_DATA_TRANSFER] = {
    "transfer", GTK_FILE_CHOOSER_ACTION_SAVE,
    /* Translators: title of the file chooser for the new database a clinic
     * is copied into */
    N_("Move Clinic to a New File"), N_("_Move"),
    /* Translators: the suggested file name of a clinic's new database; keep .db */
    N_("clinic.db"), FALSE,
    N_("Copying every record…"), N_("Clinic Copied"), N_("Move Failed"),
  },
};

typedef struct
{
  MesoApplication    *app;
  MesoDataTask        task;
  GtkWindow          *parent;
  GCancellable       *cancellable;
  MesoProgressWindow *progress_window;
  double              fraction;
  guint               show_timeout;
} DataFlow;

static void
data_flow_free (DataFlow *flow)
{
  g_clear_handle_id (&flow->show_timeout, g_source_remove);
  if (flow->progress_window != NULL)
    gtk_window_destroy (GTK_WINDOW (flow->progress_window));
  g_clear_object (&flow->cancellable);
  g_clear_object (&flow->parent);
  g_clear_object (&flow->app);
  g_free (flow);
}

static void
data_flow_progress_cb (double   fraction,
                       gpointer user_data)
{
  DataFlow *flow = user_data;

  flow->fraction = fraction;
  if (flow->progress_window != NULL)
    meso_progress_window_set_fraction (flow->progress_window, fraction);
}

static gboolean
data_flow_show_progress_cb (gpointer user_data)
{
  DataFlow *flow = user_data;
  const DataTaskInfo *info = &task_info[flow->task];

  flow->show_timeout = 0;
  flow->progress_window = meso_progress_window_new (flow->parent, _(info->progress_title),
                                                    flow->task == MESO_DATA_RESTORE
                                                    ? NULL : flow->cancellable);
  meso_progress_window_set_fraction (flow->progress_window, flow->fraction);
  gtk_window_present (GTK_WINDOW (flow->progress_window));
  return G_SOURCE_REMOVE;
}

static void
show_message (GtkWindow  *parent,
              const char *heading,
              const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
data_flow_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DataFlow *flow = user_data;
  const DataTaskInfo *info = &task_info[flow->task];
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  summary = meso_application_run_data_task_finish (MESO_APPLICATION (source), result, &error);
  /* Cancelled: the person knows, and nothing was changed. */
  if (summary != NULL)
    show_message (flow->parent, _(info->done_heading), summary);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (flow->parent, _(info->failed_heading), error->message);
  data_flow_free (flow);
}

void
meso_application_start_data_task (MesoApplication *self,
                                  MesoDataTask     task,
                                  GFile           *file,
                                  GtkWindow       *parent)
{
  DataFlow *flow;

  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  flow = g_new0 (DataFlow, 1);
  flow->app = g_object_ref (self);
  flow->task = task;
  flow->parent = parent != NULL ? g_object_ref (parent) : NULL;
  flow->cancellable = g_cancellable_new ();
  flow->fraction = -1.0;
  flow->show_timeout = g_timeout_add (PROGRESS_DELAY_MSEC, data_flow_show_progress_cb, flow);
  meso_application_run_data_task (self, task, file, flow->cancellable, data_flow_progress_cb,
                                  flow, data_flow_done_cb, flow);
}

typedef struct
{
  MesoApplication *app;
  MesoDataTask     task;
  GtkWindow       *parent;
  GFile           *file;
} Chosen;

static void
chosen_free (Chosen *chosen)
{
  g_clear_object (&chosen->app);
  g_clear_object (&chosen->parent);
  g_clear_object (&chosen->file);
  g_free (chosen);
}

static void
restore_confirmed_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  Chosen *chosen = user_data;

  if (g_str_equal (response, "restore"))
    meso_application_start_data_task (chosen->app, chosen->task, chosen->file, chosen->parent);
  chosen_free (chosen);
}

/* What a restore into @database does to the records now there, in words:
 * a file is kept aside first; a clinic server's records are replaced in one
 * transaction, and nothing is kept (meso_store_restore_full()). */
static char *
restore_warning (const char *database)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dir_shown = NULL;
  g_autofree char *base_shown = NULL;

  if (meso_store_location_is_server (database))
    {
      g_autofree char *where = meso_store_describe_location (database);

      return g_strdup_printf (
        /* Translators: %s is e.g. “clinic on server.local / mesodesk” */
        _("Every record on the %s is replaced by the backup’s, including changes made since it "
          "was taken, at every desk, in one step; the audit log notes the restore. Nothing is "
          "kept aside: to keep the current records, back them up first."),
        where);
    }
  dir = g_path_get_dirname (database);
  base = g_path_get_basename (database);
  dir_shown = g_filename_display_name (dir);
  base_shown = g_filename_display_name (base);
  return g_strdup_printf (
    /* Translators: the first %s is a file name (clinic.db), the second its folder */
    _("Every record is replaced by the backup’s, including changes made since it was taken. "
      "First the current records are copied to a file named “%s.replaced-” and the date, "
      "in “%s”."),
    base_shown, dir_shown);
}

void
meso_application_confirm_restore (MesoApplication *self,
                                  GFile           *file,
                                  GtkWindow       *parent)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  Chosen *chosen;

  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  chosen = g_new0 (Chosen, 1);
  chosen->app = g_object_ref (self);
  chosen->task = MESO_DATA_RESTORE;
  chosen->parent = parent != NULL ? g_object_ref (parent) : NULL;
  chosen->file = g_object_ref (file);
  body = restore_warning (meso_application_get_database_path (self));
  dialog = adw_message_dialog_new (parent, _("Replace the Clinic Database?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (restore_confirmed_cb), chosen);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  Chosen *chosen = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_object_unref (native);

  if (chosen->file == NULL)
    chosen_free (chosen);
  else if (chosen->task == MESO_DATA_RESTORE)
    {
      meso_application_confirm_restore (chosen->app, chosen->file, chosen->parent);
      chosen_free (chosen);
    }
  else
    {
      meso_application_start_data_task (chosen->app, chosen->task, chosen->file,
                                        chosen->parent);
      chosen_free (chosen);
    }
}

static void
data_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);
  const char *name = g_action_get_name (G_ACTION (action));
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *native;
  const DataTaskInfo *info = NULL;
  Chosen *chosen;

  for (guint i = 0; i < G_N_ELEMENTS (task_info); i++)
    if (g_str_equal (task_info[i].action, name))
      info = &task_info[i];
  g_return_if_fail (info != NULL);

  chosen = g_new0 (Chosen, 1);
  chosen->app = g_object_ref (self);
  chosen->task = info - task_info;
  chosen->parent = parent != NULL ? g_object_ref (parent) : NULL;

  native = gtk_file_chooser_native_new (_(info->chooser_title), parent, info->chooser_action,
                                        _(info->accept_label), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (info->csv)
    {
      /* Translators: a file type in the file chooser */
      gtk_file_filter_set_name (filter, _("CSV Files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
    }
  else
    {
      /* Translators: a file type in the file chooser */
      gtk_file_filter_set_name (filter, _("Database Backups"));
      gtk_file_filter_add_mime_type (filter, "application/vnd.sqlite3");
      gtk_file_filter_add_suffix (filter, "db");
    }
  /* Translators: a file type in the file chooser */
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  if (info->suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), _(info->suggested_name));

  g_signal_connect (native, "response", G_CALLBACK (chooser_response_cb), chosen);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
meso_application_actions_install (MesoApplication *self)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));

  for (guint i = 0; i < G_N_ELEMENTS (task_info); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (task_info[i].action, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (data_action_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
}
