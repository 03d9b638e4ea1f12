/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-patients-view.h"

#include "meso-time.h"

#include "meso-application.h"
#include "meso-patient-page.h"
#include "meso-window.h"

#include <glib/gi18n.h>

struct _MesoPatientsView
{
  AdwBin           parent_instance;

  MesoPatientList *list;

  AdwLeaflet      *leaflet;
  GtkSearchEntry  *search_entry;
  GtkCheckButton  *archived_check;
  GtkStack        *stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;
  GtkButton       *back_button;
  MesoPatientPage *patient_page;

  /* The list view's row widgets (GtkBox), made in setup, gone in teardown. */
  GPtrArray       *rows;
  GdkFrameClock   *frame_clock;
  gulong           layout_handler;
  gulong           paint_handler;
};

G_DEFINE_FINAL_TYPE (MesoPatientsView, meso_patients_view, ADW_TYPE_BIN)

/* The widgets of one row, found again in bind by these names. */
#define ROW_NAME_KEY   "meso-name"
#define ROW_DETAIL_KEY "meso-detail"
#define ROW_NEXT_KEY   "meso-next"
#define ROW_TAG_KEY    "meso-tag"
#define ROW_ARCHIVED_KEY "meso-archived"
#define ROW_ITEM_KEY     "meso-list-item"
#define ROW_VIEW_KEY     "meso-view"
/* Set while a row waits to come in sight before it shows its patient. */
#define ROW_PENDING_KEY  "meso-pending"

