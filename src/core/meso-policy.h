/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clinic policy: every day count and needle length the rules use, in one
 * place. The defaults are the seeds' values (clinical-rules.md); a clinic may
 * make the intervals longer, never shorter than the hard lower bounds. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_POLICY_ERROR (meso_policy_error_quark ())

typedef enum
{
  MESO_POLICY_ERROR_OUT_OF_BOUNDS,
  MESO_POLICY_ERROR_UNKNOWN_KEY,    /* meso_policy_set_text(): no such setting */
  MESO_POLICY_ERROR_INVALID_VALUE,  /* … its text is not a number, or not on/off */
} MesoPolicyError;

typedef struct
{
  /* R1: the recommended interval between two sessions of one area. */
  guint interval_min_days;
  guint interval_max_days;
  guint sensitive_min_days;
  guint sensitive_max_days;

  /* R4: aftercare. */
  guint no_water_hours;
  guint sun_protection_days;
  /* The aftercare panel lists a follow-up this many days before it opens. */
  guint due_soon_days;
  /* R4 decision: an overdue patient whose window closed longer ago than this
   * many months is lapsed, listed apart from the recently overdue. */
  guint lapsed_months;

  /* Issue 16: a window nobody touched this many minutes locks itself. */
  guint lock_minutes;

  /* R8 (issue 18): 1 when a session needs a valid consent on file; 0 (the
   * default) when not. */
  guint consent_required;
} MesoPolicy;

/* One setting of MesoPolicy, for the lists that name every one of them
 * (mesodesk-cli policy show/set, the store's settings table). */
typedef struct
{
  const char *key;        /* kebab-case, as people type it: "interval-min-days" */
  const char *setting;    /* the settings table's name: "interval_min_days" */
  gsize       offset;     /* of its guint in MesoPolicy */
  gboolean    is_switch;  /* 0 or 1, written on/off */
} MesoPolicyField;

/* Needle lengths are in micrometres, so that 1.0 and 1.01 mm compare exactly.
 * These are the seeds' anatomical and legal limits (R3), not clinic policy. */
#define MESO_NEEDLE_MIN_UM        150   /* 0.15 mm */
#define MESO_NEEDLE_MAX_UM       2500   /* 2.5 mm */
#define MESO_NEEDLE_SHORT_MAX_UM  500   /* short: 0.15–0.5 mm */
#define MESO_NEEDLE_MEDIUM_MAX_UM 1500  /* medium: >0.5–1.5 mm; long above */
#define MESO_NEEDLE_HOME_MAX_UM  1000   /* over 1 mm only in a medical facility */
#define MESO_NEEDLE_FACE_MAX_UM  1500   /* facial skin ~1.5 mm: longer only for scars */

/* R5: the healing timeline, in days after the session (informational). */
#define MESO_HEALING_REPAIR_FROM_DAY     3
#define MESO_HEALING_REPAIR_UNTIL_DAY    7
#define MESO_HEALING_TURNOVER_FROM_DAY  14
#define MESO_HEALING_TURNOVER_UNTIL_DAY 18
#define MESO_HEALING_NORMAL_TURNOVER_DAYS 28

GQuark            meso_policy_error_quark (void);

/* The seeds' defaults. */
const MesoPolicy *meso_policy_get_default (void);
/* The hard lower bounds: what a clinic may never go below. */
const MesoPolicy *meso_policy_get_minimum (void);

/* The upper limits: past them a typo is likelier than a clinic's choice.
 * With meso_policy_get_minimum(), the range a settings field offers. */
const MesoPolicy *meso_policy_get_maximum (void);

/* FALSE, with an error naming the value and its bound, when @policy is
 * shorter than a hard bound or a window ends before it starts. */
gboolean          meso_policy_validate    (const MesoPolicy *policy,
                                           GError          **error);

/* Every setting, in MesoPolicy's order; @n_fields gets their count. */
const MesoPolicyField *meso_policy_get_fields (guint *n_fields);
/* The setting of @key (kebab-case), or NULL. */
const MesoPolicyField *meso_policy_find_field (const char *key);
guint             meso_policy_get_value   (const MesoPolicy      *policy,
                                           const MesoPolicyField *field);
/* Its value as people read and type it: a number, or "on"/"off". */
char             *meso_policy_format_value (const MesoPolicy     *policy,
                                           const MesoPolicyField *field);
/* Sets the setting @key from @text (a decimal number; a switch takes
 * on/off, true/false, 1/0): UNKNOWN_KEY or INVALID_VALUE, @policy left as
 * it was. Its bounds are meso_policy_validate()'s, which
 * meso_store_save_policy() asks after the permission. */
gboolean          meso_policy_set_text    (MesoPolicy            *policy,
                                           const char            *key,
                                           const char            *text,
                                           GError               **error);

guint             meso_policy_min_days    (const MesoPolicy *policy,
                                           gboolean          sensitive_skin);
guint             meso_policy_max_days    (const MesoPolicy *policy,
                                           gboolean          sensitive_skin);

G_END_DECLS
