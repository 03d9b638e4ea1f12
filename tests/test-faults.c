/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Faults mesodesk-cli must survive, with the built program on real files
 * and on the test server (faults-postgresql): writers killed with SIGKILL
 * at random moments, desks booking the same slot or the same patient's
 * follow-up at once, many desks adding patients at once, a damaged file
 * where the database should be, and the server killed under its writers. */

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

      /* check on a server is not there yet (another part of issue 15). */
      if (!test_engine_is_postgresql ())
        {
          check = CLI (fixture->db, "check");
          EXPECT_EXIT (what, check, 0);
        }
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

/* The database's own check after the writers; check on a server is not
 * there yet (another part of issue 15). */
static void
expect_check_ok (CliFixture *fixture)
{
  g_autoptr(CliResult) check = NULL;

  if (test_engine_is_postgresql ())
    return;
  check = CLI (fixture->db, "check");
  EXPECT_EXIT ("check", check, 0);
}

static void
test_concurrent_adds (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) created = CLI (fixture->db, "practitioner", "list");

  EXPECT_EXIT ("create the database", created, 0);
  run_parallel_adds (fixture, "Existing");
  expect_check_ok (fixture);
}

static void
test_concurrent_first_open (void **state)
{
  /* Nobody has created the database yet: all of them race to. */
  run_parallel_adds (*state, "New");
  expect_check_ok (*state);
}

/* ================================================= four desks at once */

#define DESKS 4
#define DESK_ROUNDS 3
#define ADDS_PER_DESK 25

/* Runs @args at DESKS desks at once (started in a tight loop, after the
 * database exists): their results, in the order started. */
static GPtrArray *
run_desks (CliFixture        *fixture,
           const char *const  args[DESKS][16])
{
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify)cli_result_free);

  for (guint i = 0; i < DESKS; i++)
    g_ptr_array_add (processes, start (fixture->db, NULL, NULL, args[i]));
  for (guint i = 0; i < DESKS; i++)
    g_ptr_array_add (results, finish (g_ptr_array_index (processes, i)));
  return results;
}

/* Exactly one desk of @results won (exit 0, a record number); the others
 * exit 3 with @message. The winner's record number. */
static gint64
expect_one_winner (const char *what,
                   GPtrArray  *results,
                   const char *message)
{
  CliResult *winner = NULL;

  for (guint i = 0; i < results->len; i++)
    {
      CliResult *r = g_ptr_array_index (results, i);

      expect_no_lock_message (what, r->err);
      expect_no_server_words (what, r->err);
      if (r->status == 0)
        {
          if (winner != NULL)
            {
              print_error ("%s: two desks won:\n%s\n%s\n", what, winner->out, r->out);
              fail ();
            }
          winner = r;
        }
      else
        {
          EXPECT_EXIT (what, r, 3);
          EXPECT_CONTAINS (what, r->err, message);
        }
    }
  if (winner == NULL)
    {
      print_error ("%s: no desk won\n", what);
      fail ();
    }
  return parse_id (what, winner->out);
}

/* The ids of `appointment list --json` from @from to @to. */
static GArray *
listed_appointments (CliFixture *fixture,
                     const char *from,
                     const char *to)
{
  g_autoptr(CliResult) listed = CLI (fixture->db, "appointment", "list", "--from", from,
                                     "--to", to, "--json");
  g_autoptr(JsonNode) node = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *array;

  EXPECT_EXIT ("appointment list", listed, 0);
  node = parse_json ("appointment list", listed->out);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (array, i), "id");

      g_array_append_val (ids, id);
    }
  return ids;
}

/* Four desks book one practitioner's slot for four patients at once: one
 * gets it, three are told of the conflict, one appointment is stored. On
 * the server the losers' transactions fail to serialize and run again,
 * then see the winner's booking. */
