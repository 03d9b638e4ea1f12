/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the store's own services and tests only. */

#pragma once

#include "meso-db.h"
#include "meso-store.h"
#include "meso-time.h"
#include "meso-text.h"

G_BEGIN_DECLS

/* The store's files (meso-store*.c) share one connection (meso-db.h)
 * through these; errors come out as MESO_STORE_ERROR. */
MesoDb    *meso_store_get_db            (MesoStore     *self);
MesoDbStmt *meso_store_prepare          (MesoStore     *self,
                                         const char    *sql,
                                         GError       **error);
/* Steps a statement that returns no rows, and resets it. */
gboolean   meso_store_step_done         (MesoStore     *self,
                                         MesoDbStmt    *stmt,
                                         GError       **error);
/* TRUE on a row; FALSE at the end (no error) or on failure (error set). */
gboolean   meso_store_step_row          (MesoStore     *self,
                                         MesoDbStmt    *stmt,
                                         GError       **error);
/* Runs an INSERT … RETURNING id: @id the new row's. */
gboolean   meso_store_step_id           (MesoStore     *self,
                                         MesoDbStmt    *stmt,
                                         gint64        *id,
                                         GError       **error);
/* For a lookup that expects one row: TRUE on it; FALSE with the database's
 * error, or with MESO_STORE_ERROR_NOT_FOUND and @format's message if there
 * is none. */
