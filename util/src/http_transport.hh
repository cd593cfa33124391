// What HttpClient needs from libcurl, implemented in the http extension
// (util/src/http_curl.cc, loaded on first use: see cstore/util/extension.hh).
// A transport makes one attempt per call and may be called from many
// threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cstore/util/http.hh"

namespace cstore {

enum class HttpMethod { get, head, put };

struct HttpRequest {
    HttpMethod method;
    const std::string& url;
    Sink* body = nullptr;      // GET: where a 2xx body goes
    Source* upload = nullptr;  // PUT: the body, `uploadSize` bytes
    uint64_t uploadSize = 0;
    std::string_view contentType = {};
};

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    // As HttpClient::get/head/put describe.
    virtual HttpResponse perform(const HttpRequest& request) = 0;
};

}  // namespace cstore

extern "C" std::unique_ptr<cstore::HttpTransport> cstore_http_transport(const cstore::HttpOptions& options);
