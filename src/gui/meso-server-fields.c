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
                          tls_modes[tls].sslmode);
}

static void
meso_server_fields_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MESO_TYPE_SERVER_FIELDS);

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
}

static void
meso_server_fields_init (MesoServerFields *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (tls_modes); i++)
    gtk_string_list_append (modes, _(tls_modes[i].label));
  adw_combo_row_set_model (self->tls_row, G_LIST_MODEL (modes));
}

GtkWidget *
meso_server_fields_new (void)
{
  return g_object_new (MESO_TYPE_SERVER_FIELDS, NULL);
}
