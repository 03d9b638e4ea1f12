/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-schedule-grid.h"

#include "meso-time.h"

#include <glib/gi18n.h>
#include <string.h>

#define AXIS_WIDTH        56
#define HEADER_ROW_HEIGHT 26
#define HOUR_HEIGHT       64
#define SLOT_MINUTES      15
#define MIN_DAY_COLUMN    140
/* A week has one column per day (as GNOME Calendar's): wide enough for a
 * time and a name; narrower windows show the day (the view switches). */
#define MIN_WEEK_COLUMN   96
#define COLOR_STRIPE      5
#define BLOCK_GAP         2
/* Overlapping appointments share their column's width down to lanes this
 * narrow; those that do not fit are folded, an hour at a time, into a
 * "+N more" button in the last lane, which lists them. A week's narrow
 * column has one lane: two at once there are a "+2 more". */
#define MIN_LANE_WIDTH    48

/* Blocks are made (given a button) within this many screens of the shown
 * part, on each side: enough for Tab to find the next ones made, few enough
 * that a busy week does not make them all. Those in sight are made at once,
 * the others once the view has been still this long: making them maps them,
 * and that costs a frame, in the way of the next step of someone paging. */
#define MADE_MARGIN       0.5
#define MARGIN_DELAY_MS   150

#define N_STATUSES        (MESO_APPOINTMENT_NO_SHOW + 1)

#define BLOCK_APPOINTMENT_KEY "meso-appointment"
#define BLOCK_INDEX_KEY       "meso-block-index"
#define BLOCK_STATUS_KEY      "meso-block-status"
#define MORE_INDEX_KEY        "meso-more-index"
#define MORE_COUNT_KEY        "meso-more-count"
#define POPOVER_ANCHOR_KEY    "meso-popover-anchor"

/* One appointment of the range, with or without its button; or, in the
 * grid's "more" array, the appointments of an hour folded into one button
 * (appointment NULL, n_more of them). */
typedef struct
{
  MesoAppointment *appointment;
  GtkWidget       *widget;    /* NULL while it is not made */
  guint            column;    /* day * n_resources + resource */
  int              from;      /* minutes after the first day's midnight of its day */
  int              until;
  guint            lane;
  guint            n_lanes;   /* of its cluster of overlaps */
  guint            n_more;
  guint            color;     /* 1 + its practitioner's in the palette; 0: none */
} Block;

struct _MesoScheduleGrid
{
  GtkWidget      parent_instance;

  GDate          first;
  guint          n_days;
  int            open[7];
  int            close[7];
  GPtrArray     *resources;     /* char*, NULL for nobody, last */
  guint          n_named;       /* of them, those set_range() was given */
  gboolean       by_room;
  /* Practitioner name -> 1 + index in the palette: those who treat. */
  GHashTable    *colors;
  /* Every appointment of the range, in focus order; only those near the
   * shown part have a button (virtualization): a busy week is over a
   * thousand, too many to make, name and lay out at each step. */
  GArray        *blocks;        /* Block */
  guint          n_made;
  /* Buttons no block holds, kept for the next ones made, by the status
   * they last showed: one given a block of another status changes its
   * style, and the theme's transition then redraws the grid for a fifth
   * of a second. Children of the grid (which owns them), not referenced
   * here; hidden (child-visible FALSE) by the next update_made(), so one
   * handed back in the same turn of the main loop is never unmapped and
   * mapped again. */
  GPtrArray     *spare[N_STATUSES];
  /* The "+N more" buttons: the folded appointments, by column and hour, in
   * the same order as the blocks; made near the shown part like them. */
  GArray        *more;          /* Block */
  GPtrArray     *spare_more;
  guint          max_lanes;     /* that fit the column width; 0: not laid out */
  GtkPopover    *more_popover;  /* the list of a "+N more" button */
  /* The block (by its appointment) or "+N more" (by its column and start)
   * that had the focus when the blocks were last cleared: a reload (after
   * any change to the bookings) gives it back, so someone working by
   * keyboard stays where they were. */
  gboolean       refocus;
  gboolean       refocus_more;
  gint64         refocus_id;
  guint          refocus_column;
  int            refocus_from;

  int            first_minute;  /* of the shown hours, on every day */
  int            last_minute;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  int            column_width;  /* from the last allocation */
  guint          margin_source; /* makes the blocks near the shown part */
  guint          reserve;       /* buttons (made and spare) to have ready */
  guint          reserve_source;
};

enum
{
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum
{
  SIGNAL_BLOCK_ACTIVATED,
  SIGNAL_SLOT_ACTIVATED,
  SIGNAL_BLOCK_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (MesoScheduleGrid, meso_schedule_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static guint
n_columns (MesoScheduleGrid *self)
{
  return self->n_days * MAX (self->resources->len, 1);
}

static int
header_height (MesoScheduleGrid *self)
{
  /* One row: a day's columns are named, a week's days. */
  return HEADER_ROW_HEIGHT;
}

static int
content_width (MesoScheduleGrid *self,
               int               column_width)
{
  return AXIS_WIDTH + (int)n_columns (self) * column_width;
}

static int
content_height (MesoScheduleGrid *self)
{
  return header_height (self) + (self->last_minute - self->first_minute) * HOUR_HEIGHT / 60;
}

static double
adjustment_value (GtkAdjustment *adjustment)
{
  return adjustment != NULL ? gtk_adjustment_get_value (adjustment) : 0;
}

static double
column_x (MesoScheduleGrid *self,
          guint             column)
{
  return AXIS_WIDTH + (double)column * self->column_width - adjustment_value (self->hadjustment);
}

static double
minute_y (MesoScheduleGrid *self,
          int               minute)
{
  return header_height (self) + (double)(minute - self->first_minute) * HOUR_HEIGHT / 60 -
         adjustment_value (self->vadjustment);
}

/* ---------------------------------------------------------------- blocks */

static char *
describe_block (MesoAppointment *appointment)
{
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  g_autofree char *from = meso_format_time_short (meso_appointment_get_start (appointment));
  g_autofree char *until = meso_format_time_short (end);
  const char *name = meso_appointment_get_patient_name (appointment);
  const char *practitioner = meso_appointment_get_practitioner (appointment);
  const char *area = meso_area_get_label (meso_appointment_get_area (appointment));
  const char *status = meso_appointment_status_get_label (meso_appointment_get_status (
                                                            appointment));

  if (practitioner != NULL)
    /* Translators: an appointment in the schedule, for screen readers and tooltips:
     * time span, patient, practitioner, area, status, e.g.
     * “10:00–11:00, Anna Berg, with Dr. Ames, Face, Booked” */
    return g_strdup_printf (_("%s–%s, %s, with %s, %s, %s"), from, until,
                            name != NULL ? name : "", practitioner, area, status);
  /* Translators: an appointment in the schedule, for screen readers and tooltips:
   * time span, patient, area, status, e.g. “10:00–11:00, Anna Berg, Face, Booked” */
  return g_strdup_printf (_("%s–%s, %s, %s, %s"), from, until, name != NULL ? name : "",
                          area, status);
}

static char *
describe_more (const Block *more)
{
  g_autofree char *from = meso_format_minute_of_day_short (more->from);
  g_autofree char *until = meso_format_minute_of_day_short (more->until);

  /* Translators: a button in the schedule standing for the appointments that do
   * not fit their column, for screen readers and tooltips: how many, and when,
   * e.g. “12 more appointments, 10:00–11:00” */
  return g_strdup_printf (ngettext ("%u more appointment, %s–%s",
                                    "%u more appointments, %s–%s", more->n_more),
                          more->n_more, from, until);
}

static const char *
status_css_class (MesoAppointmentStatus status)
{
  switch (status)
    {
    case MESO_APPOINTMENT_CHECKED_IN: return "checked-in";
    case MESO_APPOINTMENT_DONE: return "done";
    case MESO_APPOINTMENT_CANCELLED: return "cancelled";
    case MESO_APPOINTMENT_NO_SHOW: return "no-show";
    case MESO_APPOINTMENT_BOOKED:
    default: return "booked";
    }
}

static void
on_block_clicked_cb (GtkButton        *button,
                     MesoScheduleGrid *self)
{
  MesoAppointment *appointment = meso_schedule_grid_block_get_appointment (GTK_WIDGET (button));

  /* A spare button holds no appointment: it is not on screen either. */
  if (appointment != NULL)
    g_signal_emit (self, signals[SIGNAL_BLOCK_ACTIVATED], 0, button, appointment);
}

/* The tooltip is written only when asked for: setting a tooltip's text asks
 * the display where the pointer is, a round trip per block made. */
static gboolean
on_block_query_tooltip_cb (GtkWidget  *button,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  MesoAppointment *appointment = meso_schedule_grid_block_get_appointment (button);
  g_autofree char *description = NULL;

  if (appointment == NULL)
    return FALSE;
  description = describe_block (appointment);
  gtk_tooltip_set_text (tooltip, description);
  return TRUE;
}

static GdkContentProvider *on_drag_prepare_cb (GtkDragSource *source,
                                               double         x,
                                               double         y,
                                               gpointer       user_data);
static void on_drag_begin_cb (GtkDragSource *source,
                              GdkDrag       *drag,
                              gpointer       user_data);

static GtkWidget *
new_block_widget (MesoScheduleGrid *self)
{
  GtkWidget *button = gtk_button_new ();
  GtkDragSource *drag;

  gtk_widget_add_css_class (button, "meso-appointment");
  gtk_widget_set_has_tooltip (button, TRUE);
  g_signal_connect (button, "clicked", G_CALLBACK (on_block_clicked_cb), self);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (on_block_query_tooltip_cb), NULL);
  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare_cb), NULL);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), NULL);
  gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  return button;
}

