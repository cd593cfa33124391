// The local store: layout and schema, adding (tree, flat, text, NAR),
// canonical metadata, reference scanning, queries, closures, deletion,
// signatures and verification.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cstore/store/local_store.hh"
#include "cstore/store/nar.hh"
#include "cstore/store/verify.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {

class LocalStoreTest : public ::testing::Test {
protected:
    TempDir tmp;
    std::string root = tmp / "root";
    LocalStore store{root, "/store"};

    std::string src(const std::string& name, const std::string& contents) {
        std::string p = tmp / name;
        writeFile(p, contents);
        return p;
    }
    PathInfo addFile(const std::string& name, const std::string& contents) {
        return store.addPath(src(name, contents), name, IngestionMethod::recursive);
    }
    std::vector<std::string> storeEntries() { return readDirectoryNames(store.realStoreDir()); }
    int64_t queryInt(const std::string& sql) {
        Statement q(store.db(), sql);
        EXPECT_TRUE(q.step());
        return q.getInt(0);
    }
};

}  // namespace

TEST_F(LocalStoreTest, CreatesItsLayout) {
    EXPECT_EQ(store.realStoreDir(), root + "/store");
    EXPECT_EQ(store.stateDir(), root + "/var/cstore");
    for (auto dir : {"/store", "/var/cstore/gcroots", "/var/cstore/gcroots/auto", "/var/cstore/temproots"})
        EXPECT_TRUE(pathExists(root + dir)) << dir;
    EXPECT_TRUE(pathExists(root + "/var/cstore/db.sqlite"));
    EXPECT_TRUE(storeEntries().empty());
}

TEST_F(LocalStoreTest, SchemaIsCurrentAndPinned) {
    EXPECT_EQ(queryInt("pragma user_version"), 2);
    std::vector<std::string> columns;
    Statement q(store.db(), "select name from pragma_table_info('ValidPaths') order by cid");
    while (q.step()) columns.push_back(q.getString(0));
    EXPECT_EQ(columns, (std::vector<std::string>{"id", "path", "hash", "registrationTime", "deriver", "narSize",
                                                 "ultimate", "sigs", "ca", "impure"}));
    Statement t(store.db(), "select name from sqlite_master where type in ('table', 'index', 'trigger') order by name");
    std::vector<std::string> objects;
    while (t.step()) objects.push_back(t.getString(0));
    EXPECT_EQ(objects, (std::vector<std::string>{"DeleteSelfRefs", "DerivationOutputs", "IndexDerivationOutputs",
                                                 "IndexReference", "IndexReferrer", "Refs", "ValidPaths",
                                                 "sqlite_autoindex_DerivationOutputs_1", "sqlite_autoindex_Refs_1",
                                                 "sqlite_autoindex_ValidPaths_1", "sqlite_sequence"}));
    // Opening again is harmless, also while another connection is open.
    LocalStore again(root, "/store");
    EXPECT_TRUE(again.queryAllValidPaths().empty());
}

TEST(LocalStoreSchema, MigratesAVersion1Database) {
    TempDir tmp;
    std::string root = tmp / "root";
    createDirs(root + "/var/cstore");
    {
        // Schema version 1 as the first cstore release wrote it.
        Database db(root + "/var/cstore/db.sqlite");
        db.exec(R"(
create table ValidPaths (id integer primary key autoincrement not null, path text unique not null,
    hash text not null, registrationTime integer not null, deriver text, narSize integer, ultimate integer,
    sigs text, ca text);
create table Refs (referrer integer not null, reference integer not null, primary key (referrer, reference),
    foreign key (referrer) references ValidPaths(id) on delete cascade,
    foreign key (reference) references ValidPaths(id) on delete restrict);
create index IndexReferrer on Refs(referrer);
create index IndexReference on Refs(reference);
create trigger DeleteSelfRefs before delete on ValidPaths
  begin delete from Refs where referrer = old.id and reference = old.id; end;
create table DerivationOutputs (drv integer not null, id text not null, path text not null,
    primary key (drv, id), foreign key (drv) references ValidPaths(id) on delete cascade);
create index IndexDerivationOutputs on DerivationOutputs(path);
insert into ValidPaths (path, hash, registrationTime, narSize)
    values ('/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt',
            'sha256:0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969', 1, 120);
pragma user_version = 1;
)");
    }
    LocalStore store(root, "/store");
    Statement v(store.db(), "pragma user_version");
    ASSERT_TRUE(v.step());
    EXPECT_EQ(v.getInt(0), 2);
    auto info = store.queryPathInfo(StorePath("rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt"));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->narSize, 120u);
    EXPECT_FALSE(info->impure);
}

