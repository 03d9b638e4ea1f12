/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-photo-gallery.h"

#include "meso-application.h"
#include "meso-photo-compare.h"
#include "meso-photo.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

/* ------------------------------------------------------------- the item */

struct _MesoPhotoItem
{
  GObject     parent_instance;

  MesoPhoto   photo;       /* without its thumbnail's bytes */
  guint       index;       /* in the patient's list, oldest first */
  GdkTexture *thumbnail;
};

enum { ITEM_PROP_0, ITEM_PROP_THUMBNAIL, ITEM_N_PROPS };
static GParamSpec *item_properties[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (MesoPhotoItem, meso_photo_item, G_TYPE_OBJECT)

static void
meso_photo_item_finalize (GObject *object)
{
  MesoPhotoItem *self = MESO_PHOTO_ITEM (object);

  g_free (self->photo.format);
  g_free (self->photo.added_by);
  g_clear_object (&self->thumbnail);
  G_OBJECT_CLASS (meso_photo_item_parent_class)->finalize (object);
}

static void
meso_photo_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MesoPhotoItem *self = MESO_PHOTO_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_photo_item_class_init (MesoPhotoItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_photo_item_finalize;
  object_class->get_property = meso_photo_item_get_property;
  item_properties[ITEM_PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
meso_photo_item_init (MesoPhotoItem *self)
{
}

static MesoPhotoItem *
meso_photo_item_new (const MesoPhoto *photo,
                     guint            index)
{
  MesoPhotoItem *self = g_object_new (MESO_TYPE_PHOTO_ITEM, NULL);

  self->photo = *photo;
  self->photo.format = g_strdup (photo->format);
  self->photo.added_by = g_strdup (photo->added_by);
  self->photo.thumbnail = NULL;
  self->index = index;
  return self;
}

const MesoPhoto *
meso_photo_item_get_photo (MesoPhotoItem *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_ITEM (self), NULL);
  return &self->photo;
}

GdkTexture *
meso_photo_item_get_thumbnail (MesoPhotoItem *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_ITEM (self), NULL);
  return self->thumbnail;
}

/* The day a photo was taken, as the locale writes it short. */
static char *
photo_day (const MesoPhoto *photo)
{
  g_autoptr(GDateTime) taken = meso_date_time_new_from_unix (photo->taken_at);
  GDate date;

  meso_date_from_date_time (taken, &date);
  return meso_format_date_short (&date);
}

/* "Before · 12.03.2026": a photo's caption, short enough for the
 * comparison at 360 pixels. */
static char *
photo_caption (const MesoPhoto *photo)
{
  g_autofree char *day = photo_day (photo);

  /* Translators: a photo's caption: its kind (Before, During, After) and the day taken */
  return g_strdup_printf (_("%s · %s"), meso_photo_kind_get_label (photo->kind), day);
}

/* ---------------------------------------------------------- the gallery */

/* A thumbnail's tile, square. */
#define TILE_SIZE 148
/* A tile with its two lines of caption. */
#define TILE_ROW (TILE_SIZE + 64)

struct _MesoPhotoGallery
{
  AdwBin              parent_instance;

  MesoWorkerStore    *worker;
  char               *database;
  gint64              patient_id;
  guint               generation;    /* of the list shown: older answers are dropped */
  GCancellable       *cancellable;   /* the list's and its thumbnails' reads */
  GHashTable         *pages;         /* thumbnail pages asked for */

  GListStore         *photos;        /* every photo of the patient */
  GtkFilterListModel *shown;         /* those of the area chosen */
  GtkCustomFilter    *filter;
  GtkMultiSelection  *selection;
  int                 area;          /* shown; -1 every area */

  GtkStack           *stack;
  GSimpleActionGroup *actions;       /* "gallery.area": the area shown */
  GtkMenuButton      *area_button;
  GtkWidget          *compare_button;
  GtkGridView        *grid;
  GtkScrolledWindow  *scroller;
  GtkLabel           *empty_label;
};

G_DEFINE_FINAL_TYPE (MesoPhotoGallery, meso_photo_gallery, ADW_TYPE_BIN)

/* ---- reading: the list, then thumbnails a page at a time */

typedef struct
{
  gint64 patient_id;
  guint  offset;
  guint  generation;
} ListRequest;

static void
collect_photo_cb (const MesoPhoto *photo,
                  gpointer         user_data)
{
  GPtrArray *items = user_data;

  g_ptr_array_add (items, meso_photo_item_new (photo, items->len));
}

static gpointer
list_photos_locked (MesoStore     *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ListRequest *request = data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Records only (500 photos are a few tens of kilobytes): the thumbnails
   * come as they are seen. */
  if (!meso_store_foreach_photo (store, request->patient_id, FALSE, collect_photo_cb, items,
                                 error))
    return NULL;
  return g_steal_pointer (&items);
}

static const char *
area_choice_label (int area)
{
  /* Translators: the choice of the photo grid's area that shows every area's photos */
  return area < 0 ? _("All Areas") : meso_area_get_label (area);
}

/* The area menu: every area and those the patient has photos of. A menu
 * rather than a drop-down, whose list would be one more GtkListView on the
 * patients' view. */
static void
refill_areas (MesoPhotoGallery *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  gboolean present[MESO_AREA_HANDS + 1] = { FALSE };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MesoPhotoItem) item = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (item->photo.area >= 0 && item->photo.area <= MESO_AREA_HANDS)
        present[item->photo.area] = TRUE;
    }
  for (int area = -1; area <= MESO_AREA_HANDS; area++)
    if (area < 0 || present[area])
      {
        g_autoptr(GMenuItem) entry = g_menu_item_new (area_choice_label (area), NULL);

        g_menu_item_set_action_and_target_value (entry, "gallery.area",
                                                 g_variant_new_int32 (area));
        g_menu_append_item (menu, entry);
      }
  gtk_menu_button_set_menu_model (self->area_button, G_MENU_MODEL (menu));
  if (self->area >= 0 && (self->area > MESO_AREA_HANDS || !present[self->area]))
    meso_photo_gallery_show_area (self, -1);
}

