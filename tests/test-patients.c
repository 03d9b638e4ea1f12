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

/* Zoë: born then, and booked at zoe_next. */
#define ZOE_BORN "1985-03-14"
static GDateTime *zoe_next;

/* 10:00 on a weekday two weeks or so from now. */
static GDateTime *
next_weekday_at_ten (void)
{
  g_autoptr(GDateTime) now = meso_clock_now ();
  GDate day;

  meso_date_from_date_time (now, &day);
  g_date_add_days (&day, 14);
  while (g_date_get_weekday (&day) >= G_DATE_SATURDAY)
    g_date_add_days (&day, 1);
  return meso_date_time_new_local (g_date_get_year (&day), g_date_get_month (&day),
                                   g_date_get_day (&day), 10, 0, 0);
}


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
  wait->item = meso_patient_list_dup_patient (MESO_PATIENT_LIST (wait->model), wait->position);
  return wait->item != NULL;
}

/* The patient at @position once its page has arrived: a page not in the
 * cache is fetched by a worker, with an empty slot until then. */
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

/* A new search fills the slots in place; items-changed only tells the
 * change of length, at the end: one signal, none when the length stays. */
static void
expect_length_change (const char         *what,
                      const ItemsChanged *record,
                      guint               old_n_items,
                      guint               new_n_items)
{
  EXPECT_INT (what, old_n_items != new_n_items, record->n_signals);
  EXPECT_INT (what, old_n_items != new_n_items ? MIN (old_n_items, new_n_items) : 0,
              record->position);
  EXPECT_INT (what, old_n_items > new_n_items ? old_n_items - new_n_items : 0,
              record->removed);
  EXPECT_INT (what, new_n_items > old_n_items ? new_n_items - old_n_items : 0,
              record->added);
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
  assert_int_equal (g_list_model_get_item_type (model), MESO_TYPE_PATIENT_SLOT);
  expect_same_as_store ("everyone", model, "");
  /* More pages than the cache keeps were walked: the first is fetched again, the same. */
  assert_true (g_list_model_get_n_items (model) >
               MESO_PATIENT_LIST_PAGE_SIZE * MESO_PATIENT_LIST_MAX_PAGES);
  assert_int_equal (meso_patient_list_get_n_cached_pages (list), MESO_PATIENT_LIST_MAX_PAGES);
  expect_same_as_store ("everyone, again", model, "");
}

/* Jumps far down and back, as a scroll bar dragged does: each page comes
 * from the nearest page the list holds (the patient at its end), and is
 * the page the store's OFFSET gives. */
static void
test_jumps_match_store (void **state)
{
  g_autoptr(MesoPatientList) list = new_settled_list ();
  GListModel *model = G_LIST_MODEL (list);
  guint n = g_list_model_get_n_items (model);
  const guint positions[] = { n - 1, n / 2, n / 3 + 7, 2 * n / 3, n - 60, 10, n / 2 + 51 };

  assert_true (n > 4 * MESO_PATIENT_LIST_PAGE_SIZE);
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MesoPatient) shown = get_loaded_item (model, positions[i]);
      g_autoptr(GPtrArray) expected = meso_store_search_patients (fixture->store, "", FALSE,
                                                                  positions[i], 1, &error);
      g_autofree char *what = g_strdup_printf ("row %u of %u", positions[i], n);

      EXPECT_NO_ERROR (what, error);
      assert_int_equal (expected->len, 1);
      EXPECT_INT (what, meso_patient_get_id (g_ptr_array_index (expected, 0)),
                  meso_patient_get_id (shown));
    }
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
      /* Counted by a worker, but for "", the list's first search, whose
       * answer it remembers (see test_recent_searches). */
      assert_true (meso_patient_list_get_loading (list) == (texts[i][0] != '\0'));
      assert_true (wait_for (list_settled, list));

      expect_length_change (texts[i], &record, old_n_items, store_count (texts[i]));
      expect_same_as_store (texts[i], G_LIST_MODEL (list), texts[i]);
    }

  /* The hand-made patients are found, by name order; the archived one is not. */
  meso_patient_list_set_search_text (list, "zoë");
  assert_true (wait_for (list_settled, list));
  assert_int_equal (g_list_model_get_n_items (G_LIST_MODEL (list)), 2);
  {
    g_autoptr(MesoPatient) first = meso_patient_list_dup_patient (list, 0);
    g_autoptr(MesoPatient) second = meso_patient_list_dup_patient (list, 1);

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
      g_autoptr(MesoPatientSlot) slot = NULL;

      record = (ItemsChanged) { 0 };
      meso_patient_list_set_search_text (list, first);
      meso_patient_list_set_search_text (list, second);
      assert_true (wait_for (list_settled, list));
      expect_length_change (second, &record, old_n_items, store_count (second));
      expect_same_as_store (second, G_LIST_MODEL (list), second);

      /* Nothing late from the first text arrives afterwards: neither a
       * signal nor a patient put in a slot. */
      slot = g_list_model_get_item (G_LIST_MODEL (list), 0);
      settle (100);
      expect_length_change (second, &record, old_n_items, store_count (second));
      expect_same_as_store (second, G_LIST_MODEL (list), second);
      assert_non_null (meso_patient_slot_get_patient (slot));
      EXPECT_STR (second, round % 2 == 0 ? "Zoë Ångström" : "Jonas Zoë Weber",
                  meso_patient_get_name (meso_patient_slot_get_patient (slot)));
    }

  g_signal_handlers_disconnect_by_data (list, &record);
}

