/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: treatment records, the facts the rules need, and the per-area
 * courses the recall list reads. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>

/* ================================================================ facts */

struct _MesoPatientFactsBuffer
{
  GArray *flags;     /* MesoFlag */
  GArray *sessions;  /* MesoSessionRef; their GDateTimes are owned here */
};

void
meso_patient_facts_buffer_free (MesoPatientFactsBuffer *buffer)
{
  if (buffer == NULL)
    return;
  if (buffer->sessions != NULL)
    {
      for (guint i = 0; i < buffer->sessions->len; i++)
        g_date_time_unref (g_array_index (buffer->sessions, MesoSessionRef, i).at);
      g_array_unref (buffer->sessions);
    }
  g_clear_pointer (&buffer->flags, g_array_unref);
  g_free (buffer);
}

static gboolean
append_refs (MesoStore               *self,
             MesoPatientFactsBuffer  *buffer,
             const char              *sql,
             gint64                   patient_id,
             GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = meso_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoSessionRef ref = { 0 };
      int area;

      if (!meso_enum_from_nick (MESO_TYPE_AREA, meso_db_column_text (stmt, 2),
                                &area))
        continue;
      ref.id = meso_db_column_int64 (stmt, 0);
      ref.at = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 1));
      ref.area = area;
      g_array_append_val (buffer->sessions, ref);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static const char patient_skin_sql[] = "SELECT sensitive_skin FROM patients WHERE id = ?1";
static const char facts_sessions_sql[] =
  "SELECT id, at, area FROM sessions WHERE patient_id = ?1";
static const char facts_appointments_sql[] =
  "SELECT -id, start, area FROM appointments WHERE patient_id = ?1 "
  "AND status IN ('booked', 'checked-in')";

/* Sessions keep their ids; appointments are negated, so the two never clash
 * as the plan's own id (rescheduling, or recording a checked-in booking). */
MesoPatientFactsBuffer *
meso_store_load_facts (MesoStore         *self,
                       gint64             patient_id,
                       MesoPatientFacts  *facts,
                       GError           **error)
{
  g_autoptr(MesoPatientFactsBuffer) buffer = g_new0 (MesoPatientFactsBuffer, 1);
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (facts != NULL, NULL);

  stmt = meso_store_prepare (self, patient_skin_sql, error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);
  if (!meso_store_step_found (self, stmt, error,
                              /* Translators: %lld is a patient number */
                              _("There is no patient number %lld."), (long long)patient_id))
    return NULL;
  facts->sensitive_skin = meso_db_column_int (stmt, 0) != 0;
  meso_db_reset (stmt);

  buffer->flags = meso_store_list_flags (self, patient_id, error);
  if (buffer->flags == NULL)
    return NULL;
  buffer->sessions = g_array_new (FALSE, TRUE, sizeof (MesoSessionRef));

  if (!append_refs (self, buffer, facts_sessions_sql, patient_id, error) ||
      !append_refs (self, buffer, facts_appointments_sql, patient_id, error))
    return NULL;

  facts->flags = (const MesoFlag *)buffer->flags->data;
  facts->n_flags = buffer->flags->len;
  facts->sessions = (const MesoSessionRef *)buffer->sessions->data;
  facts->n_sessions = buffer->sessions->len;
  return g_steal_pointer (&buffer);
}

/* ============================================================== courses */

