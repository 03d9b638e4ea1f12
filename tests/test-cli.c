/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli as scripts use it: the built program run as a process on a
 * real database in a fresh temporary folder per test. Exit codes, the JSON
 * field by field, the rules' refusals and overrides, the clock, the file's
 * privacy. "Now" is 2026-11-20T10:00 (a Friday) in Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"
#define _GNU_SOURCE  /* posix_openpt() and the pseudo-terminal calls */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-runner.h"

#include <locale.h>
#include "meso-test-server.h"
#include "meso-test-audit.h"

/* ================================================================ helpers */

static JsonNode *
member (const char *what,
        JsonObject *object,
        const char *name)
{
  if (!json_object_has_member (object, name))
    {
      print_error ("%s: no member \"%s\"\n", what, name);
      fail ();
    }
  return json_object_get_member (object, name);
}

static void
verify_string (const char *what,
               JsonObject *object,
               const char *name,
               const char *expected)
{
  JsonNode *node = member (what, object, name);

  if (expected == NULL)
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        {
          print_error ("%s: \"%s\" should be null\n", what, name);
          fail ();
        }
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      print_error ("%s: \"%s\" should be a string\n", what, name);
      fail ();
    }
  EXPECT_STR (what, expected, json_node_get_string (node));
}

static gint64
verify_int (const char *what,
            JsonObject *object,
            const char *name)
{
  JsonNode *node = member (what, object, name);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      print_error ("%s: \"%s\" should be an integer\n", what, name);
      fail ();
    }
  return json_node_get_int (node);
}

static void
verify_bool (const char *what,
             JsonObject *object,
             const char *name,
             gboolean    expected)
{
  JsonNode *node = member (what, object, name);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      print_error ("%s: \"%s\" should be a boolean\n", what, name);
      fail ();
    }
  EXPECT_INT (what, expected, json_node_get_boolean (node));
}

static JsonArray *
verify_array (const char *what,
              JsonObject *object,
              const char *name)
{
  JsonNode *node = member (what, object, name);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      print_error ("%s: \"%s\" should be an array\n", what, name);
      fail ();
    }
  return json_node_get_array (node);
}

static JsonObject *
root_object (const char *what,
             JsonNode   *node)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      print_error ("%s: expected a JSON object\n", what);
      fail ();
    }
  return json_node_get_object (node);
}

static JsonArray *
root_array (const char *what,
            JsonNode   *node)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      print_error ("%s: expected a JSON array\n", what);
      fail ();
    }
  return json_node_get_array (node);
}

static JsonObject *
array_object (const char *what,
              JsonArray  *array,
              guint       index)
{
  JsonNode *node;

  if (index >= json_array_get_length (array))
    {
      print_error ("%s: no element %u\n", what, index);
      fail ();
    }
  node = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      print_error ("%s: element %u should be an object\n", what, index);
      fail ();
    }
  return json_node_get_object (node);
}

/* The element of @array whose "kind" is @kind, or NULL. */
static JsonObject *
find_kind (JsonArray  *array,
           const char *kind)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "kind"), kind) == 0)
        return object;
    }
  return NULL;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static gint64
add_patient (CliFixture *fixture,
             const char *name)
{
  g_autoptr(CliResult) r = CLI (fixture->db, "patient", "add", "--name", name);

  EXPECT_EXIT ("patient add", r, 0);
  return parse_id ("patient add", r->out);
}

static void
add_staff (CliFixture *fixture)
{
  g_autoptr(CliResult) a = CLI (fixture->db, "practitioner", "add", "Dr Jones", "--clinician");
  g_autoptr(CliResult) b = CLI (fixture->db, "practitioner", "add", "Rita", "--receptionist");
  g_autoptr(CliResult) c = CLI (fixture->db, "room", "add", "Room 1");

  EXPECT_EXIT ("practitioner add clinician", a, 0);
  EXPECT_EXIT ("practitioner add receptionist", b, 0);
  EXPECT_EXIT ("room add", c, 0);
}

/* A 0.5 mm pen session: allowed on any area, nothing to confirm. */
static gint64
add_session (CliFixture *fixture,
             gint64      patient,
             const char *at,
             const char *area)
{
  g_autofree char *id = id_text (patient);
  g_autoptr(CliResult) r = CLI (fixture->db, "session", "add", "--patient", id, "--at", at,
                                "--area", area, "--needle-mm", "0.5", "--device", "pen",
                                "--practitioner", "Dr Jones");

  EXPECT_EXIT ("session add", r, 0);
  return parse_id ("session add", r->out);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* ================================================================== tests */

static void
test_help (void **state)
{
  CliFixture *fixture = *state;
  static const char *const commands[] = {
    "patient", "session", "appointment", "practitioner", "room", "hours", "recall",
    "reminders", "export", "import", "backup", "restore", "check", "demo", "audit",
    "transfer",
  };
  static const char *const leaves[][2] = {
    { "patient", "add" }, { "patient", "list" }, { "patient", "show" }, { "patient", "edit" },
    { "patient", "archive" }, { "patient", "flag" }, { "session", "add" },
    { "appointment", "book" }, { "appointment", "check" }, { "appointment", "cancel" },
    { "appointment", "list" }, { "appointment", "suggest" }, { "practitioner", "add" },
    { "practitioner", "list" }, { "room", "add" }, { "room", "list" }, { "hours", "set" },
    { "hours", "show" }, { "recall", "finished" }, { "recall", "declined" },
    { "recall", "reopen" }, { "reminders", NULL }, { "export", "ics" }, { "export", "csv" },
    { "import", "csv" }, { "backup", NULL }, { "restore", NULL }, { "check", NULL },
    { "demo", NULL }, { "audit", NULL }, { "transfer", NULL },
  };
  g_autoptr(CliResult) top = CLI (fixture->db, "--help");
  g_autoptr(CliResult) none = CLI (fixture->db, "--version");
  g_autoptr(CliResult) bare = cli_run (fixture->db, NULL, NULL);
  g_autoptr(CliResult) unknown = CLI (fixture->db, "frobnicate");
  g_autoptr(CliResult) unknown_sub = CLI (fixture->db, "patient", "frobnicate");
  g_autoptr(CliResult) no_sub = CLI (fixture->db, "patient");

  EXPECT_EXIT ("--help", top, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *listed = g_strdup_printf ("\n  %s ", commands[i]);
      g_autoptr(CliResult) group = CLI (fixture->db, commands[i], "--help");

      EXPECT_CONTAINS ("--help lists every command", top->out, listed);
      EXPECT_EXIT (commands[i], group, 0);
      EXPECT_CONTAINS (commands[i], group->out, "Usage:");
    }
  EXPECT_CONTAINS ("--help: the exit codes", top->out, "Exit status");
  EXPECT_CONTAINS ("--help: MESODESK_NOW", top->out, "MESODESK_NOW");
  EXPECT_CONTAINS ("--help: MESODESK_DATABASE", top->out, "MESODESK_DATABASE");
  EXPECT_CONTAINS ("--help: a file or a server", top->out, "--database=LOCATION");
  EXPECT_CONTAINS ("--help: a server's location", top->out, "postgresql://");
  EXPECT_CONTAINS ("--help: exit 5 for a server", top->out, "cannot be reached");

  for (guint i = 0; i < G_N_ELEMENTS (leaves); i++)
    {
      g_autofree char *what = g_strjoin (" ", leaves[i][0], leaves[i][1], "--help", NULL);
      g_autoptr(CliResult) r = leaves[i][1] != NULL
                                 ? CLI (fixture->db, leaves[i][0], leaves[i][1], "--help")
                                 : CLI (fixture->db, leaves[i][0], "--help");
      g_autofree char *usage = g_strjoin (" ", "mesodesk-cli", leaves[i][0], leaves[i][1], NULL);

      EXPECT_EXIT (what, r, 0);
      EXPECT_CONTAINS (what, r->out, usage);
      EXPECT_CONTAINS (what, r->out, "--json");
    }

  EXPECT_EXIT ("--version", none, 0);
  EXPECT_CONTAINS ("--version", none->out, PACKAGE_VERSION);
  EXPECT_EXIT ("no command", bare, 2);
  EXPECT_EXIT ("unknown command", unknown, 2);
  EXPECT_CONTAINS ("unknown command", unknown->err, "frobnicate");
  EXPECT_EXIT ("unknown subcommand", unknown_sub, 2);
  EXPECT_EXIT ("no subcommand", no_sub, 2);
  EXPECT_CONTAINS ("no subcommand lists them", no_sub->err, "add");
  /* Help and usage errors never create a database. */
  EXPECT ("no database created", !g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

/* A second record of one person (same name with the same birth date or
 * phone) is added, and named on stderr; the exit status stays 0. Searching
 * by birth date finds both. */
static void
test_patient_add_namesake (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) first = CLI (fixture->db, "patient", "add", "--name", "Erika Mustermann",
                                    "--birth-date", "1985-03-14", "--phone", "0151 234567");
  g_autoptr(CliResult) same_day = CLI (fixture->db, "patient", "add", "--name",
                                       "erika mustermann", "--birth-date", "1985-03-14");
  g_autoptr(CliResult) same_phone = CLI (fixture->db, "patient", "add", "--name",
                                         "Erika Mustermann", "--phone", "(0151) 23 45 67",
                                         "--json");
  g_autoptr(CliResult) other = CLI (fixture->db, "patient", "add", "--name", "Erika Mustermann",
                                    "--birth-date", "1990-01-01");
  g_autoptr(CliResult) found = CLI (fixture->db, "patient", "list", "--search", "1985-03-14");

  EXPECT_EXIT ("the first", first, 0);
  EXPECT_STR ("no warning for the first", "", first->err);
  EXPECT_EXIT ("added anyway", same_day, 0);
  EXPECT_STR ("its number", "2\n", same_day->out);
  EXPECT_STR ("named on stderr",
              "Warning: Erika Mustermann, born 1985-03-14, is already record 1.\n",
              same_day->err);
  EXPECT_EXIT ("the same phone", same_phone, 0);
  EXPECT_CONTAINS ("--json: stdout is the record", same_phone->out, "\"id\" : 3");
  EXPECT_CONTAINS ("the same phone: named", same_phone->err, "is already record 1.");
  EXPECT_EXIT ("another birth date", other, 0);
  EXPECT_STR ("another person: no warning", "", other->err);
  EXPECT_EXIT ("search by birth date", found, 0);
  EXPECT_CONTAINS ("finds her", found->out, "1\tErika Mustermann");
  EXPECT_CONTAINS ("and the second record", found->out, "2\terika mustermann");
  EXPECT ("not the other", strstr (found->out, "1990") == NULL);
}

/* In German the command line still writes and takes "0.5" (README: its
 * text is for scripts), and takes the German "0,5" too (issue 17). */
static void
test_needle_in_german (void **state)
{
  CliFixture *fixture = *state;
  const char *const german[] = { "LC_ALL=de_DE.UTF-8", "LANGUAGE=de", NULL };
  g_autoptr(CliResult) comma = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(CliResult) too_long = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      if (g_getenv ("CI") != NULL)
        fail_msg ("de_DE.UTF-8 is not installed (Debian: locales-all)");
      skip ();
    }
  setlocale (LC_NUMERIC, "C.UTF-8");

  add_patient (fixture, "Erika Mustermann");
  add_staff (fixture);
  comma = CLI_ENV (fixture->db, german, "session", "add", "--patient", "1",
                   "--at", "2026-11-20T09:00", "--area", "face", "--needle-mm", "0,5",
                   "--device", "pen");
  shown = CLI_ENV (fixture->db, german, "patient", "show", "1");
  json = CLI_ENV (fixture->db, german, "patient", "show", "1", "--json");
  too_long = CLI_ENV (fixture->db, german, "session", "add", "--patient", "1",
                      "--at", "2026-10-20T09:00", "--area", "face", "--needle-mm", "3",
                      "--device", "pen");

  EXPECT_EXIT ("0,5 is taken", comma, 0);
  EXPECT_EXIT ("patient show", shown, 0);
  EXPECT_CONTAINS ("shown with a point", shown->out, "0.5 mm");
  EXPECT ("no comma", strstr (shown->out, "0,5") == NULL);
  EXPECT_CONTAINS ("JSON in micrometres", json->out, "\"needle_um\" : 500");
  EXPECT_EXIT ("3 mm is refused", too_long, 2);
  EXPECT_CONTAINS ("the limits with a point", too_long->err, "2.5 mm");
}

static void
test_exit_codes (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *not_a_db = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autoptr(CliResult) ok = CLI (fixture->db, "patient", "add", "--name", "Ada");
  g_autoptr(CliResult) usage = CLI (fixture->db, "patient", "add");
  g_autoptr(CliResult) bad_option = CLI (fixture->db, "patient", "list", "--colour");
  g_autoptr(CliResult) first = NULL;
  g_autoptr(CliResult) refused = NULL;
  g_autoptr(CliResult) missing = CLI (fixture->db, "patient", "show", "999");
  g_autoptr(CliResult) damaged = NULL;

  EXPECT_EXIT ("0: patient add", ok, 0);
  EXPECT_EXIT ("2: patient add without --name", usage, 2);
  EXPECT_CONTAINS ("2: names the missing option", usage->err, "--name");
  EXPECT_EXIT ("2: an unknown option", bad_option, 2);
  EXPECT_CONTAINS ("2: names the option", bad_option->err, "--colour");

  add_staff (fixture);
  first = CLI (fixture->db, "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
               "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  refused = CLI (fixture->db, "session", "add", "--patient", "1", "--at", "2026-11-20T09:30",
                 "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("0: session add", first, 0);
  EXPECT_EXIT ("3: a second session the same day", refused, 3);
  EXPECT_CONTAINS ("3: the rule's message", refused->err, "R1");
  EXPECT_STR ("3: nothing on stdout", "", refused->out);

  EXPECT_EXIT ("4: an unknown patient", missing, 4);
  EXPECT_CONTAINS ("4: says which", missing->err, "999");

  g_file_set_contents (not_a_db, "Shopping list: needles, serum, gloves\n", -1, NULL);
  damaged = CLI (not_a_db, "patient", "list");
  EXPECT_EXIT ("5: not a database", damaged, 5);
  EXPECT_CONTAINS ("5: a clear message", damaged->err, "not a Mesodesk database");
  expect_no_raw_sqlite ("5: no raw SQLite words", damaged->err);
}

static void
check_patient_fields (const char *what,
                      JsonObject *object,
                      gint64      id)
{
  EXPECT_INT (what, id, verify_int (what, object, "id"));
  verify_string (what, object, "name", "Anna Müller");
  verify_string (what, object, "birth_date", "1980-02-03");
  verify_string (what, object, "phone", "+49 30 1234567");
  verify_string (what, object, "email", "anna@example.org");
  verify_bool (what, object, "sensitive_skin", TRUE);
  verify_string (what, object, "notes", "Prefers mornings.");
  verify_bool (what, object, "archived", FALSE);
}

static void
test_patient_json (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) added = CLI (fixture->db, "patient", "add", "--json",
                                    "--name", "Anna Müller", "--birth-date", "1980-02-03",
                                    "--phone", "+49 30 1234567", "--email", "anna@example.org",
                                    "--sensitive-skin", "--notes", "Prefers mornings.");
  g_autoptr(CliResult) second = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) edited = NULL;
  g_autoptr(CliResult) archived = NULL;
  g_autoptr(CliResult) list_after = NULL;
  g_autoptr(CliResult) list_all = NULL;
  g_autoptr(JsonNode) added_json = NULL;
  g_autoptr(JsonNode) shown_json = NULL;
  g_autoptr(JsonNode) listed_json = NULL;
  g_autoptr(JsonNode) edited_json = NULL;
  g_autoptr(JsonNode) after_json = NULL;
  g_autoptr(JsonNode) all_json = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonArray *array;
  gint64 anna;

  EXPECT_EXIT ("patient add --json", added, 0);
  added_json = parse_json ("patient add --json", added->out);
  object = root_object ("patient add --json", added_json);
  anna = verify_int ("patient add --json", object, "id");
  EXPECT ("the new id", anna >= 1);
  check_patient_fields ("patient add --json", object, anna);
  EXPECT_INT ("patient add --json: exactly the patient's fields", 8,
              json_object_get_size (object));

  second = CLI (fixture->db, "patient", "add", "--name", "Bea Adler");
  EXPECT_EXIT ("patient add", second, 0);
  EXPECT_INT ("patient add prints the new id", anna + 1, parse_id ("patient add", second->out));

  id = id_text (anna);
  shown = CLI (fixture->db, "patient", "show", id, "--json");
  EXPECT_EXIT ("patient show --json", shown, 0);
  shown_json = parse_json ("patient show --json", shown->out);
  object = root_object ("patient show --json", shown_json);
  check_patient_fields ("patient show --json", object, anna);
  EXPECT_INT ("no flags", 0, json_array_get_length (verify_array ("show", object, "flags")));
  EXPECT_INT ("no sessions", 0,
              json_array_get_length (verify_array ("show", object, "sessions")));
  EXPECT_INT ("no appointments", 0,
              json_array_get_length (verify_array ("show", object, "appointments")));
  EXPECT_INT ("no overrides", 0,
              json_array_get_length (verify_array ("show", object, "overrides")));

  listed = CLI (fixture->db, "patient", "list", "--json");
  EXPECT_EXIT ("patient list --json", listed, 0);
  listed_json = parse_json ("patient list --json", listed->out);
  array = root_array ("patient list --json", listed_json);
  EXPECT_INT ("two patients", 2, json_array_get_length (array));
  /* By name: Anna before Bea. */
  check_patient_fields ("patient list --json", array_object ("list", array, 0), anna);
  verify_string ("list", array_object ("list", array, 1), "name", "Bea Adler");
  verify_string ("list: unknown birth date", array_object ("list", array, 1), "birth_date",
                 NULL);

  edited = CLI (fixture->db, "patient", "edit", id, "--phone", "", "--no-sensitive-skin",
                "--json");
  EXPECT_EXIT ("patient edit --json", edited, 0);
  edited_json = parse_json ("patient edit --json", edited->out);
  object = root_object ("patient edit --json", edited_json);
  verify_string ("edit: phone cleared", object, "phone", NULL);
  verify_bool ("edit: sensitive skin off", object, "sensitive_skin", FALSE);
  verify_string ("edit: name kept", object, "name", "Anna Müller");

  archived = CLI (fixture->db, "patient", "archive", id);
  EXPECT_EXIT ("patient archive", archived, 0);
  list_after = CLI (fixture->db, "patient", "list", "--json");
  after_json = parse_json ("list after archive", list_after->out);
  EXPECT_INT ("archived: out of the list", 1,
              json_array_get_length (root_array ("list", after_json)));
  list_all = CLI (fixture->db, "patient", "list", "--archived", "--json", "--search", "anna");
  all_json = parse_json ("list --archived", list_all->out);
  array = root_array ("list --archived", all_json);
  EXPECT_INT ("--archived --search finds her", 1, json_array_get_length (array));
  verify_bool ("--archived", array_object ("list", array, 0), "archived", TRUE);
}

/* Quotes, emoji, right-to-left text and a 10 kB note, byte for byte. */
static void
test_round_trip (void **state)
{
  CliFixture *fixture = *state;
  const char *name = "O'Brien \"Bobby\" \\ 😀 שָׁלוֹם مرحبا Ωmega";
  g_autoptr(GString) notes = g_string_new ("Line one\nLine two\twith a tab; \"quotes\", "
                                           "'apostrophes', \\backslash\\, 💉 ✓\n");
  g_autoptr(CliResult) added = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) text = NULL;
  g_autoptr(JsonNode) added_json = NULL;
  g_autoptr(JsonNode) shown_json = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;

  while (notes->len < 10 * 1024)
    g_string_append (notes, "Ceramide moisturiser daily; ‏עברית‎ and العربية mixed. ");

  added = CLI (fixture->db, "patient", "add", "--json", "--name", name, "--notes", notes->str);
  EXPECT_EXIT ("patient add", added, 0);
  added_json = parse_json ("patient add", added->out);
  object = root_object ("patient add", added_json);
  EXPECT_STR ("name from add", name, json_object_get_string_member (object, "name"));
  EXPECT_STR ("notes from add", notes->str, json_object_get_string_member (object, "notes"));

  id = id_text (json_object_get_int_member (object, "id"));
  shown = CLI (fixture->db, "patient", "show", id, "--json");
  EXPECT_EXIT ("patient show", shown, 0);
  shown_json = parse_json ("patient show", shown->out);
  object = root_object ("patient show", shown_json);
  EXPECT_STR ("name from show", name, json_object_get_string_member (object, "name"));
  EXPECT_STR ("notes from show", notes->str, json_object_get_string_member (object, "notes"));

  text = CLI (fixture->db, "patient", "show", id);
  EXPECT_EXIT ("patient show (text)", text, 0);
  EXPECT_CONTAINS ("the name as typed", text->out, name);
}