/* The thumbnails already read go over to @items, the same photos read
 * again (the page reloads after every change in the clinic): no tile goes
 * blank while its page is read again. */
static void
keep_thumbnails (MesoPhotoGallery *self,
                 GPtrArray        *items)
{
  g_autoptr(GHashTable) thumbnails = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      MesoPhotoItem *item = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (item->thumbnail != NULL)
        g_hash_table_insert (thumbnails, &item->photo.id, item->thumbnail);
      g_object_unref (item);  /* the store keeps it until the splice */
    }
  for (guint i = 0; i < items->len; i++)
    {
      MesoPhotoItem *item = g_ptr_array_index (items, i);
      GdkTexture *thumbnail = g_hash_table_lookup (thumbnails, &item->photo.id);

      if (thumbnail != NULL)
        item->thumbnail = g_object_ref (thumbnail);
    }
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MesoPhotoGallery *self = user_data;
  ListRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      request->generation != self->generation)
    return;
  if (items == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  keep_thumbnails (self, items);
  g_list_store_splice (self->photos, 0, g_list_model_get_n_items (G_LIST_MODEL (self->photos)),
                       items->pdata, items->len);
  refill_areas (self);
  /* Translators: shown in a patient's photos while there are none */
  gtk_label_set_text (self->empty_label, _("No photos yet. Add them to a session with its "
                                           "camera button, or drop image files on it."));
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "grid" : "empty");
  /* A row for a few photos; more scroll in two rows' height (GTK 4.8's grid
   * gives a scroller no natural height to follow). */
  gtk_scrolled_window_set_min_content_height (self->scroller, items->len > 4 ? 2 * TILE_ROW
                                                                             : TILE_ROW);
}

typedef struct
{
  gint64      id;
  GdkTexture *texture;
} Thumbnail;

static void
thumbnails_free (GArray *thumbnails)
{
  for (guint i = 0; i < thumbnails->len; i++)
    g_clear_object (&g_array_index (thumbnails, Thumbnail, i).texture);
  g_array_unref (thumbnails);
}

static gpointer
read_thumbnails_locked (MesoStore     *store,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  ListRequest *request = data;
  g_autoptr(GPtrArray) photos = NULL;
  GArray *thumbnails;

  photos = meso_store_list_photos (store, request->patient_id, request->offset,
                                   MESO_PHOTO_GALLERY_PAGE_SIZE, error);
  if (photos == NULL)
    return NULL;
  /* Decoded here too: a page's JPEGs would cost the main loop frames. */
  thumbnails = g_array_sized_new (FALSE, TRUE, sizeof (Thumbnail), photos->len);
  for (guint i = 0; i < photos->len; i++)
    {
      const MesoPhoto *photo = g_ptr_array_index (photos, i);
      Thumbnail thumbnail = { photo->id, NULL };

      if (photo->thumbnail != NULL)
        thumbnail.texture = gdk_texture_new_from_bytes (photo->thumbnail, NULL);
      g_array_append_val (thumbnails, thumbnail);
    }
  return thumbnails;
}

static void
thumbnails_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MesoPhotoGallery *self = user_data;
  ListRequest *request = g_task_get_task_data (G_TASK (result));
  GArray *thumbnails;
  g_autoptr(GError) error = NULL;

  thumbnails = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      request->generation != self->generation)
    {
      if (thumbnails != NULL)
        thumbnails_free (thumbnails);
      return;
    }
  if (thumbnails == NULL)
    {
      /* Asked again when next in sight. */
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (request->offset));
      g_warning ("Photo thumbnails not read: %s", error->message);
      return;
    }
  for (guint i = 0; i < thumbnails->len; i++)
    {
      Thumbnail *thumbnail = &g_array_index (thumbnails, Thumbnail, i);
      g_autoptr(MesoPhotoItem) item = g_list_model_get_item (G_LIST_MODEL (self->photos),
                                                             request->offset + i);

      if (item == NULL || item->photo.id != thumbnail->id)
        continue;
      g_set_object (&item->thumbnail, thumbnail->texture);
      g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_THUMBNAIL]);
    }
  thumbnails_free (thumbnails);
}

static void
want_thumbnail (MesoPhotoGallery *self,
                MesoPhotoItem    *item)
{
  g_autoptr(GTask) task = NULL;
  ListRequest *request;
  guint offset = item->index - item->index % MESO_PHOTO_GALLERY_PAGE_SIZE;

  if (item->thumbnail != NULL || self->worker == NULL ||
      !g_hash_table_add (self->pages, GUINT_TO_POINTER (offset)))
    return;
  request = g_new0 (ListRequest, 1);
  request->patient_id = self->patient_id;
  request->offset = offset;
  request->generation = self->generation;
  task = g_task_new (NULL, self->cancellable, thumbnails_done_cb, self);
  g_task_set_source_tag (task, want_thumbnail);
  g_task_set_task_data (task, request, g_free);
  meso_worker_store_run_in_thread (self->worker, task, read_thumbnails_locked,
                                   (GDestroyNotify)thumbnails_free);
}

