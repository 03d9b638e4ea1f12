/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-aftercare-sheet.h"

#include "meso-application.h"
#include "meso-time.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>

struct _MesoAftercareSheet
{
  GObject    parent_instance;

  char      *title;
  char      *clinic;
  char      *clinic_details;  /* address and phone, NULL without them */
  char      *emergency;       /* whom to call, NULL without a number */
  char      *file_name;       /* the printed file's name, without .pdf */
  char      *patient;
  char      *session;
  GPtrArray *instructions;  /* char * */
  GPtrArray *periods;       /* char *, one per instruction */
  char      *footer;
};

G_DEFINE_FINAL_TYPE (MesoAftercareSheet, meso_aftercare_sheet, G_TYPE_OBJECT)

static void
meso_aftercare_sheet_finalize (GObject *object)
{
  MesoAftercareSheet *self = MESO_AFTERCARE_SHEET (object);

  g_free (self->title);
  g_free (self->clinic);
  g_free (self->clinic_details);
  g_free (self->emergency);
  g_free (self->file_name);
  g_free (self->patient);
  g_free (self->session);
  g_free (self->footer);
  g_ptr_array_unref (self->instructions);
  g_ptr_array_unref (self->periods);

  G_OBJECT_CLASS (meso_aftercare_sheet_parent_class)->finalize (object);
}

static void
meso_aftercare_sheet_class_init (MesoAftercareSheetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_aftercare_sheet_finalize;
}

