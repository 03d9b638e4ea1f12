/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-photo-compare.h"

#include "meso-application.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>
#include <math.h>

#define PANE_GAP        8.0    /* between the two photos side by side */
/* Above each other only where the photos show clearly larger so: "side by
 * side" is what the person chose. */
#define SIDE_BY_SIDE_BIAS 1.15
#define CAPTION_MARGIN  8.0
#define CAPTION_PADDING 4.0
#define HANDLE_RADIUS   14.0
#define DIVIDER_GRIP    20.0   /* how near the divider a drag moves it */
#define ZOOM_STEP       1.25   /* one + or − */
#define SCROLL_STEP     1.1    /* one notch of Ctrl + wheel */
#define DIVIDER_STEP    0.05   /* one Left or Right */
#define PRINT_CAPTION   18.0   /* points under the photos for their captions */
#define MIN_AREA_HEIGHT 160

#define TOOL_PADDING    6      /* around the tools above the photos */
#define TOOL_GAP        6

enum { BEFORE, AFTER, N_IMAGES };

/* The tools above the photos, left to right. */
enum { TOOL_MODES, TOOL_ZOOM_OUT, TOOL_ZOOM, TOOL_ZOOM_IN, TOOL_PRINT, N_TOOLS };

typedef enum { DRAG_NONE, DRAG_PAN, DRAG_DIVIDER } DragKind;

struct _MesoPhotoCompare
{
  GtkWidget             parent_instance;

  GdkTexture           *images[N_IMAGES];
  cairo_surface_t      *surfaces[N_IMAGES];  /* the images for cairo, made when printed */
  char                 *captions[N_IMAGES];
  MesoPhotoCompareMode  mode;
  double                divider;
  double                zoom;
  double                pan_x, pan_y;        /* fractions of a pane's width and height */

  GtkWidget            *tools[N_TOOLS];
  int                   toolbar_height;

  DragKind              drag;
  double                drag_x, drag_y, drag_pan_x, drag_pan_y;
  double                pinch_zoom, pinch_x, pinch_y;
  double                pointer_x, pointer_y;
};

