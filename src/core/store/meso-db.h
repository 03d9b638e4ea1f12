/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's connection layer: one small API over each database engine the
 * clinic may live in (an SQLite file, a PostgreSQL server through libpq).
 *
 * The store's logic (src/core/store/meso-store*.c) speaks SQL through this
 * header only; what differs by engine lives in its driver
 * (meso-db-sqlite.c, meso-db-postgresql.c) and in the store's one provider
 * file per engine. Nothing here names an engine's own types, so the store
 * compiles the same against both.
 *
 * SQL text: parameters are written ?1, ?2 … (1-based, each number may
 * appear several times); the PostgreSQL driver rewrites them to $1, $2 …
 * outside string literals and quoted names. New rows give their id with
 * INSERT … RETURNING id, which both engines run.
 *
 * Threads: a MesoDb and its statements are used by one thread at a time. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MESO_DB_ENGINE_SQLITE,
  MESO_DB_ENGINE_POSTGRESQL,
} MesoDbEngine;

/* What went wrong, as the store needs to know it; the engine's own words
 * and codes go to g_debug() only, and the store turns a kind into its own
 * MESO_STORE_ERROR_* with a message for people. */
#define MESO_DB_ERROR (meso_db_error_quark ())
GQuark meso_db_error_quark (void);

typedef enum
{
  MESO_DB_ERROR_BUSY,           /* still locked by another connection after waiting */
  MESO_DB_ERROR_SERIALIZATION,  /* a concurrent transaction won (PostgreSQL 40001,
                                 * 40P01): roll back and run the whole transaction again */
  MESO_DB_ERROR_UNIQUE,         /* a unique or exclusion constraint */
  MESO_DB_ERROR_CONSTRAINT,     /* another constraint: foreign key, check, not null */
  MESO_DB_ERROR_FULL,           /* the disk (or the server's) is full */
  MESO_DB_ERROR_CORRUPT,        /* damaged, or not a database at all */
  MESO_DB_ERROR_READONLY,       /* no permission to write (or to read) */
  MESO_DB_ERROR_CANTOPEN,       /* the file or its folder cannot be opened */
  MESO_DB_ERROR_IO,             /* the disk reported an error */
  MESO_DB_ERROR_CONNECTION,     /* the server cannot be reached or went away */
  MESO_DB_ERROR_AUTH,           /* the server refused the user or its password */
  MESO_DB_ERROR_TLS_HOST,       /* the server's certificate is for another name */
  MESO_DB_ERROR_TLS_UNTRUSTED,  /* its certificate is not signed by the CA trusted here */
  MESO_DB_ERROR_TLS_NO_CA,      /* verifying asked for, and no CA certificate here */
  MESO_DB_ERROR_TLS_MISSING,    /* encryption asked for, and the server offers none */
  MESO_DB_ERROR_FAILED,         /* anything else */
} MesoDbError;

typedef struct _MesoDb     MesoDb;      /* one connection */
typedef struct _MesoDbStmt MesoDbStmt;  /* a prepared statement, owned by its MesoDb */

/* Opening is the engines' own business (pragmas, files, TLS): see each
 * driver's header. Closing finalizes every statement. */
void         meso_db_close               (MesoDb       *db);
MesoDbEngine meso_db_get_engine          (MesoDb       *db);

/* A statement for @sql, prepared once per connection and kept (by the
 * text's content): returned reset, with no bindings. NULL with the error. */
MesoDbStmt  *meso_db_prepare             (MesoDb       *db,
                                          const char   *sql,
                                          GError      **error);

/* Bindings last until meso_db_prepare() hands the statement out again. An
 * index the statement's text does not use is ignored, so statements that
 * share a set of values may all be given every one (the reminders). */
void         meso_db_bind_int64          (MesoDbStmt   *stmt,
                                          int           index,
                                          gint64        value);
void         meso_db_bind_double         (MesoDbStmt   *stmt,
                                          int           index,
                                          double        value);
/* Copied; NULL binds SQL NULL. */
void         meso_db_bind_text           (MesoDbStmt   *stmt,
                                          int           index,
                                          const char   *text);
void         meso_db_bind_null           (MesoDbStmt   *stmt,
                                          int           index);
/* Bytes (SQLite's BLOB, the server's bytea: the column's type decides);
 * copied; NULL binds SQL NULL. */
void         meso_db_bind_blob           (MesoDbStmt   *stmt,
                                          int           index,
                                          GBytes       *bytes);

/* Runs the statement on its first call and moves to the next row: TRUE on
 * a row; FALSE at the end (error unset, the statement reset) or on failure
 * (error set, the statement reset). An engine may fetch a run's rows whole
 * on its first step (PostgreSQL does: one result, the quickest for the
 * screenfuls the window reads), unless the statement is streamed. */
gboolean     meso_db_step                (MesoDbStmt   *stmt,
                                          GError      **error);
/* Runs a statement that returns no rows (or whose rows do not matter) to
 * its end and resets it. */
gboolean     meso_db_run                 (MesoDbStmt   *stmt,
                                          GError      **error);
/* The next run's rows come one at a time as the engine gives them
 * (PostgreSQL's single-row mode), so a long list (a transfer, an export,
 * the command line's lists) never sits in memory whole. Before the first
 * step; until meso_db_prepare() hands the statement out again. */
