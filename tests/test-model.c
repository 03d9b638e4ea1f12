/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model objects: patient, session and appointment. Their properties,
 * their change notifications, and the patient's field validation with a
 * case on each side of every limit. "Today" is pinned to 21 November 2026
 * in Europe/Berlin. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-appointment.h"
#include "meso-enum-types.h"
#include "meso-patient.h"
#include "meso-session.h"
#include "meso-text.h"

#include "meso-test.h"

#define TODAY_NOW "2026-11-21T09:00"

/* An e-mail address of exactly @n_bytes bytes. */
static char *
email_of_length (gsize n_bytes)
{
  const char *domain = "@example.org";
  g_autofree char *local = repeat ("a", n_bytes - strlen (domain));

  return g_strconcat (local, domain, NULL);
}

/* A phone number of exactly @n_chars characters. */
static char *
phone_of_length (gsize n_chars)
{
  g_autofree char *digits = repeat ("1", n_chars - 1);

  return g_strconcat ("+", digits, NULL);
}

static int
pin_clock (void **state)
{
  g_setenv ("MESODESK_NOW", TODAY_NOW, TRUE);
  return 0;
}

static int
unpin_clock (void **state)
{
  g_unsetenv ("MESODESK_NOW");
  return 0;
}

/* Counts "notify" emissions into @count. */
static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* ---- the patient's validation ---------------------------------------- */

/* A valid patient, with one field replaced per case. NULL keeps the valid
 * value; the "…_len" fields, when non-zero, build a long value instead. */
