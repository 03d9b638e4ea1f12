/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: consent before treatment (issue 18, R8). Consent forms, each
 * language's text in numbered versions (an edit is a new version; none is
 * ever changed), and the patients' consents, each on the version it was
 * signed on, never changed once signed but to be revoked (the schema's
 * triggers refuse anything else, on both engines). The shipped forms
 * (data/consent/, compiled in) are put in by the migration to schema 11.
 * R8 itself is the rules'; the session write asks
 * meso_store_load_consent_spans() for its facts. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-consent-resources.h"
#include "meso-rules.h"
#include "meso-text.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define RESOURCE_PATH "/io/github/mesodesk/Mesodesk/consent/"
/* The language a form falls back on when none of the person's is there. */
#define FALLBACK_LANGUAGE "en"

/* A form by name, compared as both engines' lower() folds it. */
#define FORM_IS(column) "lower (" column ") = lower (CAST (?1 AS TEXT))"

static const char form_id_sql[] =
  "SELECT id, name FROM consent_forms WHERE " FORM_IS ("name");
static const char languages_sql[] =
  "SELECT DISTINCT t.language FROM consent_texts t JOIN consent_forms f ON f.id = t.form_id "
  "WHERE " FORM_IS ("f.name");
static const char texts_list_sql[] =
  "SELECT t.id, f.name, t.language, t.version, NULL, t.created_by, t.created_at "
  "FROM consent_texts t JOIN consent_forms f ON f.id = t.form_id "
  "ORDER BY lower (f.name), t.language, t.version";
/* ?3: the version, 0 for the latest. */
static const char text_get_sql[] =
  "SELECT t.id, f.name, t.language, t.version, t.body, t.created_by, t.created_at "
  "FROM consent_texts t JOIN consent_forms f ON f.id = t.form_id "
  "WHERE " FORM_IS ("f.name") " AND t.language = ?2 AND (?3 = 0 OR t.version = ?3) "
  "ORDER BY t.version DESC LIMIT 1";
static const char consents_list_sql[] =
  "SELECT c.id, c.patient_id, f.name, t.language, t.version, c.signed_on, c.method, "
  "c.signature, c.taken_by, c.created_at, c.revoked_on, c.revoke_reason, c.revoked_by "
  "FROM consents c JOIN consent_texts t ON t.id = c.text_id "
  "JOIN consent_forms f ON f.id = t.form_id "
  "WHERE c.patient_id = ?1 ORDER BY c.signed_on DESC, c.id DESC";
static const char consent_spans_sql[] =
  "SELECT c.signed_on, c.revoked_on FROM consents c "
  "JOIN consent_texts t ON t.id = c.text_id JOIN consent_forms f ON f.id = t.form_id "
  "WHERE c.patient_id = ?2 AND " FORM_IS ("f.name");

static const char *const method_nicks[] = {
  [MESO_CONSENT_ON_SCREEN] = "screen",
  [MESO_CONSENT_ON_PAPER] = "paper",
};

const char *
meso_consent_method_to_nick (MesoConsentMethod method)
{
  g_return_val_if_fail (method < G_N_ELEMENTS (method_nicks), NULL);

  return method_nicks[method];
}

void
meso_consent_text_free (MesoConsentText *text)
{
  if (text == NULL)
    return;
  g_free (text->form);
  g_free (text->language);
  g_free (text->body);
  g_free (text->created_by);
  g_free (text);
}

void
meso_consent_free (MesoConsent *consent)
{
  if (consent == NULL)
    return;
  g_free (consent->form);
  g_free (consent->language);
  g_clear_pointer (&consent->signature, g_bytes_unref);
  g_free (consent->taken_by);
  g_free (consent->revoke_reason);
  g_free (consent->revoked_by);
  g_free (consent);
}

/* A day kept as ISO text, or a cleared date when there is none. */
static void
column_date (MesoDbStmt *stmt,
             int         column,
             GDate      *date)
{
  g_date_clear (date, 1);
  if (!meso_db_column_is_null (stmt, column) &&
      !meso_date_parse (meso_db_column_text (stmt, column), date, NULL))
    g_date_clear (date, 1);
}

