/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Faults mesodesk-cli must survive, with the built program on real files:
 * writers killed with SIGKILL at random moments, two desks booking the same
 * slot at once, and a damaged file where the database should be. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "cli-runner.h"

#define KILL_RUNS 100
#define KILL_SEED 20261120
#define KILL_MIN_WINDOW_US 30000
#define BOOKING_ROUNDS 10
#define PARALLEL_WRITERS 20

/* ================================================================ helpers */

/* Starts the program without waiting; stdout and stderr into pipes, or into
 * files when @out_path / @err_path are given. */
static GSubprocess *
start (const char        *database,
       const char        *out_path,
       const char        *err_path,
       const char *const *args)
{
  g_auto(GStrv) argv = cli_argv (database, args);
  g_auto(GStrv) env = cli_environment (NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE;
  GSubprocess *process;

  if (out_path == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  if (err_path == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_environ (launcher, env);
  if (out_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  if (err_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, err_path);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv, &error);
  if (process == NULL)
    {
      print_error ("cannot start %s: %s\n", argv[0], error->message);
      fail ();
    }
  return process;
}

/* Waits for a process started with pipes and collects what it said. */
static CliResult *
finish (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error))
    {
      print_error ("cannot read the program's output: %s\n", error->message);
      fail ();
    }
  if (g_subprocess_get_if_exited (process))
    result->status = g_subprocess_get_exit_status (process);
  else
    {
      result->status = -1;
      result->signal = g_subprocess_get_if_signaled (process)
                         ? g_subprocess_get_term_sig (process) : 0;
    }
  if (result->out == NULL)
    result->out = g_strdup ("");
  if (result->err == NULL)
    result->err = g_strdup ("");
  return result;
}

/* The names in `patient list --archived --json`. */
static GHashTable *
stored_names (CliFixture *fixture)
{
  g_autoptr(CliResult) r = CLI (fixture->db, "patient", "list", "--archived", "--json");
  g_autoptr(JsonNode) node = NULL;
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  EXPECT_EXIT ("patient list", r, 0);
  node = parse_json ("patient list", r->out);
  EXPECT ("an array", JSON_NODE_HOLDS_ARRAY (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *patient = json_array_get_object_element (array, i);

      g_hash_table_add (names, g_strdup (json_object_get_string_member (patient, "name")));
    }
  return names;
}

/* Never a lock, never SQLite's own words, in what a person reads. */
static void
expect_no_lock_message (const char *what,
                        const char *err)
{
  EXPECT_NOT_CONTAINS (what, err, "locked");
  EXPECT_NOT_CONTAINS (what, err, "busy");
  expect_no_raw_sqlite (what, err);
}

/* ============================================= writers killed by SIGKILL */

/* How long an undisturbed `patient add` takes here, in microseconds, so
 * the kills land before, during and after the write on a fast machine and
 * under sanitizers alike. */
static gint64
time_one_write (CliFixture *fixture)
{
  gint64 shortest = G_MAXINT64;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Warm-up %d", i);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(CliResult) r = CLI (fixture->db, "patient", "add", "--name", name);

      EXPECT_EXIT ("warm-up write", r, 0);
      shortest = MIN (shortest, g_get_monotonic_time () - start);
    }
  return shortest;
}

static void
test_sigkill_writers (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GRand) rand = g_rand_new_with_seed (KILL_SEED);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) acknowledged_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) booked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(JsonNode) listed_node = NULL;
  g_autofree char *out_path = g_build_filename (fixture->dir, "writer.out", NULL);
  g_autofree char *err_path = g_build_filename (fixture->dir, "writer.err", NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  JsonArray *appointments;
  guint killed = 0, next_patient = 0;
  gint64 window;

  window = MAX (KILL_MIN_WINDOW_US, time_one_write (fixture) * 3 / 2);
  print_message ("kill window: 0 to %" G_GINT64_FORMAT " µs\n", window);

  for (guint run = 0; run < KILL_RUNS; run++)
    {
      g_autoptr(GSubprocess) writer = NULL;
      g_autoptr(CliResult) check = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("P%03u", run);
      g_autofree char *at = NULL;
      g_autofree char *patient = NULL;
      g_autofree char *what = g_strdup_printf ("run %u", run);
      gboolean booking = run % 5 == 4 && next_patient < acknowledged_ids->len;
      gint64 delay;

      /* Notes of up to 10 kB: a write that spans several pages. */
      g_string_truncate (notes, 0);
      for (int n = g_rand_int_range (rand, 0, 200); n > 0; n--)
        g_string_append (notes, "Ceramide, SPF 50, no tap water. ");

      if (booking)
        {
          /* Each acknowledged patient at most once: no rule may refuse it. */
          patient = g_strdup (g_ptr_array_index (acknowledged_ids, next_patient));
          at = g_strdup_printf ("2027-01-%02uT%02u:00", 4 + run / 20, 9 + (run / 5) % 4);
          next_patient++;
          writer = start (fixture->db, out_path, err_path,
                          (const char *const[]){ "appointment", "book", "--patient", patient,
                                                 "--at", at, "--area", "face", NULL });
        }
      else
        writer = start (fixture->db, out_path, err_path,
                        (const char *const[]){ "patient", "add", "--name", name,
                                               "--notes", notes->str, NULL });

      delay = g_rand_int_range (rand, 0, (gint32)MIN (window, G_MAXINT32 - 1) + 1);
      g_usleep (delay);
      g_subprocess_force_exit (writer);
      if (!g_subprocess_wait (writer, NULL, &error))
        {
          print_error ("%s: cannot wait: %s\n", what, error->message);
          fail ();
        }

      if (g_subprocess_get_if_exited (writer))
        {
          g_autofree char *err = NULL;
          g_autofree char *out = NULL;

          g_file_get_contents (err_path, &err, NULL, NULL);
          g_file_get_contents (out_path, &out, NULL, NULL);
          /* A writer that was not killed must have succeeded. */
          if (g_subprocess_get_exit_status (writer) != 0)
            {
              print_error ("%s: a writer exited %d by itself:\n%s\n", what,
                           g_subprocess_get_exit_status (writer), err ? err : "");
              fail ();
            }
          if (booking)
            g_ptr_array_add (booked, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                      parse_id (what, out ? out : "")));
          else
            {
              g_ptr_array_add (acknowledged_ids,
                               g_strdup_printf ("%" G_GINT64_FORMAT,
                                                parse_id (what, out ? out : "")));
              g_ptr_array_add (acknowledged, g_steal_pointer (&name));
            }
        }
      else
        {
          EXPECT_INT (what, SIGKILL, g_subprocess_get_term_sig (writer));
          killed++;
        }

      check = CLI (fixture->db, "check");
      EXPECT_EXIT (what, check, 0);
    }

  print_message ("%u of %u writers killed, %u patients and %u bookings acknowledged\n",
                 killed, KILL_RUNS, acknowledged->len, booked->len);
  /* Both outcomes happened, or the test proved nothing. */
  EXPECT ("some writers were killed", killed > 0);
  EXPECT ("some writers finished", acknowledged->len > 0);

  names = stored_names (fixture);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      const char *name = g_ptr_array_index (acknowledged, i);

      if (!g_hash_table_contains (names, name))
        {
          print_error ("acknowledged patient %s is missing\n", name);
          fail ();
        }
    }

  listed = CLI (fixture->db, "appointment", "list", "--from", "2027-01-01", "--to",
                "2027-01-31", "--json");
  EXPECT_EXIT ("appointment list", listed, 0);
  listed_node = parse_json ("appointment list", listed->out);
  appointments = json_node_get_array (listed_node);
  for (guint i = 0; i < booked->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < json_array_get_length (appointments); j++)
        {
          JsonObject *a = json_array_get_object_element (appointments, j);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (a, "id"));

          found = found || g_str_equal (id, g_ptr_array_index (booked, i));
        }
      if (!found)
        {
          print_error ("acknowledged appointment %s is missing\n",
                       (const char *)g_ptr_array_index (booked, i));
          fail ();
        }
    }
}