/* A spare button, of @status if there is one. */
static GtkWidget *
take_spare (MesoScheduleGrid      *self,
            MesoAppointmentStatus  status)
{
  GPtrArray *pool = self->spare[status];

  for (guint i = 0; pool->len == 0 && i < N_STATUSES; i++)
    pool = self->spare[i];
  if (pool->len == 0)
    return NULL;
  return g_ptr_array_steal_index_fast (pool, pool->len - 1);
}

/* A button just given a block (or a "+N more"), in sight of screen readers. */
static void
show_made (MesoScheduleGrid *self,
           GtkWidget        *button,
           GtkWidget        *previous)
{
  /* Screen readers go through the blocks in time order: after the one made before. */
  if (gtk_widget_get_prev_sibling (button) != previous)
    gtk_widget_insert_after (button, GTK_WIDGET (self), previous);
  if (!gtk_widget_get_child_visible (button))
    {
      gtk_widget_set_child_visible (button, TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_HIDDEN, FALSE,
                                   -1);
    }
}

/* Gives block @index a button: a spare one if any, else a new one. Only what
 * differs from the button's last appointment is changed: each change is
 * work for the style machinery and a message to screen readers. */
static void
make_block (MesoScheduleGrid *self,
            guint             index,
            GtkWidget        *previous)
{
  Block *block = &g_array_index (self->blocks, Block, index);
  MesoAppointmentStatus status = meso_appointment_get_status (block->appointment);
  g_autofree char *description = describe_block (block->appointment);
  GtkWidget *button;
  int old_status;

  button = take_spare (self, status);
  if (button == NULL)
    button = new_block_widget (self);

  old_status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), BLOCK_STATUS_KEY)) - 1;
  if (old_status != (int)status)
    {
      if (old_status >= 0)
        gtk_widget_remove_css_class (button, status_css_class (old_status));
      gtk_widget_add_css_class (button, status_css_class (status));
      g_object_set_data (G_OBJECT (button), BLOCK_STATUS_KEY, GINT_TO_POINTER (status + 1));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  g_object_set_data_full (G_OBJECT (button), BLOCK_APPOINTMENT_KEY,
                          g_object_ref (block->appointment), g_object_unref);
  g_object_set_data (G_OBJECT (button), BLOCK_INDEX_KEY, GUINT_TO_POINTER (index + 1));
  show_made (self, button, previous);
  block->widget = button;
  self->n_made++;
}

/* Takes block @index's button back into the spares. */
static void
unmake_block (MesoScheduleGrid *self,
              guint             index)
{
  Block *block = &g_array_index (self->blocks, Block, index);
  int status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (block->widget),
                                                  BLOCK_STATUS_KEY)) - 1;

  g_object_set_data (G_OBJECT (block->widget), BLOCK_APPOINTMENT_KEY, NULL);
  g_object_set_data (G_OBJECT (block->widget), BLOCK_INDEX_KEY, NULL);
  g_ptr_array_add (self->spare[status], block->widget);
  block->widget = NULL;
  self->n_made--;
}

/* ---------------------------------------------------------------- "+N more" */

static const Block *find_block (MesoScheduleGrid *self,
                                GtkWidget        *widget);

/* Folded into a "+N more" button: in a cluster of more lanes than fit, in
 * the last lane that fits or beyond. */
static gboolean
block_folded (MesoScheduleGrid *self,
              const Block      *block)
{
  return block->appointment != NULL && self->max_lanes > 0 &&
         block->n_lanes > self->max_lanes && block->lane + 1 >= self->max_lanes;
}

static void
on_more_row_clicked_cb (GtkButton        *row,
                        MesoScheduleGrid *self)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  GtkWidget *anchor;

  g_return_if_fail (self->more_popover != NULL);

  appointment = g_object_ref (g_object_get_data (G_OBJECT (row), BLOCK_APPOINTMENT_KEY));
  anchor = g_object_get_data (G_OBJECT (self->more_popover), POPOVER_ANCHOR_KEY);
  gtk_popover_popdown (self->more_popover);
  /* Its popover points at the "+N more" button it was listed by. */
  g_signal_emit (self, signals[SIGNAL_BLOCK_ACTIVATED], 0, anchor, appointment);
}

static void
close_more_popover (MesoScheduleGrid *self)
{
  if (self->more_popover == NULL)
    return;
  gtk_popover_popdown (self->more_popover);
  gtk_widget_unparent (GTK_WIDGET (self->more_popover));
  self->more_popover = NULL;
}

/* Lists the appointments folded into @button, each a button that opens its
 * own popover, as a block does. */
static void
on_more_clicked_cb (GtkButton        *button,
                    MesoScheduleGrid *self)
{
  const Block *more = find_block (self, GTK_WIDGET (button));
  g_autofree char *description = NULL;
  GtkWidget *scrolled, *box, *heading, *content;

  /* A spare button stands for nothing: it is not on screen either. */
  if (more == NULL || more->appointment != NULL)
    return;

  close_more_popover (self);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      g_autofree char *label = NULL;
      GtkWidget *row;

      if (block->column != more->column || block->from < more->from ||
          block->from >= more->until || !block_folded (self, block))
        continue;
      label = describe_block (block->appointment);
      row = gtk_button_new_with_label (label);
      gtk_widget_add_css_class (row, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (row))), 0);
      g_object_set_data_full (G_OBJECT (row), BLOCK_APPOINTMENT_KEY,
                              g_object_ref (block->appointment), g_object_unref);
      g_signal_connect (row, "clicked", G_CALLBACK (on_more_row_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), row);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);

  /* What the list is, over it: a long one scrolls under its heading. */
  description = describe_more (more);
  heading = gtk_label_new (description);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_start (heading, 17);  /* as a text button's label */
  gtk_widget_set_margin_end (heading, 17);
  gtk_widget_set_margin_top (heading, 6);
  gtk_widget_set_margin_bottom (heading, 6);
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), heading);
  gtk_box_append (GTK_BOX (content), scrolled);

  self->more_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->more_popover, content);
  gtk_popover_set_position (self->more_popover, GTK_POS_RIGHT);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_popover),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  meso_schedule_grid_popup_at (self, self->more_popover, GTK_WIDGET (button));
}

