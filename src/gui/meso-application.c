/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-application.h"

#include "meso-recall-notification.h"
#include "meso-application-actions.h"
#include "meso-preferences-window.h"
#include "meso-resources.h"
#include "meso-server.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

struct _MesoApplication
{
  AdwApplication  parent_instance;

  char           *database_path;   /* may hold a server's password: never shown */
  gboolean        location_fixed;  /* by --database or $MESODESK_DATABASE */
  GSettings      *settings;
  MesoStore      *store;
  GSource        *watch;          /* the store's change notes */
  guint           changed_idle;
  gboolean        store_closed;
  /* The clinic server's connection was lost: retried after retry_delay
   * seconds, doubled after each failure up to RETRY_MAX_SECONDS. */
  gboolean        unreachable;
  guint           retry_timeout;
  guint           retry_delay;
  /* The server is probed off the main thread (a host that does not answer
   * keeps a connection waiting for its whole timeout); meanwhile the store
   * does not connect by itself (meso_store_hold_reconnect()). */
  GCancellable   *probing;
  gboolean        probe_again;
  /* Start-up on a clinic server: connected off the main thread (the keyring
   * asked, a password asked in a dialog) while the window says so; until
   * then, or after a failure (start_error, for people), there is no store
   * and meso_application_get_store() does not try to connect. */
  GCancellable   *starting;
  char           *start_error;
};

enum {
  STORE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_UNREACHABLE,
  PROP_CONNECTING,
  PROP_CONNECT_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define RETRY_FIRST_SECONDS 2
#define RETRY_MAX_SECONDS 30

G_DEFINE_FINAL_TYPE (MesoApplication, meso_application, ADW_TYPE_APPLICATION)

void
meso_application_ensure_resources (void)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      g_autoptr(GBytes) probe = NULL;

      /* The generated constructor registers the resource once its object file is
       * linked, which the reference to meso_get_resource() below guarantees; register
       * by hand only where constructors are not run, so it is never listed twice. */
      probe = g_resources_lookup_data (RESOURCE_BASE "/meso-window.ui",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      if (probe == NULL)
        g_resources_register (meso_get_resource ());

      g_once_init_leave (&checked, 1);
    }
}

static void
meso_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = NULL;

  /* Close rather than quit outright, so every window saves its state in
   * close-request; the application ends by itself once the last one is gone. */
  windows = g_list_copy (gtk_application_get_windows (app));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
meso_application_retry_connection_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  meso_application_retry_connection (MESO_APPLICATION (user_data));
}

static void
meso_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Mesodesk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "destroy-with-parent", TRUE,
                        /* Translators: the application name */
                        "application-name", _("Mesodesk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        /* Translators: who makes Mesodesk, shown under its name */
                        "developer-name", _("The Mesodesk developers"),
                        "developers", developers,
                        /* Translators: the description in the About window */
                        "comments", _("Patient records, appointments and aftercare for a "
                                      "mesotherapy and microneedling clinic"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/mesodesk/mesodesk",
                        "issue-url", "https://github.com/mesodesk/mesodesk/issues",
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
meso_application_preferences_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (meso_preferences_window_new (parent, self)));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = meso_application_quit_action },
  { .name = "about", .activate = meso_application_about_action },
  { .name = "preferences", .activate = meso_application_preferences_action },
  { .name = "retry-connection", .activate = meso_application_retry_connection_action },
};

#define MESO_APPLICATION_DATABASE_MEMORY (8 * 1024 * 1024)

static void
meso_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };

  G_APPLICATION_CLASS (meso_application_parent_class)->startup (app);

  /* The window's connections (its own and one per worker) share half of
   * what the command line gives one: their caches hold what a screen
   * shows, and the GUI benchmark's searches run no slower with 8 MiB. */
  meso_store_limit_process_memory (MESO_APPLICATION_DATABASE_MEMORY);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  meso_application_actions_install (MESO_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  /* Follow-ups due or overdue: app.show-aftercare and the daily notification. */
  meso_recall_notification_install (MESO_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static gboolean
meso_application_emit_changed_cb (gpointer user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);

  self->changed_idle = 0;
  g_signal_emit (self, signals[STORE_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

void
meso_application_store_changed (MesoApplication *self)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));

  if (self->changed_idle == 0)
    self->changed_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE,
                                          meso_application_emit_changed_cb, self, NULL);
}

