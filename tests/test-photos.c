/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Before/after photos (issue 18): the import (core's meso-photo.c: what is
 * refused, the orientation applied, the thumbnail, no metadata kept) and
 * the store (add, list without the images, load, permissions, the audit
 * log without image bytes). Each store case on a fresh database: an
 * SQLite file (photos), or a database of its own on the test server
 * (photos-postgresql). The metadata read back by a real EXIF reader is
 * test-cli's test_photos. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-photo.h"
#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include "meso-test-core.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <unistd.h>

#define NOW "2026-11-21T09:00"

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-photos-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  return 0;
}

/* @error is @domain's @code. */
#define EXPECT_GERROR(what, error, domain, expected_code) \
  G_STMT_START { \
    const GError *e_ = (error); \
    if (!g_error_matches (e_, (domain), (int) (expected_code))) \
      { \
        print_error ("case \"%s\": expected %s, got %s\n", (what), #expected_code, \
                     e_ != NULL ? e_->message : "no error"); \
        fail (); \
      } \
  } G_STMT_END
#define EXPECT_PHOTO_ERROR(what, error, code) EXPECT_GERROR (what, error, MESO_PHOTO_ERROR, code)
#define EXPECT_STORE_ERROR(what, error, code) EXPECT_GERROR (what, error, MESO_STORE_ERROR, code)

/* A picture like a photo's (gradients and noise, which JPEG cannot
 * squeeze to nothing), @width × @height, its left half red and right half
 * blue, so a turn shows where they went. */
static GdkPixbuf *
make_picture (int      width,
              int      height,
              gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  GRand *rand = g_rand_new_with_seed (18);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * channels;
        int noise = g_rand_int_range (rand, -20, 20);
        gboolean left = x < width / 2;

        p[0] = CLAMP ((left ? 220 : 30) + noise, 0, 255);
        p[1] = CLAMP (y * 200 / height + noise, 0, 255);
        p[2] = CLAMP ((left ? 30 : 220) + noise, 0, 255);
        if (alpha)
          p[3] = 200;
      }
  g_rand_free (rand);
  return pixbuf;
}

static GBytes *
encode_picture (GdkPixbuf  *pixbuf,
                const char *format)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  EXPECT ("encoded", gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL));
  return g_bytes_new_take (buffer, size);
}

/* @jpeg with an EXIF segment saying Orientation 6 (turn 90° clockwise to
 * show) right after its start: big-endian TIFF, one IFD entry. */
static GBytes *
with_orientation_6 (GBytes *jpeg)
{
  static const guint8 app1[] = {
    0xff, 0xe1, 0x00, 0x22,                          /* APP1, length 34 */
    'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,    /* TIFF header, IFD0 at 8 */
    0x00, 0x01,                                      /* one entry */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,  /* Orientation, SHORT, 1 */
    0x00, 0x06, 0x00, 0x00,                          /* = 6 */
    0x00, 0x00, 0x00, 0x00,                          /* no next IFD */
  };
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, data + 2, size - 2);
  return g_byte_array_free_to_bytes (out);
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;

  EXPECT ("decodes", gdk_pixbuf_loader_write_bytes (loader, bytes, &error) &&
                     gdk_pixbuf_loader_close (loader, &error));
  EXPECT_NO_ERROR ("decodes", error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* The red channel at (@x, @y). */
static int
red_at (GdkPixbuf *pixbuf,
        int        x,
        int        y)
{
  return gdk_pixbuf_get_pixels (pixbuf)[y * gdk_pixbuf_get_rowstride (pixbuf) +
                                        x * gdk_pixbuf_get_n_channels (pixbuf)];
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);

  /* Bytes with NULs in them: not a string search. */
  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, needle, length) == 0)
      return TRUE;
  return FALSE;
}

/* ============================================================ the import */

