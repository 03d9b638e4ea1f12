/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the model objects (patient, session, appointment) share. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces *@field by a copy of @value; returns whether it changed. With
 * @empty_is_null an empty form field is stored as "not noted". */
gboolean meso_model_replace_string    (char       **field,
                                       const char  *value,
                                       gboolean     empty_is_null);

/* Replaces *@field by a new reference to @value; returns whether it changed.
 * The same instant at another UTC offset counts as a change: it reads
 * differently on screen. */
gboolean meso_model_replace_date_time (GDateTime  **field,
                                       GDateTime   *value);

G_END_DECLS
