/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-booking-dialog.h"

#include "meso-date-field.h"

#include "meso-application.h"
#include "meso-enum-types.h"
#include "meso-scheduler.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

/* A short list to pick from while typing; more means typing more. */
#define PATIENT_RESULTS 6
#define N_SUGGESTIONS 3
/* Duration and drop-downs change in bursts (spin button held down): the
 * worker is asked once they rest. */
#define SUGGEST_DELAY_MSEC 150
#define DEFAULT_MINUTES 60

#define START_KEY   "meso-start"
#define PRACTITIONER_KEY "meso-practitioner"
#define PATIENT_KEY "meso-patient"

struct _MesoBookingDialog
{
  AdwWindow          parent_instance;

  MesoStore         *store;
  MesoPatient       *patient;         /* NULL until chosen */
  gint64             appointment_id;  /* the one being moved; 0 for a new booking */
  char              *fatal_message;   /* set when nothing can be booked from here */
  char              *book_error;      /* the store's answer to the last Book, until a change */
  gboolean           fill_first_suggestion;
  gboolean           practitioner_proposed;  /* the drop-down holds a proposal's, not a choice */
  gboolean           filling;         /* code is filling fields: handlers stay quiet */

  char             **practitioners;
  char             **rooms;
  char             **clinicians;

  guint              suggest_timeout;
  GCancellable      *suggest_cancellable;
  GtkApplication    *app;             /* whose store-changed is followed */
  gulong             store_changed_id;

  AdwWindowTitle    *window_title;
  GtkButton         *cancel_button;
  GtkButton         *book_button;
  GtkStack          *patient_stack;
  AdwActionRow      *patient_row;
  GtkButton         *change_patient_button;
  GtkSearchEntry    *patient_search;
  GtkListBox        *patient_results;
  GtkLabel          *patient_hint;
  AdwComboRow       *area_row;
  AdwComboRow       *practitioner_row;
  AdwComboRow       *room_row;
  GtkSpinButton     *minutes_spin;
  AdwEntryRow       *date_row;
  AdwEntryRow       *time_row;
  GtkLabel          *suggestions_label;
  GtkFlowBox        *suggestions_box;
  GtkBox            *verdict_box;
  AdwPreferencesGroup *override_group;
  AdwComboRow       *clinician_row;
  AdwEntryRow       *reason_row;
};

G_DEFINE_FINAL_TYPE (MesoBookingDialog, meso_booking_dialog, ADW_TYPE_WINDOW)

static void meso_booking_dialog_update (MesoBookingDialog *self);
static void meso_booking_dialog_schedule_suggestions (MesoBookingDialog *self);

/* ------------------------------------------------------------ drop-downs */

/* A drop-down of @names after a first "none" entry (@none_label). */
static void
set_names_model (AdwComboRow        *row,
                 const char         *none_label,
                 const char * const *names)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, none_label);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    gtk_string_list_append (model, names[i]);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

/* The chosen name, or NULL for the "none" entry. */
static const char *
selected_name (AdwComboRow  *row,
               char        **names)
{
  guint selected = adw_combo_row_get_selected (row);

  if (names == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (names))
    return NULL;
  return names[selected - 1];
}

