/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff accounts (issue 16): the practitioners with a password, signing
 * in, and what each role may do, checked here once for the window and the
 * command line alike. Passwords are Argon2id hashes (libsodium); the
 * clear text is wiped as soon as it is hashed or checked. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store.h"
#include "meso-store-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* One check takes about 0.07 s on the project's test machine (two shared
 * cores), within the 0.3 s a command line call may spend signing in. */
#define PWHASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

static const struct
{
  MesoStaffRoles role;
  const char    *nick;
} role_nicks[] = {
  { MESO_STAFF_RECEPTIONIST, "receptionist" },
  { MESO_STAFF_CLINICIAN, "clinician" },
  { MESO_STAFF_MANAGER, "manager" },
};

const char *
meso_staff_role_to_nick (MesoStaffRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_nicks); i++)
    if (role_nicks[i].role == role)
      return role_nicks[i].nick;
  return NULL;
}

gboolean
meso_staff_role_from_nick (const char     *nick,
                           MesoStaffRoles *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_nicks); i++)
    if (g_strcmp0 (role_nicks[i].nick, nick) == 0)
      {
        *role = role_nicks[i].role;
        return TRUE;
      }
  return FALSE;
}

void
meso_staff_member_free (MesoStaffMember *member)
{
  if (member == NULL)
    return;
  g_free (member->name);
  g_free (member);
}

/* `role` holds whether one treats; `manager` sits beside it. */
static MesoStaffRoles
roles_of (const char *role,
          gint64      manager)
{
  return (g_strcmp0 (role, "clinician") == 0 ? MESO_STAFF_CLINICIAN : MESO_STAFF_RECEPTIONIST) |
         (manager != 0 ? MESO_STAFF_MANAGER : 0);
}

static gboolean
init_sodium (GError **error)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  if (!ok)
    g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                         _("Passwords cannot be checked on this computer."));
  return ok;
}

static gboolean
not_allowed (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_ALLOWED, message);
  return FALSE;
}

/* ======================================================== permissions */

static const char accounts_sql[] =
  "SELECT a.n, p.role, p.manager, p.active FROM "
  "(SELECT count(*) AS n FROM practitioners WHERE password_hash IS NOT NULL) a "
  "LEFT JOIN practitioners p ON p.id = ?1";

gboolean
meso_store_has_accounts (MesoStore  *self,
                         gboolean   *has_accounts,
                         GError    **error)
{
  int count = 0;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!meso_store_read_int (self, "SELECT count(*) FROM practitioners "
                            "WHERE password_hash IS NOT NULL", &count, error))
    return FALSE;
  *has_accounts = count > 0;
  return TRUE;
}

/* The person's row as the database says now (a manager may have disabled
 * them or changed their roles since they signed in) into @grant. */
static gboolean
read_grant (MesoStore       *self,
            MesoStoreGrant  *grant,
            GError         **error)
{
  MesoDbStmt *stmt;
  GError *local_error = NULL;

  stmt = meso_store_prepare (self, accounts_sql, error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, meso_store_get_staff (self, NULL));
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      meso_db_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      grant->accounts = FALSE;
      return TRUE;
    }
  grant->accounts = meso_db_column_int64 (stmt, 0) > 0;
  grant->held = meso_db_column_is_null (stmt, 1)
                  ? 0 : roles_of (meso_db_column_text (stmt, 1), meso_db_column_int64 (stmt, 2));
  grant->active = !meso_db_column_is_null (stmt, 3) && meso_db_column_int64 (stmt, 3) != 0;
  meso_db_reset (stmt);
  return TRUE;
}

