/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-window.h"

#include "meso-application-actions.h"
#include "meso-patient-editor.h"
#include "meso-aftercare-sheet.h"
#include "meso-booking-dialog.h"
#include "meso-aftercare-view.h"
#include "meso-patients-view.h"
#include "meso-session-dialog.h"
#include "meso-recall-window.h"
#include "meso-schedule-view.h"
#include "meso-worker.h"

#include <glib/gi18n.h>
#include <string.h>

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

  /* Issue 16: signing in, locking. */
  GtkWidget            *new_patient_button;
  GtkMenuButton        *user_button;
  GtkDropDown          *sign_in_name;
  GtkWidget            *sign_in_password;
  GtkLabel             *sign_in_message;
  GtkWidget            *sign_in_button;
  GtkWidget            *sign_in_spinner;
  gboolean              has_accounts;
  /* The sign-in page shows over a person still signed in. */
  gboolean              locked;
  /* Who the window's connections act for (meso_worker_set_signed_in()). */
  char                 *signed_in;
  /* Preselected on the sign-in page: who locked it. */
  char                 *last_name;
  GCancellable         *signing_in;
  /* KeptDialog: the windows over this one hidden at a lock, for their person. */
  GPtrArray            *kept_dialogs;
  guint                 idle_seconds;
  guint                 idle_override;
  gint64                last_input;
  guint                 idle_timeout;
};

typedef struct
{
  GtkWindow *dialog;  /* weak */
  char      *owner;
} KeptDialog;

static void
kept_dialog_free (KeptDialog *kept)
{
  if (kept->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (kept->dialog), (gpointer *)&kept->dialog);
  g_free (kept->owner);
  g_free (kept);
}

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

/* ====================================================== signing in (issue 16) */

/* The window's actions that show or change records: off while locked. */
static const char *const record_actions[] = {
  "win.new-patient", "win.search-patients", "win.show-patient", "win.edit-patient",
  "win.record-session", "win.book", "win.print-aftercare-sheet", "win.show-date",
  "win.show-view", "win.recall-by-lot",
};

static void meso_window_schedule_idle_lock (MesoWindow *self);
static void meso_window_update_lock        (MesoWindow *self);

/* GLib 2.74 has no g_set_str(). */
static void
replace_text (char       **text,
              const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*text);
  *text = copy;
}

static gboolean
meso_window_shows_sign_in (MesoWindow *self)
{
  return self->has_accounts && (self->signed_in == NULL || self->locked);
}

static void
meso_window_fill_sign_in (MesoWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GtkStringList) model = NULL;
  MesoStore *store = meso_window_get_store (self);
  guint selected = 0;

  if (store != NULL)
    names = meso_store_list_sign_in_names (store, &error);
  model = gtk_string_list_new ((const char *const *)names);
  gtk_drop_down_set_model (self->sign_in_name, G_LIST_MODEL (model));
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_strcmp0 (names[i], self->last_name) == 0)
      selected = i;
  gtk_drop_down_set_selected (self->sign_in_name, selected);
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password), "");
  gtk_label_set_text (self->sign_in_message, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_message), error != NULL);
  gtk_widget_grab_focus (self->last_name != NULL ? self->sign_in_password
                                                 : GTK_WIDGET (self->sign_in_name));
}

/* The sign-in page or the clinic, and what the header offers: nothing of
 * the records while the sign-in page shows; the Data menu and the
 * preferences only to whom the store lets use them. */
