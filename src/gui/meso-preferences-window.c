/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-preferences-window.h"

#include "meso-consent-dialog.h"

#include "meso-date-field.h"
#include "meso-enum-types.h"
#include "meso-server.h"
#include "meso-server-fields.h"
#include "meso-staff-dialog.h"
#include "meso-time.h"
#include "meso-widgets.h"

#include <glib/gi18n.h>

/* The opening hours' spin buttons move by this many minutes. */
#define HOURS_STEP_MINUTES 15
#define MINUTES_PER_DAY    (24 * 60)

typedef struct
{
  MesoPreferencesWindow *self;
  gboolean               room;
  AdwPreferencesGroup   *group;
  AdwEntryRow           *entry;
  GtkLabel              *message;
  GPtrArray             *rows;
  guint                  reload_idle;
} ResourceSection;

typedef struct
{
  MesoPreferencesWindow *self;
  GDateWeekday           weekday;
  AdwExpanderRow        *row;
  GtkSpinButton         *open;
  GtkSpinButton         *close;
} DayRow;

struct _MesoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  MesoApplication      *app;
  gboolean              loading;

  AdwEntryRow          *clinic_rows[4];  /* name, address, phone, emergency */
  GtkLabel             *clinic_message;

  AdwPreferencesGroup  *interval_group;
  AdwPreferencesGroup  *aftercare_group;
  AdwPreferencesGroup  *desk_group;
  GtkWidget            *policy_page;
  GtkWidget            *practitioners_page;
  GtkWidget            *rooms_page;
  GtkWidget            *hours_page;
  GtkWidget            *database_page;
  GtkLabel             *policy_message;
  GtkSpinButton        *policy_spins[9];
  GtkSwitch            *consent_required_switch;

  GtkLabel             *practitioner_message;
  AdwPreferencesGroup  *practitioner_group;
  AdwEntryRow          *room_entry;
  GtkLabel             *room_message;
  AdwPreferencesGroup  *room_group;
  ResourceSection       practitioners;
  ResourceSection       rooms;

  AdwEntryRow          *lot_number_entry;
  AdwEntryRow          *lot_product_entry;
  AdwEntryRow          *lot_expires_entry;
  GtkLabel             *lot_message;
  AdwPreferencesGroup  *lot_group;
  GPtrArray            *lot_rows;

  AdwPreferencesGroup  *hours_group;
  DayRow                days[7];

  AdwPreferencesGroup  *database_group;
  AdwActionRow         *local_row;
  GtkCheckButton       *local_check;
  GtkCheckButton       *server_check;
  MesoServerFields     *server_group;
  GtkWidget            *test_button;
  GtkWidget            *apply_button;
  GtkSpinner           *database_spinner;
  GtkLabel             *database_message;
  GCancellable         *connecting;
  char                 *password;  /* the last that worked: memory only */
  char                 *password_for;  /* its server's location without it */
};