gboolean
meso_store_require_roles (MesoStore       *self,
                          MesoPermission   permission,
                          MesoStaffRoles  *roles,
                          GError         **error)
{
  MesoStoreGrant *kept = meso_store_get_grant (self);
  MesoStoreGrant fresh = { 0 };
  const MesoStoreGrant *grant = kept;

  *roles = 0;
  /* Inside a transaction, the row as the transaction reads it (under
   * SQLite's write lock, or in the server's serializable snapshot); outside
   * one, what was kept while no other connection committed anything. The
   * version is read before the row, so a change meanwhile is seen next
   * time. */
  if (meso_store_in_transaction (self))
    {
      if (!read_grant (self, &fresh, error))
        return FALSE;
      grant = &fresh;
    }
  else
    {
      gint64 version = meso_store_get_data_version (self);

      if (!kept->known || version < 0 || version != kept->version)
        {
          if (!read_grant (self, kept, error))
            {
              kept->known = FALSE;
              return FALSE;
            }
          kept->version = version;
          kept->known = version >= 0;
        }
    }

  if (!grant->accounts)
    return TRUE;
  if (grant->held == 0)
    return not_allowed (error, _("Sign in first: this clinic’s records are for its staff "
                                 "only."));
  if (!grant->active)
    return not_allowed (error, _("This account is disabled. Ask a manager."));

  switch (permission)
    {
    case MESO_PERMISSION_FRONT_DESK:
      break;
    case MESO_PERMISSION_TREAT:
      if ((grant->held & MESO_STAFF_CLINICIAN) == 0)
        return not_allowed (error, _("Only a clinician may do this: record a treatment, set "
                                     "a contraindication, or override a rule."));
      break;
    case MESO_PERMISSION_MANAGE:
      if ((grant->held & MESO_STAFF_MANAGER) == 0)
        return not_allowed (error, _("Only a manager may do this: the staff, the clinic’s "
                                     "policy and hours, import, export, backups, moving the "
                                     "clinic and the audit log."));
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  *roles = grant->held;
  return TRUE;
}

gboolean
meso_store_require (MesoStore       *self,
                    MesoPermission   permission,
                    GError         **error)
{
  MesoStaffRoles roles;
  MesoStoreGrant *grant;
  gboolean allowed;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  grant = meso_store_get_grant (self);
  /* Asked again as the write this call may make begins (meso_store_begin()). */
  if (!meso_store_in_transaction (self))
    grant->pending = permission;
  /* A manager's calls are few, some write without a transaction of their
   * own, and may change the staff: the row as it is now, and read again
   * at the next call. */
  if (permission == MESO_PERMISSION_MANAGE)
    grant->known = FALSE;
  allowed = meso_store_require_roles (self, permission, &roles, error);
  if (permission == MESO_PERMISSION_MANAGE)
    grant->known = FALSE;
  return allowed;
}

gboolean
meso_store_acting_role (MesoStore  *self,
                        MesoRole   *role,
                        GError    **error)
{
  MesoStaffRoles roles;

  if (!meso_store_require_roles (self, MESO_PERMISSION_FRONT_DESK, &roles, error))
    return FALSE;
  if (roles != 0)
    *role = (roles & MESO_STAFF_CLINICIAN) != 0 ? MESO_ROLE_CLINICIAN : MESO_ROLE_RECEPTIONIST;
  return TRUE;
}

gboolean
meso_store_may (MesoStore      *self,
                MesoPermission  permission)
{
  MesoStaffRoles roles;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  return meso_store_require_roles (self, permission, &roles, NULL);
}

/* ========================================================== signing in */

typedef struct
{
  gint64          id;
  char           *name;
  char           *hash;
  gboolean        active;
  gint64          failures;
  gint64          failed_at;
  MesoStaffRoles  roles;
} StaffRow;

static void
staff_row_clear (StaffRow *row)
{
  g_free (row->name);
  if (row->hash != NULL)
    sodium_memzero (row->hash, strlen (row->hash));
  g_free (row->hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StaffRow, staff_row_clear)

static const char staff_by_name_sql[] =
  "SELECT id, name, password_hash, active, failures, failed_at, role, manager "
  "FROM practitioners WHERE name = ?1";

/* FALSE without an error when there is no such person. */
static gboolean
read_staff (MesoStore   *self,
            const char  *name,
            StaffRow    *row,
            GError     **error)
{
  GError *local_error = NULL;
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, meso_store_dialect (self, "staff-by-name",
                                                       staff_by_name_sql), error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_text (stmt, 1, name);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      meso_db_reset (stmt);
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return FALSE;
    }
  row->id = meso_db_column_int64 (stmt, 0);
  row->name = g_strdup (meso_db_column_text (stmt, 1));
  row->hash = g_strdup (meso_db_column_text (stmt, 2));
  row->active = meso_db_column_int64 (stmt, 3) != 0;
  row->failures = meso_db_column_int64 (stmt, 4);
  row->failed_at = meso_db_column_int64 (stmt, 5);
  row->roles = roles_of (meso_db_column_text (stmt, 6), meso_db_column_int64 (stmt, 7));
  meso_db_reset (stmt);
  return TRUE;
}

/* The real clock, never MESODESK_NOW: a waiting time nobody can skip. In
 * milliseconds: in whole seconds, a one-second wait could end the moment
 * it began. */
static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gint64
wait_after (gint64 failures)
{
  if (failures < MESO_STAFF_FREE_FAILURES)
    return 0;
  if (failures - MESO_STAFF_FREE_FAILURES >= 5)
    return MESO_STAFF_MAX_WAIT_S;
  return MIN ((gint64)1 << (failures - MESO_STAFF_FREE_FAILURES), MESO_STAFF_MAX_WAIT_S);
}

static gboolean
verify (const char *hash,
        const char *password)
{
  /* A name without a password is checked against a hash of nothing, so a
   * wrong name takes as long as a wrong password. */
  static const char dummy[] =
    "$argon2id$v=19$m=65536,t=2,p=1$vqhsq8ZUMOPp6vZlYR9L/g$"
    "HF03jbGRKEaGH+QhmsCDhZsLalc4GpPDeXMpb7Z5El0";
  char buffer[crypto_pwhash_STRBYTES] = { 0 };
  gboolean ok;

  g_strlcpy (buffer, hash != NULL ? hash : dummy, sizeof buffer);
  ok = crypto_pwhash_str_verify (buffer, password, strlen (password)) == 0;
  sodium_memzero (buffer, sizeof buffer);
  return ok && hash != NULL;
}

static gboolean
record_failure (MesoStore   *self,
                const char  *name,
                gint64       id,
                GError     **error)
{
  MesoDbStmt *stmt;

  if (id != 0)
    {
      stmt = meso_store_prepare (self, "UPDATE practitioners SET failures = failures + 1, "
                                 "failed_at = ?2 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_int64 (stmt, 1, id);
      meso_db_bind_int64 (stmt, 2, now_ms ());
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }
  return meso_store_audit_note (self, "practitioners", "sign-in-failed", name, error);
}

static gboolean
wrong_credentials (MesoStore   *self,
                   const char  *name,
                   gint64       id,
                   GError     **error)
{
  if (!record_failure (self, name, id, error))
    return FALSE;
  return not_allowed (error, _("That name and password do not match an account."));
}

gboolean
meso_store_sign_in (MesoStore   *self,
                    const char  *name,
                    const char  *password,
                    GError     **error)
{
  g_auto(StaffRow) row = { 0 };
  g_autoptr(GError) local_error = NULL;
  gint64 wait;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && password != NULL, FALSE);

  if (!init_sodium (error) || !meso_store_set_staff (self, 0, NULL, error))
    return FALSE;
  if (!read_staff (self, name, &row, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      verify (NULL, password);
      return wrong_credentials (self, name, 0, error);
    }

  wait = (row.failed_at + wait_after (row.failures) * 1000 - now_ms () + 999) / 1000;
  if (row.hash != NULL && wait > 0)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_ALLOWED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many wrong passwords were typed for this name: try again "
                                "in %d second.",
                                "Too many wrong passwords were typed for this name: try again "
                                "in %d seconds.", (gulong)wait),
                   (int)wait);
      return FALSE;
    }
  if (!verify (row.hash, password))
    return wrong_credentials (self, name, row.hash != NULL ? row.id : 0, error);
  if (!row.active)
    return not_allowed (error, _("This account is disabled. Ask a manager."));

  if (row.failures != 0)
    {
      MesoDbStmt *stmt = meso_store_prepare (self, "UPDATE practitioners SET failures = 0 "
                                             "WHERE id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      meso_db_bind_int64 (stmt, 1, row.id);
      if (!meso_store_step_done (self, stmt, error))
        return FALSE;
    }
  return meso_store_set_staff (self, row.id, row.name, error);
}

