/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed day list: one day's appointments as a table (time, patient,
 * area, practitioner, room, and an empty column to tick) for the desk. The
 * text is built apart from the printing, so tests can read it. */

#pragma once

#include <gtk/gtk.h>

#include "meso-store.h"

G_BEGIN_DECLS

typedef enum
{
  MESO_DAY_LIST_TIME,
  MESO_DAY_LIST_PATIENT,
  MESO_DAY_LIST_AREA,
  MESO_DAY_LIST_PRACTITIONER,
  MESO_DAY_LIST_ROOM,
  MESO_DAY_LIST_TICK,
  MESO_DAY_LIST_N_COLUMNS,
} MesoDayListColumn;

/* "Day list for Friday, 20/11/2026": the date in the locale's format. */
char              *meso_day_list_title              (const GDate *day);
/* The column headings, translated (a new NULL-terminated array). */
char             **meso_day_list_headings           (void);
/* One row (a NULL-terminated array of MESO_DAY_LIST_N_COLUMNS strings) per
 * appointment of @appointments (MesoAppointment) on @day that is still
 * expected or has come: cancelled ones and no-shows are left out. */
GPtrArray         *meso_day_list_rows               (GPtrArray   *appointments,
                                                     const GDate *day);
/* The title, headings and rows as text, a tab between cells. */
char              *meso_day_list_to_text            (GPtrArray   *appointments,
                                                     const GDate *day);
/* A print operation that prints the table, over as many pages as it needs,
 * under @clinic's name and phone (NULL: none). */
/* A printed table, as many pages as it needs, each with @title (the clinic's
 * name and phone above it) and the @headings; a row is a strv of as many
 * cells as there are headings, each column as wide as its widest cell and
 * the rest of the width shared by @column_share (on a page too narrow, the
 * shares alone); the last column is a box to tick. @empty is printed when there are no @rows;
 * @file_name the default name of the file (“.pdf” is added). */
GtkPrintOperation *meso_table_print_operation_new   (const char            *title,
                                                     const MesoClinicInfo  *clinic,
                                                     const char *const     *headings,
                                                     GPtrArray             *rows,
                                                     const double          *column_share,
                                                     const char            *empty,
                                                     const char            *file_name);
/* How many cells the last run of a table's print cut short (“…”): none
 * where the page is wide enough for every column's widest cell. */
guint              meso_table_print_operation_get_n_cut (GtkPrintOperation *operation);
GtkPrintOperation *meso_day_list_print_operation_new (GPtrArray            *appointments,
                                                     const GDate          *day,
                                                     const MesoClinicInfo *clinic);

G_END_DECLS
