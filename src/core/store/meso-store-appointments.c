/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: appointments, their clinical checks and their conflicts. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>

/* Longer bookings are typing errors; the bound also keeps overlap queries
 * to a short index range. */
#define MAX_APPOINTMENT_MINUTES (12 * 60)
#define RULE_CONFLICT "conflict"
#define RULE_HOURS "hours"

#define APPOINTMENT_SELECT \
  "SELECT a.id, a.patient_id, p.name, a.area, a.start, a.minutes, pr.name, r.name, " \
  "a.status, a.override_reason, a.cancel_reason FROM appointments a " \
  "JOIN patients p ON p.id = a.patient_id " \
  "LEFT JOIN practitioners pr ON pr.id = a.practitioner_id " \
  "LEFT JOIN rooms r ON r.id = a.room_id "

static MesoAppointment *
appointment_from_row (MesoDbStmt *stmt)
{
  MesoAppointment *appointment = meso_appointment_new ();
  g_autoptr(GDateTime) start = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 4));
  int value;

  meso_appointment_set_id (appointment, meso_db_column_int64 (stmt, 0));
  meso_appointment_set_patient_id (appointment, meso_db_column_int64 (stmt, 1));
  meso_appointment_set_patient_name (appointment, meso_db_column_text (stmt, 2));
  if (meso_enum_from_nick (MESO_TYPE_AREA, meso_db_column_text (stmt, 3), &value))
    meso_appointment_set_area (appointment, value);
  meso_appointment_set_start (appointment, start);
  meso_appointment_set_minutes (appointment, meso_db_column_int (stmt, 5));
  meso_appointment_set_practitioner (appointment, meso_db_column_text (stmt, 6));
  meso_appointment_set_room (appointment, meso_db_column_text (stmt, 7));
  if (meso_enum_from_nick (MESO_TYPE_APPOINTMENT_STATUS,
                           meso_db_column_text (stmt, 8), &value))
    meso_appointment_set_status (appointment, value);
  meso_appointment_set_override_reason (appointment,
                                        meso_db_column_text (stmt, 9));
  meso_appointment_set_cancel_reason (appointment, meso_db_column_text (stmt, 10));
  return appointment;
}

static GPtrArray *
collect_appointments (MesoStore     *self,
                      MesoDbStmt    *stmt,
                      GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;

  while (meso_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (list, appointment_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&list);
}

MesoAppointment *
meso_store_get_appointment (MesoStore  *self,
                            gint64      id,
                            GError    **error)
{
  MesoAppointment *appointment;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, APPOINTMENT_SELECT "WHERE a.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, id);
  if (!meso_store_step_found (self, stmt, error,
                              /* Translators: %lld is an appointment number */
                              _("There is no appointment number %lld."), (long long)id))
    return NULL;
  appointment = appointment_from_row (stmt);
  meso_db_reset (stmt);
  return appointment;
}

GPtrArray *
meso_store_list_appointments (MesoStore  *self,
                              GDateTime  *from,
                              GDateTime  *to,
                              GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  /* A span past year 9999 has no GDateTime: a caller's NULL is an answer. */
  if (from == NULL || to == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The days to list are outside the calendar."));
      return NULL;
    }

  stmt = meso_store_prepare (self,
                             APPOINTMENT_SELECT "WHERE a.start >= ?1 AND a.start < ?2 "
                             "ORDER BY a.start, a.id",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, g_date_time_to_unix (from));
  meso_db_bind_int64 (stmt, 2, g_date_time_to_unix (to));
  return collect_appointments (self, stmt, error);
}

GPtrArray *
meso_store_list_patient_appointments (MesoStore  *self,
                                      gint64      patient_id,
                                      GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self,
                             APPOINTMENT_SELECT "WHERE a.patient_id = ?1 ORDER BY a.start, a.id",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);
  return collect_appointments (self, stmt, error);
}

