/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files in and out: patients as CSV (RFC 4180) and appointments as
 * iCalendar (RFC 5545, built with libical). Every file is written to a
 * temporary file and renamed, so a reader never sees half of one. */
#define G_LOG_DOMAIN "mesodesk-exchange"

#include "config.h"

#include "meso-exchange.h"

#include "meso-store-private.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>
#include <string.h>

/* Exports hold personal data: private to the user, like the database. */
#define EXPORT_FILE_MODE 0600
#define EXPORT_PAGE_SIZE 500

G_DEFINE_QUARK (meso-exchange-error-quark, meso_exchange_error)

/* "Could not write “FILE”: the reason" from GLib's or GIO's error. */
static gboolean
write_failed (const char    *path,
              const GError  *cause,
              GError       **error)
{
  g_autofree char *shown = g_filename_display_name (path);
  const char *reason = NULL;

  /* GLib's own words name the temporary file and g_rename(). */
  if (cause->domain == G_FILE_ERROR)
    reason = meso_store_describe_file_error (path, cause->code);
  else if (cause->domain == G_IO_ERROR)
    {
      static const struct { GIOErrorEnum io; GFileError file; } same[] = {
        { G_IO_ERROR_NOT_FOUND, G_FILE_ERROR_NOENT },
        { G_IO_ERROR_IS_DIRECTORY, G_FILE_ERROR_ISDIR },
        { G_IO_ERROR_PERMISSION_DENIED, G_FILE_ERROR_ACCES },
        { G_IO_ERROR_READ_ONLY, G_FILE_ERROR_ROFS },
        { G_IO_ERROR_NO_SPACE, G_FILE_ERROR_NOSPC },
        { G_IO_ERROR_NOT_DIRECTORY, G_FILE_ERROR_NOTDIR },
      };

      for (guint i = 0; i < G_N_ELEMENTS (same) && reason == NULL; i++)
        if (cause->code == (int)same[i].io)
          reason = meso_store_describe_file_error (path, same[i].file);
    }
  g_set_error (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_WRITE,
               /* Translators: the first %s is a file name, the second the reason */
               _("Could not write “%s”: %s"), shown,
               reason != NULL ? reason : cause->message);
  return FALSE;
}

gboolean
meso_exchange_write_file (const char  *path,
                  const char  *contents,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, (gssize)length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 EXPORT_FILE_MODE, &local_error))
    return write_failed (path, local_error, error);
  return TRUE;
}

/* ---- the patient's own copy ---- */

