/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replaces a file as a whole or not at all: the bytes go to a temporary file
 * in the target's directory, which is synced and renamed over the target.
 * On every failure path the temporary file is removed and the target is left
 * as it was.
 */
#ifndef ROLECERT_CONFGEN_ATOMIC_FILE_H
#define ROLECERT_CONFGEN_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* On false, `error` holds a one-line reason ("cannot create ...: ..."). */
bool atomic_file_replace(const char *path, const char *data, size_t len, strbuf *error);

/* Called once the temporary file is complete and synced, just before the
 * rename: what a command prints alongside the file (the openssl command,
 * server settings) goes out here, so that a failure to print it also
 * leaves the target as it was. Returns false with a reason in `error`. */
typedef bool (*atomic_file_commit_fn)(void *ctx, strbuf *error);

bool atomic_file_replace_with(const char *path, const char *data, size_t len, strbuf *error,
                              atomic_file_commit_fn before_rename, void *ctx);

/* As atomic_file_replace_with, for a file that holds a key: it stays 0600
 * (owner only) whatever the umask. */
bool atomic_file_replace_secret(const char *path, const char *data, size_t len, strbuf *error,
                                atomic_file_commit_fn before_rename, void *ctx);

#endif
