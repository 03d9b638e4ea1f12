/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-aftercare-view.h"

#include "meso-aftercare-row.h"
#include "meso-application.h"
#include "meso-call-list.h"
#include "meso-contact-dialog.h"
#include "meso-exchange.h"
#include "meso-reminder-list.h"
#include "meso-time.h"
#include "meso-widgets.h"
#include "meso-window.h"
#include "meso-worker.h"

#include <glib/gi18n.h>

#define N_PANEL MESO_PANEL_N_SECTIONS

/* How often the view looks whether the day has changed: a minute's timer survives
 * suspend and clock changes, where one timer set for midnight would not. */
#define DAY_CHECK_SECONDS 60

enum
{
  SECTION_TODAY,
  SECTION_DUE,
  SECTION_OVERDUE,
  N_SECTIONS
};

typedef struct
{
  GtkToggleButton *button;
  GtkLabel        *count_label;
  GtkLabel        *title_label;
  const char      *title;        /* translated: the switcher's, wide */
  const char      *short_title;  /* translated: the switcher's, narrow */
  GtkStack        *stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;
  GListModel      *model;
  GtkSelectionModel *selection;  /* given to list_view once it is in sight */
} Section;

/* What a worker thread is asked, and what it hands back. */
typedef struct
{
  GDate  day;
} LoadRequest;

typedef struct
{
  guint      counts[N_PANEL];
  GPtrArray *first_pages[N_PANEL];
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  for (guint i = 0; i < N_PANEL; i++)
    g_clear_pointer (&result->first_pages[i], g_ptr_array_unref);
  g_free (result);
}


struct _MesoAftercareView
{
  AdwBin            parent_instance;

  MesoStore        *store;
  MesoWorkerStore  *worker;      /* the loads' own connection, kept between them */
  GDate             day;         /* of the rows shown; cleared before the first load */
  MesoReminderList *lists[N_PANEL];
  guint             counts[N_PANEL];
  Section           sections[N_SECTIONS];
  /* The Overdue section's collapsed group of the lapsed, under its list. */
  GtkToggleButton  *lapsed_button;
  GtkLabel         *lapsed_label;
  GtkImage         *lapsed_arrow;
  GtkRevealer      *lapsed_revealer;
  GtkListView      *lapsed_view;
  GtkSelectionModel *lapsed_selection;
  GMenu            *call_list_menu;
  GCancellable     *cancellable; /* of the load in flight; NULL when none */
  GApplication     *application; /* whose store-changed is connected; not owned */
  guint             day_timeout;
  gboolean          narrow;           /* shown narrow: short names, rows of three lines */
  gboolean          allocated_narrow; /* narrower than NARROW_WIDTH at the last allocation */
  guint             narrow_source;

  GtkLabel         *summary_label;
  GtkMenuButton    *call_list_button;
  GtkBox           *switcher_box;
  GtkLabel         *note_label;
  GtkStack         *sections_stack;
};

