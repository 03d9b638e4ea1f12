/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli appointment …: booking through the rules and the calendar. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-scheduler.h"
#include "meso-time.h"

#include <glib/gi18n.h>

#define DEFAULT_MINUTES 60
#define DEFAULT_SUGGESTIONS 3

/* What appointment book and appointment check take. */
typedef struct
{
  char     *patient;
  char     *at;
  char     *area;
  char     *minutes;
  char     *practitioner;
  char     *room;
  char     *override_reason;
} BookingOptions;

static void
booking_options_clear (BookingOptions *options)
{
  g_free (options->patient);
  g_free (options->at);
  g_free (options->area);
  g_free (options->minutes);
  g_free (options->practitioner);
  g_free (options->room);
  g_free (options->override_reason);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BookingOptions, booking_options_clear)

/* What appointment book and appointment check share: their options, read
 * into @appointment, then the store in *@store and the role the booking is
 * judged with. */
static int
open_booking (MesoCli          *cli,
              const char       *command,
              const char       *summary,
              MesoAppointment  *appointment,
              MesoStore       **store,
              MesoRole         *role,
              int               argc,
              char            **argv)
{
  g_auto(BookingOptions) options = { 0 };
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = 0, minutes = DEFAULT_MINUTES;
  int area;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &options.patient,
      N_("The patient’s number (required)"), N_("ID") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &options.at, N_("Start, local time (required)"),
      N_("YYYY-MM-DDTHH:MM") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &options.area,
      N_("face, neck, decollete, scalp, body or hands (required)"), N_("AREA") },
    { "minutes", 0, 0, G_OPTION_ARG_STRING, &options.minutes,
      N_("How long, in minutes (default: 60)"), N_("N") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &options.practitioner,
      N_("Who treats"), N_("NAME") },
    { "room", 0, 0, G_OPTION_ARG_STRING, &options.room, N_("Which room"), N_("NAME") },
    { "override-reason", 0, 0, G_OPTION_ARG_STRING, &options.override_reason,
      N_("Override an interval refusal, with the reason (the practitioner must be a "
         "clinician)"), N_("TEXT") },
    { NULL }
  };

  if (!meso_cli_parse (cli, command, NULL, summary, entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (options.patient == NULL || options.at == NULL || options.area == NULL)
    return meso_cli_usage_error (command, _("--patient, --at and --area are required."));

  if (!meso_cli_parse_option_id ("--patient", options.patient, &patient_id, &error) ||
      !meso_cli_parse_count ("--minutes", options.minutes, 1, G_MAXINT, &minutes, &error))
    return meso_cli_fail (error);
  start = meso_date_time_parse_local (options.at, &error);
  if (start == NULL ||
      !meso_cli_parse_nick (MESO_TYPE_AREA, "--area", options.area, &area, &error))
    return meso_cli_fail (error);

  meso_appointment_set_patient_id (appointment, patient_id);
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_area (appointment, area);
  meso_appointment_set_minutes (appointment, (guint)minutes);
  meso_appointment_set_practitioner (appointment, options.practitioner);
  meso_appointment_set_room (appointment, options.room);
  meso_appointment_set_override_reason (appointment, options.override_reason);

  *store = meso_cli_open (cli, &error);
  if (*store == NULL ||
      !meso_cli_acting_role (*store, options.practitioner, options.override_reason, role,
                             &error))
    return meso_cli_fail (error);
  return MESO_EXIT_OK;
}

/* With --json, book and cancel print the appointment as stored. */
static int
print_stored_appointment (MesoStore *store,
                          gint64     id)
{
  g_autoptr(MesoAppointment) stored = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  stored = meso_store_get_appointment (store, id, &error);
  if (stored == NULL)
    return meso_cli_fail (error);
  builder = json_builder_new ();
  meso_cli_json_appointment (builder, stored);
  meso_cli_print_json (builder);
  return MESO_EXIT_OK;
}

static int
appointment_book (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GError) error = NULL;
  MesoRole role;
  int status;

  status = open_booking (cli, "appointment book",
                         N_("Books an appointment, if the clinical rules and the calendar "
                            "allow it, and prints its number. Warnings go to stderr."),
                         appointment, &store, &role, argc, argv);
  if (status != MESO_EXIT_OK)
    return status;
  if (!meso_store_book_appointment (store, appointment, role, &verdicts, &error))
    return meso_cli_fail (error);
  meso_cli_print_warnings (verdicts);

  if (!cli->json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", meso_appointment_get_id (appointment));
      return MESO_EXIT_OK;
    }
  return print_stored_appointment (store, meso_appointment_get_id (appointment));
}

