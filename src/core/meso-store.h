/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinic database: the only code that speaks SQL. Its API carries no
 * SQLite type, so a second backend can stand behind it. Every write that a
 * clinical rule governs goes through meso-rules here, once, for the window
 * and the command line alike. One MesoStore is one connection: use it from
 * one thread at a time (open another for a worker thread). */

#pragma once

#include <gio/gio.h>

#include "meso-appointment.h"
#include "meso-patient.h"
#include "meso-photo.h"
#include "meso-policy.h"
#include "meso-rules.h"
#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_STORE_ERROR (meso_store_error_quark ())

typedef enum
{
  MESO_STORE_ERROR_INVALID,      /* bad input: the message says which field and why */
  MESO_STORE_ERROR_REFUSED,      /* a clinical rule refused it: the rule's message */
  MESO_STORE_ERROR_NOT_FOUND,
  MESO_STORE_ERROR_CONFLICT,     /* the practitioner, room or patient is busy then */
  MESO_STORE_ERROR_CORRUPT,      /* not a Mesodesk database, or damaged */
  MESO_STORE_ERROR_UNSUPPORTED,  /* a network filesystem, or a newer schema */
  MESO_STORE_ERROR_BUSY,         /* still locked by another program after waiting */
  MESO_STORE_ERROR_FULL,         /* the disk is full */
  MESO_STORE_ERROR_UNREACHABLE,  /* the clinic server cannot be reached (or not safely:
                                  * its certificate not verified), or went away */
  MESO_STORE_ERROR_DENIED,       /* the clinic server refused the user or password */
  MESO_STORE_ERROR_FAILED,       /* anything else the database reported */
  MESO_STORE_ERROR_NOT_ALLOWED,  /* nobody signed in where accounts exist, a wrong name or
                                  * password, a disabled account, or a role that may not */
} MesoStoreError;

GQuark       meso_store_error_quark (void);

#define MESO_STORE_SCHEMA_VERSION 12

#define MESO_TYPE_STORE (meso_store_get_type ())

G_DECLARE_FINAL_TYPE (MesoStore, meso_store, MESO, STORE, GObject)

/* $MESODESK_DATABASE, else $XDG_DATA_HOME/mesodesk/clinic.db. */
char        *meso_store_default_path         (void);
/* $XDG_DATA_HOME/mesodesk/clinic.db: this computer's database file. */
char        *meso_store_default_file         (void);
/* FALSE (MESO_STORE_ERROR_INVALID) when $MESODESK_DATABASE is set but empty:
 * a mistake that would otherwise quietly open the default database. */
gboolean     meso_store_check_env            (GError           **error);
/* Why @path could not be read or written, for people ("it is a folder."),
 * or NULL when there is nothing better to say than the system's words. */
const char  *meso_store_describe_file_error  (const char        *path,
                                              GFileError         code);

/* Opens and migrates the database @location names: a libpq URI
 * (`postgresql://host/dbname`) or conninfo (`service=NAME`) is a clinic
 * server's (PostgreSQL, set up on first connect); anything else is an
 * SQLite file's path (created private to the user). */
MesoStore   *meso_store_open                 (const char        *location,
                                              GError           **error);
/* The location the store was opened with: it may hold a clinic server's
 * password, so it is for opening another connection, never for showing;
 * show meso_store_describe(). */
const char  *meso_store_get_path             (MesoStore         *self);
/* Which clinic database @location names, for people: "clinic on HOST /
 * DATABASE" for a clinic server (no password, no other setting); NULL for a
 * file on this computer. */
char        *meso_store_describe_location    (const char        *location);
char        *meso_store_describe             (MesoStore         *self);
/* A clinic server's location (libpq conninfo words) from its parts; NULL
 * or empty parts and a @port of 0 are left to libpq's defaults. @tls is a
 * libpq sslmode ("verify-full", "require", "prefer"); @ca_file the clinic's
 * CA certificate to verify the server with (sslrootcert; NULL: libpq's
 * ~/.postgresql/root.crt). The result holds @password: keep it in memory
 * only. */
char        *meso_store_server_location      (const char        *host,
                                              guint              port,
                                              const char        *database,
                                              const char        *user,
                                              const char        *tls,
                                              const char        *ca_file,
                                              const char        *password);
/* Connects to @location and reads what is there without changing anything:
 * TRUE with @set_up FALSE for an empty database (meso_store_open() would
 * set it up), TRUE with @set_up and the number of @patients for a Mesodesk
 * database; FALSE with the error meso_store_open() would give. */
gboolean     meso_store_probe                (const char        *location,
                                              gboolean          *set_up,
                                              guint             *patients,
                                              GError           **error);
/* Whether meso_store_open() would read @location as a clinic server's. */
gboolean     meso_store_location_is_server   (const char        *location);
int          meso_store_get_schema_version   (MesoStore         *self);
/* A number that changes whenever another connection (another program, or a
 * worker thread's store) commits a change: lets a window notice writes made
 * by the command line. Its own writes do not change it. On a clinic server,
 * it counts the server's notifications of changes (and connections made
 * again, since changes meanwhile went unheard). */
gint64       meso_store_get_data_version     (MesoStore         *self);

typedef enum
{
  MESO_STORE_EVENT_CHANGED,  /* another connection committed a change */
  MESO_STORE_EVENT_LOST,     /* the connection to the clinic server was lost */
} MesoStoreEvent;

typedef void (*MesoStoreWatchFunc) (MesoStore      *store,
                                    MesoStoreEvent  event,
                                    gpointer        user_data);

/* Calls @func on the thread-default main context when another connection
 * commits a change (within MESO_STORE_WATCH_MS on a file, whose data
 * version is read that often; at once on a server, which notifies), and
 * once when the server's connection is found lost (then again after it is
 * back: meso_store_reconnect(), or any use of the store). Returns the
 * attached source, which holds @self: g_source_destroy() and unref it. */
GSource     *meso_store_watch                (MesoStore         *self,
                                              MesoStoreWatchFunc func,
                                              gpointer           user_data,
                                              GDestroyNotify     notify);
#define MESO_STORE_WATCH_MS 500
/* Connects to the clinic server again if the connection was lost (outside
 * a transaction). TRUE when it is up (a file's always is); else
 * MESO_STORE_ERROR_UNREACHABLE (or DENIED). */
