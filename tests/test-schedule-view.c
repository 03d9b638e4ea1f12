/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Schedule view on a real database in a real (Xvfb) display: blocks in
 * the right day and column, navigation, cancel, no-show and check-in through
 * the popover's actions (R2 asked again at the desk), the printed day list,
 * and the iCalendar export read back by python3-icalendar; the range read by
 * a worker (a stale answer never shown), and buttons made only for the
 * blocks near the part in sight. No mocks. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-day-list.h"
#include "meso-schedule-view.h"
#include "meso-window.h"

#include "meso-test-core.h"
#include "meso-store-private.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#define PYTHON            "/usr/bin/python3"
#define NOW               "2026-11-20T08:00"   /* a Friday */

static StoreFixture *fixture;
static MesoApplication *app;

/* The appointments every test starts from. */
static gint64 anna_id, bert_id, carla_id;
static gint64 anna_today, bert_today, carla_today, anna_monday;

static gint64
book (const char *start,
      gint64      patient,
      MesoArea    area,
      const char *practitioner,
      const char *room)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(GDateTime) when = local_dt (start);
  g_autoptr(GError) error = NULL;

  meso_appointment_set_patient_id (appointment, patient);
  meso_appointment_set_start (appointment, when);
  meso_appointment_set_area (appointment, area);
  meso_appointment_set_practitioner (appointment, practitioner);
  meso_appointment_set_room (appointment, room);
  assert_true (meso_store_book_appointment (fixture->store, appointment, MESO_ROLE_RECEPTIONIST,
                                            NULL, &error));
  EXPECT_NO_ERROR ("book", error);
  return meso_appointment_get_id (appointment);
}

static MesoAppointmentStatus
stored_status (gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) appointment = meso_store_get_appointment (fixture->store, id,
                                                                       &error);

  EXPECT_NO_ERROR ("get appointment", error);
  return meso_appointment_get_status (appointment);
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  GDate noted = make_day ("2026-11-18");

  fixture = store_fixture_new ("mesodesk-schedule-XXXXXX", TRUE);
  assert_true (meso_store_add_practitioner (fixture->store, "Dr. Ada Ames", MESO_ROLE_CLINICIAN,
                                            &error));
  assert_true (meso_store_add_practitioner (fixture->store, "Ben Brook", MESO_ROLE_CLINICIAN,
                                            &error));
  assert_true (meso_store_add_room (fixture->store, "Room 1", &error));
  assert_true (meso_store_add_room (fixture->store, "Room 2", &error));
  anna_id = add_patient (fixture->store, "Anna Aalto", FALSE);
  bert_id = add_patient (fixture->store, "Bert Berg", FALSE);
  carla_id = add_patient (fixture->store, "Carla Cruz", FALSE);

  anna_today = book ("2026-11-20T10:00", anna_id, MESO_AREA_FACE, "Dr. Ada Ames", "Room 1");
  bert_today = book ("2026-11-20T11:00", bert_id, MESO_AREA_NECK, "Ben Brook", "Room 2");
  carla_today = book ("2026-11-20T13:00", carla_id, MESO_AREA_SCALP, "Dr. Ada Ames", "Room 2");
  anna_monday = book ("2026-11-23T10:00", anna_id, MESO_AREA_HANDS, "Ben Brook", "Room 1");
  /* Herpes, noted after Bert's booking: only check-in can catch it. */
  assert_true (meso_store_set_flag (fixture->store, bert_id, MESO_CONTRAINDICATION_HERPES,
                                    &noted, &error));
  EXPECT_NO_ERROR ("setup", error);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (fixture);
  fixture = NULL;
  return 0;
}

/* ---------------------------------------------------------------- the view in a window */

typedef struct
{
  GtkWindow        *window;
  MesoScheduleView *view;
  MesoScheduleGrid *grid;
  GPtrArray        *booked;    /* GVariant a{sv} of each win.book */
  GPtrArray        *recorded;  /* … of each win.record-session */
} ViewFixture;

static void
record_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  GPtrArray     *into)
{
  g_ptr_array_add (into, g_variant_ref (parameter));
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_loaded (gpointer data)
{
  return !meso_schedule_view_get_loading (MESO_SCHEDULE_VIEW (data));
}

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  (*(guint *)data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_ticks (gpointer data)
{
  return *(guint *)data >= 2;
}

/* Two frames pass: the first lays out what changed before it. */
static void
wait_frames (GtkWidget *widget)
{
  guint ticks = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_tick_cb, &ticks, NULL);

  assert_true (wait_for (two_ticks, &ticks));
  gtk_widget_remove_tick_callback (widget, id);
}

/* The range the view was last asked for is read (by its worker) and laid out. */
static void
wait_shown (MesoScheduleView *view)
{
  assert_true (wait_for (is_loaded, view));
  wait_frames (GTK_WIDGET (view));
}

static void
view_open_sized (ViewFixture *f,
                 int          width,
                 int          height)
{
  g_autoptr(GSimpleActionGroup) win = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) book_action = g_simple_action_new ("book", G_VARIANT_TYPE ("a{sv}"));
  g_autoptr(GSimpleAction) record = g_simple_action_new ("record-session",
                                                         G_VARIANT_TYPE ("a{sv}"));
  GDate friday = make_day ("2026-11-20");

  f->booked = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  f->recorded = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  g_signal_connect (book_action, "activate", G_CALLBACK (record_action_cb), f->booked);
  g_signal_connect (record, "activate", G_CALLBACK (record_action_cb), f->recorded);
  g_action_map_add_action (G_ACTION_MAP (win), G_ACTION (book_action));
  g_action_map_add_action (G_ACTION_MAP (win), G_ACTION (record));

  /* The contract's win.book and win.record-session, as the window would have them. */
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", G_ACTION_GROUP (win));
  gtk_window_set_default_size (f->window, width, height);
  f->view = MESO_SCHEDULE_VIEW (meso_schedule_view_new ());
  f->grid = meso_schedule_view_get_grid (f->view);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  meso_schedule_view_set_store (f->view, fixture->store);
  meso_schedule_view_set_date (f->view, &friday);
  gtk_window_present (f->window);
  assert_true (wait_for (is_mapped, f->grid));
  wait_shown (f->view);
}