/* ===================================================== writers at once */

static void
add_people (CliFixture *fixture,
            guint       n)
{
  g_autoptr(CliResult) staff = CLI (fixture->db, "practitioner", "add", "Dr Jones",
                                    "--clinician");

  EXPECT_EXIT ("practitioner add", staff, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %02u", i + 1);
      g_autoptr(CliResult) r = CLI (fixture->db, "patient", "add", "--name", name);

      EXPECT_EXIT ("patient add", r, 0);
      EXPECT_INT ("ids in order", i + 1, parse_id ("patient add", r->out));
    }
}

/* Two desks book the same practitioner's same slot for two patients at the
 * same moment: one gets it, the other a conflict; nobody sees a lock. */
static void
test_concurrent_booking (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GPtrArray) winners = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(JsonNode) listed_node = NULL;
  JsonArray *appointments;

  add_people (fixture, 2 * BOOKING_ROUNDS);

  for (guint round = 0; round < BOOKING_ROUNDS; round++)
    {
      g_autofree char *at = g_strdup_printf ("2026-12-%02uT10:00", 1 + round);
      g_autofree char *what = g_strdup_printf ("round %u", round);
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_autoptr(CliResult) ra = NULL;
      g_autoptr(CliResult) rb = NULL;
      g_autofree char *pa = g_strdup_printf ("%u", 2 * round + 1);
      g_autofree char *pb = g_strdup_printf ("%u", 2 * round + 2);
      CliResult *winner, *loser;

      a = start (fixture->db, NULL, NULL,
                 (const char *const[]){ "appointment", "book", "--patient", pa, "--at", at,
                                        "--area", "face", "--practitioner", "Dr Jones", NULL });
      b = start (fixture->db, NULL, NULL,
                 (const char *const[]){ "appointment", "book", "--patient", pb, "--at", at,
                                        "--area", "face", "--practitioner", "Dr Jones", NULL });
      ra = finish (a);
      rb = finish (b);

      expect_no_lock_message (what, ra->err);
      expect_no_lock_message (what, rb->err);
      winner = ra->status == 0 ? ra : rb;
      loser = ra->status == 0 ? rb : ra;
      EXPECT_EXIT (what, winner, 0);
      EXPECT_EXIT (what, loser, 3);
      EXPECT_CONTAINS (what, loser->err, "Conflict");
      g_ptr_array_add (winners, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 parse_id (what, winner->out)));
    }

  /* No booking lost, none doubled. */
  listed = CLI (fixture->db, "appointment", "list", "--from", "2026-12-01", "--to",
                "2026-12-31", "--json");
  EXPECT_EXIT ("appointment list", listed, 0);
  listed_node = parse_json ("appointment list", listed->out);
  appointments = json_node_get_array (listed_node);
  EXPECT_INT ("one booking per slot", BOOKING_ROUNDS, json_array_get_length (appointments));
  for (guint i = 0; i < json_array_get_length (appointments); i++)
    {
      JsonObject *a = json_array_get_object_element (appointments, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (a, "id"));
      g_autofree char *start_at = g_strdup_printf ("2026-12-%02uT10:00", 1 + i);

      EXPECT ("the winner's booking", g_ptr_array_find_with_equal_func (winners, id,
                                                                        g_str_equal, NULL));
      EXPECT_STR ("its slot", start_at, json_object_get_string_member (a, "start"));
    }
}

