/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An audit log edited behind Mesodesk's back, for the tests of audit
 * verify (the command line) and Verify Audit Log (the window). */

#pragma once

#include <glib.h>
#include <sqlite3.h>

/* The last patient entry of the audit log in the SQLite file @path gets
 * another name, its guard trigger dropped and put back, as a person with
 * the sqlite3 shell could do it. Returns the entry's id. */
static inline gint64
edit_audit_behind_back (const char *path)
{
  g_autofree char *guard = NULL;
  g_autofree char *edit = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 victim;

  assert_int_equal (SQLITE_OK, sqlite3_open (path, &db));
  sqlite3_busy_timeout (db, 10000);
  assert_int_equal (SQLITE_OK,
                    sqlite3_prepare_v2 (db, "SELECT (SELECT max (id) FROM audit WHERE "
                                            "tbl = 'patients'), (SELECT sql FROM "
                                            "sqlite_master WHERE name = 'audit_no_update')",
                                        -1, &stmt, NULL));
  assert_int_equal (SQLITE_ROW, sqlite3_step (stmt));
  victim = sqlite3_column_int64 (stmt, 0);
  guard = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  edit = g_strdup_printf ("DROP TRIGGER audit_no_update; "
                          "UPDATE audit SET changes = json_set (changes, '$.name', 'Eve') "
                          "WHERE id = %" G_GINT64_FORMAT "; %s;", victim, guard);
  assert_int_equal (SQLITE_OK, sqlite3_exec (db, edit, NULL, NULL, NULL));
  sqlite3_close (db);
  return victim;
}
