/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The photo comparison (issue 18, item 4) in a real window under Xvfb, read
 * back from what its window's renderer draws: a red "before" and a blue
 * "after" photo, the after twice the before's size, each with a white mark
 * at the same place of the skin. Side by side and with the slider each shows
 * its photo where it should; zoomed and panned, the mark stays under the
 * same point of both; the print is a PDF with the captions. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-photo-compare.h"

#include <adwaita.h>

#define WIN_WIDTH  800
#define WIN_HEIGHT 600
/* The mark, in fractions of each photo. */
#define MARK_X0 0.60
#define MARK_Y0 0.30
#define MARK_SIZE 0.05

static MesoApplication *app;
static GtkWindow *window;
static MesoPhotoCompare *compare;

/* A 4:3 photo @scale × 400 × 300 of one colour, with the white mark. */
static GdkTexture *
make_photo (int    scale,
            guchar red,
            guchar blue)
{
  int width = 400 * scale, height = 300 * scale;
  g_autofree guchar *data = g_malloc ((gsize) width * height * 3);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = data + ((gsize) y * width + x) * 3;
        gboolean mark = x >= width * MARK_X0 && x < width * (MARK_X0 + MARK_SIZE) &&
                        y >= height * MARK_Y0 && y < height * (MARK_Y0 + MARK_SIZE);

        p[0] = mark ? 255 : red;
        p[1] = mark ? 255 : 0;
        p[2] = mark ? 255 : blue;
      }
  bytes = g_bytes_new_take (g_steal_pointer (&data), (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

static gboolean
compare_drawn (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (compare)) == WIN_WIDTH;
}

static int
setup (void **state)
{
  g_autoptr(GdkTexture) before = make_photo (1, 220, 0);
  g_autoptr(GdkTexture) after = make_photo (2, 0, 220);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_application (window, GTK_APPLICATION (app));
  gtk_window_set_default_size (window, WIN_WIDTH, WIN_HEIGHT);
  compare = MESO_PHOTO_COMPARE (meso_photo_compare_new ());
  meso_photo_compare_set_images (compare, before, after);
  gtk_window_set_child (window, GTK_WIDGET (compare));
  gtk_window_present (window);
  assert_true (wait_for (compare_drawn, NULL));
  settle (100);
  return 0;
}

static int
teardown (void **state)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  return destroy_windows (state);
}

/* Where the photos are drawn: below the comparison's toolbar. */
static graphene_rect_t
canvas (void)
{
  GtkWidget *modes = find_button (GTK_WIDGET (compare), "Side by Side");
  graphene_rect_t bounds;
  int top;

  assert_true (gtk_widget_compute_bounds (modes, GTK_WIDGET (compare), &bounds));
  top = bounds.origin.y + bounds.size.height + 6;  /* the tools' padding */

  return GRAPHENE_RECT_INIT (0, top, gtk_widget_get_width (GTK_WIDGET (compare)),
                             gtk_widget_get_height (GTK_WIDGET (compare)) - top);
}

static gboolean
is_red (guint32 pixel)
{
  return PIXEL_R (pixel) > 180 && PIXEL_B (pixel) < 60;
}

static gboolean
is_blue (guint32 pixel)
{
  return PIXEL_B (pixel) > 180 && PIXEL_R (pixel) < 60;
}

static gboolean
is_mark (guint32 pixel)
{
  return PIXEL_R (pixel) > 200 && PIXEL_G (pixel) > 200 && PIXEL_B (pixel) > 200;
}

/* The centre of the white mark's pixels in the rectangle, and their number. */
static guint
find_mark (const Rendered *shown,
           double          x0,
           double          y0,
           double          x1,
           double          y1,
           double         *x,
           double         *y)
{
  double sum_x = 0, sum_y = 0;
  guint count = 0;

  for (int py = (int) ceil (y0); py < (int) y1; py++)
    for (int px = (int) ceil (x0); px < (int) x1; px++)
      if (is_mark (pixel_at (shown, px, py)))
        {
          sum_x += px;
          sum_y += py;
          count++;
        }
  *x = count > 0 ? sum_x / count : -1;
  *y = count > 0 ? sum_y / count : -1;
  return count;
}

