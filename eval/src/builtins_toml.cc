// builtins.fromTOML, on toml11 (Debian's libtoml11-dev): the library Nix 2.8
// uses for it, so both accept and reject the same documents.
#include <toml.hpp>

#include <sstream>

#include "internal.hh"

namespace cstore::eval {

namespace {

void tomlToValue(EvalState& state, Value& v, const toml::value& t) {
    switch (t.type()) {
        case toml::value_t::table: {
            const auto& table = t.as_table();
            auto attrs = state.buildBindings(table.size());
            for (auto& [key, value] : table) tomlToValue(state, *attrs.alloc(key), value);
            v.mkAttrs(attrs.finish());
            break;
        }
        case toml::value_t::array: {
            const auto& array = t.as_array();
            state.mkList(v, array.size());
            for (size_t i = 0; i < array.size(); ++i) {
                v.listElems()[i] = state.allocValue();
                tomlToValue(state, *v.listElems()[i], array[i]);
            }
            break;
        }
        case toml::value_t::boolean:
            v.mkBool(t.as_boolean());
            break;
        case toml::value_t::integer:
            v.mkInt(t.as_integer());
            break;
        case toml::value_t::floating:
            v.mkFloat(t.as_floating());
            break;
        case toml::value_t::string:
            state.mkString(v, t.as_string().str);
            break;
        case toml::value_t::local_datetime:
        case toml::value_t::offset_datetime:
        case toml::value_t::local_date:
        case toml::value_t::local_time:
            // The language has no dates or times.
            throw std::runtime_error("Dates and times are not supported");
        case toml::value_t::empty:
            v.mkNull();
            break;
    }
}

void primFromTOML(EvalState& state, PosIdx pos, Value** args, Value& v) {
    std::istringstream in{std::string(state.forceStringNoCtx(*args[0], pos))};
    try {
        tomlToValue(state, v, toml::parse(in, "fromTOML"));
    } catch (EvalError&) {
        throw;
    } catch (std::exception& e) {
        throw EvalError(pos, "while parsing a TOML string: %s", e.what());
    }
}

}  // namespace

const PrimOp tomlBuiltins[] = {
    {"fromTOML", 1, primFromTOML},
    {nullptr, 0, nullptr},
};

}  // namespace cstore::eval
