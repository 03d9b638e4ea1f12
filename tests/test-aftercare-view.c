/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Aftercare view on a real SQLite file seeded through the store, in a real
 * (Xvfb) display, inside a real MesoWindow and MesoApplication. "Today" is
 * 2026-03-29 in Europe/Berlin, the day the clocks go forward. Every section must
 * hold exactly what meso_store_list_reminders() lists for the same day, in its
 * order; the actions write through the store and the rows follow. No mocks. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-aftercare-row.h"
#include "meso-aftercare-view.h"
#include "meso-booking-dialog.h"
#include "meso-i18n.h"
#include "meso-contact-dialog.h"
#include "meso-reminder-item.h"
#include "meso-reminder-list.h"
#include "meso-window.h"

#include "meso-call-list.h"
#include "meso-exchange.h"
#include "meso-test-core.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define NOW               "2026-03-29T10:00"
#define TODAY             "2026-03-29"
#define N_PAGING          130   /* overdue patients: more than two pages */

static StoreFixture      *fixture;
static MesoApplication   *app;
static MesoWindow        *window;
static MesoAftercareView *view;

/* The hand-made patients. */
static gint64 dora;     /* session the evening before the clocks change */
static gint64 bruno;    /* in his window, next session booked */
static gint64 nora;     /* in her window, nothing booked */
static gint64 sina;     /* sensitive skin, 37 days: not due yet */
static gint64 selma;    /* sensitive skin, 56 days: due */
static gint64 dieter;   /* declined in the store */
static gint64 olga;     /* overdue; her course is finished in the view */
static gint64 otto;     /* overdue; declines in the view */
static gint64 paula;    /* a phone, a session yesterday, her follow-up booked */

static gboolean
view_settled (gpointer data)
{
  return !meso_aftercare_view_get_loading (MESO_AFTERCARE_VIEW (data));
}

/* Waits for a reload that a write started (through store-changed, from an idle). */
static void
wait_for_reload (void)
{
  settle (50);
  assert_true (wait_for (view_settled, view));
  settle (100);  /* a frame or two, for the rows to be bound */
}

/* The section's rows are the store's panel rows of @panel, in their order. */
static void
expect_section (const char       *section,
                const char       *day,
                MesoPanelSection  panel)
{
  g_autoptr(GError) error = NULL;
  GDate date = make_day (day);
  g_autoptr(GPtrArray) list = meso_store_list_panel_page (fixture->store, &date, panel, 0, 0,
                                                          &error);
  GListModel *model = meso_aftercare_view_get_section (view, section);
  guint position = 0;

  EXPECT_NO_ERROR ("panel rows", error);
  assert_non_null (list);
  for (guint i = 0; i < list->len; i++)
    {
      MesoReminder *expected = g_ptr_array_index (list, i);
      g_autoptr(MesoReminderItem) item = NULL;
      const MesoReminder *shown;

      item = g_list_model_get_item (model, position++);
      assert_non_null (item);
      shown = meso_reminder_item_get_reminder (item);
      assert_non_null (shown);
      EXPECT_INT (section, expected->kind, shown->kind);
      EXPECT_INT (section, expected->patient_id, shown->patient_id);
      EXPECT_INT (section, expected->session_id, shown->session_id);
      EXPECT_STR (section, expected->patient, shown->patient);
      EXPECT_INT (section, expected->sensitive_skin, shown->sensitive_skin);
      EXPECT_INT (section, expected->until, shown->until);
      EXPECT_INT (section, expected->sun_protection_until, shown->sun_protection_until);
    }
  EXPECT_INT (section, position, g_list_model_get_n_items (model));
  assert_null (g_list_model_get_item (model, position));
}

static void
expect_all_sections (const char *day)
{
  expect_section (MESO_AFTERCARE_SECTION_TODAY, day, MESO_PANEL_TODAY);
  expect_section (MESO_AFTERCARE_SECTION_DUE, day, MESO_PANEL_DUE);
  expect_section (MESO_AFTERCARE_SECTION_OVERDUE, day, MESO_PANEL_OVERDUE);
  expect_section (MESO_AFTERCARE_SECTION_LAPSED, day, MESO_PANEL_LAPSED);
}