TEST(LocalStoreSchema, RefusesANewerDatabase) {
    TempDir tmp;
    std::string root = tmp / "root";
    createDirs(root + "/var/cstore");
    {
        Database db(root + "/var/cstore/db.sqlite");
        db.exec("create table Future (x integer); pragma user_version = 99");
    }
    try {
        LocalStore store(root, "/store");
        FAIL() << "opened a database from the future";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
    Database db(root + "/var/cstore/db.sqlite");
    Statement v(db, "pragma user_version");
    ASSERT_TRUE(v.step());
    EXPECT_EQ(v.getInt(0), 99);
}

// Spec 2.4: `hello` in f.txt, added with storeDir /store.
TEST_F(LocalStoreTest, AddsAFileAsNixDoes) {
    PathInfo info = addFile("f.txt", "hello");
    EXPECT_EQ(store.printPath(info.path), "/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt");
    EXPECT_EQ(info.narHash.encode(HashFormat::base16),
              "0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969");
    EXPECT_EQ(info.narSize, 120u);
    ASSERT_TRUE(info.ca);
    EXPECT_EQ(info.ca->render(), "fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    EXPECT_TRUE(info.references.empty());
    EXPECT_GT(info.registrationTime, 0);
    EXPECT_TRUE(store.isValidPath(info.path));
    EXPECT_EQ(readFile(store.realPath(info.path)), "hello");
    EXPECT_EQ(storeEntries(), std::vector<std::string>{info.path.baseName()});

    // What the database holds, column by column (spec 9).
    Statement q(store.db(), "select path, hash, narSize, ca, deriver, sigs from ValidPaths");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.getString(0), "/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt");
    EXPECT_EQ(q.getString(1), "sha256:0a430879c266f8b57f4092a0f935cf3facd48bbccde5760d4748ca405171e969");
    EXPECT_EQ(q.getInt(2), 120);
    EXPECT_EQ(q.getString(3), "fixed:r:sha256:0sg9f58l1jj88w6pdrfdpj5x9b1zrwszk84j81zvby36q9whhhqa");
    EXPECT_TRUE(q.isNull(4));
    EXPECT_FALSE(q.step());
}

TEST_F(LocalStoreTest, AddingTwiceKeepsTheFirstCopy) {
    PathInfo first = addFile("f.txt", "hello");
    struct stat before = lstatOrThrow(store.realPath(first.path));
    PathInfo second = addFile("f.txt", "hello");
    EXPECT_EQ(second.path, first.path);
    EXPECT_EQ(second.registrationTime, first.registrationTime);
    EXPECT_EQ(lstatOrThrow(store.realPath(first.path)).st_ino, before.st_ino);
    EXPECT_EQ(queryInt("select count(*) from ValidPaths"), 1);
}

TEST_F(LocalStoreTest, FlatAndOtherAlgorithmsGiveFixedOutputPaths) {
    std::string f = src("f.txt", "hello");
    StoreDir dir("/store");
    std::string nar = dump(f);
    struct Case {
        IngestionMethod method;
        HashAlgo algo;
        Hash expected;
    };
    for (auto c : {Case{IngestionMethod::flat, HashAlgo::sha256, hashString(HashAlgo::sha256, "hello")},
                   Case{IngestionMethod::flat, HashAlgo::sha1, hashString(HashAlgo::sha1, "hello")},
                   Case{IngestionMethod::flat, HashAlgo::md5, hashString(HashAlgo::md5, "hello")},
                   Case{IngestionMethod::flat, HashAlgo::sha512, hashString(HashAlgo::sha512, "hello")},
                   Case{IngestionMethod::recursive, HashAlgo::sha1, hashString(HashAlgo::sha1, nar)},
                   Case{IngestionMethod::recursive, HashAlgo::sha512, hashString(HashAlgo::sha512, nar)}}) {
        PathInfo info = store.addPath(f, "f.txt", c.method, c.algo);
        ContentAddress ca{c.method, c.expected};
        EXPECT_EQ(info.path, dir.makeFixedOutputPath("f.txt", ca, {})) << ca.render();
        EXPECT_EQ(info.ca, ca);
        // The NAR hash is always SHA-256 of the NAR.
        EXPECT_EQ(info.narHash, hashString(HashAlgo::sha256, nar));
        EXPECT_EQ(info.narSize, nar.size());
    }
    EXPECT_EQ(storeEntries().size(), 6u);
}

TEST_F(LocalStoreTest, TreesAreCanonicalised) {
    std::string t = tmp / "tree";
    writeTree(t, {{"file", "f"}, {"exe", "x"}, {"setuid", "s"}, {"dir/nested", "n"}, {"private", "p"}});
    createDirs(t + "/emptydir");
    ASSERT_EQ(chmod((t + "/exe").c_str(), 0700), 0);
    ASSERT_EQ(chmod((t + "/setuid").c_str(), 04755), 0);
    ASSERT_EQ(chmod((t + "/private").c_str(), 0600), 0);
    ASSERT_EQ(chmod((t + "/dir").c_str(), 0777), 0);
    ASSERT_EQ(symlink("file", (t + "/link").c_str()), 0);
    std::string narBefore = dump(t);

    PathInfo info = store.addPath(t, "tree", IngestionMethod::recursive);
    std::string p = store.realPath(info.path);
    EXPECT_EQ(modeOf(p), 0555u);
    EXPECT_EQ(modeOf(p + "/file"), 0444u);
    EXPECT_EQ(modeOf(p + "/exe"), 0555u);
    EXPECT_EQ(modeOf(p + "/setuid"), 0555u);
    EXPECT_EQ(modeOf(p + "/private"), 0444u);
    EXPECT_EQ(modeOf(p + "/dir"), 0555u);
    EXPECT_EQ(modeOf(p + "/emptydir"), 0555u);
    for (auto rel : {"", "/file", "/exe", "/dir", "/dir/nested", "/link", "/emptydir"})
        EXPECT_EQ(lstatOrThrow(p + rel).st_mtime, 1) << rel;
    EXPECT_EQ(readLink(p + "/link"), "file");
    EXPECT_EQ(dump(p), narBefore);
    EXPECT_EQ(info.narHash, hashString(HashAlgo::sha256, narBefore));
    // The source is left alone.
    EXPECT_EQ(modeOf(t + "/private"), 0600u);
}

TEST(Canonicalise, ModesTimesAndAttributes) {
    TempDir tmp;
    std::string t = tmp / "t";
    writeTree(t, {{"a", "a"}, {"b", "b"}, {"c", "c"}, {"d/e", "e"}});
    ASSERT_EQ(chmod((t + "/a").c_str(), 0666), 0);
    ASSERT_EQ(chmod((t + "/b").c_str(), 06711), 0);
    ASSERT_EQ(chmod((t + "/c").c_str(), 0555), 0);
    ASSERT_EQ(chmod((t + "/d").c_str(), 01777), 0);
    bool haveXattrs = setxattr((t + "/a").c_str(), "user.cstore-test", "v", 1, 0) == 0;
    canonicaliseTree(t);
    EXPECT_EQ(modeOf(t + "/a"), 0444u);
    EXPECT_EQ(modeOf(t + "/b"), 0555u);
    EXPECT_EQ(modeOf(t + "/c"), 0555u);
    EXPECT_EQ(modeOf(t + "/d"), 0555u);
    EXPECT_EQ(modeOf(t), 0555u);
    EXPECT_EQ(lstatOrThrow(t + "/d/e").st_mtime, 1);
    if (haveXattrs) {
        EXPECT_EQ(llistxattr((t + "/a").c_str(), nullptr, 0), 0);
    }
    ASSERT_EQ(mkfifo((tmp / "fifo").c_str(), 0644), 0);
    EXPECT_THROW(canonicaliseTree(tmp / "fifo"), Error);
}

TEST_F(LocalStoreTest, BadAddsLeaveTheStoreUnchanged) {
    addFile("keep", "kept");
    auto before = storeEntries();
    std::string dirSrc = tmp / "dir";
    createDirs(dirSrc);
    EXPECT_THROW(store.addPath(dirSrc, "dir", IngestionMethod::flat), Error);
    EXPECT_THROW(store.addPath(tmp / "missing", "missing", IngestionMethod::recursive), SysError);
    EXPECT_THROW(store.addPath(src("x", "x"), "bad name", IngestionMethod::recursive), BadStorePath);
    EXPECT_THROW(store.addPath(src("y", "y"), "..-y", IngestionMethod::recursive), BadStorePath);
    EXPECT_THROW(store.addPath(src("z", "z"), "z", IngestionMethod::text), Error);
    ASSERT_EQ(mkfifo((dirSrc + "/fifo").c_str(), 0644), 0);
    writeFile(dirSrc + "/before-fifo", std::string(100000, 'x'));
    EXPECT_THROW(store.addPath(dirSrc, "dir", IngestionMethod::recursive), Error);
    EXPECT_EQ(storeEntries(), before);
    EXPECT_EQ(queryInt("select count(*) from ValidPaths"), 1);
}

TEST_F(LocalStoreTest, ScansTreesForReferencesToValidPaths) {
    // Names sorting before and after the scanner's lookup key, and a
    // recursive sha256 add that is not scanned.
    PathInfo a = addFile("a.txt", "A");
    PathInfo x = addFile("xylophone", "X");
    PathInfo unused = addFile("unused", "U");
    std::string t = tmp / "refs";
    writeTree(t, {{"mentions-a", "see " + store.printPath(a.path) + "/inside"},
                  {"bare", "..." + std::string(x.path.hashPart()) + "..."}});
    PathInfo info = store.addPath(t, "refs", IngestionMethod::recursive);
    EXPECT_EQ(info.references, (StorePathSet{a.path, x.path}));
    EXPECT_EQ(store.pathInfoOrThrow(info.path).references, (StorePathSet{a.path, x.path}));
    ContentAddress ca{IngestionMethod::recursive, info.narHash};
    EXPECT_EQ(info.path, StoreDir("/store").makeFixedOutputPath("refs", ca, {a.path, x.path}));
    EXPECT_EQ(store.queryReferrers(a.path), StorePathSet{info.path});
    EXPECT_TRUE(store.queryReferrers(unused.path).empty());

    // Only recursive sha256 objects can have references.
    PathInfo sha1 = store.addPath(t, "refs", IngestionMethod::recursive, HashAlgo::sha1);
    EXPECT_TRUE(sha1.references.empty());
    PathInfo flat = store.addPath(t + "/mentions-a", "flat", IngestionMethod::flat);
    EXPECT_TRUE(flat.references.empty());
}

TEST_F(LocalStoreTest, TextObjects) {
    PathInfo a = addFile("a", "A");
    std::string text = "uses " + store.printPath(a.path);
    StorePath t = store.addText("t.drv", text, {a.path});
    EXPECT_EQ(t, StoreDir("/store").makeTextPath("t.drv", hashString(HashAlgo::sha256, text), {a.path}));
    EXPECT_EQ(store.addText("t.drv", text, {a.path}), t);
    auto info = store.pathInfoOrThrow(t);
    EXPECT_EQ(info.references, StorePathSet{a.path});
    EXPECT_EQ(info.ca->render(), "text:" + hashString(HashAlgo::sha256, text).toString(HashFormat::nix32));
    EXPECT_EQ(readFile(store.realPath(t)), text);
    EXPECT_EQ(modeOf(store.realPath(t)), 0444u);
    StringSink nar;
    dumpContents(text, false, nar);
    EXPECT_EQ(info.narHash, hashString(HashAlgo::sha256, nar.data));
    EXPECT_EQ(info.narSize, nar.data.size());
    EXPECT_THROW(store.addText("bad name", "x", {}), BadStorePath);
    // A reference that is not valid cannot be registered.
    EXPECT_THROW(store.addText("dangling", "x", {StorePath("00000000000000000000000000000000-gone")}), Error);
    EXPECT_FALSE(store.isValidPath(StoreDir("/store").makeTextPath(
        "dangling", hashString(HashAlgo::sha256, "x"), {StorePath("00000000000000000000000000000000-gone")})));
    // The longest name (a 207-character derivation name plus ".drv") still fits while it is written.
    std::string longest(207, 'n');
    longest += ".drv";
    EXPECT_TRUE(store.isValidPath(store.addText(longest, "x", {})));
}

TEST_F(LocalStoreTest, TextObjectsInABatch) {
    PathInfo a = addFile("a", "A");
    StoreDir dir("/store");
    StorePath first = dir.makeTextPath("first.drv", hashString(HashAlgo::sha256, "one"), {a.path});
    std::string twoText = "two uses " + store.printPath(first);
    StorePath second = dir.makeTextPath("second.drv", hashString(HashAlgo::sha256, twoText), {first});
    // An invalid leftover at the final name of one of them is replaced.
    writeFile(store.realPath(second), "partial");
    std::vector<LocalStore::TextObject> batch = {
        {"first.drv", "one", {a.path}}, {"second.drv", twoText, {first}}, {"first.drv", "one", {a.path}}};
    EXPECT_EQ(store.addTexts(batch), 2u);
    EXPECT_EQ(readFile(store.realPath(second)), twoText);
    EXPECT_EQ(modeOf(store.realPath(second)), 0444u);
    auto info = store.pathInfoOrThrow(second);
    EXPECT_EQ(info.references, StorePathSet{first});
    EXPECT_EQ(info.ca->render(), "text:" + hashString(HashAlgo::sha256, twoText).toString(HashFormat::nix32));
    // The same as adding them one by one.
    EXPECT_EQ(store.addText("second.drv", twoText, {first}), second);
    EXPECT_EQ(store.addTexts(batch), 0u);
    // A reference that is neither valid nor in the batch: nothing is registered.
    StorePath gone("00000000000000000000000000000000-gone");
    EXPECT_THROW(store.addTexts({{"third.drv", "3", {gone}}}), Error);
    EXPECT_FALSE(store.isValidPath(dir.makeTextPath("third.drv", hashString(HashAlgo::sha256, "3"), {gone})));
}

TEST_F(LocalStoreTest, AddNarChecksHashAndSize) {
    std::string t = tmp / "t";
    writeTree(t, {{"f", "contents"}});
    std::string nar = dump(t);
    StorePath path = StoreDir("/store").makeFixedOutputPath(
        "t", {IngestionMethod::recursive, hashString(HashAlgo::sha256, nar)}, {});
    PathInfo info(path);
    info.narHash = hashString(HashAlgo::sha256, nar);
    info.narSize = nar.size();

    PathInfo wrongHash = info;
    wrongHash.narHash = hashString(HashAlgo::sha256, "other");
    StringSource s1(nar);
    try {
        store.addNar(wrongHash, s1);
        FAIL() << "hash mismatch accepted";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find("hash mismatch"), std::string::npos) << e.what();
    }
    PathInfo wrongSize = info;
    wrongSize.narSize += 8;
    StringSource s2(nar);
    EXPECT_THROW(store.addNar(wrongSize, s2), Error);
    std::string corrupt = nar.substr(0, nar.size() - 8);
    StringSource s3(corrupt);
    EXPECT_THROW(store.addNar(info, s3), FormatError);
    EXPECT_TRUE(storeEntries().empty());
    EXPECT_FALSE(store.isValidPath(path));

    StringSource good(nar);
    store.addNar(info, good);
    EXPECT_TRUE(store.isValidPath(path));
    EXPECT_EQ(dump(store.realPath(path)), nar);
    EXPECT_EQ(modeOf(store.realPath(path)), 0555u);
    EXPECT_EQ(storeEntries(), std::vector<std::string>{path.baseName()});
}