static const struct
{
  const char *what;
  const char *name;
  guint       name_e_chars;     /* that many "é" */
  const char *birth_date;
  const char *email;
  gsize       email_bytes;
  const char *phone;
  gsize       phone_chars;
  gsize       notes_bytes;
  const char *bad_field;        /* NULL: valid */
  const char *message_part;     /* what the message must mention */
} validate_cases[] = {
  { "valid", NULL, 0, NULL, NULL, 0, NULL, 0, 0, NULL, NULL },

  /* name: non-blank, at most 200 characters */
  { "name blank", "   ", 0, NULL, NULL, 0, NULL, 0, 0, "name", "empty" },
  { "name empty", "", 0, NULL, NULL, 0, NULL, 0, 0, "name", "empty" },
  { "name tab and newline", "\t\n", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  /* no control character: a name is one line of a list */
  { "name with a tab", "Anna\tBerg", 0, NULL, NULL, 0, NULL, 0, 0, "name", "Name: control" },
  { "name with a newline", "Anna\n2\tEve", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  { "name with ESC", "Anna\x1b[31m", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  { "name with CR", "Anna\rEve", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  { "name with DEL", "Anna\x7f", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  { "name with C1 CSI", "Anna\xc2\x9b", 0, NULL, NULL, 0, NULL, 0, 0, "name", "control" },
  { "name with U+00A0", "Anna\xc2\xa0" "Berg", 0, NULL, NULL, 0, NULL, 0, 0, NULL,
    NULL },
  { "name with spaces around", "  Anna Berg  ", 0, NULL, NULL, 0, NULL, 0, 0, NULL, NULL },
  { "name one letter", "A", 0, NULL, NULL, 0, NULL, 0, 0, NULL, NULL },
  { "name 200 characters", NULL, 200, NULL, NULL, 0, NULL, 0, 0, NULL, NULL },
  { "name 201 characters", NULL, 201, NULL, NULL, 0, NULL, 0, 0, "name", "200" },
  { "name not UTF-8", "Anna \xf0", 0, NULL, NULL, 0, NULL, 0, 0, "name",
    "Name: this is not valid UTF-8" },

  /* birth date: a real date, 1900-01-01 … today */
  { "birth date 30 February", NULL, 0, "2026-02-30", NULL, 0, NULL, 0, 0,
    "birth-date", "“2026-02-30”" },
  { "birth date German form", NULL, 0, "30.01.1980", NULL, 0, NULL, 0, 0,
    "birth-date", "YYYY-MM-DD" },
  { "birth date trailing text", NULL, 0, "1980-01-30x", NULL, 0, NULL, 0, 0,
    "birth-date", "YYYY-MM-DD" },
  { "birth date ordinary", NULL, 0, "1980-01-30", NULL, 0, NULL, 0, 0, NULL, NULL },
  { "birth date today", NULL, 0, "2026-11-21", NULL, 0, NULL, 0, 0, NULL, NULL },
  { "birth date tomorrow", NULL, 0, "2026-11-22", NULL, 0, NULL, 0, 0,
    "birth-date", "future" },
  { "birth date 1900-01-01", NULL, 0, "1900-01-01", NULL, 0, NULL, 0, 0, NULL, NULL },
  { "birth date 1899-12-31", NULL, 0, "1899-12-31", NULL, 0, NULL, 0, 0,
    "birth-date", "1900" },

  /* e-mail: one @, a local part, a dotted domain, no spaces, ≤ 254 bytes */
  { "email a@b.c", NULL, 0, NULL, "a@b.c", 0, NULL, 0, 0, NULL, NULL },
  { "email ordinary", NULL, 0, NULL, "anna.berg+praxis@example.co.uk", 0, NULL, 0, 0,
    NULL, NULL },
  { "email without @", NULL, 0, NULL, "ab.c", 0, NULL, 0, 0, "email", "“ab.c”" },
  { "email undotted domain", NULL, 0, NULL, "a@b", 0, NULL, 0, 0, "email", "“a@b”" },
  { "email with space", NULL, 0, NULL, "a b@c.d", 0, NULL, 0, 0, "email", "“a b@c.d”" },
  { "email without local part", NULL, 0, NULL, "@b.c", 0, NULL, 0, 0, "email", "@b.c" },
  { "email two @", NULL, 0, NULL, "a@@b.c", 0, NULL, 0, 0, "email", "a@@b.c" },
  { "email two @ apart", NULL, 0, NULL, "a@b@c.d", 0, NULL, 0, 0, "email", "a@b@c.d" },
  { "email domain starts with dot", NULL, 0, NULL, "a@.c", 0, NULL, 0, 0, "email", "a@.c" },
  { "email domain ends with dot", NULL, 0, NULL, "a@b.", 0, NULL, 0, 0, "email", "a@b." },
  { "email not UTF-8", NULL, 0, NULL, "a\xff@b.c", 0, NULL, 0, 0, "email",
    "E-mail: this is not" },
  { "email with ESC", NULL, 0, NULL, "a\x1b@b.c", 0, NULL, 0, 0, "email", "E-mail: control" },
  { "email 254 bytes", NULL, 0, NULL, NULL, 254, NULL, 0, 0, NULL, NULL },
  { "email 255 bytes", NULL, 0, NULL, NULL, 255, NULL, 0, 0, "email", "254" },

  /* phone: digits and + - ( ) . / space, ≥ 3 digits, ≤ 40 characters */
  { "phone with punctuation", NULL, 0, NULL, NULL, 0, "+49 (030) 123-45", 0, 0, NULL, NULL },
  { "phone dots and slash", NULL, 0, NULL, NULL, 0, "030/123.45", 0, 0, NULL, NULL },
  { "phone 3 digits", NULL, 0, NULL, NULL, 0, "112", 0, 0, NULL, NULL },
  { "phone 2 digits", NULL, 0, NULL, NULL, 0, "12", 0, 0, "phone", "“12”" },
  { "phone 2 digits padded", NULL, 0, NULL, NULL, 0, "+(1) 2-", 0, 0, "phone", "+(1) 2-" },
  { "phone words", NULL, 0, NULL, NULL, 0, "call me", 0, 0, "phone", "“call me”" },
  { "phone not UTF-8", NULL, 0, NULL, NULL, 0, "030 \xff", 0, 0, "phone", "UTF-8" },
  { "phone with a tab", NULL, 0, NULL, NULL, 0, "030\t123", 0, 0, "phone", "Phone: control" },
  { "phone with a letter", NULL, 0, NULL, NULL, 0, "030 123 45 x", 0, 0, "phone", "x" },
  { "phone 40 characters", NULL, 0, NULL, NULL, 0, NULL, 40, 0, NULL, NULL },
  { "phone 41 characters", NULL, 0, NULL, NULL, 0, NULL, 41, 0, "phone", "40" },

  /* notes: up to 10 000 characters */
  { "notes 10 000", NULL, 0, NULL, NULL, 0, NULL, 0, 10 * 1000, NULL, NULL },
  { "notes 10 001", NULL, 0, NULL, NULL, 0, NULL, 0, 10 * 1000 + 1, "notes", "10000" },

  /* the first bad field is the one reported */
  { "blank name and bad e-mail", "  ", 0, NULL, "ab.c", 0, NULL, 0, 0, "name", "empty" },
};

static MesoPatient *
valid_patient (void)
{
  MesoPatient *patient = meso_patient_new ();

  meso_patient_set_name (patient, "Anna Berg");
  meso_patient_set_birth_date (patient, "1985-04-12");
  meso_patient_set_email (patient, "anna@example.org");
  meso_patient_set_phone (patient, "+49 30 1234567");
  meso_patient_set_notes (patient, "Prefers morning appointments.");
  return patient;
}

static void
test_patient_validate (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      const char *what = validate_cases[i].what;
      g_autoptr(MesoPatient) patient = valid_patient ();
      g_autoptr(GError) error = NULL;
      const char *field = "unset";
      gboolean ok;

      if (validate_cases[i].name != NULL)
        meso_patient_set_name (patient, validate_cases[i].name);
      if (validate_cases[i].name_e_chars > 0)
        {
          g_autofree char *name = repeat ("é", validate_cases[i].name_e_chars);
          meso_patient_set_name (patient, name);
        }
      if (validate_cases[i].birth_date != NULL)
        meso_patient_set_birth_date (patient, validate_cases[i].birth_date);
      if (validate_cases[i].email != NULL)
        meso_patient_set_email (patient, validate_cases[i].email);
      if (validate_cases[i].email_bytes > 0)
        {
          g_autofree char *email = email_of_length (validate_cases[i].email_bytes);
          EXPECT_INT (what, validate_cases[i].email_bytes, strlen (email));
          meso_patient_set_email (patient, email);
        }
      if (validate_cases[i].phone != NULL)
        meso_patient_set_phone (patient, validate_cases[i].phone);
      if (validate_cases[i].phone_chars > 0)
        {
          g_autofree char *phone = phone_of_length (validate_cases[i].phone_chars);
          EXPECT_INT (what, validate_cases[i].phone_chars, strlen (phone));
          meso_patient_set_phone (patient, phone);
        }
      if (validate_cases[i].notes_bytes > 0)
        {
          g_autofree char *notes = repeat ("n", validate_cases[i].notes_bytes);
          meso_patient_set_notes (patient, notes);
        }

      ok = meso_patient_validate (patient, &field, &error);

      if (validate_cases[i].bad_field == NULL)
        {
          EXPECT (what, ok);
          EXPECT (what, error == NULL);
          EXPECT_STR (what, NULL, field);
        }
      else
        {
          EXPECT (what, !ok);
          EXPECT_STR (what, validate_cases[i].bad_field, field);
          EXPECT (what, g_error_matches (error, MESO_PATIENT_ERROR,
                                         MESO_PATIENT_ERROR_INVALID));
          EXPECT_CONTAINS (what, error->message, validate_cases[i].message_part);
          EXPECT (what, g_utf8_validate (error->message, -1, NULL));
        }

      /* @field and @error are both optional. */
      EXPECT_INT (what, ok, meso_patient_validate (patient, NULL, NULL));

      /* The one-field check a form makes says the same of the field. */
      if (!ok)
        {
          g_autoptr(GError) field_error = NULL;
          g_autofree char *value = NULL;

          g_object_get (patient, field, &value, NULL);
          EXPECT (what, !meso_patient_validate_field (field, value, &field_error));
          EXPECT (what, field_error != NULL);
          EXPECT_STR (what, error->message, field_error->message);
        }
      else
        {
          static const char *fields[] = { "name", "birth-date", "email", "phone", "notes" };

          for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
            {
              g_autofree char *value = NULL;

              g_object_get (patient, fields[j], &value, NULL);
              EXPECT (what, meso_patient_validate_field (fields[j], value, NULL));
            }
        }
    }

  /* Not given: only the name is required. */
  assert_false (meso_patient_validate_field ("name", NULL, NULL));
  assert_true (meso_patient_validate_field ("birth-date", NULL, NULL));
  assert_true (meso_patient_validate_field ("email", NULL, NULL));
  assert_true (meso_patient_validate_field ("phone", NULL, NULL));
  assert_true (meso_patient_validate_field ("notes", NULL, NULL));
}

/* ---- every typed text: meso_text_validate() -------------------------- */

static const struct
{
  MesoTextField  field;
  const char    *label;       /* what its messages start with */
  guint          max_chars;
  gboolean       multi_line;
} text_fields[] = {
  { MESO_TEXT_PATIENT_NAME, "Name:", 200, FALSE },
  { MESO_TEXT_PHONE, "Phone:", 40, FALSE },
  { MESO_TEXT_EMAIL, "E-mail:", 254, FALSE },
  { MESO_TEXT_PATIENT_NOTES, "Notes:", 10000, TRUE },
  { MESO_TEXT_ACTIVES, "Actives:", 1000, FALSE },
  { MESO_TEXT_LOT, "Lot:", 200, FALSE },
  { MESO_TEXT_SESSION_NOTES, "Notes:", 10000, TRUE },
  { MESO_TEXT_OVERRIDE_REASON, "Override reason:", 1000, FALSE },
  { MESO_TEXT_CANCEL_REASON, "Cancel reason:", 1000, FALSE },
  { MESO_TEXT_PRACTITIONER_NAME, "Practitioner:", 200, FALSE },
  { MESO_TEXT_ROOM_NAME, "Room:", 200, FALSE },
  { MESO_TEXT_CONTACT_NOTE, "Notes:", 10000, TRUE },
  { MESO_TEXT_CONTACT_OUTCOME, "Outcome:", 200, FALSE },
};

/* What each field does with a text: NULL passes, else the message's part. */
static void
expect_text (guint       i,
             const char *what,
             const char *text,
             const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s, %s", text_fields[i].label, what);
  gboolean ok = meso_text_validate (text_fields[i].field, text, &error);

  if (message_part == NULL)
    {
      EXPECT (name, ok);
      EXPECT_NO_ERROR (name, error);
      return;
    }
  EXPECT (name, !ok);
  EXPECT (name, g_error_matches (error, MESO_TEXT_ERROR, MESO_TEXT_ERROR_INVALID));
  if (error != NULL)
    {
      EXPECT (name, g_str_has_prefix (error->message, text_fields[i].label));
      EXPECT_CONTAINS (name, error->message, message_part);
    }
}

static void
test_text_validate (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      guint max = text_fields[i].max_chars;
      /* Two bytes a character: the limit counts characters, not bytes. */
      g_autofree char *at_max = repeat ("é", max);
      g_autofree char *over = repeat ("é", max + 1);
      g_autofree char *limit = g_strdup_printf ("%u", max);
      const char *line_control = text_fields[i].multi_line ? NULL : "control";

      EXPECT_INT (text_fields[i].label, max, meso_text_max_chars (text_fields[i].field));
      EXPECT_INT (text_fields[i].label, text_fields[i].multi_line,
                  meso_text_is_multi_line (text_fields[i].field));
      expect_text (i, "not given", NULL, NULL);
      expect_text (i, "empty", "", NULL);
      expect_text (i, "at the limit", at_max, NULL);
      expect_text (i, "one over", over, limit);
      expect_text (i, "invalid UTF-8", "ab\xc3\x28", "not valid UTF-8");
      expect_text (i, "overlong NUL", "a\xc0\x80", "not valid UTF-8");
      expect_text (i, "a tab", "a\tb", line_control);
      expect_text (i, "a newline", "a\nb", line_control);
      expect_text (i, "CRLF", "a\r\nb", line_control);
      expect_text (i, "a lone CR", "a\rb", "control");
      expect_text (i, "CR at the end", "a\r", "control");
      expect_text (i, "ESC", "a\x1b[2Jb", "control");
      expect_text (i, "BEL", "a\ab", "control");
      expect_text (i, "U+001F", "a\x1f", "control");
      expect_text (i, "DEL", "a\x7f", "control");
      expect_text (i, "U+0080", "a\xc2\x80", "control");
      expect_text (i, "U+009F", "a\xc2\x9f", "control");
      expect_text (i, "U+00A0 is text", "a\xc2\xa0" "b", NULL);
      expect_text (i, "space and tilde", " ~", NULL);
    }
}

static void
test_text_escape_controls (void **state)
{
  static const struct
  {
    const char *text;
    const char *shown;   /* NULL: needs no change */
  } cases[] = {
    { "Anna Berg", NULL },
    { "", NULL },
    { "Zoë 🌸", NULL },
    { "Anna\tBerg", "Anna\\tBerg" },
    { "1\tEve\n2", "1\\tEve\\n2" },
    { "\x1b[31mred", "\\x1b[31mred" },
    { "a\rb", "a\\rb" },
    { "a\x7f", "a\\x7f" },
    { "a\xc2\x9b", "a\\x9b" },
    { "bad \xff", "bad \xef\xbf\xbd" },
  };

  assert_null (meso_text_escape_controls (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = meso_text_escape_controls (cases[i].text);

      EXPECT_STR (cases[i].text, cases[i].shown, shown);
    }
}

/* Sessions and appointments check their typed text with the same rules. */
static void
test_session_appointment_text (void **state)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_notes = repeat ("n", 10001);

  meso_session_set_actives (session, "hyaluronic-acid");
  meso_session_set_lot (session, "LOT-42");
  meso_session_set_notes (session, "line one\nline two\tand a tab");
  meso_session_set_override_reason (session, "Patient travels; agreed with Dr Berg.");
  EXPECT ("a clean session", meso_session_validate_text (session, NULL));
  meso_session_set_lot (session, "LOT\x1b[2J");
  assert_false (meso_session_validate_text (session, &error));
  EXPECT_CONTAINS ("the lot", error->message, "Lot:");
  g_clear_error (&error);
  meso_session_set_lot (session, NULL);
  meso_session_set_notes (session, long_notes);
  assert_false (meso_session_validate_text (session, &error));
  EXPECT_CONTAINS ("131 KB no more", error->message, "10000");
  g_clear_error (&error);
  meso_session_set_notes (session, "");
  meso_session_set_override_reason (session, "two\nlines");
  assert_false (meso_session_validate_text (session, &error));
  EXPECT_CONTAINS ("the reason", error->message, "Override reason:");
  g_clear_error (&error);

  EXPECT ("a clean appointment", meso_appointment_validate_text (appointment, NULL));
  meso_appointment_set_cancel_reason (appointment, "ill\r\n2\tforged");
  assert_false (meso_appointment_validate_text (appointment, &error));
  EXPECT_CONTAINS ("the cancel reason", error->message, "Cancel reason:");
  g_clear_error (&error);
  meso_appointment_set_cancel_reason (appointment, NULL);
  meso_appointment_set_override_reason (appointment, "\xff");
  assert_false (meso_appointment_validate_text (appointment, &error));
  EXPECT_CONTAINS ("the override reason", error->message, "Override reason:");
}

/* Without MESODESK_NOW the system clock decides: next year is the future. */
static void
test_patient_validate_system_clock (void **state)
{
  g_autoptr(MesoPatient) patient = valid_patient ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *next_year = g_strdup_printf ("%04d-01-01",
                                                g_date_time_get_year (now) + 1);
  g_autoptr(GError) error = NULL;
  const char *field = NULL;

  g_unsetenv ("MESODESK_NOW");
  meso_patient_set_birth_date (patient, next_year);
  assert_false (meso_patient_validate (patient, &field, &error));
  assert_string_equal (field, "birth-date");

  meso_patient_set_birth_date (patient, "2000-01-01");
  assert_true (meso_patient_validate (patient, &field, NULL));
  assert_null (field);
}

/* ---- properties ------------------------------------------------------ */

typedef struct
{
  const char *name;
  GType       value_type;   /* 0: look it up (an enum type) */
} PropSpec;

static void
check_properties (const char     *what,
                  GType           type,
                  const PropSpec *specs,
                  guint           n_specs)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  guint n_props = 0;
  g_autofree GParamSpec **all =
    g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_props);

  EXPECT_INT (what, n_specs, n_props);

  for (guint i = 0; i < n_specs; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), specs[i].name);

      EXPECT (specs[i].name, pspec != NULL);
      EXPECT (specs[i].name, (pspec->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE);
      EXPECT (specs[i].name, (pspec->flags & G_PARAM_EXPLICIT_NOTIFY) != 0);
      EXPECT (specs[i].name, (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0);
      EXPECT (specs[i].name, pspec->value_type == specs[i].value_type);
    }
}

static void
test_property_lists (void **state)
{
  const PropSpec patient[] = {
    { "id", G_TYPE_INT64 },
    { "name", G_TYPE_STRING },
    { "birth-date", G_TYPE_STRING },
    { "phone", G_TYPE_STRING },
    { "email", G_TYPE_STRING },
    { "sensitive-skin", G_TYPE_BOOLEAN },
    { "notes", G_TYPE_STRING },
    { "archived", G_TYPE_BOOLEAN },
  };
  const PropSpec session[] = {
    { "id", G_TYPE_INT64 },
    { "patient-id", G_TYPE_INT64 },
    { "appointment-id", G_TYPE_INT64 },
    { "at", G_TYPE_DATE_TIME },
    { "area", MESO_TYPE_AREA },
    { "device", MESO_TYPE_DEVICE },
    { "home-use", G_TYPE_BOOLEAN },
    { "needle-um", G_TYPE_UINT },
    { "needle-count", G_TYPE_UINT },
    { "needle-material", G_TYPE_STRING },
    { "indication", G_TYPE_STRING },
    { "actives", G_TYPE_STRING },
    { "lot", G_TYPE_STRING },
    { "practitioner", G_TYPE_STRING },
    { "notes", G_TYPE_STRING },
    { "override-reason", G_TYPE_STRING },
    { "caution-confirmed", G_TYPE_BOOLEAN },
  };
  const PropSpec appointment[] = {
    { "id", G_TYPE_INT64 },
    { "patient-id", G_TYPE_INT64 },
    { "patient-name", G_TYPE_STRING },
    { "area", MESO_TYPE_AREA },
    { "start", G_TYPE_DATE_TIME },
    { "minutes", G_TYPE_UINT },
    { "practitioner", G_TYPE_STRING },
    { "room", G_TYPE_STRING },
    { "status", MESO_TYPE_APPOINTMENT_STATUS },
    { "override-reason", G_TYPE_STRING },
    { "cancel-reason", G_TYPE_STRING },
  };

  check_properties ("patient", MESO_TYPE_PATIENT, patient, G_N_ELEMENTS (patient));
  check_properties ("session", MESO_TYPE_SESSION, session, G_N_ELEMENTS (session));
  check_properties ("appointment", MESO_TYPE_APPOINTMENT, appointment,
                    G_N_ELEMENTS (appointment));
}

static void
test_patient_defaults (void **state)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();

  assert_int_equal (meso_patient_get_id (patient), 0);
  assert_string_equal (meso_patient_get_name (patient), "");
  assert_null (meso_patient_get_birth_date (patient));
  assert_null (meso_patient_get_phone (patient));
  assert_null (meso_patient_get_email (patient));
  assert_string_equal (meso_patient_get_notes (patient), "");
  assert_false (meso_patient_get_sensitive_skin (patient));
  assert_false (meso_patient_get_archived (patient));
}

