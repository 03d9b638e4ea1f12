/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Patients view: search as you type over name, phone and e-mail, and the list of
 * patients found, loaded from the store a page at a time. */

#pragma once

#include <adwaita.h>

#include "meso-patient-list.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENTS_VIEW (meso_patients_view_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientsView, meso_patients_view, MESO, PATIENTS_VIEW, AdwBin)

GtkWidget       *meso_patients_view_new          (void);
/* NULL when the database could not be opened: the view then shows its empty state. */
void             meso_patients_view_set_store    (MesoPatientsView *self,
                                                  MesoStore        *store);
/* The model behind the list: empty while no store is set. */
MesoPatientList *meso_patients_view_get_list     (MesoPatientsView *self);
void             meso_patients_view_focus_search (MesoPatientsView *self);
/* The patient's page beside the list (alone, when the window is narrow). */
void             meso_patients_view_show_patient (MesoPatientsView *self,
                                                  gint64            patient_id);
/* 0 while no patient is shown. */
gint64           meso_patients_view_get_shown_patient (MesoPatientsView *self);

/* win.show-patient (x, the patient id), installed by MesoWindow. */
void             meso_patients_view_show_patient_action (GtkWidget  *widget,
                                                         const char *action_name,
                                                         GVariant   *parameter);

G_END_DECLS
