#include "cstore/substituter/binary_cache.hh"

#include <charconv>

#include "cstore/util/strings.hh"
#include "file_cache.hh"
#include "http_cache.hh"

namespace cstore {

namespace {
std::string percentDecode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc() && p == s.data() + i + 3) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}
}  // namespace

CacheUrl CacheUrl::parse(std::string_view url) {
    CacheUrl u;
    auto q = url.find('?');
    u.base = std::string(url.substr(0, q));
    while (u.base.size() > 1 && u.base.back() == '/' && !u.base.ends_with("://")) u.base.pop_back();
    if (!u.base.starts_with("file://") && !u.base.starts_with("http://") && !u.base.starts_with("https://"))
        throw Error("binary cache URL '%s' must start with file://, http:// or https://", url);
    if (u.base.starts_with("file://") && (u.base.size() <= 7 || u.base[7] != '/'))
        throw Error("binary cache URL '%s' must name an absolute directory (file:///dir)", url);
    if (q != std::string_view::npos) {
        std::string_view rest = url.substr(q + 1);
        while (!rest.empty()) {
            auto amp = rest.find('&');
            std::string_view kv = rest.substr(0, amp);
            auto eq = kv.find('=');
            if (eq == std::string_view::npos || eq == 0)
                throw Error("binary cache URL '%s': parameter '%s' is not NAME=VALUE", url, kv);
            u.params[std::string(kv.substr(0, eq))] = percentDecode(kv.substr(eq + 1));
            rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        }
    }
    return u;
}

CacheInfo CacheInfo::parse(std::string_view text) {
    CacheInfo info;
    size_t i = 0;
    while (i < text.size()) {
        size_t nl = text.find('\n', i);
        std::string_view line = text.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
        i = nl == std::string_view::npos ? text.size() : nl + 1;
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (key == "StoreDir") {
            info.storeDir = value;
        } else if (key == "WantMassQuery") {
            info.wantMassQuery = value == "1";
        } else if (key == "Priority") {
            int p = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
            if (ec == std::errc() && end == value.data() + value.size()) info.priority = p;
        }
    }
    return info;
}

std::string CacheInfo::render() const {
    std::string out = "StoreDir: " + storeDir + "\n";
    if (wantMassQuery) out += "WantMassQuery: 1\n";
    if (priority != 50) out += "Priority: " + std::to_string(priority) + "\n";
    return out;
}

CacheInfo BinaryCache::info() {
    if (info_) return *info_;
    auto text = getFile("nix-cache-info");
    if (!text) throw Error("'%s' is not a binary cache: it has no nix-cache-info", url());
    CacheInfo info = CacheInfo::parse(*text);
    if (auto p = url_.params.find("priority"); p != url_.params.end()) {
        try {
            info.priority = std::stoi(p->second);
        } catch (std::exception&) {
            throw Error("binary cache URL '%s': priority '%s' is not a number", url(), p->second);
        }
    }
    info_ = info;
    return info;
}

void BinaryCache::initForWriting(const StoreDir& storeDir) {
    auto text = getFile("nix-cache-info");
    if (!text) {
        CacheInfo info;
        info.storeDir = storeDir.dir();
        if (auto p = url_.params.find("priority"); p != url_.params.end()) info.priority = std::stoi(p->second);
        if (url_.param("want-mass-query") == "true") info.wantMassQuery = true;
        upsertFile("nix-cache-info", info.render(), "text/x-nix-cache-info");
        info_ = info;
        return;
    }
    info_.reset();
    CacheInfo info = this->info();
    if (!info.storeDir.empty() && info.storeDir != storeDir.dir())
        throw Error("binary cache '%s' holds paths of store directory '%s', not '%s'", url(), info.storeDir,
                    storeDir.dir());
}

void checkRelativeCacheUrl(std::string_view url, const std::string& whence) {
    bool bad = url.empty() || url[0] == '/' || url.find("://") != std::string_view::npos ||
               url.find('\0') != std::string_view::npos;
    size_t i = 0;
    while (!bad && i <= url.size()) {
        size_t e = url.find('/', i);
        if (e == std::string_view::npos) e = url.size();
        std::string_view seg = url.substr(i, e - i);
        if (seg == ".." || seg == ".") bad = true;
        i = e + 1;
    }
    if (bad) throw FormatError("%s: URL '%s' does not name a file inside the cache", whence, url);
}

std::shared_ptr<BinaryCache> openBinaryCache(const std::string& url, std::shared_ptr<HttpClient> http) {
    CacheUrl u = CacheUrl::parse(url);
    if (u.base.starts_with("file://")) return std::make_shared<FileBinaryCache>(u);
    return std::make_shared<HttpBinaryCache>(u, std::move(http));
}

}  // namespace cstore