G_DEFINE_FINAL_TYPE (MesoAftercareView, meso_aftercare_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_ATTENTION_COUNT,
  PROP_NEEDS_ATTENTION,
  PROP_LOADING,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Narrower than this, a row's name, phone and what applies no longer share
 * a line, and the switcher's names would break in the middle of a word
 * (German's “Folgebehandlung”): the view turns narrow (libadwaita 1.2 has
 * no breakpoints; the width is watched in size_allocate). */
#define NARROW_WIDTH 500

static const char *const section_names[N_SECTIONS] = {
  MESO_AFTERCARE_SECTION_TODAY, MESO_AFTERCARE_SECTION_DUE, MESO_AFTERCARE_SECTION_OVERDUE,
};

/* The store's section each of the view's lists; the lapsed are the Overdue
 * section's collapsed group. Moisturising is only counted. */
static const MesoPanelSection section_panels[N_SECTIONS] = {
  MESO_PANEL_TODAY, MESO_PANEL_DUE, MESO_PANEL_OVERDUE,
};

/* The sections whose first rows a load reads beside the counts. */
static const MesoPanelSection loaded_panels[] = {
  MESO_PANEL_TODAY, MESO_PANEL_DUE, MESO_PANEL_OVERDUE,
};

/* The call lists' names in action targets, by MesoPanelSection. */
static const char *const panel_names[N_PANEL] = {
  [MESO_PANEL_TODAY] = MESO_AFTERCARE_SECTION_TODAY,
  [MESO_PANEL_DUE] = MESO_AFTERCARE_SECTION_DUE,
  [MESO_PANEL_OVERDUE] = MESO_AFTERCARE_SECTION_OVERDUE,
  [MESO_PANEL_LAPSED] = MESO_AFTERCARE_SECTION_LAPSED,
};

static guint
section_count (MesoAftercareView *self,
               guint              section)
{
  g_return_val_if_fail (section < N_SECTIONS, 0);

  return self->counts[section_panels[section]];
}

/* ------------------------------------------------------------- the counts */

static void
meso_aftercare_view_update_counts (MesoAftercareView *self)
{
  guint attention = meso_aftercare_view_get_attention_count (self);
  const char *visible = gtk_stack_get_visible_child_name (self->sections_stack);

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *s = &self->sections[i];
      guint count = section_count (self, i);
      g_autofree char *number = g_strdup_printf ("%u", count);
      g_autofree char *label = NULL;

      gtk_label_set_text (s->count_label, number);
      /* Translators: what a screen reader says for a section button of the Aftercare
       * view, e.g. "Overdue: 12" */
      label = g_strdup_printf (_("%s: %u"), s->title, count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (s->button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_stack_set_visible_child_name (s->stack, count > 0 ? "list" : "empty");
    }

  {
    guint lapsed = self->counts[MESO_PANEL_LAPSED];
    /* Translators: the header of the Overdue section's collapsed group of patients
     * whose follow-up window closed long ago; %u is how many */
    g_autofree char *text = g_strdup_printf (_("Lapsed · %u"), lapsed);

    gtk_label_set_text (self->lapsed_label, text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->lapsed_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    gtk_widget_set_visible (GTK_WIDGET (self->lapsed_button), lapsed > 0);
    if (lapsed == 0)
      gtk_toggle_button_set_active (self->lapsed_button, FALSE);
  }

  if (self->store == NULL)
    /* Translators: the Aftercare view's subtitle when the database cannot be read */
    gtk_label_set_text (self->summary_label, _("The clinic database is not open."));
  else if (attention == 0)
    /* Translators: the Aftercare view's subtitle */
    gtk_label_set_text (self->summary_label, _("No follow-up needs a call or a booking."));
  else
    {
      g_autofree char *summary = NULL;

      /* Translators: the Aftercare view's subtitle; the number on the view's tab is
       * the first number. The second and third are the Follow-up Due and Overdue counts. */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u follow-up needs a call or a booking "
                                              "(%u due, %u overdue).",
                                              "%u follow-ups need a call or a booking "
                                              "(%u due, %u overdue).", attention),
                                 attention, self->counts[MESO_PANEL_DUE],
                                 self->counts[MESO_PANEL_OVERDUE]);
      gtk_label_set_text (self->summary_label, summary);
    }

  /* Moisturising lasts until the next session for everyone treated: a count, not
   * a section, beside today's instructions. */
  if (self->counts[MESO_PANEL_MOISTURISE] > 0)
    {
      g_autofree char *note = NULL;
      guint n = self->counts[MESO_PANEL_MOISTURISE];

      /* Translators: a note in the Aftercare view's Today section */
      note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Besides these, %u treated area is in its daily "
                                           "moisturising phase until the next session.",
                                           "Besides these, %u treated areas are in their daily "
                                           "moisturising phase until the next session.", n), n);
      gtk_label_set_text (self->note_label, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->note_label),
                          self->counts[MESO_PANEL_MOISTURISE] > 0 &&
                          g_strcmp0 (visible, MESO_AFTERCARE_SECTION_TODAY) == 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION_COUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
}

/* --------------------------------------------------------------- loading */

static gpointer
meso_aftercare_view_load_locked (MesoStore     *store,
                                 gpointer       data,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  LoadRequest *request = data;
  LoadResult *result = g_new0 (LoadResult, 1);

  guint sections = 0;

  /* Each shown section's first rows with the counts, so they are there the
   * moment the counts are; the lapsed, collapsed, are read when opened. */
  for (guint i = 0; i < G_N_ELEMENTS (loaded_panels); i++)
    sections |= 1u << loaded_panels[i];
  if (!meso_store_load_panel (store, &request->day, sections, MESO_REMINDER_LIST_PAGE_SIZE,
                              result->counts, result->first_pages, error))
    {
      load_result_free (result);
      return NULL;
    }
  return result;
}

