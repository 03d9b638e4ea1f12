/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-signature-pad.h"

#include "meso-widgets.h"

#include <glib/gi18n.h>
#include <math.h>

/* Ink width in pixels for a mouse or a finger; a pen's pressure scales it
 * from PRESSURE_MIN to PRESSURE_MAX times this. */
#define INK_WIDTH      2.5
#define PRESSURE_MIN   0.4
#define PRESSURE_MAX   1.6
#define BASELINE_RATIO 0.72  /* the line to sign on, down the pad's height */
#define SIDE_MARGIN    24.0
#define MIN_WIDTH      240
#define MIN_HEIGHT     120
#define NATURAL_WIDTH  560
#define NATURAL_HEIGHT 200

typedef struct
{
  float x, y, width;
} InkPoint;

struct _MesoSignaturePad
{
  GtkWidget  parent_instance;

  GPtrArray *strokes;       /* GArray of InkPoint each; the last may be growing */
  gboolean   drawing;
  double     start_x, start_y;
  GtkWidget *buttons;       /* Undo and Clear, in the top right corner */
};

G_DEFINE_FINAL_TYPE (MesoSignaturePad, meso_signature_pad, GTK_TYPE_WIDGET)
G_DEFINE_QUARK (meso-signature-pad-error-quark, meso_signature_pad_error)

enum { PROP_0, PROP_EMPTY, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ state */

static void
update_state (MesoSignaturePad *self)
{
  gboolean empty = meso_signature_pad_is_empty (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signature-pad.undo", !empty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signature-pad.clear", !empty);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  empty
                                  /* Translators: what a screen reader says of the empty
                                   * signature pad; "Signed on paper" is the consent
                                   * dialog's check box */
                                  ? _("Not signed. Sign with a mouse, pen or finger, "
                                      "or use “Signed on paper”.")
                                  /* Translators: what a screen reader says of the pad once
                                   * something is drawn on it */
                                  : _("Signed on screen."),
                                  -1);
}