static void
test_four_desks_one_slot (void **state)
{
  CliFixture *fixture = *state;

  add_people (fixture, DESKS * DESK_ROUNDS);
  for (guint round = 0; round < DESK_ROUNDS; round++)
    {
      g_autofree char *at = g_strdup_printf ("2026-12-%02uT10:00", 1 + round);
      g_autofree char *day = g_strdup_printf ("2026-12-%02u", 1 + round);
      g_autofree char *what = g_strdup_printf ("slot round %u", round);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GArray) stored = NULL;
      char patients[DESKS][16];
      const char *args[DESKS][16];
      gint64 won;

      /* Patients of their own each round: no rule of theirs may refuse. */
      for (guint d = 0; d < DESKS; d++)
        {
          const char *desk[] = { "appointment", "book", "--patient", patients[d], "--at", at,
                                 "--area", "face", "--practitioner", "Dr Jones", NULL };

          g_snprintf (patients[d], sizeof patients[d], "%u", round * DESKS + d + 1);

          memcpy (args[d], desk, sizeof desk);
        }
      results = run_desks (fixture, args);
      won = expect_one_winner (what, results, "Conflict: Dr Jones");
      stored = listed_appointments (fixture, day, day);
      EXPECT_INT (what, 1, stored->len);
      EXPECT_INT (what, won, g_array_index (stored, gint64, 0));
    }
}

/* Four desks book, then record, the same patient's follow-up of one area
 * on four days inside the interval: one wins, three get R1's refusal. */
static void
test_four_desks_one_follow_up (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(GPtrArray) recorded = NULL;
  g_autoptr(GArray) stored = NULL;
  const char *book_at[DESKS] = {
    "2026-12-01T10:00", "2026-12-02T10:00", "2026-12-03T10:00", "2026-12-04T10:00",
  };
  const char *record_at[DESKS] = {
    "2026-11-17T09:00", "2026-11-18T09:00", "2026-11-19T09:00", "2026-11-20T09:00",
  };
  const char *args[DESKS][16];
  gint64 won;

  add_people (fixture, 2);
  for (guint d = 0; d < DESKS; d++)
    {
      const char *desk[] = { "appointment", "book", "--patient", "1", "--at", book_at[d],
                             "--area", "face", NULL };

      memcpy (args[d], desk, sizeof desk);
    }
  booked = run_desks (fixture, args);
  won = expect_one_winner ("book the follow-up", booked, "R1 treatment interval");
  stored = listed_appointments (fixture, "2026-12-01", "2026-12-05");
  EXPECT_INT ("one follow-up booked", 1, stored->len);
  EXPECT_INT ("the winner's", won, g_array_index (stored, gint64, 0));

  for (guint d = 0; d < DESKS; d++)
    {
      const char *desk[] = { "session", "add", "--patient", "2", "--at", record_at[d],
                             "--area", "face", "--needle-mm", "0.5", "--device", "pen",
                             "--practitioner", "Dr Jones", NULL };

      memcpy (args[d], desk, sizeof desk);
    }
  recorded = run_desks (fixture, args);
  won = expect_one_winner ("record the session", recorded, "R1 treatment interval");
  {
    g_autoptr(CliResult) shown = CLI (fixture->db, "patient", "show", "2", "--json");
    g_autoptr(JsonNode) node = parse_json ("patient show", shown->out);
    JsonArray *sessions = json_object_get_array_member (json_node_get_object (node),
                                                        "sessions");

    EXPECT_EXIT ("patient show", shown, 0);
    EXPECT_INT ("one session stored", 1, json_array_get_length (sessions));
    EXPECT_INT ("the winner's", won,
                json_object_get_int_member (json_array_get_object_element (sessions, 0),
                                            "id"));
  }
}

/* Runs @script with /bin/sh at a desk: $MESODESK_CLI the program,
 * MESODESK_DATABASE @location; stdout and stderr into pipes. */
static GSubprocess *
start_desk_script (const char *location,
                   const char *script)
{
  g_autofree char *database = g_strconcat ("MESODESK_DATABASE=", location, NULL);
  g_autofree char *cli = g_strconcat ("MESODESK_CLI=", cli_path (), NULL);
  const char *extra[] = { database, cli, NULL };
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_auto(GStrv) env = cli_environment (extra);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    {
      print_error ("cannot start /bin/sh: %s\n", error->message);
      fail ();
    }
  return process;
}

/* A desk that adds @n patients one after another: a line "STATUS ID" per
 * add, what a failed one said on stderr. */
static GSubprocess *
start_adding (CliFixture *fixture,
              guint       desk,
              guint       n)
{
  g_autofree char *script = g_strdup_printf (
    "for i in $(seq 1 %u); do out=$(\"$MESODESK_CLI\" patient add --name \"Desk %u-$i\"); "
    "echo \"$? $out\"; done", n, desk);

  return start_desk_script (fixture->db, script);
}

/* The audit log verifies after the desks (issue 16): every entry sealed
 * once, in one chain, whoever wrote at the same time. */
