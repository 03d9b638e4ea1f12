/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Schedule view: a day of appointments, a column per practitioner who
 * treats or per room, or a week of a column per day, each block in its
 * practitioner's colour (with a legend); a filter for one practitioner or
 * room; a narrow window shows the day; blocks dragged to another slot move; booking by clicking a free slot, check-in,
 * no-show and cancelling from an appointment's popover; the day list
 * printed and the shown range exported as iCalendar. */

#pragma once

#include <adwaita.h>

#include "meso-schedule-grid.h"
#include "meso-store.h"
#include "meso-exchange.h"

G_BEGIN_DECLS

#define MESO_TYPE_SCHEDULE_VIEW (meso_schedule_view_get_type ())

G_DECLARE_FINAL_TYPE (MesoScheduleView, meso_schedule_view, MESO, SCHEDULE_VIEW, AdwBin)

/* Properties: "span" ("day" or "week"), "columns" ("practitioners" or
 * "rooms"), "loading" (read-only: TRUE while a worker reads the shown
 * range's appointments; the grid shows them once it is FALSE again);
 * actions: schedule.previous, .next, .today, .span, .columns, .print,
 * .export. */
GtkWidget        *meso_schedule_view_new           (void);
/* NULL when the database could not be opened: the grid then stays empty. */
void              meso_schedule_view_set_store     (MesoScheduleView *self,
                                                    MesoStore        *store);
/* Loads the shown range again (on the application's "store-changed"), in a
 * worker thread: a newer request wins, an older answer is dropped. */
void              meso_schedule_view_reload        (MesoScheduleView *self);
gboolean          meso_schedule_view_get_loading   (MesoScheduleView *self);
/* The ranges being read (the one awaited and those read ahead), for the
 * tests. */
guint             meso_schedule_view_get_n_reading (MesoScheduleView *self);
void              meso_schedule_view_get_date      (MesoScheduleView *self,
                                                    GDate            *day);
void              meso_schedule_view_set_date      (MesoScheduleView *self,
                                                    const GDate      *day);
/* The first day shown and how many (1 or 7). */
void              meso_schedule_view_get_range     (MesoScheduleView *self,
                                                    GDate            *first,
                                                    guint            *n_days);
MesoScheduleGrid *meso_schedule_view_get_grid      (MesoScheduleView *self);
/* Shows only @name's appointments (a practitioner who treats, or a room if
 * @is_room), as its drop-down does; NULL: everyone's. */
void              meso_schedule_view_set_filter    (MesoScheduleView *self,
                                                    const char       *name,
                                                    gboolean          is_room);

/* The shown day's printed list as text (what the print operation prints). */
char             *meso_schedule_view_dup_day_list_text (MesoScheduleView *self);
/* What the export's file chooser starts: the shown range written to @file
 * on a worker thread with its own connection. */
void              meso_schedule_view_export_ics_async  (MesoScheduleView    *self,
                                                        GFile               *file,
                                                        MesoIcsFlags         flags,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          meso_schedule_view_export_ics_finish (MesoScheduleView    *self,
                                                        GAsyncResult        *result,
                                                        guint               *n_written,
                                                        GError             **error);

/* win.show-date (x, Unix time): the schedule, on that day. Installed by
 * meso_window_class_init(); @widget is the MesoWindow. */
void              meso_schedule_view_show_date_action  (GtkWidget          *widget,
                                                        const char         *action_name,
                                                        GVariant           *parameter);

G_END_DECLS
