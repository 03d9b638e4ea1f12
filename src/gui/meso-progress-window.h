/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small modal window for work that takes a while: what is being done, a
 * progress bar (pulsing while the fraction is unknown) and Cancel. */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MESO_TYPE_PROGRESS_WINDOW (meso_progress_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoProgressWindow, meso_progress_window, MESO, PROGRESS_WINDOW, AdwWindow)

/* Cancel (the button, Escape, closing the window) cancels @cancellable; with
 * none, the window has no Cancel and cannot be closed by the person. */
MesoProgressWindow *meso_progress_window_new          (GtkWindow          *parent,
                                                       const char         *title,
                                                       GCancellable       *cancellable);
/* From 0 to 1; below 0: unknown, the bar pulses. */
void                meso_progress_window_set_fraction (MesoProgressWindow *self,
                                                       double              fraction);
double              meso_progress_window_get_fraction (MesoProgressWindow *self);

G_END_DECLS
