/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-verdict.h"

#include "meso-enum-types.h"

struct _MesoVerdict
{
  GObject          parent_instance;

  MesoVerdictKind  kind;
  MesoResolution   resolution;
  char            *rule;
  char            *message;
};

G_DEFINE_FINAL_TYPE (MesoVerdict, meso_verdict, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_RESOLUTION,
  PROP_RULE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_verdict_finalize (GObject *object)
{
  MesoVerdict *self = (MesoVerdict *)object;

  g_clear_pointer (&self->rule, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (meso_verdict_parent_class)->finalize (object);
}

static void
meso_verdict_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MesoVerdict *self = MESO_VERDICT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_RESOLUTION:
      g_value_set_enum (value, self->resolution);
      break;
    case PROP_RULE:
      g_value_set_string (value, self->rule);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_verdict_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MesoVerdict *self = MESO_VERDICT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_RESOLUTION:
      self->resolution = g_value_get_enum (value);
      break;
    case PROP_RULE:
      self->rule = g_value_dup_string (value);
      break;
    case PROP_MESSAGE:
      self->message = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_verdict_class_init (MesoVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_verdict_finalize;
  object_class->get_property = meso_verdict_get_property;
  object_class->set_property = meso_verdict_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       MESO_TYPE_VERDICT_KIND, MESO_VERDICT_OK,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLUTION] =
    g_param_spec_enum ("resolution", NULL, NULL,
                       MESO_TYPE_RESOLUTION, MESO_RESOLUTION_NONE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RULE] =
    g_param_spec_string ("rule", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_verdict_init (MesoVerdict *self)
{
}

static MesoVerdict *
verdict_new_full (MesoVerdictKind  kind,
                  MesoResolution   resolution,
                  const char      *rule,
                  const char      *message)
{
  return g_object_new (MESO_TYPE_VERDICT,
                       "kind", kind,
                       "resolution", resolution,
                       "rule", rule,
                       "message", message ? message : "",
                       NULL);
}

MesoVerdict *
meso_verdict_new (MesoVerdictKind  kind,
                  const char      *rule,
                  const char      *message)
{
  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (kind == MESO_VERDICT_OK || (message && *message), NULL);

  return verdict_new_full (kind, MESO_RESOLUTION_NONE, rule, message);
}

MesoVerdict *
meso_verdict_new_refused (const char     *rule,
                          MesoResolution  resolution,
                          const char     *message)
{
  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (message != NULL && *message, NULL);

  return verdict_new_full (MESO_VERDICT_REFUSED, resolution, rule, message);
}

MesoVerdict *
meso_verdict_new_lifted (MesoVerdict    *refused,
                         const char     *message)
{
  g_return_val_if_fail (MESO_IS_VERDICT (refused), NULL);
  g_return_val_if_fail (message != NULL && *message, NULL);

  return verdict_new_full (MESO_VERDICT_WARNING, refused->resolution, refused->rule, message);
}

MesoVerdict *
meso_verdict_new_ok (const char *rule)
{
  return meso_verdict_new (MESO_VERDICT_OK, rule, NULL);
}

MesoVerdictKind
meso_verdict_get_kind (MesoVerdict *self)
{
  g_return_val_if_fail (MESO_IS_VERDICT (self), MESO_VERDICT_INVALID);

  return self->kind;
}

const char *
meso_verdict_get_rule (MesoVerdict *self)
{
  g_return_val_if_fail (MESO_IS_VERDICT (self), NULL);

  return self->rule;
}

const char *
meso_verdict_get_message (MesoVerdict *self)
{
  g_return_val_if_fail (MESO_IS_VERDICT (self), NULL);

  return self->message;
}

MesoResolution
meso_verdict_get_resolution (MesoVerdict *self)
{
  g_return_val_if_fail (MESO_IS_VERDICT (self), MESO_RESOLUTION_NONE);

  return self->resolution;
}

gboolean
meso_verdict_is_blocking (MesoVerdict *self)
{
  g_return_val_if_fail (MESO_IS_VERDICT (self), TRUE);

  return self->kind == MESO_VERDICT_REFUSED || self->kind == MESO_VERDICT_INVALID;
}

/* The enum is declared from best to worst. */
MesoVerdict *
meso_verdict_worst (GPtrArray *verdicts)
{
  MesoVerdict *worst = NULL;

  g_return_val_if_fail (verdicts != NULL, NULL);

  for (guint i = 0; i < verdicts->len; i++)
    {
      MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

      if (worst == NULL || verdict->kind > worst->kind)
        worst = verdict;
    }

  if (worst == NULL)
    return meso_verdict_new_ok ("");
  return g_object_ref (worst);
}

char *
meso_verdict_join_messages (GPtrArray *verdicts)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (verdicts != NULL, NULL);

  for (int kind = MESO_VERDICT_INVALID; kind > MESO_VERDICT_OK; kind--)
    {
      for (guint i = 0; i < verdicts->len; i++)
        {
          MesoVerdict *verdict = g_ptr_array_index (verdicts, i);

          if ((int)verdict->kind != kind || verdict->message == NULL || !*verdict->message)
            continue;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, verdict->message);
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
