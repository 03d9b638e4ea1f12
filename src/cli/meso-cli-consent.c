/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli consent …: consent forms and their versions, a patient's
 * consents, taken on screen (a PNG signature) or on paper, and revoked
 * (issue 18); mesodesk-cli policy …: the clinic's policy, every value of
 * it, R8's consent-required among them. The rules and the permissions are
 * the store's. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-time.h"

#include <glib/gi18n.h>

/* ============================================================ the policy */

static void
json_policy (JsonBuilder      *builder,
             const MesoPolicy *policy)
{
  guint n_fields;
  const MesoPolicyField *fields = meso_policy_get_fields (&n_fields);

  json_builder_begin_object (builder);
  for (guint i = 0; i < n_fields; i++)
    {
      guint value = meso_policy_get_value (policy, &fields[i]);

      if (fields[i].is_switch)
        meso_cli_json_bool (builder, fields[i].key, value != 0);
      else
        meso_cli_json_int (builder, fields[i].key, value);
    }
  json_builder_end_object (builder);
}

static int
print_policy (MesoCli          *cli,
              const MesoPolicy *policy)
{
  guint n_fields;
  const MesoPolicyField *fields = meso_policy_get_fields (&n_fields);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_policy (builder, policy);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *value = meso_policy_format_value (policy, &fields[i]);

      g_print ("%s\t%s\n", fields[i].key, value);
    }
  return MESO_EXIT_OK;
}

static int
policy_show (MesoCli  *cli,
             int       argc,
             char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MesoPolicy policy;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "policy show", NULL,
                       N_("Prints every value of the clinic’s policy, one a line: its name and "
                          "its value (tab-separated)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_load_policy (store, &policy, &error))
    return meso_cli_fail (error);
  return print_policy (cli, &policy);
}

static int
policy_set (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MesoPolicy policy;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "policy set", N_("KEY VALUE"),
                       N_("Sets one value of the clinic’s policy (a manager’s work): a number, "
                          "or on/off for consent-required. “policy show” lists the names; a "
                          "value past its bound is refused, naming the bound."),
                       entries, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_load_policy (store, &policy, &error) ||
      !meso_policy_set_text (&policy, argv[1], argv[2], &error) ||
      !meso_store_save_policy (store, &policy, &error))
    return meso_cli_fail (error);
  return cli->json ? print_policy (cli, &policy) : MESO_EXIT_OK;
}

static const MesoCommand policy_commands[] = {
  { "show", N_("Print the clinic’s policy"), policy_show },
  { "set", N_("Set one value of the clinic’s policy"), policy_set },
  { NULL, NULL, NULL }
};

int
meso_cli_policy (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return meso_cli_dispatch (cli, "policy", N_("The clinic’s policy: intervals, aftercare, the "
                                             "lock, whether a session needs a consent."),
                            policy_commands, argc, argv);
}

/* ========================================================== the consents */

static void
json_consent (JsonBuilder       *builder,
              const MesoConsent *consent)
{
  json_builder_begin_object (builder);
  meso_json_consent_members (builder, consent);
  json_builder_end_object (builder);
}

/* Reads FILE for --signature or --file; an unreadable one is a wrong
 * argument (exit 2). */
