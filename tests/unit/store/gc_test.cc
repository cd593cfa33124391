// Garbage collection: direct, indirect, stale and temporary roots,
// keep-derivations/keep-outputs, dry runs, --max-freed, batches, leftovers,
// the bytes reported freed, and a collection interrupted or killed half-way.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cstore/store/gc.hh"
#include "cstore/store/verify.hh"
#include "cstore/util/encoding.hh"
#include "cstore/util/settings.hh"
#include "cstore/util/signals.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {

class GcTest : public ::testing::Test {
protected:
    TempDir tmp;
    std::string root = tmp / "root";
    LocalStore store{root, "/store"};
    std::string gcroots = store.stateDir() + "/gcroots";

    PathInfo add(const std::string& name, const std::string& contents) {
        std::string src = tmp / ("src-" + name);
        writeFile(src, contents);
        PathInfo info = store.addPath(src, name, IngestionMethod::recursive);
        deletePath(src);
        return info;
    }
    // A path whose contents mention `deps`, so it refers to them.
    PathInfo addReferring(const std::string& name, const std::vector<StorePath>& deps) {
        std::string contents = name;
        for (auto& d : deps) contents += " " + store.printPath(d);
        return add(name, contents);
    }
    void rootLink(const std::string& name, const std::string& target) {
        createDirs(dirOf(gcroots + "/" + name));
        ASSERT_EQ(symlink(target.c_str(), (gcroots + "/" + name).c_str()), 0);
    }
    GcResult collect(GcOptions options = {}) {
        // Collections run in a fresh store object: ours holds temporary roots for every path it added.
        LocalStore collector(root, "/store");
        return collectGarbage(collector, options);
    }
    bool present(const PathInfo& p) { return store.isValidPath(p.path) && pathExists(store.realPath(p.path)); }
    bool gone(const PathInfo& p) { return !store.isValidPath(p.path) && !pathExists(store.realPath(p.path)); }
};

// Runs `fn` in a child process that exits without cleaning up (like a killed one).
void inDyingChild(const std::function<void()>& fn) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        try {
            fn();
        } catch (...) {
            _exit(2);
        }
        _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// The paths of this test are protected by the test's own temporary roots, so
// the tests that want something collected add it from a dying child.
class GcDeadTest : public GcTest {
protected:
    // Adds paths in a child process whose temporary roots die with it.
    std::vector<PathInfo> addDead(const std::vector<std::pair<std::string, std::string>>& files, bool chain = false) {
        std::vector<PathInfo> out;
        inDyingChild([&] {
            LocalStore child(root, "/store");
            std::optional<StorePath> previous;
            for (auto& [name, contents] : files) {
                std::string src = tmp / ("src-" + name);
                std::string c = contents;
                if (chain && previous) c += " " + child.printPath(*previous);
                writeFile(src, c);
                previous = child.addPath(src, name, IngestionMethod::recursive).path;
                deletePath(src);
            }
        });
        for (auto& [name, contents] : files) {
            (void)contents;
            for (auto& p : store.queryAllValidPaths())
                if (p.name() == name) out.push_back(store.pathInfoOrThrow(p));
        }
        return out;
    }
};

}  // namespace

TEST(GcRootNames, IndirectRootNameIsNix32OfSha1OfTheLink) {
    // Spec 10.2: /tmp/probe/result -> gcroots/auto/91x8i11ix9a6swlirz49455qp2syk25f.
    EXPECT_EQ(encodeNix32(hashString(HashAlgo::sha1, "/tmp/probe/result").raw()), "91x8i11ix9a6swlirz49455qp2syk25f");
}

TEST_F(GcDeadTest, EverythingUnrootedIsCollected) {
    auto paths = addDead({{"a", "A"}, {"b", "B"}, {"c", std::string(10000, 'c')}}, true);
    ASSERT_EQ(paths.size(), 3u);
    GcResult r = collect();
    EXPECT_EQ(r.deadPaths, 3u);
    EXPECT_EQ(r.pathsDeleted, 3u);
    EXPECT_GE(r.bytesFreed, 10002u);
    for (auto& p : paths) EXPECT_TRUE(gone(p)) << p.path.baseName();
    EXPECT_TRUE(readDirectoryNames(store.realStoreDir()).empty());
    EXPECT_EQ(collect().pathsDeleted, 0u);
}

