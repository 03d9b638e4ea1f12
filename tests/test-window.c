/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window as a person meets it: real widgets in a real (Xvfb) display,
 * settings in the in-memory backend, no mocks. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-aftercare-view.h"
#include "meso-patients-view.h"
#include "meso-schedule-view.h"
#include "meso-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#define CHILD_NO_SCHEMA_ARG "--child-without-schema"
#define CHILD_DATABASE_ARG  "--child-database"

static MesoApplication *app;
static const char *self_path;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Static, not on a test's stack: a failed test may leave the weak pointer set
 * until the teardown destroys the window. */
static gpointer closing_window;

static gboolean
closing_window_gone (gpointer data)
{
  return closing_window == NULL;
}

static void
watch_closing_window (MesoWindow *window)
{
  if (closing_window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (closing_window), &closing_window);
  closing_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), &closing_window);
}

static MesoWindow *
open_window (int width,
             int height)
{
  MesoWindow *window = meso_window_new (app);

  assert_non_null (window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  assert_true (wait_for (is_mapped, window));

  return window;
}

/* Closes as the title bar button does (close-request), and waits until it is freed. */
static void
close_window (MesoWindow *window)
{
  watch_closing_window (window);
  gtk_window_close (GTK_WINDOW (window));
  assert_true (wait_for (closing_window_gone, NULL));
}

static AdwViewStack *
window_stack (MesoWindow *window)
{
  GtkWidget *stack = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);

  assert_non_null (stack);
  return ADW_VIEW_STACK (stack);
}

static AdwViewSwitcherBar *
window_switcher_bar (MesoWindow *window)
{
  GtkWidget *bar = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR);

  assert_non_null (bar);
  return ADW_VIEW_SWITCHER_BAR (bar);
}

static gboolean
strv_contains_accel (char **accels,
                     const char *accel)
{
  guint key;
  GdkModifierType mods;

  gtk_accelerator_parse (accel, &key, &mods);
  for (guint i = 0; accels != NULL && accels[i] != NULL; i++)
    {
      guint other_key;
      GdkModifierType other_mods;

      gtk_accelerator_parse (accels[i], &other_key, &other_mods);
      if (key == other_key && mods == other_mods)
        return TRUE;
    }

  return FALSE;
}

static int
reset_settings (void **state)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return 0;
}

static gboolean
patients_view_settled (gpointer data)
{
  MesoPatientList *list = meso_patients_view_get_list (MESO_PATIENTS_VIEW (data));

  return list != NULL && !meso_patient_list_get_loading (list);
}

static gboolean
aftercare_view_settled (gpointer data)
{
  return !meso_aftercare_view_get_loading (MESO_AFTERCARE_VIEW (data));
}

static void
test_views (void **state)
{
  static const struct
  {
    const char *name;
    const char *title;
    const char *empty_title;
  } expected[] = {
    { "patients", N_("Patients"), N_("No Patients Yet") },
    { "schedule", N_("Schedule"), N_("No Appointments Yet") },
    { "aftercare", N_("Aftercare"), N_("No Aftercare Today") },
  };
  MesoWindow *window = open_window (0, 0);
  AdwViewStack *stack = window_stack (window);
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);

  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (pages)), G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);
      const char *icon = adw_view_stack_page_get_icon_name (page);

      assert_string_equal (adw_view_stack_page_get_name (page), expected[i].name);
      assert_string_equal (adw_view_stack_page_get_title (page), _(expected[i].title));
      assert_non_null (icon);
      assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                              gtk_widget_get_display (child)), icon));

      /* The schedule is a grid even on an empty database, ready for booking. */
      if (g_str_equal (expected[i].name, "schedule"))
        {
          assert_true (MESO_IS_SCHEDULE_VIEW (child));
          continue;
        }
      /* Patients lists the (here empty) database; the other views are, for now,
       * plainly marked empty pages. */
      if (g_str_equal (expected[i].name, "patients"))
        {
          assert_true (MESO_IS_PATIENTS_VIEW (child));
          /* The view lists the application's own database. */
          assert_non_null (meso_application_get_store (app, NULL));
          assert_ptr_equal (meso_patient_list_get_store (
                              meso_patients_view_get_list (MESO_PATIENTS_VIEW (child))),
                            meso_application_get_store (app, NULL));
          assert_true (wait_for (patients_view_settled, child));
          /* The list's own empty state, not the page's beside it. */
          child = find_descendant (gtk_widget_get_ancestor (find_descendant (child,
                                                                             GTK_TYPE_LIST_VIEW),
                                                            GTK_TYPE_STACK),
                                   ADW_TYPE_STATUS_PAGE);
          assert_non_null (child);
          assert_true (gtk_widget_get_child_visible (child));
        }
      /* Aftercare too, its first section (Today's Aftercare) empty. */
      if (g_str_equal (expected[i].name, "aftercare"))
        {
          assert_true (MESO_IS_AFTERCARE_VIEW (child));
          assert_true (wait_for (aftercare_view_settled, child));
          assert_int_equal (meso_aftercare_view_get_attention_count (MESO_AFTERCARE_VIEW (child)),
                            0);
          child = find_descendant (child, ADW_TYPE_STATUS_PAGE);
          assert_non_null (child);
        }
      assert_true (ADW_IS_STATUS_PAGE (child));
      assert_string_equal (adw_status_page_get_title (ADW_STATUS_PAGE (child)),
                           _(expected[i].empty_title));
      assert_non_null (adw_status_page_get_description (ADW_STATUS_PAGE (child)));
    }

  close_window (window);
}

