/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: the aftercare panel's and the recall list's rows (R4). The SQL
 * only narrows down the candidates through indexes; which instruction is
 * active, and who is due or overdue, is decided by meso-rules, row by row.
 *
 * Two sources, one implementation for the full list, the panel's section
 * counts and its pages:
 *  - the instructions of the first days (no water, sun protection) of every
 *    session of the last few days: few rows, read through sessions_at, each
 *    judged by the rules, counted and ordered here;
 *  - the sections of the courses table (moisturise, follow-up due, overdue),
 *    one statement each, whose conditions are exactly the rules' for a
 *    course (in julian days and Unix times, see each statement): the same
 *    conditions give a section's count (SELECT count(*)) and, through an
 *    index in the section's order, its pages (LIMIT, OFFSET). The rules still
 *    judge each row read; tests/test-reminders.c proves on generated data
 *    that they never disagree and that nothing is left out. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <stddef.h>
#include <string.h>

/* A day's full list on a large clinic holds tens of thousands of
 * reminders: they are carved out of blocks of up to 64 kB, one allocation
 * per block instead of one per reminder (malloc and free took a sixth of
 * the list's time). Each reminder, its name after it, follows a header
 * that points to its block; the block goes with the last of them. */
typedef struct
{
  gint  ref_count;   /* its reminders, and one while it is being filled */
  gsize size;        /* of the space after the header */
  gsize used;
} ReminderBlock;

typedef union
{
  ReminderBlock *block;
  max_align_t    align;
} ReminderHeader;

#define REMINDER_ALIGN(n) \
  (((n) + G_ALIGNOF (max_align_t) - 1) & ~(gsize)(G_ALIGNOF (max_align_t) - 1))
#define REMINDER_BLOCK_HEADER REMINDER_ALIGN (sizeof (ReminderBlock))
#define REMINDER_BLOCK_FIRST  (4 * 1024)
#define REMINDER_BLOCK_LARGEST (64 * 1024)

static void
reminder_block_unref (ReminderBlock *block)
{
  if (g_atomic_int_dec_and_test (&block->ref_count))
    g_free (block);
}

void
meso_reminder_free (MesoReminder *reminder)
{
  if (reminder != NULL)
    reminder_block_unref (((ReminderHeader *)reminder - 1)->block);
}

GDateTime *
meso_reminder_dup_session_at (const MesoReminder *reminder)
{
  g_return_val_if_fail (reminder != NULL, NULL);
  return meso_date_time_new_from_unix (reminder->session_at);
}

GDateTime *
meso_reminder_dup_from (const MesoReminder *reminder)
{
  g_return_val_if_fail (reminder != NULL, NULL);
  return meso_date_time_new_from_unix (reminder->from);
}

GDateTime *
meso_reminder_dup_until (const MesoReminder *reminder)
{
  g_return_val_if_fail (reminder != NULL, NULL);
  if (reminder->until == MESO_REMINDER_NO_END)
    return NULL;
  return meso_date_time_new_from_unix (reminder->until);
}

void
meso_reminder_get_days (const MesoReminder *reminder,
                        GDate              *first,
                        GDate              *last)
{
  g_autoptr(GDateTime) from = NULL;

  g_return_if_fail (reminder != NULL && first != NULL && last != NULL);

  from = meso_reminder_dup_from (reminder);
  meso_date_from_date_time (from, first);
  g_date_clear (last, 1);
  if (reminder->until != MESO_REMINDER_NO_END)
    {
      /* until is exclusive: the span's last day is the one before it ends. */
      g_autoptr(GDateTime) end = meso_date_time_new_from_unix (reminder->until - 1);

      meso_date_from_date_time (end, last);
    }
}

/* ============================================================ the SQL */

/* The parameters every statement below shares (meso_store_reminders_parameters):
 * ?1 the day (julian), ?2 its local midnight and ?3 the next one (Unix),
 * ?4 the last day a window may open for its follow-up to be listed (julian),
 * ?5 the earliest a listed moisturiser's course can sort (Unix), ?6 the
 * earliest session whose first instructions can last into the day (Unix),
 * ?7 the latest an overdue course's last session can be (Unix), ?8 the
 * latest day a listed follow-up's window can close (julian), ?9 the first
 * day a window may have closed on for its patient to be overdue rather than
 * lapsed (julian: the policy's lapsed_months before the day); the pages add
 * ?10 LIMIT (-1: all) and ?11 OFFSET. ?5, ?7 and ?8 only bound the scan of
 * a section's index: they let through more than the section holds, never
 * less, and the exact conditions beside them decide. */

/* The area's next appointment, from its course (by its key): a row of
 * today's aftercare shows it instead of offering to book. */
#define RECENT_BOOKED \
  "(SELECT c.next_at FROM courses c WHERE c.patient_id = s.patient_id AND c.area = s.area)"

/* Today's aftercare: sessions of the last few days, from sessions_at
 * (at, patient_id, area) alone. "+p.archived": the unary plus keeps SQLite from reading every patient
 * through patients_sort (archived, …), its guess without statistics. */
static const char recent_sql[] =
  "SELECT p.id, p.name, p.sensitive_skin, s.area, s.id, s.at, p.phone, " RECENT_BOOKED " "
  "FROM sessions s JOIN patients p ON p.id = s.patient_id "
  "WHERE s.at >= ?6 AND s.at < ?3 AND +p.archived = 0";

/* A course as of the day: its last session happened by the day's end
 * (the unary plus: not a range for courses_overdue (last_at, …), which
 * SQLite would otherwise prefer to each section's own index). */
#define COURSE_ON_DAY "c.archived = 0 AND +c.last_at < ?3"