static void
meso_aftercare_view_load_done_cb (GObject      *object,
                                  GAsyncResult *res,
                                  gpointer      user_data)
{
  MesoAftercareView *self = user_data;  /* not held: see meso_aftercare_view_reload() */
  LoadRequest *request = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  LoadResult *result;

  result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer load replaced this one (its own answer is on the way), or the
   * view was closed: either way cancelled, and @self is not to be touched. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_return_if_fail (g_task_get_cancellable (G_TASK (res)) == self->cancellable);
  g_clear_object (&self->cancellable);

  if (result == NULL)
    {
      /* The sections show as empty; the person learns of an unreadable database
       * from the application's dialog, so this is for whoever reads the log. */
      g_warning ("Could not load the aftercare entries: %s", error->message);
      result = g_new0 (LoadResult, 1);
    }

  self->day = request->day;
  for (guint panel = 0; panel < N_PANEL; panel++)
    {
      self->counts[panel] = result->counts[panel];
      meso_reminder_list_set_contents (self->lists[panel], self->store, &request->day,
                                       result->counts[panel],
                                       g_steal_pointer (&result->first_pages[panel]));
    }
  load_result_free (result);

  meso_aftercare_view_update_counts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
meso_aftercare_view_reload (MesoAftercareView *self)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;
  gboolean was_loading;

  g_return_if_fail (MESO_IS_AFTERCARE_VIEW (self));

  was_loading = self->cancellable != NULL;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (self->store == NULL)
    {
      memset (self->counts, 0, sizeof self->counts);
      for (guint panel = 0; panel < N_PANEL; panel++)
        meso_reminder_list_set_contents (self->lists[panel], NULL, NULL, 0, NULL);
      meso_aftercare_view_update_counts (self);
      if (was_loading)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  self->cancellable = g_cancellable_new ();
  request = g_new0 (LoadRequest, 1);
  meso_clock_today (&request->day);
  if (self->worker == NULL)
    self->worker = meso_worker_store_new (meso_store_get_path (self->store));

  /* Not the task's source object: a closed view goes at once (dispose
   * cancels the load) rather than when the worker lets go of the task. Every
   * path that forgets the load cancels it first. */
  task = g_task_new (NULL, self->cancellable, meso_aftercare_view_load_done_cb, self);
  g_task_set_source_tag (task, meso_aftercare_view_reload);
  g_task_set_task_data (task, request, g_free);
  /* A stale load is dropped at once; its worker finishes on its own connection. */
  g_task_set_return_on_cancel (task, TRUE);
  meso_worker_store_run_in_thread (self->worker, task, meso_aftercare_view_load_locked,
                                   (GDestroyNotify) load_result_free);

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
meso_aftercare_view_check_day (MesoAftercareView *self)
{
  GDate today;

  g_return_val_if_fail (MESO_IS_AFTERCARE_VIEW (self), FALSE);

  if (self->store == NULL || !g_date_valid (&self->day))
    return FALSE;
  meso_clock_today (&today);
  if (g_date_compare (&today, &self->day) == 0)
    return FALSE;
  meso_aftercare_view_reload (self);
  return TRUE;
}

static gboolean
meso_aftercare_view_day_timeout_cb (gpointer user_data)
{
  meso_aftercare_view_check_day (MESO_AFTERCARE_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

/* --------------------------------------------------------------- actions */

static void
meso_aftercare_view_written (MesoAftercareView *self)
{
  /* The application's store-changed reloads every view, this one included. */
  if (MESO_IS_APPLICATION (self->application))
    meso_application_store_changed (MESO_APPLICATION (self->application));
  else
    meso_aftercare_view_reload (self);
}

static GtkWindow *
meso_aftercare_view_get_window (MesoAftercareView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
meso_aftercare_view_show_error (MesoAftercareView *self,
                                const char        *heading,
                                const GError      *error)
{
  GtkWidget *dialog = adw_message_dialog_new (meso_aftercare_view_get_window (self), heading,
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
meso_aftercare_view_log_contact_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  const char *name;
  gint64 id;

  if (self->store == NULL)
    return;
  g_variant_get (parameter, "(x&s)", &id, &name);
  gtk_window_present (GTK_WINDOW (meso_contact_dialog_new (meso_aftercare_view_get_window (self),
                                                           self->store, id, name)));
}

/* Course Finished and Declined: asked first, as there is no undo. */
typedef struct
{
  MesoAftercareView *view;
  gint64             patient_id;
  gboolean           declined;
} CourseChange;

static void
on_course_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CourseChange     *change)
{
  MesoAftercareView *self = change->view;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "confirm") || self->store == NULL)
    return;

  if (!meso_store_set_course_state (self->store, change->patient_id, !change->declined,
                                    change->declined, &error))
    {
      /* Translators: heading of the message shown when a recall state was not saved */
      meso_aftercare_view_show_error (self, _("The Change Was Not Saved"), error);
      return;
    }
  meso_aftercare_view_written (self);
}

static void
course_change_free (gpointer  data,
                    GClosure *closure)
{
  CourseChange *change = data;

  g_object_unref (change->view);
  g_free (change);
}

static void
meso_aftercare_view_course_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  gboolean declined = g_str_equal (action_name, "aftercare.declined");
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  CourseChange *change;
  const char *name;
  GtkWidget *dialog;
  gint64 id;

  if (self->store == NULL)
    return;
  g_variant_get (parameter, "(x&s)", &id, &name);

  if (declined)
    {
      /* Translators: heading of a confirmation; %s is the patient's name */
      heading = g_strdup_printf (_("Do Not Contact %s?"), name);
      /* Translators: body of the “Do Not Contact” confirmation */
      body = g_strdup (_("The patient declined further sessions: they leave the recall list "
                         "and are not listed for a follow-up again, even after a new session, "
                         "until someone puts them back on it."));
    }
  else
    {
      /* Translators: heading of a confirmation; %s is the patient's name */
      heading = g_strdup_printf (_("Finish the Course of %s?"), name);
      /* Translators: body of the “Course Finished” confirmation */
      body = g_strdup (_("The patient leaves the recall list until a new session is recorded."));
    }

  dialog = adw_message_dialog_new (meso_aftercare_view_get_window (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: confirms a course finished or declined */
                                    "confirm", declined ? _("_Do Not Contact")
                                                        : _("Course _Finished"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              declined ? ADW_RESPONSE_DESTRUCTIVE
                                                       : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  change = g_new0 (CourseChange, 1);
  change->view = g_object_ref (self);
  change->patient_id = id;
  change->declined = declined;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_course_response_cb), change,
                         course_change_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------ call lists */

static gboolean
panel_from_name (const char       *name,
                 MesoPanelSection *panel)
{
  for (guint i = 0; i < N_PANEL; i++)
    if (panel_names[i] != NULL && g_strcmp0 (name, panel_names[i]) == 0)
      {
        *panel = i;
        return TRUE;
      }
  return FALSE;
}

static void
meso_aftercare_view_print_call_list_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MesoClinicInfo) clinic = { 0 };
  MesoPanelSection panel;

  if (self->store == NULL || !g_date_valid (&self->day) ||
      !panel_from_name (g_variant_get_string (parameter, NULL), &panel))
    return;
  rows = meso_store_list_panel_page (self->store, &self->day, panel, 0, 0, &error);
  if (rows == NULL)
    {
      /* Translators: heading of the message shown when printing fails */
      meso_aftercare_view_show_error (self, _("Could Not Print"), error);
      return;
    }
  /* Without the clinic's name (unreadable now) the list is still worth printing. */
  if (!meso_store_load_clinic_info (self->store, &clinic, &error))
    g_clear_error (&error);
  operation = meso_call_list_print_operation_new (rows, panel, &self->day, &clinic);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               meso_aftercare_view_get_window (self),
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    meso_aftercare_view_show_error (self, _("Could Not Print"), error);
}

typedef struct
{
  MesoAftercareView *view;
  MesoPanelSection   panel;
} CallListExport;

static void
on_call_list_export_response_cb (GtkNativeDialog *chooser,
                                 int              response,
                                 CallListExport  *export)
{
  MesoAftercareView *self = export->view;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
    }
  if (path != NULL)
    {
      GtkWindow *window = meso_aftercare_view_get_window (self);

      if (!meso_exchange_export_call_list_csv (self->store, &self->day, export->panel, path,
                                               NULL, &error))
        /* Translators: heading of the message shown when a call list was not exported */
        meso_aftercare_view_show_error (self, _("The Call List Was Not Exported"), error);
      else if (MESO_IS_WINDOW (window))
        /* Translators: a toast after a call list was exported */
        meso_window_add_toast (MESO_WINDOW (window), adw_toast_new (_("Call list exported")));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (export->view);
  g_free (export);
}

static void
meso_aftercare_view_export_call_list_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  CallListExport *export;
  MesoPanelSection panel;

  if (self->store == NULL || !g_date_valid (&self->day) ||
      !panel_from_name (g_variant_get_string (parameter, NULL), &panel))
    return;
  base = meso_call_list_file_name (panel, &self->day);
  name = g_strconcat (base, ".csv", NULL);
  chooser = meso_csv_save_chooser_new (meso_aftercare_view_get_window (self),
                                       /* Translators: title of the call list's file chooser */
                                       _("Export Call List"), name);
  export = g_new0 (CallListExport, 1);
  export->view = g_object_ref (self);
  export->panel = panel;
  g_signal_connect (chooser, "response", G_CALLBACK (on_call_list_export_response_cb), export);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
append_call_list_item (GMenu            *menu,
                       const char       *label,
                       const char       *action,
                       MesoPanelSection  panel)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action,
                                           g_variant_new_string (panel_names[panel]));
  g_menu_append_item (menu, item);
}

/* The call list menu acts on the shown section (and, in Overdue, on the lapsed). */
static void
meso_aftercare_view_update_call_list_menu (MesoAftercareView *self,
                                           MesoPanelSection   panel)
{
  g_menu_remove_all (self->call_list_menu);
  /* Translators: an item of the Aftercare view's call list menu */
  append_call_list_item (self->call_list_menu, _("_Print Call List"),
                         "aftercare.print-call-list", panel);
  /* Translators: an item of the Aftercare view's call list menu */
  append_call_list_item (self->call_list_menu, _("_Export Call List…"),
                         "aftercare.export-call-list", panel);
  if (panel != MESO_PANEL_OVERDUE)
    return;
  /* Translators: an item of the Aftercare view's call list menu */
  append_call_list_item (self->call_list_menu, _("Print _Lapsed Call List"),
                         "aftercare.print-call-list", MESO_PANEL_LAPSED);
  /* Translators: an item of the Aftercare view's call list menu */
  append_call_list_item (self->call_list_menu, _("Export L_apsed Call List…"),
                         "aftercare.export-call-list", MESO_PANEL_LAPSED);
}

/* -------------------------------------------------------------- sections */

static void
on_setup_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 MesoAftercareView        *self)
{
  GtkWidget *row = meso_aftercare_row_new ();

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  /* A row made while the view is narrow is narrow from its first frame. */
  g_object_bind_property (self, "narrow", row, "narrow", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (item, row);
}

static void
on_bind_row_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  meso_aftercare_row_set_item (MESO_AFTERCARE_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
on_unbind_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  meso_aftercare_row_set_item (MESO_AFTERCARE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_section_toggled_cb (GtkToggleButton   *button,
                       MesoAftercareView *self)
{
  for (guint i = 0; i < N_SECTIONS; i++)
    if (self->sections[i].button == button && gtk_toggle_button_get_active (button))
      meso_aftercare_view_show_section (self, section_names[i]);
}

typedef struct
{
  const char *title;
  const char *short_title;
  const char *icon_name;
  const char *empty_title;
  const char *empty_description;
  const char *list_label;
} SectionText;

/* A list view of rows in a scrolled window, made without its model: GTK
 * 4.8's list view makes up to 200 rows even out of sight, and these rows are
 * heavy; see meso_aftercare_view_attach_shown(). */
static GtkWidget *
meso_aftercare_view_new_list (MesoAftercareView *self,
                              const char        *accessible_label,
                              GtkListView      **list_view)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_scrollable_new ();
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_row_cb), NULL);
  *list_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, g_object_ref (factory)));
  gtk_list_view_set_show_separators (*list_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 720);
  adw_clamp_scrollable_set_tightening_threshold (ADW_CLAMP_SCROLLABLE (clamp), 480);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), GTK_WIDGET (*list_view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  return scrolled;
}

