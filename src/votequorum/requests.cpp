#include "requests.hpp"

#include <cstring>

namespace vq::votequorum::calls {

cs_error_t getinfo(Connection& c, uint32_t nodeid, votequorum_info& out)
{
	const cs_error_t err = round_trip(c, wire::getinfo(nodeid), wire::decode_getinfo, out);
	if (err != CS_OK) {
		std::memset(&out, 0, sizeof out);
	}
	return err;
}

cs_error_t setexpected(Connection& c, uint32_t expected_votes)
{
	return round_trip(c, wire::setexpected(expected_votes), wire::decode_status);
}

cs_error_t setvotes(Connection& c, uint32_t nodeid, uint32_t votes)
{
	return round_trip(c, wire::setvotes(nodeid, votes), wire::decode_status);
}

cs_error_t trackstart(Connection& c, uint64_t context, uint32_t flags)
{
	return round_trip(c, wire::trackstart(context, flags), wire::decode_status);
}

cs_error_t trackstop(Connection& c)
{
	return round_trip(c, wire::trackstop(), wire::decode_status);
}

cs_error_t qdevice_register(Connection& c, const char* name)
{
	return round_trip(c, wire::qdevice_register(name), wire::decode_status);
}

cs_error_t qdevice_unregister(Connection& c, const char* name)
{
	return round_trip(c, wire::qdevice_unregister(name), wire::decode_status);
}

cs_error_t qdevice_update(Connection& c, const char* oldname, const char* newname)
{
	return round_trip(c, wire::qdevice_update(oldname, newname), wire::decode_status);
}

cs_error_t qdevice_poll(Connection& c, const char* name, uint32_t cast_vote, votequorum_ring_id_t ring_id)
{
	return round_trip(c, wire::qdevice_poll(name, cast_vote, ring_id), wire::decode_status);
}

cs_error_t qdevice_master_wins(Connection& c, const char* name, uint32_t allow)
{
	return round_trip(c, wire::qdevice_master_wins(name, allow), wire::decode_status);
}

cs_error_t set_extra_info(Connection& c, const void* data, uint32_t size)
{
	if (data == nullptr) {
		size = 0;  // NULL data clears, whatever the size says
	}
	if (size > wire::kExtraInfoMax) {
		return CS_ERR_INVALID_PARAM;
	}
	return round_trip(c, wire::set_extra_info(data, size), wire::decode_status);
}

cs_error_t get_extra_info(Connection& c, uint32_t nodeid, uint32_t& size, void* out)
{
	return round_trip(c, wire::get_extra_info(nodeid), wire::decode_get_extra_info, size, out);
}

}  // namespace vq::votequorum::calls
