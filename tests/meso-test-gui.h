/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the GUI tests share: waiting on the main loop, finding widgets. */

#pragma once

#include <gtk/gtk.h>

typedef gboolean (*ConditionFunc) (gpointer data);

/* Runs the main context until @condition holds; FALSE after @timeout_usec,
 * so a test can fail rather than hang. */
static inline gboolean
wait_for_within (ConditionFunc condition,
                 gpointer      data,
                 gint64        timeout_usec)
{
  gint64 deadline = g_get_monotonic_time () + timeout_usec;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

/* Lets a few frames pass, for checks that something did NOT happen. */
static inline void
settle (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The first widget of @type at or below @widget, depth first. */
static inline GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Labels with @css_class that are drawn, in widget order. */
static inline void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                GPtrArray  *found)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (found, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, found);
}

static inline gboolean
strv_has (GPtrArray  *strings,
          const char *wanted)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), wanted) == 0)
      return TRUE;
  return FALSE;
}

/* The first button (plain or menu) at or below @widget, popovers included,
 * whose label (without its mnemonic underscore) or tooltip is @label. */
static inline GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  const char *text = NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    text = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));

  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      g_autofree char *plain = NULL;

      if (text != NULL)
        {
          GString *s = g_string_new (text);

          g_string_replace (s, "_", "", 0);
          plain = g_string_free (s, FALSE);
        }
      if (g_strcmp0 (plain, label) == 0 ||
          g_strcmp0 (gtk_widget_get_tooltip_text (widget), label) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}
