/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Consent in the window (issue 18, item 3), on a real database under Xvfb:
 * the Take Consent window signed with a drag on its pad or marked as
 * signed on paper, the consents on the patient page and their Revoke…,
 * the session dialog's Take Consent… when R8 refuses, and what a
 * receptionist may press. With MESODESK_SHOT_DIR set, screenshots of each
 * (LANGUAGE=de for German; MESO_SHOT_WIDTH=360 for a narrow window). */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-consent-dialog.h"
#include "meso-i18n.h"
#include "meso-patient-page.h"
#include "meso-preferences-window.h"
#include "meso-session-dialog.h"
#include "meso-signature-pad.h"
#include "meso-worker.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define NOW "2026-11-20T10:00"

static MesoApplication *app;
static MesoWindow *window;
static MesoStore *store;
static char *dir;
static int width = 1280;

/* ------------------------------------------------------------- helpers */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
consent_dialog_gone (gpointer data)
{
  return (gpointer)find_toplevel (MESO_TYPE_CONSENT_DIALOG) == NULL;
}

static GtkWidget *
patient_page (void)
{
  GtkWidget *page = find_descendant (GTK_WIDGET (window), MESO_TYPE_PATIENT_PAGE);

  assert_non_null (page);
  return page;
}

static gint64
new_patient (const char *name)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GError) error = NULL;

  meso_patient_set_name (patient, name);
  assert_true (meso_store_add_patient (store, patient, &error));
  EXPECT_NO_ERROR ("patient", error);
  meso_application_store_changed (app);
  return meso_patient_get_id (patient);
}

static void
show_patient (gint64 id)
{
  assert_true (show_patient_in (window, id));
  settle (300);
  meso_patient_page_reload (MESO_PATIENT_PAGE (patient_page ()));
  assert_true (wait_for (patient_page_read, window));
  settle (100);
}

static GPtrArray *
consents_of (gint64 patient_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *consents = meso_store_list_consents (store, patient_id, &error);

  EXPECT_NO_ERROR ("list consents", error);
  assert_non_null (consents);
  return consents;
}

/* The page's Take Consent…, clicked: the window it opens. */
static MesoConsentDialog *
open_from_page (void)
{
  MesoConsentDialog *dialog;

  click_widget (expect_button (patient_page (), _("_Take Consent…")));
  dialog = (gpointer)find_toplevel (MESO_TYPE_CONSENT_DIALOG);
  assert_non_null (dialog);
  assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  assert_true (wait_for_within (is_mapped, dialog, WAIT_TIMEOUT_USEC));
  return dialog;
}

static GtkWidget *
save_button (MesoConsentDialog *dialog)
{
  return expect_button (GTK_WIDGET (dialog), _("_Save"));
}

/* A signature drawn as a pointer drags across the pad: its drag gesture's
 * signals, begin, updates, end. */
static void
sign (MesoConsentDialog *dialog)
{
  GtkWidget *pad = find_descendant (GTK_WIDGET (dialog), MESO_TYPE_SIGNATURE_PAD);
  GtkEventController *drag;
  static const double path[] = { 20, 10, 60, -20, 120, 15, 180, -10, 240, 5 };

  assert_non_null (pad);
  drag = find_controller (pad, GTK_TYPE_GESTURE_DRAG);
  assert_non_null (drag);
  g_signal_emit_by_name (drag, "drag-begin", 30.0, 90.0);
  for (guint i = 0; i < G_N_ELEMENTS (path); i += 2)
    g_signal_emit_by_name (drag, "drag-update", path[i], path[i + 1]);
  g_signal_emit_by_name (drag, "drag-end", path[G_N_ELEMENTS (path) - 2],
                         path[G_N_ELEMENTS (path) - 1]);
  settle (50);
  assert_false (meso_signature_pad_is_empty (MESO_SIGNATURE_PAD (pad)));
}

static void
shot (GtkWindow  *shown,
      const char *what)
{
  g_autofree char *name = NULL;
  const char *language = g_getenv ("LANGUAGE");

  if (g_getenv ("MESODESK_SHOT_DIR") == NULL)
    return;
  name = g_strdup_printf ("%s-%s-%d", what, language != NULL && *language != '\0'
                                              ? language : "en", width);
  if (shown != GTK_WINDOW (window))
    gtk_window_set_default_size (shown, width, 800);
  settle (300);
  take_screenshot (name);
}