/* Setting a value a second time changes nothing and says nothing. */
static void
test_patient_notify_once (void **state)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  guint name_count = 0, total = 0;
  g_autofree char *copy = g_strdup ("Anna Berg");

  g_signal_connect (patient, "notify::name", G_CALLBACK (on_notify_cb), &name_count);
  g_signal_connect (patient, "notify", G_CALLBACK (on_notify_cb), &total);

  meso_patient_set_name (patient, "Anna Berg");
  meso_patient_set_name (patient, "Anna Berg");
  assert_int_equal (name_count, 1);

  /* An equal string in other memory is the same value. */
  meso_patient_set_name (patient, copy);
  g_object_set (patient, "name", "Anna Berg", NULL);
  assert_int_equal (name_count, 1);

  meso_patient_set_name (patient, "Anna Berg-Kurz");
  assert_int_equal (name_count, 2);
  g_object_set (patient, "name", "Anna", NULL);
  assert_int_equal (name_count, 3);
  assert_int_equal (total, 3);

  meso_patient_set_id (patient, 7);
  meso_patient_set_id (patient, 7);
  meso_patient_set_sensitive_skin (patient, TRUE);
  meso_patient_set_sensitive_skin (patient, TRUE);
  meso_patient_set_archived (patient, TRUE);
  g_object_set (patient, "archived", TRUE, NULL);
  meso_patient_set_notes (patient, "");        /* already "" */
  meso_patient_set_notes (patient, NULL);      /* stored as "": no change */
  meso_patient_set_phone (patient, "");        /* already NULL */
  meso_patient_set_phone (patient, NULL);
  assert_int_equal (total, 6);
  assert_int_equal (name_count, 3);

  /* Any true gboolean is TRUE: no change from one to another. */
  meso_patient_set_sensitive_skin (patient, 2);
  assert_int_equal (total, 6);
  assert_int_equal (meso_patient_get_sensitive_skin (patient), TRUE);
}

