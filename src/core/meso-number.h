/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decimals a person reads (a needle length), written once: with the decimal
 * sign of the locale's LC_NUMERIC, "0,5" in German and "0.5" in English. The
 * window runs in the person's locale; the command line sets LC_NUMERIC to C
 * at start, so its text and JSON keep "0.5" in every language. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The decimal sign of LC_NUMERIC: "," or "." (and "." where the locale's
 * sign is not valid UTF-8). */
const char *meso_number_decimal_sign (void);

/* @value in units of 10^-@places, with trailing zeros dropped down to
 * @min_places decimals: (1500, 3, 1) is "1.5" ("1,5" in German), (150, 3, 1)
 * "0.15", (2000, 3, 0) "2". */
char       *meso_number_format_fixed (guint64 value,
                                      guint   places,
                                      guint   min_places);

/* TRUE for a character a person may type as the decimal sign: "." and ","
 * in every locale, since both are common on a keyboard's number pad. */
gboolean    meso_number_is_decimal_sign (char c);

G_END_DECLS