static gboolean
on_more_query_tooltip_cb (GtkWidget        *button,
                          int               x,
                          int               y,
                          gboolean          keyboard,
                          GtkTooltip       *tooltip,
                          MesoScheduleGrid *self)
{
  const Block *more = find_block (self, button);
  g_autofree char *description = NULL;

  if (more == NULL || more->appointment != NULL)
    return FALSE;
  description = describe_more (more);
  gtk_tooltip_set_text (tooltip, description);
  return TRUE;
}

/* Gives "+N more" @index a button: a spare one if any, else a new one. */
static void
make_more (MesoScheduleGrid *self,
           guint             index,
           GtkWidget        *previous)
{
  Block *more = &g_array_index (self->more, Block, index);
  g_autofree char *description = describe_more (more);
  GtkWidget *button;

  if (self->spare_more->len > 0)
    button = g_ptr_array_steal_index_fast (self->spare_more, self->spare_more->len - 1);
  else
    {
      button = gtk_button_new ();
      gtk_widget_add_css_class (button, "meso-appointment");
      gtk_widget_add_css_class (button, "meso-more");
      gtk_widget_set_has_tooltip (button, TRUE);
      g_signal_connect (button, "clicked", G_CALLBACK (on_more_clicked_cb), self);
      g_signal_connect (button, "query-tooltip", G_CALLBACK (on_more_query_tooltip_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
  g_object_set_data (G_OBJECT (button), MORE_INDEX_KEY, GUINT_TO_POINTER (index + 1));
  g_object_set_data (G_OBJECT (button), MORE_COUNT_KEY, GUINT_TO_POINTER (more->n_more));
  show_made (self, button, previous);
  more->widget = button;
}

static void
unmake_more (MesoScheduleGrid *self,
             guint             index)
{
  Block *more = &g_array_index (self->more, Block, index);

  g_object_set_data (G_OBJECT (more->widget), MORE_INDEX_KEY, NULL);
  g_object_set_data (G_OBJECT (more->widget), MORE_COUNT_KEY, NULL);
  g_ptr_array_add (self->spare_more, more->widget);
  more->widget = NULL;
}

static void
clear_more (MesoScheduleGrid *self)
{
  for (guint i = self->more->len; i-- > 0;)
    if (g_array_index (self->more, Block, i).widget != NULL)
      unmake_more (self, i);
  g_array_set_size (self->more, 0);
}

/* The "+N more" buttons for the lanes that fit (max_lanes): in each cluster
 * of overlaps with more lanes than that, the blocks of its last lane and
 * beyond, by the hour they start in. Each button stays within its cluster,
 * so it overlaps no other block. */
static void
fold_lanes (MesoScheduleGrid *self)
{
  guint end;

  /* Its list may no longer be what its button stands for. */
  if (self->more_popover != NULL)
    gtk_popover_popdown (self->more_popover);
  clear_more (self);
  for (guint start = 0; self->max_lanes > 0 && start < self->blocks->len; start = end)
    {
      const Block *first = &g_array_index (self->blocks, Block, start);
      int cluster_until = first->until;

      for (end = start + 1; end < self->blocks->len; end++)
        {
          const Block *block = &g_array_index (self->blocks, Block, end);

          if (block->column != first->column || block->from >= cluster_until)
            break;
          cluster_until = MAX (cluster_until, block->until);
        }
      for (guint i = start; i < end && first->n_lanes > self->max_lanes; i++)
        {
          const Block *block = &g_array_index (self->blocks, Block, i);
          Block *last = self->more->len > 0 ?
                        &g_array_index (self->more, Block, self->more->len - 1) : NULL;
          int hour = block->from - block->from % 60;

          if (!block_folded (self, block))
            continue;
          if (last != NULL && last->column == block->column && last->from <= block->from &&
              block->from < last->until)
            last->n_more++;
          else
            g_array_append_vals (self->more, &(Block) {
                                   .column = block->column,
                                   .from = MAX (hour, first->from),
                                   .until = MIN (hour + 60, cluster_until),
                                   .lane = self->max_lanes - 1,
                                   .n_lanes = self->max_lanes,
                                   .n_more = 1 }, 1);
        }
    }
}

/* ---------------------------------------------------------------- placing */

/* Where block @block stands, in the grid's coordinates (as scrolled). */
static void
block_bounds (MesoScheduleGrid *self,
              const Block      *block,
              graphene_rect_t  *bounds)
{
  guint n_lanes = self->max_lanes > 0 ? MIN (block->n_lanes, self->max_lanes) : block->n_lanes;
  double lane_width = (double)(self->column_width - 2 * BLOCK_GAP) / n_lanes;
  double x = column_x (self, block->column) + BLOCK_GAP + block->lane * lane_width;
  double y = minute_y (self, block->from) + 1;
  double h = (block->until - block->from) * HOUR_HEIGHT / 60.0 - 2;

  graphene_rect_init (bounds, (int)x, (int)y, MAX (1, (int)lane_width - BLOCK_GAP),
                      MAX (1, (int)h));
}

/* The part of the grid where blocks are drawn: below the header, right of
 * the hours. */
static void
body_bounds (MesoScheduleGrid *self,
             graphene_rect_t  *bounds)
{
  int header = header_height (self);

  graphene_rect_init (bounds, AXIS_WIDTH, header,
                      MAX (0, gtk_widget_get_width (GTK_WIDGET (self)) - AXIS_WIDTH),
                      MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - header));
}

/* Out of sight, and out of screen readers' reach: an unmapped button is
 * still presented to them, with its last appointment's name. */
static void
hide_spare (GtkWidget *button)
{
  if (!gtk_widget_get_child_visible (button))
    return;
  gtk_widget_set_child_visible (button, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
}

static gboolean make_margin_cb (gpointer data);

static guint
count_buttons (MesoScheduleGrid *self)
{
  guint n = self->n_made;

  for (guint status = 0; status < N_STATUSES; status++)
    n += self->spare[status]->len;
  return n;
}

/* A few spare buttons at a time, while nothing else waits: styled as
 * booked, the status most blocks have, so that taking one changes no style. */
#define RESERVE_CHUNK 40

static gboolean
reserve_cb (gpointer data)
{
  MesoScheduleGrid *self = data;

  for (guint i = 0; i < RESERVE_CHUNK && count_buttons (self) < self->reserve; i++)
    {
      GtkWidget *button = new_block_widget (self);

      gtk_widget_add_css_class (button, status_css_class (MESO_APPOINTMENT_BOOKED));
      g_object_set_data (G_OBJECT (button), BLOCK_STATUS_KEY,
                         GINT_TO_POINTER (MESO_APPOINTMENT_BOOKED + 1));
      hide_spare (button);
      g_ptr_array_add (self->spare[MESO_APPOINTMENT_BOOKED], button);
    }
  if (count_buttons (self) < self->reserve)
    return G_SOURCE_CONTINUE;
  self->reserve_source = 0;
  return G_SOURCE_REMOVE;
}

/* Makes the blocks in sight (@in_sight) or within MADE_MARGIN screens of it,
 * and takes the buttons of those further away (but the one with the focus,
 * so it keeps it); the buttons left over are hidden. */
static void
update_made (MesoScheduleGrid *self,
             gboolean          in_sight)
{
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self));
  GtkWidget *previous = NULL;
  graphene_rect_t body, near, wanted;
  gboolean laid_out = self->column_width > 0 && self->n_days > 0;
  gboolean margin_left = FALSE;

  body_bounds (self, &body);
  near = body;
  graphene_rect_inset (&near, -MADE_MARGIN * body.size.width, -MADE_MARGIN * body.size.height);
  wanted = in_sight ? body : near;

  /* Out of reach (or folded) first, so their buttons serve the blocks coming in. */
  for (guint i = self->blocks->len; i-- > 0;)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      graphene_rect_t bounds;

      if (block->widget == NULL || block->widget == focus)
        continue;
      block_bounds (self, block, &bounds);
      if (!laid_out || block_folded (self, block) ||
          !graphene_rect_intersection (&bounds, &near, NULL))
        unmake_block (self, i);
    }
  for (guint i = self->more->len; i-- > 0;)
    {
      Block *more = &g_array_index (self->more, Block, i);
      graphene_rect_t bounds;

      if (more->widget == NULL || more->widget == focus)
        continue;
      block_bounds (self, more, &bounds);
      if (!laid_out || !graphene_rect_intersection (&bounds, &near, NULL))
        unmake_more (self, i);
    }
  /* Then in focus order, column by column, by time: the blocks and the
   * "+N more" buttons, both in that order, taken in turn. */
  for (guint i = 0, j = 0; laid_out && (i < self->blocks->len || j < self->more->len);)
    {
      Block *block = i < self->blocks->len ? &g_array_index (self->blocks, Block, i) : NULL;
      Block *more = j < self->more->len ? &g_array_index (self->more, Block, j) : NULL;
      gboolean is_more = block == NULL ||
                         (more != NULL && (more->column < block->column ||
                                           (more->column == block->column &&
                                            more->from < block->from)));
      Block *next = is_more ? more : block;
      guint index = is_more ? j++ : i++;
      graphene_rect_t bounds;

      if (next->widget == NULL && !block_folded (self, next))
        {
          block_bounds (self, next, &bounds);
          if (graphene_rect_intersection (&bounds, &wanted, NULL))
            (is_more ? make_more : make_block) (self, index, previous);
          else if (graphene_rect_intersection (&bounds, &near, NULL))
            margin_left = TRUE;
        }
      if (next->widget != NULL)
        previous = next->widget;
    }

  for (guint status = 0; status < N_STATUSES; status++)
    for (guint i = 0; i < self->spare[status]->len; i++)
      hide_spare (g_ptr_array_index (self->spare[status], i));
  for (guint i = 0; i < self->spare_more->len; i++)
    hide_spare (g_ptr_array_index (self->spare_more, i));

  g_clear_handle_id (&self->margin_source, g_source_remove);
  if (margin_left)
    self->margin_source = g_timeout_add (MARGIN_DELAY_MS, make_margin_cb, self);
}

