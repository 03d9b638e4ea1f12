/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#define MESO_NOW_ENV "MESODESK_NOW"

G_DEFINE_QUARK (meso-time-error-quark, meso_time_error)

static GMutex zone_lock;
static GTimeZone *zone_cached;
static char *zone_tz_env;  /* $TZ when zone_cached was made; NULL if unset */

GTimeZone *
meso_time_zone_dup_local (void)
{
  const char *tz = g_getenv ("TZ");
  GTimeZone *zone;

  g_mutex_lock (&zone_lock);
  if (zone_cached == NULL || g_strcmp0 (tz, zone_tz_env) != 0)
    {
      g_clear_pointer (&zone_cached, g_time_zone_unref);
      g_free (zone_tz_env);
      zone_tz_env = g_strdup (tz);
      zone_cached = g_time_zone_new_local ();
    }
  zone = g_time_zone_ref (zone_cached);
  g_mutex_unlock (&zone_lock);
  return zone;
}

GDateTime *
meso_date_time_new_local (int    year,
                          int    month,
                          int    day,
                          int    hour,
                          int    minute,
                          double seconds)
{
  g_autoptr(GTimeZone) zone = meso_time_zone_dup_local ();

  return g_date_time_new (zone, year, month, day, hour, minute, seconds);
}

GDateTime *
meso_date_time_new_from_unix (gint64 seconds)
{
  g_autoptr(GTimeZone) zone = meso_time_zone_dup_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);

  return utc ? g_date_time_to_timezone (utc, zone) : NULL;
}

GDateTime *
meso_date_time_to_local (GDateTime *date_time)
{
  g_autoptr(GTimeZone) zone = meso_time_zone_dup_local ();

  g_return_val_if_fail (date_time != NULL, NULL);

  return g_date_time_to_timezone (date_time, zone);
}

/* Reads exactly @n_digits ASCII digits. */
static gboolean
read_digits (const char **p,
             guint        n_digits,
             int         *out)
{
  int value = 0;

  for (guint i = 0; i < n_digits; i++)
    {
      char c = (*p)[i];

      if (!g_ascii_isdigit (c))
        return FALSE;
      value = value * 10 + (c - '0');
    }
  *p += n_digits;
  *out = value;
  return TRUE;
}

static gboolean
read_char (const char **p,
           char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

static gboolean
scan_date (const char **p,
           int         *year,
           int         *month,
           int         *day)
{
  return read_digits (p, 4, year) && read_char (p, '-') &&
         read_digits (p, 2, month) && read_char (p, '-') &&
         read_digits (p, 2, day) &&
         *year > 0 && g_date_valid_dmy (*day, *month, *year);
}

gboolean
meso_date_parse (const char  *text,
                 GDate       *date,
                 GError     **error)
{
  const char *p = text;
  int year, month, day;

  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || !scan_date (&p, &year, &month, &day) || *p != '\0')
    {
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                   /* Translators: %s is what was typed; keep YYYY-MM-DD as it is */
                   _("“%s” is not a date of the form YYYY-MM-DD"),
                   text ? text : "");
      return FALSE;
    }

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

GDateTime *
meso_date_time_parse_local (const char  *text,
                            GError     **error)
{
  const char *p = text;
  int year, month, day, hour, minute;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL ||
      !scan_date (&p, &year, &month, &day) || !read_char (&p, 'T') ||
      !read_digits (&p, 2, &hour) || !read_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || *p != '\0' ||
      hour > 23 || minute > 59)
    {
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                   /* Translators: %s is what was typed; keep YYYY-MM-DDTHH:MM as it is */
                   _("“%s” is not a date and time of the form YYYY-MM-DDTHH:MM"),
                   text ? text : "");
      return NULL;
    }

  return meso_date_time_new_local (year, month, day, hour, minute, 0);
}

void
meso_date_get_range (MesoDateKind  kind,
                     const GDate  *today,
                     GDate        *first,
                     GDate        *last)
{
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (first != NULL && last != NULL);

  g_date_clear (first, 1);
  g_date_set_dmy (first, 1, G_DATE_JANUARY, MESO_DATE_EARLIEST_YEAR);
  *last = *today;
  switch (kind)
    {
    case MESO_DATE_SESSION:
    case MESO_DATE_BIRTH:
      break;
    case MESO_DATE_BOOKING:
      *first = *today;
      g_date_add_years (last, MESO_DATE_HORIZON_YEARS);
      break;
    case MESO_DATE_FLAG:
    case MESO_DATE_EXPIRY:
    case MESO_DATE_QUERY:
    default:
      g_date_add_years (last, MESO_DATE_HORIZON_YEARS);
      break;
    }
}