static const char conflicts_sql[] =
  "SELECT a.start, a.end_at, a.practitioner_id = ?4, a.room_id = ?5, "
  "a.patient_id = ?6, a.id "
  "FROM appointments a WHERE a.status IN ('booked', 'checked-in') "
  "AND a.id != ?3 AND a.start >= CAST(?1 AS BIGINT) - ?7 AND a.start < ?2 "
  "AND a.end_at > ?1 "
  "AND (a.practitioner_id = ?4 OR a.room_id = ?5 OR a.patient_id = ?6) "
  "ORDER BY a.start, a.id";

/* Adds a refusal for each active appointment overlapping [start, end) that
 * shares the practitioner, the room or the patient. */
static gboolean
add_conflicts (MesoStore        *self,
               MesoAppointment  *appointment,
               gint64            practitioner_id,
               gint64            room_id,
               GPtrArray        *verdicts,
               GError          **error)
{
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_date_time_to_unix (meso_appointment_get_start (appointment));
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, conflicts_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, start);
  meso_db_bind_int64 (stmt, 2, g_date_time_to_unix (end));
  meso_db_bind_int64 (stmt, 3, meso_appointment_get_id (appointment));
  if (practitioner_id > 0)
    meso_db_bind_int64 (stmt, 4, practitioner_id);
  if (room_id > 0)
    meso_db_bind_int64 (stmt, 5, room_id);
  meso_db_bind_int64 (stmt, 6, meso_appointment_get_patient_id (appointment));
  meso_db_bind_int64 (stmt, 7, MAX_APPOINTMENT_MINUTES * 60);

  while (meso_store_step_row (self, stmt, &local_error))
    {
      g_autoptr(GDateTime) other_start =
        meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 0));
      g_autoptr(GDateTime) other_end =
        meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 1));
      g_autofree char *from = meso_format_date_time (other_start);
      g_autofree char *until = meso_format_time (other_end);
      gint64 other_id = meso_db_column_int64 (stmt, 5);
      g_autofree char *message = NULL;

      /* Translators (the three conflicts): a practitioner or room, an
       * appointment number, its start and end */
      if (meso_db_column_int (stmt, 2) == 1)
        message = g_strdup_printf (_("Conflict: %s already has appointment %lld "
                                     "from %s to %s."),
                                   meso_appointment_get_practitioner (appointment),
                                   (long long)other_id, from, until);
      else if (meso_db_column_int (stmt, 3) == 1)
        message = g_strdup_printf (_("Conflict: room %s is taken by appointment %lld "
                                     "from %s to %s."),
                                   meso_appointment_get_room (appointment),
                                   (long long)other_id, from, until);
      else
        message = g_strdup_printf (_("Conflict: the patient already has appointment %lld "
                                     "from %s to %s."),
                                   (long long)other_id, from, until);
      g_ptr_array_add (verdicts, meso_verdict_new_refused (RULE_CONFLICT, MESO_RESOLUTION_NONE,
                                                           message));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static MesoVerdict *
check_opening_hours (MesoStore        *self,
                     MesoAppointment  *appointment,
                     GError          **error)
{
  GDateTime *start = meso_appointment_get_start (appointment);
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);
  int open, close, from, until;

  if (!meso_store_get_opening_hours (self, g_date_time_get_day_of_week (start), &open, &close,
                                     error))
    return NULL;

  from = g_date_time_get_hour (start) * 60 + g_date_time_get_minute (start);
  until = from + (int)meso_appointment_get_minutes (appointment);
  if (open < close && from >= open && until <= close)
    return meso_verdict_new_ok (RULE_HOURS);

  return meso_verdict_new (MESO_VERDICT_WARNING, RULE_HOURS,
                           _("The appointment is outside the clinic’s opening hours."));
}

