/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-consent-dialog.h"

#include "meso-application.h"
#include "meso-date-field.h"
#include "meso-signature-pad.h"
#include "meso-time.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>

/* The signature image kept: wide enough to read, small enough to store. */
#define SIGNATURE_WIDTH 600
#define SIGNATURE_HEIGHT 200

struct _MesoConsentDialog
{
  AdwWindow         parent_instance;

  MesoStore        *store;
  gint64            patient_id;
  char             *patient_name;
  gint64            consent_id;     /* once saved */
  GStrv             forms;          /* per form_row item */
  GStrv             languages;      /* per language_row item, of the form chosen */
  MesoConsentText  *text;           /* the chosen form's latest text, or NULL */

  AdwWindowTitle   *window_title;
  GtkWidget        *save_button;
  GtkWidget        *cancel_button;
  GtkLabel         *error_label;
  AdwComboRow      *form_row;
  AdwComboRow      *language_row;
  AdwPreferencesGroup *text_group;
  GtkLabel         *text_label;
  MesoSignaturePad *pad;
  GtkWidget        *pad_group;
  GtkSwitch        *paper_switch;
  GtkWidget        *date_row;
  AdwActionRow     *taken_by_row;
};

G_DEFINE_FINAL_TYPE (MesoConsentDialog, meso_consent_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
meso_consent_language_name (const char *language)
{
  /* Each in its own language: the patient picks the one they read. */
  static const struct { const char *code; const char *name; } names[] = {
    { "en", "English" },
    { "de", "Deutsch" },
    { "ru", "Русский" },
    { "zh_CN", "中文（简体）" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (names[i].code, language) == 0)
      return names[i].name;
  return language;
}

const char *
meso_consent_form_label (const char *form)
{
  /* The shipped form's name is a key people type (mesodesk-cli consent add
   * --form microneedling); on screen and on paper it is a word. */
  if (g_strcmp0 (form, MESO_CONSENT_FORM_MICRONEEDLING) == 0)
    /* Translators: the name of the consent form Mesodesk ships */
    return _("Microneedling");
  return form;
}

static void
show_error (MesoConsentDialog *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
chosen (AdwComboRow *row,
        GStrv        values)
{
  guint selected = adw_combo_row_get_selected (row);

  if (values == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_strv_length (values))
    return NULL;
  return values[selected];
}

/* Save only with a text to sign, a signature or the paper marked, and a day. */
static void
update_save (MesoConsentDialog *self)
{
  gboolean paper = gtk_switch_get_active (self->paper_switch);
  gboolean signed_ = paper || !meso_signature_pad_is_empty (self->pad);
  GDate day;

  gtk_widget_set_sensitive (self->pad_group, !paper);
  gtk_widget_set_sensitive (self->save_button,
                            self->text != NULL && signed_ &&
                            meso_date_field_get_date (self->date_row, &day, NULL));
}

/* The chosen form's latest text in the chosen language. */
static void
load_text (MesoConsentDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *form = chosen (self->form_row, self->forms);
  const char *language = chosen (self->language_row, self->languages);
  g_autofree char *version = NULL;

  g_clear_pointer (&self->text, meso_consent_text_free);
  if (form != NULL && language != NULL)
    self->text = meso_store_get_consent_text (self->store, form, language, 0, &error);
  if (self->text == NULL)
    {
      gtk_label_set_text (self->text_label, "");
      adw_preferences_group_set_description (self->text_group, NULL);
      if (error != NULL)
        show_error (self, error->message);
      update_save (self);
      return;
    }

  show_error (self, NULL);
  gtk_label_set_text (self->text_label, self->text->body);
  /* Translators: under the heading of a consent form's text; %lld is its version number */
  version = g_strdup_printf (_("Version %lld"), (long long)self->text->version);
  adw_preferences_group_set_description (self->text_group, version);
  update_save (self);
}

/* Every form, or every language of @form: a string array and its labels,
 * in the store's order (form, language, version). */
static GStrv
consent_text_values (GPtrArray     *texts,
                     const char    *form,
                     GtkStringList *labels)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *last = NULL;

  for (guint i = 0; i < texts->len; i++)
    {
      const MesoConsentText *text = g_ptr_array_index (texts, i);
      const char *value = form == NULL ? text->form : text->language;

      if (form != NULL && g_strcmp0 (text->form, form) != 0)
        continue;
      if (g_strcmp0 (value, last) == 0)
        continue;
      last = value;
      g_strv_builder_add (builder, value);
      gtk_string_list_append (labels, form == NULL ? meso_consent_form_label (value)
                                                  : meso_consent_language_name (value));
    }
  return g_strv_builder_end (builder);
}

/* The languages the chosen form has; @prefer chosen if it is one. */
static void
fill_languages (MesoConsentDialog *self,
                GPtrArray         *texts,
                const char        *prefer)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint keep = 0;

  g_strfreev (self->languages);
  self->languages = consent_text_values (texts, chosen (self->form_row, self->forms), names);
  for (guint i = 0; self->languages[i] != NULL; i++)
    if (g_strcmp0 (self->languages[i], prefer) == 0)
      keep = i;
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->language_row, keep);
}

