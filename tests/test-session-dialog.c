/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record-a-session window and the aftercare sheet, on a real database in
 * a real (Xvfb) display: the window is opened through win.record-session as
 * the other views open it, filled in widget by widget, and what it saved is
 * read back from the store. With MESO_SCREENSHOT_DIR set, each state is also
 * saved there as a PNG, to look at. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-aftercare-sheet.h"
#include "meso-application.h"
#include "meso-i18n.h"
#include "meso-session-dialog.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#define NOW               "2026-11-20T10:00"
#define CLINICIAN         "Dr Clara Klinik"
#define RECEPTIONIST      "Rita Empfang"

static MesoApplication *app;
static MesoWindow *window;
static MesoStore *store;
static char *dir;

/* ------------------------------------------------------------- helpers */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static GtkWidget *
child (MesoSessionDialog *dialog,
       const char        *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                   MESO_TYPE_SESSION_DIALOG, name);

  if (object == NULL)
    fail_msg ("no template child \"%s\"", name);
  return GTK_WIDGET (object);
}

static MesoSessionDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (MESO_IS_SESSION_DIALOG (item))
        return MESO_SESSION_DIALOG (item);
    }
  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

/* As the patient page and the schedule open it: the window's action. */
static MesoSessionDialog *
open_dialog (gint64 patient_id,
             gint64 appointment_id)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) parameter = NULL;
  MesoSessionDialog *dialog;

  g_variant_dict_insert (&dict, "patient-id", "x", patient_id);
  if (appointment_id != 0)
    g_variant_dict_insert (&dict, "appointment-id", "x", appointment_id);
  /* The action does not take the floating reference: this test owns it. */
  parameter = g_variant_ref_sink (g_variant_dict_end (&dict));
  assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.record-session",
                                                   parameter));
  dialog = find_dialog ();
  assert_non_null (dialog);
  assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  assert_true (wait_for_within (is_mapped, dialog, WAIT_TIMEOUT_USEC));
  return dialog;
}

static void
close_dialog (MesoSessionDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  assert_true (wait_for_within (dialog_gone, NULL, WAIT_TIMEOUT_USEC));
}

static void
type_into (MesoSessionDialog *dialog,
           const char        *row,
           const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, row)), text);
}

static const char *
text_of (MesoSessionDialog *dialog,
         const char        *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (dialog, row)));
}

/* Picks the item of a drop-down showing @label. */
static void
choose (MesoSessionDialog *dialog,
        const char        *row,
        const char        *label)
{
  AdwComboRow *combo = ADW_COMBO_ROW (child (dialog, row));
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }
  fail_msg ("\"%s\" offers no \"%s\"", row, label);
}

static const char *
chosen (MesoSessionDialog *dialog,
        const char        *row)
{
  return combo_row_chosen (ADW_COMBO_ROW (child (dialog, row)));
}

static gboolean
offers (MesoSessionDialog *dialog,
        const char        *row,
        const char        *label)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (child (dialog, row)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
can_save (MesoSessionDialog *dialog)
{
  GtkWidget *save = child (dialog, "save_button");

  return gtk_widget_get_visible (save) && gtk_widget_is_sensitive (save);
}

static const char *
verdict_text (MesoSessionDialog *dialog)
{
  return gtk_label_get_text (GTK_LABEL (child (dialog, "verdict_label")));
}

static gboolean
verdict_is (MesoSessionDialog *dialog,
            const char        *style)
{
  return gtk_widget_has_css_class (child (dialog, "verdict_box"), style);
}

static gboolean
shown (MesoSessionDialog *dialog,
       const char        *name)
{
  return gtk_widget_get_visible (child (dialog, name));
}

/* Saves the screen as a PNG in $MESO_SCREENSHOT_DIR, if set: the dialog
 * sits in the top left corner, as Xvfb has no window manager to place it. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *shots = g_getenv ("MESO_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *crop = NULL;
  int status;

  if (shots == NULL || *shots == '\0')
    return;
  settle (400);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (shots, file, NULL);
  crop = g_strdup_printf ("%dx%d+0+0", gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  {
    const char *argv[] = { "import", "-window", "root", "-crop", crop, path, NULL };

    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
  }
}

/* The form's own fields, filled as the tests need them. */
static void
fill_treatment (MesoSessionDialog *dialog,
                const char        *needle)
{
  choose (dialog, "area_row", meso_area_get_label (MESO_AREA_FACE));
  choose (dialog, "device_row", meso_device_get_label (MESO_DEVICE_PEN));
  type_into (dialog, "needle_row", needle);
}

static gint64
record (gint64      patient_id,
        const char *at,
        MesoArea    area)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(GError) error = NULL;

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, area);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 500);
  meso_session_set_needle_material (session, "titanium");
  assert_true (meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR ("record", error);
  return meso_session_get_id (session);
}

static MesoSession *
newest_session (gint64 patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = meso_store_list_sessions (store, patient_id, &error);

  EXPECT_NO_ERROR ("list", error);
  assert_non_null (sessions);
  assert_true (sessions->len > 0);
  return g_object_ref (g_ptr_array_index (sessions, 0));
}

static guint
n_sessions (gint64 patient_id)
{
  g_autoptr(GPtrArray) sessions = meso_store_list_sessions (store, patient_id, NULL);

  assert_non_null (sessions);
  return sessions->len;
}