static void
select_name (AdwComboRow  *row,
             char        **names,
             const char   *name)
{
  guint selected = 0;

  for (guint i = 0; name != NULL && names != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      selected = i + 1;
  adw_combo_row_set_selected (row, selected);
}

static void
load_choices (MesoBookingDialog *self)
{
  g_autoptr(GStrvBuilder) clinicians = g_strv_builder_new ();
  g_autoptr(GtkStringList) areas = gtk_string_list_new (NULL);
  g_autoptr(GEnumClass) area_class = g_type_class_ref (MESO_TYPE_AREA);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < area_class->n_values; i++)
    gtk_string_list_append (areas, meso_area_get_label (area_class->values[i].value));
  adw_combo_row_set_model (self->area_row, G_LIST_MODEL (areas));

  self->practitioners = meso_store_list_practitioners (self->store, &error);
  if (self->practitioners == NULL)
    {
      g_warning ("Could not list the practitioners: %s", error->message);
      g_clear_error (&error);
    }
  self->rooms = meso_store_list_rooms (self->store, &error);
  if (self->rooms == NULL)
    {
      g_warning ("Could not list the rooms: %s", error->message);
      g_clear_error (&error);
    }

  /* Only a clinician may lift an interval refusal, so only they are offered. */
  for (guint i = 0; self->practitioners != NULL && self->practitioners[i] != NULL; i++)
    {
      MesoRole role = MESO_ROLE_RECEPTIONIST;

      if (meso_store_get_practitioner_role (self->store, self->practitioners[i], &role, NULL) &&
          role == MESO_ROLE_CLINICIAN)
        g_strv_builder_add (clinicians, self->practitioners[i]);
    }
  self->clinicians = g_strv_builder_end (clinicians);

  /* Translators: the practitioner drop-down's entry for “nobody in particular” */
  set_names_model (self->practitioner_row, C_("practitioner", "None"),
                   (const char * const *)self->practitioners);
  /* Translators: the room drop-down's entry for “no particular room” */
  set_names_model (self->room_row, C_("room", "None"), (const char * const *)self->rooms);
  set_names_model (self->clinician_row,
                   self->clinicians[0] != NULL
                   /* Translators: the clinician drop-down before one is chosen */
                   ? _("Choose a clinician")
                   /* Translators: the clinician drop-down when there is none on record */
                   : _("No clinician on record"),
                   (const char * const *)self->clinicians);
}

/* ------------------------------------------------------------ the form */

static MesoArea
selected_area (MesoBookingDialog *self)
{
  g_autoptr(GEnumClass) area_class = g_type_class_ref (MESO_TYPE_AREA);
  guint selected = adw_combo_row_get_selected (self->area_row);

  if (selected >= area_class->n_values)
    return MESO_AREA_FACE;
  return area_class->values[selected].value;
}

static void
select_area (MesoBookingDialog *self,
             MesoArea           area)
{
  g_autoptr(GEnumClass) area_class = g_type_class_ref (MESO_TYPE_AREA);

  for (guint i = 0; i < area_class->n_values; i++)
    if (area_class->values[i].value == (int)area)
      adw_combo_row_set_selected (self->area_row, i);
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return copy[0] == '\0';
}

/* The start typed in the date and time fields; NULL with a message for the
 * person (the field's own, from the core parsers). */
static GDateTime *
read_start (MesoBookingDialog  *self,
            GError            **error)
{
  return meso_date_time_parse_locale (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                                      gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                                      error);
}

static void
set_start (MesoBookingDialog *self,
           GDateTime         *start)
{
  g_autofree char *time = meso_format_time_short (start);
  GDate day;

  meso_date_from_date_time (start, &day);
  meso_date_field_set_date (GTK_WIDGET (self->date_row), &day);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
}

/* Who answers for the booking: a chosen clinician, else the desk. */
static MesoRole
acting_role (MesoBookingDialog *self)
{
  const char *clinician = selected_name (self->clinician_row, self->clinicians);
  MesoRole role = MESO_ROLE_RECEPTIONIST;

  if (clinician == NULL ||
      !meso_store_get_practitioner_role (self->store, clinician, &role, NULL))
    return MESO_ROLE_RECEPTIONIST;
  return role;
}

/* The appointment the form describes, or NULL when it cannot yet (no
 * patient, or a date the parsers refuse: @error then says why). */
static MesoAppointment *
build_appointment (MesoBookingDialog  *self,
                   GError            **error)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(GDateTime) start = NULL;
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));

  if (self->patient == NULL)
    return NULL;
  start = read_start (self, error);
  if (start == NULL)
    return NULL;

  appointment = meso_appointment_new ();
  meso_appointment_set_id (appointment, self->appointment_id);
  meso_appointment_set_patient_id (appointment, meso_patient_get_id (self->patient));
  meso_appointment_set_area (appointment, selected_area (self));
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_minutes (appointment,
                                (guint)gtk_spin_button_get_value_as_int (self->minutes_spin));
  meso_appointment_set_practitioner (appointment,
                                     selected_name (self->practitioner_row,
                                                    self->practitioners));
  meso_appointment_set_room (appointment, selected_name (self->room_row, self->rooms));
  /* The store keeps it only when it lifts a refusal. */
  if (!is_blank (reason))
    meso_appointment_set_override_reason (appointment, reason);
  return g_steal_pointer (&appointment);
}

