/*
 * votequorum's ABI 1.1 calls (model_initialize, the qdevice extra info),
 * looked up at run time (Debian's library has none): on corosync 3.1.7, on
 * the fake server's abi11 script, and (the "m11_" scenarios) on the main
 * line's daemon, printing only what the fake server's "faithful" script
 * reproduces too (no ring ids), so that run.sh can compare the two.
 */
#define _GNU_SOURCE
#include "votequorum_driver.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ABI 1.1, looked up at run time. */
typedef cs_error_t (*model_init_fn)(votequorum_handle_t *, const votequorum_model_v1_data_t *);
typedef cs_error_t (*set_ei_fn)(votequorum_handle_t, uint32_t, const void *);
typedef cs_error_t (*get_ei_fn)(votequorum_handle_t, unsigned int, uint32_t *, void *);
static void *abi11(const char *name)
{
	void *fn = dlsym(RTLD_DEFAULT, name);
	if (!fn) {
		printf("%s: not in this library\n", name);
		fflush(stdout);
	}
	return fn;
}

static void on_extra(votequorum_handle_t h, uint64_t ctx, uint32_t nodeid, uint32_t n, void *data)
{
	printf("  callback qdevice_extra_info(%s, context=%" PRIu64 ", nodeid=%u, \"%.*s\")\n", hname(h), ctx, nodeid, (int)n, (const char *)data);
	fflush(stdout);
}