gboolean   meso_store_step_found        (MesoStore     *self,
                                         MesoDbStmt    *stmt,
                                         GError       **error,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (4, 5);
gboolean   meso_store_exec              (MesoStore     *self,
                                         const char    *sql,
                                         GError       **error);
/* @cause, a MESO_DB_ERROR, as MESO_STORE_ERROR with a message for people;
 * takes @cause. FALSE. */
gboolean   meso_store_set_db_error      (GError       **error,
                                         GError        *cause);
/* The first column of @sql's one row (a count, a pragma). */
gboolean   meso_store_read_int          (MesoStore     *self,
                                         const char    *sql,
                                         int           *value,
                                         GError       **error);
/* A model's or meso_text_validate()'s refusal of what was typed, as
 * MESO_STORE_ERROR_INVALID with the same message; takes @cause. FALSE. */
gboolean   meso_store_invalid           (GError       **error,
                                         GError        *cause);
/* meso_text_validate() with the store's error. */
gboolean   meso_store_check_text        (MesoTextField  field,
                                         const char    *text,
                                         GError       **error);

/* meso_date_time_check() and meso_date_check() (today from the clock) with
 * the store's answer: MESO_STORE_ERROR_INVALID and the range's message. */
gboolean   meso_store_check_date_time   (MesoDateKind   kind,
                                         GDateTime     *date_time,
                                         GDateTime     *now,
                                         GError       **error);
gboolean   meso_store_check_date        (MesoDateKind   kind,
                                         const GDate   *date,
                                         GError       **error);

/* The key patients.sort_key holds for @name: case and accents folded. */
char      *meso_store_sort_key          (const char    *name);

/* The patient search index and the recall courses, kept in step with the
 * records by the code that writes them (meso-store-*.c). @id (@patient_id)
 * 0: everyone's, in one pass. */
gboolean   meso_store_index_patient     (MesoStore     *self,
                                         gint64         id,
                                         GError       **error);
gboolean   meso_store_update_courses    (MesoStore     *self,
                                         gint64         patient_id,
                                         GError       **error);

/* The search document's contact column for a patient's phone, e-mail and
 * birth date (the words a search finds besides the name; the date as one
 * word, "19850314", so "1985" finds the year; schema 7). */
char      *meso_store_contact_document  (const char    *phone,
                                         const char    *email,
                                         const char    *birth_date);

/* A search's matches as bits by id (search-names). */
typedef struct
{
  guint64 *words;
  gsize    n_words;
} MesoSearchHits;

/* What a search text becomes, for the engine's statements (see
 * MesoStoreProvider's bind_search): SQLite's full-text query, and the same
 * words as the index compares them (meso_store_search_fold()), the longest
 * first, or the one matching fewest first (the provider's order_search). */
typedef struct
{
  char      *query;
  GPtrArray *words;
  gboolean   include_archived;
} MesoSearchText;

/* The words of @text a search tells apart: each run of letters, digits and
 * marks (“O'Brien”: “O”, “Brien”), as typed. */
GPtrArray *meso_store_search_words      (const char    *text);
/* @word as the search index compares it, as SQLite's unicode61 tokenizer
 * (remove_diacritics 2) does: lower case, a Latin letter without its
 * accents, marks dropped (“Müller”: “muller”; “ß” stays). */
char      *meso_store_search_fold       (const char    *word);
/* The folded words of a patient's entry in the search index: the name's,
 * and those of the contact document; each once. */
GPtrArray *meso_store_search_entry      (const char    *name,
                                         const char    *phone,
                                         const char    *email,
                                         const char    *birth_date);

/* Which engine @location names: a libpq URI (`postgresql://…`,
 * `postgres://…`) or conninfo words (`service=NAME`, `host=… dbname=…`) as
 * libpq reads them are PostgreSQL's; anything else is an SQLite file's
 * path (`./service=x` for a file of that name). */
MesoDbEngine meso_store_location_parse  (const char  *location);

/* Opens without migrating past @version: tests build databases of every
 * earlier schema version with it and then migrate them. @location: a file's
 * path or a server's conninfo, as meso_store_open()'s. */
MesoStore *meso_store_open_at_version   (const char  *location,
                                         int          version,
                                         GError     **error);

/* ============================================================ providers
 * What the store does one engine's way, one instance per engine, chosen by
 * the location at open (meso_store_location_parse()). The logic calls
 * through it; the migrations' order and what each step fills are the
 * logic's (meso-store.c), each step's DDL the provider's. */
typedef struct
{
  MesoDbEngine engine;
  /* Connects to @location and sets the connection up. NULL with a
   * MESO_STORE_ERROR. */
  MesoDb    *(*open)          (const char  *location,
                               GError     **error);
  /* The version of the database just opened; another program's database
   * is refused (CORRUPT) before anything is written. */
  gboolean   (*check_version) (MesoStore   *self,
                               int         *version,
                               GError     **error);
  /* The version now, inside the migration's transaction. */
  gboolean   (*get_version)   (MesoStore   *self,
                               int         *version,
                               GError     **error);
  /* Schema step @version's DDL (tables, indexes, triggers), in the caller's
   * transaction. */
  gboolean   (*schema_step)   (MesoStore   *self,
                               int          version,
                               GError     **error);
  /* Marks the database ours, at @version, in the caller's transaction. */
  gboolean   (*set_version)   (MesoStore   *self,
                               int          version,
                               GError     **error);
  /* The engine's own text of a statement the logic names (see
   * meso_store_dialect()), or NULL where the logic's runs as written. */
  const char *(*dialect)      (const char  *name);
  /* Change notes (meso_store_watch()): meso_store_get_data_version()'s
   * number, and a descriptor that becomes readable when it may have
   * changed (-1: none; the store reads the number every
   * MESO_STORE_WATCH_MS). */
  gint64     (*data_version)  (MesoStore   *self);
  int        (*watch_fd)      (MesoStore   *self);
  /* Writes patient @id's entry in the search index from the patient's row
   * (@id 0: everyone's), in the caller's transaction. */
  gboolean   (*index_patients) (MesoStore  *self,
                                gint64      id,
                                GError    **error);
  /* Binds @search to a statement of the search (see
   * meso_store_sql_for()): ?3 and ?4 (limit, offset) are the logic's, the
   * rest the engine's. */
  void       (*bind_search)   (MesoDbStmt           *stmt,
                               const MesoSearchText *search);
  /* Puts first the word of @search (of two or more) that the engine's
   * statements start from best, the one that matches fewest, keeping the
   * others in their order; NULL: the longest first, as the logic leaves
   * them. Only the order changes, never what is found. */
  void       (*order_search)  (MesoStore            *self,
                               MesoSearchText       *search);
  /* Binds @hits for "search-names" as ?@index; NULL: the engine walks the
   * names with "search-names-in", never reading the matches first. */
  void       (*bind_search_hits) (MesoDbStmt           *stmt,
                                  int                   index,
                                  const MesoSearchHits *hits);
  /* meso_store_check(): FALSE with MESO_STORE_ERROR_CORRUPT naming what is
   * wrong. */
  gboolean   (*check)         (MesoStore   *self,
                               GError     **error);
  /* Before a long write (the demo's): sets the connection up for it and
   * gives in @restore the SQL that sets it back as it was. NULL where the
   * engine has nothing to tune. */
  gboolean   (*tune_bulk_write) (MesoStore   *self,
                                 char       **restore,
                                 GError     **error);
  /* Around a copy of another database's rows, ids and audit log included,
   * into this one (meso-store-transfer.c), in the caller's transaction.
   * Before: the audit triggers and the log's append-only guard off, so the
   * log is copied as it is and the rows already there may go; the search
   * index emptied. After: all back, and new ids counting on past the
   * copied ones. */
  gboolean   (*copy_begin)    (MesoStore   *self,
                               GError     **error);
  gboolean   (*copy_end)      (MesoStore   *self,
                               GError     **error);
  /* After a long write (the demo's), committed: what the engine needs to
   * plan and read so many new rows well. NULL where it needs nothing. */
  gboolean   (*bulk_write_done) (MesoStore   *self,
                                 GError     **error);
  /* The audit's actor for this connection's triggers from now on
   * (SQLite's meso_actor(), a server's mesodesk.actor setting). */
  gboolean   (*set_actor)       (MesoStore   *self,
                                 const char  *actor,
                                 GError     **error);
  /* Whether the one using the store holds the database itself (the
   * file's owner; a server's superuser): emergency access. */
  gboolean   (*holds_database)  (MesoStore   *self,
                                 gboolean    *holds,
                                 GError     **error);
  /* The first of the audit log's triggers (each audited table's and the
   * log's append-only guards) that is missing or turned off, in
   * @missing; NULL when all are there. */
  gboolean   (*find_missing_audit_trigger) (MesoStore   *self,
                                            char       **missing,
                                            GError     **error);
  /* Around each outermost transaction, before its BEGIN and after its end:
   * one writer at a time, as SQLite's write lock already has it (NULL
   * there). On a server each commit seals under the chain's head, so a
   * writer that began before another's seal would lose to it; a long
   * write (an import, the demo, a transfer) is not run again. */
  gboolean   (*lock_writers)   (MesoStore   *self,
                                GError     **error);
  void       (*unlock_writers) (MesoStore   *self);
} MesoStoreProvider;

extern const MesoStoreProvider meso_store_sqlite_provider;
extern const MesoStoreProvider meso_store_postgresql_provider;

/* The PostgreSQL provider's words for people about a server's location
 * (meso_store_describe_location()); it also gives
 * meso_store_server_location(). */
char *meso_store_postgresql_describe (const char  *location);

/* The tables the audit log follows, each engine's triggers written from
 * this one list: every insert, update and delete, with the columns that
 * changed. @row_id: the column that numbers a row (NULL: none, SQLite's
 * rowid). @since: the schema version that made the table (0: the first),
 * whose step makes its triggers. Ends with a NULL table. */
typedef struct
{
  const char *table;
  const char *row_id;
  const char *columns[24];
  int         since;
} MesoAuditedTable;

/* The schema version that made products and lots (issue 18). Renumbered
 * with MESO_STORE_SCHEMA_VERSION, migrations[] and the providers' schemas[]
 * when versions are merged. */
#define MESO_STORE_SCHEMA_LOTS 9

/* The schema version that made the consent forms, their texts' versions
 * and the patients' consents (issue 18, R8): the one place its number is
 * written besides the version lists. */
#define MESO_STORE_SCHEMA_CONSENT 11
/* The schema version that made the photos (issue 18): renumbered as
 * MESO_STORE_SCHEMA_LOTS is. */
#define MESO_STORE_SCHEMA_PHOTOS 12

/* Whether @t's triggers are made by the schema step to @version. */
#define MESO_AUDITED_SINCE(t, version) (MAX ((t)->since, 1) == (version))

extern const MesoAuditedTable meso_store_audited_tables[];

/* The schema version that chains the audit log (each entry's system user,
 * computer, place in the chain and hash; the chain's head, audit_chain):
 * the one place its number is written besides the version lists. */
#define MESO_STORE_AUDIT_CHAIN_VERSION 10

/* An entry's hash in the chain (hex SHA-256; see HACKING.md): over @prev
 * (the entry before it's, "" for the first) and each of its fields. */
char      *meso_store_audit_hash        (const char            *prev,
                                         gint64                 seq,
                                         gint64                 id,
                                         const MesoAuditEntry  *entry);

/* The same, for many entries in a row: one checksum and buffer reused. */
#define MESO_AUDIT_HASH_SIZE 65         /* 64 hex digits and a NUL */
typedef struct _MesoAuditHasher MesoAuditHasher;
MesoAuditHasher *meso_audit_hasher_new  (void);
void       meso_audit_hasher_free       (MesoAuditHasher       *hasher);
void       meso_audit_hasher_hash       (MesoAuditHasher       *hasher,
                                         const char            *prev,
                                         gint64                 seq,
                                         gint64                 id,
                                         const MesoAuditEntry  *entry,
                                         char                   hash[MESO_AUDIT_HASH_SIZE]);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoAuditHasher, meso_audit_hasher_free)

