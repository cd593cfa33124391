#include "cstore/builder/builtins.hh"

#include "cstore/util/error.hh"

namespace cstore {

// The builders that live in this module (named here so that the linker
// keeps them; other modules register theirs at start-up).
void builtinUnpack(BuiltinContext& ctx);
void builtinBusybox(BuiltinContext& ctx);
void builtinFetchurl(BuiltinContext& ctx);

namespace {
std::map<std::string, BuiltinBuilderEntry>& registry() {
    static std::map<std::string, BuiltinBuilderEntry> builders = {
        {"unpack", {builtinUnpack, {"archive"}}},
        {"busybox", {builtinBusybox, {}}},
        {"fetchurl", {builtinFetchurl, {"http"}}},
    };
    return builders;
}
}  // namespace

const std::string& BuiltinContext::env(const std::string& name) const {
    auto it = drv.env.find(name);
    if (it == drv.env.end()) throw Error("builtin builder of '%s' needs the attribute '%s'", drv.name, name);
    return it->second;
}

void registerBuiltinBuilder(const std::string& name, BuiltinBuilder fn, std::vector<std::string> extensions) {
    registry()[name] = {fn, std::move(extensions)};
}

const BuiltinBuilderEntry* findBuiltinBuilder(const std::string& name) {
    auto it = registry().find(name);
    return it == registry().end() ? nullptr : &it->second;
}

}  // namespace cstore
