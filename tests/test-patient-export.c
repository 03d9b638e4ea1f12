/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The patient's own copy (issue 18, item 5): meso_store_export_patient()
 * read back with json-glib. Each case on a fresh database: an SQLite file
 * (patient-export), or a database of its own on the test server
 * (patient-export-postgresql). "Now" is 2026-11-21T09:00 in Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"

#include "meso-store-private.h"
#include "meso-time.h"

#include "meso-test-core.h"

#include <json-glib/json-glib.h>

#include <string.h>

#define NOW "2026-11-21T09:00"

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-export-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  return 0;
}

static MesoStore *
fixture_store (void **state)
{
  return ((StoreFixture *)*state)->store;
}

/* The export of @patient_id as text; NULL with @error. */
static char *
export_text (MesoStore     *store,
             gint64         patient_id,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (out);
  gboolean ok;

  ok = meso_store_export_patient (store, patient_id, out, cancellable, error);
  g_output_stream_close (out, NULL, NULL);
  if (!ok)
    {
      EXPECT_INT ("nothing written on a failure", 0,
                  (gint64)g_memory_output_stream_get_data_size (memory));
      return NULL;
    }
  return g_strndup (g_memory_output_stream_get_data (memory),
                    g_memory_output_stream_get_data_size (memory));
}

/* The export of @patient_id parsed; @text, if wanted, its text. */
static JsonObject *
export_ok (MesoStore  *store,
           gint64      patient_id,
           char      **text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = export_text (store, patient_id, NULL, &error);
  JsonNode *root;

  EXPECT_NO_ERROR ("export", error);
  assert_non_null (data);
  EXPECT ("valid UTF-8", g_utf8_validate (data, -1, NULL));
  json_parser_load_from_data (parser, data, -1, &error);
  EXPECT_NO_ERROR ("the export parses", error);
  root = json_parser_get_root (parser);
  assert_true (JSON_NODE_HOLDS_OBJECT (root));
  if (text != NULL)
    *text = g_steal_pointer (&data);
  return json_object_ref (json_node_get_object (root));
}

static void
expect_store_error (const char *what,
                    GError     *error,
                    int         code)
{
  if (error == NULL || error->domain != MESO_STORE_ERROR || error->code != code)
    {
      print_error ("case \"%s\": expected store error %d, got %s\n", what, code,
                   error != NULL ? error->message : "none");
      fail ();
    }
}

static JsonObject *
element (JsonObject *document,
         const char *section,
         guint       index)
{
  JsonArray *array = json_object_get_array_member (document, section);

  assert_non_null (array);
  assert_true (index < json_array_get_length (array));
  return json_array_get_object_element (array, index);
}

static guint
count (JsonObject *document,
       const char *section)
{
  JsonArray *array = json_object_get_array_member (document, section);

  assert_non_null (array);
  return json_array_get_length (array);
}

static gint64
record_with_lot (MesoStore  *store,
                 gint64      patient_id,
                 const char *at,
                 MesoArea    area,
                 const char *lot)
{
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) error = NULL;

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, area);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 750);
  meso_session_set_lot (session, lot);
  meso_session_set_notes (session, "tolerated well");
  EXPECT (at, meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_NO_ERROR (at, error);
  return meso_session_get_id (session);
}

static void
log_contact_ok (MesoStore  *store,
                gint64      patient_id,
                const char *at,
                const char *note)
{
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(GError) error = NULL;

  EXPECT (at, meso_store_log_contact (store, patient_id, when, "call", note, "booked", &error));
  EXPECT_NO_ERROR (at, error);
}

/* Every section there, with its fields and values, and nothing of
 * another patient's. */