static void
on_saved_cb (MesoConsentDialog *dialog,
             gint64             id,
             gint64            *saved)
{
  assert_int_equal (meso_consent_dialog_get_consent_id (dialog), id);
  *saved = id;
}

/* For find_matching(): the form's text, the one selectable label. */
static gboolean
label_is_selectable (GtkWidget     *widget,
                     gconstpointer  data)
{
  return gtk_label_get_selectable (GTK_LABEL (widget)) &&
         strlen (gtk_label_get_text (GTK_LABEL (widget))) > 100;
}

/* --------------------------------------------------------------- tests */

/* Signed on the pad, saved, listed on the page with its signature. */
static void
test_sign_on_screen (void **state)
{
  gint64 id = new_patient ("Greta Sign");
  g_autoptr(GPtrArray) consents = NULL;
  MesoConsentDialog *dialog;
  const MesoConsent *consent;
  gint64 saved = 0;

  show_patient (id);
  assert_non_null (find_matching (patient_page (), GTK_TYPE_LABEL, shown_label_is,
                                  _("No consent on file.")));
  dialog = open_from_page ();
  assert_false (gtk_widget_get_sensitive (save_button (dialog)));
  shot (GTK_WINDOW (dialog), "consent-dialog");
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved_cb), &saved);
  sign (dialog);
  assert_true (gtk_widget_get_sensitive (save_button (dialog)));
  shot (GTK_WINDOW (dialog), "consent-dialog-signed");
  click_widget (save_button (dialog));
  assert_true (wait_for_within (consent_dialog_gone, NULL, WAIT_TIMEOUT_USEC));

  consents = consents_of (id);
  assert_int_equal (consents->len, 1);
  consent = g_ptr_array_index (consents, 0);
  assert_int_equal (consent->method, MESO_CONSENT_ON_SCREEN);
  assert_non_null (consent->signature);
  assert_string_equal (consent->form, MESO_CONSENT_FORM_MICRONEEDLING);
  assert_int_equal (saved, consent->id);

  settle (300);
  assert_non_null (find_button (patient_page (), _("Show Signature")));
  assert_non_null (find_button (patient_page (), _("Revoke…")));
  assert_null (find_matching (patient_page (), GTK_TYPE_LABEL, shown_label_is,
                              _("No consent on file.")));
  shot (GTK_WINDOW (window), "patient-page-consents");
}

/* The copy to sign on paper, printed to a PDF and read back: the patient,
 * the form's text as shown, the day and the line to sign on. */
