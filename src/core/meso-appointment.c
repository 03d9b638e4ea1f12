/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-appointment.h"

#include "meso-model-private.h"

#include "meso-enum-types.h"
#include "meso-text.h"

#define DEFAULT_MINUTES 60

struct _MesoAppointment
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 patient_id;
  char                  *patient_name;
  MesoArea               area;
  GDateTime             *start;
  guint                  minutes;
  char                  *practitioner;
  char                  *room;
  MesoAppointmentStatus  status;
  char                  *override_reason;
  char                  *cancel_reason;
};

G_DEFINE_FINAL_TYPE (MesoAppointment, meso_appointment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_PATIENT_NAME,
  PROP_AREA,
  PROP_START,
  PROP_MINUTES,
  PROP_PRACTITIONER,
  PROP_ROOM,
  PROP_STATUS,
  PROP_OVERRIDE_REASON,
  PROP_CANCEL_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_appointment_finalize (GObject *object)
{
  MesoAppointment *self = (MesoAppointment *)object;

  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->override_reason, g_free);
  g_clear_pointer (&self->cancel_reason, g_free);

  G_OBJECT_CLASS (meso_appointment_parent_class)->finalize (object);
}

static void
meso_appointment_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MesoAppointment *self = MESO_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->patient_name);
      break;
    case PROP_AREA:
      g_value_set_enum (value, self->area);
      break;
    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;
    case PROP_MINUTES:
      g_value_set_uint (value, self->minutes);
      break;
    case PROP_PRACTITIONER:
      g_value_set_string (value, self->practitioner);
      break;
    case PROP_ROOM:
      g_value_set_string (value, self->room);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_OVERRIDE_REASON:
      g_value_set_string (value, self->override_reason);
      break;
    case PROP_CANCEL_REASON:
      g_value_set_string (value, self->cancel_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_appointment_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MesoAppointment *self = MESO_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      meso_appointment_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_PATIENT_ID:
      meso_appointment_set_patient_id (self, g_value_get_int64 (value));
      break;
    case PROP_PATIENT_NAME:
      meso_appointment_set_patient_name (self, g_value_get_string (value));
      break;
    case PROP_AREA:
      meso_appointment_set_area (self, g_value_get_enum (value));
      break;
    case PROP_START:
      meso_appointment_set_start (self, g_value_get_boxed (value));
      break;
    case PROP_MINUTES:
      meso_appointment_set_minutes (self, g_value_get_uint (value));
      break;
    case PROP_PRACTITIONER:
      meso_appointment_set_practitioner (self, g_value_get_string (value));
      break;
    case PROP_ROOM:
      meso_appointment_set_room (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      meso_appointment_set_status (self, g_value_get_enum (value));
      break;
    case PROP_OVERRIDE_REASON:
      meso_appointment_set_override_reason (self, g_value_get_string (value));
      break;
    case PROP_CANCEL_REASON:
      meso_appointment_set_cancel_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_appointment_class_init (MesoAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_appointment_finalize;
  object_class->get_property = meso_appointment_get_property;
  object_class->set_property = meso_appointment_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PATIENT_NAME] =
    g_param_spec_string ("patient-name", NULL, NULL, NULL, flags);
  properties[PROP_AREA] =
    g_param_spec_enum ("area", NULL, NULL, MESO_TYPE_AREA, MESO_AREA_FACE, flags);
  properties[PROP_START] =
    g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_MINUTES] =
    g_param_spec_uint ("minutes", NULL, NULL, 0, G_MAXINT, DEFAULT_MINUTES, flags);
  properties[PROP_PRACTITIONER] =
    g_param_spec_string ("practitioner", NULL, NULL, NULL, flags);
  properties[PROP_ROOM] =
    g_param_spec_string ("room", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       MESO_TYPE_APPOINTMENT_STATUS, MESO_APPOINTMENT_BOOKED, flags);
  properties[PROP_OVERRIDE_REASON] =
    g_param_spec_string ("override-reason", NULL, NULL, NULL, flags);
  properties[PROP_CANCEL_REASON] =
    g_param_spec_string ("cancel-reason", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_appointment_init (MesoAppointment *self)
{
  self->minutes = DEFAULT_MINUTES;
  self->status = MESO_APPOINTMENT_BOOKED;
}

MesoAppointment *
meso_appointment_new (void)
{
  return g_object_new (MESO_TYPE_APPOINTMENT, NULL);
}

gint64
meso_appointment_get_id (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), 0);

  return self->id;
}

