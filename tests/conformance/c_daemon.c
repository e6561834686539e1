/*
 * cmap scenarios against the real corosync (a private one per run,
 * Debian's or the main line's): initialize and finalize, set and get of
 * every value type (with and without a buffer, get_string, the typed
 * getters of the right and the wrong type), inc/dec, delete, iterators
 * over a prefix, the stats map, contexts, the fd, tracks of a key and of a
 * prefix (changes from another handle and from another process), their
 * deletion, finalize inside a callback, the dispatch modes.
 */
#include "cmap_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_initialize(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	printf("-- two handles differ: %s\n", h1 != h2 ? "yes" : "no");
	show_get(h1, "totem.cluster_name", 64);
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h1));
	show_get(h2, "totem.cluster_name", 64);
	CALL(cmap_finalize(h2));
}

/* Every type, by its setter and by cmap_set. */
static void set_every_type(cmap_handle_t h)
{
	static const unsigned char blob[] = { 1, 0, 2, 0xff, 0x80 };
	int64_t i64 = -6400000000LL;
	CALL(cmap_set_int8(h, "test.i8", -8));
	CALL(cmap_set_uint8(h, "test.u8", 200));
	CALL(cmap_set_int16(h, "test.i16", -1600));
	CALL(cmap_set_uint16(h, "test.u16", 60000));
	CALL(cmap_set_int32(h, "test.i32", -320000));
	CALL(cmap_set_uint32(h, "test.u32", 4000000000U));
	CALL(cmap_set_int64(h, "test.i64", -6400000000LL));
	CALL(cmap_set_uint64(h, "test.u64", 0xfedcba9876543210ULL));
	CALL(cmap_set_float(h, "test.flt", 1.5f));
	CALL(cmap_set_double(h, "test.dbl", -2.25));
	CALL(cmap_set_string(h, "test.str", "hello"));
	CALL(cmap_set(h, "test.bin", blob, sizeof blob, CMAP_VALUETYPE_BINARY));
	CALL(cmap_set(h, "test.gen_i64", &i64, sizeof i64, CMAP_VALUETYPE_INT64));
	CALL(cmap_set(h, "test.gen_str", "abc", 4, CMAP_VALUETYPE_STRING));
	CALL(cmap_set(h, "test.gen_str_nonul", "abcdef", 3, CMAP_VALUETYPE_STRING));
}

static const char *const every_key[] = { "test.i8", "test.u8", "test.i16", "test.u16", "test.i32", "test.u32",
	"test.i64", "test.u64", "test.flt", "test.dbl", "test.str", "test.bin", "test.gen_i64", "test.gen_str",
	"test.gen_str_nonul", NULL };

static void s_set_every_type(void)
{
	cmap_handle_t h = open_cmap();
	set_every_type(h);
	printf("-- the same values again\n");
	set_every_type(h);
	show_iter(h, "test.");
	CALL(cmap_finalize(h));
}

