/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-schedule-view.h"

#include "meso-application.h"
#include "meso-day-list.h"
#include "meso-exchange.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

typedef struct _RangeHeader RangeHeader;

struct _MesoScheduleView
{
  AdwBin            parent_instance;

  MesoStore        *store;
  GDate             day;            /* the chosen day; a week shows its Monday on */
  gboolean          week;           /* the person's choice: a narrow window shows a day */
  gboolean          narrow;         /* shown narrow: a day */
  gboolean          allocated_narrow; /* narrower than NARROW_WIDTH at the last allocation */
  guint             narrow_source;
  gboolean          by_room;
  /* Those who treat, in the order of their colours (the legend's), and the
   * filter's choices after “Everyone”: those, then the rooms. */
  char            **clinicians;
  char            **rooms;
  char             *filter;         /* the chosen practitioner's or room's name; NULL: everyone */
  gboolean          filter_is_room;
  gboolean          filter_updating;
  /* Of the shown range, once loaded; NULL while its first load runs. */
  GPtrArray        *appointments;
  /* The range the grid shows, to tell a new one from a reload of it. */
  GDate             grid_first;
  guint             grid_n_days;
  gboolean          grid_by_room;
  /* The range is read by a worker on its own connection; only the newest
   * request's answer is shown, a stale one is dropped. */
  MesoWorkerStore  *worker;
  GCancellable     *loading;        /* of the request in flight; NULL when none */
  /* A new range's header, waiting a little for its appointments. */
  RangeHeader      *header_pending;
  guint             header_source;
  gboolean          print_when_loaded;
  /* The shown range and the ones just before and after it, read ahead so
   * paging shows them at once (Ahead); forgotten at every reload, which
   * every change to the records brings. */
  GPtrArray        *ahead;
  /* The columns' names and each weekday's hours (by GDateWeekday), read at
   * the first load after a reload and kept while paging: on a server each
   * is a round trip. */
  gboolean          facts_known;
  int               open[8];
  int               close[8];
  /* The header of the range shown once its read-ahead arrives. */
  RangeHeader      *awaited_header;
  gboolean          paging_back;    /* the last range asked for was earlier */

  AdwToastOverlay  *toast_overlay;
  MesoScheduleGrid *grid;
  GtkMenuButton    *wide_date_button;
  GtkLabel         *wide_date_label;
  GtkMenuButton    *narrow_date_button;
  GtkLabel         *narrow_date_label;
  GtkCalendar      *calendars[2];
  GtkDropDown      *filter_drop_down;
  GtkFlowBox       *legend;

  GtkPopover       *details;        /* the open appointment's popover */
  MesoAppointment  *selected;       /* its appointment */
};

enum
{
  PROP_0,
  PROP_SPAN,
  PROP_COLUMNS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MesoScheduleView, meso_schedule_view, ADW_TYPE_BIN)

/* ---------------------------------------------------------------- the range */

/* Narrower than this, a week's seven columns would be slivers: the day is
 * shown instead (libadwaita 1.2 has no breakpoints; the width is watched in
 * size_allocate). */
#define NARROW_WIDTH 700

static gboolean
shows_week (MesoScheduleView *self)
{
  return self->week && !self->narrow;
}

static void
shown_range (MesoScheduleView *self,
             GDate            *first,
             guint            *n_days)
{
  *first = self->day;
  if (shows_week (self))
    g_date_subtract_days (first, g_date_get_weekday (first) - G_DATE_MONDAY);
  *n_days = shows_week (self) ? 7 : 1;
}

static void
range_times (MesoScheduleView  *self,
             GDateTime        **from,
             GDateTime        **to)
{
  GDate first, end;
  guint n_days;

  shown_range (self, &first, &n_days);
  end = first;
  g_date_add_days (&end, n_days);
  *from = meso_date_time_from_date (&first);
  *to = meso_date_time_from_date (&end);
}

static void
update_date_labels (MesoScheduleView *self)
{
  g_autofree char *label = NULL;
  g_autofree char *narrow = NULL;
  GDate first, last;
  guint n_days;

  shown_range (self, &first, &n_days);
  if (n_days == 1)
    {
      label = meso_format_date_long (&first);
      /* Narrow, the long form would be cut: the short one, the long in the tooltip. */
      narrow = meso_format_date_short (&first);
    }
  else
    {
      /* Translators: the first day of the shown week (g_date_time_format()), e.g. “16 Nov”;
       * %-d is the day without padding */
      g_autofree char *from = meso_format_date_as (&first, C_("schedule week start", "%-d %b"));
      g_autofree char *until = NULL;

      last = first;
      g_date_add_days (&last, n_days - 1);
      /* Translators: the last day of the shown week (g_date_time_format()), e.g. “22 Nov 2026” */
      until = meso_format_date_as (&last, C_("schedule week end", "%-d %b %Y"));
      /* Translators: the shown week, e.g. “16 Nov – 22 Nov 2026” */
      label = g_strdup_printf (_("%s – %s"), from, until);
    }
  gtk_label_set_text (self->wide_date_label, label);
  gtk_label_set_text (self->narrow_date_label, narrow != NULL ? narrow : label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->narrow_date_button), label);
}

static void
sync_calendars (MesoScheduleView *self)
{
  g_autoptr(GDateTime) midnight = meso_date_time_from_date (&self->day);

  for (guint i = 0; i < G_N_ELEMENTS (self->calendars); i++)
    {
      g_autoptr(GDateTime) shown = gtk_calendar_get_date (self->calendars[i]);

      if (g_date_time_get_year (shown) != g_date_time_get_year (midnight) ||
          g_date_time_get_day_of_year (shown) != g_date_time_get_day_of_year (midnight))
        gtk_calendar_select_day (self->calendars[i], midnight);
    }
}

/* ---------------------------------------------------------------- loading */

/* How long a new range waits for its appointments before its header is
 * shown alone: arriving within it, they are drawn with it in one frame,
 * rather than in the frame after a header-only one (frames come at most
 * one per refresh). */
#define HEADER_GRACE_MS 50

/* What the grid shows of a range before its appointments. */
struct _RangeHeader
{
  GDate     first;
  guint     n_days;
  int       open[7];
  int       close[7];
  char    **columns;
  gboolean  by_room;
};

static void
range_header_free (RangeHeader *header)
{
  g_strfreev (header->columns);
  g_free (header);
}

static RangeHeader *
range_header_copy (const RangeHeader *header)
{
  RangeHeader *copy = g_memdup2 (header, sizeof *header);

  copy->columns = g_strdupv (header->columns);
  return copy;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RangeHeader, range_header_free)

/* The times a worker reads a range's appointments between. */
typedef struct
{
  GDateTime   *from;
  GDateTime   *to;
} RangeRequest;

static void
range_request_free (RangeRequest *request)
{
  g_clear_pointer (&request->from, g_date_time_unref);
  g_clear_pointer (&request->to, g_date_time_unref);
  g_free (request);
}

