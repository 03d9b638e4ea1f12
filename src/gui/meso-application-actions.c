/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-application-actions.h"

#include "meso-exchange.h"
#include "meso-progress-window.h"
#include "meso-server-fields.h"
#include "meso-worker.h"

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
  char             *target;         /* a transfer's server location, or NULL */
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
  /* Locations may hold a password: not left in freed memory. */
  if (job->target != NULL)
    memset (job->target, 0, strlen (job->target));
  g_free (job->target);
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
  g_autofree char *target = job->target != NULL ? NULL : g_file_get_path (job->file);
  g_autoptr(GArray) counts = NULL;
  gboolean existed = FALSE;
  gint64 total = 0;

  if (job->target != NULL)
    counts = meso_store_transfer (store, job->target, data_job_rows_cb, job, cancellable, error);
  else if (target == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The clinic can move only to a folder of this computer: choose "
                             "another place."));
      return 0;
    }
  else
    {
      existed = g_file_test (target, G_FILE_TEST_EXISTS);
      counts = meso_store_transfer (store, target, data_job_rows_cb, job, cancellable, error);
    }
  if (counts == NULL)
    {
      if (target != NULL && !existed)
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
      g_autoptr(MesoStaffTicket) signed_in = meso_worker_get_signed_in ();

      data_job_progress_cb (-1.0, job);
      path = incoming_path (job->file, &copy, NULL, error);
      /* Confirmed: on a clinic server too, every record is replaced. */
      ok = path != NULL && meso_store_restore_full (path, job->database, MESO_RESTORE_REPLACE,
                                                    signed_in, &kept, error);
    }
  else if ((store = meso_worker_open_store (job->database, error)) != NULL)
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
      if (job->target != NULL)
        {
          g_autofree char *where = meso_store_describe_location (job->target);

          /* Translators: %s is e.g. “clinic on server.local / mesodesk”; the
           * count is of records of every kind (patients, sessions, the audit log…) */
          return g_strdup_printf (ngettext ("The clinic is now also on the %s: %lu record, "
                                            "every count checked.",
                                            "The clinic is now also on the %s: %lu records, "
                                            "every count checked.",
                                            (gulong)MAX (records, 0)),
                                  where, (gulong)MAX (records, 0));
        }
      chosen = g_file_get_path (job->file);
      shown = g_filename_display_name (chosen);
      /* Translators: %s is a file name, with its folder; the count is of
       * records of every kind (patients, sessions, the audit log…) */
      return g_strdup_printf (ngettext ("The clinic is now also in “%s”: %lu record, every "
                                        "count checked.",
                                        "The clinic is now also in “%s”: %lu records, every "
                                        "count checked.",
                                        (gulong)MAX (records, 0)),
                              shown, (gulong)MAX (records, 0));
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

static void
run_job (MesoApplication     *self,
         MesoDataTask         task,
         GFile               *file,
         const char          *target,
         GCancellable        *cancellable,
         MesoProgressFunc     progress,
         gpointer             progress_data,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  DataJob *job = g_new0 (DataJob, 1);
  GTask *outer;

  job->task = task;
  job->file = file != NULL ? g_object_ref (file) : NULL;
  job->target = g_strdup (target);
  job->progress = progress;
  job->progress_data = progress_data;
  job->database = g_strdup (meso_application_get_database_path (self));
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
  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_job (self, task, file, NULL, cancellable, progress, progress_data, callback, user_data);
}

void
meso_application_run_transfer (MesoApplication     *self,
                               const char          *location,
                               GCancellable        *cancellable,
                               MesoProgressFunc     progress,
                               gpointer             progress_data,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (location != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_job (self, MESO_DATA_TRANSFER, NULL, location, cancellable, progress, progress_data,
           callback, user_data);
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
  char               *target;   /* a transfer's new database: path or server location */
  MesoServer         *server;   /* a transfer's server, for Preferences */
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
  if (flow->target != NULL)
    memset (flow->target, 0, strlen (flow->target));
  g_free (flow->target);
  meso_server_free (flow->server);
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

/* After a move: the window switches to the new database if asked; for a
 * clinic server, Preferences then name it too. */
static void
use_new_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  DataFlow *flow = user_data;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "use"))
    {
      GSettings *settings = meso_application_get_settings (flow->app);

      if (flow->server != NULL && settings != NULL)
        {
          meso_server_save (flow->server, settings);
          g_settings_set_string (settings, "clinic-database", "server");
        }
      if (!meso_application_use_database (flow->app, flow->target, &error))
        meso_application_show_error (flow->parent, _("The Clinic Database Cannot Be Opened"),
                                     error->message);
    }
  data_flow_free (flow);
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
  GtkWidget *dialog;

  summary = meso_application_run_data_task_finish (MESO_APPLICATION (source), result, &error);
  if (summary != NULL && flow->target != NULL)
    {
      /* Moved: offer the new database; the progress window goes now. */
      g_clear_handle_id (&flow->show_timeout, g_source_remove);
      if (flow->progress_window != NULL)
        gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&flow->progress_window)));
      dialog = adw_message_dialog_new (flow->parent, _(info->done_heading), summary);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        /* Translators: after moving the clinic: this
                                         * window goes on with the database it had */
                                        "keep", _("_Keep the Current One"),
                                        /* Translators: after moving the clinic: this
                                         * window switches to the new database */
                                        "use", _("_Use the New Database"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "use",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      g_signal_connect (dialog, "response", G_CALLBACK (use_new_response_cb), flow);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* Cancelled: the person knows, and nothing was changed. */
  if (summary != NULL)
    show_message (flow->parent, _(info->done_heading), summary);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (flow->parent, _(info->failed_heading), error->message);
  data_flow_free (flow);
}

