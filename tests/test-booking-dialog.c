/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The booking window, opened through win.book on a real window, on a real
 * SQLite file seeded through the store, in a real (Xvfb) display: what it
 * shows is the store's verdict, and what it books is in the store. No mocks.
 * With MESODESK_SHOT_DIR set, it saves what it shows there as PNGs. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-booking-dialog.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <glib/gi18n.h>

/* A Friday morning. */
#define NOW "2026-11-20T10:00"
/* Every patient's last face session: the window is 2026-12-07 to 2026-12-21. */
#define LAST_SESSION "2026-11-09T10:00"
#define WINDOW_OPENS "2026-12-07T00:00"
#define WINDOW_ENDS  "2026-12-22T00:00"

static StoreFixture *fixture;
static MesoApplication *app;
static guint n_patients;

/* ---------------------------------------------------------------- seeding */

/* A new patient whose face was treated on LAST_SESSION. */
static gint64
patient_with_session (const char *name)
{
  g_autofree char *unique = g_strdup_printf ("%s %u", name, ++n_patients);
  gint64 id = add_patient (fixture->store, unique, FALSE);

  add_face_session (fixture->store, id, LAST_SESSION);
  return id;
}

/* The patient's active appointments, from the store. */
static GPtrArray *
stored_appointments (gint64 patient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = meso_store_list_patient_appointments (fixture->store, patient,
                                                                   &error);
  GPtrArray *active = g_ptr_array_new_with_free_func (g_object_unref);

  EXPECT_NO_ERROR ("list appointments", error);
  for (guint i = 0; i < all->len; i++)
    if (meso_appointment_is_active (g_ptr_array_index (all, i)))
      g_ptr_array_add (active, g_object_ref (g_ptr_array_index (all, i)));
  return active;
}

/* ---------------------------------------------------------------- the dialog */

typedef struct
{
  MesoWindow        *window;
  MesoBookingDialog *dialog;
  gpointer           alive;  /* weak: NULL once the dialog is gone */
  GtkButton         *book;
  AdwEntryRow       *date;
  AdwEntryRow       *time;
  AdwComboRow       *practitioner;
  AdwComboRow       *clinician;
  AdwEntryRow       *reason;
  GtkFlowBox        *suggestions;
} Dialog;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GtkWidget *
find_row (Dialog     *d,
          GType       type,
          const char *title)
{
  GtkWidget *row = find_matching (GTK_WIDGET (d->dialog), type, row_titled, title);

  if (row == NULL)
    fail_msg ("no row \"%s\"", title);
  return row;
}

static gboolean
not_suggesting (gpointer data)
{
  Dialog *d = data;

  return !meso_booking_dialog_get_suggesting (d->dialog);
}

/* The booking dialog over @window: an earlier test's, closing, may still be
 * among the toplevels. */
static MesoBookingDialog *
find_dialog (MesoWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (MESO_IS_BOOKING_DIALOG (toplevel) &&
          gtk_window_get_transient_for (GTK_WINDOW (toplevel)) == GTK_WINDOW (window))
        return MESO_BOOKING_DIALOG (toplevel);
    }
  return NULL;
}

/* Opens the window, then the dialog through win.book with @parameter. */
static void
dialog_open (Dialog   *d,
             GVariant *parameter,
             int       width,
             int       height)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (parameter);

  d->window = meso_window_new (app);
  gtk_window_present (GTK_WINDOW (d->window));
  assert_true (wait_for (is_mapped, d->window));

  assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (d->window), "win.book", owned));
  d->dialog = find_dialog (d->window);
  assert_non_null (d->dialog);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (d->dialog), width, height);
  assert_true (wait_for (is_mapped, d->dialog));
  d->alive = d->dialog;
  g_object_add_weak_pointer (G_OBJECT (d->dialog), &d->alive);

  assert_true (gtk_window_get_modal (GTK_WINDOW (d->dialog)));
  assert_ptr_equal (gtk_window_get_transient_for (GTK_WINDOW (d->dialog)),
                    GTK_WINDOW (d->window));

  d->book = GTK_BUTTON (find_matching (GTK_WIDGET (d->dialog), GTK_TYPE_BUTTON, button_labelled,
                                       _("_Book")));
  if (d->book == NULL)
    d->book = GTK_BUTTON (find_matching (GTK_WIDGET (d->dialog), GTK_TYPE_BUTTON,
                                         button_labelled, _("_Move")));
  assert_non_null (d->book);
  d->date = ADW_ENTRY_ROW (find_row (d, ADW_TYPE_ENTRY_ROW, _("Date")));
  d->time = ADW_ENTRY_ROW (find_row (d, ADW_TYPE_ENTRY_ROW, _("Time")));
  d->practitioner = ADW_COMBO_ROW (find_row (d, ADW_TYPE_COMBO_ROW, _("_Practitioner")));
  d->clinician = ADW_COMBO_ROW (find_row (d, ADW_TYPE_COMBO_ROW, _("C_linician")));
  d->reason = ADW_ENTRY_ROW (find_row (d, ADW_TYPE_ENTRY_ROW, _("Reason")));
  d->suggestions = GTK_FLOW_BOX (find_descendant (GTK_WIDGET (d->dialog), GTK_TYPE_FLOW_BOX));
  assert_non_null (d->suggestions);
  assert_true (wait_for (not_suggesting, d));
  settle (50);
}