static void
test_export_every_section (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autofree char *text = NULL;
  GDate expires = make_day ("2027-03-31"), noted = make_day ("2026-10-01"),
        cleared = make_day ("2026-10-10");
  gint64 anna, other, registered, typed, booked;
  JsonObject *patient, *session, *lot, *flag;
  static const char *const sections[] = {
    "format", "version", "exported_at", "patient", "flags", "sessions", "appointments",
    "contacts", "courses", "consents", "photos",
  };

  anna = add_patient_full (store, "Anna Berg", FALSE, "+49 30 1234", "anna@example.org");
  other = add_patient_full (store, "Otto Fremd", TRUE, "+49 40 9999", "otto@example.org");
  assert_true (meso_store_add_lot (store, "LOT-7", "Hyaluron Serum", &expires, NULL, NULL,
                                   &error));
  EXPECT (
    "flag", meso_store_set_flag (store, anna, MESO_CONTRAINDICATION_HERPES, &noted, &error));
  EXPECT ("clear", meso_store_clear_flag (store, anna, MESO_CONTRAINDICATION_HERPES, &cleared,
                                          &error));
  EXPECT_NO_ERROR ("flags", error);
  registered = record_with_lot (store, anna, "2026-10-20T10:00", MESO_AREA_FACE, "LOT-7");
  typed = record_with_lot (store, anna, "2026-10-21T10:00", MESO_AREA_NECK, "free text 9");
  booked = book_appointment_ok (store, anna, "2026-11-24T10:00", MESO_AREA_FACE);
  log_contact_ok (store, anna, "2026-11-20T11:00", "asked to call back");
  EXPECT ("declined", meso_store_set_course_state (store, anna, FALSE, TRUE, &error));

  /* Another patient's records, none of which may appear. */
  record_with_lot (store, other, "2026-10-22T10:00", MESO_AREA_SCALP, "LOT-7");
  book_appointment_ok (store, other, "2026-11-25T10:00", MESO_AREA_HANDS);
  EXPECT ("other's flag", meso_store_set_flag (store, other, MESO_CONTRAINDICATION_INFECTION,
                                               &cleared, &error));
  log_contact_ok (store, other, "2026-11-19T11:00", "Otto's own note");

  document = export_ok (store, anna, &text);
  /* The members in the documented order. */
  {
    g_autoptr(GList) names = json_object_get_members (document);
    guint i = 0;

    for (GList *l = names; l != NULL; l = l->next, i++)
      EXPECT_STR ("member order", sections[MIN (i, G_N_ELEMENTS (sections) - 1)], l->data);
    EXPECT_INT ("members", G_N_ELEMENTS (sections), i);
  }
  EXPECT_STR ("format", MESO_PATIENT_EXPORT_FORMAT,
              json_object_get_string_member (document, "format"));
  EXPECT_INT ("version", MESO_PATIENT_EXPORT_VERSION,
              json_object_get_int_member (document, "version"));
  EXPECT_CONTAINS ("exported_at", json_object_get_string_member (document, "exported_at"),
                   "2026-11-21T09:00:00+01");

  patient = json_object_get_object_member (document, "patient");
  EXPECT_INT ("patient id", anna, json_object_get_int_member (patient, "id"));
  EXPECT_STR ("name", "Anna Berg", json_object_get_string_member (patient, "name"));
  EXPECT_STR ("phone", "+49 30 1234", json_object_get_string_member (patient, "phone"));
  EXPECT_STR ("email", "anna@example.org", json_object_get_string_member (patient, "email"));
  EXPECT ("birth date unknown", json_object_get_null_member (patient, "birth_date"));
  EXPECT ("skin", !json_object_get_boolean_member (patient, "sensitive_skin"));
  EXPECT_STR ("recall", "declined", json_object_get_string_member (patient, "recall"));
  EXPECT_STR ("created", "2026-11-21T09:00",
              json_object_get_string_member (patient, "created_at"));

  EXPECT_INT ("flags", 1, count (document, "flags"));
  flag = element (document, "flags", 0);
  EXPECT_STR ("flag kind", "herpes", json_object_get_string_member (flag, "kind"));
  EXPECT_STR ("noted", "2026-10-01", json_object_get_string_member (flag, "noted_on"));
  EXPECT_STR ("cleared", "2026-10-10", json_object_get_string_member (flag, "cleared_on"));
  EXPECT ("not active", !json_object_get_boolean_member (flag, "active"));

  EXPECT_INT ("sessions", 2, count (document, "sessions"));
  session = element (document, "sessions", 0);          /* newest first */
  EXPECT_INT ("typed lot's session", typed, json_object_get_int_member (session, "id"));
  EXPECT_STR ("typed lot", "free text 9", json_object_get_string_member (session, "lot"));
  EXPECT ("not registered", json_object_get_null_member (session, "registered_lot"));
  EXPECT_STR ("area", "neck", json_object_get_string_member (session, "area"));
  session = element (document, "sessions", 1);
  EXPECT_INT ("registered lot's session", registered, json_object_get_int_member (session, "id"));
  EXPECT_STR ("at", "2026-10-20T10:00", json_object_get_string_member (session, "at"));
  EXPECT_INT ("needle", 750, json_object_get_int_member (session, "needle_um"));
  EXPECT_STR ("device", "pen", json_object_get_string_member (session, "device"));
  EXPECT_STR ("notes", "tolerated well", json_object_get_string_member (session, "notes"));
  lot = json_object_get_object_member (session, "registered_lot");
  assert_non_null (lot);
  EXPECT_STR ("lot number", "LOT-7", json_object_get_string_member (lot, "number"));
  EXPECT_STR ("product", "Hyaluron Serum", json_object_get_string_member (lot, "product"));
  EXPECT_STR ("expiry", "2027-03-31", json_object_get_string_member (lot, "expires_on"));

  EXPECT_INT ("appointments", 1, count (document, "appointments"));
  EXPECT_INT ("appointment", booked,
              json_object_get_int_member (element (document, "appointments", 0), "id"));
  EXPECT_STR ("its start", "2026-11-24T10:00",
              json_object_get_string_member (element (document, "appointments", 0), "start"));
  EXPECT_STR ("its status", "booked",
              json_object_get_string_member (element (document, "appointments", 0), "status"));

  EXPECT_INT ("contacts", 1, count (document, "contacts"));
  EXPECT_STR ("contact note", "asked to call back",
              json_object_get_string_member (element (document, "contacts", 0), "note"));
  EXPECT_STR ("channel", "call",
              json_object_get_string_member (element (document, "contacts", 0), "channel"));
  EXPECT_STR ("outcome", "booked",
              json_object_get_string_member (element (document, "contacts", 0), "outcome"));

  EXPECT_INT ("courses: face and neck", 2, count (document, "courses"));
  EXPECT_STR ("course area", "face",
              json_object_get_string_member (element (document, "courses", 0), "area"));
  EXPECT_STR ("next booked", "2026-11-24T10:00",
              json_object_get_string_member (element (document, "courses", 0), "next_booked"));
  EXPECT_INT ("no consents taken", 0, count (document, "consents"));
  EXPECT_INT ("no photos taken", 0, count (document, "photos"));

  EXPECT_NOT_CONTAINS ("other's name", text, "Otto");
  EXPECT_NOT_CONTAINS ("other's phone", text, "9999");
  EXPECT_NOT_CONTAINS ("other's area", text, "scalp");
  EXPECT_NOT_CONTAINS ("other's booking", text, "hands");
  EXPECT_NOT_CONTAINS ("other's flag", text, "infection");
}

