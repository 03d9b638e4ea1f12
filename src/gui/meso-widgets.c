/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-widgets.h"

#include "meso-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/**
 * meso_button_wrap_label:
 * @button: a button made with a label
 *
 * Lets the label of @button wrap between words, centred, so a long
 * translation makes the button taller rather than the window wider.
 */
void
meso_button_wrap_label (GtkButton *button)
{
  GtkWidget *label;

  g_return_if_fail (GTK_IS_BUTTON (button));

  label = gtk_button_get_child (button);
  g_return_if_fail (GTK_IS_LABEL (label));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
}

/**
 * meso_dialog_fit_parent:
 * @dialog: a window not yet shown, transient for another
 *
 * Makes @dialog's default width no wider than the window it belongs to, so
 * a dialog opened from a narrow window (a phone, half a screen) fits it.
 * Its height is left alone: the dialogs scroll.
 */
void
meso_dialog_fit_parent (GtkWindow *dialog)
{
  GtkWindow *parent;
  int width = 0, height = 0, parent_width;

  g_return_if_fail (GTK_IS_WINDOW (dialog));

  parent = gtk_window_get_transient_for (dialog);
  if (parent == NULL || !gtk_widget_get_visible (GTK_WIDGET (parent)))
    return;
  /* Not allocated yet (it has only just been shown): the size it asked for. */
  parent_width = gtk_widget_get_width (GTK_WIDGET (parent));
  if (parent_width <= 0)
    gtk_window_get_default_size (parent, &parent_width, &height);
  gtk_window_get_default_size (dialog, &width, &height);
  if (parent_width > 0 && (width <= 0 || width > parent_width))
    gtk_window_set_default_size (dialog, parent_width, height);
}

/* Narrower than this, a dialog's Cancel is an icon. */
#define COMPACT_DIALOG_WIDTH 420

static void
update_compact_cancel (GtkWindow  *dialog,
                       GParamSpec *pspec,
                       GtkButton  *cancel)
{
  const char *words = g_object_get_data (G_OBJECT (cancel), "meso-cancel-words");
  int width = 0, height = 0;

  /* GTK 4.8 takes no NULL for either. */
  gtk_window_get_default_size (dialog, &width, &height);
  if (width > 0 && width < COMPACT_DIALOG_WIDTH)
    {
      if (gtk_button_get_icon_name (cancel) == NULL)
        gtk_button_set_icon_name (cancel, "window-close-symbolic");
    }
  else if (gtk_button_get_icon_name (cancel) != NULL)
    gtk_button_set_label (cancel, words);
}

/**
 * meso_dialog_compact_cancel:
 * @dialog: a dialog with Cancel and a default button in its header bar
 * @cancel: its Cancel button, with a label
 *
 * Keeps the title between the header bar's buttons readable in a narrow
 * dialog: below COMPACT_DIALOG_WIDTH pixels @cancel shows a close icon, and
 * its words stay its tooltip and accessible name; wider, the words again.
 */
void
meso_dialog_compact_cancel (GtkWindow *dialog,
                            GtkButton *cancel)
{
  const char *label;
  GString *plain;

  g_return_if_fail (GTK_IS_WINDOW (dialog));
  g_return_if_fail (GTK_IS_BUTTON (cancel));

  label = gtk_button_get_label (cancel);
  g_return_if_fail (label != NULL);
  plain = g_string_new (label);
  if (gtk_button_get_use_underline (cancel))
    g_string_replace (plain, "_", "", 0);
  g_object_set_data_full (G_OBJECT (cancel), "meso-cancel-words", g_strdup (label), g_free);
  gtk_widget_set_tooltip_text (GTK_WIDGET (cancel), plain->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  plain->str, -1);
  g_string_free (plain, TRUE);

  g_signal_connect_object (dialog, "notify::default-width", G_CALLBACK (update_compact_cancel),
                           cancel, 0);
  update_compact_cancel (dialog, NULL, cancel);
}

/**
 * meso_print_operation_set_file_name:
 * @operation: a print operation not yet run
 * @base_name: what the printed file is, e.g. “Aftercare – Erika Mustermann – 2026-06-01”
 *
 * Makes the print dialog's “Print to File” offer @base_name (GTK adds the
 * extension of the format chosen) rather than “output.pdf”.
 */
void
meso_print_operation_set_file_name (GtkPrintOperation *operation,
                                    const char        *base_name)
{
  g_autoptr(GtkPrintSettings) settings = NULL;

  g_return_if_fail (GTK_IS_PRINT_OPERATION (operation));
  g_return_if_fail (base_name != NULL);

  settings = gtk_print_operation_get_print_settings (operation);
  settings = settings != NULL ? gtk_print_settings_copy (settings) : gtk_print_settings_new ();
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME, base_name);
  gtk_print_operation_set_print_settings (operation, settings);
}

GtkFileChooserNative *
meso_csv_save_chooser_new (GtkWindow  *parent,
                           const char *title,
                           const char *name)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         /* Translators: the button of a CSV export's file
                                          * chooser */
                                         _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Translators: the file type in a CSV export's file chooser */
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

void
meso_widget_copy_text (GtkWidget  *widget,
                       const char *text)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  root = gtk_widget_get_root (widget);
  if (MESO_IS_WINDOW (root))
    /* Translators: a toast after a copy button beside a phone number or address */
    meso_window_add_toast (MESO_WINDOW (root), adw_toast_new (_("Copied")));
}

void
meso_widget_open_uri (GtkWidget  *widget,
                      const char *uri)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  root = gtk_widget_get_root (widget);
  /* GtkUriLauncher is GTK 4.10's; on 4.8 this one, which asks the portal
   * inside a sandbox as well. */
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/**
 * meso_bin_measure:
 *
 * The measure of an #AdwBin without its layout manager (a layout manager's
 * widget is never asked to size_allocate): its child's.
 */
void
meso_bin_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                        natural_baseline);
}

#define OWN_TOOLTIP_KEY "meso-own-tooltip"

gboolean
meso_widget_permit (GtkWidget      *widget,
                    MesoStore      *store,
                    MesoPermission  permission,
                    const char     *why_not)
{
  gboolean may;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  may = store != NULL && meso_store_may (store, permission);
  /* The widget's own tooltip, kept the first time to give back later. */
  if (!g_object_get_data (G_OBJECT (widget), OWN_TOOLTIP_KEY "-kept"))
    {
      g_object_set_data_full (G_OBJECT (widget), OWN_TOOLTIP_KEY,
                              g_strdup (gtk_widget_get_tooltip_text (widget)), g_free);
      g_object_set_data (G_OBJECT (widget), OWN_TOOLTIP_KEY "-kept", GINT_TO_POINTER (TRUE));
    }
  gtk_widget_set_sensitive (widget, may);
  gtk_widget_set_tooltip_text (widget, may ? g_object_get_data (G_OBJECT (widget),
                                                                OWN_TOOLTIP_KEY)
                                           : why_not);
  return may;
}

void
meso_widget_activate_action (GtkWidget  *widget,
                             const char *name,
                             GVariant   *parameter)
{
  g_autoptr(GVariant) held = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_activate_action_variant (widget, name, held);
}

GtkWidget *
meso_icon_button_new (const char *icon_name,
                      const char *action_name,
                      const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_set_tooltip_text (button, label);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}