/* The language the person reads, as the store picks it for a form. */
static char *
default_language (MesoConsentDialog *self,
                  const char        *form)
{
  g_autoptr(MesoConsentText) text = NULL;

  text = meso_store_get_consent_text (self->store, form, NULL, 0, NULL);
  return text != NULL ? g_strdup (text->language) : NULL;
}

static void
on_form_changed_cb (MesoConsentDialog *self)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *language = NULL;

  if (self->forms == NULL)
    return;  /* still being built */
  texts = meso_store_list_consent_texts (self->store, NULL);
  language = default_language (self, chosen (self->form_row, self->forms));
  fill_languages (self, texts, language);
  load_text (self);
}

static void
on_language_changed_cb (MesoConsentDialog *self)
{
  if (self->languages != NULL)
    load_text (self);
}

static void
on_changed_cb (MesoConsentDialog *self)
{
  show_error (self, NULL);
  update_save (self);
}

/* ------------------------------------------------------------- printing */

typedef struct
{
  char   *text;
  GArray *page_starts;  /* the first line of each page, then the line count */
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_free (job->text);
  g_clear_pointer (&job->page_starts, g_array_unref);
  g_free (job);
}

static PangoLayout *
print_layout (GtkPrintContext *context,
              const char      *text)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 11");

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Lines to pages: what fits a page's height, the last page keeping room
 * for the text's last lines (the signature lines) together. */
static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   PrintJob          *job)
{
  g_autoptr(PangoLayout) layout = print_layout (context, job->text);
  double height = gtk_print_context_get_height (context), used = 0;
  int n_lines = pango_layout_get_line_count (layout);
  int start = 0;

  g_array_set_size (job->page_starts, 0);
  g_array_append_val (job->page_starts, start);
  for (int i = 0; i < n_lines; i++)
    {
      PangoRectangle logical;

      pango_layout_line_get_extents (pango_layout_get_line_readonly (layout, i), NULL,
                                     &logical);
      if (used + (double)logical.height / PANGO_SCALE > height && i > 0)
        {
          g_array_append_val (job->page_starts, i);
          used = 0;
        }
      used += (double)logical.height / PANGO_SCALE;
    }
  g_array_append_val (job->page_starts, n_lines);
  gtk_print_operation_set_n_pages (operation, (int)job->page_starts->len - 1);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 PrintJob          *job)
{
  g_autoptr(PangoLayout) layout = print_layout (context, job->text);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  int first = g_array_index (job->page_starts, int, page);
  int last = g_array_index (job->page_starts, int, page + 1);
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int i = first; i < last; i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
      PangoRectangle logical;

      pango_layout_line_get_extents (line, NULL, &logical);
      cairo_move_to (cr, (double)logical.x / PANGO_SCALE,
                     y - (double)logical.y / PANGO_SCALE);
      pango_cairo_show_layout_line (cr, line);
      y += (double)logical.height / PANGO_SCALE;
    }
}