static DataFlow *
data_flow_new (MesoApplication *self,
               MesoDataTask     task,
               GtkWindow       *parent)
{
  DataFlow *flow = g_new0 (DataFlow, 1);

  flow->app = g_object_ref (self);
  flow->task = task;
  flow->parent = parent != NULL ? g_object_ref (parent) : NULL;
  flow->cancellable = g_cancellable_new ();
  flow->fraction = -1.0;
  flow->show_timeout = g_timeout_add (PROGRESS_DELAY_MSEC, data_flow_show_progress_cb, flow);
  return flow;
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

  flow = data_flow_new (self, task, parent);
  if (task == MESO_DATA_TRANSFER)
    flow->target = g_file_get_path (file);
  meso_application_run_data_task (self, task, file, flow->cancellable, data_flow_progress_cb,
                                  flow, data_flow_done_cb, flow);
}

void
meso_application_start_transfer (MesoApplication  *self,
                                 const MesoServer *server,
                                 const char       *location,
                                 GtkWindow        *parent)
{
  DataFlow *flow;

  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (location != NULL);

  flow = data_flow_new (self, MESO_DATA_TRANSFER, parent);
  flow->target = g_strdup (location);
  flow->server = server != NULL ? meso_server_copy (server) : NULL;
  meso_application_run_transfer (self, location, flow->cancellable, data_flow_progress_cb, flow,
                                 data_flow_done_cb, flow);
}

/* ================================== Move Clinic to a Clinic Server */

typedef struct
{
  MesoApplication  *app;
  GtkWindow        *window;     /* not held: it holds this */
  MesoServerFields *fields;
  GtkLabel         *message;
  GtkWidget        *buttons;
  GCancellable     *connecting;
  char             *password;   /* the last that worked: memory only */
} ServerMove;

static void
server_move_free (ServerMove *move)
{
  g_cancellable_cancel (move->connecting);
  g_clear_object (&move->connecting);
  if (move->password != NULL)
    memset (move->password, 0, strlen (move->password));
  g_free (move->password);
  g_clear_object (&move->app);
  g_free (move);
}

static void
server_move_say (ServerMove *move,
                 const char *text,
                 gboolean    failed)
{
  gtk_label_set_label (move->message, text);
  gtk_widget_set_visible (GTK_WIDGET (move->message), text != NULL);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (move->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (move->message), "error");
}

typedef struct
{
  ServerMove *move;
  MesoServer *server;
  gboolean    start;
} ServerMoveConnect;

static void
server_move_connected_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  ServerMoveConnect *data = user_data;
  ServerMove *move = data->move;
  g_autoptr(MesoServerConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  connection = meso_server_connect_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  gtk_widget_set_sensitive (move->buttons, TRUE);
  g_clear_object (&move->connecting);
  if (connection == NULL)
    {
      server_move_say (move, error->message, TRUE);
      goto out;
    }
  g_free (move->password);
  move->password = g_strdup (connection->password);
  if (data->start)
    {
      GtkWindow *parent = gtk_window_get_transient_for (move->window);

      meso_application_start_transfer (move->app, data->server, connection->location, parent);
      gtk_window_destroy (move->window);
      goto out;
    }
  text = meso_server_connection_describe (connection);
  server_move_say (move, text, FALSE);
out:
  meso_server_free (data->server);
  g_free (data);
}