static void
meso_application_set_unreachable (MesoApplication *self,
                                  gboolean         unreachable)
{
  if (self->unreachable == unreachable)
    return;
  self->unreachable = unreachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREACHABLE]);
}

/* @starting: the connection under way (NULL: none; one under way before is
 * cancelled); @message: why the last one failed, for people (NULL: none). */
static void
meso_application_set_connecting (MesoApplication *self,
                                 GCancellable    *starting,
                                 const char      *message)
{
  gboolean was_connecting = self->starting != NULL;

  if (self->starting != NULL && self->starting != starting)
    g_cancellable_cancel (self->starting);
  g_set_object (&self->starting, starting);
  if (g_strcmp0 (self->start_error, message) != 0)
    {
      g_free (self->start_error);
      self->start_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_ERROR]);
    }
  if (was_connecting != (starting != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTING]);
}

static gboolean
meso_application_retry_cb (gpointer user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);

  self->retry_timeout = 0;
  meso_application_retry_connection (self);
  return G_SOURCE_REMOVE;
}

static void
meso_application_retry_later (MesoApplication *self)
{
  self->retry_delay = self->retry_delay == 0 ? RETRY_FIRST_SECONDS
                                             : MIN (self->retry_delay * 2, RETRY_MAX_SECONDS);
  g_clear_handle_id (&self->retry_timeout, g_source_remove);
  self->retry_timeout = g_timeout_add_seconds (self->retry_delay, meso_application_retry_cb,
                                               self);
}

static void
clear_location (gpointer location)
{
  /* It may hold the password: not left in freed memory. */
  memset (location, 0, strlen (location));
  g_free (location);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean set_up;
  guint patients;

  if (meso_store_probe (task_data, &set_up, &patients, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the main thread: only a server that answered is connected to
 * again, here, which is then quick. */
static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MesoApplication *self;
  g_autoptr(GError) error = NULL;
  gboolean again;

  /* Cancelled: the application (user_data) may be gone. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MESO_APPLICATION (user_data);
  g_clear_object (&self->probing);
  again = self->probe_again;
  self->probe_again = FALSE;
  if (error == NULL && self->store != NULL && meso_store_reconnect (self->store, &error))
    {
      meso_store_hold_reconnect (self->store, FALSE);
      self->retry_delay = 0;
      meso_application_set_unreachable (self, FALSE);
      /* What other desks did meanwhile, and what failed to load. */
      meso_application_store_changed (self);
      return;
    }
  if (error != NULL)
    g_debug ("The clinic server is still out of reach: %s", error->message);
  if (again)
    meso_application_retry_connection (self);
  else
    meso_application_retry_later (self);
}

void
meso_application_retry_connection (MesoApplication *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MESO_IS_APPLICATION (self));

  g_clear_handle_id (&self->retry_timeout, g_source_remove);
  /* Connecting at start-up failed (or is under way): that again. */
  if (self->store == NULL && (self->start_error != NULL || self->starting != NULL))
    {
      meso_application_connect (self, gtk_application_get_active_window (GTK_APPLICATION (self)));
      return;
    }
  if (self->store == NULL || !self->unreachable)
    {
      self->retry_delay = 0;
      meso_application_set_unreachable (self, FALSE);
      meso_application_store_changed (self);
      return;
    }
  /* Asked while a probe is under way: once more right after it, if it fails. */
  if (self->probing != NULL)
    {
      self->probe_again = TRUE;
      return;
    }
  self->probing = g_cancellable_new ();
  task = g_task_new (NULL, self->probing, probed_cb, self);
  g_task_set_source_tag (task, meso_application_retry_connection);
  g_task_set_task_data (task, g_strdup (meso_store_get_path (self->store)), clear_location);
  g_task_run_in_thread (task, probe_thread);
}