G_DEFINE_FINAL_TYPE (MesoPhotoCompare, meso_photo_compare, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (MesoPhotoCompareMode, meso_photo_compare_mode,
                    G_DEFINE_ENUM_VALUE (MESO_PHOTO_COMPARE_SIDE_BY_SIDE, "side-by-side"),
                    G_DEFINE_ENUM_VALUE (MESO_PHOTO_COMPARE_SLIDER, "slider"))

enum { PROP_0, PROP_MODE, PROP_DIVIDER, PROP_ZOOM, N_PROPS };

static GParamSpec *properties[N_PROPS];

/* --------------------------------------------------------------- geometry */

/* The image's size, or a 4:3 stand-in for a missing one. */
static void
image_size (MesoPhotoCompare *self,
            guint             which,
            double           *width,
            double           *height)
{
  *width = self->images[which] != NULL ? gdk_texture_get_width (self->images[which]) : 4;
  *height = self->images[which] != NULL ? gdk_texture_get_height (self->images[which]) : 3;
}

static double
fit_scale (MesoPhotoCompare *self,
           double            pane_width,
           double            pane_height)
{
  double scale = G_MAXDOUBLE;

  for (guint i = 0; i < N_IMAGES; i++)
    {
      double width, height;

      image_size (self, i, &width, &height);
      scale = MIN (scale, MIN (pane_width / width, pane_height / height));
    }
  return scale;
}

/* Where each photo goes in @area: one pane each side by side (beside, or
 * above each other where that shows them clearly larger), one pane for
 * both with the slider. */
static void
compute_panes (MesoPhotoCompare *self,
               const graphene_rect_t *area,
               graphene_rect_t        panes[N_IMAGES])
{
  double x = area->origin.x, y = area->origin.y;
  double width = area->size.width, height = area->size.height;
  double half_width = MAX (1, (width - PANE_GAP) / 2);
  double half_height = MAX (1, (height - PANE_GAP) / 2);

  if (self->mode == MESO_PHOTO_COMPARE_SLIDER)
    panes[BEFORE] = panes[AFTER] = *area;
  else if (fit_scale (self, half_width, height) * SIDE_BY_SIDE_BIAS >=
           fit_scale (self, width, half_height))
    {
      graphene_rect_init (&panes[BEFORE], x, y, half_width, height);
      graphene_rect_init (&panes[AFTER], x + width - half_width, y, half_width, height);
    }
  else
    {
      graphene_rect_init (&panes[BEFORE], x, y, width, half_height);
      graphene_rect_init (&panes[AFTER], x, y + height - half_height, width, half_height);
    }
}

/* The photo fitted into its pane, then zoomed about the pane's centre and
 * moved by the pan: one transform for both, so photos of different sizes
 * stay aligned. */
static void
photo_rect (MesoPhotoCompare      *self,
            guint                  which,
            const graphene_rect_t *pane,
            graphene_rect_t       *rect)
{
  double width, height, scale, center_x, center_y;

  image_size (self, which, &width, &height);
  scale = MIN (pane->size.width / width, pane->size.height / height) * self->zoom;
  center_x = pane->origin.x + pane->size.width * (0.5 + self->pan_x);
  center_y = pane->origin.y + pane->size.height * (0.5 + self->pan_y);
  graphene_rect_init (rect, center_x - width * scale / 2, center_y - height * scale / 2,
                      width * scale, height * scale);
}

/* The part of @pane its photo covers: captions go on its corners. */
static void
photo_shown (MesoPhotoCompare      *self,
             guint                  which,
             const graphene_rect_t *pane,
             graphene_rect_t       *shown)
{
  graphene_rect_t photo;

  photo_rect (self, which, pane, &photo);
  if (!graphene_rect_intersection (&photo, pane, shown))
    *shown = *pane;
}

/* The part of the widget below the toolbar. */
static void
canvas_area (MesoPhotoCompare *self,
             graphene_rect_t  *area)
{
  int top = self->toolbar_height;

  graphene_rect_init (area, 0, top, gtk_widget_get_width (GTK_WIDGET (self)),
                      MAX (1, gtk_widget_get_height (GTK_WIDGET (self)) - top));
}

static double
divider_x (MesoPhotoCompare      *self,
           const graphene_rect_t *area)
{
  return area->origin.x + round (area->size.width * self->divider);
}

/* The pane @x, @y falls in (the nearer one in the gap). */
static void
pane_at (MesoPhotoCompare *self,
         double            x,
         double            y,
         graphene_rect_t  *pane)
{
  graphene_rect_t area, panes[N_IMAGES];
  gboolean beside, below;

  canvas_area (self, &area);
  compute_panes (self, &area, panes);
  beside = panes[AFTER].origin.x > panes[BEFORE].origin.x;
  below = panes[AFTER].origin.y > panes[BEFORE].origin.y;
  *pane = panes[BEFORE];
  if ((beside && x >= panes[AFTER].origin.x - PANE_GAP / 2) ||
      (below && y >= panes[AFTER].origin.y - PANE_GAP / 2))
    *pane = panes[AFTER];
}

/* ------------------------------------------------------------- transform */

static void
update_zoom_button (MesoPhotoCompare *self)
{
  /* Translators: the zoom level on the photo comparison's button that fits the photos
   * again; %d is a percentage */
  g_autofree char *label = g_strdup_printf (_("%d %%"), (int) round (self->zoom * 100));

  gtk_button_set_label (GTK_BUTTON (self->tools[TOOL_ZOOM]), label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photo-compare.zoom-in",
                                 self->zoom < MESO_PHOTO_COMPARE_MAX_ZOOM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photo-compare.zoom-out",
                                 self->zoom > MESO_PHOTO_COMPARE_MIN_ZOOM);
}

/* Moves the photos no further than the zoom leaves room for: at 1× they
 * stay fitted, at 2× half a pane each way. */
static void
set_pan (MesoPhotoCompare *self,
         double            pan_x,
         double            pan_y)
{
  double reach = (self->zoom - 1) / 2;

  self->pan_x = CLAMP (pan_x, -reach, reach);
  self->pan_y = CLAMP (pan_y, -reach, reach);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
meso_photo_compare_zoom_at (MesoPhotoCompare *self,
                            double            zoom,
                            double            x,
                            double            y)
{
  graphene_rect_t pane;
  double at_x, at_y, ratio;

  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  zoom = CLAMP (zoom, MESO_PHOTO_COMPARE_MIN_ZOOM, MESO_PHOTO_COMPARE_MAX_ZOOM);
  if (zoom == self->zoom)
    return;

  /* The point's place in its pane, from the centre, in pane sizes: what is
   * under it is there before and after the zoom. */
  pane_at (self, x, y, &pane);
  at_x = (x - pane.origin.x) / pane.size.width - 0.5;
  at_y = (y - pane.origin.y) / pane.size.height - 0.5;
  ratio = zoom / self->zoom;
  self->zoom = zoom;
  set_pan (self, at_x - (at_x - self->pan_x) * ratio, at_y - (at_y - self->pan_y) * ratio);
  update_zoom_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* About the canvas's centre, as the keys and buttons zoom. */
static void
zoom_centered (MesoPhotoCompare *self,
               double            zoom)
{
  graphene_rect_t area, panes[N_IMAGES];
  graphene_point_t center;

  canvas_area (self, &area);
  compute_panes (self, &area, panes);
  graphene_rect_get_center (&panes[BEFORE], &center);
  meso_photo_compare_zoom_at (self, zoom, center.x, center.y);
}

void
meso_photo_compare_pan (MesoPhotoCompare *self,
                        double            dx,
                        double            dy)
{
  graphene_rect_t pane;

  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  pane_at (self, 0, 0, &pane);
  set_pan (self, self->pan_x + dx / pane.size.width, self->pan_y + dy / pane.size.height);
}

/* ------------------------------------------------------------------ input */

static gboolean
on_canvas (MesoPhotoCompare *self,
           double            x,
           double            y)
{
  return gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT) == GTK_WIDGET (self);
}

static gboolean
near_divider (MesoPhotoCompare *self,
              double            x)
{
  graphene_rect_t area;

  canvas_area (self, &area);
  return self->mode == MESO_PHOTO_COMPARE_SLIDER &&
         fabs (x - divider_x (self, &area)) <= DIVIDER_GRIP;
}

static void
on_drag_begin_cb (GtkGestureDrag   *gesture,
                  double            x,
                  double            y,
                  MesoPhotoCompare *self)
{
  if (!on_canvas (self, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag = near_divider (self, x) ? DRAG_DIVIDER : DRAG_PAN;
  self->drag_x = x;
  self->drag_y = y;
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
}

static void
on_drag_update_cb (GtkGestureDrag   *gesture,
                   double            offset_x,
                   double            offset_y,
                   MesoPhotoCompare *self)
{
  graphene_rect_t area, pane;

  canvas_area (self, &area);
  if (self->drag == DRAG_DIVIDER)
    meso_photo_compare_set_divider (self, (self->drag_x + offset_x - area.origin.x) /
                                          area.size.width);
  else if (self->drag == DRAG_PAN)
    {
      pane_at (self, self->drag_x, self->drag_y, &pane);
      set_pan (self, self->drag_pan_x + offset_x / pane.size.width,
               self->drag_pan_y + offset_y / pane.size.height);
    }
}

static void
on_drag_end_cb (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                MesoPhotoCompare *self)
{
  on_drag_update_cb (gesture, offset_x, offset_y, self);
  self->drag = DRAG_NONE;
}

static void
on_pinch_begin_cb (GtkGesture       *gesture,
                   GdkEventSequence *sequence,
                   MesoPhotoCompare *self)
{
  self->pinch_zoom = self->zoom;
  if (!gtk_gesture_get_bounding_box_center (gesture, &self->pinch_x, &self->pinch_y))
    {
      self->pinch_x = self->pointer_x;
      self->pinch_y = self->pointer_y;
    }
}

static void
on_pinch_scale_changed_cb (GtkGestureZoom   *gesture,
                           double            scale,
                           MesoPhotoCompare *self)
{
  meso_photo_compare_zoom_at (self, self->pinch_zoom * scale, self->pinch_x, self->pinch_y);
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              MesoPhotoCompare         *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0)
    return FALSE;
  meso_photo_compare_zoom_at (self, self->zoom * pow (SCROLL_STEP, -dy), self->pointer_x,
                              self->pointer_y);
  return TRUE;
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              MesoPhotoCompare         *self)
{
  const char *cursor = NULL;

  self->pointer_x = x;
  self->pointer_y = y;
  if (near_divider (self, x))
    cursor = "col-resize";
  else if (self->zoom > MESO_PHOTO_COMPARE_MIN_ZOOM)
    cursor = "grab";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

/* ---------------------------------------------------------------- drawing */

/* The caption's corner: bottom left of its pane; with the slider, the
 * "after" caption bottom right, on its side of the divider. */
static gboolean
caption_at_right (MesoPhotoCompare *self,
                  guint             which)
{
  return self->mode == MESO_PHOTO_COMPARE_SLIDER && which == AFTER;
}

static void
snapshot_caption (MesoPhotoCompare      *self,
                  GtkSnapshot           *snapshot,
                  guint                  which,
                  const graphene_rect_t *pane_shown,
                  gboolean               at_top)
{
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA white = { 1, 1, 1, 1 }, shade = { 0, 0, 0, 0.75 };
  graphene_rect_t box;
  GskRoundedRect rounded;
  graphene_rect_t shown;
  const graphene_rect_t *pane = &shown;
  int text_width, text_height;
  double x, y, max_width;

  /* On the photo's corner where the photo is smaller than its pane. */
  photo_shown (self, which, pane_shown, &shown);
  max_width = pane->size.width - 2 * (CAPTION_MARGIN + CAPTION_PADDING);
  if (self->captions[which] == NULL || max_width < 24)
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->captions[which]);
  pango_layout_set_width (layout, pango_units_from_double (max_width));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  x = caption_at_right (self, which)
        ? pane->origin.x + pane->size.width - CAPTION_MARGIN - CAPTION_PADDING - text_width
        : pane->origin.x + CAPTION_MARGIN + CAPTION_PADDING;
  y = at_top ? pane->origin.y + CAPTION_MARGIN + CAPTION_PADDING
             : pane->origin.y + pane->size.height - CAPTION_MARGIN - CAPTION_PADDING - text_height;

  graphene_rect_init (&box, x - CAPTION_PADDING, y - CAPTION_PADDING,
                      text_width + 2 * CAPTION_PADDING, text_height + 2 * CAPTION_PADDING);
  gsk_rounded_rect_init_from_rect (&rounded, &box, CAPTION_PADDING);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &shade, &box);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &white);
  gtk_snapshot_restore (snapshot);
}

/* Whether the two captions fit side by side on the slider's photos; if not,
 * the after's goes to the top. */
static gboolean
captions_fit (MesoPhotoCompare      *self,
              const graphene_rect_t *area)
{
  graphene_rect_t shown;
  double needed = 4 * CAPTION_PADDING + 3 * CAPTION_MARGIN;

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int width;

      if (self->captions[i] == NULL)
        continue;
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->captions[i]);
      pango_layout_get_pixel_size (layout, &width, NULL);
      needed += width;
    }
  photo_shown (self, AFTER, area, &shown);
  return needed <= shown.size.width;
}