/* An empty form field means "not noted"; notes are never NULL. */
static void
test_patient_empty_strings (void **state)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  guint phone_count = 0;
  g_autofree char *notes = NULL;

  g_signal_connect (patient, "notify::phone", G_CALLBACK (on_notify_cb), &phone_count);

  meso_patient_set_phone (patient, "");
  assert_null (meso_patient_get_phone (patient));
  assert_int_equal (phone_count, 0);

  meso_patient_set_phone (patient, "030 123");
  assert_string_equal (meso_patient_get_phone (patient), "030 123");
  meso_patient_set_phone (patient, "");
  assert_null (meso_patient_get_phone (patient));
  assert_int_equal (phone_count, 2);

  g_object_set (patient, "phone", "", "email", "", "birth-date", "", NULL);
  assert_null (meso_patient_get_phone (patient));
  assert_null (meso_patient_get_email (patient));
  assert_null (meso_patient_get_birth_date (patient));

  meso_patient_set_notes (patient, "Allergic to latex.");
  meso_patient_set_notes (patient, NULL);
  assert_string_equal (meso_patient_get_notes (patient), "");
  g_object_set (patient, "notes", NULL, NULL);
  g_object_get (patient, "notes", &notes, NULL);
  assert_string_equal (notes, "");

  /* The name is kept as typed. */
  meso_patient_set_name (patient, "  Anna  ");
  assert_string_equal (meso_patient_get_name (patient), "  Anna  ");
  meso_patient_set_name (patient, NULL);
  assert_string_equal (meso_patient_get_name (patient), "");
}

