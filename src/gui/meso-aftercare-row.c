/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-aftercare-row.h"

#include "meso-application.h"
#include "meso-enum-types.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MesoAftercareRow
{
  GtkWidget         parent_instance;

  MesoReminderItem *item;

  gboolean          narrow;

  GtkWidget        *box;
  GtkWidget        *text_box;
  GtkWidget        *name_line;
  GtkWidget        *phone_box;
  GtkWidget        *name_button;
  GtkLabel         *name_label;
  GtkWidget        *sensitive_tag;
  GtkLabel         *session_label;
  GtkLabel         *status_label;
  GtkWidget        *detail_box;
  GtkLabel         *phone_label;
  GtkWidget        *copy_button;
  GtkWidget        *book_button;
  GtkLabel         *booked_label;
};

G_DEFINE_FINAL_TYPE (MesoAftercareRow, meso_aftercare_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const row_actions[] = {
  "row.show-patient", "row.book", "row.log-contact", "row.course-finished", "row.declined",
  "row.copy-phone",
};

static const MesoReminder *
meso_aftercare_row_get_reminder (MesoAftercareRow *self)
{
  return self->item != NULL ? meso_reminder_item_get_reminder (self->item) : NULL;
}

/* "today", "yesterday", "12 days ago": counted in calendar days (meso-time). */
static char *
days_since_text (GDateTime *session_at)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  int days = meso_days_between (session_at, now);

  if (days <= 0)
    /* Translators: when the last session was, in an Aftercare row */
    return g_strdup (_("today"));
  if (days == 1)
    /* Translators: when the last session was, in an Aftercare row */
    return g_strdup (_("yesterday"));
  /* Translators: when the last session was, in an Aftercare row */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days), days);
}

/* The last calendar day of a span that ends (exclusively) at @until. */
static char *
format_last_day (GDateTime *until)
{
  g_autoptr(GDateTime) last = g_date_time_add_seconds (until, -1);
  GDate day;

  meso_date_from_date_time (last, &day);
  return meso_format_date_short (&day);
}

static char *
format_day (GDateTime *date_time)
{
  GDate day;

  meso_date_from_date_time (date_time, &day);
  return meso_format_date_short (&day);
}