/* Which sections list @patient_id, e.g. "today due" (one word per entry). */
static char *
sections_of (gint64 patient_id)
{
  static const char *const names[] = {
    MESO_AFTERCARE_SECTION_TODAY, MESO_AFTERCARE_SECTION_DUE, MESO_AFTERCARE_SECTION_OVERDUE,
    MESO_AFTERCARE_SECTION_LAPSED,
  };
  GString *found = g_string_new (NULL);

  for (guint s = 0; s < G_N_ELEMENTS (names); s++)
    {
      GListModel *model = meso_aftercare_view_get_section (view, names[s]);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(MesoReminderItem) item = g_list_model_get_item (model, i);
          const MesoReminder *r = meso_reminder_item_get_reminder (item);

          if (r != NULL && r->patient_id == patient_id)
            g_string_append_printf (found, "%s%s", found->len > 0 ? " " : "", names[s]);
        }
    }
  return g_string_free (found, FALSE);
}

static void
expect_sections_of (const char *what,
                    gint64      patient_id,
                    const char *expected)
{
  g_autofree char *found = sections_of (patient_id);

  EXPECT_STR (what, expected, found);
}

/* The drawn row of @patient_id in the visible section; NULL if none is drawn. */
static MesoAftercareRow *
find_row (GtkWidget *widget,
          gint64     patient_id)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return NULL;
  if (MESO_IS_AFTERCARE_ROW (widget))
    {
      MesoReminderItem *item = meso_aftercare_row_get_item (MESO_AFTERCARE_ROW (widget));
      const MesoReminder *r = item != NULL ? meso_reminder_item_get_reminder (item) : NULL;

      return r != NULL && r->patient_id == patient_id ? MESO_AFTERCARE_ROW (widget) : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MesoAftercareRow *row = find_row (child, patient_id);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The labels of @widget's visible descendants, joined by "|". */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
row_text (MesoAftercareRow *row)
{
  GString *text = g_string_new (NULL);

  collect_text (GTK_WIDGET (row), text);
  return g_string_free (text, FALSE);
}

/* The one toplevel of @type other than the main window, once it is shown. */
static GtkWindow *
find_dialog (GType type)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_USEC;

  while (g_get_monotonic_time () < deadline)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          GtkWindow *toplevel = g_list_model_get_item (toplevels, i);

          /* GTK keeps its toplevels: the reference taken here is not needed. */
          g_object_unref (toplevel);
          if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
              gtk_widget_get_visible (GTK_WIDGET (toplevel)))
            return toplevel;
        }
      g_main_context_iteration (NULL, FALSE);
    }
  fail_msg ("no dialog of type %s appeared", g_type_name (type));
  return NULL;
}

static MesoAftercareRow *
shown_row (const char *section,
           gint64      patient_id)
{
  MesoAftercareRow *row;

  meso_aftercare_view_show_section (view, section);
  settle (150);
  row = find_row (GTK_WIDGET (view), patient_id);
  assert_non_null (row);
  return row;
}

/* ------------------------------------------------------------------ tests */

static void
test_sections_hold_the_right_patients (void **state)
{
  guint counts[MESO_AFTERCARE_OVERDUE + 1] = { 0 };
  g_autoptr(GError) error = NULL;
  GDate today = make_day (TODAY);

  expect_all_sections (TODAY);

  /* The cases one by one, so a wrong store and a wrong view cannot agree. */
  /* No water and sun protection of one area: one row (issue 17). */
  expect_sections_of ("session before the clocks change", dora, "today");
  expect_sections_of ("booked: not listed", bruno, "");
  expect_sections_of ("in the window, nothing booked", nora, "due");
  expect_sections_of ("sensitive at 37 days: not yet", sina, "");
  expect_sections_of ("sensitive at 56 days: due", selma, "due");
  expect_sections_of ("declined: never listed", dieter, "");
  expect_sections_of ("overdue", olga, "overdue");
  expect_sections_of ("overdue", otto, "overdue");

  assert_true (meso_store_count_reminders (fixture->store, &today, counts, &error));
  assert_true (counts[MESO_AFTERCARE_OVERDUE] > 2 * MESO_REMINDER_LIST_PAGE_SIZE);
  /* Walking every overdue row kept no more pages than the bound. */
  {
    GListModel *overdue = meso_aftercare_view_get_section (view, MESO_AFTERCARE_SECTION_OVERDUE);

    assert_true (meso_reminder_list_get_n_cached_pages (MESO_REMINDER_LIST (overdue))
                 <= MESO_REMINDER_LIST_MAX_PAGES);
  }

  /* The rows on screen: the 24 hours without water end at 19:00 on the clock, an
   * hour was lost overnight; sun protection for three calendar days. */
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_TODAY, dora);
    g_autofree char *text = row_text (row);
    g_autoptr(GDateTime) until = local_dt ("2026-03-29T19:00");
    g_autofree char *until_text = meso_format_date_time (until);

    EXPECT_CONTAINS ("no water", text, "Dora Dusche");
    EXPECT_CONTAINS ("no water", text, until_text);
    EXPECT_CONTAINS ("no water", text, meso_area_get_label (MESO_AREA_FACE));
    EXPECT_CONTAINS ("no water", text, _("yesterday"));
    EXPECT_NOT_CONTAINS ("no water", text, _("Sensitive skin"));
  }
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_DUE, selma);
    g_autofree char *text = row_text (row);

    EXPECT_CONTAINS ("sensitive", text, "Selma Sensibel");
    EXPECT_CONTAINS ("sensitive", text, _("Sensitive skin"));
    EXPECT_CONTAINS ("sensitive", text, "56");
  }
}