void
meso_photo_gallery_load (MesoPhotoGallery *self,
                         MesoStore        *store,
                         gint64            patient_id)
{
  g_autoptr(GTask) task = NULL;
  const char *database;
  ListRequest *request;

  g_return_if_fail (MESO_IS_PHOTO_GALLERY (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->pages);
  database = store != NULL ? meso_store_get_path (store) : NULL;
  if (g_strcmp0 (database, self->database) != 0)
    {
      g_clear_pointer (&self->worker, meso_worker_store_unref);
      g_free (self->database);
      self->database = g_strdup (database);
      if (database != NULL)
        self->worker = meso_worker_store_new (database);
    }
  if (patient_id != self->patient_id)
    {
      self->area = -1;
      g_list_store_remove_all (self->photos);
    }
  self->patient_id = patient_id;
  if (self->worker == NULL || patient_id <= 0)
    {
      g_list_store_remove_all (self->photos);
      return;
    }

  self->cancellable = g_cancellable_new ();
  request = g_new0 (ListRequest, 1);
  request->patient_id = patient_id;
  request->generation = self->generation;
  task = g_task_new (NULL, self->cancellable, list_done_cb, self);
  g_task_set_source_tag (task, meso_photo_gallery_load);
  g_task_set_task_data (task, request, g_free);
  meso_worker_store_run_in_thread (self->worker, task, list_photos_locked,
                                   (GDestroyNotify)g_ptr_array_unref);
}

GListModel *
meso_photo_gallery_get_model (MesoPhotoGallery *self)
{
  g_return_val_if_fail (MESO_IS_PHOTO_GALLERY (self), NULL);
  return G_LIST_MODEL (self->selection);
}

/* ---- the grid */

static gboolean
photo_in_area_cb (gpointer item,
                  gpointer user_data)
{
  MesoPhotoGallery *self = user_data;

  return self->area < 0 || (int)MESO_PHOTO_ITEM (item)->photo.area == self->area;
}

void
meso_photo_gallery_show_area (MesoPhotoGallery *self,
                              int               area)
{
  g_return_if_fail (MESO_IS_PHOTO_GALLERY (self));

  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "area",
                                      g_variant_new_int32 (area));
}

static void
area_chosen_cb (GSimpleAction *action,
                GVariant      *state,
                gpointer       user_data)
{
  MesoPhotoGallery *self = user_data;

  g_simple_action_set_state (action, state);
  self->area = g_variant_get_int32 (state);
  gtk_menu_button_set_label (self->area_button, area_choice_label (self->area));
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_selection_changed_cb (MesoPhotoGallery *self)
{
  g_autoptr(GtkBitset) selected =
    gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  gtk_widget_set_sensitive (self->compare_button, gtk_bitset_get_size (selected) == 2);
}


static void
on_tile_toggled_cb (GtkCheckButton *check,
                    GtkListItem    *list_item)
{
  MesoPhotoGallery *self = g_object_get_data (G_OBJECT (check), "meso-gallery");
  guint position = gtk_list_item_get_position (list_item);

  if (position == GTK_INVALID_LIST_POSITION ||
      gtk_check_button_get_active (check) == gtk_list_item_get_selected (list_item))
    return;
  if (gtk_check_button_get_active (check))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
  else
    gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (self->selection), position);
}

static void
on_tile_selected_cb (GtkListItem *list_item)
{
  GtkWidget *overlay = gtk_list_item_get_child (list_item);
  GtkWidget *check = g_object_get_data (G_OBJECT (overlay), "meso-check");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), gtk_list_item_get_selected (list_item));
}

static void
setup_tile_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               MesoPhotoGallery         *self)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *caption = gtk_label_new (NULL);
  GtkWidget *when = gtk_label_new (NULL);
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_size_request (picture, TILE_SIZE, TILE_SIZE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (picture, "meso-photo-tile");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (when), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (caption), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (when), 16);
  gtk_widget_add_css_class (caption, "heading");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), when);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), box);

  gtk_widget_set_halign (check, GTK_ALIGN_START);
  gtk_widget_set_valign (check, GTK_ALIGN_START);
  gtk_widget_set_margin_start (check, 4);
  gtk_widget_set_margin_top (check, 4);
  gtk_widget_add_css_class (check, "meso-photo-check");
  /* Translators: what a screen reader calls the check box that picks a photo to compare */
  gtk_widget_set_tooltip_text (check, _("Choose to Compare"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose to Compare"), -1);
  g_object_set_data (G_OBJECT (check), "meso-gallery", self);
  g_signal_connect (check, "toggled", G_CALLBACK (on_tile_toggled_cb), list_item);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), check);

  g_object_set_data (G_OBJECT (overlay), "meso-picture", picture);
  g_object_set_data (G_OBJECT (overlay), "meso-caption", caption);
  g_object_set_data (G_OBJECT (overlay), "meso-when", when);
  g_object_set_data (G_OBJECT (overlay), "meso-check", check);
  gtk_list_item_set_child (list_item, overlay);
  g_signal_connect (list_item, "notify::selected", G_CALLBACK (on_tile_selected_cb), NULL);
}