static MesoConsentText *
text_from_row (MesoDbStmt *stmt)
{
  MesoConsentText *text = g_new0 (MesoConsentText, 1);

  text->id = meso_db_column_int64 (stmt, 0);
  text->form = meso_db_column_dup (stmt, 1);
  text->language = meso_db_column_dup (stmt, 2);
  text->version = meso_db_column_int64 (stmt, 3);
  text->body = meso_db_column_dup (stmt, 4);
  text->created_by = meso_db_column_dup (stmt, 5);
  text->created_at = meso_db_column_int64 (stmt, 6);
  return text;
}

static MesoConsent *
consent_from_row (MesoDbStmt *stmt)
{
  MesoConsent *consent = g_new0 (MesoConsent, 1);
  const char *signature = meso_db_column_text (stmt, 7);

  consent->id = meso_db_column_int64 (stmt, 0);
  consent->patient_id = meso_db_column_int64 (stmt, 1);
  consent->form = meso_db_column_dup (stmt, 2);
  consent->language = meso_db_column_dup (stmt, 3);
  consent->version = meso_db_column_int64 (stmt, 4);
  column_date (stmt, 5, &consent->signed_on);
  consent->method = g_strcmp0 (meso_db_column_text (stmt, 6), "paper") == 0
                      ? MESO_CONSENT_ON_PAPER : MESO_CONSENT_ON_SCREEN;
  if (signature != NULL)
    {
      gsize length = 0;
      guchar *png = g_base64_decode (signature, &length);

      consent->signature = g_bytes_new_take (png, length);
    }
  consent->taken_by = meso_db_column_dup (stmt, 8);
  consent->created_at = meso_db_column_int64 (stmt, 9);
  column_date (stmt, 10, &consent->revoked_on);
  consent->revoke_reason = meso_db_column_dup (stmt, 11);
  consent->revoked_by = meso_db_column_dup (stmt, 12);
  return consent;
}

static gboolean
require_text (MesoTextField   field,
              const char     *text,
              const char     *empty_message,
              GError        **error)
{
  g_autofree char *trimmed = NULL;

  if (!meso_store_check_text (field, text, error))
    return FALSE;
  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID, empty_message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ the forms */

/* The form named @form: its id (0 when there is none) and its name as first
 * written. */
static gboolean
find_form (MesoStore   *self,
           const char  *form,
           gint64      *id,
           char       **name,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, form_id_sql, error);

  *id = 0;
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, form);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      *id = meso_db_column_int64 (stmt, 0);
      if (name != NULL)
        *name = meso_db_column_dup (stmt, 1);
      meso_db_reset (stmt);
      return TRUE;
    }
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
insert_text (MesoStore   *self,
             gint64       form_id,
             const char  *language,
             gint64       version,
             const char  *body,
             const char  *created_by,
             GError     **error)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  gint64 id;
  MesoDbStmt *stmt = meso_store_prepare (self,
                                         "INSERT INTO consent_texts (form_id, language, version, "
                                         "body, created_by, created_at) VALUES (?1, ?2, ?3, ?4, "
                                         "?5, ?6) RETURNING id", error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, form_id);
  meso_db_bind_text (stmt, 2, language);
  meso_db_bind_int64 (stmt, 3, version);
  meso_db_bind_text (stmt, 4, body);
  meso_db_bind_text (stmt, 5, created_by);
  meso_db_bind_int64 (stmt, 6, g_date_time_to_unix (now));
  return meso_store_step_id (self, stmt, &id, error);
}

/* The form @form, made when there is none: its id. */
static gboolean
ensure_form (MesoStore   *self,
             const char  *form,
             gint64      *id,
             GError     **error)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  MesoDbStmt *stmt;

  if (!find_form (self, form, id, NULL, error))
    return FALSE;
  if (*id != 0)
    return TRUE;
  stmt = meso_store_prepare (self, "INSERT INTO consent_forms (name, created_at) "
                                   "VALUES (?1, ?2) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, form);
  meso_db_bind_int64 (stmt, 2, g_date_time_to_unix (now));
  return meso_store_step_id (self, stmt, id, error);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      unused)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

