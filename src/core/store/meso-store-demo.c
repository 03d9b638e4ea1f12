/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: deterministic demo data, for trying Mesodesk out and for the
 * benchmark. Every interval, needle length and window comes from the clinic
 * policy and the rules, so the data passes the checks a person's entries
 * pass. Written with raw prepared INSERTs in one transaction, audit triggers
 * and all: 100 000 patients and about a million sessions in some 20 s. */
#define G_LOG_DOMAIN "mesodesk-store"

#include "config.h"

#include "meso-store-private.h"

#include "meso-enum-types.h"
#include "meso-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* How far back the records go, and how far ahead bookings are made. */
#define HISTORY_DAYS      (6 * 365)
#define BOOKING_AHEAD_DAYS 90
#define SESSION_MINUTES   60

/* ============================================================ the names */

/* "Latin|native": the native form, where there is one, is in its own script. */
static const char *const german_female[] = {
  "Anna", "Lena", "Julia", "Laura", "Sarah", "Katharina", "Sophie", "Marie", "Lea", "Hannah",
  "Johanna", "Claudia", "Sabine", "Petra", "Andrea", "Birgit", "Susanne", "Jana", "Franziska",
  "Charlotte", "Anja", "Kerstin", "Ute", "Greta", "Lotte", "Mia", "Emilia", "Frieda",
};
static const char *const german_male[] = {
  "Jürgen", "Thomas", "Michael", "Stefan", "Jörg", "Lukas", "Maximilian", "Felix", "Tobias",
  "Florian", "Matthias", "Uwe",
};
static const char *const german_family[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
  "Werner", "Krause", "Meier", "Lehmann", "Köhler", "Groß", "Vogel", "Friedrich", "Keller",
  "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke",
  "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
};
static const char *const german_phones[] = {
  "+49 15# ########", "+49 17# #######", "016# #######", "017# ########", "0### ######",
  "+49 (0)30 ########", "0#### ######",
};
static const char *const german_domains[] = {
  "web.de", "gmx.de", "t-online.de", "gmx.net", "posteo.de", "freenet.de",
};

static const char *const turkish_female[] = {
  "Ayşe", "Fatma", "Zeynep", "Elif", "Emine", "Merve", "Büşra", "Esra", "Selin", "Derya",
  "Gül", "Özlem", "Hülya", "Sibel",
};
static const char *const turkish_male[] = {
  "Mehmet", "Mustafa", "Ahmet", "Emre", "Burak", "Murat",
};
static const char *const turkish_family[] = {
  "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
  "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
  "Şimşek",
};
static const char *const turkish_phones[] = { "+90 5## ### ## ##", "0 5## ### ## ##" };
static const char *const turkish_domains[] = { "hotmail.com.tr", "yandex.com.tr" };

static const char *const russian_female[] = {
  "Olga|Ольга", "Tatiana|Татьяна", "Natalia|Наталья", "Elena|Елена", "Irina|Ирина",
  "Svetlana|Светлана", "Anna|Анна", "Maria|Мария", "Ekaterina|Екатерина",
  "Anastasia|Анастасия", "Yulia|Юлия", "Daria|Дарья", "Ksenia|Ксения", "Marina|Марина",
  "Polina|Полина", "Valeria|Валерия",
};
static const char *const russian_male[] = {
  "Alexei|Алексей", "Dmitry|Дмитрий", "Sergei|Сергей", "Ivan|Иван", "Andrei|Андрей",
};
/* Male forms; the female form adds -a (-а). */
static const char *const russian_family[] = {
  "Smirnov|Смирнов", "Ivanov|Иванов", "Kuznetsov|Кузнецов", "Popov|Попов",
  "Sokolov|Соколов", "Lebedev|Лебедев", "Kozlov|Козлов", "Novikov|Новиков",
  "Morozov|Морозов", "Petrov|Петров", "Volkov|Волков", "Solovyov|Соловьёв",
  "Vasiliev|Васильев", "Zaitsev|Зайцев", "Pavlov|Павлов", "Semyonov|Семёнов",
  "Golubev|Голубев", "Vinogradov|Виноградов", "Bogdanov|Богданов", "Fyodorov|Фёдоров",
};
static const char *const russian_phones[] = { "+7 9## ###-##-##", "+7 (9##) ###-##-##" };
static const char *const russian_domains[] = { "yandex.ru", "mail.ru", "rambler.ru" };

static const char *const chinese_female[] = {
  "Fang|芳", "Li|丽", "Jing|静", "Min|敏", "Ting|婷", "Yan|燕", "Na|娜", "Xiuying|秀英",
  "Xue|雪", "Ling|玲", "Hui|慧", "Ying|颖", "Jiayi|佳怡", "Zihan|子涵", "Yuxin|雨欣",
};
static const char *const chinese_male[] = {
  "Wei|伟", "Lei|磊", "Yang|洋", "Jie|杰", "Xiaoming|晓明",
};
static const char *const chinese_family[] = {
  "Wang|王", "Li|李", "Zhang|张", "Liu|刘", "Chen|陈", "Yang|杨", "Huang|黄", "Zhao|赵",
  "Wu|吴", "Zhou|周", "Xu|徐", "Sun|孙", "Ma|马", "Zhu|朱", "Hu|胡", "Guo|郭", "He|何",
  "Lin|林", "Gao|高", "Luo|罗",
};
static const char *const chinese_phones[] = { "+86 1## #### ####" };
static const char *const chinese_domains[] = { "qq.com", "163.com", "126.com" };

static const char *const arabic_female[] = {
  "Fatima|فاطمة", "Aisha|عائشة", "Maryam|مريم", "Layla|ليلى", "Nour|نور", "Sara|سارة",
  "Huda|هدى", "Zainab|زينب", "Rana|رنا", "Salma|سلمى", "Yasmin|ياسمين", "Amira|أميرة",
};
static const char *const arabic_male[] = {
  "Mohammed|محمد", "Ahmad|أحمد", "Youssef|يوسف", "Ali|علي", "Omar|عمر", "Khaled|خالد",
};
static const char *const arabic_family[] = {
  "Al-Hassan|الحسن", "Haddad|حداد", "Khoury|خوري", "Mansour|منصور", "Saleh|صالح",
  "Nasr|نصر", "Hamdan|حمدان", "Issa|عيسى", "Jaber|جابر", "Suleiman|سليمان",
  "Abdullah|عبدالله", "Al-Shami|الشامي", "Qasim|قاسم", "Darwish|درويش",
};
static const char *const arabic_phones[] = {
  "+971 5# ### ####", "+961 # ### ###", "+20 1## ### ####", "+966 5# ### ####",
};
static const char *const arabic_domains[] = { "hotmail.com", "yahoo.com" };

static const char *const english_female[] = {
  "Emma", "Olivia", "Charlotte", "Amelia", "Emily", "Jessica", "Sophie", "Chloe", "Grace",
  "Lucy", "Hannah", "Rebecca", "Megan", "Zoe", "Isla", "Niamh",
};
static const char *const english_male[] = { "James", "Oliver", "Daniel", "Harry", "George" };
static const char *const english_family[] = {
  "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
  "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Hughes",
  "Edwards", "Green", "Hall", "O'Brien", "Murphy", "MacDonald",
};
static const char *const english_phones[] = { "+44 7### ######", "07### ######" };
static const char *const english_domains[] = { "btinternet.com", "outlook.com" };

static const char *const italian_female[] = {
  "Giulia", "Francesca", "Chiara", "Martina", "Alessia", "Valentina", "Sara", "Federica",
  "Elisa", "Giorgia",
};
static const char *const italian_male[] = { "Marco", "Luca", "Giuseppe", "Matteo" };
static const char *const italian_family[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Mancini",
};
static const char *const italian_phones[] = { "+39 3## ### ####" };
static const char *const italian_domains[] = { "libero.it", "virgilio.it" };

static const char *const spanish_female[] = {
  "María", "Lucía", "Carmen", "Sofía", "Valentina", "Isabel", "Elena", "Paula", "Camila",
  "Ana", "Marta", "Inés",
};
static const char *const spanish_male[] = { "Javier", "Carlos", "Alejandro", "Pablo" };
static const char *const spanish_family[] = {
  "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
  "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez",
};
static const char *const spanish_phones[] = { "+34 6## ## ## ##", "+34 6## ### ###" };
static const char *const spanish_domains[] = { "telefonica.net", "yahoo.es" };

