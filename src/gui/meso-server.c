/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "mesodesk-gui"

#include "config.h"

#include "meso-server.h"

#include "meso-store.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

/* A CA's certificates, or a few in a chain: far below this. */
#define CA_FILE_MAX_BYTES (1024 * 1024)

/* ============================================================= settings */

MesoServer *
meso_server_new (const char *host,
                 guint       port,
                 const char *database,
                 const char *user,
                 const char *tls,
                 const char *ca_file)
{
  MesoServer *self = g_new0 (MesoServer, 1);

  self->host = g_strstrip (g_strdup (host != NULL ? host : ""));
  self->port = port;
  self->database = g_strstrip (g_strdup (database != NULL ? database : ""));
  self->user = g_strstrip (g_strdup (user != NULL ? user : ""));
  self->tls = g_strdup (tls != NULL ? tls : "verify-full");
  self->ca_file = g_strdup (ca_file != NULL ? ca_file : "");
  return self;
}

MesoServer *
meso_server_new_from_settings (GSettings *settings)
{
  g_autofree char *host = NULL, *database = NULL, *user = NULL, *tls = NULL, *ca_file = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  host = g_settings_get_string (settings, "server-host");
  database = g_settings_get_string (settings, "server-database");
  user = g_settings_get_string (settings, "server-user");
  tls = g_settings_get_string (settings, "server-tls");
  ca_file = g_settings_get_string (settings, "server-ca-file");
  return meso_server_new (host, g_settings_get_uint (settings, "server-port"), database, user,
                          tls, ca_file);
}

/* Where Mesodesk keeps its copies of clinics' CA certificates: its own
 * data folder, which a Flatpak has in its sandbox. */
static char *
ca_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "mesodesk", "certificates", NULL);
}

/* Removes the copies in ca_folder() but @kept: a CA no longer chosen. */
static void
prune_ca_copies (const char *kept)
{
  g_autofree char *folder = ca_folder ();
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_strcmp0 (path, kept) != 0 && g_unlink (path) != 0)
        g_debug ("A CA certificate no longer chosen stays: %s", g_strerror (errno));
    }
}

void
meso_server_save (const MesoServer *self,
                  GSettings        *settings)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* Not g_settings_delay(): it cannot be undone, and every later write
   * through @settings (the choice of database) would wait for an apply. */
  g_settings_set_string (settings, "server-host", self->host);
  g_settings_set_uint (settings, "server-port", CLAMP (self->port, 1, 65535));
  g_settings_set_string (settings, "server-database", self->database);
  g_settings_set_string (settings, "server-user", self->user);
  g_settings_set_string (settings, "server-tls", self->tls);
  g_settings_set_string (settings, "server-ca-file", self->ca_file);
  prune_ca_copies (self->ca_file);
}

MesoServer *
meso_server_copy (const MesoServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return meso_server_new (self->host, self->port, self->database, self->user, self->tls,
                          self->ca_file);
}

void
meso_server_free (MesoServer *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self->database);
  g_free (self->user);
  g_free (self->tls);
  g_free (self->ca_file);
  g_free (self);
}

/* Whether the location names the CA: only when the server is verified
 * (libpq's require would verify against a CA file it is given too). */
static gboolean
uses_ca (const MesoServer *self)
{
  return g_str_has_prefix (self->tls, "verify-") && *self->ca_file != '\0';
}

char *
meso_server_location (const MesoServer *self,
                      const char       *password)
{
  g_return_val_if_fail (self != NULL, NULL);

  return meso_store_server_location (self->host, self->port, self->database, self->user,
                                     self->tls, uses_ca (self) ? self->ca_file : NULL, password);
}

