/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli export, import, backup, restore, check, demo: the database
 * as a whole, and files in and out. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-exchange.h"
#include "meso-time.h"

#include <glib/gi18n.h>
#include <unistd.h>

/* Prints {"path": …, "<count_name>": n} for --json. */
static void
print_count_json (const char *path,
                  const char *count_name,
                  guint       count)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *display = g_filename_display_name (path);

  json_builder_begin_object (builder);
  meso_cli_json_string (builder, "path", display);
  meso_cli_json_int (builder, count_name, count);
  json_builder_end_object (builder);
  meso_cli_print_json (builder);
}

/* ================================================================= export */

static int
export_ics (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  gboolean include_area = FALSE;
  gboolean include_name = FALSE;
  guint n_written = 0;
  GDate day;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Appointments from this day on (default: all)"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Appointments up to this day, included (default: all)"), N_("YYYY-MM-DD") },
    { "include-name", 0, 0, G_OPTION_ARG_NONE, &include_name,
      N_("Name the patient in each event’s summary (personal data)"), NULL },
    { "include-area", 0, 0, G_OPTION_ARG_NONE, &include_area,
      N_("Name the treatment area in each event’s summary (clinical detail)"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "export ics", N_("FILE"),
                       N_("Writes the appointments as an iCalendar file, one event each. "
                          "An event says only “Mesodesk appointment” and its number: the "
                          "patient’s name and the area only with --include-name and "
                          "--include-area."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  if (from_text != NULL)
    {
      if (!meso_cli_parse_day (from_text, &day, &error))
        return meso_cli_fail (error);
      from = meso_date_time_from_date (&day);
    }
  if (to_text != NULL)
    {
      if (!meso_cli_parse_day (to_text, &day, &error))
        return meso_cli_fail (error);
      g_date_add_days (&day, 1);
      to = meso_date_time_from_date (&day);
    }
  if (from != NULL && to != NULL && g_date_time_compare (to, from) <= 0)
    return meso_cli_usage_error ("export ics", _("--to is before --from."));

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_exchange_export_ics (store, argv[1], from, to,
                                 (include_name ? MESO_ICS_INCLUDE_NAME : 0) |
                                   (include_area ? MESO_ICS_INCLUDE_AREA : 0),
                                 &n_written, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      print_count_json (argv[1], "written", n_written);
      return MESO_EXIT_OK;
    }
  display = g_filename_display_name (argv[1]);
  g_print (ngettext ("Exported %u appointment to %s.\n", "Exported %u appointments to %s.\n",
                     n_written),
           n_written, display);
  return MESO_EXIT_OK;
}

static int
export_csv (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  guint n_written = 0;

  if (!meso_cli_parse (cli, "export csv", N_("patients FILE"),
                       N_("Writes every patient to a CSV file (RFC 4180): id, name, birth_date, "
                          "phone, email, sensitive_skin, notes, archived."),
                       NULL, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;
  if (!g_str_equal (argv[1], "patients"))
    return meso_cli_usage_error ("export csv",
                                 _("Only patients can be exported as CSV: "
                                   "“export csv patients FILE”."));

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_exchange_export_patients_csv (store, argv[2], &n_written, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      print_count_json (argv[2], "written", n_written);
      return MESO_EXIT_OK;
    }
  display = g_filename_display_name (argv[2]);
  g_print (ngettext ("Exported %u patient to %s.\n", "Exported %u patients to %s.\n",
                     n_written),
           n_written, display);
  return MESO_EXIT_OK;
}

static const MesoCommand export_commands[] = {
  { "ics", N_("Appointments as iCalendar (.ics)"), export_ics },
  { "csv", N_("Patients as CSV: “export csv patients FILE”"), export_csv },
  { NULL, NULL, NULL }
};

int
meso_cli_export (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return meso_cli_dispatch (cli, "export", N_("Files out: a calendar, or the patient list."),
                            export_commands, argc, argv);
}

/* ================================================================= import */

/* On a terminal, one line on stderr rewritten in place a few times a
 * second: a large import takes a while. */
typedef struct
{
  gint64   shown_at;   /* monotonic µs; 0 before the first */
  gboolean shown;
} ImportProgress;

#define IMPORT_PROGRESS_INTERVAL (G_USEC_PER_SEC / 4)

/* Whether a progress line is due now (the first, the last, or a quarter
 * of a second after the one before); if so, the line before is erased and
 * @done and @total are given as text, grouped as the locale groups
 * thousands. */
static gboolean
progress_due (ImportProgress  *progress,
              gint64           done,
              gint64           total,
              char           **done_text,
              char           **total_text)
{
  gint64 now = g_get_monotonic_time ();

  if (progress->shown && done < total && now - progress->shown_at < IMPORT_PROGRESS_INTERVAL)
    return FALSE;
  progress->shown_at = now;
  progress->shown = TRUE;
  *done_text = g_strdup_printf ("%'" G_GINT64_FORMAT, done);
  *total_text = g_strdup_printf ("%'" G_GINT64_FORMAT, total);
  g_printerr ("\r\033[K");
  return TRUE;
}

static void
import_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;

  if (progress_due (user_data, done, total, &done_text, &total_text))
    /* Translators: "Importing… 42 000 of 100 000 rows" on a terminal, rewritten
     * as it goes */
    g_printerr (ngettext ("Importing… %s of %s row", "Importing… %s of %s rows", total),
                done_text, total_text);
}

static int
import_csv (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_imported = 0;
  ImportProgress progress = { 0, FALSE };
  gboolean on_terminal;
  gboolean imported;

  if (!meso_cli_parse (cli, "import csv", N_("patients FILE"),
                       N_("Adds the patients of a CSV file (RFC 4180, the columns of "
                          "“export csv patients”), all or nothing: an error names the line and "
                          "the column, and nothing is stored."),
                       NULL, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;
  if (!g_str_equal (argv[1], "patients"))
    return meso_cli_usage_error ("import csv",
                                 _("Only patients can be imported from CSV: "
                                   "“import csv patients FILE”."));

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  on_terminal = !cli->json && isatty (STDERR_FILENO);
  imported = meso_exchange_import_patients_csv_rows (store, argv[2],
                                                     on_terminal ? import_progress_cb : NULL,
                                                     &progress, NULL, &n_imported, &error);
  /* The line goes, leaving the terminal as it was for what follows. */
  if (progress.shown)
    g_printerr ("\r\033[K");
  if (!imported)
    return meso_cli_fail (error);

  if (cli->json)
    {
      print_count_json (argv[2], "imported", n_imported);
      return MESO_EXIT_OK;
    }
  g_print (ngettext ("Imported %u patient.\n", "Imported %u patients.\n", n_imported),
           n_imported);
  return MESO_EXIT_OK;
}

static const MesoCommand import_commands[] = {
  { "csv", N_("Patients from CSV: “import csv patients FILE”"), import_csv },
  { NULL, NULL, NULL }
};

int
meso_cli_import (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return meso_cli_dispatch (cli, "import", N_("Files in: patients from another program."),
                            import_commands, argc, argv);
}

/* ===================================================== backup and restore */

int
meso_cli_backup (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  g_auto(MesoAuditVerification) audit = { 0 };

  if (!meso_cli_parse (cli, "backup", N_("FILE"),
                       N_("Writes a consistent copy of the database to FILE, safely even while "
                          "the window or another command is using it. A damaged database is "
                          "not copied (exit status 5). Prints the audit log’s last hash, to keep "
                          "elsewhere (exit status 5 if the log does not verify)."),
                       NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_backup (store, argv[1], &error))
    return meso_cli_fail (error);
  /* The log's last hash, for the clinic to keep elsewhere: read just after
   * the copy, so it is the copy's or a later one's. */
  if (!meso_store_verify_audit (store, &audit, &error))
    return meso_cli_fail (error);

  display = g_filename_display_name (argv[1]);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "backup", display);
      meso_cli_json_int (builder, "audit_entries", audit.entries);
      meso_cli_json_string (builder, "audit_last_hash", audit.last_hash);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  else
    /* Translators: %s is a file name */
    g_print (_("Backed up to %s.\n"), display);
  if (!audit.sound)
    {
      g_printerr (_("The audit log is not as Mesodesk wrote it: %s.\n"), audit.problem);
      return MESO_EXIT_DATABASE;
    }
  if (!cli->json)
    meso_cli_print_audit_head (&audit);
  return MESO_EXIT_OK;
}

int
meso_cli_restore (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *kept_aside = NULL;
  g_autofree char *kept_display = NULL;
  g_autoptr(MesoStaffTicket) ticket = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("On a clinic server that holds records: replace them all"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "restore", N_("FILE"),
                       N_("Replaces the records with those of the backup FILE, after checking "
                          "that it is a sound Mesodesk database; the replaced records are kept "
                          "aside. The window may stay open: it shows the backup’s records. "
                          "A clinic server that holds records is only replaced with --replace; "
                          "nothing is kept aside there, and its audit log becomes the "
                          "backup’s, with an entry for the restore. Where the database "
                          "replaced has accounts, only a manager signed in on it (--user) "
                          "may restore (exit status 6)."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  database = meso_cli_database_path (cli);
  /* Who signs in on the database being replaced: the store asks its
   * accounts whether that person is a manager. */
  if (!meso_cli_ticket (cli, database, &ticket, &error) ||
      !meso_store_restore_full (argv[1], database,
                                replace ? MESO_RESTORE_REPLACE : MESO_RESTORE_NONE, ticket,
                                &kept_aside, &error))
    {
      int status = meso_cli_fail (error);

      if (!replace && status == MESO_EXIT_USAGE &&
          meso_store_location_is_server (database))
        g_printerr ("%s\n", _("Run it with --replace to replace them all."));
      return status;
    }

  kept_display = kept_aside != NULL ? g_filename_display_name (kept_aside) : NULL;
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *database_display = g_filename_display_name (database);

      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "database", database_display);
      meso_cli_json_string (builder, "kept_aside", kept_display);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  g_print ("%s\n", _("The database is restored from the backup."));
  if (kept_display != NULL)
    /* Translators: %s is a file name */
    g_print (_("The replaced database is kept as %s.\n"), kept_display);
  return MESO_EXIT_OK;
}

/* =============================================================== transfer */

static void
transfer_progress_cb (gint64   done,
                      gint64   total,
                      gpointer user_data)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;

  if (progress_due (user_data, done, total, &done_text, &total_text))
    /* Translators: "Copying… 42 000 of 1 100 000 records" on a terminal,
     * rewritten as it goes */
    g_printerr (ngettext ("Copying… %s of %s record", "Copying… %s of %s records",
                          (gulong)MAX (total, 0)),
                done_text, total_text);
}

int
meso_cli_transfer (MesoCli  *cli,
                   int       argc,
                   char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = NULL;
  ImportProgress progress = { 0, FALSE };
  gboolean on_terminal;
  gint64 total = 0;

  if (!meso_cli_parse (cli, "transfer", N_("TARGET"),
                       N_("Copies the whole clinic (every record, its number and the audit log) "
                          "into TARGET, an empty database: a new database file, or a clinic "
                          "server (postgresql://HOST/DATABASE, service=NAME). All or nothing, "
                          "and every table is counted afterwards. The database copied from is "
                          "left as it was. A TARGET that holds records, or that is the clinic "
                          "database itself, is refused (exit status 2)."),
                       NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  on_terminal = !cli->json && isatty (STDERR_FILENO);
  counts = meso_store_transfer (store, argv[1], on_terminal ? transfer_progress_cb : NULL,
                                &progress, NULL, &error);
  if (progress.shown)
    g_printerr ("\r\033[K");
  if (counts == NULL)
    return meso_cli_fail (error);

  for (guint i = 0; i < counts->len; i++)
    total += g_array_index (counts, MesoTableCount, i).rows;
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_int (builder, "records", total);
      json_builder_set_member_name (builder, "tables");
      json_builder_begin_object (builder);
      for (guint i = 0; i < counts->len; i++)
        meso_cli_json_int (builder, g_array_index (counts, MesoTableCount, i).table,
                           g_array_index (counts, MesoTableCount, i).rows);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  g_print (ngettext ("Copied %lu record; every table’s count matches.\n",
                     "Copied %lu records; every table’s count matches.\n",
                     (gulong)MAX (total, 0)),
           (gulong)MAX (total, 0));
  return MESO_EXIT_OK;
}

/* ================================================================== check */

int
meso_cli_check (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MesoAuditVerification) audit = { 0 };
  int version;

  if (!meso_cli_parse (cli, "check", NULL,
                       N_("Checks the database’s integrity (on a clinic server: its schema, audit "
                          "triggers, exclusion constraints and search index) and its audit "
                          "log’s chain (as “audit verify”), and prints its schema version and "
                          "the log’s last hash. Exit status 5 if it is damaged."),
                       NULL, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_check (store, &error) ||
      !meso_store_verify_audit (store, &audit, &error))
    return meso_cli_fail (error);
  if (!audit.sound)
    {
      g_printerr (_("The audit log is not as Mesodesk wrote it: %s.\n"), audit.problem);
      return MESO_EXIT_DATABASE;
    }
  version = meso_store_get_schema_version (store);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      /* A server's location may hold its password: its description instead. */
      g_autofree char *server = meso_store_describe (store);
      g_autofree char *display = server != NULL ? g_steal_pointer (&server)
                                                : g_filename_display_name (meso_store_get_path (store));

      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "path", display);
      meso_cli_json_bool (builder, "ok", TRUE);
      meso_cli_json_int (builder, "schema_version", version);
      meso_cli_json_int (builder, "audit_entries", audit.entries);
      meso_cli_json_string (builder, "audit_last_hash", audit.last_hash);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  /* Translators: %d is the schema version number */
  g_print (_("The clinic database is sound (schema version %d).\n"), version);
  meso_cli_print_audit_head (&audit);
  return MESO_EXIT_OK;
}

/* =================================================================== demo */

/* Ten times the benchmark's clinic (about ten million sessions, gigabytes):
 * more is a typing error, not a demonstration. */
#define DEMO_MAX_PATIENTS 1000000

int
meso_cli_demo (MesoCli  *cli,
               int       argc,
               char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *patients_text = NULL;
  g_autofree char *seed_text = NULL;
  gint64 n_patients = 0, seed = 1;
  const GOptionEntry entries[] = {
    { "patients", 0, 0, G_OPTION_ARG_STRING, &patients_text,
      N_("How many patients, 1 to 1000000 (required)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("The same seed gives the same data (default: 1)"), N_("S") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "demo", NULL,
                       N_("Fills an empty database with realistic, made-up patients: years of "
                          "sessions, appointments, flags. For training and trials."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patients_text == NULL)
    return meso_cli_usage_error ("demo", _("--patients is required."));
  if (!meso_cli_parse_count ("--patients", patients_text, 1, DEMO_MAX_PATIENTS, &n_patients,
                             &error) ||
      !meso_cli_parse_count ("--seed", seed_text, 0, G_MAXUINT32, &seed, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_store_generate_demo (store, (guint)n_patients, (guint32)seed, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_int (builder, "patients", n_patients);
      meso_cli_json_int (builder, "seed", seed);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  g_print (ngettext ("Created %u demonstration patient.\n",
                     "Created %u demonstration patients.\n", (gulong)n_patients),
           (guint)n_patients);
  return MESO_EXIT_OK;
}
