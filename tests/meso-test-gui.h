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