/* A booking too soon after a session is refused with R1's message. */
static void
test_booking_rules (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient, other;
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(CliResult) early = NULL;
  g_autoptr(CliResult) border_before = NULL;
  g_autoptr(CliResult) border = NULL;
  g_autoptr(CliResult) check = NULL;
  g_autoptr(CliResult) check_json = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) conflict = NULL;
  g_autoptr(CliResult) other_area = NULL;
  g_autoptr(JsonNode) check_node = NULL;
  g_autoptr(JsonNode) listed_node = NULL;
  g_autoptr(JsonNode) booked_node = NULL;
  JsonObject *object;
  JsonArray *verdicts;
  gboolean found_r1 = FALSE;

  add_staff (fixture);
  patient = add_patient (fixture, "Carla Diaz");
  other = add_patient (fixture, "Dora Ek");
  id = id_text (patient);
  other_id = id_text (other);
  add_session (fixture, patient, "2026-11-20T09:00", "face");

  early = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2026-11-30T10:00",
               "--area", "face");
  EXPECT_EXIT ("too early", early, 3);
  EXPECT_CONTAINS ("too early: R1 on stderr", early->err, "R1 treatment interval");
  EXPECT_CONTAINS ("too early: the earliest date", early->err, "2026-12-18");
  EXPECT_STR ("too early: nothing on stdout", "", early->out);

  /* 27 days: refused; 28 days: allowed. */
  border_before = CLI (fixture->db, "appointment", "book", "--patient", id,
                       "--at", "2026-12-17T10:00", "--area", "face");
  EXPECT_EXIT ("27 days", border_before, 3);

  check = CLI (fixture->db, "appointment", "check", "--patient", id, "--at", "2026-11-30T10:00",
               "--area", "face");
  EXPECT_EXIT ("check too early", check, 3);
  EXPECT_CONTAINS ("check prints kind, rule, message", check->out, "refused\tR1\tR1 ");
  check_json = CLI (fixture->db, "appointment", "check", "--patient", id,
                    "--at", "2026-11-30T10:00", "--area", "face", "--json");
  EXPECT_EXIT ("check --json too early", check_json, 3);
  check_node = parse_json ("check --json", check_json->out);
  object = root_object ("check --json", check_node);
  verify_bool ("check --json", object, "allowed", FALSE);
  verdicts = verify_array ("check --json", object, "verdicts");
  for (guint i = 0; i < json_array_get_length (verdicts); i++)
    {
      JsonObject *verdict = array_object ("verdicts", verdicts, i);

      if (g_strcmp0 (json_object_get_string_member (verdict, "rule"), "R1") == 0)
        {
          found_r1 = TRUE;
          verify_string ("R1 verdict", verdict, "kind", "refused");
          verify_bool ("R1 verdict", verdict, "blocking", TRUE);
          verify_string ("R1 verdict", verdict, "resolution", "override");
          EXPECT_CONTAINS ("R1 verdict", json_object_get_string_member (verdict, "message"),
                           "R1 treatment interval");
        }
    }
  EXPECT ("check --json lists R1", found_r1);

  border = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2026-12-18T10:00",
                "--area", "face", "--practitioner", "Dr Jones", "--room", "Room 1", "--json");
  EXPECT_EXIT ("28 days", border, 0);
  booked_node = parse_json ("appointment book --json", border->out);
  object = root_object ("appointment book --json", booked_node);
  EXPECT ("book --json: the new id", verify_int ("book", object, "id") >= 1);
  EXPECT_INT ("book --json", patient, verify_int ("book", object, "patient_id"));
  verify_string ("book --json", object, "patient", "Carla Diaz");
  verify_string ("book --json", object, "area", "face");
  verify_string ("book --json", object, "start", "2026-12-18T10:00");
  verify_string ("book --json", object, "end", "2026-12-18T11:00");
  EXPECT_INT ("book --json", 60, verify_int ("book", object, "minutes"));
  verify_string ("book --json", object, "practitioner", "Dr Jones");
  verify_string ("book --json", object, "room", "Room 1");
  verify_string ("book --json", object, "status", "booked");
  verify_string ("book --json", object, "override_reason", NULL);
  verify_string ("book --json", object, "cancel_reason", NULL);

  /* The same practitioner at the same time, for someone else: a conflict. */
  conflict = CLI (fixture->db, "appointment", "book", "--patient", other_id,
                  "--at", "2026-12-18T10:30", "--area", "neck", "--practitioner", "Dr Jones");
  EXPECT_EXIT ("conflict", conflict, 3);
  EXPECT_CONTAINS ("conflict: says so", conflict->err, "Conflict");
  other_area = CLI (fixture->db, "appointment", "book", "--patient", id,
                    "--at", "2026-11-30T10:00", "--area", "neck");
  EXPECT_EXIT ("another area is not R1's business", other_area, 0);

  /* Check wrote nothing; the refused bookings neither. */
  listed = CLI (fixture->db, "appointment", "list", "--from", "2026-11-20", "--to", "2026-12-31",
                "--json");
  EXPECT_EXIT ("appointment list", listed, 0);
  listed_node = parse_json ("appointment list", listed->out);
  EXPECT_INT ("two bookings", 2, json_array_get_length (root_array ("list", listed_node)));
}

static void
test_override (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient;
  g_autofree char *id = NULL;
  g_autoptr(CliResult) receptionist = NULL;
  g_autoptr(CliResult) nobody = NULL;
  g_autoptr(CliResult) unknown = NULL;
  g_autoptr(CliResult) clinician = NULL;
  g_autoptr(CliResult) booking_receptionist = NULL;
  g_autoptr(CliResult) booking_clinician = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(JsonNode) session_node = NULL;
  g_autoptr(JsonNode) booking_node = NULL;
  g_autoptr(JsonNode) shown_node = NULL;
  JsonObject *object;
  JsonArray *overrides;

  add_staff (fixture);
  patient = add_patient (fixture, "Eva Fischer");
  id = id_text (patient);
  add_session (fixture, patient, "2026-11-20T09:00", "face");

  receptionist = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                      "--area", "face", "--needle-mm", "0.5", "--device", "pen",
                      "--practitioner", "Rita", "--override-reason", "Touch-up agreed");
  EXPECT_EXIT ("override by a receptionist", receptionist, 3);
  EXPECT_CONTAINS ("receptionist: the rule says who may", receptionist->err,
                   "Only a clinician may override");
  nobody = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                "--area", "face", "--needle-mm", "0.5", "--device", "pen",
                "--override-reason", "Touch-up agreed");
  EXPECT_EXIT ("override without a practitioner", nobody, 3);
  EXPECT_CONTAINS ("without a practitioner", nobody->err, "R1");
  unknown = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                 "--area", "face", "--needle-mm", "0.5", "--device", "pen",
                 "--practitioner", "Dr Nobody", "--override-reason", "Touch-up agreed");
  EXPECT_EXIT ("override by an unknown practitioner", unknown, 4);

  clinician = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                   "--area", "face", "--needle-mm", "0.5", "--device", "pen",
                   "--practitioner", "Dr Jones", "--override-reason", "Touch-up agreed",
                   "--json");
  EXPECT_EXIT ("override by a clinician", clinician, 0);
  EXPECT_CONTAINS ("the lifted refusal is a warning", clinician->err, "Overridden by a clinician");
  session_node = parse_json ("session add --json", clinician->out);
  object = root_object ("session add --json", session_node);
  EXPECT ("session add --json: the new id", verify_int ("session", object, "id") >= 1);
  EXPECT_INT ("session", patient, verify_int ("session", object, "patient_id"));
  verify_string ("session", object, "at", "2026-11-20T09:30");
  verify_string ("session", object, "area", "face");
  verify_string ("session", object, "device", "pen");
  EXPECT_INT ("session", 500, verify_int ("session", object, "needle_um"));
  verify_string ("session", object, "practitioner", "Dr Jones");
  verify_string ("session: the reason is kept", object, "override_reason", "Touch-up agreed");
  verify_bool ("session", object, "caution_confirmed", FALSE);
  verify_bool ("session", object, "home_use", FALSE);
  verify_string ("session", object, "appointment_id", NULL);

  booking_receptionist = CLI (fixture->db, "appointment", "book", "--patient", id,
                              "--at", "2026-12-01T10:00", "--area", "face",
                              "--practitioner", "Rita", "--override-reason", "Wedding");
  EXPECT_EXIT ("booking override by a receptionist", booking_receptionist, 3);
  booking_clinician = CLI (fixture->db, "appointment", "book", "--patient", id,
                           "--at", "2026-12-01T10:00", "--area", "face",
                           "--practitioner", "Dr Jones", "--override-reason", "Wedding",
                           "--json");
  EXPECT_EXIT ("booking override by a clinician", booking_clinician, 0);
  booking_node = parse_json ("book --json", booking_clinician->out);
  verify_string ("booking: the reason is kept", root_object ("book", booking_node),
                 "override_reason", "Wedding");

  shown = CLI (fixture->db, "patient", "show", id, "--json");
  EXPECT_EXIT ("patient show", shown, 0);
  shown_node = parse_json ("patient show", shown->out);
  overrides = verify_array ("show", root_object ("show", shown_node), "overrides");
  EXPECT_INT ("both overrides are shown", 2, json_array_get_length (overrides));
  verify_string ("override", array_object ("overrides", overrides, 0), "record", "session");
  verify_string ("override", array_object ("overrides", overrides, 0), "reason",
                 "Touch-up agreed");
  verify_string ("override", array_object ("overrides", overrides, 1), "record",
                 "appointment");
  verify_string ("override", array_object ("overrides", overrides, 1), "reason", "Wedding");
}

typedef struct
{
  const char *what;
  const char *args[16];
  const char *message;  /* on stderr */
} InvalidCase;

static void
test_invalid_input (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *bad_csv = g_build_filename (fixture->dir, "bad.csv", NULL);
  const InvalidCase cases[] = {
    { "a time with a space", { "session", "add", "--patient", "1", "--at", "2026-11-20 09:00",
      "--area", "face", "--needle-mm", "0.5", "--device", "pen", NULL },
      "“2026-11-20 09:00” is not a date and time of the form YYYY-MM-DDTHH:MM" },
    { "30 February", { "appointment", "book", "--patient", "1", "--at", "2027-02-30T10:00",
      "--area", "face", NULL }, "2027-02-30T10:00" },
    { "a birth date in month 13", { "patient", "add", "--name", "X", "--birth-date",
      "1980-13-01", NULL }, "“1980-13-01” is not a date of the form YYYY-MM-DD" },
    { "reminders on no day", { "reminders", "--on", "tomorrow", NULL }, "YYYY-MM-DD" },
    { "a needle of 3 mm", { "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
      "--area", "scalp", "--needle-mm", "3", "--device", "pen", NULL }, "R3" },
    { "a needle of 0.1 mm", { "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
      "--area", "scalp", "--needle-mm", "0.1", "--device", "pen", NULL }, "R3" },
    { "a needle of words", { "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
      "--area", "scalp", "--needle-mm", "long", "--device", "pen", NULL },
      "is not a needle length" },
    { "an unknown area", { "appointment", "book", "--patient", "1", "--at", "2026-12-20T10:00",
      "--area", "elbow", NULL }, "decollete" },
    { "an unknown device", { "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
      "--area", "face", "--needle-mm", "0.5", "--device", "laser", NULL }, "roller" },
    { "an unknown flag", { "patient", "flag", "1", "--set", "sunburn", NULL }, "scar-prone" },
    { "a session still to come", { "session", "add", "--patient", "1", "--at",
      "2026-11-21T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen", NULL },
      "book an appointment instead" },
    { "a booking in the past", { "appointment", "book", "--patient", "1", "--at",
      "2026-11-19T10:00", "--area", "face", NULL }, "past" },
    { "no minutes", { "appointment", "book", "--patient", "1", "--at", "2026-12-20T10:00",
      "--area", "face", "--minutes", "0", NULL }, "--minutes" },
    { "a record number in words", { "patient", "show", "one", NULL }, "“one”" },
    { "a negative limit", { "patient", "list", "--limit", "-1", NULL }, "--limit" },
    { "a weekday 8", { "hours", "set", "8", "09:00-18:00", NULL }, "weekday" },
    { "closing before opening", { "hours", "set", "mon", "18:00-09:00", NULL }, "HH:MM" },
    { "--to before --from", { "appointment", "list", "--from", "2026-12-01", "--to",
      "2026-11-01", NULL }, "--to" },
    { "a CSV quote never closed", { "import", "csv", "patients", bad_csv, NULL }, "Line 2" },
  };
  g_autoptr(CliResult) now_bad = NULL;

  g_file_set_contents (bad_csv, "name,phone\n\"Unclosed,123\n", -1, NULL);
  add_patient (fixture, "Fay Gómez");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliResult) r = cli_runv (fixture->db, NULL, cases[i].args);

      EXPECT_EXIT (cases[i].what, r, 2);
      EXPECT_CONTAINS (cases[i].what, r->err, cases[i].message);
    }

  now_bad = CLI_ENV (fixture->db, ((const char *const[]){ "MESODESK_NOW=next week", NULL }),
                     "reminders");
  EXPECT_EXIT ("a malformed MESODESK_NOW", now_bad, 2);
  EXPECT_CONTAINS ("a malformed MESODESK_NOW", now_bad->err, "MESODESK_NOW");
}

/* Text that could forge a row, drive a terminal or break --json is refused
 * (exit 2, the field named, nothing written); what an older database
 * already holds is printed escaped. */
static void
test_text_refused (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *csv = g_build_filename (fixture->dir, "forged.csv", NULL);
  g_autofree char *long_note = NULL;
  static const char *const forged_names[] = {
    "Eve\t2\tMallory", "Eve\n2\tMallory\t—", "Eve\x1b]0;pwned\x07", "Eve\x1b[2J", "Eve\rAnna",
  };
  g_autoptr(CliResult) bad_practitioner = NULL;
  g_autoptr(CliResult) bad_room = NULL;
  g_autoptr(CliResult) practitioners = NULL;
  g_autoptr(CliResult) imported = NULL;
  g_autoptr(CliResult) long_session = NULL;
  g_autoptr(CliResult) limit_session = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autofree char *id = NULL;

  add_staff (fixture);
  id = id_text (add_patient (fixture, "Anna Berg"));
  for (guint i = 0; i < G_N_ELEMENTS (forged_names); i++)
    {
      g_autoptr(CliResult) added = CLI (fixture->db, "patient", "add", "--name", forged_names[i]);
      g_autoptr(CliResult) edited = CLI (fixture->db, "patient", "edit", id, "--name",
                                         forged_names[i]);

      EXPECT_EXIT (forged_names[i], added, 2);
      EXPECT_CONTAINS (forged_names[i], added->err, "Name: control characters");
      EXPECT_STR (forged_names[i], "", added->out);
      EXPECT_EXIT (forged_names[i], edited, 2);
    }

  /* Invalid UTF-8 in a practitioner's or a room's name. */
  bad_practitioner = CLI (fixture->db, "practitioner", "add", "Dr \xff\xfe");
  EXPECT_EXIT ("a practitioner not UTF-8", bad_practitioner, 2);
  EXPECT_CONTAINS ("a practitioner not UTF-8", bad_practitioner->err, "Practitioner:");
  bad_room = CLI (fixture->db, "room", "add", "Room\t2");
  EXPECT_EXIT ("a room with a tab", bad_room, 2);
  EXPECT_CONTAINS ("a room with a tab", bad_room->err, "Room:");
  practitioners = CLI (fixture->db, "practitioner", "list", "--json");
  EXPECT_EXIT ("practitioner list", practitioners, 0);
  EXPECT ("only the two", strstr (practitioners->out, "Dr ") == strstr (practitioners->out,
                                                                         "Dr Jones"));

  /* A CSV with one forged name: nothing imported, line and column named. */
  g_file_set_contents (csv, "name,notes\r\nCleo,ok\r\n\"Dan\t9\tEve\",\r\n", -1, NULL);
  imported = CLI (fixture->db, "import", "csv", "patients", csv);
  EXPECT_EXIT ("import a forged name", imported, 2);
  EXPECT_CONTAINS ("import a forged name", imported->err, "Line 3, column “name”");

  /* Session notes: 10 000 characters, not one more. */
  long_note = g_strnfill (10001, 'n');
  long_session = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:00",
                      "--area", "face", "--needle-mm", "0.5", "--device", "pen", "--notes",
                      long_note);
  EXPECT_EXIT ("a note of 10 001 characters", long_session, 2);
  EXPECT_CONTAINS ("a note of 10 001 characters", long_session->err, "10000");
  long_note[10000] = '\0';
  limit_session = CLI (fixture->db, "session", "add", "--patient", id, "--at",
                       "2026-11-20T09:00", "--area", "face", "--needle-mm", "0.5", "--device",
                       "pen", "--notes", long_note);
  EXPECT_EXIT ("a note of 10 000 characters", limit_session, 0);

  listed = CLI (fixture->db, "patient", "list");
  EXPECT_EXIT ("patient list", listed, 0);
  EXPECT_STR ("only Anna", "1\tAnna Berg\t—\t—\t—\n", listed->out);
}

/* The audit triggers' actor, for a write from outside the program. */
static void
old_program_actor (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  sqlite3_result_text (context, "an older program", -1, SQLITE_STATIC);
}

/* A database written before the checks (or by another program) may hold
 * control characters and invalid UTF-8: the text output writes them out,
 * so no record forges a row or drives the terminal, and --json stays UTF-8. */
static void
test_old_controls_escaped (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) practitioners = NULL;
  g_autoptr(CliResult) practitioners_json = NULL;
  g_autoptr(CliResult) listed_json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = NULL;

  add_staff (fixture);
  add_patient (fixture, "Anna Berg");
  /* A server keeps only UTF-8: there the forged name has no bad byte. */
  if (test_engine_is_postgresql ())
    cli_fixture_server_exec (fixture,
                             "UPDATE patients SET name = 'Eve' || chr(9) || '—' || chr(10) || "
                             "'2' || chr(9) || 'Mallory' || chr(27) || '[2J', "
                             "notes = 'a' || chr(13) || 'b' WHERE id = 1;"
                             "UPDATE practitioners SET name = 'Rita' || chr(65533) || chr(10) "
                             "|| 'Forged' WHERE name = 'Rita';");
  else
    {
      EXPECT_INT ("open with sqlite3", SQLITE_OK, sqlite3_open (fixture->db, &db));
      sqlite3_create_function (db, "meso_actor", 0, SQLITE_UTF8, NULL, old_program_actor, NULL,
                               NULL);
      sqlite3_create_function (db, "meso_os_user", 0, SQLITE_UTF8, NULL, old_program_actor, NULL,
                               NULL);
      sqlite3_create_function (db, "meso_host", 0, SQLITE_UTF8, NULL, old_program_actor, NULL,
                               NULL);
      EXPECT_INT ("forge the old rows", SQLITE_OK,
                  sqlite3_exec (db,
                                "UPDATE patients SET name = 'Eve' || char(9) || '—' || "
                                "char(10) || '2' || char(9) || 'Mallory' || char(27) || '[2J', "
                                "notes = 'a' || char(13) || 'b' WHERE id = 1;"
                                "UPDATE practitioners SET name = 'Rita' || x'ff' || char(10) || "
                                "'Forged' WHERE name = 'Rita';",
                                NULL, NULL, NULL));
      sqlite3_close (db);
    }

  listed = CLI (fixture->db, "patient", "list");
  EXPECT_EXIT ("patient list", listed, 0);
  lines = g_strsplit (listed->out, "\n", -1);
  EXPECT_INT ("one row, no forged one", 2, g_strv_length (lines));
  EXPECT_CONTAINS ("written out", listed->out, "Eve\\t—\\n2\\tMallory\\x1b[2J");
  EXPECT ("no escape byte", strchr (listed->out, '\x1b') == NULL);

  shown = CLI (fixture->db, "patient", "show", "1");
  EXPECT_EXIT ("patient show", shown, 0);
  EXPECT ("show: no escape byte", strchr (shown->out, '\x1b') == NULL);
  EXPECT ("show: no carriage return", strchr (shown->out, '\r') == NULL);
  EXPECT_CONTAINS ("show: the notes", shown->out, "a\\rb");

  practitioners = CLI (fixture->db, "practitioner", "list");
  EXPECT_EXIT ("practitioner list", practitioners, 0);
  EXPECT (practitioners->out, g_utf8_validate (practitioners->out, -1, NULL));
  EXPECT_CONTAINS ("practitioner list", practitioners->out, "Rita\xef\xbf\xbd\\nForged\t");

  practitioners_json = CLI (fixture->db, "practitioner", "list", "--json");
  EXPECT_EXIT ("practitioner list --json", practitioners_json, 0);
  EXPECT ("--json is UTF-8", g_utf8_validate (practitioners_json->out, -1, NULL));
  node = parse_json ("practitioner list --json", practitioners_json->out);
  listed_json = CLI (fixture->db, "patient", "list", "--json");
  EXPECT ("patient list --json is UTF-8", g_utf8_validate (listed_json->out, -1, NULL));
  EXPECT_CONTAINS ("--json escapes", listed_json->out, "\\u001b");
}

static void
test_not_found (void **state)
{
  CliFixture *fixture = *state;
  const InvalidCase cases[] = {
    { "patient show", { "patient", "show", "999", NULL }, "There is no patient number 999" },
    { "patient edit", { "patient", "edit", "999", "--name", "X", NULL }, "999" },
    { "patient archive", { "patient", "archive", "999", NULL }, "999" },
    { "patient flag", { "patient", "flag", "999", "--set", "herpes", NULL }, "999" },
    { "clearing a flag never set", { "patient", "flag", "1", "--clear", "herpes", NULL },
      "not set" },
    { "session add", { "session", "add", "--patient", "999", "--at", "2026-11-20T09:00",
      "--area", "face", "--needle-mm", "0.5", "--device", "pen", NULL }, "999" },
    { "appointment book", { "appointment", "book", "--patient", "999", "--at",
      "2026-12-20T10:00", "--area", "face", NULL }, "999" },
    { "appointment check", { "appointment", "check", "--patient", "999", "--at",
      "2026-12-20T10:00", "--area", "face", NULL }, "999" },
    { "an unknown practitioner", { "appointment", "book", "--patient", "1", "--at",
      "2026-12-20T10:00", "--area", "face", "--practitioner", "Dr Nobody", NULL },
      "Dr Nobody" },
    { "an unknown room", { "appointment", "book", "--patient", "1", "--at",
      "2026-12-20T10:00", "--area", "face", "--room", "Attic", NULL }, "Attic" },
    { "appointment cancel", { "appointment", "cancel", "999", NULL }, "999" },
    { "recall finished", { "recall", "finished", "999", NULL }, "999" },
  };

  add_patient (fixture, "Gus Holm");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliResult) r = cli_runv (fixture->db, NULL, cases[i].args);

      EXPECT_EXIT (cases[i].what, r, 4);
      EXPECT_CONTAINS (cases[i].what, r->err, cases[i].message);
    }
}

