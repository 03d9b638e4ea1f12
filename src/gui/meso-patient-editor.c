/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-patient-editor.h"

#include "meso-widgets.h"

#include "meso-application.h"
#include "meso-date-field.h"
#include "meso-time.h"
#include "meso-window.h"

#include <glib/gi18n.h>

/* The text fields, in the order of the form. */
enum
{
  FIELD_NAME,
  FIELD_BIRTH_DATE,
  FIELD_PHONE,
  FIELD_EMAIL,
  N_FIELDS
};

/* The patient properties the fields edit: core validates them by these names. */
static const char * const field_names[N_FIELDS] = { "name", "birth-date", "phone", "email" };

typedef struct
{
  AdwEntryRow *row;
  GtkWidget   *error_row;
  GtkLabel    *error;
  /* Left once (or Save pressed): its mistakes are shown from then on, not
   * while the first characters are being typed. */
  gboolean     touched;
} Field;

struct _MesoPatientEditor
{
  AdwWindow    parent_instance;

  MesoStore   *store;
  MesoPatient *patient;   /* the one edited; a new one while adding */

  Field        fields[N_FIELDS];
  GtkSwitch   *sensitive_switch;
  GtkTextView *notes_view;
  GtkLabel    *notes_error;
  GtkLabel    *general_error;
  GtkButton   *cancel_button;
  GtkButton   *save_button;

  /* "Add anyway" answered to the warning of a namesake. */
  gboolean     namesakes_confirmed;
};

G_DEFINE_FINAL_TYPE (MesoPatientEditor, meso_patient_editor, ADW_TYPE_WINDOW)

/* The field's text, stripped; NULL when blank (not given). */
static char *
field_text (MesoPatientEditor *self,
            guint              field)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                       GTK_EDITABLE (self->fields[field].row))));

  if (text[0] == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* What core keeps for @field: the birth date typed in the locale's form or
 * ISO becomes ISO; NULL with the parser's message (naming the form to
 * type) when it is no date. */
static char *
field_value (MesoPatientEditor  *self,
             guint               field,
             GError            **error)
{
  g_autofree char *text = field_text (self, field);
  GDate date;

  if (field != FIELD_BIRTH_DATE || text == NULL)
    return g_steal_pointer (&text);
  if (!meso_date_parse_locale (text, &date, error))
    return NULL;
  return meso_format_date_iso (&date);
}

static char *
notes_text (MesoPatientEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
mark (GtkWidget  *widget,
      GtkWidget  *message_widget,
      GtkLabel   *message_label,
      const char *message)
{
  gboolean bad = message != NULL;

  if (bad)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_label_set_text (message_label, bad ? message : "");
  gtk_widget_set_visible (message_widget, bad);
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  bad ? message : "", -1);
}

/* Checks one field with core's rule; shows the verdict if the field was
 * touched. TRUE when it is good. */
static gboolean
check_field (MesoPatientEditor *self,
             guint              field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = field_value (self, field, &error);
  Field *f = &self->fields[field];
  gboolean ok = error == NULL && meso_patient_validate_field (field_names[field], text, &error);

  if (f->touched || ok)
    mark (GTK_WIDGET (f->row), f->error_row, f->error, ok ? NULL : error->message);
  return ok;
}

static gboolean
check_notes (MesoPatientEditor *self)
{
  g_autofree char *text = notes_text (self);
  g_autoptr(GError) error = NULL;
  gboolean ok = meso_patient_validate_field ("notes", text, &error);

  mark (GTK_WIDGET (self->notes_view), GTK_WIDGET (self->notes_error), self->notes_error,
        ok ? NULL : error->message);
  return ok;
}