gboolean
meso_exchange_export_patient (MesoStore     *store,
                              gint64         patient_id,
                              const char    *path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *partial_path = NULL;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* A new file of our own beside @path (PRIVATE: 0600, like the database),
   * renamed over it once whole. */
  file = g_file_new_for_path (path);
  partial_path = g_strdup_printf ("%s.%08x.partial", path, g_random_int ());
  partial = g_file_new_for_path (partial_path);
  out = g_file_create (partial, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  if (out == NULL)
    return write_failed (path, local_error, error);
  if (meso_store_export_patient (store, patient_id, G_OUTPUT_STREAM (out), cancellable,
                                 &local_error) &&
      g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error) &&
      g_file_move (partial, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                   NULL, NULL, NULL, &local_error))
    return TRUE;

  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
  g_file_delete (partial, NULL, NULL);
  if (local_error->domain == G_IO_ERROR && local_error->code != G_IO_ERROR_CANCELLED)
    return write_failed (path, local_error, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* ---- CSV ---- */

typedef enum
{
  COLUMN_ID,
  COLUMN_NAME,
  COLUMN_BIRTH_DATE,
  COLUMN_PHONE,
  COLUMN_EMAIL,
  COLUMN_SENSITIVE_SKIN,
  COLUMN_NOTES,
  COLUMN_ARCHIVED,
  N_COLUMNS
} Column;

/* The file's column names, in the order the export writes them. */
static const char *const column_names[N_COLUMNS] = {
  "id", "name", "birth_date", "phone", "email", "sensitive_skin", "notes", "archived",
};

/* A spreadsheet runs a cell starting with = + - @, a tab or a carriage
 * return as a formula (OWASP, “CSV Injection”); the export writes a single
 * quote before it, and the import takes that quote away again. Counting the
 * quotes already there makes the round trip exact: “'=x” goes out as
 * “''=x” and comes back as “'=x”. */
static gboolean
csv_cell_needs_guard (const char *text)
{
  while (*text == '\'')
    text++;
  return *text != '\0' && strchr ("=+-@\t\r", *text) != NULL;
}

static const char *
csv_cell_unguard (const char *text)
{
  return text[0] == '\'' && csv_cell_needs_guard (text + 1) ? text + 1 : text;
}

static void
csv_append_field (GString    *out,
                  const char *text)
{
  const char *guard;

  if (text == NULL)
    return;
  guard = csv_cell_needs_guard (text) ? "'" : "";
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, guard);
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  g_string_append (out, guard);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_append_record (GString           *out,
                   const char *const *fields,
                   guint              n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

static void
csv_append_patient (GString     *out,
                    MesoPatient *patient)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_patient_get_id (patient));
  const char *fields[N_COLUMNS] = {
    [COLUMN_ID] = id,
    [COLUMN_NAME] = meso_patient_get_name (patient),
    [COLUMN_BIRTH_DATE] = meso_patient_get_birth_date (patient),
    [COLUMN_PHONE] = meso_patient_get_phone (patient),
    [COLUMN_EMAIL] = meso_patient_get_email (patient),
    [COLUMN_SENSITIVE_SKIN] = meso_patient_get_sensitive_skin (patient) ? "1" : "0",
    [COLUMN_NOTES] = meso_patient_get_notes (patient),
    [COLUMN_ARCHIVED] = meso_patient_get_archived (patient) ? "1" : "0",
  };

  csv_append_record (out, fields, N_COLUMNS);
}

gboolean
meso_exchange_export_patients_csv (MesoStore   *store,
                                   const char  *path,
                                   guint       *n_written,
                                   GError     **error)
{
  return meso_exchange_export_patients_csv_full (store, path, NULL, NULL, NULL, n_written,
                                                 error);
}

gboolean
meso_exchange_export_patients_csv_full (MesoStore        *store,
                                        const char       *path,
                                        MesoProgressFunc  progress,
                                        gpointer          user_data,
                                        GCancellable     *cancellable,
                                        guint            *n_written,
                                        GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint count = 0;
  guint total = 0;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whole lists of patients in and out are a manager's work. */
  if (!meso_store_require (store, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, column_names[i]);
    }
  g_string_append (out, "\r\n");

  /* One transaction, so the pages are one consistent snapshot. */
  if (!meso_store_begin (store, error))
    return FALSE;
  if (progress != NULL && !meso_store_count_patients (store, NULL, TRUE, &total, error))
    {
      meso_store_rollback (store);
      return FALSE;
    }
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          meso_store_rollback (store);
          return FALSE;
        }
      page = meso_store_search_patients (store, NULL, TRUE, count, EXPORT_PAGE_SIZE, error);
      if (page == NULL)
        {
          meso_store_rollback (store);
          return FALSE;
        }
      for (guint i = 0; i < page->len; i++)
        csv_append_patient (out, g_ptr_array_index (page, i));
      count += page->len;
      if (progress != NULL && total > 0)
        progress (MIN (1.0, (double)count / total), user_data);
      if (page->len < EXPORT_PAGE_SIZE)
        break;
    }
  /* Nothing was written: ending the read transaction cannot lose anything. */
  meso_store_rollback (store);

  if (!meso_exchange_write_file (path, out->str, out->len, error))
    return FALSE;
  if (n_written != NULL)
    *n_written = count;
  return TRUE;
}

typedef enum
{
  CSV_RECORD,
  CSV_END,
  CSV_UNCLOSED_QUOTE,  /* the file ends inside a quoted field */
  CSV_STRAY_QUOTE,     /* a quote inside an unquoted field, or text after a closing one */
  CSV_NOT_TEXT,        /* not UTF-8, or a NUL byte */
} CsvStatus;

typedef struct
{
  const char *p;
  const char *end;
  guint       line;  /* the physical line @p is on, from 1 */
} CsvReader;