typedef struct
{
  GDate         first;
  guint         n_days;
  GPtrArray    *appointments;  /* NULL while being read */
  GCancellable *cancellable;   /* of its read */
} Ahead;

static void
ahead_free (Ahead *ahead)
{
  g_cancellable_cancel (ahead->cancellable);
  g_clear_object (&ahead->cancellable);
  g_clear_pointer (&ahead->appointments, g_ptr_array_unref);
  g_free (ahead);
}

static Ahead *
find_ahead (MesoScheduleView *self,
            const GDate      *first,
            guint             n_days)
{
  for (guint i = 0; i < self->ahead->len; i++)
    {
      Ahead *ahead = g_ptr_array_index (self->ahead, i);

      if (ahead->n_days == n_days && g_date_compare (&ahead->first, first) == 0)
        return ahead;
    }
  return NULL;
}

/* The entry @cancellable's read is for, or NULL when it was forgotten. */
static Ahead *
find_ahead_read (MesoScheduleView *self,
                 GCancellable     *cancellable)
{
  for (guint i = 0; i < self->ahead->len; i++)
    {
      Ahead *ahead = g_ptr_array_index (self->ahead, i);

      if (ahead->cancellable == cancellable)
        return ahead;
    }
  return NULL;
}

/* A new entry for @first's range, with its own cancellable. */
static Ahead *
add_ahead (MesoScheduleView *self,
           const GDate      *first,
           guint             n_days)
{
  Ahead *ahead = g_new0 (Ahead, 1);

  ahead->first = *first;
  ahead->n_days = n_days;
  ahead->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->ahead, ahead);
  return ahead;
}

static void
forget_ahead (MesoScheduleView *self)
{
  g_ptr_array_set_size (self->ahead, 0);
  g_clear_pointer (&self->awaited_header, range_header_free);
}

static gpointer
load_range_locked (MesoStore     *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RangeRequest *request = data;

  return meso_store_list_appointments (store, request->from, request->to, error);
}

static gboolean
shows_range (MesoScheduleView  *self,
             const RangeHeader *header)
{
  return self->grid_n_days == header->n_days && self->grid_by_room == header->by_room &&
         g_date_valid (&self->grid_first) &&
         g_date_compare (&self->grid_first, &header->first) == 0;
}

static void update_legend_visible (MesoScheduleView *self);

/* The grid and the date show @header's range, with no appointments yet. */
static void
show_header (MesoScheduleView  *self,
             const RangeHeader *header)
{
  g_clear_handle_id (&self->header_source, g_source_remove);
  g_clear_pointer (&self->header_pending, range_header_free);
  if (!shows_range (self, header))
    g_clear_pointer (&self->appointments, g_ptr_array_unref);
  meso_schedule_grid_set_range (self->grid, &header->first, header->n_days, header->open,
                                header->close, (const char *const *)header->columns,
                                header->by_room);
  self->grid_first = header->first;
  self->grid_n_days = header->n_days;
  self->grid_by_room = header->by_room;
  update_date_labels (self);
  update_legend_visible (self);
  sync_calendars (self);
}

static gboolean
header_grace_over_cb (gpointer data)
{
  MesoScheduleView *self = data;
  RangeHeader *header = g_steal_pointer (&self->header_pending);

  self->header_source = 0;
  show_header (self, header);
  range_header_free (header);
  return G_SOURCE_REMOVE;
}