/* Each consent with the text version it was signed on (not the form's
 * later edit), its method, who took it, its revocation, and the signature
 * image as base64 that decodes to the bytes signed; another patient's
 * consent is not in it. */
static void
test_export_consents (void **state)
{
  /* A 1×1 PNG, as the signature pad would hand it in. */
  static const char png_base64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(MesoConsentText) first = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *text = NULL;
  g_autofree guchar *decoded = NULL;
  gsize png_size = 0, decoded_size = 0;
  guchar *png_data = g_base64_decode (png_base64, &png_size);
  GDate signed_on = make_day ("2026-10-01"), paper_on = make_day ("2026-11-02"),
        revoked_on = make_day ("2026-11-10");
  gint64 anna, other, on_screen = 0, on_paper = 0, version = 0;
  JsonObject *consent;

  png = g_bytes_new_take (png_data, png_size);
  anna = add_patient (store, "Anna Berg", FALSE);
  other = add_patient (store, "Otto Lind", FALSE);
  first = meso_store_get_consent_text (store, MESO_CONSENT_FORM_MICRONEEDLING, "en", 0, &error);
  EXPECT_NO_ERROR ("the shipped text", error);
  assert_non_null (first);

  EXPECT ("on screen", meso_store_add_consent (store, anna, MESO_CONSENT_FORM_MICRONEEDLING,
                                               "en", 0, &signed_on, png, &on_screen, &error));
  EXPECT_NO_ERROR ("on screen", error);
  EXPECT ("edit", meso_store_edit_consent_form (store, MESO_CONSENT_FORM_MICRONEEDLING, "en",
                                                "The clinic's own words, second version.",
                                                &version, &error));
  EXPECT_NO_ERROR ("edit", error);
  EXPECT ("on paper", meso_store_add_consent (store, anna, MESO_CONSENT_FORM_MICRONEEDLING,
                                              "en", 0, &paper_on, NULL, &on_paper, &error));
  EXPECT_NO_ERROR ("on paper", error);
  EXPECT ("revoke", meso_store_revoke_consent (store, on_paper, &revoked_on,
                                               "Changed her mind", &error));
  EXPECT_NO_ERROR ("revoke", error);
  EXPECT ("other's", meso_store_add_consent (store, other, MESO_CONSENT_FORM_MICRONEEDLING,
                                             "en", 0, &paper_on, NULL, NULL, &error));
  EXPECT_NO_ERROR ("other's", error);

  document = export_ok (store, anna, &text);
  EXPECT_INT ("Anna's two", 2, count (document, "consents"));

  /* Newest first: the one on paper, on the edited text, revoked. */
  consent = element (document, "consents", 0);
  EXPECT_INT ("paper id", on_paper, json_object_get_int_member (consent, "id"));
  EXPECT_STR ("form", "microneedling", json_object_get_string_member (consent, "form"));
  EXPECT_STR ("language", "en", json_object_get_string_member (consent, "language"));
  EXPECT_INT ("the edited version", version, json_object_get_int_member (consent, "version"));
  EXPECT_STR ("its text", "The clinic's own words, second version.",
              json_object_get_string_member (consent, "text"));
  EXPECT_STR ("signed on", "2026-11-02", json_object_get_string_member (consent, "signed_on"));
  EXPECT_STR ("method", "paper", json_object_get_string_member (consent, "method"));
  assert_non_null (json_object_get_string_member (consent, "taken_by"));
  EXPECT_STR ("revoked on", "2026-11-10", json_object_get_string_member (consent, "revoked_on"));
  EXPECT_STR ("reason", "Changed her mind",
              json_object_get_string_member (consent, "revoke_reason"));
  EXPECT ("no signature on paper", json_object_get_null_member (consent, "signature"));

  /* The one on screen keeps the first version's text and the image. */
  consent = element (document, "consents", 1);
  EXPECT_INT ("screen id", on_screen, json_object_get_int_member (consent, "id"));
  EXPECT_INT ("the first version", first->version,
              json_object_get_int_member (consent, "version"));
  EXPECT_STR ("the first text", first->body, json_object_get_string_member (consent, "text"));
  EXPECT_STR ("method", "screen", json_object_get_string_member (consent, "method"));
  EXPECT ("not revoked", json_object_get_null_member (consent, "revoked_on"));
  EXPECT_STR ("media type", "image/png",
              json_object_get_string_member (consent, "signature_media_type"));
  decoded = g_base64_decode (json_object_get_string_member (consent, "signature"),
                             &decoded_size);
  EXPECT ("the signature's bytes",
          decoded_size == png_size &&
          memcmp (decoded, g_bytes_get_data (png, NULL), png_size) == 0);
  EXPECT_NOT_CONTAINS ("other's consent", text, "Otto");
}

