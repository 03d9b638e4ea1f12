/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-rules.h"

#include "meso-number.h"

#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define RULE_INTERVAL "R1"
#define RULE_CONTRAINDICATION "R2"
#define RULE_NEEDLE "R3"
#define RULE_LOT "R7"
#define RULE_CONSENT MESO_RULE_CONSENT

G_DEFINE_QUARK (meso-rules-error-quark, meso_rules_error)

/* ------------------------------------------------------------------ R1 */

void
meso_rules_find_neighbours (const MesoSessionRef  *sessions,
                            guint                  n_sessions,
                            MesoArea               area,
                            GDateTime             *at,
                            gint64                 ignore_id,
                            const MesoSessionRef **before,
                            const MesoSessionRef **after)
{
  const MesoSessionRef *prev = NULL;
  const MesoSessionRef *next = NULL;

  g_return_if_fail (sessions != NULL || n_sessions == 0);
  g_return_if_fail (at != NULL);

  for (guint i = 0; i < n_sessions; i++)
    {
      const MesoSessionRef *s = &sessions[i];

      if (s->cancelled || s->area != area || s->at == NULL)
        continue;
      if (ignore_id != 0 && s->id == ignore_id)
        continue;

      if (g_date_time_compare (s->at, at) <= 0)
        {
          if (prev == NULL || g_date_time_compare (s->at, prev->at) > 0)
            prev = s;
        }
      else if (next == NULL || g_date_time_compare (s->at, next->at) < 0)
        next = s;
    }

  if (before != NULL)
    *before = prev;
  if (after != NULL)
    *after = next;
}

static char *
format_day_of (GDateTime *date_time)
{
  GDate date;

  meso_date_from_date_time (date_time, &date);
  return meso_format_date (&date);
}

static char *
format_day_plus (GDateTime *date_time,
                 int        days)
{
  GDate date;

  meso_date_from_date_time (date_time, &date);
  if (days >= 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);
  return meso_format_date (&date);
}

MesoVerdict *
meso_rules_check_interval (const MesoPolicy        *policy,
                           const MesoPatientFacts  *patient,
                           const MesoTreatmentPlan *plan)
{
  const MesoSessionRef *before = NULL;
  const MesoSessionRef *after = NULL;
  g_autoptr(GString) refusal = g_string_new (NULL);
  const char *area;
  guint min_days, max_days;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (patient != NULL, NULL);
  g_return_val_if_fail (plan != NULL && plan->at != NULL, NULL);

  min_days = meso_policy_min_days (policy, patient->sensitive_skin);
  max_days = meso_policy_max_days (policy, patient->sensitive_skin);
  area = meso_area_get_label (plan->area);

  meso_rules_find_neighbours (patient->sessions, patient->n_sessions, plan->area, plan->at,
                              plan->id, &before, &after);

  if (before != NULL)
    {
      int gap = meso_days_between (before->at, plan->at);

      if (gap < (int)min_days)
        {
          g_autofree char *then = format_day_of (before->at);
          g_autofree char *earliest = format_day_plus (before->at, min_days);

          g_string_append_printf (refusal,
                                  /* Translators: R1 is the rule's name; %s: area, date, count, date */
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "R1 treatment interval: the last %s session was on %s, "
                                               "only %d day before; at least %u days are required, "
                                               "so the earliest date is %s.",
                                               "R1 treatment interval: the last %s session was on %s, "
                                               "only %d days before; at least %u days are required, "
                                               "so the earliest date is %s.",
                                               gap),
                                  area, then, gap, min_days, earliest);
        }
    }

  if (after != NULL)
    {
      int gap = meso_days_between (plan->at, after->at);

      if (gap < (int)min_days)
        {
          g_autofree char *then = format_day_of (after->at);
          g_autofree char *latest = format_day_plus (after->at, -(int)min_days);

          if (refusal->len > 0)
            g_string_append_c (refusal, ' ');
          g_string_append_printf (refusal,
                                  /* Translators: R1 is the rule's name; %s: area, date, count, date */
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "R1 treatment interval: the next %s session is on %s, "
                                               "only %d day later; at least %u days are required, "
                                               "so the latest date before it is %s.",
                                               "R1 treatment interval: the next %s session is on %s, "
                                               "only %d days later; at least %u days are required, "
                                               "so the latest date before it is %s.",
                                               gap),
                                  area, then, gap, min_days, latest);
        }
    }

  if (refusal->len > 0)
    return meso_verdict_new_refused (RULE_INTERVAL, MESO_RESOLUTION_OVERRIDE, refusal->str);

  if (before != NULL)
    {
      int gap = meso_days_between (before->at, plan->at);

      if (gap > (int)max_days)
        {
          g_autofree char *then = format_day_of (before->at);
          g_autofree char *message =
            g_strdup_printf (_("R1 treatment interval: %d days after the %s session on %s, "
                               "outside the recommended window of %u to %u days."),
                             gap, area, then, min_days, max_days);

          return meso_verdict_new (MESO_VERDICT_WARNING, RULE_INTERVAL, message);
        }
    }

  return meso_verdict_new_ok (RULE_INTERVAL);
}

