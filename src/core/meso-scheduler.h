/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Booking help built on the rules and the store. */

#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

/* What the proposed times are measured from. */
typedef enum
{
  MESO_PROPOSAL_FIRST,      /* no session or booking of the area: from now */
  MESO_PROPOSAL_IN_WINDOW,  /* inside the recommended window, from now or its first day */
  MESO_PROPOSAL_OVERDUE,    /* the window closed before today: from now */
} MesoProposalBasis;

/* One free start, and who is free to treat then. */
typedef struct
{
  GDateTime *start;
  char      *practitioner;  /* NULL when none was asked for and nobody treats */
} MesoProposedSlot;

typedef struct
{
  MesoProposalBasis basis;
  GDate             window_opens;   /* cleared for MESO_PROPOSAL_FIRST */
  GDate             window_closes;
  GPtrArray        *slots;          /* MesoProposedSlot, earliest first */
} MesoProposal;

void meso_proposal_free (MesoProposal *proposal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoProposal, meso_proposal_free)

/* The next @count start times at which @like's patient, area and length
 * could be booked without an override and without a warning: from now
 * (rounded up to the next quarter hour), or from the recommended window's
 * first day if later, on open days within opening hours, at least the
 * interval away from both neighbouring sessions or bookings of the area
 * (past a session booked ahead when none fits before it), with the patient
 * and @like's room (if any) free. The practitioner is
 * @like's if it names one; otherwise, at each time, the one of the patient's
 * last session if they still treat and are free, else the first free one
 * who treats (none, when nobody on record treats). When @like has an id (an
 * appointment being moved) that appointment is not in its own way. Fewer
 * than @count slots when the search horizon runs out. */
MesoProposal *meso_scheduler_propose (MesoStore        *store,
                                      MesoAppointment  *like,
                                      guint             count,
                                      GError          **error);

/* The same, as a new array of GDateTime only. */
GPtrArray *meso_scheduler_suggest_like (MesoStore        *store,
                                        MesoAppointment  *like,
                                        guint             count,
                                        GError          **error);

/* The same for a patient, area, minutes, practitioner and room (either
 * may be NULL). */
GPtrArray *meso_scheduler_suggest (MesoStore   *store,
                                   gint64       patient_id,
                                   MesoArea     area,
                                   guint        minutes,
                                   const char  *practitioner,
                                   const char  *room,
                                   guint        count,
                                   GError     **error);

G_END_DECLS