static void
on_thumbnail_cb (MesoPhotoItem *item,
                 GParamSpec    *pspec,
                 GtkPicture    *picture)
{
  gtk_picture_set_paintable (picture, GDK_PAINTABLE (item->thumbnail));
}

static void
bind_tile_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              MesoPhotoGallery         *self)
{
  MesoPhotoItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *overlay = gtk_list_item_get_child (list_item);
  GtkWidget *picture = g_object_get_data (G_OBJECT (overlay), "meso-picture");
  g_autofree char *day = photo_day (&item->photo);
  g_autofree char *caption = NULL;
  g_autofree char *name = photo_caption (&item->photo);

  /* Translators: under a photo's thumbnail: its kind (Before, During, After) and the area */
  caption = g_strdup_printf (_("%s · %s"), meso_photo_kind_get_label (item->photo.kind),
                             meso_area_get_label (item->photo.area));
  gtk_label_set_text (g_object_get_data (G_OBJECT (overlay), "meso-caption"), caption);
  gtk_label_set_text (g_object_get_data (G_OBJECT (overlay), "meso-when"), day);
  {
    /* Each check box names its photo: a screen reader's list of them is
     * not a column of the same words. */
    /* Translators: what a screen reader calls a photo's check box; the first %s is
     * its kind and area (“Before · Face”), the second the day it was taken */
    g_autofree char *choose = g_strdup_printf (_("Choose to Compare: %s, %s"), caption, day);

    gtk_accessible_update_property (GTK_ACCESSIBLE (g_object_get_data (G_OBJECT (overlay),
                                                                       "meso-check")),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, choose, -1);
  }
  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (item->thumbnail));
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  g_signal_connect_object (item, "notify::thumbnail", G_CALLBACK (on_thumbnail_cb), picture, 0);
  on_tile_selected_cb (list_item);
  want_thumbnail (self, item);
}

static void
unbind_tile_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                MesoPhotoGallery         *self)
{
  MesoPhotoItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *overlay = gtk_list_item_get_child (list_item);
  GtkWidget *picture = g_object_get_data (G_OBJECT (overlay), "meso-picture");

  g_signal_handlers_disconnect_by_func (item, on_thumbnail_cb, picture);
  gtk_picture_set_paintable (GTK_PICTURE (picture), NULL);
}

static void
on_activate_cb (GtkGridView      *grid,
                guint             position,
                MesoPhotoGallery *self)
{
  meso_photo_gallery_open (self, position);
}

/* ---- a photo, or two, in a window of their own */

typedef struct
{
  gint64 ids[2];
  guint  n;
} ImagesRequest;

static void
textures_free (GPtrArray *textures)
{
  g_ptr_array_unref (textures);
}

static gpointer
load_images_locked (MesoStore     *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ImagesRequest *request = data;
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < request->n; i++)
    {
      g_autoptr(GBytes) image = meso_store_load_photo (store, request->ids[i], NULL, error);
      GdkTexture *texture;

      if (image == NULL || (texture = gdk_texture_new_from_bytes (image, error)) == NULL)
        return NULL;
      g_ptr_array_add (textures, texture);
    }
  return g_steal_pointer (&textures);
}

/* Puts the images read into @window's "ready" page. */
typedef void (*ImagesShowFunc) (GtkWindow *window,
                                GPtrArray *textures);

/* A loading page, then @ready or a message. */
static GtkWidget *
loading_stack_new (GtkWidget *ready)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *failed = adw_status_page_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (failed), "dialog-warning-symbolic");
  /* Translators: heading shown where a photo could not be read */
  adw_status_page_set_title (ADW_STATUS_PAGE (failed), _("The Photo Cannot Be Shown"));
  gtk_stack_add_named (GTK_STACK (stack), spinner, "loading");
  gtk_stack_add_named (GTK_STACK (stack), ready, "ready");
  gtk_stack_add_named (GTK_STACK (stack), failed, "failed");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "loading");
  return stack;
}

static GtkStack *
window_stack (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "meso-stack");
}

static void
show_failure (GtkWindow *window,
              GError    *error)
{
  GtkStack *stack = window_stack (window);

  adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (stack,
                                                                                 "failed")),
                                   error->message);
  gtk_stack_set_visible_child_name (stack, "failed");
}

static void
images_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GtkWindow *window = user_data;
  ImagesShowFunc show = g_task_get_source_tag (G_TASK (result));
  g_autoptr(GPtrArray) textures = NULL;
  g_autoptr(GError) error = NULL;

  textures = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (textures == NULL)
    {
      show_failure (window, error);
      return;
    }
  show (window, textures);
  gtk_stack_set_visible_child_name (window_stack (window), "ready");
}

/* The images of @ids read in a worker, then handed to @show on @window,
 * unless the window was closed meanwhile. */
static void
load_images (MesoPhotoGallery *self,
             GtkWindow        *window,
             const gint64     *ids,
             guint             n,
             ImagesShowFunc    show)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ImagesRequest *request = g_new0 (ImagesRequest, 1);

  request->n = n;
  for (guint i = 0; i < n; i++)
    request->ids[i] = ids[i];
  g_signal_connect_object (window, "destroy", G_CALLBACK (g_cancellable_cancel), cancellable,
                           G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (window), "meso-cancellable", g_object_ref (cancellable),
                          g_object_unref);
  task = g_task_new (NULL, cancellable, images_done_cb, window);
  /* The source tag carries what shows the images. */
  g_task_set_source_tag (task, show);
  g_task_set_task_data (task, request, g_free);
  meso_worker_store_run_in_thread (self->worker, task, load_images_locked,
                                   (GDestroyNotify)textures_free);
}

