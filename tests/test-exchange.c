/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files in and out, on real files and a real database: patients as CSV
 * (round trip, every kind of bad file, all or nothing) and appointments as
 * iCalendar, read back by two independent parsers (libical and
 * python3-icalendar through tests/check-ics.py) across both daylight-saving
 * changes of 2026 in Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-enum-types.h"
#include "meso-exchange.h"
#include "meso-store-private.h"

#include <json-glib/json-glib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "meso-test-core.h"

#define NOW "2026-03-20T08:00"
#define PYTHON "/usr/bin/python3"
/* As Python's isoformat() writes it: 2026-03-29T03:30:00+02:00. */
#define ISO_WITH_OFFSET "%Y-%m-%dT%H:%M:%S%:z"

/* ---- fixture: a fresh database in a fresh directory ---- */

typedef StoreFixture Fixture;

/* The case's other databases on the server (open_store()), dropped by
 * teardown(). */
static GPtrArray *other_databases;

static char *
path_in (Fixture    *fx,
         const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

/* Another new store: a file @name in the case's folder, or on the server
 * (test_engine_is_postgresql()) a new database of its own there. */
static MesoStore *
open_store (Fixture    *fx,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  MesoStore *store;

  if (test_engine_is_postgresql ())
    g_ptr_array_add (other_databases, test_server_create_database ("exchange", &path));
  else
    path = path_in (fx, name);
  store = meso_store_open (path, &error);

  EXPECT_NO_ERROR ("open store", error);
  assert_non_null (store);
  return store;
}

static int
setup (void **state)
{
  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  *state = store_fixture_new ("mesodesk-exchange-XXXXXX", TRUE);
  other_databases = g_ptr_array_new ();
  return 0;
}

static int
teardown (void **state)
{
  store_fixture_free (*state);
  for (guint i = 0; i < other_databases->len; i++)
    test_server_drop_database (other_databases->pdata[i]);
  g_clear_pointer (&other_databases, g_ptr_array_unref);
  use_test_time_zone ();
  return 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The names in @dir, sorted, joined by spaces; but the store's SQLite files
 * (the fixture's clinic.db, its -wal and -shm), which a server has not. */
static char *
list_dir (const char *path)
{
  static const char *const store_files[] = { "clinic.db", "clinic.db-shm", "clinic.db-wal", NULL };
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  assert_non_null (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_strv_contains (store_files, name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **)names->pdata);
}

static char *
write_file (Fixture    *fx,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = path_in (fx, name);

  g_file_set_contents (path, contents, length, &error);
  EXPECT_NO_ERROR ("write test file", error);
  return path;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  EXPECT_NO_ERROR ("read file", error);
  return contents;
}

static gint64
add_patient_record (MesoStore  *store,
                    const char *name,
                    const char *birth_date,
                    const char *phone,
                    const char *email,
                    gboolean    sensitive_skin,
                    const char *notes,
                    gboolean    archived)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  g_autoptr(GError) error = NULL;

  meso_patient_set_name (patient, name);
  meso_patient_set_birth_date (patient, birth_date);
  meso_patient_set_phone (patient, phone);
  meso_patient_set_email (patient, email);
  meso_patient_set_sensitive_skin (patient, sensitive_skin);
  meso_patient_set_notes (patient, notes);
  meso_patient_set_archived (patient, archived);
  meso_store_add_patient (store, patient, &error);
  EXPECT_NO_ERROR (name, error);
  return meso_patient_get_id (patient);
}

/* Everyone, archived too, in the store's order (by name). */
static GPtrArray *
all_patients (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = meso_store_search_patients (store, NULL, TRUE, 0, 100000, &error);

  EXPECT_NO_ERROR ("list patients", error);
  assert_non_null (list);
  return list;
}

/* One line per patient with every field but the id, for comparing stores. */
static char *
describe_patients (MesoStore *store)
{
  g_autoptr(GPtrArray) list = all_patients (store);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      MesoPatient *p = g_ptr_array_index (list, i);

      g_string_append_printf (out, "[%s|%s|%s|%s|%d|%s|%d]\n", meso_patient_get_name (p),
                              meso_patient_get_birth_date (p), meso_patient_get_phone (p),
                              meso_patient_get_email (p), meso_patient_get_sensitive_skin (p),
                              meso_patient_get_notes (p), meso_patient_get_archived (p));
    }
  return g_string_free (out, FALSE);
}

/* ---- CSV ---- */

static void
test_csv_round_trip (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) fresh = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *big_note = NULL;
  g_autofree char *csv = g_build_filename (fx->dir, "out", "patients.csv", NULL);
  g_autofree char *out_dir = path_in (fx, "out");
  g_autofree char *again = path_in (fx, "again.csv");
  g_autofree char *text = NULL;
  g_autofree char *entries = NULL;
  g_autofree char *described = NULL;
  g_autofree char *described_fresh = NULL;
  GStatBuf st;
  guint n = 0;

  /* Nearly the 10 000 characters a note may have (over 10 KiB): every
   * awkward character, again and again. */
  big_note = repeat ("Line with \"quotes\", commas; ümlauts\r\nand LF\n🌸 עברית ", 190);
  assert_true (strlen (big_note) > 10 * 1024);

  add_patient_record (fx->store, "O'Brien, \"Bobby\"", "1980-02-29", "+49 (0)30 123456",
                      "bobby@example.org", TRUE, "plain note", FALSE);
  add_patient_record (fx->store, "Zoë 🌸 Müller-Lüdenscheidt", NULL, NULL, NULL, FALSE, "", FALSE);
  add_patient_record (fx->store, "مريم العلي", "1975-12-01", NULL, "maryam@example.com",
                      FALSE, "ملاحظة, مع فاصلة", TRUE);
  add_patient_record (fx->store, "שרה \"כהן\"", NULL, "0151 2345678", NULL, TRUE, big_note, FALSE);
  add_patient_record (fx->store, "Two Lines", NULL, NULL, NULL, FALSE, "two\nlines\tand a tab",
                      FALSE);
  add_patient_record (fx->store, "Crlf Name", NULL, NULL, NULL, FALSE, "\"\"\r\n", FALSE);
  add_patient_record (fx->store, "Comma,At,End,", NULL, NULL, NULL, FALSE, ",", FALSE);

  g_mkdir (out_dir, 0700);
  assert_true (meso_exchange_export_patients_csv (fx->store, csv, &n, &error));
  EXPECT_NO_ERROR ("export", error);
  EXPECT_INT ("export", 7, n);

  /* Written whole: the file and nothing else (no temporary file left). */
  entries = list_dir (out_dir);
  EXPECT_STR ("export directory", "patients.csv", entries);
  assert_int_equal (g_stat (csv, &st), 0);
  EXPECT_INT ("private file", 0600, st.st_mode & 0777);

  text = read_file (csv);
  EXPECT (text, g_str_has_prefix (text, "id,name,birth_date,phone,email,sensitive_skin,notes,"
                                        "archived\r\n"));
  EXPECT (text, g_str_has_suffix (text, "\r\n"));
  EXPECT_CONTAINS ("quoted name", text,
                   ",\"O'Brien, \"\"Bobby\"\"\",1980-02-29,'+49 (0)30 123456,bobby@example.org,"
                   "1,plain note,0\r\n");
  EXPECT_CONTAINS ("archived", text, ",\"ملاحظة, مع فاصلة\",1\r\n");

  fresh = open_store (fx, "fresh.db");
  n = 0;
  assert_true (meso_exchange_import_patients_csv (fresh, csv, &n, &error));
  EXPECT_NO_ERROR ("import", error);
  EXPECT_INT ("import", 7, n);

  /* Byte for byte: every field of every patient. */
  before = all_patients (fx->store);
  after = all_patients (fresh);
  assert_int_equal (before->len, after->len);
  for (guint i = 0; i < before->len; i++)
    {
      MesoPatient *a = g_ptr_array_index (before, i), *b = g_ptr_array_index (after, i);
      const char *what = meso_patient_get_name (a);

      EXPECT_STR (what, meso_patient_get_name (a), meso_patient_get_name (b));
      EXPECT_STR (what, meso_patient_get_birth_date (a), meso_patient_get_birth_date (b));
      EXPECT_STR (what, meso_patient_get_phone (a), meso_patient_get_phone (b));
      EXPECT_STR (what, meso_patient_get_email (a), meso_patient_get_email (b));
      EXPECT_STR (what, meso_patient_get_notes (a), meso_patient_get_notes (b));
      EXPECT_INT (what, meso_patient_get_sensitive_skin (a),
                  meso_patient_get_sensitive_skin (b));
      EXPECT_INT (what, meso_patient_get_archived (a), meso_patient_get_archived (b));
    }
  described = describe_patients (fx->store);
  described_fresh = describe_patients (fresh);
  EXPECT_STR ("stores", described, described_fresh);
  EXPECT_CONTAINS ("big note kept", described_fresh, big_note);

  /* And once more, from the copy: the same file but for the ids. */
  assert_true (meso_exchange_export_patients_csv (fresh, again, &n, &error));
  EXPECT_NO_ERROR ("export again", error);
  {
    g_autoptr(MesoStore) third = open_store (fx, "third.db");
    g_autofree char *described_third = NULL;

    assert_true (meso_exchange_import_patients_csv (third, again, &n, &error));
    EXPECT_NO_ERROR ("import again", error);
    described_third = describe_patients (third);
    EXPECT_STR ("third store", described, described_third);
  }
}