gboolean     meso_store_reconnect            (MesoStore         *self,
                                              GError           **error);
/* While @held, a use of the store whose server connection was lost fails
 * at once with MESO_STORE_ERROR_UNREACHABLE instead of connecting again
 * (which may wait the whole connect timeout for a host that does not
 * answer); meso_store_reconnect() still connects. For the window, which
 * probes the server off its main thread meanwhile. A file's store ignores it. */
void         meso_store_hold_reconnect       (MesoStore         *self,
                                              gboolean           held);
/* A random name given to this database when it was created (hex). */
const char  *meso_store_get_install_id       (MesoStore         *self);
/* Keeps every connection of this process together under about @bytes of
 * database memory, their page caches giving way first (each may otherwise
 * fill up to 16 MiB): for the window, which holds one connection per
 * worker. 0: no limit. */
void         meso_store_limit_process_memory (gint64             bytes);

/* Clinic policy, stored in the database so every program sees the same. */
gboolean     meso_store_load_policy          (MesoStore         *self,
                                              MesoPolicy        *policy,
                                              GError           **error);
gboolean     meso_store_save_policy          (MesoStore         *self,
                                              const MesoPolicy  *policy,
                                              GError           **error);

/* The clinic as its papers name it: each field NULL when not set. Stored
 * in the database beside the policy, so every desk prints the same. */
typedef struct
{
  char *name;
  char *address;    /* may hold line breaks */
  char *phone;
  char *emergency;  /* whom a patient calls if something goes wrong */
} MesoClinicInfo;

void         meso_clinic_info_clear          (MesoClinicInfo    *info);
gboolean     meso_store_load_clinic_info     (MesoStore         *self,
                                              MesoClinicInfo    *info,
                                              GError           **error);
/* Trims each field; an empty one is removed. */
gboolean     meso_store_save_clinic_info     (MesoStore         *self,
                                              const MesoClinicInfo *info,
                                              GError           **error);

/* ---- patients ---- */
gboolean     meso_store_add_patient          (MesoStore         *self,
                                              MesoPatient       *patient,
                                              GError           **error);
gboolean     meso_store_update_patient       (MesoStore         *self,
                                              MesoPatient       *patient,
                                              GError           **error);
MesoPatient *meso_store_get_patient          (MesoStore         *self,
                                              gint64             id,
                                              GError           **error);
gboolean     meso_store_set_patient_archived (MesoStore         *self,
                                              gint64             id,
                                              gboolean           archived,
                                              GError           **error);
/* The patients (archived too) @patient may be a second record of: the same
 * name (as the list sorts it: case and accents aside) and the same birth
 * date, or the same name and the same phone number (its digits). @patient
 * itself (its id) is left out. Ordered by id; a new array of MesoPatient,
 * empty when there are none. */
GPtrArray   *meso_store_find_namesakes       (MesoStore         *self,
                                              MesoPatient       *patient,
                                              GError           **error);
/* Matches every word of @text as the start of a word of the name, phone
 * (digits), e-mail or birth date (typed in the locale's form or ISO:
 * "14.03.1985", "1985-03-14", or the year); an empty text lists everyone.
 * Ordered by name. A patient's next appointment is read with the page.
 * Returns a new array of MesoPatient. */
GPtrArray   *meso_store_search_patients      (MesoStore         *self,
                                              const char        *text,
                                              gboolean           include_archived,
                                              guint              offset,
                                              guint              limit,
                                              GError           **error);
/* The page of everyone not archived (the empty search's) that starts
 * @skip rows after patient @after_id in the list's order: a scroll jump's
 * page from a page already read, without reading the names before that
 * one again (OFFSET walks every row it skips). A new array of MesoPatient;
 * empty when @after_id is no patient. */
GPtrArray   *meso_store_list_patients_after  (MesoStore         *self,
                                              gint64             after_id,
                                              guint              skip,
                                              guint              limit,
                                              GError           **error);
/* How many the same search finds, for a list that loads rows on demand. */
gboolean     meso_store_count_patients       (MesoStore         *self,
                                              const char        *text,
                                              gboolean           include_archived,
                                              guint             *count,
                                              GError           **error);
/* Both at once: a page of the search and, in @count, how many it finds in
 * all. Where the page reads every match anyway (a word of a letter or two,
 * matching thousands), the count costs nothing more. */
GPtrArray   *meso_store_search_patients_counted (MesoStore      *self,
                                              const char        *text,
                                              gboolean           include_archived,
                                              guint              offset,
                                              guint              limit,
                                              guint             *count,
                                              GError           **error);

/* ---- contraindication flags (R2): dated, history kept ---- */
gboolean     meso_store_set_flag             (MesoStore          *self,
                                              gint64              patient_id,
                                              MesoContraindication kind,
                                              const GDate        *noted_on,
                                              GError            **error);
gboolean     meso_store_clear_flag           (MesoStore          *self,
                                              gint64              patient_id,
                                              MesoContraindication kind,
                                              const GDate        *cleared_on,
                                              GError            **error);
/* A new GArray of MesoFlag, oldest first. */
GArray      *meso_store_list_flags           (MesoStore          *self,
                                              gint64              patient_id,
                                              GError            **error);

/* ---- practitioners and rooms ---- */
gboolean     meso_store_add_practitioner     (MesoStore         *self,
                                              const char        *name,
                                              MesoRole           role,
                                              GError           **error);
/* NOT_FOUND when there is no such practitioner. */
gboolean     meso_store_get_practitioner_role (MesoStore        *self,
                                              const char        *name,
                                              MesoRole          *role,
                                              GError           **error);
gboolean     meso_store_add_room             (MesoStore         *self,
                                              const char        *name,
                                              GError           **error);
/* New NULL-terminated arrays of names, sorted. */
char       **meso_store_list_practitioners   (MesoStore         *self,
                                              GError           **error);
/* The active practitioners who treat (clinicians, not receptionists): those
 * the schedule gives a column and a colour. */
char       **meso_store_list_clinicians      (MesoStore         *self,
                                              GError           **error);
char       **meso_store_list_rooms           (MesoStore         *self,
                                              GError           **error);

