/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-json.h"

#include "meso-enum-types.h"
#include "meso-time.h"
#include "meso-types.h"

void
meso_json_string (JsonBuilder *builder,
                  const char  *name,
                  const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      /* A record stored before text was checked: JSON must stay UTF-8. */
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

void
meso_json_int (JsonBuilder *builder,
               const char  *name,
               gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
meso_json_id (JsonBuilder *builder,
              const char  *name,
              gint64       id)
{
  json_builder_set_member_name (builder, name);
  if (id > 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

void
meso_json_bool (JsonBuilder *builder,
                const char  *name,
                gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
meso_json_date_time (JsonBuilder *builder,
                     const char  *name,
                     GDateTime   *date_time)
{
  g_autofree char *text = date_time != NULL ? meso_format_date_time_iso (date_time) : NULL;

  meso_json_string (builder, name, text);
}

void
meso_json_date (JsonBuilder *builder,
                const char  *name,
                const GDate *date)
{
  g_autofree char *text = g_date_valid (date) ? meso_format_date_iso (date) : NULL;

  meso_json_string (builder, name, text);
}

void
meso_json_nick (JsonBuilder *builder,
                const char  *name,
                GType        type,
                int          value)
{
  meso_json_string (builder, name, meso_enum_to_nick (type, value));
}

void
meso_json_patient_members (JsonBuilder *builder,
                           MesoPatient *patient)
{
  meso_json_int (builder, "id", meso_patient_get_id (patient));
  meso_json_string (builder, "name", meso_patient_get_name (patient));
  meso_json_string (builder, "birth_date", meso_patient_get_birth_date (patient));
  meso_json_string (builder, "phone", meso_patient_get_phone (patient));
  meso_json_string (builder, "email", meso_patient_get_email (patient));
  meso_json_bool (builder, "sensitive_skin", meso_patient_get_sensitive_skin (patient));
  meso_json_string (builder, "notes", meso_patient_get_notes (patient));
  meso_json_bool (builder, "archived", meso_patient_get_archived (patient));
}

void
meso_json_patient (JsonBuilder *builder,
                   MesoPatient *patient)
{
  json_builder_begin_object (builder);
  meso_json_patient_members (builder, patient);
  json_builder_end_object (builder);
}

void
meso_json_session_members (JsonBuilder *builder,
                           MesoSession *session)
{
  meso_json_int (builder, "id", meso_session_get_id (session));
  meso_json_int (builder, "patient_id", meso_session_get_patient_id (session));
  meso_json_id (builder, "appointment_id", meso_session_get_appointment_id (session));
  meso_json_date_time (builder, "at", meso_session_get_at (session));
  meso_json_nick (builder, "area", MESO_TYPE_AREA, meso_session_get_area (session));
  meso_json_nick (builder, "device", MESO_TYPE_DEVICE, meso_session_get_device (session));
  meso_json_bool (builder, "home_use", meso_session_get_home_use (session));
  meso_json_int (builder, "needle_um", meso_session_get_needle_um (session));
  /* Like an id: null when not recorded (0). */
  meso_json_id (builder, "needle_count", meso_session_get_needle_count (session));
  meso_json_string (builder, "needle_material", meso_session_get_needle_material (session));
  meso_json_string (builder, "indication", meso_session_get_indication (session));
  meso_json_string (builder, "actives", meso_session_get_actives (session));
  meso_json_string (builder, "lot", meso_session_get_lot (session));
  meso_json_string (builder, "practitioner", meso_session_get_practitioner (session));
  meso_json_string (builder, "notes", meso_session_get_notes (session));
  meso_json_string (builder, "override_reason", meso_session_get_override_reason (session));
  meso_json_bool (builder, "caution_confirmed", meso_session_get_caution_confirmed (session));
}

void
meso_json_session (JsonBuilder *builder,
                   MesoSession *session)
{
  json_builder_begin_object (builder);
  meso_json_session_members (builder, session);
  json_builder_end_object (builder);
}

void
meso_json_appointment (JsonBuilder     *builder,
                       MesoAppointment *appointment)
{
  g_autoptr(GDateTime) end = meso_appointment_dup_end (appointment);

  json_builder_begin_object (builder);
  meso_json_int (builder, "id", meso_appointment_get_id (appointment));
  meso_json_int (builder, "patient_id", meso_appointment_get_patient_id (appointment));
  meso_json_string (builder, "patient", meso_appointment_get_patient_name (appointment));
  meso_json_nick (builder, "area", MESO_TYPE_AREA, meso_appointment_get_area (appointment));
  meso_json_date_time (builder, "start", meso_appointment_get_start (appointment));
  meso_json_date_time (builder, "end", end);
  meso_json_int (builder, "minutes", meso_appointment_get_minutes (appointment));
  meso_json_string (builder, "practitioner", meso_appointment_get_practitioner (appointment));
  meso_json_string (builder, "room", meso_appointment_get_room (appointment));
  meso_json_nick (builder, "status", MESO_TYPE_APPOINTMENT_STATUS,
                  meso_appointment_get_status (appointment));
  meso_json_string (builder, "override_reason",
                    meso_appointment_get_override_reason (appointment));
  meso_json_string (builder, "cancel_reason",
                    meso_appointment_get_cancel_reason (appointment));
  json_builder_end_object (builder);
}

void
meso_json_consent_members (JsonBuilder       *builder,
                           const MesoConsent *consent)
{
  meso_json_int (builder, "id", consent->id);
  meso_json_int (builder, "patient_id", consent->patient_id);
  meso_json_string (builder, "form", consent->form);
  meso_json_string (builder, "language", consent->language);
  meso_json_int (builder, "version", consent->version);
  meso_json_date (builder, "signed_on", &consent->signed_on);
  meso_json_string (builder, "method", meso_consent_method_to_nick (consent->method));
  meso_json_string (builder, "taken_by", consent->taken_by);
  meso_json_date (builder, "revoked_on", &consent->revoked_on);
  meso_json_string (builder, "revoke_reason", consent->revoke_reason);
  meso_json_string (builder, "revoked_by", consent->revoked_by);
}

void
meso_json_photo_members (JsonBuilder     *builder,
                         const MesoPhoto *photo)
{
  g_autoptr(GDateTime) taken_at = meso_date_time_new_from_unix (photo->taken_at);
  g_autoptr(GDateTime) added_at = meso_date_time_new_from_unix (photo->added_at);

  meso_json_int (builder, "id", photo->id);
  meso_json_int (builder, "session_id", photo->session_id);
  meso_json_int (builder, "patient_id", photo->patient_id);
  meso_json_nick (builder, "kind", MESO_TYPE_PHOTO_KIND, photo->kind);
  meso_json_nick (builder, "area", MESO_TYPE_AREA, photo->area);
  meso_json_date_time (builder, "taken_at", taken_at);
  meso_json_int (builder, "width", photo->width);
  meso_json_int (builder, "height", photo->height);
  meso_json_string (builder, "format", photo->format);
  meso_json_string (builder, "added_by", photo->added_by);
  meso_json_date_time (builder, "added_at", added_at);
}

void
meso_json_photo (JsonBuilder     *builder,
                 const MesoPhoto *photo)
{
  json_builder_begin_object (builder);
  meso_json_photo_members (builder, photo);
  json_builder_end_object (builder);
}