void
meso_store_sign_out (MesoStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MESO_IS_STORE (self));

  if (!meso_store_set_staff (self, 0, NULL, &error))
    g_debug ("Signing out: %s", error->message);
}

const char *
meso_store_get_signed_in (MesoStore      *self,
                          MesoStaffRoles *roles)
{
  g_autoptr(GError) error = NULL;
  g_auto(StaffRow) row = { 0 };
  const char *name = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (roles != NULL)
    *roles = 0;
  if (meso_store_get_staff (self, &name) == 0)
    return NULL;
  if (roles != NULL && read_staff (self, name, &row, &error))
    *roles = row.roles;
  return name;
}

struct _MesoStaffTicket
{
  gint64  id;
  char   *name;
};

MesoStaffTicket *
meso_store_get_ticket (MesoStore *self)
{
  MesoStaffTicket *ticket;
  const char *name = NULL;
  gint64 id;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  id = meso_store_get_staff (self, &name);
  if (id == 0)
    return NULL;
  ticket = g_new0 (MesoStaffTicket, 1);
  ticket->id = id;
  ticket->name = g_strdup (name);
  return ticket;
}

gboolean
meso_store_sign_in_ticket (MesoStore              *self,
                           const MesoStaffTicket  *ticket,
                           GError                **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  /* Whether the person is still active and may do a thing is asked on
   * each call (meso_store_require()), as for a password's sign-in. */
  return meso_store_set_staff (self, ticket != NULL ? ticket->id : 0,
                               ticket != NULL ? ticket->name : NULL, error);
}