/* The view is still: the blocks near the shown part. */
static gboolean
make_margin_cb (gpointer data)
{
  MesoScheduleGrid *self = data;

  self->margin_source = 0;
  update_made (self, FALSE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
clear_block (gpointer data)
{
  g_clear_object (&((Block *)data)->appointment);
}

static GArray *
new_blocks (void)
{
  GArray *blocks = g_array_new (FALSE, TRUE, sizeof (Block));

  g_array_set_clear_func (blocks, clear_block);
  return blocks;
}

static gboolean
free_blocks_cb (gpointer data)
{
  g_array_unref (data);
  return G_SOURCE_REMOVE;
}

/* Every block loses its button, and the range its blocks. */
static void
clear_blocks (MesoScheduleGrid *self)
{
  GArray *old = self->blocks;
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self));
  const Block *focused = focus != NULL ? find_block (self, focus) : NULL;

  if (focused != NULL)
    {
      self->refocus = TRUE;
      self->refocus_more = focused->appointment == NULL;
      self->refocus_id = focused->appointment != NULL ?
                         meso_appointment_get_id (focused->appointment) : 0;
      self->refocus_column = focused->column;
      self->refocus_from = focused->from;
    }
  close_more_popover (self);
  clear_more (self);
  /* From the last, so the spares are handed out again in the same order. */
  for (guint i = old->len; i-- > 0;)
    if (g_array_index (old, Block, i).widget != NULL)
      unmake_block (self, i);
  if (old->len == 0)
    return;

  /* A busy week's appointments are let go of after the next frame, not
   * before it. */
  self->blocks = new_blocks ();
  g_idle_add_full (G_PRIORITY_LOW, free_blocks_cb, old, NULL);
}

/* After a reload: the focus back on the button that had it before, if it
 * is made again and the focus has gone nowhere else meanwhile. */
static void
give_focus_back (MesoScheduleGrid *self)
{
  GArray *array = self->refocus_more ? self->more : self->blocks;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!self->refocus)
    return;
  self->refocus = FALSE;
  if (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return;
  for (guint i = 0; i < array->len; i++)
    {
      const Block *block = &g_array_index (array, Block, i);

      if (block->widget == NULL)
        continue;
      if (self->refocus_more ? block->column == self->refocus_column &&
                                 block->from == self->refocus_from
                             : meso_appointment_get_id (block->appointment) == self->refocus_id)
        {
          gtk_widget_grab_focus (block->widget);
          return;
        }
    }
}

static guint
resource_index (MesoScheduleGrid *self,
                const char       *name)
{
  for (guint i = 0; i < self->resources->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->resources, i), name) == 0)
      return i;
  return G_MAXUINT;
}

static const char *
appointment_resource (MesoScheduleGrid *self,
                      MesoAppointment  *appointment)
{
  /* A week's day is one column: whose it is, its block says. */
  if (self->n_days > 1)
    return NULL;
  return self->by_room ? meso_appointment_get_room (appointment)
                       : meso_appointment_get_practitioner (appointment);
}

/* Overlapping blocks of one column share its width: each cluster of
 * overlaps gets as many lanes as it needs, each block the first free one. */
static int
compare_blocks (gconstpointer a,
                gconstpointer b)
{
  const Block *x = a, *y = b;

  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  if (x->from != y->from)
    return x->from < y->from ? -1 : 1;
  return (x->until > y->until) - (x->until < y->until);
}

static void
assign_lanes (MesoScheduleGrid *self)
{
  g_autoptr(GArray) lane_ends = g_array_new (FALSE, FALSE, sizeof (int));
  guint cluster_start = 0;
  int cluster_end = G_MININT;

  g_array_sort (self->blocks, compare_blocks);
  for (guint i = 0; i <= self->blocks->len; i++)
    {
      Block *block = i < self->blocks->len ? &g_array_index (self->blocks, Block, i) : NULL;

      if (block == NULL || i == cluster_start ||
          block->column != g_array_index (self->blocks, Block, cluster_start).column ||
          block->from >= cluster_end)
        {
          /* The previous cluster is complete. */
          for (guint j = cluster_start; j < i; j++)
            g_array_index (self->blocks, Block, j).n_lanes = lane_ends->len;
          if (block == NULL)
            break;
          cluster_start = i;
          cluster_end = G_MININT;
          g_array_set_size (lane_ends, 0);
        }

      block->lane = lane_ends->len;
      for (guint lane = 0; lane < lane_ends->len; lane++)
        if (g_array_index (lane_ends, int, lane) <= block->from)
          {
            block->lane = lane;
            break;
          }
      if (block->lane == lane_ends->len)
        g_array_append_val (lane_ends, block->until);
      else
        g_array_index (lane_ends, int, block->lane) = block->until;
      cluster_end = MAX (cluster_end, block->until);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **)a, *(const char **)b);
}

/* Whole hours around the opening hours and every appointment; a closed
 * week shows an ordinary day. */
static void
update_hours (MesoScheduleGrid *self)
{
  int earliest = 24 * 60, latest = 0;

  for (guint d = 0; d < self->n_days; d++)
    if (self->open[d] < self->close[d])
      {
        earliest = MIN (earliest, self->open[d]);
        latest = MAX (latest, self->close[d]);
      }
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      earliest = MIN (earliest, block->from);
      latest = MAX (latest, block->until);
    }
  if (earliest >= latest)
    {
      earliest = 9 * 60;
      latest = 18 * 60;
    }
  self->first_minute = MAX (0, (earliest / 60 - 1) * 60);
  self->last_minute = MIN (24 * 60, ((latest + 59) / 60 + 1) * 60);
}