/* A pointer drag from (@x, @y) by (@dx, @dy), as GtkGestureDrag reports it. */
static void
drag (double x,
      double y,
      double dx,
      double dy)
{
  GtkEventController *gesture = find_controller (GTK_WIDGET (compare), GTK_TYPE_GESTURE_DRAG);

  assert_non_null (gesture);

  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", dx / 2, dy / 2);
  g_signal_emit_by_name (gesture, "drag-update", dx, dy);
  g_signal_emit_by_name (gesture, "drag-end", dx, dy);
  settle (50);
}

/* Side by side: the before photo in the left half, the after in the right,
 * both fitted the same size although the after has four times the pixels. */
static void
test_side_by_side (void **state)
{
  graphene_rect_t area = canvas ();
  g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));
  double middle_y = area.origin.y + area.size.height / 2;
  double left_x, left_y, right_x, right_y;
  guint left_n, right_n;

  EXPECT_INT ("side by side at first", MESO_PHOTO_COMPARE_SIDE_BY_SIDE,
              meso_photo_compare_get_mode (compare));
  EXPECT ("before on the left", is_red (pixel_at (shown, WIN_WIDTH / 4, middle_y)));
  EXPECT ("after on the right", is_blue (pixel_at (shown, WIN_WIDTH * 3 / 4, middle_y)));
  EXPECT ("no after on the left", !is_blue (pixel_at (shown, WIN_WIDTH / 4, middle_y)));

  left_n = find_mark (shown, 0, area.origin.y, WIN_WIDTH / 2, WIN_HEIGHT, &left_x, &left_y);
  right_n = find_mark (shown, WIN_WIDTH / 2, area.origin.y, WIN_WIDTH, WIN_HEIGHT, &right_x,
                       &right_y);
  EXPECT ("a mark in each", left_n > 20 && right_n > 20);
  EXPECT ("the marks the same size", abs ((int) left_n - (int) right_n) <= left_n / 10);
  EXPECT ("at the same height", fabs (left_y - right_y) < 1.5);
  EXPECT ("half the width apart", fabs (right_x - left_x - (WIN_WIDTH + 8) / 2.0) < 1.5);
}

/* With the slider, the before photo left of the divider and the after right
 * of it, wherever the divider is; a drag on the divider moves it. */
static void
test_slider (void **state)
{
  graphene_rect_t area;
  double y, x;

  assert_true (activate_shortcut (GTK_WIDGET (compare), "<Control>2"));
  settle (50);
  EXPECT_INT ("Ctrl+2: the slider", MESO_PHOTO_COMPARE_SLIDER,
              meso_photo_compare_get_mode (compare));
  area = canvas ();
  y = area.origin.y + area.size.height * 0.75;  /* below the divider's grip */

  for (guint i = 0; i < 3; i++)
    {
      static const double positions[] = { 0.5, 0.25, 0.7 };
      g_autoptr(Rendered) shown = NULL;

      meso_photo_compare_set_divider (compare, positions[i]);
      settle (50);
      shown = render_widget (GTK_WIDGET (compare));
      x = area.size.width * positions[i];
      EXPECT ("before left of the divider", is_red (pixel_at (shown, x - 24, y)));
      EXPECT ("after right of it", is_blue (pixel_at (shown, x + 24, y)));
      EXPECT ("before just left", is_red (pixel_at (shown, x - 4, y)));
      EXPECT ("after just right", is_blue (pixel_at (shown, x + 4, y)));
    }

  /* Grabbed at the divider (0.7) and dragged 160 pixels left: 0.5. */
  x = area.size.width * 0.7;
  drag (x + 5, y, -160, 10);
  EXPECT ("the drag moved the divider",
          fabs (meso_photo_compare_get_divider (compare) - (x - 160) / area.size.width) < 0.01);
  EXPECT ("and did not pan", meso_photo_compare_get_zoom (compare) == 1.0);

  /* The real pointer, grabbing the divider (now 0.5) and letting go 120
   * pixels right of it. */
  x = area.size.width * meso_photo_compare_get_divider (compare);
  {
    double path[] = { x + 4, y, x + 60, y, x + 124, y };

    if (drag_real_pointer (GTK_WIDGET (compare), path, G_N_ELEMENTS (path) / 2))
      EXPECT ("the pointer moved the divider",
              fabs (meso_photo_compare_get_divider (compare) - (x + 120) / area.size.width) <
              0.01);
  }

  /* The keys move it too. */
  x = meso_photo_compare_get_divider (compare);
  assert_true (activate_shortcut (GTK_WIDGET (compare), "Right"));
  EXPECT ("Right: 5 % on", fabs (meso_photo_compare_get_divider (compare) - (x + 0.05)) < 0.001);
  assert_true (activate_shortcut (GTK_WIDGET (compare), "<Control>1"));
  EXPECT_INT ("Ctrl+1: side by side", MESO_PHOTO_COMPARE_SIDE_BY_SIDE,
              meso_photo_compare_get_mode (compare));
  EXPECT ("no divider to move side by side",
          !activate_shortcut (GTK_WIDGET (compare), "Right"));
}

