/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before/after photos coming in (issue 18): a file decoded, turned upright
 * by its EXIF orientation and written anew, so nothing but its pixels is
 * kept (no EXIF, XMP, IPTC, GPS, serial number or maker note), with a
 * thumbnail. gdk-pixbuf only: no GTK here. Each call is independent of the
 * others and of any store, so the window runs it in a worker thread
 * (meso_photo_import_file_async()). */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MESO_PHOTO_ERROR (meso_photo_error_quark ())

typedef enum
{
  MESO_PHOTO_ERROR_NOT_IMAGE,  /* not an image we take, or damaged or cut short */
  MESO_PHOTO_ERROR_TOO_LARGE,  /* over MESO_PHOTO_MAX_BYTES or MESO_PHOTO_MAX_PIXELS */
  MESO_PHOTO_ERROR_READ,       /* the file cannot be read */
  MESO_PHOTO_ERROR_FAILED,     /* encoding the clean copy failed */
} MesoPhotoError;

GQuark meso_photo_error_quark (void);

/* The thumbnail's long side, in pixels. */
#define MESO_PHOTO_THUMBNAIL_SIZE 320
/* A photo's JPEG quality when written anew (a PNG stays PNG). */
#define MESO_PHOTO_JPEG_QUALITY 90
/* What an import takes at most: a 100-megapixel camera's file and image. */
#define MESO_PHOTO_MAX_BYTES (64 * 1024 * 1024)
#define MESO_PHOTO_MAX_PIXELS (100 * 1000 * 1000)

/* A photo ready for the store: only pixels, upright. */
typedef struct
{
  GBytes     *image;       /* JPEG, or PNG for a PNG (or an image with transparency) */
  GBytes     *thumbnail;   /* JPEG, MESO_PHOTO_THUMBNAIL_SIZE on the long side at most */
  const char *format;      /* "jpeg" or "png": the image's */
  int         width;       /* the image's, upright */
  int         height;
} MesoPhotoImage;

void            meso_photo_image_free        (MesoPhotoImage  *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoPhotoImage, meso_photo_image_free)

/* @data decoded (JPEG, PNG, TIFF, WebP, HEIF/AVIF, BMP or GIF: whatever
 * gdk-pixbuf's loaders read of those; never a vector or icon format),
 * orientation applied, written anew, a thumbnail made. */
MesoPhotoImage *meso_photo_import_bytes      (GBytes               *data,
                                              GError              **error);
/* The same for a file (MESO_PHOTO_ERROR_READ if it cannot be read). */
MesoPhotoImage *meso_photo_import_file       (GFile                *file,
                                              GCancellable         *cancellable,
                                              GError              **error);
/* meso_photo_import_file() in a thread of GIO's pool, for the window. */
void            meso_photo_import_file_async (GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
MesoPhotoImage *meso_photo_import_file_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
