/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A date field: an entry that takes the locale's form or ISO (core's
 * meso_date_parse_locale()), with a calendar button beside it. */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts a calendar button beside @field: an AdwEntryRow gets it as a suffix,
 * a GtkEntry in a GtkBox right after it. Opening it shows the day typed (or
 * today); picking a day writes it in the locale's form. */
GtkWidget *meso_date_field_add_calendar (GtkWidget   *field);
/* The day typed in @field; FALSE with core's message naming the form. */
gboolean   meso_date_field_get_date     (GtkWidget   *field,
                                         GDate       *date,
                                         GError     **error);
/* Shows @date in @field in the locale's form. */
void       meso_date_field_set_date     (GtkWidget   *field,
                                         const GDate *date);

G_END_DECLS
