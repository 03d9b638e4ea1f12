/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mesodesk's clock, calendar-day arithmetic and the date formats people type.
 * Everything runs in Europe/Berlin, so daylight-saving changes are crossed:
 * in 2026 clocks go forward on 29 March and back on 25 October. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-time.h"

#include "meso-test.h"

/* Calendar days in local time; a DST change never shifts the count. */
static const struct
{
  const char *what;
  const char *from;
  gboolean    from_utc;
  const char *to;
  gboolean    to_utc;
  int         days;
} days_between_cases[] = {
  { "the same moment", "2026-11-21T10:00", FALSE, "2026-11-21T10:00", FALSE, 0 },
  { "28 days across the spring change (28 d - 1 h elapsed)",
    "2026-03-10T10:00", FALSE, "2026-04-07T10:00", FALSE, 28 },
  { "27 days across the spring change", "2026-03-10T10:00", FALSE, "2026-04-06T10:00", FALSE, 27 },
  { "28 days across the autumn change (28 d + 1 h elapsed)",
    "2026-10-01T10:00", FALSE, "2026-10-29T10:00", FALSE, 28 },
  { "the 23-hour spring-change day is one day",
    "2026-03-28T12:00", FALSE, "2026-03-29T12:00", FALSE, 1 },
  { "the 25-hour autumn-change day is one day",
    "2026-10-24T12:00", FALSE, "2026-10-25T12:00", FALSE, 1 },
  { "23:30 to 00:10 the next day is one day",
    "2026-11-20T23:30", FALSE, "2026-11-21T00:10", FALSE, 1 },
  { "00:10 to 23:30 the same day is none",
    "2026-11-21T00:10", FALSE, "2026-11-21T23:30", FALSE, 0 },
  { "backwards is negative", "2026-04-07T10:00", FALSE, "2026-03-10T10:00", FALSE, -28 },
  { "backwards over midnight", "2026-11-21T00:10", FALSE, "2026-11-20T23:30", FALSE, -1 },
  { "the year's end", "2026-12-31T23:59", FALSE, "2027-01-01T00:00", FALSE, 1 },
  { "over a leap day", "2028-02-28T10:00", FALSE, "2028-03-01T10:00", FALSE, 2 },
  { "a whole common year", "2026-01-01T10:00", FALSE, "2027-01-01T10:00", FALSE, 365 },
  { "a UTC time counts by its local day (winter)",
    "2026-03-10T23:30", TRUE, "2026-03-11T10:00", FALSE, 0 },
  { "a UTC time counts by its local day (summer)",
    "2026-06-30T10:00", FALSE, "2026-06-30T22:30", TRUE, 1 },
};

static void
test_days_between (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (days_between_cases); i++)
    {
      const char *what = days_between_cases[i].what;
      g_autoptr(GDateTime) from = make_date_time (days_between_cases[i].from,
                                                  days_between_cases[i].from_utc);
      g_autoptr(GDateTime) to = make_date_time (days_between_cases[i].to,
                                                days_between_cases[i].to_utc);

      EXPECT_INT (what, days_between_cases[i].days, meso_days_between (from, to));
    }
}

/* What people type: exactly YYYY-MM-DD, a real calendar date. */
static const struct
{
  const char *what;
  const char *text;
  gboolean    valid;
  const char *date;  /* as parsed, when valid */
} date_parse_cases[] = {
  { "a plain date", "2026-11-21", TRUE, "2026-11-21" },
  { "the first day of a year", "2026-01-01", TRUE, "2026-01-01" },
  { "the last day of a year", "2026-12-31", TRUE, "2026-12-31" },
  { "28 February", "2026-02-28", TRUE, "2026-02-28" },
  { "a leap day in a leap year", "2028-02-29", TRUE, "2028-02-29" },
  { "30 April", "2026-04-30", TRUE, "2026-04-30" },
  { "30 February", "2026-02-30", FALSE },
  { "a leap day in a common year", "2027-02-29", FALSE },
  { "31 April", "2026-04-31", FALSE },
  { "month 13", "2026-13-01", FALSE },
  { "month 0", "2026-00-10", FALSE },
  { "day 0", "2026-01-00", FALSE },
  { "unpadded month and day", "2026-2-3", FALSE },
  { "unpadded day", "2026-02-3", FALSE },
  { "empty", "", FALSE },
  { "trailing garbage", "2026-01-01x", FALSE },
  { "a leading space", " 2026-01-01", FALSE },
  { "a trailing space", "2026-01-01 ", FALSE },
  { "German order", "21.11.2026", FALSE },
  { "slashes", "2026/11/21", FALSE },
  { "no separators", "20261121", FALSE },
  { "a date and time", "2026-11-21T10:00", FALSE },
  { "words", "tomorrow", FALSE },
};