static void
test_title (void **state)
{
  MesoWindow *window = open_window (0, 0);
  GtkWidget *title = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE);

  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)), _("Mesodesk"));
  assert_non_null (title);
  assert_string_equal (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (title)),
                       _("Mesodesk"));
  assert_ptr_equal (adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (title)),
                    window_stack (window));

  close_window (window);
}

static void
test_default_and_switch (void **state)
{
  MesoWindow *window = open_window (0, 0);
  AdwViewStack *stack = window_stack (window);
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  assert_int_equal (width, 1000);
  assert_int_equal (height, 700);

  assert_string_equal (meso_window_get_visible_view (window), "patients");

  meso_window_set_visible_view (window, "schedule");
  assert_string_equal (meso_window_get_visible_view (window), "schedule");
  assert_ptr_equal (adw_view_stack_get_visible_child (stack),
                    adw_view_stack_get_child_by_name (stack, "schedule"));

  meso_window_set_visible_view (window, "aftercare");
  assert_string_equal (adw_view_stack_get_visible_child_name (stack), "aftercare");

  close_window (window);
}

static void
test_keyboard (void **state)
{
  MesoWindow *window = open_window (0, 0);
  g_auto(GStrv) quit_accels = NULL;
  g_auto(GStrv) help_accels = NULL;

  assert_true (activate_shortcut (GTK_WIDGET (window), "<Alt>2"));
  assert_string_equal (meso_window_get_visible_view (window), "schedule");
  assert_true (activate_shortcut (GTK_WIDGET (window), "<Alt>3"));
  assert_string_equal (meso_window_get_visible_view (window), "aftercare");
  assert_true (activate_shortcut (GTK_WIDGET (window), "<Alt>1"));
  assert_string_equal (meso_window_get_visible_view (window), "patients");

  /* Ctrl+F, from any view, shows the patients and puts the cursor in their search. */
  {
    /* In the views: the sign-in page's name list has one in its popover. */
    GtkWidget *views = find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
    GtkWidget *entry = find_descendant (views, GTK_TYPE_SEARCH_ENTRY);
    GtkWidget *focus;

    assert_non_null (entry);
    meso_window_set_visible_view (window, "aftercare");
    assert_true (activate_shortcut (GTK_WIDGET (window), "<Control>f"));
    assert_string_equal (meso_window_get_visible_view (window), "patients");
    focus = gtk_window_get_focus (GTK_WINDOW (window));
    assert_non_null (focus);
    assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  }

  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  assert_true (strv_contains_accel (quit_accels, "<Control>q"));

  /* GtkApplication sets this one only when it found gtk/help-overlay.ui in the
   * resource, so it also proves the resource is registered. */
  help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                       "win.show-help-overlay");
  assert_true (strv_contains_accel (help_accels, "<Control>question"));
  assert_non_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));

  /* Ctrl+W closes through close-request, so the view is saved as with the close button. */
  meso_window_set_visible_view (window, "schedule");
  watch_closing_window (window);
  assert_true (activate_shortcut (GTK_WIDGET (window), "<Control>w"));
  assert_true (wait_for (closing_window_gone, NULL));

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *last_view = g_settings_get_string (settings, "last-view");

    assert_string_equal (last_view, "schedule");
  }
}

