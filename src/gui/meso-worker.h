/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workers' own connection to the clinic database (one MesoStore is one
 * connection, for one thread at a time): opened by the first worker that
 * needs it, then kept, so work started while scrolling or paging does not
 * pay for opening the database. The views that read in GTask threads share
 * this one pattern. */

#pragma once

#include <gio/gio.h>

#include "meso-store.h"

G_BEGIN_DECLS

typedef struct _MesoWorkerStore MesoWorkerStore;

/* A reference-counted handle on the connection to @path (opened lazily). */
MesoWorkerStore *meso_worker_store_new   (const char      *path);
MesoWorkerStore *meso_worker_store_ref   (MesoWorkerStore *worker);
void             meso_worker_store_unref (MesoWorkerStore *worker);

/* What a worker does on the connection, holding it: returns a result, or
 * NULL with @error. */
typedef gpointer (*MesoWorkerFunc) (MesoStore     *store,
                                    gpointer       request,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* Runs @task in a thread: @work on @worker's connection, with the task's
 * data as its request; what @work gives is what the task returns (freed
 * with @free_result if the task was cancelled meanwhile). A task cancelled
 * while it waited for the connection does no work: a search typed over, a
 * page scrolled past.
 * @task has no source object: a task holds it until the task is freed,
 * perhaps in the worker's thread, after the view was closed. The view
 * passes itself as the callback's data, cancels the task in dispose, and
 * touches nothing on a cancelled answer; the request is the task's data,
 * which the task keeps until the thread is done with it. */
void             meso_worker_store_run_in_thread (MesoWorkerStore *worker,
                                                  GTask           *task,
                                                  MesoWorkerFunc   work,
                                                  GDestroyNotify   free_result);

/* Who every connection the window opens acts for (issue 16): the one
 * place that signs them in and out. The window sets it when a person
 * signs in (a ticket from the store they signed in on) and clears it
 * (NULL) when they sign out or the window locks; a connection already
 * open follows at its next use. Any thread. */
void             meso_worker_set_signed_in  (const MesoStaffTicket *ticket);
/* A copy of the window's person's ticket; NULL when nobody is signed in. */
MesoStaffTicket *meso_worker_get_signed_in  (void);
/* Signs @store in as the window's person, unless it already is. */
gboolean         meso_worker_sign_in_store  (MesoStore        *store,
                                             GError          **error);
/* meso_store_open(), signed in as the window's person: what every thread
 * of the window opens a connection with. */
MesoStore       *meso_worker_open_store     (const char       *path,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoWorkerStore, meso_worker_store_unref)

G_END_DECLS