static void
meso_aftercare_sheet_init (MesoAftercareSheet *self)
{
  self->instructions = g_ptr_array_new_with_free_func (g_free);
  self->periods = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------ text */

/* For a patient: the weekday and month spelt out in the program's language,
 * the day in core's long form, the time as the locale's clock shows it. */
static char *
format_long_date (GDateTime *date_time)
{
  GDate day;

  meso_date_from_date_time (date_time, &day);
  return meso_format_date_long (&day);
}

static char *
format_long_date_time (GDateTime *date_time)
{
  g_autofree char *date = format_long_date (date_time);
  g_autofree char *time = meso_format_time_short (date_time);

  /* Translators: a long date and a time on the aftercare sheet, e.g.
   * “Sunday, 29 March 2026, 11:00”; German might use “%s, %s Uhr” */
  return g_strdup_printf (C_("long date and time", "%s, %s"), date, time);
}

/* The clinic's address on one line, then its phone: NULL without either. */
static char *
describe_clinic (const MesoClinicInfo *clinic)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (clinic->address != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (clinic->address, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_strstrip (lines[i]);
          if (*lines[i] == '\0')
            continue;
          if (text->len > 0)
            /* Translators: between the lines of the clinic's address on the printed sheet */
            g_string_append (text, C_("address", ", "));
          g_string_append (text, lines[i]);
        }
    }
  if (clinic->phone != NULL)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: the clinic's phone number in the printed sheet's header */
      g_string_append_printf (text, _("Phone %s"), clinic->phone);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* A file name cannot hold a slash; a name may. */
static char *
file_name_part (const char *text)
{
  return g_strdelimit (g_strdup (text), "/\\", '-');
}

/* Until when an item of the plan holds, as a patient reads it. */
static char *
describe_period (const MesoAftercareItem *item)
{
  g_autofree char *until = NULL;

  if (item->kind == MESO_AFTERCARE_FOLLOW_UP_DUE)
    {
      /* The item ends at the midnight after the window's last day. */
      g_autoptr(GDateTime) last_day = g_date_time_add_days (item->until, -1);
      g_autofree char *opens = format_long_date (item->from);
      g_autofree char *closes = format_long_date (last_day);

      /* Translators: when the next session is due; both %s are dates */
      return g_strdup_printf (_("Between %s and %s"), opens, closes);
    }

  if (item->until == NULL)
    /* Translators: how long to keep moisturising when no next session is booked yet */
    return g_strdup (_("Until your next session"));

  until = format_long_date_time (item->until);
  if (item->kind == MESO_AFTERCARE_MOISTURISE)
    /* Translators: %s is the date and time of the next session booked */
    return g_strdup_printf (_("Until your next session on %s"), until);
  /* Translators: %s is the date and time an instruction ends */
  return g_strdup_printf (_("Until %s"), until);
}

MesoAftercareSheet *
meso_aftercare_sheet_new_for_session (MesoStore  *store,
                                      gint64      session_id,
                                      GError    **error)
{
  g_autoptr(MesoAftercareSheet) self = NULL;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autofree char *at = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *printed = NULL;
  const MesoSessionRef *before = NULL;
  const MesoSessionRef *after = NULL;
  MesoPatientFacts facts = { 0 };
  MesoNeedleClass klass;
  g_auto(MesoClinicInfo) clinic = { 0 };
  g_autofree char *name_part = NULL;
  g_autofree char *day_part = NULL;
  MesoPolicy policy;
  GDate day;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  session = meso_store_get_session (store, session_id, error);
  if (session == NULL)
    return NULL;
  patient = meso_store_get_patient (store, meso_session_get_patient_id (session), error);
  if (patient == NULL || !meso_store_load_policy (store, &policy, error) ||
      !meso_store_load_clinic_info (store, &clinic, error))
    return NULL;
  buffer = meso_store_load_facts (store, meso_patient_get_id (patient), &facts, error);
  if (buffer == NULL)
    return NULL;

  /* Moisturising lasts until the next session of the area, if one is booked. */
  meso_rules_find_neighbours (facts.sessions, facts.n_sessions, meso_session_get_area (session),
                              meso_session_get_at (session), session_id, &before, &after);
  plan = meso_rules_aftercare_plan (&policy, meso_patient_get_sensitive_skin (patient),
                                    meso_session_get_at (session),
                                    after != NULL ? after->at : NULL);

  self = g_object_new (MESO_TYPE_AFTERCARE_SHEET, NULL);
  /* Translators: the heading of the printed sheet a patient takes home */
  self->title = g_strdup (_("Your Aftercare"));
  if (clinic.name != NULL)
    self->clinic = g_strdup (clinic.name);
  else
    /* Translators: the application's name, at the top of the printed aftercare
     * sheet when the clinic has not given its own in Preferences */
    self->clinic = g_strdup (_("Mesodesk"));
  self->clinic_details = describe_clinic (&clinic);
  if (clinic.emergency != NULL)
    /* Translators: at the foot of the aftercare sheet; %s is the clinic's
     * emergency contact line from Preferences (a name, a number, hours) */
    self->emergency = g_strdup_printf (_("If something goes wrong, call: %s"), clinic.emergency);
  else if (clinic.phone != NULL)
    /* Translators: as above, with the clinic's phone number when it has given
     * no emergency line */
    self->emergency = g_strdup_printf (_("If something goes wrong, call us: %s"), clinic.phone);

  meso_date_from_date_time (meso_session_get_at (session), &day);
  name_part = file_name_part (meso_patient_get_name (patient));
  day_part = meso_format_date_iso (&day);
  /* Translators: the default name of the printed aftercare sheet's file
   * (“.pdf” is added): the patient's name and the session's date */
  self->file_name = g_strdup_printf (_("Aftercare – %s – %s"), name_part, day_part);
  /* Translators: %s is the patient's name */
  self->patient = g_strdup_printf (_("For %s"), meso_patient_get_name (patient));

  at = format_long_date_time (meso_session_get_at (session));
  needle = meso_needle_format_mm (meso_session_get_needle_um (session));
  if (meso_rules_needle_class (meso_session_get_needle_um (session), &klass))
    /* Translators: the session on the aftercare sheet: date and time, the area,
     * the needle length and its class, e.g. “… · Face · 0.5 mm needles (Short)” */
    self->session = g_strdup_printf (_("Microneedling on %s · %s · %s needles (%s)"), at,
                                     meso_area_get_label (meso_session_get_area (session)),
                                     needle, meso_needle_class_get_label (klass));
  else
    /* Translators: as above, without a needle class */
    self->session = g_strdup_printf (_("Microneedling on %s · %s · %s needles"), at,
                                     meso_area_get_label (meso_session_get_area (session)),
                                     needle);

  for (guint i = 0; i < plan->len; i++)
    {
      MesoAftercareItem *item = g_ptr_array_index (plan, i);

      g_ptr_array_add (self->instructions,
                       g_strdup (meso_aftercare_kind_get_instruction (item->kind)));
      g_ptr_array_add (self->periods, describe_period (item));
    }

  printed = meso_format_date_time_short (now);
  /* Translators: the foot of the aftercare sheet; %s is when it was printed */
  self->footer = g_strdup_printf (_("Printed %s"), printed);

  return g_steal_pointer (&self);
}

const char *
meso_aftercare_sheet_get_title (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->title;
}

const char *
meso_aftercare_sheet_get_clinic (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->clinic;
}

const char *
meso_aftercare_sheet_get_clinic_details (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->clinic_details;
}

const char *
meso_aftercare_sheet_get_emergency (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->emergency;
}

const char *
meso_aftercare_sheet_get_file_name (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->file_name;
}

const char *
meso_aftercare_sheet_get_patient (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->patient;
}

const char *
meso_aftercare_sheet_get_session (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  return self->session;
}

guint
meso_aftercare_sheet_get_n_items (MesoAftercareSheet *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), 0);
  return self->instructions->len;
}

const char *
meso_aftercare_sheet_get_instruction (MesoAftercareSheet *self,
                                      guint               index)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  g_return_val_if_fail (index < self->instructions->len, NULL);
  return g_ptr_array_index (self->instructions, index);
}

const char *
meso_aftercare_sheet_get_period (MesoAftercareSheet *self,
                                 guint               index)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);
  g_return_val_if_fail (index < self->periods->len, NULL);
  return g_ptr_array_index (self->periods, index);
}

/* --------------------------------------------------------------- drawing */

#define MARGIN_PT 36.0
#define GAP_PT     8.0