static void
view_open (ViewFixture *f,
           int          width)
{
  view_open_sized (f, width, 700);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static void
view_close (ViewFixture *f)
{
  gpointer view = f->view;

  g_object_add_weak_pointer (G_OBJECT (view), &view);
  gtk_window_destroy (f->window);
  g_ptr_array_unref (f->booked);
  g_ptr_array_unref (f->recorded);
  /* An export's task holds the view until it ends: waited for, so no
   * thread is still writing when the next test, or the program's leak
   * check, begins. */
  assert_true (wait_for (pointer_cleared, &view));
  settle (50);
}

static GtkWidget *
block_of (ViewFixture *f,
          gint64       id)
{
  for (guint i = 0; i < meso_schedule_grid_get_n_blocks (f->grid); i++)
    {
      GtkWidget *block = meso_schedule_grid_get_block (f->grid, i);

      if (meso_appointment_get_id (meso_schedule_grid_block_get_appointment (block)) == id)
        return block;
    }
  return NULL;
}

static GtkWidget *
focused_widget (ViewFixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

static void
expect_place (ViewFixture *f,
              gint64       id,
              guint        day,
              const char  *column)
{
  GtkWidget *block = block_of (f, id);
  const char *found_column = NULL;
  guint found_day = G_MAXUINT;

  assert_non_null (block);
  meso_schedule_grid_block_get_place (f->grid, block, &found_day, &found_column);
  EXPECT_INT (column, day, found_day);
  EXPECT_STR ("column", column, found_column);
}

static void
expect_range (ViewFixture *f,
              const char  *first,
              guint        n_days)
{
  GDate found;
  guint found_days;

  meso_schedule_view_get_range (f->view, &found, &found_days);
  expect_date ("first day shown", first, &found);
  EXPECT_INT ("days shown", n_days, found_days);
}

static void
test_blocks_in_place (void **state)
{
  ViewFixture f = { 0 };

  view_open (&f, 1000);

  /* The day, by practitioner. */
  expect_range (&f, "2026-11-20", 1);
  EXPECT_INT ("blocks on Friday", 3, meso_schedule_grid_get_n_blocks (f.grid));
  expect_place (&f, anna_today, 0, "Dr. Ada Ames");
  expect_place (&f, bert_today, 0, "Ben Brook");
  expect_place (&f, carla_today, 0, "Dr. Ada Ames");
  assert_null (block_of (&f, anna_monday));
  {
    GtkWidget *block = block_of (&f, anna_today);
    g_autofree char *name = accessible_label (block);
    g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
    gboolean shown = FALSE;

    assert_true (gtk_widget_get_child_visible (block));
    assert_true (gtk_widget_has_css_class (block, "booked"));
    EXPECT_CONTAINS ("its name says when", name, "10:00");
    EXPECT_CONTAINS ("its name names the patient", name, "Anna Aalto");
    EXPECT_CONTAINS ("its name names the area", name, meso_area_get_label (MESO_AREA_FACE));
    /* The same words as a tooltip, written when the pointer asks. */
    assert_true (gtk_widget_get_has_tooltip (block));
    g_signal_emit_by_name (block, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
    assert_true (shown);
    /* The block stands in its hour: below 09:00's slot, above 11:00's. */
    {
      graphene_rect_t bounds;
      double x9, y9, x11, y11;

      assert_true (gtk_widget_compute_bounds (block, GTK_WIDGET (f.grid), &bounds));
      assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Dr. Ada Ames", 9 * 60, &x9,
                                                     &y9));
      assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Dr. Ada Ames", 11 * 60, &x11,
                                                     &y11));
      assert_true (bounds.origin.y > y9);
      assert_true (bounds.origin.y + bounds.size.height < y11);
      assert_true (bounds.origin.x < x9 && bounds.origin.x + bounds.size.width > x9);
    }
  }

  /* By room. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.columns", "s", "rooms");
  wait_shown (f.view);
  EXPECT_INT ("blocks by room", 3, meso_schedule_grid_get_n_blocks (f.grid));
  expect_place (&f, anna_today, 0, "Room 1");
  expect_place (&f, bert_today, 0, "Room 2");
  expect_place (&f, carla_today, 0, "Room 2");

  /* The week: Monday the 16th on; Friday is its fifth day, one column
   * (whether by room or by practitioner), each block naming its
   * practitioner. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  expect_range (&f, "2026-11-16", 7);
  EXPECT_INT ("blocks this week", 3, meso_schedule_grid_get_n_blocks (f.grid));
  expect_place (&f, bert_today, 4, NULL);
  expect_place (&f, anna_today, 4, NULL);
  {
    g_autofree char *name = accessible_label (block_of (&f, bert_today));

    EXPECT_CONTAINS ("a week's block names its practitioner", name, "Ben Brook");
  }

  /* Next week: Monday's appointment, on its first day. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  wait_shown (f.view);
  expect_range (&f, "2026-11-23", 7);
  EXPECT_INT ("blocks next week", 1, meso_schedule_grid_get_n_blocks (f.grid));
  expect_place (&f, anna_monday, 0, NULL);

  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.previous", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.previous", NULL);
  wait_shown (f.view);
  expect_range (&f, "2026-11-09", 7);
  EXPECT_INT ("an empty week", 0, meso_schedule_grid_get_n_blocks (f.grid));

  /* Back to today (MESODESK_NOW), by day again. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.today", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "day");
  wait_shown (f.view);
  expect_range (&f, "2026-11-20", 1);
  EXPECT_INT ("today again", 3, meso_schedule_grid_get_n_blocks (f.grid));
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  wait_shown (f.view);
  expect_range (&f, "2026-11-21", 1);
  EXPECT_INT ("Saturday is empty", 0, meso_schedule_grid_get_n_blocks (f.grid));

  view_close (&f);
}

static GtkGesture *
grid_click_gesture (MesoScheduleGrid *grid)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (grid));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);
    }
  fail_msg ("the grid has no click gesture");
  return NULL;
}

/* A click at (x, y), as the grid's gesture reports a released button. */
static void
click_grid (MesoScheduleGrid *grid,
            double            x,
            double            y)
{
  g_signal_emit_by_name (grid_click_gesture (grid), "released", 1, x, y);
}

static void
test_free_slot_books (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GDateTime) three = local_dt ("2026-11-20T15:00");
  double x, y;
  gint64 start = 0;
  const char *practitioner = NULL;
  const char *room = NULL;

  view_open (&f, 1000);

  assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Ben Brook", 15 * 60 + 5, &x, &y));
  click_grid (f.grid, x, y);
  EXPECT_INT ("win.book once", 1, f.booked->len);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 0), "start", "x", &start));
  EXPECT_INT ("the slot's start", g_date_time_to_unix (three), start);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 0), "practitioner", "&s",
                                 &practitioner));
  EXPECT_STR ("the column's practitioner", "Ben Brook", practitioner);
  assert_false (g_variant_lookup (g_ptr_array_index (f.booked, 0), "room", "&s", &room));

  /* On an appointment: no booking. */
  {
    graphene_rect_t bounds;

    assert_true (gtk_widget_compute_bounds (block_of (&f, anna_today), GTK_WIDGET (f.grid),
                                            &bounds));
    click_grid (f.grid, bounds.origin.x + bounds.size.width / 2,
                bounds.origin.y + bounds.size.height / 2);
    EXPECT_INT ("no booking on a block", 1, f.booked->len);
  }

  /* By room, the room is passed. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.columns", "s", "rooms");
  wait_shown (f.view);
  assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Room 1", 16 * 60, &x, &y));
  click_grid (f.grid, x, y);
  EXPECT_INT ("win.book again", 2, f.booked->len);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 1), "room", "&s", &room));
  EXPECT_STR ("the column's room", "Room 1", room);

  view_close (&f);
}

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Opens @id's popover, as a click on its block does. */
static void
open_popover (ViewFixture *f,
              gint64       id)
{
  GtkWidget *block = block_of (f, id);
  GtkWidget *popover;

  assert_non_null (block);
  g_signal_emit_by_name (block, "clicked");
  popover = find_descendant (GTK_WIDGET (f->grid), GTK_TYPE_POPOVER);
  assert_non_null (popover);
  assert_true (wait_for (is_mapped, popover));
}