/* Opening hours: per weekday (1 = Monday … 7 = Sunday) one span in minutes
 * after midnight; closed days have none. Defaults: Monday–Friday 9:00–18:00. */
gboolean     meso_store_set_opening_hours    (MesoStore         *self,
                                              GDateWeekday       weekday,
                                              int                open_minute,
                                              int                close_minute,
                                              GError           **error);
gboolean     meso_store_get_opening_hours    (MesoStore         *self,
                                              GDateWeekday       weekday,
                                              int               *open_minute,
                                              int               *close_minute,
                                              GError           **error);

/* Every practitioner or room, active or not, for the clinic's settings. */
typedef struct
{
  char     *name;
  MesoRole  role;      /* practitioners only */
  gboolean  active;    /* inactive: kept for the records, offered for nothing new */
} MesoResource;

void         meso_resource_free              (MesoResource      *resource);
/* New arrays of MesoResource, sorted by name. */
GPtrArray   *meso_store_list_practitioner_entries (MesoStore    *self,
                                              GError           **error);
GPtrArray   *meso_store_list_room_entries    (MesoStore         *self,
                                              GError           **error);
gboolean     meso_store_set_practitioner_active (MesoStore      *self,
                                              const char        *name,
                                              gboolean           active,
                                              GError           **error);
gboolean     meso_store_set_room_active      (MesoStore         *self,
                                              const char        *name,
                                              gboolean           active,
                                              GError           **error);
/* The records keep pointing at the renamed one. INVALID when taken. */
gboolean     meso_store_rename_practitioner  (MesoStore         *self,
                                              const char        *name,
                                              const char        *new_name,
                                              GError           **error);
gboolean     meso_store_rename_room          (MesoStore         *self,
                                              const char        *name,
                                              const char        *new_name,
                                              GError           **error);
/* Only one no appointment or session names: CONFLICT otherwise (deactivate
 * that one instead, so the records keep who and where). */
gboolean     meso_store_remove_practitioner  (MesoStore         *self,
                                              const char        *name,
                                              GError           **error);
gboolean     meso_store_remove_room          (MesoStore         *self,
                                              const char        *name,
                                              GError           **error);

/* ---- staff accounts (meso-store-staff.c) ----
 * The practitioners are the staff: a person with a password is an
 * account. Where no one has a password, everything is allowed, as in a
 * one-person practice; from the first account on (a manager's), each store
 * must be signed in and may do what the person's roles allow. */
typedef enum
{
  MESO_STAFF_RECEPTIONIST = 1 << 0,
  MESO_STAFF_CLINICIAN    = 1 << 1,  /* treats: does all a receptionist does, and more */
  MESO_STAFF_MANAGER      = 1 << 2,
} MesoStaffRoles;

typedef enum
{
  MESO_PERMISSION_FRONT_DESK,  /* patients, appointments, recall, lists: every account */
  MESO_PERMISSION_TREAT,       /* sessions, contraindication flags, overrides: clinicians */
  MESO_PERMISSION_MANAGE,      /* staff, policy, hours, rooms, import, export, backup,
                                * restore, transfer, the audit log: managers */
} MesoPermission;

typedef struct
{
  char           *name;
  MesoStaffRoles  roles;
  gboolean        active;
  gboolean        has_password;
} MesoStaffMember;

void         meso_staff_member_free          (MesoStaffMember   *member);
/* "receptionist", "clinician", "manager" (MESO_STAFF_*: one bit); NULL else. */
const char  *meso_staff_role_to_nick         (MesoStaffRoles     role);
gboolean     meso_staff_role_from_nick       (const char        *nick,
                                              MesoStaffRoles    *role);
/* Whether anyone has a password: then every use of the store needs a
 * signed-in person. */
gboolean     meso_store_has_accounts         (MesoStore         *self,
                                              gboolean          *has_accounts,
                                              GError           **error);
/* Checks @password (Argon2id) and makes @name the one this store acts
 * for: the audit names them. NOT_ALLOWED, never saying which of name and
 * password was wrong; after MESO_STAFF_FREE_FAILURES failures in a row a
 * name waits 2^(n-3) s (at most MESO_STAFF_MAX_WAIT_S) between tries, on
 * every desk; each failure is audited. */
#define MESO_STAFF_FREE_FAILURES 3
#define MESO_STAFF_MAX_WAIT_S 30
gboolean     meso_store_sign_in              (MesoStore         *self,
                                              const char        *name,
                                              const char        *password,
                                              GError           **error);
void         meso_store_sign_out             (MesoStore         *self);
/* The signed-in person's name and roles; NULL when nobody is. */
const char  *meso_store_get_signed_in        (MesoStore         *self,
                                              MesoStaffRoles    *roles);
/* TRUE when the signed-in person may do what @permission covers (anyone,
 * where there are no accounts); else NOT_ALLOWED saying why. The store's
 * own functions call it: the window and the command line need not. */
gboolean     meso_store_require              (MesoStore         *self,
                                              MesoPermission     permission,
                                              GError           **error);
/* Whether the signed-in person may do what @permission covers, as
 * meso_store_require() would decide (TRUE where there are no accounts):
 * for the window, to hide or disable what would be refused. */
gboolean     meso_store_may                  (MesoStore         *self,
                                              MesoPermission     permission);
/* The names a sign-in page offers: the active staff with a password,
 * sorted; asked before anyone is signed in, so it needs no permission. */
GStrv        meso_store_list_sign_in_names   (MesoStore         *self,
                                              GError           **error);
/* Who a signed-in store acts for, to sign in the program's other
 * connections to the same database as the same person without the
 * password again (each a MesoStore of its own, perhaps in another
 * thread). NULL when nobody is signed in. */
typedef struct _MesoStaffTicket MesoStaffTicket;
MesoStaffTicket *meso_store_get_ticket       (MesoStore         *self);
/* Signs @self in as @ticket's person; NULL signs it out. */
gboolean     meso_store_sign_in_ticket       (MesoStore         *self,
                                              const MesoStaffTicket *ticket,
                                              GError           **error);