static void
server_move_connect (ServerMove *move,
                     gboolean    start)
{
  ServerMoveConnect *data = g_new0 (ServerMoveConnect, 1);

  data->move = move;
  data->server = meso_server_fields_get_server (move->fields);
  data->start = start;
  g_cancellable_cancel (move->connecting);
  g_clear_object (&move->connecting);
  move->connecting = g_cancellable_new ();
  gtk_widget_set_sensitive (move->buttons, FALSE);
  /* Translators: while Test Connection or Move connects */
  server_move_say (move, _("Connecting…"), FALSE);
  meso_server_connect_async (data->server, move->password, move->window, move->connecting,
                             server_move_connected_cb, data);
}

static void
server_move_test_cb (GtkButton  *button,
                     ServerMove *move)
{
  server_move_connect (move, FALSE);
}

static void
server_move_start_cb (GtkButton  *button,
                      ServerMove *move)
{
  server_move_connect (move, TRUE);
}

GtkWindow *
meso_application_server_move_new (MesoApplication *self,
                                  GtkWindow       *parent)
{
  ServerMove *move = g_new0 (ServerMove, 1);
  GSettings *settings = meso_application_get_settings (self);
  GtkWidget *window, *box, *page, *group, *buttons, *test, *start, *message;

  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  move->app = g_object_ref (self);
  window = adw_window_new ();
  move->window = GTK_WINDOW (window);
  /* Translators: title of the window that copies the clinic onto a clinic server */
  gtk_window_set_title (move->window, _("Move Clinic to a Clinic Server"));
  gtk_window_set_transient_for (move->window, parent);
  gtk_window_set_modal (move->window, TRUE);
  gtk_window_set_default_size (move->window, 520, 620);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  move->fields = MESO_SERVER_FIELDS (meso_server_fields_new ());
  if (settings != NULL)
    {
      g_autoptr(MesoServer) server = meso_server_new_from_settings (settings);

      meso_server_fields_set_server (move->fields, server);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (move->fields));
  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
    /* Translators: above Move Clinic to a Clinic Server's buttons */
    _("Every record, the audit log included, is copied into an empty database on the clinic "
      "server, in one step, and every count is checked. This database stays as it is."));
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  test = gtk_button_new_with_mnemonic (_("_Test Connection"));
  gtk_widget_add_css_class (test, "pill");
  /* Translators: a button: copies the clinic onto the clinic server */
  start = gtk_button_new_with_mnemonic (_("_Move"));
  gtk_widget_add_css_class (start, "pill");
  gtk_widget_add_css_class (start, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), test);
  gtk_box_append (GTK_BOX (buttons), start);
  move->buttons = buttons;
  message = gtk_label_new (NULL);
  gtk_widget_set_name (message, "server-move-message");
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_justify (GTK_LABEL (message), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_top (message, 12);
  gtk_widget_set_visible (message, FALSE);
  move->message = GTK_LABEL (message);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), message);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  g_signal_connect (test, "clicked", G_CALLBACK (server_move_test_cb), move);
  g_signal_connect (start, "clicked", G_CALLBACK (server_move_start_cb), move);
  g_object_set_data_full (G_OBJECT (window), "meso-server-move", move,
                          (GDestroyNotify) server_move_free);
  return move->window;
}

static void
transfer_server_action_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (meso_application_server_move_new (self, parent));
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

/* ===================================================== Verify Audit Log */

typedef struct
{
  char                  *database;
  MesoAuditVerification  result;
} AuditJob;

static void
audit_job_free (AuditJob *job)
{
  g_free (job->database);
  meso_audit_verification_clear (&job->result);
  g_free (job);
}

