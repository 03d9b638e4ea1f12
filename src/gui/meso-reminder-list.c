/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-reminder-list.h"

#include "meso-reminder-item.h"

struct _MesoReminderList
{
  GObject            parent_instance;

  MesoPanelSection   section;
  MesoStore         *store;
  GDate              day;
  guint              n_items;
  /* Page number → GPtrArray of MesoReminderItem; @recent orders the numbers,
   * most recently used first, so the oldest page is the one dropped. */
  GHashTable        *pages;
  GQueue             recent;
};

static void meso_reminder_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MesoReminderList, meso_reminder_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      meso_reminder_list_model_init))

/* The store's reminders become items, each owning its reminder. */
static GPtrArray *
items_from_reminders (GPtrArray *reminders)
{
  GPtrArray *items = g_ptr_array_new_full (reminders->len, g_object_unref);

  g_ptr_array_set_free_func (reminders, NULL);
  for (guint i = 0; i < reminders->len; i++)
    g_ptr_array_add (items, meso_reminder_item_new (g_ptr_array_index (reminders, i)));
  g_ptr_array_unref (reminders);
  return items;
}

static void
meso_reminder_list_forget_pages (MesoReminderList *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
}

static GPtrArray *
meso_reminder_list_keep_page (MesoReminderList *self,
                              guint             number,
                              GPtrArray        *reminders)
{
  GPtrArray *items = items_from_reminders (reminders);

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), items);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (number));
  while (g_queue_get_length (&self->recent) > MESO_REMINDER_LIST_MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
  return items;
}

static GPtrArray *
meso_reminder_list_get_page (MesoReminderList *self,
                             guint             number)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  GPtrArray *reminders;

  if (items != NULL)
    {
      g_queue_remove (&self->recent, GUINT_TO_POINTER (number));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (number));
      return items;
    }

  /* Synchronous, as a GListModel must answer get_item() at once; only pages after
   * the first get here, as the person scrolls. On the 100 000-patient demo a page
   * costs about as much as the section's first one (an index in the section's
   * order), growing with the OFFSET to a few milliseconds at its end. */
  reminders = meso_store_list_panel_page (self->store, &self->day, self->section,
                                          number * MESO_REMINDER_LIST_PAGE_SIZE,
                                          MESO_REMINDER_LIST_PAGE_SIZE, &error);
  if (reminders == NULL)
    {
      g_warning ("Could not load aftercare entries: %s", error->message);
      reminders = g_ptr_array_new ();
    }
  return meso_reminder_list_keep_page (self, number, reminders);
}

static GType
meso_reminder_list_get_item_type (GListModel *model)
{
  return MESO_TYPE_REMINDER_ITEM;
}

static guint
meso_reminder_list_get_n_items (GListModel *model)
{
  return MESO_REMINDER_LIST (model)->n_items;
}

static gpointer
meso_reminder_list_get_item (GListModel *model,
                             guint       position)
{
  MesoReminderList *self = MESO_REMINDER_LIST (model);
  GPtrArray *items;
  guint index = position % MESO_REMINDER_LIST_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;

  items = meso_reminder_list_get_page (self, position / MESO_REMINDER_LIST_PAGE_SIZE);
  /* Another program may have changed the records since the count: keep the
   * promised length with a placeholder until the next reload counts again. */
  if (index >= items->len)
    return meso_reminder_item_new (NULL);
  return g_object_ref (g_ptr_array_index (items, index));
}

static void
meso_reminder_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = meso_reminder_list_get_item_type;
  iface->get_n_items = meso_reminder_list_get_n_items;
  iface->get_item = meso_reminder_list_get_item;
}

static void
meso_reminder_list_dispose (GObject *object)
{
  MesoReminderList *self = MESO_REMINDER_LIST (object);

  meso_reminder_list_forget_pages (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (meso_reminder_list_parent_class)->dispose (object);
}

static void
meso_reminder_list_finalize (GObject *object)
{
  MesoReminderList *self = MESO_REMINDER_LIST (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (meso_reminder_list_parent_class)->finalize (object);
}

static void
meso_reminder_list_class_init (MesoReminderListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = meso_reminder_list_dispose;
  object_class->finalize = meso_reminder_list_finalize;
}

static void
meso_reminder_list_init (MesoReminderList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
  g_date_clear (&self->day, 1);
}

MesoReminderList *
meso_reminder_list_new (MesoPanelSection section)
{
  MesoReminderList *self;

  g_return_val_if_fail (section < MESO_PANEL_N_SECTIONS, NULL);

  self = g_object_new (MESO_TYPE_REMINDER_LIST, NULL);
  self->section = section;
  return self;
}

MesoPanelSection
meso_reminder_list_get_section (MesoReminderList *self)
{
  g_return_val_if_fail (MESO_IS_REMINDER_LIST (self), 0);

  return self->section;
}

void
meso_reminder_list_set_contents (MesoReminderList *self,
                                 MesoStore        *store,
                                 const GDate      *day,
                                 guint             n_items,
                                 GPtrArray        *first_page)
{
  guint old_n_items;

  g_return_if_fail (MESO_IS_REMINDER_LIST (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));
  g_return_if_fail (store == NULL || (day != NULL && g_date_valid (day)));

  old_n_items = self->n_items;
  meso_reminder_list_forget_pages (self);
  /* Removed, then added, in two signals: told both at once, GTK 4.8's list
   * views look through every added row for the widgets of the removed ones,
   * asking for each, and this model fetches pages on the main thread. The
   * model is empty between the two, as the first says. */
  self->n_items = 0;
  if (old_n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, 0);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->day = *day;
  else
    g_date_clear (&self->day, 1);
  self->n_items = store != NULL ? n_items : 0;
  if (first_page != NULL && store != NULL)
    meso_reminder_list_keep_page (self, 0, first_page);
  else if (first_page != NULL)
    g_ptr_array_unref (first_page);

  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

guint
meso_reminder_list_get_n_cached_pages (MesoReminderList *self)
{
  g_return_val_if_fail (MESO_IS_REMINDER_LIST (self), 0);

  return g_hash_table_size (self->pages);
}
