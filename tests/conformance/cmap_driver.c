/*
 * The cmap conformance driver: runs one named scenario through the cmap C
 * API (corosync's configuration and statistics map) and prints a
 * deterministic trace, as quorum_driver.c does for quorum (driver.h: the
 * command line, the table, the child process with its alarm, handles by
 * name). It is linked to Debian's libcmap4, so the same binary runs on the
 * reference and, with LD_LIBRARY_PATH, on ours; run.sh diffs the two traces.
 *
 *   cmap_driver SCENARIO   run one scenario
 *   cmap_driver --list     list scenarios as "NAME SERVER PAIRS" lines
 *   cmap_driver --which    print the file of the libcmap actually loaded
 */
#include "cmap_driver.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int ctx_a, ctx_b;
char udata_key[] = "udata_key", udata_prefix[] = "udata_prefix", udata_other[] = "udata_other";

const char *type_name(int type)
{
	static const char *names[] = { "0", "INT8", "UINT8", "INT16", "UINT16", "INT32", "UINT32", "INT64",
		"UINT64", "FLOAT", "DOUBLE", "STRING", "BINARY" };
	static char other[32];
	if (type >= 0 && type <= CMAP_VALUETYPE_BINARY)
		return names[type];
	snprintf(other, sizeof(other), "type(%d)", type);
	return other;
}

void print_value(int type, size_t len, const void *data)
{
	const unsigned char *b = data;
	size_t i;
	printf(" %s len=%zu", type_name(type), len);
	if (len == 0 || data == NULL)
		return;
	printf(" ");
#define NUM(T, fmt, cast)                                         \
	if (len == sizeof(T)) {                                   \
		T v;                                              \
		memcpy(&v, data, sizeof v);                       \
		printf(fmt, cast v);                              \
		return;                                           \
	}
	switch (type) {
	case CMAP_VALUETYPE_INT8: NUM(int8_t, "%d", (int)) break;
	case CMAP_VALUETYPE_UINT8: NUM(uint8_t, "%u", (unsigned)) break;
	case CMAP_VALUETYPE_INT16: NUM(int16_t, "%d", (int)) break;
	case CMAP_VALUETYPE_UINT16: NUM(uint16_t, "%u", (unsigned)) break;
	case CMAP_VALUETYPE_INT32: NUM(int32_t, "%" PRId32, ) break;
	case CMAP_VALUETYPE_UINT32: NUM(uint32_t, "%" PRIu32, ) break;
	case CMAP_VALUETYPE_INT64: NUM(int64_t, "%" PRId64, ) break;
	case CMAP_VALUETYPE_UINT64: NUM(uint64_t, "%" PRIu64, ) break;
	case CMAP_VALUETYPE_FLOAT: NUM(float, "%g", (double)) break;
	case CMAP_VALUETYPE_DOUBLE: NUM(double, "%g", ) break;
	case CMAP_VALUETYPE_STRING:
		printf("\"");
		for (i = 0; i < len; i++) {
			if (b[i] == 0)
				printf("\\0");
			else if (b[i] < 32 || b[i] > 126)
				printf("\\x%02x", b[i]);
			else
				printf("%c", b[i]);
		}
		printf("\"");
		return;
	default:
		break;
	}
#undef NUM
	printf("hex:");
	for (i = 0; i < len && i < 64; i++)
		printf("%02x", b[i]);
	if (len > 64)
		printf("...");
}

static void print_opened(const char *call, cmap_handle_t h, int err, const char *args)
{
	if (err == CS_OK)
		remember(h);
	printf("%s(&%s%s) = %s\n", call, err == CS_OK ? hname(h) : "h", args, err_name(err));
	fflush(stdout);
}

cmap_handle_t open_cmap(void)
{
	cmap_handle_t h = 0;
	int err = cmap_initialize(&h);
	print_opened("cmap_initialize", h, err, "");
	return err == CS_OK ? h : 0;
}

cmap_handle_t open_cmap_map(int map, const char *map_text)
{
	cmap_handle_t h = 0;
	char args[64];
	int err = cmap_initialize_map(&h, (cmap_map_t)map);
	snprintf(args, sizeof(args), ", %s", map_text);
	print_opened("cmap_initialize_map", h, err, args);
	if (err != CS_OK) {
		/* What a failed call leaves in *handle, and whether it is a
		 * handle the caller would have to finalize. */
		printf("  h is %s; ", h == 0 ? "still 0" : "set");
		CALL(cmap_finalize(h));
	}
	return err == CS_OK ? h : 0;
}