static void
test_cancel_and_no_show (void **state)
{
  ViewFixture f = { 0 };
  GtkWindow *dialog;
  GtkWidget *entry;

  view_open (&f, 1000);

  /* Cancelling asks why, and keeps the answer. */
  open_popover (&f, anna_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.cancel", NULL);
  assert_true (wait_for (message_dialog_shown, NULL));
  dialog = find_message_dialog ();
  entry = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  assert_non_null (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Has the flu ");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel-appointment");
  gtk_window_destroy (dialog);
  {
    g_autoptr(MesoAppointment) stored = meso_store_get_appointment (fixture->store, anna_today,
                                                                    NULL);

    EXPECT_INT ("cancelled", MESO_APPOINTMENT_CANCELLED, meso_appointment_get_status (stored));
    EXPECT_STR ("the reason", "Has the flu", meso_appointment_get_cancel_reason (stored));
  }
  /* Still shown, visibly cancelled. */
  wait_shown (f.view);
  assert_true (gtk_widget_has_css_class (block_of (&f, anna_today), "cancelled"));

  /* Keeping it changes nothing. */
  open_popover (&f, carla_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.cancel", NULL);
  assert_true (wait_for (message_dialog_shown, NULL));
  dialog = find_message_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  gtk_window_destroy (dialog);
  EXPECT_INT ("kept", MESO_APPOINTMENT_BOOKED, stored_status (carla_today));

  /* No-show, and back. */
  open_popover (&f, carla_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.no-show", NULL);
  EXPECT_INT ("no-show", MESO_APPOINTMENT_NO_SHOW, stored_status (carla_today));
  wait_shown (f.view);
  assert_true (gtk_widget_has_css_class (block_of (&f, carla_today), "no-show"));
  open_popover (&f, carla_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.back-to-booked", NULL);
  EXPECT_INT ("booked again", MESO_APPOINTMENT_BOOKED, stored_status (carla_today));
  wait_shown (f.view);
  assert_true (gtk_widget_has_css_class (block_of (&f, carla_today), "booked"));
  assert_false (gtk_widget_has_css_class (block_of (&f, carla_today), "no-show"));

  /* A cancelled appointment offers no check-in, no-show or cancel. */
  open_popover (&f, anna_today);
  {
    GtkWidget *popover = find_descendant (GTK_WIDGET (f.grid), GTK_TYPE_POPOVER);
    guint enabled = 0;

    for (GtkWidget *w = find_descendant (popover, GTK_TYPE_BUTTON); w != NULL;
         w = gtk_widget_get_next_sibling (w))
      enabled += gtk_widget_get_sensitive (w);
    /* Only "Open Patient". */
    EXPECT_INT ("actions left", 1, enabled);
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  EXPECT_INT ("nothing booked", 0, f.booked->len);
  view_close (&f);
}

/* A reload (any change to the bookings) leaves the focus on the
 * appointment that had it, though a booking before it shifts which button
 * each appointment gets. */
static void
test_reload_keeps_focus (void **state)
{
  ViewFixture f = { 0 };
  gint64 early;

  view_open (&f, 1000);
  assert_true (gtk_widget_grab_focus (block_of (&f, carla_today)));
  early = book ("2026-11-20T09:00", add_patient (fixture->store, "Early Bird", FALSE),
                MESO_AREA_FACE, "Dr. Ada Ames", "Room 1");
  meso_schedule_view_reload (f.view);
  wait_shown (f.view);
  assert_non_null (block_of (&f, early));
  assert_true (focused_widget (&f) == block_of (&f, carla_today));

  /* Moved elsewhere between the range shown and its appointments (as the
   * view does it, the range first, then what its worker read), the focus
   * stays where it went. */
  {
    GtkWidget *elsewhere = find_descendant (GTK_WIDGET (f.view), GTK_TYPE_BUTTON);
    g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
    const char *columns[] = { "Ben Brook", "Dr. Ada Ames", NULL };
    int open[1] = { 9 * 60 }, close[1] = { 18 * 60 };
    GDate friday = make_day ("2026-11-20");

    for (guint i = 0; i < meso_schedule_grid_get_n_appointments (f.grid); i++)
      g_ptr_array_add (shown, g_object_ref (meso_schedule_grid_get_appointment (f.grid, i)));
    assert_true (gtk_widget_get_parent (elsewhere) != GTK_WIDGET (f.grid));
    assert_true (gtk_widget_grab_focus (block_of (&f, carla_today)));
    meso_schedule_grid_set_range (f.grid, &friday, 1, open, close, columns, FALSE);
    wait_frames (GTK_WIDGET (f.grid));
    assert_true (gtk_widget_grab_focus (elsewhere));
    meso_schedule_grid_set_appointments (f.grid, shown);
    wait_frames (GTK_WIDGET (f.grid));
    assert_true (focused_widget (&f) == elsewhere);
  }
  view_close (&f);
}

/* win.record-session was asked for once, for @patient_id's @appointment_id. */
static void
expect_recorded (ViewFixture *f,
                 gint64       patient_id,
                 gint64       appointment_id)
{
  gint64 value = 0;

  EXPECT_INT ("win.record-session once", 1, f->recorded->len);
  assert_true (g_variant_lookup (g_ptr_array_index (f->recorded, 0), "patient-id", "x", &value));
  EXPECT_INT ("patient", patient_id, value);
  assert_true (g_variant_lookup (g_ptr_array_index (f->recorded, 0), "appointment-id", "x",
                                 &value));
  EXPECT_INT ("appointment", appointment_id, value);
}

static void
test_check_in (void **state)
{
  ViewFixture f = { 0 };
  GtkWindow *dialog;
  gint64 value = 0;

  view_open (&f, 1000);

  /* Bert's herpes is active today: refused, with the reason, status unchanged. */
  open_popover (&f, bert_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.check-in", NULL);
  assert_true (wait_for (message_dialog_shown, NULL));
  dialog = find_message_dialog ();
  EXPECT_STR ("heading", _("Cannot Check In"),
              adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));
  EXPECT_CONTAINS ("the rule", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "R2");
  EXPECT_CONTAINS ("the flag", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                   meso_contraindication_get_label (MESO_CONTRAINDICATION_HERPES));
  gtk_window_destroy (dialog);
  EXPECT_INT ("still booked", MESO_APPOINTMENT_BOOKED, stored_status (bert_today));
  EXPECT_INT ("no session dialog", 0, f.recorded->len);

  /* Anna has nothing active: checked in, and the session dialog is asked for. */
  open_popover (&f, anna_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.check-in", NULL);
  wait_shown (f.view);
  assert_null (find_message_dialog ());
  EXPECT_INT ("checked in", MESO_APPOINTMENT_CHECKED_IN, stored_status (anna_today));
  assert_true (gtk_widget_has_css_class (block_of (&f, anna_today), "checked-in"));
  expect_recorded (&f, anna_id, anna_today);

  /* Reschedule hands the appointment to win.book. */
  open_popover (&f, carla_today);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.reschedule", NULL);
  EXPECT_INT ("win.book once", 1, f.booked->len);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 0), "appointment-id", "x",
                                 &value));
  EXPECT_INT ("the appointment to move", carla_today, value);

  view_close (&f);
}

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
has_recorded (gpointer data)
{
  return ((GPtrArray *)data)->len > 0;
}

/* The popover shows whom to call and records the session straight away,
 * without a check-in first (issue 17, item 6). */
static void
test_popover_phone_and_record (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(MesoPatient) anna = meso_store_get_patient (fixture->store, anna_id, NULL);
  g_autofree char *phone = NULL;
  GtkWidget *popover, *record;

  assert_non_null (anna);
  meso_patient_set_phone (anna, "+49 30 1234567");
  assert_true (meso_store_update_patient (fixture->store, anna, NULL));
  view_open (&f, 1000);

  open_popover (&f, anna_today);
  popover = find_descendant (GTK_WIDGET (f.grid), GTK_TYPE_POPOVER);
  phone = g_strdup_printf (_("Phone %s"), "+49 30 1234567");
  assert_non_null (find_matching (popover, GTK_TYPE_LABEL, label_is, phone));
  record = find_button (popover, _("Record Session"));
  assert_non_null (record);
  assert_true (gtk_widget_is_sensitive (record));
  /* GTK 4 sends "clicked" once the button's press is drawn. */
  gtk_widget_activate (record);
  assert_true (wait_for (has_recorded, f.recorded));
  expect_recorded (&f, anna_id, anna_today);
  EXPECT_INT ("not checked in by it", MESO_APPOINTMENT_BOOKED, stored_status (anna_today));

  /* Bert has no phone number: no line for it. */
  open_popover (&f, bert_today);
  popover = find_descendant (GTK_WIDGET (f.grid), GTK_TYPE_POPOVER);
  g_free (phone);
  phone = g_strdup_printf (_("Phone %s"), "");
  assert_null (find_matching (popover, GTK_TYPE_LABEL, label_is, phone));
  gtk_popover_popdown (GTK_POPOVER (popover));

  view_close (&f);
}

static void
test_day_list (void **state)
{
  ViewFixture f = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  assert_true (meso_store_cancel_appointment (fixture->store, carla_today, "moved", &error));
  view_open (&f, 1000);

  /* In week view the chosen day is printed. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  text = meso_schedule_view_dup_day_list_text (f.view);
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_autofree char *title = NULL;
    GDate friday = make_day ("2026-11-20");

    title = meso_day_list_title (&friday);
    EXPECT_STR ("title", title, lines[0]);
    EXPECT_CONTAINS ("headings", lines[1], C_("day list", "Practitioner"));
    /* Title, headings, Anna and Bert, the empty end: Carla's cancelled
     * appointment and Monday's are not on it. */
    EXPECT_INT ("lines", 5, g_strv_length (lines));
    EXPECT_CONTAINS ("Anna", lines[2], "Anna Aalto\t");
    EXPECT_CONTAINS ("Anna's time", lines[2], "10:00");
    EXPECT_CONTAINS ("Anna's area", lines[2], meso_area_get_label (MESO_AREA_FACE));
    EXPECT_CONTAINS ("Anna's practitioner", lines[2], "Dr. Ada Ames\tRoom 1\t");
    EXPECT_CONTAINS ("Bert", lines[3], "Bert Berg\t");
  }
  EXPECT_NOT_CONTAINS ("cancelled", text, "Carla Cruz");

  /* Printed to a PDF, as "Print to File" does. */
  pdf = g_build_filename (fixture->dir, "day.pdf", NULL);
  {
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GtkPrintOperation) operation = NULL;
    g_autoptr(GDateTime) nine = local_dt ("2026-11-20T09:00");
    GDate friday = make_day ("2026-11-20");

    /* Enough rows for several pages. */
    for (guint i = 0; i < 120; i++)
      {
        MesoAppointment *appointment = meso_appointment_new ();

        meso_appointment_set_start (appointment, nine);
        meso_appointment_set_patient_name (appointment, "Patient");
        g_ptr_array_add (many, appointment);
      }
    MesoClinicInfo clinic = { .name = (char *)"Hautpraxis am Markt",
                              .phone = (char *)"0341 123456" };
    GtkPrintSettings *settings;

    operation = meso_day_list_print_operation_new (many, &friday, &clinic);
    settings = gtk_print_operation_get_print_settings (operation);
    EXPECT_STR ("the file says what it is", "Day list – 2026-11-20",
                gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME));
    gtk_print_operation_set_export_filename (operation, pdf);
    EXPECT_INT ("printed", GTK_PRINT_OPERATION_RESULT_APPLY,
                gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                         &error));
    EXPECT_NO_ERROR ("print", error);
    {
      int n_pages = 0;

      g_object_get (operation, "n-pages-to-print", &n_pages, NULL);
      assert_true (n_pages > 1);
    }
  }
  assert_true (g_file_get_contents (pdf, &contents, &length, &error));
  assert_true (length > 4 && memcmp (contents, "%PDF", 4) == 0);
  /* The clinic heads the list: its name and phone over the day's title. */
  {
    const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
    const char *argv[] = { pdftotext, "-enc", "UTF-8", "-l", "1", pdf, "-", NULL };
    g_autofree char *out = NULL;
    int status;

    if (pdftotext == NULL || *pdftotext == '\0')
      fail_msg ("pdftotext (poppler-utils) is needed to read the day list back");
    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
    EXPECT_CONTAINS ("clinic", out, "Hautpraxis am Markt · Phone 0341 123456");
    EXPECT_CONTAINS ("title", out, "Day list for Friday, 20 November 2026");
  }

  view_close (&f);
}