static void
meso_patients_view_update_state (MesoPatientsView *self)
{
  gboolean loading = self->list != NULL && meso_patient_list_get_loading (self->list);
  guint n_items = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* While a search runs the rows of the previous one stay, rather than flashing empty. */
  if (loading)
    return;

  if (n_items > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (text[0] == '\0')
    {
      adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
      /* Translators: shown while there are no patient records */
      adw_status_page_set_title (self->empty_page, _("No Patients Yet"));
      /* Translators: shown below “No Patients Yet” */
      adw_status_page_set_description (self->empty_page,
                                       _("Patient records, skin profiles and treatment "
                                         "history will appear here."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      /* Translators: shown when a search in the Patients view finds nobody */
      adw_status_page_set_title (self->empty_page, _("No Patients Found"));
      /* Translators: shown below “No Patients Found” */
      adw_status_page_set_description (self->empty_page,
                                       _("Try another name, phone number or e-mail address."));
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_items_changed_cb (MesoPatientsView *self)
{
  meso_patients_view_update_state (self);
}

/* A new search is read from its top. The list keeps its rows from one
 * search to the next (see meso-patient-list.h), and so its scroll position
 * too, which suits a record changed elsewhere but not a new search. */
static void
meso_patients_view_scroll_to_top (MesoPatientsView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

static void
on_search_changed_cb (MesoPatientsView *self)
{
  meso_patients_view_scroll_to_top (self);
  if (self->list != NULL)
    meso_patient_list_set_search_text (self->list,
                                       gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  /* A recent search is answered at once, maybe with as many rows as before:
   * no signal says so, and the empty state depends on the text. */
  meso_patients_view_update_state (self);
}

/* Enter in the search field opens the first patient found, as GNOME's
 * search fields do. */
static void
on_search_activate_cb (MesoPatientsView *self)
{
  g_autoptr(MesoPatient) first = NULL;

  if (self->list == NULL || meso_patient_list_get_loading (self->list) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    return;
  first = meso_patient_list_dup_patient (self->list, 0);
  if (first != NULL)
    meso_patients_view_show_patient (self, meso_patient_get_id (first));
}

static void
on_stop_search_cb (MesoPatientsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static GtkWidget *
row_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
on_row_gone_cb (gpointer  data,
                GObject  *where_the_row_was)
{
  MesoPatientsView *self = data;

  g_ptr_array_remove_fast (self->rows, where_the_row_was);
}

static void
on_setup_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 MesoPatientsView         *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *first_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = row_label ("heading");
  GtkWidget *detail = row_label ("dim-label");
  GtkWidget *next = row_label ("dim-label");

  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);

  /* The tags sit by the name (row_tag() makes them for the first patient
   * who has one), so the contact line below keeps the whole width: at 360
   * pixels a column for them would cut the e-mail address short. */
  gtk_box_append (GTK_BOX (first_line), name);
  gtk_box_append (GTK_BOX (row), first_line);

  /* The birth date and age tell two of one name apart; the phone after
   * them, then the e-mail address, which is cut at its end where the row
   * is narrow (the patient's page shows it whole): cut in their middle,
   * phone and address could not be read. One line, not wrapped: every row
   * would need height-for-width layout, and GTK 4.8's list view lays out
   * up to 200 rows at each search. */
  gtk_box_append (GTK_BOX (row), detail);
  /* The next appointment, on a line of its own where there is one: beside
   * the name and its tags, in the list's 290 pixels, name and date were
   * both cut ("Greta …  Sensitive skin  Next 20…"). */
  gtk_widget_add_css_class (next, "numeric");
  gtk_widget_set_visible (next, FALSE);
  gtk_box_append (GTK_BOX (row), next);

  g_object_set_data (G_OBJECT (row), ROW_NAME_KEY, name);
  g_object_set_data (G_OBJECT (row), ROW_DETAIL_KEY, detail);
  g_object_set_data (G_OBJECT (row), ROW_NEXT_KEY, next);
  g_object_set_data (G_OBJECT (row), ROW_ITEM_KEY, item);
  g_object_set_data (G_OBJECT (row), ROW_VIEW_KEY, self);
  gtk_list_item_set_child (item, row);
  g_ptr_array_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), on_row_gone_cb, self);
}

/* The birth date in the locale's form with the age, the phone, the
 * e-mail address. */
static char *
patient_detail_line (MesoPatient *patient)
{
  const char *birth_text = meso_patient_get_birth_date (patient);
  const char *phone = meso_patient_get_phone (patient);
  const char *email = meso_patient_get_email (patient);
  gboolean has_phone = phone != NULL && phone[0] != '\0';
  gboolean has_email = email != NULL && email[0] != '\0';
  g_autofree char *born = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  const char *parts[3] = { NULL, NULL, NULL };
  guint n_parts = 0;
  GDate birth, today;

  if (birth_text != NULL && meso_date_parse (birth_text, &birth, NULL))
    {
      g_autofree char *date = meso_format_date_short (&birth);
      int age;

      meso_clock_today (&today);
      age = meso_age_years (&birth, &today);
      if (age >= 0)
        /* Translators: a patient's birth date and age in the list, e.g. “14.03.1985 (41)” */
        born = g_strdup_printf (_("%s (%d)"), date, age);
      else
        born = g_steal_pointer (&date);
    }

  if (born != NULL)
    parts[n_parts++] = born;
  if (has_phone)
    parts[n_parts++] = phone;
  if (has_email)
    parts[n_parts++] = email;
  else if (!has_phone)
    /* Translators: shown in the list for a patient with neither phone nor e-mail */
    parts[n_parts++] = _("No phone or e-mail");
  for (guint i = 0; i < n_parts; i++)
    {
      if (i == 0)
        g_string_append (line, parts[i]);
      else
        {
          g_autofree char *joined = NULL;

          /* Translators: two parts of a patient's line in the list: birth
           * date, phone number, e-mail address */
          joined = g_strdup_printf (_("%s · %s"), line->str, parts[i]);
          g_string_assign (line, joined);
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The start of @patient's next appointment in the locale's form, NULL:
 * none. */
static char *
patient_next_text (MesoPatient *patient)
{
  gint64 start = meso_patient_get_next_appointment (patient);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  if (start == 0)
    return NULL;
  when = meso_date_time_new_from_unix (start);
  text = meso_format_date_time_short (when);
  /* Translators: a patient's next appointment in the list, e.g. “Next appointment
   * 23.11.2026 10:00” */
  return g_strdup_printf (_("Next appointment %s"), text);
}

/* Shows or hides a tag of @row (ROW_TAG_KEY: sensitive skin,
 * ROW_ARCHIVED_KEY), made the first time it is shown: most patients have
 * none, and a list view makes 200 rows. */
static void
row_show_tag (GtkWidget  *row,
              const char *key,
              gboolean    show)
{
  GtkWidget *tag = g_object_get_data (G_OBJECT (row), key);
  GtkWidget *name;

  if (tag == NULL && !show)
    return;
  if (tag == NULL)
    {
      name = g_object_get_data (G_OBJECT (row), ROW_NAME_KEY);
      if (g_str_equal (key, ROW_TAG_KEY))
        /* Translators: a tag on a patient in the list: handle the skin gently */
        tag = gtk_label_new (_("Sensitive skin"));
      else
        {
          /* Translators: a tag on a patient in the list whose record is archived */
          tag = gtk_label_new (_("Archived"));
          gtk_widget_add_css_class (tag, "meso-tag-archived");
        }
      gtk_widget_add_css_class (tag, "meso-tag");
      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      /* Sensitive skin first, by the name; archived last. */
      if (g_str_equal (key, ROW_TAG_KEY))
        gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (name)), tag, name);
      else
        gtk_box_append (GTK_BOX (gtk_widget_get_parent (name)), tag);
      g_object_set_data (G_OBJECT (row), key, tag);
    }
  gtk_widget_set_visible (tag, show);
}

/* Marks @row's list row as the patient the page shows: the list has no
 * selection model (a single click opens, and GTK 4.8 would select on
 * hover), so the mark is a style class of its own. */
static void
row_mark_shown (GtkWidget   *row,
                MesoPatient *patient)
{
  MesoPatientsView *self = g_object_get_data (G_OBJECT (row), ROW_VIEW_KEY);
  GtkWidget *list_row = gtk_widget_get_parent (row);
  gboolean shown = self != NULL && patient != NULL &&
                   meso_patient_get_id (patient) ==
                     meso_patient_page_get_patient_id (self->patient_page);

  if (list_row == NULL)
    return;
  if (shown)
    gtk_widget_add_css_class (list_row, "meso-shown");
  else
    gtk_widget_remove_css_class (list_row, "meso-shown");
}

/* Shows @patient in @row; NULL: blank. */
static void
row_show_patient (GtkWidget   *row,
                  MesoPatient *patient)
{
  g_autofree char *contact = patient != NULL ? patient_detail_line (patient) : NULL;
  g_autofree char *next = patient != NULL ? patient_next_text (patient) : NULL;
  GtkWidget *next_label = g_object_get_data (G_OBJECT (row), ROW_NEXT_KEY);

  row_mark_shown (row, patient);

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), ROW_NAME_KEY),
                      patient != NULL ? meso_patient_get_name (patient) : "");
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), ROW_DETAIL_KEY),
                      contact != NULL ? contact : "");
  gtk_label_set_text (GTK_LABEL (next_label), next != NULL ? next : "");
  gtk_widget_set_visible (next_label, next != NULL);
  row_show_tag (row, ROW_TAG_KEY, patient != NULL && meso_patient_get_sensitive_skin (patient));
  row_show_tag (row, ROW_ARCHIVED_KEY, patient != NULL && meso_patient_get_archived (patient));
}

