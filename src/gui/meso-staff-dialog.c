/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-staff-dialog.h"

#include <glib/gi18n.h>

typedef struct
{
  MesoStore         *store;
  char              *name;          /* Reset Password…'s person; NULL: Add */
  MesoStaffDoneFunc  done;
  GObject           *user_data;
  GtkWindow         *window;        /* not held: it holds this */
  GtkEditable       *name_entry;
  GtkCheckButton    *roles[3];      /* receptionist, clinician, manager */
  GtkEditable       *password;
  GtkEditable       *again;
  GtkLabel          *message;
} StaffDialog;

static void
staff_dialog_free (StaffDialog *dialog)
{
  g_clear_object (&dialog->store);
  g_clear_object (&dialog->user_data);
  g_free (dialog->name);
  g_free (dialog);
}

static void
say (StaffDialog *dialog,
     const char  *text)
{
  gtk_label_set_label (dialog->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (dialog->message), text != NULL);
}

static void
edited_cb (StaffDialog *dialog)
{
  say (dialog, NULL);
}

static void
accept_clicked_cb (StaffDialog *dialog)
{
  const char *password = gtk_editable_get_text (dialog->password);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean ok;

  /* Only the form's own question; everything else is the store's. */
  if (g_strcmp0 (password, gtk_editable_get_text (dialog->again)) != 0)
    {
      say (dialog, _("The two passwords are not the same: type it again in both."));
      gtk_widget_grab_focus (GTK_WIDGET (dialog->again));
      return;
    }
  if (dialog->name == NULL)
    {
      MesoStaffRoles roles = 0;

      name = g_strstrip (g_strdup (gtk_editable_get_text (dialog->name_entry)));
      if (gtk_check_button_get_active (dialog->roles[0]))
        roles |= MESO_STAFF_RECEPTIONIST;
      if (gtk_check_button_get_active (dialog->roles[1]))
        roles |= MESO_STAFF_CLINICIAN;
      if (gtk_check_button_get_active (dialog->roles[2]))
        roles |= MESO_STAFF_MANAGER;
      /* No password: someone in the records who does not sign in. */
      if (*password != '\0')
        ok = meso_store_add_staff (dialog->store, name, roles, password, &error);
      else
        ok = meso_store_add_practitioner (dialog->store, name,
                                          (roles & MESO_STAFF_CLINICIAN) != 0
                                          ? MESO_ROLE_CLINICIAN : MESO_ROLE_RECEPTIONIST,
                                          &error) &&
             ((roles & MESO_STAFF_MANAGER) == 0 ||
              meso_store_set_staff_roles (dialog->store, name, roles, &error));
    }
  else
    {
      name = g_strdup (dialog->name);
      ok = meso_store_set_staff_password (dialog->store, name, password, &error);
    }
  if (!ok)
    {
      say (dialog, error->message);
      return;
    }
  if (dialog->done != NULL)
    dialog->done (name, dialog->user_data);
  gtk_window_destroy (dialog->window);
}

/* A label above its field, named for screen readers by it. */
static void
add_field (GtkBox     *box,
           const char *mnemonic,
           GtkWidget  *field)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_widget_set_margin_top (label, 6);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_box_append (box, label);
  gtk_box_append (box, field);
}

static void
add_note (GtkBox     *box,
          const char *text)
{
  GtkWidget *note = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0.0f);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (box, note);
}

static GtkWidget *
password_entry_new (StaffDialog *dialog)
{
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (edited_cb), dialog);
  return entry;
}

static void
role_toggled_cb (StaffDialog *dialog)
{
  say (dialog, NULL);
}

