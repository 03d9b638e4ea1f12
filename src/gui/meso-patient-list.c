/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-patient-list.h"

#include "meso-worker.h"

/* ============================================================ the slots */

struct _MesoPatientSlot
{
  GObject      parent_instance;

  MesoPatient     *patient;     /* NULL: its page is not here (yet) */
  MesoPatientList *list;        /* that made it; NULL once the list is gone */
  guint            position;    /* in that list */
  guint            generation;  /* of the list's pages @patient came from */
};

enum
{
  SLOT_PROP_0,
  SLOT_PROP_PATIENT,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

G_DEFINE_FINAL_TYPE (MesoPatientSlot, meso_patient_slot, G_TYPE_OBJECT)

static void
meso_patient_slot_finalize (GObject *object)
{
  MesoPatientSlot *self = MESO_PATIENT_SLOT (object);

  g_clear_object (&self->patient);

  G_OBJECT_CLASS (meso_patient_slot_parent_class)->finalize (object);
}

static void
meso_patient_slot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoPatientSlot *self = MESO_PATIENT_SLOT (object);

  switch (prop_id)
    {
    case SLOT_PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_slot_class_init (MesoPatientSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_patient_slot_finalize;
  object_class->get_property = meso_patient_slot_get_property;

  slot_properties[SLOT_PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, MESO_TYPE_PATIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
meso_patient_slot_init (MesoPatientSlot *self)
{
}

MesoPatient *
meso_patient_slot_get_patient (MesoPatientSlot *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_SLOT (self), NULL);

  return self->patient;
}

static void
meso_patient_slot_set_patient (MesoPatientSlot *self,
                               MesoPatient     *patient)
{
  if (g_set_object (&self->patient, patient))
    g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_PATIENT]);
}

/* ============================================================ the list */

typedef struct
{
  guint      number;
  GPtrArray *patients;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->patients, g_ptr_array_unref);
  g_free (page);
}

/* What a worker thread is asked, and what it hands back. */
typedef struct
{
  char        *text;
  gboolean     include_archived;
} CountRequest;

typedef struct
{
  char        *text;
  gboolean     include_archived;
  guint        number;      /* the page */
  guint        generation;  /* of the search it belongs to */
  gint64       after_id;    /* 0, or the page starts @skip rows after him */
  guint        skip;
} PageRequest;

typedef struct
{
  guint      count;
  GPtrArray *first_page;
} CountResult;

static void
count_request_free (CountRequest *request)
{
  g_free (request->text);
  g_free (request);
}

static void
page_request_free (PageRequest *request)
{
  g_free (request->text);
  g_free (request);
}

static void
count_result_free (CountResult *result)
{
  g_clear_pointer (&result->first_page, g_ptr_array_unref);
  g_free (result);
}

/* The answers to recent broad searches, most recent first: a name typed
 * begins with one of a few dozen letters, and clearing the search shows
 * everyone, so the slowest searches (one letter can match half of a large
 * clinic: "c" for every ".com") come back again and again. Only answers
 * longer than a page are kept, so the narrow ones typed after them, quick
 * anyway, do not push them out. Forgotten whenever
 * the records change (meso_patient_list_reload()). */
typedef struct
{
  char      *text;
  gboolean   include_archived;
  guint      count;
  GPtrArray *first_page;  /* NULL when nobody was found */
} Recent;

#define MAX_RECENT 64
/* The most row widgets GTK 4.8's list view holds (GTK_LIST_VIEW_MAX_LIST_ITEMS). */
#define GTK_ROWS 200

static void
recent_free (Recent *recent)
{
  g_free (recent->text);
  g_clear_pointer (&recent->first_page, g_ptr_array_unref);
  g_free (recent);
}

struct _MesoPatientList
{
  GObject       parent_instance;

  MesoStore    *store;
  char         *search_text;
  gboolean      include_archived;

  /* The rows shown belong to this search, until the worker's answer for a new one
   * arrives: pages are fetched for it, not for what is being typed. */
  char         *shown_text;
  gboolean      shown_include_archived;
  guint         n_items;        /* as signalled */
  guint         n_found;        /* the search's count: n_items until it settles */
  gboolean      in_steps;
  GQueue        pages;          /* of Page, most recently used first */
  /* Pages being fetched for the shown search, by number; bumping the
   * generation (a new search shown) makes the answers still on their way
   * stale. */
  GHashTable   *pending;      /* asked for: fetching or wanted */
  GQueue        wanted;       /* page numbers not started yet, newest first */
  guint         n_fetching;
  guint         generation;
  MesoWorkerStore *worker;      /* the workers' connection */