static void
test_flags (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient;
  g_autofree char *id = NULL;
  g_autoptr(CliResult) set = NULL;
  g_autoptr(CliResult) deferred = NULL;
  g_autoptr(CliResult) cleared = NULL;
  g_autoptr(CliResult) treated = NULL;
  g_autoptr(CliResult) scar = NULL;
  g_autoptr(CliResult) caution = NULL;
  g_autoptr(CliResult) confirmed = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(JsonNode) set_node = NULL;
  g_autoptr(JsonNode) shown_node = NULL;
  JsonObject *object;
  JsonArray *flags;

  add_staff (fixture);
  patient = add_patient (fixture, "Ida Jensen");
  id = id_text (patient);

  set = CLI (fixture->db, "patient", "flag", id, "--set", "herpes", "--on", "2026-11-19",
             "--json");
  EXPECT_EXIT ("flag --set", set, 0);
  set_node = parse_json ("flag --set --json", set->out);
  object = root_object ("flag --json", set_node);
  EXPECT_INT ("flag --json", patient, verify_int ("flag", object, "patient_id"));
  flags = verify_array ("flag --json", object, "flags");
  EXPECT_INT ("one flag", 1, json_array_get_length (flags));
  verify_string ("flag", array_object ("flags", flags, 0), "kind", "herpes");
  verify_string ("flag", array_object ("flags", flags, 0), "noted_on", "2026-11-19");
  verify_string ("flag", array_object ("flags", flags, 0), "cleared_on", NULL);
  verify_bool ("flag", array_object ("flags", flags, 0), "active", TRUE);

  deferred = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:00",
                  "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("herpes active: deferred", deferred, 3);
  EXPECT_CONTAINS ("herpes: R2 on stderr", deferred->err, "R2");

  cleared = CLI (fixture->db, "patient", "flag", id, "--clear", "herpes", "--on", "2026-11-20");
  EXPECT_EXIT ("flag --clear", cleared, 0);
  treated = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:00",
                 "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("cleared: treated", treated, 0);

  /* Scar-prone skin: a caution, lifted only by an explicit confirmation. */
  scar = CLI (fixture->db, "patient", "flag", id, "--set", "scar-prone");
  EXPECT_EXIT ("flag scar-prone (today by default)", scar, 0);
  caution = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                 "--area", "neck", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("caution unconfirmed", caution, 3);
  EXPECT_CONTAINS ("caution", caution->err, "R2");
  confirmed = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:30",
                   "--area", "neck", "--needle-mm", "0.5", "--device", "pen",
                   "--confirm-caution");
  EXPECT_EXIT ("caution confirmed", confirmed, 0);
  EXPECT_CONTAINS ("the confirmation is a warning", confirmed->err, "Confirmed");

  shown = CLI (fixture->db, "patient", "show", id, "--json");
  EXPECT_EXIT ("patient show", shown, 0);
  shown_node = parse_json ("patient show", shown->out);
  object = root_object ("patient show", shown_node);
  flags = verify_array ("show", object, "flags");
  EXPECT_INT ("history kept", 2, json_array_get_length (flags));
  verify_string ("herpes, cleared", array_object ("flags", flags, 0), "cleared_on",
                 "2026-11-20");
  verify_bool ("herpes, cleared", array_object ("flags", flags, 0), "active", FALSE);
  verify_string ("scar-prone", array_object ("flags", flags, 1), "kind", "scar-prone");
  verify_string ("scar-prone noted today", array_object ("flags", flags, 1), "noted_on",
                 "2026-11-20");
  EXPECT_INT ("two sessions", 2,
              json_array_get_length (verify_array ("show", object, "sessions")));
  EXPECT ("the confirmation is listed",
          find_kind (verify_array ("show", object, "overrides"), "caution-confirmed") != NULL);
}

static void
check_reminder (const char *what,
                JsonObject *object,
                gint64      patient,
                gint64      session,
                const char *from,
                const char *until)
{
  EXPECT_INT (what, 7, json_object_get_size (object));
  EXPECT_INT (what, patient, verify_int (what, object, "patient_id"));
  verify_string (what, object, "patient", "Jon Kahn");
  EXPECT_INT (what, session, verify_int (what, object, "session_id"));
  verify_string (what, object, "area", "face");
  verify_string (what, object, "from", from);
  verify_string (what, object, "until", until);
}

static JsonNode *
reminders_on (CliFixture *fixture,
              const char *day)
{
  g_autoptr(CliResult) r = CLI (fixture->db, "reminders", "--on", day, "--json");

  EXPECT_EXIT ("reminders --json", r, 0);
  return parse_json ("reminders --json", r->out);
}

static void
test_reminders_json (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient, session;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) day0 = NULL;
  g_autoptr(JsonNode) due = NULL;
  g_autoptr(JsonNode) overdue = NULL;
  g_autoptr(JsonNode) finished = NULL;
  g_autoptr(JsonNode) reopened = NULL;
  g_autoptr(JsonNode) booked = NULL;
  g_autoptr(CliResult) r = NULL;
  JsonArray *array;

  add_staff (fixture);
  patient = add_patient (fixture, "Jon Kahn");
  id = id_text (patient);
  session = add_session (fixture, patient, "2026-11-20T09:00", "face");

  day0 = reminders_on (fixture, "2026-11-20");
  array = root_array ("day 0", day0);
  EXPECT_INT ("day 0: three instructions", 3, json_array_get_length (array));
  EXPECT ("day 0: no water", find_kind (array, "no-water") != NULL);
  check_reminder ("no water", find_kind (array, "no-water"), patient, session,
                  "2026-11-20T09:00", "2026-11-21T09:00");
  EXPECT ("day 0: sun", find_kind (array, "sun-protection") != NULL);
  check_reminder ("sun protection", find_kind (array, "sun-protection"), patient, session,
                  "2026-11-20T09:00", "2026-11-23T09:00");
  EXPECT ("day 0: moisturise", find_kind (array, "moisturise") != NULL);
  check_reminder ("moisturise, open-ended", find_kind (array, "moisturise"), patient, session,
                  "2026-11-20T09:00", NULL);

  due = reminders_on (fixture, "2026-12-20");
  array = root_array ("day 30", due);
  EXPECT ("day 30: follow-up due", find_kind (array, "follow-up-due") != NULL);
  check_reminder ("follow-up due", find_kind (array, "follow-up-due"), patient, session,
                  "2026-12-18T00:00", "2027-01-02T00:00");
  EXPECT ("day 30: no water is over", find_kind (array, "no-water") == NULL);

  overdue = reminders_on (fixture, "2027-01-10");
  array = root_array ("day 51", overdue);
  EXPECT_INT ("day 51: only overdue", 1, json_array_get_length (array));
  EXPECT ("day 51: overdue", find_kind (array, "overdue") != NULL);

  /* The recall commands take a patient off the list and back. */
  r = CLI (fixture->db, "recall", "finished", id);
  EXPECT_EXIT ("recall finished", r, 0);
  finished = reminders_on (fixture, "2027-01-10");
  EXPECT_INT ("finished: not overdue", 0,
              json_array_get_length (root_array ("finished", finished)));
  g_clear_pointer (&r, cli_result_free);
  r = CLI (fixture->db, "recall", "reopen", id);
  EXPECT_EXIT ("recall reopen", r, 0);
  reopened = reminders_on (fixture, "2027-01-10");
  EXPECT ("reopened: overdue again",
          find_kind (root_array ("reopened", reopened), "overdue") != NULL);
  g_clear_pointer (&r, cli_result_free);
  r = CLI (fixture->db, "recall", "declined", id);
  EXPECT_EXIT ("recall declined", r, 0);
  g_clear_pointer (&r, cli_result_free);
  r = CLI (fixture->db, "recall", "reopen", id);
  EXPECT_EXIT ("recall reopen", r, 0);

  /* A booked follow-up is neither due nor overdue. */
  g_clear_pointer (&r, cli_result_free);
  r = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2026-12-21T10:00",
           "--area", "face");
  EXPECT_EXIT ("book the follow-up", r, 0);
  booked = reminders_on (fixture, "2026-12-20");
  EXPECT ("booked: not due", find_kind (root_array ("booked", booked), "follow-up-due") == NULL);
}

/* MESODESK_NOW sets the day reminders lists without --on. */
static void
test_now_sets_today (void **state)
{
  CliFixture *fixture = *state;
  const char *const later[] = { "MESODESK_NOW=2026-12-20T08:00", NULL };
  g_autoptr(CliResult) today = NULL;
  g_autoptr(CliResult) then = NULL;
  g_autoptr(CliResult) explicit_day = NULL;
  g_autoptr(CliResult) system_clock = NULL;

  add_staff (fixture);
  add_session (fixture, add_patient (fixture, "Kim Lund"), "2026-11-20T09:00", "face");

  today = CLI (fixture->db, "reminders");
  EXPECT_EXIT ("reminders at MESODESK_NOW", today, 0);
  EXPECT_INT ("three items today", 3, count_lines (today->out));
  EXPECT_CONTAINS ("no water today", today->out, "No water");
  EXPECT_CONTAINS ("names the patient", today->out, "Kim Lund");

  then = CLI_ENV (fixture->db, later, "reminders");
  EXPECT_EXIT ("reminders a month on", then, 0);
  EXPECT_NOT_CONTAINS ("no water is over", then->out, "No water");
  EXPECT_CONTAINS ("follow-up due", then->out, "Follow-up");

  explicit_day = CLI (fixture->db, "reminders", "--on", "2026-12-20");
  EXPECT_EXIT ("reminders --on", explicit_day, 0);
  EXPECT_STR ("the same day, said either way", explicit_day->out, then->out);

  /* Without MESODESK_NOW the system clock (2026-11-20 is long past by then, or
   * not yet): either way, a valid answer. */
  system_clock = CLI_ENV (fixture->db, ((const char *const[]){ "MESODESK_NOW", NULL }),
                          "reminders");
  EXPECT_EXIT ("reminders on the system clock", system_clock, 0);
}

/* A file's mode and folder: a server's database has neither (skipped on
 * the server: CLI_FILE_ONLY_TEST in main()). */
static void
test_database_private (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *folder = g_build_filename (fixture->dir, "new", "folder", NULL);
  g_autofree char *path = g_build_filename (folder, "clinic.db", NULL);
  g_autofree char *env_db = g_strconcat ("MESODESK_DATABASE=", path, NULL);
  const char *const env[] = { env_db, NULL };
  g_autoptr(CliResult) r = cli_run (NULL, env, "patient", "add", "--name", "Lea Moe", NULL);
  g_autoptr(CliResult) by_option = NULL;
  g_autoptr(CliResult) listed = NULL;
  GStatBuf st;

  EXPECT_EXIT ("patient add via MESODESK_DATABASE", r, 0);
  EXPECT_INT ("stat the database", 0, g_stat (path, &st));
  EXPECT_INT ("the database file is 0600", 0600, st.st_mode & 0777);
  EXPECT_INT ("stat its folder", 0, g_stat (folder, &st));
  EXPECT_INT ("a new folder is 0700", 0700, st.st_mode & 0777);

  /* --database wins over MESODESK_DATABASE. */
  by_option = cli_run (fixture->db, env, "patient", "add", "--name", "Max Nord", NULL);
  EXPECT_EXIT ("patient add --database", by_option, 0);
  EXPECT_INT ("stat the --database file", 0, g_stat (fixture->db, &st));
  EXPECT_INT ("the --database file is 0600", 0600, st.st_mode & 0777);
  listed = cli_run (NULL, env, "patient", "list", NULL);
  EXPECT_EXIT ("patient list", listed, 0);
  EXPECT_CONTAINS ("Lea in MESODESK_DATABASE", listed->out, "Lea Moe");
  EXPECT_NOT_CONTAINS ("Max in --database only", listed->out, "Max Nord");
}

static void
test_appointments (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient;
  g_autofree char *id = NULL;
  g_autofree char *appointment = NULL;
  g_autoptr(CliResult) booked = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) cancelled = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) suggested = NULL;
  g_autoptr(CliResult) suggested_json = NULL;
  g_autoptr(CliResult) hours = NULL;
  g_autoptr(CliResult) outside = NULL;
  g_autoptr(JsonNode) cancelled_node = NULL;
  g_autoptr(JsonNode) suggested_node = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *object;
  JsonArray *array;

  add_staff (fixture);
  patient = add_patient (fixture, "Nia Olsen");
  id = id_text (patient);

  booked = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2026-11-23T09:00",
                "--area", "scalp", "--minutes", "45", "--practitioner", "Dr Jones");
  EXPECT_EXIT ("book", booked, 0);
  appointment = id_text (parse_id ("book", booked->out));

  listed = CLI (fixture->db, "appointment", "list");
  EXPECT_EXIT ("list (the coming week)", listed, 0);
  EXPECT_INT ("one line", 1, count_lines (listed->out));
  EXPECT_CONTAINS ("list", listed->out, "Nia Olsen");
  EXPECT_CONTAINS ("list", listed->out, "2026-11-23 09:00–09:45");

  cancelled = CLI (fixture->db, "appointment", "cancel", appointment, "--reason", "Has a cold",
                   "--json");
  EXPECT_EXIT ("cancel", cancelled, 0);
  cancelled_node = parse_json ("cancel --json", cancelled->out);
  object = root_object ("cancel --json", cancelled_node);
  verify_string ("cancel", object, "status", "cancelled");
  verify_string ("cancel", object, "cancel_reason", "Has a cold");
  EXPECT_INT ("cancel", 45, verify_int ("cancel", object, "minutes"));
  again = CLI (fixture->db, "appointment", "cancel", appointment);
  EXPECT_EXIT ("cancelled twice", again, 2);

  suggested = CLI (fixture->db, "appointment", "suggest", "--patient", id, "--area", "face",
                   "--count", "2", "--practitioner", "Dr Jones");
  EXPECT_EXIT ("suggest", suggested, 0);
  lines = g_strsplit (g_strstrip (suggested->out), "\n", -1);
  EXPECT_INT ("two start times", 2, g_strv_length (lines));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(CliResult) check = CLI (fixture->db, "appointment", "check", "--patient", id,
                                        "--at", lines[i], "--area", "face",
                                        "--practitioner", "Dr Jones");

      EXPECT_EXIT ("a suggested time passes the check", check, 0);
    }
  suggested_json = CLI (fixture->db, "appointment", "suggest", "--patient", id, "--area",
                        "face", "--json");
  EXPECT_EXIT ("suggest --json", suggested_json, 0);
  suggested_node = parse_json ("suggest --json", suggested_json->out);
  array = root_array ("suggest --json", suggested_node);
  EXPECT_INT ("three by default", 3, json_array_get_length (array));
  EXPECT_STR ("the same first start", lines[0],
              json_object_get_string_member (array_object ("suggest", array, 0), "start"));
  /* Nobody asked for: someone who treats and is free then is named. */
  EXPECT ("a practitioner named",
          json_object_get_string_member (array_object ("suggest", array, 0),
                                         "practitioner") != NULL);

  /* Closed on Saturdays by default: a warning, not a refusal. */
  hours = CLI (fixture->db, "hours", "show");
  EXPECT_EXIT ("hours show", hours, 0);
  EXPECT_CONTAINS ("Saturday closed", hours->out, "Saturday     closed");
  outside = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2026-11-28T10:00",
                 "--area", "hands");
  EXPECT_EXIT ("outside opening hours", outside, 0);
  EXPECT_CONTAINS ("a warning on stderr", outside->err, "opening hours");
}

/* Every command answers --json with JSON. */
static void
test_json_everywhere (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autofree char *csv = g_build_filename (fixture->dir, "patients.csv", NULL);
  g_autofree char *ics = g_build_filename (fixture->dir, "calendar.ics", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  const char *const runs[][8] = {
    { "practitioner", "add", "Dr Pym", "--clinician", NULL },
    { "practitioner", "list", NULL },
    { "room", "add", "Room 2", NULL },
    { "room", "list", NULL },
    { "hours", "set", "sat", "10:00-14:00", NULL },
    { "hours", "show", NULL },
    { "patient", "add", "--name", "Ola Pérez", NULL },
    { "patient", "archive", "1", "--undo", NULL },
    { "patient", "flag", "1", "--set", "infection", NULL },
    { "recall", "finished", "1", NULL },
    { "appointment", "list", NULL },
    { "reminders", NULL },
    { "audit", "--table", "patients", NULL },
    { "export", "csv", "patients", csv, NULL },
    { "check", NULL },
    { "backup", backup, NULL },
    { "export", "ics", ics, NULL },
  };
  g_autoptr(CliResult) imported = NULL;
  g_autoptr(CliResult) audit = NULL;
  g_autoptr(CliResult) check = NULL;
  g_autoptr(JsonNode) imported_node = NULL;
  g_autoptr(JsonNode) audit_node = NULL;
  g_autoptr(JsonNode) check_node = NULL;
  JsonArray *array;
  /* check and backup on a server are not there yet (another part of issue
   * 15): the last two runs and the check below are the file's only. */
  guint n_runs = G_N_ELEMENTS (runs) - (test_engine_is_postgresql () ? 2 : 0);

  for (guint i = 0; i < n_runs; i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) args = NULL;
      g_autoptr(CliResult) r = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_strv_builder_addv (builder, (const char **)runs[i]);
      g_strv_builder_add (builder, "--json");
      args = g_strv_builder_end (builder);
      r = cli_runv (fixture->db, NULL, (const char *const *)args);
      EXPECT_EXIT (runs[i][0], r, 0);
      node = parse_json (runs[i][0], r->out);
      EXPECT (runs[i][0], JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node));
    }

  imported = CLI (other, "import", "csv", "patients", csv, "--json");
  EXPECT_EXIT ("import --json", imported, 0);
  imported_node = parse_json ("import --json", imported->out);
  EXPECT_INT ("import --json: the count", 1,
              verify_int ("import", root_object ("import", imported_node), "imported"));

  audit = CLI (fixture->db, "audit", "--table", "patients", "--row", "1", "--json");
  EXPECT_EXIT ("audit", audit, 0);
  audit_node = parse_json ("audit", audit->out);
  array = root_array ("audit", audit_node);
  /* Inserted, then un-archived (a no-op: no entry), then the recall state. */
  EXPECT ("audit: the insert and the change", json_array_get_length (array) >= 2);
  verify_string ("audit", array_object ("audit", array, 0), "action", "insert");
  verify_string ("audit", array_object ("audit", array, 0), "table", "patients");
  EXPECT_INT ("audit", 1, verify_int ("audit", array_object ("audit", array, 0), "row_id"));
  EXPECT ("audit: the changes are an object",
          JSON_NODE_HOLDS_OBJECT (member ("audit", array_object ("audit", array, 0),
                                          "changes")));

  if (test_engine_is_postgresql ())
    return;
  check = CLI (fixture->db, "check", "--json");
  check_node = parse_json ("check", check->out);
  verify_bool ("check", root_object ("check", check_node), "ok", TRUE);
  EXPECT ("check: the schema version",
          verify_int ("check", root_object ("check", check_node), "schema_version") >= 1);
}

/* backup and restore on a server are not there yet (another part of
 * issue 15): skipped on the server (CLI_FILE_ONLY_TEST in main()). */
static void
test_backup_restore (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(CliResult) saved = NULL;
  g_autoptr(CliResult) restored = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) missing = NULL;
  g_autoptr(JsonNode) restored_node = NULL;
  const char *kept;

  add_patient (fixture, "Pia Quist");
  saved = CLI (fixture->db, "backup", backup);
  EXPECT_EXIT ("backup", saved, 0);
  add_patient (fixture, "Rolf Sand");

  restored = CLI (fixture->db, "restore", backup, "--json");
  EXPECT_EXIT ("restore", restored, 0);
  restored_node = parse_json ("restore --json", restored->out);
  kept = json_object_get_string_member (root_object ("restore", restored_node), "kept_aside");
  EXPECT ("the replaced database is kept", kept != NULL && g_file_test (kept,
                                                                          G_FILE_TEST_EXISTS));

  listed = CLI (fixture->db, "patient", "list");
  EXPECT_EXIT ("list after restore", listed, 0);
  EXPECT_CONTAINS ("Pia is back", listed->out, "Pia Quist");
  EXPECT_NOT_CONTAINS ("Rolf came after the backup", listed->out, "Rolf Sand");

  missing = CLI (fixture->db, "restore", "/nonexistent/backup.db");
  EXPECT ("restoring from nothing fails", missing->status != 0 && missing->status != -1);
}

/* Issue 14: what is not a Mesodesk backup is refused (exit 5) and the
 * database stays as it was: an empty file, a text file. restore on a server
 * is not there yet (another part of issue 15): skipped on the server
 * (CLI_FILE_ONLY_TEST in main()). */
