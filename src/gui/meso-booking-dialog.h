/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The booking window: a new appointment, or an existing one moved, judged
 * live by the clinical rules and the calendar, with the next free times. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_BOOKING_DIALOG (meso_booking_dialog_get_type ())

G_DECLARE_FINAL_TYPE (MesoBookingDialog, meso_booking_dialog, MESO, BOOKING_DIALOG, AdwWindow)

/* win.book's activate function (see meso-window.h): @widget is the
 * MesoWindow, @parameter the a{sv} of the contract. */
void               meso_booking_dialog_book_action     (GtkWidget         *widget,
                                                        const char        *action_name,
                                                        GVariant          *parameter);

MesoBookingDialog *meso_booking_dialog_new             (MesoStore         *store);
/* Fills the form from win.book's a{sv}: any key may be missing. */
void               meso_booking_dialog_prefill         (MesoBookingDialog *self,
                                                        GVariant          *parameter);
/* TRUE while the next free times are being looked for (in a worker). */
gboolean           meso_booking_dialog_get_suggesting  (MesoBookingDialog *self);

G_END_DECLS
