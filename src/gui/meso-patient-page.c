/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-patient-page.h"

#include "meso-application.h"
#include "meso-consent-dialog.h"
#include "meso-date-field.h"
#include "meso-exchange.h"
#include "meso-photo-gallery.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

struct _MesoPatientPage
{
  AdwBin          parent_instance;

  MesoStore      *store;
  gint64          patient_id;
  gboolean        archived;

  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkLabel       *name_label;
  GtkWidget      *archived_tag;
  GtkButton      *record_button;
  GtkWidget      *set_flag_button;
  GtkButton      *book_button;
  GtkScrolledWindow *scroller;
  GtkListBox     *details_list;
  GtkListBox     *skin_list;
  GtkListBox     *flags_list;
  GtkListBox     *consents_list;
  GtkButton      *take_consent_button;
  GtkListBox     *sessions_list;
  GtkWidget      *photos_group;
  MesoPhotoGallery *photo_gallery;
  GtkListBox     *appointments_list;
  GtkListBox     *contacts_list;
  GtkPopover     *set_flag_popover;
  GtkWidget      *flag_kind_box;
  GtkCheckButton *flag_kinds[MESO_CONTRAINDICATION_SCAR_PRONE + 1];
  GtkEntry       *flag_noted_entry;
  GtkLabel       *set_flag_error;
  GtkButton      *archive_button;
  GtkWidget      *menu_button;

  /* A flag's Clear… or a consent's Revoke… form while a person sees it,
   * and whether a reload found it open (see on_flag_form_mapped_cb()); not
   * owned. */
  GtkWidget      *open_flag_form;
  gboolean        flags_stale;
  guint           refill_flags_idle;

  /* The record is read by a worker (meso_patient_page_reload()). */
  MesoWorkerStore *worker;
  GCancellable   *reading;         /* of the read in flight; NULL when none */
  gint64          shown_id;        /* whose record is shown; 0: none */
  guint           opening_source;  /* OPENING_GRACE_MS for another patient's */
};

G_DEFINE_FINAL_TYPE (MesoPatientPage, meso_patient_page, ADW_TYPE_BIN)

#define FLAG_KIND_KEY  "meso-flag-kind"
#define DATE_ENTRY_KEY "meso-date-entry"
#define ERROR_KEY      "meso-error-label"
#define REASON_KEY     "meso-reason-entry"
#define CONSENT_KEY    "meso-consent-id"

static void
list_box_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A row of plain text: names and notes may hold "&" or "<", which
 * libadwaita 1.2 would read as markup. */
static AdwActionRow *
text_row (GtkListBox *list,
          const char *title,
          const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_set_subtitle_lines (row, 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (list, GTK_WIDGET (row));
  return row;
}

/* The row a list shows while it has nothing to list. (GTK 4.8's list box
 * placeholder stays hidden inside a boxed list.) */
static void
empty_row (GtkListBox *list,
           const char *text)
{
  GtkWidget *label;

  if (gtk_widget_get_first_child (GTK_WIDGET (list)) != NULL)
    return;
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "meso-row");
  gtk_list_box_append (list, label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (label)), FALSE);
}

static GtkWidget *
line_label (GtkWidget  *box,
            const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static const char *
or_not_noted (const char *text)
{
  /* Translators: shown for a detail of a patient that nobody has entered */
  return text != NULL && text[0] != '\0' ? text : _("Not noted");
}

/* "15.03.1985 (41 years)": the age in whole years on @today. */
static char *
birth_date_text (const char  *iso,
                 const GDate *today)
{
  GDate born;
  g_autofree char *shown = NULL;
  int years;

  if (iso == NULL || !meso_date_parse (iso, &born, NULL))
    return g_strdup (or_not_noted (iso));

  shown = meso_format_date_short (&born);
  years = meso_age_years (&born, today);
  if (years < 0)
    return g_steal_pointer (&shown);

  /* Translators: a birth date, then the age in years */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d year)", "%s (%d years)",
                                       years), shown, years);
}

static const char *
contact_channel_label (const char *channel)
{
  if (g_strcmp0 (channel, "call") == 0)
    /* Translators: how a patient was contacted */
    return _("Phone call");
  if (g_strcmp0 (channel, "sms") == 0)
    /* Translators: how a patient was contacted */
    return _("Text message");
  if (g_strcmp0 (channel, "email") == 0)
    /* Translators: how a patient was contacted */
    return _("E-mail");
  if (g_strcmp0 (channel, "in-person") == 0)
    /* Translators: how a patient was contacted */
    return _("In person");
  return channel;
}

static void
show_error (MesoPatientPage *self,
            const char      *title,
            const char      *message)
{
  adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, message);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
show_nothing (MesoPatientPage *self)
{
  adw_status_page_set_icon_name (self->empty_page, "avatar-default-symbolic");
  /* Translators: shown beside the patient list while no patient is chosen */
  adw_status_page_set_title (self->empty_page, _("No Patient Selected"));
  /* Translators: shown below “No Patient Selected” */
  adw_status_page_set_description (self->empty_page,
                                   _("Choose a patient from the list, or add a new one "
                                     "with Ctrl+N."));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* A flat icon button at the end of @row that activates @action with
 * @target; @label is what a screen reader says and the tooltip. */
static void
row_add_button (AdwActionRow *row,
                const char   *icon_name,
                const char   *label,
                const char   *action,
                const char   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  adw_action_row_add_suffix (row, button);
}

/* tel: with the digits and a leading +; the spaces and brackets people
 * write are no part of RFC 3966's number. */
static char *
phone_uri (const char *phone)
{
  g_autoptr(GString) uri = g_string_new ("tel:");

  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p) || (*p == '+' && uri->len == 4))
      g_string_append_c (uri, *p);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* The phone and e-mail rows: the text, a button that opens it (a call, a
 * message) and one that copies it. */
