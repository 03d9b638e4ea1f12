/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli practitioner, room, hours, recall, reminders, audit: what a
 * clinic sets up once, and the lists it reads every day. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n.h>
#include <string.h>

/* ================================================= practitioners and rooms */

/* {"name": …}, and for a practitioner (@role not NULL) "role". */
static void
json_name (JsonBuilder    *builder,
           const char     *name,
           const MesoRole *role)
{
  json_builder_begin_object (builder);
  meso_cli_json_string (builder, "name", name);
  if (role != NULL)
    meso_cli_json_nick (builder, "role", MESO_TYPE_ROLE, *role);
  json_builder_end_object (builder);
}

/* What practitioner add and room add print with --json: the name as the
 * store keeps it, without surrounding blanks. */
static void
print_added_json (const char     *name,
                  const MesoRole *role)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  json_name (builder, stripped, role);
  meso_cli_print_json (builder);
}

/* practitioner list and room list: one name a line, a practitioner's with
 * the role, or a JSON array of json_name() objects. */
static int
list_names (MesoCli     *cli,
            const char  *command,
            const char  *summary,
            gboolean     practitioners,
            int          argc,
            char       **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;

  if (!meso_cli_parse (cli, command, NULL, summary, NULL, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  names = practitioners ? meso_store_list_practitioners (store, &error)
                        : meso_store_list_rooms (store, &error);
  if (names == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    list = meso_cli_json_list_new ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      MesoRole role = MESO_ROLE_RECEPTIONIST;

      if (practitioners && !meso_store_get_practitioner_role (store, names[i], &role, &error))
        return meso_cli_fail (error);
      if (list != NULL)
        {
          json_name (meso_cli_json_list_element (list), names[i], practitioners ? &role : NULL);
          meso_cli_json_list_write (list);
        }
      else if (practitioners)
        g_print ("%s\t%s\n", meso_cli_text (names[i]), role == MESO_ROLE_CLINICIAN ? _("clinician")
                                                                    : _("receptionist"));
      else
        g_print ("%s\n", meso_cli_text (names[i]));
    }
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

/* ========================================================== practitioners */

static int
practitioner_add (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean clinician = FALSE, receptionist = FALSE;
  MesoRole role;
  const GOptionEntry entries[] = {
    { "clinician", 0, 0, G_OPTION_ARG_NONE, &clinician,
      N_("A clinician: may override an interval refusal with a reason"), NULL },
    { "receptionist", 0, 0, G_OPTION_ARG_NONE, &receptionist,
      N_("A receptionist (the default): may not override"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "practitioner add", N_("NAME"),
                       N_("Adds a practitioner (a receptionist unless --clinician)."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (clinician && receptionist)
    return meso_cli_usage_error ("practitioner add",
                                 _("--clinician and --receptionist exclude each other."));
  role = clinician ? MESO_ROLE_CLINICIAN : MESO_ROLE_RECEPTIONIST;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_add_practitioner (store, argv[1], role, &error))
    return meso_cli_fail (error);

  if (cli->json)
    print_added_json (argv[1], &role);
  return MESO_EXIT_OK;
}

static int
practitioner_list (MesoCli  *cli,
                   int       argc,
                   char    **argv)
{
  return list_names (cli, "practitioner list", N_("Lists the practitioners with their roles."),
                     TRUE, argc, argv);
}

static const MesoCommand practitioner_commands[] = {
  { "add", N_("Add a practitioner"), practitioner_add },
  { "list", N_("List the practitioners"), practitioner_list },
  { NULL, NULL, NULL }
};

int
meso_cli_practitioner (MesoCli  *cli,
                       int       argc,
                       char    **argv)
{
  return meso_cli_dispatch (cli, "practitioner",
                            N_("Practitioners: who treats, and who may override."),
                            practitioner_commands, argc, argv);
}

/* ================================================================== rooms */

static int
room_add (MesoCli  *cli,
          int       argc,
          char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!meso_cli_parse (cli, "room add", N_("NAME"), N_("Adds a treatment room."),
                       NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_add_room (store, argv[1], &error))
    return meso_cli_fail (error);

  if (cli->json)
    print_added_json (argv[1], NULL);
  return MESO_EXIT_OK;
}

static int
room_list (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  return list_names (cli, "room list", N_("Lists the treatment rooms."), FALSE, argc, argv);
}

static const MesoCommand room_commands[] = {
  { "add", N_("Add a room"), room_add },
  { "list", N_("List the rooms"), room_list },
  { NULL, NULL, NULL }
};

int
meso_cli_room (MesoCli  *cli,
               int       argc,
               char    **argv)
{
  return meso_cli_dispatch (cli, "room", N_("Treatment rooms, so that two bookings never share "
                                           "one."),
                            room_commands, argc, argv);
}

/* ========================================================== opening hours */

static const char *const weekday_nicks[] = {
  NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

static const char *
weekday_label (GDateWeekday weekday)
{
  switch (weekday)
    {
    case G_DATE_MONDAY: return _("Monday");
    case G_DATE_TUESDAY: return _("Tuesday");
    case G_DATE_WEDNESDAY: return _("Wednesday");
    case G_DATE_THURSDAY: return _("Thursday");
    case G_DATE_FRIDAY: return _("Friday");
    case G_DATE_SATURDAY: return _("Saturday");
    case G_DATE_SUNDAY: return _("Sunday");
    case G_DATE_BAD_WEEKDAY:
    default: return "";
    }
}

/* 1–7, or an English name or its first three letters, any case. */
static gboolean
parse_weekday (const char    *text,
               GDateWeekday  *weekday,
               GError       **error)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  if (strlen (lower) == 1 && lower[0] >= '1' && lower[0] <= '7')
    {
      *weekday = lower[0] - '0';
      return TRUE;
    }
  for (int i = G_DATE_MONDAY; i <= G_DATE_SUNDAY; i++)
    if (g_str_equal (lower, weekday_nicks[i]) ||
        (strlen (lower) == 3 && g_str_has_prefix (weekday_nicks[i], lower)))
      {
        *weekday = i;
        return TRUE;
      }

  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: %s is what was typed; keep the examples as they are */
               _("“%s” is not a weekday: give 1 (Monday) to 7 (Sunday), or mon … sun."), text);
  return FALSE;
}

/* "HH:MM", strictly; 24:00 only as a closing time. */
static gboolean
parse_clock (const char *text,
             gboolean    closing,
             int        *minute)
{
  int hour, min;

  if (strlen (text) != 5 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      text[2] != ':' || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  hour = (text[0] - '0') * 10 + (text[1] - '0');
  min = (text[3] - '0') * 10 + (text[4] - '0');
  if (min > 59 || hour > 24 || (hour == 24 && (min != 0 || !closing)))
    return FALSE;
  *minute = hour * 60 + min;
  return TRUE;
}

static gboolean
parse_span (const char  *text,
            int         *open,
            int         *close,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (g_ascii_strcasecmp (text, "closed") == 0)
    {
      *open = *close = 0;
      return TRUE;
    }
  parts = g_strsplit (text, "-", -1);
  if (g_strv_length (parts) != 2 || !parse_clock (parts[0], FALSE, open) ||
      !parse_clock (parts[1], TRUE, close) || *open >= *close)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is what was typed; keep HH:MM-HH:MM and closed as they are */
                   _("“%s” is not opening hours: give HH:MM-HH:MM (opening before closing), or "
                     "closed."), text);
      return FALSE;
    }
  return TRUE;
}


/* {"weekday": 1, "day": "monday", "open": "09:00", "close": "18:00"}; a
 * closed day has null for both. */
static void
json_hours (JsonBuilder  *builder,
            GDateWeekday  weekday,
            int           open,
            int           close)
{
  g_autofree char *opens = open < close ? meso_format_minute_of_day (open) : NULL;
  g_autofree char *closes = open < close ? meso_format_minute_of_day (close) : NULL;

  json_builder_begin_object (builder);
  meso_cli_json_int (builder, "weekday", weekday);
  meso_cli_json_string (builder, "day", weekday_nicks[weekday]);
  meso_cli_json_string (builder, "open", opens);
  meso_cli_json_string (builder, "close", closes);
  json_builder_end_object (builder);
}

static int
hours_set (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GDateWeekday weekday;
  int open, close;

  if (!meso_cli_parse (cli, "hours set", N_("WEEKDAY HH:MM-HH:MM|closed"),
                       N_("Sets one weekday’s opening hours; WEEKDAY is 1 (Monday) to 7, or "
                          "mon … sun."),
                       NULL, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;
  if (!parse_weekday (argv[1], &weekday, &error) ||
      !parse_span (argv[2], &open, &close, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_set_opening_hours (store, weekday, open, close, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_hours (builder, weekday, open, close);
      meso_cli_print_json (builder);
    }
  return MESO_EXIT_OK;
}

static int
hours_show (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (!meso_cli_parse (cli, "hours show", NULL, N_("Shows the opening hours of the week."),
                       NULL, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (int i = G_DATE_MONDAY; i <= G_DATE_SUNDAY; i++)
    {
      int open, close;

      if (!meso_store_get_opening_hours (store, i, &open, &close, &error))
        return meso_cli_fail (error);
      if (builder != NULL)
        json_hours (builder, i, open, close);
      else if (open < close)
        {
          g_autofree char *opens = meso_format_minute_of_day (open);
          g_autofree char *closes = meso_format_minute_of_day (close);

          g_print ("%-12s %s–%s\n", weekday_label (i), opens, closes);
        }
      else
        g_print ("%-12s %s\n", weekday_label (i), _("closed"));
    }
  if (builder != NULL)
    {
      json_builder_end_array (builder);
      meso_cli_print_json (builder);
    }
  return MESO_EXIT_OK;
}

static const MesoCommand hours_commands[] = {
  { "set", N_("Set a weekday’s opening hours"), hours_set },
  { "show", N_("Show the opening hours"), hours_show },
  { NULL, NULL, NULL }
};

int
meso_cli_hours (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  return meso_cli_dispatch (cli, "hours", N_("Opening hours: bookings outside them are warned "
                                            "about, and suggestions keep within them."),
                            hours_commands, argc, argv);
}

/* ================================================================= recall */

static int
recall_set (MesoCli     *cli,
            const char  *command,
            const char  *summary,
            gboolean     finished,
            gboolean     declined,
            int          argc,
            char       **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!meso_cli_parse (cli, command, N_("PATIENT-ID"), summary, NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_set_course_state (store, id, finished, declined, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_int (builder, "patient_id", id);
      meso_cli_json_string (builder, "recall",
                            declined ? "declined" : finished ? "finished" : "active");
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  return MESO_EXIT_OK;
}

static int
recall_finished (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return recall_set (cli, "recall finished",
                     N_("Marks the patient’s course finished: off the recall list until a new "
                        "session."),
                     TRUE, FALSE, argc, argv);
}

static int
recall_declined (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return recall_set (cli, "recall declined",
                     N_("Marks that the patient declined: do not contact for recall."),
                     FALSE, TRUE, argc, argv);
}

static int
recall_reopen (MesoCli  *cli,
               int       argc,
               char    **argv)
{
  return recall_set (cli, "recall reopen",
                     N_("Puts the patient back on the recall list."), FALSE, FALSE, argc, argv);
}

static const MesoCommand recall_commands[] = {
  { "finished", N_("The course is finished"), recall_finished },
  { "declined", N_("The patient declined; do not contact"), recall_declined },
  { "reopen", N_("Back on the recall list"), recall_reopen },
  { NULL, NULL, NULL }
};

int
meso_cli_recall (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  return meso_cli_dispatch (cli, "recall", N_("The recall list: who is due or overdue for the "
                                             "next session."),
                            recall_commands, argc, argv);
}

/* ============================================================== reminders */

static void
print_reminder_json (const MesoReminder *r,
                     gpointer            list)
{
  g_autoptr(GDateTime) from = meso_reminder_dup_from (r);
  g_autoptr(GDateTime) until = meso_reminder_dup_until (r);
  g_autofree char *from_text = from != NULL ? meso_format_date_time_iso (from) : NULL;
  g_autofree char *until_text = until != NULL ? meso_format_date_time_iso (until) : NULL;

  meso_cli_json_list_begin_object (list);
  meso_cli_json_list_int (list, "patient_id", r->patient_id);
  meso_cli_json_list_string (list, "patient", r->patient);
  meso_cli_json_list_string (list, "kind", meso_enum_to_nick (MESO_TYPE_AFTERCARE_KIND, r->kind));
  meso_cli_json_list_int (list, "session_id", r->session_id);
  meso_cli_json_list_string (list, "area", meso_enum_to_nick (MESO_TYPE_AREA, r->area));
  meso_cli_json_list_string (list, "from", from_text);
  meso_cli_json_list_string (list, "until", until_text);
  meso_cli_json_list_end_object (list);
}

static void
print_reminder_text (const MesoReminder *r,
                     gpointer            unused)
{
  g_autoptr(GDateTime) from_time = meso_reminder_dup_from (r);
  g_autoptr(GDateTime) until_time = meso_reminder_dup_until (r);
  g_autofree char *from = meso_cli_format_time (from_time);
  g_autofree char *until = until_time != NULL ? meso_cli_format_time (until_time)
                                              : g_strdup (_("the next session"));

  g_print ("%s\t%s (%" G_GINT64_FORMAT ")\t%s\t%s – %s\n",
           meso_aftercare_kind_get_label (r->kind), meso_cli_text (r->patient), r->patient_id,
           meso_area_get_label (r->area), from, until);
}

int
meso_cli_reminders (MesoCli  *cli,
                    int       argc,
                    char    **argv)
{
  g_autofree char *on = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;
  const GOptionEntry entries[] = {
    { "on", 0, 0, G_OPTION_ARG_STRING, &on, N_("The day (default: today)"), N_("YYYY-MM-DD") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "reminders", NULL,
                       N_("Lists one line per aftercare or recall item active on the day: no "
                          "water, sun protection, moisturise, follow-up due, overdue."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_day (on, &day, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);

  /* Written as read: the list of a large clinic is never all in memory. */
  if (cli->json)
    list = meso_cli_json_list_new ();
  if (!meso_store_foreach_reminder (store, &day,
                                    list != NULL ? print_reminder_json : print_reminder_text,
                                    list, &error))
    return meso_cli_fail (error);
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

/* ================================================================== audit */

static void
print_audit_json (const MesoAuditEntry *e,
                  gpointer              list)
{
  JsonBuilder *builder = meso_cli_json_list_element (list);
  g_autoptr(JsonNode) changes = json_from_string (e->changes, NULL);

  json_builder_begin_object (builder);
  meso_cli_json_int (builder, "id", e->id);
  meso_cli_json_string (builder, "at", e->at);
  meso_cli_json_string (builder, "actor", e->actor);
  meso_cli_json_string (builder, "table", e->table);
  meso_cli_json_int (builder, "row_id", e->row_id);
  meso_cli_json_string (builder, "action", e->action);
  json_builder_set_member_name (builder, "changes");
  /* The log stores JSON; should a row ever not parse, it is shown as text. */
  if (changes != NULL)
    json_builder_add_value (builder, g_steal_pointer (&changes));
  else
    json_builder_add_string_value (builder, e->changes);
  json_builder_end_object (builder);
  meso_cli_json_list_write (list);
}

static void
print_audit_text (const MesoAuditEntry *e,
                  gpointer              unused)
{
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", e->id, e->at,
           meso_cli_text (e->actor), e->table, e->row_id, e->action, meso_cli_text (e->changes));
}

void
meso_cli_print_audit_head (const MesoAuditVerification *result)
{
  g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, result->entries);

  /* Translators: the first %s is a number of entries, the second a SHA-256 in hexadecimal */
  g_print (_("The audit log is intact: %s entries, the last one’s hash %s.\n"), count,
           result->last_hash != NULL ? result->last_hash : "-");
}

/* audit verify: the chain and the triggers (meso_store_verify_audit()). */
static int
audit_verify (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MesoAuditVerification) result = { 0 };

  if (!meso_cli_parse (cli, "audit verify", NULL,
                       N_("Checks that the audit log is as Mesodesk wrote it: each entry’s "
                          "SHA-256 over the one before it and its own content, and every audit "
                          "trigger there. Prints the number of entries and the last hash; exit "
                          "status 5 naming the first entry that does not match."),
                       NULL, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_verify_audit (store, &result, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_bool (builder, "ok", result.sound);
      meso_cli_json_int (builder, "entries", result.entries);
      if (result.last_hash != NULL)
        meso_cli_json_string (builder, "last_hash", result.last_hash);
      if (result.bad_id != 0)
        meso_cli_json_int (builder, "first_bad_entry", result.bad_id);
      if (result.problem != NULL)
        meso_cli_json_string (builder, "problem", result.problem);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  if (!result.sound)
    {
      /* Translators: %s says what does not match, e.g. “entry 12 was changed, or moved” */
      g_printerr (_("The audit log is not as Mesodesk wrote it: %s.\n"), result.problem);
      return MESO_EXIT_DATABASE;
    }
  if (!cli->json)
    meso_cli_print_audit_head (&result);
  return MESO_EXIT_OK;
}

int
meso_cli_audit (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  g_autofree char *table = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row_text = NULL;
  gint64 row = 0;
  const GOptionEntry entries[] = {
    { "table", 0, 0, G_OPTION_ARG_STRING, &table,
      N_("Only this table, e.g. patients, sessions, appointments, flags"), N_("TABLE") },
    { "row", 0, 0, G_OPTION_ARG_STRING, &row_text, N_("Only this record number"), N_("ID") },
    { NULL }
  };

  if (argc > 1 && g_str_equal (argv[1], "verify"))
    return audit_verify (cli, argc - 1, argv + 1);
  if (!meso_cli_parse (cli, "audit", NULL,
                       N_("Lists the audit log, oldest first: when, who (the system user), "
                          "which record, and what changed. “audit verify” checks it was not "
                          "changed behind Mesodesk’s back."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_option_id ("--row", row_text, &row, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  if (cli->json)
    list = meso_cli_json_list_new ();
  if (!meso_store_foreach_audit (store, table, row,
                                 list != NULL ? print_audit_json : print_audit_text, list,
                                 &error))
    return meso_cli_fail (error);
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}