gboolean
meso_store_update_courses (MesoStore  *self,
                           gint64      patient_id,
                           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) rows = NULL;
  MesoDbStmt *stmt;
  MesoPolicy policy;
  typedef struct
  {
    gint64 patient_id, session_id, at, next_at;
    char *area, *recall, *name;
    gboolean sensitive, booked, archived;
  } Row;

  if (!meso_store_load_policy (self, &policy, error))
    return FALSE;

  stmt = meso_store_prepare (self, "DELETE FROM courses WHERE ?1 = 0 OR patient_id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  if (!meso_store_step_done (self, stmt, error))
    return FALSE;

  /* SQLite takes the bare columns from the row holding max(at). The next
   * session: the first active appointment of that area after the last one. */
  stmt = meso_store_prepare (self,
                             meso_store_dialect (self, "courses-last",
                                                 "SELECT s.patient_id, s.id, max(s.at) AS last, "
                                                 "s.area, p.sensitive_skin, p.recall, "
                                                 "(SELECT min(a.start) FROM appointments a "
                                                 "WHERE a.patient_id = s.patient_id "
                                                 "AND a.area = s.area AND a.start > s.at "
                                                 "AND a.status IN ('booked', 'checked-in')), "
                                                 "p.archived, p.name "
                                                 "FROM sessions s "
                                                 "JOIN patients p ON p.id = s.patient_id "
                                                 "WHERE ?1 = 0 OR s.patient_id = ?1 "
                                                 "GROUP BY s.patient_id, s.area"),
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  /* Everyone's (a migration, the demo): the clinic's sessions. */
  if (patient_id == 0)
    meso_db_stream (stmt);

  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  while (meso_store_step_row (self, stmt, &local_error))
    {
      Row row = {
        meso_db_column_int64 (stmt, 0), meso_db_column_int64 (stmt, 1),
        meso_db_column_int64 (stmt, 2), meso_db_column_int64 (stmt, 6),
        meso_db_column_dup (stmt, 3), meso_db_column_dup (stmt, 5),
        meso_db_column_dup (stmt, 8),
        meso_db_column_int (stmt, 4) != 0, !meso_db_column_is_null (stmt, 6),
        meso_db_column_int (stmt, 7) != 0,
      };
      g_array_append_val (rows, row);
    }
  if (local_error != NULL)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          g_free (g_array_index (rows, Row, i).area);
          g_free (g_array_index (rows, Row, i).recall);
          g_free (g_array_index (rows, Row, i).name);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      g_autoptr(GDateTime) at = meso_date_time_new_from_unix (row->at);
      g_autofree char *area = g_steal_pointer (&row->area);
      g_autofree char *recall = g_steal_pointer (&row->recall);
      g_autofree char *name = g_steal_pointer (&row->name);
      GDate opens, closes;

      if (local_error != NULL)
        continue;  /* only free the rest */

      meso_rules_follow_up_window (&policy, row->sensitive, at, &opens, &closes);
      stmt = meso_store_prepare (self,
                                 "INSERT INTO courses (patient_id, area, last_session_id, "
                                 "last_at, opens_day, closes_day, next_at, recall, archived, "
                                 "name, sensitive_skin) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                 &local_error);
      if (stmt == NULL)
        continue;
      meso_db_bind_int64 (stmt, 1, row->patient_id);
      meso_db_bind_text (stmt, 2, area);
      meso_db_bind_int64 (stmt, 3, row->session_id);
      meso_db_bind_int64 (stmt, 4, row->at);
      meso_db_bind_int64 (stmt, 5, g_date_get_julian (&opens));
      meso_db_bind_int64 (stmt, 6, g_date_get_julian (&closes));
      if (row->booked)
        meso_db_bind_int64 (stmt, 7, row->next_at);
      else
        meso_db_bind_null (stmt, 7);
      meso_db_bind_text (stmt, 8, recall);
      meso_db_bind_int64 (stmt, 9, row->archived);
      meso_db_bind_text (stmt, 10, name ? name : "");
      meso_db_bind_int64 (stmt, 11, row->sensitive);
      meso_store_step_done (self, stmt, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ============================================================= sessions */

/* The columns session_from_row() reads. */
#define SESSION_SELECT \
  "SELECT s.id, s.patient_id, s.appointment_id, s.at, s.area, " \
  "s.device, s.home_use, s.needle_um, s.needle_count, " \
  "s.needle_material, s.indication, s.actives, s.lot, pr.name, " \
  "s.notes, s.override_reason, s.caution_confirmed " \
  "FROM sessions s LEFT JOIN practitioners pr ON pr.id = s.practitioner_id "

static MesoSession *
session_from_row (MesoDbStmt *stmt)
{
  MesoSession *session = meso_session_new ();
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 3));
  int value;

  meso_session_set_id (session, meso_db_column_int64 (stmt, 0));
  meso_session_set_patient_id (session, meso_db_column_int64 (stmt, 1));
  meso_session_set_appointment_id (session, meso_db_column_int64 (stmt, 2));
  meso_session_set_at (session, at);
  if (meso_enum_from_nick (MESO_TYPE_AREA, meso_db_column_text (stmt, 4), &value))
    meso_session_set_area (session, value);
  if (meso_enum_from_nick (MESO_TYPE_DEVICE, meso_db_column_text (stmt, 5), &value))
    meso_session_set_device (session, value);
  meso_session_set_home_use (session, meso_db_column_int (stmt, 6) != 0);
  meso_session_set_needle_um (session, meso_db_column_int (stmt, 7));
  meso_session_set_needle_count (session, meso_db_column_int (stmt, 8));
  meso_session_set_needle_material (session, meso_db_column_text (stmt, 9));
  meso_session_set_indication (session, meso_db_column_text (stmt, 10));
  meso_session_set_actives (session, meso_db_column_text (stmt, 11));
  meso_session_set_lot (session, meso_db_column_text (stmt, 12));
  meso_session_set_practitioner (session, meso_db_column_text (stmt, 13));
  meso_session_set_notes (session, meso_db_column_text (stmt, 14));
  meso_session_set_override_reason (session, meso_db_column_text (stmt, 15));
  meso_session_set_caution_confirmed (session, meso_db_column_int (stmt, 16) != 0);
  return session;
}

GPtrArray *
meso_store_list_sessions (MesoStore  *self,
                          gint64      patient_id,
                          GError    **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self,
                             SESSION_SELECT "WHERE s.patient_id = ?1 ORDER BY s.at DESC, s.id DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, patient_id);

  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  while (meso_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (sessions, session_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&sessions);
}

static const char room_id_sql[] = "SELECT id FROM rooms WHERE name = ?1 AND active <> 0";
static const char practitioner_id_sql[] =
  "SELECT id FROM practitioners WHERE name = ?1 AND active <> 0";

/* The id of an active practitioner or room by name; 0 for a NULL name. */
gint64
meso_store_lookup_named (MesoStore   *self,
                         gboolean     room,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  gint64 id;

  if (name == NULL)
    return 0;

  stmt = meso_store_prepare (self, room ? meso_store_dialect (self, "room-id", room_id_sql)
                                   : meso_store_dialect (self, "practitioner-id",
                                                         practitioner_id_sql),
                             error);
  if (stmt == NULL)
    return -1;
  meso_db_bind_text (stmt, 1, name);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (room)
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                     _("There is no room named “%s”."), name);
      else
        g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                     _("There is no practitioner named “%s”."), name);
      return -1;
    }
  id = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  return id;
}

