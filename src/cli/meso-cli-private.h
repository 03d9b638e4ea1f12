/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the command line's files share: exit codes, option parsing, opening
 * the database, turning errors into exit codes, and the JSON shapes. */

#pragma once

#include <json-glib/json-glib.h>

#include "meso-json.h"
#include "meso-store.h"

G_BEGIN_DECLS

/* The exit codes scripts rely on; see README.md. */
typedef enum
{
  MESO_EXIT_OK = 0,
  MESO_EXIT_FAILURE = 1,    /* anything else, e.g. a file that cannot be written */
  MESO_EXIT_USAGE = 2,      /* invalid input or usage */
  MESO_EXIT_REFUSED = 3,    /* refused by a clinical rule, or a conflict */
  MESO_EXIT_NOT_FOUND = 4,
  MESO_EXIT_DATABASE = 5,
  MESO_EXIT_NOT_ALLOWED = 6,  /* not signed in, or the role may not */
} MesoExit;

typedef struct
{
  const char *database;  /* --database; NULL for meso_store_default_path() */
  gboolean    json;      /* --json, which every command accepts */
  const char *user;      /* --user, else $MESODESK_USER; NULL: nobody signs in */
  gboolean    password_stdin;  /* --password-stdin: the sign-in's password */
} MesoCli;

typedef int (*MesoCliRun) (MesoCli  *cli,
                           int       argc,
                           char    **argv);

typedef struct
{
  const char *name;
  const char *summary;   /* N_() */
  MesoCliRun  run;
} MesoCommand;

/* The commands, one function per word after mesodesk-cli. */
int        meso_cli_patient       (MesoCli *cli, int argc, char **argv);
int        meso_cli_session       (MesoCli *cli, int argc, char **argv);
int        meso_cli_appointment   (MesoCli *cli, int argc, char **argv);
int        meso_cli_practitioner  (MesoCli *cli, int argc, char **argv);
int        meso_cli_room          (MesoCli *cli, int argc, char **argv);
int        meso_cli_lot           (MesoCli *cli, int argc, char **argv);
int        meso_cli_consent       (MesoCli *cli, int argc, char **argv);
int        meso_cli_policy        (MesoCli *cli, int argc, char **argv);
int        meso_cli_photo         (MesoCli *cli, int argc, char **argv);
int        meso_cli_hours         (MesoCli *cli, int argc, char **argv);
int        meso_cli_recall        (MesoCli *cli, int argc, char **argv);
int        meso_cli_reminders     (MesoCli *cli, int argc, char **argv);
int        meso_cli_export        (MesoCli *cli, int argc, char **argv);
int        meso_cli_import        (MesoCli *cli, int argc, char **argv);
int        meso_cli_backup        (MesoCli *cli, int argc, char **argv);
int        meso_cli_restore       (MesoCli *cli, int argc, char **argv);
int        meso_cli_transfer      (MesoCli *cli, int argc, char **argv);
int        meso_cli_check         (MesoCli *cli, int argc, char **argv);
int        meso_cli_demo          (MesoCli *cli, int argc, char **argv);
int        meso_cli_audit         (MesoCli *cli, int argc, char **argv);
int        meso_cli_staff         (MesoCli *cli, int argc, char **argv);

/* A password: a line of stdin when @from_stdin, else typed at a terminal
 * without echo after @prompt; NULL with NOT_ALLOWED when neither can give
 * one. Free it with meso_cli_password_free(), which wipes it. */
char      *meso_cli_read_password (const char  *prompt,
                                   gboolean     from_stdin,
                                   GError     **error);
void       meso_cli_password_free (char        *password);
/* “The audit log is intact: N entries, the last one’s hash H.” */
void       meso_cli_print_audit_head (const MesoAuditVerification *result);

/* Runs the subcommand named by argv[1] of the command @group (argv[0]). */
int        meso_cli_dispatch      (MesoCli            *cli,
                                   const char         *group,
                                   const char         *summary,
                                   const MesoCommand  *subcommands,
                                   int                 argc,
                                   char              **argv);

/* Parses a command's options (plus --json) and checks that it got from
 * @min_args to @max_args positional arguments, left in (*argv)[1…]. On a
 * usage error it prints the message and returns FALSE (exit 2). --help
 * prints the help and exits 0. @command is e.g. "patient add". */
gboolean   meso_cli_parse         (MesoCli             *cli,
                                   const char          *command,
                                   const char          *parameters,
                                   const char          *summary,
                                   const GOptionEntry  *entries,
                                   int                 *argc,
                                   char              ***argv,
                                   int                  min_args,
                                   int                  max_args);

/* A usage error found after parsing: the message and a hint to --help. */
int        meso_cli_usage_error   (const char  *command,
                                   const char  *format,
                                   ...) G_GNUC_PRINTF (2, 3);

/* Prints @error's message on stderr and returns the exit code for it; a
 * NULL @error (a caller's bug) gives a generic message and exit 1. */
int        meso_cli_fail          (const GError *error);
int        meso_cli_exit_code     (const GError *error);