/* ---------------------------------------------------------------- iCalendar */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

/* The export's summary as check-ics.py reads it (python3-icalendar). */
static JsonArray *
export_and_read (ViewFixture  *f,
                 const char   *name,
                 MesoIcsFlags  flags,
                 JsonParser   *parser)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *script = g_getenv ("MESODESK_CHECK_ICS");
  const char *argv[] = { PYTHON, script, path, NULL };
  guint n_written = 0;
  int status;

  meso_schedule_view_export_ics_async (f->view, file, flags, NULL, export_done_cb,
                                       &result);
  assert_true (wait_for (result_ready, &result));
  assert_true (meso_schedule_view_export_ics_finish (f->view, result, &n_written, &error));
  EXPECT_NO_ERROR ("export", error);

  if (script == NULL)
    fail_msg ("MESODESK_CHECK_ICS is not set: run the test through meson");
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    fail_msg ("check-ics.py failed: %s\n%s", error->message, err != NULL ? err : "");
  assert_true (json_parser_load_from_data (parser, out, -1, &error));
  {
    JsonArray *events = json_object_get_array_member (
      json_node_get_object (json_parser_get_root (parser)), "events");

    EXPECT_INT ("written = read", n_written, json_array_get_length (events));
    return events;
  }
}

static void
test_ics_export (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(JsonParser) first_parser = json_parser_new ();
  g_autoptr(JsonParser) again_parser = json_parser_new ();
  g_autoptr(JsonParser) area_parser = json_parser_new ();
  JsonArray *first, *again, *with_area;

  assert_true (meso_store_set_appointment_status (fixture->store, carla_today,
                                                  MESO_APPOINTMENT_NO_SHOW, NULL));
  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);

  /* The shown week: Friday's three, not Monday's. */
  first = export_and_read (&f, "week.ics", MESO_ICS_DEFAULT, first_parser);
  EXPECT_INT ("one event per appointment", 3, json_array_get_length (first));
  again = export_and_read (&f, "again.ics", MESO_ICS_DEFAULT, again_parser);
  with_area = export_and_read (&f, "area.ics", MESO_ICS_INCLUDE_AREA, area_parser);
  for (guint i = 0; i < json_array_get_length (first); i++)
    {
      JsonObject *event = json_array_get_object_element (first, i);
      const char *summary = json_object_get_string_member (event, "summary");
      const char *area_summary = json_object_get_string_member (
        json_array_get_object_element (with_area, i), "summary");

      EXPECT_STR ("stable UID", json_object_get_string_member (event, "uid"),
                  json_object_get_string_member (json_array_get_object_element (again, i),
                                                 "uid"));
      /* No area unless asked for. */
      for (MesoArea area = MESO_AREA_FACE; area <= MESO_AREA_HANDS; area++)
        EXPECT_NOT_CONTAINS ("no clinical detail", summary, meso_area_get_label (area));
      EXPECT_CONTAINS ("the area when asked", area_summary, "(");
    }
  EXPECT_CONTAINS ("Anna's area", json_object_get_string_member (
                                    json_array_get_object_element (with_area, 0), "summary"),
                   meso_area_get_label (MESO_AREA_FACE));
  EXPECT_STR ("the no-show is cancelled in the calendar", "CANCELLED",
              json_object_get_string_member (json_array_get_object_element (first, 2),
                                             "status"));

  view_close (&f);
}

/* ---------------------------------------------------------------- read by a worker */

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* The ids of every appointment the grid holds (made into a block or not). */
static GArray *
grid_ids (MesoScheduleGrid *grid)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < meso_schedule_grid_get_n_appointments (grid); i++)
    {
      gint64 id = meso_appointment_get_id (meso_schedule_grid_get_appointment (grid, i));

      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  return ids;
}

/* The ids of what the store has in the view's range, asked on the test's own connection. */
static GArray *
stored_ids (MesoScheduleView *view)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GDate first, end;
  guint n_days;

  meso_schedule_view_get_range (view, &first, &n_days);
  end = first;
  g_date_add_days (&end, n_days);
  from = meso_date_time_from_date (&first);
  to = meso_date_time_from_date (&end);
  appointments = meso_store_list_appointments (fixture->store, from, to, &error);
  EXPECT_NO_ERROR ("list appointments", error);
  for (guint i = 0; i < appointments->len; i++)
    {
      gint64 id = meso_appointment_get_id (g_ptr_array_index (appointments, i));

      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  return ids;
}

/* The grid holds exactly what the store has for the shown range. */
static gboolean
grid_matches_store (MesoScheduleView *view)
{
  g_autoptr(GArray) shown = grid_ids (meso_schedule_view_get_grid (view));
  g_autoptr(GArray) stored = stored_ids (view);

  /* An empty GArray may have no data at all: memcmp must not see it. */
  return shown->len == stored->len &&
         (shown->len == 0 ||
          memcmp (shown->data, stored->data, shown->len * sizeof (gint64)) == 0);
}

static void
expect_grid_matches_store (ViewFixture *f,
                           const char  *what,
                           guint        n_expected)
{
  g_autoptr(GArray) shown = grid_ids (f->grid);
  g_autoptr(GArray) stored = stored_ids (f->view);

  EXPECT_INT (what, n_expected, stored->len);
  EXPECT_INT (what, stored->len, shown->len);
  for (guint i = 0; i < shown->len; i++)
    EXPECT_INT (what, g_array_index (stored, gint64, i), g_array_index (shown, gint64, i));
  /* Few enough to be made, every one is a block. */
  EXPECT_INT (what, shown->len, meso_schedule_grid_get_n_blocks (f->grid));
}

/* Every button of the grid a screen reader is shown is a block of the
 * shown range, named for its appointment; the others (spare ones, kept for
 * later) are hidden from it. */
static void
expect_no_stale_buttons (ViewFixture *f)
{
  g_autoptr(GArray) ids = grid_ids (f->grid);
  guint n_presented = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MesoAppointment *appointment;

      if (!GTK_IS_BUTTON (child))
        continue;
      appointment = meso_schedule_grid_block_get_appointment (child);
      if (appointment == NULL)
        {
          g_autofree char *hidden = NULL;

          assert_false (gtk_widget_get_child_visible (child));
          assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (child),
                                                      GTK_ACCESSIBLE_STATE_HIDDEN));
          /* Hands back the value when it is not FALSE (and leaks when it is). */
          hidden = gtk_test_accessible_check_state (GTK_ACCESSIBLE (child),
                                                    GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);
          EXPECT_STR ("a spare button is hidden from screen readers", "true", hidden);
        }
      else
        {
          gint64 id = meso_appointment_get_id (appointment);
          g_autofree char *name = accessible_label (child);

          n_presented++;
          assert_true (g_array_binary_search (ids, &id, compare_ids, NULL));
          EXPECT_CONTAINS ("named for its appointment", name,
                           meso_appointment_get_patient_name (appointment));
        }
    }
  EXPECT_INT ("buttons presented = blocks made", meso_schedule_grid_get_n_blocks (f->grid),
              n_presented);
}

/* Pages with @action and expects the week from @first, with the store's
 * @n_expected appointments. */
static void
page_to (ViewFixture *f,
         const char  *action,
         const char  *first,
         guint        n_expected)
{
  gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL);
  wait_shown (f->view);
  expect_range (f, first, 7);
  expect_grid_matches_store (f, first, n_expected);
  expect_no_stale_buttons (f);
}

/* Paging on and back: each week shows what the store has for it, no more
 * (nothing left from the week before), no less. */
static void
test_paging_matches_store (void **state)
{
  ViewFixture f = { 0 };
  gint64 dora = add_patient (fixture->store, "Dora Dahl", FALSE);
  gint64 emil = add_patient (fixture->store, "Emil Eck", FALSE);

  /* The week after next: two more. */
  gint64 emil_thursday;

  book ("2026-12-01T09:00", dora, MESO_AREA_FACE, "Dr. Ada Ames", "Room 1");
  emil_thursday = book ("2026-12-03T15:00", emil, MESO_AREA_NECK, NULL, NULL);

  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  expect_grid_matches_store (&f, "this week", 3);

  page_to (&f, "schedule.next", "2026-11-23", 1);
  page_to (&f, "schedule.next", "2026-11-30", 2);
  /* Emil has no practitioner: Thursday's column of nobody. */
  expect_place (&f, emil_thursday, 3, NULL);
  page_to (&f, "schedule.previous", "2026-11-23", 1);
  page_to (&f, "schedule.previous", "2026-11-16", 3);

  view_close (&f);
}