gboolean
meso_store_fill_consent_forms (MesoStore  *self,
                               GError    **error)
{
  g_auto(GStrv) names = g_resource_enumerate_children (meso_consent_get_resource (),
                                                       RESOURCE_PATH, 0, NULL);

  g_return_val_if_fail (names != NULL, FALSE);

  /* "FORM.LANGUAGE.txt", sorted so the forms are made in the same order. */
  g_qsort_with_data (names, g_strv_length (names), sizeof (char *), compare_names, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ".", 3);
      g_autofree char *path = g_strconcat (RESOURCE_PATH, names[i], NULL);
      g_autoptr(GBytes) body = NULL;
      gint64 form_id;

      if (g_strv_length (parts) != 3 || !g_str_equal (parts[2], "txt"))
        continue;
      body = g_resource_lookup_data (meso_consent_get_resource (), path, 0, NULL);
      g_return_val_if_fail (body != NULL, FALSE);
      if (!ensure_form (self, parts[0], &form_id, error) ||
          !insert_text (self, form_id, parts[1], 1, g_bytes_get_data (body, NULL),
                        MESO_CONSENT_SHIPPED_BY, error))
        return FALSE;
    }
  return TRUE;
}

/* The language of @form to use for @language (NULL: the first of the
 * person's languages it has, else English, else any it has). NOT_FOUND
 * when the form has no text in @language, or is not there. */
static char *
pick_language (MesoStore   *self,
               const char  *form,
               const char  *language,
               GError     **error)
{
  g_autoptr(GPtrArray) languages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *const *wanted = g_get_language_names ();
  MesoDbStmt *stmt = meso_store_prepare (self, languages_sql, error);

  if (stmt == NULL)
    return NULL;
  meso_db_bind_text (stmt, 1, form);
  while (meso_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (languages, meso_db_column_dup (stmt, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (languages->len == 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is a consent form's name */
                   _("There is no consent form “%s”."), form);
      return NULL;
    }
  if (language != NULL)
    {
      for (guint i = 0; i < languages->len; i++)
        if (g_str_equal (g_ptr_array_index (languages, i), language))
          return g_strdup (language);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                   /* Translators: a consent form's name, then a language code such as de */
                   _("The consent form “%s” has no text in the language “%s”."), form,
                   language);
      return NULL;
    }
  for (guint w = 0; wanted[w] != NULL; w++)
    for (guint i = 0; i < languages->len; i++)
      if (g_str_equal (g_ptr_array_index (languages, i), wanted[w]))
        return g_strdup (wanted[w]);
  for (guint i = 0; i < languages->len; i++)
    if (g_str_equal (g_ptr_array_index (languages, i), FALLBACK_LANGUAGE))
      return g_strdup (FALLBACK_LANGUAGE);
  g_ptr_array_sort (languages, (GCompareFunc)g_strcmp0);
  return g_strdup (g_ptr_array_index (languages, 0));
}

GPtrArray *
meso_store_list_consent_texts (MesoStore  *self,
                               GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error) ||
      (stmt = meso_store_prepare (self, texts_list_sql, error)) == NULL)
    return NULL;
  return meso_store_read_rows (self, stmt, (MesoStoreRowFunc)text_from_row, (GDestroyNotify)meso_consent_text_free,
                    error);
}

static MesoConsentText *
get_text (MesoStore   *self,
          const char  *form,
          const char  *language,
          gint64       version,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *picked = pick_language (self, form, language, error);
  MesoConsentText *text;
  MesoDbStmt *stmt;

  if (picked == NULL || (stmt = meso_store_prepare (self, text_get_sql, error)) == NULL)
    return NULL;
  meso_db_bind_text (stmt, 1, form);
  meso_db_bind_text (stmt, 2, picked);
  meso_db_bind_int64 (stmt, 3, version);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                     /* Translators: a consent form's name, a language code, a version number */
                     _("The consent form “%s” in “%s” has no version %lld."), form, picked,
                     (long long)version);
      return NULL;
    }
  text = text_from_row (stmt);
  meso_db_reset (stmt);
  return text;
}

MesoConsentText *
meso_store_get_consent_text (MesoStore   *self,
                             const char  *form,
                             const char  *language,
                             gint64       version,
                             GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (form != NULL, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;
  if (version < 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("A consent form’s version is a number from 1 on."));
      return NULL;
    }
  return get_text (self, form, language, version, error);
}

typedef struct
{
  const char *form;
  const char *language;
  const char *body;
  gint64      version;
} EditingForm;