static void
print_to_pdf (MesoConsentDialog *dialog)
{
  const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
  g_autoptr(GtkPrintOperation) operation = meso_consent_dialog_new_print_operation (dialog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *pdf = g_build_filename (dir, "consent.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *first_line = NULL;
  GtkWidget *text_label;
  int status;

  gtk_print_operation_set_export_filename (operation, pdf);
  assert_int_equal (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                             &error),
                    GTK_PRINT_OPERATION_RESULT_APPLY);
  EXPECT_NO_ERROR ("export", error);
  if (pdftotext == NULL || *pdftotext == '\0')
    fail_msg ("pdftotext (poppler-utils) is needed to read the form back");
  {
    const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };

    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
    EXPECT_NO_ERROR ("pdftotext", error);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* Lines wrap anywhere on paper: compared with single spaces. */
  text = g_regex_replace_literal (spaces, out, -1, 0, " ", 0, NULL);
  text_label = find_matching (GTK_WIDGET (dialog), GTK_TYPE_LABEL, label_is_selectable, NULL);
  assert_non_null (text_label);
  first_line = g_strndup (gtk_label_get_text (GTK_LABEL (text_label)),
                          strcspn (gtk_label_get_text (GTK_LABEL (text_label)), "\n"));
  EXPECT_CONTAINS ("the patient", text, "Paula Papier");
  EXPECT_CONTAINS ("the form's heading", text, first_line);
  {
    /* Its last line too, however many pages it takes. */
    g_autofree char *body = g_regex_replace_literal (spaces,
                                                     gtk_label_get_text (GTK_LABEL (text_label)),
                                                     -1, 0, " ", 0, NULL);
    g_autofree char *last_words = NULL;

    g_strstrip (body);
    last_words = g_strdup (body + strlen (body) - 30);

    EXPECT_CONTAINS ("the form's end", text, last_words);
  }
  EXPECT_CONTAINS ("the line to sign on", text, _("Signature"));
  g_unlink (pdf);
}

/* The keyboard's way: Signed on Paper instead of the pad. */
static void
test_signed_on_paper (void **state)
{
  gint64 id = new_patient ("Paula Papier");
  g_autoptr(GPtrArray) consents = NULL;
  MesoConsentDialog *dialog;
  GtkWidget *paper;

  show_patient (id);
  dialog = open_from_page ();
  paper = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SWITCH);
  assert_non_null (paper);
  gtk_switch_set_active (GTK_SWITCH (paper), TRUE);
  settle (50);
  assert_true (gtk_widget_get_sensitive (save_button (dialog)));
  assert_false (gtk_widget_is_sensitive (find_descendant (GTK_WIDGET (dialog),
                                                          MESO_TYPE_SIGNATURE_PAD)));
  assert_non_null (find_button (GTK_WIDGET (dialog), _("_Print Form…")));
  /* The switch, the day and who takes it: the window's end, scrolled to. */
  gtk_widget_grab_focus (find_button (GTK_WIDGET (dialog), _("_Print Form…")));
  shot (GTK_WINDOW (dialog), "consent-dialog-paper");
  print_to_pdf (dialog);
  click_widget (save_button (dialog));
  assert_true (wait_for_within (consent_dialog_gone, NULL, WAIT_TIMEOUT_USEC));

  consents = consents_of (id);
  assert_int_equal (consents->len, 1);
  assert_int_equal (((MesoConsent *)consents->pdata[0])->method, MESO_CONSENT_ON_PAPER);
  assert_null (((MesoConsent *)consents->pdata[0])->signature);
}

/* Revoked from the page with a day and a reason: never edited, and no
 * Revoke… after; without a reason the store's words, nothing changed. */
static void
test_revoke (void **state)
{
  gint64 id = new_patient ("Rosa Widerruf");
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;
  GtkWidget *revoke, *confirm, *reason;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, G_DATE_NOVEMBER, 2026);
  assert_true (meso_store_add_consent (store, id, MESO_CONSENT_FORM_MICRONEEDLING, "en", 0, &day,
                                       NULL, NULL, &error));
  EXPECT_NO_ERROR ("consent", error);
  show_patient (id);

  revoke = expect_button (patient_page (), _("Revoke…"));
  assert_true (gtk_widget_is_sensitive (revoke));
  click_widget (revoke);
  confirm = expect_button (patient_page (), _("Revoke Consent"));
  click_widget (confirm);
  g_clear_pointer (&consents, g_ptr_array_unref);
  consents = consents_of (id);
  assert_false (g_date_valid (&((MesoConsent *)consents->pdata[0])->revoked_on));

  reason = find_labelled (patient_page (), GTK_TYPE_ENTRY, _("Reason for revoking"));
  assert_non_null (reason);
  gtk_editable_set_text (GTK_EDITABLE (reason), "Withdrew consent by phone");
  shot (GTK_WINDOW (window), "patient-page-revoke");
  click_widget (confirm);
  settle (300);

  g_clear_pointer (&consents, g_ptr_array_unref);
  consents = consents_of (id);
  assert_true (g_date_valid (&((MesoConsent *)consents->pdata[0])->revoked_on));
  assert_string_equal (((MesoConsent *)consents->pdata[0])->revoke_reason,
                       "Withdrew consent by phone");
  assert_null (find_button (patient_page (), _("Revoke…")));
  shot (GTK_WINDOW (window), "patient-page-revoked");
}

/* R8: the clinic requires a consent; the session dialog offers to take it,
 * and once taken the same form saves. */