static void
contact_row (MesoPatientPage *self,
             const char      *title,
             const char      *text,
             gboolean         is_phone)
{
  AdwActionRow *row = text_row (self->details_list, title, or_not_noted (text));
  g_autofree char *uri = NULL;
  g_autofree char *escaped = NULL;

  if (text == NULL || *text == '\0')
    return;
  if (is_phone)
    {
      uri = phone_uri (text);
      /* Translators: a button beside a patient's phone number; what a screen
       * reader says and its tooltip */
      row_add_button (row, "call-start-symbolic", _("Call This Number"), "page.open-uri", uri);
      /* Translators: a button beside a patient's phone number */
      row_add_button (row, "edit-copy-symbolic", _("Copy Phone Number"), "page.copy", text);
    }
  else
    {
      escaped = g_uri_escape_string (text, "@!$&'*+,;=", FALSE);
      uri = g_strconcat ("mailto:", escaped, NULL);
      /* Translators: a button beside a patient's e-mail address */
      row_add_button (row, "mail-message-new-symbolic", _("Write E-mail"), "page.open-uri", uri);
      /* Translators: a button beside a patient's e-mail address */
      row_add_button (row, "edit-copy-symbolic", _("Copy E-mail Address"), "page.copy", text);
    }
}

static void
meso_patient_page_contact_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  const char *text = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "page.copy"))
    meso_widget_copy_text (widget, text);
  else
    meso_widget_open_uri (widget, text);
}

static void
fill_details (MesoPatientPage *self,
              MesoPatient     *patient,
              const GDate     *today)
{
  g_autofree char *born = birth_date_text (meso_patient_get_birth_date (patient), today);

  list_box_clear (self->details_list);
  /* Translators: a row title on a patient's page */
  text_row (self->details_list, _("Birth date"), born);
  /* Translators: a row title on a patient's page */
  contact_row (self, _("Phone"), meso_patient_get_phone (patient), TRUE);
  /* Translators: a row title on a patient's page */
  contact_row (self, _("E-mail"), meso_patient_get_email (patient), FALSE);
  /* Translators: a row title on a patient's page */
  text_row (self->details_list, _("Notes"), or_not_noted (meso_patient_get_notes (patient)));
}

static void
fill_skin_profile (MesoPatientPage *self,
                   MesoPatient     *patient,
                   const MesoPolicy *policy,
                   MesoSession     *latest,
                   const GDate     *today)
{
  gboolean sensitive = meso_patient_get_sensitive_skin (patient);
  guint min_days = meso_policy_min_days (policy, sensitive);
  guint max_days = meso_policy_max_days (policy, sensitive);
  g_autofree char *interval = NULL;
  AdwActionRow *row;

  list_box_clear (self->skin_list);

  if (sensitive)
    interval = g_strdup_printf (
      /* Translators: the interval rule for sensitive skin; %u are day counts */
      _("Yes: sessions on one area at least %u days apart, ideally %u–%u days."),
      min_days, min_days, max_days);
  else
    interval = g_strdup_printf (
      /* Translators: the interval rule for normal skin; %u are day counts */
      _("No: sessions on one area at least %u days apart, ideally %u–%u days."),
      min_days, min_days, max_days);
  /* Translators: a row title on a patient's page */
  row = text_row (self->skin_list, _("Sensitive skin"), interval);
  if (sensitive)
    adw_action_row_set_icon_name (row, "dialog-information-symbolic");

  if (latest != NULL)
    {
      g_autofree char *at = meso_format_date_time_short (meso_session_get_at (latest));
      g_autofree char *title = NULL;
      g_autofree char *healing = NULL;
      MesoHealingPhase phase;
      int day_number;

      if (meso_rules_healing_phase (meso_session_get_at (latest), today, &phase, &day_number))
        healing = meso_rules_healing_describe (phase, day_number);
      /* Translators: a row title: the treated area and the time of the latest session */
      title = g_strdup_printf (_("Healing after the latest session (%s, %s)"),
                               meso_area_get_label (meso_session_get_area (latest)), at);
      row = text_row (self->skin_list, title, healing);
      gtk_widget_add_css_class (GTK_WIDGET (row), "meso-healing");
    }
}

/* After a dated form's confirm (dated_form()): @error under it, or the
 * form closed and the page shown anew. */
static void
dated_form_done (MesoPatientPage *self,
                 GtkButton       *button,
                 const GError    *error)
{
  GtkLabel *error_label = g_object_get_data (G_OBJECT (button), ERROR_KEY);

  if (error != NULL)
    {
      gtk_label_set_text (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                             GTK_TYPE_POPOVER)));
  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
  meso_patient_page_reload (self);
}

static void
on_clear_flag_confirm_cb (GtkButton       *button,
                          MesoPatientPage *self)
{
  GtkEntry *entry = g_object_get_data (G_OBJECT (button), DATE_ENTRY_KEY);
  MesoContraindication kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button),
                                                                  FLAG_KIND_KEY));
  g_autoptr(GError) error = NULL;
  GDate day;

  if (!meso_date_field_get_date (GTK_WIDGET (entry), &day, &error) ||
      !meso_store_clear_flag (self->store, self->patient_id, kind, &day, &error))
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  dated_form_done (self, button, error);
}

static void
set_today (GtkWidget *date_field)
{
  GDate today;

  meso_clock_today (&today);
  meso_date_field_set_date (date_field, &today);
}

/* A reload rebuilds the flags' rows, and each row's Clear… form with them.
 * While a person fills one in, the flags wait until it closes: a reload
 * then (the idle store-changed after this desk's own write, another
 * desk's write seen by the poll) would take the form away, and a date
 * typed a moment before with it. */
static void
on_flag_form_mapped_cb (GtkWidget       *popover,
                        MesoPatientPage *self)
{
  self->open_flag_form = popover;
}

