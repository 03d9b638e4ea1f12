/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Booking help built on the rules and the store. */

#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

/* The next @count start times at which booking @area for the patient would
 * be allowed without an override and without a warning of the interval
 * rule: inside the recommended window (or from now on, if it has passed),
 * within opening hours, with the practitioner and room (either may be NULL)
 * and the patient free. A new array of GDateTime, earliest first; fewer
 * than @count when the search horizon runs out. */
GPtrArray *meso_scheduler_suggest (MesoStore   *store,
                                   gint64       patient_id,
                                   MesoArea     area,
                                   guint        minutes,
                                   const char  *practitioner,
                                   const char  *room,
                                   guint        count,
                                   GError     **error);

/* The same for @like's patient, area, minutes, practitioner and room; when
 * @like has an id (an appointment being moved) that appointment is not in
 * its own way: neither a neighbour nor a conflict. */
GPtrArray *meso_scheduler_suggest_like (MesoStore        *store,
                                        MesoAppointment  *like,
                                        guint             count,
                                        GError          **error);

G_END_DECLS
