// Publishing into a file:// cache and substituting from it (also over HTTP
// through a scripted server), in-process, so that the sanitizers see the
// pipelines: parallel fetches, the thread pipe, registration order, cleanup.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "cstore/store/local_store.hh"
#include "cstore/substituter/cache_substituter.hh"
#include "cstore/substituter/cache_writer.hh"
#include "cstore/util/file.hh"
#include "scripted_server.hh"

using namespace cstore;
using namespace cstore::test;

namespace {

class CacheRoundTrip : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = AutoDelete(createTempDir(defaultTempDir(), "cstore-cache-test"));
        setenv("XDG_CACHE_HOME", (dir_.path() + "/xdg").c_str(), 1);
        src_ = std::make_unique<LocalStore>(dir_.path() + "/src", "/store");
        key_ = SecretKey::generate("test-cache-1");
        // Three leaves and a root that refers to them (found by scanning).
        std::string refs;
        for (int i = 0; i < 3; ++i) {
            std::string d = dir_.path() + "/in" + std::to_string(i);
            createDirs(d + "/sub");
            writeFile(d + "/sub/data", std::string(100000 + i, static_cast<char>('a' + i)));
            writeFile(d + "/small", "leaf " + std::to_string(i) + "\n");
            auto info = src_->addPath(d, "leaf" + std::to_string(i), IngestionMethod::recursive);
            refs += src_->printPath(info.path) + "\n";
            leaves_.insert(info.path);
        }
        createDirs(dir_.path() + "/root");
        writeFile(dir_.path() + "/root/refs", refs);
        root_ = src_->addPath(dir_.path() + "/root", "root", IngestionMethod::recursive).path;
        ASSERT_EQ(src_->closure({root_}).size(), 4u);
    }

    std::string cacheUrl() const { return "file://" + dir_.path() + "/cache"; }

    void publish(const std::string& url) {
        auto cache = openBinaryCache(url);
        CopyToOptions o;
        o.applyUrlParams(cache->cacheUrl());
        o.keys = {key_};
        o.showProgress = false;
        auto stats = copyToCache(*src_, *cache, src_->closure({root_}), o);
        EXPECT_EQ(stats.paths + stats.skipped, 4u);
    }

    SubstituterOptions options(bool trust = true) const {
        SubstituterOptions o;
        if (trust) o.trustedKeys = parsePublicKeys({key_.toPublicKey().toString()});
        o.showProgress = false;
        o.useDiskCache = false;
        return o;
    }

    std::unique_ptr<LocalStore> freshStore(const std::string& name) {
        return std::make_unique<LocalStore>(dir_.path() + "/" + name, "/store");
    }

    std::vector<std::string> storeEntries(LocalStore& s) { return readDirectoryNames(s.realStoreDir()); }

    AutoDelete dir_;
    std::unique_ptr<LocalStore> src_;
    SecretKey key_;
    StorePathSet leaves_;
    StorePath root_ = StorePath::dummy("x");
};

}  // namespace

TEST_F(CacheRoundTrip, PublishThenSubstituteTheClosure) {
    publish(cacheUrl());
    // Publishing again skips everything.
    {
        auto cache = openBinaryCache(cacheUrl());
        CopyToOptions o;
        o.showProgress = false;
        EXPECT_EQ(copyToCache(*src_, *cache, src_->closure({root_}), o).skipped, 4u);
    }
    auto dst = freshStore("dst");
    CacheSubstituter subs({cacheUrl()}, options());
    auto found = subs.querySubstitutable({root_});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found.at(root_).references, leaves_);
    auto stats = subs.fetchClosure(*dst, {root_});
    EXPECT_EQ(stats.paths, 4u);
    for (auto& p : src_->closure({root_})) {
        auto a = src_->pathInfoOrThrow(p), b = dst->pathInfoOrThrow(p);
        EXPECT_EQ(a.narHash, b.narHash);
        EXPECT_EQ(a.references, b.references);
        EXPECT_EQ(b.sigs.size(), 1u);
        EXPECT_FALSE(b.ultimate);
    }
    EXPECT_EQ(readFile(dst->realPath(*leaves_.begin()) + "/small").substr(0, 5), "leaf ");
}