gboolean
meso_date_check (MesoDateKind  kind,
                 const GDate  *date,
                 const GDate  *today,
                 GError      **error)
{
  g_autofree char *first_text = NULL;
  g_autofree char *last_text = NULL;
  g_autofree char *date_text = NULL;
  GDate first, last;
  gboolean early;

  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (date == NULL || !g_date_valid (date))
    {
      g_set_error_literal (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                           _("A date is missing."));
      return FALSE;
    }

  meso_date_get_range (kind, today, &first, &last);
  if (g_date_compare (date, &first) >= 0 && g_date_compare (date, &last) <= 0)
    return TRUE;

  early = g_date_compare (date, &first) < 0;
  first_text = meso_format_date (&first);
  last_text = meso_format_date (&last);
  /* As typed (ISO): strftime writes year 1 as "1". */
  date_text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                               g_date_get_day (date));
  switch (kind)
    {
    case MESO_DATE_SESSION:
      if (early)
        g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                     /* Translators: %s is a date */
                     _("A session cannot be dated before %s."), first_text);
      else
        g_set_error_literal (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                             _("A session cannot be recorded on a day still to come; "
                               "book an appointment instead."));
      break;
    case MESO_DATE_BIRTH:
      if (early)
        g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                     /* Translators: %s is a date */
                     _("The birth date cannot be before %s."), first_text);
      else
        g_set_error_literal (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                             _("The birth date cannot be in the future."));
      break;
    case MESO_DATE_BOOKING:
      if (early)
        g_set_error_literal (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                             _("An appointment cannot be booked in the past."));
      else
        g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                     /* Translators: %d is a number of years, %s the last day */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "An appointment can be booked at most %d year ahead, until %s.",
                                  "An appointment can be booked at most %d years ahead, until %s.",
                                  MESO_DATE_HORIZON_YEARS),
                     MESO_DATE_HORIZON_YEARS, last_text);
      break;
    case MESO_DATE_FLAG:
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                   /* Translators: the first %s is a date, then the first and last day */
                   _("A flag cannot be dated %s: only %s to %s."), date_text, first_text,
                   last_text);
      break;
    case MESO_DATE_EXPIRY:
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                   /* Translators: the first %s is a date, then the first and last day */
                   _("A lot cannot expire on %s: only %s to %s."), date_text, first_text,
                   last_text);
      break;
    case MESO_DATE_QUERY:
    default:
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                   /* Translators: the first %s is a date, then the first and last day */
                   _("%s is outside the days Mesodesk can show: %s to %s."), date_text,
                   first_text, last_text);
      break;
    }
  return FALSE;
}

gboolean
meso_date_time_check (MesoDateKind  kind,
                      GDateTime    *date_time,
                      GDateTime    *now,
                      GError      **error)
{
  GDate day, today;

  g_return_val_if_fail (now != NULL, FALSE);

  meso_date_from_date_time (now, &today);
  if (date_time == NULL)
    return meso_date_check (kind, NULL, &today, error);
  meso_date_from_date_time (date_time, &day);
  return meso_date_check (kind, &day, &today, error);
}

gboolean
meso_time_of_day_parse (const char  *text,
                        int         *minutes,
                        GError     **error)
{
  const char *p = text;
  int hour, minute;

  g_return_val_if_fail (minutes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One digit of hour too: a desk types 9:30 as often as 09:30. */
  if (text == NULL ||
      !(read_digits (&p, 2, &hour) || read_digits (&p, 1, &hour)) || !read_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || *p != '\0' || hour > 23 || minute > 59)
    {
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                   /* Translators: %s is what was typed; keep HH:MM as it is */
                   _("“%s” is not a time of the form HH:MM"), text ? text : "");
      return FALSE;
    }

  *minutes = hour * 60 + minute;
  return TRUE;
}

/* MESODESK_NOW's moment, or NULL with an error when it is malformed or
 * outside MESO_CLOCK_EARLIEST_YEAR to MESO_CLOCK_LATEST_YEAR. */