static GtkWindow *
photo_window_new (MesoPhotoGallery *self,
                  const char       *title,
                  GtkWidget        *content)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title_label = adw_window_title_new (title, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title_label);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (window),
                                  gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  return GTK_WINDOW (window);
}

static void
show_photo (GtkWindow *window,
            GPtrArray *textures)
{
  gtk_picture_set_paintable (GTK_PICTURE (gtk_stack_get_child_by_name (window_stack (window),
                                                                       "ready")),
                             g_ptr_array_index (textures, 0));
}

GtkWindow *
meso_photo_gallery_open (MesoPhotoGallery *self,
                         guint             position)
{
  g_autoptr(MesoPhotoItem) item = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *stack;
  GtkWindow *window;

  g_return_val_if_fail (MESO_IS_PHOTO_GALLERY (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (item == NULL || self->worker == NULL)
    {
      g_object_unref (g_object_ref_sink (picture));
      return NULL;
    }
  caption = photo_caption (&item->photo);
  /* Translators: title of the window showing one photo: its caption and the area */
  title = g_strdup_printf (_("%s · %s"), caption, meso_area_get_label (item->photo.area));
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), title);
  stack = loading_stack_new (picture);
  window = photo_window_new (self, title, stack);
  g_object_set_data (G_OBJECT (window), "meso-stack", stack);
  load_images (self, window, &item->photo.id, 1, show_photo);
  gtk_window_present (window);
  return window;
}

static void
show_comparison (GtkWindow *window,
                 GPtrArray *textures)
{
  meso_photo_compare_set_images (g_object_get_data (G_OBJECT (window), "meso-compare"),
                                 g_ptr_array_index (textures, 0),
                                 g_ptr_array_index (textures, 1));
}

static int
kind_rank (MesoPhotoKind kind)
{
  return kind == MESO_PHOTO_KIND_BEFORE ? 0 : kind == MESO_PHOTO_KIND_DURING ? 1 : 2;
}

/* The earlier photo first; of one session's, before, during, after. */
static gboolean
photo_comes_first (const MesoPhoto *a,
                   const MesoPhoto *b)
{
  if (a->taken_at != b->taken_at)
    return a->taken_at < b->taken_at;
  if (a->kind != b->kind)
    return kind_rank (a->kind) < kind_rank (b->kind);
  return a->id < b->id;
}

GtkWindow *
meso_photo_gallery_compare (MesoPhotoGallery *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(MesoPhotoItem) first = NULL;
  g_autoptr(MesoPhotoItem) second = NULL;
  g_autofree char *first_caption = NULL;
  g_autofree char *second_caption = NULL;
  GtkWidget *compare, *stack;
  GtkWindow *window;
  gint64 ids[2];

  g_return_val_if_fail (MESO_IS_PHOTO_GALLERY (self), NULL);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (selected) != 2 || self->worker == NULL)
    return NULL;
  first = g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));
  second = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                  gtk_bitset_get_nth (selected, 1));
  if (!photo_comes_first (&first->photo, &second->photo))
    {
      MesoPhotoItem *swap = first;

      first = second;
      second = swap;
    }
  first_caption = photo_caption (&first->photo);
  second_caption = photo_caption (&second->photo);

  compare = meso_photo_compare_new ();
  meso_photo_compare_set_captions (MESO_PHOTO_COMPARE (compare), first_caption, second_caption);
  gtk_widget_set_vexpand (compare, TRUE);

  /* The comparison brings its own modes, zoom and Print. */
  stack = loading_stack_new (compare);
  /* Translators: title of the window comparing two photos */
  window = photo_window_new (self, _("Compare Photos"), stack);
  g_object_set_data (G_OBJECT (window), "meso-stack", stack);
  g_object_set_data (G_OBJECT (window), "meso-compare", compare);
  ids[0] = first->photo.id;
  ids[1] = second->photo.id;
  load_images (self, window, ids, 2, show_comparison);
  gtk_window_present (window);
  return window;
}

static void
on_compare_clicked_cb (MesoPhotoGallery *self)
{
  meso_photo_gallery_compare (self);
}

/* ---- adding photos */

typedef struct
{
  MesoPhotoGallery *gallery;     /* weak */
  GtkWindow        *dialog;
  gint64            session_id;
  GPtrArray        *files;       /* GFile */
  guint             next;        /* the file being imported */
  guint             added;
  GString          *errors;
  GCancellable     *cancellable;
  AdwComboRow      *kind_row;
  AdwComboRow      *area_row;
  AdwActionRow     *files_row;
  GtkProgressBar   *progress;
  GtkLabel         *errors_label;
  GtkWidget        *add_button;
  GtkWidget        *choose_button;
  GtkButton        *cancel_button;
  gboolean          importing;
} Adding;

static void
adding_free (Adding *adding)
{
  g_cancellable_cancel (adding->cancellable);
  g_clear_object (&adding->cancellable);
  g_clear_weak_pointer (&adding->gallery);
  g_ptr_array_unref (adding->files);
  g_string_free (adding->errors, TRUE);
  g_free (adding);
}