static gboolean
saved_page_shown (gpointer data)
{
  GtkStack *stack = GTK_STACK (child (data, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "saved") == 0;
}

/* As a click does: GTK 4 sends "clicked" once the button's press is drawn. */
static void
save (MesoSessionDialog *dialog)
{
  assert_true (can_save (dialog));
  gtk_widget_activate (child (dialog, "save_button"));
  assert_true (wait_for_within (saved_page_shown, dialog, WAIT_TIMEOUT_USEC));
  assert_true (meso_session_dialog_get_session_id (dialog) > 0);
  assert_false (shown (dialog, "save_button"));
}

/* The date and time fields in the locale's own forms (issue 17): what the
 * dialog shows is core's short form, and German and US dates are taken. */
static void
test_locale_dates (void **state)
{
  static const struct
  {
    const char *locale;
    const char *date;   /* 2026-11-20, typed */
    const char *time;   /* 09:45, typed */
  } locales[] = {
    { "de_DE.UTF-8", "20.11.2026", "9:45" },
    { "en_US.UTF-8", "11/20/2026", "9:45 am" },
  };
  gint64 id = add_patient (store, "Dora Datum", FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_autoptr(GDateTime) now = local_dt (NOW);
      g_autofree char *date = NULL;
      g_autofree char *time = NULL;
      g_autofree char *shot = NULL;
      MesoSessionDialog *dialog;
      GDate today;

      if (setlocale (LC_TIME, locales[i].locale) == NULL)
        {
          assert_null (g_getenv ("CI"));
          continue;
        }
      meso_date_from_date_time (now, &today);
      date = meso_format_date_short (&today);
      time = meso_format_time_short (now);
      dialog = open_dialog (id, 0);
      EXPECT_STR (locales[i].locale, date, text_of (dialog, "date_row"));
      EXPECT_STR (locales[i].locale, time, text_of (dialog, "time_row"));
      type_into (dialog, "date_row", locales[i].date);
      type_into (dialog, "time_row", locales[i].time);
      assert_false (gtk_widget_has_css_class (child (dialog, "date_row"), "error"));
      assert_false (gtk_widget_has_css_class (child (dialog, "time_row"), "error"));
      shot = g_strdup_printf ("session-dates-%.5s", locales[i].locale);
      screenshot (GTK_WIDGET (dialog), shot);
      gtk_window_destroy (GTK_WINDOW (dialog));
      settle (50);
    }
  setlocale (LC_TIME, "C.UTF-8");
}

/* ---------------------------------------------------------------- tests */

/* Allowed: the verdict says so, Save records every field, and the window
 * then offers the aftercare sheet. */
static void
test_ok_saves (void **state)
{
  gint64 id = add_patient (store, "Anna Fenster", FALSE);
  MesoSessionDialog *dialog;
  g_autoptr(MesoSession) saved = NULL;
  g_autoptr(GDateTime) expected_at = local_dt ("2026-11-20T09:45");

  record (id, "2026-10-16T10:00", MESO_AREA_FACE);
  dialog = open_dialog (id, 0);

  /* Now by the one clock, and what the area's last session used. */
  EXPECT_STR ("now: the day", "2026-11-20", text_of (dialog, "date_row"));
  EXPECT_STR ("now: the time", "10:00", text_of (dialog, "time_row"));
  EXPECT_STR ("the last needle", "0.5", text_of (dialog, "needle_row"));
  EXPECT_STR ("the last material", meso_needle_material_get_label (MESO_NEEDLE_MATERIAL_TITANIUM),
              chosen (dialog, "material_row"));
  EXPECT_STR ("its class", meso_needle_class_get_label (MESO_NEEDLE_CLASS_SHORT),
              gtk_label_get_text (GTK_LABEL (child (dialog, "needle_class_label"))));
  EXPECT_STR ("allowed", _("The clinical rules allow this session."), verdict_text (dialog));
  assert_true (verdict_is (dialog, "success"));
  assert_true (can_save (dialog));
  assert_false (shown (dialog, "override_expander"));
  assert_false (shown (dialog, "confirm_check"));
  assert_true (offers (dialog, "practitioner_row", CLINICIAN));
  assert_true (offers (dialog, "practitioner_row", RECEPTIONIST));
  /* R6: hair loss is a scalp indication only. */
  assert_false (offers (dialog, "indication_row", meso_indication_get_label (
                                                    MESO_INDICATION_HAIR_LOSS)));
  choose (dialog, "area_row", meso_area_get_label (MESO_AREA_SCALP));
  assert_true (offers (dialog, "indication_row", meso_indication_get_label (
                                                   MESO_INDICATION_HAIR_LOSS)));
  choose (dialog, "area_row", meso_area_get_label (MESO_AREA_FACE));

  /* The class follows the typing, from core's borders. */
  type_into (dialog, "needle_row", "1.5");
  EXPECT_STR ("1.5 mm", meso_needle_class_get_label (MESO_NEEDLE_CLASS_MEDIUM),
              gtk_label_get_text (GTK_LABEL (child (dialog, "needle_class_label"))));
  type_into (dialog, "needle_row", "1,2");
  EXPECT_STR ("1,2 mm", meso_needle_class_get_label (MESO_NEEDLE_CLASS_MEDIUM),
              gtk_label_get_text (GTK_LABEL (child (dialog, "needle_class_label"))));

  /* A date that is no date: said where it is, with the form to type, and
   * nothing saves; the same for a time. */
  type_into (dialog, "date_row", "20/11/2026");
  assert_false (can_save (dialog));
  assert_true (verdict_is (dialog, "error"));
  EXPECT_CONTAINS ("bad date", verdict_text (dialog), "20/11/2026");
  EXPECT_CONTAINS ("bad date: the form", verdict_text (dialog), "1985-03-14");
  assert_true (gtk_widget_has_css_class (child (dialog, "date_row"), "error"));
  assert_false (gtk_widget_has_css_class (child (dialog, "time_row"), "error"));
  type_into (dialog, "date_row", "2026-11-20");
  assert_false (gtk_widget_has_css_class (child (dialog, "date_row"), "error"));
  type_into (dialog, "time_row", "9:75");
  assert_false (can_save (dialog));
  EXPECT_CONTAINS ("bad time", verdict_text (dialog), "9:75");
  assert_true (gtk_widget_has_css_class (child (dialog, "time_row"), "error"));
  /* In German the day comes first, and a time may lose its colon. */
  if (setlocale (LC_TIME, "de_DE.UTF-8") != NULL)
    {
      type_into (dialog, "date_row", "20.11.2026");
      type_into (dialog, "time_row", "945");
      assert_false (gtk_widget_has_css_class (child (dialog, "date_row"), "error"));
      assert_false (gtk_widget_has_css_class (child (dialog, "time_row"), "error"));
      setlocale (LC_TIME, "C.UTF-8");
    }
  else
    assert_null (g_getenv ("CI"));
  type_into (dialog, "date_row", "2026-11-20");
  type_into (dialog, "time_row", "09:45");
  assert_false (gtk_widget_has_css_class (child (dialog, "time_row"), "error"));

  type_into (dialog, "count_row", "thirty");
  assert_false (can_save (dialog));
  EXPECT_CONTAINS ("bad count", verdict_text (dialog), "thirty");
  type_into (dialog, "count_row", "36");
  choose (dialog, "indication_row", meso_indication_get_label (MESO_INDICATION_FINE_LINES));
  choose (dialog, "practitioner_row", RECEPTIONIST);
  type_into (dialog, "lot_row", "  HA-2026-11 ");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (dialog,
                                                                            "notes_view"))),
                            "Tolerated well.", -1);
  screenshot (GTK_WIDGET (dialog), "session-ok");
  save (dialog);
  screenshot (GTK_WIDGET (dialog), "session-saved");

  saved = newest_session (id);
  EXPECT_INT ("the id shown", meso_session_dialog_get_session_id (dialog),
              meso_session_get_id (saved));
  EXPECT ("the time typed", g_date_time_equal (expected_at, meso_session_get_at (saved)));
  EXPECT_INT ("face", MESO_AREA_FACE, meso_session_get_area (saved));
  EXPECT_INT ("pen", MESO_DEVICE_PEN, meso_session_get_device (saved));
  EXPECT_INT ("1.2 mm", 1200, meso_session_get_needle_um (saved));
  EXPECT_INT ("36 needles", 36, meso_session_get_needle_count (saved));
  EXPECT_STR ("titanium", "titanium", meso_session_get_needle_material (saved));
  EXPECT_STR ("indication", "fine-lines", meso_session_get_indication (saved));
  EXPECT_STR ("lot, trimmed", "HA-2026-11", meso_session_get_lot (saved));
  EXPECT_STR ("practitioner", RECEPTIONIST, meso_session_get_practitioner (saved));
  EXPECT_STR ("notes", "Tolerated well.", meso_session_get_notes (saved));
  EXPECT ("no override", meso_session_get_override_reason (saved) == NULL);

  gtk_widget_activate (child (dialog, "done_button"));
  assert_true (wait_for_within (dialog_gone, NULL, WAIT_TIMEOUT_USEC));
}