void show_get(cmap_handle_t h, const char *key, size_t room)
{
	unsigned char buf[256];
	size_t len = room;
	cmap_value_types_t type = (cmap_value_types_t)77;
	int err;
	memset(buf, 0xee, sizeof buf);
	err = cmap_get(h, key, room ? buf : NULL, &len, &type);
	if (room)
		printf("cmap_get(%s, \"%s\", buf, &len=%zu, &type) = %s", hname(h), key, room, err_name(err));
	else
		printf("cmap_get(%s, \"%s\", NULL, &len, &type) = %s", hname(h), key, err_name(err));
	if (err == CS_OK) {
		printf(",");
		print_value(type, len, room ? buf : NULL);
		if (room && room < sizeof buf)
			printf(" (byte after the room: %s)", buf[room] == 0xee ? "untouched" : "WRITTEN");
	}
	printf("\n");
	fflush(stdout);
}

void show_exists(cmap_handle_t h, const char *key)
{
	printf("cmap_get(%s, \"%s\", NULL, NULL, NULL) = %s\n", hname(h), key, err_name(cmap_get(h, key, NULL, NULL, NULL)));
	fflush(stdout);
}

void show_type_len(cmap_handle_t h, const char *key)
{
	size_t len = 0;
	cmap_value_types_t type = (cmap_value_types_t)77;
	int err = cmap_get(h, key, NULL, &len, &type);
	printf("cmap_get(%s, \"%s\", NULL, &len, &type) = %s", hname(h), key, err_name(err));
	if (err == CS_OK)
		printf(", %s len=%zu", type_name(type), len);
	printf("\n");
	fflush(stdout);
}

void show_get_string(cmap_handle_t h, const char *key)
{
	char *s = (char *)&s;
	int err = cmap_get_string(h, key, &s);
	printf("cmap_get_string(%s, \"%s\", &s) = %s", hname(h), key, err_name(err));
	if (err == CS_OK) {
		printf(", s=\"%s\"", s);
		free(s);
	} else {
		printf(", s %s", s == (char *)&s ? "untouched" : "changed");
	}
	printf("\n");
	fflush(stdout);
}