static void
test_state_saved_and_restored (void **state)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *last_view = NULL;
  MesoWindow *window;
  int width;
  int height;

  window = open_window (720, 540);
  meso_window_set_visible_view (window, "aftercare");
  close_window (window);

  last_view = g_settings_get_string (settings, "last-view");
  assert_string_equal (last_view, "aftercare");
  assert_int_equal (g_settings_get_int (settings, "window-width"), 720);
  assert_int_equal (g_settings_get_int (settings, "window-height"), 540);
  assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = open_window (0, 0);
  assert_string_equal (meso_window_get_visible_view (window), "aftercare");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  assert_int_equal (width, 720);
  assert_int_equal (height, 540);
  close_window (window);

  /* A view name this version does not know falls back to the first view. */
  g_settings_set_string (settings, "last-view", "no-such-view");
  window = open_window (0, 0);
  assert_string_equal (meso_window_get_visible_view (window), "patients");
  close_window (window);
}

static gboolean
switcher_bar_revealed (gpointer data)
{
  return adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (data));
}

static void
test_narrow_shows_bottom_bar (void **state)
{
  MesoWindow *window;
  AdwViewSwitcherBar *bar;

  /* Wide: the switcher sits in the header bar and the bottom bar stays hidden. */
  window = open_window (1000, 700);
  bar = window_switcher_bar (window);
  settle (300);
  assert_true (gtk_widget_get_width (GTK_WIDGET (window)) > 600);
  assert_false (adw_view_switcher_bar_get_reveal (bar));
  close_window (window);

  /* Phone-sized: the header bar shows the title and the bar at the bottom appears. */
  window = open_window (360, 600);
  bar = window_switcher_bar (window);
  assert_true (wait_for (switcher_bar_revealed, bar));
  assert_true (gtk_widget_get_width (GTK_WIDGET (window)) <= 370);
  assert_ptr_equal (adw_view_switcher_bar_get_stack (bar), window_stack (window));
  close_window (window);
}

static void
collect_view_switchers (GtkWidget  *widget,
                        GPtrArray  *found)
{
  if (ADW_IS_VIEW_SWITCHER (widget))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_view_switchers (child, found);
}

/* The main menu's button (the header also has the signed-in person's). */
static GtkWidget *
find_primary_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_primary_menu (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_buttons_have_names (void **state)
{
  MesoWindow *window = open_window (0, 0);
  GtkWidget *menu_button = find_primary_menu (GTK_WIDGET (window));
  g_autofree char *menu_label = NULL;
  guint n_buttons = 0;

  assert_non_null (menu_button);
  menu_label = accessible_label (menu_button);
  assert_non_null (menu_label);
  assert_string_equal (menu_label, _("Main Menu"));
  assert_string_equal (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (menu_button)),
                       "open-menu-symbolic");

  check_buttons_named (GTK_WIDGET (window), &n_buttons);
  /* Close, the menu button and its toggle, the view buttons in the header (wide and narrow)
   * and at the bottom: a walk that found fewer checked nothing worth the name. */
  assert_true (n_buttons >= 12);

  /* The header's wide and narrow switchers and the bottom bar's each read as "Views". */
  {
    g_autoptr(GPtrArray) switchers = g_ptr_array_new ();

    collect_view_switchers (GTK_WIDGET (window), switchers);
    assert_true (switchers->len >= 2);
    for (guint i = 0; i < switchers->len; i++)
      {
        g_autofree char *label = accessible_label (g_ptr_array_index (switchers, i));

        assert_non_null (label);
        assert_string_equal (label, _("Views"));
      }
  }

  close_window (window);
}

