/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What text a person may store: valid UTF-8, no control characters but the
 * line breaks and tabs of notes, and a greatest length per field. Every model
 * and store write of typed text asks meso_text_validate(), once. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Greatest lengths, in characters (Unicode code points). */
#define MESO_TEXT_MAX_NAME    200    /* patients, practitioners, rooms */
#define MESO_TEXT_MAX_PHONE   40
#define MESO_TEXT_MAX_EMAIL   254    /* RFC 5321's limit on a forward path */
#define MESO_TEXT_MAX_LINE    200    /* a lot number, a contact's outcome */
#define MESO_TEXT_MAX_LIST    1000   /* a session's actives */
#define MESO_TEXT_MAX_REASON  1000   /* override and cancel reasons */
#define MESO_TEXT_MAX_NOTES   10000  /* patient, session and contact notes */
#define MESO_TEXT_MAX_DOCUMENT 100000 /* a consent form's text */

#define MESO_TEXT_ERROR (meso_text_error_quark ())

typedef enum
{
  MESO_TEXT_ERROR_INVALID,  /* the message names the field */
} MesoTextError;

/* The fields a person types. Notes keep line breaks (LF or CRLF) and tabs;
 * every other field is one line and refuses every control character. */
typedef enum
{
  MESO_TEXT_PATIENT_NAME,
  MESO_TEXT_PHONE,
  MESO_TEXT_EMAIL,
  MESO_TEXT_PATIENT_NOTES,
  MESO_TEXT_ACTIVES,
  MESO_TEXT_LOT,
  MESO_TEXT_SESSION_NOTES,
  MESO_TEXT_OVERRIDE_REASON,
  MESO_TEXT_CANCEL_REASON,
  MESO_TEXT_PRACTITIONER_NAME,
  MESO_TEXT_ROOM_NAME,
  MESO_TEXT_CONTACT_NOTE,
  MESO_TEXT_CONTACT_OUTCOME,
  MESO_TEXT_PRODUCT_NAME,
  MESO_TEXT_CONSENT_FORM,
  MESO_TEXT_CONSENT_TEXT,
  MESO_TEXT_REVOKE_REASON,
} MesoTextField;

GQuark   meso_text_error_quark   (void);

/* NULL passes (not given). A bad @text gives MESO_TEXT_ERROR_INVALID. */
gboolean meso_text_validate      (MesoTextField   field,
                                  const char     *text,
                                  GError        **error);
guint    meso_text_max_chars     (MesoTextField   field);
gboolean meso_text_is_multi_line (MesoTextField   field);

/* What a control character would do, written out: "\t", "\n", "\x1b" …;
 * invalid UTF-8 becomes U+FFFD. For showing text stored before these rules
 * (or by another program), so it cannot forge lines or drive a terminal.
 * Returns NULL when @text needs no change. */
char    *meso_text_escape_controls (const char *text);

G_END_DECLS