/* Moisturise (R4: from the session until the next one), listed until the
 * follow-up window closes, when the recall list takes over: the session
 * began before the day ended, the next one (if booked) begins after the day
 * began, and the day is not after the window's last day. ?5 only lets the
 * scan of courses_moisturise start late enough: a course whose window is
 * still open had its last session at most the longest window ago (two days
 * of margin for a time zone changed since). */
#define MOISTURISE_WHERE \
  COURSE_ON_DAY " AND coalesce (c.next_at, c.last_at) >= ?5 AND c.closes_day >= ?1 " \
  "AND (c.next_at IS NULL OR c.next_at > ?2)"
/* The order of compare_reminders(): by when it ends (the next session) or,
 * open-ended, begins. */
#define MOISTURISE_ORDER \
  "coalesce (c.next_at, c.last_at), c.patient_id, c.last_session_id"

/* meso_rules_recall_status_in_window(): nothing booked, neither finished
 * nor declined, and the day no later than the window's last one but at most
 * due_soon_days before its first; overdue after its last. */
#define RECALL_OPEN "c.recall = 'active' AND c.next_at IS NULL AND " COURSE_ON_DAY
#define DUE_WHERE \
  RECALL_OPEN " AND c.closes_day >= ?1 AND c.opens_day <= ?4 AND c.closes_day <= ?8"
#define DUE_ORDER "c.closes_day, c.patient_id, c.last_session_id"
#define OVERDUE_WHERE RECALL_OPEN " AND c.closes_day < ?1"
/* The aftercare panel splits the overdue at ?9: those whose window closed
 * longer ago than the policy's lapsed_months are lapsed, listed apart. */
#define RECENTLY_OVERDUE_WHERE OVERDUE_WHERE " AND c.closes_day >= ?9"
#define LAPSED_WHERE RECALL_OPEN " AND c.closes_day < ?9"
/* The most recently overdue first: whose window closed last (the rules'
 * close day, sensitive skin's own), read backwards through courses_due;
 * ties by name. The desk calls from the top, and those lapsed for years are
 * the least likely to come back. */
#define OVERDUE_ORDER "c.closes_day DESC, c.name, c.patient_id, c.last_session_id"

/* A section's count; all of it, in its order; and one page of it: each
 * straight from the section's index, which holds the patient's name and
 * skin type too (schema version 3), so no patient is looked up. Columns 0–5
 * as recent_sql's, then what the section's rule needs besides: for the
 * moisturiser the next session (6) and the window's last day (7); for the
 * recall sections the window (6, 7), their next session and recall state
 * being fixed by RECALL_OPEN (nothing booked, 'active'). Each column read
 * is work on every one of tens of thousands of rows. */
#define COURSE_FIRST_COLUMNS \
  "c.patient_id, c.name, c.sensitive_skin, c.area, c.last_session_id, c.last_at, "
#define MOISTURISE_COLUMNS COURSE_FIRST_COLUMNS "c.next_at, c.closes_day"
/* The phone (8) by the patient's key, for the page's few rows: the call list's
 * number, which the courses do not copy. For a full list too: each lookup
 * is one index probe inside the same statement, no round trip, and a join
 * instead made the server hash all the patients (a sequential scan of
 * 100 000) and sort again, about 1.5 times slower for the ~9 000 due and
 * overdue of the 100 000-patient demo (issue 15, measured under load).
 * Cheaper would be the phone in patients_aftercare's INCLUDE (a migration)
 * or copied into the courses as the name is. */
#define RECALL_COLUMNS COURSE_FIRST_COLUMNS "c.opens_day, c.closes_day, " \
  "(SELECT p.phone FROM patients p WHERE p.id = c.patient_id)"
#define COURSE_COUNT(where) "SELECT count(*) FROM courses c WHERE " where
#define COURSE_ALL(columns, where, order) \
  "SELECT " columns " FROM courses c WHERE " where " ORDER BY " order
#define COURSE_PAGE(columns, where, order) \
  COURSE_ALL (columns, where, order) " LIMIT ?10 OFFSET ?11"

static const char moisturise_count_sql[] = COURSE_COUNT (MOISTURISE_WHERE);
static const char due_count_sql[] = COURSE_COUNT (DUE_WHERE);
static const char overdue_count_sql[] = COURSE_COUNT (OVERDUE_WHERE);
static const char moisturise_all_sql[] =
  COURSE_ALL (MOISTURISE_COLUMNS, MOISTURISE_WHERE, MOISTURISE_ORDER);
static const char due_all_sql[] = COURSE_ALL (RECALL_COLUMNS, DUE_WHERE, DUE_ORDER);
static const char overdue_all_sql[] = COURSE_ALL (RECALL_COLUMNS, OVERDUE_WHERE, OVERDUE_ORDER);
static const char moisturise_page_sql[] =
  COURSE_PAGE (MOISTURISE_COLUMNS, MOISTURISE_WHERE, MOISTURISE_ORDER);
static const char due_page_sql[] = COURSE_PAGE (RECALL_COLUMNS, DUE_WHERE, DUE_ORDER);
static const char overdue_page_sql[] =
  COURSE_PAGE (RECALL_COLUMNS, OVERDUE_WHERE, OVERDUE_ORDER);
static const char recently_overdue_count_sql[] = COURSE_COUNT (RECENTLY_OVERDUE_WHERE);
static const char recently_overdue_all_sql[] =
  COURSE_ALL (RECALL_COLUMNS, RECENTLY_OVERDUE_WHERE, OVERDUE_ORDER);
static const char recently_overdue_page_sql[] =
  COURSE_PAGE (RECALL_COLUMNS, RECENTLY_OVERDUE_WHERE, OVERDUE_ORDER);