static void
test_restore_refuses_non_backups (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.db", NULL);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  const char *const files[] = { empty, text };

  add_patient (fixture, "Pia Quist");
  EXPECT ("an empty file", g_file_set_contents (empty, "", 0, NULL));
  EXPECT ("a text file", g_file_set_contents (text, "Pia: face, 0.5 mm, pen.\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(CliResult) restored = CLI (fixture->db, "restore", files[i]);
      g_autoptr(CliResult) listed = CLI (fixture->db, "patient", "list");

      EXPECT_EXIT (files[i], restored, 5);
      EXPECT_STR (files[i], "", restored->out);
      EXPECT_CONTAINS (files[i], restored->err, "not a Mesodesk");
      expect_no_raw_sqlite (files[i], restored->err);
      EXPECT_EXIT ("list after a refused restore", listed, 0);
      EXPECT_CONTAINS ("the records are still there", listed->out, "Pia Quist");
    }
}

/* The audit triggers' function, for a raw connection that writes. */
static void
raw_actor (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  sqlite3_result_text (context, "test", -1, SQLITE_STATIC);
}

/* Issue 16: audit verify prints the entries and the last hash (exit 0),
 * backup prints the same hash; an entry changed behind Mesodesk's back (the
 * append-only guard dropped and made again around the edit) makes verify,
 * check and backup exit 5 naming it. The edit is SQLite's: skipped on the
 * server (CLI_FILE_ONLY_TEST in main()). */
static void
test_audit_verify_and_tampering (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *backup = g_build_filename (fixture->dir, "audit-backup.db", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "audit-backup-2.db", NULL);
  g_autoptr(CliResult) verified = NULL;
  g_autoptr(CliResult) as_json = NULL;
  g_autoptr(CliResult) saved = NULL;
  g_autoptr(CliResult) bad = NULL;
  g_autoptr(CliResult) bad_json = NULL;
  g_autoptr(CliResult) checked = NULL;
  g_autoptr(CliResult) refused = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad_node = NULL;
  g_autofree char *count = NULL;
  JsonObject *head;
  const char *hash;
  gint64 entries, victim;

  add_patient (fixture, "Ada Verify");
  add_patient (fixture, "Bo Verify");
  as_json = CLI (fixture->db, "audit", "verify", "--json");
  EXPECT_EXIT ("audit verify --json", as_json, 0);
  node = parse_json ("audit verify --json", as_json->out);
  head = json_node_get_object (node);
  EXPECT ("ok", json_object_get_boolean_member (head, "ok"));
  entries = json_object_get_int_member (head, "entries");
  EXPECT ("every write's entry", entries >= 2);
  hash = json_object_get_string_member (head, "last_hash");
  EXPECT_INT ("a SHA-256 in hexadecimal", 64, strlen (hash));

  verified = CLI (fixture->db, "audit", "verify");
  EXPECT_EXIT ("audit verify", verified, 0);
  count = g_strdup_printf (" %" G_GINT64_FORMAT " ", entries);
  EXPECT_CONTAINS ("the number of entries", verified->out, count);
  EXPECT_CONTAINS ("the last hash", verified->out, hash);

  saved = CLI (fixture->db, "backup", backup);
  EXPECT_EXIT ("backup", saved, 0);
  EXPECT_CONTAINS ("backup prints the last hash", saved->out, hash);

  /* The second patient's entry, changed with the guard off. */
  victim = edit_audit_behind_back (fixture->db);

  bad = CLI (fixture->db, "audit", "verify");
  EXPECT_EXIT ("audit verify after the edit", bad, 5);
  {
    g_autofree char *named = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", victim);

    EXPECT_CONTAINS ("names the entry", bad->err, named);
  }
  expect_no_raw_sqlite ("audit verify after the edit", bad->err);
  bad_json = CLI (fixture->db, "audit", "verify", "--json");
  EXPECT_EXIT ("audit verify --json after the edit", bad_json, 5);
  bad_node = parse_json ("audit verify --json after the edit", bad_json->out);
  EXPECT ("not ok", !json_object_get_boolean_member (json_node_get_object (bad_node), "ok"));
  EXPECT_INT ("the first bad entry", victim,
              json_object_get_int_member (json_node_get_object (bad_node), "first_bad_entry"));

  checked = CLI (fixture->db, "check");
  EXPECT_EXIT ("check after the edit", checked, 5);
  refused = CLI (fixture->db, "backup", again);
  EXPECT_EXIT ("backup after the edit", refused, 5);
}

/* Issue 14: a restore while another program has the database open (the
 * window) reaches that program: it reads the backup's records from then on,
 * and what it writes stays in the clinic's database, not in one moved aside.
 * restore on a server is not there yet (another part of issue 15), and the
 * connection beside is SQLite's: skipped on the server
 * (CLI_FILE_ONLY_TEST in main()). */
static void
test_restore_while_open (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(CliResult) saved = NULL;
  g_autoptr(CliResult) restored = NULL;
  g_autoptr(CliResult) listed = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  add_patient (fixture, "Pia Quist");
  saved = CLI (fixture->db, "backup", backup);
  EXPECT_EXIT ("backup", saved, 0);
  add_patient (fixture, "Rolf Sand");

  EXPECT_INT ("open beside", SQLITE_OK, sqlite3_open (fixture->db, &db));
  sqlite3_busy_timeout (db, 10000);
  sqlite3_create_function (db, "meso_actor", 0, SQLITE_UTF8, NULL, raw_actor, NULL, NULL);
  sqlite3_create_function (db, "meso_os_user", 0, SQLITE_UTF8, NULL, raw_actor, NULL,
                           NULL);
  sqlite3_create_function (db, "meso_host", 0, SQLITE_UTF8, NULL, raw_actor, NULL,
                           NULL);
  EXPECT_INT ("read beside", SQLITE_OK,
              sqlite3_exec (db, "SELECT count(*) FROM patients", NULL, NULL, NULL));

  restored = CLI (fixture->db, "restore", backup);
  EXPECT_EXIT ("restore while open", restored, 0);

  EXPECT_INT ("read again", SQLITE_OK,
              sqlite3_prepare_v2 (db, "SELECT name FROM patients ORDER BY name", -1, &stmt,
                                  NULL));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (names, "%s|", (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  EXPECT_INT ("a write beside", SQLITE_OK,
              sqlite3_exec (db, "INSERT INTO settings (key, value) VALUES ('beside', 'kept')",
                            NULL, NULL, NULL));
  sqlite3_close (db);
  EXPECT_STR ("the open program reads the backup's records", "Pia Quist|", names->str);

  listed = CLI (fixture->db, "patient", "list");
  EXPECT_EXIT ("list after restore", listed, 0);
  EXPECT_CONTAINS ("Pia is back", listed->out, "Pia Quist");
  EXPECT_NOT_CONTAINS ("Rolf came after the backup", listed->out, "Rolf Sand");
  EXPECT_INT ("open again", SQLITE_OK, sqlite3_open (fixture->db, &db));
  EXPECT_INT ("the write beside is in the clinic's database", SQLITE_OK,
              sqlite3_prepare_v2 (db, "SELECT value FROM settings WHERE key = 'beside'", -1,
                                  &stmt, NULL));
  EXPECT_INT ("the write beside is in the clinic's database", SQLITE_ROW, sqlite3_step (stmt));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Files that cannot be written or are missing: exit 1 and 2, not 5. */
static void
test_file_errors (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *plain = g_build_filename (fixture->dir, "plain.txt", NULL);
  g_autofree char *csv = g_build_filename (plain, "patients.csv", NULL);
  g_autofree char *ics = g_build_filename (plain, "calendar.ics", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.csv", NULL);
  g_autoptr(CliResult) csv_out = NULL;
  g_autoptr(CliResult) ics_out = NULL;
  g_autoptr(CliResult) csv_in = NULL;

  /* A folder that is a file: unwritable even for root. */
  g_file_set_contents (plain, "not a folder\n", -1, NULL);
  add_patient (fixture, "Sara Toft");

  csv_out = CLI (fixture->db, "export", "csv", "patients", csv);
  EXPECT_EXIT ("export csv to an unwritable place", csv_out, 1);
  EXPECT_CONTAINS ("export csv: names the file", csv_out->err, "patients.csv");
  ics_out = CLI (fixture->db, "export", "ics", ics);
  EXPECT_EXIT ("export ics to an unwritable place", ics_out, 1);
  EXPECT_CONTAINS ("export ics: names the file", ics_out->err, "calendar.ics");
  csv_in = CLI (fixture->db, "import", "csv", "patients", missing);
  EXPECT_EXIT ("import a missing file", csv_in, 2);
  EXPECT_CONTAINS ("import: names the file", csv_in->err, "missing.csv");
}

/* A database written by a newer Mesodesk: refused (exit 5), left alone. */
static void
test_newer_schema (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) created = CLI (fixture->db, "practitioner", "list");
  g_autoptr(CliResult) refused = NULL;
  sqlite3 *db = NULL;

  EXPECT_EXIT ("create", created, 0);
  if (test_engine_is_postgresql ())
    cli_fixture_server_exec (fixture, "UPDATE mesodesk_meta SET version = 99");
  else
    {
      EXPECT_INT ("open with sqlite3", SQLITE_OK, sqlite3_open (fixture->db, &db));
      EXPECT_INT ("set a future version", SQLITE_OK,
                  sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL));
      sqlite3_close (db);
    }

  refused = CLI (fixture->db, "patient", "list");
  EXPECT_EXIT ("a newer schema", refused, 5);
  EXPECT_CONTAINS ("says why", refused->err, "newer");
}

static void
test_demo (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) demo = CLI (fixture->db, "demo", "--patients", "20", "--seed", "7");
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) check = NULL;
  g_autoptr(JsonNode) listed_node = NULL;

  EXPECT_EXIT ("demo", demo, 0);
  listed = CLI (fixture->db, "patient", "list", "--archived", "--json");
  EXPECT_EXIT ("list", listed, 0);
  listed_node = parse_json ("list", listed->out);
  EXPECT_INT ("twenty patients", 20, json_array_get_length (root_array ("list", listed_node)));
  again = CLI (fixture->db, "demo", "--patients", "5");
  EXPECT ("never on a database with patients", again->status != 0 && again->status != 5 &&
                                                 again->status != -1);
  check = CLI (fixture->db, "check");
  EXPECT_EXIT ("check after demo", check, 0);
}

/* Dates at the edges of the calendar: exit 2 with a message, no crash, no
 * criticals, nothing written. Now is 2026-11-20T10:00. */
static void
test_date_edges (void **state)
{
  CliFixture *fixture = *state;
  gint64 patient = add_patient (fixture, "Erika Mustermann");
  g_autofree char *id = id_text (patient);
  const char *const far_now[] = { "MESODESK_NOW=9999-12-31T10:00", NULL };
  const char *const early_now[] = { "MESODESK_NOW=1969-12-31T23:59", NULL };
  g_autofree char *ics = g_build_filename (fixture->dir, "edges.ics", NULL);
  const struct
  {
    const char        *what;
    const char *const *env;
    const char        *args[14];
    const char        *message;
  } cases[] = {
    { "list from the end of the calendar", NULL,
      { "appointment", "list", "--from", "9999-12-31", NULL }, "9999-12-31" },
    { "list to the end of the calendar", NULL,
      { "appointment", "list", "--to", "9999-12-31", NULL }, "9999-12-31" },
    { "list from 1899-12-31", NULL,
      { "appointment", "list", "--from", "1899-12-31", NULL }, "1900-01-01" },
    { "now at the end of the calendar", far_now, { "appointment", "list", NULL },
      "MESODESK_NOW" },
    { "now before 1970", early_now, { "reminders", NULL }, "MESODESK_NOW" },
    { "book at the end of the calendar", NULL,
      { "appointment", "book", "--patient", id, "--at", "9999-12-31T23:30", "--area", "face",
        NULL }, "2031-11-20" },
    { "book 5 years and a day ahead", NULL,
      { "appointment", "book", "--patient", id, "--at", "2031-11-21T09:00", "--area", "face",
        NULL }, "2031-11-20" },
    { "check at the end of the calendar", NULL,
      { "appointment", "check", "--patient", id, "--at", "9999-12-31T23:30", "--area", "face",
        NULL }, "2031-11-20" },
    { "reminders on 0001-01-01", NULL, { "reminders", "--on", "0001-01-01", NULL },
      "0001-01-01" },
    { "a session on 1899-12-31", NULL,
      { "session", "add", "--patient", id, "--at", "1899-12-31T10:00", "--area", "face",
        "--needle-mm", "0.5", "--device", "pen", NULL }, "1900-01-01" },
    { "born 1899-12-31", NULL,
      { "patient", "add", "--name", "Old Timer", "--birth-date", "1899-12-31", NULL }, "1900" },
    { "a flag on 1899-12-31", NULL,
      { "patient", "flag", id, "--set", "herpes", "--on", "1899-12-31", NULL }, "1900-01-01" },
    { "export to the end of the calendar", NULL,
      { "export", "ics", ics, "--to", "9999-12-31", NULL }, "9999-12-31" },
  };
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) last_day = NULL;
  g_autoptr(CliResult) shown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliResult) r = cli_runv (fixture->db, cases[i].env,
                                         (const char *const *)cases[i].args);

      EXPECT_EXIT (cases[i].what, r, 2);
      EXPECT_CONTAINS (cases[i].what, r->err, cases[i].message);
      EXPECT_NOT_CONTAINS (cases[i].what, r->err, "CRITICAL");
      EXPECT_STR (cases[i].what, "", r->out);
    }

  /* Nothing was written; the last day itself, at 23:30, is bookable. */
  listed = CLI (fixture->db, "appointment", "list", "--from", "2026-11-20", "--to", "2031-11-20");
  EXPECT_EXIT ("list", listed, 0);
  EXPECT_STR ("no appointment", "", listed->out);
  shown = CLI (fixture->db, "patient", "show", id, "--json");
  EXPECT_EXIT ("show", shown, 0);
  EXPECT_NOT_CONTAINS ("no session, no flag", shown->out, "1899");
  last_day = CLI (fixture->db, "appointment", "book", "--patient", id, "--at", "2031-11-20T23:30",
                  "--area", "face");
  EXPECT_EXIT ("23:30 on the last day", last_day, 0);
  EXPECT_NOT_CONTAINS ("23:30 on the last day", last_day->err, "CRITICAL");
  EXPECT ("no calendar file", !g_file_test (ics, G_FILE_TEST_EXISTS));
}

/* A session names an appointment of another patient: exit 2, the owner
 * named, the appointment still booked, no session recorded. */
static void
test_session_other_patients_appointment (void **state)
{
  CliFixture *fixture = *state;
  gint64 erika = add_patient (fixture, "Erika Mustermann");
  gint64 max = add_patient (fixture, "Max Mustermann");
  g_autofree char *erika_id = id_text (erika);
  g_autofree char *max_id = id_text (max);
  g_autoptr(CliResult) booked = CLI (fixture->db, "appointment", "book", "--patient", erika_id,
                                     "--at", "2026-11-20T15:00", "--area", "face");
  g_autoptr(CliResult) refused = NULL;
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autofree char *appointment = NULL;

  EXPECT_EXIT ("book", booked, 0);
  appointment = id_text (parse_id ("book", booked->out));
  refused = CLI (fixture->db, "session", "add", "--patient", max_id, "--appointment",
                 appointment, "--at", "2026-11-20T09:00", "--area", "face", "--needle-mm", "0.5",
                 "--device", "pen");
  EXPECT_EXIT ("another patient's appointment", refused, 2);
  EXPECT_CONTAINS ("names its patient", refused->err, "Erika Mustermann");
  EXPECT_STR ("nothing on stdout", "", refused->out);

  shown = CLI (fixture->db, "patient", "show", max_id, "--json");
  EXPECT_EXIT ("show", shown, 0);
  EXPECT_NOT_CONTAINS ("no session for Max", shown->out, "2026-11-20T09:00");
  listed = CLI (fixture->db, "appointment", "list");
  EXPECT_CONTAINS ("still booked", listed->out, "Booked");
}

/* Issue 18: lots registered and listed, R7 at its border through the real
 * program (the expiry day itself allowed, the next refused with exit 3), an
 * unregistered lot recorded with a warning, and who received a lot. */
static CliResult *
session_with_lot (CliFixture *fixture,
                  gint64      patient,
                  const char *at,
                  const char *area,
                  const char *lot)
{
  g_autofree char *id = id_text (patient);

  return CLI (fixture->db, "session", "add", "--patient", id, "--at", at, "--area", area,
              "--needle-mm", "0.5", "--device", "pen", "--lot", lot);
}

static void
test_lots (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) added = CLI (fixture->db, "lot", "add", "HA-1", "--product", "Hyaluron",
                                    "--expires", "2026-11-19");
  g_autoptr(CliResult) twice = CLI (fixture->db, "lot", "add", "HA-1", "--product",
                                    "HYALURON", "--expires", "2027-01-01");
  g_autoptr(CliResult) no_expiry = CLI (fixture->db, "lot", "add", "HA-3", "--product", "X");
  g_autoptr(CliResult) bad_day = CLI (fixture->db, "lot", "add", "HA-3", "--product", "X",
                                      "--expires", "2026-02-30");
  g_autoptr(CliResult) second = CLI (fixture->db, "lot", "add", "HA-2", "--product",
                                     "hyaluron", "--expires", "2027-01-31", "--json");
  g_autoptr(CliResult) ada_added = CLI (fixture->db, "patient", "add", "--name", "Ada Lind",
                                        "--phone", "0171 555", "--email", "ada@example.org");
  gint64 ada = parse_id ("Ada", ada_added->out);
  gint64 bo = add_patient (fixture, "Bo Berg");
  g_autoptr(CliResult) on_expiry = session_with_lot (fixture, ada, "2026-11-19T18:00", "face",
                                                     "HA-1");
  g_autoptr(CliResult) after = session_with_lot (fixture, bo, "2026-11-20T09:00", "face",
                                                 "HA-1");
  g_autoptr(CliResult) other = session_with_lot (fixture, bo, "2026-11-20T09:30", "face",
                                                 "HA-2");
  g_autoptr(CliResult) typed = session_with_lot (fixture, bo, "2026-11-20T09:45", "neck",
                                                 "ZZ 9");
  g_autoptr(CliResult) who = CLI (fixture->db, "lot", "patients", "HA-1", "--json");
  g_autoptr(CliResult) who_text = CLI (fixture->db, "lot", "patients", "HA-1");
  g_autoptr(CliResult) nobody = CLI (fixture->db, "lot", "patients", "ZZ 9");
  g_autoptr(CliResult) listed = CLI (fixture->db, "lot", "list");
  g_autoptr(CliResult) listed_json = CLI (fixture->db, "lot", "list", "--json");
  g_autoptr(JsonNode) lot = NULL;
  g_autoptr(JsonNode) rows = NULL;
  g_autoptr(JsonNode) lots = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *object;
  JsonArray *array;

  EXPECT_EXIT ("lot add", added, 0);
  EXPECT ("its number", parse_id ("lot add", added->out) > 0);
  EXPECT_EXIT ("the same lot again", twice, 2);
  EXPECT_CONTAINS ("says so", twice->err, "registered already");
  EXPECT_EXIT ("no expiry", no_expiry, 2);
  EXPECT_EXIT ("no such day", bad_day, 2);
  EXPECT_EXIT ("another lot", second, 0);
  lot = parse_json ("lot add --json", second->out);
  object = json_node_get_object (lot);
  EXPECT_STR ("lot", "HA-2", json_object_get_string_member (object, "lot"));
  EXPECT_STR ("the product as first written", "Hyaluron",
              json_object_get_string_member (object, "product"));
  EXPECT_STR ("expires_on", "2027-01-31", json_object_get_string_member (object, "expires_on"));

  EXPECT_EXIT ("on the expiry day", on_expiry, 0);
  EXPECT_STR ("no warning", "", on_expiry->err);
  EXPECT_EXIT ("the day after: refused", after, 3);
  EXPECT ("R7's message", g_str_has_prefix (after->err, "R7 "));
  EXPECT_CONTAINS ("the expiry in ISO", after->err, "2026-11-19");
  EXPECT_STR ("nothing on stdout", "", after->out);
  EXPECT_EXIT ("a lot not expired", other, 0);
  EXPECT_EXIT ("an unregistered lot: recorded", typed, 0);
  EXPECT_CONTAINS ("with a warning", typed->err, "Warning: R7");
  EXPECT_CONTAINS ("not registered", typed->err, "not registered");

  EXPECT_EXIT ("lot patients", who, 0);
  rows = parse_json ("lot patients --json", who->out);
  array = json_node_get_array (rows);
  EXPECT_INT ("Ada alone", 1, json_array_get_length (array));
  object = json_array_get_object_element (array, 0);
  EXPECT_INT ("patient_id", ada, json_object_get_int_member (object, "patient_id"));
  EXPECT_STR ("patient", "Ada Lind", json_object_get_string_member (object, "patient"));
  EXPECT ("session_id", json_object_get_int_member (object, "session_id") > 0);
  EXPECT_STR ("at", "2026-11-19T18:00", json_object_get_string_member (object, "at"));
  EXPECT_STR ("area", "face", json_object_get_string_member (object, "area"));
  EXPECT_STR ("phone", "0171 555", json_object_get_string_member (object, "phone"));
  EXPECT_STR ("email", "ada@example.org", json_object_get_string_member (object, "email"));
  EXPECT_EXIT ("lot patients as text", who_text, 0);
  EXPECT_CONTAINS ("one line, tab-separated", who_text->out, "\tAda Lind\t");
  EXPECT_EXIT ("an unregistered lot has no recall", nobody, 4);

  EXPECT_EXIT ("lot list", listed, 0);
  lines = g_strsplit (g_strchomp (listed->out), "\n", -1);
  EXPECT_INT ("two lots", 2, g_strv_length (lines));
  EXPECT_STR ("the first", "HA-1\tHyaluron\t2026-11-19\t1", lines[0]);
  EXPECT_EXIT ("lot list --json", listed_json, 0);
  lots = parse_json ("lot list --json", listed_json->out);
  EXPECT_INT ("two", 2, json_array_get_length (json_node_get_array (lots)));
  object = json_array_get_object_element (json_node_get_array (lots), 1);
  EXPECT_INT ("HA-2 used once", 1, json_object_get_int_member (object, "sessions"));

  /* Registered after a session was recorded with it: that session is linked, and found. */
  {
    g_autoptr(CliResult) late = CLI (fixture->db, "lot", "add", "ZZ 9", "--product", "Serum",
                                     "--expires", "2027-01-01");
    g_autoptr(CliResult) found = CLI (fixture->db, "lot", "patients", "ZZ 9", "--json");
    g_autoptr(JsonNode) late_rows = NULL;

    EXPECT_EXIT ("a lot registered late", late, 0);
    EXPECT ("its number alone on stdout", parse_id ("late lot", late->out) > 0);
    EXPECT_CONTAINS ("the linked sessions counted", late->err,
                     "1 earlier session recorded with lot ZZ 9 now refers to it.");
    EXPECT_EXIT ("its recall", found, 0);
    late_rows = parse_json ("lot patients ZZ 9", found->out);
    array = json_node_get_array (late_rows);
    EXPECT_INT ("Bo's session", 1, json_array_get_length (array));
    EXPECT_STR ("Bo", "Bo Berg",
                json_object_get_string_member (json_array_get_object_element (array, 0),
                                               "patient"));
  }
}

