/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The aftercare panel and the recall list (R4) as the store lists them, on a
 * real SQLite file in a fresh temporary folder per test. "Now" is
 * 2026-11-21T09:00 in Europe/Berlin; in 2026 clocks go forward on 29 March
 * and back on 25 October. The rest of the store is in test-store.c. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include "meso-test-core.h"


#define NOW "2026-11-21T09:00"

/* Stops the test when @ptr is NULL; the compiler then knows it is not. */
#define REQUIRE(ptr) \
  G_STMT_START { \
    if ((ptr) == NULL) \
      { \
        print_error ("%s:%d: %s is NULL\n", __FILE__, __LINE__, #ptr); \
        fail (); \
        return; \
      } \
  } G_STMT_END

/* A reminder's time (Unix seconds) is the local time @expected_iso; shown
 * in local ISO form otherwise. */
#define EXPECT_TIME(what, expected_iso, actual) \
  G_STMT_START { \
    g_autoptr(GDateTime) e_ = local_dt (expected_iso); \
    gint64 u_ = (actual); \
    g_autoptr(GDateTime) a_ = u_ != MESO_REMINDER_NO_END ? meso_date_time_new_from_unix (u_) \
                                                         : NULL; \
    if (a_ == NULL || !g_date_time_equal (e_, a_)) \
      { \
        g_autofree char *shown_ = a_ ? g_date_time_format_iso8601 (a_) : NULL; \
        print_error ("case \"%s\": %s: expected %s, got %s\n", (what), #actual, \
                     (expected_iso), shown_ ? shown_ : "(null)"); \
        fail (); \
      } \
  } G_STMT_END

/* ================================================================ helpers */

typedef StoreFixture Fixture;

static int
setup_store (void **state)
{
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-reminders-XXXXXX", TRUE);
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  return 0;
}

/* @iso (YYYY-MM-DD) moved by @days, as YYYY-MM-DD. */
static char *
day_plus (const char *iso,
          int         days)
{
  GDate day = make_day (iso);

  if (days >= 0)
    g_date_add_days (&day, days);
  else
    g_date_subtract_days (&day, -days);
  return meso_format_date_iso (&day);
}

/* The reminders of @day; checks they are ordered by kind. */
static GPtrArray *
reminders_on (MesoStore  *store,
              const char *day)
{
  g_autoptr(GError) error = NULL;
  GDate date = make_day (day);
  GPtrArray *reminders = meso_store_list_reminders (store, &date, &error);

  EXPECT_NO_ERROR (day, error);
  assert_non_null (reminders);
  for (guint i = 1; i < reminders->len; i++)
    {
      MesoReminder *a = g_ptr_array_index (reminders, i - 1);
      MesoReminder *b = g_ptr_array_index (reminders, i);

      EXPECT (day, a->kind <= b->kind);
    }
  return reminders;
}

static MesoReminder *
find_reminder (GPtrArray         *reminders,
               gint64             patient_id,
               MesoAftercareKind  kind)
{
  for (guint i = 0; i < reminders->len; i++)
    {
      MesoReminder *reminder = g_ptr_array_index (reminders, i);

      if (reminder->patient_id == patient_id && reminder->kind == kind)
        return reminder;
    }
  return NULL;
}

/* A patient's reminders on @day as their nicks, e.g. "no-water moisturise". */
static char *
kinds_on (MesoStore  *store,
          gint64      patient_id,
          const char *day)
{
  g_autoptr(GPtrArray) reminders = reminders_on (store, day);
  GString *kinds = g_string_new (NULL);

  for (guint i = 0; i < reminders->len; i++)
    {
      MesoReminder *reminder = g_ptr_array_index (reminders, i);

      if (reminder->patient_id != patient_id)
        continue;
      if (kinds->len > 0)
        g_string_append_c (kinds, ' ');
      g_string_append (kinds, meso_enum_to_nick (MESO_TYPE_AFTERCARE_KIND, reminder->kind));
    }
  return g_string_free (kinds, FALSE);
}

/* Where a patient stands on the recall list on @day: "", "due" or "overdue". */
static const char *
recall_on (MesoStore  *store,
           gint64      patient_id,
           const char *day)
{
  g_autoptr(GPtrArray) reminders = reminders_on (store, day);
  gboolean due = find_reminder (reminders, patient_id, MESO_AFTERCARE_FOLLOW_UP_DUE) != NULL;
  gboolean overdue = find_reminder (reminders, patient_id, MESO_AFTERCARE_OVERDUE) != NULL;

  EXPECT (day, !(due && overdue));
  return due ? "due" : overdue ? "overdue" : "";
}

/* =============================================================== tests */

static void
test_reminders_first_days (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *day;
    const char *kinds;
  } cases[] = {
    /* A face session yesterday, 20 November at 15:00. */
    { "2026-11-19", "" },
    { "2026-11-20", "no-water sun-protection moisturise" },
    { "2026-11-21", "no-water sun-protection moisturise" },
    { "2026-11-22", "sun-protection moisturise" },
    { "2026-11-23", "sun-protection moisturise" },
    { "2026-11-24", "moisturise" },
    { "2026-12-10", "moisturise" },
    { "2026-12-11", "moisturise follow-up-due" },   /* 28 − 7 days after */
    { "2027-01-01", "moisturise follow-up-due" },   /* the window's last day, 42 after */
    { "2027-01-02", "overdue" },
  };
  gint64 id = add_patient (f->store, "Anna Pflege", FALSE);
  gint64 session = record_session_ok (f->store, id, "2026-11-20T15:00", MESO_AREA_FACE);
  g_autoptr(GDateTime) at = local_dt ("2026-11-20T15:00");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *kinds = kinds_on (f->store, id, cases[i].day);

      EXPECT_STR (cases[i].day, cases[i].kinds, kinds);
    }

  {
    g_autoptr(GPtrArray) today = reminders_on (f->store, "2026-11-21");
    MesoReminder *water = find_reminder (today, id, MESO_AFTERCARE_NO_WATER);
    MesoReminder *sun = find_reminder (today, id, MESO_AFTERCARE_SUN_PROTECTION);
    MesoReminder *moisturise = find_reminder (today, id, MESO_AFTERCARE_MOISTURISE);

    REQUIRE (water);
    REQUIRE (sun);
    REQUIRE (moisturise);
    EXPECT_STR ("the patient's name", "Anna Pflege", water->patient);
    EXPECT_INT ("the session", session, water->session_id);
    EXPECT_INT ("the area", MESO_AREA_FACE, water->area);
    EXPECT ("the session's time", g_date_time_to_unix (at) == water->session_at);
    EXPECT_TIME ("no water from the session", "2026-11-20T15:00", water->from);
    EXPECT_TIME ("no water for 24 h", "2026-11-21T15:00", water->until);
    EXPECT_TIME ("sun protection from the session", "2026-11-20T15:00", sun->from);
    EXPECT_INT ("sun protection ends exactly 72 h after", 72 * G_TIME_SPAN_HOUR,
                (sun->until - g_date_time_to_unix (at)) * G_TIME_SPAN_SECOND);
    EXPECT ("moisturise until the next session: none yet",
            moisturise->until == MESO_REMINDER_NO_END);
  }
  {
    g_autoptr(GPtrArray) due_day = reminders_on (f->store, "2026-12-11");
    MesoReminder *due = find_reminder (due_day, id, MESO_AFTERCARE_FOLLOW_UP_DUE);

    REQUIRE (due);
    EXPECT_TIME ("the window opens 28 days after", "2026-12-18T00:00", due->from);
    EXPECT_TIME ("and closes after day 42", "2027-01-02T00:00", due->until);
  }
}

static void
test_reminders_booked_follow_up (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  /* Sessions on 20 October: the window is 17 November – 1 December. */
  gint64 unbooked = add_patient (f->store, "Berta Offen", FALSE);
  gint64 booked = add_patient (f->store, "Carla Gebucht", FALSE);
  gint64 elsewhere = add_patient (f->store, "Doris Hals", FALSE);
  gint64 appointment;

  record_session_ok (f->store, unbooked, "2026-10-20T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, booked, "2026-10-20T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, elsewhere, "2026-10-20T10:00", MESO_AREA_FACE);
  appointment = book_appointment_ok (f->store, booked, "2026-11-24T10:00", MESO_AREA_FACE);
  book_appointment_ok (f->store, elsewhere, "2026-11-24T11:00", MESO_AREA_NECK);

  EXPECT_STR ("unbooked, in the window", "due", recall_on (f->store, unbooked, "2026-11-21"));
  EXPECT_STR ("booked: not due", "", recall_on (f->store, booked, "2026-11-21"));
  EXPECT_STR ("another area booked: still due", "due",
              recall_on (f->store, elsewhere, "2026-11-21"));
  EXPECT_STR ("unbooked, after the window", "overdue",
              recall_on (f->store, unbooked, "2026-12-10"));
  EXPECT_STR ("booked: not overdue", "", recall_on (f->store, booked, "2026-12-10"));
  EXPECT_STR ("another area booked: overdue", "overdue",
              recall_on (f->store, elsewhere, "2026-12-10"));

  {
    g_autoptr(GPtrArray) today = reminders_on (f->store, "2026-11-21");
    MesoReminder *moisturise = find_reminder (today, booked, MESO_AFTERCARE_MOISTURISE);

    REQUIRE (moisturise);
    EXPECT_TIME ("moisturise until the booked session", "2026-11-24T10:00", moisturise->until);
  }

  /* Cancelled: nothing booked any more. */
  assert_true (meso_store_cancel_appointment (f->store, appointment, NULL, &error));
  EXPECT_NO_ERROR ("cancel", error);
  EXPECT_STR ("cancelled: due again", "due", recall_on (f->store, booked, "2026-11-21"));
  EXPECT_STR ("cancelled: overdue later", "overdue", recall_on (f->store, booked, "2026-12-10"));
}

