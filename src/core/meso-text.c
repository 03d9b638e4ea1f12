/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-core"

#include "config.h"

#include "meso-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (meso-text-error-quark, meso_text_error)

typedef struct
{
  const char *label;       /* N_() */
  guint       max_chars;
  gboolean    multi_line;  /* keeps \n, \r\n and \t */
} FieldRule;

static const FieldRule field_rules[] = {
  /* Translators: field names, at the start of a message about what was typed */
  [MESO_TEXT_PATIENT_NAME] = { N_("Name"), MESO_TEXT_MAX_NAME, FALSE },
  [MESO_TEXT_PHONE] = { N_("Phone"), MESO_TEXT_MAX_PHONE, FALSE },
  [MESO_TEXT_EMAIL] = { N_("E-mail"), MESO_TEXT_MAX_EMAIL, FALSE },
  [MESO_TEXT_PATIENT_NOTES] = { N_("Notes"), MESO_TEXT_MAX_NOTES, TRUE },
  [MESO_TEXT_ACTIVES] = { N_("Actives"), MESO_TEXT_MAX_LIST, FALSE },
  [MESO_TEXT_LOT] = { N_("Lot"), MESO_TEXT_MAX_LINE, FALSE },
  [MESO_TEXT_SESSION_NOTES] = { N_("Notes"), MESO_TEXT_MAX_NOTES, TRUE },
  [MESO_TEXT_OVERRIDE_REASON] = { N_("Override reason"), MESO_TEXT_MAX_REASON, FALSE },
  [MESO_TEXT_CANCEL_REASON] = { N_("Cancel reason"), MESO_TEXT_MAX_REASON, FALSE },
  [MESO_TEXT_PRACTITIONER_NAME] = { N_("Practitioner"), MESO_TEXT_MAX_NAME, FALSE },
  [MESO_TEXT_ROOM_NAME] = { N_("Room"), MESO_TEXT_MAX_NAME, FALSE },
  [MESO_TEXT_CONTACT_NOTE] = { N_("Notes"), MESO_TEXT_MAX_NOTES, TRUE },
  [MESO_TEXT_CONTACT_OUTCOME] = { N_("Outcome"), MESO_TEXT_MAX_LINE, FALSE },
  [MESO_TEXT_PRODUCT_NAME] = { N_("Product"), MESO_TEXT_MAX_NAME, FALSE },
  [MESO_TEXT_CONSENT_FORM] = { N_("Consent form"), MESO_TEXT_MAX_NAME, FALSE },
  [MESO_TEXT_CONSENT_TEXT] = { N_("Consent text"), MESO_TEXT_MAX_DOCUMENT, TRUE },
  [MESO_TEXT_REVOKE_REASON] = { N_("Reason for revoking"), MESO_TEXT_MAX_REASON, FALSE },
};

guint
meso_text_max_chars (MesoTextField field)
{
  g_return_val_if_fail (field < G_N_ELEMENTS (field_rules), 0);

  return field_rules[field].max_chars;
}

gboolean
meso_text_is_multi_line (MesoTextField field)
{
  g_return_val_if_fail (field < G_N_ELEMENTS (field_rules), FALSE);

  return field_rules[field].multi_line;
}

/* C0, DEL and C1. */
static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/**
 * meso_text_validate:
 * @field: which field @text is for
 * @text: (nullable): what was typed
 * @error: the reason, naming the field, for a person
 *
 * Refuses invalid UTF-8, control characters (a notes field keeps line
 * breaks and tabs) and text longer than the field's greatest length.
 */
gboolean
meso_text_validate (MesoTextField   field,
                    const char     *text,
                    GError        **error)
{
  const FieldRule *rule;
  glong n_chars = 0;

  g_return_val_if_fail (field < G_N_ELEMENTS (field_rules), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    return TRUE;
  rule = &field_rules[field];
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MESO_TEXT_ERROR, MESO_TEXT_ERROR_INVALID,
                   /* Translators: %s is a field's name, e.g. “Name” */
                   _("%s: this is not valid UTF-8 text."), _(rule->label));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);

      /* A line break may be CRLF (pasted, or a CSV from Windows); a lone
       * CR would let a line overwrite another on a terminal. */
      if (!is_control (c) ||
          (rule->multi_line && (c == '\n' || c == '\t' || (c == '\r' && p[1] == '\n'))))
        continue;
      if (rule->multi_line)
        g_set_error (error, MESO_TEXT_ERROR, MESO_TEXT_ERROR_INVALID,
                     /* Translators: %s is a field's name, e.g. “Notes” */
                     _("%s: control characters other than line breaks and tabs are not "
                       "allowed."),
                     _(rule->label));
      else
        g_set_error (error, MESO_TEXT_ERROR, MESO_TEXT_ERROR_INVALID,
                     /* Translators: %s is a field's name, e.g. “Name” */
                     _("%s: control characters such as tab, line break or escape are not "
                       "allowed."),
                     _(rule->label));
      return FALSE;
    }

  if (n_chars > rule->max_chars)
    {
      g_set_error (error, MESO_TEXT_ERROR, MESO_TEXT_ERROR_INVALID,
                   /* Translators: %s is a field's name, %u the greatest number of characters */
                   g_dngettext (GETTEXT_PACKAGE, "%s: at most %u character is allowed.",
                                "%s: at most %u characters are allowed.", rule->max_chars),
                   _(rule->label), rule->max_chars);
      return FALSE;
    }

  return TRUE;
}

char *
meso_text_escape_controls (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  else
    {
      const char *p = text;

      while (*p != '\0' && !is_control (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        return NULL;
    }

  out = g_string_sized_new (strlen (text) + 8);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (is_control (c))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}