static char *
printed_text (MesoConsentDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GDate day;
  g_autofree char *date = NULL;

  if (!meso_date_field_get_date (self->date_row, &day, NULL))
    meso_clock_today (&day);
  date = meso_format_date_short (&day);
  /* Translators: the first line of a printed consent form; %s is the patient's name */
  g_string_append_printf (text, _("Consent of %s"), self->patient_name);
  g_string_append (text, "\n");
  /* Translators: under the heading of a printed consent form: its name and version */
  g_string_append_printf (text, _("Form “%s”, version %lld"),
                          meso_consent_form_label (self->text->form),
                          (long long)self->text->version);
  g_string_append (text, "\n\n");
  g_string_append (text, self->text->body);
  g_string_append (text, "\n\n\n");
  /* Translators: the lines a patient signs a printed consent form on */
  g_string_append_printf (text, _("Date: %s\n\n\nSignature: ______________________________"),
                          date);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GtkPrintOperation *
meso_consent_dialog_new_print_operation (MesoConsentDialog *self)
{
  GtkPrintOperation *operation;
  PrintJob *job;

  g_return_val_if_fail (MESO_IS_CONSENT_DIALOG (self), NULL);
  g_return_val_if_fail (self->text != NULL, NULL);

  job = g_new0 (PrintJob, 1);
  job->text = printed_text (self);
  job->page_starts = g_array_new (FALSE, FALSE, sizeof (int));
  operation = gtk_print_operation_new ();
  /* Translators: the file name a printed consent form is saved as, without extension */
  meso_print_operation_set_file_name (operation, _("consent"));
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job,
                         (GClosureNotify)(void (*) (void))print_job_free, 0);
  return operation;
}

/* The form's text with a date and a line to sign on, to sign on paper. */
static void
meso_consent_dialog_print (MesoConsentDialog *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->text == NULL)
    return;
  operation = meso_consent_dialog_new_print_operation (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    /* Translators: shown when the consent form could not be printed */
    show_error (self, _("The form could not be printed."));
}

static void
on_print_clicked_cb (MesoConsentDialog *self)
{
  meso_consent_dialog_print (self);
}

/* ----------------------------------------------------------------- saving */