static void
set_loading (MesoScheduleView *self,
             GCancellable     *loading)
{
  gboolean was_loading = self->loading != NULL;

  /* The same read awaited again (the columns switched while it runs): it
   * goes on. */
  if (loading != NULL && loading == self->loading)
    {
      g_object_unref (loading);
      return;
    }
  if (self->loading != NULL)
    {
      Ahead *stale = find_ahead_read (self, self->loading);

      /* Its answer, cancelled, no longer touches the view: an entry still
       * being read goes now. */
      g_cancellable_cancel (self->loading);
      if (stale != NULL && stale->appointments == NULL)
        g_ptr_array_remove (self->ahead, stale);
      g_clear_object (&self->loading);
    }
  self->loading = loading;
  if (was_loading != (loading != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void read_ahead (MesoScheduleView *self);

/* Of @appointments, those the filter lets through: all, or one
 * practitioner's or one room's. A new reference. */
static GPtrArray *
filter_appointments (MesoScheduleView *self,
                     GPtrArray        *appointments)
{
  GPtrArray *shown;

  if (self->filter == NULL)
    return g_ptr_array_ref (appointments);
  shown = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      const char *name = self->filter_is_room ? meso_appointment_get_room (appointment)
                                              : meso_appointment_get_practitioner (appointment);

      if (g_strcmp0 (name, self->filter) == 0)
        g_ptr_array_add (shown, g_object_ref (appointment));
    }
  return shown;
}

/* Shows @appointments, those of @header's range. */
static void
apply_range (MesoScheduleView  *self,
             const RangeHeader *header,
             GPtrArray         *appointments)
{
  g_autoptr(GPtrArray) shown = filter_appointments (self, appointments);

  show_header (self, header);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  self->appointments = g_ptr_array_ref (appointments);
  meso_schedule_grid_set_appointments (self->grid, shown);
  set_loading (self, NULL);
  read_ahead (self);
  if (self->print_when_loaded)
    {
      self->print_when_loaded = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "schedule.print", NULL);
    }
}

static void
show_load_error (MesoScheduleView *self,
                 const GError     *error)
{
  g_warning ("Could not load the schedule: %s", error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
read_range_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MesoScheduleView *self = user_data;  /* not held: see start_read() */
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  Ahead *ahead;

  appointments = g_task_propagate_pointer (G_TASK (result), &error);
  /* Forgotten (read ahead no more, a newer range awaited) or the view
   * closed: either way cancelled, and @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  ahead = find_ahead_read (self, cancellable);
  g_return_if_fail (ahead != NULL);

  if (appointments == NULL)
    {
      g_ptr_array_remove (self->ahead, ahead);
      if (cancellable == self->loading && self->awaited_header != NULL)
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
          RangeHeader *header = g_steal_pointer (&self->awaited_header);

          show_load_error (self, error);
          apply_range (self, header, none);
          range_header_free (header);
        }
      return;
    }

  ahead->appointments = g_steal_pointer (&appointments);
  /* The week around the shown day: its buttons are made while nothing else
   * waits, so switching to it does not make hundreds at once. */
  if (ahead->n_days == 7 && self->grid_n_days == 1)
    meso_schedule_grid_reserve_blocks (self->grid, ahead->appointments->len);
  /* Asked for while it was being read: shown now. */
  if (cancellable == self->loading && self->awaited_header != NULL)
    {
      RangeHeader *header = g_steal_pointer (&self->awaited_header);

      apply_range (self, header, ahead->appointments);
      range_header_free (header);
    }
}

/* Starts reading @ahead's range in the worker; read_range_done_cb() keeps
 * it, and shows it if it is the one awaited by then. */
static void
start_read (MesoScheduleView *self,
            Ahead            *ahead)
{
  g_autoptr(GTask) task = NULL;
  RangeRequest *request = g_new0 (RangeRequest, 1);
  GDate end = ahead->first;

  if (self->worker == NULL)
    self->worker = meso_worker_store_new (meso_store_get_path (self->store));
  g_date_add_days (&end, ahead->n_days);
  request->from = meso_date_time_from_date (&ahead->first);
  request->to = meso_date_time_from_date (&end);
  /* Not the task's source object: a closed view goes at once (dispose
   * cancels every read) rather than when the worker lets go of the task.
   * Every path that forgets @ahead, or stops awaiting it, cancels it. */
  task = g_task_new (NULL, ahead->cancellable, read_range_done_cb, self);
  g_task_set_source_tag (task, start_read);
  g_task_set_task_data (task, request, (GDestroyNotify) range_request_free);
  /* A stale read is dropped at once; its worker finishes on its own connection. */
  g_task_set_return_on_cancel (task, TRUE);
  meso_worker_store_run_in_thread (self->worker, task, load_range_locked,
                                   (GDestroyNotify) g_ptr_array_unref);
}

/* Keeps the shown range and its two neighbours (of the same length), and
 * starts reading the neighbours not there yet; a day's week too, which the
 * Week button then shows at once. */
static void
read_ahead (MesoScheduleView *self)
{
  struct { GDate first; guint n_days; } wanted[4];
  guint n_days = self->grid_n_days;
  guint n_wanted = 0;

  if (self->store == NULL || !g_date_valid (&self->grid_first))
    return;

  /* The way the person pages first: its read is not queued behind the other. */
  for (guint i = 0; i < 2; i++)
    {
      gboolean later = (i == 0) != self->paging_back;

      wanted[n_wanted].first = self->grid_first;
      wanted[n_wanted].n_days = n_days;
      if (later)
        g_date_add_days (&wanted[n_wanted].first, n_days);
      else
        g_date_subtract_days (&wanted[n_wanted].first, n_days);
      n_wanted++;
    }
  if (n_days == 1)
    {
      wanted[n_wanted].first = self->grid_first;
      g_date_subtract_days (&wanted[n_wanted].first,
                            g_date_get_weekday (&self->grid_first) - G_DATE_MONDAY);
      wanted[n_wanted].n_days = 7;
      n_wanted++;
    }
  wanted[n_wanted].first = self->grid_first;
  wanted[n_wanted].n_days = n_days;

  for (guint i = self->ahead->len; i > 0; i--)
    {
      Ahead *ahead = g_ptr_array_index (self->ahead, i - 1);
      gboolean near = FALSE;

      for (guint w = 0; w <= n_wanted; w++)
        near = near || (ahead->n_days == wanted[w].n_days &&
                        g_date_compare (&ahead->first, &wanted[w].first) == 0);
      if (!near && ahead->cancellable != self->loading)
        g_ptr_array_remove_index (self->ahead, i - 1);
    }

  for (guint w = 0; w < n_wanted; w++)
    if (find_ahead (self, &wanted[w].first, wanted[w].n_days) == NULL)
      start_read (self, add_ahead (self, &wanted[w].first, wanted[w].n_days));
}

/* ---------------------------------------------------------------- filter and legend */

static void
draw_swatch_cb (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  GdkRGBA color;

  meso_schedule_grid_get_palette_color (GPOINTER_TO_UINT (data), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

/* The legend, over the grid: each practitioner who treats beside the colour
 * of their blocks. A day by practitioner names its columns instead. */
static void
update_legend (MesoScheduleView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend))) != NULL)
    gtk_flow_box_remove (self->legend, child);
  for (guint i = 0; self->clinicians != NULL && self->clinicians[i] != NULL; i++)
    {
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (self->clinicians[i]);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch_cb,
                                      GUINT_TO_POINTER (i), NULL);
      gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      gtk_box_append (GTK_BOX (item), swatch);
      gtk_box_append (GTK_BOX (item), label);
      gtk_flow_box_append (self->legend, item);
      /* Something to read, not to reach by Tab. */
      gtk_widget_set_focusable (gtk_widget_get_parent (item), FALSE);
    }
}

static void
update_legend_visible (MesoScheduleView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->legend),
                          (shows_week (self) || self->by_room) && !self->narrow);
}

/* The clinicians and rooms as read: the filter's choices, the colours and
 * the legend follow when they changed. A chosen name that went resets the
 * filter to everyone. */
static void
update_choices (MesoScheduleView *self,
                char            **clinicians,
                char            **rooms)
{
  g_autoptr(GtkStringList) model = NULL;
  guint selected = 0;

  if (self->clinicians != NULL && g_strv_equal ((const char *const *)clinicians,
                                                (const char *const *)self->clinicians) &&
      self->rooms != NULL && g_strv_equal ((const char *const *)rooms,
                                           (const char *const *)self->rooms))
    return;
  g_strfreev (self->clinicians);
  self->clinicians = g_strdupv (clinicians);
  g_strfreev (self->rooms);
  self->rooms = g_strdupv (rooms);
  meso_schedule_grid_set_colors (self->grid, (const char *const *)self->clinicians);
  update_legend (self);

  /* Translators: the schedule's filter: every practitioner's and room's appointments */
  model = gtk_string_list_new ((const char *const []) { _("Everyone"), NULL });
  for (guint i = 0; self->clinicians[i] != NULL; i++)
    {
      gtk_string_list_append (model, self->clinicians[i]);
      if (self->filter != NULL && !self->filter_is_room &&
          g_str_equal (self->filter, self->clinicians[i]))
        selected = i + 1;
    }
  for (guint i = 0; self->rooms[i] != NULL; i++)
    {
      gtk_string_list_append (model, self->rooms[i]);
      if (self->filter != NULL && self->filter_is_room && g_str_equal (self->filter, self->rooms[i]))
        selected = g_strv_length (self->clinicians) + i + 1;
    }
  if (selected == 0)
    g_clear_pointer (&self->filter, g_free);
  self->filter_updating = TRUE;
  gtk_drop_down_set_model (self->filter_drop_down, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->filter_drop_down, selected);
  self->filter_updating = FALSE;
}

static void load_range (MesoScheduleView *self);

static void
on_filter_selected_cb (MesoScheduleView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_drop_down);
  guint n_clinicians = self->clinicians != NULL ? g_strv_length (self->clinicians) : 0;
  guint n_rooms = self->rooms != NULL ? g_strv_length (self->rooms) : 0;

  if (self->filter_updating)
    return;
  g_clear_pointer (&self->filter, g_free);
  if (selected >= 1 && selected <= n_clinicians)
    {
      self->filter = g_strdup (self->clinicians[selected - 1]);
      self->filter_is_room = FALSE;
    }
  else if (selected > n_clinicians && selected <= n_clinicians + n_rooms)
    {
      self->filter = g_strdup (self->rooms[selected - 1 - n_clinicians]);
      self->filter_is_room = TRUE;
    }
  /* The range's appointments are read already: shown again, filtered. */
  load_range (self);
}

