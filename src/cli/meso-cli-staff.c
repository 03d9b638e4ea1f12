/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mesodesk-cli staff: accounts, their roles and passwords. Who may do what
 * is the store's to decide (meso_store_require()). */
#define G_LOG_DOMAIN "mesodesk-cli"

#include "config.h"

#include "meso-cli-private.h"

#include <glib/gi18n.h>

/* The new password: a line of stdin with --password-stdin (after the
 * sign-in's, if that came from stdin too), else typed twice at a terminal. */
static char *
new_password (gboolean   from_stdin,
              GError   **error)
{
  char *first, *again;

  first = meso_cli_read_password (_("New password: "), from_stdin, error);
  if (first == NULL || from_stdin)
    return first;
  again = meso_cli_read_password (_("The same again: "), FALSE, error);
  if (again == NULL || g_strcmp0 (first, again) != 0)
    {
      if (again != NULL)
        g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                             _("The two passwords differ; nothing was changed."));
      meso_cli_password_free (first);
      meso_cli_password_free (again);
      return NULL;
    }
  meso_cli_password_free (again);
  return first;
}

static int
staff_add (MesoCli  *cli,
           int       argc,
           char    **argv)
{
  g_auto(GStrv) roles = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean password_stdin = FALSE;
  MesoStaffRoles mask = 0;
  char *password = NULL;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles,
      N_("receptionist, clinician or manager (repeat for more than one; required)"),
      N_("ROLE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the new account's password from stdin (else asked at a terminal)"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, "staff add", N_("NAME"),
                       N_("Adds a staff member with a password (an account). The first "
                          "account must be a manager's; after it, only a manager adds staff. "
                          "A practitioner already in the records keeps their number."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (roles == NULL)
    return meso_cli_usage_error ("staff add", _("--role is required."));
  for (guint i = 0; roles[i] != NULL; i++)
    {
      MesoStaffRoles role;

      if (!meso_staff_role_from_nick (roles[i], &role))
        return meso_cli_usage_error ("staff add",
                                     _("Unknown role “%s”: receptionist, clinician or "
                                       "manager."), roles[i]);
      mask |= role;
    }

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  password = new_password (password_stdin, &error);
  if (password == NULL)
    return meso_cli_fail (error);
  ok = meso_store_add_staff (store, argv[1], mask, password, &error);
  meso_cli_password_free (password);
  return ok ? MESO_EXIT_OK : meso_cli_fail (error);
}

static char *
describe_roles (MesoStaffRoles roles)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (3, NULL, TRUE);

  for (MesoStaffRoles role = MESO_STAFF_RECEPTIONIST; role <= MESO_STAFF_MANAGER; role <<= 1)
    if (roles & role)
      g_ptr_array_add (names, (gpointer)meso_staff_role_to_nick (role));
  return g_strjoinv (",", (char **)names->pdata);
}

static int
staff_list (MesoCli  *cli,
            int       argc,
            char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (!meso_cli_parse (cli, "staff list", NULL,
                       N_("Lists the staff: name, roles, active or disabled, and whether "
                          "they have a password (an account)."),
                       NULL, &argc, &argv, 0, 0))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || (staff = meso_store_list_staff (store, &error)) == NULL)
    return meso_cli_fail (error);

  if (cli->json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < staff->len; i++)
    {
      MesoStaffMember *member = g_ptr_array_index (staff, i);
      g_autofree char *roles = describe_roles (member->roles);

      if (builder == NULL)
        {
          g_print ("%s\t%s\t%s\t%s\n", meso_cli_text (member->name), roles,
                   member->active ? _("active") : _("disabled"),
                   member->has_password ? _("account") : _("no password"));
          continue;
        }
      json_builder_begin_object (builder);
      meso_cli_json_string (builder, "name", member->name);
      json_builder_set_member_name (builder, "roles");
      json_builder_begin_array (builder);
      for (MesoStaffRoles role = MESO_STAFF_RECEPTIONIST; role <= MESO_STAFF_MANAGER;
           role <<= 1)
        if (member->roles & role)
          json_builder_add_string_value (builder, meso_staff_role_to_nick (role));
      json_builder_end_array (builder);
      meso_cli_json_bool (builder, "active", member->active);
      meso_cli_json_bool (builder, "has_password", member->has_password);
      json_builder_end_object (builder);
    }
  if (builder != NULL)
    {
      json_builder_end_array (builder);
      meso_cli_print_json (builder);
    }
  return MESO_EXIT_OK;
}

static int
staff_disable (MesoCli  *cli,
               int       argc,
               char    **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!meso_cli_parse (cli, "staff disable", N_("NAME"),
                       N_("Disables a staff member: they can no longer sign in, and the "
                          "records keep their name (a manager's work)."),
                       NULL, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;

  store = meso_cli_open (cli, &error);
  if (store == NULL || !meso_store_set_practitioner_active (store, argv[1], FALSE, &error))
    return meso_cli_fail (error);
  return MESO_EXIT_OK;
}

static int
set_password (MesoCli  *cli,
              int       argc,
              char    **argv,
              gboolean  emergency_command)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean password_stdin = FALSE, emergency = FALSE;
  char *password;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the new password from stdin (else asked at a terminal)"), NULL },
    { "emergency", 0, 0, G_OPTION_ARG_NONE, &emergency,
      N_("Without a manager: for the system user who owns the database file, or a "
         "superuser of the clinic server (audited)"), NULL },
    { NULL }
  };

  if (!meso_cli_parse (cli, emergency_command ? "staff reset-password" : "staff password",
                       N_("NAME"),
                       emergency_command
                         ? N_("Resets a lost password with --emergency, without anyone signed "
                              "in: only for the system user who owns the database file, or a "
                              "superuser of the clinic server. The reset is audited.")
                         : N_("Sets a password: one's own, or anyone's by a manager."),
                       entries, &argc, &argv, 1, 1))
    return MESO_EXIT_USAGE;
  if (emergency_command && !emergency)
    return meso_cli_usage_error ("staff reset-password",
                                 _("--emergency is required (a manager uses “staff "
                                   "password”)."));

  store = meso_cli_open (cli, &error);
  if (store == NULL)
    return meso_cli_fail (error);
  password = new_password (password_stdin, &error);
  if (password == NULL)
    return meso_cli_fail (error);
  if (emergency)
    ok = meso_store_emergency_reset_password (store, argv[1], password, &error);
  else
    ok = meso_store_set_staff_password (store, argv[1], password, &error);
  meso_cli_password_free (password);
  return ok ? MESO_EXIT_OK : meso_cli_fail (error);
}

static int
staff_password (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  return set_password (cli, argc, argv, FALSE);
}

static int
staff_reset_password (MesoCli  *cli,
                      int       argc,
                      char    **argv)
{
  return set_password (cli, argc, argv, TRUE);
}

static const MesoCommand staff_commands[] = {
  { "add", N_("Add a staff member with a password"), staff_add },
  { "list", N_("List the staff and their roles"), staff_list },
  { "disable", N_("Disable a staff member’s account"), staff_disable },
  { "password", N_("Set one’s own password, or anyone’s as a manager"), staff_password },
  { "reset-password", N_("Reset a lost password (--emergency)"), staff_reset_password },
  { NULL, NULL, NULL }
};

int
meso_cli_staff (MesoCli  *cli,
                int       argc,
                char    **argv)
{
  return meso_cli_dispatch (cli, "staff",
                            N_("Staff accounts: who signs in, and what each role may do."),
                            staff_commands, argc, argv);
}