/* Turns resolved verdicts into the store's answer: a blocking one becomes
 * an error carrying every blocking message. */
gboolean
meso_store_verdicts_allow (GPtrArray  *resolved,
                           GError    **error)
{
  g_autoptr(MesoVerdict) worst = meso_verdict_worst (resolved);
  g_autoptr(GPtrArray) blocking = g_ptr_array_new ();
  g_autofree char *message = NULL;

  if (!meso_verdict_is_blocking (worst))
    return TRUE;

  for (guint i = 0; i < resolved->len; i++)
    if (meso_verdict_is_blocking (g_ptr_array_index (resolved, i)))
      g_ptr_array_add (blocking, g_ptr_array_index (resolved, i));
  message = meso_verdict_join_messages (blocking);

  g_set_error_literal (error, MESO_STORE_ERROR,
                       meso_verdict_get_kind (worst) == MESO_VERDICT_INVALID
                         ? MESO_STORE_ERROR_INVALID : MESO_STORE_ERROR_REFUSED,
                       message);
  return FALSE;
}

gboolean
meso_store_run_judged_write (MesoStore           *self,
                             MesoStoreWriteFunc   func,
                             gpointer             data,
                             GPtrArray          **resolved,
                             GPtrArray          **verdicts,
                             GError             **error)
{
  gboolean ok = meso_store_run_write (self, func, data, error);

  if (verdicts != NULL && *resolved != NULL)
    *verdicts = g_steal_pointer (resolved);
  g_clear_pointer (resolved, g_ptr_array_unref);
  return ok;
}