/* Every record of @self into @target (meso-store-transfer.c), each table
 * in one transaction on @target, the counts checked against @self's:
 * refused (INVALID) unless @target is empty or @replace. @restored: a
 * restore's, the backup's name for the audit entry that says so (NULL:
 * none). @counts: the rows of each table, MesoTableCount. */
gboolean   meso_store_copy_into         (MesoStore                 *self,
                                         MesoStore                 *target,
                                         gboolean                   replace,
                                         const char                *restored,
                                         MesoTransferProgressFunc   progress,
                                         gpointer                   user_data,
                                         GCancellable              *cancellable,
                                         GArray                   **counts,
                                         GError                   **error);
/* An entry of the audit log written by the logic (no trigger sees it): a
 * restore, naming @what. */
gboolean   meso_store_audit_note        (MesoStore   *self,
                                         const char  *table,
                                         const char  *action,
                                         const char  *what,
                                         GError     **error);

/* The audit's actor: "NAME (user@host)" when someone is signed in, else
 * the OS user. */
const char *meso_store_get_actor        (MesoStore   *self);
/* The signed-in person's id (0: nobody) and name. */
gint64     meso_store_get_staff         (MesoStore    *self,
                                         const char  **name);
/* Makes @id (@name) the signed-in person, or nobody (0), and the audit's
 * actor theirs. */