static GBytes *
read_argument_file (const char  *option,
                    const char  *command,
                    const char  *path,
                    int         *exit_code)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      *exit_code = meso_cli_usage_error (command, "%s: %s", option, error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static int
consent_add (MesoCli  *cli,
             int       argc,
             char    **argv)
{
  g_autofree char *patient_text = NULL;
  g_autofree char *form = NULL;
  g_autofree char *language = NULL;
  g_autofree char *signed_on_text = NULL;
  g_autofree char *signature_path = NULL;
  g_autofree char *version_text = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GError) error = NULL;
  gboolean paper = FALSE;
  gint64 patient_id = 0, id = 0, version = 0;
  int exit_code;
  GDate signed_on;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_text, N_("The patient’s number (required)"),
      N_("ID") },
    { "form", 0, 0, G_OPTION_ARG_STRING, &form,
      N_("The consent form, e.g. microneedling (required)"), N_("NAME") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The form’s language (default: yours, else English)"), N_("LANGUAGE") },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version_text,
      N_("The version the patient read and signed (default: the latest)"), N_("N") },
    { "signed-on", 0, 0, G_OPTION_ARG_STRING, &signed_on_text,
      N_("The day it was signed (required)"), N_("YYYY-MM-DD") },
    { "signature", 0, 0, G_OPTION_ARG_FILENAME, &signature_path,
      N_("Signed on screen: the signature as a PNG image"), N_("FILE") },
    { "paper", 0, 0, G_OPTION_ARG_NONE, &paper, N_("Printed and signed on paper"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "consent add", NULL,
                       N_("Records a patient’s consent on a version of a form (the latest "
                          "unless --version), signed on screen (--signature) or on paper "
                          "(--paper), taken by whoever is signed in (a clinician), and prints "
                          "its number. A signed consent is never changed, only revoked."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patient_text == NULL || form == NULL || signed_on_text == NULL)
    return meso_cli_usage_error ("consent add",
                                 _("--patient, --form and --signed-on are required."));
  if ((signature_path != NULL) == paper)
    return meso_cli_usage_error ("consent add", _("Give either --signature or --paper."));

  g_date_clear (&signed_on, 1);
  if (!meso_cli_parse_option_id ("--patient", patient_text, &patient_id, &error) ||
      !meso_cli_parse_option_id ("--version", version_text, &version, &error) ||
      !meso_date_parse (signed_on_text, &signed_on, &error))
    return meso_cli_fail (error);
  if (signature_path != NULL &&
      (signature = read_argument_file ("--signature", "consent add", signature_path,
                                       &exit_code)) == NULL)
    return exit_code;

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_store_add_consent (store, patient_id, form, language, version, &signed_on, signature,
                               &id,
                               &error))
    return meso_cli_fail (error);

  if (!cli->json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", id);
      return MESO_EXIT_OK;
    }
  consents = meso_store_list_consents (store, patient_id, &error);
  if (consents == NULL)
    return meso_cli_fail (error);
  for (guint i = 0; i < consents->len; i++)
    if (((MesoConsent *)consents->pdata[i])->id == id)
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();

        json_consent (builder, consents->pdata[i]);
        meso_cli_print_json (builder);
        return MESO_EXIT_OK;
      }
  g_return_val_if_reached (MESO_EXIT_FAILURE);
}

