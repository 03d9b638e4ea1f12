/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

/* What a receptionist types to find @patient: the start of a name, a piece
 * of a phone number, the start of an e-mail address. */
char        *query_for_patient (GRand       *rand,
                                MesoPatient *patient);
/* A patient picked at random among ids 1…@count (skipping gaps). */
MesoPatient *random_patient    (MesoStore   *store,
                                GRand       *rand,
                                guint        count);

G_END_DECLS