TEST_F(LocalStoreTest, AnInvalidLeftoverAtTheFinalNameIsReplaced) {
    StorePath expected = StoreDir("/store").parsePath("/store/rls7z25j0p444x7f715y4jmcl3ax8vxz-f.txt");
    writeTree(store.realPath(expected), {{"junk", "from a killed process"}});
    PathInfo info = addFile("f.txt", "hello");
    EXPECT_EQ(info.path, expected);
    EXPECT_EQ(readFile(store.realPath(info.path)), "hello");
    VerifyOptions contents;
    contents.checkContents = true;
    EXPECT_TRUE(verifyStore(store, {}, contents).empty());
}

TEST_F(LocalStoreTest, ClosuresReferrersAndTopologicalOrder) {
    PathInfo a = addFile("a", "A");
    PathInfo b = store.addPath(src("b", "b needs " + store.printPath(a.path)), "b", IngestionMethod::recursive);
    PathInfo c = store.addPath(src("c", "c needs " + store.printPath(b.path)), "c", IngestionMethod::recursive);
    PathInfo d = addFile("d", "D");
    EXPECT_EQ(c.references, StorePathSet{b.path});
    EXPECT_EQ(store.closure({c.path}), (StorePathSet{a.path, b.path, c.path}));
    EXPECT_EQ(store.closure({a.path, d.path}), (StorePathSet{a.path, d.path}));
    EXPECT_EQ(store.closure({}), StorePathSet{});
    EXPECT_THROW(store.closure({StorePath("00000000000000000000000000000000-gone")}), Error);
    EXPECT_EQ(store.queryReferrers(a.path), StorePathSet{b.path});
    EXPECT_EQ(store.queryReferrers(c.path), StorePathSet{});
    auto order = store.topoSortReferrersFirst({a.path, b.path, c.path, d.path});
    auto pos = [&](const StorePath& p) { return std::find(order.begin(), order.end(), p) - order.begin(); };
    ASSERT_EQ(order.size(), 4u);
    EXPECT_LT(pos(c.path), pos(b.path));
    EXPECT_LT(pos(b.path), pos(a.path));
    EXPECT_EQ(store.queryAllValidPaths(), (StorePathSet{a.path, b.path, c.path, d.path}));
}

