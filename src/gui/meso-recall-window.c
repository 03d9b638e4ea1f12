/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-recall-window.h"

#include "meso-application.h"
#include "meso-day-list.h"
#include "meso-exchange.h"
#include "meso-lot-picker.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

/* ================================================================ a row */

#define MESO_TYPE_RECALL_ENTRY (meso_recall_entry_get_type ())
G_DECLARE_FINAL_TYPE (MesoRecallEntry, meso_recall_entry, MESO, RECALL_ENTRY, GObject)

struct _MesoRecallEntry
{
  GObject    parent_instance;
  gint64     patient_id;
  char      *patient;
  gint64     at;
  MesoArea   area;
  char      *phone;
  char      *email;
  GDateTime *contacted;  /* for this lot; NULL: not yet */
};

G_DEFINE_FINAL_TYPE (MesoRecallEntry, meso_recall_entry, G_TYPE_OBJECT)

static void
meso_recall_entry_finalize (GObject *object)
{
  MesoRecallEntry *self = MESO_RECALL_ENTRY (object);

  g_free (self->patient);
  g_free (self->phone);
  g_free (self->email);
  g_clear_pointer (&self->contacted, g_date_time_unref);
  G_OBJECT_CLASS (meso_recall_entry_parent_class)->finalize (object);
}

static void
meso_recall_entry_class_init (MesoRecallEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_recall_entry_finalize;
}

static void
meso_recall_entry_init (MesoRecallEntry *self)
{
}

/* ============================================================= the window */

struct _MesoRecallWindow
{
  AdwWindow        parent_instance;

  MesoStore       *store;
  MesoWorkerStore *worker;
  GCancellable    *cancellable;
  char            *lot;         /* the lot shown; NULL before one is */
  gboolean         loading;
  gboolean         refreshing;  /* the shown lot read again after a change */
  gboolean         changed;     /* a change came while it was being read */
  gboolean         narrow;      /* a phone's width: each row's buttons below its texts */
  char            *product;     /* the shown lot's, and its expiry */
  GDate            expires_on;

  AdwToastOverlay *toasts;
  GtkEntry        *lot_entry;
  GtkLabel        *status;
  GListStore      *entries;
  GtkWidget       *export_button;
  GtkWidget       *print_button;
};

G_DEFINE_FINAL_TYPE (MesoRecallWindow, meso_recall_window, ADW_TYPE_WINDOW)

typedef struct
{
  GPtrArray *entries;   /* MesoRecallEntry */
  char      *product;
  GDate      expires_on;
} LoadResult;

static void
load_result_free (gpointer data)
{
  LoadResult *result = data;

  g_ptr_array_unref (result->entries);
  g_free (result->product);
  g_free (result);
}

static void
collect_entry_cb (const MesoLotPatient *row,
                  gpointer              user_data)
{
  GPtrArray *entries = user_data;
  MesoRecallEntry *entry = g_object_new (MESO_TYPE_RECALL_ENTRY, NULL);

  entry->patient_id = row->patient_id;
  entry->patient = g_strdup (row->patient);
  entry->at = row->at;
  entry->area = row->area;
  entry->phone = g_strdup (row->phone);
  entry->email = g_strdup (row->email);
  if (row->contacted != 0)
    entry->contacted = meso_date_time_new_from_unix (row->contacted);
  g_ptr_array_add (entries, entry);
}

/* In the worker's thread, on its own connection. */
static gpointer
load_in_thread (MesoStore     *store,
                gpointer       request,
                GCancellable  *cancellable,
                GError       **error)
{
  const char *number = request;
  g_autoptr(GPtrArray) lots = NULL;
  LoadResult *result;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  const MesoLot *lot;

  lots = meso_store_find_lots (store, number, error);
  if (lots == NULL || !meso_store_list_lot_patients (store, number, collect_entry_cb,
                                                     entries, error))
    return NULL;
  lot = g_ptr_array_index (lots, 0);
  result = g_new0 (LoadResult, 1);
  result->entries = g_steal_pointer (&entries);
  result->product = g_strdup (lot->product);
  result->expires_on = lot->expires_on;
  return result;
}