/* Quotes, backslashes, line breaks and control characters (a record from
 * before text was checked, written here behind the store's back) come
 * back exactly. */
static void
test_export_text_round_trips (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  const char *name = "Zoë \"Zo\" O'Brien \\ 王";
  const char *notes = "line one\r\n\tline \"two\"\x01\x1b[31m\x7f end";
  MesoDbStmt *stmt;
  JsonObject *member;

  meso_patient_set_name (patient, name);
  assert_true (meso_store_add_patient (store, patient, &error));
  EXPECT_NO_ERROR ("add", error);
  stmt = meso_store_prepare (store, "UPDATE patients SET notes = ?2 WHERE id = ?1", &error);
  assert_non_null (stmt);
  meso_db_bind_int64 (stmt, 1, meso_patient_get_id (patient));
  meso_db_bind_text (stmt, 2, notes);
  EXPECT ("notes written", meso_store_step_done (store, stmt, &error));
  EXPECT_NO_ERROR ("notes", error);

  document = export_ok (store, meso_patient_get_id (patient), NULL);
  member = json_object_get_object_member (document, "patient");
  EXPECT_STR ("name", name, json_object_get_string_member (member, "name"));
  EXPECT_STR ("notes", notes, json_object_get_string_member (member, "notes"));
}

/* Each photo's record and its stored image, base64, oldest first; none of
 * another patient's. The bytes need not be a picture: the store keeps what
 * the import made, and the copy must give back exactly those. */