static gboolean
csv_at_line_end (CsvReader *reader)
{
  return reader->p < reader->end && (*reader->p == '\r' || *reader->p == '\n');
}

/* CRLF, LF or a lone CR. */
static void
csv_skip_line_end (CsvReader *reader)
{
  if (*reader->p == '\r' && reader->p + 1 < reader->end && reader->p[1] == '\n')
    reader->p++;
  reader->p++;
  reader->line++;
}

/* Reads one record into @fields (strings); blank lines are skipped. On a
 * problem, @fields holds the fields before the bad one, so its index is
 * fields->len. @line is the physical line where the record starts. */
static CsvStatus
csv_read_record (CsvReader *reader,
                 GPtrArray *fields,
                 guint     *line)
{
  g_ptr_array_set_size (fields, 0);

  while (csv_at_line_end (reader))
    csv_skip_line_end (reader);
  if (reader->p >= reader->end)
    return CSV_END;
  *line = reader->line;

  for (;;)
    {
      g_autoptr(GString) field = g_string_new (NULL);

      if (reader->p < reader->end && *reader->p == '"')
        {
          reader->p++;
          for (;;)
            {
              char c;

              if (reader->p >= reader->end)
                return CSV_UNCLOSED_QUOTE;
              c = *reader->p++;
              if (c == '"')
                {
                  if (reader->p < reader->end && *reader->p == '"')
                    {
                      g_string_append_c (field, '"');
                      reader->p++;
                      continue;
                    }
                  break;
                }
              /* Line breaks inside quotes are data, kept byte for byte. */
              if (c == '\n' ||
                  (c == '\r' && (reader->p >= reader->end || *reader->p != '\n')))
                reader->line++;
              g_string_append_c (field, c);
            }
          if (reader->p < reader->end && *reader->p != ',' && !csv_at_line_end (reader))
            return CSV_STRAY_QUOTE;
        }
      else
        {
          while (reader->p < reader->end && *reader->p != ',' && !csv_at_line_end (reader))
            {
              if (*reader->p == '"')
                return CSV_STRAY_QUOTE;
              g_string_append_c (field, *reader->p++);
            }
        }

      if (!g_utf8_validate_len (field->str, field->len, NULL))
        return CSV_NOT_TEXT;
      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));

      if (reader->p >= reader->end)
        return CSV_RECORD;
      if (*reader->p == ',')
        {
          reader->p++;
          continue;
        }
      csv_skip_line_end (reader);
      return CSV_RECORD;
    }
}

static void
set_line_error (GError     **error,
                guint        line,
                const char  *column,
                const char  *message)
{
  if (column != NULL)
    g_set_error (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_PARSE,
                 /* Translators: “Line 7, column “email”: <what is wrong>” */
                 _("Line %u, column “%s”: %s"), line, column, message);
  else
    g_set_error (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_PARSE,
                 /* Translators: “Line 7: <what is wrong>” */
                 _("Line %u: %s"), line, message);
}

static void
set_reader_error (GError      **error,
                  CsvStatus     status,
                  guint         line,
                  const char   *column)
{
  const char *message;

  switch (status)
    {
    case CSV_UNCLOSED_QUOTE:
      message = _("The quoted text is never closed: a closing quote (\") is missing.");
      break;
    case CSV_STRAY_QUOTE:
      message = _("A quote (\") must enclose the whole field, and a quote inside it "
                  "must be doubled (\"\").");
      break;
    case CSV_NOT_TEXT:
      message = _("The text is not valid UTF-8: save the file as UTF-8 and try again.");
      break;
    case CSV_RECORD:
    case CSV_END:
    default:
      g_return_if_reached ();
    }
  set_line_error (error, line, column, message);
}