static GDateTime *
parse_now (const char  *value,
           GError     **error)
{
  g_autoptr(GDateTime) now = meso_date_time_parse_local (value, error);
  int year;

  if (now == NULL)
    return NULL;
  year = g_date_time_get_year (now);
  if (year < MESO_CLOCK_EARLIEST_YEAR || year > MESO_CLOCK_LATEST_YEAR)
    {
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_OUT_OF_RANGE,
                   /* Translators: %s is what was set, the numbers are years */
                   _("“%s” is not in the years %d to %d"), value, MESO_CLOCK_EARLIEST_YEAR,
                   MESO_CLOCK_LATEST_YEAR);
      return NULL;
    }
  return g_steal_pointer (&now);
}

gboolean
meso_clock_check_env (GError **error)
{
  const char *value = g_getenv (MESO_NOW_ENV);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) local_error = NULL;

  if (value == NULL || *value == '\0')
    return TRUE;

  now = parse_now (value, &local_error);
  if (now == NULL)
    {
      g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                   /* Translators: the first %s is MESODESK_NOW, the second the parser's message */
                   _("%s is set but invalid: %s"), MESO_NOW_ENV, local_error->message);
      return FALSE;
    }
  return TRUE;
}

GDateTime *
meso_clock_now (void)
{
  const char *value = g_getenv (MESO_NOW_ENV);

  if (value != NULL && *value != '\0')
    {
      GDateTime *now = parse_now (value, NULL);

      if (now != NULL)
        return now;
      /* meso_clock_check_env() has told the person already at start-up. */
    }

  {
    g_autoptr(GTimeZone) zone = meso_time_zone_dup_local ();

    return g_date_time_new_now (zone);
  }
}

void
meso_clock_today (GDate *date)
{
  g_autoptr(GDateTime) now = meso_clock_now ();

  meso_date_from_date_time (now, date);
}

void
meso_date_from_date_time (GDateTime *date_time,
                          GDate     *date)
{
  g_autoptr(GDateTime) local = NULL;
  int year, month, day;

  g_return_if_fail (date_time != NULL);
  g_return_if_fail (date != NULL);

  local = meso_date_time_to_local (date_time);
  g_date_time_get_ymd (local, &year, &month, &day);
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

GDateTime *
meso_date_time_from_date (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return meso_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 0, 0, 0);
}

int
meso_days_between (GDateTime *from,
                   GDateTime *to)
{
  GDate a, b;

  g_return_val_if_fail (from != NULL, 0);
  g_return_val_if_fail (to != NULL, 0);

  meso_date_from_date_time (from, &a);
  meso_date_from_date_time (to, &b);
  return g_date_days_between (&a, &b);
}

static char *
format_date_with (const GDate *date,
                  const char  *format)
{
  char buffer[128];
  gsize len;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  len = g_date_strftime (buffer, sizeof buffer, format, date);
  if (len == 0)
    return g_strdup ("");
  return g_locale_to_utf8 (buffer, len, NULL, NULL, NULL);
}

static gint message_dates = MESO_MESSAGE_DATES_LOCALE;

void
meso_time_set_message_dates (MesoMessageDates dates)
{
  g_atomic_int_set (&message_dates, dates);
}

static gboolean
message_dates_iso (void)
{
  return g_atomic_int_get (&message_dates) == MESO_MESSAGE_DATES_ISO;
}

char *
meso_format_date (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  if (message_dates_iso ())
    return meso_format_date_iso (date);
  return meso_format_date_short (date);
}

char *
meso_format_date_iso (const GDate *date)
{
  return format_date_with (date, "%Y-%m-%d");
}

char *
meso_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  if (!message_dates_iso ())
    return meso_format_date_time_short (date_time);
  local = meso_date_time_to_local (date_time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
meso_format_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  if (!message_dates_iso ())
    return meso_format_time_short (date_time);
  local = meso_date_time_to_local (date_time);
  return g_date_time_format (local, "%H:%M");
}

char *
meso_format_date_time_iso (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = meso_date_time_to_local (date_time);
  return g_date_time_format (local, "%Y-%m-%dT%H:%M");
}

char *
meso_format_minute_of_day (int minute)
{
  g_return_val_if_fail (minute >= 0 && minute <= 24 * 60, NULL);

  return g_strdup_printf ("%02d:%02d", minute / 60, minute % 60);
}

/* ====================================================== the locale's forms */

