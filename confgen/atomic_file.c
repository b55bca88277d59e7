/* SPDX-License-Identifier: Apache-2.0 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail(strbuf *error, const char *what, const char *path, int err)
{
    strbuf_printf(error, "%s %s: %s", what, path, strerror(err));
    return false;
}

static bool write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

bool atomic_file_replace(const char *path, const char *data, size_t len, strbuf *error)
{
    return atomic_file_replace_with(path, data, len, error, NULL, NULL);
}

static bool replace(const char *path, const char *data, size_t len, strbuf *error,
                    atomic_file_commit_fn before_rename, void *ctx, bool secret)
{
    size_t path_len = strlen(path);
    if (path_len == 0 || path[path_len - 1] == '/') {
        strbuf_printf(error, "output %s is not a file name", path_len == 0 ? "''" : path);
        return false;
    }
    /* rename() would replace whatever is there: run as root, `-o /dev/null`
     * or `-o /dev/full` would turn the device into a regular file. Only a
     * regular file (or nothing yet) is replaced. */
    struct stat target;
    if (stat(path, &target) == 0 && !S_ISREG(target.st_mode)) {
        strbuf_printf(error, "output %s is not a regular file", path);
        return false;
    }
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    strbuf temp;
    strbuf_init(&temp);
    strbuf_append(&temp, path, dir_len);
    strbuf_append_char(&temp, '.');
    strbuf_append_str(&temp, path + dir_len);
    strbuf_append_str(&temp, ".XXXXXX");
    if (temp.failed) {
        strbuf_free(&temp);
        return fail(error, "cannot create a temporary file for", path, ENOMEM);
    }
    int fd = mkstemp(temp.data);
    if (fd < 0) {
        int err = errno;
        strbuf_free(&temp);
        return fail(error, "cannot create a temporary file for", path, err);
    }
    /* mkstemp makes 0600; a config is not secret, so honour the umask. */
    mode_t mask = umask(0);
    umask(mask);
    bool ok = true;
    int err = 0;
    const char *step = "";
    if (fchmod(fd, secret ? 0600 : 0666 & ~mask) != 0) {
        ok = false, err = errno, step = "cannot set the mode of";
    } else if (!write_all(fd, data, len)) {
        ok = false, err = errno, step = "cannot write";
    } else if (fsync(fd) != 0) {
        ok = false, err = errno, step = "cannot sync";
    }
    if (close(fd) != 0 && ok)
        ok = false, err = errno, step = "cannot write";
    if (ok && before_rename != NULL && !before_rename(ctx, error)) {
        unlink(temp.data);
        strbuf_free(&temp);
        return false;
    }
    if (ok && rename(temp.data, path) != 0)
        ok = false, err = errno, step = "cannot replace";
    if (!ok) {
        unlink(temp.data);
        strbuf_free(&temp);
        return fail(error, step, path, err);
    }
    strbuf_free(&temp);
    /* Make the rename itself durable; a failure here cannot be undone, and
     * the file is complete either way. */
    strbuf dir;
    strbuf_init(&dir);
    if (dir_len > 0)
        strbuf_append(&dir, path, dir_len);
    else
        strbuf_append_char(&dir, '.');
    if (!dir.failed) {
        int dir_fd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd >= 0) {
            (void)fsync(dir_fd);
            close(dir_fd);
        }
    }
    strbuf_free(&dir);
    return true;
}

bool atomic_file_replace_with(const char *path, const char *data, size_t len, strbuf *error,
                              atomic_file_commit_fn before_rename, void *ctx)
{
    return replace(path, data, len, error, before_rename, ctx, false);
}

bool atomic_file_replace_secret(const char *path, const char *data, size_t len, strbuf *error,
                                atomic_file_commit_fn before_rename, void *ctx)
{
    return replace(path, data, len, error, before_rename, ctx, true);
}
