/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-model-private.h"

gboolean
meso_model_replace_string (char       **field,
                           const char  *value,
                           gboolean     empty_is_null)
{
  if (empty_is_null && value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

gboolean
meso_model_replace_date_time (GDateTime **field,
                              GDateTime  *value)
{
  GDateTime *old = *field;

  if (old == value)
    return FALSE;
  if (old != NULL && value != NULL && g_date_time_equal (old, value) &&
      g_date_time_get_utc_offset (old) == g_date_time_get_utc_offset (value))
    return FALSE;

  *field = value != NULL ? g_date_time_ref (value) : NULL;
  g_clear_pointer (&old, g_date_time_unref);
  return TRUE;
}