/* Whether a verdict of @resolved was lifted in the way @how. */
gboolean
meso_store_verdicts_lifted (GPtrArray      *resolved,
                            MesoResolution  how)
{
  for (guint i = 0; i < resolved->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (resolved, i);

      if (meso_verdict_get_kind (verdict) == MESO_VERDICT_WARNING &&
          meso_verdict_get_resolution (verdict) == how)
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_optional_nick (GType        type,
                     const char  *nick,
                     const char  *what,
                     GError     **error)
{
  int value;

  if (nick == NULL || meso_enum_from_nick (type, nick, &value))
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: the first %s is what was given, the second the field */
               _("“%s” is not a known %s."), nick, what);
  return FALSE;
}

gboolean
meso_store_check_fulfils (MesoAppointment  *appointment,
                          gint64            patient_id,
                          int               area,
                          GError          **error)
{
  gint64 id;

  g_return_val_if_fail (MESO_IS_APPOINTMENT (appointment), FALSE);

  id = meso_appointment_get_id (appointment);
  if (meso_appointment_get_patient_id (appointment) != patient_id)
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                 /* Translators: %lld is an appointment number, %s a patient's name */
                 _("Appointment %lld is %s’s, not this patient’s."), (long long)id,
                 meso_appointment_get_patient_name (appointment));
  else if (area >= 0 && (int)meso_appointment_get_area (appointment) != area)
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                 /* Translators: %lld is an appointment number, then two areas, e.g. “Face” */
                 _("Appointment %lld is booked for %s, not for %s."), (long long)id,
                 meso_area_get_label (meso_appointment_get_area (appointment)),
                 meso_area_get_label ((MesoArea)area));
  else if (!meso_appointment_is_active (appointment))
    g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                 /* Translators: %lld is an appointment number, %s its status, e.g. “Cancelled” */
                 _("Appointment %lld can no longer be fulfilled (%s); record the session "
                   "without it."), (long long)id,
                 meso_appointment_status_get_label (meso_appointment_get_status (appointment)));
  else
    return TRUE;
  return FALSE;
}

/* The appointment @session fulfils (if any), looked up for the check. */
static gboolean
check_fulfilled_appointment (MesoStore    *self,
                             MesoSession  *session,
                             GError      **error)
{
  g_autoptr(MesoAppointment) appointment = NULL;
  gint64 id = meso_session_get_appointment_id (session);

  if (id == 0)
    return TRUE;
  appointment = meso_store_get_appointment (self, id, error);
  return appointment != NULL &&
         meso_store_check_fulfils (appointment, meso_session_get_patient_id (session),
                                   (int)meso_session_get_area (session), error);
}

/* Everything recording @session is judged by, resolved for @role, and the
 * practitioner's id: one path for the check and the write. */
