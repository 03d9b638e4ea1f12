/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Consent before treatment in the store (issue 18, R8): the shipped forms
 * and their versions, consents that keep their version, a signed consent
 * that no UPDATE can change (through the store's own connection too),
 * revoking, R8 in the session write and who may do what. Each case on a
 * fresh database: an SQLite file (consent), or a database of its own on
 * the test server (consent-postgresql). "Now" is 2026-11-21T09:00. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-time.h"

#include "meso-test-core.h"

#include <string.h>

#define NOW "2026-11-21T09:00"
#define FORM MESO_CONSENT_FORM_MICRONEEDLING

/* A 1×1 PNG, as a signature pad would hand it in. */
static const char png_base64[] =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-consent-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  return 0;
}

static GBytes *
signature_png (void)
{
  gsize size = 0;
  guchar *data = g_base64_decode (png_base64, &size);

  return g_bytes_new_take (data, size);
}

/* A consent on @form's latest English version, signed on @signed_on (on
 * paper, or with the PNG when @on_screen): its id. */
static gint64
add_consent_ok (MesoStore  *store,
                gint64      patient,
                const char *form,
                const char *signed_on,
                gboolean    on_screen)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = on_screen ? signature_png () : NULL;
  GDate day = make_day (signed_on);
  gint64 id = 0;

  EXPECT (signed_on, meso_store_add_consent (store, patient, form, "en", 0, &day, png, &id,
                                             &error));
  EXPECT_NO_ERROR (signed_on, error);
  assert_true (id > 0);
  return id;
}

static gboolean
revoke_on (MesoStore   *store,
        gint64       id,
        const char  *on,
        const char  *reason,
        GError     **error)
{
  GDate day = make_day (on);

  return meso_store_revoke_consent (store, id, &day, reason, error);
}

static void
require_consent (MesoStore *store,
                 gboolean   on)
{
  g_autoptr(GError) error = NULL;
  MesoPolicy policy;

  assert_true (meso_store_load_policy (store, &policy, &error));
  policy.consent_required = on;
  EXPECT ("policy saved", meso_store_save_policy (store, &policy, &error));
  EXPECT_NO_ERROR ("policy saved", error);
}

/* Records a face session at @at; FALSE with @error when refused. */
static gboolean
record (MesoStore   *store,
        gint64       patient,
        const char  *at,
        GError     **error)
{
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GPtrArray) verdicts = NULL;

  meso_session_set_patient_id (session, patient);
  meso_session_set_at (session, when);
  meso_session_set_area (session, MESO_AREA_FACE);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 500);
  return meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, &verdicts, error);
}

/* ============================================================ the forms */