static void
test_export_photos (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autofree char *text = NULL;
  guint8 every_byte[256];
  g_autoptr(GBytes) image = NULL, thumbnail = g_bytes_new_static ("thumb", 5);
  gint64 anna = add_patient (store, "Anna Berg", FALSE);
  gint64 otto = add_patient (store, "Otto Kern", FALSE);
  gint64 first, later, others;
  JsonObject *photo;

  for (guint i = 0; i < sizeof every_byte; i++)
    every_byte[i] = (guint8)i;
  image = g_bytes_new (every_byte, sizeof every_byte);
  later = record_with_lot (store, anna, "2026-11-10T10:00", MESO_AREA_NECK, NULL);
  first = record_with_lot (store, anna, "2026-10-10T10:00", MESO_AREA_FACE, NULL);
  others = record_with_lot (store, otto, "2026-10-12T10:00", MESO_AREA_SCALP, NULL);
  {
    const MesoPhotoImage png = { image, thumbnail, "png", 640, 480 };
    const MesoPhotoImage jpeg = { thumbnail, thumbnail, "jpeg", 3, 2 };
    g_autoptr(MesoPhoto) after = meso_store_add_photo (store, later, MESO_PHOTO_KIND_AFTER,
                                                       MESO_PHOTO_AREA_OF_SESSION, &jpeg, &error);
    g_autoptr(MesoPhoto) before = meso_store_add_photo (store, first, MESO_PHOTO_KIND_BEFORE,
                                                        MESO_PHOTO_AREA_OF_SESSION, &png, &error);
    g_autoptr(MesoPhoto) otto_photo = meso_store_add_photo (store, others, MESO_PHOTO_KIND_BEFORE,
                                                            MESO_PHOTO_AREA_OF_SESSION, &png,
                                                            &error);

    EXPECT_NO_ERROR ("photos added", error);
    assert_non_null (after);
    assert_non_null (before);
    assert_non_null (otto_photo);
  }

  document = export_ok (store, anna, &text);
  EXPECT_INT ("Anna's two photos", 2, count (document, "photos"));
  photo = element (document, "photos", 0);
  EXPECT_STR ("oldest first", "before", json_object_get_string_member (photo, "kind"));
  EXPECT_INT ("its session", first, json_object_get_int_member (photo, "session_id"));
  EXPECT_STR ("area", "face", json_object_get_string_member (photo, "area"));
  EXPECT_STR ("taken at", "2026-10-10T10:00", json_object_get_string_member (photo, "taken_at"));
  EXPECT_INT ("width", 640, json_object_get_int_member (photo, "width"));
  EXPECT_INT ("height", 480, json_object_get_int_member (photo, "height"));
  EXPECT_STR ("media type", "image/png", json_object_get_string_member (photo, "media_type"));
  {
    gsize length = 0;
    g_autofree guchar *data = g_base64_decode (json_object_get_string_member (photo, "data"),
                                               &length);

    EXPECT_INT ("every byte back", sizeof every_byte, length);
    EXPECT ("the same bytes", memcmp (data, every_byte, sizeof every_byte) == 0);
  }
  photo = element (document, "photos", 1);
  EXPECT_STR ("then the after", "after", json_object_get_string_member (photo, "kind"));
  EXPECT_STR ("a JPEG", "image/jpeg", json_object_get_string_member (photo, "media_type"));
  EXPECT_STR ("its bytes", "dGh1bWI=", json_object_get_string_member (photo, "data"));
  EXPECT_NOT_CONTAINS ("no thumbnail member", text, "\"thumbnail\"");
  EXPECT_NOT_CONTAINS ("other's photo", text, "scalp");
}