static void
test_import_refuses (void **state)
{
  g_autoptr(GdkPixbuf) picture = make_picture (400, 300, FALSE);
  g_autoptr(GBytes) jpeg = encode_picture (picture, "jpeg");
  g_autoptr(GBytes) png = encode_picture (picture, "png");
  static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
  const struct
  {
    const char *what;
    GBytes     *bytes;
  } cases[] = {
    { "text", g_bytes_new_static ("Dear Anna,\nyour photos follow.\n", 32) },
    { "empty", g_bytes_new_static ("", 0) },
    { "a JPEG cut short", g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) * 2 / 3) },
    { "a JPEG without its end marker",
      g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) - 2) },
    { "a PNG cut short", g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) * 2 / 3) },
    { "a PNG without its end chunk",
      g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 12) },
    { "a vector drawing", g_bytes_new_static (svg, sizeof svg - 1) },
  };

  (void)state;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoPhotoImage) image = meso_photo_import_bytes (cases[i].bytes, &error);

      EXPECT (cases[i].what, image == NULL);
      EXPECT_PHOTO_ERROR (cases[i].what, error, MESO_PHOTO_ERROR_NOT_IMAGE);
      EXPECT_CONTAINS (cases[i].what, error->message, "Nothing was added");
      g_bytes_unref (cases[i].bytes);
    }
}

static void
test_import_orientation_and_thumbnail (void **state)
{
  g_autoptr(GdkPixbuf) picture = make_picture (800, 600, FALSE);
  g_autoptr(GBytes) jpeg = encode_picture (picture, "jpeg");
  g_autoptr(GBytes) turned = with_orientation_6 (jpeg);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhotoImage) image = NULL;
  g_autoptr(GdkPixbuf) stored = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;

  (void)state;
  /* The test's own EXIF is one gdk-pixbuf reads. */
  {
    g_autoptr(GdkPixbuf) raw = decode (turned);

    EXPECT_STR ("the orientation tag read", "6",
                gdk_pixbuf_get_option (raw, "orientation"));
  }

  image = meso_photo_import_bytes (turned, &error);
  EXPECT_NO_ERROR ("import", error);
  assert_non_null (image);
  EXPECT_STR ("a JPEG", "jpeg", image->format);
  EXPECT_INT ("turned: as wide as it was high", 600, image->width);
  EXPECT_INT ("and as high as it was wide", 800, image->height);

  stored = decode (image->image);
  EXPECT_INT ("the stored width", 600, gdk_pixbuf_get_width (stored));
  EXPECT_INT ("the stored height", 800, gdk_pixbuf_get_height (stored));
  /* Turned clockwise: the left (red) half is now on top. */
  EXPECT ("red on top", red_at (stored, 300, 100) > 150);
  EXPECT ("blue below", red_at (stored, 300, 700) < 100);
  EXPECT ("no orientation left", gdk_pixbuf_get_option (stored, "orientation") == NULL);
  EXPECT ("no EXIF segment left", !bytes_contain (image->image, "Exif"));

  thumbnail = decode (image->thumbnail);
  EXPECT_INT ("the thumbnail's long side", MESO_PHOTO_THUMBNAIL_SIZE,
              gdk_pixbuf_get_height (thumbnail));
  EXPECT_INT ("its short side", 240, gdk_pixbuf_get_width (thumbnail));
  EXPECT ("the thumbnail upright too", red_at (thumbnail, 120, 40) > 150);
}

static void
test_import_png_stays_png (void **state)
{
  g_autoptr(GdkPixbuf) picture = make_picture (500, 400, TRUE);
  g_autoptr(GBytes) png = encode_picture (picture, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhotoImage) image = meso_photo_import_bytes (png, &error);
  g_autoptr(GdkPixbuf) thumbnail = NULL;

  (void)state;
  EXPECT_NO_ERROR ("import", error);
  assert_non_null (image);
  EXPECT_STR ("a PNG stays a PNG", "png", image->format);
  EXPECT ("PNG bytes", bytes_contain (image->image, "IHDR"));
  EXPECT_INT ("width", 500, image->width);
  EXPECT_INT ("height", 400, image->height);
  thumbnail = decode (image->thumbnail);
  EXPECT_INT ("a JPEG thumbnail, no alpha", 0, gdk_pixbuf_get_has_alpha (thumbnail));
  EXPECT_INT ("320 wide", 320, gdk_pixbuf_get_width (thumbnail));
  EXPECT_INT ("256 high", 256, gdk_pixbuf_get_height (thumbnail));
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MesoPhotoImage **image = user_data;
  g_autoptr(GError) error = NULL;

  *image = meso_photo_import_file_finish (result, &error);
  EXPECT_NO_ERROR ("finished", error);
}