static void
on_slot_notified_cb (GObject    *slot,
                     GParamSpec *pspec,
                     guint      *count)
{
  (*count)++;
}

static gboolean
slot_filled (gpointer data)
{
  return meso_patient_slot_get_patient (MESO_PATIENT_SLOT (data)) != NULL;
}

/* The item at a position is the same slot from one search to the next, as
 * long as someone holds it (a list view's row does): its patient changes,
 * and it says so. That is what lets a list view keep its row widgets. */
static void
test_slots_follow_searches (void **state)
{
  g_autoptr(MesoPatientList) list = new_settled_list ();
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(MesoPatientSlot) first = g_list_model_get_item (model, 0);
  g_autoptr(MesoPatientSlot) tenth = g_list_model_get_item (model, 10);
  g_autoptr(MesoPatientSlot) deep = NULL;
  g_autoptr(GPtrArray) everyone = meso_store_search_patients (fixture->store, "", FALSE, 0,
                                                              1, NULL);
  guint notified = 0;

  /* The first page comes with the count. */
  assert_non_null (meso_patient_slot_get_patient (first));
  assert_non_null (meso_patient_slot_get_patient (tenth));
  g_signal_connect (first, "notify::patient", G_CALLBACK (on_slot_notified_cb), &notified);

  meso_patient_list_set_search_text (list, "zoë");
  assert_true (wait_for (list_settled, list));
  {
    g_autoptr(MesoPatientSlot) again = g_list_model_get_item (model, 0);

    assert_ptr_equal (again, first);
  }
  assert_string_equal (meso_patient_get_name (meso_patient_slot_get_patient (first)),
                       "Jonas Zoë Weber");
  EXPECT_INT ("notified once", 1, notified);
  /* Past the new end: emptied, and a new slot is made there once the list
   * is long again. */
  assert_null (meso_patient_slot_get_patient (tenth));

  meso_patient_list_set_search_text (list, "");
  assert_true (wait_for (list_settled, list));
  EXPECT_INT ("notified again", 2, notified);
  EXPECT_INT ("everyone's first again",
              meso_patient_get_id (g_ptr_array_index (everyone, 0)),
              meso_patient_get_id (meso_patient_slot_get_patient (first)));
  {
    g_autoptr(MesoPatientSlot) tenth_again = g_list_model_get_item (model, 10);

    assert_ptr_not_equal (tenth_again, tenth);
    assert_non_null (meso_patient_slot_get_patient (tenth_again));
  }

  /* A slot whose page is not here stays empty until someone wants it (a
   * row in sight); then it is filled when the page arrives. */
  deep = g_list_model_get_item (model, 2 * MESO_PATIENT_LIST_PAGE_SIZE + 5);
  assert_non_null (deep);
  settle (200);
  assert_null (meso_patient_slot_get_patient (deep));
  meso_patient_slot_want (deep);
  assert_true (wait_for (slot_filled, deep));
  {
    g_autoptr(GPtrArray) page = meso_store_search_patients (
      fixture->store, "", FALSE, 2 * MESO_PATIENT_LIST_PAGE_SIZE + 5, 1, NULL);

    EXPECT_INT ("the deep slot's patient", meso_patient_get_id (g_ptr_array_index (page, 0)),
                meso_patient_get_id (meso_patient_slot_get_patient (deep)));
  }

  g_signal_handlers_disconnect_by_data (first, &notified);
}