static void
audit_job_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AuditJob *job = task_data;
  g_autoptr(MesoStore) store = NULL;
  GError *error = NULL;

  store = meso_worker_open_store (job->database, &error);
  if (store == NULL || !meso_store_verify_audit (store, &job->result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
meso_application_verify_audit_async (MesoApplication     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AuditJob *job;

  g_return_if_fail (MESO_IS_APPLICATION (self));

  job = g_new0 (AuditJob, 1);
  job->database = g_strdup (meso_application_get_database_path (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_application_verify_audit_async);
  g_task_set_task_data (task, job, (GDestroyNotify)audit_job_free);
  g_task_run_in_thread (task, audit_job_thread);
}

gboolean
meso_application_verify_audit_finish (MesoApplication        *self,
                                      GAsyncResult           *result,
                                      MesoAuditVerification  *verification,
                                      GError                **error)
{
  AuditJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  *verification = job->result;
  job->result = (MesoAuditVerification) { 0 };
  return TRUE;
}

typedef struct
{
  GtkWindow          *parent;
  MesoProgressWindow *progress_window;
  guint               show_timeout;
} AuditFlow;

static void
audit_flow_free (AuditFlow *flow)
{
  g_clear_handle_id (&flow->show_timeout, g_source_remove);
  if (flow->progress_window != NULL)
    gtk_window_destroy (GTK_WINDOW (flow->progress_window));
  g_clear_object (&flow->parent);
  g_free (flow);
}

static gboolean
audit_flow_show_progress_cb (gpointer user_data)
{
  AuditFlow *flow = user_data;

  flow->show_timeout = 0;
  /* Translators: while the audit log's chain is checked */
  flow->progress_window = meso_progress_window_new (flow->parent, _("Verifying the audit log…"),
                                                    NULL);
  meso_progress_window_set_fraction (flow->progress_window, -1.0);
  gtk_window_present (GTK_WINDOW (flow->progress_window));
  return G_SOURCE_REMOVE;
}

static void
copy_hash_clicked_cb (GtkButton *button,
                      GtkLabel  *hash)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_label (hash));
  /* Translators: the Copy button's tooltip once the hash is copied */
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
}

/* The last hash, selectable, with a button that copies it. */
static GtkWidget *
audit_hash_box (const char *hash)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (hash);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: a screen reader's name for the hash shown */
                                  _("The audit log’s last hash"), -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  /* Translators: tooltip of the button that copies the audit log's last hash */
  gtk_widget_set_tooltip_text (copy, _("Copy the Last Hash"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the Last Hash"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_hash_clicked_cb), label);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  return box;
}

static void
audit_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AuditFlow *flow = user_data;
  g_auto(MesoAuditVerification) verification = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!meso_application_verify_audit_finish (MESO_APPLICATION (source), result, &verification,
                                             &error))
    {
      /* Translators: heading when the audit log could not be read */
      show_message (flow->parent, _("The Audit Log Cannot Be Verified"), error->message);
      audit_flow_free (flow);
      return;
    }
  if (!verification.sound)
    {
      /* Translators: %s says what does not match, e.g. “entry 12 was changed, or moved”;
       * the number counts the entries before it that match */
      body = g_strdup_printf (ngettext ("It is not as Mesodesk wrote it: %s. The %lld entry "
                                        "before that matches.",
                                        "It is not as Mesodesk wrote it: %s. The %lld entries "
                                        "before that match.",
                                        (gulong)verification.entries),
                              verification.problem, (long long)verification.entries);
      /* Translators: heading when the audit log's chain is broken */
      dialog = adw_message_dialog_new (flow->parent, _("The Audit Log Was Changed"), body);
    }
  else
    {
      if (verification.last_hash == NULL)
        body = g_strdup (_("The audit log has no entries yet."));
      else
        /* Translators: the number of entries in the audit log; the last hash is shown below */
        body = g_strdup_printf (ngettext ("%lld entry, the chain is whole. Keep its last hash "
                                          "somewhere else, to compare later:",
                                          "%lld entries, the chain is whole. Keep its last hash "
                                          "somewhere else, to compare later:",
                                          (gulong)verification.entries),
                                (long long)verification.entries);
      /* Translators: heading when every entry of the audit log matches */
      dialog = adw_message_dialog_new (flow->parent, _("The Audit Log Is Whole"), body);
      if (verification.last_hash != NULL)
        adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                            audit_hash_box (verification.last_hash));
    }
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  audit_flow_free (flow);
}

static void
verify_audit_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AuditFlow *flow = g_new0 (AuditFlow, 1);

  flow->parent = parent != NULL ? g_object_ref (parent) : NULL;
  flow->show_timeout = g_timeout_add (PROGRESS_DELAY_MSEC, audit_flow_show_progress_cb, flow);
  meso_application_verify_audit_async (self, NULL, audit_verified_cb, flow);
}

/* The actions a manager's only: the Data menu's, and these. */
static const char *const manager_actions[] = { "transfer-server", "verify-audit" };

void
meso_application_actions_install (MesoApplication *self)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("verify-audit", NULL);

    g_signal_connect (action, "activate", G_CALLBACK (verify_audit_action_cb), self);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  }
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("transfer-server", NULL);

    g_signal_connect (action, "activate", G_CALLBACK (transfer_server_action_cb), self);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  }

  for (guint i = 0; i < G_N_ELEMENTS (task_info); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (task_info[i].action, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (data_action_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
}

void
meso_application_actions_permit (MesoApplication *self,
                                 gboolean         manage)
{
  GAction *action;

  g_return_if_fail (MESO_IS_APPLICATION (self));

  for (guint i = 0; i < G_N_ELEMENTS (manager_actions); i++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self), manager_actions[i]);
      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), manage);
    }
  for (guint i = 0; i < G_N_ELEMENTS (task_info); i++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self), task_info[i].action);
      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), manage);
    }
}
