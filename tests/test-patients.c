/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Patients view and its paged list model, on a real demo database in a real
 * (Xvfb) display: the rows must be the store's own, page for page, and a search
 * must end with the latest text's results. No mocks. */

#define G_LOG_DOMAIN "mesodesk-test"

#include "config.h"

#include "meso-test-gui.h"

#include "meso-patient-list.h"
#include "meso-patients-view.h"

#include "meso-test-core.h"

#include <glib/gi18n.h>

#define N_DEMO_PATIENTS   300

static StoreFixture *fixture;

static gboolean
list_settled (gpointer data)
{
  return !meso_patient_list_get_loading (MESO_PATIENT_LIST (data));
}

typedef struct
{
  GListModel *model;
  guint       position;
  MesoPatient *item;
} ItemWait;

static gboolean
item_loaded (gpointer data)
{
  ItemWait *wait = data;

  g_clear_object (&wait->item);
  wait->item = g_list_model_get_item (wait->model, wait->position);
  return wait->item != NULL && meso_patient_get_id (wait->item) != 0;
}

/* The row at @position once its page has arrived: a page not in the cache is
 * fetched by a worker, with blank rows (id 0) until then. */
static MesoPatient *
get_loaded_item (GListModel *model,
                 guint       position)
{
  ItemWait wait = { model, position, NULL };

  assert_true (wait_for (item_loaded, &wait));
  return wait.item;
}

static guint
store_count (const char *text)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  assert_true (meso_store_count_patients (fixture->store, text, FALSE, &count, &error));
  EXPECT_NO_ERROR ("count", error);
  return count;
}

/* The model holds exactly what the store's pages of @text hold, in the same order. */
static void
expect_same_as_store (const char *what,
                      GListModel *model,
                      const char *text)
{
  guint n_items = g_list_model_get_n_items (model);

  EXPECT_INT (what, store_count (text), n_items);

  for (guint offset = 0; offset < n_items; offset += MESO_PATIENT_LIST_PAGE_SIZE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;

      page = meso_store_search_patients (fixture->store, text, FALSE, offset,
                                         MESO_PATIENT_LIST_PAGE_SIZE, &error);
      EXPECT_NO_ERROR (what, error);
      assert_non_null (page);
      EXPECT_INT (what, MIN (MESO_PATIENT_LIST_PAGE_SIZE, n_items - offset), page->len);

      for (guint i = 0; i < page->len; i++)
        {
          g_autoptr(MesoPatient) item = get_loaded_item (model, offset + i);
          MesoPatient *expected = g_ptr_array_index (page, i);

          assert_non_null (item);
          EXPECT_INT (what, meso_patient_get_id (expected), meso_patient_get_id (item));
          EXPECT_STR (what, meso_patient_get_name (expected), meso_patient_get_name (item));
        }
    }

  /* Past the end there is nothing, and the cache never grows past its bound. */
  assert_null (g_list_model_get_item (model, n_items));
  assert_true (meso_patient_list_get_n_cached_pages (MESO_PATIENT_LIST (model))
               <= MESO_PATIENT_LIST_MAX_PAGES);
}