static void meso_aftercare_view_attach_shown (MesoAftercareView *self);

static void
on_lapsed_toggled_cb (GtkToggleButton   *button,
                      MesoAftercareView *self)
{
  gboolean open = gtk_toggle_button_get_active (button);

  gtk_revealer_set_reveal_child (self->lapsed_revealer, open);
  /* Collapsed, it takes no room from the overdue. */
  gtk_widget_set_vexpand (GTK_WIDGET (self->lapsed_revealer), open);
  /* Open, the lapsed take the room of the overdue above them. */
  gtk_widget_set_visible (GTK_WIDGET (self->sections[SECTION_OVERDUE].stack), !open);
  gtk_image_set_from_icon_name (self->lapsed_arrow,
                                open ? "pan-down-symbolic" : "pan-end-symbolic");
  meso_aftercare_view_attach_shown (self);
}

/* Under the Overdue list: a header button with the lapsed's count, which
 * opens their list in its place (collapsed at first). */
static GtkWidget *
meso_aftercare_view_new_lapsed_group (MesoAftercareView *self,
                                      GtkWidget         *overdue)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled, *clamp;

  self->lapsed_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->lapsed_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->lapsed_label), "heading");
  self->lapsed_arrow = GTK_IMAGE (gtk_image_new_from_icon_name ("pan-end-symbolic"));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->lapsed_arrow));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->lapsed_label));
  self->lapsed_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_button_set_child (GTK_BUTTON (self->lapsed_button), header);
  gtk_widget_add_css_class (GTK_WIDGET (self->lapsed_button), "flat");
  gtk_widget_set_margin_start (GTK_WIDGET (self->lapsed_button), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->lapsed_button), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->lapsed_button), 3);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->lapsed_button), 3);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->lapsed_button),
                               /* Translators: tooltip of the Lapsed group's header */
                               _("Patients whose follow-up window closed longer ago than the "
                                 "clinic’s policy sets; they are less likely to come back"));
  gtk_widget_set_visible (GTK_WIDGET (self->lapsed_button), FALSE);
  g_signal_connect (self->lapsed_button, "toggled", G_CALLBACK (on_lapsed_toggled_cb), self);

  /* Translators: what a screen reader calls a list in the Aftercare view */
  scrolled = meso_aftercare_view_new_list (self, _("Lapsed follow-ups"), &self->lapsed_view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  self->lapsed_selection =
    GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (
                                                 self->lists[MESO_PANEL_LAPSED]))));
  self->lapsed_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->lapsed_revealer,
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (self->lapsed_revealer, scrolled);
  gtk_widget_set_vexpand (GTK_WIDGET (self->lapsed_revealer), FALSE);
  gtk_widget_set_vexpand (overdue, TRUE);
  gtk_box_append (GTK_BOX (box), overdue);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->lapsed_button));
  gtk_box_append (GTK_BOX (box), clamp);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->lapsed_revealer));
  return box;
}