void
meso_schedule_view_set_filter (MesoScheduleView *self,
                               const char       *name,
                               gboolean          is_room)
{
  guint index = 0;

  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));

  if (name != NULL)
    {
      char **names = is_room ? self->rooms : self->clinicians;

      for (guint i = 0; index == 0 && names != NULL && names[i] != NULL; i++)
        if (g_str_equal (names[i], name))
          index = i + 1 + (is_room && self->clinicians != NULL ? g_strv_length (self->clinicians)
                                                                : 0);
      g_return_if_fail (index > 0);
    }
  gtk_drop_down_set_selected (self->filter_drop_down, index);
}

/* The columns and opening hours are a handful of rows, read at once; the
 * range's appointments, perhaps a thousand in a busy week, are read by a
 * worker and shown when they arrive, with the range's header, or after
 * HEADER_GRACE_MS its header alone. Until then the grid keeps what it shows
 * (a reload keeps its blocks meanwhile). */
static void
load_range (MesoScheduleView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RangeHeader) header = g_new0 (RangeHeader, 1);
  Ahead *ahead;

  shown_range (self, &header->first, &header->n_days);
  header->by_room = self->by_room;
  if (self->store != NULL && !self->facts_known)
    {
      g_auto(GStrv) clinicians = meso_store_list_clinicians (self->store, &error);
      g_auto(GStrv) rooms = error == NULL ? meso_store_list_rooms (self->store, &error) : NULL;

      if (clinicians != NULL && rooms != NULL)
        update_choices (self, clinicians, rooms);
      for (GDateWeekday w = G_DATE_MONDAY; w <= G_DATE_SUNDAY; w++)
        if (!meso_store_get_opening_hours (self->store, w, &self->open[w], &self->close[w],
                                           error ? NULL : &error))
          self->open[w] = self->close[w] = 0;
      if (error != NULL)
        show_load_error (self, error);
      else
        self->facts_known = TRUE;
    }
  if (self->store != NULL)
    {
      /* A column for each who treats (or each room); the one chosen alone. */
      if (self->filter != NULL && self->filter_is_room == self->by_room)
        header->columns = g_strdupv ((char *[]) { self->filter, NULL });
      else
        header->columns = g_strdupv (self->by_room ? self->rooms : self->clinicians);
      for (guint d = 0; d < header->n_days; d++)
        {
          GDate day = header->first;
          GDateWeekday w;

          g_date_add_days (&day, d);
          w = g_date_get_weekday (&day);
          header->open[d] = self->open[w];
          header->close[d] = self->close[w];
        }
    }

  if (g_date_valid (&self->grid_first))
    self->paging_back = g_date_compare (&header->first, &self->grid_first) < 0;

  /* Read ahead already: shown at once. */
  ahead = self->store != NULL ? find_ahead (self, &header->first, header->n_days) : NULL;
  if (ahead != NULL && ahead->appointments != NULL)
    {
      g_clear_handle_id (&self->header_source, g_source_remove);
      g_clear_pointer (&self->header_pending, range_header_free);
      g_clear_pointer (&self->awaited_header, range_header_free);
      apply_range (self, header, ahead->appointments);
      return;
    }

  if (self->store == NULL)
    {
      set_loading (self, NULL);
      show_header (self, header);
      if (self->appointments == NULL)
        self->appointments = g_ptr_array_new_with_free_func (g_object_unref);
      meso_schedule_grid_set_appointments (self->grid, self->appointments);
      return;
    }

  if (shows_range (self, header))
    {
      /* Shown already: the next answer replaces the blocks, with no frame between. */
      g_clear_handle_id (&self->header_source, g_source_remove);
      g_clear_pointer (&self->header_pending, range_header_free);
    }
  else
    {
      /* Paging on while a header waits: the newest is shown when the grace
       * of the first is over, so pages held down still move. */
      g_clear_pointer (&self->header_pending, range_header_free);
      self->header_pending = range_header_copy (header);
      if (self->header_source == 0)
        self->header_source = g_timeout_add (HEADER_GRACE_MS, header_grace_over_cb, self);
    }

  /* Read now (or already being read ahead): shown when that read is done.
   * Whatever was awaited before is not any more. A range not read ahead
   * (a date chosen, not the next page): the reads still waiting for the
   * workers' connection around the range left would keep this one waiting
   * behind them (on a server, a day's read waited 17 ms where it takes 3),
   * so they go; those read are kept. */
  if (ahead == NULL)
    {
      for (guint i = self->ahead->len; i > 0; i--)
        {
          Ahead *stale = g_ptr_array_index (self->ahead, i - 1);

          if (stale->appointments == NULL && stale->cancellable != self->loading)
            g_ptr_array_remove_index (self->ahead, i - 1);
        }
      ahead = add_ahead (self, &header->first, header->n_days);
      start_read (self, ahead);
    }
  g_clear_pointer (&self->awaited_header, range_header_free);
  self->awaited_header = g_steal_pointer (&header);
  set_loading (self, g_object_ref (ahead->cancellable));
}

void
meso_schedule_view_reload (MesoScheduleView *self)
{
  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));

  /* The records changed: what was read ahead may be out of date, and the
   * staff, rooms or hours with it. */
  forget_ahead (self);
  self->facts_known = FALSE;
  load_range (self);
}

gboolean
meso_schedule_view_get_loading (MesoScheduleView *self)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_VIEW (self), FALSE);

  return self->loading != NULL;
}

guint
meso_schedule_view_get_n_reading (MesoScheduleView *self)
{
  guint n = 0;

  g_return_val_if_fail (MESO_IS_SCHEDULE_VIEW (self), 0);

  for (guint i = 0; i < self->ahead->len; i++)
    n += ((Ahead *)g_ptr_array_index (self->ahead, i))->appointments == NULL;
  return n;
}

void
meso_schedule_view_set_date (MesoScheduleView *self,
                             const GDate      *day)
{
  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  if (self->details != NULL)
    gtk_popover_popdown (self->details);
  self->day = *day;
  load_range (self);
}

void
meso_schedule_view_get_date (MesoScheduleView *self,
                             GDate            *day)
{
  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));

  *day = self->day;
}

void
meso_schedule_view_get_range (MesoScheduleView *self,
                              GDate            *first,
                              guint            *n_days)
{
  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));

  shown_range (self, first, n_days);
}

MesoScheduleGrid *
meso_schedule_view_get_grid (MesoScheduleView *self)
{
  g_return_val_if_fail (MESO_IS_SCHEDULE_VIEW (self), NULL);

  return self->grid;
}