static void
test_date_parse (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (date_parse_cases); i++)
    {
      const char *what = date_parse_cases[i].what;
      const char *text = date_parse_cases[i].text;
      g_autoptr(GError) error = NULL;
      GDate date;
      gboolean ok;

      g_date_clear (&date, 1);
      ok = meso_date_parse (text, &date, &error);

      if (date_parse_cases[i].valid)
        {
          if (!ok)
            {
              print_error ("case \"%s\": \"%s\" rejected: %s\n", what, text,
                           error != NULL ? error->message : "(no error)");
              fail ();
            }
          EXPECT (what, error == NULL);
          expect_date (what, date_parse_cases[i].date, &date);
          continue;
        }

      EXPECT (what, !ok);
      EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID));
      EXPECT_CONTAINS (what, error->message, text);
    }
}

/* Exactly YYYY-MM-DDTHH:MM, local time. The spring-forward gap is not tested:
 * either answer is acceptable there. */
static const struct
{
  const char *what;
  const char *text;
  gboolean    valid;
  int         year, month, day, hour, minute;
  int         offset_hours;
} date_time_parse_cases[] = {
  { "a winter morning", "2026-11-21T10:00", TRUE, 2026, 11, 21, 10, 0, 1 },
  { "a summer midnight", "2026-07-01T00:00", TRUE, 2026, 7, 1, 0, 0, 2 },
  { "a minute before midnight", "2026-11-21T23:59", TRUE, 2026, 11, 21, 23, 59, 1 },
  { "the last minute of an hour", "2026-11-21T10:59", TRUE, 2026, 11, 21, 10, 59, 1 },
  { "a leap day", "2028-02-29T12:30", TRUE, 2028, 2, 29, 12, 30, 1 },
  { "a space instead of T", "2026-11-21 10:00", FALSE },
  { "hour 25", "2026-11-21T25:00", FALSE },
  { "hour 24", "2026-11-21T24:00", FALSE },
  { "minute 60", "2026-11-21T10:60", FALSE },
  { "no minutes", "2026-11-21T10", FALSE },
  { "no time", "2026-11-21T", FALSE },
  { "a date only", "2026-11-21", FALSE },
  { "a time only", "T10:00", FALSE },
  { "empty", "", FALSE },
  { "seconds", "2026-11-21T10:00:00", FALSE },
  { "a zone", "2026-11-21T10:00Z", FALSE },
  { "an unpadded hour", "2026-11-21T1:00", FALSE },
  { "30 February", "2026-02-30T10:00", FALSE },
  { "trailing garbage", "2026-11-21T10:00x", FALSE },
  { "German order", "21.11.2026 10:00", FALSE },
};

static void
test_date_time_parse_local (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (date_time_parse_cases); i++)
    {
      const char *what = date_time_parse_cases[i].what;
      const char *text = date_time_parse_cases[i].text;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = meso_date_time_parse_local (text, &error);

      if (date_time_parse_cases[i].valid)
        {
          if (dt == NULL)
            {
              print_error ("case \"%s\": \"%s\" rejected: %s\n", what, text,
                           error != NULL ? error->message : "(no error)");
              fail ();
            }
          EXPECT (what, error == NULL);
          EXPECT_INT (what, date_time_parse_cases[i].year, g_date_time_get_year (dt));
          EXPECT_INT (what, date_time_parse_cases[i].month, g_date_time_get_month (dt));
          EXPECT_INT (what, date_time_parse_cases[i].day, g_date_time_get_day_of_month (dt));
          EXPECT_INT (what, date_time_parse_cases[i].hour, g_date_time_get_hour (dt));
          EXPECT_INT (what, date_time_parse_cases[i].minute, g_date_time_get_minute (dt));
          EXPECT_INT (what, 0, g_date_time_get_second (dt));
          EXPECT_INT (what, date_time_parse_cases[i].offset_hours * G_TIME_SPAN_HOUR,
                      g_date_time_get_utc_offset (dt));
          continue;
        }

      EXPECT (what, dt == NULL);
      EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID));
      EXPECT_CONTAINS (what, error->message, text);
    }
}

/* A time of day as a form takes it: H:MM or HH:MM, nothing around it. */
static const struct
{
  const char *text;
  int         minutes;  /* -1: refused */
} time_of_day_cases[] = {
  { "00:00", 0 },
  { "09:30", 570 },
  { "9:30", 570 },
  { "23:59", 1439 },
  { "24:00", -1 },
  { "12:60", -1 },
  { "9:5", -1 },
  { "930", -1 },
  { "09:30 ", -1 },
  { " 09:30", -1 },
  { "09:30:00", -1 },
  { "", -1 },
  { "x9:30", -1 },
};