static gboolean
refill_flags_cb (gpointer user_data)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (user_data);

  self->refill_flags_idle = 0;
  meso_patient_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* Not from here: the popover is being unmapped, and the reload destroys it.
 * Nor while the page is disposed (patient_id is 0 by then): the idle would
 * outlive it. */
static void
on_flag_form_unmapped_cb (GtkWidget       *popover,
                          MesoPatientPage *self)
{
  if (self->open_flag_form != popover)
    return;
  self->open_flag_form = NULL;
  if (self->flags_stale && self->patient_id > 0 && self->refill_flags_idle == 0)
    self->refill_flags_idle = g_idle_add (refill_flags_cb, self);
}

/* Another patient, or another store: an open form belongs to the old one. */
static void
close_flag_form (MesoPatientPage *self)
{
  if (self->open_flag_form != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->open_flag_form));
  self->open_flag_form = NULL;
}

/* A dated form in a popover under @menu_button: a date field (today unless
 * changed, screen reader name @date_label), @extra if given, an error line
 * and @confirm, which finds the field and the error line by DATE_ENTRY_KEY
 * and ERROR_KEY. A reload waits while it is open (on_flag_form_mapped_cb()). */
static void
dated_form (MesoPatientPage *self,
            GtkWidget       *menu_button,
            const char      *date_label,
            GtkWidget       *extra,
            GtkWidget       *confirm,
            GCallback        confirmed)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *entry_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *error_label = gtk_label_new (NULL);

  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  set_today (entry);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_box_append (GTK_BOX (entry_box), entry);
  meso_date_field_add_calendar (entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  date_label, -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error_label), 30);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_widget_add_css_class (confirm, "destructive-action");
  g_object_set_data (G_OBJECT (confirm), DATE_ENTRY_KEY, entry);
  g_object_set_data (G_OBJECT (confirm), ERROR_KEY, error_label);
  g_signal_connect (confirm, "clicked", confirmed, self);

  gtk_box_append (GTK_BOX (box), entry_box);
  if (extra != NULL)
    gtk_box_append (GTK_BOX (box), extra);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), confirm);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_default_widget (GTK_POPOVER (popover), confirm);
  g_signal_connect (popover, "map", G_CALLBACK (on_flag_form_mapped_cb), self);
  g_signal_connect (popover, "unmap", G_CALLBACK (on_flag_form_unmapped_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
}

/* "Clear…": a date (today unless changed) and a button. */
static GtkWidget *
clear_flag_button (MesoPatientPage      *self,
                   MesoContraindication  kind)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *confirm = gtk_button_new_with_label (_("Clear Flag"));
  g_autofree char *name = NULL;

  /* Translators: button on an active contraindication that opens a form to clear it */
  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Clear…"));
  /* Translators: what a screen reader says for the button that clears a contraindication;
   * %s is its name, e.g. “Active acne” */
  name = g_strdup_printf (_("Clear %s"), meso_contraindication_get_label (kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  meso_widget_permit (menu_button, self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of a contraindication's Clear for a receptionist */
                      _("Only clinicians can clear contraindication flags"));
  g_object_set_data (G_OBJECT (confirm), FLAG_KIND_KEY, GINT_TO_POINTER (kind));
  dated_form (self, menu_button,
              /* Translators: the date a contraindication cleared up */
              _("Cleared on"), NULL, confirm, G_CALLBACK (on_clear_flag_confirm_cb));
  return menu_button;
}

static void
fill_flags (MesoPatientPage *self,
            GArray          *flags,
            const GDate     *today)
{
  list_box_clear (self->flags_list);

  /* Newest first, as the other lists of the page. */
  for (guint i = flags->len; i-- > 0;)
    {
      const MesoFlag *flag = &g_array_index (flags, MesoFlag, i);
      g_autofree char *noted = meso_format_date_short (&flag->noted_on);
      g_autofree char *subtitle = NULL;
      AdwActionRow *row;

      if (g_date_valid (&flag->cleared_on))
        {
          g_autofree char *cleared = meso_format_date_short (&flag->cleared_on);

          /* Translators: when a contraindication was noted and when it cleared up */
          subtitle = g_strdup_printf (_("Noted %s, cleared %s"), noted, cleared);
        }
      else if (meso_flag_is_active_on (flag, today))
        /* Translators: when a contraindication was noted; it still applies */
        subtitle = g_strdup_printf (_("Noted %s, active"), noted);
      else
        /* Translators: a contraindication noted for a later day */
        subtitle = g_strdup_printf (_("Noted %s, not active yet"), noted);

      row = text_row (self->flags_list, meso_contraindication_get_label (flag->kind), subtitle);
      if (!g_date_valid (&flag->cleared_on))
        {
          adw_action_row_set_icon_name (row, "dialog-warning-symbolic");
          gtk_widget_add_css_class (GTK_WIDGET (row), "meso-flag-open");
          adw_action_row_add_suffix (row, clear_flag_button (self, flag->kind));
        }
    }
  /* Translators: shown in a patient's contraindications while there are none */
  empty_row (self->flags_list, _("No contraindications noted."));
}

/* ---------------------------------------------------------------- consents */

static void
on_revoke_consent_confirm_cb (GtkButton       *button,
                              MesoPatientPage *self)
{
  GtkEntry *entry = g_object_get_data (G_OBJECT (button), DATE_ENTRY_KEY);
  GtkEntry *reason = g_object_get_data (G_OBJECT (button), REASON_KEY);
  gint64 *id = g_object_get_data (G_OBJECT (button), CONSENT_KEY);
  g_autoptr(GError) error = NULL;
  GDate day;

  if (meso_date_field_get_date (GTK_WIDGET (entry), &day, &error))
    meso_store_revoke_consent (self->store, *id, &day,
                               gtk_editable_get_text (GTK_EDITABLE (reason)), &error);
  dated_form_done (self, button, error);
}

/* "Revoke…": the day (today unless changed), the reason, and a button. A
 * signed consent is never edited: this is all that changes it. */
static GtkWidget *
revoke_consent_button (MesoPatientPage   *self,
                       const MesoConsent *consent)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *reason = gtk_entry_new ();
  /* Translators: confirms revoking a patient's consent */
  GtkWidget *confirm = gtk_button_new_with_label (_("Revoke Consent"));
  gint64 *id = g_new (gint64, 1);

  *id = consent->id;
  /* Translators: button on a valid consent that opens a form to revoke it */
  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("Revoke…"));
  meso_widget_permit (menu_button, self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of a consent's Revoke for a receptionist */
                      _("Only clinicians can revoke a consent"));
  /* Translators: placeholder of why a consent is revoked */
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: why a consent is revoked */
                                  _("Reason for revoking"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (reason), TRUE);
  g_object_set_data (G_OBJECT (confirm), REASON_KEY, reason);
  g_object_set_data_full (G_OBJECT (confirm), CONSENT_KEY, id, g_free);
  dated_form (self, menu_button,
              /* Translators: the day a consent is revoked from */
              _("Revoked on"), reason, confirm, G_CALLBACK (on_revoke_consent_confirm_cb));
  return menu_button;
}

