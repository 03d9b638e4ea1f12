/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A patient record: identity, contact and skin profile. */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT (meso_patient_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatient, meso_patient, MESO, PATIENT, GObject)

MesoPatient *meso_patient_new                (void);

/* Properties: "id" (gint64, 0 until stored), "name", "birth-date"
 * (YYYY-MM-DD or NULL), "phone", "email" (NULL when unknown), "sensitive-skin",
 * "notes" (never NULL, "" when empty), "archived". */
gint64       meso_patient_get_id             (MesoPatient *self);
void         meso_patient_set_id             (MesoPatient *self, gint64 id);
const char  *meso_patient_get_name           (MesoPatient *self);
void         meso_patient_set_name           (MesoPatient *self, const char *name);
const char  *meso_patient_get_birth_date     (MesoPatient *self);
void         meso_patient_set_birth_date     (MesoPatient *self, const char *birth_date);
const char  *meso_patient_get_phone          (MesoPatient *self);
void         meso_patient_set_phone          (MesoPatient *self, const char *phone);
const char  *meso_patient_get_email          (MesoPatient *self);
void         meso_patient_set_email          (MesoPatient *self, const char *email);
gboolean     meso_patient_get_sensitive_skin (MesoPatient *self);
void         meso_patient_set_sensitive_skin (MesoPatient *self, gboolean sensitive_skin);
const char  *meso_patient_get_notes          (MesoPatient *self);
void         meso_patient_set_notes          (MesoPatient *self, const char *notes);
gboolean     meso_patient_get_archived       (MesoPatient *self);
void         meso_patient_set_archived       (MesoPatient *self, gboolean archived);
/* The start (Unix seconds) of the patient's next booked appointment, 0 when
 * none; read with a page of the patient list (meso_store_search_patients()),
 * not stored with the record. */
gint64       meso_patient_get_next_appointment (MesoPatient *self);
void         meso_patient_set_next_appointment (MesoPatient *self, gint64 start);

/* The warning that @self is on record already, for one about to be added
 * in the same name (meso_store_find_namesakes()): "Erika Mustermann, born
 * 14.03.1985, is already record 42." with @born, the birth date as the
 * caller shows dates (NULL: the phone is named instead). */
char        *meso_patient_describe_namesake  (MesoPatient *self,
                                              const char  *born);

/* Checks every field; on the first bad one sets @field to its property name
 * and @error (MESO_PATIENT_ERROR_INVALID) to a message for a person. */
#define MESO_PATIENT_ERROR (meso_patient_error_quark ())
typedef enum { MESO_PATIENT_ERROR_INVALID } MesoPatientError;
GQuark       meso_patient_error_quark        (void);
gboolean     meso_patient_validate           (MesoPatient  *self,
                                              const char  **field,
                                              GError      **error);
/* The check of one field (a property name above; @value NULL: not given),
 * for a form that marks each bad field where it is. */
gboolean     meso_patient_validate_field     (const char   *field,
                                              const char   *value,
                                              GError      **error);

G_END_DECLS
