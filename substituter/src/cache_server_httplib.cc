// `cstore serve` on cpp-httplib: the serve extension (see cstore/util/extension.hh).
#include "cache_server_extension.hh"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "cstore/store/nar.hh"
#include "cstore/substituter/compression.hh"
#include "cstore/substituter/narinfo.hh"
#include "cstore/util/logging.hh"
#include "cstore/util/signals.hh"

namespace cstore {

namespace {

// The nix32 alphabet: digits and lower-case letters without e, o, t, u.
const std::string hashRe = "[0-9a-df-np-sv-z]{32}";

struct ClientGone {};

// Pushes into httplib's DataSink; stops the producer when the client goes away.
struct DataSinkAdapter : Sink {
    httplib::DataSink& sink;
    explicit DataSinkAdapter(httplib::DataSink& s) : sink(s) {}
    void operator()(std::string_view data) override {
        if (!sink.is_writable() || !sink.write(data.data(), data.size())) throw ClientGone();
    }
};

class CacheServer {
public:
    CacheServer(LocalStore& store, const CacheServerOptions& opts) : store_(store), opts_(opts) {}

    void run() {
        auto colon = opts_.listen.rfind(':');
        if (colon == std::string::npos) throw Error("--listen '%s' is not ADDR:PORT", opts_.listen);
        std::string host = opts_.listen.substr(0, colon);
        if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        int port = 0;
        try {
            port = std::stoi(opts_.listen.substr(colon + 1));
        } catch (std::exception&) {
            throw Error("--listen '%s' is not ADDR:PORT", opts_.listen);
        }
        if (opts_.compression != "zstd" && opts_.compression != "none")
            throw Error("cstore serve compresses with zstd or none, not '%s'", opts_.compression);

        bool tls = !opts_.tlsCert.empty() || !opts_.tlsKey.empty();
        if (tls && (opts_.tlsCert.empty() || opts_.tlsKey.empty()))
            throw Error("HTTPS needs both --tls-cert and --tls-key");
        std::unique_ptr<httplib::Server> svr;
        if (tls) {
            svr = std::make_unique<httplib::SSLServer>(opts_.tlsCert.c_str(), opts_.tlsKey.c_str());
            if (!svr->is_valid())
                throw Error("cannot use the TLS certificate '%s' with the key '%s'", opts_.tlsCert, opts_.tlsKey);
        } else {
            svr = std::make_unique<httplib::Server>();
        }
        unsigned threads = std::max(1u, opts_.threads);
        svr->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        svr->set_keep_alive_max_count(1000);
        svr->set_keep_alive_timeout(opts_.keepAliveSeconds);
        svr->set_read_timeout(30);
        svr->set_write_timeout(60);
        svr->set_tcp_nodelay(true);
        routes(*svr);

        if (port == 0) {
            port = svr->bind_to_any_port(host);
            if (port < 0) throw SysError("cannot listen on '%s'", opts_.listen);
        } else if (!svr->bind_to_port(host, port)) {
            throw SysError("cannot listen on '%s'", opts_.listen);
        }
        std::string url = std::string(tls ? "https" : "http") + "://" +
                          (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
        if (opts_.onReady) opts_.onReady(url);

        std::atomic<bool> done{false};
        std::thread watcher([&] {
            while (!done) {
                if (interruptRequested.load()) {
                    svr->stop();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
        bool ok = svr->listen_after_bind();
        done = true;
        watcher.join();
        if (!ok && !interruptRequested.load()) throw Error("serving on '%s' failed", url);
    }

private:
    std::optional<PathInfo> lookup(std::string_view hashPart) {
        std::lock_guard lock(storeMutex_);
        auto path = store_.queryPathFromHashPart(hashPart);
        if (!path) return std::nullopt;
        return store_.queryPathInfo(*path);
    }

    // Rendered (and signed) narinfos are kept for a few seconds: many clients
    // asking for the same paths then cost neither database queries nor
    // signatures. Misses are never remembered, so new paths show up at once.
    static constexpr auto narInfoTtl = std::chrono::seconds(10);

    std::optional<std::string> cachedNarInfo(const std::string& hashPart) {
        std::shared_lock lock(cacheMutex_);
        auto it = narInfos_.find(hashPart);
        if (it == narInfos_.end() || std::chrono::steady_clock::now() - it->second.first > narInfoTtl)
            return std::nullopt;
        return it->second.second;
    }

    void rememberNarInfo(const std::string& hashPart, const std::string& text) {
        std::unique_lock lock(cacheMutex_);
        if (narInfos_.size() >= 100000) narInfos_.clear();
        narInfos_[hashPart] = {std::chrono::steady_clock::now(), text};
    }

    std::string narUrl(const PathInfo& info, bool compressed) const {
        return "nar/" + std::string(info.path.hashPart()) + "-" + info.narHash.encode(HashFormat::nix32) +
               (compressed ? ".nar.zst" : ".nar");
    }

    static void notFound(httplib::Response& res) {
        res.status = 404;
        res.set_content("not found\n", "text/plain");
    }

    void routes(httplib::Server& svr) {
        svr.Get("/nix-cache-info", [this](const httplib::Request&, httplib::Response& res) {
            std::string info = "StoreDir: " + store_.storeDir().dir() +
                               "\nWantMassQuery: 1\nPriority: " + std::to_string(opts_.priority) + "\n";
            res.set_content(info, "text/x-nix-cache-info");
        });

        svr.Get("/(" + hashRe + ")\\.narinfo", [this](const httplib::Request& req, httplib::Response& res) {
            std::string hashPart = req.matches[1].str();
            if (auto cached = cachedNarInfo(hashPart)) return res.set_content(*cached, "text/x-nix-narinfo");
            auto info = lookup(hashPart);
            if (!info) return notFound(res);
            NarInfo ni(*info);
            bool compressed = opts_.compression == "zstd";
            ni.compression = compressed ? "zstd" : "none";
            ni.url = narUrl(*info, compressed);
            if (!compressed) {
                ni.fileHash = info->narHash;
                ni.fileSize = info->narSize;
            }
            for (auto& k : opts_.keys) ni.sigs.insert(k.sign(info->fingerprint(store_.storeDir())));
            std::string text = ni.render(store_.storeDir());
            rememberNarInfo(hashPart, text);
            res.set_content(text, "text/x-nix-narinfo");
        });

        svr.Get("/nar/(" + hashRe + ")-([0-9a-df-np-sv-z]{52})\\.nar(\\.zst)?",
                [this](const httplib::Request& req, httplib::Response& res) {
                    auto info = lookup(req.matches[1].str());
                    if (!info || info->narHash.encode(HashFormat::nix32) != req.matches[2].str()) return notFound(res);
                    std::string real = store_.realPath(info->path);
                    bool compressed = req.matches[3].matched;
                    int level = opts_.compressionLevel;
                    auto produce = [real, compressed, level](size_t, httplib::DataSink& sink) {
                        try {
                            DataSinkAdapter out(sink);
                            BufferedSink buffered(out, 256 * 1024);
                            if (compressed) {
                                auto zstd = makeCompressor("zstd", buffered, {level, 0});
                                dumpPath(real, *zstd);
                                zstd->finish();
                            } else {
                                dumpPath(real, buffered);
                            }
                            buffered.flush();
                            sink.done();
                            return true;
                        } catch (ClientGone&) {
                            return false;
                        } catch (std::exception& e) {
                            logError("serving '%s': %s", real, e.what());
                            return false;
                        }
                    };
                    if (compressed)
                        res.set_chunked_content_provider("application/x-nix-nar", produce);
                    else
                        res.set_content_provider(info->narSize, "application/x-nix-nar",
                                                 [produce](size_t offset, size_t, httplib::DataSink& sink) {
                                                     // Everything is written in the first call.
                                                     return offset == 0 ? produce(offset, sink) : false;
                                                 });
                });

        svr.Get("/log/(" + hashRe + "-[0-9a-zA-Z+\\-._?=]{1,211}\\.drv)",
                [this](const httplib::Request& req, httplib::Response& res) {
                    if (!opts_.readLog) return notFound(res);
                    std::optional<std::string> log;
                    try {
                        StorePath drv(req.matches[1].str());
                        std::lock_guard lock(storeMutex_);
                        log = opts_.readLog(drv);
                    } catch (Error&) {
                    }
                    if (!log) return notFound(res);
                    res.set_content(*log, "text/plain; charset=utf-8");
                });

        svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (res.status == 404 && res.body.empty()) res.set_content("not found\n", "text/plain");
        });
        svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (std::exception& e) {
                logError("serving '%s': %s", req.path, e.what());
            } catch (...) {
            }
            res.status = 500;
            res.set_content("internal error\n", "text/plain");
        });
        svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            logVerbose("%s %s %s", req.method, req.path, res.status);
        });
    }

    LocalStore& store_;
    const CacheServerOptions& opts_;
    std::mutex storeMutex_;
    std::shared_mutex cacheMutex_;
    std::unordered_map<std::string, std::pair<std::chrono::steady_clock::time_point, std::string>> narInfos_;
};

}  // namespace

}  // namespace cstore

void cstore_serve_cache(cstore::LocalStore& store, const cstore::CacheServerOptions& options) {
    cstore::CacheServer(store, options).run();
}