/* Whether @row, as last laid out, is on screen or within a screen's height
 * of it. A row not laid out yet is not: its first layout tells. */
static gboolean
meso_patients_view_row_in_sight (MesoPatientsView *self,
                                 GtkWidget        *row)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->list_view));
  graphene_rect_t bounds;

  if (gtk_widget_get_width (row) == 0 ||
      !gtk_widget_compute_bounds (row, GTK_WIDGET (self->list_view), &bounds))
    return FALSE;
  return bounds.origin.y + bounds.size.height > -height && bounds.origin.y < 2 * height;
}

/* GTK 4.8's list view keeps 200 rows and lays out every one whose text
 * changed: shaping 400 lines of text was most of the frame after each key
 * stroke. So a row shows its patient only in sight (a screen's height of
 * margin above and below); the others stay blank, and the same one-line
 * height, until a layout brings them near (on_layout_cb). */
static void
meso_patients_view_fill_row (MesoPatientsView *self,
                             GtkWidget        *row)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), ROW_ITEM_KEY);
  MesoPatientSlot *slot = gtk_list_item_get_item (item);
  gboolean in_sight = slot != NULL && meso_patients_view_row_in_sight (self, row);

  if (in_sight)
    meso_patient_slot_want (slot);  /* may fill it at once, calling back here */
  row_show_patient (row, in_sight ? meso_patient_slot_get_patient (slot) : NULL);
  g_object_set_data (G_OBJECT (row), ROW_PENDING_KEY,
                     GINT_TO_POINTER (slot != NULL && !in_sight));
}