static const char *const french_female[] = {
  "Camille", "Léa", "Manon", "Chloé", "Inès", "Juliette", "Margaux", "Élodie", "Céline",
  "Nathalie", "Amélie", "Océane",
};
static const char *const french_male[] = { "Louis", "Hugo", "Théo", "Antoine" };
static const char *const french_family[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
  "Moreau", "Lefèvre", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Rousseau",
};
static const char *const french_phones[] = { "+33 6 ## ## ## ##", "+33 7 ## ## ## ##" };
static const char *const french_domains[] = { "orange.fr", "free.fr", "laposte.net" };

static const char *const vietnamese_female[] = {
  "Lan", "Hương", "Linh", "Mai", "Thảo", "Trang", "Ngọc", "Anh", "Hà", "Phương", "Thu",
};
static const char *const vietnamese_male[] = { "Minh", "Tuấn", "Dũng", "Huy" };
static const char *const vietnamese_family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô",
};
static const char *const vietnamese_phones[] = { "+84 9# ### ## ##" };
static const char *const vietnamese_domains[] = { "yahoo.com.vn" };

static const char *const indian_female[] = {
  "Priya", "Ananya", "Divya", "Kavya", "Neha", "Pooja", "Shreya", "Aditi", "Meera", "Sneha",
};
static const char *const indian_male[] = { "Rahul", "Arjun", "Vikram", "Rohan" };
static const char *const indian_family[] = {
  "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi",
  "Banerjee", "Chopra",
};
static const char *const indian_phones[] = { "+91 9#### #####", "+91 8#### #####" };
static const char *const indian_domains[] = { "rediffmail.com" };

static const char *const global_domains[] = {
  "gmail.com", "outlook.com", "icloud.com", "yahoo.com", "hotmail.com", "proton.me",
};

typedef struct
{
  const char         *locale;        /* for the e-mail's transliteration */
  guint               weight;
  const char *const  *female;
  guint               n_female;
  const char *const  *male;
  guint               n_male;
  const char *const  *family;
  guint               n_family;
  double              native_share;  /* how many write the name in its own script */
  gboolean            family_first;  /* the native form: family name first, no space */
  const char         *female_suffix; /* "Latin|native", added to the family name */
  const char *const  *phones;
  guint               n_phones;
  const char *const  *domains;
  guint               n_domains;
} Culture;

#define LIST(x) x, G_N_ELEMENTS (x)

static const Culture cultures[] = {
  { "de", 34, LIST (german_female), LIST (german_male), LIST (german_family), 0, FALSE, NULL,
    LIST (german_phones), LIST (german_domains) },
  { "tr", 10, LIST (turkish_female), LIST (turkish_male), LIST (turkish_family), 0, FALSE,
    NULL, LIST (turkish_phones), LIST (turkish_domains) },
  { "ru", 10, LIST (russian_female), LIST (russian_male), LIST (russian_family), 0.4, FALSE,
    "a|а", LIST (russian_phones), LIST (russian_domains) },
  { "en", 8, LIST (english_female), LIST (english_male), LIST (english_family), 0, FALSE,
    NULL, LIST (english_phones), LIST (english_domains) },
  { "ar", 8, LIST (arabic_female), LIST (arabic_male), LIST (arabic_family), 0.4, FALSE, NULL,
    LIST (arabic_phones), LIST (arabic_domains) },
  { "it", 6, LIST (italian_female), LIST (italian_male), LIST (italian_family), 0, FALSE,
    NULL, LIST (italian_phones), LIST (italian_domains) },
  { "es", 5, LIST (spanish_female), LIST (spanish_male), LIST (spanish_family), 0, FALSE,
    NULL, LIST (spanish_phones), LIST (spanish_domains) },
  { "fr", 5, LIST (french_female), LIST (french_male), LIST (french_family), 0, FALSE, NULL,
    LIST (french_phones), LIST (french_domains) },
  { "zh", 6, LIST (chinese_female), LIST (chinese_male), LIST (chinese_family), 0.5, TRUE,
    NULL, LIST (chinese_phones), LIST (chinese_domains) },
  { "vi", 4, LIST (vietnamese_female), LIST (vietnamese_male), LIST (vietnamese_family), 0,
    FALSE, NULL, LIST (vietnamese_phones), LIST (vietnamese_domains) },
  { "en", 4, LIST (indian_female), LIST (indian_male), LIST (indian_family), 0, FALSE, NULL,
    LIST (indian_phones), LIST (indian_domains) },
};

static const char *const patient_notes[] = {
  "Prefers morning appointments.",
  "Prefers appointments after work.",
  "No numbing cream: reacted to lidocaine before.",
  "Referred by a friend.",
  "Wants reminders by text message, not by phone.",
  "Interpreter helpful; the daughter usually comes along.",
  "Asks for the aftercare sheet on paper.",
  "Parking permit needed.",
};

static const char *const session_notes[] = {
  "Mild erythema, settled within the hour.",
  "Tolerated well.",
  "Numbing cream applied 30 minutes before.",
  "Pinpoint bleeding in the forehead area, as expected.",
  "Slight swelling around the eyes; cold compress given.",
  "Patient asked to lengthen the interval.",
};

static const char *const cancel_reasons[] = {
  "Patient ill.",
  "Rescheduled at the patient's request.",
  "Practitioner unavailable.",
  "Travelling.",
};

typedef struct
{
  const char *name;
  MesoRole    role;
} DemoStaff;

static const DemoStaff staff[] = {
  { "Dr. Lena Hoffmann", MESO_ROLE_CLINICIAN },
  { "Dr. Amir Haddad", MESO_ROLE_CLINICIAN },
  { "Sofia Rossi", MESO_ROLE_CLINICIAN },
  { "Mei Lin", MESO_ROLE_CLINICIAN },
  { "Jonas Weber", MESO_ROLE_RECEPTIONIST },
  { "Olga Smirnova", MESO_ROLE_RECEPTIONIST },
};

static const char *const room_names[] = {
  "Treatment room 1", "Treatment room 2", "Treatment room 3", "Treatment room 4",
};

/* ============================================ the clinical vocabulary */

typedef struct
{
  MesoArea  area;
  guint     weight;
  /* The usual range for the area, within the rules' limits; scar
   * treatment on the face may go longer, as R3 allows. */
  guint     min_um;
  guint     max_um;
  MesoIndication indications[8];
  guint     n_indications;
} AreaProfile;

static const AreaProfile area_profiles[] = {
  { MESO_AREA_FACE, 62, MESO_NEEDLE_MIN_UM, MESO_NEEDLE_FACE_MAX_UM,
    { MESO_INDICATION_FINE_LINES, MESO_INDICATION_ENLARGED_PORES, MESO_INDICATION_ACNE_SCARS,
      MESO_INDICATION_PIGMENTATION, MESO_INDICATION_DULL_SKIN, MESO_INDICATION_LAXITY,
      MESO_INDICATION_ROSACEA, MESO_INDICATION_SCARS }, 8 },
  { MESO_AREA_SCALP, 12, MESO_NEEDLE_SHORT_MAX_UM, MESO_NEEDLE_MEDIUM_MAX_UM,
    { MESO_INDICATION_HAIR_LOSS }, 1 },
  { MESO_AREA_NECK, 9, MESO_NEEDLE_MIN_UM, MESO_NEEDLE_HOME_MAX_UM,
    { MESO_INDICATION_FINE_LINES, MESO_INDICATION_LAXITY, MESO_INDICATION_DULL_SKIN }, 3 },
  { MESO_AREA_DECOLLETE, 8, MESO_NEEDLE_MIN_UM, MESO_NEEDLE_HOME_MAX_UM,
    { MESO_INDICATION_FINE_LINES, MESO_INDICATION_PIGMENTATION, MESO_INDICATION_LAXITY }, 3 },
  { MESO_AREA_BODY, 5, MESO_NEEDLE_HOME_MAX_UM, MESO_NEEDLE_MAX_UM,
    { MESO_INDICATION_STRETCH_MARKS, MESO_INDICATION_SCARS }, 2 },
  { MESO_AREA_HANDS, 4, MESO_NEEDLE_MIN_UM, MESO_NEEDLE_HOME_MAX_UM,
    { MESO_INDICATION_PIGMENTATION, MESO_INDICATION_FINE_LINES }, 2 },
};

