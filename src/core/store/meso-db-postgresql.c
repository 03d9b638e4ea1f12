/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-db-postgresql.h"
#include "meso-db-private.h"

#include <stdlib.h>
#include <string.h>

/* The server's limit on a statement's parameters. */
#define MAX_PARAMETERS 65535
/* pg_type's text, for a parameter a statement does not use. */
#define TEXT_OID 25

/* A streamed statement reset with more rows than this still to come, in a
 * query that cannot change anything, is cancelled on the server rather
 * than read to its end. */
#define ROWS_BEFORE_CANCEL 1000

typedef struct _MesoDbPgStmt MesoDbPgStmt;

typedef struct
{
  MesoDb        parent;
  PGconn       *conn;
  PGcancel     *cancel;
  guint         next_name;
  gint64        changes;
  /* The statement whose results the connection is giving, if any. */
  MesoDbPgStmt *active;
  /* Names of finalized statements, deallocated on the server when it is
   * next idle outside a transaction. */
  GPtrArray    *stale_names;
  /* Counts the connections made: a statement prepared on an earlier one is
   * unknown to the server now, and is prepared again before it runs. */
  guint         generation;
  /* Whether a transaction was open when the connection was last seen up:
   * if it is lost then, the error stands until the caller rolls back. */
  gboolean      in_transaction;
  /* Run on every connection made (meso_db_postgresql_set_setup()). */
  char         *setup_sql;
  /* Notifications from other connections (and reconnections) so far. */
  gint64        notifications;
} MesoDbPg;

struct _MesoDbPgStmt
{
  MesoDbStmt parent;
  char      *name;
  char      *text;        /* as the server reads it ($N) */
  Oid       *types;       /* n_params, 0 where the server infers it */
  guint      generation;  /* the connection it was prepared on */
  int        n_params;
  char     **values;      /* n_params values, NULL for SQL NULL */
  int       *lengths;     /* a binary value's length (bytes), else 0 */
  int       *formats;     /* 1 for a binary value (bytes), 0 for text */
  gboolean   read_only;   /* SELECT, VALUES, TABLE or SHOW */
  gboolean   started;     /* sent; results pending */
  gboolean   cancellable; /* streamed, started outside a transaction, read-only */
  GQueue     parked;      /* results read early for another statement's sake */
  PGresult  *row;         /* the result holding the current row: the run's
                           * whole, or a single-tuple one when streamed */
  int        row_index;   /* the current row's in it */
  PGresult  *failure;     /* the first error result of this run */
};

static const MesoDbDriver postgresql_driver;

static MesoDbPg *
pg_db (MesoDb *db)
{
  return (MesoDbPg *)db;
}

static MesoDbPgStmt *
pg_stmt (MesoDbStmt *stmt)
{
  return (MesoDbPgStmt *)stmt;
}

/* ================================================================ errors */

static MesoDbError
kind_from_sqlstate (const char *state)
{
  if (state == NULL || strlen (state) != 5)
    return MESO_DB_ERROR_FAILED;
  if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0)
    return MESO_DB_ERROR_SERIALIZATION;
  if (strcmp (state, "23505") == 0 || strcmp (state, "23P01") == 0)
    return MESO_DB_ERROR_UNIQUE;
  if (g_str_has_prefix (state, "23"))
    return MESO_DB_ERROR_CONSTRAINT;
  if (strcmp (state, "53100") == 0)
    return MESO_DB_ERROR_FULL;
  if (strcmp (state, "55P03") == 0)
    return MESO_DB_ERROR_BUSY;
  if (strcmp (state, "42501") == 0)
    return MESO_DB_ERROR_READONLY;
  if (g_str_has_prefix (state, "28"))
    return MESO_DB_ERROR_AUTH;
  /* 57P01–57P05: the server shut down, crashed, is starting, dropped the
   * database, or ended an idle session. */
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return MESO_DB_ERROR_CONNECTION;
  if (strcmp (state, "XX001") == 0 || strcmp (state, "XX002") == 0)
    return MESO_DB_ERROR_CORRUPT;
  return MESO_DB_ERROR_FAILED;
}

/* A connection refused before any SQLSTATE exists: libpq's text is all
 * there is (English unless the server's lc_messages says otherwise). */
