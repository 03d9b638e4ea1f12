/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-worker.h"

struct _MesoWorkerStore
{
  GMutex     lock;
  char      *path;
  MesoStore *store;
};

static void
worker_store_clear (MesoWorkerStore *worker)
{
  g_mutex_clear (&worker->lock);
  g_clear_object (&worker->store);
  g_free (worker->path);
}

MesoWorkerStore *
meso_worker_store_new (const char *path)
{
  MesoWorkerStore *worker;

  g_return_val_if_fail (path != NULL, NULL);

  worker = g_atomic_rc_box_new0 (MesoWorkerStore);
  g_mutex_init (&worker->lock);
  worker->path = g_strdup (path);
  return worker;
}

MesoWorkerStore *
meso_worker_store_ref (MesoWorkerStore *worker)
{
  g_return_val_if_fail (worker != NULL, NULL);

  return g_atomic_rc_box_acquire (worker);
}

void
meso_worker_store_unref (MesoWorkerStore *worker)
{
  g_return_if_fail (worker != NULL);

  g_atomic_rc_box_release_full (worker, (GDestroyNotify) worker_store_clear);
}

/* The window's person, and a count of changes that a connection compares
 * with the one it was last signed in at. */
static GMutex signed_in_lock;
static MesoStaffTicket *signed_in;
static guint signed_in_serial = 1;

#define SIGNED_IN_KEY "meso-worker-signed-in-serial"

void
meso_worker_set_signed_in (const MesoStaffTicket *ticket)
{
  g_mutex_lock (&signed_in_lock);
  g_clear_pointer (&signed_in, meso_staff_ticket_free);
  signed_in = meso_staff_ticket_copy (ticket);
  signed_in_serial++;
  g_mutex_unlock (&signed_in_lock);
}

static MesoStaffTicket *
get_signed_in (guint *serial)
{
  MesoStaffTicket *ticket;

  g_mutex_lock (&signed_in_lock);
  if (serial != NULL)
    *serial = signed_in_serial;
  ticket = meso_staff_ticket_copy (signed_in);
  g_mutex_unlock (&signed_in_lock);
  return ticket;
}

MesoStaffTicket *
meso_worker_get_signed_in (void)
{
  return get_signed_in (NULL);
}

gboolean
meso_worker_sign_in_store (MesoStore  *store,
                           GError    **error)
{
  g_autoptr(MesoStaffTicket) ticket = NULL;
  guint serial;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);

  ticket = get_signed_in (&serial);

  if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (store), SIGNED_IN_KEY)) == serial)
    return TRUE;
  if (!meso_store_sign_in_ticket (store, ticket, error))
    return FALSE;
  g_object_set_data (G_OBJECT (store), SIGNED_IN_KEY, GUINT_TO_POINTER (serial));
  return TRUE;
}

MesoStore *
meso_worker_open_store (const char  *path,
                        GError     **error)
{
  g_autoptr(MesoStore) store = meso_store_open (path, error);

  if (store == NULL || !meso_worker_sign_in_store (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Locks the workers' connection (opening it if need be) and returns it, or
 * NULL with @error, unlocked. */
static MesoStore *
worker_store_lock (MesoWorkerStore  *worker,
                   GError          **error)
{
  g_mutex_lock (&worker->lock);
  if (worker->store == NULL)
    worker->store = meso_store_open (worker->path, error);
  if (worker->store == NULL || !meso_worker_sign_in_store (worker->store, error))
    {
      g_mutex_unlock (&worker->lock);
      return NULL;
    }
  return worker->store;
}

/* What a task's thread does, kept on the task. */
typedef struct
{
  MesoWorkerStore *worker;
  MesoWorkerFunc   work;
  GDestroyNotify   free_result;
} Job;

#define JOB_KEY "meso-worker-job"

static void
job_free (Job *job)
{
  meso_worker_store_unref (job->worker);
  g_free (job);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = g_object_get_data (G_OBJECT (task), JOB_KEY);
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  MesoStore *store;

  store = worker_store_lock (job->worker, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_cancellable_is_cancelled (cancellable))
    result = job->work (store, task_data, cancellable, &error);
  g_mutex_unlock (&job->worker->lock);

  if (g_task_return_error_if_cancelled (task))
    g_clear_pointer (&result, job->free_result);
  else if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, job->free_result);
}

void
meso_worker_store_run_in_thread (MesoWorkerStore *worker,
                                 GTask           *task,
                                 MesoWorkerFunc   work,
                                 GDestroyNotify   free_result)
{
  Job *job;

  g_return_if_fail (worker != NULL);
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (g_task_get_source_object (task) == NULL);
  g_return_if_fail (work != NULL);

  job = g_new0 (Job, 1);
  job->worker = meso_worker_store_ref (worker);
  job->work = work;
  job->free_result = free_result;
  g_object_set_data_full (G_OBJECT (task), JOB_KEY, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_thread);
}