#define N_AREAS (MESO_AREA_HANDS + 1)

/* The needle lengths sold, in micrometres; the rules decide which fit. */
static const guint needle_sizes_um[] = { 200, 250, 300, 500, 750, 1000, 1500, 2000, 2500 };
static const guint pen_needle_counts[] = { 12, 16, 24, 36, 42 };
static const guint roller_needle_counts[] = { 192, 540 };

static const int active_sets[][2] = {
  { MESO_ACTIVE_HYALURONIC_ACID, -1 },
  { MESO_ACTIVE_HYALURONIC_ACID, MESO_ACTIVE_VITAMIN_C },
  { MESO_ACTIVE_HYALURONIC_ACID, MESO_ACTIVE_PEPTIDES },
  { MESO_ACTIVE_PEPTIDES, -1 },
  { MESO_ACTIVE_VITAMIN_C, -1 },
  { MESO_ACTIVE_MINOXIDIL, -1 },
  { MESO_ACTIVE_MINOXIDIL, MESO_ACTIVE_PEPTIDES },
};

/* ========================================================= the generator */

typedef struct
{
  char *latin;
  char *native;
  char *ascii;  /* for e-mails: lower case letters and digits */
} Name;

typedef struct
{
  GPtrArray *female;  /* Name */
  GPtrArray *male;
  GPtrArray *family;
  Name       suffix;
} CultureNames;

typedef struct
{
  gint64 noon;      /* local noon, as Unix time */
  guint8 weekday;   /* GDateWeekday */
  guint8 month;
  guint16 year;
} Day;

typedef struct
{
  MesoArea        area;
  MesoIndication  indication;
  MesoDevice      device;
  guint           needle_um;
  guint           needle_count;
  const char     *material;
  const char     *actives;
  const char     *lot_prefix;
} Course;

typedef struct
{
  guint  day;      /* julian */
  guint  minute;   /* after midnight */
  guint  course;   /* index into Demo.courses */
  gint64 practitioner_id;
  gboolean no_show_before;
  gboolean cancelled_before;
} PlannedSession;

/* Sessions are written SESSION_BATCH rows to a statement: the per-statement
 * work (the audit trigger's set-up, the statement journal) is then shared. */
#define SESSION_BATCH 16
#define SESSION_INSERT \
  "INSERT INTO sessions (patient_id, at, area, device, home_use, needle_um, needle_count, " \
  "needle_material, indication, actives, lot, practitioner_id, notes, caution_confirmed, " \
  "created_at, lot_id) VALUES "
#define SESSION_PARAMS   15

typedef struct
{
  gint64      patient_id;
  gint64      at;
  gint64      practitioner_id;
  gint64      created_at;
  Course      course;
  const char *note;
  gboolean    caution_confirmed;
  char        lot[24];
  gint64      lot_id;     /* a registered lot's, or 0 */
} SessionRow;

typedef struct
{
  MesoStore      *store;
  GRand          *rand;
  MesoPolicy      policy;
  gint64          now;
  guint           today;       /* julian */
  guint           first_day;   /* julian day of days[0] */
  Day            *days;
  guint           n_days;
  int             open_minute[8];   /* by GDateWeekday */
  int             close_minute[8];
  CultureNames    names[G_N_ELEMENTS (cultures)];
  guint           culture_total;
  guint           area_total;

  /* Per area: the needle lengths R3 allows, and the longer scar ones on the face. */
  GArray         *needles[N_AREAS];
  GArray         *scar_needles[N_AREAS];
  char           *actives[G_N_ELEMENTS (active_sets)];
  const char     *area_nick[N_AREAS];
  const char     *indication_nick[MESO_INDICATION_HAIR_LOSS + 1];
  const char     *material_nick[MESO_NEEDLE_MATERIAL_SILVER_PLATED + 1];
  const char     *device_nick[MESO_DEVICE_PEN + 1];
  const char     *flag_nick[MESO_CONTRAINDICATION_SCAR_PRONE + 1];
  const char     *status_nick[MESO_APPOINTMENT_NO_SHOW + 1];

  gint64          clinicians[G_N_ELEMENTS (staff)];
  guint           n_clinicians;
  gint64          rooms[G_N_ELEMENTS (room_names)];
  guint           n_rooms;
  GHashTable     *busy;        /* (day, hour) → bits: clinicians, then rooms << 8 */
  GHashTable     *products;    /* a lot prefix → its product's id */
  GHashTable     *lots;        /* a registered lot's number → its id */

  GArray         *courses;     /* Course, of the current patient */
  GArray         *sessions;    /* PlannedSession */
  GString        *text;
  GString        *email;
  GString        *phone;
  SessionRow      pending[SESSION_BATCH];
  guint           n_pending;
  char           *insert_batch;  /* SESSION_INSERT of SESSION_BATCH rows */
  char           *insert_one;    /* of one */

  guint           n_sessions;
  guint           n_appointments;
  guint           n_flags;
} Demo;

/* SESSION_INSERT of @n_rows rows, each SESSION_PARAMS numbered parameters
 * (?1 … : the one form both engines' drivers read). */
static char *
session_insert_sql (guint n_rows)
{
  GString *sql = g_string_new (SESSION_INSERT);

  for (guint r = 0; r < n_rows; r++)
    {
      int p = 1 + (int)r * SESSION_PARAMS;

      g_string_append_printf (sql, "%s(?%d, ?%d, ?%d, ?%d, 0", r ? ", " : "", p, p + 1, p + 2,
                              p + 3);
      for (int i = 4; i < SESSION_PARAMS; i++)
        g_string_append_printf (sql, ", ?%d", p + i);
      g_string_append_c (sql, ')');
    }
  return g_string_free (sql, FALSE);
}

static guint
pick (Demo *demo,
      guint n)
{
  return (guint)g_rand_int_range (demo->rand, 0, (gint32)n);
}

static gboolean
chance (Demo   *demo,
        double  p)
{
  return g_rand_double (demo->rand) < p;
}


static void
name_clear (Name *name)
{
  g_free (name->latin);
  g_free (name->native);
  g_free (name->ascii);
}

static void
name_free (gpointer data)
{
  name_clear (data);
  g_free (data);
}

static void
name_parse (Name        *name,
            const char  *entry,
            const char  *locale)
{
  const char *bar = strchr (entry, '|');
  g_autofree char *ascii = NULL;
  GString *bare;

  name->latin = bar ? g_strndup (entry, bar - entry) : g_strdup (entry);
  name->native = bar ? g_strdup (bar + 1) : NULL;

  /* A fixed locale, so the same seed gives the same addresses everywhere. */
  ascii = g_str_to_ascii (name->latin, locale);
  bare = g_string_new (NULL);
  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (bare, g_ascii_tolower (*p));
  name->ascii = g_string_free (bare, FALSE);
}

static GPtrArray *
names_new (const char *const  *entries,
           guint               n,
           const char         *locale)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (name_free);

  for (guint i = 0; i < n; i++)
    {
      Name *name = g_new0 (Name, 1);

      name_parse (name, entries[i], locale);
      g_ptr_array_add (list, name);
    }
  return list;
}