static void
test_time_of_day_parse (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (time_of_day_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      int minutes = -1;
      gboolean ok = meso_time_of_day_parse (time_of_day_cases[i].text, &minutes, &error);

      EXPECT_INT (time_of_day_cases[i].text, time_of_day_cases[i].minutes >= 0, ok);
      if (ok)
        {
          EXPECT_NO_ERROR (time_of_day_cases[i].text, error);
          EXPECT_INT (time_of_day_cases[i].text, time_of_day_cases[i].minutes, minutes);
        }
      else
        {
          assert_non_null (error);
          /* The message quotes what was typed, so the person sees what is wrong. */
          assert_non_null (strstr (error->message, time_of_day_cases[i].text));
        }
    }
}

/* The local calendar day of a moment, whatever zone the moment is in. */
static const struct
{
  const char *what;
  const char *at;
  gboolean    utc;
  const char *date;
} date_from_date_time_cases[] = {
  { "local midnight", "2026-11-21T00:00", FALSE, "2026-11-21" },
  { "local 23:59", "2026-11-21T23:59", FALSE, "2026-11-21" },
  { "UTC 23:30 in winter is the next local day", "2026-11-20T23:30", TRUE, "2026-11-21" },
  { "UTC 22:30 in winter is still the same local day", "2026-11-20T22:30", TRUE, "2026-11-20" },
  { "UTC 22:30 in summer is the next local day", "2026-06-30T22:30", TRUE, "2026-07-01" },
  { "UTC 21:30 in summer is still the same local day", "2026-06-30T21:30", TRUE, "2026-06-30" },
};

static void
test_date_from_date_time (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (date_from_date_time_cases); i++)
    {
      const char *what = date_from_date_time_cases[i].what;
      g_autoptr(GDateTime) at = make_date_time (date_from_date_time_cases[i].at,
                                                date_from_date_time_cases[i].utc);
      GDate date;

      g_date_clear (&date, 1);
      meso_date_from_date_time (at, &date);
      expect_date (what, date_from_date_time_cases[i].date, &date);
    }
}

/* Local midnight, on both sides of both DST changes. */
static const struct
{
  const char *what;
  const char *date;
  int         offset_hours;
} date_time_from_date_cases[] = {
  { "a winter day", "2026-11-21", 1 },
  { "a summer day", "2026-07-01", 2 },
  { "the day before the spring change", "2026-03-28", 1 },
  { "the spring-change day starts in CET", "2026-03-29", 1 },
  { "the day after the spring change", "2026-03-30", 2 },
  { "the autumn-change day starts in CEST", "2026-10-25", 2 },
  { "the day after the autumn change", "2026-10-26", 1 },
};

static void
test_date_time_from_date (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (date_time_from_date_cases); i++)
    {
      const char *what = date_time_from_date_cases[i].what;
      g_autoptr(GDateTime) midnight = NULL;
      GDate date;
      GDate back;

      make_date (&date, date_time_from_date_cases[i].date);
      midnight = meso_date_time_from_date (&date);
      EXPECT (what, midnight != NULL);
      EXPECT_INT (what, g_date_get_year (&date), g_date_time_get_year (midnight));
      EXPECT_INT (what, g_date_get_month (&date), g_date_time_get_month (midnight));
      EXPECT_INT (what, g_date_get_day (&date), g_date_time_get_day_of_month (midnight));
      EXPECT_INT (what, 0, g_date_time_get_hour (midnight));
      EXPECT_INT (what, 0, g_date_time_get_minute (midnight));
      EXPECT_INT (what, 0, g_date_time_get_second (midnight));
      EXPECT_INT (what, date_time_from_date_cases[i].offset_hours * G_TIME_SPAN_HOUR,
                  g_date_time_get_utc_offset (midnight));

      g_date_clear (&back, 1);
      meso_date_from_date_time (midnight, &back);
      expect_date (what, date_time_from_date_cases[i].date, &back);
    }
}

/* The ISO forms for files, and the translatable form in the C locale. */
static const struct
{
  const char *what;
  const char *at;
  const char *date_iso;
  const char *date_time_iso;
} format_cases[] = {
  { "a winter morning", "2026-11-21T09:30", "2026-11-21", "2026-11-21T09:30" },
  { "padded month, day, hour, minute", "2026-01-05T07:05", "2026-01-05", "2026-01-05T07:05" },
  { "a summer midnight", "2026-07-01T00:00", "2026-07-01", "2026-07-01T00:00" },
  { "a minute before the year's end", "2026-12-31T23:59", "2026-12-31", "2026-12-31T23:59" },
};