void
meso_rules_follow_up_window (const MesoPolicy *policy,
                             gboolean          sensitive_skin,
                             GDateTime        *last_session_at,
                             GDate            *opens,
                             GDate            *closes)
{
  GDate last;

  g_return_if_fail (policy != NULL);
  g_return_if_fail (last_session_at != NULL);

  meso_date_from_date_time (last_session_at, &last);

  if (opens != NULL)
    {
      *opens = last;
      g_date_add_days (opens, meso_policy_min_days (policy, sensitive_skin));
    }
  if (closes != NULL)
    {
      *closes = last;
      g_date_add_days (closes, meso_policy_max_days (policy, sensitive_skin));
    }
}

/* ------------------------------------------------------------------ R2 */

gboolean
meso_flag_is_active_on (const MesoFlag *flag,
                        const GDate    *day)
{
  g_return_val_if_fail (flag != NULL, FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  if (!g_date_valid (&flag->noted_on) || g_date_compare (&flag->noted_on, day) > 0)
    return FALSE;
  if (g_date_valid (&flag->cleared_on) && g_date_compare (&flag->cleared_on, day) <= 0)
    return FALSE;
  return TRUE;
}

static gboolean
contraindication_defers (MesoContraindication kind)
{
  return kind != MESO_CONTRAINDICATION_SCAR_PRONE;
}

MesoVerdict *
meso_rules_check_contraindications (const MesoPatientFacts *patient,
                                    MesoPurpose             purpose,
                                    GDateTime              *now,
                                    GDateTime              *at)
{
  g_autoptr(GString) defer = g_string_new (NULL);
  g_autoptr(GString) caution = g_string_new (NULL);
  GDate day;

  g_return_val_if_fail (patient != NULL, NULL);
  g_return_val_if_fail (patient->flags != NULL || patient->n_flags == 0, NULL);
  g_return_val_if_fail (now != NULL && at != NULL, NULL);

  /* A booking is judged on what is known today: the flag may clear by then,
   * and check-in looks again. A treatment is judged on its own day. */
  meso_date_from_date_time (purpose == MESO_PURPOSE_BOOK ? now : at, &day);

  for (guint i = 0; i < patient->n_flags; i++)
    {
      const MesoFlag *flag = &patient->flags[i];
      GString *list;
      g_autofree char *noted = NULL;

      if (!meso_flag_is_active_on (flag, &day))
        continue;

      list = contraindication_defers (flag->kind) ? defer : caution;
      noted = meso_format_date (&flag->noted_on);
      if (list->len > 0)
        g_string_append (list, ", ");
      /* Translators: a flag and the date it was noted, e.g. “Active acne (noted 2026-11-02)” */
      g_string_append_printf (list, _("%s (noted %s)"),
                              meso_contraindication_get_label (flag->kind), noted);
    }

  if (purpose == MESO_PURPOSE_RECORD)
    {
      g_autofree char *message = NULL;

      if (defer->len > 0)
        {
          message = g_strdup_printf (_("R2 contraindication: defer the treatment while this is "
                                       "active: %s."), defer->str);
          return meso_verdict_new_refused (RULE_CONTRAINDICATION, MESO_RESOLUTION_NONE, message);
        }
      if (caution->len > 0)
        {
          message = g_strdup_printf (_("R2 contraindication: %s. Treat with caution, only "
                                       "after an explicit confirmation."), caution->str);
          return meso_verdict_new_refused (RULE_CONTRAINDICATION, MESO_RESOLUTION_CONFIRM,
                                           message);
        }
    }
  else if (defer->len > 0 || caution->len > 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      if (defer->len > 0)
        {
          g_autofree char *when = format_day_of (at);

          g_string_append_printf (message,
                                  _("R2 contraindication: active today: %s. It may have cleared "
                                    "by %s; it is checked again at check-in."),
                                  defer->str, when);
        }
      if (caution->len > 0)
        {
          if (message->len > 0)
            g_string_append_c (message, ' ');
          g_string_append_printf (message,
                                  _("R2 contraindication: %s. The session will need an "
                                    "explicit confirmation."),
                                  caution->str);
        }
      return meso_verdict_new (MESO_VERDICT_WARNING, RULE_CONTRAINDICATION, message->str);
    }

  return meso_verdict_new_ok (RULE_CONTRAINDICATION);
}

/* ------------------------------------------------------------------ R3 */

/* Longer than any needle: a bound for the parser, not a clinical limit. */
#define NEEDLE_PARSE_MAX_MM 100

gboolean
meso_needle_parse_mm (const char  *text,
                      guint       *um,
                      GError     **error)
{
  const char *p = text;
  guint whole = 0;
  guint fraction = 0;
  guint scale = 1000;
  guint n_whole = 0;
  gboolean finer = FALSE;

  g_return_val_if_fail (um != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (p != NULL)
    {
      for (; g_ascii_isdigit (*p) && n_whole < 4; p++, n_whole++)
        whole = whole * 10 + (guint)(*p - '0');

      if (n_whole > 0 && meso_number_is_decimal_sign (*p))
        {
          p++;
          for (guint n = 0; g_ascii_isdigit (*p); p++, n++)
            {
              /* Hundredths at most; zeros after them change nothing ("1.500"). */
              if (n >= 2)
                finer = finer || *p != '0';
              else
                {
                  scale /= 10;
                  fraction += (guint)(*p - '0') * scale;
                }
            }
          if (scale == 1000)
            n_whole = 0;  /* "1." has no decimals */
        }
    }

  if (text == NULL || n_whole == 0 || *p != '\0' || whole > NEEDLE_PARSE_MAX_MM)
    {
      g_autofree char *half = meso_needle_format_number (500);
      g_autofree char *example = meso_needle_format_number (1250);

      g_set_error (error, MESO_RULES_ERROR, MESO_RULES_ERROR_INVALID,
                   /* Translators: the first %s is what was typed, then two
                    * examples in the locale's form, “0.5” and “1.25” */
                   _("“%s” is not a needle length in millimetres, such as %s or %s"),
                   text ? text : "", half, example);
      return FALSE;
    }
  if (finer)
    {
      g_autofree char *short_one = meso_needle_format_number (150);
      g_autofree char *example = meso_needle_format_number (1250);

      g_set_error (error, MESO_RULES_ERROR, MESO_RULES_ERROR_INVALID,
                   /* Translators: the first %s is what was typed, then two
                    * examples in the locale's form, “0.15” and “1.25” */
                   _("“%s” has more than two decimals: needle lengths are in hundredths of a "
                     "millimetre, such as %s or %s"),
                   text, short_one, example);
      return FALSE;
    }

  *um = whole * 1000 + fraction;
  return TRUE;
}

char *
meso_needle_format_number (guint um)
{
  /* Micrometres as millimetres, at least one decimal: 1500 → "1.5" ("1,5"). */
  return meso_number_format_fixed (um, 3, 1);
}

char *
meso_needle_format_mm (guint um)
{
  g_autofree char *number = meso_needle_format_number (um);

  /* Translators: a needle length, %s is the number in millimetres */
  return g_strdup_printf (_("%s mm"), number);
}

gboolean
meso_rules_needle_class (guint            um,
                         MesoNeedleClass *klass)
{
  MesoNeedleClass result;

  if (um < MESO_NEEDLE_MIN_UM || um > MESO_NEEDLE_MAX_UM)
    return FALSE;

  if (um <= MESO_NEEDLE_SHORT_MAX_UM)
    result = MESO_NEEDLE_CLASS_SHORT;
  else if (um <= MESO_NEEDLE_MEDIUM_MAX_UM)
    result = MESO_NEEDLE_CLASS_MEDIUM;
  else
    result = MESO_NEEDLE_CLASS_LONG;

  if (klass != NULL)
    *klass = result;
  return TRUE;
}

gboolean
meso_indication_is_scar_treatment (MesoIndication indication)
{
  return indication == MESO_INDICATION_ACNE_SCARS || indication == MESO_INDICATION_SCARS;
}

MesoVerdict *
meso_rules_check_needle (guint    um,
                         MesoArea area,
                         gboolean home_use,
                         gboolean scar_treatment)
{
  g_autofree char *length = meso_needle_format_mm (um);
  g_autofree char *message = NULL;

  if (!meso_rules_needle_class (um, NULL))
    {
      g_autofree char *lo = meso_needle_format_mm (MESO_NEEDLE_MIN_UM);
      g_autofree char *hi = meso_needle_format_mm (MESO_NEEDLE_MAX_UM);

      message = g_strdup_printf (_("R3 needle length: %s is not a valid needle length; "
                                   "needles are %s to %s long."), length, lo, hi);
      return meso_verdict_new (MESO_VERDICT_INVALID, RULE_NEEDLE, message);
    }

  if (home_use && um > MESO_NEEDLE_HOME_MAX_UM)
    {
      g_autofree char *limit = meso_needle_format_mm (MESO_NEEDLE_HOME_MAX_UM);

      message = g_strdup_printf (_("R3 needle length: a home-care device may not be longer "
                                   "than %s; %s is for use in a medical facility only."),
                                 limit, length);
      return meso_verdict_new_refused (RULE_NEEDLE, MESO_RESOLUTION_NONE, message);
    }

  if (area == MESO_AREA_FACE && um > MESO_NEEDLE_FACE_MAX_UM && !scar_treatment)
    {
      g_autofree char *limit = meso_needle_format_mm (MESO_NEEDLE_FACE_MAX_UM);

      message = g_strdup_printf (_("R3 needle length: facial skin is about %s thick; "
                                   "%s on the face is only for scar treatment."),
                                 limit, length);
      return meso_verdict_new_refused (RULE_NEEDLE, MESO_RESOLUTION_NONE, message);
    }

  return meso_verdict_new_ok (RULE_NEEDLE);
}

/* ------------------------------------------------------------- R7: lots */

MesoVerdict *
meso_rules_check_lot (const char  *lot,
                      gboolean     registered,
                      const GDate *expires,
                      GDateTime   *at)
{
  g_autofree char *message = NULL;
  GDate day;

  g_return_val_if_fail (at != NULL, NULL);
  g_return_val_if_fail (!registered || (expires != NULL && g_date_valid (expires)), NULL);

  if (lot == NULL || *lot == '\0')
    return meso_verdict_new_ok (RULE_LOT);
  if (!registered)
    {
      message = g_strdup_printf (_("R7 product lot: lot %s is not registered; it is recorded as "
                                   "typed, and its expiry was not checked."), lot);
      return meso_verdict_new (MESO_VERDICT_WARNING, RULE_LOT, message);
    }

  /* The expiry is the last day of use: a lot expiring on the session's
   * day is still usable. */
  meso_date_from_date_time (at, &day);
  if (g_date_compare (&day, expires) > 0)
    {
      g_autofree char *expired = meso_format_date (expires);
      g_autofree char *on = meso_format_date (&day);

      /* Translators: the lot number, its expiry date, the session's date */
      message = g_strdup_printf (_("R7 product lot: lot %s expired on %s, before this session "
                                   "on %s; use a lot that has not expired."), lot, expired, on);
      return meso_verdict_new_refused (RULE_LOT, MESO_RESOLUTION_NONE, message);
    }
  return meso_verdict_new_ok (RULE_LOT);
}

/* ------------------------------------------------------------------ R8 */

gboolean
meso_consent_span_covers (const MesoConsentSpan *consent,
                          const GDate           *day)
{
  g_return_val_if_fail (consent != NULL && g_date_valid (&consent->signed_on), FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  return g_date_compare (&consent->signed_on, day) <= 0 &&
         (!g_date_valid (&consent->revoked_on) ||
          g_date_compare (day, &consent->revoked_on) < 0);
}

MesoVerdict *
meso_rules_check_consent (const MesoPolicy      *policy,
                          const MesoConsentSpan *consents,
                          guint                  n_consents,
                          GDateTime             *at)
{
  g_autofree char *message = NULL;
  g_autofree char *on = NULL;
  GDate day;

  g_return_val_if_fail (policy != NULL && at != NULL, NULL);
  g_return_val_if_fail (consents != NULL || n_consents == 0, NULL);

  if (!policy->consent_required)
    return meso_verdict_new_ok (RULE_CONSENT);
  meso_date_from_date_time (at, &day);
  for (guint i = 0; i < n_consents; i++)
    if (meso_consent_span_covers (&consents[i], &day))
      return meso_verdict_new_ok (RULE_CONSENT);

  on = meso_format_date (&day);
  /* Translators: the session's date */
  message = g_strdup_printf (_("R8 consent: the clinic requires a signed consent for "
                               "microneedling, and this patient has none valid on %s; take "
                               "the patient’s consent first."), on);
  return meso_verdict_new_refused (RULE_CONSENT, MESO_RESOLUTION_NONE, message);
}

/* ------------------------------------------------------- composite checks */

GPtrArray *
meso_rules_check_session (const MesoPolicy        *policy,
                          const MesoPatientFacts  *patient,
                          const MesoTreatmentPlan *plan,
                          GDateTime               *now)
{
  GPtrArray *verdicts;

  g_return_val_if_fail (policy != NULL && patient != NULL && plan != NULL, NULL);
  g_return_val_if_fail (plan->at != NULL && now != NULL, NULL);

  verdicts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (verdicts, meso_rules_check_needle (plan->needle_um, plan->area,
                                                      plan->home_use, plan->scar_treatment));
  g_ptr_array_add (verdicts, meso_rules_check_contraindications (patient, MESO_PURPOSE_RECORD,
                                                                 now, plan->at));
  g_ptr_array_add (verdicts, meso_rules_check_interval (policy, patient, plan));
  g_ptr_array_add (verdicts, meso_rules_check_lot (plan->lot, plan->lot_registered,
                                                   &plan->lot_expires, plan->at));
  g_ptr_array_add (verdicts, meso_rules_check_consent (policy, patient->consents,
                                                       patient->n_consents, plan->at));
  return verdicts;
}

GPtrArray *
meso_rules_check_booking (const MesoPolicy        *policy,
                          const MesoPatientFacts  *patient,
                          const MesoTreatmentPlan *plan,
                          GDateTime               *now)
{
  GPtrArray *verdicts;

  g_return_val_if_fail (policy != NULL && patient != NULL && plan != NULL, NULL);
  g_return_val_if_fail (plan->at != NULL && now != NULL, NULL);

  verdicts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (verdicts, meso_rules_check_contraindications (patient, MESO_PURPOSE_BOOK,
                                                                 now, plan->at));
  g_ptr_array_add (verdicts, meso_rules_check_interval (policy, patient, plan));
  return verdicts;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static MesoVerdict *
resolve_one (MesoVerdict *verdict,
             MesoRole     role,
             const char  *override_reason,
             gboolean     caution_confirmed)
{
  if (meso_verdict_get_kind (verdict) != MESO_VERDICT_REFUSED)
    return g_object_ref (verdict);

  switch (meso_verdict_get_resolution (verdict))
    {
    case MESO_RESOLUTION_OVERRIDE:
      if (is_blank (override_reason))
        return g_object_ref (verdict);
      if (role != MESO_ROLE_CLINICIAN)
        {
          g_autofree char *message =
            g_strdup_printf (_("%s Only a clinician may override this rule."),
                             meso_verdict_get_message (verdict));

          return meso_verdict_new_refused (meso_verdict_get_rule (verdict),
                                           MESO_RESOLUTION_OVERRIDE, message);
        }
      else
        {
          g_autofree char *reason = g_strstrip (g_strdup (override_reason));
          g_autofree char *message =
            g_strdup_printf (_("%s Overridden by a clinician: %s"),
                             meso_verdict_get_message (verdict), reason);

          return meso_verdict_new_lifted (verdict, message);
        }

    case MESO_RESOLUTION_CONFIRM:
      if (!caution_confirmed)
        return g_object_ref (verdict);
      else
        {
          g_autofree char *message =
            g_strdup_printf (_("%s Confirmed."), meso_verdict_get_message (verdict));

          return meso_verdict_new_lifted (verdict, message);
        }

    case MESO_RESOLUTION_NONE:
    default:
      return g_object_ref (verdict);
    }
}

GPtrArray *
meso_rules_resolve (GPtrArray  *verdicts,
                    MesoRole    role,
                    const char *override_reason,
                    gboolean    caution_confirmed)
{
  GPtrArray *resolved;

  g_return_val_if_fail (verdicts != NULL, NULL);

  resolved = g_ptr_array_new_full (verdicts->len, g_object_unref);
  for (guint i = 0; i < verdicts->len; i++)
    g_ptr_array_add (resolved, resolve_one (g_ptr_array_index (verdicts, i), role,
                                            override_reason, caution_confirmed));
  return resolved;
}

/* ------------------------------------------------------------------ R4 */

void
meso_aftercare_item_clear (MesoAftercareItem *item)
{
  g_return_if_fail (item != NULL);

  g_clear_pointer (&item->from, g_date_time_unref);
  g_clear_pointer (&item->until, g_date_time_unref);
}

void
meso_aftercare_item_free (MesoAftercareItem *item)
{
  if (item == NULL)
    return;
  meso_aftercare_item_clear (item);
  g_free (item);
}

gboolean
meso_aftercare_item_is_active_at (const MesoAftercareItem *item,
                                  GDateTime               *at)
{
  g_return_val_if_fail (item != NULL && at != NULL, FALSE);

  if (g_date_time_compare (at, item->from) < 0)
    return FALSE;
  return item->until == NULL || g_date_time_compare (at, item->until) < 0;
}

gboolean
meso_aftercare_item_is_active_during (const MesoAftercareItem *item,
                                      GDateTime               *start,
                                      GDateTime               *end)
{
  g_return_val_if_fail (item != NULL && item->from != NULL, FALSE);
  g_return_val_if_fail (start != NULL && end != NULL, FALSE);

  /* [from, until) overlaps [start, end) */
  return g_date_time_compare (item->from, end) < 0 &&
         (item->until == NULL || g_date_time_compare (item->until, start) > 0);
}

gboolean
meso_rules_moisturise_is_active_during (gint64  session_at,
                                        gint64  next_session_at,
                                        gint64  start,
                                        gint64  end,
                                        gint64 *from,
                                        gint64 *until)
{
  g_return_val_if_fail (from != NULL && until != NULL, FALSE);

  /* As meso_rules_aftercare_item(): from the session until the next one. */
  *from = session_at;
  *until = next_session_at;
  /* As meso_aftercare_item_is_active_during(). */
  return *from < end && (*until == G_MAXINT64 || *until > start);
}

gboolean
meso_aftercare_item_is_active_on (const MesoAftercareItem *item,
                                  const GDate             *day)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  GDate next;

  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  next = *day;
  g_date_add_days (&next, 1);
  start = meso_date_time_from_date (day);
  end = meso_date_time_from_date (&next);
  return meso_aftercare_item_is_active_during (item, start, end);
}

const char *
meso_aftercare_kind_get_instruction (MesoAftercareKind kind)
{
  switch (kind)
    {
    case MESO_AFTERCARE_NO_WATER:
      return _("No tap water on the treated area; keep the medical repair dressing on.");
    case MESO_AFTERCARE_SUN_PROTECTION:
      return _("Strict sun protection; a physical (mineral) sunscreen is preferred.");
    case MESO_AFTERCARE_MOISTURISE:
      return _("A ceramide moisturiser every day; no alcohol-based or irritant skincare.");
    case MESO_AFTERCARE_FOLLOW_UP_DUE:
      return _("Follow-up due: book the next session.");
    case MESO_AFTERCARE_OVERDUE:
      return _("Overdue: the recommended window has passed; call to book the next session.");
    default:
      g_return_val_if_reached ("");
    }
}

void
meso_rules_follow_up_item (const GDate       *opens,
                           const GDate       *closes,
                           MesoAftercareItem *item)
{
  GDate after;

  g_return_if_fail (opens != NULL && g_date_valid (opens));
  g_return_if_fail (closes != NULL && g_date_valid (closes));
  g_return_if_fail (item != NULL);

  after = *closes;
  g_date_add_days (&after, 1);  /* the last day is included */
  item->kind = MESO_AFTERCARE_FOLLOW_UP_DUE;
  item->from = meso_date_time_from_date (opens);
  item->until = meso_date_time_from_date (&after);
}

void
meso_rules_aftercare_item (const MesoPolicy  *policy,
                           MesoAftercareKind  kind,
                           gboolean           sensitive_skin,
                           GDateTime         *session_at,
                           GDateTime         *next_session_at,
                           MesoAftercareItem *item)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (session_at != NULL);
  g_return_if_fail (item != NULL);

  item->kind = kind;
  item->from = NULL;
  item->until = NULL;

  /* Hours are elapsed time; days are calendar days in local time. */
  switch (kind)
    {
    case MESO_AFTERCARE_NO_WATER:
      item->from = g_date_time_ref (session_at);
      item->until = g_date_time_add_hours (session_at, policy->no_water_hours);
      break;

    case MESO_AFTERCARE_SUN_PROTECTION:
      item->from = g_date_time_ref (session_at);
      item->until = g_date_time_add_days (session_at, policy->sun_protection_days);
      break;

    case MESO_AFTERCARE_MOISTURISE:
      item->from = g_date_time_ref (session_at);
      item->until = next_session_at ? g_date_time_ref (next_session_at) : NULL;
      break;

    case MESO_AFTERCARE_FOLLOW_UP_DUE:
      {
        GDate opens, closes;

        meso_rules_follow_up_window (policy, sensitive_skin, session_at, &opens, &closes);
        meso_rules_follow_up_item (&opens, &closes, item);
      }
      break;

    case MESO_AFTERCARE_OVERDUE:  /* a state of the follow-up, not a row of R4 */
    default:
      g_return_if_reached ();
    }
}

GPtrArray *
meso_rules_aftercare_plan (const MesoPolicy *policy,
                           gboolean          sensitive_skin,
                           GDateTime        *session_at,
                           GDateTime        *next_session_at)
{
  /* The rows of the R4 table, in its order. */
  static const MesoAftercareKind table[] = {
    MESO_AFTERCARE_NO_WATER,
    MESO_AFTERCARE_SUN_PROTECTION,
    MESO_AFTERCARE_MOISTURISE,
    MESO_AFTERCARE_FOLLOW_UP_DUE,
  };
  GPtrArray *plan;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (session_at != NULL, NULL);

  plan = g_ptr_array_new_full (G_N_ELEMENTS (table),
                               (GDestroyNotify)meso_aftercare_item_free);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      MesoAftercareItem *item = g_new0 (MesoAftercareItem, 1);

      meso_rules_aftercare_item (policy, table[i], sensitive_skin, session_at, next_session_at,
                                 item);
      g_ptr_array_add (plan, item);
    }
  return plan;
}

MesoRecallStatus
meso_rules_recall_status_in_window (const MesoPolicy *policy,
                                    const GDate      *opens,
                                    const GDate      *closes,
                                    gboolean          follow_up_booked,
                                    gboolean          course_finished,
                                    gboolean          declined,
                                    const GDate      *today)
{
  g_return_val_if_fail (policy != NULL, MESO_RECALL_NONE);
  g_return_val_if_fail (opens != NULL && g_date_valid (opens), MESO_RECALL_NONE);
  g_return_val_if_fail (closes != NULL && g_date_valid (closes), MESO_RECALL_NONE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), MESO_RECALL_NONE);

  return meso_rules_recall_status_in_julian_window (policy, g_date_get_julian (opens),
                                                    g_date_get_julian (closes),
                                                    follow_up_booked, course_finished, declined,
                                                    g_date_get_julian (today));
}

