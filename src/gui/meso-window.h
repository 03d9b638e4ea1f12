/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "meso-application.h"

G_BEGIN_DECLS

#define MESO_TYPE_WINDOW (meso_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoWindow, meso_window, MESO, WINDOW, AdwApplicationWindow)

MesoWindow *meso_window_new                (MesoApplication *app);

/* The main views by name: "patients", "schedule" and "aftercare". */
const char *meso_window_get_visible_view   (MesoWindow      *self);
void        meso_window_set_visible_view   (MesoWindow      *self,
                                            const char      *name);

G_END_DECLS
