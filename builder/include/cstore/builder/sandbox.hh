// Running a builder process, isolated or not. The scheduler talks to the
// `Sandbox` interface only, so it can be tested with fakes; `LinuxSandbox`
// is the real, rootless implementation (see DESIGN.md "Sandbox"):
// new user, mount, PID, network, IPC and UTS namespaces, a tmpfs root
// reached by pivot_root, the input closure bind-mounted read-only at the
// logical store directory, /build writable, a minimal /dev, a fresh /proc,
// generated /etc files, hostname "localhost".
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cstore/util/file.hh"

namespace cstore {

struct SandboxSpec {
    std::string builder;  // absolute path as seen inside
    std::vector<std::string> args;
    std::map<std::string, std::string> env;

    std::string storeDir;                 // logical store dir, e.g. /store
    std::string hostStoreDir;             // host directory that becomes the writable `storeDir` (outputs land here)
    std::vector<std::string> inputPaths;  // host paths of the input closure, mounted read-only at storeDir/<base>
    std::string hostBuildDir;             // becomes /build (the working directory)
    // Any empty host directory: the sandbox's tmpfs root is mounted on it in
    // the sandbox's own mount namespace, so one directory serves every build.
    std::string hostRootMountPoint;
    std::string sandboxBuildDir = "/build";
    // Host paths made visible at the same (or `target=source`) path, read-only (sandbox-paths).
    std::vector<std::pair<std::string, std::string>> extraPaths;  // target, host source

    bool network = false;         // fixed-output derivations keep the host network
    std::string tmpSize = "25%";  // size of the sandbox's private /tmp (a tmpfs)
    uid_t sandboxUid = 1000;
    gid_t sandboxGid = 100;
};

// A started builder: its pid (in our namespace) and the read end of its
// combined stdout/stderr.
struct BuilderProcess {
    pid_t pid = -1;
    AutoCloseFD log;
};

class Sandbox {
public:
    virtual ~Sandbox() = default;
    // Starts the builder; throws Error if the sandbox cannot be set up.
    virtual BuilderProcess start(const SandboxSpec& spec) = 0;
    virtual bool isolated() const = 0;
};

// Namespaces + pivot_root; works as an ordinary user.
class LinuxSandbox : public Sandbox {
public:
    BuilderProcess start(const SandboxSpec& spec) override;
    bool isolated() const override { return true; }
    // Whether unprivileged user namespaces work here.
    static bool available();
};

// No isolation (`sandbox = false`, for debugging): the builder runs on the
// host, in the host build directory, writing outputs at their real paths.
class UnsandboxedRunner : public Sandbox {
public:
    BuilderProcess start(const SandboxSpec& spec) override;
    bool isolated() const override { return false; }
};

}  // namespace cstore
