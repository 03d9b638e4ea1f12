/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: before/after photos of a session (issue 18). The record in
 * photos (audited), the bytes in photo_data (never in the audit log, never
 * read by a list): a patient's list reads thumbnails, one photo's image is
 * read by its id. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"

#include <glib/gi18n-lib.h>

/* The columns photo_from_row() reads; the thumbnail or the image, if asked, after them. */
#define PHOTO_COLUMNS \
  "p.id, p.session_id, s.patient_id, p.kind, p.area, p.taken_at, p.width, p.height, " \
  "p.format, p.added_by, p.added_at"
#define PHOTO_FROM "FROM photos p JOIN sessions s ON s.id = p.session_id "
#define PHOTO_BYTES_COLUMN 11

static const char photos_sql[] =
  "SELECT " PHOTO_COLUMNS " " PHOTO_FROM "WHERE s.patient_id = ?1 ORDER BY p.taken_at, p.id";
static const char photos_thumbnails_sql[] =
  "SELECT " PHOTO_COLUMNS ", d.thumbnail " PHOTO_FROM
  "LEFT JOIN photo_data d ON d.photo_id = p.id WHERE s.patient_id = ?1 "
  "ORDER BY p.taken_at, p.id";
static const char photos_images_sql[] =
  "SELECT " PHOTO_COLUMNS ", d.image " PHOTO_FROM
  "LEFT JOIN photo_data d ON d.photo_id = p.id WHERE s.patient_id = ?1 "
  "ORDER BY p.taken_at, p.id";
static const char photos_page_sql[] =
  "SELECT " PHOTO_COLUMNS ", d.thumbnail " PHOTO_FROM
  "LEFT JOIN photo_data d ON d.photo_id = p.id WHERE s.patient_id = ?1 "
  "ORDER BY p.taken_at, p.id LIMIT ?2 OFFSET ?3";
static const char photos_count_sql[] =
  "SELECT count(*) " PHOTO_FROM "WHERE s.patient_id = ?1";
static const char photo_sql[] =
  "SELECT " PHOTO_COLUMNS " " PHOTO_FROM "WHERE p.id = ?1";
static const char photo_image_sql[] =
  "SELECT " PHOTO_COLUMNS ", d.image " PHOTO_FROM
  "LEFT JOIN photo_data d ON d.photo_id = p.id WHERE p.id = ?1";

void
meso_photo_free (MesoPhoto *photo)
{
  if (photo == NULL)
    return;
  g_free (photo->format);
  g_free (photo->added_by);
  g_clear_pointer (&photo->thumbnail, g_bytes_unref);
  g_free (photo);
}

/* The current row's record, its strings @stmt's (valid until the next
 * step); the thumbnail not read. */
static void
photo_read_row (MesoDbStmt *stmt,
                MesoPhoto  *photo)
{
  int kind = MESO_PHOTO_KIND_BEFORE;
  int area = MESO_AREA_FACE;

  photo->id = meso_db_column_int64 (stmt, 0);
  photo->session_id = meso_db_column_int64 (stmt, 1);
  photo->patient_id = meso_db_column_int64 (stmt, 2);
  meso_enum_from_nick (MESO_TYPE_PHOTO_KIND, meso_db_column_text (stmt, 3), &kind);
  meso_enum_from_nick (MESO_TYPE_AREA, meso_db_column_text (stmt, 4), &area);
  photo->kind = kind;
  photo->area = area;
  photo->taken_at = meso_db_column_int64 (stmt, 5);
  photo->width = meso_db_column_int (stmt, 6);
  photo->height = meso_db_column_int (stmt, 7);
  photo->format = (char *)meso_db_column_text (stmt, 8);
  photo->added_by = (char *)meso_db_column_text (stmt, 9);
  photo->added_at = meso_db_column_int64 (stmt, 10);
}

static MesoPhoto *
photo_from_row (MesoDbStmt *stmt,
                gboolean    thumbnail)
{
  MesoPhoto *photo = g_new0 (MesoPhoto, 1);

  photo_read_row (stmt, photo);
  photo->format = g_strdup (photo->format);
  photo->added_by = g_strdup (photo->added_by);
  if (thumbnail)
    photo->thumbnail = meso_db_column_bytes (stmt, PHOTO_BYTES_COLUMN);
  return photo;
}

