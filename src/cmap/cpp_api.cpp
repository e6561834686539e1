// cmap::Client over the same core as the C shim (not over the shim).
#include "callback_sink.hpp"
#include "requests.hpp"
#include "wire.hpp"

#include "core/client_core.hpp"

#include <cmap/client.hpp>

namespace cmap {

namespace {

namespace calls = vq::cmap::calls;

// The C++ API's end of the event path: each notification of a track the
// client holds becomes a ChangeEvent (views of the same bytes) for the
// handler; the track table is the C shim's, holding no callbacks.
class HandlerSink final : public vq::cmap::wire::EventSink, vq::Delivers<Client::Handler> {
public:
	explicit HandlerSink(Client::Handler handler) : Delivers(std::move(handler)) {}

	void on(const vq::cmap::wire::NotifyEvent& e) override
	{
		vq::cmap::Tracks::Track track{};
		if (!tracks.find(e.track_inst, track)) {
			return;  // deleted meanwhile
		}
		deliver(ChangeEvent{track.handle, e.event, e.key, {e.new_type, e.new_value}, {e.old_type, e.old_value}});
	}

	vq::cmap::Tracks tracks;
};

using Core = vq::ClientCore<HandlerSink>;
using Session = Core::Session;

const Core* core(const corosync::ClientBase::Impl* impl)
{
	return vq::core_of<Core>(impl);
}

// A key as the C API would take it: CS_OK, or the error that refuses it.
// An empty key is refused unless `empty_ok` (a prefix: every key).
cs_error_t check_key(std::string_view key, bool empty_ok = false)
{
	if (!vq::cmap::wire::key_fits(key.size())) {
		return CS_ERR_NAME_TOO_LONG;
	}
	if ((key.empty() && !empty_ok) || key.find('\0') != std::string_view::npos) {
		return CS_ERR_INVALID_PARAM;
	}
	return CS_OK;
}

// Runs `body` (cs_error_t(Session&)) on the client's session once `key`
// has passed check_key.
template <class F>
std::error_code with_key(const corosync::ClientBase::Impl* impl, std::string_view key, F&& body, bool empty_ok = false)
{
	if (cs_error_t err = check_key(key, empty_ok); err != CS_OK) {
		return ::make_error_code(err);
	}
	return vq::on_session(core(impl), std::forward<F>(body));
}

}  // namespace

Result<Client> Client::connect(Handler handler, Options options, Map map)
{
	std::unique_ptr<Core> c;
	if (cs_error_t err = vq::open_core(c, vq::cmap::kService, options, std::move(handler)); err != CS_OK) {
		return ::make_error_code(err);
	}
	if (map != Map::config) {
		if (std::error_code ec = vq::on_session(c.get(), [&](Session& s) {
			    return calls::set_current_map(*s.connection, static_cast<int32_t>(map));
		    })) {
			return ec;
		}
	}
	return Client(std::move(c));
}

Result<Value> Client::get(std::string_view key) const
{
	Value v;
	if (std::error_code ec = with_key(impl(), key, [&](Session& s) {
		    return calls::get_value(*s.connection, key, v.bytes, v.type);
	    })) {
		return ec;
	}
	return v;
}

Result<std::string> Client::get_string(std::string_view key) const
{
	Result<Value> v = get(key);
	if (!v) {
		return v.error();
	}
	if (v->type != CMAP_VALUETYPE_STRING) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	std::string text(reinterpret_cast<const char*>(v->bytes.data()), v->bytes.size());
	if (const auto nul = text.find('\0'); nul != std::string::npos) {
		text.resize(nul);
	}
	return text;
}

std::error_code Client::set(std::string_view key, const Value& value) const
{
	if (value.type < CMAP_VALUETYPE_INT8 || value.type > CMAP_VALUETYPE_BINARY) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	return with_key(impl(), key, [&](Session& s) {
		return calls::set(*s.connection, key, value.bytes.data(), value.bytes.size(), value.type);
	});
}

std::error_code Client::set_string(std::string_view key, std::string_view value) const
{
	if (value.find('\0') != std::string_view::npos) {
		return ::make_error_code(CS_ERR_INVALID_PARAM);
	}
	// Its length without the NUL, as the C API sends it (the request carries one).
	return with_key(impl(), key, [&](Session& s) {
		return calls::set(*s.connection, key, value.data(), value.size(), CMAP_VALUETYPE_STRING);
	});
}

std::error_code Client::remove(std::string_view key) const
{
	return with_key(impl(), key, [&](Session& s) { return calls::delete_key(*s.connection, key); });
}

std::error_code Client::inc(std::string_view key) const
{
	return with_key(impl(), key, [&](Session& s) { return calls::adjust_int(*s.connection, key, 1); });
}

std::error_code Client::dec(std::string_view key) const
{
	return with_key(impl(), key, [&](Session& s) { return calls::adjust_int(*s.connection, key, -1); });
}

// A walk's state: the session (alive while the range is, even after the
// client goes), the daemon's iterator, the key found last.
struct KeyRange::State {
	std::shared_ptr<Session> session;
	uint64_t iter = 0;
	Entry entry;
	cs_error_t error = CS_OK;
	bool started = false;
	bool ended = false;