/* Many `patient add` at once, on an existing database or on none yet: all
 * succeed, all are stored. */
static void
run_parallel_adds (CliFixture *fixture,
                   const char *prefix)
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = NULL;

  for (guint i = 0; i < 2 * PARALLEL_WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %c%02u", prefix, i % 2 ? 'B' : 'A', i / 2);

      g_ptr_array_add (processes,
                       start (fixture->db, NULL, NULL,
                              (const char *const[]){ "patient", "add", "--name", name,
                                                     NULL }));
    }
  for (guint i = 0; i < processes->len; i++)
    {
      g_autoptr(CliResult) r = finish (g_ptr_array_index (processes, i));
      g_autofree char *what = g_strdup_printf ("%s writer %u", prefix, i);

      expect_no_lock_message (what, r->err);
      EXPECT_EXIT (what, r, 0);
    }

  names = stored_names (fixture);
  for (guint i = 0; i < 2 * PARALLEL_WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %c%02u", prefix, i % 2 ? 'B' : 'A', i / 2);

      if (!g_hash_table_contains (names, name))
        {
          print_error ("%s is missing\n", name);
          fail ();
        }
    }
}

static void
test_concurrent_adds (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) created = CLI (fixture->db, "check");
  g_autoptr(CliResult) check = NULL;

  EXPECT_EXIT ("create the database", created, 0);
  run_parallel_adds (fixture, "Existing");
  check = CLI (fixture->db, "check");
  EXPECT_EXIT ("check", check, 0);
}

static void
test_concurrent_first_open (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) check = NULL;

  /* Nobody has created the database yet: all of them race to. */
  run_parallel_adds (fixture, "New");
  check = CLI (fixture->db, "check");
  EXPECT_EXIT ("check", check, 0);
}

/* ======================================================== damaged files */

typedef struct
{
  const char *what;
  GBytes     *content;
} Damage;