/* Zoomed 3× at a point and panned, the mark of both photos is under the same
 * point: side by side at the same place of each half, with the slider at
 * the same place whichever side of the divider shows it. */
static void
test_zoom_keeps_aligned (void **state)
{
  graphene_rect_t area = canvas ();
  double half = (area.size.width - 8) / 2;
  double lx, ly, rx, ry, mark_x, mark_y;
  guint unzoomed, n;

  {
    g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));

    unzoomed = find_mark (shown, 0, area.origin.y, half, WIN_HEIGHT, &mark_x, &mark_y);
    assert_true (unzoomed > 0);
  }

  /* Zoom in about a point near the mark, then pan 40 pixels left, 30 up. */
  meso_photo_compare_zoom_at (compare, 3.0, mark_x + 20, mark_y - 10);
  EXPECT ("zoomed", fabs (meso_photo_compare_get_zoom (compare) - 3.0) < 1e-9);
  settle (50);
  {
    g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));

    n = find_mark (shown, 0, area.origin.y, half, WIN_HEIGHT, &lx, &ly);
    EXPECT ("the mark nine times the area", n > unzoomed * 8 && n < unzoomed * 10);
    /* 3× as far from the point zoomed at: 60 pixels left of it, 30 below. */
    EXPECT ("the point zoomed at stays put",
            fabs (lx - (mark_x - 40)) < 2 && fabs (ly - (mark_y + 20)) < 2);
  }

  drag (mark_x, mark_y, -40, -30);
  {
    g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));

    find_mark (shown, 0, area.origin.y, half, WIN_HEIGHT, &lx, &ly);
    n = find_mark (shown, WIN_WIDTH - half, area.origin.y, WIN_WIDTH, WIN_HEIGHT, &rx, &ry);
    EXPECT ("panned with the drag", n > 0);
    EXPECT ("the after's mark where the before's is",
            fabs (rx - lx - (WIN_WIDTH - half)) < 1.5 && fabs (ry - ly) < 1.5);
  }

  /* The slider, still zoomed: the mark left of the divider (before) and
   * right of it (after) is at one place. */
  meso_photo_compare_set_mode (compare, MESO_PHOTO_COMPARE_SLIDER);
  meso_photo_compare_zoom_at (compare, 2.0, area.size.width / 2, area.origin.y + 100);
  meso_photo_compare_set_divider (compare, 1.0);
  settle (50);
  {
    g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));

    n = find_mark (shown, 0, area.origin.y, WIN_WIDTH - 20, WIN_HEIGHT, &lx, &ly);
    EXPECT ("the before's mark", n > 0);
    EXPECT ("on the before photo", is_red (pixel_at (shown, lx, ly + 40)));
  }
  meso_photo_compare_set_divider (compare, 0.0);
  settle (50);
  {
    g_autoptr(Rendered) shown = render_widget (GTK_WIDGET (compare));

    n = find_mark (shown, 20, area.origin.y, WIN_WIDTH, WIN_HEIGHT, &rx, &ry);
    EXPECT ("the after's mark", n > 0);
    EXPECT ("on the after photo", is_blue (pixel_at (shown, rx, ry + 40)));
    EXPECT ("at the same place", fabs (rx - lx) < 1.5 && fabs (ry - ly) < 1.5);
  }

  /* + and − step, 0 fits again. */
  assert_true (activate_shortcut (GTK_WIDGET (compare), "plus"));
  EXPECT ("+ zooms in", fabs (meso_photo_compare_get_zoom (compare) - 2.5) < 1e-9);
  assert_true (activate_shortcut (GTK_WIDGET (compare), "minus"));
  EXPECT ("− zooms out", fabs (meso_photo_compare_get_zoom (compare) - 2.0) < 1e-9);
  assert_true (activate_shortcut (GTK_WIDGET (compare), "0"));
  EXPECT ("0 fits", meso_photo_compare_get_zoom (compare) == 1.0);
  {
    GtkWidget *fit = find_button (GTK_WIDGET (compare), "Fit Photos (0)");

    assert_non_null (fit);
    EXPECT_STR ("the zoom shown", "100 %", gtk_button_get_label (GTK_BUTTON (fit)));
  }
}

