/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli lot …: products and their lots, and who received a lot
 * (issue 18). R7 itself is the store's, when a session is recorded. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n.h>

static void
json_lot (JsonBuilder   *builder,
          const MesoLot *lot)
{
  g_autofree char *expires = g_date_valid (&lot->expires_on)
                               ? meso_format_date_iso (&lot->expires_on) : NULL;

  json_builder_begin_object (builder);
  meso_cli_json_int (builder, "id", lot->id);
  meso_cli_json_string (builder, "lot", lot->number);
  meso_cli_json_string (builder, "product", lot->product);
  meso_cli_json_string (builder, "expires_on", expires);
  meso_cli_json_int (builder, "sessions", lot->sessions);
  json_builder_end_object (builder);
}

static int
lot_add (MesoCli  *cli,
         int       argc,
         char    **argv)
{
  g_autofree char *product = NULL;
  g_autofree char *expires_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  gint64 linked = 0;
  GDate expires;
  const GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product,
      N_("The product, added if new (required)"), N_("NAME") },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &expires_text,
      N_("The last day the lot may be used (required)"), N_("YYYY-MM-DD") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "lot add", N_("LOT"),
                       N_("Registers a product’s lot and its expiry, and prints its number. A "
                          "session with a registered lot is refused after the lot’s expiry "
                          "day (rule R7). Sessions recorded before with that lot number are "
                          "linked to it (their count on stderr), unless another product has a "
                          "lot of the same number."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (product == NULL || expires_text == NULL)
    return meso_cli_usage_error ("lot add", _("--product and --expires are required."));

  g_date_clear (&expires, 1);
  if (!meso_date_parse (expires_text, &expires, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_add_lot (store, argv[1], product, &expires, &id, &linked,
                                             &error))
    return meso_cli_fail (error);
  if (linked > 0)
    g_printerr (ngettext (/* Translators: after a lot is registered; %s is its number */
                          "%u earlier session recorded with lot %s now refers to it.\n",
                          "%u earlier sessions recorded with lot %s now refer to it.\n",
                          (gulong)linked), (guint)linked, argv[1]);

  if (!cli->json)
    {
      g_print ("%" G_GINT64_FORMAT "\n", id);
      return MESO_EXIT_OK;
    }
  lots = meso_store_find_lots (store, argv[1], &error);
  if (lots == NULL)
    return meso_cli_fail (error);
  for (guint i = 0; i < lots->len; i++)
    if (((MesoLot *)g_ptr_array_index (lots, i))->id == id)
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();

        json_lot (builder, g_ptr_array_index (lots, i));
        meso_cli_print_json (builder);
        return MESO_EXIT_OK;
      }
  g_return_val_if_reached (MESO_EXIT_FAILURE);
}

static int
lot_list (MesoCli  *cli,
          int       argc,
          char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "lot list", NULL,
                       N_("Lists the registered lots by product, one a line: lot, product, "
                          "expiry, sessions recorded with it (tab-separated)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || (lots = meso_store_list_lots (store, &error)) == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    list = meso_cli_json_list_new ();
  for (guint i = 0; i < lots->len; i++)
    {
      const MesoLot *lot = g_ptr_array_index (lots, i);
      g_autofree char *expires = meso_format_date_iso (&lot->expires_on);

      if (list != NULL)
        {
          json_lot (meso_cli_json_list_element (list), lot);
          meso_cli_json_list_write (list);
        }
      else
        g_print ("%s\t%s\t%s\t%" G_GINT64_FORMAT "\n", meso_cli_text (lot->number),
                 meso_cli_text (lot->product), expires, lot->sessions);
    }
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

static void
print_lot_patient_json (const MesoLotPatient *row,
                        gpointer              list)
{
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (row->at);
  g_autofree char *at_text = meso_format_date_time_iso (at);

  meso_cli_json_list_begin_object (list);
  meso_cli_json_list_int (list, "patient_id", row->patient_id);
  meso_cli_json_list_string (list, "patient", row->patient);
  meso_cli_json_list_int (list, "session_id", row->session_id);
  meso_cli_json_list_string (list, "at", at_text);
  meso_cli_json_list_string (list, "area", meso_enum_to_nick (MESO_TYPE_AREA, row->area));
  meso_cli_json_list_string (list, "phone", row->phone);
  meso_cli_json_list_string (list, "email", row->email);
  meso_cli_json_list_string (list, "product", row->product);
  meso_cli_json_list_end_object (list);
}

static void
print_lot_patient_text (const MesoLotPatient *row,
                        gpointer              unused)
{
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (row->at);
  g_autofree char *at_text = meso_cli_format_time (at);

  g_print ("%" G_GINT64_FORMAT "\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", row->patient_id,
           meso_cli_text (row->patient), row->session_id, at_text,
           meso_area_get_label (row->area), meso_cli_text (row->phone != NULL ? row->phone : ""),
           meso_cli_text (row->email != NULL ? row->email : ""));
}

static int
lot_patients (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "lot patients", N_("LOT"),
                       N_("Lists every session recorded with a registered lot, oldest first, "
                          "with its patient’s contact details, one a line: patient number, "
                          "name, session number, time, area, phone, e-mail (tab-separated)."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  if (cli->json)
    list = meso_cli_json_list_new ();
  if (!meso_store_list_lot_patients (store, argv[1],
                                     list != NULL ? print_lot_patient_json
                                                  : print_lot_patient_text,
                                     list, &error))
    return meso_cli_fail (error);
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

static const MesoCommand lot_commands[] = {
  { "add", N_("Register a product’s lot and its expiry"), lot_add },
  { "list", N_("List the registered lots"), lot_list },
  { "patients", N_("Who received a lot: its sessions and their patients’ contacts"),
    lot_patients },
  { NULL, NULL, NULL }
};

int
meso_cli_lot (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  return meso_cli_dispatch (cli, "lot", N_("Product lots: their expiry, and who received "
                                          "each."),
                            lot_commands, argc, argv);
}
