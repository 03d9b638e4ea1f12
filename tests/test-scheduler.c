/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Booking suggestions and restoring a backup, on real SQLite files or, with
 * MESODESK_TEST_ENGINE=postgresql, on the test server. */
#include "config.h"

#include "meso-scheduler.h"
#include "meso-store.h"
#include "meso-time.h"

#include "meso-test-core.h"

typedef struct
{
  StoreFixture *base;  /* the database: a file, or on the server its own */
  gint64        patient;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  /* A Saturday morning; the last face session was four weeks ago. */
  g_setenv ("MESODESK_NOW", "2026-11-21T09:00", TRUE);
  f->base = store_fixture_new ("mesodesk-scheduler-XXXXXX", TRUE);
  assert_true (meso_store_add_practitioner (f->base->store, "Dr Weiss", MESO_ROLE_CLINICIAN,
                                            &error));
  f->patient = add_patient (f->base->store, "Anna Berg", FALSE);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  store_fixture_free (f->base);
  g_free (f);
  return 0;
}

static char *
iso (GDateTime *date_time)
{
  return meso_format_date_time_iso (date_time);
}

/* R1: the first suggestion is the window's first open slot, not earlier. */
static void
test_suggest_opens_with_window (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;

  add_face_session (f->base->store, f->patient, "2026-11-10T10:00");
  /* Window: 2026-12-08 (a Tuesday) to 2026-12-22. */
  slots = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_FACE, 60,
                                  "Dr Weiss", NULL, 3, &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 3);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));
    g_autofree char *second = iso (g_ptr_array_index (slots, 1));
    g_autofree char *third = iso (g_ptr_array_index (slots, 2));

    assert_string_equal (first, "2026-12-08T09:00");
    assert_string_equal (second, "2026-12-08T09:15");
    assert_string_equal (third, "2026-12-08T09:30");
  }
}

/* A practitioner's booked hour is skipped, back to back is fine. */
static void
test_suggest_skips_conflicts (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;
  gint64 other = add_patient (f->base->store, "Boris Kern", FALSE);

  add_face_session (f->base->store, f->patient, "2026-11-10T10:00");
  book_face (f->base->store, other, "2026-12-08T09:00", "Dr Weiss");
  slots = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_FACE, 60,
                                  "Dr Weiss", NULL, 2, &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 2);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));

    assert_string_equal (first, "2026-12-08T10:00");
  }
}

/* Sensitive skin: the window opens at 8 weeks. Weekends are closed. */
static void
test_suggest_sensitive_and_closed_days (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sensitive = add_patient (f->base->store, "Chen Li", TRUE);

  add_face_session (f->base->store, sensitive, "2026-11-14T10:00");
  /* + 56 days = Saturday 2027-01-09; the clinic opens on Monday 2027-01-11. */
  slots = meso_scheduler_suggest (f->base->store, sensitive, MESO_AREA_FACE, 60, NULL, NULL, 1,
                                  &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 1);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));

    assert_string_equal (first, "2027-01-11T09:00");
  }
}

/* No session yet: from the next open slot on. A booked appointment is a
 * neighbour: nothing within four weeks of it is suggested. */
static void
test_suggest_first_course (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;

  slots = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_NECK, 30, NULL, NULL, 1,
                                  &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 1);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));

    assert_string_equal (first, "2026-11-23T09:00");
  }

  book_face (f->base->store, f->patient, "2026-11-23T09:00", NULL);
  g_clear_pointer (&slots, g_ptr_array_unref);
  slots = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_FACE, 60, NULL, NULL, 1,
                                  &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 1);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));

    /* 2026-11-23 + 28 days = 2026-12-21, a Monday. */
    assert_string_equal (first, "2026-12-21T09:00");
  }
}

/* Moving a booked follow-up: the appointment itself is neither a neighbour
 * nor a conflict, so its own window is offered again; a new booking comes
 * after it. */
