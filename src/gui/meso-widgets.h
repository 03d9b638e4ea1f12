/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the windows and views do alike to their widgets so a front desk can
 * work at the keyboard and in a narrow window: labels that wrap rather than
 * widen, dialogs no wider than the window they belong to. */

#pragma once

#include <gtk/gtk.h>

#include "meso-store.h"

G_BEGIN_DECLS

void meso_button_wrap_label (GtkButton *button);
/* Issue 16: @widget sensitive when the signed-in person may do what
 * @permission covers (the store decides, meso_store_may()); otherwise
 * insensitive, its tooltip @why_not. Returns whether they may. */
gboolean meso_widget_permit (GtkWidget      *widget,
                             MesoStore      *store,
                             MesoPermission  permission,
                             const char     *why_not);
void meso_dialog_fit_parent (GtkWindow *dialog);
/* Below 420 pixels @dialog's @cancel shows an icon (its words as tooltip
 * and accessible name), so the title between Cancel and Save stays whole
 * in German at 360 pixels. */
void meso_dialog_compact_cancel (GtkWindow *dialog,
                                 GtkButton *cancel);
/* A modal chooser that saves a CSV file, titled @title, named @name by
 * default, offering CSV files. The caller connects "response" and shows it. */
GtkFileChooserNative *meso_csv_save_chooser_new (GtkWindow  *parent,
                                                 const char *title,
                                                 const char *name);
/* Names the file a print to file writes by default: @base_name, without
 * extension (the dialog adds .pdf), instead of “output”. */
void meso_print_operation_set_file_name (GtkPrintOperation *operation,
                                         const char        *base_name);

/* A flat button showing @icon_name that activates @action_name, with
 * @label as its tooltip and its accessible name. */
GtkWidget *meso_icon_button_new (const char *icon_name,
                                 const char *action_name,
                                 const char *label);

/* Copies @text to @widget's clipboard, and says “Copied” in a toast of
 * @widget's window. */
void meso_widget_copy_text (GtkWidget  *widget,
                            const char *text);
/* Opens @uri (tel:, mailto:) in the desktop's application for it: in
 * Flatpak through the OpenURI portal. */
void meso_widget_open_uri  (GtkWidget  *widget,
                            const char *uri);
/* As AdwBin's layout manager would: for a bin that drops it to watch its
 * width in size_allocate (libadwaita 1.2 has no breakpoints). */
void meso_bin_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline);

/* gtk_widget_activate_action_variant(), the floating @parameter sunk and
 * released here: GTK 4.8 hands it to a widget class's action as it is, and
 * nobody sinks it there. */
void meso_widget_activate_action (GtkWidget  *widget,
                                  const char *name,
                                  GVariant   *parameter);

G_END_DECLS