/* The button of @action_name in @widget's tree; NULL if none. */
static GtkWidget *
find_action_widget (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_widget (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A row to call from: the phone and its copy button, no Book where the follow-up
 * is booked (its date instead), and compact: 12 and more rows in 800 pixels. */
static void
test_rows_to_call_from (void **state)
{
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_TODAY, paula);
    g_autofree char *text = row_text (row);
    GtkWidget *book = find_action_widget (GTK_WIDGET (row), "row.book");
    GtkWidget *copy = find_action_widget (GTK_WIDGET (row), "row.copy-phone");

    EXPECT_CONTAINS ("the phone", text, "0170 5550123");
    EXPECT_CONTAINS ("the booked follow-up", text, "30");
    assert_non_null (book);
    EXPECT ("no Book where the follow-up is booked", !gtk_widget_is_visible (book));
    assert_non_null (copy);
    EXPECT ("the copy button shows", gtk_widget_is_visible (copy));
  }
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_DUE, nora);
    GtkWidget *book = find_action_widget (GTK_WIDGET (row), "row.book");
    GtkWidget *copy = find_action_widget (GTK_WIDGET (row), "row.copy-phone");

    EXPECT ("Book where nothing is booked", gtk_widget_is_visible (book));
    EXPECT ("no phone: no copy button", !gtk_widget_is_visible (copy));
  }
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_OVERDUE, olga);
    g_autofree char *text = row_text (row);
    gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_USEC;
    int height;

    /* Under load the row may be bound a frame before it is allocated. */
    while (gtk_widget_get_height (GTK_WIDGET (row)) == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    height = gtk_widget_get_height (GTK_WIDGET (row));

    EXPECT_CONTAINS ("the overdue row's phone", text, "+49 30 987654");
    print_message ("aftercare row height: %d px\n", height);
    /* MESODESK_SHOT_DIR: screenshots of the section to look at, wide and narrow. */
    if (g_getenv ("MESODESK_SHOT_DIR") != NULL)
      for (guint w = 0; w < 2; w++)
        {
          static const int widths[] = { 1280, 360 };
          g_autofree char *file = g_strdup_printf ("%s/aftercare-overdue-%s-%d.png",
                                                   g_getenv ("MESODESK_SHOT_DIR"),
                                                   g_getenv ("LANGUAGE") != NULL
                                                     ? g_getenv ("LANGUAGE") : "en",
                                                   widths[w]);
          g_autofree char *command = g_strdup_printf ("import -window root %s", file);

          gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 800);
          settle (800);
          g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
        }
    EXPECT ("a compact row (at most 56 px)", height > 0 && height <= 56);
  }
}

static gboolean
view_is_wide (gpointer data)
{
  return !view_is_narrow (data);
}

/* At 360 pixels a row's name is whole and the phone number too (a line of
 * its own), and the switcher's three names each take one line; wide again,
 * the rows are as before. Run with LANGUAGE=de too (the german test does). */