/* The print in @mode is a PDF of one page, with both captions, and the
 * before photo left of the after. */
static void
print_to_pdf (MesoPhotoCompareMode mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesodesk-compare-XXXXXX", &error);
  g_autofree char *pdf = g_build_filename (dir, "comparison.pdf", NULL);
  g_autofree char *contents = NULL;
  const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
  gsize length = 0;

  meso_photo_compare_set_captions (compare, "Before · 12 March 2026", "After · 9 May 2026");
  meso_photo_compare_set_mode (compare, mode);
  operation = meso_photo_compare_new_print_operation (compare);
  gtk_print_operation_set_export_filename (operation, pdf);
  EXPECT_INT ("printed", GTK_PRINT_OPERATION_RESULT_APPLY,
              gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                       &error));
  EXPECT_NO_ERROR ("print", error);
  assert_true (g_file_get_contents (pdf, &contents, &length, &error));
  EXPECT ("a PDF", length > 4 && memcmp (contents, "%PDF", 4) == 0);

  if (pdftotext == NULL || *pdftotext == '\0')
    fail_msg ("pdftotext (poppler-utils) is needed to read the print back");
  {
    const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
    g_autofree char *out = NULL;
    int status;

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
    EXPECT_CONTAINS ("before's caption", out, "Before · 12 March 2026");
    EXPECT_CONTAINS ("after's caption", out, "After · 9 May 2026");
  }

  /* The page as a picture: the before photo left of the divider, the after
   * right of it, as on screen. */
  {
    g_autofree char *tools = g_path_get_dirname (pdftotext);
    g_autofree char *pdftoppm = g_build_filename (tools, "pdftoppm", NULL);
    g_autofree char *base = g_build_filename (dir, "page", NULL);
    g_autofree char *png = g_build_filename (dir, "page.png", NULL);
    const char *argv[] = { pdftoppm, "-png", "-r", "48", "-singlefile", pdf, base, NULL };
    g_autoptr(GdkTexture) texture = NULL;
    g_autoptr(Rendered) page = NULL;
    guint red = 0, blue = 0;
    int red_right = -1, red_bottom = -1, blue_left = G_MAXINT, blue_top = G_MAXINT;
    int status;

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
    assert_true (g_spawn_check_wait_status (status, &error));
    texture = gdk_texture_new_from_filename (png, &error);
    EXPECT_NO_ERROR ("the page's picture", error);
    assert_non_null (texture);
    page = rendered_from_texture (texture);
    for (int y = 0; y < page->height; y++)
      for (int x = 0; x < page->width; x++)
        {
          guint32 pixel = pixel_at (page, x, y);

          if (is_red (pixel))
            {
              red++;
              red_right = MAX (red_right, x);
              red_bottom = MAX (red_bottom, y);
            }
          if (is_blue (pixel))
            {
              blue++;
              blue_left = MIN (blue_left, x);
              blue_top = MIN (blue_top, y);
            }
        }
    EXPECT ("the before photo printed", red > 1000);
    EXPECT ("the after photo printed", blue > 1000);
    /* Side by side on a page of another shape, the photos may go one above
     * the other. */
    if (mode == MESO_PHOTO_COMPARE_SLIDER)
      EXPECT ("the before left of the after", red_right < blue_left);
    else
      EXPECT ("the before left of or above the after",
              red_right < blue_left || red_bottom < blue_top);
    if (g_getenv ("MESODESK_SHOT_DIR") != NULL)
      {
        /* The printed page, for a person to look at. */
        g_autofree char *name = g_strdup_printf ("photo-compare-print-%s-%s.png",
                                                 mode == MESO_PHOTO_COMPARE_SLIDER
                                                   ? "slider" : "side",
                                                 g_getenv ("LANGUAGE") != NULL
                                                   ? g_getenv ("LANGUAGE") : "en");
        g_autofree char *kept = g_build_filename (g_getenv ("MESODESK_SHOT_DIR"), name, NULL);

        g_rename (png, kept);
      }
    g_unlink (png);
  }
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_print_to_pdf (void **state)
{
  print_to_pdf (MESO_PHOTO_COMPARE_SIDE_BY_SIDE);
  print_to_pdf (MESO_PHOTO_COMPARE_SLIDER);
}