/* A broad search typed again (more than a page of patients: everyone,
 * here) is answered at once from the recent answers, the same as the
 * store's; a narrow one is asked again, being quick; once the records
 * change, every one is asked again. */
static void
test_recent_searches (void **state)
{
  g_autoptr(MesoPatientList) list = new_settled_list ();
  g_autoptr(GError) error = NULL;
  guint everyone = store_count ("");
  gint64 id;

  assert_true (everyone > MESO_PATIENT_LIST_PAGE_SIZE);
  meso_patient_list_set_search_text (list, "ångström");
  assert_true (meso_patient_list_get_loading (list));
  assert_true (wait_for (list_settled, list));

  /* Everyone again: no worker, the answer is there at once. */
  meso_patient_list_set_search_text (list, "");
  assert_false (meso_patient_list_get_loading (list));
  expect_same_as_store ("everyone again", G_LIST_MODEL (list), "");
  /* One patient again: counted again. */
  meso_patient_list_set_search_text (list, "ångström");
  assert_true (meso_patient_list_get_loading (list));
  assert_true (wait_for (list_settled, list));
  expect_same_as_store ("ångström again", G_LIST_MODEL (list), "ångström");

  /* A new patient elsewhere; the list is told, and forgets. */
  id = add_patient (fixture->store, "Åsa Ångström", FALSE);
  meso_patient_list_reload (list);
  assert_true (wait_for (list_settled, list));
  meso_patient_list_set_search_text (list, "");
  assert_true (meso_patient_list_get_loading (list));
  assert_true (wait_for (list_settled, list));
  EXPECT_INT ("the new one counted", everyone + 1,
              g_list_model_get_n_items (G_LIST_MODEL (list)));
  expect_same_as_store ("after the change", G_LIST_MODEL (list), "");

  /* Put back as it was, for the other tests. */
  assert_true (meso_store_set_patient_archived (fixture->store, id, TRUE, &error));
  EXPECT_NO_ERROR ("archive", error);
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

  /* search-changed comes from a main loop source, even with no delay; and
   * a list that grows in steps has all its rows after a frame. */
  return g_strcmp0 (meso_patient_list_get_search_text (list), text) == 0 &&
         !meso_patient_list_get_loading (list) &&
         g_list_model_get_n_items (G_LIST_MODEL (list)) == meso_patient_list_get_n_found (list);
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

    collect_labels (GTK_WIDGET (f.list_view), "heading", names);
    collect_labels (GTK_WIDGET (f.list_view), "dim-label", details);
    collect_labels (GTK_WIDGET (f.list_view), "meso-tag", tags);
    assert_int_equal (names->len, store_count ("0151 98"));
    assert_true (strv_has (names, "Zoë Ångström"));
    g_autofree char *next = NULL;
    g_autofree char *line = NULL;
    g_autofree char *born = NULL;
    g_autofree char *born_age = NULL;
    g_autofree char *born_phone = NULL;
    g_autofree char *when = meso_format_date_time_short (zoe_next);
    GDate birth, today;

    /* Birth date and age, phone and e-mail on one line, each whole; the
     * next appointment below them. */
    g_assert_true (meso_date_parse (ZOE_BORN, &birth, NULL));
    meso_clock_today (&today);
    born = meso_format_date_short (&birth);
    born_age = g_strdup_printf (_("%s (%d)"), born, meso_age_years (&birth, &today));
    born_phone = g_strdup_printf (_("%s · %s"), born_age, "0151 987654");
    line = g_strdup_printf (_("%s · %s"), born_phone, "zoe@example.org");
    next = g_strdup_printf (_("Next appointment %s"), when);
    assert_true (strv_has (details, line));
    assert_true (strv_has (details, next));
    /* Jonas: no birth date, no e-mail, nothing booked. */
    assert_true (strv_has (details, "0151 981100"));
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

static void
collect_heading_widgets (GtkWidget *widget,
                         GPtrArray *found)
{
  /* Held, so no widget made later can take a dropped one's address. */
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "heading"))
    g_ptr_array_add (found, g_object_ref (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_heading_widgets (child, found);
}

static GtkAdjustment *
list_adjustment (ViewFixture *f)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->list_view));
}

