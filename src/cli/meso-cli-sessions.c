/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli session …: recording a treatment, through the rules. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n.h>

static int
session_add (MesoCli  *cli,
             int       argc,
             char    **argv)
{
  g_autofree char *at_text = NULL;
  g_autofree char *area_text = NULL;
  g_autofree char *needle_text = NULL;
  g_autofree char *device_text = NULL;
  g_autofree char *material = NULL;
  g_autofree char *indication = NULL;
  g_autofree char *actives = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *override_reason = NULL;
  g_autofree char *patient_text = NULL;
  g_autofree char *appointment_text = NULL;
  g_autofree char *needle_count_text = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = 0, appointment_id = 0, needle_count = 0;
  gboolean home_use = FALSE, confirm_caution = FALSE;
  int area, device, value;
  guint needle_um;
  MesoRole role;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_text, N_("The patient’s number (required)"),
      N_("ID") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("When, local time (required)"),
      N_("YYYY-MM-DDTHH:MM") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area_text,
      N_("face, neck, decollete, scalp, body or hands (required)"), N_("AREA") },
    { "needle-mm", 0, 0, G_OPTION_ARG_STRING, &needle_text,
      N_("Needle length in millimetres, 0.15 to 2.5 (required)"), N_("MM") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_text, N_("roller or pen (required)"),
      N_("DEVICE") },
    { "home-use", 0, 0, G_OPTION_ARG_NONE, &home_use, N_("A home-care device"), NULL },
    { "needle-count", 0, 0, G_OPTION_ARG_STRING, &needle_count_text, N_("How many needles"),
      N_("N") },
    { "material", 0, 0, G_OPTION_ARG_STRING, &material,
      N_("Needle material: steel, titanium, plastic, gold-plated or silver-plated"),
      N_("MATERIAL") },
    { "indication", 0, 0, G_OPTION_ARG_STRING, &indication,
      N_("What is treated, e.g. fine-lines, acne-scars, hair-loss"), N_("INDICATION") },
    { "actives", 0, 0, G_OPTION_ARG_STRING, &actives, N_("Actives applied"), N_("TEXT") },
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot,
      N_("Product lot number: a registered lot past its expiry is refused; another is "
         "recorded as typed, with a warning"), N_("LOT") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &practitioner, N_("Who treated"),
      N_("NAME") },
    { "appointment", 0, 0, G_OPTION_ARG_STRING, &appointment_text,
      N_("The appointment this session fulfils (marked done)"), N_("ID") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Free notes"), N_("TEXT") },
    { "override-reason", 0, 0, G_OPTION_ARG_STRING, &override_reason,
      N_("Override an interval refusal, with the reason (the practitioner must be a "
         "clinician)"), N_("TEXT") },
    { "confirm-caution", 0, 0, G_OPTION_ARG_NONE, &confirm_caution,
      N_("Confirm treating despite a caution (scar-prone skin)"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "session add", NULL,
                       N_("Records a treatment session, if the clinical rules allow it, and "
                          "prints its number. Warnings go to stderr."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patient_text == NULL || at_text == NULL || area_text == NULL || needle_text == NULL ||
      device_text == NULL)
    return meso_cli_usage_error ("session add",
                                 _("--patient, --at, --area, --needle-mm and --device are "
                                   "required."));

  if (!meso_cli_parse_option_id ("--patient", patient_text, &patient_id, &error) ||
      !meso_cli_parse_option_id ("--appointment", appointment_text, &appointment_id, &error) ||
      !meso_cli_parse_count ("--needle-count", needle_count_text, 0, G_MAXINT, &needle_count,
                             &error))
    return meso_cli_fail (error);
  at = meso_date_time_parse_local (at_text, &error);
  if (at == NULL ||
      !meso_cli_parse_nick (MESO_TYPE_AREA, "--area", area_text, &area, &error) ||
      !meso_cli_parse_nick (MESO_TYPE_DEVICE, "--device", device_text, &device, &error) ||
      !meso_needle_parse_mm (needle_text, &needle_um, &error) ||
      (material != NULL &&
       !meso_cli_parse_nick (MESO_TYPE_NEEDLE_MATERIAL, "--material", material, &value,
                             &error)) ||
      (indication != NULL &&
       !meso_cli_parse_nick (MESO_TYPE_INDICATION, "--indication", indication, &value, &error)))
    return meso_cli_fail (error);

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_appointment_id (session, appointment_id);
  meso_session_set_at (session, at);
  meso_session_set_area (session, area);
  meso_session_set_device (session, device);
  meso_session_set_home_use (session, home_use);
  meso_session_set_needle_um (session, needle_um);
  meso_session_set_needle_count (session, (guint)needle_count);
  meso_session_set_needle_material (session, material);
  meso_session_set_indication (session, indication);
  meso_session_set_actives (session, actives);
  meso_session_set_lot (session, lot);
  meso_session_set_practitioner (session, practitioner);
  meso_session_set_notes (session, notes);
  meso_session_set_override_reason (session, override_reason);
  meso_session_set_caution_confirmed (session, confirm_caution);

  store = meso_cli_open (cli, &error);
  if (store == NULL ||
      !meso_cli_acting_role (store, practitioner, override_reason, &role, &error) ||
      !meso_store_add_session (store, session, role, &verdicts, &error))
    return meso_cli_fail (error);
  meso_cli_print_warnings (verdicts);

  if (!cli->json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", meso_session_get_id (session));
      return MESO_EXIT_OK;
    }

  /* As stored: an override reason is kept only where it lifted a refusal. */
  stored = meso_store_list_sessions (store, patient_id, &error);
  if (stored == NULL)
    return meso_cli_fail (error);
  for (guint i = 0; i < stored->len; i++)
    {
      MesoSession *s = g_ptr_array_index (stored, i);

      if (meso_session_get_id (s) == meso_session_get_id (session))
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          meso_cli_json_session (builder, s);
          meso_cli_print_json (builder);
          return MESO_EXIT_OK;
        }
    }
  g_return_val_if_reached (MESO_EXIT_FAILURE);
}

static const MesoCommand session_commands[] = {
  { "add", N_("Record a session, checked by the clinical rules"), session_add },
  { NULL, NULL, NULL }
};

int
meso_cli_session (MesoCli  *cli,
                  int       argc,
                  char    **argv)
{
  return meso_cli_dispatch (cli, "session", N_("Treatment sessions: what was done, when, with "
                                              "which needle."),
                            session_commands, argc, argv);
}