static void
on_save_clicked_cb (MesoConsentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  MesoApplication *app;
  GDate day;

  update_save (self);
  if (!gtk_widget_get_sensitive (self->save_button))
    return;

  if (!meso_date_field_get_date (self->date_row, &day, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (!gtk_switch_get_active (self->paper_switch))
    {
      png = meso_signature_pad_to_png (self->pad, SIGNATURE_WIDTH, SIGNATURE_HEIGHT, &error);
      if (png == NULL)
        {
          /* Translators: shown when the signature drawn could not be kept */
          show_error (self, _("The signature could not be kept. Clear it and sign again, "
                              "or sign on paper."));
          return;
        }
    }
  /* On the version shown, even if a manager saved a newer one meanwhile:
   * the patient agreed to the text they read. */
  if (!meso_store_add_consent (self->store, self->patient_id, self->text->form,
                               self->text->language, self->text->version, &day, png,
                               &self->consent_id, &error))
    {
      show_error (self, error->message);
      return;
    }

  app = MESO_IS_APPLICATION (g_application_get_default ())
          ? MESO_APPLICATION (g_application_get_default ()) : NULL;
  if (app != NULL)
    meso_application_store_changed (app);
  g_signal_emit (self, signals[SAVED], 0, self->consent_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
meso_consent_dialog_save_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  on_save_clicked_cb (MESO_CONSENT_DIALOG (widget));
}

/* ------------------------------------------------------------ the widgets */

static GtkWidget *
boxed_list (GtkWidget  *group,
            const char *accessible_name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return list;
}

static GtkWidget *
group_new (GtkWidget  *box,
           const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

static void
build (MesoConsentDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group, *list, *text_scroller, *frame, *row, *print;

  /* Translators: the title of the window that takes a patient's consent */
  gtk_window_set_title (GTK_WINDOW (self), _("Take Consent"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 760);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 294);

  self->window_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Take Consent"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->window_title));
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  /* Translators: closes the Take Consent window without saving */
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  /* Translators: keeps the consent taken */
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_sensitive (self->save_button, FALSE);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 600);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 400);
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 24);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_box_append (GTK_BOX (toolbar), scroller);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  /* The form and its text. */
  /* Translators: heading of the consent form chosen and its language */
  group = group_new (box, _("Form"));
  /* Translators: what a screen reader calls the consent form's choices */
  list = boxed_list (group, _("Form"));
  self->form_row = ADW_COMBO_ROW (adw_combo_row_new ());
  /* Translators: the consent form to sign */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->form_row), _("Form"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->form_row));
  self->language_row = ADW_COMBO_ROW (adw_combo_row_new ());
  /* Translators: the language of the consent form's text */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->language_row), _("Language"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->language_row));
  g_signal_connect_swapped (self->form_row, "notify::selected", G_CALLBACK (on_form_changed_cb),
                            self);
  g_signal_connect_swapped (self->language_row, "notify::selected",
                            G_CALLBACK (on_language_changed_cb), self);

  /* Translators: heading of the consent form's text the patient reads */
  group = group_new (box, _("Text"));
  self->text_group = ADW_PREFERENCES_GROUP (group);
  text_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (text_scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (text_scroller), 220);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (text_scroller), 220);
  self->text_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->text_label, TRUE);
  gtk_label_set_wrap_mode (self->text_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->text_label, 0);
  gtk_label_set_yalign (self->text_label, 0);
  gtk_label_set_selectable (self->text_label, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->text_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->text_label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->text_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->text_label), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (text_scroller),
                                 GTK_WIDGET (self->text_label));
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), text_scroller);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);

  /* The signature, or paper. */
  /* Translators: heading of the signature pad the patient signs on */
  group = group_new (box, _("Signature"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         /* Translators: above the signature pad */
                                         _("The patient signs here with a finger, a pen or "
                                           "the mouse."));
  self->pad_group = group;
  self->pad = MESO_SIGNATURE_PAD (meso_signature_pad_new ());
  /* The pad brings its own frame, Undo and Clear. */
  gtk_widget_set_size_request (GTK_WIDGET (self->pad), -1, 160);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->pad));
  g_signal_connect_swapped (self->pad, "changed", G_CALLBACK (on_changed_cb), self);

  /* Translators: heading of the consent's day, who takes it, and signing on paper */
  group = group_new (box, _("Details"));
  /* Translators: what a screen reader calls the consent's details */
  list = boxed_list (group, _("Details"));
  row = adw_action_row_new ();
  /* Translators: a switch: the patient signed a printed copy instead of the pad */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Signed on Paper"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               /* Translators: under the Signed on Paper switch */
                               _("Print the form, have it signed, and keep it on file"));
  self->paper_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->paper_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->paper_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Signed on Paper"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->paper_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->paper_switch));
  g_signal_connect_swapped (self->paper_switch, "notify::active", G_CALLBACK (on_changed_cb),
                            self);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  self->date_row = adw_entry_row_new ();
  /* Translators: the day the patient signed the consent */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row), _("Signed On"));
  meso_date_field_add_calendar (self->date_row);
  g_signal_connect_swapped (self->date_row, "changed", G_CALLBACK (on_changed_cb), self);
  gtk_list_box_append (GTK_LIST_BOX (list), self->date_row);

  self->taken_by_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->taken_by_row), FALSE);
  /* Translators: who takes the consent: the person signed in, not editable */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->taken_by_row), _("Taken By"));
  gtk_widget_add_css_class (GTK_WIDGET (self->taken_by_row), "property");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->taken_by_row));

  /* Translators: prints the consent form with lines to sign on paper */
  print = gtk_button_new_with_mnemonic (_("_Print Form…"));
  gtk_widget_set_halign (print, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (print, "clicked", G_CALLBACK (on_print_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), print);

  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  meso_dialog_compact_cancel (GTK_WINDOW (self), GTK_BUTTON (self->cancel_button));
}