/* ================================================================ photos */

/* Runs @argv (a tool on PATH) and gives its stdout; fails the test unless
 * it exits 0. */
static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      print_error ("%s failed: %s%s\n", argv[0], error != NULL ? error->message : "", err);
      fail ();
    }
  return out;
}

/* exiftool's reading of @path: every tag it finds, with its group, as one
 * JSON object ("-G1": "GPS:GPSLatitude", "ExifIFD:SerialNumber" …). */
static JsonNode *
read_exif (const char *path)
{
  /* The maker note, a block, is named only when asked for. */
  const char *const argv[] = { "exiftool", "-j", "-a", "-u", "-G1", "-m", "-All", "-MakerNotes",
                               path, NULL };
  g_autofree char *out = run_tool (argv);
  g_autoptr(JsonNode) root = parse_json ("exiftool -j", out);

  return json_node_copy (json_array_get_element (json_node_get_array (root), 0));
}

/* The first tag of @exif whose name (group:name) contains @part; NULL: none. */
static const char *
exif_tag_named (JsonNode   *exif,
                const char *part)
{
  g_autoptr(GList) names = json_object_get_members (json_node_get_object (exif));

  for (GList *l = names; l != NULL; l = l->next)
    if (strstr (l->data, part) != NULL)
      return l->data;
  return NULL;
}

static gint64
exif_int (JsonNode   *exif,
          const char *name)
{
  return json_object_get_int_member (json_node_get_object (exif), name);
}

/* Issue 18, item 4: a camera's JPEG with its location, serial number,
 * maker note and an orientation of 6 (turn 90° clockwise), written by
 * exiftool, goes in through photo add and comes out through photo export
 * with none of them: read back by exiftool, a real EXIF reader. */
static void
test_photos (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *camera = g_build_filename (fixture->dir, "IMG_0001.jpg", NULL);
  g_autofree char *note = g_build_filename (fixture->dir, "note.bin", NULL);
  g_autofree char *note_arg = g_strconcat ("-MakerNotes<=", note, NULL);
  g_autofree char *text = g_build_filename (fixture->dir, "letter.jpg", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.jpg", NULL);
  g_autofree char *cut = g_build_filename (fixture->dir, "cut.jpg", NULL);
  g_autofree char *exported = g_build_filename (fixture->dir, "out.jpg", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "no-such-folder", "out.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *tool = g_find_program_in_path ("exiftool");
  g_autofree char *session_id = NULL;
  g_autofree char *photo_id = NULL;
  g_autoptr(CliResult) session = NULL;
  g_autoptr(CliResult) added = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(CliResult) listed_text = NULL;
  g_autoptr(CliResult) export = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(JsonNode) photo = NULL;
  g_autoptr(JsonNode) photos = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  static const char maker_note[] = "OLYMPUS\0II\x03\0SERIAL-MN-0815";
  gsize length = 0;
  gint64 patient;
  struct stat st;

  if (tool == NULL)
    {
      if (g_getenv ("CI") != NULL)
        fail_msg ("exiftool is not installed (Debian: libimage-exiftool-perl)");
      skip ();
    }

  /* A photo-like picture (noise, not a flat colour), 120 wide, 80 high,
   * tagged as a camera tags it. */
  {
    const char *const make[] = { "convert", "-size", "120x80", "plasma:", "-seed", "18",
                                 "+noise", "Gaussian", camera, NULL };
    const char *const tag[] = { "exiftool", "-q", "-m", "-overwrite_original",
                                "-GPSLatitude=52.5200", "-GPSLatitudeRef=N",
                                "-GPSLongitude=13.4050", "-GPSLongitudeRef=E",
                                "-Make=Canon", "-Model=Canon EOS R5",
                                "-SerialNumber=CAM-4711-SERIAL", "-Orientation#=6",
                                "-XMP-dc:Creator=Dr Example", "-IPTC:City=Berlin",
                                note_arg, camera, NULL };

    g_free (run_tool (make));
    assert_true (g_file_set_contents (note, maker_note, sizeof maker_note - 1, NULL));
    g_free (run_tool (tag));
  }
  before = read_exif (camera);
  EXPECT ("the camera's file has a location", exif_tag_named (before, "GPSLatitude") != NULL);
  EXPECT ("a serial number", exif_tag_named (before, "SerialNumber") != NULL);
  EXPECT ("a maker note", exif_tag_named (before, "MakerNote") != NULL);
  EXPECT ("an orientation", exif_tag_named (before, "Orientation") != NULL);
  EXPECT ("XMP", exif_tag_named (before, "XMP") != NULL);
  EXPECT ("IPTC", exif_tag_named (before, "IPTC") != NULL);

  patient = add_patient (fixture, "Paula Foto");
  {
    g_autofree char *id = id_text (patient);

    session = CLI (fixture->db, "session", "add", "--patient", id, "--at", "2026-11-20T09:00",
                   "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  }
  EXPECT_EXIT ("session add", session, 0);
  session_id = g_strchomp (g_strdup (session->out));

  added = CLI (fixture->db, "photo", "add", "--session", session_id, "--kind", "before", camera,
               "--json");
  EXPECT_EXIT ("photo add", added, 0);
  photo = parse_json ("photo add --json", added->out);
  {
    JsonObject *object = json_node_get_object (photo);

    EXPECT ("id", json_object_get_int_member (object, "id") > 0);
    EXPECT_INT ("session_id", g_ascii_strtoll (session_id, NULL, 10),
                json_object_get_int_member (object, "session_id"));
    EXPECT_STR ("kind", "before", json_object_get_string_member (object, "kind"));
    EXPECT_STR ("the session's area", "face", json_object_get_string_member (object, "area"));
    EXPECT_INT ("turned: as wide as it was high", 80,
                json_object_get_int_member (object, "width"));
    EXPECT_INT ("as high as it was wide", 120, json_object_get_int_member (object, "height"));
    EXPECT_STR ("dated with the session", "2026-11-20T09:00",
                json_object_get_string_member (object, "taken_at"));
    photo_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));
  }

  export = CLI (fixture->db, "photo", "export", photo_id, exported);
  EXPECT_EXIT ("photo export", export, 0);
  EXPECT ("written", g_stat (exported, &st) == 0);
  EXPECT_INT ("private to the user", 0600, st.st_mode & 0777);
  after = read_exif (exported);
  EXPECT ("no location", exif_tag_named (after, "GPS") == NULL);
  EXPECT ("no serial number", exif_tag_named (after, "Serial") == NULL);
  EXPECT ("no maker note", exif_tag_named (after, "MakerNote") == NULL);
  EXPECT ("no camera", exif_tag_named (after, "Model") == NULL);
  EXPECT ("no orientation tag", exif_tag_named (after, "Orientation") == NULL);
  EXPECT ("no XMP", exif_tag_named (after, "XMP") == NULL);
  EXPECT ("no IPTC", exif_tag_named (after, "IPTC") == NULL);
  EXPECT ("no EXIF at all", exif_tag_named (after, "IFD0") == NULL);
  EXPECT_INT ("the width, turned", 80, exif_int (after, "File:ImageWidth"));
  EXPECT_INT ("the height, turned", 120, exif_int (after, "File:ImageHeight"));
  assert_true (g_file_get_contents (exported, &contents, &length, NULL));
  EXPECT ("not even the serial's bytes",
          g_strstr_len (contents, length, "4711") == NULL &&
          g_strstr_len (contents, length, "SERIAL-MN") == NULL);
  again = CLI (fixture->db, "photo", "export", photo_id, exported);
  EXPECT_EXIT ("an existing file replaced", again, 0);
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "export", photo_id, nowhere);
  EXPECT_EXIT ("a folder that does not exist", again, 1);
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "export", "999", exported);
  EXPECT_EXIT ("no such photo", again, 4);

  /* Not images, or cut short: exit 2, nothing stored. */
  assert_true (g_file_set_contents (text, "Dear Paula,\nyour photos follow.\n", -1, NULL));
  assert_true (g_file_set_contents (empty, "", 0, NULL));
  {
    g_autofree char *whole = NULL;
    gsize size = 0;

    assert_true (g_file_get_contents (camera, &whole, &size, NULL));
    assert_true (g_file_set_contents (cut, whole, (gssize)(size * 3 / 4), NULL));
  }
  {
    const char *const refused[] = { text, empty, cut };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(CliResult) r = CLI (fixture->db, "photo", "add", "--session", session_id,
                                      "--kind", "after", refused[i]);

        EXPECT_EXIT (refused[i], r, 2);
        EXPECT_CONTAINS ("says why", r->err, "not a photo");
        EXPECT_STR ("nothing on stdout", "", r->out);
      }
  }
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "add", "--session", session_id, "--kind", "later", camera);
  EXPECT_EXIT ("no such kind", again, 2);
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "add", "--session", "999", "--kind", "after", camera);
  EXPECT_EXIT ("no such session", again, 4);
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "add", "--session", session_id, "--kind", "after",
               "--area", "neck", camera);
  EXPECT_EXIT ("another, of the neck", again, 0);

  {
    g_autofree char *id = id_text (patient);

    listed = CLI (fixture->db, "photo", "list", "--patient", id, "--json");
    listed_text = CLI (fixture->db, "photo", "list", "--patient", id);
  }
  EXPECT_EXIT ("photo list", listed, 0);
  photos = parse_json ("photo list --json", listed->out);
  EXPECT_INT ("two stored, none of the refused", 2,
              json_array_get_length (json_node_get_array (photos)));
  EXPECT_STR ("the area given", "neck",
              json_object_get_string_member (
                json_array_get_object_element (json_node_get_array (photos), 1), "area"));
  EXPECT_EXIT ("photo list as text", listed_text, 0);
  EXPECT_CONTAINS ("tab-separated", listed_text->out, "\tBefore\tFace\t80×120\n");
  g_clear_pointer (&again, cli_result_free);
  again = CLI (fixture->db, "photo", "list", "--patient", "999");
  EXPECT_EXIT ("no such patient", again, 4);
}

/* Issue 14 item 3: every integer option and record number is decimal
 * digits, strictly. GOption's INT types read "010" as octal (patient 8). */
typedef struct
{
  const char *what;
  const char *option;             /* as named in the message; NULL for an ID argument */
  const char *args[20];           /* "@" stands for the value tried */
} NumberCase;

static const NumberCase number_cases[] = {
  { "session add --patient", "--patient", { "session", "add", "--patient", "@", "--at",
    "2026-11-20T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen", NULL } },
  { "session add --appointment", "--appointment", { "session", "add", "--patient", "1", "--at",
    "2026-11-20T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen",
    "--appointment", "@", NULL } },
  { "session add --needle-count", "--needle-count", { "session", "add", "--patient", "1", "--at",
    "2026-11-20T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen",
    "--needle-count", "@", NULL } },
  { "appointment book --patient", "--patient", { "appointment", "book", "--patient", "@",
    "--at", "2027-03-01T10:00", "--area", "neck", NULL } },
  { "appointment book --minutes", "--minutes", { "appointment", "book", "--patient", "1",
    "--at", "2027-03-01T10:00", "--area", "neck", "--minutes", "@", NULL } },
  { "appointment check --patient", "--patient", { "appointment", "check", "--patient", "@",
    "--at", "2027-03-01T10:00", "--area", "neck", NULL } },
  { "appointment check --minutes", "--minutes", { "appointment", "check", "--patient", "1",
    "--at", "2027-03-01T10:00", "--area", "neck", "--minutes", "@", NULL } },
  { "appointment suggest --patient", "--patient", { "appointment", "suggest", "--patient", "@",
    "--area", "neck", NULL } },
  { "appointment suggest --count", "--count", { "appointment", "suggest", "--patient", "1",
    "--area", "neck", "--count", "@", NULL } },
  { "appointment suggest --minutes", "--minutes", { "appointment", "suggest", "--patient", "1",
    "--area", "neck", "--minutes", "@", NULL } },
  { "patient list --limit", "--limit", { "patient", "list", "--limit", "@", NULL } },
  { "audit --row", "--row", { "audit", "--row", "@", NULL } },
  { "demo --patients", "--patients", { "demo", "--patients", "@", NULL } },
  { "demo --seed", "--seed", { "demo", "--patients", "1", "--seed", "@", NULL } },
  { "patient show ID", NULL, { "patient", "show", "@", NULL } },
  { "patient edit ID", NULL, { "patient", "edit", "@", "--name", "Changed", NULL } },
  { "patient archive ID", NULL, { "patient", "archive", "@", NULL } },
  { "patient flag ID", NULL, { "patient", "flag", "@", "--set", "herpes", NULL } },
  { "appointment cancel ID", NULL, { "appointment", "cancel", "@", NULL } },
  { "recall finished ID", NULL, { "recall", "finished", "@", NULL } },
};

/* The args of @c with @value in place of "@". */
static void
number_args (const NumberCase *c,
             const char       *value,
             const char      **args)
{
  guint i;

  for (i = 0; c->args[i] != NULL; i++)
    args[i] = g_str_equal (c->args[i], "@") ? value : c->args[i];
  args[i] = NULL;
}

static gint64
count_audit_rows (CliFixture *fixture)
{
  g_autoptr(CliResult) audit = CLI (fixture->db, "audit", "--json");
  g_autoptr(JsonNode) node = NULL;

  EXPECT_EXIT ("audit", audit, 0);
  node = parse_json ("audit", audit->out);
  return json_array_get_length (root_array ("audit", node));
}

static void
test_numbers_decimal_only (void **state)
{
  CliFixture *fixture = *state;
  static const char *const bad[] = { "010", "+5", "-1", "0x10", " 5", "5 ", "5x", "1e1", "",
                                     "99999999999999999999" };
  g_autoptr(CliResult) ten = NULL;
  g_autoptr(JsonNode) ten_node = NULL;
  gint64 written;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %u", i + 1);

      add_patient (fixture, name);
    }
  written = count_audit_rows (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (number_cases); i++)
    for (guint j = 0; j < G_N_ELEMENTS (bad); j++)
      {
        const NumberCase *c = &number_cases[i];
        g_autofree char *what = g_strdup_printf ("%s “%s”", c->what, bad[j]);
        g_autofree char *typed = g_strdup_printf ("“%s”", bad[j]);
        g_autoptr(CliResult) r = NULL;
        const char *args[20];

        number_args (c, bad[j], args);
        r = cli_runv (fixture->db, NULL, args);
        EXPECT_EXIT (what, r, 2);
        /* An argument "-1" is taken for an unknown option, which names it too. */
        EXPECT_CONTAINS (what, r->err, c->option == NULL && bad[j][0] == '-' ? bad[j] : typed);
        if (c->option != NULL)
          EXPECT_CONTAINS (what, r->err, c->option);
        EXPECT_STR (what, "", r->out);
      }
  EXPECT_INT ("nothing written", written, count_audit_rows (fixture));

  /* "10" is ten, everywhere: accepted as a number (found or not). */
  for (guint i = 0; i < G_N_ELEMENTS (number_cases); i++)
    {
      const NumberCase *c = &number_cases[i];
      g_autoptr(CliResult) r = NULL;
      const char *args[20];

      number_args (c, "10", args);
      r = cli_runv (fixture->db, NULL, args);
      /* demo refuses a database with patients (2), for that reason only. */
      EXPECT (c->what, (r->status != 2 || g_str_equal (c->args[0], "demo")) &&
                       r->status != -1);
      EXPECT_NOT_CONTAINS (c->what, r->err, "“10”");
    }
  {
    g_autofree char *empty = g_build_filename (fixture->dir, "empty.db", NULL);
    g_autoptr(CliResult) demo = CLI (empty, "demo", "--patients", "10", "--seed", "10");

    EXPECT_EXIT ("demo --patients 10 --seed 10", demo, 0);
  }

  ten = CLI (fixture->db, "session", "add", "--patient", "10", "--at", "2026-11-19T09:00",
             "--area", "scalp", "--needle-mm", "0.5", "--device", "pen", "--json");
  EXPECT_EXIT ("session add --patient 10", ten, 0);
  ten_node = parse_json ("session add --patient 10", ten->out);
  EXPECT_INT ("recorded for patient 10, not 8", 10,
              verify_int ("session", root_object ("session", ten_node), "patient_id"));
}

/* Issue 14 item 10: exit codes and messages. */
static void
test_missing_appointment (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) r = NULL;
  gint64 written;

  add_patient (fixture, "Una Vik");
  written = count_audit_rows (fixture);
  r = CLI (fixture->db, "session", "add", "--patient", "1", "--at", "2026-11-20T09:00",
           "--area", "face", "--needle-mm", "0.5", "--device", "pen", "--appointment", "999");
  EXPECT_EXIT ("session add --appointment 999", r, 4);
  EXPECT_CONTAINS ("names the appointment", r->err, "appointment number 999");
  EXPECT_NOT_CONTAINS ("no foreign key", r->err, "foreign");
  EXPECT_INT ("nothing written", written, count_audit_rows (fixture));
}

/* A backup that cannot be read: 5 (database family); an import file that is
 * not there or cannot be read: 2 (a wrong FILE, as a wrong value is). */
static void
test_unreadable_inputs (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autofree char *missing_csv = g_build_filename (fixture->dir, "missing.csv", NULL);
  g_autofree char *folder_csv = g_build_filename (fixture->dir, "folder.csv", NULL);
  g_autoptr(CliResult) created = CLI (fixture->db, "practitioner", "list");
  g_autoptr(CliResult) restore = NULL;
  g_autoptr(CliResult) import = NULL;
  g_autoptr(CliResult) import_folder = NULL;

  EXPECT_EXIT ("create", created, 0);
  g_mkdir (folder_csv, 0700);
  /* restore on a server is not there yet (another part of issue 15). */
  if (!test_engine_is_postgresql ())
    {
      restore = CLI (fixture->db, "restore", missing);
      EXPECT_EXIT ("restore a missing backup", restore, 5);
      EXPECT_CONTAINS ("restore: names the file", restore->err, "missing.db");
    }
  import = CLI (fixture->db, "import", "csv", "patients", missing_csv);
  EXPECT_EXIT ("import a missing file", import, 2);
  EXPECT_CONTAINS ("import: names the file", import->err, "missing.csv");
  EXPECT_CONTAINS ("import: says why", import->err, "no such file");
  import_folder = CLI (fixture->db, "import", "csv", "patients", folder_csv);
  EXPECT_EXIT ("import a folder", import_folder, 2);
  EXPECT_CONTAINS ("import a folder: says why", import_folder->err, "folder");
}

static void
test_needle_hundredths (void **state)
{
  CliFixture *fixture = *state;
  static const char *const finer[] = { "0.149999", "0.125", "1.001" };

  add_patient (fixture, "Vera Wolf");
  for (guint i = 0; i < G_N_ELEMENTS (finer); i++)
    {
      g_autoptr(CliResult) r = CLI (fixture->db, "session", "add", "--patient", "1", "--at",
                                    "2026-11-20T09:00", "--area", "scalp", "--needle-mm",
                                    finer[i], "--device", "pen");

      EXPECT_EXIT (finer[i], r, 2);
      EXPECT_CONTAINS (finer[i], r->err, finer[i]);
      EXPECT_CONTAINS (finer[i], r->err, "hundredths of a millimetre");
    }
}

static void
test_demo_patients_range (void **state)
{
  CliFixture *fixture = *state;
  static const char *const bad[] = { "-1", "0", "1000001" };
  g_autoptr(CliResult) help = CLI (fixture->db, "demo", "--help");

  EXPECT_EXIT ("demo --help", help, 0);
  EXPECT_CONTAINS ("--help gives the limit", help->out, "1000000");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CliResult) r = CLI (fixture->db, "demo", "--patients", bad[i]);

      EXPECT_EXIT (bad[i], r, 2);
      EXPECT_NOT_CONTAINS (bad[i], r->err, "required");
      EXPECT_CONTAINS (bad[i], r->err, "whole number from 1 to 1000000");
    }
}