static gboolean
dialog_gone (gpointer data)
{
  return ((Dialog *)data)->alive == NULL;
}

static void
dialog_close (Dialog *d)
{
  if (d->alive != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (d->dialog), &d->alive);
      gtk_window_destroy (GTK_WINDOW (d->dialog));
    }
  gtk_window_destroy (GTK_WINDOW (d->window));
  settle (50);
}

static GVariant *
params_for (gint64 patient)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);

  g_variant_dict_insert (dict, "patient-id", "x", patient);
  g_variant_dict_insert (dict, "area", "s", "face");
  return g_variant_dict_end (dict);
}

static GVariant *
params_at (gint64      patient,
           const char *when,
           const char *practitioner)
{
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);
  g_autoptr(GDateTime) start = local_dt (when);

  g_variant_dict_insert (dict, "patient-id", "x", patient);
  g_variant_dict_insert (dict, "area", "s", "face");
  g_variant_dict_insert (dict, "start", "x", g_date_time_to_unix (start));
  if (practitioner != NULL)
    g_variant_dict_insert (dict, "practitioner", "s", practitioner);
  return g_variant_dict_end (dict);
}

static void
type_start (Dialog     *d,
            const char *date,
            const char *time)
{
  gtk_editable_set_text (GTK_EDITABLE (d->date), date);
  gtk_editable_set_text (GTK_EDITABLE (d->time), time);
  settle (30);
}

static const char *
selected_string (AdwComboRow *row)
{
  GListModel *model = adw_combo_row_get_model (row);

  return gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (row));
}

static gboolean
can_book (Dialog *d)
{
  /* A dialog that closed by itself (it booked) fails here, not in GTK. */
  assert_non_null (d->alive);
  return gtk_widget_get_sensitive (GTK_WIDGET (d->book));
}

/* The verdict lines on screen, joined. */
static char *
shown_verdict (Dialog *d)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (d->dialog), "meso-verdict-message", lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **)lines->pdata);
}

/* The message the store gives for booking @when for @patient, to find on screen. */
static char *
store_message (gint64      patient,
               gint64      moving,
               const char *when,
               const char *practitioner,
               const char *rule)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(GDateTime) start = local_dt (when);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;

  meso_appointment_set_id (appointment, moving);
  meso_appointment_set_patient_id (appointment, patient);
  meso_appointment_set_area (appointment, MESO_AREA_FACE);
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_practitioner (appointment, practitioner);
  verdicts = meso_store_check_appointment (fixture->store, appointment, MESO_ROLE_RECEPTIONIST,
                                           &error);
  EXPECT_NO_ERROR ("check", error);
  for (guint i = 0; i < verdicts->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (g_str_equal (meso_verdict_get_rule (verdict), rule) &&
          meso_verdict_get_kind (verdict) != MESO_VERDICT_OK)
        return g_strdup (meso_verdict_get_message (verdict));
    }
  fail_msg ("no %s verdict for %s", rule, when);
  return NULL;
}