/* OWASP's CSV injection: no cell starts with = + - @, a tab or a carriage
 * return, so a spreadsheet runs nothing; the import gives back what was
 * stored, byte for byte. */
static void
test_csv_formula_cells (void **state)
{
  Fixture *fx = *state;
  g_autofree char *csv = path_in (fx, "formulas.csv");
  g_autoptr(MesoStore) fresh = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;
  static const char *const guarded[] = {
    "\"'=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\",", ",'+Plus,", ",'-Minus,",
    ",'@At,", ",''=Quoted already,", ",'+49 30 1234567,", ",'\tTabbed note,",
    ",\"'\r\nLine break first\",", ",'=1+1,",
  };
  static const char *const unguarded[] = {
    ",=HYPERLINK", ",\"=HYPERLINK", ",+Plus", ",-Minus", ",@At", ",+49", ",\"\tTabbed",
    ",\"\r\nLine", ",=1+1", ",''Tis plain", ",'Tis'",
  };

  add_patient_record (fx->store, "=HYPERLINK(\"http://example.org\",\"click\")", NULL, NULL,
                      NULL, FALSE, "=1+1", FALSE);
  add_patient_record (fx->store, "+Plus", NULL, "+49 30 1234567", NULL, FALSE, "", FALSE);
  add_patient_record (fx->store, "-Minus", NULL, NULL, NULL, FALSE, "\tTabbed note", FALSE);
  add_patient_record (fx->store, "@At", NULL, NULL, NULL, FALSE, "\r\nLine break first", FALSE);
  add_patient_record (fx->store, "'=Quoted already", NULL, NULL, NULL, FALSE, "", FALSE);
  add_patient_record (fx->store, "'Tis plain", NULL, NULL, NULL, FALSE, "", FALSE);

  assert_true (meso_exchange_export_patients_csv (fx->store, csv, &n, &error));
  EXPECT_NO_ERROR ("export", error);
  text = read_file (csv);
  for (guint i = 0; i < G_N_ELEMENTS (guarded); i++)
    EXPECT_CONTAINS ("a single quote first", text, guarded[i]);
  for (guint i = 0; i < G_N_ELEMENTS (unguarded); i++)
    EXPECT (unguarded[i], strstr (text, unguarded[i]) == NULL);
  EXPECT_CONTAINS ("a plain quote stays one", text, ",'Tis plain,");

  fresh = open_store (fx, "fresh.db");
  assert_true (meso_exchange_import_patients_csv (fresh, csv, &n, &error));
  EXPECT_NO_ERROR ("import", error);
  before = all_patients (fx->store);
  after = all_patients (fresh);
  assert_int_equal (before->len, after->len);
  for (guint i = 0; i < before->len; i++)
    {
      MesoPatient *a = g_ptr_array_index (before, i), *b = g_ptr_array_index (after, i);

      EXPECT_STR ("name back", meso_patient_get_name (a), meso_patient_get_name (b));
      EXPECT_STR ("phone back", meso_patient_get_phone (a), meso_patient_get_phone (b));
      EXPECT_STR ("notes back", meso_patient_get_notes (a), meso_patient_get_notes (b));
    }
}

static void
test_csv_export_empty_and_replace (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = path_in (fx, "patients.csv");
  g_autofree char *text = NULL;
  g_autofree char *entries = NULL;
  guint n = 99;

  /* An old, longer file is replaced whole, not overwritten in place. */
  g_free (write_file (fx, "patients.csv", "stale stale stale stale stale stale stale\n", -1));

  assert_true (meso_exchange_export_patients_csv (fx->store, csv, &n, &error));
  EXPECT_NO_ERROR ("export empty", error);
  EXPECT_INT ("export empty", 0, n);
  text = read_file (csv);
  EXPECT_STR ("header only", "id,name,birth_date,phone,email,sensitive_skin,notes,archived\r\n",
              text);
  entries = list_dir (fx->dir);
  EXPECT_STR ("no temporary file", "patients.csv", entries);

  /* More than one page of patients, each exported once. */
  for (guint i = 0; i < 1203; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient %04u", i);

      add_patient_record (fx->store, name, NULL, NULL, NULL, i % 3 == 0, "", i % 7 == 0);
    }
  assert_true (meso_exchange_export_patients_csv (fx->store, csv, &n, &error));
  EXPECT_NO_ERROR ("export many", error);
  EXPECT_INT ("export many", 1203, n);
  g_free (text);
  text = read_file (csv);
  {
    g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

    /* Header, 1203 rows, and the empty string after the last CRLF. */
    EXPECT_INT ("lines", 1205, g_strv_length (lines));
    EXPECT_STR ("after the last", "", lines[1204]);
    /* Every patient once, in the store's order, across the pages. */
    for (guint i = 0; i < 1203; i++)
      {
        g_autofree char *name = g_strdup_printf (",Patient %04u,", i);

        EXPECT_CONTAINS ("page order", lines[i + 1], name);
      }
  }
}