MesoStaffTicket *meso_staff_ticket_copy      (const MesoStaffTicket *ticket);
void         meso_staff_ticket_free          (MesoStaffTicket   *ticket);
const char  *meso_staff_ticket_get_name      (const MesoStaffTicket *ticket);
/* A new array of MesoStaffMember, sorted by name (never a hash). */
GPtrArray   *meso_store_list_staff           (MesoStore         *self,
                                              GError           **error);
/* A new person, or a practitioner without a password given one, with
 * @roles and @password (NULL: none, not an account). The first account
 * must be a manager's (INVALID otherwise); after it, a manager's work. */
gboolean     meso_store_add_staff            (MesoStore         *self,
                                              const char        *name,
                                              MesoStaffRoles     roles,
                                              const char        *password,
                                              GError           **error);
/* A manager's: @name's roles become @roles (at least one). INVALID when
 * it would leave the clinic without an active manager who can sign in;
 * NOT_FOUND when there is no such person. Audited. */
gboolean     meso_store_set_staff_roles      (MesoStore         *self,
                                              const char        *name,
                                              MesoStaffRoles     roles,
                                              GError           **error);
/* One's own password, or anyone's by a manager. */
gboolean     meso_store_set_staff_password   (MesoStore         *self,
                                              const char        *name,
                                              const char        *password,
                                              GError           **error);
/* A lost password reset without anyone signed in, by whoever holds the
 * database itself: the system user who owns the file (SQLite) or a
 * superuser of the clinic server (PostgreSQL); NOT_ALLOWED otherwise.
 * Audited as an emergency. */
gboolean     meso_store_emergency_reset_password (MesoStore     *self,
                                              const char        *name,
                                              const char        *password,
                                              GError           **error);

/* ---- what the rules need to know of a patient ---- */
typedef struct _MesoPatientFactsBuffer MesoPatientFactsBuffer;
/* Fills @facts with the patient's flags and every recorded session and
 * active appointment (any area); they live in the returned buffer. */
MesoPatientFactsBuffer *meso_store_load_facts (MesoStore        *self,
                                              gint64             patient_id,
                                              MesoPatientFacts  *facts,
                                              GError           **error);
void         meso_patient_facts_buffer_free  (MesoPatientFactsBuffer *buffer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoPatientFactsBuffer, meso_patient_facts_buffer_free)

/* ---- sessions (treatment records) ---- */
/* Checks R1–R3 through meso-rules; a refusal is MESO_STORE_ERROR_REFUSED with
 * the rule's message unless lifted: the session's override-reason by a
 * clinician (@role), its caution-confirmed flag for a caution. The verdicts,
 * if wanted, are returned in @verdicts (resolved). */
gboolean     meso_store_add_session          (MesoStore         *self,
                                              MesoSession       *session,
                                              MesoRole           role,
                                              GPtrArray        **verdicts,
                                              GError           **error);
/* A new array of MesoSession, newest first. */
GPtrArray   *meso_store_list_sessions        (MesoStore         *self,
                                              gint64             patient_id,
                                              GError           **error);
/* The verdicts recording @session would get (R3, R2, R1, resolved for @role
 * as meso_store_add_session() resolves them), writing nothing: the same
 * checks, so a form can show them as it is filled in. NULL with @error for
 * what is not a session at all (no date, a day to come, an unknown patient
 * or practitioner). A new array of MesoVerdict. */
GPtrArray   *meso_store_check_session        (MesoStore         *self,
                                              MesoSession       *session,
                                              MesoRole           role,
                                              GError           **error);
/* NOT_FOUND when there is no such session. */
MesoSession *meso_store_get_session          (MesoStore         *self,
                                              gint64             id,
                                              GError           **error);

/* ---- appointments ---- */
/* The verdicts a booking would get (R2, R1, and the conflicts), writing
 * nothing. A new array of resolved MesoVerdict. */
GPtrArray   *meso_store_check_appointment    (MesoStore         *self,
                                              MesoAppointment   *appointment,
                                              MesoRole           role,
                                              GError           **error);
gboolean     meso_store_book_appointment     (MesoStore         *self,
                                              MesoAppointment   *appointment,
                                              MesoRole           role,
                                              GPtrArray        **verdicts,
                                              GError           **error);
MesoAppointment *meso_store_get_appointment  (MesoStore         *self,
                                              gint64             id,
                                              GError           **error);
gboolean     meso_store_cancel_appointment   (MesoStore         *self,
                                              gint64             id,
                                              const char        *reason,
                                              GError           **error);
/* Check-in, no-show, and their undo (back to booked). Cancelling has its own
 * call (with a reason); done comes from recording the session. */
gboolean     meso_store_set_appointment_status (MesoStore       *self,
                                              gint64             id,
                                              MesoAppointmentStatus status,
                                              GError           **error);
/* Appointments starting in [@from, @to), every status, by start time. */
GPtrArray   *meso_store_list_appointments    (MesoStore         *self,
                                              GDateTime         *from,
                                              GDateTime         *to,
                                              GError           **error);
GPtrArray   *meso_store_list_patient_appointments (MesoStore    *self,
                                              gint64             patient_id,
                                              GError           **error);
/* Check-in of a booked appointment of today: R2 is judged again, for a
 * treatment today; an active acne, herpes or infection flag refuses it
 * (MESO_STORE_ERROR_REFUSED with the rule's message) and nothing changes.
 * A caution (scar-prone skin) does not: it is confirmed when the session is
 * recorded. */
gboolean     meso_store_check_in_appointment (MesoStore         *self,
                                              gint64             id,
                                              GError           **error);

/* ---- recall ---- */
gboolean     meso_store_set_course_state     (MesoStore         *self,
                                              gint64             patient_id,
                                              gboolean           finished,
                                              gboolean           declined,
                                              GError           **error);

/* Contact attempts of the recall list: a call, an SMS, an e-mail, a visit. */
typedef struct
{
  gint64     id;
  gint64     patient_id;
  GDateTime *at;
  char      *channel;   /* "call", "sms", "email", "in-person" */
  char      *note;      /* NULL when none */
  char      *outcome;   /* e.g. "booked", "no-answer", "call-back"; NULL when none */
} MesoContact;