static void
meso_window_update_lock (MesoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  MesoApplication *application = MESO_IS_APPLICATION (app) ? MESO_APPLICATION (app) : NULL;
  const char *page = gtk_stack_get_visible_child_name (self->content_stack);
  gboolean starting = application != NULL &&
                      (meso_application_get_connecting (application) ||
                       meso_application_get_connect_error (application) != NULL);
  gboolean sign_in = !starting && meso_window_shows_sign_in (self);
  gboolean clinic = !starting && !sign_in;
  MesoStore *store = meso_window_get_store (self);
  GAction *preferences;

  /* Out of the accessibility tree too, not just behind the page; shown
   * before it is made the stack's visible child, which GtkStack ignores
   * for a hidden page. */
  if (clinic)
    gtk_widget_set_visible (GTK_WIDGET (self->toast_overlay), TRUE);
  if (sign_in && g_strcmp0 (page, "sign-in") != 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "sign-in");
      meso_window_fill_sign_in (self);
    }
  else if (clinic)
    gtk_stack_set_visible_child_name (self->content_stack, "clinic");
  if (!clinic)
    gtk_widget_set_visible (GTK_WIDGET (self->toast_overlay), FALSE);
  gtk_widget_set_visible (self->new_patient_button, !sign_in);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, clinic);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), clinic);
  gtk_widget_set_visible (GTK_WIDGET (self->user_button), clinic && self->signed_in != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (record_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), record_actions[i], clinic);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock",
                                 clinic && self->signed_in != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", self->signed_in != NULL);
  if (application == NULL)
    return;
  meso_application_actions_permit (application, !sign_in &&
                                   (store == NULL ||
                                    meso_store_may (store, MESO_PERMISSION_MANAGE)));
  preferences = g_action_map_lookup_action (G_ACTION_MAP (application), "preferences");
  if (G_IS_SIMPLE_ACTION (preferences))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), !sign_in);
}

/* The views get the store once someone is signed in (or where there are
 * no accounts): before, they would only be refused. */
static void
meso_window_hand_over_store (MesoWindow *self)
{
  MesoStore *store = self->has_accounts && self->signed_in == NULL
                     ? NULL : meso_window_get_store (self);

  meso_patients_view_set_store (self->patients_view, store);
  meso_schedule_view_set_store (self->schedule_view, store);
  meso_aftercare_view_set_store (self->aftercare_view, store);
}

/* Whether the store has accounts, asked again when the store changes (a
 * first account made at the command line locks the window). */
static void
meso_window_check_accounts (MesoWindow *self)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_window_get_store (self);
  gboolean has_accounts = FALSE;

  if (store != NULL && !meso_store_has_accounts (store, &has_accounts, &error))
    {
      /* Unknown: safer locked. */
      g_debug ("Asking for accounts: %s", error->message);
      has_accounts = TRUE;
    }
  self->has_accounts = has_accounts;
}

static void
meso_window_load_idle_lock (MesoWindow *self)
{
  MesoPolicy policy = *meso_policy_get_default ();
  MesoStore *store = meso_window_get_store (self);
  g_autoptr(GError) error = NULL;

  if (store != NULL && !meso_store_load_policy (store, &policy, &error))
    g_debug ("Reading the lock time: %s", error->message);
  self->idle_seconds = self->idle_override != 0 ? self->idle_override
                                                : policy.lock_minutes * 60;
  meso_window_schedule_idle_lock (self);
}

static gboolean
meso_window_idle_cb (gpointer user_data)
{
  MesoWindow *self = MESO_WINDOW (user_data);

  self->idle_timeout = 0;
  if (g_get_monotonic_time () - self->last_input >= (gint64)self->idle_seconds * G_USEC_PER_SEC)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.lock", NULL);
  else
    meso_window_schedule_idle_lock (self);
  return G_SOURCE_REMOVE;
}

/* A timer to the moment the window will have been idle long enough; it
 * looks again then, as input meanwhile moves that moment. */
static void
meso_window_schedule_idle_lock (MesoWindow *self)
{
  gint64 left;

  g_clear_handle_id (&self->idle_timeout, g_source_remove);
  if (self->idle_seconds == 0 || self->signed_in == NULL || self->locked)
    return;
  left = self->last_input + (gint64)self->idle_seconds * G_USEC_PER_SEC -
         g_get_monotonic_time ();
  self->idle_timeout = g_timeout_add (MAX (left, 0) / 1000 + 1, meso_window_idle_cb, self);
}