static void
test_export_unknown_patient (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  add_patient (store, "Anna Berg", FALSE);
  text = export_text (store, 99, NULL, &error);
  assert_null (text);
  expect_store_error ("no such patient", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The store is usable afterwards: the snapshot was ended. */
  add_patient (store, "Berta Cole", FALSE);
}

static void
test_export_cancelled (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 id = add_patient (store, "Anna Berg", FALSE);

  g_cancellable_cancel (cancellable);
  EXPECT ("cancelled", !meso_store_export_patient (store, id, out, cancellable, &error));
  EXPECT ("its error", g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  add_patient (store, "Berta Cole", FALSE);
}

/* A manager's: a receptionist and a clinician are refused. */
static void
test_export_manager_only (void **state)
{
  MesoStore *store = fixture_store (state);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) document = NULL;
  gint64 id = add_patient (store, "Anna Berg", FALSE);
  static const struct { const char *name, *password; } refused[] = {
    { "Rita", "rita pw" },          /* a receptionist */
    { "Dr Lena", "lena pw" },       /* a clinician */
  };

  assert_true (meso_store_add_staff (store, "Mona", MESO_STAFF_MANAGER, "mona pw", &error));
  assert_true (meso_store_sign_in (store, "Mona", "mona pw", &error));
  assert_true (meso_store_add_staff (store, "Dr Lena", MESO_STAFF_CLINICIAN, "lena pw", &error));
  assert_true (meso_store_add_staff (store, "Rita", MESO_STAFF_RECEPTIONIST, "rita pw", &error));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      assert_true (meso_store_sign_in (store, refused[i].name, refused[i].password, &error));
      text = export_text (store, id, NULL, &error);
      assert_null (text);
      expect_store_error (refused[i].name, error, MESO_STORE_ERROR_NOT_ALLOWED);
      g_clear_error (&error);
    }

  assert_true (meso_store_sign_in (store, "Mona", "mona pw", &error));
  document = export_ok (store, id, NULL);
  EXPECT_STR ("a manager's", "Anna Berg",
              json_object_get_string_member (json_object_get_object_member (document, "patient"),
                                             "name"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_export_every_section, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_text_round_trips, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_consents, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_photos, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_unknown_patient, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_cancelled, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_export_manager_only, setup_store, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