/* Draws @text at the current height across @width, and moves below it. */
static void
draw_text (cairo_t    *cr,
           PangoLayout *layout,
           const char  *font,
           const char  *text,
           double       grey,
           double       width,
           double      *y)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);
  int text_height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  cairo_set_source_rgb (cr, grey, grey, grey);
  cairo_move_to (cr, MARGIN_PT, *y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &text_height);
  *y += pango_units_to_double (text_height);
}

void
meso_aftercare_sheet_draw (MesoAftercareSheet *self,
                           cairo_t            *cr,
                           double              width,
                           double              height)
{
  PangoContext *context;
  g_autoptr(PangoLayout) layout = NULL;
  double text_width = width - 2 * MARGIN_PT;
  double y = MARGIN_PT;

  g_return_if_fail (MESO_IS_AFTERCARE_SHEET (self));
  g_return_if_fail (cr != NULL);

  /* The page's units are points: 72 of them to the inch. */
  context = pango_cairo_create_context (cr);
  pango_cairo_context_set_resolution (context, 72);
  layout = pango_layout_new (context);
  g_object_unref (context);  /* the layout keeps it */

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  draw_text (cr, layout, "Sans Bold 11", self->clinic, 0.2, text_width, &y);
  if (self->clinic_details != NULL)
    draw_text (cr, layout, "Sans 9", self->clinic_details, 0.35, text_width, &y);
  y += GAP_PT / 2;
  y += GAP_PT / 2;
  draw_text (cr, layout, "Sans Bold 22", self->title, 0.0, text_width, &y);
  y += GAP_PT / 2;
  draw_text (cr, layout, "Sans 12", self->patient, 0.0, text_width, &y);
  draw_text (cr, layout, "Sans 11", self->session, 0.2, text_width, &y);
  y += GAP_PT;

  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, MARGIN_PT, y);
  cairo_line_to (cr, width - MARGIN_PT, y);
  cairo_stroke (cr);
  y += 2 * GAP_PT;

  for (guint i = 0; i < self->instructions->len; i++)
    {
      draw_text (cr, layout, "Sans Bold 12", g_ptr_array_index (self->instructions, i), 0.0,
                 text_width, &y);
      y += GAP_PT / 4;
      draw_text (cr, layout, "Sans 11", g_ptr_array_index (self->periods, i), 0.25,
                 text_width, &y);
      y += 1.5 * GAP_PT;
    }

  if (self->emergency != NULL)
    {
      y += GAP_PT;
      draw_text (cr, layout, "Sans Bold 12", self->emergency, 0.0, text_width, &y);
    }

  /* The foot at the bottom, unless the instructions reach it. */
  {
    g_autoptr(PangoFontDescription) description = pango_font_description_from_string ("Sans 9");
    int foot_height;
    double foot_y;

    pango_layout_set_font_description (layout, description);
    pango_layout_set_width (layout, pango_units_from_double (text_width));
    pango_layout_set_text (layout, self->footer, -1);
    pango_layout_get_size (layout, NULL, &foot_height);
    foot_y = MAX (y + GAP_PT, height - MARGIN_PT - pango_units_to_double (foot_height));
    draw_text (cr, layout, "Sans 9", self->footer, 0.35, text_width, &foot_y);
  }

  cairo_restore (cr);
}

static void
on_draw_page_cb (GtkPrintOperation  *operation,
                 GtkPrintContext    *context,
                 int                 page_number,
                 MesoAftercareSheet *self)
{
  meso_aftercare_sheet_draw (self, gtk_print_context_get_cairo_context (context),
                             gtk_print_context_get_width (context),
                             gtk_print_context_get_height (context));
}

static void
sheet_unref_notify (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

GtkPrintOperation *
meso_aftercare_sheet_new_print_operation (MesoAftercareSheet *self)
{
  GtkPrintOperation *operation;

  g_return_val_if_fail (MESO_IS_AFTERCARE_SHEET (self), NULL);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* Translators: the print job's name, seen in the printer queue */
  gtk_print_operation_set_job_name (operation, _("Aftercare sheet"));
  meso_print_operation_set_file_name (operation, self->file_name);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page_cb),
                         g_object_ref (self), sheet_unref_notify, 0);
  return operation;
}

/* ------------------------------------------------------------------ action */

/* Translators: heading of the message when the aftercare sheet cannot be printed */
#define PRINT_ERROR_HEADING _("The Aftercare Sheet Cannot Be Printed")

void
meso_aftercare_sheet_print_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (window);
  g_autoptr(MesoAftercareSheet) sheet = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  MesoStore *store;

  store = MESO_IS_APPLICATION (app) ? meso_application_get_store (MESO_APPLICATION (app), NULL)
                                    : NULL;
  if (store == NULL)
    return;  /* the application said why when it started */

  sheet = meso_aftercare_sheet_new_for_session (store, g_variant_get_int64 (parameter), &error);
  if (sheet == NULL)
    {
      meso_application_show_error (window, PRINT_ERROR_HEADING, error->message);
      return;
    }

  operation = meso_aftercare_sheet_new_print_operation (sheet);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, window,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    meso_application_show_error (window, PRINT_ERROR_HEADING, error->message);
}
