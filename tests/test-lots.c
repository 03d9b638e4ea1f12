/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Products and lots in the store (issue 18): registering, listing, R7 as
 * the store applies it when a session is recorded, and the recall by lot.
 * Each case on a fresh database: an SQLite file (lots), or a database of its
 * own on the test server (lots-postgresql). "Now" is 2026-11-21T09:00 in
 * Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include "meso-test-core.h"

#define NOW "2026-11-21T09:00"

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-lots-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  return 0;
}

static GDate
day (const char *iso)
{
  GDate date;

  g_date_clear (&date, 1);
  assert_true (meso_date_parse (iso, &date, NULL));
  return date;
}

static gint64
add_lot_ok (MesoStore  *store,
            const char *number,
            const char *product,
            const char *expires)
{
  g_autoptr(GError) error = NULL;
  GDate date = day (expires);
  gint64 id = 0;

  EXPECT (number, meso_store_add_lot (store, number, product, &date, &id, NULL, &error));
  EXPECT_NO_ERROR (number, error);
  assert_true (id > 0);
  return id;
}

/* Records a face session with @lot; its verdicts, or NULL and @error. */
static GPtrArray *
record_lot (MesoStore   *store,
            gint64       patient_id,
            const char  *at,
            const char  *lot,
            gint64      *id,
            GError     **error)
{
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(MesoSession) session = meso_session_new ();
  GPtrArray *verdicts = NULL;

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, MESO_AREA_FACE);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 500);
  meso_session_set_lot (session, lot);
  /* A refusal hands back its verdicts too. */
  if (!meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, &verdicts, error))
    {
      g_clear_pointer (&verdicts, g_ptr_array_unref);
      return NULL;
    }
  if (id != NULL)
    *id = meso_session_get_id (session);
  return verdicts;
}

static void
collect_cb (const MesoLotPatient *row,
            gpointer              user_data)
{
  GString *text = user_data;
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (row->at);
  g_autofree char *when = g_date_time_format (at, "%Y-%m-%dT%H:%M");

  g_string_append_printf (text, "%s/%s/%s/%s/%s/%s/%s;", row->patient, when,
                          meso_enum_to_nick (MESO_TYPE_AREA, row->area),
                          row->phone ? row->phone : "-", row->email ? row->email : "-",
                          row->product, row->lot);
}

static void
collect_contacted_cb (const MesoLotPatient *row,
                      gpointer              user_data)
{
  g_array_append_val ((GArray *)user_data, row->contacted);
}

static char *
recall (MesoStore   *store,
        const char  *lot,
        GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!meso_store_list_lot_patients (store, lot, collect_cb, text, error))
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ============================================================== the lots */