/* The signature as it was signed, in a popover. */
static GtkWidget *
signature_button (GBytes *png)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, NULL);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "image-x-generic-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: tooltip and screen reader name of the button showing a consent's signature */
  gtk_widget_set_tooltip_text (button, _("Show Signature"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show Signature"), -1);
  gtk_widget_set_size_request (picture, 300, 100);
  /* Translators: what a screen reader says for the image of a patient's signature */
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), _("The patient’s signature"));
  gtk_widget_add_css_class (picture, "meso-signature");
  gtk_popover_set_child (GTK_POPOVER (popover), picture);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
fill_consents (MesoPatientPage *self,
               GPtrArray       *consents)
{
  list_box_clear (self->consents_list);

  for (guint i = 0; i < consents->len; i++)
    {
      const MesoConsent *consent = g_ptr_array_index (consents, i);
      g_autofree char *signed_on = meso_format_date_short (&consent->signed_on);
      g_autofree char *title = NULL;
      g_autoptr(GString) detail = g_string_new (NULL);
      gboolean revoked = g_date_valid (&consent->revoked_on);
      AdwActionRow *row;

      /* Translators: a consent on a patient's page: the form's name, its language and
       * the version of its text signed, e.g. “Microneedling · Deutsch · version 2” */
      title = g_strdup_printf (_("%s · %s · version %lld"),
                               meso_consent_form_label (consent->form),
                               meso_consent_language_name (consent->language),
                               (long long)consent->version);
      if (consent->method == MESO_CONSENT_ON_PAPER)
        /* Translators: when a consent was signed on paper, and who took it */
        g_string_append_printf (detail, _("Signed on paper %s, taken by %s"), signed_on,
                                consent->taken_by);
      else
        /* Translators: when a consent was signed on screen, and who took it */
        g_string_append_printf (detail, _("Signed on screen %s, taken by %s"), signed_on,
                                consent->taken_by);
      if (revoked)
        {
          g_autofree char *revoked_on = meso_format_date_short (&consent->revoked_on);

          g_string_append (detail, "\n");
          /* Translators: when a consent was revoked, and why */
          g_string_append_printf (detail, _("Revoked %s: %s"), revoked_on,
                                  consent->revoke_reason != NULL ? consent->revoke_reason : "");
        }

      row = text_row (self->consents_list, title, detail->str);
      adw_action_row_set_icon_name (row, revoked ? "action-unavailable-symbolic"
                                                 : "emblem-ok-symbolic");
      if (consent->signature != NULL)
        adw_action_row_add_suffix (row, signature_button (consent->signature));
      if (!revoked)
        adw_action_row_add_suffix (row, revoke_consent_button (self, consent));
    }
  /* Translators: shown in a patient's consents while none is on file */
  empty_row (self->consents_list, _("No consent on file."));
}

static void
on_consent_saved_cb (MesoPatientPage *self)
{
  meso_patient_page_reload (self);
}

static void
on_take_consent_clicked_cb (MesoPatientPage *self)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  g_autoptr(GError) error = NULL;
  MesoConsentDialog *dialog;

  dialog = meso_consent_dialog_new (window, self->store, self->patient_id, NULL, &error);
  if (dialog == NULL)
    {
      /* Translators: heading of the message when the Take Consent window cannot open */
      meso_application_show_error (window, _("The Consent Cannot Be Taken"), error->message);
      return;
    }
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_consent_saved_cb), self,
                           G_CONNECT_SWAPPED);
  meso_dialog_fit_parent (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_print_clicked_cb (GtkButton       *button,
                     MesoPatientPage *self)
{
  gint64 *session_id = g_object_get_data (G_OBJECT (button), "meso-session-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "win.print-aftercare-sheet", "x", *session_id);
}

static void
on_add_photos_clicked_cb (GtkButton       *button,
                          MesoPatientPage *self)
{
  gint64 *session_id = g_object_get_data (G_OBJECT (button), "meso-session-id");
  MesoArea area = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "meso-area"));

  meso_photo_gallery_add_photos (self->photo_gallery, *session_id, area, NULL);
}