static void
set_loading (MesoRecallWindow *self,
             gboolean          loading)
{
  gboolean rows = g_list_model_get_n_items (G_LIST_MODEL (self->entries)) > 0;

  self->loading = loading;
  gtk_widget_set_sensitive (self->export_button, !loading && rows);
  gtk_widget_set_sensitive (self->print_button, !loading && rows);
}

/* The same sessions read again (a call logged here or at another desk):
 * each row whose call changed is shown again alone, the rest stay as they
 * are, and so do the scroll position and the focus. FALSE when the
 * sessions themselves changed (one recorded or removed meanwhile). */
static gboolean
refresh_in_place (MesoRecallWindow *self,
                  GPtrArray        *entries)
{
  GListModel *shown = G_LIST_MODEL (self->entries);

  if (g_list_model_get_n_items (shown) != entries->len)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(MesoRecallEntry) old = g_list_model_get_item (shown, i);
      MesoRecallEntry *new = g_ptr_array_index (entries, i);

      if (old->patient_id != new->patient_id || old->at != new->at || old->area != new->area)
        return FALSE;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(MesoRecallEntry) old = g_list_model_get_item (shown, i);
      MesoRecallEntry *new = g_ptr_array_index (entries, i);

      if ((old->contacted == NULL) != (new->contacted == NULL) ||
          (old->contacted != NULL && !g_date_time_equal (old->contacted, new->contacted)))
        {
          g_clear_pointer (&old->contacted, g_date_time_unref);
          old->contacted = new->contacted != NULL ? g_date_time_ref (new->contacted) : NULL;
          g_list_store_splice (self->entries, i, 1, (gpointer *)&old, 1);
        }
    }
  return TRUE;
}

static void on_store_changed_cb (MesoRecallWindow *self);

static void
load_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  MesoRecallWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result;
  guint n;

  /* Another lot typed, or the window closed: @self may be gone. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      gtk_label_set_text (self->status, error->message);
      self->refreshing = FALSE;
      set_loading (self, FALSE);
      return;
    }
  n = result->entries->len;
  if (!self->refreshing || !refresh_in_place (self, result->entries))
    g_list_store_splice (self->entries, 0,
                         g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                         result->entries->pdata, n);
  self->refreshing = FALSE;
  {
    g_autofree char *expires = meso_format_date_short (&result->expires_on);
    g_autofree char *text = NULL;

    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: above the recall list: how many
                                          * sessions, the lot, its product and expiry */
                                         "%u session with lot %s (%s, expires %s)",
                                         "%u sessions with lot %s (%s, expires %s)", n),
                            n, self->lot, result->product, expires);
    gtk_label_set_text (self->status, text);
  }
  g_free (self->product);
  self->product = g_steal_pointer (&result->product);
  self->expires_on = result->expires_on;
  load_result_free (result);
  set_loading (self, FALSE);
  if (self->changed)
    {
      self->changed = FALSE;
      on_store_changed_cb (self);
    }
}

/* Reads self->lot's sessions in the worker: load_done_cb() shows them. */
static void
start_load (MesoRecallWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->worker == NULL)
    self->worker = meso_worker_store_new (meso_store_get_path (self->store));
  task = g_task_new (NULL, self->cancellable, load_done_cb, self);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, g_strdup (self->lot), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  meso_worker_store_run_in_thread (self->worker, task, load_in_thread, load_result_free);
}

void
meso_recall_window_search (MesoRecallWindow *self,
                           const char       *number)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (MESO_IS_RECALL_WINDOW (self));

  trimmed = g_strstrip (g_strdup (number != NULL ? number : ""));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->lot_entry)), number) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->lot_entry), number);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->refreshing = self->changed = FALSE;
  g_list_store_remove_all (self->entries);
  g_clear_pointer (&self->lot, g_free);
  if (*trimmed == '\0')
    {
      gtk_label_set_text (self->status, "");
      set_loading (self, FALSE);
      return;
    }
  self->lot = g_strdup (trimmed);
  meso_lot_picker_close (GTK_WIDGET (self->lot_entry));
  /* Translators: above the recall list while it is read */
  gtk_label_set_text (self->status, _("Looking for the lot’s patients…"));
  set_loading (self, TRUE);
  start_load (self);
}

