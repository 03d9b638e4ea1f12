/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-lot-picker.h"

#include "meso-time.h"

#include <glib/gi18n.h>

#define MAX_SHOWN 8

typedef struct
{
  GtkWidget          *field;
  GtkWidget          *popover;
  GtkListBox         *list;
  GtkEventController *keys;
  GPtrArray          *lots;
  MesoLotPickedFunc   picked;
  gpointer            user_data;
  gboolean            setting;  /* the picker writes the field: no list for it */
} LotPicker;

static void
lot_picker_free (gpointer data)
{
  LotPicker *picker = data;

  g_ptr_array_unref (picker->lots);
  g_free (picker);
}

static LotPicker *
lot_picker_get (GtkWidget *field)
{
  return g_object_get_data (G_OBJECT (field), "meso-lot-picker");
}

static gboolean
field_has_focus (LotPicker *picker)
{
  GtkRoot *root = gtk_widget_get_root (picker->field);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == picker->field || gtk_widget_is_ancestor (focus, picker->field));
}

/* Whether the field shows in its window: a list below a field
 * scrolled out of sight would point at nothing (and off every monitor). */
static gboolean
field_in_sight (LotPicker *picker)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (picker->field));
  graphene_rect_t bounds;

  return root != NULL && gtk_widget_compute_bounds (picker->field, root, &bounds) &&
         bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (root);
}

static void
pick (LotPicker     *picker,
      GtkListBoxRow *row)
{
  const char *number = g_object_get_data (G_OBJECT (row), "lot-number");
  g_autofree char *copy = g_strdup (number);

  picker->setting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (picker->field), copy);
  gtk_editable_set_position (GTK_EDITABLE (picker->field), -1);
  picker->setting = FALSE;
  gtk_popover_popdown (GTK_POPOVER (picker->popover));
  if (picker->picked != NULL)
    picker->picked (copy, picker->user_data);
}

static void
on_row_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     gpointer       user_data)
{
  pick (user_data, row);
}

static GtkWidget *
lot_row_new (const MesoLot *lot)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *number = gtk_label_new (lot->number);
  g_autofree char *expires = meso_format_date_short (&lot->expires_on);
  /* Translators: in the lot picker, beside a lot's number: its product and last day of use */
  g_autofree char *text = g_strdup_printf (_("%s, expires %s"), lot->product, expires);
  GtkWidget *detail = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_widget_add_css_class (number, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  /* Whole, on two lines where a phone's width needs it: the expiry is what counts. */
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (detail), 28);
  gtk_label_set_max_width_chars (GTK_LABEL (detail), 28);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_set_hexpand (detail, TRUE);
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_focusable (row, FALSE);
  g_object_set_data_full (G_OBJECT (row), "lot-number", g_strdup (lot->number), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  lot->number, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  return row;
}

/* The lots whose number starts as typed (case aside), unless the field
 * holds one of them exactly already. */
static void
on_changed_cb (GtkEditable *editable,
               gpointer     user_data)
{
  LotPicker *picker = user_data;
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  g_autofree char *folded = g_utf8_casefold (typed, -1);
  GtkWidget *child;
  guint shown = 0;
  gboolean exact = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (picker->list))) != NULL)
    gtk_list_box_remove (picker->list, child);
  if (picker->setting || *typed == '\0' || !field_has_focus (picker) ||
      !field_in_sight (picker))
    {
      gtk_popover_popdown (GTK_POPOVER (picker->popover));
      return;
    }
  for (guint i = 0; i < picker->lots->len && shown < MAX_SHOWN; i++)
    {
      const MesoLot *lot = g_ptr_array_index (picker->lots, i);
      g_autofree char *number = g_utf8_casefold (lot->number, -1);

      if (!g_str_has_prefix (number, folded))
        continue;
      exact |= g_str_equal (lot->number, typed);
      gtk_list_box_append (picker->list, lot_row_new (lot));
      shown++;
    }
  if (shown == 0 || (shown == 1 && exact))
    gtk_popover_popdown (GTK_POPOVER (picker->popover));
  else
    gtk_popover_popup (GTK_POPOVER (picker->popover));
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *keys,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   gpointer               user_data)
{
  LotPicker *picker = user_data;
  GtkListBoxRow *selected;
  int index;

  if (!gtk_widget_get_visible (picker->popover))
    return FALSE;
  selected = gtk_list_box_get_selected_row (picker->list);
  index = selected != NULL ? gtk_list_box_row_get_index (selected) : -1;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      {
        gboolean down = keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down;
        GtkListBoxRow *next = gtk_list_box_get_row_at_index (picker->list,
                                                             down ? index + 1 : index - 1);

        if (next != NULL)
          gtk_list_box_select_row (picker->list, next);
        return TRUE;
      }
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (selected == NULL)
        return FALSE;  /* the field's own Return */
      pick (picker, selected);
      return TRUE;
    case GDK_KEY_Escape:
      gtk_popover_popdown (GTK_POPOVER (picker->popover));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_field_destroy_cb (GtkWidget *field,
                     gpointer   user_data)
{
  LotPicker *picker = user_data;

  g_clear_pointer (&picker->popover, gtk_widget_unparent);
}

void
meso_lot_picker_attach (GtkWidget         *field,
                        GPtrArray         *lots,
                        MesoLotPickedFunc  picked,
                        gpointer           user_data)
{
  LotPicker *picker;
  GtkWidget *scrolled;

  g_return_if_fail (GTK_IS_EDITABLE (field));
  g_return_if_fail (lots != NULL);

  picker = g_new0 (LotPicker, 1);
  picker->field = field;
  picker->lots = g_ptr_array_ref (lots);
  picker->picked = picked;
  picker->user_data = user_data;

  picker->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (picker->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (picker->list, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picker->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: what a screen reader says for the list of
                                   * registered lots offered below a lot number field */
                                  _("Registered lots"), -1);
  g_signal_connect (picker->list, "row-activated", G_CALLBACK (on_row_activated_cb), picker);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (picker->list));

  picker->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (picker->popover), scrolled);
  /* The focus stays in the field: typing goes on while the list shows. */
  gtk_popover_set_autohide (GTK_POPOVER (picker->popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (picker->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (picker->popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (picker->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (picker->popover, field);

  picker->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (picker->keys, GTK_PHASE_CAPTURE);
  g_signal_connect (picker->keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), picker);
  gtk_widget_add_controller (field, picker->keys);

  g_signal_connect (field, "changed", G_CALLBACK (on_changed_cb), picker);
  g_signal_connect (field, "destroy", G_CALLBACK (on_field_destroy_cb), picker);
  g_object_set_data_full (G_OBJECT (field), "meso-lot-picker", picker, lot_picker_free);
}

void
meso_lot_picker_close (GtkWidget *field)
{
  LotPicker *picker = lot_picker_get (field);

  if (picker != NULL && picker->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (picker->popover));
}

GtkListBox *
meso_lot_picker_get_list (GtkWidget *field)
{
  LotPicker *picker = lot_picker_get (field);

  return picker != NULL ? picker->list : NULL;
}

GtkEventController *
meso_lot_picker_get_keys (GtkWidget *field)
{
  LotPicker *picker = lot_picker_get (field);

  return picker != NULL ? picker->keys : NULL;
}