static void
test_about (void **state)
{
  MesoWindow *window = open_window (0, 0);
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwAboutWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        about = ADW_ABOUT_WINDOW (toplevel);
    }

  assert_non_null (about);
  assert_string_equal (adw_about_window_get_application_name (about), _("Mesodesk"));
  assert_string_equal (adw_about_window_get_version (about), PACKAGE_VERSION);
  assert_int_equal (adw_about_window_get_license_type (about), GTK_LICENSE_GPL_3_0);
  assert_ptr_equal (gtk_window_get_transient_for (GTK_WINDOW (about)), GTK_WINDOW (window));
  /* Found in the resource even before `meson install` puts it in hicolor. */
  assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                          gtk_widget_get_display (GTK_WIDGET (about))), APP_ID));

  gtk_window_destroy (GTK_WINDOW (about));
  close_window (window);
}

static char *
without_our_schema (const char * const *dirs)
{
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *schema = g_build_filename (dirs[i], "glib-2.0", "schemas",
                                                  APP_ID ".gschema.xml", NULL);

      if (!g_file_test (schema, G_FILE_TEST_EXISTS))
        g_strv_builder_add (kept, dirs[i]);
    }

  list = g_strv_builder_end (kept);
  return g_strjoinv (G_SEARCHPATH_SEPARATOR_S, list);
}

/* Without an installed schema the window must still open and close on defaults. */
static void
test_without_schema (void **state)
{
  g_autofree char *empty_dir = g_dir_make_tmp ("mesodesk-no-schema-XXXXXX", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *child_stderr = NULL;
  g_autofree char *data_dirs = NULL;
  const char *argv[] = { self_path, CHILD_NO_SCHEMA_ARG, NULL };
  int status = -1;

  assert_non_null (empty_dir);
  env = g_environ_setenv (g_steal_pointer (&env), "GSETTINGS_SCHEMA_DIR", empty_dir, TRUE);
  env = g_environ_setenv (g_steal_pointer (&env), "XDG_DATA_HOME", empty_dir, TRUE);
  /* The other schemas stay, as on a real desktop (libadwaita 1.2 itself fails a check
   * when there are none); only a copy of ours installed by `meson install` goes. */
  data_dirs = without_our_schema (g_get_system_data_dirs ());
  env = g_environ_setenv (g_steal_pointer (&env), "XDG_DATA_DIRS", data_dirs, TRUE);
  /* As for the --database child: LeakSanitizer's tracer, not our code, can crash. */
  env = g_environ_setenv (g_steal_pointer (&env), "ASAN_OPTIONS", "detect_leaks=0", TRUE);

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                     &child_stderr, &status, &error))
    fail_msg ("could not run %s: %s", self_path, error->message);

  if (!g_spawn_check_wait_status (status, &error))
    fail_msg ("window without schema failed: %s\n%s", error->message, child_stderr);

  assert_null (strstr (child_stderr, "CRITICAL"));
  g_rmdir (empty_dir);
}

static int
run_without_schema (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  MesoWindow *window;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      g_printerr ("schema %s is still visible; the check would prove nothing\n", APP_ID);
      return 1;
    }

  window = open_window (0, 0);
  if (g_strcmp0 (meso_window_get_visible_view (window), "patients") != 0)
    return 1;
  meso_window_set_visible_view (window, "schedule");
  close_window (window);

  return 0;
}

/* The child: runs the application as `mesodesk --database PATH` would, and
 * reports on stdout whether the records opened or a dialog said why not. */
static gboolean
report_database (gpointer data)
{
  GApplication *application = data;
  g_autoptr(GError) error = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */
  MesoStore *store;

  store = meso_application_get_store (MESO_APPLICATION (application), &error);
  g_print ("path=%s\n", meso_application_get_database_path (MESO_APPLICATION (application)));
  g_print ("store=%s\n", store != NULL ? "open" : "none");
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        g_print ("dialog=%s\n%s\n", adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                 adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)));
    }
  g_application_quit (application);
  return G_SOURCE_REMOVE;
}

static void
child_activated_cb (GApplication *application)
{
  g_timeout_add (500, report_database, application);
}