/* The desk calls from the entry: its phone; today's rows know the area's
 * booked follow-up (so the panel shows it instead of Book); the overdue
 * come the most recently overdue first (issue 17, item 3). */
static void
test_reminders_phone_booked_and_overdue_order (void **state)
{
  Fixture *f = *state;
  gint64 called = add_patient_full (f->store, "Erika Ruf", FALSE, "+49 30 1234567", NULL);
  gint64 silent = add_patient (f->store, "Frieda Still", FALSE);
  gint64 old = add_patient_full (f->store, "Gerda Lang", FALSE, "0170 111", NULL);
  gint64 recent = add_patient_full (f->store, "Hanna Neu", FALSE, "0170 222", NULL);

  record_session_ok (f->store, called, "2026-11-20T15:00", MESO_AREA_FACE);
  record_session_ok (f->store, silent, "2026-11-20T16:00", MESO_AREA_FACE);
  book_appointment_ok (f->store, called, "2026-12-22T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, old, "2020-03-02T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, recent, "2026-09-01T10:00", MESO_AREA_FACE);

  {
    g_autoptr(GPtrArray) today = reminders_on (f->store, "2026-11-21");
    MesoReminder *water = find_reminder (today, called, MESO_AFTERCARE_NO_WATER);
    MesoReminder *other = find_reminder (today, silent, MESO_AFTERCARE_SUN_PROTECTION);
    gint64 overdue_seen[2] = { 0, 0 };
    guint n_overdue = 0;

    REQUIRE (water);
    REQUIRE (other);
    EXPECT_STR ("the phone on the row", "+49 30 1234567", water->phone);
    EXPECT_TIME ("the booked follow-up", "2026-12-22T10:00", water->booked_at);
    EXPECT ("no phone: NULL", other->phone == NULL);
    EXPECT_INT ("nothing booked: 0", 0, other->booked_at);

    for (guint i = 0; i < today->len; i++)
      {
        MesoReminder *r = g_ptr_array_index (today, i);

        if (r->kind == MESO_AFTERCARE_OVERDUE && n_overdue < 2)
          overdue_seen[n_overdue++] = r->patient_id;
        if (r->kind == MESO_AFTERCARE_OVERDUE && r->patient_id == recent)
          EXPECT_STR ("the overdue row's phone", "0170 222", r->phone);
      }
    EXPECT_INT ("two overdue", 2, n_overdue);
    EXPECT_INT ("the most recently overdue first", recent, overdue_seen[0]);
    EXPECT_INT ("the one lapsed for years last", old, overdue_seen[1]);
  }
}

static void
test_reminders_window_borders (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *day;
    const char *normal;
    const char *sensitive;
  } cases[] = {
    /* Sessions on 1 September. Normal: 28–42 days, due from day 21;
     * sensitive: 56–70 days, due from day 49. */
    { "2026-09-21", "", "" },                 /* day 20 */
    { "2026-09-22", "due", "" },              /* day 21 */
    { "2026-09-29", "due", "" },              /* day 28: the window opens */
    { "2026-10-13", "due", "" },              /* day 42: its last day */
    { "2026-10-14", "overdue", "" },          /* day 43 */
    { "2026-10-19", "overdue", "" },          /* day 48 */
    { "2026-10-20", "overdue", "due" },       /* day 49 */
    { "2026-11-10", "overdue", "due" },       /* day 70 */
    { "2026-11-11", "overdue", "overdue" },   /* day 71 */
    { "2027-06-01", "overdue", "overdue" },   /* until booked, finished or declined */
  };
  gint64 normal = add_patient (f->store, "Emma Normal", FALSE);
  gint64 sensitive = add_patient (f->store, "Fiona Zart", TRUE);

  record_session_ok (f->store, normal, "2026-09-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, sensitive, "2026-09-01T10:00", MESO_AREA_FACE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normal_what = g_strdup_printf ("normal skin on %s", cases[i].day);
      g_autofree char *sensitive_what = g_strdup_printf ("sensitive skin on %s", cases[i].day);

      EXPECT_STR (normal_what, cases[i].normal, recall_on (f->store, normal, cases[i].day));
      EXPECT_STR (sensitive_what, cases[i].sensitive,
                  recall_on (f->store, sensitive, cases[i].day));
    }

  {
    g_autoptr(GPtrArray) due_day = reminders_on (f->store, "2026-10-20");
    MesoReminder *due = find_reminder (due_day, sensitive, MESO_AFTERCARE_FOLLOW_UP_DUE);

    REQUIRE (due);
    EXPECT ("flagged sensitive", due->sensitive_skin);
    EXPECT_TIME ("sensitive window opens on day 56", "2026-10-27T00:00", due->from);
    EXPECT_TIME ("and closes after day 70", "2026-11-11T00:00", due->until);
  }
}

static void
test_reminders_declined_and_finished (void **state)
{
  Fixture *f = *state;
  static const char *const days[] = {
    "2026-09-22", "2026-10-13", "2026-10-14", "2026-11-21", "2027-03-01",
  };
  g_autoptr(GError) error = NULL;
  gint64 declined = add_patient (f->store, "Gerda Nein", FALSE);
  gint64 finished = add_patient (f->store, "Hilde Fertig", FALSE);
  gint64 control = add_patient (f->store, "Ilse Offen", FALSE);

  record_session_ok (f->store, declined, "2026-09-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, finished, "2026-09-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, control, "2026-09-01T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_course_state (f->store, declined, FALSE, TRUE, &error));
  assert_true (meso_store_set_course_state (f->store, finished, TRUE, FALSE, &error));
  EXPECT_NO_ERROR ("set course state", error);

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      EXPECT_STR (days[i], "", recall_on (f->store, declined, days[i]));
      EXPECT_STR (days[i], "", recall_on (f->store, finished, days[i]));
      EXPECT (days[i], *recall_on (f->store, control, days[i]) != '\0');
    }

  /* A new session opens a new course: a finished one is listed again. */
  record_session_ok (f->store, finished, "2026-11-21T08:00", MESO_AREA_FACE);
  EXPECT_STR ("re-opened, day 20", "", recall_on (f->store, finished, "2026-12-11"));
  EXPECT_STR ("re-opened, day 21", "due", recall_on (f->store, finished, "2026-12-12"));
  EXPECT_STR ("re-opened, day 43", "overdue", recall_on (f->store, finished, "2027-01-03"));

  /* A new session does not override "do not contact". */
  record_session_ok (f->store, declined, "2026-11-21T08:00", MESO_AREA_FACE);
  EXPECT_STR ("declined stays declined", "", recall_on (f->store, declined, "2026-12-12"));
  EXPECT_STR ("declined, later", "", recall_on (f->store, declined, "2027-01-03"));

  /* Until the patient agrees again. */
  assert_true (meso_store_set_course_state (f->store, declined, FALSE, FALSE, &error));
  EXPECT_STR ("active again", "due", recall_on (f->store, declined, "2026-12-12"));

  EXPECT ("a missing patient",
          !meso_store_set_course_state (f->store, control + 100, TRUE, FALSE, &error));
  EXPECT ("NOT_FOUND", g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND));
}

