/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: products and their lots (issue 18), the lot a session is
 * recorded with (R7 judges it in meso-store-sessions.c), and the recall
 * by lot: who received it. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-text.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>

/* The columns lot_from_row() reads. */
#define LOT_SELECT \
  "SELECT l.id, l.number, p.name, l.expires_on, " \
  "(SELECT count(*) FROM sessions s WHERE s.lot_id = l.id) " \
  "FROM lots l JOIN products p ON p.id = l.product_id "

static const char product_id_sql[] = "SELECT id, name FROM products WHERE name = ?1";
static const char lots_list_sql[] = LOT_SELECT "ORDER BY p.name, l.expires_on, l.number";
static const char lots_find_sql[] = LOT_SELECT "WHERE l.number = ?1 ORDER BY l.id";
static const char last_lot_sql[] =
  "SELECT l.number FROM sessions s JOIN lots l ON l.id = s.lot_id "
  "WHERE s.lot_id IS NOT NULL ORDER BY s.id DESC LIMIT 1";
/* When patient @patient was last called about the lot whose recall note
 * (lot_contact_note()) is ?2: from the patient's few contacts, by
 * contacts_patient; NULL when never. */
#define LAST_LOT_CONTACT(patient) \
  "(SELECT max(c.at) FROM contacts c WHERE c.patient_id = " patient " AND c.note = ?2)"
static const char lot_patients_sql[] =
  "SELECT p.id, p.name, s.id, s.at, s.area, p.phone, p.email, pr.name, l.number, "
  LAST_LOT_CONTACT ("p.id") " "
  "FROM lots l JOIN products pr ON pr.id = l.product_id "
  "JOIN sessions s ON s.lot_id = l.id JOIN patients p ON p.id = s.patient_id "
  "WHERE l.number = ?1 ORDER BY s.at, s.id";
static const char lot_contact_sql[] = "SELECT " LAST_LOT_CONTACT ("?1");
/* The sessions recorded before lot ?2 was registered with its number as
 * typed, compared as meso_store_lookup_lot() compares it (spaces around it
 * aside). */
static const char link_sessions_sql[] =
  "UPDATE sessions SET lot_id = ?1 WHERE lot_id IS NULL AND trim(lot) = ?2 RETURNING id";

void
meso_lot_free (MesoLot *lot)
{
  if (lot == NULL)
    return;
  g_free (lot->number);
  g_free (lot->product);
  g_free (lot);
}

static MesoLot *
lot_from_row (MesoDbStmt *stmt)
{
  MesoLot *lot = g_new0 (MesoLot, 1);

  lot->id = meso_db_column_int64 (stmt, 0);
  lot->number = meso_db_column_dup (stmt, 1);
  lot->product = meso_db_column_dup (stmt, 2);
  g_date_clear (&lot->expires_on, 1);
  if (!meso_date_parse (meso_db_column_text (stmt, 3), &lot->expires_on, NULL))
    g_date_clear (&lot->expires_on, 1);
  lot->sessions = meso_db_column_int64 (stmt, 4);
  return lot;
}

/* The rows of @stmt (bound) as MesoLots. */
static GPtrArray *
read_lots (MesoStore   *self,
           MesoDbStmt  *stmt,
           GError     **error)
{
  return meso_store_read_rows (self, stmt, (MesoStoreRowFunc)lot_from_row,
                               (GDestroyNotify)meso_lot_free, error);
}

/* The text a lot number is kept as: checked, without the spaces around it;
 * NULL (INVALID) when nothing is left. */