void         meso_contact_free               (MesoContact       *contact);
gboolean     meso_store_log_contact          (MesoStore         *self,
                                              gint64             patient_id,
                                              GDateTime         *at,
                                              const char        *channel,
                                              const char        *note,
                                              const char        *outcome,
                                              GError           **error);
/* A new array of MesoContact, newest first. */
GPtrArray   *meso_store_list_contacts        (MesoStore         *self,
                                              gint64             patient_id,
                                              GError           **error);

/* ---- the aftercare panel and the recall list (R4) ---- */
/* Small and flat, name included, its times as Unix seconds: a day's full
 * list on a large clinic holds tens of thousands of them, and one GDateTime
 * each would cost more than reading them (meso_reminder_dup_*() make them).
 * The store carves them out of shared blocks: free each one with
 * meso_reminder_free(), never g_free(), and make none of your own. */
typedef struct
{
  gint64             patient_id;
  const char        *patient;         /* the name, stored with the reminder */
  gboolean           sensitive_skin;
  MesoAftercareKind  kind;
  gint64             session_id;      /* the session it follows from */
  MesoArea           area;
  gint64             session_at;
  gint64             from;
  gint64             until;           /* exclusive; MESO_REMINDER_NO_END: until the
                                       * next session */
  const char        *phone;           /* NULL when none is known; stored with it */
  gint64             booked_at;       /* the area's next appointment (Unix), or 0:
                                       * nothing booked (never for due, overdue) */
  gint64             sun_protection_until; /* a panel's Today row for no water that
                                            * stands for sun protection too: its end
                                            * (exclusive); 0 otherwise */
} MesoReminder;

#define MESO_REMINDER_NO_END G_MAXINT64

void         meso_reminder_free              (MesoReminder      *reminder);
/* The times in the local zone; until: NULL for MESO_REMINDER_NO_END. */
GDateTime   *meso_reminder_dup_session_at    (const MesoReminder *reminder);
GDateTime   *meso_reminder_dup_from          (const MesoReminder *reminder);
GDateTime   *meso_reminder_dup_until         (const MesoReminder *reminder);
/* One entry per item active on @day: no water and sun protection of recent
 * sessions, moisturising until the next session (listed while the follow-up
 * window has not closed), follow-up due, overdue. A course with its next
 * session booked is neither due nor overdue; finished and declined ones are
 * never listed; nor are archived patients. Ordered by kind; within a kind,
 * overdue by the day the window closed, the latest first (the most recently
 * overdue first: the list is called from the top), then by name; the others
 * by when the
 * item ends (or, open-ended, begins); then by patient id and session id.
 * One implementation for the command line and the aftercare panel: the full
 * list is the pages of every kind, one after the other. */
GPtrArray   *meso_store_list_reminders       (MesoStore         *self,
                                              const GDate       *day,
                                              GError           **error);
/* The same entries in the same order, each handed to @func as it is read
 * instead of all of them returned: a list of any length in little memory.
 * @reminder is valid only during the call. */
typedef void (*MesoReminderFunc) (const MesoReminder *reminder,
                                  gpointer            user_data);
gboolean     meso_store_foreach_reminder     (MesoStore         *self,
                                              const GDate       *day,
                                              MesoReminderFunc   func,
                                              gpointer           user_data,
                                              GError           **error);
/* How many entries of each kind meso_store_list_reminders() lists for @day,
 * without listing them: the panel's section counts. */
gboolean     meso_store_count_reminders      (MesoStore         *self,
                                              const GDate       *day,
                                              guint              counts[MESO_AFTERCARE_OVERDUE + 1],
                                              GError           **error);
/* The entries of one kind, in the list's order, from @offset on: at most
 * @limit of them (0: all). The same MesoReminder as the full list's. */
GPtrArray   *meso_store_list_reminders_page  (MesoStore         *self,
                                              const GDate       *day,
                                              MesoAftercareKind  kind,
                                              guint              offset,
                                              guint              limit,
                                              GError           **error);

/* The aftercare panel's sections: one row per patient and area each. */
typedef enum
{
  MESO_PANEL_TODAY,       /* the first days' instructions, grouped (sun_protection_until) */
  MESO_PANEL_MOISTURISE,  /* counted beside Today, not listed there */
  MESO_PANEL_DUE,
  MESO_PANEL_OVERDUE,     /* the window closed at most the policy's lapsed_months ago */
  MESO_PANEL_LAPSED,      /* longer ago */
  MESO_PANEL_N_SECTIONS
} MesoPanelSection;

/* How many rows each section of the panel holds on @day. */
gboolean     meso_store_count_panel          (MesoStore         *self,
                                              const GDate       *day,
                                              guint              counts[MESO_PANEL_N_SECTIONS],
                                              GError           **error);
/* The panel as it is first shown: each section's count and, for each
 * section in @sections (a mask of 1 << MesoPanelSection) that has rows, its
 * first @limit rows in @pages (NULL for the others), as
 * meso_store_list_panel_page() gives them. Today's rows are read once for
 * both its count and its page. */
gboolean     meso_store_load_panel           (MesoStore         *self,
                                              const GDate       *day,
                                              guint              sections,
                                              guint              limit,
                                              guint              counts[MESO_PANEL_N_SECTIONS],
                                              GPtrArray         *pages[MESO_PANEL_N_SECTIONS],
                                              GError           **error);
/* The calendar days a call list gives for a panel row: @first and @last of
 * its span (the follow-up window for due, overdue and lapsed; the
 * instruction's for Today). @last is cleared (invalid) when it lasts until
 * the next session. */
void         meso_reminder_get_days          (const MesoReminder *reminder,
                                              GDate              *first,
                                              GDate              *last);
/* One section's rows from @offset on, at most @limit of them (0: all): the
 * overdue and lapsed (kind overdue) in the full list's order, Today's no
 * water (with any sun protection of the same area) then sun protection. */
GPtrArray   *meso_store_list_panel_page      (MesoStore         *self,
                                              const GDate       *day,
                                              MesoPanelSection   section,
                                              guint              offset,
                                              guint              limit,
                                              GError           **error);

