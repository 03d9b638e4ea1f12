/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: the patient's own copy (GDPR Art. 15 and 20; issue 18, item
 * 5): everything kept about one patient as one JSON document, read in one
 * snapshot. The field names are a contract (README, "The patient's own
 * copy"); the records share theirs with --json (meso-json.c).
 *
 * The document is written section by section, an array element by element,
 * each through a JsonGenerator of its own, so only one element is in memory
 * at a time: a section of large elements (photos, base64) costs one photo's
 * memory, however many the patient has. The audit log is not in it: it is
 * the clinic's record of who did what, names the staff, and is shown on a
 * manager's request (`mesodesk-cli audit --table patients --row ID`). */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-json.h"
#include "meso-time.h"

#include <string.h>

typedef struct
{
  MesoStore     *store;
  gint64         patient_id;
  MesoPatient   *patient;
  GOutputStream *out;
  GCancellable  *cancellable;
  JsonGenerator *generator;
  guint          elements;      /* written of the array being written */
} Export;

typedef gboolean (*SectionFunc) (Export  *export,
                                 GError **error);

static gboolean
export_write (Export      *export,
              const char  *text,
              gsize        length,
              GError     **error)
{
  return g_output_stream_write_all (export->out, text, length, NULL, export->cancellable,
                                    error);
}

/* @builder's value, indented for its @depth in the document. A JSON
 * string holds no raw line break, so each line break is the layout's. */
static gboolean
export_node (Export       *export,
             JsonBuilder  *builder,
             guint         depth,
             GError      **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *data = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *indent = g_strnfill (2 * depth, ' ');
  g_autofree char *line_break = g_strconcat ("\n", indent, NULL);

  json_generator_set_root (export->generator, root);
  data = json_generator_to_data (export->generator, NULL);
  json_generator_set_root (export->generator, NULL);
  text = g_string_new (data);
  g_string_replace (text, "\n", line_break, 0);
  return export_write (export, text->str, text->len, error);
}

/* Arrays: "[", each element on its own lines, "]"; "[]" when empty. */
static gboolean
export_begin_array (Export  *export,
                    GError **error)
{
  export->elements = 0;
  return export_write (export, "[", 1, error);
}

static gboolean
export_element (Export       *export,
                JsonBuilder  *builder,
                GError      **error)
{
  const char *separator = export->elements++ == 0 ? "\n    " : ",\n    ";

  return !g_cancellable_set_error_if_cancelled (export->cancellable, error) &&
         export_write (export, separator, strlen (separator), error) &&
         export_node (export, builder, 2, error);
}

static gboolean
export_end_array (Export  *export,
                  GError **error)
{
  return export->elements == 0 ? export_write (export, "]", 1, error)
                               : export_write (export, "\n  ]", 4, error);
}

/* --------------------------------------------------------------- sections */

static gboolean
write_patient (Export  *export,
               GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *recall = NULL;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (export->store,
                             "SELECT recall, created_at FROM patients WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, export->patient_id);
  if (!meso_store_step_found (export->store, stmt, error, "no patient to export"))
    return FALSE;
  recall = meso_db_column_dup (stmt, 0);
  created = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 1));
  meso_db_reset (stmt);

  json_builder_begin_object (builder);
  meso_json_patient_members (builder, export->patient);
  /* The course's recall state: active, finished or declined. */
  meso_json_string (builder, "recall", recall);
  meso_json_date_time (builder, "created_at", created);
  json_builder_end_object (builder);
  return export_node (export, builder, 1, error);
}

static gboolean
write_flags (Export  *export,
             GError **error)
{
  g_autoptr(GArray) flags = meso_store_list_flags (export->store, export->patient_id, error);
  GDate today;

  if (flags == NULL || !export_begin_array (export, error))
    return FALSE;
  meso_clock_today (&today);
  for (guint i = 0; i < flags->len; i++)
    {
      const MesoFlag *flag = &g_array_index (flags, MesoFlag, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_json_nick (builder, "kind", MESO_TYPE_CONTRAINDICATION, flag->kind);
      meso_json_date (builder, "noted_on", &flag->noted_on);
      meso_json_date (builder, "cleared_on", &flag->cleared_on);
      meso_json_bool (builder, "active", meso_flag_is_active_on (flag, &today));
      json_builder_end_object (builder);
      if (!export_element (export, builder, error))
        return FALSE;
    }
  return export_end_array (export, error);
}

/* A session's registered lot: its number, product and last day of use. */
typedef struct
{
  char *number;
  char *product;
  char *expires_on;
} RegisteredLot;

static void
registered_lot_free (RegisteredLot *lot)
{
  g_free (lot->number);
  g_free (lot->product);
  g_free (lot->expires_on);
  g_free (lot);
}

static GHashTable *
read_registered_lots (Export  *export,
                      GError **error)
{
  g_autoptr(GHashTable) lots = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify)registered_lot_free);
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (export->store,
                             "SELECT s.id, l.number, p.name, l.expires_on FROM sessions s "
                             "JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id "
                             "WHERE s.patient_id = ?1",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, export->patient_id);
  while (meso_store_step_row (export->store, stmt, &local_error))
    {
      RegisteredLot *lot = g_new0 (RegisteredLot, 1);

      lot->number = meso_db_column_dup (stmt, 1);
      lot->product = meso_db_column_dup (stmt, 2);
      lot->expires_on = meso_db_column_dup (stmt, 3);
      g_hash_table_insert (lots, g_memdup2 (&(gint64){ meso_db_column_int64 (stmt, 0) },
                                            sizeof (gint64)), lot);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&lots);
}