static void
expect_audit_verified (CliFixture *fixture)
{
  g_autoptr(CliResult) verified = CLI (fixture->db, "audit", "verify");

  EXPECT_EXIT ("audit verify", verified, 0);
  EXPECT_CONTAINS ("audit verify", verified->out, "intact");
}

/* Four desks add 25 patients each at once: all 100 are there, each under
 * its own number. */
static void
test_four_desks_adding (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                     g_free);
  g_autoptr(CliResult) created = CLI (fixture->db, "practitioner", "list");
  GHashTableIter iter;
  gpointer key, value;

  EXPECT_EXIT ("create the database", created, 0);
  for (guint d = 0; d < DESKS; d++)
    g_ptr_array_add (processes, start_adding (fixture, d, ADDS_PER_DESK));
  for (guint d = 0; d < DESKS; d++)
    {
      g_autoptr(CliResult) r = finish (g_ptr_array_index (processes, d));
      g_auto(GStrv) lines = g_strsplit (g_strchomp (r->out), "\n", -1);
      g_autofree char *what = g_strdup_printf ("desk %u", d);

      expect_no_lock_message (what, r->err);
      expect_no_server_words (what, r->err);
      EXPECT_STR (what, "", r->err);
      EXPECT_INT (what, ADDS_PER_DESK, g_strv_length (lines));
      for (guint i = 0; lines[i] != NULL; i++)
        {
          gint64 *id = g_new (gint64, 1);

          EXPECT (lines[i], g_str_has_prefix (lines[i], "0 "));
          *id = parse_id (what, lines[i] + 2);
          if (g_hash_table_contains (ids, id))
            {
              print_error ("%s: patient %" G_GINT64_FORMAT " given twice\n", what, *id);
              fail ();
            }
          g_hash_table_insert (ids, id, g_strdup_printf ("Desk %u-%u", d, i + 1));
        }
    }
  EXPECT_INT ("every add numbered", DESKS * ADDS_PER_DESK, g_hash_table_size (ids));
  expect_audit_verified (fixture);

  /* Each is stored under its number, by `patient show` (which a server has
   * already, unlike the list). */
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *)key);
      g_autoptr(CliResult) shown = CLI (fixture->db, "patient", "show", id, "--json");
      g_autoptr(JsonNode) node = NULL;

      EXPECT_EXIT ("patient show", shown, 0);
      node = parse_json ("patient show", shown->out);
      EXPECT_STR ("the name under its number", value,
                  json_object_get_string_member (json_node_get_object (node), "name"));
    }
}

#define DEMO_PATIENTS "3000"
#define ADDS_DURING_DEMO 10
#define DEMO_HEAD_START_US 300000

/* A long write that is not run again (the demo's, one transaction) while
 * three desks add patients: none of them fails, and the log verifies. On a
 * server the desks' seals and the demo's both take the chain's head, and a
 * desk waits for it 10 s at most: an add behind a demo that takes longer
 * (a loaded machine) is refused as busy with a long task at another desk,
 * exit 5, and nothing else. */
static void
test_long_write_while_desks_add (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GPtrArray) desks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSubprocess) demo = NULL;
  g_autoptr(CliResult) demo_result = NULL;
  g_autoptr(CliResult) created = CLI (fixture->db, "practitioner", "list");

  EXPECT_EXIT ("create the database", created, 0);
  demo = start (fixture->db, NULL, NULL,
                (const char *const[]){ "demo", "--patients", DEMO_PATIENTS, NULL });
  /* The demo first, most of the time: it checks the clinic is empty as it
   * begins, then writes for a second or more while the desks add. */
  g_usleep (DEMO_HEAD_START_US);
  for (guint d = 0; d < 3; d++)
    g_ptr_array_add (desks, start_adding (fixture, d, ADDS_DURING_DEMO));
  demo_result = finish (demo);
  for (guint d = 0; d < desks->len; d++)
    {
      g_autoptr(CliResult) r = finish (g_ptr_array_index (desks, d));
      g_autofree char *what = g_strdup_printf ("desk %u", d);
      g_auto(GStrv) lines = g_strsplit (g_strchomp (r->out), "\n", -1);

      guint added = 0;

      EXPECT_INT (what, ADDS_DURING_DEMO, g_strv_length (lines));
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "0 "))
          added++;
        else
          EXPECT (lines[i], test_engine_is_postgresql () &&
                            g_str_equal (g_strchomp (lines[i]), "5"));
      if (added < ADDS_DURING_DEMO)
        {
          print_message ("%s: %u of %u adds waited longer than the limit\n", what,
                         ADDS_DURING_DEMO - added, ADDS_DURING_DEMO);
          EXPECT_CONTAINS (what, r->err, "busy with a long task at another desk");
          expect_no_raw_sqlite (what, r->err);
        }
      else
        {
          expect_no_lock_message (what, r->err);
          EXPECT_STR (what, "", r->err);
        }
    }
  /* The demo fills an empty database only: a desk may have added first,
   * then it refuses (exit 2) without writing; it never fails otherwise. */
  expect_no_lock_message ("demo", demo_result->err);
  if (demo_result->status != 0)
    {
      EXPECT_EXIT ("demo after a desk's add", demo_result, 2);
      EXPECT_CONTAINS ("demo after a desk's add", demo_result->err, "empty");
    }
  expect_audit_verified (fixture);
}