static void
meso_aftercare_view_add_section (MesoAftercareView *self,
                                 guint              section,
                                 const SectionText *text)
{
  Section *s = &self->sections[section];
  GtkWidget *button_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled;

  /* The switcher's button: the count over the section's name. */
  s->button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  s->count_label = GTK_LABEL (gtk_label_new ("0"));
  gtk_widget_add_css_class (GTK_WIDGET (s->count_label), "title-3");
  s->title = text->title;
  s->short_title = text->short_title;
  s->title_label = GTK_LABEL (gtk_label_new (text->title));
  gtk_label_set_wrap (s->title_label, TRUE);
  /* A long word breaks rather than widen the three buttons past the window;
   * narrow, the short names show (meso_aftercare_view_update_narrow()). */
  gtk_label_set_wrap_mode (s->title_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (s->title_label, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (s->title_label), "caption");
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (s->count_label));
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (s->title_label));
  gtk_button_set_child (GTK_BUTTON (s->button), button_box);
  if (section > 0)
    gtk_toggle_button_set_group (s->button, self->sections[0].button);
  g_signal_connect (s->button, "toggled", G_CALLBACK (on_section_toggled_cb), self);
  gtk_box_append (self->switcher_box, GTK_WIDGET (s->button));

  /* The rows, made only for what is in sight. */
  s->model = g_object_ref (G_LIST_MODEL (self->lists[section_panels[section]]));
  s->selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (s->model)));
  scrolled = meso_aftercare_view_new_list (self, text->list_label, &s->list_view);

  s->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (s->empty_page, text->icon_name);
  adw_status_page_set_title (s->empty_page, text->empty_title);
  adw_status_page_set_description (s->empty_page, text->empty_description);

  s->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (s->stack, scrolled, "list");
  gtk_stack_add_named (s->stack, GTK_WIDGET (s->empty_page), "empty");
  gtk_stack_set_visible_child_name (s->stack, "empty");
  gtk_stack_add_named (self->sections_stack,
                       section == SECTION_OVERDUE
                       ? meso_aftercare_view_new_lapsed_group (self, GTK_WIDGET (s->stack))
                       : GTK_WIDGET (s->stack),
                       section_names[section]);
}

