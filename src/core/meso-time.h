/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mesodesk's one clock, and the date and time formats people type and read.
 * All day arithmetic is in calendar days of the local time zone. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_TIME_ERROR (meso_time_error_quark ())

typedef enum
{
  MESO_TIME_ERROR_INVALID,
  MESO_TIME_ERROR_OUT_OF_RANGE,
} MesoTimeError;

/* The dates Mesodesk accepts, by what a date is for; outside them a typo is
 * likelier than a fact, and past year 9999 GDateTime has no answer. */
typedef enum
{
  MESO_DATE_SESSION,  /* a treatment given: 1900-01-01 to today */
  MESO_DATE_BIRTH,    /* 1900-01-01 to today */
  MESO_DATE_BOOKING,  /* an appointment's start: today to MESO_DATE_HORIZON_YEARS ahead */
  MESO_DATE_FLAG,     /* a flag noted or cleared: 1900-01-01 to the horizon */
  MESO_DATE_EXPIRY,   /* a product lot's last day of use: 1900-01-01 to the horizon */
  MESO_DATE_QUERY,    /* a day to list or remind (--on, --from, --to): the same */
} MesoDateKind;

#define MESO_DATE_EARLIEST_YEAR   1900
#define MESO_DATE_HORIZON_YEARS   5
/* What MESODESK_NOW may say: from 1970-01-01T00:00 to 2200-12-31T23:59. */
#define MESO_CLOCK_EARLIEST_YEAR  1970
#define MESO_CLOCK_LATEST_YEAR    2200

GQuark     meso_time_error_quark       (void);

/* "Now" in local time: MESODESK_NOW (YYYY-MM-DDTHH:MM, local) when set,
 * the system clock otherwise. Programs call meso_clock_check_env() at start
 * so that a malformed MESODESK_NOW is reported rather than ignored. */
GDateTime *meso_clock_now              (void);
void       meso_clock_today            (GDate       *date);
gboolean   meso_clock_check_env        (GError     **error);

/* Strict parsers for what people and scripts type: "YYYY-MM-DD" and
 * "YYYY-MM-DDTHH:MM" (local time). The error names the text and the form. */
gboolean   meso_date_parse             (const char  *text,
                                        GDate       *date,
                                        GError     **error);
/* Full years from @birth to @today (a birthday on 29 February counts on
 * 1 March in other years); -1 when @today is before @birth. */
int        meso_age_years              (const GDate *birth,
                                        const GDate *today);
GDateTime *meso_date_time_parse_local  (const char  *text,
                                        GError     **error);
/* The first and last day a date of @kind may be, seen from @today. */
void       meso_date_get_range         (MesoDateKind  kind,
                                        const GDate  *today,
                                        GDate        *first,
                                        GDate        *last);
/* FALSE, with MESO_TIME_ERROR_OUT_OF_RANGE and a message naming the border,
 * when @date is outside the range of @kind seen from @today. */
gboolean   meso_date_check             (MesoDateKind  kind,
                                        const GDate  *date,
                                        const GDate  *today,
                                        GError      **error);
/* The same for the local day of @date_time, seen from the day of @now. */
gboolean   meso_date_time_check        (MesoDateKind  kind,
                                        GDateTime    *date_time,
                                        GDateTime    *now,
                                        GError      **error);
/* A time of day as typed in a form: "HH:MM" or "H:MM" (24 hours), into
 * minutes after midnight. */
gboolean   meso_time_of_day_parse      (const char  *text,
                                        int         *minutes,
                                        GError     **error);

/* The local time zone, read once and kept until $TZ changes: GLib 2.74 reads
 * the zone files again on every *_local() call while TZ is unset, which
 * made day lists several times slower. Core code uses these, never the
 * g_date_time_*_local() functions. Returns a new reference. */
GTimeZone *meso_time_zone_dup_local    (void);
GDateTime *meso_date_time_new_local    (int          year,
                                        int          month,
                                        int          day,
                                        int          hour,
                                        int          minute,
                                        double       seconds);