typedef struct
{
  MesoScheduleView *view;
  guint             n_loaded;  /* times "loading" went FALSE */
  guint             n_wrong;   /* … with the grid not holding the shown range's */
} LoadWatch;

static void
on_loading_cb (MesoScheduleView *view,
               GParamSpec       *pspec,
               LoadWatch        *watch)
{
  if (meso_schedule_view_get_loading (view))
    return;
  watch->n_loaded++;
  watch->n_wrong += !grid_matches_store (view);
}

/* Two ranges asked at once, neither read ahead: the first one's answer,
 * still on its way when the second is asked, is dropped; only the week
 * asked for last is shown, and "loading" ends once. */
static void
test_stale_load_dropped (void **state)
{
  static const char *const far[][2] = {
    { "2027-01-06", "2027-02-03" },  /* two weeks far ahead, then back to this one */
    { "2026-12-09", "2026-11-18" },
  };
  ViewFixture f = { 0 };
  LoadWatch watch = { 0 };
  gint64 dora = add_patient (fixture->store, "Dora Dahl", FALSE);
  gulong handler;

  book ("2026-12-01T09:00", dora, MESO_AREA_FACE, "Dr. Ada Ames", "Room 1");
  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);

  handler = g_signal_connect (f.view, "notify::loading", G_CALLBACK (on_loading_cb), &watch);
  for (int round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (far); i++)
      {
        guint loaded = watch.n_loaded;
        GDate first = make_day (far[i][0]);
        GDate second = make_day (far[i][1]);

        /* No turn of the main loop between the two: the first is surely in flight. */
        meso_schedule_view_set_date (f.view, &first);
        assert_true (meso_schedule_view_get_loading (f.view));
        meso_schedule_view_set_date (f.view, &second);
        wait_shown (f.view);
        settle (100);
        EXPECT_INT ("loading ended once", loaded + 1, watch.n_loaded);
        EXPECT_INT ("never the stale week", 0, watch.n_wrong);
        assert_true (grid_matches_store (f.view));
      }
  expect_range (&f, "2026-11-16", 7);
  expect_grid_matches_store (&f, "this week", 3);
  g_signal_handler_disconnect (f.view, handler);

  /* Columns switched while a week is being read: the same read goes on
   * and its week is shown, not an empty one. */
  {
    GDate dora_week = make_day ("2026-12-02");

    meso_schedule_view_set_date (f.view, &dora_week);
    assert_true (meso_schedule_view_get_loading (f.view));
    gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.columns", "s", "rooms");
    wait_shown (f.view);
    expect_range (&f, "2026-11-30", 7);
    expect_grid_matches_store (&f, "Dora's week, by room", 1);
  }

  view_close (&f);
}

/* Closed while a range and its neighbours are read: the view goes at
 * once, here. Held by the reads' tasks instead, it went when the last
 * answer came, after its window, or in a worker's thread. */
static void
test_close_while_loading (void **state)
{
  /* Not on the stack: unfixed, the view went after this test returned. */
  static GThread *finalized_in;
  ViewFixture f = { 0 };
  GDate far = make_day ("2027-03-10");

  view_open (&f, 1000);
  note_finalized_in (f.view, &finalized_in);
  /* Not read ahead: read now, and its neighbours after it. */
  meso_schedule_view_set_date (f.view, &far);
  /* Its answer comes back through the main loop, which has not run since. */
  assert_true (meso_schedule_view_get_loading (f.view));

  gtk_window_destroy (f.window);
  assert_ptr_equal (finalized_in, g_thread_self ());
  g_ptr_array_unref (f.booked);
  g_ptr_array_unref (f.recorded);
  /* The cancelled answers arrive, and find nothing to touch. */
  settle (300);
}

/* The weeks beside the shown one are read ahead: the next one shows at
 * once, the store's own; a change to the records forgets what was read
 * ahead, so the week after shows the new appointment. */
static void
test_neighbours_read_ahead (void **state)
{
  ViewFixture f = { 0 };
  gint64 emil = add_patient (fixture->store, "Emil Ek", FALSE);

  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  settle (300);  /* the neighbours' reads */

  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  EXPECT ("next week at once", !meso_schedule_view_get_loading (f.view));
  expect_range (&f, "2026-11-23", 7);
  assert_true (grid_matches_store (f.view));
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.previous", NULL);
  EXPECT ("and back at once", !meso_schedule_view_get_loading (f.view));
  assert_true (grid_matches_store (f.view));
  settle (300);

  /* Booked elsewhere, next week; the application says the records changed. */
  book ("2026-11-26T11:00", emil, MESO_AREA_NECK, "Dr. Ada Ames", "Room 1");
  meso_schedule_view_reload (f.view);
  wait_shown (f.view);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  wait_shown (f.view);
  expect_range (&f, "2026-11-23", 7);
  EXPECT ("the new appointment shown", grid_matches_store (f.view));
  {
    gboolean found = FALSE;
    MesoScheduleGrid *grid = meso_schedule_view_get_grid (f.view);

    for (guint i = 0; i < meso_schedule_grid_get_n_appointments (grid); i++)
      found = found ||
              meso_appointment_get_patient_id (meso_schedule_grid_get_appointment (grid, i)) ==
                emil;
    EXPECT ("Emil's appointment in the grid", found);
  }

  view_close (&f);
}

static guint
count_grid_buttons (MesoScheduleGrid *grid)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += GTK_IS_BUTTON (child);
  return n;
}

/* In the day view the week around the day is read ahead and its buttons
 * made while the window is idle: the Week button then shows it at once and
 * makes no button. */
static void
test_week_prepared_from_day (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GArray) week = NULL;
  guint before;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Week Patient %u", i);
      g_autofree char *start = g_strdup_printf ("2026-11-%02uT%02u:00", 23 + i % 5, 12 + i / 5);

      book (start, add_patient (fixture->store, name, FALSE), MESO_AREA_FACE, "Dr. Ada Ames",
            "Room 1");
    }

  view_open (&f, 1000);
  wait_shown (f.view);
  {
    GDate tuesday = make_day ("2026-11-24");

    meso_schedule_view_set_date (f.view, &tuesday);
    wait_shown (f.view);
  }
  expect_range (&f, "2026-11-24", 1);
  settle (500);  /* the week's read, then its buttons, while idle */
  before = count_grid_buttons (f.grid);

  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  EXPECT ("the week at once", !meso_schedule_view_get_loading (f.view));
  wait_shown (f.view);
  expect_range (&f, "2026-11-23", 7);
  week = stored_ids (f.view);
  assert_true (week->len >= 12);
  EXPECT ("ready beforehand: a button for every block", before >= week->len);
  EXPECT_INT ("no button made", before, count_grid_buttons (f.grid));
  assert_true (grid_matches_store (f.view));

  view_close (&f);
}

static gboolean
at_end (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 0.5;
}

/* The value has not changed over two frames. */
static gboolean
adjustment_still (gpointer data)
{
  GtkAdjustment *adjustment = data;
  double before = gtk_adjustment_get_value (adjustment);

  settle (40);
  return gtk_adjustment_get_value (adjustment) == before;
}

/* A day with more blocks than fit: those far out of sight have no button;
 * scrolling to them makes theirs, named for screen readers; Tab goes
 * through them all, scrolling as it goes. */