/* From one search to the next the rows are filled again, not made anew
 * (see meso-patient-list.h); a record changed elsewhere keeps the scroll
 * position, and a new search starts from the top. */
static void
test_view_keeps_rows (void **state)
{
  ViewFixture f = { 0 };
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) page = NULL;
  double scrolled_to;

  view_fixture_open (&f, fixture->store);
  settle (100);
  collect_heading_widgets (GTK_WIDGET (f.list_view), before);
  assert_true (before->len > 10);

  /* Only the rows in sight (and a screen's height around) show their
   * patients; scrolled to the end, the last patient is shown. */
  {
    guint n_filled = 0;
    guint n_everyone = store_count ("");
    g_autoptr(GPtrArray) last = meso_store_search_patients (fixture->store, "", FALSE,
                                                            n_everyone - 1, 1, NULL);
    g_autoptr(GPtrArray) shown = g_ptr_array_new ();

    for (guint i = 0; i < before->len; i++)
      n_filled += gtk_label_get_text (g_ptr_array_index (before, i))[0] != '\0';
    assert_true (n_filled > 5);
    assert_true (n_filled < before->len);

    gtk_adjustment_set_value (list_adjustment (&f), gtk_adjustment_get_upper (
                                list_adjustment (&f)));
    settle (200);
    collect_labels (GTK_WIDGET (f.list_view), "heading", shown);
    EXPECT ("the last patient shown once in sight",
            strv_has (shown, meso_patient_get_name (g_ptr_array_index (last, 0))));
    gtk_adjustment_set_value (list_adjustment (&f), 0);
    settle (200);
  }
  /* The rows as they are now, back at the top. */
  g_ptr_array_set_size (before, 0);
  collect_heading_widgets (GTK_WIDGET (f.list_view), before);

  /* "a" finds fewer patients than everyone: as many rows as it finds (or as
   * were made), every one of them from before. */
  search_in_view (&f, "a");
  assert_true (store_count ("a") > 10);
  collect_heading_widgets (GTK_WIDGET (f.list_view), after);
  EXPECT_INT ("as many rows", MIN (before->len, store_count ("a")), after->len);
  for (guint i = 0; i < after->len; i++)
    EXPECT ("the same row widgets", g_ptr_array_find (before, g_ptr_array_index (after, i),
                                                      NULL));
  /* ... showing the new search's patients. */
  page = meso_store_search_patients (fixture->store, "a", FALSE, 0, 1, NULL);
  collect_labels (GTK_WIDGET (f.list_view), "heading", names);
  assert_true (strv_has (names, meso_patient_get_name (g_ptr_array_index (page, 0))));

  /* Scrolled down, then a record changes elsewhere: the place stays. */
  gtk_adjustment_set_value (list_adjustment (&f), 600);
  settle (100);
  scrolled_to = gtk_adjustment_get_value (list_adjustment (&f));
  assert_true (scrolled_to > 0);
  add_patient (fixture->store, "Anselm Neu", FALSE);
  meso_patient_list_reload (meso_patients_view_get_list (f.view));
  assert_true (wait_for (view_settled, &f));
  settle (100);
  EXPECT ("the scroll position stays", gtk_adjustment_get_value (list_adjustment (&f)) ==
                                         scrolled_to);
  EXPECT_INT ("the new patient counted", store_count ("a"),
              g_list_model_get_n_items (G_LIST_MODEL (meso_patients_view_get_list (f.view))));

  /* A new search starts at the top. */
  search_in_view (&f, "an");
  EXPECT ("a new search from the top", gtk_adjustment_get_value (list_adjustment (&f)) ==
                                         gtk_adjustment_get_lower (list_adjustment (&f)));

  view_fixture_close (&f);
}

/* Cleared after a search that found few, the list grows in steps: a first
 * page's worth of rows, drawn in a frame, then a page's worth more after each
 * frame up to 200, then the rest (GTK 4.8 makes a row widget for each of up
 * to 200 items at once). Narrowed
 * again, it keeps those rows for a frame, the ones past the patients found
 * blank, and shrinks after it (GTK destroys them at once). */
typedef struct
{
  GdkFrameClock *clock;
  GArray        *sizes;     /* n_items after each items-changed */
  GArray        *frames;    /* the frame clock's counter then */
} Growth;

