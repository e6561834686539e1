/*
 * The quorum conformance driver: runs one named scenario through the quorum
 * C API (corosync's "quorum" service) and prints a deterministic trace, as
 * driver.c does for votequorum (driver.h: the command line, the table, the
 * child process with its alarm, handles by name). It is linked to Debian's
 * libquorum5, so the same binary runs on the reference and, with
 * LD_LIBRARY_PATH, on ours; run.sh diffs the two traces.
 *
 *   quorum_driver SCENARIO   run one scenario
 *   quorum_driver --list     list scenarios as "NAME SERVER PAIRS" lines
 *   quorum_driver --which    print the file of the libquorum actually loaded
 *
 * Ring ids print as "ring=NODEID.SEQ" and the V0 ring sequence as
 * "ring_seq=SEQ" (hex), which run.sh masks in pinned traces.
 */
#include "quorum_driver.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int ctx_a, ctx_b;

static const char *context_name(const void *c)
{
	if (c == NULL)
		return "NULL";
	if (c == &ctx_a)
		return "&ctx_a";
	if (c == &ctx_b)
		return "&ctx_b";
	return "other";
}

const char *context_of(quorum_handle_t h)
{
	const void *c = NULL;
	int err = quorum_context_get(h, &c);
	return err == CS_OK ? context_name(c) : err_name(err);
}

static void print_ids(const char *label, uint32_t n, const uint32_t *ids)
{
	uint32_t i;
	printf("%s=[", label);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", ids[i]);
	printf("]");
}

void on_quorum_v0(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq, uint32_t n, uint32_t *view)
{
	printf("  callback quorum(%s, context=%s, quorate=%u, ring_seq=%" PRIx64 ", ", hname(h), context_of(h), quorate, ring_seq);
	print_ids("view", n, view);
	printf(")\n");
	fflush(stdout);
}

void on_quorum_v1(quorum_handle_t h, uint32_t quorate, struct quorum_ring_id ring, uint32_t n, const uint32_t *members)
{
	printf("  callback v1 quorum(%s, context=%s, quorate=%u, ring=%u.%" PRIx64 ", ", hname(h), context_of(h), quorate,
		ring.nodeid, ring.seq);
	print_ids("members", n, members);
	printf(")\n");
	fflush(stdout);
}

void on_nodelist_v1(quorum_handle_t h, struct quorum_ring_id ring, uint32_t nm, const uint32_t *members,
	uint32_t nj, const uint32_t *joined, uint32_t nl, const uint32_t *left)
{
	printf("  callback v1 nodelist(%s, context=%s, ring=%u.%" PRIx64 ", ", hname(h), context_of(h), ring.nodeid, ring.seq);
	print_ids("members", nm, members);
	print_ids(", joined", nj, joined);
	print_ids(", left", nl, left);
	printf(")\n");
	fflush(stdout);
}

quorum_callbacks_t v0_callbacks = { on_quorum_v0 };
quorum_model_v0_data_t v0_model = { QUORUM_MODEL_V0, on_quorum_v0 };
quorum_model_v1_data_t v1_model = { QUORUM_MODEL_V1, on_quorum_v1, on_nodelist_v1 };

static void print_opened(const char *call, quorum_handle_t h, int err, uint32_t type, const char *args)
{
	if (err == CS_OK)
		remember(h);
	printf("%s(&%s, %s) = %s", call, err == CS_OK ? hname(h) : "h", args, err_name(err));
	if (err == CS_OK)
		printf(", quorum_type=%u", type);
	printf("\n");
	fflush(stdout);
}

quorum_handle_t open_quorum(quorum_callbacks_t *cb)
{
	quorum_handle_t h = 0;
	uint32_t type = 77;
	int err = quorum_initialize(&h, cb, &type);
	print_opened("quorum_initialize", h, err, type, cb ? "&callbacks, &type" : "NULL, &type");
	return h;
}

quorum_handle_t open_model(quorum_model_t model, void *data, void *context, const char *what)
{
	quorum_handle_t h = 0;
	uint32_t type = 77;
	char args[128];
	int err = quorum_model_initialize(&h, model, (quorum_model_data_t *)data, &type, context);
	snprintf(args, sizeof(args), "%s, &type, %s", what, context_name(context));
	print_opened("quorum_model_initialize", h, err, type, args);
	return h;
}

void show_quorum_fd(quorum_handle_t h)
{
	int fd = -1;
	int have = quorum_fd_get(h, &fd) == CS_OK;
	show_fd_state(h, have, fd);
}

void wait_quorum_fd(quorum_handle_t h)
{
	int fd = -1;
	quorum_fd_get(h, &fd);
	wait_fd(h, fd);
}

void show_quorate(quorum_handle_t h)
{
	int quorate = 77;
	int err = quorum_getquorate(h, &quorate);
	printf("quorum_getquorate(%s, &quorate) = %s", hname(h), err_name(err));
	if (err == CS_OK)
		printf(", quorate=%d", quorate);
	printf("\n");
	fflush(stdout);
}

void set_expected_votes(unsigned votes)
{
	const char *prefix = getenv("VQ_COROSYNC_PREFIX");
	char tool[4096], value[16];
	pid_t child;
	int status = -1;
	snprintf(tool, sizeof(tool), "%s%scorosync-cmapctl", prefix && *prefix ? prefix : "", prefix && *prefix ? "/sbin/" : "");
	snprintf(value, sizeof(value), "%u", votes);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		unsetenv("LD_LIBRARY_PATH"); /* the tool runs on its own libraries */
		execlp(tool, tool, "-s", "quorum.expected_votes", "u32", value, (char *)NULL);
		_exit(127);
	}
	if (child > 0)
		waitpid(child, &status, 0);
	printf("-- expected votes set to %u (quorum %s): %s\n", votes, votes > 1 ? "lost" : "regained",
		WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "done" : "FAILED");
	fflush(stdout);
}

/* The calls that take a handle, each once. */
void every_quorum_call_on(quorum_handle_t h)
{
	const void *ctx;
	int fd, quorate;
	CALL(quorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(quorum_dispatch(h, CS_DISPATCH_BLOCKING));
	CALL(quorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(quorum_fd_get(h, &fd));
	CALL(quorum_getquorate(h, &quorate));
	CALL(quorum_trackstart(h, CS_TRACK_CHANGES));
	CALL(quorum_trackstop(h));
	CALL(quorum_context_get(h, &ctx));
	CALL(quorum_context_set(h, NULL));
	CALL(quorum_finalize(h));
}

static const struct scenario *const groups[] = {
	q_daemon_scenarios,
	q_handle_scenarios,
	q_gone_scenarios,
	NULL,
};

int main(int argc, char **argv)
{
	return driver_main(argc, argv, groups, (const void *)quorum_initialize);
}