static void
test_narrow_rows (void **state)
{
  MesoAftercareRow *row;
  GtkWidget *name, *phone, *switcher;
  graphene_rect_t name_bounds, phone_bounds;
  g_autofree char *layout = NULL;

  g_object_get (gtk_settings_get_default (), "gtk-decoration-layout", &layout, NULL);
  /* GNOME's title bar buttons, so the header bar can shrink to 360 pixels. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 800);
  assert_true (wait_for (view_is_narrow, view));
  row = shown_row (MESO_AFTERCARE_SECTION_OVERDUE, olga);
  settle (200);
  name = find_shown_label (GTK_WIDGET (row), "Olga Offen");
  phone = find_shown_label (GTK_WIDGET (row), "+49 30 987654");
  assert_non_null (name);
  assert_non_null (phone);
  expect_labels_whole (name, "the name at 360 pixels");
  expect_labels_whole (phone, "the phone at 360 pixels");
  /* The phone under the name, not beside it. */
  assert_true (gtk_widget_compute_bounds (name, GTK_WIDGET (row), &name_bounds));
  assert_true (gtk_widget_compute_bounds (phone, GTK_WIDGET (row), &phone_bounds));
  EXPECT ("the phone on a line below the name",
          phone_bounds.origin.y >= name_bounds.origin.y + name_bounds.size.height - 1);

  expect_fits (window, 360, "the window on the Aftercare view");
  switcher = find_matching (GTK_WIDGET (view), GTK_TYPE_BOX, widget_named,
                            "aftercare-switcher");
  expect_labels_whole (switcher, "the section switcher at 360 pixels");
  expect_labels_one_line (switcher, "the section switcher at 360 pixels");
  EXPECT ("the switcher fits", minimum_width (switcher) <= gtk_widget_get_width (switcher));
  take_screenshot ("aftercare-narrow-360");

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", layout, NULL);
  assert_true (wait_for (view_is_wide, view));
  settle (200);
  row = find_row (GTK_WIDGET (view), olga);
  assert_non_null (row);
  name = find_shown_label (GTK_WIDGET (row), "Olga Offen");
  phone = find_shown_label (GTK_WIDGET (row), "+49 30 987654");
  assert_true (gtk_widget_compute_bounds (name, GTK_WIDGET (row), &name_bounds));
  assert_true (gtk_widget_compute_bounds (phone, GTK_WIDGET (row), &phone_bounds));
  EXPECT ("wide, the phone beside the name", phone_bounds.origin.x > name_bounds.origin.x &&
          phone_bounds.origin.y < name_bounds.origin.y + name_bounds.size.height);
}

static gboolean
booking_settled (gpointer data)
{
  return !meso_booking_dialog_get_suggesting (MESO_BOOKING_DIALOG (data));
}

/* Book on an overdue row, on a Sunday: the dialog proposes Monday's opening
 * (not now, not the window long closed) with the first practitioner free
 * then, who treats, and says the follow-up is overdue. */
static void
test_book_proposes_free_time (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autoptr(GDateTime) expected = local_dt ("2026-03-30T09:00");
  g_autoptr(GDateTime) proposed = NULL;
  GDate closed = make_day ("2026-03-03");
  g_autofree char *closed_text = meso_format_date_short (&closed);
  g_autofree char *heading = g_strdup_printf (_("Overdue: the recommended window closed on %s. "
                                                "First free times:"), closed_text);
  GString *collected = g_string_new (NULL);
  gint64 elsewhere = add_patient (fixture->store, "Ella Anderswo", FALSE);
  gint64 busy;
  GtkWindow *dialog;
  AdwEntryRow *date_row, *time_row;
  AdwComboRow *practitioner_row;

  /* Dr Adler sorts first but is busy on Monday morning; Anne only receives. */
  assert_true (meso_store_add_practitioner (fixture->store, "Anne Empfang",
                                            MESO_ROLE_RECEPTIONIST, &error));
  assert_true (meso_store_add_practitioner (fixture->store, "Dr Adler", MESO_ROLE_CLINICIAN,
                                            &error));
  assert_true (meso_store_add_practitioner (fixture->store, "Dr Weiss", MESO_ROLE_CLINICIAN,
                                            &error));
  busy = book_with_ok (fixture->store, elsewhere, "2026-03-30T09:00", MESO_AREA_NECK,
                       "Dr Adler");

  for (guint w = 0; w < 2; w++)
    {
      static const int widths[] = { 1280, 360 };
      g_autofree char *shot = NULL;

      gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 800);
      settle (300);
      gtk_widget_activate_action (GTK_WIDGET (shown_row (MESO_AFTERCARE_SECTION_OVERDUE, olga)),
                                  "row.book", NULL);
      dialog = find_dialog (MESO_TYPE_BOOKING_DIALOG);
      assert_true (wait_for (booking_settled, dialog));
      settle (100);

      date_row = ADW_ENTRY_ROW (find_matching (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                               row_titled, _("Date")));
      time_row = ADW_ENTRY_ROW (find_matching (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                               row_titled, _("Time")));
      practitioner_row = ADW_COMBO_ROW (find_matching (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW,
                                                       row_titled, _("_Practitioner")));
      assert_non_null (date_row);
      assert_non_null (time_row);
      assert_non_null (practitioner_row);

      g_clear_pointer (&proposed, g_date_time_unref);
      proposed = meso_date_time_parse_locale (gtk_editable_get_text (GTK_EDITABLE (date_row)),
                                              gtk_editable_get_text (GTK_EDITABLE (time_row)),
                                              &error);
      EXPECT_NO_ERROR ("the proposed start", error);
      assert_non_null (proposed);
      EXPECT ("the proposal is not before now", g_date_time_compare (proposed, now) >= 0);
      EXPECT ("Monday's opening", g_date_time_equal (proposed, expected));
      EXPECT_STR ("the practitioner free then", "Dr Weiss", combo_row_chosen (practitioner_row));

      g_string_truncate (collected, 0);
      collect_text (GTK_WIDGET (dialog), collected);
      EXPECT_CONTAINS ("what the times are measured from", collected->str, heading);
      EXPECT ("no recommended window that closed weeks ago",
              strstr (collected->str, _("Next free times in the recommended window:")) == NULL);

      shot = g_strdup_printf ("booking-overdue-%s-%d",
                              g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en",
                              widths[w]);
      take_screenshot (shot);
      gtk_window_destroy (dialog);
      settle (100);
    }

  /* Nothing else of the view changes: the busy hour goes again. */
  assert_true (meso_store_cancel_appointment (fixture->store, busy, NULL, &error));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  g_string_free (collected, TRUE);
}