static gboolean
refused_user (const char *text)
{
  static const char *const signs[] = {
    "authentication failed", "password", "pg_hba.conf", "role \"", "SCRAM", "GSSAPI",
  };

  for (gsize i = 0; text != NULL && i < G_N_ELEMENTS (signs); i++)
    if (strstr (text, signs[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Why TLS failed, from libpq's text (its own English, or OpenSSL's, which
 * is never translated); MESO_DB_ERROR_CONNECTION when it says nothing of
 * TLS. A libpq that translates its words into the desk's language gives
 * CONNECTION: the message is then less precise, never the server's. */
static MesoDbError
tls_failure (const char *text)
{
  static const struct
  {
    const char  *sign;
    MesoDbError  kind;
  } signs[] = {
    { "does not match host name", MESO_DB_ERROR_TLS_HOST },
    { "certificate verify failed", MESO_DB_ERROR_TLS_UNTRUSTED },
    { "root certificate file", MESO_DB_ERROR_TLS_NO_CA },
    { "server does not support SSL", MESO_DB_ERROR_TLS_MISSING },
  };

  for (gsize i = 0; text != NULL && i < G_N_ELEMENTS (signs); i++)
    if (strstr (text, signs[i].sign) != NULL)
      return signs[i].kind;
  return MESO_DB_ERROR_CONNECTION;
}

/* Neutral words for a kind: the store replaces them with its own message
 * for people, so they are not translated, and name nothing of the server's. */
static const char *
kind_message (MesoDbError kind)
{
  switch (kind)
    {
    case MESO_DB_ERROR_BUSY:
      return "The database is locked by another connection";
    case MESO_DB_ERROR_SERIALIZATION:
      return "A concurrent transaction changed the same data";
    case MESO_DB_ERROR_UNIQUE:
      return "A unique constraint was violated";
    case MESO_DB_ERROR_CONSTRAINT:
      return "A constraint was violated";
    case MESO_DB_ERROR_FULL:
      return "The database server's disk is full";
    case MESO_DB_ERROR_CORRUPT:
      return "The database is damaged";
    case MESO_DB_ERROR_READONLY:
      return "No permission on the database server";
    case MESO_DB_ERROR_CANTOPEN:
      return "The database cannot be opened";
    case MESO_DB_ERROR_IO:
      return "The database server reported an input or output error";
    case MESO_DB_ERROR_CONNECTION:
      return "The database server cannot be reached";
    case MESO_DB_ERROR_AUTH:
      return "The database server refused the user or the password";
    case MESO_DB_ERROR_TLS_HOST:
      return "The database server's certificate does not match its host name";
    case MESO_DB_ERROR_TLS_UNTRUSTED:
      return "The database server's certificate is not signed by a trusted authority";
    case MESO_DB_ERROR_TLS_NO_CA:
      return "No root certificate to verify the database server with";
    case MESO_DB_ERROR_TLS_MISSING:
      return "The database server does not support encryption";
    case MESO_DB_ERROR_FAILED:
    default:
      return "The database server could not carry out the statement";
    }
}

/* @res: the failed result, or NULL when libpq failed before or without one. */
static void
set_error (MesoDbPg       *self,
           const PGresult *res,
           const char     *doing,
           GError        **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *text = res != NULL ? PQresultErrorMessage (res) : NULL;
  MesoDbError kind = kind_from_sqlstate (state);

  if (text == NULL || *text == '\0')
    text = PQerrorMessage (self->conn);
  /* Without a SQLSTATE the failure is libpq's own, not the server's: a
   * send to a server that just went away fails before libpq has read the
   * end of the connection, so it still says CONNECTION_OK; reading tells. */
  if (kind == MESO_DB_ERROR_FAILED &&
      (PQstatus (self->conn) == CONNECTION_BAD ||
       (state == NULL && (!PQconsumeInput (self->conn) ||
                          PQstatus (self->conn) == CONNECTION_BAD))))
    kind = MESO_DB_ERROR_CONNECTION;
  /* In a transaction, a unique or exclusion violation may be a concurrent
   * transaction's row the serializable snapshot did not show (PostgreSQL's
   * manual advises running such a transaction again too), and a table or
   * an object that "already exists" one that another desk's first connect
   * made meanwhile (42P07, 42710). */
  if (kind == MESO_DB_ERROR_SERIALIZATION)
    self->parent.race = MESO_DB_RACE_LOST;
  else if ((kind == MESO_DB_ERROR_UNIQUE || g_strcmp0 (state, "42P07") == 0 ||
            g_strcmp0 (state, "42710") == 0) &&
           PQtransactionStatus (self->conn) == PQTRANS_INERROR &&
           self->parent.race == MESO_DB_RACE_NONE)
    self->parent.race = MESO_DB_RACE_MAYBE;

  /* The server's own words go to the debug log only. */
  g_debug ("PostgreSQL error %s while %s: %s", state != NULL ? state : "(no SQLSTATE)",
           doing, text);
  g_set_error_literal (error, MESO_DB_ERROR, kind, kind_message (kind));
}

static void
notice_cb (void       *data,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* ================================================================ SQL text */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$' || (guchar)c >= 0x80;
}

/* The length of a dollar quote's tag at @p ("$$", "$body$"), or 0. */
static gsize
dollar_tag_length (const char *sql,
                   const char *p)
{
  const char *q = p + 1;

  if (p > sql && is_name_char (p[-1]))
    return 0;  /* part of a name */
  if (g_ascii_isdigit (*q))
    return 0;  /* $1 */
  while (g_ascii_isalnum (*q) || *q == '_' || (guchar)*q >= 0x80)
    q++;
  return *q == '$' ? (gsize)(q - p + 1) : 0;
}

/* ?N → $N outside string literals ('…', E'…', $tag$…$tag$), quoted names
 * and comments; a ? not followed by a digit (jsonb's operators) stays.
 * Sets @n_params to the highest N, and @used (N - 1 for each N) to the
 * numbers the text has. */
static char *
rewrite_parameters (const char  *sql,
                    int         *n_params,
                    GArray      *used,
                    GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (sql) + 16);
  const char *p = sql;
  int highest = 0;

  while (*p != '\0')
    {
      const char *start = p;

      if (*p == '\'')
        {
          gboolean escapes = p > sql && (p[-1] == 'E' || p[-1] == 'e')
                             && (p - 1 == sql || !is_name_char (p[-2]));

          for (p++; *p != '\0'; p++)
            {
              if (escapes && *p == '\\' && p[1] != '\0')
                p++;
              else if (*p == '\'' && p[1] == '\'')
                p++;
              else if (*p == '\'')
                break;
            }
          if (*p != '\0')
            p++;
        }
      else if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
            }
          if (*p != '\0')
            p++;
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          int depth = 0;

          /* PostgreSQL's block comments nest. */
          while (*p != '\0')
            {
              if (p[0] == '/' && p[1] == '*')
                {
                  depth++;
                  p += 2;
                }
              else if (p[0] == '*' && p[1] == '/')
                {
                  p += 2;
                  if (--depth == 0)
                    break;
                }
              else
                p++;
            }
        }
      else if (*p == '$' && dollar_tag_length (sql, p) > 0)
        {
          gsize length = dollar_tag_length (sql, p);
          g_autofree char *tag = g_strndup (p, length);
          const char *end = strstr (p + length, tag);

          p = end != NULL ? end + length : p + strlen (p);
        }
      else if (*p == '?' && g_ascii_isdigit (p[1]))
        {
          char *digits_end;
          guint64 n = g_ascii_strtoull (p + 1, &digits_end, 10);

          if (n == 0 || n > MAX_PARAMETERS)
            {
              g_set_error (error, MESO_DB_ERROR, MESO_DB_ERROR_FAILED,
                           "Parameter number %" G_GUINT64_FORMAT " is out of range", n);
              return NULL;
            }
          g_string_append_printf (out, "$%d", (int)n);
          highest = MAX (highest, (int)n);
          if (used->len < n)
            g_array_set_size (used, n);
          g_array_index (used, gboolean, n - 1) = TRUE;
          p = digits_end;
          continue;
        }
      else
        p++;

      g_string_append_len (out, start, p - start);
    }

  *n_params = highest;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
meso_db_postgresql_prepare_sql (const char  *name,
                                const char  *sql,
                                int         *n_params,
                                GError     **error)
{
  g_autoptr(GArray) used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autofree char *text = rewrite_parameters (sql, n_params, used, error);
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  /* As pg_prepare(): type 0 (unknown) is inferred, a skipped one is text. */
  out = g_string_new ("PREPARE ");
  g_string_append (out, name);
  for (int i = 0; i < *n_params; i++)
    g_string_append_printf (out, "%s%s", i == 0 ? " (" : ", ",
                            g_array_index (used, gboolean, i) ? "unknown" : "text");
  g_string_append_printf (out, "%s AS %s", *n_params > 0 ? ")" : "", text);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Whether @sql is a query that cannot change anything, so that the server
 * may be told to stop it. */
static gboolean
is_read_only (const char *sql)
{
  static const char *const verbs[] = { "SELECT", "VALUES", "TABLE", "SHOW" };

  while (g_ascii_isspace (*sql) || *sql == '(')
    sql++;
  for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      gsize n = strlen (verbs[i]);

      if (g_ascii_strncasecmp (sql, verbs[i], n) == 0 && !is_name_char (sql[n]))
        return TRUE;
    }
  return FALSE;
}

/* ================================================================ results */

/* What an INSERT, UPDATE, DELETE or MERGE that finished changed. */
static void
note_changes (MesoDbPg       *self,
              const PGresult *res)
{
  static const char *const verbs[] = { "INSERT ", "UPDATE ", "DELETE ", "MERGE " };
  const char *tag = PQcmdStatus ((PGresult *)res);

  for (gsize i = 0; tag != NULL && i < G_N_ELEMENTS (verbs); i++)
    if (g_str_has_prefix (tag, verbs[i]))
      {
        self->changes = g_ascii_strtoll (PQcmdTuples ((PGresult *)res), NULL, 10);
        return;
      }
}

/* Whether @res ends a command that succeeded. (No switch over the
 * statuses: newer libpq adds some, PGRES_TUPLES_CHUNK in 17.) */
static gboolean
finished_well (const PGresult *res)
{
  ExecStatusType status = PQresultStatus (res);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
         || status == PGRES_EMPTY_QUERY;
}

/* Reads the results the connection is still giving for the active
 * statement and keeps them with it, so that the connection is free. */
static void
park_active (MesoDbPg *self)
{
  MesoDbPgStmt *active = self->active;
  PGresult *res;

  if (active == NULL)
    return;
  while ((res = PQgetResult (self->conn)) != NULL)
    g_queue_push_tail (&active->parked, res);
  self->active = NULL;
}

/* The next result of @stmt's run, or NULL at its end. */
static PGresult *
next_result (MesoDbPgStmt *stmt)
{
  MesoDbPg *self = pg_db (stmt->parent.db);
  PGresult *res;

  if (!g_queue_is_empty (&stmt->parked))
    return g_queue_pop_head (&stmt->parked);
  if (self->active != stmt)
    return NULL;
  res = PQgetResult (self->conn);
  if (res == NULL)
    self->active = NULL;
  return res;
}

/* Drops what is left of @stmt's run; its bindings stay. */
static void
stmt_reset (MesoDbPgStmt *stmt)
{
  MesoDbPg *self = pg_db (stmt->parent.db);

  g_clear_pointer (&stmt->row, PQclear);
  g_clear_pointer (&stmt->failure, PQclear);
  /* A write's rows abandoned still count as its changes. */
  while (!g_queue_is_empty (&stmt->parked))
    {
      PGresult *res = g_queue_pop_head (&stmt->parked);

      if (finished_well (res))
        note_changes (self, res);
      PQclear (res);
    }

  if (self->active == stmt)
    {
      PGresult *res;
      guint skipped = 0;
      gboolean cancelled = FALSE;

      /* Rows nobody wants: a long query that changes nothing is stopped on
       * the server (outside a transaction only, where the cancel cannot
       * abort anything else); anything else runs to its end. */
      while ((res = PQgetResult (self->conn)) != NULL)
        {
          if (!cancelled && stmt->cancellable && ++skipped > ROWS_BEFORE_CANCEL
              && self->cancel != NULL)
            {
              char reason[256] = "";

              cancelled = TRUE;
              if (!PQcancel (self->cancel, reason, sizeof reason))
                g_debug ("Cancelling a PostgreSQL query: %s", reason);
            }
          if (finished_well (res))
            note_changes (self, res);
          PQclear (res);
        }
      self->active = NULL;
    }
  stmt->started = FALSE;
}

/* ================================================================ driver */

static void
pg_close (MesoDb *db)
{
  MesoDbPg *self = pg_db (db);

  g_clear_pointer (&self->cancel, PQfreeCancel);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->stale_names, g_ptr_array_unref);
  g_clear_pointer (&self->setup_sql, g_free);
  g_free (self);
}

