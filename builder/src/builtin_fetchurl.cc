// `builtin:fetchurl`: downloads `url` (or the first of `urls` that works)
// into $out with libcurl: https (HTTP/2 where offered), http and file URLs,
// retries with backoff on transient failures, restarting from byte 0 so
// nothing half-written is kept. The hash is checked afterwards like any
// fixed output's. With `executable = "1"` the file is made executable.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "cstore/builder/build_env.hh"
#include "cstore/builder/builtins.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"
#include "cstore/util/http.hh"
#include "cstore/util/logging.hh"

namespace cstore {

namespace {

void fetchOne(HttpClient& http, const std::string& url, const std::string& out) {
    if (url.starts_with("file://")) {
        std::string path = url.substr(7);
        AutoCloseFD in = openFile(path, O_RDONLY);
        AutoCloseFD fd = openFile(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        FdSink sink(fd.get());
        FdSource(in.get()).drainInto(sink);
        return;
    }
    if (!isHttpUrl(url)) throw Error("fetchurl: unsupported URL '%s' (https, http and file URLs work)", url);
    http.withRetries([&] {
        AutoCloseFD fd = openFile(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        FdSink file(fd.get());
        uint64_t received = 0;
        LambdaSink counting([&](std::string_view chunk) {
            file(chunk);
            received += chunk.size();
        });
        auto r = http.get(url, counting);
        if (r.notFound()) throw HttpError(r.status, false, format("'%s' was not found (HTTP %s)", url, r.status));
        std::cout << "downloaded " << received << " bytes from " << url << "\n";
        return r;
    });
}

}  // namespace

void builtinFetchurl(BuiltinContext& ctx) {
    std::vector<std::string> urls = envWords(ctx.drv, "urls");
    if (urls.empty()) urls.push_back(ctx.env("url"));
    const std::string& out = ctx.outputs.at("out");
    HttpClient http;
    std::string errors;
    for (auto& url : urls) {
        try {
            std::cout << "fetching " << url << "\n";
            fetchOne(http, url, out);
            bool executable = ctx.drv.env.count("executable") && ctx.drv.env.at("executable") == "1";
            if (chmod(out.c_str(), executable ? 0755 : 0644) != 0) throw SysError("changing the mode of '%s'", out);
            return;
        } catch (Error& e) {
            std::cout << "failed: " << e.message() << "\n";
            errors += "\n  " + e.message();
            unlink(out.c_str());
        }
    }
    throw Error("fetchurl: every URL failed:%s", errors);
}

}  // namespace cstore