static int
run_with_database (const char *path)
{
  g_autoptr(MesoApplication) child = meso_application_new ();
  char *child_argv[] = { (char *) "mesodesk", (char *) "--database", (char *) path, NULL };

  g_application_set_flags (G_APPLICATION (child), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (child, "activate", G_CALLBACK (child_activated_cb), NULL);
  return g_application_run (G_APPLICATION (child), 3, child_argv);
}

static char *
run_child_with_database (const char *path)
{
  const char *argv[] = { self_path, CHILD_DATABASE_ARG, path, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  char *child_stdout = NULL;
  g_autofree char *child_stderr = NULL;
  int status = -1;

  /* LeakSanitizer's tracer itself sometimes crashes stopping a whole GTK
   * application's threads at exit ("Tracer caught signal 11"). The child's
   * code is leak-checked in-process by the other tests of this file and by
   * the store's; here it is what it shows that counts. */
  env = g_environ_setenv (g_steal_pointer (&env), "ASAN_OPTIONS", "detect_leaks=0", TRUE);

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &child_stdout,
                     &child_stderr, &status, &error))
    fail_msg ("could not run %s: %s", self_path, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    fail_msg ("the window with --database failed: %s\n%s", error->message, child_stderr);
  return child_stdout;
}

/* --database: a new file is created private and opened; a damaged one is
 * refused with a dialog that says why, and left as it was. */
static void
test_database_option (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("mesodesk-window-db-XXXXXX", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new", "clinic.db", NULL);
  g_autofree char *zeroed = g_build_filename (dir, "zeroed.db", NULL);
  g_autofree char *zeros = g_malloc0 (65536);
  g_autofree char *after = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *expected_path = NULL;
  gsize length = 0;
  GStatBuf st;

  assert_non_null (dir);
  opened = run_child_with_database (fresh);
  expected_path = g_strdup_printf ("path=%s\n", fresh);
  assert_non_null (strstr (opened, expected_path));
  assert_non_null (strstr (opened, "store=open"));
  assert_null (strstr (opened, "dialog="));
  assert_int_equal (g_stat (fresh, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0600);

  assert_true (g_file_set_contents (zeroed, zeros, 65536, NULL));
  refused = run_child_with_database (zeroed);
  assert_non_null (strstr (refused, "store=none"));
  assert_non_null (strstr (refused, "dialog=The Clinic Database Cannot Be Opened"));
  assert_non_null (strstr (refused, "not a Mesodesk database"));
  assert_true (g_file_get_contents (zeroed, &after, &length, NULL));
  assert_int_equal (length, 65536);
  assert_memory_equal (after, zeros, 65536);

  {
    g_autofree char *wal = g_strconcat (fresh, "-wal", NULL);
    g_autofree char *shm = g_strconcat (fresh, "-shm", NULL);
    g_autofree char *sub = g_path_get_dirname (fresh);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (fresh);
    g_rmdir (sub);
  }
  g_unlink (zeroed);
  g_rmdir (dir);
}

#define WINDOW_TEST(f) cmocka_unit_test_setup_teardown (f, reset_settings, destroy_windows)

int
main (int   argc,
      char *argv[])
{
  const struct CMUnitTest tests[] = {
    WINDOW_TEST (test_views),
    WINDOW_TEST (test_title),
    WINDOW_TEST (test_default_and_switch),
    WINDOW_TEST (test_keyboard),
    WINDOW_TEST (test_state_saved_and_restored),
    WINDOW_TEST (test_narrow_shows_bottom_bar),
    WINDOW_TEST (test_buttons_have_names),
    WINDOW_TEST (test_about),
    cmocka_unit_test (test_without_schema),
    cmocka_unit_test (test_database_option),
  };
  g_autoptr(GError) error = NULL;
  int failed;

  self_path = argv[0];

  if (argc > 2 && g_strcmp0 (argv[1], CHILD_DATABASE_ARG) == 0)
    {
      /* A whole application of its own, as `mesodesk --database PATH`. */
      /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();
      g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
      return run_with_database (argv[2]);
    }

  gtk_init ();
  /* GNOME's title bar buttons, not the bare X server's minimize/maximize/close, which
   * alone would keep the header bar from shrinking to 360 pixels. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  app = meso_application_new ();
  /* Non-unique: each test binary and child owns no bus name and clashes with none. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("could not register the application: %s\n", error->message);
      return 1;
    }

  if (argc > 1 && g_strcmp0 (argv[1], CHILD_NO_SCHEMA_ARG) == 0)
    failed = run_without_schema ();
  else
    {
      meso_test_filter_from_env ();
      failed = cmocka_run_group_tests_name ("window", tests, NULL, NULL);
    }

  g_clear_object (&app);

  return failed;
}