static void
test_suggest_like_moving (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoAppointment) moving = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  add_face_session (f->base->store, f->patient, "2026-11-10T10:00");
  id = book_face (f->base->store, f->patient, "2026-12-08T09:00", "Dr Weiss");
  moving = meso_store_get_appointment (f->base->store, id, &error);
  assert_non_null (moving);

  slots = meso_scheduler_suggest_like (f->base->store, moving, 2, &error);
  assert_non_null (slots);
  assert_int_equal (slots->len, 2);
  {
    g_autofree char *first = iso (g_ptr_array_index (slots, 0));
    g_autofree char *second = iso (g_ptr_array_index (slots, 1));

    assert_string_equal (first, "2026-12-08T09:00");
    assert_string_equal (second, "2026-12-08T09:15");
  }

  /* A new one is the session after the booked one: 2026-12-08 + 28 days. */
  fresh = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_FACE, 60,
                                  "Dr Weiss", NULL, 2, &error);
  assert_non_null (fresh);
  assert_int_equal (fresh->len, 2);
  {
    g_autofree char *first = iso (g_ptr_array_index (fresh, 0));

    assert_string_equal (first, "2027-01-05T09:00");
  }
}

/* ---- proposals: from now, within hours, with a practitioner who is free */

static MesoProposal *
propose (Fixture    *f,
         gint64      patient,
         MesoArea    area,
         const char *practitioner,
         guint       count)
{
  g_autoptr(MesoAppointment) like = meso_appointment_new ();
  g_autoptr(GError) error = NULL;
  MesoProposal *proposal;

  meso_appointment_set_patient_id (like, patient);
  meso_appointment_set_area (like, area);
  meso_appointment_set_minutes (like, 60);
  meso_appointment_set_practitioner (like, practitioner);
  proposal = meso_scheduler_propose (f->base->store, like, count, &error);
  if (proposal == NULL)
    {
      print_error ("proposing: %s\n", error->message);
      fail ();
    }
  return proposal;
}

/* Slot @i of @proposal is @start with @practitioner (NULL: nobody named). */
static void
assert_slot (MesoProposal *proposal,
             guint         i,
             const char   *start,
             const char   *practitioner)
{
  MesoProposedSlot *slot;
  g_autofree char *text = NULL;

  if (i >= proposal->slots->len)
    {
      print_error ("slot %u wanted, %u proposed\n", i, proposal->slots->len);
      fail ();
    }
  slot = g_ptr_array_index (proposal->slots, i);
  text = iso (slot->start);
  if (!g_str_equal (text, start) || g_strcmp0 (slot->practitioner, practitioner) != 0)
    {
      print_error ("slot %u: %s with %s, wanted %s with %s\n", i, text,
                   slot->practitioner ? slot->practitioner : "nobody", start,
                   practitioner ? practitioner : "nobody");
      fail ();
    }
}

/* After closing time the proposal is the next opening, not tomorrow at
 * this minute; during the day, the next quarter hour from now. */
static void
test_propose_from_now_within_hours (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) evening = NULL;
  g_autoptr(MesoProposal) morning = NULL;

  g_setenv ("MESODESK_NOW", "2026-11-24T18:30", TRUE);  /* a Tuesday, closed at 18:00 */
  evening = propose (f, f->patient, MESO_AREA_NECK, NULL, 2);
  assert_int_equal (evening->basis, MESO_PROPOSAL_FIRST);
  assert_false (g_date_valid (&evening->window_closes));
  assert_slot (evening, 0, "2026-11-25T09:00", "Dr Weiss");
  assert_slot (evening, 1, "2026-11-25T09:15", "Dr Weiss");

  g_setenv ("MESODESK_NOW", "2026-11-25T10:07", TRUE);
  morning = propose (f, f->patient, MESO_AREA_NECK, NULL, 1);
  assert_slot (morning, 0, "2026-11-25T10:15", "Dr Weiss");
}

/* Saturday: Monday's opening; a Monday the clinic keeps closed: Tuesday. */
static void
test_propose_skips_closed_days (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) weekend = NULL;
  g_autoptr(MesoProposal) closed_monday = NULL;
  g_autoptr(GError) error = NULL;

  weekend = propose (f, f->patient, MESO_AREA_NECK, NULL, 1);
  assert_slot (weekend, 0, "2026-11-23T09:00", "Dr Weiss");

  assert_true (meso_store_set_opening_hours (f->base->store, G_DATE_MONDAY, 0, 0, &error));
  assert_true (meso_store_set_opening_hours (f->base->store, G_DATE_TUESDAY, 10 * 60 + 30,
                                             17 * 60, &error));
  closed_monday = propose (f, f->patient, MESO_AREA_NECK, NULL, 1);
  assert_slot (closed_monday, 0, "2026-11-24T10:30", "Dr Weiss");
}

