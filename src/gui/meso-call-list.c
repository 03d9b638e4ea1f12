/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-call-list.h"

#include "meso-day-list.h"
#include "meso-time.h"

#include <glib/gi18n.h>

enum
{
  COLUMN_NAME,
  COLUMN_PHONE,
  COLUMN_AREA,
  COLUMN_DATE,
  COLUMN_TICK,
  N_COLUMNS
};

/* Each column's share of the page's width. */
static const double call_list_shares[N_COLUMNS] = { 0.32, 0.22, 0.14, 0.22, 0.10 };

const char *
meso_call_list_name (MesoPanelSection section)
{
  switch (section)
    {
    case MESO_PANEL_TODAY:
      /* Translators: what a printed or exported call list is (and its file name) */
      return _("Today’s aftercare call list");
    case MESO_PANEL_DUE:
      /* Translators: what a printed or exported call list is (and its file name) */
      return _("Follow-up due call list");
    case MESO_PANEL_OVERDUE:
      /* Translators: what a printed or exported call list is (and its file name) */
      return _("Overdue call list");
    case MESO_PANEL_LAPSED:
      /* Translators: what a printed or exported call list is (and its file name) */
      return _("Lapsed call list");
    case MESO_PANEL_MOISTURISE:
    case MESO_PANEL_N_SECTIONS:
    default:
      g_return_val_if_reached ("");
    }
}

char *
meso_call_list_file_name (MesoPanelSection  section,
                          const GDate      *day)
{
  g_autofree char *iso = meso_format_date_iso (day);

  /* Translators: the default name of a call list's file (“.pdf” or “.csv” is
   * added): what it is, and the day, e.g. “Overdue call list – 2026-12-06” */
  return g_strdup_printf (_("%s – %s"), meso_call_list_name (section), iso);
}

static const char *
date_heading (MesoPanelSection section)
{
  switch (section)
    {
    case MESO_PANEL_TODAY:
      /* Translators: a column heading of a printed call list: until when the
       * first days' instructions last */
      return C_("call list", "Until");
    case MESO_PANEL_DUE:
      /* Translators: a column heading of a printed call list: the follow-up window */
      return C_("call list", "Due");
    case MESO_PANEL_OVERDUE:
    case MESO_PANEL_LAPSED:
    case MESO_PANEL_MOISTURISE:
    case MESO_PANEL_N_SECTIONS:
    default:
      /* Translators: a column heading of a printed call list: the day the
       * follow-up window closed */
      return C_("call list", "Window closed");
    }
}

GPtrArray *
meso_call_list_rows (GPtrArray        *reminders,
                     MesoPanelSection  section)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  g_return_val_if_fail (reminders != NULL, rows);

  for (guint i = 0; i < reminders->len; i++)
    {
      const MesoReminder *r = g_ptr_array_index (reminders, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);
      GDate first, last;

      meso_reminder_get_days (r, &first, &last);
      row[COLUMN_NAME] = g_strdup (r->patient);
      row[COLUMN_PHONE] = g_strdup (r->phone != NULL ? r->phone : "");
      row[COLUMN_AREA] = g_strdup (meso_area_get_label (r->area));
      if (!g_date_valid (&last))
        row[COLUMN_DATE] = g_strdup ("");
      else if (section == MESO_PANEL_DUE)
        {
          g_autofree char *from = meso_format_date_short (&first);
          g_autofree char *until = meso_format_date_short (&last);

          /* Translators: a span of days in a printed call list, e.g. “12.12.–26.12.2026” */
          row[COLUMN_DATE] = g_strdup_printf (_("%s–%s"), from, until);
        }
      else
        row[COLUMN_DATE] = meso_format_date_short (&last);
      row[COLUMN_TICK] = g_strdup ("");
      g_ptr_array_add (rows, row);
    }
  return rows;
}

GtkPrintOperation *
meso_call_list_print_operation_new (GPtrArray            *reminders,
                                    MesoPanelSection      section,
                                    const GDate          *day,
                                    const MesoClinicInfo *clinic)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *file_name = NULL;
  const char *headings[N_COLUMNS + 1] = { NULL };

  g_return_val_if_fail (reminders != NULL, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  /* Translators: a column heading of a printed call list */
  headings[COLUMN_NAME] = C_("call list", "Patient");
  /* Translators: a column heading of a printed call list */
  headings[COLUMN_PHONE] = C_("call list", "Phone");
  /* Translators: a column heading of a printed call list: the treatment area */
  headings[COLUMN_AREA] = C_("call list", "Area");
  headings[COLUMN_DATE] = date_heading (section);
  /* Translators: a column heading of a printed call list: an empty box to tick
   * once the patient has been called; keep it short */
  headings[COLUMN_TICK] = C_("call list", "Called");

  rows = meso_call_list_rows (reminders, section);
  date = meso_format_date_long (day);
  /* Translators: a printed call list's title: what it is, and the day */
  title = g_strdup_printf (_("%s – %s"), meso_call_list_name (section), date);
  file_name = meso_call_list_file_name (section, day);
  return meso_table_print_operation_new (title, clinic, headings, rows, call_list_shares,
                                         /* Translators: printed under a call list's
                                          * headings when nobody is on it */
                                         _("Nobody to call."), file_name);
}
