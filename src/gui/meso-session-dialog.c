/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-session-dialog.h"

#include "meso-application.h"
#include "meso-consent-dialog.h"
#include "meso-date-field.h"
#include "meso-lot-picker.h"
#include "meso-enum-types.h"
#include "meso-time.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>

struct _MesoSessionDialog
{
  AdwWindow       parent_instance;

  MesoStore      *store;
  gint64          patient_id;
  gint64          appointment_id;  /* the booking this session fulfils, or 0 */
  gint64          session_id;      /* once saved */
  GPtrArray      *verdicts;        /* resolved, NULL while the form cannot be checked */
  GArray         *indications;     /* MesoIndication per indication_row item after the first */
  char          **practitioners;   /* per practitioner_row item after the first */

  AdwWindowTitle *window_title;
  GtkButton      *save_button;
  GtkButton      *cancel_button;
  GtkStack       *stack;
  GtkWidget      *verdict_box;
  GtkImage       *verdict_icon;
  GtkLabel       *verdict_label;
  GtkCheckButton *confirm_check;
  GtkButton      *consent_button;
  GtkExpander    *override_expander;
  GtkLabel       *override_hint;
  AdwEntryRow    *override_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *time_row;
  AdwComboRow    *area_row;
  AdwComboRow    *device_row;
  GtkSwitch      *home_use_switch;
  AdwEntryRow    *needle_row;
  GtkLabel       *needle_class_label;
  AdwEntryRow    *count_row;
  AdwComboRow    *material_row;
  AdwComboRow    *indication_row;
  AdwExpanderRow *actives_row;
  GtkCheckButton *active_checks[MESO_ACTIVE_MINOXIDIL + 1];
  AdwEntryRow    *lot_row;
  GtkLabel       *lot_expiry_label;
  AdwComboRow    *practitioner_row;
  GtkTextView    *notes_view;
  GtkButton      *print_button;
  GtkButton      *done_button;
};

G_DEFINE_FINAL_TYPE (MesoSessionDialog, meso_session_dialog, ADW_TYPE_WINDOW)

/* How the verdict box looks: a style class and an icon per state. */
typedef enum
{
  VERDICT_STYLE_INFO,
  VERDICT_STYLE_OK,
  VERDICT_STYLE_WARNING,
  VERDICT_STYLE_ERROR,
} VerdictStyle;

static guint
enum_n_values (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  return klass->n_values;
}

/* The translated label of an enum value the form offers. */
static const char *
enum_label (GType type,
            int   value)
{
  if (type == MESO_TYPE_AREA)
    return meso_area_get_label (value);
  if (type == MESO_TYPE_DEVICE)
    return meso_device_get_label (value);
  if (type == MESO_TYPE_NEEDLE_MATERIAL)
    return meso_needle_material_get_label (value);
  g_return_val_if_reached ("");
}

/* A string list of an enum's labels, in value order, after @first if given. */
static GListModel *
enum_labels_model (GType       type,
                   const char *first)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  guint n = enum_n_values (type);

  if (first != NULL)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, enum_label (type, i));
  return G_LIST_MODEL (list);
}

static void
set_verdict (MesoSessionDialog *self,
             VerdictStyle       style,
             const char        *message)
{
  static const char *const classes[] = { "info", "success", "warning", "error" };
  static const char *const icons[] = {
    "dialog-information-symbolic", "emblem-ok-symbolic", "dialog-warning-symbolic",
    "dialog-error-symbolic",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->verdict_box, classes[i]);
  gtk_widget_add_css_class (self->verdict_box, classes[style]);
  gtk_image_set_from_icon_name (self->verdict_icon, icons[style]);
  gtk_label_set_text (self->verdict_label, message);
}

