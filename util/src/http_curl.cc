// HttpClient's transfers on libcurl: the http extension (see
// cstore/util/extension.hh and http_transport.hh).
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

#include "cstore/util/error.hh"
#include "cstore/util/signals.hh"
#include "http_transport.hh"

namespace cstore {

namespace {

void globalInit() {
    static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!ok) throw Error("cannot initialise libcurl");
}

bool transientCurlError(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_WEIRD_SERVER_REPLY:
            return true;
        default:
            return false;
    }
}

bool transientStatus(int status) { return status >= 500 || status == 408 || status == 429; }

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    return s;
}

// Per-request state reached from curl's callbacks.
struct Transfer {
    CURL* curl = nullptr;
    Sink* body = nullptr;
    Source* upload = nullptr;
    HttpResponse response;
    std::string errorBody;  // the start of a non-2xx body, for messages
    std::exception_ptr error;
    bool statusKnown = false, deliver = false;

    static size_t onHeader(char* data, size_t size, size_t n, void* self) {
        auto& t = *static_cast<Transfer*>(self);
        std::string_view line(data, size * n);
        // A new status line (after a redirect or 100 Continue) starts a new header set.
        if (line.starts_with("HTTP/")) t.response.headers.clear();
        auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            std::string value(line.substr(colon + 1));
            value.erase(0, value.find_first_not_of(" \t"));
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
                value.pop_back();
            t.response.headers[lower(std::string(line.substr(0, colon)))] = value;
        }
        return size * n;
    }

    static size_t onData(char* data, size_t size, size_t n, void* self) {
        auto& t = *static_cast<Transfer*>(self);
        size_t len = size * n;
        if (!t.statusKnown) {
            long status = 0;
            curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
            t.deliver = status >= 200 && status < 300;
            t.statusKnown = true;
        }
        if (!t.deliver) {
            if (t.errorBody.size() < 1024) t.errorBody.append(data, std::min(len, 1024 - t.errorBody.size()));
            return len;
        }
        try {
            if (t.body) (*t.body)(std::string_view(data, len));
            t.response.bodyBytes += len;
            return len;
        } catch (...) {
            t.error = std::current_exception();
            return CURL_WRITEFUNC_ERROR;
        }
    }

    static size_t onRead(char* data, size_t size, size_t n, void* self) {
        auto& t = *static_cast<Transfer*>(self);
        try {
            return t.upload->read(data, size * n);
        } catch (...) {
            t.error = std::current_exception();
            return CURL_READFUNC_ABORT;
        }
    }

    static int onProgress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        return interruptRequested.load(std::memory_order_relaxed) ? 1 : 0;
    }
};

struct Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl) curl_easy_cleanup(curl);
    }
};

struct Shared {
    CURLSH* share = nullptr;
    std::mutex locks[CURL_LOCK_DATA_LAST];
    std::mutex poolMutex;
    std::vector<std::unique_ptr<Handle>> idle;

    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
        static_cast<Shared*>(self)->locks[data].lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* self) { static_cast<Shared*>(self)->locks[data].unlock(); }

    ~Shared() {
        idle.clear();
        if (share) curl_share_cleanup(share);
    }
};

class CurlTransport : public HttpTransport {
public:
    explicit CurlTransport(HttpOptions options);
    HttpResponse perform(const HttpRequest& request) override;

private:
    std::unique_ptr<Handle> borrow();
    void giveBack(std::unique_ptr<Handle> handle);

    HttpOptions options_;
    std::unique_ptr<Shared> shared_;
};

CurlTransport::CurlTransport(HttpOptions options) : options_(std::move(options)), shared_(std::make_unique<Shared>()) {
    globalInit();
    shared_->share = curl_share_init();
    if (!shared_->share) throw Error("cannot create a libcurl share handle");
    curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, &Shared::lock);
    curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, &Shared::unlock);
    curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
    curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