TEST_F(LocalStoreTest, QueryByHashPart) {
    PathInfo a = addFile("a", "A");
    EXPECT_EQ(store.queryPathFromHashPart(a.path.hashPart()), a.path);
    std::string other(a.path.hashPart());
    other[31] = other[31] == '0' ? '1' : '0';
    EXPECT_EQ(store.queryPathFromHashPart(other), std::nullopt);
    EXPECT_EQ(store.queryPathFromHashPart(std::string(32, 'z')), std::nullopt);
    EXPECT_EQ(store.queryPathFromHashPart(std::string(32, '0')), std::nullopt);
}

TEST_F(LocalStoreTest, DerivationOutputs) {
    StorePath drv = store.addText("x.drv", "Derive(...)", {});
    StorePath out = StoreDir("/store").makeOutputPath("out", hashString(HashAlgo::sha256, "m"), "x");
    StorePath dev = StoreDir("/store").makeOutputPath("dev", hashString(HashAlgo::sha256, "m"), "x");
    store.registerDerivationOutputs(drv, {{"out", out}, {"dev", dev}});
    EXPECT_EQ(store.queryDerivationOutputs(drv), (std::map<std::string, StorePath>{{"dev", dev}, {"out", out}}));
    EXPECT_EQ(store.queryDerivers(out), StorePathSet{drv});
    EXPECT_TRUE(store.queryDerivers(drv).empty());
    EXPECT_THROW(store.registerDerivationOutputs(StorePath("00000000000000000000000000000000-y.drv"), {{"out", out}}),
                 Error);
}

