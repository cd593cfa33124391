// An HTTP(S) client on libcurl for binary caches and fetchers: GET streamed
// into a Sink, PUT from a Source, HEAD; TLS checked against the system CA
// bundle or `ssl-cert-file`; HTTP/2 where the server offers it; connect and
// stall timeouts; retries with exponential backoff around whole attempts.
//
//   HttpClient http;                                   // options from the settings
//   StringSink body;
//   auto r = http.withRetries([&] { body.data.clear(); return http.get(url, body); });
//   if (r.notFound()) ...
//
// One HttpClient may be used from many threads at once: each request borrows
// an idle connection handle (so connections are kept alive and reused), and
// DNS results and TLS sessions are shared between handles. Every method makes
// a single attempt; `withRetries` repeats an attempt that failed transiently,
// and because the attempt is the caller's function it can start its
// consumer afresh, so nothing half-received is ever kept.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "cstore/util/error.hh"
#include "cstore/util/stream.hh"

namespace cstore {

class HttpTransport;

struct HttpOptions {
    unsigned connectTimeout = 10;  // seconds; 0: curl's default
    unsigned stallTimeout = 300;   // seconds without a byte moving; 0: none
    unsigned attempts = 5;         // for withRetries
    unsigned initialBackoffMs = 250;
    std::string caFile;     // PEM bundle; empty: the system's
    std::string netrcFile;  // credentials per host (netrc format); empty: none
    std::string userAgent = "cstore/0.1";

    // connect-timeout, stalled-download-timeout, download-attempts,
    // $CSTORE_SSL_CERT_FILE or ssl-cert-file, and netrc-file when it exists.
    static HttpOptions fromSettings();
};

// A failed request. `status` is the HTTP status, or 0 when there was none
// (connection refused or dropped, timeout, TLS failure). `transient` says
// whether trying again may help (5xx, 408, 429, dropped connections, timeouts).
class HttpError : public Error {
public:
    HttpError(int status, bool transient, std::string msg)
        : Error(std::move(msg)), status_(status), transient_(transient) {}
    int status() const { return status_; }
    bool transient() const { return transient_; }

private:
    int status_;
    bool transient_;
};

struct HttpResponse {
    int status = 0;
    uint64_t bodyBytes = 0;                      // bytes delivered to the sink
    std::map<std::string, std::string> headers;  // names in lower case
    bool notFound() const { return status == 404 || status == 403 || status == 410; }
};

class HttpClient {
public:
    explicit HttpClient(HttpOptions options = HttpOptions::fromSettings());
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    const HttpOptions& options() const { return options_; }

    // GET. A 2xx body goes to `body` as it arrives. 404, 403 and 410 are
    // returned (see HttpResponse::notFound); other failures throw HttpError.
    // An exception thrown by `body` aborts the transfer and propagates.
    HttpResponse get(const std::string& url, Sink& body);
    // HEAD: like GET without a body.
    HttpResponse head(const std::string& url);
    // PUT `size` bytes read from `body`. Any non-2xx status throws HttpError.
    HttpResponse put(const std::string& url, Source& body, uint64_t size, std::string_view contentType);

    // Calls `attempt` until it returns, retrying when it throws a transient
    // HttpError, at most `options().attempts` times in all, sleeping
    // 250 ms, 500 ms, 1 s, ... (with jitter) in between, warning each time.
    template <typename F>
    auto withRetries(F&& attempt) -> decltype(attempt()) {
        for (unsigned n = 1;; ++n) {
            try {
                return attempt();
            } catch (HttpError& e) {
                if (!e.transient()) throw;
                if (n >= std::max(1u, options_.attempts))
                    throw HttpError(e.status(), false, format("%s (%s attempts)", e.message(), n));
                backoff(n, e);
            }
        }
    }

private:
    void backoff(unsigned attempt, const HttpError& e);

    HttpOptions options_;
    std::unique_ptr<HttpTransport> transport_;  // libcurl, in the http extension
};

// Whether `url` starts with http:// or https://.
bool isHttpUrl(std::string_view url);

}  // namespace cstore