void
meso_schedule_grid_set_range (MesoScheduleGrid  *self,
                              const GDate       *first,
                              guint              n_days,
                              const int         *open,
                              const int         *close,
                              const char *const *columns,
                              gboolean           by_room)
{
  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));
  g_return_if_fail (first != NULL && g_date_valid (first));
  g_return_if_fail (n_days >= 1 && n_days <= 7);

  clear_blocks (self);
  self->first = *first;
  self->n_days = n_days;
  self->by_room = by_room;
  for (guint d = 0; d < n_days; d++)
    {
      self->open[d] = open[d];
      self->close[d] = close[d];
    }

  g_ptr_array_set_size (self->resources, 0);
  for (guint i = 0; n_days == 1 && columns != NULL && columns[i] != NULL; i++)
    g_ptr_array_add (self->resources, g_strdup (columns[i]));
  self->n_named = self->resources->len;
  if (self->resources->len == 0)
    g_ptr_array_add (self->resources, NULL);

  update_hours (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
meso_schedule_grid_set_appointments (MesoScheduleGrid *self,
                                     GPtrArray        *appointments)
{
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  gboolean nobody = FALSE;

  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));
  g_return_if_fail (g_date_valid (&self->first));

  clear_blocks (self);
  g_ptr_array_set_size (self->resources, self->n_named);

  /* A name the list lacks (a practitioner who left) still gets its column. */
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      const char *name = appointment_resource (self, g_ptr_array_index (appointments, i));

      if (name == NULL)
        nobody = TRUE;
      else if (resource_index (self, name) == G_MAXUINT &&
               !g_ptr_array_find_with_equal_func (extra, name, g_str_equal, NULL))
        g_ptr_array_add (extra, (gpointer)name);
    }
  g_ptr_array_sort (extra, compare_names);
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (self->resources, g_strdup (g_ptr_array_index (extra, i)));
  if (nobody || self->resources->len == 0)
    g_ptr_array_add (self->resources, NULL);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      GDateTime *start = meso_appointment_get_start (appointment);
      GDate day;
      int offset;
      Block block = { 0 };

      meso_date_from_date_time (start, &day);
      offset = g_date_days_between (&self->first, &day);
      if (offset < 0 || offset >= (int)self->n_days)
        continue;
      block.appointment = g_object_ref (appointment);
      block.column = offset * self->resources->len +
                     resource_index (self, appointment_resource (self, appointment));
      block.from = g_date_time_get_hour (start) * 60 + g_date_time_get_minute (start);
      block.until = MIN (block.from + (int)MAX (meso_appointment_get_minutes (appointment),
                                                SLOT_MINUTES),
                         24 * 60);
      if (meso_appointment_get_practitioner (appointment) != NULL)
        block.color = GPOINTER_TO_UINT (g_hash_table_lookup (
                                          self->colors,
                                          meso_appointment_get_practitioner (appointment)));
      g_array_append_val (self->blocks, block);
    }
  assign_lanes (self);
  fold_lanes (self);
  update_hours (self);

  /* Those in sight are made now, not at the next layout: they are there
   * once this returns. */
  update_made (self, TRUE);
  give_focus_back (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
meso_schedule_grid_get_n_appointments (MesoScheduleGrid *self)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), 0);

  return self->blocks->len;
}

MesoAppointment *
meso_schedule_grid_get_appointment (MesoScheduleGrid *self,
                                    guint             index)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), NULL);
  g_return_val_if_fail (index < self->blocks->len, NULL);

  return g_array_index (self->blocks, Block, index).appointment;
}

guint
meso_schedule_grid_get_n_blocks (MesoScheduleGrid *self)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), 0);

  return self->n_made;
}

GtkWidget *
meso_schedule_grid_get_block (MesoScheduleGrid *self,
                              guint             index)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), NULL);
  g_return_val_if_fail (index < self->n_made, NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      GtkWidget *widget = g_array_index (self->blocks, Block, i).widget;

      if (widget != NULL && index-- == 0)
        return widget;
    }
  return NULL;
}

guint
meso_schedule_grid_get_n_more (MesoScheduleGrid *self)
{
  guint n = 0;

  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), 0);

  for (guint i = 0; i < self->more->len; i++)
    n += g_array_index (self->more, Block, i).widget != NULL;
  return n;
}

GtkWidget *
meso_schedule_grid_get_more (MesoScheduleGrid *self,
                             guint             index)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), NULL);

  for (guint i = 0; i < self->more->len; i++)
    {
      GtkWidget *widget = g_array_index (self->more, Block, i).widget;

      if (widget != NULL && index-- == 0)
        return widget;
    }
  g_return_val_if_reached (NULL);
}

guint
meso_schedule_grid_more_get_count (GtkWidget *button)
{
  g_return_val_if_fail (GTK_IS_WIDGET (button), 0);

  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), MORE_COUNT_KEY));
}

MesoAppointment *
meso_schedule_grid_block_get_appointment (GtkWidget *block)
{
  g_return_val_if_fail (GTK_IS_WIDGET (block), NULL);

  return g_object_get_data (G_OBJECT (block), BLOCK_APPOINTMENT_KEY);
}

static const Block *
find_block (MesoScheduleGrid *self,
            GtkWidget        *widget)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), BLOCK_INDEX_KEY));
  GArray *array = self->blocks;

  if (index == 0)
    {
      index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), MORE_INDEX_KEY));
      array = self->more;
    }
  if (index == 0 || index > array->len || g_array_index (array, Block, index - 1).widget != widget)
    return NULL;
  return &g_array_index (array, Block, index - 1);
}

void
meso_schedule_grid_block_get_place (MesoScheduleGrid  *self,
                                    GtkWidget         *block,
                                    guint             *day,
                                    const char       **column)
{
  const Block *found;

  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));

  found = find_block (self, block);
  g_return_if_fail (found != NULL);
  if (day != NULL)
    *day = found->column / self->resources->len;
  if (column != NULL)
    *column = g_ptr_array_index (self->resources, found->column % self->resources->len);
}

gboolean
meso_schedule_grid_slot_position (MesoScheduleGrid *self,
                                  guint             day,
                                  const char       *column,
                                  int               minute,
                                  double           *x,
                                  double           *y)
{
  guint resource;

  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), FALSE);

  resource = resource_index (self, column);
  if (day >= self->n_days || resource == G_MAXUINT || minute < self->first_minute ||
      minute >= self->last_minute)
    return FALSE;
  *x = column_x (self, day * self->resources->len + resource) + self->column_width / 2.0;
  *y = minute_y (self, minute) + 2;
  return *x >= AXIS_WIDTH && *x < gtk_widget_get_width (GTK_WIDGET (self)) &&
         *y >= header_height (self) && *y < gtk_widget_get_height (GTK_WIDGET (self));
}

/* A popover closed with the focus in it (Escape, or an action chosen)
 * leaves it on its block, not on the window: the next Tab goes on from
 * there. */
static void
on_popover_closed_cb (GtkPopover       *popover,
                      MesoScheduleGrid *self)
{
  GtkWidget *block = g_object_get_data (G_OBJECT (popover), POPOVER_ANCHOR_KEY);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (block == NULL || gtk_widget_get_parent (block) != GTK_WIDGET (self) ||
      !gtk_widget_get_child_visible (block) ||
      (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (popover))))
    return;
  gtk_widget_grab_focus (block);
}

