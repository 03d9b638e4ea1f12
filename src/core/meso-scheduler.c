/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-scheduler.h"

#include "meso-time.h"

/* Suggestions start on the quarter hour. */
#define SLOT_MINUTES 15
/* With no window to aim for, or one already past: look this far ahead. */
#define HORIZON_DAYS 42

static gboolean
slot_is_clean (GPtrArray *verdicts,
               gboolean   late_is_fine)
{
  for (guint i = 0; i < verdicts->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      switch (meso_verdict_get_kind (verdict))
        {
        case MESO_VERDICT_OK:
          break;
        case MESO_VERDICT_WARNING:
          /* A contraindication warning stays true at any time; a late one
           * is unavoidable once the window has passed. */
          if (g_str_equal (meso_verdict_get_rule (verdict), "R2"))
            break;
          if (late_is_fine && g_str_equal (meso_verdict_get_rule (verdict), "R1"))
            break;
          return FALSE;
        case MESO_VERDICT_REFUSED:
        case MESO_VERDICT_INVALID:
        default:
          return FALSE;
        }
    }
  return TRUE;
}

GPtrArray *
meso_scheduler_suggest_like (MesoStore        *store,
                             MesoAppointment  *like,
                             guint             count,
                             GError          **error)
{
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  const MesoSessionRef *before = NULL;
  MesoPatientFacts facts = { 0 };
  MesoPolicy policy;
  GDate today, day, last_day;
  gboolean late_is_fine = FALSE;
  gint64 patient_id, moving_id;
  MesoArea area;
  guint minutes;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (MESO_IS_APPOINTMENT (like), NULL);
  g_return_val_if_fail (meso_appointment_get_minutes (like) > 0, NULL);

  patient_id = meso_appointment_get_patient_id (like);
  moving_id = meso_appointment_get_id (like);
  area = meso_appointment_get_area (like);
  minutes = meso_appointment_get_minutes (like);

  if (!meso_store_load_policy (store, &policy, error))
    return NULL;
  buffer = meso_store_load_facts (store, patient_id, &facts, error);
  if (buffer == NULL)
    return NULL;

  meso_date_from_date_time (now, &today);
  day = today;
  last_day = today;
  g_date_add_days (&last_day, HORIZON_DAYS);

  /* Aim at the window after the latest session or booking of the area. */
  /* The store lists appointments among the facts under their negated ids. */
  meso_rules_find_neighbours (facts.sessions, facts.n_sessions, area, now, -moving_id, &before,
                              NULL);
  if (before != NULL)
    {
      GDate opens, closes;

      meso_rules_follow_up_window (&policy, facts.sensitive_skin, before->at, &opens, &closes);
      if (g_date_compare (&closes, &today) < 0)
        late_is_fine = TRUE;
      else
        {
          if (g_date_compare (&opens, &today) > 0)
            day = opens;
          last_day = closes;
        }
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify)g_date_time_unref);
  for (; g_date_compare (&day, &last_day) <= 0 && found->len < count; g_date_add_days (&day, 1))
    {
      int open, close;

      if (!meso_store_get_opening_hours (store, g_date_get_weekday (&day), &open, &close, error))
        return NULL;

      for (int minute = open; minute + (int)minutes <= close && found->len < count;
           minute += SLOT_MINUTES)
        {
          g_autoptr(MesoAppointment) candidate = meso_appointment_new ();
          g_autoptr(GDateTime) midnight = meso_date_time_from_date (&day);
          g_autoptr(GDateTime) start = g_date_time_add_minutes (midnight, minute);
          g_autoptr(GPtrArray) verdicts = NULL;
          g_autoptr(GError) local_error = NULL;

          if (g_date_time_compare (start, now) < 0)
            continue;

          meso_appointment_set_id (candidate, moving_id);
          meso_appointment_set_patient_id (candidate, patient_id);
          meso_appointment_set_area (candidate, area);
          meso_appointment_set_start (candidate, start);
          meso_appointment_set_minutes (candidate, minutes);
          meso_appointment_set_practitioner (candidate, meso_appointment_get_practitioner (like));
          meso_appointment_set_room (candidate, meso_appointment_get_room (like));

          verdicts = meso_store_check_appointment (store, candidate, MESO_ROLE_RECEPTIONIST,
                                                   &local_error);
          if (verdicts == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (slot_is_clean (verdicts, late_is_fine))
            g_ptr_array_add (found, g_date_time_ref (start));
        }
    }

  return g_steal_pointer (&found);
}

GPtrArray *
meso_scheduler_suggest (MesoStore   *store,
                        gint64       patient_id,
                        MesoArea     area,
                        guint        minutes,
                        const char  *practitioner,
                        const char  *room,
                        guint        count,
                        GError     **error)
{
  g_autoptr(MesoAppointment) like = meso_appointment_new ();

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (minutes > 0, NULL);

  meso_appointment_set_patient_id (like, patient_id);
  meso_appointment_set_area (like, area);
  meso_appointment_set_minutes (like, minutes);
  meso_appointment_set_practitioner (like, practitioner);
  meso_appointment_set_room (like, room);
  return meso_scheduler_suggest_like (store, like, count, error);
}
