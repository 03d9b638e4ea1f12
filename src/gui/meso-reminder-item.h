/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One row of the aftercare panel: a MesoReminder as the store lists it, wrapped
 * in a GObject so a GListModel can hold it. */

#pragma once

#include <glib-object.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_REMINDER_ITEM (meso_reminder_item_get_type ())

G_DECLARE_FINAL_TYPE (MesoReminderItem, meso_reminder_item, MESO, REMINDER_ITEM, GObject)

/* Takes @reminder; NULL makes a placeholder (a row not loaded). */
MesoReminderItem   *meso_reminder_item_new          (MesoReminder     *reminder);
/* NULL for a placeholder. */
const MesoReminder *meso_reminder_item_get_reminder (MesoReminderItem *self);

G_END_DECLS
