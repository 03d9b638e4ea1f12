/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A patient's before/after photos on their page (issue 18, item 4): a grid
 * of thumbnails per area, read off the main thread a page at a time as they
 * come into sight; a photo opened large; two compared (MesoPhotoCompare);
 * image files added to a session from the file chooser or dropped, imported
 * in a worker thread (meso_photo_import_file()) with their progress. */

#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* Thumbnails read from the store at a time. */
#define MESO_PHOTO_GALLERY_PAGE_SIZE 48
/* The grid's columns at most. */
#define MESO_PHOTO_GALLERY_MAX_COLUMNS 5

#define MESO_TYPE_PHOTO_GALLERY (meso_photo_gallery_get_type ())
G_DECLARE_FINAL_TYPE (MesoPhotoGallery, meso_photo_gallery, MESO, PHOTO_GALLERY, AdwBin)

GtkWidget  *meso_photo_gallery_new          (void);
/* Reads patient @patient_id's photos from @store's database again (0: none). */
void        meso_photo_gallery_load         (MesoPhotoGallery *self,
                                             MesoStore        *store,
                                             gint64            patient_id);
/* The photos listed (after the area chosen), and those loaded. */
GListModel *meso_photo_gallery_get_model    (MesoPhotoGallery *self);
/* Shows only @area's photos (-1: every area). */
void        meso_photo_gallery_show_area    (MesoPhotoGallery *self,
                                             int               area);
/* The dialog that adds @files (GFile; NULL: chosen in it) to session
 * @session_id, of @area, their kind chosen there: the page's session rows'
 * "Add Photos…" and drops open it. */
GtkWindow  *meso_photo_gallery_add_photos   (MesoPhotoGallery *self,
                                             gint64            session_id,
                                             MesoArea          area,
                                             GListModel       *files);
/* Photo @position (of the model) opened large, in a window of its own. */
GtkWindow  *meso_photo_gallery_open         (MesoPhotoGallery *self,
                                             guint             position);
/* The two selected photos compared, in a window of its own; NULL unless
 * two are selected. */
GtkWindow  *meso_photo_gallery_compare      (MesoPhotoGallery *self);
/* @widget accepts image files dropped on it for session @session_id. */
void        meso_photo_gallery_accept_drops (MesoPhotoGallery *self,
                                             GtkWidget        *widget,
                                             gint64            session_id,
                                             MesoArea          area);

/* A photo in the gallery's model. */
#define MESO_TYPE_PHOTO_ITEM (meso_photo_item_get_type ())
G_DECLARE_FINAL_TYPE (MesoPhotoItem, meso_photo_item, MESO, PHOTO_ITEM, GObject)

const MesoPhoto *meso_photo_item_get_photo     (MesoPhotoItem *self);
/* NULL until read. */
GdkTexture      *meso_photo_item_get_thumbnail (MesoPhotoItem *self);

G_END_DECLS
