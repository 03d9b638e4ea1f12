/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lot picker (issue 18): below a lot number field, the registered lots
 * whose number starts as typed, each with its product and expiry, in a
 * popover that leaves the focus in the field. Down and Up move through
 * them, Return picks one (its number put in the field), Escape closes the
 * list; a click picks too. GTK 4.8 has no completion for an AdwEntryRow,
 * and GtkEntryCompletion's popup cannot be closed from outside it: one
 * picker for the session dialog and the recall window. */
#pragma once

#include <gtk/gtk.h>

#include "meso-store.h"

G_BEGIN_DECLS

typedef void (*MesoLotPickedFunc) (const char *number,
                                   gpointer    user_data);

/* Attaches a picker to @field (a GtkEntry or an AdwEntryRow: a GtkEditable)
 * offering @lots (MesoLot, e.g. meso_store_list_lots(); kept). It lives as
 * long as @field. @picked (may be NULL) is called after a lot is picked. */
void       meso_lot_picker_attach      (GtkWidget         *field,
                                        GPtrArray         *lots,
                                        MesoLotPickedFunc  picked,
                                        gpointer           user_data);
/* Closes @field's list, if it shows: the field's own Return was taken. */
void       meso_lot_picker_close       (GtkWidget         *field);
/* The picker's list of offered lots, shown or not (for tests). */
GtkListBox *meso_lot_picker_get_list   (GtkWidget         *field);
/* The key controller that moves through the list (for tests). */
GtkEventController *meso_lot_picker_get_keys (GtkWidget   *field);

G_END_DECLS
