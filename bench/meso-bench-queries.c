/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmarks type: the searches a receptionist makes, drawn from
 * the demo database's own patients. Shared by the store's benchmark and the
 * window's. */
#define G_LOG_DOMAIN "mesodesk-bench"

#include "config.h"

#include "meso-bench-queries.h"

#include <string.h>

/* The first 2 to 5 characters of @word. */
static char *
prefix_of (GRand      *rand,
           const char *word)
{
  glong length = g_utf8_strlen (word, -1);
  glong n = MIN (length, g_rand_int_range (rand, 2, 6));

  return g_utf8_substring (word, 0, MAX (n, 1));
}

/* What a receptionist types to find someone: the start of a name, a piece
 * of a phone number, the start of an e-mail address. */
char *
query_for_patient (GRand       *rand,
                   MesoPatient *patient)
{
  const char *name = meso_patient_get_name (patient);
  const char *phone = meso_patient_get_phone (patient);
  const char *email = meso_patient_get_email (patient);
  int kind = g_rand_int_range (rand, 0, 100);

  if (kind < 25 && phone != NULL)
    {
      g_auto(GStrv) groups = g_strsplit_set (phone, " +-()./", -1);
      g_autoptr(GString) digits = g_string_new (NULL);
      guint n_groups = g_strv_length (groups);
      const char *group;

      /* Half type the number from its start, half a group of it. */
      for (const char *p = phone; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      if (g_rand_boolean (rand) && digits->len >= 4)
        return g_strndup (digits->str, g_rand_int_range (rand, 4, MIN (8, (int)digits->len) + 1));
      for (guint tries = 0; tries < 8; tries++)
        {
          group = groups[g_rand_int_range (rand, 0, (gint32)n_groups)];
          if (strlen (group) >= 3)
            return g_strndup (group, g_rand_int_range (rand, 3, (int)strlen (group) + 1));
        }
    }
  if (kind < 50 && email != NULL)
    {
      const char *at = strchr (email, '@');
      int local = at ? (int)(at - email) : (int)strlen (email);

      return g_strndup (email, MIN (local, g_rand_int_range (rand, 3, 11)));
    }

  {
    g_auto(GStrv) words = g_strsplit (name, " ", -1);
    guint n_words = g_strv_length (words);
    g_autofree char *first = prefix_of (rand, words[0]);
    g_autofree char *last = prefix_of (rand, words[n_words - 1]);
    int form = g_rand_int_range (rand, 0, 100);

    if (n_words == 1 || form < 55)
      return g_steal_pointer (&first);
    if (form < 85)
      return g_steal_pointer (&last);
    return g_strdup_printf ("%s %s", first, last);
  }
}

MesoPatient *
random_patient (MesoStore *store,
                GRand     *rand,
                guint      count)
{
  for (;;)
    {
      MesoPatient *patient = meso_store_get_patient (store, g_rand_int_range (rand, 1,
                                                                               (gint32)count + 1),
                                                     NULL);

      if (patient != NULL)
        return patient;
    }
}