/* One DER element at *@p: its tag and contents; *@p moves past it. */
static gboolean
der_next (const guchar  **p,
          const guchar   *end,
          guchar         *tag,
          const guchar  **content,
          gsize          *length)
{
  const guchar *q = *p;
  gsize len;

  if (end - q < 2)
    return FALSE;
  *tag = *q++;
  len = *q++;
  if (len & 0x80)
    {
      guint n = len & 0x7f;

      if (n == 0 || n > 4 || (gsize)(end - q) < n)
        return FALSE;
      for (len = 0; n > 0; n--)
        len = (len << 8) | *q++;
    }
  if (len > (gsize)(end - q))
    return FALSE;
  *content = q;
  *length = len;
  *p = q + len;
  return TRUE;
}

/* Inside @p…@end, the contents of the next element, which must be @want. */
static gboolean
der_enter (const guchar **p,
           const guchar  *end,
           guchar         want,
           const guchar **content,
           gsize         *length)
{
  guchar tag;

  return der_next (p, end, &tag, content, length) && tag == want;
}

#define DER_SEQUENCE 0x30
#define DER_SET      0x31

/* The common name in an X.509 Name (RDNs of attribute type and value), or
 * "" if it has none. */
static char *
der_common_name (const guchar *p,
                 const guchar *end)
{
  static const guchar cn_oid[] = { 0x06, 0x03, 0x55, 0x04, 0x03 };
  const guchar *set, *attribute, *value;
  gsize set_length, attribute_length, value_length;
  guchar tag;

  while (der_enter (&p, end, DER_SET, &set, &set_length))
    while (der_enter (&set, set + set_length, DER_SEQUENCE, &attribute, &attribute_length))
      {
        const guchar *in = attribute + sizeof cn_oid;

        if (attribute_length > sizeof cn_oid &&
            memcmp (attribute, cn_oid, sizeof cn_oid) == 0 &&
            der_next (&in, attribute + attribute_length, &tag, &value, &value_length) &&
            /* UTF8String, PrintableString, T61String, IA5String */
            (tag == 0x0c || tag == 0x13 || tag == 0x14 || tag == 0x16))
          return g_utf8_make_valid ((const char *)value, (gssize)value_length);
      }
  return g_strdup ("");
}

/* The subject's common name of the first certificate in PEM @contents
 * ("" if it has none), or NULL if no block parses as a certificate: a DER
 * Certificate whose tbsCertificate has a subject. */
static char *
pem_common_name (const char *contents)
{
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  static const char end_line[] = "-----END CERTIFICATE-----";
  const char *start;

  for (start = strstr (contents, begin); start != NULL; start = strstr (start, begin))
    {
      const char *stop = strstr (start, end_line);
      g_autofree char *text = NULL;
      g_autofree guchar *der = NULL;
      const guchar *p, *end, *certificate, *tbs, *field;
      gsize length = 0, certificate_length, tbs_length, field_length;
      guchar tag;

      if (stop == NULL)
        return NULL;
      start += strlen (begin);
      text = g_strndup (start, (gsize)(stop - start));
      der = g_base64_decode (text, &length);
      p = der;
      end = der + length;
      if (!der_enter (&p, end, DER_SEQUENCE, &certificate, &certificate_length))
        continue;
      p = certificate;
      end = certificate + certificate_length;
      if (!der_enter (&p, end, DER_SEQUENCE, &tbs, &tbs_length))
        continue;
      p = tbs;
      end = tbs + tbs_length;
      /* [0] version (optional), serial, signature, issuer, validity, subject */
      if (!der_next (&p, end, &tag, &field, &field_length))
        continue;
      if (tag == 0xa0 && !der_next (&p, end, &tag, &field, &field_length))
        continue;
      if (tag != 0x02)
        continue;
      if (der_enter (&p, end, DER_SEQUENCE, &field, &field_length) &&
          der_enter (&p, end, DER_SEQUENCE, &field, &field_length) &&
          der_enter (&p, end, DER_SEQUENCE, &field, &field_length) &&
          der_enter (&p, end, DER_SEQUENCE, &field, &field_length))
        return der_common_name (field, field + field_length);
    }
  return NULL;
}

