/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-time.h"

#include <glib/gi18n.h>
#include <locale.h>

/* The exit codes scripts rely on; see README.md. */
typedef enum
{
  MESO_EXIT_OK = 0,
  MESO_EXIT_FAILURE = 1,
  MESO_EXIT_USAGE = 2,
  MESO_EXIT_REFUSED = 3,
  MESO_EXIT_NOT_FOUND = 4,
  MESO_EXIT_DATABASE = 5,
} MesoExit;

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} MesoCommand;

/* The commands arrive with the clinic database. */
static const MesoCommand commands[] = {
  { NULL, NULL, NULL }
};

static char *
describe_commands (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, _("Commands:"));
  g_string_append_c (text, '\n');
  if (commands[0].name == NULL)
    {
      g_string_append (text, "  ");
      g_string_append (text, _("(none yet: the clinic database and its commands are being built)"));
      g_string_append_c (text, '\n');
    }
  for (const MesoCommand *c = commands; c->name != NULL; c++)
    g_string_append_printf (text, "  %-14s %s\n", c->name, _(c->summary));

  g_string_append_c (text, '\n');
  g_string_append (text, _("Environment:"));
  g_string_append (text, "\n  MESODESK_NOW   ");
  g_string_append (text, _("“now” as YYYY-MM-DDTHH:MM local time, for tests and training"));
  g_string_append_c (text, '\n');

  g_string_append_c (text, '\n');
  g_string_append (text, _("Exit status: 0 done, 2 invalid input or usage, 3 refused by a clinical "
                           "rule, 4 not found, 5 database error."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *description = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database,
      N_("Use the clinic database at PATH"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

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

  if (!meso_clock_check_env (&error))
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
      return c->run (argc - 1, argv + 1);

  /* Translators: %s is what was typed as the command */
  g_printerr (_("Unknown command “%s”. Run “mesodesk-cli --help” for the list.\n"), argv[1]);
  return MESO_EXIT_USAGE;
}
