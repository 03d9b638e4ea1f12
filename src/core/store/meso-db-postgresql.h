/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL driver of the connection layer (meso-db.h), on libpq.
 *
 * SQL for this engine: ?N parameters become $N, and the server infers each
 * one's type from where it stands; where it cannot (`?1 IS NULL`, `SELECT
 * ?1 + ?2`), the SQL casts it (`?1::bigint IS NULL`, `CAST(?1 AS TEXT)`),
 * and an integer compared with an INTEGER column is read as int4 (use
 * BIGINT columns for ids). A number the text skips is declared text. Values
 * travel as text, so a bound int64 or double reaches a column of any
 * numeric type, and a boolean column reads as 1 or 0.
 *
 * Rows stream (single-row mode). libpq runs one query at a time per
 * connection, so when another statement, meso_db_exec() or
 * meso_db_begin() needs the connection while a statement still has rows
 * to give, those rows are read into memory first: iterate over a large
 * result without interleaving other SQL to keep it out of memory. */

#pragma once

#include <libpq-fe.h>

#include "meso-db.h"

G_BEGIN_DECLS

/* @conninfo: what libpq takes (a `postgresql://…` URI, `service=NAME`, or
 * `key=value …`); the environment's PG* variables fill what it leaves out.
 * Unless it says otherwise, connect_timeout=10 and application_name=mesodesk;
 * the client encoding is always UTF8. A failure to connect is
 * MESO_DB_ERROR_AUTH when the server refused the user or the password,
 * MESO_DB_ERROR_TLS_* when its certificate could not be verified (or it
 * offers no encryption that was asked for), MESO_DB_ERROR_CONNECTION
 * otherwise. */
MesoDb *meso_db_postgresql_open   (const char  *conninfo,
                                   GError     **error);

/* Whether libpq reads @text as a connection string: a `postgresql://` or
 * `postgres://` URI, or `key=value` words PQconninfoParse() accepts (at
 * least one). A file's path is not one (`./service=x` names a file). */
gboolean meso_db_postgresql_is_conninfo (const char *text);

/* The SQL-level twin of how the driver prepares @sql: `PREPARE @name
 * (unknown, text, …) AS …`, its ?N as $N, a number it skips declared text;
 * @n_params: how many values an EXECUTE of it takes. For the benchmark,
 * which runs the store's statements in psql. */
char   *meso_db_postgresql_prepare_sql (const char  *name,
                                        const char  *sql,
                                        int         *n_params,
                                        GError     **error);

/* The connection, for the store's PostgreSQL provider (LISTEN/NOTIFY,
 * COPY); a statement of @db still giving rows has them read first, so the
 * connection is free for the caller. */
PGconn *meso_db_postgresql_handle (MesoDb      *db);

/* @sql (several statements, no parameters) runs now and on every
 * connection made again after one was lost (meso_db_reconnect()): what a
 * session must have set, as the audit's actor or LISTEN. */
gboolean meso_db_postgresql_set_setup (MesoDb      *db,
                                       const char  *sql,
                                       GError     **error);

/* Change notes: how many notifications other connections sent to the
 * channels this one listens on, counting one more for each connection
 * made again (what was sent meanwhile went unheard). Reads what the
 * socket holds without waiting. */
gint64 meso_db_postgresql_notifications (MesoDb *db);
/* The connection's socket, to wait for notifications on; -1 while the
 * connection is lost. */
int    meso_db_postgresql_socket        (MesoDb *db);

G_END_DECLS