TEST_F(LocalStoreTest, RegistrationIsAllOrNothing) {
    PathInfo a = addFile("a", "A");
    PathInfo good(StorePath("00000000000000000000000000000001-good"));
    good.narHash = hashString(HashAlgo::sha256, "x");
    good.narSize = 8;
    good.references = {a.path};
    PathInfo bad(StorePath("00000000000000000000000000000002-bad"));
    bad.narHash = good.narHash;
    bad.narSize = 8;
    bad.references = {StorePath("00000000000000000000000000000003-missing")};
    EXPECT_THROW(store.registerValidPaths({good, bad}), Error);
    EXPECT_FALSE(store.isValidPath(good.path));
    EXPECT_FALSE(store.isValidPath(bad.path));
    // Paths registered together may refer to each other, and to themselves.
    bad.references = {good.path, bad.path};
    store.registerValidPaths({bad, good});
    EXPECT_EQ(store.pathInfoOrThrow(bad.path).references, (StorePathSet{good.path, bad.path}));
    EXPECT_TRUE(store.pathInfoOrThrow(bad.path).hasSelfReference());
}

TEST_F(LocalStoreTest, DeleteRefusesReferencedPaths) {
    PathInfo a = addFile("a", "A");
    PathInfo b = store.addPath(src("b", "b needs " + store.printPath(a.path)), "b", IngestionMethod::recursive);
    try {
        store.deletePath(a.path);
        FAIL() << "deleted a referenced path";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find(store.printPath(b.path)), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store.isValidPath(a.path));
    EXPECT_TRUE(pathExists(store.realPath(a.path)));

    EXPECT_GT(store.deletePath(b.path), 0u);
    EXPECT_FALSE(store.isValidPath(b.path));
    EXPECT_FALSE(pathExists(store.realPath(b.path)));
    EXPECT_EQ(store.deletePath(a.path), 1u);
    EXPECT_TRUE(storeEntries().empty());
    EXPECT_THROW(store.deletePath(a.path), Error);
    EXPECT_EQ(queryInt("select count(*) from Refs"), 0);
}

