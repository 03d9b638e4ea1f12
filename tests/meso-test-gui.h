/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the GUI tests share: waiting on the main loop, finding widgets,
 * their accessible names. */

#pragma once

#include <gtk/gtk.h>

#include "meso-test.h"

#include "meso-application.h"
#include "meso-i18n.h"
#include "meso-lot-picker.h"
#include "meso-patient-page.h"
#include "meso-window.h"

#include <locale.h>

typedef gboolean (*ConditionFunc) (gpointer data);

/* Runs the main context until @condition holds; FALSE after @timeout_usec,
 * so a test can fail rather than hang. */
static inline gboolean
wait_for_within (ConditionFunc condition,
                 gpointer      data,
                 gint64        timeout_usec)
{
  gint64 deadline = g_get_monotonic_time () + timeout_usec;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

/* Lets a few frames pass, for checks that something did NOT happen. */
/* How long a test waits for something before failing: long, as only a
 * failure waits it out, and the sanitized build under load is slow. */
#define WAIT_TIMEOUT_USEC (60 * G_USEC_PER_SEC)

static inline gboolean
wait_for (ConditionFunc condition,
          gpointer      data)
{
  return wait_for_within (condition, data, WAIT_TIMEOUT_USEC);
}

static inline void
settle (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static inline void
note_finalized_cb (gpointer data)
{
  *(GThread **) data = g_thread_self ();
}

/* Sets *@where to the thread @object is finalized in (a GObject's data is
 * freed there). @where is best static: unfixed, the object may go after
 * the test returned. */
static inline void
note_finalized_in (gpointer   object,
                   GThread  **where)
{
  *where = NULL;
  g_object_set_data_full (G_OBJECT (object), "test-finalized", where, note_finalized_cb);
}

/* The first widget of @type at or below @widget, depth first. */
static inline GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* For wait_for(): @window's patient page, if it has one, has read what it
 * shows (it reads in a worker). */
static inline gboolean
patient_page_read (gpointer window)
{
  GtkWidget *page = find_descendant (GTK_WIDGET (window), MESO_TYPE_PATIENT_PAGE);

  return page == NULL || !meso_patient_page_get_loading (MESO_PATIENT_PAGE (page));
}

/* Shows patient @id in @window, as the list does, and waits until the
 * page has read the record. */
static inline gboolean
show_patient_in (MesoWindow *window,
                 gint64      id)
{
  return gtk_widget_activate_action (GTK_WIDGET (window), "win.show-patient", "x", id) &&
         wait_for (patient_page_read, window);
}

/* The accessible label of @widget, or NULL when none is set. check_property hands
 * back the actual value whenever it differs from the one asked for. */
static inline char *
accessible_label (GtkWidget *widget)
{
  static const char impossible[] = "\x01";

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL, impossible);
}

static inline gboolean
has_visible_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *text = g_strdup (gtk_label_get_text (GTK_LABEL (widget)));

      if (text != NULL && g_strstrip (text)[0] != '\0')
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* A menu button's popover is not its name: its items are only seen once open. */
      if (GTK_IS_NATIVE (child))
        continue;
      if (has_visible_text (child))
        return TRUE;
    }

  return FALSE;
}

static inline gboolean
has_name (GtkWidget *widget)
{
  g_autofree char *label = accessible_label (widget);

  return (label != NULL && label[0] != '\0') ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
         has_visible_text (widget);
}

/* Every button is named by its accessible label, a labelled-by relation (as the toggle
 * inside a GtkMenuButton is) or the text it shows. */
static inline void
check_buttons_named (GtkWidget *widget,
                     guint     *n_buttons)
{
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      if (!has_name (widget))
        fail_msg ("%s %p has no accessible name (tooltip: %s)", G_OBJECT_TYPE_NAME (widget),
                  (void *) widget, gtk_widget_get_tooltip_text (widget));
      (*n_buttons)++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_buttons_named (child, n_buttons);
}

/* Labels with @css_class that are drawn, in widget order. */
static inline void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                GPtrArray  *found)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (found, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, found);
}

