/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Log Contact: how a patient was contacted about the next session (call, SMS,
 * e-mail, in person), what came of it, and a note; saved with
 * meso_store_log_contact() when the person presses Log Contact. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_CONTACT_DIALOG (meso_contact_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MesoContactDialog, meso_contact_dialog, MESO, CONTACT_DIALOG,
                      AdwMessageDialog)

/* Emits "logged" after the contact is saved; a failure is shown in a dialog of
 * its own. Store writes are announced with meso_application_store_changed(). */
GtkWidget *meso_contact_dialog_new (GtkWindow  *parent,
                                    MesoStore  *store,
                                    gint64      patient_id,
                                    const char *patient_name);

G_END_DECLS
