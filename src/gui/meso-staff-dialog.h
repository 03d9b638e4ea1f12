/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences' staff dialogs (issue 16): Add Staff Member… (a name, roles,
 * a password typed twice) and Reset Password…, a small modal window each.
 * The store decides (a manager's work, the first account a manager's);
 * its refusal is shown in the window, which stays open to be put right. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* Called once the store has done it, with the person's name. */
typedef void (*MesoStaffDoneFunc) (const char *name,
                                   gpointer    user_data);

/* @name NULL: Add Staff Member… (Manager ticked when @first_account);
 * else Reset Password… for @name. @store must outlive the window (it is
 * modal over @parent, which holds it); @user_data is held until the
 * window goes. */
GtkWindow *meso_staff_dialog_new (GtkWindow          *parent,
                                  MesoStore          *store,
                                  const char         *name,
                                  gboolean            first_account,
                                  MesoStaffDoneFunc   done,
                                  GObject            *user_data);

G_END_DECLS