/* ------------------------------------------------------------ the verdict */

static void
add_verdict_line (MesoBookingDialog *self,
                  MesoVerdictKind    kind,
                  const char        *message)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon;
  GtkWidget *label = gtk_label_new (message);
  const char *icon_name, *css_class;

  switch (kind)
    {
    case MESO_VERDICT_OK:
      icon_name = "emblem-ok-symbolic";
      css_class = "success";
      break;
    case MESO_VERDICT_WARNING:
      icon_name = "dialog-warning-symbolic";
      css_class = "warning";
      break;
    case MESO_VERDICT_REFUSED:
    case MESO_VERDICT_INVALID:
    default:
      icon_name = "action-unavailable-symbolic";
      css_class = "error";
      break;
    }

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "meso-verdict-message");
  gtk_widget_add_css_class (line, css_class);
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (self->verdict_box, line);
}

static void
clear_verdict (MesoBookingDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->verdict_box))) != NULL)
    gtk_box_remove (self->verdict_box, child);
}

static gboolean
has_override_verdict (GPtrArray *verdicts)
{
  for (guint i = 0; i < verdicts->len; i++)
    if (meso_verdict_get_resolution (g_ptr_array_index (verdicts, i)) ==
        MESO_RESOLUTION_OVERRIDE)
      return TRUE;
  return FALSE;
}

/* Asks the store what booking the form would meet (a fraction of a
 * millisecond, so on every change) and shows it: Book only when allowed. */
static void
meso_booking_dialog_update (MesoBookingDialog *self)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean allowed = FALSE;
  gboolean show_override = FALSE;
  guint n_lines = 0;

  if (self->filling)
    return;

  clear_verdict (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->time_row), "error");

  if (self->fatal_message != NULL)
    {
      add_verdict_line (self, MESO_VERDICT_INVALID, self->fatal_message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->book_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->override_group), FALSE);
      return;
    }

  appointment = build_appointment (self, &error);
  if (self->patient == NULL)
    /* Translators: the booking window's verdict area before a patient is chosen */
    add_verdict_line (self, MESO_VERDICT_INVALID, _("Choose the patient first."));
  else if (appointment == NULL)
    {
      GDate date;

      if (!meso_date_field_get_date (GTK_WIDGET (self->date_row), &date, NULL))
        gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->time_row), "error");
      add_verdict_line (self, MESO_VERDICT_INVALID, error->message);
    }
  else
    {
      verdicts = meso_store_check_appointment (self->store, appointment, acting_role (self),
                                               &error);
      if (verdicts == NULL)
        add_verdict_line (self, MESO_VERDICT_INVALID, error->message);
    }

  if (verdicts != NULL)
    {
      g_autoptr(MesoVerdict) worst = meso_verdict_worst (verdicts);

      allowed = !meso_verdict_is_blocking (worst);
      show_override = has_override_verdict (verdicts);

      /* The blocking ones first, so the reason Book is off is read first. */
      for (int kind = MESO_VERDICT_INVALID; kind >= MESO_VERDICT_WARNING; kind--)
        for (guint i = 0; i < verdicts->len; i++)
          {
            MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

            if ((int)meso_verdict_get_kind (verdict) == kind &&
                meso_verdict_get_message (verdict) != NULL)
              {
                add_verdict_line (self, kind, meso_verdict_get_message (verdict));
                n_lines++;
              }
          }
      if (n_lines == 0)
        /* Translators: the booking window's verdict when every rule agrees */
        add_verdict_line (self, MESO_VERDICT_OK, _("This time can be booked."));
    }

  if (show_override && !allowed)
    add_verdict_line (self, MESO_VERDICT_WARNING,
                      /* Translators: below an interval refusal that a clinician may lift */
                      _("A clinician may override this refusal with a reason, under "
                        "“Clinician’s Override”."));

  if (self->book_error != NULL)
    {
      add_verdict_line (self, MESO_VERDICT_REFUSED, self->book_error);
      allowed = FALSE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->override_group), show_override);
  if (show_override)
    meso_widget_permit (GTK_WIDGET (self->override_group), self->store, MESO_PERMISSION_TREAT,
                        /* Translators: tooltip of the override for a receptionist */
                        _("Only clinicians can override the interval rule"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->book_button), allowed);
}