static void
test_import_file_async (void **state)
{
  g_autofree char *dir = make_temp_dir ("mesodesk-photos-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);
  g_autoptr(GdkPixbuf) picture = make_picture (640, 480, FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  MesoPhotoImage *image = NULL;

  (void)state;
  EXPECT ("saved", gdk_pixbuf_save (picture, path, "jpeg", &error, NULL));
  meso_photo_import_file_async (file, NULL, import_done_cb, &image);
  while (image == NULL)
    g_main_context_iteration (NULL, TRUE);
  EXPECT_INT ("imported off the main thread", 640, image->width);
  meso_photo_image_free (image);

  g_object_unref (file);
  file = g_file_new_for_path ("/nonexistent/photo.jpg");
  image = meso_photo_import_file (file, NULL, &error);
  EXPECT ("nothing", image == NULL);
  EXPECT_PHOTO_ERROR ("a missing file", error, MESO_PHOTO_ERROR_READ);

  /* Too large: refused by its size, before it is read. */
  {
    g_autofree char *huge = g_build_filename (dir, "huge.jpg", NULL);
    g_autoptr(GFile) huge_file = g_file_new_for_path (huge);
    FILE *out = fopen (huge, "w");

    assert_non_null (out);
    assert_int_equal (0, ftruncate (fileno (out), (off_t)MESO_PHOTO_MAX_BYTES + 1));
    fclose (out);
    g_clear_error (&error);
    image = meso_photo_import_file (huge_file, NULL, &error);
    EXPECT ("nothing", image == NULL);
    EXPECT_PHOTO_ERROR ("over 64 MB", error, MESO_PHOTO_ERROR_TOO_LARGE);
    EXPECT_CONTAINS ("named", error->message, "huge.jpg");
  }
  remove_temp_dir (g_steal_pointer (&dir));
}

/* ============================================================ the store */

static MesoPhotoImage *
import_picture (int width,
                int height)
{
  g_autoptr(GdkPixbuf) picture = make_picture (width, height, FALSE);
  g_autoptr(GBytes) jpeg = encode_picture (picture, "jpeg");
  g_autoptr(GError) error = NULL;
  MesoPhotoImage *image = meso_photo_import_bytes (jpeg, &error);

  EXPECT_NO_ERROR ("import", error);
  assert_non_null (image);
  return image;
}

static gint64
add_photo_ok (MesoStore            *store,
              gint64                session_id,
              MesoPhotoKind         kind,
              int                   area,
              const MesoPhotoImage *image)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhoto) photo = meso_store_add_photo (store, session_id, kind, area, image,
                                                     &error);

  EXPECT_NO_ERROR ("add a photo", error);
  assert_non_null (photo);
  return photo->id;
}

typedef struct
{
  guint  rows;
  gsize  thumbnail_bytes;
  GString *ids;
} Listed;

static void
listed_cb (const MesoPhoto *photo,
           gpointer         user_data)
{
  Listed *listed = user_data;

  listed->rows++;
  if (photo->thumbnail != NULL)
    listed->thumbnail_bytes += g_bytes_get_size (photo->thumbnail);
  g_string_append_printf (listed->ids, "%" G_GINT64_FORMAT ",", photo->id);
}