TEST_F(LocalStoreTest, DeleteAPathThatRefersToItself) {
    PathInfo self(StorePath("00000000000000000000000000000001-self"));
    writeTree(store.realPath(self.path), {{"f", "x"}});
    self.narHash = hashString(HashAlgo::sha256, "x");
    self.narSize = 8;
    self.references = {self.path};
    store.registerValidPaths({self});
    EXPECT_NO_THROW(store.deletePath(self.path));
    EXPECT_FALSE(store.isValidPath(self.path));
    EXPECT_FALSE(pathExists(store.realPath(self.path)));
}

TEST_F(LocalStoreTest, SignaturesAccumulate) {
    PathInfo a = addFile("a", "A");
    store.addSignatures(a.path, {"k2:bbbb", "k1:aaaa"});
    store.addSignatures(a.path, {"k1:aaaa", "k3:cccc"});
    EXPECT_EQ(store.pathInfoOrThrow(a.path).sigs, (std::set<std::string>{"k1:aaaa", "k2:bbbb", "k3:cccc"}));
    Statement q(store.db(), "select sigs from ValidPaths");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.getString(0), "k1:aaaa k2:bbbb k3:cccc");
    EXPECT_THROW(store.addSignatures(StorePath("00000000000000000000000000000001-x"), {"k:x"}), Error);
}

