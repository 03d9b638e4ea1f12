/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff accounts (issue 16): signing in, and what each role may do,
 * checked by the store on a real SQLite file, or a database of the test
 * server's own with MESODESK_TEST_ENGINE=postgresql. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"
#include "meso-db-sqlite.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "meso-test-core.h"

#define NOW "2026-11-21T09:00"

#define EXPECT_ERROR(what, error, expected_code) \
  G_STMT_START { \
    const GError *e_ = (error); \
    if (e_ == NULL || e_->domain != MESO_STORE_ERROR || e_->code != (int) (expected_code)) \
      { \
        print_error ("case \"%s\": expected %s, got %s\n", (what), #expected_code, \
                     e_ != NULL ? e_->message : "no error"); \
        fail (); \
      } \
  } G_STMT_END

static int
setup (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-staff-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  return 0;
}

/* A manager (Mona), a clinician (Dr Lena), a receptionist (Rita) and a
 * patient with a face session on 2026-11-20; the store signed in as nobody. */
static gint64
clinic_with_accounts (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 patient = add_patient (store, "Anna Weber", FALSE);

  add_face_session (store, patient, "2026-11-20T09:00");
  assert_true (meso_store_add_staff (store, "Mona", MESO_STAFF_MANAGER, "mona pw", &error));
  assert_true (meso_store_sign_in (store, "Mona", "mona pw", &error));
  assert_true (meso_store_add_staff (store, "Dr Lena", MESO_STAFF_CLINICIAN, "lena pw", &error));
  assert_true (meso_store_add_staff (store, "Rita", MESO_STAFF_RECEPTIONIST, "rita pw", &error));
  EXPECT_NO_ERROR ("accounts", error);
  meso_store_sign_out (store);
  return patient;
}

static void
test_no_accounts_as_before (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  gboolean has = TRUE;
  gint64 patient = add_patient (f->store, "Anna Weber", FALSE);

  assert_true (meso_store_has_accounts (f->store, &has, &error));
  assert_false (has);
  add_face_session (f->store, patient, "2026-11-20T09:00");
  assert_true (meso_store_add_room (f->store, "Room 1", &error));
  assert_true (meso_store_require (f->store, MESO_PERMISSION_MANAGE, &error));
  EXPECT_NO_ERROR ("everything allowed", error);
  assert_null (meso_store_get_signed_in (f->store, NULL));
}