/* ---------------------------------------------------------------- narrow */

/* Narrow, each section's button shows its short name (the whole in its
 * tooltip), and the rows (bound to "narrow") put the phone on a line of its
 * own. */
static void
meso_aftercare_view_update_narrow (MesoAftercareView *self)
{
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *s = &self->sections[i];

      gtk_label_set_text (s->title_label, self->narrow ? s->short_title : s->title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (s->button), self->narrow ? s->title : NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

static gboolean
narrow_changed_cb (gpointer data)
{
  MesoAftercareView *self = data;

  self->narrow_source = 0;
  if (self->allocated_narrow != self->narrow)
    {
      self->narrow = self->allocated_narrow;
      meso_aftercare_view_update_narrow (self);
    }
  return G_SOURCE_REMOVE;
}

/* Switched after this layout, not within it. */
static void
meso_aftercare_view_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  self->allocated_narrow = width < NARROW_WIDTH;
  if (self->allocated_narrow != self->narrow && self->narrow_source == 0)
    self->narrow_source = g_idle_add (narrow_changed_cb, self);
}

/* ------------------------------------------------------------- the object */

static void
meso_aftercare_view_disconnect_application (MesoAftercareView *self)
{
  if (self->application == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->application, self);
  g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
  self->application = NULL;
}

static void
meso_aftercare_view_dispose (GObject *object)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (object);

  meso_aftercare_view_disconnect_application (self);
  g_clear_handle_id (&self->day_timeout, g_source_remove);
  g_clear_handle_id (&self->narrow_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      g_clear_object (&self->sections[i].selection);
      g_clear_object (&self->sections[i].model);
    }
  g_clear_object (&self->lapsed_selection);
  g_clear_object (&self->call_list_menu);
  for (guint panel = 0; panel < N_PANEL; panel++)
    g_clear_object (&self->lists[panel]);
  g_clear_object (&self->store);
  g_clear_pointer (&self->worker, meso_worker_store_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_AFTERCARE_VIEW);

  G_OBJECT_CLASS (meso_aftercare_view_parent_class)->dispose (object);
}

