/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-session.h"

#include "meso-model-private.h"

#include "meso-enum-types.h"
#include "meso-rules.h"
#include "meso-text.h"

struct _MesoSession
{
  GObject     parent_instance;

  gint64      id;
  gint64      patient_id;
  gint64      appointment_id;
  GDateTime  *at;
  MesoArea    area;
  MesoDevice  device;
  gboolean    home_use;
  guint       needle_um;
  guint       needle_count;
  char       *needle_material;
  char       *indication;
  char       *actives;
  char       *lot;
  char       *practitioner;
  char       *notes;
  char       *override_reason;
  gboolean    caution_confirmed;
};

G_DEFINE_FINAL_TYPE (MesoSession, meso_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_APPOINTMENT_ID,
  PROP_AT,
  PROP_AREA,
  PROP_DEVICE,
  PROP_HOME_USE,
  PROP_NEEDLE_UM,
  PROP_NEEDLE_COUNT,
  PROP_NEEDLE_MATERIAL,
  PROP_INDICATION,
  PROP_ACTIVES,
  PROP_LOT,
  PROP_PRACTITIONER,
  PROP_NOTES,
  PROP_OVERRIDE_REASON,
  PROP_CAUTION_CONFIRMED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_session_finalize (GObject *object)
{
  MesoSession *self = (MesoSession *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->needle_material, g_free);
  g_clear_pointer (&self->indication, g_free);
  g_clear_pointer (&self->actives, g_free);
  g_clear_pointer (&self->lot, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->override_reason, g_free);

  G_OBJECT_CLASS (meso_session_parent_class)->finalize (object);
}

static void
meso_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MesoSession *self = MESO_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_APPOINTMENT_ID:
      g_value_set_int64 (value, self->appointment_id);
      break;
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case PROP_AREA:
      g_value_set_enum (value, self->area);
      break;
    case PROP_DEVICE:
      g_value_set_enum (value, self->device);
      break;
    case PROP_HOME_USE:
      g_value_set_boolean (value, self->home_use);
      break;
    case PROP_NEEDLE_UM:
      g_value_set_uint (value, self->needle_um);
      break;
    case PROP_NEEDLE_COUNT:
      g_value_set_uint (value, self->needle_count);
      break;
    case PROP_NEEDLE_MATERIAL:
      g_value_set_string (value, self->needle_material);
      break;
    case PROP_INDICATION:
      g_value_set_string (value, self->indication);
      break;
    case PROP_ACTIVES:
      g_value_set_string (value, self->actives);
      break;
    case PROP_LOT:
      g_value_set_string (value, self->lot);
      break;
    case PROP_PRACTITIONER:
      g_value_set_string (value, self->practitioner);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_OVERRIDE_REASON:
      g_value_set_string (value, self->override_reason);
      break;
    case PROP_CAUTION_CONFIRMED:
      g_value_set_boolean (value, self->caution_confirmed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MesoSession *self = MESO_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      meso_session_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_PATIENT_ID:
      meso_session_set_patient_id (self, g_value_get_int64 (value));
      break;
    case PROP_APPOINTMENT_ID:
      meso_session_set_appointment_id (self, g_value_get_int64 (value));
      break;
    case PROP_AT:
      meso_session_set_at (self, g_value_get_boxed (value));
      break;
    case PROP_AREA:
      meso_session_set_area (self, g_value_get_enum (value));
      break;
    case PROP_DEVICE:
      meso_session_set_device (self, g_value_get_enum (value));
      break;
    case PROP_HOME_USE:
      meso_session_set_home_use (self, g_value_get_boolean (value));
      break;
    case PROP_NEEDLE_UM:
      meso_session_set_needle_um (self, g_value_get_uint (value));
      break;
    case PROP_NEEDLE_COUNT:
      meso_session_set_needle_count (self, g_value_get_uint (value));
      break;
    case PROP_NEEDLE_MATERIAL:
      meso_session_set_needle_material (self, g_value_get_string (value));
      break;
    case PROP_INDICATION:
      meso_session_set_indication (self, g_value_get_string (value));
      break;
    case PROP_ACTIVES:
      meso_session_set_actives (self, g_value_get_string (value));
      break;
    case PROP_LOT:
      meso_session_set_lot (self, g_value_get_string (value));
      break;
    case PROP_PRACTITIONER:
      meso_session_set_practitioner (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      meso_session_set_notes (self, g_value_get_string (value));
      break;
    case PROP_OVERRIDE_REASON:
      meso_session_set_override_reason (self, g_value_get_string (value));
      break;
    case PROP_CAUTION_CONFIRMED:
      meso_session_set_caution_confirmed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_class_init (MesoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_session_finalize;
  object_class->get_property = meso_session_get_property;
  object_class->set_property = meso_session_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_APPOINTMENT_ID] =
    g_param_spec_int64 ("appointment-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_AREA] =
    g_param_spec_enum ("area", NULL, NULL, MESO_TYPE_AREA, MESO_AREA_FACE, flags);
  properties[PROP_DEVICE] =
    g_param_spec_enum ("device", NULL, NULL, MESO_TYPE_DEVICE, MESO_DEVICE_ROLLER, flags);
  properties[PROP_HOME_USE] =
    g_param_spec_boolean ("home-use", NULL, NULL, FALSE, flags);
  properties[PROP_NEEDLE_UM] =
    g_param_spec_uint ("needle-um", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NEEDLE_COUNT] =
    g_param_spec_uint ("needle-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NEEDLE_MATERIAL] =
    g_param_spec_string ("needle-material", NULL, NULL, NULL, flags);
  properties[PROP_INDICATION] =
    g_param_spec_string ("indication", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVES] =
    g_param_spec_string ("actives", NULL, NULL, NULL, flags);
  properties[PROP_LOT] =
    g_param_spec_string ("lot", NULL, NULL, NULL, flags);
  properties[PROP_PRACTITIONER] =
    g_param_spec_string ("practitioner", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_OVERRIDE_REASON] =
    g_param_spec_string ("override-reason", NULL, NULL, NULL, flags);
  properties[PROP_CAUTION_CONFIRMED] =
    g_param_spec_boolean ("caution-confirmed", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_session_init (MesoSession *self)
{
}

MesoSession *
meso_session_new (void)
{
  return g_object_new (MESO_TYPE_SESSION, NULL);
}

gint64
meso_session_get_id (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);

  return self->id;
}

void
meso_session_set_id (MesoSession *self,
                     gint64       id)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
meso_session_get_patient_id (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);

  return self->patient_id;
}

void
meso_session_set_patient_id (MesoSession *self,
                             gint64       patient_id)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (patient_id >= 0);

  if (self->patient_id == patient_id)
    return;

  self->patient_id = patient_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT_ID]);
}

gint64
meso_session_get_appointment_id (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);

  return self->appointment_id;
}

