/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop notification "N follow-ups are due or overdue": sent when the
 * application starts and once a day while it runs, if any are; activating it
 * (app.show-aftercare, also an action of its own) presents the window on the
 * Aftercare view. Counted with meso_store_count_reminders(), the same count
 * as the Aftercare view's badge, off the main thread. */

#pragma once

#include "meso-application.h"

G_BEGIN_DECLS

/* The notification's id, for g_application_withdraw_notification(). */
#define MESO_RECALL_NOTIFICATION_ID "recall"

/* From the application's startup: installs app.show-aftercare and the daily check. */
void           meso_recall_notification_install (MesoApplication *app);
/* Counts today's follow-ups due and overdue and notifies if there are any and
 * today's notification has not been sent yet. */
void           meso_recall_notification_check   (MesoApplication *app);
/* The notification for @count follow-ups. */
GNotification *meso_recall_notification_new     (guint            count);

G_END_DECLS