static gboolean
parse_header (CsvReader  *reader,
              GPtrArray  *fields,
              GArray     *columns,
              GError    **error)
{
  gboolean seen[N_COLUMNS] = { FALSE };
  CsvStatus status;
  guint line = reader->line;

  status = csv_read_record (reader, fields, &line);
  if (status == CSV_END)
    {
      set_line_error (error, line, NULL,
                      _("The file is empty: it needs a header row naming the columns."));
      return FALSE;
    }
  if (status != CSV_RECORD)
    {
      set_reader_error (error, status, line, NULL);
      return FALSE;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip ((char *)g_ptr_array_index (fields, i)),
                                               -1);
      Column column = N_COLUMNS;

      for (guint c = 0; c < N_COLUMNS; c++)
        if (strcmp (name, column_names[c]) == 0)
          column = c;

      if (*name == '\0')
        {
          g_autofree char *message =
            /* Translators: %u is the position of a column, from 1 */
            g_strdup_printf (_("Column %u has no name."), i + 1);

          set_line_error (error, line, NULL, message);
          return FALSE;
        }
      if (column == N_COLUMNS)
        {
          g_autofree char *known = g_strjoinv (", ", (char **)column_names);
          g_autofree char *message =
            /* Translators: %s is the list of column names, e.g. “id, name, …” */
            g_strdup_printf (_("This column is unknown. The columns are: %s."), known);

          set_line_error (error, line, name, message);
          return FALSE;
        }
      if (seen[column])
        {
          set_line_error (error, line, name, _("This column appears twice."));
          return FALSE;
        }
      seen[column] = TRUE;
      g_array_append_val (columns, column);
    }

  if (!seen[COLUMN_NAME])
    {
      set_line_error (error, line, column_names[COLUMN_NAME],
                      _("This column is missing: every patient needs a name."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_boolean (const char *text,
               gboolean   *value)
{
  g_autofree char *bare = g_strstrip (g_ascii_strdown (text, -1));

  if (*bare == '\0' || strcmp (bare, "0") == 0 || strcmp (bare, "false") == 0)
    *value = FALSE;
  else if (strcmp (bare, "1") == 0 || strcmp (bare, "true") == 0)
    *value = TRUE;
  else
    return FALSE;
  return TRUE;
}

/* The column a patient property comes from: "birth-date" → "birth_date". */
static const char *
column_for_property (const char *property)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      const char *a = column_names[c], *b = property;

      while (*a != '\0' && (*a == *b || (*a == '_' && *b == '-')))
        a++, b++;
      if (*a == '\0' && *b == '\0')
        return column_names[c];
    }
  return NULL;
}

static MesoPatient *
patient_from_record (GPtrArray  *fields,
                     GArray     *columns,
                     guint       line,
                     GError    **error)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GError) local_error = NULL;
  const char *property = NULL;

  if (fields->len != columns->len)
    {
      g_autofree char *message =
        /* Translators: both are numbers of fields */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The row has %u field but the header has %u.",
                                      "The row has %u fields but the header has %u.",
                                      fields->len),
                         fields->len, columns->len);

      set_line_error (error, line, NULL, message);
      return NULL;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      const char *text = csv_cell_unguard (g_ptr_array_index (fields, i));
      Column column = g_array_index (columns, Column, i);
      gboolean flag;

      switch (column)
        {
        case COLUMN_ID:
          break;  /* new patients get new numbers */
        case COLUMN_NAME:
          meso_patient_set_name (patient, text);
          break;
        case COLUMN_BIRTH_DATE:
          meso_patient_set_birth_date (patient, text);
          break;
        case COLUMN_PHONE:
          meso_patient_set_phone (patient, text);
          break;
        case COLUMN_EMAIL:
          meso_patient_set_email (patient, text);
          break;
        case COLUMN_NOTES:
          meso_patient_set_notes (patient, text);
          break;
        case COLUMN_SENSITIVE_SKIN:
        case COLUMN_ARCHIVED:
          if (!parse_boolean (text, &flag))
            {
              g_autofree char *message =
                /* Translators: %s is what the file holds */
                g_strdup_printf (_("“%s” is not a yes or no: use 1 or 0, true or false."),
                                 text);

              set_line_error (error, line, column_names[column], message);
              return NULL;
            }
          if (column == COLUMN_ARCHIVED)
            meso_patient_set_archived (patient, flag);
          else
            meso_patient_set_sensitive_skin (patient, flag);
          break;
        case N_COLUMNS:
        default:
          g_assert_not_reached ();
        }
    }

  if (!meso_patient_validate (patient, &property, &local_error))
    {
      set_line_error (error, line, column_for_property (property), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&patient);
}

