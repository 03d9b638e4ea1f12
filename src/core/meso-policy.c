/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-policy.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (meso-policy-error-quark, meso_policy_error)

/* clinical-rules.md R1 and R4: the seeds' values. */
static const MesoPolicy default_policy = {
  .interval_min_days = 28,    /* 4 weeks */
  .interval_max_days = 42,    /* 6 weeks */
  .sensitive_min_days = 56,   /* at least 8 weeks */
  .sensitive_max_days = 70,   /* decision: the normal window's two-week width */
  .no_water_hours = 24,
  .sun_protection_days = 3,
  .due_soon_days = 7,
  .lapsed_months = 6,
  .lock_minutes = 5,
  .consent_required = 0,      /* R8: off, so existing clinics go on as they were */
};

/* The hard lower bounds: a clinic may lengthen these, never shorten them. */
static const MesoPolicy minimum_policy = {
  .interval_min_days = 28,
  .interval_max_days = 28,
  .sensitive_min_days = 56,
  .sensitive_max_days = 56,
  .no_water_hours = 24,
  .sun_protection_days = 3,
  .due_soon_days = 0,
  .lapsed_months = 1,
  .lock_minutes = 1,
  .consent_required = 0,
};

/* Upper limits nothing clinical asks for: past them a typo is likelier. */
#define POLICY_MAX_DAYS  366
#define POLICY_MAX_HOURS 168
#define POLICY_MAX_MONTHS 120
/* A shared desk left open longer than a working day's hours is no lock. */
#define POLICY_MAX_MINUTES 480

static const MesoPolicy maximum_policy = {
  .interval_min_days = POLICY_MAX_DAYS,
  .interval_max_days = POLICY_MAX_DAYS,
  .sensitive_min_days = POLICY_MAX_DAYS,
  .sensitive_max_days = POLICY_MAX_DAYS,
  .no_water_hours = POLICY_MAX_HOURS,
  .sun_protection_days = POLICY_MAX_DAYS,
  .due_soon_days = POLICY_MAX_DAYS,
  .lapsed_months = POLICY_MAX_MONTHS,
  .lock_minutes = POLICY_MAX_MINUTES,
  .consent_required = 1,
};

#define FIELD(key, member, is_switch) \
  { key, #member, G_STRUCT_OFFSET (MesoPolicy, member), is_switch }

static const MesoPolicyField fields[] = {
  FIELD ("interval-min-days", interval_min_days, FALSE),
  FIELD ("interval-max-days", interval_max_days, FALSE),
  FIELD ("sensitive-min-days", sensitive_min_days, FALSE),
  FIELD ("sensitive-max-days", sensitive_max_days, FALSE),
  FIELD ("no-water-hours", no_water_hours, FALSE),
  FIELD ("sun-protection-days", sun_protection_days, FALSE),
  FIELD ("due-soon-days", due_soon_days, FALSE),
  FIELD ("lapsed-months", lapsed_months, FALSE),
  FIELD ("lock-minutes", lock_minutes, FALSE),
  FIELD ("consent-required", consent_required, TRUE),
};

const MesoPolicy *
meso_policy_get_default (void)
{
  return &default_policy;
}

const MesoPolicy *
meso_policy_get_minimum (void)
{
  return &minimum_policy;
}

const MesoPolicy *
meso_policy_get_maximum (void)
{
  return &maximum_policy;
}

/* @minimum_what names the setting @minimum comes from; NULL for a hard bound. */
static gboolean
check_range (guint        value,
             guint        minimum,
             guint        maximum,
             const char  *what,
             const char  *minimum_what,
             GError     **error)
{
  if (value < minimum && minimum_what != NULL)
    {
      g_set_error (error, MESO_POLICY_ERROR, MESO_POLICY_ERROR_OUT_OF_BOUNDS,
                   /* Translators: “Longest recommended interval (days) cannot be 30: it
                    * must be at least the shortest interval (days), 35” */
                   _("%s cannot be %u: it must be at least the %s, %u"), what, value,
                   minimum_what, minimum);
      return FALSE;
    }
  if (value < minimum)
    {
      g_set_error (error, MESO_POLICY_ERROR, MESO_POLICY_ERROR_OUT_OF_BOUNDS,
                   /* Translators: %s names a setting, e.g. “Shortest interval” */
                   _("%s cannot be %u: the safe minimum is %u"), what, value, minimum);
      return FALSE;
    }
  if (value > maximum)
    {
      g_set_error (error, MESO_POLICY_ERROR, MESO_POLICY_ERROR_OUT_OF_BOUNDS,
                   /* Translators: %s names a setting */
                   _("%s cannot be %u: the longest allowed is %u"), what, value, maximum);
      return FALSE;
    }
  return TRUE;
}

gboolean
meso_policy_validate (const MesoPolicy  *policy,
                      GError           **error)
{
  const MesoPolicy *min = &minimum_policy;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A bound set by another setting is named, so the person knows which to change. */
  if (!check_range (policy->interval_min_days, min->interval_min_days, POLICY_MAX_DAYS,
                    _("Shortest interval (days)"), NULL, error) ||
      !check_range (policy->interval_max_days, policy->interval_min_days, POLICY_MAX_DAYS,
                    _("Longest recommended interval (days)"),
                    policy->interval_min_days > min->interval_max_days
                    ? _("shortest interval (days)") : NULL, error) ||
      !check_range (policy->sensitive_min_days,
                    MAX (min->sensitive_min_days, policy->interval_min_days), POLICY_MAX_DAYS,
                    _("Shortest interval for sensitive skin (days)"),
                    policy->interval_min_days > min->sensitive_min_days
                    ? _("shortest interval (days)") : NULL, error) ||
      !check_range (policy->sensitive_max_days, policy->sensitive_min_days, POLICY_MAX_DAYS,
                    _("Longest recommended interval for sensitive skin (days)"),
                    policy->sensitive_min_days > min->sensitive_max_days
                    ? _("shortest interval for sensitive skin (days)") : NULL, error) ||
      !check_range (policy->no_water_hours, min->no_water_hours, POLICY_MAX_HOURS,
                    _("No water after a session (hours)"), NULL, error) ||
      !check_range (policy->sun_protection_days, min->sun_protection_days, POLICY_MAX_DAYS,
                    _("Sun protection after a session (days)"), NULL, error) ||
      !check_range (policy->due_soon_days, min->due_soon_days, POLICY_MAX_DAYS,
                    _("Days before the window to list a follow-up"), NULL, error) ||
      !check_range (policy->lapsed_months, min->lapsed_months, POLICY_MAX_MONTHS,
                    _("Months past the window until a patient is lapsed"), NULL, error) ||
      !check_range (policy->lock_minutes, min->lock_minutes, POLICY_MAX_MINUTES,
                    _("Idle minutes until the window locks"), NULL, error) ||
      !check_range (policy->consent_required, 0, 1,
                    _("Consent required before a session"), NULL, error))
    return FALSE;

  return TRUE;
}

const MesoPolicyField *
meso_policy_get_fields (guint *n_fields)
{
  g_return_val_if_fail (n_fields != NULL, NULL);

  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

const MesoPolicyField *
meso_policy_find_field (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].key, key))
      return &fields[i];
  return NULL;
}