  GCancellable *cancellable;    /* of the count in flight; NULL when none */
  GCancellable *pages_cancellable;  /* of the page fetches in flight */

  /* The slots handed out and still held by someone, by position (no
   * reference: each one's weak reference takes it out as it goes). */
  GHashTable   *slots;
  GQueue        recent;       /* of Recent */
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SEARCH_TEXT,
  PROP_INCLUDE_ARCHIVED,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void meso_patient_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MesoPatientList, meso_patient_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      meso_patient_list_model_init))

static void
meso_patient_list_clear_pages (MesoPatientList *self)
{
  Page *page;

  while ((page = g_queue_pop_head (&self->pages)) != NULL)
    page_free (page);
}

/* The rows shown change: pages on their way belong to the old ones. */
static void
meso_patient_list_forget_pending (MesoPatientList *self)
{
  self->generation++;
  g_hash_table_remove_all (self->pending);
  g_queue_clear (&self->wanted);
  self->n_fetching = 0;
  if (self->pages_cancellable != NULL)
    {
      g_cancellable_cancel (self->pages_cancellable);
      g_clear_object (&self->pages_cancellable);
    }
}

static void
meso_patient_list_add_page (MesoPatientList *self,
                            guint            number,
                            GPtrArray       *patients)
{
  Page *page = g_new0 (Page, 1);

  page->number = number;
  page->patients = patients;
  g_queue_push_head (&self->pages, page);

  while (g_queue_get_length (&self->pages) > MESO_PATIENT_LIST_MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));
}

static void meso_patient_list_fill_slots (MesoPatientList *self,
                                          gboolean         blank_missing);

static gpointer
meso_patient_list_count_locked (MesoStore     *store,
                                gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error_out)
{
  CountRequest *request = data;
  g_autoptr(GError) error = NULL;
  CountResult *result;

  /* The count and the first rows together: the rows are there the moment
   * the count is applied, and a short word's matches are read once. */
  result = g_new0 (CountResult, 1);
  result->first_page = meso_store_search_patients_counted (store, request->text,
                                                           request->include_archived, 0,
                                                           MESO_PATIENT_LIST_PAGE_SIZE,
                                                           &result->count, &error);
  if (result->first_page == NULL)
    {
      count_result_free (result);
      g_propagate_error (error_out, g_steal_pointer (&error));
      return NULL;
    }
  if (result->count == 0)
    g_clear_pointer (&result->first_page, g_ptr_array_unref);

  return result;
}

/* Growing in steps from @n_items towards @count: to the end of the next
 * page's worth while GTK would make a row for each item, at once beyond. */
static guint
growth_step (guint n_items,
             guint count)
{
  if (n_items >= GTK_ROWS)
    return count;
  return MIN (count, (n_items / MESO_PATIENT_LIST_PAGE_SIZE + 1) * MESO_PATIENT_LIST_PAGE_SIZE);
}

/* Shows the answer to a search: @count patients, the first of them in
 * @first_page (not taken; NULL for none). */
