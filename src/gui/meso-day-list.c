/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-day-list.h"

#include "meso-appointment.h"
#include "meso-time.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>

/* Each column's share of the page's width. */
static const double day_list_shares[MESO_DAY_LIST_N_COLUMNS] = { 0.10, 0.30, 0.14, 0.20, 0.18, 0.08 };

#define FONT        "Sans 10"
#define TITLE_FONT  "Sans Bold 14"
#define HEADING_FONT "Sans Bold 10"
#define ROW_PADDING 6.0

char *
meso_day_list_title (const GDate *day)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  date = meso_format_date_long (day);
  /* Translators: the printed day list's title; %s is the weekday and date */
  return g_strdup_printf (_("Day list for %s"), date);
}

char **
meso_day_list_headings (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* Translators: a column heading of the printed day list */
  g_strv_builder_add (builder, C_("day list", "Time"));
  /* Translators: a column heading of the printed day list */
  g_strv_builder_add (builder, C_("day list", "Patient"));
  /* Translators: a column heading of the printed day list: the treatment area */
  g_strv_builder_add (builder, C_("day list", "Area"));
  /* Translators: a column heading of the printed day list */
  g_strv_builder_add (builder, C_("day list", "Practitioner"));
  /* Translators: a column heading of the printed day list */
  g_strv_builder_add (builder, C_("day list", "Room"));
  /* Translators: a column heading of the printed day list: an empty box to tick
   * when the patient has arrived; keep it short */
  g_strv_builder_add (builder, C_("day list", "Here"));
  return g_strv_builder_end (builder);
}

GPtrArray *
meso_day_list_rows (GPtrArray   *appointments,
                    const GDate *day)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  g_return_val_if_fail (appointments != NULL, rows);
  g_return_val_if_fail (day != NULL && g_date_valid (day), rows);

  for (guint i = 0; i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      MesoAppointmentStatus status = meso_appointment_get_status (appointment);
      g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
      g_autofree char *from = NULL;
      g_autofree char *until = NULL;
      char **row;
      GDate on;

      meso_date_from_date_time (meso_appointment_get_start (appointment), &on);
      if (g_date_compare (&on, day) != 0 || status == MESO_APPOINTMENT_CANCELLED ||
          status == MESO_APPOINTMENT_NO_SHOW)
        continue;

      from = meso_format_time_short (meso_appointment_get_start (appointment));
      until = meso_format_time_short (end);
      row = g_new0 (char *, MESO_DAY_LIST_N_COLUMNS + 1);
      /* Translators: a time span in the day list, e.g. “10:00–11:00” */
      row[MESO_DAY_LIST_TIME] = g_strdup_printf (_("%s–%s"), from, until);
      row[MESO_DAY_LIST_PATIENT] = g_strdup (meso_appointment_get_patient_name (appointment));
      if (row[MESO_DAY_LIST_PATIENT] == NULL)
        row[MESO_DAY_LIST_PATIENT] = g_strdup ("");
      row[MESO_DAY_LIST_AREA] = g_strdup (meso_area_get_label (
                                            meso_appointment_get_area (appointment)));
      row[MESO_DAY_LIST_PRACTITIONER] = g_strdup (meso_appointment_get_practitioner (appointment));
      if (row[MESO_DAY_LIST_PRACTITIONER] == NULL)
        row[MESO_DAY_LIST_PRACTITIONER] = g_strdup ("");
      row[MESO_DAY_LIST_ROOM] = g_strdup (meso_appointment_get_room (appointment));
      if (row[MESO_DAY_LIST_ROOM] == NULL)
        row[MESO_DAY_LIST_ROOM] = g_strdup ("");
      row[MESO_DAY_LIST_TICK] = g_strdup ("");
      g_ptr_array_add (rows, row);
    }
  return rows;
}

char *
meso_day_list_to_text (GPtrArray   *appointments,
                       const GDate *day)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title = meso_day_list_title (day);
  g_auto(GStrv) headings = meso_day_list_headings ();
  g_autofree char *heading_line = g_strjoinv ("\t", headings);
  g_autoptr(GPtrArray) rows = meso_day_list_rows (appointments, day);

  g_string_append_printf (text, "%s\n%s\n", title, heading_line);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line = g_strjoinv ("\t", g_ptr_array_index (rows, i));

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---------------------------------------------------------------- printing */