/* ---- products and lots (issue 18; R7) ---- */
typedef struct
{
  gint64  id;
  char   *number;
  char   *product;
  GDate   expires_on;  /* the last day of use */
  gint64  sessions;    /* how many sessions recorded it */
} MesoLot;
void         meso_lot_free                   (MesoLot           *lot);
/* Registers lot @number of @product (made if new; its name compared as the
 * practitioners' are, A–Z folded), usable up to and including @expires_on.
 * INVALID if that product has that lot already. @id: the new lot's.
 * Sessions recorded before with that number as their lot are linked to it
 * (@linked: how many), unless another product has a lot of that number
 * too: an ambiguous number links nothing. TREAT. */
gboolean     meso_store_add_lot              (MesoStore         *self,
                                              const char        *number,
                                              const char        *product,
                                              const GDate       *expires_on,
                                              gint64            *id,
                                              gint64            *linked,
                                              GError           **error);
/* Every lot, by product name, then expiry and number: MesoLot. */
GPtrArray   *meso_store_list_lots            (MesoStore         *self,
                                              GError           **error);
/* The registered lots numbered @number (one per product at most), each
 * found without reading the rest: NULL and NOT_FOUND when none is. */
GPtrArray   *meso_store_find_lots            (MesoStore         *self,
                                              const char        *number,
                                              GError           **error);

/* The registered lot of the session recorded last (by its number) that
 * has one, for the session form to offer again; NULL (no error) when none. */
char        *meso_store_get_last_lot         (MesoStore         *self,
                                              GError           **error);

/* Who received a lot: each session recorded with a registered lot of that
 * number, oldest first, with its patient's contact details. The strings are
 * valid only during the call. */
typedef struct
{
  gint64      patient_id;
  const char *patient;
  gint64      session_id;
  gint64      at;          /* Unix seconds */
  MesoArea    area;
  const char *phone;       /* NULL when none is known */
  const char *email;
  const char *product;
  const char *lot;
  gint64      contacted;   /* Unix seconds of the last recall call logged
                            * (meso_store_log_lot_contact()); 0: none */
} MesoLotPatient;
typedef void (*MesoLotPatientFunc) (const MesoLotPatient *row,
                                    gpointer              user_data);
/* NOT_FOUND when no lot of that number is registered; a registered lot no
 * session has used gives no rows. Streams from one index range
 * (sessions_lot), so a lot given to thousands lists in little memory. */
gboolean     meso_store_list_lot_patients    (MesoStore         *self,
                                              const char        *number,
                                              MesoLotPatientFunc func,
                                              gpointer           user_data,
                                              GError           **error);

/* A recall by lot's contact: a call logged in the contact log
 * (meso_store_log_contact()) with a note naming the lot, "Recall: lot
 * NUMBER", which finds it again. FRONT_DESK. */
gboolean     meso_store_log_lot_contact      (MesoStore         *self,
                                              gint64             patient_id,
                                              const char        *number,
                                              GDateTime         *at,
                                              GError           **error);
/* When @patient_id was last contacted for lot @number; NULL (no error) when
 * never. */
GDateTime   *meso_store_get_lot_contact      (MesoStore         *self,
                                              gint64             patient_id,
                                              const char        *number,
                                              GError           **error);

/* ---- consent before treatment (issue 18; R8) ----
 * A consent form has a text per language, in numbered versions: an edit
 * is a new version, the older ones stay, and a consent keeps the version
 * it was signed on. The shipped forms' first versions are put in by the
 * migration to schema 11 (data/consent/, compiled in). Reading is every
 * account's; taking and revoking a consent a clinician's (TREAT); editing
 * a form a manager's (MANAGE). */
#define MESO_CONSENT_FORM_MICRONEEDLING "microneedling"  /* the one R8 asks for */
#define MESO_CONSENT_SIGNATURE_MAX_BYTES (1024 * 1024)

typedef enum
{
  MESO_CONSENT_ON_SCREEN,  /* signed on screen: a PNG image of the signature */
  MESO_CONSENT_ON_PAPER,   /* printed, signed on paper, kept on file */
} MesoConsentMethod;

typedef struct
{
  gint64  id;
  char   *form;
  char   *language;    /* "en", "de", "ru", "zh_CN" … */
  gint64  version;     /* 1, 2 … per form and language */
  char   *body;        /* NULL in meso_store_list_consent_texts() */
  char   *created_by;  /* who wrote this version ("Mesodesk": shipped) */
  gint64  created_at;  /* Unix seconds */
} MesoConsentText;
void         meso_consent_text_free          (MesoConsentText   *text);

typedef struct
{
  gint64             id;
  gint64             patient_id;
  char              *form;
  char              *language;
  gint64             version;        /* of the text signed */
  GDate              signed_on;
  MesoConsentMethod  method;
  GBytes            *signature;      /* the PNG; NULL on paper */
  char              *taken_by;       /* the signed-in person who took it */
  gint64             created_at;     /* Unix seconds */
  GDate              revoked_on;     /* cleared while not revoked */
  char              *revoke_reason;
  char              *revoked_by;
} MesoConsent;
void         meso_consent_free               (MesoConsent       *consent);
const char  *meso_consent_method_to_nick     (MesoConsentMethod  method);

/* Every form's every language and version, by form, language, version
 * (bodies left out): MesoConsentText. */
GPtrArray   *meso_store_list_consent_texts   (MesoStore         *self,
                                              GError           **error);
/* The text of @form in @language (NULL: the first of the person's
 * languages the form has, else English), version @version (0: the
 * latest). NOT_FOUND when there is none. */
MesoConsentText *meso_store_get_consent_text (MesoStore         *self,
                                              const char        *form,
                                              const char        *language,
                                              gint64             version,
                                              GError           **error);
/* A new version of @form's text in @language (a new form when no form has
 * that name), written by the signed-in person: MANAGE. @version: its
 * number. */
gboolean     meso_store_edit_consent_form    (MesoStore         *self,
                                              const char        *form,
                                              const char        *language,
                                              const char        *body,
                                              gint64            *version,
                                              GError           **error);
/* Takes @patient_id's consent on version @version of @form in @language
 * (NULL as in meso_store_get_consent_text()) — the text the patient read;
 * 0: the latest (NOT_FOUND for a version there is not), signed on
 * @signed_on (not after today), on screen with @signature (a PNG image, at
 * most MESO_CONSENT_SIGNATURE_MAX_BYTES; INVALID otherwise) or on paper
 * (@signature NULL); the signed-in person took it: TREAT. @id: the new
 * consent's. */