static void
shoot (Dialog     *d,
       const char *name)
{
  const char *dir = g_getenv ("MESODESK_SHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || dir[0] == '\0')
    return;
  settle (200);
  file = g_strdup_printf ("booking-%s.png", name);
  path = g_build_filename (dir, file, NULL);
  assert_true (save_screen_png (path));
}

static void
press_book (Dialog *d)
{
  assert_true (can_book (d));
  gtk_widget_activate (GTK_WIDGET (d->book));
  assert_true (wait_for (dialog_gone, d));
}

/* ---------------------------------------------------------------- tests */

/* Five weeks after a face session: allowed, booked, in the store. */
static void
test_book_valid_follow_up (void **state)
{
  gint64 patient = patient_with_session ("Anna Berg");
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(GDateTime) expected = local_dt ("2026-12-14T10:00");
  g_autofree char *verdict = NULL;
  Dialog d = { 0 };

  dialog_open (&d, params_at (patient, "2026-12-14T10:00", "Dr Weiss"), 0, 0);
  /* Prefilled from the parameters. */
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (d.date)), "2026-12-14");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (d.time)), "10:00");
  assert_string_equal (selected_string (d.practitioner), "Dr Weiss");
  assert_true (can_book (&d));
  verdict = shown_verdict (&d);
  assert_string_equal (verdict, _("This time can be booked."));
  assert_false (gtk_widget_get_visible (GTK_WIDGET (d.reason)) &&
                gtk_widget_get_mapped (GTK_WIDGET (d.reason)));
  shoot (&d, "valid");

  /* Every button has a name a screen reader can say. */
  {
    guint n_buttons = 0;

    check_buttons_named (GTK_WIDGET (d.dialog), &n_buttons);
    assert_true (n_buttons >= 5);
  }

  press_book (&d);
  booked = stored_appointments (patient);
  assert_int_equal (booked->len, 1);
  assert_true (g_date_time_equal (meso_appointment_get_start (g_ptr_array_index (booked, 0)),
                                  expected));
  assert_string_equal (meso_appointment_get_practitioner (g_ptr_array_index (booked, 0)),
                       "Dr Weiss");
  assert_null (meso_appointment_get_override_reason (g_ptr_array_index (booked, 0)));
  dialog_close (&d);
}

/* Three weeks: refused, the reason on screen, Book off, nothing stored. A
 * reason without a clinician lifts nothing; a clinician with it does. */
static void
test_too_early_and_override (void **state)
{
  gint64 patient = patient_with_session ("Boris Kern");
  g_autofree char *refusal = store_message (patient, 0, "2026-11-30T10:00", NULL, "R1");
  g_autofree char *verdict = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  GListModel *clinicians;
  guint weiss = 0;
  Dialog d = { 0 };

  dialog_open (&d, params_for (patient), 0, 0);
  type_start (&d, "2026-11-30", "10:00");
  assert_false (can_book (&d));
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("too early", verdict, refusal);
  assert_true (gtk_widget_get_mapped (GTK_WIDGET (d.reason)));
  shoot (&d, "refused");

  /* Enter with Book off books nothing. (Enter is the window's default
   * activation, which honours sensitivity; gtk_widget_activate() on the
   * button itself would not, and clicks it 250 ms later.) */
  gtk_widget_activate_action (GTK_WIDGET (d.dialog), "window.activate-default", NULL);
  settle (400);
  assert_non_null (d.alive);

  /* Only clinicians can be chosen: the receptionist is not offered. */
  clinicians = adw_combo_row_get_model (d.clinician);
  for (guint i = 1; i < g_list_model_get_n_items (clinicians); i++)
    {
      const char *name = gtk_string_list_get_string (GTK_STRING_LIST (clinicians), i);

      assert_string_not_equal (name, "Rita Empfang");
      if (g_str_equal (name, "Dr Weiss"))
        weiss = i;
    }
  assert_int_equal (g_list_model_get_n_items (clinicians), 3);
  assert_true (weiss > 0);

  /* A reason alone, with no clinician answering for it: still refused. */
  gtk_editable_set_text (GTK_EDITABLE (d.reason), "Wedding on 2026-12-05");
  settle (30);
  assert_false (can_book (&d));
  g_free (verdict);
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("no clinician", verdict, refusal);
  EXPECT_CONTAINS ("no clinician", verdict, _("Only a clinician may override this rule."));

  /* A clinician, but a blank reason: still refused. */
  adw_combo_row_set_selected (d.clinician, weiss);
  gtk_editable_set_text (GTK_EDITABLE (d.reason), "   ");
  settle (30);
  assert_false (can_book (&d));

  gtk_editable_set_text (GTK_EDITABLE (d.reason), "Wedding on 2026-12-05");
  settle (30);
  assert_true (can_book (&d));
  g_free (verdict);
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("overridden", verdict, "Wedding on 2026-12-05");
  shoot (&d, "override");

  press_book (&d);
  booked = stored_appointments (patient);
  assert_int_equal (booked->len, 1);
  assert_string_equal (meso_appointment_get_override_reason (g_ptr_array_index (booked, 0)),
                       "Wedding on 2026-12-05");
  dialog_close (&d);
}