static void
meso_patient_list_apply (MesoPatientList *self,
                         const char      *text,
                         gboolean         include_archived,
                         guint            count,
                         GPtrArray       *first_page)
{
  guint old_n_items = self->n_items;
  /* The same search again (a record changed somewhere): rows keep what
   * they show until their page is read again, so nothing flickers. */
  gboolean same = g_strcmp0 (self->shown_text, text) == 0 &&
                  self->shown_include_archived == include_archived;

  meso_patient_list_clear_pages (self);
  meso_patient_list_forget_pending (self);
  if (self->shown_text != text)
    {
      g_free (self->shown_text);
      self->shown_text = g_strdup (text);
    }
  self->shown_include_archived = include_archived;
  self->n_found = count;
  self->n_items = count;
  /* GTK 4.8's list view holds a row widget for each of up to GTK_ROWS items
   * and makes or destroys them inside items-changed: going from a few to
   * many (the search cleared) made some 150 rows before the first frame,
   * and from many to a few (a narrowing key stroke) destroyed as many. In
   * steps, the frame that shows the new patients comes first, and
   * meso_patient_list_settle() makes or destroys the rest after it: growing,
   * a page's worth of rows per frame up to GTK_ROWS (so the next key stroke
   * waits for at most that many); shrinking, the rows past the last patient
   * found stay for that frame, blank, which looks the same as nothing
   * there. Not down to none: the view shows "No Patients Found" instead. */
  if (self->in_steps && count > old_n_items)
    self->n_items = growth_step (old_n_items, count);
  else if (self->in_steps && count > 0 && count < MIN (old_n_items, GTK_ROWS))
    self->n_items = MIN (old_n_items, GTK_ROWS);
  if (first_page != NULL)
    meso_patient_list_add_page (self, 0, g_ptr_array_ref (first_page));

  /* The rows shown take the new patients in place; only the length change
   * is signalled, at the end. */
  meso_patient_list_fill_slots (self, !same);
  if (self->n_items < old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items,
                                old_n_items - self->n_items, 0);
  else if (self->n_items > old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n_items, 0,
                                self->n_items - old_n_items);
}

void
meso_patient_list_set_in_steps (MesoPatientList *self,
                                gboolean         in_steps)
{
  g_return_if_fail (MESO_IS_PATIENT_LIST (self));

  self->in_steps = in_steps;
  if (!in_steps)
    meso_patient_list_settle (self);
}

guint
meso_patient_list_get_n_found (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), 0);

  return self->n_found;
}

gboolean
meso_patient_list_settle (MesoPatientList *self)
{
  guint old_n_items;

  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), FALSE);

  if (self->n_items == self->n_found)
    return FALSE;
  old_n_items = self->n_items;
  self->n_items = self->n_found;
  if (self->in_steps && self->n_found > old_n_items)
    self->n_items = growth_step (old_n_items, self->n_found);
  if (self->n_items > old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n_items, 0,
                                self->n_items - old_n_items);
  else
    {
      /* The blank slots past the end leave the table first, as in apply. */
      meso_patient_list_fill_slots (self, FALSE);
      g_list_model_items_changed (G_LIST_MODEL (self), self->n_items,
                                  old_n_items - self->n_items, 0);
    }
  return TRUE;
}

static Recent *
meso_patient_list_lookup_recent (MesoPatientList *self,
                                 const char      *text,
                                 gboolean         include_archived)
{
  for (GList *l = self->recent.head; l != NULL; l = l->next)
    {
      Recent *recent = l->data;

      if (recent->include_archived == include_archived && g_str_equal (recent->text, text))
        {
          g_queue_unlink (&self->recent, l);
          g_queue_push_head_link (&self->recent, l);
          return recent;
        }
    }
  return NULL;
}

static void
meso_patient_list_remember (MesoPatientList *self,
                            const char      *text,
                            gboolean         include_archived,
                            guint            count,
                            GPtrArray       *first_page)
{
  Recent *recent = meso_patient_list_lookup_recent (self, text, include_archived);

  if (recent == NULL && count <= MESO_PATIENT_LIST_PAGE_SIZE)
    return;
  if (recent == NULL)
    {
      recent = g_new0 (Recent, 1);
      recent->text = g_strdup (text);
      recent->include_archived = include_archived;
      g_queue_push_head (&self->recent, recent);
    }
  recent->count = count;
  g_clear_pointer (&recent->first_page, g_ptr_array_unref);
  recent->first_page = first_page != NULL ? g_ptr_array_ref (first_page) : NULL;
  while (g_queue_get_length (&self->recent) > MAX_RECENT)
    recent_free (g_queue_pop_tail (&self->recent));
}

static void
meso_patient_list_forget_recent (MesoPatientList *self)
{
  Recent *recent;

  while ((recent = g_queue_pop_head (&self->recent)) != NULL)
    recent_free (recent);
}

