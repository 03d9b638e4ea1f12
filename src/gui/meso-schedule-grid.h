/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The schedule's time grid: a day split into a column per practitioner or
 * room, or a week of one column per day; hours down the side, closed hours shaded,
 * and one button per appointment placed by its time; overlapping ones side
 * by side, those that do not fit folded into a "+N more" button per hour.
 * The grid, the header and the hours are drawn; only the appointments near
 * the part in sight are widgets, so a busy week stays light. It scrolls
 * itself (GtkScrollable) so the header and the hours stay in sight. */

#pragma once

#include <gtk/gtk.h>

#include "meso-appointment.h"

G_BEGIN_DECLS

#define MESO_TYPE_SCHEDULE_GRID (meso_schedule_grid_get_type ())

G_DECLARE_FINAL_TYPE (MesoScheduleGrid, meso_schedule_grid, MESO, SCHEDULE_GRID, GtkWidget)

GtkWidget       *meso_schedule_grid_new             (void);

/* Shows @n_days days from @first, with no appointments yet. @open and
 * @close hold each day's opening hours in minutes after midnight (open >=
 * close: closed all day). @columns names the practitioners (or rooms,
 * @by_room) that get a column even when free: a day's; a week has one
 * column per day, and its blocks name the practitioner. */
void             meso_schedule_grid_set_range       (MesoScheduleGrid   *self,
                                                     const GDate        *first,
                                                     guint               n_days,
                                                     const int          *open,
                                                     const int          *close,
                                                     const char *const  *columns,
                                                     gboolean            by_room);
/* The shown range's appointments (MesoAppointment; any out of range are
 * left out), replacing those shown. A name only an appointment has gets a
 * column too, and so does "nobody" when an appointment has none. */
void             meso_schedule_grid_set_appointments (MesoScheduleGrid  *self,
                                                      GPtrArray         *appointments);

/* Makes spare block buttons, a few at a time while the main loop is idle,
 * until the grid has @n_buttons (at most MESO_SCHEDULE_GRID_MAX_RESERVE)
 * made and spare: a range about to be shown (the week around the shown
 * day) then takes them instead of making hundreds while a person waits. */
#define MESO_SCHEDULE_GRID_MAX_RESERVE 800
void             meso_schedule_grid_reserve_blocks   (MesoScheduleGrid  *self,
                                                      guint              n_buttons);

/* Every appointment of the range, whether its block is made or not: day by
 * day, column by column, by time. */
guint            meso_schedule_grid_get_n_appointments (MesoScheduleGrid *self);
MesoAppointment *meso_schedule_grid_get_appointment    (MesoScheduleGrid *self,
                                                        guint             index);

/* The blocks made, in the same order: an appointment gets its button (a
 * block: named for screen readers, reached by Tab, clicked for its popover)
 * only while it is within about half a screen of the part in sight, so a
 * week of a thousand appointments stays quick. Scrolling, and Tab (a
 * focused block is scrolled into sight), make the ones further on. */
guint            meso_schedule_grid_get_n_blocks    (MesoScheduleGrid   *self);
GtkWidget       *meso_schedule_grid_get_block       (MesoScheduleGrid   *self,
                                                     guint               index);
/* The appointment of a block made (NULL for a button no block holds). */
MesoAppointment *meso_schedule_grid_block_get_appointment (GtkWidget    *block);
/* Where overlapping appointments need more lanes than fit their column's
 * width (a week's narrow column has one), those of the last lane that fits and
 * beyond are folded, by the hour they start in, into a "+N more" button
 * that lists them; choosing one there is activating its block. These are
 * the "+N more" buttons made (near the part in sight, as blocks are), in
 * the same order. */
guint            meso_schedule_grid_get_n_more      (MesoScheduleGrid   *self);
GtkWidget       *meso_schedule_grid_get_more        (MesoScheduleGrid   *self,
                                                     guint               index);
/* How many appointments a "+N more" button stands for (0: none, or not one). */
guint            meso_schedule_grid_more_get_count  (GtkWidget          *button);
/* The column a block (or a "+N more" button) stands in: its day (0-based) and its column's name
 * (NULL: nobody). */
void             meso_schedule_grid_block_get_place (MesoScheduleGrid   *self,
                                                     GtkWidget          *block,
                                                     guint              *day,
                                                     const char        **column);

/* Where an empty slot of @day (0-based), column @column (NULL: nobody) and
 * @minute after midnight is drawn, in the grid's coordinates: for tests and
 * for pointing at it. FALSE when there is no such column or it is scrolled
 * out of sight. */
gboolean         meso_schedule_grid_slot_position   (MesoScheduleGrid   *self,
                                                     guint               day,
                                                     const char         *column,
                                                     int                 minute,
                                                     double             *x,
                                                     double             *y);

/* The practitioners who treat, in the order of their colours: each one's
 * blocks are drawn in the palette's colour of that place (the legend shows
 * the same); anyone else's (a receptionist, someone who left) in none. */
void             meso_schedule_grid_set_colors      (MesoScheduleGrid   *self,
                                                     const char *const  *practitioners);
/* The palette's colour @index (it repeats after its last). */
void             meso_schedule_grid_get_palette_color (guint             index,
                                                       GdkRGBA          *color);
/* 1 + the palette index a block made is drawn in; 0: none. */
guint            meso_schedule_grid_block_get_color (MesoScheduleGrid   *self,
                                                     GtkWidget          *block);

/* Shows @popover pointing at @block; the grid keeps it as a child. */
void             meso_schedule_grid_popup_at        (MesoScheduleGrid   *self,
                                                     GtkPopover         *popover,
                                                     GtkWidget          *block);

G_END_DECLS