/* ------------------------------------------------------------ suggestions */

static void
suggest_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MesoAppointment *like = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "meso-path");
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MesoProposal *proposal;

  /* A few hundred checks: too long for a frame, so on a connection of its own. */
  store = meso_worker_open_store (path, &error);
  if (store == NULL || g_task_return_error_if_cancelled (task))
    {
      if (store == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  proposal = meso_scheduler_propose (store, like, N_SUGGESTIONS, &error);
  if (proposal == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, proposal, (GDestroyNotify)meso_proposal_free);
}

static void
clear_suggestions (MesoBookingDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box))) != NULL)
    gtk_flow_box_remove (self->suggestions_box, child);
}

/* A proposed time into the form, with who is free then unless the person
 * chose someone (the time was then looked for with them). */
static void
use_slot (MesoBookingDialog *self,
          GDateTime         *start,
          const char        *practitioner)
{
  gboolean chosen = !self->practitioner_proposed &&
                    selected_name (self->practitioner_row, self->practitioners) != NULL;

  self->filling = TRUE;
  set_start (self, start);
  if (!chosen && practitioner != NULL)
    {
      select_name (self->practitioner_row, self->practitioners, practitioner);
      self->practitioner_proposed = TRUE;
    }
  self->filling = FALSE;
  self->fill_first_suggestion = FALSE;
  g_clear_pointer (&self->book_error, g_free);
  meso_booking_dialog_update (self);
}

static void
on_suggestion_clicked_cb (GtkButton         *button,
                          MesoBookingDialog *self)
{
  use_slot (self, g_object_get_data (G_OBJECT (button), START_KEY),
            g_object_get_data (G_OBJECT (button), PRACTITIONER_KEY));
}

/* What the times are measured from, so a window long closed is not called
 * the recommended one. */
static char *
proposal_heading (const MesoProposal *proposal)
{
  switch (proposal->basis)
    {
    case MESO_PROPOSAL_IN_WINDOW:
      /* Translators: above the buttons with the next free start times */
      return g_strdup (_("Next free times in the recommended window:"));
    case MESO_PROPOSAL_OVERDUE:
      {
        g_autofree char *closed = meso_format_date_short (&proposal->window_closes);

        /* Translators: above the next free start times when the follow-up is
         * overdue; %s is the last day of its window */
        return g_strdup_printf (_("Overdue: the recommended window closed on %s. "
                                  "First free times:"), closed);
      }
    case MESO_PROPOSAL_FIRST:
    default:
      /* Translators: above the next free start times for an area not treated before */
      return g_strdup (_("First free times:"));
    }
}

static GtkWidget *
slot_button_new (MesoProposedSlot *slot)
{
  g_autofree char *when = meso_format_date_time_short (slot->start);
  g_autofree char *label = NULL;
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *time_label = gtk_label_new (when);

  gtk_box_append (GTK_BOX (box), time_label);
  if (slot->practitioner != NULL)
    {
      GtkWidget *who = gtk_label_new (slot->practitioner);

      gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (who, "caption");
      gtk_widget_add_css_class (who, "dim-label");
      gtk_box_append (GTK_BOX (box), who);
      /* Translators: what a screen reader says for a suggested start time;
       * the first %s is the date and time, the second who treats then */
      label = g_strdup_printf (_("Use %s with %s"), when, slot->practitioner);
    }
  else
    /* Translators: what a screen reader says for a suggested start time; %s is it */
    label = g_strdup_printf (_("Use %s"), when);
  gtk_button_set_child (GTK_BUTTON (button), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_widget_set_tooltip_text (button, label);
  g_object_set_data_full (G_OBJECT (button), START_KEY, g_date_time_ref (slot->start),
                          (GDestroyNotify)g_date_time_unref);
  g_object_set_data_full (G_OBJECT (button), PRACTITIONER_KEY, g_strdup (slot->practitioner),
                          g_free);
  return button;
}

static void
suggest_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MesoBookingDialog *self = user_data;  /* not held: see suggest_timeout_cb() */
  g_autoptr(MesoProposal) proposal = NULL;
  g_autofree char *heading = NULL;
  g_autoptr(GError) error = NULL;

  proposal = g_task_propagate_pointer (G_TASK (result), &error);
  /* Asked again meanwhile (the newer answer is on its way), or closed:
   * either way cancelled, and @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_return_if_fail (g_task_get_cancellable (G_TASK (result)) == self->suggest_cancellable);
  g_clear_object (&self->suggest_cancellable);

  clear_suggestions (self);
  if (proposal == NULL)
    {
      gtk_label_set_text (self->suggestions_label, error->message);
      return;
    }
  if (proposal->slots->len == 0)
    {
      gtk_label_set_text (self->suggestions_label,
                          /* Translators: the booking window finds no free time to suggest */
                          _("No time is free within the recommended window or the next weeks. "
                            "Try another practitioner or room, or type a time."));
      return;
    }

  heading = proposal_heading (proposal);
  gtk_label_set_text (self->suggestions_label, heading);
  for (guint i = 0; i < proposal->slots->len; i++)
    {
      GtkWidget *button = slot_button_new (g_ptr_array_index (proposal->slots, i));

      g_signal_connect (button, "clicked", G_CALLBACK (on_suggestion_clicked_cb), self);
      gtk_flow_box_append (self->suggestions_box, button);
    }

  /* No start was asked for: the first free one is proposed. */
  if (self->fill_first_suggestion)
    {
      MesoProposedSlot *first = g_ptr_array_index (proposal->slots, 0);

      use_slot (self, first->start, first->practitioner);
    }
}