static void
demo_clear (Demo *demo)
{
  g_clear_pointer (&demo->rand, g_rand_free);
  g_clear_pointer (&demo->days, g_free);
  g_clear_pointer (&demo->insert_batch, g_free);
  g_clear_pointer (&demo->insert_one, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    {
      g_clear_pointer (&demo->names[i].female, g_ptr_array_unref);
      g_clear_pointer (&demo->names[i].male, g_ptr_array_unref);
      g_clear_pointer (&demo->names[i].family, g_ptr_array_unref);
      name_clear (&demo->names[i].suffix);
    }
  for (guint i = 0; i < N_AREAS; i++)
    {
      g_clear_pointer (&demo->needles[i], g_array_unref);
      g_clear_pointer (&demo->scar_needles[i], g_array_unref);
    }
  for (guint i = 0; i < G_N_ELEMENTS (active_sets); i++)
    g_clear_pointer (&demo->actives[i], g_free);
  g_clear_pointer (&demo->busy, g_hash_table_unref);
  g_clear_pointer (&demo->products, g_hash_table_unref);
  g_clear_pointer (&demo->lots, g_hash_table_unref);
  g_clear_pointer (&demo->courses, g_array_unref);
  g_clear_pointer (&demo->sessions, g_array_unref);
  if (demo->text != NULL)
    g_string_free (g_steal_pointer (&demo->text), TRUE);
  if (demo->email != NULL)
    g_string_free (g_steal_pointer (&demo->email), TRUE);
  if (demo->phone != NULL)
    g_string_free (g_steal_pointer (&demo->phone), TRUE);
}

static const Day *
day_info (Demo  *demo,
          guint  julian)
{
  g_assert (julian >= demo->first_day && julian - demo->first_day < demo->n_days);
  return &demo->days[julian - demo->first_day];
}

static gboolean
clinic_open (Demo  *demo,
             guint  julian)
{
  const Day *day = day_info (demo, julian);

  return demo->close_minute[day->weekday] - demo->open_minute[day->weekday] >= SESSION_MINUTES;
}

/* The first day the clinic is open on or after @julian; never earlier, so
 * a postponed session only lengthens an interval. */
static guint
open_day_from (Demo  *demo,
               guint  julian)
{
  for (guint i = 0; i < 7; i++)
    if (clinic_open (demo, julian + i))
      return julian + i;
  return julian;
}

/* A start on the hour within the day's opening hours, in minutes. */
static guint
pick_start_minute (Demo  *demo,
                   guint  julian,
                   guint  length)
{
  const Day *day = day_info (demo, julian);
  int open = demo->open_minute[day->weekday];
  int close = demo->close_minute[day->weekday];
  int first_hour = (open + 59) / 60;
  int last_hour = (close - (int)length) / 60;

  if (last_hour < first_hour)
    return (guint)open;
  return (guint)(first_hour + (int)pick (demo, (guint)(last_hour - first_hour + 1))) * 60;
}

static gint64
unix_at (Demo  *demo,
         guint  julian,
         guint  minute)
{
  /* From local noon, so a daylight-saving change at night never shifts it. */
  return day_info (demo, julian)->noon + ((gint64)minute - 12 * 60) * 60;
}

static gboolean
demo_init (Demo       *demo,
           MesoStore  *store,
           guint32     seed,
           GError    **error)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  GDate date;

  demo->store = store;
  demo->rand = g_rand_new_with_seed (seed);
  demo->insert_batch = session_insert_sql (SESSION_BATCH);
  demo->insert_one = session_insert_sql (1);
  demo->now = g_date_time_to_unix (now);
  meso_date_from_date_time (now, &date);
  demo->today = g_date_get_julian (&date);

  if (!meso_store_load_policy (store, &demo->policy, error))
    return FALSE;

  for (GDateWeekday wd = G_DATE_MONDAY; wd <= G_DATE_SUNDAY; wd++)
    if (!meso_store_get_opening_hours (store, wd, &demo->open_minute[wd],
                                       &demo->close_minute[wd], error))
      return FALSE;

  /* Far enough back for the history, forward for the bookings and the
   * week a postponed session may move. */
  demo->first_day = demo->today - HISTORY_DAYS - 8;
  demo->n_days = HISTORY_DAYS + 8 + BOOKING_AHEAD_DAYS + 2 * 366 + 16;
  demo->days = g_new0 (Day, demo->n_days);
  for (guint i = 0; i < demo->n_days; i++)
    {
      g_autoptr(GDateTime) noon = NULL;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, demo->first_day + i);
      noon = meso_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                    g_date_get_day (&date), 12, 0, 0);
      demo->days[i].noon = g_date_time_to_unix (noon);
      demo->days[i].weekday = g_date_get_weekday (&date);
      demo->days[i].month = g_date_get_month (&date);
      demo->days[i].year = g_date_get_year (&date);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cultures); i++)
    {
      const Culture *c = &cultures[i];

      demo->names[i].female = names_new (c->female, c->n_female, c->locale);
      demo->names[i].male = names_new (c->male, c->n_male, c->locale);
      demo->names[i].family = names_new (c->family, c->n_family, c->locale);
      if (c->female_suffix != NULL)
        name_parse (&demo->names[i].suffix, c->female_suffix, c->locale);
      demo->culture_total += c->weight;
    }

  for (guint i = 0; i < G_N_ELEMENTS (area_profiles); i++)
    {
      const AreaProfile *profile = &area_profiles[i];
      MesoArea area = profile->area;

      demo->area_total += profile->weight;
      demo->needles[area] = g_array_new (FALSE, FALSE, sizeof (guint));
      demo->scar_needles[area] = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint k = 0; k < G_N_ELEMENTS (needle_sizes_um); k++)
        {
          guint um = needle_sizes_um[k];
          g_autoptr(MesoVerdict) plain = meso_rules_check_needle (um, area, FALSE, FALSE);
          g_autoptr(MesoVerdict) scar = meso_rules_check_needle (um, area, FALSE, TRUE);

          if (um >= profile->min_um && um <= profile->max_um &&
              meso_verdict_get_kind (plain) == MESO_VERDICT_OK)
            g_array_append_val (demo->needles[area], um);
          if (um > profile->max_um && meso_verdict_get_kind (scar) == MESO_VERDICT_OK)
            g_array_append_val (demo->scar_needles[area], um);
        }
      g_assert (demo->needles[area]->len > 0);
      for (guint k = 0; k < profile->n_indications; k++)
        g_assert (meso_rules_indication_suits_area (profile->indications[k], area));
    }

  for (guint i = 0; i < G_N_ELEMENTS (active_sets); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint k = 0; k < 2 && active_sets[i][k] >= 0; k++)
        g_string_append_printf (text, "%s%s", k ? ", " : "",
                                meso_enum_to_nick (MESO_TYPE_ACTIVE, active_sets[i][k]));
      demo->actives[i] = g_string_free (g_steal_pointer (&text), FALSE);
    }

  for (int i = 0; i < N_AREAS; i++)
    demo->area_nick[i] = meso_enum_to_nick (MESO_TYPE_AREA, i);
  for (int i = 0; i < (int)G_N_ELEMENTS (demo->indication_nick); i++)
    demo->indication_nick[i] = meso_enum_to_nick (MESO_TYPE_INDICATION, i);
  for (int i = 0; i < (int)G_N_ELEMENTS (demo->material_nick); i++)
    demo->material_nick[i] = meso_enum_to_nick (MESO_TYPE_NEEDLE_MATERIAL, i);
  for (int i = 0; i < (int)G_N_ELEMENTS (demo->device_nick); i++)
    demo->device_nick[i] = meso_enum_to_nick (MESO_TYPE_DEVICE, i);
  for (int i = 0; i < (int)G_N_ELEMENTS (demo->flag_nick); i++)
    demo->flag_nick[i] = meso_enum_to_nick (MESO_TYPE_CONTRAINDICATION, i);
  for (int i = 0; i < (int)G_N_ELEMENTS (demo->status_nick); i++)
    demo->status_nick[i] = meso_enum_to_nick (MESO_TYPE_APPOINTMENT_STATUS, i);

  demo->busy = g_hash_table_new (NULL, NULL);
  demo->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  demo->lots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  demo->courses = g_array_new (FALSE, FALSE, sizeof (Course));
  demo->sessions = g_array_new (FALSE, FALSE, sizeof (PlannedSession));
  demo->text = g_string_new (NULL);
  demo->email = g_string_new (NULL);
  demo->phone = g_string_new (NULL);
  return TRUE;
}

