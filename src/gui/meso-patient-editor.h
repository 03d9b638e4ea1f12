/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dialog that adds a patient or edits one: each bad field is marked
 * where it is, with core's reason. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT_EDITOR (meso_patient_editor_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientEditor, meso_patient_editor, MESO, PATIENT_EDITOR, AdwWindow)

/* Modal over @parent; @patient_id 0 adds a patient. NULL with @error when
 * the patient to edit cannot be read. After adding, the new patient is shown
 * through @parent's win.show-patient. */
MesoPatientEditor *meso_patient_editor_new        (GtkWindow   *parent,
                                                   MesoStore   *store,
                                                   gint64       patient_id,
                                                   GError     **error);
/* 0 while adding. */
gint64             meso_patient_editor_get_patient_id (MesoPatientEditor *self);

/* win.new-patient and win.edit-patient (x), installed by MesoWindow. */
void               meso_patient_editor_new_patient_action  (GtkWidget  *widget,
                                                            const char *action_name,
                                                            GVariant   *parameter);
void               meso_patient_editor_edit_patient_action (GtkWidget  *widget,
                                                            const char *action_name,
                                                            GVariant   *parameter);

G_END_DECLS
