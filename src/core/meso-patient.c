/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-patient.h"

#include "meso-model-private.h"

#include "meso-text.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_EMAIL_BYTES  MESO_TEXT_MAX_EMAIL   /* RFC 5321 counts bytes */
#define MIN_PHONE_DIGITS 3

struct _MesoPatient
{
  GObject   parent_instance;

  gint64    id;
  char     *name;        /* never NULL */
  char     *birth_date;  /* YYYY-MM-DD or NULL */
  char     *phone;
  char     *email;
  char     *notes;       /* never NULL */
  gboolean  sensitive_skin;
  gboolean  archived;
  gint64    next_appointment;  /* Unix seconds, 0: none or not read */
};

G_DEFINE_FINAL_TYPE (MesoPatient, meso_patient, G_TYPE_OBJECT)

G_DEFINE_QUARK (meso-patient-error-quark, meso_patient_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BIRTH_DATE,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_SENSITIVE_SKIN,
  PROP_NOTES,
  PROP_ARCHIVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_patient_finalize (GObject *object)
{
  MesoPatient *self = (MesoPatient *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (meso_patient_parent_class)->finalize (object);
}

static void
meso_patient_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MesoPatient *self = MESO_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BIRTH_DATE:
      g_value_set_string (value, self->birth_date);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_SENSITIVE_SKIN:
      g_value_set_boolean (value, self->sensitive_skin);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MesoPatient *self = MESO_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      meso_patient_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      meso_patient_set_name (self, g_value_get_string (value));
      break;
    case PROP_BIRTH_DATE:
      meso_patient_set_birth_date (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      meso_patient_set_phone (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      meso_patient_set_email (self, g_value_get_string (value));
      break;
    case PROP_SENSITIVE_SKIN:
      meso_patient_set_sensitive_skin (self, g_value_get_boolean (value));
      break;
    case PROP_NOTES:
      meso_patient_set_notes (self, g_value_get_string (value));
      break;
    case PROP_ARCHIVED:
      meso_patient_set_archived (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_class_init (MesoPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags =
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_patient_finalize;
  object_class->get_property = meso_patient_get_property;
  object_class->set_property = meso_patient_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_BIRTH_DATE] =
    g_param_spec_string ("birth-date", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_SENSITIVE_SKIN] =
    g_param_spec_boolean ("sensitive-skin", NULL, NULL, FALSE, flags);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, "", flags);
  properties[PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_patient_init (MesoPatient *self)
{
  self->name = g_strdup ("");
  self->notes = g_strdup ("");
}

MesoPatient *
meso_patient_new (void)
{
  return g_object_new (MESO_TYPE_PATIENT, NULL);
}

gint64
meso_patient_get_id (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), 0);

  return self->id;
}

void
meso_patient_set_id (MesoPatient *self,
                     gint64       id)
{
  g_return_if_fail (MESO_IS_PATIENT (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
meso_patient_get_name (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  return self->name;
}

/* Kept as typed, blanks included: meso_patient_validate() judges it. NULL
 * is stored as "", so the name is never NULL. */
void
meso_patient_set_name (MesoPatient *self,
                       const char  *name)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  if (meso_model_replace_string (&self->name, name != NULL ? name : "", FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
meso_patient_get_birth_date (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  return self->birth_date;
}

void
meso_patient_set_birth_date (MesoPatient *self,
                             const char  *birth_date)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  if (meso_model_replace_string (&self->birth_date, birth_date, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BIRTH_DATE]);
}

const char *
meso_patient_get_phone (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  return self->phone;
}

void
meso_patient_set_phone (MesoPatient *self,
                        const char  *phone)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  if (meso_model_replace_string (&self->phone, phone, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
}

const char *
meso_patient_get_email (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  return self->email;
}

void
meso_patient_set_email (MesoPatient *self,
                        const char  *email)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  if (meso_model_replace_string (&self->email, email, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

gboolean
meso_patient_get_sensitive_skin (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), FALSE);

  return self->sensitive_skin;
}

void
meso_patient_set_sensitive_skin (MesoPatient *self,
                                 gboolean     sensitive_skin)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  sensitive_skin = !!sensitive_skin;
  if (self->sensitive_skin == sensitive_skin)
    return;

  self->sensitive_skin = sensitive_skin;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENSITIVE_SKIN]);
}

const char *
meso_patient_get_notes (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  return self->notes;
}

void
meso_patient_set_notes (MesoPatient *self,
                        const char  *notes)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  if (meso_model_replace_string (&self->notes, notes != NULL ? notes : "", FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

gboolean
meso_patient_get_archived (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), FALSE);

  return self->archived;
}

void
meso_patient_set_archived (MesoPatient *self,
                           gboolean     archived)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  archived = !!archived;
  if (self->archived == archived)
    return;

  self->archived = archived;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARCHIVED]);
}

gint64
meso_patient_get_next_appointment (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), 0);

  return self->next_appointment;
}

void
meso_patient_set_next_appointment (MesoPatient *self,
                                   gint64       start)
{
  g_return_if_fail (MESO_IS_PATIENT (self));

  self->next_appointment = start;
}

