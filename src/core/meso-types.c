/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-types.h"

#include "meso-enum-types.h"

#include <glib/gi18n-lib.h>

gboolean
meso_enum_from_nick (GType       type,
                     const char *nick,
                     int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  found = g_enum_get_value_by_nick (klass, nick);
  if (found == NULL)
    return FALSE;

  *value = found->value;
  return TRUE;
}

const char *
meso_enum_to_nick (GType type,
                   int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *found;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), NULL);

  /* Enum classes are never finalized once created, so the nick outlives klass. */
  klass = g_type_class_ref (type);
  found = g_enum_get_value (klass, value);
  return found ? found->value_nick : NULL;
}

const char *
meso_area_get_label (MesoArea area)
{
  switch (area)
    {
    case MESO_AREA_FACE: return C_("area", "Face");
    case MESO_AREA_NECK: return C_("area", "Neck");
    case MESO_AREA_DECOLLETE: return C_("area", "Décolleté");
    case MESO_AREA_SCALP: return C_("area", "Scalp");
    case MESO_AREA_BODY: return C_("area", "Body");
    case MESO_AREA_HANDS: return C_("area", "Hands");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_device_get_label (MesoDevice device)
{
  switch (device)
    {
    case MESO_DEVICE_ROLLER: return C_("device", "Roller");
    case MESO_DEVICE_PEN: return C_("device", "Electric pen");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_needle_material_get_label (MesoNeedleMaterial material)
{
  switch (material)
    {
    case MESO_NEEDLE_MATERIAL_STEEL: return C_("needle material", "Stainless steel");
    case MESO_NEEDLE_MATERIAL_TITANIUM: return C_("needle material", "Titanium");
    case MESO_NEEDLE_MATERIAL_PLASTIC: return C_("needle material", "Plastic");
    case MESO_NEEDLE_MATERIAL_GOLD_PLATED: return C_("needle material", "Gold-plated");
    case MESO_NEEDLE_MATERIAL_SILVER_PLATED: return C_("needle material", "Silver-plated");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_needle_class_get_label (MesoNeedleClass klass)
{
  switch (klass)
    {
    case MESO_NEEDLE_CLASS_SHORT: return C_("needle class", "Short");
    case MESO_NEEDLE_CLASS_MEDIUM: return C_("needle class", "Medium");
    case MESO_NEEDLE_CLASS_LONG: return C_("needle class", "Long");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_contraindication_get_label (MesoContraindication kind)
{
  switch (kind)
    {
    case MESO_CONTRAINDICATION_ACTIVE_ACNE: return C_("contraindication", "Active acne");
    case MESO_CONTRAINDICATION_HERPES: return C_("contraindication", "Herpes (cold sore)");
    case MESO_CONTRAINDICATION_INFECTION: return C_("contraindication", "Skin infection");
    case MESO_CONTRAINDICATION_SCAR_PRONE: return C_("contraindication", "Scar-prone skin");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_indication_get_label (MesoIndication indication)
{
  switch (indication)
    {
    case MESO_INDICATION_FINE_LINES: return C_("indication", "Fine lines and wrinkles");
    case MESO_INDICATION_ENLARGED_PORES: return C_("indication", "Enlarged pores");
    case MESO_INDICATION_LAXITY: return C_("indication", "Laxity");
    case MESO_INDICATION_STRETCH_MARKS: return C_("indication", "Stretch marks");
    case MESO_INDICATION_ACNE_SCARS: return C_("indication", "Acne scars");
    case MESO_INDICATION_SCARS: return C_("indication", "Other scars");
    case MESO_INDICATION_PIGMENTATION: return C_("indication", "Pigmentation (melasma)");
    case MESO_INDICATION_DULL_SKIN: return C_("indication", "Dull skin");
    case MESO_INDICATION_ROSACEA: return C_("indication", "Rosacea (auxiliary)");
    case MESO_INDICATION_HAIR_LOSS: return C_("indication", "Hair loss");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_active_get_label (MesoActive active)
{
  switch (active)
    {
    case MESO_ACTIVE_HYALURONIC_ACID: return C_("active", "Hyaluronic acid");
    case MESO_ACTIVE_PEPTIDES: return C_("active", "Peptides");
    case MESO_ACTIVE_VITAMIN_C: return C_("active", "Vitamin C");
    case MESO_ACTIVE_MINOXIDIL: return C_("active", "Minoxidil");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_aftercare_kind_get_label (MesoAftercareKind kind)
{
  switch (kind)
    {
    case MESO_AFTERCARE_NO_WATER: return C_("aftercare", "No water");
    case MESO_AFTERCARE_SUN_PROTECTION: return C_("aftercare", "Sun protection");
    case MESO_AFTERCARE_MOISTURISE: return C_("aftercare", "Moisturise");
    case MESO_AFTERCARE_FOLLOW_UP_DUE: return C_("aftercare", "Follow-up due");
    case MESO_AFTERCARE_OVERDUE: return C_("aftercare", "Overdue");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_healing_phase_get_label (MesoHealingPhase phase)
{
  switch (phase)
    {
    case MESO_HEALING_INFLAMMATORY: return C_("healing phase", "Inflammatory");
    case MESO_HEALING_PROLIFERATIVE: return C_("healing phase", "Repair");
    case MESO_HEALING_REMODELLING: return C_("healing phase", "Remodelling");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_recall_status_get_label (MesoRecallStatus status)
{
  switch (status)
    {
    case MESO_RECALL_NONE: return C_("recall", "Not due");
    case MESO_RECALL_DUE: return C_("recall", "Follow-up due");
    case MESO_RECALL_OVERDUE: return C_("recall", "Overdue");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_appointment_status_get_label (MesoAppointmentStatus status)
{
  switch (status)
    {
    case MESO_APPOINTMENT_BOOKED: return C_("appointment", "Booked");
    case MESO_APPOINTMENT_CHECKED_IN: return C_("appointment", "Checked in");
    case MESO_APPOINTMENT_DONE: return C_("appointment", "Done");
    case MESO_APPOINTMENT_CANCELLED: return C_("appointment", "Cancelled");
    case MESO_APPOINTMENT_NO_SHOW: return C_("appointment", "No-show");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_role_get_label (MesoRole role)
{
  switch (role)
    {
    case MESO_ROLE_RECEPTIONIST: return C_("role", "Receptionist");
    case MESO_ROLE_CLINICIAN: return C_("role", "Clinician");
    default: g_return_val_if_reached ("");
    }
}

const char *
meso_photo_kind_get_label (MesoPhotoKind kind)
{
  switch (kind)
    {
    case MESO_PHOTO_KIND_BEFORE: return C_("photo", "Before");
    case MESO_PHOTO_KIND_DURING: return C_("photo", "During");
    case MESO_PHOTO_KIND_AFTER: return C_("photo", "After");
    default: g_return_val_if_reached ("");
    }
}
