/*
 * Prints every size, offset and value of the public headers. Built against
 * our headers and against Debian's reference headers, and with
 * VQ_LAYOUT_ABI11 against ours and the main line's (the only headers with
 * the ABI 1.1 additions); each pair's outputs must be identical. Both
 * libraries' headers: votequorum.h, quorum.h and cmap.h.
 */
#include <corosync/cmap.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>

#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>

#define SIZE(t) printf("sizeof %s = %zu\n", #t, sizeof(t))
#define OFF(t, f) printf("offsetof %s.%s = %zu\n", #t, #f, offsetof(t, f))
#define VAL(v) printf("%s = %lld\n", #v, (long long)(v))

int main(void)
{
	SIZE(votequorum_handle_t); SIZE(struct votequorum_info); SIZE(votequorum_node_t);
	SIZE(votequorum_ring_id_t); SIZE(votequorum_callbacks_t); SIZE(cs_error_t);
	SIZE(cs_dispatch_flags_t); SIZE(cs_name_t); SIZE(cs_version_t); SIZE(cs_time_t);
	OFF(struct votequorum_info, node_id); OFF(struct votequorum_info, node_state);
	OFF(struct votequorum_info, node_votes); OFF(struct votequorum_info, node_expected_votes);
	OFF(struct votequorum_info, highest_expected); OFF(struct votequorum_info, total_votes);
	OFF(struct votequorum_info, quorum); OFF(struct votequorum_info, flags);
	OFF(struct votequorum_info, qdevice_votes); OFF(struct votequorum_info, qdevice_name);
	OFF(votequorum_node_t, nodeid); OFF(votequorum_node_t, state);
	OFF(votequorum_ring_id_t, nodeid); OFF(votequorum_ring_id_t, seq);
	OFF(votequorum_callbacks_t, votequorum_quorum_notify_fn);
	OFF(votequorum_callbacks_t, votequorum_expectedvotes_notify_fn);
	OFF(votequorum_callbacks_t, votequorum_nodelist_notify_fn);
	OFF(cs_name_t, value); OFF(cs_version_t, majorVersion); OFF(cs_version_t, minorVersion);
	VAL(VOTEQUORUM_INFO_TWONODE); VAL(VOTEQUORUM_INFO_QUORATE); VAL(VOTEQUORUM_INFO_WAIT_FOR_ALL);
	VAL(VOTEQUORUM_INFO_LAST_MAN_STANDING); VAL(VOTEQUORUM_INFO_AUTO_TIE_BREAKER);
	VAL(VOTEQUORUM_INFO_ALLOW_DOWNSCALE); VAL(VOTEQUORUM_INFO_QDEVICE_REGISTERED);
	VAL(VOTEQUORUM_INFO_QDEVICE_ALIVE); VAL(VOTEQUORUM_INFO_QDEVICE_CAST_VOTE);
	VAL(VOTEQUORUM_INFO_QDEVICE_MASTER_WINS); VAL(VOTEQUORUM_QDEVICE_NODEID);
	VAL(VOTEQUORUM_QDEVICE_MAX_NAME_LEN); VAL(VOTEQUORUM_QDEVICE_DEFAULT_TIMEOUT);
	VAL(VOTEQUORUM_QDEVICE_DEFAULT_SYNC_TIMEOUT); VAL(VOTEQUORUM_NODESTATE_MEMBER);
	VAL(VOTEQUORUM_NODESTATE_DEAD); VAL(VOTEQUORUM_NODESTATE_LEAVING);
	VAL(CS_FALSE); VAL(CS_TRUE); VAL(CS_MAX_NAME_LENGTH); VAL(CS_TIME_END); VAL(CS_MAX(3, 4));
	VAL(CS_DISPATCH_ONE); VAL(CS_DISPATCH_ALL); VAL(CS_DISPATCH_BLOCKING); VAL(CS_DISPATCH_ONE_NONBLOCKING);
	VAL(CS_TRACK_CURRENT); VAL(CS_TRACK_CHANGES); VAL(CS_TRACK_CHANGES_ONLY); VAL(CS_IPC_TIMEOUT_MS);
	VAL(CS_TIME_MS_IN_SEC); VAL(CS_TIME_US_IN_SEC); VAL(CS_TIME_NS_IN_SEC); VAL(CS_TIME_US_IN_MSEC);
	VAL(CS_TIME_NS_IN_MSEC); VAL(CS_TIME_NS_IN_USEC);
	printf("CS_PRI_NODE_ID = %s\nCS_PRI_NODE_ID_PADDED = %s\nCS_PRI_RING_ID_SEQ = %s\nCS_PRI_RING_ID = %s\n",
		CS_PRI_NODE_ID, CS_PRI_NODE_ID_PADDED, CS_PRI_RING_ID_SEQ, CS_PRI_RING_ID);
	VAL(CS_OK); VAL(CS_ERR_LIBRARY); VAL(CS_ERR_VERSION); VAL(CS_ERR_INIT); VAL(CS_ERR_TIMEOUT);
	VAL(CS_ERR_TRY_AGAIN); VAL(CS_ERR_INVALID_PARAM); VAL(CS_ERR_NO_MEMORY); VAL(CS_ERR_BAD_HANDLE);
	VAL(CS_ERR_BUSY); VAL(CS_ERR_ACCESS); VAL(CS_ERR_NOT_EXIST); VAL(CS_ERR_NAME_TOO_LONG);
	VAL(CS_ERR_EXIST); VAL(CS_ERR_NO_SPACE); VAL(CS_ERR_INTERRUPT); VAL(CS_ERR_NAME_NOT_FOUND);
	VAL(CS_ERR_NO_RESOURCES); VAL(CS_ERR_NOT_SUPPORTED); VAL(CS_ERR_BAD_OPERATION);
	VAL(CS_ERR_FAILED_OPERATION); VAL(CS_ERR_MESSAGE_ERROR); VAL(CS_ERR_QUEUE_FULL);
	VAL(CS_ERR_QUEUE_NOT_AVAILABLE); VAL(CS_ERR_BAD_FLAGS); VAL(CS_ERR_TOO_BIG); VAL(CS_ERR_NO_SECTIONS);
	VAL(CS_ERR_CONTEXT_NOT_FOUND); VAL(CS_ERR_TOO_MANY_GROUPS); VAL(CS_ERR_SECURITY);
	/* libcmap's header (corosync 3.1's and the main line's are the same). */
	SIZE(cmap_handle_t); SIZE(cmap_iter_handle_t); SIZE(cmap_track_handle_t); SIZE(cmap_value_types_t);
	SIZE(cmap_map_t); SIZE(struct cmap_notify_value); SIZE(cmap_notify_fn_t);
	OFF(struct cmap_notify_value, type); OFF(struct cmap_notify_value, len); OFF(struct cmap_notify_value, data);
	VAL(CMAP_KEYNAME_MAXLEN); VAL(CMAP_KEYNAME_MINLEN); VAL(CMAP_TRACK_ADD); VAL(CMAP_TRACK_DELETE);
	VAL(CMAP_TRACK_MODIFY); VAL(CMAP_TRACK_PREFIX); VAL(CMAP_VALUETYPE_INT8); VAL(CMAP_VALUETYPE_UINT8);
	VAL(CMAP_VALUETYPE_INT16); VAL(CMAP_VALUETYPE_UINT16); VAL(CMAP_VALUETYPE_INT32); VAL(CMAP_VALUETYPE_UINT32);
	VAL(CMAP_VALUETYPE_INT64); VAL(CMAP_VALUETYPE_UINT64); VAL(CMAP_VALUETYPE_FLOAT); VAL(CMAP_VALUETYPE_DOUBLE);
	VAL(CMAP_VALUETYPE_STRING); VAL(CMAP_VALUETYPE_BINARY); VAL(CMAP_MAP_DEFAULT); VAL(CMAP_MAP_ICMAP);
	VAL(CMAP_MAP_STATS);
	/* libquorum's header (corosync 3.1's and the main line's are the same). */
	SIZE(quorum_handle_t); SIZE(quorum_model_t); SIZE(struct quorum_ring_id); SIZE(quorum_callbacks_t);
	SIZE(quorum_model_data_t); SIZE(quorum_model_v0_data_t); SIZE(quorum_model_v1_data_t);
	SIZE(quorum_notification_fn_t); SIZE(quorum_v1_quorum_notification_fn_t);
	SIZE(quorum_v1_nodelist_notification_fn_t);
	OFF(struct quorum_ring_id, nodeid); OFF(struct quorum_ring_id, seq);
	OFF(quorum_callbacks_t, quorum_notify_fn); OFF(quorum_model_data_t, model);
	OFF(quorum_model_v0_data_t, model); OFF(quorum_model_v0_data_t, quorum_notify_fn);
	OFF(quorum_model_v1_data_t, model); OFF(quorum_model_v1_data_t, quorum_notify_fn);
	OFF(quorum_model_v1_data_t, nodelist_notify_fn);
	VAL(QUORUM_MODEL_V0); VAL(QUORUM_MODEL_V1); VAL(QUORUM_FREE); VAL(QUORUM_SET);
#ifdef VQ_LAYOUT_ABI11
	SIZE(votequorum_model_t); SIZE(votequorum_model_v1_data_t); SIZE(votequorum_qdevice_extra_info_fn_t);
	OFF(votequorum_model_v1_data_t, model);
	OFF(votequorum_model_v1_data_t, votequorum_quorum_notify_fn);
	OFF(votequorum_model_v1_data_t, votequorum_expectedvotes_notify_fn);
	OFF(votequorum_model_v1_data_t, votequorum_nodelist_notify_fn);
	OFF(votequorum_model_v1_data_t, votequorum_qdevice_extra_info_fn);
	VAL(VOTEQUORUM_MODEL_V1); VAL(VOTEQUORUM_INFO_QDEVICE_HAS_EXTRA_INFO);
	VAL(VOTEQUORUM_QDEVICE_EXTRA_NODEINFO_MAXSIZE);
#endif
	return 0;
}