char *
meso_patient_describe_namesake (MesoPatient *self,
                                const char  *born)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->id);
  if (born != NULL)
    /* Translators: warning before adding a patient who may be there already:
     * name, birth date, record number */
    return g_strdup_printf (_("%s, born %s, is already record %s."), self->name, born, id);
  /* Translators: warning before adding a patient who may be there already:
   * name, phone number, record number */
  return g_strdup_printf (_("%s, phone %s, is already record %s."), self->name,
                          self->phone != NULL ? self->phone : "", id);
}

/* The text rules every field shares, with this module's error. */
static gboolean
check_text (MesoTextField   field,
            const char     *text,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (meso_text_validate (field, text, &local_error))
    return TRUE;
  g_set_error_literal (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                       local_error->message);
  return FALSE;
}

static gboolean
validate_name (const char  *name,
               GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (!check_text (MESO_TEXT_PATIENT_NAME, name, error))
    return FALSE;

  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0')
    {
      g_set_error (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                   _("The name cannot be empty."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_birth_date (const char  *birth_date,
                     GError     **error)
{
  g_autoptr(GError) range_error = NULL;
  GDate date, today;

  if (!meso_date_parse (birth_date, &date, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (birth_date, -1);

      g_set_error (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                   /* Translators: %s is what was typed; keep YYYY-MM-DD as it is */
                   _("“%s” is not a birth date: use YYYY-MM-DD."), shown);
      return FALSE;
    }

  meso_clock_today (&today);
  if (!meso_date_check (MESO_DATE_BIRTH, &date, &today, &range_error))
    {
      g_set_error_literal (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                           range_error->message);
      return FALSE;
    }

  return TRUE;
}

/* A plausibility check, not RFC 5322: it catches typing slips, nothing more. */
static gboolean
email_looks_valid (const char *email)
{
  const char *at = strchr (email, '@');
  const char *domain;
  gsize domain_len;

  if (strlen (email) > MAX_EMAIL_BYTES || !g_utf8_validate (email, -1, NULL))
    return FALSE;
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;

  domain = at + 1;
  domain_len = strlen (domain);
  return strchr (domain, '.') != NULL &&
         domain[0] != '.' && domain[domain_len - 1] != '.';
}

static gboolean
validate_email (const char  *email,
                GError     **error)
{
  if (!check_text (MESO_TEXT_EMAIL, email, error))
    return FALSE;
  if (!email_looks_valid (email))
    {
      g_autofree char *shown = g_utf8_make_valid (email, -1);

      g_set_error (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                   /* Translators: %s is what was typed */
                   _("“%s” is not an e-mail address."), shown);
      return FALSE;
    }

  return TRUE;
}

static gboolean
phone_looks_valid (const char *phone)
{
  guint n_digits = 0;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        n_digits++;
      else if (strchr (" +-()./", *p) == NULL)
        return FALSE;
    }

  return n_digits >= MIN_PHONE_DIGITS;
}

static gboolean
validate_phone (const char  *phone,
                GError     **error)
{
  if (!check_text (MESO_TEXT_PHONE, phone, error))
    return FALSE;
  if (!phone_looks_valid (phone))
    {
      g_autofree char *shown = g_utf8_make_valid (phone, -1);

      g_set_error (error, MESO_PATIENT_ERROR, MESO_PATIENT_ERROR_INVALID,
                   /* Translators: %s is what was typed */
                   _("“%s” is not a phone number."), shown);
      return FALSE;
    }

  return TRUE;
}

/**
 * meso_patient_validate:
 * @self: a patient
 * @field: (out) (optional): the property name of the first bad field
 * @error: the reason, for a person
 *
 * Checks name, birth date, e-mail, phone and notes, in that order, and stops
 * at the first bad one. On success @field is set to NULL.
 */
gboolean
meso_patient_validate (MesoPatient  *self,
                       const char  **field,
                       GError      **error)
{
  const char *bad = NULL;

  g_return_val_if_fail (MESO_IS_PATIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!meso_patient_validate_field ("name", self->name, error))
    bad = "name";
  else if (!meso_patient_validate_field ("birth-date", self->birth_date, error))
    bad = "birth-date";
  else if (!meso_patient_validate_field ("email", self->email, error))
    bad = "email";
  else if (!meso_patient_validate_field ("phone", self->phone, error))
    bad = "phone";
  else if (!meso_patient_validate_field ("notes", self->notes, error))
    bad = "notes";

  if (field != NULL)
    *field = bad;

  return bad == NULL;
}

/**
 * meso_patient_validate_field:
 * @field: a property name: "name", "birth-date", "email", "phone" or "notes"
 * @value: (nullable): the text; NULL means not given
 * @error: the reason, for a person
 *
 * One field's check, the same one meso_patient_validate() makes, so a form
 * can mark each bad field where it is. Only the name is required.
 */
gboolean
meso_patient_validate_field (const char  *field,
                             const char  *value,
                             GError     **error)
{
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_equal (field, "name"))
    return validate_name (value != NULL ? value : "", error);
  if (g_str_equal (field, "notes"))
    return check_text (MESO_TEXT_PATIENT_NOTES, value, error);
  if (value == NULL)
    return TRUE;
  if (g_str_equal (field, "birth-date"))
    return validate_birth_date (value, error);
  if (g_str_equal (field, "email"))
    return validate_email (value, error);
  if (g_str_equal (field, "phone"))
    return validate_phone (value, error);

  g_return_val_if_reached (FALSE);
}