static void
meso_patient_list_count_done_cb (GObject      *object,
                                 GAsyncResult *res,
                                 gpointer      user_data)
{
  MesoPatientList *self = user_data;  /* not held: see meso_patient_list_start_count() */
  g_autoptr(GError) error = NULL;
  CountResult *result;
  CountRequest *request;

  result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer search replaced this one (its own answer is on the way), or the
   * list was disposed: either way cancelled, and @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_return_if_fail (g_task_get_cancellable (G_TASK (res)) == self->cancellable);
  g_clear_object (&self->cancellable);

  request = g_task_get_task_data (G_TASK (res));
  if (result == NULL)
    {
      /* The view shows an empty list; the person learns of an unreadable database
       * from the application's dialog, so this is for whoever reads the log. */
      g_warning ("Could not search the patients: %s", error->message);
      meso_patient_list_apply (self, request->text, request->include_archived, 0, NULL);
    }
  else
    {
      meso_patient_list_remember (self, request->text, request->include_archived,
                                  result->count, result->first_page);
      meso_patient_list_apply (self, request->text, request->include_archived, result->count,
                               result->first_page);
      count_result_free (result);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Counting a search may take longer than a frame on a big database: it runs in a
 * worker thread, and only the answer to the latest search is applied. */
static void
meso_patient_list_start_count (MesoPatientList *self)
{
  g_autoptr(GTask) task = NULL;
  CountRequest *request;
  gboolean was_loading;

  was_loading = self->cancellable != NULL;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (self->store == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  request = g_new0 (CountRequest, 1);
  if (self->worker == NULL)
    self->worker = meso_worker_store_new (meso_store_get_path (self->store));
  request->text = g_strdup (self->search_text);
  request->include_archived = self->include_archived;

  /* Not the task's source object: a list whose view closed goes at once
   * (dispose cancels the count) rather than when the worker lets go of the
   * task, perhaps in its thread. Every path that forgets the count cancels
   * it first. */
  task = g_task_new (NULL, self->cancellable, meso_patient_list_count_done_cb, self);
  g_task_set_source_tag (task, meso_patient_list_start_count);
  g_task_set_task_data (task, request, (GDestroyNotify) count_request_free);
  /* A stale search is dropped at once; its worker finishes on its own connection. */
  g_task_set_return_on_cancel (task, TRUE);
  meso_worker_store_run_in_thread (self->worker, task, meso_patient_list_count_locked,
                                   (GDestroyNotify) count_result_free);

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* A new search: answered at once when it is a recent one, else counted. */
static void
meso_patient_list_search (MesoPatientList *self)
{
  Recent *recent = meso_patient_list_lookup_recent (self, self->search_text,
                                                    self->include_archived);

  if (recent == NULL)
    {
      meso_patient_list_start_count (self);
      return;
    }

  /* Whatever was being counted is not wanted any more. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      meso_patient_list_apply (self, recent->text, recent->include_archived, recent->count,
                               recent->first_page);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  else
    meso_patient_list_apply (self, recent->text, recent->include_archived, recent->count,
                             recent->first_page);
}

void
meso_patient_list_reload (MesoPatientList *self)
{
  g_return_if_fail (MESO_IS_PATIENT_LIST (self));

  meso_patient_list_forget_recent (self);
  meso_patient_list_start_count (self);
}

static void meso_patient_list_start_fetches (MesoPatientList *self);

static gpointer
meso_patient_list_page_locked (MesoStore     *store,
                               gpointer       data,
                               GCancellable  *cancellable,
                               GError       **error)
{
  PageRequest *request = data;

  if (request->after_id > 0)
    return meso_store_list_patients_after (store, request->after_id, request->skip,
                                           MESO_PATIENT_LIST_PAGE_SIZE, error);
  return meso_store_search_patients (store, request->text, request->include_archived,
                                     request->number * MESO_PATIENT_LIST_PAGE_SIZE,
                                     MESO_PATIENT_LIST_PAGE_SIZE, error);
}

static void
meso_patient_list_page_done_cb (GObject      *object,
                                GAsyncResult *res,
                                gpointer      user_data)
{
  MesoPatientList *self = user_data;  /* not held: see meso_patient_list_start_fetches() */
  PageRequest *request = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  GPtrArray *patients;

  patients = g_task_propagate_pointer (G_TASK (res), &error);
  /* For rows no longer shown, or the list was disposed: either way
   * cancelled (meso_patient_list_forget_pending()), and @self is not to be
   * touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_return_if_fail (request->generation == self->generation);
  self->n_fetching--;
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (request->number));
  meso_patient_list_start_fetches (self);
  if (patients == NULL)
    {
      /* The rows stay blank; the next search or scroll asks again. */
      g_warning ("Could not load patients: %s", error->message);
      return;
    }

  meso_patient_list_add_page (self, request->number, patients);
  /* The blank rows handed out for it are filled in. */
  meso_patient_list_fill_slots (self, FALSE);
}

/* For a page of everyone (the empty search, archived left out), the
 * nearest full page cached before it: the page is then read from that
 * page's last patient on, not from the list's top. Deep into a large
 * clinic OFFSET walks every name it skips (tens of milliseconds, more on a
 * server); a scroll jump has the page it left cached. */
static void
meso_patient_list_find_anchor (MesoPatientList *self,
                               PageRequest     *request)
{
  Page *nearest = NULL;

  if (request->include_archived || (request->text != NULL && *request->text != '\0'))
    return;
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->number < request->number &&
          page->patients->len == MESO_PATIENT_LIST_PAGE_SIZE &&
          (nearest == NULL || page->number > nearest->number))
        nearest = page;
    }
  if (nearest == NULL)
    return;
  request->after_id = meso_patient_get_id (g_ptr_array_index (nearest->patients,
                                                              nearest->patients->len - 1));
  request->skip = (request->number - nearest->number - 1) * MESO_PATIENT_LIST_PAGE_SIZE;
}

/* At most this many page fetches run at once: each holds a thread of GIO's
 * pool while it waits for the workers' connection, and a new search's count
 * must not queue behind them. */
#define MAX_FETCHING 2

/* A page not in the cache is fetched by a worker: OFFSET paging deep into a
 * broad search costs tens of milliseconds on a large database, more than a
 * frame. Its rows are blank placeholders until then. Scrolling fast asks for
 * many pages; the newest are fetched first and the oldest forgotten. */
static void
meso_patient_list_fetch_page (MesoPatientList *self,
                              guint            number)
{
  if (g_hash_table_contains (self->pending, GUINT_TO_POINTER (number)))
    return;
  g_hash_table_add (self->pending, GUINT_TO_POINTER (number));
  g_queue_push_head (&self->wanted, GUINT_TO_POINTER (number));
  while (g_queue_get_length (&self->wanted) > MESO_PATIENT_LIST_MAX_PAGES)
    g_hash_table_remove (self->pending, g_queue_pop_tail (&self->wanted));
  meso_patient_list_start_fetches (self);
}

static void
meso_patient_list_start_fetches (MesoPatientList *self)
{
  while (self->n_fetching < MAX_FETCHING && !g_queue_is_empty (&self->wanted))
    {
      g_autoptr(GTask) task = NULL;
      PageRequest *request;

      if (self->worker == NULL)
        self->worker = meso_worker_store_new (meso_store_get_path (self->store));
      if (self->pages_cancellable == NULL)
        self->pages_cancellable = g_cancellable_new ();

      request = g_new0 (PageRequest, 1);
          request->text = g_strdup (self->shown_text);
      request->include_archived = self->shown_include_archived;
      request->number = GPOINTER_TO_UINT (g_queue_pop_head (&self->wanted));
      request->generation = self->generation;
      meso_patient_list_find_anchor (self, request);
      self->n_fetching++;

      /* As the count's: the list is not the task's source object. */
      task = g_task_new (NULL, self->pages_cancellable, meso_patient_list_page_done_cb, self);
      g_task_set_source_tag (task, meso_patient_list_fetch_page);
      g_task_set_task_data (task, request, (GDestroyNotify) page_request_free);
      meso_worker_store_run_in_thread (self->worker, task, meso_patient_list_page_locked,
                                       (GDestroyNotify) g_ptr_array_unref);
    }
}

static GType
meso_patient_list_get_item_type (GListModel *model)
{
  return MESO_TYPE_PATIENT_SLOT;
}

static guint
meso_patient_list_get_n_items (GListModel *model)
{
  return MESO_PATIENT_LIST (model)->n_items;
}

static Page *
meso_patient_list_lookup_page (MesoPatientList *self,
                               guint            number)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->number == number)
        {
          /* Most recently used first, so the oldest page is the one to go. */
          g_queue_unlink (&self->pages, l);
          g_queue_push_head_link (&self->pages, l);
          return page;
        }
    }

  return NULL;
}