/* The example people see in a message: 14 March 1985, 14:30. */
#define EXAMPLE_YEAR   1985
#define EXAMPLE_MONTH  3
#define EXAMPLE_DAY    14
#define EXAMPLE_MINUTE (14 * 60 + 30)

static gboolean
time_locale_is_c (void)
{
  const char *name = setlocale (LC_TIME, NULL);

  return name == NULL || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0 ||
         g_str_has_prefix (name, "C.");
}

/* An LC_TIME string in UTF-8: it is in LC_TIME's own character set, which
 * need not be LC_CTYPE's. NULL when it cannot be read. */
static char *
time_langinfo_utf8 (nl_item item)
{
#ifdef _NL_TIME_CODESET
  return g_convert (nl_langinfo (item), -1, "UTF-8", nl_langinfo (_NL_TIME_CODESET), NULL, NULL,
                    NULL);
#else
  return g_locale_to_utf8 (nl_langinfo (item), -1, NULL, NULL, NULL);
#endif
}

/* The locale's D_FMT with a four-digit year, in g_date_time_format() form;
 * in the C locale the translated form, so a German build still reads
 * 14.03.1985 there. */
static char *
short_date_format (void)
{
  g_autofree char *d_fmt = NULL;
  GString *format;

  if (time_locale_is_c ())
    /* Translators: the date format people read where the locale gives none
     * (the C locale), in strftime form. German might use "%d.%m.%Y"; keep it
     * unambiguous and numeric. */
    return g_strdup (_("%Y-%m-%d"));

  d_fmt = time_langinfo_utf8 (D_FMT);
  if (d_fmt == NULL || *d_fmt == '\0')
    return g_strdup ("%Y-%m-%d");

  format = g_string_new (NULL);
  for (const char *p = d_fmt; *p != '\0'; p++)
    {
      if (*p != '%' || p[1] == '\0')
        {
          g_string_append_c (format, *p);
          continue;
        }
      p++;
      /* Era and alternative digits: the plain numbers are what people type. */
      if ((*p == 'E' || *p == 'O') && p[1] != '\0')
        p++;
      switch (*p)
        {
        case 'y':
        case 'Y':
          g_string_append (format, "%Y");
          break;
        case 'D':
          g_string_append (format, "%m/%d/%Y");
          break;
        case 'F':
          g_string_append (format, "%Y-%m-%d");
          break;
        case 'e':
          g_string_append (format, "%d");
          break;
        default:
          g_string_append_c (format, '%');
          g_string_append_c (format, *p);
          break;
        }
    }
  return g_string_free (format, FALSE);
}

/* The order of day ('d'), month ('m') and year ('y') in @format; ISO's
 * when the format lacks one of them. */
static void
date_format_order (const char *format,
                   char        order[3])
{
  guint n = 0;

  for (const char *p = format; *p != '\0' && n < 3; p++)
    {
      if (*p != '%' || p[1] == '\0')
        continue;
      p++;
      while ((*p == '-' || *p == '_' || *p == '0' || *p == 'E' || *p == 'O') && p[1] != '\0')
        p++;
      if (*p == 'd' || *p == 'e')
        order[n++] = 'd';
      else if (*p == 'm' || *p == 'b' || *p == 'B')
        order[n++] = 'm';
      else if (*p == 'Y' || *p == 'y')
        order[n++] = 'y';
    }
  if (n < 3 || order[0] == order[1] || order[1] == order[2] || order[0] == order[2])
    memcpy (order, "ymd", 3);
}

static GDateTime *
date_time_of_day (const GDate *date)
{
  /* Noon in UTC: a calendar day with no zone to shift it. */
  return g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), 12, 0, 0);
}

char *
meso_format_date_as (const GDate *date,
                     const char  *format)
{
  g_autoptr(GDateTime) day = NULL;
  char *text;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (format != NULL, NULL);

  day = date_time_of_day (date);
  text = day != NULL ? g_date_time_format (day, format) : NULL;
  return text != NULL ? text : meso_format_date_iso (date);
}

char *
meso_format_date_short (const GDate *date)
{
  g_autofree char *format = short_date_format ();

  return meso_format_date_as (date, format);
}

char *
meso_format_date_long (const GDate *date)
{
  /* Translators: a date written out for headers and printed sheets, in
   * g_date_time_format() form: “Monday, 6 July 2026”. %-d is the day with
   * no padding; German might use “%A, %-d. %B %Y”. */
  return meso_format_date_as (date, C_("long date", "%A, %-d %B %Y"));
}

