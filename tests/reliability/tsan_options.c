/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ThreadSanitizer's defaults for the programs that run rolecert.so in
 * threads (thread_sign, thread_prehashed, fuzz_tbs_memory), however they
 * are started: ctest, scripts/ci-reliability.sh or by hand. TSAN_OPTIONS
 * still adds to or overrides them.
 *
 * ignore_noninstrumented_modules: libcrypto is not instrumented, so TSan
 * sees only the part of its synchronisation that goes through pthreads,
 * but does see the memcpy and memcmp it makes through TSan's interceptors.
 * On OpenSSL 3.5 those then report a race with both sides inside libcrypto
 * (a block written under two of the delegate context's locks, read by
 * EVP_DigestSign under none TSan saw: ordered by something TSan cannot
 * see, atomics presumably; libcrypto's frames carry no symbols here). 3.0
 * reports nothing. With this option interceptor calls made from an
 * uninstrumented library are not checked; every access rolecert.so, the
 * policy core and the walker make themselves still is (a race planted in
 * the provider is reported with it: docs/provider.md, "Threads").
 */
const char *__tsan_default_options(void);

const char *__tsan_default_options(void)
{
    return "halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1";
}