/* Everything a booking is judged by, resolved for @role; and the ids. */
static GPtrArray *
judge (MesoStore        *self,
       MesoAppointment  *appointment,
       MesoRole          role,
       gint64           *practitioner_id,
       gint64           *room_id,
       GError          **error)
{
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(GPtrArray) checked = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  MesoPatientFacts facts = { 0 };
  MesoTreatmentPlan plan = { 0 };
  MesoVerdict *hours;
  MesoPolicy policy;
  guint minutes = meso_appointment_get_minutes (appointment);
  GDateTime *start = meso_appointment_get_start (appointment);
  GError *text_error = NULL;

  if (start == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("An appointment needs its date and time."));
      return NULL;
    }
  if (!meso_appointment_validate_text (appointment, &text_error))
    {
      meso_store_invalid (error, text_error);
      return NULL;
    }
  if (minutes == 0 || minutes > MAX_APPOINTMENT_MINUTES)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   _("An appointment lasts from 1 to %d minutes."), MAX_APPOINTMENT_MINUTES);
      return NULL;
    }
  if (g_date_time_compare (start, now) < 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("An appointment cannot be booked in the past."));
      return NULL;
    }
  if (!meso_store_check_date_time (MESO_DATE_BOOKING, start, now, error))
    return NULL;

  *practitioner_id = meso_store_lookup_named (self, FALSE,
                                              meso_appointment_get_practitioner (appointment),
                                              error);
  if (*practitioner_id < 0)
    return NULL;
  *room_id = meso_store_lookup_named (self, TRUE, meso_appointment_get_room (appointment), error);
  if (*room_id < 0 || !meso_store_load_policy (self, &policy, error))
    return NULL;

  buffer = meso_store_load_facts (self, meso_appointment_get_patient_id (appointment), &facts,
                                  error);
  if (buffer == NULL)
    return NULL;

  plan.id = -meso_appointment_get_id (appointment);
  plan.at = start;
  plan.area = meso_appointment_get_area (appointment);

  checked = meso_rules_check_booking (&policy, &facts, &plan, now);
  if (!add_conflicts (self, appointment, *practitioner_id, *room_id, checked, error))
    return NULL;
  hours = check_opening_hours (self, appointment, error);
  if (hours == NULL)
    return NULL;
  g_ptr_array_add (checked, hours);

  return meso_rules_resolve (checked, role, meso_appointment_get_override_reason (appointment),
                             FALSE);
}

GPtrArray *
meso_store_check_appointment (MesoStore        *self,
                              MesoAppointment  *appointment,
                              MesoRole          role,
                              GError          **error)
{
  gint64 practitioner_id, room_id;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (MESO_IS_APPOINTMENT (appointment), NULL);

  if (!meso_store_acting_role (self, &role, error))
    return NULL;
  return judge (self, appointment, role, &practitioner_id, &room_id, error);
}

typedef struct
{
  MesoAppointment *appointment;
  MesoRole         role;
  GPtrArray       *resolved;  /* the last run's verdicts */
  gint64           id;
} Booking;

static gboolean
book_cb (MesoStore  *self,
         gpointer    data,
         GError    **error)
{
  Booking *booking = data;
  MesoAppointment *appointment = booking->appointment;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  gint64 practitioner_id, room_id, id = meso_appointment_get_id (appointment);
  MesoDbStmt *stmt;

  g_clear_pointer (&booking->resolved, g_ptr_array_unref);
  if (id != 0)
    {
      g_autoptr(MesoAppointment) old = meso_store_get_appointment (self, id, error);

      if (old == NULL)
        return FALSE;
      if (!meso_appointment_is_active (old))
        {
          g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                               _("Only a booked appointment can be moved."));
          return FALSE;
        }
    }

  booking->resolved = judge (self, appointment, booking->role, &practitioner_id, &room_id, error);
  if (booking->resolved == NULL || !meso_store_verdicts_allow (booking->resolved, error))
    return FALSE;

  end = meso_appointment_dup_end (appointment);
  if (id == 0)
    stmt = meso_store_prepare (self,
                               "INSERT INTO appointments (patient_id, area, start, minutes, "
                               "end_at, practitioner_id, room_id, status, override_reason, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', ?8, ?9) "
                               "RETURNING id",
                               error);
  else
    stmt = meso_store_prepare (self,
                               "UPDATE appointments SET patient_id = ?1, area = ?2, start = ?3, "
                               "minutes = ?4, end_at = ?5, practitioner_id = ?6, room_id = ?7, "
                               "override_reason = ?8 WHERE id = ?10",
                               error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, meso_appointment_get_patient_id (appointment));
  meso_db_bind_text (stmt, 2, meso_enum_to_nick (MESO_TYPE_AREA,
                                                 meso_appointment_get_area (appointment)));
  meso_db_bind_int64 (stmt, 3, g_date_time_to_unix (meso_appointment_get_start (appointment)));
  meso_db_bind_int64 (stmt, 4, meso_appointment_get_minutes (appointment));
  meso_db_bind_int64 (stmt, 5, g_date_time_to_unix (end));
  if (practitioner_id > 0)
    meso_db_bind_int64 (stmt, 6, practitioner_id);
  if (room_id > 0)
    meso_db_bind_int64 (stmt, 7, room_id);
  if (meso_store_verdicts_lifted (booking->resolved, MESO_RESOLUTION_OVERRIDE))
    meso_db_bind_text (stmt, 8, meso_appointment_get_override_reason (appointment));
  if (id == 0)
    meso_db_bind_int64 (stmt, 9, g_date_time_to_unix (now));
  else
    meso_db_bind_int64 (stmt, 10, id);
  if (id == 0 ? !meso_store_step_id (self, stmt, &id, error)
              : !meso_store_step_done (self, stmt, error))
    return FALSE;
  booking->id = id;
  return meso_store_update_courses (self, meso_appointment_get_patient_id (appointment), error);
}