gboolean   meso_store_set_staff         (MesoStore    *self,
                                         gint64        id,
                                         const char   *name,
                                         GError      **error);
/* What meso_store_require() last read of the signed-in person
 * (meso-store-staff.c), kept by the store so that a read asks the database
 * nothing while nothing changed: it is read again when the store's data
 * version moved (another connection committed: SQLite's data_version, the
 * server's notifications), after this store's own write, at signing in or
 * out, and inside a transaction. The permission a call outside a
 * transaction required (@pending, -1: none) is asked again of the
 * person's row as the next outermost transaction begins, so a write is
 * decided on the row as its own transaction reads it. */
typedef struct
{
  gboolean       known;
  gint64         version;   /* the data version it was read at */
  gboolean       accounts;  /* whether anyone has a password */
  MesoStaffRoles held;      /* the person's roles; 0: no such person */
  gboolean       active;
  int            pending;   /* a MesoPermission, or -1 */
} MesoStoreGrant;

MesoStoreGrant *meso_store_get_grant    (MesoStore    *self);
/* Whether an outermost transaction is open. */
gboolean   meso_store_in_transaction    (MesoStore    *self);
/* meso_store_require() on @self, a store of the caller's own, signed in
 * as @ticket's person first (NULL: nobody): for what runs on a database
 * before anyone could sign in on it, as restore does. */
gboolean   meso_store_require_ticket    (MesoStore              *self,
                                         const MesoStaffTicket  *ticket,
                                         MesoPermission          permission,
                                         GError                **error);
/* INVALID when @name is the last active manager with a password: taking
 * that away (a role, or the account) would leave nobody to manage. */
gboolean   meso_store_keep_a_manager    (MesoStore       *self,
                                         const char      *name,
                                         GError         **error);
/* meso_store_require() that also gives the signed-in person's roles: 0
 * where there are no accounts (everything allowed). */
gboolean   meso_store_require_roles     (MesoStore       *self,
                                         MesoPermission   permission,
                                         MesoStaffRoles  *roles,
                                         GError         **error);
/* The role a rule's override is judged with: @role as given where there
 * are no accounts, else the signed-in person's (a clinician's only if
 * they are one), whatever a form names. */
gboolean   meso_store_acting_role       (MesoStore       *self,
                                         MesoRole        *role,
                                         GError         **error);

/* FALSE with MESO_STORE_ERROR_UNSUPPORTED when @self is not on SQLite: for
 * what no other engine's provider does yet. */