typedef struct
{
  guint n_signals;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
on_items_changed_cb (GListModel   *model,
                     guint         position,
                     guint         removed,
                     guint         added,
                     ItemsChanged *record)
{
  record->n_signals++;
  record->position = MAX (record->position, position);
  record->removed += removed;
  record->added += added;
}

/* A new search's rows replace the old ones in two signals, the old removed
 * and then the new added (see meso_patient_list_count_done_cb()); none for
 * an empty side. */
static guint
replacement_signals (guint old_n_items,
                     guint new_n_items)
{
  return (old_n_items > 0) + (new_n_items > 0);
}

static MesoPatientList *
new_settled_list (void)
{
  MesoPatientList *list = meso_patient_list_new (fixture->store);

  assert_true (wait_for (list_settled, list));
  return list;
}

static void
test_model_matches_store (void **state)
{
  g_autoptr(MesoPatientList) list = new_settled_list ();
  GListModel *model = G_LIST_MODEL (list);

  /* The demo archives some of its patients; the list hides them, as the store does. */
  assert_true (g_list_model_get_n_items (model) > N_DEMO_PATIENTS / 2);
  assert_int_equal (g_list_model_get_item_type (model), MESO_TYPE_PATIENT);
  expect_same_as_store ("everyone", model, "");
  /* More pages than the cache keeps were walked: the first is fetched again, the same. */
  assert_true (g_list_model_get_n_items (model) >
               MESO_PATIENT_LIST_PAGE_SIZE * MESO_PATIENT_LIST_MAX_PAGES);
  assert_int_equal (meso_patient_list_get_n_cached_pages (list), MESO_PATIENT_LIST_MAX_PAGES);
  expect_same_as_store ("everyone, again", model, "");
}

static void
test_search (void **state)
{
  static const char *texts[] = { "zoë", "0151 98", "ÅNGSTRÖM", "" };
  g_autoptr(MesoPatientList) list = new_settled_list ();
  ItemsChanged record = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &record);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      guint old_n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

      record = (ItemsChanged) { 0 };
      meso_patient_list_set_search_text (list, texts[i]);
      assert_string_equal (meso_patient_list_get_search_text (list), texts[i]);
      assert_true (meso_patient_list_get_loading (list));
      assert_true (wait_for (list_settled, list));

      EXPECT_INT (texts[i], replacement_signals (old_n_items, store_count (texts[i])),
                  record.n_signals);
      EXPECT_INT (texts[i], 0, record.position);
      EXPECT_INT (texts[i], old_n_items, record.removed);
      EXPECT_INT (texts[i], store_count (texts[i]), record.added);
      expect_same_as_store (texts[i], G_LIST_MODEL (list), texts[i]);
    }

  /* The hand-made patients are found, by name order; the archived one is not. */
  meso_patient_list_set_search_text (list, "zoë");
  assert_true (wait_for (list_settled, list));
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (list)), 2);
  {
    g_autoptr(MesoPatient) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(MesoPatient) second = g_list_model_get_item (G_LIST_MODEL (list), 1);

    assert_string_equal (meso_patient_get_name (first), "Jonas Zoë Weber");
    assert_string_equal (meso_patient_get_name (second), "Zoë Ångström");
  }

  g_signal_handlers_disconnect_by_data (list, &record);
}

/* A second text typed before the first one's count is back wins; the first's
 * answer is dropped, never shown. */
static void
test_stale_search_cancelled (void **state)
{
  g_autoptr(MesoPatientList) list = new_settled_list ();
  ItemsChanged record = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &record);

  for (guint round = 0; round < 5; round++)
    {
      /* Two patients and one: applying the stale answer would show. */
      const char *first = round % 2 == 0 ? "zoë" : "ångström";
      const char *second = round % 2 == 0 ? "ångström" : "zoë";

      guint old_n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
      guint expected_signals = replacement_signals (old_n_items, store_count (second));

      record = (ItemsChanged) { 0 };
      meso_patient_list_set_search_text (list, first);
      meso_patient_list_set_search_text (list, second);
      assert_true (wait_for (list_settled, list));
      EXPECT_INT (second, expected_signals, record.n_signals);
      EXPECT_INT (second, store_count (second), record.added);
      expect_same_as_store (second, G_LIST_MODEL (list), second);

      /* Nothing late from the first text arrives afterwards. */
      settle (100);
      EXPECT_INT (second, expected_signals, record.n_signals);
      expect_same_as_store (second, G_LIST_MODEL (list), second);
    }

  g_signal_handlers_disconnect_by_data (list, &record);
}

/* Without a database the list is empty and stays so. */
static void
test_model_without_store (void **state)
{
  g_autoptr(MesoPatientList) list = meso_patient_list_new (NULL);

  assert_false (meso_patient_list_get_loading (list));
  meso_patient_list_set_search_text (list, "zoë");
  assert_false (meso_patient_list_get_loading (list));
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (list)), 0);
  assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
}