static void
test_csv_export_write_error (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (fx->dir, "missing", "patients.csv", NULL);
  g_autofree char *ics = g_build_filename (fx->dir, "missing", "clinic.ics", NULL);
  g_autofree char *entries = NULL;
  guint n = 42;

  add_patient_record (fx->store, "Anna", NULL, NULL, NULL, FALSE, "", FALSE);
  assert_false (meso_exchange_export_patients_csv (fx->store, csv, &n, &error));
  assert_true (g_error_matches (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_WRITE));
  EXPECT_CONTAINS ("names the file", error->message, "patients.csv");
  EXPECT_INT ("n untouched", 42, n);
  g_clear_error (&error);

  assert_false (meso_exchange_export_ics (fx->store, ics, NULL, NULL, MESO_ICS_DEFAULT, &n, &error));
  assert_true (g_error_matches (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_WRITE));
  entries = list_dir (fx->dir);
  EXPECT_STR ("nothing created", "", entries);
}

typedef struct
{
  const char *what;
  const char *contents;
  gssize      length;      /* -1: NUL-terminated */
  guint       count;
  const char *described;   /* describe_patients() of the new store */
} GoodCase;

static const GoodCase good_cases[] = {
  { "BOM and LF only",
    "\xEF\xBB\xBFname,email\nAnna,anna@example.org\nBen,\n", -1, 2,
    "[Anna|(null)|(null)|anna@example.org|0||0]\n[Ben|(null)|(null)|(null)|0||0]\n" },
  { "CRLF, no final line break",
    "name,notes\r\nAnna,\"one\r\ntwo\"\r\nBen,x", -1, 2,
    "[Anna|(null)|(null)|(null)|0|one\r\ntwo|0]\n[Ben|(null)|(null)|(null)|0|x|0]\n" },
  { "columns in any order, true and false",
    "archived,Sensitive_Skin,notes,name,id,birth_date,phone\n"
    "true,FALSE,n1,Cleo,17,1990-01-31,030 1234567\n"
    "0,1,,Dan,,,\n",
    -1, 2,
    "[Cleo|1990-01-31|030 1234567|(null)|0|n1|1]\n[Dan|(null)|(null)|(null)|1||0]\n" },
  { "empty lines at the end",
    "name\r\nAnna\r\n\r\n\r\n\n", -1, 1, "[Anna|(null)|(null)|(null)|0||0]\n" },
  { "header only", "id,name,birth_date,phone,email,sensitive_skin,notes,archived\r\n", -1, 0,
    "" },
  { "quoted header and empty quoted fields",
    "\"name\",\"notes\"\n\"Anna\",\"\"\n", -1, 1, "[Anna|(null)|(null)|(null)|0||0]\n" },
  { "a comma and a quote in quotes",
    "name,notes\n\"Smith, \"\"Jo\"\"\",\"a,b\"\n", -1, 1,
    "[Smith, \"Jo\"|(null)|(null)|(null)|0|a,b|0]\n" },
};

static void
test_csv_import_good (void **state)
{
  Fixture *fx = *state;

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *c = &good_cases[i];
      g_autofree char *db = g_strdup_printf ("good-%u.db", i);
      g_autoptr(MesoStore) store = open_store (fx, db);
      g_autofree char *path = write_file (fx, "good.csv", c->contents, c->length);
      g_autoptr(GError) error = NULL;
      g_autofree char *described = NULL;
      guint n = 99;

      if (!meso_exchange_import_patients_csv (store, path, &n, &error))
        {
          print_error ("case \"%s\": %s\n", c->what, error->message);
          fail ();
        }
      EXPECT_INT (c->what, c->count, n);
      described = describe_patients (store);
      EXPECT_STR (c->what, c->described, described);
    }
}

typedef struct
{
  const char *what;
  const char *contents;
  gssize      length;
  const char *message;    /* the start of the error message */
} BadCase;

#define HEADER "name,email,phone,birth_date,sensitive_skin,notes\r\n"

static const BadCase bad_cases[] = {
  { "bad e-mail on line 4, after a note over two lines",
    HEADER "Anna,anna@example.org,,,0,\"first\r\nsecond\"\r\nBen,a@b,,,0,\r\n", -1,
    "Line 4, column “email”: “a@b” is not an e-mail address." },
  { "a missing name",
    HEADER "Anna,,,,,\r\n,ben@example.org,,,,\r\n", -1,
    "Line 3, column “name”: " },
  { "a name of blanks",
    HEADER "   ,,,,,\r\n", -1, "Line 2, column “name”: " },
  { "an unknown column",
    "name,email,allergies\r\nAnna,,\r\n", -1, "Line 1, column “allergies”: " },
  { "no name column", "email,phone\r\na@example.org,\r\n", -1, "Line 1, column “name”: " },
  { "a column twice", "name,notes,Name\r\nA,,B\r\n", -1, "Line 1, column “name”: " },
  { "a header column without a name", "name,,notes\r\nA,,\r\n", -1, "Line 1: " },
  { "an unterminated quote",
    HEADER "Anna,,,,,ok\r\nBen,,,,,\"never closed\r\nCleo,,,,,\r\n", -1,
    "Line 3, column “notes”: " },
  { "text after a closing quote",
    HEADER "Anna,\"a@example.org\"x,,,,\r\n", -1, "Line 2, column “email”: " },
  { "a quote inside an unquoted field",
    HEADER "Anna,,030 \"1234567,,,\r\n", -1, "Line 2, column “phone”: " },
  { "invalid UTF-8",
    HEADER "Anna,,,,,\r\nBen,,,,,\r\nCleo,,,,,\r\nDora,,\xC3\x28,,,\r\n", -1,
    "Line 5, column “phone”: " },
  { "a NUL byte",
    HEADER "Anna,,,,,a\0b\r\n", sizeof (HEADER "Anna,,,,,a\0b\r\n") - 1,
    "Line 2, column “notes”: " },
  { "invalid UTF-8 in the header", "name,no\xFFtes\r\n", -1, "Line 1: " },
  /* Text that could forge rows or drive a terminal, refused at the model. */
  { "an escape in a name",
    HEADER "Anna,,,,,\r\n\"Ben\x1b[2J\",,,,,\r\n", -1,
    "Line 3, column “name”: Name: control characters" },
  { "a line break in a name",
    HEADER "Anna,,,,,\r\n\"Ben\nBerg\",,,,,\r\n", -1, "Line 3, column “name”: " },
  { "a tab in a name", HEADER "\"Ben\tBerg\",,,,,\r\n", -1, "Line 2, column “name”: " },
  { "a lone carriage return in notes",
    HEADER "Ben,,,,,\"over\rwritten\"\r\n", -1, "Line 2, column “notes”: Notes: control" },
  { "a DEL in notes", HEADER "Ben,,,,,a\x7f\r\n", -1, "Line 2, column “notes”: " },
  { "a C1 control in notes", HEADER "Ben,,,,,a\xc2\x9b\r\n", -1, "Line 2, column “notes”: " },
  { "a bad yes or no", HEADER "Anna,,,,maybe,\r\n", -1, "Line 2, column “sensitive_skin”: " },
  { "a bad birth date", HEADER "Anna,,,1990-02-30,,\r\n", -1,
    "Line 2, column “birth_date”: " },
  { "a bad phone", HEADER "Anna,,call me,,,\r\n", -1, "Line 2, column “phone”: " },
  { "too few fields", HEADER "Anna,,,,,\r\nBen,,\r\n", -1, "Line 3: " },
  { "too many fields", HEADER "Anna,,,,,,\r\n", -1, "Line 2: " },
  { "an empty file", "", -1, "Line 1: " },
  { "only a BOM", "\xEF\xBB\xBF", -1, "Line 1: " },
  { "a bad row after many good ones (LF)",
    "name,email\n"
    "P1,\nP2,\nP3,\nP4,\nP5,\nP6,\nP7,\nP8,\nP9,\nP10,\nP11,\nP12,\nP13,\nP14,\nP15,\n"
    "P16,x@\n",
    -1, "Line 17, column “email”: " },
};