static inline gboolean
strv_has (GPtrArray  *strings,
          const char *wanted)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), wanted) == 0)
      return TRUE;
  return FALSE;
}

typedef gboolean (*WidgetMatchFunc) (GtkWidget *widget, gconstpointer data);

/* The first widget of @type at or below @widget that @match accepts, depth first. */
static inline GtkWidget *
find_matching (GtkWidget       *widget,
               GType            type,
               WidgetMatchFunc  match,
               gconstpointer    data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_matching (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Saves the whole (Xvfb) screen as a PNG at @path, for a person to look at:
 * ImageMagick's import, as testing-gui.md does by hand. */
static inline gboolean
save_screen_png (const char *path)
{
  const char *argv[] = { "import", "-window", "root", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* A failed test leaves its windows open; the next test must start with none. */
static inline int
destroy_windows (void **state)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  settle (50);

  return 0;
}

/* Whether @widget is a button (plain or menu) whose label (with or without its
 * mnemonic underscore) or tooltip is @data. */
static inline gboolean
button_labelled (GtkWidget     *widget,
                 gconstpointer  data)
{
  const char *label = data;
  const char *text = NULL;
  g_autofree char *plain = NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    text = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
  else
    return FALSE;

  if (text != NULL)
    {
      GString *s = g_string_new (text);

      g_string_replace (s, "_", "", 0);
      plain = g_string_free (s, FALSE);
    }
  return g_strcmp0 (text, label) == 0 || g_strcmp0 (plain, label) == 0 ||
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), label) == 0;
}

/* The first button (plain or menu) at or below @widget, popovers included,
 * whose label (with or without its mnemonic underscore) or tooltip is @label. */
static inline GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return find_matching (widget, GTK_TYPE_WIDGET, button_labelled, label);
}

/* find_button(), failing the test when there is none. */
static inline GtkWidget *
expect_button (GtkWidget  *root,
               const char *label)
{
  GtkWidget *found = find_button (root, label);

  if (found == NULL)
    fail_msg ("no button \"%s\"", label);
  return found;
}

/* As a person clicks: a menu button opens its popover, a button is clicked. */
static inline void
click_widget (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    gtk_menu_button_popup (GTK_MENU_BUTTON (widget));
  else
    g_signal_emit_by_name (widget, "clicked");
  settle (30);
}

/* Through accessible_label(): GTK 4.8's gtk_test_accessible_check_property()
 * leaks a GString whenever the value it is given matches. */
static inline gboolean
accessible_label_is (GtkWidget     *widget,
                     gconstpointer  label)
{
  g_autofree char *actual = accessible_label (widget);

  return g_strcmp0 (actual, label) == 0;
}

/* The button labelled @label at or below @root; fails the test without it. */
static inline GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  GtkWidget *found = find_button (root, label);

  if (found == NULL)
    fail_msg ("no button \"%s\"", label);
  return found;
}

/* The first widget of @type at or below @widget whose accessible label is
 * @label: how a screen reader, and so a test, finds a control. */
static inline GtkWidget *
find_labelled (GtkWidget  *widget,
               GType       type,
               const char *label)
{
  return find_matching (widget, type, accessible_label_is, label);
}

/* The open window titled @title, or NULL. */
static inline GtkWindow *
find_window_titled (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) each = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (each), title) == 0)
        return each;
    }
  return NULL;
}