TEST_F(GcDeadTest, DirectRootsKeepTheirClosure) {
    auto chain = addDead({{"dep", "D"}, {"mid", "M"}, {"top", "T"}}, true);
    auto other = addDead({{"other", "O"}, {"physical", "P"}, {"nested", "N"}, {"plainfile", "F"}});
    ASSERT_EQ(chain.size(), 3u);
    ASSERT_EQ(chain[2].references, StorePathSet{chain[1].path});
    rootLink("top", store.printPath(chain[2].path));
    // A link to the physical location, one in a subdirectory, and a file named like a store path.
    rootLink("physical", store.realPath(other[1].path));
    rootLink("sub/dir/nested", store.printPath(other[2].path));
    writeFile(gcroots + "/" + other[3].path.baseName(), "");

    auto roots = findRoots(store, false);
    std::set<std::string> rooted;
    for (auto& r : roots) rooted.insert(r.path.baseName());
    EXPECT_EQ(rooted, (std::set<std::string>{chain[2].path.baseName(), other[1].path.baseName(),
                                             other[2].path.baseName(), other[3].path.baseName()}));

    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, 1u);
    for (auto& p : chain) EXPECT_TRUE(present(p)) << p.path.baseName();
    EXPECT_TRUE(gone(other[0]));
    EXPECT_TRUE(present(other[1]));
    EXPECT_TRUE(present(other[2]));
    EXPECT_TRUE(present(other[3]));
    EXPECT_TRUE(verifyStore(store, {}, {}).empty());
}

TEST_F(GcDeadTest, RootsPointingInsideAStoreObject) {
    std::vector<PathInfo> paths;
    inDyingChild([&] {
        LocalStore child(root, "/store");
        writeTree(tmp / "pkg", {{"bin/tool", "#!/bin/sh\n"}});
        child.addPath(tmp / "pkg", "pkg", IngestionMethod::recursive);
        writeTree(tmp / "pkg2", {{"share/doc", "doc"}});
        child.addPath(tmp / "pkg2", "pkg2", IngestionMethod::recursive);
    });
    auto all = store.queryAllValidPaths();
    ASSERT_EQ(all.size(), 2u);
    StorePath pkg = *all.begin(), pkg2 = *std::next(all.begin());
    if (pkg.name() != "pkg") std::swap(pkg, pkg2);
    // A direct root to a file inside the object, and a user's link into an object.
    rootLink("tool", store.printPath(pkg) + "/bin/tool");
    ASSERT_EQ(symlink((store.printPath(pkg2) + "/share").c_str(), (tmp / "result").c_str()), 0);
    addIndirectRoot(store, tmp / "result-link", pkg2);
    ASSERT_EQ(unlink((tmp / "result-link").c_str()), 0);
    ASSERT_EQ(rename((tmp / "result").c_str(), (tmp / "result-link").c_str()), 0);

    collect();
    EXPECT_TRUE(store.isValidPath(pkg)) << "a root to " << store.printPath(pkg) << "/bin/tool did not keep it";
    EXPECT_TRUE(store.isValidPath(pkg2)) << "an indirect root into " << store.printPath(pkg2) << " did not keep it";
}

TEST_F(GcDeadTest, IndirectAndStaleRoots) {
    auto paths = addDead({{"kept", "K"}, {"stale", "S"}, {"repointed", "R"}});
    ASSERT_EQ(paths.size(), 3u);
    std::string keptLink = tmp / "result", staleLink = tmp / "old-result", repointed = tmp / "repointed";
    addIndirectRoot(store, keptLink, paths[0].path);
    addIndirectRoot(store, staleLink, paths[1].path);
    addIndirectRoot(store, repointed, paths[2].path);
    EXPECT_EQ(readLink(keptLink), store.realPath(paths[0].path));
    std::string autoName = gcroots + "/auto/" + encodeNix32(hashString(HashAlgo::sha1, keptLink).raw());
    EXPECT_EQ(readLink(autoName), keptLink);
    // Replacing an existing link is atomic and fine.
    addIndirectRoot(store, keptLink, paths[0].path);
    EXPECT_EQ(readDirectoryNames(gcroots + "/auto").size(), 3u);

    ASSERT_EQ(unlink(staleLink.c_str()), 0);
    ASSERT_EQ(unlink(repointed.c_str()), 0);
    ASSERT_EQ(symlink(tmp.path().c_str(), repointed.c_str()), 0);

    // Listing roots does not remove stale ones; collecting does.
    auto roots = findRoots(store, false);
    ASSERT_EQ(roots.size(), 1u);
    EXPECT_EQ(roots[0].link, keptLink);
    EXPECT_EQ(roots[0].path, paths[0].path);
    EXPECT_EQ(readDirectoryNames(gcroots + "/auto").size(), 3u);

    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, 2u);
    EXPECT_TRUE(present(paths[0]));
    EXPECT_TRUE(gone(paths[1]));
    EXPECT_TRUE(gone(paths[2]));
    // The stale link is gone; the repointed one still has a target, so it stays.
    EXPECT_EQ(readDirectoryNames(gcroots + "/auto").size(), 2u);
    EXPECT_TRUE(pathExists(autoName));

    EXPECT_THROW(addIndirectRoot(store, store.realPath(paths[0].path) + "-link", paths[0].path), Error);
    EXPECT_THROW(addIndirectRoot(store, "/store/x-link", paths[0].path), Error);
}

