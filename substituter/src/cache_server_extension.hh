// The serve extension's entry point (cache_server_httplib.cc; see
// cstore/util/extension.hh): serveCache, as cache_server.hh describes it.
#pragma once

#include "cstore/substituter/cache_server.hh"

extern "C" void cstore_serve_cache(cstore::LocalStore& store, const cstore::CacheServerOptions& options);