static void
test_session_takes_consent (void **state)
{
  gint64 id = new_patient ("Sina Sofort");
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) parameter = NULL;
  g_autoptr(GError) error = NULL;
  MesoPolicy policy;
  MesoSessionDialog *session;
  MesoConsentDialog *dialog;
  GtkWidget *offer, *needle, *paper, *save;
  g_autoptr(GPtrArray) sessions = NULL;

  assert_true (meso_store_load_policy (store, &policy, &error));
  policy.consent_required = TRUE;
  assert_true (meso_store_save_policy (store, &policy, &error));
  EXPECT_NO_ERROR ("policy", error);

  g_variant_dict_insert (&dict, "patient-id", "x", id);
  parameter = g_variant_ref_sink (g_variant_dict_end (&dict));
  assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.record-session",
                                                   parameter));
  session = (gpointer)find_toplevel (MESO_TYPE_SESSION_DIALOG);
  assert_non_null (session);
  assert_true (wait_for_within (is_mapped, session, WAIT_TIMEOUT_USEC));
  needle = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session),
                                                      MESO_TYPE_SESSION_DIALOG, "needle_row"));
  gtk_editable_set_text (GTK_EDITABLE (needle), "0.5");
  settle (50);

  save = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session),
                                                    MESO_TYPE_SESSION_DIALOG, "save_button"));
  offer = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session),
                                                     MESO_TYPE_SESSION_DIALOG,
                                                     "consent_button"));
  assert_false (gtk_widget_is_sensitive (save));
  assert_true (gtk_widget_get_visible (offer));
  assert_true (gtk_widget_is_sensitive (offer));
  shot (GTK_WINDOW (session), "session-dialog-consent-offer");

  click_widget (offer);
  dialog = (gpointer)find_toplevel (MESO_TYPE_CONSENT_DIALOG);
  assert_non_null (dialog);
  assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (session));
  paper = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SWITCH);
  gtk_switch_set_active (GTK_SWITCH (paper), TRUE);
  settle (50);
  click_widget (save_button (dialog));
  assert_true (wait_for_within (consent_dialog_gone, NULL, WAIT_TIMEOUT_USEC));

  /* The form as it was typed: saved without retyping. */
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (needle)), "0.5");
  assert_false (gtk_widget_get_visible (offer));
  assert_true (gtk_widget_is_sensitive (save));
  click_widget (save);
  assert_true (meso_session_dialog_get_session_id (session) > 0);
  sessions = meso_store_list_sessions (store, id, &error);
  assert_non_null (sessions);
  assert_int_equal (sessions->len, 1);
  gtk_window_close (GTK_WINDOW (session));
  settle (100);

  policy.consent_required = FALSE;
  assert_true (meso_store_save_policy (store, &policy, &error));
}

static GtkWidget *
row_with_title (GtkWidget  *root,
                const char *title)
{
  GtkWidget *row = find_matching (root, ADW_TYPE_PREFERENCES_ROW, row_titled, title);

  if (row == NULL)
    fail_msg ("no row \"%s\"", title);
  return row;
}

/* A manager's Preferences: the consent-required switch is the policy's,
 * and a form's edited text is saved as a new version, the older listed. */
static void
test_preferences (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoConsentText) latest = NULL;
  MesoPreferencesWindow *preferences = meso_preferences_window_new (GTK_WINDOW (window), app);
  GtkWidget *toggle;
  GtkWindow *editor;
  GtkTextView *view;
  GtkListBox *versions;
  MesoPolicy policy;
  guint n_versions = 0;

  gtk_window_present (GTK_WINDOW (preferences));
  settle (200);
  toggle = find_labelled (GTK_WIDGET (preferences), GTK_TYPE_SWITCH,
                          _("Require Consent Before Treatment"));
  assert_non_null (toggle);
  assert_true (gtk_widget_is_sensitive (toggle));
  assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  settle (50);
  assert_true (meso_store_load_policy (store, &policy, &error));
  assert_true (policy.consent_required);
  gtk_widget_grab_focus (toggle);
  shot (GTK_WINDOW (preferences), "preferences-consent");

  g_signal_emit_by_name (row_with_title (GTK_WIDGET (preferences), _("Consent Forms")),
                         "activated");
  settle (200);
  editor = find_window_titled (_("Consent Forms"));
  assert_non_null (editor);
  view = GTK_TEXT_VIEW (find_descendant (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW));
  assert_false (gtk_widget_get_sensitive (expect_button (GTK_WIDGET (editor), _("_Save"))));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "Our clinic's own consent text.",
                            -1);
  settle (50);
  click_widget (expect_button (GTK_WIDGET (editor), _("_Save")));
  settle (100);

  /* The editor opens on the person's language, as the store picks it. */
  latest = meso_store_get_consent_text (store, MESO_CONSENT_FORM_MICRONEEDLING, NULL, 0,
                                        &error);
  EXPECT_NO_ERROR ("latest", error);
  assert_int_equal (latest->version, 2);
  assert_string_equal (latest->body, "Our clinic's own consent text.");
  assert_non_null (latest->created_by);
  versions = GTK_LIST_BOX (find_labelled (GTK_WIDGET (editor), GTK_TYPE_LIST_BOX, _("Versions")));
  assert_non_null (versions);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (versions)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n_versions++;
  assert_int_equal (n_versions, 2);
  shot (editor, "consent-form-editor");
  gtk_window_destroy (editor);

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  settle (50);
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle (100);
}

