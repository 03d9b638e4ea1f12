/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A patient's photos on their page (issue 18, item 4) in the real window,
 * on a real SQLite file in a real (Xvfb) display: photos added through the
 * real import (a JPEG this test writes, and a file that is not an image),
 * the thumbnails per area, a photo opened large, two compared, 500 photos
 * in a grid that makes tiles only for those in sight.
 * With MESODESK_SHOT_DIR=DIR it also saves what it shows there as PNGs. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-application.h"
#include "meso-i18n.h"
#include "meso-patient-page.h"
#include "meso-photo-compare.h"
#include "meso-photo-gallery.h"
#include "meso-photo.h"
#include "meso-time.h"
#include "meso-window.h"

#include "meso-test-core.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#define NOW "2026-11-20T10:00"
#define MANY 500

static StoreFixture *fixture;
static MesoApplication *app;
static MesoWindow *window;
static gint64 greta_id, greta_face, greta_neck, many_id;

static MesoPhotoGallery *
gallery (void)
{
  GtkWidget *found = find_descendant (GTK_WIDGET (window), MESO_TYPE_PHOTO_GALLERY);

  assert_non_null (found);
  return MESO_PHOTO_GALLERY (found);
}

static GtkWidget *
patient_page (void)
{
  GtkWidget *page = find_descendant (GTK_WIDGET (window), MESO_TYPE_PATIENT_PAGE);

  assert_non_null (page);
  return page;
}

static void
show_patient (gint64 id)
{
  assert_true (show_patient_in (window, id));
  settle (100);
}

/* A photo-like picture: warm on the left, cool on the right. */
static GBytes *
jpeg_picture (int width,
              int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = x < width / 2 ? 220 : 60;
        p[1] = (guint8)(120 + y * 100 / height);
        p[2] = x < width / 2 ? 150 : 200;
      }
  assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL));
  return g_bytes_new_take (buffer, size);
}

static GFile *
write_file (const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes), &error));
  return g_file_new_for_path (path);
}

static guint
n_photos (void)
{
  return g_list_model_get_n_items (meso_photo_gallery_get_model (gallery ()));
}

static gboolean
has_photos (gpointer data)
{
  return n_photos () == GPOINTER_TO_UINT (data);
}

static gboolean
window_gone (gpointer data)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ()) == GPOINTER_TO_UINT (data);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "error") && gtk_widget_get_mapped (widget);
}

/* For wait_for(): the Add Photos dialog says which files were not added. */
static gboolean
error_shown (gpointer dialog)
{
  return find_matching (GTK_WIDGET (dialog), GTK_TYPE_LABEL, is_error_label, NULL) != NULL;
}

/* "%u files", as the dialog says it in the language shown. */
static char *
n_files (guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files", n), n);
}

static gboolean
says (GtkWidget  *widget,
      const char *text)
{
  g_autofree char *texts = texts_of (widget);

  return strstr (texts, text) != NULL;
}

static gboolean
all_thumbnails (gpointer data)
{
  GListModel *model = meso_photo_gallery_get_model (gallery ());

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MesoPhotoItem) item = g_list_model_get_item (model, i);

      if (meso_photo_item_get_thumbnail (item) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
thumbnail_of (gpointer data)
{
  g_autoptr(MesoPhotoItem) item = g_list_model_get_item (meso_photo_gallery_get_model (gallery ()),
                                                         GPOINTER_TO_UINT (data));

  return item != NULL && meso_photo_item_get_thumbnail (item) != NULL;
}

static gboolean
stack_ready (gpointer data)
{
  GtkWidget *stack = find_descendant (data, GTK_TYPE_STACK);

  return stack != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "ready") == 0;
}

/* The tiles the grid made (GTK 4.8's grid view's children are its tiles). */
static guint
realized_tiles (void)
{
  GtkWidget *grid = find_descendant (GTK_WIDGET (gallery ()), GTK_TYPE_GRID_VIEW);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* A session row's photo button, with the row's drop target. */
static GtkWidget *
add_photos_button (void)
{
  return button (patient_page (), _("Add Photos…"));
}

static GtkWindow *
find_titled (const char *title)
{
  GtkWindow *found = find_window_titled (title);

  if (found == NULL)
    fail_msg ("no window \"%s\"", title);
  return found;
}

/* The page scrolled so its photos are in sight, for a screenshot. */
static void
scroll_to_photos (void)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (gallery ()),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t at;

  settle (300);
  assert_true (gtk_widget_compute_point (GTK_WIDGET (gallery ()), scroller,
                                         &GRAPHENE_POINT_INIT (0, 0), &at));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + at.y - 60);
  settle (300);
}

