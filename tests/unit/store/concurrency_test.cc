// Several processes on one store: two adding the same path at once, and
// adds running while another process collects garbage.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cstore/store/gc.hh"
#include "cstore/store/verify.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {

struct Child {
    pid_t pid;
    int out;  // what the child reports, read by the parent
};

// Forks a child that waits until the parent closes the start pipe, runs `fn`
// and writes its result to a pipe. The child never returns into the test framework.
Child spawn(const int start[2], const std::function<std::string()>& fn) {
    int p[2];
    if (pipe(p) != 0) throw SysError("pipe");
    pid_t pid = fork();
    if (pid < 0) throw SysError("fork");
    if (pid == 0) {
        close(p[0]);
        close(start[1]);
        char c;
        (void)!read(start[0], &c, 1);  // returns 0 when the parent closes its end
        std::string result;
        int code = 0;
        try {
            result = fn();
        } catch (std::exception& e) {
            result = std::string("error: ") + e.what();
            code = 1;
        }
        FdSink sink(p[1]);
        sink(result);
        _exit(code);
    }
    close(p[1]);
    return {pid, p[0]};
}

std::string finish(Child& c, int& status) {
    FdSource src(c.out);
    std::string out = src.drain();
    close(c.out);
    waitpid(c.pid, &status, 0);
    return out;
}

}  // namespace

TEST(Concurrency, TwoProcessesAddTheSamePathOnce) {
    TempDir tmp;
    std::string root = tmp / "root";
    // Enough data that both processes are busy staging at the same time.
    writeTree(tmp / "src", {{"big", std::string(4 << 20, 'x')}, {"small", "s"}, {"dir/f", "f"}});
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE(round);
        writeFile(tmp / "src/round", std::to_string(round));
        int start[2];
        ASSERT_EQ(pipe(start), 0);
        auto job = [&] {
            // Each process opens the store itself (the first round creates it).
            LocalStore store(root, "/store");
            PathInfo info = store.addPath(tmp / "src", "src", IngestionMethod::recursive);
            struct stat st = lstatOrThrow(store.realPath(info.path));
            return store.printPath(info.path) + " " + std::to_string(st.st_ino);
        };
        Child a = spawn(start, job), b = spawn(start, job);
        close(start[0]);
        close(start[1]);
        int sa = 0, sb = 0;
        std::string ra = finish(a, sa), rb = finish(b, sb);
        ASSERT_TRUE(WIFEXITED(sa) && WEXITSTATUS(sa) == 0) << ra;
        ASSERT_TRUE(WIFEXITED(sb) && WEXITSTATUS(sb) == 0) << rb;
        // Same path, and the second process did not replace the first one's files.
        EXPECT_EQ(ra, rb);

        LocalStore store(root, "/store");
        StorePath path = store.parseUserPath(ra.substr(0, ra.find(' ')));
        EXPECT_EQ(std::to_string(lstatOrThrow(store.realPath(path)).st_ino), ra.substr(ra.find(' ') + 1));
        EXPECT_EQ(store.queryAllValidPaths().size(), size_t(round + 1));
        // No staging directories, temporary names or lock files are left behind.
        EXPECT_EQ(readDirectoryNames(store.realStoreDir()).size(), size_t(round + 1));
        EXPECT_TRUE(readDirectoryNames(store.stateDir() + "/temproots").empty());
        VerifyOptions contents;
        contents.checkContents = true;
        EXPECT_TRUE(verifyStore(store, {}, contents).empty());
    }
}

TEST(Concurrency, AddsStayIntactWhileAnotherProcessCollects) {
    TempDir tmp;
    std::string root = tmp / "root";
    { LocalStore create(root, "/store"); }
    int start[2];
    ASSERT_EQ(pipe(start), 0);
    // The adder checks, after each add, that everything it added so far is
    // still there: its temporary roots must protect it from the collector.
    Child adder = spawn(start, [&] {
        LocalStore store(root, "/store");
        std::vector<StorePath> added;
        for (int i = 0; i < 40; ++i) {
            std::string src = tmp / ("src" + std::to_string(i));
            std::string contents = "item " + std::to_string(i);
            if (!added.empty()) contents += " needs " + store.printPath(added.back());
            writeFile(src, contents);
            added.push_back(store.addPath(src, "item" + std::to_string(i), IngestionMethod::recursive).path);
            for (auto& p : added)
                if (!store.isValidPath(p) || !pathExists(store.realPath(p)))
                    throw Error("'%s' vanished while its adder was alive", store.printPath(p));
        }
        return std::string("ok");
    });
    Child collector = spawn(start, [&] {
        uint64_t deleted = 0;
        for (int i = 0; i < 40; ++i) {
            LocalStore store(root, "/store");
            deleted += collectGarbage(store, {}).pathsDeleted;
        }
        return std::to_string(deleted);
    });
    close(start[0]);
    close(start[1]);
    int sa = 0, sc = 0;
    std::string ra = finish(adder, sa), rc = finish(collector, sc);
    EXPECT_TRUE(WIFEXITED(sa) && WEXITSTATUS(sa) == 0) << ra;
    EXPECT_EQ(ra, "ok");
    EXPECT_TRUE(WIFEXITED(sc) && WEXITSTATUS(sc) == 0) << rc;

    LocalStore store(root, "/store");
    VerifyOptions contents;
    contents.checkContents = true;
    EXPECT_TRUE(verifyStore(store, {}, contents).empty());
    // Now that the adder is gone, everything it added is garbage.
    collectGarbage(store, {});
    EXPECT_TRUE(store.queryAllValidPaths().empty());
    EXPECT_TRUE(readDirectoryNames(store.realStoreDir()).empty());
}
