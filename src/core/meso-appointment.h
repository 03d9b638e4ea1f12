/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A booked time: a future session of one area for one patient. */

#pragma once

#include <glib-object.h>

#include "meso-types.h"

G_BEGIN_DECLS

#define MESO_TYPE_APPOINTMENT (meso_appointment_get_type ())

G_DECLARE_FINAL_TYPE (MesoAppointment, meso_appointment, MESO, APPOINTMENT, GObject)

MesoAppointment *meso_appointment_new (void);

/* Properties: "id", "patient-id" (gint64); "patient-name" (filled in by the
 * store when it lists appointments; NULL otherwise); "area" (MesoArea);
 * "start" (GDateTime); "minutes" (guint, default 60); "practitioner", "room"
 * (names, NULL = none); "status" (MesoAppointmentStatus, default booked);
 * "override-reason", "cancel-reason" (NULL = none). */
gint64                 meso_appointment_get_id              (MesoAppointment *self);
void                   meso_appointment_set_id              (MesoAppointment *self, gint64 id);
gint64                 meso_appointment_get_patient_id      (MesoAppointment *self);
void                   meso_appointment_set_patient_id      (MesoAppointment *self, gint64 patient_id);
const char            *meso_appointment_get_patient_name    (MesoAppointment *self);
void                   meso_appointment_set_patient_name    (MesoAppointment *self, const char *name);
MesoArea               meso_appointment_get_area            (MesoAppointment *self);
void                   meso_appointment_set_area            (MesoAppointment *self, MesoArea area);
GDateTime             *meso_appointment_get_start           (MesoAppointment *self);
void                   meso_appointment_set_start           (MesoAppointment *self, GDateTime *start);
guint                  meso_appointment_get_minutes         (MesoAppointment *self);
void                   meso_appointment_set_minutes         (MesoAppointment *self, guint minutes);
const char            *meso_appointment_get_practitioner    (MesoAppointment *self);
void                   meso_appointment_set_practitioner    (MesoAppointment *self, const char *name);
const char            *meso_appointment_get_room            (MesoAppointment *self);
void                   meso_appointment_set_room            (MesoAppointment *self, const char *name);
MesoAppointmentStatus  meso_appointment_get_status          (MesoAppointment *self);
void                   meso_appointment_set_status          (MesoAppointment *self, MesoAppointmentStatus status);
const char            *meso_appointment_get_override_reason (MesoAppointment *self);
void                   meso_appointment_set_override_reason (MesoAppointment *self, const char *reason);
const char            *meso_appointment_get_cancel_reason   (MesoAppointment *self);
void                   meso_appointment_set_cancel_reason   (MesoAppointment *self, const char *reason);

/* The end: start + minutes. Returns a new reference; NULL without a start. */
GDateTime             *meso_appointment_dup_end             (MesoAppointment *self);
/* Booked or checked in: it holds its slot and counts as a neighbour for R1. */
gboolean               meso_appointment_is_active           (MesoAppointment *self);

/* The typed text (override and cancel reasons) against
 * meso_text_validate(); the error is MESO_TEXT_ERROR_INVALID. */
gboolean               meso_appointment_validate_text (MesoAppointment  *self,
                                                       GError          **error);

G_END_DECLS