static void
test_store_add_list_load (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(MesoPhotoImage) large = import_picture (1600, 1200);
  g_autoptr(MesoPhotoImage) small = import_picture (400, 300);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhoto) added = NULL;
  g_autoptr(MesoPhoto) loaded_photo = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  gint64 anna = add_patient (f->store, "Anna Photo", FALSE);
  gint64 ben = add_patient (f->store, "Ben Other", FALSE);
  gint64 first = record_session_ok (f->store, anna, "2026-10-01T10:00", MESO_AREA_FACE);
  gint64 second = record_session_ok (f->store, anna, "2026-11-02T10:00", MESO_AREA_FACE);
  gint64 bens = record_session_ok (f->store, ben, "2026-11-03T10:00", MESO_AREA_NECK);
  gint64 after;
  guint count = 0;
  Listed listed = { 0, 0, ids };
  MesoPhoto *photo;

  /* Added to the later session first: listed by the session's time. */
  after = add_photo_ok (f->store, second, MESO_PHOTO_KIND_AFTER, MESO_PHOTO_AREA_OF_SESSION,
                        large);
  added = meso_store_add_photo (f->store, first, MESO_PHOTO_KIND_BEFORE, MESO_AREA_NECK, small,
                                &error);
  EXPECT_NO_ERROR ("before", error);
  assert_non_null (added);
  EXPECT_INT ("its session", first, added->session_id);
  EXPECT_INT ("its patient", anna, added->patient_id);
  EXPECT_INT ("before", MESO_PHOTO_KIND_BEFORE, added->kind);
  EXPECT_INT ("the area given", MESO_AREA_NECK, added->area);
  EXPECT_INT ("width", 400, added->width);
  EXPECT_INT ("height", 300, added->height);
  EXPECT ("its thumbnail", added->thumbnail != NULL);
  {
    g_autoptr(GDateTime) at = local_dt ("2026-10-01T10:00");

    EXPECT_INT ("dated with its session", g_date_time_to_unix (at), added->taken_at);
  }
  add_photo_ok (f->store, bens, MESO_PHOTO_KIND_DURING, MESO_PHOTO_AREA_OF_SESSION, small);

  /* Refused: no such session; nothing stored. */
  EXPECT ("no session", meso_store_add_photo (f->store, 999, MESO_PHOTO_KIND_AFTER,
                                              MESO_PHOTO_AREA_OF_SESSION, small,
                                              &error) == NULL);
  EXPECT_STORE_ERROR ("no session", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  photos = meso_store_list_photos (f->store, anna, 0, 0, &error);
  EXPECT_NO_ERROR ("list", error);
  EXPECT_INT ("Anna's two", 2, photos->len);
  photo = photos->pdata[0];
  EXPECT_INT ("the earlier session's first", added->id, photo->id);
  EXPECT_INT ("the area given, kept", MESO_AREA_NECK, photo->area);
  photo = photos->pdata[1];
  EXPECT_INT ("then the later", after, photo->id);
  EXPECT_INT ("the session's area by default", MESO_AREA_FACE, photo->area);
  EXPECT_INT ("after", MESO_PHOTO_KIND_AFTER, photo->kind);
  EXPECT_INT ("1600 wide", 1600, photo->width);
  EXPECT_STR ("jpeg", "jpeg", photo->format);
  assert_non_null (photo->thumbnail);
  EXPECT ("the thumbnail, not the image",
          g_bytes_equal (photo->thumbnail, large->thumbnail) &&
          g_bytes_get_size (photo->thumbnail) < g_bytes_get_size (large->image) / 4);

  page = meso_store_list_photos (f->store, anna, 1, 1, &error);
  EXPECT_NO_ERROR ("a page", error);
  EXPECT_INT ("one", 1, page->len);
  EXPECT_INT ("the second", after, ((MesoPhoto *)page->pdata[0])->id);

  EXPECT ("counted", meso_store_count_photos (f->store, anna, &count, &error));
  EXPECT_INT ("two", 2, count);

  EXPECT ("streamed", meso_store_foreach_photo (f->store, anna, FALSE, listed_cb, &listed,
                                                &error));
  EXPECT_INT ("both rows", 2, listed.rows);
  EXPECT_INT ("no thumbnails asked, none read", 0, listed.thumbnail_bytes);
  EXPECT ("with thumbnails", meso_store_foreach_photo (f->store, anna, TRUE, listed_cb, &listed,
                                                       &error));
  EXPECT_INT ("the thumbnails' bytes",
              g_bytes_get_size (small->thumbnail) + g_bytes_get_size (large->thumbnail),
              listed.thumbnail_bytes);

  EXPECT ("nobody's", meso_store_list_photos (f->store, 4242, 0, 0, &error) == NULL);
  EXPECT_STORE_ERROR ("no such patient", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  loaded = meso_store_load_photo (f->store, after, &loaded_photo, &error);
  EXPECT_NO_ERROR ("load", error);
  EXPECT ("the image as imported", g_bytes_equal (loaded, large->image));
  EXPECT_INT ("its record", after, loaded_photo->id);
  EXPECT ("no thumbnail with it", loaded_photo->thumbnail == NULL);
  EXPECT ("no such photo", meso_store_load_photo (f->store, 4242, NULL, &error) == NULL);
  EXPECT_STORE_ERROR ("no such photo", error, MESO_STORE_ERROR_NOT_FOUND);
}

static void
test_store_audit_without_bytes (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(MesoPhotoImage) image = import_picture (1200, 900);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) all = NULL;
  MesoAuditVerification verified = { 0 };
  gint64 anna = add_patient (f->store, "Anna Audit", FALSE);
  gint64 session = record_session_ok (f->store, anna, "2026-11-02T10:00", MESO_AREA_FACE);
  gint64 id = add_photo_ok (f->store, session, MESO_PHOTO_KIND_BEFORE,
                            MESO_PHOTO_AREA_OF_SESSION, image);
  MesoAuditEntry *entry;

  entries = meso_store_list_audit (f->store, "photos", id, &error);
  EXPECT_NO_ERROR ("audit", error);
  EXPECT_INT ("the photo's entry", 1, entries->len);
  entry = entries->pdata[0];
  EXPECT_STR ("an insert", "insert", entry->action);
  EXPECT_CONTAINS ("its kind", entry->changes, "before");
  EXPECT_CONTAINS ("its size", entry->changes, "1200");
  EXPECT_CONTAINS ("its format", entry->changes, "jpeg");

  /* Nowhere in the log: not the bytes, not their hex, not a table of them. */
  all = meso_store_list_audit (f->store, NULL, 0, &error);
  EXPECT_NO_ERROR ("the whole log", error);
  for (guint i = 0; i < all->len; i++)
    {
      entry = all->pdata[i];
      EXPECT ("no photo_data entry", g_strcmp0 (entry->table, "photo_data") != 0);
      EXPECT ("no entry as large as a thumbnail",
              strlen (entry->changes) < g_bytes_get_size (image->thumbnail) / 4);
      EXPECT_NOT_CONTAINS ("no JPEG in hex", entry->changes, "ffd8ff");
      EXPECT_NOT_CONTAINS ("no JPEG in base64", entry->changes, "/9j/");
    }

  EXPECT ("verified", meso_store_verify_audit (f->store, &verified, &error));
  EXPECT_NO_ERROR ("verify", error);
  EXPECT ("the chain holds with photos", verified.sound);
  meso_audit_verification_clear (&verified);
}

