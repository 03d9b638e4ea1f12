/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record-a-session window: the treatment's fields, the clinical rules'
 * verdict shown live as they change, a clinician's override and a caution's
 * confirmation, then the aftercare sheet to print. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION_DIALOG (meso_session_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionDialog, meso_session_dialog, MESO, SESSION_DIALOG, AdwWindow)

/* For @patient_id; with @appointment_id (0: none) its area, practitioner and
 * time are filled in and saving marks it done. NULL with @error when the
 * patient or the appointment cannot be found, or the appointment is not the
 * patient's or no longer booked. Like any window, GTK owns it until it
 * is closed. */
MesoSessionDialog *meso_session_dialog_new              (GtkWindow         *parent,
                                                         MesoStore         *store,
                                                         gint64             patient_id,
                                                         gint64             appointment_id,
                                                         GError           **error);

/* The last verdicts shown (resolved), NULL while the form cannot be checked. */
GPtrArray         *meso_session_dialog_get_verdicts     (MesoSessionDialog *self);
/* The id of the session saved; 0 until then. */
gint64             meso_session_dialog_get_session_id   (MesoSessionDialog *self);

/* win.record-session (a{sv}: "patient-id" x, "appointment-id" x), installed by
 * meso_window_class_init(); @widget is the window. */
void               meso_session_dialog_record_action    (GtkWidget         *widget,
                                                         const char        *action_name,
                                                         GVariant          *parameter);

G_END_DECLS