gboolean
meso_store_require_ticket (MesoStore              *self,
                           const MesoStaffTicket  *ticket,
                           MesoPermission          permission,
                           GError                **error)
{
  return meso_store_sign_in_ticket (self, ticket, error) &&
         meso_store_require (self, permission, error);
}

MesoStaffTicket *
meso_staff_ticket_copy (const MesoStaffTicket *ticket)
{
  MesoStaffTicket *copy;

  if (ticket == NULL)
    return NULL;
  copy = g_new0 (MesoStaffTicket, 1);
  copy->id = ticket->id;
  copy->name = g_strdup (ticket->name);
  return copy;
}

void
meso_staff_ticket_free (MesoStaffTicket *ticket)
{
  if (ticket == NULL)
    return;
  g_free (ticket->name);
  g_free (ticket);
}

const char *
meso_staff_ticket_get_name (const MesoStaffTicket *ticket)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  return ticket->name;
}

/* ======================================================== the staff */

GPtrArray *
meso_store_list_staff (MesoStore  *self,
                       GError    **error)
{
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_staff_member_free);
  GError *local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;
  stmt = meso_store_prepare (self, meso_store_dialect (self, "staff-entries",
                                                       "SELECT name, role, manager, active, "
                                                       "password_hash IS NOT NULL "
                                                       "FROM practitioners ORDER BY name"),
                             error);
  if (stmt == NULL)
    return NULL;
  while (meso_store_step_row (self, stmt, &local_error))
    {
      MesoStaffMember *member = g_new0 (MesoStaffMember, 1);

      member->name = g_strdup (meso_db_column_text (stmt, 0));
      member->roles = roles_of (meso_db_column_text (stmt, 1), meso_db_column_int64 (stmt, 2));
      member->active = meso_db_column_int64 (stmt, 3) != 0;
      member->has_password = meso_db_column_int64 (stmt, 4) != 0;
      g_ptr_array_add (staff, member);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&staff);
}

GStrv
meso_store_list_sign_in_names (MesoStore  *self,
                               GError    **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GError *local_error = NULL;
  MesoDbStmt *stmt;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  stmt = meso_store_prepare (self, meso_store_dialect (self, "sign-in-names",
                                                       "SELECT name FROM practitioners "
                                                       "WHERE password_hash IS NOT NULL "
                                                       "AND active <> 0 ORDER BY name"),
                             error);
  if (stmt == NULL)
    return NULL;
  while (meso_store_step_row (self, stmt, &local_error))
    g_strv_builder_add (names, meso_db_column_text (stmt, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_strv_builder_end (names);
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  char *copy;

  if (!init_sodium (error))
    return NULL;
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The password may not be empty."));
      return NULL;
    }
  if (crypto_pwhash_str (hash, password, strlen (password), PWHASH_OPSLIMIT,
                         PWHASH_MEMLIMIT) != 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                           _("There was not enough memory to protect the password."));
      return NULL;
    }
  copy = g_strdup (hash);
  sodium_memzero (hash, sizeof hash);
  return copy;
}

