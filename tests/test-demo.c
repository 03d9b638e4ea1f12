/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo data (meso_store_generate_demo): the same seed gives the same
 * clinic, every recorded session passes the rules it would have met at the
 * desk (R1 per area against both neighbours, R2, R3), the database checks
 * out, and a database that has patients is refused. "Now" is
 * 2026-11-21T09:00 in Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "meso-test.h"
#include "meso-test-server.h"

#define NOW "2026-11-21T09:00"
#define N_PATIENTS 300
#define SEED 1

#define EXPECT(what, cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        print_error ("case \"%s\": expected %s\n", (what), #cond); \
        fail (); \
      } \
  } G_STMT_END

#define EXPECT_NO_ERROR(what, error) \
  G_STMT_START { \
    const GError *e_ = (error); \
    if (e_ != NULL) \
      { \
        print_error ("case \"%s\": unexpected error %s %d: %s\n", (what), \
                     g_quark_to_string (e_->domain), e_->code, e_->message); \
        fail (); \
      } \
  } G_STMT_END

typedef struct
{
  char      *dir;
  MesoStore *first;
  MesoStore *second;
  char      *databases[2];  /* on the server (MESODESK_TEST_ENGINE): their names */
} Fixture;

/* A new database: a file named @name in the folder, or on the server one
 * of the case's own (its name kept in @database, to be dropped). */
static MesoStore *
open_in (Fixture     *f,
         const char  *name,
         char       **database)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  MesoStore *store;

  if (test_engine_is_postgresql ())
    *database = test_server_create_database ("demo", &path);
  else
    path = g_build_filename (f->dir, name, NULL);
  store = meso_store_open (path, &error);

  EXPECT_NO_ERROR (name, error);
  assert_non_null (store);
  return store;
}