void
meso_schedule_grid_popup_at (MesoScheduleGrid *self,
                             GtkPopover       *popover,
                             GtkWidget        *block)
{
  graphene_rect_t bounds;

  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));
  g_return_if_fail (GTK_IS_POPOVER (popover));

  if (g_object_get_data (G_OBJECT (popover), POPOVER_ANCHOR_KEY) == NULL)
    g_signal_connect_object (popover, "closed", G_CALLBACK (on_popover_closed_cb), self, 0);
  g_object_set_data (G_OBJECT (popover), POPOVER_ANCHOR_KEY, block);

  if (gtk_widget_get_parent (GTK_WIDGET (popover)) != GTK_WIDGET (self))
    {
      if (gtk_widget_get_parent (GTK_WIDGET (popover)) != NULL)
        gtk_widget_unparent (GTK_WIDGET (popover));
      gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (self));
    }
  if (gtk_widget_compute_bounds (block, GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (popover, &(GdkRectangle) {
                                   (int)bounds.origin.x, (int)bounds.origin.y,
                                   MAX (1, (int)bounds.size.width),
                                   MAX (1, (int)bounds.size.height) });
  gtk_popover_popup (popover);
}

/* ---------------------------------------------------------------- clicks */

/* The slot at (@x, @y) of the grid: its start (Unix time) and its column's
 * name (NULL: nobody, or a week's day). FALSE off the grid's body. */
static gboolean
slot_at (MesoScheduleGrid  *self,
         double             x,
         double             y,
         gint64            *start,
         const char       **column_name)
{
  g_autoptr(GDateTime) when = NULL;
  GDate day;
  double content_x, content_y;
  guint column;
  int minute;

  if (x < AXIS_WIDTH || y < header_height (self) || self->column_width <= 0)
    return FALSE;
  content_x = x - AXIS_WIDTH + adjustment_value (self->hadjustment);
  content_y = y - header_height (self) + adjustment_value (self->vadjustment);
  column = (guint)(content_x / self->column_width);
  minute = self->first_minute + (int)(content_y * 60 / HOUR_HEIGHT);
  minute -= minute % SLOT_MINUTES;
  if (column >= n_columns (self) || minute >= self->last_minute)
    return FALSE;

  day = self->first;
  g_date_add_days (&day, column / self->resources->len);
  /* Minutes on the clock, so a day of a daylight-saving change is right too. */
  when = meso_date_time_new_local (g_date_get_year (&day), g_date_get_month (&day),
                                   g_date_get_day (&day), minute / 60, minute % 60, 0);
  *start = g_date_time_to_unix (when);
  *column_name = g_ptr_array_index (self->resources, column % self->resources->len);
  return TRUE;
}

static void
on_released_cb (GtkGestureClick  *gesture,
                int               n_press,
                double            x,
                double            y,
                MesoScheduleGrid *self)
{
  const char *column;
  gint64 start;

  /* Only the grid itself: a block handles its own clicks. */
  if (n_press != 1 || gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT) !=
      GTK_WIDGET (self) || !slot_at (self, x, y, &start, &column))
    return;
  g_signal_emit (self, signals[SIGNAL_SLOT_ACTIVATED], 0, start, column);
}

/* ---------------------------------------------------------------- dragging */

/* A block still to come is dragged as its appointment. */
static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    gpointer       user_data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  MesoAppointment *appointment = meso_schedule_grid_block_get_appointment (button);

  if (appointment == NULL || !meso_appointment_is_active (appointment))
    return NULL;
  return gdk_content_provider_new_typed (MESO_TYPE_APPOINTMENT, appointment);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  gpointer       user_data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (button);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

/* Dropped on a slot: the view moves it there, through the store's rules. */
static gboolean
on_drop_cb (GtkDropTarget    *target,
            const GValue     *value,
            double            x,
            double            y,
            MesoScheduleGrid *self)
{
  MesoAppointment *appointment = g_value_get_object (value);
  const char *column;
  gint64 start;

  if (!MESO_IS_APPOINTMENT (appointment) || !slot_at (self, x, y, &start, &column))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_BLOCK_DROPPED], 0, appointment, start, column);
  return TRUE;
}

/* ---------------------------------------------------------------- scrolling */

static void
on_adjustment_value_changed_cb (MesoScheduleGrid *self)
{
  /* The blocks scrolled into sight are made before the next frame lays them out. */
  update_made (self, TRUE);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* A block given the focus (by Tab, say) is scrolled into sight, and the
 * blocks beyond it are made, so the next Tab finds them. */
static void
meso_schedule_grid_set_focus_child (GtkWidget *widget,
                                    GtkWidget *child)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (widget);
  const Block *block = child != NULL ? find_block (self, child) : NULL;
  graphene_rect_t bounds, body;

  GTK_WIDGET_CLASS (meso_schedule_grid_parent_class)->set_focus_child (widget, child);
  if (block == NULL || self->column_width <= 0)
    return;

  block_bounds (self, block, &bounds);
  body_bounds (self, &body);
  if (bounds.origin.y < body.origin.y)
    gtk_adjustment_set_value (self->vadjustment, adjustment_value (self->vadjustment) -
                                                 (body.origin.y - bounds.origin.y) - HOUR_HEIGHT / 4);
  else if (bounds.origin.y + bounds.size.height > body.origin.y + body.size.height)
    gtk_adjustment_set_value (self->vadjustment,
                              adjustment_value (self->vadjustment) +
                              MIN (bounds.origin.y + bounds.size.height -
                                   (body.origin.y + body.size.height) + HOUR_HEIGHT / 4,
                                   bounds.origin.y - body.origin.y));
  if (bounds.origin.x < body.origin.x)
    gtk_adjustment_set_value (self->hadjustment, adjustment_value (self->hadjustment) -
                                                 (body.origin.x - bounds.origin.x) - BLOCK_GAP);
  else if (bounds.origin.x + bounds.size.width > body.origin.x + body.size.width)
    gtk_adjustment_set_value (self->hadjustment,
                              adjustment_value (self->hadjustment) +
                              MIN (bounds.origin.x + bounds.size.width -
                                   (body.origin.x + body.size.width) + BLOCK_GAP,
                                   bounds.origin.x - body.origin.x));
  /* The next Tab may come before the view is still: the blocks beyond, now. */
  update_made (self, FALSE);
}

static void
set_adjustment (MesoScheduleGrid  *self,
                GtkAdjustment    **slot,
                GtkAdjustment     *adjustment)
{
  if (adjustment == *slot)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed_cb, self);
  g_set_object (slot, adjustment);
  if (*slot == NULL)
    *slot = g_object_ref_sink (gtk_adjustment_new (0, 0, 0, 0, 0, 0));
  g_signal_connect_swapped (*slot, "value-changed",
                            G_CALLBACK (on_adjustment_value_changed_cb), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      int            page,
                      int            upper,
                      int            step)
{
  double value = adjustment_value (adjustment);

  gtk_adjustment_configure (adjustment, CLAMP (value, 0, MAX (0, upper - page)), 0,
                            MAX (upper, page), step, page * 0.9, page);
}

/* ---------------------------------------------------------------- layout */

static void
meso_schedule_grid_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (widget);

  /* It scrolls: any size will do; naturally, the whole of it. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = AXIS_WIDTH + MIN_WEEK_COLUMN;
      *natural = content_width (self, self->n_days > 1 ? MIN_WEEK_COLUMN : MIN_DAY_COLUMN);
    }
  else
    {
      *minimum = header_height (self) + HOUR_HEIGHT;
      *natural = content_height (self);
    }
}

static void
meso_schedule_grid_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (widget);
  int minimum_column = self->n_days > 1 ? MIN_WEEK_COLUMN : MIN_DAY_COLUMN;
  guint max_lanes;

  if (self->n_days == 0)
    return;
  self->column_width = MAX (minimum_column, (width - AXIS_WIDTH) / (int)n_columns (self));
  max_lanes = MAX (1, (self->column_width - 2 * BLOCK_GAP) / MIN_LANE_WIDTH);
  if (max_lanes != self->max_lanes)
    {
      self->max_lanes = max_lanes;
      fold_lanes (self);
    }
  configure_adjustment (self->hadjustment, width, content_width (self, self->column_width),
                        self->column_width);
  configure_adjustment (self->vadjustment, height, content_height (self), HOUR_HEIGHT / 4);

  /* The size or the scrolling changed: the blocks in sight. Those made but
   * out of sight are laid out too, so Tab reaches them. */
  update_made (self, TRUE);
  for (guint i = 0; i < self->blocks->len + self->more->len; i++)
    {
      const Block *block = i < self->blocks->len ?
                           &g_array_index (self->blocks, Block, i) :
                           &g_array_index (self->more, Block, i - self->blocks->len);
      graphene_rect_t bounds;

      if (block->widget == NULL)
        continue;
      block_bounds (self, block, &bounds);
      gtk_widget_size_allocate (block->widget,
                                &(GtkAllocation) { bounds.origin.x, bounds.origin.y,
                                                   bounds.size.width, bounds.size.height },
                                -1);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

/* ---------------------------------------------------------------- drawing */

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color,
              const char *fallback)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