GDateTime *meso_date_time_new_from_unix (gint64      seconds);
GDateTime *meso_date_time_to_local     (GDateTime   *date_time);

/* The calendar day of @date_time in the local time zone. */
void       meso_date_from_date_time    (GDateTime   *date_time,
                                        GDate       *date);
/* Local midnight starting @date. */
GDateTime *meso_date_time_from_date    (const GDate *date);

/* Calendar days from @from to @to in local time; negative if @to is earlier.
 * A daylight-saving change in between never shifts the count. */
int        meso_days_between           (GDateTime   *from,
                                        GDateTime   *to);

/* How core's messages (a rule's verdict, a refused date, a conflict) write
 * dates and times: the window asks for the person's locale (14.03.1985,
 * 03/14/1985); the command line keeps ISO, the form it takes, in every
 * language. Set once at start, before any thread. */
typedef enum
{
  MESO_MESSAGE_DATES_LOCALE,  /* the default: meso_format_date_short() and its kin */
  MESO_MESSAGE_DATES_ISO,     /* 2026-07-01, 2026-07-01 14:30, 14:30 */
} MesoMessageDates;

void       meso_time_set_message_dates (MesoMessageDates dates);

/* For messages people read: a date, a date and time, a time of day, in the
 * forms meso_time_set_message_dates() chose. The ISO forms are for files,
 * JSON and the command line's fields. */
char      *meso_format_date            (const GDate *date);
char      *meso_format_date_time       (GDateTime   *date_time);
char      *meso_format_time            (GDateTime   *date_time);
char      *meso_format_date_iso        (const GDate *date);
char      *meso_format_date_time_iso   (GDateTime   *date_time);
/* A time of day given in minutes after midnight (0 to 24 * 60), as a clock
 * shows it: 09:30; the day's end is 24:00. */
char      *meso_format_minute_of_day   (int          minute);

/* The forms of the person's own locale (LC_TIME), for screens and printed
 * sheets: "14.03.1985" in German, "03/14/1985" in US English, always with a
 * four-digit year; in the C locale the translated form above. The order is
 * the locale's D_FMT, so what is shown is what the parsers below take. */
char      *meso_format_date_short      (const GDate *date);
/* "Monday, 6 July 2026": a translated long form, no padding spaces. */
char      *meso_format_date_long       (const GDate *date);
/* @date in a g_date_time_format() @format of the caller's ("%a %-d"). */
char      *meso_format_date_as         (const GDate *date,
                                        const char  *format);
/* "14:30", or "2:30 PM" where the locale's clock has 12 hours. */
char      *meso_format_time_short      (GDateTime   *date_time);
/* A time of day in minutes after midnight (0 to 24 * 60) on the locale's
 * clock: "14:30" or "2:30 PM"; the day's end is 24:00 or 12:00 AM. */
char      *meso_format_minute_of_day_short (int      minute);
/* A full hour for a ruler: "15:00", or "3 PM" on a 12-hour clock. */
char      *meso_format_hour_short      (int          hour);
/* The short date and the short time: "14.03.1985 14:30". */
char      *meso_format_date_time_short (GDateTime   *date_time);

/* A date as a person types it: the locale's order with any separators
 * ("14.03.1985", "3/14/1985", "1985年3月14日") or ISO ("1985-03-14")
 * everywhere; the year has four digits. The error shows the expected form. */
gboolean   meso_date_parse_locale      (const char  *text,
                                        GDate       *date,
                                        GError     **error);
/* A time of day as typed: "14:30", "9:30", "1430", "14.30", with "am"/"pm"
 * (or the locale's own words) for a 12-hour clock; into minutes after
 * midnight. */
gboolean   meso_time_parse_locale      (const char  *text,
                                        int         *minutes,
                                        GError     **error);
/* A local moment from a date field and a time field, each as above; the
 * error is the first field's that cannot be read. */
GDateTime *meso_date_time_parse_locale (const char  *date_text,
                                        const char  *time_text,
                                        GError     **error);

G_END_DECLS