/* The first open window of @type, or NULL. */
static inline GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* For find_matching(): an AdwPreferencesRow titled @title. */
static inline gboolean
row_titled (GtkWidget     *widget,
            gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* The text a drop-down shows (its string list's chosen entry), or NULL. */
static inline const char *
combo_row_chosen (AdwComboRow *combo)
{
  GObject *item = adw_combo_row_get_selected_item (combo);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* With MESODESK_SHOT_DIR set, the whole (Xvfb) screen as NAME.png in it,
 * for a person to look at; otherwise nothing. */
static inline void
take_screenshot (const char *name)
{
  const char *dir = g_getenv ("MESODESK_SHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  settle (500);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  save_screen_png (path);
}

/* The narrowest @widget can be. */
static inline int
minimum_width (gpointer widget)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (GTK_WIDGET (widget), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                      NULL, NULL);
  return minimum;
}

/* Says which widgets are too wide, down to the first that fits. */
static inline void
print_too_wide (GtkWidget *widget,
                int        width,
                int        depth)
{
  if (minimum_width (widget) <= width)
    {
      if (depth > 0 && minimum_width (widget) > 0)
        g_printerr ("%*s(%s %s: %d)\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                    GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) :
                    gtk_widget_get_name (widget), minimum_width (widget));
      return;
    }
  g_printerr ("%*s%s (%s): %d\n", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
              GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "",
              minimum_width (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      print_too_wide (child, width, depth + 1);
}

/* Fails, naming the widgets too wide, when @window (or a widget) needs more
 * than @width pixels. */
static inline void
expect_fits (gpointer    window,
             int         width,
             const char *what)
{
  GtkWidget *content = GTK_IS_WINDOW (window)
                         ? gtk_window_get_child (GTK_WINDOW (window)) : GTK_WIDGET (window);
  int minimum = minimum_width (content);

  if (minimum > width)
    {
      print_too_wide (content, width, 0);
      fail_msg ("%s needs %d pixels, more than %d", what, minimum, width);
    }
}

/* The number of labels drawn at or below @widget that are cut short (an
 * ellipsis); each is named on stderr. */
static inline guint
count_ellipsized (GtkWidget *widget)
{
  guint count = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    {
      g_printerr ("cut short: \"%s\" in %d pixels\n", gtk_label_get_text (GTK_LABEL (widget)),
                  gtk_widget_get_width (widget));
      count++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count += count_ellipsized (child);
  return count;
}

/* Fails when a label drawn at or below @widget is cut short. */
static inline void
expect_labels_whole (GtkWidget  *widget,
                     const char *what)
{
  guint cut = count_ellipsized (widget);

  if (cut > 0)
    fail_msg ("%s cuts %u label(s) short", what, cut);
}

/* Fails when a label drawn at or below @widget takes more than one line (a
 * word broken in the middle, a name wrapped). */
static inline void
expect_labels_one_line (GtkWidget  *widget,
                        const char *what)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) &&
      pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (widget))) > 1)
    fail_msg ("%s: \"%s\" takes %d lines in %d pixels", what,
              gtk_label_get_text (GTK_LABEL (widget)),
              pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (widget))),
              gtk_widget_get_width (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    expect_labels_one_line (child, what);
}

static inline gboolean
shown_label_is (GtkWidget     *widget,
               gconstpointer  text)
{
  return gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* For find_matching(): the widget of that name (gtk_widget_set_name()). */
static inline gboolean
widget_named (GtkWidget     *widget,
              gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* Every label's text drawn at or below @widget, one a line. */
static inline void
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

static inline char *
texts_of (GtkWidget *widget)
{
  GString *texts = g_string_new (NULL);

  collect_texts (widget, texts);
  return g_string_free (texts, FALSE);
}

/* For wait_for(): a view's "narrow" property (it shows its narrow form). */
static inline gboolean
view_is_narrow (gpointer view)
{
  gboolean narrow = FALSE;

  g_object_get (view, "narrow", &narrow, NULL);
  return narrow;
}

/* The label drawn at or below @widget that shows @text, or NULL. */
static inline GtkWidget *
find_shown_label (GtkWidget  *widget,
                    const char *text)
{
  return find_matching (widget, GTK_TYPE_LABEL, shown_label_is, text);
}

/* Activates the window's own key binding for @accelerator, as pressing the keys would;
 * FALSE when no such binding exists. */
static inline gboolean
activate_shortcut (GtkWidget  *widget,
                   const char *accelerator)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  assert_non_null (wanted);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  return FALSE;
}

/* A Mesodesk application for a test program: non-unique, so each test
 * binary owns no bus name and clashes with none, and registered. NULL
 * (and a message) when it cannot register. */
static inline MesoApplication *
registered_application (void)
{
  g_autoptr(GError) error = NULL;
  MesoApplication *app = meso_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("could not register the application: %s\n", error->message);
      g_object_unref (app);
      return NULL;
    }
  return app;
}

/* The main window on the database at @path, 1280 × 800 and shown, with its
 * application in *@app; NULL when the application cannot register. */
static inline MesoWindow *
present_main_window (const char       *path,
                     MesoApplication **app)
{
  MesoWindow *window;

  g_setenv ("MESODESK_DATABASE", path, TRUE);
  *app = registered_application ();
  if (*app == NULL)
    return NULL;
  window = meso_window_new (*app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  settle (300);
  return window;
}

static inline void
close_main_window (MesoWindow       *window,
                   MesoApplication **app)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle (300);
  g_clear_object (app);
}

/* For a test program's main(), as Mesodesk's main() starts: @locale for
 * LC_ALL, the build's translations (MESODESK_LOCALEDIR, LANGUAGE), then GTK
 * and libadwaita. FALSE, with a message, when @locale is not installed. */
static inline gboolean
init_gui_in_locale (const char *locale)
{
  meso_i18n_init ();
  if (locale == NULL || setlocale (LC_ALL, locale) == NULL)
    {
      g_printerr ("the locale %s is not installed (Debian: locales-all)\n",
                  locale != NULL ? locale : "(none)");
      return FALSE;
    }
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  return TRUE;
}

/* A widget of @widget's template (bound with
 * gtk_widget_class_bind_template_child()); fails the test without it. */
static inline GtkWidget *
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (object == NULL)
    fail_msg ("no template child \"%s\"", name);
  return GTK_WIDGET (object);
}