/* TRUE where the locale's clock has 12 hours and names AM and PM. */
static gboolean
clock_has_12_hours (void)
{
  const char *t_fmt;
  const char *am;

  if (time_locale_is_c ())
    return FALSE;
  t_fmt = nl_langinfo (T_FMT);
  am = nl_langinfo (AM_STR);
  return am != NULL && *am != '\0' && t_fmt != NULL &&
         (strstr (t_fmt, "%I") != NULL || strstr (t_fmt, "%l") != NULL ||
          strstr (t_fmt, "%r") != NULL || strstr (t_fmt, "%p") != NULL);
}

static const char *
time_format (void)
{
  return clock_has_12_hours () ? "%-I:%M %p" : "%H:%M";
}

char *
meso_format_time_short (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = meso_date_time_to_local (date_time);
  return g_date_time_format (local, time_format ());
}

static char *
format_clock (int         minute,
              const char *format)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2000, 1, 1, (minute / 60) % 24, minute % 60, 0);

  return g_date_time_format (at, format);
}

char *
meso_format_minute_of_day_short (int minute)
{
  g_return_val_if_fail (minute >= 0 && minute <= 24 * 60, NULL);

  if (minute == 24 * 60 && !clock_has_12_hours ())
    return meso_format_minute_of_day (minute);
  return format_clock (minute, time_format ());
}

char *
meso_format_hour_short (int hour)
{
  g_return_val_if_fail (hour >= 0 && hour <= 24, NULL);

  if (!clock_has_12_hours ())
    return meso_format_minute_of_day (hour * 60);
  return format_clock (hour * 60, "%-I %p");
}

char *
meso_format_date_time_short (GDateTime *date_time)
{
  g_autofree char *date_text = NULL;
  g_autofree char *time_text = NULL;
  GDate day;

  g_return_val_if_fail (date_time != NULL, NULL);

  meso_date_from_date_time (date_time, &day);
  date_text = meso_format_date_short (&day);
  time_text = meso_format_time_short (date_time);
  /* Translators: a date and a time of day, as a list shows them */
  return g_strdup_printf (C_("date and time", "%s %s"), date_text, time_text);
}

static char *
example_date (void)
{
  GDate example;

  g_date_clear (&example, 1);
  g_date_set_dmy (&example, EXAMPLE_DAY, EXAMPLE_MONTH, EXAMPLE_YEAR);
  return meso_format_date_short (&example);
}

static void
set_date_error (const char  *text,
                GError     **error)
{
  g_autofree char *example = example_date ();

  if (strcmp (example, "1985-03-14") == 0)
    g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                 /* Translators: the first %s is what was typed, the second an example date */
                 _("“%s” is not a date. Type a date like %s."), text, example);
  else
    g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                 /* Translators: the first %s is what was typed, the second an example date
                  * in the locale's form; keep 1985-03-14 as it is */
                 _("“%s” is not a date. Type a date like %s or 1985-03-14."), text, example);
}

gboolean
meso_date_parse_locale (const char  *text,
                        GDate       *date,
                        GError     **error)
{
  g_autofree char *format = NULL;
  g_autofree char *trimmed = NULL;
  char order[3];
  int numbers[3];
  guint widths[3];
  guint n = 0;
  int year = 0, month = 0, day = 0;
  const char *p;

  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  /* Three runs of digits apart by anything but letters: the separators of
   * every locale's form (. / - 年 月 日 and spaces) pass without a table. */
  for (p = trimmed; *p != '\0';)
    {
      if (g_ascii_isdigit (*p))
        {
          guint width = 0;
          int value = 0;

          if (n == 3)
            goto invalid;
          while (g_ascii_isdigit (*p))
            {
              if (++width > 4)
                goto invalid;
              value = value * 10 + (*p - '0');
              p++;
            }
          numbers[n] = value;
          widths[n++] = width;
        }
      else if (g_ascii_isalpha (*p))
        goto invalid;
      else
        p = g_utf8_next_char (p);
    }
  if (n != 3 || !g_ascii_isdigit (trimmed[0]))
    goto invalid;

  if (widths[0] == 4)
    memcpy (order, "ymd", 3);  /* ISO, in every locale */
  else
    {
      format = short_date_format ();
      date_format_order (format, order);
    }
  for (guint i = 0; i < 3; i++)
    {
      if (order[i] == 'y')
        {
          if (widths[i] != 4)
            goto invalid;
          year = numbers[i];
        }
      else if (widths[i] > 2)
        goto invalid;
      else if (order[i] == 'm')
        month = numbers[i];
      else
        day = numbers[i];
    }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy (day, month, year))
    goto invalid;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;