static int
setup (void **state)
{
  g_autoptr(GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);

  f->dir = g_dir_make_tmp ("mesodesk-demo-XXXXXX", &error);
  EXPECT_NO_ERROR ("temporary folder", error);
  f->first = open_in (f, "first.db", &f->databases[0]);
  f->second = open_in (f, "second.db", &f->databases[1]);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_clear_object (&f->first);
  g_clear_object (&f->second);
  test_server_drop_database (f->databases[0]);
  test_server_drop_database (f->databases[1]);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static void
generate (MesoStore *store,
          guint      n_patients,
          guint32    seed)
{
  g_autoptr(GError) error = NULL;

  EXPECT ("the demo is generated", meso_store_generate_demo (store, n_patients, seed, &error));
  EXPECT_NO_ERROR ("generate", error);
}

/* What a clinic's records add up to, through the store's own API. */
typedef struct
{
  guint patients;
  guint sessions;
  guint appointments;
  guint booked;
  guint cancelled_or_no_show;
  guint flags;
  guint cleared_flags;
  guint sensitive;
  guint archived;
} Census;

static Census
census_of (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  Census census = { 0 };

  EXPECT ("count", meso_store_count_patients (store, NULL, TRUE, &census.patients, &error));
  for (gint64 id = 1; id <= census.patients; id++)
    {
      g_autoptr(MesoPatient) patient = meso_store_get_patient (store, id, &error);
      g_autoptr(GPtrArray) sessions = meso_store_list_sessions (store, id, &error);
      g_autoptr(GPtrArray) appointments = meso_store_list_patient_appointments (store, id, &error);
      g_autoptr(GArray) flags = meso_store_list_flags (store, id, &error);

      EXPECT_NO_ERROR ("the patient's records", error);
      assert_non_null (patient);
      census.sessions += sessions->len;
      census.appointments += appointments->len;
      for (guint i = 0; i < appointments->len; i++)
        {
          MesoAppointmentStatus status =
            meso_appointment_get_status (g_ptr_array_index (appointments, i));

          census.booked += status == MESO_APPOINTMENT_BOOKED;
          census.cancelled_or_no_show += status == MESO_APPOINTMENT_CANCELLED ||
                                         status == MESO_APPOINTMENT_NO_SHOW;
        }
      census.flags += flags->len;
      for (guint i = 0; i < flags->len; i++)
        census.cleared_flags += g_date_valid (&g_array_index (flags, MesoFlag, i).cleared_on);
      census.sensitive += meso_patient_get_sensitive_skin (patient);
      census.archived += meso_patient_get_archived (patient);
    }
  return census;
}

static void
expect_same_patient (MesoPatient *a,
                     MesoPatient *b)
{
  EXPECT ("same name", g_strcmp0 (meso_patient_get_name (a), meso_patient_get_name (b)) == 0);
  EXPECT ("same birth date",
          g_strcmp0 (meso_patient_get_birth_date (a), meso_patient_get_birth_date (b)) == 0);
  EXPECT ("same phone", g_strcmp0 (meso_patient_get_phone (a), meso_patient_get_phone (b)) == 0);
  EXPECT ("same e-mail", g_strcmp0 (meso_patient_get_email (a), meso_patient_get_email (b)) == 0);
  EXPECT ("same skin",
          meso_patient_get_sensitive_skin (a) == meso_patient_get_sensitive_skin (b));
  EXPECT ("same notes", g_strcmp0 (meso_patient_get_notes (a), meso_patient_get_notes (b)) == 0);
  EXPECT ("same archived", meso_patient_get_archived (a) == meso_patient_get_archived (b));
}

static void
expect_same_sessions (GPtrArray *a,
                      GPtrArray *b)
{
  EXPECT ("as many sessions", a->len == b->len);
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    {
      MesoSession *x = g_ptr_array_index (a, i);
      MesoSession *y = g_ptr_array_index (b, i);

      EXPECT ("same time", g_date_time_equal (meso_session_get_at (x), meso_session_get_at (y)));
      EXPECT ("same area", meso_session_get_area (x) == meso_session_get_area (y));
      EXPECT ("same needle", meso_session_get_needle_um (x) == meso_session_get_needle_um (y));
      EXPECT ("same device", meso_session_get_device (x) == meso_session_get_device (y));
      EXPECT ("same lot", g_strcmp0 (meso_session_get_lot (x), meso_session_get_lot (y)) == 0);
      EXPECT ("same practitioner", g_strcmp0 (meso_session_get_practitioner (x),
                                              meso_session_get_practitioner (y)) == 0);
    }
}

static void
test_same_seed_same_clinic (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first_screen_a = NULL;
  g_autoptr(GPtrArray) first_screen_b = NULL;
  Census a, b;

  generate (f->first, N_PATIENTS, SEED);
  generate (f->second, N_PATIENTS, SEED);

  a = census_of (f->first);
  b = census_of (f->second);
  EXPECT ("the patients asked for", a.patients == N_PATIENTS);
  EXPECT ("same patients", a.patients == b.patients);
  EXPECT ("same sessions", a.sessions == b.sessions);
  EXPECT ("same appointments", a.appointments == b.appointments);
  EXPECT ("same bookings", a.booked == b.booked);
  EXPECT ("same flags", a.flags == b.flags);
  EXPECT ("same sensitive skin", a.sensitive == b.sensitive);

  for (gint64 id = 1; id <= 20; id++)
    {
      g_autoptr(MesoPatient) x = meso_store_get_patient (f->first, id, &error);
      g_autoptr(MesoPatient) y = meso_store_get_patient (f->second, id, &error);
      g_autoptr(GPtrArray) xs = meso_store_list_sessions (f->first, id, &error);
      g_autoptr(GPtrArray) ys = meso_store_list_sessions (f->second, id, &error);

      EXPECT_NO_ERROR ("the first patients", error);
      expect_same_patient (x, y);
      expect_same_sessions (xs, ys);
    }

  /* The list's first screen, as the window shows it. */
  first_screen_a = meso_store_search_patients (f->first, NULL, TRUE, 0, 50, &error);
  first_screen_b = meso_store_search_patients (f->second, NULL, TRUE, 0, 50, &error);
  EXPECT_NO_ERROR ("first screen", error);
  EXPECT ("a full first screen", first_screen_a->len == 50 && first_screen_b->len == 50);
  for (guint i = 0; i < 50; i++)
    expect_same_patient (g_ptr_array_index (first_screen_a, i),
                         g_ptr_array_index (first_screen_b, i));
}

static void
test_other_seed_other_clinic (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  guint same_names = 0;

  generate (f->first, 50, SEED);
  generate (f->second, 50, SEED + 1);
  for (gint64 id = 1; id <= 50; id++)
    {
      g_autoptr(MesoPatient) x = meso_store_get_patient (f->first, id, &error);
      g_autoptr(MesoPatient) y = meso_store_get_patient (f->second, id, &error);

      EXPECT_NO_ERROR ("patients", error);
      same_names += g_strcmp0 (meso_patient_get_name (x), meso_patient_get_name (y)) == 0;
    }
  EXPECT ("another seed, other people", same_names < 10);
}

static void
count_row_cb (const MesoLotPatient *row,
              gpointer              user_data)
{
  (*(guint *)user_data)++;
}

/* Looks like a clinic: a realistic mix, and the search index filled. */
static void
test_realistic_mix (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) someone = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_auto(GStrv) practitioners = NULL;
  g_auto(GStrv) rooms = NULL;
  g_autofree char *word = NULL;
  Census census;

  generate (f->first, N_PATIENTS, SEED);
  census = census_of (f->first);

  /* About ten sessions a patient, some sensitive skin, bookings ahead,
   * cancellations and no-shows, dated flags of which some are cleared. */
  EXPECT ("about ten sessions a patient",
          census.sessions >= 7 * N_PATIENTS && census.sessions <= 13 * N_PATIENTS);
  EXPECT ("some sensitive skin (~10%)",
          census.sensitive >= N_PATIENTS / 25 && census.sensitive <= N_PATIENTS / 5);
  EXPECT ("bookings ahead", census.booked > 0);
  EXPECT ("cancelled and missed ones", census.cancelled_or_no_show > 0);
  EXPECT ("flags", census.flags > 0);
  EXPECT ("some cleared", census.cleared_flags > 0 && census.cleared_flags < census.flags);

  practitioners = meso_store_list_practitioners (f->first, &error);
  rooms = meso_store_list_rooms (f->first, &error);
  EXPECT_NO_ERROR ("staff", error);
  EXPECT ("practitioners", g_strv_length (practitioners) >= 4);
  EXPECT ("rooms", g_strv_length (rooms) >= 2);

  /* The search index holds everyone. */
  someone = meso_store_get_patient (f->first, N_PATIENTS, &error);
  EXPECT_NO_ERROR ("the last patient", error);
  word = g_strndup (meso_patient_get_name (someone),
                    strcspn (meso_patient_get_name (someone), " "));
  found = meso_store_search_patients (f->first, word, TRUE, 0, 0, &error);
  EXPECT_NO_ERROR ("search", error);
  {
    gboolean listed = FALSE;

    for (guint i = 0; i < found->len; i++)
      listed |= meso_patient_get_id (g_ptr_array_index (found, i)) == N_PATIENTS;
    EXPECT ("the last patient is found by name", listed);
  }

  /* Some lots registered, none expired by its sessions: the recall lists
   * each lot's sessions. */
  {
    g_autoptr(GPtrArray) lots = meso_store_list_lots (f->first, &error);
    guint rows = 0;
    MesoLot *used = NULL;

    EXPECT_NO_ERROR ("lots", error);
    EXPECT ("some lots", lots->len > 0);
    for (guint i = 0; i < lots->len && used == NULL; i++)
      if (((MesoLot *)lots->pdata[i])->sessions > 0)
        used = lots->pdata[i];
    EXPECT ("a lot was used", used != NULL);
    EXPECT ("recall", meso_store_list_lot_patients (f->first, used ? used->number : "", count_row_cb,
                                                    &rows, &error));
    EXPECT_NO_ERROR ("recall", error);
    EXPECT_INT ("every session of it", used ? used->sessions : -1, rows);
  }

  EXPECT ("the database checks out", meso_store_check (f->first, &error));
  EXPECT_NO_ERROR ("check", error);
}