void show_typed_getters(cmap_handle_t h, const char *key)
{
	union {
		int8_t i8;
		uint8_t u8;
		int16_t i16;
		uint16_t u16;
		int32_t i32;
		uint32_t u32;
		int64_t i64;
		uint64_t u64;
		float f;
		double d;
		unsigned char raw[16];
	} v;
	int err;
#define GETTER(fn, T, member, fmt, cast)                                              \
	memset(&v, 0xee, sizeof v);                                                   \
	err = fn(h, key, &v.member);                                                  \
	printf("  " #fn "(%s, \"%s\") = %s", hname(h), key, err_name(err));           \
	if (err == CS_OK)                                                             \
		printf(", " fmt, cast v.member);                                      \
	else                                                                          \
		printf(", out %s", v.raw[0] == 0xee && v.raw[sizeof(T) - 1] == 0xee ? "untouched" : "written"); \
	printf("\n");
	GETTER(cmap_get_int8, int8_t, i8, "%d", (int))
	GETTER(cmap_get_uint8, uint8_t, u8, "%u", (unsigned))
	GETTER(cmap_get_int16, int16_t, i16, "%d", (int))
	GETTER(cmap_get_uint16, uint16_t, u16, "%u", (unsigned))
	GETTER(cmap_get_int32, int32_t, i32, "%" PRId32, )
	GETTER(cmap_get_uint32, uint32_t, u32, "%" PRIu32, )
	GETTER(cmap_get_int64, int64_t, i64, "%" PRId64, )
	GETTER(cmap_get_uint64, uint64_t, u64, "%" PRIu64, )
	GETTER(cmap_get_float, float, f, "%g", (double))
	GETTER(cmap_get_double, double, d, "%g", )
#undef GETTER
	fflush(stdout);
}

void show_iter(cmap_handle_t h, const char *prefix)
{
	cmap_iter_handle_t it = 0;
	char key[CMAP_KEYNAME_MAXLEN + 1];
	size_t len;
	cmap_value_types_t type;
	int err = cmap_iter_init(h, prefix, &it);
	int n = 0;
	if (prefix)
		printf("cmap_iter_init(%s, \"%s\", &it) = %s\n", hname(h), prefix, err_name(err));
	else
		printf("cmap_iter_init(%s, NULL, &it) = %s\n", hname(h), err_name(err));
	if (err != CS_OK)
		return;
	while ((err = cmap_iter_next(h, it, key, &len, &type)) == CS_OK) {
		n++;
		printf("  %s %s len=%zu", key, type_name(type), len);
		if (strncmp(key, "test.", 5) == 0 || strncmp(key, "totem.", 6) == 0) {
			unsigned char buf[256];
			size_t room = sizeof buf;
			cmap_value_types_t t2;
			if (cmap_get(h, key, buf, &room, &t2) == CS_OK) {
				printf(" =");
				print_value(t2, room, buf);
			}
		}
		printf("\n");
	}
	printf("  cmap_iter_next after %d keys = %s\n", n, err_name(err));
	printf("  cmap_iter_next again = %s\n", err_name(cmap_iter_next(h, it, key, &len, &type)));
	CALL(cmap_iter_finalize(h, it));
	printf("  cmap_iter_next after iter_finalize = %s\n", err_name(cmap_iter_next(h, it, key, &len, &type)));
	CALL(cmap_iter_finalize(h, it));
}

void show_cmap_fd(cmap_handle_t h)
{
	int fd = -1;
	int have = cmap_fd_get(h, &fd) == CS_OK;
	show_fd_state(h, have, fd);
}

void wait_cmap_fd(cmap_handle_t h)
{
	int fd = -1;
	cmap_fd_get(h, &fd);
	wait_fd(h, fd);
}

static cmap_track_handle_t tracks[16];
static int ntracks;

const char *tname(cmap_track_handle_t t)
{
	static char buf[4][32];
	static int next;
	char *out = buf[next++ % 4];
	int i;
	for (i = 0; i < ntracks; i++) {
		if (tracks[i] == t) {
			snprintf(out, 32, "t%d", i + 1);
			return out;
		}
	}
	snprintf(out, 32, t == 0 ? "0" : "<unknown track>");
	return out;
}

const char *track_type_text(int32_t type)
{
	static char buf[4][96];
	static int next;
	char *out = buf[next++ % 4];
	out[0] = 0;
	if (type & CMAP_TRACK_ADD)
		strcat(out, "|ADD");
	if (type & CMAP_TRACK_DELETE)
		strcat(out, "|DELETE");
	if (type & CMAP_TRACK_MODIFY)
		strcat(out, "|MODIFY");
	if (type & CMAP_TRACK_PREFIX)
		strcat(out, "|PREFIX");
	if (type & ~(CMAP_TRACK_ADD | CMAP_TRACK_DELETE | CMAP_TRACK_MODIFY | CMAP_TRACK_PREFIX))
		sprintf(out + strlen(out), "|0x%x", (unsigned)(type & ~15));
	return out[0] ? out + 1 : "0";
}

static const char *udata_name(const void *u)
{
	if (u == NULL)
		return "NULL";
	if (u == udata_key)
		return "udata_key";
	if (u == udata_prefix)
		return "udata_prefix";
	if (u == udata_other)
		return "udata_other";
	return "other";
}

cmap_track_handle_t add_track(cmap_handle_t h, const char *key, int32_t type, const char *type_text,
	void *user_data, cmap_notify_fn_t fn)
{
	cmap_track_handle_t t = 0;
	int err = cmap_track_add(h, key, type, fn, user_data, &t);
	if (err == CS_OK && ntracks < 16)
		tracks[ntracks++] = t;
	printf("cmap_track_add(%s, %s%s%s, %s, fn, %s, &%s) = %s\n", hname(h), key ? "\"" : "", key ? key : "NULL",
		key ? "\"" : "", type_text ? type_text : track_type_text(type), udata_name(user_data),
		err == CS_OK ? tname(t) : "t", err_name(err));
	fflush(stdout);
	return t;
}

static const char *event_name(int32_t event)
{
	switch (event) {
	case CMAP_TRACK_ADD: return "ADD";
	case CMAP_TRACK_DELETE: return "DELETE";
	case CMAP_TRACK_MODIFY: return "MODIFY";
	default: return "event(?)";
	}
}

void on_notify(cmap_handle_t h, cmap_track_handle_t t, int32_t event, const char *key,
	struct cmap_notify_value new_value, struct cmap_notify_value old_value, void *user_data)
{
	printf("  callback notify(%s, %s, %s, \"%s\", user_data=%s)\n    new:", hname(h), tname(t), event_name(event), key,
		udata_name(user_data));
	print_value(new_value.type, new_value.len, new_value.data);
	printf("\n    old:");
	print_value(old_value.type, old_value.len, old_value.data);
	printf("\n");
	fflush(stdout);
}

void other_process_set(const char *key, long value)
{
	pid_t child;
	int status = 0;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		cmap_handle_t mine = 0;
		int err = cmap_initialize(&mine);
		if (err == CS_OK) {
			err = value < 0 ? cmap_delete(mine, key) : cmap_set_uint32(mine, key, (uint32_t)value);
			cmap_finalize(mine);
		}
		if (value < 0)
			printf("-- another process deletes %s: %s\n", key, err_name(err));
		else
			printf("-- another process sets %s to %ld: %s\n", key, value, err_name(err));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
}

/* The calls that take a handle, each once. */
void every_cmap_call_on(cmap_handle_t h)
{
	const void *ctx;
	int fd;
	size_t len = 4;
	uint32_t u32 = 1;
	int8_t i8;
	uint8_t u8;
	int16_t i16;
	uint16_t u16;
	int32_t i32;
	int64_t i64;
	uint64_t u64;
	float flt;
	double dbl;
	char buf[16], *s = NULL, key[CMAP_KEYNAME_MAXLEN + 1];
	cmap_value_types_t type;
	cmap_iter_handle_t it = 0;
	cmap_track_handle_t t = 0;
	CALL(cmap_dispatch(h, CS_DISPATCH_ALL));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE));
	CALL(cmap_dispatch(h, CS_DISPATCH_BLOCKING));
	CALL(cmap_dispatch(h, CS_DISPATCH_ONE_NONBLOCKING));
	CALL(cmap_fd_get(h, &fd));
	CALL(cmap_context_get(h, &ctx));
	CALL(cmap_context_set(h, NULL));
	CALL(cmap_set(h, "test.a", &u32, sizeof u32, CMAP_VALUETYPE_UINT32));
	CALL(cmap_set_uint32(h, "test.a", 1));
	CALL(cmap_set_string(h, "test.s", "x"));
	CALL(cmap_delete(h, "test.a"));
	CALL(cmap_get(h, "totem.cluster_name", buf, &len, &type));
	CALL(cmap_get(h, "totem.cluster_name", NULL, NULL, NULL));
	CALL(cmap_get_uint32(h, "totem.config_version", &u32));
	CALL(cmap_get_string(h, "totem.cluster_name", &s));
	CALL(cmap_set_int8(h, "test.t", -1));
	CALL(cmap_set_uint8(h, "test.t", 1));
	CALL(cmap_set_int16(h, "test.t", -1));
	CALL(cmap_set_uint16(h, "test.t", 1));
	CALL(cmap_set_int32(h, "test.t", -1));
	CALL(cmap_set_int64(h, "test.t", -1));
	CALL(cmap_set_uint64(h, "test.t", 1));
	CALL(cmap_set_float(h, "test.t", 0.5f));
	CALL(cmap_set_double(h, "test.t", 0.5));
	CALL(cmap_get_int8(h, "test.t", &i8));
	CALL(cmap_get_uint8(h, "test.t", &u8));
	CALL(cmap_get_int16(h, "test.t", &i16));
	CALL(cmap_get_uint16(h, "test.t", &u16));
	CALL(cmap_get_int32(h, "test.t", &i32));
	CALL(cmap_get_int64(h, "test.t", &i64));
	CALL(cmap_get_uint64(h, "test.t", &u64));
	CALL(cmap_get_float(h, "test.t", &flt));
	CALL(cmap_get_double(h, "test.t", &dbl));
	CALL(cmap_inc(h, "test.a"));
	CALL(cmap_dec(h, "test.a"));
	CALL(cmap_iter_init(h, "totem.", &it));
	CALL(cmap_iter_next(h, it, key, &len, &type));
	CALL(cmap_iter_finalize(h, it));
	CALL(cmap_track_add(h, "test.a", CMAP_TRACK_ADD, on_notify, NULL, &t));
	CALL(cmap_track_delete(h, t));
	CALL(cmap_finalize(h));
}

static const struct scenario *const groups[] = {
	c_daemon_scenarios,
	c_handle_scenarios,
	c_gone_scenarios,
	NULL,
};

int main(int argc, char **argv)
{
	return driver_main(argc, argv, groups, (const void *)cmap_initialize);
}
