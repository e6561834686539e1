#include "requests.hpp"

#include <cstring>

namespace vq::votequorum::wire {

cs_error_t status_request(Connection& c, const Request& request)
{
	return c.transact(request, [](std::span<const std::byte> reply) { return decode_status(reply); });
}

cs_error_t getinfo(Connection& c, uint32_t nodeid, votequorum_info& out)
{
	const cs_error_t err = c.transact(wire::getinfo(nodeid),
		[&out](std::span<const std::byte> reply) { return decode_getinfo(reply, out); });
	if (err != CS_OK) {
		std::memset(&out, 0, sizeof out);
	}
	return err;
}

cs_error_t get_extra_info(Connection& c, uint32_t nodeid, uint32_t& size, void* out)
{
	return c.transact(wire::get_extra_info(nodeid), [&size, out](std::span<const std::byte> reply) {
		return decode_get_extra_info(reply, size, out);
	});
}

cs_error_t set_extra_info(Connection& c, const void* data, uint32_t size)
{
	if (data == nullptr) {
		size = 0;  // NULL data clears, whatever the size says
	}
	if (size > kExtraInfoMax) {
		return CS_ERR_INVALID_PARAM;
	}
	return status_request(c, wire::set_extra_info(data, size));
}

}  // namespace vq::votequorum::wire
