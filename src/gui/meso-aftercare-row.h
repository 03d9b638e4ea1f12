/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One row of the Aftercare view: the patient (a button that opens the record), the
 * last session and how long ago it was, the sensitive-skin tag, what the entry
 * asks for, and the actions. Book and the patient's name go to the window's
 * actions (win.book, win.show-patient); Log Contact, Course Finished and Declined
 * to the view's (aftercare.log-contact, aftercare.course-finished,
 * aftercare.declined, each "(xs)": the patient's id and name). */

#pragma once

#include <gtk/gtk.h>

#include "meso-reminder-item.h"

G_BEGIN_DECLS

#define MESO_TYPE_AFTERCARE_ROW (meso_aftercare_row_get_type ())

G_DECLARE_FINAL_TYPE (MesoAftercareRow, meso_aftercare_row, MESO, AFTERCARE_ROW, GtkWidget)

GtkWidget        *meso_aftercare_row_new      (void);
/* NULL, or a placeholder item, leaves the row blank with its actions off. */
void              meso_aftercare_row_set_item (MesoAftercareRow *self,
                                               MesoReminderItem *item);
MesoReminderItem *meso_aftercare_row_get_item (MesoAftercareRow *self);
/* Narrow (property "narrow"): the phone number on a line of its own, between
 * the name and what applies, so none of them is cut to a few letters. */
void              meso_aftercare_row_set_narrow (MesoAftercareRow *self,
                                                 gboolean          narrow);

G_END_DECLS