typedef struct
{
  gint64                session_id;
  MesoPhotoKind         kind;
  int                   area;
  const MesoPhotoImage *image;
  gint64                id;
} AddingPhoto;

static gboolean
add_photo_cb (MesoStore  *self,
              gpointer    data,
              GError    **error)
{
  AddingPhoto *adding = data;
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autofree char *area = NULL;
  MesoDbStmt *stmt;
  gint64 taken_at;

  stmt = meso_store_prepare (self, "SELECT at, area FROM sessions WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, adding->session_id);
  if (!meso_store_step_found (self, stmt, error,
                              _("There is no session number %lld."),
                              (long long)adding->session_id))
    return FALSE;
  taken_at = meso_db_column_int64 (stmt, 0);
  area = adding->area == MESO_PHOTO_AREA_OF_SESSION
           ? meso_db_column_dup (stmt, 1)
           : g_strdup (meso_enum_to_nick (MESO_TYPE_AREA, adding->area));
  meso_db_reset (stmt);

  stmt = meso_store_prepare (self,
                             "INSERT INTO photos (session_id, kind, area, taken_at, width, height, "
                             "format, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                             "?9) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, adding->session_id);
  meso_db_bind_text (stmt, 2, meso_enum_to_nick (MESO_TYPE_PHOTO_KIND, adding->kind));
  meso_db_bind_text (stmt, 3, area);
  meso_db_bind_int64 (stmt, 4, taken_at);
  meso_db_bind_int64 (stmt, 5, adding->image->width);
  meso_db_bind_int64 (stmt, 6, adding->image->height);
  meso_db_bind_text (stmt, 7, adding->image->format);
  meso_db_bind_text (stmt, 8, meso_store_get_actor (self));
  meso_db_bind_int64 (stmt, 9, g_date_time_to_unix (now));
  if (!meso_store_step_id (self, stmt, &adding->id, error))
    return FALSE;

  stmt = meso_store_prepare (self,
                             "INSERT INTO photo_data (photo_id, thumbnail, image) "
                             "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, adding->id);
  meso_db_bind_blob (stmt, 2, adding->image->thumbnail);
  meso_db_bind_blob (stmt, 3, adding->image->image);
  return meso_store_step_done (self, stmt, error);
}

MesoPhoto *
meso_store_add_photo (MesoStore             *self,
                      gint64                 session_id,
                      MesoPhotoKind          kind,
                      int                    area,
                      const MesoPhotoImage  *image,
                      GError               **error)
{
  AddingPhoto adding = { 0 };
  MesoDbStmt *stmt;
  MesoPhoto *photo;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (image != NULL && image->image != NULL && image->thumbnail != NULL, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return NULL;

  if (meso_enum_to_nick (MESO_TYPE_PHOTO_KIND, kind) == NULL ||
      (area != MESO_PHOTO_AREA_OF_SESSION && meso_enum_to_nick (MESO_TYPE_AREA, area) == NULL) ||
      image->width <= 0 || image->height <= 0 ||
      (g_strcmp0 (image->format, "jpeg") != 0 && g_strcmp0 (image->format, "png") != 0))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The photo’s kind, area or image is not one Mesodesk keeps."));
      return NULL;
    }

  adding.session_id = session_id;
  adding.kind = kind;
  adding.area = area;
  adding.image = image;
  if (!meso_store_run_write (self, add_photo_cb, &adding, error))
    return NULL;

  /* As stored, with its thumbnail, for the caller to show; the image is
   * not read back. */
  stmt = meso_store_prepare (self, photo_sql, error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, adding.id);
  if (!meso_store_step_found (self, stmt, error, _("There is no photo number %lld."),
                              (long long)adding.id))
    return NULL;
  photo = photo_from_row (stmt, FALSE);
  meso_db_reset (stmt);
  photo->thumbnail = g_bytes_ref (image->thumbnail);
  return photo;
}

/* @sql (its ?1 the patient) prepared for patient @patient_id's photos,
 * once the person may see them (TREAT) and the patient is on record
 * (NOT_FOUND otherwise). */
static MesoDbStmt *
prepare_patient_photos (MesoStore   *self,
                        gint64       patient_id,
                        const char  *sql,
                        GError     **error)
{
  MesoDbStmt *stmt;

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return NULL;
  stmt = meso_store_prepare (self, "SELECT id FROM patients WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);
  if (!meso_store_step_found (self, stmt, error,
                              /* Translators: %lld is a patient number */
                              _("There is no patient number %lld."), (long long)patient_id))
    return NULL;
  meso_db_reset (stmt);

  stmt = meso_store_prepare (self, sql, error);
  if (stmt != NULL)
    meso_db_bind_int64 (stmt, 1, patient_id);
  return stmt;
}

GPtrArray *
meso_store_list_photos (MesoStore  *self,
                        gint64      patient_id,
                        guint       offset,
                        guint       limit,
                        GError    **error)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_photo_free);
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  stmt = prepare_patient_photos (self, patient_id, photos_page_sql, error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : G_MAXINT64);
  meso_db_bind_int64 (stmt, 3, offset);
  while (meso_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (photos, photo_from_row (stmt, TRUE));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&photos);
}

