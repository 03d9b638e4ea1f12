/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A treatment record: one microneedling session on one area. */

#pragma once

#include <glib-object.h>

#include "meso-types.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION (meso_session_get_type ())

G_DECLARE_FINAL_TYPE (MesoSession, meso_session, MESO, SESSION, GObject)

MesoSession *meso_session_new                  (void);

/* Properties: "id", "patient-id", "appointment-id" (gint64, 0 = none); "at"
 * (GDateTime); "area" (MesoArea); "device" (MesoDevice); "home-use";
 * "needle-um" (guint micrometres); "needle-count" (guint, 0 = not noted);
 * "needle-material" and "indication" (enum nicks, NULL = not noted);
 * "actives", "lot", "practitioner", "notes" (strings, NULL = not noted);
 * "override-reason" (NULL unless a clinician overrode R1);
 * "caution-confirmed" (an R2 caution was confirmed). */
gint64       meso_session_get_id               (MesoSession *self);
void         meso_session_set_id               (MesoSession *self, gint64 id);
gint64       meso_session_get_patient_id       (MesoSession *self);
void         meso_session_set_patient_id       (MesoSession *self, gint64 patient_id);
gint64       meso_session_get_appointment_id   (MesoSession *self);
void         meso_session_set_appointment_id   (MesoSession *self, gint64 appointment_id);
GDateTime   *meso_session_get_at               (MesoSession *self);
void         meso_session_set_at               (MesoSession *self, GDateTime *at);
MesoArea     meso_session_get_area             (MesoSession *self);
void         meso_session_set_area             (MesoSession *self, MesoArea area);
MesoDevice   meso_session_get_device           (MesoSession *self);
void         meso_session_set_device           (MesoSession *self, MesoDevice device);
gboolean     meso_session_get_home_use         (MesoSession *self);
void         meso_session_set_home_use         (MesoSession *self, gboolean home_use);
guint        meso_session_get_needle_um        (MesoSession *self);
void         meso_session_set_needle_um        (MesoSession *self, guint needle_um);
guint        meso_session_get_needle_count     (MesoSession *self);
void         meso_session_set_needle_count     (MesoSession *self, guint needle_count);
const char  *meso_session_get_needle_material  (MesoSession *self);
void         meso_session_set_needle_material  (MesoSession *self, const char *needle_material);
const char  *meso_session_get_indication       (MesoSession *self);
void         meso_session_set_indication       (MesoSession *self, const char *indication);
const char  *meso_session_get_actives          (MesoSession *self);
void         meso_session_set_actives          (MesoSession *self, const char *actives);
const char  *meso_session_get_lot              (MesoSession *self);
void         meso_session_set_lot              (MesoSession *self, const char *lot);
const char  *meso_session_get_practitioner     (MesoSession *self);
void         meso_session_set_practitioner     (MesoSession *self, const char *practitioner);
const char  *meso_session_get_notes            (MesoSession *self);
void         meso_session_set_notes            (MesoSession *self, const char *notes);
const char  *meso_session_get_override_reason  (MesoSession *self);
void         meso_session_set_override_reason  (MesoSession *self, const char *override_reason);
gboolean     meso_session_get_caution_confirmed (MesoSession *self);
void         meso_session_set_caution_confirmed (MesoSession *self, gboolean caution_confirmed);

/* TRUE when the indication is a scar treatment (R3's exception on the face). */
gboolean     meso_session_is_scar_treatment    (MesoSession *self);

/* The typed text (actives, lot, notes, override reason) against
 * meso_text_validate(); the error is MESO_TEXT_ERROR_INVALID. */
gboolean     meso_session_validate_text       (MesoSession *self,
                                               GError     **error);

G_END_DECLS