/* R3: a length outside the valid range, and a home-care roller over 1 mm. */
static void
test_needle_refusals (void **state)
{
  gint64 id = add_patient (store, "Bruno Nadel", FALSE);
  MesoSessionDialog *dialog = open_dialog (id, 0);
  g_autoptr(GError) parse_error = NULL;
  guint um;

  /* No earlier session: the form waits for a length, with no error yet. */
  EXPECT_STR ("empty needle", "", text_of (dialog, "needle_row"));
  assert_true (verdict_is (dialog, "info"));
  assert_false (can_save (dialog));

  fill_treatment (dialog, "3");
  assert_false (can_save (dialog));
  assert_true (verdict_is (dialog, "error"));
  EXPECT_CONTAINS ("3 mm", verdict_text (dialog), "R3");
  {
    g_autofree char *length = meso_needle_format_mm (3000);

    EXPECT_CONTAINS ("3 mm", verdict_text (dialog), length);
  }
  EXPECT_STR ("no class", _("Not valid"),
              gtk_label_get_text (GTK_LABEL (child (dialog, "needle_class_label"))));
  screenshot (GTK_WIDGET (dialog), "session-invalid-needle");

  type_into (dialog, "needle_row", "0.5 mm");
  assert_false (meso_needle_parse_mm ("0.5 mm", &um, &parse_error));
  EXPECT_STR ("core's message", parse_error->message, verdict_text (dialog));
  assert_false (can_save (dialog));

  choose (dialog, "device_row", meso_device_get_label (MESO_DEVICE_ROLLER));
  choose (dialog, "area_row", meso_area_get_label (MESO_AREA_BODY));
  type_into (dialog, "needle_row", "1.2");
  assert_true (can_save (dialog));
  gtk_switch_set_active (GTK_SWITCH (child (dialog, "home_use_switch")), TRUE);
  assert_false (can_save (dialog));
  assert_true (verdict_is (dialog, "error"));
  EXPECT_CONTAINS ("home roller", verdict_text (dialog), "home-care");
  assert_false (shown (dialog, "override_expander"));
  screenshot (GTK_WIDGET (dialog), "session-home-use-refused");
  type_into (dialog, "needle_row", "1");
  assert_true (can_save (dialog));

  close_dialog (dialog);
  EXPECT_INT ("nothing saved", 0, n_sessions (id));
}