static void
test_blocks_made_near_sight (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *practitioners[] = { "Dr. Ada Ames", "Ben Brook" };
  GDate tuesday = make_day ("2026-11-24");
  GtkAdjustment *vadjustment;
  gint64 first_id, last_id;
  GtkWidget *block;
  gboolean reached = FALSE;

  /* 09:00 to 17:00, an hour each, in both columns. */
  for (int hour = 9; hour <= 17; hour++)
    for (guint p = 0; p < G_N_ELEMENTS (practitioners); p++)
      {
        g_autofree char *name = g_strdup_printf ("Patient %02d%c", hour, 'a' + p);
        g_autofree char *start = g_strdup_printf ("2026-11-24T%02d:00", hour);
        gint64 patient = add_patient (fixture->store, name, FALSE);
        gint64 id = book_with_ok (fixture->store, patient, start, MESO_AREA_FACE,
                                  practitioners[p]);

        g_array_append_val (ids, id);
      }
  first_id = g_array_index (ids, gint64, 0);
  last_id = g_array_index (ids, gint64, ids->len - 1);

  /* A short window: a few hours in sight. */
  view_open_sized (&f, 1000, 320);
  meso_schedule_view_set_date (f.view, &tuesday);
  wait_shown (f.view);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f.grid));
  assert_true (gtk_adjustment_get_upper (vadjustment) >
               2 * gtk_adjustment_get_page_size (vadjustment));

  EXPECT_INT ("every appointment held", ids->len, meso_schedule_grid_get_n_appointments (f.grid));
  assert_non_null (block_of (&f, first_id));
  assert_null (block_of (&f, last_id));
  assert_true (meso_schedule_grid_get_n_blocks (f.grid) < ids->len);
  /* Those made near, not in, sight come once the view is still. */
  settle (400);
  assert_null (block_of (&f, last_id));
  assert_true (meso_schedule_grid_get_n_blocks (f.grid) < ids->len);

  /* Scrolled by keyboard (Page Down, as often as it takes) to the end:
   * 17:00's blocks are made, 09:00's let go. */
  for (int page = 0; page < 4; page++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (gtk_widget_get_ancestor (GTK_WIDGET (f.grid),
                                                      GTK_TYPE_SCROLLED_WINDOW),
                             "scroll-child", GTK_SCROLL_PAGE_FORWARD, FALSE, &handled);
      assert_true (handled);
      /* Scrolling is animated: a page is done when the value stops moving. */
      assert_true (wait_for (adjustment_still, vadjustment));
    }
  assert_true (at_end (vadjustment));
  wait_frames (GTK_WIDGET (f.grid));
  block = block_of (&f, last_id);
  assert_non_null (block);
  {
    g_autofree char *name = accessible_label (block);
    g_autofree char *expected = g_strdup_printf (
      "17:00–18:00, Patient 17b, with Ben Brook, %s, %s", meso_area_get_label (MESO_AREA_FACE),
      meso_appointment_status_get_label (MESO_APPOINTMENT_BOOKED));
    graphene_rect_t bounds;

    EXPECT_STR ("the new block's name", expected, name);
    assert_true (gtk_widget_get_mapped (block));
    assert_true (gtk_widget_compute_bounds (block, GTK_WIDGET (f.grid), &bounds));
    assert_true (bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (f.grid)));
  }
  assert_null (block_of (&f, first_id));

  /* Back at the top, Tab from the first block reaches the last, each
   * focused block in sight as it goes. */
  gtk_adjustment_set_value (vadjustment, 0);
  wait_frames (GTK_WIDGET (f.grid));
  settle (400);
  block = block_of (&f, first_id);
  assert_non_null (block);
  assert_true (gtk_widget_grab_focus (block));
  for (guint step = 0; step < 2 * ids->len && !reached; step++)
    {
      MesoAppointment *appointment;
      graphene_rect_t bounds;

      g_signal_emit_by_name (f.window, "move-focus", GTK_DIR_TAB_FORWARD);
      wait_frames (GTK_WIDGET (f.grid));
      block = focused_widget (&f);
      assert_non_null (block);
      if (gtk_widget_get_parent (block) != GTK_WIDGET (f.grid))
        fail_msg ("Tab left the grid after %u steps, before 17:00", step);
      appointment = meso_schedule_grid_block_get_appointment (block);
      assert_non_null (appointment);
      assert_true (gtk_widget_compute_bounds (block, GTK_WIDGET (f.grid), &bounds));
      assert_true (bounds.origin.y >= 0 &&
                   bounds.origin.y + bounds.size.height <= gtk_widget_get_height (
                     GTK_WIDGET (f.grid)));
      reached = meso_appointment_get_id (appointment) == last_id;
    }
  assert_true (reached);

  view_close (&f);
}

/* The blocks made in column @column (NULL: nobody) of day @day, and the
 * "+N more" buttons there, each appointment's id once: for an hour too
 * crowded for its column. */
typedef struct
{
  GPtrArray *blocks;      /* GtkWidget */
  GPtrArray *more;        /* GtkWidget */
  guint      n_folded;    /* what the "+N more" buttons stand for */
} ColumnContents;

static void
column_contents (ViewFixture    *f,
                 guint           day,
                 const char     *column,
                 ColumnContents *contents)
{
  contents->blocks = g_ptr_array_new ();
  contents->more = g_ptr_array_new ();
  contents->n_folded = 0;
  for (guint i = 0; i < meso_schedule_grid_get_n_blocks (f->grid) +
                        meso_schedule_grid_get_n_more (f->grid); i++)
    {
      gboolean is_more = i >= meso_schedule_grid_get_n_blocks (f->grid);
      GtkWidget *widget = is_more ?
                          meso_schedule_grid_get_more (
                            f->grid, i - meso_schedule_grid_get_n_blocks (f->grid)) :
                          meso_schedule_grid_get_block (f->grid, i);
      const char *found_column = NULL;
      guint found_day = G_MAXUINT;

      meso_schedule_grid_block_get_place (f->grid, widget, &found_day, &found_column);
      if (found_day != day || g_strcmp0 (found_column, column) != 0)
        continue;
      g_ptr_array_add (is_more ? contents->more : contents->blocks, widget);
      contents->n_folded += meso_schedule_grid_more_get_count (widget);
    }
}

static void
column_contents_clear (ColumnContents *contents)
{
  g_clear_pointer (&contents->blocks, g_ptr_array_unref);
  g_clear_pointer (&contents->more, g_ptr_array_unref);
}

/* The grid's popover on screen, if any. */
static GtkWidget *
shown_popover (ViewFixture *f)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child) && gtk_widget_get_mapped (child))
      return child;
  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  return shown_popover (data) != NULL;
}

static gboolean
no_popover_shown (gpointer data)
{
  return shown_popover (data) == NULL;
}

/* Eight patients at 15:00 with nobody: as many lanes as fit side by side,
 * none narrower than a name, and the others in one "+N more" button that
 * lists them; choosing one there opens its popover, whose actions act on
 * it. In a week's narrow column the eight are one "+8 more". */
static void
test_crowded_hour_folds (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ColumnContents contents = { 0 };
  GtkWidget *more, *row, *popover;
  g_autofree char *expected = NULL;
  gint64 chosen;
  guint n_rows = 0;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("Crowded %u", i);
      gint64 id = book ("2026-11-20T15:00", add_patient (fixture->store, name, FALSE),
                        MESO_AREA_FACE, NULL, NULL);

      g_array_append_val (ids, id);
    }

  view_open (&f, 1000);
  column_contents (&f, 0, NULL, &contents);
  EXPECT_INT ("one \"+N more\"", 1, contents.more->len);
  EXPECT_INT ("every one shown or folded", ids->len, contents.blocks->len + contents.n_folded);
  assert_true (contents.blocks->len >= 2);
  assert_true (contents.n_folded >= 2);
  more = g_ptr_array_index (contents.more, 0);
  expected = g_strdup_printf ("%u more appointments, 15:00–16:00", contents.n_folded);
  {
    g_autofree char *name = accessible_label (more);

    EXPECT_STR ("the button's name", expected, name);
  }
  /* Side by side: none overlaps another, none is a sliver. */
  g_ptr_array_add (contents.blocks, more);
  for (guint i = 0; i < contents.blocks->len; i++)
    {
      graphene_rect_t a, b;

      assert_true (gtk_widget_compute_bounds (g_ptr_array_index (contents.blocks, i),
                                              GTK_WIDGET (f.grid), &a));
      assert_true (a.size.width >= 40);
      for (guint j = 0; j < i; j++)
        {
          assert_true (gtk_widget_compute_bounds (g_ptr_array_index (contents.blocks, j),
                                                  GTK_WIDGET (f.grid), &b));
          assert_false (graphene_rect_intersection (&a, &b, NULL));
        }
    }
  g_ptr_array_remove_index (contents.blocks, contents.blocks->len - 1);
  for (guint i = 0; i < contents.blocks->len; i++)
    {
      gint64 id = meso_appointment_get_id (
        meso_schedule_grid_block_get_appointment (g_ptr_array_index (contents.blocks, i)));

      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
    }

  /* By keyboard: Tab goes from the column's last block to it, and Enter
   * (a button's "activate") opens its list, with the focus in it. */
  {
    GtkWidget *before = gtk_widget_get_prev_sibling (more);
    GtkWidget *focus;

    assert_true (g_ptr_array_find (contents.blocks, before, NULL));
    assert_true (gtk_widget_grab_focus (before));
    g_signal_emit_by_name (f.window, "move-focus", GTK_DIR_TAB_FORWARD);
    assert_true (focused_widget (&f) == more);
    gtk_widget_activate (more);
    assert_true (wait_for (popover_shown, &f));
    focus = focused_widget (&f);
    assert_non_null (focus);
    assert_true (gtk_widget_is_ancestor (focus, shown_popover (&f)));
    /* Closed (Escape does the same), the focus is back on the button. */
    gtk_popover_popdown (GTK_POPOVER (shown_popover (&f)));
    assert_true (wait_for (no_popover_shown, &f));
    assert_true (focused_widget (&f) == more);
  }

  /* Clicked, it lists the others, each once. */
  g_signal_emit_by_name (more, "clicked");
  assert_true (wait_for (popover_shown, &f));
  popover = shown_popover (&f);
  row = find_descendant (popover, GTK_TYPE_BUTTON);
  assert_non_null (row);
  for (GtkWidget *w = row; w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      MesoAppointment *appointment = meso_schedule_grid_block_get_appointment (w);
      gint64 id = meso_appointment_get_id (appointment);
      g_autofree char *label = g_strdup (gtk_button_get_label (GTK_BUTTON (w)));

      EXPECT_CONTAINS ("a row names its patient", label,
                       meso_appointment_get_patient_name (appointment));
      assert_false (g_hash_table_contains (seen, &id));
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      n_rows++;
    }
  EXPECT_INT ("rows listed", contents.n_folded, n_rows);
  for (guint i = 0; i < ids->len; i++)
    assert_true (g_hash_table_contains (seen, &g_array_index (ids, gint64, i)));

  /* The first row chosen: its popover, and its actions act on it. */
  chosen = meso_appointment_get_id (meso_schedule_grid_block_get_appointment (row));
  g_signal_emit_by_name (row, "clicked");
  assert_true (wait_for (popover_shown, &f));
  assert_true (shown_popover (&f) != popover);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.no-show", NULL);
  EXPECT_INT ("the chosen one is a no-show", MESO_APPOINTMENT_NO_SHOW, stored_status (chosen));
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) != chosen)
      EXPECT_INT ("the others are not", MESO_APPOINTMENT_BOOKED,
                  stored_status (g_array_index (ids, gint64, i)));
  column_contents_clear (&contents);

  /* The week: Friday is one column, everyone's; the eight at 15:00 fold
   * beyond the lanes that fit it. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  column_contents (&f, 4, NULL, &contents);
  EXPECT_INT ("one \"+N more\" in the week", 1, contents.more->len);
  EXPECT_INT ("Friday's every one shown or folded in the week", ids->len + 3,
              contents.blocks->len + contents.n_folded);
  assert_true (contents.n_folded >= 2);
  column_contents_clear (&contents);
  /* Not folded where there is nothing to fold. */
  expect_place (&f, anna_today, 4, NULL);

  view_close (&f);
}