static void
snapshot_photo (MesoPhotoCompare      *self,
                GtkSnapshot           *snapshot,
                guint                  which,
                const graphene_rect_t *pane,
                const graphene_rect_t *clip)
{
  graphene_rect_t rect;

  /* Nothing to show (the divider at an edge): GTK 4.8 leaks what is drawn
   * inside an empty clip. */
  if (self->images[which] == NULL || clip->size.width <= 0 || clip->size.height <= 0)
    return;
  photo_rect (self, which, pane, &rect);
  gtk_snapshot_push_clip (snapshot, clip);
  gtk_snapshot_append_texture (snapshot, self->images[which], &rect);
  gtk_snapshot_pop (snapshot);
}

/* A line the full height and a round grip in its middle with two arrows. */
static void
draw_divider (cairo_t *cr,
              double   x,
              double   top,
              double   height)
{
  double middle = top + height / 2;

  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_rectangle (cr, x - 2, top, 4, height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x - 1, top, 2, height);
  cairo_fill (cr);

  cairo_arc (cr, x, middle, HANDLE_RADIUS, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, 2);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  for (int side = -1; side <= 1; side += 2)
    {
      cairo_move_to (cr, x + side * 3, middle - 5);
      cairo_line_to (cr, x + side * 8, middle);
      cairo_line_to (cr, x + side * 3, middle + 5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static void
meso_photo_compare_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (widget);
  GdkRGBA ground = { 0.14, 0.14, 0.14, 1 };
  graphene_rect_t area, panes[N_IMAGES];

  for (guint i = 0; i < N_TOOLS; i++)
    gtk_widget_snapshot_child (widget, self->tools[i], snapshot);

  canvas_area (self, &area);
  compute_panes (self, &area, panes);
  gtk_snapshot_append_color (snapshot, &ground, &area);

  if (self->mode == MESO_PHOTO_COMPARE_SLIDER)
    {
      double x = divider_x (self, &area);
      graphene_rect_t left, right;
      cairo_t *cr;

      graphene_rect_init (&left, area.origin.x, area.origin.y, x - area.origin.x,
                          area.size.height);
      graphene_rect_init (&right, x, area.origin.y, area.origin.x + area.size.width - x,
                          area.size.height);
      snapshot_photo (self, snapshot, BEFORE, &area, &left);
      snapshot_photo (self, snapshot, AFTER, &area, &right);

      cr = gtk_snapshot_append_cairo (snapshot,
                                      &GRAPHENE_RECT_INIT (x - HANDLE_RADIUS - 2,
                                                           area.origin.y,
                                                           2 * HANDLE_RADIUS + 4,
                                                           area.size.height));
      draw_divider (cr, x, area.origin.y, area.size.height);
      cairo_destroy (cr);
      /* Over the divider: a caption the line crosses is hard to read. */
      snapshot_caption (self, snapshot, BEFORE, &area, FALSE);
      snapshot_caption (self, snapshot, AFTER, &area, !captions_fit (self, &area));
      return;
    }

  for (guint i = 0; i < N_IMAGES; i++)
    {
      snapshot_photo (self, snapshot, i, &panes[i], &panes[i]);
      snapshot_caption (self, snapshot, i, &panes[i], FALSE);
    }
}

/* ------------------------------------------------------------- printing */

static cairo_surface_t *
image_surface (MesoPhotoCompare *self,
               guint             which)
{
  GdkTexture *texture = self->images[which];
  cairo_surface_t *surface;

  if (texture == NULL)
    return NULL;
  if (self->surfaces[which] != NULL)
    return self->surfaces[which];

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gdk_texture_get_width (texture),
                                        gdk_texture_get_height (texture));
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  /* GDK_MEMORY_DEFAULT, what gdk_texture_download() writes, is cairo's ARGB32. */
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  self->surfaces[which] = surface;
  return surface;
}

static void
draw_photo (MesoPhotoCompare      *self,
            cairo_t               *cr,
            guint                  which,
            const graphene_rect_t *pane,
            const graphene_rect_t *clip)
{
  cairo_surface_t *surface = image_surface (self, which);
  graphene_rect_t rect;

  if (surface == NULL)
    return;
  photo_rect (self, which, pane, &rect);
  cairo_save (cr);
  cairo_rectangle (cr, clip->origin.x, clip->origin.y, clip->size.width, clip->size.height);
  cairo_clip (cr);
  cairo_translate (cr, rect.origin.x, rect.origin.y);
  cairo_scale (cr, rect.size.width / cairo_image_surface_get_width (surface),
               rect.size.height / cairo_image_surface_get_height (surface));
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static void
draw_caption (MesoPhotoCompare      *self,
              cairo_t               *cr,
              guint                  which,
              const graphene_rect_t *pane_shown)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 10");
  graphene_rect_t shown;
  const graphene_rect_t *pane = &shown;
  int text_width;

  if (self->captions[which] == NULL)
    return;
  /* Under the photo, at its edge. */
  photo_shown (self, which, pane_shown, &shown);
  layout = pango_cairo_create_layout (cr);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, self->captions[which], -1);
  pango_layout_set_width (layout, pango_units_from_double (pane->size.width));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  cairo_move_to (cr, caption_at_right (self, which)
                       ? pane->origin.x + pane->size.width - text_width : pane->origin.x,
                 pane->origin.y + pane->size.height + 4);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_cairo_show_layout (cr, layout);
}