static void
test_format (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const char *what = format_cases[i].what;
      g_autoptr(GDateTime) at = local_time (format_cases[i].at);
      g_autoptr(GDateTime) parsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *date_iso = NULL;
      g_autofree char *date_time_iso = NULL;
      g_autofree char *date_text = NULL;
      g_autofree char *date_time_text = NULL;
      g_autofree char *time_part = NULL;
      GDate date;

      make_date (&date, format_cases[i].date_iso);
      date_iso = meso_format_date_iso (&date);
      EXPECT_STR (what, format_cases[i].date_iso, date_iso);

      date_time_iso = meso_format_date_time_iso (at);
      EXPECT_STR (what, format_cases[i].date_time_iso, date_time_iso);

      /* The C locale's translatable date format is %Y-%m-%d. */
      date_text = meso_format_date (&date);
      EXPECT_STR (what, format_cases[i].date_iso, date_text);

      date_time_text = meso_format_date_time (at);
      time_part = g_strdup (format_cases[i].date_time_iso + strlen ("YYYY-MM-DDT"));
      EXPECT_CONTAINS (what, date_time_text, format_cases[i].date_iso);
      EXPECT_CONTAINS (what, date_time_text, time_part);

      /* What the ISO form writes, the parser reads back. */
      parsed = meso_date_time_parse_local (date_time_iso, &error);
      EXPECT (what, error == NULL);
      EXPECT (what, parsed != NULL && g_date_time_equal (parsed, at));
    }
}

/* Opening hours and the schedule's spans: minutes after midnight as a
 * clock shows them, the day's end included. */
static void
test_format_minute_of_day (void **state)
{
  static const struct
  {
    int         minute;
    const char *text;
  } cases[] = {
    { 0, "00:00" }, { 9 * 60 + 5, "09:05" }, { 13 * 60 + 30, "13:30" },
    { 23 * 60 + 59, "23:59" }, { 24 * 60, "24:00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = meso_format_minute_of_day (cases[i].minute);

      EXPECT_STR (cases[i].text, cases[i].text, text);
    }
}

/* Each kind of date, on each side of each border, seen from 2026-11-20. */
static const struct
{
  const char  *what;
  MesoDateKind kind;
  const char  *date;
  gboolean     ok;
  const char  *message_has;  /* when refused */
} range_cases[] = {
  { "session 1899-12-31", MESO_DATE_SESSION, "1899-12-31", FALSE, "1900-01-01" },
  { "session 1900-01-01", MESO_DATE_SESSION, "1900-01-01", TRUE, NULL },
  { "session today", MESO_DATE_SESSION, "2026-11-20", TRUE, NULL },
  { "session tomorrow", MESO_DATE_SESSION, "2026-11-21", FALSE, "still to come" },
  { "birth 1899-12-31", MESO_DATE_BIRTH, "1899-12-31", FALSE, "1900-01-01" },
  { "birth 1900-01-01", MESO_DATE_BIRTH, "1900-01-01", TRUE, NULL },
  { "birth today", MESO_DATE_BIRTH, "2026-11-20", TRUE, NULL },
  { "birth tomorrow", MESO_DATE_BIRTH, "2026-11-21", FALSE, "future" },
  { "booking yesterday", MESO_DATE_BOOKING, "2026-11-19", FALSE, "past" },
  { "booking today", MESO_DATE_BOOKING, "2026-11-20", TRUE, NULL },
  { "booking 5 years ahead less a day", MESO_DATE_BOOKING, "2031-11-19", TRUE, NULL },
  { "booking 5 years ahead", MESO_DATE_BOOKING, "2031-11-20", TRUE, NULL },
  { "booking 5 years ahead and a day", MESO_DATE_BOOKING, "2031-11-21", FALSE, "2031-11-20" },
  { "booking 9999-12-31", MESO_DATE_BOOKING, "9999-12-31", FALSE, "2031-11-20" },
  { "flag 1899-12-31", MESO_DATE_FLAG, "1899-12-31", FALSE, "1900-01-01" },
  { "flag 1900-01-01", MESO_DATE_FLAG, "1900-01-01", TRUE, NULL },
  { "flag 5 years ahead", MESO_DATE_FLAG, "2031-11-20", TRUE, NULL },
  { "flag 5 years ahead and a day", MESO_DATE_FLAG, "2031-11-21", FALSE, "2031-11-20" },
  { "query 0001-01-01", MESO_DATE_QUERY, "0001-01-01", FALSE, "0001-01-01" },
  { "query 1899-12-31", MESO_DATE_QUERY, "1899-12-31", FALSE, "1900-01-01" },
  { "query 1900-01-01", MESO_DATE_QUERY, "1900-01-01", TRUE, NULL },
  { "query 5 years ahead", MESO_DATE_QUERY, "2031-11-20", TRUE, NULL },
  { "query 5 years ahead and a day", MESO_DATE_QUERY, "2031-11-21", FALSE, "2031-11-20" },
  { "query 9999-12-31", MESO_DATE_QUERY, "9999-12-31", FALSE, "9999-12-31" },
};

static void
test_date_ranges (void **state)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 20, G_DATE_NOVEMBER, 2026);
  for (gsize i = 0; i < G_N_ELEMENTS (range_cases); i++)
    {
      const char *what = range_cases[i].what;
      g_autoptr(GError) error = NULL;
      GDate date;

      assert_true (meso_date_parse (range_cases[i].date, &date, NULL));
      if (range_cases[i].ok)
        {
          EXPECT (what, meso_date_check (range_cases[i].kind, &date, &today, &error));
          EXPECT_NO_ERROR (what, error);
          continue;
        }
      EXPECT (what, !meso_date_check (range_cases[i].kind, &date, &today, &error));
      EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE));
      EXPECT_CONTAINS (what, error->message, range_cases[i].message_has);
    }
}

