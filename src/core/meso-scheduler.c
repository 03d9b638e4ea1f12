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

void
meso_proposal_free (MesoProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_clear_pointer (&proposal->slots, g_ptr_array_unref);
  g_free (proposal);
}

static void
proposed_slot_free (MesoProposedSlot *slot)
{
  g_date_time_unref (slot->start);
  g_free (slot->practitioner);
  g_free (slot);
}

/* Who may be offered, in the order asked: @like's own, else the one of the
 * patient's last session who still treats, then everyone else who treats.
 * A single NULL when nobody treats (the booking then names nobody). */
static GPtrArray *
practitioner_order (MesoStore        *store,
                    MesoAppointment  *like,
                    GError          **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sessions = NULL;
  g_auto(GStrv) clinicians = NULL;
  const char *last = NULL;

  if (meso_appointment_get_practitioner (like) != NULL)
    {
      g_ptr_array_add (order, g_strdup (meso_appointment_get_practitioner (like)));
      return g_steal_pointer (&order);
    }

  clinicians = meso_store_list_clinicians (store, error);
  if (clinicians == NULL)
    return NULL;
  sessions = meso_store_list_sessions (store, meso_appointment_get_patient_id (like), error);
  if (sessions == NULL)
    return NULL;

  /* Newest first: the first session that names someone. */
  for (guint i = 0; i < sessions->len && last == NULL; i++)
    last = meso_session_get_practitioner (g_ptr_array_index (sessions, i));
  if (last != NULL && g_strv_contains ((const char * const *)clinicians, last))
    g_ptr_array_add (order, g_strdup (last));
  for (guint i = 0; clinicians[i] != NULL; i++)
    if (last == NULL || !g_str_equal (clinicians[i], last))
      g_ptr_array_add (order, g_strdup (clinicians[i]));
  if (order->len == 0)
    g_ptr_array_add (order, NULL);
  return g_steal_pointer (&order);
}

/* Whether @candidate may be booked as it is; FALSE with @error set on a
 * failure of the store (@clean is then untouched). */
static gboolean
check_clean (MesoStore        *store,
             MesoAppointment  *candidate,
             gboolean          late_is_fine,
             gboolean         *clean,
             GError          **error)
{
  g_autoptr(GPtrArray) verdicts = meso_store_check_appointment (store, candidate,
                                                                MESO_ROLE_RECEPTIONIST, error);

  if (verdicts == NULL)
    return FALSE;
  *clean = slot_is_clean (verdicts, late_is_fine);
  return TRUE;
}

/* The practitioner free at @candidate's start, in @order; *@found stays
 * NULL when nobody is (or the time is not free for other reasons). */
static gboolean
find_free_practitioner (MesoStore        *store,
                        MesoAppointment  *candidate,
                        GPtrArray        *order,
                        gboolean          late_is_fine,
                        const char      **found,
                        gboolean         *free,
                        GError          **error)
{
  gboolean clean = FALSE;

  *free = FALSE;
  *found = NULL;
  meso_appointment_set_practitioner (candidate, g_ptr_array_index (order, 0));
  if (!check_clean (store, candidate, late_is_fine, &clean, error))
    return FALSE;
  if (clean || order->len == 1)
    {
      *free = clean;
      *found = g_ptr_array_index (order, 0);
      return TRUE;
    }

  /* The time itself first (rules, hours, patient, room): if it is taken,
   * asking everyone else is no use. */
  meso_appointment_set_practitioner (candidate, NULL);
  if (!check_clean (store, candidate, late_is_fine, &clean, error))
    return FALSE;
  for (guint i = 1; clean && i < order->len; i++)
    {
      meso_appointment_set_practitioner (candidate, g_ptr_array_index (order, i));
      if (!check_clean (store, candidate, late_is_fine, free, error))
        return FALSE;
      if (*free)
        {
          *found = g_ptr_array_index (order, i);
          return TRUE;
        }
    }
  return TRUE;
}