static void
meso_consent_dialog_dispose (GObject *object)
{
  MesoConsentDialog *self = MESO_CONSENT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->forms, g_strfreev);
  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->text, meso_consent_text_free);

  G_OBJECT_CLASS (meso_consent_dialog_parent_class)->dispose (object);
}

static void
meso_consent_dialog_class_init (MesoConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_consent_dialog_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "consent.save", NULL,
                                   meso_consent_dialog_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "consent.save", NULL);
}

static void
meso_consent_dialog_init (MesoConsentDialog *self)
{
  build (self);
}

MesoConsentDialog *
meso_consent_dialog_new (GtkWindow   *parent,
                         MesoStore   *store,
                         gint64       patient_id,
                         const char  *form,
                         GError     **error)
{
  MesoConsentDialog *self;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GtkStringList) form_names = gtk_string_list_new (NULL);
  g_autofree char *language = NULL;
  const char *signed_in;
  guint keep = 0;
  GDate today;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  if (form == NULL)
    form = MESO_CONSENT_FORM_MICRONEEDLING;
  patient = meso_store_get_patient (store, patient_id, error);
  if (patient == NULL)
    return NULL;
  texts = meso_store_list_consent_texts (store, error);
  if (texts == NULL)
    return NULL;

  self = g_object_new (MESO_TYPE_CONSENT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->patient_id = patient_id;
  self->patient_name = g_strdup (meso_patient_get_name (patient));
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
    }
  adw_window_title_set_subtitle (self->window_title, self->patient_name);

  self->forms = consent_text_values (texts, NULL, form_names);
  for (guint i = 0; self->forms[i] != NULL; i++)
    if (g_strcmp0 (self->forms[i], form) == 0)
      keep = i;
  adw_combo_row_set_model (self->form_row, G_LIST_MODEL (form_names));
  adw_combo_row_set_selected (self->form_row, keep);
  language = default_language (self, chosen (self->form_row, self->forms));
  fill_languages (self, texts, language);

  meso_clock_today (&today);
  meso_date_field_set_date (self->date_row, &today);
  signed_in = meso_store_get_signed_in (store, NULL);
  adw_action_row_set_subtitle (self->taken_by_row,
                               signed_in != NULL ? signed_in : g_get_user_name ());
  load_text (self);
  if (self->text == NULL)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a consent form's name */
                   _("There is no consent form “%s” to sign."), form);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->pad));
  return self;
}

gint64
meso_consent_dialog_get_consent_id (MesoConsentDialog *self)
{
  g_return_val_if_fail (MESO_IS_CONSENT_DIALOG (self), 0);

  return self->consent_id;
}

/* ============================================================ form editor */

typedef struct
{
  MesoStore       *store;
  GtkWindow       *window;
  AdwComboRow     *form_row;
  AdwComboRow     *language_row;
  GtkTextBuffer   *buffer;
  GtkWidget       *save_button;
  GtkLabel        *message;
  GtkListBox      *versions;
  GStrv            forms;
  GStrv            languages;
  gboolean         loading;
} FormEditor;

static void
form_editor_free (gpointer data)
{
  FormEditor *editor = data;

  g_clear_object (&editor->store);
  g_strfreev (editor->forms);
  g_strfreev (editor->languages);
  g_free (editor);
}

