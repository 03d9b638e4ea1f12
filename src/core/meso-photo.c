/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before/after photos coming in: decoded by gdk-pixbuf, turned upright,
 * written anew with nothing but the pixels, and a thumbnail (HACKING.md,
 * "Photos"). */
#define G_LOG_DOMAIN "mesodesk-photo"

#include "config.h"

#include "meso-photo.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (meso-photo-error-quark, meso_photo_error)

/* Raster formats a camera, a phone or a scanner writes. Vector and icon
 * formats (SVG, XPM, ICO …) are not photos, and their loaders parse text
 * or run far more code than a photo needs. */
static const char *const taken_formats[] = {
  "jpeg", "png", "tiff", "webp", "heif", "avif", "bmp", "gif",
};

void
meso_photo_image_free (MesoPhotoImage *image)
{
  if (image == NULL)
    return;
  g_clear_pointer (&image->image, g_bytes_unref);
  g_clear_pointer (&image->thumbnail, g_bytes_unref);
  g_free (image);
}

static gboolean
format_taken (GdkPixbufFormat *format)
{
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (taken_formats); i++)
    if (g_str_equal (name, taken_formats[i]))
      return TRUE;
  return FALSE;
}

static void
not_an_image (GError **error)
{
  g_set_error_literal (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_NOT_IMAGE,
                       _("This is not a photo Mesodesk can read (JPEG, PNG, TIFF, WebP or "
                         "HEIF), or it is damaged or cut short. Nothing was added."));
}

/* Whether JPEG @data runs to its end-of-image marker. libjpeg takes a
 * file cut short (a copy interrupted, a card pulled out) as a warning and
 * greys the rest out, and gdk-pixbuf gives that picture without an error.
 * The markers are walked, not searched for: an EXIF thumbnail inside has
 * an end marker of its own. In entropy-coded data a 0xFF byte is followed
 * by a stuffed 0x00 or a restart marker; anything else is a marker. */
static gboolean
jpeg_reaches_end (const guint8 *data,
                  gsize         size)
{
  gsize i = 2;

  if (size < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  while (i + 1 < size)
    {
      guint8 marker;
      gsize length;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;  /* fill bytes before a marker */
          continue;
        }
      if (marker == 0xd9)
        return TRUE;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      if (i + 3 >= size)
        return FALSE;
      length = ((gsize)data[i + 2] << 8) | data[i + 3];
      if (length < 2)
        return FALSE;
      i += 2 + length;
      if (marker != 0xda)
        continue;
      /* The scan's entropy-coded data, to the next marker. */
      while (i + 1 < size &&
             (data[i] != 0xff || data[i + 1] == 0x00 ||
              (data[i + 1] >= 0xd0 && data[i + 1] <= 0xd7)))
        i += data[i] == 0xff ? 2 : 1;
    }
  return FALSE;
}

/* Whether PNG @data runs to its IEND chunk: gdk-pixbuf's loader, too,
 * gives what it decoded of a file cut short. */
static gboolean
png_reaches_end (const guint8 *data,
                 gsize         size)
{
  gsize i = 8;

  while (i + 12 <= size)
    {
      gsize length = ((gsize)data[i] << 24) | ((gsize)data[i + 1] << 16) |
                     ((gsize)data[i + 2] << 8) | data[i + 3];

      if (memcmp (data + i + 4, "IEND", 4) == 0)
        return TRUE;
      if (length > size - i - 12)
        return FALSE;
      i += 12 + length;
    }
  return FALSE;
}

/* Whether @data, which the loader of @format_name decoded, is whole. */
static gboolean
reaches_end (const char *format_name,
             GBytes     *data)
{
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  if (g_str_equal (format_name, "jpeg"))
    return jpeg_reaches_end (bytes, size);
  if (g_str_equal (format_name, "png"))
    return png_reaches_end (bytes, size);
  return TRUE;
}

static void
too_many_bytes (GError **error)
{
  g_set_error (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_TOO_LARGE,
               _("The photo is larger than %d MB. Nothing was added."),
               MESO_PHOTO_MAX_BYTES / (1024 * 1024));
}

