/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinical rules R1–R6 of clinical-rules.md, their verdicts and their
 * vocabulary: a case on each side of every border. Runs in Europe/Berlin so
 * that the daylight-saving changes of 29 March and 25 October 2026 are crossed. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-enum-types.h"
#include "meso-i18n.h"
#include "meso-number.h"
#include "meso-policy.h"
#include "meso-rules.h"
#include "meso-time.h"
#include "meso-types.h"
#include "meso-verdict.h"

#include "meso-test.h"

#include <locale.h>

#define MAX_SESSIONS 4
#define MAX_FLAGS    2

/* A clinic that lengthened its intervals to 5–7 weeks (9–11 sensitive). */
static const MesoPolicy lengthened_policy = { 35, 49, 63, 77, 24, 3, 7, 6, 5 };
/* One that lists a follow-up only once its window is open. */
static const MesoPolicy no_due_soon_policy = { 28, 42, 56, 70, 24, 3, 0, 6, 5 };

/* Helpers: test data, and printing independent of the code under test */

/* @expected NULL means "no end". */
static void
expect_date_time (const char *what,
                  const char *expected,
                  GDateTime  *actual)
{
  g_autoptr(GDateTime) want = local_time (expected);

  if ((want == NULL) != (actual == NULL) ||
      (want != NULL && !g_date_time_equal (want, actual)))
    {
      g_autofree char *text = actual != NULL
        ? g_date_time_format (actual, "%Y-%m-%dT%H:%M %z") : g_strdup ("(null)");

      print_error ("case \"%s\": expected %s local, got %s\n", what,
                   expected != NULL ? expected : "(null)", text);
      fail ();
    }
}

static const char *
kind_name (MesoVerdictKind kind)
{
  switch (kind)
    {
    case MESO_VERDICT_OK: return "ok";
    case MESO_VERDICT_WARNING: return "warning";
    case MESO_VERDICT_REFUSED: return "refused";
    case MESO_VERDICT_INVALID: return "invalid";
    default: return "(unknown kind)";
    }
}

static const char *
resolution_name (MesoResolution resolution)
{
  switch (resolution)
    {
    case MESO_RESOLUTION_NONE: return "none";
    case MESO_RESOLUTION_OVERRIDE: return "override";
    case MESO_RESOLUTION_CONFIRM: return "confirm";
    default: return "(unknown resolution)";
    }
}

/* Kind and rule; every non-ok verdict explains itself. */
static void
expect_verdict (const char      *what,
                MesoVerdict     *verdict,
                MesoVerdictKind  kind,
                const char      *rule)
{
  const char *message;

  if (verdict == NULL)
    {
      print_error ("case \"%s\": no verdict\n", what);
      fail ();
    }
  message = meso_verdict_get_message (verdict);
  if (meso_verdict_get_kind (verdict) != kind)
    {
      print_error ("case \"%s\": expected %s, got %s (\"%s\")\n", what, kind_name (kind),
                   kind_name (meso_verdict_get_kind (verdict)),
                   message != NULL ? message : "(null)");
      fail ();
    }
  EXPECT_STR (what, rule, meso_verdict_get_rule (verdict));
  if (kind != MESO_VERDICT_OK)
    EXPECT (what, message != NULL && *message != '\0');
}

static void
expect_resolution (const char     *what,
                   MesoVerdict    *verdict,
                   MesoResolution  resolution)
{
  MesoResolution actual = meso_verdict_get_resolution (verdict);

  if (actual != resolution)
    {
      print_error ("case \"%s\": expected resolution %s, got %s\n", what,
                   resolution_name (resolution), resolution_name (actual));
      fail ();
    }
}

/* A patient's sessions and flags, built from a table row. */

typedef struct
{
  gint64      id;         /* 0: a distinct one is made up */
  const char *at;         /* NULL ends the list */
  MesoArea    area;
  gboolean    cancelled;
} SessionSpec;

typedef struct
{
  MesoContraindication kind;
  const char          *noted;    /* NULL ends the list */
  const char          *cleared;  /* NULL: still active */
} FlagSpec;

typedef struct
{
  MesoSessionRef   sessions[MAX_SESSIONS];
  GDateTime       *session_ats[MAX_SESSIONS];
  MesoFlag         flags[MAX_FLAGS];
  MesoPatientFacts facts;
} Patient;

static void
patient_init (Patient           *patient,
              gboolean           sensitive_skin,
              const SessionSpec *sessions,
              const FlagSpec    *flags)
{
  guint n_sessions = 0, n_flags = 0;

  memset (patient, 0, sizeof *patient);
  for (guint i = 0; sessions != NULL && i < MAX_SESSIONS && sessions[i].at != NULL; i++)
    {
      patient->session_ats[i] = local_time (sessions[i].at);
      patient->sessions[i].id = sessions[i].id != 0 ? sessions[i].id : 100 + (gint64) i;
      patient->sessions[i].at = patient->session_ats[i];
      patient->sessions[i].area = sessions[i].area;
      patient->sessions[i].cancelled = sessions[i].cancelled;
      n_sessions++;
    }
  for (guint i = 0; flags != NULL && i < MAX_FLAGS && flags[i].noted != NULL; i++)
    {
      patient->flags[i].kind = flags[i].kind;
      make_date (&patient->flags[i].noted_on, flags[i].noted);
      make_date (&patient->flags[i].cleared_on, flags[i].cleared);
      n_flags++;
    }
  patient->facts.sensitive_skin = sensitive_skin;
  patient->facts.sessions = patient->sessions;
  patient->facts.n_sessions = n_sessions;
  patient->facts.flags = patient->flags;
  patient->facts.n_flags = n_flags;
}

static void
patient_clear (Patient *patient)
{
  for (guint i = 0; i < MAX_SESSIONS; i++)
    g_clear_pointer (&patient->session_ats[i], g_date_time_unref);
}

/* Verdicts */

static void
test_verdict_accessors (void **state)
{
  g_autoptr(MesoVerdict) warning = meso_verdict_new (MESO_VERDICT_WARNING, "R1", "late");
  g_autoptr(MesoVerdict) refused = meso_verdict_new_refused ("R2", MESO_RESOLUTION_CONFIRM,
                                                             "caution");
  g_autoptr(MesoVerdict) ok = meso_verdict_new_ok ("R3");

  expect_verdict ("new", warning, MESO_VERDICT_WARNING, "R1");
  EXPECT_STR ("new", "late", meso_verdict_get_message (warning));
  expect_verdict ("new_refused", refused, MESO_VERDICT_REFUSED, "R2");
  EXPECT_STR ("new_refused", "caution", meso_verdict_get_message (refused));
  expect_resolution ("new_refused", refused, MESO_RESOLUTION_CONFIRM);
  expect_verdict ("new_ok", ok, MESO_VERDICT_OK, "R3");
}

/* Closing paragraph (structured verdict): refused and invalid block; ok and
 * warning do not. */
static const struct
{
  const char      *what;
  MesoVerdictKind  kind;
  gboolean         blocking;
} blocking_cases[] = {
  { "ok", MESO_VERDICT_OK, FALSE },
  { "warning", MESO_VERDICT_WARNING, FALSE },
  { "refused", MESO_VERDICT_REFUSED, TRUE },
  { "invalid", MESO_VERDICT_INVALID, TRUE },
};

static MesoVerdict *
make_verdict (MesoVerdictKind kind,
              const char     *rule,
              MesoResolution  resolution,
              const char     *message)
{
  if (kind == MESO_VERDICT_OK)
    return meso_verdict_new_ok (rule);
  if (kind == MESO_VERDICT_REFUSED)
    return meso_verdict_new_refused (rule, resolution, message);
  return meso_verdict_new (kind, rule, message);
}

static void
test_verdict_is_blocking (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (blocking_cases); i++)
    {
      g_autoptr(MesoVerdict) verdict = make_verdict (blocking_cases[i].kind, "R1",
                                                     MESO_RESOLUTION_NONE, "why");

      EXPECT_INT (blocking_cases[i].what, blocking_cases[i].blocking,
                  meso_verdict_is_blocking (verdict));
    }
}

/* Closing paragraph (structured verdict): invalid > refused > warning > ok,
 * in any order; nothing is ok. */
static const struct
{
  const char      *what;
  guint            n;
  MesoVerdictKind  kinds[4];
  MesoVerdictKind  worst;
} worst_cases[] = {
  { "empty", 0, { 0 }, MESO_VERDICT_OK },
  { "one ok", 1, { MESO_VERDICT_OK }, MESO_VERDICT_OK },
  { "ok, warning", 2, { MESO_VERDICT_OK, MESO_VERDICT_WARNING }, MESO_VERDICT_WARNING },
  { "warning, ok", 2, { MESO_VERDICT_WARNING, MESO_VERDICT_OK }, MESO_VERDICT_WARNING },
  { "warning, refused, ok", 3, { MESO_VERDICT_WARNING, MESO_VERDICT_REFUSED, MESO_VERDICT_OK },
    MESO_VERDICT_REFUSED },
  { "refused, invalid", 2, { MESO_VERDICT_REFUSED, MESO_VERDICT_INVALID }, MESO_VERDICT_INVALID },
  { "invalid, refused, warning, ok", 4,
    { MESO_VERDICT_INVALID, MESO_VERDICT_REFUSED, MESO_VERDICT_WARNING, MESO_VERDICT_OK },
    MESO_VERDICT_INVALID },
};

static void
test_verdict_worst (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (worst_cases); i++)
    {
      const char *what = worst_cases[i].what;
      g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(MesoVerdict) worst = NULL;

      for (guint j = 0; j < worst_cases[i].n; j++)
        g_ptr_array_add (verdicts, make_verdict (worst_cases[i].kinds[j], "R1",
                                                 MESO_RESOLUTION_NONE, "why"));
      worst = meso_verdict_worst (verdicts);
      EXPECT (what, worst != NULL);
      if (meso_verdict_get_kind (worst) != worst_cases[i].worst)
        {
          print_error ("case \"%s\": expected %s, got %s\n", what,
                       kind_name (worst_cases[i].worst),
                       kind_name (meso_verdict_get_kind (worst)));
          fail ();
        }
      EXPECT_INT (what, worst_cases[i].n, verdicts->len);
    }
}

static void
test_verdict_join_messages (void **state)
{
  g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *joined = NULL;
  const char *late, *refused;

  g_ptr_array_add (verdicts, meso_verdict_new (MESO_VERDICT_WARNING, "R1", "LATE-MESSAGE"));
  g_ptr_array_add (verdicts, meso_verdict_new_ok ("R3"));
  g_ptr_array_add (verdicts, meso_verdict_new_refused ("R2", MESO_RESOLUTION_NONE,
                                                       "ACNE-MESSAGE"));
  joined = meso_verdict_join_messages (verdicts);

  EXPECT_CONTAINS ("join", joined, "LATE-MESSAGE");
  EXPECT_CONTAINS ("join", joined, "ACNE-MESSAGE");
  late = strstr (joined, "LATE-MESSAGE");
  refused = strstr (joined, "ACNE-MESSAGE");
  EXPECT ("join: worst first", refused < late);
  EXPECT ("join: one a line", memchr (refused, '\n', (size_t) (late - refused)) != NULL);
}

/* R1: the treatment interval */

typedef struct
{
  const char        *what;
  gboolean           sensitive;
  const MesoPolicy  *policy;        /* NULL: the defaults */
  SessionSpec        sessions[MAX_SESSIONS];
  const char        *at;
  MesoArea           area;
  gint64             id;
  MesoVerdictKind    kind;
  const char        *names;         /* a refusal names the neighbour's date */
  const char        *days;          /* and the days required */
} IntervalCase;

#define PREV "2026-01-05T10:00"

/* R1 rows: 4–6 weeks (28–42 d), sensitive 56–70 d; per area; both neighbours,
 * recorded or booked, not cancelled; closer than the minimum refused (a
 * clinician may override), later than the maximum a warning; calendar days. */