void
meso_photo_compare_draw (MesoPhotoCompare *self,
                         cairo_t          *cr,
                         double            width,
                         double            height)
{
  graphene_rect_t area, panes[N_IMAGES];

  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));
  g_return_if_fail (cr != NULL);

  /* The photos on white paper, their captions under them rather than over. */
  graphene_rect_init (&area, 0, 0, width, MAX (1, height - PRINT_CAPTION));
  compute_panes (self, &area, panes);
  if (self->mode == MESO_PHOTO_COMPARE_SLIDER)
    {
      double x = area.origin.x + area.size.width * self->divider;

      draw_photo (self, cr, BEFORE, &area,
                  &GRAPHENE_RECT_INIT (0, 0, x, area.size.height));
      draw_photo (self, cr, AFTER, &area,
                  &GRAPHENE_RECT_INIT (x, 0, width - x, area.size.height));
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_rectangle (cr, x - 1, 0, 2, area.size.height);
      cairo_fill (cr);
    }
  else
    {
      /* Above each other, the before's caption goes between the photos. */
      if (panes[AFTER].origin.y > panes[BEFORE].origin.y)
        panes[BEFORE].size.height -= PRINT_CAPTION;
      for (guint i = 0; i < N_IMAGES; i++)
        draw_photo (self, cr, i, &panes[i], &panes[i]);
    }
  for (guint i = 0; i < N_IMAGES; i++)
    draw_caption (self, cr, i, &panes[i]);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_number,
                 MesoPhotoCompare  *self)
{
  meso_photo_compare_draw (self, gtk_print_context_get_cairo_context (context),
                           gtk_print_context_get_width (context),
                           gtk_print_context_get_height (context));
}