static void
form_editor_message (FormEditor *editor,
                     const char *text,
                     gboolean    error)
{
  gtk_label_set_text (editor->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (editor->message), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (editor->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (editor->message), "error");
}

/* The chosen form's text in the chosen language, and its versions. */
static void
form_editor_load (FormEditor *editor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(MesoConsentText) latest = NULL;
  const char *form = chosen (editor->form_row, editor->forms);
  const char *language = chosen (editor->language_row, editor->languages);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (editor->versions))) != NULL)
    gtk_list_box_remove (editor->versions, child);
  if (form == NULL || language == NULL)
    return;
  latest = meso_store_get_consent_text (editor->store, form, language, 0, &error);
  texts = latest != NULL ? meso_store_list_consent_texts (editor->store, &error) : NULL;
  if (texts == NULL)
    {
      form_editor_message (editor, error->message, TRUE);
      return;
    }
  editor->loading = TRUE;
  gtk_text_buffer_set_text (editor->buffer, latest->body, -1);
  editor->loading = FALSE;
  gtk_widget_set_sensitive (editor->save_button, FALSE);

  /* Newest first. */
  for (guint i = texts->len; i-- > 0;)
    {
      const MesoConsentText *text = g_ptr_array_index (texts, i);
      g_autoptr(GDateTime) at = NULL;
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (g_strcmp0 (text->form, form) != 0 || g_strcmp0 (text->language, language) != 0)
        continue;
      at = g_date_time_new_from_unix_local (text->created_at);
      when = meso_format_date_time_short (at);
      title = g_strdup_printf (_("Version %lld"), (long long)text->version);
      /* Translators: when a consent form's version was written, and by whom */
      subtitle = g_strdup_printf (_("%s, by %s"), when, text->created_by);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (editor->versions, row);
    }
}

