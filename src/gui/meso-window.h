/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "meso-application.h"

G_BEGIN_DECLS

#define MESO_TYPE_WINDOW (meso_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoWindow, meso_window, MESO, WINDOW, AdwApplicationWindow)

/* The window's actions, the one way widgets in different files reach each
 * other (so a view never includes another view's or dialog's header):
 *
 *   win.show-view            s      "patients", "schedule", "aftercare"
 *   win.search-patients      -      Ctrl+F
 *   win.new-patient          -      Ctrl+N: the patient editor, empty
 *   win.show-patient         x      the patient's page (patient id)
 *   win.edit-patient         x      the patient editor, on that patient
 *   win.record-session       a{sv}  the record-a-session dialog; keys:
 *                                   "patient-id" x (required),
 *                                   "appointment-id" x (check-in: prefilled
 *                                   from it; saving marks it done)
 *   win.book                 a{sv}  the booking dialog; every key optional:
 *                                   "patient-id" x, "area" s (nick, e.g.
 *                                   "face"), "start" x (Unix time; absent:
 *                                   the first suggested time), "practitioner"
 *                                   s, "room" s, "appointment-id" x
 *                                   (reschedule that appointment)
 *   win.print-aftercare-sheet x     the printable sheet of a session (id)
 *   win.show-date            x      the schedule on the day of a Unix time
 *   app.preferences          -      Ctrl+,
 *
 * The file that owns the widget an action opens exports its activate
 * function (a GtkWidgetActionActivateFunc, whose widget is the MesoWindow),
 * e.g. meso_booking_dialog_book_action(); meso_window_class_init() installs
 * it. Parameters a caller leaves out are looked up (a{sv}), so a caller
 * passes only what it knows. */

MesoWindow *meso_window_new                (MesoApplication *app);

/* The application's store; NULL when the database could not be opened. */
MesoStore  *meso_window_get_store          (MesoWindow      *self);

/* The main views by name: "patients", "schedule" and "aftercare". */
const char *meso_window_get_visible_view   (MesoWindow      *self);
void        meso_window_set_visible_view   (MesoWindow      *self,
                                            const char      *name);

/* Shows @toast over the views (the window takes it: a floating AdwToast). */
void        meso_window_add_toast          (MesoWindow      *self,
                                            AdwToast        *toast);

/* Issue 16: who is signed in (NULL: nobody), and whether the sign-in
 * page shows (nobody signed in where there are accounts, or locked). */
const char *meso_window_get_signed_in      (MesoWindow      *self);
gboolean    meso_window_get_locked         (MesoWindow      *self);
/* Idle seconds until the window locks: the policy's lock_minutes, or
 * what a test set (0: the policy's again). */
guint       meso_window_get_idle_lock_seconds (MesoWindow   *self);
void        meso_window_set_idle_lock_seconds (MesoWindow   *self,
                                               guint         seconds);

G_END_DECLS
