/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's data actions: patients in and out as CSV, backup and
 * restore. The work runs off the main thread with its own store
 * connection, through the same core functions as the command line. */

#pragma once

#include "meso-application.h"

G_BEGIN_DECLS

typedef enum
{
  MESO_DATA_IMPORT_PATIENTS,   /* CSV, all or nothing */
  MESO_DATA_EXPORT_PATIENTS,   /* CSV */
  MESO_DATA_BACKUP,
  MESO_DATA_RESTORE,           /* replaces the records; a file's old ones are kept aside */
  MESO_DATA_TRANSFER,          /* the whole clinic into a new database file; this one stays */
} MesoDataTask;

/*   app.import-patients   app.export-patients   app.backup   app.restore
 *   app.transfer (Move Clinic to a New File: meso_store_transfer())
 * each asks for a file (GtkFileChooserNative, so a sandbox's portal works),
 * restore asks for confirmation, then the work shows progress after a
 * second, with Cancel, and ends in a dialog saying what was done or why not. */
void     meso_application_actions_install     (MesoApplication      *self);

/* What the actions do once the file is chosen (and a restore confirmed):
 * runs @task, shows the progress window after a second, and ends in a
 * dialog over @parent saying what was done, or why not (not when cancelled). */
void     meso_application_start_data_task      (MesoApplication      *self,
                                                MesoDataTask          task,
                                                GFile                *file,
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
char    *meso_application_run_data_task_finish (MesoApplication      *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