/* The switcher's badge counts the follow-ups due and overdue. */
static void
test_badge (void **state)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (window),
                                                         ADW_TYPE_VIEW_STACK));
  AdwViewStackPage *page = adw_view_stack_get_page (stack, GTK_WIDGET (view));
  guint counts[MESO_PANEL_N_SECTIONS] = { 0 };
  g_autoptr(GError) error = NULL;
  GDate today = make_day (TODAY);
  guint expected;

  /* The lapsed are not counted: they wait in their collapsed group. */
  assert_true (meso_store_count_panel (fixture->store, &today, counts, &error));
  expected = counts[MESO_PANEL_DUE] + counts[MESO_PANEL_OVERDUE];
  /* nora, selma; olga, otto and the paging patients */
  EXPECT_INT ("badge", 2 + 2 + N_PAGING, expected);
  EXPECT_INT ("badge", expected, adw_view_stack_page_get_badge_number (page));
  EXPECT_INT ("view", expected, meso_aftercare_view_get_attention_count (view));
  assert_true (adw_view_stack_page_get_needs_attention (page));
}

static void
test_log_contact (void **state)
{
  MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_DUE, nora);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  MesoContact *contact;

  gtk_widget_activate_action (GTK_WIDGET (row), "row.log-contact", NULL);
  dialog = find_dialog (MESO_TYPE_CONTACT_DIALOG);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_descendant (GTK_WIDGET (dialog),
                                                              ADW_TYPE_COMBO_ROW)), 1);
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (GTK_WIDGET (dialog),
                                                        ADW_TYPE_ENTRY_ROW)),
                         "Rang about April");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "log");
  gtk_window_destroy (dialog);

  contacts = meso_store_list_contacts (fixture->store, nora, &error);
  EXPECT_NO_ERROR ("contacts", error);
  assert_non_null (contacts);
  assert_int_equal (contacts->len, 1);
  contact = g_ptr_array_index (contacts, 0);
  assert_string_equal (contact->channel, "sms");
  assert_string_equal (contact->note, "Rang about April");
  assert_string_equal (contact->outcome, "reached");
  wait_for_reload ();
  expect_sections_of ("a contact keeps the follow-up listed", nora, "due");
}

/* Course Finished and Declined ask first; confirmed, the row is gone for good. */
static void
confirm_course_action (gint64      patient_id,
                       const char *action)
{
  MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_OVERDUE, patient_id);
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (row), action, NULL);
  dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  gtk_window_destroy (dialog);
  wait_for_reload ();
}