typedef struct
{
  char      *title;    /* the clinic's name and phone above the table's title */
  char     **headings;
  GPtrArray *rows;
  guint      n_columns;
  double    *column_share;
  double    *column_width; /* points, from begin-print: each column's widest cell */
  char      *empty;    /* printed under the headings when there are no rows */
  double     row_height;
  guint      rows_per_page;
  guint      n_cut;    /* cells drawn cut short (…), for the tests */
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_free (job->title);
  g_strfreev (job->headings);
  g_ptr_array_unref (job->rows);
  g_free (job->column_share);
  g_free (job->column_width);
  g_free (job->empty);
  g_free (job);
}

static PangoLayout *
new_layout (GtkPrintContext *context,
            const char      *font,
            const char      *text,
            double           width)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static double
title_height (GtkPrintContext *context,
              PrintJob        *job)
{
  g_autoptr(PangoLayout) layout = new_layout (context, TITLE_FONT, job->title,
                                              gtk_print_context_get_width (context));
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height + 2 * ROW_PADDING;
}

/* The width @text takes in @font, with the cell's padding. */
static double
natural_width (GtkPrintContext *context,
               const char      *font,
               const char      *text)
{
  g_autoptr(PangoLayout) layout = new_layout (context, font, text, -1);
  int width;

  pango_layout_set_width (layout, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width + 2 * ROW_PADDING;
}

/* Each column as wide as its widest cell (a time span, a German date
 * range), and what is left shared as @column_share says; on a page too
 * narrow for that, the shares alone, and long cells end in “…”. */
static void
fit_columns (GtkPrintContext *context,
             PrintJob        *job)
{
  double width = gtk_print_context_get_width (context);
  double needed = 0;

  g_free (job->column_width);
  job->column_width = g_new0 (double, job->n_columns);
  for (guint c = 0; c < job->n_columns; c++)
    {
      job->column_width[c] = natural_width (context, HEADING_FONT, job->headings[c]);
      for (guint i = 0; i < job->rows->len; i++)
        {
          const char *const *cells = g_ptr_array_index (job->rows, i);

          job->column_width[c] = MAX (job->column_width[c],
                                      natural_width (context, FONT, cells[c]));
        }
      needed += job->column_width[c];
    }
  for (guint c = 0; c < job->n_columns; c++)
    job->column_width[c] = needed <= width
                           ? job->column_width[c] + (width - needed) * job->column_share[c]
                           : width * job->column_share[c];
}

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   PrintJob          *job)
{
  g_autoptr(PangoLayout) probe = new_layout (context, FONT, "Ag", 1000);
  double available;
  int height;

  pango_layout_get_pixel_size (probe, NULL, &height);
  job->row_height = height + 2 * ROW_PADDING;
  fit_columns (context, job);
  job->n_cut = 0;
  /* Every page repeats the title and the headings. */
  available = gtk_print_context_get_height (context) - title_height (context, job) -
              job->row_height;
  job->rows_per_page = MAX (1, (guint)(available / job->row_height));
  gtk_print_operation_set_n_pages (operation,
                                   MAX (1, (job->rows->len + job->rows_per_page - 1) /
                                             job->rows_per_page));
}