/* Before the pixels are made: a picture too large to hold is never
 * decoded (a small file can claim a huge picture). */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  gboolean *too_large = user_data;

  if ((gint64)width * height > MESO_PHOTO_MAX_PIXELS)
    {
      *too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

/* @pixbuf as @format ("jpeg" or "png") with nothing but its pixels: no
 * option that would carry metadata (ICC profile, tEXt chunks) is given. */
static GBytes *
encode (GdkPixbuf   *pixbuf,
        const char  *format,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *quality = g_strdup_printf ("%d", MESO_PHOTO_JPEG_QUALITY);
  gchar *buffer = NULL;
  gsize size = 0;
  gboolean saved;

  if (g_str_equal (format, "jpeg"))
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &local_error,
                                       "quality", quality, NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &local_error, NULL);
  if (!saved)
    {
      g_debug ("Encoding a photo as %s: %s", format, local_error->message);
      g_set_error_literal (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_FAILED,
                           _("The photo could not be written anew without its metadata. "
                             "Nothing was added."));
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

/* @upright at MESO_PHOTO_THUMBNAIL_SIZE on its long side at most, as JPEG:
 * transparency on white. */
static GBytes *
make_thumbnail (GdkPixbuf  *upright,
                GError    **error)
{
  g_autoptr(GdkPixbuf) small = NULL;
  int width = gdk_pixbuf_get_width (upright);
  int height = gdk_pixbuf_get_height (upright);
  int longest = MAX (width, height);

  if (longest > MESO_PHOTO_THUMBNAIL_SIZE)
    {
      width = MAX (1, (int)((gint64)width * MESO_PHOTO_THUMBNAIL_SIZE / longest));
      height = MAX (1, (int)((gint64)height * MESO_PHOTO_THUMBNAIL_SIZE / longest));
    }
  if (gdk_pixbuf_get_has_alpha (upright))
    small = gdk_pixbuf_composite_color_simple (upright, width, height, GDK_INTERP_BILINEAR,
                                               255, 8, 0xffffff, 0xffffff);
  else
    small = gdk_pixbuf_scale_simple (upright, width, height, GDK_INTERP_BILINEAR);
  if (small == NULL)
    {
      g_set_error_literal (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_FAILED,
                           _("There is not enough memory to make the photo’s thumbnail. "
                             "Nothing was added."));
      return NULL;
    }
  return encode (small, "jpeg", error);
}

MesoPhotoImage *
meso_photo_import_bytes (GBytes  *data,
                         GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(MesoPhotoImage) image = NULL;
  g_autofree char *format_name = NULL;
  GdkPixbufFormat *format;
  GdkPixbuf *pixbuf;
  gboolean too_large = FALSE;
  gboolean png;

  g_return_val_if_fail (data != NULL, NULL);

  if (g_bytes_get_size (data) == 0)
    {
      not_an_image (error);
      return NULL;
    }
  if (g_bytes_get_size (data) > MESO_PHOTO_MAX_BYTES)
    {
      too_many_bytes (error);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &too_large);
  if (!gdk_pixbuf_loader_write_bytes (loader, data, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      /* gdk-pixbuf's words name its loader's internals: the log only. */
      g_debug ("Decoding a photo: %s", local_error->message);
      gdk_pixbuf_loader_close (loader, NULL);
      not_an_image (error);
      return NULL;
    }
  if (too_large)
    {
      g_set_error (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_TOO_LARGE,
                   _("The photo has more than %d megapixels. Nothing was added."),
                   MESO_PHOTO_MAX_PIXELS / (1000 * 1000));
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  format = gdk_pixbuf_loader_get_format (loader);
  if (pixbuf == NULL || !format_taken (format))
    {
      not_an_image (error);
      return NULL;
    }
  format_name = gdk_pixbuf_format_get_name (format);
  if (!reaches_end (format_name, data))
    {
      not_an_image (error);
      return NULL;
    }

  /* The EXIF orientation (the loaders keep it as the "orientation"
   * option) applied to the pixels: the clean copy has no tag to say it. */
  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (upright == NULL)
    {
      not_an_image (error);
      return NULL;
    }

  png = g_str_equal (format_name, "png") || gdk_pixbuf_get_has_alpha (upright);
  image = g_new0 (MesoPhotoImage, 1);
  image->format = png ? "png" : "jpeg";
  image->width = gdk_pixbuf_get_width (upright);
  image->height = gdk_pixbuf_get_height (upright);
  image->image = encode (upright, image->format, error);
  if (image->image == NULL)
    return NULL;
  image->thumbnail = make_thumbnail (upright, error);
  if (image->thumbnail == NULL)
    return NULL;
  return g_steal_pointer (&image);
}

MesoPhotoImage *
meso_photo_import_file (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = NULL;
  MesoPhotoImage *image = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  /* A file too large is refused before it is read into memory. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL && g_file_info_get_size (info) > MESO_PHOTO_MAX_BYTES)
    too_many_bytes (&local_error);
  else
    {
      data = g_file_load_bytes (file, cancellable, NULL, &local_error);
      if (data == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Reading %s: %s", name, local_error->message);
          g_set_error (error, MESO_PHOTO_ERROR, MESO_PHOTO_ERROR_READ,
                       /* Translators: a file's name */
                       _("“%s” cannot be read. Nothing was added."), name);
          return NULL;
        }
      image = meso_photo_import_bytes (data, &local_error);
    }
  if (image == NULL)
    {
      /* Translators: a file's name, then why it was not taken */
      g_set_error (error, local_error->domain, local_error->code, _("“%s”: %s"), name,
                   local_error->message);
      return NULL;
    }
  return image;
}

static void
import_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  MesoPhotoImage *image = meso_photo_import_file (task_data, cancellable, &error);

  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, (GDestroyNotify)meso_photo_image_free);
}

void
meso_photo_import_file_async (GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_photo_import_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_thread_cb);
}

MesoPhotoImage *
meso_photo_import_file_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