static void
test_reminders_daylight_saving (void **state)
{
  Fixture *f = *state;
  static const struct
  {
    const char *what;
    const char *session;
    const char *opens;       /* the window's first day */
    const char *closes;      /* its last day */
    const char *sun_until;   /* three calendar days, the same wall-clock time */
    const char *water_until; /* 24 hours */
  } cases[] = {
    /* 23:30 on Friday 27 March, two nights before the clocks go forward:
     * 28 × 24 h later is already 24 April 00:30 local. */
    { "spring forward", "2026-03-27T23:30", "2026-04-24", "2026-05-08", "2026-03-30T23:30",
      "2026-03-28T23:30" },
    /* 18:00 the evening before: the 24 hours without water are hours that pass,
     * so across the lost hour they end at 19:00 on the clock; the three days of
     * sun protection are calendar days, ending at 18:00. */
    { "the evening before the change", "2026-03-28T18:00", "2026-04-25", "2026-05-09",
      "2026-03-31T18:00", "2026-03-29T19:00" },
    { "the night of the change", "2026-03-29T01:30", "2026-04-26", "2026-05-10",
      "2026-04-01T01:30", "2026-03-30T02:30" },
    /* 00:30 the day before the clocks go back: 28 × 24 h later is still
     * 20 November 23:30 local. */
    { "fall back", "2026-10-24T00:30", "2026-11-21", "2026-12-05", "2026-10-27T00:30",
      "2026-10-25T00:30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 id = add_patient (f->store, cases[i].what, FALSE);
      g_autofree char *session_day = g_strndup (cases[i].session, 10);
      g_autofree char *listed_from = day_plus (cases[i].opens, -7);
      g_autofree char *not_yet = day_plus (cases[i].opens, -8);
      g_autofree char *after = day_plus (cases[i].closes, 1);
      g_autofree char *opens_midnight = g_strconcat (cases[i].opens, "T00:00", NULL);
      g_autofree char *after_midnight = g_strconcat (after, "T00:00", NULL);

      record_session_ok (f->store, id, cases[i].session, MESO_AREA_FACE);

      EXPECT_STR (cases[i].what, "", recall_on (f->store, id, not_yet));
      EXPECT_STR (cases[i].what, "due", recall_on (f->store, id, listed_from));
      EXPECT_STR (cases[i].what, "due", recall_on (f->store, id, cases[i].opens));
      EXPECT_STR (cases[i].what, "due", recall_on (f->store, id, cases[i].closes));
      EXPECT_STR (cases[i].what, "overdue", recall_on (f->store, id, after));

      {
        g_autoptr(GPtrArray) due_day = reminders_on (f->store, cases[i].opens);
        g_autoptr(GPtrArray) first_day = reminders_on (f->store, session_day);
        MesoReminder *due = find_reminder (due_day, id, MESO_AFTERCARE_FOLLOW_UP_DUE);
        MesoReminder *sun = find_reminder (first_day, id, MESO_AFTERCARE_SUN_PROTECTION);
        MesoReminder *water = find_reminder (first_day, id, MESO_AFTERCARE_NO_WATER);

        REQUIRE (due);
        REQUIRE (sun);
        REQUIRE (water);
        EXPECT_TIME (cases[i].what, opens_midnight, due->from);
        EXPECT_TIME (cases[i].what, after_midnight, due->until);
        EXPECT_TIME (cases[i].what, cases[i].sun_until, sun->until);
        EXPECT_INT (cases[i].what, 24 * G_TIME_SPAN_HOUR,
                    (water->until - water->from) * G_TIME_SPAN_SECOND);
        EXPECT_TIME (cases[i].what, cases[i].water_until, water->until);
      }
    }
}

static void
test_reminders_archived_not_listed (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 archived = add_patient (f->store, "Jutta Archiv", FALSE);
  gint64 old_course = add_patient (f->store, "Karin Archiv", FALSE);
  gint64 active = add_patient (f->store, "Lotte Aktiv", FALSE);

  record_session_ok (f->store, archived, "2026-11-20T15:00", MESO_AREA_FACE);
  record_session_ok (f->store, old_course, "2026-09-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, active, "2026-11-20T16:00", MESO_AREA_FACE);
  assert_true (meso_store_set_patient_archived (f->store, archived, TRUE, &error));
  assert_true (meso_store_set_patient_archived (f->store, old_course, TRUE, &error));
  EXPECT_NO_ERROR ("archive", error);

  {
    g_autofree char *today = kinds_on (f->store, archived, "2026-11-21");
    g_autofree char *due = kinds_on (f->store, archived, "2026-12-11");
    g_autofree char *late = kinds_on (f->store, archived, "2027-02-01");
    g_autofree char *overdue = kinds_on (f->store, old_course, "2026-11-21");
    g_autofree char *others = kinds_on (f->store, active, "2026-11-21");

    EXPECT_STR ("archived: no aftercare", "", today);
    EXPECT_STR ("archived: not due", "", due);
    EXPECT_STR ("archived: not overdue", "", late);
    EXPECT_STR ("archived: off the recall list", "", overdue);
    EXPECT_STR ("others still listed", "no-water sun-protection moisturise", others);
  }

  assert_true (meso_store_set_patient_archived (f->store, old_course, FALSE, &error));
  EXPECT_STR ("restored: back on the list", "overdue",
              recall_on (f->store, old_course, "2026-11-21"));
}

/* The courses keep a copy of the patient's name and skin type (schema 3):
 * a change made anywhere reaches every list at once. */
static void
test_reminders_follow_patient_changes (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_patient (f->store, "Mara Alt", FALSE);
  g_autoptr(MesoPatient) patient = NULL;
  GDate today = make_day ("2026-11-21");

  record_session_ok (f->store, id, "2026-11-20T15:00", MESO_AREA_FACE);
  {
    g_autoptr(GPtrArray) reminders = reminders_on (f->store, "2026-11-21");
    MesoReminder *moisturise = find_reminder (reminders, id, MESO_AFTERCARE_MOISTURISE);

    REQUIRE (moisturise);
    EXPECT_STR ("the name before", "Mara Alt", moisturise->patient);
    EXPECT ("not sensitive before", !moisturise->sensitive_skin);
  }

  patient = meso_store_get_patient (f->store, id, &error);
  EXPECT_NO_ERROR ("get", error);
  /* A rename alone, then the skin type alone: each on its own path. */
  meso_patient_set_name (patient, "Mara O'Neu-Şahin 🌿");
  assert_true (meso_store_update_patient (f->store, patient, &error));
  EXPECT_NO_ERROR ("rename", error);
  {
    g_autoptr(GPtrArray) page = meso_store_list_reminders_page (f->store, &today,
                                                                MESO_AFTERCARE_MOISTURISE, 0,
                                                                50, &error);
    MesoReminder *paged = page != NULL ? find_reminder (page, id, MESO_AFTERCARE_MOISTURISE)
                                       : NULL;

    EXPECT_NO_ERROR ("page after the rename", error);
    REQUIRE (paged);
    EXPECT_STR ("renamed: the new name", "Mara O'Neu-Şahin 🌿", paged->patient);
    EXPECT ("renamed: still not sensitive", !paged->sensitive_skin);
  }
  meso_patient_set_sensitive_skin (patient, TRUE);
  assert_true (meso_store_update_patient (f->store, patient, &error));
  EXPECT_NO_ERROR ("sensitive", error);
  {
    g_autoptr(GPtrArray) reminders = reminders_on (f->store, "2026-11-21");
    g_autoptr(GPtrArray) page = meso_store_list_reminders_page (f->store, &today,
                                                                MESO_AFTERCARE_MOISTURISE, 0,
                                                                50, &error);
    MesoReminder *moisturise = find_reminder (reminders, id, MESO_AFTERCARE_MOISTURISE);
    MesoReminder *paged = page != NULL ? find_reminder (page, id, MESO_AFTERCARE_MOISTURISE)
                                       : NULL;

    EXPECT_NO_ERROR ("page", error);
    REQUIRE (moisturise);
    REQUIRE (paged);
    EXPECT_STR ("the list: the new name", "Mara O'Neu-Şahin 🌿", moisturise->patient);
    EXPECT ("the list: sensitive now", moisturise->sensitive_skin);
    EXPECT_STR ("the page: the new name", "Mara O'Neu-Şahin 🌿", paged->patient);
    EXPECT ("the page: sensitive now", paged->sensitive_skin);
  }

  /* Sensitive skin moved the window: 56 days, not 28, before it opens. */
  EXPECT_STR ("not due on day 28", "", recall_on (f->store, id, "2026-12-18"));
  EXPECT_STR ("due once the sensitive window nears", "due",
              recall_on (f->store, id, "2027-01-15"));
  {
    g_autoptr(GPtrArray) reminders = reminders_on (f->store, "2027-01-15");
    MesoReminder *due = find_reminder (reminders, id, MESO_AFTERCARE_FOLLOW_UP_DUE);

    REQUIRE (due);
    EXPECT_STR ("the recall list: the new name", "Mara O'Neu-Şahin 🌿", due->patient);
  }
}

static void
test_reminders_follow_policy (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  MesoPolicy policy = *meso_policy_get_default ();
  MesoPolicy loaded = { 0 };
  gint64 course = add_patient (f->store, "Maria Lang", FALSE);
  gint64 fresh = add_patient (f->store, "Nina Frisch", FALSE);
  gint64 early = add_patient (f->store, "Olivia Frueh", FALSE);
  g_autoptr(GDateTime) early_at = local_dt ("2026-11-21T08:00");
  g_autoptr(MesoSession) too_soon = meso_session_new ();

  record_session_ok (f->store, course, "2026-11-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, early, "2026-10-17T10:00", MESO_AREA_FACE);

  /* The defaults: open on day 28 (29 Nov), listed from 22 Nov, closed after 13 Dec. */
  EXPECT_STR ("default, 22 Nov", "due", recall_on (f->store, course, "2026-11-22"));
  EXPECT_STR ("default, 14 Dec", "overdue", recall_on (f->store, course, "2026-12-14"));

  policy.interval_min_days = 42;
  policy.interval_max_days = 56;
  policy.no_water_hours = 48;
  policy.sun_protection_days = 5;
  assert_true (meso_store_save_policy (f->store, &policy, &error));
  EXPECT_NO_ERROR ("save a longer policy", error);
  assert_true (meso_store_load_policy (f->store, &loaded, &error));
  EXPECT_INT ("stored", 42, loaded.interval_min_days);
  EXPECT_INT ("stored", 56, loaded.interval_max_days);
  EXPECT_INT ("stored", 48, loaded.no_water_hours);

  /* The existing course moved: open on day 42 (13 Dec), closed after day 56. */
  EXPECT_STR ("moved, 22 Nov", "", recall_on (f->store, course, "2026-11-22"));
  EXPECT_STR ("moved, 5 Dec", "", recall_on (f->store, course, "2026-12-05"));
  EXPECT_STR ("moved, 6 Dec", "due", recall_on (f->store, course, "2026-12-06"));
  EXPECT_STR ("moved, 27 Dec", "due", recall_on (f->store, course, "2026-12-27"));
  EXPECT_STR ("moved, 28 Dec", "overdue", recall_on (f->store, course, "2026-12-28"));
  {
    g_autoptr(GPtrArray) due_day = reminders_on (f->store, "2026-12-06");
    MesoReminder *due = find_reminder (due_day, course, MESO_AFTERCARE_FOLLOW_UP_DUE);

    REQUIRE (due);
    EXPECT_TIME ("opens on day 42", "2026-12-13T00:00", due->from);
    EXPECT_TIME ("closes after day 56", "2026-12-28T00:00", due->until);
  }

  /* New sessions get the longer aftercare. */
  record_session_ok (f->store, fresh, "2026-11-20T15:00", MESO_AREA_NECK);
  {
    g_autofree char *day2 = kinds_on (f->store, fresh, "2026-11-22");
    g_autofree char *day5 = kinds_on (f->store, fresh, "2026-11-25");
    g_autofree char *day6 = kinds_on (f->store, fresh, "2026-11-26");

    EXPECT_STR ("48 h without water", "no-water sun-protection moisturise", day2);
    EXPECT_STR ("5 days of sun protection", "sun-protection moisturise", day5);
    EXPECT_STR ("then only moisturise", "moisturise", day6);
  }

  /* And the rules refuse what is now too close: 35 days < 42. */
  meso_session_set_patient_id (too_soon, early);
  meso_session_set_at (too_soon, early_at);
  meso_session_set_area (too_soon, MESO_AREA_FACE);
  meso_session_set_needle_um (too_soon, 500);
  EXPECT ("35 days under a 42-day policy",
          !meso_store_add_session (f->store, too_soon, MESO_ROLE_CLINICIAN, NULL, &error));
  EXPECT ("refused", g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_REFUSED));
  EXPECT ("by R1", error != NULL && strstr (error->message, "R1") != NULL);
  g_clear_error (&error);

  /* Every program sees it: it is in the database. */
  g_clear_object (&f->store);
  f->store = meso_store_open (f->path, &error);
  assert_non_null (f->store);
  assert_true (meso_store_load_policy (f->store, &loaded, &error));
  EXPECT_INT ("after reopening", 42, loaded.interval_min_days);
  EXPECT_STR ("after reopening", "due", recall_on (f->store, course, "2026-12-06"));
}

/* ============================================ the panel's API, exactly */

/* What the rules say of a patient, read independently of the reminders'
 * SQL: the store's records API and, for the recall state (not part of
 * MesoPatient), the patients table itself. */
typedef struct
{
  gint64     id;
  char      *name;
  gboolean   sensitive;
  gboolean   archived;
  char      *recall;
  GPtrArray *sessions;       /* MesoSession */
  GPtrArray *appointments;   /* MesoAppointment */
} Facts;

static void
facts_free (Facts *facts)
{
  g_free (facts->name);
  g_free (facts->recall);
  g_clear_pointer (&facts->sessions, g_ptr_array_unref);
  g_clear_pointer (&facts->appointments, g_ptr_array_unref);
  g_free (facts);
}

static GPtrArray *
load_everyone (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) recalls = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *everyone = g_ptr_array_new_with_free_func ((GDestroyNotify)facts_free);
  MesoDbStmt *stmt = meso_store_prepare (f->store, "SELECT id, recall FROM patients ORDER BY id",
                                         &error);

  EXPECT_NO_ERROR ("patients", error);
  assert_non_null (stmt);
  while (meso_store_step_row (f->store, stmt, &error))
    {
      gint64 id = meso_db_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (recalls, meso_db_column_dup (stmt, 1));
    }
  EXPECT_NO_ERROR ("patients", error);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(MesoPatient) patient = NULL;
      Facts *facts = g_new0 (Facts, 1);

      facts->id = g_array_index (ids, gint64, i);
      patient = meso_store_get_patient (f->store, facts->id, &error);
      EXPECT_NO_ERROR ("patient", error);
      assert_non_null (patient);
      facts->name = g_strdup (meso_patient_get_name (patient));
      facts->sensitive = meso_patient_get_sensitive_skin (patient);
      facts->archived = meso_patient_get_archived (patient);
      facts->recall = g_strdup (g_ptr_array_index (recalls, i));
      facts->sessions = meso_store_list_sessions (f->store, facts->id, &error);
      EXPECT_NO_ERROR ("sessions", error);
      facts->appointments = meso_store_list_patient_appointments (f->store, facts->id, &error);
      EXPECT_NO_ERROR ("appointments", error);
      assert_non_null (facts->sessions);
      assert_non_null (facts->appointments);
      g_ptr_array_add (everyone, facts);
    }
  return everyone;
}