static gboolean
edit_form_cb (MesoStore  *self,
              gpointer    data,
              GError    **error)
{
  EditingForm *editing = data;
  g_autoptr(GError) local_error = NULL;
  gint64 form_id;
  MesoDbStmt *stmt;

  if (!ensure_form (self, editing->form, &form_id, error))
    return FALSE;
  stmt = meso_store_prepare (self, "SELECT coalesce (max (version), 0) FROM consent_texts "
                                   "WHERE form_id = ?1 AND language = ?2", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, form_id);
  meso_db_bind_text (stmt, 2, editing->language);
  if (!meso_store_step_found (self, stmt, error, "consent text versions"))
    return FALSE;
  editing->version = meso_db_column_int64 (stmt, 0) + 1;
  meso_db_reset (stmt);
  return insert_text (self, form_id, editing->language, editing->version, editing->body,
                      meso_store_get_actor (self), error);
}

/* A language code as the forms name them: letters, digits, '_', '-', '@'. */
static gboolean
check_language (const char  *language,
                GError     **error)
{
  gboolean ok = language != NULL && *language != '\0' && strlen (language) <= 20;

  for (const char *c = language; ok && *c != '\0'; c++)
    ok = g_ascii_isalnum (*c) || *c == '_' || *c == '-' || *c == '@';
  if (!ok)
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                 /* Translators: %s is what was typed; keep en, de, zh_CN as they are */
                 _("“%s” is not a language code such as en, de or zh_CN."),
                 language != NULL ? language : "");
  return ok;
}

gboolean
meso_store_edit_consent_form (MesoStore   *self,
                              const char  *form,
                              const char  *language,
                              const char  *body,
                              gint64      *version,
                              GError     **error)
{
  EditingForm editing = { form, language, body, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error) ||
      !require_text (MESO_TEXT_CONSENT_FORM, form, _("The consent form needs a name."), error) ||
      !check_language (language, error) ||
      !require_text (MESO_TEXT_CONSENT_TEXT, body, _("The consent text cannot be empty."),
                     error) ||
      !meso_store_run_write (self, edit_form_cb, &editing, error))
    return FALSE;
  if (version != NULL)
    *version = editing.version;
  return TRUE;
}

/* ---------------------------------------------------------- the consents */

/* A PNG file's signature and its first chunk, IHDR: enough to tell an
 * image from any other file handed in by mistake. */
static gboolean
check_signature (GBytes  *signature,
                 GError **error)
{
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = 0;
  const guchar *data = g_bytes_get_data (signature, &size);

  if (size < 33 || memcmp (data, png, sizeof png) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The signature is not a PNG image."));
      return FALSE;
    }
  if (size > MESO_CONSENT_SIGNATURE_MAX_BYTES)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %u is a number of kilobytes */
                   _("The signature’s image is larger than %u KB."),
                   MESO_CONSENT_SIGNATURE_MAX_BYTES / 1024);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64       patient_id;
  const char  *form;
  const char  *language;
  gint64       version;
  const GDate *signed_on;
  GBytes      *signature;
  gint64       id;
} AddingConsent;

static gboolean
add_consent_cb (MesoStore  *self,
                gpointer    data,
                GError    **error)
{
  AddingConsent *adding = data;
  g_autoptr(MesoConsentText) text = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autofree char *signed_on = meso_format_date_iso (adding->signed_on);
  g_autofree char *signature = NULL;
  MesoDbStmt *stmt;

  if (!meso_store_patient_exists (self, adding->patient_id, NULL, error))
    return FALSE;
  text = get_text (self, adding->form, adding->language, adding->version, error);
  if (text == NULL)
    return FALSE;
  if (adding->signature != NULL)
    {
      gsize size = 0;
      gconstpointer png = g_bytes_get_data (adding->signature, &size);

      signature = g_base64_encode (png, size);
    }

  stmt = meso_store_prepare (self, "INSERT INTO consents (patient_id, text_id, signed_on, "
                                   "method, signature, taken_by, created_at) VALUES (?1, ?2, "
                                   "?3, ?4, ?5, ?6, ?7) RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, adding->patient_id);
  meso_db_bind_int64 (stmt, 2, text->id);
  meso_db_bind_text (stmt, 3, signed_on);
  meso_db_bind_text (stmt, 4, meso_consent_method_to_nick (signature != NULL
                                                           ? MESO_CONSENT_ON_SCREEN
                                                           : MESO_CONSENT_ON_PAPER));
  if (signature != NULL)
    meso_db_bind_text (stmt, 5, signature);
  meso_db_bind_text (stmt, 6, meso_store_get_actor (self));
  meso_db_bind_int64 (stmt, 7, g_date_time_to_unix (now));
  return meso_store_step_id (self, stmt, &adding->id, error);
}

gboolean
meso_store_add_consent (MesoStore    *self,
                        gint64        patient_id,
                        const char   *form,
                        const char   *language,
                        gint64        version,
                        const GDate  *signed_on,
                        GBytes       *signature,
                        gint64       *id,
                        GError      **error)
{
  AddingConsent adding = { patient_id, form, language, version, signed_on, signature, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (form != NULL && signed_on != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error) ||
      !meso_store_check_date (MESO_DATE_SESSION, signed_on, error) ||
      (signature != NULL && !check_signature (signature, error)) ||
      !meso_store_run_write (self, add_consent_cb, &adding, error))
    return FALSE;
  if (id != NULL)
    *id = adding.id;
  return TRUE;
}

GPtrArray *
meso_store_list_consents (MesoStore  *self,
                          gint64      patient_id,
                          GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error) ||
      !meso_store_patient_exists (self, patient_id, NULL, error) ||
      (stmt = meso_store_prepare (self, consents_list_sql, error)) == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);
  return meso_store_read_rows (self, stmt, (MesoStoreRowFunc)consent_from_row, (GDestroyNotify)meso_consent_free,
                    error);
}