/* The practitioner already treats someone else then: refused, naming the
 * other appointment. */
static void
test_conflict (void **state)
{
  gint64 patient = patient_with_session ("Chen Li");
  gint64 other = patient_with_session ("Dora Marx");
  gint64 taken = book_face (fixture->store, other, "2026-12-15T10:00", "Dr Weiss");
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, taken);
  g_autofree char *conflict = store_message (patient, 0, "2026-12-15T10:30", "Dr Weiss",
                                             "conflict");
  g_autofree char *verdict = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  Dialog d = { 0 };

  dialog_open (&d, params_at (patient, "2026-12-15T10:30", "Dr Weiss"), 0, 0);
  assert_false (can_book (&d));
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("conflict", verdict, conflict);
  EXPECT_CONTAINS ("conflict names the other", verdict, number);
  /* No override for a double booking. */
  assert_false (gtk_widget_get_mapped (GTK_WIDGET (d.reason)));
  shoot (&d, "conflict");

  /* Another practitioner is free then. */
  adw_combo_row_set_selected (d.practitioner, 0);
  settle (30);
  assert_true (can_book (&d));
  dialog_close (&d);

  booked = stored_appointments (patient);
  assert_int_equal (booked->len, 0);
}

/* Past the window: a warning on screen, and bookable. */
static void
test_past_window_warns (void **state)
{
  gint64 patient = patient_with_session ("Emil Roth");
  g_autofree char *warning = store_message (patient, 0, "2027-01-11T10:00", NULL, "R1");
  g_autofree char *verdict = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  Dialog d = { 0 };

  dialog_open (&d, params_for (patient), 0, 0);
  type_start (&d, "2027-01-11", "10:00");
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("late", verdict, warning);
  assert_true (can_book (&d));
  shoot (&d, "warning");

  press_book (&d);
  booked = stored_appointments (patient);
  assert_int_equal (booked->len, 1);
  dialog_close (&d);
}

/* Bad dates and times are named where they were typed. */
static void
test_bad_input (void **state)
{
  gint64 patient = patient_with_session ("Fritz Lang");
  g_autofree char *verdict = NULL;
  Dialog d = { 0 };

  dialog_open (&d, params_for (patient), 0, 0);
  type_start (&d, "2026-02-30", "10:00");
  assert_false (can_book (&d));
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("bad date", verdict, "2026-02-30");
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (d.date), "error"));

  type_start (&d, "2026-12-14", "25:00");
  assert_false (can_book (&d));
  g_free (verdict);
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("bad time", verdict, "25:00");
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (d.time), "error"));
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (d.date), "error"));

  type_start (&d, "2026-11-19", "10:00");
  assert_false (can_book (&d));

  type_start (&d, "2026-12-14", "9:30");
  assert_true (can_book (&d));
  dialog_close (&d);
}

static void
collect_suggestions (Dialog    *d,
                     GPtrArray *buttons)
{
  g_ptr_array_set_size (buttons, 0);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (d->suggestions));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (buttons, gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)));
}

/* Without a start: the first suggestion is filled in; all three lie in the
 * window, and a click puts one in the fields. */
static void
test_suggestions (void **state)
{
  gint64 patient = patient_with_session ("Greta Vogel");
  g_autoptr(GDateTime) opens = local_dt (WINDOW_OPENS);
  g_autoptr(GDateTime) ends = local_dt (WINDOW_ENDS);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  Dialog d = { 0 };

  dialog_open (&d, params_for (patient), 0, 0);
  collect_suggestions (&d, buttons);
  assert_int_equal (buttons->len, 3);

  for (guint i = 0; i < 3; i++)
    {
      GtkButton *button;
      g_autoptr(GDateTime) start = NULL;
      g_autofree char *iso = NULL;
      g_autofree char *date = NULL;
      g_autofree char *label = NULL;

      /* Fetched again: the application's poll may have brought new ones. */
      assert_true (wait_for (not_suggesting, &d));
      collect_suggestions (&d, buttons);
      assert_int_equal (buttons->len, 3);
      button = g_ptr_array_index (buttons, i);
      label = accessible_label (GTK_WIDGET (button));
      assert_non_null (label);
      /* As a click: "activate" would first animate the press. */
      g_signal_emit_by_name (button, "clicked");
      settle (20);
      iso = g_strdup_printf ("%sT%s", gtk_editable_get_text (GTK_EDITABLE (d.date)),
                             gtk_editable_get_text (GTK_EDITABLE (d.time)));
      start = local_dt (iso);
      assert_true (g_date_time_compare (start, opens) >= 0);
      assert_true (g_date_time_compare (start, ends) < 0);
      /* The button says the time it fills in, and who is free then. */
      date = meso_format_date_time_short (start);
      assert_true (g_str_has_prefix (label, _("Use")));
      assert_non_null (strstr (label, date));
      assert_non_null (strstr (label, combo_row_chosen (d.practitioner)));
      assert_true (can_book (&d));
      if (i == 0)
        {
          /* Filled in already when the dialog opened. */
          g_autofree char *shown = shown_verdict (&d);

          assert_string_equal (shown, _("This time can be booked."));
        }
    }
  dialog_close (&d);
}