void
meso_schedule_view_set_store (MesoScheduleView *self,
                              MesoStore        *store)
{
  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      g_clear_pointer (&self->worker, meso_worker_store_unref);
      meso_schedule_view_reload (self);
    }
}

static void
on_day_selected_cb (GtkCalendar      *calendar,
                    MesoScheduleView *self)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);
  GDate day;

  meso_date_from_date_time (picked, &day);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  if (g_date_compare (&day, &self->day) != 0)
    meso_schedule_view_set_date (self, &day);
}

/* ---------------------------------------------------------------- navigation */

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  GDate day = self->day;
  guint days = shows_week (self) ? 7 : 1;

  if (g_str_equal (action_name, "schedule.previous"))
    g_date_subtract_days (&day, days);
  else
    g_date_add_days (&day, days);
  meso_schedule_view_set_date (self, &day);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GDate today;

  meso_clock_today (&today);
  meso_schedule_view_set_date (MESO_SCHEDULE_VIEW (widget), &today);
}

static MesoScheduleView *
find_schedule_view (GtkWidget *widget)
{
  if (MESO_IS_SCHEDULE_VIEW (widget))
    return MESO_SCHEDULE_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MesoScheduleView *found = find_schedule_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
meso_schedule_view_show_date_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  g_autoptr(GDateTime) when = meso_date_time_new_from_unix (g_variant_get_int64 (parameter));
  MesoScheduleView *view = find_schedule_view (widget);
  GDate day;

  g_return_if_fail (MESO_IS_WINDOW (widget));
  if (view == NULL || when == NULL)
    return;

  meso_date_from_date_time (when, &day);
  meso_schedule_view_set_date (view, &day);
  meso_window_set_visible_view (MESO_WINDOW (widget), "schedule");
}

/* ---------------------------------------------------------------- writes */

static void
notify_store_changed (MesoScheduleView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  /* At once here; the other views on the application's signal. */
  meso_schedule_view_reload (self);
  if (MESO_IS_APPLICATION (app))
    meso_application_store_changed (MESO_APPLICATION (app));
}

static void
show_error (MesoScheduleView *self,
            const char       *heading,
            const char       *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, message);

  /* Translators: the button that closes a message */
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The selected appointment, taken from the popover (which then closes). */
static MesoAppointment *
take_selected (MesoScheduleView *self)
{
  MesoAppointment *appointment = self->selected != NULL ? g_object_ref (self->selected) : NULL;

  if (self->details != NULL)
    gtk_popover_popdown (self->details);
  return appointment;
}

/* Opens the session dialog for @appointment, as the window's action does. */
static void
record_session_for (MesoScheduleView *self,
                    MesoAppointment  *appointment)
{
  g_autoptr(GVariantDict) session = g_variant_dict_new (NULL);

  g_variant_dict_insert (session, "patient-id", "x", meso_appointment_get_patient_id (appointment));
  g_variant_dict_insert (session, "appointment-id", "x", meso_appointment_get_id (appointment));
  meso_widget_activate_action (GTK_WIDGET (self), "win.record-session",
                                      g_variant_dict_end (session));
}

static void
check_in_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  g_autoptr(MesoAppointment) appointment = take_selected (self);
  g_autoptr(GError) error = NULL;

  if (appointment == NULL || self->store == NULL)
    return;

  /* The store judges R2 again for today; a refusal's message names the flag. */
  if (!meso_store_check_in_appointment (self->store, meso_appointment_get_id (appointment),
                                        &error))
    {
      /* Translators: heading of the message shown when a check-in is refused */
      show_error (self, _("Cannot Check In"), error->message);
      meso_schedule_view_reload (self);
      return;
    }
  notify_store_changed (self);
  record_session_for (self, appointment);
}

/* Straight to the session dialog, for a patient already in the chair (the
 * dialog asks the store whether the appointment may still be fulfilled). */
static void
record_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  g_autoptr(MesoAppointment) appointment = take_selected (self);

  if (appointment != NULL)
    record_session_for (self, appointment);
}

static void
set_status (MesoScheduleView      *self,
            MesoAppointmentStatus  status)
{
  g_autoptr(MesoAppointment) appointment = take_selected (self);
  g_autoptr(GError) error = NULL;

  if (appointment == NULL || self->store == NULL)
    return;
  if (!meso_store_set_appointment_status (self->store, meso_appointment_get_id (appointment),
                                          status, &error))
    {
      /* Translators: heading of the message shown when an appointment's status cannot change */
      show_error (self, _("Could Not Change the Appointment"), error->message);
      meso_schedule_view_reload (self);
      return;
    }
  notify_store_changed (self);
}

static void
no_show_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  set_status (MESO_SCHEDULE_VIEW (widget), MESO_APPOINTMENT_NO_SHOW);
}

static void
back_to_booked_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  set_status (MESO_SCHEDULE_VIEW (widget), MESO_APPOINTMENT_BOOKED);
}

#define CANCEL_ENTRY_KEY "meso-reason-entry"
#define CANCEL_ID_KEY    "meso-appointment-id"

static void
on_cancel_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       MesoScheduleView *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), CANCEL_ENTRY_KEY);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), CANCEL_ID_KEY));
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (response, "cancel-appointment") || self->store == NULL)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (!meso_store_cancel_appointment (self->store, id, reason, &error))
    {
      /* Translators: heading of the message shown when an appointment cannot be cancelled */
      show_error (self, _("Could Not Cancel the Appointment"), error->message);
      meso_schedule_view_reload (self);
      return;
    }
  notify_store_changed (self);
}