G_DEFINE_FINAL_TYPE (MesoPreferencesWindow, meso_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static MesoStore *
meso_preferences_window_get_store (MesoPreferencesWindow *self)
{
  return meso_application_get_store (self->app, NULL);
}

/* Shows @text under the control it is about; NULL hides it. */
static void
show_inline_message (GtkLabel   *label,
                     const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
saved (MesoPreferencesWindow *self)
{
  meso_application_store_changed (self->app);
}

/* =============================================================== clinic */

/* The rows in MesoClinicInfo's order. */
static const gsize clinic_offsets[] = {
  G_STRUCT_OFFSET (MesoClinicInfo, name),
  G_STRUCT_OFFSET (MesoClinicInfo, address),
  G_STRUCT_OFFSET (MesoClinicInfo, phone),
  G_STRUCT_OFFSET (MesoClinicInfo, emergency),
};

static void
clinic_apply_cb (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  MesoClinicInfo info = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (clinic_offsets); i++)
    G_STRUCT_MEMBER (const char *, &info, clinic_offsets[i]) =
      gtk_editable_get_text (GTK_EDITABLE (self->clinic_rows[i]));
  if (store == NULL || !meso_store_save_clinic_info (store, &info, &error))
    {
      show_inline_message (self->clinic_message, error != NULL ? error->message : NULL);
      return;
    }
  show_inline_message (self->clinic_message, NULL);
  saved (self);
}

static void
clinic_load (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  g_auto(MesoClinicInfo) info = { 0 };

  if (store != NULL && !meso_store_load_clinic_info (store, &info, &error))
    show_inline_message (self->clinic_message, error->message);
  for (guint i = 0; i < G_N_ELEMENTS (clinic_offsets); i++)
    {
      const char *text = G_STRUCT_MEMBER (const char *, &info, clinic_offsets[i]);

      gtk_editable_set_text (GTK_EDITABLE (self->clinic_rows[i]), text != NULL ? text : "");
    }
}

/* =============================================================== policy */

typedef enum
{
  POLICY_INTERVAL,
  POLICY_AFTERCARE,
  POLICY_DESK,
} PolicyGroup;

/* The fields of MesoPolicy, in the order of the page; the range of each is
 * the policy module's (hard minimum, maximum), never a number of ours. */
static const struct
{
  gsize       offset;
  PolicyGroup group;
  const char *title;
  const char *subtitle;
} policy_fields[] = {
  { G_STRUCT_OFFSET (MesoPolicy, interval_min_days), POLICY_INTERVAL,
    N_("Shortest interval"), N_("Days; a session sooner is refused") },
  { G_STRUCT_OFFSET (MesoPolicy, interval_max_days), POLICY_INTERVAL,
    N_("Longest recommended interval"), N_("Days; later is allowed, with a warning") },
  { G_STRUCT_OFFSET (MesoPolicy, sensitive_min_days), POLICY_INTERVAL,
    N_("Shortest interval, sensitive skin"), N_("Days") },
  { G_STRUCT_OFFSET (MesoPolicy, sensitive_max_days), POLICY_INTERVAL,
    N_("Longest recommended interval, sensitive skin"), N_("Days") },
  { G_STRUCT_OFFSET (MesoPolicy, no_water_hours), POLICY_AFTERCARE,
    N_("No tap water"), N_("Hours after a session") },
  { G_STRUCT_OFFSET (MesoPolicy, sun_protection_days), POLICY_AFTERCARE,
    N_("Strict sun protection"), N_("Days after a session") },
  { G_STRUCT_OFFSET (MesoPolicy, due_soon_days), POLICY_AFTERCARE,
    N_("List a follow-up early"), N_("Days before its window opens") },
  { G_STRUCT_OFFSET (MesoPolicy, lapsed_months), POLICY_AFTERCARE,
    N_("Lapsed after"),
    N_("Months past the follow-up window; then listed under Lapsed, not Overdue") },
  { G_STRUCT_OFFSET (MesoPolicy, lock_minutes), POLICY_DESK,
    N_("Lock when idle"), N_("Minutes without a key or pointer; then the window asks to sign in") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (policy_fields) == 9);

static void
policy_show (MesoPreferencesWindow *self,
             const MesoPolicy      *policy)
{
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    gtk_spin_button_set_value (self->policy_spins[i],
                               G_STRUCT_MEMBER (guint, policy, policy_fields[i].offset));
  gtk_switch_set_active (self->consent_required_switch, policy->consent_required != 0);
  self->loading = FALSE;
}

static void
policy_save (MesoPreferencesWindow *self,
             const MesoPolicy      *policy)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_preferences_window_get_store (self);

  /* The core says what is wrong; nothing is saved until it is right. */
  if (!meso_policy_validate (policy, &error) ||
      store == NULL || !meso_store_save_policy (store, policy, &error))
    {
      show_inline_message (self->policy_message, error != NULL ? error->message : NULL);
      return;
    }
  show_inline_message (self->policy_message, NULL);
  saved (self);
}

/* The stored policy (the defaults when it cannot be read): a value is
 * changed on its own, the others kept as they are. */
static MesoPolicy
policy_stored (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  MesoPolicy policy = *meso_policy_get_default ();

  if (store != NULL && !meso_store_load_policy (store, &policy, NULL))
    policy = *meso_policy_get_default ();
  return policy;
}

static void
policy_value_changed_cb (MesoPreferencesWindow *self)
{
  MesoPolicy policy;

  if (self->loading)
    return;
  policy = policy_stored (self);
  for (guint i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    G_STRUCT_MEMBER (guint, &policy, policy_fields[i].offset) =
      (guint)gtk_spin_button_get_value_as_int (self->policy_spins[i]);
  policy_save (self, &policy);
}

/* R8: the store refuses a session without a consent while this is on. */
static void
consent_required_changed_cb (MesoPreferencesWindow *self)
{
  MesoPolicy policy;

  if (self->loading)
    return;
  policy = policy_stored (self);
  policy.consent_required = gtk_switch_get_active (self->consent_required_switch);
  policy_save (self, &policy);
}

static void
consent_forms_activated_cb (MesoPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_preferences_window_get_store (self);
  GtkWindow *editor;

  if (store == NULL)
    return;
  editor = meso_consent_form_editor_new (GTK_WINDOW (self), store, &error);
  if (editor == NULL)
    {
      show_inline_message (self->policy_message, error->message);
      return;
    }
  gtk_window_present (editor);
}

static void
policy_defaults_clicked_cb (MesoPreferencesWindow *self)
{
  MesoPolicy policy = *meso_policy_get_default ();

  policy.consent_required = policy_stored (self).consent_required;
  policy_show (self, &policy);
  policy_save (self, &policy);
}

static void
policy_build (MesoPreferencesWindow *self)
{
  const MesoPolicy *min = meso_policy_get_minimum ();
  const MesoPolicy *max = meso_policy_get_maximum ();

  for (guint i = 0; i < G_N_ELEMENTS (policy_fields); i++)
    {
      gsize offset = policy_fields[i].offset;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (G_STRUCT_MEMBER (guint, min, offset),
                                                        G_STRUCT_MEMBER (guint, max, offset), 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(policy_fields[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(policy_fields[i].subtitle));
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(policy_fields[i].title), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (policy_fields[i].group == POLICY_DESK ? self->desk_group
                                 : policy_fields[i].group == POLICY_AFTERCARE
                                 ? self->aftercare_group : self->interval_group, row);
      self->policy_spins[i] = GTK_SPIN_BUTTON (spin);
      g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (policy_value_changed_cb),
                                self);
    }
}

static void
policy_load (MesoPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_preferences_window_get_store (self);
  MesoPolicy policy = *meso_policy_get_default ();

  if (store != NULL && !meso_store_load_policy (store, &policy, &error))
    show_inline_message (self->policy_message, error->message);
  policy_show (self, &policy);
}

/* ================================================ practitioners and rooms */

static void resources_load (ResourceSection *section);

static void staff_disabled_toast (MesoPreferencesWindow *self,
                                  const char            *name);
static GtkWidget *staff_row_new (ResourceSection *section,
                                 MesoStaffMember *member);

static gboolean
resources_reload_cb (gpointer user_data)
{
  ResourceSection *section = user_data;

  section->reload_idle = 0;
  resources_load (section);
  return G_SOURCE_REMOVE;
}

/* The rows are rebuilt from an idle: a switch or button must not be
 * destroyed inside its own signal. */
static void
resources_reload_later (ResourceSection *section)
{
  if (section->reload_idle == 0)
    section->reload_idle = g_idle_add (resources_reload_cb, section);
}

static void
resource_active_cb (GtkSwitch       *toggle,
                    GParamSpec      *pspec,
                    ResourceSection *section)
{
  MesoPreferencesWindow *self = section->self;
  const char *name = g_object_get_data (G_OBJECT (toggle), "meso-name");
  gboolean active = gtk_switch_get_active (toggle);
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->loading || store == NULL)
    return;
  ok = section->room ? meso_store_set_room_active (store, name, active, &error)
                     : meso_store_set_practitioner_active (store, name, active, &error);
  show_inline_message (section->message, ok ? NULL : error->message);
  if (ok)
    saved (self);
  if (ok && !section->room && !active)
    staff_disabled_toast (self, name);
  resources_reload_later (section);
}

typedef struct
{
  ResourceSection *section;
  char            *name;
} Deactivation;

static void
deactivate_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        Deactivation     *deactivation)
{
  ResourceSection *section = deactivation->section;
  MesoStore *store = meso_preferences_window_get_store (section->self);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "deactivate") && store != NULL)
    {
      gboolean ok = section->room
        ? meso_store_set_room_active (store, deactivation->name, FALSE, &error)
        : meso_store_set_practitioner_active (store, deactivation->name, FALSE, &error);

      show_inline_message (section->message, ok ? NULL : error->message);
      if (ok)
        saved (section->self);
      /* At once, not from an idle: the rows' own widgets are not in this
       * dialog, and the next click must find the row as it now is. */
      g_clear_handle_id (&section->reload_idle, g_source_remove);
      resources_load (section);
    }
  g_free (deactivation->name);
  g_free (deactivation);
}

