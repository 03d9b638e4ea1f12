/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two photos of a treated area compared (issue 18, item 4): side by side, or
 * one over the other with a divider the person drags; zoomed and panned
 * together, so the same spot of skin stays under the same point of both;
 * printed as shown. It knows no store: the caller gives the images and
 * their captions ("Before · 12 March 2026"). */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  MESO_PHOTO_COMPARE_SIDE_BY_SIDE,
  MESO_PHOTO_COMPARE_SLIDER,
} MesoPhotoCompareMode;

#define MESO_TYPE_PHOTO_COMPARE_MODE (meso_photo_compare_mode_get_type ())
GType meso_photo_compare_mode_get_type (void);

#define MESO_PHOTO_COMPARE_MIN_ZOOM 1.0
#define MESO_PHOTO_COMPARE_MAX_ZOOM 8.0

#define MESO_TYPE_PHOTO_COMPARE (meso_photo_compare_get_type ())
G_DECLARE_FINAL_TYPE (MesoPhotoCompare, meso_photo_compare, MESO, PHOTO_COMPARE, GtkWidget)

GtkWidget           *meso_photo_compare_new          (void);
void                 meso_photo_compare_set_images   (MesoPhotoCompare     *self,
                                                      GdkTexture           *before,
                                                      GdkTexture           *after);
void                 meso_photo_compare_set_captions (MesoPhotoCompare     *self,
                                                      const char           *before,
                                                      const char           *after);
MesoPhotoCompareMode meso_photo_compare_get_mode     (MesoPhotoCompare     *self);
void                 meso_photo_compare_set_mode     (MesoPhotoCompare     *self,
                                                      MesoPhotoCompareMode  mode);
/* Where the divider is, from 0 (all "after") to 1 (all "before"). */
double               meso_photo_compare_get_divider  (MesoPhotoCompare     *self);
void                 meso_photo_compare_set_divider  (MesoPhotoCompare     *self,
                                                      double                position);
double               meso_photo_compare_get_zoom     (MesoPhotoCompare     *self);
/* Zooms to @zoom keeping the photos' spot under (@x, @y), in the widget's
 * coordinates, where it is. */
void                 meso_photo_compare_zoom_at      (MesoPhotoCompare     *self,
                                                      double                zoom,
                                                      double                x,
                                                      double                y);
/* Moves both photos by (@dx, @dy) pixels, as far as they reach. */
void                 meso_photo_compare_pan          (MesoPhotoCompare     *self,
                                                      double                dx,
                                                      double                dy);
/* Draws the comparison as it is shown (mode, zoom, divider) on @cr, in a
 * @width × @height area, captions included: for printing. */
void                 meso_photo_compare_draw         (MesoPhotoCompare     *self,
                                                      cairo_t              *cr,
                                                      double                width,
                                                      double                height);
GtkPrintOperation   *meso_photo_compare_new_print_operation (MesoPhotoCompare *self);
/* The print dialog, over @parent; a failure is said in a message. */
void                 meso_photo_compare_print        (MesoPhotoCompare     *self,
                                                      GtkWindow            *parent);

G_END_DECLS