static void
meso_application_store_event_cb (MesoStore      *store,
                                 MesoStoreEvent  event,
                                 gpointer        user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);

  switch (event)
    {
    case MESO_STORE_EVENT_CHANGED:
      meso_application_store_changed (self);
      break;
    case MESO_STORE_EVENT_LOST:
      /* Until a probe finds the server, a save fails at once rather than
       * wait on the main thread for a connection. */
      meso_store_hold_reconnect (store, TRUE);
      meso_application_set_unreachable (self, TRUE);
      if (self->retry_timeout == 0 && self->probing == NULL)
        {
          self->retry_delay = 0;
          meso_application_retry_later (self);
        }
      break;
    default:
      break;
    }
}

static void
meso_application_drop_store (MesoApplication *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  g_clear_handle_id (&self->retry_timeout, g_source_remove);
  g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  self->probe_again = FALSE;
  g_clear_object (&self->store);
}

gboolean
meso_application_get_unreachable (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);

  return self->unreachable;
}

MesoStore *
meso_application_get_store (MesoApplication  *self,
                            GError          **error)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  if (self->store_closed)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_BUSY,
                           _("The clinic database is being restored from a backup. "
                             "Try again in a moment."));
      return NULL;
    }
  if (self->store == NULL && self->starting != NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNREACHABLE,
                           _("Mesodesk is still connecting to the clinic server."));
      return NULL;
    }
  if (self->store == NULL && self->start_error != NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNREACHABLE,
                           self->start_error);
      return NULL;
    }
  if (self->store == NULL)
    {
      self->store = meso_worker_open_store (meso_application_get_database_path (self), error);
      if (self->store == NULL)
        return NULL;
      /* Other desks' changes, and a clinic server gone away. */
      self->watch = meso_store_watch (self->store, meso_application_store_event_cb, self, NULL);
    }
  return self->store;
}

void
meso_application_close_store (MesoApplication *self)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));

  self->store_closed = TRUE;
  meso_application_drop_store (self);
}

gboolean
meso_application_reopen_store (MesoApplication  *self,
                               GError          **error)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);

  self->store_closed = FALSE;
  meso_application_drop_store (self);
  /* Another database: the lost one's bar and retries go with it, and so
   * does a start-up connection still under way or failed. */
  meso_application_set_unreachable (self, FALSE);
  meso_application_set_connecting (self, NULL, NULL);
  /* Views reload from the new connection, even when opening failed (then empty). */
  meso_application_store_changed (self);
  return meso_application_get_store (self, error) != NULL;
}

GSettings *
meso_application_load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* g_settings_new() aborts on a missing schema; an uninstalled build must still run. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_info ("Settings schema %s is not installed; settings will not be kept", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

GSettings *
meso_application_get_settings (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = meso_application_load_settings ();
  return self->settings;
}

/* The clinic server Preferences chose, or NULL for this computer's file. */
static MesoServer *
chosen_server (MesoApplication *self)
{
  GSettings *settings = meso_application_get_settings (self);
  g_autofree char *kind = NULL;

  if (settings == NULL)
    return NULL;
  kind = g_settings_get_string (settings, "clinic-database");
  return g_str_equal (kind, "server") ? meso_server_new_from_settings (settings) : NULL;
}

static void
set_database_path (MesoApplication *self,
                   char            *location)
{
  /* The old location may hold a password: not left in freed memory. */
  if (self->database_path != NULL)
    memset (self->database_path, 0, strlen (self->database_path));
  g_free (self->database_path);
  self->database_path = location;
}

const char *
meso_application_get_database_path (MesoApplication *self)
{
  const char *env = g_getenv ("MESODESK_DATABASE");
  g_autoptr(MesoServer) server = NULL;

  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  if (self->database_path != NULL)
    return self->database_path;
  /* --database (already set), then $MESODESK_DATABASE, then Preferences. */
  if (env != NULL && *env != '\0')
    self->location_fixed = TRUE;
  else if ((server = chosen_server (self)) != NULL)
    {
      /* Without its password: meso_application_connect() asks the keyring
       * (or the person) without blocking the window. */
      set_database_path (self, meso_server_location (server, NULL));
      return self->database_path;
    }
  set_database_path (self, meso_store_default_path ());
  return self->database_path;
}

gboolean
meso_application_get_location_fixed (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);

  meso_application_get_database_path (self);
  return self->location_fixed;
}