std::unique_ptr<Handle> CurlTransport::borrow() {
    {
        std::lock_guard lock(shared_->poolMutex);
        if (!shared_->idle.empty()) {
            auto h = std::move(shared_->idle.back());
            shared_->idle.pop_back();
            // Keeps the handle's open connections and caches, forgets its options.
            curl_easy_reset(h->curl);
            return h;
        }
    }
    auto h = std::make_unique<Handle>();
    h->curl = curl_easy_init();
    if (!h->curl) throw Error("cannot create a libcurl handle");
    return h;
}

void CurlTransport::giveBack(std::unique_ptr<Handle> handle) {
    std::lock_guard lock(shared_->poolMutex);
    shared_->idle.push_back(std::move(handle));
}

HttpResponse CurlTransport::perform(const HttpRequest& request) {
    const auto& [method, url, body, upload, uploadSize, contentType] = request;
    checkInterrupt();
    auto handle = borrow();
    CURL* c = handle->curl;
    Transfer t;
    t.curl = c;
    t.body = body;
    t.upload = upload;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip before PUT bodies
    std::string ct;
    if (!contentType.empty()) {
        ct = "Content-Type: " + std::string(contentType);
        headers = curl_slist_append(headers, ct.c_str());
    }

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_SHARE, shared_->share);
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.userAgent.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Transfer::onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::onData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Transfer::onProgress);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    if (options_.connectTimeout)
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connectTimeout));
    if (options_.stallTimeout) {
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stallTimeout));
    }
    if (!options_.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.caFile.c_str());
    if (!options_.netrcFile.empty()) {
        // Only for the hosts the file names; curl sends them after a redirect to the same host only.
        curl_easy_setopt(c, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
        curl_easy_setopt(c, CURLOPT_NETRC_FILE, options_.netrcFile.c_str());
    }
    switch (method) {
        case HttpMethod::get:
            curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
            curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
            break;
        case HttpMethod::head:
            curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
            curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
            curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
            break;
        case HttpMethod::put:
            curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(c, CURLOPT_READFUNCTION, &Transfer::onRead);
            curl_easy_setopt(c, CURLOPT_READDATA, &t);
            curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(uploadSize));
            break;
    }

    CURLcode code = curl_easy_perform(c);
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    // A handle whose transfer failed may hold a broken connection: drop it.
    if (code == CURLE_OK)
        giveBack(std::move(handle));
    else
        handle.reset();

    if (t.error) std::rethrow_exception(t.error);
    if (code == CURLE_ABORTED_BY_CALLBACK) checkInterrupt();
    std::string verb = method == HttpMethod::put ? "uploading to" : "fetching";
    if (code != CURLE_OK) {
        std::string detail = *errbuf ? errbuf : curl_easy_strerror(code);
        throw HttpError(0, transientCurlError(code), format("%s '%s': %s", verb, url, detail));
    }
    if (status >= 200 && status < 300) return t.response;
    if (method != HttpMethod::put && t.response.notFound()) return t.response;
    std::string msg = format("%s '%s': HTTP status %s", verb, url, status);
    if (status == 401)
        msg += options_.netrcFile.empty() ? " (the server wants credentials: put them in the netrc-file)"
                                          : format(" (the credentials in '%s' were refused)", options_.netrcFile);
    if (!t.errorBody.empty() && t.errorBody.size() < 200 && t.errorBody.find('<') == std::string::npos) {
        std::string b = t.errorBody;
        while (!b.empty() && isspace(static_cast<unsigned char>(b.back()))) b.pop_back();
        if (!b.empty()) msg += " (" + b + ")";
    }
    throw HttpError(static_cast<int>(status), transientStatus(static_cast<int>(status)), msg);
}

}  // namespace

}  // namespace cstore

std::unique_ptr<cstore::HttpTransport> cstore_http_transport(const cstore::HttpOptions& options) {
    return std::make_unique<cstore::CurlTransport>(options);
}