/* One entry as text, every field, for comparing sets and showing them. */
static char *
describe (MesoAftercareKind  kind,
          gint64             patient_id,
          const char        *name,
          gboolean           sensitive,
          gint64             session_id,
          MesoArea           area,
          GDateTime         *session_at,
          GDateTime         *from,
          GDateTime         *until)
{
  g_autofree char *at = g_date_time_format_iso8601 (session_at);
  g_autofree char *begins = g_date_time_format_iso8601 (from);
  g_autofree char *ends = until ? g_date_time_format_iso8601 (until) : g_strdup ("-");

  return g_strdup_printf ("%s patient %" G_GINT64_FORMAT " (%s%s) session %" G_GINT64_FORMAT
                          " %s at %s: %s – %s",
                          meso_enum_to_nick (MESO_TYPE_AFTERCARE_KIND, kind), patient_id, name,
                          sensitive ? ", sensitive" : "", session_id,
                          meso_enum_to_nick (MESO_TYPE_AREA, area), at, begins, ends);
}

static char *
describe_reminder (const MesoReminder *r)
{
  g_autoptr(GDateTime) session_at = meso_reminder_dup_session_at (r);
  g_autoptr(GDateTime) from = meso_reminder_dup_from (r);
  g_autoptr(GDateTime) until = meso_reminder_dup_until (r);

  return describe (r->kind, r->patient_id, r->patient, r->sensitive_skin, r->session_id, r->area,
                   session_at, from, until);
}

/* R4 and the recall decision from the rules alone, patient by patient,
 * session by session: what the list must hold on @day. */