static void
test_first_account_is_a_manager (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  gboolean has = TRUE;

  assert_false (meso_store_add_staff (f->store, "Rita", MESO_STAFF_RECEPTIONIST, "pw", &error));
  EXPECT_ERROR ("a receptionist first", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_true (meso_store_has_accounts (f->store, &has, &error));
  assert_false (has);
  assert_true (meso_store_add_staff (f->store, "Mona", MESO_STAFF_MANAGER, "pw", &error));
  assert_true (meso_store_has_accounts (f->store, &has, &error));
  assert_true (has);
  /* From now on, nobody signed in may do nothing. */
  assert_false (meso_store_add_staff (f->store, "Rita", MESO_STAFF_RECEPTIONIST, "pw", &error));
  EXPECT_ERROR ("not signed in", error, MESO_STORE_ERROR_NOT_ALLOWED);
}

/* The existing practitioner keeps their number when given an account. */
static void
test_practitioner_becomes_account (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  MesoStaffMember *member;
  MesoStaffRoles roles;

  assert_true (meso_store_add_practitioner (f->store, "Dr Lena", MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_add_staff (f->store, "dr lena",
                                     MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER, "pw", &error));
  assert_true (meso_store_sign_in (f->store, "Dr Lena", "pw", &error));
  EXPECT_NO_ERROR ("signed in", error);
  EXPECT_STR ("who", "Dr Lena", meso_store_get_signed_in (f->store, &roles));
  EXPECT_INT ("roles", MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER, roles);
  staff = meso_store_list_staff (f->store, &error);
  EXPECT_INT ("one person", 1, staff->len);
  member = g_ptr_array_index (staff, 0);
  assert_true (member->has_password);
  assert_true (member->active);
}

static void
ignore_lot_patient_cb (const MesoLotPatient *row,
                       gpointer              user_data)
{
}

static gboolean
try_permission (MesoStore       *store,
                MesoPermission   permission,
                gint64           patient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) when = local_dt ("2026-11-21T10:00");
  GDate day = make_day ("2026-11-21");
  gboolean ok = FALSE;

  switch (permission)
    {
    case MESO_PERMISSION_FRONT_DESK:
      found = meso_store_search_patients (store, "", FALSE, 0, 10, &error);
      ok = found != NULL && meso_store_log_contact (store, patient, when, "call", NULL, NULL,
                                                    &error);
      if (ok)
        {
          /* The lots, for the session dialog and the recall by lot. */
          g_autoptr(GPtrArray) lots = meso_store_list_lots (store, &error);

          ok = lots != NULL;
        }
      if (ok)
        {
          /* Who received a lot: allowed, and then not found (none is registered). */
          ok = !meso_store_list_lot_patients (store, "L-none", ignore_lot_patient_cb, NULL,
                                              &error);
          if (ok)
            {
              EXPECT_ERROR ("allowed, then not found", error, MESO_STORE_ERROR_NOT_FOUND);
              g_clear_error (&error);
            }
        }
      break;
    case MESO_PERMISSION_TREAT:
      ok = meso_store_set_flag (store, patient, MESO_CONTRAINDICATION_HERPES, &day, &error);
      if (ok)
        {
          /* A lot is registered by who opens it: a clinician. */
          g_autofree char *number = g_strdup_printf ("L-%" G_GINT64_FORMAT,
                                                     g_get_real_time ());
          GDate expires = make_day ("2027-06-30");

          ok = meso_store_add_lot (store, number, "Hyaluronic serum", &expires, NULL, NULL, &error);
        }
      break;
    case MESO_PERMISSION_MANAGE:
      audit = meso_store_list_audit (store, NULL, 0, &error);
      ok = audit != NULL && meso_store_set_opening_hours (store, G_DATE_MONDAY, 480, 1080,
                                                          &error);
      break;
    default:
      fail ();
    }
  if (!ok)
    EXPECT_ERROR ("refused as not allowed", error, MESO_STORE_ERROR_NOT_ALLOWED);
  return ok;
}

static void
test_every_permission_both_ways (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 patient = clinic_with_accounts (f->store);
  static const struct
  {
    const char *name;
    const char *password;
    gboolean    allowed[3];
  } people[] = {
    { NULL, NULL, { FALSE, FALSE, FALSE } },
    { "Rita", "rita pw", { TRUE, FALSE, FALSE } },
    { "Dr Lena", "lena pw", { TRUE, TRUE, FALSE } },
    { "Mona", "mona pw", { TRUE, FALSE, TRUE } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      meso_store_sign_out (f->store);
      if (people[i].name != NULL)
        {
          assert_true (meso_store_sign_in (f->store, people[i].name, people[i].password,
                                           &error));
          EXPECT_NO_ERROR ("sign in", error);
        }
      for (MesoPermission p = MESO_PERMISSION_FRONT_DESK; p <= MESO_PERMISSION_MANAGE; p++)
        {
          g_autofree char *what = g_strdup_printf ("%s, permission %d",
                                                   people[i].name ? people[i].name : "nobody",
                                                   p);
          gboolean ok = try_permission (f->store, p, patient);

          /* What the window asks to hide a control: the same answer. */
          if (meso_store_may (f->store, p) != people[i].allowed[p])
            {
              print_error ("%s: meso_store_may differs\n", what);
              fail ();
            }
          if (ok != people[i].allowed[p])
            {
              print_error ("%s: expected %s\n", what, people[i].allowed[p] ? "allowed"
                                                                           : "refused");
              fail ();
            }
        }
    }
}

static MesoAppointment *
too_early_booking (gint64      patient,
                   const char *practitioner)
{
  g_autoptr(GDateTime) start = local_dt ("2026-12-01T10:00");
  MesoAppointment *appointment = meso_appointment_new ();

  meso_appointment_set_patient_id (appointment, patient);
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_area (appointment, MESO_AREA_FACE);
  meso_appointment_set_minutes (appointment, 60);
  meso_appointment_set_practitioner (appointment, practitioner);
  meso_appointment_set_override_reason (appointment, "scar protocol");
  return appointment;
}

static void
test_override_is_the_signed_in_clinicians (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) by_rita = NULL;
  g_autoptr(MesoAppointment) by_lena = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  gint64 patient = clinic_with_accounts (f->store);
  MesoAuditEntry *last;

  /* Naming a clinician, and claiming to be one, lifts nothing. */
  assert_true (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  by_rita = too_early_booking (patient, "Dr Lena");
  assert_false (meso_store_book_appointment (f->store, by_rita, MESO_ROLE_CLINICIAN, NULL,
                                             &error));
  EXPECT_ERROR ("a receptionist's override", error, MESO_STORE_ERROR_REFUSED);
  g_clear_error (&error);

  assert_true (meso_store_sign_in (f->store, "Dr Lena", "lena pw", &error));
  by_lena = too_early_booking (patient, NULL);
  assert_true (meso_store_book_appointment (f->store, by_lena, MESO_ROLE_RECEPTIONIST, NULL,
                                            &error));
  EXPECT_NO_ERROR ("a clinician's override", error);

  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  audit = meso_store_list_audit (f->store, "appointments", meso_appointment_get_id (by_lena),
                                 &error);
  EXPECT_NO_ERROR ("audit", error);
  last = g_ptr_array_index (audit, audit->len - 1);
  EXPECT_STR ("the audit names her", "Dr Lena", last->actor);
  EXPECT_STR ("and the system user", g_get_user_name (), last->os_user);
  EXPECT_STR ("and the computer", g_get_host_name (), last->host);
  EXPECT_CONTAINS ("with the reason", last->changes, "scar protocol");
}

static void
test_session_is_the_clinicians_own (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(MesoSession) stored = NULL;
  g_autoptr(GDateTime) at = local_dt ("2026-11-21T08:00");
  gint64 patient = clinic_with_accounts (f->store);

  assert_true (meso_store_sign_in (f->store, "Dr Lena", "lena pw", &error));
  meso_session_set_patient_id (session, patient);
  meso_session_set_at (session, at);
  meso_session_set_area (session, MESO_AREA_NECK);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 500);
  meso_session_set_practitioner (session, "Mona");
  assert_false (meso_store_add_session (f->store, session, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT_ERROR ("someone else's", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  meso_session_set_practitioner (session, NULL);
  assert_true (meso_store_add_session (f->store, session, MESO_ROLE_CLINICIAN, NULL, &error));
  stored = meso_store_get_session (f->store, meso_session_get_id (session), &error);
  EXPECT_STR ("hers", "Dr Lena", meso_session_get_practitioner (stored));
}

/* The sign-in page's names need no one signed in: the active accounts
 * only; a ticket signs another connection in as the same person. */
static void
test_sign_in_names_and_ticket (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) other = NULL;
  g_autoptr(MesoStaffTicket) ticket = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = { "Dr Lena", "Mona", NULL };

  clinic_with_accounts (f->store);
  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  assert_true (meso_store_add_practitioner (f->store, "Dr Without Password",
                                            MESO_ROLE_CLINICIAN, &error));
  assert_true (meso_store_set_practitioner_active (f->store, "Rita", FALSE, &error));
  EXPECT_NO_ERROR ("setting up", error);
  meso_store_sign_out (f->store);
  assert_null (meso_store_get_ticket (f->store));

  names = meso_store_list_sign_in_names (f->store, &error);
  EXPECT_NO_ERROR ("names", error);
  assert_non_null (names);
  assert_true (g_strv_equal ((const char *const *)names, expected));

  assert_true (meso_store_sign_in (f->store, "Dr Lena", "lena pw", &error));
  ticket = meso_store_get_ticket (f->store);
  assert_non_null (ticket);
  assert_string_equal (meso_staff_ticket_get_name (ticket), "Dr Lena");
  other = meso_store_open (f->path, &error);
  assert_false (meso_store_may (other, MESO_PERMISSION_FRONT_DESK));
  assert_true (meso_store_sign_in_ticket (other, ticket, &error));
  EXPECT_NO_ERROR ("ticket", error);
  assert_string_equal (meso_store_get_signed_in (other, NULL), "Dr Lena");
  assert_true (meso_store_may (other, MESO_PERMISSION_TREAT));
  assert_false (meso_store_may (other, MESO_PERMISSION_MANAGE));
  assert_true (meso_store_sign_in_ticket (other, NULL, &error));
  assert_null (meso_store_get_signed_in (other, NULL));
  assert_false (meso_store_may (other, MESO_PERMISSION_FRONT_DESK));
}

static void
test_disabled_account_refused (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) rita = NULL;

  clinic_with_accounts (f->store);
  rita = meso_store_open (f->path, &error);
  assert_true (meso_store_sign_in (rita, "Rita", "rita pw", &error));
  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  assert_true (meso_store_set_practitioner_active (f->store, "Rita", FALSE, &error));
  EXPECT_NO_ERROR ("disabled", error);

  /* Signed in before: refused from then on; signing in again too. */
  assert_false (meso_store_require (rita, MESO_PERMISSION_FRONT_DESK, &error));
  EXPECT_ERROR ("already signed in", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_false (meso_store_sign_in (rita, "Rita", "rita pw", &error));
  EXPECT_ERROR ("signing in", error, MESO_STORE_ERROR_NOT_ALLOWED);
}

/* Statements @store runs for @calls permission checks. */
static gint64
statements_for_checks (MesoStore *store,
                       guint      calls)
{
  MesoDb *db = meso_store_get_db (store);
  gint64 before = meso_db_get_statements (db);

  for (guint i = 0; i < calls; i++)
    assert_true (meso_store_require (store, MESO_PERMISSION_FRONT_DESK, NULL));
  return meso_db_get_statements (db) - before;
}

/* Waits (up to 2 s) until @store's data version moves past @version: a
 * server's notification of another connection's commit comes by the
 * socket; a file's number has moved already. */
static void
wait_for_news (MesoStore *store,
               gint64     version)
{
  for (guint i = 0; i < 200 && meso_store_get_data_version (store) == version; i++)
    g_usleep (10 * 1000);
}

/* Issue 15: a read asks nothing of the database for the permission while
 * nothing changed (on a server not a statement; on a file one PRAGMA
 * data_version, read in memory), and the person's row again after any
 * commit of another connection or of its own. */
static void
test_permission_kept_while_nothing_changed (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) desk = NULL;
  gint64 per_check = test_engine_is_postgresql () ? 0 : 1;
  gint64 version;

  clinic_with_accounts (f->store);
  assert_true (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  EXPECT_NO_ERROR ("signing in", error);
  assert_true (meso_store_require (f->store, MESO_PERMISSION_FRONT_DESK, &error));
  assert_int_equal (statements_for_checks (f->store, 20), 20 * per_check);

  /* Its own write: the row is read once more, then kept again. */
  add_patient (f->store, "Bea Brandt", FALSE);
  assert_true (statements_for_checks (f->store, 1) > per_check);
  assert_int_equal (statements_for_checks (f->store, 20), 20 * per_check);

  /* Another desk's write: the same. */
  desk = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("another desk", error);
  assert_true (meso_store_sign_in (desk, "Rita", "rita pw", &error));
  version = meso_store_get_data_version (f->store);
  add_patient (desk, "Carla Conti", FALSE);
  wait_for_news (f->store, version);
  assert_true (statements_for_checks (f->store, 1) > per_check);
  assert_int_equal (statements_for_checks (f->store, 20), 20 * per_check);
}

/* Issue 15: a manager at one desk disables an account or takes a role
 * away; at the desk where that person is signed in (its permission kept
 * from a read just before), the next write is refused at once (the write's
 * own transaction reads the row again), and the reads as soon as the
 * change is heard. */
static void
test_change_at_another_desk_reaches_the_next_write (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) rita = NULL;
  g_autoptr(MesoStore) lena = NULL;
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  gint64 anna = clinic_with_accounts (f->store);
  GDate today;
  gint64 version;

  g_date_set_dmy (&today, 21, 11, 2026);
  rita = meso_store_open (f->path, &error);
  lena = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("two desks", error);
  assert_true (meso_store_sign_in (rita, "Rita", "rita pw", &error));
  assert_true (meso_store_sign_in (lena, "Dr Lena", "lena pw", &error));
  assert_true (meso_store_require (rita, MESO_PERMISSION_FRONT_DESK, &error));
  assert_true (meso_store_require (lena, MESO_PERMISSION_TREAT, &error));
  EXPECT_NO_ERROR ("allowed before", error);

  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  version = meso_store_get_data_version (rita);
  assert_true (meso_store_set_practitioner_active (f->store, "Rita", FALSE, &error));
  assert_true (meso_store_set_staff_roles (f->store, "Dr Lena", MESO_STAFF_RECEPTIONIST,
                                           &error));
  EXPECT_NO_ERROR ("changed by the manager", error);

  /* The writes, whatever the desks heard so far. */
  meso_patient_set_name (patient, "Dora Diaz");
  assert_false (meso_store_add_patient (rita, patient, &error));
  EXPECT_ERROR ("disabled, writing", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_false (meso_store_set_flag (lena, anna, MESO_CONTRAINDICATION_INFECTION, &today,
                                     &error));
  EXPECT_ERROR ("no longer a clinician, writing", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* The reads, once heard. */
  wait_for_news (rita, version);
  assert_false (meso_store_require (rita, MESO_PERMISSION_FRONT_DESK, &error));
  EXPECT_ERROR ("disabled, reading", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_true (meso_store_require (lena, MESO_PERMISSION_FRONT_DESK, &error));
  assert_false (meso_store_may (lena, MESO_PERMISSION_TREAT));
  EXPECT_NO_ERROR ("a receptionist now", error);
}

/* A manager changes roles; the store keeps one manager who can sign in. */
static void
test_roles_changed_by_a_manager (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) rita = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  MesoStaffRoles roles;

  clinic_with_accounts (f->store);
  rita = meso_store_open (f->path, &error);
  assert_true (meso_store_sign_in (rita, "Rita", "rita pw", &error));
  assert_false (meso_store_set_staff_roles (rita, "Rita", MESO_STAFF_MANAGER, &error));
  EXPECT_ERROR ("a receptionist promotes herself", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  assert_false (meso_store_set_staff_roles (f->store, "Nobody", MESO_STAFF_CLINICIAN, &error));
  EXPECT_ERROR ("no such person", error, MESO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_false (meso_store_set_staff_roles (f->store, "Rita", 0, &error));
  EXPECT_ERROR ("no role", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* The only manager keeps the role and the account. */
  assert_false (meso_store_set_staff_roles (f->store, "Mona", MESO_STAFF_CLINICIAN, &error));
  EXPECT_ERROR ("the last manager's role", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_false (meso_store_set_practitioner_active (f->store, "mona", FALSE, &error));
  EXPECT_ERROR ("the last manager disabled", error, MESO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  assert_true (meso_store_set_staff_roles (f->store, "Rita",
                                           MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER, &error));
  EXPECT_NO_ERROR ("Rita a clinician and manager", error);
  /* Her open store may do it at once: the roles are read on each call. */
  assert_true (meso_store_may (rita, MESO_PERMISSION_MANAGE));
  EXPECT_STR ("her name", "Rita", meso_store_get_signed_in (rita, &roles));
  EXPECT_INT ("her roles", MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER, roles);
  /* With a second manager, Mona may stop managing. */
  assert_true (meso_store_set_staff_roles (f->store, "Mona", MESO_STAFF_RECEPTIONIST, &error));
  EXPECT_NO_ERROR ("Mona no manager", error);
  assert_false (meso_store_may (f->store, MESO_PERMISSION_MANAGE));
  audit = meso_store_list_audit (rita, "practitioners", 0, &error);
  assert_non_null (audit);
  {
    gboolean noted = FALSE;

    for (guint i = 0; i < audit->len; i++)
      {
        const MesoAuditEntry *entry = g_ptr_array_index (audit, i);

        noted |= g_strcmp0 (entry->action, "roles") == 0;
      }
    assert_true (noted);
  }
}

/* Restore replaces the accounts too: asked of the database replaced. */
static void
test_restore_needs_a_manager (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = g_build_filename (f->dir, "backup.db", NULL);
  g_autoptr(MesoStaffTicket) rita = NULL;
  g_autoptr(MesoStaffTicket) mona = NULL;

  clinic_with_accounts (f->store);
  assert_true (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  rita = meso_store_get_ticket (f->store);
  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  mona = meso_store_get_ticket (f->store);
  assert_true (meso_store_backup (f->store, backup, &error));
  EXPECT_NO_ERROR ("backup", error);

  assert_false (meso_store_restore_full (backup, f->path, MESO_RESTORE_REPLACE, NULL, NULL,
                                         &error));
  EXPECT_ERROR ("nobody signed in", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_false (meso_store_restore (backup, f->path, NULL, &error));
  EXPECT_ERROR ("the call without a ticket", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_false (meso_store_restore_full (backup, f->path, MESO_RESTORE_REPLACE, rita, NULL,
                                         &error));
  EXPECT_ERROR ("a receptionist", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_true (meso_store_restore_full (backup, f->path, MESO_RESTORE_REPLACE, mona, NULL,
                                        &error));
  EXPECT_NO_ERROR ("the manager", error);
}

static void
test_wrong_password_slows_down_and_is_audited (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *unknown = NULL;
  guint failures = 0;

  clinic_with_accounts (f->store);
  assert_false (meso_store_sign_in (f->store, "Nobody", "guess", &error));
  unknown = g_strdup (error->message);
  g_clear_error (&error);
  for (int i = 0; i < MESO_STAFF_FREE_FAILURES; i++)
    {
      assert_false (meso_store_sign_in (f->store, "Rita", "guess", &error));
      EXPECT_ERROR ("wrong", error, MESO_STORE_ERROR_NOT_ALLOWED);
      g_clear_error (&error);
    }
  /* The right password now waits: a second after the third failure (the
   * very next call, so a slow machine cannot have waited it out). */
  assert_false (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  EXPECT_ERROR ("waits", error, MESO_STORE_ERROR_NOT_ALLOWED);
  EXPECT_CONTAINS ("says so", error->message, "try again");
  g_clear_error (&error);
  g_usleep (2100 * 1000);
  meso_store_sign_in (f->store, "Rita", "rita pw", &error);
  EXPECT_NO_ERROR ("after waiting", error);

  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  audit = meso_store_list_audit (f->store, "practitioners", 0, &error);
  for (guint i = 0; i < audit->len; i++)
    {
      MesoAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_strcmp0 (entry->action, "sign-in-failed") == 0)
        failures++;
      EXPECT_NOT_CONTAINS ("no password in the log", entry->changes, "rita pw");
      EXPECT_NOT_CONTAINS ("no guess in the log", entry->changes, "guess");
    }
  EXPECT_INT ("each failure audited", MESO_STAFF_FREE_FAILURES + 1, failures);
  EXPECT_STR ("an unknown name reads the same", "That name and password do not match an "
              "account.", unknown);
}

static void
test_password_own_or_by_a_manager (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;

  clinic_with_accounts (f->store);
  assert_true (meso_store_sign_in (f->store, "Rita", "rita pw", &error));
  assert_true (meso_store_set_staff_password (f->store, "Rita", "new rita", &error));
  assert_false (meso_store_set_staff_password (f->store, "Mona", "taken over", &error));
  EXPECT_ERROR ("another's", error, MESO_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  assert_true (meso_store_sign_in (f->store, "Mona", "mona pw", &error));
  assert_true (meso_store_set_staff_password (f->store, "Rita", "reset", &error));
  assert_true (meso_store_sign_in (f->store, "Rita", "reset", &error));
  EXPECT_NO_ERROR ("reset", error);
}

static void
test_emergency_reset_by_the_owner (void **state)
{
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  MesoAuditEntry *last;

  clinic_with_accounts (f->store);
  /* The test's own file (and, on the test server, its superuser). */
  assert_true (meso_store_emergency_reset_password (f->store, "Mona", "found", &error));
  EXPECT_NO_ERROR ("reset", error);
  assert_true (meso_store_sign_in (f->store, "Mona", "found", &error));
  audit = meso_store_list_audit (f->store, "practitioners", 0, &error);
  last = g_ptr_array_index (audit, audit->len - 1);
  EXPECT_STR ("audited as such", "emergency-password-reset", last->action);
}

static void
test_emergency_reset_refused_to_others (void **state)
{
  /* A file of another owner: only root can make one. */
  SKIP_ON_POSTGRESQL ();
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;

  if (getuid () != 0)
    skip ();
  clinic_with_accounts (f->store);
  assert_true (chown (f->path, 1, (gid_t)-1) == 0);
  assert_false (meso_store_emergency_reset_password (f->store, "Mona", "x", &error));
  EXPECT_ERROR ("not the owner", error, MESO_STORE_ERROR_NOT_ALLOWED);
}

static void
raw_actor (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  sqlite3_result_text (context, "test", -1, SQLITE_STATIC);
}

static void
test_upgrade_from_7_keeps_practitioners (void **state)
{
  SKIP_ON_POSTGRESQL ();
  StoreFixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) old = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(MesoSession) session = NULL;
  MesoDb *db;

  g_clear_object (&f->store);
  g_remove (f->path);
  old = meso_store_open_at_version (f->path, 7, &error);
  EXPECT_NO_ERROR ("open at version 7", error);
  g_clear_object (&old);
  db = meso_db_sqlite_open (f->path, SQLITE_OPEN_READWRITE, &error);
  /* The audit triggers' function, as the store gives it. */
  sqlite3_create_function (meso_db_sqlite_handle (db), "meso_actor", 0, SQLITE_UTF8, NULL,
                           raw_actor, NULL, NULL);
  meso_db_exec (db,
    "INSERT INTO practitioners (id, name, role) VALUES (7, 'Dr Lena', 'clinician'),"
    " (9, 'Rita', 'receptionist');"
    "INSERT INTO patients (id, name, sort_key, archived, created_at) "
    " VALUES (1, 'Anna', 'anna', 0, 0);"
    "INSERT INTO appointments (id, patient_id, area, start, minutes, end_at, status, "
    " practitioner_id, created_at) VALUES (1, 1, 'face', 4102444800, 60, 4102448400, "
    " 'booked', 7, 0);"
    "INSERT INTO sessions (id, patient_id, at, area, device, home_use, needle_um, "
    " practitioner_id, caution_confirmed, created_at) "
    " VALUES (1, 1, 1700000000, 'face', 'pen', 0, 500, 7, 0, 0);", &error);
  EXPECT_NO_ERROR ("old rows", error);
  meso_db_close (db);

  f->store = meso_store_open (f->path, &error);
  EXPECT_NO_ERROR ("migrated", error);
  EXPECT_INT ("version", MESO_STORE_SCHEMA_VERSION, meso_store_get_schema_version (f->store));
  staff = meso_store_list_staff (f->store, &error);
  EXPECT_INT ("both kept", 2, staff->len);
  EXPECT_INT ("her role", MESO_STAFF_CLINICIAN,
              ((MesoStaffMember *)staff->pdata[0])->roles);
  EXPECT_INT ("his role", MESO_STAFF_RECEPTIONIST,
              ((MesoStaffMember *)staff->pdata[1])->roles);
  assert_false (((MesoStaffMember *)staff->pdata[0])->has_password);
  appointment = meso_store_get_appointment (f->store, 1, &error);
  EXPECT_STR ("the booking still hers", "Dr Lena", meso_appointment_get_practitioner (appointment));
  session = meso_store_get_session (f->store, 1, &error);
  EXPECT_STR ("the session still hers", "Dr Lena", meso_session_get_practitioner (session));
  /* She becomes an account, the same person. */
  assert_true (meso_store_add_staff (f->store, "Dr Lena",
                                     MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER, "pw", &error));
  assert_true (meso_store_sign_in (f->store, "Dr Lena", "pw", &error));
  g_clear_object (&session);
  session = meso_store_get_session (f->store, 1, &error);
  EXPECT_STR ("still hers", "Dr Lena", meso_session_get_practitioner (session));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_no_accounts_as_before, setup, teardown),
    cmocka_unit_test_setup_teardown (test_first_account_is_a_manager, setup, teardown),
    cmocka_unit_test_setup_teardown (test_practitioner_becomes_account, setup, teardown),
    cmocka_unit_test_setup_teardown (test_every_permission_both_ways, setup, teardown),
    cmocka_unit_test_setup_teardown (test_override_is_the_signed_in_clinicians, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_session_is_the_clinicians_own, setup, teardown),
    cmocka_unit_test_setup_teardown (test_disabled_account_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_permission_kept_while_nothing_changed, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_change_at_another_desk_reaches_the_next_write, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_sign_in_names_and_ticket, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_password_slows_down_and_is_audited, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_roles_changed_by_a_manager, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restore_needs_a_manager, setup, teardown),
    cmocka_unit_test_setup_teardown (test_password_own_or_by_a_manager, setup, teardown),
    cmocka_unit_test_setup_teardown (test_emergency_reset_by_the_owner, setup, teardown),
    cmocka_unit_test_setup_teardown (test_emergency_reset_refused_to_others, setup, teardown),
    cmocka_unit_test_setup_teardown (test_upgrade_from_7_keeps_practitioners, setup, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
