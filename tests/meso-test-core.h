/* SPDX-License-Identifier: GPL-3.0-or-later */
/* meso-test.h, and what the tests on libmesodesk-core share: test data read
 * by Mesodesk's own parsers, a fresh database in a fresh folder, patients.
 * Header-only. */

#pragma once

#include "meso-store.h"
#include "meso-time.h"

#include "meso-test.h"
#include "meso-test-server.h"

/* "YYYY-MM-DDTHH:MM" in local time, as meso_date_time_parse_local() reads
 * it; fails the test on anything else. */
static inline GDateTime *
local_dt (const char *iso)
{
  GDateTime *dt = meso_date_time_parse_local (iso, NULL);

  if (dt == NULL)
    {
      print_error ("bad test date-time \"%s\"\n", iso);
      fail ();
    }
  return dt;
}

/* "YYYY-MM-DD", as meso_date_parse() reads it; fails the test otherwise. */
static inline GDate
make_day (const char *iso)
{
  GDate day;

  g_date_clear (&day, 1);
  if (!meso_date_parse (iso, &day, NULL))
    {
      print_error ("bad test date \"%s\"\n", iso);
      fail ();
    }
  return day;
}

/* A fresh folder per test, for a database at clinic.db in it; on the
 * server (test_engine_is_postgresql()), @path is instead the conninfo of
 * a new database of the case's own there, and the folder holds the rest
 * (backups, exports). */
typedef struct
{
  char      *dir;
  char      *path;
  MesoStore *store;
  char      *database;  /* on the server: its name */
} StoreFixture;

/* The folder from @tmpl ("mesodesk-…-XXXXXX"); the store open on it when
 * @open, not yet created otherwise. */
static inline StoreFixture *
store_fixture_new (const char *tmpl,
                   gboolean    open)
{
  StoreFixture *f = g_new0 (StoreFixture, 1);

  f->dir = make_temp_dir (tmpl);
  if (test_engine_is_postgresql ())
    f->database = test_server_create_database ("store", &f->path);
  else
    f->path = g_build_filename (f->dir, "clinic.db", NULL);
  if (open)
    {
      g_autoptr(GError) error = NULL;

      f->store = meso_store_open (f->path, &error);
      EXPECT_NO_ERROR ("open", error);
      assert_non_null (f->store);
    }
  return f;
}

/* Closes the store and removes the folder with everything in it. */
static inline void
store_fixture_free (StoreFixture *f)
{
  g_clear_object (&f->store);
  test_server_drop_database (f->database);
  remove_temp_dir (f->dir);
  g_free (f->path);
  g_free (f);
}

/* Fails the test unless @error is the store's @code. */
static inline void
expect_store_code (const char   *what,
                    const GError *error,
                    int           code)
{
  if (error == NULL || error->domain != MESO_STORE_ERROR || error->code != code)
    {
      print_error ("case \"%s\": expected store error %d, got %s\n", what, code,
                   error != NULL ? error->message : "none");
      fail ();
    }
}

static inline gint64
add_patient_full (MesoStore  *store,
                  const char *name,
                  gboolean    sensitive,
                  const char *phone,
                  const char *email)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GError) error = NULL;

  meso_patient_set_name (patient, name);
  meso_patient_set_sensitive_skin (patient, sensitive);
  meso_patient_set_phone (patient, phone);
  meso_patient_set_email (patient, email);
  if (!meso_store_add_patient (store, patient, &error))
    {
      print_error ("adding \"%s\": %s\n", name, error ? error->message : "?");
      fail ();
    }
  assert_true (meso_patient_get_id (patient) > 0);
  return meso_patient_get_id (patient);
}

static inline gint64
add_patient (MesoStore  *store,
             const char *name,
             gboolean    sensitive)
{
  return add_patient_full (store, name, sensitive, NULL, NULL);
}

/* Records a session (a clinician, roller, 0.5 mm) at @at, local, with
 * @override_reason, @practitioner and product @lot (NULL: none); fails the
 * test if refused. Its id. */