static void
meso_window_input_cb (MesoWindow *self)
{
  self->last_input = g_get_monotonic_time ();
}

static gboolean
meso_window_key_cb (MesoWindow *self)
{
  meso_window_input_cb (self);
  return GDK_EVENT_PROPAGATE;
}

/* Idle: no key or pointer input to @window, whatever widget has it. */
static void
meso_window_watch_input (GtkWindow *window,
                         GCallback  input_cb,
                         GCallback  key_cb,
                         gpointer   data)
{
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", key_cb, data);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "motion", input_cb, data);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  g_signal_connect_swapped (controller, "pressed", input_cb, data);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/* Input to another of the application's windows (a dialog, Preferences,
 * the aftercare sheet) is the desk in use too: it counts for the window
 * it is over, or, over none, for every window of the application. */
static void
meso_window_other_input_cb (GtkWindow *other)
{
  GtkApplication *app = gtk_window_get_application (other);
  GApplication *running = g_application_get_default ();

  for (GtkWindow *parent = gtk_window_get_transient_for (other); parent != NULL;
       parent = gtk_window_get_transient_for (parent))
    if (MESO_IS_WINDOW (parent))
      {
        meso_window_input_cb (MESO_WINDOW (parent));
        return;
      }
  if (app == NULL && GTK_IS_APPLICATION (running))
    app = GTK_APPLICATION (running);
  for (GList *l = app != NULL ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    if (MESO_IS_WINDOW (l->data))
      meso_window_input_cb (MESO_WINDOW (l->data));
}

static gboolean
meso_window_other_key_cb (GtkWindow *other)
{
  meso_window_other_input_cb (other);
  return GDK_EVENT_PROPAGATE;
}

static void
meso_window_toplevels_changed_cb (GListModel *toplevels,
                                  guint       position,
                                  guint       removed,
                                  guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

      /* A main window watches its own. */
      if (MESO_IS_WINDOW (other))
        continue;
      meso_window_watch_input (other, G_CALLBACK (meso_window_other_input_cb),
                               G_CALLBACK (meso_window_other_key_cb), other);
    }
}

/* Every toplevel made from now on (and those there already) is watched
 * for input, once for all the main windows. */
static void
meso_window_watch_other_windows (void)
{
  static gboolean watching;
  GListModel *toplevels;

  if (watching)
    return;
  watching = TRUE;
  toplevels = gtk_window_get_toplevels ();
  g_signal_connect (toplevels, "items-changed",
                    G_CALLBACK (meso_window_toplevels_changed_cb), NULL);
  meso_window_toplevels_changed_cb (toplevels, 0, 0, g_list_model_get_n_items (toplevels));
}

/* Hidden at a lock, shown again to the same person. */
static void
meso_window_keep_dialogs (MesoWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;
      KeptDialog *kept;

      if (window == GTK_WINDOW (self) || !gtk_widget_get_visible (GTK_WIDGET (window)))
        continue;
      /* Ours: over this window, or over one that is. */
      for (GtkWindow *parent = gtk_window_get_transient_for (window); parent != NULL;
           parent = gtk_window_get_transient_for (parent))
        if (parent == GTK_WINDOW (self))
          {
            kept = g_new0 (KeptDialog, 1);
            kept->dialog = window;
            kept->owner = g_strdup (self->signed_in);
            g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&kept->dialog);
            g_ptr_array_add (self->kept_dialogs, kept);
            gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
            break;
          }
    }
}

/* @owner's dialogs shown again (@destroy: closed, at their sign-out). */
static void
meso_window_give_back_dialogs (MesoWindow *self,
                               const char *owner,
                               gboolean    destroy)
{
  for (guint i = self->kept_dialogs->len; i > 0; i--)
    {
      KeptDialog *kept = g_ptr_array_index (self->kept_dialogs, i - 1);

      if (kept->dialog != NULL && g_strcmp0 (kept->owner, owner) != 0)
        continue;
      if (kept->dialog != NULL && destroy)
        gtk_window_destroy (kept->dialog);
      else if (kept->dialog != NULL)
        gtk_window_present (kept->dialog);
      g_ptr_array_remove_index (self->kept_dialogs, i - 1);
    }
}