/* ----------------------------------------------------------------- cases */

/* A JPEG and a file that is not an image, through the real import in a
 * worker: the photo is kept and shown under its area, the other file named
 * with the reason, the photo added nonetheless. */
static void
test_add_through_import (void **state)
{
  g_autoptr(GBytes) jpeg = jpeg_picture (1600, 1200);
  g_autoptr(GBytes) text = g_bytes_new_static ("not a picture\n", 14);
  g_autoptr(GFile) photo = write_file ("cheek-before.jpg", jpeg);
  g_autoptr(GFile) bogus = write_file ("notes.jpg", text);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  GtkWindow *dialog;
  GtkWidget *errors;
  guint windows;

  show_patient (greta_id);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (0)));
  assert_true (gtk_widget_get_visible (add_photos_button ()));
  windows = g_list_model_get_n_items (gtk_window_get_toplevels ());

  g_list_store_append (files, photo);
  g_list_store_append (files, bogus);
  dialog = meso_photo_gallery_add_photos (gallery (), greta_face, MESO_AREA_FACE,
                                          G_LIST_MODEL (files));
  settle (100);
  {
    g_autofree char *two = n_files (2);

    assert_true (says (GTK_WIDGET (dialog), two));
  }
  take_screenshot ("add-photos");
  g_signal_emit_by_name (button (GTK_WIDGET (dialog), _("_Add")), "clicked");

  assert_true (wait_for (error_shown, dialog));
  errors = find_matching (GTK_WIDGET (dialog), GTK_TYPE_LABEL, is_error_label, NULL);
  EXPECT ("the file named with the reason",
          strstr (gtk_label_get_text (GTK_LABEL (errors)), "notes.jpg") != NULL);
  EXPECT ("Cancel is Close", find_button (GTK_WIDGET (dialog), _("_Close")) != NULL);
  EXPECT ("the photo file not named", strstr (gtk_label_get_text (GTK_LABEL (errors)),
                                              "cheek-before") == NULL);
  take_screenshot ("add-photos-error");

  /* The JPEG was added meanwhile: its thumbnail under Face. */
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (1)));
  assert_true (wait_for (all_thumbnails, NULL));
  {
    g_autoptr(MesoPhotoItem) item = g_list_model_get_item (
      meso_photo_gallery_get_model (gallery ()), 0);
    const MesoPhoto *kept = meso_photo_item_get_photo (item);

    EXPECT_INT ("its session", greta_face, kept->session_id);
    EXPECT_INT ("before, the default", MESO_PHOTO_KIND_BEFORE, kept->kind);
    EXPECT_INT ("the session's area", MESO_AREA_FACE, kept->area);
    EXPECT_INT ("its width", 1600, kept->width);
    EXPECT_INT ("thumbnail's long side", MESO_PHOTO_THUMBNAIL_SIZE,
                gdk_texture_get_width (meso_photo_item_get_thumbnail (item)));
  }
  meso_photo_gallery_show_area (gallery (), MESO_AREA_FACE);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (1)));
  EXPECT_INT ("a tile for it", 1, realized_tiles ());
  gtk_window_destroy (dialog);
  assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));
  meso_photo_gallery_show_area (gallery (), -1);
}

/* The session row's button opens the dialog for that session; image files
 * dropped on the row open it with them. (The drop target's "drop" is
 * emitted with the files: a real drag needs a second X client speaking
 * XDND, which the tests do not have.) */