static void
set_row_error (gpointer  row,
               gboolean  error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
text_is_blank (const char *text)
{
  g_autofree char *copy = g_strdup (text);

  return copy == NULL || g_strstrip (copy)[0] == '\0';
}

/* The practitioner chosen, or NULL. */
static const char *
chosen_practitioner (MesoSessionDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->practitioner_row);

  if (self->practitioners == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (self->practitioners))
    return NULL;
  return self->practitioners[selected - 1];
}

/* Who acts: the chosen practitioner's role; a receptionist when none is chosen. */
static MesoRole
acting_role (MesoSessionDialog *self)
{
  const char *name = chosen_practitioner (self);
  MesoRole role = MESO_ROLE_RECEPTIONIST;

  if (name != NULL && !meso_store_get_practitioner_role (self->store, name, &role, NULL))
    role = MESO_ROLE_RECEPTIONIST;
  return role;
}

static MesoArea
chosen_area (MesoSessionDialog *self)
{
  return (MesoArea)adw_combo_row_get_selected (self->area_row);
}

static char *
chosen_actives (MesoSessionDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Nicks, as the demo data and the command line keep them. */
  for (guint i = 0; i < G_N_ELEMENTS (self->active_checks); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (self->active_checks[i])) &&
        gtk_check_button_get_active (self->active_checks[i]))
      g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "",
                              meso_enum_to_nick (MESO_TYPE_ACTIVE, i));
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
notes_text (MesoSessionDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return text_is_blank (text) ? NULL : g_steal_pointer (&text);
}

/* The session the form describes; NULL with the first field's error (and
 * the bad rows marked) when a field cannot be read. @incomplete: only the
 * needle length is missing, which is no mistake on a form just opened. */
static MesoSession *
read_form (MesoSessionDialog  *self,
           gboolean           *incomplete,
           GError            **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GError) at_error = NULL;
  g_autoptr(GError) needle_error = NULL;
  g_autoptr(GError) count_error = NULL;
  const char *needle_text = row_text (self->needle_row);
  const char *count_text = row_text (self->count_row);
  guint needle_um = 0;
  guint64 count = 0;
  guint selected;
  MesoNeedleClass klass;

  *incomplete = FALSE;

  {
    GDate day;
    int minutes;

    set_row_error (self->date_row, !meso_date_field_get_date (GTK_WIDGET (self->date_row), &day,
                                                              NULL));
    set_row_error (self->time_row, !meso_time_parse_locale (row_text (self->time_row), &minutes,
                                                            NULL));
    at = meso_date_time_parse_locale (row_text (self->date_row), row_text (self->time_row),
                                      &at_error);
  }

  /* The class as it is typed: core's classes, core's borders. */
  gtk_label_set_text (self->needle_class_label, "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->needle_class_label), "error");
  if (text_is_blank (needle_text))
    {
      *incomplete = TRUE;
      set_row_error (self->needle_row, FALSE);
    }
  else if (!meso_needle_parse_mm (needle_text, &needle_um, &needle_error))
    set_row_error (self->needle_row, TRUE);
  else
    {
      gboolean valid = meso_rules_needle_class (needle_um, &klass);

      set_row_error (self->needle_row, !valid);
      if (valid)
        gtk_label_set_text (self->needle_class_label, meso_needle_class_get_label (klass));
      else
        {
          /* Translators: beside a needle length outside the valid range */
          gtk_label_set_text (self->needle_class_label, _("Not valid"));
          gtk_widget_add_css_class (GTK_WIDGET (self->needle_class_label), "error");
        }
    }

  if (!text_is_blank (count_text) &&
      !g_ascii_string_to_unsigned (count_text, 10, 1, G_MAXINT, &count, NULL))
    {
      g_set_error (&count_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is what was typed as the needle count */
                   _("“%s” is not a number of needles; type a whole number such as 36, "
                     "or leave it empty."), count_text);
    }
  set_row_error (self->count_row, count_error != NULL);

  if (at_error != NULL || needle_error != NULL || count_error != NULL)
    {
      GError **first = at_error != NULL ? &at_error
                       : needle_error != NULL ? &needle_error : &count_error;

      *incomplete = FALSE;
      g_propagate_error (error, g_steal_pointer (first));
      return NULL;
    }

  meso_session_set_patient_id (session, self->patient_id);
  meso_session_set_appointment_id (session, self->appointment_id);
  meso_session_set_at (session, at);
  meso_session_set_area (session, chosen_area (self));
  meso_session_set_device (session, (MesoDevice)adw_combo_row_get_selected (self->device_row));
  meso_session_set_home_use (session, gtk_switch_get_active (self->home_use_switch));
  meso_session_set_needle_um (session, needle_um);
  meso_session_set_needle_count (session, (guint)count);

  selected = adw_combo_row_get_selected (self->material_row);
  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    meso_session_set_needle_material (session,
                                      meso_enum_to_nick (MESO_TYPE_NEEDLE_MATERIAL,
                                                         selected - 1));
  selected = adw_combo_row_get_selected (self->indication_row);
  if (selected > 0 && selected <= self->indications->len)
    meso_session_set_indication (session,
                                 meso_enum_to_nick (MESO_TYPE_INDICATION,
                                                    g_array_index (self->indications,
                                                                   MesoIndication,
                                                                   selected - 1)));
  {
    g_autofree char *actives = chosen_actives (self);
    g_autofree char *notes = notes_text (self);
    g_autofree char *lot = g_strstrip (g_strdup (row_text (self->lot_row)));

    meso_session_set_actives (session, actives);
    meso_session_set_notes (session, notes);
    meso_session_set_lot (session, lot[0] != '\0' ? lot : NULL);
  }
  meso_session_set_practitioner (session, chosen_practitioner (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->override_expander)))
    meso_session_set_override_reason (session, row_text (self->override_row));
  meso_session_set_caution_confirmed (session,
                                      gtk_widget_get_visible (GTK_WIDGET (self->confirm_check)) &&
                                      gtk_check_button_get_active (self->confirm_check));

  if (*incomplete)
    return NULL;
  return g_steal_pointer (&session);
}