void
meso_session_set_appointment_id (MesoSession *self,
                                 gint64       appointment_id)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (appointment_id >= 0);

  if (self->appointment_id == appointment_id)
    return;

  self->appointment_id = appointment_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPOINTMENT_ID]);
}

GDateTime *
meso_session_get_at (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->at;
}

void
meso_session_set_at (MesoSession *self,
                     GDateTime   *at)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_date_time (&self->at, at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

MesoArea
meso_session_get_area (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), MESO_AREA_FACE);

  return self->area;
}

void
meso_session_set_area (MesoSession *self,
                       MesoArea     area)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (meso_enum_to_nick (MESO_TYPE_AREA, area) != NULL);

  if (self->area == area)
    return;

  self->area = area;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

MesoDevice
meso_session_get_device (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), MESO_DEVICE_ROLLER);

  return self->device;
}

void
meso_session_set_device (MesoSession *self,
                         MesoDevice   device)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (meso_enum_to_nick (MESO_TYPE_DEVICE, device) != NULL);

  if (self->device == device)
    return;

  self->device = device;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

gboolean
meso_session_get_home_use (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  return self->home_use;
}

void
meso_session_set_home_use (MesoSession *self,
                           gboolean     home_use)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  home_use = !!home_use;
  if (self->home_use == home_use)
    return;

  self->home_use = home_use;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOME_USE]);
}

guint
meso_session_get_needle_um (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);

  return self->needle_um;
}

void
meso_session_set_needle_um (MesoSession *self,
                            guint        needle_um)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->needle_um == needle_um)
    return;

  self->needle_um = needle_um;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDLE_UM]);
}

guint
meso_session_get_needle_count (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);

  return self->needle_count;
}

void
meso_session_set_needle_count (MesoSession *self,
                               guint        needle_count)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->needle_count == needle_count)
    return;

  self->needle_count = needle_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDLE_COUNT]);
}

const char *
meso_session_get_needle_material (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->needle_material;
}

void
meso_session_set_needle_material (MesoSession *self,
                                  const char  *needle_material)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->needle_material, needle_material, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDLE_MATERIAL]);
}

const char *
meso_session_get_indication (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->indication;
}

void
meso_session_set_indication (MesoSession *self,
                             const char  *indication)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->indication, indication, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDICATION]);
}

const char *
meso_session_get_actives (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->actives;
}

void
meso_session_set_actives (MesoSession *self,
                          const char  *actives)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->actives, actives, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVES]);
}

const char *
meso_session_get_lot (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->lot;
}

void
meso_session_set_lot (MesoSession *self,
                      const char  *lot)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->lot, lot, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOT]);
}

const char *
meso_session_get_practitioner (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->practitioner;
}

void
meso_session_set_practitioner (MesoSession *self,
                               const char  *practitioner)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->practitioner, practitioner, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTITIONER]);
}

const char *
meso_session_get_notes (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->notes;
}

void
meso_session_set_notes (MesoSession *self,
                        const char  *notes)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->notes, notes, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

const char *
meso_session_get_override_reason (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return self->override_reason;
}

void
meso_session_set_override_reason (MesoSession *self,
                                  const char  *override_reason)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (meso_model_replace_string (&self->override_reason, override_reason, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERRIDE_REASON]);
}

gboolean
meso_session_get_caution_confirmed (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  return self->caution_confirmed;
}

void
meso_session_set_caution_confirmed (MesoSession *self,
                                    gboolean     caution_confirmed)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  caution_confirmed = !!caution_confirmed;
  if (self->caution_confirmed == caution_confirmed)
    return;

  self->caution_confirmed = caution_confirmed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAUTION_CONFIRMED]);
}

gboolean
meso_session_is_scar_treatment (MesoSession *self)
{
  int indication;

  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  if (!meso_enum_from_nick (MESO_TYPE_INDICATION, self->indication, &indication))
    return FALSE;

  return meso_indication_is_scar_treatment (indication);
}

gboolean
meso_session_validate_text (MesoSession  *self,
                            GError      **error)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  return meso_text_validate (MESO_TEXT_ACTIVES, self->actives, error) &&
         meso_text_validate (MESO_TEXT_LOT, self->lot, error) &&
         meso_text_validate (MESO_TEXT_SESSION_NOTES, self->notes, error) &&
         meso_text_validate (MESO_TEXT_OVERRIDE_REASON, self->override_reason, error);
}