static void s_set_errors(void)
{
	cmap_handle_t h = open_cmap();
	uint32_t u32 = 5;
	uint64_t u64 = 5;
	CALL(cmap_set(h, "test.short", "abc", 3, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(h, "test.long", &u64, sizeof u64, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(h, "test.zero", &u32, 0, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set(h, "test.zero_bin", &u32, 0, CMAP_VALUETYPE_BINARY));
	CALL(cmap_set(h, "test.str_too_long", "ab", 5, CMAP_VALUETYPE_STRING));
	CALL(cmap_set_uint32(h, "runtime.config.totem.token", 1));
	CALL(cmap_set_uint32(h, "x", 1));
	CALL(cmap_set_uint32(h, "ab", 1));
	CALL(cmap_set_uint32(h, "abc", 1));
	CALL(cmap_set_uint32(h, "test.with space", 1));
	CALL(cmap_set_uint32(h, "test.a", 1));
	printf("-- a key of another type\n");
	CALL(cmap_set_string(h, "test.a", "now a string"));
	show_get(h, "test.a", 64);
	show_iter(h, "test.");
	CALL(cmap_finalize(h));
}

static void s_key_lengths(void)
{
	cmap_handle_t h = open_cmap();
	char key[300];
	static const size_t lengths[] = { 254, 255, 256, 257 };
	unsigned i;
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		memset(key, 'k', sizeof key);
		memcpy(key, "test.", 5);
		key[lengths[i]] = 0;
		printf("-- a key of %zu bytes\n", lengths[i]);
		CALL(cmap_set_uint8(h, key, 1));
		CALL(cmap_get(h, key, NULL, NULL, NULL));
		CALL(cmap_inc(h, key));
		CALL(cmap_delete(h, key));
	}
	CALL(cmap_finalize(h));
}

/* The daemon keeps at most 16384 bytes of a value (ICMAP_MAX_VALUE_LEN);
 * a string of exactly 16384 characters is string_largest's. */
static void s_value_sizes(void)
{
	static const size_t sizes[] = { 16383, 16385, 65536, 65537 };
	cmap_handle_t h = open_cmap();
	char *big = malloc(70000);
	unsigned i;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(big, 'v', 70000);
		printf("-- a binary value of %zu bytes\n", sizes[i]);
		CALL(cmap_set(h, "test.bin", big, sizes[i], CMAP_VALUETYPE_BINARY));
		show_type_len(h, "test.bin");
		big[sizes[i]] = 0;
		printf("-- a string of %zu characters\n", sizes[i]);
		CALL(cmap_set_string(h, "test.str", big));
		show_type_len(h, "test.str");
	}
	free(big);
	CALL(cmap_finalize(h));
}

/* A string of 16384 characters: its bytes without the NUL are the daemon's
 * largest value, and the daemon stores it with its NUL (16385 bytes). */
static void s_string_largest(void)
{
	cmap_handle_t h = open_cmap();
	char *big = malloc(16385);
	memset(big, 'v', 16384);
	big[16384] = 0;
	CALL(cmap_set_string(h, "test.str", big));
	show_type_len(h, "test.str");
	big[16383] = 0;
	CALL(cmap_set_string(h, "test.str", big));
	show_type_len(h, "test.str");
	free(big);
	CALL(cmap_finalize(h));
}

/* Values of the daemon's largest size: set, read back whole and into too
 * small a buffer, and tracked (a notification with two 16 KiB values). */
static void print_big(const char *what, int err, size_t len, const unsigned char *b)
{
	printf("%s = %s", what, err_name(err));
	if (err == CS_OK)
		printf(", len=%zu first=%02x last=%02x", len, b[0], len ? b[len - 1] : 0);
	printf("\n");
}

static void notify_big(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value nv, struct cmap_notify_value ov, void *u)
{
	const unsigned char *n = nv.data, *o = ov.data;
	(void)h;
	printf("  callback notify(%s, %s, \"%s\", user_data=%s) event=%d new: %s len=%zu", hname(h), tname(t), key,
		u == udata_key ? "udata_key" : "other", (int)event, type_name(nv.type), nv.len);
	if (nv.len)
		printf(" first=%02x last=%02x", n[0], n[nv.len - 1]);
	printf(" old: %s len=%zu", type_name(ov.type), ov.len);
	if (ov.len)
		printf(" first=%02x last=%02x", o[0], o[ov.len - 1]);
	printf("\n");
}

static void s_large_values(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	unsigned char *big = malloc(16384), *got = malloc(20000);
	char *s = NULL;
	size_t len, i;
	cmap_value_types_t type;
	int err;
	for (i = 0; i < 16384; i++)
		big[i] = (unsigned char)(i * 7 + 1);
	add_track(h1, "test.big", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key, notify_big);
	CALL(cmap_set(h2, "test.big", big, 16384, CMAP_VALUETYPE_BINARY));
	big[0] = 0xaa;
	big[16383] = 0xbb;
	CALL(cmap_set(h2, "test.big", big, 16384, CMAP_VALUETYPE_BINARY));
	CALL(cmap_delete(h2, "test.big"));
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_set(h2, "test.big", big, 16384, CMAP_VALUETYPE_BINARY));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	len = 20000;
	err = cmap_get(h1, "test.big", got, &len, &type);
	print_big("cmap_get(h1, \"test.big\", buf, &len=20000, &type)", err, len, got);
	len = 16384;
	err = cmap_get(h1, "test.big", got, &len, &type);
	print_big("cmap_get(h1, \"test.big\", buf, &len=16384, &type)", err, len, got);
	printf("  same bytes as set: %s\n", err == CS_OK && memcmp(got, big, 16384) == 0 ? "yes" : "no");
	len = 16383;
	err = cmap_get(h1, "test.big", got, &len, &type);
	print_big("cmap_get(h1, \"test.big\", buf, &len=16383, &type)", err, len, got);
	memset(big, 'w', 16383);
	big[16383] = 0;
	CALL(cmap_set_string(h2, "test.bigstr", (char *)big));
	err = cmap_get_string(h1, "test.bigstr", &s);
	printf("cmap_get_string(h1, \"test.bigstr\", &s) = %s", err_name(err));
	if (err == CS_OK) {
		printf(", strlen=%zu equal: %s", strlen(s), strcmp(s, (char *)big) == 0 ? "yes" : "no");
		free(s);
	}
	printf("\n");
	show_iter(h1, "test.big");
	free(big);
	free(got);
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_get_every_type(void)
{
	cmap_handle_t h = open_cmap();
	const char *const *k;
	set_every_type(h);
	for (k = every_key; *k; k++) {
		show_get(h, *k, 0);
		show_get(h, *k, 64);
		show_exists(h, *k);
	}
	show_get(h, "totem.cluster_name", 64);
	show_get(h, "nodelist.node.0.ring0_addr", 64);
	show_get(h, "totem.no_such_key", 64);
	show_get(h, "totem.no_such_key", 0);
	show_exists(h, "totem.no_such_key");
	CALL(cmap_finalize(h));
}

static void s_get_buffer_sizes(void)
{
	cmap_handle_t h = open_cmap();
	size_t room;
	CALL(cmap_set_string(h, "test.str", "hello"));
	CALL(cmap_set_uint64(h, "test.u64", 42));
	for (room = 1; room <= 9; room++) {
		show_get(h, "test.str", room);
		show_get(h, "test.u64", room);
	}
	{
		size_t len = 0;
		cmap_value_types_t type = (cmap_value_types_t)77;
		char buf[8] = "zzzzzzz";
		printf("-- value NULL with a length: the length and type only\n");
		len = 3;
		CALL(cmap_get(h, "test.str", NULL, &len, &type));
		printf("  len=%zu type=%s\n", len, type_name(type));
		printf("-- a buffer and a length, NULL type\n");
		len = sizeof buf;
		CALL(cmap_get(h, "test.str", buf, &len, NULL));
		printf("  len=%zu buf=\"%s\"\n", len, buf);
		printf("-- NULL value and length, a type\n");
		CALL(cmap_get(h, "test.u64", NULL, NULL, &type));
		printf("  type=%s\n", type_name(type));
	}
	CALL(cmap_finalize(h));
}

static void s_get_string(void)
{
	cmap_handle_t h = open_cmap();
	CALL(cmap_set_string(h, "test.str", "hello"));
	CALL(cmap_set_string(h, "test.empty", ""));
	CALL(cmap_set(h, "test.bin", "bin\0ary", 7, CMAP_VALUETYPE_BINARY));
	CALL(cmap_set_uint32(h, "test.u32", 7));
	show_get_string(h, "test.str");
	show_get_string(h, "test.empty");
	show_get_string(h, "totem.cluster_name");
	show_get_string(h, "test.bin");
	show_get_string(h, "test.u32");
	show_get_string(h, "test.none");
	CALL(cmap_finalize(h));
}

static void s_typed_getters(void)
{
	cmap_handle_t h = open_cmap();
	const char *const *k;
	set_every_type(h);
	CALL(cmap_set_string(h, "test.long_str", "a string longer than sixteen bytes"));
	for (k = every_key; *k; k++) {
		printf("-- %s\n", *k);
		show_typed_getters(h, *k);
	}
	printf("-- test.long_str\n");
	show_typed_getters(h, "test.long_str");
	printf("-- test.none\n");
	show_typed_getters(h, "test.none");
	CALL(cmap_finalize(h));
}

static void s_inc_dec(void)
{
	static const char *const keys[] = { "test.i8", "test.u8", "test.i16", "test.u16", "test.i32", "test.u32",
		"test.i64", "test.u64", "test.flt", "test.dbl", "test.str", "test.bin", "test.none", NULL };
	cmap_handle_t h = open_cmap();
	const char *const *k;
	set_every_type(h);
	CALL(cmap_set_uint8(h, "test.u8", 255));
	CALL(cmap_set_int8(h, "test.i8", -128));
	for (k = keys; *k; k++) {
		printf("-- %s\n", *k);
		CALL(cmap_inc(h, *k));
		show_get(h, *k, 64);
		CALL(cmap_dec(h, *k));
		CALL(cmap_dec(h, *k));
		show_get(h, *k, 64);
	}
	CALL(cmap_finalize(h));
}

static void s_delete(void)
{
	cmap_handle_t h = open_cmap();
	CALL(cmap_set_uint32(h, "test.a", 1));
	CALL(cmap_set_uint32(h, "test.a.b", 2));
	CALL(cmap_delete(h, "test.a"));
	show_exists(h, "test.a");
	show_exists(h, "test.a.b");
	CALL(cmap_delete(h, "test.a"));
	CALL(cmap_delete(h, "test.none"));
	CALL(cmap_delete(h, "test."));
	CALL(cmap_delete(h, "runtime.config.totem.token"));
	show_type_len(h, "runtime.config.totem.token");
	CALL(cmap_delete(h, "totem.cluster_name"));
	show_exists(h, "totem.cluster_name");
	show_iter(h, "test.");
	CALL(cmap_finalize(h));
}

static void s_iter(void)
{
	cmap_handle_t h = open_cmap();
	set_every_type(h);
	CALL(cmap_set_uint8(h, "testx", 1));
	show_iter(h, "test.");
	show_iter(h, "test.u");
	show_iter(h, "totem.");
	show_iter(h, "nodelist.");
	show_iter(h, "no.such.prefix.");
	show_iter(h, "");
	{
		cmap_iter_handle_t it1 = 0, it2 = 0;
		char key[CMAP_KEYNAME_MAXLEN + 1];
		size_t len;
		cmap_value_types_t type;
		printf("-- two iterators at once, a key deleted between\n");
		CALL(cmap_iter_init(h, "test.u", &it1));
		CALL(cmap_iter_init(h, "test.i", &it2));
		printf("  iterators differ: %s\n", it1 != it2 ? "yes" : "no");
		CALL(cmap_iter_next(h, it1, key, &len, &type));
		printf("  %s\n", key);
		CALL(cmap_delete(h, "test.u64"));
		while (cmap_iter_next(h, it1, key, &len, &type) == CS_OK)
			printf("  it1: %s %s len=%zu\n", key, type_name(type), len);
		while (cmap_iter_next(h, it2, key, &len, &type) == CS_OK)
			printf("  it2: %s %s len=%zu\n", key, type_name(type), len);
		printf("-- NULL length and type\n");
		CALL(cmap_iter_finalize(h, it1));
		CALL(cmap_iter_init(h, "test.u", &it1));
		CALL(cmap_iter_next(h, it1, key, NULL, NULL));
		printf("  %s\n", key);
		CALL(cmap_iter_finalize(h, it1));
		CALL(cmap_iter_finalize(h, it2));
		CALL(cmap_iter_next(h, 0, key, &len, &type));
		CALL(cmap_iter_next(h, 0xdeadbeefULL, key, &len, &type));
		CALL(cmap_iter_finalize(h, 0xdeadbeefULL));
	}
	{
		/* Every key: the set varies (runtime.*); the totem. keys do not. */
		cmap_iter_handle_t it = 0;
		char key[CMAP_KEYNAME_MAXLEN + 1];
		size_t len;
		cmap_value_types_t type;
		int totem = 0, test = 0, err;
		CALL(cmap_iter_init(h, NULL, &it));
		while ((err = cmap_iter_next(h, it, key, &len, &type)) == CS_OK) {
			totem += strncmp(key, "totem.", 6) == 0;
			test += strncmp(key, "test.", 5) == 0;
		}
		printf("  every key: %d under totem., %d under test., then %s\n", totem, test, err_name(err));
		CALL(cmap_iter_finalize(h, it));
	}
	CALL(cmap_finalize(h));
}

static void s_stats_map(void)
{
	cmap_handle_t s = open_cmap_map(CMAP_MAP_STATS, "CMAP_MAP_STATS");
	cmap_handle_t d = open_cmap_map(CMAP_MAP_DEFAULT, "CMAP_MAP_DEFAULT");
	cmap_iter_handle_t it = 0;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t len;
	cmap_value_types_t type;
	int n = 0, err;
	show_type_len(s, "stats.ipcs.global.active");
	show_type_len(s, "stats.srp.orf_token_tx");
	show_type_len(s, "stats.srp.members");
	show_exists(s, "totem.cluster_name");
	show_exists(d, "totem.cluster_name");
	show_exists(d, "stats.srp.orf_token_tx");
	CALL(cmap_iter_init(s, "stats.srp.", &it));
	while ((err = cmap_iter_next(s, it, key, &len, &type)) == CS_OK) {
		n++;
		printf("  %s %s len=%zu\n", key, type_name(type), len);
	}
	printf("  cmap_iter_next after %d keys = %s\n", n, err_name(err));
	CALL(cmap_iter_finalize(s, it));
	CALL(cmap_set_uint32(s, "stats.srp.orf_token_tx", 1));
	CALL(cmap_set_uint32(s, "test.a", 1));
	CALL(cmap_delete(s, "stats.srp.orf_token_tx"));
	CALL(cmap_inc(s, "stats.srp.orf_token_tx"));
	show_exists(s, "test.a");
	show_exists(d, "test.a");
	CALL(cmap_finalize(s));
	CALL(cmap_finalize(d));
}

static void s_initialize_map_other(void)
{
	cmap_handle_t h;
	h = open_cmap_map(2, "map 2");
	if (h)
		CALL(cmap_finalize(h));
	h = open_cmap_map(-1, "map -1");
	if (h)
		CALL(cmap_finalize(h));
	h = open_cmap();
	show_exists(h, "totem.cluster_name");
	CALL(cmap_finalize(h));
}

static void s_context(void)
{
	const void *got = &got;
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	CALL(cmap_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == NULL ? "NULL" : "set");
	CALL(cmap_context_set(h1, &ctx_a));
	CALL(cmap_context_set(h2, &ctx_b));
	CALL(cmap_context_get(h1, &got));
	printf("  context of h1 is %s\n", got == &ctx_a ? "&ctx_a" : "something else");
	CALL(cmap_context_get(h2, &got));
	printf("  context of h2 is %s\n", got == &ctx_b ? "&ctx_b" : "something else");
	CALL(cmap_context_set(h2, NULL));
	CALL(cmap_context_get(h2, &got));
	printf("  context of h2 is %s\n", got == NULL ? "NULL" : "set");
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_fd(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	int fd1 = -1, fd2 = -1;
	CALL(cmap_fd_get(h1, &fd1));
	CALL(cmap_fd_get(h2, &fd2));
	printf("  fds valid and different: %s\n", fd1 >= 0 && fd2 >= 0 && fd1 != fd2 ? "yes" : "no");
	show_cmap_fd(h1);
	add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key, on_notify);
	show_cmap_fd(h1);
	CALL(cmap_set_uint32(h2, "test.a", 1));
	wait_cmap_fd(h1);
	show_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE));
	show_cmap_fd(h1);
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