static void
test_course_finished_removes_row (void **state)
{
  /* Cancelled: nothing changes. */
  {
    MesoAftercareRow *row = shown_row (MESO_AFTERCARE_SECTION_OVERDUE, olga);
    GtkWindow *dialog;

    gtk_widget_activate_action (GTK_WIDGET (row), "row.course-finished", NULL);
    dialog = find_dialog (ADW_TYPE_MESSAGE_DIALOG);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    gtk_window_destroy (dialog);
    settle (200);
    expect_sections_of ("cancelled", olga, "overdue");
  }

  confirm_course_action (olga, "row.course-finished");
  expect_sections_of ("course finished", olga, "");
  assert_null (find_row (GTK_WIDGET (view), olga));
  expect_all_sections (TODAY);
}

static void
test_declined_never_listed_again (void **state)
{
  confirm_course_action (otto, "row.declined");
  expect_sections_of ("declined in the view", otto, "");
  expect_all_sections (TODAY);

  /* A new session does not put a declined patient back on the recall list. */
  record_session_ok (fixture->store, otto, "2026-03-29T08:00", MESO_AREA_FACE);
  record_session_ok (fixture->store, dieter, "2026-03-29T08:30", MESO_AREA_FACE);
  meso_aftercare_view_reload (view);
  wait_for_reload ();
  expect_all_sections (TODAY);
  {
    g_autofree char *otto_now = sections_of (otto);
    g_autofree char *dieter_now = sections_of (dieter);

    EXPECT_NOT_CONTAINS ("declined, new session", otto_now, "due");
    EXPECT_NOT_CONTAINS ("declined, new session", dieter_now, "due");
  }

  /* Nor does the next day, nor the window of that new session. */
  g_setenv ("MESODESK_NOW", "2026-05-01T10:00", TRUE);
  assert_true (meso_aftercare_view_check_day (view));
  wait_for_reload ();
  expect_all_sections ("2026-05-01");
  expect_sections_of ("declined, four weeks on", otto, "");
  expect_sections_of ("declined, four weeks on", dieter, "");
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  assert_true (meso_aftercare_view_check_day (view));
  wait_for_reload ();
}

/* At midnight the view moves on to the new day by itself. */
static void
test_day_change (void **state)
{
  assert_false (meso_aftercare_view_check_day (view));
  g_setenv ("MESODESK_NOW", "2026-03-30T00:00", TRUE);
  assert_true (meso_aftercare_view_check_day (view));
  wait_for_reload ();
  expect_all_sections ("2026-03-30");
  /* Dora's water is allowed again; her sun protection goes on. */
  expect_sections_of ("the next day", dora, "today");
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  assert_true (meso_aftercare_view_check_day (view));
  wait_for_reload ();
}

/* What the notification opens: the window, on the Aftercare view. */
static void
test_show_aftercare_action (void **state)
{
  meso_window_set_visible_view (window, "patients");
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-aftercare", NULL);
  assert_string_equal (meso_window_get_visible_view (window), "aftercare");
}

/* No database: every section says it is empty, and no badge. */
static void
test_without_store (void **state)
{
  GtkWidget *other = meso_aftercare_view_new ();
  GtkWindow *holder = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_child (holder, other);
  gtk_window_present (holder);
  meso_aftercare_view_set_store (MESO_AFTERCARE_VIEW (other), NULL);
  assert_false (meso_aftercare_view_get_loading (MESO_AFTERCARE_VIEW (other)));
  EXPECT_INT ("no store", 0, meso_aftercare_view_get_attention_count (MESO_AFTERCARE_VIEW (other)));
  EXPECT_INT ("no store", 0, g_list_model_get_n_items (meso_aftercare_view_get_section (
                               MESO_AFTERCARE_VIEW (other), MESO_AFTERCARE_SECTION_OVERDUE)));
  {
    AdwStatusPage *empty = ADW_STATUS_PAGE (find_descendant (other, ADW_TYPE_STATUS_PAGE));

    assert_non_null (empty);
    assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty)));
    assert_string_equal (adw_status_page_get_title (empty), _("No Aftercare Today"));
  }
  gtk_window_destroy (holder);
  settle (50);
}

/* Closed while its load runs: the view goes at once, here. Held by the
 * load's task instead, it went when the answer came, after its window, or
 * in the worker's thread. */
