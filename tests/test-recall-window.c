/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recall by Lot in the window (issue 18): opened from the main window's
 * action on a real SQLite file seeded through the store, a lot typed, its
 * patients listed, one logged as called, the list exported as CSV and
 * read back. With MESODESK_SHOT_DIR, screenshots at 1280 and 360 pixels
 * (LANGUAGE=de: in German). "Now" is 2026-11-21T09:00, Europe/Berlin;
 * the dates as the C locale writes them (ISO). */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-lot-picker.h"
#include "meso-recall-window.h"

#include "meso-test-core.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#define NOW       "2026-11-21T09:00"
#define N_HA1     40   /* more rows than the window shows */

static char            *dir;
static MesoApplication *app;
static MesoWindow      *window;
static MesoStore       *store;
static gint64           first_patient;
static gboolean         german;   /* LANGUAGE=de: for the screenshots; no English texts */

static gboolean
recall_settled (gpointer data)
{
  return !meso_recall_window_get_loading (MESO_RECALL_WINDOW (data));
}

/* Lot HA-1 given to N_HA1 patients, HA-2 to three others. */
static void
seed (void)
{
  g_autoptr(GError) error = NULL;
  GDate expires = make_day ("2027-06-30");
  static const char *const names[] = { "Anna", "Bela", "Carla", "Dora", "Emil", "Frieda",
                                       "Greta", "Hanna" };

  assert_true (meso_store_add_lot (store, "HA-1", "Hyaluron Serum", &expires, NULL, NULL,
                                   &error));
  assert_true (meso_store_add_lot (store, "HA-2", "Hyaluron Serum", &expires, NULL, NULL,
                                   &error));
  assert_true (meso_store_add_lot (store, "VC-7", "Vitamin C Ampoule", &expires, NULL, NULL,
                                   &error));
  for (guint i = 0; i < N_HA1 + 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s Weber-%02u", names[i % G_N_ELEMENTS (names)],
                                               i);
      g_autofree char *phone = g_strdup_printf ("0171 555 %04u", i);
      g_autofree char *email = g_strdup_printf ("patient%02u@example.org", i);
      g_autofree char *at = g_strdup_printf ("2026-%02u-%02uT%02u:00", 9 + i / 28, 1 + i % 28,
                                             9 + i % 8);
      gint64 id = add_patient_full (store, name, FALSE, i % 5 == 4 ? NULL : phone,
                                    i % 3 == 2 ? NULL : email);

      if (i == 0)
        first_patient = id;
      record_lot_by (store, id, at, i % 2 ? MESO_AREA_NECK : MESO_AREA_FACE, NULL, NULL,
                     i < N_HA1 ? "HA-1" : "HA-2");
    }
}

static MesoRecallWindow *
open_recall (void)
{
  MesoRecallWindow *recall;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.recall-by-lot", NULL);
  settle (100);
  recall = MESO_RECALL_WINDOW (find_toplevel (MESO_TYPE_RECALL_WINDOW));
  assert_non_null (recall);
  return recall;
}

static void
type_lot (MesoRecallWindow *recall,
          const char       *number)
{
  GtkWidget *entry = find_descendant (GTK_WIDGET (recall), GTK_TYPE_ENTRY);

  assert_non_null (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), number);
  /* Return, as typed. */
  g_signal_emit_by_name (entry, "activate");
  assert_true (wait_for (recall_settled, recall));
  settle (100);
}

/* Whether a label in @widget shows @text as a whole line of it; in German
 * always (the same texts, looked at in the screenshots). */
static gboolean
shows (gpointer    widget,
       const char *text)
{
  g_autofree char *texts = texts_of (GTK_WIDGET (widget));
  g_autofree char *line = g_strdup_printf ("\n%s\n", text);
  g_autofree char *all = g_strconcat ("\n", texts, NULL);

  return german || strstr (all, line) != NULL;
}

typedef struct
{
  gpointer    widget;
  const char *text;
} Shown;

static gboolean
shows_cb (gpointer data)
{
  Shown *shown = data;

  return shows (shown->widget, shown->text);
}

static void
collect_patient_cb (const MesoLotPatient *row,
                    gpointer              user_data)
{
  g_array_append_val ((GArray *)user_data, row->patient_id);
}