static GtkWidget *
session_row (MesoPatientPage *self,
             MesoSession     *session,
             const char      *healing)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *print = gtk_button_new_from_icon_name ("document-print-symbolic");
  g_autofree char *at = meso_format_date_time_short (meso_session_get_at (session));
  g_autofree char *needle = meso_needle_format_mm (meso_session_get_needle_um (session));
  g_autofree char *title = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  const char *practitioner = meso_session_get_practitioner (session);
  const char *lot = meso_session_get_lot (session);
  const char *reason = meso_session_get_override_reason (session);
  gint64 *id = g_new (gint64, 1);

  /* Translators: a session's time and the treated area */
  title = g_strdup_printf (_("%s · %s"), at, meso_area_get_label (meso_session_get_area (session)));
  /* Translators: the device used and its needle length, e.g. “Pen, 1.0 mm” */
  g_string_append_printf (detail, _("%s, %s"),
                          meso_device_get_label (meso_session_get_device (session)), needle);
  if (practitioner != NULL)
    /* Translators: who treated, appended to a session's details */
    g_string_append_printf (detail, _(" · by %s"), practitioner);
  if (lot != NULL)
    /* Translators: the product batch used, appended to a session's details */
    g_string_append_printf (detail, _(" · lot %s"), lot);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (outer, "meso-row");
  gtk_widget_set_hexpand (lines, TRUE);
  line_label (lines, title, "heading");
  line_label (lines, detail->str, "dim-label");
  if (reason != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: shown on a session recorded closer to the previous one than the
       * interval rule allows; %s is the clinician's written reason */
      text = g_strdup_printf (_("⚠ Interval overridden: %s"), reason);
      line_label (lines, text, "warning");
    }
  if (meso_session_get_caution_confirmed (session))
    /* Translators: shown on a session of a patient with a scar tendency */
    line_label (lines, _("⚠ Scar tendency: caution confirmed"), "warning");
  if (healing != NULL)
    /* Not blue: the accent colour on text reads as a link, and this is none. */
    line_label (lines, healing, "meso-healing");

  gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (print, "flat");
  /* Translators: tooltip of the button that prints what to do after a session */
  gtk_widget_set_tooltip_text (print, _("Print Aftercare Sheet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (print), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Print Aftercare Sheet"), -1);
  *id = meso_session_get_id (session);
  g_object_set_data_full (G_OBJECT (print), "meso-session-id", id, g_free);
  g_signal_connect (print, "clicked", G_CALLBACK (on_print_clicked_cb), self);

  gtk_box_append (GTK_BOX (outer), lines);
  if (meso_store_may (self->store, MESO_PERMISSION_TREAT))
    {
      GtkWidget *photos = gtk_button_new_from_icon_name ("camera-photo-symbolic");

      gtk_widget_set_valign (photos, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (photos, "flat");
      /* Translators: tooltip of a session's button that adds before/after photos to it */
      gtk_widget_set_tooltip_text (photos, _("Add Photos…"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (photos), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Add Photos…"), -1);
      g_object_set_data (G_OBJECT (photos), "meso-session-id", id);
      g_object_set_data (G_OBJECT (photos), "meso-area",
                         GINT_TO_POINTER (meso_session_get_area (session)));
      g_signal_connect (photos, "clicked", G_CALLBACK (on_add_photos_clicked_cb), self);
      gtk_box_append (GTK_BOX (outer), photos);
      /* Image files dropped on the session are its photos. */
      meso_photo_gallery_accept_drops (self->photo_gallery, row, *id,
                                       meso_session_get_area (session));
    }
  gtk_box_append (GTK_BOX (outer), print);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), outer);
  return row;
}

static void
fill_sessions (MesoPatientPage *self,
               GPtrArray       *sessions,
               const GDate     *today)
{
  list_box_clear (self->sessions_list);

  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);
      g_autofree char *healing = NULL;
      MesoHealingPhase phase;
      int day_number;

      /* The store lists the newest first: the healing phase is the latest one's. */
      if (i == 0 &&
          meso_rules_healing_phase (meso_session_get_at (session), today, &phase, &day_number))
        healing = meso_rules_healing_describe (phase, day_number);
      gtk_list_box_append (self->sessions_list, session_row (self, session, healing));
    }
  /* Translators: shown in a patient's sessions while there are none */
  empty_row (self->sessions_list, _("No sessions recorded yet."));
}

static void
fill_appointments (MesoPatientPage *self,
                   GPtrArray       *appointments,
                   GDateTime       *now)
{
  list_box_clear (self->appointments_list);

  for (guint i = 0; i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
      g_autofree char *at = NULL;
      g_autofree char *title = NULL;
      g_autoptr(GString) detail = NULL;
      const char *practitioner = meso_appointment_get_practitioner (appointment);
      const char *room = meso_appointment_get_room (appointment);

      if (!meso_appointment_is_active (appointment) || end == NULL ||
          g_date_time_compare (end, now) < 0)
        continue;

      at = meso_format_date_time_short (meso_appointment_get_start (appointment));
      /* Translators: an appointment's time and the area to treat */
      title = g_strdup_printf (_("%s · %s"), at,
                               meso_area_get_label (meso_appointment_get_area (appointment)));
      detail = g_string_new (meso_appointment_status_get_label (
                               meso_appointment_get_status (appointment)));
      if (practitioner != NULL)
        g_string_append_printf (detail, _(" · by %s"), practitioner);
      if (room != NULL)
        /* Translators: where an appointment takes place, appended to its details */
        g_string_append_printf (detail, _(" · room %s"), room);
      text_row (self->appointments_list, title, detail->str);
    }
  /* Translators: shown in a patient's appointments while none is booked */
  empty_row (self->appointments_list, _("No appointments booked."));
}

static void
fill_contacts (MesoPatientPage *self,
               GPtrArray       *contacts)
{
  list_box_clear (self->contacts_list);

  for (guint i = 0; i < contacts->len; i++)
    {
      MesoContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *at = meso_format_date_time_short (contact->at);
      g_autofree char *title = NULL;
      g_autoptr(GString) detail = g_string_new (NULL);

      /* Translators: when a patient was contacted and how */
      title = g_strdup_printf (_("%s · %s"), at, contact_channel_label (contact->channel));
      if (contact->outcome != NULL)
        g_string_append (detail, contact->outcome);
      if (contact->note != NULL)
        {
          if (detail->len > 0)
            g_string_append (detail, " · ");
          g_string_append (detail, contact->note);
        }
      text_row (self->contacts_list, title, detail->len > 0 ? detail->str : NULL);
    }
  /* Translators: shown in a patient's contact attempts while there are none */
  empty_row (self->contacts_list, _("No contact attempts."));
}

