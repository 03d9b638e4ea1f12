/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A call list: one section of the aftercare panel on paper, a row per
 * patient and area with the phone number, the area, the date that matters
 * (until when, due, or when the window closed) and a box to tick once
 * called. The CSV of the same list is written by the core
 * (meso_exchange_export_call_list_csv()). */

#pragma once

#include <gtk/gtk.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* What the list is, e.g. “Overdue call list”. */
const char        *meso_call_list_name                (MesoPanelSection      section);
/* The default name of its file, without the extension: “Overdue call list –
 * 2026-12-06”. */
char              *meso_call_list_file_name           (MesoPanelSection      section,
                                                       const GDate          *day);
/* The cells of the printed rows (name, phone, area, date, tick), one strv each. */
GPtrArray         *meso_call_list_rows                (GPtrArray            *reminders,
                                                       MesoPanelSection      section);
/* @reminders: the section's rows (meso_store_list_panel_page()), in order. */
GtkPrintOperation *meso_call_list_print_operation_new (GPtrArray            *reminders,
                                                       MesoPanelSection      section,
                                                       const GDate          *day,
                                                       const MesoClinicInfo *clinic);

G_END_DECLS