static void
resource_remove_cb (GtkButton       *button,
                    ResourceSection *section)
{
  MesoPreferencesWindow *self = section->self;
  const char *name = g_object_get_data (G_OBJECT (button), "meso-name");
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  Deactivation *deactivation;
  GtkWidget *dialog;
  gboolean ok;

  if (store == NULL)
    return;
  ok = section->room ? meso_store_remove_room (store, name, &error)
                     : meso_store_remove_practitioner (store, name, &error);
  if (ok)
    {
      show_inline_message (section->message, NULL);
      saved (self);
      resources_reload_later (section);
      return;
    }
  if (!g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_CONFLICT))
    {
      show_inline_message (section->message, error->message);
      return;
    }

  /* Named in the records: offer what can be done instead. */
  /* Translators: %s is a practitioner's or a room's name */
  heading = g_strdup_printf (_("“%s” Cannot Be Removed"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: a button: keeps the practitioner or room in
                                     * the records but offers it for nothing new */
                                    "deactivate", _("_Make Inactive"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "deactivate",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "deactivate");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  deactivation = g_new0 (Deactivation, 1);
  deactivation->section = section;
  deactivation->name = g_strdup (name);
  g_signal_connect (dialog, "response", G_CALLBACK (deactivate_response_cb), deactivation);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A row's switch (returned) and its Remove button. */
static GtkWidget *
resource_suffixes (ResourceSection  *section,
                   const char       *name,
                   gboolean          active,
                   GtkWidget       **remove_button)
{
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *active_label = NULL;
  g_autofree char *remove_label = NULL;

  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  /* Translators: a switch's name for screen readers; %s is a name */
  active_label = g_strdup_printf (_("%s is active"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  active_label, -1);
  gtk_widget_set_tooltip_text (toggle, _("Active"));
  g_object_set_data_full (G_OBJECT (toggle), "meso-name", g_strdup (name), g_free);
  g_signal_connect (toggle, "notify::active", G_CALLBACK (resource_active_cb), section);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  /* Translators: tooltip of the button that removes a practitioner or room */
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  /* Translators: a button's name for screen readers; %s is a name */
  remove_label = g_strdup_printf (_("Remove %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "meso-name", g_strdup (name), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (resource_remove_cb), section);
  *remove_button = remove;
  return toggle;
}

static GtkWidget *
resource_row_new (ResourceSection *section,
                  MesoResource    *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = NULL;
  GtkWidget *toggle = resource_suffixes (section, entry->name, entry->active, &remove);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
resources_load (ResourceSection *section)
{
  MesoPreferencesWindow *self = section->self;
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < section->rows->len; i++)
    adw_preferences_group_remove (section->group, g_ptr_array_index (section->rows, i));
  g_ptr_array_set_size (section->rows, 0);
  if (store == NULL)
    return;

  /* The practitioners are the staff: their roles and accounts too. */
  entries = section->room ? meso_store_list_room_entries (store, &error)
                          : meso_store_list_staff (store, &error);
  if (entries == NULL)
    {
      show_inline_message (section->message, error->message);
      return;
    }
  self->loading = TRUE;
  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *row = section->room ? resource_row_new (section, g_ptr_array_index (entries, i))
                                     : staff_row_new (section, g_ptr_array_index (entries, i));

      adw_preferences_group_add (section->group, row);
      g_ptr_array_add (section->rows, row);
    }
  self->loading = FALSE;
}

static void
resource_add (ResourceSection *section)
{
  MesoPreferencesWindow *self = section->self;
  MesoStore *store = meso_preferences_window_get_store (self);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (section->entry));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (store == NULL)
    return;
  ok = meso_store_add_room (store, name, &error);
  if (!ok)
    {
      show_inline_message (section->message, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (section->entry), "error");
      return;
    }
  show_inline_message (section->message, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (section->entry), "error");
  gtk_editable_set_text (GTK_EDITABLE (section->entry), "");
  saved (self);
  resources_load (section);
}

/* Typing again clears the last refusal. */
static void
resource_entry_changed_cb (ResourceSection *section)
{
  gtk_widget_remove_css_class (GTK_WIDGET (section->entry), "error");
  show_inline_message (section->message, NULL);
}

static void
room_add_cb (MesoPreferencesWindow *self)
{
  resource_add (&self->rooms);
}

static void
resource_section_init (MesoPreferencesWindow *self,
                       ResourceSection       *section,
                       gboolean               room,
                       AdwPreferencesGroup   *group,
                       AdwEntryRow           *entry,
                       GtkLabel              *message)
{
  section->self = self;
  section->room = room;
  section->group = group;
  section->entry = entry;
  section->message = message;
  section->rows = g_ptr_array_new ();
  if (entry != NULL)
    g_signal_connect_swapped (entry, "changed", G_CALLBACK (resource_entry_changed_cb), section);
}

/* ================================================================ staff */

/* "Clinician, Manager": the roles a person holds, in people's words. */
static char *
staff_roles_text (MesoStaffRoles roles)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (roles & MESO_STAFF_CLINICIAN)
    g_strv_builder_add (names, meso_role_get_label (MESO_ROLE_CLINICIAN));
  else
    g_strv_builder_add (names, meso_role_get_label (MESO_ROLE_RECEPTIONIST));
  if (roles & MESO_STAFF_MANAGER)
    /* Translators: a staff member's role, listed after Clinician or Receptionist */
    g_strv_builder_add (names, C_("role", "Manager"));
  list = g_strv_builder_end (names);
  /* Translators: between a person's roles: “Clinician, Manager” */
  return g_strjoinv (C_("roles", ", "), list);
}

static void
staff_disabled_toast (MesoPreferencesWindow *self,
                      const char            *name)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: a toast after a staff member's account is disabled; %s is their name */
  title = g_strdup_printf (_("%s can no longer sign in"), name);
  toast = adw_toast_new (title);
  /* Translators: the toast's button: enables the account again */
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "staff.enable");
  adw_toast_set_action_target_value (toast, g_variant_new_string (name));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
staff_enable_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (widget);
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (store == NULL)
    return;
  ok = meso_store_set_practitioner_active (store, g_variant_get_string (parameter, NULL), TRUE,
                                           &error);
  show_inline_message (self->practitioners.message, ok ? NULL : error->message);
  if (ok)
    saved (self);
  resources_reload_later (&self->practitioners);
}

