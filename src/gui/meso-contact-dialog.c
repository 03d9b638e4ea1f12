/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-contact-dialog.h"

#include "meso-application.h"
#include "meso-time.h"

#include <glib/gi18n.h>

struct _MesoContactDialog
{
  AdwMessageDialog  parent_instance;

  MesoStore        *store;
  gint64            patient_id;

  AdwComboRow      *channel_row;
  AdwComboRow      *outcome_row;
  AdwEntryRow      *note_row;
};

G_DEFINE_FINAL_TYPE (MesoContactDialog, meso_contact_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  LOGGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of the rows' choices in the .ui: the store's words for them. */
static const char *const channels[] = { "call", "sms", "email", "in-person" };
static const char *const outcomes[] = { "reached", "no-answer", "left-message", "call-back" };

static void
meso_contact_dialog_show_error (MesoContactDialog *self,
                                const GError      *error)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *dialog;

  /* Translators: heading of the message shown when a contact could not be saved */
  dialog = adw_message_dialog_new (parent, _("The Contact Was Not Saved"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
meso_contact_dialog_response (AdwMessageDialog *dialog,
                              const char       *response)
{
  MesoContactDialog *self = MESO_CONTACT_DIALOG (dialog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint channel = adw_combo_row_get_selected (self->channel_row);
  guint outcome = adw_combo_row_get_selected (self->outcome_row);
  GtkApplication *app;

  if (!g_str_equal (response, "log") || self->store == NULL)
    return;

  now = meso_clock_now ();
  if (!meso_store_log_contact (self->store, self->patient_id, now,
                               channels[MIN (channel, G_N_ELEMENTS (channels) - 1)],
                               gtk_editable_get_text (GTK_EDITABLE (self->note_row)),
                               outcome < G_N_ELEMENTS (outcomes) ? outcomes[outcome] : NULL,
                               &error))
    {
      meso_contact_dialog_show_error (self, error);
      return;
    }

  app = gtk_window_get_application (gtk_window_get_transient_for (GTK_WINDOW (self)));
  if (MESO_IS_APPLICATION (app))
    meso_application_store_changed (MESO_APPLICATION (app));
  g_signal_emit (self, signals[LOGGED], 0);
}

static void
meso_contact_dialog_dispose (GObject *object)
{
  MesoContactDialog *self = MESO_CONTACT_DIALOG (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_CONTACT_DIALOG);

  G_OBJECT_CLASS (meso_contact_dialog_parent_class)->dispose (object);
}

static void
meso_contact_dialog_class_init (MesoContactDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = meso_contact_dialog_dispose;
  dialog_class->response = meso_contact_dialog_response;

  signals[LOGGED] = g_signal_new ("logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-contact-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoContactDialog, channel_row);
  gtk_widget_class_bind_template_child (widget_class, MesoContactDialog, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, MesoContactDialog, note_row);
}

static void
meso_contact_dialog_init (MesoContactDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
meso_contact_dialog_new (GtkWindow  *parent,
                         MesoStore  *store,
                         gint64      patient_id,
                         const char *patient_name)
{
  MesoContactDialog *self;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (patient_name != NULL, NULL);

  /* Translators: heading of the Log Contact dialog; %s is the patient's name */
  heading = g_strdup_printf (_("Log Contact with %s"), patient_name);
  self = g_object_new (MESO_TYPE_CONTACT_DIALOG,
                       "transient-for", parent,
                       "heading", heading,
                       /* Translators: text of the Log Contact dialog */
                       "body", _("Note how the patient was reached about the next session, "
                                 "and what came of it."),
                       NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  return GTK_WIDGET (self);
}