/* The changes a track sees: made on another handle h2. */
static void changes_on(cmap_handle_t h2, const char *key)
{
	char other[128];
	snprintf(other, sizeof other, "%sx", key);
	CALL(cmap_set_uint32(h2, key, 1));
	CALL(cmap_set_uint32(h2, key, 1));
	CALL(cmap_set_uint32(h2, key, 2));
	CALL(cmap_set_string(h2, key, "text"));
	CALL(cmap_inc(h2, other));
	CALL(cmap_set_uint8(h2, other, 9));
	CALL(cmap_delete(h2, key));
	CALL(cmap_delete(h2, other));
}

static void s_track_key(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key, on_notify);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	changes_on(h2, "test.a");
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_track_key_types(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	add_track(h1, "test.add", CMAP_TRACK_ADD, NULL, udata_key, on_notify);
	add_track(h1, "test.mod", CMAP_TRACK_MODIFY, NULL, udata_other, on_notify);
	add_track(h1, "test.del", CMAP_TRACK_DELETE, NULL, NULL, on_notify);
	add_track(h1, "test.none", 0, NULL, udata_other, on_notify);
	add_track(h1, NULL, CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_other, on_notify);
	changes_on(h2, "test.add");
	changes_on(h2, "test.mod");
	changes_on(h2, "test.del");
	changes_on(h2, "test.none");
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_track_prefix(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	add_track(h1, "test.", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE | CMAP_TRACK_PREFIX, NULL,
		udata_prefix, on_notify);
	add_track(h1, "test.a", CMAP_TRACK_MODIFY, NULL, udata_key, on_notify);
	changes_on(h2, "test.a");
	set_every_type(h2);
	CALL(cmap_set_uint32(h2, "testx", 1));
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_track_own_changes(void)
{
	cmap_handle_t h = open_cmap();
	add_track(h, "test.", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE | CMAP_TRACK_PREFIX, NULL,
		udata_prefix, on_notify);
	changes_on(h, "test.a");
	wait_cmap_fd(h);
	CALL(cmap_dispatch(h, CS_DISPATCH_ALL));
	CALL(cmap_finalize(h));
}

static void s_track_other_process(void)
{
	cmap_handle_t h = open_cmap();
	add_track(h, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key, on_notify);
	add_track(h, "test.", CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_PREFIX, NULL, udata_prefix, on_notify);
	other_process_set("test.a", 5);
	wait_cmap_fd(h);
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE));
	other_process_set("test.a", 6);
	wait_cmap_fd(h);
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE));
	other_process_set("test.a", -1);
	wait_cmap_fd(h);
	CALL(cmap_dispatch(h, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h));
}

