/*
 * Compiled as strict C99 (and, as header_check.cpp, as C++): the header is
 * self-contained, warning-free, and every call links. The libraries'
 * headers: votequorum.h, quorum.h and cmap.h. The layout checks
 * restate the public types' sizes and offsets (those of corosync's headers).
 */
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
#define VQ_STATIC_ASSERT(c, m) static_assert(c, m)
#else
/* C99 has no _Static_assert: a negative array size fails the build. */
#define VQ_CAT2(a, b) a##b
#define VQ_CAT(a, b) VQ_CAT2(a, b)
#define VQ_STATIC_ASSERT(c, m) typedef char VQ_CAT(vq_static_assert_, __LINE__)[(c) ? 1 : -1]
#endif

VQ_STATIC_ASSERT(sizeof(votequorum_handle_t) == 8, "handle");
VQ_STATIC_ASSERT(sizeof(struct votequorum_info) == 292, "info");
VQ_STATIC_ASSERT(offsetof(struct votequorum_info, qdevice_name) == 36, "info.qdevice_name");
VQ_STATIC_ASSERT(sizeof(votequorum_node_t) == 8, "node");
/* Per ABI: a uint64_t inside a struct is 4-aligned on i386 and 8-aligned
 * on the other architectures Debian ships corosync on; pointers have the
 * target's size (a model's enum is padded to one). */
#if defined(__i386__)
#define VQ_U64_IN_STRUCT 4
#else
#define VQ_U64_IN_STRUCT 8
#endif
#define VQ_PTR sizeof(void *)
VQ_STATIC_ASSERT(sizeof(votequorum_ring_id_t) == VQ_U64_IN_STRUCT + 8, "ring id");
VQ_STATIC_ASSERT(offsetof(votequorum_ring_id_t, seq) == VQ_U64_IN_STRUCT, "ring id seq");
VQ_STATIC_ASSERT(sizeof(votequorum_callbacks_t) == 3 * VQ_PTR, "callbacks");
VQ_STATIC_ASSERT(sizeof(votequorum_model_v1_data_t) == 5 * VQ_PTR, "model v1");
VQ_STATIC_ASSERT(offsetof(votequorum_model_v1_data_t, votequorum_qdevice_extra_info_fn) == 4 * VQ_PTR, "model v1 extra");
VQ_STATIC_ASSERT(sizeof(struct quorum_ring_id) == VQ_U64_IN_STRUCT + 8, "quorum ring id");
VQ_STATIC_ASSERT(sizeof(quorum_callbacks_t) == VQ_PTR, "quorum callbacks");
VQ_STATIC_ASSERT(sizeof(quorum_model_v0_data_t) == 2 * VQ_PTR, "quorum model v0");
VQ_STATIC_ASSERT(sizeof(quorum_model_v1_data_t) == 3 * VQ_PTR, "quorum model v1");
VQ_STATIC_ASSERT(offsetof(quorum_model_v1_data_t, nodelist_notify_fn) == 2 * VQ_PTR, "quorum model v1 nodelist");
VQ_STATIC_ASSERT(QUORUM_FREE == 0 && QUORUM_SET == 1, "quorum types");
VQ_STATIC_ASSERT(sizeof(cs_error_t) == 4, "cs_error_t");
VQ_STATIC_ASSERT(sizeof(cmap_handle_t) == 8 && sizeof(cmap_iter_handle_t) == 8 && sizeof(cmap_track_handle_t) == 8,
	"cmap handles");
VQ_STATIC_ASSERT(sizeof(struct cmap_notify_value) == 3 * VQ_PTR, "cmap notify value");
VQ_STATIC_ASSERT(CMAP_VALUETYPE_INT8 == 1 && CMAP_VALUETYPE_BINARY == 12 && CMAP_MAP_STATS == 1, "cmap values");
VQ_STATIC_ASSERT(CS_OK == 1 && CS_ERR_SECURITY == 100, "cs_error_t values");