static const IntervalCase interval_cases[] = {
  { "no sessions at all", .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "27 days after the previous: refused", .sessions = { { 0, PREV } },
    .at = "2026-02-01T10:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },
  { "28 days after the previous: ok", .sessions = { { 0, PREV } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "42 days after the previous: ok", .sessions = { { 0, PREV } },
    .at = "2026-02-16T10:00", .kind = MESO_VERDICT_OK },
  { "43 days after the previous: late warning", .sessions = { { 0, PREV } },
    .at = "2026-02-17T10:00", .kind = MESO_VERDICT_WARNING },
  { "the same day, later: refused (0 days)", .sessions = { { 0, "2026-01-05T09:00" } },
    .at = "2026-01-05T15:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },
  { "calendar days, not hours: 18:00 to 08:00 28 days on is ok",
    .sessions = { { 0, "2026-01-05T18:00" } }, .at = "2026-02-02T08:00", .kind = MESO_VERDICT_OK },
  { "calendar days, not hours: 08:00 to 18:00 27 days on is refused",
    .sessions = { { 0, "2026-01-05T08:00" } }, .at = "2026-02-01T18:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },

  { "sensitive: 55 days: refused", TRUE, .sessions = { { 0, PREV } },
    .at = "2026-03-01T10:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "56" },
  { "sensitive: 56 days: ok", TRUE, .sessions = { { 0, PREV } },
    .at = "2026-03-02T10:00", .kind = MESO_VERDICT_OK },
  { "sensitive: 70 days: ok", TRUE, .sessions = { { 0, PREV } },
    .at = "2026-03-16T10:00", .kind = MESO_VERDICT_OK },
  { "sensitive: 71 days: late warning", TRUE, .sessions = { { 0, PREV } },
    .at = "2026-03-17T10:00", .kind = MESO_VERDICT_WARNING },

  { "27 days before a booked session: refused", .sessions = { { 0, "2026-03-02T10:00" } },
    .at = "2026-02-03T10:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-03-02", .days = "28" },
  { "28 days before a booked session: ok", .sessions = { { 0, "2026-03-02T10:00" } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "long before a booked session: ok (the maximum looks back only)",
    .sessions = { { 0, "2026-03-02T10:00" } }, .at = "2025-11-01T10:00", .kind = MESO_VERDICT_OK },
  { "the same day, earlier than a booked session: refused",
    .sessions = { { 0, "2026-03-02T15:00" } }, .at = "2026-03-02T09:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-03-02", .days = "28" },
  { "sensitive: 55 days before a booked session: refused", TRUE,
    .sessions = { { 0, "2026-05-01T10:00" } }, .at = "2026-03-07T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-05-01", .days = "56" },
  { "sensitive: 56 days before a booked session: ok", TRUE,
    .sessions = { { 0, "2026-05-01T10:00" } }, .at = "2026-03-06T10:00", .kind = MESO_VERDICT_OK },

  { "in between, 28 days from both: ok",
    .sessions = { { 0, PREV }, { 0, "2026-03-02T10:00" } }, .at = "2026-02-02T10:00",
    .kind = MESO_VERDICT_OK },
  { "in between, 27 days after the previous: refused",
    .sessions = { { 0, PREV }, { 0, "2026-03-02T10:00" } }, .at = "2026-02-01T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },
  { "in between, 27 days before the next: refused",
    .sessions = { { 0, PREV }, { 0, "2026-03-02T10:00" } }, .at = "2026-02-03T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-03-02", .days = "28" },

  { "the nearest previous counts, whatever the order",
    .sessions = { { 0, "2025-10-01T10:00" }, { 0, PREV }, { 0, "2025-12-01T10:00" } },
    .at = "2026-02-01T10:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },
  { "an older session does not make a recent gap late",
    .sessions = { { 0, "2025-06-01T10:00" }, { 0, PREV } }, .at = "2026-02-02T10:00",
    .kind = MESO_VERDICT_OK },
  { "only an old session: late warning", .sessions = { { 0, "2025-06-01T10:00" } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_WARNING },
  { "the nearest next counts, whatever the order",
    .sessions = { { 0, "2026-06-01T10:00" }, { 0, "2026-03-02T10:00" },
                  { 0, "2026-04-01T10:00" } },
    .at = "2026-02-03T10:00", .kind = MESO_VERDICT_REFUSED, .names = "2026-03-02", .days = "28" },

  { "a cancelled session before is ignored",
    .sessions = { { 0, PREV }, { 0, "2026-01-25T10:00", .cancelled = TRUE } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "a cancelled booking after is ignored",
    .sessions = { { 0, PREV }, { 0, "2026-02-10T10:00", .cancelled = TRUE } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "only a cancelled session: no neighbour, not late either",
    .sessions = { { 0, "2025-06-01T10:00", .cancelled = TRUE },
                  { 0, "2026-01-30T10:00", .cancelled = TRUE } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },

  { "another area before is ignored",
    .sessions = { { 0, PREV }, { 0, "2026-01-30T10:00", MESO_AREA_NECK } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "another area after is ignored",
    .sessions = { { 0, PREV }, { 0, "2026-02-05T10:00", MESO_AREA_SCALP } },
    .at = "2026-02-02T10:00", .kind = MESO_VERDICT_OK },
  { "each area keeps its own interval",
    .sessions = { { 0, PREV }, { 0, "2026-01-30T10:00", MESO_AREA_NECK } },
    .at = "2026-02-02T10:00", .area = MESO_AREA_NECK,
    .kind = MESO_VERDICT_REFUSED, .names = "2026-01-30", .days = "28" },

  { "moving an appointment: its own old slot is no neighbour",
    .sessions = { { 1, PREV }, { 2, "2026-02-10T10:00" } }, .at = "2026-02-05T10:00", .id = 2,
    .kind = MESO_VERDICT_OK },
  { "a new booking (id 0) next to that slot: refused",
    .sessions = { { 1, PREV }, { 2, "2026-02-10T10:00" } }, .at = "2026-02-05T10:00", .id = 0,
    .kind = MESO_VERDICT_REFUSED, .names = "2026-02-10", .days = "28" },
  { "moving another appointment next to that slot: refused",
    .sessions = { { 1, PREV }, { 2, "2026-02-10T10:00" } }, .at = "2026-02-05T10:00", .id = 3,
    .kind = MESO_VERDICT_REFUSED, .names = "2026-02-10", .days = "28" },
  { "a moved appointment is still checked against the others",
    .sessions = { { 1, PREV }, { 2, "2026-02-10T10:00" } }, .at = "2026-02-01T10:00", .id = 2,
    .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "28" },

  { "spring change: 28 calendar days (28 d - 1 h): ok",
    .sessions = { { 0, "2026-03-10T10:00" } }, .at = "2026-04-07T10:00", .kind = MESO_VERDICT_OK },
  { "spring change: 27 calendar days: refused",
    .sessions = { { 0, "2026-03-10T10:00" } }, .at = "2026-04-06T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-03-10", .days = "28" },
  { "spring change: 42 calendar days: ok",
    .sessions = { { 0, "2026-03-10T10:00" } }, .at = "2026-04-21T10:00", .kind = MESO_VERDICT_OK },
  { "spring change: 43 calendar days: late warning",
    .sessions = { { 0, "2026-03-10T10:00" } }, .at = "2026-04-22T10:00",
    .kind = MESO_VERDICT_WARNING },
  { "spring change: 28 calendar days before a booked session: ok",
    .sessions = { { 0, "2026-04-07T10:00" } }, .at = "2026-03-10T10:00", .kind = MESO_VERDICT_OK },
  { "spring change: 27 calendar days before a booked session: refused",
    .sessions = { { 0, "2026-04-07T10:00" } }, .at = "2026-03-11T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-04-07", .days = "28" },
  { "autumn change: 28 calendar days (28 d + 1 h): ok",
    .sessions = { { 0, "2026-10-01T10:00" } }, .at = "2026-10-29T10:00", .kind = MESO_VERDICT_OK },
  { "autumn change: 27 calendar days (27 d + 1 h): refused",
    .sessions = { { 0, "2026-10-02T10:00" } }, .at = "2026-10-29T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-10-02", .days = "28" },

  { "lengthened policy: 34 days: refused", .policy = &lengthened_policy,
    .sessions = { { 0, PREV } }, .at = "2026-02-08T10:00",
    .kind = MESO_VERDICT_REFUSED, .names = "2026-01-05", .days = "35" },
  { "lengthened policy: 35 days: ok", .policy = &lengthened_policy,
    .sessions = { { 0, PREV } }, .at = "2026-02-09T10:00", .kind = MESO_VERDICT_OK },
  { "lengthened policy: 49 days: ok", .policy = &lengthened_policy,
    .sessions = { { 0, PREV } }, .at = "2026-02-23T10:00", .kind = MESO_VERDICT_OK },
  { "lengthened policy: 50 days: late warning", .policy = &lengthened_policy,
    .sessions = { { 0, PREV } }, .at = "2026-02-24T10:00", .kind = MESO_VERDICT_WARNING },
};

static void
test_check_interval (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (interval_cases); i++)
    {
      const IntervalCase *c = &interval_cases[i];
      const MesoPolicy *policy = c->policy != NULL ? c->policy : meso_policy_get_default ();
      g_autoptr(GDateTime) at = local_time (c->at);
      g_autoptr(MesoVerdict) verdict = NULL;
      MesoTreatmentPlan plan = { .id = c->id, .at = at, .area = c->area, .needle_um = 1000 };
      Patient patient;

      patient_init (&patient, c->sensitive, c->sessions, NULL);
      verdict = meso_rules_check_interval (policy, &patient.facts, &plan);
      patient_clear (&patient);

      expect_verdict (c->what, verdict, c->kind, "R1");
      if (c->kind == MESO_VERDICT_REFUSED)
        {
          expect_resolution (c->what, verdict, MESO_RESOLUTION_OVERRIDE);
          EXPECT_CONTAINS (c->what, meso_verdict_get_message (verdict), c->names);
          EXPECT_CONTAINS (c->what, meso_verdict_get_message (verdict), c->days);
        }
    }
}

/* Verdicts name dates as the person writes them (issue 17): the window's
 * default is the locale's short form, in its language; the command line asks
 * for ISO, in any language. */
static const struct
{
  const char *locale;
  MesoMessageDates dates;
  const char *words;      /* the rule's name, translated */
  const char *last;       /* 2026-01-05 */
  const char *earliest;   /* 2026-02-02 */
  const char *noted;      /* 2026-03-01 */
  const char *acne;       /* the flag's label */
} verdict_locales[] = {
  { "de_DE.UTF-8", MESO_MESSAGE_DATES_LOCALE, "Behandlungsabstand", "05.01.2026", "02.02.2026",
    "01.03.2026", "festgestellt" },
  { "en_US.UTF-8", MESO_MESSAGE_DATES_LOCALE, "treatment interval", "01/05/2026", "02/02/2026",
    "03/01/2026", "noted" },
  { "de_DE.UTF-8", MESO_MESSAGE_DATES_ISO, "Behandlungsabstand", "2026-01-05", "2026-02-02",
    "2026-03-01", "festgestellt" },
  { "C.UTF-8", MESO_MESSAGE_DATES_LOCALE, "treatment interval", "2026-01-05", "2026-02-02",
    "2026-03-01", "noted" },
};

static int
restore_locale (void **state)
{
  (void) state;
  setlocale (LC_ALL, "C.UTF-8");
  meso_time_set_message_dates (MESO_MESSAGE_DATES_LOCALE);
  return 0;
}

static void
test_verdict_dates_in_locale (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_locales); i++)
    {
      static const SessionSpec sessions[] = { { 0, PREV }, { 0 } };
      static const FlagSpec flags[] = {
        { MESO_CONTRAINDICATION_ACTIVE_ACNE, "2026-03-01", NULL }, { 0 } };
      g_autoptr(GDateTime) at = local_time ("2026-02-01T10:00");
      g_autoptr(GDateTime) now = local_time ("2026-03-05T10:00");
      g_autoptr(MesoVerdict) interval = NULL;
      g_autoptr(MesoVerdict) flag = NULL;
      g_autofree char *what = g_strdup_printf ("%s, %s", verdict_locales[i].locale,
                                               verdict_locales[i].dates ==
                                               MESO_MESSAGE_DATES_ISO ? "ISO" : "locale");
      MesoTreatmentPlan plan = { .at = at, .area = MESO_AREA_FACE, .needle_um = 1000 };
      Patient patient;

      if (setlocale (LC_ALL, verdict_locales[i].locale) == NULL)
        {
          if (g_getenv ("CI") != NULL)
            fail_msg ("the locale %s is not installed (Debian: locales-all)",
                      verdict_locales[i].locale);
          continue;
        }
      meso_time_set_message_dates (verdict_locales[i].dates);

      patient_init (&patient, FALSE, sessions, flags);
      interval = meso_rules_check_interval (meso_policy_get_default (), &patient.facts, &plan);
      flag = meso_rules_check_contraindications (&patient.facts, MESO_PURPOSE_RECORD, now, now);
      patient_clear (&patient);

      EXPECT_CONTAINS (what, meso_verdict_get_message (interval), verdict_locales[i].words);
      EXPECT_CONTAINS (what, meso_verdict_get_message (interval), verdict_locales[i].last);
      EXPECT_CONTAINS (what, meso_verdict_get_message (interval), verdict_locales[i].earliest);
      EXPECT_CONTAINS (what, meso_verdict_get_message (flag), verdict_locales[i].noted);
      EXPECT_CONTAINS (what, meso_verdict_get_message (flag), verdict_locales[i].acne);
    }
}

/* R1 "neighbours are the nearest recorded or booked, not cancelled, sessions of
 * the same area before and after". Index into sessions, -1 for none. */
static const struct
{
  const char  *what;
  SessionSpec  sessions[MAX_SESSIONS];
  const char  *at;
  gint64       ignore_id;
  int          before;
  int          after;
} neighbour_cases[] = {
  { "none", { { 0 } }, "2026-02-02T10:00", 0, -1, -1 },
  { "nearest on each side, unsorted",
    { { 1, "2026-03-02T10:00" }, { 2, "2025-12-01T10:00" }, { 3, "2026-04-01T10:00" },
      { 4, PREV } },
    "2026-02-02T10:00", 0, 3, 0 },
  { "cancelled and other areas skipped",
    { { 1, PREV }, { 2, "2026-01-30T10:00", .cancelled = TRUE },
      { 3, "2026-01-31T10:00", MESO_AREA_BODY }, { 4, "2026-02-05T10:00", MESO_AREA_HANDS } },
    "2026-02-02T10:00", 0, 0, -1 },
  { "the ignored id skipped", { { 1, PREV }, { 2, "2026-02-10T10:00" } },
    "2026-02-05T10:00", 2, 0, -1 },
};

static void
test_find_neighbours (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (neighbour_cases); i++)
    {
      const char *what = neighbour_cases[i].what;
      g_autoptr(GDateTime) at = local_time (neighbour_cases[i].at);
      const MesoSessionRef *before = (gpointer) 0x1, *after = (gpointer) 0x1;
      Patient patient;

      patient_init (&patient, FALSE, neighbour_cases[i].sessions, NULL);
      meso_rules_find_neighbours (patient.facts.sessions, patient.facts.n_sessions,
                                  MESO_AREA_FACE, at, neighbour_cases[i].ignore_id,
                                  &before, &after);
      EXPECT_INT (what, neighbour_cases[i].before,
                  before == NULL ? -1 : before - patient.facts.sessions);
      EXPECT_INT (what, neighbour_cases[i].after,
                  after == NULL ? -1 : after - patient.facts.sessions);
      patient_clear (&patient);
    }
}

/* R1 windows, used for suggestions and R4: first and last day, both included. */
static const struct
{
  const char       *what;
  const MesoPolicy *policy;
  gboolean          sensitive;
  const char       *last;
  const char       *opens;
  const char       *closes;
} window_cases[] = {
  { "normal skin: +28 to +42", NULL, FALSE, PREV, "2026-02-02", "2026-02-16" },
  { "sensitive skin: +56 to +70", NULL, TRUE, PREV, "2026-03-02", "2026-03-16" },
  { "across the spring change", NULL, FALSE, "2026-03-10T10:00", "2026-04-07", "2026-04-21" },
  { "late evening before the spring change", NULL, FALSE, "2026-03-01T23:30",
    "2026-03-29", "2026-04-12" },
  { "just after midnight, across the autumn change", NULL, FALSE, "2026-10-01T00:15",
    "2026-10-29", "2026-11-12" },
  { "lengthened policy: +35 to +49", &lengthened_policy, FALSE, PREV, "2026-02-09", "2026-02-23" },
};

static void
test_follow_up_window (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (window_cases); i++)
    {
      const char *what = window_cases[i].what;
      const MesoPolicy *policy = window_cases[i].policy != NULL
        ? window_cases[i].policy : meso_policy_get_default ();
      g_autoptr(GDateTime) last = local_time (window_cases[i].last);
      GDate opens, closes;

      g_date_clear (&opens, 1);
      g_date_clear (&closes, 1);
      meso_rules_follow_up_window (policy, window_cases[i].sensitive, last, &opens, &closes);
      expect_date (what, window_cases[i].opens, &opens);
      expect_date (what, window_cases[i].closes, &closes);
    }
}

/* R2: contraindications */

/* R2 "dated flag (noted on, cleared on)": active from noted_on, until cleared_on
 * excluded. */
static const struct
{
  const char *what;
  const char *noted;
  const char *cleared;
  const char *day;
  gboolean    active;
} flag_cases[] = {
  { "the day before it was noted", "2026-03-01", NULL, "2026-02-28", FALSE },
  { "the day it was noted", "2026-03-01", NULL, "2026-03-01", TRUE },
  { "years later, never cleared", "2026-03-01", NULL, "2030-01-01", TRUE },
  { "the last day before clearing", "2026-03-01", "2026-03-10", "2026-03-09", TRUE },
  { "the day it was cleared", "2026-03-01", "2026-03-10", "2026-03-10", FALSE },
  { "after clearing", "2026-03-01", "2026-03-10", "2026-04-01", FALSE },
  { "before noting, cleared later", "2026-03-01", "2026-03-10", "2026-02-28", FALSE },
};

static void
test_flag_is_active_on (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flag_cases); i++)
    {
      MesoFlag flag = { MESO_CONTRAINDICATION_HERPES };
      GDate day;

      make_date (&flag.noted_on, flag_cases[i].noted);
      make_date (&flag.cleared_on, flag_cases[i].cleared);
      make_date (&day, flag_cases[i].day);
      EXPECT_INT (flag_cases[i].what, flag_cases[i].active, meso_flag_is_active_on (&flag, &day));
    }
}

typedef struct
{
  const char      *what;
  FlagSpec         flags[MAX_FLAGS];
  MesoPurpose      purpose;
  const char      *now;
  const char      *at;
  MesoVerdictKind  kind;
  MesoResolution   resolution;  /* of a refusal */
  const char      *names;       /* the noted-on date the message names */
} ContraCase;

#define ACNE(noted, cleared) { MESO_CONTRAINDICATION_ACTIVE_ACNE, noted, cleared }
#define SCAR(noted, cleared) { MESO_CONTRAINDICATION_SCAR_PRONE, noted, cleared }

/* R2 rows: acne, herpes, infection defer (cannot record; booking warns);
 * scar constitution is a caution lifted by a recorded confirmation. */
static const ContraCase contra_cases[] = {
  { "record, no flags", { { 0 } }, MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-05T10:00",
    MESO_VERDICT_OK },
  { "record, acne noted the next day", { ACNE ("2026-03-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-02-28T10:00", "2026-02-28T10:00", MESO_VERDICT_OK },
  { "record, acne noted that day", { ACNE ("2026-03-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-01T10:00", "2026-03-01T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_NONE,
    "2026-03-01" },
  { "record, 00:30 on the day acne was noted", { ACNE ("2026-03-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-01T00:30", "2026-03-01T00:30", MESO_VERDICT_REFUSED, MESO_RESOLUTION_NONE,
    "2026-03-01" },
  { "record, 23:30 the evening before acne was noted", { ACNE ("2026-03-01", NULL) },
    MESO_PURPOSE_RECORD, "2026-02-28T23:30", "2026-02-28T23:30", MESO_VERDICT_OK },
  { "record, the last day before acne cleared", { ACNE ("2026-03-01", "2026-03-10") },
    MESO_PURPOSE_RECORD, "2026-03-09T18:00", "2026-03-09T18:00", MESO_VERDICT_REFUSED,
    MESO_RESOLUTION_NONE, "2026-03-01" },
  { "record, the day acne cleared", { ACNE ("2026-03-01", "2026-03-10") }, MESO_PURPOSE_RECORD,
    "2026-03-10T08:00", "2026-03-10T08:00", MESO_VERDICT_OK },
  { "record, herpes active", { { MESO_CONTRAINDICATION_HERPES, "2026-02-20", NULL } },
    MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED,
    MESO_RESOLUTION_NONE, "2026-02-20" },
  { "record, herpes cleared", { { MESO_CONTRAINDICATION_HERPES, "2026-02-20", "2026-03-05" } },
    MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_OK },
  { "record, infection active", { { MESO_CONTRAINDICATION_INFECTION, "2026-03-04", NULL } },
    MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED,
    MESO_RESOLUTION_NONE, "2026-03-04" },
  { "record, infection cleared",
    { { MESO_CONTRAINDICATION_INFECTION, "2026-03-01", "2026-03-04" } },
    MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_OK },
  { "record, scar-prone: caution", { SCAR ("2025-06-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_CONFIRM,
    "2025-06-01" },
  { "record, scar-prone cleared", { SCAR ("2025-06-01", "2026-01-01") }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_OK },
  { "record, scar-prone noted later", { SCAR ("2026-03-06", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_OK },
  { "record, acne and scar-prone: the deferral wins",
    { ACNE ("2026-03-01", NULL), SCAR ("2025-06-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_NONE,
    "2026-03-01" },
  { "record, scar-prone and acne: the deferral wins in any order",
    { SCAR ("2025-06-01", NULL), ACNE ("2026-03-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_NONE,
    "2026-03-01" },
  { "record, scar-prone and cleared acne: caution",
    { ACNE ("2026-03-01", "2026-03-04"), SCAR ("2025-06-01", NULL) }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-05T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_CONFIRM,
    "2025-06-01" },
  { "record a past session: the session's day counts, not today",
    { ACNE ("2026-03-01", "2026-03-04") }, MESO_PURPOSE_RECORD,
    "2026-03-05T10:00", "2026-03-03T10:00", MESO_VERDICT_REFUSED, MESO_RESOLUTION_NONE,
    "2026-03-01" },
  { "record a past session before the flag was noted", { ACNE ("2026-03-03", NULL) },
    MESO_PURPOSE_RECORD, "2026-03-05T10:00", "2026-03-02T10:00", MESO_VERDICT_OK },

  { "book, no flags", { { 0 } }, MESO_PURPOSE_BOOK, "2026-03-05T10:00", "2026-04-10T10:00",
    MESO_VERDICT_OK },
  { "book, acne active now: warning", { ACNE ("2026-03-01", NULL) }, MESO_PURPOSE_BOOK,
    "2026-03-05T10:00", "2026-04-10T10:00", MESO_VERDICT_WARNING, 0, "2026-03-01" },
  { "book, 00:30 on the day acne was noted: warning", { ACNE ("2026-03-01", NULL) },
    MESO_PURPOSE_BOOK, "2026-03-01T00:30", "2026-04-10T10:00", MESO_VERDICT_WARNING, 0,
    "2026-03-01" },
  { "book, 23:30 the evening before acne was noted", { ACNE ("2026-03-01", NULL) },
    MESO_PURPOSE_BOOK, "2026-02-28T23:30", "2026-04-10T10:00", MESO_VERDICT_OK },
  { "book, acne cleared", { ACNE ("2026-03-01", "2026-03-04") }, MESO_PURPOSE_BOOK,
    "2026-03-05T10:00", "2026-04-10T10:00", MESO_VERDICT_OK },
  { "book, herpes active now: warning", { { MESO_CONTRAINDICATION_HERPES, "2026-02-20", NULL } },
    MESO_PURPOSE_BOOK, "2026-03-05T10:00", "2026-04-10T10:00", MESO_VERDICT_WARNING, 0,
    "2026-02-20" },
  { "book, scar-prone: warning", { SCAR ("2025-06-01", NULL) }, MESO_PURPOSE_BOOK,
    "2026-03-05T10:00", "2026-04-10T10:00", MESO_VERDICT_WARNING, 0, "2025-06-01" },
  { "book, acne and scar-prone: warning",
    { ACNE ("2026-03-01", NULL), SCAR ("2025-06-01", NULL) }, MESO_PURPOSE_BOOK,
    "2026-03-05T10:00", "2026-04-10T10:00", MESO_VERDICT_WARNING },
};

static void
test_check_contraindications (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (contra_cases); i++)
    {
      const ContraCase *c = &contra_cases[i];
      g_autoptr(GDateTime) now = local_time (c->now);
      g_autoptr(GDateTime) at = local_time (c->at);
      g_autoptr(MesoVerdict) verdict = NULL;
      Patient patient;

      patient_init (&patient, FALSE, NULL, c->flags);
      verdict = meso_rules_check_contraindications (&patient.facts, c->purpose, now, at);
      patient_clear (&patient);

      expect_verdict (c->what, verdict, c->kind, "R2");
      if (c->kind == MESO_VERDICT_REFUSED)
        expect_resolution (c->what, verdict, c->resolution);
      if (c->names != NULL)
        EXPECT_CONTAINS (c->what, meso_verdict_get_message (verdict), c->names);
    }
}

/* R3: needle length */

/* R3 "0.15–2.5 mm", typed in millimetres, stored in micrometres. */
static const struct
{
  const char *text;
  gboolean    valid;
  guint       um;
} needle_parse_cases[] = {
  { "0.15", TRUE, 150 },
  { "0.14", TRUE, 140 },
  { "0.5", TRUE, 500 },
  { "1", TRUE, 1000 },
  { "1.0", TRUE, 1000 },
  { "1.01", TRUE, 1010 },
  { "1,5", TRUE, 1500 },
  { "1.500", TRUE, 1500 },
  { "2.5", TRUE, 2500 },
  { "2.51", TRUE, 2510 },
  { "2.50", TRUE, 2500 },
  { "0.001", FALSE },
  { "0.125", FALSE },
  { "0.149999", FALSE },
  { "", FALSE },
  { "abc", FALSE },
  { "1.2.3", FALSE },
  { "-1", FALSE },
  { "1.0001", FALSE },
  { "1e3", FALSE },
  { "1.5mm", FALSE },
};

static void
test_needle_parse (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (needle_parse_cases); i++)
    {
      const char *what = needle_parse_cases[i].text;
      g_autoptr(GError) error = NULL;
      guint um = 0;
      gboolean ok = meso_needle_parse_mm (needle_parse_cases[i].text, &um, &error);

      if (needle_parse_cases[i].valid)
        {
          if (!ok)
            {
              print_error ("case \"%s\": rejected: %s\n", what,
                           error != NULL ? error->message : "(no error)");
              fail ();
            }
          EXPECT (what, error == NULL);
          EXPECT_INT (what, needle_parse_cases[i].um, um);
          continue;
        }
      EXPECT (what, !ok);
      EXPECT (what, error != NULL && error->message != NULL && *error->message != '\0');
    }
}

/* R3 "record needle length": micrometres shown as millimetres. */
static const struct
{
  guint       um;
  const char *shows;
} needle_format_cases[] = {
  { 150, "0.15" },
  { 1010, "1.01" },
  { 1500, "1.5" },
  { 2500, "2.5" },
};

static void
test_needle_format (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (needle_format_cases); i++)
    {
      g_autofree char *text = meso_needle_format_mm (needle_format_cases[i].um);

      EXPECT_CONTAINS (needle_format_cases[i].shows, text, needle_format_cases[i].shows);
    }
}

/* Needle lengths as the person writes them: the locale's decimal sign on
 * screens and paper, "." or "," typed in any locale (issue 17). */
static const struct
{
  const char *locale;
  const char *half;       /* 500 um */
  const char *example;    /* 1250 um */
} needle_locale_cases[] = {
  { "de_DE.UTF-8", "0,5 mm", "1,25" },
  { "en_US.UTF-8", "0.5 mm", "1.25" },
  { "C.UTF-8", "0.5 mm", "1.25" },
};

static int
restore_numeric_locale (void **state)
{
  (void) state;
  setlocale (LC_NUMERIC, "C.UTF-8");
  return 0;
}

static void
test_needle_in_locales (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (needle_locale_cases); i++)
    {
      const char *what = needle_locale_cases[i].locale;
      g_autofree char *half = NULL;
      g_autofree char *example = NULL;
      g_autofree char *whole = NULL;
      g_autoptr(MesoVerdict) verdict = NULL;
      g_autoptr(GError) error = NULL;
      guint um = 0;

      if (setlocale (LC_NUMERIC, what) == NULL)
        {
          if (g_getenv ("CI") != NULL)
            fail_msg ("the locale %s is not installed (Debian: locales-all)", what);
          continue;
        }

      half = meso_needle_format_mm (500);
      example = meso_needle_format_number (1250);
      whole = meso_needle_format_number (2000);
      EXPECT_STR (what, needle_locale_cases[i].half, half);
      EXPECT_STR (what, needle_locale_cases[i].example, example);
      EXPECT_STR (what, g_str_has_prefix (what, "de") ? "2,0" : "2.0", whole);

      /* What is shown reads back, and both signs are taken everywhere. */
      EXPECT (what, meso_needle_parse_mm (example, &um, NULL) && um == 1250);
      EXPECT (what, meso_needle_parse_mm ("0,5", &um, NULL) && um == 500);
      EXPECT (what, meso_needle_parse_mm ("0.5", &um, NULL) && um == 500);

      /* The rule's words and the parser's examples write the same form. */
      verdict = meso_rules_check_needle (3000, MESO_AREA_SCALP, FALSE, FALSE);
      EXPECT_CONTAINS (what, meso_verdict_get_message (verdict),
                       g_str_has_prefix (what, "de") ? "2,5 mm" : "2.5 mm");
      EXPECT (what, !meso_needle_parse_mm ("0.5 mm", &um, &error));
      EXPECT_CONTAINS (what, error->message, example);
    }
  setlocale (LC_NUMERIC, "C.UTF-8");
}

/* One formatter for decimals: trailing zeros down to the decimals asked. */
static void
test_number_format_fixed (void **state)
{
  static const struct
  {
    guint64     value;
    guint       places;
    guint       min_places;
    const char *shows;
  } cases[] = {
    { 1500, 3, 1, "1.5" },
    { 150, 3, 1, "0.15" },
    { 2000, 3, 1, "2.0" },
    { 2000, 3, 0, "2" },
    { 7, 0, 0, "7" },
    { 1234, 2, 2, "12.34" },
    { 1200, 2, 2, "12.00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = meso_number_format_fixed (cases[i].value, cases[i].places,
                                                        cases[i].min_places);

      EXPECT_STR (cases[i].shows, cases[i].shows, text);
    }
}

/* R3 classes, decision on the shared borders: 0.15–0.5, >0.5–1.5, >1.5–2.5. */
static const struct
{
  guint           um;
  gboolean        valid;
  MesoNeedleClass klass;
} needle_class_cases[] = {
  { 149, FALSE },
  { 150, TRUE, MESO_NEEDLE_CLASS_SHORT },
  { 500, TRUE, MESO_NEEDLE_CLASS_SHORT },
  { 501, TRUE, MESO_NEEDLE_CLASS_MEDIUM },
  { 1500, TRUE, MESO_NEEDLE_CLASS_MEDIUM },
  { 1501, TRUE, MESO_NEEDLE_CLASS_LONG },
  { 2500, TRUE, MESO_NEEDLE_CLASS_LONG },
  { 2501, FALSE },
};

static void
test_needle_class (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (needle_class_cases); i++)
    {
      g_autofree char *what = g_strdup_printf ("%u um", needle_class_cases[i].um);
      MesoNeedleClass klass = MESO_NEEDLE_CLASS_SHORT;
      gboolean valid = meso_rules_needle_class (needle_class_cases[i].um, &klass);

      EXPECT_INT (what, needle_class_cases[i].valid, valid);
      if (needle_class_cases[i].valid)
        EXPECT_INT (what, needle_class_cases[i].klass, klass);
    }
}

/* R3 rows: valid range, home use up to 1 mm, face up to 1.5 mm unless scars. */
static const struct
{
  const char      *what;
  guint            um;
  MesoArea         area;
  gboolean         home_use;
  gboolean         scar_treatment;
  MesoVerdictKind  kind;
} check_needle_cases[] = {
  { "0 mm", 0, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_INVALID },
  { "0.14 mm", 140, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_INVALID },
  { "0.15 mm", 150, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_OK },
  { "0.15 mm on the face at home", 150, MESO_AREA_FACE, TRUE, FALSE, MESO_VERDICT_OK },
  { "2.5 mm on the body", 2500, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_OK },
  { "2.51 mm on the body", 2510, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_INVALID },
  { "2.51 mm on facial scars: still invalid", 2510, MESO_AREA_FACE, FALSE, TRUE,
    MESO_VERDICT_INVALID },
  { "0.14 mm at home: invalid first", 140, MESO_AREA_BODY, TRUE, FALSE, MESO_VERDICT_INVALID },
  { "home device 1.0 mm", 1000, MESO_AREA_BODY, TRUE, FALSE, MESO_VERDICT_OK },
  { "home device 1.01 mm", 1010, MESO_AREA_BODY, TRUE, FALSE, MESO_VERDICT_REFUSED },
  { "home device 1.01 mm for scars", 1010, MESO_AREA_FACE, TRUE, TRUE, MESO_VERDICT_REFUSED },
  { "clinic 1.01 mm", 1010, MESO_AREA_BODY, FALSE, FALSE, MESO_VERDICT_OK },
  { "face 1.5 mm", 1500, MESO_AREA_FACE, FALSE, FALSE, MESO_VERDICT_OK },
  { "face 1.51 mm", 1510, MESO_AREA_FACE, FALSE, FALSE, MESO_VERDICT_REFUSED },
  { "face 1.51 mm for scars", 1510, MESO_AREA_FACE, FALSE, TRUE, MESO_VERDICT_OK },
  { "face 2.5 mm for scars", 2500, MESO_AREA_FACE, FALSE, TRUE, MESO_VERDICT_OK },
  { "face 2.5 mm", 2500, MESO_AREA_FACE, FALSE, FALSE, MESO_VERDICT_REFUSED },
  { "neck 2.0 mm", 2000, MESO_AREA_NECK, FALSE, FALSE, MESO_VERDICT_OK },
  { "scalp 2.0 mm", 2000, MESO_AREA_SCALP, FALSE, FALSE, MESO_VERDICT_OK },
  { "decollete 1.51 mm", 1510, MESO_AREA_DECOLLETE, FALSE, FALSE, MESO_VERDICT_OK },
};

static void
test_check_needle (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (check_needle_cases); i++)
    {
      const char *what = check_needle_cases[i].what;
      g_autoptr(MesoVerdict) verdict = NULL;

      verdict = meso_rules_check_needle (check_needle_cases[i].um, check_needle_cases[i].area,
                                         check_needle_cases[i].home_use,
                                         check_needle_cases[i].scar_treatment);

      expect_verdict (what, verdict, check_needle_cases[i].kind, "R3");
      if (check_needle_cases[i].kind == MESO_VERDICT_REFUSED)
        expect_resolution (what, verdict, MESO_RESOLUTION_NONE);
    }
}

/* R3 "over 1.5 mm only for scar treatment": which indications are scars. */
static void
test_indication_is_scar_treatment (void **state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MESO_TYPE_INDICATION);

  for (guint i = 0; i < klass->n_values; i++)
    {
      int value = klass->values[i].value;
      gboolean scars = value == MESO_INDICATION_ACNE_SCARS || value == MESO_INDICATION_SCARS;

      EXPECT_INT (klass->values[i].value_nick, scars,
                  meso_indication_is_scar_treatment ((MesoIndication) value));
    }
}

/* R7 rows: the expiry is the last day of use, in the clinic's calendar days
 * (a session late in the evening of the expiry day is still on that day). */
static const struct
{
  const char      *what;
  const char      *lot;
  const char      *expires;  /* NULL: not registered */
  const char      *at;
  MesoVerdictKind  kind;
} check_lot_cases[] = {
  { "no lot", NULL, NULL, "2026-03-10T10:00", MESO_VERDICT_OK },
  { "an empty lot", "", NULL, "2026-03-10T10:00", MESO_VERDICT_OK },
  { "unregistered", "HA-1", NULL, "2026-03-10T10:00", MESO_VERDICT_WARNING },
  { "expires next day", "HA-1", "2026-03-11", "2026-03-10T10:00", MESO_VERDICT_OK },
  { "expires that day, morning", "HA-1", "2026-03-10", "2026-03-10T00:00", MESO_VERDICT_OK },
  { "expires that day, late", "HA-1", "2026-03-10", "2026-03-10T23:59", MESO_VERDICT_OK },
  { "expired the day before", "HA-1", "2026-03-09", "2026-03-10T00:00",
    MESO_VERDICT_REFUSED },
  { "expired a year before", "HA-1", "2025-03-10", "2026-03-10T10:00", MESO_VERDICT_REFUSED },
  { "expires on a leap day", "HA-1", "2028-02-29", "2028-02-29T18:00", MESO_VERDICT_OK },
  { "the day after a leap day", "HA-1", "2028-02-29", "2028-03-01T08:00",
    MESO_VERDICT_REFUSED },
};

static void
test_check_lot (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (check_lot_cases); i++)
    {
      const char *what = check_lot_cases[i].what;
      g_autoptr(GDateTime) at = local_time (check_lot_cases[i].at);
      g_autoptr(MesoVerdict) verdict = NULL;
      GDate expires;

      g_date_clear (&expires, 1);
      if (check_lot_cases[i].expires != NULL)
        g_date_set_parse (&expires, check_lot_cases[i].expires);
      verdict = meso_rules_check_lot (check_lot_cases[i].lot,
                                      check_lot_cases[i].expires != NULL, &expires, at);

      expect_verdict (what, verdict, check_lot_cases[i].kind, "R7");
      if (check_lot_cases[i].kind == MESO_VERDICT_REFUSED)
        {
          g_autofree char *expected = g_strdup_printf ("expired on %s",
                                                       check_lot_cases[i].expires);

          expect_resolution (what, verdict, MESO_RESOLUTION_NONE);
          /* The lot and its expiry are named (the C locale's dates are ISO). */
          EXPECT (what, strstr (meso_verdict_get_message (verdict), "lot HA-1") != NULL);
          EXPECT (what, strstr (meso_verdict_get_message (verdict), expected) != NULL);
        }
    }
}

/* R8 rows: a consent covers its signing day on, up to (not including) the
 * day it is revoked; a consent revoked on the session's day no longer
 * covers that session. Policy off: never refused. */
static const struct
{
  const char      *what;
  gboolean         required;
  const char      *signed_on;   /* NULL: no consent on file */
  const char      *revoked_on;  /* NULL: not revoked */
  const char      *at;
  MesoVerdictKind  kind;
} check_consent_cases[] = {
  { "policy off, no consent", FALSE, NULL, NULL, "2026-03-10T10:00", MESO_VERDICT_OK },
  { "policy off, signed the day after", FALSE, "2026-03-11", NULL, "2026-03-10T10:00",
    MESO_VERDICT_OK },
  { "no consent on file", TRUE, NULL, NULL, "2026-03-10T10:00", MESO_VERDICT_REFUSED },
  { "signed the same day, morning", TRUE, "2026-03-10", NULL, "2026-03-10T00:00",
    MESO_VERDICT_OK },
  { "signed the same day, late", TRUE, "2026-03-10", NULL, "2026-03-10T23:59",
    MESO_VERDICT_OK },
  { "signed a year before", TRUE, "2025-03-10", NULL, "2026-03-10T10:00", MESO_VERDICT_OK },
  { "signed the day after", TRUE, "2026-03-11", NULL, "2026-03-10T23:59",
    MESO_VERDICT_REFUSED },
  { "revoked the day before", TRUE, "2026-01-10", "2026-03-09", "2026-03-10T00:00",
    MESO_VERDICT_REFUSED },
  { "revoked on the session's day", TRUE, "2026-01-10", "2026-03-10", "2026-03-10T23:59",
    MESO_VERDICT_REFUSED },
  { "revoked the day after", TRUE, "2026-01-10", "2026-03-11", "2026-03-10T23:59",
    MESO_VERDICT_OK },
  { "signed and revoked that day", TRUE, "2026-03-10", "2026-03-10", "2026-03-10T10:00",
    MESO_VERDICT_REFUSED },
};

static void
test_check_consent (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (check_consent_cases); i++)
    {
      const char *what = check_consent_cases[i].what;
      g_autoptr(GDateTime) at = local_time (check_consent_cases[i].at);
      g_autoptr(MesoVerdict) verdict = NULL;
      MesoPolicy policy = *meso_policy_get_default ();
      MesoConsentSpan consent;

      policy.consent_required = check_consent_cases[i].required;
      make_date (&consent.signed_on, check_consent_cases[i].signed_on);
      make_date (&consent.revoked_on, check_consent_cases[i].revoked_on);
      verdict = meso_rules_check_consent (&policy, &consent,
                                          check_consent_cases[i].signed_on != NULL ? 1 : 0, at);

      expect_verdict (what, verdict, check_consent_cases[i].kind, "R8");
      if (check_consent_cases[i].kind == MESO_VERDICT_REFUSED)
        {
          g_autofree char *on = g_strndup (check_consent_cases[i].at, 10);

          expect_resolution (what, verdict, MESO_RESOLUTION_NONE);
          /* The session's day is named (the C locale's dates are ISO). */
          EXPECT (what, strstr (meso_verdict_get_message (verdict), on) != NULL);
        }
    }
}

/* R8 inside the session's rules: one valid consent among revoked ones is
 * enough; the refusal is final, a clinician's reason does not lift it. */
static void
test_check_session_consent (void **state)
{
  g_autoptr(GDateTime) at = local_time ("2026-03-10T10:00");
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(MesoVerdict) worst = NULL;
  MesoTreatmentPlan plan = { .at = at, .area = MESO_AREA_FACE, .needle_um = 1000 };
  MesoPolicy policy = *meso_policy_get_default ();
  MesoConsentSpan consents[2];
  Patient patient;

  policy.consent_required = TRUE;
  make_date (&consents[0].signed_on, "2025-01-10");
  make_date (&consents[0].revoked_on, "2025-06-01");
  make_date (&consents[1].signed_on, "2026-02-01");
  make_date (&consents[1].revoked_on, NULL);

  patient_init (&patient, FALSE, NULL, NULL);
  patient.facts.consents = consents;
  patient.facts.n_consents = 1;
  verdicts = meso_rules_check_session (&policy, &patient.facts, &plan, at);
  resolved = meso_rules_resolve (verdicts, MESO_ROLE_CLINICIAN, "Consented by phone", TRUE);
  worst = meso_verdict_worst (resolved);
  expect_verdict ("only a revoked consent", worst, MESO_VERDICT_REFUSED, "R8");
  g_clear_pointer (&verdicts, g_ptr_array_unref);

  patient.facts.n_consents = 2;
  verdicts = meso_rules_check_session (&policy, &patient.facts, &plan, at);
  patient_clear (&patient);
  expect_verdict ("a valid one beside it", g_ptr_array_index (verdicts, 4), MESO_VERDICT_OK,
                  "R8");
}

/* R1 + R2 + R3 together, and lifting what may be lifted */

typedef struct
{
  const char      *what;
  guint            needle_um;
  FlagSpec         flags[MAX_FLAGS];
  SessionSpec      sessions[MAX_SESSIONS];
  const char      *now;
  const char      *at;
  MesoVerdictKind  kinds[5];        /* R3, R2, R1, R7, R8; or R2, R1 for a booking */
  MesoResolution   resolutions[5];  /* of the refusals */
  const char      *lot_expires;     /* the session's lot "L-1", registered; NULL: no lot */
} CombinedCase;

/* R3, R2 (recording), R1, R7 and R8 together, in that order (the default
 * policy requires no consent: R8 ok). */
static const CombinedCase session_cases[] = {
  { "all clear", 1000, { { 0 } }, { { 0, PREV } }, "2026-02-02T10:00", "2026-02-02T10:00",
    { MESO_VERDICT_OK, MESO_VERDICT_OK, MESO_VERDICT_OK, MESO_VERDICT_OK } },
  { "all four fail", 100, { ACNE ("2026-01-20", NULL) }, { { 0, PREV } },
    "2026-01-25T10:00", "2026-01-25T10:00",
    { MESO_VERDICT_INVALID, MESO_VERDICT_REFUSED, MESO_VERDICT_REFUSED, MESO_VERDICT_REFUSED },
    { 0, MESO_RESOLUTION_NONE, MESO_RESOLUTION_OVERRIDE, MESO_RESOLUTION_NONE }, "2026-01-24" },
  { "face over 1.5 mm, scar-prone, late", 1510, { SCAR ("2025-06-01", NULL) }, { { 0, PREV } },
    "2026-03-01T10:00", "2026-03-01T10:00",
    { MESO_VERDICT_REFUSED, MESO_VERDICT_REFUSED, MESO_VERDICT_WARNING, MESO_VERDICT_OK },
    { MESO_RESOLUTION_NONE, MESO_RESOLUTION_CONFIRM }, "2026-03-01" },
};

/* R2 (booking warns) and R1 together, in that order. */
static const CombinedCase booking_cases[] = {
  { "all clear", 0, { { 0 } }, { { 0, PREV } }, "2026-01-20T10:00", "2026-02-02T10:00",
    { MESO_VERDICT_OK, MESO_VERDICT_OK } },
  { "acne now, the interval kept", 0, { ACNE ("2026-01-15", NULL) }, { { 0, PREV } },
    "2026-01-20T10:00", "2026-02-02T10:00", { MESO_VERDICT_WARNING, MESO_VERDICT_OK } },
  { "too close", 0, { { 0 } }, { { 0, PREV } }, "2026-01-20T10:00", "2026-01-25T10:00",
    { MESO_VERDICT_OK, MESO_VERDICT_REFUSED }, { 0, MESO_RESOLUTION_OVERRIDE } },
};

static void
run_combined (const CombinedCase *c,
              gboolean            booking)
{
  static const char *const session_rules[] = { "R3", "R2", "R1", "R7", "R8" };
  static const char *const booking_rules[] = { "R2", "R1" };
  const char *const *rules = booking ? booking_rules : session_rules;
  guint n = booking ? 2 : 5;
  g_autoptr(GDateTime) now = local_time (c->now);
  g_autoptr(GDateTime) at = local_time (c->at);
  g_autoptr(GPtrArray) verdicts = NULL;
  MesoTreatmentPlan plan = { .at = at, .area = MESO_AREA_FACE, .needle_um = c->needle_um };
  Patient patient;

  if (c->lot_expires != NULL)
    {
      plan.lot = "L-1";
      plan.lot_registered = TRUE;
      g_date_set_parse (&plan.lot_expires, c->lot_expires);
    }

  patient_init (&patient, FALSE, c->sessions, c->flags);
  verdicts = booking
    ? meso_rules_check_booking (meso_policy_get_default (), &patient.facts, &plan, now)
    : meso_rules_check_session (meso_policy_get_default (), &patient.facts, &plan, now);
  patient_clear (&patient);

  EXPECT (c->what, verdicts != NULL);
  EXPECT_INT (c->what, n, verdicts->len);
  for (guint i = 0; i < n; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      expect_verdict (c->what, verdict, c->kinds[i], rules[i]);
      if (c->kinds[i] == MESO_VERDICT_REFUSED)
        expect_resolution (c->what, verdict, c->resolutions[i]);
    }
}

static void
test_check_session (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (session_cases); i++)
    run_combined (&session_cases[i], FALSE);
}

static void
test_check_booking (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (booking_cases); i++)
    run_combined (&booking_cases[i], TRUE);
}

typedef enum
{
  MESSAGE_ANY,
  MESSAGE_SAME,        /* left exactly as it was */
  MESSAGE_DIFFERENT,   /* a new reason */
  MESSAGE_HAS_REASON,  /* the written reason is kept */
} MessageCheck;

#define ORIGINAL_MESSAGE "Only 5 days after the session of 2026-01-05; 28 are required."

/* R1 "a clinician may override with a written reason; a receptionist cannot";
 * R2 "caution: allowed only after an explicit confirmation"; defer and invalid
 * are final. */
static const struct
{
  const char      *what;
  MesoVerdictKind  kind;
  const char      *rule;
  MesoResolution   resolution;
  MesoRole         role;
  const char      *reason;
  gboolean         confirmed;
  MesoVerdictKind  expect_kind;
  gboolean         check_resolution;
  MesoResolution   expect_resolution;
  MessageCheck     message;
} resolve_cases[] = {
  { "interval, clinician with a reason", MESO_VERDICT_REFUSED, "R1", MESO_RESOLUTION_OVERRIDE,
    MESO_ROLE_CLINICIAN, "Patient emigrates next week", FALSE,
    MESO_VERDICT_WARNING, TRUE, MESO_RESOLUTION_OVERRIDE, MESSAGE_HAS_REASON },
  { "interval, clinician with a reason and a confirmation", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_CLINICIAN, "Patient emigrates next week", TRUE,
    MESO_VERDICT_WARNING, TRUE, MESO_RESOLUTION_OVERRIDE, MESSAGE_HAS_REASON },
  { "interval, clinician with a blank reason", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_CLINICIAN, "   ", FALSE,
    MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_OVERRIDE },
  { "interval, clinician with an empty reason", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_CLINICIAN, "", FALSE,
    MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_OVERRIDE },
  { "interval, clinician without a reason", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_CLINICIAN, NULL, FALSE,
    MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_OVERRIDE },
  { "interval, clinician confirming without a reason", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_CLINICIAN, NULL, TRUE,
    MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_OVERRIDE },
  { "interval, receptionist with a reason", MESO_VERDICT_REFUSED, "R1",
    MESO_RESOLUTION_OVERRIDE, MESO_ROLE_RECEPTIONIST, "Patient emigrates next week", FALSE,
    MESO_VERDICT_REFUSED, FALSE, 0, MESSAGE_DIFFERENT },
  { "caution, confirmed", MESO_VERDICT_REFUSED, "R2", MESO_RESOLUTION_CONFIRM,
    MESO_ROLE_CLINICIAN, NULL, TRUE, MESO_VERDICT_WARNING, TRUE, MESO_RESOLUTION_CONFIRM },
  { "caution, confirmed by a receptionist", MESO_VERDICT_REFUSED, "R2", MESO_RESOLUTION_CONFIRM,
    MESO_ROLE_RECEPTIONIST, NULL, TRUE, MESO_VERDICT_WARNING, TRUE, MESO_RESOLUTION_CONFIRM },
  { "caution, not confirmed", MESO_VERDICT_REFUSED, "R2", MESO_RESOLUTION_CONFIRM,
    MESO_ROLE_CLINICIAN, NULL, FALSE, MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_CONFIRM,
    MESSAGE_SAME },
  { "caution, a reason instead of a confirmation", MESO_VERDICT_REFUSED, "R2",
    MESO_RESOLUTION_CONFIRM, MESO_ROLE_CLINICIAN, "Patient insists", FALSE,
    MESO_VERDICT_REFUSED, TRUE, MESO_RESOLUTION_CONFIRM },
  { "deferral, everything offered", MESO_VERDICT_REFUSED, "R2", MESO_RESOLUTION_NONE,
    MESO_ROLE_CLINICIAN, "Patient insists", TRUE, MESO_VERDICT_REFUSED, TRUE,
    MESO_RESOLUTION_NONE, MESSAGE_SAME },
  { "needle refusal, everything offered", MESO_VERDICT_REFUSED, "R3", MESO_RESOLUTION_NONE,
    MESO_ROLE_CLINICIAN, "Patient insists", TRUE, MESO_VERDICT_REFUSED, TRUE,
    MESO_RESOLUTION_NONE, MESSAGE_SAME },
  { "invalid, everything offered", MESO_VERDICT_INVALID, "R3", MESO_RESOLUTION_NONE,
    MESO_ROLE_CLINICIAN, "Patient insists", TRUE, MESO_VERDICT_INVALID, FALSE, 0, MESSAGE_SAME },
  { "a warning stays", MESO_VERDICT_WARNING, "R1", MESO_RESOLUTION_NONE,
    MESO_ROLE_CLINICIAN, "Patient insists", TRUE, MESO_VERDICT_WARNING, FALSE, 0, MESSAGE_SAME },
  { "ok stays", MESO_VERDICT_OK, "R1", MESO_RESOLUTION_NONE,
    MESO_ROLE_RECEPTIONIST, "Patient insists", TRUE, MESO_VERDICT_OK },
};

static void
test_resolve (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (resolve_cases); i++)
    {
      const char *what = resolve_cases[i].what;
      g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) resolved = NULL;
      MesoVerdict *original, *verdict;
      const char *message;

      original = make_verdict (resolve_cases[i].kind, resolve_cases[i].rule,
                               resolve_cases[i].resolution, ORIGINAL_MESSAGE);
      g_ptr_array_add (verdicts, original);
      resolved = meso_rules_resolve (verdicts, resolve_cases[i].role, resolve_cases[i].reason,
                                     resolve_cases[i].confirmed);

      EXPECT (what, resolved != NULL && resolved != verdicts);
      EXPECT_INT (what, 1, resolved->len);
      verdict = g_ptr_array_index (resolved, 0);
      expect_verdict (what, verdict, resolve_cases[i].expect_kind, resolve_cases[i].rule);
      if (resolve_cases[i].check_resolution)
        expect_resolution (what, verdict, resolve_cases[i].expect_resolution);

      message = meso_verdict_get_message (verdict);
      switch (resolve_cases[i].message)
        {
        case MESSAGE_ANY:
          break;
        case MESSAGE_SAME:
          EXPECT_STR (what, ORIGINAL_MESSAGE, message);
          break;
        case MESSAGE_DIFFERENT:
          EXPECT (what, g_strcmp0 (message, ORIGINAL_MESSAGE) != 0);
          break;
        case MESSAGE_HAS_REASON:
          EXPECT_CONTAINS (what, message, resolve_cases[i].reason);
          break;
        default:
          fail ();
        }

      /* The input is left alone. */
      EXPECT_INT (what, resolve_cases[i].kind, meso_verdict_get_kind (original));
      if (resolve_cases[i].kind != MESO_VERDICT_OK)
        EXPECT_STR (what, ORIGINAL_MESSAGE, meso_verdict_get_message (original));
    }
}

/* R7's refusal is final: a clinician's written reason lifts R1 only. */
static void
test_resolve_expired_lot (void **state)
{
  static const SessionSpec sessions[] = { { 0, PREV }, { 0 } };
  g_autoptr(GDateTime) at = local_time ("2026-01-25T10:00");
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(MesoVerdict) worst = NULL;
  MesoTreatmentPlan plan = { .at = at, .area = MESO_AREA_FACE, .needle_um = 1000,
                             .lot = "HA-7", .lot_registered = TRUE };
  Patient patient;

  g_date_set_dmy (&plan.lot_expires, 24, G_DATE_JANUARY, 2026);
  patient_init (&patient, FALSE, sessions, NULL);
  verdicts = meso_rules_check_session (meso_policy_get_default (), &patient.facts, &plan, at);
  patient_clear (&patient);

  resolved = meso_rules_resolve (verdicts, MESO_ROLE_CLINICIAN, "Travels abroad", TRUE);
  worst = meso_verdict_worst (resolved);
  expect_verdict ("expired lot kept", worst, MESO_VERDICT_REFUSED, "R7");
  expect_verdict ("R1 lifted", g_ptr_array_index (resolved, 2), MESO_VERDICT_WARNING, "R1");
}

/* The whole path: a session too close, lifted by a clinician but not a receptionist. */
static void
test_resolve_session (void **state)
{
  static const SessionSpec sessions[] = { { 0, PREV }, { 0 } };
  g_autoptr(GDateTime) at = local_time ("2026-01-25T10:00");
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(GPtrArray) by_clinician = NULL;
  g_autoptr(GPtrArray) by_receptionist = NULL;
  g_autoptr(MesoVerdict) worst = NULL;
  g_autoptr(MesoVerdict) worst_clinician = NULL;
  g_autoptr(MesoVerdict) worst_receptionist = NULL;
  MesoTreatmentPlan plan = { .at = at, .area = MESO_AREA_FACE, .needle_um = 1000 };
  Patient patient;

  patient_init (&patient, FALSE, sessions, NULL);
  verdicts = meso_rules_check_session (meso_policy_get_default (), &patient.facts, &plan, at);
  patient_clear (&patient);

  worst = meso_verdict_worst (verdicts);
  expect_verdict ("too close", worst, MESO_VERDICT_REFUSED, "R1");

  by_clinician = meso_rules_resolve (verdicts, MESO_ROLE_CLINICIAN, "Travels abroad", FALSE);
  EXPECT_INT ("clinician", 5, by_clinician->len);
  worst_clinician = meso_verdict_worst (by_clinician);
  expect_verdict ("clinician", worst_clinician, MESO_VERDICT_WARNING, "R1");
  EXPECT ("clinician", !meso_verdict_is_blocking (worst_clinician));
  expect_verdict ("R3 kept", g_ptr_array_index (by_clinician, 0), MESO_VERDICT_OK, "R3");
  expect_verdict ("R2 kept", g_ptr_array_index (by_clinician, 1), MESO_VERDICT_OK, "R2");

  by_receptionist = meso_rules_resolve (verdicts, MESO_ROLE_RECEPTIONIST, "Travels abroad", FALSE);
  EXPECT_INT ("receptionist", 5, by_receptionist->len);
  worst_receptionist = meso_verdict_worst (by_receptionist);
  expect_verdict ("receptionist", worst_receptionist, MESO_VERDICT_REFUSED, "R1");
  EXPECT ("receptionist", meso_verdict_is_blocking (worst_receptionist));
}

/* R4: aftercare and recall */

static const MesoAftercareItem missing_item;

static const MesoAftercareItem *
find_item (GPtrArray         *plan,
           MesoAftercareKind  kind)
{
  for (guint i = 0; i < plan->len; i++)
    {
      const MesoAftercareItem *item = g_ptr_array_index (plan, i);

      if (item->kind == kind)
        return item;
    }
  print_error ("no aftercare item of kind %d\n", kind);
  fail ();
  return &missing_item;  /* not reached: fail() does not return */
}

static GPtrArray *
make_plan (gboolean    sensitive,
           const char *session,
           const char *next)
{
  g_autoptr(GDateTime) at = local_time (session);
  g_autoptr(GDateTime) next_at = local_time (next);

  return meso_rules_aftercare_plan (meso_policy_get_default (), sensitive, at, next_at);
}

static void
test_aftercare_plan_order (void **state)
{
  static const MesoAftercareKind order[] = {
    MESO_AFTERCARE_NO_WATER, MESO_AFTERCARE_SUN_PROTECTION,
    MESO_AFTERCARE_MOISTURISE, MESO_AFTERCARE_FOLLOW_UP_DUE,
  };
  g_autoptr(GPtrArray) plan = make_plan (FALSE, "2026-11-20T15:00", NULL);

  assert_non_null (plan);
  EXPECT_INT ("R4 table", G_N_ELEMENTS (order), plan->len);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const MesoAftercareItem *item = g_ptr_array_index (plan, i);
      const char *instruction = meso_aftercare_kind_get_instruction (order[i]);

      EXPECT_INT ("R4 table order", order[i], item->kind);
      EXPECT ("instruction", instruction != NULL && *instruction != '\0');
    }
}

/* R4 table rows: from and until (exclusive) of each item; calendar days for
 * "3 days" and the window, exact hours for "24 h". */
static const struct
{
  const char        *what;
  gboolean           sensitive;
  const char        *session;
  const char        *next;
  MesoAftercareKind  kind;
  const char        *from;
  const char        *until;   /* NULL: open-ended */
  int                hours;   /* until - from, or -1 */
} aftercare_cases[] = {
  { "no water: 24 h", FALSE, "2026-11-20T15:00", NULL, MESO_AFTERCARE_NO_WATER,
    "2026-11-20T15:00", "2026-11-21T15:00", 24 },
  { "no water across the spring change: still 24 h", FALSE, "2026-03-28T15:00", NULL,
    MESO_AFTERCARE_NO_WATER, "2026-03-28T15:00", "2026-03-29T16:00", 24 },
  { "no water across the autumn change: still 24 h", FALSE, "2026-10-24T15:00", NULL,
    MESO_AFTERCARE_NO_WATER, "2026-10-24T15:00", "2026-10-25T14:00", 24 },
  { "sun protection: 3 days (72 h)", FALSE, "2026-11-20T15:00", NULL,
    MESO_AFTERCARE_SUN_PROTECTION, "2026-11-20T15:00", "2026-11-23T15:00", 72 },
  { "sun protection across the spring change: 3 calendar days (71 h)", FALSE,
    "2026-03-27T15:00", NULL, MESO_AFTERCARE_SUN_PROTECTION,
    "2026-03-27T15:00", "2026-03-30T15:00", 71 },
  { "sun protection across the autumn change: 3 calendar days (73 h)", FALSE,
    "2026-10-24T15:00", NULL, MESO_AFTERCARE_SUN_PROTECTION,
    "2026-10-24T15:00", "2026-10-27T15:00", 73 },
  { "moisturise until the next session", FALSE, "2026-11-20T15:00", "2026-12-20T10:00",
    MESO_AFTERCARE_MOISTURISE, "2026-11-20T15:00", "2026-12-20T10:00", -1 },
  { "moisturise, nothing booked: open-ended", FALSE, "2026-11-20T15:00", NULL,
    MESO_AFTERCARE_MOISTURISE, "2026-11-20T15:00", NULL, -1 },
  { "follow-up: day 28 to day 42 included", FALSE, "2026-11-20T15:00", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-12-18T00:00", "2027-01-02T00:00", -1 },
  { "follow-up of a late-evening session", FALSE, "2026-11-20T23:30", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-12-18T00:00", "2027-01-02T00:00", -1 },
  { "follow-up, sensitive: day 56 to day 70 included", TRUE, "2026-11-20T15:00", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2027-01-15T00:00", "2027-01-30T00:00", -1 },
  { "follow-up across the spring change", FALSE, "2026-03-10T10:00", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-04-07T00:00", "2026-04-22T00:00", -1 },
};

static void
test_aftercare_plan (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (aftercare_cases); i++)
    {
      const char *what = aftercare_cases[i].what;
      g_autoptr(GPtrArray) plan = make_plan (aftercare_cases[i].sensitive,
                                             aftercare_cases[i].session, aftercare_cases[i].next);
      const MesoAftercareItem *item;

      EXPECT_INT (what, 4, plan->len);
      item = find_item (plan, aftercare_cases[i].kind);
      expect_date_time (what, aftercare_cases[i].from, item->from);
      expect_date_time (what, aftercare_cases[i].until, item->until);
      if (aftercare_cases[i].hours >= 0)
        EXPECT_INT (what, aftercare_cases[i].hours * G_TIME_SPAN_HOUR,
                    g_date_time_difference (item->until, item->from));
    }
}

#define SESSION_T "2026-11-20T15:00"

/* R4 "from T until ...", until excluded. */
static const struct
{
  const char        *what;
  MesoAftercareKind  kind;
  const char        *next;
  const char        *at;
  gboolean           active;
} active_at_cases[] = {
  { "no water, a minute before T", MESO_AFTERCARE_NO_WATER, NULL, "2026-11-20T14:59", FALSE },
  { "no water at T", MESO_AFTERCARE_NO_WATER, NULL, SESSION_T, TRUE },
  { "no water at T + 23 h 59", MESO_AFTERCARE_NO_WATER, NULL, "2026-11-21T14:59", TRUE },
  { "no water at T + 24 h", MESO_AFTERCARE_NO_WATER, NULL, "2026-11-21T15:00", FALSE },
  { "sun, a minute before T", MESO_AFTERCARE_SUN_PROTECTION, NULL, "2026-11-20T14:59", FALSE },
  { "sun at T", MESO_AFTERCARE_SUN_PROTECTION, NULL, SESSION_T, TRUE },
  { "sun at T + 71 h 59", MESO_AFTERCARE_SUN_PROTECTION, NULL, "2026-11-23T14:59", TRUE },
  { "sun at T + 72 h", MESO_AFTERCARE_SUN_PROTECTION, NULL, "2026-11-23T15:00", FALSE },
  { "moisturise, a minute before T", MESO_AFTERCARE_MOISTURISE, NULL, "2026-11-20T14:59", FALSE },
  { "moisturise at T", MESO_AFTERCARE_MOISTURISE, NULL, SESSION_T, TRUE },
  { "moisturise years on, nothing booked", MESO_AFTERCARE_MOISTURISE, NULL,
    "2030-01-01T10:00", TRUE },
  { "moisturise a minute before the next session", MESO_AFTERCARE_MOISTURISE,
    "2026-12-20T10:00", "2026-12-20T09:59", TRUE },
  { "moisturise at the next session", MESO_AFTERCARE_MOISTURISE,
    "2026-12-20T10:00", "2026-12-20T10:00", FALSE },
  { "follow-up, the evening before day 28", MESO_AFTERCARE_FOLLOW_UP_DUE, NULL,
    "2026-12-17T23:59", FALSE },
  { "follow-up, day 28 at midnight", MESO_AFTERCARE_FOLLOW_UP_DUE, NULL,
    "2026-12-18T00:00", TRUE },
  { "follow-up, late on day 42", MESO_AFTERCARE_FOLLOW_UP_DUE, NULL, "2027-01-01T23:59", TRUE },
  { "follow-up, day 43 at midnight", MESO_AFTERCARE_FOLLOW_UP_DUE, NULL,
    "2027-01-02T00:00", FALSE },
};

static void
test_aftercare_active_at (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (active_at_cases); i++)
    {
      const char *what = active_at_cases[i].what;
      g_autoptr(GPtrArray) plan = make_plan (FALSE, SESSION_T, active_at_cases[i].next);
      g_autoptr(GDateTime) at = local_time (active_at_cases[i].at);
      const MesoAftercareItem *item = find_item (plan, active_at_cases[i].kind);

      EXPECT_INT (what, active_at_cases[i].active, meso_aftercare_item_is_active_at (item, at));
    }
}

/* R4 on the patient timeline: active on a day if it covers any part of it. */
static const struct
{
  const char        *what;
  const char        *session;
  const char        *next;
  MesoAftercareKind  kind;
  const char        *day;
  gboolean           active;
} active_on_cases[] = {
  { "no water, the day before", SESSION_T, NULL, MESO_AFTERCARE_NO_WATER, "2026-11-19", FALSE },
  { "no water, the session's day", SESSION_T, NULL, MESO_AFTERCARE_NO_WATER, "2026-11-20", TRUE },
  { "no water, the next morning", SESSION_T, NULL, MESO_AFTERCARE_NO_WATER, "2026-11-21", TRUE },
  { "no water, two days on", SESSION_T, NULL, MESO_AFTERCARE_NO_WATER, "2026-11-22", FALSE },
  { "no water of a midnight session ends at the next midnight", "2026-11-20T00:00", NULL,
    MESO_AFTERCARE_NO_WATER, "2026-11-21", FALSE },
  { "sun, day 3", SESSION_T, NULL, MESO_AFTERCARE_SUN_PROTECTION, "2026-11-23", TRUE },
  { "sun, day 4", SESSION_T, NULL, MESO_AFTERCARE_SUN_PROTECTION, "2026-11-24", FALSE },
  { "moisturise, the day before", SESSION_T, NULL, MESO_AFTERCARE_MOISTURISE, "2026-11-19",
    FALSE },
  { "moisturise, years on", SESSION_T, NULL, MESO_AFTERCARE_MOISTURISE, "2030-01-01", TRUE },
  { "moisturise, the next session's day", SESSION_T, "2026-12-20T10:00", MESO_AFTERCARE_MOISTURISE,
    "2026-12-20", TRUE },
  { "moisturise, after the next session", SESSION_T, "2026-12-20T10:00", MESO_AFTERCARE_MOISTURISE,
    "2026-12-21", FALSE },
  { "moisturise, the next session at that day's midnight", SESSION_T, "2026-12-20T00:00",
    MESO_AFTERCARE_MOISTURISE, "2026-12-20", FALSE },
  { "moisturise, the day the next session begins at midnight after", SESSION_T,
    "2026-12-20T00:00", MESO_AFTERCARE_MOISTURISE, "2026-12-19", TRUE },
  { "follow-up, day 27", SESSION_T, NULL, MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-12-17", FALSE },
  { "follow-up, day 28", SESSION_T, NULL, MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-12-18", TRUE },
  { "follow-up, day 42", SESSION_T, NULL, MESO_AFTERCARE_FOLLOW_UP_DUE, "2027-01-01", TRUE },
  { "follow-up, day 43", SESSION_T, NULL, MESO_AFTERCARE_FOLLOW_UP_DUE, "2027-01-02", FALSE },
  { "follow-up, day 28 across the spring change", "2026-03-10T10:00", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-04-07", TRUE },
  { "follow-up, day 27 across the spring change", "2026-03-10T10:00", NULL,
    MESO_AFTERCARE_FOLLOW_UP_DUE, "2026-04-06", FALSE },
};

static void
test_aftercare_active_on (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (active_on_cases); i++)
    {
      const char *what = active_on_cases[i].what;
      g_autoptr(GPtrArray) plan = make_plan (FALSE, active_on_cases[i].session,
                                             active_on_cases[i].next);
      GDate day;

      make_date (&day, active_on_cases[i].day);
      EXPECT_INT (what, active_on_cases[i].active,
                  meso_aftercare_item_is_active_on (find_item (plan, active_on_cases[i].kind),
                                                    &day));

      /* The store's lists judge the moisturiser in Unix seconds: the same. */
      if (active_on_cases[i].kind == MESO_AFTERCARE_MOISTURISE)
        {
          const MesoAftercareItem *item = find_item (plan, MESO_AFTERCARE_MOISTURISE);
          g_autoptr(GDateTime) start = meso_date_time_from_date (&day);
          g_autoptr(GDateTime) end = g_date_time_add_days (start, 1);
          gint64 from = 0, until = 0;

          EXPECT_INT (what, active_on_cases[i].active,
                      meso_rules_moisturise_is_active_during (
                        g_date_time_to_unix (item->from),
                        item->until != NULL ? g_date_time_to_unix (item->until) : G_MAXINT64,
                        g_date_time_to_unix (start), g_date_time_to_unix (end), &from, &until));
          EXPECT_INT (what, g_date_time_to_unix (item->from), from);
          EXPECT_INT (what, item->until != NULL ? g_date_time_to_unix (item->until) : G_MAXINT64,
                      until);
        }
    }
}

/* R4 decision: due from due_soon_days before the window, overdue after it,
 * until booked, finished or declined. */
static const struct
{
  const char       *what;
  const MesoPolicy *policy;
  gboolean          sensitive;
  const char       *last;
  gboolean          booked, finished, declined;
  const char       *today;
  MesoRecallStatus  status;
} recall_cases[] = {
  { "the session's day", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-01-05", MESO_RECALL_NONE },
  { "8 days before the window", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-01-25",
    MESO_RECALL_NONE },
  { "7 days before the window", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-01-26",
    MESO_RECALL_DUE },
  { "the window opens", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-02-02", MESO_RECALL_DUE },
  { "the window's last day", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-02-16",
    MESO_RECALL_DUE },
  { "the day after the window", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-02-17",
    MESO_RECALL_OVERDUE },
  { "months after the window", NULL, FALSE, PREV, FALSE, FALSE, FALSE, "2026-09-01",
    MESO_RECALL_OVERDUE },
  { "booked, while due", NULL, FALSE, PREV, TRUE, FALSE, FALSE, "2026-02-05", MESO_RECALL_NONE },
  { "booked, after the window", NULL, FALSE, PREV, TRUE, FALSE, FALSE, "2026-03-01",
    MESO_RECALL_NONE },
  { "declined, after the window", NULL, FALSE, PREV, FALSE, FALSE, TRUE, "2026-03-01",
    MESO_RECALL_NONE },
  { "declined, while due", NULL, FALSE, PREV, FALSE, FALSE, TRUE, "2026-02-05",
    MESO_RECALL_NONE },
  { "course finished, after the window", NULL, FALSE, PREV, FALSE, TRUE, FALSE, "2026-03-01",
    MESO_RECALL_NONE },
  { "sensitive: 8 days before the window", NULL, TRUE, PREV, FALSE, FALSE, FALSE, "2026-02-22",
    MESO_RECALL_NONE },
  { "sensitive: 7 days before the window", NULL, TRUE, PREV, FALSE, FALSE, FALSE, "2026-02-23",
    MESO_RECALL_DUE },
  { "sensitive: the window's last day", NULL, TRUE, PREV, FALSE, FALSE, FALSE, "2026-03-16",
    MESO_RECALL_DUE },
  { "sensitive: the day after the window", NULL, TRUE, PREV, FALSE, FALSE, FALSE, "2026-03-17",
    MESO_RECALL_OVERDUE },
  { "no due-soon: the day before the window", &no_due_soon_policy, FALSE, PREV,
    FALSE, FALSE, FALSE, "2026-02-01", MESO_RECALL_NONE },
  { "no due-soon: the window opens", &no_due_soon_policy, FALSE, PREV,
    FALSE, FALSE, FALSE, "2026-02-02", MESO_RECALL_DUE },
  { "spring change: 8 days before the window", NULL, FALSE, "2026-03-10T10:00",
    FALSE, FALSE, FALSE, "2026-03-30", MESO_RECALL_NONE },
  { "spring change: 7 days before the window", NULL, FALSE, "2026-03-10T10:00",
    FALSE, FALSE, FALSE, "2026-03-31", MESO_RECALL_DUE },
  { "spring change: the window's last day", NULL, FALSE, "2026-03-10T10:00",
    FALSE, FALSE, FALSE, "2026-04-21", MESO_RECALL_DUE },
  { "spring change: the day after the window", NULL, FALSE, "2026-03-10T10:00",
    FALSE, FALSE, FALSE, "2026-04-22", MESO_RECALL_OVERDUE },
};

static void
test_recall_status (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (recall_cases); i++)
    {
      const char *what = recall_cases[i].what;
      const MesoPolicy *policy = recall_cases[i].policy != NULL
        ? recall_cases[i].policy : meso_policy_get_default ();
      g_autoptr(GDateTime) last = local_time (recall_cases[i].last);
      GDate today;

      make_date (&today, recall_cases[i].today);
      EXPECT_INT (what, recall_cases[i].status,
                  meso_rules_recall_status (policy, recall_cases[i].sensitive, last,
                                            recall_cases[i].booked, recall_cases[i].finished,
                                            recall_cases[i].declined, &today));
    }
}

/* R4 one row at a time: what a list of many sessions asks for. Each must
 * equal the plan's row (the plan is built from them) and the day-wise and
 * window-wise questions must answer as the original ones. */

static const char *const one_row_sessions[] = {
  "2026-11-20T15:00",
  "2026-11-20T00:00",   /* midnight */
  "2026-11-20T23:59",
  "2026-03-26T02:30",   /* three days on is inside the spring gap */
  "2026-03-28T23:30",   /* the night of the spring change */
  "2026-03-29T03:00",
  "2026-10-22T02:30",   /* three days on is the repeated autumn hour */
  "2026-10-25T02:30",   /* inside the repeated hour */
  "2026-10-24T00:30",
  "2026-12-31T23:00",   /* across the new year */
};

static const MesoPolicy *const one_row_policies[] = {
  NULL, &lengthened_policy, &no_due_soon_policy,
};

static const MesoPolicy *
one_row_policy (guint i)
{
  return one_row_policies[i] != NULL ? one_row_policies[i] : meso_policy_get_default ();
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

static void
test_aftercare_item_one_row (void **state)
{
  static const char *const nexts[] = { NULL, "2026-12-20T10:00", "2026-11-20T15:30" };

  for (guint p = 0; p < G_N_ELEMENTS (one_row_policies); p++)
    for (guint i = 0; i < G_N_ELEMENTS (one_row_sessions); i++)
      for (guint n = 0; n < G_N_ELEMENTS (nexts); n++)
        for (int sensitive = 0; sensitive <= 1; sensitive++)
          {
            const MesoPolicy *policy = one_row_policy (p);
            g_autoptr(GDateTime) at = local_time (one_row_sessions[i]);
            g_autoptr(GDateTime) next = local_time (nexts[n]);
            g_autoptr(GPtrArray) plan = meso_rules_aftercare_plan (policy, sensitive, at, next);
            g_autofree char *what = g_strdup_printf ("policy %u, session %s, next %s, %s", p,
                                                     one_row_sessions[i],
                                                     nexts[n] ? nexts[n] : "none",
                                                     sensitive ? "sensitive" : "normal");

            EXPECT_INT (what, 4, plan->len);
            for (guint k = 0; k < plan->len; k++)
              {
                const MesoAftercareItem *planned = g_ptr_array_index (plan, k);
                g_auto(MesoAftercareItem) item = { 0 };

                meso_rules_aftercare_item (policy, planned->kind, sensitive, at, next, &item);
                EXPECT_INT (what, planned->kind, item.kind);
                EXPECT (what, same_time (planned->from, item.from));
                EXPECT (what, same_time (planned->until, item.until));
              }
          }
}

static void
test_aftercare_item_rows (void **state)
{
  /* The single rows themselves, the awkward ones: three calendar days that
   * end in the spring gap or the repeated autumn hour, a midnight session. */
  static const struct
  {
    const char        *what;
    const char        *session;
    MesoAftercareKind  kind;
    const char        *from;
    const char        *until;
    int                hours;  /* until - from, or -1 */
  } cases[] = {
    { "no water of a midnight session", "2026-11-20T00:00", MESO_AFTERCARE_NO_WATER,
      "2026-11-20T00:00", "2026-11-21T00:00", 24 },
    { "no water over the spring change: 24 h", "2026-03-28T23:30", MESO_AFTERCARE_NO_WATER,
      "2026-03-28T23:30", "2026-03-30T00:30", 24 },
    { "sun protection: three calendar days", "2026-11-20T23:59",
      MESO_AFTERCARE_SUN_PROTECTION, "2026-11-20T23:59", "2026-11-23T23:59", 72 },
    { "sun protection over the autumn change: 73 h", "2026-10-24T00:30",
      MESO_AFTERCARE_SUN_PROTECTION, "2026-10-24T00:30", "2026-10-27T00:30", 73 },
    { "follow-up of a session at midnight", "2026-11-20T00:00", MESO_AFTERCARE_FOLLOW_UP_DUE,
      "2026-12-18T00:00", "2027-01-02T00:00", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) at = local_time (cases[i].session);
      g_auto(MesoAftercareItem) item = { 0 };

      meso_rules_aftercare_item (meso_policy_get_default (), cases[i].kind, FALSE, at, NULL,
                                 &item);
      EXPECT_INT (cases[i].what, cases[i].kind, item.kind);
      expect_date_time (cases[i].what, cases[i].from, item.from);
      expect_date_time (cases[i].what, cases[i].until, item.until);
      if (cases[i].hours >= 0)
        EXPECT_INT (cases[i].what, cases[i].hours * G_TIME_SPAN_HOUR,
                    g_date_time_difference (item.until, item.from));
    }

  /* Three calendar days into the spring gap: still on that third day, later
   * than the session's hour would allow, and no earlier than 71 h after. */
  {
    g_autoptr(GDateTime) at = local_time ("2026-03-26T02:30");
    g_autoptr(GDateTime) third_day = local_time ("2026-03-29T00:00");
    g_autoptr(GDateTime) fourth_day = local_time ("2026-03-30T00:00");
    g_auto(MesoAftercareItem) item = { 0 };

    meso_rules_aftercare_item (meso_policy_get_default (), MESO_AFTERCARE_SUN_PROTECTION, FALSE,
                               at, NULL, &item);
    EXPECT ("sun into the spring gap", g_date_time_compare (item.until, third_day) > 0);
    EXPECT ("sun into the spring gap", g_date_time_compare (item.until, fourth_day) < 0);
    EXPECT ("sun into the spring gap",
            g_date_time_difference (item.until, at) >= 71 * G_TIME_SPAN_HOUR);
  }

  /* Cleared: no times left; clearing again is harmless. */
  {
    g_autoptr(GDateTime) at = local_time (SESSION_T);
    MesoAftercareItem item = { 0 };

    meso_rules_aftercare_item (meso_policy_get_default (), MESO_AFTERCARE_NO_WATER, FALSE, at,
                               NULL, &item);
    assert_non_null (item.from);
    meso_aftercare_item_clear (&item);
    EXPECT ("cleared", item.from == NULL && item.until == NULL);
    meso_aftercare_item_clear (&item);
  }
}

static void
test_follow_up_item (void **state)
{
  static const struct
  {
    const char *what;
    const char *opens;
    const char *closes;
    const char *from;
    const char *until;
  } cases[] = {
    { "an ordinary window", "2026-12-18", "2027-01-01", "2026-12-18T00:00", "2027-01-02T00:00" },
    { "opens the day the clocks go back", "2026-10-25", "2026-11-08", "2026-10-25T00:00",
      "2026-11-09T00:00" },
    { "closes the day before the clocks go forward", "2026-03-14", "2026-03-28",
      "2026-03-14T00:00", "2026-03-29T00:00" },
    { "one day", "2026-05-01", "2026-05-01", "2026-05-01T00:00", "2026-05-02T00:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(MesoAftercareItem) item = { 0 };
      GDate opens, closes;

      make_date (&opens, cases[i].opens);
      make_date (&closes, cases[i].closes);
      meso_rules_follow_up_item (&opens, &closes, &item);
      EXPECT_INT (cases[i].what, MESO_AFTERCARE_FOLLOW_UP_DUE, item.kind);
      expect_date_time (cases[i].what, cases[i].from, item.from);
      expect_date_time (cases[i].what, cases[i].until, item.until);
    }

  /* The window's row is the plan's follow-up row. */
  for (guint p = 0; p < G_N_ELEMENTS (one_row_policies); p++)
    for (guint i = 0; i < G_N_ELEMENTS (one_row_sessions); i++)
      for (int sensitive = 0; sensitive <= 1; sensitive++)
        {
          const MesoPolicy *policy = one_row_policy (p);
          g_autoptr(GDateTime) at = local_time (one_row_sessions[i]);
          g_autoptr(GPtrArray) plan = meso_rules_aftercare_plan (policy, sensitive, at, NULL);
          const MesoAftercareItem *planned = find_item (plan, MESO_AFTERCARE_FOLLOW_UP_DUE);
          g_auto(MesoAftercareItem) item = { 0 };
          GDate opens, closes;

          meso_rules_follow_up_window (policy, sensitive, at, &opens, &closes);
          meso_rules_follow_up_item (&opens, &closes, &item);
          EXPECT (one_row_sessions[i], same_time (planned->from, item.from));
          EXPECT (one_row_sessions[i], same_time (planned->until, item.until));
        }
}

static void
test_aftercare_active_during (void **state)
{
  static const char *const nexts[] = { NULL, "2026-11-24T10:00" };

  /* A day's bounds answer as the day does, for every row and many days. */
  for (guint i = 0; i < G_N_ELEMENTS (one_row_sessions); i++)
    for (guint n = 0; n < G_N_ELEMENTS (nexts); n++)
      {
        g_autoptr(GDateTime) at = local_time (one_row_sessions[i]);
        g_autoptr(GDateTime) next = local_time (nexts[n]);
        g_autoptr(GPtrArray) plan = meso_rules_aftercare_plan (meso_policy_get_default (), FALSE,
                                                               at, next);
        GDate day;

        meso_date_from_date_time (at, &day);
        g_date_subtract_days (&day, 2);
        for (int d = 0; d < 50; d++, g_date_add_days (&day, 1))
          {
            GDate after = day;
            g_autoptr(GDateTime) start = NULL;
            g_autoptr(GDateTime) end = NULL;

            g_date_add_days (&after, 1);
            start = meso_date_time_from_date (&day);
            end = meso_date_time_from_date (&after);
            for (guint k = 0; k < plan->len; k++)
              {
                const MesoAftercareItem *item = g_ptr_array_index (plan, k);
                g_autofree char *what = g_strdup_printf ("%s, kind %d, day %d",
                                                         one_row_sessions[i], item->kind, d);

                EXPECT_INT (what, meso_aftercare_item_is_active_on (item, &day),
                            meso_aftercare_item_is_active_during (item, start, end));
              }
          }
      }

  /* Any span, half-open like the items. */
  {
    g_autoptr(GPtrArray) plan = make_plan (FALSE, SESSION_T, NULL);
    const MesoAftercareItem *water = find_item (plan, MESO_AFTERCARE_NO_WATER);
    g_autoptr(GDateTime) before = local_time ("2026-11-20T14:00");
    g_autoptr(GDateTime) at = local_time (SESSION_T);
    g_autoptr(GDateTime) minute = local_time ("2026-11-20T15:01");
    g_autoptr(GDateTime) ends = local_time ("2026-11-21T15:00");
    g_autoptr(GDateTime) later = local_time ("2026-11-21T16:00");

    EXPECT ("the hour before the session", !meso_aftercare_item_is_active_during (water, before,
                                                                                  at));
    EXPECT ("the session's first minute", meso_aftercare_item_is_active_during (water, at,
                                                                                minute));
    EXPECT ("from the end on", !meso_aftercare_item_is_active_during (water, ends, later));
    EXPECT ("across it all", meso_aftercare_item_is_active_during (water, before, later));
  }
}

static void
test_recall_status_in_window (void **state)
{
  /* The cases above, through the window. */
  for (gsize i = 0; i < G_N_ELEMENTS (recall_cases); i++)
    {
      const MesoPolicy *policy = recall_cases[i].policy != NULL
        ? recall_cases[i].policy : meso_policy_get_default ();
      g_autoptr(GDateTime) last = local_time (recall_cases[i].last);
      GDate today, opens, closes;

      make_date (&today, recall_cases[i].today);
      meso_rules_follow_up_window (policy, recall_cases[i].sensitive, last, &opens, &closes);
      EXPECT_INT (recall_cases[i].what, recall_cases[i].status,
                  meso_rules_recall_status_in_window (policy, &opens, &closes,
                                                      recall_cases[i].booked,
                                                      recall_cases[i].finished,
                                                      recall_cases[i].declined, &today));
    }

  /* Every day around the windows of awkward sessions, every policy. */
  for (guint p = 0; p < G_N_ELEMENTS (one_row_policies); p++)
    for (guint i = 0; i < G_N_ELEMENTS (one_row_sessions); i++)
      for (int flags = 0; flags < 16; flags++)
        {
          const MesoPolicy *policy = one_row_policy (p);
          gboolean sensitive = flags & 1, booked = flags & 2, finished = flags & 4,
                   declined = flags & 8;
          g_autoptr(GDateTime) at = local_time (one_row_sessions[i]);
          GDate opens, closes, day;

          meso_rules_follow_up_window (policy, sensitive, at, &opens, &closes);
          meso_date_from_date_time (at, &day);
          for (int d = 0; d < 100; d++, g_date_add_days (&day, 1))
            {
              g_autofree char *what = g_strdup_printf ("policy %u, %s, flags %d, day %d", p,
                                                       one_row_sessions[i], flags, d);

              EXPECT_INT (what,
                          meso_rules_recall_status (policy, sensitive, at, booked, finished,
                                                    declined, &day),
                          meso_rules_recall_status_in_window (policy, &opens, &closes, booked,
                                                              finished, declined, &day));
              EXPECT_INT (what,
                          meso_rules_recall_status (policy, sensitive, at, booked, finished,
                                                    declined, &day),
                          meso_rules_recall_status_in_julian_window (
                            policy, g_date_get_julian (&opens), g_date_get_julian (&closes),
                            booked, finished, declined, g_date_get_julian (&day)));
            }
        }

  /* A window given as it is kept, in days. */
  {
    static const struct
    {
      const char       *today;
      MesoRecallStatus  status;
    } days[] = {
      { "2026-01-25", MESO_RECALL_NONE },
      { "2026-01-26", MESO_RECALL_DUE },      /* 7 days before it opens */
      { "2026-02-16", MESO_RECALL_DUE },      /* its last day */
      { "2026-02-17", MESO_RECALL_OVERDUE },
    };
    GDate opens, closes;

    make_date (&opens, "2026-02-02");
    make_date (&closes, "2026-02-16");
    for (guint i = 0; i < G_N_ELEMENTS (days); i++)
      {
        GDate today;

        make_date (&today, days[i].today);
        EXPECT_INT (days[i].today, days[i].status,
                    meso_rules_recall_status_in_window (meso_policy_get_default (), &opens,
                                                        &closes, FALSE, FALSE, FALSE, &today));
      }
  }
}

/* R5: healing timeline (informational) */

/* R5 "inflammatory from day 0, repair within 3–7 days", remodelling after. */
static const struct
{
  const char       *what;
  const char       *session;
  const char       *day;
  gboolean          healing;
  MesoHealingPhase  phase;
  int               day_number;
} healing_cases[] = {
  { "the day before", SESSION_T, "2026-11-19", FALSE },
  { "day 0", SESSION_T, "2026-11-20", TRUE, MESO_HEALING_INFLAMMATORY, 0 },
  { "day 2", SESSION_T, "2026-11-22", TRUE, MESO_HEALING_INFLAMMATORY, 2 },
  { "day 3", SESSION_T, "2026-11-23", TRUE, MESO_HEALING_PROLIFERATIVE, 3 },
  { "day 7", SESSION_T, "2026-11-27", TRUE, MESO_HEALING_PROLIFERATIVE, 7 },
  { "day 8", SESSION_T, "2026-11-28", TRUE, MESO_HEALING_REMODELLING, 8 },
  { "day 61", SESSION_T, "2027-01-20", TRUE, MESO_HEALING_REMODELLING, 61 },
  { "a late-evening session: the next day is day 1", "2026-11-20T23:30", "2026-11-21", TRUE,
    MESO_HEALING_INFLAMMATORY, 1 },
  { "across the spring change, day 2", "2026-03-27T23:30", "2026-03-29", TRUE,
    MESO_HEALING_INFLAMMATORY, 2 },
  { "across the spring change, day 3", "2026-03-27T23:30", "2026-03-30", TRUE,
    MESO_HEALING_PROLIFERATIVE, 3 },
};

static void
test_healing_phase (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (healing_cases); i++)
    {
      const char *what = healing_cases[i].what;
      g_autoptr(GDateTime) session = local_time (healing_cases[i].session);
      MesoHealingPhase phase = MESO_HEALING_REMODELLING;
      int day_number = -1;
      gboolean healing;
      GDate day;

      make_date (&day, healing_cases[i].day);
      healing = meso_rules_healing_phase (session, &day, &phase, &day_number);
      EXPECT_INT (what, healing_cases[i].healing, healing);
      if (!healing_cases[i].healing)
        continue;
      EXPECT_INT (what, healing_cases[i].phase, phase);
      EXPECT_INT (what, healing_cases[i].day_number, day_number);

      {
        g_autofree char *text = meso_rules_healing_describe (phase, day_number);

        EXPECT (what, text != NULL && *text != '\0');
      }
    }
}

/* R6: indications and actives */

#define ALL_AREAS ((1u << MESO_AREA_FACE) | (1u << MESO_AREA_NECK) | \
                   (1u << MESO_AREA_DECOLLETE) | (1u << MESO_AREA_SCALP) | \
                   (1u << MESO_AREA_BODY) | (1u << MESO_AREA_HANDS))

/* R6 "hair loss (scalp)", "minoxidil on scalp"; the rest anywhere. */
static const struct
{
  const char *what;
  int         value;
  guint       areas;  /* bit per MesoArea */
} active_cases[] = {
  { "hyaluronic acid", MESO_ACTIVE_HYALURONIC_ACID, ALL_AREAS },
  { "peptides", MESO_ACTIVE_PEPTIDES, ALL_AREAS },
  { "vitamin C", MESO_ACTIVE_VITAMIN_C, ALL_AREAS },
  { "minoxidil", MESO_ACTIVE_MINOXIDIL, 1u << MESO_AREA_SCALP },
}, indication_cases[] = {
  { "fine lines", MESO_INDICATION_FINE_LINES, ALL_AREAS },
  { "enlarged pores", MESO_INDICATION_ENLARGED_PORES, ALL_AREAS },
  { "laxity", MESO_INDICATION_LAXITY, ALL_AREAS },
  { "stretch marks", MESO_INDICATION_STRETCH_MARKS, ALL_AREAS },
  { "acne scars", MESO_INDICATION_ACNE_SCARS, ALL_AREAS },
  { "scars", MESO_INDICATION_SCARS, ALL_AREAS },
  { "pigmentation", MESO_INDICATION_PIGMENTATION, ALL_AREAS },
  { "dull skin", MESO_INDICATION_DULL_SKIN, ALL_AREAS },
  { "rosacea", MESO_INDICATION_ROSACEA, ALL_AREAS },
  { "hair loss", MESO_INDICATION_HAIR_LOSS, 1u << MESO_AREA_SCALP },
};

static void
test_suits_area (void **state)
{
  for (int area = MESO_AREA_FACE; area <= MESO_AREA_HANDS; area++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (active_cases); i++)
        {
          g_autofree char *what = g_strdup_printf ("%s on %s", active_cases[i].what,
                                                   meso_enum_to_nick (MESO_TYPE_AREA, area));

          EXPECT_INT (what, (active_cases[i].areas >> area) & 1,
                      meso_rules_active_suits_area ((MesoActive) active_cases[i].value,
                                                    (MesoArea) area));
        }
      for (gsize i = 0; i < G_N_ELEMENTS (indication_cases); i++)
        {
          g_autofree char *what = g_strdup_printf ("%s on %s", indication_cases[i].what,
                                                   meso_enum_to_nick (MESO_TYPE_AREA, area));

          EXPECT_INT (what, (indication_cases[i].areas >> area) & 1,
                      meso_rules_indication_suits_area ((MesoIndication) indication_cases[i].value,
                                                        (MesoArea) area));
        }
    }
}

/* The vocabulary: nicks are stable identifiers, labels are for people */

/* meso-types.h: a nick names a value of R1–R6's vocabulary in the database, on
 * the command line and in JSON; anything else is refused, leaving @value alone. */
static const struct
{
  const char *what;
  GType     (*get_type) (void);
  const char *nick;
  gboolean    known;
  int         value;
} from_nick_cases[] = {
  { "area decollete", meso_area_get_type, "decollete", TRUE, MESO_AREA_DECOLLETE },
  { "area face", meso_area_get_type, "face", TRUE, MESO_AREA_FACE },
  { "flag active-acne", meso_contraindication_get_type, "active-acne", TRUE,
    MESO_CONTRAINDICATION_ACTIVE_ACNE },
  { "flag scar-prone", meso_contraindication_get_type, "scar-prone", TRUE,
    MESO_CONTRAINDICATION_SCAR_PRONE },
  { "role clinician", meso_role_get_type, "clinician", TRUE, MESO_ROLE_CLINICIAN },
  { "unknown nick", meso_area_get_type, "nope", FALSE },
  { "empty nick", meso_area_get_type, "", FALSE },
  { "NULL nick", meso_area_get_type, NULL, FALSE },
  { "another enum's nick", meso_area_get_type, "active-acne", FALSE },
  { "a label, not a nick", meso_area_get_type, "Face", FALSE },
};

static void
test_enum_from_nick (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (from_nick_cases); i++)
    {
      const char *what = from_nick_cases[i].what;
      int value = -42;

      EXPECT_INT (what, from_nick_cases[i].known,
                  meso_enum_from_nick (from_nick_cases[i].get_type (), from_nick_cases[i].nick,
                                       &value));
      EXPECT_INT (what, from_nick_cases[i].known ? from_nick_cases[i].value : -42, value);
    }
}

/* meso-types.h: nicks as glib-mkenums derives them, and back. */
static const struct
{
  GType     (*get_type) (void);
  int         value;
  const char *nick;
} to_nick_cases[] = {
  { meso_contraindication_get_type, MESO_CONTRAINDICATION_ACTIVE_ACNE, "active-acne" },
  { meso_area_get_type, MESO_AREA_DECOLLETE, "decollete" },
  { meso_device_get_type, MESO_DEVICE_PEN, "pen" },
  { meso_needle_material_get_type, MESO_NEEDLE_MATERIAL_GOLD_PLATED, "gold-plated" },
  { meso_indication_get_type, MESO_INDICATION_HAIR_LOSS, "hair-loss" },
  { meso_active_get_type, MESO_ACTIVE_HYALURONIC_ACID, "hyaluronic-acid" },
  { meso_role_get_type, MESO_ROLE_RECEPTIONIST, "receptionist" },
  { meso_aftercare_kind_get_type, MESO_AFTERCARE_NO_WATER, "no-water" },
  { meso_recall_status_get_type, MESO_RECALL_OVERDUE, "overdue" },
};

static void
test_enum_to_nick (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (to_nick_cases); i++)
    {
      int back = -1;

      EXPECT_STR (to_nick_cases[i].nick, to_nick_cases[i].nick,
                  meso_enum_to_nick (to_nick_cases[i].get_type (), to_nick_cases[i].value));
      EXPECT (to_nick_cases[i].nick,
              meso_enum_from_nick (to_nick_cases[i].get_type (), to_nick_cases[i].nick, &back));
      EXPECT_INT (to_nick_cases[i].nick, to_nick_cases[i].value, back);
    }
}

/* Every label function, by the enum's type. */
static const char *
label_of (GType type,
          int   value)
{
  if (type == MESO_TYPE_AREA)
    return meso_area_get_label ((MesoArea) value);
  if (type == MESO_TYPE_DEVICE)
    return meso_device_get_label ((MesoDevice) value);
  if (type == MESO_TYPE_NEEDLE_MATERIAL)
    return meso_needle_material_get_label ((MesoNeedleMaterial) value);
  if (type == MESO_TYPE_NEEDLE_CLASS)
    return meso_needle_class_get_label ((MesoNeedleClass) value);
  if (type == MESO_TYPE_CONTRAINDICATION)
    return meso_contraindication_get_label ((MesoContraindication) value);
  if (type == MESO_TYPE_INDICATION)
    return meso_indication_get_label ((MesoIndication) value);
  if (type == MESO_TYPE_ACTIVE)
    return meso_active_get_label ((MesoActive) value);
  if (type == MESO_TYPE_AFTERCARE_KIND)
    return meso_aftercare_kind_get_label ((MesoAftercareKind) value);
  if (type == MESO_TYPE_HEALING_PHASE)
    return meso_healing_phase_get_label ((MesoHealingPhase) value);
  if (type == MESO_TYPE_RECALL_STATUS)
    return meso_recall_status_get_label ((MesoRecallStatus) value);
  g_assert_not_reached ();
}

static GType (* const labelled_types[]) (void) = {
  meso_area_get_type,
  meso_device_get_type,
  meso_needle_material_get_type,
  meso_needle_class_get_type,
  meso_contraindication_get_type,
  meso_indication_get_type,
  meso_active_get_type,
  meso_aftercare_kind_get_type,
  meso_healing_phase_get_type,
  meso_recall_status_get_type,
};

static void
test_labels (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (labelled_types); i++)
    {
      GType type = labelled_types[i] ();
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);

      EXPECT (g_type_name (type), klass->n_values > 0);
      for (guint j = 0; j < klass->n_values; j++)
        {
          const char *label = label_of (type, klass->values[j].value);

          EXPECT (klass->values[j].value_name, label != NULL && *label != '\0');
        }
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_time_zone_is_berlin),
    cmocka_unit_test (test_verdict_accessors),
    cmocka_unit_test (test_verdict_is_blocking),
    cmocka_unit_test (test_verdict_worst),
    cmocka_unit_test (test_verdict_join_messages),
    cmocka_unit_test (test_check_interval),
    cmocka_unit_test_teardown (test_verdict_dates_in_locale, restore_locale),
    cmocka_unit_test (test_find_neighbours),
    cmocka_unit_test (test_follow_up_window),
    cmocka_unit_test (test_flag_is_active_on),
    cmocka_unit_test (test_check_contraindications),
    cmocka_unit_test (test_needle_parse),
    cmocka_unit_test (test_needle_format),
    cmocka_unit_test_teardown (test_needle_in_locales, restore_numeric_locale),
    cmocka_unit_test (test_number_format_fixed),
    cmocka_unit_test (test_needle_class),
    cmocka_unit_test (test_check_needle),
    cmocka_unit_test (test_check_lot),
    cmocka_unit_test (test_resolve_expired_lot),
    cmocka_unit_test (test_check_consent),
    cmocka_unit_test (test_check_session_consent),
    cmocka_unit_test (test_indication_is_scar_treatment),
    cmocka_unit_test (test_check_session),
    cmocka_unit_test (test_check_booking),
    cmocka_unit_test (test_resolve),
    cmocka_unit_test (test_resolve_session),
    cmocka_unit_test (test_aftercare_plan_order),
    cmocka_unit_test (test_aftercare_plan),
    cmocka_unit_test (test_aftercare_active_at),
    cmocka_unit_test (test_aftercare_active_on),
    cmocka_unit_test (test_recall_status),
    cmocka_unit_test (test_aftercare_item_one_row),
    cmocka_unit_test (test_aftercare_item_rows),
    cmocka_unit_test (test_follow_up_item),
    cmocka_unit_test (test_aftercare_active_during),
    cmocka_unit_test (test_recall_status_in_window),
    cmocka_unit_test (test_healing_phase),
    cmocka_unit_test (test_suits_area),
    cmocka_unit_test (test_enum_from_nick),
    cmocka_unit_test (test_enum_to_nick),
    cmocka_unit_test (test_labels),
  };

  use_test_time_zone ();
  /* The build's translations (MESODESK_LOCALEDIR), for the verdicts in German;
   * the language is LC_MESSAGES's alone. */
  meso_i18n_init ();
  g_unsetenv ("LANGUAGE");
  /* GLib decides at its first translation whether to translate at all, and
   * under C.UTF-8 it decides not to: that first one is asked in German. */
  if (setlocale (LC_MESSAGES, "de_DE.UTF-8") != NULL)
    (void) g_dgettext (GETTEXT_PACKAGE, "Face");
  setlocale (LC_ALL, "C.UTF-8");

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