MesoRecallStatus
meso_rules_recall_status_in_julian_window (const MesoPolicy *policy,
                                           guint32           opens,
                                           guint32           closes,
                                           gboolean          follow_up_booked,
                                           gboolean          course_finished,
                                           gboolean          declined,
                                           guint32           today)
{
  g_return_val_if_fail (policy != NULL, MESO_RECALL_NONE);
  g_return_val_if_fail (g_date_valid_julian (opens) && g_date_valid_julian (closes) &&
                        g_date_valid_julian (today), MESO_RECALL_NONE);

  if (follow_up_booked || course_finished || declined)
    return MESO_RECALL_NONE;
  if (today > closes)
    return MESO_RECALL_OVERDUE;
  if ((gint64)opens - today <= (gint64)policy->due_soon_days)
    return MESO_RECALL_DUE;
  return MESO_RECALL_NONE;
}

MesoRecallStatus
meso_rules_recall_status (const MesoPolicy *policy,
                          gboolean          sensitive_skin,
                          GDateTime        *last_session_at,
                          gboolean          follow_up_booked,
                          gboolean          course_finished,
                          gboolean          declined,
                          const GDate      *today)
{
  GDate opens, closes;

  g_return_val_if_fail (policy != NULL, MESO_RECALL_NONE);
  g_return_val_if_fail (last_session_at != NULL, MESO_RECALL_NONE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), MESO_RECALL_NONE);

  meso_rules_follow_up_window (policy, sensitive_skin, last_session_at, &opens, &closes);
  return meso_rules_recall_status_in_window (policy, &opens, &closes, follow_up_booked,
                                             course_finished, declined, today);
}

