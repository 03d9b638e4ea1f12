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

G_END_DECLS
