/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ThreadSanitizer's defaults for the programs that run rolecert.so in
 * threads (thread_sign, thread_prehashed, fuzz_tbs_memory), however they
 * are started: ctest, scripts/ci-reliability.sh or by hand. TSAN_OPTIONS
 * still adds to or overrides them.
 *
 * ignore_noninstrumented_modules: libcrypto is not instrumented, so TSan
 * sees none of its own synchronisation but does see the memcpy and memcmp
 * it makes through TSan's interceptors. OpenSSL 3.5 publishes cached
 * objects with atomics TSan cannot see, and the interceptors then report
 * races with both sides inside libcrypto (3.0 locks those with rwlocks,
 * which TSan does see). With this option interceptor calls made from an
 * uninstrumented library are not checked; every access rolecert.so, the
 * policy core and the walker make themselves still is (a race planted in
 * the provider is reported with it: docs/provider.md, "Threads").
 */
const char *__tsan_default_options(void);

const char *__tsan_default_options(void)
{
    return "halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1";
}
