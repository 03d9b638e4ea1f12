/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The clinic server the window connects to (issue 15): its settings, kept
 * in GSettings without the password; the password, asked when the server
 * wants one and kept, if the person says so, in the desktop's keyring
 * (libsecret); connecting, off the main thread. A location with the
 * password in it lives in memory only: show meso_store_describe_location(). */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct
{
  char  *host;      /* empty: this computer */
  guint  port;
  char  *database;
  char  *user;      /* empty: the user's name on this computer */
  char  *tls;       /* a libpq sslmode: verify-full, require, prefer */
  char  *ca_file;   /* the clinic CA's certificate, Mesodesk's own copy
                     * (meso_server_import_ca()); empty: libpq's
                     * ~/.postgresql/root.crt, which a Flatpak cannot read */
} MesoServer;

MesoServer *meso_server_new                (const char        *host,
                                            guint              port,
                                            const char        *database,
                                            const char        *user,
                                            const char        *tls,
                                            const char        *ca_file);
/* The server-* keys of @settings. */
MesoServer *meso_server_new_from_settings  (GSettings         *settings);
void        meso_server_save               (const MesoServer  *self,
                                            GSettings         *settings);
MesoServer *meso_server_copy               (const MesoServer  *self);
void        meso_server_free               (MesoServer        *self);
/* The store's location for @self, with @password (NULL: none); the CA
 * file only when the server is verified. */
char       *meso_server_location           (const MesoServer  *self,
                                            const char        *password);
/* Copies the certificate(s) of a clinic's CA at @path (PEM) into
 * Mesodesk's own data folder (0700, the copy 0600), where the sandbox and
 * libpq can read it later; returns the copy's path, or NULL if @path cannot
 * be read or holds no certificate. The file chooser hands its file here. */
char       *meso_server_import_ca          (const char        *path,
                                            GError           **error);
/* Who the CA in @ca_file is, for people: its certificate's common name (or
 * the file's name); NULL if the file is missing, unreadable or
 * holds no certificate, with words saying so. */
char       *meso_server_describe_ca        (const char        *ca_file,
                                            GError           **error);
/* The password the keyring keeps for @self, or NULL (none kept, or no
 * keyring on this desktop). */
char       *meso_server_lookup_password    (const MesoServer  *self);
/* Removes what the keyring keeps for @self, if anything. */
void        meso_server_forget_password    (const MesoServer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoServer, meso_server_free)

typedef struct
{
  char     *location;      /* with the password, if one was needed */
  char     *password;      /* the one that worked, or NULL: memory only */
  gboolean  set_up;        /* a Mesodesk database already (else empty) */
  guint     patients;
  char     *keyring_note;  /* NULL, or why the password was not remembered */
} MesoServerConnection;

void        meso_server_connection_free    (MesoServerConnection *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoServerConnection, meso_server_connection_free)

/* Connects to @self off the main thread, looking at what is there without
 * changing it (meso_store_probe()). When the server asks for a password,
 * @password is tried (one that worked before), else the keyring's, then
 * the person is asked over @parent (again
 * after a refusal), with "Remember on this computer"; closing that dialog
 * ends with the store's MESO_STORE_ERROR_DENIED. */
void        meso_server_connect_async      (const MesoServer     *self,
                                            const char           *password,
                                            GtkWindow            *parent,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
MesoServerConnection *meso_server_connect_finish (GAsyncResult   *result,
                                                  GError        **error);
/* Words for people on @connection: "Connected: …, N patients", or that the
 * empty database will be set up. */
char       *meso_server_connection_describe (const MesoServerConnection *connection);

G_END_DECLS