static char *
check_lot_number (const char  *number,
                  GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (!meso_store_check_text (MESO_TEXT_LOT, number, error))
    return NULL;
  trimmed = g_strstrip (g_strdup (number != NULL ? number : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The lot number cannot be empty."));
      return NULL;
    }
  return g_steal_pointer (&trimmed);
}

static GPtrArray *
find_lots (MesoStore   *self,
           const char  *number,
           GError     **error)
{
  MesoDbStmt *stmt = meso_store_prepare (self, lots_find_sql, error);

  if (stmt == NULL)
    return NULL;
  meso_db_bind_text (stmt, 1, number);
  return read_lots (self, stmt, error);
}

gboolean
meso_store_insert_product (MesoStore   *self,
                           const char  *name,
                           gint64       created_at,
                           gint64      *id,
                           GError     **error)
{
  MesoDbStmt *stmt = meso_store_prepare (self,
                                         "INSERT INTO products (name, created_at) "
                                         "VALUES (?1, ?2) RETURNING id", error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  meso_db_bind_int64 (stmt, 2, created_at);
  return meso_store_step_id (self, stmt, id, error);
}

gboolean
meso_store_insert_lot (MesoStore    *self,
                       gint64        product_id,
                       const char   *number,
                       const GDate  *expires_on,
                       gint64        created_at,
                       gint64       *id,
                       GError      **error)
{
  g_autofree char *expires = meso_format_date_iso (expires_on);
  MesoDbStmt *stmt = meso_store_prepare (self,
                                         "INSERT INTO lots (product_id, number, expires_on, "
                                         "created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                                         error);

  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, product_id);
  meso_db_bind_text (stmt, 2, number);
  meso_db_bind_text (stmt, 3, expires);
  meso_db_bind_int64 (stmt, 4, created_at);
  return meso_store_step_id (self, stmt, id, error);
}

typedef struct
{
  const char  *number;
  const char  *product;
  const GDate *expires_on;
  gint64       id;
  gint64       linked;
} AddingLot;

/* Links the sessions recorded with lot @adding's number before it was
 * registered, when no other product has a lot of that number (an
 * ambiguous number stays unlinked, as meso_store_lookup_lot() refuses it),
 * and notes in the audit log which (lot_id is not an audited column). */
static gboolean
link_earlier_sessions (MesoStore   *self,
                       AddingLot   *adding,
                       GError     **error)
{
  g_autoptr(GPtrArray) lots = find_lots (self, adding->number, error);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = NULL;
  MesoDbStmt *stmt;

  if (lots == NULL)
    return FALSE;
  if (lots->len != 1)
    return TRUE;

  stmt = meso_store_prepare (self, link_sessions_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, adding->id);
  meso_db_bind_text (stmt, 2, adding->number);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, adding->linked > 0 ? ", " : "",
                              meso_db_column_int64 (stmt, 0));
      adding->linked++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (adding->linked == 0)
    return TRUE;
  what = g_strdup_printf ("lot %" G_GINT64_FORMAT " (%s of %s): sessions %s", adding->id,
                          adding->number, adding->product, ids->str);
  return meso_store_audit_note (self, "sessions", "lot-linked", what, error);
}

static gboolean
add_lot_cb (MesoStore  *self,
            gpointer    data,
            GError    **error)
{
  AddingLot *adding = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autofree char *product = g_strdup (adding->product);
  MesoDbStmt *stmt;
  gint64 product_id = 0;

  stmt = meso_store_prepare (self, meso_store_dialect (self, "product-id", product_id_sql),
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, adding->product);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      product_id = meso_db_column_int64 (stmt, 0);
      g_free (product);
      product = meso_db_column_dup (stmt, 1);  /* as it was first written */
      meso_db_reset (stmt);
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  else if (!meso_store_insert_product (self, adding->product, g_date_time_to_unix (now),
                                       &product_id, error))
    return FALSE;

  stmt = meso_store_prepare (self, "SELECT id FROM lots WHERE product_id = ?1 AND number = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, product_id);
  meso_db_bind_text (stmt, 2, adding->number);
  if (meso_store_step_row (self, stmt, &local_error))
    {
      meso_db_reset (stmt);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: a lot number, then a product's name */
                   _("Lot %s of %s is registered already."), adding->number, product);
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return meso_store_insert_lot (self, product_id, adding->number, adding->expires_on,
                                g_date_time_to_unix (now), &adding->id, error) &&
         link_earlier_sessions (self, adding, error);
}

gboolean
meso_store_add_lot (MesoStore    *self,
                    const char   *number,
                    const char   *product,
                    const GDate  *expires_on,
                    gint64       *id,
                    gint64       *linked,
                    GError      **error)
{
  g_autofree char *lot = NULL;
  g_autofree char *name = NULL;
  AddingLot adding = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_TREAT, error))
    return FALSE;

  if (expires_on == NULL || !g_date_valid (expires_on))
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("A lot needs its expiry date."));
      return FALSE;
    }
  lot = check_lot_number (number, error);
  if (lot == NULL || !meso_store_check_text (MESO_TEXT_PRODUCT_NAME, product, error) ||
      !meso_store_check_date (MESO_DATE_EXPIRY, expires_on, error))
    return FALSE;
  name = g_strstrip (g_strdup (product != NULL ? product : ""));
  if (*name == '\0')
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("A lot needs the name of its product."));
      return FALSE;
    }

  adding.number = lot;
  adding.product = name;
  adding.expires_on = expires_on;
  if (!meso_store_run_write (self, add_lot_cb, &adding, error))
    return FALSE;
  if (id != NULL)
    *id = adding.id;
  if (linked != NULL)
    *linked = adding.linked;
  return TRUE;
}

GPtrArray *
meso_store_list_lots (MesoStore  *self,
                      GError    **error)
{
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, meso_store_dialect (self, "lots-list", lots_list_sql), error);
  if (stmt == NULL)
    return NULL;
  return read_lots (self, stmt, error);
}

GPtrArray *
meso_store_find_lots (MesoStore   *self,
                      const char  *number,
                      GError     **error)
{
  g_autoptr(GPtrArray) lots = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  trimmed = check_lot_number (number, error);
  if (trimmed == NULL)
    return NULL;
  lots = find_lots (self, trimmed, error);
  if (lots != NULL && lots->len == 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
                   _("There is no registered lot %s."), trimmed);
      return NULL;
    }
  return g_steal_pointer (&lots);
}