TEST_F(GcTest, TemporaryRootsOfThisProcessProtect) {
    // The fixture's store object holds temporary roots for what it added.
    PathInfo a = add("a", "A");
    PathInfo b = addReferring("b", {a.path});
    ASSERT_TRUE(pathExists(store.stateDir() + "/temproots/" + std::to_string(getpid())));
    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, 0u);
    EXPECT_TRUE(present(a));
    EXPECT_TRUE(present(b));
}

TEST_F(GcDeadTest, TemporaryRootsOfOtherLiveProcessesProtect) {
    auto paths = addDead({{"dep", "D"}, {"top", "T"}}, true);
    ASSERT_EQ(paths.size(), 2u);
    int toChild[2], fromChild[2];
    ASSERT_EQ(pipe(toChild), 0);
    ASSERT_EQ(pipe(fromChild), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        {
            LocalStore child(root, "/store");
            child.addTempRoot(paths[1].path);
            char x = 'r';
            if (write(fromChild[1], &x, 1) != 1) _exit(2);
            if (read(toChild[0], &x, 1) != 1) _exit(2);  // until the parent has collected
        }
        _exit(0);
    }
    char x = 0;
    ASSERT_EQ(read(fromChild[0], &x, 1), 1);
    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, 0u);
    EXPECT_TRUE(present(paths[0])) << "the closure of a temporary root is alive";
    EXPECT_TRUE(present(paths[1]));
    ASSERT_EQ(write(toChild[1], &x, 1), 1);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (int fd : {toChild[0], toChild[1], fromChild[0], fromChild[1]}) close(fd);
    // The process has ended: its roots no longer count.
    EXPECT_EQ(collect().pathsDeleted, 2u);
}

TEST_F(GcDeadTest, TemporaryRootsOfDeadProcessesAreRemoved) {
    auto paths = addDead({{"a", "A"}});
    ASSERT_EQ(paths.size(), 1u);
    inDyingChild([&] {
        LocalStore child(root, "/store");
        child.addTempRoot(paths[0].path);
        _exit(0);  // no destructors: the file stays, unlocked
    });
    EXPECT_EQ(readDirectoryNames(store.stateDir() + "/temproots").size(), 1u);
    collect();
    EXPECT_TRUE(gone(paths[0]));
    EXPECT_TRUE(readDirectoryNames(store.stateDir() + "/temproots").empty());
}

TEST_F(GcDeadTest, KeepDerivationsAndKeepOutputs) {
    std::vector<PathInfo> out = addDead({{"out", "output"}});
    StorePath drv("00000000000000000000000000000000-x.drv");
    inDyingChild([&] {
        LocalStore child(root, "/store");
        StorePath d = child.addText("x.drv", "Derive()", {});
        child.registerDerivationOutputs(d, {{"out", out.at(0).path}});
    });
    for (auto& p : store.queryAllValidPaths())
        if (p.isDerivation()) drv = p;
    ASSERT_TRUE(drv.isDerivation());

    bool keepDrvs = settings.keepDerivations.get(), keepOuts = settings.keepOutputs.get();
    rootLink("out", store.printPath(out[0].path));
    settings.keepDerivations.assign(true);
    {
        LocalStore s(root, "/store");
        EXPECT_TRUE(computeLivePaths(s).count(drv)) << "keep-derivations kept the .drv of a live output";
    }
    settings.keepDerivations.assign(false);
    {
        LocalStore s(root, "/store");
        EXPECT_FALSE(computeLivePaths(s).count(drv));
    }
    ASSERT_EQ(unlink((gcroots + "/out").c_str()), 0);
    rootLink("drv", store.printPath(drv));
    settings.keepOutputs.assign(false);
    {
        LocalStore s(root, "/store");
        EXPECT_FALSE(computeLivePaths(s).count(out[0].path));
    }
    settings.keepOutputs.assign(true);
    {
        LocalStore s(root, "/store");
        EXPECT_TRUE(computeLivePaths(s).count(out[0].path));
    }
    settings.keepDerivations.assign(keepDrvs);
    settings.keepOutputs.assign(keepOuts);
}