MesoProposal *
meso_scheduler_propose (MesoStore        *store,
                        MesoAppointment  *like,
                        guint             count,
                        GError          **error)
{
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(MesoProposal) proposal = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  const MesoSessionRef *before = NULL;
  const MesoSessionRef *later = NULL;
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
  order = practitioner_order (store, like, error);
  if (order == NULL)
    return NULL;

  proposal = g_new0 (MesoProposal, 1);
  proposal->basis = MESO_PROPOSAL_FIRST;
  g_date_clear (&proposal->window_opens, 1);
  g_date_clear (&proposal->window_closes, 1);
  proposal->slots = g_ptr_array_new_with_free_func ((GDestroyNotify)proposed_slot_free);

  meso_date_from_date_time (now, &today);
  day = today;
  last_day = today;
  g_date_add_days (&last_day, HORIZON_DAYS);

  /* Aim at the window after the last session or booking of the area up to
   * now. The store lists appointments among the facts under their negated
   * ids. */
  meso_rules_find_neighbours (facts.sessions, facts.n_sessions, area, now, -moving_id, &before,
                              &later);
  if (before != NULL)
    {
      meso_rules_follow_up_window (&policy, facts.sensitive_skin, before->at,
                                   &proposal->window_opens, &proposal->window_closes);
      if (g_date_compare (&proposal->window_closes, &today) < 0)
        {
          proposal->basis = MESO_PROPOSAL_OVERDUE;
          late_is_fine = TRUE;
        }
      else
        {
          proposal->basis = MESO_PROPOSAL_IN_WINDOW;
          if (g_date_compare (&proposal->window_opens, &today) > 0)
            day = proposal->window_opens;
          last_day = proposal->window_closes;
        }
    }

  /* A session booked ahead is a neighbour too (the check keeps the interval
   * to it): where none fits before it, one fits in the window after the
   * last one booked, so the search goes on that far. */
  while (later != NULL)
    {
      const MesoSessionRef *last = later;
      GDate closes;

      meso_rules_find_neighbours (facts.sessions, facts.n_sessions, area, last->at, -moving_id,
                                  NULL, &later);
      if (later != NULL)
        continue;
      meso_rules_follow_up_window (&policy, facts.sensitive_skin, last->at, NULL, &closes);
      if (g_date_compare (&closes, &last_day) > 0)
        last_day = closes;
    }

  for (; g_date_compare (&day, &last_day) <= 0 && proposal->slots->len < count;
       g_date_add_days (&day, 1))
    {
      g_autoptr(GDateTime) midnight = meso_date_time_from_date (&day);
      int open, close;

      if (!meso_store_get_opening_hours (store, g_date_get_weekday (&day), &open, &close, error))
        return NULL;

      for (int minute = open; minute + (int)minutes <= close && proposal->slots->len < count;
           minute += SLOT_MINUTES)
        {
          g_autoptr(MesoAppointment) candidate = meso_appointment_new ();
          g_autoptr(GDateTime) start = g_date_time_add_minutes (midnight, minute);
          const char *practitioner = NULL;
          gboolean free = FALSE;

          if (g_date_time_compare (start, now) < 0)
            continue;

          meso_appointment_set_id (candidate, moving_id);
          meso_appointment_set_patient_id (candidate, patient_id);
          meso_appointment_set_area (candidate, area);
          meso_appointment_set_start (candidate, start);
          meso_appointment_set_minutes (candidate, minutes);
          meso_appointment_set_room (candidate, meso_appointment_get_room (like));

          if (!find_free_practitioner (store, candidate, order, late_is_fine, &practitioner,
                                       &free, error))
            return NULL;
          if (free)
            {
              MesoProposedSlot *slot = g_new0 (MesoProposedSlot, 1);

              slot->start = g_date_time_ref (start);
              slot->practitioner = g_strdup (practitioner);
              g_ptr_array_add (proposal->slots, slot);
            }
        }
    }

  return g_steal_pointer (&proposal);
}

GPtrArray *
meso_scheduler_suggest_like (MesoStore        *store,
                             MesoAppointment  *like,
                             guint             count,
                             GError          **error)
{
  g_autoptr(MesoProposal) proposal = meso_scheduler_propose (store, like, count, error);
  GPtrArray *starts;

  if (proposal == NULL)
    return NULL;
  starts = g_ptr_array_new_with_free_func ((GDestroyNotify)g_date_time_unref);
  for (guint i = 0; i < proposal->slots->len; i++)
    g_ptr_array_add (starts, g_date_time_ref (((MesoProposedSlot *)
                                               g_ptr_array_index (proposal->slots, i))->start));
  return starts;
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