/* R1: too early is refused; only a clinician may override, with a reason. */
static void
test_interval_override (void **state)
{
  const char *reason = "Leaves for six months; agreed with the patient";
  gint64 id = add_patient (store, "Carla Frueh", FALSE);
  MesoSessionDialog *dialog;
  g_autoptr(MesoSession) saved = NULL;

  record (id, "2026-11-06T10:00", MESO_AREA_FACE);
  dialog = open_dialog (id, 0);
  fill_treatment (dialog, "0.5");

  assert_false (can_save (dialog));
  EXPECT_CONTAINS ("too early", verdict_text (dialog), "R1");
  assert_true (shown (dialog, "override_expander"));
  /* Nobody chosen, or a receptionist: no reason can be written. */
  assert_false (gtk_widget_is_sensitive (child (dialog, "override_row")));
  choose (dialog, "practitioner_row", RECEPTIONIST);
  gtk_expander_set_expanded (GTK_EXPANDER (child (dialog, "override_expander")), TRUE);
  assert_false (gtk_widget_is_sensitive (child (dialog, "override_row")));
  screenshot (GTK_WIDGET (dialog), "session-interval-refused");
  /* Even typed in some other way, a receptionist's reason lifts nothing. */
  type_into (dialog, "override_row", reason);
  assert_false (can_save (dialog));
  EXPECT_CONTAINS ("receptionist", verdict_text (dialog), "clinician");

  choose (dialog, "practitioner_row", CLINICIAN);
  assert_true (gtk_widget_is_sensitive (child (dialog, "override_row")));
  type_into (dialog, "override_row", "   ");
  assert_false (can_save (dialog));
  type_into (dialog, "override_row", reason);
  assert_true (can_save (dialog));
  assert_true (verdict_is (dialog, "warning"));
  EXPECT_CONTAINS ("overridden", verdict_text (dialog), reason);
  screenshot (GTK_WIDGET (dialog), "session-interval-overridden");
  save (dialog);

  saved = newest_session (id);
  EXPECT_STR ("the reason is kept", reason, meso_session_get_override_reason (saved));
  EXPECT_STR ("by the clinician", CLINICIAN, meso_session_get_practitioner (saved));
  close_dialog (dialog);
}

/* R2: an active contraindication refuses, and nobody can lift it. */
static void
test_contraindication_refuses (void **state)
{
  gint64 id = add_patient (store, "Dora Akne", FALSE);
  GDate noted = make_day ("2026-11-15");
  g_autoptr(GError) error = NULL;
  MesoSessionDialog *dialog;

  assert_true (meso_store_set_flag (store, id, MESO_CONTRAINDICATION_HERPES, &noted, &error));
  dialog = open_dialog (id, 0);
  fill_treatment (dialog, "0.5");
  choose (dialog, "practitioner_row", CLINICIAN);

  assert_false (can_save (dialog));
  assert_true (verdict_is (dialog, "error"));
  EXPECT_CONTAINS ("herpes", verdict_text (dialog), "R2");
  assert_false (shown (dialog, "override_expander"));
  assert_false (shown (dialog, "confirm_check"));
  screenshot (GTK_WIDGET (dialog), "session-contraindication");

  /* Ctrl+S does not save what is refused. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "session.save", NULL);
  EXPECT_STR ("still the form", "form",
              gtk_stack_get_visible_child_name (GTK_STACK (child (dialog, "stack"))));
  close_dialog (dialog);
  EXPECT_INT ("nothing saved", 0, n_sessions (id));
}

/* R2 caution: scar-prone skin saves only once the caution is ticked. */
static void
test_caution_requires_tick (void **state)
{
  gint64 id = add_patient (store, "Emil Narbe", FALSE);
  GDate noted = make_day ("2026-01-10");
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) saved = NULL;
  MesoSessionDialog *dialog;

  assert_true (meso_store_set_flag (store, id, MESO_CONTRAINDICATION_SCAR_PRONE, &noted,
                                    &error));
  dialog = open_dialog (id, 0);
  fill_treatment (dialog, "0.5");

  assert_true (shown (dialog, "confirm_check"));
  assert_false (can_save (dialog));
  EXPECT_CONTAINS ("caution", verdict_text (dialog), "R2");
  screenshot (GTK_WIDGET (dialog), "session-caution");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (dialog, "confirm_check")), TRUE);
  assert_true (can_save (dialog));
  assert_true (verdict_is (dialog, "warning"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (dialog, "confirm_check")), FALSE);
  assert_false (can_save (dialog));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (dialog, "confirm_check")), TRUE);
  save (dialog);

  saved = newest_session (id);
  EXPECT ("the confirmation is kept", meso_session_get_caution_confirmed (saved));
  close_dialog (dialog);
}