static void
test_recall_lists_logs_exports (void **state)
{
  MesoRecallWindow *recall = open_recall ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) contacted = NULL;
  g_autofree char *csv_path = g_build_filename (dir, "recall.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  GtkListBox *list;
  GtkWidget *entry;
  GtkWidget *log;
  GStatBuf st;
  guint n = 0;

  entry = find_descendant (GTK_WIDGET (recall), GTK_TYPE_ENTRY);
  EXPECT ("the lot field has a name", german || accessible_label_is (entry, "Lot number"));
  EXPECT ("the lot field has the focus", gtk_widget_has_focus (find_descendant (entry,
                                                                               GTK_TYPE_TEXT)));

  /* Typed "ha": both HA lots offered (case aside), not VC-7; Down, Return picks the first. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ha");
  settle (200);
  list = meso_lot_picker_get_list (entry);
  assert_non_null (list);
  EXPECT ("the list shows", gtk_widget_get_mapped (GTK_WIDGET (list)));
  EXPECT ("two lots offered", gtk_list_box_get_row_at_index (list, 1) != NULL &&
                              gtk_list_box_get_row_at_index (list, 2) == NULL);
  EXPECT ("with product and expiry", german ||
          shows (gtk_widget_get_root (GTK_WIDGET (list)),
                 "Hyaluron Serum, expires 2027-06-30"));
  press_in_lot_picker (entry, GDK_KEY_Down);
  take_screenshot (german ? "recall-picker-de" : "recall-picker");
  press_in_lot_picker (entry, GDK_KEY_Return);
  assert_true (wait_for (recall_settled, recall));
  settle (100);
  EXPECT_STR ("the picked lot in the field", "HA-1",
              gtk_editable_get_text (GTK_EDITABLE (entry)));
  EXPECT ("the list closed", !gtk_widget_get_mapped (GTK_WIDGET (list)));

  /* Return with nothing picked: the lot as typed is looked for, the list closed. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "HA");
  settle (100);
  EXPECT ("offered again", gtk_widget_get_mapped (GTK_WIDGET (list)));
  type_lot (recall, "HA");
  EXPECT ("closed by Return", !gtk_widget_get_mapped (GTK_WIDGET (list)));
  EXPECT ("not a lot", shows (recall, "There is no registered lot HA."));

  type_lot (recall, " HA-1 ");
  EXPECT_INT ("every session of the lot", N_HA1,
              g_list_model_get_n_items (meso_recall_window_get_model (recall)));
  if (!shows (recall, "40 sessions with lot HA-1 (Hyaluron Serum, expires 2027-06-30)"))
    {
      g_autofree char *texts = texts_of (GTK_WIDGET (recall));

      fail_msg ("how many, which lot: the window shows\n%s", texts);
    }
  EXPECT ("the first patient, oldest first", shows (recall, "Anna Weber-00"));
  EXPECT ("her phone and e-mail", shows (recall, "0171 555 0000 · patient00@example.org"));
  EXPECT ("not another lot's", german || !shows (recall, "Anna Weber-40"));
  EXPECT ("nobody called yet", shows (recall, "Not contacted yet"));

  /* The first row's Log Call: written to the contact log, naming the lot. */
  log = find_matching (GTK_WIDGET (recall), GTK_TYPE_BUTTON, widget_named, "log-call");
  assert_non_null (log);
  g_signal_emit_by_name (log, "clicked");
  settle (100);
  contacted = meso_store_get_lot_contact (store, first_patient, "HA-1", &error);
  EXPECT_NO_ERROR ("contact", error);
  EXPECT ("logged for this lot", contacted != NULL);
  if (!shows (recall, "Contacted 2026-11-21 09:00"))
    {
      g_autofree char *texts = texts_of (GTK_WIDGET (recall));

      fail_msg ("the row says so: the window shows\n%s", texts);
    }
  gtk_window_set_default_size (GTK_WINDOW (recall), 1280, 800);
  take_screenshot (german ? "recall-wide-de" : "recall-wide");
  g_clear_pointer (&contacted, g_date_time_unref);
  contacted = meso_store_get_lot_contact (store, first_patient, "HA-2", &error);
  EXPECT ("not for another lot", contacted == NULL);

  /* Read again: the contact comes from the store. */
  type_lot (recall, "HA-2");
  EXPECT_INT ("the other lot's", 3,
              g_list_model_get_n_items (meso_recall_window_get_model (recall)));
  type_lot (recall, "HA-1");
  EXPECT ("still contacted", shows (recall, "Contacted 2026-11-21 09:00"));

  /* Another desk calls the second row's patient: the row says so (the
   * change notes of the file, as between two programs), the first row
   * keeps its call, the list its rows. */
  {
    g_autoptr(MesoStore) desk = meso_store_open (meso_store_get_path (store), &error);
    g_autoptr(GDateTime) at = local_dt ("2026-11-21T08:30");
    g_autoptr(GArray) patients = g_array_new (FALSE, FALSE, sizeof (gint64));
    Shown called = { recall, "Contacted 2026-11-21 08:30" };

    EXPECT_NO_ERROR ("the other desk", error);
    assert_non_null (desk);
    EXPECT ("listed", meso_store_list_lot_patients (desk, "HA-1", collect_patient_cb, patients,
                                                    &error));
    EXPECT ("the other desk's call",
            meso_store_log_lot_contact (desk, g_array_index (patients, gint64, 1), "HA-1", at,
                                        &error));
    EXPECT_NO_ERROR ("the other desk's call", error);
    EXPECT ("shown here", wait_for_within (shows_cb, &called, 10 * G_USEC_PER_SEC));
    EXPECT ("the first still", shows (recall, "Contacted 2026-11-21 09:00"));
    EXPECT_INT ("the same rows", N_HA1,
                g_list_model_get_n_items (meso_recall_window_get_model (recall)));
  }

  /* The CSV, as the export button's file chooser writes it. */
  EXPECT ("export", meso_recall_window_export_to (recall, csv_path, &n, &error));
  EXPECT_NO_ERROR ("export", error);
  EXPECT_INT ("every row", N_HA1, n);
  assert_int_equal (g_stat (csv_path, &st), 0);
  EXPECT_INT ("the patient's data: 0600", 0600, st.st_mode & 0777);
  assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  EXPECT_INT ("a header, the rows, the last line's end", N_HA1 + 2, g_strv_length (lines));
  EXPECT_STR ("header", "patient_id,name,session_at,area,phone,email,product,lot", lines[0]);
  EXPECT ("the first row",
          german || g_str_has_suffix (lines[1], ",Anna Weber-00,2026-09-01T09:00,Face,"
                                                "0171 555 0000,patient00@example.org,"
                                                "Hyaluron Serum,HA-1"));

  /* Printed (to PDF) and read back. */
  {
    g_autoptr(GtkPrintOperation) operation = meso_recall_window_print_operation_new (recall);
    g_autofree char *pdf = g_build_filename (dir, "recall.pdf", NULL);
    const char *pdftotext = g_getenv ("MESODESK_PDFTOTEXT");
    const char *argv[] = { pdftotext, "-enc", "UTF-8", "-l", "1", pdf, "-", NULL };
    g_autofree char *out = NULL;
    int status;

    gtk_print_operation_set_export_filename (operation, pdf);
    EXPECT_INT ("printed", GTK_PRINT_OPERATION_RESULT_APPLY,
                gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                         &error));
    if (pdftotext == NULL || *pdftotext == '\0')
      fail_msg ("pdftotext (poppler-utils) is needed to read the recall list back");
    assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
    EXPECT ("the title", german || strstr (out, "Recall of lot HA-1 (Hyaluron Serum, expires "
                                                "2027-06-30)") != NULL);
    EXPECT ("the first patient", strstr (out, "Anna Weber-00") != NULL);
    EXPECT ("her phone", strstr (out, "0171 555 0000") != NULL);
    EXPECT ("when she was called", strstr (out, "2026-11-21 09:00") != NULL || german);
  }

  /* Narrow: a phone's width. */
  gtk_window_set_default_size (GTK_WINDOW (recall), 360, 700);
  settle (300);
  take_screenshot (german ? "recall-narrow-de" : "recall-narrow");
  gtk_window_destroy (GTK_WINDOW (recall));
  settle (50);
}