static void
form_editor_fill_languages (FormEditor *editor)
{
  g_autoptr(GPtrArray) texts = meso_store_list_consent_texts (editor->store, NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *language = NULL;
  const char *form = chosen (editor->form_row, editor->forms);
  guint keep = 0;

  if (texts == NULL || form == NULL)
    return;
  {
    g_autoptr(MesoConsentText) text = meso_store_get_consent_text (editor->store, form, NULL, 0,
                                                                   NULL);

    language = text != NULL ? g_strdup (text->language) : NULL;
  }
  g_strfreev (editor->languages);
  editor->languages = consent_text_values (texts, form, labels);
  for (guint i = 0; editor->languages[i] != NULL; i++)
    if (g_strcmp0 (editor->languages[i], language) == 0)
      keep = i;
  adw_combo_row_set_model (editor->language_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (editor->language_row, keep);
  form_editor_load (editor);
}

static void
on_editor_form_changed_cb (FormEditor *editor)
{
  if (editor->forms != NULL)
    form_editor_fill_languages (editor);
}

static void
on_editor_language_changed_cb (FormEditor *editor)
{
  if (editor->languages != NULL)
    form_editor_load (editor);
}

static void
on_editor_text_changed_cb (FormEditor *editor)
{
  if (editor->loading)
    return;
  form_editor_message (editor, NULL, FALSE);
  gtk_widget_set_sensitive (editor->save_button, TRUE);
}

static void
on_editor_save_clicked_cb (FormEditor *editor)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *saved_text = NULL;
  const char *form = chosen (editor->form_row, editor->forms);
  const char *language = chosen (editor->language_row, editor->languages);
  GtkTextIter start, end;
  gint64 version = 0;

  gtk_text_buffer_get_bounds (editor->buffer, &start, &end);
  body = gtk_text_buffer_get_text (editor->buffer, &start, &end, FALSE);
  if (form == NULL || language == NULL ||
      !meso_store_edit_consent_form (editor->store, form, language, body, &version, &error))
    {
      form_editor_message (editor, error != NULL ? error->message : NULL, TRUE);
      return;
    }
  form_editor_load (editor);
  /* Translators: shown when a consent form's edited text was saved; %lld is its new version */
  saved_text = g_strdup_printf (_("Saved as version %lld."), (long long)version);
  form_editor_message (editor, saved_text, FALSE);
}

GtkWindow *
meso_consent_form_editor_new (GtkWindow  *parent,
                              MesoStore  *store,
                              GError    **error)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  FormEditor *editor;
  GtkWidget *window, *content, *header, *cancel, *scroller, *clamp, *box, *group, *list;
  GtkWidget *view, *frame;
  guint keep = 0;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  texts = meso_store_list_consent_texts (store, error);
  if (texts == NULL)
    return NULL;

  editor = g_new0 (FormEditor, 1);
  editor->store = g_object_ref (store);
  window = adw_window_new ();
  editor->window = GTK_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "meso-form-editor", editor, form_editor_free);
  /* Translators: the title of the window where a manager edits the consent forms */
  gtk_window_set_title (GTK_WINDOW (window), _("Consent Forms"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 720);
  gtk_widget_set_size_request (window, 360, 294);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  /* Translators: closes the consent form editor */
  cancel = gtk_button_new_with_mnemonic (_("_Close"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  /* Saving is always a new version: the window says so below the text. */
  editor->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (editor->save_button, "suggested-action");
  gtk_widget_set_sensitive (editor->save_button, FALSE);
  g_signal_connect_swapped (editor->save_button, "clicked",
                            G_CALLBACK (on_editor_save_clicked_cb), editor);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), editor->save_button);
  gtk_box_append (GTK_BOX (content), header);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  clamp = adw_clamp_new ();
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 24);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_box_append (GTK_BOX (content), scroller);

  editor->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (editor->message, TRUE);
  gtk_label_set_xalign (editor->message, 0);
  gtk_widget_set_visible (GTK_WIDGET (editor->message), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (editor->message));

  group = group_new (box, _("Form"));
  list = boxed_list (group, _("Form"));
  editor->form_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->form_row), _("Form"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (editor->form_row));
  editor->language_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->language_row), _("Language"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (editor->language_row));

  group = group_new (box, _("Text"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         /* Translators: above the consent form's text in the
                                          * editor */
                                         _("Saving keeps this text as a new version; consents "
                                           "already signed keep theirs."));
  view = gtk_text_view_new ();
  editor->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_widget_set_size_request (view, -1, 280);
  /* Translators: what a screen reader calls the consent form's text being edited */
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Consent form text"), -1);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  g_signal_connect_swapped (editor->buffer, "changed", G_CALLBACK (on_editor_text_changed_cb),
                            editor);

  /* Translators: heading of a consent form's versions kept, newest first */
  group = group_new (box, _("Versions"));
  /* Translators: what a screen reader calls the list of a consent form's versions */
  editor->versions = GTK_LIST_BOX (boxed_list (group, _("Versions")));

  adw_window_set_content (ADW_WINDOW (window), content);
  meso_dialog_compact_cancel (GTK_WINDOW (window), GTK_BUTTON (cancel));

  editor->forms = consent_text_values (texts, NULL, labels);
  for (guint i = 0; editor->forms[i] != NULL; i++)
    if (g_strcmp0 (editor->forms[i], MESO_CONSENT_FORM_MICRONEEDLING) == 0)
      keep = i;
  adw_combo_row_set_model (editor->form_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (editor->form_row, keep);
  g_signal_connect_swapped (editor->form_row, "notify::selected",
                            G_CALLBACK (on_editor_form_changed_cb), editor);
  g_signal_connect_swapped (editor->language_row, "notify::selected",
                            G_CALLBACK (on_editor_language_changed_cb), editor);
  form_editor_fill_languages (editor);
  return GTK_WINDOW (window);
}
