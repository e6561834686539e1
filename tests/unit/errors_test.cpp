// The errno -> cs_error_t table, checked for every errno value.
#include "core/errors.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <map>

TEST_CASE("every libqb result maps as corosync's table says", "[errors]")
{
	// Written from PROTOCOL.md section 5, independently of errors.cpp.
	const std::map<int, cs_error_t> table = {
		{EBADF, CS_ERR_BAD_HANDLE}, {ENOMEM, CS_ERR_NO_MEMORY}, {ENOMSG, CS_ERR_TRY_AGAIN},
		{ENOBUFS, CS_ERR_TRY_AGAIN}, {ETIMEDOUT, CS_ERR_TRY_AGAIN}, {EAGAIN, CS_ERR_TRY_AGAIN},
		{EBADE, CS_ERR_FAILED_OPERATION}, {ETIME, CS_ERR_TIMEOUT}, {EINVAL, CS_ERR_INVALID_PARAM},
		{EBUSY, CS_ERR_BUSY}, {EACCES, CS_ERR_ACCESS}, {EOVERFLOW, CS_ERR_NAME_TOO_LONG},
		{EEXIST, CS_ERR_EXIST}, {ENOSPC, CS_ERR_NO_SPACE}, {EINTR, CS_ERR_INTERRUPT},
		{ENOENT, CS_ERR_NOT_EXIST}, {ENODEV, CS_ERR_NOT_EXIST}, {ENOSYS, CS_ERR_NOT_SUPPORTED},
		{ENOTSUP, CS_ERR_NOT_SUPPORTED}, {EBADMSG, CS_ERR_MESSAGE_ERROR}, {EMSGSIZE, CS_ERR_TOO_BIG},
		{E2BIG, CS_ERR_TOO_BIG},
	};
	for (int e = 1; e < 4096; ++e) {
		auto it = table.find(e);
		const cs_error_t expected = it == table.end() ? CS_ERR_LIBRARY : it->second;
		INFO("errno " << e);
		CHECK(vq::from_qb_result(-e) == expected);
	}
	CHECK(vq::from_qb_result(0) == CS_OK);
	CHECK(vq::from_qb_result(320) == CS_OK);
	CHECK(vq::from_qb_result(-ECONNREFUSED) == CS_ERR_LIBRARY);
	CHECK(vq::from_qb_result(-ENOTCONN) == CS_ERR_LIBRARY);
}

TEST_CASE("error names", "[errors]")
{
	CHECK(std::string(vq::error_name(CS_OK)) == "CS_OK");
	CHECK(std::string(vq::error_name(CS_ERR_MESSAGE_ERROR)) == "CS_ERR_MESSAGE_ERROR");
	CHECK(std::string(vq::error_name(static_cast<cs_error_t>(77))) == "CS_ERR_77");
}

TEST_CASE("one list of cs_error_t values: names and validity agree", "[errors]")
{
	int valid = 0;
	for (int32_t v = -2; v <= 300; ++v) {
		const char* name = vq::cs_error_name(v);
		CHECK(vq::is_cs_error(v) == (name != nullptr));
		valid += name != nullptr;
	}
	CHECK(valid == 30);  // CS_OK .. CS_ERR_CONTEXT_NOT_FOUND, TOO_MANY_GROUPS, SECURITY
	CHECK(std::string(vq::cs_error_name(CS_ERR_SECURITY)) == "CS_ERR_SECURITY");
	for (int32_t v : {0, 29, 31, 99, 101, 4242}) {
		CHECK_FALSE(vq::is_cs_error(v));
	}
}