guint
meso_policy_get_value (const MesoPolicy      *policy,
                       const MesoPolicyField *field)
{
  g_return_val_if_fail (policy != NULL && field != NULL, 0);

  return G_STRUCT_MEMBER (guint, policy, field->offset);
}

char *
meso_policy_format_value (const MesoPolicy      *policy,
                          const MesoPolicyField *field)
{
  guint value = meso_policy_get_value (policy, field);

  if (field->is_switch)
    return g_strdup (value != 0 ? "on" : "off");
  return g_strdup_printf ("%u", value);
}

static gboolean
parse_switch (const char *text,
              guint      *value)
{
  static const char *const on[] = { "on", "true", "1", NULL };
  static const char *const off[] = { "off", "false", "0", NULL };

  for (guint i = 0; on[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, on[i]) == 0 || g_ascii_strcasecmp (text, off[i]) == 0)
      {
        *value = g_ascii_strcasecmp (text, on[i]) == 0;
        return TRUE;
      }
  return FALSE;
}

gboolean
meso_policy_set_text (MesoPolicy  *policy,
                      const char  *key,
                      const char  *text,
                      GError     **error)
{
  const MesoPolicyField *field;
  guint64 number = 0;
  guint value = 0;

  g_return_val_if_fail (policy != NULL && key != NULL && text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  field = meso_policy_find_field (key);
  if (field == NULL)
    {
      g_set_error (error, MESO_POLICY_ERROR, MESO_POLICY_ERROR_UNKNOWN_KEY,
                   /* Translators: %s is what was typed as a setting's name */
                   _("There is no clinic setting “%s”."), key);
      return FALSE;
    }
  if (field->is_switch ? !parse_switch (text, &value)
                       : !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &number, NULL) ||
                         !g_ascii_isdigit (*text))
    {
      g_set_error (error, MESO_POLICY_ERROR, MESO_POLICY_ERROR_INVALID_VALUE,
                   field->is_switch
                   /* Translators: keep on, off, true, false as they are */
                   ? _("%s takes on or off (or true/false, 1/0), not “%s”.")
                   /* Translators: %s is the setting's name, then what was typed */
                   : _("%s takes a whole number, not “%s”."), field->key, text);
      return FALSE;
    }
  if (!field->is_switch)
    value = (guint)number;

  G_STRUCT_MEMBER (guint, policy, field->offset) = value;
  return TRUE;
}

guint
meso_policy_min_days (const MesoPolicy *policy,
                      gboolean          sensitive_skin)
{
  g_return_val_if_fail (policy != NULL, default_policy.interval_min_days);

  return sensitive_skin ? policy->sensitive_min_days : policy->interval_min_days;
}

guint
meso_policy_max_days (const MesoPolicy *policy,
                      gboolean          sensitive_skin)
{
  g_return_val_if_fail (policy != NULL, default_policy.interval_max_days);

  return sensitive_skin ? policy->sensitive_max_days : policy->interval_max_days;
}
