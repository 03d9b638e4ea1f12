/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of one section of the aftercare panel on one day, as a GListModel of
 * MesoReminderItem that fetches its rows from the store a page at a time
 * (meso_store_list_panel_page): the 100 000-patient clinic has thousands
 * due and overdue, never all in memory. The count and the first page come from
 * whoever loads it (the view, off the main thread); later pages are read on demand. */

#pragma once

#include <gio/gio.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_REMINDER_LIST (meso_reminder_list_get_type ())

G_DECLARE_FINAL_TYPE (MesoReminderList, meso_reminder_list, MESO, REMINDER_LIST, GObject)

/* Rows fetched per query, and how many such pages are kept. */
#define MESO_REMINDER_LIST_PAGE_SIZE 50
#define MESO_REMINDER_LIST_MAX_PAGES 4

MesoReminderList  *meso_reminder_list_new              (MesoPanelSection  section);
MesoPanelSection   meso_reminder_list_get_section      (MesoReminderList *self);
/* Shows @n_items entries of @day read from @store (NULL: none), @first_page
 * (taken; may be NULL) being the first MESO_REMINDER_LIST_PAGE_SIZE of them
 * as meso_store_list_panel_page() returns them. */
void               meso_reminder_list_set_contents     (MesoReminderList *self,
                                                        MesoStore        *store,
                                                        const GDate      *day,
                                                        guint             n_items,
                                                        GPtrArray        *first_page);
/* How many pages are cached now: for tests that check the cache stays small. */
guint              meso_reminder_list_get_n_cached_pages (MesoReminderList *self);

G_END_DECLS
