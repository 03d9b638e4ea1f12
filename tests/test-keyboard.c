/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The front desk at the keyboard and in a narrow window (issue 17, items 6
 * and 7): each dialog opens with the focus in its first field, Enter in the
 * last field does what the default button does, saving a patient says so,
 * and the window and the session and booking dialogs fit 360 pixels. Real
 * windows on a real database under Xvfb. With MESODESK_SHOT_DIR set, the
 * screens are saved there as PNGs, to look at. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-booking-dialog.h"
#include "meso-contact-dialog.h"
#include "meso-patient-editor.h"
#include "meso-patients-view.h"
#include "meso-session-dialog.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define NOW        "2026-11-20T09:00"
#define CLINICIAN  "Dr Clara Klinik"
#define NARROW     360

static MesoApplication *app;
static MesoStore *store;
static char *dir;
static gint64 anna_id;

/* ------------------------------------------------------------- helpers */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static MesoWindow *
open_window (int width)
{
  MesoWindow *window = meso_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
  gtk_window_present (GTK_WINDOW (window));
  assert_true (wait_for (is_mapped, window));
  return window;
}

static GtkWidget *
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (object == NULL)
    fail_msg ("no template child \"%s\"", name);
  return GTK_WIDGET (object);
}

typedef struct
{
  GtkWindow *window;
  GtkWidget *field;
} FocusWait;

/* Whether the keyboard focus of @window is @field or inside it (an entry
 * row's text). */
static gboolean
focus_in (GtkWindow *window,
          GtkWidget *field)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == field || gtk_widget_is_ancestor (focus, field));
}

static gboolean
focus_reached (gpointer data)
{
  FocusWait *w = data;

  return focus_in (w->window, w->field);
}

/* The dialog is shown and has been given its focus: fails when the focus
 * is anywhere but in @field. */
static void
expect_focus (gpointer    window,
              GtkWidget  *field,
              const char *what)
{
  FocusWait w = { GTK_WINDOW (window), field };
  GtkWidget *focus;

  assert_true (wait_for (is_mapped, window));
  settle (100);
  if (focus_reached (&w))
    return;
  focus = gtk_root_get_focus (GTK_ROOT (window));
  fail_msg ("%s: the focus is on a %s, not in the first field", what,
            focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "(nothing)");
}

/* Enter, pressed in the focused text field of @window: GtkText binds
 * Return to its "activate" signal. */
static void
press_enter (gpointer window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
}

/* Moves the focus into @field, as Tab or a click would. */
static void
focus_field (GtkWidget *field)
{
  assert_true (gtk_widget_grab_focus (field));
}

static gboolean
gone (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static void
wait_gone (gpointer window)
{
  gpointer alive = window;

  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  assert_true (wait_for (gone, &alive));
}

static gboolean
label_shows (GtkWidget     *widget,
             gconstpointer  text)
{
  return gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
toast_shown (gpointer data)
{
  gpointer *args = data;

  return find_matching (args[0], GTK_TYPE_LABEL, label_shows, args[1]) != NULL;
}

static void
shoot (const char *name,
       int         width)
{
  g_autofree char *full = g_strdup_printf ("%s-%d", name, width);

  take_screenshot (full);
}

/* Picks the item of a drop-down showing @label. */
static void
choose (GtkWidget  *row,
        const char *label)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          return;
        }
    }
  fail_msg ("no \"%s\" to choose", label);
}

static GVariant *
patient_parameter (gint64 patient_id,
                   gint64 appointment_id)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "patient-id", "x", patient_id);
  if (appointment_id != 0)
    g_variant_dict_insert (&dict, "appointment-id", "x", appointment_id);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static gpointer
open_through (MesoWindow *window,
              const char *action,
              GVariant   *parameter,
              GType       type)
{
  g_autoptr(GVariant) owned = parameter;
  GtkWindow *dialog;

  assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), action, owned));
  dialog = find_toplevel (type);
  assert_non_null (dialog);
  return dialog;
}

/* ---------------------------------------------------------------- tests */

/* New Patient: the name has the focus, so typing starts the record; Enter
 * in the last field saves, and the window says the patient was saved. */
static void
test_patient_editor (void **state)
{
  MesoWindow *window = open_window (1280);
  GtkWindow *editor = open_through (window, "win.new-patient", NULL, MESO_TYPE_PATIENT_EDITOR);
  GType type = MESO_TYPE_PATIENT_EDITOR;
  GtkWidget *name = template_child (editor, type, "name_row");
  g_autofree char *saved = NULL;
  gpointer args[2];

  expect_focus (editor, name, "New Patient");
  shoot ("patient-editor", 1280);

  gtk_editable_set_text (GTK_EDITABLE (name), "Berta & Brandt");
  /* The last text field is the e-mail address. */
  focus_field (template_child (editor, type, "email_row"));
  press_enter (editor);
  wait_gone (editor);

  /* Translators' text as the window shows it. */
  saved = g_strdup_printf (_("Patient “%s” saved"), "Berta & Brandt");
  args[0] = window;
  args[1] = saved;
  if (!wait_for_within (toast_shown, args, 5 * G_USEC_PER_SEC))
    fail_msg ("no toast \"%s\"", saved);
  shoot ("patient-saved", 1280);

  /* Editing an existing patient starts in the name as well. */
  editor = open_through (window, "win.edit-patient", g_variant_ref_sink (g_variant_new_int64 (
                                                                           anna_id)),
                         MESO_TYPE_PATIENT_EDITOR);
  expect_focus (editor, template_child (editor, type, "name_row"), "Edit Patient");
  gtk_window_destroy (editor);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
labels_widget (GtkWidget     *label,
               gconstpointer  widget)
{
  return gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == widget;
}

static gboolean
saved_shown (gpointer stack)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "saved") == 0;
}