static gboolean
verdicts_have_resolution (GPtrArray      *verdicts,
                          MesoResolution  how)
{
  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    if (meso_verdict_get_resolution (g_ptr_array_index (verdicts, i)) == how)
      return TRUE;
  return FALSE;
}

/* Whether a verdict of @rule refuses the session. */
static gboolean
verdicts_refuse_by (GPtrArray  *verdicts,
                    const char *rule)
{
  for (guint i = 0; verdicts != NULL && i < verdicts->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (meso_verdict_get_kind (verdict) == MESO_VERDICT_REFUSED &&
          g_strcmp0 (meso_verdict_get_rule (verdict), rule) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Asks the store, as saving would, and shows its answer: the verdict, the
 * confirmation and the override where they apply, and Save only when
 * nothing blocks. */
static void
meso_session_dialog_update (MesoSessionDialog *self)
{
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoVerdict) worst = NULL;
  gboolean incomplete = FALSE;
  gboolean can_override;
  MesoRole role;

  if (self->store == NULL)
    return;

  g_clear_pointer (&self->verdicts, g_ptr_array_unref);
  role = acting_role (self);
  session = read_form (self, &incomplete, &error);
  if (session != NULL)
    self->verdicts = meso_store_check_session (self->store, session, role, &error);

  /* Shown while a verdict needs them, and kept while it is being lifted. */
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check),
                          verdicts_have_resolution (self->verdicts, MESO_RESOLUTION_CONFIRM));
  gtk_widget_set_visible (GTK_WIDGET (self->override_expander),
                          verdicts_have_resolution (self->verdicts, MESO_RESOLUTION_OVERRIDE));
  /* R8: the consent is taken here, and the form stays as typed. */
  gtk_widget_set_visible (GTK_WIDGET (self->consent_button),
                          verdicts_refuse_by (self->verdicts, MESO_RULE_CONSENT));
  meso_widget_permit (GTK_WIDGET (self->consent_button), self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of Take Consent for a receptionist */
                      _("Only clinicians can take a consent"));
  meso_widget_permit (GTK_WIDGET (self->override_expander), self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of the override for a receptionist */
                      _("Only clinicians can override the interval rule"));
  can_override = role == MESO_ROLE_CLINICIAN;
  gtk_widget_set_sensitive (GTK_WIDGET (self->override_row), can_override);
  gtk_label_set_text (self->override_hint,
                      can_override
                        /* Translators: above the override reason, for a clinician */
                        ? _("As a clinician you may record the session anyway. Write down why; "
                            "the reason is kept with the record.")
                        /* Translators: above the override reason, when the practitioner
                         * chosen is not a clinician */
                        : _("Only a clinician may override the interval. Choose a clinician "
                            "as the practitioner to write a reason."));

  if (incomplete)
    {
      set_verdict (self, VERDICT_STYLE_INFO,
                   /* Translators: shown in the verdict box of a form just opened */
                   _("Type the needle length to check the clinical rules."));
    }
  else if (self->verdicts == NULL)
    set_verdict (self, VERDICT_STYLE_ERROR, error->message);
  else
    {
      g_autofree char *messages = meso_verdict_join_messages (self->verdicts);

      worst = meso_verdict_worst (self->verdicts);
      switch (meso_verdict_get_kind (worst))
        {
        case MESO_VERDICT_OK:
          /* Translators: shown when every clinical rule allows the session */
          set_verdict (self, VERDICT_STYLE_OK, _("The clinical rules allow this session."));
          break;
        case MESO_VERDICT_WARNING:
          set_verdict (self, VERDICT_STYLE_WARNING, messages);
          break;
        case MESO_VERDICT_REFUSED:
        case MESO_VERDICT_INVALID:
        default:
          set_verdict (self, VERDICT_STYLE_ERROR, messages);
          break;
        }
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            worst != NULL && !meso_verdict_is_blocking (worst));
}

