/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Aftercare view: today's aftercare (who must keep water off the treated skin,
 * who needs sun protection), who is due for a follow-up with nothing booked, and
 * who is overdue. Every row and count comes from the store's reminder functions,
 * the same ones `mesodesk-cli reminders` lists from; nothing is computed here. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_AFTERCARE_VIEW (meso_aftercare_view_get_type ())

G_DECLARE_FINAL_TYPE (MesoAftercareView, meso_aftercare_view, MESO, AFTERCARE_VIEW, AdwBin)

/* The sections, by the names meso_aftercare_view_get_section() takes. */
#define MESO_AFTERCARE_SECTION_TODAY   "today"
#define MESO_AFTERCARE_SECTION_DUE     "due"
#define MESO_AFTERCARE_SECTION_OVERDUE "overdue"
/* The Overdue section's collapsed group: meso_aftercare_view_get_section() only. */
#define MESO_AFTERCARE_SECTION_LAPSED  "lapsed"

GtkWidget  *meso_aftercare_view_new               (void);
/* NULL when the database could not be opened: the sections are then empty. With a
 * store, the view reloads on the application's "store-changed" and when the day
 * changes. Properties: "attention-count" (guint) and "needs-attention" (gboolean),
 * for the view switcher's badge, "loading", and "narrow" (gboolean: narrower than
 * 500 pixels, the sections' short names and rows of three lines). */
void        meso_aftercare_view_set_store         (MesoAftercareView *self,
                                                   MesoStore         *store);
/* Reads everything again (off the main thread); "loading" is TRUE until done. */
void        meso_aftercare_view_reload            (MesoAftercareView *self);
gboolean    meso_aftercare_view_get_loading       (MesoAftercareView *self);
/* Follow-ups due plus overdue: what needs a call or a booking. */
guint       meso_aftercare_view_get_attention_count (MesoAftercareView *self);
/* The rows a section shows (a GListModel of MesoReminderItem), and showing one. */
GListModel *meso_aftercare_view_get_section       (MesoAftercareView *self,
                                                   const char        *name);
void        meso_aftercare_view_show_section      (MesoAftercareView *self,
                                                   const char        *name);
/* Reloads if today (meso_clock_today()) is no longer the day shown; TRUE if so.
 * The view calls it every minute. */
gboolean    meso_aftercare_view_check_day         (MesoAftercareView *self);

G_END_DECLS