static void abi11_calls(void)
{
	model_init_fn model_init = (model_init_fn)abi11("votequorum_model_initialize");
	set_ei_fn set_ei = (set_ei_fn)abi11("votequorum_set_qdevice_extra_info");
	get_ei_fn get_ei = (get_ei_fn)abi11("votequorum_get_qdevice_extra_info");
	votequorum_model_v1_data_t model = { VOTEQUORUM_MODEL_V1, on_quorum, on_expected, on_nodelist, on_extra };
	votequorum_handle_t h = 0;
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	if (!model_init || !set_ei || !get_ei)
		return;
	if (CALL(model_init(&h, &model)) != CS_OK)
		return;
	remember(h);
	CALL(set_ei(h, 9, "Qdsk 00ff"));
	if (CALL(get_ei(h, 1, &size, buf)) == CS_OK)
		printf("  extra info of node 1: \"%.*s\"\n", (int)size, buf);
	CALL(set_ei(h, 4097, "x"));
	CALL(votequorum_trackstart(h, 6, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static model_init_fn m11_init;
static set_ei_fn m11_set;
static get_ei_fn m11_get_ei;

static int load_abi11(void)
{
	m11_init = (model_init_fn)abi11("votequorum_model_initialize");
	m11_set = (set_ei_fn)abi11("votequorum_set_qdevice_extra_info");
	m11_get_ei = (get_ei_fn)abi11("votequorum_get_qdevice_extra_info");
	return m11_init && m11_set && m11_get_ei;
}

/* Extra info as text when it is printable, else as hex; long blocks by
 * their size, first bytes and a sum. */
static void show_bytes(uint32_t n, const void *data)
{
	const unsigned char *b = data;
	uint32_t i, sum = 0, printable = 1;
	for (i = 0; i < n; i++) {
		sum = sum * 31 + b[i];
		if (b[i] < 0x20 || b[i] > 0x7e)
			printable = 0;
	}
	if (n > 64)
		printf("%u bytes starting \"%.8s\", sum %08x", n, (const char *)b, sum);
	else if (printable)
		printf("%u bytes \"%.*s\"", n, (int)n, (const char *)b);
	else {
		printf("%u bytes 0x", n);
		for (i = 0; i < n; i++)
			printf("%02x", b[i]);
	}
}

static void m11_on_nodelist(votequorum_handle_t h, uint64_t ctx, votequorum_ring_id_t ring, uint32_t n, uint32_t ids[])
{
	uint32_t i;
	(void)ring;
	printf("  callback nodelist(%s, context=%" PRIu64 ", nodes=[", hname(h), ctx);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", ids[i]);
	printf("])\n");
	fflush(stdout);
}

static void m11_on_extra(votequorum_handle_t h, uint64_t ctx, uint32_t nodeid, uint32_t n, void *data)
{
	printf("  callback qdevice_extra_info(%s, context=%" PRIu64 ", nodeid=%u, ", hname(h), ctx, nodeid);
	show_bytes(n, data);
	printf(")\n");
	fflush(stdout);
}

static const votequorum_model_v1_data_t m11_all = {
	VOTEQUORUM_MODEL_V1, on_quorum, on_expected, m11_on_nodelist, m11_on_extra
};
static const votequorum_model_v1_data_t m11_no_extra = {
	VOTEQUORUM_MODEL_V1, on_quorum, on_expected, m11_on_nodelist, NULL
};
static votequorum_callbacks_t m11_old = { on_quorum, on_expected, m11_on_nodelist };

static votequorum_handle_t m11_open(const votequorum_model_v1_data_t *model, const char *what)
{
	votequorum_handle_t h = 0;
	int err = m11_init(&h, model);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_model_initialize(&%s, %s) = %s\n", err == CS_OK ? hname(h) : "h", what, err_name(err));
	fflush(stdout);
	return h;
}

static votequorum_handle_t m11_open_old(void)
{
	votequorum_handle_t h = 0;
	int err = votequorum_initialize(&h, &m11_old);
	if (err == CS_OK)
		remember(h);
	printf("votequorum_initialize(&%s, old callbacks) = %s\n", err == CS_OK ? hname(h) : "h", err_name(err));
	fflush(stdout);
	return h;
}

static void m11_show_get(votequorum_handle_t h, unsigned nodeid)
{
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	int err = m11_get_ei(h, nodeid, &size, buf);
	printf("votequorum_get_qdevice_extra_info(%s, %u, &size, buf) = %s", hname(h), nodeid, err_name(err));
	if (err == CS_OK) {
		printf(": ");
		show_bytes(size, buf);
	}
	printf("\n");
	fflush(stdout);
}

static void m11_show_flag(votequorum_handle_t h)
{
	struct votequorum_info info;
	int err;
	memset(&info, 0, sizeof(info));
	err = votequorum_getinfo(h, 0, &info);
	printf("votequorum_getinfo(%s, 0, &info) = %s, HAS_EXTRA_INFO %s\n", hname(h), err_name(err),
		(info.flags & VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO) ? "set" : "clear");
	fflush(stdout);
}

/* Waits (bounded) for the tracker's next notification, and dispatches
 * exactly it, never blocking. */
static void m11_next(votequorum_handle_t t)
{
	wait_readable(t);
	CALL(votequorum_dispatch(t, CS_DISPATCH_ONE_NONBLOCKING));
}

static void m11_model_initialize(void)
{
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	h = m11_open(&m11_all, "V1, every callback");
	CALL(votequorum_trackstart(h, 10, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void m11_model_other_value(void)
{
	votequorum_model_v1_data_t model = m11_all;
	votequorum_handle_t h;
	int values[] = { 0, 2, -1 };
	unsigned i;
	if (!load_abi11())
		return;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char what[32];
		int raw = values[i];
		memcpy(&model.model, &raw, sizeof(raw));
		snprintf(what, sizeof(what), "model %d", raw);
		h = m11_open(&model, what);
		if (h)
			CALL(votequorum_finalize(h));
	}
}

static void m11_model_null_callbacks(void)
{
	votequorum_model_v1_data_t none;
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	memset(&none, 0, sizeof(none));
	none.model = VOTEQUORUM_MODEL_V1;
	h = m11_open(&none, "V1, no callbacks");
	CALL(votequorum_trackstart(h, 11, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_finalize(h));
	h = m11_open(NULL, "NULL");
	CALL(votequorum_trackstart(h, 12, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(h, CS_DISPATCH_ALL));
	CALL(votequorum_finalize(h));
}

static void m11_set_without_qdevice(void)
{
	votequorum_handle_t h;
	if (!load_abi11())
		return;
	h = m11_open(&m11_all, "V1");
	CALL(m11_set(h, 5, "hello"));
	CALL(m11_set(h, 0, NULL));
	CALL(m11_set(h, 4097, "x"));
	CALL(m11_set(0, 5, "hello"));
	m11_show_get(h, 1);
	CALL(votequorum_finalize(h));
}

static void m11_set_sizes(void)
{
	static char big[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE + 1];
	votequorum_handle_t q, t;
	unsigned i;
	if (!load_abi11())
		return;
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('A' + i % 26);
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 20, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 0, "ignored"));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 4096, big));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 4097, big));
	CALL(m11_set(q, 5, NULL));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(m11_set(q, 3, "\001\002\377"));
	m11_next(t);
	m11_show_get(q, 1);
	CALL(votequorum_dispatch(t, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_get(void)
{
	char buf[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	uint32_t size = 0;
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 30, CS_TRACK_CHANGES_ONLY));
	printf("-- before any extra info\n");
	m11_show_get(q, 1);
	m11_show_get(q, 77);
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 3, "abc"));
	m11_next(t);
	printf("-- node 1 has extra info\n");
	m11_show_get(q, 1);
	m11_show_get(q, 77);
	m11_show_get(q, 0xffffffffu);
	CALL(m11_get_ei(q, 1, NULL, buf));
	CALL(m11_get_ei(q, 1, &size, NULL));
	CALL(m11_get_ei(0, 1, &size, buf));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_notify_trackers(void)
{
	votequorum_handle_t q, a, b, c;
	if (!load_abi11())
		return;
	a = m11_open(&m11_all, "V1, with an extra-info callback");
	b = m11_open_old();
	c = m11_open(&m11_no_extra, "V1, no extra-info callback");
	q = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(a, 1, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_trackstart(b, 2, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_trackstart(c, 3, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 5, "hello"));
	printf("-- each tracker gets one notification; only h1 has a callback for it\n");
	m11_next(a);
	m11_next(b);
	m11_next(c);
	CALL(votequorum_dispatch(a, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(b, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_dispatch(c, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(m11_set(q, 0, NULL));
	m11_next(a);
	m11_next(b);
	m11_next(c);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(a);
	CALL(votequorum_finalize(q));
	CALL(votequorum_finalize(c));
	CALL(votequorum_finalize(b));
	CALL(votequorum_finalize(a));
}

static void m11_trackstart_replay(void)
{
	votequorum_handle_t q, t, n, o, m;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 40, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 8, "replayed"));
	m11_next(t);
	printf("-- a new tracker gets nodelist, quorum, then the extra info\n");
	n = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(n, 41, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(n, CS_DISPATCH_ALL));
	printf("-- and again with a second trackstart (refused, but replayed)\n");
	CALL(votequorum_trackstart(n, 42, CS_TRACK_CURRENT | CS_TRACK_CHANGES));
	CALL(votequorum_dispatch(n, CS_DISPATCH_ALL));
	printf("-- an old initialize tracker: the extra info is consumed unseen\n");
	o = m11_open_old();
	CALL(votequorum_trackstart(o, 43, CS_TRACK_CURRENT));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE));
	CALL(votequorum_dispatch(o, CS_DISPATCH_ONE_NONBLOCKING));
	printf("-- CHANGES_ONLY replays nothing\n");
	m = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(m, 44, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_dispatch(m, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	CALL(votequorum_finalize(m));
	CALL(votequorum_finalize(o));
	CALL(votequorum_finalize(n));
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_unregister_clears(void)
{
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 50, CS_TRACK_CHANGES_ONLY));
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 3, "bye"));
	m11_next(t);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	m11_next(t);
	m11_show_get(q, 1);
	printf("-- unregistering with nothing set\n");
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	CALL(m11_set(q, 2, "no"));
	/* the daemon announces the cleared (empty) extra info even so; it may
	 * come after the replies under load, so wait for it (bounded) */
	m11_next(t);
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

static void m11_getinfo_flag(void)
{
	votequorum_handle_t q, t;
	if (!load_abi11())
		return;
	q = m11_open(&m11_all, "V1");
	t = m11_open(&m11_all, "V1");
	CALL(votequorum_trackstart(t, 60, CS_TRACK_CHANGES_ONLY));
	m11_show_flag(q);
	CALL(votequorum_qdevice_register(q, "Qdev"));
	CALL(m11_set(q, 4, "flag"));
	m11_next(t);
	m11_show_flag(q);
	CALL(m11_set(q, 0, NULL));
	m11_next(t);
	m11_show_flag(q);
	CALL(votequorum_qdevice_unregister(q, "Qdev"));
	CALL(votequorum_finalize(t));
	CALL(votequorum_finalize(q));
}

const struct scenario vq_abi11_scenarios[] = {
	{ "abi11_on_corosync_3_1", "debian", "debian", abi11_calls, 10 },
	{ "fake_abi11", "fake:abi11", BOTH_DAEMONS, abi11_calls, 10 },
	{ "m11_model_initialize", "mainline", MAINLINE_AND_FAKE, m11_model_initialize, 10 },
	{ "m11_model_other_value", "mainline", MAINLINE_AND_FAKE, m11_model_other_value, 10 },
	{ "m11_model_null_callbacks", "mainline", MAINLINE_AND_FAKE, m11_model_null_callbacks, 10 },
	{ "m11_set_without_qdevice", "mainline", MAINLINE_AND_FAKE, m11_set_without_qdevice, 10 },
	{ "m11_set_sizes", "mainline", MAINLINE_AND_FAKE, m11_set_sizes, 10 },
	{ "m11_get", "mainline", MAINLINE_AND_FAKE, m11_get, 10 },
	{ "m11_notify_trackers", "mainline", MAINLINE_AND_FAKE, m11_notify_trackers, 10 },
	{ "m11_trackstart_replay", "mainline", MAINLINE_AND_FAKE, m11_trackstart_replay, 10 },
	{ "m11_unregister_clears", "mainline", MAINLINE_AND_FAKE, m11_unregister_clears, 10 },
	{ "m11_getinfo_flag", "mainline", MAINLINE_AND_FAKE, m11_getinfo_flag, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