static gboolean
write_sessions (Export  *export,
                GError **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GHashTable) lots = NULL;

  sessions = meso_store_list_sessions (export->store, export->patient_id, error);
  if (sessions == NULL)
    return FALSE;
  lots = read_registered_lots (export, error);
  if (lots == NULL || !export_begin_array (export, error))
    return FALSE;
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);
      gint64 id = meso_session_get_id (session);
      const RegisteredLot *lot = g_hash_table_lookup (lots, &id);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_json_session_members (builder, session);
      /* "lot" is the text as recorded; this, the lot it names when registered. */
      json_builder_set_member_name (builder, "registered_lot");
      if (lot == NULL)
        json_builder_add_null_value (builder);
      else
        {
          json_builder_begin_object (builder);
          meso_json_string (builder, "number", lot->number);
          meso_json_string (builder, "product", lot->product);
          meso_json_string (builder, "expires_on", lot->expires_on);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      if (!export_element (export, builder, error))
        return FALSE;
    }
  return export_end_array (export, error);
}

static gboolean
write_appointments (Export  *export,
                    GError **error)
{
  g_autoptr(GPtrArray) appointments = NULL;

  appointments = meso_store_list_patient_appointments (export->store, export->patient_id,
                                                       error);
  if (appointments == NULL || !export_begin_array (export, error))
    return FALSE;
  for (guint i = 0; i < appointments->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      meso_json_appointment (builder, g_ptr_array_index (appointments, i));
      if (!export_element (export, builder, error))
        return FALSE;
    }
  return export_end_array (export, error);
}

static gboolean
write_contacts (Export  *export,
                GError **error)
{
  g_autoptr(GPtrArray) contacts = meso_store_list_contacts (export->store, export->patient_id,
                                                            error);

  if (contacts == NULL || !export_begin_array (export, error))
    return FALSE;
  for (guint i = 0; i < contacts->len; i++)
    {
      const MesoContact *contact = g_ptr_array_index (contacts, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      meso_json_int (builder, "id", contact->id);
      meso_json_date_time (builder, "at", contact->at);
      meso_json_string (builder, "channel", contact->channel);
      meso_json_string (builder, "note", contact->note);
      meso_json_string (builder, "outcome", contact->outcome);
      json_builder_end_object (builder);
      if (!export_element (export, builder, error))
        return FALSE;
    }
  return export_end_array (export, error);
}

/* Per area, the course the recall follows: its last session, the
 * follow-up window (julian days) and the next session booked. */
static gboolean
write_courses (Export  *export,
               GError **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (export->store,
                             "SELECT area, last_session_id, opens_day, closes_day, next_at "
                             "FROM courses WHERE patient_id = ?1 ORDER BY area",
                             error);
  if (stmt == NULL || !export_begin_array (export, error))
    return FALSE;
  meso_db_bind_int64 (stmt, 1, export->patient_id);
  while (meso_store_step_row (export->store, stmt, &local_error))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GDateTime) next = NULL;
      GDate opens, closes;

      g_date_clear (&opens, 1);
      g_date_clear (&closes, 1);
      g_date_set_julian (&opens, (guint32)meso_db_column_int64 (stmt, 2));
      g_date_set_julian (&closes, (guint32)meso_db_column_int64 (stmt, 3));
      if (!meso_db_column_is_null (stmt, 4))
        next = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 4));

      json_builder_begin_object (builder);
      meso_json_string (builder, "area", meso_db_column_text (stmt, 0));
      meso_json_int (builder, "last_session_id", meso_db_column_int64 (stmt, 1));
      meso_json_date (builder, "follow_up_from", &opens);
      meso_json_date (builder, "follow_up_until", &closes);
      meso_json_date_time (builder, "next_booked", next);
      json_builder_end_object (builder);
      if (!export_element (export, builder, error))
        {
          meso_db_reset (stmt);
          return FALSE;
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return export_end_array (export, error);
}