/* After each layout (the frame clock's, once GTK allocated the rows): the
 * rows that came in sight show their patients. Their new text asks for one
 * more layout, which GDK runs within the same frame. */
static void
on_layout_cb (MesoPatientsView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (g_object_get_data (G_OBJECT (row), ROW_PENDING_KEY) != NULL &&
          meso_patients_view_row_in_sight (self, row))
        meso_patients_view_fill_row (self, row);
    }
}

/* After a frame showed the first rows of a search that changes the list's
 * length in steps. */
static void
on_after_paint_cb (MesoPatientsView *self)
{
  if (self->list != NULL)
    meso_patient_list_settle (self->list);
}

static void
on_slot_patient_changed_cb (MesoPatientSlot *slot,
                            GParamSpec      *pspec,
                            GtkWidget       *row)
{
  meso_patients_view_fill_row (g_object_get_data (G_OBJECT (row), ROW_VIEW_KEY), row);
}

/* A row follows its slot, which the list fills again at each search: the
 * row widgets stay, only their text changes. */
static void
on_bind_row_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  MesoPatientSlot *slot = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);

  g_signal_connect (slot, "notify::patient", G_CALLBACK (on_slot_patient_changed_cb), row);
  on_slot_patient_changed_cb (slot, NULL, row);
}

static void
on_unbind_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  MesoPatientSlot *slot = gtk_list_item_get_item (item);

  g_signal_handlers_disconnect_by_func (slot, on_slot_patient_changed_cb,
                                        gtk_list_item_get_child (item));
}

static void
on_row_activated_cb (MesoPatientsView *self,
                     guint             position)
{
  g_autoptr(MesoPatient) patient = NULL;

  if (self->list == NULL)
    return;
  patient = meso_patient_list_dup_patient (self->list, position);
  if (patient != NULL)
    meso_patients_view_show_patient (self, meso_patient_get_id (patient));
}

static void
on_archived_toggled_cb (MesoPatientsView *self)
{
  meso_patients_view_scroll_to_top (self);
  if (self->list != NULL)
    meso_patient_list_set_include_archived (self->list,
                                            gtk_check_button_get_active (self->archived_check));
}

static void
on_folded_changed_cb (MesoPatientsView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), adw_leaflet_get_folded (self->leaflet));
}