static gboolean
suggest_timeout_cb (gpointer user_data)
{
  MesoBookingDialog *self = MESO_BOOKING_DIALOG (user_data);
  g_autoptr(MesoAppointment) like = meso_appointment_new ();
  g_autoptr(GTask) task = NULL;

  self->suggest_timeout = 0;
  if (self->patient == NULL || self->fatal_message != NULL)
    return G_SOURCE_REMOVE;

  meso_appointment_set_id (like, self->appointment_id);
  meso_appointment_set_patient_id (like, meso_patient_get_id (self->patient));
  meso_appointment_set_area (like, selected_area (self));
  meso_appointment_set_minutes (like, (guint)gtk_spin_button_get_value_as_int (self->minutes_spin));
  /* A proposal's practitioner is not a choice: the times are for anyone free. */
  if (!self->practitioner_proposed)
    meso_appointment_set_practitioner (like, selected_name (self->practitioner_row,
                                                           self->practitioners));
  meso_appointment_set_room (like, selected_name (self->room_row, self->rooms));

  self->suggest_cancellable = g_cancellable_new ();
  /* The task holds no reference on the dialog: a closed dialog goes at once
   * (dispose cancels the task) rather than when the worker lets go of it,
   * after the window it is transient for may be gone, or in the worker's
   * thread. Every path that forgets the task cancels it first. */
  task = g_task_new (NULL, self->suggest_cancellable, suggest_done_cb, self);
  g_task_set_source_tag (task, suggest_timeout_cb);
  g_task_set_task_data (task, g_steal_pointer (&like), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "meso-path", g_strdup (meso_store_get_path (self->store)),
                          g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, suggest_thread);
  return G_SOURCE_REMOVE;
}

static void
meso_booking_dialog_schedule_suggestions (MesoBookingDialog *self)
{
  if (self->suggest_cancellable != NULL)
    {
      g_cancellable_cancel (self->suggest_cancellable);
      g_clear_object (&self->suggest_cancellable);
    }
  g_clear_handle_id (&self->suggest_timeout, g_source_remove);

  if (self->patient == NULL || self->fatal_message != NULL)
    {
      clear_suggestions (self);
      gtk_label_set_text (self->suggestions_label,
                          /* Translators: where the suggested times go, before a patient is chosen */
                          _("Free times are suggested once the patient is chosen."));
      return;
    }

  /* Translators: shown while the next free times are looked for */
  gtk_label_set_text (self->suggestions_label, _("Looking for free times…"));
  /* A cancellable at once, so "suggesting" holds from this moment. */
  self->suggest_timeout = g_timeout_add (SUGGEST_DELAY_MSEC, suggest_timeout_cb, self);
}

gboolean
meso_booking_dialog_get_suggesting (MesoBookingDialog *self)
{
  g_return_val_if_fail (MESO_IS_BOOKING_DIALOG (self), FALSE);

  return self->suggest_timeout != 0 || self->suggest_cancellable != NULL;
}

