// CommandContext: global options and the lazily opened store.
#include <cstdlib>

#include "command.hh"
#include "cstore/store/local_store.hh"
#include "cstore/substituter/cache_substituter.hh"
#include "cstore/util/settings.hh"

namespace cstore {

std::string CommandContext::storeRoot() const {
    if (!storeRootOption.empty()) return storeRootOption;
    if (const char* env = getenv("CSTORE_STORE"); env && *env) return env;
    if (!settings.storeRoot.get().empty()) return settings.storeRoot.get();
    return "/";
}

LocalStore& CommandContext::store() {
    if (!store_) store_ = std::make_shared<LocalStore>(storeRoot(), settings.storeDir.get());
    return *store_;
}

Substituter* CommandContext::substituter() {
    if (!substituter_ && !settings.substituters.get().empty())
        substituter_ =
            std::make_shared<CacheSubstituter>(settings.substituters.get(), SubstituterOptions::fromSettings());
    return substituter_.get();
}

}  // namespace cstore