typedef struct
{
  gint64       id;
  const GDate *revoked_on;
  const char  *reason;
} RevokingConsent;

static gboolean
revoke_consent_cb (MesoStore  *self,
                   gpointer    data,
                   GError    **error)
{
  RevokingConsent *revoking = data;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *revoked_on = meso_format_date_iso (revoking->revoked_on);
  gboolean revoked;
  GDate signed_on;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, "SELECT signed_on, revoked_on IS NOT NULL FROM consents "
                                   "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, revoking->id);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                     /* Translators: %lld is a consent's number */
                     _("There is no consent number %lld."), (long long)revoking->id);
      return FALSE;
    }
  column_date (stmt, 0, &signed_on);
  revoked = meso_db_column_int (stmt, 1) != 0;
  meso_db_reset (stmt);

  if (revoked)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %lld is a consent's number */
                   _("Consent number %lld was revoked already; a signed consent is never "
                     "changed."), (long long)revoking->id);
      return FALSE;
    }
  if (g_date_valid (&signed_on) && g_date_compare (revoking->revoked_on, &signed_on) < 0)
    {
      g_autofree char *signed_text = meso_format_date (&signed_on);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is the day the consent was signed */
                   _("A consent cannot be revoked before it was signed, on %s."), signed_text);
      return FALSE;
    }

  stmt = meso_store_prepare (self, "UPDATE consents SET revoked_on = ?2, revoke_reason = ?3, "
                                   "revoked_by = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, revoking->id);
  meso_db_bind_text (stmt, 2, revoked_on);
  meso_db_bind_text (stmt, 3, revoking->reason);
  meso_db_bind_text (stmt, 4, meso_store_get_actor (self));
  return meso_store_step_done (self, stmt, error);
}

gboolean
meso_store_revoke_consent (MesoStore    *self,
                           gint64        id,
                           const GDate  *revoked_on,
                           const char   *reason,
                           GError      **error)
{
  RevokingConsent revoking = { id, revoked_on, reason };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (revoked_on != NULL, FALSE);

  return meso_store_require (self, MESO_PERMISSION_TREAT, error) &&
         meso_store_check_date (MESO_DATE_SESSION, revoked_on, error) &&
         require_text (MESO_TEXT_REVOKE_REASON, reason,
                       _("Revoking a consent needs a written reason."), error) &&
         meso_store_run_write (self, revoke_consent_cb, &revoking, error);
}

/* ------------------------------------------------------------------- R8 */

gboolean
meso_store_load_consent_spans (MesoStore  *self,
                               gint64      patient_id,
                               GArray     *spans,
                               GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, consent_spans_sql, error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, MESO_CONSENT_FORM_MICRONEEDLING);
  meso_db_bind_int64 (stmt, 2, patient_id);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoConsentSpan span;

      column_date (stmt, 0, &span.signed_on);
      column_date (stmt, 1, &span.revoked_on);
      if (g_date_valid (&span.signed_on))
        g_array_append_val (spans, span);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