static void
draw_row (GtkPrintContext    *context,
          PrintJob           *job,
          const char *const  *cells,
          double              y,
          double              row_height,
          gboolean            heading)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double x = 0;

  for (guint c = 0; c < job->n_columns; c++)
    {
      double cell_width = job->column_width[c];
      g_autoptr(PangoLayout) layout = new_layout (context, heading ? HEADING_FONT : FONT,
                                                  cells[c], cell_width - 2 * ROW_PADDING);

      if (pango_layout_is_ellipsized (layout))
        job->n_cut++;
      cairo_move_to (cr, x + ROW_PADDING, y + ROW_PADDING);
      pango_cairo_show_layout (cr, layout);
      x += cell_width;
    }

  /* A box to tick, then the rule under the row. */
  if (!heading)
    {
      double box = row_height - 2 * ROW_PADDING;

      cairo_rectangle (cr, width - job->column_width[job->n_columns - 1] + ROW_PADDING,
                       y + ROW_PADDING, box, box);
    }
  cairo_move_to (cr, 0, y + row_height);
  cairo_line_to (cr, width, y + row_height);
  cairo_set_line_width (cr, heading ? 1.0 : 0.4);
  cairo_stroke (cr);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) title = new_layout (context, TITLE_FONT, job->title,
                                             gtk_print_context_get_width (context));
  double y = title_height (context, job);
  guint first = (guint)page_nr * job->rows_per_page;
  guint last = MIN (first + job->rows_per_page, job->rows->len);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, title);

  draw_row (context, job, (const char *const *)job->headings, y, job->row_height, TRUE);
  y += job->row_height;
  for (guint i = first; i < last; i++)
    {
      draw_row (context, job, g_ptr_array_index (job->rows, i), y, job->row_height, FALSE);
      y += job->row_height;
    }

  if (job->rows->len == 0)
    {
      g_autoptr(PangoLayout) empty = new_layout (context, FONT, job->empty,
                                                 gtk_print_context_get_width (context));

      cairo_move_to (cr, ROW_PADDING, y + ROW_PADDING);
      pango_cairo_show_layout (cr, empty);
    }
}

/* The clinic's name and phone, on the line above the title; NULL without them. */
static char *
describe_clinic (const MesoClinicInfo *clinic)
{
  if (clinic == NULL || (clinic->name == NULL && clinic->phone == NULL))
    return NULL;
  if (clinic->name == NULL || clinic->phone == NULL)
    return g_strdup (clinic->name != NULL ? clinic->name : clinic->phone);
  /* Translators: the clinic's name and phone number above the printed day list */
  return g_strdup_printf (_("%s · Phone %s"), clinic->name, clinic->phone);
}

GtkPrintOperation *
meso_table_print_operation_new (const char            *title,
                                const MesoClinicInfo  *clinic,
                                const char *const     *headings,
                                GPtrArray             *rows,
                                const double          *column_share,
                                const char            *empty,
                                const char            *file_name)
{
  GtkPrintOperation *operation;
  g_autofree char *clinic_line = describe_clinic (clinic);
  PrintJob *job;

  g_return_val_if_fail (title != NULL && headings != NULL && rows != NULL, NULL);

  job = g_new0 (PrintJob, 1);
  job->title = clinic_line != NULL ? g_strconcat (clinic_line, "\n", title, NULL)
                                   : g_strdup (title);
  job->headings = g_strdupv ((char **)headings);
  job->n_columns = g_strv_length (job->headings);
  job->rows = g_ptr_array_ref (rows);
  job->column_share = g_memdup2 (column_share, job->n_columns * sizeof (double));
  job->empty = g_strdup (empty);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, title);
  meso_print_operation_set_file_name (operation, file_name);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job);
  g_object_set_data_full (G_OBJECT (operation), "meso-table-print", job, print_job_free);
  return operation;
}

guint
meso_table_print_operation_get_n_cut (GtkPrintOperation *operation)
{
  PrintJob *job;

  g_return_val_if_fail (GTK_IS_PRINT_OPERATION (operation), 0);

  job = g_object_get_data (G_OBJECT (operation), "meso-table-print");
  return job != NULL ? job->n_cut : 0;
}

GtkPrintOperation *
meso_day_list_print_operation_new (GPtrArray            *appointments,
                                   const GDate          *day,
                                   const MesoClinicInfo *clinic)
{
  g_autofree char *title = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *file_name = NULL;
  g_auto(GStrv) headings = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (appointments != NULL, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  title = meso_day_list_title (day);
  headings = meso_day_list_headings ();
  rows = meso_day_list_rows (appointments, day);
  iso = meso_format_date_iso (day);
  /* Translators: the default name of the printed day list's file (“.pdf”
   * is added); %s is the day, 2026-06-01 */
  file_name = g_strdup_printf (_("Day list – %s"), iso);
  return meso_table_print_operation_new (title, clinic, (const char *const *)headings, rows,
                                         day_list_shares,
                                         /* Translators: printed under the day list's
                                          * headings on a day with no appointments */
                                         _("No appointments."), file_name);
}