static inline gint64
record_lot_by (MesoStore  *store,
               gint64      patient_id,
               const char *at,
               MesoArea    area,
               const char *override_reason,
               const char *practitioner,
               const char *lot)
{
  g_autoptr(GDateTime) when = local_dt (at);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) error = NULL;

  meso_session_set_patient_id (session, patient_id);
  meso_session_set_at (session, when);
  meso_session_set_area (session, area);
  meso_session_set_device (session, MESO_DEVICE_ROLLER);
  meso_session_set_needle_um (session, 500);
  meso_session_set_override_reason (session, override_reason);
  meso_session_set_practitioner (session, practitioner);
  meso_session_set_lot (session, lot);
  if (!meso_store_add_session (store, session, MESO_ROLE_CLINICIAN, NULL, &error))
    {
      print_error ("recording a session at %s: %s\n", at, error ? error->message : "?");
      fail ();
    }
  return meso_session_get_id (session);
}

/* The same without a lot. */
static inline gint64
record_by (MesoStore  *store,
           gint64      patient_id,
           const char *at,
           MesoArea    area,
           const char *override_reason,
           const char *practitioner)
{
  return record_lot_by (store, patient_id, at, area, override_reason, practitioner, NULL);
}

/* The same by nobody in particular. */
static inline gint64
record_with (MesoStore  *store,
             gint64      patient_id,
             const char *at,
             MesoArea    area,
             const char *override_reason)
{
  return record_by (store, patient_id, at, area, override_reason, NULL);
}

/* Records a session (a clinician, roller, 0.5 mm) at @at, local; fails the test if
 * refused. */
static inline gint64
record_session_ok (MesoStore  *store,
                   gint64      patient_id,
                   const char *at,
                   MesoArea    area)
{
  return record_with (store, patient_id, at, area, NULL);
}

/* A recorded face session at @when ("YYYY-MM-DDTHH:MM"). */
static inline void
add_face_session (MesoStore  *store,
                  gint64      patient,
                  const char *when)
{
  record_session_ok (store, patient, when, MESO_AREA_FACE);
}

/* Books @area at @start, local, with @practitioner (NULL: none), as a
 * receptionist; fails the test if refused. Its id. */
static inline gint64
book_with_ok (MesoStore  *store,
              gint64      patient_id,
              const char *start,
              MesoArea    area,
              const char *practitioner)
{
  g_autoptr(GDateTime) when = local_dt (start);
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(GError) error = NULL;

  meso_appointment_set_patient_id (appointment, patient_id);
  meso_appointment_set_start (appointment, when);
  meso_appointment_set_area (appointment, area);
  meso_appointment_set_practitioner (appointment, practitioner);
  if (!meso_store_book_appointment (store, appointment, MESO_ROLE_RECEPTIONIST, NULL, &error))
    {
      print_error ("booking at %s: %s\n", start, error ? error->message : "?");
      fail ();
    }
  return meso_appointment_get_id (appointment);
}

/* Books @area at @start, local, as a receptionist; fails the test if refused. */
static inline gint64
book_appointment_ok (MesoStore  *store,
                     gint64      patient_id,
                     const char *start,
                     MesoArea    area)
{
  return book_with_ok (store, patient_id, start, area, NULL);
}

/* A face appointment at @when, booked as the desk would; its id. */
static inline gint64
book_face (MesoStore  *store,
           gint64      patient,
           const char *when,
           const char *practitioner)
{
  return book_with_ok (store, patient, when, MESO_AREA_FACE, practitioner);
}

/* The audit log's length. */
static inline guint
count_audit (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, NULL, 0, &error);

  EXPECT_NO_ERROR ("list audit", error);
  assert_non_null (entries);
  return entries->len;
}

/* The main() of a test program that runs on either engine: skipped when
 * the server it asks for is not there; the tests in a data folder of
 * their own, the test time zone, MESODESK_NOW at @now. */
static inline int
meso_test_run_engine_tests (const char              *name,
                            const struct CMUnitTest *tests,
                            size_t                   n_tests,
                            const char              *now)
{
  g_autofree char *data_home = NULL;
  int failed;
  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  /* Never the person's own data folder, whatever the store might touch. */
  data_home = use_temp_data_home ();
  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", now, TRUE);
  meso_test_filter_from_env ();
  failed = _cmocka_run_group_tests (name, tests, n_tests, NULL, NULL);
  remove_tree (data_home);
  return failed;
}

#define MESO_TEST_RUN_ENGINE_TESTS(tests, now) \
  meso_test_run_engine_tests (#tests, tests, G_N_ELEMENTS (tests), now)