gboolean   meso_store_require_sqlite    (MesoStore   *self,
                                         GError     **error);

const MesoStoreProvider *meso_store_get_provider (MesoStore *self);
/* @name's text in the store's engine's dialect, else @sql. */
const char *meso_store_dialect          (MesoStore     *self,
                                         const char    *name,
                                         const char    *sql);

/* ===================================== the SQLite provider (meso-store-sqlite.c)
 * What is SQLite's own: opening the file, the schema's DDL, the SQL
 * functions, the search's bitmap, memory limits, the data version, the
 * integrity check, online backup and restore (the public functions of
 * meso-store.h for those are defined there too). */

/* 'MESO': marks the file as ours, so a foreign SQLite file is never migrated. */
#define MESO_APPLICATION_ID 0x4D45534F

/* Network filesystems (NFS, SMB/CIFS…) by statfs(2) magic number. */
gboolean   meso_store_fs_type_is_remote (gint64       fs_type);

/* After a long write of many rows (the demo, a transfer), committed: the
 * provider's bulk_write_done (statistics for the planner), if it has one.
 * The rows are there either way: a failure is only logged. */
void       meso_store_after_bulk_write  (MesoStore   *self);

/* Services built on the store (reminders, demo, import) run their SQL
 * through these; the SQL still lives only in src/core/store/meso-store*.c. */
gboolean   meso_store_begin             (MesoStore   *self,
                                         GError     **error);
/* The outermost transaction as one read-only snapshot (meso_db_begin_read():
 * no writer waits for it); inside a write, a savepoint of it. End it with
 * meso_store_rollback() (nothing to keep) or meso_store_commit(). */
gboolean   meso_store_begin_read        (MesoStore   *self,
                                         GError     **error);
gboolean   meso_store_commit            (MesoStore   *self,
                                         GError     **error);
void       meso_store_rollback          (MesoStore   *self);

/* A write's work, run inside meso_store_run_write()'s transaction: reads
 * what it decides by, asks the rules, writes. FALSE with the error undoes
 * it. It may run more than once, so it sets what it hands back anew. */
typedef gboolean (*MesoStoreWriteFunc) (MesoStore  *self,
                                        gpointer    data,
                                        GError    **error);
/* Runs @func in a transaction (a savepoint inside another) and commits it.
 * On PostgreSQL a transaction that lost to another desk's
 * (meso_db_get_race()) is rolled back and run again, whole, after a short
 * random pause, up to a bound: the second desk then gets the rules' own
 * answer on what the first wrote, as SQLite's queue gives it. */
gboolean   meso_store_run_write         (MesoStore          *self,
                                         MesoStoreWriteFunc  func,
                                         gpointer            data,
                                         GError            **error);

/* The id of an active practitioner (or room) by name; 0 for NULL; -1 with
 * MESO_STORE_ERROR_NOT_FOUND when there is none. */
gint64     meso_store_lookup_named      (MesoStore     *self,
                                         gboolean       room,
                                         const char    *name,
                                         GError       **error);
/* The registered lot numbered @number (spaces around it aside): its id and
 * expiry; @lot_id 0 when none is (or @number is empty). INVALID when
 * several products have a lot of that number (meso-store-lots.c). */
gboolean   meso_store_lookup_lot        (MesoStore     *self,
                                         const char    *number,
                                         gint64        *lot_id,
                                         GDate         *expires_on,
                                         GError       **error);
/* One product's or lot's row as given, checked by nobody: the store's own
 * add (meso_store_add_lot()) and the demo's. */
gboolean   meso_store_insert_product    (MesoStore     *self,
                                         const char    *name,
                                         gint64         created_at,
                                         gint64        *id,
                                         GError       **error);
gboolean   meso_store_insert_lot        (MesoStore     *self,
                                         gint64         product_id,
                                         const char    *number,
                                         const GDate   *expires_on,
                                         gint64         created_at,
                                         gint64        *id,
                                         GError       **error);
/* Who wrote the consent texts Mesodesk ships (consent_texts.created_by):
 * a fresh database holds them, and is still empty (meso-store-transfer.c). */
#define MESO_CONSENT_SHIPPED_BY "Mesodesk"

/* The rows of @stmt (bound), each made by @from_row, in a new array that
 * frees them with @free_func; NULL with @error when a step fails. */