/* The patient at @position in the cached pages (borrowed), or NULL when its
 * page is not there, which is then asked for if @fetch. */
static MesoPatient *
meso_patient_list_patient_at (MesoPatientList *self,
                              guint            position,
                              gboolean         fetch)
{
  guint number = position / MESO_PATIENT_LIST_PAGE_SIZE;
  guint index = position % MESO_PATIENT_LIST_PAGE_SIZE;
  Page *page;

  /* A blank row past the last patient found, until the list settles. */
  if (position >= self->n_found)
    return NULL;
  page = meso_patient_list_lookup_page (self, number);
  if (page == NULL)
    {
      if (fetch)
        meso_patient_list_fetch_page (self, number);
      return NULL;
    }
  /* Another program may have archived or removed patients since the count: keep the
   * promised length with a blank row until the next search counts again. */
  if (index >= page->patients->len)
    return NULL;
  return g_ptr_array_index (page->patients, index);
}

static void
on_slot_gone_cb (gpointer  data,
                 GObject  *where_the_slot_was)
{
  MesoPatientList *self = data;
  /* Still readable: weak references are told before the memory goes. */
  MesoPatientSlot *slot = (MesoPatientSlot *) where_the_slot_was;
  gpointer key = GUINT_TO_POINTER (slot->position);

  if (g_hash_table_lookup (self->slots, key) == (gpointer) slot)
    g_hash_table_remove (self->slots, key);
}