static void
on_reason_activate_cb (GtkEntry         *entry,
                       AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "cancel-appointment");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  g_autoptr(MesoAppointment) appointment = take_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  g_autofree char *when = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (appointment == NULL)
    return;

  when = meso_format_date_time_short (meso_appointment_get_start (appointment));
  /* Translators: the question before cancelling; the patient, then the date and time */
  body = g_strdup_printf (_("The appointment of %s on %s will be cancelled. Why?"),
                          meso_appointment_get_patient_name (appointment), when);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       /* Translators: dialog heading */
                                                       _("Cancel Appointment?"), body));
  entry = gtk_entry_new ();
  /* Translators: placeholder of the cancellation reason field */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason, e.g. ill, asked to move"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader calls the reason field */
                                  _("Reason for cancelling"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  /* Translators: the button that closes the cancel dialog without cancelling */
  adw_message_dialog_add_response (dialog, "keep", _("_Keep Appointment"));
  /* Translators: the button that cancels the appointment */
  adw_message_dialog_add_response (dialog, "cancel-appointment", _("_Cancel Appointment"));
  adw_message_dialog_set_response_appearance (dialog, "cancel-appointment",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data (G_OBJECT (dialog), CANCEL_ENTRY_KEY, entry);
  g_object_set_data (G_OBJECT (dialog), CANCEL_ID_KEY,
                     GSIZE_TO_POINTER ((gsize)meso_appointment_get_id (appointment)));
  g_signal_connect (entry, "activate", G_CALLBACK (on_reason_activate_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(MesoAppointment) appointment = take_selected (MESO_SCHEDULE_VIEW (widget));
  g_autoptr(GVariantDict) book = NULL;

  if (appointment == NULL)
    return;
  book = g_variant_dict_new (NULL);
  g_variant_dict_insert (book, "appointment-id", "x", meso_appointment_get_id (appointment));
  meso_widget_activate_action (widget, "win.book", g_variant_dict_end (book));
}

static void
show_patient_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_autoptr(MesoAppointment) appointment = take_selected (MESO_SCHEDULE_VIEW (widget));

  if (appointment != NULL)
    gtk_widget_activate_action (widget, "win.show-patient", "x",
                                meso_appointment_get_patient_id (appointment));
}

/* ---------------------------------------------------------------- the popover */

static void
add_detail (GtkBox     *box,
            const char *text,
            const char *css_class)
{
  GtkWidget *label;

  if (text == NULL || *text == '\0')
    return;
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
}

static GtkWidget *
add_button (GtkBox     *box,
            const char *label,
            const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "flat");
  gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
  gtk_box_append (box, button);
  return button;
}

static void
update_popover_actions (MesoScheduleView *self)
{
  MesoAppointmentStatus status = self->selected != NULL
                                   ? meso_appointment_get_status (self->selected)
                                   : MESO_APPOINTMENT_DONE;
  gboolean active = status == MESO_APPOINTMENT_BOOKED || status == MESO_APPOINTMENT_CHECKED_IN;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.check-in",
                                 status == MESO_APPOINTMENT_BOOKED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.record-session",
                                 active && self->store != NULL &&
                                 meso_store_may (self->store, MESO_PERMISSION_TREAT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.no-show", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.cancel", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.reschedule", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.back-to-booked",
                                 status == MESO_APPOINTMENT_NO_SHOW ||
                                 status == MESO_APPOINTMENT_CHECKED_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "schedule.show-patient",
                                 self->selected != NULL);
}

static void
on_details_closed_cb (MesoScheduleView *self)
{
  g_clear_object (&self->selected);
  update_popover_actions (self);
}

static GtkPopover *
new_details_popover (MesoScheduleView *self,
                     MesoAppointment  *appointment)
{
  MesoAppointmentStatus status = meso_appointment_get_status (appointment);
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  g_autofree char *day = meso_format_date_time_short (meso_appointment_get_start (appointment));
  g_autofree char *until = meso_format_time_short (end);
  g_autofree char *when = NULL;
  g_autofree char *area = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *room = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *phone = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  GtkWidget *popover = gtk_popover_new ();
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  GtkBox *buttons = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  GtkWidget *record;

  /* Translators: when an appointment is, e.g. “20/11/2026 10:00 – 11:00” */
  when = g_strdup_printf (_("%s – %s"), day, until);
  /* Translators: in an appointment's details: the treatment area and the status */
  area = g_strdup_printf (_("%s · %s"), meso_area_get_label (meso_appointment_get_area (
                                                                appointment)),
                          meso_appointment_status_get_label (status));
  if (meso_appointment_get_practitioner (appointment) != NULL)
    /* Translators: in an appointment's details */
    practitioner = g_strdup_printf (_("With %s"), meso_appointment_get_practitioner (appointment));
  if (meso_appointment_get_room (appointment) != NULL)
    /* Translators: in an appointment's details */
    room = g_strdup_printf (_("In %s"), meso_appointment_get_room (appointment));
  /* The desk calls from here: the number, read for this one appointment. */
  if (self->store != NULL)
    patient = meso_store_get_patient (self->store, meso_appointment_get_patient_id (appointment),
                                      NULL);
  if (patient != NULL && meso_patient_get_phone (patient) != NULL)
    /* Translators: in an appointment's details; %s is the patient's phone number */
    phone = g_strdup_printf (_("Phone %s"), meso_patient_get_phone (patient));
  if (meso_appointment_get_cancel_reason (appointment) != NULL)
    /* Translators: in a cancelled appointment's details */
    reason = g_strdup_printf (_("Reason: %s"), meso_appointment_get_cancel_reason (appointment));

  gtk_widget_set_margin_top (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (box), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 6);
  add_detail (box, meso_appointment_get_patient_name (appointment), "title-4");
  add_detail (box, phone, NULL);
  add_detail (box, when, NULL);
  add_detail (box, area, NULL);
  add_detail (box, practitioner, "dim-label");
  add_detail (box, room, "dim-label");
  add_detail (box, reason, "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (buttons), 6);
  gtk_box_append (box, GTK_WIDGET (buttons));

  /* Translators: an action in an appointment's popover */
  add_button (buttons, _("_Check In"), "schedule.check-in");
  /* Translators: an action in an appointment's popover: opens the form to record the treatment */
  record = add_button (buttons, _("Record _Session"), "schedule.record-session");
  if (self->store != NULL && !meso_store_may (self->store, MESO_PERMISSION_TREAT))
    /* Translators: tooltip of Record Session for a receptionist */
    gtk_widget_set_tooltip_text (record, _("Only clinicians can record sessions"));
  /* Translators: an action in an appointment's popover: the patient did not come */
  add_button (buttons, _("_No-Show"), "schedule.no-show");
  /* Translators: an action in an appointment's popover: undoes a no-show or check-in */
  add_button (buttons, _("_Back to Booked"), "schedule.back-to-booked");
  /* Translators: an action in an appointment's popover; asks for a reason */
  add_button (buttons, _("C_ancel…"), "schedule.cancel");
  /* Translators: an action in an appointment's popover: move it to another time
   * (opens the booking window) */
  add_button (buttons, _("_Move…"), "schedule.reschedule");
  /* Translators: an action in an appointment's popover */
  add_button (buttons, _("Open _Patient"), "schedule.show-patient");

  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (box));
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_RIGHT);
  g_signal_connect_object (popover, "closed", G_CALLBACK (on_details_closed_cb), self,
                           G_CONNECT_SWAPPED);
  return GTK_POPOVER (popover);
}

static void
on_block_activated_cb (MesoScheduleView *self,
                       GtkWidget        *block,
                       MesoAppointment  *appointment)
{
  if (self->details != NULL)
    {
      gtk_popover_popdown (self->details);
      gtk_widget_unparent (GTK_WIDGET (self->details));
      self->details = NULL;
    }
  g_set_object (&self->selected, appointment);
  update_popover_actions (self);
  self->details = new_details_popover (self, appointment);
  meso_schedule_grid_popup_at (self->grid, self->details, block);
}