static void
test_damaged_files (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *original = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autofree char *zeros = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  gsize length = 0;
  guint page_size;
  Damage damages[5];
  static const char *const commands[][6] = {
    { "check", NULL },
    { "patient", "list", NULL },
    { "patient", "add", "--name", "Nobody", NULL },
    { "reminders", "--json", NULL },
    { "appointment", "list", NULL },
  };

  /* A real database of a few pages, closed cleanly. */
  while (notes->len < 9 * 1024)  /* under the 10 000 characters a note may have */
    g_string_append (notes, "Sensitive skin around the eyes; use 0.25 mm there. ");
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %d", i);
      g_autoptr(CliResult) r = CLI (fixture->db, "patient", "add", "--name", name,
                                    "--notes", notes->str);

      EXPECT_EXIT ("patient add", r, 0);
    }
  EXPECT ("read the database", g_file_get_contents (fixture->db, &original, &length, NULL));
  page_size = ((guint8)original[16] << 8) | (guint8)original[17];
  EXPECT ("a database of several pages", length >= 4 * page_size);

  zeros = g_malloc0 (length);
  g_string_append (text, "Mesodesk notes, not a database.\n");
  while (text->len < 3 * page_size)
    g_string_append (text, "Anna: face, 0.5 mm, pen. Next in four weeks.\n");

  damages[0] = (Damage){ "truncated mid-page", g_bytes_new (original, length / 2 + 123) };
  damages[1] = (Damage){ "truncated at a page border", g_bytes_new (original, 2 * page_size) };
  damages[2] = (Damage){ "only the header", g_bytes_new (original, 100) };
  damages[3] = (Damage){ "zeroed", g_bytes_new (zeros, length) };
  damages[4] = (Damage){ "not SQLite", g_bytes_new (text->str, text->len) };

  for (guint d = 0; d < G_N_ELEMENTS (damages); d++)
    {
      g_autofree char *path = g_strdup_printf ("%s/damaged-%u.db", fixture->dir, d);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autofree char *journal = g_strconcat (path, "-journal", NULL);
      gsize size = 0;
      const char *bytes = g_bytes_get_data (damages[d].content, &size);

      EXPECT ("write the damaged file", g_file_set_contents (path, bytes, size, NULL));
      for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
        {
          g_autofree char *what = g_strdup_printf ("%s: %s %s", damages[d].what,
                                                   commands[c][0], commands[c][1]);
          g_autoptr(CliResult) r = cli_runv (path, NULL, commands[c]);
          g_autofree char *after = NULL;
          gsize after_size = 0;

          EXPECT_EXIT (what, r, 5);
          EXPECT_STR (what, "", r->out);
          if (strstr (r->err, "damaged") == NULL &&
              strstr (r->err, "not a Mesodesk database") == NULL)
            {
              print_error ("%s: unclear message: %s\n", what, r->err);
              fail ();
            }
          expect_no_raw_sqlite (what, r->err);
          EXPECT ("read it back", g_file_get_contents (path, &after, &after_size, NULL));
          EXPECT_INT (what, size, after_size);
          EXPECT (what, memcmp (bytes, after, size) == 0);
          EXPECT (what, !g_file_test (wal, G_FILE_TEST_EXISTS));
          EXPECT (what, !g_file_test (shm, G_FILE_TEST_EXISTS));
          EXPECT (what, !g_file_test (journal, G_FILE_TEST_EXISTS));
        }

      /* Nor is it used as a backup's source. */
      {
        g_autoptr(CliResult) r = cli_run (path, NULL, "backup", backup, NULL);

        EXPECT_EXIT ("backup of a damaged file", r, 5);
        EXPECT ("no backup written", !g_file_test (backup, G_FILE_TEST_EXISTS));
      }
      g_bytes_unref (damages[d].content);
    }
}

/* Issue 14: a zeroed page inside an otherwise sound database. `backup`
 * copies pages as they are, so it must check the copy: exit 5, a clear
 * message, and no file where the backup would be. */
static void
test_backup_of_damaged_page (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autofree char *partial = g_strconcat (backup, ".partial", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *notes = g_strnfill (3000, 'n');
  g_autoptr(CliResult) saved = NULL;
  gsize length = 0;
  guint page_size, n_pages;

  for (int i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %d", i);
      g_autoptr(CliResult) r = CLI (fixture->db, "patient", "add", "--name", name,
                                    "--notes", notes);

      EXPECT_EXIT ("patient add", r, 0);
    }
  EXPECT ("read the database", g_file_get_contents (fixture->db, &bytes, &length, NULL));
  page_size = ((guint8)bytes[16] << 8) | (guint8)bytes[17];
  n_pages = length / page_size;
  EXPECT ("several pages", n_pages >= 8);
  /* A page of the patients' rows, past the schema's first pages. */
  memset (bytes + (gsize)(n_pages - 2) * page_size, 0, page_size);
  EXPECT ("write it back", g_file_set_contents (fixture->db, bytes, length, NULL));

  saved = CLI (fixture->db, "backup", backup);
  EXPECT_EXIT ("backup of a database with a zeroed page", saved, 5);
  EXPECT_STR ("nothing on stdout", "", saved->out);
  EXPECT_CONTAINS ("says why", saved->err, "damaged");
  expect_no_raw_sqlite ("backup of a zeroed page", saved->err);
  EXPECT ("no backup written", !g_file_test (backup, G_FILE_TEST_EXISTS));
  EXPECT ("no partial backup left", !g_file_test (partial, G_FILE_TEST_EXISTS));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_sigkill_writers, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_concurrent_booking, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_concurrent_adds, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_concurrent_first_open, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_damaged_files, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_backup_of_damaged_page, cli_fixture_setup,
                                     cli_fixture_teardown),
  };

  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;
  meso_test_filter_from_env ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
