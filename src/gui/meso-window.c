/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-window.h"

#include "meso-patient-editor.h"
#include "meso-aftercare-sheet.h"
#include "meso-booking-dialog.h"
#include "meso-aftercare-view.h"
#include "meso-patients-view.h"
#include "meso-session-dialog.h"
#include "meso-schedule-view.h"

#include <glib/gi18n.h>

struct _MesoWindow
{
  AdwApplicationWindow  parent_instance;

  /* NULL when the schema is not installed: the window then runs on defaults. */
  GSettings            *settings;

  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *clinic_indicator;
  GtkLabel             *clinic_label;
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *server_banner;
  GtkStack             *content_stack;
  AdwStatusPage        *connecting_page;
  AdwStatusPage        *failed_page;
  AdwViewStack         *stack;
  AdwViewSwitcherBar   *switcher_bar;
  MesoPatientsView     *patients_view;
  MesoScheduleView     *schedule_view;
  MesoAftercareView    *aftercare_view;
  /* The application whose store-changed this window follows (weak). */
  GApplication         *followed_app;
};

G_DEFINE_FINAL_TYPE (MesoWindow, meso_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
meso_window_has_view (MesoWindow *self,
                      const char *name)
{
  return name != NULL && adw_view_stack_get_child_by_name (self->stack, name) != NULL;
}

/* The switchers live inside AdwViewSwitcherTitle and AdwViewSwitcherBar, which in
 * libadwaita 1.2 leave them named after their type ("AdwViewSwitcher") for screen readers. */
static void
meso_window_label_view_switchers (GtkWidget  *widget,
                                  const char *label)
{
  if (ADW_IS_VIEW_SWITCHER (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    meso_window_label_view_switchers (child, label);
}

static void
meso_window_restore_state (MesoWindow *self)
{
  g_autofree char *last_view = NULL;
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* A view saved by another version of Mesodesk may no longer exist. */
  last_view = g_settings_get_string (self->settings, "last-view");
  if (meso_window_has_view (self, last_view))
    adw_view_stack_set_visible_child_name (self->stack, last_view);
}

static void
meso_window_save_state (MesoWindow *self)
{
  gboolean maximized;
  const char *view;

  if (self->settings == NULL)
    return;

  /* Keep the unmaximized size, so unmaximizing next time restores it. */
  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  if (!maximized)
    {
      int width;
      int height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  view = meso_window_get_visible_view (self);
  if (view != NULL)
    g_settings_set_string (self->settings, "last-view", view);
}

static gboolean
meso_window_close_request (GtkWindow *window)
{
  meso_window_save_state (MESO_WINDOW (window));

  return GTK_WINDOW_CLASS (meso_window_parent_class)->close_request (window);
}

static void
meso_window_show_view_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  meso_window_set_visible_view (MESO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
meso_window_search_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MesoWindow *self = MESO_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "patients");
  meso_patients_view_focus_search (self->patients_view);
}

static void
meso_window_unreachable_changed_cb (MesoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  gtk_revealer_set_reveal_child (self->server_banner,
                                 MESO_IS_APPLICATION (app)
                                 && meso_application_get_unreachable (MESO_APPLICATION (app)));
}

/* The clinic, or that the window is connecting to its server at start-up,
 * or why it could not: never patient data before the store is there. */
static void
meso_window_connecting_changed_cb (MesoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  MesoApplication *application = MESO_IS_APPLICATION (app) ? MESO_APPLICATION (app) : NULL;
  const char *failure = application != NULL ? meso_application_get_connect_error (application)
                                             : NULL;
  gboolean connecting = application != NULL && meso_application_get_connecting (application);
  g_autofree char *where = application != NULL
                           ? meso_application_describe_database (application) : NULL;

  adw_status_page_set_description (self->connecting_page, where);
  adw_status_page_set_description (self->failed_page, failure);
  gtk_stack_set_visible_child_name (self->content_stack,
                                    connecting ? "connecting"
                                               : failure != NULL ? "failed" : "clinic");
  /* Nothing to add a patient to yet. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-patient",
                                 !connecting && failure == NULL);
}

/* Beside the view switcher, the clinic server's name; when the window is
 * narrow the switcher folds into the title, whose subtitle says it. */
static void
meso_window_update_clinic_indicator (MesoWindow *self)
{
  const char *where = gtk_label_get_text (self->clinic_label);

  gtk_widget_set_visible (self->clinic_indicator,
                          *where != '\0' &&
                          !adw_view_switcher_title_get_title_visible (self->switcher_title));
}

/* A clinic server's name under the title, and in the window's title (for the
 * window list and screen readers); nothing for this computer's file. */
static void
meso_window_show_database (MesoWindow      *self,
                           MesoApplication *app)
{
  /* The application's, not the store's: named while connecting too. */
  g_autofree char *where = meso_application_describe_database (app);
  g_autofree char *title = NULL;

  adw_view_switcher_title_set_subtitle (self->switcher_title, where != NULL ? where : "");
  gtk_label_set_text (self->clinic_label, where != NULL ? where : "");
  gtk_widget_set_tooltip_text (self->clinic_indicator, where);
  meso_window_update_clinic_indicator (self);
  if (where != NULL)
    /* Translators: the window's title; %s is e.g. “clinic on server.local / mesodesk” */
    title = g_strdup_printf (_("Mesodesk — %s"), where);
  /* Translators: the application name, the window's title */
  gtk_window_set_title (GTK_WINDOW (self), title != NULL ? title : _("Mesodesk"));
}

/* GObject sets "application" only after constructed(), so the store is handed to the
 * view here. When the database cannot be opened the view stays empty, and the
 * application's dialog says why. */
static void
meso_window_application_changed_cb (MesoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  MesoStore *store;

  if (!MESO_IS_APPLICATION (app))
    return;

  store = meso_application_get_store (MESO_APPLICATION (app), NULL);
  meso_window_show_database (self, MESO_APPLICATION (app));
  meso_patients_view_set_store (self->patients_view, store);
  meso_schedule_view_set_store (self->schedule_view, store);
  meso_aftercare_view_set_store (self->aftercare_view, store);
  /* After a restore the application has a new store: hand that one over.
   * Connected once: this runs again on every store-changed. */
  if (self->followed_app == NULL)
    {
      g_signal_connect_object (app, "store-changed",
                               G_CALLBACK (meso_window_application_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "store-changed", G_CALLBACK (meso_schedule_view_reload),
                               self->schedule_view, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::unreachable",
                               G_CALLBACK (meso_window_unreachable_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::connecting",
                               G_CALLBACK (meso_window_connecting_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::connect-error",
                               G_CALLBACK (meso_window_connecting_changed_cb), self,
                               G_CONNECT_SWAPPED);
      self->followed_app = G_APPLICATION (app);
      g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->followed_app);
    }
  meso_window_unreachable_changed_cb (self);
  meso_window_connecting_changed_cb (self);
}

static void
meso_window_dispose (GObject *object)
{
  MesoWindow *self = MESO_WINDOW (object);

  /* store-changed is emitted from an idle: one queued before this window
   * closed must not reach it, or its views, once disposed but still held. */
  if (self->followed_app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->followed_app, self);
      if (self->schedule_view != NULL)
        g_signal_handlers_disconnect_by_data (self->followed_app, self->schedule_view);
      g_object_remove_weak_pointer (G_OBJECT (self->followed_app),
                                    (gpointer *) &self->followed_app);
      self->followed_app = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (meso_window_parent_class)->dispose (object);
}

static void
meso_window_class_init (MesoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = meso_window_dispose;
  window_class->close_request = meso_window_close_request;

  meso_application_ensure_resources ();
  g_type_ensure (MESO_TYPE_PATIENTS_VIEW);
  g_type_ensure (MESO_TYPE_SCHEDULE_VIEW);
  g_type_ensure (MESO_TYPE_AFTERCARE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/meso-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, clinic_indicator);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, clinic_label);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, server_banner);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, patients_view);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, schedule_view);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, aftercare_view);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s",
                                   meso_window_show_view_action);

  gtk_widget_class_install_action (widget_class, "win.record-session", "a{sv}",
                                   meso_session_dialog_record_action);
  gtk_widget_class_install_action (widget_class, "win.print-aftercare-sheet", "x",
                                   meso_aftercare_sheet_print_action);
  gtk_widget_class_install_action (widget_class, "win.book", "a{sv}",
                                   meso_booking_dialog_book_action);
  gtk_widget_class_install_action (widget_class, "win.show-date", "x",
                                   meso_schedule_view_show_date_action);

  gtk_widget_class_install_action (widget_class, "win.search-patients", NULL,
                                   meso_window_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-patients", NULL);

  gtk_widget_class_install_action (widget_class, "win.show-patient", "x",
                                   meso_patients_view_show_patient_action);
  gtk_widget_class_install_action (widget_class, "win.new-patient", NULL,
                                   meso_patient_editor_new_patient_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-patient", NULL);
  gtk_widget_class_install_action (widget_class, "win.edit-patient", "x",
                                   meso_patient_editor_edit_patient_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-view", "s", "patients");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-view", "s", "schedule");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-view", "s", "aftercare");
  /* "window.close" goes through close-request, so the state is saved as with the
   * title bar's close button. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
meso_window_init (MesoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->content_stack, "clinic");

  /* Translators: what a screen reader calls the row of buttons that switch views */
  meso_window_label_view_switchers (GTK_WIDGET (self->switcher_title), _("Views"));
  meso_window_label_view_switchers (GTK_WIDGET (self->switcher_bar), _("Views"));

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (meso_window_application_changed_cb), NULL);
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (meso_window_update_clinic_indicator), self);

  self->settings = meso_application_load_settings ();
  meso_window_restore_state (self);
}

MesoWindow *
meso_window_new (MesoApplication *app)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (app), NULL);

  return g_object_new (MESO_TYPE_WINDOW, "application", app, NULL);
}

MesoStore *
meso_window_get_store (MesoWindow *self)
{
  GtkApplication *app;

  g_return_val_if_fail (MESO_IS_WINDOW (self), NULL);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (!MESO_IS_APPLICATION (app))
    return NULL;
  return meso_application_get_store (MESO_APPLICATION (app), NULL);
}

const char *
meso_window_get_visible_view (MesoWindow *self)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
meso_window_set_visible_view (MesoWindow *self,
                              const char *name)
{
  g_return_if_fail (MESO_IS_WINDOW (self));
  g_return_if_fail (meso_window_has_view (self, name));

  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
meso_window_add_toast (MesoWindow *self,
                       AdwToast   *toast)
{
  g_return_if_fail (MESO_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