gboolean
meso_exchange_import_patients_csv (MesoStore   *store,
                                   const char  *path,
                                   guint       *n_imported,
                                   GError     **error)
{
  return meso_exchange_import_patients_csv_full (store, path, NULL, NULL, NULL, n_imported,
                                                 error);
}

/* How many rows between two progress reports: often enough for a bar. */
#define IMPORT_PROGRESS_ROWS 200

typedef struct
{
  MesoProgressFunc progress;
  gpointer         user_data;
} FractionProgress;

static void
report_fraction (guint    done,
                 guint    total,
                 gpointer data)
{
  FractionProgress *fraction = data;

  fraction->progress (total > 0 ? MIN (1.0, (double)done / total) : 1.0, fraction->user_data);
}

gboolean
meso_exchange_import_patients_csv_full (MesoStore        *store,
                                        const char       *path,
                                        MesoProgressFunc  progress,
                                        gpointer          user_data,
                                        GCancellable     *cancellable,
                                        guint            *n_imported,
                                        GError          **error)
{
  FractionProgress fraction = { progress, user_data };

  return meso_exchange_import_patients_csv_rows (store, path,
                                                 progress != NULL ? report_fraction : NULL,
                                                 &fraction, cancellable, n_imported, error);
}

/* The records after the header, up to the first bad one (included: the
 * import stops there). */
static guint
count_records (const CsvReader *start)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  CsvReader reader = *start;
  guint line = 0;
  guint total = 0;
  CsvStatus status;

  while ((status = csv_read_record (&reader, fields, &line)) != CSV_END)
    {
      total++;
      if (status != CSV_RECORD)
        break;
    }
  return total;
}