GtkPrintOperation *
meso_photo_compare_new_print_operation (MesoPhotoCompare *self)
{
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  GtkPrintOperation *operation;

  g_return_val_if_fail (MESO_IS_PHOTO_COMPARE (self), NULL);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* Two photos beside each other: landscape shows them larger. */
  if (self->mode == MESO_PHOTO_COMPARE_SIDE_BY_SIDE)
    gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  /* Translators: the print job's name, seen in the printer queue */
  gtk_print_operation_set_job_name (operation, _("Photo comparison"));
  /* Translators: the default name of the printed photo comparison's file */
  meso_print_operation_set_file_name (operation, _("Photo comparison"));
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self, 0);
  return operation;
}

void
meso_photo_compare_print (MesoPhotoCompare *self,
                          GtkWindow        *parent)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  operation = meso_photo_compare_new_print_operation (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    meso_application_show_error (parent,
                                 /* Translators: heading of the message when the photo
                                  * comparison cannot be printed */
                                 _("The Comparison Cannot Be Printed"), error->message);
}

/* ---------------------------------------------------------------- layout */

/* The tools' widths, minimum and natural. */
static void
measure_tools (MesoPhotoCompare *self,
               int               minimum[N_TOOLS],
               int               natural[N_TOOLS],
               int              *height)
{
  *height = 0;
  for (guint i = 0; i < N_TOOLS; i++)
    {
      int tool_height = 0;

      gtk_widget_measure (self->tools[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum[i],
                          &natural[i], NULL, NULL);
      gtk_widget_measure (self->tools[i], GTK_ORIENTATION_VERTICAL, -1, NULL, &tool_height,
                          NULL, NULL);
      *height = MAX (*height, tool_height);
    }
}

/* One row: the modes left, zoom and print right. */
static int
tools_width (const int widths[N_TOOLS])
{
  return 2 * TOOL_PADDING + widths[TOOL_MODES] + TOOL_GAP + widths[TOOL_ZOOM_OUT] +
         widths[TOOL_ZOOM] + widths[TOOL_ZOOM_IN] + TOOL_GAP + widths[TOOL_PRINT];
}

/* Narrow (360 pixels, or a long language), the zoom and print go on a
 * second row under the modes. */
static int
toolbar_height (int       tool_height,
                gboolean  one_row)
{
  return one_row ? tool_height + 2 * TOOL_PADDING : 2 * tool_height + TOOL_GAP + 2 * TOOL_PADDING;
}

static GtkSizeRequestMode
meso_photo_compare_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
meso_photo_compare_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (widget);
  int tool_minimum[N_TOOLS], tool_natural[N_TOOLS], height, top;

  measure_tools (self, tool_minimum, tool_natural, &height);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * TOOL_PADDING +
                 MAX (tool_minimum[TOOL_MODES],
                      tool_minimum[TOOL_ZOOM_OUT] + tool_minimum[TOOL_ZOOM] +
                      tool_minimum[TOOL_ZOOM_IN] + TOOL_GAP + tool_minimum[TOOL_PRINT]);
      *natural = tools_width (tool_natural);
    }
  else
    {
      top = toolbar_height (height, for_size >= tools_width (tool_natural));
      *minimum = top + MIN_AREA_HEIGHT;
      *natural = top + 3 * MIN_AREA_HEIGHT;
    }
}