static void
deallocate_stale (MesoDbPg *self)
{
  g_autoptr(GString) sql = NULL;
  PGresult *res;

  if (self->stale_names->len == 0 || PQstatus (self->conn) != CONNECTION_OK
      || PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    return;
  sql = g_string_new (NULL);
  for (guint i = 0; i < self->stale_names->len; i++)
    g_string_append_printf (sql, "DEALLOCATE %s;", (char *)self->stale_names->pdata[i]);
  g_ptr_array_set_size (self->stale_names, 0);
  res = PQexec (self->conn, sql->str);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_debug ("Deallocating statements: %s", PQresultErrorMessage (res));
  PQclear (res);
}

/* ================================================================ connection */

/* What every connection runs first: the standard strings the ?N rewriting
 * assumes, then the store's setup (the audit's actor, LISTEN). */
static gboolean
set_up_connection (MesoDbPg  *self,
                   GError   **error)
{
  PGresult *res;
  gboolean ok;

  PQsetNoticeProcessor (self->conn, notice_cb, NULL);
  g_clear_pointer (&self->cancel, PQfreeCancel);
  self->cancel = PQgetCancel (self->conn);
  self->generation++;
  self->in_transaction = FALSE;
  /* The ?N rewriting reads '…' as the standard says: a backslash is a
   * character like any other. */
  if (g_strcmp0 (PQparameterStatus (self->conn, "standard_conforming_strings"), "on") != 0)
    {
      res = PQexec (self->conn, "SET standard_conforming_strings = on");
      ok = finished_well (res);
      if (!ok)
        set_error (self, res, "setting up the connection", error);
      PQclear (res);
      if (!ok)
        return FALSE;
    }
  if (self->setup_sql == NULL)
    return TRUE;
  res = PQexec (self->conn, self->setup_sql);
  ok = finished_well (res);
  if (!ok)
    set_error (self, res, "setting up the connection", error);
  PQclear (res);
  return ok;
}

/* The kind of error a failed connection attempt is. */
static void
set_connect_error (PGconn  *conn,
                   GError **error)
{
  const char *text = PQerrorMessage (conn);
  MesoDbError kind = refused_user (text) ? MESO_DB_ERROR_AUTH : tls_failure (text);

  g_debug ("Connecting to PostgreSQL: %s", text);
  g_set_error_literal (error, MESO_DB_ERROR, kind, kind_message (kind));
}

/* Before a statement, an exec or a begin (@asked FALSE), or asked to
 * (meso_db_reconnect()): a connection lost outside a transaction is made
 * again (with the same conninfo), unless it is held (meso_db_hold_reconnect())
 * and not asked; inside one, the error stands, since the server rolled the
 * transaction back, until the caller rolls back too. */
static gboolean
ensure_connected (MesoDbPg  *self,
                  gboolean   asked,
                  GError   **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    {
      self->in_transaction = PQtransactionStatus (self->conn) != PQTRANS_IDLE;
      return TRUE;
    }
  if (self->in_transaction)
    {
      set_error (self, NULL, "using a connection lost inside a transaction", error);
      return FALSE;
    }
  if (self->parent.reconnect_held && !asked)
    {
      g_set_error_literal (error, MESO_DB_ERROR, MESO_DB_ERROR_CONNECTION,
                           kind_message (MESO_DB_ERROR_CONNECTION));
      return FALSE;
    }

  g_debug ("Connecting to PostgreSQL again");
  park_active (self);
  /* The server forgot the statements with the session. */
  g_ptr_array_set_size (self->stale_names, 0);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_connect_error (self->conn, error);
      return FALSE;
    }
  /* Another desk's changes meanwhile went unheard: whoever follows the
   * notifications reads everything again. */
  self->notifications++;
  return set_up_connection (self, error);
}

