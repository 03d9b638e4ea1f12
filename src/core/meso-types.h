/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinical vocabulary: treatment areas, devices, flags, indications.
 * Each enum's nick (e.g. "decollete") is its stable identifier in the
 * database, on the command line and in JSON; its label is translated. */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MESO_AREA_FACE,
  MESO_AREA_NECK,
  MESO_AREA_DECOLLETE,
  MESO_AREA_SCALP,
  MESO_AREA_BODY,
  MESO_AREA_HANDS,
} MesoArea;

typedef enum
{
  MESO_DEVICE_ROLLER,
  MESO_DEVICE_PEN,
} MesoDevice;

typedef enum
{
  MESO_NEEDLE_MATERIAL_STEEL,
  MESO_NEEDLE_MATERIAL_TITANIUM,
  MESO_NEEDLE_MATERIAL_PLASTIC,
  MESO_NEEDLE_MATERIAL_GOLD_PLATED,
  MESO_NEEDLE_MATERIAL_SILVER_PLATED,
} MesoNeedleMaterial;

typedef enum
{
  MESO_NEEDLE_CLASS_SHORT,
  MESO_NEEDLE_CLASS_MEDIUM,
  MESO_NEEDLE_CLASS_LONG,
} MesoNeedleClass;

typedef enum
{
  MESO_CONTRAINDICATION_ACTIVE_ACNE,
  MESO_CONTRAINDICATION_HERPES,
  MESO_CONTRAINDICATION_INFECTION,
  MESO_CONTRAINDICATION_SCAR_PRONE,
} MesoContraindication;

typedef enum
{
  MESO_INDICATION_FINE_LINES,
  MESO_INDICATION_ENLARGED_PORES,
  MESO_INDICATION_LAXITY,
  MESO_INDICATION_STRETCH_MARKS,
  MESO_INDICATION_ACNE_SCARS,
  MESO_INDICATION_SCARS,
  MESO_INDICATION_PIGMENTATION,
  MESO_INDICATION_DULL_SKIN,
  MESO_INDICATION_ROSACEA,
  MESO_INDICATION_HAIR_LOSS,
} MesoIndication;

typedef enum
{
  MESO_ACTIVE_HYALURONIC_ACID,
  MESO_ACTIVE_PEPTIDES,
  MESO_ACTIVE_VITAMIN_C,
  MESO_ACTIVE_MINOXIDIL,
} MesoActive;

typedef enum
{
  MESO_APPOINTMENT_BOOKED,
  MESO_APPOINTMENT_CHECKED_IN,
  MESO_APPOINTMENT_DONE,
  MESO_APPOINTMENT_CANCELLED,
  MESO_APPOINTMENT_NO_SHOW,
} MesoAppointmentStatus;

/* Who is acting: only a clinician may override an interval refusal. */
typedef enum
{
  MESO_ROLE_RECEPTIONIST,
  MESO_ROLE_CLINICIAN,
} MesoRole;

typedef enum
{
  MESO_AFTERCARE_NO_WATER,
  MESO_AFTERCARE_SUN_PROTECTION,
  MESO_AFTERCARE_MOISTURISE,
  MESO_AFTERCARE_FOLLOW_UP_DUE,
  MESO_AFTERCARE_OVERDUE,        /* the recall list: the window has passed */
} MesoAftercareKind;

typedef enum
{
  MESO_HEALING_INFLAMMATORY,
  MESO_HEALING_PROLIFERATIVE,
  MESO_HEALING_REMODELLING,
} MesoHealingPhase;

/* Where a patient stands on the recall list (R4). */
typedef enum
{
  MESO_RECALL_NONE,      /* not due yet, booked, finished or declined */
  MESO_RECALL_DUE,       /* the window is open or opens soon, nothing booked */
  MESO_RECALL_OVERDUE,   /* the window has closed, nothing booked */
} MesoRecallStatus;

/* When a photo of a session was taken (issue 18). */
typedef enum
{
  MESO_PHOTO_KIND_BEFORE,
  MESO_PHOTO_KIND_DURING,
  MESO_PHOTO_KIND_AFTER,
} MesoPhotoKind;

/* Parses a nick ("face", "active-acne") into an enum value of @type.
 * Returns FALSE, leaving @value alone, for an unknown or NULL nick. */
gboolean     meso_enum_from_nick (GType       type,
                                  const char *nick,
                                  int        *value);
const char  *meso_enum_to_nick   (GType       type,
                                  int         value);

/* Translated names, for people. */
const char  *meso_area_get_label                 (MesoArea             area);
const char  *meso_device_get_label               (MesoDevice           device);
const char  *meso_needle_material_get_label      (MesoNeedleMaterial   material);
const char  *meso_needle_class_get_label         (MesoNeedleClass      klass);
const char  *meso_contraindication_get_label     (MesoContraindication kind);
const char  *meso_indication_get_label           (MesoIndication       indication);
const char  *meso_active_get_label               (MesoActive           active);
const char  *meso_aftercare_kind_get_label       (MesoAftercareKind    kind);
const char  *meso_healing_phase_get_label        (MesoHealingPhase     phase);
const char  *meso_recall_status_get_label        (MesoRecallStatus     status);
const char  *meso_appointment_status_get_label   (MesoAppointmentStatus status);
const char  *meso_role_get_label                 (MesoRole             role);
const char  *meso_photo_kind_get_label           (MesoPhotoKind        kind);

G_END_DECLS