static void
staff_done_cb (const char *name,
               gpointer    user_data)
{
  MesoPreferencesWindow *self = user_data;

  show_inline_message (self->practitioners.message, NULL);
  saved (self);
  resources_reload_later (&self->practitioners);
}

static void
staff_add_clicked_cb (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  gboolean has_accounts = TRUE;

  if (store == NULL)
    return;
  meso_store_has_accounts (store, &has_accounts, NULL);
  gtk_window_present (meso_staff_dialog_new (GTK_WINDOW (self), store, NULL, !has_accounts,
                                             staff_done_cb, G_OBJECT (self)));
}

static void
staff_password_clicked_cb (GtkButton             *button,
                           MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);

  if (store == NULL)
    return;
  gtk_window_present (meso_staff_dialog_new (GTK_WINDOW (self), store,
                                             g_object_get_data (G_OBJECT (button), "meso-name"),
                                             FALSE, staff_done_cb, G_OBJECT (self)));
}

/* A role's check in a person's row: the store decides, the rows are then
 * read again (a refusal puts the checks back). */
static void
staff_role_toggled_cb (GtkCheckButton  *check,
                       ResourceSection *section)
{
  MesoPreferencesWindow *self = section->self;
  MesoStore *store = meso_preferences_window_get_store (self);
  GtkCheckButton **checks = g_object_get_data (G_OBJECT (check), "meso-checks");
  const char *name = g_object_get_data (G_OBJECT (check), "meso-name");
  g_autoptr(GError) error = NULL;
  MesoStaffRoles roles;
  gboolean ok;

  /* Of the two radio buttons, the one switched on speaks. */
  if (self->loading || store == NULL ||
      (check != checks[2] && !gtk_check_button_get_active (check)))
    return;
  roles = (gtk_check_button_get_active (checks[1]) ? MESO_STAFF_CLINICIAN
                                                   : MESO_STAFF_RECEPTIONIST) |
          (gtk_check_button_get_active (checks[2]) ? MESO_STAFF_MANAGER : 0);
  ok = meso_store_set_staff_roles (store, name, roles, &error);
  show_inline_message (section->message, ok ? NULL : error->message);
  if (ok)
    saved (self);
  resources_reload_later (section);
}