/* Every button named; the mode's buttons show the mode; the description
 * names the photos; 360 pixels are enough. */
static void
test_controls (void **state)
{
  GtkWidget *slider = find_button (GTK_WIDGET (compare), "Slider");
  GtkWidget *side = find_button (GTK_WIDGET (compare), "Side by Side");
  guint n_buttons = 0;

  g_autofree char *label = accessible_label (GTK_WIDGET (compare));
  g_autofree char *description = NULL;

  EXPECT_STR ("named", "Photo Comparison", label);
  meso_photo_compare_set_captions (compare, "Before · 12 March 2026", "After · 9 May 2026");
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (compare),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "\x01");
  EXPECT_STR ("the description names both photos",
              "Before · 12 March 2026, compared with After · 9 May 2026", description);
  check_buttons_named (GTK_WIDGET (compare), &n_buttons);
  EXPECT_INT ("mode, zoom and print buttons", 6, n_buttons);
  assert_non_null (slider);
  assert_non_null (side);
  EXPECT ("side by side pressed", gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (side)));
  gtk_widget_activate (slider);
  settle (400);  /* a button's activation clicks it after a moment */
  EXPECT_INT ("the button sets the mode", MESO_PHOTO_COMPARE_SLIDER,
              meso_photo_compare_get_mode (compare));
  EXPECT ("slider pressed", gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (slider)));
  EXPECT ("side by side not", !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (side)));
  EXPECT ("no zooming out at 1×",
          !gtk_widget_get_sensitive (find_button (GTK_WIDGET (compare), "Zoom Out")));
  expect_fits (GTK_WIDGET (compare), 360, "the comparison");

  /* Other photos are first seen whole. */
  meso_photo_compare_zoom_at (compare, 4.0, 100, 200);
  {
    g_autoptr(GdkTexture) before = make_photo (1, 220, 0);

    meso_photo_compare_set_images (compare, before, before);
  }
  EXPECT ("fitted again", meso_photo_compare_get_zoom (compare) == 1.0);
}

/* With MESODESK_SHOT_DIR: both modes, light and dark, wide and narrow. */
static void
test_screenshots (void **state)
{
  g_autoptr(GdkTexture) before = make_photo (1, 200, 90);
  g_autoptr(GdkTexture) after = make_photo (2, 90, 60);
  guint n_looks;
  const ShotLook *looks = shot_looks (&n_looks);

  gtk_window_destroy (window);
  settle (100);

  for (guint i = 0; i < n_looks; i++)
    for (MesoPhotoCompareMode mode = MESO_PHOTO_COMPARE_SIDE_BY_SIDE;
         mode <= MESO_PHOTO_COMPARE_SLIDER; mode++)
      {
        g_autofree char *name = shot_name (mode == MESO_PHOTO_COMPARE_SLIDER
                                             ? "photo-compare-slider" : "photo-compare-side",
                                           &looks[i]);

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (), looks[i].scheme);
        window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
        gtk_window_set_default_size (window, looks[i].width, 700);
        compare = MESO_PHOTO_COMPARE (meso_photo_compare_new ());
        meso_photo_compare_set_images (compare, before, after);
        meso_photo_compare_set_captions (compare, "Before · 12 March 2026",
                                         "After · 9 May 2026");
        meso_photo_compare_set_mode (compare, mode);
        adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                            GTK_WIDGET (compare));
        gtk_window_present (window);
        settle (300);
        expect_fits (window, 360, "the comparison's window");
        if (mode == MESO_PHOTO_COMPARE_SLIDER)
          meso_photo_compare_set_divider (compare, 0.4);
        take_screenshot (name);
        gtk_window_destroy (window);
        settle (100);
      }
  window = NULL;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_side_by_side, setup, teardown),
    cmocka_unit_test_setup_teardown (test_slider, setup, teardown),
    cmocka_unit_test_setup_teardown (test_zoom_keeps_aligned, setup, teardown),
    cmocka_unit_test_setup_teardown (test_print_to_pdf, setup, teardown),
    cmocka_unit_test_setup_teardown (test_controls, setup, teardown),
    cmocka_unit_test_setup_teardown (test_screenshots, setup, teardown),
  };
  char *dir = NULL;
  int failed;

  app = start_widget_test (&dir);
  if (app == NULL)
    return 1;
  failed = cmocka_run_group_tests (tests, NULL, NULL);
  stop_widget_test (g_steal_pointer (&app), dir);
  return failed;
}
