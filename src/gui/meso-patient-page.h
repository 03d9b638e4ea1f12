/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One patient's page: details, skin profile, contraindications with their
 * history, the timeline of sessions, upcoming appointments and contact
 * attempts, with the buttons that act on the patient. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT_PAGE (meso_patient_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientPage, meso_patient_page, MESO, PATIENT_PAGE, AdwBin)

GtkWidget *meso_patient_page_new            (void);
/* NULL: nothing can be shown. */
void       meso_patient_page_set_store      (MesoPatientPage *self,
                                             MesoStore       *store);
/* 0 shows the "No Patient Selected" state. Starts reading the patient (in
 * a worker); the page reads again on the application's "store-changed". */
void       meso_patient_page_set_patient_id (MesoPatientPage *self,
                                             gint64           patient_id);
gint64     meso_patient_page_get_patient_id (MesoPatientPage *self);
/* Reads everything shown from the store again, in a worker: shown when it
 * arrives. */
void       meso_patient_page_reload         (MesoPatientPage *self);
/* Whether a read is in flight (what is shown may be about to change). */
gboolean   meso_patient_page_get_loading    (MesoPatientPage *self);
/* Writes the shown patient's own copy (meso_exchange_export_patient()) to
 * @file, a local one, in a thread on a connection of its own; the menu's
 * Export Patient’s Data… calls it with the file chosen. */
void       meso_patient_page_export_async   (MesoPatientPage     *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean   meso_patient_page_export_finish  (MesoPatientPage     *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
