/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recall by Lot (issue 18): a lot number typed (the lot picker offers the
 * registered lots), everyone who received it with the session's date and
 * area and their phone and e-mail, each logged as called for this lot
 * (meso_store_log_lot_contact()), the list printed and exported as CSV.
 * Read in a worker thread, so a lot given to thousands does not stop the
 * window. */
#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_RECALL_WINDOW (meso_recall_window_get_type ())
G_DECLARE_FINAL_TYPE (MesoRecallWindow, meso_recall_window, MESO, RECALL_WINDOW, AdwWindow)

MesoRecallWindow *meso_recall_window_new         (GtkWindow        *parent,
                                                  MesoStore        *store);
/* win.recall-by-lot: opens one beside @widget, a MesoWindow. */
void              meso_recall_window_open_action (GtkWidget        *widget,
                                                  const char       *action_name,
                                                  GVariant         *parameter);
/* Shows who received lot @number, as if typed and Return pressed. */
void              meso_recall_window_search      (MesoRecallWindow *self,
                                                  const char       *number);
gboolean          meso_recall_window_get_loading (MesoRecallWindow *self);
/* The rows shown, one per session, oldest first (how many: for tests). */
GListModel       *meso_recall_window_get_model   (MesoRecallWindow *self);
/* The shown lot's list as its Print button prints it (a table: patient,
 * session, phone, e-mail, when called). */
GtkPrintOperation *meso_recall_window_print_operation_new (MesoRecallWindow *self);
/* What the export button's file chooser writes: the shown lot's list. */
gboolean          meso_recall_window_export_to   (MesoRecallWindow *self,
                                                  const char       *path,
                                                  guint            *n_written,
                                                  GError          **error);

G_END_DECLS