/* ==================================================== the server killed */

#define KILL_WRITERS 4
#define KILL_AFTER_US 1500000

/* The test's own server's STATE folder (build-aux/pg-test-server), so the
 * teardown stops it even after a failure; never the run's shared server. */
static char *own_server_state;

/* Runs build-aux/pg-test-server @verb on the test's own server: its
 * stdout's MESODESK_TEST_POSTGRESQL value, or "". */
static char *
own_server (const char *verb)
{
  g_autofree char *out = test_server_script (verb, own_server_state, NULL);
  const char *line;

  line = strstr (out, "MESODESK_TEST_POSTGRESQL=");
  return g_strdup (line != NULL ? g_strchomp (strchr (line, '=') + 1) : "");
}

static int
own_server_teardown (void **state)
{
  if (own_server_state != NULL)
    {
      g_free (own_server ("stop"));
      g_clear_pointer (&own_server_state, g_free);
    }
  return cli_fixture_teardown (state);
}

/* A desk that adds a patient and records a session, again and again, until
 * a command fails: "P STATUS ID" and "S STATUS ID SESSION" lines. */
static GSubprocess *
start_recording (const char *location,
                 guint       desk)
{
  g_autofree char *script = g_strdup_printf (
    "i=0; while [ $i -lt 500 ]; do i=$((i + 1)); "
    "p=$(\"$MESODESK_CLI\" patient add --name \"Writer %u-$i\"); s=$?; echo \"P $s $p\"; "
    "[ $s -eq 0 ] || break; "
    "n=$(\"$MESODESK_CLI\" session add --patient \"$p\" --at 2026-11-20T09:00 --area face "
    "--needle-mm 0.5 --device pen --practitioner \"Dr Jones\"); s=$?; echo \"S $s $p $n\"; "
    "[ $s -eq 0 ] || break; done", desk);

  return start_desk_script (location, script);
}

static gint64
server_count (const char *location,
              const char *sql)
{
  PGconn *conn = PQconnectdb (location);
  PGresult *result;
  gint64 count;

  assert_int_equal (PQstatus (conn), CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      print_error ("%s: %s\n", sql, PQerrorMessage (conn));
      fail ();
    }
  count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return count;
}

/* The clinic server stops hard (a crash, a power cut) while four desks
 * write: each write a desk was told of is there, each other desk stopped
 * with one clear line (exit 5), nothing is half written; once the server
 * is back, writes succeed. A server of the test's own: the run's shared one
 * serves other tests meanwhile. */
