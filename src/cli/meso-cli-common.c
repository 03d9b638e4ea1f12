/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-exchange.h"
#include "meso-text.h"
#include "meso-time.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* ============================================================ dispatching */

static char *
describe_subcommands (const char        *group,
                      const char        *summary,
                      const MesoCommand *subcommands)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n  mesodesk-cli %s %s\n\n", _("Usage:"), group,
                          /* Translators: the placeholder in a usage line */
                          _("SUBCOMMAND [OPTION…]"));
  g_string_append_printf (text, "%s\n\n%s\n", _(summary), _("Subcommands:"));
  for (const MesoCommand *c = subcommands; c->name != NULL; c++)
    g_string_append_printf (text, "  %-12s %s\n", c->name, _(c->summary));
  g_string_append_c (text, '\n');
  /* Translators: %s is a command such as “patient” */
  g_string_append_printf (text, _("Run “mesodesk-cli %s SUBCOMMAND --help” for the options of "
                                  "one."),
                          group);
  g_string_append_c (text, '\n');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
meso_cli_dispatch (MesoCli            *cli,
                   const char         *group,
                   const char         *summary,
                   const MesoCommand  *subcommands,
                   int                 argc,
                   char              **argv)
{
  g_autofree char *help = describe_subcommands (group, summary, subcommands);

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
                    g_str_equal (argv[1], "help")))
    {
      g_print ("%s", help);
      return MESO_EXIT_OK;
    }
  if (argc < 2)
    {
      g_printerr ("%s", help);
      return MESO_EXIT_USAGE;
    }

  for (const MesoCommand *c = subcommands; c->name != NULL; c++)
    if (g_str_equal (c->name, argv[1]))
      return c->run (cli, argc - 1, argv + 1);

  /* Translators: the first %s is what was typed, the second a command like “patient” */
  g_printerr (_("Unknown subcommand “%s”. Run “mesodesk-cli %s --help” for the list.\n"),
              argv[1], group);
  return MESO_EXIT_USAGE;
}

int
meso_cli_usage_error (const char *command,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s\n", message);
  /* Translators: %s is a command such as “patient add” */
  g_printerr (_("Run “mesodesk-cli %s --help” for its options.\n"), command);
  return MESO_EXIT_USAGE;
}

gboolean
meso_cli_parse (MesoCli             *cli,
                const char          *command,
                const char          *parameters,
                const char          *summary,
                const GOptionEntry  *entries,
                int                 *argc,
                char              ***argv,
                int                  min_args,
                int                  max_args)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("mesodesk-cli ", command, NULL);
  const GOptionEntry common[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print the result as JSON, for scripts"), NULL },
    { NULL }
  };
  int n_args;

  /* So that the help's usage line names the whole command. */
  g_set_prgname (prgname);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      meso_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  n_args = *argc - 1;
  if (n_args < min_args)
    {
      meso_cli_usage_error (command,
                            /* Translators: %s lists what is expected, e.g. “ID” */
                            _("Missing argument: %s"), _(parameters));
      return FALSE;
    }
  if (n_args > max_args)
    {
      meso_cli_usage_error (command, _("Unexpected argument “%s”."), (*argv)[1 + max_args]);
      return FALSE;
    }
  return TRUE;
}

/* ================================================================= errors */

