/*
 * A cmap client that prints what every call returned and every callback
 * saw, run against a private corosync once on Debian's libcmap4 and once on
 * ours (cmapctl_compare.sh): values of every type, get with and without a
 * buffer, get_string, inc/dec, delete, an iterator over a prefix, the stats
 * map, and tracks of a key and of a prefix (user data, old and new values,
 * a track deleted from inside its own callback). Only what the reference
 * survives is asked: no NULL pointers.
 */
#include <corosync/cmap.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cmap_track_handle_t key_track, prefix_track;
static int delete_in_callback;
static const char *user_key = "key-track", *user_prefix = "prefix-track";

#define SHOW(name, call) printf("%-40s %d\n", name, (int)(call))

static void print_value(const struct cmap_notify_value *v)
{
	printf(" type=%d len=%zu", (int)v->type, v->len);
	if (v->type == CMAP_VALUETYPE_STRING && v->len > 0) {
		printf(" \"%.*s\"", (int)v->len - 1, (const char *)v->data);
	} else if (v->type == CMAP_VALUETYPE_UINT32 && v->len == 4) {
		uint32_t u;
		memcpy(&u, v->data, 4);
		printf(" %" PRIu32, u);
	}
}

static void on_notify(cmap_handle_t handle, cmap_track_handle_t track, int32_t event, const char *key,
	struct cmap_notify_value new_value, struct cmap_notify_value old_value, void *user_data)
{
	(void)handle;
	printf("  notify %s track=%s event=%d key=%s new:", (const char *)user_data,
		track == key_track ? "key" : track == prefix_track ? "prefix" : "?", (int)event, key);
	print_value(&new_value);
	printf(" old:");
	print_value(&old_value);
	printf("\n");
	if (delete_in_callback && track == key_track) {
		printf("  delete own track: %d\n", (int)cmap_track_delete(handle, track));
		delete_in_callback = 0;
	}
}

