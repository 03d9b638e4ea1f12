/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-i18n.h"
#include "meso-time.h"

#include <glib/gi18n.h>
#include <locale.h>

/* Keep in step with README.md, “The command line”. */
static const MesoCommand commands[] = {
  { "patient", N_("Add, list, show, edit, archive and flag patients"), meso_cli_patient },
  { "session", N_("Record a treatment session"), meso_cli_session },
  { "appointment", N_("Book, check, cancel, list and suggest appointments"),
    meso_cli_appointment },
  { "practitioner", N_("Add and list practitioners"), meso_cli_practitioner },
  { "room", N_("Add and list treatment rooms"), meso_cli_room },
  { "lot", N_("Register product lots; list who received one"), meso_cli_lot },
  { "consent", N_("Consent forms and patients’ consents: take, list, revoke"),
    meso_cli_consent },
  { "policy", N_("Show or set the clinic’s policy"), meso_cli_policy },
  { "photo", N_("Add, list and export a session’s before and after photos"), meso_cli_photo },
  { "hours", N_("Set and show the opening hours"), meso_cli_hours },
  { "recall", N_("Mark a patient’s course finished or declined, or reopen it"),
    meso_cli_recall },
  { "reminders", N_("Aftercare and recall items active on a day"), meso_cli_reminders },
  { "export", N_("Export appointments (iCalendar) or patients (CSV)"), meso_cli_export },
  { "import", N_("Import patients from CSV"), meso_cli_import },
  { "backup", N_("Copy the database safely, even while it is in use"), meso_cli_backup },
  { "restore", N_("Replace the database with a backup"), meso_cli_restore },
  { "transfer", N_("Copy the whole clinic into an empty database (a file or a server)"),
    meso_cli_transfer },
  { "check", N_("Check the database’s integrity and schema version"), meso_cli_check },
  { "demo", N_("Fill an empty database with demonstration patients"), meso_cli_demo },
  { "audit", N_("List the audit log, or verify it (audit verify)"), meso_cli_audit },
  { "staff", N_("Staff accounts: add, list, disable, passwords"), meso_cli_staff },
  { NULL, NULL, NULL }
};

static const struct
{
  MesoExit    status;
  const char *meaning;
} exit_statuses[] = {
  { MESO_EXIT_OK, N_("done (warnings, if any, on stderr)") },
  { MESO_EXIT_USAGE, N_("invalid input or usage") },
  { MESO_EXIT_REFUSED, N_("refused by a clinical rule, or a conflict (the reason on stderr)") },
  { MESO_EXIT_NOT_FOUND, N_("not found") },
  { MESO_EXIT_DATABASE, N_("database error: damaged, busy, full, newer or unreadable; or "
                           "the clinic server cannot be reached, went away, or refused the "
                           "user or password") },
  { MESO_EXIT_NOT_ALLOWED, N_("not allowed: nobody signed in where the clinic has accounts, "
                              "a wrong name or password, a disabled account, or a role that "
                              "may not do this") },
  { MESO_EXIT_FAILURE, N_("anything else, such as a file that cannot be written") },
};

static char *
describe_commands (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, _("Commands:"));
  g_string_append_c (text, '\n');
  for (const MesoCommand *c = commands; c->name != NULL; c++)
    g_string_append_printf (text, "  %-14s %s\n", c->name, _(c->summary));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Run “mesodesk-cli COMMAND --help” for a command’s options. Every "
                           "command accepts --json."));
  g_string_append_c (text, '\n');

  g_string_append_c (text, '\n');
  g_string_append (text, _("Environment:"));
  g_string_append_printf (text, "\n  %-18s %s", "MESODESK_NOW",
                          _("“now” as YYYY-MM-DDTHH:MM local time, for tests and training"));
  g_string_append_printf (text, "\n  %-18s %s", "MESODESK_DATABASE",
                          _("the database (file or clinic server) used without --database"));
  g_string_append_printf (text, "\n  %-18s %s\n", "",
                          _("(default: $XDG_DATA_HOME/mesodesk/clinic.db)"));
  g_string_append_printf (text, "  %-18s %s\n", "MESODESK_USER",
                          _("the staff member who signs in, used without --user"));
  g_string_append_printf (text, "  %-18s %s\n", "MESODESK_PASSWORD",
                          _("their password (else --password-stdin, or asked at a terminal)"));

  g_string_append_c (text, '\n');
  g_string_append (text, _("Exit status:"));
  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (exit_statuses); i++)
    g_string_append_printf (text, "  %d  %s\n", exit_statuses[i].status,
                            _(exit_statuses[i].meaning));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  gboolean password_stdin = FALSE;
  MesoCli cli = { NULL, FALSE, NULL, FALSE };
  g_autofree char *description = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database,
      N_("Use the clinic database at LOCATION: a database file, or a clinic server "
         "(postgresql://… or service=NAME)"), N_("LOCATION") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Sign in as NAME, a staff member (or $MESODESK_USER)"), N_("NAME") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password to sign in with from the first line of stdin"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  meso_i18n_init ();
  /* The command line writes dates and numbers as it takes them, in every
   * language: ISO dates, "0.5" with a point. */
  meso_time_set_message_dates (MESO_MESSAGE_DATES_ISO);
  setlocale (LC_NUMERIC, "C");

  context = g_option_context_new (_("COMMAND [OPTIONS…]"));
  g_option_context_set_summary (context, _("Mesodesk, the microneedling clinic’s records, "
                                           "on the command line."));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return MESO_EXIT_USAGE;
    }

  if (version)
    {
      g_print ("mesodesk-cli %s\n", PACKAGE_VERSION);
      return MESO_EXIT_OK;
    }

  if (database != NULL && *database == '\0')
    {
      g_printerr ("%s\n", _("--database needs the path of a database file."));
      return MESO_EXIT_USAGE;
    }

  if (!meso_clock_check_env (&error) || !meso_store_check_env (&error))
    {
      g_printerr ("%s\n", error->message);
      return MESO_EXIT_USAGE;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return MESO_EXIT_USAGE;
    }

  for (const MesoCommand *c = commands; c->name != NULL; c++)
    if (g_str_equal (c->name, argv[1]))
      {
        cli.database = database;
        cli.user = user;
        cli.password_stdin = password_stdin;
        return c->run (&cli, argc - 1, argv + 1);
      }

  /* Translators: %s is what was typed as the command */
  g_printerr (_("Unknown command “%s”. Run “mesodesk-cli --help” for the list.\n"), argv[1]);
  return MESO_EXIT_USAGE;
}