/* ---------------------------------------------------------------- loading */

/* Everything the page shows of a patient, read in one go by a worker. */
typedef struct
{
  MesoPatient *patient;
  GArray      *flags;
  GPtrArray   *sessions;
  GPtrArray   *appointments;
  GPtrArray   *contacts;
  GPtrArray   *consents;
  MesoPolicy   policy;
} PageRead;

static void
page_read_free (PageRead *read)
{
  g_clear_object (&read->patient);
  g_clear_pointer (&read->flags, g_array_unref);
  g_clear_pointer (&read->sessions, g_ptr_array_unref);
  g_clear_pointer (&read->appointments, g_ptr_array_unref);
  g_clear_pointer (&read->contacts, g_ptr_array_unref);
  g_clear_pointer (&read->consents, g_ptr_array_unref);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageRead, page_read_free)

/* Seven statements, one after another: on a clinic server that is seven
 * round trips, so not on the main thread. */
static gpointer
read_patient_locked (MesoStore     *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gint64 patient_id = *(gint64 *)data;
  g_autoptr(PageRead) read = g_new0 (PageRead, 1);

  read->policy = *meso_policy_get_default ();
  read->patient = meso_store_get_patient (store, patient_id, error);
  if (read->patient == NULL ||
      (read->flags = meso_store_list_flags (store, patient_id, error)) == NULL ||
      (read->sessions = meso_store_list_sessions (store, patient_id, error)) == NULL ||
      (read->appointments = meso_store_list_patient_appointments (store, patient_id,
                                                                  error)) == NULL ||
      (read->contacts = meso_store_list_contacts (store, patient_id, error)) == NULL ||
      (read->consents = meso_store_list_consents (store, patient_id, error)) == NULL ||
      !meso_store_load_policy (store, &read->policy, error))
    return NULL;
  return g_steal_pointer (&read);
}

/* Fills the page with @read, the record of the patient chosen. */
static void
show_patient (MesoPatientPage *self,
              PageRead        *read)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  GDate today;

  meso_date_from_date_time (now, &today);
  self->archived = meso_patient_get_archived (read->patient);

  gtk_label_set_text (self->name_label, meso_patient_get_name (read->patient));
  gtk_widget_set_visible (self->archived_tag, self->archived);
  gtk_button_set_label (self->archive_button,
                        /* Translators: buttons on a patient's page: hide the record from the
                         * list (history is kept), and bring it back */
                        self->archived ? _("Restore Patient") : _("Archive Patient"));

  fill_details (self, read->patient, &today);
  fill_skin_profile (self, read->patient, &read->policy,
                     read->sessions->len > 0 ? g_ptr_array_index (read->sessions, 0) : NULL,
                     &today);
  self->flags_stale = self->open_flag_form != NULL;
  if (!self->flags_stale)
    {
      g_clear_handle_id (&self->refill_flags_idle, g_source_remove);
      fill_flags (self, read->flags, &today);
      fill_consents (self, read->consents);
    }
  fill_sessions (self, read->sessions, &today);
  /* Photos are a clinician's (the store refuses them to a receptionist). */
  gtk_widget_set_visible (self->photos_group, meso_store_may (self->store, MESO_PERMISSION_TREAT));
  if (gtk_widget_get_visible (self->photos_group))
    meso_photo_gallery_load (self->photo_gallery, self->store, self->patient_id);
  fill_appointments (self, read->appointments, now);
  fill_contacts (self, read->contacts);
  meso_widget_permit (GTK_WIDGET (self->record_button), self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of Record Session for a receptionist */
                      _("Only clinicians can record sessions"));
  meso_widget_permit (GTK_WIDGET (self->take_consent_button), self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of Take Consent for a receptionist */
                      _("Only clinicians can take a consent"));
  meso_widget_permit (GTK_WIDGET (self->set_flag_button), self->store, MESO_PERMISSION_TREAT,
                      /* Translators: tooltip of the contraindication button for a receptionist */
                      _("Only clinicians can set contraindication flags"));
  /* Export is the menu's only item: while it is refused, so is the menu. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-data",
                                 meso_store_may (self->store, MESO_PERMISSION_MANAGE));
  meso_widget_permit (self->menu_button, self->store, MESO_PERMISSION_MANAGE,
                      /* Translators: tooltip of a patient's menu for anyone but a manager */
                      _("Only managers can export a patient’s data"));

  gtk_stack_set_visible_child_name (self->stack, "patient");
}

/* The read in flight is not wanted any more (another patient, another
 * store, the page closed): its answer is dropped. */
static void
stop_reading (MesoPatientPage *self)
{
  g_clear_handle_id (&self->opening_source, g_source_remove);
  if (self->reading != NULL)
    {
      g_cancellable_cancel (self->reading);
      g_clear_object (&self->reading);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
}

/* Another patient's record takes longer than OPENING_GRACE_MS: the
 * previous one, greyed out until now, makes way for a note that it is on
 * its way. */
#define OPENING_GRACE_MS 150

static gboolean
opening_grace_over_cb (gpointer data)
{
  MesoPatientPage *self = data;

  self->opening_source = 0;
  adw_status_page_set_icon_name (self->empty_page, "avatar-default-symbolic");
  /* Translators: shown beside the patient list while a chosen patient's record is read (from a
   * clinic server, perhaps a slow one) */
  adw_status_page_set_title (self->empty_page, _("Opening the Patient’s Record…"));
  adw_status_page_set_description (self->empty_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), TRUE);
  return G_SOURCE_REMOVE;
}