gboolean
meso_exchange_import_patients_csv_rows (MesoStore              *store,
                                        const char             *path,
                                        MesoImportProgressFunc  progress,
                                        gpointer                user_data,
                                        GCancellable           *cancellable,
                                        guint                  *n_imported,
                                        GError                **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (Column));
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;
  CsvReader reader = { 0 };
  gsize length = 0;
  guint count = 0;
  guint total = 0;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whole lists of patients in and out are a manager's work. */
  if (!meso_store_require (store, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_autofree char *shown = g_filename_display_name (path);
      const char *reason = meso_store_describe_file_error (path, read_error->code);

      g_set_error (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_READ,
                   /* Translators: the first %s is a file name, the second the reason */
                   _("Could not read “%s”: %s"), shown,
                   reason != NULL ? reason : read_error->message);
      return FALSE;
    }

  reader.p = contents;
  reader.end = contents + length;
  reader.line = 1;
  /* Spreadsheets often start a UTF-8 file with a byte order mark. */
  if (length >= 3 && memcmp (contents, "\xEF\xBB\xBF", 3) == 0)
    reader.p += 3;

  if (!parse_header (&reader, fields, columns, error))
    return FALSE;
  if (progress != NULL)
    total = count_records (&reader);

  /* All or nothing: every row is added inside one transaction. */
  if (!meso_store_begin (store, error))
    return FALSE;
  for (;;)
    {
      g_autoptr(MesoPatient) patient = NULL;
      g_autoptr(GError) local_error = NULL;
      guint line = reader.line;
      CsvStatus status = csv_read_record (&reader, fields, &line);

      if (status == CSV_END)
        break;
      /* Rolled back below: a cancelled import stores nothing. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (progress != NULL && count % IMPORT_PROGRESS_ROWS == 0)
        progress (count, total, user_data);
      if (status != CSV_RECORD)
        {
          const char *column = NULL;

          if (fields->len < columns->len)
            column = column_names[g_array_index (columns, Column, fields->len)];
          set_reader_error (error, status, line, column);
          goto failed;
        }

      patient = patient_from_record (fields, columns, line, error);
      if (patient == NULL)
        goto failed;
      if (!meso_store_add_patient (store, patient, &local_error))
        {
          if (g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
            set_line_error (error, line, NULL, local_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      count++;
    }
  if (progress != NULL)
    progress (count, total, user_data);
  if (!meso_store_commit (store, error))
    return FALSE;

  if (n_imported != NULL)
    *n_imported = count;
  return TRUE;

failed:
  meso_store_rollback (store);
  return FALSE;
}

/* ---- call lists ---- */

static char *
format_day_or_empty (const GDate *day)
{
  return g_date_valid (day) ? meso_format_date_iso (day) : g_strdup ("");
}

gboolean
meso_exchange_export_call_list_csv (MesoStore        *store,
                                    const GDate      *day,
                                    MesoPanelSection  section,
                                    const char       *path,
                                    guint            *n_written,
                                    GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) out = g_string_new ("name,phone,area,last_session,from,until\r\n");

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (section < MESO_PANEL_N_SECTIONS, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  rows = meso_store_list_panel_page (store, day, section, 0, 0, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const MesoReminder *r = g_ptr_array_index (rows, i);
      g_autoptr(GDateTime) session_at = meso_reminder_dup_session_at (r);
      g_autofree char *session = NULL;
      g_autofree char *from = NULL;
      g_autofree char *until = NULL;
      GDate session_day, first, last;

      meso_date_from_date_time (session_at, &session_day);
      meso_reminder_get_days (r, &first, &last);
      session = format_day_or_empty (&session_day);
      from = format_day_or_empty (&first);
      until = format_day_or_empty (&last);
      {
        const char *fields[] = { r->patient, r->phone, meso_area_get_label (r->area), session,
                                 from, until };

        csv_append_record (out, fields, G_N_ELEMENTS (fields));
      }
    }
  if (!meso_exchange_write_file (path, out->str, out->len, error))
    return FALSE;
  if (n_written != NULL)
    *n_written = rows->len;
  return TRUE;
}

typedef struct
{
  GString *out;
  guint    n;
} LotCsv;

static void
lot_patient_csv_cb (const MesoLotPatient *row,
                    gpointer              user_data)
{
  LotCsv *csv = user_data;
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (row->at);
  g_autofree char *at_text = meso_format_date_time_iso (at);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->patient_id);
  const char *fields[] = { id, row->patient, at_text, meso_area_get_label (row->area),
                           row->phone, row->email, row->product, row->lot };

  csv_append_record (csv->out, fields, G_N_ELEMENTS (fields));
  csv->n++;
}

gboolean
meso_exchange_export_lot_patients_csv (MesoStore   *store,
                                       const char  *number,
                                       const char  *path,
                                       guint       *n_written,
                                       GError     **error)
{
  g_autoptr(GString) out = g_string_new ("patient_id,name,session_at,area,phone,email,"
                                         "product,lot\r\n");
  LotCsv csv = { out, 0 };

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!meso_store_list_lot_patients (store, number, lot_patient_csv_cb, &csv, error) ||
      !meso_exchange_write_file (path, out->str, out->len, error))
    return FALSE;
  if (n_written != NULL)
    *n_written = csv.n;
  return TRUE;
}

/* ---- iCalendar ---- */

#define ICS_PRODID "-//Mesodesk//Mesodesk " PACKAGE_VERSION "//EN"

/* "Europe/Berlin" from "/usr/share/zoneinfo/Europe/Berlin"; NULL if @path
 * names no zone file. */
static char *
zone_name_from_path (const char *path)
{
  const char *found = strstr (path, "/zoneinfo/");

  if (found == NULL || found[strlen ("/zoneinfo/")] == '\0')
    return NULL;
  found += strlen ("/zoneinfo/");
  /* zoneinfo/posix/ holds the same zones under the same names. */
  if (g_str_has_prefix (found, "posix/"))
    found += strlen ("posix/");
  return g_strdup (found);
}

static char *
zone_name_from_link (const char *path)
{
  g_autofree char *target = g_file_read_link (path, NULL);

  return target != NULL ? zone_name_from_path (target) : NULL;
}

/* The IANA name of the local time zone, as GLib uses it: from TZ when set,
 * else from the system's settings. NULL when it has no name (a POSIX rule
 * in TZ, for example). */