invalid:
  set_date_error (trimmed, error);
  return FALSE;
}

/* Strips a trailing "am"/"pm" (or the locale's words) from @text, in place;
 * returns 'a', 'p' or 0. */
static char
strip_meridiem (char *text)
{
  const char *words[] = { NULL, NULL, "a.m.", "p.m.", "am", "pm", "a", "p" };
  g_autofree char *am = NULL;
  g_autofree char *pm = NULL;
  gsize len = strlen (text);

  if (!time_locale_is_c ())
    {
      am = time_langinfo_utf8 (AM_STR);
      pm = time_langinfo_utf8 (PM_STR);
      words[0] = am;
      words[1] = pm;
    }
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize word_len = words[i] != NULL ? strlen (words[i]) : 0;

      if (word_len == 0 || word_len > len ||
          g_ascii_strcasecmp (text + len - word_len, words[i]) != 0)
        continue;
      text[len - word_len] = '\0';
      g_strchomp (text);
      return i % 2 == 0 ? 'a' : 'p';
    }
  return 0;
}

gboolean
meso_time_parse_locale (const char  *text,
                        int         *minutes,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  const char *p;
  int hour = 0, minute = 0;
  guint hour_digits = 0, minute_digits = 0;
  char meridiem;

  g_return_val_if_fail (minutes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  meridiem = strip_meridiem (trimmed);
  p = trimmed;
  while (g_ascii_isdigit (*p) && hour_digits < 4)
    {
      hour = hour * 10 + (*p - '0');
      p++;
      hour_digits++;
    }
  if (hour_digits == 0)
    goto invalid;
  if (*p == ':' || *p == '.')
    {
      if (hour_digits > 2)
        goto invalid;
      p++;
      while (g_ascii_isdigit (*p) && minute_digits < 2)
        {
          minute = minute * 10 + (*p - '0');
          p++;
          minute_digits++;
        }
      if (minute_digits != 2)
        goto invalid;
    }
  else if (hour_digits > 2)
    {
      /* 930, 1430: the last two digits are the minutes. */
      minute = hour % 100;
      hour /= 100;
    }
  if (*p != '\0' || minute > 59)
    goto invalid;
  if (meridiem != 0)
    {
      if (hour < 1 || hour > 12)
        goto invalid;
      hour = hour % 12 + (meridiem == 'p' ? 12 : 0);
    }
  else if (hour > 23)
    goto invalid;

  *minutes = hour * 60 + minute;
  return TRUE;

invalid:
  {
    g_autoptr(GDateTime) example = g_date_time_new_utc (EXAMPLE_YEAR, EXAMPLE_MONTH, EXAMPLE_DAY,
                                                        EXAMPLE_MINUTE / 60,
                                                        EXAMPLE_MINUTE % 60, 0);
    g_autofree char *example_text =
      g_date_time_format (example, time_format ());

    g_set_error (error, MESO_TIME_ERROR, MESO_TIME_ERROR_INVALID,
                 /* Translators: the first %s is what was typed, the second an example time */
                 _("“%s” is not a time. Type a time like %s."), trimmed, example_text);
    return FALSE;
  }
}

GDateTime *
meso_date_time_parse_locale (const char  *date_text,
                             const char  *time_text,
                             GError     **error)
{
  GDate date;
  int minutes;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!meso_date_parse_locale (date_text, &date, error) ||
      !meso_time_parse_locale (time_text, &minutes, error))
    return NULL;
  return meso_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                   g_date_get_day (&date), minutes / 60, minutes % 60, 0);
}

int
meso_age_years (const GDate *birth,
                const GDate *today)
{
  int years;

  g_return_val_if_fail (birth != NULL && g_date_valid (birth), -1);
  g_return_val_if_fail (today != NULL && g_date_valid (today), -1);

  if (g_date_compare (today, birth) < 0)
    return -1;
  years = g_date_get_year (today) - g_date_get_year (birth);
  if (g_date_get_month (today) < g_date_get_month (birth) ||
      (g_date_get_month (today) == g_date_get_month (birth) &&
       g_date_get_day (today) < g_date_get_day (birth)))
    years--;
  return years;
}
