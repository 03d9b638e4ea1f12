/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinical rules R1–R8 of clinical-rules.md: pure functions over dates
 * and numbers. Every other part of Mesodesk asks these; none repeats them. */

#pragma once

#include <glib.h>

#include "meso-policy.h"
#include "meso-types.h"
#include "meso-verdict.h"

G_BEGIN_DECLS

#define MESO_RULES_ERROR (meso_rules_error_quark ())

/* The consent rule's name in its verdicts: the window offers to take a
 * consent where this rule refuses. */
#define MESO_RULE_CONSENT "R8"

typedef enum
{
  MESO_RULES_ERROR_INVALID,
} MesoRulesError;

GQuark meso_rules_error_quark (void);

/* A recorded or booked session of one patient, as the interval rule sees it. */
typedef struct
{
  gint64     id;         /* the store's id; 0 if none */
  GDateTime *at;         /* borrowed */
  MesoArea   area;
  gboolean   cancelled;
} MesoSessionRef;

/* A dated contraindication flag (R2). History is kept: a cleared flag keeps
 * its dates. It is active from @noted_on up to, not including, @cleared_on. */
typedef struct
{
  MesoContraindication kind;
  GDate                noted_on;
  GDate                cleared_on;  /* g_date_clear()ed while still active */
} MesoFlag;

/* A consent on file for microneedling (R8): it covers the days from
 * @signed_on on, up to, not including, @revoked_on. */
typedef struct
{
  GDate signed_on;
  GDate revoked_on;  /* g_date_clear()ed while not revoked */
} MesoConsentSpan;

/* What the rules need to know of a patient. Arrays are borrowed. */
typedef struct
{
  gboolean               sensitive_skin;
  const MesoFlag        *flags;
  guint                  n_flags;
  const MesoSessionRef  *sessions;   /* recorded and booked, any area */
  guint                  n_sessions;
  const MesoConsentSpan *consents;   /* R8: read only when the policy requires one */
  guint                  n_consents;
} MesoPatientFacts;

/* A session to record or an appointment to book. */
typedef struct
{
  gint64     id;              /* the one being moved, so it is not its own neighbour; or 0 */
  GDateTime *at;
  MesoArea   area;
  guint      needle_um;       /* recording only */
  gboolean   home_use;        /* recording only: a home-care device */
  gboolean   scar_treatment;  /* recording only */
  const char *lot;            /* recording only: the lot as typed, or NULL */
  gboolean   lot_registered;  /* recording only: @lot is a registered lot … */
  GDate      lot_expires;     /* … whose last day of use is this */
} MesoTreatmentPlan;

typedef enum
{
  MESO_PURPOSE_RECORD,  /* a treatment happening now */
  MESO_PURPOSE_BOOK,    /* an appointment in the future */
} MesoPurpose;

/* R1: the treatment interval, per area, against both neighbours. */
void         meso_rules_find_neighbours         (const MesoSessionRef  *sessions,
                                                 guint                  n_sessions,
                                                 MesoArea               area,
                                                 GDateTime             *at,
                                                 gint64                 ignore_id,
                                                 const MesoSessionRef **before,
                                                 const MesoSessionRef **after);
MesoVerdict *meso_rules_check_interval          (const MesoPolicy      *policy,
                                                 const MesoPatientFacts *patient,
                                                 const MesoTreatmentPlan *plan);
/* The recommended window for the next session of an area: the first and the
 * last day, both included. */
void         meso_rules_follow_up_window        (const MesoPolicy      *policy,
                                                 gboolean               sensitive_skin,
                                                 GDateTime             *last_session_at,
                                                 GDate                 *opens,
                                                 GDate                 *closes);

/* R2: the contraindication gate. */
gboolean     meso_flag_is_active_on             (const MesoFlag        *flag,
                                                 const GDate           *day);
MesoVerdict *meso_rules_check_contraindications (const MesoPatientFacts *patient,
                                                 MesoPurpose            purpose,
                                                 GDateTime             *now,
                                                 GDateTime             *at);