static void on_quorum(votequorum_handle_t h, uint64_t c, uint32_t q, uint32_t n, votequorum_node_t l[])
{
	(void)h; (void)c; (void)q; (void)n; (void)l;
}
static void on_expected(votequorum_handle_t h, uint64_t c, uint32_t e)
{
	(void)h; (void)c; (void)e;
}
static void on_nodelist(votequorum_handle_t h, uint64_t c, votequorum_ring_id_t r, uint32_t n, uint32_t l[])
{
	(void)h; (void)c; (void)r; (void)n; (void)l;
}
static void on_extra(votequorum_handle_t h, uint64_t c, uint32_t id, uint32_t n, void *d)
{
	(void)h; (void)c; (void)id; (void)n; (void)d;
}

static void on_q_v0(quorum_handle_t h, uint32_t q, uint64_t seq, uint32_t n, uint32_t *l)
{
	(void)h; (void)q; (void)seq; (void)n; (void)l;
}
static void on_q_v1(quorum_handle_t h, uint32_t q, struct quorum_ring_id r, uint32_t n, const uint32_t *l)
{
	(void)h; (void)q; (void)r; (void)n; (void)l;
}
static void on_q_nodelist(quorum_handle_t h, struct quorum_ring_id r, uint32_t m, const uint32_t *ml,
	uint32_t j, const uint32_t *jl, uint32_t l, const uint32_t *ll)
{
	(void)h; (void)r; (void)m; (void)ml; (void)j; (void)jl; (void)l; (void)ll;
}

/* Every call of libquorum, as programs written for corosync 3.x call them. */
static void quorum_calls(void)
{
	quorum_callbacks_t q_callbacks = { on_q_v0 };
	quorum_model_v1_data_t q_model = { QUORUM_MODEL_V1, on_q_v1, on_q_nodelist };
	quorum_handle_t qh = 0;
	uint32_t type = 0;
	const void *q_context = NULL;
	int quorate = 0, fd = -1;

	quorum_initialize(&qh, &q_callbacks, &type);
	quorum_model_initialize(&qh, QUORUM_MODEL_V1, (quorum_model_data_t *)&q_model, &type, &fd);
	quorum_fd_get(qh, &fd);
	quorum_getquorate(qh, &quorate);
	quorum_trackstart(qh, CS_TRACK_CURRENT | CS_TRACK_CHANGES);
	quorum_dispatch(qh, CS_DISPATCH_ALL);
	quorum_trackstop(qh);
	quorum_context_set(qh, &fd);
	quorum_context_get(qh, &q_context);
	quorum_finalize(qh);
}

static void on_cmap(cmap_handle_t h, cmap_track_handle_t t, int32_t e, const char *k,
	struct cmap_notify_value n, struct cmap_notify_value o, void *u)
{
	(void)h; (void)t; (void)e; (void)k; (void)n; (void)o; (void)u;
}