static void
test_csv_import_bad (void **state)
{
  Fixture *fx = *state;
  g_autofree char *described = NULL;

  add_patient_record (fx->store, "Existing One", NULL, NULL, "one@example.org", FALSE, "", FALSE);
  add_patient_record (fx->store, "Existing Two", NULL, NULL, NULL, TRUE, "note", TRUE);
  described = describe_patients (fx->store);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *path = write_file (fx, "bad.csv", c->contents, c->length);
      g_autoptr(GError) error = NULL;
      g_autofree char *now_described = NULL;
      guint n = 99;

      if (meso_exchange_import_patients_csv (fx->store, path, &n, &error))
        {
          print_error ("case \"%s\": imported %u patients\n", c->what, n);
          fail ();
        }
      EXPECT (c->what, g_error_matches (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_PARSE));
      if (!g_str_has_prefix (error->message, c->message))
        {
          print_error ("case \"%s\": message \"%s\" should start with \"%s\"\n", c->what,
                       error->message, c->message);
          fail ();
        }
      EXPECT_INT (c->what, 99, n);
      /* All or nothing: exactly the patients there were. */
      now_described = describe_patients (fx->store);
      EXPECT_STR (c->what, described, now_described);
    }

  /* The store still takes writes: no transaction was left open. */
  add_patient_record (fx->store, "Afterwards", NULL, NULL, NULL, FALSE, "", FALSE);
  {
    guint count = 0;
    g_autoptr(GError) error = NULL;

    assert_true (meso_store_count_patients (fx->store, NULL, TRUE, &count, &error));
    EXPECT_INT ("after", 3, count);
  }
}

static void
test_csv_import_missing_file (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (fx, "nowhere.csv");

  assert_false (meso_exchange_import_patients_csv (fx->store, path, NULL, &error));
  assert_true (g_error_matches (error, MESO_EXCHANGE_ERROR, MESO_EXCHANGE_ERROR_READ));
  EXPECT_CONTAINS ("names the file", error->message, "nowhere.csv");
}

/* Progress climbs to the end; a cancelled job stores and writes nothing. */
typedef struct
{
  guint  calls;
  double last;
  gboolean rising;
  GCancellable *cancel_at_first;  /* cancelled at the first report, when set */
} ProgressRecord;

static void
record_progress_cb (double   fraction,
                    gpointer user_data)
{
  ProgressRecord *record = user_data;

  if (fraction < record->last || fraction < 0.0 || fraction > 1.0)
    record->rising = FALSE;
  record->last = fraction;
  record->calls++;
  if (record->cancel_at_first != NULL)
    g_cancellable_cancel (record->cancel_at_first);
}

typedef struct
{
  guint    calls;
  guint    last_done;
  guint    total;
  gboolean rising;
} RowsRecord;

static void
record_rows_cb (guint    done,
                guint    total,
                gpointer user_data)
{
  RowsRecord *record = user_data;

  if (done < record->last_done || done > total || (record->calls > 0 && total != record->total))
    record->rising = FALSE;
  record->last_done = done;
  record->total = total;
  record->calls++;
}

/* The rows version: the file's row count from the first report on, up to
 * all of them; a quoted line break is not a row. */
static void
test_csv_progress_rows (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GString) csv = g_string_new ("name,notes\r\n");
  g_autofree char *path = path_in (fx, "rows.csv");
  g_autoptr(GError) error = NULL;
  RowsRecord record = { 0, 0, 0, TRUE };
  guint n = 0;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "Patient %u,\"two\r\nlines\"\r\n", i);
  assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));

  assert_true (meso_exchange_import_patients_csv_rows (fx->store, path, record_rows_cb, &record,
                                                       NULL, &n, &error));
  EXPECT_NO_ERROR ("import", error);
  EXPECT_INT ("imported", 1000, n);
  EXPECT_INT ("the file's rows", 1000, record.total);
  EXPECT_INT ("up to all of them", 1000, record.last_done);
  EXPECT ("several reports", record.calls >= 5);
  EXPECT ("rising", record.rising);
}

static guint
count_all_patients (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  assert_true (meso_store_count_patients (store, NULL, TRUE, &count, &error));
  return count;
}