static int
appointment_check (MesoCli  *cli,
                   int       argc,
                   char    **argv)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(MesoVerdict) worst = NULL;
  g_autoptr(GError) error = NULL;
  MesoRole role;
  int status;

  status = open_booking (cli, "appointment check",
                         N_("Shows what booking this appointment would meet, writing nothing: "
                            "each rule’s verdict (kind, rule, message). Exit status 3 if it "
                            "would be refused."),
                         appointment, &store, &role, argc, argv);
  if (status != MESO_EXIT_OK)
    return status;
  verdicts = meso_store_check_appointment (store, appointment, role, &error);
  if (verdicts == NULL)
    return meso_cli_fail (error);
  worst = meso_verdict_worst (verdicts);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_bool (builder, "allowed", !meso_verdict_is_blocking (worst));
      json_builder_set_member_name (builder, "verdicts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < verdicts->len; i++)
        meso_cli_json_verdict (builder, g_ptr_array_index (verdicts, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  else
    {
      for (guint i = 0; i < verdicts->len; i++)
        {
          MesoVerdict *verdict = g_ptr_array_index (verdicts, i);
          const char *message = meso_verdict_get_message (verdict);

          g_print ("%s\t%s\t%s\n",
                   meso_enum_to_nick (MESO_TYPE_VERDICT_KIND, meso_verdict_get_kind (verdict)),
                   meso_verdict_get_rule (verdict), message != NULL ? message : "");
        }
    }

  if (!meso_verdict_is_blocking (worst))
    return MESO_EXIT_OK;
  return meso_verdict_get_kind (worst) == MESO_VERDICT_INVALID ? MESO_EXIT_USAGE
                                                               : MESO_EXIT_REFUSED;
}

static int
appointment_cancel (MesoCli  *cli,
                    int       argc,
                    char    **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why it is cancelled"), N_("TEXT") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "appointment cancel", N_("ID"),
                       N_("Cancels a booked appointment; it stays on record."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_cancel_appointment (store, id, reason, &error))
    return meso_cli_fail (error);

  if (!cli->json)
    {
      /* Translators: %lld is an appointment number */
      g_print (_("Appointment %lld is cancelled.\n"), (long long)id);
      return MESO_EXIT_OK;
    }
  return print_stored_appointment (store, id);
}

static int
appointment_list (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  GDate first, last;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("First day (default: today)"),
      N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Last day, included (default: six days after the first)"), N_("YYYY-MM-DD") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "appointment list", NULL,
                       N_("Lists the appointments of a span of days, every status, by time."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_day (from_text, &first, &error))
    return meso_cli_fail (error);
  if (to_text != NULL)
    {
      if (!meso_cli_parse_day (to_text, &last, &error))
        return meso_cli_fail (error);
    }
  else
    {
      last = first;
      g_date_add_days (&last, 6);
    }
  if (g_date_compare (&last, &first) < 0)
    return meso_cli_usage_error ("appointment list", _("--to is before --from."));

  g_date_add_days (&last, 1);
  from = meso_date_time_from_date (&first);
  to = meso_date_time_from_date (&last);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  appointments = meso_store_list_appointments (store, from, to, &error);
  if (appointments == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(MesoCliJsonList) list = meso_cli_json_list_new ();

      for (guint i = 0; i < appointments->len; i++)
        {
          meso_cli_json_appointment (meso_cli_json_list_element (list),
                                     g_ptr_array_index (appointments, i));
          meso_cli_json_list_write (list);
        }
      meso_cli_json_list_finish (list);
      return MESO_EXIT_OK;
    }

  for (guint i = 0; i < appointments->len; i++)
    {
      g_autofree char *line = meso_cli_describe_appointment (g_ptr_array_index (appointments,
                                                                                i));

      g_print ("%s\n", line);
    }
  return MESO_EXIT_OK;
}

static int
appointment_suggest (MesoCli  *cli,
                     int       argc,
                     char    **argv)
{
  g_autofree char *area_text = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *room = NULL;
  g_autofree char *patient_text = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *minutes_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoAppointment) like = meso_appointment_new ();
  g_autoptr(MesoProposal) proposal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = 0, count = DEFAULT_SUGGESTIONS, minutes = DEFAULT_MINUTES;
  int area;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_text, N_("The patient’s number (required)"),
      N_("ID") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area_text,
      N_("face, neck, decollete, scalp, body or hands (required)"), N_("AREA") },
    { "count", 0, 0, G_OPTION_ARG_STRING, &count_text, N_("How many start times (default: 3)"),
      N_("N") },
    { "minutes", 0, 0, G_OPTION_ARG_STRING, &minutes_text,
      N_("How long, in minutes (default: 60)"),
      N_("N") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("Who treats"),
      N_("NAME") },
    { "room", 0, 0, G_OPTION_ARG_STRING, &room, N_("Which room"), N_("NAME") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "appointment suggest", NULL,
                       N_("Prints the next start times from now, or from the recommended "
                          "window if it opens later, within opening hours, with the practitioner "
                          "(else someone who treats), the room and the patient free."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patient_text == NULL || area_text == NULL)
    return meso_cli_usage_error ("appointment suggest", _("--patient and --area are required."));
  if (!meso_cli_parse_option_id ("--patient", patient_text, &patient_id, &error) ||
      !meso_cli_parse_count ("--count", count_text, 1, G_MAXINT, &count, &error) ||
      !meso_cli_parse_count ("--minutes", minutes_text, 1, G_MAXINT, &minutes, &error) ||
      !meso_cli_parse_nick (MESO_TYPE_AREA, "--area", area_text, &area, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  meso_appointment_set_patient_id (like, patient_id);
  meso_appointment_set_area (like, area);
  meso_appointment_set_minutes (like, (guint)minutes);
  meso_appointment_set_practitioner (like, practitioner);
  meso_appointment_set_room (like, room);
  proposal = meso_scheduler_propose (store, like, (guint)count, &error);
  if (proposal == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(MesoCliJsonList) list = meso_cli_json_list_new ();

      for (guint i = 0; i < proposal->slots->len; i++)
        {
          MesoProposedSlot *slot = g_ptr_array_index (proposal->slots, i);
          GDateTime *start = slot->start;
          g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
          g_autofree char *start_text = meso_format_date_time_iso (start);
          g_autofree char *end_text = meso_format_date_time_iso (end);

          meso_cli_json_list_begin_object (list);
          meso_cli_json_list_string (list, "start", start_text);
          meso_cli_json_list_string (list, "end", end_text);
          meso_cli_json_list_string (list, "practitioner", slot->practitioner);
          meso_cli_json_list_end_object (list);
        }
      meso_cli_json_list_finish (list);
      return MESO_EXIT_OK;
    }

  if (proposal->slots->len == 0)
    g_printerr ("%s\n", _("No start time is free within the recommended window (or the next "
                          "weeks): the area may already be booked, or the clinic full. "
                          "Try another practitioner or room."));

  /* ISO, so a start can be given to appointment book --at as it is. */
  for (guint i = 0; i < proposal->slots->len; i++)
    {
      MesoProposedSlot *slot = g_ptr_array_index (proposal->slots, i);
      g_autofree char *text = meso_format_date_time_iso (slot->start);

      g_print ("%s\n", text);
    }
  return MESO_EXIT_OK;
}

static const MesoCommand appointment_commands[] = {
  { "book", N_("Book an appointment, checked by the rules; prints its number"),
    appointment_book },
  { "check", N_("Show the verdicts a booking would get, writing nothing"), appointment_check },
  { "cancel", N_("Cancel an appointment"), appointment_cancel },
  { "list", N_("List the appointments of some days"), appointment_list },
  { "suggest", N_("Suggest the next allowed start times"), appointment_suggest },
  { NULL, NULL, NULL }
};

int
meso_cli_appointment (MesoCli  *cli,
                      int       argc,
                      char    **argv)
{
  return meso_cli_dispatch (cli, "appointment",
                            N_("Appointments: booked through the clinical rules, the opening "
                               "hours and the calendar."),
                            appointment_commands, argc, argv);
}