static void
meso_aftercare_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ATTENTION_COUNT:
      g_value_set_uint (value, meso_aftercare_view_get_attention_count (self));
      break;
    case PROP_NEEDS_ATTENTION:
      g_value_set_boolean (value, meso_aftercare_view_get_attention_count (self) > 0);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, meso_aftercare_view_get_loading (self));
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void meso_aftercare_view_attach_shown (MesoAftercareView *self);

static void meso_aftercare_view_update_narrow (MesoAftercareView *self);

static void
meso_aftercare_view_map (GtkWidget *widget)
{
  MesoAftercareView *self = MESO_AFTERCARE_VIEW (widget);
  int window_width = gtk_widget_get_width (GTK_WIDGET (gtk_widget_get_root (widget)));

  /* Shown in a narrow window, narrow from the first frame: wide rows for a
   * frame would widen the window past 360 pixels for good. */
  if (window_width > 0 && (window_width < NARROW_WIDTH) != self->narrow)
    {
      self->narrow = self->allocated_narrow = window_width < NARROW_WIDTH;
      meso_aftercare_view_update_narrow (self);
    }
  GTK_WIDGET_CLASS (meso_aftercare_view_parent_class)->map (widget);
  meso_aftercare_view_attach_shown (MESO_AFTERCARE_VIEW (widget));
}

static void
meso_aftercare_view_class_init (MesoAftercareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_aftercare_view_dispose;
  widget_class->map = meso_aftercare_view_map;
  widget_class->measure = meso_bin_measure;
  widget_class->size_allocate = meso_aftercare_view_size_allocate;
  object_class->get_property = meso_aftercare_view_get_property;

  properties[PROP_ATTENTION_COUNT] =
    g_param_spec_uint ("attention-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEEDS_ATTENTION] =
    g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Narrower than NARROW_WIDTH at the last layout, once switched. */
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  meso_application_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-aftercare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareView, call_list_button);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareView, switcher_box);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareView, note_label);
  gtk_widget_class_bind_template_child (widget_class, MesoAftercareView, sections_stack);

  gtk_widget_class_install_action (widget_class, "aftercare.log-contact", "(xs)",
                                   meso_aftercare_view_log_contact_action);
  gtk_widget_class_install_action (widget_class, "aftercare.course-finished", "(xs)",
                                   meso_aftercare_view_course_action);
  gtk_widget_class_install_action (widget_class, "aftercare.declined", "(xs)",
                                   meso_aftercare_view_course_action);
  gtk_widget_class_install_action (widget_class, "aftercare.print-call-list", "s",
                                   meso_aftercare_view_print_call_list_action);
  gtk_widget_class_install_action (widget_class, "aftercare.export-call-list", "s",
                                   meso_aftercare_view_export_call_list_action);
}

static void
meso_aftercare_view_init (MesoAftercareView *self)
{
  const SectionText texts[N_SECTIONS] = {
    [SECTION_TODAY] = {
      /* Translators: a section of the Aftercare view: instructions patients follow today */
      _("Today’s Aftercare"),
      /* Translators: the Today's Aftercare section's name in a narrow window, where
       * three share 360 pixels: one short word */
      C_("aftercare section", "Today"),
      "weather-clear-symbolic",
      /* Translators: shown when the Today's Aftercare section is empty */
      _("No Aftercare Today"),
      /* Translators: shown below “No Aftercare Today” */
      _("Who must keep water off the treated skin or needs sun protection after a recent "
        "session will appear here."),
      /* Translators: what a screen reader calls a list in the Aftercare view */
      _("Today’s aftercare"),
    },
    [SECTION_DUE] = {
      /* Translators: a section of the Aftercare view: the next session should be booked */
      _("Follow-up Due"),
      /* Translators: the Follow-up Due section's name in a narrow window, where
       * three share 360 pixels: one short word */
      C_("aftercare section", "Due"),
      "x-office-calendar-symbolic",
      /* Translators: shown when the Follow-up Due section is empty */
      _("No Follow-ups Due"),
      /* Translators: shown below “No Follow-ups Due” */
      _("Patients whose follow-up window is open or about to open, with nothing booked, will "
        "appear here."),
      /* Translators: what a screen reader calls a list in the Aftercare view */
      _("Follow-ups due"),
    },
    [SECTION_OVERDUE] = {
      /* Translators: a section of the Aftercare view: the follow-up window has passed */
      _("Overdue"),
      /* Translators: the Overdue section's name in a narrow window, where three
       * share 360 pixels: one short word */
      C_("aftercare section", "Overdue"),
      "alarm-symbolic",
      /* Translators: shown when the Overdue section is empty */
      _("Nobody Is Overdue"),
      /* Translators: shown below “Nobody Is Overdue” */
      _("Patients whose follow-up window has passed with nothing booked will appear here."),
      /* Translators: what a screen reader calls a list in the Aftercare view */
      _("Overdue follow-ups"),
    },
  };

  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_date_clear (&self->day, 1);

  for (guint panel = 0; panel < N_PANEL; panel++)
    self->lists[panel] = meso_reminder_list_new (panel);
  self->call_list_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->call_list_button, G_MENU_MODEL (self->call_list_menu));
  meso_aftercare_view_update_call_list_menu (self, MESO_PANEL_TODAY);
  for (guint i = 0; i < N_SECTIONS; i++)
    meso_aftercare_view_add_section (self, i, &texts[i]);
  gtk_toggle_button_set_active (self->sections[SECTION_TODAY].button, TRUE);

  self->day_timeout = g_timeout_add_seconds (DAY_CHECK_SECONDS,
                                             meso_aftercare_view_day_timeout_cb, self);
  meso_aftercare_view_update_counts (self);
}