int
meso_cli_exit_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, MESO_EXIT_FAILURE);

  if (error->domain == MESO_STORE_ERROR)
    {
      switch ((MesoStoreError)error->code)
        {
        case MESO_STORE_ERROR_INVALID:
          return MESO_EXIT_USAGE;
        case MESO_STORE_ERROR_REFUSED:
        case MESO_STORE_ERROR_CONFLICT:
          return MESO_EXIT_REFUSED;
        case MESO_STORE_ERROR_NOT_FOUND:
          return MESO_EXIT_NOT_FOUND;
        case MESO_STORE_ERROR_NOT_ALLOWED:
          return MESO_EXIT_NOT_ALLOWED;
        case MESO_STORE_ERROR_CORRUPT:
        case MESO_STORE_ERROR_UNSUPPORTED:
        case MESO_STORE_ERROR_BUSY:
        case MESO_STORE_ERROR_FULL:
        case MESO_STORE_ERROR_UNREACHABLE:
        case MESO_STORE_ERROR_DENIED:
        case MESO_STORE_ERROR_FAILED:
        default:
          return MESO_EXIT_DATABASE;
        }
    }

  if (error->domain == MESO_TIME_ERROR || error->domain == MESO_RULES_ERROR ||
      error->domain == MESO_POLICY_ERROR ||
      error->domain == MESO_PATIENT_ERROR || error->domain == MESO_TEXT_ERROR ||
      error->domain == G_OPTION_ERROR)
    return MESO_EXIT_USAGE;

  if (error->domain == MESO_EXCHANGE_ERROR)
    {
      switch ((MesoExchangeError)error->code)
        {
        case MESO_EXCHANGE_ERROR_PARSE:
        case MESO_EXCHANGE_ERROR_READ:
          /* The FILE argument is wrong, as a bad value would be. */
          return MESO_EXIT_USAGE;
        case MESO_EXCHANGE_ERROR_WRITE:
        default:
          return MESO_EXIT_FAILURE;
        }
    }

  if (error->domain == MESO_PHOTO_ERROR)
    {
      switch ((MesoPhotoError)error->code)
        {
        case MESO_PHOTO_ERROR_NOT_IMAGE:
        case MESO_PHOTO_ERROR_TOO_LARGE:
        case MESO_PHOTO_ERROR_READ:
          /* The FILE argument is wrong, as an import file's would be. */
          return MESO_EXIT_USAGE;
        case MESO_PHOTO_ERROR_FAILED:
        default:
          return MESO_EXIT_FAILURE;
        }
    }

  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return MESO_EXIT_NOT_FOUND;

  return MESO_EXIT_FAILURE;
}

int
meso_cli_fail (const GError *error)
{
  /* A caller that forgot to set one: a message and a failure, not a crash. */
  if (error == NULL)
    {
      g_printerr ("%s\n", _("Something went wrong, and no reason was given."));
      return MESO_EXIT_FAILURE;
    }
  g_printerr ("%s\n", error->message);
  return meso_cli_exit_code (error);
}

/* =============================================================== database */

char *
meso_cli_database_path (MesoCli *cli)
{
  if (cli->database != NULL && *cli->database != '\0')
    return g_strdup (cli->database);
  return meso_store_default_path ();
}

/* Where there are no accounts, only a clinician may override: the one
 * named by --practitioner. Where there are, the store judges by the
 * signed-in person instead, whatever is named here. Without an override
 * the role changes nothing, so a receptionist's is used. */
gboolean
meso_cli_acting_role (MesoStore   *store,
                      const char  *practitioner,
                      const char  *override_reason,
                      MesoRole    *role,
                      GError     **error)
{
  *role = MESO_ROLE_RECEPTIONIST;
  if (override_reason == NULL || practitioner == NULL)
    return TRUE;
  return meso_store_get_practitioner_role (store, practitioner, role, error);
}

void
meso_cli_password_free (char *password)
{
  if (password != NULL)
    sodium_memzero (password, strlen (password));
  g_free (password);
}

char *
meso_cli_read_password (const char  *prompt,
                        gboolean     from_stdin,
                        GError     **error)
{
  struct termios saved, quiet;
  gboolean terminal = FALSE;
  char line[1024];
  char *password = NULL;

  if (!from_stdin)
    {
      if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &saved) != 0)
        {
          g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_ALLOWED,
                               _("No password given: set MESODESK_PASSWORD, use "
                                 "--password-stdin, or run it at a terminal."));
          return NULL;
        }
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      terminal = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
      g_printerr ("%s", prompt);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      password = g_strdup (line);
    }
  sodium_memzero (line, sizeof line);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  if (password == NULL)
    g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_ALLOWED,
                         _("No password given."));
  return password;
}

static const char *
cli_user (MesoCli *cli)
{
  const char *user = cli->user != NULL ? cli->user : g_getenv ("MESODESK_USER");

  return user != NULL && *user != '\0' ? user : NULL;
}

/* Signs @store in as the global --user, if one is named. */
static gboolean
cli_sign_in (MesoCli    *cli,
             MesoStore  *store,
             GError    **error)
{
  const char *user = cli_user (cli);
  char *password;
  gboolean ok;

  if (user == NULL)
    return TRUE;
  /* The environment's copy is the caller's to keep or clear. */
  if (g_getenv ("MESODESK_PASSWORD") != NULL && !cli->password_stdin)
    password = g_strdup (g_getenv ("MESODESK_PASSWORD"));
  else
    password = meso_cli_read_password (_("Password: "), cli->password_stdin, error);
  if (password == NULL)
    return FALSE;
  ok = meso_store_sign_in (store, user, password, error);
  meso_cli_password_free (password);
  return ok;
}