TEST_F(GcDeadTest, DryRunDeletesNothing) {
    auto paths = addDead({{"a", "A"}, {"b", "B"}});
    std::vector<StorePath> reported;
    GcOptions options;
    options.dryRun = true;
    options.onDead = [&](const StorePath& p) { reported.push_back(p); };
    writeTree(store.realStoreDir() + "/00000000000000000000000000000000-junk", {{"f", "x"}});
    GcResult r = collect(options);
    EXPECT_EQ(r.deadPaths, 2u);
    EXPECT_EQ(r.pathsDeleted, 0u);
    EXPECT_EQ(r.bytesFreed, 0u);
    EXPECT_EQ(reported.size(), 2u);
    for (auto& p : paths) EXPECT_TRUE(present(p));
    EXPECT_TRUE(pathExists(store.realStoreDir() + "/00000000000000000000000000000000-junk"));
}

TEST_F(GcDeadTest, BytesFreedAreTheNarSizesOfTheDeletedPaths) {
    auto files = addDead({{"small", "s"}, {"large", std::string(100000, 'l')}});
    // Objects that are directories (one read-only, as canonical ones are) and a symlink.
    inDyingChild([&] {
        LocalStore child(root, "/store");
        writeTree(tmp / "tree", {{"bin/tool", "#!/bin/sh\n"}, {"share/doc/a", "a"}, {"share/doc/b", "b"}});
        ASSERT_EQ(symlink("tool", (tmp / "tree/bin/alias").c_str()), 0);
        child.addPath(tmp / "tree", "tree", IngestionMethod::recursive);
        ASSERT_EQ(symlink("/nowhere", (tmp / "link").c_str()), 0);
        child.addPath(tmp / "link", "link", IngestionMethod::recursive);
        writeTree(tmp / "empty", {});
        child.addPath(tmp / "empty", "empty", IngestionMethod::recursive);
    });
    auto all = store.queryAllValidPaths();
    ASSERT_EQ(all.size(), 5u);
    uint64_t narBytes = 0;
    for (auto& p : all) narBytes += store.pathInfoOrThrow(p).narSize;
    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, 5u);
    EXPECT_EQ(r.bytesFreed, narBytes);
    EXPECT_TRUE(readDirectoryNames(store.realStoreDir()).empty());
    EXPECT_TRUE(store.queryAllValidPaths().empty());
    for (auto& p : files) EXPECT_TRUE(gone(p));
}

TEST_F(GcDeadTest, MaxFreedCountsNarSizesAndKeepsReferrersFirst) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 8; ++i) files.push_back({"m" + std::to_string(i), std::string(1000, char('a' + i))});
    auto paths = addDead(files, true);
    ASSERT_EQ(paths.size(), 8u);
    GcOptions options;
    options.maxFreed = paths[7].narSize + paths[6].narSize + 1;
    std::vector<StorePath> reported;
    options.onDead = [&](const StorePath& p) { reported.push_back(p); };
    GcResult r = collect(options);
    // The chain's top and the next two go (two are not enough); what stays keeps its closure.
    EXPECT_EQ(r.pathsDeleted, 3u);
    EXPECT_EQ(r.bytesFreed, paths[7].narSize + paths[6].narSize + paths[5].narSize);
    EXPECT_EQ(reported, (std::vector<StorePath>{paths[7].path, paths[6].path, paths[5].path}));
    for (size_t i = 0; i < 5; ++i) EXPECT_TRUE(present(paths[i])) << i;
    EXPECT_EQ(store.closure(store.queryAllValidPaths()), store.queryAllValidPaths());
    EXPECT_TRUE(verifyStore(store, {}, {}).empty());
}

