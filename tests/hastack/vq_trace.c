/*
 * A trace of the votequorum calls a program makes, for tests: LD_PRELOAD'ed
 * in front of whichever libvotequorum.so.8 the program loads (ours or
 * Debian's), it appends one line per call to VQ_TRACE_FILE and passes the
 * call on unchanged:
 *   initialize callbacks=NULL|set -> ERR
 *   getinfo nodeid=N -> ERR [quorate=Q]
 *   finalize -> ERR
 * A crash inside one of the three calls is written too
 * ("signal 11 inside votequorum_initialize"), then the signal goes on as
 * before, so a library that crashes on NULL callbacks shows it.
 * Built with a version script that gives the three names the library's
 * version, COROSYNC_VOTEQUORUM_1.0, so that the program's versioned
 * references bind here first.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <corosync/votequorum.h>

static void trace(const char *fmt, ...)
{
	const char *path = getenv("VQ_TRACE_FILE");
	if (path == NULL)
		return;
	FILE *f = fopen(path, "ae");
	if (f == NULL)
		return;
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	fprintf(f, "%lld.%03ld pid %d ", (long long)t.tv_sec, t.tv_nsec / 1000000, (int)getpid());
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static __thread const char *inside;  /* the call in progress, if any */

static void on_crash(int sig)
{
	if (inside != NULL)
		trace("signal %d inside %s", sig, inside);
	signal(sig, SIG_DFL);
	raise(sig);
}

__attribute__((constructor)) static void watch_crashes(void)
{
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGABRT, on_crash);
}

static void *next(const char *name)
{
	void *f = dlvsym(RTLD_NEXT, name, "COROSYNC_VOTEQUORUM_1.0");
	if (f == NULL) {
		trace("FATAL: no %s@COROSYNC_VOTEQUORUM_1.0 after the trace", name);
		abort();
	}
	return f;
}

cs_error_t votequorum_initialize(votequorum_handle_t *handle, votequorum_callbacks_t *callbacks)
{
	cs_error_t (*real)(votequorum_handle_t *, votequorum_callbacks_t *) = next("votequorum_initialize");
	inside = "votequorum_initialize";
	cs_error_t rc = real(handle, callbacks);
	inside = NULL;
	trace("initialize callbacks=%s -> %d", callbacks == NULL ? "NULL" : "set", (int)rc);
	return rc;
}

cs_error_t votequorum_getinfo(votequorum_handle_t handle, unsigned int nodeid, struct votequorum_info *info)
{
	cs_error_t (*real)(votequorum_handle_t, unsigned int, struct votequorum_info *) = next("votequorum_getinfo");
	inside = "votequorum_getinfo";
	cs_error_t rc = real(handle, nodeid, info);
	inside = NULL;
	if (rc == CS_OK && info != NULL)
		trace("getinfo nodeid=%u -> %d quorate=%d", nodeid, (int)rc, (info->flags & VOTEQUORUM_INFO_QUORATE) ? 1 : 0);
	else
		trace("getinfo nodeid=%u -> %d", nodeid, (int)rc);
	return rc;
}

cs_error_t votequorum_finalize(votequorum_handle_t handle)
{
	cs_error_t (*real)(votequorum_handle_t) = next("votequorum_finalize");
	inside = "votequorum_finalize";
	cs_error_t rc = real(handle);
	inside = NULL;
	trace("finalize -> %d", (int)rc);
	return rc;
}