static char *
local_zone_name (void)
{
  const char *tz = g_getenv ("TZ");
  g_autoptr(GTimeZone) local = NULL;
  g_autofree char *etc_timezone = NULL;
  const char *identifier;
  char *name;

  if (tz != NULL && *tz != '\0')
    {
      if (*tz == ':')
        tz++;
      if (*tz != '/')
        return g_strdup (tz);
      name = zone_name_from_path (tz);
      return name != NULL ? name : zone_name_from_link (tz);
    }

  local = g_time_zone_new_local ();
  identifier = g_time_zone_get_identifier (local);
  if (identifier != NULL && *identifier != '\0' && *identifier != '/')
    return g_strdup (identifier);

  name = zone_name_from_link ("/etc/localtime");
  if (name != NULL)
    return name;
  if (g_file_get_contents ("/etc/timezone", &etc_timezone, NULL, NULL))
    {
      g_strstrip (etc_timezone);
      if (*etc_timezone != '\0')
        return g_steal_pointer (&etc_timezone);
    }
  return NULL;
}

static gboolean
zone_name_is_utc (const char *name)
{
  static const char *const utc_names[] = {
    "UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0", "Universal", "Zulu", "Greenwich",
  };

  if (g_str_has_prefix (name, "Etc/"))
    name += strlen ("Etc/");
  for (guint i = 0; i < G_N_ELEMENTS (utc_names); i++)
    if (strcmp (name, utc_names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The local zone as libical knows it, with its name in @tzid; NULL (UTC
 * times are written then) for UTC or a zone without a known name. */
static icaltimezone *
local_ical_zone (char **tzid)
{
  g_autofree char *name = local_zone_name ();
  icaltimezone *zone;

  if (name == NULL || zone_name_is_utc (name) || strstr (name, "..") != NULL)
    return NULL;
  zone = icaltimezone_get_builtin_timezone (name);
  if (zone == NULL)
    return NULL;
  *tzid = g_steal_pointer (&name);
  return zone;
}

/* libical names its zones "/freeassociation.sourceforge.net/Europe/Berlin";
 * calendar programs recognise the plain IANA name, so the file uses that. */
static icalcomponent *
vtimezone_for (icaltimezone *zone,
               const char   *tzid)
{
  icalcomponent *vtimezone = icalcomponent_new_clone (icaltimezone_get_component (zone));
  icalproperty *prop = icalcomponent_get_first_property (vtimezone, ICAL_TZID_PROPERTY);

  if (prop != NULL)
    icalproperty_set_tzid (prop, tzid);
  else
    icalcomponent_add_property (vtimezone, icalproperty_new_tzid (tzid));
  return vtimezone;
}

/* A date-time property: local time with TZID when @zone is known, else UTC. */
static icalproperty *
time_property (icalproperty_kind  kind,
               GDateTime         *when,
               icaltimezone      *zone,
               const char        *tzid)
{
  icaltimezone *utc = icaltimezone_get_utc_timezone ();
  struct icaltimetype t = icaltime_from_timet_with_zone ((time_t)g_date_time_to_unix (when),
                                                         0, utc);
  icalproperty *prop = icalproperty_new (kind);

  if (zone != NULL)
    t = icaltime_convert_to_zone (t, zone);
  icalproperty_set_value (prop, icalvalue_new_datetime (t));
  if (zone != NULL)
    icalproperty_add_parameter (prop, icalparameter_new_tzid (tzid));
  return prop;
}

static icalproperty_status
ical_status_for (MesoAppointmentStatus status)
{
  switch (status)
    {
    case MESO_APPOINTMENT_CANCELLED:
    case MESO_APPOINTMENT_NO_SHOW:
      return ICAL_STATUS_CANCELLED;
    case MESO_APPOINTMENT_BOOKED:
    case MESO_APPOINTMENT_CHECKED_IN:
    case MESO_APPOINTMENT_DONE:
    default:
      return ICAL_STATUS_CONFIRMED;
    }
}

static char *
summary_for (MesoAppointment *appointment,
             MesoIcsFlags     flags)
{
  const char *name = meso_appointment_get_patient_name (appointment);
  gboolean include_area = (flags & MESO_ICS_INCLUDE_AREA) != 0;

  if (!(flags & MESO_ICS_INCLUDE_NAME))
    {
      long long id = (long long)meso_appointment_get_id (appointment);

      if (include_area)
        /* Translators: a calendar entry: the appointment's number, then the area, e.g. “(Face)” */
        return g_strdup_printf (_("Mesodesk appointment %lld (%s)"), id,
                                meso_area_get_label (meso_appointment_get_area (appointment)));
      /* Translators: a calendar entry that names no patient: the appointment's number */
      return g_strdup_printf (_("Mesodesk appointment %lld"), id);
    }
  if (name == NULL || *name == '\0')
    /* Translators: a calendar entry's title when the patient has no name */
    name = _("appointment");
  if (include_area)
    /* Translators: a calendar entry: the patient's name, then the area, e.g. “(Face)” */
    return g_strdup_printf (_("Mesodesk: %s (%s)"), name,
                            meso_area_get_label (meso_appointment_get_area (appointment)));
  /* Translators: a calendar entry: the patient's name */
  return g_strdup_printf (_("Mesodesk: %s"), name);
}

static icalcomponent *
vevent_for (MesoAppointment *appointment,
            const char      *install_id,
            MesoIcsFlags     flags,
            icaltimezone    *zone,
            const char      *tzid,
            GDateTime       *stamp)
{
  icalcomponent *vevent = icalcomponent_new_vevent ();
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  g_autofree char *summary = summary_for (appointment, flags);
  /* The appointment's number within this database's own random name: stable
   * across exports, distinct between clinics. */
  g_autofree char *uid = g_strdup_printf ("appointment-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                                          "@%s.mesodesk.invalid",
                                          meso_appointment_get_id (appointment),
                                          meso_appointment_get_patient_id (appointment),
                                          install_id);

  icalcomponent_add_property (vevent, icalproperty_new_uid (uid));
  icalcomponent_add_property (vevent, time_property (ICAL_DTSTAMP_PROPERTY, stamp, NULL, NULL));
  icalcomponent_add_property (vevent,
                              time_property (ICAL_DTSTART_PROPERTY,
                                             meso_appointment_get_start (appointment), zone,
                                             tzid));
  icalcomponent_add_property (vevent, time_property (ICAL_DTEND_PROPERTY, end, zone, tzid));
  icalcomponent_add_property (vevent, icalproperty_new_summary (summary));
  icalcomponent_add_property (vevent,
                              icalproperty_new_status (
                                ical_status_for (meso_appointment_get_status (appointment))));
  return vevent;
}

gboolean
meso_exchange_export_ics (MesoStore     *store,
                          const char    *path,
                          GDateTime     *from,
                          GDateTime     *to,
                          MesoIcsFlags   flags,
                          guint         *n_written,
                          GError       **error)
{
  g_autoptr(GDateTime) earliest = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) latest = g_date_time_new_utc (9999, 12, 31, 0, 0, 0);
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autoptr(GPtrArray) appointments = NULL;
  g_autofree char *tzid = NULL;
  icalcomponent *calendar;
  icaltimezone *zone;
  char *text;
  gboolean written;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!meso_store_require (store, MESO_PERMISSION_MANAGE, error))
    return FALSE;
  appointments = meso_store_list_appointments (store, from != NULL ? from : earliest,
                                               to != NULL ? to : latest, error);
  if (appointments == NULL)
    return FALSE;

  zone = local_ical_zone (&tzid);
  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_prodid (ICS_PRODID));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  if (zone != NULL)
    icalcomponent_add_component (calendar, vtimezone_for (zone, tzid));
  for (guint i = 0; i < appointments->len; i++)
    icalcomponent_add_component (calendar,
                                 vevent_for (g_ptr_array_index (appointments, i),
                                             meso_store_get_install_id (store), flags,
                                             zone, tzid, now));

  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  written = meso_exchange_write_file (path, text, strlen (text), error);
  icalmemory_free_buffer (text);
  if (!written)
    return FALSE;

  if (n_written != NULL)
    *n_written = appointments->len;
  return TRUE;
}
