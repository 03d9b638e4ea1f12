/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A rule's answer: ok, warning, refused or invalid, with the rule it comes
 * from and a translated message naming the dates or lengths involved. The
 * window, the command line and the tests all show this one message. */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MESO_VERDICT_OK,
  MESO_VERDICT_WARNING,
  MESO_VERDICT_REFUSED,
  MESO_VERDICT_INVALID,
} MesoVerdictKind;

/* How a refusal may still be lifted. */
typedef enum
{
  MESO_RESOLUTION_NONE,      /* final */
  MESO_RESOLUTION_OVERRIDE,  /* a clinician, with a written reason (R1) */
  MESO_RESOLUTION_CONFIRM,   /* an explicit, recorded confirmation (R2 caution) */
} MesoResolution;

#define MESO_TYPE_VERDICT (meso_verdict_get_type ())

G_DECLARE_FINAL_TYPE (MesoVerdict, meso_verdict, MESO, VERDICT, GObject)

MesoVerdict     *meso_verdict_new            (MesoVerdictKind  kind,
                                              const char      *rule,
                                              const char      *message);
MesoVerdict     *meso_verdict_new_refused    (const char      *rule,
                                              MesoResolution   resolution,
                                              const char      *message);
MesoVerdict     *meso_verdict_new_ok         (const char      *rule);
/* A warning that records how @refused was lifted (its resolution). */
MesoVerdict     *meso_verdict_new_lifted     (MesoVerdict     *refused,
                                              const char      *message);

MesoVerdictKind  meso_verdict_get_kind       (MesoVerdict     *self);
const char      *meso_verdict_get_rule       (MesoVerdict     *self);
const char      *meso_verdict_get_message    (MesoVerdict     *self);
MesoResolution   meso_verdict_get_resolution (MesoVerdict     *self);
gboolean         meso_verdict_is_blocking    (MesoVerdict     *self);

/* The worst of a list of verdicts (invalid > refused > warning > ok); an
 * empty list is ok. Returns a new reference. */
MesoVerdict     *meso_verdict_worst          (GPtrArray       *verdicts);

/* All the non-ok messages, one a line, worst first. */
char            *meso_verdict_join_messages  (GPtrArray       *verdicts);

G_END_DECLS
