/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-application.h"

#include "meso-recall-notification.h"
#include "meso-application-actions.h"
#include "meso-preferences-window.h"
#include "meso-resources.h"
#include "meso-window.h"

#include <glib/gi18n.h>

struct _MesoApplication
{
  AdwApplication  parent_instance;

  char           *database_path;
  MesoStore      *store;
  gint64          data_version;
  guint           changed_idle;
  guint           poll_timeout;
  gboolean        store_closed;
};

enum {
  STORE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Often enough that a booking made at the front desk's command line shows up
 * while someone still looks at the schedule; cheap: one PRAGMA. */
#define STORE_POLL_SECONDS 3

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

static gboolean
meso_application_poll_cb (gpointer user_data)
{
  MesoApplication *self = MESO_APPLICATION (user_data);
  gint64 version;

  if (self->store == NULL)
    return G_SOURCE_CONTINUE;
  version = meso_store_get_data_version (self->store);
  if (version != self->data_version)
    {
      self->data_version = version;
      meso_application_store_changed (self);
    }
  return G_SOURCE_CONTINUE;
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
  if (self->store == NULL)
    {
      self->store = meso_store_open (meso_application_get_database_path (self), error);
      if (self->store == NULL)
        return NULL;
      self->data_version = meso_store_get_data_version (self->store);
      if (self->poll_timeout == 0)
        self->poll_timeout = g_timeout_add_seconds (STORE_POLL_SECONDS,
                                                    meso_application_poll_cb, self);
    }
  return self->store;
}

void
meso_application_close_store (MesoApplication *self)
{
  g_return_if_fail (MESO_IS_APPLICATION (self));

  self->store_closed = TRUE;
  g_clear_object (&self->store);
}

gboolean
meso_application_reopen_store (MesoApplication  *self,
                               GError          **error)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), FALSE);

  self->store_closed = FALSE;
  g_clear_object (&self->store);
  /* Views reload from the new connection, even when opening failed (then empty). */
  meso_application_store_changed (self);
  return meso_application_get_store (self, error) != NULL;
}

const char *
meso_application_get_database_path (MesoApplication *self)
{
  g_return_val_if_fail (MESO_IS_APPLICATION (self), NULL);

  if (self->database_path == NULL)
    self->database_path = meso_store_default_path ();
  return self->database_path;
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
      g_free (self->database_path);
      self->database_path = g_steal_pointer (&path);
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
  if (window == NULL)
    window = GTK_WINDOW (meso_window_new (self));

  gtk_window_present (window);

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
  g_clear_handle_id (&self->poll_timeout, g_source_remove);
  g_clear_object (&self->store);
  g_clear_pointer (&self->database_path, g_free);

  G_OBJECT_CLASS (meso_application_parent_class)->finalize (object);
}

static void
meso_application_class_init (MesoApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Before any instance exists: startup loads style.css and the shortcuts window. */
  meso_application_ensure_resources ();

  G_OBJECT_CLASS (klass)->finalize = meso_application_finalize;
  app_class->startup = meso_application_startup;
  app_class->activate = meso_application_activate;
  app_class->handle_local_options = meso_application_handle_local_options;

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