/* ---------------------------------------------------------------- a readable week */

static gboolean
label_text_is (GtkWidget     *widget,
               gconstpointer  text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  return find_matching (widget, GTK_TYPE_LABEL, label_text_is, text);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* Issue 15: paging to a neighbour read ahead asks the view's own store
 * nothing (the columns and hours are kept from the load before; on a
 * server each was a round trip, nine a page); a reload reads them again. */
/* A date chosen far from the one shown: the reads still queued around the
 * old one are dropped, so the new one does not wait behind them on the
 * workers' connection (what is read already stays). */
static void
test_date_chosen_drops_reads_ahead (void **state)
{
  ViewFixture f = { 0 };
  GDate away, further;

  view_open (&f, 1000);
  settle (300);
  g_date_clear (&away, 1);
  g_date_set_dmy (&away, 14, G_DATE_JANUARY, 2027);
  further = away;
  g_date_add_days (&further, 70);

  meso_schedule_view_set_date (f.view, &away);
  /* Shown, and its neighbours' reads started in the same turn of the main
   * loop, their answers not in yet. */
  assert_true (wait_for (is_loaded, f.view));
  EXPECT ("its neighbours being read", meso_schedule_view_get_n_reading (f.view) >= 2);
  meso_schedule_view_set_date (f.view, &further);
  EXPECT_INT ("only the date chosen", 1, meso_schedule_view_get_n_reading (f.view));
  wait_shown (f.view);
  assert_true (grid_matches_store (f.view));
  view_close (&f);
}

static void
test_paging_asks_nothing (void **state)
{
  ViewFixture f = { 0 };
  MesoDb *db = meso_store_get_db (fixture->store);
  g_autoptr(GError) error = NULL;
  gint64 before;

  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  settle (300);  /* the neighbours' reads, on the worker's connection */

  before = meso_db_get_statements (db);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  EXPECT ("next week at once", !meso_schedule_view_get_loading (f.view));
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.previous", NULL);
  EXPECT ("and back at once", !meso_schedule_view_get_loading (f.view));
  assert_int_equal (meso_db_get_statements (db) - before, 0);
  assert_true (grid_matches_store (f.view));

  /* A new clinician: the next reload's columns have her. */
  assert_true (meso_store_add_practitioner (fixture->store, "Cleo Cole", MESO_ROLE_CLINICIAN,
                                            &error));
  EXPECT_NO_ERROR ("a new clinician", error);
  meso_schedule_view_reload (f.view);
  wait_shown (f.view);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
  wait_shown (f.view);
  EXPECT ("her colour in the legend", find_label (GTK_WIDGET (f.view), "Cleo Cole") != NULL);
  view_close (&f);

  /* The next page, read ahead, wide (a week) and narrow (a day). */
  for (guint i = 0; i < 2; i++)
    {
      int width = i == 0 ? 1280 : 360;
      g_autofree char *shot = g_strdup_printf ("schedule-paged-%d", width);

      view_open_sized (&f, width, 720);
      gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
      wait_shown (f.view);
      settle (300);
      gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.next", NULL);
      EXPECT ("the next page at once", !meso_schedule_view_get_loading (f.view));
      assert_true (grid_matches_store (f.view));
      take_screenshot (shot);
      view_close (&f);
    }
}

static void
test_week_columns_colors_filter (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) four = local_dt ("2026-11-20T16:00");
  GtkWidget *legend, *drop_down;
  const char *practitioner = NULL;
  gint64 start = 0;
  double x, y;

  /* A receptionist treats nobody: no column, no colour. */
  assert_true (meso_store_add_practitioner (fixture->store, "Rita Desk", MESO_ROLE_RECEPTIONIST,
                                            &error));
  EXPECT_NO_ERROR ("receptionist", error);
  view_open (&f, 1280);

  /* The day: a column for each who treats. */
  assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Dr. Ada Ames", 15 * 60, &x, &y));
  assert_true (meso_schedule_grid_slot_position (f.grid, 0, "Ben Brook", 15 * 60, &x, &y));
  assert_false (meso_schedule_grid_slot_position (f.grid, 0, "Rita Desk", 15 * 60, &x, &y));
  /* Each practitioner's blocks in their colour, by name: Ben's first. */
  EXPECT_INT ("Ada's colour", 2, meso_schedule_grid_block_get_color (f.grid,
                                                                       block_of (&f, anna_today)));
  EXPECT_INT ("Ada's colour again", 2,
              meso_schedule_grid_block_get_color (f.grid, block_of (&f, carla_today)));
  EXPECT_INT ("Ben's colour", 1, meso_schedule_grid_block_get_color (f.grid,
                                                                       block_of (&f, bert_today)));

  /* The week: one column a day, with no practitioner's; the colours stay,
   * and the legend names them. */
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_shown (f.view);
  expect_range (&f, "2026-11-16", 7);
  assert_true (meso_schedule_grid_slot_position (f.grid, 4, NULL, 15 * 60, &x, &y));
  assert_false (meso_schedule_grid_slot_position (f.grid, 4, "Ben Brook", 15 * 60, &x, &y));
  /* All seven days in sight at 1280 pixels. */
  assert_true (meso_schedule_grid_slot_position (f.grid, 6, NULL, 15 * 60, &x, &y));
  EXPECT_INT ("Ben's colour in the week", 1,
              meso_schedule_grid_block_get_color (f.grid, block_of (&f, bert_today)));
  legend = find_descendant (GTK_WIDGET (f.view), GTK_TYPE_FLOW_BOX);
  assert_non_null (legend);
  assert_true (gtk_widget_get_visible (legend));
  EXPECT_INT ("the legend: those who treat", 2, count_children (legend));
  assert_non_null (find_label (legend, "Dr. Ada Ames"));
  assert_non_null (find_label (legend, "Ben Brook"));
  assert_null (find_label (legend, "Rita Desk"));

  /* The filter: one practitioner's week. */
  meso_schedule_view_set_filter (f.view, "Ben Brook", FALSE);
  wait_shown (f.view);
  EXPECT_INT ("Ben's week", 1, meso_schedule_grid_get_n_blocks (f.grid));
  assert_non_null (block_of (&f, bert_today));
  /* An empty slot of the filtered week books with that practitioner. */
  assert_true (meso_schedule_grid_slot_position (f.grid, 4, NULL, 16 * 60, &x, &y));
  click_grid (f.grid, x, y);
  EXPECT_INT ("win.book once", 1, f.booked->len);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 0), "start", "x", &start));
  EXPECT_INT ("the slot's start", g_date_time_to_unix (four), start);
  assert_true (g_variant_lookup (g_ptr_array_index (f.booked, 0), "practitioner", "&s",
                                 &practitioner));
  EXPECT_STR ("the filter's practitioner", "Ben Brook", practitioner);

  /* One room's, by the drop-down: Everyone, Ben, Ada, Room 1, Room 2. */
  drop_down = find_descendant (GTK_WIDGET (f.view), GTK_TYPE_DROP_DOWN);
  assert_non_null (drop_down);
  EXPECT_INT ("the choices", 5, g_list_model_get_n_items (
                                  gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down))));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 3);
  wait_shown (f.view);
  EXPECT_INT ("Room 1's week", 1, meso_schedule_grid_get_n_blocks (f.grid));
  assert_non_null (block_of (&f, anna_today));

  /* Everyone again. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 0);
  wait_shown (f.view);
  EXPECT_INT ("everyone's week", 3, meso_schedule_grid_get_n_blocks (f.grid));

  view_close (&f);
}

static gboolean
shows_n_days (gpointer data)
{
  ViewFixture *f = data;
  GDate first;
  guint n_days;

  meso_schedule_view_get_range (f->view, &first, &n_days);
  return n_days == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->view), "wanted-days"));
}

static void
wait_n_days (ViewFixture *f,
             guint        n_days)
{
  g_object_set_data (G_OBJECT (f->view), "wanted-days", GUINT_TO_POINTER (n_days));
  assert_true (wait_for (shows_n_days, f));
  wait_shown (f->view);
}

static void
test_narrow_shows_day (void **state)
{
  ViewFixture f = { 0 };
  g_autofree char *span = NULL;

  view_open (&f, 1000);
  gtk_widget_activate_action (GTK_WIDGET (f.view), "schedule.span", "s", "week");
  wait_n_days (&f, 7);

  /* Narrow: the day, the week still chosen for when it is wide again. */
  gtk_window_set_default_size (f.window, 360, 700);
  wait_n_days (&f, 1);
  expect_range (&f, "2026-11-20", 1);
  expect_place (&f, anna_today, 0, "Dr. Ada Ames");
  g_object_get (f.view, "span", &span, NULL);
  EXPECT_STR ("the week still chosen", "week", span);

  gtk_window_set_default_size (f.window, 1000, 700);
  wait_n_days (&f, 7);
  expect_range (&f, "2026-11-16", 7);

  view_close (&f);
}