/* The practitioner of the last session when free, though another one sorts
 * first; nobody who only receives; with the last one busy, another one at
 * that time, or, asked for the busy one, a later time. */
static void
test_propose_practitioner (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) preferred = NULL;
  g_autoptr(MesoProposal) newcomer = NULL;
  g_autoptr(MesoProposal) other = NULL;
  g_autoptr(MesoProposal) later = NULL;
  g_autoptr(GError) error = NULL;
  gint64 new_patient = add_patient (f->base->store, "Nina Neu", FALSE);
  gint64 busy_with = add_patient (f->base->store, "Boris Kern", FALSE);

  assert_true (meso_store_add_practitioner (f->base->store, "Anne Desk", MESO_ROLE_RECEPTIONIST,
                                            &error));
  assert_true (meso_store_add_practitioner (f->base->store, "Dr Adler", MESO_ROLE_CLINICIAN,
                                            &error));
  /* Window: Tuesday 2026-11-17 to 2026-12-01, open today (Saturday). */
  record_by (f->base->store, f->patient, "2026-10-20T10:00", MESO_AREA_FACE, NULL, "Dr Weiss");

  preferred = propose (f, f->patient, MESO_AREA_FACE, NULL, 1);
  assert_int_equal (preferred->basis, MESO_PROPOSAL_IN_WINDOW);
  assert_slot (preferred, 0, "2026-11-23T09:00", "Dr Weiss");

  newcomer = propose (f, new_patient, MESO_AREA_FACE, NULL, 1);
  assert_slot (newcomer, 0, "2026-11-23T09:00", "Dr Adler");

  book_with_ok (f->base->store, busy_with, "2026-11-23T09:00", MESO_AREA_FACE, "Dr Weiss");
  other = propose (f, f->patient, MESO_AREA_FACE, NULL, 3);
  assert_slot (other, 0, "2026-11-23T09:00", "Dr Adler");
  assert_slot (other, 1, "2026-11-23T09:15", "Dr Adler");
  assert_slot (other, 2, "2026-11-23T09:30", "Dr Adler");
  later = propose (f, f->patient, MESO_AREA_FACE, "Dr Weiss", 1);
  assert_slot (later, 0, "2026-11-23T10:00", "Dr Weiss");
}

/* A window ahead: its first day's opening, not now. */
static void
test_propose_window_ahead (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) proposal = NULL;
  GDate opens = make_day ("2026-12-08");

  add_face_session (f->base->store, f->patient, "2026-11-10T10:00");
  proposal = propose (f, f->patient, MESO_AREA_FACE, NULL, 1);
  assert_int_equal (proposal->basis, MESO_PROPOSAL_IN_WINDOW);
  assert_int_equal (g_date_compare (&proposal->window_opens, &opens), 0);
  assert_slot (proposal, 0, "2026-12-08T09:00", "Dr Weiss");
}

/* A window that closed years ago: overdue, the first free time from now. */
static void
test_propose_overdue_from_now (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) proposal = NULL;
  GDate closed = make_day ("2020-04-13");

  add_face_session (f->base->store, f->patient, "2020-03-02T10:00");
  proposal = propose (f, f->patient, MESO_AREA_FACE, NULL, 2);
  assert_int_equal (proposal->basis, MESO_PROPOSAL_OVERDUE);
  assert_int_equal (g_date_compare (&proposal->window_closes, &closed), 0);
  assert_slot (proposal, 0, "2026-11-23T09:00", "Dr Weiss");
  assert_slot (proposal, 1, "2026-11-23T09:15", "Dr Weiss");
}

/* Overdue, with a session of the area booked ahead: the proposal keeps the
 * interval to that later one too. Where it fits before it, there; where
 * not, in the window after it, even beyond the weeks searched from now. */
