/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-reminder-item.h"

struct _MesoReminderItem
{
  GObject       parent_instance;

  MesoReminder *reminder;
};

G_DEFINE_FINAL_TYPE (MesoReminderItem, meso_reminder_item, G_TYPE_OBJECT)

static void
meso_reminder_item_finalize (GObject *object)
{
  MesoReminderItem *self = MESO_REMINDER_ITEM (object);

  g_clear_pointer (&self->reminder, meso_reminder_free);

  G_OBJECT_CLASS (meso_reminder_item_parent_class)->finalize (object);
}

static void
meso_reminder_item_class_init (MesoReminderItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_reminder_item_finalize;
}

static void
meso_reminder_item_init (MesoReminderItem *self)
{
}

MesoReminderItem *
meso_reminder_item_new (MesoReminder *reminder)
{
  MesoReminderItem *self = g_object_new (MESO_TYPE_REMINDER_ITEM, NULL);

  self->reminder = reminder;
  return self;
}

const MesoReminder *
meso_reminder_item_get_reminder (MesoReminderItem *self)
{
  g_return_val_if_fail (MESO_IS_REMINDER_ITEM (self), NULL);

  return self->reminder;
}
