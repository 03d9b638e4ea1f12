/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-progress-window.h"

#include "meso-application.h"

#include <glib/gi18n.h>

struct _MesoProgressWindow
{
  AdwWindow       parent_instance;

  GCancellable   *cancellable;
  guint           pulse_timeout;

  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (MesoProgressWindow, meso_progress_window, ADW_TYPE_WINDOW)

#define PULSE_MSEC 100

static gboolean
meso_progress_window_pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

void
meso_progress_window_set_fraction (MesoProgressWindow *self,
                                   double              fraction)
{
  g_return_if_fail (MESO_IS_PROGRESS_WINDOW (self));

  if (fraction < 0.0)
    {
      if (self->pulse_timeout == 0)
        self->pulse_timeout = g_timeout_add (PULSE_MSEC, meso_progress_window_pulse_cb,
                                             self->progress_bar);
      return;
    }
  g_clear_handle_id (&self->pulse_timeout, g_source_remove);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
}

double
meso_progress_window_get_fraction (MesoProgressWindow *self)
{
  g_return_val_if_fail (MESO_IS_PROGRESS_WINDOW (self), 0.0);

  return self->pulse_timeout != 0 ? -1.0 : gtk_progress_bar_get_fraction (self->progress_bar);
}

static void
meso_progress_window_cancel_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  MesoProgressWindow *self = MESO_PROGRESS_WINDOW (widget);

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  /* Translators: the progress window's title once Cancel was pressed */
  gtk_label_set_label (self->title_label, _("Cancelling…"));
}

/* The window goes when the work ends; closing it early means Cancel. */
static gboolean
meso_progress_window_close_request (GtkWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "progress.cancel", NULL);
  return TRUE;
}

static void
meso_progress_window_dispose (GObject *object)
{
  MesoProgressWindow *self = MESO_PROGRESS_WINDOW (object);

  g_clear_handle_id (&self->pulse_timeout, g_source_remove);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PROGRESS_WINDOW);

  G_OBJECT_CLASS (meso_progress_window_parent_class)->dispose (object);
}

static void
meso_progress_window_class_init (MesoProgressWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = meso_progress_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = meso_progress_window_close_request;

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-progress-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoProgressWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, MesoProgressWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MesoProgressWindow, cancel_button);

  gtk_widget_class_install_action (widget_class, "progress.cancel", NULL,
                                   meso_progress_window_cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "progress.cancel", NULL);
}

static void
meso_progress_window_init (MesoProgressWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MesoProgressWindow *
meso_progress_window_new (GtkWindow    *parent,
                          const char   *title,
                          GCancellable *cancellable)
{
  MesoProgressWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (MESO_TYPE_PROGRESS_WINDOW,
                       "transient-for", parent,
                       "title", title,
                       NULL);
  gtk_label_set_label (self->title_label, title);
  g_set_object (&self->cancellable, cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), cancellable != NULL);
  return self;
}