static void
test_close_while_loading (void **state)
{
  /* Not on the stack: unfixed, the view went after this test returned. */
  static GThread *finalized_in;
  GtkWidget *other = meso_aftercare_view_new ();
  GtkWindow *holder = GTK_WINDOW (gtk_window_new ());

  note_finalized_in (other, &finalized_in);
  gtk_window_set_child (holder, other);
  gtk_window_present (holder);
  meso_aftercare_view_set_store (MESO_AFTERCARE_VIEW (other), fixture->store);
  /* Its answer comes back through the main loop, which has not run since. */
  assert_true (meso_aftercare_view_get_loading (MESO_AFTERCARE_VIEW (other)));

  gtk_window_destroy (holder);
  assert_ptr_equal (finalized_in, g_thread_self ());
  /* The cancelled answer arrives, and finds nothing to touch. */
  settle (300);
}

/* ------------------------------------------------------------------ setup */

static void
seed (MesoStore *store)
{
  g_autoptr(GError) error = NULL;

  dora = add_patient (store, "Dora Dusche", FALSE);
  record_session_ok (store, dora, "2026-03-28T18:00", MESO_AREA_FACE);

  bruno = add_patient (store, "Bruno Gebucht", FALSE);
  record_session_ok (store, bruno, "2026-02-20T10:00", MESO_AREA_FACE);
  book_appointment_ok (store, bruno, "2026-04-01T10:00", MESO_AREA_FACE);
  nora = add_patient (store, "Nora Normal", FALSE);
  record_session_ok (store, nora, "2026-02-20T10:00", MESO_AREA_FACE);
  sina = add_patient (store, "Sina Sensibel", TRUE);
  record_session_ok (store, sina, "2026-02-20T10:00", MESO_AREA_FACE);
  selma = add_patient (store, "Selma Sensibel", TRUE);
  record_session_ok (store, selma, "2026-02-01T10:00", MESO_AREA_FACE);

  paula = add_patient_full (store, "Paula Telefon", FALSE, "0170 5550123", NULL);
  record_session_ok (store, paula, "2026-03-28T09:00", MESO_AREA_FACE);
  book_appointment_ok (store, paula, "2026-04-30T10:00", MESO_AREA_FACE);

  /* The most recently overdue first on the overdue list: these three lead it. */
  olga = add_patient_full (store, "Olga Offen", FALSE, "+49 30 987654", NULL);
  record_session_ok (store, olga, "2026-01-20T10:00", MESO_AREA_FACE);
  dieter = add_patient (store, "Dieter Nein", FALSE);
  record_session_ok (store, dieter, "2026-01-21T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_course_state (store, dieter, FALSE, TRUE, &error));
  EXPECT_NO_ERROR ("declined", error);
  otto = add_patient (store, "Otto Offen", FALSE);
  record_session_ok (store, otto, "2026-01-22T10:00", MESO_AREA_FACE);

  /* Lapsed: the window closed more than six months ago. */
  record_session_ok (store, add_patient_full (store, "Lena Lange", FALSE, "0171 444", NULL),
                     "2025-01-10T10:00", MESO_AREA_FACE);

  for (guint i = 0; i < N_PAGING; i++)
    {
      g_autofree char *name = g_strdup_printf ("Paging Patient %03u", i);
      g_autoptr(GDateTime) start = local_dt ("2025-09-01T10:00");
      g_autoptr(GDateTime) at = g_date_time_add_days (start, i);
      g_autofree char *iso = g_date_time_format (at, "%Y-%m-%dT%H:%M");

      record_session_ok (store, add_patient (store, name, i % 7 == 0), iso, MESO_AREA_NECK);
    }
}

static int
setup_group (void **state)
{
  fixture = store_fixture_new ("mesodesk-aftercare-XXXXXX", TRUE);
  seed (fixture->store);

  /* The application opens the same file, as `mesodesk --database` would. */
  g_setenv ("MESODESK_DATABASE", fixture->path, TRUE);
  app = meso_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return -1;

  window = meso_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  meso_window_set_visible_view (window, "aftercare");
  view = MESO_AFTERCARE_VIEW (find_descendant (GTK_WIDGET (window), MESO_TYPE_AFTERCARE_VIEW));
  if (view == NULL || !wait_for (view_settled, view))
    return -1;
  settle (200);
  return 0;
}

static int
teardown_group (void **state)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the workers finish on their own connections before the files go. */
  settle (300);
  g_clear_object (&app);
  store_fixture_free (fixture);
  fixture = NULL;
  return 0;
}