static void
test_button_and_drop (void **state)
{
  g_autoptr(GBytes) jpeg = jpeg_picture (400, 300);
  g_autoptr(GFile) photo = write_file ("neck-after.jpg", jpeg);
  GtkWidget *row, *target = NULL;
  GtkWindow *dialog;
  GValue value = G_VALUE_INIT;
  GSList *files = NULL;
  gboolean dropped = FALSE;
  guint windows;

  show_patient (greta_id);
  windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  g_signal_emit_by_name (add_photos_button (), "clicked");
  settle (100);
  dialog = find_titled (_("Add Photos"));
  assert_true (says (GTK_WIDGET (dialog), _("No files chosen")));
  gtk_window_destroy (dialog);
  assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));

  row = gtk_widget_get_ancestor (add_photos_button (), GTK_TYPE_LIST_BOX_ROW);
  assert_non_null (row);
  target = (gpointer)find_controller (row, GTK_TYPE_DROP_TARGET);
  assert_non_null (target);
  files = g_slist_append (files, photo);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, files);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &dropped);
  g_value_unset (&value);
  g_slist_free (files);
  EXPECT ("taken", dropped);
  settle (100);
  dialog = find_titled (_("Add Photos"));
  {
    g_autofree char *one = n_files (1);

    assert_true (says (GTK_WIDGET (dialog), one));
  }
  assert_true (says (GTK_WIDGET (dialog), "neck-after.jpg"));
  gtk_window_destroy (dialog);
  assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));
}

static gint64
add_prepared (MesoStore            *store,
              gint64                session_id,
              MesoPhotoKind         kind,
              const MesoPhotoImage *image)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhoto) photo = meso_store_add_photo (store, session_id, kind,
                                                     MESO_PHOTO_AREA_OF_SESSION, image, &error);

  EXPECT_NO_ERROR ("photo added", error);
  assert_non_null (photo);
  return photo->id;
}

/* What a screen reader calls each tile's check box (into @found): its
 * photo, so a list of them is not the same words over and over. */
static void
collect_checks (GtkWidget *widget,
                GPtrArray *found)
{
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_widget_has_css_class (widget, "meso-photo-check"))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_checks (child, found);
}

/* The name the check box of the photo at @position has. */
static char *
check_name (guint position)
{
  g_autoptr(MesoPhotoItem) item =
    g_list_model_get_item (G_LIST_MODEL (meso_photo_gallery_get_model (gallery ())), position);
  const MesoPhoto *photo = meso_photo_item_get_photo (item);
  g_autoptr(GDateTime) taken = meso_date_time_new_from_unix (photo->taken_at);
  g_autofree char *day = NULL;
  g_autofree char *caption = NULL;
  GDate date;

  meso_date_from_date_time (taken, &date);
  day = meso_format_date_short (&date);
  /* As the tile's caption says it. */
  caption = g_strdup_printf (_("%s · %s"), meso_photo_kind_get_label (photo->kind),
                             meso_area_get_label (photo->area));
  return g_strdup_printf (_("Choose to Compare: %s, %s"), caption, day);
}

/* A before and an after photo of the face: the after opened large, then
 * the two compared side by side and with the slider (the earlier, or of
 * one session the before, on the left). */