static void
allocate_tool (MesoPhotoCompare *self,
               guint             tool,
               int               x,
               int               y,
               int               width,
               int               height)
{
  gtk_widget_allocate (self->tools[tool], width, height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, y)));
}

static void
meso_photo_compare_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (widget);
  int tool_minimum[N_TOOLS], tool_natural[N_TOOLS], tool_height, x, y;
  gboolean one_row;

  measure_tools (self, tool_minimum, tool_natural, &tool_height);
  one_row = width >= tools_width (tool_natural);
  y = one_row ? TOOL_PADDING : TOOL_PADDING + tool_height + TOOL_GAP;

  x = width - TOOL_PADDING;
  for (guint tool = TOOL_PRINT; tool > TOOL_MODES; tool--)
    {
      x -= tool_natural[tool];
      allocate_tool (self, tool, x, y, tool_natural[tool], tool_height);
      if (tool == TOOL_PRINT)
        x -= TOOL_GAP;
    }
  allocate_tool (self, TOOL_MODES, TOOL_PADDING, TOOL_PADDING,
                 MAX (tool_minimum[TOOL_MODES],
                      MIN (tool_natural[TOOL_MODES],
                           (one_row ? x - TOOL_GAP : width - TOOL_PADDING) - TOOL_PADDING)),
                 tool_height);
  self->toolbar_height = toolbar_height (tool_height, one_row);
}

/* ---------------------------------------------------------------- public */

GtkWidget *
meso_photo_compare_new (void)
{
  return g_object_new (MESO_TYPE_PHOTO_COMPARE, NULL);
}

