/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: patients, their search index, flags, and the clinic's
 * practitioners, rooms and opening hours. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PATIENT_COLUMNS MESO_STORE_PATIENT_COLUMNS
#define PAGE_COLUMNS MESO_STORE_PATIENT_PAGE_COLUMNS ("patients")

/* A case- and accent-insensitive key, so “Ärzte” sorts with “Arzt”. */
char *
meso_store_sort_key (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = g_string_new (NULL);

  for (const char *p = decomposed; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, -1);
}

/* @text's digits alone: "(0151) 23 45" is "01512345", "1985-03-14"
 * "19850314". */
static void
append_digits (GString    *out,
               const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
}

/* What the search index holds besides the name: the phone as typed and as
 * bare digits (so “0151” finds “(0151) 23 45”), the e-mail, and the birth
 * date as one word of digits (a typed date becomes that word:
 * search_text_words()). */
char *
meso_store_contact_document (const char *phone,
                             const char *email,
                             const char *birth_date)
{
  g_autoptr(GString) doc = g_string_new (NULL);

  if (birth_date != NULL && *birth_date != '\0')
    {
      append_digits (doc, birth_date);
      g_string_append_c (doc, ' ');
    }

  if (phone != NULL)
    {
      g_string_append (doc, phone);
      g_string_append_c (doc, ' ');
      append_digits (doc, phone);
      g_string_append_c (doc, ' ');
    }
  if (email != NULL)
    g_string_append (doc, email);
  return g_string_free (g_steal_pointer (&doc), FALSE);
}

gboolean
meso_store_index_patient (MesoStore  *self,
                          gint64      id,
                          GError    **error)
{
  return meso_store_get_provider (self)->index_patients (self, id, error);
}

static MesoPatient *
patient_from_row (MesoDbStmt *stmt)
{
  MesoPatient *patient = meso_patient_new ();

  meso_patient_set_id (patient, meso_db_column_int64 (stmt, 0));
  meso_patient_set_name (patient, meso_db_column_text (stmt, 1));
  meso_patient_set_birth_date (patient, meso_db_column_text (stmt, 2));
  meso_patient_set_phone (patient, meso_db_column_text (stmt, 3));
  meso_patient_set_email (patient, meso_db_column_text (stmt, 4));
  meso_patient_set_sensitive_skin (patient, meso_db_column_int (stmt, 5) != 0);
  meso_patient_set_notes (patient, meso_db_column_text (stmt, 6));
  meso_patient_set_archived (patient, meso_db_column_int (stmt, 7) != 0);
  /* A page's row: the next appointment (MESO_STORE_PAGE_OF). */
  if (meso_db_column_count (stmt) > 8 && !meso_db_column_is_null (stmt, 8))
    meso_patient_set_next_appointment (patient, meso_db_column_int64 (stmt, 8));
  return patient;
}

static gboolean
validate_patient (MesoPatient  *patient,
                  GError      **error)
{
  GError *local_error = NULL;

  return meso_patient_validate (patient, NULL, &local_error) ||
         meso_store_invalid (error, local_error);
}

static void
bind_patient (MesoDbStmt  *stmt,
              MesoPatient *patient)
{
  g_autofree char *name = g_strstrip (g_strdup (meso_patient_get_name (patient)));
  g_autofree char *key = meso_store_sort_key (name);

  meso_db_bind_text (stmt, 1, name);
  meso_db_bind_text (stmt, 2, key);
  meso_db_bind_text (stmt, 3, meso_patient_get_birth_date (patient));
  meso_db_bind_text (stmt, 4, meso_patient_get_phone (patient));
  meso_db_bind_text (stmt, 5, meso_patient_get_email (patient));
  meso_db_bind_int64 (stmt, 6, meso_patient_get_sensitive_skin (patient));
  meso_db_bind_text (stmt, 7, meso_patient_get_notes (patient));
  meso_db_bind_int64 (stmt, 8, meso_patient_get_archived (patient));
}

typedef struct
{
  MesoPatient *patient;
  gint64       id;
} PatientWrite;

static gboolean
add_patient_cb (MesoStore  *self,
                gpointer    data,
                GError    **error)
{
  PatientWrite *write = data;
  g_autoptr(GDateTime) now = meso_clock_now ();
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self,
                             "INSERT INTO patients (name, sort_key, birth_date, phone, email, "
                             "sensitive_skin, notes, archived, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_patient (stmt, write->patient);
  meso_db_bind_int64 (stmt, 9, g_date_time_to_unix (now));
  return meso_store_step_id (self, stmt, &write->id, error) &&
         meso_store_index_patient (self, write->id, error);
}

gboolean
meso_store_add_patient (MesoStore    *self,
                        MesoPatient  *patient,
                        GError      **error)
{
  PatientWrite write = { patient, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_PATIENT (patient), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (!validate_patient (patient, error) ||
      !meso_store_run_write (self, add_patient_cb, &write, error))
    return FALSE;
  meso_patient_set_id (patient, write.id);
  return TRUE;
}

/* @phone's digits, NULL when it has none. */
static char *
phone_digits (const char *phone)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  if (phone != NULL)
    append_digits (digits, phone);
  return digits->len > 0 ? g_string_free (g_steal_pointer (&digits), FALSE) : NULL;
}

/* The namesakes are read in patients_namesakes (schema 7), a few rows;
 * birth date and phone are compared here, the phone by its digits. */