static void
update_save (MesoPatientEditor *self)
{
  g_autofree char *name = field_text (self, FIELD_NAME);

  /* The name is the one required field. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), name != NULL);
}

static void
on_field_changed_cb (MesoPatientEditor *self,
                     GtkEditable       *editable)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (GTK_EDITABLE (self->fields[i].row) == editable)
      check_field (self, i);
  self->namesakes_confirmed = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), FALSE);
  update_save (self);
}

static void
on_field_left_cb (GtkEventControllerFocus *controller,
                  MesoPatientEditor       *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  for (guint i = 0; i < N_FIELDS; i++)
    if (GTK_WIDGET (self->fields[i].row) == row)
      {
        self->fields[i].touched = TRUE;
        check_field (self, i);
      }
}

static void on_save_clicked_cb (MesoPatientEditor *self);

/* What the warning says of @other, the record that may be the same person,
 * its birth date in the locale's form. */
static char *
namesake_text (MesoPatient *other)
{
  const char *birth_text = meso_patient_get_birth_date (other);
  g_autofree char *born = NULL;
  GDate birth;

  if (birth_text != NULL && meso_date_parse (birth_text, &birth, NULL))
    born = meso_format_date_short (&birth);
  return meso_patient_describe_namesake (other, born);
}

static gboolean
release_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static void
on_namesake_response_cb (AdwMessageDialog  *dialog,
                         const char        *response,
                         MesoPatientEditor *self)
{
  gint64 other = *(gint64 *)g_object_get_data (G_OBJECT (dialog), "meso-namesake");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* The question, whose parent the editor is, lets go of it after this:
   * the editor, closed below, is kept until then. */
  g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, g_object_ref (self), g_object_unref);
  if (g_str_equal (response, "add"))
    {
      self->namesakes_confirmed = TRUE;
      on_save_clicked_cb (self);
    }
  else if (g_str_equal (response, "open"))
    {
      if (parent != NULL)
        gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-patient", "x", other);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

/* Before a new patient is added: a record of the same name with the same
 * birth date or phone (the store's meso_store_find_namesakes()) is asked
 * about, with that record to open instead. TRUE: one was found and the
 * question is shown. */
static gboolean
ask_about_namesakes (MesoPatientEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) namesakes = NULL;
  g_autofree char *body = NULL;
  MesoPatient *other;
  GtkWidget *dialog;

  namesakes = meso_store_find_namesakes (self->store, self->patient, &error);
  if (namesakes == NULL)
    {
      /* Not knowing is no reason to refuse: the patient is added. */
      g_debug ("Namesakes not looked for: %s", error->message);
      return FALSE;
    }
  if (namesakes->len == 0)
    return FALSE;

  other = g_ptr_array_index (namesakes, 0);
  body = namesake_text (other);
  /* Translators: heading of the warning before adding a patient who may be there already */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Already a Patient?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: opens the patient already on record */
                                    "open", _("_Open Patient"),
                                    /* Translators: adds the new patient although one of the
                                     * same name is on record */
                                    "add", _("_Add Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "meso-namesake",
                          g_memdup2 (&(gint64){ meso_patient_get_id (other) }, sizeof (gint64)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_namesake_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_save_clicked_cb (MesoPatientEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  GtkWidget *first_bad = NULL;
  gboolean adding = meso_patient_get_id (self->patient) == 0;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  for (guint i = 0; i < N_FIELDS; i++)
    {
      self->fields[i].touched = TRUE;
      if (!check_field (self, i) && first_bad == NULL)
        first_bad = GTK_WIDGET (self->fields[i].row);
    }
  if (!check_notes (self) && first_bad == NULL)
    first_bad = GTK_WIDGET (self->notes_view);
  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad);
      return;
    }

  {
    g_autofree char *name = field_text (self, FIELD_NAME);
    g_autofree char *birth_date = field_value (self, FIELD_BIRTH_DATE, NULL);
    g_autofree char *phone = field_text (self, FIELD_PHONE);
    g_autofree char *email = field_text (self, FIELD_EMAIL);

    notes = notes_text (self);
    meso_patient_set_name (self->patient, name);
    meso_patient_set_birth_date (self->patient, birth_date);
    meso_patient_set_phone (self->patient, phone);
    meso_patient_set_email (self->patient, email);
    meso_patient_set_notes (self->patient, notes);
    meso_patient_set_sensitive_skin (self->patient,
                                     gtk_switch_get_active (self->sensitive_switch));
  }

  if (adding && !self->namesakes_confirmed && ask_about_namesakes (self))
    return;

  if (adding ? !meso_store_add_patient (self->store, self->patient, &error)
             : !meso_store_update_patient (self->store, self->patient, &error))
    {
      /* The store's messages are written for people. */
      gtk_label_set_text (self->general_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->general_error), TRUE);
      if (adding)
        meso_patient_set_id (self->patient, 0);
      return;
    }

  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
  if (adding && parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-patient", "x",
                                meso_patient_get_id (self->patient));
  if (MESO_IS_WINDOW (parent))
    {
      /* A toast's title is Pango markup in libadwaita 1.2: the name is escaped. */
      g_autofree char *name = g_markup_escape_text (meso_patient_get_name (self->patient), -1);
      /* Translators: a short note once a patient record is saved; %s is the name */
      g_autofree char *saved = g_strdup_printf (_("Patient “%s” saved"), name);

      AdwToast *toast = adw_toast_new (saved);

      /* Short: a confirmation, and not left queued in front of a toast that
       * matters more (an archive's Undo). */
      adw_toast_set_timeout (toast, 3);
      meso_window_add_toast (MESO_WINDOW (parent), toast);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
meso_patient_editor_dispose (GObject *object)
{
  MesoPatientEditor *self = MESO_PATIENT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PATIENT_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);

  G_OBJECT_CLASS (meso_patient_editor_parent_class)->dispose (object);
}

static void
meso_patient_editor_class_init (MesoPatientEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_patient_editor_dispose;

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-patient-editor.ui");
#define BIND_FIELD(i, id)                                                                   \
  gtk_widget_class_bind_template_child_full (widget_class, id "_row", FALSE,               \
                                             G_STRUCT_OFFSET (MesoPatientEditor,           \
                                                              fields[i].row));             \
  gtk_widget_class_bind_template_child_full (widget_class, id "_error_row", FALSE,         \
                                             G_STRUCT_OFFSET (MesoPatientEditor,           \
                                                              fields[i].error_row));       \
  gtk_widget_class_bind_template_child_full (widget_class, id "_error", FALSE,             \
                                             G_STRUCT_OFFSET (MesoPatientEditor,           \
                                                              fields[i].error))
  BIND_FIELD (FIELD_NAME, "name");
  BIND_FIELD (FIELD_BIRTH_DATE, "birth_date");
  BIND_FIELD (FIELD_PHONE, "phone");
  BIND_FIELD (FIELD_EMAIL, "email");
#undef BIND_FIELD
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, sensitive_switch);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, notes_error);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, general_error);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
meso_patient_editor_init (MesoPatientEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  meso_dialog_compact_cancel (GTK_WINDOW (self), self->cancel_button);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect (focus, "leave", G_CALLBACK (on_field_left_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self->fields[i].row), focus);
    }
  meso_date_field_add_calendar (GTK_WIDGET (self->fields[FIELD_BIRTH_DATE].row));
  adw_entry_row_set_input_purpose (self->fields[FIELD_PHONE].row, GTK_INPUT_PURPOSE_PHONE);
  adw_entry_row_set_input_purpose (self->fields[FIELD_EMAIL].row, GTK_INPUT_PURPOSE_EMAIL);
}