/* Record Session: the date and time has the focus; the notes are labelled;
 * Enter in the product lot saves; and the dialog fits a narrow window. */
static void
test_session_dialog (void **state)
{
  static const int widths[] = { 1280, NARROW };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      MesoWindow *window = open_window (widths[i]);
      MesoSessionDialog *dialog = open_through (window, "win.record-session",
                                                patient_parameter (anna_id, 0),
                                                MESO_TYPE_SESSION_DIALOG);
      GType type = MESO_TYPE_SESSION_DIALOG;
      GtkWidget *notes = template_child (dialog, type, "notes_view");
      GtkWidget *stack = template_child (dialog, type, "stack");
      GtkWidget *label;
      int width = 0, height = 0;

      expect_focus (dialog, template_child (dialog, type, "date_row"), "Record Session");

      /* A visible label names the notes, for eyes and screen readers alike. */
      label = find_matching (GTK_WIDGET (dialog), GTK_TYPE_LABEL, labels_widget, notes);
      assert_non_null (label);
      assert_true (gtk_widget_get_mapped (label));
      assert_true (gtk_label_get_text (GTK_LABEL (label))[0] != '\0');

      expect_fits (dialog, NARROW, "the session dialog");
      gtk_window_get_default_size (GTK_WINDOW (dialog), &width, &height);
      if (width > widths[i])
        fail_msg ("the session dialog is %d pixels wide over a window of %d", width, widths[i]);
      shoot ("session-dialog", widths[i]);

      if (i == 0)
        {
          choose (template_child (dialog, type, "area_row"), meso_area_get_label (MESO_AREA_FACE));
          choose (template_child (dialog, type, "device_row"),
                  meso_device_get_label (MESO_DEVICE_PEN));
          gtk_editable_set_text (GTK_EDITABLE (template_child (dialog, type, "needle_row")),
                                 "0.5");
          settle (50);
          focus_field (template_child (dialog, type, "lot_row"));
          assert_true (gtk_widget_is_sensitive (template_child (dialog, type, "save_button")));
          press_enter (dialog);
          assert_true (wait_for (saved_shown, stack));
        }
      gtk_window_destroy (GTK_WINDOW (dialog));
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static gboolean
dialog_ready (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* Book Appointment: without a patient the search has the focus, with one
 * the date; Enter in the time books; and the dialog fits a narrow window. */
static void
test_booking_dialog (void **state)
{
  static const int widths[] = { 1280, NARROW };
  GType type = MESO_TYPE_BOOKING_DIALOG;

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      MesoWindow *window = open_window (widths[i]);
      g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
      GtkWindow *dialog;
      int width = 0, height = 0;

      dialog = open_through (window, "win.book", g_variant_ref_sink (g_variant_dict_end (&dict)),
                             MESO_TYPE_BOOKING_DIALOG);
      expect_focus (dialog, template_child (dialog, type, "patient_search"),
                    "Book Appointment without a patient");
      gtk_window_destroy (dialog);

      dialog = open_through (window, "win.book", patient_parameter (anna_id, 0),
                             MESO_TYPE_BOOKING_DIALOG);
      expect_focus (dialog, template_child (dialog, type, "date_row"), "Book Appointment");
      expect_fits (dialog, NARROW, "the booking dialog");
      gtk_window_get_default_size (dialog, &width, &height);
      if (width > widths[i])
        fail_msg ("the booking dialog is %d pixels wide over a window of %d", width, widths[i]);
      shoot ("booking-dialog", widths[i]);

      if (i == 0)
        {
          /* Past the session the test before recorded today: R1 allows it. */
          gtk_editable_set_text (GTK_EDITABLE (template_child (dialog, type, "date_row")),
                                 "2026-12-22");
          gtk_editable_set_text (GTK_EDITABLE (template_child (dialog, type, "time_row")),
                                 "15:00");
          assert_true (wait_for (dialog_ready, template_child (dialog, type, "book_button")));
          focus_field (template_child (dialog, type, "time_row"));
          press_enter (dialog);
          wait_gone (dialog);
        }
      else
        gtk_window_destroy (dialog);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* Log Contact (an AdwMessageDialog of fields): the first field has the focus. */
static void
test_contact_dialog (void **state)
{
  MesoWindow *window = open_window (1280);
  GtkWidget *dialog = meso_contact_dialog_new (GTK_WINDOW (window), store, anna_id,
                                               "Anna Aalto");

  gtk_window_present (GTK_WINDOW (dialog));
  expect_focus (dialog, template_child (dialog, MESO_TYPE_CONTACT_DIALOG, "channel_row"),
                "Log Contact");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The window goes down to 360 pixels, on every view, with GNOME's title
 * bar buttons and with GTK's own default (minimize, maximize and close). */
static void
test_window_narrow (void **state)
{
  static const char * const views[] = { "patients", "schedule", "aftercare" };
  static const char * const layouts[] = { "appmenu:close", "menu:minimize,maximize,close" };
  GtkSettings *settings = gtk_settings_get_default ();
  MesoWindow *window;
  GtkWidget *stack;

  for (guint l = 0; l < G_N_ELEMENTS (layouts); l++)
    {
      g_object_set (settings, "gtk-decoration-layout", layouts[l], NULL);
      window = open_window (NARROW);
      stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
      assert_non_null (stack);
      for (guint i = 0; i < G_N_ELEMENTS (views); i++)
        {
          g_autofree char *what = g_strdup_printf ("the window on %s, title buttons %s",
                                                   views[i], layouts[l]);

          adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), views[i]);
          settle (200);
          expect_fits (window, NARROW, what);
          if (gtk_widget_get_width (GTK_WIDGET (window)) > NARROW)
            fail_msg ("%s is %d pixels wide", what, gtk_widget_get_width (GTK_WIDGET (window)));
          if (l == 0)
            shoot (views[i], NARROW);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (settings, "gtk-decoration-layout", layouts[0], NULL);

  window = open_window (1280);
  stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), views[i]);
      shoot (views[i], 1280);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
list_settled (gpointer view)
{
  MesoPatientList *list = meso_patients_view_get_list (view);

  return list != NULL && !meso_patient_list_get_loading (list) &&
         g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
}

static gboolean
is_shown_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "meso-shown");
}

/* The row of the patient the page shows, marked; NULL when none is. */
static GtkWidget *
shown_row (GtkWidget *list_view)
{
  return find_matching (list_view, GTK_TYPE_WIDGET, is_shown_row, NULL);
}

static gboolean
row_marked (gpointer list_view)
{
  return shown_row (list_view) != NULL;
}

/* The list marks the patient its page shows, after the page was used too
 * (a change to the records reloads the list). Wide only: the same steps at
 * 360 pixels (page over the list, then Back) leave 96 bytes that
 * LeakSanitizer cannot trace past g_malloc; not yet understood. */
static void
test_list_keeps_shown_patient (void **state)
{
  MesoWindow *window = open_window (1280);
  GtkWidget *view = template_child (window, MESO_TYPE_WINDOW, "patients_view");
  GtkWidget *list_view = template_child (view, MESO_TYPE_PATIENTS_VIEW, "list_view");

  assert_true (wait_for (list_settled, view));
  settle (100);
  assert_null (shown_row (list_view));
  g_signal_emit_by_name (list_view, "activate", 0);
  EXPECT_INT ("shown", anna_id, meso_patients_view_get_shown_patient (MESO_PATIENTS_VIEW (view)));
  assert_true (wait_for (row_marked, list_view));

  meso_application_store_changed (app);
  assert_true (wait_for (list_settled, view));
  settle (200);
  assert_true (wait_for (row_marked, list_view));
  shoot ("patients-shown", 1280);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------- setup */

static int
teardown (void **state)
{
  return destroy_windows (state);
}

#define KEYBOARD_TEST(f) cmocka_unit_test_teardown (f, teardown)

int
main (void)
{
  const struct CMUnitTest tests[] = {
    KEYBOARD_TEST (test_patient_editor),
    KEYBOARD_TEST (test_session_dialog),
    KEYBOARD_TEST (test_booking_dialog),
    KEYBOARD_TEST (test_contact_dialog),
    KEYBOARD_TEST (test_list_keeps_shown_patient),
    KEYBOARD_TEST (test_window_narrow),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int failed;

  g_setenv ("MESODESK_NOW", NOW, TRUE);
  dir = g_dir_make_tmp ("mesodesk-keyboard-XXXXXX", NULL);
  path = g_build_filename (dir, "clinic.db", NULL);
  g_setenv ("MESODESK_DATABASE", path, TRUE);

  /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  /* GNOME's title bar buttons, not the bare X server's minimize/maximize/close. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  app = registered_application ();
  if (app == NULL)
    return 1;
  store = meso_application_get_store (app, &error);
  if (store == NULL ||
      !meso_store_add_practitioner (store, CLINICIAN, MESO_ROLE_CLINICIAN, &error))
    {
      g_printerr ("could not prepare the database: %s\n", error->message);
      return 1;
    }
  anna_id = add_patient_full (store, "Anna Aalto", FALSE, "+49 30 1234567", NULL);

  meso_test_filter_from_env ();
  failed = cmocka_run_group_tests_name ("keyboard", tests, NULL, NULL);

  g_clear_object (&app);
  remove_tree (dir);
  g_free (dir);
  return failed;
}