	// Ends the walk: releases the daemon's iterator, and keeps `why` (or,
	// after the last key, the release's error) unless it is the end.
	void end(cs_error_t why) noexcept
	{
		ended = true;
		const cs_error_t released = release();
		error = why != CS_ERR_NO_SECTIONS ? why : released;
	}

	cs_error_t release() noexcept
	{
		if (!session || session->connection->closed()) {
			return CS_ERR_BAD_HANDLE;
		}
		return vq::guarded([&] { return calls::iter_finalize(*session->connection, iter); });
	}

	~State()
	{
		if (!ended) {
			release();
		}
	}
};

KeyRange::KeyRange(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
KeyRange::KeyRange(KeyRange&&) noexcept = default;
KeyRange& KeyRange::operator=(KeyRange&&) noexcept = default;
KeyRange::~KeyRange() = default;

const Entry* KeyRange::advance(State* state) noexcept
{
	if (state == nullptr || state->ended) {
		return nullptr;
	}
	state->started = true;
	const cs_error_t err = state->session->connection->closed() ? CS_ERR_BAD_HANDLE : vq::guarded([&] {
		char key[CMAP_KEYNAME_MAXLEN + 1];
		const cs_error_t got = calls::iter_next(*state->session->connection, state->iter, key, state->entry.length,
			state->entry.type);
		if (got == CS_OK) {
			state->entry.key = key;
		}
		return got;
	});
	if (err != CS_OK) {
		state->end(err);
		return nullptr;
	}
	return &state->entry;
}

KeyRange::iterator KeyRange::begin()
{
	State* s = state_.get();
	if (s == nullptr || s->ended) {
		return {};
	}
	return {s, s->started ? &s->entry : advance(s)};
}

std::error_code KeyRange::error() const noexcept
{
	return ::make_error_code(state_ ? state_->error : CS_ERR_BAD_HANDLE);
}

Result<KeyRange> Client::iterate(std::string_view prefix) const
{
	std::unique_ptr<KeyRange::State> state(new (std::nothrow) KeyRange::State);
	if (!state) {
		return ::make_error_code(CS_ERR_NO_MEMORY);
	}
	// The session the iterator is opened on, held by the range.
	const Core* c = core(impl());
	std::shared_ptr<Session> held = c ? c->session() : nullptr;
	if (std::error_code ec = with_key(impl(), prefix, [&](Session& s) {
		    return calls::iter_init(*s.connection, prefix, state->iter);
	    }, true)) {
		state->ended = true;  // the daemon holds no iterator
		return ec;
	}
	state->session = std::move(held);
	return KeyRange(std::move(state));
}

Result<std::vector<Entry>> Client::keys(std::string_view prefix) const
{
	Result<KeyRange> range = iterate(prefix);
	if (!range) {
		return range.error();
	}
	std::vector<Entry> entries;
	// Memory running out is an error code here too, never an exception.
	const cs_error_t err = vq::guarded([&] {
		for (const Entry& e : *range) {
			entries.push_back(e);
		}
		return CS_OK;
	});
	if (err != CS_OK) {
		return ::make_error_code(err);
	}
	if (std::error_code ec = range->error()) {
		return ec;
	}
	return entries;
}

Result<cmap_track_handle_t> Client::track(std::string_view key, int32_t flags) const
{
	cmap_track_handle_t handle = 0;
	const std::error_code ec = with_key(impl(), key, [&](Session& s) {
		// Entered first: the track's first change may come before the reply.
		const uint64_t inst = s.sink.tracks.enter(nullptr, nullptr);
		if (cs_error_t err = calls::track_add(*s.connection, key, flags, inst, handle); err != CS_OK) {
			s.sink.tracks.leave(inst);
			return err;
		}
		s.sink.tracks.set_handle(inst, handle);
		return CS_OK;
	}, true);
	if (ec) {
		return ec;
	}
	return handle;
}

std::error_code Client::untrack(cmap_track_handle_t track) const
{
	return vq::on_session(core(impl()), [&](Session& s) {
		uint64_t inst = 0;
		if (cs_error_t err = calls::track_delete(*s.connection, track, inst); err != CS_OK) {
			return err;
		}
		s.sink.tracks.leave(inst);
		return CS_OK;
	});
}

}  // namespace cmap