static void
update_description (MesoPhotoCompare *self)
{
  g_autofree char *description = NULL;

  if (self->captions[BEFORE] != NULL && self->captions[AFTER] != NULL)
    /* Translators: what a screen reader says of the photo comparison: the two
     * photos' captions, such as "Before · 12 March 2026" */
    description = g_strdup_printf (_("%s, compared with %s"), self->captions[BEFORE],
                                   self->captions[AFTER]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
}

void
meso_photo_compare_set_images (MesoPhotoCompare *self,
                               GdkTexture       *before,
                               GdkTexture       *after)
{
  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));
  g_return_if_fail (before == NULL || GDK_IS_TEXTURE (before));
  g_return_if_fail (after == NULL || GDK_IS_TEXTURE (after));

  g_set_object (&self->images[BEFORE], before);
  g_set_object (&self->images[AFTER], after);
  for (guint i = 0; i < N_IMAGES; i++)
    g_clear_pointer (&self->surfaces[i], cairo_surface_destroy);
  /* Other photos: seen whole first. */
  zoom_centered (self, MESO_PHOTO_COMPARE_MIN_ZOOM);
  set_pan (self, 0, 0);
}

void
meso_photo_compare_set_captions (MesoPhotoCompare *self,
                                 const char       *before,
                                 const char       *after)
{
  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  g_free (self->captions[BEFORE]);
  self->captions[BEFORE] = g_strdup (before);
  g_free (self->captions[AFTER]);
  self->captions[AFTER] = g_strdup (after);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Left and Right move the divider only where there is one. */
static void
update_divider_actions (MesoPhotoCompare *self)
{
  gboolean slider = self->mode == MESO_PHOTO_COMPARE_SLIDER;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photo-compare.divider-left", slider);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photo-compare.divider-right", slider);
}

MesoPhotoCompareMode
meso_photo_compare_get_mode (MesoPhotoCompare *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_COMPARE (self), MESO_PHOTO_COMPARE_SIDE_BY_SIDE);

  return self->mode;
}

void
meso_photo_compare_set_mode (MesoPhotoCompare     *self,
                             MesoPhotoCompareMode  mode)
{
  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  update_divider_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

double
meso_photo_compare_get_divider (MesoPhotoCompare *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_COMPARE (self), 0.5);

  return self->divider;
}

void
meso_photo_compare_set_divider (MesoPhotoCompare *self,
                                double            position)
{
  g_return_if_fail (MESO_IS_PHOTO_COMPARE (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->divider == position)
    return;
  self->divider = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIVIDER]);
}

double
meso_photo_compare_get_zoom (MesoPhotoCompare *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_COMPARE (self), 1.0);

  return self->zoom;
}

static void
compare_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (widget);

  if (g_str_equal (action_name, "photo-compare.zoom-in"))
    zoom_centered (self, self->zoom * ZOOM_STEP);
  else if (g_str_equal (action_name, "photo-compare.zoom-out"))
    zoom_centered (self, self->zoom / ZOOM_STEP);
  else if (g_str_equal (action_name, "photo-compare.zoom-fit"))
    zoom_centered (self, MESO_PHOTO_COMPARE_MIN_ZOOM);
  else if (g_str_equal (action_name, "photo-compare.divider-left"))
    meso_photo_compare_set_divider (self, self->divider - DIVIDER_STEP);
  else if (g_str_equal (action_name, "photo-compare.divider-right"))
    meso_photo_compare_set_divider (self, self->divider + DIVIDER_STEP);
  else if (g_str_equal (action_name, "photo-compare.print"))
    {
      GtkRoot *root = gtk_widget_get_root (widget);

      meso_photo_compare_print (self, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
    }
}

static GtkWidget *
mode_button (const char *label,
             const char *mode,
             const char *tooltip)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "photo-compare.mode");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", mode);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
build_toolbar (MesoPhotoCompare *self)
{
  GtkWidget *modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (modes, "linked");
  gtk_box_append (GTK_BOX (modes),
                  /* Translators: the photo comparison's mode: the two photos next to
                   * each other; the tooltip names its shortcut */
                  mode_button (_("Side by Side"), "side-by-side", _("Side by Side (Ctrl+1)")));
  gtk_box_append (GTK_BOX (modes),
                  /* Translators: the photo comparison's mode: one photo over the other,
                   * a divider dragged across shows one left of it and the other right */
                  mode_button (_("Slider"), "slider", _("Slider (Ctrl+2)")));
  self->tools[TOOL_MODES] = modes;

  self->tools[TOOL_ZOOM_OUT] =
    /* Translators: a button of the photo comparison */
    meso_icon_button_new ("zoom-out-symbolic", "photo-compare.zoom-out", _("Zoom Out"));
  self->tools[TOOL_ZOOM] = gtk_button_new ();  /* its label is the zoom, set below */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->tools[TOOL_ZOOM]),
                                  "photo-compare.zoom-fit");
  gtk_widget_add_css_class (self->tools[TOOL_ZOOM], "flat");
  gtk_widget_add_css_class (self->tools[TOOL_ZOOM], "numeric");
  /* Translators: the tooltip of the zoom level's button, which fits the photos again */
  gtk_widget_set_tooltip_text (self->tools[TOOL_ZOOM], _("Fit Photos (0)"));
  self->tools[TOOL_ZOOM_IN] =
    /* Translators: a button of the photo comparison */
    meso_icon_button_new ("zoom-in-symbolic", "photo-compare.zoom-in", _("Zoom In"));
  self->tools[TOOL_PRINT] =
    /* Translators: a button of the photo comparison */
    meso_icon_button_new ("document-print-symbolic", "photo-compare.print",
                          _("Print Comparison…"));

  for (guint i = 0; i < N_TOOLS; i++)
    gtk_widget_set_parent (self->tools[i], GTK_WIDGET (self));
}