static void s_track_delete(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	cmap_track_handle_t t1, t2, t3;
	t1 = add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key, on_notify);
	t2 = add_track(h1, "test.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, NULL, udata_prefix, on_notify);
	CALL(cmap_track_delete(h1, t1));
	CALL(cmap_track_delete(h1, t1));
	CALL(cmap_set_uint32(h2, "test.a", 1));
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	printf("-- a change queued, then its track deleted: nothing delivered\n");
	CALL(cmap_set_uint32(h2, "test.b", 1));
	wait_cmap_fd(h1);
	CALL(cmap_track_delete(h1, t2));
	show_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	printf("-- another handle's track, a made-up track\n");
	t3 = add_track(h2, "test.c", CMAP_TRACK_ADD, NULL, udata_other, on_notify);
	CALL(cmap_track_delete(h1, t3));
	CALL(cmap_track_delete(h1, 0));
	CALL(cmap_track_delete(h1, 0xdeadbeefULL));
	CALL(cmap_set_uint32(h1, "test.c", 1));
	wait_cmap_fd(h2);
	CALL(cmap_dispatch(h2, CS_DISPATCH_ALL));
	CALL(cmap_track_delete(h2, t3));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static cmap_track_handle_t self_deleting;
static void notify_delete_own(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value nv, struct cmap_notify_value ov, void *u)
{
	on_notify(h, t, event, key, nv, ov, u);
	if (t == self_deleting) {
		printf("  (inside the callback) ");
		CALL(cmap_track_delete(h, t));
	}
}

static void s_track_delete_in_callback(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	self_deleting = add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE, NULL, udata_key,
		notify_delete_own);
	CALL(cmap_set_uint32(h2, "test.a", 1));
	CALL(cmap_set_uint32(h2, "test.a", 2));
	CALL(cmap_delete(h2, "test.a"));
	wait_cmap_fd(h1);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void notify_finalize(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value nv, struct cmap_notify_value ov, void *u)
{
	on_notify(h, t, event, key, nv, ov, u);
	printf("  (inside the callback) ");
	CALL(cmap_finalize(h));
}

static void finalize_in_callback(cs_dispatch_flags_t mode, const char *mode_text)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	int err;
	add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, NULL, udata_key, notify_finalize);
	CALL(cmap_set_uint32(h2, "test.a", 1));
	CALL(cmap_set_uint32(h2, "test.a", 2));
	wait_cmap_fd(h1);
	err = cmap_dispatch(h1, mode);
	printf("cmap_dispatch(h1, %s) = %s\n", mode_text, err_name(err));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_finalize(h1));
	CALL(cmap_set_uint32(h2, "test.a", 3));
	show_get(h2, "test.a", 8);
	CALL(cmap_finalize(h2));
}