static void
adding_show_files (Adding *adding)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *title = NULL;

  for (guint i = 0; i < adding->files->len; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (adding->files, i));

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, name);
    }
  adw_action_row_set_subtitle (adding->files_row, names->str);
  if (adding->files->len == 0)
    /* Translators: the Add Photos dialog's row before any file is chosen */
    title = g_strdup (_("No files chosen"));
  else
    /* Translators: the number of image files chosen to add as photos */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files",
                                          adding->files->len), adding->files->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (adding->files_row), title);
  gtk_widget_set_sensitive (adding->add_button, adding->files->len > 0 && !adding->importing);
}

static void
adding_take_files (Adding     *adding,
                   GListModel *files)
{
  for (guint i = 0; files != NULL && i < g_list_model_get_n_items (files); i++)
    g_ptr_array_add (adding->files, g_list_model_get_item (files, i));
  adding_show_files (adding);
}

typedef struct
{
  GFile        *file;
  gint64        session_id;
  MesoPhotoKind kind;
  int           area;
} ImportRequest;

static void
import_request_free (ImportRequest *request)
{
  g_object_unref (request->file);
  g_free (request);
}

static gpointer
import_photo_locked (MesoStore     *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  ImportRequest *request = data;
  g_autoptr(MesoPhotoImage) image = NULL;

  /* Decoded, turned upright and written anew here: a 12-megapixel photo
   * takes most of a second, which the window must not wait for. */
  image = meso_photo_import_file (request->file, cancellable, error);
  if (image == NULL)
    return NULL;
  return meso_store_add_photo (store, request->session_id, request->kind, request->area, image,
                               error);
}

static void import_next (Adding *adding);

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Adding *adding = user_data;
  g_autoptr(MesoPhoto) photo = NULL;
  g_autoptr(GError) error = NULL;

  photo = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (photo != NULL)
    adding->added++;
  else
    {
      /* The import's message names the file. */
      g_string_append (adding->errors, error->message);
      g_string_append_c (adding->errors, '\n');
    }
  adding->next++;
  import_next (adding);
}

static void
import_finished (Adding *adding)
{
  GtkRoot *root = gtk_window_get_transient_for (adding->dialog) != NULL
                    ? GTK_ROOT (gtk_window_get_transient_for (adding->dialog)) : NULL;
  GApplication *app = g_application_get_default ();

  adding->importing = FALSE;
  if (adding->added > 0 && MESO_IS_APPLICATION (app))
    meso_application_store_changed (MESO_APPLICATION (app));
  if (adding->errors->len == 0)
    {
      if (MESO_IS_WINDOW (root))
        {
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                /* Translators: a toast */
                                                                "%u photo added",
                                                                "%u photos added",
                                                                adding->added),
                                                   adding->added);

          meso_window_add_toast (MESO_WINDOW (root), adw_toast_new (text));
        }
      gtk_window_destroy (adding->dialog);
      return;
    }
  /* The others were added; the dialog stays to say which were not. */
  g_string_truncate (adding->errors, adding->errors->len - 1);
  gtk_label_set_text (adding->errors_label, adding->errors->str);
  gtk_widget_set_visible (GTK_WIDGET (adding->errors_label), TRUE);
  {
    /* Translators: after adding photos, when some files failed; their names and
     * why follow */
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u photo added; these files were not:",
                                                          "%u photos added; these files were not:",
                                                          adding->added),
                                             adding->added);

    gtk_progress_bar_set_text (adding->progress, text);
  }
  gtk_progress_bar_set_fraction (adding->progress, 1.0);
  /* Translators: the Add Photos dialog's Cancel once the photos were added */
  gtk_button_set_label (adding->cancel_button, _("_Close"));
  g_ptr_array_set_size (adding->files, 0);
  adding_show_files (adding);
  gtk_widget_set_sensitive (adding->choose_button, TRUE);
}

static void
import_next (Adding *adding)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  ImportRequest *request;
  guint area_index = adw_combo_row_get_selected (adding->area_row);

  if (adding->next >= adding->files->len || adding->gallery == NULL ||
      adding->gallery->worker == NULL)
    {
      import_finished (adding);
      return;
    }
  /* Translators: progress while photos are added: the one being added, of how many */
  text = g_strdup_printf (_("Adding photo %u of %u…"), adding->next + 1, adding->files->len);
  gtk_progress_bar_set_text (adding->progress, text);
  gtk_progress_bar_set_fraction (adding->progress, (double)adding->next / adding->files->len);

  request = g_new0 (ImportRequest, 1);
  request->file = g_object_ref (g_ptr_array_index (adding->files, adding->next));
  request->session_id = adding->session_id;
  request->kind = adw_combo_row_get_selected (adding->kind_row);
  request->area = area_index <= MESO_AREA_HANDS ? (int)area_index : MESO_PHOTO_AREA_OF_SESSION;
  task = g_task_new (NULL, adding->cancellable, import_done_cb, adding);
  g_task_set_source_tag (task, import_next);
  g_task_set_task_data (task, request, (GDestroyNotify)import_request_free);
  meso_worker_store_run_in_thread (adding->gallery->worker, task, import_photo_locked,
                                   (GDestroyNotify)meso_photo_free);
}