/* Beside the lot typed: its expiry, if it is registered (R7 itself is the
 * store's verdict, shown with the others). */
static void
update_lot_expiry (MesoSessionDialog *self)
{
  g_autofree char *number = g_strstrip (g_strdup (row_text (self->lot_row)));
  g_autoptr(GPtrArray) lots = NULL;
  g_autofree char *text = NULL;

  if (self->store != NULL && *number != '\0')
    lots = meso_store_find_lots (self->store, number, NULL);
  if (*number == '\0')
    text = g_strdup ("");
  else if (lots == NULL)
    /* Translators: beside a lot number typed that is not in the clinic's list of lots */
    text = g_strdup (_("Not registered"));
  else if (lots->len > 1)
    /* Translators: beside a lot number that two products' lots share */
    text = g_strdup (_("Several products"));
  else
    {
      const MesoLot *lot = g_ptr_array_index (lots, 0);
      g_autofree char *expires = meso_format_date_short (&lot->expires_on);

      /* Translators: beside a lot number: its product and the last day it may be used */
      text = g_strdup_printf (_("%s, expires %s"), lot->product, expires);
    }
  gtk_label_set_text (self->lot_expiry_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->lot_expiry_label), *text != '\0');
}

static void
on_field_changed_cb (MesoSessionDialog *self)
{
  meso_session_dialog_update (self);
}

static void
on_lot_changed_cb (MesoSessionDialog *self)
{
  update_lot_expiry (self);
  meso_session_dialog_update (self);
}