static void
drop_on (ViewFixture *f,
         gint64       id,
         const char  *column,
         int          minute)
{
  GtkEventController *target = find_controller (GTK_WIDGET (f->grid), GTK_TYPE_DROP_TARGET);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean dropped = FALSE;
  double x, y;

  assert_non_null (target);
  assert_true (meso_schedule_grid_slot_position (f->grid, 0, column, minute, &x, &y));
  g_value_init (&value, MESO_TYPE_APPOINTMENT);
  g_value_set_object (&value, meso_schedule_grid_block_get_appointment (block_of (f, id)));
  g_signal_emit_by_name (target, "drop", &value, x, y, &dropped);
  assert_true (dropped);
}

static void
test_drag_moves_through_rules (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) stored = NULL;
  g_autoptr(GDateTime) four = local_dt ("2026-11-20T16:00");
  g_autoptr(GDateTime) ten = local_dt ("2026-11-20T10:00");
  GtkWindow *dialog;

  view_open (&f, 1000);
  /* A block is dragged, the grid takes the drop. */
  assert_non_null (find_controller (block_of (&f, anna_today), GTK_TYPE_DRAG_SOURCE));

  /* Onto Ada's 13:00, where Carla is: refused with the conflict's words,
   * and nothing moves. */
  drop_on (&f, anna_today, "Dr. Ada Ames", 13 * 60);
  assert_true (wait_for (message_dialog_shown, NULL));
  dialog = find_message_dialog ();
  EXPECT_CONTAINS ("the rule's message", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                   "Conflict: Dr. Ada Ames already has appointment");
  gtk_window_destroy (dialog);
  stored = meso_store_get_appointment (fixture->store, anna_today, &error);
  EXPECT_NO_ERROR ("get", error);
  assert_true (g_date_time_equal (ten, meso_appointment_get_start (stored)));
  EXPECT_STR ("still Ada's", "Dr. Ada Ames", meso_appointment_get_practitioner (stored));
  g_clear_object (&stored);

  /* Onto Ben's free 16:00: moved, to him. */
  wait_shown (f.view);
  drop_on (&f, anna_today, "Ben Brook", 16 * 60);
  wait_shown (f.view);
  assert_null (find_message_dialog ());
  stored = meso_store_get_appointment (fixture->store, anna_today, &error);
  EXPECT_NO_ERROR ("get", error);
  assert_true (g_date_time_equal (four, meso_appointment_get_start (stored)));
  EXPECT_STR ("now Ben's", "Ben Brook", meso_appointment_get_practitioner (stored));
  expect_place (&f, anna_today, 0, "Ben Brook");

  view_close (&f);
}

/* ---------------------------------------------------------------- in the window */

static gboolean
has_n_blocks (gpointer data)
{
  MesoScheduleView *view = data;

  return meso_schedule_grid_get_n_blocks (meso_schedule_view_get_grid (view)) == 2;
}

static void
test_window_show_date_and_reload (void **state)
{
  MesoWindow *window = meso_window_new (app);
  g_autoptr(GDateTime) monday = local_dt ("2026-11-23T10:00");
  GtkWidget *view;
  GDate day;

  gtk_window_present (GTK_WINDOW (window));
  assert_true (wait_for (is_mapped, window));
  view = find_descendant (GTK_WIDGET (window), MESO_TYPE_SCHEDULE_VIEW);
  assert_non_null (view);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-date", "x",
                              g_date_time_to_unix (monday));
  EXPECT_STR ("the schedule is shown", "schedule", meso_window_get_visible_view (window));
  meso_schedule_view_get_date (MESO_SCHEDULE_VIEW (view), &day);
  expect_date ("on that day", "2026-11-23", &day);
  wait_shown (MESO_SCHEDULE_VIEW (view));
  EXPECT_INT ("Monday's block", 1, meso_schedule_grid_get_n_blocks (
                                     meso_schedule_view_get_grid (MESO_SCHEDULE_VIEW (view))));

  /* A booking by another connection shows once the application says so. */
  gtk_widget_activate_action (view, "schedule.span", "s", "week");
  wait_shown (MESO_SCHEDULE_VIEW (view));
  assert_false (has_n_blocks (view));
  book ("2026-11-24T10:00", carla_id, MESO_AREA_BODY, "Ben Brook", NULL);
  meso_application_store_changed (app);
  assert_true (wait_for (has_n_blocks, view));

  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
}

static int
setup_window (void **state)
{
  setup (state);
  g_setenv ("MESODESK_DATABASE", fixture->path, TRUE);
  return 0;
}

/* Xvfb reports no monitor to GDK, which then complains while placing a
 * popover; only that complaint is let through, every other critical stays
 * fatal. */
static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "Gdk") == 0 &&
           strstr (message, "gdk_monitor_get_geometry") != NULL);
}

int
main (int    argc,
      char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_blocks_in_place, setup, teardown),
    cmocka_unit_test_setup_teardown (test_free_slot_books, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cancel_and_no_show, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reload_keeps_focus, setup, teardown),
    cmocka_unit_test_setup_teardown (test_check_in, setup, teardown),
    cmocka_unit_test_setup_teardown (test_popover_phone_and_record, setup, teardown),
    cmocka_unit_test_setup_teardown (test_day_list, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ics_export, setup, teardown),
    cmocka_unit_test_setup_teardown (test_paging_matches_store, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stale_load_dropped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_neighbours_read_ahead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_paging_asks_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_date_chosen_drops_reads_ahead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_close_while_loading, setup, teardown),
    cmocka_unit_test_setup_teardown (test_week_prepared_from_day, setup, teardown),
    cmocka_unit_test_setup_teardown (test_blocks_made_near_sight, setup, teardown),
    cmocka_unit_test_setup_teardown (test_crowded_hour_folds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_week_columns_colors_filter, setup, teardown),
    cmocka_unit_test_setup_teardown (test_narrow_shows_day, setup, teardown),
    cmocka_unit_test_setup_teardown (test_drag_moves_through_rules, setup, teardown),
    /* Last: the application keeps its store open on this database. */
    cmocka_unit_test_setup_teardown (test_window_show_date_and_reload, setup_window, teardown),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int failed, unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  data_home = use_temp_data_home ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();

  app = meso_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("could not register the application: %s\n", error->message);
      return 1;
    }

  meso_test_filter_from_env ();

  failed = cmocka_run_group_tests_name ("schedule-view", tests, NULL, NULL);

  g_clear_object (&app);
  remove_tree (data_home);
  return failed;
}