/* The store changed (here, or at another desk: the application's
 * store-changed): the lot shown is read again, quietly. */
static void
on_store_changed_cb (MesoRecallWindow *self)
{
  if (self->lot == NULL)
    return;
  /* The read under way may have started before it: read again after. */
  if (self->loading)
    {
      self->changed = TRUE;
      return;
    }
  self->refreshing = TRUE;
  self->loading = TRUE;
  start_load (self);
}

gboolean
meso_recall_window_get_loading (MesoRecallWindow *self)
{
  g_return_val_if_fail (MESO_IS_RECALL_WINDOW (self), FALSE);
  return self->loading;
}

GListModel *
meso_recall_window_get_model (MesoRecallWindow *self)
{
  g_return_val_if_fail (MESO_IS_RECALL_WINDOW (self), NULL);
  return G_LIST_MODEL (self->entries);
}

static void
on_lot_activate_cb (GtkEntry         *entry,
                    MesoRecallWindow *self)
{
  meso_recall_window_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* ----------------------------------------------------------- the rows */

static char *
contacted_text (MesoRecallEntry *entry)
{
  g_autofree char *when = NULL;

  if (entry->contacted == NULL)
    /* Translators: on a recall row: not yet called about this lot */
    return g_strdup (_("Not contacted yet"));
  when = meso_format_date_time_short (entry->contacted);
  /* Translators: on a recall row: when the patient was called about this lot */
  return g_strdup_printf (_("Contacted %s"), when);
}

static void
on_copy_phone_cb (GtkButton *button,
                  gpointer   user_data)
{
  GtkListItem *item = user_data;
  MesoRecallEntry *entry = gtk_list_item_get_item (item);

  if (entry != NULL && entry->phone != NULL)
    meso_widget_copy_text (GTK_WIDGET (button), entry->phone);
}

static void
on_log_contact_cb (GtkButton *button,
                   gpointer   user_data)
{
  GtkListItem *item = user_data;
  MesoRecallEntry *entry = gtk_list_item_get_item (item);
  MesoRecallWindow *self = MESO_RECALL_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  g_autoptr(GDateTime) now = meso_clock_now ();
  g_autoptr(GError) error = NULL;
  guint position;

  if (entry == NULL || self->lot == NULL)
    return;
  if (!meso_store_log_lot_contact (self->store, entry->patient_id, self->lot, now, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }
  g_clear_pointer (&entry->contacted, g_date_time_unref);
  entry->contacted = g_date_time_ref (now);
  /* The row shown again, with its new state. */
  if (g_list_store_find (self->entries, entry, &position))
    g_list_store_splice (self->entries, position, 1, (gpointer *)&entry, 1);
  /* The patient's page lists the call too. */
  if (MESO_IS_APPLICATION (g_application_get_default ()))
    meso_application_store_changed (MESO_APPLICATION (g_application_get_default ()));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  /* Translators: a recall row's button: logs that the patient was called about the lot */
  GtkWidget *log = gtk_button_new_with_mnemonic (_("_Log Call"));
  const char *names[] = { "name", "session", "contact", "contacted" };

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_hexpand (texts, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), i == 2);
      gtk_widget_set_name (label, names[i]);
      if (i == 0)
        gtk_widget_add_css_class (label, "heading");
      else if (i == 1 || i == 3)
        gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (texts), label);
    }
  /* Translators: tooltip of the copy button beside a phone number */
  gtk_widget_set_tooltip_text (copy, _("Copy Phone Number"));
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (log, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), copy);
  gtk_box_append (GTK_BOX (buttons), log);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), buttons);
  gtk_widget_set_name (copy, "copy-phone");
  gtk_widget_set_name (log, "log-call");
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_phone_cb), item);
  g_signal_connect (log, "clicked", G_CALLBACK (on_log_contact_cb), item);
  g_object_set_data (G_OBJECT (item), "copy", copy);
  g_object_set_data (G_OBJECT (item), "log", log);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  MesoRecallWindow *self = user_data;
  MesoRecallEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *texts = gtk_widget_get_first_child (row);
  GtkWidget *label = gtk_widget_get_first_child (texts);
  GtkWidget *copy = g_object_get_data (G_OBJECT (item), "copy");
  GtkWidget *log = g_object_get_data (G_OBJECT (item), "log");
  g_autoptr(GDateTime) at = meso_date_time_new_from_unix (entry->at);
  g_autofree char *when = meso_format_date_time_short (at);
  g_autofree char *session = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *contacted = contacted_text (entry);
  g_autofree char *copy_label = NULL;
  g_autofree char *log_label = NULL;

  /* Translators: a recall row: the session's date and time, then the area treated */
  session = g_strdup_printf (_("%s · %s"), when, meso_area_get_label (entry->area));
  if (entry->phone != NULL && entry->email != NULL)
    contact = g_strdup_printf ("%s · %s", entry->phone, entry->email);
  else if (entry->phone != NULL || entry->email != NULL)
    contact = g_strdup (entry->phone != NULL ? entry->phone : entry->email);
  else
    /* Translators: a recall row without phone or e-mail */
    contact = g_strdup (_("No phone or e-mail"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (row), self->narrow ? GTK_ORIENTATION_VERTICAL
                                                                     : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (gtk_widget_get_next_sibling (texts),
                         self->narrow ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  gtk_label_set_text (GTK_LABEL (label), entry->patient);
  label = gtk_widget_get_next_sibling (label);
  gtk_label_set_text (GTK_LABEL (label), session);
  label = gtk_widget_get_next_sibling (label);
  gtk_label_set_text (GTK_LABEL (label), contact);
  label = gtk_widget_get_next_sibling (label);
  gtk_label_set_text (GTK_LABEL (label), contacted);

  gtk_widget_set_visible (copy, entry->phone != NULL);
  /* Translators: what a screen reader says for the copy button beside a phone number */
  copy_label = g_strdup_printf (_("Copy the phone number of %s"), entry->patient);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  copy_label, -1);
  /* Translators: what a screen reader says for a recall row's Log Call button */
  log_label = g_strdup_printf (_("Log a call to %s about this lot"), entry->patient);
  gtk_accessible_update_property (GTK_ACCESSIBLE (log), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  log_label, -1);
}

/* ------------------------------------------------------------- print */

enum { PRINT_NAME, PRINT_SESSION, PRINT_PHONE, PRINT_EMAIL, PRINT_CALLED, N_PRINT_COLUMNS };

static const double print_shares[N_PRINT_COLUMNS] = { 0.24, 0.24, 0.16, 0.24, 0.12 };

GtkPrintOperation *
meso_recall_window_print_operation_new (MesoRecallWindow *self)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_auto(MesoClinicInfo) clinic = { 0 };
  g_autofree char *expires = NULL;
  g_autofree char *title = NULL;
  g_autofree char *file_name = NULL;
  GListModel *entries;
  const char *headings[N_PRINT_COLUMNS + 1] = { NULL };

  g_return_val_if_fail (MESO_IS_RECALL_WINDOW (self), NULL);
  g_return_val_if_fail (self->lot != NULL, NULL);

  entries = G_LIST_MODEL (self->entries);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(MesoRecallEntry) entry = g_list_model_get_item (entries, i);
      g_autoptr(GDateTime) at = meso_date_time_new_from_unix (entry->at);
      g_autofree char *when = meso_format_date_time_short (at);
      char **row = g_new0 (char *, N_PRINT_COLUMNS + 1);

      row[PRINT_NAME] = g_strdup (entry->patient);
      /* Translators: a recall row: the session's date and time, then the area treated */
      row[PRINT_SESSION] = g_strdup_printf (_("%s · %s"), when,
                                            meso_area_get_label (entry->area));
      row[PRINT_PHONE] = g_strdup (entry->phone != NULL ? entry->phone : "");
      row[PRINT_EMAIL] = g_strdup (entry->email != NULL ? entry->email : "");
      row[PRINT_CALLED] = entry->contacted != NULL
                            ? meso_format_date_time_short (entry->contacted) : g_strdup ("");
      g_ptr_array_add (rows, row);
    }

  /* Translators: a column heading of a printed recall list */
  headings[PRINT_NAME] = C_("recall list", "Patient");
  /* Translators: a column heading of a printed recall list: the session's date and area */
  headings[PRINT_SESSION] = C_("recall list", "Session");
  /* Translators: a column heading of a printed recall list */
  headings[PRINT_PHONE] = C_("recall list", "Phone");
  /* Translators: a column heading of a printed recall list */
  headings[PRINT_EMAIL] = C_("recall list", "E-mail");
  /* Translators: a column heading of a printed recall list: when the patient was called
   * about the lot; empty to tick by hand */
  headings[PRINT_CALLED] = C_("recall list", "Called");
  expires = g_date_valid (&self->expires_on) ? meso_format_date_short (&self->expires_on)
                                             : g_strdup ("");
  /* Translators: a printed recall list's title: the lot, its product and expiry */
  title = g_strdup_printf (_("Recall of lot %s (%s, expires %s)"), self->lot,
                           self->product != NULL ? self->product : "", expires);
  /* Translators: the default file name of a printed recall list; %s is the lot number */
  file_name = g_strdup_printf (_("Recall lot %s"), self->lot);
  g_strdelimit (file_name, "/\\", '-');
  /* Without the clinic's name (unreadable now) the list is still worth printing. */
  meso_store_load_clinic_info (self->store, &clinic, NULL);
  return meso_table_print_operation_new (title, &clinic, headings, rows, print_shares,
                                         /* Translators: printed under a recall list's
                                          * headings when nobody received the lot */
                                         _("Nobody received this lot."), file_name);
}