gboolean
meso_store_lookup_lot (MesoStore   *self,
                       const char  *number,
                       gint64      *lot_id,
                       GDate       *expires_on,
                       GError     **error)
{
  g_autoptr(GPtrArray) lots = NULL;
  g_autofree char *trimmed = NULL;
  MesoLot *lot;

  *lot_id = 0;
  g_date_clear (expires_on, 1);
  trimmed = g_strstrip (g_strdup (number != NULL ? number : ""));
  if (*trimmed == '\0')
    return TRUE;
  lots = find_lots (self, trimmed, error);
  if (lots == NULL)
    return FALSE;
  if (lots->len > 1)
    {
      g_autoptr(GString) products = g_string_new (NULL);

      for (guint i = 0; i < lots->len; i++)
        g_string_append_printf (products, "%s%s", i > 0 ? ", " : "",
                                ((MesoLot *)g_ptr_array_index (lots, i))->product);
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   /* Translators: a lot number, then the names of the products */
                   _("Lot %s is registered for several products (%s); their lot numbers "
                     "must differ before one can be recorded."), trimmed, products->str);
      return FALSE;
    }
  if (lots->len == 1)
    {
      lot = g_ptr_array_index (lots, 0);
      *lot_id = lot->id;
      *expires_on = lot->expires_on;
    }
  return TRUE;
}

/* The note a recall contact is logged with: what finds it again, so
 * written the same in every language. */
static char *
lot_contact_note (const char *number)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (number));

  return g_strdup_printf ("Recall: lot %s", trimmed);
}

gboolean
meso_store_list_lot_patients (MesoStore           *self,
                              const char          *number,
                              MesoLotPatientFunc   func,
                              gpointer             user_data,
                              GError             **error)
{
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *note = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  lots = meso_store_find_lots (self, number, error);
  if (lots == NULL)
    return FALSE;

  stmt = meso_store_prepare (self, lot_patients_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, ((MesoLot *)g_ptr_array_index (lots, 0))->number);
  note = lot_contact_note (((MesoLot *)g_ptr_array_index (lots, 0))->number);
  meso_db_bind_text (stmt, 2, note);
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoLotPatient row = {
        .patient_id = meso_db_column_int64 (stmt, 0),
        .patient = meso_db_column_text (stmt, 1),
        .session_id = meso_db_column_int64 (stmt, 2),
        .at = meso_db_column_int64 (stmt, 3),
        .phone = meso_db_column_text (stmt, 5),
        .email = meso_db_column_text (stmt, 6),
        .product = meso_db_column_text (stmt, 7),
        .lot = meso_db_column_text (stmt, 8),
        .contacted = meso_db_column_int64 (stmt, 9),
      };
      int area = MESO_AREA_FACE;

      meso_enum_from_nick (MESO_TYPE_AREA, meso_db_column_text (stmt, 4), &area);
      row.area = area;
      func (&row, user_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

char *
meso_store_get_last_lot (MesoStore  *self,
                         GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  char *number;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  /* Backwards through the sessions' numbers to the first with a lot. */
  stmt = meso_store_prepare (self, last_lot_sql, error);
  if (stmt == NULL)
    return NULL;
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  number = meso_db_column_dup (stmt, 0);
  meso_db_reset (stmt);
  return number;
}


gboolean
meso_store_log_lot_contact (MesoStore   *self,
                            gint64       patient_id,
                            const char  *number,
                            GDateTime   *at,
                            GError     **error)
{
  g_autofree char *note = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  note = lot_contact_note (number);
  return meso_store_log_contact (self, patient_id, at, "call", note, NULL, error);
}

GDateTime *
meso_store_get_lot_contact (MesoStore   *self,
                            gint64       patient_id,
                            const char  *number,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *note = NULL;
  GDateTime *contacted = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  stmt = meso_store_prepare (self, lot_contact_sql, error);
  if (stmt == NULL)
    return NULL;
  note = lot_contact_note (number);
  meso_db_bind_int64 (stmt, 1, patient_id);
  meso_db_bind_text (stmt, 2, note);
  /* max() has its row: FALSE only on an error. */
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!meso_db_column_is_null (stmt, 0))
    contacted = meso_date_time_new_from_unix (meso_db_column_int64 (stmt, 0));
  meso_db_reset (stmt);
  return contacted;
}

/* For meso_store_sql_for(). */
const char *
meso_store_lots_sql (const char *name)
{
  static const char *const named[][2] = {
    { "product-id", product_id_sql },
    { "lots-list", lots_list_sql },
    { "lots-find", lots_find_sql },
    { "lot-patients", lot_patients_sql },
    { "lot-contact", lot_contact_sql },
    { "last-lot", last_lot_sql },
    { "link-sessions", link_sessions_sql },
  };

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (name, named[i][0]))
      return named[i][1];
  return NULL;
}
