/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files in and out: patients as CSV (RFC 4180), appointments as iCalendar
 * (RFC 5545). Built on the store's API; exports carry only what they need. */

#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_EXCHANGE_ERROR (meso_exchange_error_quark ())

typedef enum
{
  MESO_EXCHANGE_ERROR_PARSE,   /* the message names the line and the column */
  MESO_EXCHANGE_ERROR_WRITE,
  MESO_EXCHANGE_ERROR_READ,    /* a file to import that is missing or unreadable */
} MesoExchangeError;

GQuark   meso_exchange_error_quark          (void);

/* @contents as the file @path, private to the user (0600), written beside
 * it and renamed (never half a file; an existing file is replaced);
 * MESO_EXCHANGE_ERROR_WRITE in people's words. */
gboolean meso_exchange_write_file           (const char  *path,
                                             const char  *contents,
                                             gsize        length,
                                             GError     **error);

/* Columns: id, name, birth_date, phone, email, sensitive_skin, notes,
 * archived. Written to a temporary file and renamed: never half a file. A
 * cell starting with = + - @, a tab or a carriage return gets a single quote
 * in front, so a spreadsheet does not run it as a formula. */
gboolean meso_exchange_export_patients_csv  (MesoStore   *store,
                                             const char  *path,
                                             guint       *n_written,
                                             GError     **error);
/* A call list: the rows of one section of the aftercare panel on @day, in
 * its order. Columns: name, phone, area, last_session, from, until (dates
 * YYYY-MM-DD: the row's span, meso_reminder_get_days()); nothing else of the
 * patient. Private to the user (0600), guarded as the patients' export. */
gboolean meso_exchange_export_call_list_csv (MesoStore        *store,
                                             const GDate      *day,
                                             MesoPanelSection  section,
                                             const char       *path,
                                             guint            *n_written,
                                             GError          **error);
/* Who received lot @number (meso_store_list_lot_patients()), oldest
 * session first. Columns: patient_id, name, session_at (local, ISO 8601),
 * area, phone, email, product, lot. 0600, guarded as the patients' export. */
gboolean meso_exchange_export_lot_patients_csv (MesoStore   *store,
                                                const char  *number,
                                                const char  *path,
                                                guint       *n_written,
                                                GError     **error);
/* All or nothing: the first bad row stops the import and nothing is
 * stored; the error names the line and the column. An id column is
 * ignored (new patients are created). A single quote before = + - @, a tab
 * or a carriage return is taken away: the export's own files come back as
 * they were. */
gboolean meso_exchange_import_patients_csv  (MesoStore   *store,
                                             const char  *path,
                                             guint       *n_imported,
                                             GError     **error);

/* The same, with progress (from the thread they run on) and cancellable:
 * cancelled, the export writes no file and the import stores nothing, and
 * both fail with G_IO_ERROR_CANCELLED. */
gboolean meso_exchange_export_patients_csv_full (MesoStore        *store,
                                                 const char       *path,
                                                 MesoProgressFunc  progress,
                                                 gpointer          user_data,
                                                 GCancellable     *cancellable,
                                                 guint            *n_written,
                                                 GError          **error);
gboolean meso_exchange_import_patients_csv_full (MesoStore        *store,
                                                 const char       *path,
                                                 MesoProgressFunc  progress,
                                                 gpointer          user_data,
                                                 GCancellable     *cancellable,
                                                 guint            *n_imported,
                                                 GError          **error);

/* Told how many of the file's @total rows are stored so far: every few
 * hundred rows, and once all are (before the commit). */
typedef void (*MesoImportProgressFunc) (guint    done,
                                        guint    total,
                                        gpointer user_data);

/* meso_exchange_import_patients_csv_full() counting rows: the file's
 * records are counted first (a fast pass), then imported. */
gboolean meso_exchange_import_patients_csv_rows (MesoStore              *store,
                                                 const char             *path,
                                                 MesoImportProgressFunc  progress,
                                                 gpointer                user_data,
                                                 GCancellable           *cancellable,
                                                 guint                  *n_imported,
                                                 GError                **error);

/* The patient's own copy (meso_store_export_patient()) as the file @path,
 * private to the user (0600): written to a temporary file beside it and
 * renamed over @path at the end, so a failed or cancelled export leaves
 * @path as it was. The store's errors as they are (NOT_FOUND, NOT_ALLOWED
 * …); a file that cannot be written is MESO_EXCHANGE_ERROR_WRITE. */
gboolean meso_exchange_export_patient       (MesoStore     *store,
                                             gint64         patient_id,
                                             const char    *path,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* What a calendar file may tell beyond “a Mesodesk appointment, number N”:
 * it is synced to phones and shared calendars, so by default nothing. */
typedef enum
{
  MESO_ICS_DEFAULT = 0,
  MESO_ICS_INCLUDE_NAME = 1 << 0,  /* the patient's name */
  MESO_ICS_INCLUDE_AREA = 1 << 1,  /* the treatment area */
} MesoIcsFlags;

/* One VEVENT per appointment starting in [@from, @to) (NULL: unbounded),
 * with a UID stable across exports, the local time zone, and the status.
 * The summary names the patient and the area only as @flags ask. */
gboolean meso_exchange_export_ics           (MesoStore    *store,
                                             const char   *path,
                                             GDateTime    *from,
                                             GDateTime    *to,
                                             MesoIcsFlags  flags,
                                             guint        *n_written,
                                             GError      **error);

G_END_DECLS
