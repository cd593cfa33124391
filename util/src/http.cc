#include "cstore/util/http.hh"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "cstore/util/extension.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"
#include "http_transport.hh"

namespace cstore {

HttpOptions HttpOptions::fromSettings() {
    HttpOptions o;
    o.connectTimeout = static_cast<unsigned>(settings.connectTimeout.get());
    o.stallTimeout = static_cast<unsigned>(settings.stalledDownloadTimeout.get());
    o.attempts = static_cast<unsigned>(settings.downloadAttempts.get());
    if (const char* env = getenv("CSTORE_SSL_CERT_FILE"); env && *env)
        o.caFile = env;
    else
        o.caFile = settings.sslCertFile.get();
    if (const std::string& netrc = settings.netrcFile.get(); !netrc.empty() && access(netrc.c_str(), R_OK) == 0)
        o.netrcFile = netrc;
    return o;
}

bool isHttpUrl(std::string_view url) { return url.starts_with("http://") || url.starts_with("https://"); }

namespace {
std::unique_ptr<HttpTransport> makeTransport(const HttpOptions& options) {
    static auto* make = extensionFunction<decltype(cstore_http_transport)>("http", "cstore_http_transport");
    return make(options);
}
}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), transport_(makeTransport(options_)) {}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const std::string& url, Sink& body) {
    return transport_->perform({.method = HttpMethod::get, .url = url, .body = &body});
}

HttpResponse HttpClient::head(const std::string& url) {
    return transport_->perform({.method = HttpMethod::head, .url = url});
}

HttpResponse HttpClient::put(const std::string& url, Source& body, uint64_t size, std::string_view contentType) {
    return transport_->perform(
        {.method = HttpMethod::put, .url = url, .upload = &body, .uploadSize = size, .contentType = contentType});
}

void HttpClient::backoff(unsigned attempt, const HttpError& e) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    unsigned base = options_.initialBackoffMs << std::min(attempt - 1, 10u);
    unsigned ms = base + std::uniform_int_distribution<unsigned>(0, base)(rng);
    logWarn("%s; retrying in %s ms", e.message(), ms);
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        checkInterrupt();
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 50u)));
    }
}

}  // namespace cstore
