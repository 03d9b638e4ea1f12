/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the test programs share, on GLib and cmocka alone: the EXPECT checks
 * (each names its case and shows what was expected and what came), fresh
 * temporary folders, the time zone the tests run in, and test dates read
 * independently of the code under test. Header-only; include it in place of
 * cmocka.h. Helpers that need libmesodesk-core are in meso-test-core.h. */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

/* ============================================================== checks */

#define EXPECT(what, cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        print_error ("case \"%s\": expected %s\n", (what), #cond); \
        fail (); \
      } \
  } G_STMT_END

#define EXPECT_INT(what, expected, actual) \
  G_STMT_START { \
    long long e_ = (long long) (expected), a_ = (long long) (actual); \
    if (e_ != a_) \
      { \
        print_error ("case \"%s\": %s: expected %lld, got %lld\n", (what), #actual, e_, a_); \
        fail (); \
      } \
  } G_STMT_END

#define EXPECT_STR(what, expected, actual) \
  G_STMT_START { \
    const char *e_ = (expected), *a_ = (actual); \
    if (g_strcmp0 (e_, a_) != 0) \
      { \
        print_error ("case \"%s\": %s: expected \"%s\", got \"%s\"\n", (what), #actual, \
                     e_ != NULL ? e_ : "(null)", a_ != NULL ? a_ : "(null)"); \
        fail (); \
      } \
  } G_STMT_END

#define EXPECT_CONTAINS(what, haystack, needle) \
  G_STMT_START { \
    const char *h_ = (haystack), *n_ = (needle); \
    if (h_ == NULL || strstr (h_, n_) == NULL) \
      { \
        print_error ("case \"%s\": \"%s\" should contain \"%s\"\n", (what), \
                     h_ != NULL ? h_ : "(null)", n_); \
        fail (); \
      } \
  } G_STMT_END

/* Case-insensitive: “Database is locked” is as bad as “database is locked”. */
#define EXPECT_NOT_CONTAINS(what, haystack, needle) \
  G_STMT_START { \
    g_autofree char *h_ = g_ascii_strdown ((haystack) ? (haystack) : "", -1); \
    g_autofree char *n_ = g_ascii_strdown ((needle), -1); \
    if (strstr (h_, n_) != NULL) \
      { \
        print_error ("case \"%s\": \"%s\" should not contain \"%s\"\n", (what), (haystack), \
                     n_); \
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

/* ============================================================= folders */

/* Removes @path, a file or a folder with everything in it. A link is
 * removed, never followed. */
static inline void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

/* A fresh private folder from @tmpl ("mesodesk-…-XXXXXX") in the system's
 * temporary folder; fails the test when it cannot be made. */
static inline char *
make_temp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  EXPECT_NO_ERROR ("temporary folder", error);
  assert_non_null (dir);
  return dir;
}

/* Removes a folder from make_temp_dir() with its contents; frees @dir. */
static inline void
remove_temp_dir (char *dir)
{
  if (dir == NULL)
    return;
  remove_tree (dir);
  g_free (dir);
}

/* Points the user data folder at a fresh temporary one and unsets
 * MESODESK_DATABASE, so that no test meets a person's own records. Call it
 * first thing in main(): GLib caches the folder on its first use. The folder
 * is for remove_tree() once the tests have run. */
static inline char *
use_temp_data_home (void)
{
  char *data_home = g_dir_make_tmp ("mesodesk-xdg-XXXXXX", NULL);

  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv ("MESODESK_DATABASE");
  return data_home;
}

/* ================================================================ time */

/* The zone every test runs in: its 2026 daylight-saving changes (29 March,
 * 25 October) are crossed on purpose. */
#define TEST_TZ "Europe/Berlin"

static inline void
use_test_time_zone (void)
{
  g_setenv ("TZ", TEST_TZ, TRUE);
  tzset ();
}

/* Test data read with sscanf, independent of Mesodesk's own parsers (which
 * test-time.c tests): "YYYY-MM-DDTHH:MM" in local time, or in UTC when @utc.
 * NULL gives NULL. */
static inline GDateTime *
make_date_time (const char *iso,
                gboolean    utc)
{
  int y, mo, d, h, mi;
  char tail;
  GDateTime *dt;

  if (iso == NULL)
    return NULL;
  if (sscanf (iso, "%d-%d-%dT%d:%d%c", &y, &mo, &d, &h, &mi, &tail) != 5)
    {
      print_error ("bad test date-time \"%s\"\n", iso);
      fail ();
    }
  dt = utc ? g_date_time_new_utc (y, mo, d, h, mi, 0)
           : g_date_time_new_local (y, mo, d, h, mi, 0);
  assert_non_null (dt);
  return dt;
}

/* make_date_time() in local time. */
static inline GDateTime *
local_time (const char *iso)
{
  return make_date_time (iso, FALSE);
}

/* "YYYY-MM-DD", read as make_date_time() reads; NULL leaves @date cleared
 * (invalid). */
static inline void
make_date (GDate      *date,
           const char *iso)
{
  int y, mo, d;
  char tail;

  g_date_clear (date, 1);
  if (iso == NULL)
    return;
  if (sscanf (iso, "%d-%d-%d%c", &y, &mo, &d, &tail) != 3 || !g_date_valid_dmy (d, mo, y))
    {
      print_error ("bad test date \"%s\"\n", iso);
      fail ();
    }
  g_date_set_dmy (date, d, mo, y);
}

/* Independent of the code under test, for comparing and printing. */
static inline char *
date_to_string (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup ("(invalid date)");
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static inline void
expect_date (const char  *what,
             const char  *expected,
             const GDate *actual)
{
  g_autofree char *text = date_to_string (actual);

  EXPECT_STR (what, expected, text);
}

/* A test of its own: every offset in a test that calls use_test_time_zone()
 * relies on the zone really being Europe/Berlin. */
static inline void
test_time_zone_is_berlin (void **state)
{
  g_autoptr(GDateTime) winter = local_time ("2026-01-15T12:00");
  g_autoptr(GDateTime) summer = local_time ("2026-07-15T12:00");

  EXPECT_INT ("winter is CET", G_TIME_SPAN_HOUR, g_date_time_get_utc_offset (winter));
  EXPECT_INT ("summer is CEST", 2 * G_TIME_SPAN_HOUR, g_date_time_get_utc_offset (summer));
}

/* ================================================================ text */

/* @unit @times times over. */
static inline char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

/* MESODESK_TEST_FILTER=test_name (a cmocka pattern, * and ? allowed) runs
 * only the matching cases of a test program: for chasing one failure, or
 * one leak under the sanitizers. */
static inline void
meso_test_filter_from_env (void)
{
  const char *pattern = g_getenv ("MESODESK_TEST_FILTER");

  if (pattern != NULL && *pattern != '\0')
    cmocka_set_test_filter (pattern);
}