static GtkWidget *
staff_row_new (ResourceSection *section,
               MesoStaffMember *member)
{
  const char *const role_labels[] = {
    meso_role_get_label (MESO_ROLE_RECEPTIONIST), meso_role_get_label (MESO_ROLE_CLINICIAN),
    /* Translators: a staff member's role, listed after Clinician or Receptionist */
    C_("role", "Manager"),
  };
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove = NULL;
  GtkWidget *toggle = resource_suffixes (section, member->name, member->active, &remove);
  GtkWidget *password_row = adw_action_row_new ();
  GtkWidget *password = gtk_button_new_with_mnemonic (member->has_password
                                                      /* Translators: sets a new password for
                                                       * a staff member who has one */
                                                      ? _("_Reset Password…")
                                                      /* Translators: gives a staff member
                                                       * without one a password */
                                                      : _("_Set Password…"));
  GtkCheckButton **checks = g_new0 (GtkCheckButton *, 3);
  g_autofree char *roles = staff_roles_text (member->roles);
  g_autofree char *subtitle = NULL;
  g_autofree char *password_label = NULL;
  const char *state;

  if (!member->active)
    /* Translators: a staff member's state: cannot sign in, kept in the records */
    state = _("Disabled");
  else if (member->has_password)
    /* Translators: a staff member's state */
    state = _("Signs in with a password");
  else
    /* Translators: a staff member's state: in the records, not an account */
    state = _("No password");
  /* Translators: below a staff member's name: their roles, then their state */
  subtitle = g_strdup_printf (_("%s · %s"), roles, state);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), toggle);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  g_object_set_data_full (G_OBJECT (row), "meso-checks", checks, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (role_labels); i++)
    {
      GtkWidget *role_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *a11y = NULL;

      /* Translators: a role's check for screen readers; %s is a name */
      a11y = i == 0 ? g_strdup_printf (_("%s is a receptionist"), member->name)
           /* Translators: a role's check for screen readers; %s is a name */
           : i == 1 ? g_strdup_printf (_("%s is a clinician"), member->name)
           /* Translators: a role's check for screen readers; %s is a name */
           : g_strdup_printf (_("%s is a manager"), member->name);
      checks[i] = GTK_CHECK_BUTTON (check);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role_row), role_labels[i]);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (role_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (role_row), check);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), role_row);
    }
  gtk_check_button_set_group (checks[1], checks[0]);
  gtk_check_button_set_active (checks[(member->roles & MESO_STAFF_CLINICIAN) ? 1 : 0], TRUE);
  gtk_check_button_set_active (checks[2], (member->roles & MESO_STAFF_MANAGER) != 0);
  for (guint i = 0; i < 3; i++)
    {
      g_object_set_data (G_OBJECT (checks[i]), "meso-checks", checks);
      g_object_set_data_full (G_OBJECT (checks[i]), "meso-name", g_strdup (member->name),
                              g_free);
      g_signal_connect (checks[i], "toggled", G_CALLBACK (staff_role_toggled_cb), section);
    }

  /* Translators: a row in a staff member's details */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password_row), _("Password"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (password_row), state);
  gtk_widget_set_valign (password, GTK_ALIGN_CENTER);
  /* Translators: a button's name for screen readers; %s is a name */
  password_label = g_strdup_printf (_("New password for %s"), member->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  password_label, -1);
  g_object_set_data_full (G_OBJECT (password), "meso-name", g_strdup (member->name), g_free);
  g_signal_connect (password, "clicked", G_CALLBACK (staff_password_clicked_cb), section->self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (password_row), password);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), password_row);
  return row;
}

/* ========================================================== product lots */

static void
lots_load (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  for (guint i = 0; i < self->lot_rows->len; i++)
    adw_preferences_group_remove (self->lot_group, g_ptr_array_index (self->lot_rows, i));
  g_ptr_array_set_size (self->lot_rows, 0);
  if (store == NULL)
    return;

  lots = meso_store_list_lots (store, &error);
  if (lots == NULL)
    {
      show_inline_message (self->lot_message, error->message);
      return;
    }
  meso_clock_today (&today);
  for (guint i = 0; i < lots->len; i++)
    {
      const MesoLot *lot = g_ptr_array_index (lots, i);
      g_autofree char *expires = meso_format_date_short (&lot->expires_on);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      /* Translators: below a lot's number: its product, the last day it may be used, and how
       * many sessions recorded it */
      subtitle = g_strdup_printf (ngettext ("%s, expires %s, %d session",
                                            "%s, expires %s, %d sessions",
                                            (gulong)lot->sessions),
                                  lot->product, expires, (int)lot->sessions);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lot->number);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (g_date_compare (&lot->expires_on, &today) < 0)
        {
          /* Translators: beside a lot past its last day of use */
          GtkWidget *label = gtk_label_new (_("Expired"));

          gtk_widget_add_css_class (label, "warning");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      adw_preferences_group_add (self->lot_group, row);
      g_ptr_array_add (self->lot_rows, row);
    }
}

static void
lot_add_cb (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  g_autoptr(GError) error = NULL;
  AdwEntryRow *wrong = NULL;
  GDate expires;

  if (store == NULL)
    return;
  g_date_clear (&expires, 1);
  if (!meso_date_field_get_date (GTK_WIDGET (self->lot_expires_entry), &expires, &error))
    wrong = self->lot_expires_entry;
  else if (!meso_store_add_lot (store,
                                gtk_editable_get_text (GTK_EDITABLE (self->lot_number_entry)),
                                gtk_editable_get_text (GTK_EDITABLE (self->lot_product_entry)),
                                &expires, NULL, NULL, &error))
    wrong = self->lot_number_entry;
  if (wrong != NULL)
    {
      show_inline_message (self->lot_message, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (wrong), "error");
      return;
    }
  /* The next lot is often the same product's: the product stays. */
  gtk_editable_set_text (GTK_EDITABLE (self->lot_number_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->lot_expires_entry), "");
  show_inline_message (self->lot_message, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->lot_number_entry));
  saved (self);
  lots_load (self);
}

/* Typing again clears the last refusal. */
static void
lot_entry_changed_cb (MesoPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->lot_number_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->lot_expires_entry), "error");
  show_inline_message (self->lot_message, NULL);
}

/* ======================================================== opening hours */