static void
free_hash (char *hash)
{
  if (hash != NULL)
    sodium_memzero (hash, strlen (hash));
  g_free (hash);
}

typedef char MesoHash;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoHash, free_hash)

static gboolean
store_password (MesoStore   *self,
                gint64       id,
                const char  *hash,
                GError     **error)
{
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, "UPDATE practitioners SET password_hash = ?2, failures = 0 "
                             "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, id);
  meso_db_bind_text (stmt, 2, hash);
  return meso_store_step_done (self, stmt, error);
}

/* `role` says whether one treats, `manager` whether one manages. */
static gboolean
write_roles (MesoStore       *self,
             gint64           id,
             MesoStaffRoles   roles,
             GError         **error)
{
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (self, "UPDATE practitioners SET role = ?2, manager = ?3 "
                             "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, id);
  meso_db_bind_text (stmt, 2, (roles & MESO_STAFF_CLINICIAN) ? "clinician" : "receptionist");
  meso_db_bind_int64 (stmt, 3, (roles & MESO_STAFF_MANAGER) ? 1 : 0);
  return meso_store_step_done (self, stmt, error);
}

static gboolean
no_such_staff (const char  *name,
               GError     **error)
{
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND,
               _("There is no staff member called “%s”."), name);
  return FALSE;
}

gboolean
meso_store_keep_a_manager (MesoStore   *self,
                           const char  *name,
                           GError     **error)
{
  g_auto(StaffRow) row = { 0 };
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt;
  gint64 others;

  if (!read_staff (self, name, &row, &local_error))
    {
      if (local_error == NULL)
        return TRUE;  /* nobody by that name: the caller says so */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if ((row.roles & MESO_STAFF_MANAGER) == 0 || row.hash == NULL || !row.active)
    return TRUE;
  stmt = meso_store_prepare (self, "SELECT count(*) FROM practitioners WHERE manager <> 0 "
                             "AND active <> 0 AND password_hash IS NOT NULL AND id <> ?1",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, row.id);
  if (!meso_store_step_row (self, stmt, &local_error))
    {
      meso_db_reset (stmt);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  others = meso_db_column_int64 (stmt, 0);
  meso_db_reset (stmt);
  if (others > 0)
    return TRUE;
  g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
               /* Translators: %s is a staff member's name */
               _("“%s” is the clinic’s only manager: make someone else a manager first, so "
                 "that someone can still add staff and restore backups."), row.name);
  return FALSE;
}

typedef struct
{
  const char     *name;
  MesoStaffRoles  roles;
  const char     *hash;
} AddStaff;

static gboolean
add_staff_cb (MesoStore  *self,
              gpointer    data,
              GError    **error)
{
  AddStaff *add = data;
  g_auto(StaffRow) row = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean has_accounts;
  MesoDbStmt *stmt;

  if (!meso_store_has_accounts (self, &has_accounts, error))
    return FALSE;
  if (!has_accounts && add->hash != NULL && (add->roles & MESO_STAFF_MANAGER) == 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("The first account must be a manager’s (--role manager): a "
                             "manager then adds everyone else."));
      return FALSE;
    }
  if (!read_staff (self, add->name, &row, &local_error))
    {
      gint64 id;

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!meso_store_check_text (MESO_TEXT_PRACTITIONER_NAME, add->name, error))
        return FALSE;
      stmt = meso_store_prepare (self, "INSERT INTO practitioners (name, role, manager) "
                                 "VALUES (?1, ?2, ?3) RETURNING id", error);
      if (stmt == NULL)
        return FALSE;
      meso_db_bind_text (stmt, 1, add->name);
      meso_db_bind_text (stmt, 2, (add->roles & MESO_STAFF_CLINICIAN) ? "clinician"
                                                                     : "receptionist");
      meso_db_bind_int64 (stmt, 3, (add->roles & MESO_STAFF_MANAGER) ? 1 : 0);
      if (!meso_store_step_id (self, stmt, &id, error))
        return FALSE;
      row.id = id;
    }
  else if (row.hash != NULL)
    {
      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                   _("“%s” has an account already."), row.name);
      return FALSE;
    }
  else
    {
      /* A practitioner of the records becomes an account: the same id, so
       * their bookings and sessions stay theirs. */
      if (!write_roles (self, row.id, add->roles, error))
        return FALSE;
    }
  if (add->hash != NULL &&
      (!store_password (self, row.id, add->hash, error) ||
       !meso_store_audit_note (self, "practitioners", "password-set", add->name, error)))
    return FALSE;
  return meso_store_audit_note (self, "practitioners", add->roles & MESO_STAFF_MANAGER
                                ? "manager" : "staff", add->name, error);
}