foreground_color (GtkWidget *widget,
                  GdkRGBA   *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
fill (GtkSnapshot   *snapshot,
      const GdkRGBA *color,
      double         x,
      double         y,
      double         width,
      double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

/* Text in a box: ellipsized to its width, centred or from the left. */
static void
draw_text (MesoScheduleGrid *self,
           GtkSnapshot      *snapshot,
           const char       *text,
           const GdkRGBA    *color,
           double            x,
           double            y,
           double            width,
           double            height,
           gboolean          centred,
           gboolean          bold)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int text_width, text_height;

  if (width <= 4)
    return;
  pango_layout_set_width (layout, (int)(width - 4) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  if (bold)
    {
      g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attributes);
    }
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 2, y + (height - text_height) / 2));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The Okabe–Ito palette: told apart by most people with a colour vision
 * deficiency, and on a light or a dark background alike. The name is on
 * every block too: a colour is never all that says whose it is. */
static const char *const palette[] = {
  "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
};

void
meso_schedule_grid_get_palette_color (guint    index,
                                      GdkRGBA *color)
{
  g_return_if_fail (color != NULL);

  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)]);
}

/* Its practitioner's colour: a stripe down the left, a tint over the rest;
 * fainter for one no longer to come. */
static void
draw_block_color (GtkSnapshot           *snapshot,
                  const Block           *block,
                  const graphene_rect_t *bounds)
{
  gboolean active = block->appointment != NULL && meso_appointment_is_active (block->appointment);
  GdkRGBA color;

  meso_schedule_grid_get_palette_color (block->color - 1, &color);
  color.alpha = active ? 1 : 0.5;
  fill (snapshot, &color, bounds->origin.x, bounds->origin.y,
        MIN (COLOR_STRIPE, bounds->size.width), bounds->size.height);
  if (!active)
    return;
  color.alpha = 0.22;
  fill (snapshot, &color, bounds->origin.x + COLOR_STRIPE, bounds->origin.y,
        MAX (0, bounds->size.width - COLOR_STRIPE), bounds->size.height);
}

/* The patient, then the area and status, as much as the block's size allows. */
static void
draw_block_text (MesoScheduleGrid      *self,
                 GtkSnapshot           *snapshot,
                 const Block           *block,
                 const graphene_rect_t *bounds)
{
  MesoAppointment *appointment = block->appointment;
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color;
  int width, height;

  width = (int)bounds->size.width - 8;
  height = (int)bounds->size.height - 4;
  if (width <= 4 || height <= 4)
    return;

  if (appointment == NULL)
    /* Translators: a button in the schedule standing for the appointments that
     * do not fit their column, e.g. “+12 more”; it wraps where it is narrow.
     * Keep the markup. */
    markup = g_strdup_printf (ngettext ("<b>+%u</b> more", "<b>+%u</b> more", block->n_more),
                              block->n_more);
  else
    {
      MesoAppointmentStatus status = meso_appointment_get_status (appointment);
      const char *name = meso_appointment_get_patient_name (appointment);
      g_autofree char *time = meso_format_time_short (meso_appointment_get_start (appointment));
      g_autofree char *escaped = g_markup_escape_text (name != NULL ? name : "", -1);
      const char *practitioner = meso_appointment_get_practitioner (appointment);
      const char *area = meso_area_get_label (meso_appointment_get_area (appointment));

      if (practitioner != NULL && (self->n_days > 1 || self->by_room))
        {
          /* The column does not say who: the block does (its colour is no
           * name for those who cannot tell it). */
          g_autofree char *who = g_markup_escape_text (practitioner, -1);

          if (status == MESO_APPOINTMENT_BOOKED)
            /* Translators: an appointment block in the week: time and patient, then
             * the practitioner and the area on the next line. Keep the markup. */
            markup = g_strdup_printf (_("<b>%s %s</b>\n%s · %s"), time, escaped, who, area);
          else
            /* Translators: an appointment block in the week: time and patient, then
             * the practitioner, the area and the status on the next line. Keep the
             * markup. */
            markup = g_strdup_printf (_("<b>%s %s</b>\n%s · %s · %s"), time, escaped, who, area,
                                      meso_appointment_status_get_label (status));
        }
      else
        /* Translators: an appointment block in the schedule: time and patient, then
         * area and status on the next line. Keep the markup. */
        markup = g_strdup_printf (_("<b>%s %s</b>\n%s · %s"), time, escaped, area,
                                  meso_appointment_status_get_label (status));
      if (status == MESO_APPOINTMENT_CANCELLED)
        {
          g_autofree char *plain = g_steal_pointer (&markup);

          markup = g_strdup_printf ("<s>%s</s>", plain);
        }
    }

  layout = gtk_widget_create_pango_layout (block->widget, NULL);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_height (layout, height * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  foreground_color (block->widget, &color);

  gtk_snapshot_push_clip (snapshot, bounds);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (bounds->origin.x + 6, bounds->origin.y + 2));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
meso_schedule_grid_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int header = header_height (self);
  guint n_resources = self->resources->len;
  GdkRGBA fg, line, shade, background, accent;
  g_autoptr(GDateTime) now = meso_clock_now ();
  GDate today;
  double top = minute_y (self, self->first_minute);
  double bottom = minute_y (self, self->last_minute);
  graphene_rect_t body;

  if (self->n_days == 0 || self->column_width <= 0)
    return;

  foreground_color (widget, &fg);
  line = fg;
  line.alpha *= 0.12;
  shade = fg;
  shade.alpha *= 0.06;
  lookup_color (widget, "view_bg_color", &background, "#ffffff");
  lookup_color (widget, "accent_color", &accent, "#1c71d8");
  meso_clock_today (&today);

  /* The body: closed hours shaded, hour lines, column lines. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (AXIS_WIDTH, header, width - AXIS_WIDTH,
                                                         height - header));
  for (guint d = 0; d < self->n_days; d++)
    {
      double x = column_x (self, d * n_resources);
      double w = (double)n_resources * self->column_width;

      if (self->open[d] >= self->close[d])
        fill (snapshot, &shade, x, top, w, bottom - top);
      else
        {
          double open_y = minute_y (self, CLAMP (self->open[d], self->first_minute,
                                                 self->last_minute));
          double close_y = minute_y (self, CLAMP (self->close[d], self->first_minute,
                                                  self->last_minute));

          fill (snapshot, &shade, x, top, w, open_y - top);
          fill (snapshot, &shade, x, close_y, w, bottom - close_y);
        }
    }
  for (int minute = self->first_minute; minute <= self->last_minute; minute += 30)
    {
      GdkRGBA half = line;

      half.alpha *= minute % 60 == 0 ? 1 : 0.5;
      fill (snapshot, &half, AXIS_WIDTH, minute_y (self, minute), width - AXIS_WIDTH, 1);
    }
  for (guint c = 0; c <= n_columns (self); c++)
    {
      GdkRGBA separator = line;

      /* Days apart more clearly than the columns within a day. */
      if (c % n_resources != 0)
        separator.alpha *= 0.5;
      fill (snapshot, &separator, column_x (self, c), top, c % n_resources == 0 ? 1.5 : 1,
            bottom - top);
    }

  /* The blocks in sight, then their text; the "+N more" buttons likewise. */
  body_bounds (self, &body);
  for (guint i = 0; i < self->blocks->len + self->more->len; i++)
    {
      const Block *block = i < self->blocks->len ?
                           &g_array_index (self->blocks, Block, i) :
                           &g_array_index (self->more, Block, i - self->blocks->len);
      graphene_rect_t bounds;

      if (block->widget == NULL ||
          !gtk_widget_compute_bounds (block->widget, widget, &bounds) ||
          !graphene_rect_intersection (&bounds, &body, NULL))
        continue;
      gtk_widget_snapshot_child (widget, block->widget, snapshot);
      if (block->color > 0)
        draw_block_color (snapshot, block, &bounds);
      draw_block_text (self, snapshot, block, &bounds);
    }

  /* Now, across today's columns. */
  {
    int offset = g_date_days_between (&self->first, &today);
    int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

    if (offset >= 0 && offset < (int)self->n_days && minute >= self->first_minute &&
        minute <= self->last_minute)
      fill (snapshot, &accent, column_x (self, offset * n_resources), minute_y (self, minute) - 1,
            (double)n_resources * self->column_width, 2);
  }
  gtk_snapshot_pop (snapshot);

  /* The hours down the side, over the body when it scrolls sideways. */
  fill (snapshot, &background, 0, header, AXIS_WIDTH, height - header);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, header, AXIS_WIDTH, height - header));
  for (int minute = self->first_minute; minute < self->last_minute; minute += 60)
    {
      g_autofree char *label = meso_format_hour_short (minute / 60);

      draw_text (self, snapshot, label, &fg, 0, minute_y (self, minute) - 2, AXIS_WIDTH - 6,
                 HEADER_ROW_HEIGHT / 2.0, FALSE, FALSE);
    }
  gtk_snapshot_pop (snapshot);

  /* The header: days, then the columns' names. */
  fill (snapshot, &background, 0, 0, width, header);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (AXIS_WIDTH, 0, width - AXIS_WIDTH,
                                                         header));
  for (guint d = 0; d < self->n_days; d++)
    {
      GDate day = self->first;
      double x = column_x (self, d * n_resources);
      double y = 0;
      gboolean is_today;

      g_date_add_days (&day, d);
      is_today = g_date_compare (&day, &today) == 0;
      if (self->n_days > 1)
        {
          /* Translators: a day over the week's columns (g_date_time_format()),
           * e.g. “Mon 16”; %-d is the day without padding */
          g_autofree char *label = meso_format_date_as (&day, C_("schedule header", "%a %-d"));

          draw_text (self, snapshot, label, is_today ? &accent : &fg, x, y,
                     (double)n_resources * self->column_width, HEADER_ROW_HEIGHT, TRUE, TRUE);
          continue;
        }
      for (guint r = 0; r < n_resources; r++)
        {
          const char *name = g_ptr_array_index (self->resources, r);
          if (name == NULL)
            /* Translators: the schedule's column of appointments with no practitioner
             * (or no room) */
            name = C_("schedule column", "Unassigned");
          draw_text (self, snapshot, name, &fg, x + (double)r * self->column_width, y,
                     self->column_width,
                     HEADER_ROW_HEIGHT, TRUE, TRUE);
        }
    }
  gtk_snapshot_pop (snapshot);
  fill (snapshot, &line, 0, header - 1, width, 1);
}