/* A receptionist sees the consents but may neither take nor revoke one:
 * as the store answers for the person signed in. Last: it makes accounts. */
static void
test_receptionist (void **state)
{
  gint64 id = new_patient ("Rita Sieht");
  g_autoptr(GError) error = NULL;
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 2, G_DATE_NOVEMBER, 2026);
  assert_true (meso_store_add_consent (store, id, MESO_CONSENT_FORM_MICRONEEDLING, "en", 0, &day,
                                       NULL, NULL, &error));
  assert_true (meso_store_add_staff (store, "Mona", MESO_STAFF_MANAGER, "mona pw", &error));
  assert_true (meso_store_sign_in (store, "Mona", "mona pw", &error));
  assert_true (meso_store_add_staff (store, "Rita", MESO_STAFF_RECEPTIONIST, "rita pw", &error));
  assert_true (meso_store_sign_in (store, "Rita", "rita pw", &error));
  EXPECT_NO_ERROR ("accounts", error);
  {
    /* As the window does when she signs in: its workers' connections act
     * for her too (the page reads in one). */
    g_autoptr(MesoStaffTicket) rita = meso_store_get_ticket (store);

    meso_worker_set_signed_in (rita);
  }
  show_patient (id);

  assert_false (gtk_widget_is_sensitive (expect_button (patient_page (), _("_Take Consent…"))));
  assert_false (gtk_widget_is_sensitive (expect_button (patient_page (), _("Revoke…"))));
  shot (GTK_WINDOW (window), "patient-page-consents-receptionist");

  {
    MesoPreferencesWindow *preferences = meso_preferences_window_new (GTK_WINDOW (window), app);
    GtkWidget *toggle;

    gtk_window_present (GTK_WINDOW (preferences));
    settle (200);
    toggle = find_labelled (GTK_WIDGET (preferences), GTK_TYPE_SWITCH,
                            _("Require Consent Before Treatment"));
    assert_non_null (toggle);
    assert_false (gtk_widget_is_sensitive (toggle));
    gtk_window_destroy (GTK_WINDOW (preferences));
    settle (100);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sign_on_screen),
    cmocka_unit_test (test_signed_on_paper),
    cmocka_unit_test (test_revoke),
    cmocka_unit_test (test_session_takes_consent),
    cmocka_unit_test (test_preferences),
    cmocka_unit_test (test_receptionist),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *shot_width = g_getenv ("MESO_SHOT_WIDTH");
  int failed;

  if (shot_width != NULL && atoi (shot_width) > 0)
    width = atoi (shot_width);
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  dir = g_dir_make_tmp ("mesodesk-consent-dialog-XXXXXX", NULL);
  path = g_build_filename (dir, "clinic.db", NULL);

  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  window = present_main_window (path, &app);
  if (window == NULL)
    return 1;
  gtk_window_set_default_size (GTK_WINDOW (window), width, 800);
  store = meso_application_get_store (app, &error);
  if (store == NULL)
    {
      g_printerr ("could not open the database: %s\n", error->message);
      return 1;
    }
  if (!wait_for_within (is_mapped, window, WAIT_TIMEOUT_USEC))
    return 1;

  meso_test_filter_from_env ();
  failed = cmocka_run_group_tests_name ("consent-dialog", tests, NULL, NULL);

  close_main_window (window, &app);
  remove_tree (dir);
  g_free (dir);
  return failed;
}