gboolean
meso_store_add_staff (MesoStore       *self,
                      const char      *name,
                      MesoStaffRoles   roles,
                      const char      *password,
                      GError         **error)
{
  g_autoptr(MesoHash) hash = NULL;
  AddStaff add = { name, roles, NULL };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;
  if (password != NULL && (hash = hash_password (password, error)) == NULL)
    return FALSE;
  add.hash = hash;
  return meso_store_run_write (self, add_staff_cb, &add, error);
}

static gboolean
set_roles_cb (MesoStore  *self,
              gpointer    data,
              GError    **error)
{
  AddStaff *change = data;
  g_auto(StaffRow) row = { 0 };
  g_autoptr(GError) local_error = NULL;

  if (!read_staff (self, change->name, &row, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return no_such_staff (change->name, error);
    }
  if ((change->roles & MESO_STAFF_MANAGER) == 0 &&
      !meso_store_keep_a_manager (self, row.name, error))
    return FALSE;
  return write_roles (self, row.id, change->roles, error) &&
         meso_store_audit_note (self, "practitioners", "roles", row.name, error);
}

gboolean
meso_store_set_staff_roles (MesoStore       *self,
                            const char      *name,
                            MesoStaffRoles   roles,
                            GError         **error)
{
  AddStaff change = { name, roles, NULL };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;
  if ((roles & (MESO_STAFF_RECEPTIONIST | MESO_STAFF_CLINICIAN | MESO_STAFF_MANAGER)) == 0)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("Choose at least one role."));
      return FALSE;
    }
  return meso_store_run_write (self, set_roles_cb, &change, error);
}

static gboolean
set_password (MesoStore   *self,
              const char  *name,
              const char  *password,
              const char  *action,
              GError     **error)
{
  g_auto(StaffRow) row = { 0 };
  g_autoptr(MesoHash) hash = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!read_staff (self, name, &row, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return no_such_staff (name, error);
    }
  hash = hash_password (password, error);
  return hash != NULL && store_password (self, row.id, hash, error) &&
         meso_store_audit_note (self, "practitioners", action, row.name, error);
}

gboolean
meso_store_set_staff_password (MesoStore   *self,
                               const char  *name,
                               const char  *password,
                               GError     **error)
{
  const char *signed_in = NULL;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  meso_store_get_staff (self, &signed_in);
  if (signed_in == NULL || g_ascii_strcasecmp (signed_in, name) != 0)
    {
      if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
        return FALSE;
    }
  else if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;
  return set_password (self, name, password, "password-set", error);
}

gboolean
meso_store_emergency_reset_password (MesoStore   *self,
                                     const char  *name,
                                     const char  *password,
                                     GError     **error)
{
  gboolean holds = FALSE;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!meso_store_get_provider (self)->holds_database (self, &holds, error))
    return FALSE;
  if (!holds)
    return not_allowed (error, _("Only the system user who owns the database file, or a "
                                 "superuser of the clinic server, may reset a password "
                                 "without a manager."));
  return set_password (self, name, password, "emergency-password-reset", error);
}