void         meso_db_stream              (MesoDbStmt   *stmt);
/* Abandons the current rows, keeps the bindings. */
void         meso_db_reset               (MesoDbStmt   *stmt);

/* The current row's columns, 0-based. Text stays valid until the next
 * step or reset; NULL for SQL NULL (and 0 from the number readers). */
gboolean     meso_db_column_is_null      (MesoDbStmt   *stmt,
                                          int           column);
gint64       meso_db_column_int64        (MesoDbStmt   *stmt,
                                          int           column);
int          meso_db_column_int          (MesoDbStmt   *stmt,
                                          int           column);
double       meso_db_column_double       (MesoDbStmt   *stmt,
                                          int           column);
const char  *meso_db_column_text         (MesoDbStmt   *stmt,
                                          int           column);
char        *meso_db_column_dup          (MesoDbStmt   *stmt,
                                          int           column);
/* A BLOB or bytea column's bytes, copied: NULL for SQL NULL. */
GBytes      *meso_db_column_bytes        (MesoDbStmt   *stmt,
                                          int           column);
/* The current row's number of columns and a column's name (a table's own,
 * for `SELECT *`): what a copy of a table reads from the table itself. */
int          meso_db_column_count        (MesoDbStmt   *stmt);
const char  *meso_db_column_name         (MesoDbStmt   *stmt,
                                          int           column);

/* Rows the last finished INSERT, UPDATE or DELETE of @db changed. */
gint64       meso_db_changes             (MesoDb       *db);

/* How many statements @db handed out (meso_db_prepare()) or ran
 * (meso_db_exec(), meso_db_begin()) since it was opened: what a store's
 * call costs in statements, which on a server are round trips. */
gint64       meso_db_get_statements      (MesoDb       *db);

/* One or more statements without parameters or rows (schema, pragmas). */
gboolean     meso_db_exec                (MesoDb       *db,
                                          const char   *sql,
                                          GError      **error);

/* The outermost write transaction, as the engine guards it against a
 * concurrent writer deciding on stale data: SQLite's BEGIN IMMEDIATE (the
 * write lock now), PostgreSQL's BEGIN ISOLATION LEVEL SERIALIZABLE (a
 * conflict fails with MESO_DB_ERROR_SERIALIZATION, to be retried). Nested
 * levels are SAVEPOINTs, standard SQL on both; COMMIT and ROLLBACK too. */
gboolean     meso_db_begin               (MesoDb       *db,
                                          GError      **error);
/* An outermost transaction that only reads, one snapshot of the database
 * from its first statement on, holding no writer up: SQLite's deferred
 * BEGIN (with the write-ahead log, writers go on beside it), PostgreSQL's
 * BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY (never a serialization
 * failure). Ended by ROLLBACK or COMMIT. */
gboolean     meso_db_begin_read          (MesoDb       *db,
                                          GError      **error);
/* Whether a statement of the transaction meso_db_begin() opened last
 * failed because a concurrent transaction won, whatever error the caller
 * made of it later: then the whole transaction is to be run again. Never
 * on SQLite, whose writers queue. */
typedef enum
{
  MESO_DB_RACE_NONE,
  MESO_DB_RACE_LOST,     /* a serialization failure or a deadlock */
  MESO_DB_RACE_MAYBE,    /* a unique or exclusion constraint: a concurrent
                          * transaction's row, or one that was there before
                          * (which running it again shows) */
} MesoDbRace;

MesoDbRace   meso_db_get_race            (MesoDb       *db);

/* A server's connection may be lost (the server restarted, the network
 * went away); a file's never is. Then the next statement, exec or begin
 * outside a transaction connects again by itself (each kept statement is
 * prepared again before it runs); inside one, every call fails with
 * MESO_DB_ERROR_CONNECTION until the caller's ROLLBACK, which succeeds:
 * the server already rolled the transaction back. */
gboolean     meso_db_is_connected        (MesoDb       *db);
/* Connects again now if the connection was lost outside a transaction:
 * TRUE when it is up. */
gboolean     meso_db_reconnect           (MesoDb       *db,
                                          GError      **error);
/* While @held, a lost connection is not made again by a use: each use fails
 * at once with MESO_DB_ERROR_CONNECTION (connecting to a host that does not
 * answer can take the whole connect timeout), and only meso_db_reconnect()
 * connects. */
void         meso_db_hold_reconnect      (MesoDb       *db,
                                          gboolean      held);

/* Many rows into one table, as fast as the engine takes them (a copy of a
 * whole clinic): PostgreSQL's COPY, SQLite's prepared INSERT. @columns
 * (NULL-terminated) are the table's, the values of each row given as text
 * in their order (NULL: SQL NULL), as meso_db_column_text() read them. In
 * the caller's transaction; until meso_db_load_end() nothing else may run
 * on @db. NULL with the error. */
typedef struct _MesoDbLoad MesoDbLoad;

MesoDbLoad  *meso_db_load_begin          (MesoDb             *db,
                                          const char         *table,
                                          const char *const  *columns,
                                          GError            **error);
gboolean     meso_db_load_row            (MesoDbLoad         *load,
                                          const char *const  *values,
                                          GError            **error);
/* Frees @load. With @finish, the rows are stored (FALSE with the error if
 * the engine refused them); without, they are abandoned (the caller rolls
 * the transaction back). */
gboolean     meso_db_load_end            (MesoDbLoad         *load,
                                          gboolean            finish,
                                          GError            **error);

G_END_DECLS