static void
meso_patient_editor_load (MesoPatientEditor *self)
{
  const char *texts[N_FIELDS];
  GDate birth;

  texts[FIELD_NAME] = meso_patient_get_name (self->patient);
  texts[FIELD_BIRTH_DATE] = meso_patient_get_birth_date (self->patient);
  texts[FIELD_PHONE] = meso_patient_get_phone (self->patient);
  texts[FIELD_EMAIL] = meso_patient_get_email (self->patient);
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_editable_set_text (GTK_EDITABLE (self->fields[i].row),
                           texts[i] != NULL ? texts[i] : "");
  /* Kept as ISO, shown as the person writes dates. */
  if (texts[FIELD_BIRTH_DATE] != NULL && meso_date_parse (texts[FIELD_BIRTH_DATE], &birth, NULL))
    meso_date_field_set_date (GTK_WIDGET (self->fields[FIELD_BIRTH_DATE].row), &birth);
  gtk_switch_set_active (self->sensitive_switch, meso_patient_get_sensitive_skin (self->patient));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            meso_patient_get_notes (self->patient), -1);
  update_save (self);
}

MesoPatientEditor *
meso_patient_editor_new (GtkWindow  *parent,
                         MesoStore  *store,
                         gint64      patient_id,
                         GError    **error)
{
  g_autoptr(MesoPatient) patient = NULL;
  MesoPatientEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (patient_id > 0)
    {
      patient = meso_store_get_patient (store, patient_id, error);
      if (patient == NULL)
        return NULL;
    }
  else
    patient = meso_patient_new ();

  self = g_object_new (MESO_TYPE_PATIENT_EDITOR,
                       "transient-for", parent,
                       "title", patient_id > 0 ? _("Edit Patient") : _("New Patient"),
                       NULL);
  self->store = g_object_ref (store);
  self->patient = g_steal_pointer (&patient);
  meso_patient_editor_load (self);
  /* Typing starts the record: the focus is in the name, not on Cancel,
   * where a space would throw the input away. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->fields[FIELD_NAME].row));
  return self;
}

gint64
meso_patient_editor_get_patient_id (MesoPatientEditor *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_EDITOR (self), 0);

  return meso_patient_get_id (self->patient);
}

static void
open_editor (MesoWindow *window,
             gint64      patient_id)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_window_get_store (window);
  MesoPatientEditor *editor;

  /* Without a database there is nowhere to save: the window already says why. */
  if (store == NULL)
    return;

  editor = meso_patient_editor_new (GTK_WINDOW (window), store, patient_id, &error);
  if (editor == NULL)
    {
      meso_window_add_toast (window, adw_toast_new (error->message));
      return;
    }
  meso_dialog_fit_parent (GTK_WINDOW (editor));
  gtk_window_present (GTK_WINDOW (editor));
}

void
meso_patient_editor_new_patient_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  g_return_if_fail (MESO_IS_WINDOW (widget));

  open_editor (MESO_WINDOW (widget), 0);
}

void
meso_patient_editor_edit_patient_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  g_return_if_fail (MESO_IS_WINDOW (widget));

  open_editor (MESO_WINDOW (widget), g_variant_get_int64 (parameter));
}