/* Every session as if recorded at the desk on its day: R3 (needle), R2
 * (flags on that day, a caution confirmed) and R1 (per area, against both
 * neighbours, bookings included) let it through without an override. */
static void
test_sessions_pass_the_rules (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  MesoPolicy policy;
  guint n_checked = 0, n_bookings = 0;

  generate (f->first, N_PATIENTS, SEED);
  EXPECT ("policy", meso_store_load_policy (f->first, &policy, &error));

  for (gint64 id = 1; id <= N_PATIENTS; id++)
    {
      g_autoptr(MesoPatient) patient = meso_store_get_patient (f->first, id, &error);
      g_autoptr(GPtrArray) sessions = meso_store_list_sessions (f->first, id, &error);
      g_autoptr(GPtrArray) appointments = NULL;
      g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
      MesoPatientFacts facts = { 0 };
      guint min_days;

      EXPECT_NO_ERROR ("records", error);
      buffer = meso_store_load_facts (f->first, id, &facts, &error);
      EXPECT_NO_ERROR ("facts", error);
      min_days = meso_policy_min_days (&policy, meso_patient_get_sensitive_skin (patient));

      /* Newest first: each session against the next older one of its area. */
      for (guint i = 0; i < sessions->len; i++)
        {
          MesoSession *session = g_ptr_array_index (sessions, i);

          for (guint k = i + 1; k < sessions->len; k++)
            {
              MesoSession *older = g_ptr_array_index (sessions, k);

              if (meso_session_get_area (older) != meso_session_get_area (session))
                continue;
              EXPECT ("R1: the minimum interval per area",
                      meso_days_between (meso_session_get_at (older),
                                         meso_session_get_at (session)) >= (int)min_days);
              break;
            }
        }

      for (guint i = 0; i < sessions->len; i++)
        {
          MesoSession *session = g_ptr_array_index (sessions, i);
          MesoTreatmentPlan plan = {
            .id = meso_session_get_id (session),
            .at = meso_session_get_at (session),
            .area = meso_session_get_area (session),
            .needle_um = meso_session_get_needle_um (session),
            .home_use = meso_session_get_home_use (session),
            .scar_treatment = meso_session_is_scar_treatment (session),
          };
          g_autoptr(GPtrArray) checked = meso_rules_check_session (&policy, &facts, &plan,
                                                                   plan.at);
          g_autoptr(GPtrArray) resolved =
            meso_rules_resolve (checked, MESO_ROLE_CLINICIAN, NULL,
                                meso_session_get_caution_confirmed (session));
          g_autoptr(MesoVerdict) worst = meso_verdict_worst (resolved);

          if (meso_verdict_is_blocking (worst))
            print_error ("patient %" G_GINT64_FORMAT ", session %" G_GINT64_FORMAT ": %s\n", id,
                         plan.id, meso_verdict_get_message (worst));
          EXPECT ("the session passes R1–R3", !meso_verdict_is_blocking (worst));
          EXPECT ("no override was needed", meso_session_get_override_reason (session) == NULL);
          n_checked++;
        }

      /* Bookings keep the interval too. */
      appointments = meso_store_list_patient_appointments (f->first, id, &error);
      EXPECT_NO_ERROR ("appointments", error);
      for (guint i = 0; i < appointments->len; i++)
        {
          MesoAppointment *appointment = g_ptr_array_index (appointments, i);
          MesoTreatmentPlan plan = {
            .id = -meso_appointment_get_id (appointment),
            .at = meso_appointment_get_start (appointment),
            .area = meso_appointment_get_area (appointment),
          };
          g_autoptr(MesoVerdict) interval = NULL;

          if (!meso_appointment_is_active (appointment))
            continue;
          interval = meso_rules_check_interval (&policy, &facts, &plan);
          EXPECT ("a booking keeps R1",
                  meso_verdict_get_kind (interval) != MESO_VERDICT_REFUSED);
          n_bookings++;
        }
    }
  EXPECT ("sessions were checked", n_checked > 1000);
  EXPECT ("bookings were checked", n_bookings > 0);
}

