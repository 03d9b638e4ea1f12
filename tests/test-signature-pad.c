/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signature pad (issue 18, item 3) in a real window under Xvfb: strokes
 * drawn through the pad's own drag gesture (its signals, as a pointer drag
 * emits them), undone with Ctrl+Z and its button, cleared; the PNG read back
 * pixel by pixel; the ink seen in the rendered pad in light and dark style. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-signature-pad.h"

#include <adwaita.h>

#define PAD_WIDTH  560
#define PAD_HEIGHT 200

static MesoApplication *app;
static GtkWindow *window;
static MesoSignaturePad *pad;
static guint n_changed;

static void
on_changed_cb (MesoSignaturePad *signature_pad,
               gpointer          data)
{
  n_changed++;
}

static gboolean
pad_drawn (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (pad)) == PAD_WIDTH;
}

/* A window holding only the pad, PAD_WIDTH × PAD_HEIGHT. */
static int
setup (void **state)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_application (window, GTK_APPLICATION (app));
  gtk_window_set_resizable (window, FALSE);
  pad = MESO_SIGNATURE_PAD (meso_signature_pad_new ());
  gtk_widget_set_size_request (GTK_WIDGET (pad), PAD_WIDTH, PAD_HEIGHT);
  gtk_widget_set_halign (GTK_WIDGET (pad), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (pad), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (pad));
  gtk_window_set_child (window, box);
  n_changed = 0;
  g_signal_connect (pad, "changed", G_CALLBACK (on_changed_cb), NULL);
  gtk_window_present (window);
  assert_true (wait_for (pad_drawn, NULL));
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

/* A drag from (@x, @y) through the offsets in @path (pairs, ending with a
 * NaN), as GtkGestureDrag reports a pointer's: begin, updates, end. */
static void
drag (double        x,
      double        y,
      const double *path)
{
  GtkEventController *gesture = find_controller (GTK_WIDGET (pad), GTK_TYPE_GESTURE_DRAG);

  assert_non_null (gesture);
  guint i;

  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  for (i = 0; !isnan (path[i]); i += 2)
    g_signal_emit_by_name (gesture, "drag-update", path[i], path[i + 1]);
  g_signal_emit_by_name (gesture, "drag-end", path[i - 2], path[i - 1]);
  settle (50);
}

/* A straight line across the pad at y = 100, from x = 40 to 440. */
static void
draw_line (void)
{
  static const double path[] = { 100, 0, 200, 0, 300, 0, 400, 0, NAN };

  drag (40, 100, path);
}

static void
draw_loop (void)
{
  static const double path[] = { 20, -30, 60, -40, 80, 0, 40, 30, 0, 0, NAN };

  drag (120, 140, path);
}

static char *
accessible_description (GtkWidget *widget)
{
  static const char impossible[] = "\x01";

  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, impossible);
}

static gboolean
changed_once (gpointer data)
{
  return n_changed >= GPOINTER_TO_UINT (data);
}

/* A drag draws one stroke, in the order of its points; "changed" once, at
 * its end; the pad says it is signed; the stylus gesture adds nothing. */
static void
test_drag_makes_stroke (void **state)
{
  g_autofree char *before = accessible_description (GTK_WIDGET (pad));
  g_autofree char *after = NULL;
  g_autofree char *label = accessible_label (GTK_WIDGET (pad));

  EXPECT_STR ("named", "Signature", label);
  EXPECT ("empty at first", meso_signature_pad_is_empty (pad));
  EXPECT_CONTAINS ("says how to sign without drawing", before, "Signed on paper");
  EXPECT ("no undo when empty",
          !gtk_widget_get_sensitive (find_button (GTK_WIDGET (pad), "Undo Last Stroke")));

  draw_line ();
  assert_true (wait_for (changed_once, GUINT_TO_POINTER (1)));
  EXPECT_INT ("one stroke", 1, meso_signature_pad_get_n_strokes (pad));
  EXPECT_INT ("changed once", 1, n_changed);
  EXPECT ("signed", !meso_signature_pad_is_empty (pad));
  after = accessible_description (GTK_WIDGET (pad));
  EXPECT_STR ("says it is signed", "Signed on screen.", after);
  EXPECT ("undo offered",
          gtk_widget_get_sensitive (find_button (GTK_WIDGET (pad), "Undo Last Stroke")));
  EXPECT ("the pad has focus, for Ctrl+Z", gtk_widget_has_focus (GTK_WIDGET (pad)));

  /* A press on the Undo button is the button's, not a stroke. */
  {
    static const double path[] = { 0, 0, NAN };
    GtkWidget *undo = find_button (GTK_WIDGET (pad), "Undo Last Stroke");
    graphene_point_t at;

    assert_true (gtk_widget_compute_point (undo, GTK_WIDGET (pad),
                                           &GRAPHENE_POINT_INIT (5, 5), &at));
    drag (at.x, at.y, path);
    EXPECT_INT ("no stroke on the button", 1, meso_signature_pad_get_n_strokes (pad));
  }
}

/* A real pointer, moved by the X server (XTest, through the accessibility
 * registry) as a hand moves a mouse: press, three moves, release. The
 * whole of GTK's input path, the gesture's choice of input included. */