/* ---------------------------------------------------------------- the view */

typedef struct
{
  GtkWindow        *window;
  MesoPatientsView *view;
  GtkSearchEntry   *entry;
  GtkListView      *list_view;
  GtkStack         *stack;
  AdwStatusPage    *empty_page;
} ViewFixture;

static gboolean
view_settled (gpointer data)
{
  ViewFixture *f = data;
  MesoPatientList *list = meso_patients_view_get_list (f->view);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (f->entry));

  /* search-changed comes from a main loop source, even with no delay. */
  return g_strcmp0 (meso_patient_list_get_search_text (list), text) == 0 &&
         !meso_patient_list_get_loading (list);
}

static void
view_fixture_open (ViewFixture *f,
                   MesoStore   *store)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  f->view = MESO_PATIENTS_VIEW (meso_patients_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  meso_patients_view_set_store (f->view, store);
  gtk_window_present (f->window);

  f->entry = GTK_SEARCH_ENTRY (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_SEARCH_ENTRY));
  f->list_view = GTK_LIST_VIEW (find_descendant (GTK_WIDGET (f->view), GTK_TYPE_LIST_VIEW));
  /* The list's stack and empty state, not those of the patient page beside it. */
  f->stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (f->list_view), GTK_TYPE_STACK));
  f->empty_page = ADW_STATUS_PAGE (find_descendant (GTK_WIDGET (f->stack),
                                                    ADW_TYPE_STATUS_PAGE));
  assert_non_null (f->entry);
  assert_non_null (f->list_view);
  assert_non_null (f->stack);
  assert_non_null (f->empty_page);
  assert_true (wait_for (view_settled, f));
}

static void
view_fixture_close (ViewFixture *f)
{
  gtk_window_destroy (f->window);
  settle (50);
}

static void
search_in_view (ViewFixture *f,
                const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (f->entry), text);
  assert_true (wait_for (view_settled, f));
  settle (100);  /* a frame or two, for the rows to be bound */
}

static void
test_view_shows_rows (void **state)
{
  ViewFixture f = { 0 };
  g_autofree char *entry_label = NULL;
  g_autofree char *list_label = NULL;

  view_fixture_open (&f, fixture->store);

  entry_label = accessible_label (GTK_WIDGET (f.entry));
  assert_string_equal (entry_label, _("Search patients"));
  {
    g_autofree char *placeholder = NULL;

    g_object_get (f.entry, "placeholder-text", &placeholder, NULL);
    assert_string_equal (placeholder, _("Search by name, phone or e-mail"));
  }
  list_label = accessible_label (GTK_WIDGET (f.list_view));
  assert_string_equal (list_label, _("Patients"));

  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "list");
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                                                 f.list_view))),
                    store_count (""));

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autoptr(GPtrArray) page = meso_store_search_patients (fixture->store, "", FALSE, 0, 1,
                                                            NULL);

    settle (100);
    collect_labels (GTK_WIDGET (f.list_view), "heading", names);
    /* Only the rows in sight are made, not one per patient. */
    assert_true (names->len > 0);
    assert_true (names->len < store_count (""));
    assert_true (strv_has (names, meso_patient_get_name (g_ptr_array_index (page, 0))));
  }

  /* A search by phone: the rows are the store's, with name, contact line and tag. */
  search_in_view (&f, "0151 98");
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "list");
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                                                 f.list_view))),
                    store_count ("0151 98"));
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autoptr(GPtrArray) details = g_ptr_array_new ();
    g_autoptr(GPtrArray) tags = g_ptr_array_new ();
    g_autofree char *contact = g_strdup_printf (_("%s · %s"), "0151 987654",
                                                "zoe@example.org");

    collect_labels (GTK_WIDGET (f.list_view), "heading", names);
    collect_labels (GTK_WIDGET (f.list_view), "dim-label", details);
    collect_labels (GTK_WIDGET (f.list_view), "meso-tag", tags);
    assert_int_equal (names->len, store_count ("0151 98"));
    assert_true (strv_has (names, "Zoë Ångström"));
    assert_true (strv_has (details, contact));
    /* Zoë has sensitive skin, Jonas (same number prefix) has not. */
    assert_int_equal (tags->len, 1);
    assert_string_equal (g_ptr_array_index (tags, 0), _("Sensitive skin"));
  }

  /* No match: the empty state says so, and clearing the search brings everyone back. */
  search_in_view (&f, "qxzqxz");
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "empty");
  assert_string_equal (adw_status_page_get_title (f.empty_page), _("No Patients Found"));
  assert_non_null (adw_status_page_get_description (f.empty_page));

  /* Typed twice quickly: the second text's rows are shown. */
  gtk_editable_set_text (GTK_EDITABLE (f.entry), "zoë");
  gtk_editable_set_text (GTK_EDITABLE (f.entry), "ångström");
  assert_true (wait_for (view_settled, &f));
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "list");
  expect_same_as_store ("typed twice", G_LIST_MODEL (meso_patients_view_get_list (f.view)),
                        "ångström");
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                                                 f.list_view))), 1);

  /* Escape in the search clears it. */
  g_signal_emit_by_name (f.entry, "stop-search");
  assert_true (wait_for (view_settled, &f));
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (f.entry)), "");
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "list");
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (
                                                                 f.list_view))),
                    store_count (""));

  view_fixture_close (&f);
}