MesoStore *
meso_cli_open (MesoCli  *cli,
               GError  **error)
{
  g_autofree char *path = meso_cli_database_path (cli);
  g_autoptr(MesoStore) store = NULL;

  store = meso_store_open (path, error);
  if (store == NULL || !cli_sign_in (cli, store, error))
    return NULL;
  return g_steal_pointer (&store);
}

gboolean
meso_cli_ticket (MesoCli           *cli,
                 const char        *database,
                 MesoStaffTicket  **ticket,
                 GError           **error)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) open_error = NULL;

  *ticket = NULL;
  /* Nobody named, or no file yet (opening would make one): nobody
   * signed in, which a database without accounts allows. */
  if (cli_user (cli) == NULL ||
      (!meso_store_location_is_server (database) && !g_file_test (database, G_FILE_TEST_EXISTS)))
    return TRUE;
  store = meso_store_open (database, &open_error);
  /* A damaged database has no accounts to ask: the restore replaces it. */
  if (store == NULL && open_error->domain == MESO_STORE_ERROR &&
      (open_error->code == MESO_STORE_ERROR_CORRUPT ||
       open_error->code == MESO_STORE_ERROR_UNSUPPORTED))
    return TRUE;
  if (store == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&open_error));
      return FALSE;
    }
  if (!cli_sign_in (cli, store, error))
    return FALSE;
  *ticket = meso_store_get_ticket (store);
  return TRUE;
}

/* ================================================================ parsing */

/* Digits only: no sign, space or base prefix, and no leading zero, which
 * strtoll would read as octal ("010" is 8) and a person as 10. */
static gboolean
parse_decimal (const char *text,
               gint64      min,
               gint64      max,
               gint64     *value)
{
  guint64 parsed;

  g_return_val_if_fail (min >= 0 && min <= max, FALSE);

  if (text == NULL || !g_ascii_isdigit (text[0]) || (text[0] == '0' && text[1] != '\0'))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, (guint64)min, (guint64)max, &parsed, NULL))
    return FALSE;
  *value = (gint64)parsed;
  return TRUE;
}

gboolean
meso_cli_parse_id (const char  *text,
                   gint64      *id,
                   GError     **error)
{
  if (parse_decimal (text, 1, G_MAXINT64, id))
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: %s is what was typed */
               _("“%s” is not a record number (a whole number from 1 up, digits only)."),
               text != NULL ? text : "");
  return FALSE;
}

gboolean
meso_cli_parse_option_id (const char  *option,
                          const char  *text,
                          gint64      *id,
                          GError     **error)
{
  if (text == NULL || parse_decimal (text, 1, G_MAXINT64, id))
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: the first %s is an option such as --patient, the second what
                * was typed */
               _("%s “%s” is not a record number (a whole number from 1 up, digits only)."),
               option, text);
  return FALSE;
}

gboolean
meso_cli_parse_count (const char  *option,
                      const char  *text,
                      gint64       min,
                      gint64       max,
                      gint64      *value,
                      GError     **error)
{
  if (text == NULL || parse_decimal (text, min, max, value))
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: the first %s is an option such as --count, the second what was
                * typed; then the smallest and the largest value allowed */
               _("%s “%s” is not a whole number from %lld to %lld (digits only)."),
               option, text, (long long)min, (long long)max);
  return FALSE;
}

gboolean
meso_cli_parse_nick (GType        type,
                     const char  *option,
                     const char  *text,
                     int         *value,
                     GError     **error)
{
  g_autoptr(GEnumClass) klass = NULL;
  g_autoptr(GString) choices = NULL;

  if (meso_enum_from_nick (type, text, value))
    return TRUE;

  klass = g_type_class_ref (type);
  choices = g_string_new (NULL);
  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (choices, "%s%s", i ? ", " : "", klass->values[i].value_nick);

  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: “%s” is what was typed, then the option, then the choices */
               _("“%s” is not a valid value for %s; choose one of: %s."),
               text != NULL ? text : "", option, choices->str);
  return FALSE;
}