static GPtrArray *
judge_session (MesoStore    *self,
               MesoSession  *session,
               MesoRole      role,
               GDateTime    *now,
               gint64       *practitioner_id,
               gint64       *lot_id,
               GError      **error)
{
  g_autoptr(MesoPatientFactsBuffer) buffer = NULL;
  g_autoptr(GPtrArray) checked = NULL;
  g_autoptr(GArray) consents = g_array_new (FALSE, FALSE, sizeof (MesoConsentSpan));
  MesoPatientFacts facts = { 0 };
  MesoTreatmentPlan plan = { 0 };
  MesoPolicy policy;
  gint64 appointment_id = meso_session_get_appointment_id (session);
  GDateTime *at = meso_session_get_at (session);
  GError *text_error = NULL;

  if (at == NULL)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("A session needs its date and time."));
      return NULL;
    }
  if (!meso_session_validate_text (session, &text_error))
    {
      meso_store_invalid (error, text_error);
      return NULL;
    }
  if (!meso_store_check_date_time (MESO_DATE_SESSION, at, now, error))
    return NULL;
  if (!check_optional_nick (MESO_TYPE_NEEDLE_MATERIAL, meso_session_get_needle_material (session),
                            _("needle material"), error) ||
      !check_optional_nick (MESO_TYPE_INDICATION, meso_session_get_indication (session),
                            _("indication"), error))
    return NULL;

  *practitioner_id = meso_store_lookup_named (self, FALSE, meso_session_get_practitioner (session),
                                              error);
  if (*practitioner_id < 0 || !meso_store_load_policy (self, &policy, error))
    return NULL;
  buffer = meso_store_load_facts (self, meso_session_get_patient_id (session), &facts, error);
  if (buffer == NULL || !check_fulfilled_appointment (self, session, error) ||
      !meso_store_lookup_lot (self, meso_session_get_lot (session), lot_id, &plan.lot_expires,
                              error))
    return NULL;
  /* R8's facts, read in the write's transaction when the clinic asks. */
  if (policy.consent_required &&
      !meso_store_load_consent_spans (self, meso_session_get_patient_id (session), consents,
                                      error))
    return NULL;
  facts.consents = (const MesoConsentSpan *)consents->data;
  facts.n_consents = consents->len;

  plan.id = appointment_id != 0 ? -appointment_id : 0;
  plan.at = at;
  plan.area = meso_session_get_area (session);
  plan.needle_um = meso_session_get_needle_um (session);
  plan.home_use = meso_session_get_home_use (session);
  plan.scar_treatment = meso_session_is_scar_treatment (session);
  plan.lot = meso_session_get_lot (session);
  plan.lot_registered = *lot_id != 0;

  checked = meso_rules_check_session (&policy, &facts, &plan, now);
  return meso_rules_resolve (checked, role, meso_session_get_override_reason (session),
                             meso_session_get_caution_confirmed (session));
}

typedef struct
{
  MesoSession *session;
  MesoRole     role;
  GPtrArray   *resolved;  /* the last run's verdicts */
  gint64       id;
} Recording;

