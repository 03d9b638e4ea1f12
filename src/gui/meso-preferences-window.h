/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinic's settings, kept in the database so the command line sees the
 * same: policy (intervals, aftercare), practitioners, rooms, opening hours.
 * Every change is saved at once; an invalid one is explained and not saved. */

#pragma once

#include <adwaita.h>

#include "meso-application.h"

G_BEGIN_DECLS

#define MESO_TYPE_PREFERENCES_WINDOW (meso_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoPreferencesWindow, meso_preferences_window, MESO, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

MesoPreferencesWindow *meso_preferences_window_new (GtkWindow       *parent,
                                                    MesoApplication *app);

G_END_DECLS