static void
on_slot_activated_cb (MesoScheduleView *self,
                      gint64            start,
                      const char       *column)
{
  g_autoptr(GVariantDict) book = g_variant_dict_new (NULL);

  g_variant_dict_insert (book, "start", "x", start);
  if (column != NULL)
    g_variant_dict_insert (book, self->by_room ? "room" : "practitioner", "s", column);
  /* A week's day is everyone's: the one the filter shows, if any. */
  else if (self->filter != NULL)
    g_variant_dict_insert (book, self->filter_is_room ? "room" : "practitioner", "s",
                           self->filter);
  meso_widget_activate_action (GTK_WIDGET (self), "win.book", g_variant_dict_end (book));
}

/* A block dragged onto a slot: moved there through the store, as the
 * booking window moves one (the rules and the conflicts judged inside its
 * transaction); a refusal is shown in the rule's words and nothing moves.
 * In a day by practitioner (or by room) the column is the new one's. */
static void
on_block_dropped_cb (MesoScheduleView *self,
                     MesoAppointment  *appointment,
                     gint64            start,
                     const char       *column)
{
  g_autoptr(MesoAppointment) moved = meso_appointment_new ();
  g_autoptr(GDateTime) when = meso_date_time_new_from_unix (start);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  const char *practitioner = meso_appointment_get_practitioner (appointment);
  const char *room = meso_appointment_get_room (appointment);

  if (self->store == NULL || when == NULL)
    return;
  if (column != NULL && self->by_room)
    room = column;
  else if (column != NULL)
    practitioner = column;
  if (g_date_time_equal (when, meso_appointment_get_start (appointment)) &&
      g_strcmp0 (practitioner, meso_appointment_get_practitioner (appointment)) == 0 &&
      g_strcmp0 (room, meso_appointment_get_room (appointment)) == 0)
    return;

  meso_appointment_set_id (moved, meso_appointment_get_id (appointment));
  meso_appointment_set_patient_id (moved, meso_appointment_get_patient_id (appointment));
  meso_appointment_set_patient_name (moved, meso_appointment_get_patient_name (appointment));
  meso_appointment_set_area (moved, meso_appointment_get_area (appointment));
  meso_appointment_set_minutes (moved, meso_appointment_get_minutes (appointment));
  meso_appointment_set_start (moved, when);
  meso_appointment_set_practitioner (moved, practitioner);
  meso_appointment_set_room (moved, room);
  if (!meso_store_book_appointment (self->store, moved, MESO_ROLE_RECEPTIONIST, NULL, &error))
    {
      /* Translators: heading of the message shown when a dragged appointment cannot move */
      show_error (self, _("Cannot Move the Appointment"), error->message);
      meso_schedule_view_reload (self);
      return;
    }
  notify_store_changed (self);
  text = meso_format_date_time_short (when);
  /* Translators: shown after an appointment was dragged: the patient, the new date and time */
  message = g_strdup_printf (_("%s moved to %s"), meso_appointment_get_patient_name (moved), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ---------------------------------------------------------------- print */

char *
meso_schedule_view_dup_day_list_text (MesoScheduleView *self)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_return_val_if_fail (MESO_IS_SCHEDULE_VIEW (self), NULL);

  /* While the range loads, the list of nothing yet. */
  return meso_day_list_to_text (self->appointments != NULL ? self->appointments : none,
                                &self->day);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MesoClinicInfo) clinic = { 0 };
  GtkRoot *root = gtk_widget_get_root (widget);

  /* The day list is printed from the shown day's appointments: once they
   * are read. (The action stays enabled: greying the button out at each
   * step would cost a frame, and flicker.) */
  if (self->loading != NULL)
    {
      self->print_when_loaded = TRUE;
      return;
    }
  /* Without the clinic's name (unreadable now) the list is still worth printing. */
  if (self->store != NULL && !meso_store_load_clinic_info (self->store, &clinic, &error))
    g_clear_error (&error);
  operation = meso_day_list_print_operation_new (self->appointments, &self->day, &clinic);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    /* Translators: heading of the message shown when printing fails */
    show_error (self, _("Could Not Print"), error->message);
}

/* ---------------------------------------------------------------- export */

typedef struct
{
  char      *database;
  char      *path;
  GDateTime *from;
  GDateTime    *to;
  MesoIcsFlags  flags;
  guint         n_written;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->database);
  g_free (job->path);
  g_clear_pointer (&job->from, g_date_time_unref);
  g_clear_pointer (&job->to, g_date_time_unref);
  g_free (job);
}