static void
test_refuses_database_with_patients (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  guint count = 0;

  meso_patient_set_name (patient, "Already Here");
  EXPECT ("a patient", meso_store_add_patient (f->first, patient, &error));
  EXPECT_NO_ERROR ("add", error);

  EXPECT ("refused", !meso_store_generate_demo (f->first, 10, SEED, &error));
  EXPECT ("INVALID", g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID));
  EXPECT ("with a message", error != NULL && error->message != NULL && *error->message);
  g_clear_error (&error);
  EXPECT ("count", meso_store_count_patients (f->first, NULL, TRUE, &count, &error));
  EXPECT ("nothing was added", count == 1);

  /* Nor twice into the same one. */
  generate (f->second, 10, SEED);
  EXPECT ("a second demo is refused", !meso_store_generate_demo (f->second, 10, SEED, &error));
  EXPECT ("INVALID again", g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID));
  g_clear_error (&error);
  EXPECT ("count", meso_store_count_patients (f->second, NULL, TRUE, &count, &error));
  EXPECT ("still ten", count == 10);
  EXPECT ("still sound", meso_store_check (f->second, &error));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_same_seed_same_clinic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_other_seed_other_clinic, setup, teardown),
    cmocka_unit_test_setup_teardown (test_realistic_mix, setup, teardown),
    cmocka_unit_test_setup_teardown (test_sessions_pass_the_rules, setup, teardown),
    cmocka_unit_test_setup_teardown (test_refuses_database_with_patients, setup, teardown),
  };
  g_autofree char *data_home = NULL;
  int failed;
  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  data_home = g_dir_make_tmp ("mesodesk-xdg-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("MESODESK_DATABASE");
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  tzset ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);

  meso_test_filter_from_env ();

  failed = cmocka_run_group_tests (tests, NULL, NULL);

  remove_tree (data_home);
  return failed;
}