/* Export and backup targets that cannot be written: a message for people
 * (never GLib's "g_rename() failed"), exit 1 for exports and 5 for a backup. */
static void
test_unwritable_targets (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *folder = g_build_filename (fixture->dir, "a-folder", NULL);
  g_autofree char *orphan = g_build_filename (fixture->dir, "no-such-folder", "out", NULL);
  const struct
  {
    const char *what;
    const char *path;
    const char *says;
  } targets[] = {
    { "a folder", folder, "it is a folder" },
    { "a missing folder", orphan, "its folder does not exist" },
    { "a read-only place", "/sys/mesodesk-test-out", "permission denied" },
  };

  g_mkdir (folder, 0700);
  add_patient (fixture, "Wim Yde");
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(CliResult) csv = CLI (fixture->db, "export", "csv", "patients",
                                      targets[i].path);
      g_autoptr(CliResult) ics = CLI (fixture->db, "export", "ics", targets[i].path);
      g_autoptr(CliResult) backup = CLI (fixture->db, "backup", targets[i].path);

      EXPECT_EXIT (targets[i].what, csv, 1);
      EXPECT_CONTAINS (targets[i].what, csv->err, targets[i].says);
      EXPECT_NOT_CONTAINS (targets[i].what, csv->err, "g_rename");
      EXPECT_NOT_CONTAINS (targets[i].what, csv->err, "Failed to");
      EXPECT_EXIT (targets[i].what, ics, 1);
      EXPECT_CONTAINS (targets[i].what, ics->err, targets[i].says);
      EXPECT_EXIT (targets[i].what, backup, 5);
      EXPECT_CONTAINS (targets[i].what, backup->err, targets[i].says);
    }
}

/* Set but empty is a mistake, not "the default database". */
static void
test_empty_database_setting (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *home = g_build_filename (fixture->dir, "home", NULL);
  g_autofree char *data_home = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  g_autofree char *default_db = g_build_filename (home, "mesodesk", "clinic.db", NULL);
  g_autoptr(CliResult) env = CLI_ENV (NULL, ((const char *const[]){ "MESODESK_DATABASE=",
                                                                    data_home, NULL }),
                                      "patient", "add", "--name", "Xena");
  g_autoptr(CliResult) option = CLI_ENV ("", ((const char *const[]){ data_home, NULL }),
                                         "patient", "add", "--name", "Xena");

  EXPECT_EXIT ("an empty MESODESK_DATABASE", env, 2);
  EXPECT_CONTAINS ("names the variable", env->err, "MESODESK_DATABASE");
  EXPECT_EXIT ("an empty --database", option, 2);
  EXPECT_CONTAINS ("names the option", option->err, "--database");
  EXPECT ("no default database created", !g_file_test (default_db, G_FILE_TEST_EXISTS));
}

/* ============================================================ long lists */

/* @out, a --json array, is exactly what json-glib writes for the document
 * it holds: the lists written element by element keep the bytes of the
 * whole. Returns the array's length. */
static guint
verify_json_bytes (const char *what,
                   const char *out)
{
  g_autoptr(JsonNode) node = parse_json (what, out);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *whole = NULL;
  g_autofree char *expected = NULL;

  root_array (what, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  whole = json_generator_to_data (generator, NULL);
  expected = g_strconcat (whole, "\n", NULL);
  EXPECT_STR (what, expected, out);
  return json_array_get_length (json_node_get_array (node));
}

/* Every list command on a clinic of a few hundred patients: each --json
 * parses back, as json-glib would have written it, with the rows the text
 * form lists, in the same order. */
static void
test_long_lists_stream (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) demo = CLI (fixture->db, "demo", "--patients", "300", "--seed", "11");
  static const char *const commands[][8] = {
    { "reminders", NULL },
    { "patient", "list", "--archived", NULL },
    { "patient", "list", "--search", "a", NULL },
    { "appointment", "list", "--from", "2026-01-01", "--to", "2027-12-31", NULL },
    { "audit", "--table", "patients", NULL },
    { "practitioner", "list", NULL },
    { "room", "list", NULL },
  };
  g_autoptr(CliResult) reminders = NULL;
  g_autoptr(CliResult) reminders_text = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 patient;
  JsonArray *array;
  char **lines;

  EXPECT_EXIT ("demo", demo, 0);
  /* Escapes of every kind the lists show: in a name (which may hold no
   * control character) and in notes (which may hold tabs and lines). */
  add_staff (fixture);
  patient = add_patient (fixture, "Zoë \"Q\" O\\Brien – 李");
  {
    g_autofree char *id = id_text (patient);
    g_autoptr(CliResult) noted = CLI (fixture->db, "patient", "edit", id,
                                      "--notes", "Tab\there\nand a line");

    EXPECT_EXIT ("notes with a tab and a line", noted, 0);
  }
  add_session (fixture, patient, "2026-11-20T09:00", "face");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) json_args = NULL;
      g_autoptr(CliResult) json = NULL;
      g_autoptr(CliResult) text = NULL;
      g_autofree char *what = g_strjoinv (" ", (char **)commands[i]);
      guint n;

      g_strv_builder_addv (builder, (const char **)commands[i]);
      text = cli_runv (fixture->db, NULL, commands[i]);
      EXPECT_EXIT (what, text, 0);
      g_strv_builder_add (builder, "--json");
      json_args = g_strv_builder_end (builder);
      json = cli_runv (fixture->db, NULL, (const char *const *)json_args);
      EXPECT_EXIT (what, json, 0);
      n = verify_json_bytes (what, json->out);
      EXPECT (what, n > 0);
      EXPECT_INT (what, n, count_lines (text->out));
    }

  /* The reminders: long enough to matter, the same rows in the same order. */
  reminders = CLI (fixture->db, "reminders", "--json");
  reminders_text = CLI (fixture->db, "reminders");
  node = parse_json ("reminders", reminders->out);
  array = root_array ("reminders", node);
  EXPECT ("hundreds of reminders", json_array_get_length (array) >= 100);
  lines = g_strsplit (reminders_text->out, "\n", -1);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = array_object ("reminders", array, i);
      g_autofree char *expected = g_strdup_printf (
        "%s (%" G_GINT64_FORMAT ")", json_object_get_string_member (object, "patient"),
        json_object_get_int_member (object, "patient_id"));

      EXPECT ("reminders: the text row of the JSON element", lines[i] != NULL);
      EXPECT (expected, strstr (lines[i], expected) != NULL);
    }
  g_strfreev (lines);
}

/* The audit triggers' function, for a connection of the test's own. */
static void
test_actor (sqlite3_context *context,
            int              argc,
            sqlite3_value  **argv)
{
  sqlite3_result_text (context, "test", -1, SQLITE_STATIC);
}

/* Whatever a record holds, --json is valid UTF-8 and valid JSON: a control
 * character escaped, bytes that are not UTF-8 replaced. */
static void
test_json_valid_utf8 (void **state)
{
  CliFixture *fixture = *state;
  g_autoptr(CliResult) reminders = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3 *db = NULL;
  gint64 patient;
  JsonObject *object;

  add_staff (fixture);
  patient = add_patient (fixture, "Placeholder");
  add_session (fixture, patient, "2026-11-20T09:00", "face");
  /* A server keeps only UTF-8: there the name has the control character
   * alone. */
  if (test_engine_is_postgresql ())
    cli_fixture_server_exec (fixture, "UPDATE patients SET name = 'Ann' || chr(31) || 'e' || "
                                      "chr(65533) || '('");
  else
    {
      EXPECT_INT ("open with sqlite3", SQLITE_OK, sqlite3_open (fixture->db, &db));
      sqlite3_create_function (db, "meso_actor", 0, SQLITE_UTF8, NULL, test_actor, NULL, NULL);
      sqlite3_create_function (db, "meso_os_user", 0, SQLITE_UTF8, NULL, test_actor, NULL,
                               NULL);
      sqlite3_create_function (db, "meso_host", 0, SQLITE_UTF8, NULL, test_actor, NULL,
                               NULL);
      EXPECT_INT ("a damaged name", SQLITE_OK,
                  sqlite3_exec (db, "UPDATE patients SET name = 'Ann' || char(31) || 'e' || "
                                    "CAST(X'FF28' AS TEXT)", NULL, NULL, NULL));
      sqlite3_close (db);
    }

  reminders = CLI (fixture->db, "reminders", "--json");
  EXPECT_EXIT ("reminders --json", reminders, 0);
  EXPECT ("reminders: valid UTF-8", g_utf8_validate (reminders->out, -1, NULL));
  EXPECT ("reminders: the control character escaped", strstr (reminders->out, "Ann\\u001fe"));
  node = parse_json ("reminders --json", reminders->out);
  object = array_object ("reminders", root_array ("reminders", node), 0);
  verify_string ("reminders", object, "patient", "Ann\x1f" "e\xEF\xBF\xBD(");
}

#ifdef __linux__
/* Reads @fd until the other side is closed, in a thread: a pseudo-terminal
 * must be drained while the program runs, or it blocks writing to it. */
static gpointer
drain_fd (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
  return g_string_free (text, FALSE);
}

/* import csv on a terminal shows "Importing… N of M rows", rewritten in
 * place; piped, or with --json, it says nothing more than before. */
static void
test_import_progress (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *csv_path = g_build_filename (fixture->dir, "many.csv", NULL);
  g_autofree char *json_db = g_build_filename (fixture->dir, "json.db", NULL);
  g_autofree char *piped_db = g_build_filename (fixture->dir, "piped.db", NULL);
  g_autoptr(GString) csv = g_string_new ("name,phone\r\n");
  const char *const args[] = { "import", "csv", "patients", csv_path, NULL };
  const char *const json_args[] = { "import", "csv", "patients", csv_path, "--json", NULL };

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "Patient %u,0151 %06u\r\n", i, i);
  EXPECT ("write the CSV", g_file_set_contents (csv_path, csv->str, csv->len, NULL));

  for (guint run = 0; run < 2; run++)
    {
      g_auto(GStrv) argv = cli_argv (run == 0 ? fixture->db : json_db,
                                     run == 0 ? args : json_args);
      g_auto(GStrv) env = cli_environment (NULL);
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GThread) reader = NULL;
      g_autofree char *out = NULL;
      g_autofree char *terminal = NULL;
      int master = posix_openpt (O_RDWR | O_NOCTTY);
      int slave;

      EXPECT ("a pseudo-terminal", master >= 0 && grantpt (master) == 0 &&
                                     unlockpt (master) == 0);
      slave = open (ptsname (master), O_RDWR | O_NOCTTY);
      EXPECT ("its other end", slave >= 0);
      g_subprocess_launcher_set_environ (launcher, env);
      g_subprocess_launcher_take_stderr_fd (launcher, slave);
      process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv, &error);
      EXPECT_NO_ERROR ("spawn", error);
      /* The launcher holds the terminal's end open until it goes. */
      g_clear_object (&launcher);
      reader = g_thread_new ("pty", drain_fd, GINT_TO_POINTER (master));
      EXPECT ("import", g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL,
                                                       &error));
      EXPECT_NO_ERROR ("import", error);
      EXPECT_INT ("import's exit status", 0, g_subprocess_get_exit_status (process));
      terminal = g_thread_join (g_steal_pointer (&reader));
      close (master);

      if (run == 0)
        {
          EXPECT_STR ("stdout as before", "Imported 1000 patients.\n", out);
          EXPECT ("the count so far", strstr (terminal, "Importing… 0 of 1000 rows") != NULL);
          EXPECT ("the count at the end",
                  strstr (terminal, "Importing… 1000 of 1000 rows") != NULL);
          EXPECT ("rewritten in place", strstr (terminal, "\r\033[K") != NULL);
          EXPECT ("no new line", strchr (terminal, '\n') == NULL);
          EXPECT ("the line erased at the end", g_str_has_suffix (terminal, "\r\033[K"));
        }
      else
        {
          EXPECT ("--json: nothing on the terminal", terminal[0] == '\0');
          EXPECT ("--json: the count", strstr (out, "\"imported\" : 1000") != NULL);
        }
    }

  /* Not a terminal: nothing on stderr. */
  {
    g_autoptr(CliResult) piped = cli_runv (piped_db, NULL, args);

    EXPECT_EXIT ("import, piped", piped, 0);
    EXPECT_STR ("piped: stdout as before", "Imported 1000 patients.\n", piped->out);
    EXPECT_STR ("piped: nothing on stderr", "", piped->err);
  }
}
#endif

/* ====================================================== moving a clinic */

/* Every table of an SQLite clinic (the search index's aside: made, not
 * copied), row by row in the order of the first column, as text. */
static char *
dump_file (const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  EXPECT_INT ("open the copy", SQLITE_OK, sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY,
                                                           NULL));
  sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                          "LIKE 'patients_search%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  EXPECT ("the tables", tables->len >= 11);
  for (guint t = 0; t < tables->len; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1, 2",
                                              (const char *)tables->pdata[t]);

      g_string_append_printf (out, "%s:\n", (const char *)tables->pdata[t]);
      EXPECT_INT (sql, SQLITE_OK, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              g_string_append (out, c ? "|" : "");
              if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
                g_string_append (out, "NULL");
              else if (sqlite3_column_type (stmt, c) == SQLITE_BLOB)
                {
                  /* A photo's bytes, every one (as text they end at a NUL). */
                  const guint8 *blob = sqlite3_column_blob (stmt, c);

                  for (int i = 0; i < sqlite3_column_bytes (stmt, c); i++)
                    g_string_append_printf (out, "%02x", blob[i]);
                }
              else
                g_string_append (out, (const char *)sqlite3_column_text (stmt, c));
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The test server's conninfo, or the case is skipped (failed under CI). */
static void
require_server (void)
{
  if (test_server_conninfo () != NULL)
    return;
  if (g_getenv ("CI") != NULL)
    {
      print_error ("MESODESK_TEST_POSTGRESQL is not set, and CI is set\n");
      fail ();
    }
  skip ();
}

/* transfer in every direction: SQLite → PostgreSQL → PostgreSQL → SQLite
 * → SQLite, every table the same row by row (audit and ids included);
 * a target with records, or the source itself, refused (exit 2) and left
 * as it was. */
static void
test_transfer (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *first = NULL, *first_location = NULL;
  g_autofree char *second = NULL, *second_location = NULL;
  g_autofree char *back = g_build_filename (fixture->dir, "back.db", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "again.db", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.db", NULL);
  g_autofree char *original = NULL;
  g_autofree char *on_back = NULL;
  g_autofree char *on_again = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CliResult) demo = NULL;
  g_autoptr(CliResult) to_server = NULL;
  g_autoptr(JsonNode) counts = NULL;
  JsonObject *tables;

  require_server ();
  first = test_server_create_database ("clitransfer", &first_location);
  second = test_server_create_database ("clitransfer", &second_location);

  demo = CLI (fixture->db, "demo", "--patients", "30");
  EXPECT_EXIT ("demo", demo, 0);
  add_patient (fixture, "Zoë \"Back\\slash\" Ng");
  /* A photo's bytes go along, every one (they are copied apart). */
  {
    g_autofree char *photo = g_build_filename (fixture->dir, "photo.jpg", NULL);
    const char *const make[] = { "convert", "-size", "90x60", "plasma:", "-seed", "18",
                                 photo, NULL };
    g_autoptr(CliResult) added = NULL;

    g_free (run_tool (make));
    added = CLI (fixture->db, "photo", "add", "--session", "1", "--kind", "before", photo);
    EXPECT_EXIT ("a photo", added, 0);
  }
  original = dump_file (fixture->db);
  EXPECT_CONTAINS ("the photo's bytes dumped", original, "ffd8ff");

  to_server = CLI (fixture->db, "transfer", first_location, "--json");
  EXPECT_EXIT ("SQLite → PostgreSQL", to_server, 0);
  EXPECT_STR ("nothing on stderr", "", to_server->err);
  counts = parse_json ("transfer --json", to_server->out);
  tables = json_object_get_object_member (root_object ("transfer", counts), "tables");
  EXPECT_INT ("patients counted", 31, json_object_get_int_member (tables, "patients"));
  EXPECT ("the audit log counted", json_object_get_int_member (tables, "audit") > 31);
  EXPECT ("every record", verify_int ("transfer", root_object ("transfer", counts), "records")
                          > 500);
  {
    g_autoptr(CliResult) r = CLI (first_location, "transfer", second_location);

    EXPECT_EXIT ("PostgreSQL → PostgreSQL", r, 0);
    EXPECT_CONTAINS ("says so", r->out, "every table’s count matches");
  }
  {
    g_autoptr(CliResult) r = CLI (second_location, "transfer", back);

    EXPECT_EXIT ("PostgreSQL → SQLite", r, 0);
  }
  {
    g_autoptr(CliResult) r = CLI (back, "transfer", again);

    EXPECT_EXIT ("SQLite → SQLite", r, 0);
  }
  on_back = dump_file (back);
  on_again = dump_file (again);
  EXPECT_STR ("the same rows after the server", original, on_back);
  EXPECT_STR ("the same rows after a file", original, on_again);

  /* The server's next record takes the next number. */
  {
    g_autoptr(CliResult) r = CLI (second_location, "patient", "add", "--name", "Next One");

    EXPECT_EXIT ("add on the copy", r, 0);
    EXPECT_INT ("the next number", 32, parse_id ("patient add", r->out));
  }

  /* Targets with records: refused, left as they were. */
  {
    g_autoptr(CliResult) file = CLI (fixture->db, "transfer", back);
    g_autoptr(CliResult) server = CLI (fixture->db, "transfer", first_location);
    g_autoptr(CliResult) itself = CLI (first_location, "transfer", first_location);

    EXPECT_EXIT ("a file with records", file, 2);
    EXPECT_CONTAINS ("says why", file->err, "already holds records");
    EXPECT_EXIT ("a server with records", server, 2);
    EXPECT_EXIT ("the server itself", itself, 2);
    after = dump_file (back);
    EXPECT_STR ("the file left as it was", on_back, after);
  }
  {
    g_autoptr(CliResult) made = CLI (empty, "patient", "list");
    g_autoptr(CliResult) itself = CLI (empty, "transfer", empty);

    EXPECT_EXIT ("an empty clinic", made, 0);
    EXPECT_EXIT ("into itself", itself, 2);
    EXPECT_CONTAINS ("says why", itself->err, "its own database");
  }

  test_server_drop_database (g_steal_pointer (&first));
  test_server_drop_database (g_steal_pointer (&second));
}

/* Reads the terminal until a transfer says it has copied rows, then kills
 * it (SIGKILL: no cleanup of its own). */
static void
kill_transfer_midway (const char *source,
                      const char *target)
{
  const char *const args[] = { "transfer", target, NULL };
  g_auto(GStrv) argv = cli_argv (source, args);
  g_auto(GStrv) env = cli_environment (NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  gboolean midway = FALSE;
  char buffer[512];
  gssize n;

  EXPECT ("a pseudo-terminal", master >= 0 && grantpt (master) == 0 && unlockpt (master) == 0);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_take_stderr_fd (launcher, open (ptsname (master), O_RDWR | O_NOCTTY));
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv, &error);
  EXPECT_NO_ERROR ("spawn", error);
  g_clear_object (&launcher);
  while (!midway && (n = read (master, buffer, sizeof buffer - 1)) > 0)
    {
      const char *line;

      g_string_append_len (seen, buffer, n);
      /* "Copying… N of M records" with 0 < N < M: the copy's rows are not
       * all in yet, so the target's transaction is still open (the last
       * line, N = M, may come just before the commit). */
      for (line = strstr (seen->str, "Copying… "); line != NULL && !midway;
           line = strstr (line + 1, "Copying… "))
        {
          guint64 done = 0, total = 0;

          midway = sscanf (line + strlen ("Copying… "), "%" G_GUINT64_FORMAT " of %"
                           G_GUINT64_FORMAT " ", &done, &total) == 2 &&
                   done > 0 && done < total;
        }
    }
  EXPECT ("it said how far it was", midway);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  EXPECT ("killed", g_subprocess_get_if_signaled (process));
  close (master);
}

/* A transfer killed midway leaves the target empty: it takes the clinic
 * afterwards as if nothing had happened. The clinic is big enough for the
 * copy to outlast a progress line's quarter second. */
static void
test_transfer_killed (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *server = NULL, *location = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "target.db", NULL);
  g_autoptr(CliResult) demo = NULL;

  require_server ();
  server = test_server_create_database ("clikilled", &location);
  demo = CLI (fixture->db, "demo", "--patients", "12000");
  EXPECT_EXIT ("demo", demo, 0);

  for (guint i = 0; i < 2; i++)
    {
      const char *target = i == 0 ? location : file;
      g_autoptr(CliResult) listed = NULL;
      g_autoptr(CliResult) audit = NULL;
      g_autoptr(CliResult) whole = NULL;

      kill_transfer_midway (fixture->db, target);
      listed = CLI (target, "patient", "show", "1");
      EXPECT_EXIT ("no patient", listed, 4);
      audit = CLI (target, "audit", "--json");
      EXPECT_NOT_CONTAINS ("no copied audit entry", audit->out, "\"patients\"");
      whole = CLI (fixture->db, "transfer", target);
      EXPECT_EXIT ("then the whole clinic", whole, 0);
    }
  test_server_drop_database (g_steal_pointer (&server));
}

/* On a server: backup writes a checked SQLite file any desk opens;
 * restore into records needs --replace. */
