#include "cstore/substituter/cache_server.hh"

#include "cache_server_extension.hh"
#include "cstore/util/extension.hh"

namespace cstore {

void serveCache(LocalStore& store, const CacheServerOptions& options) {
    static auto* serve = extensionFunction<decltype(cstore_serve_cache)>("serve", "cstore_serve_cache");
    serve(store, options);
}

}  // namespace cstore