GPtrArray *
meso_store_find_namesakes (MesoStore    *self,
                           MesoPatient  *patient,
                           GError      **error)
{
  g_autoptr(GPtrArray) namesakes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *digits = NULL;
  const char *birth_date;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (MESO_IS_PATIENT (patient), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  namesakes = g_ptr_array_new_with_free_func (g_object_unref);
  name = g_strstrip (g_strdup (meso_patient_get_name (patient)));
  birth_date = meso_patient_get_birth_date (patient);
  digits = phone_digits (meso_patient_get_phone (patient));
  if (*name == '\0' || (birth_date == NULL && digits == NULL))
    return g_steal_pointer (&namesakes);
  key = meso_store_sort_key (name);

  stmt = meso_store_prepare (self,
                             "SELECT " PATIENT_COLUMNS " FROM patients "
                             "WHERE sort_key = ?1 AND id <> ?2 ORDER BY id",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_text (stmt, 1, key);
  meso_db_bind_int64 (stmt, 2, meso_patient_get_id (patient));
  while (meso_store_step_row (self, stmt, &local_error))
    {
      g_autoptr(MesoPatient) other = patient_from_row (stmt);
      g_autofree char *other_digits = phone_digits (meso_patient_get_phone (other));

      if ((birth_date != NULL && g_strcmp0 (birth_date, meso_patient_get_birth_date (other)) == 0) ||
          (digits != NULL && g_strcmp0 (digits, other_digits) == 0))
        g_ptr_array_add (namesakes, g_steal_pointer (&other));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&namesakes);
}

gboolean
meso_store_patient_exists (MesoStore  *self,
                           gint64      id,
                           gboolean   *sensitive_skin,
                           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, "SELECT sensitive_skin FROM patients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, id);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      if (sensitive_skin != NULL)
        *sensitive_skin = meso_db_column_int (stmt, 0) != 0;
      meso_db_reset (stmt);
      return TRUE;
    }
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                 /* Translators: %lld is a patient number */
                 _("There is no patient number %lld."), (long long)id);
  return FALSE;
}

static gboolean
update_patient_cb (MesoStore  *self,
                   gpointer    data,
                   GError    **error)
{
  PatientWrite *write = data;
  gboolean was_sensitive = FALSE;
  MesoDbStmt *stmt;

  if (!meso_store_patient_exists (self, write->id, &was_sensitive, error))
    return FALSE;

  stmt = meso_store_prepare (self,
                             "UPDATE patients SET name = ?1, sort_key = ?2, birth_date = ?3, "
                             "phone = ?4, email = ?5, sensitive_skin = ?6, notes = ?7, "
                             "archived = ?8 WHERE id = ?9",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_patient (stmt, write->patient);
  meso_db_bind_int64 (stmt, 9, write->id);
  if (!meso_store_step_done (self, stmt, error) ||
      !meso_store_index_patient (self, write->id, error))
    return FALSE;

  /* Sensitive skin moves every follow-up window of this patient. */
  return was_sensitive == meso_patient_get_sensitive_skin (write->patient) ||
         meso_store_update_courses (self, write->id, error);
}

gboolean
meso_store_update_patient (MesoStore    *self,
                           MesoPatient  *patient,
                           GError      **error)
{
  PatientWrite write = { patient, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_PATIENT (patient), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  write.id = meso_patient_get_id (patient);
  return validate_patient (patient, error) &&
         meso_store_run_write (self, update_patient_cb, &write, error);
}

MesoPatient *
meso_store_get_patient (MesoStore  *self,
                        gint64      id,
                        GError    **error)
{
  MesoDbStmt *stmt;
  MesoPatient *patient;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, id);
  if (!meso_store_step_found (self, stmt, error,
                              /* Translators: %lld is a patient number */
                              _("There is no patient number %lld."), (long long)id))
    return NULL;
  patient = patient_from_row (stmt);
  meso_db_reset (stmt);
  return patient;
}

/* One column of an existing patient: the archive and the recall state. */
typedef struct
{
  gint64       id;
  const char  *sql;       /* ?1 the patient, ?2 the value */
  const char  *text;      /* the value, or NULL for @number */
  gint64       number;
  gboolean     courses;   /* the courses follow the change */
} PatientChange;

static gboolean
change_patient_cb (MesoStore  *self,
                   gpointer    data,
                   GError    **error)
{
  PatientChange *change = data;
  MesoDbStmt *stmt;

  if (!meso_store_patient_exists (self, change->id, NULL, error))
    return FALSE;
  stmt = meso_store_prepare (self, change->sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, change->id);
  if (change->text != NULL)
    meso_db_bind_text (stmt, 2, change->text);
  else
    meso_db_bind_int64 (stmt, 2, change->number);
  return meso_store_step_done (self, stmt, error) &&
         (!change->courses || meso_store_update_courses (self, change->id, error));
}

gboolean
meso_store_set_patient_archived (MesoStore  *self,
                                 gint64      id,
                                 gboolean    archived,
                                 GError    **error)
{
  PatientChange change = { id, "UPDATE patients SET archived = ?2 WHERE id = ?1", NULL,
                           archived ? 1 : 0, FALSE };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  return meso_store_run_write (self, change_patient_cb, &change, error);
}

GPtrArray *
meso_store_search_words (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = text; p != NULL; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c)))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return g_steal_pointer (&words);
}

/* unicode61 folds one character at a time (simple lower case, no “ß” to
 * “ss”) and removes a diacritic only where a Latin letter is left: “é”, “Ä”
 * and “ǖ” lose theirs, “ø” and “ł”, which decompose to nothing, keep it. */
char *
meso_store_search_fold (const char *word)
{
  g_autoptr(GString) folded = g_string_new (NULL);

  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));
      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n;

      if (g_unichar_ismark (c))
        continue;
      n = g_unichar_fully_decompose (c, FALSE, parts, G_N_ELEMENTS (parts));
      if (n > 1 && parts[0] < 0x80)
        c = parts[0];
      g_string_append_unichar (folded, c);
    }
  return g_string_free (g_steal_pointer (&folded), FALSE);
}

static void
add_folded_words (GPtrArray   *entry,
                  GHashTable  *seen,
                  const char  *text)
{
  g_autoptr(GPtrArray) words = meso_store_search_words (text);

  for (guint i = 0; i < words->len; i++)
    {
      char *folded = meso_store_search_fold (words->pdata[i]);

      /* A word of marks alone folds to nothing; @seen frees a word it has. */
      if (*folded == '\0')
        {
          g_free (folded);
          continue;
        }
      if (!g_hash_table_add (seen, folded))
        continue;
      g_ptr_array_add (entry, g_strdup (folded));
    }
}

GPtrArray *
meso_store_search_entry (const char *name,
                         const char *phone,
                         const char *email,
                         const char *birth_date)
{
  g_autoptr(GPtrArray) entry = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contact = meso_store_contact_document (phone, email, birth_date);

  add_folded_words (entry, seen, name);
  add_folded_words (entry, seen, contact);
  return g_steal_pointer (&entry);
}

/* The words of a typed search: a date in the locale's form or ISO
 * ("14.03.1985", "03/14/1985", "1985-03-14") is the birth date's one word
 * in the index ("19850314"); the rest as meso_store_search_words() splits
 * it. */
