// The real Linux sandbox, driven directly: a static busybox runs inside and
// reports what it sees. Skipped where user namespaces are unavailable.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cstore/builder/sandbox.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

using namespace cstore;

namespace {

const char* busybox = "/usr/bin/busybox";

struct SandboxFixture : ::testing::Test {
    AutoDelete top{createTempDir(defaultTempDir(), "cstore-sbx-test")};
    std::string inputs = top.path() + "/realstore";
    SandboxSpec spec;

    void SetUp() override {
        if (!LinuxSandbox::available() || !pathExists(busybox)) GTEST_SKIP() << "no user namespaces or busybox";
        // A fake input store path holding busybox.
        createDirs(inputs + "/00000000000000000000000000000000-bb");
        writeFile(inputs + "/00000000000000000000000000000000-bb/busybox", readFile(busybox));
        chmod((inputs + "/00000000000000000000000000000000-bb/busybox").c_str(), 0555);
        createDirs(top.path() + "/outstore");
        createDirs(top.path() + "/build");
        createDirs(top.path() + "/rootmount");
        spec.builder = "/store/00000000000000000000000000000000-bb/busybox";
        spec.storeDir = "/store";
        spec.hostStoreDir = top.path() + "/outstore";
        spec.inputPaths = {inputs + "/00000000000000000000000000000000-bb"};
        spec.hostBuildDir = top.path() + "/build";
        spec.hostRootMountPoint = top.path() + "/rootmount";
        spec.env = {{"PATH", "/path-not-set"}, {"out", "/store/11111111111111111111111111111111-out"}};
    }

    // Runs `script` under busybox sh; returns (exit status, output).
    std::pair<int, std::string> run(const std::string& script) {
        spec.args = {"sh", "-c", "B=/store/00000000000000000000000000000000-bb/busybox; " + script};
        LinuxSandbox sandbox;
        BuilderProcess proc = sandbox.start(spec);
        FdSource log(proc.log.get());
        std::string output = log.drain();
        int status = 0;
        waitpid(proc.pid, &status, 0);
        return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), output};
    }
};

}  // namespace

TEST_F(SandboxFixture, IdentityAndHostname) {
    auto [rc, out] = run("$B id -u; $B id -g; $B hostname; echo $$; $B cat /etc/passwd | $B grep nixbld");
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(out, "1000\n100\nlocalhost\n1\nnixbld:x:1000:100:Nix build user:/build:/noshell\n");
}

TEST_F(SandboxFixture, OutputsLandInTheHostStoreDir) {
    auto [rc, out] = run("$B mkdir $out && echo hi > $out/f && $B pwd");
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(out, "/build\n");
    EXPECT_EQ(readFile(spec.hostStoreDir + "/11111111111111111111111111111111-out/f"), "hi\n");
}

TEST_F(SandboxFixture, InputsAreReadOnlyAndRootIsReadOnly) {
    auto [rc, out] =
        run("(echo x > /store/00000000000000000000000000000000-bb/new) 2>/dev/null && echo wrote-input; "
            "(echo x > /etc/new) 2>/dev/null && echo wrote-etc; echo x > /tmp/ok && echo tmp-ok");
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(out, "tmp-ok\n");
}

TEST_F(SandboxFixture, HostIsInvisible) {
    auto [rc, out] =
        run("$B ls /; $B ls /proc | $B grep -c '^[0-9]'; test -e /etc/shadow && echo shadow; "
            "test -e /root && echo root-home; test -e /home && echo home; true");
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(out.find("shadow"), std::string::npos) << out;
    EXPECT_EQ(out.find("root-home"), std::string::npos) << out;
    EXPECT_EQ(out.find("\nhome"), std::string::npos) << out;
}

TEST_F(SandboxFixture, NoNetworkButLoopback) {
    auto [rc, out] = run("$B ip -o link | $B cut -d: -f2; $B ip -o addr show lo | $B grep -c 127.0.0.1");
    EXPECT_EQ(rc, 0) << out;
    EXPECT_EQ(out, " lo\n1\n");
}

TEST_F(SandboxFixture, SetupFailureIsReported) {
    spec.builder = "/store/00000000000000000000000000000000-bb/missing";
    LinuxSandbox sandbox;
    try {
        sandbox.start(spec);
        FAIL() << "started a missing builder";
    } catch (Error& e) {
        EXPECT_NE(std::string(e.what()).find("executing builder"), std::string::npos) << e.what();
    }
}
