/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: the aftercare panel's and the recall list's rows (R4). The SQL
 * only narrows down the candidates through indexes; which instruction is
 * active, and who is due or overdue, is decided by meso-rules. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

void
meso_reminder_free (MesoReminder *reminder)
{
  if (reminder == NULL)
    return;
  g_free (reminder->patient);
  g_clear_pointer (&reminder->session_at, g_date_time_unref);
  g_clear_pointer (&reminder->from, g_date_time_unref);
  g_clear_pointer (&reminder->until, g_date_time_unref);
  g_free (reminder);
}

static MesoReminder *
reminder_new (sqlite3_stmt            *stmt,
              GDateTime               *session_at,
              const MesoAftercareItem *item,
              MesoAftercareKind        kind)
{
  MesoReminder *reminder = g_new0 (MesoReminder, 1);
  int area = MESO_AREA_FACE;

  meso_enum_from_nick (MESO_TYPE_AREA, (const char *)sqlite3_column_text (stmt, 3), &area);
  reminder->patient_id = sqlite3_column_int64 (stmt, 0);
  reminder->patient = meso_store_column_dup (stmt, 1);
  reminder->sensitive_skin = sqlite3_column_int (stmt, 2) != 0;
  reminder->area = area;
  reminder->session_id = sqlite3_column_int64 (stmt, 4);
  reminder->session_at = g_date_time_ref (session_at);
  reminder->kind = kind;
  reminder->from = g_date_time_ref (item->from);
  reminder->until = item->until ? g_date_time_ref (item->until) : NULL;
  return reminder;
}

/* Columns: patient id, name, sensitive, area, session id, session time,
 * and (courses only) booked, recall state, next booking. */