static GPtrArray *
search_text_words (const char *text)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit_set (text != NULL ? text : "", " \t\n", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      GDate date;

      if (*parts[i] == '\0')
        continue;
      g_string_append_c (words, ' ');
      if (meso_date_parse_locale (parts[i], &date, NULL))
        g_string_append_printf (words, "%04u%02u%02u", g_date_get_year (&date),
                                g_date_get_month (&date), g_date_get_day (&date));
      else
        g_string_append (words, parts[i]);
    }
  return meso_store_search_words (words->str);
}

/* Each word typed becomes a prefix that must start a word of the name, the
 * phone, the e-mail or the birth date: “ann mü” finds “Anna Müller”. The archived are left
 * out by the index's state column (not searched for the words), unless
 * @include_archived. NULL: no words. */
char *
meso_store_search_query (const char *text,
                         gboolean    include_archived)
{
  g_autoptr(GPtrArray) typed = search_text_words (text);
  g_autoptr(GString) words = g_string_new (NULL);

  /* Quoted, so nothing typed is read as FTS syntax. */
  for (guint i = 0; i < typed->len; i++)
    g_string_append_printf (words, "%s\"%s\"*", i > 0 ? " " : "", (char *)typed->pdata[i]);

  if (words->len == 0)
    return NULL;
  if (include_archived)
    return g_strdup_printf ("{name contact} : (%s)", words->str);
  return g_strdup_printf ("({name contact} : (%s)) NOT state : " MESO_STORE_SEARCH_ARCHIVED,
                          words->str);
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  size_t la = strlen (*(char *const *)a), lb = strlen (*(char *const *)b);

  return la < lb ? 1 : la > lb ? -1 : strcmp (*(char *const *)a, *(char *const *)b);
}

static void
search_text_clear (MesoSearchText *search)
{
  g_clear_pointer (&search->query, g_free);
  g_clear_pointer (&search->words, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MesoSearchText, search_text_clear)

/* FALSE: @text has no words (everyone is listed). */
static gboolean
search_text_init (MesoStore      *self,
                  MesoSearchText *search,
                  const char     *text,
                  gboolean        include_archived)
{
  const MesoStoreProvider *provider = meso_store_get_provider (self);
  g_autoptr(GPtrArray) typed = search_text_words (text);

  search->query = meso_store_search_query (text, include_archived);
  search->include_archived = include_archived;
  search->words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < typed->len; i++)
    g_ptr_array_add (search->words, meso_store_search_fold (typed->pdata[i]));
  /* The longest word matches fewest: an engine that starts from one word's
   * matches starts from it. */
  g_ptr_array_sort (search->words, compare_longest_first);
  if (search->words->len > 1 && provider->order_search != NULL)
    provider->order_search (self, search);
  return search->query != NULL;
}

static void
bind_search (MesoStore            *self,
             MesoDbStmt           *stmt,
             const MesoSearchText *search)
{
  meso_store_get_provider (self)->bind_search (stmt, search);
}

void
meso_store_bind_search_text (MesoStore  *self,
                             MesoDbStmt *stmt,
                             const char *text,
                             gboolean    include_archived)
{
  g_auto(MesoSearchText) search = { NULL, NULL, FALSE };

  search_text_init (self, &search, text, include_archived);
  bind_search (self, stmt, &search);
}

/* A search's page, in sort_key, id order, has two plans giving the same
 * rows. "search" fetches the index's matches and sorts them: quick for the
 * few a longer word matches, but a short one ("an", "01") matches thousands,
 * all fetched and sorted for a screen of 50. "search-names" walks the names
 * in order (patients_sort, nothing to sort), probes each against the
 * matches, and stops at the page's end: quick where matches are dense. The
 * matches are first read from the index into a bitmap ("search-hits", in
 * one pass), which the walk probes with meso_search_hit(): "id IN (…)" made
 * SQLite copy every match into a temporary b-tree first, 12 of the 19 ms a
 * one-letter search took on the demo ("search-names-in", the same walk in
 * plain SQL, is kept for SQLite's shell and for ids too large for a
 * bitmap).
 * "search-plan" chooses, counting in the search index alone and no further
 * than it needs: the walk when more than SEARCH_NAMES_MIN_MATCHES match per
 * page of ?3 rows down to the page's end (?4 + ?3), so deep pages, which the
 * walk reaches slowly, keep the sort. The count takes matches as spread over
 * the names, but those of one first name ("Sara", "Em") sit together where
 * it sorts, and the walk may read most names to reach them; 2 000, measured
 * on 100 000 demo patients (bench/meso-bench.c), leaves most of those to the
 * sort. */
#define SEARCH_NAMES_MIN_MATCHES 2000

static const char search_sql[] = MESO_STORE_PAGE_OF (
  "SELECT " PATIENT_COLUMNS " FROM patients WHERE id IN "
  "(SELECT rowid FROM patients_search WHERE patients_search MATCH ?1) "
  "ORDER BY sort_key, id LIMIT ?3 OFFSET ?4");

static const char search_names_in_sql[] = MESO_STORE_PAGE_OF (
  "SELECT " PATIENT_COLUMNS " FROM patients INDEXED BY patients_sort "
  "WHERE archived = 0 AND id IN (SELECT rowid FROM patients_search WHERE patients_search "
  "MATCH ?1) ORDER BY sort_key, id LIMIT ?3 OFFSET ?4");

static const char search_hits_sql[] =
  "SELECT rowid FROM patients_search WHERE patients_search MATCH ?1";

static const char search_names_sql[] = MESO_STORE_PAGE_OF (
  "SELECT " PATIENT_COLUMNS " FROM patients INDEXED BY patients_sort "
  "WHERE archived = 0 AND meso_search_hit (?2, id) ORDER BY sort_key, id LIMIT ?3 OFFSET ?4");

/* Ids up to this many bits (8 MiB): beyond, the walk uses "id IN (…)". */
#define SEARCH_HITS_MAX_ID (G_GINT64_CONSTANT (1) << 26)

typedef MesoSearchHits SearchHits;

static void
search_hits_clear (SearchHits *hits)
{
  g_clear_pointer (&hits->words, g_free);
  hits->n_words = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchHits, search_hits_clear)

/* The matches of @query as bits by id. FALSE with @error unset: an id too
 * large for a bitmap (the caller walks with "id IN (…)"). */