static GPtrArray *
expected_on (GPtrArray         *everyone,
             const MesoPolicy  *policy,
             const GDate       *day)
{
  GPtrArray *expected = g_ptr_array_new_with_free_func (g_free);
  GDate next_day = *day;
  g_autoptr(GDateTime) day_start = NULL;
  g_autoptr(GDateTime) day_end = NULL;

  g_date_add_days (&next_day, 1);
  day_start = meso_date_time_from_date (day);
  day_end = meso_date_time_from_date (&next_day);

  for (guint i = 0; i < everyone->len; i++)
    {
      Facts *p = g_ptr_array_index (everyone, i);

      if (p->archived)
        continue;

      /* The first days' instructions of every session. */
      for (guint k = 0; k < p->sessions->len; k++)
        {
          MesoSession *s = g_ptr_array_index (p->sessions, k);
          g_autoptr(GPtrArray) plan =
            meso_rules_aftercare_plan (policy, p->sensitive, meso_session_get_at (s), NULL);

          for (guint j = 0; j < plan->len; j++)
            {
              MesoAftercareItem *item = g_ptr_array_index (plan, j);

              if ((item->kind == MESO_AFTERCARE_NO_WATER ||
                   item->kind == MESO_AFTERCARE_SUN_PROTECTION) &&
                  meso_aftercare_item_is_active_on (item, day))
                g_ptr_array_add (expected,
                                 describe (item->kind, p->id, p->name, p->sensitive,
                                           meso_session_get_id (s), meso_session_get_area (s),
                                           meso_session_get_at (s), item->from, item->until));
            }
        }

      /* Each area's course: its last session, if it had happened by the
       * end of the day, and the next one booked after it. */
      for (MesoArea area = MESO_AREA_FACE; area <= MESO_AREA_HANDS; area++)
        {
          MesoSession *last = NULL;
          GDateTime *next = NULL;
          g_autoptr(GPtrArray) plan = NULL;
          MesoAftercareItem *moisturise, *follow_up;
          MesoRecallStatus status;

          for (guint k = 0; k < p->sessions->len; k++)
            {
              MesoSession *s = g_ptr_array_index (p->sessions, k);

              if (meso_session_get_area (s) != area)
                continue;
              if (last != NULL &&
                  g_date_time_equal (meso_session_get_at (s), meso_session_get_at (last)))
                {
                  print_error ("patient %" G_GINT64_FORMAT ": two last sessions at once\n", p->id);
                  fail ();
                }
              if (last == NULL ||
                  g_date_time_compare (meso_session_get_at (s), meso_session_get_at (last)) > 0)
                last = s;
            }
          if (last == NULL || g_date_time_compare (meso_session_get_at (last), day_end) >= 0)
            continue;

          for (guint k = 0; k < p->appointments->len; k++)
            {
              MesoAppointment *a = g_ptr_array_index (p->appointments, k);
              MesoAppointmentStatus st = meso_appointment_get_status (a);
              GDateTime *start = meso_appointment_get_start (a);

              if (meso_appointment_get_area (a) == area &&
                  (st == MESO_APPOINTMENT_BOOKED || st == MESO_APPOINTMENT_CHECKED_IN) &&
                  g_date_time_compare (start, meso_session_get_at (last)) > 0 &&
                  (next == NULL || g_date_time_compare (start, next) < 0))
                next = start;
            }

          plan = meso_rules_aftercare_plan (policy, p->sensitive, meso_session_get_at (last), next);
          moisturise = g_ptr_array_index (plan, MESO_AFTERCARE_MOISTURISE);
          follow_up = g_ptr_array_index (plan, MESO_AFTERCARE_FOLLOW_UP_DUE);
          /* Moisturise, listed until the window closes. */
          if (meso_aftercare_item_is_active_on (moisturise, day) &&
              g_date_time_compare (day_start, follow_up->until) < 0)
            g_ptr_array_add (expected,
                             describe (MESO_AFTERCARE_MOISTURISE, p->id, p->name, p->sensitive,
                                       meso_session_get_id (last), area,
                                       meso_session_get_at (last), moisturise->from,
                                       moisturise->until));
          status = meso_rules_recall_status (policy, p->sensitive, meso_session_get_at (last),
                                             next != NULL, g_strcmp0 (p->recall, "finished") == 0,
                                             g_strcmp0 (p->recall, "declined") == 0, day);
          if (status != MESO_RECALL_NONE)
            g_ptr_array_add (expected,
                             describe (status == MESO_RECALL_DUE ? MESO_AFTERCARE_FOLLOW_UP_DUE
                                                                 : MESO_AFTERCARE_OVERDUE,
                                       p->id, p->name, p->sensitive, meso_session_get_id (last),
                                       area, meso_session_get_at (last), follow_up->from,
                                       follow_up->until));
        }
    }
  return expected;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **)a, *(const char **)b);
}

static int list_order_ascending (const MesoReminder *x,
                                 const MesoReminder *y);

/* The list's documented order, written out again here. */
static int
list_order (const MesoReminder *x,
            const MesoReminder *y)
{

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->kind == MESO_AFTERCARE_OVERDUE)
    {
      /* The most recently overdue first: whose window closed last, then by name. */
      int by_name = strcmp (x->patient, y->patient);

      if (x->until != y->until)
        return x->until > y->until ? -1 : 1;
      if (by_name != 0)
        return by_name;
    }
  return list_order_ascending (x, y);
}

static int
list_order_ascending (const MesoReminder *x,
                      const MesoReminder *y)
{
  gint64 tx, ty;

  tx = x->until != MESO_REMINDER_NO_END ? x->until : x->from;
  ty = y->until != MESO_REMINDER_NO_END ? y->until : y->from;
  if (tx != ty)
    return tx < ty ? -1 : 1;
  if (x->patient_id != y->patient_id)
    return x->patient_id < y->patient_id ? -1 : 1;
  return x->session_id < y->session_id ? -1 : x->session_id > y->session_id;
}

static gboolean
same_reminder (const MesoReminder *a,
               const MesoReminder *b)
{
  g_autofree char *x = describe_reminder (a);
  g_autofree char *y = describe_reminder (b);

  return g_str_equal (x, y);
}

static void
describe_into_cb (const MesoReminder *reminder,
                  gpointer            descriptions)
{
  g_ptr_array_add (descriptions, describe_reminder (reminder));
}

/* On @day: the full list is what the rules say, nothing more or less, in
 * its order, also one at a time; the counts are its sections' lengths; the
 * pages cut it. */
static void
check_day (Fixture     *f,
           GPtrArray   *everyone,
           const char  *iso,
           guint       *total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  guint counts[MESO_AFTERCARE_OVERDUE + 1] = { 0 };
  guint lengths[MESO_AFTERCARE_OVERDUE + 1] = { 0 };
  guint first[MESO_AFTERCARE_OVERDUE + 1] = { 0 };
  MesoPolicy policy;
  GDate day = make_day (iso);
  guint shown = 0;

  assert_true (meso_store_load_policy (f->store, &policy, &error));
  list = meso_store_list_reminders (f->store, &day, &error);
  EXPECT_NO_ERROR (iso, error);
  assert_non_null (list);
  expected = expected_on (everyone, &policy, &day);

  for (guint i = 0; i < list->len; i++)
    {
      MesoReminder *r = g_ptr_array_index (list, i);

      g_ptr_array_add (listed, describe_reminder (r));
      if (lengths[r->kind]++ == 0)
        first[r->kind] = i;
      if (i > 0 && list_order (g_ptr_array_index (list, i - 1), r) >= 0)
        {
          g_autofree char *before = describe_reminder (g_ptr_array_index (list, i - 1));

          print_error ("%s: out of order:\n  %s\n  %s\n", iso, before, (char *)listed->pdata[i]);
          fail ();
        }
    }

  /* The same entries as the rules', field by field. */
  g_ptr_array_sort (listed, compare_strings);
  g_ptr_array_sort (expected, compare_strings);
  for (guint i = 0, j = 0; (i < listed->len || j < expected->len) && shown < 10;)
    {
      int c = i == listed->len ? 1 : j == expected->len ? -1
            : strcmp (listed->pdata[i], expected->pdata[j]);

      if (c == 0)
        {
          i++, j++;
          continue;
        }
      print_error ("%s: %s %s\n", iso, c < 0 ? "listed, not by the rules:" : "missing:",
                   c < 0 ? (char *)listed->pdata[i] : (char *)expected->pdata[j]);
      shown++;
      if (c < 0)
        i++;
      else
        j++;
    }
  EXPECT (iso, shown == 0);
  EXPECT_INT (iso, expected->len, list->len);

  /* One at a time, as the command line writes it: the same, in order. */
  {
    g_autoptr(GPtrArray) each = g_ptr_array_new_with_free_func (g_free);

    assert_true (meso_store_foreach_reminder (f->store, &day, describe_into_cb, each, &error));
    EXPECT_NO_ERROR (iso, error);
    EXPECT_INT (iso, list->len, each->len);
    for (guint i = 0; i < list->len && i < each->len; i++)
      {
        g_autofree char *listed_one = describe_reminder (g_ptr_array_index (list, i));

        EXPECT_STR (iso, listed_one, (char *)each->pdata[i]);
      }
  }

  /* The counts. */
  assert_true (meso_store_count_reminders (f->store, &day, counts, &error));
  EXPECT_NO_ERROR (iso, error);
  for (MesoAftercareKind kind = 0; kind <= MESO_AFTERCARE_OVERDUE; kind++)
    {
      g_autofree char *what = g_strdup_printf ("%s, %s", iso,
                                               meso_enum_to_nick (MESO_TYPE_AFTERCARE_KIND, kind));
      guint offset = 0;

      EXPECT_INT (what, lengths[kind], counts[kind]);

      /* Pages of 7, then past the end; and everything at once. */
      for (;;)
        {
          g_autoptr(GPtrArray) page =
            meso_store_list_reminders_page (f->store, &day, kind, offset, 7, &error);

          EXPECT_NO_ERROR (what, error);
          assert_non_null (page);
          EXPECT (what, page->len <= 7);
          for (guint i = 0; i < page->len && offset + i < lengths[kind]; i++)
            EXPECT (what, same_reminder (g_ptr_array_index (page, i),
                                         g_ptr_array_index (list, first[kind] + offset + i)));
          if (page->len == 0)
            break;
          offset += page->len;
          if (offset > lengths[kind])
            break;
        }
      EXPECT_INT (what, lengths[kind], offset);
      {
        g_autoptr(GPtrArray) all = meso_store_list_reminders_page (f->store, &day, kind, 0, 0,
                                                                   &error);
        g_autoptr(GPtrArray) beyond =
          meso_store_list_reminders_page (f->store, &day, kind, lengths[kind] + 1, 5, &error);

        EXPECT_NO_ERROR (what, error);
        EXPECT_INT (what, lengths[kind], all->len);
        EXPECT_INT (what, 0, beyond->len);
      }
    }
  *total += list->len;
}