static const char lapsed_count_sql[] = COURSE_COUNT (LAPSED_WHERE);
static const char lapsed_all_sql[] = COURSE_ALL (RECALL_COLUMNS, LAPSED_WHERE, OVERDUE_ORDER);
static const char lapsed_page_sql[] = COURSE_PAGE (RECALL_COLUMNS, LAPSED_WHERE, OVERDUE_ORDER);

typedef struct
{
  const char        *name;   /* for meso_store_sql_for() */
  MesoAftercareKind  kind;   /* of its reminders */
  const char        *count;
  const char        *all;
  const char        *page;
} CourseSection;

/* Indexed by the kind of the full list's sections; the panel's split of the
 * overdue after them. */
#define COURSES_RECENTLY_OVERDUE (MESO_AFTERCARE_OVERDUE + 1)
#define COURSES_LAPSED           (MESO_AFTERCARE_OVERDUE + 2)

static const CourseSection course_sections[] = {
  [MESO_AFTERCARE_MOISTURISE] = { "moisturise", MESO_AFTERCARE_MOISTURISE, moisturise_count_sql,
                                  moisturise_all_sql, moisturise_page_sql },
  [MESO_AFTERCARE_FOLLOW_UP_DUE] = { "due", MESO_AFTERCARE_FOLLOW_UP_DUE, due_count_sql,
                                     due_all_sql, due_page_sql },
  [MESO_AFTERCARE_OVERDUE] = { "overdue", MESO_AFTERCARE_OVERDUE, overdue_count_sql,
                               overdue_all_sql, overdue_page_sql },
  [COURSES_RECENTLY_OVERDUE] = { "recently-overdue", MESO_AFTERCARE_OVERDUE,
                                 recently_overdue_count_sql, recently_overdue_all_sql,
                                 recently_overdue_page_sql },
  [COURSES_LAPSED] = { "lapsed", MESO_AFTERCARE_OVERDUE, lapsed_count_sql, lapsed_all_sql,
                       lapsed_page_sql },
};

#define N_PARAMETERS MESO_STORE_REMINDERS_N_PARAMETERS

static gboolean
is_course_kind (MesoAftercareKind kind)
{
  return kind == MESO_AFTERCARE_MOISTURISE || kind == MESO_AFTERCARE_FOLLOW_UP_DUE ||
         kind == MESO_AFTERCARE_OVERDUE;
}

/* ============================================================ the day */

/* The rules' follow-up row of a window, in Unix seconds. */
typedef struct
{
  gint64 from;
  gint64 until;
} FollowUp;

typedef struct
{
  MesoStore  *store;
  MesoPolicy  policy;
  GDate       day;
  GDateTime  *start;   /* the day's local midnight */
  GDateTime  *end;     /* the next day's */
  GDateTime  *epoch;   /* Unix time 0 in the local zone */
  gint64      parameters[N_PARAMETERS];
  GEnumClass *areas;
  GEnumValue *area_by_first_byte[256];  /* for area_value() */
  GHashTable *follow_ups;  /* window (opens << 32 | closes) → FollowUp */
  gint64      last_follow_up_key;      /* day_follow_up()'s last answer */
  const FollowUp *last_follow_up;
  ReminderBlock *block;                /* the reminders made are carved from */
  gboolean    streamed;  /* rows handed on as read (meso_store_foreach_reminder()) */
} Day;