char *
meso_application_describe_database (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  return meso_store_describe_location (meso_application_get_database_path (self));
}

gboolean
meso_application_use_database (MesoApplication  *self,
                               const char       *location,
                               GError          **error)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (location != NULL, FALSE);

  set_database_path (self, g_strdup (location));
  return meso_application_reopen_store (self, error);
}

/* A start-up connection's callback data: the connection superseded (its
 * cancellable cancelled) is not used. */
typedef struct
{
  MesoApplication *app;
  GCancellable    *cancellable;
} Starting;

static void
starting_free (Starting *start)
{
  g_object_unref (start->app);
  g_object_unref (start->cancellable);
  g_free (start);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Starting, starting_free)

/* The server answered at @location (owned; NULL: the one already set), or
 * @cause says why not. Connecting again here is quick. */
static void
meso_application_started (Starting   *start,
                          char       *location,
                          const char *keyring_note,
                          GError     *cause)
{
  MesoApplication *self = start->app;
  g_autoptr(GError) error = cause;
  GtkWindow *window;

  if (g_cancellable_is_cancelled (start->cancellable))
    {
      g_free (location);
      return;
    }
  if (location != NULL)
    set_database_path (self, location);
  meso_application_set_connecting (self, NULL, NULL);
  if (error == NULL)
    meso_application_get_store (self, &error);
  if (error != NULL)
    {
      g_debug ("Connecting to the clinic server at start-up failed: %s", error->message);
      meso_application_set_connecting (self, NULL, error->message);
      return;
    }
  /* The views take the store. */
  meso_application_store_changed (self);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (keyring_note != NULL && MESO_IS_WINDOW (window))
    meso_window_add_toast (MESO_WINDOW (window), adw_toast_new (keyring_note));
  meso_recall_notification_check (self);
}

static void
server_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Starting) start = user_data;
  g_autoptr(MesoServerConnection) connection = NULL;
  GError *error = NULL;

  connection = meso_server_connect_finish (result, &error);
  meso_application_started (start, connection != NULL ? g_strdup (connection->location) : NULL,
                            connection != NULL ? connection->keyring_note : NULL, error);
}

static void
location_probed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Starting) start = user_data;
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  meso_application_started (start, NULL, NULL, error);
}

/* The connection of self->starting, set already (so that a window made
 * meanwhile does not connect by itself). */
static void
meso_application_start_connecting (MesoApplication *self,
                                   GtkWindow       *parent)
{
  const char *location = meso_application_get_database_path (self);
  g_autoptr(MesoServer) server = NULL;
  g_autoptr(GTask) task = NULL;
  Starting *start = g_new0 (Starting, 1);

  start->app = g_object_ref (self);
  start->cancellable = g_object_ref (self->starting);
  /* The server Preferences chose: its password from the keyring, else
   * asked over @parent. */
  server = self->location_fixed ? NULL : chosen_server (self);
  if (server != NULL)
    {
      meso_server_connect_async (server, NULL, parent, start->cancellable, server_connected_cb,
                                 start);
      return;
    }
  task = g_task_new (NULL, start->cancellable, location_probed_cb, start);
  g_task_set_source_tag (task, meso_application_connect);
  g_task_set_task_data (task, g_strdup (location), clear_location);
  g_task_run_in_thread (task, probe_thread);
}