static void
test_propose_keeps_interval_to_later_booking (void **state)
{
  Fixture *f = *state;
  g_autoptr(MesoProposal) before = NULL;
  g_autoptr(MesoProposal) after = NULL;
  g_autoptr(GPtrArray) times = NULL;
  g_autoptr(GError) error = NULL;
  gint64 booked;

  add_face_session (f->base->store, f->patient, "2026-05-04T10:00");
  booked = book_with_ok (f->base->store, f->patient, "2026-12-21T10:00", MESO_AREA_FACE,
                         "Dr Weiss");
  /* Monday 2026-11-23 is 28 days before it. */
  before = propose (f, f->patient, MESO_AREA_FACE, NULL, 1);
  assert_int_equal (before->basis, MESO_PROPOSAL_OVERDUE);
  assert_slot (before, 0, "2026-11-23T09:00", "Dr Weiss");

  assert_true (meso_store_cancel_appointment (f->base->store, booked, NULL, &error));
  book_with_ok (f->base->store, f->patient, "2026-12-10T10:00", MESO_AREA_FACE, "Dr Weiss");
  /* Nothing from now until 2026-12-10 + 28 days = Thursday 2027-01-07. */
  after = propose (f, f->patient, MESO_AREA_FACE, NULL, 2);
  assert_slot (after, 0, "2027-01-07T09:00", "Dr Weiss");
  assert_slot (after, 1, "2027-01-07T09:15", "Dr Weiss");

  times = meso_scheduler_suggest (f->base->store, f->patient, MESO_AREA_FACE, 60, NULL, NULL, 1,
                                  &error);
  assert_non_null (times);
  assert_int_equal (times->len, 1);
}

static void
test_suggest_unknown_patient (void **state)
{
  Fixture *f = *state;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;

  slots = meso_scheduler_suggest (f->base->store, 999, MESO_AREA_FACE, 60, NULL, NULL, 3, &error);
  assert_null (slots);
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));
}

/* Check-in, no-show and their undo; done and cancelled come another way. */
static void
test_appointment_status (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoAppointment) reread = NULL;
  gint64 id = book_face (f->base->store, f->patient, "2026-11-23T10:00", "Dr Weiss");
  gint64 other = add_patient (f->base->store, "Dana Roth", FALSE);
  static const struct
  {
    MesoAppointmentStatus to;
    gboolean              allowed;
  } steps[] = {
    { MESO_APPOINTMENT_CHECKED_IN, TRUE },
    { MESO_APPOINTMENT_DONE, FALSE },
    { MESO_APPOINTMENT_BOOKED, TRUE },
    { MESO_APPOINTMENT_NO_SHOW, TRUE },
    { MESO_APPOINTMENT_CHECKED_IN, FALSE },
    { MESO_APPOINTMENT_CANCELLED, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gboolean ok = meso_store_set_appointment_status (f->base->store, id, steps[i].to, &error);

      if (ok != steps[i].allowed)
        {
          print_error ("step %u to %s: %s\n", i,
                       meso_appointment_status_get_label (steps[i].to),
                       error ? error->message : "allowed");
          fail ();
        }
      if (!ok)
        {
          assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID));
          g_clear_error (&error);
        }
    }

  reread = meso_store_get_appointment (f->base->store, id, &error);
  assert_int_equal (meso_appointment_get_status (reread), MESO_APPOINTMENT_NO_SHOW);
  /* A no-show no longer holds the practitioner's hour. */
  book_face (f->base->store, other, "2026-11-23T10:00", "Dr Weiss");
  assert_false (meso_store_set_appointment_status (f->base->store, 999, MESO_APPOINTMENT_NO_SHOW,
                                                   &error));
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));
}