/* Each consent with the text the patient agreed to (its version in its
 * language) and, signed on screen, the signature image as base64. */
static gboolean
write_consents (Export  *export,
                GError **error)
{
  g_autoptr(GPtrArray) consents = meso_store_list_consents (export->store, export->patient_id,
                                                            error);

  if (consents == NULL || !export_begin_array (export, error))
    return FALSE;
  for (guint i = 0; i < consents->len; i++)
    {
      const MesoConsent *consent = g_ptr_array_index (consents, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(MesoConsentText) text = NULL;
      g_autofree char *signature = NULL;

      text = meso_store_get_consent_text (export->store, consent->form, consent->language,
                                          consent->version, error);
      if (text == NULL)
        return FALSE;
      if (consent->signature != NULL)
        {
          gsize size = 0;
          const guchar *data = g_bytes_get_data (consent->signature, &size);

          signature = g_base64_encode (data, size);
        }

      json_builder_begin_object (builder);
      meso_json_consent_members (builder, consent);
      meso_json_string (builder, "text", text->body);
      meso_json_string (builder, "signature_media_type", signature != NULL ? "image/png" : NULL);
      meso_json_string (builder, "signature", signature);
      json_builder_end_object (builder);
      if (!export_element (export, builder, error))
        return FALSE;
    }
  return export_end_array (export, error);
}

static gboolean
write_photo_cb (const MesoPhoto  *photo,
                GBytes           *image,
                gpointer          user_data,
                GError          **error)
{
  Export *export = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *media_type = g_strconcat ("image/", photo->format, NULL);
  g_autofree char *data = NULL;

  /* One photo's image (and its base64) in memory at a time; null for a
   * record whose bytes are not in this database. */
  if (image != NULL)
    data = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  json_builder_begin_object (builder);
  meso_json_photo_members (builder, photo);
  meso_json_string (builder, "media_type", media_type);
  meso_json_string (builder, "data", data);
  json_builder_end_object (builder);
  return export_element (export, builder, error);
}

static gboolean
write_photos (Export  *export,
              GError **error)
{
  return export_begin_array (export, error) &&
         meso_store_foreach_photo_image (export->store, export->patient_id, write_photo_cb,
                                         export, error) &&
         export_end_array (export, error);
}

/* The document's members after format, version and exported_at, in order.
 * A new kind of record is a writer here: an object through export_node(),
 * an array through export_begin_array(), export_element() for each record
 * as it is read (one in memory at a time), export_end_array().
 *   consents (schema 11): each consent's members (meso_json_consent_members()),
 *     the text of the version signed, and a screen signature's PNG (base64);
 *   photos (schema 12): each photo's members (meso_json_photo_members()),
 *     media_type and data (the stored image, base64) — written from a
 *     streamed statement's rows one by one, never a list of every photo. */
static const struct
{
  const char  *name;
  SectionFunc  write;
} sections[] = {
  { "patient", write_patient },
  { "flags", write_flags },
  { "sessions", write_sessions },
  { "appointments", write_appointments },
  { "contacts", write_contacts },
  { "courses", write_courses },
  { "consents", write_consents },
  { "photos", write_photos },
};

static gboolean
export_document (Export  *export,
                 GError **error)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *head = NULL;

  head = g_strdup_printf ("{\n  \"format\" : \"%s\",\n  \"version\" : %d,\n"
                          "  \"exported_at\" : \"%s\"",
                          MESO_PATIENT_EXPORT_FORMAT, MESO_PATIENT_EXPORT_VERSION, stamp);
  if (!export_write (export, head, strlen (head), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *member = g_strdup_printf (",\n  \"%s\" : ", sections[i].name);

      if (g_cancellable_set_error_if_cancelled (export->cancellable, error) ||
          !export_write (export, member, strlen (member), error) ||
          !sections[i].write (export, error))
        return FALSE;
    }
  return export_write (export, "\n}\n", 3, error) &&
         g_output_stream_flush (export->out, export->cancellable, error);
}

gboolean
meso_store_export_patient (MesoStore      *self,
                           gint64          patient_id,
                           GOutputStream  *out,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(MesoPatient) patient = NULL;
  Export export = { self, patient_id, NULL, out, cancellable, generator, 0 };
  gboolean ok;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  /* One snapshot: a desk writing meanwhile changes none of it half way. */
  if (!meso_store_begin_read (self, error))
    return FALSE;
  /* An unknown patient is NOT_FOUND before anything is written. */
  patient = meso_store_get_patient (self, patient_id, error);
  export.patient = patient;
  ok = patient != NULL && export_document (&export, error);
  meso_store_rollback (self);
  return ok;
}
