/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window in German (issue 17): run with LC_ALL=de_DE.UTF-8 and
 * LANGUAGE=de on the build tree's translations (MESODESK_LOCALEDIR), the
 * views speak German and write German dates: the aftercare rows, the
 * schedule's header and a refusal's dates. Skipped (77) where de_DE is not
 * installed, failed then under CI. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-aftercare-view.h"
#include "meso-i18n.h"
#include "meso-schedule-view.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <locale.h>

#define NOW      "2026-11-20T10:00"   /* a Friday */

static StoreFixture *fixture;
static MesoApplication *app;
static MesoWindow *window;
static gint64 erika;    /* her follow-up is due */

/* Every label's text drawn at or below @widget, one a line. */
static void
collect_texts (GtkWidget *widget,
               GString   *texts)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    g_string_append_printf (texts, "%s\n",
                            adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static char *
texts_of (GtkWidget *widget)
{
  GString *texts = g_string_new (NULL);

  collect_texts (widget, texts);
  return g_string_free (texts, FALSE);
}

static gboolean
aftercare_settled (gpointer data)
{
  return !meso_aftercare_view_get_loading (MESO_AFTERCARE_VIEW (data));
}

static gboolean
schedule_settled (gpointer data)
{
  return !meso_schedule_view_get_loading (MESO_SCHEDULE_VIEW (data));
}

/* The window's view @name (of @type), once @settled says it has loaded. */
static GtkWidget *
show_view (const char    *name,
           GType          type,
           ConditionFunc  settled)
{
  GtkWidget *view = find_descendant (GTK_WIDGET (window), type);

  meso_window_set_visible_view (window, name);
  assert_non_null (view);
  assert_true (wait_for (settled, view));
  return view;
}

static void
test_aftercare_in_german (void **state)
{
  GtkWidget *view = show_view ("aftercare", MESO_TYPE_AFTERCARE_VIEW, aftercare_settled);
  g_autofree char *texts = NULL;

  meso_aftercare_view_show_section (MESO_AFTERCARE_VIEW (view), MESO_AFTERCARE_SECTION_DUE);
  settle (300);
  take_screenshot ("german-aftercare");
  texts = texts_of (view);

  /* The section and the row's words, and the session it follows from. */
  EXPECT_CONTAINS ("aftercare", texts, "Nachsorge");
  EXPECT_CONTAINS ("aftercare", texts, "Erika Mustermann");
  EXPECT_CONTAINS ("aftercare", texts, "Gesicht");
  EXPECT_CONTAINS ("aftercare", texts, "16.10.2026");
  EXPECT_NOT_CONTAINS ("aftercare", texts, "2026-10-16");
  EXPECT_NOT_CONTAINS ("aftercare", texts, "Face");
}

/* At 360 pixels in German: the name whole, and the section switcher's short
 * names (“Fällig”, not “Folgebehandl-ung fällig”) each on one line. */
static void
test_aftercare_narrow_in_german (void **state)
{
  GtkWidget *view = show_view ("aftercare", MESO_TYPE_AFTERCARE_VIEW, aftercare_settled);
  GtkWidget *name, *switcher;
  g_autofree char *texts = NULL;

  meso_aftercare_view_show_section (MESO_AFTERCARE_VIEW (view), MESO_AFTERCARE_SECTION_DUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 800);
  assert_true (wait_for (view_is_narrow, view));
  settle (300);
  take_screenshot ("german-aftercare-360");
  name = find_shown_label (view, "Erika Mustermann");
  assert_non_null (name);
  expect_labels_whole (name, "the name at 360 pixels");
  switcher = find_matching (view, GTK_TYPE_BOX, widget_named, "aftercare-switcher");
  expect_labels_whole (switcher, "the section switcher at 360 pixels");
  expect_labels_one_line (switcher, "the section switcher at 360 pixels");
  texts = texts_of (switcher);
  EXPECT_CONTAINS ("the short names", texts, "Fällig");
  EXPECT_CONTAINS ("the short names", texts, "Überfällig");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  settle (300);
}

static void
test_schedule_in_german (void **state)
{
  GtkWidget *view = show_view ("schedule", MESO_TYPE_SCHEDULE_VIEW, schedule_settled);
  g_autofree char *texts = NULL;
  g_autofree char *list = NULL;

  settle (300);
  take_screenshot ("german-schedule");
  texts = texts_of (view);

  /* The day's header, the controls, and the day's list with the booked block. */
  EXPECT_CONTAINS ("schedule", texts, "Freitag, 20. November 2026");
  EXPECT_CONTAINS ("schedule", texts, "Heute");
  EXPECT_CONTAINS ("schedule", texts, "Woche");
  EXPECT_NOT_CONTAINS ("schedule", texts, "Today");
  EXPECT_NOT_CONTAINS ("schedule", texts, "2026-11");
  list = meso_schedule_view_dup_day_list_text (MESO_SCHEDULE_VIEW (view));
  EXPECT_CONTAINS ("day list", list, "Freitag, 20. November 2026");
  EXPECT_CONTAINS ("day list", list, "14:00");
  EXPECT_CONTAINS ("day list", list, "Max Muster");
  EXPECT_CONTAINS ("day list", list, "Gesicht");
  EXPECT_NOT_CONTAINS ("day list", list, "Face");
}

/* A refusal the window shows comes from core: German words, German dates. */
static void
test_refusal_in_german (void **state)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = local_dt ("2026-11-01T10:00");
  g_autoptr(GError) error = NULL;

  meso_session_set_patient_id (session, erika);
  meso_session_set_at (session, when);
  meso_session_set_area (session, MESO_AREA_FACE);
  meso_session_set_device (session, MESO_DEVICE_ROLLER);
  meso_session_set_needle_um (session, 500);
  assert_false (meso_store_add_session (fixture->store, session, MESO_ROLE_CLINICIAN, NULL,
                                        &error));
  assert_non_null (error);
  EXPECT_CONTAINS ("refusal", error->message, "Behandlungsabstand");
  EXPECT_CONTAINS ("refusal", error->message, "16.10.2026");
  EXPECT_CONTAINS ("refusal", error->message, "13.11.2026");
  EXPECT_NOT_CONTAINS ("refusal", error->message, "2026-");
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  gint64 max;

  fixture = store_fixture_new ("mesodesk-german-XXXXXX", TRUE);
  if (!meso_store_add_practitioner (fixture->store, "Dr. Ada Ames", MESO_ROLE_CLINICIAN, &error))
    return -1;
  /* Erika's follow-up is due (35 days ago); Max comes today at 14:00. */
  erika = add_patient_full (fixture->store, "Erika Mustermann", FALSE, "030 1234567", NULL);
  record_session_ok (fixture->store, erika, "2026-10-16T10:00", MESO_AREA_FACE);
  max = add_patient (fixture->store, "Max Muster", FALSE);
  book_face (fixture->store, max, "2026-11-20T14:00", "Dr. Ada Ames");

  g_setenv ("MESODESK_DATABASE", fixture->path, TRUE);
  app = registered_application ();
  if (app == NULL)
    return -1;
  window = meso_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  settle (300);
  return 0;
}

static int
teardown (void **state)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle (300);
  g_clear_object (&app);
  store_fixture_free (fixture);
  fixture = NULL;
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_aftercare_in_german),
    cmocka_unit_test (test_aftercare_narrow_in_german),
    cmocka_unit_test (test_schedule_in_german),
    cmocka_unit_test (test_refusal_in_german),
  };
  g_autofree char *data_home = use_temp_data_home ();
  int failed;

  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  /* As main() does: the locale of the environment, the build's translations. */
  meso_i18n_init ();
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_printerr ("the locale de_DE.UTF-8 is not installed (Debian: locales-all)\n");
      remove_tree (data_home);
      return g_getenv ("CI") != NULL ? 1 : 77;
    }
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  meso_test_filter_from_env ();

  failed = cmocka_run_group_tests_name ("german", tests, setup, teardown);

  remove_tree (data_home);
  return failed;
}