/* On a worker thread, with a connection of its own. */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(MesoStore) store = NULL;
  GError *error = NULL;

  store = meso_worker_open_store (job->database, &error);
  if (store == NULL ||
      !meso_exchange_export_ics (store, job->path, job->from, job->to, job->flags,
                                 &job->n_written, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
meso_schedule_view_export_ics_async (MesoScheduleView    *self,
                                     GFile               *file,
                                     MesoIcsFlags         flags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (MESO_IS_SCHEDULE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_schedule_view_export_ics_async);
  if (self->store == NULL || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               /* Translators: the export could not start */
                               _("Only a local file can be written, with the database open."));
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->database = g_strdup (meso_store_get_path (self->store));
  job->path = g_file_get_path (file);
  job->flags = flags;
  range_times (self, &job->from, &job->to);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
meso_schedule_view_export_ics_finish (MesoScheduleView  *self,
                                      GAsyncResult      *result,
                                      guint             *n_written,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (n_written != NULL)
    *n_written = ((ExportJob *)g_task_get_task_data (G_TASK (result)))->n_written;
  return TRUE;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n_written = 0;

  if (!meso_schedule_view_export_ics_finish (self, result, &n_written, &error))
    {
      /* Translators: heading of the message shown when the calendar file cannot be written */
      show_error (self, _("Could Not Export"), error->message);
      return;
    }
  message = g_strdup_printf (ngettext ("Exported %u appointment", "Exported %u appointments",
                                       n_written),
                             n_written);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

#define INCLUDE_NAME_CHOICE "include-name"
#define INCLUDE_AREA_CHOICE "include-area"

static gboolean
choice_is_on (GtkNativeDialog *chooser,
              const char      *choice)
{
  return g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), choice), "true") == 0;
}

static void
on_export_response_cb (GtkNativeDialog  *chooser,
                       int               response,
                       MesoScheduleView *self)
{
  g_autoptr(GFile) file = NULL;
  MesoIcsFlags flags;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      flags = (choice_is_on (chooser, INCLUDE_NAME_CHOICE) ? MESO_ICS_INCLUDE_NAME : 0) |
              (choice_is_on (chooser, INCLUDE_AREA_CHOICE) ? MESO_ICS_INCLUDE_AREA : 0);
      if (file != NULL)
        meso_schedule_view_export_ics_async (self, file, flags, NULL, export_done_cb, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  GDate first;
  guint n_days;

  shown_range (self, &first, &n_days);
  name = meso_format_date_as (&first, "mesodesk-%Y-%m-%d.ics");
  chooser = gtk_file_chooser_native_new (/* Translators: title of the export file chooser */
                                         _("Export Appointments"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         /* Translators: the export file chooser's button */
                                         _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Translators: the file type in the export file chooser */
  gtk_file_filter_set_name (filter, _("iCalendar files"));
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Off by default: a calendar file leaves the clinic (synced to phones);
   * the name is personal, the area clinical. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), INCLUDE_NAME_CHOICE,
                               /* Translators: a check box in the export file chooser */
                               _("Include the patient’s name"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), INCLUDE_NAME_CHOICE, "false");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), INCLUDE_AREA_CHOICE,
                               /* Translators: a check box in the export file chooser */
                               _("Include the treatment area"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), INCLUDE_AREA_CHOICE, "false");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---------------------------------------------------------------- object */

static void
meso_schedule_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SPAN:
      g_value_set_string (value, self->week ? "week" : "day");
      break;
    case PROP_COLUMNS:
      g_value_set_string (value, self->by_room ? "rooms" : "practitioners");
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_schedule_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (object);
  gboolean on;

  switch (prop_id)
    {
    case PROP_SPAN:
      on = g_strcmp0 (g_value_get_string (value), "week") == 0;
      if (on != self->week)
        {
          self->week = on;
          load_range (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COLUMNS:
      on = g_strcmp0 (g_value_get_string (value), "rooms") == 0;
      if (on != self->by_room)
        {
          self->by_room = on;
          load_range (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
narrow_changed_cb (gpointer data)
{
  MesoScheduleView *self = data;

  self->narrow_source = 0;
  if (self->allocated_narrow == self->narrow)
    return G_SOURCE_REMOVE;
  /* The range changes as it is loaded, not before. */
  self->narrow = self->allocated_narrow;
  update_legend_visible (self);
  if (self->week)
    load_range (self);
  return G_SOURCE_REMOVE;
}

/* A window narrower than NARROW_WIDTH shows the day; wider again, the week
 * chosen. Switched after this layout, not within it. */
static void
meso_schedule_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));
  gboolean narrow = width < NARROW_WIDTH;

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  self->allocated_narrow = narrow;
  if (narrow != self->narrow)
    {
      if (self->narrow_source == 0)
        self->narrow_source = g_idle_add (narrow_changed_cb, self);
    }
}

static void
meso_schedule_view_dispose (GObject *object)
{
  MesoScheduleView *self = MESO_SCHEDULE_VIEW (object);

  g_clear_handle_id (&self->narrow_source, g_source_remove);
  g_clear_pointer (&self->clinicians, g_strfreev);
  g_clear_pointer (&self->rooms, g_strfreev);
  g_clear_pointer (&self->filter, g_free);

  /* The grid unparents the popover with its other children. */
  self->details = NULL;
  g_clear_object (&self->selected);
  /* Every read still on its way is cancelled (here and by forget_ahead()):
   * its answer touches nothing. */
  if (self->loading != NULL)
    {
      g_cancellable_cancel (self->loading);
      g_clear_object (&self->loading);
    }
  g_clear_handle_id (&self->header_source, g_source_remove);
  g_clear_pointer (&self->header_pending, range_header_free);
  if (self->ahead != NULL)
    forget_ahead (self);
  g_clear_pointer (&self->ahead, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SCHEDULE_VIEW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);

  G_OBJECT_CLASS (meso_schedule_view_parent_class)->dispose (object);
}

static void
meso_schedule_view_class_init (MesoScheduleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = meso_schedule_view_get_property;
  object_class->set_property = meso_schedule_view_set_property;
  object_class->dispose = meso_schedule_view_dispose;
  widget_class->measure = meso_bin_measure;
  widget_class->size_allocate = meso_schedule_view_size_allocate;

  properties[PROP_SPAN] =
    g_param_spec_string ("span", NULL, NULL, "day",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMNS] =
    g_param_spec_string ("columns", NULL, NULL, "practitioners",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  meso_application_ensure_resources ();
  g_type_ensure (MESO_TYPE_SCHEDULE_GRID);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-schedule-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, grid);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, wide_date_button);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, wide_date_label);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, narrow_date_button);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, narrow_date_label);
  gtk_widget_class_bind_template_callback (widget_class, on_block_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_slot_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_block_dropped_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_selected_cb);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, filter_drop_down);
  gtk_widget_class_bind_template_child (widget_class, MesoScheduleView, legend);

  gtk_widget_class_install_action (widget_class, "schedule.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "schedule.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "schedule.today", NULL, today_action);
  gtk_widget_class_install_property_action (widget_class, "schedule.span", "span");
  gtk_widget_class_install_property_action (widget_class, "schedule.columns", "columns");
  gtk_widget_class_install_action (widget_class, "schedule.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "schedule.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "schedule.check-in", NULL, check_in_action);
  gtk_widget_class_install_action (widget_class, "schedule.record-session", NULL,
                                   record_session_action);
  gtk_widget_class_install_action (widget_class, "schedule.no-show", NULL, no_show_action);
  gtk_widget_class_install_action (widget_class, "schedule.back-to-booked", NULL,
                                   back_to_booked_action);
  gtk_widget_class_install_action (widget_class, "schedule.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "schedule.reschedule", NULL,
                                   reschedule_action);
  gtk_widget_class_install_action (widget_class, "schedule.show-patient", NULL,
                                   show_patient_action);

  gtk_widget_class_set_css_name (widget_class, "meso-schedule-view");
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            trigger),
                                                          gtk_named_action_new (action)));
}

static void
meso_schedule_view_init (MesoScheduleView *self)
{
  GtkMenuButton *buttons[2];
  GtkEventController *shortcuts;

  self->ahead = g_ptr_array_new_with_free_func ((GDestroyNotify) ahead_free);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound template child: AdwBin unparents its own child on dispose. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));
  buttons[0] = self->wide_date_button;
  buttons[1] = self->narrow_date_button;

  /* A calendar in each date button's popover: the squeezer shows one at a time. */
  for (guint i = 0; i < G_N_ELEMENTS (self->calendars); i++)
    {
      GtkWidget *popover = gtk_popover_new ();

      self->calendars[i] = GTK_CALENDAR (gtk_calendar_new ());
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->calendars[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      /* Translators: what a screen reader calls the calendar
                                       * that picks the schedule's date */
                                      _("Date to show"), -1);
      g_signal_connect (self->calendars[i], "day-selected", G_CALLBACK (on_day_selected_cb),
                        self);
      gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendars[i]));
      gtk_menu_button_set_popover (buttons[i], popover);
    }

  /* While the schedule is on screen, wherever the focus is in the window. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Left", "schedule.previous");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>Page_Up", "schedule.previous");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Alt>Right", "schedule.next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>Page_Down", "schedule.next");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>t", "schedule.today");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>p", "schedule.print");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  meso_clock_today (&self->day);
  update_popover_actions (self);
  meso_schedule_view_reload (self);
}

GtkWidget *
meso_schedule_view_new (void)
{
  return g_object_new (MESO_TYPE_SCHEDULE_VIEW, NULL);
}
