/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's data actions: patients in and out as CSV, backup and
 * restore. The work runs off the main thread with its own store
 * connection, through the same core functions as the command line. */

#pragma once

#include "meso-application.h"
#include "meso-server.h"

G_BEGIN_DECLS

typedef enum
{
  MESO_DATA_IMPORT_PATIENTS,   /* CSV, all or nothing */
  MESO_DATA_EXPORT_PATIENTS,   /* CSV */
  MESO_DATA_BACKUP,
  MESO_DATA_RESTORE,           /* replaces the records; a file's old ones are kept aside */
  MESO_DATA_TRANSFER,          /* the whole clinic into a new database; this one stays */
} MesoDataTask;

/*   app.import-patients   app.export-patients   app.backup   app.restore
 *   app.transfer (Move Clinic to a New File: meso_store_transfer())
 *   app.transfer-server (Move Clinic to a Clinic Server: a window of its own)
 * each asks for a file (GtkFileChooserNative, so a sandbox's portal works),
 * restore asks for confirmation, then the work shows progress after a
 * second, with Cancel, and ends in a dialog saying what was done or why not. */
void     meso_application_actions_install     (MesoApplication      *self);
/* Enables the Data menu's actions, a manager's work (issue 16), or
 * disables them (the menu then hides them): the window calls it when a
 * person signs in, and when it locks. */
void     meso_application_actions_permit      (MesoApplication      *self,
                                               gboolean              manage);

/* What the actions do once the file is chosen (and a restore confirmed):
 * runs @task, shows the progress window after a second, and ends in a
 * dialog over @parent saying what was done, or why not (not when cancelled). */
void     meso_application_start_data_task      (MesoApplication      *self,
                                                MesoDataTask          task,
                                                GFile                *file,
                                                GtkWindow            *parent);

/* Move Clinic to a Clinic Server (app.transfer-server): a window over
 * @parent with the clinic server's fields (Preferences' own, filled from
 * them), Test Connection and Move; the password is asked and kept as
 * Preferences do (meso_server_connect_async()). Move connects, closes the
 * window and runs meso_application_start_transfer(). */
GtkWindow *meso_application_server_move_new    (MesoApplication      *self,
                                                GtkWindow            *parent);

/* The whole clinic into the empty database at @location (a clinic
 * server's, @server; NULL for a file), as meso_application_start_data_task()
 * runs a task: progress after a second, Cancel, and at the end a dialog
 * over @parent offering "Use the New Database" (then the window switches to
 * it and, for a server, Preferences name it) or keeping the current one. A
 * move to a new file (MESO_DATA_TRANSFER) offers the same. */
void     meso_application_start_transfer       (MesoApplication      *self,
                                                const MesoServer     *server,
                                                const char           *location,
                                                GtkWindow            *parent);

/* Asks over @parent whether to replace every record by the backup @file's,
 * saying what becomes of the records now there (on a file: kept aside; on
 * a clinic server: replaced in one transaction, nothing kept), and on Restore
 * starts the restore as meso_application_start_data_task() does. */
void     meso_application_confirm_restore      (MesoApplication      *self,
                                                GFile                *file,
                                                GtkWindow            *parent);

/* Runs @task on @file in a worker thread. @progress, if given, is called on
 * the main thread with the share done (below 0: unknown); it is not called
 * after the finish function. A restore closes the application's store
 * first and reopens it afterwards, whatever the outcome. Cancelled (not a
 * restore, which cannot be stopped half way), nothing is stored or written
 * (a transfer's new file is removed). */
void     meso_application_run_data_task        (MesoApplication      *self,
                                                MesoDataTask          task,
                                                GFile                *file,
                                                GCancellable         *cancellable,
                                                MesoProgressFunc      progress,
                                                gpointer              progress_data,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* A sentence for people saying what was done, or NULL with @error (its
 * message is for people too: for a CSV, it names the line and the column). */
/* A transfer (MESO_DATA_TRANSFER) into the empty database at @location,
 * as meso_application_run_data_task() runs one into a new file; finished
 * with meso_application_run_data_task_finish(). */
void     meso_application_run_transfer         (MesoApplication      *self,
                                                const char           *location,
                                                GCancellable         *cancellable,
                                                MesoProgressFunc      progress,
                                                gpointer              progress_data,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char    *meso_application_run_data_task_finish (MesoApplication      *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Verify Audit Log (app.verify-audit, a manager's): the store's check of
 * the audit log's chain (meso_store_verify_audit()) on a connection of a
 * worker thread, signed in as the window's person. */
void     meso_application_verify_audit_async   (MesoApplication      *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* Fills @verification (clear it with meso_audit_verification_clear()). */
gboolean meso_application_verify_audit_finish  (MesoApplication        *self,
                                                GAsyncResult           *result,
                                                MesoAuditVerification  *verification,
                                                GError                **error);

G_END_DECLS
