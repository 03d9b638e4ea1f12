/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The throwaway PostgreSQL server the test command starts (issue 15;
 * build-aux/pg-test-server): which engine a test program runs on, and a
 * database of a case's own on the server. On libpq and meso-test.h alone,
 * so the command-line tests (which do not link the core) use it too.
 * Header-only.
 *
 * MESODESK_TEST_POSTGRESQL: the server's conninfo (a libpq URI or words).
 * MESODESK_TEST_ENGINE=postgresql: the program runs its cases against the
 * server (meson registers store, reminders, scheduler, cli and faults
 * twice, NAME and NAME-postgresql); unset or "sqlite", against files. */

#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include "meso-test.h"

static inline const char *
test_server_conninfo (void)
{
  const char *conninfo = g_getenv ("MESODESK_TEST_POSTGRESQL");

  return conninfo != NULL && *conninfo != '\0' ? conninfo : NULL;
}

/* Whether this run's cases are on the server (MESODESK_TEST_ENGINE). */
static inline gboolean
test_engine_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("MESODESK_TEST_ENGINE"), "postgresql") == 0;
}

/* For main(): 77 (meson's "skipped") when the run is on the server and
 * there is none, unless CI is set (then 1: CI must test both engines);
 * -1 when the cases can run. */
static inline int
test_server_unavailable_status (void)
{
  if (!test_engine_is_postgresql () || test_server_conninfo () != NULL)
    return -1;
  if (g_getenv ("CI") != NULL)
    {
      g_printerr ("FAILED: MESODESK_TEST_POSTGRESQL is not set, and CI is set\n");
      return 1;
    }
  g_printerr ("SKIPPED: MESODESK_TEST_POSTGRESQL is not set (build-aux/dev test starts "
              "a server; see HACKING.md)\n");
  return 77;
}

/* For a case that tests what only one engine has (a file's permissions,
 * SQLite's backup): skipped on the other. */
#define SKIP_ON_POSTGRESQL() \
  G_STMT_START { if (test_engine_is_postgresql ()) skip (); } G_STMT_END

/* MESODESK_TEST_POSTGRESQL with its database replaced by @database and,
 * unless NULL, its user by @user: conninfo words. */
static inline char *
test_server_location_as (const char *database,
                         const char *user)
{
  g_autoptr(GString) out = g_string_new (NULL);
  PQconninfoOption *options = PQconninfoParse (test_server_conninfo (), NULL);

  assert_non_null (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = g_str_equal (o->keyword, "dbname") ? database : o->val;

      if (g_str_equal (o->keyword, "user") && user != NULL)
        value = user;
      if (value == NULL)
        continue;
      g_string_append_printf (out, "%s%s='", out->len ? " " : "", o->keyword);
      for (const char *c = value; *c != '\0'; c++)
        {
          if (*c == '\'' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '\'');
    }
  PQconninfoFree (options);
  if (user != NULL && strstr (out->str, "user=") == NULL)
    g_string_append_printf (out, " user='%s'", user);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The server's socket folder (or host) and port, as a person would type
 * them into Preferences; 5432 when the conninfo names none. */
static inline void
test_server_host_port (char  **host,
                       guint  *port)
{
  PQconninfoOption *options = PQconninfoParse (test_server_conninfo (), NULL);

  assert_non_null (options);
  *port = 5432;
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (g_str_equal (o->keyword, "host"))
        *host = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "port") && o->val != NULL)
        *port = (guint)g_ascii_strtoull (o->val, NULL, 10);
    }
  PQconninfoFree (options);
}

/* Runs build-aux/pg-test-server (MESODESK_PG_TEST_SERVER, which meson sets
 * for the server runs) @verb @state [@option], for a test's server of its
 * own: its stdout. Fails the test when it fails. */
static inline char *
test_server_script (const char *verb,
                    const char *state,
                    const char *option)
{
  const char *script = g_getenv ("MESODESK_PG_TEST_SERVER");
  const char *argv[] = { script, verb, state, option, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (script == NULL || !g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                       &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      print_error ("pg-test-server %s: %s\n%s\n", verb,
                   error != NULL ? error->message : "MESODESK_PG_TEST_SERVER is not set",
                   err != NULL ? err : "");
      fail ();
    }
  return g_steal_pointer (&out);
}

/* Starts a TLS server of its own in @state (pg-test-server start STATE
 * tls); returns its verify-full URI, and from it @port, @database and
 * @folder (the certificates': ca.crt, other-ca.crt, ca.key). */
static inline char *
test_server_start_tls (const char  *state,
                       char       **port,
                       char       **database,
                       char       **folder)
{
  g_autofree char *out = test_server_script ("start", state, "tls");
  const char *uri = strstr (out, "MESODESK_TEST_POSTGRESQL_TLS=");
  PQconninfoOption *options;
  char *found;

  if (uri == NULL)
    {
      print_error ("pg-test-server printed no TLS URI\n");
      fail ();
    }
  found = g_strchomp (g_strdup (strchr (uri, '=') + 1));
  options = PQconninfoParse (found, NULL);
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "port"))
      *port = g_strdup (o->val);
    else if (g_str_equal (o->keyword, "dbname"))
      *database = g_strdup (o->val);
    else if (g_str_equal (o->keyword, "sslrootcert"))
      *folder = g_path_get_dirname (o->val);
  PQconninfoFree (options);
  if (*port == NULL || *database == NULL || *folder == NULL)
    {
      print_error ("pg-test-server's TLS URI lacks a part: %s\n", found);
      fail ();
    }
  return found;
}

static inline void
test_server_quiet (void       *data,
                   const char *message)
{
}

/* Runs @sql on the database @conninfo names; fails the test on an error.
 * Its notices ("does not exist, skipping") are not printed. */
static inline void
test_server_exec_at (const char *conninfo,
                     const char *sql)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      print_error ("connecting to %s: %s\n", conninfo, PQerrorMessage (conn));
      PQfinish (conn);
      fail ();
    }
  PQsetNoticeProcessor (conn, test_server_quiet, NULL);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      print_error ("%s: %s\n", sql, PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      fail ();
    }
  PQclear (result);
  PQfinish (conn);
}

/* Runs @sql on the server's own database (CREATE/DROP DATABASE, roles). */
static inline void
test_server_admin (const char *sql)
{
  test_server_exec_at (test_server_conninfo (), sql);
}

/* A new, empty database on the server, named after @prefix, this process
 * and a counter (left over by a crashed run: dropped first). Its name
 * (free with test_server_drop_database()); its conninfo in @location. */
static inline char *
test_server_create_database (const char  *prefix,
                             char       **location)
{
  static guint counter;
  char *database = g_strdup_printf ("zq_%s_%d_%u", prefix, (int)getpid (), ++counter);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                                           database);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", database);

  /* One statement at a time: CREATE DATABASE runs outside a transaction. */
  test_server_admin (drop);
  test_server_admin (create);
  *location = test_server_location_as (database, NULL);
  return database;
}

/* Drops @database (closing what is still connected to it), frees it. */
static inline void
test_server_drop_database (char *database)
{
  g_autofree char *drop = NULL;

  if (database == NULL)
    return;
  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", database);
  test_server_admin (drop);
  g_free (database);
}