static void
meso_window_lock_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MesoWindow *self = MESO_WINDOW (widget);

  if (self->signed_in == NULL || self->locked)
    return;
  meso_window_keep_dialogs (self);
  self->locked = TRUE;
  g_clear_handle_id (&self->idle_timeout, g_source_remove);
  replace_text (&self->last_name, self->signed_in);
  meso_window_update_lock (self);
}

/* Every connection of the window as @ticket's person (NULL: nobody). */
static void
meso_window_sign_in_stores (MesoWindow            *self,
                            const MesoStaffTicket *ticket)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_window_get_store (self);

  meso_worker_set_signed_in (ticket);
  if (store != NULL && !meso_worker_sign_in_store (store, &error))
    g_debug ("Signing in the window's store: %s", error->message);
}

static void
meso_window_sign_out_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  MesoWindow *self = MESO_WINDOW (widget);

  if (self->signed_in == NULL)
    return;
  if (!self->locked)
    meso_window_keep_dialogs (self);
  meso_window_give_back_dialogs (self, self->signed_in, TRUE);
  meso_window_sign_in_stores (self, NULL);
  g_clear_pointer (&self->signed_in, g_free);
  g_clear_pointer (&self->last_name, g_free);
  meso_window_hand_over_store (self);
  self->locked = TRUE;
  g_clear_handle_id (&self->idle_timeout, g_source_remove);
  meso_window_update_lock (self);
}

static void
meso_window_signed_in (MesoWindow            *self,
                       const MesoStaffTicket *ticket)
{
  const char *name = meso_staff_ticket_get_name (ticket);
  gboolean same = g_strcmp0 (name, self->signed_in) == 0;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *tooltip = NULL;

  meso_window_sign_in_stores (self, ticket);
  replace_text (&self->signed_in, name);
  replace_text (&self->last_name, name);
  self->locked = FALSE;
  gtk_menu_button_set_label (self->user_button, name);
  /* Translators: tooltip of the header bar's button with the signed-in person's name */
  tooltip = g_strdup_printf (_("Signed in as %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_button), tooltip);
  meso_window_update_lock (self);
  if (!same)
    {
      /* Another person: the views start over, with what they may do. */
      meso_window_hand_over_store (self);
      meso_patients_view_show_patient (self->patients_view, 0);
      adw_view_stack_set_visible_child_name (self->stack, "patients");
      if (MESO_IS_APPLICATION (app))
        meso_application_store_changed (MESO_APPLICATION (app));
    }
  meso_window_give_back_dialogs (self, name, FALSE);
  self->last_input = g_get_monotonic_time ();
  meso_window_load_idle_lock (self);
}

typedef struct
{
  char *location;
  char *name;
  char *password;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  if (sign_in->location != NULL)
    memset (sign_in->location, 0, strlen (sign_in->location));
  if (sign_in->password != NULL)
    memset (sign_in->password, 0, strlen (sign_in->password));
  g_free (sign_in->location);
  g_free (sign_in->name);
  g_free (sign_in->password);
  g_free (sign_in);
}

/* Argon2id, and perhaps a server's round trips: in a thread, on a
 * connection of its own, so the window keeps drawing. */
static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SignIn *sign_in = task_data;
  g_autoptr(MesoStore) store = NULL;
  GError *error = NULL;

  store = meso_store_open (sign_in->location, &error);
  if (store == NULL || !meso_store_sign_in (store, sign_in->name, sign_in->password, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, meso_store_get_ticket (store),
                           (GDestroyNotify)meso_staff_ticket_free);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MesoStaffTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  MesoWindow *self;

  ticket = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled: the window (user_data) may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MESO_WINDOW (user_data);
  g_clear_object (&self->signing_in);
  gtk_widget_set_visible (self->sign_in_spinner, FALSE);
  gtk_widget_set_sensitive (self->sign_in_button, TRUE);
  gtk_widget_set_sensitive (self->sign_in_password, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_name), TRUE);
  if (ticket == NULL)
    {
      gtk_label_set_text (self->sign_in_message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_message), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password), "");
      gtk_widget_grab_focus (self->sign_in_password);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->sign_in_password), "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_message), FALSE);
  meso_window_signed_in (self, ticket);
}