typedef gpointer (*MesoStoreRowFunc) (MesoDbStmt *stmt);
GPtrArray *meso_store_read_rows         (MesoStore        *self,
                                         MesoDbStmt       *stmt,
                                         MesoStoreRowFunc  from_row,
                                         GDestroyNotify    free_func,
                                         GError          **error);

/* The shipped consent forms' first versions, each language's: the
 * providers' schema step to MESO_STORE_SCHEMA_CONSENT calls it after the
 * tables are made and before their audit triggers, so the texts Mesodesk
 * ships are no person's change in the log (meso-store-consent.c). */
gboolean   meso_store_fill_consent_forms (MesoStore    *self,
                                         GError       **error);
/* R8's facts: the spans of @patient_id's consents on the microneedling
 * form, into @spans (MesoConsentSpan). */
gboolean   meso_store_load_consent_spans (MesoStore    *self,
                                         gint64         patient_id,
                                         GArray        *spans,
                                         GError       **error);
/* NOT_FOUND, saying so, when there is no patient @id. */
gboolean   meso_store_patient_exists    (MesoStore     *self,
                                         gint64         id,
                                         gboolean      *sensitive_skin,
                                         GError       **error);
/* FALSE with the blocking verdicts' messages (REFUSED or INVALID). */
gboolean   meso_store_verdicts_allow    (GPtrArray     *resolved,
                                         GError       **error);
gboolean   meso_store_verdicts_lifted   (GPtrArray     *resolved,
                                         MesoResolution how);
/* meso_store_run_write() for a write the rules judge: @func leaves its last
 * run's verdicts in *@resolved; they go to @verdicts (unless NULL),
 * whether the write was done or refused. */
gboolean   meso_store_run_judged_write  (MesoStore          *self,
                                         MesoStoreWriteFunc  func,
                                         gpointer            data,
                                         GPtrArray         **resolved,
                                         GPtrArray         **verdicts,
                                         GError            **error);

/* The plans of a patient search's page (see meso-store-patients.c): the
 * index's matches, sorted ("search"), or the names in order, each probed
 * against the matches ("search-names"). */
typedef enum
{
  MESO_SEARCH_PLAN_AUTO,     /* the store's choice, by the number of matches */
  MESO_SEARCH_PLAN_MATCHES,
  MESO_SEARCH_PLAN_NAMES,    /* patients not archived only */
} MesoSearchPlan;

/* meso_store_search_patients() with @plan: in, the plan to use; out, the
 * plan used (MATCHES with @include_archived). Left as it is for a text
 * without words, which lists everyone. With @count (not NULL), as
 * meso_store_search_patients_counted(). */
GPtrArray *meso_store_search_patients_by (MesoStore       *self,
                                          const char      *text,
                                          gboolean         include_archived,
                                          guint            offset,
                                          guint            limit,
                                          MesoSearchPlan  *plan,
                                          guint           *count,
                                          GError         **error);

/* The search index's "state" column (schema version 4): the token of an
 * archived patient, and the column's value for @archived (an SQL
 * expression), written by the index and by the trigger that follows
 * archiving, so both say the same. */
#define MESO_STORE_SEARCH_ARCHIVED "archived"
#define MESO_STORE_SEARCH_STATE(archived) \
  "CASE WHEN " archived " <> 0 THEN '" MESO_STORE_SEARCH_ARCHIVED "' ELSE '' END"

/* What a search's page reads of each patient, in patient rows' order. */
#define MESO_STORE_PATIENT_COLUMNS \
  "id, name, birth_date, phone, email, sensitive_skin, notes, archived"
/* A page's columns: the patient's, then the start of their next
 * appointment (booked or checked in, from ?11, now in Unix seconds, on;
 * NULL: none), one correlated look-up per row in the index
 * appointments_next (schema 7), so a page is still one statement.
 * @patients is the statement's name for the patients' table. */
#define MESO_STORE_NOW_PARAM 11
#define MESO_STORE_NEXT_APPOINTMENT(patients) \
  "(SELECT min(n.start) FROM appointments n WHERE n.patient_id = " patients ".id AND " \
  "n.status IN ('booked', 'checked-in') AND n.start >= ?11)"
#define MESO_STORE_PATIENT_PAGE_COLUMNS(patients) \
  MESO_STORE_PATIENT_COLUMNS ", " MESO_STORE_NEXT_APPOINTMENT (patients)