static void
test_store_permissions (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(MesoPhotoImage) image = import_picture (320, 240);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(MesoPhoto) photo = NULL;
  gint64 anna = add_patient (f->store, "Anna Allowed", FALSE);
  gint64 session = record_session_ok (f->store, anna, "2026-11-02T10:00", MESO_AREA_FACE);
  gint64 id = add_photo_ok (f->store, session, MESO_PHOTO_KIND_BEFORE,
                            MESO_PHOTO_AREA_OF_SESSION, image);
  guint count = 0;

  EXPECT ("the manager", meso_store_add_staff (f->store, "Mona", MESO_STAFF_MANAGER, "mona pw",
                                               &error));
  EXPECT ("signed in", meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  EXPECT ("a clinician", meso_store_add_staff (f->store, "Dr Lena", MESO_STAFF_CLINICIAN,
                                               "lena pw", &error));
  EXPECT ("a receptionist", meso_store_add_staff (f->store, "Rita", MESO_STAFF_RECEPTIONIST,
                                                  "rita pw", &error));
  EXPECT_NO_ERROR ("staff", error);

  /* The desk may not add, list, count or load photos. */
  EXPECT ("Rita", meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  EXPECT ("add", meso_store_add_photo (f->store, session, MESO_PHOTO_KIND_AFTER,
                                       MESO_PHOTO_AREA_OF_SESSION, image, &error) == NULL);
  EXPECT_STORE_ERROR ("the desk adds", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  EXPECT ("list", meso_store_list_photos (f->store, anna, 0, 0, &error) == NULL);
  EXPECT_STORE_ERROR ("the desk lists", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  EXPECT ("count", !meso_store_count_photos (f->store, anna, &count, &error));
  EXPECT_STORE_ERROR ("the desk counts", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  EXPECT ("load", meso_store_load_photo (f->store, id, NULL, &error) == NULL);
  EXPECT_STORE_ERROR ("the desk loads", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  EXPECT ("nobody", !meso_store_may (f->store, MESO_PERMISSION_TREAT));

  /* A clinician may, and is named as who added it. */
  EXPECT ("Dr Lena", meso_store_sign_in (f->store, "Dr Lena", "lena pw", &error));
  photo = meso_store_add_photo (f->store, session, MESO_PHOTO_KIND_AFTER,
                                MESO_PHOTO_AREA_OF_SESSION, image, &error);
  EXPECT_NO_ERROR ("the clinician adds", error);
  assert_non_null (photo);
  EXPECT_STR ("added by her", "Dr Lena", photo->added_by);
  photos = meso_store_list_photos (f->store, anna, 0, 0, &error);
  EXPECT_NO_ERROR ("the clinician lists", error);
  EXPECT_INT ("both", 2, photos->len);
  loaded = meso_store_load_photo (f->store, id, NULL, &error);
  EXPECT_NO_ERROR ("the clinician loads", error);
  assert_non_null (loaded);
}

/* A database of the version before the photos gets them, and keeps its
 * sessions; the audit log still verifies. */
static void
test_migrated_to_photos (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhotoImage) image = import_picture (320, 240);
  g_autoptr(GPtrArray) photos = NULL;
  StoreFixture *f = store_fixture_new ("mesodesk-photos-XXXXXX", FALSE);
  MesoAuditVerification verified = { 0 };
  gint64 patient, session;

  (void)state;
  {
    g_autoptr(MesoStore) old = meso_store_open_at_version (f->path,
                                                           MESO_STORE_SCHEMA_PHOTOS - 1, &error);

    EXPECT_NO_ERROR ("the version before", error);
    assert_non_null (old);
    patient = add_patient (old, "Olga Older", FALSE);
    session = record_session_ok (old, patient, "2026-11-02T10:00", MESO_AREA_FACE);
  }
  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrated", error);
  EXPECT_INT ("to today's version", MESO_STORE_SCHEMA_VERSION,
              meso_store_get_schema_version (f->store));
  add_photo_ok (f->store, session, MESO_PHOTO_KIND_BEFORE, MESO_PHOTO_AREA_OF_SESSION, image);
  photos = meso_store_list_photos (f->store, patient, 0, 0, &error);
  EXPECT_NO_ERROR ("list", error);
  EXPECT_INT ("the photo of the older session", 1, photos->len);
  EXPECT ("check", meso_store_check (f->store, &error));
  EXPECT_NO_ERROR ("check", error);
  EXPECT ("verified", meso_store_verify_audit (f->store, &verified, &error));
  EXPECT ("the photo audited by its new trigger", verified.sound);
  meso_audit_verification_clear (&verified);
  store_fixture_free (f);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_import_refuses),
    cmocka_unit_test (test_import_orientation_and_thumbnail),
    cmocka_unit_test (test_import_png_stays_png),
    cmocka_unit_test (test_import_file_async),
    cmocka_unit_test_setup_teardown (test_store_add_list_load, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_store_audit_without_bytes, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_store_permissions, setup_store, teardown),
    cmocka_unit_test (test_migrated_to_photos),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