/* After a stroke ends, one is undone or all are cleared. */
static void
strokes_changed (MesoSignaturePad *self,
                 gboolean          was_empty)
{
  update_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (was_empty != meso_signature_pad_is_empty (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
begin_stroke (MesoSignaturePad *self,
              double            x,
              double            y,
              double            width)
{
  GArray *stroke = g_array_new (FALSE, FALSE, sizeof (InkPoint));
  InkPoint point = { x, y, width };

  g_array_append_val (stroke, point);
  g_ptr_array_add (self->strokes, stroke);
  self->drawing = TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
extend_stroke (MesoSignaturePad *self,
               double            x,
               double            y,
               double            width)
{
  GArray *stroke;
  InkPoint point = { x, y, width };
  const InkPoint *last;

  if (!self->drawing || self->strokes->len == 0)
    return;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  last = &g_array_index (stroke, InkPoint, stroke->len - 1);
  /* Less than half a pixel on: the same point, and only a wobble in the curve. */
  if (fabs (last->x - point.x) < 0.5 && fabs (last->y - point.y) < 0.5)
    return;
  g_array_append_val (stroke, point);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
end_stroke (MesoSignaturePad *self)
{
  if (!self->drawing)
    return;
  self->drawing = FALSE;
  strokes_changed (self, self->strokes->len == 1);
}

/* A press on the Undo or Clear button is theirs, not a stroke. */
static gboolean
on_pad (MesoSignaturePad *self,
        double            x,
        double            y)
{
  return gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT) == GTK_WIDGET (self);
}

/* ------------------------------------------------------------------ input */

/* A mouse or a finger. A pen's events carry its tool: they are the stylus
 * gesture's, so one stroke is never drawn twice. */
static void
on_drag_begin_cb (GtkGestureDrag   *gesture,
                  double            x,
                  double            y,
                  MesoSignaturePad *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  if ((event != NULL && gdk_event_get_device_tool (event) != NULL) || !on_pad (self, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->start_x = x;
  self->start_y = y;
  begin_stroke (self, x, y, INK_WIDTH);
}

static void
on_drag_update_cb (GtkGestureDrag   *gesture,
                   double            offset_x,
                   double            offset_y,
                   MesoSignaturePad *self)
{
  extend_stroke (self, self->start_x + offset_x, self->start_y + offset_y, INK_WIDTH);
}

static void
on_drag_end_cb (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                MesoSignaturePad *self)
{
  extend_stroke (self, self->start_x + offset_x, self->start_y + offset_y, INK_WIDTH);
  end_stroke (self);
}

static double
pen_width (GtkGestureStylus *gesture)
{
  double pressure;

  if (!gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return INK_WIDTH;
  pressure = CLAMP (pressure, 0.0, 1.0);
  return INK_WIDTH * (PRESSURE_MIN + (PRESSURE_MAX - PRESSURE_MIN) * pressure);
}

static void
on_stylus_down_cb (GtkGestureStylus *gesture,
                   double            x,
                   double            y,
                   MesoSignaturePad *self)
{
  if (!on_pad (self, x, y))
    return;
  begin_stroke (self, x, y, pen_width (gesture));
}

static void
on_stylus_motion_cb (GtkGestureStylus *gesture,
                     double            x,
                     double            y,
                     MesoSignaturePad *self)
{
  extend_stroke (self, x, y, pen_width (gesture));
}

static void
on_stylus_up_cb (GtkGestureStylus *gesture,
                 double            x,
                 double            y,
                 MesoSignaturePad *self)
{
  end_stroke (self);
}

/* ---------------------------------------------------------------- drawing */

/* Each stroke through the midpoints of its points, as quadratic curves: smooth
 * without a spline's overshoot. Each piece has its own point's width; round
 * caps join them. */
static void
draw_strokes (GPtrArray *strokes,
              cairo_t   *cr)
{
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint s = 0; s < strokes->len; s++)
    {
      GArray *stroke = g_ptr_array_index (strokes, s);
      const InkPoint *p = (const InkPoint *) (gpointer) stroke->data;
      double from_x = p[0].x, from_y = p[0].y;

      if (stroke->len == 1)
        {
          cairo_set_line_width (cr, p[0].width * 1.5);
          cairo_move_to (cr, from_x, from_y);
          cairo_line_to (cr, from_x, from_y);
          cairo_stroke (cr);
          continue;
        }

      for (guint i = 1; i < stroke->len; i++)
        {
          double to_x, to_y;

          cairo_set_line_width (cr, p[i].width);
          cairo_move_to (cr, from_x, from_y);
          if (i + 1 < stroke->len)
            {
              to_x = (p[i].x + p[i + 1].x) / 2;
              to_y = (p[i].y + p[i + 1].y) / 2;
              cairo_curve_to (cr, from_x + 2.0 / 3 * (p[i].x - from_x),
                              from_y + 2.0 / 3 * (p[i].y - from_y),
                              to_x + 2.0 / 3 * (p[i].x - to_x), to_y + 2.0 / 3 * (p[i].y - to_y),
                              to_x, to_y);
            }
          else
            {
              to_x = p[i].x;
              to_y = p[i].y;
              cairo_line_to (cr, to_x, to_y);
            }
          cairo_stroke (cr);
          from_x = to_x;
          from_y = to_y;
        }
    }
}

static void
meso_signature_pad_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double baseline = floor (height * BASELINE_RATIO) + 0.5;
  GdkRGBA ink, faint;

  /* The ink is the style's text colour, so it shows in light and dark. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &ink);
  faint = ink;
  faint.alpha *= 0.35;

  gtk_snapshot_append_color (snapshot, &faint,
                             &GRAPHENE_RECT_INIT (SIDE_MARGIN, baseline,
                                                  MAX (0, width - 2 * SIDE_MARGIN), 1));

  if (meso_signature_pad_is_empty (self))
    {
      /* Translators: the placeholder on the empty signature pad, above the line */
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, _("Sign here"));
      int text_height;

      faint.alpha = ink.alpha * 0.55;
      pango_layout_get_pixel_size (layout, NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (SIDE_MARGIN, baseline - text_height - 6));
      gtk_snapshot_append_layout (snapshot, layout, &faint);
      gtk_snapshot_restore (snapshot);
      g_object_unref (layout);
    }
  else
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (0, 0, width, height));

      gdk_cairo_set_source_rgba (cr, &ink);
      draw_strokes (self->strokes, cr);
      cairo_destroy (cr);
    }

  gtk_widget_snapshot_child (widget, self->buttons, snapshot);
}

static void
meso_signature_pad_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (widget);
  int child_min = 0, child_nat = 0;

  gtk_widget_measure (self->buttons, orientation, -1, &child_min, &child_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (MIN_WIDTH, child_min);
      *natural = MAX (NATURAL_WIDTH, child_nat);
    }
  else
    {
      *minimum = MAX (MIN_HEIGHT, child_min);
      *natural = MAX (NATURAL_HEIGHT, child_nat);
    }
}