/* R6: the indications and actives the form offers depend on the area. */
static void
meso_session_dialog_fill_choices (MesoSessionDialog *self,
                                  const char        *keep_indication)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  MesoArea area = chosen_area (self);
  guint n = enum_n_values (MESO_TYPE_INDICATION);
  guint keep = 0;
  int keep_value = -1;

  if (keep_indication != NULL)
    meso_enum_from_nick (MESO_TYPE_INDICATION, keep_indication, &keep_value);

  g_array_set_size (self->indications, 0);
  /* Translators: the first choice of an optional drop-down: nothing recorded */
  gtk_string_list_append (list, _("Not noted"));
  for (guint i = 0; i < n; i++)
    if (meso_rules_indication_suits_area (i, area))
      {
        MesoIndication indication = i;

        g_array_append_val (self->indications, indication);
        gtk_string_list_append (list, meso_indication_get_label (indication));
        if ((int)i == keep_value)
          keep = self->indications->len;
      }
  adw_combo_row_set_model (self->indication_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->indication_row, keep);

  for (guint i = 0; i < G_N_ELEMENTS (self->active_checks); i++)
    {
      gboolean suits = meso_rules_active_suits_area (i, area);

      gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->active_checks[i]),
                                                       ADW_TYPE_ACTION_ROW),
                              suits);
      gtk_widget_set_visible (GTK_WIDGET (self->active_checks[i]), suits);
    }
}

static void
on_area_changed_cb (MesoSessionDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->indication_row);
  const char *keep = NULL;

  if (self->indications == NULL)
    return;  /* still being built */
  if (selected > 0 && selected <= self->indications->len)
    keep = meso_enum_to_nick (MESO_TYPE_INDICATION,
                              g_array_index (self->indications, MesoIndication, selected - 1));
  meso_session_dialog_fill_choices (self, keep);
  meso_session_dialog_update (self);
}

static MesoApplication *
find_application (MesoSessionDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app == NULL && parent != NULL)
    app = gtk_window_get_application (parent);
  return MESO_IS_APPLICATION (app) ? MESO_APPLICATION (app) : NULL;
}

static void
on_save_clicked_cb (MesoSessionDialog *self)
{
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  MesoApplication *app;
  gboolean incomplete;

  meso_session_dialog_update (self);
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;  /* Enter in a field while something still blocks */

  session = read_form (self, &incomplete, &error);
  if (session == NULL ||
      !meso_store_add_session (self->store, session, acting_role (self), NULL, &error))
    {
      set_verdict (self, VERDICT_STYLE_ERROR, error != NULL ? error->message : "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }

  self->session_id = meso_session_get_id (session);
  app = find_application (self);
  if (app != NULL)
    meso_application_store_changed (app);

  gtk_stack_set_visible_child_name (self->stack, "saved");
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->print_button));
}

static void
on_consent_saved_cb (MesoSessionDialog *self)
{
  meso_session_dialog_update (self);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

static void
on_take_consent_clicked_cb (MesoSessionDialog *self)
{
  g_autoptr(GError) error = NULL;
  MesoConsentDialog *dialog;

  dialog = meso_consent_dialog_new (GTK_WINDOW (self), self->store, self->patient_id,
                                    MESO_CONSENT_FORM_MICRONEEDLING, &error);
  if (dialog == NULL)
    {
      set_verdict (self, VERDICT_STYLE_ERROR, error->message);
      return;
    }
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_consent_saved_cb), self,
                           G_CONNECT_SWAPPED);
  meso_dialog_fit_parent (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_print_clicked_cb (MesoSessionDialog *self)
{
  g_autoptr(GtkWindow) parent = NULL;
  gint64 id = self->session_id;

  /* The sheet's print dialog belongs to the main window; this one makes way. */
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    g_object_ref (parent);
  gtk_window_close (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.print-aftercare-sheet", "x", id);
}

static void
meso_session_dialog_dispose (GObject *object)
{
  MesoSessionDialog *self = MESO_SESSION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SESSION_DIALOG);
  g_clear_object (&self->store);
  g_clear_pointer (&self->verdicts, g_ptr_array_unref);
  g_clear_pointer (&self->indications, g_array_unref);
  g_clear_pointer (&self->practitioners, g_strfreev);

  G_OBJECT_CLASS (meso_session_dialog_parent_class)->dispose (object);
}

static void
meso_session_dialog_save_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  MesoSessionDialog *self = MESO_SESSION_DIALOG (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "form") == 0)
    on_save_clicked_cb (self);
}