/* A booking at 23:30 on the last day ends after midnight, still in range;
 * 29 February five years on is the 28th. */
static void
test_date_time_ranges (void **state)
{
  g_autoptr(GDateTime) now = meso_date_time_new_local (2028, 2, 29, 10, 0, 0);
  g_autoptr(GDateTime) last = meso_date_time_new_local (2033, 2, 28, 23, 30, 0);
  g_autoptr(GDateTime) after = meso_date_time_new_local (2033, 3, 1, 0, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (last, 60);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) late = NULL;
  g_autoptr(GError) missing = NULL;

  EXPECT ("the last day, 23:30", meso_date_time_check (MESO_DATE_BOOKING, last, now, &error));
  EXPECT_NO_ERROR ("the last day, 23:30", error);
  EXPECT ("its end exists", end != NULL);
  EXPECT ("the day after", !meso_date_time_check (MESO_DATE_BOOKING, after, now, &late));
  EXPECT ("the day after", g_error_matches (late, MESO_TIME_ERROR,
                                            MESO_TIME_ERROR_OUT_OF_RANGE));
  EXPECT ("no time", !meso_date_time_check (MESO_DATE_BOOKING, NULL, now, &missing));
  EXPECT ("no time", missing != NULL);
}

/* Out of range, MESODESK_NOW is refused at start and ignored by the clock. */
static void
test_clock_out_of_range (void **state)
{
  g_autoptr(GDateTime) now = NULL;

  g_setenv ("MESODESK_NOW", "9999-12-31T10:00", TRUE);
  now = meso_clock_now ();
  EXPECT ("the system clock instead", now != NULL && g_date_time_get_year (now) < 9999);
}

static int
unset_clock_env (void **state)
{
  g_unsetenv ("MESODESK_NOW");
  return 0;
}

/* MESODESK_NOW pins the clock, in local time. */
static const struct
{
  const char *what;
  const char *env;
  const char *now_iso;
  int         offset_hours;
  const char *today;
} clock_env_cases[] = {
  { "a winter morning", "2026-11-21T09:30", "2026-11-21T09:30", 1, "2026-11-21" },
  { "a summer morning", "2026-07-01T09:30", "2026-07-01T09:30", 2, "2026-07-01" },
  { "just after midnight", "2026-11-21T00:10", "2026-11-21T00:10", 1, "2026-11-21" },
  { "just before midnight", "2026-11-20T23:59", "2026-11-20T23:59", 1, "2026-11-20" },
};

static void
test_clock_from_env (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (clock_env_cases); i++)
    {
      const char *what = clock_env_cases[i].what;
      g_autoptr(GDateTime) now = NULL;
      g_autofree char *now_iso = NULL;
      GDate today;

      g_setenv ("MESODESK_NOW", clock_env_cases[i].env, TRUE);
      now = meso_clock_now ();
      EXPECT (what, now != NULL);
      now_iso = g_date_time_format (now, "%Y-%m-%dT%H:%M");
      EXPECT_STR (what, clock_env_cases[i].now_iso, now_iso);
      EXPECT_INT (what, clock_env_cases[i].offset_hours * G_TIME_SPAN_HOUR,
                  g_date_time_get_utc_offset (now));

      g_date_clear (&today, 1);
      meso_clock_today (&today);
      expect_date (what, clock_env_cases[i].today, &today);
    }
}