gboolean
meso_cli_parse_day (const char  *text,
                    GDate       *day,
                    GError     **error)
{
  GDate today;

  if (text == NULL)
    {
      meso_clock_today (day);
      return TRUE;
    }
  if (!meso_date_parse (text, day, error))
    return FALSE;
  meso_clock_today (&today);
  return meso_date_check (MESO_DATE_QUERY, day, &today, error);
}

void
meso_cli_print_warnings (GPtrArray *verdicts)
{
  if (verdicts == NULL)
    return;

  for (guint i = 0; i < verdicts->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (meso_verdict_get_kind (verdict) == MESO_VERDICT_WARNING)
        /* Translators: %s is a rule's message */
        g_printerr (_("Warning: %s\n"), meso_verdict_get_message (verdict));
    }
}

/* =================================================================== JSON */

void
meso_cli_json_verdict (JsonBuilder *builder,
                       MesoVerdict *verdict)
{
  json_builder_begin_object (builder);
  meso_json_nick (builder, "kind", MESO_TYPE_VERDICT_KIND, meso_verdict_get_kind (verdict));
  meso_json_string (builder, "rule", meso_verdict_get_rule (verdict));
  meso_json_string (builder, "message", meso_verdict_get_message (verdict));
  meso_json_nick (builder, "resolution", MESO_TYPE_RESOLUTION,
                      meso_verdict_get_resolution (verdict));
  meso_json_bool (builder, "blocking", meso_verdict_is_blocking (verdict));
  json_builder_end_object (builder);
}

/* Every document's layout: indented by two. */
static JsonGenerator *
new_generator (void)
{
  JsonGenerator *generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return generator;
}

void
meso_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = new_generator ();
  g_autofree char *data = NULL;
  gsize length = 0;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  /* UTF-8 whatever the locale: JSON is for programs. */
  fwrite (data, 1, length, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* json-glib writes an array "[\n", the elements joined by ",\n", "\n]" (an
 * empty one "[]"). Each element is written as the single element of an
 * array of its own and its text cut out of that, so every byte is what the
 * whole document would have been, with only one element in memory. */
struct _MesoCliJsonList
{
  JsonBuilder   *builder;
  JsonGenerator *generator;
  GString       *text;
  guint          written;
  guint          members;   /* of the flat object being written */
};

MesoCliJsonList *
meso_cli_json_list_new (void)
{
  MesoCliJsonList *list = g_new0 (MesoCliJsonList, 1);

  list->builder = json_builder_new ();
  list->generator = new_generator ();
  list->text = g_string_new (NULL);
  return list;
}

void
meso_cli_json_list_free (MesoCliJsonList *list)
{
  if (list == NULL)
    return;
  g_object_unref (list->builder);
  g_object_unref (list->generator);
  g_string_free (list->text, TRUE);
  g_free (list);
}

JsonBuilder *
meso_cli_json_list_element (MesoCliJsonList *list)
{
  g_return_val_if_fail (list != NULL, NULL);

  json_builder_reset (list->builder);
  json_builder_begin_array (list->builder);
  return list->builder;
}

void
meso_cli_json_list_write (MesoCliJsonList *list)
{
  g_autoptr(JsonNode) root = NULL;
  gsize length;

  g_return_if_fail (list != NULL);

  json_builder_end_array (list->builder);
  root = json_builder_get_root (list->builder);
  json_generator_set_root (list->generator, root);
  g_string_truncate (list->text, 0);
  json_generator_to_gstring (list->generator, list->text);
  length = list->text->len;
  g_return_if_fail (length > 4 && g_str_has_prefix (list->text->str, "[\n") &&
                    g_str_has_suffix (list->text->str, "\n]"));

  fputs (list->written++ == 0 ? "[\n" : ",\n", stdout);
  fwrite (list->text->str + 2, 1, length - 4, stdout);
}

/* Flat objects written directly, in json-glib's layout and escaping: a
 * builder and a generator per element cost twice the text form's time on
 * a list of 50 000 (tests/test-cli.c compares the bytes with json-glib's). */
static void
append_json_string (GString    *text,
                    const char *value)
{
  g_autofree char *valid = NULL;

  /* Valid UTF-8 out, whatever a record holds. */
  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (text, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (text, "\\\"");
          break;
        case '\\':
          g_string_append (text, "\\\\");
          break;
        case '\b':
          g_string_append (text, "\\b");
          break;
        case '\f':
          g_string_append (text, "\\f");
          break;
        case '\n':
          g_string_append (text, "\\n");
          break;
        case '\r':
          g_string_append (text, "\\r");
          break;
        case '\t':
          g_string_append (text, "\\t");
          break;
        default:
          if ((guchar)*p < 0x20 || *p == 0x7f)
            g_string_append_printf (text, "\\u%04x", (guint)(guchar)*p);
          else
            g_string_append_c (text, *p);
          break;
        }
    }
  g_string_append_c (text, '"');
}