static void
test_csv_progress_and_cancel (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GString) csv = g_string_new ("name,phone\r\n");
  g_autofree char *path = path_in (fx, "many.csv");
  g_autofree char *out = path_in (fx, "out.csv");
  g_autofree char *backup = path_in (fx, "copy.db");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ProgressRecord record = { 0, 0.0, TRUE, NULL };
  guint n = 0;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "Patient %u,0151 %06u\r\n", i, i);
  assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));

  /* Cancelled before it starts: nothing stored, the store still usable. */
  g_cancellable_cancel (cancellable);
  assert_false (meso_exchange_import_patients_csv_full (fx->store, path, NULL, NULL, cancellable,
                                                        &n, &error));
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  EXPECT_INT ("nothing stored", 0, count_all_patients (fx->store));
  g_clear_error (&error);

  /* Cancelled half way (at the first report, after some rows were added). */
  g_cancellable_reset (cancellable);
  record.cancel_at_first = cancellable;
  assert_false (meso_exchange_import_patients_csv_full (fx->store, path, record_progress_cb,
                                                        &record, cancellable, &n, &error));
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  EXPECT_INT ("nothing stored half way", 0, count_all_patients (fx->store));
  g_clear_error (&error);

  /* Whole: several reports, rising. */
  g_cancellable_reset (cancellable);
  record = (ProgressRecord) { 0, 0.0, TRUE, NULL };
  assert_true (meso_exchange_import_patients_csv_full (fx->store, path, record_progress_cb,
                                                       &record, cancellable, &n, &error));
  EXPECT_NO_ERROR ("import", error);
  EXPECT_INT ("imported", 1000, n);
  EXPECT ("several reports", record.calls >= 4);
  EXPECT ("rising", record.rising);

  /* Export: reports up to 1; cancelled, no file. */
  record = (ProgressRecord) { 0, 0.0, TRUE, NULL };
  assert_true (meso_exchange_export_patients_csv_full (fx->store, out, record_progress_cb,
                                                       &record, NULL, &n, &error));
  EXPECT_INT ("exported", 1000, n);
  EXPECT ("export reaches the end", record.rising && record.last == 1.0);
  g_unlink (out);
  g_cancellable_cancel (cancellable);
  assert_false (meso_exchange_export_patients_csv_full (fx->store, out, NULL, NULL, cancellable,
                                                        &n, &error));
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  EXPECT ("no export file", !g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Backup: the same (SQLite's; the server's is not the store's yet:
   * UNSUPPORTED, tests/test-store.c). */
  if (test_engine_is_postgresql ())
    return;
  record = (ProgressRecord) { 0, 0.0, TRUE, NULL };
  assert_false (meso_store_backup_full (fx->store, backup, NULL, NULL, cancellable, &error));
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  EXPECT ("no backup file", !g_file_test (backup, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  assert_true (meso_store_backup_full (fx->store, backup, record_progress_cb, &record, NULL,
                                       &error));
  EXPECT_NO_ERROR ("backup", error);
  EXPECT ("backup reaches the end", record.calls > 0 && record.rising && record.last == 1.0);
}

/* ---- iCalendar ---- */

typedef struct
{
  const char            *patient;
  MesoArea               area;
  const char            *start;      /* local, Europe/Berlin */
  guint                  minutes;
  MesoAppointmentStatus  status;
  const char            *iso_start;  /* as both parsers must read it back */
  const char            *iso_end;
  const char            *ical_status;
} EventCase;

static const EventCase event_cases[] = {
  /* The week before summer time: +01:00. */
  { "Anna Weber", MESO_AREA_FACE, "2026-03-27T10:00", 60, MESO_APPOINTMENT_BOOKED,
    "2026-03-27T10:00:00+01:00", "2026-03-27T11:00:00+01:00", "CONFIRMED" },
  /* Across the change itself: 01:30 CET plus one hour is 03:30 CEST. */
  { "Ben O'Neil, Jr.; \"BJ\"", MESO_AREA_SCALP, "2026-03-29T01:30", 60, MESO_APPOINTMENT_BOOKED,
    "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00", "CONFIRMED" },
  /* The day after: +02:00. */
  { "Zoë 🌸 مريم", MESO_AREA_NECK, "2026-03-30T10:00", 45, MESO_APPOINTMENT_BOOKED,
    "2026-03-30T10:00:00+02:00", "2026-03-30T10:45:00+02:00", "CONFIRMED" },
  { "Cleo Cancelled", MESO_AREA_DECOLLETE, "2026-03-31T11:00", 30,
    MESO_APPOINTMENT_CANCELLED, "2026-03-31T11:00:00+02:00", "2026-03-31T11:30:00+02:00",
    "CANCELLED" },
  { "Dan Checked-In", MESO_AREA_BODY, "2026-04-01T09:00", 60, MESO_APPOINTMENT_CHECKED_IN,
    "2026-04-01T09:00:00+02:00", "2026-04-01T10:00:00+02:00", "CONFIRMED" },
  /* Around the change back to winter time. */
  { "Eva No-Show", MESO_AREA_HANDS, "2026-10-23T09:00", 60, MESO_APPOINTMENT_NO_SHOW,
    "2026-10-23T09:00:00+02:00", "2026-10-23T10:00:00+02:00", "CANCELLED" },
  { "Finn Done With A Rather Long Name To Make The Summary Line Fold Ä Ö Ü 🌸🌸🌸",
    MESO_AREA_FACE, "2026-10-26T09:00", 60, MESO_APPOINTMENT_DONE,
    "2026-10-26T09:00:00+01:00", "2026-10-26T10:00:00+01:00", "CONFIRMED" },
};

static gint64
unix_of_iso (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  if (dt == NULL)
    fail_msg ("not ISO 8601: \"%s\"", iso);
  return g_date_time_to_unix (dt);
}

/* Books every event case (one patient each, so no interval rule applies)
 * and sets the statuses; returns the appointment ids in case order. */
static GArray *
book_events (MesoStore *store)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < G_N_ELEMENTS (event_cases); i++)
    {
      const EventCase *c = &event_cases[i];
      g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
      g_autoptr(GDateTime) start = local_time (c->start);
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = NULL;
      gint64 patient = add_patient_record (store, c->patient, NULL, NULL, NULL, FALSE, "", FALSE);
      gint64 id;

      meso_appointment_set_patient_id (appointment, patient);
      meso_appointment_set_area (appointment, c->area);
      meso_appointment_set_start (appointment, start);
      meso_appointment_set_minutes (appointment, c->minutes);
      if (!meso_store_book_appointment (store, appointment, MESO_ROLE_RECEPTIONIST, NULL,
                                        &error))
        fail_msg ("booking \"%s\": %s", c->patient, error->message);
      id = meso_appointment_get_id (appointment);
      g_array_append_val (ids, id);

      switch (c->status)
        {
        case MESO_APPOINTMENT_BOOKED:
          break;
        case MESO_APPOINTMENT_CANCELLED:
          assert_true (meso_store_cancel_appointment (store, id, "ill", &error));
          break;
        case MESO_APPOINTMENT_CHECKED_IN:
        case MESO_APPOINTMENT_DONE:
        case MESO_APPOINTMENT_NO_SHOW:
        default:
          /* The store has no call for these yet: set them as it would. */
          sql = g_strdup_printf ("UPDATE appointments SET status = '%s' WHERE id = %"
                                 G_GINT64_FORMAT,
                                 meso_enum_to_nick (MESO_TYPE_APPOINTMENT_STATUS, c->status), id);
          assert_true (meso_store_exec (store, sql, &error));
          break;
        }
      EXPECT_NO_ERROR (c->patient, error);
    }
  return ids;
}

static char *
expected_summary (const EventCase *c,
                  gint64           id,
                  MesoIcsFlags     flags)
{
  g_autofree char *what = NULL;

  if (flags & MESO_ICS_INCLUDE_NAME)
    what = g_strdup_printf ("Mesodesk: %s", c->patient);
  else
    what = g_strdup_printf ("Mesodesk appointment %" G_GINT64_FORMAT, id);
  if (flags & MESO_ICS_INCLUDE_AREA)
    return g_strdup_printf ("%s (%s)", what, meso_area_get_label (c->area));
  return g_steal_pointer (&what);
}

/* What one parser read of one VEVENT. */
typedef struct
{
  char   *uid;
  char   *tzid;         /* NULL for a UTC time */
  char   *iso_start;    /* local time with its offset */
  char   *iso_end;
  char   *status;
  char   *summary;
} ReadEvent;

static void
read_event_clear (ReadEvent *e)
{
  g_free (e->uid);
  g_free (e->tzid);
  g_free (e->iso_start);
  g_free (e->iso_end);
  g_free (e->status);
  g_free (e->summary);
}

static GArray *
read_events_new (void)
{
  GArray *events = g_array_new (FALSE, TRUE, sizeof (ReadEvent));

  g_array_set_clear_func (events, (GDestroyNotify)read_event_clear);
  return events;
}

/* libical: a date-time property as ISO 8601 with the offset its VTIMEZONE
 * (from the file itself, not libical's own zones) gives at that moment. */
static char *
libical_iso (icalcomponent *calendar,
             icalproperty  *prop,
             char         **tzid_out)
{
  struct icaltimetype t = icalvalue_get_datetime (icalproperty_get_value (prop));
  icalparameter *param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  icaltimezone *zone;
  int offset, is_daylight = 0;

  if (param == NULL)
    {
      assert_true (icaltime_is_utc (t));
      *tzid_out = NULL;
      utc = g_date_time_new_utc (t.year, t.month, t.day, t.hour, t.minute, t.second);
      return g_date_time_format (utc, ISO_WITH_OFFSET);
    }

  *tzid_out = g_strdup (icalparameter_get_tzid (param));
  zone = icalcomponent_get_timezone (calendar, *tzid_out);
  if (zone == NULL)
    fail_msg ("no VTIMEZONE for \"%s\" in the file", *tzid_out);
  assert_false (icaltime_is_utc (t));
  offset = icaltimezone_get_utc_offset (zone, &t, &is_daylight);
  /* The instant by the file's own rules, shown in that offset. */
  utc = g_date_time_new_from_unix_utc ((gint64)icaltime_as_timet_with_zone (t, zone));
  tz = g_time_zone_new_offset (offset);
  local = g_date_time_to_timezone (utc, tz);
  assert_int_equal (g_date_time_get_hour (local), t.hour);
  assert_int_equal (g_date_time_get_minute (local), t.minute);
  return g_date_time_format (local, ISO_WITH_OFFSET);
}