TEST_F(LocalStoreTest, ParsesWhatUsersTypeAsPaths) {
    PathInfo a = store.addPath(tmp.path(), "dir", IngestionMethod::recursive);
    std::string logical = store.printPath(a.path);
    EXPECT_EQ(store.parseUserPath(logical), a.path);
    EXPECT_EQ(store.parseUserPath(logical + "/some/file"), a.path);
    EXPECT_EQ(store.parseUserPath(store.realPath(a.path)), a.path);
    EXPECT_EQ(store.parseUserPath(store.realPath(a.path) + "/x/"), a.path);
    ASSERT_EQ(symlink(logical.c_str(), (tmp / "result").c_str()), 0);
    EXPECT_EQ(store.parseUserPath(tmp / "result"), a.path);
    EXPECT_THROW(store.parseUserPath(tmp / "elsewhere"), BadStorePath);
    EXPECT_THROW(store.parseUserPath("/store"), BadStorePath);
    EXPECT_THROW(store.parseUserPath("/store/not-a-store-path"), BadStorePath);
}

TEST_F(LocalStoreTest, VerifyFindsMissingAndCorruptPaths) {
    PathInfo a = addFile("a", "A");
    PathInfo b = addFile("b", "B");
    std::string t = tmp / "t";
    writeTree(t, {{"f", "F"}});
    PathInfo c = store.addPath(t, "c", IngestionMethod::recursive);
    VerifyOptions contents;
    contents.checkContents = true;
    EXPECT_TRUE(verifyStore(store, {}, contents).empty());

    // Modified behind the store's back.
    std::string f = store.realPath(a.path);
    ASSERT_EQ(chmod(f.c_str(), 0644), 0);
    writeFile(f, "a");
    ASSERT_EQ(chmod(f.c_str(), 0444), 0);
    // Same contents, but the executable bit changes the NAR.
    ASSERT_EQ(chmod((store.realPath(c.path) + "/f").c_str(), 0555), 0);
    deletePath(store.realPath(b.path));

    auto problems = verifyStore(store, {}, contents);
    ASSERT_EQ(problems.size(), 3u);
    std::map<StorePath, VerifyProblem::Kind> kinds;
    for (auto& p : problems) kinds[p.path] = p.kind;
    EXPECT_EQ(kinds[a.path], VerifyProblem::Kind::corrupt);
    EXPECT_EQ(kinds[b.path], VerifyProblem::Kind::missing);
    EXPECT_EQ(kinds[c.path], VerifyProblem::Kind::corrupt);

    // Without --check-contents only the missing path shows.
    auto quick = verifyStore(store, {}, {});
    ASSERT_EQ(quick.size(), 1u);
    EXPECT_EQ(quick[0].path, b.path);
    // Named paths only; an unregistered one is reported too.
    StorePath unknown("00000000000000000000000000000001-unknown");
    auto named = verifyStore(store, {c.path, unknown}, contents);
    ASSERT_EQ(named.size(), 2u);
}