static void
not_a_certificate (const char  *path,
                   GError     **error)
{
  g_autofree char *shown = g_filename_display_basename (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               /* Translators: %s is the name of the file a person chose */
               _("“%s” is not a certificate: choose the clinic’s certificate authority, a "
                 "file that begins with “-----BEGIN CERTIFICATE-----” (often named .crt or "
                 ".pem)."), shown);
}

char *
meso_server_import_ca (const char  *path,
                       GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folder = ca_folder ();
  g_autofree char *checksum = NULL;
  g_autofree char *file = NULL;
  g_autofree char *copy = NULL;
  GStatBuf info;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &info) == 0 && info.st_size > CA_FILE_MAX_BYTES)
    {
      not_a_certificate (path, error);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_autofree char *shown = g_filename_display_basename (path);
      const char *reason = meso_store_describe_file_error (path, local->code);

      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local->code),
                   /* Translators: the first %s is a file name, the second the reason */
                   _("“%s” cannot be read: %s"), shown,
                   reason != NULL ? reason : local->message);
      return NULL;
    }
  name = pem_common_name (contents);
  if (name == NULL)
    {
      not_a_certificate (path, error);
      return NULL;
    }

  /* Named by its content: choosing another CA leaves the one the settings
   * name in place until the choice is saved (meso_server_save()). */
  checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
  checksum[16] = '\0';
  file = g_strdup_printf ("ca-%s.crt", checksum);
  copy = g_build_filename (folder, file, NULL);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: %s is the reason, e.g. “No space left on device” */
                   _("The certificate could not be kept on this computer: %s"),
                   g_strerror (saved));
      return NULL;
    }
  if (!g_file_set_contents_full (copy, contents, (gssize)length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The certificate could not be kept on this computer: %s"),
                   local->message);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

char *
meso_server_describe_ca (const char  *ca_file,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  char *name = NULL;

  g_return_val_if_fail (ca_file != NULL, NULL);

  if (g_file_get_contents (ca_file, &contents, NULL, NULL))
    name = pem_common_name (contents);
  if (name == NULL)
    {
      g_autofree char *shown = g_filename_display_name (ca_file);

      g_set_error (error, MESO_STORE_ERROR, MESO_STORE_ERROR_UNREACHABLE,
                   /* Translators: %s is the path of Mesodesk's copy of the certificate */
                   _("The copy of the clinic’s certificate authority that Mesodesk keeps (%s) "
                     "is missing or cannot be read, so the server cannot be checked. Choose "
                     "the file again under Server certificate authority. Mesodesk did not "
                     "connect."), shown);
      return NULL;
    }
  if (*name == '\0')
    {
      g_free (name);
      name = g_filename_display_basename (ca_file);
    }
  return name;
}

/* ============================================================== keyring */

static const SecretSchema *
server_schema (void)
{
  static const SecretSchema schema = {
    "io.github.mesodesk.Mesodesk.Server", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

char *
meso_server_lookup_password (const MesoServer *self)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  char *password;

  g_return_val_if_fail (self != NULL, NULL);

  secret = secret_password_lookup_sync (server_schema (), NULL, &error,
                                        "host", self->host, "port", (int)self->port,
                                        "database", self->database, "user", self->user, NULL);
  if (secret == NULL)
    {
      if (error != NULL)
        g_debug ("No keyring to look the clinic server's password up in: %s", error->message);
      return NULL;
    }
  password = g_strdup (secret);
  secret_password_free (secret);
  return password;
}

void
meso_server_forget_password (const MesoServer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self != NULL);

  if (!secret_password_clear_sync (server_schema (), NULL, &error,
                                   "host", self->host, "port", (int)self->port,
                                   "database", self->database, "user", self->user, NULL) &&
      error != NULL)
    g_debug ("No keyring to forget the clinic server's password in: %s", error->message);
}

/* =========================================================== connecting */

void
meso_server_connection_free (MesoServerConnection *self)
{
  if (self == NULL)
    return;
  /* The location may hold the password: not left in freed memory. */
  if (self->location != NULL)
    memset (self->location, 0, strlen (self->location));
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->location);
  g_free (self->password);
  g_free (self->keyring_note);
  g_free (self);
}