/* Moving a booked follow-up: prefilled from it, judged again without itself
 * in the way; into the refused zone it cannot go, within the window it can. */
static void
test_reschedule (void **state)
{
  gint64 patient = patient_with_session ("Hanna Weiss");
  gint64 id = book_face (fixture->store, patient, "2026-12-16T10:00", "Dr Adler");
  g_autoptr(GVariantDict) dict = g_variant_dict_new (NULL);
  g_autoptr(MesoAppointment) moved = NULL;
  g_autoptr(GDateTime) expected = local_dt ("2026-12-17T11:00");
  g_autofree char *refusal = store_message (patient, id, "2026-11-30T10:00", NULL, "R1");
  g_autofree char *verdict = NULL;
  Dialog d = { 0 };

  g_variant_dict_insert (dict, "appointment-id", "x", id);
  dialog_open (&d, g_variant_dict_end (dict), 0, 0);
  assert_string_equal (gtk_button_get_label (d.book), _("_Move"));
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (d.date)), "2026-12-16");
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (d.time)), "10:00");
  assert_string_equal (selected_string (d.practitioner), "Dr Adler");
  /* Where it is, it is fine: it is not its own conflict or neighbour. */
  assert_true (can_book (&d));
  /* Its own window is suggested again. */
  assert_true (gtk_widget_get_first_child (GTK_WIDGET (d.suggestions)) != NULL);

  type_start (&d, "2026-11-30", "10:00");
  assert_false (can_book (&d));
  verdict = shown_verdict (&d);
  EXPECT_CONTAINS ("moved too early", verdict, refusal);

  type_start (&d, "2026-12-17", "11:00");
  assert_true (can_book (&d));
  press_book (&d);

  moved = meso_store_get_appointment (fixture->store, id, NULL);
  assert_non_null (moved);
  assert_true (g_date_time_equal (meso_appointment_get_start (moved), expected));
  {
    g_autoptr(GPtrArray) booked = stored_appointments (patient);

    assert_int_equal (booked->len, 1);
  }
  dialog_close (&d);
}

typedef struct
{
  GtkWidget  *root;
  const char *title;
  GtkWidget  *found;
} RowSearch;

static gboolean
row_shown (gpointer data)
{
  RowSearch *search = data;

  search->found = find_matching (search->root, ADW_TYPE_ACTION_ROW, row_titled, search->title);
  return search->found != NULL;
}

/* No patient given: searched by typing, picked from a short list; Change
 * goes back to the search. Narrow, as on a small screen. */
static void
test_patient_search_narrow (void **state)
{
  gint64 patient = patient_with_session ("Ida Quast");
  g_autofree char *name = NULL;
  GtkSearchEntry *search;
  GtkListBoxRow *row;
  RowSearch finding = { 0 };
  Dialog d = { 0 };

  {
    g_autoptr(MesoPatient) stored = meso_store_get_patient (fixture->store, patient, NULL);

    name = g_strdup (meso_patient_get_name (stored));
  }

  dialog_open (&d, g_variant_new_parsed ("@a{sv} {}"), 360, 640);
  assert_false (can_book (&d));
  search = GTK_SEARCH_ENTRY (find_descendant (GTK_WIDGET (d.dialog), GTK_TYPE_SEARCH_ENTRY));
  assert_non_null (search);
  assert_true (gtk_widget_get_mapped (GTK_WIDGET (search)));
  shoot (&d, "narrow-search");

  gtk_editable_set_text (GTK_EDITABLE (search), "ida qua");
  /* The search waits for typing to pause, then lists the patient. */
  finding.root = GTK_WIDGET (d.dialog);
  finding.title = name;
  assert_true (wait_for (row_shown, &finding));
  row = GTK_LIST_BOX_ROW (finding.found);
  assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
  /* Enter takes the first found. */
  g_signal_emit_by_name (search, "activate");
  settle (30);
  assert_true (wait_for (not_suggesting, &d));
  settle (50);
  assert_false (gtk_widget_get_mapped (GTK_WIDGET (search)));
  /* Chosen: the first free time is filled in and can be booked. */
  assert_true (can_book (&d));
  assert_string_not_equal (gtk_editable_get_text (GTK_EDITABLE (d.date)), "");
  assert_true (gtk_widget_get_width (GTK_WIDGET (d.dialog)) <= 370);
  shoot (&d, "narrow");

  {
    GtkWidget *change = find_matching (GTK_WIDGET (d.dialog), GTK_TYPE_BUTTON, button_labelled,
                                       _("C_hange"));

    assert_non_null (change);
    g_signal_emit_by_name (change, "clicked");
    settle (30);
    assert_true (gtk_widget_get_mapped (GTK_WIDGET (search)));
    assert_false (can_book (&d));
  }
  dialog_close (&d);
}