static gboolean
add_session_cb (MesoStore  *self,
                gpointer    data,
                GError    **error)
{
  Recording *recording = data;
  MesoSession *session = recording->session;
  g_autoptr(GDateTime) now = meso_clock_now ();
  gint64 patient_id, appointment_id, practitioner_id, lot_id;
  MesoDbStmt *stmt;

  patient_id = meso_session_get_patient_id (session);
  appointment_id = meso_session_get_appointment_id (session);

  g_clear_pointer (&recording->resolved, g_ptr_array_unref);
  recording->resolved = judge_session (self, session, recording->role, now, &practitioner_id,
                                       &lot_id, error);
  if (recording->resolved == NULL || !meso_store_verdicts_allow (recording->resolved, error))
    return FALSE;

  stmt = meso_store_prepare (self,
                             "INSERT INTO sessions (patient_id, appointment_id, at, area, device, "
                             "home_use, needle_um, needle_count, needle_material, indication, "
                             "actives, lot, practitioner_id, notes, override_reason, "
                             "caution_confirmed, created_at, lot_id) VALUES (?1, ?2, ?3, ?4, ?5, "
                             "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
                             "RETURNING id",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  if (appointment_id != 0)
    meso_db_bind_int64 (stmt, 2, appointment_id);
  meso_db_bind_int64 (stmt, 3, g_date_time_to_unix (meso_session_get_at (session)));
  meso_db_bind_text (stmt, 4, meso_enum_to_nick (MESO_TYPE_AREA, meso_session_get_area (session)));
  meso_db_bind_text (stmt, 5, meso_enum_to_nick (MESO_TYPE_DEVICE,
                                                 meso_session_get_device (session)));
  meso_db_bind_int64 (stmt, 6, meso_session_get_home_use (session));
  meso_db_bind_int64 (stmt, 7, meso_session_get_needle_um (session));
  if (meso_session_get_needle_count (session) > 0)
    meso_db_bind_int64 (stmt, 8, meso_session_get_needle_count (session));
  meso_db_bind_text (stmt, 9, meso_session_get_needle_material (session));
  meso_db_bind_text (stmt, 10, meso_session_get_indication (session));
  meso_db_bind_text (stmt, 11, meso_session_get_actives (session));
  meso_db_bind_text (stmt, 12, meso_session_get_lot (session));
  if (practitioner_id > 0)
    meso_db_bind_int64 (stmt, 13, practitioner_id);
  meso_db_bind_text (stmt, 14, meso_session_get_notes (session));
  /* Kept only where they lifted a refusal, so the record says what happened. */
  if (meso_store_verdicts_lifted (recording->resolved, MESO_RESOLUTION_OVERRIDE))
    meso_db_bind_text (stmt, 15, meso_session_get_override_reason (session));
  meso_db_bind_int64 (stmt, 16, meso_store_verdicts_lifted (recording->resolved,
                                                            MESO_RESOLUTION_CONFIRM));
  meso_db_bind_int64 (stmt, 17, g_date_time_to_unix (now));
  if (lot_id != 0)
    meso_db_bind_int64 (stmt, 18, lot_id);
  if (!meso_store_step_id (self, stmt, &recording->id, error))
    return FALSE;

  if (appointment_id != 0)
    {
      stmt = meso_store_prepare (self,
                                 "UPDATE appointments SET status = 'done' WHERE id = ?1 "
                                 "AND patient_id = ?2",
                                 error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_int64 (stmt, 1, appointment_id);
      meso_db_bind_int64 (stmt, 2, patient_id);
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }

  /* A new session starts a new course: a finished one is open again. */
  stmt = meso_store_prepare (self,
                             "UPDATE patients SET recall = 'active' WHERE id = ?1 "
                             "AND recall = 'finished'",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  return meso_store_step_done (self, stmt, error) &&
         meso_store_update_courses (self, patient_id, error);
}

/* A session recorded by a signed-in clinician is theirs: the form's empty
 * practitioner becomes them, and naming someone else is refused (they
 * sign in to record their own). Without accounts, as the form says. */
static gboolean
own_session (MesoStore    *self,
             MesoSession  *session,
             GError      **error)
{
  const char *practitioner = meso_session_get_practitioner (session);
  const char *name = NULL;

  if (meso_store_get_staff (self, &name) == 0)
    return TRUE;
  if (practitioner == NULL || *practitioner == '\0')
    {
      meso_session_set_practitioner (session, name);
      return TRUE;
    }
  if (g_ascii_strcasecmp (practitioner, name) == 0)
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_ALLOWED,
               _("You are signed in as %s: a session is recorded by the clinician who "
                 "treated. %s signs in to record theirs."), name, practitioner);
  return FALSE;
}

gboolean
meso_store_add_session (MesoStore    *self,
                        MesoSession  *session,
                        MesoRole      role,
                        GPtrArray   **verdicts,
                        GError      **error)
{
  Recording recording = { session, role, NULL, 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION (session), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error) ||
      !meso_store_acting_role (self, &recording.role, error) ||
      !own_session (self, session, error))
    return FALSE;

  if (!meso_store_run_judged_write (self, add_session_cb, &recording, &recording.resolved,
                                    verdicts, error))
    return FALSE;

  meso_session_set_id (session, recording.id);
  return TRUE;
}

GPtrArray *
meso_store_check_session (MesoStore    *self,
                          MesoSession  *session,
                          MesoRole      role,
                          GError      **error)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  gint64 practitioner_id, lot_id;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (MESO_IS_SESSION (session), NULL);

  if (!meso_store_acting_role (self, &role, error))
    return NULL;
  return judge_session (self, session, role, now, &practitioner_id, &lot_id, error);
}

MesoSession *
meso_store_get_session (MesoStore  *self,
                        gint64      id,
                        GError    **error)
{
  MesoSession *session;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, SESSION_SELECT "WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  meso_db_bind_int64 (stmt, 1, id);
  if (!meso_store_step_found (self, stmt, error,
                              _("There is no session number %lld."), (long long)id))
    return NULL;
  session = session_from_row (stmt);
  meso_db_reset (stmt);
  return session;
}

/* For meso_store_sql_for(). */
const char *
meso_store_sessions_sql (const char *name)
{
  static const char *const named[][2] = {
    { "patient-skin", patient_skin_sql },
    { "facts-sessions", facts_sessions_sql },
    { "facts-appointments", facts_appointments_sql },
    { "practitioner-id", practitioner_id_sql },
    { "room-id", room_id_sql },
  };

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (name, named[i][0]))
      return named[i][1];
  return NULL;
}