/* What @widget shows now, drawn by its window's renderer into pixels one
 * can read with pixel_at(): how a test sees a drawn widget without a
 * screenshot. */
typedef struct
{
  int     width, height;
  guchar *data;   /* GDK_MEMORY_DEFAULT: cairo's native-endian ARGB32 */
} Rendered;

static inline void
rendered_free (Rendered *rendered)
{
  g_free (rendered->data);
  g_free (rendered);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rendered, rendered_free)

/* The pixels of @texture. */
static inline Rendered *
rendered_from_texture (GdkTexture *texture)
{
  Rendered *rendered = g_new0 (Rendered, 1);

  rendered->width = gdk_texture_get_width (texture);
  rendered->height = gdk_texture_get_height (texture);
  rendered->data = g_malloc0 ((gsize) rendered->width * rendered->height * 4);
  gdk_texture_download (texture, rendered->data, rendered->width * 4);
  return rendered;
}

static inline Rendered *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  assert_non_null (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width,
                                                                             height));
  return rendered_from_texture (texture);
}

/* The pixel at @x, @y as 0xAARRGGBB (premultiplied), 0 outside. */
static inline guint32
pixel_at (const Rendered *rendered,
          int             x,
          int             y)
{
  if (x < 0 || y < 0 || x >= rendered->width || y >= rendered->height)
    return 0;
  return ((const guint32 *) (gconstpointer) rendered->data)[(gsize) y * rendered->width + x];
}

#define PIXEL_A(p) (((p) >> 24) & 0xff)
#define PIXEL_R(p) (((p) >> 16) & 0xff)
#define PIXEL_G(p) (((p) >> 8) & 0xff)
#define PIXEL_B(p) ((p) & 0xff)

/* The controller of @type that @widget has (it keeps it), or NULL. */
static inline GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return GTK_EVENT_CONTROLLER (controller);
    }
  return NULL;
}

/* The four looks a widget's screenshots show: light and dark, wide and
 * narrow. */
typedef struct
{
  int             width;
  AdwColorScheme  scheme;
  const char     *name;
} ShotLook;

static inline const ShotLook *
shot_looks (guint *n_looks)
{
  static const ShotLook looks[] = {
    { 1280, ADW_COLOR_SCHEME_FORCE_LIGHT, "light-1280" },
    { 360, ADW_COLOR_SCHEME_FORCE_LIGHT, "light-360" },
    { 1280, ADW_COLOR_SCHEME_FORCE_DARK, "dark-1280" },
    { 360, ADW_COLOR_SCHEME_FORCE_DARK, "dark-360" },
  };

  *n_looks = G_N_ELEMENTS (looks);
  return looks;
}