/* The demo staff and rooms; ones the clinic already has are kept as they are. */
static gboolean
add_staff (Demo    *demo,
           GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autoptr(GError) local_error = NULL;
      MesoRole role;
      gint64 id;

      if (!meso_store_get_practitioner_role (demo->store, staff[i].name, &role, &local_error))
        {
          if (!g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_clear_error (&local_error);
          if (!meso_store_add_practitioner (demo->store, staff[i].name, staff[i].role,
                                            &local_error))
            {
              /* An inactive one of that name: leave it alone. */
              if (!g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              continue;
            }
          role = staff[i].role;
        }
      if (role != MESO_ROLE_CLINICIAN)
        continue;
      id = meso_store_lookup_named (demo->store, FALSE, staff[i].name, error);
      if (id < 0)
        return FALSE;
      demo->clinicians[demo->n_clinicians++] = id;
    }

  for (guint i = 0; i < G_N_ELEMENTS (room_names); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = meso_store_lookup_named (demo->store, TRUE, room_names[i], &local_error);

      if (id < 0)
        {
          if (!g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_clear_error (&local_error);
          if (!meso_store_add_room (demo->store, room_names[i], &local_error))
            {
              if (!g_error_matches (local_error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              continue;
            }
          id = meso_store_lookup_named (demo->store, TRUE, room_names[i], error);
          if (id < 0)
            return FALSE;
        }
      demo->rooms[demo->n_rooms++] = id;
    }
  return TRUE;
}

/* ---------------------------------------------------------- one patient */

typedef struct
{
  gboolean  sensitive;
  guint     min_days;
  guint     max_days;
  guint     join_day;
  gint64    favourite;     /* the usual practitioner, or 0 */
  const char *recall;
  gboolean  archived;
} Patient;

static void
append_phone (Demo        *demo,
              const char  *format)
{
  g_string_truncate (demo->phone, 0);
  for (const char *p = format; *p; p++)
    g_string_append_c (demo->phone, *p == '#' ? (char)('0' + pick (demo, 10)) : *p);
}

/* Name, e-mail and phone into demo->text, demo->email and demo->phone. */
static void
make_identity (Demo *demo)
{
  guint r = pick (demo, demo->culture_total);
  guint ci = 0;
  const Culture *c;
  const CultureNames *names;
  const Name *first, *family;
  const char *suffix_latin = NULL, *suffix_native = NULL, *suffix_ascii = "";
  gboolean female, native;

  while (r >= cultures[ci].weight)
    r -= cultures[ci++].weight;
  c = &cultures[ci];
  names = &demo->names[ci];

  female = chance (demo, 0.82);
  first = g_ptr_array_index (female ? names->female : names->male,
                             pick (demo, female ? names->female->len : names->male->len));
  family = g_ptr_array_index (names->family, pick (demo, names->family->len));
  if (female && names->suffix.latin != NULL)
    {
      suffix_latin = names->suffix.latin;
      suffix_native = names->suffix.native;
      suffix_ascii = names->suffix.ascii;
    }
  native = c->native_share > 0 && first->native != NULL && family->native != NULL &&
           chance (demo, c->native_share);

  g_string_truncate (demo->text, 0);
  if (native && c->family_first)
    g_string_append_printf (demo->text, "%s%s", family->native, first->native);
  else if (native)
    g_string_append_printf (demo->text, "%s %s%s", first->native, family->native,
                            suffix_native ? suffix_native : "");
  else
    {
      g_string_append_printf (demo->text, "%s %s%s", first->latin, family->latin,
                              suffix_latin ? suffix_latin : "");
      /* A double name now and then, as people keep both. */
      if (chance (demo, 0.03))
        {
          const Name *other = g_ptr_array_index (names->family, pick (demo, names->family->len));

          if (other != family)
            g_string_append_printf (demo->text, "-%s", other->latin);
        }
    }

  g_string_truncate (demo->email, 0);
  if (chance (demo, 0.88))
    {
      const char *domain;

      if (chance (demo, 0.55))
        domain = c->domains[pick (demo, c->n_domains)];
      else
        domain = global_domains[pick (demo, G_N_ELEMENTS (global_domains))];

      switch (pick (demo, 6))
        {
        case 0:
          g_string_append_printf (demo->email, "%s%s", first->ascii, family->ascii);
          break;
        case 1:
          g_string_append_printf (demo->email, "%c.%s%s", first->ascii[0], family->ascii,
                                  suffix_ascii);
          break;
        case 2:
          g_string_append_printf (demo->email, "%s_%s%s", first->ascii, family->ascii,
                                  suffix_ascii);
          break;
        case 3:
          g_string_append_printf (demo->email, "%s.%s%s%02u", first->ascii, family->ascii,
                                  suffix_ascii, pick (demo, 100));
          break;
        case 4:
          g_string_append_printf (demo->email, "%s%s.%s", family->ascii, suffix_ascii,
                                  first->ascii);
          break;
        default:
          g_string_append_printf (demo->email, "%s.%s%s", first->ascii, family->ascii,
                                  suffix_ascii);
          break;
        }
      g_string_append_printf (demo->email, "@%s", domain);
    }

  g_string_truncate (demo->phone, 0);
  if (chance (demo, 0.96))
    {
      /* Most live near the clinic and have a local number. */
      if (ci != 0 && chance (demo, 0.5))
        append_phone (demo, german_phones[pick (demo, G_N_ELEMENTS (german_phones))]);
      else
        append_phone (demo, c->phones[pick (demo, c->n_phones)]);
    }
}

static guint
pick_area (Demo *demo)
{
  guint r = pick (demo, demo->area_total);
  guint i = 0;

  while (r >= area_profiles[i].weight)
    r -= area_profiles[i++].weight;
  return i;
}

static guint
pick_area_of (Demo     *demo,
              MesoArea  area)
{
  for (guint i = 0; i < G_N_ELEMENTS (area_profiles); i++)
    if (area_profiles[i].area == area)
      return i;
  g_return_val_if_reached (0);
}

/* A course's treatment plan for one area; returns its index. */
static guint
add_course (Demo  *demo,
            guint  profile_index,
            gboolean scar_prone)
{
  const AreaProfile *profile = &area_profiles[profile_index];
  Course course = { 0 };
  GArray *lengths;
  guint n_sets;
  guint set;

  course.area = profile->area;
  course.indication = profile->indications[pick (demo, profile->n_indications)];
  if (scar_prone && profile->area == MESO_AREA_FACE && chance (demo, 0.5))
    course.indication = MESO_INDICATION_ACNE_SCARS;
  lengths = demo->needles[course.area];
  if (meso_indication_is_scar_treatment (course.indication) &&
      demo->scar_needles[course.area]->len > 0 && chance (demo, 0.5))
    lengths = demo->scar_needles[course.area];
  course.needle_um = g_array_index (lengths, guint, pick (demo, lengths->len));

  course.device = chance (demo, 0.6) ? MESO_DEVICE_PEN : MESO_DEVICE_ROLLER;
  if (course.device == MESO_DEVICE_PEN)
    {
      course.needle_count = pen_needle_counts[pick (demo, G_N_ELEMENTS (pen_needle_counts))];
      course.material = demo->material_nick[chance (demo, 0.5) ? MESO_NEEDLE_MATERIAL_TITANIUM
                                                               : MESO_NEEDLE_MATERIAL_STEEL];
    }
  else
    {
      guint r = pick (demo, 100);

      course.needle_count =
        roller_needle_counts[pick (demo, G_N_ELEMENTS (roller_needle_counts))];
      course.material = demo->material_nick[r < 60 ? MESO_NEEDLE_MATERIAL_TITANIUM
                                            : r < 85 ? MESO_NEEDLE_MATERIAL_STEEL
                                            : r < 95 ? MESO_NEEDLE_MATERIAL_GOLD_PLATED
                                                     : MESO_NEEDLE_MATERIAL_SILVER_PLATED];
    }

  /* Minoxidil sets are the last two: only for the scalp (R6). */
  n_sets = G_N_ELEMENTS (active_sets);
  do
    set = course.area == MESO_AREA_SCALP && chance (demo, 0.7) ? n_sets - 1 - pick (demo, 2)
                                                               : pick (demo, n_sets);
  while (!meso_rules_active_suits_area (active_sets[set][0], course.area) ||
         (active_sets[set][1] >= 0 &&
          !meso_rules_active_suits_area (active_sets[set][1], course.area)));
  course.actives = demo->actives[set];
  switch (active_sets[set][0])
    {
    case MESO_ACTIVE_HYALURONIC_ACID: course.lot_prefix = "HA"; break;
    case MESO_ACTIVE_PEPTIDES: course.lot_prefix = "PP"; break;
    case MESO_ACTIVE_VITAMIN_C: course.lot_prefix = "VC"; break;
    case MESO_ACTIVE_MINOXIDIL: course.lot_prefix = "MX"; break;
    default: course.lot_prefix = "XX"; break;
    }

  g_array_append_val (demo->courses, course);
  return demo->courses->len - 1;
}

typedef enum
{
  STATE_FINISHED,  /* the last course ran its full length */
  STATE_ONGOING,   /* in the middle of a course; the next session is ahead */
  STATE_DROPPED,   /* stopped in the middle of a course */
} PatientState;

/* Plans the patient's history into demo->sessions; returns where it stands
 * and, for an ongoing course, the planned next day and its courses. */
static PatientState
plan_history (Demo     *demo,
              Patient  *patient,
              gboolean  scar_prone,
              guint    *next_day,
              guint    *next_courses,
              guint    *n_next_courses)
{
  guint day = patient->join_day;
  guint last_day = 0;
  guint profiles[2];
  guint n_areas = 1;

  g_array_set_size (demo->courses, 0);
  g_array_set_size (demo->sessions, 0);
  *n_next_courses = 0;

  /* A patient comes back for the same areas: the recall state is the
   * patient's, so an area left behind would stay overdue for ever. The neck
   * or the décolleté often go with the face. */
  profiles[0] = pick_area (demo);
  if (area_profiles[profiles[0]].area == MESO_AREA_FACE && chance (demo, 0.18))
    profiles[n_areas++] = pick_area_of (demo, chance (demo, 0.6) ? MESO_AREA_NECK
                                                                 : MESO_AREA_DECOLLETE);

  for (;;)
    {
      guint areas[2];
      guint n_sessions = 3 + pick (demo, 4);  /* a course: 3 to 6 sessions */
      guint stop_at = chance (demo, 0.10) ? 1 + pick (demo, n_sessions - 1) : n_sessions;

      for (guint a = 0; a < n_areas; a++)
        areas[a] = add_course (demo, profiles[a], scar_prone);

      for (guint i = 0; i < n_sessions; i++)
        {
          guint minute;
          gint64 practitioner;

          if (day < demo->today)
            day = open_day_from (demo, day);
          if (day >= demo->today)
            {
              *next_day = day;
              for (guint a = 0; a < n_areas; a++)
                next_courses[a] = areas[a];
              *n_next_courses = n_areas;
              return i == 0 ? STATE_FINISHED : STATE_ONGOING;
            }
          if (i == stop_at)
            return STATE_DROPPED;

          minute = pick_start_minute (demo, day, SESSION_MINUTES * n_areas);
          practitioner = patient->favourite;
          if (demo->n_clinicians > 0 && (practitioner == 0 || chance (demo, 0.2)))
            practitioner = demo->clinicians[pick (demo, demo->n_clinicians)];
          for (guint a = 0; a < n_areas; a++)
            {
              PlannedSession s = { day, minute + a * SESSION_MINUTES, areas[a], practitioner,
                                   chance (demo, 0.005), chance (demo, 0.01) };

              g_array_append_val (demo->sessions, s);
            }
          last_day = day;

          /* Mostly inside the recommended window; now and then later (R1
           * warns then, it never refuses). Never sooner than the minimum. */
          if (chance (demo, 0.9))
            day += patient->min_days + pick (demo, patient->max_days - patient->min_days + 1);
          else
            day += patient->max_days + 1 + pick (demo, 45);
        }

      if (chance (demo, 0.17))
        return STATE_FINISHED;
      /* A break of months before the next course. */
      day = last_day + patient->max_days + 30 + pick (demo, 420);
    }
}

static void
bind_session (Demo              *demo,
              MesoDbStmt        *stmt,
              int                first,
              const SessionRow  *row)
{
  const Course *course = &row->course;

  meso_db_bind_int64 (stmt, first, row->patient_id);
  meso_db_bind_int64 (stmt, first + 1, row->at);
  meso_db_bind_text (stmt, first + 2, demo->area_nick[course->area]);
  meso_db_bind_text (stmt, first + 3, demo->device_nick[course->device]);
  meso_db_bind_int64 (stmt, first + 4, course->needle_um);
  meso_db_bind_int64 (stmt, first + 5, course->needle_count);
  meso_db_bind_text (stmt, first + 6, course->material);
  meso_db_bind_text (stmt, first + 7, demo->indication_nick[course->indication]);
  meso_db_bind_text (stmt, first + 8, course->actives);
  meso_db_bind_text (stmt, first + 9, row->lot);
  if (row->practitioner_id > 0)
    meso_db_bind_int64 (stmt, first + 10, row->practitioner_id);
  meso_db_bind_text (stmt, first + 11, row->note);
  meso_db_bind_int64 (stmt, first + 12, row->caution_confirmed);
  meso_db_bind_int64 (stmt, first + 13, row->created_at);
  if (row->lot_id != 0)
    meso_db_bind_int64 (stmt, first + 14, row->lot_id);
}

/* The id of the demo's product for a lot prefix, added when first used. */
static gint64
demo_product (Demo        *demo,
              const char  *prefix,
              GError     **error)
{
  static const char *const names[][2] = {
    { "HA", "Hyaluronic Acid Serum" }, { "PP", "Peptide Complex" },
    { "VC", "Vitamin C Ampoule" }, { "MX", "Minoxidil Solution" },
  };
  gint64 *known = g_hash_table_lookup (demo->products, prefix);
  const char *name = "Base Serum";
  gint64 id;

  if (known != NULL)
    return *known;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (prefix, names[i][0]))
      name = names[i][1];
  if (!meso_store_insert_product (demo->store, name, unix_at (demo, demo->first_day, 8 * 60),
                                  &id, error))
    return 0;
  g_hash_table_insert (demo->products, g_strdup (prefix), g_memdup2 (&id, sizeof id));
  return id;
}

/* One lot in 25 is registered (issue 18), so the recall by lot has data:
 * usable for two years after the month it was made in, so no demo session
 * is refused by R7. @row's lot_id, or 0 and @error. */
static gboolean
demo_register_lot (Demo        *demo,
                   SessionRow  *row,
                   const Day   *day,
                   const char  *prefix,
                   GError     **error)
{
  gint64 *known = g_hash_table_lookup (demo->lots, row->lot);
  gint64 product_id;
  GDate expires;

  if (known != NULL)
    {
      row->lot_id = *known;
      return TRUE;
    }
  product_id = demo_product (demo, prefix, error);
  if (product_id == 0)
    return FALSE;
  g_date_clear (&expires, 1);
  g_date_set_dmy (&expires, 1, (GDateMonth)day->month, (GDateYear)day->year);
  g_date_add_months (&expires, 25);
  g_date_subtract_days (&expires, 1);
  if (!meso_store_insert_lot (demo->store, product_id, row->lot, &expires,
                              unix_at (demo, demo->first_day, 8 * 60), &row->lot_id, error))
    return FALSE;
  g_hash_table_insert (demo->lots, g_strdup (row->lot),
                       g_memdup2 (&row->lot_id, sizeof row->lot_id));
  return TRUE;
}

/* Writes the pending sessions: a full batch in one statement, a last
 * partial one row by row. */
static gboolean
flush_sessions (Demo    *demo,
                GError **error)
{
  MesoDbStmt *stmt;

  if (demo->n_pending == SESSION_BATCH)
    {
      stmt = meso_store_prepare (demo->store, demo->insert_batch, error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < SESSION_BATCH; i++)
        bind_session (demo, stmt, 1 + (int)i * SESSION_PARAMS, &demo->pending[i]);
      if (!meso_store_step_done (demo->store, stmt, error))
        return FALSE;
    }
  else
    for (guint i = 0; i < demo->n_pending; i++)
      {
        stmt = meso_store_prepare (demo->store, demo->insert_one, error);
        if (stmt == NULL)
          return FALSE;
        bind_session (demo, stmt, 1, &demo->pending[i]);
        if (!meso_store_step_done (demo->store, stmt, error))
          return FALSE;
      }

  demo->n_sessions += demo->n_pending;
  demo->n_pending = 0;
  return TRUE;
}

static gboolean
insert_appointment (Demo          *demo,
                    gint64         patient_id,
                    MesoArea       area,
                    gint64         start,
                    gint64         practitioner_id,
                    gint64         room_id,
                    MesoAppointmentStatus status,
                    const char    *cancel_reason,
                    gint64         created_at,
                    GError       **error)
{
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (demo->store,
                             "INSERT INTO appointments (patient_id, area, start, minutes, end_at, "
                             "practitioner_id, room_id, status, cancel_reason, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error);
  if (stmt == NULL)
    return FALSE;
  meso_db_bind_int64 (stmt, 1, patient_id);
  meso_db_bind_text (stmt, 2, demo->area_nick[area]);
  meso_db_bind_int64 (stmt, 3, start);
  meso_db_bind_int64 (stmt, 4, SESSION_MINUTES);
  meso_db_bind_int64 (stmt, 5, start + SESSION_MINUTES * 60);
  if (practitioner_id > 0)
    meso_db_bind_int64 (stmt, 6, practitioner_id);
  if (room_id > 0)
    meso_db_bind_int64 (stmt, 7, room_id);
  meso_db_bind_text (stmt, 8, demo->status_nick[status]);
  meso_db_bind_text (stmt, 9, cancel_reason);
  meso_db_bind_int64 (stmt, 10, MIN (created_at, demo->now));
  if (!meso_store_step_done (demo->store, stmt, error))
    return FALSE;
  demo->n_appointments++;
  return TRUE;
}

/* Books @n_areas consecutive hours on @day, with a free clinician and room
 * where there are; without them where the calendar is full. */
static gboolean
book (Demo          *demo,
      gint64         patient_id,
      Patient       *patient,
      guint          day,
      const guint   *courses,
      guint          n_areas,
      GError       **error)
{
  const Day *info;
  int open, close;
  guint n_hours, first_try;
  gint64 practitioner_id = 0, room_id = 0;
  guint start_minute = 0;
  gboolean found = FALSE;
  guint favourite = 0;

  for (guint k = 0; k < demo->n_clinicians; k++)
    if (demo->clinicians[k] == patient->favourite)
      favourite = k;
  day = open_day_from (demo, day);
  info = day_info (demo, day);
  open = (demo->open_minute[info->weekday] + 59) / 60;
  close = (demo->close_minute[info->weekday] - (int)(n_areas * SESSION_MINUTES)) / 60;
  n_hours = close >= open ? (guint)(close - open + 1) : 0;
  first_try = n_hours > 0 ? pick (demo, n_hours) : 0;

  for (guint h = 0; h < n_hours && !found; h++)
    {
      guint hour = (guint)open + (first_try + h) % n_hours;

      for (guint c = 0; c < demo->n_clinicians && !found; c++)
        {
          /* The usual practitioner first, then the others. */
          guint clinician = (favourite + c) % demo->n_clinicians;
          guint bit = 1u << clinician;

          for (guint r = 0; r < demo->n_rooms && !found; r++)
            {
              guint room_bit = 1u << (8 + r);
              gboolean free = TRUE;

              for (guint a = 0; a < n_areas; a++)
                {
                  guint key = (day - demo->today) * 24 + hour + a + 1;
                  guint used = GPOINTER_TO_UINT (g_hash_table_lookup (demo->busy,
                                                                      GUINT_TO_POINTER (key)));

                  if (used & (bit | room_bit))
                    free = FALSE;
                }
              if (!free)
                continue;
              for (guint a = 0; a < n_areas; a++)
                {
                  guint key = (day - demo->today) * 24 + hour + a + 1;
                  guint used = GPOINTER_TO_UINT (g_hash_table_lookup (demo->busy,
                                                                      GUINT_TO_POINTER (key)));

                  g_hash_table_insert (demo->busy, GUINT_TO_POINTER (key),
                                       GUINT_TO_POINTER (used | bit | room_bit));
                }
              practitioner_id = demo->clinicians[clinician];
              room_id = demo->rooms[r];
              start_minute = hour * 60;
              found = TRUE;
            }
        }
    }
  if (!found)
    start_minute = pick_start_minute (demo, day, n_areas * SESSION_MINUTES);

  for (guint a = 0; a < n_areas; a++)
    {
      const Course *course = &g_array_index (demo->courses, Course, courses[a]);
      gint64 start = unix_at (demo, day, start_minute + a * SESSION_MINUTES);

      /* Now and then the first date did not suit and was moved. */
      if (a == 0 && chance (demo, 0.05) && day > demo->today + 2)
        {
          guint earlier = open_day_from (demo,
                                         demo->today + 1 + pick (demo, day - demo->today - 1));

          if (earlier < day &&
              !insert_appointment (demo, patient_id, course->area,
                                   unix_at (demo, earlier, pick_start_minute (demo, earlier,
                                                                              SESSION_MINUTES)),
                                   0, 0, MESO_APPOINTMENT_CANCELLED,
                                   cancel_reasons[pick (demo, G_N_ELEMENTS (cancel_reasons))],
                                   demo->now - 86400 * (gint64)(5 + pick (demo, 20)), error))
            return FALSE;
        }
      if (!insert_appointment (demo, patient_id, course->area, start, practitioner_id, room_id,
                               MESO_APPOINTMENT_BOOKED, NULL,
                               demo->now - 86400 * (gint64)pick (demo, 30) - pick (demo, 3600),
                               error))
        return FALSE;
    }
  return TRUE;
}

/* YYYY-MM-DD into @text (11 bytes or more). */
static void
format_day (guint  julian,
            char  *text)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_snprintf (text, 16, "%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

static gboolean
insert_flag (Demo                 *demo,
             gint64                patient_id,
             MesoContraindication  kind,
             guint                 noted,
             guint                 cleared,
             GError              **error)
{
  char noted_text[16], cleared_text[16];
  MesoDbStmt *stmt;

  stmt = meso_store_prepare (demo->store,
                             "INSERT INTO flags (patient_id, kind, noted_on, cleared_on) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;
  format_day (noted, noted_text);
  if (cleared != 0)
    format_day (cleared, cleared_text);
  meso_db_bind_int64 (stmt, 1, patient_id);
  meso_db_bind_text (stmt, 2, demo->flag_nick[kind]);
  meso_db_bind_text (stmt, 3, noted_text);
  meso_db_bind_text (stmt, 4, cleared != 0 ? cleared_text : NULL);
  if (!meso_store_step_done (demo->store, stmt, error))
    return FALSE;
  demo->n_flags++;
  return TRUE;
}

static MesoContraindication
pick_deferring_flag (Demo *demo)
{
  static const MesoContraindication kinds[] = {
    MESO_CONTRAINDICATION_ACTIVE_ACNE, MESO_CONTRAINDICATION_HERPES,
    MESO_CONTRAINDICATION_INFECTION,
  };

  return kinds[pick (demo, G_N_ELEMENTS (kinds))];
}

static gboolean
add_patient (Demo    *demo,
             GError **error)
{
  Patient patient = { 0 };
  PatientState state;
  guint next_day = 0, next_courses[2], n_next_courses = 0;
  gboolean scar_prone = chance (demo, 0.02);
  gboolean book_next = FALSE;
  guint last_day, first_day;
  guint age_days;
  char birth_text[16];
  g_autofree char *sort_key = NULL;
  const char *notes = "";
  MesoDbStmt *stmt;
  gint64 patient_id;

  patient.sensitive = chance (demo, 0.10);
  patient.min_days = meso_policy_min_days (&demo->policy, patient.sensitive);
  patient.max_days = meso_policy_max_days (&demo->policy, patient.sensitive);
  patient.join_day = demo->today - 1 - pick (demo, HISTORY_DAYS);
  if (demo->n_clinicians > 0)
    patient.favourite = demo->clinicians[pick (demo, demo->n_clinicians)];

  make_identity (demo);
  /* 18 to 78 at the first visit, most in their thirties to fifties. */
  age_days = (18 + pick (demo, 31) + pick (demo, 31)) * 365 + pick (demo, 365);
  format_day (patient.join_day - age_days, birth_text);
  if (chance (demo, 0.08))
    notes = patient_notes[pick (demo, G_N_ELEMENTS (patient_notes))];

  state = plan_history (demo, &patient, scar_prone, &next_day, next_courses, &n_next_courses);
  first_day = demo->sessions->len > 0
                ? g_array_index (demo->sessions, PlannedSession, 0).day : patient.join_day;
  last_day = demo->sessions->len > 0
               ? g_array_index (demo->sessions, PlannedSession, demo->sessions->len - 1).day
               : patient.join_day;

  /* Where the patient stands on the recall list. */
  patient.recall = "active";
  switch (state)
    {
    case STATE_ONGOING:
      book_next = next_day <= demo->today + BOOKING_AHEAD_DAYS && chance (demo, 0.22);
      break;
    case STATE_DROPPED:
      {
        guint r = pick (demo, 100);

        patient.recall = r < 30 ? "active" : r < 70 ? "declined" : "finished";
        /* Some called back and booked their next session. */
        if (r < 30 && chance (demo, 0.15))
          {
            next_day = demo->today + 3 + pick (demo, 40);
            n_next_courses = 1;
            next_courses[0] = g_array_index (demo->sessions, PlannedSession,
                                             demo->sessions->len - 1).course;
            book_next = TRUE;
          }
      }
      break;
    case STATE_FINISHED:
    default:
      /* An old course is mostly marked finished; a recent one is still open. */
      if (last_day + patient.max_days < demo->today)
        {
          guint r = pick (demo, 100);

          patient.recall = r < 90 ? "finished" : r < 95 ? "declined" : "active";
        }
      /* A new course ahead: booked now and then. */
      if (n_next_courses > 0 && next_day <= demo->today + BOOKING_AHEAD_DAYS &&
          chance (demo, 0.3))
        {
          book_next = TRUE;
          patient.recall = "active";
        }
      break;
    }
  if (!book_next)
    n_next_courses = 0;
  patient.archived = g_strcmp0 (patient.recall, "active") != 0 &&
                     last_day + 2 * 365 < demo->today && chance (demo, 0.05);

  stmt = meso_store_prepare (demo->store,
                             "INSERT INTO patients (name, sort_key, birth_date, phone, email, "
                             "sensitive_skin, notes, archived, recall, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                             error);
  if (stmt == NULL)
    return FALSE;
  sort_key = meso_store_sort_key (demo->text->str);
  meso_db_bind_text (stmt, 1, demo->text->str);
  meso_db_bind_text (stmt, 2, sort_key);
  meso_db_bind_text (stmt, 3, birth_text);
  meso_db_bind_text (stmt, 4, demo->phone->len > 0 ? demo->phone->str : NULL);
  meso_db_bind_text (stmt, 5, demo->email->len > 0 ? demo->email->str : NULL);
  meso_db_bind_int64 (stmt, 6, patient.sensitive);
  meso_db_bind_text (stmt, 7, notes);
  meso_db_bind_int64 (stmt, 8, patient.archived);
  meso_db_bind_text (stmt, 9, patient.recall);
  meso_db_bind_int64 (stmt, 10, unix_at (demo, first_day, 9 * 60) - pick (demo, 14 * 86400));
  if (!meso_store_step_id (demo->store, stmt, &patient_id, error))
    return FALSE;

  for (guint i = 0; i < demo->sessions->len; i++)
    {
      const PlannedSession *s = &g_array_index (demo->sessions, PlannedSession, i);
      const Course *course = &g_array_index (demo->courses, Course, s->course);
      const Day *day = day_info (demo, s->day);
      gint64 at = unix_at (demo, s->day, s->minute);
      SessionRow *row;

      /* A missed or cancelled appointment a few days before. */
      if ((s->no_show_before || s->cancelled_before) &&
          !insert_appointment (demo, patient_id, course->area,
                               unix_at (demo, s->day - 7, s->minute), s->practitioner_id, 0,
                               s->no_show_before ? MESO_APPOINTMENT_NO_SHOW
                                                 : MESO_APPOINTMENT_CANCELLED,
                               s->no_show_before
                                 ? NULL
                                 : cancel_reasons[pick (demo, G_N_ELEMENTS (cancel_reasons))],
                               at - 86400 * 30, error))
        return FALSE;

      row = &demo->pending[demo->n_pending++];
      row->patient_id = patient_id;
      row->at = at;
      row->course = *course;
      row->practitioner_id = s->practitioner_id;
      row->note = chance (demo, 0.04)
                    ? session_notes[pick (demo, G_N_ELEMENTS (session_notes))] : NULL;
      g_snprintf (row->lot, sizeof row->lot, "%s-%02u%02u-%03u", course->lot_prefix,
                  day->year % 100, day->month, (s->day / 30 * 7 + s->course) % 1000);
      row->lot_id = 0;
      if ((s->day / 30 * 7 + s->course) % 1000 % 25 == 0 &&
          !demo_register_lot (demo, row, day, course->lot_prefix, error))
        return FALSE;
      /* A scar-prone patient's sessions were all confirmed (R2 caution). */
      row->caution_confirmed = scar_prone;
      row->created_at = at + SESSION_MINUTES * 60 + pick (demo, 1800);
      if (demo->n_pending == SESSION_BATCH && !flush_sessions (demo, error))
        return FALSE;
    }

  /* Flags (R2): scar-prone from the first visit; now and then a deferring
   * one between two sessions, cleared by the next; a few still active. */
  if (scar_prone &&
      !insert_flag (demo, patient_id, MESO_CONTRAINDICATION_SCAR_PRONE, first_day, 0, error))
    return FALSE;
  if (demo->sessions->len >= 2 && chance (demo, 0.06))
    {
      guint i = pick (demo, demo->sessions->len - 1);
      guint before = g_array_index (demo->sessions, PlannedSession, i).day;
      guint after = g_array_index (demo->sessions, PlannedSession, i + 1).day;

      if (after > before + 6)
        {
          guint noted = before + 1 + pick (demo, (after - before) / 2);
          guint cleared = noted + 3 + pick (demo, MIN (after - noted - 3, 18) + 1);

          if (!insert_flag (demo, patient_id, pick_deferring_flag (demo), noted, cleared, error))
            return FALSE;
        }
    }
  if (demo->sessions->len > 0 && chance (demo, 0.015))
    {
      guint from = MAX (last_day + 1, demo->today - 20);

      if (!insert_flag (demo, patient_id, pick_deferring_flag (demo),
                        from + pick (demo, demo->today - from + 1), 0, error))
        return FALSE;
    }

  if (n_next_courses > 0 && !book (demo, patient_id, &patient, next_day, next_courses,
                                   n_next_courses, error))
    return FALSE;
  return TRUE;
}

/* ================================================================= entry */

gboolean
meso_store_generate_demo (MesoStore  *self,
                          guint       n_patients,
                          guint32     seed,
                          GError    **error)
{
  const MesoStoreProvider *provider = meso_store_get_provider (self);
  Demo demo = { 0 };
  int has_patients = 0;
  g_autofree char *restore = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 written, indexed;
  gboolean ok = FALSE;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!meso_store_require (self, MESO_PERMISSION_MANAGE, error))
    return FALSE;

  /* The engine's own settings for a long write, set back at the end. */
  if (provider->tune_bulk_write != NULL && !provider->tune_bulk_write (self, &restore, error))
    goto out;

  if (!meso_store_begin (self, error))
    goto out;
  /* Inside the write lock, so no other program adds one meanwhile. */
  if (!meso_store_read_int (self, "SELECT EXISTS (SELECT 1 FROM patients)", &has_patients, error))
    goto failed;
  if (has_patients)
    {
      g_set_error_literal (error, MESO_STORE_ERROR, MESO_STORE_ERROR_INVALID,
                           _("Demo data can only be added to an empty clinic database: this "
                             "one has patients already. Nothing was changed."));
      goto failed;
    }

  if (!demo_init (&demo, self, seed, error) || !add_staff (&demo, error))
    goto failed;
  for (guint i = 0; i < n_patients; i++)
    if (!add_patient (&demo, error))
      goto failed;
  if (!flush_sessions (&demo, error))
    goto failed;
  written = g_get_monotonic_time ();

  if (!meso_store_index_patient (self, 0, error))
    goto failed;
  indexed = g_get_monotonic_time ();
  if (!meso_store_update_courses (self, 0, error))
    goto failed;
  g_debug ("Demo: %u patients, %u sessions, %u appointments, %u flags written in %.1f s; "
           "search index %.1f s, courses %.1f s",
           n_patients, demo.n_sessions, demo.n_appointments, demo.n_flags,
           (written - started) / 1e6, (indexed - written) / 1e6,
           (g_get_monotonic_time () - indexed) / 1e6);

  if (!meso_store_commit (self, error))
    goto out;
  g_debug ("Demo committed after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  ok = TRUE;
  meso_store_after_bulk_write (self);
  g_debug ("Demo ready after %.1f s", (g_get_monotonic_time () - started) / 1e6);
  goto out;

failed:
  meso_store_rollback (self);
out:
  if (restore != NULL)
    meso_store_exec (self, restore, NULL);
  demo_clear (&demo);
  return ok;
}