static void
meso_signature_pad_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (widget);
  GtkRequisition natural;

  gtk_widget_get_preferred_size (self->buttons, NULL, &natural);
  gtk_widget_allocate (self->buttons, MIN (natural.width, width), MIN (natural.height, height),
                       -1, gsk_transform_translate (NULL,
                                                    &GRAPHENE_POINT_INIT (MAX (0, width -
                                                                               natural.width),
                                                                          0)));
}

/* ----------------------------------------------------------------- export */

/* The pad's area, and any stroke's part beyond it (drawn before the pad
 * shrank): the PNG keeps where on the line the patient signed. */
static void
drawn_area (MesoSignaturePad *self,
            double           *width,
            double           *height)
{
  *width = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)));
  *height = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)));
  for (guint s = 0; s < self->strokes->len; s++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, s);

      for (guint i = 0; i < stroke->len; i++)
        {
          const InkPoint *p = &g_array_index (stroke, InkPoint, i);

          *width = MAX (*width, p->x + p->width);
          *height = MAX (*height, p->y + p->width);
        }
    }
}

static gboolean
check_signed (MesoSignaturePad  *self,
              GError           **error)
{
  if (!meso_signature_pad_is_empty (self))
    return TRUE;
  g_set_error_literal (error, MESO_SIGNATURE_PAD_ERROR, MESO_SIGNATURE_PAD_ERROR_EMPTY,
                       /* Translators: saving an empty signature pad */
                       _("Nothing is signed yet."));
  return FALSE;
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
meso_signature_pad_to_png (MesoSignaturePad  *self,
                           int                width,
                           int                height,
                           GError           **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double area_width, area_height, scale;

  g_return_val_if_fail (MESO_IS_SIGNATURE_PAD (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_signed (self, error))
    return NULL;

  drawn_area (self, &area_width, &area_height);
  scale = MIN (width / area_width, height / area_height);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_translate (cr, (width - area_width * scale) / 2, (height - area_height * scale) / 2);
  cairo_scale (cr, scale, scale);
  /* Dark ink whatever the pad showed: the image goes on paper and into records. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_strokes (self->strokes, cr);
  cairo_destroy (cr);

  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, append_png_cb, png);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error_literal (error, MESO_SIGNATURE_PAD_ERROR, MESO_SIGNATURE_PAD_ERROR_FAILED,
                           /* Translators: the signature could not be turned into an image
                            * (out of memory, in practice) */
                           _("The signature could not be saved as an image."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

char *
meso_signature_pad_to_svg (MesoSignaturePad  *self,
                           GError           **error)
{
  GString *svg;
  double area_width, area_height;

  g_return_val_if_fail (MESO_IS_SIGNATURE_PAD (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_signed (self, error))
    return NULL;

  drawn_area (self, &area_width, &area_height);
  svg = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                          "viewBox=\"0 0 %.0f %.0f\" fill=\"none\" stroke=\"#000\" "
                          "stroke-linecap=\"round\" stroke-linejoin=\"round\">\n",
                          area_width, area_height);
  for (guint s = 0; s < self->strokes->len; s++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, s);
      const InkPoint *p = (const InkPoint *) (gpointer) stroke->data;
      double width = 0;
      char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint i = 0; i < stroke->len; i++)
        width += p[i].width / stroke->len;
      g_string_append_printf (svg, "  <path stroke-width=\"%s\" d=\"M%s %s",
                              g_ascii_formatd (w, sizeof w, "%.2f", width),
                              g_ascii_formatd (x, sizeof x, "%.1f", p[0].x),
                              g_ascii_formatd (y, sizeof y, "%.1f", p[0].y));
      /* The same midpoint curves as on screen; a lone point, a dot. */
      for (guint i = 1; i < stroke->len || i == 1; i++)
        {
          const InkPoint *to = i < stroke->len ? &p[i] : &p[0];

          if (i + 1 < stroke->len)
            {
              char mx[G_ASCII_DTOSTR_BUF_SIZE], my[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append_printf (svg, " Q%s %s %s %s",
                                      g_ascii_formatd (x, sizeof x, "%.1f", to->x),
                                      g_ascii_formatd (y, sizeof y, "%.1f", to->y),
                                      g_ascii_formatd (mx, sizeof mx, "%.1f",
                                                       (to->x + p[i + 1].x) / 2),
                                      g_ascii_formatd (my, sizeof my, "%.1f",
                                                       (to->y + p[i + 1].y) / 2));
            }
          else
            g_string_append_printf (svg, " L%s %s",
                                    g_ascii_formatd (x, sizeof x, "%.1f", to->x),
                                    g_ascii_formatd (y, sizeof y, "%.1f", to->y));
        }
      g_string_append (svg, "\"/>\n");
    }
  g_string_append (svg, "</svg>\n");
  return g_string_free (svg, FALSE);
}

/* ---------------------------------------------------------------- public */

gboolean
meso_signature_pad_is_empty (MesoSignaturePad *self)
{
  g_return_val_if_fail (MESO_IS_SIGNATURE_PAD (self), TRUE);

  return self->strokes->len == 0;
}

guint
meso_signature_pad_get_n_strokes (MesoSignaturePad *self)
{
  g_return_val_if_fail (MESO_IS_SIGNATURE_PAD (self), 0);

  return self->strokes->len;
}

void
meso_signature_pad_clear (MesoSignaturePad *self)
{
  g_return_if_fail (MESO_IS_SIGNATURE_PAD (self));

  if (self->strokes->len == 0)
    return;
  self->drawing = FALSE;
  g_ptr_array_set_size (self->strokes, 0);
  strokes_changed (self, FALSE);
}

void
meso_signature_pad_undo (MesoSignaturePad *self)
{
  g_return_if_fail (MESO_IS_SIGNATURE_PAD (self));

  if (self->strokes->len == 0)
    return;
  self->drawing = FALSE;
  g_ptr_array_remove_index (self->strokes, self->strokes->len - 1);
  strokes_changed (self, FALSE);
}

GtkWidget *
meso_signature_pad_new (void)
{
  return g_object_new (MESO_TYPE_SIGNATURE_PAD, NULL);
}

static void
pad_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  if (g_str_equal (action_name, "signature-pad.undo"))
    meso_signature_pad_undo (MESO_SIGNATURE_PAD (widget));
  else
    meso_signature_pad_clear (MESO_SIGNATURE_PAD (widget));
}

static void
meso_signature_pad_init (MesoSignaturePad *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *stylus = gtk_gesture_stylus_new ();

  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");

  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_margin_top (self->buttons, 4);
  gtk_widget_set_margin_end (self->buttons, 4);
  gtk_box_append (GTK_BOX (self->buttons),
                  /* Translators: a button on the signature pad; Ctrl+Z does it too */
                  meso_icon_button_new ("edit-undo-symbolic", "signature-pad.undo",
                                        _("Undo Last Stroke")));
  gtk_box_append (GTK_BOX (self->buttons),
                  /* Translators: a button on the signature pad that wipes it */
                  meso_icon_button_new ("edit-clear-all-symbolic", "signature-pad.clear",
                                        _("Clear Signature")));
  gtk_widget_set_parent (self->buttons, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (stylus, "down", G_CALLBACK (on_stylus_down_cb), self);
  g_signal_connect (stylus, "motion", G_CALLBACK (on_stylus_motion_cb), self);
  g_signal_connect (stylus, "up", G_CALLBACK (on_stylus_up_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (stylus));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: the signature pad's name for a screen
                                   * reader */
                                  _("Signature"), -1);
  update_state (self);
}

static void
meso_signature_pad_dispose (GObject *object)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (object);

  g_clear_pointer (&self->buttons, gtk_widget_unparent);

  G_OBJECT_CLASS (meso_signature_pad_parent_class)->dispose (object);
}

static void
meso_signature_pad_finalize (GObject *object)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (object);

  g_ptr_array_unref (self->strokes);

  G_OBJECT_CLASS (meso_signature_pad_parent_class)->finalize (object);
}

static void
meso_signature_pad_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MesoSignaturePad *self = MESO_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_EMPTY:
      g_value_set_boolean (value, meso_signature_pad_is_empty (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_signature_pad_class_init (MesoSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_signature_pad_dispose;
  object_class->finalize = meso_signature_pad_finalize;
  object_class->get_property = meso_signature_pad_get_property;

  widget_class->snapshot = meso_signature_pad_snapshot;
  widget_class->measure = meso_signature_pad_measure;
  widget_class->size_allocate = meso_signature_pad_size_allocate;

  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each finished stroke, an undo and a clear. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "signature-pad.undo", NULL, pad_action_cb);
  gtk_widget_class_install_action (widget_class, "signature-pad.clear", NULL, pad_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "signature-pad.undo", NULL);

  gtk_widget_class_set_css_name (widget_class, "signaturepad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}
