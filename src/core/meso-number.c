/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-number.h"

#include <langinfo.h>

const char *
meso_number_decimal_sign (void)
{
  const char *sign = nl_langinfo (RADIXCHAR);

  if (sign == NULL || *sign == '\0' || !g_utf8_validate (sign, -1, NULL))
    return ".";
  return sign;
}

char *
meso_number_format_fixed (guint64 value,
                          guint   places,
                          guint   min_places)
{
  guint64 scale = 1;
  g_autofree char *digits = NULL;
  gsize len;

  g_return_val_if_fail (places <= 9 && min_places <= places, NULL);

  for (guint i = 0; i < places; i++)
    scale *= 10;
  if (places == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  /* The decimals as digits, then trailing zeros dropped down to min_places. */
  digits = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) places, value % scale);
  len = places;
  while (len > min_places && digits[len - 1] == '0')
    digits[--len] = '\0';
  if (len == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, value / scale);
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%s%s", value / scale,
                          meso_number_decimal_sign (), digits);
}

gboolean
meso_number_is_decimal_sign (char c)
{
  return c == '.' || c == ',';
}