static const char *const check_days[] = {
  "2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30",   /* spring forward */
  "2026-06-15",
  "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27",   /* fall back */
  "2026-11-10", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22",
  "2026-11-24", "2026-12-05", "2027-01-01",
  "2027-03-27", "2027-03-28", "2027-03-29",                 /* and the next spring */
};

/* The awkward cases, next to a few hundred generated patients. */
static void
add_edge_cases (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 id, appointment;

  /* Sessions at midnight, a minute before it, later today, around both
   * daylight-saving changes (one inside the repeated autumn hour, one whose
   * third day falls into the spring gap). */
  record_session_ok (store, add_patient (store, "Edge Midnight", FALSE), "2026-11-18T00:00",
                     MESO_AREA_FACE);
  record_session_ok (store, add_patient (store, "Edge Late", FALSE), "2026-11-18T23:59",
                     MESO_AREA_FACE);
  record_session_ok (store, add_patient (store, "Edge Tonight", TRUE), "2026-11-21T23:30",
                     MESO_AREA_NECK);
  record_session_ok (store, add_patient (store, "Edge Autumn", FALSE), "2026-10-24T23:30",
                     MESO_AREA_FACE);
  record_session_ok (store, add_patient (store, "Edge Repeated Hour", TRUE), "2026-10-25T02:30",
                     MESO_AREA_SCALP);
  record_session_ok (store, add_patient (store, "Edge Spring", FALSE), "2026-03-28T23:30",
                     MESO_AREA_FACE);
  record_session_ok (store, add_patient (store, "Edge Gap", FALSE), "2026-03-26T02:30",
                     MESO_AREA_HANDS);

  /* Ties broken by patient, whose order differs from the sessions': the
   * later patient's session recorded first, at the very same time (one
   * overdue on 21 November, one due). */
  {
    gint64 first = add_patient (store, "Edge Tie First", FALSE);
    gint64 second = add_patient (store, "Edge Tie Second", FALSE);

    record_session_ok (store, second, "2026-09-30T10:00", MESO_AREA_FACE);
    record_session_ok (store, first, "2026-09-30T10:00", MESO_AREA_FACE);
    record_session_ok (store, second, "2026-10-30T10:00", MESO_AREA_NECK);
    record_session_ok (store, first, "2026-10-30T10:00", MESO_AREA_NECK);
  }

  /* Two areas; and one area twice within days (a clinician's override). */
  id = add_patient (store, "Edge Two Areas", FALSE);
  record_session_ok (store, id, "2026-10-01T10:00", MESO_AREA_FACE);
  record_session_ok (store, id, "2026-11-19T10:00", MESO_AREA_NECK);
  id = add_patient (store, "Edge Overridden", FALSE);
  record_with (store, id, "2026-11-17T10:00", MESO_AREA_FACE, NULL);
  record_with (store, id, "2026-11-20T10:00", MESO_AREA_FACE, "Uneven result, touch-up");

  /* Appointments: one booked that has passed without a session (as of
   * today), one checked in, one cancelled, one missed, one of another area. */
  g_setenv ("MESODESK_NOW", "2026-11-01T09:00", TRUE);
  id = add_patient (store, "Edge Past Booking", FALSE);
  record_session_ok (store, id, "2026-10-20T10:00", MESO_AREA_FACE);
  book_appointment_ok (store, id, "2026-11-18T10:00", MESO_AREA_FACE);
  /* Next sessions booked at midnight: the moisturiser ends as the day
   * begins (not listed that day) or as it ends (listed). */
  id = add_patient (store, "Edge Midnight Booking", FALSE);
  record_session_ok (store, id, "2026-10-20T10:00", MESO_AREA_FACE);
  book_appointment_ok (store, id, "2026-11-21T00:00", MESO_AREA_FACE);
  id = add_patient (store, "Edge Midnight After", FALSE);
  record_session_ok (store, id, "2026-10-20T10:00", MESO_AREA_FACE);
  book_appointment_ok (store, id, "2026-11-22T00:00", MESO_AREA_FACE);
  id = add_patient (store, "Edge No-Show", FALSE);
  record_session_ok (store, id, "2026-10-02T10:00", MESO_AREA_FACE);
  appointment = book_appointment_ok (store, id, "2026-11-03T10:00", MESO_AREA_FACE);
  g_setenv ("MESODESK_NOW", "2026-11-03T12:00", TRUE);
  assert_true (meso_store_set_appointment_status (store, appointment, MESO_APPOINTMENT_NO_SHOW,
                                                  &error));
  EXPECT_NO_ERROR ("no-show", error);
  g_setenv ("MESODESK_NOW", NOW, TRUE);

  id = add_patient (store, "Edge Checked In", FALSE);
  record_session_ok (store, id, "2026-10-15T10:00", MESO_AREA_FACE);
  appointment = book_appointment_ok (store, id, "2026-11-21T11:00", MESO_AREA_FACE);
  assert_true (meso_store_set_appointment_status (store, appointment, MESO_APPOINTMENT_CHECKED_IN,
                                                  &error));
  EXPECT_NO_ERROR ("check in", error);
  id = add_patient (store, "Edge Cancelled", FALSE);
  record_session_ok (store, id, "2026-10-15T10:00", MESO_AREA_FACE);
  appointment = book_appointment_ok (store, id, "2026-11-25T10:00", MESO_AREA_FACE);
  assert_true (meso_store_cancel_appointment (store, appointment, "ill", &error));
  id = add_patient (store, "Edge Other Area Booked", TRUE);
  record_session_ok (store, id, "2026-09-20T10:00", MESO_AREA_FACE);
  book_appointment_ok (store, id, "2026-11-26T10:00", MESO_AREA_NECK);

  /* Declined, finished; archived, and archived then restored. */
  id = add_patient (store, "Edge Declined", FALSE);
  record_session_ok (store, id, "2026-09-01T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_course_state (store, id, FALSE, TRUE, &error));
  id = add_patient (store, "Edge Finished", FALSE);
  record_session_ok (store, id, "2026-09-01T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_course_state (store, id, TRUE, FALSE, &error));
  id = add_patient (store, "Edge Archived", FALSE);
  record_session_ok (store, id, "2026-11-20T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_patient_archived (store, id, TRUE, &error));
  id = add_patient (store, "Edge Restored", FALSE);
  record_session_ok (store, id, "2026-09-15T10:00", MESO_AREA_FACE);
  assert_true (meso_store_set_patient_archived (store, id, TRUE, &error));
  assert_true (meso_store_set_patient_archived (store, id, FALSE, &error));
  EXPECT_NO_ERROR ("course states", error);
  /* Archived through an edit of the whole record. */
  id = add_patient (store, "Edge Archived By Edit", TRUE);
  record_session_ok (store, id, "2026-11-19T10:00", MESO_AREA_FACE);
  {
    g_autoptr(MesoPatient) patient = meso_store_get_patient (store, id, &error);

    assert_non_null (patient);
    meso_patient_set_archived (patient, TRUE);
    assert_true (meso_store_update_patient (store, patient, &error));
    EXPECT_NO_ERROR ("archive by edit", error);
  }
}

/* The panel (issue 17): one row per patient and area in Today, however many
 * instructions apply; the overdue whose window closed last on top (sensitive
 * skin's later window counted as the rules close it), ties by name; who
 * closed longer ago than the policy's lapsed_months apart, the border on
 * each side. The full list (the command line's) keeps one entry per item. */
static char *
panel_names (MesoStore        *store,
             MesoPanelSection  section)
{
  g_autoptr(GError) error = NULL;
  GDate day = make_day ("2026-11-21");
  g_autoptr(GPtrArray) rows = meso_store_list_panel_page (store, &day, section, 0, 0, &error);
  GString *names = g_string_new (NULL);

  EXPECT_NO_ERROR ("panel page", error);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      MesoReminder *r = g_ptr_array_index (rows, i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", r->patient);
    }
  return g_string_free (names, FALSE);
}

static void
test_panel_groups_orders_and_lapses (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  GDate day = make_day ("2026-11-21");
  guint counts[MESO_PANEL_N_SECTIONS] = { 0 };
  gint64 anna = add_patient_full (f->store, "Anna Zeit", FALSE, "0170 1", NULL);
  gint64 zora = add_patient (f->store, "Zora Gleich", FALSE);
  gint64 adam = add_patient (f->store, "Adam Gleich", FALSE);
  gint64 carla = add_patient (f->store, "Carla Normal", FALSE);
  gint64 bert = add_patient (f->store, "Bert Sensibel", TRUE);
  gint64 mia = add_patient (f->store, "Mia Grenze", FALSE);
  gint64 nina = add_patient (f->store, "Nina Drueber", FALSE);
  gint64 lena = add_patient (f->store, "Lena Alt", FALSE);

  record_session_ok (f->store, anna, "2026-11-20T15:00", MESO_AREA_FACE);
  book_appointment_ok (f->store, anna, "2026-12-22T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, zora, "2026-09-01T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, adam, "2026-09-01T11:00", MESO_AREA_FACE);
  /* Carla's last session is later than Bert's, but his window (sensitive
   * skin: 70 days) closed a week after hers (42). */
  record_session_ok (f->store, carla, "2026-09-10T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, bert, "2026-08-20T10:00", MESO_AREA_FACE);
  /* Windows closing 2026-05-21 (six months before the day: overdue) and
   * 2026-05-20 (lapsed). */
  record_session_ok (f->store, mia, "2026-04-09T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, nina, "2026-04-08T10:00", MESO_AREA_FACE);
  record_session_ok (f->store, lena, "2025-01-10T10:00", MESO_AREA_FACE);

  assert_true (meso_store_count_panel (f->store, &day, counts, &error));
  EXPECT_NO_ERROR ("counts", error);
  EXPECT_INT ("today: one row for Anna's face", 1, counts[MESO_PANEL_TODAY]);
  EXPECT_INT ("overdue", 5, counts[MESO_PANEL_OVERDUE]);
  EXPECT_INT ("lapsed", 2, counts[MESO_PANEL_LAPSED]);
  {
    g_autoptr(GPtrArray) today = meso_store_list_panel_page (f->store, &day, MESO_PANEL_TODAY,
                                                             0, 0, &error);
    g_autoptr(GPtrArray) full = reminders_on (f->store, "2026-11-21");
    MesoReminder *row;

    REQUIRE (today);
    assert_int_equal (1, today->len);
    row = g_ptr_array_index (today, 0);
    EXPECT_INT ("the row is no water", MESO_AFTERCARE_NO_WATER, row->kind);
    EXPECT_TIME ("no water until", "2026-11-21T15:00", row->until);
    EXPECT_TIME ("and sun protection until", "2026-11-23T15:00", row->sun_protection_until);
    EXPECT_TIME ("booked", "2026-12-22T10:00", row->booked_at);
    EXPECT_STR ("its phone", "0170 1", row->phone);
    /* The command line's list: still one line per instruction. */
    EXPECT ("full list: no water", find_reminder (full, anna, MESO_AFTERCARE_NO_WATER) != NULL);
    EXPECT ("full list: sun", find_reminder (full, anna, MESO_AFTERCARE_SUN_PROTECTION) != NULL);
  }
  {
    g_autofree char *overdue = panel_names (f->store, MESO_PANEL_OVERDUE);
    g_autofree char *lapsed = panel_names (f->store, MESO_PANEL_LAPSED);
    g_autoptr(GPtrArray) page = meso_store_list_panel_page (f->store, &day, MESO_PANEL_OVERDUE,
                                                            4, 1, &error);

    EXPECT_STR ("overdue: latest closed first, ties by name",
                "Bert Sensibel, Carla Normal, Adam Gleich, Zora Gleich, Mia Grenze", overdue);
    EXPECT_STR ("lapsed: the border's day first", "Nina Drueber, Lena Alt", lapsed);
    REQUIRE (page);
    assert_int_equal (1, page->len);
    EXPECT_TIME ("Mia's window closed on 2026-05-21", "2026-05-22T00:00",
                 ((MesoReminder *)g_ptr_array_index (page, 0))->until);
  }
  {
    MesoPolicy policy;

    assert_true (meso_store_load_policy (f->store, &policy, &error));
    policy.lapsed_months = 12;
    assert_true (meso_store_save_policy (f->store, &policy, &error));
    assert_true (meso_store_count_panel (f->store, &day, counts, &error));
    EXPECT_INT ("overdue, a year", 6, counts[MESO_PANEL_OVERDUE]);
    EXPECT_INT ("lapsed, a year", 1, counts[MESO_PANEL_LAPSED]);
  }
}

static void
test_panel_is_the_list_exactly (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  /* Longer intervals, 36 h without water, 4 days of sun protection, no
   * listing before the window; then a due-soon longer than the shortest
   * interval, so a session is due from its own day. */
  static const MesoPolicy policies[] = {
    { 35, 49, 63, 77, 36, 4, 0, 1, 5 },
    { 28, 42, 56, 70, 24, 3, 30, 24, 5 },
  };
  guint total = 0;

  assert_true (meso_store_generate_demo (f->store, 300, 7, &error));
  EXPECT_NO_ERROR ("demo", error);
  add_edge_cases (f->store);
  everyone = load_everyone (f);

  for (guint i = 0; i < G_N_ELEMENTS (check_days); i++)
    check_day (f, everyone, check_days[i], &total);
  /* Not a vacuous proof: the days hold entries of every kind. */
  EXPECT_INT ("entries checked", TRUE, total > 1000);

  for (guint p = 0; p < G_N_ELEMENTS (policies); p++)
    {
      assert_true (meso_store_save_policy (f->store, &policies[p], &error));
      EXPECT_NO_ERROR ("policy", error);
      for (guint i = 0; i < G_N_ELEMENTS (check_days); i++)
        check_day (f, everyone, check_days[i], &total);
    }
}

/* The store carves reminders out of shared blocks: one taken from the list
 * outlives the list and the others, byte for byte (AddressSanitizer's
 * build sees any read of a block freed too early), however they are freed. */
static void
test_reminders_outlive_their_list (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GDate day = make_day ("2026-11-21");
  GString *longest = g_string_new (NULL);
  gboolean longest_seen = FALSE;

  /* The longest name there can be, four bytes a character. */
  for (int i = 0; i < 200; i++)
    g_string_append (longest, "\U0001F642");
  assert_true (meso_store_generate_demo (f->store, 300, 7, &error));
  EXPECT_NO_ERROR ("demo", error);
  record_session_ok (f->store, add_patient (f->store, longest->str, FALSE), "2026-11-20T10:00",
                     MESO_AREA_FACE);

  list = meso_store_list_reminders (f->store, &day, &error);
  EXPECT_NO_ERROR ("list", error);
  assert_non_null (list);
  /* Enough for several blocks: over a hundred bytes each, the first
   * block 4 kB, the next 8 kB. */
  EXPECT_INT ("reminders listed", TRUE, list->len > 120);
  /* Every seventh, the last and the longest, taken from the end. */
  for (guint i = list->len; i-- > 0;)
    {
      MesoReminder *reminder = g_ptr_array_index (list, i);

      if (i % 7 != 0 && i != list->len - 1 && strcmp (reminder->patient, longest->str) != 0)
        continue;
      g_ptr_array_add (names, g_strdup (reminder->patient));
      g_array_append_val (ids, reminder->session_id);
      g_ptr_array_add (kept, g_ptr_array_steal_index (list, i));
    }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The list's last one first, then the others from the list's first on. */
  g_ptr_array_remove_index (kept, 0);
  g_ptr_array_remove_index (names, 0);
  g_array_remove_index (ids, 0);
  for (guint i = 0; i < kept->len; i++)
    {
      MesoReminder *reminder = g_ptr_array_index (kept, i);

      EXPECT_STR ("the name", g_ptr_array_index (names, i), reminder->patient);
      EXPECT_INT ("the session", g_array_index (ids, gint64, i), reminder->session_id);
      longest_seen |= strcmp (reminder->patient, longest->str) == 0;
    }
  assert_true (longest_seen);
  while (kept->len > 0)
    g_ptr_array_remove_index (kept, kept->len - 1);
  g_string_free (longest, TRUE);
}

/* Every kind is present on the days checked, so each section was tried. */
static void
test_panel_counts_every_kind (void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  guint counts[MESO_AFTERCARE_OVERDUE + 1] = { 0 };
  GDate day = make_day ("2026-11-21");

  assert_true (meso_store_generate_demo (f->store, 300, 7, &error));
  add_edge_cases (f->store);
  assert_true (meso_store_count_reminders (f->store, &day, counts, &error));
  EXPECT_NO_ERROR ("counts", error);
  for (MesoAftercareKind kind = 0; kind <= MESO_AFTERCARE_OVERDUE; kind++)
    EXPECT (meso_enum_to_nick (MESO_TYPE_AFTERCARE_KIND, kind), counts[kind] > 0);

  /* The panel's sections: each count its list's length, the overdue split
   * into recent and lapsed and nothing lost, Today one row per area. */
  {
    static const char *const names[] = { "today", "moisturise", "due", "overdue", "lapsed" };
    guint panel[MESO_PANEL_N_SECTIONS] = { 0 };
    g_autoptr(GHashTable) areas = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);

    assert_true (meso_store_count_panel (f->store, &day, panel, &error));
    EXPECT_NO_ERROR ("panel counts", error);
    EXPECT_INT ("moisturise", counts[MESO_AFTERCARE_MOISTURISE], panel[MESO_PANEL_MOISTURISE]);
    EXPECT_INT ("due", counts[MESO_AFTERCARE_FOLLOW_UP_DUE], panel[MESO_PANEL_DUE]);
    EXPECT_INT ("overdue and lapsed", counts[MESO_AFTERCARE_OVERDUE],
                panel[MESO_PANEL_OVERDUE] + panel[MESO_PANEL_LAPSED]);
    EXPECT ("some overdue", panel[MESO_PANEL_OVERDUE] > 0);
    EXPECT ("some lapsed", panel[MESO_PANEL_LAPSED] > 0);
    EXPECT ("today grouped", panel[MESO_PANEL_TODAY] > 0 &&
            panel[MESO_PANEL_TODAY] < counts[MESO_AFTERCARE_NO_WATER] +
                                      counts[MESO_AFTERCARE_SUN_PROTECTION]);
    for (MesoPanelSection section = 0; section < MESO_PANEL_N_SECTIONS; section++)
      {
        g_autoptr(GPtrArray) rows = meso_store_list_panel_page (f->store, &day, section, 0, 0,
                                                                &error);

        EXPECT_NO_ERROR (names[section], error);
        REQUIRE (rows);
        EXPECT_INT (names[section], panel[section], rows->len);
        if (section != MESO_PANEL_TODAY)
          continue;
        for (guint i = 0; i < rows->len; i++)
          {
            MesoReminder *r = g_ptr_array_index (rows, i);
            gint64 key = r->patient_id * 16 + r->area;

            EXPECT ("one row per patient and area", !g_hash_table_contains (areas, &key));
            g_hash_table_add (areas, g_memdup2 (&key, sizeof key));
          }
      }
  }

  /* The panel as the view loads it, in one call: the same counts, and each
   * section asked for has the first rows of its page, the others none. */
  {
    static const guint limit = 7;
    guint panel[MESO_PANEL_N_SECTIONS] = { 0 }, loaded[MESO_PANEL_N_SECTIONS] = { 0 };
    GPtrArray *pages[MESO_PANEL_N_SECTIONS] = { NULL };
    guint sections = 1u << MESO_PANEL_TODAY | 1u << MESO_PANEL_DUE | 1u << MESO_PANEL_OVERDUE;

    assert_true (meso_store_count_panel (f->store, &day, panel, &error));
    assert_true (meso_store_load_panel (f->store, &day, sections, limit, loaded, pages, &error));
    EXPECT_NO_ERROR ("panel loaded", error);
    for (MesoPanelSection section = 0; section < MESO_PANEL_N_SECTIONS; section++)
      {
        g_autoptr(GPtrArray) page = NULL;

        EXPECT_INT ("the same count", panel[section], loaded[section]);
        if ((sections & (1u << section)) == 0)
          {
            EXPECT ("a section not asked for has no page", pages[section] == NULL);
            continue;
          }
        page = meso_store_list_panel_page (f->store, &day, section, 0, limit, &error);
        REQUIRE (page);
        REQUIRE (pages[section]);
        EXPECT_INT ("the page's length", MIN (limit, panel[section]), pages[section]->len);
        EXPECT_INT ("the page's length as listed", page->len, pages[section]->len);
        for (guint i = 0; i < MIN (page->len, pages[section]->len); i++)
          {
            MesoReminder *a = g_ptr_array_index (page, i), *b = g_ptr_array_index (pages[section], i);

            EXPECT ("the same rows in the same order",
                    a->patient_id == b->patient_id && a->area == b->area &&
                    a->session_id == b->session_id && a->kind == b->kind);
          }
      }
    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      g_clear_pointer (&pages[i], g_ptr_array_unref);
  }
}

typedef struct
{
  const char *what;
  guint       interval_min_days;
  guint       interval_max_days;
  guint       sensitive_min_days;
  guint       sensitive_max_days;
  guint       no_water_hours;
  guint       sun_protection_days;
} PolicyCase;

static const PolicyCase below_bounds[] = {
  { "shortest interval 27 days", 27, 42, 56, 70, 24, 3 },
  { "longest interval before the shortest", 28, 27, 56, 70, 24, 3 },
  { "sensitive shortest 55 days", 28, 42, 55, 70, 24, 3 },
  { "sensitive longest before its shortest", 28, 42, 56, 55, 24, 3 },
  { "no water for 23 hours", 28, 42, 56, 70, 23, 3 },
  { "sun protection for 2 days", 28, 42, 56, 70, 24, 2 },
  { "sensitive shorter than the normal minimum", 60, 70, 56, 70, 24, 3 },
};

static MesoPolicy
policy_from_case (const PolicyCase *c)
{
  MesoPolicy policy = *meso_policy_get_default ();

  policy.interval_min_days = c->interval_min_days;
  policy.interval_max_days = c->interval_max_days;
  policy.sensitive_min_days = c->sensitive_min_days;
  policy.sensitive_max_days = c->sensitive_max_days;
  policy.no_water_hours = c->no_water_hours;
  policy.sun_protection_days = c->sun_protection_days;
  return policy;
}

static void
test_policy_below_bounds_refused (void **state)
{
  Fixture *f = *state;
  gint64 course = add_patient (f->store, "Paula Grenze", FALSE);
  guint audit;

  record_session_ok (f->store, course, "2026-11-01T10:00", MESO_AREA_FACE);
  audit = count_audit (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (below_bounds); i++)
    {
      g_autoptr(GError) error = NULL;
      MesoPolicy policy = policy_from_case (&below_bounds[i]);
      MesoPolicy loaded = { 0 };

      EXPECT (below_bounds[i].what, !meso_store_save_policy (f->store, &policy, &error));
      EXPECT (below_bounds[i].what, error != NULL && error->message[0] != '\0');
      g_clear_error (&error);
      assert_true (meso_store_load_policy (f->store, &loaded, &error));
      EXPECT (below_bounds[i].what,
              memcmp (&loaded, meso_policy_get_default (), sizeof loaded) == 0);
      EXPECT_INT (below_bounds[i].what, audit, count_audit (f->store));
    }
  EXPECT_STR ("the windows did not move", "due", recall_on (f->store, course, "2026-11-22"));

  /* Exactly the hard bounds are allowed. */
  {
    g_autoptr(GError) error = NULL;
    MesoPolicy loaded = { 0 };

    assert_true (meso_store_save_policy (f->store, meso_policy_get_minimum (), &error));
    EXPECT_NO_ERROR ("the hard bounds themselves", error);
    assert_true (meso_store_load_policy (f->store, &loaded, &error));
    EXPECT ("stored", memcmp (&loaded, meso_policy_get_minimum (), sizeof loaded) == 0);
  }
}

/* A policy below the hard bounds is invalid input for the store like any
 * other (MESO_STORE_ERROR_INVALID), so mesodesk-cli exits 2 for it. */
static void
test_policy_error_is_a_store_error (void **state)
{
  Fixture *f = *state;

  for (guint i = 0; i < G_N_ELEMENTS (below_bounds); i++)
    {
      MesoPolicy policy = policy_from_case (&below_bounds[i]);
      GError *error = NULL;
      gboolean saved = meso_store_save_policy (f->store, &policy, &error);
      gboolean invalid = g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID);

      if (!invalid)
        print_error ("case \"%s\": expected MESO_STORE_ERROR_INVALID, got %s %d: %s\n",
                     below_bounds[i].what,
                     error ? g_quark_to_string (error->domain) : "no error",
                     error ? error->code : 0, error ? error->message : "");
      g_clear_error (&error);  /* before failing, so a failure reports no leak */
      EXPECT (below_bounds[i].what, !saved);
      EXPECT (below_bounds[i].what, invalid);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_reminders_first_days, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_booked_follow_up, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_phone_booked_and_overdue_order, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_window_borders, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_declined_and_finished, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_reminders_daylight_saving, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_archived_not_listed, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_follow_patient_changes, setup_store,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_reminders_follow_policy, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_panel_is_the_list_exactly, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_panel_groups_orders_and_lapses, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_panel_counts_every_kind, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_reminders_outlive_their_list, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_policy_below_bounds_refused, setup_store, teardown),
    cmocka_unit_test_setup_teardown (test_policy_error_is_a_store_error, setup_store, teardown),
  };

  return MESO_TEST_RUN_ENGINE_TESTS (tests, NOW);
}