/* ------------------------------------------------------------ the patient */

static void
set_patient (MesoBookingDialog *self,
             MesoPatient       *patient)
{
  g_set_object (&self->patient, patient);

  if (patient != NULL)
    {
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->patient_row),
                                     meso_patient_get_name (patient));
      if (meso_patient_get_sensitive_skin (patient))
        /* Translators: below the patient's name in the booking window */
        subtitle = g_strdup (_("Sensitive skin: longer intervals apply"));
      adw_action_row_set_subtitle (self->patient_row, subtitle != NULL ? subtitle : "");
      adw_window_title_set_subtitle (self->window_title, meso_patient_get_name (patient));
      gtk_stack_set_visible_child_name (self->patient_stack, "chosen");
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, "");
      gtk_stack_set_visible_child_name (self->patient_stack, "search");
    }

  g_clear_pointer (&self->book_error, g_free);
  meso_booking_dialog_schedule_suggestions (self);
  meso_booking_dialog_update (self);
}

static char *
patient_result_subtitle (MesoPatient *patient)
{
  const char *birth = meso_patient_get_birth_date (patient);
  const char *phone = meso_patient_get_phone (patient);
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  /* Two people of one name are told apart by these. */
  if (birth != NULL && birth[0] != '\0')
    {
      /* Translators: a patient's date of birth in the booking window's search results */
      g_autofree char *born = g_strdup_printf (_("born %s"), birth);

      g_strv_builder_add (parts, born);
    }
  if (phone != NULL && phone[0] != '\0')
    g_strv_builder_add (parts, phone);
  else if (meso_patient_get_email (patient) != NULL)
    g_strv_builder_add (parts, meso_patient_get_email (patient));
  strv = g_strv_builder_end (parts);
  return g_strjoinv (" · ", strv);
}

static void
on_patient_search_changed_cb (MesoBookingDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->patient_search));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->patient_results))) != NULL)
    gtk_list_box_remove (self->patient_results, child);

  if (is_blank (text))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->patient_results), FALSE);
      /* Translators: below the empty patient search of the booking window */
      gtk_label_set_text (self->patient_hint, _("Type a name, phone number or e-mail address."));
      return;
    }

  /* A handful of rows from an indexed search: fast enough for the main thread. */
  found = meso_store_search_patients (self->store, text, FALSE, 0, PATIENT_RESULTS, &error);
  if (found == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->patient_results), FALSE);
      gtk_label_set_text (self->patient_hint, error->message);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    {
      MesoPatient *patient = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = patient_result_subtitle (patient);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), meso_patient_get_name (patient));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), PATIENT_KEY, g_object_ref (patient),
                              g_object_unref);
      gtk_list_box_append (self->patient_results, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->patient_results), found->len > 0);
  if (found->len == 0)
    /* Translators: the booking window's patient search found nobody */
    gtk_label_set_text (self->patient_hint, _("No patient found. Try another spelling."));
  else if (found->len == PATIENT_RESULTS)
    /* Translators: below a full list of patients found; typing more narrows it */
    gtk_label_set_text (self->patient_hint, _("Only the first few are shown: type more to narrow "
                                              "them down."));
  else
    gtk_label_set_text (self->patient_hint, "");
}

static void
on_patient_result_activated_cb (MesoBookingDialog *self,
                                GtkListBoxRow     *row)
{
  set_patient (self, g_object_get_data (G_OBJECT (row), PATIENT_KEY));
}

/* Enter in the search takes the first patient found. */
static void
on_patient_search_activate_cb (MesoBookingDialog *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->patient_results, 0);

  if (first != NULL)
    on_patient_result_activated_cb (self, first);
}

static void
on_change_patient_clicked_cb (MesoBookingDialog *self)
{
  set_patient (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_search));
}

/* ------------------------------------------------------------ changes */

/* Area, practitioner, room or duration: new suggestions and a new verdict. */
static void
on_plan_changed_cb (MesoBookingDialog *self)
{
  if (self->filling)
    return;
  g_clear_pointer (&self->book_error, g_free);
  meso_booking_dialog_schedule_suggestions (self);
  meso_booking_dialog_update (self);
}