static void
on_growth_cb (GListModel *model,
              guint       position,
              guint       removed,
              guint       added,
              Growth     *growth)
{
  guint n = g_list_model_get_n_items (model);
  gint64 frame = gdk_frame_clock_get_frame_counter (growth->clock);

  g_array_append_val (growth->sizes, n);
  g_array_append_val (growth->frames, frame);
}

/* The worker's answer to the search typed is in the list (which may not
 * have settled to its length yet). */
static gboolean
answer_applied (gpointer data)
{
  ViewFixture *f = data;
  MesoPatientList *list = meso_patients_view_get_list (f->view);

  return g_strcmp0 (meso_patient_list_get_search_text (list),
                    gtk_editable_get_text (GTK_EDITABLE (f->entry))) == 0 &&
         !meso_patient_list_get_loading (list);
}

static void
test_view_grows_in_steps (void **state)
{
  ViewFixture f = { 0 };
  MesoPatientList *list;
  guint n_everyone = store_count ("");
  Growth growth = { 0 };
  gulong handler;
  gint64 applied_at;

  assert_true (n_everyone > MESO_PATIENT_LIST_PAGE_SIZE);
  view_fixture_open (&f, fixture->store);
  list = meso_patients_view_get_list (f.view);
  search_in_view (&f, "zoë");
  assert_true (g_list_model_get_n_items (G_LIST_MODEL (list)) < MESO_PATIENT_LIST_PAGE_SIZE);

  growth.clock = gtk_widget_get_frame_clock (GTK_WIDGET (f.list_view));
  growth.sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  growth.frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  handler = g_signal_connect (list, "items-changed", G_CALLBACK (on_growth_cb), &growth);
  search_in_view (&f, "");
  settle (200);
  g_signal_handler_disconnect (list, handler);

  EXPECT ("in steps", growth.sizes->len >= 2);
  if (growth.sizes->len >= 2)
    {
      EXPECT_INT ("first a page's worth", MESO_PATIENT_LIST_PAGE_SIZE,
                  g_array_index (growth.sizes, guint, 0));
      for (guint i = 1; i < growth.sizes->len; i++)
        {
          guint before = g_array_index (growth.sizes, guint, i - 1);
          guint after = g_array_index (growth.sizes, guint, i);

          /* A page's worth more per frame while GTK makes a row for each
           * item (up to 200), then everyone at once. */
          EXPECT ("each step after a frame", g_array_index (growth.frames, gint64, i) >
                                               g_array_index (growth.frames, gint64, i - 1));
          EXPECT ("a page's worth more, or everyone past GTK's rows",
                  after == before + MESO_PATIENT_LIST_PAGE_SIZE ||
                    (after == n_everyone && (before >= 200 ||
                                             n_everyone < before + MESO_PATIENT_LIST_PAGE_SIZE)));
        }
      EXPECT_INT ("then everyone", n_everyone,
                  g_array_index (growth.sizes, guint, growth.sizes->len - 1));
    }
  EXPECT_INT ("everyone listed", n_everyone, g_list_model_get_n_items (G_LIST_MODEL (list)));

  /* Narrowed again, the rows GTK holds stay for a frame, those past the
   * last patient found blank; the list shrinks to them after it. */
  g_array_set_size (growth.sizes, 0);
  g_array_set_size (growth.frames, 0);
  handler = g_signal_connect (list, "items-changed", G_CALLBACK (on_growth_cb), &growth);
  gtk_editable_set_text (GTK_EDITABLE (f.entry), "zoë");
  assert_true (wait_for (answer_applied, &f));
  {
    guint held = g_list_model_get_n_items (G_LIST_MODEL (list));
    guint found = meso_patient_list_get_n_found (list);
    g_autoptr(MesoPatient) first = meso_patient_list_dup_patient (list, 0);
    g_autoptr(MesoPatient) past = meso_patient_list_dup_patient (list, found);

    applied_at = gdk_frame_clock_get_frame_counter (growth.clock);
    EXPECT_INT ("as many found as the store finds", store_count ("zoë"), found);
    EXPECT_INT ("the rows GTK holds, for a frame", MIN (n_everyone, 200), held);
    EXPECT ("the first patient found is there", first != NULL);
    EXPECT ("past the last one found, blank", past == NULL);
  }
  settle (200);
  g_signal_handler_disconnect (list, handler);
  EXPECT_INT ("as many as found", store_count ("zoë"),
              g_list_model_get_n_items (G_LIST_MODEL (list)));
  EXPECT ("shrunk to them, after a frame",
          growth.sizes->len >= 1 &&
            g_array_index (growth.sizes, guint, growth.sizes->len - 1) == store_count ("zoë") &&
            g_array_index (growth.frames, gint64, growth.frames->len - 1) > applied_at);

  g_array_unref (growth.sizes);
  g_array_unref (growth.frames);
  view_fixture_close (&f);
}