static void
test_open_and_compare (void **state)
{
  g_autoptr(GBytes) jpeg = jpeg_picture (1200, 1600);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhotoImage) image = meso_photo_import_bytes (jpeg, &error);
  MesoPhotoCompare *compare;
  GtkWindow *viewer, *compared;
  GtkWidget *picture;
  guint windows, before, last;

  EXPECT_NO_ERROR ("import", error);
  show_patient (greta_id);
  assert_true (wait_for (all_thumbnails, NULL));
  before = n_photos ();
  /* With or without the one test_add_through_import added. */
  add_prepared (fixture->store, greta_face, MESO_PHOTO_KIND_BEFORE, image);
  add_prepared (fixture->store, greta_face, MESO_PHOTO_KIND_AFTER, image);
  add_prepared (fixture->store, greta_neck, MESO_PHOTO_KIND_BEFORE, image);
  meso_application_store_changed (app);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (before + 3)));
  assert_true (wait_for (all_thumbnails, NULL));
  windows = g_list_model_get_n_items (gtk_window_get_toplevels ());

  /* Per area: Neck holds its one; Face the befores and the after. */
  meso_photo_gallery_show_area (gallery (), MESO_AREA_NECK);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (1)));
  meso_photo_gallery_show_area (gallery (), MESO_AREA_FACE);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (before + 2)));
  last = n_photos () - 1;
  scroll_to_photos ();
  take_screenshot ("patient-photos");
  {
    g_autoptr(GPtrArray) checks = g_ptr_array_new ();
    g_autofree char *first = check_name (0);
    g_autofree char *after = check_name (last);
    gboolean named_first = FALSE, named_after = FALSE;

    collect_checks (GTK_WIDGET (gallery ()), checks);
    EXPECT ("tiles with check boxes", checks->len >= 2);
    for (guint i = 0; i < checks->len; i++)
      {
        g_autofree char *not_first =
          gtk_test_accessible_check_property (checks->pdata[i], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              first);
        g_autofree char *not_after =
          gtk_test_accessible_check_property (checks->pdata[i], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              after);

        named_first |= not_first == NULL;
        named_after |= not_after == NULL;
      }
    EXPECT ("a check box names the first photo", named_first);
    EXPECT ("another names the after photo", named_after);
    EXPECT ("not the same name", g_strcmp0 (first, after) != 0);
  }

  viewer = meso_photo_gallery_open (gallery (), last);
  assert_non_null (viewer);
  assert_true (wait_for (stack_ready, viewer));
  picture = find_descendant (GTK_WIDGET (viewer), GTK_TYPE_PICTURE);
  EXPECT_INT ("the full image", 1200,
              gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (picture))));
  gtk_window_destroy (viewer);
  assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));

  /* One ticked: Compare waits for a second. */
  assert_null (meso_photo_gallery_compare (gallery ()));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (meso_photo_gallery_get_model (gallery ())),
                                   last, FALSE);
  assert_false (gtk_widget_get_sensitive (button (GTK_WIDGET (gallery ()), _("Co_mpare"))));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (meso_photo_gallery_get_model (gallery ())),
                                   0, FALSE);
  assert_true (gtk_widget_get_sensitive (button (GTK_WIDGET (gallery ()), _("Co_mpare"))));
  g_signal_emit_by_name (button (GTK_WIDGET (gallery ()), _("Co_mpare")), "clicked");
  settle (100);
  compared = find_titled (_("Compare Photos"));
  assert_true (wait_for (stack_ready, compared));
  compare = MESO_PHOTO_COMPARE (find_descendant (GTK_WIDGET (compared),
                                                 MESO_TYPE_PHOTO_COMPARE));
  assert_non_null (compare);
  EXPECT_INT ("side by side first", MESO_PHOTO_COMPARE_SIDE_BY_SIDE,
              meso_photo_compare_get_mode (compare));
  take_screenshot ("compare-side-by-side");
  g_signal_emit_by_name (button (GTK_WIDGET (compared), _("Slider")), "clicked");
  EXPECT_INT ("the slider", MESO_PHOTO_COMPARE_SLIDER, meso_photo_compare_get_mode (compare));
  take_screenshot ("compare-slider");

  /* Narrow, as a phone-sized window shows them. The patient page at 360
   * pixels lays out text in sizes no other case does, and Pango and
   * fontconfig keep caches of them for the life of the process (the page's
   * own test, test-patient-page.c, says how that was found): LeakSanitizer
   * looks away while the window is narrow, and only then. */
#ifdef __SANITIZE_ADDRESS__
  __lsan_disable ();
#endif
  gtk_window_set_default_size (compared, 360, 720);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  settle (300);
  expect_fits (compared, 360, "the comparison");
  expect_fits (gallery (), 330, "the patient's photos");
  take_screenshot ("compare-slider-narrow");
  g_signal_emit_by_name (button (GTK_WIDGET (compared), _("Side by Side")), "clicked");
  take_screenshot ("compare-side-by-side-narrow");
  gtk_window_destroy (compared);
  assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));
  show_patient (greta_id);
  scroll_to_photos ();
  take_screenshot ("patient-photos-narrow");
  {
    GtkWindow *dialog = meso_photo_gallery_add_photos (gallery (), greta_neck, MESO_AREA_NECK,
                                                       NULL);

    settle (300);
    expect_fits (dialog, 360, "Add Photos");
    take_screenshot ("add-photos-narrow");
    gtk_window_destroy (dialog);
    assert_true (wait_for (window_gone, GUINT_TO_POINTER (windows)));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  settle (300);
#ifdef __SANITIZE_ADDRESS__
  __lsan_enable ();
#endif
  meso_photo_gallery_show_area (gallery (), -1);
}