GtkWidget *
meso_aftercare_view_new (void)
{
  return g_object_new (MESO_TYPE_AFTERCARE_VIEW, NULL);
}

void
meso_aftercare_view_set_store (MesoAftercareView *self,
                               MesoStore         *store)
{
  GApplication *app;

  g_return_if_fail (MESO_IS_AFTERCARE_VIEW (self));
  g_return_if_fail (store == NULL || MESO_IS_STORE (store));

  if (self->store == store && store != NULL)
    return;
  g_set_object (&self->store, store);
  g_clear_pointer (&self->worker, meso_worker_store_unref);

  /* Writes anywhere (this window, another, the command line) reach every view
   * through the application's store-changed. */
  meso_aftercare_view_disconnect_application (self);
  app = g_application_get_default ();
  if (store != NULL && MESO_IS_APPLICATION (app))
    {
      self->application = app;
      g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->application);
      g_signal_connect_swapped (app, "store-changed", G_CALLBACK (meso_aftercare_view_reload),
                                self);
    }

  meso_aftercare_view_reload (self);
}

gboolean
meso_aftercare_view_get_loading (MesoAftercareView *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/* What the view switcher's badge counts, and the notification: the follow-ups due
 * or overdue, that is, the entries someone at the desk must act on (call, book,
 * or close the course). Today's aftercare is not counted: the patients follow it
 * at home, and nobody at the desk needs to do anything for it. An entry is one
 * treated area, so a patient due for two areas counts twice. */
guint
meso_aftercare_view_get_attention_count (MesoAftercareView *self)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_VIEW (self), 0);

  return self->counts[MESO_PANEL_DUE] + self->counts[MESO_PANEL_OVERDUE];
}

GListModel *
meso_aftercare_view_get_section (MesoAftercareView *self,
                                 const char        *name)
{
  g_return_val_if_fail (MESO_IS_AFTERCARE_VIEW (self), NULL);

  for (guint i = 0; i < N_SECTIONS; i++)
    if (g_strcmp0 (name, section_names[i]) == 0)
      return self->sections[i].model;
  if (g_strcmp0 (name, MESO_AFTERCARE_SECTION_LAPSED) == 0)
    return G_LIST_MODEL (self->lists[MESO_PANEL_LAPSED]);
  g_return_val_if_reached (NULL);
}

/* The shown section's list gets its rows once the view is on screen, so the
 * window opens without making the rows of a view nobody looks at yet. */
static void
meso_aftercare_view_attach_shown (MesoAftercareView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *s = &self->sections[i];

      if (gtk_toggle_button_get_active (s->button) &&
          gtk_list_view_get_model (s->list_view) == NULL)
        gtk_list_view_set_model (s->list_view, s->selection);
    }
  if (gtk_toggle_button_get_active (self->lapsed_button) &&
      gtk_list_view_get_model (self->lapsed_view) == NULL)
    gtk_list_view_set_model (self->lapsed_view, self->lapsed_selection);
}

void
meso_aftercare_view_show_section (MesoAftercareView *self,
                                  const char        *name)
{
  g_return_if_fail (MESO_IS_AFTERCARE_VIEW (self));

  for (guint i = 0; i < N_SECTIONS; i++)
    if (g_strcmp0 (name, section_names[i]) == 0)
      {
        gtk_stack_set_visible_child_name (self->sections_stack, name);
        gtk_toggle_button_set_active (self->sections[i].button, TRUE);
        gtk_widget_set_visible (GTK_WIDGET (self->note_label),
                                i == SECTION_TODAY &&
                                self->counts[MESO_PANEL_MOISTURISE] > 0);
        meso_aftercare_view_update_call_list_menu (self, section_panels[i]);
        meso_aftercare_view_attach_shown (self);
        return;
      }
  g_return_if_reached ();
}