static void
on_sign_in_cb (MesoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->sign_in_name);
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  if (self->signing_in != NULL || !MESO_IS_APPLICATION (app))
    return;
  if (item == NULL)
    {
      gtk_label_set_text (self->sign_in_message,
                          /* Translators: on the sign-in page when there is no name to pick */
                          _("No staff member can sign in here. Ask a manager."));
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_message), TRUE);
      return;
    }
  sign_in = g_new0 (SignIn, 1);
  sign_in->location = g_strdup (meso_application_get_database_path (MESO_APPLICATION (app)));
  sign_in->name = g_strdup (gtk_string_object_get_string (item));
  sign_in->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sign_in_password)));
  self->signing_in = g_cancellable_new ();
  gtk_widget_set_visible (self->sign_in_spinner, TRUE);
  gtk_widget_set_sensitive (self->sign_in_button, FALSE);
  gtk_widget_set_sensitive (self->sign_in_password, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_name), FALSE);
  task = g_task_new (NULL, self->signing_in, signed_in_cb, self);
  g_task_set_task_data (task, sign_in, (GDestroyNotify)sign_in_free);
  g_task_run_in_thread (task, sign_in_thread);
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
  if (connecting || failure != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, connecting ? "connecting" : "failed");
  meso_window_update_lock (self);
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

  if (!MESO_IS_APPLICATION (app))
    return;

  meso_window_show_database (self, MESO_APPLICATION (app));
  meso_window_check_accounts (self);
  meso_window_hand_over_store (self);
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

  g_cancellable_cancel (self->signing_in);
  g_clear_object (&self->signing_in);
  g_clear_handle_id (&self->idle_timeout, g_source_remove);
  if (self->signed_in != NULL)
    meso_worker_set_signed_in (NULL);
  g_clear_pointer (&self->signed_in, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->kept_dialogs, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, new_patient_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sign_in_name);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sign_in_password);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sign_in_message);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sign_in_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, meso_window_lock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.lock", NULL);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL,
                                   meso_window_sign_out_action);

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
  gtk_widget_class_install_action (widget_class, "win.recall-by-lot", NULL,
                                   meso_recall_window_open_action);

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
  self->kept_dialogs = g_ptr_array_new_with_free_func ((GDestroyNotify)kept_dialog_free);
  self->last_input = g_get_monotonic_time ();

  /* Idle: no key or pointer input to the window or any other of the
   * application's. */
  meso_window_watch_input (GTK_WINDOW (self), G_CALLBACK (meso_window_input_cb),
                           G_CALLBACK (meso_window_key_cb), self);
  meso_window_watch_other_windows ();

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

const char *
meso_window_get_signed_in (MesoWindow *self)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), NULL);

  return self->signed_in;
}

gboolean
meso_window_get_locked (MesoWindow *self)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), FALSE);

  return meso_window_shows_sign_in (self);
}

guint
meso_window_get_idle_lock_seconds (MesoWindow *self)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), 0);

  return self->idle_seconds;
}

void
meso_window_set_idle_lock_seconds (MesoWindow *self,
                                   guint       seconds)
{
  g_return_if_fail (MESO_IS_WINDOW (self));

  self->idle_override = seconds;
  meso_window_load_idle_lock (self);
}