static void
test_unknown_lot (void **state)
{
  MesoRecallWindow *recall = open_recall ();

  type_lot (recall, "ZZ-404");
  EXPECT_INT ("nobody", 0, g_list_model_get_n_items (meso_recall_window_get_model (recall)));
  EXPECT ("says the lot is not registered",
          shows (recall, "There is no registered lot ZZ-404."));
  gtk_window_destroy (GTK_WINDOW (recall));
  settle (50);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_recall_lists_logs_exports),
    cmocka_unit_test (test_unknown_lot),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int failed;

  german = g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "de");
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_setenv ("MESODESK_NOW", NOW, TRUE);
  dir = g_dir_make_tmp ("mesodesk-recall-window-XXXXXX", NULL);
  path = g_build_filename (dir, "clinic.db", NULL);
  meso_i18n_init ();
  gtk_init ();
  adw_init ();
  if (german)
    setlocale (LC_ALL, "");
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  window = present_main_window (path, &app);
  if (window == NULL)
    return 1;
  store = meso_application_get_store (app, &error);
  if (store == NULL)
    {
      g_printerr ("could not open the database: %s\n", error->message);
      return 1;
    }
  seed ();
  failed = cmocka_run_group_tests (tests, NULL, NULL);
  close_main_window (window, &app);
  return failed;
}