/* A section's call list on paper (a PDF read back) and as CSV (issue 17): the
 * clinic's header, what the list is, name, phone, area and dates, nothing
 * else personal, the file private. The lapsed are their own group. */
static void
test_call_list (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesodesk-call-list-XXXXXX", &error);
  g_autofree char *pdf = g_build_filename (dir, "call-list.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "call-list.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *file_name = NULL;
  MesoClinicInfo clinic = { .name = (char *)"Hautpraxis am Markt", .phone = (char *)"0341 1" };
  GDate today = make_day (TODAY);
  GListModel *lapsed = meso_aftercare_view_get_section (view, MESO_AFTERCARE_SECTION_LAPSED);
  GStatBuf st;

  EXPECT_INT ("one lapsed", 1, g_list_model_get_n_items (lapsed));
  {
    g_autoptr(MesoReminderItem) item = g_list_model_get_item (lapsed, 0);

    EXPECT_STR ("Lena is lapsed", "Lena Lange", meso_reminder_item_get_reminder (item)->patient);
  }

  rows = meso_store_list_panel_page (fixture->store, &today, MESO_PANEL_OVERDUE, 0, 0, &error);
  assert_non_null (rows);
  operation = meso_call_list_print_operation_new (rows, MESO_PANEL_OVERDUE, &today, &clinic);
  file_name = meso_call_list_file_name (MESO_PANEL_OVERDUE, &today);
  EXPECT_STR ("the file says what it is", "Overdue call list – 2026-03-29", file_name);
  EXPECT_STR ("the print's file too", file_name,
              gtk_print_settings_get (gtk_print_operation_get_print_settings (operation),
                                      GTK_PRINT_SETTINGS_OUTPUT_BASENAME));
  gtk_print_operation_set_export_filename (operation, pdf);
  EXPECT_INT ("printed", GTK_PRINT_OPERATION_RESULT_APPLY,
              gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                       &error));
  {
    const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
    const char *argv[] = { pdftotext, "-enc", "UTF-8", "-l", "1", pdf, "-", NULL };
    g_autofree char *out = NULL;
    int status;

    if (pdftotext == NULL || *pdftotext == '\0')
      fail_msg ("pdftotext (poppler-utils) is needed to read the call list back");
    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
    EXPECT_CONTAINS ("clinic", out, "Hautpraxis am Markt · Phone 0341 1");
    EXPECT_CONTAINS ("title", out, "Overdue call list – Sunday, 29 March 2026");
    EXPECT_CONTAINS ("a tick column", out, "Called");
    EXPECT_CONTAINS ("the most recently overdue", out, "Paging Patient 129");
    EXPECT ("no lapsed on the overdue list", strstr (out, "Lena Lange") == NULL);
  }

  assert_true (meso_exchange_export_call_list_csv (fixture->store, &today, MESO_PANEL_LAPSED,
                                                   csv, NULL, &error));
  EXPECT_NO_ERROR ("csv", error);
  assert_true (g_file_get_contents (csv, &contents, NULL, &error));
  EXPECT_STR ("only name, phone, area and dates",
              "name,phone,area,last_session,from,until\r\n"
              "Lena Lange,0171 444,Face,2025-01-10,2025-02-07,2025-02-21\r\n", contents);
  assert_int_equal (0, g_stat (csv, &st));
  EXPECT_INT ("private", 0600, st.st_mode & 0777);

  g_unlink (pdf);
  g_unlink (csv);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_time_zone_is_berlin),
    cmocka_unit_test (test_sections_hold_the_right_patients),
    cmocka_unit_test (test_badge),
    cmocka_unit_test (test_rows_to_call_from),
    cmocka_unit_test (test_narrow_rows),
    cmocka_unit_test (test_book_proposes_free_time),
    cmocka_unit_test (test_log_contact),
    cmocka_unit_test (test_course_finished_removes_row),
    cmocka_unit_test (test_declined_never_listed_again),
    cmocka_unit_test (test_day_change),
    cmocka_unit_test (test_show_aftercare_action),
    cmocka_unit_test (test_without_store),
    cmocka_unit_test (test_close_while_loading),
    cmocka_unit_test (test_call_list),
  };
  g_autofree char *data_home = use_temp_data_home ();
  int failed;

  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();
  adw_init ();

  meso_test_filter_from_env ();

  failed = cmocka_run_group_tests_name ("aftercare-view", tests, setup_group, teardown_group);

  remove_tree (data_home);
  return failed;
}
