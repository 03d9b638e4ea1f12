/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The patients a search finds, as a GListModel of MesoPatientSlot that loads
 * its rows from the store a page at a time: never every patient in memory. */

#pragma once

#include <gio/gio.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT_SLOT (meso_patient_slot_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientSlot, meso_patient_slot, MESO, PATIENT_SLOT, GObject)

/* One position of the list: the patient there, or NULL while its page is
 * not loaded. "notify::patient" says it changed. */
MesoPatient     *meso_patient_slot_get_patient          (MesoPatientSlot *self);
/* The slot is in sight: its patient is wanted, and its page is fetched if
 * need be (nothing is fetched for slots nobody looks at). */
void             meso_patient_slot_want                 (MesoPatientSlot *self);

#define MESO_TYPE_PATIENT_LIST (meso_patient_list_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientList, meso_patient_list, MESO, PATIENT_LIST, GObject)

/* Rows fetched per query, and how many such pages are kept. */
#define MESO_PATIENT_LIST_PAGE_SIZE 50
#define MESO_PATIENT_LIST_MAX_PAGES 4

/* The item at a position stays the same MesoPatientSlot while anyone holds
 * it, whatever search is shown: a new search, a page a worker fetched or a
 * record changed elsewhere change the slots' patients, and items-changed
 * only says how the length changed (rows added or removed at the end). A
 * list view thus keeps its row widgets from one search to the next and only
 * fills them again: GTK 4.8 makes up to 200 of them, and making them anew
 * at each key stroke took longer than the search.
 * @store may be NULL (the database could not be opened): the list is then empty.
 * Properties: "store" (construct-only), "search-text", "include-archived", and
 * "loading" (TRUE while a count for a new search runs in a worker thread). */
MesoPatientList *meso_patient_list_new                  (MesoStore       *store);
MesoStore       *meso_patient_list_get_store            (MesoPatientList *self);
const char      *meso_patient_list_get_search_text      (MesoPatientList *self);
void             meso_patient_list_set_search_text      (MesoPatientList *self,
                                                         const char      *text);
gboolean         meso_patient_list_get_include_archived (MesoPatientList *self);
void             meso_patient_list_set_include_archived (MesoPatientList *self,
                                                         gboolean         include_archived);
/* Asks the store again (the records changed): the rows stay until the
 * answer. It also forgets the answers to recent searches, which a search
 * typed again otherwise gets at once, without a worker (nor "loading"). */
void             meso_patient_list_reload               (MesoPatientList *self);
gboolean         meso_patient_list_get_loading          (MesoPatientList *self);
/* The patient at @position, or NULL past the end or while its page loads
 * (asking for the page, as meso_patient_slot_want()). */
MesoPatient     *meso_patient_list_dup_patient          (MesoPatientList *self,
                                                         guint            position);
/* With @in_steps, the length changes in steps where GTK would make or
 * destroy many rows before the frame that shows the new patients: a search
 * that finds many where few were shown lists a page's worth more at each
 * step up to 200 items, then all; one that finds a few (but some) where
 * many were keeps up to 200 items, those past the last patient found
 * blank. meso_patient_list_settle() takes the next step (the view calls it
 * after each frame); TRUE when it changed the length. Off by default. */
void             meso_patient_list_set_in_steps         (MesoPatientList *self,
                                                         gboolean         in_steps);
gboolean         meso_patient_list_settle               (MesoPatientList *self);
/* How many the search shown found: the number of items once the list has
 * settled. */
guint            meso_patient_list_get_n_found          (MesoPatientList *self);
/* How many pages are cached now: for tests that check the cache stays small. */
guint            meso_patient_list_get_n_cached_pages   (MesoPatientList *self);

G_END_DECLS