static gboolean
read_search_hits (MesoStore             *self,
                  const MesoSearchText  *search,
                  SearchHits            *hits,
                  GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, search_hits_sql, error);
  gsize allocated = 0;

  if (stmt == NULL)
    return FALSE;
  bind_search (self, stmt, search);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      gint64 id = meso_db_column_int64 (stmt, 0);
      gsize word;

      if (id < 0 || id >= SEARCH_HITS_MAX_ID)
        {
          meso_db_reset (stmt);
          search_hits_clear (hits);
          return FALSE;
        }
      word = (gsize)id / 64;
      if (word >= allocated)
        {
          gsize grown = MAX (MAX (allocated * 2, word + 1), 1024);

          hits->words = g_renew (guint64, hits->words, grown);
          memset (hits->words + allocated, 0, (grown - allocated) * sizeof (guint64));
          allocated = grown;
        }
      hits->words[word] |= G_GUINT64_CONSTANT (1) << (id % 64);
      hits->n_words = MAX (hits->n_words, word + 1);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* A page's patients: @stmt given ?3 (@limit, 0 for all), ?4 (@offset) and
 * ?11 (now, for the next appointment of MESO_STORE_PATIENT_PAGE_COLUMNS),
 * run to its end. @total, when not NULL: the rows the page was cut from,
 * from a statement with MESO_STORE_PAGE_TOTAL_COLUMN, or -1 when it gave
 * none to say so. */
static GPtrArray *
read_page (MesoStore   *self,
           MesoDbStmt  *stmt,
           guint        offset,
           guint        limit,
           gint64      *total,
           GError     **error)
{
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;

  g_autoptr(GDateTime) now = meso_clock_now ();

  if (total != NULL)
    *total = -1;
  meso_db_bind_int64 (stmt, 3, limit == 0 ? G_MAXINT64 : (gint64)limit);
  meso_db_bind_int64 (stmt, 4, offset);
  meso_db_bind_int64 (stmt, MESO_STORE_NOW_PARAM, g_date_time_to_unix (now));
  while (meso_store_step_row (self, stmt, &local_error))
    {
      g_ptr_array_add (patients, patient_from_row (stmt));
      if (total != NULL && meso_db_column_count (stmt) > MESO_STORE_PAGE_TOTAL_COLUMN)
        *total = meso_db_column_int64 (stmt, MESO_STORE_PAGE_TOTAL_COLUMN);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&patients);
}

static const char search_plan_sql[] =
  "SELECT count(*) > (?4 + ?3) * " G_STRINGIFY (SEARCH_NAMES_MIN_MATCHES) " / ?3 FROM "
  "(SELECT 1 FROM patients_search WHERE patients_search MATCH ?1 "
  "LIMIT (?4 + ?3) * " G_STRINGIFY (SEARCH_NAMES_MIN_MATCHES) " / ?3 + 1)";

GPtrArray *
meso_store_search_patients (MesoStore   *self,
                            const char  *text,
                            gboolean     include_archived,
                            guint        offset,
                            guint        limit,
                            GError     **error)
{
  MesoSearchPlan plan = MESO_SEARCH_PLAN_AUTO;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  return meso_store_search_patients_by (self, text, include_archived, offset, limit, &plan,
                                        NULL, error);
}

static guint
search_hits_count (const SearchHits *hits)
{
  guint count = 0;

  for (gsize i = 0; i < hits->n_words; i++)
    count += (guint)__builtin_popcountll (hits->words[i]);
  return count;
}