static void
on_print_clicked_cb (GtkButton        *button,
                     MesoRecallWindow *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->lot == NULL)
    return;
  operation = meso_recall_window_print_operation_new (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
}

/* ------------------------------------------------------------ export */

gboolean
meso_recall_window_export_to (MesoRecallWindow  *self,
                              const char        *path,
                              guint             *n_written,
                              GError           **error)
{
  g_return_val_if_fail (MESO_IS_RECALL_WINDOW (self), FALSE);
  g_return_val_if_fail (self->lot != NULL, FALSE);

  return meso_exchange_export_lot_patients_csv (self->store, self->lot, path, n_written, error);
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       gpointer         user_data)
{
  MesoRecallWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      guint n = 0;

      if (!meso_recall_window_export_to (self, path, &n, &error))
        text = g_strdup (error->message);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             /* Translators: a toast after a recall list was
                                              * exported; %s is the file's name */
                                             "Exported %u session to %s",
                                             "Exported %u sessions to %s", n), n, name);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
on_export_clicked_cb (GtkButton        *button,
                      MesoRecallWindow *self)
{
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->lot == NULL)
    return;
  /* Translators: the default file name of a recall list; %s is the lot number */
  name = g_strdup_printf (_("Recall lot %s.csv"), self->lot);
  g_strdelimit (name, "/\\", '-');
  chooser = meso_csv_save_chooser_new (GTK_WINDOW (self),
                                       /* Translators: title of the recall list's file chooser */
                                       _("Export Recall List"), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---------------------------------------------------------- the window */

static void
lot_picked_cb (const char *number,
               gpointer    user_data)
{
  meso_recall_window_search (user_data, number);
}

/* Narrow below 520 pixels: the rows shown again in their narrow form. */
static void
on_default_width_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  MesoRecallWindow *self = MESO_RECALL_WINDOW (object);
  int width = 0, height = 0;
  gboolean narrow;
  guint n;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  narrow = width > 0 && width < 520;
  if (narrow == self->narrow)
    return;
  self->narrow = narrow;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_list_model_items_changed (G_LIST_MODEL (self->entries), 0, n, n);
}