/* The recall list's contact attempts: kept newest first, channel checked. */
static void
test_contacts (void **state)
{
  Fixture *f = *state;
  g_autoptr(GDateTime) first = local_dt ("2026-11-20T10:00");
  g_autoptr(GDateTime) second = local_dt ("2026-11-21T08:30");
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  MesoContact *latest;

  assert_true (meso_store_log_contact (f->base->store, f->patient, first, "call", "", "no-answer",
                                       &error));
  assert_true (meso_store_log_contact (f->base->store, f->patient, second, "sms",
                                       "Sent the booking link", NULL, &error));
  assert_false (meso_store_log_contact (f->base->store, f->patient, second, "pigeon", NULL, NULL,
                                        &error));
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID));
  g_clear_error (&error);
  assert_false (meso_store_log_contact (f->base->store, 999, second, "call", NULL, NULL, &error));
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  contacts = meso_store_list_contacts (f->base->store, f->patient, &error);
  assert_non_null (contacts);
  assert_int_equal (contacts->len, 2);
  latest = g_ptr_array_index (contacts, 0);
  assert_string_equal (latest->channel, "sms");
  assert_string_equal (latest->note, "Sent the booking link");
  assert_null (latest->outcome);
  assert_true (g_date_time_equal (latest->at, second));
  assert_null (((MesoContact *)g_ptr_array_index (contacts, 1))->note);
  assert_string_equal (((MesoContact *)g_ptr_array_index (contacts, 1))->outcome, "no-answer");
}

static guint
count_patients (MesoStore *store)
{
  guint count = 0;

  assert_true (meso_store_count_patients (store, NULL, TRUE, &count, NULL));
  return count;
}

/* Restore: the backup's data comes back, the replaced file is kept aside. */
static void
test_restore (void **state)
{
  /* A server's backup: test-cli transfer/backup. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autofree char *backup = g_build_filename (f->base->dir, "backup.db", NULL);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) reopened = NULL;
  g_autoptr(MesoStore) aside = NULL;

  assert_true (meso_store_backup (f->base->store, backup, &error));
  add_patient (f->base->store, "Added After The Backup", FALSE);
  assert_int_equal (count_patients (f->base->store), 2);
  g_clear_object (&f->base->store);

  assert_true (meso_store_restore (backup, f->base->path, &kept, &error));
  assert_non_null (kept);
  assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));

  reopened = meso_store_open (f->base->path, &error);
  assert_non_null (reopened);
  assert_int_equal (count_patients (reopened), 1);
  assert_true (meso_store_check (reopened, &error));

  aside = meso_store_open (kept, &error);
  assert_non_null (aside);
  assert_int_equal (count_patients (aside), 2);
  g_clear_object (&aside);
  g_unlink (kept);
  f->base->store = g_steal_pointer (&reopened);
}

/* A damaged backup is refused and the current database is left alone. */
static void
test_restore_refuses_damaged_backup (void **state)
{
  /* A server's backup: test-cli transfer/backup. */
  SKIP_ON_POSTGRESQL ();

  Fixture *f = *state;
  g_autofree char *backup = g_build_filename (f->base->dir, "backup.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  assert_true (meso_store_backup (f->base->store, backup, &error));
  assert_true (g_file_get_contents (backup, &contents, &length, &error));
  assert_true (g_file_set_contents (backup, contents, length / 2, &error));
  g_clear_object (&f->base->store);

  assert_false (meso_store_restore (backup, f->base->path, &kept, &error));
  assert_true (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CORRUPT));
  assert_null (kept);
  g_clear_error (&error);

  f->base->store = meso_store_open (f->base->path, &error);
  assert_non_null (f->base->store);
  assert_int_equal (count_patients (f->base->store), 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_suggest_opens_with_window, setup, teardown),
    cmocka_unit_test_setup_teardown (test_suggest_skips_conflicts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_suggest_sensitive_and_closed_days, setup, teardown),
    cmocka_unit_test_setup_teardown (test_suggest_first_course, setup, teardown),
    cmocka_unit_test_setup_teardown (test_suggest_like_moving, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_from_now_within_hours, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_skips_closed_days, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_practitioner, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_window_ahead, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_overdue_from_now, setup, teardown),
    cmocka_unit_test_setup_teardown (test_propose_keeps_interval_to_later_booking, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_suggest_unknown_patient, setup, teardown),
    cmocka_unit_test_setup_teardown (test_appointment_status, setup, teardown),
    cmocka_unit_test_setup_teardown (test_contacts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restore, setup, teardown),
    cmocka_unit_test_setup_teardown (test_restore_refuses_damaged_backup, setup, teardown),
  };
  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  use_test_time_zone ();
  meso_test_filter_from_env ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