static void
meso_session_dialog_class_init (MesoSessionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_session_dialog_dispose;

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, consent_button);
  gtk_widget_class_bind_template_callback (widget_class, on_take_consent_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, override_expander);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, override_hint);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, override_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, area_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, home_use_switch);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, needle_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, needle_class_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, count_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, material_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, indication_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, actives_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, lot_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, lot_expiry_label);
  gtk_widget_class_bind_template_callback (widget_class, on_lot_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, notes_view);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, print_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionDialog, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_area_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "session.save", NULL,
                                   meso_session_dialog_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "session.save", NULL);
}

static void
meso_session_dialog_init (MesoSessionDialog *self)
{
  g_autoptr(GListModel) areas = NULL;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GListModel) materials = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  meso_date_field_add_calendar (GTK_WIDGET (self->date_row));
  /* Read with the lot's field, as its description. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->lot_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->lot_expiry_label, NULL, -1);
  meso_dialog_compact_cancel (GTK_WINDOW (self), self->cancel_button);

  areas = enum_labels_model (MESO_TYPE_AREA, NULL);
  devices = enum_labels_model (MESO_TYPE_DEVICE, NULL);
  /* Translators: the first choice of an optional drop-down: nothing recorded */
  materials = enum_labels_model (MESO_TYPE_NEEDLE_MATERIAL, _("Not noted"));
  adw_combo_row_set_model (self->device_row, devices);
  adw_combo_row_set_model (self->material_row, materials);

  for (guint i = 0; i < G_N_ELEMENTS (self->active_checks); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), meso_active_get_label (i));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, meso_active_get_label (i),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->actives_row, row);
      self->active_checks[i] = GTK_CHECK_BUTTON (check);
    }

  /* Last: setting the areas fills the choices that depend on them. */
  self->indications = g_array_new (FALSE, FALSE, sizeof (MesoIndication));
  adw_combo_row_set_model (self->area_row, areas);
}

/* ----------------------------------------------------------------- opening */

static void
select_practitioner (MesoSessionDialog *self,
                     const char        *name)
{
  for (guint i = 0; name != NULL && self->practitioners[i] != NULL; i++)
    if (g_strcmp0 (self->practitioners[i], name) == 0)
      adw_combo_row_set_selected (self->practitioner_row, i + 1);
}

/* What the last session of the area used: usually the same again. */
static void
prefill_from_last_session (MesoSessionDialog *self)
{
  g_autoptr(GPtrArray) sessions = meso_store_list_sessions (self->store, self->patient_id, NULL);
  int value;

  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      MesoSession *last = g_ptr_array_index (sessions, i);
      g_autofree char *needle = NULL;

      if (meso_session_get_area (last) != chosen_area (self))
        continue;

      needle = meso_needle_format_number (meso_session_get_needle_um (last));
      gtk_editable_set_text (GTK_EDITABLE (self->needle_row), needle);
      adw_combo_row_set_selected (self->device_row, meso_session_get_device (last));
      if (meso_session_get_needle_count (last) > 0)
        {
          g_autofree char *count = g_strdup_printf ("%u", meso_session_get_needle_count (last));

          gtk_editable_set_text (GTK_EDITABLE (self->count_row), count);
        }
      if (meso_enum_from_nick (MESO_TYPE_NEEDLE_MATERIAL,
                               meso_session_get_needle_material (last), &value))
        adw_combo_row_set_selected (self->material_row, value + 1);
      meso_session_dialog_fill_choices (self, meso_session_get_indication (last));
      return;
    }
}