gboolean     meso_store_add_consent          (MesoStore         *self,
                                              gint64             patient_id,
                                              const char        *form,
                                              const char        *language,
                                              gint64             version,
                                              const GDate       *signed_on,
                                              GBytes            *signature,
                                              gint64            *id,
                                              GError           **error);
/* @patient_id's consents, newest first (by signing day, then id):
 * MesoConsent. NOT_FOUND when there is no such patient. */
GPtrArray   *meso_store_list_consents        (MesoStore         *self,
                                              gint64             patient_id,
                                              GError           **error);
/* Revokes consent @id from @revoked_on (not before it was signed, not
 * after today; a session on that day is no longer covered) with a written
 * @reason, by the signed-in person: TREAT. A signed consent is never
 * changed otherwise; revoked once, INVALID the second time. */
gboolean     meso_store_revoke_consent       (MesoStore         *self,
                                              gint64             id,
                                              const GDate       *revoked_on,
                                              const char        *reason,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoConsentText, meso_consent_text_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoConsent, meso_consent_free)

/* ---- before/after photos (issue 18) ---- */
/* A photo's record: what a list shows (no image bytes). */
typedef struct
{
  gint64         id;
  gint64         session_id;
  gint64         patient_id;
  MesoPhotoKind  kind;
  MesoArea       area;
  gint64         taken_at;   /* Unix seconds: the session's time */
  int            width;      /* upright */
  int            height;
  char          *format;     /* "jpeg" or "png" */
  char          *added_by;   /* the staff member (the OS user without accounts) */
  gint64         added_at;   /* Unix seconds */
  GBytes        *thumbnail;  /* JPEG; NULL where the call did not read it */
} MesoPhoto;
void         meso_photo_free                 (MesoPhoto         *photo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoPhoto, meso_photo_free)
/* The area a photo gets when none is given: its session's. */
#define MESO_PHOTO_AREA_OF_SESSION (-1)
/* Stores @image (made by meso_photo_import_*(): only pixels, upright) as a
 * photo of session @session_id, taken at the session's time, of @area (a
 * MesoArea, or MESO_PHOTO_AREA_OF_SESSION). TREAT. The new photo, with its
 * thumbnail; NULL and NOT_FOUND for no such session. */
MesoPhoto   *meso_store_add_photo            (MesoStore            *self,
                                              gint64                session_id,
                                              MesoPhotoKind         kind,
                                              int                   area,
                                              const MesoPhotoImage *image,
                                              GError              **error);
/* A patient's photos, oldest first (by the session's time, then as
 * added), @limit from @offset (0: all), each with its thumbnail and never
 * the image; NOT_FOUND for no such patient. TREAT. */
GPtrArray   *meso_store_list_photos          (MesoStore         *self,
                                              gint64             patient_id,
                                              guint              offset,
                                              guint              limit,
                                              GError           **error);
/* The same photos, each handed to @func as it is read (streamed: a list
 * of thousands in little memory); with its thumbnail only if
 * @thumbnails. @photo is valid only during the call. */
typedef void (*MesoPhotoFunc) (const MesoPhoto *photo,
                               gpointer         user_data);
gboolean     meso_store_foreach_photo        (MesoStore         *self,
                                              gint64             patient_id,
                                              gboolean           thumbnails,
                                              MesoPhotoFunc      func,
                                              gpointer           user_data,
                                              GError           **error);
/* How many photos a patient has (a grid's size before its pages). */
gboolean     meso_store_count_photos         (MesoStore         *self,
                                              gint64             patient_id,
                                              guint             *count,
                                              GError           **error);
/* Photo @id's image as stored (JPEG or PNG); its record in @photo (NULL:
 * not wanted; without thumbnail). NOT_FOUND for no such photo. TREAT. */
GBytes      *meso_store_load_photo           (MesoStore         *self,
                                              gint64             id,
                                              MesoPhoto        **photo,
                                              GError           **error);

/* ---- the patient's own copy (GDPR Art. 15 and 20) ---- */
#define MESO_PATIENT_EXPORT_FORMAT "mesodesk-patient-export"
#define MESO_PATIENT_EXPORT_VERSION 1
/* Writes everything kept about patient @patient_id to @out as one JSON
 * document (UTF-8; the sections and fields in README, "The patient's own
 * copy"), read in one snapshot of the database, a record at a time. A
 * manager's (MESO_PERMISSION_MANAGE); NOT_FOUND, with nothing written, for
 * no such patient. Writing fails with @out's GIOError, and with
 * G_IO_ERROR_CANCELLED when @cancellable is; @out is flushed, not closed. */
gboolean     meso_store_export_patient       (MesoStore         *self,
                                              gint64             patient_id,
                                              GOutputStream     *out,
                                              GCancellable      *cancellable,
                                              GError           **error);

/* ---- the audit log ---- */
typedef struct
{
  gint64  id;
  char   *at;        /* UTC, ISO 8601 */
  char   *actor;     /* who: the OS user (the staff member once people sign in) */
  char   *os_user;   /* the system user, and the computer (schema 10; NULL before) */
  char   *host;
  char   *table;
  gint64  row_id;
  char   *action;    /* insert, update, delete */
  char   *changes;   /* JSON */
} MesoAuditEntry;
void         meso_audit_entry_free           (MesoAuditEntry    *entry);
GPtrArray   *meso_store_list_audit           (MesoStore         *self,
                                              const char        *table,
                                              gint64             row_id,
                                              GError           **error);
/* The same entries, oldest first, each handed to @func as it is read; @entry
 * and its strings are valid only during the call. */
typedef void (*MesoAuditFunc) (const MesoAuditEntry *entry,
                               gpointer              user_data);
gboolean     meso_store_foreach_audit        (MesoStore         *self,
                                              const char        *table,
                                              gint64             row_id,
                                              MesoAuditFunc      func,
                                              gpointer           user_data,
                                              GError           **error);

/* Whether the audit log is as Mesodesk wrote it: each entry's SHA-256 over
 * the one before it and its own content (see HACKING.md, "The audit log's
 * chain"), every audit trigger there. */
