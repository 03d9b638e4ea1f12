/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-date-field.h"

#include "meso-time.h"

#include <adwaita.h>
#include <glib/gi18n.h>

gboolean
meso_date_field_get_date (GtkWidget  *field,
                          GDate      *date,
                          GError    **error)
{
  g_return_val_if_fail (GTK_IS_EDITABLE (field), FALSE);

  return meso_date_parse_locale (gtk_editable_get_text (GTK_EDITABLE (field)), date, error);
}

void
meso_date_field_set_date (GtkWidget   *field,
                          const GDate *date)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GTK_IS_EDITABLE (field));
  g_return_if_fail (date != NULL && g_date_valid (date));

  text = meso_format_date_short (date);
  gtk_editable_set_text (GTK_EDITABLE (field), text);
}

static void
on_calendar_day_selected_cb (GtkCalendar *calendar,
                             GtkWidget   *field)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  GDate date;

  if (g_object_get_data (G_OBJECT (calendar), "meso-filling") != NULL)
    return;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (picked), g_date_time_get_month (picked),
                  g_date_time_get_year (picked));
  meso_date_field_set_date (field, &date);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (calendar),
                                                             GTK_TYPE_POPOVER)));
}

static void
on_popover_shown_cb (GtkPopover *popover,
                     GtkWidget  *field)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  g_autoptr(GDateTime) day = NULL;
  GDate date;

  if (meso_date_field_get_date (field, &date, NULL))
    day = meso_date_time_from_date (&date);
  else
    day = meso_clock_now ();

  g_object_set_data (G_OBJECT (calendar), "meso-filling", GINT_TO_POINTER (TRUE));
  gtk_calendar_select_day (calendar, day);
  g_object_set_data (G_OBJECT (calendar), "meso-filling", NULL);
}

GtkWidget *
meso_date_field_add_calendar (GtkWidget *field)
{
  GtkWidget *button;
  GtkWidget *popover;
  GtkWidget *calendar;
  GtkWidget *parent;

  g_return_val_if_fail (GTK_IS_EDITABLE (field), NULL);
  parent = gtk_widget_get_parent (field);
  g_return_val_if_fail (ADW_IS_ENTRY_ROW (field) || GTK_IS_BOX (parent), NULL);

  calendar = gtk_calendar_new ();
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_calendar_day_selected_cb),
                           field, 0);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_popover_shown_cb), field, 0);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: tooltip of the button beside a date field that opens a calendar */
  gtk_widget_set_tooltip_text (button, _("Pick a Day"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader says for the
                                   * calendar button beside a date field */
                                  _("Pick a day"), -1);

  if (ADW_IS_ENTRY_ROW (field))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (field), button);
  else
    gtk_box_insert_child_after (GTK_BOX (parent), button, field);
  return button;
}
