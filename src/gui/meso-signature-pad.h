/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pad a patient signs a consent on (issue 18, item 3): drawn with a
 * mouse, a pen or a finger, kept as strokes of points, given back as a PNG
 * or an SVG with dark ink. It knows no store: the consent dialog saves what
 * it hands out. Keyboard users cannot draw: that dialog's "Signed on paper"
 * is their way. */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MESO_SIGNATURE_PAD_ERROR (meso_signature_pad_error_quark ())

typedef enum
{
  MESO_SIGNATURE_PAD_ERROR_EMPTY,   /* nothing is signed */
  MESO_SIGNATURE_PAD_ERROR_FAILED,  /* the image could not be made */
} MesoSignaturePadError;

GQuark meso_signature_pad_error_quark (void);

#define MESO_TYPE_SIGNATURE_PAD (meso_signature_pad_get_type ())
G_DECLARE_FINAL_TYPE (MesoSignaturePad, meso_signature_pad, MESO, SIGNATURE_PAD, GtkWidget)

GtkWidget *meso_signature_pad_new          (void);
gboolean   meso_signature_pad_is_empty     (MesoSignaturePad *self);
guint      meso_signature_pad_get_n_strokes (MesoSignaturePad *self);
void       meso_signature_pad_clear        (MesoSignaturePad *self);
void       meso_signature_pad_undo         (MesoSignaturePad *self);
/* The signature as a PNG of @width × @height pixels: black ink on
 * transparent, the pad's area fitted in, its proportions kept. */
GBytes    *meso_signature_pad_to_png       (MesoSignaturePad *self,
                                            int               width,
                                            int               height,
                                            GError          **error);
/* The same as an SVG document, each stroke one path in the pad's pixels. */
char      *meso_signature_pad_to_svg       (MesoSignaturePad *self,
                                            GError          **error);

G_END_DECLS