static void
test_clock_system (void **state)
{
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) after = NULL;
  GDate today, today_before, today_after;

  g_unsetenv ("MESODESK_NOW");
  before = g_date_time_new_now_local ();
  now = meso_clock_now ();
  g_date_clear (&today, 1);
  meso_clock_today (&today);
  after = g_date_time_new_now_local ();

  assert_non_null (now);
  /* Within a few seconds of the system clock, and local. */
  EXPECT ("system clock", g_date_time_difference (now, before) > -5 * G_TIME_SPAN_SECOND);
  EXPECT ("system clock", g_date_time_difference (after, now) > -5 * G_TIME_SPAN_SECOND);
  EXPECT_INT ("system clock", g_date_time_get_utc_offset (before),
              g_date_time_get_utc_offset (now));

  /* Today is the local date, even if midnight passed in between. */
  g_date_clear (&today_before, 1);
  g_date_clear (&today_after, 1);
  g_date_set_dmy (&today_before, g_date_time_get_day_of_month (before),
                  g_date_time_get_month (before), g_date_time_get_year (before));
  g_date_set_dmy (&today_after, g_date_time_get_day_of_month (after),
                  g_date_time_get_month (after), g_date_time_get_year (after));
  EXPECT ("system today", g_date_valid (&today));
  EXPECT ("system today", g_date_compare (&today, &today_before) == 0 ||
                          g_date_compare (&today, &today_after) == 0);
}

/* Programs report a malformed MESODESK_NOW at start rather than ignore it. */
static const struct
{
  const char *what;
  const char *env;  /* NULL: unset */
  gboolean    valid;
} check_env_cases[] = {
  { "unset", NULL, TRUE },
  { "a valid local time", "2026-11-21T09:30", TRUE },
  { "a word", "tomorrow", FALSE },
  { "a date only", "2026-11-21", FALSE },
  { "a space instead of T", "2026-11-21 09:30", FALSE },
  { "hour 25", "2026-11-21T25:00", FALSE },
  { "the last minute before 1970", "1969-12-31T23:59", FALSE },
  { "the first minute of 1970", "1970-01-01T00:00", TRUE },
  { "the last minute of 2200", "2200-12-31T23:59", TRUE },
  { "the first minute of 2201", "2201-01-01T00:00", FALSE },
  { "the end of the calendar", "9999-12-31T10:00", FALSE },
};

static void
test_clock_check_env (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (check_env_cases); i++)
    {
      const char *what = check_env_cases[i].what;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (check_env_cases[i].env != NULL)
        g_setenv ("MESODESK_NOW", check_env_cases[i].env, TRUE);
      else
        g_unsetenv ("MESODESK_NOW");

      ok = meso_clock_check_env (&error);
      if (check_env_cases[i].valid)
        {
          if (!ok)
            {
              print_error ("case \"%s\": rejected: %s\n", what,
                           error != NULL ? error->message : "(no error)");
              fail ();
            }
          EXPECT (what, error == NULL);
          continue;
        }

      EXPECT (what, !ok);
      EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID));
      EXPECT_CONTAINS (what, error->message, check_env_cases[i].env);
    }
}

/* ======================================================= the locale's forms */

#include <locale.h>

/* Switches LC_TIME to @locale; a locale that is not installed skips the case
 * (Debian's locales-all has them all), except under CI, where it fails. */
static gboolean
use_time_locale (const char *locale)
{
  if (setlocale (LC_TIME, locale) != NULL)
    return TRUE;
  if (g_getenv ("CI") != NULL)
    fail_msg ("the locale %s is not installed (Debian: locales-all)", locale);
  return FALSE;
}

static int
restore_time_locale (void **state)
{
  (void) state;
  setlocale (LC_TIME, "C.UTF-8");
  return 0;
}

static const struct
{
  const char *locale;
  const char *short_date;   /* 14 March 1985 */
  const char *time;         /* 14:30 */
  const char *morning;      /* 09:05 */
  const char *typed_ok[4];  /* each is 14 March 1985 */
  const char *typed_bad[4];
  const char *example;      /* in the message of a bad date */
  const char *time_example; /* in the message of a bad time */
} locale_cases[] = {
  { "de_DE.UTF-8", "14.03.1985", "14:30", "09:05",
    { "14.03.1985", "14.3.1985", " 1985-03-14 ", "1985-3-14" },
    { "03/14/1985", "14.03.85", "14.03", "14. März 1985" },
    "14.03.1985", "14:30" },
  { "en_US.UTF-8", "03/14/1985", "2:30 PM", "9:05 AM",
    { "03/14/1985", "3/14/1985", "1985-03-14", "3-14-1985" },
    { "14/03/1985", "3/14/85", "1985-14-03", "March 14, 1985" },
    "03/14/1985", "2:30 PM" },
  { "ru_RU.UTF-8", "14.03.1985", "14:30", "09:05",
    { "14.03.1985", "14.3.1985", "1985-03-14", "14/03/1985" },
    { "03.14.1985", "14.03.85", "", "1985-03" },
    "14.03.1985", "14:30" },
  { "zh_CN.UTF-8", "1985年03月14日", "14:30", "09:05",
    { "1985年3月14日", "1985/3/14", "1985-03-14", "1985.03.14" },
    { "14/3/1985", "3/14/1985", "1985/2/30", "85/3/14" },
    "1985年03月14日", "14:30" },
};