TEST_F(CacheRoundTrip, EveryCompressionReadsBack) {
    for (std::string c : {"none", "xz", "zstd", "bzip2", "br"}) {
        std::string url = cacheUrl() + "-" + c;
        publish(url + "?compression=" + c);
        auto dst = freshStore("dst-" + c);
        CacheSubstituter subs({url}, options());
        EXPECT_EQ(subs.fetchClosure(*dst, {root_}).paths, 4u) << c;
    }
}

TEST_F(CacheRoundTrip, UntrustedInputAddressedPathsAreRefusedButContentAddressedOnesPass) {
    publish(cacheUrl());
    auto dst = freshStore("dst");
    // These paths are content-addressed (store add), so no key is needed.
    CacheSubstituter subs({cacheUrl()}, options(false));
    EXPECT_EQ(subs.fetchClosure(*dst, {root_}).paths, 4u);
}

TEST_F(CacheRoundTrip, CorruptNarLeavesTheStoreUnchanged) {
    publish(cacheUrl());
    // Replace one leaf's NAR by another's: the hash check must catch it.
    auto leaf = *leaves_.begin();
    std::string cacheDir = dir_.path() + "/cache";
    std::string ni = readFile(cacheDir + "/" + std::string(leaf.hashPart()) + ".narinfo");
    auto other = *std::next(leaves_.begin());
    std::string otherNi = readFile(cacheDir + "/" + std::string(other.hashPart()) + ".narinfo");
    auto urlOf = [](const std::string& text) {
        auto p = text.find("URL: ") + 5;
        return text.substr(p, text.find('\n', p) - p);
    };
    std::string broken = ni;
    broken.replace(broken.find(urlOf(ni)), urlOf(ni).size(), urlOf(otherNi));
    writeFile(cacheDir + "/" + std::string(leaf.hashPart()) + ".narinfo", broken);

    auto dst = freshStore("dst");
    auto before = storeEntries(*dst);
    CacheSubstituter subs({cacheUrl()}, options());
    try {
        subs.fetchClosure(*dst, {leaf});
        FAIL() << "a corrupt NAR was accepted";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find("NAR"), std::string::npos) << e.what();
    }
    EXPECT_EQ(storeEntries(*dst), before);
    EXPECT_FALSE(dst->isValidPath(leaf));
    // The root needs that leaf: it fails too, while the other leaves arrive.
    EXPECT_THROW(subs.fetchClosure(*dst, {root_}), Error);
    EXPECT_FALSE(dst->isValidPath(root_));
    for (auto& l : leaves_) {
        if (l != leaf) {
            EXPECT_TRUE(dst->isValidPath(l));
        }
    }
}

TEST_F(CacheRoundTrip, OverHttpWithAFlakyServer) {
    publish(cacheUrl());
    std::string cacheDir = dir_.path() + "/cache";
    std::mutex m;
    std::set<std::string> seen;
    ScriptedServer server([&](const ScriptedRequest& r) {
        {
            std::lock_guard lock(m);
            if (seen.insert(r.path).second && r.path.find("/nar/") != std::string::npos)
                return ScriptedResponse{503, "busy"};
        }
        std::string file = cacheDir + r.path;
        if (r.path.find("..") != std::string::npos || !pathExists(file)) return ScriptedResponse{404, ""};
        ScriptedResponse ok{200, readFile(file)};
        return ok;
    });
    auto o = options();
    o.parallelism = 3;
    auto dst = freshStore("dst");
    CacheSubstituter subs({server.url()}, o);
    EXPECT_EQ(subs.fetchClosure(*dst, {root_}).paths, 4u);
    EXPECT_TRUE(dst->isValidPath(root_));
}