namespace {
// `root/d/d/.../d/f` with `depth` directories, built relative to open
// directories so that it may be longer than PATH_MAX.
void makeDeepTree(const std::string& root, int depth) {
    createDirs(root);
    int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    for (int i = 0; i < depth; ++i) {
        ASSERT_EQ(mkdirat(fd, "d", 0755), 0);
        int next = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(fd);
        ASSERT_GE(next, 0);
        fd = next;
    }
    int f = openat(fd, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(f, 0);
    ASSERT_EQ(write(f, "bottom", 6), 6);
    close(f);
    close(fd);
}
}  // namespace

TEST_F(LocalStoreTest, VeryDeepTreesFailCleanly) {
    // Deeper than the NAR reader accepts: the add must fail with an error,
    // leaving nothing.
    for (int depth : {600}) {
        std::string t = tmp / ("deep" + std::to_string(depth));
        makeDeepTree(t, depth);
        try {
            store.addPath(t, "deep", IngestionMethod::recursive);
            ADD_FAILURE() << "a tree " << depth << " levels deep was added";
        } catch (Error& e) {
            EXPECT_NE(std::string(e.what()).find("nested too deeply"), std::string::npos) << e.what();
        }
        EXPECT_TRUE(storeEntries().empty());
    }
    // Deep, but within the limit.
    makeDeepTree(tmp / "deep-ok", 100);
    PathInfo info = store.addPath(tmp / "deep-ok", "deep-ok", IngestionMethod::recursive);
    std::string inside;
    for (int i = 0; i < 100; ++i) inside += "/d";
    EXPECT_EQ(readFile(store.realPath(info.path) + inside + "/f"), "bottom");
}
