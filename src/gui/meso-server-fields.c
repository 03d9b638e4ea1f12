/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-server-fields.h"

#include "meso-application.h"

#include <glib/gi18n.h>

struct _MesoServerFields
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *host_entry;
  GtkSpinButton       *port_spin;
  AdwEntryRow         *database_entry;
  AdwEntryRow         *user_entry;
  AdwComboRow         *tls_row;
  AdwActionRow        *ca_row;
  GtkWidget           *ca_remove_button;
  char                *ca_file;  /* Mesodesk's copy, or "" */
};

G_DEFINE_FINAL_TYPE (MesoServerFields, meso_server_fields, ADW_TYPE_PREFERENCES_GROUP)

/* The encryption choices, in the combo row's order: libpq's sslmode. */
static const struct
{
  const char *sslmode;
  const char *label;
} tls_modes[] = {
  { "verify-full", N_("Required, and verify the server (recommended)") },
  { "require", N_("Required") },
  /* libpq's "prefer": encrypted when the server offers it, never checked. */
  { "prefer", N_("Off (same computer or trusted network only)") },
};

/* The CA row is about verifying: shown only when the choice verifies. */
static void
tls_selected_cb (MesoServerFields *self)
{
  guint tls = adw_combo_row_get_selected (self->tls_row);

  gtk_widget_set_visible (GTK_WIDGET (self->ca_row),
                          tls < G_N_ELEMENTS (tls_modes) &&
                          g_str_has_prefix (tls_modes[tls].sslmode, "verify-"));
}

static void
ca_show (MesoServerFields *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  gboolean chosen = *self->ca_file != '\0';

  if (chosen)
    who = meso_server_describe_ca (self->ca_file, &error);
  adw_action_row_set_subtitle (self->ca_row,
                               !chosen ? _("Not chosen: ~/.postgresql/root.crt is used")
                               : who != NULL ? who
                               /* Translators: the chosen CA's copy has gone */
                               : _("Missing: choose the file again"));
  gtk_widget_set_visible (self->ca_remove_button, chosen);
}

gboolean
meso_server_fields_set_ca_file (MesoServerFields  *self,
                                const char        *path,
                                GError           **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (MESO_IS_SERVER_FIELDS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  copy = meso_server_import_ca (path, error);
  if (copy == NULL)
    return FALSE;
  g_free (self->ca_file);
  self->ca_file = g_steal_pointer (&copy);
  ca_show (self);
  return TRUE;
}

static void
ca_remove_clicked_cb (MesoServerFields *self)
{
  g_free (self->ca_file);
  self->ca_file = g_strdup ("");
  ca_show (self);
}

static void
ca_chosen_cb (GtkNativeDialog  *chooser,
              int               response,
              MesoServerFields *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path != NULL && !meso_server_fields_set_ca_file (self, path, &error))
    {
      GtkWidget *dialog =
        adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                /* Translators: heading of the message when the chosen file
                                 * is not kept as the clinic's certificate authority */
                                _("Certificate Not Chosen"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

/* GtkFileChooserNative: in a Flatpak, the portal's chooser, which hands over
 * the one file picked, so the sandbox needs no access to the home folder. */
static void
ca_choose_clicked_cb (MesoServerFields *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (/* Translators: title of the CA file chooser */
                                         _("Clinic’s Certificate Authority"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         /* Translators: the CA file chooser's button */
                                         _("_Choose"), NULL);
  /* Translators: the file type in the CA file chooser */
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  /* Translators: the file type in a file chooser that shows every file */
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (ca_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
meso_server_fields_set_server (MesoServerFields *self,
                               const MesoServer *server)
{
  g_return_if_fail (MESO_IS_SERVER_FIELDS (self));
  g_return_if_fail (server != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), server->host);
  gtk_spin_button_set_value (self->port_spin, server->port);
  gtk_editable_set_text (GTK_EDITABLE (self->database_entry), server->database);
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), server->user);
  for (guint i = 0; i < G_N_ELEMENTS (tls_modes); i++)
    if (g_str_equal (server->tls, tls_modes[i].sslmode))
      adw_combo_row_set_selected (self->tls_row, i);
  g_free (self->ca_file);
  self->ca_file = g_strdup (server->ca_file);
  ca_show (self);
}

MesoServer *
meso_server_fields_get_server (MesoServerFields *self)
{
  guint tls;

  g_return_val_if_fail (MESO_IS_SERVER_FIELDS (self), NULL);

  tls = MIN (adw_combo_row_get_selected (self->tls_row), G_N_ELEMENTS (tls_modes) - 1);
  gtk_spin_button_update (self->port_spin);
  return meso_server_new (gtk_editable_get_text (GTK_EDITABLE (self->host_entry)),
                          (guint)gtk_spin_button_get_value_as_int (self->port_spin),
                          gtk_editable_get_text (GTK_EDITABLE (self->database_entry)),
                          gtk_editable_get_text (GTK_EDITABLE (self->user_entry)),
                          tls_modes[tls].sslmode, self->ca_file);
}

static void
meso_server_fields_dispose (GObject *object)
{
  MesoServerFields *self = MESO_SERVER_FIELDS (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), MESO_TYPE_SERVER_FIELDS);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (meso_server_fields_parent_class)->dispose (object);
}

static void
meso_server_fields_class_init (MesoServerFieldsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = meso_server_fields_dispose;

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-server-fields.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, host_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, port_spin);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, database_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, user_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, tls_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, ca_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerFields, ca_remove_button);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_remove_clicked_cb);
}

static void
meso_server_fields_init (MesoServerFields *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (tls_modes); i++)
    gtk_string_list_append (modes, _(tls_modes[i].label));
  adw_combo_row_set_model (self->tls_row, G_LIST_MODEL (modes));
  self->ca_file = g_strdup ("");
  g_signal_connect_swapped (self->tls_row, "notify::selected", G_CALLBACK (tls_selected_cb),
                            self);
  tls_selected_cb (self);
  ca_show (self);
}

GtkWidget *
meso_server_fields_new (void)
{
  return g_object_new (MESO_TYPE_SERVER_FIELDS, NULL);
}