/* ------------------------------------------------------------------ R5 */

gboolean
meso_rules_healing_phase (GDateTime        *session_at,
                          const GDate      *day,
                          MesoHealingPhase *phase,
                          int              *day_number)
{
  GDate session_day;
  int n;

  g_return_val_if_fail (session_at != NULL, FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);

  meso_date_from_date_time (session_at, &session_day);
  n = g_date_days_between (&session_day, day);
  if (n < 0)
    return FALSE;

  if (phase != NULL)
    {
      if (n < MESO_HEALING_REPAIR_FROM_DAY)
        *phase = MESO_HEALING_INFLAMMATORY;
      else if (n <= MESO_HEALING_REPAIR_UNTIL_DAY)
        *phase = MESO_HEALING_PROLIFERATIVE;
      else
        *phase = MESO_HEALING_REMODELLING;
    }
  if (day_number != NULL)
    *day_number = n;
  return TRUE;
}

char *
meso_rules_healing_describe (MesoHealingPhase phase,
                             int              day_number)
{
  const char *what;

  switch (phase)
    {
    case MESO_HEALING_INFLAMMATORY:
      what = _("Inflammatory phase: the skin clears the micro-injuries and releases growth "
               "factors.");
      break;
    case MESO_HEALING_PROLIFERATIVE:
      what = _("Repair phase: fibroblasts lay down type III collagen.");
      break;
    case MESO_HEALING_REMODELLING:
    default:
      what = _("Remodelling phase: type I collagen gradually replaces type III.");
      break;
    }

  if (day_number >= MESO_HEALING_TURNOVER_FROM_DAY &&
      day_number <= MESO_HEALING_TURNOVER_UNTIL_DAY)
    return g_strdup_printf (
      /* Translators: %d is the day after the session; the others are day counts */
      _("Day %d. %s The epidermis renews itself around now (%d–%d days instead of %d)."),
      day_number, what, MESO_HEALING_TURNOVER_FROM_DAY, MESO_HEALING_TURNOVER_UNTIL_DAY,
      MESO_HEALING_NORMAL_TURNOVER_DAYS);

  /* Translators: %d is the day after the session, %s the phase's description */
  return g_strdup_printf (_("Day %d. %s"), day_number, what);
}

/* ------------------------------------------------------------------ R6 */

gboolean
meso_rules_indication_suits_area (MesoIndication indication,
                                  MesoArea       area)
{
  if (indication == MESO_INDICATION_HAIR_LOSS)
    return area == MESO_AREA_SCALP;
  return TRUE;
}

gboolean
meso_rules_active_suits_area (MesoActive active,
                              MesoArea   area)
{
  if (active == MESO_ACTIVE_MINOXIDIL)
    return area == MESO_AREA_SCALP;
  return TRUE;
}