/* A German desk (issue 17): the last length is offered as "0,5", both
 * "0,75" and "0.75" are taken, and the rule's limits read "2,5 mm". */
static void
test_needle_in_german (void **state)
{
  gint64 id = add_patient (store, "Greta Komma", FALSE);
  MesoSessionDialog *dialog;
  g_autoptr(MesoSession) saved = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      assert_null (g_getenv ("CI"));
      skip ();
    }
  record (id, "2026-10-16T10:00", MESO_AREA_FACE);
  dialog = open_dialog (id, 0);

  EXPECT_STR ("the last needle, with a comma", "0,5", text_of (dialog, "needle_row"));
  type_into (dialog, "needle_row", "3");
  EXPECT_CONTAINS ("the limits, with a comma", verdict_text (dialog), "2,5 mm");
  type_into (dialog, "needle_row", "0.75");
  assert_false (gtk_widget_has_css_class (child (dialog, "needle_row"), "error"));
  assert_true (can_save (dialog));
  type_into (dialog, "needle_row", "0,75");
  assert_false (gtk_widget_has_css_class (child (dialog, "needle_row"), "error"));
  assert_true (can_save (dialog));
  screenshot (GTK_WIDGET (dialog), "session-needle-german");
  save (dialog);
  setlocale (LC_NUMERIC, "C.UTF-8");

  saved = newest_session (id);
  EXPECT_INT ("0,75 mm", 750, meso_session_get_needle_um (saved));
  gtk_widget_activate (child (dialog, "done_button"));
  assert_true (wait_for_within (dialog_gone, NULL, WAIT_TIMEOUT_USEC));
}

/* Check-in: the appointment fills the form in, and saving marks it done. */
static void
test_appointment_prefill (void **state)
{
  gint64 id = add_patient (store, "Fritz Termin", FALSE);
  gint64 other = add_patient (store, "Gerda Anders", FALSE);
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(MesoAppointment) after = NULL;
  g_autoptr(MesoSession) saved = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) error = NULL;
  MesoSessionDialog *dialog;

  /* Booked yesterday for this morning. */
  g_setenv ("MESODESK_NOW", "2026-11-19T09:00", TRUE);
  start = local_dt ("2026-11-20T09:30");
  meso_appointment_set_patient_id (appointment, id);
  meso_appointment_set_area (appointment, MESO_AREA_NECK);
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_practitioner (appointment, CLINICIAN);
  assert_true (meso_store_book_appointment (store, appointment, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("book", error);
  g_setenv ("MESODESK_NOW", NOW, TRUE);

  dialog = open_dialog (id, meso_appointment_get_id (appointment));
  EXPECT_STR ("its day", "2026-11-20", text_of (dialog, "date_row"));
  EXPECT_STR ("its time", "09:30", text_of (dialog, "time_row"));
  EXPECT_STR ("its area", meso_area_get_label (MESO_AREA_NECK), chosen (dialog, "area_row"));
  EXPECT_STR ("its practitioner", CLINICIAN, chosen (dialog, "practitioner_row"));
  type_into (dialog, "needle_row", "0.75");
  save (dialog);

  saved = newest_session (id);
  EXPECT_INT ("linked", meso_appointment_get_id (appointment),
              meso_session_get_appointment_id (saved));
  EXPECT_INT ("neck", MESO_AREA_NECK, meso_session_get_area (saved));
  after = meso_store_get_appointment (store, meso_appointment_get_id (appointment), &error);
  assert_non_null (after);
  EXPECT_INT ("done", MESO_APPOINTMENT_DONE, meso_appointment_get_status (after));
  close_dialog (dialog);

  /* Done now, or somebody else's: no window, a message that says why. */
  {
    g_autoptr(GVariant) parameter =
      g_variant_ref_sink (g_variant_new_parsed ("{'patient-id': <%x>, 'appointment-id': <%x>}",
                                                other, meso_appointment_get_id (appointment)));

    assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.record-session",
                                                     parameter));
  }
  assert_null (find_dialog ());
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean said = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (item))
          {
            EXPECT_CONTAINS ("whose it is", adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (item)),
                             "Fritz Termin");
            said = TRUE;
            gtk_window_destroy (GTK_WINDOW (item));
          }
      }
    assert_true (said);
  }
}

/* The sheet: each R4 instruction with the real end, across the change to
 * summer time (Europe/Berlin, 29 March 2026), in PDF as on paper. */