/* A statement of an earlier connection, prepared again on this one. */
static gboolean
ensure_prepared (MesoDbPgStmt  *stmt,
                 GError       **error)
{
  MesoDbPg *self = pg_db (stmt->parent.db);
  PGresult *res;

  if (stmt->generation == self->generation)
    return TRUE;
  res = PQprepare (self->conn, stmt->name, stmt->text, stmt->n_params, stmt->types);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error (self, res, "preparing a statement again", error);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  stmt->generation = self->generation;
  return TRUE;
}

static MesoDbStmt *
pg_prepare (MesoDb      *db,
            const char  *sql,
            GError     **error)
{
  MesoDbPg *self = pg_db (db);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GArray) used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autofree Oid *types = NULL;
  MesoDbPgStmt *stmt;
  PGresult *res;
  int n_params = 0;

  text = rewrite_parameters (sql, &n_params, used, error);
  if (text == NULL)
    return NULL;
  /* The server infers each parameter's type from the SQL; one the text
   * skips (statements given a shared set of values, the reminders) has
   * nothing to infer from, so it is declared text, and ignored. */
  types = g_new0 (Oid, MAX (n_params, 1));
  for (int i = 0; i < n_params; i++)
    types[i] = g_array_index (used, gboolean, i) ? 0 : TEXT_OID;

  park_active (self);
  if (!ensure_connected (self, FALSE, error))
    return NULL;
  deallocate_stale (self);

  name = g_strdup_printf ("meso_%u", ++self->next_name);
  res = PQprepare (self->conn, name, text, n_params, types);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error (self, res, "preparing a statement", error);
      PQclear (res);
      return NULL;
    }
  PQclear (res);

  stmt = g_new0 (MesoDbPgStmt, 1);
  stmt->name = g_steal_pointer (&name);
  stmt->text = g_steal_pointer (&text);
  stmt->types = g_steal_pointer (&types);
  stmt->generation = self->generation;
  stmt->n_params = n_params;
  stmt->values = g_new0 (char *, MAX (n_params, 1));
  stmt->lengths = g_new0 (int, MAX (n_params, 1));
  stmt->formats = g_new0 (int, MAX (n_params, 1));
  stmt->read_only = is_read_only (stmt->text);
  g_queue_init (&stmt->parked);
  return &stmt->parent;
}