/* Setters copy: the caller's buffer may change or go. */
static void
test_patient_copies_strings (void **state)
{
  g_autoptr(MesoPatient) patient = meso_patient_new ();
  char buffer[] = "Anna";

  meso_patient_set_name (patient, buffer);
  buffer[0] = 'X';
  assert_string_equal (meso_patient_get_name (patient), "Anna");
}

static void
test_session_strings (void **state)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  const char *nullable[] = {
    "needle-material", "indication", "actives", "lot", "practitioner", "override-reason",
  };

  assert_null (meso_session_get_notes (session));

  for (guint i = 0; i < G_N_ELEMENTS (nullable); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *empty = NULL;

      g_object_set (session, nullable[i], "steel", NULL);
      g_object_get (session, nullable[i], &value, NULL);
      EXPECT_STR (nullable[i], "steel", value);

      g_object_set (session, nullable[i], "", NULL);
      g_object_get (session, nullable[i], &empty, NULL);
      EXPECT_STR (nullable[i], NULL, empty);
    }

  meso_session_set_needle_material (session, "titanium");
  meso_session_set_indication (session, "acne-scars");
  meso_session_set_actives (session, "hyaluronic-acid,peptides");
  meso_session_set_lot (session, "L-2026-11");
  meso_session_set_practitioner (session, "Dr. Weber");
  meso_session_set_notes (session, "Mild erythema.");
  meso_session_set_override_reason (session, "Patient travels abroad.");
  assert_string_equal (meso_session_get_needle_material (session), "titanium");
  assert_string_equal (meso_session_get_indication (session), "acne-scars");
  assert_string_equal (meso_session_get_actives (session), "hyaluronic-acid,peptides");
  assert_string_equal (meso_session_get_lot (session), "L-2026-11");
  assert_string_equal (meso_session_get_practitioner (session), "Dr. Weber");
  assert_string_equal (meso_session_get_notes (session), "Mild erythema.");
  assert_string_equal (meso_session_get_override_reason (session), "Patient travels abroad.");

  meso_session_set_lot (session, "");
  meso_session_set_practitioner (session, NULL);
  assert_null (meso_session_get_lot (session));
  assert_null (meso_session_get_practitioner (session));
}