MesoSessionDialog *
meso_session_dialog_new (GtkWindow  *parent,
                         MesoStore  *store,
                         gint64      patient_id,
                         gint64      appointment_id,
                         GError    **error)
{
  MesoSessionDialog *self;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GtkStringList) names = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  patient = meso_store_get_patient (store, patient_id, error);
  if (patient == NULL)
    return NULL;
  if (appointment_id != 0)
    {
      appointment = meso_store_get_appointment (store, appointment_id, error);
      if (appointment == NULL)
        return NULL;
      if (!meso_store_check_fulfils (appointment, patient_id, -1, error))
        return NULL;
    }

  /* Owned by GTK, as every window is, until it is closed. */
  self = g_object_new (MESO_TYPE_SESSION_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  self->appointment_id = appointment_id;
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
    }
  adw_window_title_set_subtitle (self->window_title, meso_patient_get_name (patient));

  self->practitioners = meso_store_list_practitioners (store, NULL);
  if (self->practitioners == NULL)
    self->practitioners = g_new0 (char *, 1);
  names = gtk_string_list_new (NULL);
  /* Translators: the first choice of the practitioner drop-down: nobody chosen */
  gtk_string_list_append (names, _("Not noted"));
  for (guint i = 0; self->practitioners[i] != NULL; i++)
    gtk_string_list_append (names, self->practitioners[i]);
  adw_combo_row_set_model (self->practitioner_row, G_LIST_MODEL (names));

  if (appointment != NULL)
    {
      adw_combo_row_set_selected (self->area_row, meso_appointment_get_area (appointment));
      select_practitioner (self, meso_appointment_get_practitioner (appointment));
      at = g_date_time_ref (meso_appointment_get_start (appointment));
    }
  else
    at = meso_clock_now ();
  {
    g_autofree char *time_text = meso_format_time_short (at);
    GDate day;

    meso_date_from_date_time (at, &day);
    meso_date_field_set_date (GTK_WIDGET (self->date_row), &day);
    gtk_editable_set_text (GTK_EDITABLE (self->time_row), time_text);
  }

  meso_session_dialog_fill_choices (self, NULL);
  prefill_from_last_session (self);
  {
    /* The lot the clinic used last: usually the same box again. */
    g_autofree char *lot = meso_store_get_last_lot (store, NULL);

    if (lot != NULL)
      gtk_editable_set_text (GTK_EDITABLE (self->lot_row), lot);
  }
  {
    /* Attached after the last lot is filled in: no list offered for it. */
    g_autoptr(GPtrArray) lots = meso_store_list_lots (store, NULL);

    if (lots != NULL)
      meso_lot_picker_attach (GTK_WIDGET (self->lot_row), lots, NULL, NULL);
  }
  update_lot_expiry (self);
  meso_session_dialog_update (self);
  /* Typing starts at the first field, not on Cancel. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->date_row));

  return self;
}

GPtrArray *
meso_session_dialog_get_verdicts (MesoSessionDialog *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_DIALOG (self), NULL);

  return self->verdicts;
}

gint64
meso_session_dialog_get_session_id (MesoSessionDialog *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_DIALOG (self), 0);

  return self->session_id;
}

/* ------------------------------------------------------------------ action */

void
meso_session_dialog_record_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (window);
  g_autoptr(GError) error = NULL;
  MesoSessionDialog *dialog;
  MesoStore *store;
  gint64 patient_id = 0;
  gint64 appointment_id = 0;

  if (!g_variant_lookup (parameter, "patient-id", "x", &patient_id))
    {
      g_warning ("win.record-session needs a \"patient-id\"");
      return;
    }
  g_variant_lookup (parameter, "appointment-id", "x", &appointment_id);

  store = MESO_IS_APPLICATION (app) ? meso_application_get_store (MESO_APPLICATION (app), &error)
                                    : NULL;
  if (store == NULL)
    {
      /* The application has said so when it started. */
      return;
    }

  dialog = meso_session_dialog_new (window, store, patient_id, appointment_id, &error);
  if (dialog == NULL)
    {
      /* Translators: heading of the message when the record-a-session window cannot open */
      meso_application_show_error (window, _("The Session Cannot Be Recorded"), error->message);
      return;
    }
  meso_dialog_fit_parent (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