/* No database (it could not be opened) or an empty one: "No Patients Yet". */
static void
test_view_empty_states (void **state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ("mesodesk-patients-empty-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(MesoStore) empty = meso_store_open (path, &error);
  ViewFixture f = { 0 };

  EXPECT_NO_ERROR ("open", error);

  view_fixture_open (&f, NULL);
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "empty");
  assert_string_equal (adw_status_page_get_title (f.empty_page), _("No Patients Yet"));
  view_fixture_close (&f);

  view_fixture_open (&f, empty);
  assert_string_equal (gtk_stack_get_visible_child_name (f.stack), "empty");
  assert_string_equal (adw_status_page_get_title (f.empty_page), _("No Patients Yet"));
  search_in_view (&f, "zoë");
  assert_string_equal (adw_status_page_get_title (f.empty_page), _("No Patients Found"));
  search_in_view (&f, "");
  assert_string_equal (adw_status_page_get_title (f.empty_page), _("No Patients Yet"));
  view_fixture_close (&f);

  g_clear_object (&empty);
  remove_temp_dir (g_steal_pointer (&dir));
}

static int
setup_database (void **state)
{
  g_autoptr(GError) error = NULL;

  fixture = store_fixture_new ("mesodesk-patients-XXXXXX", TRUE);
  if (!meso_store_generate_demo (fixture->store, N_DEMO_PATIENTS, 1, &error))
    {
      print_error ("demo data: %s\n", error->message);
      return -1;
    }

  add_patient_full (fixture->store, "Zoë Ångström", TRUE, "0151 987654", "zoe@example.org");
  add_patient_full (fixture->store, "Jonas Zoë Weber", FALSE, "0151 981100", NULL);
  {
    gint64 id = add_patient_full (fixture->store, "Zoë Archiviert", FALSE, "0151 989999",
                                  "archiv@example.org");

    if (!meso_store_set_patient_archived (fixture->store, id, TRUE, &error))
      {
        print_error ("archive: %s\n", error->message);
        return -1;
      }
  }

  return 0;
}

static int
teardown_database (void **state)
{
  /* Let cancelled workers finish on their own connections before the files go. */
  settle (300);
  store_fixture_free (fixture);
  fixture = NULL;
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_model_matches_store),
    cmocka_unit_test (test_search),
    cmocka_unit_test (test_stale_search_cancelled),
    cmocka_unit_test (test_model_without_store),
    cmocka_unit_test (test_view_shows_rows),
    cmocka_unit_test (test_view_empty_states),
  };

  gtk_init ();
  adw_init ();

  meso_test_filter_from_env ();

  return cmocka_run_group_tests_name ("patients", tests, setup_database, teardown_database);
}