/* ---------------------------------------------------------------- object */

static void
meso_schedule_grid_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_schedule_grid_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_schedule_grid_dispose (GObject *object)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (object);
  GtkWidget *child;

  g_clear_handle_id (&self->margin_source, g_source_remove);
  g_clear_handle_id (&self->reserve_source, g_source_remove);
  clear_blocks (self);
  for (guint status = 0; status < N_STATUSES; status++)
    g_ptr_array_set_size (self->spare[status], 0);
  g_ptr_array_set_size (self->spare_more, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed_cb,
                                          self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed_cb,
                                          self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (meso_schedule_grid_parent_class)->dispose (object);
}

static void
meso_schedule_grid_finalize (GObject *object)
{
  MesoScheduleGrid *self = MESO_SCHEDULE_GRID (object);

  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->more, g_array_unref);
  g_clear_pointer (&self->spare_more, g_ptr_array_unref);
  for (guint status = 0; status < N_STATUSES; status++)
    g_clear_pointer (&self->spare[status], g_ptr_array_unref);
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_clear_pointer (&self->colors, g_hash_table_unref);

  G_OBJECT_CLASS (meso_schedule_grid_parent_class)->finalize (object);
}

static void
meso_schedule_grid_class_init (MesoScheduleGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = meso_schedule_grid_get_property;
  object_class->set_property = meso_schedule_grid_set_property;
  object_class->dispose = meso_schedule_grid_dispose;
  object_class->finalize = meso_schedule_grid_finalize;
  widget_class->measure = meso_schedule_grid_measure;
  widget_class->size_allocate = meso_schedule_grid_size_allocate;
  widget_class->snapshot = meso_schedule_grid_snapshot;
  widget_class->set_focus_child = meso_schedule_grid_set_focus_child;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* An appointment was chosen: its block was clicked, or its row in the list
   * of a "+N more" button; the button to point at, and the appointment. */
  signals[SIGNAL_BLOCK_ACTIVATED] =
    g_signal_new ("block-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, GTK_TYPE_WIDGET, MESO_TYPE_APPOINTMENT);
  /* An empty slot was clicked: its start (Unix time) and its column's name
   * (NULL: nobody). */
  signals[SIGNAL_SLOT_ACTIVATED] =
    g_signal_new ("slot-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* A block was dragged onto a slot: its appointment, the slot's start (Unix
   * time) and its column's name (NULL: nobody, or a week's day). */
  signals[SIGNAL_BLOCK_DROPPED] =
    g_signal_new ("block-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, MESO_TYPE_APPOINTMENT, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "meso-schedule-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
meso_schedule_grid_init (MesoScheduleGrid *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDropTarget *drop = gtk_drop_target_new (MESO_TYPE_APPOINTMENT, GDK_ACTION_MOVE);

  self->blocks = new_blocks ();
  self->more = g_array_new (FALSE, TRUE, sizeof (Block));
  self->spare_more = g_ptr_array_new ();
  for (guint status = 0; status < N_STATUSES; status++)
    self->spare[status] = g_ptr_array_new ();
  self->resources = g_ptr_array_new_with_free_func (g_free);
  self->colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_date_clear (&self->first, 1);
  self->first_minute = 8 * 60;
  self->last_minute = 19 * 60;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

GtkWidget *
meso_schedule_grid_new (void)
{
  return g_object_new (MESO_TYPE_SCHEDULE_GRID, NULL);
}

void
meso_schedule_grid_reserve_blocks (MesoScheduleGrid *self,
                                   guint             n_buttons)
{
  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));

  self->reserve = MIN (n_buttons, MESO_SCHEDULE_GRID_MAX_RESERVE);
  if (count_buttons (self) < self->reserve && self->reserve_source == 0)
    self->reserve_source = g_idle_add_full (G_PRIORITY_LOW, reserve_cb, self, NULL);
}

void
meso_schedule_grid_set_colors (MesoScheduleGrid  *self,
                               const char *const *practitioners)
{
  g_return_if_fail (MESO_IS_SCHEDULE_GRID (self));

  g_hash_table_remove_all (self->colors);
  for (guint i = 0; practitioners != NULL && practitioners[i] != NULL; i++)
    g_hash_table_insert (self->colors, g_strdup (practitioners[i]), GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      const char *name = meso_appointment_get_practitioner (block->appointment);

      block->color = name != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->colors, name))
                                  : 0;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
meso_schedule_grid_block_get_color (MesoScheduleGrid *self,
                                    GtkWidget        *block)
{
  const Block *found;

  g_return_val_if_fail (MESO_IS_SCHEDULE_GRID (self), 0);

  found = find_block (self, block);
  return found != NULL ? found->color : 0;
}
