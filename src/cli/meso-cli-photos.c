/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli photo …: before/after photos of a session (issue 18). The
 * import (metadata removed, orientation applied) is core's meso-photo.c,
 * the keeping the store's. */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include "meso-enum-types.h"
#include "meso-exchange.h"
#include "meso-time.h"

#include <glib/gi18n.h>

static int
photo_add (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  g_autofree char *session_text = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *area_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoPhotoImage) image = NULL;
  g_autoptr(MesoPhoto) photo = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 session_id = 0;
  int kind = MESO_PHOTO_KIND_BEFORE;
  int area = MESO_PHOTO_AREA_OF_SESSION;
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_text,
      N_("The session the photo belongs to (required)"), N_("ID") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("When it was taken: before, during or after (required)"), N_("KIND") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area_text,
      N_("The area shown (default: the session’s)"), N_("AREA") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "photo add", N_("FILE"),
                       N_("Adds a photo (JPEG, PNG, TIFF, WebP or HEIF) to a session and prints "
                          "its number. It is turned upright and written anew without its "
                          "metadata (location, camera serial number, maker notes…): a JPEG, or "
                          "a PNG for a PNG. It is dated with the session."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (session_text == NULL || kind_text == NULL)
    return meso_cli_usage_error ("photo add", _("--session and --kind are required."));
  if (!meso_cli_parse_option_id ("--session", session_text, &session_id, &error) ||
      !meso_cli_parse_nick (MESO_TYPE_PHOTO_KIND, "--kind", kind_text, &kind, &error) ||
      (area_text != NULL &&
       !meso_cli_parse_nick (MESO_TYPE_AREA, "--area", area_text, &area, &error)))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  file = g_file_new_for_commandline_arg (argv[1]);
  image = meso_photo_import_file (file, NULL, &error);
  if (image == NULL ||
      (photo = meso_store_add_photo (store, session_id, kind, area, image, &error)) == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      meso_json_photo (builder, photo);
      meso_cli_print_json (builder);
    }
  else
    g_print ("%" G_GINT64_FORMAT "\n", photo->id);
  return MESO_EXIT_OK;
}

static void
print_photo_json (const MesoPhoto *photo,
                  gpointer         list)
{
  meso_json_photo (meso_cli_json_list_element (list), photo);
  meso_cli_json_list_write (list);
}

static void
print_photo_text (const MesoPhoto *photo,
                  gpointer         unused)
{
  g_autoptr(GDateTime) taken_at = meso_date_time_new_from_unix (photo->taken_at);
  g_autofree char *at_text = meso_cli_format_time (taken_at);

  g_print ("%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%d×%d\n", photo->id,
           photo->session_id, at_text, meso_photo_kind_get_label (photo->kind),
           meso_area_get_label (photo->area), photo->width, photo->height);
}

static int
photo_list (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autofree char *patient_text = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoCliJsonList) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = 0;
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient_text,
      N_("Whose photos (required)"), N_("ID") },
    { NULL }
  };

  if (!meso_cli_parse (cli, "photo list", NULL,
                       N_("Lists a patient’s photos, oldest first, one a line: photo number, "
                          "session number, time, kind, area, width×height (tab-separated)."),
                       entries, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;
  if (patient_text == NULL)
    return meso_cli_usage_error ("photo list", _("--patient is required."));
  if (!meso_cli_parse_option_id ("--patient", patient_text, &patient_id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  if (cli->json)
    list = meso_cli_json_list_new ();
  if (!meso_store_foreach_photo (store, patient_id, FALSE,
                                 list != NULL ? print_photo_json : print_photo_text, list,
                                 &error))
    return meso_cli_fail (error);
  if (list != NULL)
    meso_cli_json_list_finish (list);
  return MESO_EXIT_OK;
}

static int
photo_export (MesoCli  *cli,
              int       argc,
              char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoPhoto) photo = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  gint64 id = 0;
  gsize size = 0;
  const char *data;
  const GOptionEntry entries[] = { { NULL } };

  if (!meso_cli_parse (cli, "photo export", N_("ID FILE"),
                       N_("Writes a photo as it is kept (without its metadata) to FILE, readable "
                          "by you alone; an existing FILE is replaced."),
                       entries, &argc, &argv, 2, 2))
    return MESO_EXIT_USAGE;
  if (!meso_cli_parse_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open (cli, &error);
  if (store == NULL || (image = meso_store_load_photo (store, id, &photo, &error)) == NULL)
    return meso_cli_fail (error);
  data = g_bytes_get_data (image, &size);
  if (!meso_exchange_write_file (argv[2], data, size, &error))
    return meso_cli_fail (error);

  display = g_filename_display_name (argv[2]);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "path", display);
      meso_cli_json_int (builder, "id", photo->id);
      meso_cli_json_string (builder, "format", photo->format);
      meso_cli_json_int (builder, "bytes", (gint64)size);
      json_builder_end_object (builder);
      meso_cli_print_json (builder);
    }
  else
    /* Translators: a photo's number, then a file name */
    g_print (_("Exported photo %lld to %s.\n"), (long long)photo->id, display);
  return MESO_EXIT_OK;
}

static const MesoCommand photo_commands[] = {
  { "add", N_("Add a session’s photo, without its metadata"), photo_add },
  { "list", N_("List a patient’s photos"), photo_list },
  { "export", N_("Write a photo to a file"), photo_export },
  { NULL, NULL, NULL }
};

int
meso_cli_photo (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  return meso_cli_dispatch (cli, "photo", N_("Before, during and after photos of sessions."),
                            photo_commands, argc, argv);
}