static void
test_real_pointer_draws (void **state)
{
  static const double path[] = { 60, 150, 160, 120, 300, 140, 420, 110 };

  if (!drag_real_pointer (GTK_WIDGET (pad), path, G_N_ELEMENTS (path) / 2))
    skip ();
  EXPECT_INT ("one stroke from one drag", 1, meso_signature_pad_get_n_strokes (pad));
  {
    g_autofree char *svg = meso_signature_pad_to_svg (pad, NULL);

    EXPECT_CONTAINS ("from where it was pressed", svg, "d=\"M60.0 150.0");
    EXPECT_CONTAINS ("to where it was let go", svg, "L420.0 110.0\"");
  }
}

/* A pen draws through the stylus gesture, one stroke from down to up. */
static void
test_stylus_makes_stroke (void **state)
{
  GtkEventController *stylus = find_controller (GTK_WIDGET (pad), GTK_TYPE_GESTURE_STYLUS);

  assert_non_null (stylus);

  g_signal_emit_by_name (stylus, "down", 60.0, 120.0);
  g_signal_emit_by_name (stylus, "motion", 90.0, 100.0);
  g_signal_emit_by_name (stylus, "motion", 140.0, 110.0);
  g_signal_emit_by_name (stylus, "up", 140.0, 110.0);
  settle (50);
  EXPECT_INT ("one stroke", 1, meso_signature_pad_get_n_strokes (pad));
  EXPECT_INT ("changed once", 1, n_changed);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *svg = meso_signature_pad_to_svg (pad, &error);

    EXPECT_CONTAINS ("from where the pen came down", svg, "d=\"M60.0 120.0");
    EXPECT_CONTAINS ("to where it went up", svg, "L140.0 110.0\"");
  }
}

/* Ctrl+Z takes the last stroke back, the Clear button all of them. */
static void
test_undo_and_clear (void **state)
{
  draw_line ();
  draw_loop ();
  draw_line ();
  EXPECT_INT ("three strokes", 3, meso_signature_pad_get_n_strokes (pad));

  assert_true (activate_shortcut (GTK_WIDGET (pad), "<Control>z"));
  EXPECT_INT ("Ctrl+Z undoes one", 2, meso_signature_pad_get_n_strokes (pad));
  EXPECT_INT ("changed for each", 4, n_changed);

  gtk_widget_activate (find_button (GTK_WIDGET (pad), "Clear Signature"));
  settle (400);  /* a button's activation clicks it after a moment */
  EXPECT ("cleared", meso_signature_pad_is_empty (pad));
  EXPECT_INT ("changed on clear", 5, n_changed);
  EXPECT ("nothing to clear",
          !gtk_widget_get_sensitive (find_button (GTK_WIDGET (pad), "Clear Signature")));

  EXPECT ("no undo on an empty pad", !activate_shortcut (GTK_WIDGET (pad), "<Control>z"));
  EXPECT_INT ("nothing changed", 5, n_changed);
}

/* How many pixels of @image in the rectangle are ink (opaque enough). */
static guint
count_ink (const Rendered *image,
           int             x0,
           int             y0,
           int             x1,
           int             y1)
{
  guint count = 0;

  for (int y = MAX (0, y0); y < MIN (image->height, y1); y++)
    for (int x = MAX (0, x0); x < MIN (image->width, x1); x++)
      if (PIXEL_A (pixel_at (image, x, y)) > 64)
        count++;
  return count;
}

static Rendered *
decode_png (GBytes *png)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, &error);

  EXPECT_NO_ERROR ("a PNG GDK reads", error);
  assert_non_null (texture);
  return rendered_from_texture (texture);
}

/* The PNG is a PNG of the size asked, black where the line went, clear
 * everywhere else; the pad's area fitted in, its proportions kept. */