static gboolean
time_output_cb (GtkSpinButton *spin)
{
  int minutes = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = meso_format_minute_of_day (minutes);

  if (!g_str_equal (text, gtk_editable_get_text (GTK_EDITABLE (spin))))
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* "9", "9:30", "09:30" or "9.30". */
static int
time_input_cb (GtkSpinButton *spin,
               double        *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  guint64 hours = 0, minutes = 0;
  g_auto(GStrv) parts = g_regex_split_simple ("[:.h]", text, 0, 0);

  if (parts[0] == NULL || parts[0][0] == '\0' ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, 24, &hours, NULL) ||
      (parts[1] != NULL && parts[1][0] != '\0' &&
       !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 0, 59, &minutes, NULL)))
    return GTK_INPUT_ERROR;
  *value = (double)(hours * 60 + minutes);
  return TRUE;
}

static void
day_update (DayRow *day)
{
  gboolean open = adw_expander_row_get_enable_expansion (day->row);
  int open_minute = gtk_spin_button_get_value_as_int (day->open);
  int close_minute = gtk_spin_button_get_value_as_int (day->close);
  g_autofree char *subtitle = NULL;

  /* The two ends keep each other in order: an inverted span cannot be entered. */
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (day->open),
                            close_minute - HOURS_STEP_MINUTES);
  gtk_adjustment_set_lower (gtk_spin_button_get_adjustment (day->close),
                            open_minute + HOURS_STEP_MINUTES);
  if (open)
    {
      g_autofree char *from = meso_format_minute_of_day_short (open_minute);
      g_autofree char *until = meso_format_minute_of_day_short (close_minute);

      subtitle = g_strdup_printf ("%s – %s", from, until);
    }
  else
    /* Translators: an opening-hours row's subtitle on a day the clinic is closed */
    subtitle = g_strdup (_("Closed"));
  adw_expander_row_set_subtitle (day->row, subtitle);
}

static void
day_changed_cb (DayRow *day)
{
  MesoPreferencesWindow *self = day->self;
  MesoStore *store = meso_preferences_window_get_store (self);
  gboolean open = adw_expander_row_get_enable_expansion (day->row);
  int open_minute = gtk_spin_button_get_value_as_int (day->open);
  int close_minute = gtk_spin_button_get_value_as_int (day->close);
  g_autoptr(GError) error = NULL;

  day_update (day);
  if (self->loading || store == NULL)
    return;
  /* An empty span is a closed day, for the store. */
  if (!open)
    open_minute = close_minute = 0;
  if (!meso_store_set_opening_hours (store, day->weekday, open_minute, close_minute, &error))
    {
      adw_expander_row_set_subtitle (day->row, error->message);
      return;
    }
  saved (self);
}

static GtkSpinButton *
time_spin_new (AdwExpanderRow *expander,
               const char     *title,
               const char     *accessible)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, MINUTES_PER_DAY, HOURS_STEP_MINUTES);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_signal_connect (spin, "output", G_CALLBACK (time_output_cb), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (time_input_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_expander_row_add_row (expander, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
hours_build (MesoPreferencesWindow *self)
{
  /* A Monday, to name the weekdays in the person's language. */
  g_autoptr(GDateTime) monday = g_date_time_new_utc (2024, 1, 1, 12, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (self->days); i++)
    {
      DayRow *day = &self->days[i];
      g_autoptr(GDateTime) date = g_date_time_add_days (monday, i);
      g_autofree char *name = g_date_time_format (date, "%A");
      g_autofree char *opens = NULL;
      g_autofree char *closes = NULL;

      day->self = self;
      day->weekday = G_DATE_MONDAY + i;
      day->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (day->row), name);
      adw_expander_row_set_show_enable_switch (day->row, TRUE);
      /* Translators: screen reader names; %s is a weekday */
      opens = g_strdup_printf (_("%s opens at"), name);
      closes = g_strdup_printf (_("%s closes at"), name);
      /* Translators: the time the clinic opens on a weekday */
      day->open = time_spin_new (day->row, _("Opens"), opens);
      /* Translators: the time the clinic closes on a weekday */
      day->close = time_spin_new (day->row, _("Closes"), closes);
      adw_preferences_group_add (self->hours_group, GTK_WIDGET (day->row));

      g_signal_connect_swapped (day->row, "notify::enable-expansion",
                                G_CALLBACK (day_changed_cb), day);
      g_signal_connect_swapped (day->open, "value-changed", G_CALLBACK (day_changed_cb), day);
      g_signal_connect_swapped (day->close, "value-changed", G_CALLBACK (day_changed_cb), day);
    }
}

static void
hours_load (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);
  int usual_open = -1, usual_close = -1;

  if (store == NULL)
    return;
  self->loading = TRUE;
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (self->days); i++)
      {
        DayRow *day = &self->days[i];
        int open = 0, close = 0;
        gboolean is_open;

        if (!meso_store_get_opening_hours (store, day->weekday, &open, &close, NULL))
          continue;
        /* A closed day offers the hours of an open one, for when it opens. */
        if (pass == 0)
          {
            if (open < close && usual_open < 0)
              usual_open = open, usual_close = close;
            continue;
          }
        is_open = open < close;
        if (!is_open && usual_open >= 0)
          open = usual_open, close = usual_close;
        gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (day->open), MINUTES_PER_DAY);
        gtk_adjustment_set_lower (gtk_spin_button_get_adjustment (day->close), 0);
        gtk_spin_button_set_value (day->open, open);
        gtk_spin_button_set_value (day->close, close);
        adw_expander_row_set_enable_expansion (day->row, is_open);
        day_update (day);
      }
  self->loading = FALSE;
}

/* ====================================================== clinic database */

static void meso_preferences_window_reload (MesoPreferencesWindow *self);