/* Brings the slots handed out up to date with the pages now cached; those
 * past the end leave the table (items-changed is about to remove them).
 * A slot whose page is not there yet is blanked if @blank_missing (a new
 * search), else keeps its patient until the page arrives. Nothing is
 * fetched here: a GTK list view holds 200 rows, most out of sight, and
 * their pages would keep the worker from the next search; a slot in sight
 * asks for its own (meso_patient_slot_want()). */
static void
meso_patient_list_fill_slots (MesoPatientList *self,
                              gboolean         blank_missing)
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  /* Copied first: filling a slot tells its row, which must not find the
   * table in the middle of a walk. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (slots, value);

  for (guint i = 0; i < slots->len; i++)
    {
      MesoPatientSlot *slot = g_ptr_array_index (slots, i);
      MesoPatient *patient;

      if (slot->position >= self->n_items)
        {
          g_hash_table_remove (self->slots, GUINT_TO_POINTER (slot->position));
          g_object_weak_unref (G_OBJECT (slot), on_slot_gone_cb, self);
          slot->list = NULL;
          meso_patient_slot_set_patient (slot, NULL);
          continue;
        }
      if (slot->generation == self->generation)
        continue;
      patient = meso_patient_list_patient_at (self, slot->position, FALSE);
      if (patient != NULL)
        slot->generation = self->generation;
      if (patient != NULL || blank_missing)
        meso_patient_slot_set_patient (slot, patient);
    }
}

static gpointer
meso_patient_list_get_item (GListModel *model,
                            guint       position)
{
  MesoPatientList *self = MESO_PATIENT_LIST (model);
  MesoPatientSlot *slot;
  MesoPatient *patient;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  patient = meso_patient_list_patient_at (self, position, FALSE);
  slot = g_object_new (MESO_TYPE_PATIENT_SLOT, NULL);
  slot->list = self;
  slot->position = position;
  slot->patient = patient != NULL ? g_object_ref (patient) : NULL;
  slot->generation = patient != NULL ? self->generation : self->generation - 1;
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  g_object_weak_ref (G_OBJECT (slot), on_slot_gone_cb, self);
  return slot;
}

static void
meso_patient_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = meso_patient_list_get_item_type;
  iface->get_n_items = meso_patient_list_get_n_items;
  iface->get_item = meso_patient_list_get_item;
}

static void
meso_patient_list_constructed (GObject *object)
{
  MesoPatientList *self = MESO_PATIENT_LIST (object);

  G_OBJECT_CLASS (meso_patient_list_parent_class)->constructed (object);

  meso_patient_list_reload (self);
}

static void
meso_patient_list_dispose (GObject *object)
{
  MesoPatientList *self = MESO_PATIENT_LIST (object);

  /* Every task still on its way is cancelled (the pages' by
   * meso_patient_list_forget_pending()): its answer touches nothing. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->pending != NULL)
    meso_patient_list_forget_pending (self);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  if (self->slots != NULL)
    {
      GHashTableIter iter;
      gpointer slot;

      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &slot))
        {
          g_object_weak_unref (G_OBJECT (slot), on_slot_gone_cb, self);
          MESO_PATIENT_SLOT (slot)->list = NULL;
        }
      g_clear_pointer (&self->slots, g_hash_table_unref);
    }
  meso_patient_list_clear_pages (self);
  meso_patient_list_forget_recent (self);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (meso_patient_list_parent_class)->dispose (object);
}

static void
meso_patient_list_finalize (GObject *object)
{
  MesoPatientList *self = MESO_PATIENT_LIST (object);

  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->shown_text, g_free);

  G_OBJECT_CLASS (meso_patient_list_parent_class)->finalize (object);
}

static void
meso_patient_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoPatientList *self = MESO_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    case PROP_INCLUDE_ARCHIVED:
      g_value_set_boolean (value, self->include_archived);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, meso_patient_list_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoPatientList *self = MESO_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SEARCH_TEXT:
      meso_patient_list_set_search_text (self, g_value_get_string (value));
      break;
    case PROP_INCLUDE_ARCHIVED:
      meso_patient_list_set_include_archived (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_list_class_init (MesoPatientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = meso_patient_list_constructed;
  object_class->dispose = meso_patient_list_dispose;
  object_class->finalize = meso_patient_list_finalize;
  object_class->get_property = meso_patient_list_get_property;
  object_class->set_property = meso_patient_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDE_ARCHIVED] =
    g_param_spec_boolean ("include-archived", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_patient_list_init (MesoPatientList *self)
{
  self->search_text = g_strdup ("");
  self->shown_text = g_strdup ("");
  g_queue_init (&self->pages);
  g_queue_init (&self->wanted);
  g_queue_init (&self->recent);
  self->pending = g_hash_table_new (NULL, NULL);
  self->slots = g_hash_table_new (NULL, NULL);
}

MesoPatientList *
meso_patient_list_new (MesoStore *store)
{
  g_return_val_if_fail (store == NULL || MESO_IS_STORE (store), NULL);

  return g_object_new (MESO_TYPE_PATIENT_LIST, "store", store, NULL);
}

MesoStore *
meso_patient_list_get_store (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), NULL);

  return self->store;
}

const char *
meso_patient_list_get_search_text (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), NULL);

  return self->search_text;
}

void
meso_patient_list_set_search_text (MesoPatientList *self,
                                   const char      *text)
{
  g_return_if_fail (MESO_IS_PATIENT_LIST (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  meso_patient_list_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

gboolean
meso_patient_list_get_include_archived (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), FALSE);

  return self->include_archived;
}

void
meso_patient_list_set_include_archived (MesoPatientList *self,
                                        gboolean         include_archived)
{
  g_return_if_fail (MESO_IS_PATIENT_LIST (self));

  include_archived = !!include_archived;
  if (self->include_archived == include_archived)
    return;

  self->include_archived = include_archived;
  meso_patient_list_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_ARCHIVED]);
}

gboolean
meso_patient_list_get_loading (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), FALSE);

  return self->cancellable != NULL;
}

void
meso_patient_slot_want (MesoPatientSlot *self)
{
  MesoPatient *patient;

  g_return_if_fail (MESO_IS_PATIENT_SLOT (self));

  if (self->list == NULL || self->generation == self->list->generation)
    return;
  patient = meso_patient_list_patient_at (self->list, self->position, TRUE);
  if (patient != NULL)
    {
      self->generation = self->list->generation;
      meso_patient_slot_set_patient (self, patient);
    }
}

MesoPatient *
meso_patient_list_dup_patient (MesoPatientList *self,
                               guint            position)
{
  g_autoptr(MesoPatientSlot) slot = NULL;

  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), NULL);

  slot = g_list_model_get_item (G_LIST_MODEL (self), position);
  if (slot == NULL)
    return NULL;
  meso_patient_slot_want (slot);
  return slot->patient != NULL ? g_object_ref (slot->patient) : NULL;
}

guint
meso_patient_list_get_n_cached_pages (MesoPatientList *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_LIST (self), 0);

  return g_queue_get_length (&self->pages);
}