/* R3: needle length. Lengths are micrometres; text is millimetres, to the
 * hundredth ("0.125" is refused with a message saying so), with "." or ","
 * as the decimal sign. The formats write the locale's sign (meso-number.h):
 * "0,5 mm" in German, "0.5 mm" on the command line. */
gboolean     meso_needle_parse_mm               (const char            *text,
                                                 guint                 *um,
                                                 GError               **error);
char        *meso_needle_format_mm              (guint                  um);
/* The number alone ("1.5", "1,5"), as meso_needle_parse_mm() reads it back. */
char        *meso_needle_format_number          (guint                  um);
gboolean     meso_rules_needle_class            (guint                  um,
                                                 MesoNeedleClass       *klass);
gboolean     meso_indication_is_scar_treatment  (MesoIndication         indication);
MesoVerdict *meso_rules_check_needle            (guint                  um,
                                                 MesoArea               area,
                                                 gboolean               home_use,
                                                 gboolean               scar_treatment);

/* R7: a product lot. A registered lot may be used up to and including its
 * expiry day (@expires: the last day of use); after it, refused. An
 * unregistered one (@registered FALSE) is recorded as typed, with a warning.
 * No lot: ok. */
MesoVerdict *meso_rules_check_lot               (const char            *lot,
                                                 gboolean               registered,
                                                 const GDate           *expires,
                                                 GDateTime             *at);

/* R8: consent. With the policy's consent_required on, a session on a day
 * no consent covers (signed on or before it, and not revoked on or before
 * it: a consent revoked on the session's day no longer covers it) is
 * refused, final. Off: ok. */
gboolean     meso_consent_span_covers           (const MesoConsentSpan *consent,
                                                 const GDate           *day);
MesoVerdict *meso_rules_check_consent           (const MesoPolicy      *policy,
                                                 const MesoConsentSpan *consents,
                                                 guint                  n_consents,
                                                 GDateTime             *at);

/* Every rule that governs recording a session, or booking one. Returns a new
 * array of MesoVerdict, one per rule: R3, R2, R1, R7, R8 for a session; R2,
 * R1 for a booking. */
GPtrArray   *meso_rules_check_session           (const MesoPolicy      *policy,
                                                 const MesoPatientFacts *patient,
                                                 const MesoTreatmentPlan *plan,
                                                 GDateTime             *now);
GPtrArray   *meso_rules_check_booking           (const MesoPolicy      *policy,
                                                 const MesoPatientFacts *patient,
                                                 const MesoTreatmentPlan *plan,
                                                 GDateTime             *now);

/* Lifts what may be lifted: an interval refusal by a clinician with a written
 * (non-blank) reason, a caution by an explicit confirmation. A lifted verdict
 * becomes a warning whose resolution says how it was lifted; a receptionist's
 * override is refused with its own message. Returns a new array. */
GPtrArray   *meso_rules_resolve                 (GPtrArray             *verdicts,
                                                 MesoRole               role,
                                                 const char            *override_reason,
                                                 gboolean               caution_confirmed);

/* R4: the aftercare plan of a session. */
typedef struct
{
  MesoAftercareKind kind;
  GDateTime        *from;
  GDateTime        *until;   /* exclusive; NULL: until the next session */
} MesoAftercareItem;

void         meso_aftercare_item_free           (MesoAftercareItem     *item);
/* Drops the times of an item filled in place (meso_rules_aftercare_item()). */
void         meso_aftercare_item_clear          (MesoAftercareItem     *item);
gboolean     meso_aftercare_item_is_active_at   (const MesoAftercareItem *item,
                                                 GDateTime             *at);
gboolean     meso_aftercare_item_is_active_on   (const MesoAftercareItem *item,
                                                 const GDate           *day);
/* The same for a span [@start, @end) the caller made once, e.g. a day's
 * meso_date_time_from_date() bounds for many items. */