GtkWindow *
meso_staff_dialog_new (GtkWindow         *parent,
                       MesoStore         *store,
                       const char        *name,
                       gboolean           first_account,
                       MesoStaffDoneFunc  done,
                       GObject           *user_data)
{
  static const char *const role_labels[] = {
    /* Translators: a role in Add Staff Member; the underlined letter is a shortcut */
    N_("_Receptionist"),
    /* Translators: a role in Add Staff Member: treats patients */
    N_("_Clinician"),
    /* Translators: a role in Add Staff Member: staff, policy, backups, the audit log */
    N_("_Manager"),
  };
  StaffDialog *dialog = g_new0 (StaffDialog, 1);
  GtkWidget *window = adw_window_new ();
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *accept;
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *title;
  g_autofree char *heading = NULL;
  GtkShortcutController *shortcuts;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  dialog->store = g_object_ref (store);
  dialog->name = g_strdup (name);
  dialog->done = done;
  dialog->user_data = user_data != NULL ? g_object_ref (user_data) : NULL;
  dialog->window = GTK_WINDOW (window);
  dialog->message = GTK_LABEL (message);
  g_object_set_data_full (G_OBJECT (window), "meso-staff-dialog", dialog,
                          (GDestroyNotify)staff_dialog_free);

  if (name == NULL)
    /* Translators: title of the window that adds a staff member */
    heading = g_strdup (_("Add Staff Member"));
  else
    /* Translators: title of the window that sets a new password; %s is a name */
    heading = g_strdup_printf (_("New Password for %s"), name);
  gtk_window_set_title (GTK_WINDOW (window), heading);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, -1);

  accept = gtk_button_new_with_mnemonic (name == NULL
                                         /* Translators: adds the staff member */
                                         ? _("_Add")
                                         /* Translators: saves the new password */
                                         : _("_Set Password"));
  gtk_widget_add_css_class (accept, "suggested-action");
  title = adw_window_title_new (heading, NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), accept);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (accept, "clicked", G_CALLBACK (accept_clicked_cb), dialog);
  gtk_window_set_default_widget (GTK_WINDOW (window), accept);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  if (name == NULL)
    {
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *roles_label = gtk_label_new (_("Roles"));
      GtkWidget *roles_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      dialog->name_entry = GTK_EDITABLE (entry);
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (edited_cb), dialog);
      /* Translators: the new staff member's name, as they pick it when signing in */
      add_field (GTK_BOX (box), _("_Name"), entry);

      gtk_label_set_xalign (GTK_LABEL (roles_label), 0.0f);
      gtk_widget_set_margin_top (roles_label, 6);
      gtk_widget_add_css_class (roles_label, "heading");
      gtk_box_append (GTK_BOX (box), roles_label);
      for (guint i = 0; i < G_N_ELEMENTS (role_labels); i++)
        {
          GtkWidget *check = gtk_check_button_new_with_mnemonic (_(role_labels[i]));

          dialog->roles[i] = GTK_CHECK_BUTTON (check);
          g_signal_connect_swapped (check, "toggled", G_CALLBACK (role_toggled_cb), dialog);
          gtk_box_append (GTK_BOX (roles_box), check);
        }
      /* One treats or receives; managing is beside either. */
      gtk_check_button_set_group (dialog->roles[1], dialog->roles[0]);
      gtk_check_button_set_active (dialog->roles[1], TRUE);
      gtk_check_button_set_active (dialog->roles[2], first_account);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (roles_box),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, roles_label, NULL,
                                      -1);
      gtk_box_append (GTK_BOX (box), roles_box);
      if (first_account)
        add_note (GTK_BOX (box), _("The first account is a manager’s: a manager then adds "
                                   "everyone else."));
    }
  dialog->password = GTK_EDITABLE (password_entry_new (dialog));
  dialog->again = GTK_EDITABLE (password_entry_new (dialog));
  /* Translators: the staff member's password, typed twice */
  add_field (GTK_BOX (box), _("_Password"), GTK_WIDGET (dialog->password));
  add_field (GTK_BOX (box), _("Password _Again"), GTK_WIDGET (dialog->again));
  if (name == NULL)
    add_note (GTK_BOX (box), _("Without a password, they are in the records and can be "
                               "booked, but cannot sign in."));

  gtk_label_set_wrap (dialog->message, TRUE);
  gtk_label_set_xalign (dialog->message, 0.0f);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  gtk_widget_set_margin_top (message, 6);
  gtk_box_append (GTK_BOX (box), message);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), scrolled);
  adw_window_set_content (ADW_WINDOW (window), toolbar);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "Escape"),
                                                          gtk_named_action_new (
                                                            "window.close")));
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (shortcuts));
  gtk_widget_grab_focus (name == NULL ? GTK_WIDGET (dialog->name_entry)
                                      : GTK_WIDGET (dialog->password));
  return GTK_WINDOW (window);
}