static void
database_say (MesoPreferencesWindow *self,
              const char            *text,
              gboolean               failed)
{
  show_inline_message (self->database_message, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->database_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->database_message), "error");
}

static void
database_show_current (MesoPreferencesWindow *self)
{
  g_autofree char *where = meso_application_describe_database (self->app);
  g_autofree char *text = NULL;

  if (where == NULL)
    {
      g_autofree char *file = g_filename_display_name (meso_application_get_database_path (self->app));

      /* Translators: %s is the path of the clinic database file */
      text = g_strdup_printf (_("Now: the file %s on this computer."), file);
    }
  else
    /* Translators: %s is e.g. “clinic on server.local / mesodesk” */
    text = g_strdup_printf (_("Now: the %s."), where);
  if (meso_application_get_location_fixed (self->app))
    {
      g_autofree char *fixed = g_strconcat (text, " ",
                                            _("Mesodesk was started with --database or "
                                              "MESODESK_DATABASE, which win over this choice "
                                              "until it is started without them."), NULL);

      g_free (text);
      text = g_steal_pointer (&fixed);
    }
  adw_preferences_group_set_description (self->database_group, text);
}

static void
forget_password (MesoPreferencesWindow *self)
{
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->password_for, g_free);
}

static void
database_kind_toggled_cb (MesoPreferencesWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group),
                            gtk_check_button_get_active (self->server_check));
  gtk_widget_set_sensitive (self->test_button, gtk_check_button_get_active (self->server_check));
}

static void
database_load (MesoPreferencesWindow *self)
{
  GSettings *settings = meso_application_get_settings (self->app);
  g_autofree char *file = meso_store_default_file ();
  g_autofree char *file_display = g_filename_display_name (file);
  g_autoptr(MesoServer) server = NULL;
  g_autofree char *kind = NULL;

  adw_action_row_set_subtitle (self->local_row, file_display);
  database_show_current (self);
  if (settings == NULL)
    {
      gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (self->database_group)),
                                FALSE);
      return;
    }

  kind = g_settings_get_string (settings, "clinic-database");
  server = meso_server_new_from_settings (settings);
  meso_server_fields_set_server (self->server_group, server);
  gtk_check_button_set_active (g_str_equal (kind, "server") ? self->server_check
                                                            : self->local_check, TRUE);
  database_kind_toggled_cb (self);
}

static void
database_busy (MesoPreferencesWindow *self,
               gboolean               busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->database_spinner), busy);
  gtk_spinner_set_spinning (self->database_spinner, busy);
  gtk_widget_set_sensitive (self->apply_button, !busy);
  gtk_widget_set_sensitive (self->test_button,
                            !busy && gtk_check_button_get_active (self->server_check));
}

/* Saves the choice, and (unless --database or MESODESK_DATABASE decide)
 * opens @location at once, as a restore does: a clinic that changes its
 * database expects the window to show that one, not the old one until a
 * restart. */
static void
database_use (MesoPreferencesWindow *self,
              const MesoServer      *server,
              const char            *location,
              const char            *connected)
{
  GSettings *settings = meso_application_get_settings (self->app);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (settings != NULL)
    {
      if (server != NULL)
        meso_server_save (server, settings);
      g_settings_set_string (settings, "clinic-database",
                             server != NULL ? "server" : "this-computer");
    }
  if (meso_application_get_location_fixed (self->app))
    {
      database_say (self, _("Saved. It takes effect when Mesodesk is started without "
                            "--database or MESODESK_DATABASE."), FALSE);
      return;
    }
  if (!meso_application_use_database (self->app, location, &error))
    {
      database_say (self, error->message, TRUE);
      database_show_current (self);
      return;
    }
  database_show_current (self);
  meso_preferences_window_reload (self);
  /* Translators: after switching databases; %s is what Test Connection says */
  text = connected != NULL ? g_strdup_printf (_("%s. This window now uses it."), connected)
                           : g_strdup (_("This window now uses the file on this computer."));
  database_say (self, text, FALSE);
}

typedef struct
{
  MesoPreferencesWindow *self;
  MesoServer            *server;
  gboolean               apply;
} Connecting;

static void
connecting_free (Connecting *data)
{
  g_object_unref (data->self);
  meso_server_free (data->server);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connecting, connecting_free)

static void
database_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Connecting) data = user_data;
  MesoPreferencesWindow *self = data->self;
  g_autoptr(MesoServerConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  connection = meso_server_connect_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  database_busy (self, FALSE);
  g_clear_object (&self->connecting);
  if (connection == NULL)
    {
      database_say (self, error->message, TRUE);
      return;
    }
  forget_password (self);
  self->password = g_strdup (connection->password);
  self->password_for = meso_server_location (data->server, NULL);
  text = meso_server_connection_describe (connection);
  if (data->apply)
    database_use (self, data->server, connection->location, text);
  else
    database_say (self, text, FALSE);
  if (connection->keyring_note != NULL)
    {
      g_autofree char *both = g_strconcat (gtk_label_get_label (self->database_message), "\n",
                                           connection->keyring_note, NULL);

      database_say (self, both, FALSE);
    }
}

static void
database_connect (MesoPreferencesWindow *self,
                  gboolean               apply)
{
  Connecting *data = g_new0 (Connecting, 1);
  g_autofree char *location = NULL;

  data->self = g_object_ref (self);
  data->server = meso_server_fields_get_server (self->server_group);
  data->apply = apply;
  /* A password is only ever offered to the server it was typed for. */
  location = meso_server_location (data->server, NULL);
  if (g_strcmp0 (location, self->password_for) != 0)
    forget_password (self);
  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  self->connecting = g_cancellable_new ();
  database_busy (self, TRUE);
  /* Translators: while Test Connection or Use This Database connects */
  database_say (self, _("Connecting…"), FALSE);
  meso_server_connect_async (data->server, self->password, GTK_WINDOW (self), self->connecting,
                             database_connected_cb, data);
}