/* The person's own choice of practitioner: the times are looked for with them. */
static void
on_practitioner_changed_cb (MesoBookingDialog *self)
{
  if (self->filling)
    return;
  self->practitioner_proposed = FALSE;
  on_plan_changed_cb (self);
}

/* Date, time, clinician or reason: a new verdict. */
static void
on_when_changed_cb (MesoBookingDialog *self)
{
  if (self->filling)
    return;
  /* A time typed by hand is not replaced by a suggestion arriving late. */
  self->fill_first_suggestion = FALSE;
  g_clear_pointer (&self->book_error, g_free);
  meso_booking_dialog_update (self);
}

static void
on_store_changed_cb (MesoBookingDialog *self)
{
  /* Another desk may have taken the slot, or freed one. */
  meso_booking_dialog_schedule_suggestions (self);
  meso_booking_dialog_update (self);
}

/* ------------------------------------------------------------ booking */

static void
on_book_clicked_cb (MesoBookingDialog *self)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *app = parent != NULL ? gtk_window_get_application (parent) : NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->book_button)))
    return;

  appointment = build_appointment (self, &error);
  if (appointment == NULL ||
      !meso_store_book_appointment (self->store, appointment, acting_role (self), NULL, &error))
    {
      g_free (self->book_error);
      self->book_error = g_strdup (error != NULL ? error->message : _("Choose the patient first."));
      meso_booking_dialog_update (self);
      return;
    }

  if (MESO_IS_APPLICATION (app))
    meso_application_store_changed (MESO_APPLICATION (app));
  /* The schedule shows where it went (if the window has one). */
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-date", "x",
                                g_date_time_to_unix (meso_appointment_get_start (appointment)));
  gtk_window_close (GTK_WINDOW (self));
}

/* ------------------------------------------------------------ the object */

static void
meso_booking_dialog_dispose (GObject *object)
{
  MesoBookingDialog *self = MESO_BOOKING_DIALOG (object);

  /* Nothing may reach the widgets after this. */
  if (self->app != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->app);
  g_clear_object (&self->app);
  if (self->suggest_cancellable != NULL)
    g_cancellable_cancel (self->suggest_cancellable);
  g_clear_object (&self->suggest_cancellable);
  g_clear_handle_id (&self->suggest_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_BOOKING_DIALOG);

  G_OBJECT_CLASS (meso_booking_dialog_parent_class)->dispose (object);
}

static void
meso_booking_dialog_finalize (GObject *object)
{
  MesoBookingDialog *self = MESO_BOOKING_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_pointer (&self->fatal_message, g_free);
  g_clear_pointer (&self->book_error, g_free);
  g_clear_pointer (&self->practitioners, g_strfreev);
  g_clear_pointer (&self->rooms, g_strfreev);
  g_clear_pointer (&self->clinicians, g_strfreev);

  G_OBJECT_CLASS (meso_booking_dialog_parent_class)->finalize (object);
}