typedef struct
{
  gboolean  sound;
  gint64    entries;    /* entries that matched, in the chain's order */
  char     *last_hash;  /* the last of them's, hex; NULL for an empty log */
  gint64    bad_id;     /* the first entry that does not match; 0: none, or no entry's */
  char     *problem;    /* people's words; NULL when sound */
} MesoAuditVerification;
void         meso_audit_verification_clear   (MesoAuditVerification *result);
/* Reads the whole log in the chain's order, in constant memory. FALSE only
 * when it could not be read; a log that does not match is TRUE with
 * @result->sound FALSE. */
gboolean     meso_store_verify_audit         (MesoStore              *self,
                                              MesoAuditVerification  *result,
                                              GError                **error);

/* ---- maintenance ---- */
/* Integrity check; FALSE with MESO_STORE_ERROR_CORRUPT naming the damage. */
gboolean     meso_store_check                (MesoStore         *self,
                                              GError           **error);
/* A consistent copy while others keep working (SQLite's online backup);
 * a copy that fails the integrity check (the database is damaged) is not
 * written: MESO_STORE_ERROR_CORRUPT. */
gboolean     meso_store_backup               (MesoStore         *self,
                                              const char        *destination,
                                              GError           **error);

/* FALSE (MESO_STORE_ERROR_INVALID) when @destination is @self's database
 * file itself, by another name too: a backup renamed over it would replace
 * the database under every program that has it open. The window asks it of
 * the file a person chose before writing there; meso_store_backup_full()
 * asks it too. */
gboolean     meso_store_check_backup_target  (MesoStore         *self,
                                              const char        *destination,
                                              GError           **error);

/* Told now and then how far a long job is, from 0 to 1, on the thread that
 * runs it. */
typedef void (*MesoProgressFunc) (double   fraction,
                                  gpointer user_data);

/* meso_store_backup() with progress; when @cancellable is cancelled it stops,
 * writes nothing at @destination, and fails with G_IO_ERROR_CANCELLED. */
gboolean     meso_store_backup_full          (MesoStore         *self,
                                              const char        *destination,
                                              MesoProgressFunc   progress,
                                              gpointer           user_data,
                                              GCancellable      *cancellable,
                                              GError           **error);

/* Replaces the records of the database at @destination with those of
 * @backup, after checking that it is a sound Mesodesk database (integrity,
 * a known schema version). The database is written in place, in one
 * transaction, so programs that have it open see the backup's records; the
 * replaced ones are first copied aside, that copy's name returned in
 * @kept_aside (NULL when there was no database). @backup may not be the
 * database file itself (MESO_STORE_ERROR_INVALID). */
gboolean     meso_store_restore              (const char        *backup,
                                              const char        *destination,
                                              char             **kept_aside,
                                              GError           **error);

/* ---- moving a clinic ---- */
/* How far a copy is: @done of @total rows, on the thread that runs it. */
typedef void (*MesoTransferProgressFunc) (gint64   done,
                                          gint64   total,
                                          gpointer user_data);

/* One table's rows in a copy; @table is a static string. */
typedef struct
{
  const char *table;
  gint64      rows;
} MesoTableCount;

/* Copies every record of @self (each table, the audit log, the record
 * numbers) into the empty database @target names (a new or empty SQLite
 * file, or a clinic server: see meso_store_open()), in one transaction
 * there, and checks that every table holds as many rows as @self's; on any
 * failure, or when @cancellable is cancelled (G_IO_ERROR_CANCELLED), the
 * target is left empty. MESO_STORE_ERROR_INVALID when @target holds
 * records or is @self's database itself. Returns a new array of
 * MesoTableCount, or NULL. */
GArray      *meso_store_transfer             (MesoStore                 *self,
                                              const char                *target,
                                              MesoTransferProgressFunc   progress,
                                              gpointer                   user_data,
                                              GCancellable              *cancellable,
                                              GError                   **error);

typedef enum
{
  MESO_RESTORE_NONE = 0,
  /* A clinic server that holds records: replace them all (on a file they
   * are always replaced, and kept aside). */
  MESO_RESTORE_REPLACE = 1 << 0,
} MesoRestoreFlags;

/* meso_store_restore() with @flags. Into a clinic server, @backup's
 * records are copied (meso_store_transfer()) in one transaction; a server
 * that holds records is refused (MESO_STORE_ERROR_INVALID) unless
 * MESO_RESTORE_REPLACE, and its audit log is then the backup's, with an
 * entry saying who restored which backup when. Nothing is kept aside there
 * (@kept_aside NULL): back it up first.
 * Where the database being replaced has accounts, only a manager may
 * restore: @signed_in is who the caller signed in as on that database
 * (meso_store_get_ticket()), NULL for nobody (NOT_ALLOWED there). A
 * database that does not open (missing, damaged) has no accounts to ask.
 * meso_store_restore() passes NULL: for a clinic without accounts. */
gboolean     meso_store_restore_full         (const char        *backup,
                                              const char        *destination,
                                              MesoRestoreFlags   flags,
                                              const MesoStaffTicket *signed_in,
                                              char             **kept_aside,
                                              GError           **error);

/* Fills the database with @n_patients deterministic, realistic patients
 * (several years of sessions, appointments, flags, some sensitive skin).
 * The same @seed gives the same data. Refused on a database with patients. */
gboolean     meso_store_generate_demo        (MesoStore         *self,
                                              guint              n_patients,
                                              guint32            seed,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoAuditEntry, meso_audit_entry_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MesoAuditVerification, meso_audit_verification_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MesoClinicInfo, meso_clinic_info_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoReminder, meso_reminder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoContact, meso_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoResource, meso_resource_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoStaffMember, meso_staff_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoStaffTicket, meso_staff_ticket_free)

/* Whether a session of @patient_id on @area (-1: not chosen yet) may
 * fulfil @appointment: the patient's own, of that area, still booked or
 * checked in. FALSE with MESO_STORE_ERROR_INVALID saying why. Recording a
 * session checks it; the session dialog asks it before it opens. */
gboolean     meso_store_check_fulfils   (MesoAppointment  *appointment,
                                         gint64            patient_id,
                                         int               area,
                                         GError          **error);

G_END_DECLS
