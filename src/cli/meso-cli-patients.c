/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli patient …: the records, their flags and their history. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-exchange.h"
#include "meso-time.h"

#include <glib/gi18n.h>

/* What patient add and patient edit take. */
typedef struct
{
  char     *name;
  char     *birth_date;
  char     *phone;
  char     *email;
  char     *notes;
  gboolean  sensitive_skin;
  gboolean  not_sensitive_skin;
} PatientOptions;

static void
patient_options_clear (PatientOptions *options)
{
  g_free (options->name);
  g_free (options->birth_date);
  g_free (options->phone);
  g_free (options->email);
  g_free (options->notes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PatientOptions, patient_options_clear)

/* Applies what was given; an empty --birth-date, --phone or --email clears it. */
static gboolean
patient_options_apply (const PatientOptions  *options,
                       MesoPatient           *patient,
                       GError               **error)
{
  if (options->birth_date != NULL && *options->birth_date != '\0')
    {
      GDate date;

      if (!meso_date_parse (options->birth_date, &date, error))
        return FALSE;
    }

  if (options->name != NULL)
    meso_patient_set_name (patient, options->name);
  if (options->birth_date != NULL)
    meso_patient_set_birth_date (patient, *options->birth_date ? options->birth_date : NULL);
  if (options->phone != NULL)
    meso_patient_set_phone (patient, *options->phone ? options->phone : NULL);
  if (options->email != NULL)
    meso_patient_set_email (patient, *options->email ? options->email : NULL);
  if (options->notes != NULL)
    meso_patient_set_notes (patient, options->notes);
  if (options->sensitive_skin)
    meso_patient_set_sensitive_skin (patient, TRUE);
  if (options->not_sensitive_skin)
    meso_patient_set_sensitive_skin (patient, FALSE);
  return TRUE;
}

/* The patient as stored, by id on stdout or as a JSON object. */
static int
print_patient_result (MesoCli   *cli,
                      MesoStore *store,
                      gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) stored = meso_store_get_patient (store, id, &error);

  if (stored == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      meso_cli_json_patient (builder, stored);
      meso_cli_print_json (builder);
    }
  else
    g_print ("%" G_GINT64_FORMAT "\n", id);
  return MESO_EXIT_OK;
}

