/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `rolecert conf` with the Nth allocation failing, for every N until a run
 * makes fewer than N allocations. The CLI's code is linked with
 * -Wl,--wrap=malloc,... so every allocation it (and the policy core) makes
 * comes here. Each run must end in exit 0 with the exact config, or exit 2
 * with a message, the previous output intact, no temporary file left, and
 * every allocation freed.
 *
 *   alloc_fail_conf PROFILE.ini [conf options...]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);

static long allocations; /* attempts since the counter was reset */
static long fail_at;     /* 1-based; 0: never fail */
static long live;        /* allocations not yet freed */

static bool inject(void)
{
    allocations++;
    return fail_at != 0 && allocations == fail_at;
}

void *__wrap_malloc(size_t size)
{
    if (inject())
        return NULL;
    void *p = __real_malloc(size);
    if (p != NULL)
        live++;
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (inject())
        return NULL;
    void *p = __real_calloc(n, size);
    if (p != NULL)
        live++;
    return p;
}

void *__wrap_realloc(void *old, size_t size)
{
    if (inject())
        return NULL;
    void *p = __real_realloc(old, size);
    if (p != NULL && old == NULL)
        live++;
    return p;
}

void __wrap_free(void *p)
{
    if (p != NULL)
        live--;
    __real_free(p);
}

char *__wrap_strdup(const char *s)
{
    size_t len = strlen(s);
    char *copy = __wrap_malloc(len + 1);
    if (copy != NULL)
        memcpy(copy, s, len + 1);
    return copy;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = __wrap_malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    char *copy = __real_malloc(*len + 1);
    memcpy(copy, buf, *len);
    copy[*len] = '\0';
    return copy;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d != NULL)
        closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: alloc_fail_conf PROFILE.ini [conf options...]\n");
        return 2;
    }
    char dir[] = "/tmp/rolecert-alloc-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 2;
    char out_path[64], err_path[64];
    snprintf(out_path, sizeof(out_path), "%s/out.cnf", dir);
    snprintf(err_path, sizeof(err_path), "%s/../%s.err", dir, strrchr(dir, '/') + 1);

    char *conf_argv[32];
    int conf_argc = 0;
    conf_argv[conf_argc++] = "conf";
    conf_argv[conf_argc++] = argv[1];
    conf_argv[conf_argc++] = "-o";
    conf_argv[conf_argc++] = out_path;
    for (int i = 2; i < argc && conf_argc < 31; i++)
        conf_argv[conf_argc++] = argv[i];
    conf_argv[conf_argc] = NULL;

    int saved_out = dup(1), saved_err = dup(2);
    int devnull = open("/dev/null", O_WRONLY);
    int errfd = open(err_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (saved_out < 0 || saved_err < 0 || devnull < 0 || errfd < 0)
        return 2;

    static const char old_content[] = "# the previous config\n";
    char *reference = NULL;
    size_t reference_len = 0;
    int failures = 0;
    long n;
    for (n = 0;; n++) {
        FILE *old = fopen(out_path, "w");
        fputs(old_content, old);
        fclose(old);
        if (ftruncate(errfd, 0) != 0 || lseek(errfd, 0, SEEK_SET) != 0)
            return 2;
        fflush(stdout);
        fflush(stderr);
        dup2(devnull, 1);
        dup2(errfd, 2);

        long live_before = live;
        allocations = 0;
        fail_at = n;
        int rc = cmd_conf(conf_argc, conf_argv);
        fail_at = 0;
        long made = allocations;
        long leaked = live - live_before;

        fflush(stdout);
        fflush(stderr);
        dup2(saved_out, 1);
        dup2(saved_err, 2);
        off_t err_size = lseek(errfd, 0, SEEK_END);

        size_t len = 0;
        char *got = read_all(out_path, &len);
        if (n == 0) {
            if (rc != EXIT_CLEAN || got == NULL) {
                fprintf(stderr, "FAIL: the profile does not generate without faults (exit %d)\n",
                        rc);
                return 1;
            }
            reference = got;
            reference_len = len;
            continue;
        }
        bool injected = made >= n;
        /* ALLOC_FAIL_SHOW=N: print what run N wrote, to debug a finding. */
        const char *show = getenv("ALLOC_FAIL_SHOW");
        if (show != NULL && atol(show) == n) {
            char buf[4096];
            ssize_t k = pread(errfd, buf, sizeof(buf) - 1, 0);
            buf[k > 0 ? k : 0] = '\0';
            fprintf(stderr, "run %ld: exit %d, stderr:\n%s\noutput:\n%s\n", n, rc, buf,
                    got != NULL ? got : "(none)");
        }
        if (leaked != 0) {
            fprintf(stderr, "FAIL: allocation %ld failing: %ld allocations leaked\n", n, leaked);
            failures++;
        }
        if (rc == EXIT_CLEAN) {
            if (got == NULL || len != reference_len || memcmp(got, reference, len) != 0) {
                fprintf(stderr, "FAIL: allocation %ld failing: exit 0 with a different config\n",
                        n);
                failures++;
            }
        } else if (rc == EXIT_BAD_INPUT) {
            if (got == NULL || strcmp(got, old_content) != 0) {
                fprintf(stderr, "FAIL: allocation %ld failing: the previous output changed\n", n);
                failures++;
            }
            if (err_size <= 0) {
                fprintf(stderr, "FAIL: allocation %ld failing: exit 2 without a message\n", n);
                failures++;
            }
        } else {
            fprintf(stderr,
                    "FAIL: allocation %ld failing: exit %d (expected 0, or 2 for out of "
                    "memory)\n",
                    n, rc);
            failures++;
        }
        if (count_entries(dir) != 1) {
            fprintf(stderr, "FAIL: allocation %ld failing: a temporary file was left\n", n);
            failures++;
        }
        __real_free(got);
        if (!injected)
            break; /* the run made fewer than n allocations: every one was failed once */
    }
    printf("%s: failed each of %ld allocations in turn, %d failures\n", argv[1], n - 1, failures);
    __real_free(reference);
    unlink(out_path);
    rmdir(dir);
    unlink(err_path);
    return failures == 0 ? 0 : 1;
}