void
meso_cli_json_list_begin_object (MesoCliJsonList *list)
{
  g_return_if_fail (list != NULL);

  g_string_assign (list->text, "  {");
  list->members = 0;
}

static void
begin_member (MesoCliJsonList *list,
              const char      *name)
{
  g_string_append (list->text, list->members++ == 0 ? "\n    " : ",\n    ");
  append_json_string (list->text, name);
  g_string_append (list->text, " : ");
}

void
meso_cli_json_list_string (MesoCliJsonList *list,
                           const char      *name,
                           const char      *value)
{
  begin_member (list, name);
  if (value != NULL)
    append_json_string (list->text, value);
  else
    g_string_append (list->text, "null");
}

void
meso_cli_json_list_int (MesoCliJsonList *list,
                        const char      *name,
                        gint64           value)
{
  begin_member (list, name);
  g_string_append_printf (list->text, "%" G_GINT64_FORMAT, value);
}

void
meso_cli_json_list_end_object (MesoCliJsonList *list)
{
  g_return_if_fail (list != NULL);

  /* json-glib writes an empty object in an array as "{  }". */
  g_string_append (list->text, list->members > 0 ? "\n  }" : "  }");
  fputs (list->written++ == 0 ? "[\n" : ",\n", stdout);
  fwrite (list->text->str, 1, list->text->len, stdout);
}

void
meso_cli_json_list_finish (MesoCliJsonList *list)
{
  g_return_if_fail (list != NULL);

  fputs (list->written == 0 ? "[]\n" : "\n]\n", stdout);
  fflush (stdout);
}

/* ================================================================== text */

char *
meso_cli_format_time (GDateTime *date_time)
{
  if (date_time == NULL)
    return g_strdup ("—");
  return meso_format_date_time (date_time);
}

/* Interned: a short-lived program prints each name a few times at most. */
const char *
meso_cli_text (const char *text)
{
  g_autofree char *escaped = meso_text_escape_controls (text);

  return escaped != NULL ? g_intern_string (escaped) : text;
}

char *
meso_cli_describe_appointment (MesoAppointment *appointment)
{
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  g_autofree char *start = meso_cli_format_time (meso_appointment_get_start (appointment));
  g_autofree char *until = end != NULL ? g_date_time_format (end, "%H:%M") : g_strdup ("");
  g_autoptr(GString) text = g_string_new (NULL);
  const char *practitioner = meso_appointment_get_practitioner (appointment);
  const char *room = meso_appointment_get_room (appointment);

  g_string_append_printf (text, "%" G_GINT64_FORMAT "\t%s–%s\t%s\t%s\t",
                          meso_appointment_get_id (appointment), start, until,
                          meso_area_get_label (meso_appointment_get_area (appointment)),
                          meso_appointment_status_get_label (
                            meso_appointment_get_status (appointment)));
  if (meso_appointment_get_patient_name (appointment) != NULL)
    g_string_append_printf (text, "%s (%" G_GINT64_FORMAT ")",
                            meso_cli_text (meso_appointment_get_patient_name (appointment)),
                            meso_appointment_get_patient_id (appointment));
  else
    /* Translators: %lld is a patient number */
    g_string_append_printf (text, _("patient %lld"),
                            (long long)meso_appointment_get_patient_id (appointment));
  if (practitioner != NULL)
    g_string_append_printf (text, "\t%s", meso_cli_text (practitioner));
  if (room != NULL)
    g_string_append_printf (text, "\t%s", meso_cli_text (room));
  if (meso_appointment_get_cancel_reason (appointment) != NULL)
    g_string_append_printf (text, "\t%s",
                            meso_cli_text (meso_appointment_get_cancel_reason (appointment)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}