static void
test_server_killed (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(GPtrArray) processes = NULL;
  g_autoptr(GPtrArray) acknowledged = NULL;
  g_autofree char *location = NULL;
  g_autofree char *again = NULL;
  g_autoptr(CliResult) staff = NULL;
  g_autoptr(CliResult) after = NULL;

  /* skip() leaves without the cleanups: nothing allocated before it. */
  if (!test_engine_is_postgresql ())
    skip ();
  processes = g_ptr_array_new_with_free_func (g_object_unref);
  acknowledged = g_ptr_array_new_with_free_func (g_free);
  own_server_state = g_build_filename (fixture->dir, "own-server", NULL);
  location = own_server ("start");
  EXPECT ("the own server's location", *location != '\0');
  /* The test servers do not wait for the log to reach the disk before a
   * commit is acknowledged; a server that is to lose nothing does. */
  {
    PGconn *conn = PQconnectdb (location);
    PGresult *result = PQexec (conn, "ALTER SYSTEM SET synchronous_commit = on");

    EXPECT_INT ("synchronous_commit on", PGRES_COMMAND_OK, PQresultStatus (result));
    PQclear (result);
    result = PQexec (conn, "SELECT pg_reload_conf ()");
    PQclear (result);
    PQfinish (conn);
  }
  staff = CLI (location, "practitioner", "add", "Dr Jones", "--clinician");
  EXPECT_EXIT ("practitioner add", staff, 0);

  for (guint d = 0; d < KILL_WRITERS; d++)
    g_ptr_array_add (processes, start_recording (location, d));
  g_usleep (KILL_AFTER_US);
  g_free (own_server ("kill"));

  for (guint d = 0; d < KILL_WRITERS; d++)
    {
      g_autoptr(CliResult) r = finish (g_ptr_array_index (processes, d));
      g_auto(GStrv) lines = g_strsplit (g_strchomp (r->out), "\n", -1);
      g_auto(GStrv) said = g_strsplit (g_strchomp (r->err), "\n", -1);
      g_autofree char *what = g_strdup_printf ("writer %u", d);
      guint n = g_strv_length (lines);

      EXPECT (what, n >= 2);
      for (guint i = 0; i + 1 < n; i++)
        {
          g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);

          EXPECT_STR (lines[i], "0", words[1]);
          g_ptr_array_add (acknowledged, g_strdup (lines[i]));
        }
      /* The last command is the one the server's end stopped. */
      {
        g_auto(GStrv) words = g_strsplit (lines[n - 1], " ", -1);

        EXPECT_STR (lines[n - 1], "5", words[1]);
      }
      {
        g_autofree char *one_line = g_strdup_printf ("one line: %s", r->err);

        EXPECT_INT (one_line, 1, g_strv_length (said));
      }
      EXPECT_CONTAINS (what, r->err, "clinic server");
      expect_no_server_words (what, r->err);
    }
  print_message ("%u writes acknowledged before the server stopped\n", acknowledged->len);
  EXPECT ("writes before the kill", acknowledged->len >= KILL_WRITERS);

  again = own_server ("restart");
  EXPECT_STR ("the same server", location, again);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_auto(GStrv) words = g_strsplit (g_ptr_array_index (acknowledged, i), " ", -1);
      g_autoptr(CliResult) shown = CLI (location, "patient", "show", words[2], "--json");

      EXPECT_EXIT (words[2], shown, 0);
      if (g_str_equal (words[0], "S"))
        {
          g_autofree char *session = g_strdup_printf ("\"id\" : %s,", words[3]);

          EXPECT_CONTAINS ("the acknowledged session", shown->out, session);
        }
    }
  /* Nothing half written: every row has its audit entry, every session and
   * appointment its patient, every session's patient its course. */
  EXPECT_INT ("sessions without their audit", 0,
              server_count (location, "SELECT count(*) FROM sessions s WHERE NOT EXISTS "
                                      "(SELECT 1 FROM audit a WHERE a.tbl = 'sessions' "
                                      "AND a.row_id = s.id)"));
  EXPECT_INT ("patients without their audit", 0,
              server_count (location, "SELECT count(*) FROM patients p WHERE NOT EXISTS "
                                      "(SELECT 1 FROM audit a WHERE a.tbl = 'patients' "
                                      "AND a.row_id = p.id)"));
  EXPECT_INT ("sessions without their course", 0,
              server_count (location, "SELECT count(*) FROM sessions s WHERE NOT EXISTS "
                                      "(SELECT 1 FROM courses c WHERE c.patient_id = "
                                      "s.patient_id AND c.area = s.area)"));

  after = CLI (location, "patient", "add", "--name", "After the restart");
  EXPECT_EXIT ("a write once the server is back", after, 0);
}

/* ======================================================== damaged files */

typedef struct
{
  const char *what;
  GBytes     *content;
} Damage;

/* A damaged file: the server's disk is the server's business (skipped on
 * the server: CLI_FILE_ONLY_TEST in main()). */
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
 * message, and no file where the backup would be. SQLite's pages in a file,
 * and backup on a server is not there yet (another part of issue 15):
 * skipped on the server (CLI_FILE_ONLY_TEST in main()). */
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
    cmocka_unit_test_setup_teardown (test_four_desks_one_slot, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_four_desks_one_follow_up, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_four_desks_adding, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_long_write_while_desks_add, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_server_killed, cli_fixture_setup,
                                     own_server_teardown),
    CLI_FILE_ONLY_TEST (test_damaged_files),
    CLI_FILE_ONLY_TEST (test_backup_of_damaged_page),
  };

  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;
  meso_test_filter_from_env ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