static void
clear_bindings (MesoDbPgStmt *stmt)
{
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

static void
pg_finalize (MesoDbStmt *base)
{
  MesoDbPgStmt *stmt = pg_stmt (base);
  MesoDbPg *self = pg_db (base->db);

  stmt_reset (stmt);
  clear_bindings (stmt);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->text);
  g_free (stmt->types);
  if (stmt->generation == self->generation)
    g_ptr_array_add (self->stale_names, g_steal_pointer (&stmt->name));
  g_free (stmt->name);
  g_free (stmt);
}

static void
pg_clear (MesoDbStmt *base)
{
  stmt_reset (pg_stmt (base));
  clear_bindings (pg_stmt (base));
}

static void
bind_value (MesoDbStmt *base,
            int         index,
            char       *value)
{
  MesoDbPgStmt *stmt = pg_stmt (base);
  g_autofree char *owned = value;

  g_return_if_fail (index >= 1);
  /* The contract: an index the statement does not use is ignored. */
  if (index > stmt->n_params)
    return;
  g_free (stmt->values[index - 1]);
  stmt->values[index - 1] = g_steal_pointer (&owned);
  stmt->lengths[index - 1] = 0;
  stmt->formats[index - 1] = 0;
}

static void
pg_bind_int64 (MesoDbStmt *stmt,
               int         index,
               gint64      value)
{
  bind_value (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static void
pg_bind_double (MesoDbStmt *stmt,
                int         index,
                double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Enough digits to read back the same double. */
  bind_value (stmt, index, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
}

static void
pg_bind_text (MesoDbStmt *stmt,
              int         index,
              const char *text)
{
  bind_value (stmt, index, g_strdup (text));
}

/* Bytes travel as a binary value, the one kind that does (bytea's binary
 * form is the bytes themselves: a 5 MB photo is 5 MB on the wire, not its
 * 10 MB of hex text). */
static void
pg_bind_blob (MesoDbStmt *base,
              int         index,
              GBytes     *bytes)
{
  MesoDbPgStmt *stmt = pg_stmt (base);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  g_return_if_fail (size <= G_MAXINT);
  /* Never NULL, which would be SQL NULL, even for no bytes. */
  bind_value (base, index, size > 0 ? g_memdup2 (data, size) : g_malloc0 (1));
  if (index > stmt->n_params)
    return;
  stmt->lengths[index - 1] = (int)size;
  stmt->formats[index - 1] = 1;
}

static void
pg_bind_null (MesoDbStmt *stmt,
              int         index)
{
  bind_value (stmt, index, NULL);
}

static gboolean
send_query (MesoDbPgStmt  *stmt,
            GError       **error)
{
  MesoDbPg *self = pg_db (stmt->parent.db);

  park_active (self);
  if (!ensure_connected (self, FALSE, error) || !ensure_prepared (stmt, error))
    return FALSE;
  stmt->cancellable = stmt->parent.streamed && stmt->read_only
                      && PQtransactionStatus (self->conn) == PQTRANS_IDLE;
  if (!PQsendQueryPrepared (self->conn, stmt->name, stmt->n_params,
                            (const char *const *)stmt->values, stmt->lengths, stmt->formats,
                            0))
    {
      set_error (self, NULL, "sending a statement", error);
      return FALSE;
    }
  /* Streamed: rows one by one as they come, never the whole result in
   * memory. Otherwise the run's rows arrive as one result: single-row mode
   * made a result of each row (allocated, its columns described again),
   * which cost more than the server's work on a week's appointments. */
  if (stmt->parent.streamed && !PQsetSingleRowMode (self->conn))
    g_debug ("PostgreSQL: single-row mode refused");
  self->active = stmt;
  stmt->started = TRUE;
  return TRUE;
}

static gboolean
pg_step (MesoDbStmt  *base,
         GError     **error)
{
  MesoDbPgStmt *stmt = pg_stmt (base);
  MesoDbPg *self = pg_db (base->db);
  PGresult *res;

  if (stmt->row != NULL && ++stmt->row_index < PQntuples (stmt->row))
    return TRUE;
  g_clear_pointer (&stmt->row, PQclear);
  if (!stmt->started && !send_query (stmt, error))
    return FALSE;

  while ((res = next_result (stmt)) != NULL)
    {
      ExecStatusType status = PQresultStatus (res);

      if (status == PGRES_SINGLE_TUPLE || (status == PGRES_TUPLES_OK && PQntuples (res) > 0))
        {
          /* A whole run's rows come with its command's end: an INSERT …
           * RETURNING's changes. */
          if (status == PGRES_TUPLES_OK)
            note_changes (self, res);
          if (stmt->failure == NULL)
            {
              stmt->row = res;
              stmt->row_index = 0;
              return TRUE;
            }
        }
      else if (finished_well (res))
        note_changes (self, res);
      else if (stmt->failure == NULL)
        stmt->failure = g_steal_pointer (&res);
      g_clear_pointer (&res, PQclear);
    }

  /* The end, drained to NULL: FALSE with the error set or not. */
  if (stmt->failure != NULL)
    set_error (self, stmt->failure, "running a statement", error);
  else if (PQstatus (self->conn) == CONNECTION_BAD)
    set_error (self, NULL, "running a statement", error);
  stmt_reset (stmt);
  return FALSE;
}

static void
pg_reset (MesoDbStmt *stmt)
{
  stmt_reset (pg_stmt (stmt));
}

static const char *
pg_column_text (MesoDbStmt *base,
                int         column)
{
  MesoDbPgStmt *stmt = pg_stmt (base);
  PGresult *row = stmt->row;

  if (row == NULL || column < 0 || column >= PQnfields (row)
      || PQgetisnull (row, stmt->row_index, column))
    return NULL;
  return PQgetvalue (row, stmt->row_index, column);
}

static GBytes *
pg_column_bytes (MesoDbStmt *base,
                 int         column)
{
  const char *text = pg_column_text (base, column);
  size_t size = 0;
  unsigned char *data;
  GBytes *bytes;

  if (text == NULL)
    return NULL;
  data = PQunescapeBytea ((const unsigned char *)text, &size);
  if (data == NULL)
    return g_bytes_new (NULL, 0);
  bytes = g_bytes_new (data, size);
  PQfreemem (data);
  return bytes;
}

static int
pg_column_count (MesoDbStmt *base)
{
  PGresult *row = pg_stmt (base)->row;

  return row != NULL ? PQnfields (row) : 0;
}

static const char *
pg_column_name (MesoDbStmt *base,
                int         column)
{
  PGresult *row = pg_stmt (base)->row;

  if (row == NULL || column < 0 || column >= PQnfields (row))
    return NULL;
  return PQfname (row, column);
}

static gboolean
pg_column_is_null (MesoDbStmt *base,
                   int         column)
{
  return pg_column_text (base, column) == NULL;
}

/* Booleans come as t and f; they read as 1 and 0, as SQLite stores them. */
static gboolean
read_boolean (const char *text,
              int        *value)
{
  if (strcmp (text, "t") != 0 && strcmp (text, "f") != 0)
    return FALSE;
  *value = text[0] == 't';
  return TRUE;
}

static gint64
pg_column_int64 (MesoDbStmt *base,
                 int         column)
{
  const char *text = pg_column_text (base, column);
  char *end;
  gint64 value;
  int boolean;

  if (text == NULL)
    return 0;
  if (read_boolean (text, &boolean))
    return boolean;
  value = g_ascii_strtoll (text, &end, 10);
  if (*end != '\0')
    {
      /* A numeric or float column: truncated, as SQLite reads one. */
      double d = g_ascii_strtod (text, NULL);

      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return (gint64)d;
    }
  return value;
}

static double
pg_column_double (MesoDbStmt *base,
                  int         column)
{
  const char *text = pg_column_text (base, column);
  int boolean;

  if (text == NULL)
    return 0.0;
  if (read_boolean (text, &boolean))
    return boolean;
  return g_ascii_strtod (text, NULL);
}

static gint64
pg_changes (MesoDb *db)
{
  return pg_db (db)->changes;
}

static gboolean
pg_exec (MesoDb      *db,
         const char  *sql,
         GError     **error)
{
  MesoDbPg *self = pg_db (db);
  PGresult *res;
  gboolean ok;

  park_active (self);
  /* The server rolled back a transaction whose connection it lost; the
   * caller's ROLLBACK finds nothing left to undo, and ends the error. */
  if (PQstatus (self->conn) != CONNECTION_OK && self->in_transaction
      && g_ascii_strcasecmp (sql, "ROLLBACK") == 0)
    {
      self->in_transaction = FALSE;
      return TRUE;
    }
  if (!ensure_connected (self, FALSE, error))
    return FALSE;
  /* The simple query protocol: several statements in one text. */
  res = PQexec (self->conn, sql);
  ok = finished_well (res);
  if (ok)
    note_changes (self, res);
  else
    set_error (self, res, "running SQL", error);
  PQclear (res);
  return ok;
}

static gboolean
pg_begin (MesoDb  *db,
          GError **error)
{
  /* A concurrent writer's conflict fails with 40001, to be retried. */
  return pg_exec (db, "BEGIN ISOLATION LEVEL SERIALIZABLE", error);
}

static gboolean
pg_begin_read (MesoDb  *db,
               GError **error)
{
  /* One snapshot for every statement; read only, so never a 40001. */
  return pg_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error);
}

static gboolean
pg_is_connected (MesoDb *db)
{
  return PQstatus (pg_db (db)->conn) == CONNECTION_OK;
}

static gboolean
pg_reconnect (MesoDb  *db,
              GError **error)
{
  park_active (pg_db (db));
  return ensure_connected (pg_db (db), TRUE, error);
}

/* ============================================================ bulk loads */

/* COPY … FROM STDIN in its text form, sent in pieces of about this size. */
#define LOAD_CHUNK (256 * 1024)

typedef struct
{
  MesoDbPg *db;
  GString  *buffer;
} PgLoad;

static gboolean
load_flush (PgLoad  *load,
            GError **error)
{
  if (load->buffer->len == 0)
    return TRUE;
  if (PQputCopyData (load->db->conn, load->buffer->str, (int)load->buffer->len) != 1)
    {
      set_error (load->db, NULL, "sending rows to COPY", error);
      return FALSE;
    }
  g_string_truncate (load->buffer, 0);
  return TRUE;
}

static gpointer
pg_load_begin (MesoDb             *db,
               const char         *table,
               const char *const  *columns,
               GError            **error)
{
  MesoDbPg *self = pg_db (db);
  g_autoptr(GString) sql = g_string_new (NULL);
  PGresult *res;
  PgLoad *load;

  park_active (self);
  g_string_append_printf (sql, "COPY \"%s\" (", table);
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", columns[i]);
  g_string_append (sql, ") FROM STDIN");

  res = PQexec (self->conn, sql->str);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      set_error (self, res, "starting COPY", error);
      PQclear (res);
      while ((res = PQgetResult (self->conn)) != NULL)
        PQclear (res);
      return NULL;
    }
  PQclear (res);

  load = g_new0 (PgLoad, 1);
  load->db = self;
  load->buffer = g_string_sized_new (LOAD_CHUNK + 4096);
  return load;
}

static gboolean
pg_load_row (gpointer            data,
             const char *const  *values,
             guint               n_values,
             GError            **error)
{
  PgLoad *load = data;
  GString *buffer = load->buffer;

  for (guint i = 0; i < n_values; i++)
    {
      if (i > 0)
        g_string_append_c (buffer, '\t');
      if (values[i] == NULL)
        {
          g_string_append (buffer, "\\N");
          continue;
        }
      for (const char *c = values[i]; *c != '\0'; c++)
        switch (*c)
          {
          case '\\': g_string_append (buffer, "\\\\"); break;
          case '\n': g_string_append (buffer, "\\n"); break;
          case '\r': g_string_append (buffer, "\\r"); break;
          case '\t': g_string_append (buffer, "\\t"); break;
          default: g_string_append_c (buffer, *c); break;
          }
    }
  g_string_append_c (buffer, '\n');
  return buffer->len < LOAD_CHUNK || load_flush (load, error);
}

static gboolean
pg_load_end (gpointer   data,
             gboolean   finish,
             GError   **error)
{
  PgLoad *load = data;
  MesoDbPg *self = load->db;
  g_autoptr(GError) local_error = NULL;
  PGresult *res;

  if (finish)
    finish = load_flush (load, &local_error);
  if (PQputCopyEnd (self->conn, finish ? NULL : "abandoned") != 1 && local_error == NULL)
    set_error (self, NULL, "ending COPY", &local_error);
  while ((res = PQgetResult (self->conn)) != NULL)
    {
      if (finished_well (res))
        note_changes (self, res);
      else if (finish && local_error == NULL)
        set_error (self, res, "storing rows by COPY", &local_error);
      PQclear (res);
    }
  g_string_free (load->buffer, TRUE);
  g_free (load);
  /* Abandoned: the server's refusal of the COPY is what was asked for. */
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static const MesoDbDriver postgresql_driver = {
  .engine = MESO_DB_ENGINE_POSTGRESQL,
  .close = pg_close,
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .clear = pg_clear,
  .bind_int64 = pg_bind_int64,
  .bind_double = pg_bind_double,
  .bind_text = pg_bind_text,
  .bind_blob = pg_bind_blob,
  .bind_null = pg_bind_null,
  .step = pg_step,
  .reset = pg_reset,
  .column_is_null = pg_column_is_null,
  .column_int64 = pg_column_int64,
  .column_double = pg_column_double,
  .column_text = pg_column_text,
  .column_bytes = pg_column_bytes,
  .column_count = pg_column_count,
  .column_name = pg_column_name,
  .changes = pg_changes,
  .exec = pg_exec,
  .begin = pg_begin,
  .begin_read = pg_begin_read,
  .is_connected = pg_is_connected,
  .reconnect = pg_reconnect,
  .load_begin = pg_load_begin,
  .load_row = pg_load_row,
  .load_end = pg_load_end,
};

/* ================================================================ open */

MesoDb *
meso_db_postgresql_open (const char  *conninfo,
                         GError     **error)
{
  /* Libpq reads these in order, a later one winning: the defaults come
   * before the caller's conninfo (expanded from dbname), the encoding
   * after it, since every text Mesodesk handles is UTF-8. */
  const char *const keywords[] = {
    "connect_timeout", "application_name", "dbname", "client_encoding", NULL,
  };
  const char *const values[] = { "10", "mesodesk", conninfo, "UTF8", NULL };
  MesoDbPg *self;
  PGconn *conn;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = PQconnectdbParams (keywords, values, TRUE);
  if (conn == NULL)
    {
      g_set_error_literal (error, MESO_DB_ERROR, MESO_DB_ERROR_FAILED,
                           kind_message (MESO_DB_ERROR_FAILED));
      return NULL;
    }
  if (PQstatus (conn) != CONNECTION_OK)
    {
      set_connect_error (conn, error);
      PQfinish (conn);
      return NULL;
    }

  self = g_new0 (MesoDbPg, 1);
  meso_db_init (&self->parent, &postgresql_driver);
  self->conn = conn;
  self->stale_names = g_ptr_array_new_with_free_func (g_free);
  if (!set_up_connection (self, error))
    {
      meso_db_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}

gboolean
meso_db_postgresql_is_conninfo (const char *text)
{
  PQconninfoOption *options;
  gboolean any = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  if (g_str_has_prefix (text, "postgresql://") || g_str_has_prefix (text, "postgres://"))
    return TRUE;
  /* libpq decides what it reads as its words; an empty string parses too. */
  options = PQconninfoParse (text, NULL);
  if (options == NULL)
    return FALSE;
  for (PQconninfoOption *o = options; o->keyword != NULL && !any; o++)
    any = o->val != NULL;
  PQconninfoFree (options);
  return any;
}

PGconn *
meso_db_postgresql_handle (MesoDb *db)
{
  g_return_val_if_fail (db != NULL && db->driver == &postgresql_driver, NULL);

  park_active (pg_db (db));
  return pg_db (db)->conn;
}

gboolean
meso_db_postgresql_set_setup (MesoDb      *db,
                              const char  *sql,
                              GError     **error)
{
  MesoDbPg *self;

  g_return_val_if_fail (db != NULL && db->driver == &postgresql_driver, FALSE);

  self = pg_db (db);
  g_free (self->setup_sql);
  self->setup_sql = g_strdup (sql);
  return pg_exec (db, sql, error);
}

gint64
meso_db_postgresql_notifications (MesoDb *db)
{
  MesoDbPg *self;
  PGnotify *note;

  g_return_val_if_fail (db != NULL && db->driver == &postgresql_driver, -1);

  self = pg_db (db);
  if (PQstatus (self->conn) == CONNECTION_OK && !PQconsumeInput (self->conn))
    g_debug ("Reading PostgreSQL's notifications: %s", PQerrorMessage (self->conn));
  while ((note = PQnotifies (self->conn)) != NULL)
    {
      /* This connection's own changes are its caller's news already. */
      if (note->be_pid != PQbackendPID (self->conn))
        self->notifications++;
      PQfreemem (note);
    }
  return self->notifications;
}

int
meso_db_postgresql_socket (MesoDb *db)
{
  g_return_val_if_fail (db != NULL && db->driver == &postgresql_driver, -1);

  return PQstatus (pg_db (db)->conn) == CONNECTION_OK ? PQsocket (pg_db (db)->conn) : -1;
}