static void
day_clear (Day *d)
{
  g_clear_pointer (&d->start, g_date_time_unref);
  g_clear_pointer (&d->end, g_date_time_unref);
  g_clear_pointer (&d->epoch, g_date_time_unref);
  g_clear_pointer (&d->areas, g_type_class_unref);
  g_clear_pointer (&d->follow_ups, g_hash_table_unref);
  g_clear_pointer (&d->block, reminder_block_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Day, day_clear)

static gboolean
day_init (Day          *d,
          MesoStore    *self,
          const GDate  *day,
          GError      **error)
{
  g_autoptr(GDateTime) moisturise_from = NULL;
  g_autoptr(GDateTime) recent_from = NULL;
  g_autoptr(GDateTime) overdue_before = NULL;
  GDate next_day, lapsed_from;
  int shortest_max, longest_span;

  memset (d, 0, sizeof *d);
  d->store = self;
  /* A day typed or picked: an answer, never an assertion. */
  if (!meso_store_check_date (MESO_DATE_QUERY, day, error) ||
      !meso_store_load_policy (self, &d->policy, error))
    return FALSE;

  d->day = *day;
  next_day = *day;
  g_date_add_days (&next_day, 1);
  d->start = meso_date_time_from_date (day);
  d->end = meso_date_time_from_date (&next_day);
  /* Far enough back for the longest of the first instructions, in calendar
   * days, plus one for the hours of the first one. */
  recent_from = g_date_time_add_days (d->start,
                                      -(int)(MAX (d->policy.sun_protection_days,
                                                  d->policy.no_water_hours / 24) + 1));
  moisturise_from = g_date_time_add_days (d->start,
                                          -(int)(MAX (d->policy.interval_max_days,
                                                      d->policy.sensitive_max_days) + 2));

  d->parameters[0] = g_date_get_julian (day);
  d->parameters[1] = g_date_time_to_unix (d->start);
  d->parameters[2] = g_date_time_to_unix (d->end);
  d->parameters[3] = (gint64)g_date_get_julian (day) + d->policy.due_soon_days;
  d->parameters[4] = g_date_time_to_unix (moisturise_from);
  d->parameters[5] = g_date_time_to_unix (recent_from);
  /* Overdue: the last session's day plus the longest interval is before
   * the day, so that day is at least the shorter of the two longest
   * intervals before it (two days of margin, as above). Due: the window
   * opens by ?4, so it closes at most the longer window's span after. */
  shortest_max = (int)MIN (meso_policy_max_days (&d->policy, FALSE),
                           meso_policy_max_days (&d->policy, TRUE));
  longest_span = MAX ((int)meso_policy_max_days (&d->policy, FALSE) -
                        (int)meso_policy_min_days (&d->policy, FALSE),
                      (int)meso_policy_max_days (&d->policy, TRUE) -
                        (int)meso_policy_min_days (&d->policy, TRUE));
  overdue_before = g_date_time_add_days (d->start, -shortest_max + 2);
  d->parameters[6] = g_date_time_to_unix (overdue_before);
  d->parameters[7] = d->parameters[3] + longest_span;
  lapsed_from = *day;
  g_date_subtract_months (&lapsed_from, d->policy.lapsed_months);
  d->parameters[8] = g_date_get_julian (&lapsed_from);
  d->epoch = meso_date_time_new_from_unix (0);
  d->areas = g_type_class_ref (MESO_TYPE_AREA);
  /* Each area under its nick's first byte: a guess area_value() checks. */
  for (guint i = 0; i < d->areas->n_values; i++)
    {
      GEnumValue *value = &d->areas->values[i];
      guchar first = (guchar)value->value_nick[0];

      if (d->area_by_first_byte[first] == NULL)
        d->area_by_first_byte[first] = value;
    }
  d->follow_ups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  return TRUE;
}

/* meso_date_time_new_from_unix() for row after row: the same instant in the
 * same zone (GLib converts both ways through the instant), at one
 * allocation instead of two and without looking the zone up each time.
 * NULL outside GDateTime's years 1–9999. */
static gboolean
is_date_time (gint64 seconds)
{
  return seconds >= G_GINT64_CONSTANT (-62135596800) &&
         seconds <= G_GINT64_CONSTANT (253402300799);
}

static GDateTime *
day_time_from_unix (Day    *d,
                    gint64  seconds)
{
  if (!is_date_time (seconds))
    return NULL;
  return g_date_time_add (d->epoch, seconds * G_TIME_SPAN_SECOND);
}

/* The area of a nick read from a row: one comparison where
 * g_enum_get_value_by_nick() makes up to six, row after row. */
static MesoArea
area_value (Day        *d,
            const char *nick)
{
  GEnumValue *value;

  if (nick == NULL)
    return MESO_AREA_FACE;
  value = d->area_by_first_byte[(guchar)nick[0]];
  if (value == NULL || strcmp (value->value_nick, nick) != 0)
    value = g_enum_get_value_by_nick (d->areas, nick);
  return value != NULL ? (MesoArea)value->value : MESO_AREA_FACE;
}

/* The rules' follow-up row of a window of julian days, made once per
 * window for the many courses that share it (rows in the sections' orders
 * come in runs of the same window: the last one is looked at first). */
static const FollowUp *
day_follow_up (Day     *d,
               guint32  opens,
               guint32  closes)
{
  gint64 key = (gint64)opens << 32 | closes;
  FollowUp *made;

  if (d->last_follow_up != NULL && d->last_follow_up_key == key)
    return d->last_follow_up;
  made = g_hash_table_lookup (d->follow_ups, &key);
  if (made == NULL)
    {
      g_auto(MesoAftercareItem) item = { 0 };
      GDate opens_date, closes_date;

      g_date_clear (&opens_date, 1);
      g_date_clear (&closes_date, 1);
      g_date_set_julian (&opens_date, opens);
      g_date_set_julian (&closes_date, closes);
      meso_rules_follow_up_item (&opens_date, &closes_date, &item);
      made = g_new (FollowUp, 1);
      made->from = g_date_time_to_unix (item.from);
      made->until = g_date_time_to_unix (item.until);
      g_hash_table_insert (d->follow_ups, g_memdup2 (&key, sizeof key), made);
    }
  d->last_follow_up_key = key;
  d->last_follow_up = made;
  return made;
}

static MesoDbStmt *
day_prepare (Day         *d,
             const char  *sql,
             GError     **error)
{
  MesoDbStmt *stmt = meso_store_prepare (d->store, sql, error);

  if (stmt == NULL)
    return NULL;
  if (d->streamed)
    meso_db_stream (stmt);
  /* All of them: a statement ignores the numbers it does not use. */
  for (int i = 0; i < N_PARAMETERS; i++)
    meso_db_bind_int64 (stmt, i + 1, d->parameters[i]);
  return stmt;
}

/* ============================================================ the rows */

/* Room for a reminder with @strings_len bytes of strings after it (each
 * with its nul), from the block being filled or a new one (each new one
 * twice as large, up to the largest). */
static MesoReminder *
day_alloc_reminder (Day   *d,
                    gsize  strings_len)
{
  gsize need = REMINDER_ALIGN (sizeof (ReminderHeader) + sizeof (MesoReminder) + strings_len);
  ReminderBlock *block = d->block;
  ReminderHeader *header;

  if (block == NULL || block->size - block->used < need)
    {
      gsize size = block == NULL ? REMINDER_BLOCK_FIRST
                                 : MIN (block->size * 2, REMINDER_BLOCK_LARGEST);

      g_clear_pointer (&d->block, reminder_block_unref);
      size = MAX (size, need);
      block = g_malloc (REMINDER_BLOCK_HEADER + size);
      block->ref_count = 1;
      block->size = size;
      block->used = 0;
      d->block = block;
    }
  header = (ReminderHeader *)((char *)block + REMINDER_BLOCK_HEADER + block->used);
  block->used += need;
  header->block = block;
  g_atomic_int_inc (&block->ref_count);
  return (MesoReminder *)(header + 1);
}

/* Columns 0–5 of both kinds of statement: patient id, name, sensitive,
 * area, session id, session time; the phone from column @phone_column and
 * the next appointment from @booked_column (-1: none read); the rules' row
 * from @from until @until (MESO_REMINDER_NO_END: the next session). */
static MesoReminder *
reminder_new (Day               *d,
              MesoDbStmt        *stmt,
              MesoAftercareKind  kind,
              int                phone_column,
              int                booked_column,
              gint64             from,
              gint64             until)
{
  const char *name = meso_db_column_text (stmt, 1);
  const char *phone = phone_column >= 0 ? meso_db_column_text (stmt, phone_column) : NULL;
  gsize name_len = name != NULL ? strlen (name) : 0;
  gsize phone_len = phone != NULL && phone[0] != '\0' ? strlen (phone) : 0;
  MesoReminder *reminder = day_alloc_reminder (d, name_len + 1 + (phone_len > 0 ? phone_len + 1
                                                                                 : 0));
  char *stored_name = (char *)(reminder + 1);

  if (name_len > 0)
    memcpy (stored_name, name, name_len);
  stored_name[name_len] = '\0';
  reminder->phone = NULL;
  if (phone_len > 0)
    {
      char *stored_phone = stored_name + name_len + 1;

      memcpy (stored_phone, phone, phone_len);
      stored_phone[phone_len] = '\0';
      reminder->phone = stored_phone;
    }
  reminder->booked_at = 0;
  reminder->sun_protection_until = 0;
  if (booked_column >= 0 && !meso_db_column_is_null (stmt, booked_column))
    {
      gint64 booked = meso_db_column_int64 (stmt, booked_column);

      reminder->booked_at = is_date_time (booked) && booked != 0 ? booked : 0;
    }
  reminder->patient_id = meso_db_column_int64 (stmt, 0);
  reminder->patient = stored_name;
  reminder->sensitive_skin = meso_db_column_int (stmt, 2) != 0;
  reminder->kind = kind;
  reminder->session_id = meso_db_column_int64 (stmt, 4);
  reminder->area = area_value (d, meso_db_column_text (stmt, 3));
  reminder->session_at = meso_db_column_int64 (stmt, 5);
  reminder->from = from;
  reminder->until = until;
  return reminder;
}

static MesoReminder *
reminder_new_for_item (Day                     *d,
                       MesoDbStmt              *stmt,
                       MesoAftercareKind        kind,
                       const MesoAftercareItem *item)
{
  /* recent_sql's phone (6) and the area's next appointment (7). */
  return reminder_new (d, stmt, kind, 6, 7, g_date_time_to_unix (item->from),
                       item->until != NULL ? g_date_time_to_unix (item->until)
                                           : MESO_REMINDER_NO_END);
}

/* Ordered by kind; within one, the overdue whose window closed last first (then
 * by name), everything else
 * by when it ends or opens; then by patient and session, so the order is
 * total and the same however the rows were read. */
static int
compare_reminders (gconstpointer a,
                   gconstpointer b)
{
  const MesoReminder *x = *(const MesoReminder **)a;
  const MesoReminder *y = *(const MesoReminder **)b;
  gint64 tx, ty;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  if (x->kind == MESO_AFTERCARE_OVERDUE)
    {
      /* OVERDUE_ORDER: the window that closed last first, then by name. */
      int by_name;

      if (x->until != y->until)
        return x->until > y->until ? -1 : 1;
      by_name = strcmp (x->patient, y->patient);
      if (by_name != 0)
        return by_name < 0 ? -1 : 1;
    }
  else
    {
      tx = x->until != MESO_REMINDER_NO_END ? x->until : x->from;
      ty = y->until != MESO_REMINDER_NO_END ? y->until : y->from;
      if (tx != ty)
        return tx < ty ? -1 : 1;
    }
  if (x->patient_id != y->patient_id)
    return x->patient_id < y->patient_id ? -1 : 1;
  return x->session_id < y->session_id ? -1 : x->session_id > y->session_id;
}

/* The first days' instructions of the recent sessions. For each kind asked
 * for in @lists (not NULL there), the reminders, ordered; for each asked for
 * in @counts (TRUE in @count_kinds), how many. */
static gboolean
collect_recent (Day        *d,
                GPtrArray **lists,
                const gboolean *count_kinds,
                guint      *counts,
                GError    **error)
{
  static const MesoAftercareKind kinds[] = {
    MESO_AFTERCARE_NO_WATER, MESO_AFTERCARE_SUN_PROTECTION,
  };
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = day_prepare (d, meso_store_dialect (d->store, "reminders-recent",
                                                         recent_sql), error);

  if (stmt == NULL)
    return FALSE;

  while (meso_store_step_row (d->store, stmt, &local_error))
    {
      g_autoptr(GDateTime) at = day_time_from_unix (d, meso_db_column_int64 (stmt, 5));
      gboolean sensitive = meso_db_column_int (stmt, 2) != 0;

      if (at == NULL)
        continue;  /* not a time: nothing to remind of */

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          MesoAftercareKind kind = kinds[i];
          g_auto(MesoAftercareItem) item = { 0 };

          if ((lists == NULL || lists[kind] == NULL) && (count_kinds == NULL || !count_kinds[kind]))
            continue;
          meso_rules_aftercare_item (&d->policy, kind, sensitive, at, NULL, &item);
          if (!meso_aftercare_item_is_active_during (&item, d->start, d->end))
            continue;
          if (counts != NULL && count_kinds != NULL && count_kinds[kind])
            counts[kind]++;
          if (lists != NULL && lists[kind] != NULL)
            g_ptr_array_add (lists[kind], reminder_new_for_item (d, stmt, kind, &item));
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (lists != NULL && lists[kinds[i]] != NULL)
      g_ptr_array_sort (lists[kinds[i]], compare_reminders);
  return TRUE;
}

/* The key of a patient's area, for grouping. */
static gint64
patient_area_key (const MesoReminder *r)
{
  return r->patient_id * 16 + (gint64)r->area;
}

/* The panel's Today: one row per patient and area, whatever applies to it
 * today. A row for both first days' instructions is the no-water one, with
 * the sun protection's end beside it (sun_protection_until); a second
 * session of the same area (an override) folds into the first's row, which
 * then lasts as long as the later one. No water first, then sun protection
 * alone, each by when it ends, as the full list. */
static GPtrArray *
collect_today (Day     *d,
               GError **error)
{
  g_autoptr(GPtrArray) no_water = NULL;
  g_autoptr(GPtrArray) sun = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) by_area = NULL;
  GPtrArray *lists[MESO_AFTERCARE_OVERDUE + 1] = { NULL };
  GPtrArray *parts[2];

  no_water = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  sun = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  lists[MESO_AFTERCARE_NO_WATER] = no_water;
  lists[MESO_AFTERCARE_SUN_PROTECTION] = sun;
  if (!collect_recent (d, lists, NULL, NULL, error))
    return NULL;

  rows = g_ptr_array_new_full (no_water->len + sun->len, (GDestroyNotify)meso_reminder_free);
  by_area = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  parts[0] = no_water;
  parts[1] = sun;
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    for (guint i = 0; i < parts[p]->len; i++)
      {
        MesoReminder *r = g_steal_pointer (&parts[p]->pdata[i]);
        gint64 key = patient_area_key (r);
        MesoReminder *row = g_hash_table_lookup (by_area, &key);

        if (row == NULL)
          {
            g_hash_table_insert (by_area, g_memdup2 (&key, sizeof key), r);
            g_ptr_array_add (rows, r);
            continue;
          }
        if (r->kind == MESO_AFTERCARE_SUN_PROTECTION && row->kind == MESO_AFTERCARE_NO_WATER)
          row->sun_protection_until = MAX (row->sun_protection_until, r->until);
        else if (r->until > row->until)
          {
            /* The later session of the area: its row says when it ends. */
            row->until = r->until;
            row->session_id = r->session_id;
            row->session_at = r->session_at;
          }
        meso_reminder_free (r);
      }
  return g_steal_pointer (&rows);
}

/* A julian day number read from a row, FALSE when it is not one. */
static gboolean
julian_day (MesoDbStmt *stmt,
            int         column,
            guint32    *julian)
{
  gint64 value = meso_db_column_int64 (stmt, column);

  if (value <= 0 || value > G_MAXUINT32 || !g_date_valid_julian ((guint32)value))
    return FALSE;
  *julian = (guint32)value;
  return TRUE;
}

/* Where collect_courses() hands each reminder, which it then owns: an
 * array for a page, a caller's function for the whole list. */
typedef void (*ReminderSink) (MesoReminder *reminder,
                              gpointer      data);

static void
sink_into_array (MesoReminder *reminder,
                 gpointer      array)
{
  g_ptr_array_add (array, reminder);
}

/* One page of a section of the courses (from @offset on, all of it when
 * @limit is 0), handed to @sink in the section's order. */
static gboolean
collect_courses (Day                *d,
                 guint               section,
                 guint               offset,
                 guint               limit,
                 ReminderSink        sink,
                 gpointer            sink_data,
                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoAftercareKind kind;
  MesoDbStmt *stmt;

  g_assert (section < G_N_ELEMENTS (course_sections) && course_sections[section].name != NULL);
  kind = course_sections[section].kind;

  if (offset == 0 && limit == 0)
    stmt = day_prepare (d, course_sections[section].all, error);
  else
    {
      stmt = day_prepare (d, course_sections[section].page, error);
      if (stmt != NULL)
        {
          meso_db_bind_int64 (stmt, N_PARAMETERS + 1, limit == 0 ? -1 : (gint64)limit);
          meso_db_bind_int64 (stmt, N_PARAMETERS + 2, offset);
        }
    }
  if (stmt == NULL)
    return FALSE;

  while (meso_store_step_row (d->store, stmt, &local_error))
    {
      gboolean moisturise = kind == MESO_AFTERCARE_MOISTURISE;
      gint64 at_seconds = meso_db_column_int64 (stmt, 5);
      gboolean booked = moisturise && !meso_db_column_is_null (stmt, 6) &&
                        is_date_time (meso_db_column_int64 (stmt, 6));
      gint64 from = 0, until = MESO_REMINDER_NO_END;
      gboolean listed = FALSE;
      guint32 opens = 0, closes = 0;

      if (!is_date_time (at_seconds) || (!moisturise && !julian_day (stmt, 6, &opens)) ||
          !julian_day (stmt, 7, &closes))
        {
          g_warning ("Course of patient %" G_GINT64_FORMAT " skipped: its dates are damaged",
                     (gint64)meso_db_column_int64 (stmt, 0));
          continue;
        }

      /* The moisturiser's row is decided on instants, in Unix seconds (a
       * GDateTime for each of tens of thousands of rows costs a quarter
       * of the list); the recall on julian days. */
      if (moisturise)
        {
          gint64 next_seconds =
            booked ? meso_db_column_int64 (stmt, 6) : MESO_REMINDER_NO_END;

          /* Listed until the window closes; then the recall list takes over. */
          listed = meso_rules_moisturise_is_active_during (at_seconds, next_seconds,
                                                           d->parameters[1], d->parameters[2],
                                                           &from, &until) &&
                   (guint32)d->parameters[0] <= closes;
        }
      else
        {
          /* Nothing booked, neither finished nor declined: RECALL_OPEN. */
          MesoRecallStatus status =
            meso_rules_recall_status_in_julian_window (&d->policy, opens, closes, FALSE, FALSE,
                                                       FALSE, (guint32)d->parameters[0]);

          listed = status == (kind == MESO_AFTERCARE_OVERDUE ? MESO_RECALL_OVERDUE
                                                             : MESO_RECALL_DUE);
          if (listed)
            {
              const FollowUp *follow_up = day_follow_up (d, opens, closes);

              from = follow_up->from;
              until = follow_up->until;
            }
        }

      /* The statements' conditions are the rules', so this never happens
       * unless the two drift apart (which the tests catch by the counts). */
      if (!listed)
        {
          g_warning ("The %s section's SQL selected a course the rules do not list "
                     "(patient %" G_GINT64_FORMAT ", session %" G_GINT64_FORMAT ")",
                     course_sections[section].name, (gint64)meso_db_column_int64 (stmt, 0),
                     (gint64)meso_db_column_int64 (stmt, 4));
          continue;
        }
      /* Moisturise: its next session (6) is the booked one; the recall
       * sections have nothing booked, and their phone in column 8. */
      sink (moisturise ? reminder_new (d, stmt, kind, -1, 6, from, until)
                       : reminder_new (d, stmt, kind, 8, -1, from, until), sink_data);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_courses (Day                *d,
               guint               section,
               guint              *count,
               GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoDbStmt *stmt = day_prepare (d, course_sections[section].count, error);

  if (stmt == NULL)
    return FALSE;
  if (!meso_store_step_row (d->store, stmt, &local_error))
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_FAILED,
                             "count(*) returned no row");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *count = (guint)CLAMP (meso_db_column_int64 (stmt, 0), 0, G_MAXUINT);
  /* Finish the statement, so it holds no read transaction open. */
  while (meso_store_step_row (d->store, stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ============================================================ the API */

/* The first days' rows are few: a page of them is cut from all of them. */
static void
cut_page (GPtrArray *page,
          guint      offset,
          guint      limit)
{
  g_ptr_array_remove_range (page, 0, MIN (offset, page->len));
  if (limit != 0 && page->len > limit)
    g_ptr_array_remove_range (page, limit, page->len - limit);
}

/* The full list, each reminder handed to @sink in order: the first days'
 * instructions (few, sorted in memory), then each section of the courses
 * as it is read. */
static gboolean
each_reminder (Day           *d,
               ReminderSink   sink,
               gpointer       sink_data,
               GError       **error)
{
  g_autoptr(GPtrArray) no_water = NULL;
  g_autoptr(GPtrArray) sun = NULL;
  GPtrArray *lists[MESO_AFTERCARE_OVERDUE + 1] = { NULL };

  no_water = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  sun = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  lists[MESO_AFTERCARE_NO_WATER] = no_water;
  lists[MESO_AFTERCARE_SUN_PROTECTION] = sun;
  if (!collect_recent (d, lists, NULL, NULL, error))
    return FALSE;
  for (guint i = 0; i < no_water->len; i++)
    sink (g_steal_pointer (&no_water->pdata[i]), sink_data);
  for (guint i = 0; i < sun->len; i++)
    sink (g_steal_pointer (&sun->pdata[i]), sink_data);

  for (MesoAftercareKind kind = MESO_AFTERCARE_MOISTURISE; kind <= MESO_AFTERCARE_OVERDUE; kind++)
    if (!collect_courses (d, kind, 0, 0, sink, sink_data, error))
      return FALSE;
  return TRUE;
}

GPtrArray *
meso_store_list_reminders (MesoStore    *self,
                           const GDate  *day,
                           GError      **error)
{
  g_autoptr(GPtrArray) reminders = NULL;
  g_auto(Day) d = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  if (!day_init (&d, self, day, error))
    return NULL;

  reminders = g_ptr_array_new_full (1024, (GDestroyNotify)meso_reminder_free);
  if (!each_reminder (&d, sink_into_array, reminders, error))
    return NULL;
  return g_steal_pointer (&reminders);
}

typedef struct
{
  MesoReminderFunc func;
  gpointer         user_data;
} ForeachReminder;

static void
sink_into_func (MesoReminder *reminder,
                gpointer      data)
{
  ForeachReminder *foreach = data;

  foreach->func (reminder, foreach->user_data);
  meso_reminder_free (reminder);
}

gboolean
meso_store_foreach_reminder (MesoStore         *self,
                             const GDate       *day,
                             MesoReminderFunc   func,
                             gpointer           user_data,
                             GError           **error)
{
  g_auto(Day) d = { 0 };
  ForeachReminder foreach = { func, user_data };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (day != NULL && g_date_valid (day), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (!day_init (&d, self, day, error))
    return FALSE;
  d.streamed = TRUE;
  return each_reminder (&d, sink_into_func, &foreach, error);
}

gboolean
meso_store_count_reminders (MesoStore    *self,
                            const GDate  *day,
                            guint         counts[MESO_AFTERCARE_OVERDUE + 1],
                            GError      **error)
{
  g_auto(Day) d = { 0 };
  gboolean recent[MESO_AFTERCARE_OVERDUE + 1] = { FALSE };
  guint found[MESO_AFTERCARE_OVERDUE + 1] = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (!day_init (&d, self, day, error))
    return FALSE;

  recent[MESO_AFTERCARE_NO_WATER] = recent[MESO_AFTERCARE_SUN_PROTECTION] = TRUE;
  if (!collect_recent (&d, NULL, recent, found, error))
    return FALSE;
  for (MesoAftercareKind kind = MESO_AFTERCARE_MOISTURISE; kind <= MESO_AFTERCARE_OVERDUE; kind++)
    if (!count_courses (&d, kind, &found[kind], error))
      return FALSE;

  memcpy (counts, found, sizeof found);
  return TRUE;
}

GPtrArray *
meso_store_list_reminders_page (MesoStore          *self,
                                const GDate        *day,
                                MesoAftercareKind   kind,
                                guint               offset,
                                guint               limit,
                                GError            **error)
{
  g_autoptr(GPtrArray) page = NULL;
  g_auto(Day) d = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (kind >= MESO_AFTERCARE_NO_WATER && kind <= MESO_AFTERCARE_OVERDUE, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  if (!day_init (&d, self, day, error))
    return NULL;

  page = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
  if (is_course_kind (kind))
    {
      if (!collect_courses (&d, kind, offset, limit, sink_into_array, page, error))
        return NULL;
    }
  else
    {
      GPtrArray *lists[MESO_AFTERCARE_OVERDUE + 1] = { NULL };

      lists[kind] = page;
      if (!collect_recent (&d, lists, NULL, NULL, error))
        return NULL;
      cut_page (page, offset, limit);
    }
  return g_steal_pointer (&page);
}

/* The course statement of each of the panel's sections but Today. */
static const guint panel_courses[MESO_PANEL_N_SECTIONS] = {
  [MESO_PANEL_MOISTURISE] = MESO_AFTERCARE_MOISTURISE,
  [MESO_PANEL_DUE] = MESO_AFTERCARE_FOLLOW_UP_DUE,
  [MESO_PANEL_OVERDUE] = COURSES_RECENTLY_OVERDUE,
  [MESO_PANEL_LAPSED] = COURSES_LAPSED,
};

gboolean
meso_store_count_panel (MesoStore    *self,
                        const GDate  *day,
                        guint         counts[MESO_PANEL_N_SECTIONS],
                        GError      **error)
{
  return meso_store_load_panel (self, day, 0, 0, counts, NULL, error);
}

gboolean
meso_store_load_panel (MesoStore    *self,
                       const GDate  *day,
                       guint         sections,
                       guint         limit,
                       guint         counts[MESO_PANEL_N_SECTIONS],
                       GPtrArray    *pages[MESO_PANEL_N_SECTIONS],
                       GError      **error)
{
  g_auto(Day) d = { 0 };
  g_autoptr(GPtrArray) today = NULL;
  GPtrArray *found_pages[MESO_PANEL_N_SECTIONS] = { NULL };
  guint found[MESO_PANEL_N_SECTIONS] = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (sections == 0 || pages != NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return FALSE;

  if (!day_init (&d, self, day, error))
    return FALSE;
  /* Today's rows are few (the sessions of the last few days), and only
   * grouping them tells how many rows they make: that grouping is also
   * Today's page, so the server is asked once for both. */
  today = collect_today (&d, error);
  if (today == NULL)
    return FALSE;
  found[MESO_PANEL_TODAY] = today->len;
  for (MesoPanelSection section = MESO_PANEL_MOISTURISE; ok && section < MESO_PANEL_N_SECTIONS;
       section++)
    ok = count_courses (&d, panel_courses[section], &found[section], error);

  for (MesoPanelSection section = 0; ok && section < MESO_PANEL_N_SECTIONS; section++)
    {
      if ((sections & (1u << section)) == 0 || found[section] == 0)
        continue;
      if (section == MESO_PANEL_TODAY)
        {
          found_pages[section] = g_steal_pointer (&today);
          cut_page (found_pages[section], 0, limit);
          continue;
        }
      found_pages[section] = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
      ok = collect_courses (&d, panel_courses[section], 0, limit, sink_into_array,
                            found_pages[section], error);
    }
  if (!ok)
    {
      for (guint i = 0; i < G_N_ELEMENTS (found_pages); i++)
        g_clear_pointer (&found_pages[i], g_ptr_array_unref);
      return FALSE;
    }

  memcpy (counts, found, sizeof found);
  if (pages != NULL)
    memcpy (pages, found_pages, sizeof found_pages);
  return TRUE;
}

GPtrArray *
meso_store_list_panel_page (MesoStore         *self,
                            const GDate       *day,
                            MesoPanelSection   section,
                            guint              offset,
                            guint              limit,
                            GError           **error)
{
  g_autoptr(GPtrArray) page = NULL;
  g_auto(Day) d = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (section < MESO_PANEL_N_SECTIONS, NULL);

  if (!meso_store_require (self, MESO_PERMISSION_FRONT_DESK, error))
    return NULL;

  if (!day_init (&d, self, day, error))
    return NULL;

  if (section != MESO_PANEL_TODAY)
    {
      page = g_ptr_array_new_with_free_func ((GDestroyNotify)meso_reminder_free);
      if (!collect_courses (&d, panel_courses[section], offset, limit, sink_into_array, page,
                            error))
        return NULL;
      return g_steal_pointer (&page);
    }

  page = collect_today (&d, error);
  if (page == NULL)
    return NULL;
  cut_page (page, offset, limit);
  return g_steal_pointer (&page);
}

/* ============================================================ for tools */

gboolean
meso_store_reminders_parameters (MesoStore    *self,
                                 const GDate  *day,
                                 gint64        values[N_PARAMETERS],
                                 GError      **error)
{
  g_auto(Day) d = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  if (!day_init (&d, self, day, error))
    return FALSE;
  memcpy (values, d.parameters, sizeof d.parameters);
  return TRUE;
}

/* For meso_store_sql_for(). */
const char *
meso_store_reminders_sql (const char *name)
{
  if (g_str_equal (name, "reminders-recent"))
    return recent_sql;
  if (g_str_has_prefix (name, "reminders-"))
    {
      const char *rest = name + strlen ("reminders-");
      gboolean count = g_str_has_prefix (rest, "count-");
      gboolean all = g_str_has_prefix (rest, "all-");

      if (count)
        rest += strlen ("count-");
      else if (all)
        rest += strlen ("all-");
      for (guint i = 0; i < G_N_ELEMENTS (course_sections); i++)
        if (course_sections[i].name != NULL && g_str_equal (rest, course_sections[i].name))
          return count ? course_sections[i].count
                 : all ? course_sections[i].all : course_sections[i].page;
    }
  return NULL;
}