static void
on_add_clicked_cb (GtkButton *button,
                   Adding    *adding)
{
  if (adding->importing || adding->files->len == 0)
    return;
  adding->importing = TRUE;
  adding->next = 0;
  adding->added = 0;
  g_string_truncate (adding->errors, 0);
  gtk_widget_set_visible (GTK_WIDGET (adding->errors_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (adding->progress), TRUE);
  gtk_widget_set_sensitive (adding->add_button, FALSE);
  gtk_widget_set_sensitive (adding->choose_button, FALSE);
  import_next (adding);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        Adding          *adding)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      adding_take_files (adding, files);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_choose_clicked_cb (GtkButton *button,
                      Adding    *adding)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (/* Translators: title of the file chooser of photos */
                                         _("Choose Photos"), adding->dialog,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         /* Translators: the photos file chooser's button */
                                         _("_Choose"), NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  /* Translators: the file type in the photos' file chooser */
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), adding);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_dialog_drop_cb (GtkDropTarget *target,
                   const GValue  *value,
                   double         x,
                   double         y,
                   Adding        *adding)
{
  GSList *files = g_value_get_boxed (value);

  if (adding->importing)
    return FALSE;
  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (adding->files, g_object_ref (l->data));
  adding_show_files (adding);
  return TRUE;
}

static GtkStringList *
enum_labels (guint         n,
             const char *(*label) (int value))
{
  GtkStringList *labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (labels, label ((int)i));
  return labels;
}

static const char *
kind_label (int kind)
{
  return meso_photo_kind_get_label (kind);
}

static const char *
area_label (int area)
{
  return meso_area_get_label (area);
}

/* Before, unless the session has a before photo already: then after. */
static MesoPhotoKind
default_kind (MesoPhotoGallery *self,
              gint64            session_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MesoPhotoItem) item = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (item->photo.session_id == session_id && item->photo.kind == MESO_PHOTO_KIND_BEFORE)
        return MESO_PHOTO_KIND_AFTER;
    }
  return MESO_PHOTO_KIND_BEFORE;
}

