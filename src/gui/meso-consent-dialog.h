/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Take Consent window (issue 18, item 3): a form's current text in a
 * language, signed on the signature pad or marked as signed on paper (a
 * printed copy to sign), the day, and who takes it. The store checks and
 * keeps it (meso_store_add_consent()); this window only asks. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_CONSENT_DIALOG (meso_consent_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MesoConsentDialog, meso_consent_dialog, MESO, CONSENT_DIALOG, AdwWindow)

/* For @patient_id, on @form (NULL: microneedling's) in the person's
 * language. NULL with @error when the patient or the form cannot be
 * found. Emits "saved" (the consent's id, x) once the store took it, then
 * closes. Like any window, GTK owns it until it is closed. */
MesoConsentDialog *meso_consent_dialog_new            (GtkWindow         *parent,
                                                       MesoStore         *store,
                                                       gint64             patient_id,
                                                       const char        *form,
                                                       GError           **error);
/* The id of the consent saved; 0 until then. */
gint64             meso_consent_dialog_get_consent_id (MesoConsentDialog *self);

/* The form's text as shown, the patient's name, the day and a line to sign
 * on, as many pages as it takes: run it with a dialog (Print Form…), or
 * export it to PDF. */
GtkPrintOperation *meso_consent_dialog_new_print_operation (MesoConsentDialog *self);

/* The manager's editor of the consent forms' texts: a form and language,
 * its latest text to edit, Save (a new version: meso_store_edit_consent_form()),
 * and the versions kept. NULL with @error when the forms cannot be read. */
GtkWindow         *meso_consent_form_editor_new       (GtkWindow         *parent,
                                                       MesoStore         *store,
                                                       GError           **error);

/* A language code's name in that language ("Deutsch" for "de"); the code
 * itself for one Mesodesk has no name for. */
const char        *meso_consent_language_name         (const char        *language);
/* A consent form's name as people read it: the shipped form's in the
 * person's language ("Microneedling"), a clinic's own form as named. */
const char        *meso_consent_form_label            (const char        *form);

G_END_DECLS