static void
read_patient_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MesoPatientPage *self = user_data;  /* not held: see meso_patient_page_reload() */
  g_autoptr(PageRead) read = NULL;
  g_autoptr(GError) error = NULL;

  read = g_task_propagate_pointer (G_TASK (result), &error);
  /* Another read started since, or the page closed: @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  stop_reading (self);

  if (read == NULL)
    {
      self->shown_id = 0;
      if (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND))
        /* Translators: shown when the chosen patient's record no longer exists */
        show_error (self, _("Patient Not Found"), error->message);
      else
        /* Translators: shown when a patient's record could not be read */
        show_error (self, _("The Patient Cannot Be Shown"), error->message);
    }
  else
    {
      self->shown_id = self->patient_id;
      show_patient (self, read);
    }
}

/* The record is read by a worker, on its own connection, and shown when it
 * arrives. The same patient's page stays as it is meanwhile (a reload after
 * a write, here or at another desk). Another patient's does not stay
 * usable: the previous record is greyed out, then after
 * OPENING_GRACE_MS makes way for a note, so nothing on it is acted on for
 * the patient now chosen. */
void
meso_patient_page_reload (MesoPatientPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));

  stop_reading (self);
  if (self->store == NULL || self->patient_id <= 0)
    {
      self->shown_id = 0;
      show_nothing (self);
      return;
    }

  if (self->shown_id != self->patient_id)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->stack), FALSE);
      self->opening_source = g_timeout_add (OPENING_GRACE_MS, opening_grace_over_cb, self);
    }
  if (self->worker == NULL)
    self->worker = meso_worker_store_new (meso_store_get_path (self->store));
  self->reading = g_cancellable_new ();
  /* Not the task's source object: a closed page goes at once, its dispose
   * cancels the read. */
  task = g_task_new (NULL, self->reading, read_patient_done_cb, self);
  g_task_set_source_tag (task, meso_patient_page_reload);
  g_task_set_task_data (task, g_memdup2 (&self->patient_id, sizeof self->patient_id), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  meso_worker_store_run_in_thread (self->worker, task, read_patient_locked,
                                   (GDestroyNotify) page_read_free);
}

gboolean
meso_patient_page_get_loading (MesoPatientPage *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_PAGE (self), FALSE);

  return self->reading != NULL;
}

static GVariant *
patient_parameter (MesoPatientPage *self)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "patient-id", "x", self->patient_id);
  return g_variant_dict_end (&dict);
}

static void
on_record_clicked_cb (MesoPatientPage *self)
{
  meso_widget_activate_action (GTK_WIDGET (self), "win.record-session",
                                      patient_parameter (self));
}

static void
on_book_clicked_cb (MesoPatientPage *self)
{
  meso_widget_activate_action (GTK_WIDGET (self), "win.book", patient_parameter (self));
}

static void
on_edit_clicked_cb (MesoPatientPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-patient", "x", self->patient_id);
}

static void
on_set_flag_popover_shown_cb (MesoPatientPage *self)
{
  set_today (GTK_WIDGET (self->flag_noted_entry));
  gtk_widget_remove_css_class (GTK_WIDGET (self->flag_noted_entry), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->set_flag_error), FALSE);
}

static void
on_set_flag_confirm_cb (MesoPatientPage *self)
{
  g_autoptr(GError) error = NULL;
  MesoContraindication kind = 0;
  GDate day;

  for (guint i = 0; i < G_N_ELEMENTS (self->flag_kinds); i++)
    if (gtk_check_button_get_active (self->flag_kinds[i]))
      kind = i;

  if (!meso_date_field_get_date (GTK_WIDGET (self->flag_noted_entry), &day, &error) ||
      !meso_store_set_flag (self->store, self->patient_id, kind, &day, &error))
    {
      gtk_label_set_text (self->set_flag_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->set_flag_error), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->flag_noted_entry), "error");
      return;
    }

  gtk_popover_popdown (self->set_flag_popover);
  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
  meso_patient_page_reload (self);
}

typedef struct
{
  MesoStore *store;
  gint64     patient_id;
  gboolean   archived;
} UndoArchive;

static void
undo_archive_free (gpointer data)
{
  UndoArchive *undo = data;

  g_clear_object (&undo->store);
  g_free (undo);
}

/* The toast outlives the page if need be: it keeps what it needs. */
static void
on_undo_archive_cb (AdwToast    *toast,
                    UndoArchive *undo)
{
  g_autoptr(GError) error = NULL;

  if (!meso_store_set_patient_archived (undo->store, undo->patient_id, !undo->archived, &error))
    {
      g_warning ("Undoing an archive failed: %s", error->message);
      return;
    }
  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
}