TEST_F(GcDeadTest, MaxFreedStopsEarly) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 10; ++i) files.push_back({"p" + std::to_string(i), std::string(4096, char('a' + i))});
    auto paths = addDead(files);
    ASSERT_EQ(paths.size(), 10u);
    GcOptions options;
    options.maxFreed = 1;
    GcResult r = collect(options);
    EXPECT_GE(r.bytesFreed, 1u);
    EXPECT_EQ(r.pathsDeleted, 1u) << "asked to free 1 byte";
    size_t left = 0;
    for (auto& p : paths) left += present(p);
    EXPECT_EQ(left, 9u);

    options.maxFreed = 3 * 4096;
    r = collect(options);
    EXPECT_GE(r.bytesFreed, 3u * 4096);
    EXPECT_EQ(r.pathsDeleted, 3u);
    EXPECT_TRUE(verifyStore(store, {}, {}).empty());
}

TEST_F(GcDeadTest, SmallBatchesDeleteReferrersFirst) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 12; ++i) files.push_back({"c" + std::to_string(i), "link " + std::to_string(i)});
    auto paths = addDead(files, true);
    ASSERT_EQ(paths.size(), 12u);
    std::vector<StorePath> order;
    GcOptions options;
    options.batchSize = 5;
    options.onDead = [&](const StorePath& p) { order.push_back(p); };
    GcResult r = collect(options);
    EXPECT_EQ(r.pathsDeleted, 12u);
    ASSERT_EQ(order.size(), 12u);
    // paths[i+1] refers to paths[i]: each must die before what it refers to.
    for (size_t i = 0; i + 1 < paths.size(); ++i) {
        auto pos = [&](const StorePath& p) { return std::find(order.begin(), order.end(), p) - order.begin(); };
        EXPECT_LT(pos(paths[i + 1].path), pos(paths[i].path));
    }
    for (auto& p : paths) EXPECT_TRUE(gone(p));
}

TEST_F(GcDeadTest, LeftoversAreRemovedUnlessSomeoneIsWorkingOnThem) {
    auto paths = addDead({{"valid", "V"}});
    rootLink("valid", store.printPath(paths[0].path));
    std::string sd = store.realStoreDir();
    writeTree(sd + "/00000000000000000000000000000000-junk", {{"f", "x"}});
    writeFile(sd + "/not-a-store-path", "x");
    writeTree(sd + "/.stage-999999999-0", {{"f", "dead process"}});
    std::string liveStage = ".stage-" + std::to_string(getpid()) + "-77";
    writeTree(sd + "/" + liveStage, {{"f", "live process"}});
    // A leftover whose hash part this process holds a temporary root for.
    StorePath pending("11111111111111111111111111111111-pending");
    store.addTempRoot(pending);
    writeTree(sd + "/" + pending.baseName() + ".tmp-1-0", {{"f", "being added"}});
    writeFile(sd + "/" + pending.baseName() + ".lock", "");

    GcResult r = collect();
    EXPECT_EQ(r.leftoversDeleted, 3u);
    EXPECT_EQ(readDirectoryNames(sd),
              (std::vector<std::string>{liveStage, pending.baseName() + ".lock", pending.baseName() + ".tmp-1-0",
                                        paths[0].path.baseName()}));
    EXPECT_TRUE(present(paths[0]));
}

TEST_F(GcDeadTest, AnInterruptedCollectionLeavesAConsistentStore) {
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 30; ++i) files.push_back({"i" + std::to_string(i), std::string(1000 + i, 'x')});
    auto paths = addDead(files, true);
    ASSERT_EQ(paths.size(), 30u);
    GcOptions options;
    options.batchSize = 4;
    int seen = 0;
    options.onDead = [&](const StorePath&) {
        if (++seen == 11) interruptRequested = true;
    };
    EXPECT_THROW(collect(options), Interrupted);
    interruptRequested = false;
    size_t valid = store.queryAllValidPaths().size();
    EXPECT_GT(valid, 0u);
    EXPECT_LT(valid, 30u);
    VerifyOptions contents;
    contents.checkContents = true;
    EXPECT_TRUE(verifyStore(store, {}, contents).empty());
    // What survived still has its whole closure.
    EXPECT_EQ(store.closure(store.queryAllValidPaths()), store.queryAllValidPaths());
    GcResult r = collect();
    EXPECT_EQ(r.pathsDeleted, valid);
    EXPECT_TRUE(readDirectoryNames(store.realStoreDir()).empty());
}