/* @page (a statement of MESO_STORE_PATIENT_COLUMNS with LIMIT and OFFSET)
 * with each row's next appointment: looked up for the page's rows alone.
 * In the select list of @page itself, SQLite looked it up for each row
 * OFFSET skipped (a jump deep into the list, 16 ms, took 36); a subquery
 * with OFFSET is never flattened, so it stays a co-routine, in its order.
 * (The server defers such a subplan past LIMIT by itself.) */
#define MESO_STORE_PAGE_OF(page) \
  "SELECT p.*, " MESO_STORE_NEXT_APPOINTMENT ("p") " FROM (" page ") AS p"
/* A search's page may also say how many rows it was cut from: a column
 * after the next appointment (column MESO_STORE_PAGE_TOTAL_COLUMN, from
 * "count(*) OVER ()", counted before LIMIT). The server's sort reads every
 * match to sort them, and counting them there spares the count its own
 * statement, a second walk through the slowest searches' matches (p95
 * 6.3 ms against 4.8 on the 100 000-patient demo). SQLite's count reads
 * its full-text index alone, quicker than a window over the page's
 * statement (which took its plain search's p95 from 1.7 to 2.9 ms). */
#define MESO_STORE_PAGE_TOTAL_COLUMN 9

/* The full-text query a search text becomes (NULL: no words), for the
 * statements below: each word a prefix of a word of the name or the
 * contact, the archived left out unless @include_archived. */
char      *meso_store_search_query      (const char    *text,
                                         gboolean       include_archived);

/* Binds to @stmt what the search's statements take for @text (the
 * provider's bind_search), so a benchmark can run them elsewhere with the
 * store's own values. */
void       meso_store_bind_search_text  (MesoStore     *self,
                                         MesoDbStmt    *stmt,
                                         const char    *text,
                                         gboolean       include_archived);

/* The exact text of a statement the store runs, by name, so a benchmark can
 * run the same SQL elsewhere (the sqlite3 shell) without copying it: "search",
 * "search-names", "search-count" and "search-plan" (which of the two, for ?1, ?3 and ?4;
 * ?1 from meso_store_search_query()); "search-names" probes the matches
 * "search-hits" read with the store's own meso_search_hit(), so the shell
 * runs "search-names-in", the same walk probing with "id IN (…)";
 * the reminders' "reminders-recent" and, for each section of the courses
 * (SECTION: "moisturise", "due", "overdue", and the panel's split of the
 * overdue, "recently-overdue" and "lapsed"), "reminders-SECTION" (a page),
 * "reminders-all-SECTION" (all of it) and "reminders-count-SECTION";
 * "conflicts", and what an appointment check
 * reads besides: "policy", "practitioner-id", "room-id", "patient-skin",
 * "flags", "facts-sessions", "facts-appointments", "opening-hours". NULL for
 * an unknown name. */
const char *meso_store_sql_for          (const char    *name);
/* The values the reminders' statements bind to ?1 … ?9 for @day (a page's
 * statement adds ?10 LIMIT and ?11 OFFSET). */
#define MESO_STORE_REMINDERS_N_PARAMETERS 9
gboolean   meso_store_reminders_parameters (MesoStore  *self,
                                         const GDate   *day,
                                         gint64         values[MESO_STORE_REMINDERS_N_PARAMETERS],
                                         GError       **error);
/* Its sources, one per file that holds the statements. */
const char *meso_store_patients_sql     (const char    *name);
const char *meso_store_sessions_sql     (const char    *name);
const char *meso_store_lots_sql         (const char    *name);
const char *meso_store_reminders_sql    (const char    *name);
const char *meso_store_appointments_sql (const char    *name);

/* Patient @patient_id's photos, oldest first, each handed to @func with its
 * stored image as it is read (streamed: one image in memory at a time), for
 * the patient's own copy, whose caller has checked the person's permission
 * (no TREAT asked here: a manager exports). @func's FALSE (with @error set)
 * stops the walk. */
typedef gboolean (*MesoStorePhotoImageFunc) (const MesoPhoto  *photo,
                                             GBytes           *image,
                                             gpointer          user_data,
                                             GError          **error);
gboolean   meso_store_foreach_photo_image (MesoStore              *self,
                                           gint64                  patient_id,
                                           MesoStorePhotoImageFunc func,
                                           gpointer                user_data,
                                           GError                **error);

G_END_DECLS