MesoStore *meso_cli_open          (MesoCli     *cli,
                                   GError     **error);
/* Who the global --user signs in as on @database, for what the store
 * checks on a database it opens itself (restore); NULL when no one is
 * named or @database is a file not there yet. FALSE as meso_cli_open(). */
gboolean   meso_cli_ticket        (MesoCli           *cli,
                                   const char        *database,
                                   MesoStaffTicket  **ticket,
                                   GError           **error);
/* The role a write is judged with: a clinician's when an override reason is
 * given and --practitioner names a clinician, a receptionist's otherwise. */
gboolean   meso_cli_acting_role   (MesoStore   *store,
                                   const char  *practitioner,
                                   const char  *override_reason,
                                   MesoRole    *role,
                                   GError     **error);
/* The database file the command works on. */
char      *meso_cli_database_path (MesoCli     *cli);

/* Strict parsers for what people type; errors are MESO_STORE_ERROR_INVALID
 * or the time parser's own. Record numbers and counts are decimal digits
 * only: a sign, a space, "0x" or a leading zero ("010") is refused. */
gboolean   meso_cli_parse_id      (const char  *text,
                                   gint64      *id,
                                   GError     **error);
/* The same for an integer option's text (option strings, never GOption's
 * INT types, which read "010" as octal and "0x10" as hex); @text NULL (the
 * option not given) leaves *@id or *@value as it is. */
gboolean   meso_cli_parse_option_id (const char *option,
                                   const char  *text,
                                   gint64      *id,
                                   GError     **error);
gboolean   meso_cli_parse_count   (const char  *option,
                                   const char  *text,
                                   gint64       min,
                                   gint64       max,
                                   gint64      *value,
                                   GError     **error);
gboolean   meso_cli_parse_nick    (GType        type,
                                   const char  *option,
                                   const char  *text,
                                   int         *value,
                                   GError     **error);
/* The day of --on/--from/--to, or today when @text is NULL; a day typed
 * must be within meso_date_check()'s MESO_DATE_QUERY range. */
gboolean   meso_cli_parse_day     (const char  *text,
                                   GDate       *day,
                                   GError     **error);

/* Resolved verdicts of kind warning, one a line on stderr. */
void       meso_cli_print_warnings (GPtrArray  *verdicts);

/* JSON: members with null for what is not known, objects for records;
 * the records' shapes are core's (meso-json.h), which the patient's export
 * shares. */
#define meso_cli_json_string meso_json_string
#define meso_cli_json_int meso_json_int
#define meso_cli_json_id meso_json_id
#define meso_cli_json_bool meso_json_bool
#define meso_cli_json_date_time meso_json_date_time
#define meso_cli_json_nick meso_json_nick
#define meso_cli_json_patient_members meso_json_patient_members
#define meso_cli_json_patient meso_json_patient
#define meso_cli_json_session meso_json_session
#define meso_cli_json_appointment meso_json_appointment
void       meso_cli_json_verdict  (JsonBuilder *builder,
                                   MesoVerdict *verdict);
/* Writes the builder's document, UTF-8, to stdout. */
void       meso_cli_print_json    (JsonBuilder *builder);

/* A JSON array written to stdout element by element, byte for byte what
 * meso_cli_print_json() would write for the whole array: a list of any
 * length never sits in memory. For each element, add one value to
 * meso_cli_json_list_element()'s builder, then meso_cli_json_list_write();
 * at the end, meso_cli_json_list_finish(). */
typedef struct _MesoCliJsonList MesoCliJsonList;

MesoCliJsonList *meso_cli_json_list_new     (void);
void       meso_cli_json_list_free        (MesoCliJsonList *list);
JsonBuilder *meso_cli_json_list_element   (MesoCliJsonList *list);
void       meso_cli_json_list_write       (MesoCliJsonList *list);
void       meso_cli_json_list_finish      (MesoCliJsonList *list);
/* Or, for a flat object (the long lists' case, written without a builder):
 * begin, its members, end. */
void       meso_cli_json_list_begin_object (MesoCliJsonList *list);
void       meso_cli_json_list_string      (MesoCliJsonList *list,
                                           const char      *name,
                                           const char      *value);
void       meso_cli_json_list_int         (MesoCliJsonList *list,
                                           const char      *name,
                                           gint64           value);
void       meso_cli_json_list_end_object  (MesoCliJsonList *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoCliJsonList, meso_cli_json_list_free)

/* Stored text as printed for people: @text itself, or when it holds control
 * characters (an old record, another program's write) or invalid UTF-8, a
 * copy with them written out ("\t", "\x1b" …), so it cannot forge a row or
 * drive the terminal. Every name, reason or note printed goes through it. */
const char *meso_cli_text         (const char  *text);

/* For people: an ISO local time, or a dash. */
char      *meso_cli_format_time   (GDateTime   *date_time);
/* One line describing an appointment, for lists. */
char      *meso_cli_describe_appointment (MesoAppointment *appointment);

G_END_DECLS