static void
test_lots_add_and_list (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  guint before = count_audit (f->store);
  GDate date = day ("2027-03-31");
  MesoLot *lot;

  add_lot_ok (f->store, "HA-2611", "Hyaluron Serum", "2027-03-31");
  /* The same product, however its name's case is typed: no second one. */
  add_lot_ok (f->store, " HA-2612 ", "hyaluron serum", "2027-06-30");
  /* The same number under another product is another lot. */
  add_lot_ok (f->store, "HA-2611", "Peptide Complex", "2026-12-31");

  EXPECT ("a lot twice", !meso_store_add_lot (f->store, "HA-2611", "HYALURON SERUM", &date,
                                              NULL, NULL, &error));
  expect_store_code ("a lot twice", error, MESO_STORE_ERROR_INVALID);
  EXPECT ("named", strstr (error->message, "HA-2611") != NULL);
  g_clear_error (&error);
  EXPECT ("no number", !meso_store_add_lot (f->store, "  ", "Serum", &date, NULL, NULL, &error));
  expect_store_code ("no number", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("no product", !meso_store_add_lot (f->store, "X-1", " ", &date, NULL, NULL, &error));
  expect_store_code ("no product", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  EXPECT ("a control character",
          !meso_store_add_lot (f->store, "X\x1b[2J", "Serum", &date, NULL, NULL, &error));
  expect_store_code ("a control character", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  date = day ("2040-01-01");
  EXPECT ("beyond the horizon",
          !meso_store_add_lot (f->store, "X-2", "Serum", &date, NULL, NULL, &error));
  expect_store_code ("beyond the horizon", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  lots = meso_store_list_lots (f->store, &error);
  EXPECT_NO_ERROR ("list", error);
  assert_non_null (lots);
  EXPECT_INT ("three lots", 3, lots->len);
  lot = lots->pdata[0];
  EXPECT_STR ("by product, then expiry", "Hyaluron Serum", lot->product);
  EXPECT_STR ("the earlier expiry first", "HA-2611", lot->number);
  date = day ("2027-03-31");
  EXPECT_INT ("its expiry", 0, g_date_compare (&date, &lot->expires_on));
  EXPECT_INT ("no sessions yet", 0, lot->sessions);
  EXPECT_STR ("kept without the spaces", "HA-2612", ((MesoLot *)lots->pdata[1])->number);
  EXPECT_STR ("the product made once", "Hyaluron Serum", ((MesoLot *)lots->pdata[1])->product);
  EXPECT_STR ("the other product", "Peptide Complex", ((MesoLot *)lots->pdata[2])->product);

  /* Two products and three lots, each audited; nothing of the refused. */
  EXPECT_INT ("audited", before + 5, count_audit (f->store));
  audit = meso_store_list_audit (f->store, "lots", 0, &error);
  EXPECT_NO_ERROR ("audit", error);
  EXPECT_INT ("three lots audited", 3, audit->len);
  EXPECT ("the number in the entry",
          strstr (((MesoAuditEntry *)audit->pdata[0])->changes, "HA-2611") != NULL);
  EXPECT ("the expiry in the entry",
          strstr (((MesoAuditEntry *)audit->pdata[0])->changes, "2027-03-31") != NULL);
}

/* ====================================================== R7 in the store */

static void
test_session_lot_expiry (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) lots = NULL;
  g_autofree char *who = NULL;
  gint64 ada = add_patient_full (f->store, "Ada Lind", FALSE, "0171 555", "ada@example.org");
  gint64 bo = add_patient (f->store, "Bo Berg", FALSE);
  gint64 id = 0;
  guint audit;

  add_lot_ok (f->store, "VC-7", "Vitamin C Ampoule", "2026-11-10");

  /* On the expiry day itself, late in the evening: still usable. */
  verdicts = record_lot (f->store, ada, "2026-11-10T23:30", "VC-7", &id, &error);
  EXPECT_NO_ERROR ("on the expiry day", error);
  assert_non_null (verdicts);
  EXPECT ("no warning", !meso_verdict_is_blocking (verdicts->pdata[3]));
  EXPECT_INT ("R7 ok", MESO_VERDICT_OK, meso_verdict_get_kind (verdicts->pdata[3]));
  g_clear_pointer (&verdicts, g_ptr_array_unref);

  /* The next morning: refused, nothing written. */
  audit = count_audit (f->store);
  verdicts = record_lot (f->store, bo, "2026-11-11T08:00", "VC-7", NULL, &error);
  assert_null (verdicts);
  expect_store_code ("the day after", error, MESO_STORE_ERROR_REFUSED);
  EXPECT ("names the rule", g_str_has_prefix (error->message, "R7"));
  EXPECT ("names the expiry", strstr (error->message, "2026-11-10") != NULL);
  EXPECT_INT ("nothing written", audit, count_audit (f->store));
  g_clear_error (&error);

  /* A session of the checking kind gives the same verdict, writing nothing. */
  {
    g_autoptr(GDateTime) when = local_dt ("2026-11-12T10:00");
    g_autoptr(MesoSession) session = meso_session_new ();
    g_autoptr(GPtrArray) checked = NULL;
    g_autoptr(MesoVerdict) worst = NULL;

    meso_session_set_patient_id (session, bo);
    meso_session_set_at (session, when);
    meso_session_set_area (session, MESO_AREA_NECK);
    meso_session_set_device (session, MESO_DEVICE_PEN);
    meso_session_set_needle_um (session, 500);
    meso_session_set_lot (session, "VC-7");
    checked = meso_store_check_session (f->store, session, MESO_ROLE_CLINICIAN, &error);
    EXPECT_NO_ERROR ("check", error);
    worst = meso_verdict_worst (checked);
    EXPECT_INT ("refused", MESO_VERDICT_REFUSED, meso_verdict_get_kind (worst));
    EXPECT_STR ("by R7", "R7", meso_verdict_get_rule (worst));
  }

  /* The session refers to the lot: the recall finds it, and the lot counts it. */
  who = recall (f->store, "VC-7", &error);
  EXPECT_NO_ERROR ("recall", error);
  EXPECT_STR ("Ada, with her contact",
              "Ada Lind/2026-11-10T23:30/face/0171 555/ada@example.org/Vitamin C Ampoule/VC-7;",
              who);
  lots = meso_store_list_lots (f->store, &error);
  EXPECT_NO_ERROR ("list", error);
  EXPECT_INT ("one session", 1, ((MesoLot *)lots->pdata[0])->sessions);
  (void)id;
}

static void
test_session_unregistered_lot (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autofree char *who = NULL;
  gint64 ada = add_patient (f->store, "Ada Lind", FALSE);
  GDate date = day ("2027-01-31");

  verdicts = record_lot (f->store, ada, "2026-11-02T10:00", "PP 99/a", NULL, &error);
  EXPECT_NO_ERROR ("recorded all the same", error);
  assert_non_null (verdicts);
  EXPECT_INT ("a warning", MESO_VERDICT_WARNING, meso_verdict_get_kind (verdicts->pdata[3]));
  EXPECT_STR ("R7's", "R7", meso_verdict_get_rule (verdicts->pdata[3]));
  EXPECT ("says so", strstr (meso_verdict_get_message (verdicts->pdata[3]),
                             "not registered") != NULL);

  sessions = meso_store_list_sessions (f->store, ada, &error);
  EXPECT_NO_ERROR ("list", error);
  EXPECT_STR ("kept as typed", "PP 99/a", meso_session_get_lot (sessions->pdata[0]));

  /* Not a registered lot: nobody to recall by it. */
  who = recall (f->store, "PP 99/a", &error);
  assert_null (who);
  expect_store_code ("unregistered recall", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A number two products share cannot say which one was used. */
  EXPECT ("one", meso_store_add_lot (f->store, "L-1", "Serum A", &date, NULL, NULL, &error));
  EXPECT ("two", meso_store_add_lot (f->store, "L-1", "Serum B", &date, NULL, NULL, &error));
  EXPECT_NO_ERROR ("two products", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, ada, "2026-11-20T10:00", "L-1", NULL, &error);
  assert_null (verdicts);
  expect_store_code ("ambiguous", error, MESO_STORE_ERROR_INVALID);
  EXPECT ("names both", strstr (error->message, "Serum A, Serum B") != NULL);
}

/* Sessions recorded before their lot was registered: linked when it is, as
 * the store compares lot numbers (spaces around them aside, case kept),
 * audited; a number two products share links nothing. */
static void
test_link_earlier_sessions (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autofree char *who = NULL;
  gint64 ada = add_patient_full (f->store, "Ada Lind", FALSE, "0171 555", NULL);
  gint64 bo = add_patient (f->store, "Bo Berg", FALSE);
  gint64 cy = add_patient (f->store, "Cy Holm", FALSE);
  gint64 di = add_patient (f->store, "Di Moor", FALSE);
  gint64 ed = add_patient (f->store, "Ed Falk", FALSE);
  gint64 first = 0, second = 0, linked = -1;
  const MesoAuditEntry *note;
  GDate date = day ("2027-03-31");

  verdicts = record_lot (f->store, ada, "2026-11-02T10:00", "HA-77", &first, &error);
  EXPECT_NO_ERROR ("typed", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, bo, "2026-11-03T10:00", " HA-77 ", &second, &error);
  EXPECT_NO_ERROR ("typed with spaces", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, cy, "2026-11-04T10:00", "ha-77", NULL, &error);
  EXPECT_NO_ERROR ("another number", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, di, "2026-11-05T10:00", "AMB-1", NULL, &error);
  EXPECT_NO_ERROR ("to be ambiguous", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);

  EXPECT ("registered", meso_store_add_lot (f->store, "HA-77", "Hyaluron", &date, NULL, &linked,
                                            &error));
  EXPECT_NO_ERROR ("registered", error);
  EXPECT_INT ("two linked", 2, linked);
  who = recall (f->store, "HA-77", &error);
  EXPECT_NO_ERROR ("recall", error);
  EXPECT ("Ada first", g_str_has_prefix (who, "Ada Lind/2026-11-02T10:00/face/0171 555/"));
  EXPECT ("then Bo", strstr (who, ";Bo Berg/2026-11-03T10:00/face/") != NULL);
  EXPECT ("not the other case", strstr (who, "2026-11-04") == NULL);

  audit = meso_store_list_audit (f->store, "sessions", 0, &error);
  EXPECT_NO_ERROR ("audit", error);
  note = audit->pdata[audit->len - 1];
  EXPECT_STR ("audited", "lot-linked", note->action);
  {
    g_autofree char *ids = g_strdup_printf ("sessions %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT,
                                            first, second);

    EXPECT ("naming the sessions", strstr (note->changes, ids) != NULL);
    EXPECT ("and the lot", strstr (note->changes, "HA-77 of Hyaluron") != NULL);
  }

  /* Registered again for another product: nothing more to link, nothing unlinked. */
  linked = -1;
  EXPECT ("another product's", meso_store_add_lot (f->store, "HA-77", "Serum", &date, NULL,
                                                   &linked, &error));
  EXPECT_INT ("none", 0, linked);

  /* A number two products share cannot say which was used: it stays as typed. */
  EXPECT ("one", meso_store_add_lot (f->store, "AMB-1", "Serum A", &date, NULL, &linked, &error));
  EXPECT_INT ("the only one then", 1, linked);
  g_clear_pointer (&who, g_free);
  who = recall (f->store, "AMB-1", &error);
  EXPECT_NO_ERROR ("recall", error);
  EXPECT ("one row", strstr (who, "Di Moor/2026-11-05") != NULL);
  verdicts = record_lot (f->store, ed, "2026-11-06T10:00", "AMB-2", NULL, &error);
  EXPECT_NO_ERROR ("to be ambiguous", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  EXPECT ("A", meso_store_add_lot (f->store, "AMB-2", "Serum A", &date, NULL, NULL, &error));
  EXPECT ("B", meso_store_add_lot (f->store, "AMB-2", "Serum B", &date, NULL, &linked, &error));
  EXPECT_NO_ERROR ("two products", error);
  EXPECT_INT ("nothing left to link", 0, linked);
}

/* ============================================================ the recall */

static void
test_recall_many_patients (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *who = NULL;
  g_autofree char *others = NULL;
  guint n = 0;

  add_lot_ok (f->store, "HA-1", "Hyaluron Serum", "2027-01-01");
  add_lot_ok (f->store, "HA-2", "Hyaluron Serum", "2027-01-01");
  /* 240 patients, every third given HA-1 on its own day, the rest HA-2. */
  for (guint i = 0; i < 240; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %03u", i);
      g_autofree char *phone = g_strdup_printf ("0171 %03u", i);
      g_autofree char *at = g_strdup_printf ("2026-%02u-%02uT%02u:00", 1 + i / 28 % 10,
                                             1 + i % 28, 8 + i % 9);
      g_autoptr(GPtrArray) verdicts = NULL;
      gint64 id = add_patient_full (f->store, name, FALSE, phone, NULL);
      gboolean first = i % 3 == 0;

      verdicts = record_lot (f->store, id, at, first ? "HA-1" : "HA-2", NULL, &error);
      EXPECT_NO_ERROR (name, error);
      if (first)
        n++;
    }

  who = recall (f->store, "HA-1", &error);
  EXPECT_NO_ERROR ("recall", error);
  {
    g_auto(GStrv) rows = g_strsplit (who, ";", -1);
    GDateTime *previous = NULL;

    EXPECT_INT ("every third", n + 1, g_strv_length (rows));
    for (guint i = 0; rows[i][0] != '\0'; i++)
      {
        g_auto(GStrv) fields = g_strsplit (rows[i], "/", -1);
        g_autoptr(GDateTime) at = local_dt (fields[1]);
        guint number = (guint)g_ascii_strtoull (fields[0] + strlen ("Patient "), NULL, 10);
        g_autofree char *phone = g_strdup_printf ("0171 %03u", number);

        EXPECT_INT (rows[i], 0, number % 3);
        EXPECT_STR (rows[i], phone, fields[3]);
        EXPECT_STR (rows[i], "-", fields[4]);
        EXPECT_STR (rows[i], "HA-1", fields[6]);
        if (previous != NULL)
          EXPECT (rows[i], g_date_time_compare (previous, at) <= 0);
        g_clear_pointer (&previous, g_date_time_unref);
        previous = g_date_time_ref (at);
      }
    g_clear_pointer (&previous, g_date_time_unref);
  }
  others = recall (f->store, "HA-2", &error);
  EXPECT_NO_ERROR ("the other lot", error);
  {
    g_auto(GStrv) rows = g_strsplit (others, ";", -1);

    EXPECT_INT ("the rest", 240 - n + 1, g_strv_length (rows));
  }
}

/* Each row says when its patient was last called about this lot: the
 * newest of that lot's recall calls, not another lot's nor another call,
 * in the one statement that lists them (and meso_store_get_lot_contact()
 * agrees). */
static void
test_recall_contacted (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) first_call = local_dt ("2026-11-10T09:00");
  g_autoptr(GDateTime) second_call = local_dt ("2026-11-12T15:30");
  g_autoptr(GDateTime) other_call = local_dt ("2026-11-14T10:00");
  g_autoptr(GDateTime) asked = NULL;
  g_autoptr(GArray) contacted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) verdicts = NULL;
  gint64 anna, ben;

  add_lot_ok (f->store, "HA-1", "Hyaluron Serum", "2027-01-01");
  add_lot_ok (f->store, "HA-2", "Hyaluron Serum", "2027-01-01");
  anna = add_patient_full (f->store, "Anna Ruf", FALSE, "0171 1", NULL);
  ben = add_patient_full (f->store, "Ben Ruf", FALSE, "0171 2", NULL);
  verdicts = record_lot (f->store, anna, "2026-06-01T10:00", "HA-1", NULL, &error);
  EXPECT_NO_ERROR ("Anna's first", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, ben, "2026-06-02T10:00", "HA-1", NULL, &error);
  EXPECT_NO_ERROR ("Ben's", error);
  g_clear_pointer (&verdicts, g_ptr_array_unref);
  verdicts = record_lot (f->store, anna, "2026-08-01T10:00", "HA-1", NULL, &error);
  EXPECT_NO_ERROR ("Anna's second", error);

  EXPECT ("first call", meso_store_log_lot_contact (f->store, anna, "HA-1", first_call, &error));
  EXPECT ("second call", meso_store_log_lot_contact (f->store, anna, " HA-1 ", second_call,
                                                     &error));
  /* Later, but about another lot, or not a recall at all: neither counts. */
  EXPECT ("other lot", meso_store_log_lot_contact (f->store, ben, "HA-2", other_call, &error));
  EXPECT ("plain call", meso_store_log_contact (f->store, ben, other_call, "call", "Due", NULL,
                                                &error));
  EXPECT_NO_ERROR ("calls", error);

  EXPECT ("listed", meso_store_list_lot_patients (f->store, "HA-1", collect_contacted_cb,
                                                  contacted, &error));
  EXPECT_NO_ERROR ("listed", error);
  EXPECT_INT ("three sessions", 3, contacted->len);
  EXPECT_INT ("Anna's first row", g_date_time_to_unix (second_call),
              g_array_index (contacted, gint64, 0));
  EXPECT_INT ("Ben, never", 0, g_array_index (contacted, gint64, 1));
  EXPECT_INT ("Anna's second row", g_date_time_to_unix (second_call),
              g_array_index (contacted, gint64, 2));

  asked = meso_store_get_lot_contact (f->store, anna, "HA-1", &error);
  EXPECT_NO_ERROR ("asked", error);
  EXPECT ("Anna was called", asked != NULL && g_date_time_equal (asked, second_call));
  g_clear_pointer (&asked, g_date_time_unref);
  asked = meso_store_get_lot_contact (f->store, ben, "HA-1", &error);
  EXPECT_NO_ERROR ("asked about Ben", error);
  EXPECT ("Ben was not", asked == NULL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_lots_add_and_list, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_lot_expiry, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_session_unregistered_lot, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_recall_many_patients, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_recall_contacted, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_link_earlier_sessions, setup_store, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