/* Closed while a page and a search's count are read: the view and its
 * list go at once, here. Held by the tasks instead, the list went when
 * the last answer came, perhaps in a worker's thread. */
static void
test_view_close_while_loading (void **state)
{
  /* Not on the stack: unfixed, the list went after this test returned. */
  static GThread *view_finalized_in;
  static GThread *list_finalized_in;
  ViewFixture f = { 0 };
  MesoPatientList *list;
  guint last;

  view_fixture_open (&f, fixture->store);
  list = meso_patients_view_get_list (f.view);
  note_finalized_in (f.view, &view_finalized_in);
  note_finalized_in (list, &list_finalized_in);

  /* The last row's page, far out of sight, and a new search: both go to
   * the worker, and their answers come back through the main loop, which
   * has not run since. */
  last = meso_patient_list_get_n_found (list) - 1;
  assert_true (last >= MESO_PATIENT_LIST_PAGE_SIZE * MESO_PATIENT_LIST_MAX_PAGES);
  assert_null (meso_patient_list_dup_patient (list, last));
  meso_patient_list_set_search_text (list, "m");
  assert_true (meso_patient_list_get_loading (list));

  gtk_window_destroy (f.window);
  assert_ptr_equal (view_finalized_in, g_thread_self ());
  assert_ptr_equal (list_finalized_in, g_thread_self ());
  /* The cancelled answers arrive, and find nothing to touch. */
  settle (300);
}

/* No database (it could not be opened) or an empty one: "No Patients Yet". */
static void
test_view_empty_states (void **state)
{
  StoreFixture *empty_fixture = store_fixture_new ("mesodesk-patients-empty-XXXXXX", TRUE);
  MesoStore *empty = empty_fixture->store;
  ViewFixture f = { 0 };

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

  /* The workers' connections closed before the database goes. */
  settle (300);
  store_fixture_free (empty_fixture);
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

  {
    g_autoptr(MesoPatient) zoe = NULL;
    gint64 id = add_patient_full (fixture->store, "Zoë Ångström", TRUE, "0151 987654",
                                  "zoe@example.org");

    /* Her birth date and her next appointment show on her row. */
    zoe = meso_store_get_patient (fixture->store, id, &error);
    meso_patient_set_birth_date (zoe, ZOE_BORN);
    if (zoe == NULL || !meso_store_update_patient (fixture->store, zoe, &error))
      {
        print_error ("Zoë: %s\n", error->message);
        return -1;
      }
    zoe_next = next_weekday_at_ten ();
    {
      g_autofree char *when = g_date_time_format (zoe_next, "%Y-%m-%dT%H:%M");

      book_appointment_ok (fixture->store, id, when, MESO_AREA_FACE);
    }
  }
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
  g_clear_pointer (&zoe_next, g_date_time_unref);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_model_matches_store),
    cmocka_unit_test (test_jumps_match_store),
    cmocka_unit_test (test_search),
    cmocka_unit_test (test_stale_search_cancelled),
    cmocka_unit_test (test_model_without_store),
    cmocka_unit_test (test_slots_follow_searches),
    cmocka_unit_test (test_recent_searches),
    cmocka_unit_test (test_view_keeps_rows),
    cmocka_unit_test (test_view_shows_rows),
    cmocka_unit_test (test_view_grows_in_steps),
    cmocka_unit_test (test_view_empty_states),
    cmocka_unit_test (test_view_close_while_loading),
  };

  int unavailable = test_server_unavailable_status ();

  if (unavailable >= 0)
    return unavailable;

  /* The build's translations (MESODESK_LOCALEDIR): under LANGUAGE=de and a
   * German LC_ALL, the screenshots are German. */
  meso_i18n_init ();
  gtk_init ();
  adw_init ();

  meso_test_filter_from_env ();

  return cmocka_run_group_tests_name ("patients", tests, setup_database, teardown_database);
}
