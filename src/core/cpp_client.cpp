// What the C++ clients share at run time (<corosync/client.hpp>): the
// cs_error_t error category and ClientBase's members. Part of the C++ API
// library only; the C libraries export nothing of it.
#include "client_core.hpp"
#include "errors.hpp"

#include <string>

namespace corosync {

namespace {

class Category final : public std::error_category {
public:
	const char* name() const noexcept override { return "cs_error_t"; }
	std::string message(int value) const override
	{
		const char* name = vq::cs_error_name(value);
		return name ? std::string(name) : "unknown cs_error_t value " + std::to_string(value);
	}
};

}  // namespace

const std::error_category& error_category() noexcept
{
	static const Category category;
	return category;
}

ClientBase::ClientBase(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
ClientBase::ClientBase(ClientBase&&) noexcept = default;
ClientBase& ClientBase::operator=(ClientBase&&) noexcept = default;  // the old Impl closes its session
ClientBase::~ClientBase() = default;

int ClientBase::fd() const noexcept
{
	return impl_ ? impl_->fd() : -1;
}

std::error_code ClientBase::dispatch(cs_dispatch_flags_t mode) const
{
	return ::make_error_code(impl_ ? impl_->dispatch(mode) : CS_ERR_BAD_HANDLE);
}

void ClientBase::close() noexcept
{
	if (impl_) {
		impl_->close();
	}
}

bool ClientBase::is_open() const noexcept
{
	return impl_ && impl_->is_open();
}

}  // namespace corosync

std::error_code make_error_code(cs_error_t e) noexcept
{
	return e == CS_OK ? std::error_code{} : std::error_code(static_cast<int>(e), corosync::error_category());
}