static void
test_aftercare_sheet (void **state)
{
  static const char *const periods[] = {
    "Until Sunday, 29 March 2026, 11:00",   /* 24 hours, of which one is skipped */
    "Until Tuesday, 31 March 2026, 10:00",  /* three calendar days */
    "Until your next session on Thursday, 30 April 2026, 10:00",
    "Between Saturday, 25 April 2026 and Saturday, 9 May 2026",
  };
  const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
  gint64 id = add_patient (store, "Hanna Sommerzeit", FALSE);
  g_autoptr(MesoAppointment) next = meso_appointment_new ();
  g_autoptr(GDateTime) next_at = NULL;
  g_autoptr(MesoAftercareSheet) sheet = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (dir, "sheet.pdf", NULL);
  gint64 session_id;

  g_setenv ("MESODESK_NOW", "2026-03-28T12:00", TRUE);
  session_id = record (id, "2026-03-28T10:00", MESO_AREA_FACE);

  /* Without a next session, moisturising lasts until there is one. */
  sheet = meso_aftercare_sheet_new_for_session (store, session_id, &error);
  EXPECT_NO_ERROR ("sheet", error);
  assert_non_null (sheet);
  EXPECT_STR ("open-ended", "Until your next session", meso_aftercare_sheet_get_period (sheet, 2));
  g_clear_object (&sheet);

  next_at = local_dt ("2026-04-30T10:00");
  meso_appointment_set_patient_id (next, id);
  meso_appointment_set_area (next, MESO_AREA_FACE);
  meso_appointment_set_start (next, next_at);
  assert_true (meso_store_book_appointment (store, next, MESO_ROLE_RECEPTIONIST, NULL, &error));
  EXPECT_NO_ERROR ("book the next", error);

  sheet = meso_aftercare_sheet_new_for_session (store, session_id, &error);
  EXPECT_NO_ERROR ("sheet", error);
  assert_non_null (sheet);
  EXPECT_STR ("patient", "For Hanna Sommerzeit", meso_aftercare_sheet_get_patient (sheet));
  EXPECT_STR ("session", "Microneedling on Saturday, 28 March 2026, 10:00 · Face · 0.5 mm "
              "needles (Short)", meso_aftercare_sheet_get_session (sheet));
  EXPECT_INT ("the rows of R4", G_N_ELEMENTS (periods), meso_aftercare_sheet_get_n_items (sheet));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    EXPECT_STR (periods[i], periods[i], meso_aftercare_sheet_get_period (sheet, i));
  EXPECT_STR ("no water", meso_aftercare_kind_get_instruction (MESO_AFTERCARE_NO_WATER),
              meso_aftercare_sheet_get_instruction (sheet, 0));
  EXPECT_STR ("follow-up", meso_aftercare_kind_get_instruction (MESO_AFTERCARE_FOLLOW_UP_DUE),
              meso_aftercare_sheet_get_instruction (sheet, 3));

  /* No clinic in Preferences: the program's name, and no one to call. */
  EXPECT_STR ("clinic unset", "Mesodesk", meso_aftercare_sheet_get_clinic (sheet));
  EXPECT ("no details", meso_aftercare_sheet_get_clinic_details (sheet) == NULL);
  EXPECT ("no one to call", meso_aftercare_sheet_get_emergency (sheet) == NULL);
  g_clear_object (&sheet);

  {
    MesoClinicInfo clinic = { .name = (char *)"Hautpraxis am Markt",
                              .address = (char *)"Marktplatz 3\n04109 Leipzig",
                              .phone = (char *)"0341 123456",
                              .emergency = (char *)"Dr. Weiss, 0171 555 0199" };

    assert_true (meso_store_save_clinic_info (store, &clinic, &error));
    EXPECT_NO_ERROR ("save the clinic", error);
  }
  sheet = meso_aftercare_sheet_new_for_session (store, session_id, &error);
  EXPECT_STR ("clinic", "Hautpraxis am Markt", meso_aftercare_sheet_get_clinic (sheet));
  EXPECT_STR ("details", "Marktplatz 3, 04109 Leipzig\nPhone 0341 123456",
              meso_aftercare_sheet_get_clinic_details (sheet));
  EXPECT_STR ("whom to call", "If something goes wrong, call: Dr. Weiss, 0171 555 0199",
              meso_aftercare_sheet_get_emergency (sheet));
  EXPECT_STR ("file name", "Aftercare – Hanna Sommerzeit – 2026-03-28",
              meso_aftercare_sheet_get_file_name (sheet));

  /* Printed to a file, with no dialog: one page holding the same text. */
  operation = meso_aftercare_sheet_new_print_operation (sheet);
  EXPECT_STR ("the print dialog's file", "Aftercare – Hanna Sommerzeit – 2026-03-28",
              gtk_print_settings_get (gtk_print_operation_get_print_settings (operation),
                                      GTK_PRINT_SETTINGS_OUTPUT_BASENAME));
  gtk_print_operation_set_export_filename (operation, pdf);
  EXPECT_INT ("exported", GTK_PRINT_OPERATION_RESULT_APPLY,
              gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                       &error));
  EXPECT_NO_ERROR ("export", error);
  assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  if (pdftotext == NULL || *pdftotext == '\0')
    fail_msg ("pdftotext (poppler-utils) is needed to read the sheet back");
  {
    const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
    g_autofree char *out = NULL;
    g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
    g_autofree char *text = NULL;
    int status;

    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, &error));
    EXPECT_NO_ERROR ("pdftotext", error);
    assert_true (g_spawn_check_wait_status (status, NULL));
    /* Lines may wrap anywhere on paper: compare with single spaces. */
    text = g_regex_replace_literal (spaces, out, -1, 0, " ", 0, NULL);
    {
      guint pages = 0;

      for (const char *p = out; *p != '\0'; p++)
        pages += *p == '\f';  /* pdftotext ends each page so */
      EXPECT_INT ("one page", 1, pages);
    }
    EXPECT_CONTAINS ("title", text, "Your Aftercare");
    EXPECT_CONTAINS ("clinic", text, "Hautpraxis am Markt");
    EXPECT_CONTAINS ("address", text, "Marktplatz 3, 04109 Leipzig");
    EXPECT_CONTAINS ("phone", text, "Phone 0341 123456");
    EXPECT_CONTAINS ("emergency", text, "If something goes wrong, call: Dr. Weiss, 0171 555 0199");
    EXPECT_CONTAINS ("patient", text, "For Hanna Sommerzeit");
    EXPECT_CONTAINS ("session", text, "Saturday, 28 March 2026, 10:00");
    for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
      EXPECT_CONTAINS (periods[i], text, periods[i]);
  }

  if (g_getenv ("MESO_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("MESO_SCREENSHOT_DIR"),
                                                "aftercare-sheet.pdf", NULL);
      g_autofree char *contents = NULL;
      gsize length;

      assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
      assert_true (g_file_set_contents (copy, contents, length, NULL));
    }

  /* A session that does not exist: a message, no sheet. */
  g_clear_object (&sheet);
  sheet = meso_aftercare_sheet_new_for_session (store, session_id + 1000, &error);
  assert_null (sheet);
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));

  g_setenv ("MESODESK_NOW", NOW, TRUE);
}