static gboolean
suggestion_started (gpointer data)
{
  Dialog *d = data;

  /* The pause after a change is over: the worker has the question. */
  return g_main_context_find_source_by_funcs_user_data (NULL, &g_timeout_funcs,
                                                        d->dialog) == NULL;
}

/* Closed while the worker looks for free times: the dialog goes at once,
 * here. Held by the worker's task instead, it went when the task ended,
 * after the window it is transient for (GtkWindow's dispose then reached
 * the freed window: a segmentation fault), or in the worker's thread. */
static void
test_close_while_suggesting (void **state)
{
  gint64 patient = patient_with_session ("Jonas Ernst");
  /* Not on the stack: unfixed, the dialog went after this test returned. */
  static GThread *finalized_in;
  Dialog d = { 0 };

  dialog_open (&d, params_for (patient), 0, 0);
  note_finalized_in (d.dialog, &finalized_in);

  /* Another practitioner than the one proposed. */
  adw_combo_row_set_selected (d.practitioner,
                              adw_combo_row_get_selected (d.practitioner) == 1 ? 2 : 1);
  assert_true (meso_booking_dialog_get_suggesting (d.dialog));
  assert_true (wait_for (suggestion_started, &d));
  /* Its answer comes back through the main loop, which has not run since. */
  assert_true (meso_booking_dialog_get_suggesting (d.dialog));

  dialog_close (&d);
  assert_ptr_equal (finalized_in, g_thread_self ());
}

/* ---------------------------------------------------------------- setup */

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;

  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  fixture = store_fixture_new ("mesodesk-booking-XXXXXX", TRUE);
  if (!meso_store_add_practitioner (fixture->store, "Dr Weiss", MESO_ROLE_CLINICIAN, &error) ||
      !meso_store_add_practitioner (fixture->store, "Dr Adler", MESO_ROLE_CLINICIAN, &error) ||
      !meso_store_add_practitioner (fixture->store, "Rita Empfang", MESO_ROLE_RECEPTIONIST,
                                    &error) ||
      !meso_store_add_room (fixture->store, "Room 1", &error))
    {
      print_error ("seeding: %s\n", error->message);
      return -1;
    }

  g_setenv ("MESODESK_DATABASE", fixture->path, TRUE);
  app = meso_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      print_error ("register: %s\n", error->message);
      return -1;
    }
  return 0;
}

static int
teardown (void **state)
{
  settle (300);  /* workers finish on their own connections */
  g_clear_object (&app);
  store_fixture_free (fixture);
  fixture = NULL;
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown (test_book_valid_follow_up, destroy_windows),
    cmocka_unit_test_teardown (test_too_early_and_override, destroy_windows),
    cmocka_unit_test_teardown (test_conflict, destroy_windows),
    cmocka_unit_test_teardown (test_past_window_warns, destroy_windows),
    cmocka_unit_test_teardown (test_bad_input, destroy_windows),
    cmocka_unit_test_teardown (test_suggestions, destroy_windows),
    cmocka_unit_test_teardown (test_reschedule, destroy_windows),
    cmocka_unit_test_teardown (test_patient_search_narrow, destroy_windows),
    cmocka_unit_test_teardown (test_close_while_suggesting, destroy_windows),
  };

  /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  meso_test_filter_from_env ();

  return cmocka_run_group_tests_name ("booking-dialog", tests, setup, teardown);
}