static void
meso_booking_dialog_class_init (MesoBookingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_booking_dialog_dispose;
  object_class->finalize = meso_booking_dialog_finalize;

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-booking-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, book_button);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, patient_stack);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, patient_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, change_patient_button);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, patient_search);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, patient_results);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, patient_hint);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, area_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, minutes_spin);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, suggestions_label);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, suggestions_box);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, override_group);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, MesoBookingDialog, reason_row);
  gtk_widget_class_bind_template_callback (widget_class, on_book_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_change_patient_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_plan_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_practitioner_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_when_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
meso_booking_dialog_init (MesoBookingDialog *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  meso_date_field_add_calendar (GTK_WIDGET (self->date_row));
  meso_dialog_compact_cancel (GTK_WINDOW (self), self->cancel_button);
  self->filling = FALSE;
  self->fill_first_suggestion = TRUE;
  /* Translators: the booking window's title for a new appointment */
  adw_window_title_set_title (self->window_title, _("Book Appointment"));
}

MesoBookingDialog *
meso_booking_dialog_new (MesoStore *store)
{
  MesoBookingDialog *self;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  self = g_object_new (MESO_TYPE_BOOKING_DIALOG, NULL);
  self->store = g_object_ref (store);

  self->filling = TRUE;
  load_choices (self);
  self->filling = FALSE;
  set_patient (self, NULL);
  on_patient_search_changed_cb (self);
  return self;
}

/* Moving an appointment: the form starts as it is booked. */
static void
prefill_from_appointment (MesoBookingDialog *self,
                          gint64             id)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(GError) error = NULL;

  self->appointment_id = id;
  /* Translators: the booking window's title when an appointment is moved */
  adw_window_title_set_title (self->window_title, _("Move Appointment"));
  /* Translators: the button that moves an appointment to the time shown */
  gtk_button_set_label (self->book_button, _("_Move"));

  appointment = meso_store_get_appointment (self->store, id, &error);
  if (appointment != NULL)
    patient = meso_store_get_patient (self->store, meso_appointment_get_patient_id (appointment),
                                      &error);
  if (patient == NULL)
    {
      self->fatal_message = g_strdup (error->message);
      return;
    }
  if (!meso_appointment_is_active (appointment))
    /* Translators: %s is a status such as “Cancelled” */
    self->fatal_message = g_strdup_printf (_("This appointment cannot be moved: it is “%s”."),
                                           meso_appointment_status_get_label (
                                             meso_appointment_get_status (appointment)));

  g_set_object (&self->patient, patient);
  select_area (self, meso_appointment_get_area (appointment));
  select_name (self->practitioner_row, self->practitioners,
               meso_appointment_get_practitioner (appointment));
  select_name (self->room_row, self->rooms, meso_appointment_get_room (appointment));
  gtk_spin_button_set_value (self->minutes_spin, meso_appointment_get_minutes (appointment));
  set_start (self, meso_appointment_get_start (appointment));
  self->fill_first_suggestion = FALSE;
}

void
meso_booking_dialog_prefill (MesoBookingDialog *self,
                             GVariant          *parameter)
{
  g_autoptr(GError) error = NULL;
  const char *text = NULL;
  gint64 value = 0;
  int area;

  g_return_if_fail (MESO_IS_BOOKING_DIALOG (self));
  g_return_if_fail (parameter == NULL ||
                    g_variant_is_of_type (parameter, G_VARIANT_TYPE_VARDICT));

  if (parameter == NULL)
    return;

  self->filling = TRUE;
  if (g_variant_lookup (parameter, "appointment-id", "x", &value) && value > 0)
    prefill_from_appointment (self, value);
  else if (g_variant_lookup (parameter, "patient-id", "x", &value) && value > 0)
    {
      g_autoptr(MesoPatient) patient = meso_store_get_patient (self->store, value, &error);

      /* A patient who is gone is searched for again; the search says so. */
      if (patient != NULL)
        g_set_object (&self->patient, patient);
      else
        gtk_label_set_text (self->patient_hint, error->message);
    }

  if (g_variant_lookup (parameter, "area", "&s", &text) &&
      meso_enum_from_nick (MESO_TYPE_AREA, text, &area))
    select_area (self, area);
  if (g_variant_lookup (parameter, "practitioner", "&s", &text))
    select_name (self->practitioner_row, self->practitioners, text);
  if (g_variant_lookup (parameter, "room", "&s", &text))
    select_name (self->room_row, self->rooms, text);
  if (g_variant_lookup (parameter, "start", "x", &value))
    {
      g_autoptr(GDateTime) start = meso_date_time_new_from_unix (value);

      set_start (self, start);
      self->fill_first_suggestion = FALSE;
    }
  self->filling = FALSE;

  set_patient (self, self->patient);
}

void
meso_booking_dialog_book_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  MesoStore *store = meso_window_get_store (MESO_WINDOW (widget));
  MesoBookingDialog *dialog;

  /* Without a database the application's own dialog has said why. */
  if (store == NULL)
    return;

  dialog = meso_booking_dialog_new (store);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (widget));
  if (MESO_IS_APPLICATION (app))
    {
      dialog->app = g_object_ref (app);
      dialog->store_changed_id = g_signal_connect_swapped (app, "store-changed",
                                                           G_CALLBACK (on_store_changed_cb),
                                                           dialog);
    }
  meso_booking_dialog_prefill (dialog, parameter);
  /* Typing starts at the first field to fill: the patient, or the date. */
  gtk_window_set_focus (GTK_WINDOW (dialog), dialog->patient == NULL
                                               ? GTK_WIDGET (dialog->patient_search)
                                               : GTK_WIDGET (dialog->date_row));
  meso_dialog_fit_parent (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