gboolean
meso_store_book_appointment (MesoStore        *self,
                             MesoAppointment  *appointment,
                             MesoRole          role,
                             GPtrArray       **verdicts,
                             GError          **error)
{
  Booking booking = { appointment, role, NULL, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_APPOINTMENT (appointment), FALSE);

  /* An override is a clinician's: the signed-in person's role decides,
   * whoever the form names. */
  if (!meso_store_acting_role (self, &booking.role, error))
    return FALSE;

  /* Judged inside the write's transaction: two desks booking at once cannot
   * both take the same slot. */
  if (!meso_store_run_judged_write (self, book_cb, &booking, &booking.resolved, verdicts, error))
    return FALSE;

  meso_appointment_set_id (appointment, booking.id);
  meso_appointment_set_status (appointment, MESO_APPOINTMENT_BOOKED);
  return TRUE;
}

typedef struct
{
  gint64                 id;
  const char            *reason;
  MesoAppointmentStatus  status;
} StatusChange;

static gboolean
cancel_cb (MesoStore  *self,
           gpointer    data,
           GError    **error)
{
  StatusChange *change = data;
  g_autoptr(MesoAppointment) appointment = NULL;
  MesoDbStmt *stmt;

  appointment = meso_store_get_appointment (self, change->id, error);
  if (appointment == NULL)
    return FALSE;
  if (!meso_appointment_is_active (appointment))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is a status such as “Done” */
                   _("The appointment cannot be cancelled: it is “%s”."),
                   meso_appointment_status_get_label (meso_appointment_get_status (appointment)));
      return FALSE;
    }

  stmt = meso_store_prepare (self,
                             "UPDATE appointments SET status = 'cancelled', cancel_reason = ?2 "
                             "WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, change->id);
  meso_db_bind_text (stmt, 2, change->reason != NULL && *change->reason ? change->reason : NULL);
  return meso_store_step_done (self, stmt, error) &&
         meso_store_update_courses (self, meso_appointment_get_patient_id (appointment), error);
}

gboolean
meso_store_cancel_appointment (MesoStore   *self,
                               gint64       id,
                               const char  *reason,
                               GError     **error)
{
  StatusChange change = { id, reason, MESO_APPOINTMENT_CANCELLED };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  return meso_store_check_text (MESO_TEXT_CANCEL_REASON, reason, error) &&
         meso_store_run_write (self, cancel_cb, &change, error);
}

static gboolean
transition_allowed (MesoAppointmentStatus from,
                    MesoAppointmentStatus to)
{
  switch (to)
    {
    case MESO_APPOINTMENT_CHECKED_IN:
      return from == MESO_APPOINTMENT_BOOKED;
    case MESO_APPOINTMENT_NO_SHOW:
      return from == MESO_APPOINTMENT_BOOKED || from == MESO_APPOINTMENT_CHECKED_IN;
    case MESO_APPOINTMENT_BOOKED:
      return from == MESO_APPOINTMENT_CHECKED_IN || from == MESO_APPOINTMENT_NO_SHOW;
    case MESO_APPOINTMENT_DONE:
    case MESO_APPOINTMENT_CANCELLED:
    default:
      return FALSE;
    }
}