static void
test_session_scalars (void **state)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  guint total = 0;
  MesoArea area;
  MesoDevice device;
  guint needle_um;
  gint64 patient_id;
  gboolean home_use, confirmed;

  assert_int_equal (meso_session_get_id (session), 0);
  assert_int_equal (meso_session_get_patient_id (session), 0);
  assert_int_equal (meso_session_get_appointment_id (session), 0);
  assert_int_equal (meso_session_get_needle_count (session), 0);
  assert_null (meso_session_get_at (session));

  g_signal_connect (session, "notify", G_CALLBACK (on_notify_cb), &total);

  g_object_set (session,
                "patient-id", (gint64) 42,
                "area", MESO_AREA_SCALP,
                "device", MESO_DEVICE_PEN,
                "needle-um", 1500u,
                "home-use", TRUE,
                "caution-confirmed", TRUE,
                NULL);
  assert_int_equal (total, 6);

  g_object_get (session,
                "patient-id", &patient_id,
                "area", &area,
                "device", &device,
                "needle-um", &needle_um,
                "home-use", &home_use,
                "caution-confirmed", &confirmed,
                NULL);
  assert_int_equal (patient_id, 42);
  assert_int_equal (area, MESO_AREA_SCALP);
  assert_int_equal (device, MESO_DEVICE_PEN);
  assert_int_equal (needle_um, 1500);
  assert_true (home_use);
  assert_true (confirmed);

  /* The same values again: no notification. */
  meso_session_set_patient_id (session, 42);
  meso_session_set_area (session, MESO_AREA_SCALP);
  meso_session_set_device (session, MESO_DEVICE_PEN);
  meso_session_set_needle_um (session, 1500);
  meso_session_set_home_use (session, TRUE);
  meso_session_set_caution_confirmed (session, TRUE);
  assert_int_equal (total, 6);

  meso_session_set_id (session, 9);
  meso_session_set_appointment_id (session, 3);
  meso_session_set_needle_count (session, 12);
  assert_int_equal (total, 9);
  assert_int_equal (meso_session_get_id (session), 9);
  assert_int_equal (meso_session_get_appointment_id (session), 3);
  assert_int_equal (meso_session_get_needle_count (session), 12);
}