static void
test_backup_restore_server (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *server = NULL, *location = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "server-backup.db", NULL);

  require_server ();
  server = test_server_create_database ("clirestore", &location);
  add_patient (fixture, "Pia Quist");
  {
    g_autoptr(CliResult) moved = CLI (fixture->db, "transfer", location);
    g_autoptr(CliResult) saved = CLI (location, "backup", backup);
    g_autoptr(CliResult) checked = CLI (backup, "check");
    g_autoptr(CliResult) later = CLI (location, "patient", "add", "--name", "Rolf Sand");

    EXPECT_EXIT ("onto the server", moved, 0);
    EXPECT_EXIT ("backup on the server", saved, 0);
    EXPECT_EXIT ("a sound file", checked, 0);
    EXPECT_EXIT ("a later patient", later, 0);
  }
  {
    g_autoptr(CliResult) refused = CLI (location, "restore", backup);
    g_autoptr(CliResult) listed = CLI (location, "patient", "show", "2");

    EXPECT_EXIT ("restore over records", refused, 2);
    EXPECT_CONTAINS ("says why", refused->err, "already holds records");
    EXPECT_CONTAINS ("says how", refused->err, "--replace");
    EXPECT_EXIT ("left as it was", listed, 0);
  }
  {
    g_autoptr(CliResult) replaced = CLI (location, "restore", "--replace", backup);
    g_autoptr(CliResult) gone = CLI (location, "patient", "show", "2");
    g_autoptr(CliResult) audit = CLI (location, "audit");

    EXPECT_EXIT ("restore --replace", replaced, 0);
    EXPECT_EXIT ("the later patient gone", gone, 4);
    EXPECT_CONTAINS ("the restore audited", audit->out, "restore");
    EXPECT_CONTAINS ("naming the backup", audit->out, "server-backup.db");
  }
  test_server_drop_database (g_steal_pointer (&server));
}

/* Issue 14: a backup written over the database itself (by its name, a
 * symbolic or a hard link to it) would rename the copy over the file the
 * window has open; restoring from it would take back its own older state.
 * Both are refused (exit 2) and the records stay.
 * Files linked to the database file, and backup on a server is not there
 * yet (another part of issue 15): skipped on the server
 * (CLI_FILE_ONLY_TEST in main()). */
static void
test_backup_not_the_database (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *symbolic = g_build_filename (fixture->dir, "symbolic.db", NULL);
  g_autofree char *hard = g_build_filename (fixture->dir, "hard.db", NULL);
  g_autofree char *partial = g_strconcat (fixture->db, ".partial", NULL);
  const char *const names[] = { fixture->db, symbolic, hard };
  const char *const commands[] = { "backup", "restore" };

  add_patient (fixture, "Pia Quist");
  add_patient (fixture, "Rolf Sand");
  EXPECT_INT ("a symbolic link to the database", 0, symlink (fixture->db, symbolic));
  EXPECT_INT ("a hard link to the database", 0, link (fixture->db, hard));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        g_autofree char *what = g_strdup_printf ("%s %s", commands[c], names[i]);
        g_autoptr(CliResult) refused = CLI (fixture->db, commands[c], names[i]);
        g_autoptr(CliResult) listed = CLI (fixture->db, "patient", "list");

        EXPECT_EXIT (what, refused, 2);
        EXPECT_STR (what, "", refused->out);
        EXPECT_CONTAINS (what, refused->err, "clinic database");
        EXPECT_EXIT ("list after a refused one", listed, 0);
        EXPECT_CONTAINS (what, listed->out, "Pia Quist");
        EXPECT_CONTAINS (what, listed->out, "Rolf Sand");
        EXPECT (what, !g_file_test (partial, G_FILE_TEST_EXISTS));
      }
  {
    g_autoptr(CliResult) backup = CLI (fixture->db, "backup", symbolic);

    EXPECT_CONTAINS ("the words", backup->err,
                     "The backup cannot be the clinic database itself.");
  }
  {
    g_autoptr(CliResult) check = CLI (fixture->db, "check");

    EXPECT_EXIT ("the database is sound", check, 0);
  }
}

/* A clinic server that is not there: exit 5 at once, one line for a
 * person. One that does not answer: given up after the location's
 * connect_timeout, else after the driver's 10 seconds. */
/* check --json names the database it checked; a server's location, which
 * may hold a password, is never printed: its description is. (The test
 * server trusts its socket, so the password is taken and not needed.) */
static void
test_check_json_hides_password (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *location = NULL;
  g_autoptr(CliResult) checked = NULL;

  if (!test_engine_is_postgresql ())
    skip ();
  location = g_strdup_printf ("%s password='Sekrit42'", fixture->db);
  checked = CLI (location, "check", "--json");
  EXPECT_EXIT ("check on the server", checked, 0);
  EXPECT_CONTAINS ("names the database", checked->out, "\"path\"");
  /* The test server's socket: named as a receptionist would. */
  EXPECT_CONTAINS ("a server on this computer", checked->out, "(server on this computer)");
  EXPECT_NOT_CONTAINS ("no password", checked->out, "Sekrit42");
  EXPECT_NOT_CONTAINS ("no conninfo", checked->out, "password");
}

/* A second desk's write waits behind a long one (an import holds the
 * writers' lock, meso-store-postgresql.c's lock_writers(); here a session
 * of the test's own takes the same key) only so long: then it is busy
 * (exit 5), with nothing written, and goes through once the lock is free. */
#define WRITERS_LOCK "pg_advisory_lock (7361006164)"

static void
test_server_writers_wait_limited (void **state)
{
  CliFixture *fixture = *state;
  PGconn *importer;
  PGresult *result;
  gint64 start, took;

  if (!test_engine_is_postgresql ())
    skip ();
  importer = PQconnectdb (fixture->db);
  assert_int_equal (PQstatus (importer), CONNECTION_OK);
  result = PQexec (importer, "SELECT " WRITERS_LOCK);
  assert_int_equal (PQresultStatus (result), PGRES_TUPLES_OK);
  PQclear (result);

  start = g_get_monotonic_time ();
  {
    g_autoptr(CliResult) waited = CLI (fixture->db, "patient", "add", "--name", "Waiting Desk");

    took = g_get_monotonic_time () - start;
    EXPECT_EXIT ("busy behind the import", waited, 5);
    EXPECT_CONTAINS ("said as busy", waited->err, "busy with a long task at another desk");
    EXPECT_NOT_CONTAINS ("not the server's words", waited->err, "lock");
    EXPECT ("waited about 10 s", took >= 9 * G_USEC_PER_SEC && took < 30 * G_USEC_PER_SEC);
  }

  PQfinish (importer);
  {
    g_autoptr(CliResult) listed = CLI (fixture->db, "patient", "list");
    g_autoptr(CliResult) added = CLI (fixture->db, "patient", "add", "--name", "Waiting Desk");
    g_autoptr(CliResult) again = CLI (fixture->db, "patient", "list");

    EXPECT_EXIT ("listed", listed, 0);
    EXPECT_NOT_CONTAINS ("nothing written while busy", listed->out, "Waiting Desk");
    EXPECT_EXIT ("added once the import is over", added, 0);
    EXPECT_CONTAINS ("written then", again->out, "Waiting Desk");
  }
}

static void
test_server_unreachable (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *empty = g_build_filename (fixture->dir, "no-server", NULL);
  g_autofree char *silent = g_build_filename (fixture->dir, "silent", NULL);
  g_autofree char *socket_path = g_build_filename (silent, ".s.PGSQL.5432", NULL);
  g_autofree char *words = g_strdup_printf ("host=%s port=5432 dbname=clinic", empty);
  g_autofree char *uri = g_strdup_printf ("postgresql:///clinic?host=%s", empty);
  g_autofree char *env_uri = g_strconcat ("MESODESK_DATABASE=", uri, NULL);
  g_autofree char *quiet_short = g_strdup_printf ("host=%s dbname=clinic connect_timeout=2",
                                                  silent);
  g_autofree char *quiet = g_strdup_printf ("postgresql:///clinic?host=%s", silent);
  const char *const env[] = { env_uri, NULL };
  const char *const locations[] = { words, NULL };
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (empty, 0700);
  g_mkdir (silent, 0700);
  for (guint i = 0; i < 2; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(CliResult) r = i == 0 ? CLI (locations[0], "practitioner", "list")
                                      : cli_run (NULL, env, "appointment", "list", NULL);
      g_auto(GStrv) lines = g_strsplit (g_strchomp (r->err), "\n", -1);

      EXPECT_EXIT ("no server", r, 5);
      EXPECT_STR ("nothing on stdout", "", r->out);
      EXPECT_INT ("one line", 1, g_strv_length (lines));
      EXPECT_CONTAINS ("says what", r->err, "The clinic server cannot be reached");
      expect_no_server_words ("no server", r->err);
      EXPECT ("at once", g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC);
    }

  /* A socket that takes the connection and never answers. */
  listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                           &error);
  EXPECT ("a socket", listener != NULL);
  address = g_unix_socket_address_new (socket_path);
  EXPECT ("bind", g_socket_bind (listener, address, FALSE, &error));
  EXPECT ("listen", g_socket_listen (listener, &error));
  for (guint i = 0; i < 2; i++)
    {
      gint64 start = g_get_monotonic_time (), took;
      g_autoptr(CliResult) r = CLI (i == 0 ? quiet_short : quiet, "practitioner", "list");

      took = g_get_monotonic_time () - start;
      EXPECT_EXIT ("a server that does not answer", r, 5);
      EXPECT_CONTAINS ("says what", r->err, "The clinic server cannot be reached");
      expect_no_server_words ("a server that does not answer", r->err);
      if (i == 0)
        EXPECT ("the location's connect_timeout", took >= 1 * G_USEC_PER_SEC &&
                                                  took < 6 * G_USEC_PER_SEC);
      else
        EXPECT ("10 seconds", took >= 8 * G_USEC_PER_SEC && took < 16 * G_USEC_PER_SEC);
    }
}

/* ============================================ TLS, verified for real */

/* The case's own TLS server (build-aux/pg-test-server start STATE tls): its
 * STATE folder, so that the teardown stops it even after a failure. */
static char *tls_state;

static int
tls_server_teardown (void **state)
{
  if (tls_state != NULL)
    {
      g_free (test_server_script ("stop", tls_state, NULL));
      g_clear_pointer (&tls_state, g_free);
    }
  return cli_fixture_teardown (state);
}

/* README's advice, tried: sslmode=verify-full with the clinic's CA connects
 * to the name in the server's certificate, and to nothing else. Each
 * refusal is the store's own words (exit 5), never libpq's or OpenSSL's. */
static void
test_server_tls_verified (void **state)
{
  CliFixture *fixture = *state;
  g_autofree char *uri = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *port = NULL;
  g_autofree char *database = NULL;
  struct
  {
    const char *what;
    const char *host;
    const char *ca;
    const char *says;
  } refused[] = {
    { "a name not in the certificate", "127.0.0.1", "ca.crt",
      "certificate does not match the server’s name" },
    { "a CA that did not sign it", "localhost", "other-ca.crt",
      "not signed by the clinic’s certificate authority" },
    { "no CA on this computer", "localhost", "no-such-ca.crt",
      "this computer has no copy of the clinic’s certificate authority" },
  };

  /* The files' run has no server script; once is enough. */
  if (!test_engine_is_postgresql ())
    skip ();
  tls_state = g_build_filename (fixture->dir, "pg-tls", NULL);
  uri = test_server_start_tls (tls_state, &port, &database, &folder);

  {
    /* Over TCP the server takes TLS only: connected is encrypted. */
    g_autoptr(CliResult) added = CLI (uri, "patient", "add", "--name", "Tls Verified");
    g_autoptr(CliResult) listed = CLI (uri, "patient", "list");
    g_autofree char *plain = g_strdup_printf ("host=localhost port=%s dbname=mesodesk_test "
                                              "sslmode=disable", port);
    g_autoptr(CliResult) unencrypted = CLI (plain, "patient", "list");

    EXPECT_EXIT ("verify-full to localhost", added, 0);
    EXPECT_EXIT ("listed", listed, 0);
    EXPECT_CONTAINS ("the patient there", listed->out, "Tls Verified");
    EXPECT_EXIT ("not without TLS", unencrypted, 5);
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *where = g_strdup_printf ("host=%s port=%s dbname=mesodesk_test "
                                                "sslmode=verify-full sslrootcert=%s/%s",
                                                refused[i].host, port, folder, refused[i].ca);
      g_autoptr(CliResult) r = CLI (where, "patient", "list");

      EXPECT_EXIT (refused[i].what, r, 5);
      EXPECT_STR (refused[i].what, "", r->out);
      EXPECT_CONTAINS (refused[i].what, r->err, refused[i].says);
      EXPECT_NOT_CONTAINS (refused[i].what, r->err, "SSL");
      EXPECT_NOT_CONTAINS (refused[i].what, r->err, "root certificate");
      EXPECT_NOT_CONTAINS (refused[i].what, r->err, refused[i].host);
      EXPECT_NOT_CONTAINS (refused[i].what, r->err, folder);
    }
}

/* ============================================= consent and policy (issue 18) */

/* A file in the fixture's folder holding @size bytes of @data. */
static char *
fixture_file (CliFixture   *fixture,
              const char   *name,
              const void   *data,
              gsize         size)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  EXPECT (name, g_file_set_contents (path, data, (gssize)size, &error));
  EXPECT_NO_ERROR (name, error);
  return path;
}

static CliResult *
face_session (CliFixture *fixture,
              const char *patient,
              const char *at)
{
  return CLI (fixture->db, "session", "add", "--patient", patient, "--at", at, "--area", "face",
              "--needle-mm", "0.5", "--device", "pen");
}

/* Forms and versions, a consent on screen and on paper, --json's fields,
 * revoking, and R8 through the real program: refused with exit 3 while
 * the policy asks for a consent and none covers the day. */
static void
test_consent (void **state)
{
  CliFixture *fixture = *state;
  static const char png_base64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5Er"
    "kJggg==";
  gsize png_size = 0;
  g_autofree guchar *png = g_base64_decode (png_base64, &png_size);
  g_autofree char *png_path = fixture_file (fixture, "signature.png", png, png_size);
  g_autofree char *text_path = fixture_file (fixture, "signature.txt", "my name", 7);
  g_autofree char *form_path = fixture_file (fixture, "form.txt", "Unser eigener Text.\n", 20);
  g_autofree char *ada = id_text (add_patient (fixture, "Ada Lind"));
  g_autofree char *bo = id_text (add_patient (fixture, "Bo Berg"));
  g_autoptr(CliResult) forms = CLI (fixture->db, "consent", "forms");
  g_autoptr(CliResult) forms_json = CLI (fixture->db, "consent", "forms", "--json");
  g_autoptr(CliResult) shown = CLI (fixture->db, "consent", "form", "show", "microneedling",
                                    "--language", "de");
  g_autoptr(CliResult) no_form = CLI (fixture->db, "consent", "form", "show", "tattoo");
  g_autoptr(CliResult) not_png = CLI (fixture->db, "consent", "add", "--patient", ada, "--form",
                                      "microneedling", "--signed-on", "2026-11-10",
                                      "--signature", text_path);
  g_autoptr(CliResult) both = CLI (fixture->db, "consent", "add", "--patient", ada, "--form",
                                   "microneedling", "--signed-on", "2026-11-10", "--signature",
                                   png_path, "--paper");
  g_autoptr(CliResult) on_screen = CLI (fixture->db, "consent", "add", "--patient", ada,
                                        "--form", "microneedling", "--signed-on", "2026-11-10",
                                        "--signature", png_path, "--json");
  g_autoptr(CliResult) edited = CLI (fixture->db, "consent", "form", "edit", "microneedling",
                                     "--language", "de", "--file", form_path);
  g_autoptr(CliResult) on_paper = CLI (fixture->db, "consent", "add", "--patient", bo, "--form",
                                       "microneedling", "--language", "de", "--signed-on",
                                       "2026-11-12", "--paper");
  g_autoptr(CliResult) old_version = CLI (fixture->db, "consent", "form", "show",
                                          "microneedling", "--language", "de", "--version", "1");
  g_autoptr(CliResult) required = CLI (fixture->db, "policy", "set", "consent-required", "on");
  g_autoptr(CliResult) ada_ok = face_session (fixture, ada, "2026-11-10T18:00");
  g_autoptr(CliResult) bo_before = face_session (fixture, bo, "2026-11-11T10:00");
  g_autoptr(CliResult) revoked = CLI (fixture->db, "consent", "revoke", "1", "--on",
                                      "2026-11-15", "--reason", "Changed her mind");
  g_autoptr(CliResult) twice = CLI (fixture->db, "consent", "revoke", "1", "--on",
                                    "2026-11-16", "--reason", "again");
  g_autoptr(CliResult) ada_revoked = CLI (fixture->db, "session", "add", "--patient", ada,
                                          "--at", "2026-11-15T10:00", "--area", "neck",
                                          "--needle-mm", "0.5", "--device", "pen");
  g_autoptr(CliResult) listed = CLI (fixture->db, "consent", "list", "--patient", ada, "--json");
  g_autoptr(CliResult) listed_text = CLI (fixture->db, "consent", "list", "--patient", bo);
  g_autoptr(CliResult) nobody = CLI (fixture->db, "consent", "list", "--patient", "99");
  g_autoptr(JsonNode) texts = NULL;
  g_autoptr(JsonNode) consent = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonObject *object;
  static const char *const fields[] = { "id", "patient_id", "form", "language", "version",
                                        "signed_on", "method", "taken_by", "revoked_on",
                                        "revoke_reason" };

  EXPECT_EXIT ("consent forms", forms, 0);
  EXPECT_CONTAINS ("German, version 1", forms->out, "microneedling\tde\t1\tMesodesk\t");
  EXPECT_CONTAINS ("Chinese", forms->out, "microneedling\tzh_CN\t1\t");
  EXPECT_EXIT ("consent forms --json", forms_json, 0);
  texts = parse_json ("forms", forms_json->out);
  EXPECT_INT ("four texts", 4, json_array_get_length (json_node_get_array (texts)));
  EXPECT_EXIT ("form show", shown, 0);
  EXPECT ("the German text", g_str_has_prefix (shown->out, "Einwilligung"));
  EXPECT_EXIT ("no such form", no_form, 4);
  EXPECT_EXIT ("not a PNG", not_png, 2);
  EXPECT_CONTAINS ("says so", not_png->err, "PNG");
  EXPECT_EXIT ("screen and paper at once", both, 2);

  EXPECT_EXIT ("on screen", on_screen, 0);
  consent = parse_json ("consent add --json", on_screen->out);
  object = json_node_get_object (consent);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    EXPECT (fields[i], json_object_has_member (object, fields[i]));
  EXPECT_STR ("method", "screen", json_object_get_string_member (object, "method"));
  EXPECT_STR ("signed_on", "2026-11-10", json_object_get_string_member (object, "signed_on"));
  EXPECT_STR ("the person's language: English", "en",
              json_object_get_string_member (object, "language"));
  EXPECT ("not revoked", json_object_get_null_member (object, "revoked_on"));

  EXPECT_EXIT ("form edit", edited, 0);
  EXPECT_STR ("version 2", "2\n", edited->out);
  EXPECT_EXIT ("on paper", on_paper, 0);
  EXPECT_EXIT ("version 1 kept", old_version, 0);
  EXPECT ("version 1's text", g_str_has_prefix (old_version->out, "Einwilligung"));

  EXPECT_EXIT ("policy set consent-required", required, 0);
  EXPECT_EXIT ("signed that day: recorded", ada_ok, 0);
  EXPECT_EXIT ("signed the day after: refused", bo_before, 3);
  EXPECT ("R8's message", g_str_has_prefix (bo_before->err, "R8 "));
  EXPECT_CONTAINS ("the day in ISO", bo_before->err, "2026-11-11");
  EXPECT_EXIT ("revoked", revoked, 0);
  EXPECT_EXIT ("revoked twice", twice, 2);
  EXPECT_EXIT ("revoked that day: refused", ada_revoked, 3);

  EXPECT_EXIT ("consent list --json", listed, 0);
  list = parse_json ("consent list", listed->out);
  object = json_array_get_object_element (json_node_get_array (list), 0);
  EXPECT_STR ("revoked_on", "2026-11-15", json_object_get_string_member (object, "revoked_on"));
  EXPECT_STR ("revoke_reason", "Changed her mind",
              json_object_get_string_member (object, "revoke_reason"));
  EXPECT_INT ("its version", 1, json_object_get_int_member (object, "version"));
  EXPECT_EXIT ("consent list", listed_text, 0);
  EXPECT_CONTAINS ("the paper one on version 2", listed_text->out,
                   "\tmicroneedling\tde\t2\t2026-11-12\tpaper\t");
  EXPECT_EXIT ("no such patient", nobody, 4);
}

/* policy show and set, every value by its name: set to its bound, one past
 * it (exit 2, the bound named), and a word that is no value. */
