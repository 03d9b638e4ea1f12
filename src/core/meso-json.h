/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The records as JSON, once: the command line's --json and the patient's
 * own copy (meso_store_export_patient()) write the same field names. A
 * member is null for what is not known; text that is not UTF-8 (a record
 * stored before text was checked) becomes U+FFFD. */

#pragma once

#include <json-glib/json-glib.h>

#include "meso-appointment.h"
#include "meso-patient.h"
#include "meso-session.h"
#include "meso-store.h"

G_BEGIN_DECLS

void meso_json_string           (JsonBuilder     *builder,
                                 const char      *name,
                                 const char      *value);
void meso_json_int              (JsonBuilder     *builder,
                                 const char      *name,
                                 gint64           value);
/* null for 0 (none). */
void meso_json_id               (JsonBuilder     *builder,
                                 const char      *name,
                                 gint64           id);
void meso_json_bool             (JsonBuilder     *builder,
                                 const char      *name,
                                 gboolean         value);
/* Local time, YYYY-MM-DDTHH:MM; null for NULL. */
void meso_json_date_time        (JsonBuilder     *builder,
                                 const char      *name,
                                 GDateTime       *date_time);
/* YYYY-MM-DD; null for an invalid (cleared) date. */
void meso_json_date             (JsonBuilder     *builder,
                                 const char      *name,
                                 const GDate     *date);
void meso_json_nick             (JsonBuilder     *builder,
                                 const char      *name,
                                 GType            type,
                                 int              value);
/* A patient's members: id, name, birth_date, phone, email, sensitive_skin,
 * notes, archived. */
void meso_json_patient_members  (JsonBuilder     *builder,
                                 MesoPatient     *patient);
void meso_json_patient          (JsonBuilder     *builder,
                                 MesoPatient     *patient);
/* A session's members: id, patient_id, appointment_id, at, area, device,
 * home_use, needle_um, needle_count, needle_material, indication, actives,
 * lot (as typed), practitioner, notes, override_reason, caution_confirmed. */
void meso_json_session_members  (JsonBuilder     *builder,
                                 MesoSession     *session);
void meso_json_session          (JsonBuilder     *builder,
                                 MesoSession     *session);
/* id, patient_id, patient, area, start, end, minutes, practitioner, room,
 * status, override_reason, cancel_reason. */
void meso_json_appointment      (JsonBuilder     *builder,
                                 MesoAppointment *appointment);
/* A consent's members: id, patient_id, form, language, version, signed_on,
 * method, taken_by, revoked_on, revoke_reason, revoked_by. */
void meso_json_consent_members  (JsonBuilder       *builder,
                                 const MesoConsent *consent);

/* A photo's members (never its bytes): id, session_id, patient_id, kind,
 * area, taken_at, width, height, format, added_by, added_at. */
void meso_json_photo_members    (JsonBuilder     *builder,
                                 const MesoPhoto *photo);
void meso_json_photo            (JsonBuilder     *builder,
                                 const MesoPhoto *photo);

G_END_DECLS
