/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-recall-notification.h"

#include "meso-time.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

#define STATE_KEY "meso-recall-notification"

/* As the Aftercare view: a minute's timer notices a new day, suspend or not. */
#define DAY_CHECK_SECONDS 60

typedef struct
{
  GDate         notified;     /* the day last counted for; cleared at first */
  GCancellable *cancellable;  /* of the count in flight */
  guint         timeout;
} State;

static void
state_free (State *state)
{
  g_clear_handle_id (&state->timeout, g_source_remove);
  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  g_free (state);
}

static State *
get_state (MesoApplication *app)
{
  return g_object_get_data (G_OBJECT (app), STATE_KEY);
}

GNotification *
meso_recall_notification_new (guint count)
{
  GNotification *notification;
  g_autofree char *title = NULL;

  /* Translators: a desktop notification's title; %u is a number of follow-ups (one per
   * patient and treated area) */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u follow-up is due or overdue",
                                        "%u follow-ups are due or overdue", count), count);
  notification = g_notification_new (title);
  /* Translators: the body of the desktop notification about follow-ups */
  g_notification_set_body (notification, _("Open the Aftercare view to call the patients "
                                            "or book their next sessions."));
  g_notification_set_default_action (notification, "app.show-aftercare");
  return notification;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const GDate *day = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[MESO_AFTERCARE_OVERDUE + 1] = { 0 };

  /* One connection per thread: this worker opens its own. */
  store = meso_worker_open_store (path, &error);
  if (store == NULL || !meso_store_count_reminders (store, day, counts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The same count as the Aftercare view's badge (meso-aftercare-view.c). */
  g_task_return_int (task, counts[MESO_AFTERCARE_FOLLOW_UP_DUE] + counts[MESO_AFTERCARE_OVERDUE]);
}

/* GIO's freedesktop backend prints a warning on every send that no one
 * answers (a bare session, a kiosk, CI): so a notification goes out only
 * when the backend GIO picks has a server. In a sandbox that is the portal,
 * which is quiet either way; outside GNOME Shell's org.gtk.Notifications or
 * an org.freedesktop.Notifications server, running or activatable. */
static const char * const notification_servers[] = {
  "org.gtk.Notifications",
  "org.freedesktop.Notifications",
};

typedef struct
{
  GApplication  *app;
  GNotification *notification;
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->app);
  g_object_unref (pending->notification);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* TRUE when the (as) of ListNames or ListActivatableNames has a server. */
static gboolean
names_have_server (GVariant *reply)
{
  g_autofree const char **names = NULL;

  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; i < G_N_ELEMENTS (notification_servers); i++)
    if (g_strv_contains (names, notification_servers[i]))
      return TRUE;
  return FALSE;
}

static void
activatable_names_cb (GObject      *object,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), res,
                                                             NULL);

  if (names_have_server (reply))
    g_application_send_notification (pending->app, MESO_RECALL_NOTIFICATION_ID,
                                     pending->notification);
  else
    g_debug ("No notification server: the follow-ups are counted in the Aftercare view only");
}

static void
names_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  GDBusConnection *bus = G_DBUS_CONNECTION (object);
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (bus, res, NULL);

  if (names_have_server (reply))
    {
      g_application_send_notification (pending->app, MESO_RECALL_NOTIFICATION_ID,
                                       pending->notification);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          activatable_names_cb, g_steal_pointer (&pending));
}

static void
send_if_served (GApplication  *app,
                GNotification *notification)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  Pending *pending;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_application_send_notification (app, MESO_RECALL_NOTIFICATION_ID, notification);
      return;
    }
  if (bus == NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->app = g_object_ref (app);
  pending->notification = g_object_ref (notification);
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListNames", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, names_cb, pending);
}

static void
count_done_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  MesoApplication *app = MESO_APPLICATION (object);
  State *state = get_state (app);
  g_autoptr(GError) error = NULL;
  gssize count = g_task_propagate_int (G_TASK (res), &error);

  if (state == NULL || g_task_get_cancellable (G_TASK (res)) != state->cancellable)
    return;
  g_clear_object (&state->cancellable);

  if (count < 0)
    {
      g_warning ("Could not count the follow-ups: %s", error->message);
      return;
    }
  if (count > 0)
    {
      g_autoptr(GNotification) notification = meso_recall_notification_new (count);

      send_if_served (G_APPLICATION (app), notification);
    }
  else
    g_application_withdraw_notification (G_APPLICATION (app), MESO_RECALL_NOTIFICATION_ID);
}

void
meso_recall_notification_check (MesoApplication *app)
{
  State *state;
  g_autoptr(GTask) task = NULL;
  MesoStore *store;
  GDate *day;

  g_return_if_fail (MESO_IS_APPLICATION (app));

  state = get_state (app);
  store = meso_application_get_store (app, NULL);
  if (state == NULL || store == NULL || state->cancellable != NULL)
    return;

  day = g_new (GDate, 1);
  meso_clock_today (day);
  if (g_date_valid (&state->notified) && g_date_compare (day, &state->notified) == 0)
    {
      g_free (day);
      return;
    }
  state->notified = *day;

  state->cancellable = g_cancellable_new ();
  task = g_task_new (app, state->cancellable, count_done_cb, NULL);
  g_task_set_source_tag (task, meso_recall_notification_check);
  g_task_set_task_data (task, day, g_free);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (meso_store_get_path (store)),
                          g_free);
  g_task_run_in_thread (task, count_thread);
}

static gboolean
day_timeout_cb (gpointer user_data)
{
  meso_recall_notification_check (MESO_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
show_aftercare_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MesoApplication *app = MESO_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (!MESO_IS_WINDOW (window))
    window = GTK_WINDOW (meso_window_new (app));
  meso_window_set_visible_view (MESO_WINDOW (window), "aftercare");
  gtk_window_present (window);
}

void
meso_recall_notification_install (MesoApplication *app)
{
  static const GActionEntry actions[] = {
    { .name = "show-aftercare", .activate = show_aftercare_action },
  };
  State *state;

  g_return_if_fail (MESO_IS_APPLICATION (app));

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);

  state = g_new0 (State, 1);
  g_date_clear (&state->notified, 1);
  state->timeout = g_timeout_add_seconds (DAY_CHECK_SECONDS, day_timeout_cb, app);
  g_object_set_data_full (G_OBJECT (app), STATE_KEY, state, (GDestroyNotify) state_free);
}