static gboolean
collect (MesoStore         *self,
         sqlite3_stmt      *stmt,
         const MesoPolicy  *policy,
         const GDate       *day,
         GDateTime         *day_start,
         gboolean           courses,
         GPtrArray         *out,
         GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  while (meso_store_step_row (self, stmt, &local_error))
    {
      g_autoptr(GDateTime) at = meso_date_time_new_from_unix (sqlite3_column_int64 (stmt, 5));
      g_autoptr(GDateTime) next = NULL;
      g_autoptr(GPtrArray) plan = NULL;
      gboolean sensitive = sqlite3_column_int (stmt, 2) != 0;
      const MesoAftercareItem *follow_up;

      if (courses && sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        next = meso_date_time_new_from_unix (sqlite3_column_int64 (stmt, 8));
      plan = meso_rules_aftercare_plan (policy, sensitive, at, next);
      follow_up = g_ptr_array_index (plan, MESO_AFTERCARE_FOLLOW_UP_DUE);
      g_assert (follow_up->kind == MESO_AFTERCARE_FOLLOW_UP_DUE);

      for (guint i = 0; i < plan->len; i++)
        {
          MesoAftercareItem *item = g_ptr_array_index (plan, i);

          switch (item->kind)
            {
            case MESO_AFTERCARE_NO_WATER:
            case MESO_AFTERCARE_SUN_PROTECTION:
              if (!courses && meso_aftercare_item_is_active_on (item, day))
                g_ptr_array_add (out, reminder_new (stmt, at, item, item->kind));
              break;

            case MESO_AFTERCARE_MOISTURISE:
              /* Listed until the window closes; then the recall list takes over. */
              if (courses && meso_aftercare_item_is_active_on (item, day) &&
                  g_date_time_compare (day_start, follow_up->until) < 0)
                g_ptr_array_add (out, reminder_new (stmt, at, item, item->kind));
              break;

            case MESO_AFTERCARE_FOLLOW_UP_DUE:
              if (courses)
                {
                  const char *recall = (const char *)sqlite3_column_text (stmt, 7);
                  MesoRecallStatus status =
                    meso_rules_recall_status (policy, sensitive, at,
                                              sqlite3_column_int (stmt, 6) != 0,
                                              g_strcmp0 (recall, "finished") == 0,
                                              g_strcmp0 (recall, "declined") == 0, day);

                  if (status == MESO_RECALL_DUE)
                    g_ptr_array_add (out, reminder_new (stmt, at, item,
                                                        MESO_AFTERCARE_FOLLOW_UP_DUE));
                  else if (status == MESO_RECALL_OVERDUE)
                    g_ptr_array_add (out, reminder_new (stmt, at, item,
                                                        MESO_AFTERCARE_OVERDUE));
                }
              break;

            case MESO_AFTERCARE_OVERDUE:
            default:
              break;
            }
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static int
compare_reminders (gconstpointer a,
                   gconstpointer b)
{
  const MesoReminder *x = *(const MesoReminder **)a;
  const MesoReminder *y = *(const MesoReminder **)b;
  int by_time;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  /* The overdue longest first; everything else by when it ends or opens. */
  by_time = x->kind == MESO_AFTERCARE_OVERDUE
              ? g_date_time_compare (x->session_at, y->session_at)
              : g_date_time_compare (x->until ? x->until : x->from, y->until ? y->until : y->from);
  if (by_time != 0)
    return by_time;
  return x->patient_id < y->patient_id ? -1 : x->patient_id > y->patient_id;
}

/* "+p.archived": the unary plus keeps SQLite from reading every patient
 * through patients_sort (archived, …), its guess without statistics; the
 * few candidate rows come from the indexes named here instead. */

/* Today's aftercare: sessions of the last few days, by sessions_at. */
static const char recent_sql[] =
  "SELECT p.id, p.name, p.sensitive_skin, s.area, s.id, s.at "
  "FROM sessions s JOIN patients p ON p.id = s.patient_id "
  "WHERE s.at >= ?1 AND s.at < ?2 AND +p.archived = 0";

/* Courses whose window is still open (moisturise, due), by courses_closes;
 * and the unbooked active ones whose window has opened or opens soon (due,
 * overdue), by the partial index courses_recall. */
static const char courses_sql[] =
  "SELECT p.id, p.name, p.sensitive_skin, c.area, c.last_session_id, "
  "c.last_at, c.booked, c.recall, (SELECT min(a.start) FROM "
  "appointments a WHERE a.patient_id = c.patient_id AND a.area = c.area "
  "AND a.start > c.last_at AND a.status IN ('booked', 'checked-in')) "
  "FROM courses c JOIN patients p ON p.id = c.patient_id "
  "WHERE c.closes_day >= ?1 AND c.last_at < ?2 AND +p.archived = 0 "
  "UNION ALL "
  "SELECT p.id, p.name, p.sensitive_skin, c.area, c.last_session_id, "
  "c.last_at, c.booked, c.recall, NULL "
  "FROM courses c JOIN patients p ON p.id = c.patient_id "
  "WHERE c.recall = 'active' AND c.booked = 0 AND c.opens_day <= ?3 "
  "AND c.closes_day < ?1 AND +p.archived = 0";

GPtrArray *
meso_store_list_reminders (MesoStore    *self,
                           const GDate  *day,
                           GError      **error)
{
  g_autoptr(GPtrArray) reminders = NULL;
  g_autoptr(GDateTime) day_start = NULL;
  g_autoptr(GDateTime) day_end = NULL;
  g_autoptr(GDateTime) recent = NULL;
  MesoPolicy policy;
  sqlite3_stmt *stmt;
  GDate next_day;
  guint julian;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  if (!meso_store_load_policy (self, &policy, error))
    return NULL;

  next_day = *day;
  g_date_add_days (&next_day, 1);
  day_start = meso_date_time_from_date (day);
  day_end = meso_date_time_from_date (&next_day);
  julian = g_date_get_julian (day);
  /* Far enough back for the longest of the first instructions, in calendar
   * days, plus one for the hours of the first one. */
  recent = g_date_time_add_days (day_start,
                                 -(int)(MAX (policy.sun_protection_days,
                                             policy.no_water_hours / 24) + 1));

  reminders = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);

  stmt = meso_store_prepare (self, recent_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (recent));
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (day_end));
  if (!collect (self, stmt, &policy, day, day_start, FALSE, reminders, error))
    return NULL;

  stmt = meso_store_prepare (self, courses_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, julian);
  sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (day_end));
  sqlite3_bind_int64 (stmt, 3, julian + policy.due_soon_days);
  if (!collect (self, stmt, &policy, day, day_start, TRUE, reminders, error))
    return NULL;

  g_ptr_array_sort (reminders, compare_reminders);
  return g_steal_pointer (&reminders);
}

/* For meso_store_sql_for(). */
const char *
meso_store_reminders_sql (const char *name)
{
  if (g_str_equal (name, "reminders-recent"))
    return recent_sql;
  if (g_str_equal (name, "reminders-courses"))
    return courses_sql;
  return NULL;
}