void
meso_appointment_set_id (MesoAppointment *self,
                         gint64           id)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
meso_appointment_get_patient_id (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), 0);

  return self->patient_id;
}

void
meso_appointment_set_patient_id (MesoAppointment *self,
                                 gint64           patient_id)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));
  g_return_if_fail (patient_id >= 0);

  if (self->patient_id == patient_id)
    return;

  self->patient_id = patient_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT_ID]);
}

const char *
meso_appointment_get_patient_name (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->patient_name;
}

void
meso_appointment_set_patient_name (MesoAppointment *self,
                                   const char      *name)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_string (&self->patient_name, name, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT_NAME]);
}

MesoArea
meso_appointment_get_area (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), MESO_AREA_FACE);

  return self->area;
}

void
meso_appointment_set_area (MesoAppointment *self,
                           MesoArea         area)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));
  g_return_if_fail (meso_enum_to_nick (MESO_TYPE_AREA, area) != NULL);

  if (self->area == area)
    return;

  self->area = area;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

GDateTime *
meso_appointment_get_start (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->start;
}

void
meso_appointment_set_start (MesoAppointment *self,
                            GDateTime       *start)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_date_time (&self->start, start))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

guint
meso_appointment_get_minutes (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), 0);

  return self->minutes;
}

void
meso_appointment_set_minutes (MesoAppointment *self,
                              guint            minutes)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));
  g_return_if_fail (minutes <= G_MAXINT);

  if (self->minutes == minutes)
    return;

  self->minutes = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINUTES]);
}

const char *
meso_appointment_get_practitioner (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->practitioner;
}

void
meso_appointment_set_practitioner (MesoAppointment *self,
                                   const char      *name)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_string (&self->practitioner, name, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTITIONER]);
}

const char *
meso_appointment_get_room (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->room;
}

void
meso_appointment_set_room (MesoAppointment *self,
                           const char      *name)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_string (&self->room, name, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOM]);
}

MesoAppointmentStatus
meso_appointment_get_status (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), MESO_APPOINTMENT_BOOKED);

  return self->status;
}

void
meso_appointment_set_status (MesoAppointment       *self,
                             MesoAppointmentStatus  status)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));
  g_return_if_fail (meso_enum_to_nick (MESO_TYPE_APPOINTMENT_STATUS, status) != NULL);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
meso_appointment_get_override_reason (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->override_reason;
}

void
meso_appointment_set_override_reason (MesoAppointment *self,
                                      const char      *reason)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_string (&self->override_reason, reason, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERRIDE_REASON]);
}

const char *
meso_appointment_get_cancel_reason (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  return self->cancel_reason;
}

void
meso_appointment_set_cancel_reason (MesoAppointment *self,
                                    const char      *reason)
{
  g_return_if_fail (MESO_IS_APPOINTMENT (self));

  if (meso_model_replace_string (&self->cancel_reason, reason, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCEL_REASON]);
}

GDateTime *
meso_appointment_dup_end (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), NULL);

  if (self->start == NULL)
    return NULL;

  return g_date_time_add_minutes (self->start, (int) self->minutes);
}

gboolean
meso_appointment_is_active (MesoAppointment *self)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), FALSE);

  return self->status == MESO_APPOINTMENT_BOOKED ||
         self->status == MESO_APPOINTMENT_CHECKED_IN;
}

gboolean
meso_appointment_validate_text (MesoAppointment  *self,
                                GError          **error)
{
  g_return_val_if_fail (MESO_IS_APPOINTMENT (self), FALSE);

  return meso_text_validate (MESO_TEXT_OVERRIDE_REASON, self->override_reason, error) &&
         meso_text_validate (MESO_TEXT_CANCEL_REASON, self->cancel_reason, error);
}