static void
test_policy (void **state)
{
  CliFixture *fixture = *state;
  static const struct
  {
    const char *key;
    const char *ok;
    const char *past;     /* past the bound: exit 2 */
    const char *bound;    /* named in the message */
  } values[] = {
    { "interval-min-days", "35", "27", "28" },
    { "interval-max-days", "366", "367", "366" },
    { "sensitive-min-days", "60", "55", "56" },
    { "sensitive-max-days", "70", "59", "60" },
    { "no-water-hours", "48", "23", "24" },
    { "sun-protection-days", "3", "2", "3" },
    { "due-soon-days", "0", "367", "366" },
    { "lapsed-months", "12", "0", "1" },
    { "lock-minutes", "480", "481", "480" },
    { "consent-required", "true", "2", "on or off" },
  };
  g_autoptr(CliResult) shown = NULL;
  g_autoptr(CliResult) unknown = CLI (fixture->db, "policy", "set", "interval", "30");
  g_autoptr(CliResult) word = CLI (fixture->db, "policy", "set", "lock-minutes", "ten");
  g_autoptr(CliResult) negative = CLI (fixture->db, "policy", "set", "lock-minutes", "-5");
  g_autoptr(JsonNode) policy = NULL;
  JsonObject *object;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(CliResult) ok = CLI (fixture->db, "policy", "set", values[i].key, values[i].ok);
      g_autoptr(CliResult) past = CLI (fixture->db, "policy", "set", values[i].key,
                                       values[i].past);

      EXPECT_EXIT (values[i].key, ok, 0);
      EXPECT_EXIT (values[i].key, past, 2);
      EXPECT_CONTAINS (values[i].key, past->err, values[i].bound);
    }
  EXPECT_EXIT ("no such setting", unknown, 2);
  EXPECT_EXIT ("not a number", word, 2);
  EXPECT_EXIT ("no sign", negative, 2);

  shown = CLI (fixture->db, "policy", "show", "--json");
  EXPECT_EXIT ("policy show --json", shown, 0);
  policy = parse_json ("policy show", shown->out);
  object = json_node_get_object (policy);
  EXPECT_INT ("every value", G_N_ELEMENTS (values), json_object_get_size (object));
  EXPECT_INT ("kept", 35, json_object_get_int_member (object, "interval-min-days"));
  EXPECT_INT ("kept", 480, json_object_get_int_member (object, "lock-minutes"));
  EXPECT ("a switch is true or false", json_object_get_boolean_member (object,
                                                                       "consent-required"));
  g_clear_pointer (&shown, cli_result_free);
  shown = CLI (fixture->db, "policy", "show");
  EXPECT_CONTAINS ("as text", shown->out, "consent-required\ton\n");
  EXPECT_CONTAINS ("as text", shown->out, "interval-min-days\t35\n");
}

/* ================================================ staff accounts (issue 16) */

/* A run with @input on stdin (passwords by --password-stdin). */
static CliResult *
cli_run_input (const char        *database,
               const char *const *extra_env,
               const char        *input,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) env = NULL;
  CliResult *result = g_new0 (CliResult, 1);
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  argv = cli_argv (database, (const char *const *)args->pdata);
  env = cli_environment (extra_env);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv, &error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, input, NULL, &result->out, &result->err, &error))
    {
      print_error ("cannot run %s: %s\n", argv[0], error->message);
      fail ();
    }
  result->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                        : -1;
  return result;
}

/* At a terminal (a pty by script(1)), the password is asked, not echoed. */
static void
expect_password_prompt (const char *database)
{
  const char *const no_one[] = { "MESODESK_USER", "MESODESK_PASSWORD", NULL };
  g_autofree char *script = g_find_program_in_path ("script");
  g_autofree char *inner = NULL;
  g_autofree char *outer = NULL;
  g_autofree char *quoted_cli = g_shell_quote (cli_path ());
  g_autofree char *quoted_db = g_shell_quote (database);
  g_autofree char *quoted_inner = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) env = cli_environment (no_one);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (script == NULL)
    {
      print_message ("no script(1): the prompt is not tested\n");
      return;
    }
  inner = g_strdup_printf ("%s --database %s --user Mona patient list", quoted_cli, quoted_db);
  quoted_inner = g_shell_quote (inner);
  outer = g_strdup_printf ("(sleep 0.5; printf 'mona\\n') | script -qec %s /dev/null",
                           quoted_inner);
  if (!g_spawn_sync (NULL, (char *[]) { (char *)"/bin/sh", (char *)"-c", outer, NULL }, env,
                     G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status, &error))
    {
      print_error ("cannot run script: %s\n", error->message);
      fail ();
    }
  EXPECT ("signed in at the prompt", WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
  EXPECT_CONTAINS ("asked", out, "Password:");
  EXPECT_CONTAINS ("then listed", out, "Anna Weber");
  EXPECT_NOT_CONTAINS ("not echoed", out, "mona");
}

#define AS(name, password) ((const char *const[]) { "MESODESK_USER=" name, \
                                                    "MESODESK_PASSWORD=" password, NULL })

static void
test_staff_accounts (void **state)
{
  CliFixture *f = *state;
  const char *const no_one[] = { "MESODESK_USER", "MESODESK_PASSWORD", NULL };
  CliResult *r;

  r = CLI (f->db, "patient", "add", "--name", "Anna Weber");
  EXPECT_EXIT ("a clinic without accounts, as before", r, 0);
  cli_result_free (r);
  r = cli_run_input (f->db, no_one, "rita\n", "staff", "add", "Rita", "--role", "receptionist",
                     "--password-stdin", NULL);
  EXPECT_EXIT ("the first account must be a manager's", r, 2);
  cli_result_free (r);
  r = cli_run_input (f->db, no_one, "mona\n", "staff", "add", "Mona", "--role", "manager",
                     "--password-stdin", NULL);
  EXPECT_EXIT ("the manager first", r, 0);
  cli_result_free (r);

  expect_password_prompt (f->db);

  r = CLI_ENV (f->db, no_one, "patient", "list");
  EXPECT_EXIT ("nobody signed in", r, 6);
  EXPECT_CONTAINS ("says so", r->err, "Sign in");
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "wrong"), "patient", "list");
  EXPECT_EXIT ("a wrong password", r, 6);
  EXPECT_NOT_CONTAINS ("nothing listed", r->out, "Anna");
  cli_result_free (r);

  /* The sign-in's password and the new one, both from stdin. */
  r = cli_run_input (f->db, no_one, "mona\nrita\n", "--user", "Mona", "--password-stdin",
                     "staff", "add", "Rita", "--role", "receptionist", "--password-stdin", NULL);
  EXPECT_EXIT ("the manager adds a receptionist", r, 0);
  cli_result_free (r);
  r = cli_run_input (f->db, no_one, "mona\nlena\n", "--user", "Mona", "--password-stdin",
                     "staff", "add", "Dr Lena", "--role", "clinician", "--password-stdin", NULL);
  EXPECT_EXIT ("and a clinician", r, 0);
  cli_result_free (r);
  r = cli_run_input (f->db, no_one, "x\n", "--user", "Rita", "--password-stdin", "staff", "add",
                     "Eve", "--role", "manager", "--password-stdin", NULL);
  EXPECT_EXIT ("no account with a wrong password", r, 6);
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Rita", "rita"), "session", "add", "--patient", "1", "--at",
               "2026-11-19T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("a receptionist records no treatment", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Dr Lena", "lena"), "session", "add", "--patient", "1", "--at",
               "2026-11-19T09:00", "--area", "face", "--needle-mm", "0.5", "--device", "pen");
  EXPECT_EXIT ("a clinician does", r, 0);
  cli_result_free (r);

  /* Lots: a clinician registers one, the front desk reads who received it. */
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "lot", "add", "HA-9", "--product", "Serum",
               "--expires", "2027-01-01");
  EXPECT_EXIT ("a receptionist registers no lot", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Dr Lena", "lena"), "lot", "add", "HA-9", "--product", "Serum",
               "--expires", "2027-01-01");
  EXPECT_EXIT ("a clinician does", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "lot", "patients", "HA-9");
  EXPECT_EXIT ("the front desk recalls by lot", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, no_one, "lot", "patients", "HA-9");
  EXPECT_EXIT ("nobody signed in does not", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, no_one, "lot", "list");
  EXPECT_EXIT ("nor lists the lots", r, 6);
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Rita", "rita"), "appointment", "book", "--patient", "1", "--at",
               "2026-12-01T10:00", "--area", "face", "--practitioner", "Dr Lena",
               "--override-reason", "she said so");
  EXPECT_EXIT ("a receptionist's too-early booking naming a clinician", r, 3);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Dr Lena", "lena"), "appointment", "book", "--patient", "1", "--at",
               "2026-12-01T10:00", "--area", "face", "--override-reason", "scar protocol");
  EXPECT_EXIT ("the clinician's override", r, 0);
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Rita", "rita"), "audit");
  EXPECT_EXIT ("the audit log is a manager's", r, 6);
  cli_result_free (r);

  /* Issue 18: the policy is a manager's; a consent a clinician's to take. */
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "policy", "set", "consent-required", "on");
  EXPECT_EXIT ("a receptionist sets no policy", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "policy", "set", "interval-min-days", "2");
  EXPECT_EXIT ("not even out of bounds", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "policy", "set", "consent-required", "on");
  EXPECT_EXIT ("the manager does", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "consent", "add", "--patient", "1", "--form",
               "microneedling", "--signed-on", "2026-11-19", "--paper");
  EXPECT_EXIT ("a receptionist takes no consent", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Dr Lena", "lena"), "consent", "add", "--patient", "1", "--form",
               "microneedling", "--signed-on", "2026-11-19", "--paper");
  EXPECT_EXIT ("a clinician does", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "consent", "list", "--patient", "1");
  EXPECT_EXIT ("a receptionist reads them", r, 0);
  EXPECT_CONTAINS ("taken by the clinician", r->out, "	paper	Dr Lena	");
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Dr Lena", "lena"), "policy", "set", "consent-required", "off");
  EXPECT_EXIT ("a clinician sets no policy", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "audit", "--table", "appointments");
  EXPECT_EXIT ("the manager reads it", r, 0);
  EXPECT_CONTAINS ("naming the clinician", r->out, "\tDr Lena\t");
  EXPECT_CONTAINS ("and her reason", r->out, "scar protocol");
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Rita", "rita"), "staff", "list", "--json");
  EXPECT_EXIT ("the staff list", r, 0);
  EXPECT_CONTAINS ("who has an account", r->out, "\"has_password\" : true");
  EXPECT_NOT_CONTAINS ("never a hash", r->out, "argon2");
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Mona", "mona"), "staff", "disable", "Rita");
  EXPECT_EXIT ("disabled", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "rita"), "patient", "list");
  EXPECT_EXIT ("a disabled account", r, 6);
  cli_result_free (r);

  /* The manager's password lost: the file's owner (the server's
   * superuser, on the test server) resets it. */
  r = cli_run_input (f->db, no_one, "found\n", "staff", "reset-password", "Mona",
                     "--emergency", "--password-stdin", NULL);
  EXPECT_EXIT ("emergency reset", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "found"), "audit", "--table", "practitioners");
  EXPECT_EXIT ("signed in again", r, 0);
  EXPECT_CONTAINS ("audited as such", r->out, "emergency-password-reset");
  cli_result_free (r);
}

/* Issue 16: restore replaces every record, the accounts too: a manager's
 * work where the database being replaced has accounts, asked of that
 * database; a clinic without accounts restores as before. Both engines
 * (--replace is what a server needs, and a file ignores). */
static void
test_restore_needs_a_manager (void **state)
{
  CliFixture *f = *state;
  const char *const no_one[] = { "MESODESK_USER", "MESODESK_PASSWORD", NULL };
  g_autofree char *before = g_build_filename (f->dir, "before-accounts.db", NULL);
  g_autofree char *with = g_build_filename (f->dir, "with-accounts.db", NULL);
  CliResult *r;

  add_patient (f, "Pia Quist");
  r = CLI_ENV (f->db, no_one, "backup", before);
  EXPECT_EXIT ("a backup without accounts", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, no_one, "restore", "--replace", before);
  EXPECT_EXIT ("no accounts: anyone restores, as before", r, 0);
  cli_result_free (r);

  r = cli_run_input (f->db, no_one, "mona\n", "staff", "add", "Mona", "--role", "manager",
                     "--password-stdin", NULL);
  EXPECT_EXIT ("the manager", r, 0);
  cli_result_free (r);
  r = cli_run_input (f->db, no_one, "mona\nrita\n", "--user", "Mona", "--password-stdin",
                     "staff", "add", "Rita", "--role", "receptionist", "--password-stdin", NULL);
  EXPECT_EXIT ("a receptionist", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "backup", with);
  EXPECT_EXIT ("the manager's backup", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "patient", "add", "--name", "Rolf Sand");
  EXPECT_EXIT ("a later patient", r, 0);
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Rita", "rita"), "restore", "--replace", with);
  EXPECT_EXIT ("a receptionist may not restore", r, 6);
  EXPECT_CONTAINS ("says who may", r->err, "Only a manager");
  cli_result_free (r);
  r = CLI_ENV (f->db, no_one, "restore", "--replace", before);
  EXPECT_EXIT ("nor may nobody", r, 6);
  EXPECT_CONTAINS ("says to sign in", r->err, "Sign in");
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Rita", "wrong"), "restore", "--replace", with);
  EXPECT_EXIT ("nor a wrong password", r, 6);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "patient", "list");
  EXPECT_CONTAINS ("nothing was replaced", r->out, "Rolf Sand");
  cli_result_free (r);

  r = CLI_ENV (f->db, AS ("Mona", "mona"), "restore", "--replace", with);
  EXPECT_EXIT ("the manager restores", r, 0);
  cli_result_free (r);
  r = CLI_ENV (f->db, AS ("Mona", "mona"), "patient", "list");
  EXPECT_EXIT ("signed in on the restored records", r, 0);
  EXPECT_NOT_CONTAINS ("the later patient gone", r->out, "Rolf Sand");
  EXPECT_CONTAINS ("the backup's", r->out, "Pia Quist");
  cli_result_free (r);
}

/* patient export (issue 18, item 5): the file 0600, whole or not there,
 * read back; the exit statuses. */
static void
test_patient_export (void **state)
{
  CliFixture *fixture = *state;
  const char *const no_one[] = { "MESODESK_USER", "MESODESK_PASSWORD", NULL };
  g_autoptr(CliResult) lot = CLI (fixture->db, "lot", "add", "HA-1", "--product", "Hyaluron",
                                  "--expires", "2027-01-31");
  g_autoptr(CliResult) ada_added = CLI (fixture->db, "patient", "add", "--name",
                                        "Ada \"Addy\" Lind", "--phone", "0171 555");
  gint64 ada = parse_id ("Ada", ada_added->out);
  gint64 bo = add_patient (fixture, "Bo Berg");
  g_autoptr(CliResult) registered = session_with_lot (fixture, ada, "2026-11-19T09:00", "face",
                                                      "HA-1");
  g_autoptr(CliResult) typed = session_with_lot (fixture, ada, "2026-11-19T10:00", "neck",
                                                 "ZZ 9");
  g_autoptr(CliResult) bos = session_with_lot (fixture, bo, "2026-11-19T11:00", "scalp",
                                               "HA-1");
  g_autofree char *file = g_build_filename (fixture->dir, "ada.json", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "nobody.json", NULL);
  g_autofree char *id = id_text (ada);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) printed = NULL;
  JsonObject *document, *patient, *session;
  JsonArray *sessions;
  GStatBuf info;
  CliResult *r;

  EXPECT_EXIT ("lot", lot, 0);
  EXPECT_EXIT ("a registered lot", registered, 0);
  EXPECT_EXIT ("a typed lot", typed, 0);
  EXPECT_EXIT ("another patient's", bos, 0);

  /* An existing file is replaced, whole, and private whatever it was. */
  assert_true (g_file_set_contents (file, "old", -1, NULL));
  assert_true (g_chmod (file, 0644) == 0);
  r = CLI (fixture->db, "patient", "export", id, file, "--json");
  EXPECT_EXIT ("patient export", r, 0);
  printed = parse_json ("patient export --json", r->out);
  EXPECT_INT ("patient_id", ada,
              json_object_get_int_member (json_node_get_object (printed), "patient_id"));
  cli_result_free (r);
  assert_true (g_stat (file, &info) == 0);
  EXPECT_INT ("0600", 0600, info.st_mode & 0777);
  assert_true (g_file_get_contents (file, &text, NULL, NULL));
  root = parse_json ("the exported file", text);
  document = root_object ("the export", root);
  verify_string ("format", document, "format", "mesodesk-patient-export");
  EXPECT_INT ("version", 1, verify_int ("version", document, "version"));
  patient = json_node_get_object (member ("patient", document, "patient"));
  verify_string ("name", patient, "name", "Ada \"Addy\" Lind");
  verify_string ("phone", patient, "phone", "0171 555");
  sessions = verify_array ("sessions", document, "sessions");
  EXPECT_INT ("Ada's two sessions", 2, json_array_get_length (sessions));
  session = array_object ("the typed lot's", sessions, 0);
  verify_string ("as typed", session, "lot", "ZZ 9");
  EXPECT ("not registered", JSON_NODE_HOLDS_NULL (member ("lot", session, "registered_lot")));
  session = array_object ("the registered lot's", sessions, 1);
  verify_string ("product", json_node_get_object (member ("lot", session, "registered_lot")),
                 "product", "Hyaluron");
  verify_array ("flags", document, "flags");
  verify_array ("appointments", document, "appointments");
  verify_array ("contacts", document, "contacts");
  verify_array ("consents", document, "consents");
  verify_array ("photos", document, "photos");
  EXPECT_NOT_CONTAINS ("nothing of Bo's", text, "Bo Berg");
  EXPECT_NOT_CONTAINS ("nor his area", text, "scalp");

  r = CLI (fixture->db, "patient", "export", id, file);
  EXPECT_EXIT ("as text", r, 0);
  EXPECT_CONTAINS ("says where", r->out, "ada.json");
  cli_result_free (r);
  r = CLI (fixture->db, "patient", "export", "010", missing);
  EXPECT_EXIT ("not a record number", r, 2);
  cli_result_free (r);
  r = CLI (fixture->db, "patient", "export", "99", missing);
  EXPECT_EXIT ("no such patient", r, 4);
  EXPECT_STR ("nothing on stdout", "", r->out);
  cli_result_free (r);
  EXPECT ("and no file", !g_file_test (missing, G_FILE_TEST_EXISTS));
  r = CLI (fixture->db, "patient", "export", id, fixture->dir);
  EXPECT_EXIT ("a folder", r, 1);
  EXPECT_CONTAINS ("says so", r->err, "folder");
  cli_result_free (r);
  r = CLI (fixture->db, "patient", "export", id);
  EXPECT_EXIT ("no file named", r, 2);
  cli_result_free (r);

  /* A manager's work. */
  r = cli_run_input (fixture->db, no_one, "mona\n", "staff", "add", "Mona", "--role", "manager",
                     "--password-stdin", NULL);
  EXPECT_EXIT ("a manager", r, 0);
  cli_result_free (r);
  r = cli_run_input (fixture->db, no_one, "mona\nrita\n", "--user", "Mona", "--password-stdin",
                     "staff", "add", "Rita", "--role", "receptionist", "--password-stdin", NULL);
  EXPECT_EXIT ("a receptionist", r, 0);
  cli_result_free (r);
  r = CLI_ENV (fixture->db, AS ("Rita", "rita"), "patient", "export", id, missing);
  EXPECT_EXIT ("not a receptionist's", r, 6);
  cli_result_free (r);
  EXPECT ("no file", !g_file_test (missing, G_FILE_TEST_EXISTS));
  r = CLI_ENV (fixture->db, AS ("Mona", "mona"), "patient", "export", id, missing);
  EXPECT_EXIT ("the manager's", r, 0);
  cli_result_free (r);
  EXPECT ("written", g_file_test (missing, G_FILE_TEST_EXISTS));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_help, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_exit_codes, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_staff_accounts, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_restore_needs_a_manager, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_needle_in_german, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_patient_add_namesake, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_patient_json, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_round_trip, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_booking_rules, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_override, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_invalid_input, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_text_refused, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_old_controls_escaped, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_not_found, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_flags, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_reminders_json, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_now_sets_today, cli_fixture_setup,
                                     cli_fixture_teardown),
    CLI_FILE_ONLY_TEST (test_database_private),
    cmocka_unit_test_setup_teardown (test_appointments, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_json_everywhere, cli_fixture_setup,
                                     cli_fixture_teardown),
    CLI_FILE_ONLY_TEST (test_backup_restore),
    CLI_FILE_ONLY_TEST (test_restore_refuses_non_backups),
    CLI_FILE_ONLY_TEST (test_restore_while_open),
    CLI_FILE_ONLY_TEST (test_audit_verify_and_tampering),
    cmocka_unit_test_setup_teardown (test_file_errors, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_newer_schema, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_demo, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_date_edges, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_lots, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_consent, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_policy, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_photos, cli_fixture_setup, cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_patient_export, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_session_other_patients_appointment, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_numbers_decimal_only, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_missing_appointment, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_unreadable_inputs, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_needle_hundredths, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_demo_patients_range, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_unwritable_targets, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_empty_database_setting, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_long_lists_stream, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_json_valid_utf8, cli_fixture_setup,
                                     cli_fixture_teardown),
#ifdef __linux__
    cmocka_unit_test_setup_teardown (test_import_progress, cli_fixture_setup,
                                     cli_fixture_teardown),
#endif
    CLI_FILE_ONLY_TEST (test_backup_not_the_database),
    cmocka_unit_test_setup_teardown (test_check_json_hides_password, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_server_unreachable, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_server_writers_wait_limited, cli_fixture_setup,
                                     cli_fixture_teardown),
    cmocka_unit_test_setup_teardown (test_server_tls_verified, cli_fixture_setup,
                                     tls_server_teardown),
    /* These name the server and a file themselves: once, in the files' run. */
    CLI_FILE_ONLY_TEST (test_transfer),
#ifdef __linux__
    CLI_FILE_ONLY_TEST (test_transfer_killed),
#endif
    CLI_FILE_ONLY_TEST (test_backup_restore_server),
  };

  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;
  meso_test_filter_from_env ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