typedef struct
{
  MesoServer           *server;
  GtkWindow            *parent;
  char                 *password;
  gboolean              asked;
  gboolean              remember;
  GError               *refusal;   /* the last DENIED, for the dialog */
  MesoServerConnection *connection;
} Connect;

static void
forget_password (Connect *data)
{
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_clear_pointer (&data->password, g_free);
}

static void
connect_free (Connect *data)
{
  meso_server_free (data->server);
  g_clear_object (&data->parent);
  forget_password (data);
  g_clear_error (&data->refusal);
  g_clear_pointer (&data->connection, meso_server_connection_free);
  g_free (data);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *location = task_data;
  g_autoptr(MesoServerConnection) connection = g_new0 (MesoServerConnection, 1);
  GError *error = NULL;

  if (!meso_store_probe (location, &connection->set_up, &connection->patients, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  connection->location = g_strdup (location);
  g_task_return_pointer (task, g_steal_pointer (&connection),
                         (GDestroyNotify) meso_server_connection_free);
}

static void probe (GTask *task);

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_debug ("The clinic server's password was not kept: %s", error->message);
      data->connection->keyring_note =
        g_strdup (_("The password could not be kept: this computer has no keyring "
                    "available. Mesodesk will ask for it again next time."));
    }
  g_task_return_pointer (task, g_steal_pointer (&data->connection),
                         (GDestroyNotify) meso_server_connection_free);
}

static void
password_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *data = g_task_get_task_data (task);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "meso-password");
  GtkCheckButton *remember = g_object_get_data (G_OBJECT (dialog), "meso-remember");

  /* Answered once: a second response (the closing) must not reach the task. */
  g_signal_handlers_disconnect_by_func (dialog, password_response_cb, user_data);
  if (!g_str_equal (response, "connect"))
    {
      g_task_return_error (task, g_steal_pointer (&data->refusal));
      return;
    }
  forget_password (data);
  data->password = g_strdup (gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");
  data->remember = gtk_check_button_get_active (remember);
  data->asked = TRUE;
  probe (g_steal_pointer (&task));
}