GtkWindow *
meso_photo_gallery_add_photos (MesoPhotoGallery *self,
                               gint64            session_id,
                               MesoArea          area,
                               GListModel       *files)
{
  Adding *adding;
  GtkWidget *dialog, *box, *header, *cancel, *add, *group, *content, *choose;
  g_autoptr(GtkStringList) kinds = NULL;
  g_autoptr(GtkStringList) areas = NULL;
  GtkDropTarget *drop;
  GtkRoot *root;

  g_return_val_if_fail (MESO_IS_PHOTO_GALLERY (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_window_new ();
  /* Translators: title of the dialog that adds photos to a session */
  gtk_window_set_title (GTK_WINDOW (dialog), _("Add Photos"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 460, -1);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  adding = g_new0 (Adding, 1);
  g_set_weak_pointer (&adding->gallery, self);
  adding->dialog = GTK_WINDOW (dialog);
  adding->session_id = session_id;
  adding->files = g_ptr_array_new_with_free_func (g_object_unref);
  adding->errors = g_string_new (NULL);
  adding->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (dialog), "meso-adding", adding, (GDestroyNotify)adding_free);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), dialog);
  /* Translators: the Add Photos dialog's button that imports the files chosen */
  add = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_add_css_class (add, "suggested-action");
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_clicked_cb), adding);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), add);
  adding->add_button = add;
  adding->cancel_button = GTK_BUTTON (cancel);

  group = adw_preferences_group_new ();
  kinds = enum_labels (MESO_PHOTO_KIND_AFTER + 1, kind_label);
  adding->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  /* Translators: the Add Photos dialog's choice: before, during or after the treatment */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (adding->kind_row), _("Taken"));
  adw_combo_row_set_model (adding->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_selected (adding->kind_row, default_kind (self, session_id));
  areas = enum_labels (MESO_AREA_HANDS + 1, area_label);
  adding->area_row = ADW_COMBO_ROW (adw_combo_row_new ());
  /* Translators: the Add Photos dialog's choice of the treated area the photos show */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (adding->area_row), _("Area"));
  adw_combo_row_set_model (adding->area_row, G_LIST_MODEL (areas));
  adw_combo_row_set_selected (adding->area_row, area);
  adding->files_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (adding->files_row), FALSE);
  adw_action_row_set_subtitle_lines (adding->files_row, 3);
  /* Translators: the Add Photos dialog's button that opens the file chooser */
  choose = gtk_button_new_with_mnemonic (_("C_hoose Files…"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_clicked_cb), adding);
  adw_action_row_add_suffix (adding->files_row, choose);
  adding->choose_button = choose;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (adding->kind_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (adding->area_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (adding->files_row));
  /* Translators: below the Add Photos dialog's choices */
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Image files can be dropped here too. Location, "
                                           "camera and other details in the files are not "
                                           "kept."));

  adding->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (adding->progress, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (adding->progress), FALSE);
  adding->errors_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (adding->errors_label, TRUE);
  gtk_label_set_wrap_mode (adding->errors_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (adding->errors_label, 0);
  gtk_label_set_selectable (adding->errors_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (adding->errors_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (adding->errors_label), FALSE);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), group);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (adding->progress));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (adding->errors_label));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (dialog), box);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_dialog_drop_cb), adding);
  gtk_widget_add_controller (dialog, GTK_EVENT_CONTROLLER (drop));

  adding_take_files (adding, files);
  meso_dialog_compact_cancel (GTK_WINDOW (dialog), GTK_BUTTON (cancel));
  meso_dialog_fit_parent (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

typedef struct
{
  gint64   session_id;
  MesoArea area;
} DropSpot;

static gboolean
on_drop_cb (GtkDropTarget    *target,
            const GValue     *value,
            double            x,
            double            y,
            MesoPhotoGallery *self)
{
  DropSpot *spot = g_object_get_data (G_OBJECT (target), "meso-drop-spot");
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;
  meso_photo_gallery_add_photos (self, spot->session_id, spot->area, G_LIST_MODEL (files));
  return TRUE;
}

void
meso_photo_gallery_accept_drops (MesoPhotoGallery *self,
                                 GtkWidget        *widget,
                                 gint64            session_id,
                                 MesoArea          area)
{
  GtkDropTarget *drop;
  DropSpot *spot;

  g_return_if_fail (MESO_IS_PHOTO_GALLERY (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  spot = g_new0 (DropSpot, 1);
  spot->session_id = session_id;
  spot->area = area;
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_object_set_data_full (G_OBJECT (drop), "meso-drop-spot", spot, g_free);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop_cb), self, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}

/* ---- the widget */

static void
meso_photo_gallery_dispose (GObject *object)
{
  MesoPhotoGallery *self = MESO_PHOTO_GALLERY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  adw_bin_set_child (ADW_BIN (self), NULL);
  G_OBJECT_CLASS (meso_photo_gallery_parent_class)->dispose (object);
}

static void
meso_photo_gallery_finalize (GObject *object)
{
  MesoPhotoGallery *self = MESO_PHOTO_GALLERY (object);

  g_free (self->database);
  g_hash_table_unref (self->pages);
  g_clear_object (&self->selection);
  g_clear_object (&self->photos);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (meso_photo_gallery_parent_class)->finalize (object);
}

static void
meso_photo_gallery_class_init (MesoPhotoGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = meso_photo_gallery_dispose;
  object_class->finalize = meso_photo_gallery_finalize;
}

static void
meso_photo_gallery_init (MesoPhotoGallery *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *empty;

  self->area = -1;
  self->pages = g_hash_table_new (NULL, NULL);
  self->photos = g_list_store_new (MESO_TYPE_PHOTO_ITEM);
  self->filter = gtk_custom_filter_new (photo_in_area_cb, self, NULL);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->photos)),
                                           GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->shown));
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (on_selection_changed_cb), self);

  {
    g_autoptr(GSimpleAction) area = g_simple_action_new_stateful ("area", G_VARIANT_TYPE_INT32,
                                                                  g_variant_new_int32 (-1));

    g_signal_connect (area, "change-state", G_CALLBACK (area_chosen_cb), self);
    self->actions = g_simple_action_group_new ();
    g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (area));
    gtk_widget_insert_action_group (GTK_WIDGET (self), "gallery",
                                    G_ACTION_GROUP (self->actions));
  }
  self->area_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_label (self->area_button, area_choice_label (-1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader calls the choice of
                                   * the area whose photos are shown */
                                  _("Area"), -1);
  /* Translators: the button that opens the two photos chosen side by side */
  self->compare_button = gtk_button_new_with_mnemonic (_("Co_mpare"));
  /* Translators: tooltip of Compare */
  gtk_widget_set_tooltip_text (self->compare_button,
                               _("Tick two photos to compare them side by side"));
  gtk_widget_set_sensitive (self->compare_button, FALSE);
  gtk_widget_set_hexpand (self->compare_button, TRUE);
  gtk_widget_set_halign (self->compare_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (on_compare_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->area_button));
  gtk_box_append (GTK_BOX (bar), self->compare_button);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_tile_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_tile_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tile_cb), self);
  self->grid = GTK_GRID_VIEW (gtk_grid_view_new (GTK_SELECTION_MODEL (g_object_ref (
                                                                        self->selection)),
                                                 factory));
  /* As many as fit the page's 760 pixels: GTK 4.8 keeps tiles for about 30
   * rows of the most columns around what is in sight, so the most columns
   * also bound the tiles made. */
  gtk_grid_view_set_max_columns (self->grid, MESO_PHOTO_GALLERY_MAX_COLUMNS);
  gtk_grid_view_set_enable_rubberband (self->grid, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader calls a patient's photos */
                                  _("Photos"), -1);
  g_signal_connect (self->grid, "activate", G_CALLBACK (on_activate_cb), self);
  /* Its own scroller, two rows high at most: inside the page's, the grid
   * would be given its whole height and make a tile for every photo. */
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->grid));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->scroller = GTK_SCROLLED_WINDOW (scroller);
  gtk_scrolled_window_set_min_content_height (self->scroller, TILE_ROW);
  gtk_widget_add_css_class (scroller, "card");

  empty = gtk_label_new (NULL);
  self->empty_label = GTK_LABEL (empty);
  gtk_label_set_wrap (self->empty_label, TRUE);
  gtk_label_set_xalign (self->empty_label, 0);
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_widget_add_css_class (empty, "meso-row");

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_set_hhomogeneous (self->stack, FALSE);
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_stack_add_named (self->stack, scroller, "grid");
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_bin_set_child (ADW_BIN (self), box);
  /* Translators: shown in a patient's photos while there are none */
  gtk_label_set_text (self->empty_label, _("No photos yet. Add them to a session with its "
                                           "camera button, or drop image files on it."));
  refill_areas (self);
}

GtkWidget *
meso_photo_gallery_new (void)
{
  return g_object_new (MESO_TYPE_PHOTO_GALLERY, NULL);
}