TEST_F(GcDeadTest, AKilledCollectionNeverLeavesAValidPathWithoutItsFiles) {
    // A crash (no destructors, removal threads stopped wherever they are) at
    // several points of a collection of many paths in small batches.
    std::vector<std::pair<std::string, std::string>> files;
    for (int i = 0; i < 120; ++i) files.push_back({"k" + std::to_string(i), "killed " + std::to_string(i)});
    for (int killAt : {1, 9, 40, 77, 123}) {
        auto chain = addDead({{"c0", "c0"}, {"c1", "c1"}, {"c2", "c2"}, {"c3", "c3"}}, true);
        ASSERT_EQ(chain.size(), 4u);
        auto paths = addDead(files);
        ASSERT_EQ(paths.size(), 120u);
        inDyingChild([&] {
            LocalStore collector(root, "/store");
            GcOptions options;
            options.batchSize = 8;
            int seen = 0;
            options.onDead = [&](const StorePath&) {
                if (++seen == killAt) _exit(0);
            };
            collectGarbage(collector, options);
        });
        // Batches before the one being gathered are committed, and only those.
        EXPECT_EQ(store.queryAllValidPaths().size(), 124u - 8 * static_cast<size_t>((killAt - 1) / 8)) << killAt;
        VerifyOptions contents;
        contents.checkContents = true;
        EXPECT_TRUE(verifyStore(store, {}, contents).empty()) << "killed at path " << killAt;
        EXPECT_EQ(store.closure(store.queryAllValidPaths()), store.queryAllValidPaths()) << killAt;
        // The next collection removes the rest, leftovers included.
        collect();
        EXPECT_TRUE(store.queryAllValidPaths().empty()) << killAt;
        EXPECT_TRUE(readDirectoryNames(store.realStoreDir()).empty()) << killAt;
    }
}

TEST_F(GcDeadTest, APathThatGainsAReferrerDuringTheCollectionStays) {
    // The GC lock keeps this from happening; the collector checks anyway, as
    // the schema's `on delete restrict` would.
    auto paths = addDead({{"target", "T"}, {"bystander", "B"}});
    ASSERT_EQ(paths.size(), 2u);
    const PathInfo& target = paths[0].path.name() == "target" ? paths[0] : paths[1];
    PathInfo referrer(StorePath("22222222222222222222222222222222-referrer"));
    referrer.narHash = hashString(HashAlgo::sha256, "");
    referrer.references = {target.path};
    GcOptions options;
    options.onDead = [&](const StorePath& p) {
        if (p != target.path || store.isValidPath(referrer.path)) return;
        writeFile(store.realPath(referrer.path), "");
        store.registerValidPaths({referrer});
    };
    EXPECT_THROW(
        {
            try {
                collect(options);
            } catch (Error& e) {
                EXPECT_NE(std::string(e.what()).find("refers to it"), std::string::npos) << e.what();
                throw;
            }
        },
        Error);
    EXPECT_TRUE(present(target));
    EXPECT_TRUE(store.isValidPath(referrer.path));
    EXPECT_EQ(store.closure(store.queryAllValidPaths()), store.queryAllValidPaths());
    EXPECT_TRUE(verifyStore(store, {}, {}).empty());
}

TEST(GcSchema, ForeignKeysOfTheSchema) {
    // The collector deletes rows with foreign keys off and applies these
    // rules itself (DeadRows in gc.cc): a change here must change it too.
    TempDir tmp;
    LocalStore store(tmp / "root", "/store");
    std::vector<std::string> keys;
    Statement q(store.db(),
                "select m.name, f.\"from\", f.\"table\", f.\"to\", f.on_delete from sqlite_master m, "
                "pragma_foreign_key_list(m.name) f where m.type = 'table' order by m.name, f.\"from\"");
    while (q.step())
        keys.push_back(q.getString(0) + "." + q.getString(1) + " -> " + q.getString(2) + "." + q.getString(3) +
                       " on delete " + q.getString(4));
    EXPECT_EQ(keys, (std::vector<std::string>{"DerivationOutputs.drv -> ValidPaths.id on delete CASCADE",
                                              "Refs.reference -> ValidPaths.id on delete RESTRICT",
                                              "Refs.referrer -> ValidPaths.id on delete CASCADE"}));
}
