/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clinic policy: the seeds' defaults, the hard lower bounds, validation. */

#define G_LOG_DOMAIN "mesodesk-tests"

#include "config.h"

#include "meso-policy.h"

#include "meso-test.h"

#include <string.h>

/* R1 and R4: every field, its default (the seeds' values) and its hard bound. */
static const struct
{
  const char *what;
  gsize       offset;
  guint       default_value;
  guint       minimum_value;
} policy_fields[] = {
  { "interval_min_days", G_STRUCT_OFFSET (MesoPolicy, interval_min_days), 28, 28 },
  { "interval_max_days", G_STRUCT_OFFSET (MesoPolicy, interval_max_days), 42, 28 },
  { "sensitive_min_days", G_STRUCT_OFFSET (MesoPolicy, sensitive_min_days), 56, 56 },
  { "sensitive_max_days", G_STRUCT_OFFSET (MesoPolicy, sensitive_max_days), 70, 56 },
  { "no_water_hours", G_STRUCT_OFFSET (MesoPolicy, no_water_hours), 24, 24 },
  { "sun_protection_days", G_STRUCT_OFFSET (MesoPolicy, sun_protection_days), 3, 3 },
  { "due_soon_days", G_STRUCT_OFFSET (MesoPolicy, due_soon_days), 7, 0 },
  { "lapsed_months", G_STRUCT_OFFSET (MesoPolicy, lapsed_months), 6, 1 },
  { "lock_minutes", G_STRUCT_OFFSET (MesoPolicy, lock_minutes), 5, 1 },
  { "consent_required", G_STRUCT_OFFSET (MesoPolicy, consent_required), 0, 0 },
};

static void
test_policy_defaults (void **state)
{
  const MesoPolicy *def = meso_policy_get_default ();
  const MesoPolicy *min = meso_policy_get_minimum ();

  assert_non_null (def);
  assert_non_null (min);

  for (gsize i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    {
      const char *what = policy_fields[i].what;
      gsize offset = policy_fields[i].offset;

      EXPECT_INT (what, policy_fields[i].default_value,
                  G_STRUCT_MEMBER (guint, def, offset));
      EXPECT_INT (what, policy_fields[i].minimum_value,
                  G_STRUCT_MEMBER (guint, min, offset));
    }
}

/* R1 "minimums are hard lower bounds": one case on each side of every bound.
 * Fields: interval min/max, sensitive min/max, no-water h, sun days, due-soon,
 * lapsed months. */
static const struct
{
  const char *what;
  MesoPolicy  policy;
  gboolean    valid;
  const char *names_value;  /* the offending value, which the message names */
  const char *names_bound;  /* and the bound it broke */
} validate_cases[] = {
  { "the defaults", { 28, 42, 56, 70, 24, 3, 7, 6, 5 }, TRUE },
  { "the minimum policy itself", { 28, 28, 56, 56, 24, 3, 0, 6, 5 }, TRUE },
  { "a lengthened policy", { 35, 49, 63, 77, 24, 3, 7, 6, 5 }, TRUE },
  { "longer aftercare", { 28, 42, 56, 70, 48, 5, 14, 6, 5 }, TRUE },
  { "interval min 27 < 28", { 27, 42, 56, 70, 24, 3, 7, 6, 5 }, FALSE, "27", "28" },
  { "interval max 27 < 28", { 28, 27, 56, 70, 24, 3, 7, 6, 5 }, FALSE, "27", "28" },
  { "sensitive min 55 < 56", { 28, 42, 55, 70, 24, 3, 7, 6, 5 }, FALSE, "55", "56" },
  { "sensitive max 55 < 56", { 28, 42, 56, 55, 24, 3, 7, 6, 5 }, FALSE, "55", "56" },
  { "no water 23 h < 24 h", { 28, 42, 56, 70, 23, 3, 7, 6, 5 }, FALSE, "23", "24" },
  { "sun protection 2 days < 3", { 28, 42, 56, 70, 24, 2, 7, 6, 5 }, FALSE, "2", "3" },
  { "lapsed after 1 month", { 28, 42, 56, 70, 24, 3, 7, 1, 5 }, TRUE },
  { "lapsed after 0 months < 1", { 28, 42, 56, 70, 24, 3, 7, 0, 5 }, FALSE, "0", "1" },
  { "locks after 1 idle minute", { 28, 42, 56, 70, 24, 3, 7, 6, 1 }, TRUE },
  { "never locks: 0 minutes < 1", { 28, 42, 56, 70, 24, 3, 7, 6, 0 }, FALSE, "0", "1" },
  { "locks after 480 minutes", { 28, 42, 56, 70, 24, 3, 7, 6, 480 }, TRUE },
  { "locks after 481 minutes > 480", { 28, 42, 56, 70, 24, 3, 7, 6, 481 }, FALSE, "481", "480" },
  { "interval max == min", { 35, 35, 63, 77, 24, 3, 7, 6, 5 }, TRUE },
  { "interval max 34 < min 35", { 35, 34, 63, 77, 24, 3, 7, 6, 5 }, FALSE, "34", "35" },
  { "sensitive max == min", { 28, 42, 63, 63, 24, 3, 7, 6, 5 }, TRUE },
  { "sensitive max 62 < min 63", { 28, 42, 63, 62, 24, 3, 7, 6, 5 }, FALSE, "62", "63" },
  { "sensitive min == interval min", { 60, 70, 60, 80, 24, 3, 7, 6, 5 }, TRUE },
  { "sensitive min 59 < interval min 60", { 60, 70, 59, 80, 24, 3, 7, 6, 5 }, FALSE, "59", "60" },
};

static void
test_policy_validate (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      const char *what = validate_cases[i].what;
      g_autoptr(GError) error = NULL;
      gboolean ok = meso_policy_validate (&validate_cases[i].policy, &error);

      if (validate_cases[i].valid)
        {
          if (!ok)
            {
              print_error ("case \"%s\": expected valid, got \"%s\"\n", what,
                           error != NULL ? error->message : "(no error)");
              fail ();
            }
          EXPECT (what, error == NULL);
          continue;
        }

      EXPECT (what, !ok);
      EXPECT (what, error != NULL);
      EXPECT (what, g_error_matches (error, MESO_POLICY_ERROR,
                                     MESO_POLICY_ERROR_OUT_OF_BOUNDS));
      EXPECT (what, error->message != NULL && *error->message != '\0');
      if (strstr (error->message, validate_cases[i].names_value) == NULL ||
          strstr (error->message, validate_cases[i].names_bound) == NULL)
        {
          print_error ("case \"%s\": message \"%s\" should name %s and %s\n", what,
                       error->message, validate_cases[i].names_value,
                       validate_cases[i].names_bound);
          fail ();
        }

      /* Callers that do not want the error still get FALSE. */
      EXPECT (what, !meso_policy_validate (&validate_cases[i].policy, NULL));
    }
}