static void
meso_recall_window_dispose (GObject *object)
{
  MesoRecallWindow *self = MESO_RECALL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  G_OBJECT_CLASS (meso_recall_window_parent_class)->dispose (object);
}

static void
meso_recall_window_finalize (GObject *object)
{
  MesoRecallWindow *self = MESO_RECALL_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->entries);
  g_free (self->lot);
  g_free (self->product);
  G_OBJECT_CLASS (meso_recall_window_parent_class)->finalize (object);
}

static void
meso_recall_window_class_init (MesoRecallWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_recall_window_dispose;
  object_class->finalize = meso_recall_window_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
meso_recall_window_init (MesoRecallWindow *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *list;

  self->entries = g_list_store_new (MESO_TYPE_RECALL_ENTRY);
  g_date_clear (&self->expires_on, 1);
  /* Translators: title of the window that lists who received a product lot */
  gtk_window_set_title (GTK_WINDOW (self), _("Recall by Lot"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_width_cb), NULL);

  self->export_button = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  /* Translators: tooltip of the recall window's button that writes its list to a CSV file */
  gtk_widget_set_tooltip_text (self->export_button, _("Export CSV…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->export_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Export CSV…"), -1);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  self->print_button = gtk_button_new_from_icon_name ("document-print-symbolic");
  /* Translators: tooltip of the recall window's button that prints its list */
  gtk_widget_set_tooltip_text (self->print_button, _("Print…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->print_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Print…"), -1);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  g_signal_connect (self->print_button, "clicked", G_CALLBACK (on_print_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->print_button);
  gtk_box_append (GTK_BOX (content), header);

  self->lot_entry = GTK_ENTRY (gtk_entry_new ());
  /* Translators: placeholder of the recall window's lot field */
  gtk_entry_set_placeholder_text (self->lot_entry, _("Lot number, then Enter"));
  gtk_entry_set_input_hints (self->lot_entry, GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lot_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader says for the lot field */
                                  _("Lot number"), -1);
  g_signal_connect (self->lot_entry, "activate", G_CALLBACK (on_lot_activate_cb), self);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->lot_entry));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->status));
  gtk_widget_set_margin_start (top, 12);
  gtk_widget_set_margin_end (top, 12);
  gtk_widget_set_margin_top (top, 12);
  gtk_widget_set_margin_bottom (top, 6);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  adw_clamp_set_child (ADW_CLAMP (clamp), top);
  gtk_box_append (GTK_BOX (content), clamp);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                              G_LIST_MODEL (g_object_ref (self->entries)))), factory);
  gtk_list_view_set_show_separators (GTK_LIST_VIEW (list), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader says for the recall list */
                                  _("Patients who received the lot"), -1);
  /* Scrollable all the way down: only the rows shown are made. */
  clamp = adw_clamp_scrollable_new ();
  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 800);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), list);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (content), scrolled);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, content);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));
}

void
meso_recall_window_open_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  MesoStore *store = meso_window_get_store (MESO_WINDOW (widget));

  if (store != NULL)
    gtk_window_present (GTK_WINDOW (meso_recall_window_new (GTK_WINDOW (widget), store)));
}

MesoRecallWindow *
meso_recall_window_new (GtkWindow *parent,
                        MesoStore *store)
{
  g_autoptr(GPtrArray) lots = NULL;
  MesoRecallWindow *self;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);

  self = g_object_new (MESO_TYPE_RECALL_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  if (g_application_get_default () != NULL)
    g_signal_connect_object (g_application_get_default (), "store-changed",
                             G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  lots = meso_store_list_lots (store, NULL);
  if (lots != NULL)
    meso_lot_picker_attach (GTK_WIDGET (self->lot_entry), lots, lot_picked_cb, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->lot_entry));
  return self;
}