void
meso_application_connect (MesoApplication *self,
                          GtkWindow       *parent)
{
  g_autoptr(GCancellable) starting = NULL;

  g_return_if_fail (MESO_IS_APPLICATION (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  if (self->starting != NULL)
    return;
  starting = g_cancellable_new ();
  meso_application_set_connecting (self, starting, NULL);
  meso_application_start_connecting (self, parent);
}

gboolean
meso_application_get_connecting (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);

  return self->starting != NULL;
}

const char *
meso_application_get_connect_error (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  return self->start_error;
}

static int
meso_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  MesoApplication *self = MESO_APPLICATION (app);
  g_autofree char *path = NULL;

  if (g_variant_dict_lookup (options, "database", "^ay", &path))
    {
      /* SQLite would open "" as a private temporary database: nothing kept. */
      if (*path == '\0')
        {
          g_printerr ("%s\n", _("--database needs the path of a database file."));
          return 2;
        }
      set_database_path (self, g_steal_pointer (&path));
      self->location_fixed = TRUE;
    }
  return -1;
}

static void
meso_application_activate (GApplication *app)
{
  MesoApplication *self = MESO_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  /* A clinic server may take its whole connect timeout to answer, or want
   * a password: connected off the main thread, the window showing so. */
  if (window == NULL && self->store == NULL && !self->store_closed &&
      meso_store_location_is_server (meso_application_get_database_path (self)))
    {
      g_autoptr(GCancellable) starting = g_cancellable_new ();

      meso_application_set_connecting (self, starting, NULL);
      window = GTK_WINDOW (meso_window_new (self));
      gtk_window_present (window);
      meso_application_start_connecting (self, window);
      return;
    }
  if (window == NULL)
    window = GTK_WINDOW (meso_window_new (self));

  gtk_window_present (window);
  if (self->starting != NULL || self->start_error != NULL)
    return;

  /* Say at once when the records cannot be reached, not at the first save. */
  if (meso_application_get_store (self, &error) == NULL)
    {
      meso_application_show_error (window, _("The Clinic Database Cannot Be Opened"),
                                   error->message);
      return;
    }

  meso_recall_notification_check (self);
}

static void
meso_application_finalize (GObject *object)
{
  MesoApplication *self = MESO_APPLICATION (object);

  g_clear_handle_id (&self->changed_idle, g_source_remove);
  meso_application_drop_store (self);
  g_cancellable_cancel (self->starting);
  g_clear_object (&self->starting);
  g_clear_pointer (&self->start_error, g_free);
  g_clear_object (&self->settings);
  set_database_path (self, NULL);

  G_OBJECT_CLASS (meso_application_parent_class)->finalize (object);
}

static void
meso_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MesoApplication *self = MESO_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_UNREACHABLE:
      g_value_set_boolean (value, self->unreachable);
      break;
    case PROP_CONNECTING:
      g_value_set_boolean (value, self->starting != NULL);
      break;
    case PROP_CONNECT_ERROR:
      g_value_set_string (value, self->start_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_application_class_init (MesoApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Before any instance exists: startup loads style.css and the shortcuts window. */
  meso_application_ensure_resources ();

  G_OBJECT_CLASS (klass)->finalize = meso_application_finalize;
  G_OBJECT_CLASS (klass)->get_property = meso_application_get_property;
  app_class->startup = meso_application_startup;
  app_class->activate = meso_application_activate;
  app_class->handle_local_options = meso_application_handle_local_options;

  /* The clinic server's connection is lost; the application retries. */
  properties[PROP_UNREACHABLE] =
    g_param_spec_boolean ("unreachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Connecting to the clinic server at start-up (meso_application_connect()). */
  properties[PROP_CONNECTING] =
    g_param_spec_boolean ("connecting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why connecting at start-up failed, for people; NULL otherwise. */
  properties[PROP_CONNECT_ERROR] =
    g_param_spec_string ("connect-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);

  signals[STORE_CHANGED] = g_signal_new ("store-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
meso_application_init (MesoApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "database", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_FILENAME, _("Use the clinic database at LOCATION: a database file, or a "
                                   "clinic server (postgresql://… or service=NAME)"),
                                 _("LOCATION"));
}

MesoApplication *
meso_application_new (void)
{
  return g_object_new (MESO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

void
meso_application_show_error (GtkWindow  *parent,
                             const char *heading,
                             const char *message)
{
  GtkWidget *dialog;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  dialog = adw_message_dialog_new (parent, heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