/* @count: the bits the walk read, or else counted. */
GPtrArray *
meso_store_search_patients_by (MesoStore       *self,
                               const char      *text,
                               gboolean         include_archived,
                               guint            offset,
                               guint            limit,
                               MesoSearchPlan  *plan,
                               guint           *count,
                               GError         **error)
{
  const MesoStoreProvider *provider;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(MesoSearchText) search = { NULL, NULL, FALSE };
  g_auto(SearchHits) hits = { NULL, 0 };
  const char *sql;
  gint64 total = -1;
  gboolean sorted = FALSE;  /* the search's sort: its page counts its matches */
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  provider = meso_store_get_provider (self);
  if (search_text_init (self, &search, text, include_archived))
    {
      /* The walk reads the names of patients not archived only. */
      if (include_archived)
        *plan = MESO_SEARCH_PLAN_MATCHES;
      else if (*plan == MESO_SEARCH_PLAN_AUTO)
        {
          *plan = MESO_SEARCH_PLAN_MATCHES;
          if (limit > 0)
            {
              stmt = meso_store_prepare (self, meso_store_dialect (self, "search-plan",
                                                                   search_plan_sql),
                                         error);
              if (stmt == NULL)
                return NULL;
              bind_search (self, stmt, &search);
              meso_db_bind_int64 (stmt, 3, limit);
              meso_db_bind_int64 (stmt, 4, offset);
              /* A count has its row: FALSE only on an error. */
              if (!meso_store_step_row (self, stmt, error))
                return NULL;
              if (meso_db_column_int (stmt, 0) != 0)
                *plan = MESO_SEARCH_PLAN_NAMES;
              meso_db_reset (stmt);
            }
        }

      sql = meso_store_dialect (self, "search", search_sql);
      sorted = *plan != MESO_SEARCH_PLAN_NAMES;
      if (*plan == MESO_SEARCH_PLAN_NAMES)
        {
          sql = meso_store_dialect (self, "search-names-in", search_names_in_sql);
          if (provider->bind_search_hits == NULL)
            ;
          else if (read_search_hits (self, &search, &hits, &local_error))
            sql = search_names_sql;
          else if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
      stmt = meso_store_prepare (self, sql, error);
      if (stmt == NULL)
        return NULL;
      if (sql == search_names_sql)
        provider->bind_search_hits (stmt, 2, &hits);
      else
        bind_search (self, stmt, &search);
    }
  else if (include_archived)
    {
      stmt = meso_store_prepare (self,
                                 MESO_STORE_PAGE_OF ("SELECT " PATIENT_COLUMNS " FROM patients "
                                                     "ORDER BY sort_key, id LIMIT ?3 OFFSET ?4"),
                                 error);
      if (stmt == NULL)
        return NULL;
    }
  else
    {
      stmt = meso_store_prepare (self,
                                 meso_store_dialect (self, "everyone-page",
                                                     MESO_STORE_PAGE_OF (
                                                       "SELECT " PATIENT_COLUMNS " FROM patients "
                                                       "WHERE archived = 0 ORDER BY sort_key, id "
                                                       "LIMIT ?3 OFFSET ?4")),
                                 error);
      if (stmt == NULL)
        return NULL;
    }
  patients = read_page (self, stmt, offset, limit, &total, error);
  /* The hits go with this call: no binding may point at them after it. */
  if (hits.words != NULL)
    meso_db_bind_null (stmt, 2);
  if (patients == NULL)
    return NULL;
  /* The sort's first page with nothing in it: nothing matched. */
  if (sorted && patients->len == 0 && offset == 0)
    total = 0;
  if (count != NULL)
    {
      /* The bits are the query's matches, the archived left out as the
       * count's own statement does; the sort counted its matches. */
      if (hits.words != NULL)
        *count = search_hits_count (&hits);
      else if (total >= 0)
        *count = (guint)total;
      else if (!meso_store_count_patients (self, text, include_archived, count, error))
        return NULL;
    }
  return g_steal_pointer (&patients);
}

GPtrArray *
meso_store_search_patients_counted (MesoStore   *self,
                                    const char  *text,
                                    gboolean     include_archived,
                                    guint        offset,
                                    guint        limit,
                                    guint       *count,
                                    GError     **error)
{
  MesoSearchPlan plan = MESO_SEARCH_PLAN_AUTO;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (count != NULL, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  return meso_store_search_patients_by (self, text, include_archived, offset, limit, &plan,
                                        count, error);
}

/* The names after a patient's, in the order of everyone's page (sort_key,
 * id): a range of the names' index (SQLite's patients_sort, PostgreSQL's
 * patients_order) from that patient's place; the row values are written
 * out so that both engines read them as an index range. */
static const char everyone_after_sql[] =
  "SELECT " PAGE_COLUMNS " FROM patients WHERE archived = 0 "
  "AND (sort_key, id) > ((SELECT sort_key FROM patients WHERE id = ?1), ?1) "
  "ORDER BY sort_key, id LIMIT ?3 OFFSET ?4";

GPtrArray *
meso_store_list_patients_after (MesoStore  *self,
                                gint64      after_id,
                                guint       skip,
                                guint       limit,
                                GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  stmt = meso_store_prepare (self, meso_store_dialect (self, "everyone-after",
                                                      everyone_after_sql),
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, after_id);
  return read_page (self, stmt, skip, limit, NULL, error);
}

/* Both count in indexes alone, reading no patient's row: the search's
 * matches (the archived left out by the query itself); everyone, less the
 * archived (archived > 0 and archived < 0: "archived <> 0" in ranges of
 * patients_sort). */
static const char count_sql[] =
  "SELECT count(*) FROM patients_search WHERE patients_search MATCH ?1";

static const char count_all_sql[] =
  "SELECT (SELECT count(*) FROM patients) - "
  "(SELECT count(*) FROM patients WHERE archived > 0 AND NOT ?2) - "
  "(SELECT count(*) FROM patients WHERE archived < 0 AND NOT ?2)";

gboolean
meso_store_count_patients (MesoStore   *self,
                           const char  *text,
                           gboolean     include_archived,
                           guint       *count,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(MesoSearchText) search = { NULL, NULL, FALSE };
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (search_text_init (self, &search, text, include_archived))
    {
      stmt = meso_store_prepare (self, meso_store_dialect (self, "search-count", count_sql),
                                 error);
      if (stmt == NULL)
        return FALSE;
      bind_search (self, stmt, &search);
    }
  else
    {
      stmt = meso_store_prepare (self, count_all_sql, error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_int64 (stmt, 2, include_archived ? 1 : 0);
    }

  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *count = (guint)meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return TRUE;
}

/* ================================================================= flags */

/* The open (not cleared) flag of @kind: TRUE with its id and date; FALSE
 * without an error when there is none. */
static gboolean
find_open_flag (MesoStore             *self,
                gint64                 patient_id,
                MesoContraindication   kind,
                gint64                *id,
                GDate                 *noted_on,
                GError               **error)
{
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self,
                             "SELECT id, noted_on FROM flags WHERE patient_id = ?1 AND kind = ?2 "
                             "AND cleared_on IS NULL ORDER BY noted_on DESC, id DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  meso_db_bind_text (stmt, 2, meso_enum_to_nick (MESO_TYPE_CONTRAINDICATION, kind));
  if (!meso_store_step_row (self, stmt, error))
    return FALSE;
  if (id != NULL)
    *id = meso_db_column_int64 (stmt, 0);
  if (noted_on != NULL)
    {
      g_date_clear (noted_on, 1);
      meso_date_parse (meso_db_column_text (stmt, 1), noted_on, NULL);
    }
  meso_db_reset (stmt);
  return TRUE;
}

typedef struct
{
  gint64                patient_id;
  MesoContraindication  kind;
  const GDate          *day;
} FlagChange;

static gboolean
set_flag_cb (MesoStore  *self,
             gpointer    data,
             GError    **error)
{
  FlagChange *change = data;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *day = meso_format_date_iso (change->day);
  MesoDbStmt *stmt;

  if (!meso_store_patient_exists (self, change->patient_id, NULL, error))
    return FALSE;

  /* One open flag of a kind at a time: setting it again changes nothing. */
  if (find_open_flag (self, change->patient_id, change->kind, NULL, NULL, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  stmt = meso_store_prepare (self,
                             "INSERT INTO flags (patient_id, kind, noted_on) VALUES (?1, ?2, ?3)",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, change->patient_id);
  meso_db_bind_text (stmt, 2, meso_enum_to_nick (MESO_TYPE_CONTRAINDICATION, change->kind));
  meso_db_bind_text (stmt, 3, day);
  return meso_store_step_done (self, stmt, error);
}

gboolean
meso_store_set_flag (MesoStore            *self,
                     gint64                patient_id,
                     MesoContraindication  kind,
                     const GDate          *noted_on,
                     GError              **error)
{
  FlagChange change = { patient_id, kind, noted_on };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return FALSE;

  return meso_store_check_date (MESO_DATE_FLAG, noted_on, error) &&
         meso_store_run_write (self, set_flag_cb, &change, error);
}

static gboolean
clear_flag_cb (MesoStore  *self,
               gpointer    data,
               GError    **error)
{
  FlagChange *change = data;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *day = meso_format_date_iso (change->day);
  MesoDbStmt *stmt;
  gint64 flag_id;
  GDate noted;

  if (!meso_store_patient_exists (self, change->patient_id, NULL, error))
    return FALSE;

  if (!find_open_flag (self, change->patient_id, change->kind, &flag_id, &noted, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                     /* Translators: %s is a contraindication, e.g. “Active acne” */
                     _("“%s” is not set for this patient."),
                     meso_contraindication_get_label (change->kind));
      return FALSE;
    }

  if (g_date_valid (&noted) && g_date_compare (change->day, &noted) < 0)
    {
      g_autofree char *noted_text = meso_format_date (&noted);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   _("A flag cannot be cleared before it was noted (%s)."), noted_text);
      return FALSE;
    }

  stmt = meso_store_prepare (self, "UPDATE flags SET cleared_on = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, flag_id);
  meso_db_bind_text (stmt, 2, day);
  return meso_store_step_done (self, stmt, error);
}

gboolean
meso_store_clear_flag (MesoStore            *self,
                       gint64                patient_id,
                       MesoContraindication  kind,
                       const GDate          *cleared_on,
                       GError              **error)
{
  FlagChange change = { patient_id, kind, cleared_on };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return FALSE;

  return meso_store_check_date (MESO_DATE_FLAG, cleared_on, error) &&
         meso_store_run_write (self, clear_flag_cb, &change, error);
}

static const char flags_sql[] =
  "SELECT kind, noted_on, cleared_on FROM flags WHERE patient_id = ?1 "
  "ORDER BY noted_on, id";

GArray *
meso_store_list_flags (MesoStore  *self,
                       gint64      patient_id,
                       GError    **error)
{
  g_autoptr(GArray) flags = NULL;
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, flags_sql, error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);

  flags = g_array_new (FALSE, TRUE, sizeof (MesoFlag));
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoFlag flag;
      int kind;
      const char *cleared = meso_db_column_text (stmt, 2);

      if (!meso_enum_from_nick (MESO_TYPE_CONTRAINDICATION,
                                meso_db_column_text (stmt, 0), &kind))
        continue;
      flag.kind = kind;
      g_date_clear (&flag.noted_on, 1);
      g_date_clear (&flag.cleared_on, 1);
      meso_date_parse (meso_db_column_text (stmt, 1), &flag.noted_on, NULL);
      if (cleared != NULL)
        meso_date_parse (cleared, &flag.cleared_on, NULL);
      g_array_append_val (flags, flag);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&flags);
}

/* ======================================== practitioners, rooms, hours */

static gboolean
check_name (MesoTextField   field,
            const char     *name,
            GError        **error)
{
  g_autofree char *trimmed = NULL;

  if (!meso_store_check_text (field, name, error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (name ? name : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The name cannot be empty."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_named (MesoStore   *self,
              const char  *sql,
              const char  *name,
              const char  *role,
              GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  if (!check_name (role != NULL ? MESO_TEXT_PRACTITIONER_NAME : MESO_TEXT_ROOM_NAME, name,
                   error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (name));

  stmt = meso_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, trimmed);
  if (role != NULL)
    meso_db_bind_text (stmt, 2, role);
  if (!meso_store_step_done (self, stmt, &local_error))
    {
      if (g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                     _("“%s” exists already."), trimmed);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
meso_store_add_practitioner (MesoStore   *self,
                             const char  *name,
                             MesoRole     role,
                             GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return insert_named (self, "INSERT INTO practitioners (name, role) VALUES (?1, ?2)", name,
                       meso_enum_to_nick (MESO_TYPE_ROLE, role), error);
}

gboolean
meso_store_add_room (MesoStore   *self,
                     const char  *name,
                     GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return insert_named (self, "INSERT INTO rooms (name) VALUES (?1)", name, NULL, error);
}

gboolean
meso_store_get_practitioner_role (MesoStore   *self,
                                  const char  *name,
                                  MesoRole    *role,
                                  GError     **error)
{
  MesoDbStmt *stmt;
  int value = MESO_ROLE_RECEPTIONIST;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  stmt = meso_store_prepare (self,
                             meso_store_dialect (self, "practitioner-role",
                                                 "SELECT role FROM practitioners "
                                                 "WHERE name = ?1 AND active <> 0"),
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  if (!meso_store_step_found (self, stmt, error,
                              _("There is no practitioner named “%s”."), name ? name : ""))
    return FALSE;
  meso_enum_from_nick (MESO_TYPE_ROLE, meso_db_column_text (stmt, 0), &value);
  meso_db_reset (stmt);
  if (role != NULL)
    *role = value;
  return TRUE;
}

/* The names of @name's statement (the provider's text of it, else @sql). */
static char **
list_names (MesoStore   *self,
            const char  *name,
            const char  *sql,
            GError     **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, meso_store_dialect (self, name, sql), error);

  if (stmt == NULL)
    return NULL;
  while (meso_store_step_row (self, stmt, &local_error))
    g_strv_builder_add (names, meso_db_column_text (stmt, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strv_builder_end (names);
}

char **
meso_store_list_practitioners (MesoStore  *self,
                               GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return list_names (self, "practitioner-names",
                     "SELECT name FROM practitioners WHERE active <> 0 ORDER BY name", error);
}

char **
meso_store_list_clinicians (MesoStore  *self,
                            GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return list_names (self, "clinician-names",
                     "SELECT name FROM practitioners WHERE active <> 0 AND role = 'clinician' "
                     "ORDER BY name",
                     error);
}

char **
meso_store_list_rooms (MesoStore  *self,
                       GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return list_names (self, "room-names", "SELECT name FROM rooms WHERE active <> 0 ORDER BY name",
                     error);
}

/* Until a clinic sets its own: Monday to Friday, 9:00 to 18:00. */
#define DEFAULT_OPEN_MINUTE (9 * 60)
#define DEFAULT_CLOSE_MINUTE (18 * 60)
#define MINUTES_PER_DAY (24 * 60)

gboolean
meso_store_set_opening_hours (MesoStore     *self,
                              GDateWeekday   weekday,
                              int            open_minute,
                              int            close_minute,
                              GError       **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_date_valid_weekday (weekday), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  /* open == close marks a closed day. */
  if (open_minute < 0 || close_minute > MINUTES_PER_DAY || open_minute > close_minute)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("Opening hours must open before they close, within one day."));
      return FALSE;
    }

  stmt = meso_store_prepare (self,
                             "INSERT INTO opening_hours (weekday, open_minute, close_minute) "
                             "VALUES (?1, ?2, ?3) ON CONFLICT (weekday) DO UPDATE SET "
                             "open_minute = excluded.open_minute, "
                             "close_minute = excluded.close_minute",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, weekday);
  meso_db_bind_int64 (stmt, 2, open_minute);
  meso_db_bind_int64 (stmt, 3, close_minute);
  return meso_store_step_done (self, stmt, error);
}

static const char opening_hours_sql[] =
  "SELECT open_minute, close_minute FROM opening_hours "
  "WHERE weekday = ?1";

gboolean
meso_store_get_opening_hours (MesoStore     *self,
                              GDateWeekday   weekday,
                              int           *open_minute,
                              int           *close_minute,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  int open = 0, close = 0;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_date_valid_weekday (weekday), FALSE);

  stmt = meso_store_prepare (self, opening_hours_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, weekday);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      open = meso_db_column_int (stmt, 0);
      close = meso_db_column_int (stmt, 1);
      meso_db_reset (stmt);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  else if (weekday <= G_DATE_FRIDAY)
    {
      open = DEFAULT_OPEN_MINUTE;
      close = DEFAULT_CLOSE_MINUTE;
    }

  if (open_minute != NULL)
    *open_minute = open;
  if (close_minute != NULL)
    *close_minute = close;
  return TRUE;
}

/* A statement by name, which a provider may give in its own text
 * (meso_store_dialect()): the names compare as SQLite's NOCASE. */
typedef struct
{
  const char *name;
  const char *sql;
} NamedSql;

/* The settings' side of practitioners and rooms: one table each, the same
 * steps. */
typedef struct
{
  NamedSql list;
  NamedSql active;
  NamedSql rename;
  NamedSql uses;
  NamedSql remove;
  gboolean room;
} ResourceTable;

static const ResourceTable practitioner_table = {
  { "practitioner-entries", "SELECT name, active, role FROM practitioners ORDER BY name" },
  { "practitioner-active", "UPDATE practitioners SET active = ?2 WHERE name = ?1" },
  { "practitioner-rename", "UPDATE practitioners SET name = ?2 WHERE name = ?1" },
  { "practitioner-uses",
    "SELECT (SELECT count(*) FROM appointments WHERE practitioner_id = p.id) + "
    "(SELECT count(*) FROM sessions WHERE practitioner_id = p.id) "
    "FROM practitioners p WHERE p.name = ?1" },
  { "practitioner-remove", "DELETE FROM practitioners WHERE name = ?1" },
  FALSE,
};

static const ResourceTable room_table = {
  { "room-entries", "SELECT name, active, NULL FROM rooms ORDER BY name" },
  { "room-active", "UPDATE rooms SET active = ?2 WHERE name = ?1" },
  { "room-rename", "UPDATE rooms SET name = ?2 WHERE name = ?1" },
  { "room-uses",
    "SELECT (SELECT count(*) FROM appointments WHERE room_id = r.id) "
    "FROM rooms r WHERE r.name = ?1" },
  { "room-remove", "DELETE FROM rooms WHERE name = ?1" },
  TRUE,
};

static MesoDbStmt *
prepare_named (MesoStore       *self,
               const NamedSql  *statement,
               GError         **error)
{
  return meso_store_prepare (self, meso_store_dialect (self, statement->name, statement->sql),
                             error);
}

void
meso_resource_free (MesoResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->name);
  g_free (resource);
}

static GPtrArray *
list_resources (MesoStore            *self,
                const ResourceTable  *table,
                GError              **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_resource_free);
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = prepare_named (self, &table->list, error);

  if (stmt == NULL)
    return NULL;
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoResource *entry = g_new0 (MesoResource, 1);
      int role = MESO_ROLE_RECEPTIONIST;

      entry->name = meso_db_column_dup (stmt, 0);
      entry->active = meso_db_column_int (stmt, 1) != 0;
      meso_enum_from_nick (MESO_TYPE_ROLE, meso_db_column_text (stmt, 2), &role);
      entry->role = role;
      g_ptr_array_add (entries, entry);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static void
set_resource_not_found (const ResourceTable  *table,
                        const char           *name,
                        GError              **error)
{
  if (table->room)
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                 _("There is no room named “%s”."), name ? name : "");
  else
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                 _("There is no practitioner named “%s”."), name ? name : "");
}

/* Runs an UPDATE or DELETE of one row by name; NOT_FOUND when none changed. */
static gboolean
change_resource (MesoStore            *self,
                 const ResourceTable  *table,
                 const NamedSql       *statement,
                 const char           *name,
                 const char           *text,
                 int                   number,
                 GError              **error)
{
  MesoDbStmt *stmt = prepare_named (self, statement, error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  if (text != NULL)
    meso_db_bind_text (stmt, 2, text);
  else
    meso_db_bind_int64 (stmt, 2, number);
  if (!meso_store_step_done (self, stmt, error))
    return FALSE;
  if (meso_db_changes (meso_store_get_db (self)) == 0)
    {
      set_resource_not_found (table, name, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rename_resource (MesoStore            *self,
                 const ResourceTable  *table,
                 const char           *name,
                 const char           *new_name,
                 GError              **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!check_name (table->room ? MESO_TEXT_ROOM_NAME : MESO_TEXT_PRACTITIONER_NAME, new_name,
                   error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (new_name));
  if (change_resource (self, table, &table->rename, name, trimmed, 0, &local_error))
    return TRUE;
  if (g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                 _("“%s” exists already."), trimmed);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

typedef struct
{
  const ResourceTable *table;
  const char          *name;
} Removal;

static gboolean
remove_resource_cb (MesoStore  *self,
                    gpointer    data,
                    GError    **error)
{
  Removal *removal = data;
  const ResourceTable *table = removal->table;
  const char *name = removal->name;
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  gint64 uses;

  stmt = prepare_named (self, &table->uses, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_resource_not_found (table, name, error);
      return FALSE;
    }
  uses = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  if (uses > 0)
    {
      if (table->room)
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CONFLICT,
                     /* Translators: %s is a room's name */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "“%s” is named in %lld appointment, which "
                                  "must keep its room: make it inactive instead.",
                                  "“%s” is named in %lld appointments, which "
                                  "must keep their room: make it inactive instead.",
                                  (gulong)uses),
                     name, (long long)uses);
      else
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CONFLICT,
                     /* Translators: %s is a practitioner's name */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "“%s” is named in %lld appointment or session, "
                                  "which must keep who treated: make them inactive instead.",
                                  "“%s” is named in %lld appointments and "
                                  "sessions, which must keep who treated: make them inactive "
                                  "instead.",
                                  (gulong)uses),
                     name, (long long)uses);
      return FALSE;
    }
  stmt = prepare_named (self, &table->remove, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  return meso_store_step_done (self, stmt, error);
}

static gboolean
remove_resource (MesoStore            *self,
                 const ResourceTable  *table,
                 const char           *name,
                 GError              **error)
{
  Removal removal = { table, name };

  return meso_store_run_write (self, remove_resource_cb, &removal, error);
}

GPtrArray *
meso_store_list_practitioner_entries (MesoStore  *self,
                                      GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return list_resources (self, &practitioner_table, error);
}

GPtrArray *
meso_store_list_room_entries (MesoStore  *self,
                              GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  return list_resources (self, &room_table, error);
}

gboolean
meso_store_set_practitioner_active (MesoStore   *self,
                                    const char  *name,
                                    gboolean     active,
                                    GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;
  if (!active && !meso_store_keep_a_manager (self, name, error))
    return FALSE;

  return change_resource (self, &practitioner_table, &practitioner_table.active, name, NULL,
                          active ? 1 : 0, error);
}

gboolean
meso_store_set_room_active (MesoStore   *self,
                            const char  *name,
                            gboolean     active,
                            GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return change_resource (self, &room_table, &room_table.active, name, NULL,
                          active ? 1 : 0, error);
}

gboolean
meso_store_rename_practitioner (MesoStore   *self,
                                const char  *name,
                                const char  *new_name,
                                GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return rename_resource (self, &practitioner_table, name, new_name, error);
}

gboolean
meso_store_rename_room (MesoStore   *self,
                        const char  *name,
                        const char  *new_name,
                        GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return rename_resource (self, &room_table, name, new_name, error);
}

gboolean
meso_store_remove_practitioner (MesoStore   *self,
                                const char  *name,
                                GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return remove_resource (self, &practitioner_table, name, error);
}

gboolean
meso_store_remove_room (MesoStore   *self,
                        const char  *name,
                        GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  return remove_resource (self, &room_table, name, error);
}

/* ================================================================ recall */

gboolean
meso_store_set_course_state (MesoStore  *self,
                             gint64      patient_id,
                             gboolean    finished,
                             gboolean    declined,
                             GError    **error)
{
  PatientChange change = { patient_id, "UPDATE patients SET recall = ?2 WHERE id = ?1",
                           declined ? "declined" : finished ? "finished" : "active", 0, TRUE };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;
  return meso_store_run_write (self, change_patient_cb, &change, error);
}

/* For meso_store_sql_for(). */
const char *
meso_store_patients_sql (const char *name)
{
  static const char *const named[][2] = {
    { "search", search_sql },
    { "search-names", search_names_sql },
    { "search-names-in", search_names_in_sql },
    { "search-hits", search_hits_sql },
    { "search-plan", search_plan_sql },
    { "search-count", count_sql },
    { "flags", flags_sql },
    { "opening-hours", opening_hours_sql },
  };

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (name, named[i][0]))
      return named[i][1];
  return NULL;
}

void
meso_contact_free (MesoContact *contact)
{
  if (contact == NULL)
    return;
  g_clear_pointer (&contact->at, g_date_time_unref);
  g_free (contact->channel);
  g_free (contact->note);
  g_free (contact->outcome);
  g_free (contact);
}

static const char * const contact_channels[] = { "call", "sms", "email", "in-person", NULL };

typedef struct
{
  gint64      patient_id;
  GDateTime  *at;
  const char *channel;
  const char *note;
  const char *outcome;
} Contact;

static gboolean
log_contact_cb (MesoStore  *self,
                gpointer    data,
                GError    **error)
{
  Contact *contact = data;
  MesoDbStmt *stmt;

  if (!meso_store_patient_exists (self, contact->patient_id, NULL, error))
    return FALSE;
  stmt = meso_store_prepare (self,
                             "INSERT INTO contacts (patient_id, at, channel, note, outcome) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, contact->patient_id);
  meso_db_bind_int64 (stmt, 2, g_date_time_to_unix (contact->at));
  meso_db_bind_text (stmt, 3, contact->channel);
  meso_db_bind_text (stmt, 4, contact->note != NULL && *contact->note ? contact->note : NULL);
  meso_db_bind_text (stmt, 5,
                     contact->outcome != NULL && *contact->outcome ? contact->outcome : NULL);
  return meso_store_step_done (self, stmt, error);
}

gboolean
meso_store_log_contact (MesoStore   *self,
                        gint64       patient_id,
                        GDateTime   *at,
                        const char  *channel,
                        const char  *note,
                        const char  *outcome,
                        GError     **error)
{
  Contact contact = { patient_id, at, channel, note, outcome };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (at != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (channel == NULL || !g_strv_contains (contact_channels, channel))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is what was given; keep the four words as they are */
                   _("“%s” is not a way of contact: use call, sms, email or in-person."),
                   channel ? channel : "");
      return FALSE;
    }
  if (!meso_store_check_text (MESO_TEXT_CONTACT_NOTE, note, error) ||
      !meso_store_check_text (MESO_TEXT_CONTACT_OUTCOME, outcome, error))
    return FALSE;

  return meso_store_run_write (self, log_contact_cb, &contact, error);
}

GPtrArray *
meso_store_list_contacts (MesoStore  *self,
                          gint64      patient_id,
                          GError    **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self,
                             "SELECT id, patient_id, at, channel, note, outcome FROM contacts "
                             "WHERE patient_id = ?1 ORDER BY at DESC, id DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);

  contacts = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_contact_free);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoContact *contact = g_new0 (MesoContact, 1);

      contact->id = meso_db_column_int64 (stmt, 0);
      contact->patient_id = meso_db_column_int64 (stmt, 1);
      contact->at = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 2));
      contact->channel = meso_db_column_dup (stmt, 3);
      contact->note = meso_db_column_dup (stmt, 4);
      contact->outcome = meso_db_column_dup (stmt, 5);
      g_ptr_array_add (contacts, contact);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&contacts);
}