/* Every call of libcmap, as programs written for corosync 3.x call them. */
static void cmap_calls(void)
{
	cmap_handle_t ch = 0;
	cmap_iter_handle_t iter = 0;
	cmap_track_handle_t track = 0;
	cmap_value_types_t vtype = CMAP_VALUETYPE_UINT32;
	char key[CMAP_KEYNAME_MAXLEN + 1], *str = NULL;
	size_t len = 0;
	const void *c_context = NULL;
	int fd = -1;
	int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32; uint32_t u32 = 1;
	int64_t i64; uint64_t u64; float flt; double dbl;

	cmap_initialize(&ch);
	cmap_initialize_map(&ch, CMAP_MAP_STATS);
	cmap_fd_get(ch, &fd);
	cmap_dispatch(ch, CS_DISPATCH_ALL);
	cmap_context_set(ch, &fd);
	cmap_context_get(ch, &c_context);
	cmap_set(ch, "a.b", &u32, sizeof(u32), CMAP_VALUETYPE_UINT32);
	cmap_set_int8(ch, "a.b", 1); cmap_set_uint8(ch, "a.b", 1);
	cmap_set_int16(ch, "a.b", 1); cmap_set_uint16(ch, "a.b", 1);
	cmap_set_int32(ch, "a.b", 1); cmap_set_uint32(ch, "a.b", 1);
	cmap_set_int64(ch, "a.b", 1); cmap_set_uint64(ch, "a.b", 1);
	cmap_set_float(ch, "a.b", 1); cmap_set_double(ch, "a.b", 1);
	cmap_set_string(ch, "a.b", "x");
	cmap_delete(ch, "a.b");
	cmap_get(ch, "a.b", &u32, &len, &vtype);
	cmap_get_int8(ch, "a.b", &i8); cmap_get_uint8(ch, "a.b", &u8);
	cmap_get_int16(ch, "a.b", &i16); cmap_get_uint16(ch, "a.b", &u16);
	cmap_get_int32(ch, "a.b", &i32); cmap_get_uint32(ch, "a.b", &u32);
	cmap_get_int64(ch, "a.b", &i64); cmap_get_uint64(ch, "a.b", &u64);
	cmap_get_float(ch, "a.b", &flt); cmap_get_double(ch, "a.b", &dbl);
	cmap_get_string(ch, "a.b", &str);
	cmap_inc(ch, "a.b");
	cmap_dec(ch, "a.b");
	cmap_iter_init(ch, "a.", &iter);
	cmap_iter_next(ch, iter, key, &len, &vtype);
	cmap_iter_finalize(ch, iter);
	cmap_track_add(ch, "a.", CMAP_TRACK_ADD | CMAP_TRACK_PREFIX, on_cmap, &fd, &track);
	cmap_track_delete(ch, track);
	cmap_finalize(ch);
}

int main(int argc, char **argv)
{
	/* Positional initialization, as programs written for corosync 3.x do. */
	votequorum_callbacks_t callbacks = { on_quorum, on_expected, on_nodelist };
	votequorum_model_v1_data_t model;
	votequorum_handle_t handle = 0;
	struct votequorum_info info;
	votequorum_ring_id_t ring;
	uint32_t size = 0;
	char extra[VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE];
	void *context = NULL;
	int fd = -1;

	memset(&model, 0, sizeof(model));
	model.model = VOTEQUORUM_MODEL_V1;
	model.votequorum_quorum_notify_fn = on_quorum;
	model.votequorum_expectedvotes_notify_fn = on_expected;
	model.votequorum_nodelist_notify_fn = on_nodelist;
	model.votequorum_qdevice_extra_info_fn = on_extra;
	ring.nodeid = 1;
	ring.seq = 1;
	(void)argv;

	/* Only called when asked, so the program links every entry point but
	 * runs without a daemon. */
	if (argc > 1) {
		votequorum_initialize(&handle, &callbacks);
		votequorum_model_initialize(&handle, &model);
		votequorum_fd_get(handle, &fd);
		votequorum_getinfo(handle, VOTEQUORUM_QDEVICE_NODEID, &info);
		votequorum_setexpected(handle, 1);
		votequorum_setvotes(handle, 1, 1);
		votequorum_trackstart(handle, 0, CS_TRACK_CURRENT | CS_TRACK_CHANGES);
		votequorum_dispatch(handle, CS_DISPATCH_ALL);
		votequorum_trackstop(handle);
		votequorum_context_set(handle, &fd);
		votequorum_context_get(handle, &context);
		votequorum_qdevice_register(handle, "q");
		votequorum_qdevice_update(handle, "q", "r");
		votequorum_qdevice_poll(handle, "r", 1, ring);
		votequorum_qdevice_master_wins(handle, "r", 1);
		votequorum_qdevice_unregister(handle, "r");
		votequorum_set_qdevice_extra_info(handle, 1, "x");
		votequorum_get_qdevice_extra_info(handle, 1, &size, extra);
		votequorum_finalize(handle);
		quorum_calls();
		cmap_calls();
	}
	return (int)(cs_timestamp_get() == 0);
}