static void
test_png_export (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(Rendered) image = NULL;
  g_autofree char *svg = NULL;
  gsize size;
  const guchar *data;
  guint32 ink;

  png = meso_signature_pad_to_png (pad, 1120, 400, &error);
  EXPECT ("nothing to export", png == NULL);
  EXPECT ("said so", g_error_matches (error, MESO_SIGNATURE_PAD_ERROR,
                                      MESO_SIGNATURE_PAD_ERROR_EMPTY));
  g_clear_error (&error);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  draw_line ();
  png = meso_signature_pad_to_png (pad, 1120, 400, &error);
  EXPECT_NO_ERROR ("exported", error);
  assert_non_null (png);
  data = g_bytes_get_data (png, &size);
  assert_true (size > 8);
  EXPECT ("PNG signature", memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0);

  image = decode_png (png);
  EXPECT_INT ("width", 1120, image->width);
  EXPECT_INT ("height", 400, image->height);
  /* Twice the pad's size: the line from (80, 200) to (880, 200). */
  ink = pixel_at (image, 480, 200);
  EXPECT ("ink on the line", PIXEL_A (ink) > 200);
  EXPECT ("dark ink in dark style too", PIXEL_R (ink) < 40 && PIXEL_G (ink) < 40 &&
          PIXEL_B (ink) < 40);
  EXPECT ("ink from end to end", count_ink (image, 80, 195, 880, 205) > 800 * 4);
  EXPECT_INT ("none above the line", 0, count_ink (image, 0, 0, 1120, 192));
  EXPECT_INT ("none below it", 0, count_ink (image, 0, 208, 1120, 400));
  EXPECT_INT ("none left of its start", 0, count_ink (image, 0, 0, 72, 400));
  EXPECT_INT ("none right of its end", 0, count_ink (image, 888, 0, 1120, 400));
  EXPECT_INT ("transparent elsewhere", 0, PIXEL_A (pixel_at (image, 10, 10)));

  /* Another shape: the pad fitted in, centred, never stretched. */
  g_clear_pointer (&png, g_bytes_unref);
  g_clear_pointer (&image, rendered_free);
  png = meso_signature_pad_to_png (pad, 280, 280, &error);
  EXPECT_NO_ERROR ("square", error);
  image = decode_png (png);
  EXPECT_INT ("square width", 280, image->width);
  EXPECT_INT ("square height", 280, image->height);
  /* Scale 0.5, 90 pixels down: the line at y = 140, x 20 to 220. */
  EXPECT ("ink at the scaled line", count_ink (image, 20, 137, 220, 143) > 150);
  EXPECT_INT ("none off it", 0, count_ink (image, 0, 0, 280, 134) +
                                count_ink (image, 0, 146, 280, 280) +
                                count_ink (image, 228, 0, 280, 280));

  svg = meso_signature_pad_to_svg (pad, &error);
  EXPECT_NO_ERROR ("svg", error);
  EXPECT_CONTAINS ("an SVG of the pad's size", svg, "viewBox=\"0 0 560 200\"");
  EXPECT_CONTAINS ("the stroke from its first point", svg, "d=\"M40.0 100.0");
}

/* The ink on screen is the style's text colour: dark on light, light on
 * dark, so it shows in both. */
static void
check_screen_ink (AdwColorScheme scheme,
                  gboolean       light_ink)
{
  g_autoptr(Rendered) shown = NULL;
  guint32 ink, paper;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  settle (200);
  shown = render_widget (GTK_WIDGET (pad));
  ink = pixel_at (shown, 240, 100);
  paper = pixel_at (shown, 240, 60);
  if (light_ink)
    EXPECT ("light ink on dark paper", PIXEL_G (ink) > 180 && PIXEL_G (paper) < 80);
  else
    EXPECT ("dark ink on light paper", PIXEL_G (ink) < 80 && PIXEL_G (paper) > 180);
}

static void
test_ink_follows_style (void **state)
{
  draw_line ();
  check_screen_ink (ADW_COLOR_SCHEME_FORCE_LIGHT, FALSE);
  check_screen_ink (ADW_COLOR_SCHEME_FORCE_DARK, TRUE);
}

/* With MESODESK_SHOT_DIR: the pad empty and signed, light and dark, wide and
 * narrow, for a person to look at. */
static void
test_screenshots (void **state)
{
  guint n_looks;
  const ShotLook *looks = shot_looks (&n_looks);

  gtk_window_destroy (window);
  settle (100);

  for (guint i = 0; i < n_looks; i++)
    {
      g_autofree char *empty = shot_name ("signature-pad-empty", &looks[i]);
      g_autofree char *signed_name = shot_name ("signature-pad-signed", &looks[i]);
      GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *heading = gtk_label_new ("Consent: Microneedling (face)");

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), looks[i].scheme);
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_default_size (window, looks[i].width, 420);
      gtk_widget_add_css_class (heading, "title-2");
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_widget_set_margin_top (page, 24);
      gtk_widget_set_margin_bottom (page, 24);
      gtk_widget_set_margin_start (page, 12);
      gtk_widget_set_margin_end (page, 12);
      gtk_box_append (GTK_BOX (page), heading);
      pad = MESO_SIGNATURE_PAD (meso_signature_pad_new ());
      gtk_widget_set_size_request (GTK_WIDGET (pad), -1, 220);
      gtk_box_append (GTK_BOX (page), GTK_WIDGET (pad));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
      gtk_window_present (window);
      settle (300);
      expect_fits (window, 360, "the pad's window");
      take_screenshot (empty);

      {
        static const double first[] = { 10, -25, 30, -40, 45, -10, 50, 10, 70, -30, 90, -45,
                                        100, -10, 120, 5, NAN };
        static const double second[] = { 15, -5, 35, -2, 60, -8, 90, -4, 130, 0, NAN };
        static const double dot[] = { 0, 0, NAN };

        drag (40, 150, first);
        drag (170, 130, second);
        drag (200, 95, dot);
      }
      take_screenshot (signed_name);
      gtk_window_destroy (window);
      settle (100);
    }
  window = NULL;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_drag_makes_stroke, setup, teardown),
    cmocka_unit_test_setup_teardown (test_real_pointer_draws, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stylus_makes_stroke, setup, teardown),
    cmocka_unit_test_setup_teardown (test_undo_and_clear, setup, teardown),
    cmocka_unit_test_setup_teardown (test_png_export, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ink_follows_style, setup, teardown),
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
