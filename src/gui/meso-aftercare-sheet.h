/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The aftercare sheet a patient takes home: one printed page with the R4
 * instructions of one session and the real date and time each one ends. */

#pragma once

#include <gtk/gtk.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_AFTERCARE_SHEET (meso_aftercare_sheet_get_type ())

G_DECLARE_FINAL_TYPE (MesoAftercareSheet, meso_aftercare_sheet, MESO, AFTERCARE_SHEET, GObject)

/* The sheet's text for the session @session_id, in the language and date
 * formats the program runs in. NULL with @error when the session or its
 * patient cannot be read. */
MesoAftercareSheet *meso_aftercare_sheet_new_for_session (MesoStore          *store,
                                                          gint64              session_id,
                                                          GError            **error);

const char         *meso_aftercare_sheet_get_title       (MesoAftercareSheet *self);
/* The lines above the instructions: the clinic, the patient, the session. */
const char         *meso_aftercare_sheet_get_clinic      (MesoAftercareSheet *self);
/* The clinic's address and phone under its name; NULL when none is set. */
const char         *meso_aftercare_sheet_get_clinic_details (MesoAftercareSheet *self);
/* Whom to call if something goes wrong; NULL when the clinic gave no number. */
const char         *meso_aftercare_sheet_get_emergency   (MesoAftercareSheet *self);
/* The printed file's default name, without its extension. */
const char         *meso_aftercare_sheet_get_file_name   (MesoAftercareSheet *self);
const char         *meso_aftercare_sheet_get_patient     (MesoAftercareSheet *self);
const char         *meso_aftercare_sheet_get_session     (MesoAftercareSheet *self);
/* One per row of the aftercare plan, in its order: what to do, and until when. */
guint               meso_aftercare_sheet_get_n_items     (MesoAftercareSheet *self);
const char         *meso_aftercare_sheet_get_instruction (MesoAftercareSheet *self,
                                                          guint               index);
const char         *meso_aftercare_sheet_get_period      (MesoAftercareSheet *self,
                                                          guint               index);

/* Draws the page on @cr, whose units are points, @width by @height of them. */
void                meso_aftercare_sheet_draw            (MesoAftercareSheet *self,
                                                          cairo_t            *cr,
                                                          double              width,
                                                          double              height);
/* A one-page print operation drawing the sheet; run it with a dialog, or
 * export it to PDF (gtk_print_operation_set_export_filename()). */
GtkPrintOperation  *meso_aftercare_sheet_new_print_operation (MesoAftercareSheet *self);

/* win.print-aftercare-sheet (x: the session's id), installed by
 * meso_window_class_init(); @widget is the window. */
void                meso_aftercare_sheet_print_action    (GtkWidget          *widget,
                                                          const char         *action_name,
                                                          GVariant           *parameter);

G_END_DECLS