/* ---------------------------------------------------------------- setup */

/* Issue 18: the lot typed shows its product and expiry (the person's date
 * form); R7 refuses an expired one in the verdict box, as the other rules'
 * refusals show; an unregistered one warns; the lot used last is offered
 * to the next session. */
static void
test_lot_expiry (void **state)
{
  gint64 id = add_patient (store, "Lotte Charge", FALSE);
  gint64 other = add_patient (store, "Otto Folge", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) saved = NULL;
  g_autofree char *expired_short = NULL;
  g_autofree char *expired_message = NULL;
  g_autofree char *fresh_short = NULL;
  MesoSessionDialog *dialog;
  GDate expired, fresh;

  g_date_clear (&expired, 1);
  g_date_clear (&fresh, 1);
  g_date_set_dmy (&expired, 19, G_DATE_NOVEMBER, 2026);  /* the day before NOW */
  g_date_set_dmy (&fresh, 20, G_DATE_NOVEMBER, 2026);    /* NOW's day: still usable */
  assert_true (meso_store_add_lot (store, "VC-OLD", "Vitamin C Ampoule", &expired, NULL, NULL,
                                   &error));
  assert_true (meso_store_add_lot (store, "VC-NEW", "Vitamin C Ampoule", &fresh, NULL, NULL, &error));
  expired_short = meso_format_date_short (&expired);
  expired_message = meso_format_date (&expired);
  fresh_short = meso_format_date_short (&fresh);

  dialog = open_dialog (id, 0);
  fill_treatment (dialog, "0.5");
  type_into (dialog, "lot_row", "VC-OLD");
  assert_false (can_save (dialog));
  assert_true (verdict_is (dialog, "error"));
  EXPECT_CONTAINS ("R7's refusal", verdict_text (dialog), "R7");
  EXPECT_CONTAINS ("its expiry", verdict_text (dialog), expired_message);
  assert_true (shown (dialog, "lot_expiry_label"));
  EXPECT_CONTAINS ("the expiry beside it",
                   gtk_label_get_text (GTK_LABEL (child (dialog, "lot_expiry_label"))),
                   expired_short);
  assert_false (shown (dialog, "override_expander"));
  screenshot (GTK_WIDGET (dialog), "session-lot-expired");

  type_into (dialog, "lot_row", "VC-NEW");
  assert_true (can_save (dialog));
  assert_true (verdict_is (dialog, "success"));
  EXPECT_CONTAINS ("the product and expiry",
                   gtk_label_get_text (GTK_LABEL (child (dialog, "lot_expiry_label"))),
                   fresh_short);

  type_into (dialog, "lot_row", "XY 1");
  assert_true (can_save (dialog));
  assert_true (verdict_is (dialog, "warning"));
  EXPECT_CONTAINS ("not registered", verdict_text (dialog), "not registered");
  EXPECT_STR ("said beside it", _("Not registered"),
              gtk_label_get_text (GTK_LABEL (child (dialog, "lot_expiry_label"))));

  type_into (dialog, "lot_row", "");
  assert_false (shown (dialog, "lot_expiry_label"));
  type_into (dialog, "lot_row", "VC-NEW");
  save (dialog);
  saved = newest_session (id);
  EXPECT_STR ("the lot saved", "VC-NEW", meso_session_get_lot (saved));
  close_dialog (dialog);

  dialog = open_dialog (other, 0);
  EXPECT_STR ("the last lot offered again", "VC-NEW", text_of (dialog, "lot_row"));
  close_dialog (dialog);
}

/* The lot picker: typing a lot's start offers the registered lots with
 * their product and expiry; Down, Down, Return picks the second, from the
 * keyboard alone, and the expiry shows beside the field. */