/* A screenshot's name: @what, the language (LANGUAGE) and @look. */
static inline char *
shot_name (const char     *what,
           const ShotLook *look)
{
  const char *language = g_getenv ("LANGUAGE");

  return g_strdup_printf ("%s-%s-%s", what, language != NULL ? language : "en", look->name);
}

/* For a widget's test program: GTK, libadwaita and the build's translations
 * started, and an application (for its style sheet) on a database in a new
 * folder, *@dir. NULL, with a message, when it cannot register. */
static inline MesoApplication *
start_widget_test (char **dir)
{
  g_autofree char *path = NULL;

  *dir = g_dir_make_tmp ("mesodesk-widget-XXXXXX", NULL);
  path = g_build_filename (*dir, "clinic.db", NULL);
  g_setenv ("MESODESK_DATABASE", path, TRUE);
  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  meso_test_filter_from_env ();
  return registered_application ();
}

static inline void
stop_widget_test (MesoApplication *app,
                  char            *dir)
{
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);

  g_clear_object (&app);
  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
}

static inline void
pointer_done_cb (GPid     pid,
                 int      status,
                 gpointer data)
{
  *(int *) data = status;
  g_spawn_close_pid (pid);
}

/* Drags the X server's real pointer with the first button through
 * @n_points (x, y pairs in @widget's coordinates): pressed at the first,
 * moved to each, let go at the last, as a hand moves a mouse. XTest,
 * through the accessibility registry (Atspi.generate_mouse_event() from
 * Debian's python3). Under Xvfb without a window manager the window's
 * surface is at the screen's origin. FALSE when python3 cannot run. */
static inline gboolean
drag_real_pointer (GtkWidget    *widget,
                   const double *points,
                   guint         n_points)
{
  static const char script[] =
    "import sys, time, gi\n"
    "gi.require_version('Atspi', '2.0')\n"
    "from gi.repository import Atspi\n"
    "p = [int(float(v)) for v in sys.argv[1:]]\n"
    "points = list(zip(p[0::2], p[1::2]))\n"
    "Atspi.generate_mouse_event(points[0][0], points[0][1], 'abs'); time.sleep(0.1)\n"
    "Atspi.generate_mouse_event(points[0][0], points[0][1], 'b1p')\n"
    "for x, y in points[1:]:\n"
    "    time.sleep(0.1); Atspi.generate_mouse_event(x, y, 'abs')\n"
    "time.sleep(0.1); Atspi.generate_mouse_event(points[-1][0], points[-1][1], 'b1r')\n";
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GtkNative *native = gtk_widget_get_native (widget);
  double offset_x, offset_y;
  graphene_point_t origin;
  int status = -1;
  GPid pid;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  /* The window's content is inset in its surface by its shadow. */
  gtk_native_get_surface_transform (native, &offset_x, &offset_y);
  assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                         &GRAPHENE_POINT_INIT (0, 0), &origin));
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (script));
  for (guint i = 0; i < n_points; i++)
    {
      g_ptr_array_add (argv, g_strdup_printf ("%d", (int) (offset_x + origin.x + points[2 * i])));
      g_ptr_array_add (argv, g_strdup_printf ("%d",
                                              (int) (offset_y + origin.y + points[2 * i + 1])));
    }
  g_ptr_array_add (argv, NULL);
  assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                              NULL, NULL, &pid, &error));
  g_child_watch_add (pid, pointer_done_cb, &status);
  while (status == -1)
    g_main_context_iteration (NULL, TRUE);
  settle (200);
  if (!g_spawn_check_wait_status (status, &error))
    fail_msg ("the pointer could not be moved: %s", error->message);
  return TRUE;
}

/* A key pressed in a lot field, as its picker's key controller sees it;
 * fails the test unless the picker takes it. */
static inline void
press_in_lot_picker (GtkWidget *field,
                     guint      keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (meso_lot_picker_get_keys (field), "key-pressed", keyval, 0, 0,
                         &handled);
  EXPECT ("the picker takes the key", handled);
  settle (100);
}