static void
ask_password (GTask *task)
{
  Connect *data = g_task_get_task_data (task);
  g_autofree char *location = meso_server_location (data->server, NULL);
  g_autofree char *where = meso_store_describe_location (location);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *user = *data->server->user != '\0' ? data->server->user : g_get_user_name ();
  GtkWidget *dialog, *box, *entry, *remember;

  /* Translators: a dialog's heading; %s is e.g. “clinic on server.local / mesodesk” */
  heading = g_strdup_printf (_("Password for the %s"), where);
  if (data->asked)
    /* Translators: %s is a user name on the clinic server */
    body = g_strdup_printf (_("The server did not accept the password of “%s”. Type it "
                              "again."), user);
  else
    /* Translators: %s is a user name on the clinic server */
    body = g_strdup_printf (_("The clinic server asks for the password of “%s”."), user);

  dialog = adw_message_dialog_new (data->parent, heading, body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  /* A hidden GtkEntry: GTK 4.8's GtkPasswordEntry emits a critical when the
   * dialog disposes it. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: the password field's name for screen readers */
                                  _("Password"), -1);
  /* Translators: a check box under the clinic server's password */
  remember = gtk_check_button_new_with_mnemonic (_("_Remember on this computer"));
  gtk_widget_set_tooltip_text (remember,
                               /* Translators: tooltip of “Remember on this computer” */
                               _("Kept in the desktop’s keyring, never in Mesodesk’s settings"));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), remember);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: a button: connects with the password */
                                    "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "meso-password", entry);
  g_object_set_data (G_OBJECT (dialog), "meso-remember", remember);
  g_signal_connect (dialog, "response", G_CALLBACK (password_response_cb), task);
  /* Typing goes into the password, not onto Cancel. */
  gtk_window_set_focus (GTK_WINDOW (dialog), entry);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Connect *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->connection = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->connection == NULL)
    {
      if (g_error_matches (error, MESO_STORE_ERROR, MESO_STORE_ERROR_DENIED) &&
          data->parent != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_clear_error (&data->refusal);
          data->refusal = error;
          ask_password (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  data->connection->password = g_strdup (data->password);
  if (data->asked && data->remember)
    {
      g_autofree char *location = meso_server_location (data->server, NULL);
      g_autofree char *label = meso_store_describe_location (location);

      secret_password_store (server_schema (), SECRET_COLLECTION_DEFAULT, label,
                             data->password, NULL, stored_cb, g_steal_pointer (&task),
                             "host", data->server->host, "port", (int)data->server->port,
                             "database", data->server->database, "user", data->server->user,
                             NULL);
      return;
    }
  /* Typed and not to be remembered: an older one kept is forgotten too. */
  if (data->asked)
    meso_server_forget_password (data->server);
  g_task_return_pointer (task, g_steal_pointer (&data->connection),
                         (GDestroyNotify) meso_server_connection_free);
}

static void
probe (GTask *task)
{
  Connect *data = g_task_get_task_data (task);
  g_autoptr(GTask) thread = g_task_new (NULL, g_task_get_cancellable (task), probed_cb, task);

  g_task_set_source_tag (thread, probe);
  g_task_set_task_data (thread, meso_server_location (data->server, data->password), g_free);
  g_task_run_in_thread (thread, probe_thread);
}

/* The keyring's answer, read without blocking the window (a locked keyring
 * may first ask to be unlocked); then the server is tried. */
static void
password_looked_up_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Connect *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (secret != NULL)
    {
      data->password = g_strdup (secret);
      secret_password_free (secret);
    }
  else if (error != NULL)
    g_debug ("No keyring to look the clinic server's password up in: %s", error->message);
  probe (task);
}

void
meso_server_connect_async (const MesoServer    *self,
                           const char          *password,
                           GtkWindow           *parent,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Connect *data;

  g_return_if_fail (self != NULL);
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_server_connect_async);
  /* A missing copy would reach libpq as "no CA on this computer": say which
   * file and what to do instead. */
  if (uses_ca (self))
    {
      GError *error = NULL;
      g_autofree char *who = meso_server_describe_ca (self->ca_file, &error);

      if (who == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  data = g_new0 (Connect, 1);
  data->server = meso_server_copy (self);
  g_set_object (&data->parent, parent);
  g_task_set_task_data (task, data, (GDestroyNotify) connect_free);
  if (password != NULL)
    {
      data->password = g_strdup (password);
      probe (task);
      return;
    }
  /* The keyring's, if it keeps one: asked only when the server refuses it. */
  secret_password_lookup (server_schema (), cancellable, password_looked_up_cb, task,
                          "host", self->host, "port", (int)self->port,
                          "database", self->database, "user", self->user, NULL);
}

MesoServerConnection *
meso_server_connect_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
meso_server_connection_describe (const MesoServerConnection *connection)
{
  g_return_val_if_fail (connection != NULL, NULL);

  if (!connection->set_up)
    /* Translators: Test Connection's answer for a new, empty database on the server */
    return g_strdup (_("Connected — the database is empty and will be set up"));
  /* Translators: Test Connection's answer; %u is how many patients the database holds */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: Mesodesk clinic database, "
                                       "%u patient", "Connected: Mesodesk clinic database, "
                                       "%u patients", connection->patients),
                          connection->patients);
}
