/*
 * What chaos.sh's C clients (chaos_client.c on libvotequorum,
 * quorum_chaos_client.c on libquorum) share: their signal handling, their
 * answer file, and the small helpers around them. Each client keeps only
 * what is its library's.
 */
#pragma once

#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>

/* Sleeps `ms` milliseconds (request threads pace themselves with it). */
void chaos_sleep_ms(int ms);
/* CLOCK_MONOTONIC in milliseconds. */
long long chaos_now_ms(void);

/* Appends printf-formatted text at buf + *len, moving *len; -1 (nothing
 * moved) when it does not fit. */
int chaos_append(char *buf, size_t size, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Blocks SIGUSR1, SIGTERM and SIGINT (call it before starting threads, so
 * that only the signalfd sees them) and returns a signalfd for them, or -1
 * (with the reason on stderr). */
int chaos_signals(void);

/* One turn of a client's loop: polls `p` (n entries, p[0] the signalfd of
 * chaos_signals()) and takes the signal if one came: SIGUSR1 calls
 * answer(++*answers), SIGTERM and SIGINT set *stop. Returns 1 when the loop
 * should go round again (a signal was taken, or poll was interrupted), 0
 * when the other descriptors' revents are to be looked at, -1 on a poll
 * error (said on stderr). */
int chaos_poll(struct pollfd *p, nfds_t n, int timeout_ms, void (*answer)(long), long *answers, atomic_int *stop);

/* Writes one answer line (printf-formatted, a newline added) to `path`
 * atomically: to path.tmp, then renamed over it, so that chaos.sh never
 * reads half a line. */
void chaos_write_answer(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