static void
database_test_clicked_cb (MesoPreferencesWindow *self)
{
  database_connect (self, FALSE);
}

static void
database_apply_clicked_cb (MesoPreferencesWindow *self)
{
  if (gtk_check_button_get_active (self->server_check))
    {
      database_connect (self, TRUE);
      return;
    }
  {
    g_autofree char *file = meso_store_default_file ();

    database_use (self, NULL, file, NULL);
  }
}

/* ================================================================ window */

static void
meso_preferences_window_reload (MesoPreferencesWindow *self)
{
  MesoStore *store = meso_preferences_window_get_store (self);

  /* Issue 16: every page here is a manager's; the store refuses the
   * rest, the pages say so first. */
  if (store != NULL)
    {
      meso_widget_permit (self->policy_page, store, MESO_PERMISSION_MANAGE,
                          /* Translators: tooltip of Preferences' Clinic page for non-managers */
                          _("Only managers can change clinic policy"));
      meso_widget_permit (self->practitioners_page, store, MESO_PERMISSION_MANAGE,
                          /* Translators: tooltip of Preferences' Staff page for non-managers */
                          _("Only managers can change the staff"));
      meso_widget_permit (self->rooms_page, store, MESO_PERMISSION_MANAGE,
                          /* Translators: tooltip of Preferences' Rooms page for non-managers */
                          _("Only managers can change the rooms"));
      meso_widget_permit (self->hours_page, store, MESO_PERMISSION_MANAGE,
                          /* Translators: tooltip of Preferences' Hours page for non-managers */
                          _("Only managers can change the opening hours"));
      meso_widget_permit (self->database_page, store, MESO_PERMISSION_MANAGE,
                          /* Translators: tooltip of Preferences' Database page for non-managers */
                          _("Only managers can change the clinic database"));
    }
  clinic_load (self);
  policy_load (self);
  resources_load (&self->practitioners);
  resources_load (&self->rooms);
  lots_load (self);
  hours_load (self);
}

static void
meso_preferences_window_dispose (GObject *object)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PREFERENCES_WINDOW);
  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  forget_password (self);
  g_clear_handle_id (&self->practitioners.reload_idle, g_source_remove);
  g_clear_handle_id (&self->rooms.reload_idle, g_source_remove);
  g_clear_pointer (&self->practitioners.rows, g_ptr_array_unref);
  g_clear_pointer (&self->rooms.rows, g_ptr_array_unref);
  g_clear_pointer (&self->lot_rows, g_ptr_array_unref);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (meso_preferences_window_parent_class)->dispose (object);
}

static void
meso_preferences_window_class_init (MesoPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = meso_preferences_window_dispose;

  meso_application_ensure_resources ();
  g_type_ensure (MESO_TYPE_SERVER_FIELDS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/meso-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, interval_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, aftercare_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, desk_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, policy_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, practitioners_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, rooms_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, hours_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, database_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, policy_message);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow,
                                        consent_required_switch);
  gtk_widget_class_bind_template_callback (widget_class, consent_required_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, consent_forms_activated_cb);
  gtk_widget_class_bind_template_child_full (widget_class, "clinic_name_row", FALSE,
                                             G_STRUCT_OFFSET (MesoPreferencesWindow, clinic_rows[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "clinic_address_row", FALSE,
                                             G_STRUCT_OFFSET (MesoPreferencesWindow, clinic_rows[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "clinic_phone_row", FALSE,
                                             G_STRUCT_OFFSET (MesoPreferencesWindow, clinic_rows[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "clinic_emergency_row", FALSE,
                                             G_STRUCT_OFFSET (MesoPreferencesWindow, clinic_rows[3]));
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, clinic_message);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow,
                                        practitioner_message);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, practitioner_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, room_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, room_message);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, room_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, lot_number_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, lot_product_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, lot_expires_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, lot_message);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, lot_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, hours_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, database_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, local_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, local_check);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, server_check);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, apply_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, database_spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, database_message);
  gtk_widget_class_bind_template_callback (widget_class, database_kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, database_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, database_apply_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, policy_defaults_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, room_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, lot_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, lot_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, staff_add_clicked_cb);
  gtk_widget_class_install_action (widget_class, "staff.enable", "s", staff_enable_action);
}

static void
meso_preferences_window_init (MesoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* People are added by Add Staff Member… (meso-staff-dialog.c). */
  resource_section_init (self, &self->practitioners, FALSE, self->practitioner_group, NULL,
                         self->practitioner_message);
  resource_section_init (self, &self->rooms, TRUE, self->room_group, self->room_entry,
                         self->room_message);
  self->lot_rows = g_ptr_array_new ();
  meso_date_field_add_calendar (GTK_WIDGET (self->lot_expires_entry));
  policy_build (self);
  for (guint i = 0; i < G_N_ELEMENTS (self->clinic_rows); i++)
    g_signal_connect_swapped (self->clinic_rows[i], "apply", G_CALLBACK (clinic_apply_cb), self);
  hours_build (self);
}

MesoPreferencesWindow *
meso_preferences_window_new (GtkWindow       *parent,
                             MesoApplication *app)
{
  MesoPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MESO_IS_APPLICATION (app), NULL);

  self = g_object_new (MESO_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->app = g_object_ref (app);
  database_load (self);
  meso_preferences_window_reload (self);
  return self;
}