static int
patient_add (MesoCli  *cli,
             int       argc,
             char    **argv)
{
  g_auto(PatientOptions) options = { 0 };
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GPtrArray) namesakes = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, N_("The patient’s name (required)"),
      N_("NAME") },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &options.birth_date,
      N_("Date of birth"), N_("YYYY-MM-DD") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &options.phone, N_("Telephone number"), N_("PHONE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &options.email, N_("E-mail address"), N_("EMAIL") },
    { "sensitive-skin", 0, 0, G_OPTION_ARG_NONE, &options.sensitive_skin,
      N_("The patient has sensitive skin (longer treatment intervals)"), NULL },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &options.notes, N_("Free notes"), N_("TEXT") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "patient add", NULL, N_("Adds a patient and prints the new number. A patient of the same name and birth date "
                          "or phone on record already is named on stderr (a warning: the "
                          "patient is added)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (options.name == NULL)
    return meso_cli_usage_error ("patient add", _("--name is required."));

  if (!patient_options_apply (&options, patient, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  /* A second record of one person is added, as the window's Add Anyway
   * does, and said on stderr: a script's exit status stays 0. */
  namesakes = meso_store_find_namesakes (store, patient, &error);
  if (namesakes == NULL || !meso_store_add_patient (store, patient, &error))
    return meso_cli_fail (error);
  for (guint i = 0; i < namesakes->len; i++)
    {
      MesoPatient *other = g_ptr_array_index (namesakes, i);
      g_autofree char *warning = meso_patient_describe_namesake (other,
                                                                 meso_patient_get_birth_date (other));

      g_printerr (_("Warning: %s\n"), warning);
    }

  return print_patient_result (cli, store, meso_patient_get_id (patient));
}

static int
patient_edit (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_auto(PatientOptions) options = { 0 };
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name, N_("The patient’s name"), N_("NAME") },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &options.birth_date,
      N_("Date of birth (empty to clear)"), N_("YYYY-MM-DD") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &options.phone,
      N_("Telephone number (empty to clear)"), N_("PHONE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &options.email,
      N_("E-mail address (empty to clear)"), N_("EMAIL") },
    { "sensitive-skin", 0, 0, G_OPTION_ARG_NONE, &options.sensitive_skin,
      N_("The patient has sensitive skin"), NULL },
    { "no-sensitive-skin", 0, 0, G_OPTION_ARG_NONE, &options.not_sensitive_skin,
      N_("The patient does not have sensitive skin"), NULL },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &options.notes, N_("Free notes (replaces them)"),
      N_("TEXT") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "patient edit", N_("ID"),
                       N_("Changes the given fields of a patient; the others stay."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (options.sensitive_skin && options.not_sensitive_skin)
    return meso_cli_usage_error ("patient edit",
                                 _("--sensitive-skin and --no-sensitive-skin exclude each "
                                   "other."));
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  patient = meso_store_get_patient (store, id, &error);
  if (patient == NULL || !patient_options_apply (&options, patient, &error) ||
      !meso_store_update_patient (store, patient, &error))
    return meso_cli_fail (error);

  return print_patient_result (cli, store, id);
}

static int
patient_list (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autofree char *search = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit_text = NULL;
  gboolean archived = FALSE;
  gint64 limit = 0;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only patients whose name, phone, e-mail or birth date (1985-03-14, or the year) "
         "has words starting so"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text, N_("At most N patients (default: all)"),
      N_("N") },
    { "archived", 0, 0, G_OPTION_ARG_NONE, &archived, N_("Include archived patients"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "patient list", NULL,
                       N_("Lists patients by name: number, name, birth date, phone, e-mail."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_count ("--limit", limit_text, 0, G_MAXINT, &limit, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  patients = meso_store_search_patients (store, search, archived, 0, (guint)limit, &error);
  if (patients == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(MesoCliJsonList) list = meso_cli_json_list_new ();

      /* Element by element: no second copy of the whole list as a tree. */
      for (guint i = 0; i < patients->len; i++)
        {
          meso_cli_json_patient (meso_cli_json_list_element (list),
                                 g_ptr_array_index (patients, i));
          meso_cli_json_list_write (list);
        }
      meso_cli_json_list_finish (list);
      return MESO_EXIT_OK;
    }

  for (guint i = 0; i < patients->len; i++)
    {
      MesoPatient *patient = g_ptr_array_index (patients, i);
      const char *birth = meso_patient_get_birth_date (patient);
      const char *phone = meso_patient_get_phone (patient);
      const char *email = meso_patient_get_email (patient);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s%s%s\n", meso_patient_get_id (patient),
               meso_cli_text (meso_patient_get_name (patient)), birth ? birth : "—",
               phone ? meso_cli_text (phone) : "—", email ? meso_cli_text (email) : "—", meso_patient_get_archived (patient) ? "\t" : "",
               meso_patient_get_archived (patient) ? _("(archived)") : "");
    }
  return MESO_EXIT_OK;
}

/* ------------------------------------------------------------ patient show */

static void
json_flags (JsonBuilder  *builder,
            GArray       *flags,
            const GDate  *today)
{
  json_builder_set_member_name (builder, "flags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < flags->len; i++)
    {
      const MesoFlag *flag = &g_array_index (flags, MesoFlag, i);
      g_autofree char *noted = meso_format_date_iso (&flag->noted_on);
      g_autofree char *cleared = g_date_valid (&flag->cleared_on)
                                   ? meso_format_date_iso (&flag->cleared_on) : NULL;

      json_builder_begin_object (builder);
      meso_cli_json_nick (builder, "kind", MESO_TYPE_CONTRAINDICATION, flag->kind);
      meso_cli_json_string (builder, "noted_on", noted);
      meso_cli_json_string (builder, "cleared_on", cleared);
      meso_cli_json_bool (builder, "active", meso_flag_is_active_on (flag, today));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* One entry of "overrides": a session's or an appointment's. */
static void
json_override (JsonBuilder *builder,
               const char  *record,
               gint64       id,
               const char  *kind,
               GDateTime   *at,
               MesoArea     area,
               const char  *practitioner,
               const char  *reason)
{
  json_builder_begin_object (builder);
  meso_cli_json_string (builder, "record", record);
  meso_cli_json_int (builder, "id", id);
  meso_cli_json_string (builder, "kind", kind);
  meso_cli_json_date_time (builder, "at", at);
  meso_cli_json_nick (builder, "area", MESO_TYPE_AREA, area);
  meso_cli_json_string (builder, "practitioner", practitioner);
  meso_cli_json_string (builder, "reason", reason);
  json_builder_end_object (builder);
}

static void
json_overrides (JsonBuilder *builder,
                GPtrArray   *sessions,
                GPtrArray   *appointments)
{
  json_builder_set_member_name (builder, "overrides");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);
      const char *reason = meso_session_get_override_reason (session);

      if (reason != NULL)
        json_override (builder, "session", meso_session_get_id (session), "override",
                       meso_session_get_at (session), meso_session_get_area (session),
                       meso_session_get_practitioner (session), reason);
      if (meso_session_get_caution_confirmed (session))
        json_override (builder, "session", meso_session_get_id (session), "caution-confirmed",
                       meso_session_get_at (session), meso_session_get_area (session),
                       meso_session_get_practitioner (session), NULL);
    }
  for (guint i = 0; i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      const char *reason = meso_appointment_get_override_reason (appointment);

      if (reason != NULL)
        json_override (builder, "appointment", meso_appointment_get_id (appointment),
                       "override", meso_appointment_get_start (appointment),
                       meso_appointment_get_area (appointment),
                       meso_appointment_get_practitioner (appointment), reason);
    }
  json_builder_end_array (builder);
}

static void
print_field (const char *label,
             const char *value)
{
  g_print ("  %-16s %s\n", label, value != NULL && *value != '\0' ? meso_cli_text (value) : "—");
}

static void
print_session_line (MesoSession *session)
{
  g_autofree char *at = meso_cli_format_time (meso_session_get_at (session));
  g_autofree char *needle = meso_needle_format_mm (meso_session_get_needle_um (session));
  const char *practitioner = meso_session_get_practitioner (session);
  const char *indication = meso_session_get_indication (session);
  int value;

  g_print ("  %" G_GINT64_FORMAT "\t%s\t%s\t%s %s%s", meso_session_get_id (session), at,
           meso_area_get_label (meso_session_get_area (session)),
           meso_device_get_label (meso_session_get_device (session)), needle,
           meso_session_get_home_use (session) ? _(" (home use)") : "");
  if (meso_enum_from_nick (MESO_TYPE_INDICATION, indication, &value))
    g_print ("\t%s", meso_indication_get_label (value));
  if (practitioner != NULL)
    g_print ("\t%s", meso_cli_text (practitioner));
  g_print ("\n");
}

static void
print_overrides (GPtrArray *sessions,
                 GPtrArray *appointments)
{
  gboolean any = FALSE;

  g_print ("\n%s\n", _("Overrides and confirmations:"));
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);
      g_autofree char *at = meso_cli_format_time (meso_session_get_at (session));

      if (meso_session_get_override_reason (session) != NULL)
        {
          /* Translators: %lld is a session number, then its time, then the written reason */
          g_print (_("  session %lld on %s: interval overridden: %s\n"),
                   (long long)meso_session_get_id (session), at,
                   meso_cli_text (meso_session_get_override_reason (session)));
          any = TRUE;
        }
      if (meso_session_get_caution_confirmed (session))
        {
          /* Translators: %lld is a session number, then its time */
          g_print (_("  session %lld on %s: caution confirmed\n"),
                   (long long)meso_session_get_id (session), at);
          any = TRUE;
        }
    }
  for (guint i = 0; i < appointments->len; i++)
    {
      MesoAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autofree char *at = meso_cli_format_time (meso_appointment_get_start (appointment));

      if (meso_appointment_get_override_reason (appointment) == NULL)
        continue;
      /* Translators: %lld is an appointment number, then its time, then the written reason */
      g_print (_("  appointment %lld on %s: interval overridden: %s\n"),
               (long long)meso_appointment_get_id (appointment), at,
               meso_cli_text (meso_appointment_get_override_reason (appointment)));
      any = TRUE;
    }
  if (!any)
    g_print ("  %s\n", _("none"));
}

static void
print_patient (MesoPatient *patient,
               GArray      *flags,
               GPtrArray   *sessions,
               GPtrArray   *appointments,
               const GDate *today)
{
  /* Translators: %lld is a patient number, %s the name */
  g_print (_("Patient %lld: %s\n"), (long long)meso_patient_get_id (patient),
           meso_cli_text (meso_patient_get_name (patient)));
  print_field (_("Birth date:"), meso_patient_get_birth_date (patient));
  print_field (_("Phone:"), meso_patient_get_phone (patient));
  print_field (_("E-mail:"), meso_patient_get_email (patient));
  print_field (_("Sensitive skin:"), meso_patient_get_sensitive_skin (patient) ? _("yes")
                                                                                : _("no"));
  print_field (_("Archived:"), meso_patient_get_archived (patient) ? _("yes") : _("no"));
  print_field (_("Notes:"), meso_patient_get_notes (patient));

  g_print ("\n%s\n", _("Contraindications:"));
  if (flags->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < flags->len; i++)
    {
      const MesoFlag *flag = &g_array_index (flags, MesoFlag, i);
      g_autofree char *noted = meso_format_date (&flag->noted_on);

      if (g_date_valid (&flag->cleared_on))
        {
          g_autofree char *cleared = meso_format_date (&flag->cleared_on);

          /* Translators: a contraindication, when it was noted and when cleared */
          g_print (_("  %s: noted %s, cleared %s\n"),
                   meso_contraindication_get_label (flag->kind), noted, cleared);
        }
      else
        /* Translators: a contraindication and when it was noted */
        g_print (_("  %s: noted %s, %s\n"), meso_contraindication_get_label (flag->kind), noted,
                 meso_flag_is_active_on (flag, today) ? _("active") : _("not active yet"));
    }

  g_print ("\n%s\n", _("Sessions (newest first):"));
  if (sessions->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < sessions->len; i++)
    print_session_line (g_ptr_array_index (sessions, i));

  g_print ("\n%s\n", _("Appointments:"));
  if (appointments->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < appointments->len; i++)
    {
      g_autofree char *line = meso_cli_describe_appointment (g_ptr_array_index (appointments,
                                                                                i));

      g_print ("  %s\n", line);
    }

  print_overrides (sessions, appointments);
}

static int
patient_show (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoPatient) patient = NULL;
  g_autoptr(GArray) flags = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;
  gint64 id;

  if (!meso_cli_parse (cli, "patient show", N_("ID"),
                       N_("Shows a patient: details, contraindication flags with their history, "
                          "sessions, appointments, overrides."),
                       NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  patient = meso_store_get_patient (store, id, &error);
  if (patient == NULL)
    return meso_cli_fail (error);
  flags = meso_store_list_flags (store, id, &error);
  if (flags == NULL)
    return meso_cli_fail (error);
  sessions = meso_store_list_sessions (store, id, &error);
  if (sessions == NULL)
    return meso_cli_fail (error);
  appointments = meso_store_list_patient_appointments (store, id, &error);
  if (appointments == NULL)
    return meso_cli_fail (error);
  meso_clock_today (&today);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_patient_members (builder, patient);
      json_flags (builder, flags, &today);
      json_builder_set_member_name (builder, "sessions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < sessions->len; i++)
        meso_cli_json_session (builder, g_ptr_array_index (sessions, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "appointments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < appointments->len; i++)
        meso_cli_json_appointment (builder, g_ptr_array_index (appointments, i));
      json_builder_end_array (builder);
      json_overrides (builder, sessions, appointments);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  else
    print_patient (patient, flags, sessions, appointments, &today);
  return MESO_EXIT_OK;
}

static int
patient_archive (MesoCli  *cli,
                 int       argc,
                 char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean undo = FALSE;
  gint64 id;
  const GOptionEntry entries[] = {
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo, N_("Bring an archived patient back"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "patient archive", N_("ID"),
                       N_("Archives a patient: kept, but out of lists and reminders."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_set_patient_archived (store, id, !undo, &error))
    return meso_cli_fail (error);

  if (cli->json)
    return print_patient_result (cli, store, id);
  if (undo)
    /* Translators: %lld is a patient number */
    g_print (_("Patient %lld is back from the archive.\n"), (long long)id);
  else
    /* Translators: %lld is a patient number */
    g_print (_("Patient %lld is archived.\n"), (long long)id);
  return MESO_EXIT_OK;
}

static int
patient_flag (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autofree char *set = NULL;
  g_autofree char *clear = NULL;
  g_autofree char *on = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GArray) flags = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day_text = NULL;
  GDate day;
  gint64 id;
  int kind;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING, &set,
      N_("Note a contraindication: active-acne, herpes, infection or scar-prone"), N_("KIND") },
    { "clear", 0, 0, G_OPTION_ARG_STRING, &clear, N_("Clear a contraindication"), N_("KIND") },
    { "on", 0, 0, G_OPTION_ARG_STRING, &on, N_("The day it was noted or cleared (default: "
                                              "today)"), N_("YYYY-MM-DD") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "patient flag", N_("ID"),
                       N_("Notes or clears a dated contraindication flag; history is kept."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if ((set == NULL) == (clear == NULL))
    return meso_cli_usage_error ("patient flag", _("Give either --set KIND or --clear KIND."));
  if (!meso_cli_parse_id (argv[1], &id, &error) ||
      !meso_cli_parse_nick (MESO_TYPE_CONTRAINDICATION, set ? "--set" : "--clear",
                            set ? set : clear, &kind, &error) ||
      !meso_cli_parse_day (on, &day, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  if (set != NULL ? !meso_store_set_flag (store, id, kind, &day, &error)
                  : !meso_store_clear_flag (store, id, kind, &day, &error))
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      GDate today;

      flags = meso_store_list_flags (store, id, &error);
      if (flags == NULL)
        return meso_cli_fail (error);
      meso_clock_today (&today);
      json_builder_begin_object (builder);
      meso_cli_json_int (builder, "patient_id", id);
      json_flags (builder, flags, &today);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }

  day_text = meso_format_date (&day);
  if (set != NULL)
    /* Translators: a contraindication, a patient number, a date */
    g_print (_("%s noted for patient %lld on %s.\n"), meso_contraindication_get_label (kind),
             (long long)id, day_text);
  else
    /* Translators: a contraindication, a patient number, a date */
    g_print (_("%s cleared for patient %lld on %s.\n"), meso_contraindication_get_label (kind),
             (long long)id, day_text);
  return MESO_EXIT_OK;
}

/* ---------------------------------------------------------- patient export */

static int
patient_export (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  gint64 id;

  if (!meso_cli_parse (cli, "patient export", N_("ID FILE"),
                       N_("Writes everything kept about a patient to FILE as one JSON document, "
                          "the patient’s own copy (GDPR Art. 15 and 20): details, "
                          "contraindication flags with their history, sessions with their lots, "
                          "appointments, contacts and the recall state. FILE is readable by you "
                          "alone and replaced if it exists. A manager’s work."),
                       NULL, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_exchange_export_patient (store, id, argv[2], NULL, &error))
    return meso_cli_fail (error);

  display = g_filename_display_name (argv[2]);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "path", display);
      meso_cli_json_int (builder, "patient_id", id);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
      return MESO_EXIT_OK;
    }
  /* Translators: a patient number, a file name */
  g_print (_("Exported patient %lld’s records to %s.\n"), (long long)id, display);
  return MESO_EXIT_OK;
}

static const MesoCommand patient_commands[] = {
  { "add", N_("Add a patient; prints the new number"), patient_add },
  { "list", N_("List or search patients"), patient_list },
  { "show", N_("Show a patient with flags, sessions, appointments and overrides"),
    patient_show },
  { "edit", N_("Change a patient’s details"), patient_edit },
  { "archive", N_("Archive a patient (or bring one back with --undo)"), patient_archive },
  { "flag", N_("Set or clear a contraindication flag"), patient_flag },
  { "export", N_("Write everything kept about a patient to a JSON file"), patient_export },
  { NULL, NULL, NULL }
};

int
meso_cli_patient (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  return meso_cli_dispatch (cli, "patient", N_("Patients: their records, contraindication flags "
                                              "and history."),
                            patient_commands, argc, argv);
}