static void
test_locale_formats (void **state)
{
  (void) state;

  for (gsize i = 0; i < G_N_ELEMENTS (locale_cases); i++)
    {
      const char *what = locale_cases[i].locale;
      g_autoptr(GDateTime) afternoon = meso_date_time_new_local (1985, 3, 14, 14, 30, 0);
      g_autoptr(GDateTime) morning = meso_date_time_new_local (1985, 3, 14, 9, 5, 0);
      g_autofree char *short_date = NULL;
      g_autofree char *long_date = NULL;
      g_autofree char *time = NULL;
      g_autofree char *early = NULL;
      g_autofree char *both = NULL;
      g_autofree char *expected_both = NULL;
      GDate date;

      if (!use_time_locale (locale_cases[i].locale))
        continue;
      make_date (&date, "1985-03-14");
      short_date = meso_format_date_short (&date);
      EXPECT_STR (what, locale_cases[i].short_date, short_date);
      time = meso_format_time_short (afternoon);
      EXPECT_STR (what, locale_cases[i].time, time);
      early = meso_format_time_short (morning);
      EXPECT_STR (what, locale_cases[i].morning, early);
      both = meso_format_date_time_short (afternoon);
      expected_both = g_strdup_printf ("%s %s", locale_cases[i].short_date,
                                       locale_cases[i].time);
      EXPECT_STR (what, expected_both, both);
      {
        g_autofree char *quarter = meso_format_minute_of_day_short (9 * 60 + 5);
        g_autofree char *hour = meso_format_hour_short (15);
        g_autofree char *end = meso_format_minute_of_day_short (24 * 60);
        gboolean twelve = g_str_equal (locale_cases[i].locale, "en_US.UTF-8");

        EXPECT_STR (what, locale_cases[i].morning, quarter);
        EXPECT_STR (what, twelve ? "3 PM" : "15:00", hour);
        EXPECT_STR (what, twelve ? "12:00 AM" : "24:00", end);
      }
      /* No padding spaces, and the locale's own day and month names. */
      make_date (&date, "2026-07-06");
      long_date = meso_format_date_long (&date);
      EXPECT (what, !(strstr (long_date, "  ") != NULL));
      EXPECT_CONTAINS (what, long_date, "2026");
      EXPECT_CONTAINS (what, long_date, " 6 ");
    }
  use_time_locale ("en_US.UTF-8");
  {
    g_autofree char *long_date = NULL;
    GDate date;

    make_date (&date, "2026-07-06");
    long_date = meso_format_date_long (&date);
    EXPECT_STR ("the long form in English", "Monday, 6 July 2026", long_date);
  }
}

static void
test_locale_date_parse (void **state)
{
  (void) state;

  for (gsize i = 0; i < G_N_ELEMENTS (locale_cases); i++)
    {
      const char *locale = locale_cases[i].locale;

      if (!use_time_locale (locale))
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (locale_cases[i].typed_ok); j++)
        {
          const char *text = locale_cases[i].typed_ok[j];
          g_autofree char *what = g_strdup_printf ("%s: “%s”", locale, text);
          g_autoptr(GError) error = NULL;
          g_autofree char *iso = NULL;
          GDate date;

          EXPECT (what, meso_date_parse_locale (text, &date, &error));
          EXPECT_NO_ERROR (what, error);
          iso = meso_format_date_iso (&date);
          EXPECT_STR (what, "1985-03-14", iso);
        }
      for (guint j = 0; j < G_N_ELEMENTS (locale_cases[i].typed_bad); j++)
        {
          const char *text = locale_cases[i].typed_bad[j];
          g_autofree char *what = g_strdup_printf ("%s: “%s”", locale, text);
          g_autoptr(GError) error = NULL;
          GDate date;

          EXPECT (what, !(meso_date_parse_locale (text, &date, &error)));
          EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID));
          /* The message shows the form to type, the locale's and ISO. */
          EXPECT_CONTAINS (what, error->message, locale_cases[i].example);
          EXPECT_CONTAINS (what, error->message, "1985-03-14");
        }
    }
}