static void
on_back_clicked_cb (MesoPatientsView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_store_changed_cb (MesoPatientsView *self)
{
  if (self->list != NULL)
    meso_patient_list_reload (self->list);
}

static void
meso_patients_view_dispose (GObject *object)
{
  MesoPatientsView *self = MESO_PATIENTS_VIEW (object);

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  if (g_application_get_default () != NULL)
    g_signal_handlers_disconnect_by_data (g_application_get_default (), self);
  /* Taking the leaflet apart changes "folded", and the entry may still emit:
   * nothing of this view may answer once its children go. */
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  if (self->search_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->search_entry, self);
  if (self->archived_check != NULL)
    g_signal_handlers_disconnect_by_data (self->archived_check, self);
  /* The leaflet is both AdwBin's child and a template child: let the bin drop
   * it first, or AdwBin 1.2 unparents it again once the template freed it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PATIENTS_VIEW);

  G_OBJECT_CLASS (meso_patients_view_parent_class)->dispose (object);
}

static void
meso_patients_view_realize (GtkWidget *widget)
{
  MesoPatientsView *self = MESO_PATIENTS_VIEW (widget);

  GTK_WIDGET_CLASS (meso_patients_view_parent_class)->realize (widget);

  /* After the window's own handler, which lays the widgets out. */
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_handler = g_signal_connect_data (self->frame_clock, "layout",
                                                G_CALLBACK (on_layout_cb), self, NULL,
                                                G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->paint_handler = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                  G_CALLBACK (on_after_paint_cb), self);
}

static void
meso_patients_view_unrealize (GtkWidget *widget)
{
  MesoPatientsView *self = MESO_PATIENTS_VIEW (widget);

  g_clear_signal_handler (&self->layout_handler, self->frame_clock);
  g_clear_signal_handler (&self->paint_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);

  GTK_WIDGET_CLASS (meso_patients_view_parent_class)->unrealize (widget);
}

static void
meso_patients_view_finalize (GObject *object)
{
  MesoPatientsView *self = MESO_PATIENTS_VIEW (object);

  for (guint i = 0; i < self->rows->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->rows, i), on_row_gone_cb, self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (meso_patients_view_parent_class)->finalize (object);
}

static void
meso_patients_view_class_init (MesoPatientsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_patients_view_dispose;
  object_class->finalize = meso_patients_view_finalize;
  widget_class->realize = meso_patients_view_realize;
  widget_class->unrealize = meso_patients_view_unrealize;

  meso_application_ensure_resources ();
  g_type_ensure (MESO_TYPE_PATIENT_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-patients-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, archived_check);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, back_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, patient_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientsView, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unbind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_archived_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
}

static void
meso_patients_view_init (MesoPatientsView *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Typing anywhere in the view goes to the search, as in GNOME's own lists. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  /* Each key stroke searches at once: the count runs off the main thread, and a
   * newer search cancels the older one. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);

  meso_patients_view_set_store (self, NULL);
  on_folded_changed_cb (self);

  /* Whoever writes says so through the application: the list follows. */
  if (MESO_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "store-changed",
                             G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
meso_patients_view_new (void)
{
  return g_object_new (MESO_TYPE_PATIENTS_VIEW, NULL);
}

void
meso_patients_view_set_store (MesoPatientsView *self,
                              MesoStore        *store)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (MESO_IS_PATIENTS_VIEW (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));

  if (self->list != NULL)
    {
      if (meso_patient_list_get_store (self->list) == store)
        return;
      g_signal_handlers_disconnect_by_data (self->list, self);
      g_clear_object (&self->list);
    }

  self->list = meso_patient_list_new (store);
  meso_patient_list_set_in_steps (self->list, TRUE);
  meso_patient_list_set_include_archived (self->list,
                                          gtk_check_button_get_active (self->archived_check));
  meso_patient_list_set_search_text (self->list,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (on_items_changed_cb), self);
  g_signal_connect_swapped (self->list, "notify::loading", G_CALLBACK (on_items_changed_cb),
                            self);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  meso_patients_view_update_state (self);
  meso_patient_page_set_store (self->patient_page, store);
}

MesoPatientList *
meso_patients_view_get_list (MesoPatientsView *self)
{
  g_return_val_if_fail (MESO_IS_PATIENTS_VIEW (self), NULL);

  return self->list;
}

void
meso_patients_view_focus_search (MesoPatientsView *self)
{
  g_return_if_fail (MESO_IS_PATIENTS_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
meso_patients_view_show_patient (MesoPatientsView *self,
                                 gint64            patient_id)
{
  g_return_if_fail (MESO_IS_PATIENTS_VIEW (self));

  meso_patient_page_set_patient_id (self->patient_page, patient_id);
  adw_leaflet_set_visible_child_name (self->leaflet, "page");
  /* The rows in sight say whether theirs is the patient shown now. */
  if (self->rows != NULL)
    for (guint i = 0; i < self->rows->len; i++)
      {
        GtkWidget *row = g_ptr_array_index (self->rows, i);
        GtkListItem *item = g_object_get_data (G_OBJECT (row), ROW_ITEM_KEY);
        MesoPatientSlot *slot;

        /* Only a row in the list: its list item is alive. */
        if (gtk_widget_get_parent (row) == NULL)
          continue;
        slot = gtk_list_item_get_item (item);
        row_mark_shown (row, slot != NULL ? meso_patient_slot_get_patient (slot) : NULL);
      }
}

gint64
meso_patients_view_get_shown_patient (MesoPatientsView *self)
{
  g_return_val_if_fail (MESO_IS_PATIENTS_VIEW (self), 0);

  return meso_patient_page_get_patient_id (self->patient_page);
}

/* win.show-patient (x): the widget is the MesoWindow. */
void
meso_patients_view_show_patient_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  MesoPatientsView *self;

  g_return_if_fail (MESO_IS_WINDOW (widget));

  self = MESO_PATIENTS_VIEW (gtk_widget_get_template_child (widget, MESO_TYPE_WINDOW,
                                                            "patients_view"));
  meso_window_set_visible_view (MESO_WINDOW (widget), "patients");
  meso_patients_view_show_patient (self, g_variant_get_int64 (parameter));
}