static void
test_shipped_forms (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = meso_store_list_consent_texts (f->store, &error);
  static const struct
  {
    const char *language;
    const char *words[4];  /* the policy's aftercare numbers, the risks, the rights */
  } shipped[] = {
    { "de", { "24 Stunden", "3 Tage", "Hypopigmentierung", "widerrufen" } },
    { "en", { "24 hours", "3 days", "hyperpigmentation", "withdraw" } },
    { "ru", { "24 часа", "3 дней", "гиперпигментация", "отозвать" } },
    { "zh_CN", { "24小时", "3天", "色素沉着", "撤回" } },
  };

  EXPECT_NO_ERROR ("list", error);
  EXPECT_INT ("four languages", G_N_ELEMENTS (shipped), texts->len);
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      const MesoConsentText *listed = g_ptr_array_index (texts, i);
      g_autoptr(MesoConsentText) text = NULL;

      EXPECT_STR (shipped[i].language, FORM, listed->form);
      EXPECT_STR (shipped[i].language, shipped[i].language, listed->language);
      EXPECT_INT (shipped[i].language, 1, listed->version);
      EXPECT_STR (shipped[i].language, "Mesodesk", listed->created_by);
      EXPECT (shipped[i].language, listed->body == NULL);

      text = meso_store_get_consent_text (f->store, "Microneedling", shipped[i].language, 0,
                                          &error);
      EXPECT_NO_ERROR (shipped[i].language, error);
      for (guint w = 0; w < G_N_ELEMENTS (shipped[i].words); w++)
        if (strstr (text->body, shipped[i].words[w]) == NULL)
          {
            print_error ("%s: \"%s\" missing\n", shipped[i].language, shipped[i].words[w]);
            fail ();
          }
    }

  /* No language asked: the person's (C here), else English. */
  {
    g_autoptr(MesoConsentText) text = meso_store_get_consent_text (f->store, FORM, NULL, 0,
                                                                   &error);

    EXPECT_NO_ERROR ("the person's language", error);
    EXPECT_STR ("the person's language", "en", text->language);
  }
  {
    g_autoptr(MesoConsentText) none = meso_store_get_consent_text (f->store, FORM, "fr", 0,
                                                                   &error);

    EXPECT ("French", none == NULL);
    expect_store_code ("French", error, MESO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(MesoConsentText) none = meso_store_get_consent_text (f->store, "tattoo", NULL,
                                                                   0, &error);

    expect_store_code ("no such form", error, MESO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(MesoConsentText) none = meso_store_get_consent_text (f->store, FORM, "en", 2,
                                                                   &error);

    expect_store_code ("no version 2 yet", error, MESO_STORE_ERROR_NOT_FOUND);
  }
}

/* An edit is a new version; the old one stays, and a consent keeps the
 * version it was signed on. */
static void
test_edit_keeps_signed_version (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(MesoConsentText) first = NULL;
  gint64 patient = add_patient (f->store, "Ida Lindqvist", FALSE);
  gint64 version = 0;

  add_consent_ok (f->store, patient, FORM, "2026-11-02", FALSE);
  EXPECT ("edit", meso_store_edit_consent_form (f->store, FORM, "en", "Our own text.\n",
                                                &version, &error));
  EXPECT_NO_ERROR ("edit", error);
  EXPECT_INT ("the new version", 2, version);
  add_consent_ok (f->store, patient, FORM, "2026-11-20", TRUE);

  consents = meso_store_list_consents (f->store, patient, &error);
  EXPECT_NO_ERROR ("list", error);
  EXPECT_INT ("two consents", 2, consents->len);
  EXPECT_INT ("newest first, on the new version", 2,
              ((MesoConsent *)consents->pdata[0])->version);
  EXPECT_INT ("the first keeps its version", 1, ((MesoConsent *)consents->pdata[1])->version);
  EXPECT ("on paper", ((MesoConsent *)consents->pdata[1])->method == MESO_CONSENT_ON_PAPER);
  EXPECT ("no image on paper", ((MesoConsent *)consents->pdata[1])->signature == NULL);

  /* Signed on the text the patient read, though a newer one was saved
   * meanwhile (a dialog open while a manager edits, a paper copy printed
   * before the edit); a version there is not is NOT_FOUND. */
  {
    GDate day;
    gint64 id = 0;
    g_autoptr(GPtrArray) again = NULL;

    g_date_clear (&day, 1);
    g_date_set_dmy (&day, 21, 11, 2026);
    EXPECT ("on the version read",
            meso_store_add_consent (f->store, patient, FORM, "en", 1, &day, NULL, &id, &error));
    EXPECT_NO_ERROR ("on the version read", error);
    again = meso_store_list_consents (f->store, patient, &error);
    EXPECT_INT ("recorded on version 1", 1, ((MesoConsent *)again->pdata[0])->version);
    EXPECT ("no version 9",
            !meso_store_add_consent (f->store, patient, FORM, "en", 9, &day, NULL, &id, &error));
    expect_store_code ("no version 9", error, MESO_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  first = meso_store_get_consent_text (f->store, FORM, "en", 1, &error);
  EXPECT_NO_ERROR ("version 1", error);
  EXPECT ("version 1 unchanged", strstr (first->body, "microneedling") != NULL);
  texts = meso_store_list_consent_texts (f->store, &error);
  EXPECT_INT ("five versions", 5, texts->len);

  /* A new name is a new form, of the clinic's own. */
  EXPECT ("a new form", meso_store_edit_consent_form (f->store, "Photos", "de", "Fotos.\n",
                                                      &version, &error));
  EXPECT_INT ("its first version", 1, version);
  EXPECT ("empty text", !meso_store_edit_consent_form (f->store, FORM, "en", "  \n", NULL,
                                                       &error));
  expect_store_code ("empty text", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("bad language", !meso_store_edit_consent_form (f->store, FORM, "en; DROP", "x",
                                                         NULL, &error));
  expect_store_code ("bad language", error, MESO_STORE_ERROR_INVALID);
}

/* The signature's image comes back as it went in; anything else is refused. */
static void
test_signature_kept (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_autoptr(GBytes) png = signature_png ();
  g_autoptr(GBytes) text = g_bytes_new_static ("not an image", 12);
  gint64 patient = add_patient (f->store, "Ida Lindqvist", FALSE);
  GDate day = make_day ("2026-11-21");
  GDate tomorrow = make_day ("2026-11-22");
  const MesoConsent *consent;

  add_consent_ok (f->store, patient, FORM, "2026-11-21", TRUE);
  consents = meso_store_list_consents (f->store, patient, &error);
  EXPECT_NO_ERROR ("list", error);
  consent = consents->pdata[0];
  EXPECT ("on screen", consent->method == MESO_CONSENT_ON_SCREEN);
  EXPECT ("the same image", consent->signature != NULL && g_bytes_equal (consent->signature,
                                                                         png));
  EXPECT_STR ("taken by the OS user, nobody signed in", g_get_user_name (), consent->taken_by);
  EXPECT ("not revoked", !g_date_valid (&consent->revoked_on));

  EXPECT ("not a PNG", !meso_store_add_consent (f->store, patient, FORM, "en", 0, &day, text, NULL,
                                                &error));
  expect_store_code ("not a PNG", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("tomorrow", !meso_store_add_consent (f->store, patient, FORM, "en", 0, &tomorrow, NULL,
                                               NULL, &error));
  expect_store_code ("tomorrow", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("nobody", !meso_store_add_consent (f->store, 999, FORM, "en", 0, &day, NULL, NULL,
                                             &error));
  expect_store_code ("nobody", error, MESO_STORE_ERROR_NOT_FOUND);
}

/* A signed consent: no UPDATE changes it but the one that revokes it, not
 * even SQL sent through the store's own connection. */
static void
test_signed_consent_not_edited (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  gint64 patient = add_patient (f->store, "Ida Lindqvist", FALSE);
  gint64 id = add_consent_ok (f->store, patient, FORM, "2026-11-02", TRUE);
  MesoDb *db = meso_store_get_db (f->store);
  /* Each followed by the consent's id. */
  static const char *const edits[] = {
    "UPDATE consents SET signed_on = '2026-01-01' WHERE id = ",
    "UPDATE consents SET taken_by = 'someone else' WHERE id = ",
    "UPDATE consents SET method = 'paper', signature = NULL WHERE id = ",
    "UPDATE consents SET text_id = text_id WHERE id = ",
    "UPDATE consent_texts SET body = 'changed' WHERE id IN "
    "(SELECT text_id FROM consents) AND 0 < ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *sql = g_strdup_printf ("%s%" G_GINT64_FORMAT, edits[i], id);

      EXPECT (sql, !meso_db_exec (db, sql, &error));
      EXPECT (sql, error != NULL && error->domain == MESO_DB_ERROR);
      g_clear_error (&error);
    }

  EXPECT ("before it was signed", !revoke_on (f->store, id, "2026-11-01", "moved", &error));
  expect_store_code ("before it was signed", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("no reason", !revoke_on (f->store, id, "2026-11-10", " ", &error));
  expect_store_code ("no reason", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("revoked", revoke_on (f->store, id, "2026-11-10", "Changed her mind", &error));
  EXPECT_NO_ERROR ("revoked", error);
  EXPECT ("twice", !revoke_on (f->store, id, "2026-11-11", "again", &error));
  expect_store_code ("twice", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("no such consent", !revoke_on (f->store, id + 100, "2026-11-11", "x", &error));
  expect_store_code ("no such consent", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE consents SET revoke_reason = 'another "
                                            "reason' WHERE id = %" G_GINT64_FORMAT, id);

    EXPECT ("a revoked one either", !meso_db_exec (db, sql, &error));
    g_clear_error (&error);
  }

  consents = meso_store_list_consents (f->store, patient, &error);
  EXPECT_NO_ERROR ("list", error);
  {
    const MesoConsent *consent = consents->pdata[0];
    g_autofree char *revoked_on = meso_format_date_iso (&consent->revoked_on);
    g_autofree char *signed_on = meso_format_date_iso (&consent->signed_on);

    EXPECT_STR ("revoked on", "2026-11-10", revoked_on);
    EXPECT_STR ("signed on kept", "2026-11-02", signed_on);
    EXPECT_STR ("the reason", "Changed her mind", consent->revoke_reason);
    EXPECT_STR ("revoked by", g_get_user_name (), consent->revoked_by);
    EXPECT ("the image kept", consent->signature != NULL);
  }
}

/* ================================================================== R8 */

static void
test_session_needs_consent (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 none = add_patient (f->store, "Ada None", FALSE);
  gint64 same_day = add_patient (f->store, "Bo Sameday", FALSE);
  gint64 day_after = add_patient (f->store, "Cy Dayafter", FALSE);
  gint64 revoked_before = add_patient (f->store, "Di Revoked", FALSE);
  gint64 revoked_that_day = add_patient (f->store, "Ed Thatday", FALSE);
  gint64 revoked_after = add_patient (f->store, "Fay Later", FALSE);
  gint64 other_form = add_patient (f->store, "Gus Other", FALSE);
  gint64 id;

  /* Off (the default): nothing asked. */
  EXPECT ("policy off", record (f->store, none, "2026-11-10T10:00", &error));
  EXPECT_NO_ERROR ("policy off", error);

  add_consent_ok (f->store, same_day, FORM, "2026-11-10", FALSE);
  add_consent_ok (f->store, day_after, FORM, "2026-11-11", FALSE);
  id = add_consent_ok (f->store, revoked_before, FORM, "2026-10-01", FALSE);
  assert_true (revoke_on (f->store, id, "2026-11-09", "withdrawn", NULL));
  id = add_consent_ok (f->store, revoked_that_day, FORM, "2026-10-01", FALSE);
  assert_true (revoke_on (f->store, id, "2026-11-10", "withdrawn", NULL));
  id = add_consent_ok (f->store, revoked_after, FORM, "2026-10-01", TRUE);
  assert_true (revoke_on (f->store, id, "2026-11-11", "withdrawn", NULL));
  assert_true (meso_store_edit_consent_form (f->store, "Photos", "en", "Photos.", NULL, NULL));
  add_consent_ok (f->store, other_form, "Photos", "2026-10-01", FALSE);

  require_consent (f->store, TRUE);
  {
    const struct
    {
      const char *what;
      gint64     *patient;
      gboolean    allowed;
    } cases[] = {
      { "no consent", &none, FALSE },
      { "signed the same day", &same_day, TRUE },
      { "signed the day after", &day_after, FALSE },
      { "revoked the day before", &revoked_before, FALSE },
      { "revoked on the session's day", &revoked_that_day, FALSE },
      { "revoked the day after", &revoked_after, TRUE },
      { "another form's consent", &other_form, FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        /* none has a face session on the 10th already: another area's day. */
        gboolean added = record (f->store, *cases[i].patient,
                                 *cases[i].patient == none ? "2026-11-10T18:00"
                                                           : "2026-11-10T10:00", &error);

        if (cases[i].allowed)
          {
            EXPECT (cases[i].what, added);
            EXPECT_NO_ERROR (cases[i].what, error);
          }
        else
          {
            EXPECT (cases[i].what, !added);
            expect_store_code (cases[i].what, error, MESO_STORE_ERROR_REFUSED);
            EXPECT (cases[i].what, error != NULL && strstr (error->message, "R8") != NULL);
          }
        g_clear_error (&error);
      }
  }
}

/* ======================================================= who may do what */

static void
test_consent_permissions (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 patient = add_patient (f->store, "Anna Weber", FALSE);
  GDate day = make_day ("2026-11-21");
  gint64 id = 0;
  static const struct
  {
    const char *name;
    const char *password;
    gboolean    read, take, edit;
  } people[] = {
    { "Rita", "rita pw", TRUE, FALSE, FALSE },
    { "Dr Lena", "lena pw", TRUE, TRUE, FALSE },
    { "Mona", "mona pw", TRUE, FALSE, TRUE },
  };

  assert_true (meso_store_add_staff (f->store, "Mona", MESO_STAFF_MANAGER, "mona pw", &error));
  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  assert_true (meso_store_add_staff (f->store, "Dr Lena", MESO_STAFF_CLINICIAN, "lena pw",
                                     &error));
  assert_true (meso_store_add_staff (f->store, "Rita", MESO_STAFF_RECEPTIONIST, "rita pw",
                                     &error));

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(GPtrArray) texts = NULL;
      g_autoptr(GPtrArray) consents = NULL;
      gboolean took, edited;

      meso_store_sign_out (f->store);
      assert_true (meso_store_sign_in (f->store, people[i].name, people[i].password, &error));

      texts = meso_store_list_consent_texts (f->store, &error);
      EXPECT (people[i].name, (texts != NULL) == people[i].read);
      g_clear_error (&error);
      consents = meso_store_list_consents (f->store, patient, &error);
      EXPECT (people[i].name, (consents != NULL) == people[i].read);
      g_clear_error (&error);

      took = meso_store_add_consent (f->store, patient, FORM, "de", 0, &day, NULL, &id, &error);
      EXPECT (people[i].name, took == people[i].take);
      if (!took)
        expect_store_code (people[i].name, error, MESO_STORE_ERROR_NOT_ALLOWED);
      g_clear_error (&error);

      edited = meso_store_edit_consent_form (f->store, FORM, "de", "Unser Text.", NULL, &error);
      EXPECT (people[i].name, edited == people[i].edit);
      if (!edited)
        expect_store_code (people[i].name, error, MESO_STORE_ERROR_NOT_ALLOWED);
      g_clear_error (&error);
    }

  /* The clinician's consent names her; a receptionist may not revoke it. */
  meso_store_sign_out (f->store);
  assert_true (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  EXPECT ("receptionist revokes", !revoke_on (f->store, id, "2026-11-21", "x", &error));
  expect_store_code ("receptionist revokes", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) consents = meso_store_list_consents (f->store, patient, &error);
    const MesoConsent *consent = consents->pdata[0];

    EXPECT_STR ("taken by", "Dr Lena", consent->taken_by);
    EXPECT_STR ("in German", "de", consent->language);
  }
  meso_store_sign_out (f->store);
  assert_true (meso_store_sign_in (f->store, "Dr Lena", "lena pw", &error));
  EXPECT ("clinician revokes", revoke_on (f->store, id, "2026-11-21", "withdrawn", &error));
  EXPECT_NO_ERROR ("clinician revokes", error);
}

/* ============================================================ the upgrade */

/* A database of schema 10 keeps its records and gets the shipped forms. */
static void
test_upgrade_keeps_records (void **state)
{
  /* A server's upgrades: store-engines (its versions set back). */
  SKIP_ON_POSTGRESQL ();

  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) consents = NULL;
  g_auto(MesoAuditVerification) verified = { 0 };
  g_autofree char *path = g_build_filename (f->dir, "old.db", NULL);
  gint64 patient;

  old = meso_store_open_at_version (path, MESO_STORE_SCHEMA_CONSENT - 1, &error);
  EXPECT_NO_ERROR ("open at 10", error);
  assert_non_null (old);
  patient = add_patient (old, "Ida Lindqvist", FALSE);
  EXPECT ("a session at 10", record (old, patient, "2026-11-02T10:00", &error));
  g_clear_object (&old);

  old = meso_store_open (path, &error);
  EXPECT_NO_ERROR ("migrated", error);
  EXPECT_INT ("the version", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (old));
  texts = meso_store_list_consent_texts (old, &error);
  EXPECT_INT ("the shipped forms", 4, texts->len);
  consents = meso_store_list_consents (old, patient, &error);
  EXPECT_NO_ERROR ("her consents", error);
  EXPECT_INT ("none yet", 0, consents->len);
  {
    g_autoptr(GPtrArray) sessions = meso_store_list_sessions (old, patient, &error);

    EXPECT_INT ("her session kept", 1, sessions->len);
  }
  EXPECT ("check", meso_store_check (old, &error));
  EXPECT_NO_ERROR ("check", error);
  EXPECT ("audit", meso_store_verify_audit (old, &verified, &error));
  EXPECT_NO_ERROR ("audit", error);
  EXPECT ("the chain intact", verified.sound && verified.problem == NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_shipped_forms, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_edit_keeps_signed_version, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_signature_kept, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_signed_consent_not_edited, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_needs_consent, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_consent_permissions, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_upgrade_keeps_records, setup_store, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