static const struct
{
  const char *indication;
  gboolean    scar;
} scar_cases[] = {
  { "acne-scars", TRUE },
  { "scars", TRUE },
  { "fine-lines", FALSE },
  { "stretch-marks", FALSE },
  { "no-such-indication", FALSE },
  { "", FALSE },
  { NULL, FALSE },
};

static void
test_session_is_scar_treatment (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (scar_cases); i++)
    {
      const char *what = scar_cases[i].indication ? scar_cases[i].indication : "(null)";
      g_autoptr(MesoSession) session = meso_session_new ();

      meso_session_set_indication (session, scar_cases[i].indication);
      EXPECT_INT (what, scar_cases[i].scar, meso_session_is_scar_treatment (session));
    }
}

/* GDateTime properties: a reference in, a reference out, and a notification
 * only when the time really changes. */
static void
test_date_time_properties (void **state)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  g_autoptr(GDateTime) at = make_date_time ("2026-11-21T10:30", FALSE);
  g_autoptr(GDateTime) same = make_date_time ("2026-11-21T10:30", FALSE);
  g_autoptr(GDateTime) same_in_utc = make_date_time ("2026-11-21T09:30", TRUE);
  g_autoptr(GDateTime) later = make_date_time ("2026-11-21T11:00", FALSE);
  g_autoptr(GDateTime) got = NULL;
  g_autoptr(GDateTime) got_start = NULL;
  guint at_count = 0, start_count = 0;

  g_signal_connect (session, "notify::at", G_CALLBACK (on_notify_cb), &at_count);
  g_signal_connect (appointment, "notify::start", G_CALLBACK (on_notify_cb), &start_count);

  g_object_set (session, "at", at, NULL);
  g_object_get (session, "at", &got, NULL);
  assert_non_null (got);
  assert_true (g_date_time_equal (got, at));
  assert_ptr_equal (meso_session_get_at (session), at);
  assert_int_equal (at_count, 1);

  /* An equal time in another object is no change. */
  meso_session_set_at (session, same);
  g_object_set (session, "at", same, NULL);
  assert_int_equal (at_count, 1);

  /* The same instant written in UTC reads differently: a change. */
  meso_session_set_at (session, same_in_utc);
  assert_int_equal (at_count, 2);
  assert_int_equal (g_date_time_get_utc_offset (meso_session_get_at (session)), 0);

  meso_session_set_at (session, later);
  assert_int_equal (at_count, 3);
  meso_session_set_at (session, NULL);
  assert_null (meso_session_get_at (session));
  meso_session_set_at (session, NULL);
  assert_int_equal (at_count, 4);

  g_object_set (appointment, "start", at, NULL);
  g_object_get (appointment, "start", &got_start, NULL);
  assert_true (g_date_time_equal (got_start, at));
  assert_ptr_equal (meso_appointment_get_start (appointment), at);
  g_object_set (appointment, "start", same, NULL);
  assert_int_equal (start_count, 1);

  /* The object holds its own reference. */
  g_clear_pointer (&at, g_date_time_unref);
  g_clear_pointer (&got_start, g_date_time_unref);
  assert_int_equal (g_date_time_get_hour (meso_appointment_get_start (appointment)), 10);
}

static void
test_appointment_defaults (void **state)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  guint minutes = 0;
  MesoAppointmentStatus status = MESO_APPOINTMENT_NO_SHOW;

  g_object_get (appointment, "minutes", &minutes, "status", &status, NULL);
  assert_int_equal (minutes, 60);
  assert_int_equal (status, MESO_APPOINTMENT_BOOKED);
  assert_int_equal (meso_appointment_get_minutes (appointment), 60);
  assert_int_equal (meso_appointment_get_status (appointment), MESO_APPOINTMENT_BOOKED);
  assert_true (meso_appointment_is_active (appointment));
  assert_null (meso_appointment_get_start (appointment));
  assert_null (meso_appointment_dup_end (appointment));
  assert_null (meso_appointment_get_patient_name (appointment));
  assert_null (meso_appointment_get_practitioner (appointment));
  assert_null (meso_appointment_get_room (appointment));
  assert_null (meso_appointment_get_override_reason (appointment));
  assert_null (meso_appointment_get_cancel_reason (appointment));
}

static void
test_appointment_strings (void **state)
{
  g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
  guint total = 0;

  g_signal_connect (appointment, "notify", G_CALLBACK (on_notify_cb), &total);

  meso_appointment_set_patient_name (appointment, "Anna Berg");
  meso_appointment_set_practitioner (appointment, "Dr. Weber");
  meso_appointment_set_room (appointment, "2");
  meso_appointment_set_override_reason (appointment, "Travels abroad.");
  meso_appointment_set_cancel_reason (appointment, "Ill.");
  assert_int_equal (total, 5);
  assert_string_equal (meso_appointment_get_patient_name (appointment), "Anna Berg");
  assert_string_equal (meso_appointment_get_practitioner (appointment), "Dr. Weber");
  assert_string_equal (meso_appointment_get_room (appointment), "2");
  assert_string_equal (meso_appointment_get_override_reason (appointment), "Travels abroad.");
  assert_string_equal (meso_appointment_get_cancel_reason (appointment), "Ill.");

  g_object_set (appointment,
                "practitioner", "", "room", "",
                "override-reason", "", "cancel-reason", "",
                NULL);
  assert_int_equal (total, 9);
  assert_null (meso_appointment_get_practitioner (appointment));
  assert_null (meso_appointment_get_room (appointment));
  assert_null (meso_appointment_get_override_reason (appointment));
  assert_null (meso_appointment_get_cancel_reason (appointment));

  meso_appointment_set_room (appointment, NULL);
  assert_int_equal (total, 9);
}