static void s_finalize_in_callback_all(void) { finalize_in_callback(CS_DISPATCH_ALL, "CS_DISPATCH_ALL"); }
static void s_finalize_in_callback_one(void) { finalize_in_callback(CS_DISPATCH_ONE, "CS_DISPATCH_ONE"); }
static void s_finalize_in_callback_blocking(void) { finalize_in_callback(CS_DISPATCH_BLOCKING, "CS_DISPATCH_BLOCKING"); }

static void s_dispatch_modes(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	int i;
	add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, NULL, udata_key, on_notify);
	printf("-- nothing queued\n");
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	for (i = 1; i <= 4; i++)
		CALL(cmap_set_uint32(h2, "test.a", (uint32_t)i));
	wait_cmap_fd(h1);
	printf("-- four queued\n");
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE_NONBLOCKING));
	printf("-- ONE waits for the next\n");
	other_process_set("test.a", 9);
	CALL(cmap_dispatch(h1, CS_DISPATCH_ONE));
	CALL(cmap_finalize(h1));
	CALL(cmap_finalize(h2));
}

static void s_two_handles_track_same_key(void)
{
	cmap_handle_t h1 = open_cmap();
	cmap_handle_t h2 = open_cmap();
	cmap_handle_t h3 = open_cmap();
	add_track(h1, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, NULL, udata_key, on_notify);
	add_track(h2, "test.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY, NULL, udata_other, on_notify);
	add_track(h1, "test.a", CMAP_TRACK_MODIFY, NULL, udata_other, on_notify);
	CALL(cmap_set_uint32(h3, "test.a", 1));
	CALL(cmap_set_uint32(h3, "test.a", 2));
	wait_cmap_fd(h1);
	wait_cmap_fd(h2);
	CALL(cmap_dispatch(h2, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h1, CS_DISPATCH_ALL));
	CALL(cmap_finalize(h1));
	CALL(cmap_set_uint32(h3, "test.a", 3));
	wait_cmap_fd(h2);
	CALL(cmap_dispatch(h2, CS_DISPATCH_ALL));
	CALL(cmap_finalize(h2));
	CALL(cmap_finalize(h3));
}

const struct scenario c_daemon_scenarios[] = {
	{ "initialize", "real", CMAP_PAIRS, s_initialize, 10 },
	{ "set_every_type", "real", CMAP_PAIRS, s_set_every_type, 10 },
	{ "set_errors", "real", CMAP_PAIRS, s_set_errors, 10 },
	{ "key_lengths", "real", CMAP_PAIRS, s_key_lengths, 10 },
	{ "value_sizes", "real", CMAP_PAIRS, s_value_sizes, 10 },
	{ "string_largest", "real", CMAP_PAIRS, s_string_largest, 10 },
	{ "large_values", "real", CMAP_PAIRS, s_large_values, 10 },
	{ "get_every_type", "real", CMAP_PAIRS, s_get_every_type, 10 },
	{ "get_buffer_sizes", "real", CMAP_PAIRS, s_get_buffer_sizes, 10 },
	{ "get_string", "real", CMAP_PAIRS, s_get_string, 10 },
	{ "typed_getters", "real", CMAP_PAIRS, s_typed_getters, 10 },
	{ "inc_dec", "real", CMAP_PAIRS, s_inc_dec, 10 },
	{ "delete", "real", CMAP_PAIRS, s_delete, 10 },
	{ "iter", "real", CMAP_PAIRS, s_iter, 10 },
	{ "stats_map", "real", CMAP_PAIRS, s_stats_map, 10 },
	{ "initialize_map_other", "real", CMAP_PAIRS, s_initialize_map_other, 10 },
	{ "context", "real", CMAP_PAIRS, s_context, 10 },
	{ "fd", "real", CMAP_PAIRS, s_fd, 10 },
	{ "track_key", "real", CMAP_PAIRS, s_track_key, 10 },
	{ "track_key_types", "real", CMAP_PAIRS, s_track_key_types, 10 },
	{ "track_prefix", "real", CMAP_PAIRS, s_track_prefix, 10 },
	{ "track_own_changes", "real", CMAP_PAIRS, s_track_own_changes, 10 },
	{ "track_other_process", "real", CMAP_PAIRS, s_track_other_process, 10 },
	{ "track_delete", "real", CMAP_PAIRS, s_track_delete, 10 },
	{ "track_delete_in_callback", "real", CMAP_PAIRS, s_track_delete_in_callback, 10 },
	{ "finalize_in_callback_all", "real", CMAP_PAIRS, s_finalize_in_callback_all, 10 },
	{ "finalize_in_callback_one", "real", CMAP_PAIRS, s_finalize_in_callback_one, 10 },
	{ "finalize_in_callback_blocking", "real", CMAP_PAIRS, s_finalize_in_callback_blocking, 10 },
	{ "dispatch_modes", "real", CMAP_PAIRS, s_dispatch_modes, 10 },
	{ "two_handles_track_same_key", "real", CMAP_PAIRS, s_two_handles_track_same_key, 10 },
	{ NULL, NULL, NULL, NULL, 0 },
};