static void
on_archive_clicked_cb (MesoPatientPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean archive = !self->archived;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwToast *toast;
  UndoArchive *undo;

  if (!meso_store_set_patient_archived (self->store, self->patient_id, archive, &error))
    {
      toast = adw_toast_new (error->message);
      if (MESO_IS_WINDOW (root))
        meso_window_add_toast (MESO_WINDOW (root), toast);
      else
        g_object_unref (g_object_ref_sink (toast));
      return;
    }

  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
  meso_patient_page_reload (self);

  /* Translators: shown after archiving a patient, with an Undo button */
  toast = adw_toast_new (archive ? _("Patient archived")
                                 /* Translators: shown after restoring an archived patient */
                                 : _("Patient restored"));
  /* Translators: the button on the “Patient archived” message */
  adw_toast_set_button_label (toast, _("_Undo"));
  undo = g_new0 (UndoArchive, 1);
  undo->store = g_object_ref (self->store);
  undo->patient_id = self->patient_id;
  undo->archived = archive;
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_archive_cb), undo,
                         (GClosureNotify) (void (*) (void)) undo_archive_free, 0);
  if (MESO_IS_WINDOW (root))
    meso_window_add_toast (MESO_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
on_store_changed_cb (MesoPatientPage *self)
{
  if (self->patient_id > 0)
    meso_patient_page_reload (self);
}

/* ------------------------------------------------------- the own copy */

typedef struct
{
  char   *database;
  gint64  patient_id;
  char   *path;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->database);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = meso_worker_open_store (job->database, &error);
  if (store == NULL ||
      !meso_exchange_export_patient (store, job->patient_id, job->path, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
meso_patient_page_export_async (MesoPatientPage     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_patient_page_export_async);
  if (self->store == NULL || self->patient_id <= 0 || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               /* Translators: the patient's export could not start */
                               _("Only a local file can be written, with a patient shown."));
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->database = g_strdup (meso_store_get_path (self->store));
  job->patient_id = self->patient_id;
  job->path = g_file_get_path (file);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
meso_patient_page_export_finish (MesoPatientPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (source);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;

  if (!meso_patient_page_export_finish (self, result, &error))
    meso_application_show_error (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 /* Translators: heading of the message shown when a
                                  * patient's data could not be exported */
                                 _("The Patient’s Data Was Not Exported"), error->message);
  else if (MESO_IS_WINDOW (root))
    /* Translators: a toast after a patient's data was written to a file */
    meso_window_add_toast (MESO_WINDOW (root), adw_toast_new (_("Patient’s data exported")));
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       MesoPatientPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    meso_patient_page_export_async (self, file, NULL, export_done_cb, NULL);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
meso_patient_page_export_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->store == NULL || self->patient_id <= 0)
    return;
  /* Translators: the suggested name of a patient's exported data; %lld is their number */
  name = g_strdup_printf (_("patient-%lld.json"), (long long)self->patient_id);
  chooser = gtk_file_chooser_native_new (/* Translators: title of the file chooser of a
                                          * patient's export */
                                         _("Export Patient’s Data"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         /* Translators: the export file chooser's button */
                                         _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Translators: the file type in the patient export's file chooser */
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
meso_patient_page_dispose (GObject *object)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (object);

  /* A store-changed between dispose and finalize finds nothing to fill. */
  g_clear_object (&self->store);
  self->patient_id = 0;
  g_clear_handle_id (&self->refill_flags_idle, g_source_remove);
  g_clear_handle_id (&self->opening_source, g_source_remove);
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  if (g_application_get_default () != NULL)
    g_signal_handlers_disconnect_by_data (g_application_get_default (), self);
  /* The stack is both AdwBin's child and a template child: let the bin drop
   * it first, or AdwBin 1.2 unparents it again once the template freed it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PATIENT_PAGE);

  G_OBJECT_CLASS (meso_patient_page_parent_class)->dispose (object);
}

static void
meso_patient_page_class_init (MesoPatientPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_patient_page_dispose;

  meso_application_ensure_resources ();
  g_type_ensure (MESO_TYPE_PHOTO_GALLERY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-patient-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, set_flag_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, book_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, archived_tag);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, details_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, skin_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, flags_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, photos_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, photo_gallery);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, appointments_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, consents_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, take_consent_button);
  gtk_widget_class_bind_template_callback (widget_class, on_take_consent_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, set_flag_popover);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, flag_kind_box);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, flag_noted_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, set_flag_error);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, menu_button);
  gtk_widget_class_install_action (widget_class, "page.copy", "s",
                                   meso_patient_page_contact_action);
  gtk_widget_class_install_action (widget_class, "page.open-uri", "s",
                                   meso_patient_page_contact_action);
  gtk_widget_class_install_action (widget_class, "page.export-data", NULL,
                                   meso_patient_page_export_action);
  gtk_widget_class_bind_template_callback (widget_class, on_record_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_book_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_set_flag_popover_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_set_flag_confirm_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_archive_clicked_cb);
}

static void
meso_patient_page_init (MesoPatientPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  meso_date_field_add_calendar (GTK_WIDGET (self->flag_noted_entry));
  /* Side by side, their labels wrap rather than widen a narrow window
   * ("Behandlung dokumentieren" beside "Folgetermin buchen"). */
  meso_button_wrap_label (self->record_button);
  meso_button_wrap_label (self->book_button);

  /* The check buttons' positions are the enum's values; the first is chosen. */
  for (guint i = 0; i < G_N_ELEMENTS (self->flag_kinds); i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (meso_contraindication_get_label (i));

      if (i > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->flag_kinds[0]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == 0);
      gtk_box_append (GTK_BOX (self->flag_kind_box), check);
      self->flag_kinds[i] = GTK_CHECK_BUTTON (check);
    }
  gtk_popover_set_default_widget (self->set_flag_popover,
                                  gtk_widget_get_last_child (gtk_popover_get_child (
                                                               self->set_flag_popover)));

  if (MESO_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "store-changed",
                             G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  show_nothing (self);
}

GtkWidget *
meso_patient_page_new (void)
{
  return g_object_new (MESO_TYPE_PATIENT_PAGE, NULL);
}

void
meso_patient_page_set_store (MesoPatientPage *self,
                             MesoStore       *store)
{
  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  close_flag_form (self);
  /* Another database: its own workers' connection, and nothing of the
   * last one's record shown as if it were current. */
  stop_reading (self);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  self->shown_id = 0;
  meso_patient_page_reload (self);
}

void
meso_patient_page_set_patient_id (MesoPatientPage *self,
                                  gint64           patient_id)
{
  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));

  if (patient_id != self->patient_id)
    close_flag_form (self);
  self->patient_id = patient_id;
  /* Another patient's page starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  meso_patient_page_reload (self);
}

gint64
meso_patient_page_get_patient_id (MesoPatientPage *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_PAGE (self), 0);

  return self->patient_id;
}