static const struct
{
  const char *start;
  guint       minutes;
  const char *end;    /* local */
} end_cases[] = {
  { "2026-11-21T09:00", 60, "2026-11-21T10:00" },
  { "2026-11-21T09:00", 90, "2026-11-21T10:30" },
  { "2026-11-21T09:00", 1, "2026-11-21T09:01" },
  { "2026-11-21T09:00", 0, "2026-11-21T09:00" },
  { "2026-11-21T23:30", 45, "2026-11-22T00:15" },
  /* 29 March: 02:00 does not exist; 01:30 + 60 real minutes is 03:30 */
  { "2026-03-29T01:30", 60, "2026-03-29T03:30" },
};

static void
test_appointment_end (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (end_cases); i++)
    {
      const char *what = end_cases[i].start;
      g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
      g_autoptr(GDateTime) start = make_date_time (end_cases[i].start, FALSE);
      g_autoptr(GDateTime) expected = make_date_time (end_cases[i].end, FALSE);
      g_autoptr(GDateTime) end = NULL;
      g_autofree char *got = NULL;

      meso_appointment_set_start (appointment, start);
      g_object_set (appointment, "minutes", end_cases[i].minutes, NULL);
      end = meso_appointment_dup_end (appointment);
      EXPECT (what, end != NULL);
      got = g_date_time_format (end, "%Y-%m-%dT%H:%M");
      EXPECT_STR (what, end_cases[i].end, got);
      EXPECT (what, g_date_time_equal (end, expected));
      EXPECT_INT (what, (gint64) end_cases[i].minutes * G_TIME_SPAN_MINUTE,
                  g_date_time_difference (end, start));
    }
}

static const struct
{
  MesoAppointmentStatus status;
  gboolean              active;
} active_cases[] = {
  { MESO_APPOINTMENT_BOOKED, TRUE },
  { MESO_APPOINTMENT_CHECKED_IN, TRUE },
  { MESO_APPOINTMENT_DONE, FALSE },
  { MESO_APPOINTMENT_CANCELLED, FALSE },
  { MESO_APPOINTMENT_NO_SHOW, FALSE },
};

static void
test_appointment_is_active (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (active_cases); i++)
    {
      const char *what = meso_enum_to_nick (MESO_TYPE_APPOINTMENT_STATUS,
                                            active_cases[i].status);
      g_autoptr(MesoAppointment) appointment = meso_appointment_new ();
      MesoAppointmentStatus status;

      g_object_set (appointment, "status", active_cases[i].status, NULL);
      g_object_get (appointment, "status", &status, NULL);
      EXPECT_INT (what, active_cases[i].status, status);
      EXPECT_INT (what, active_cases[i].active, meso_appointment_is_active (appointment));
    }
}

/* The last reference finalizes the object, with everything it holds. */
static void
test_finalize (void **state)
{
  MesoPatient *patient = valid_patient ();
  MesoSession *session = meso_session_new ();
  MesoAppointment *appointment = meso_appointment_new ();
  g_autoptr(GDateTime) at = make_date_time ("2026-11-21T10:30", FALSE);

  meso_session_set_at (session, at);
  meso_session_set_notes (session, "notes");
  meso_session_set_indication (session, "scars");
  meso_appointment_set_start (appointment, at);
  meso_appointment_set_patient_name (appointment, "Anna Berg");

  g_object_add_weak_pointer (G_OBJECT (patient), (gpointer *) &patient);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_object_add_weak_pointer (G_OBJECT (appointment), (gpointer *) &appointment);
  g_object_unref (patient);
  g_object_unref (session);
  g_object_unref (appointment);
  assert_null (patient);
  assert_null (session);
  assert_null (appointment);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_patient_validate, pin_clock, unpin_clock),
    cmocka_unit_test_teardown (test_patient_validate_system_clock, unpin_clock),
    cmocka_unit_test (test_text_validate),
    cmocka_unit_test (test_text_escape_controls),
    cmocka_unit_test (test_session_appointment_text),
    cmocka_unit_test (test_property_lists),
    cmocka_unit_test (test_patient_defaults),
    cmocka_unit_test (test_patient_notify_once),
    cmocka_unit_test (test_patient_empty_strings),
    cmocka_unit_test (test_patient_copies_strings),
    cmocka_unit_test (test_session_strings),
    cmocka_unit_test (test_session_scalars),
    cmocka_unit_test (test_session_is_scar_treatment),
    cmocka_unit_test (test_date_time_properties),
    cmocka_unit_test (test_appointment_defaults),
    cmocka_unit_test (test_appointment_strings),
    cmocka_unit_test (test_appointment_end),
    cmocka_unit_test (test_appointment_is_active),
    cmocka_unit_test (test_finalize),
  };

  use_test_time_zone ();
  g_unsetenv ("MESODESK_NOW");

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