static char *
status_text (const MesoReminder *r)
{
  g_autoptr(GDateTime) from = meso_reminder_dup_from (r);
  g_autoptr(GDateTime) until = meso_reminder_dup_until (r);

  g_return_val_if_fail (r->kind == MESO_AFTERCARE_MOISTURISE || until != NULL, g_strdup (""));

  switch (r->kind)
    {
    case MESO_AFTERCARE_NO_WATER:
      {
        g_autofree char *until_text = meso_format_date_time_short (until);

        /* One row for the area: the sun protection that lasts beyond it too. */
        if (r->sun_protection_until != 0)
          {
            g_autoptr(GDateTime) sun_until =
              meso_date_time_new_from_unix (r->sun_protection_until);
            g_autofree char *sun_text = format_last_day (sun_until);

            /* Translators: an Aftercare row for both first days' instructions; the
             * first %s is a date and time, the second a date */
            return g_strdup_printf (_("No water on the treated skin until %s · strict sun "
                                      "protection until %s"), until_text, sun_text);
          }

        /* Translators: an Aftercare row; %s is a date and time */
        return g_strdup_printf (_("No water on the treated skin until %s — keep the dressing on"),
                                until_text);
      }
    case MESO_AFTERCARE_SUN_PROTECTION:
      {
        g_autofree char *until_text = meso_format_date_time_short (until);

        /* Translators: an Aftercare row; %s is a date and time */
        return g_strdup_printf (_("Strict sun protection until %s"), until_text);
      }
    case MESO_AFTERCARE_MOISTURISE:
      /* Translators: an Aftercare row */
      return g_strdup (_("Moisturise daily until the next session"));
    case MESO_AFTERCARE_FOLLOW_UP_DUE:
      {
        g_autofree char *first = format_day (from);
        g_autofree char *last = format_last_day (until);

        /* Translators: an Aftercare row; the two %s are dates */
        return g_strdup_printf (_("Next session due between %s and %s, nothing booked"),
                                first, last);
      }
    case MESO_AFTERCARE_OVERDUE:
      {
        g_autofree char *last = format_last_day (until);

        /* Translators: an Aftercare row; %s is a date */
        return g_strdup_printf (_("Overdue: the follow-up window closed on %s, nothing booked"),
                                last);
      }
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

static void
meso_aftercare_row_update (MesoAftercareRow *self)
{
  const MesoReminder *r = meso_aftercare_row_get_reminder (self);
  g_autofree char *session = NULL;
  g_autofree char *status = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (row_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), row_actions[i], r != NULL);
  /* A placeholder keeps its height but shows nothing, until its page is read. */
  gtk_widget_set_opacity (self->box, r != NULL ? 1.0 : 0.0);
  if (r == NULL)
    return;

  {
    gboolean recent = r->kind == MESO_AFTERCARE_NO_WATER ||
                      r->kind == MESO_AFTERCARE_SUN_PROTECTION;
    g_autoptr(GDateTime) session_at = meso_reminder_dup_session_at (r);
    /* The first days' instructions run by the hour, so their session shows its time. */
    g_autofree char *when = recent ? meso_format_date_time_short (session_at)
                                   : format_day (session_at);
    g_autofree char *ago = days_since_text (session_at);

    /* Translators: an Aftercare row: the treated area, the date of the last session,
     * and how long ago it was, e.g. "Face · last session 2026-11-20 · 1 day ago" */
    session = g_strdup_printf (_("%s · last session %s · %s"), meso_area_get_label (r->area),
                               when, ago);
  }
  status = status_text (r);

  gtk_label_set_text (self->name_label, r->patient);
  /* A button with a label inside is otherwise named "GtkButton" for screen readers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, r->patient, -1);
  gtk_widget_set_visible (self->sensitive_tag, r->sensitive_skin);
  gtk_label_set_text (self->session_label, session);
  gtk_label_set_text (self->status_label, status);
  {
    /* Both parts of the line whole, for when the window cuts them short. */
    g_autofree char *detail = g_strdup_printf ("%s\n%s", status, session);

    gtk_widget_set_tooltip_text (self->detail_box, detail);
  }

  /* The number to call, and a button that copies it. */
  gtk_label_set_text (self->phone_label, r->phone != NULL ? r->phone : "");
  gtk_widget_set_visible (GTK_WIDGET (self->phone_label), r->phone != NULL);
  gtk_widget_set_visible (self->copy_button, r->phone != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy-phone", r->phone != NULL);
  if (r->phone != NULL)
    {
      /* Translators: what a screen reader says for the copy button beside a phone
       * number in an Aftercare row; %s is the patient's name */
      g_autofree char *copy_label = g_strdup_printf (_("Copy the phone number of %s"),
                                                     r->patient);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
    }

  /* A booked follow-up shows its date: nothing to book. */
  gtk_widget_set_visible (self->book_button, r->booked_at == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.book", r->booked_at == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->booked_label), r->booked_at != 0);
  if (r->booked_at != 0)
    {
      g_autoptr(GDateTime) booked = meso_date_time_new_from_unix (r->booked_at);
      g_autofree char *when = meso_format_date_time_short (booked);
      /* Translators: in an Aftercare row instead of the Book button: the patient's
       * next session is booked; %s is its date and time */
      g_autofree char *text = g_strdup_printf (_("Booked %s"), when);

      gtk_label_set_text (self->booked_label, text);
    }
}

static void
meso_aftercare_row_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MesoAftercareRow *self = MESO_AFTERCARE_ROW (widget);
  const MesoReminder *r = meso_aftercare_row_get_reminder (self);

  if (r == NULL)
    return;

  if (g_str_equal (action_name, "row.copy-phone"))
    {
      if (r->phone != NULL)
        meso_widget_copy_text (widget, r->phone);
    }
  else if (g_str_equal (action_name, "row.show-patient"))
    gtk_widget_activate_action (widget, "win.show-patient", "x", r->patient_id);
  else if (g_str_equal (action_name, "row.book"))
    {
      g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

      /* The booking dialog proposes the first time the rules allow for this area. */
      g_variant_dict_insert (&dict, "patient-id", "x", r->patient_id);
      g_variant_dict_insert (&dict, "area", "s", meso_enum_to_nick (MESO_TYPE_AREA, r->area));
      meso_widget_activate_action (widget, "win.book", g_variant_dict_end (&dict));
    }
  else
    {
      /* row.log-contact → aftercare.log-contact, and so on: the view acts. */
      g_autofree char *view_action = g_strconcat ("aftercare.", action_name + strlen ("row."),
                                                  NULL);

      gtk_widget_activate_action (widget, view_action, "(xs)", r->patient_id, r->patient);
    }
}

static void
meso_aftercare_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoAftercareRow *self = MESO_AFTERCARE_ROW (object);

  switch (prop_id)
    {
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_aftercare_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoAftercareRow *self = MESO_AFTERCARE_ROW (object);

  switch (prop_id)
    {
    case PROP_NARROW:
      meso_aftercare_row_set_narrow (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_aftercare_row_dispose (GObject *object)
{
  MesoAftercareRow *self = MESO_AFTERCARE_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_AFTERCARE_ROW);

  G_OBJECT_CLASS (meso_aftercare_row_parent_class)->dispose (object);
}

static void
meso_aftercare_row_class_init (MesoAftercareRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_aftercare_row_dispose;
  object_class->get_property = meso_aftercare_row_get_property;
  object_class->set_property = meso_aftercare_row_set_property;

  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-aftercare-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, box);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, name_line);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, phone_box);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, name_button);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, sensitive_tag);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, session_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, phone_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, book_button);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareRow, booked_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  for (guint i = 0; i < G_N_ELEMENTS (row_actions); i++)
    gtk_widget_class_install_action (widget_class, row_actions[i], NULL,
                                     meso_aftercare_row_action);
}