gboolean     meso_aftercare_item_is_active_during (const MesoAftercareItem *item,
                                                 GDateTime             *start,
                                                 GDateTime             *end);
/* R4's moisturising row in Unix seconds, for a list of tens of thousands of
 * sessions: from @session_at until @next_session_at (G_MAXINT64: none
 * booked), stored into @from and @until; TRUE when that overlaps
 * [@start, @end). The same answer meso_rules_aftercare_item() and
 * meso_aftercare_item_is_active_during() give on the same instants, without
 * making a GDateTime (tests/test-rules.c holds the two together). */
gboolean     meso_rules_moisturise_is_active_during (gint64             session_at,
                                                 gint64                 next_session_at,
                                                 gint64                 start,
                                                 gint64                 end,
                                                 gint64                *from,
                                                 gint64                *until);
/* The instruction, translated, for the panel and the aftercare sheet. */
const char  *meso_aftercare_kind_get_instruction (MesoAftercareKind    kind);

/* A new array of MesoAftercareItem, in the order of the R4 table. */
GPtrArray   *meso_rules_aftercare_plan          (const MesoPolicy      *policy,
                                                 gboolean               sensitive_skin,
                                                 GDateTime             *session_at,
                                                 GDateTime             *next_session_at);
/* One row of that table (no water, sun protection, moisturise or follow-up),
 * filled into @item, whose times become new references (clear it after). The
 * plan is built from these; a list that needs one row of many sessions asks
 * for that row alone. */
void         meso_rules_aftercare_item          (const MesoPolicy      *policy,
                                                 MesoAftercareKind      kind,
                                                 gboolean               sensitive_skin,
                                                 GDateTime             *session_at,
                                                 GDateTime             *next_session_at,
                                                 MesoAftercareItem     *item);
/* The follow-up row of a window meso_rules_follow_up_window() gave: from
 * the first day's midnight until the midnight after the last day. */
void         meso_rules_follow_up_item          (const GDate           *opens,
                                                 const GDate           *closes,
                                                 MesoAftercareItem     *item);

MesoRecallStatus meso_rules_recall_status       (const MesoPolicy      *policy,
                                                 gboolean               sensitive_skin,
                                                 GDateTime             *last_session_at,
                                                 gboolean               follow_up_booked,
                                                 gboolean               course_finished,
                                                 gboolean               declined,
                                                 const GDate           *today);
/* The same decision from a window meso_rules_follow_up_window() gave, for
 * lists that keep the window as calendar days. */
MesoRecallStatus meso_rules_recall_status_in_window (const MesoPolicy  *policy,
                                                 const GDate           *opens,
                                                 const GDate           *closes,
                                                 gboolean               follow_up_booked,
                                                 gboolean               course_finished,
                                                 gboolean               declined,
                                                 const GDate           *today);
/* The same on julian day numbers (g_date_get_julian(), all valid), for
 * lists that read tens of thousands of windows in a row. */
MesoRecallStatus meso_rules_recall_status_in_julian_window (const MesoPolicy *policy,
                                                            guint32           opens,
                                                            guint32           closes,
                                                            gboolean          follow_up_booked,
                                                            gboolean          course_finished,
                                                            gboolean          declined,
                                                            guint32           today);

/* R5: the healing phase on @day, informational only. FALSE before the
 * session. @day_number is the count of days since the session (0 = that day). */
gboolean     meso_rules_healing_phase           (GDateTime             *session_at,
                                                 const GDate           *day,
                                                 MesoHealingPhase      *phase,
                                                 int                   *day_number);
char        *meso_rules_healing_describe        (MesoHealingPhase       phase,
                                                 int                    day_number);

/* R6: the choices the treatment form offers for an area. */
gboolean     meso_rules_indication_suits_area   (MesoIndication         indication,
                                                 MesoArea               area);
gboolean     meso_rules_active_suits_area       (MesoActive             active,
                                                 MesoArea               area);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoAftercareItem, meso_aftercare_item_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MesoAftercareItem, meso_aftercare_item_clear)

G_END_DECLS
