/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the built mesodesk-cli (its path in $MESODESK_CLI) as a real process
 * on a real database: a file in a temporary folder or, with
 * MESODESK_TEST_ENGINE=postgresql (cli-postgresql, faults-postgresql), a
 * database of the case's own on the test server. For test-cli.c and
 * test-faults.c. Includes meso-test.h and meso-test-server.h. */

#pragma once

#include <json-glib/json-glib.h>
#include <sys/wait.h>

#include "meso-test.h"
#include "meso-test-server.h"

/* Every run believes it is this moment, in TEST_TZ, unless told otherwise. */
#define TEST_NOW "2026-11-20T10:00"

typedef struct
{
  int   status;   /* the exit status, or -1 when a signal ended it */
  int   signal;   /* the signal, or 0 */
  char *out;
  char *err;
} CliResult;

static void G_GNUC_UNUSED
cli_result_free (CliResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

static const char * G_GNUC_UNUSED
cli_path (void)
{
  const char *path = g_getenv ("MESODESK_CLI");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      print_error ("MESODESK_CLI must name the built mesodesk-cli (meson sets it)\n");
      fail ();
    }
  return path;
}

/* The children's environment: ours, with a fixed clock, zone and locale, no
 * default database, and @extra ("NAME=value", or "NAME" to unset) applied. */
static char ** G_GNUC_UNUSED
cli_environment (const char *const *extra)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "TZ", TEST_TZ, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "MESODESK_NOW", TEST_NOW, TRUE);
  env = g_environ_unsetenv (env, "MESODESK_DATABASE");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      const char *equals = strchr (extra[i], '=');

      if (equals == NULL)
        env = g_environ_unsetenv (env, extra[i]);
      else
        {
          g_autofree char *name = g_strndup (extra[i], equals - extra[i]);

          env = g_environ_setenv (env, name, equals + 1, TRUE);
        }
    }
  return env;
}

/* argv for a run: the program, --database @database (unless NULL), @args. */
static char ** G_GNUC_UNUSED
cli_argv (const char        *database,
          const char *const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, cli_path ());
  if (database != NULL)
    {
      g_strv_builder_add (builder, "--database");
      g_strv_builder_add (builder, database);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_strv_builder_add (builder, args[i]);
  return g_strv_builder_end (builder);
}

static CliResult * G_GNUC_UNUSED
cli_runv (const char        *database,
          const char *const *extra_env,
          const char *const *args)
{
  g_auto(GStrv) argv = cli_argv (database, args);
  g_auto(GStrv) env = cli_environment (extra_env);
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);
  int wait_status = 0;

  if (!g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &result->out, &result->err,
                     &wait_status, &error))
    {
      print_error ("cannot run %s: %s\n", argv[0], error->message);
      fail ();
    }
  if (WIFEXITED (wait_status))
    result->status = WEXITSTATUS (wait_status);
  else
    {
      result->status = -1;
      result->signal = WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0;
    }
  return result;
}

/* cli_run (database, extra_env, "patient", "add", …, NULL) */
static CliResult * G_GNUC_UNUSED G_GNUC_NULL_TERMINATED
cli_run (const char        *database,
         const char *const *extra_env,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, extra_env);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cli_runv (database, extra_env, (const char *const *)args->pdata);
}

#define CLI(database, ...) cli_run ((database), NULL, __VA_ARGS__, NULL)
#define CLI_ENV(database, env, ...) cli_run ((database), (env), __VA_ARGS__, NULL)

/* Checks the exit status, showing what the program said when it differs. */
#define EXPECT_EXIT(what, result, expected) \
  G_STMT_START { \
    const CliResult *r_ = (result); \
    if (r_->status != (expected)) \
      { \
        print_error ("%s: expected exit status %d, got %d (signal %d)\n" \
                     "--- stdout:\n%s\n--- stderr:\n%s\n", \
                     (what), (expected), r_->status, r_->signal, r_->out, r_->err); \
        fail (); \
      } \
  } G_STMT_END

/* SQLite's own words never reach a person; Mesodesk's messages do. */
static void G_GNUC_UNUSED
expect_no_raw_sqlite (const char *what,
                      const char *err)
{
  static const char *const raw[] = {
    "SQLITE_", "file is not a database", "database disk image is malformed",
    "database is locked", "disk I/O error", "unable to open database file",
  };

  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    EXPECT_NOT_CONTAINS (what, err, raw[i]);
}

/* A fresh folder per test, removed afterwards; the database in it, or on
 * the test server (@db its conninfo, @server_db its name). */
typedef struct
{
  char *dir;
  char *db;
  char *server_db;
} CliFixture;

static int G_GNUC_UNUSED
cli_fixture_setup (void **state)
{
  CliFixture *fixture = g_new0 (CliFixture, 1);

  fixture->dir = make_temp_dir ("mesodesk-cli-XXXXXX");
  if (test_engine_is_postgresql ())
    fixture->server_db = test_server_create_database ("cli", &fixture->db);
  else
    fixture->db = g_build_filename (fixture->dir, "clinic.db", NULL);
  *state = fixture;
  return 0;
}

/* A case about what only a file has (its mode, SQLite's pages, backup and
 * restore, which a server has not yet), in main()'s list: skipped on the
 * server before the case allocates anything (skip() leaves a case without
 * its cleanups, and cmocka cannot skip from a setup). */
static void G_GNUC_UNUSED
cli_skipped_on_server (void **state)
{
  skip ();
}

#define CLI_FILE_ONLY_TEST(f) \
  { #f, test_engine_is_postgresql () ? cli_skipped_on_server : f, cli_fixture_setup, \
    cli_fixture_teardown, NULL }

static int G_GNUC_UNUSED
cli_fixture_teardown (void **state)
{
  CliFixture *fixture = *state;

  remove_temp_dir (fixture->dir);
  test_server_drop_database (g_steal_pointer (&fixture->server_db));
  g_free (fixture->db);
  g_free (fixture);
  return 0;
}

/* Runs @sql on the server database of @fixture as another program would
 * (the audit's actor set); fails the test on an error. */
static void G_GNUC_UNUSED
cli_fixture_server_exec (CliFixture *fixture,
                         const char *sql)
{
  g_autofree char *with_actor = g_strconcat ("SELECT set_config('mesodesk.actor', "
                                             "'another program', false); ", sql, NULL);

  test_server_exec_at (fixture->db, with_actor);
}

/* What a person reads from the program never holds the server's own
 * words, nor a lock or a serialization failure. */
static void G_GNUC_UNUSED
expect_no_server_words (const char *what,
                        const char *err)
{
  static const char *const raw[] = {
    "ERROR:", "FATAL", "SQLSTATE", "serializ", "deadlock", "lock",
  };

  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    EXPECT_NOT_CONTAINS (what, err, raw[i]);
}

/* Parses a command's JSON output; fails the test when it is not JSON. */
static JsonNode * G_GNUC_UNUSED
parse_json (const char *what,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  if (node == NULL)
    {
      print_error ("%s: not JSON (%s):\n%s\n", what, error ? error->message : "empty", text);
      fail ();
    }
  return node;
}

/* The id printed by a command without --json. */
static gint64 G_GNUC_UNUSED
parse_id (const char *what,
          const char *text)
{
  g_autofree char *line = g_strstrip (g_strdup (text));
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (line, 10, 1, G_MAXINT64, &id, NULL))
    {
      print_error ("%s: expected a record number, got \"%s\"\n", what, text);
      fail ();
    }
  return (gint64)id;
}