static gboolean
set_status_cb (MesoStore  *self,
               gpointer    data,
               GError    **error)
{
  StatusChange *change = data;
  g_autoptr(MesoAppointment) appointment = NULL;
  MesoAppointmentStatus current;
  MesoDbStmt *stmt;

  appointment = meso_store_get_appointment (self, change->id, error);
  if (appointment == NULL)
    return FALSE;
  current = meso_appointment_get_status (appointment);
  if (current == change->status)
    return TRUE;
  if (!transition_allowed (current, change->status))
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: both are statuses, e.g. “Done” and “No-show” */
                   _("An appointment that is “%s” cannot become “%s”."),
                   meso_appointment_status_get_label (current),
                   meso_appointment_status_get_label (change->status));
      return FALSE;
    }

  stmt = meso_store_prepare (self, "UPDATE appointments SET status = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, change->id);
  meso_db_bind_text (stmt, 2, meso_enum_to_nick (MESO_TYPE_APPOINTMENT_STATUS, change->status));
  return meso_store_step_done (self, stmt, error) &&
         meso_store_update_courses (self, meso_appointment_get_patient_id (appointment), error);
}

gboolean
meso_store_set_appointment_status (MesoStore              *self,
                                   gint64                  id,
                                   MesoAppointmentStatus   status,
                                   GError                **error)
{
  StatusChange change = { id, NULL, status };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  return meso_store_run_write (self, set_status_cb, &change, error);
}

static gboolean
check_in_cb (MesoStore  *self,
             gpointer    data,
             GError    **error)
{
  StatusChange *change = data;
  g_autoptr(MesoAppointment) appointment = NULL;
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(MesoVerdict) verdict = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  MesoPatientFacts facts = { 0 };
  GDate today, day;

  appointment = meso_store_get_appointment (self, change->id, error);
  if (appointment == NULL)
    return FALSE;
  if (meso_appointment_get_status (appointment) != MESO_APPOINTMENT_BOOKED)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is a status such as “Cancelled” */
                   _("The appointment cannot be checked in: it is “%s”."),
                   meso_appointment_status_get_label (meso_appointment_get_status (appointment)));
      return FALSE;
    }
  meso_clock_today (&today);
  meso_date_from_date_time (meso_appointment_get_start (appointment), &day);
  if (g_date_compare (&today, &day) != 0)
    {
      g_autofree char *when = meso_format_date (&day);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: %s is the appointment's date */
                   _("The appointment is on %s: only today’s appointments can be checked in."),
                   when);
      return FALSE;
    }

  buffer = meso_store_load_facts (self, meso_appointment_get_patient_id (appointment), &facts,
                                  error);
  if (buffer == NULL)
    return FALSE;
  /* The treatment is today, so R2 judges it as one being recorded now. */
  verdict = meso_rules_check_contraindications (&facts, MESO_PURPOSE_RECORD, now, now);
  if (meso_verdict_is_blocking (verdict) &&
      meso_verdict_get_resolution (verdict) == MESO_RESOLUTION_NONE)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_REFUSED,
                           meso_verdict_get_message (verdict));
      return FALSE;
    }

  return set_status_cb (self, change, error);
}

gboolean
meso_store_check_in_appointment (MesoStore  *self,
                                 gint64      id,
                                 GError    **error)
{
  StatusChange change = { id, NULL, MESO_APPOINTMENT_CHECKED_IN };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  /* The flags are read and the status written in one transaction: a flag
   * noted at another desk meanwhile is not missed. */
  return meso_store_run_write (self, check_in_cb, &change, error);
}

/* For meso_store_sql_for(). */
const char *
meso_store_appointments_sql (const char *name)
{
  return g_str_equal (name, "conflicts") ? conflicts_sql : NULL;
}