int main(void)
{
	cmap_handle_t h, stats;
	cmap_iter_handle_t iter;
	char key[CMAP_KEYNAME_MAXLEN + 1], too_long[CMAP_KEYNAME_MAXLEN + 2], buf[64], *str = NULL;
	size_t len;
	cmap_value_types_t type;
	int8_t i8;
	uint8_t u8;
	int16_t i16;
	uint16_t u16;
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	uint64_t u64;
	float flt;
	double dbl;
	const unsigned char blob[] = {1, 0, 2, 0xff};
	cs_error_t err;

	memset(too_long, 'k', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = cmap_initialize(&h);
	SHOW("initialize", err);
	if (err != CS_OK) {
		return 1;
	}
	SHOW("track_add walk.a (key)", cmap_track_add(h, "walk.a", CMAP_TRACK_ADD | CMAP_TRACK_MODIFY | CMAP_TRACK_DELETE,
		on_notify, (void *)user_key, &key_track));
	SHOW("track_add walk. (prefix)", cmap_track_add(h, "walk.", CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_PREFIX,
		on_notify, (void *)user_prefix, &prefix_track));

	SHOW("set_int8", cmap_set_int8(h, "walk.i8", -8));
	SHOW("set_uint8", cmap_set_uint8(h, "walk.u8", 200));
	SHOW("set_int16", cmap_set_int16(h, "walk.i16", -1600));
	SHOW("set_uint16", cmap_set_uint16(h, "walk.u16", 60000));
	SHOW("set_int32", cmap_set_int32(h, "walk.i32", -320000));
	SHOW("set_uint32", cmap_set_uint32(h, "walk.a", 7));
	SHOW("set_uint32 again", cmap_set_uint32(h, "walk.a", 8));
	SHOW("set_int64", cmap_set_int64(h, "walk.i64", -6400000000LL));
	SHOW("set_uint64", cmap_set_uint64(h, "walk.u64", 0xfedcba9876543210ULL));
	SHOW("set_float", cmap_set_float(h, "walk.flt", 1.5f));
	SHOW("set_double", cmap_set_double(h, "walk.dbl", -2.25));
	SHOW("set_string", cmap_set_string(h, "walk.str", "hello"));
	SHOW("set binary", cmap_set(h, "walk.bin", blob, sizeof blob, CMAP_VALUETYPE_BINARY));
	SHOW("set too long a key", cmap_set_uint8(h, too_long, 1));
	SHOW("set a read-only key", cmap_set_uint32(h, "runtime.config.totem.token", 1));
	SHOW("set a 1-byte key", cmap_set_uint8(h, "x", 1));
	SHOW("set u32 of 3 bytes", cmap_set(h, "walk.bad", "abc", 3, CMAP_VALUETYPE_UINT32));
	SHOW("dispatch all", cmap_dispatch(h, CS_DISPATCH_ALL));

	SHOW("get_int8", cmap_get_int8(h, "walk.i8", &i8));
	SHOW("get_uint8", cmap_get_uint8(h, "walk.u8", &u8));
	SHOW("get_int16", cmap_get_int16(h, "walk.i16", &i16));
	SHOW("get_uint16", cmap_get_uint16(h, "walk.u16", &u16));
	SHOW("get_int32", cmap_get_int32(h, "walk.i32", &i32));
	SHOW("get_uint32", cmap_get_uint32(h, "walk.a", &u32));
	SHOW("get_int64", cmap_get_int64(h, "walk.i64", &i64));
	SHOW("get_uint64", cmap_get_uint64(h, "walk.u64", &u64));
	SHOW("get_float", cmap_get_float(h, "walk.flt", &flt));
	SHOW("get_double", cmap_get_double(h, "walk.dbl", &dbl));
	printf("values: %d %u %d %u %d %" PRIu32 " %" PRId64 " %" PRIx64 " %g %g\n", i8, u8, i16, u16, i32, u32, i64, u64,
		(double)flt, dbl);
	SHOW("get_uint32 of an int32", cmap_get_uint32(h, "walk.i32", &u32));
	SHOW("get_uint32 of a string", cmap_get_uint32(h, "walk.str", &u32));
	SHOW("get_uint32 of no key", cmap_get_uint32(h, "walk.none", &u32));
	len = 0;
	SHOW("get without a buffer", cmap_get(h, "walk.bin", NULL, &len, &type));
	printf("  len=%zu type=%d\n", len, (int)type);
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	SHOW("get with a buffer", cmap_get(h, "walk.bin", buf, &len, &type));
	printf("  len=%zu type=%d bytes=%02x%02x%02x%02x\n", len, (int)type, (unsigned char)buf[0], (unsigned char)buf[1],
		(unsigned char)buf[2], (unsigned char)buf[3]);
	len = 2;
	SHOW("get with too small a buffer", cmap_get(h, "walk.bin", buf, &len, &type));
	SHOW("get, existence only", cmap_get(h, "walk.str", NULL, NULL, NULL));
	SHOW("get too long a key", cmap_get(h, too_long, NULL, NULL, NULL));
	err = cmap_get_string(h, "walk.str", &str);
	SHOW("get_string", err);
	if (err == CS_OK) {
		printf("  \"%s\"\n", str);
		free(str);
	}
	SHOW("get_string of a number", cmap_get_string(h, "walk.a", &str));
	SHOW("inc", cmap_inc(h, "walk.a"));
	SHOW("inc", cmap_inc(h, "walk.a"));
	SHOW("dec", cmap_dec(h, "walk.a"));
	SHOW("inc of a string", cmap_inc(h, "walk.str"));
	SHOW("inc of no key", cmap_inc(h, "walk.none"));
	SHOW("get_uint32", cmap_get_uint32(h, "walk.a", &u32));
	printf("  %" PRIu32 "\n", u32);
	SHOW("dispatch all", cmap_dispatch(h, CS_DISPATCH_ALL));

	SHOW("iter_init walk.", cmap_iter_init(h, "walk.", &iter));
	while ((err = cmap_iter_next(h, iter, key, &len, &type)) == CS_OK) {
		printf("  %s len=%zu type=%d\n", key, len, (int)type);
	}
	SHOW("iter_next at the end", err);
	SHOW("iter_finalize", cmap_iter_finalize(h, iter));
	SHOW("iter_next after finalize", cmap_iter_next(h, iter, key, &len, &type));
	SHOW("iter_init of no key", cmap_iter_init(h, "walk.none.", &iter));
	SHOW("iter_next", cmap_iter_next(h, iter, key, &len, &type));
	SHOW("iter_finalize", cmap_iter_finalize(h, iter));

	delete_in_callback = 1;
	SHOW("set_uint32 (deletes its track)", cmap_set_uint32(h, "walk.a", 100));
	SHOW("set_uint32 (track deleted)", cmap_set_uint32(h, "walk.a", 101));
	SHOW("dispatch all", cmap_dispatch(h, CS_DISPATCH_ALL));
	SHOW("track_delete (already deleted)", cmap_track_delete(h, key_track));
	SHOW("delete", cmap_delete(h, "walk.a"));
	SHOW("delete again", cmap_delete(h, "walk.a"));
	SHOW("delete walk.str", cmap_delete(h, "walk.str"));
	SHOW("dispatch all", cmap_dispatch(h, CS_DISPATCH_ALL));
	SHOW("track_delete prefix", cmap_track_delete(h, prefix_track));
	SHOW("track_delete of no track", cmap_track_delete(h, 0x1234567));

	SHOW("initialize_map stats", cmap_initialize_map(&stats, CMAP_MAP_STATS));
	SHOW("stats: get_uint64 global active", cmap_get_uint64(stats, "stats.ipcs.global.active", &u64));
	SHOW("stats: get of a config key", cmap_get(stats, "totem.cluster_name", NULL, NULL, NULL));
	SHOW("stats: iter_init stats.ipcs.global", cmap_iter_init(stats, "stats.ipcs.global", &iter));
	while ((err = cmap_iter_next(stats, iter, key, &len, &type)) == CS_OK) {
		printf("  %s type=%d\n", key, (int)type);
	}
	SHOW("stats: iter_next at the end", err);
	SHOW("stats: iter_finalize", cmap_iter_finalize(stats, iter));
	SHOW("stats: finalize", cmap_finalize(stats));

	SHOW("finalize", cmap_finalize(h));
	SHOW("finalize again", cmap_finalize(h));
	SHOW("get after finalize", cmap_get_uint32(h, "walk.a", &u32));
	return 0;
}