static int
consent_list (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autofree char *patient_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = 0;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_text, N_("The patient’s number (required)"),
      N_("ID") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "consent list", NULL,
                       N_("Lists a patient’s consents, newest first, one a line: number, form, "
                          "language, version, signed on, screen or paper, taken by, revoked "
                          "on, reason (tab-separated; the last two empty while valid)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patient_text == NULL)
    return meso_cli_usage_error ("consent list", _("--patient is required."));
  if (!meso_cli_parse_option_id ("--patient", patient_text, &patient_id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || (consents = meso_store_list_consents (store, patient_id, &error)) == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    list = meso_cli_json_list_new ();
  for (guint i = 0; i < consents->len; i++)
    {
      const MesoConsent *consent = consents->pdata[i];
      g_autofree char *signed_on = meso_format_date_iso (&consent->signed_on);
      g_autofree char *revoked_on = g_date_valid (&consent->revoked_on)
                                      ? meso_format_date_iso (&consent->revoked_on)
                                      : g_strdup ("");

      if (list != NULL)
        {
          json_consent (meso_cli_json_list_element (list), consent);
          meso_cli_json_list_write (list);
        }
      else
        g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n",
                 consent->id, meso_cli_text (consent->form), consent->language,
                 consent->version, signed_on, meso_consent_method_to_nick (consent->method),
                 meso_cli_text (consent->taken_by), revoked_on,
                 meso_cli_text (consent->revoke_reason != NULL ? consent->revoke_reason : ""));
    }
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

static int
consent_revoke (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  g_autofree char *on_text = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  GDate on;
  const GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_STRING, &on_text,
      N_("The first day it no longer covers (required)"), N_("YYYY-MM-DD") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (required)"), N_("TEXT") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "consent revoke", N_("ID"),
                       N_("Revokes a consent from a day on, with a written reason (a "
                          "clinician’s work); a session on that day or later needs another "
                          "consent when the clinic requires one."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (on_text == NULL || reason == NULL)
    return meso_cli_usage_error ("consent revoke", _("--on and --reason are required."));

  g_date_clear (&on, 1);
  if (!meso_cli_parse_id (argv[1], &id, &error) || !meso_date_parse (on_text, &on, &error))
    return meso_cli_fail (error);
  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_revoke_consent (store, id, &on, reason, &error))
    return meso_cli_fail (error);
  return MESO_EXIT_OK;
}

/* ============================================================= the forms */

static void
json_text (JsonBuilder           *builder,
           const MesoConsentText *text)
{
  g_autoptr(GDateTime) created = meso_date_time_new_from_unix (text->created_at);

  json_builder_begin_object (builder);
  meso_cli_json_string (builder, "form", text->form);
  meso_cli_json_string (builder, "language", text->language);
  meso_cli_json_int (builder, "version", text->version);
  meso_cli_json_string (builder, "created_by", text->created_by);
  meso_cli_json_date_time (builder, "created_at", created);
  if (text->body != NULL)
    meso_cli_json_string (builder, "text", text->body);
  json_builder_end_object (builder);
}

static int
consent_forms (MesoCli  *cli,
               int       argc,
               char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "consent forms", NULL,
                       N_("Lists every consent form’s versions, one a line: form, language, "
                          "version, written by, written at (tab-separated)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || (texts = meso_store_list_consent_texts (store, &error)) == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    list = meso_cli_json_list_new ();
  for (guint i = 0; i < texts->len; i++)
    {
      const MesoConsentText *text = texts->pdata[i];
      g_autoptr(GDateTime) created = meso_date_time_new_from_unix (text->created_at);
      g_autofree char *created_text = meso_cli_format_time (created);

      if (list != NULL)
        {
          json_text (meso_cli_json_list_element (list), text);
          meso_cli_json_list_write (list);
        }
      else
        g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", meso_cli_text (text->form),
                 text->language, text->version, meso_cli_text (text->created_by), created_text);
    }
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

static int
form_show (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  g_autofree char *language = NULL;
  g_autofree char *version_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoConsentText) text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  const GOptionEntry entries[] = {
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language (default: yours, else English)"), N_("LANGUAGE") },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version_text,
      N_("The version (default: the latest)"), N_("N") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "consent form show", N_("NAME"),
                       N_("Prints a consent form’s text, as a patient reads it."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_option_id ("--version", version_text, &version, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      (text = meso_store_get_consent_text (store, argv[1], language, version, &error)) == NULL)
    return meso_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_text (builder, text);
      meso_cli_print_json (builder);
    }
  else
    g_print ("%s", text->body);
  return MESO_EXIT_OK;
}

static int
form_edit (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  g_autofree char *language = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *body = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoConsentText) text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  int exit_code;
  gsize length = 0;
  const char *data;
  const GOptionEntry entries[] = {
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The language (required)"),
      N_("LANGUAGE") },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &path, N_("The new text, UTF-8 (required)"),
      N_("FILE") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "consent form edit", N_("NAME"),
                       N_("Saves a new version of a consent form’s text in one language (a "
                          "manager’s work; a new name makes a new form) and prints its number. "
                          "Older versions stay, and each consent keeps the one it was signed "
                          "on."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (language == NULL || path == NULL)
    return meso_cli_usage_error ("consent form edit", _("--language and --file are required."));
  if ((contents = read_argument_file ("--file", "consent form edit", path, &exit_code)) == NULL)
    return exit_code;
  data = g_bytes_get_data (contents, &length);
  body = g_strndup (data, length);
  if (strlen (body) != length)
    return meso_cli_usage_error ("consent form edit", _("--file: the text holds a NUL byte."));

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_store_edit_consent_form (store, argv[1], language, body, &version, &error))
    return meso_cli_fail (error);
  if (!cli->json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", version);
      return MESO_EXIT_OK;
    }
  text = meso_store_get_consent_text (store, argv[1], language, version, &error);
  if (text == NULL)
    return meso_cli_fail (error);
  g_clear_pointer (&text->body, g_free);
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();

    json_text (builder, text);
    meso_cli_print_json (builder);
  }
  return MESO_EXIT_OK;
}

static const MesoCommand form_commands[] = {
  { "show", N_("Print a consent form’s text"), form_show },
  { "edit", N_("Save a new version of a consent form’s text"), form_edit },
  { NULL, NULL, NULL }
};

static int
consent_form (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  return meso_cli_dispatch (cli, "consent form", N_("One consent form’s text: read it, or "
                                                   "write a new version."),
                            form_commands, argc, argv);
}

static const MesoCommand consent_commands[] = {
  { "add", N_("Record a patient’s consent, signed on screen or on paper"), consent_add },
  { "list", N_("List a patient’s consents"), consent_list },
  { "revoke", N_("Revoke a consent, with a reason"), consent_revoke },
  { "forms", N_("List the consent forms and their versions"), consent_forms },
  { "form", N_("Show or edit a consent form’s text"), consent_form },
  { NULL, NULL, NULL }
};

int
meso_cli_consent (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  return meso_cli_dispatch (cli, "consent", N_("Consent before treatment: forms in versions, "
                                              "patients’ consents, revoking one."),
                            consent_commands, argc, argv);
}