static void
count_errors_cb (icalcomponent *component,
                 guint         *n_errors)
{
  for (icalproperty *p = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (component, ICAL_XLICERROR_PROPERTY))
    {
      print_error ("libical: %s\n", icalproperty_get_xlicerror (p));
      (*n_errors)++;
    }
  for (icalcomponent *c = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
    count_errors_cb (c, n_errors);
}

static GArray *
read_with_libical (const char *path)
{
  g_autofree char *text = read_file (path);
  GArray *events = read_events_new ();
  icalcomponent *calendar = icalparser_parse_string (text);
  guint n_errors = 0;

  if (calendar == NULL)
    fail_msg ("libical could not parse %s", path);
  assert_int_equal (icalcomponent_isa (calendar), ICAL_VCALENDAR_COMPONENT);
  count_errors_cb (calendar, &n_errors);
  assert_int_equal (n_errors, 0);
  EXPECT_STR ("version", "2.0",
              icalproperty_get_version (
                icalcomponent_get_first_property (calendar, ICAL_VERSION_PROPERTY)));
  EXPECT_STR ("prodid", "-//Mesodesk//Mesodesk " PACKAGE_VERSION "//EN",
              icalproperty_get_prodid (
                icalcomponent_get_first_property (calendar, ICAL_PRODID_PROPERTY)));

  for (icalcomponent *event = icalcomponent_get_first_component (calendar,
                                                                 ICAL_VEVENT_COMPONENT);
       event != NULL;
       event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    {
      ReadEvent e = { 0 };
      g_autofree char *end_tzid = NULL;
      icalproperty *stamp = icalcomponent_get_first_property (event, ICAL_DTSTAMP_PROPERTY);

      assert_non_null (stamp);
      assert_true (icaltime_is_utc (icalproperty_get_dtstamp (stamp)));
      e.uid = g_strdup (icalcomponent_get_uid (event));
      e.iso_start = libical_iso (calendar,
                                 icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY),
                                 &e.tzid);
      e.iso_end = libical_iso (calendar,
                               icalcomponent_get_first_property (event, ICAL_DTEND_PROPERTY),
                               &end_tzid);
      EXPECT_STR ("same zone at both ends", e.tzid, end_tzid);
      e.status = g_strdup (icalproperty_status_to_string (icalcomponent_get_status (event)));
      e.summary = g_strdup (icalcomponent_get_summary (event));
      g_array_append_val (events, e);
    }
  icalcomponent_free (calendar);
  return events;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* check-ics.py's JSON about @path. */
static JsonObject *
run_check_ics (const char *path,
               JsonParser *parser)
{
  const char *script = g_getenv ("MESODESK_CHECK_ICS");
  const char *argv[] = { PYTHON, script, path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (script == NULL)
    fail_msg ("MESODESK_CHECK_ICS is not set: run the test through meson");
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    fail_msg ("could not run %s: %s", PYTHON, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    fail_msg ("check-ics.py failed (is python3-icalendar installed?): %s\n%s", error->message,
              err);
  if (!json_parser_load_from_data (parser, out, -1, &error))
    fail_msg ("check-ics.py printed no JSON: %s", error->message);
  return json_node_get_object (json_parser_get_root (parser));
}

static GArray *
read_with_python (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *events = read_events_new ();
  JsonObject *root = run_check_ics (path, parser);
  JsonArray *list;

  EXPECT_STR ("python prodid", "-//Mesodesk//Mesodesk " PACKAGE_VERSION "//EN",
              json_object_get_string_member (root, "prodid"));
  EXPECT_STR ("python version", "2.0", json_object_get_string_member (root, "version"));
  list = json_object_get_array_member (root, "events");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *event = json_array_get_object_element (list, i);
      JsonObject *start = json_object_get_object_member (event, "dtstart");
      JsonObject *end = json_object_get_object_member (event, "dtend");
      g_autofree char *end_tzid = dup_member (end, "tzid");
      ReadEvent e = {
        .uid = dup_member (event, "uid"),
        .tzid = dup_member (start, "tzid"),
        .iso_start = dup_member (start, "iso"),
        .iso_end = dup_member (end, "iso"),
        .status = dup_member (event, "status"),
        .summary = dup_member (event, "summary"),
      };

      EXPECT_STR ("python: same zone at both ends", e.tzid, end_tzid);
      g_array_append_val (events, e);
    }
  return events;
}

/* Every event as both parsers read it, against the cases in @which. */
static void
check_events (const char    *path,
              const char    *parser,
              GArray        *events,
              const guint   *which,
              guint          n_which,
              GArray        *ids,
              MesoIcsFlags   flags,
              const char    *tzid)
{
  /* The expected local times are Europe/Berlin's. */
  gboolean compare_local = g_strcmp0 (tzid, "Europe/Berlin") == 0;

  EXPECT_INT (parser, n_which, events->len);
  for (guint i = 0; i < events->len && i < n_which; i++)
    {
      const EventCase *c = &event_cases[which[i]];
      ReadEvent *e = &g_array_index (events, ReadEvent, i);
      g_autofree char *summary = expected_summary (c, g_array_index (ids, gint64, which[i]),
                                                   flags);
      g_autofree char *what = g_strdup_printf ("%s, %s: %s", parser, path, c->patient);

      EXPECT_STR (what, tzid, e->tzid);
      if (compare_local)
        {
          /* Local time and UTC offset exactly as the clinic sees them. */
          EXPECT_STR (what, c->iso_start, e->iso_start);
          EXPECT_STR (what, c->iso_end, e->iso_end);
        }
      /* Whatever the zone, the same instants. */
      EXPECT_INT (what, unix_of_iso (c->iso_start), unix_of_iso (e->iso_start));
      EXPECT_INT (what, unix_of_iso (c->iso_end), unix_of_iso (e->iso_end));
      EXPECT_STR (what, c->ical_status, e->status);
      EXPECT_STR (what, summary, e->summary);
      if (!(flags & MESO_ICS_INCLUDE_AREA))
        EXPECT (what, strstr (e->summary, meso_area_get_label (c->area)) == NULL);
      if (!(flags & MESO_ICS_INCLUDE_NAME))
        EXPECT (what, strstr (e->summary, c->patient) == NULL);
    }
}

static void
expect_uids (GArray *events,
             GArray *ids)
{
  assert_int_equal (events->len, ids->len);
  for (guint i = 0; i < events->len; i++)
    {
      ReadEvent *e = &g_array_index (events, ReadEvent, i);
      g_autofree char *prefix = g_strdup_printf ("appointment-%" G_GINT64_FORMAT "-",
                                                 g_array_index (ids, gint64, i));

      EXPECT (e->uid, g_str_has_prefix (e->uid, prefix));
      /* …@<this database's install id>.mesodesk.invalid */
      EXPECT (e->uid, g_str_has_suffix (e->uid, ".mesodesk.invalid"));
      EXPECT (e->uid, strchr (e->uid, '@') != NULL && strlen (strchr (e->uid, '@')) ==
                        strlen ("@.mesodesk.invalid") + 32);
      for (guint j = 0; j < i; j++)
        EXPECT (e->uid, strcmp (e->uid, g_array_index (events, ReadEvent, j).uid) != 0);
    }
}

static void
test_ics_export (void **state)
{
  Fixture *fx = *state;
  static const guint all[] = { 0, 1, 2, 3, 4, 5, 6 };
  g_autoptr(GArray) ids = book_events (fx->store);
  g_autofree char *first = path_in (fx, "first.ics");
  g_autofree char *second = path_in (fx, "second.ics");
  g_autofree char *with_area = path_in (fx, "area.ics");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lib_first = NULL;
  g_autoptr(GArray) lib_second = NULL;
  g_autoptr(GArray) lib_area = NULL;
  g_autoptr(GArray) py_first = NULL;
  g_autoptr(GArray) py_second = NULL;
  g_autoptr(GArray) py_area = NULL;
  g_autofree char *text = NULL;
  g_autofree char *entries = NULL;
  GStatBuf st;
  guint n = 0;

  assert_true (meso_exchange_export_ics (fx->store, first, NULL, NULL, MESO_ICS_DEFAULT, &n, &error));
  EXPECT_NO_ERROR ("export", error);
  EXPECT_INT ("export", G_N_ELEMENTS (event_cases), n);

  /* A later export, after another booking elsewhere: the same UIDs. */
  add_patient_record (fx->store, "Someone Else", NULL, NULL, NULL, FALSE, "", FALSE);
  g_setenv ("MESODESK_NOW", "2026-03-21T08:00", TRUE);
  assert_true (meso_exchange_export_ics (fx->store, second, NULL, NULL, MESO_ICS_DEFAULT, &n, &error));
  assert_true (meso_exchange_export_ics (fx->store, with_area, NULL, NULL,
                                         MESO_ICS_INCLUDE_NAME | MESO_ICS_INCLUDE_AREA, &n,
                                         &error));
  EXPECT_NO_ERROR ("export again", error);

  text = read_file (first);
  EXPECT (first, g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  EXPECT_CONTAINS (first, text, "DTSTART;TZID=Europe/Berlin:20260329T013000\r\n");
  EXPECT_CONTAINS (first, text, "DTEND;TZID=Europe/Berlin:20260329T033000\r\n");
  EXPECT_CONTAINS (first, text, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n");
  EXPECT (first, strstr (text, meso_area_get_label (MESO_AREA_SCALP)) == NULL);
  assert_int_equal (g_stat (first, &st), 0);
  EXPECT_INT ("private file", 0600, st.st_mode & 0777);
  entries = list_dir (fx->dir);
  EXPECT_STR ("no temporary files", "area.ics first.ics second.ics", entries);

  lib_first = read_with_libical (first);
  lib_second = read_with_libical (second);
  lib_area = read_with_libical (with_area);
  py_first = read_with_python (first);
  py_second = read_with_python (second);
  py_area = read_with_python (with_area);

  check_events (first, "libical", lib_first, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  check_events (second, "libical", lib_second, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  check_events (with_area, "libical", lib_area, all, G_N_ELEMENTS (all), ids,
                MESO_ICS_INCLUDE_NAME | MESO_ICS_INCLUDE_AREA, "Europe/Berlin");
  check_events (first, "python", py_first, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  check_events (second, "python", py_second, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  check_events (with_area, "python", py_area, all, G_N_ELEMENTS (all), ids,
                MESO_ICS_INCLUDE_NAME | MESO_ICS_INCLUDE_AREA, "Europe/Berlin");

  expect_uids (lib_first, ids);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *uid = g_array_index (lib_first, ReadEvent, i).uid;

      EXPECT_STR ("stable uid", uid, g_array_index (lib_second, ReadEvent, i).uid);
      EXPECT_STR ("stable uid", uid, g_array_index (lib_area, ReadEvent, i).uid);
      EXPECT_STR ("python uid", uid, g_array_index (py_first, ReadEvent, i).uid);
      EXPECT_STR ("python uid", uid, g_array_index (py_second, ReadEvent, i).uid);
    }
}

/* Whether any word of two letters or more of a patient's name is in one of
 * @texts: a calendar file that names no one holds none. */
static gboolean
texts_name_patient (JsonArray       *texts,
                    const EventCase *c)
{
  g_auto(GStrv) words = g_strsplit (c->patient, " ", -1);

  for (guint i = 0; i < json_array_get_length (texts); i++)
    for (guint w = 0; words[w] != NULL; w++)
      if (strlen (words[w]) > 2 && strstr (json_array_get_string_element (texts, i), words[w]))
        return TRUE;
  return FALSE;
}

/* A calendar file goes to phones and shared calendars: by default it names
 * no patient anywhere (summary, UID, description, attendee …), as a real
 * parser reads it and in the raw, unfolded text. */
static void
test_ics_names_only_when_asked (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GArray) ids = book_events (fx->store);
  g_autofree char *plain = path_in (fx, "plain.ics");
  g_autofree char *named = path_in (fx, "named.ics");
  g_autoptr(JsonParser) plain_parser = json_parser_new ();
  g_autoptr(JsonParser) named_parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *unfolded = NULL;
  g_autofree char *first_event = NULL;
  JsonArray *plain_texts, *named_texts;
  guint n = 0;

  assert_true (meso_exchange_export_ics (fx->store, plain, NULL, NULL, MESO_ICS_DEFAULT, &n,
                                         &error));
  assert_true (meso_exchange_export_ics (fx->store, named, NULL, NULL, MESO_ICS_INCLUDE_NAME, &n,
                                         &error));
  EXPECT_NO_ERROR ("export", error);

  text = read_file (plain);
  {
    g_auto(GStrv) lines = g_strsplit (text, "\r\n ", -1);

    unfolded = g_strjoinv ("", lines);
  }
  plain_texts = json_object_get_array_member (run_check_ics (plain, plain_parser), "texts");
  named_texts = json_object_get_array_member (run_check_ics (named, named_parser), "texts");
  EXPECT ("python read every property", json_array_get_length (plain_texts) > 7 * 6);
  for (guint i = 0; i < G_N_ELEMENTS (event_cases); i++)
    {
      const EventCase *c = &event_cases[i];
      g_auto(GStrv) words = g_strsplit (c->patient, " ", -1);

      EXPECT (c->patient, !texts_name_patient (plain_texts, c));
      EXPECT (c->patient, strstr (unfolded, words[0]) == NULL);
      EXPECT (c->patient, texts_name_patient (named_texts, c));
    }
  first_event = g_strdup_printf ("SUMMARY:Mesodesk appointment %" G_GINT64_FORMAT "\r\n",
                                 g_array_index (ids, gint64, 0));
  EXPECT_CONTAINS ("its number", unfolded, first_event);
}

static void
test_ics_range (void **state)
{
  Fixture *fx = *state;
  static const guint dst_weekend[] = { 1, 2 };
  static const guint until_april[] = { 0, 1, 2, 3 };
  static const guint from_april[] = { 4, 5, 6 };
  g_autoptr(GArray) ids = book_events (fx->store);
  g_autoptr(GDateTime) sunday = local_time ("2026-03-29T00:00");
  g_autoptr(GDateTime) tuesday = local_time ("2026-03-31T00:00");
  g_autoptr(GDateTime) april = local_time ("2026-04-01T09:00");
  g_autofree char *path = path_in (fx, "range.ics");
  g_autoptr(GError) error = NULL;
  guint n = 0;

  {
    g_autoptr(GArray) events = NULL;

    assert_true (meso_exchange_export_ics (fx->store, path, sunday, tuesday, MESO_ICS_DEFAULT, &n, &error));
    EXPECT_NO_ERROR ("range", error);
    EXPECT_INT ("range", 2, n);
    events = read_with_libical (path);
    check_events (path, "libical", events, dst_weekend, 2, ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  }
  {
    g_autoptr(GArray) events = NULL;

    /* The end is exclusive: an appointment at 09:00 on 1 April is not before it. */
    assert_true (meso_exchange_export_ics (fx->store, path, NULL, april, MESO_ICS_DEFAULT, &n, &error));
    EXPECT_INT ("until", 4, n);
    events = read_with_python (path);
    check_events (path, "python", events, until_april, 4, ids, MESO_ICS_DEFAULT, "Europe/Berlin");
  }
  {
    g_autoptr(GArray) events = NULL;

    assert_true (meso_exchange_export_ics (fx->store, path, april, NULL, MESO_ICS_INCLUDE_AREA, &n, &error));
    EXPECT_INT ("from", 3, n);
    events = read_with_libical (path);
    check_events (path, "libical", events, from_april, 3, ids, MESO_ICS_INCLUDE_AREA, "Europe/Berlin");
  }
  {
    g_autoptr(GArray) events = NULL;
    g_autoptr(GDateTime) far = local_time ("2030-01-01T00:00");

    assert_true (meso_exchange_export_ics (fx->store, path, far, NULL, MESO_ICS_DEFAULT, &n, &error));
    EXPECT_INT ("empty", 0, n);
    events = read_with_python (path);
    EXPECT_INT ("empty", 0, events->len);
  }
}

typedef struct
{
  const char *tz;
  const char *tzid;   /* what the file names; NULL: UTC times */
} ZoneCase;

static const ZoneCase zone_cases[] = {
  { "Europe/Berlin", "Europe/Berlin" },
  { ":Europe/Berlin", "Europe/Berlin" },
  { "/usr/share/zoneinfo/America/New_York", "America/New_York" },
  { ":/usr/share/zoneinfo/Asia/Kolkata", "Asia/Kolkata" },
  { "UTC", NULL },
  { "Etc/UTC", NULL },
  { "<+03>-3", NULL },               /* a POSIX rule: no zone name */
  { "CET-1CEST,M3.5.0,M10.5.0/3", NULL },
};

/* Whatever the zone, every instant is right for both parsers; the zone's
 * name is used when there is one. */
static void
test_ics_zones (void **state)
{
  Fixture *fx = *state;
  static const guint all[] = { 0, 1, 2, 3, 4, 5, 6 };
  g_autoptr(GArray) ids = book_events (fx->store);
  g_autofree char *path = path_in (fx, "zone.ics");

  for (guint i = 0; i < G_N_ELEMENTS (zone_cases); i++)
    {
      const ZoneCase *c = &zone_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) lib = NULL;
      g_autoptr(GArray) py = NULL;
      g_autofree char *text = NULL;
      guint n = 0;

      g_setenv ("TZ", c->tz, TRUE);
      tzset ();
      assert_true (meso_exchange_export_ics (fx->store, path, NULL, NULL, MESO_ICS_DEFAULT, &n, &error));
      EXPECT_NO_ERROR (c->tz, error);
      text = read_file (path);
      if (c->tzid == NULL)
        {
          EXPECT (c->tz, strstr (text, "VTIMEZONE") == NULL);
          EXPECT_CONTAINS (c->tz, text, "DTSTART:20260329T003000Z\r\n");
        }
      lib = read_with_libical (path);
      py = read_with_python (path);
      check_events (c->tz, "libical", lib, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, c->tzid);
      check_events (c->tz, "python", py, all, G_N_ELEMENTS (all), ids, MESO_ICS_DEFAULT, c->tzid);
    }
}

/* ---- the same files on both engines ---- */

/* Imports @csv into @store, books the event cases, and gives back the
 * patients' CSV and the calendar (names and areas), the install id in the
 * events' UIDs replaced. */
static char *
files_from (Fixture    *fx,
            MesoStore  *store,
            const char *csv,
            const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *csv_out = g_strdup_printf ("%s/%s.csv", fx->dir, prefix);
  g_autofree char *ics_out = g_strdup_printf ("%s/%s.ics", fx->dir, prefix);
  g_autofree char *csv_text = NULL;
  g_autofree char *ics_text = NULL;
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  assert_true (meso_exchange_import_patients_csv (store, csv, &n, &error));
  EXPECT_NO_ERROR ("import", error);
  ids = book_events (store);
  assert_true (meso_exchange_export_patients_csv (store, csv_out, &n, &error));
  EXPECT_NO_ERROR ("export CSV", error);
  assert_true (meso_exchange_export_ics (store, ics_out, NULL, NULL,
                                         MESO_ICS_INCLUDE_NAME | MESO_ICS_INCLUDE_AREA, &n,
                                         &error));
  EXPECT_NO_ERROR ("export iCalendar", error);
  csv_text = read_file (csv_out);
  ics_text = read_file (ics_out);
  parts = g_strsplit (ics_text, meso_store_get_install_id (store), -1);
  g_free (ics_text);
  ics_text = g_strjoinv ("INSTALL-ID", parts);
  return g_strconcat (csv_text, "\n", ics_text, NULL);
}

/* Issue 15: a clinic's files come out of the server as out of an SQLite
 * file, byte for byte: patients in the same order (names whose order
 * depends on a collation), the same rows, the same events. */
static void
test_same_files_as_sqlite (void **state)
{
  Fixture *fx = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *twin_path = path_in (fx, "twin.db");
  g_autoptr(MesoStore) twin = meso_store_open (twin_path, &error);
  g_autofree char *csv = write_file (fx, "in.csv",
                                     "name,phone,email,birth_date,sensitive_skin,notes,archived\n"
                                     "émile,030 1,e@example.org,1980-01-02,1,note,0\n"
                                     "Zoë,,,,0,,0\n"
                                     "anna,,,,0,,1\n"
                                     "Ärztin Ada,,,,0,,0\n"
                                     "_x,,,,0,,0\n"
                                     "ß Straße,,,,0,,0\n"
                                     "Åsa,,,,0,,0\n"
                                     "bob,,,,0,,0\n"
                                     "Bob,,,,0,\"two, lines\r\nhere\",0\n"
                                     "10 Ten,,,,0,,0\n"
                                     "9 Nine,,,,0,,0\n"
                                     "Émile,,,,0,,0\n",
                                     -1);
  g_autofree char *on_sqlite = NULL;
  g_autofree char *here = NULL;

  EXPECT_NO_ERROR ("open the SQLite twin", error);
  on_sqlite = files_from (fx, twin, csv, "sqlite");
  here = files_from (fx, fx->store, csv, "here");
  EXPECT_STR ("the same files", on_sqlite, here);
  EXPECT_CONTAINS ("archived exported", here, ",anna,");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_csv_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_formula_cells, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_export_empty_and_replace, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_export_write_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_import_good, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_import_bad, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_import_missing_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_progress_and_cancel, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv_progress_rows, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ics_export, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ics_names_only_when_asked, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ics_range, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ics_zones, setup, teardown),
    cmocka_unit_test_setup_teardown (test_same_files_as_sqlite, setup, teardown),
  };

  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  /* Before anything reads the clock or the zone. */
  use_test_time_zone ();
  g_setenv ("MESODESK_NOW", NOW, TRUE);

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