/* 500 photos: listed at once, tiles made only around those in sight (GTK
 * 4.8's grid keeps about 32 rows of its most columns: a bound that does
 * not grow with the photos), the thumbnails read as they come into sight. */
#define MOST_TILES (MESO_PHOTO_GALLERY_MAX_COLUMNS * 33)

/* For wait_for(): the grid scrolled to its end (again and again: the grid
 * learns its height as it goes), and the last photo's thumbnail read. */
static gboolean
scrolled_to_last (gpointer adjustment)
{
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  return thumbnail_of (GUINT_TO_POINTER (MANY - 1));
}

static void
test_many_photos (void **state)
{
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  guint tiles;

  show_patient (many_id);
  assert_true (wait_for (has_photos, GUINT_TO_POINTER (MANY)));
  assert_true (wait_for (thumbnail_of, GUINT_TO_POINTER (0)));
  tiles = realized_tiles ();
  if (tiles == 0 || tiles > MOST_TILES)
    fail_msg ("%u tiles made for %u photos", tiles, MANY);
  /* Not every page was read: the last photo's thumbnail waits. */
  {
    g_autoptr(MesoPhotoItem) last = g_list_model_get_item (
      meso_photo_gallery_get_model (gallery ()), MANY - 1);

    EXPECT ("the last page unread", meso_photo_item_get_thumbnail (last) == NULL);
  }

  scroller = gtk_widget_get_ancestor (find_descendant (GTK_WIDGET (gallery ()),
                                                       GTK_TYPE_GRID_VIEW),
                                      GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  assert_true (wait_for (scrolled_to_last, adjustment));
  tiles = realized_tiles ();
  if (tiles == 0 || tiles > MOST_TILES)
    fail_msg ("%u tiles made at the end for %u photos", tiles, MANY);
  scroll_to_photos ();
  take_screenshot ("patient-photos-many");
}

/* ----------------------------------------------------------------- setup */

static gint64
record (gint64      patient_id,
        const char *at,
        MesoArea    area)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = local_dt (at);

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, area);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 500);
  if (!meso_store_add_session (fixture->store, session, MESO_ROLE_CLINICIAN, NULL, &error))
    fail_msg ("session %s: %s", at, error->message);
  return meso_session_get_id (session);
}

static void
seed (void)
{
  g_autoptr(GBytes) jpeg = jpeg_picture (640, 480);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPhotoImage) image = NULL;
  gint64 session;

  greta_id = add_patient (fixture->store, "Greta Photos", FALSE);
  greta_face = record (greta_id, "2026-10-30T09:30", MESO_AREA_FACE);
  greta_neck = record (greta_id, "2026-11-17T09:30", MESO_AREA_NECK);

  /* 500 photos from one prepared image: the store's part, not 500 imports. */
  many_id = add_patient (fixture->store, "Mara Many", FALSE);
  session = record (many_id, "2026-11-02T09:30", MESO_AREA_FACE);
  image = meso_photo_import_bytes (jpeg, &error);
  EXPECT_NO_ERROR ("import", error);
  for (guint i = 0; i < MANY; i++)
    add_prepared (fixture->store, session, i % 2 ? MESO_PHOTO_KIND_AFTER : MESO_PHOTO_KIND_BEFORE,
                  image);
}

static int
setup (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  fixture = store_fixture_new ("mesodesk-patient-photos-XXXXXX", TRUE);
  seed ();
  window = present_main_window (fixture->path, &app);
  return window != NULL ? 0 : -1;
}

static int
teardown (void **state)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  close_main_window (window, &app);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".jpg"))
      {
        g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

        g_unlink (path);
      }
  store_fixture_free (fixture);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_add_through_import),
    cmocka_unit_test (test_button_and_drop),
    cmocka_unit_test (test_open_and_compare),
    cmocka_unit_test (test_many_photos),
  };

  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  meso_test_filter_from_env ();

  return cmocka_run_group_tests_name ("patient-photos", tests, setup, teardown);
}