static void
meso_aftercare_row_init (MesoAftercareRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  meso_aftercare_row_update (self);
}

GtkWidget *
meso_aftercare_row_new (void)
{
  return g_object_new (MESO_TYPE_AFTERCARE_ROW, NULL);
}

void
meso_aftercare_row_set_item (MesoAftercareRow *self,
                             MesoReminderItem *item)
{
  g_return_if_fail (MESO_IS_AFTERCARE_ROW (self));
  g_return_if_fail (item == NULL || MESO_IS_REMINDER_ITEM (item));

  g_set_object (&self->item, item);
  meso_aftercare_row_update (self);
}

MesoReminderItem *
meso_aftercare_row_get_item (MesoAftercareRow *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_ROW (self), NULL);

  return self->item;
}

/* Takes @child out of its box and puts it into @box after @sibling (first
 * when NULL). */
static void
move_child (GtkWidget *child,
            GtkWidget *box,
            GtkWidget *sibling)
{
  g_object_ref (child);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (child)), child);
  gtk_box_insert_child_after (GTK_BOX (box), child, sibling);
  g_object_unref (child);
}

void
meso_aftercare_row_set_narrow (MesoAftercareRow *self,
                               gboolean          narrow)
{
  g_return_if_fail (MESO_IS_AFTERCARE_ROW (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;

  /* Wide: the name, the sensitive-skin tag, the phone and the session on one
   * line. Narrow: the name alone on the first line, the phone and the
   * session on the second, and the tag beside what applies, wrapped below,
   * its date whole. Nothing that is never cut shares a line with another. */
  if (narrow)
    {
      move_child (self->sensitive_tag, self->detail_box, NULL);
      move_child (GTK_WIDGET (self->session_label), self->phone_box, self->copy_button);
      move_child (self->phone_box, self->text_box, self->name_line);
    }
  else
    {
      move_child (self->sensitive_tag, self->name_line, self->name_button);
      move_child (self->phone_box, self->name_line, self->sensitive_tag);
      move_child (GTK_WIDGET (self->session_label), self->name_line, self->phone_box);
    }
  gtk_label_set_wrap (self->status_label, narrow);
  gtk_label_set_lines (self->status_label, narrow ? 3 : -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}