static void
meso_photo_compare_init (MesoPhotoCompare *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->mode = MESO_PHOTO_COMPARE_SIDE_BY_SIDE;
  self->divider = 0.5;
  self->zoom = MESO_PHOTO_COMPARE_MIN_ZOOM;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  build_toolbar (self);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: the photo comparison's name for a screen
                                   * reader */
                                  _("Photo Comparison"), -1);
  update_divider_actions (self);
  update_zoom_button (self);
}

static void
meso_photo_compare_dispose (GObject *object)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (object);

  for (guint i = 0; i < N_TOOLS; i++)
    g_clear_pointer (&self->tools[i], gtk_widget_unparent);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_clear_object (&self->images[i]);
      g_clear_pointer (&self->surfaces[i], cairo_surface_destroy);
    }

  G_OBJECT_CLASS (meso_photo_compare_parent_class)->dispose (object);
}

static void
meso_photo_compare_finalize (GObject *object)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (object);

  for (guint i = 0; i < N_IMAGES; i++)
    g_free (self->captions[i]);

  G_OBJECT_CLASS (meso_photo_compare_parent_class)->finalize (object);
}

static void
meso_photo_compare_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_DIVIDER:
      g_value_set_double (value, self->divider);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_photo_compare_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoPhotoCompare *self = MESO_PHOTO_COMPARE (object);

  switch (prop_id)
    {
    case PROP_MODE:
      meso_photo_compare_set_mode (self, g_value_get_enum (value));
      break;

    case PROP_DIVIDER:
      meso_photo_compare_set_divider (self, g_value_get_double (value));
      break;

    case PROP_ZOOM:
      zoom_centered (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_photo_compare_class_init (MesoPhotoCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_plus, 0, "photo-compare.zoom-in" },
    { GDK_KEY_equal, 0, "photo-compare.zoom-in" },
    { GDK_KEY_KP_Add, 0, "photo-compare.zoom-in" },
    { GDK_KEY_minus, 0, "photo-compare.zoom-out" },
    { GDK_KEY_KP_Subtract, 0, "photo-compare.zoom-out" },
    { GDK_KEY_0, 0, "photo-compare.zoom-fit" },
    { GDK_KEY_KP_0, 0, "photo-compare.zoom-fit" },
    { GDK_KEY_Left, 0, "photo-compare.divider-left" },
    { GDK_KEY_Right, 0, "photo-compare.divider-right" },
    { GDK_KEY_p, GDK_CONTROL_MASK, "photo-compare.print" },
  };
  static const char *const actions[] = {
    "photo-compare.zoom-in", "photo-compare.zoom-out", "photo-compare.zoom-fit",
    "photo-compare.divider-left", "photo-compare.divider-right", "photo-compare.print",
  };

  object_class->dispose = meso_photo_compare_dispose;
  object_class->finalize = meso_photo_compare_finalize;
  object_class->get_property = meso_photo_compare_get_property;
  object_class->set_property = meso_photo_compare_set_property;

  widget_class->snapshot = meso_photo_compare_snapshot;
  widget_class->get_request_mode = meso_photo_compare_get_request_mode;
  widget_class->measure = meso_photo_compare_measure;
  widget_class->size_allocate = meso_photo_compare_size_allocate;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, MESO_TYPE_PHOTO_COMPARE_MODE,
                       MESO_PHOTO_COMPARE_SIDE_BY_SIDE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIVIDER] =
    g_param_spec_double ("divider", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MESO_PHOTO_COMPARE_MIN_ZOOM,
                         MESO_PHOTO_COMPARE_MAX_ZOOM, MESO_PHOTO_COMPARE_MIN_ZOOM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "photo-compare.mode", "mode");
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, compare_action_cb);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i].key, keys[i].mods,
                                         keys[i].action, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "photo-compare.mode", "s", "side-by-side");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "photo-compare.mode", "s", "slider");

  gtk_widget_class_set_css_name (widget_class, "photocompare");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}