/* The range a settings field offers: every default inside it, the maximum
 * policy itself valid, one past any of its fields refused. */
static void
test_policy_maximum (void **state)
{
  const MesoPolicy *max = meso_policy_get_maximum ();
  const MesoPolicy *min = meso_policy_get_minimum ();
  const MesoPolicy *def = meso_policy_get_default ();

  assert_non_null (max);
  EXPECT ("the maximum policy is valid", meso_policy_validate (max, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    {
      const char *what = policy_fields[i].what;
      gsize offset = policy_fields[i].offset;
      MesoPolicy past = *max;
      g_autoptr(GError) error = NULL;
      g_autofree char *bound = g_strdup_printf ("%u", G_STRUCT_MEMBER (guint, max, offset));

      EXPECT (what, G_STRUCT_MEMBER (guint, min, offset) < G_STRUCT_MEMBER (guint, max, offset));
      EXPECT (what, G_STRUCT_MEMBER (guint, def, offset) < G_STRUCT_MEMBER (guint, max, offset));
      G_STRUCT_MEMBER (guint, &past, offset)++;
      EXPECT (what, !meso_policy_validate (&past, &error));
      EXPECT (what, error != NULL && strstr (error->message, bound) != NULL);
    }
}

/* A bound set by another setting (a window ending before it starts) names
 * that setting, so the person knows which one to change. */
static void
test_policy_names_other_setting (void **state)
{
  const MesoPolicy ends_early = { 35, 34, 63, 77, 24, 3, 7, 6, 5 };
  const MesoPolicy sensitive_ends_early = { 28, 42, 63, 62, 24, 3, 7, 6, 5 };
  const MesoPolicy hard = { 28, 27, 56, 70, 24, 3, 7, 6, 5 };
  g_autoptr(GError) error = NULL;

  assert_false (meso_policy_validate (&ends_early, &error));
  EXPECT ("names the shortest interval", strstr (error->message, "shortest interval") != NULL);
  g_clear_error (&error);
  assert_false (meso_policy_validate (&sensitive_ends_early, &error));
  EXPECT ("names the sensitive shortest",
          strstr (error->message, "shortest interval for sensitive skin") != NULL);
  g_clear_error (&error);
  /* Below the hard bound itself: the safe minimum, not another setting. */
  assert_false (meso_policy_validate (&hard, &error));
  EXPECT ("says safe minimum", strstr (error->message, "safe minimum") != NULL);
}

/* R1: the window a patient's skin type selects. */
static const struct
{
  const char *what;
  MesoPolicy  policy;
  gboolean    sensitive;
  guint       min_days;
  guint       max_days;
} window_cases[] = {
  { "default, normal skin", { 28, 42, 56, 70, 24, 3, 7, 6, 5 }, FALSE, 28, 42 },
  { "default, sensitive skin", { 28, 42, 56, 70, 24, 3, 7, 6, 5 }, TRUE, 56, 70 },
  { "lengthened, normal skin", { 35, 49, 63, 77, 24, 3, 7, 6, 5 }, FALSE, 35, 49 },
  { "lengthened, sensitive skin", { 35, 49, 63, 77, 24, 3, 7, 6, 5 }, TRUE, 63, 77 },
  { "a wider sensitive window, normal skin", { 28, 42, 60, 90, 24, 3, 7, 6, 5 }, FALSE, 28, 42 },
  { "a wider sensitive window, sensitive skin", { 28, 42, 60, 90, 24, 3, 7, 6, 5 }, TRUE, 60, 90 },
};

static void
test_policy_min_max_days (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (window_cases); i++)
    {
      const char *what = window_cases[i].what;
      const MesoPolicy *policy = &window_cases[i].policy;

      EXPECT_INT (what, window_cases[i].min_days,
                  meso_policy_min_days (policy, window_cases[i].sensitive));
      EXPECT_INT (what, window_cases[i].max_days,
                  meso_policy_max_days (policy, window_cases[i].sensitive));
    }

  EXPECT_INT ("the default policy, normal", 28,
              meso_policy_min_days (meso_policy_get_default (), FALSE));
  EXPECT_INT ("the default policy, sensitive", 70,
              meso_policy_max_days (meso_policy_get_default (), TRUE));
}

/* Every setting by the name people type, as the settings table names it,
 * and its text read as meso_policy_set_text() reads it. */
static void
test_policy_fields (void **state)
{
  guint n_fields;
  const MesoPolicyField *fields = meso_policy_get_fields (&n_fields);
  static const struct
  {
    const char *key;
    const char *text;
    gboolean    ok;
    guint       value;
  } texts[] = {
    { "interval-min-days", "35", TRUE, 35 },
    { "interval-min-days", "3x", FALSE, 0 },
    { "interval-min-days", "-1", FALSE, 0 },
    { "interval-min-days", "+1", FALSE, 0 },
    { "interval-min-days", "", FALSE, 0 },
    { "lock-minutes", "99999999999", FALSE, 0 },
    { "consent-required", "on", TRUE, 1 },
    { "consent-required", "TRUE", TRUE, 1 },
    { "consent-required", "1", TRUE, 1 },
    { "consent-required", "off", TRUE, 0 },
    { "consent-required", "false", TRUE, 0 },
    { "consent-required", "0", TRUE, 0 },
    { "consent-required", "yes", FALSE, 0 },
    { "consent-required", "2", FALSE, 0 },
    { "consent_required", "on", FALSE, 0 },
  };

  EXPECT_INT ("every field", G_N_ELEMENTS (policy_fields), n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *kebab = g_strdelimit (g_strdup (policy_fields[i].what), "_", '-');

      EXPECT_STR (policy_fields[i].what, policy_fields[i].what, fields[i].setting);
      EXPECT_STR (policy_fields[i].what, kebab, fields[i].key);
      EXPECT_INT (policy_fields[i].what, policy_fields[i].offset, fields[i].offset);
      EXPECT (kebab, meso_policy_find_field (kebab) == &fields[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      MesoPolicy policy = *meso_policy_get_default ();
      const MesoPolicyField *field = meso_policy_find_field (texts[i].key);
      gboolean ok = meso_policy_set_text (&policy, texts[i].key, texts[i].text, &error);

      EXPECT (texts[i].text, ok == texts[i].ok);
      if (ok)
        EXPECT_INT (texts[i].text, texts[i].value, meso_policy_get_value (&policy, field));
      else
        EXPECT (texts[i].text, memcmp (&policy, meso_policy_get_default (), sizeof policy) == 0);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_policy_defaults),
    cmocka_unit_test (test_policy_fields),
    cmocka_unit_test (test_policy_validate),
    cmocka_unit_test (test_policy_min_max_days),
    cmocka_unit_test (test_policy_maximum),
    cmocka_unit_test (test_policy_names_other_setting),
  };

  use_test_time_zone ();

  meso_test_filter_from_env ();

  return cmocka_run_group_tests (tests, NULL, NULL);
}