static const struct
{
  const char *text;
  int         minutes;  /* -1: refused */
} time_typed_cases[] = {
  { "14:30", 14 * 60 + 30 },
  { "9:30", 9 * 60 + 30 },
  { "09:05", 9 * 60 + 5 },
  { "1430", 14 * 60 + 30 },
  { "930", 9 * 60 + 30 },
  { "14.30", 14 * 60 + 30 },
  { "14", 14 * 60 },
  { " 0:00 ", 0 },
  { "23:59", 23 * 60 + 59 },
  { "2:30 pm", 14 * 60 + 30 },
  { "2:30PM", 14 * 60 + 30 },
  { "12:15 am", 15 },
  { "12:15 pm", 12 * 60 + 15 },
  { "9 am", 9 * 60 },
  { "24:00", -1 },
  { "14:60", -1 },
  { "14:3", -1 },
  { "13:00 pm", -1 },
  { "0:30 am", -1 },
  { "12345", -1 },
  { "14:30:00", -1 },
  { "half past two", -1 },
  { "", -1 },
};

static void
test_locale_time_parse (void **state)
{
  (void) state;

  for (gsize i = 0; i < G_N_ELEMENTS (locale_cases); i++)
    {
      const char *locale = locale_cases[i].locale;

      if (!use_time_locale (locale))
        continue;
      for (gsize j = 0; j < G_N_ELEMENTS (time_typed_cases); j++)
        {
          g_autofree char *what = g_strdup_printf ("%s: “%s”", locale,
                                                   time_typed_cases[j].text);
          g_autoptr(GError) error = NULL;
          int minutes = -1;
          gboolean ok = meso_time_parse_locale (time_typed_cases[j].text, &minutes, &error);

          if (time_typed_cases[j].minutes >= 0)
            {
              EXPECT (what, ok);
              EXPECT_INT (what, time_typed_cases[j].minutes, minutes);
            }
          else
            {
              EXPECT (what, !(ok));
              EXPECT (what, g_error_matches (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID));
              EXPECT_CONTAINS (what, error->message, locale_cases[i].time_example);
            }
        }
      /* What the locale shows is read back. */
      {
        g_autoptr(GDateTime) at = meso_date_time_new_local (2026, 7, 6, 16, 45, 0);
        g_autofree char *shown = meso_format_time_short (at);
        int minutes = -1;

        EXPECT (locale, meso_time_parse_locale (shown, &minutes, NULL));
        EXPECT_INT (locale, 16 * 60 + 45, minutes);
      }
    }
  /* The locale's own words for morning and afternoon. */
  if (use_time_locale ("zh_CN.UTF-8"))
    {
      int minutes = -1;

      EXPECT ("zh_CN: 下午", meso_time_parse_locale ("2:30 下午", &minutes, NULL));
      EXPECT_INT ("zh_CN: 下午", 14 * 60 + 30, minutes);
    }
}

/* In the C locale the short form is the translated one (ISO untranslated). */
static void
test_locale_c (void **state)
{
  g_autoptr(GDateTime) at = meso_date_time_new_local (1985, 3, 14, 14, 30, 0);
  g_autofree char *short_date = NULL;
  g_autofree char *time = NULL;
  GDate date;

  (void) state;
  setlocale (LC_TIME, "C.UTF-8");
  make_date (&date, "1985-03-14");
  short_date = meso_format_date_short (&date);
  EXPECT_STR ("C: date", "1985-03-14", short_date);
  time = meso_format_time_short (at);
  EXPECT_STR ("C: time", "14:30", time);
  EXPECT ("C: a day-first date", !(meso_date_parse_locale ("14.03.1985", &date, NULL)));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_time_zone_is_berlin),
    cmocka_unit_test (test_days_between),
    cmocka_unit_test (test_date_parse),
    cmocka_unit_test (test_date_time_parse_local),
    cmocka_unit_test (test_time_of_day_parse),
    cmocka_unit_test (test_date_from_date_time),
    cmocka_unit_test (test_date_time_from_date),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_format_minute_of_day),
    cmocka_unit_test_teardown (test_clock_from_env, unset_clock_env),
    cmocka_unit_test_teardown (test_clock_system, unset_clock_env),
    cmocka_unit_test_teardown (test_clock_check_env, unset_clock_env),
    cmocka_unit_test (test_date_ranges),
    cmocka_unit_test (test_date_time_ranges),
    cmocka_unit_test_teardown (test_clock_out_of_range, unset_clock_env),
    cmocka_unit_test_teardown (test_locale_formats, restore_time_locale),
    cmocka_unit_test_teardown (test_locale_date_parse, restore_time_locale),
    cmocka_unit_test_teardown (test_locale_time_parse, restore_time_locale),
    cmocka_unit_test (test_locale_c),
  };

  /* As the programs do: LC_CTYPE from the environment (C.UTF-8 in meson). */
  setlocale (LC_ALL, "");
  use_test_time_zone ();
  g_unsetenv ("MESODESK_NOW");

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