static void
test_lot_picker (void **state)
{
  gint64 id = add_patient (store, "Piet Picker", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh_short = NULL;
  MesoSessionDialog *dialog;
  GtkWidget *field;
  GtkListBox *list;
  GDate soon, later;

  g_date_clear (&soon, 1);
  g_date_clear (&later, 1);
  g_date_set_dmy (&soon, 31, G_DATE_DECEMBER, 2026);
  g_date_set_dmy (&later, 30, G_DATE_JUNE, 2027);
  assert_true (meso_store_add_lot (store, "PK-101", "Peptide Serum", &soon, NULL, NULL, &error));
  assert_true (meso_store_add_lot (store, "PK-102", "Peptide Serum", &later, NULL, NULL,
                                   &error));
  assert_true (meso_store_add_lot (store, "HX-9", "Hyaluron Serum", &later, NULL, NULL, &error));
  fresh_short = meso_format_date_short (&later);

  dialog = open_dialog (id, 0);
  fill_treatment (dialog, "0.5");
  field = child (dialog, "lot_row");
  list = meso_lot_picker_get_list (field);
  assert_non_null (list);
  EXPECT ("no list for the lot filled in", !gtk_widget_get_mapped (GTK_WIDGET (list)));

  /* Tall enough that the lot field shows without scrolling (the picker
   * offers nothing for a field out of sight). */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 880);
  settle (300);
  gtk_widget_grab_focus (field);
  type_into (dialog, "lot_row", "pk");
  settle (200);
  EXPECT ("the list shows", gtk_widget_get_mapped (GTK_WIDGET (list)));
  EXPECT ("both PK lots, not HX-9", gtk_list_box_get_row_at_index (list, 1) != NULL &&
                                    gtk_list_box_get_row_at_index (list, 2) == NULL);
  press_in_lot_picker (field, GDK_KEY_Down);
  press_in_lot_picker (field, GDK_KEY_Down);
  screenshot (GTK_WIDGET (dialog), "session-lot-picker");
  press_in_lot_picker (field, GDK_KEY_Return);
  EXPECT_STR ("the second picked", "PK-102", text_of (dialog, "lot_row"));
  EXPECT ("the list closed", !gtk_widget_get_mapped (GTK_WIDGET (list)));
  EXPECT_CONTAINS ("its product and expiry beside it",
                   gtk_label_get_text (GTK_LABEL (child (dialog, "lot_expiry_label"))),
                   fresh_short);
  assert_true (can_save (dialog));

  /* Escape closes the list and leaves the text as typed. */
  type_into (dialog, "lot_row", "P");
  settle (100);
  EXPECT ("offered again", gtk_widget_get_mapped (GTK_WIDGET (list)));
  press_in_lot_picker (field, GDK_KEY_Escape);
  EXPECT ("closed", !gtk_widget_get_mapped (GTK_WIDGET (list)));
  EXPECT_STR ("as typed", "P", text_of (dialog, "lot_row"));

  /* A phone's width. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 880);
  settle (300);
  type_into (dialog, "lot_row", "pk");
  settle (300);
  screenshot (GTK_WIDGET (dialog), "session-lot-picker-narrow");
  close_dialog (dialog);
}

static int
setup (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  return 0;
}

static int
teardown (void **state)
{
  MesoSessionDialog *dialog;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  settle (50);
  return 0;
}

#define DIALOG_TEST(f) cmocka_unit_test_setup_teardown (f, setup, teardown)

int
main (void)
{
  const struct CMUnitTest tests[] = {
    DIALOG_TEST (test_ok_saves),
    DIALOG_TEST (test_needle_refusals),
    DIALOG_TEST (test_interval_override),
    DIALOG_TEST (test_contraindication_refuses),
    DIALOG_TEST (test_caution_requires_tick),
    DIALOG_TEST (test_appointment_prefill),
    DIALOG_TEST (test_needle_in_german),
    DIALOG_TEST (test_aftercare_sheet),
    DIALOG_TEST (test_locale_dates),
    DIALOG_TEST (test_lot_expiry),
    DIALOG_TEST (test_lot_picker),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int failed;

  /* The sheet's test crosses the change to summer time of this zone. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  dir = g_dir_make_tmp ("mesodesk-session-dialog-XXXXXX", NULL);
  path = g_build_filename (dir, "clinic.db", NULL);
  g_setenv ("MESODESK_DATABASE", path, TRUE);

  /* The build's translations (MESODESK_LOCALEDIR): LANGUAGE=de shows the
   * screenshots in German. */
  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  if (g_getenv ("MESO_SCREENSHOT_DARK") != NULL)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  app = registered_application ();
  if (app == NULL)
    return 1;
  store = meso_application_get_store (app, &error);
  if (store == NULL ||
      !meso_store_add_practitioner (store, CLINICIAN, MESO_ROLE_CLINICIAN, &error) ||
      !meso_store_add_practitioner (store, RECEPTIONIST, MESO_ROLE_RECEPTIONIST, &error))
    {
      g_printerr ("could not prepare the database: %s\n", error->message);
      return 1;
    }

  window = meso_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  if (!wait_for_within (is_mapped, window, WAIT_TIMEOUT_USEC))
    return 1;

  meso_test_filter_from_env ();

  failed = cmocka_run_group_tests_name ("session-dialog", tests, NULL, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
  g_clear_object (&app);
  remove_tree (dir);
  g_free (dir);
  return failed;
}