/* @stmt's rows (streamed), each photo handed to @func with its bytes
 * column (NULL unless @with_bytes) until @func says FALSE. */
static gboolean
stream_photos (MesoStore                *self,
               MesoDbStmt               *stmt,
               gboolean                  with_bytes,
               MesoStorePhotoImageFunc   func,
               gpointer                  user_data,
               GError                  **error)
{
  g_autoptr(GError) local_error = NULL;

  meso_db_stream (stmt);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoPhoto photo = { 0 };
      g_autoptr(GBytes) bytes = NULL;

      if (with_bytes)
        bytes = meso_db_column_bytes (stmt, PHOTO_BYTES_COLUMN);
      photo_read_row (stmt, &photo);
      if (!func (&photo, bytes, user_data, error))
        {
          meso_db_reset (stmt);
          return FALSE;
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  MesoPhotoFunc func;
  gpointer      user_data;
} Listing;

static gboolean
list_photo_cb (const MesoPhoto  *photo,
               GBytes           *thumbnail,
               gpointer          data,
               GError          **error)
{
  Listing *listing = data;
  MesoPhoto with_thumbnail = *photo;

  with_thumbnail.thumbnail = thumbnail;
  listing->func (&with_thumbnail, listing->user_data);
  return TRUE;
}

gboolean
meso_store_foreach_photo (MesoStore      *self,
                          gint64          patient_id,
                          gboolean        thumbnails,
                          MesoPhotoFunc   func,
                          gpointer        user_data,
                          GError        **error)
{
  Listing listing = { func, user_data };
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = prepare_patient_photos (self, patient_id,
                                 thumbnails ? photos_thumbnails_sql : photos_sql, error);
  return stmt != NULL && stream_photos (self, stmt, thumbnails, list_photo_cb, &listing, error);
}

gboolean
meso_store_foreach_photo_image (MesoStore                *self,
                                gint64                    patient_id,
                                MesoStorePhotoImageFunc   func,
                                gpointer                  user_data,
                                GError                  **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* The export has asked for its own permission (MANAGE) and found the
   * patient. */
  stmt = meso_store_prepare (self, photos_images_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  return stream_photos (self, stmt, TRUE, func, user_data, error);
}

gboolean
meso_store_count_photos (MesoStore  *self,
                         gint64      patient_id,
                         guint      *count,
                         GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  stmt = prepare_patient_photos (self, patient_id, photos_count_sql, error);
  if (stmt == NULL || !meso_store_step_found (self, stmt, error, "%s", photos_count_sql))
    return FALSE;
  *count = (guint)meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return TRUE;
}

GBytes *
meso_store_load_photo (MesoStore   *self,
                       gint64       id,
                       MesoPhoto  **photo,
                       GError     **error)
{
  GBytes *image;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return NULL;

  stmt = meso_store_prepare (self, photo_image_sql, error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, id);
  if (!meso_store_step_found (self, stmt, error,
                              /* Translators: %lld is a photo's number */
                              _("There is no photo number %lld."), (long long)id))
    return NULL;
  image = meso_db_column_bytes (stmt, PHOTO_BYTES_COLUMN);
  if (image == NULL)
    {
      /* A record whose bytes did not come along (a transfer copies records
       * only, so far). */
      meso_db_reset (stmt);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                   _("The image of photo number %lld is not in this database."), (long long)id);
      return NULL;
    }
  if (photo != NULL)
    *photo = photo_from_row (stmt, FALSE);
  meso_db_reset (stmt);
  return image;
}
