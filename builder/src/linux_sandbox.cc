// The rootless Linux sandbox. Everything the child needs is computed in the
// parent as a list of operations over pre-built C strings, because the child
// of clone() in a multi-threaded program may only make system calls until it
// execs (another thread may have held the allocator's lock at clone time).
//
// The child shares the parent's memory until it execs (CLONE_VM|CLONE_VFORK,
// like posix_spawn): copying the page tables of a large parent and undoing
// them at exec was a fifth of a trivial build's cost. The calling thread is
// suspended meanwhile, so the child may use its errno; the child writes its
// own uid and gid maps (an unprivileged process may map its own ids).
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>

#include "cstore/builder/sandbox.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {

// bindInherit: a non-recursive bind that keeps the flags of the mount it comes from.
enum class OpKind { mkdir, mountFs, bind, bindReadOnly, bindInherit, touch, symlink, writeFile };

struct Op {
    OpKind kind;
    const char* a = nullptr;  // source / path / link target
    const char* b = nullptr;  // target / contents
    const char* c = nullptr;  // fs type
    const char* d = nullptr;  // mount data
    unsigned long flags = 0;
    mode_t mode = 0755;
    bool optional = false;  // failure is ignored (e.g. devpts where the kernel refuses)
};

// Everything the child reads. Strings live in `strings` (stable addresses).
struct ChildPlan {
    std::deque<std::string> strings;
    std::vector<Op> ops;
    std::vector<const char*> argv, envp;
    const char* root = nullptr;      // host mount point of the tmpfs root
    const char* buildDir = nullptr;  // working directory inside
    const char* builder = nullptr;
    const char* inputsMount = nullptr;  // inside the new root: the store, read-only, that inputs are bound from
    bool network = false;
    const char* uidMap = nullptr;  // "inside outside 1"
    const char* gidMap = nullptr;
    int errorFd = -1;  // write: setup failure message (close-on-exec)
    int logFd = -1;    // write: builder stdout/stderr

    const char* keep(std::string s) {
        strings.push_back(std::move(s));
        return strings.back().c_str();
    }
    void add(Op op) { ops.push_back(op); }
};

// --- child side: system calls only ---

[[noreturn]] void childFail(const ChildPlan& plan, const char* what, const char* arg) {
    int err = errno;
    char buf[1024];
    size_t n = 0;
    auto put = [&](const char* s) {
        while (s && *s && n < sizeof buf - 1) buf[n++] = *s++;
    };
    put("sandbox setup failed: ");
    put(what);
    if (arg) {
        put(" '");
        put(arg);
        put("'");
    }
    put(": ");
    put(strerror(err));
    (void)!write(plan.errorFd, buf, n);
    _exit(1);
}

void childRun(const ChildPlan& plan, const Op& op) {
    int rc = 0;
    switch (op.kind) {
        case OpKind::mkdir:
            rc = mkdir(op.a, op.mode);
            if (rc != 0 && errno == EEXIST) rc = 0;
            break;
        case OpKind::mountFs:
            rc = mount(op.c, op.a, op.c, op.flags, op.d);
            break;
        case OpKind::bind:
        case OpKind::bindReadOnly:
            rc = mount(op.a, op.b, nullptr, MS_BIND | MS_REC, nullptr);
            if (rc == 0 && op.kind == OpKind::bindReadOnly)
                rc = mount(nullptr, op.b, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | MS_NOSUID | MS_NODEV,
                           nullptr);
            break;
        case OpKind::bindInherit:
            rc = mount(op.a, op.b, nullptr, MS_BIND, nullptr);
            break;
        case OpKind::touch: {
            int fd = open(op.a, O_WRONLY | O_CREAT | O_CLOEXEC, op.mode);
            rc = fd < 0 ? -1 : close(fd);
            break;
        }
        case OpKind::symlink:
            rc = symlink(op.a, op.b);
            break;
        case OpKind::writeFile: {
            int fd = open(op.a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, op.mode);
            if (fd < 0) {
                rc = -1;
                break;
            }
            size_t len = strlen(op.b);
            rc = write(fd, op.b, len) == static_cast<ssize_t>(len) ? 0 : -1;
            close(fd);
            break;
        }
    }
    if (rc != 0 && !op.optional) {
        const char* names[] = {"mkdir",      "mount",  "bind mount", "bind mount",
                               "bind mount", "create", "symlink",    "write"};
        bool isBind = op.kind == OpKind::bind || op.kind == OpKind::bindReadOnly || op.kind == OpKind::bindInherit;
        childFail(plan, names[static_cast<int>(op.kind)], isBind ? op.b : op.a);
    }
}

void bringUpLoopback(const ChildPlan& plan) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) childFail(plan, "socket", nullptr);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) childFail(plan, "bringing up", "lo");
    close(fd);
}

void writeOwnProcFile(const ChildPlan& plan, const char* file, const char* contents) {
    int fd = open(file, O_WRONLY | O_CLOEXEC);
    if (fd < 0) childFail(plan, "opening", file);
    size_t len = strlen(contents);
    if (write(fd, contents, len) != static_cast<ssize_t>(len)) childFail(plan, "writing", file);
    close(fd);
}

int childMain(void* arg) {
    const ChildPlan& plan = *static_cast<const ChildPlan*>(arg);
    writeOwnProcFile(plan, "/proc/self/setgroups", "deny");
    writeOwnProcFile(plan, "/proc/self/uid_map", plan.uidMap);
    writeOwnProcFile(plan, "/proc/self/gid_map", plan.gidMap);

    if (sethostname("localhost", 9) != 0) childFail(plan, "sethostname", nullptr);
    if (setdomainname("(none)", 6) != 0) childFail(plan, "setdomainname", nullptr);
    // Nothing we mount may leak back to the host's namespace.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) childFail(plan, "making / private", nullptr);
    for (auto& op : plan.ops) childRun(plan, op);
    if (!plan.network) bringUpLoopback(plan);

    if (chdir(plan.root) != 0) childFail(plan, "chdir", plan.root);
    if (mkdir("old-root", 0700) != 0) childFail(plan, "mkdir", "old-root");
    if (syscall(SYS_pivot_root, ".", "old-root") != 0) childFail(plan, "pivot_root", plan.root);
    if (chdir("/") != 0) childFail(plan, "chdir", "/");
    if (umount2("/old-root", MNT_DETACH) != 0) childFail(plan, "detaching the old root", nullptr);
    if (rmdir("/old-root") != 0) childFail(plan, "rmdir", "/old-root");
    // The whole store was only reachable there to bind the inputs from.
    if (plan.inputsMount) {
        if (umount2(plan.inputsMount, MNT_DETACH) != 0) childFail(plan, "detaching", plan.inputsMount);
        if (rmdir(plan.inputsMount) != 0) childFail(plan, "rmdir", plan.inputsMount);
    }
    // The root itself becomes read-only; /build, /tmp and the store's output directory stay writable.
    if (mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
        childFail(plan, "remounting / read-only", nullptr);
    if (chdir(plan.buildDir) != 0) childFail(plan, "chdir", plan.buildDir);

    setsid();
    personality(ADDR_NO_RANDOMIZE);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);
    umask(022);

    int devNull = open("/dev/null", O_RDONLY);
    if (devNull < 0) childFail(plan, "open", "/dev/null");
    if (dup2(devNull, 0) < 0 || dup2(plan.logFd, 1) < 0 || dup2(plan.logFd, 2) < 0) childFail(plan, "dup2", nullptr);
    // Nothing else may reach the builder: mark every descriptor close-on-exec
    // (the error pipe already is: its closing reports success to the parent).
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        for (int fd = 3; fd < 1024; ++fd)
            if (fd != plan.errorFd) close(fd);
    // (Inline, as in the unsandboxed runner below: a helper ending in
    // childFail is seen as noreturn, and AddressSanitizer's check before such
    // calls writes a warning into the build log on this child's stack.)
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(plan.builder, const_cast<char* const*>(plan.argv.data()), const_cast<char* const*>(plan.envp.data()));
    childFail(plan, "executing builder", plan.builder);
}

// --- parent side ---

std::string passwdFile(const SandboxSpec& s) {
    return "root:x:0:0:Nix build user:" + s.sandboxBuildDir + ":/noshell\n" +
           "nixbld:x:" + std::to_string(s.sandboxUid) + ":" + std::to_string(s.sandboxGid) +
           ":Nix build user:" + s.sandboxBuildDir + ":/noshell\n" + "nobody:x:65534:65534:Nobody:/:/noshell\n";
}

std::string groupFile(const SandboxSpec& s) {
    return "root:x:0:\nnixbld:!:" + std::to_string(s.sandboxGid) + ":\nnogroup:x:65534:\n";
}

void planMounts(ChildPlan& plan, const SandboxSpec& spec, const std::string& root) {
    auto in = [&](const std::string& p) { return plan.keep(root + p); };
    auto mkdirOp = [&](const std::string& p, mode_t mode = 0755) {
        plan.add({OpKind::mkdir, in(p), nullptr, nullptr, nullptr, 0, mode});
    };
    plan.add({OpKind::mountFs, plan.keep(root), nullptr, "tmpfs", "size=16m,mode=0755", MS_NOSUID | MS_NODEV});
    for (auto* d : {"/bin", "/dev", "/etc", "/proc", "/tmp"}) {
        // An allowed host path may provide it (on merged-/usr hosts /bin is a symlink to usr/bin).
        bool provided = false;
        for (auto& extra : spec.extraPaths) provided |= extra.first == d;
        if (!provided) mkdirOp(d);
    }
    // Parents of the store directory (e.g. /nix for /nix/store).
    std::string sofar;
    for (size_t i = 1; i <= spec.storeDir.size(); ++i)
        if (i == spec.storeDir.size() || spec.storeDir[i] == '/') mkdirOp(spec.storeDir.substr(0, i));
    std::string buildParent;
    for (size_t i = 1; i <= spec.sandboxBuildDir.size(); ++i)
        if (i == spec.sandboxBuildDir.size() || spec.sandboxBuildDir[i] == '/')
            mkdirOp(spec.sandboxBuildDir.substr(0, i));

    // The writable store directory, then each input read-only on top of a mount point inside it.
    plan.add({OpKind::bind, plan.keep(spec.hostStoreDir), in(spec.storeDir)});
    // Inputs in the same host directory are bound from one read-only, nosuid, nodev
    // mount of that directory: a bind inherits those flags, so each input costs one
    // mount instead of a bind and a remount (about 3x faster for large closures).
    // That mount is detached before the builder starts.
    std::string inputsDir;
    if (!spec.inputPaths.empty()) {
        inputsDir = dirOf(spec.inputPaths.front());
        for (auto& input : spec.inputPaths)
            if (dirOf(input) != inputsDir) inputsDir.clear();
    }
    const char* inputsMount = nullptr;
    if (!inputsDir.empty()) {
        const std::string inside = "/.cstore-inputs";
        mkdirOp(inside, 0700);
        inputsMount = plan.keep(inside);
        plan.add({OpKind::bindReadOnly, plan.keep(inputsDir), in(inside)});
        plan.inputsMount = inputsMount;
    }
    for (auto& input : spec.inputPaths) {
        std::string base = baseNameOf(input);
        std::string target = spec.hostStoreDir + "/" + base;
        // Mount points are made on the host side, where the directory is ours
        // (DerivationBuild has usually made them already).
        if (!pathExists(target)) {
            if (S_ISDIR(lstatOrThrow(input).st_mode)) {
                if (mkdir(target.c_str(), 0755) != 0) throw SysError("creating mount point '%s'", target);
            } else {
                writeFile(target, "");
            }
        }
        if (inputsMount)
            plan.add({OpKind::bindInherit, in(std::string(inputsMount) + "/" + base), in(spec.storeDir + "/" + base)});
        else
            plan.add({OpKind::bindReadOnly, plan.keep(input), in(spec.storeDir + "/" + base)});
    }
    plan.add({OpKind::bind, plan.keep(spec.hostBuildDir), in(spec.sandboxBuildDir)});
    plan.add({OpKind::mountFs, in("/tmp"), nullptr, "tmpfs", plan.keep("mode=1777,size=" + spec.tmpSize),
              MS_NOSUID | MS_NODEV});

    // A minimal /dev.
    for (auto* dev : {"null", "zero", "full", "random", "urandom", "tty"}) {
        std::string host = std::string("/dev/") + dev;
        if (!pathExists(host)) continue;
        plan.add({OpKind::touch, in("/dev/" + std::string(dev)), nullptr, nullptr, nullptr, 0, 0644});
        plan.add({OpKind::bind, plan.keep(host), in("/dev/" + std::string(dev))});
    }
    mkdirOp("/dev/shm", 01777);
    plan.add({OpKind::mountFs, in("/dev/shm"), nullptr, "tmpfs", "size=50%,mode=1777", MS_NOSUID | MS_NODEV});
    mkdirOp("/dev/pts");
    Op pts{OpKind::mountFs,      in("/dev/pts"), nullptr, "devpts", "newinstance,mode=0620,ptmxmode=0666",
           MS_NOSUID | MS_NOEXEC};
    pts.optional = true;
    plan.add(pts);
    plan.add({OpKind::symlink, "/dev/pts/ptmx", in("/dev/ptmx")});
    plan.add({OpKind::symlink, "/proc/self/fd", in("/dev/fd")});
    plan.add({OpKind::symlink, "/proc/self/fd/0", in("/dev/stdin")});
    plan.add({OpKind::symlink, "/proc/self/fd/1", in("/dev/stdout")});
    plan.add({OpKind::symlink, "/proc/self/fd/2", in("/dev/stderr")});

    // /etc
    plan.add({OpKind::writeFile, in("/etc/passwd"), plan.keep(passwdFile(spec)), nullptr, nullptr, 0, 0644});
    plan.add({OpKind::writeFile, in("/etc/group"), plan.keep(groupFile(spec)), nullptr, nullptr, 0, 0644});
    if (spec.network) {
        plan.add({OpKind::writeFile, in("/etc/nsswitch.conf"), "hosts: files dns\nservices: files\n", nullptr, nullptr,
                  0, 0644});
        for (auto* f : {"/etc/resolv.conf", "/etc/services", "/etc/hosts"}) {
            if (!pathExists(f)) continue;
            plan.add({OpKind::touch, in(f), nullptr, nullptr, nullptr, 0, 0644});
            plan.add({OpKind::bindReadOnly, f, in(f)});
        }
    } else {
        plan.add(
            {OpKind::writeFile, in("/etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n", nullptr, nullptr, 0, 0644});
    }

    // Allowed host paths (sandbox-paths / impureHostDeps).
    for (auto& [target, source] : spec.extraPaths) {
        auto st = maybeLstat(source);
        if (!st) throw Error("sandbox path '%s' does not exist on the host", source);
        for (size_t i = 1; i < target.size(); ++i)
            if (target[i] == '/') mkdirOp(target.substr(0, i));
        if (S_ISLNK(st->st_mode)) {
            // Recreate symlinks (e.g. /lib -> usr/lib on merged-/usr systems) instead of following them.
            plan.add({OpKind::symlink, plan.keep(readLink(source)), in(target)});
            continue;
        }
        if (S_ISDIR(st->st_mode))
            mkdirOp(target);
        else
            plan.add({OpKind::touch, in(target), nullptr, nullptr, nullptr, 0, 0644});
        plan.add({OpKind::bindReadOnly, plan.keep(source), in(target)});
    }

    plan.add({OpKind::mountFs, in("/proc"), nullptr, "proc", nullptr, MS_NOSUID | MS_NODEV | MS_NOEXEC});
}

// Parent side: EOF on the close-on-exec error pipe means the builder was
// exec'd; anything written there is the child's setup error.
BuilderProcess awaitExec(pid_t pid, int errorFd, AutoCloseFD log) {
    std::string message;
    char buf[1024];
    ssize_t n;
    while ((n = read(errorFd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        message.append(buf, static_cast<size_t>(n));
    }
    if (!message.empty()) {
        waitpid(pid, nullptr, 0);
        throw Error("%s", message);
    }
    BuilderProcess proc;
    proc.pid = pid;
    proc.log = std::move(log);
    return proc;
}

void fillCommand(ChildPlan& plan, const SandboxSpec& spec) {
    plan.builder = plan.keep(spec.builder);
    plan.argv.push_back(plan.keep(baseNameOf(spec.builder)));
    for (auto& a : spec.args) plan.argv.push_back(plan.keep(a));
    plan.argv.push_back(nullptr);
    for (auto& [k, v] : spec.env) plan.envp.push_back(plan.keep(k + "=" + v));
    plan.envp.push_back(nullptr);
}

}  // namespace

BuilderProcess LinuxSandbox::start(const SandboxSpec& spec) {
    std::string root = spec.hostRootMountPoint;
    createDirs(root, 0700);

    ChildPlan plan;
    plan.root = plan.keep(root);
    plan.buildDir = plan.keep(spec.sandboxBuildDir);
    plan.network = spec.network;
    planMounts(plan, spec, root);
    fillCommand(plan, spec);

    plan.uidMap = plan.keep(std::to_string(spec.sandboxUid) + " " + std::to_string(getuid()) + " 1");
    plan.gidMap = plan.keep(std::to_string(spec.sandboxGid) + " " + std::to_string(getgid()) + " 1");

    int errorPipe[2], logPipe[2];
    if (pipe2(errorPipe, O_CLOEXEC) != 0 || pipe2(logPipe, O_CLOEXEC) != 0) throw SysError("creating pipes");
    AutoCloseFD errRead(errorPipe[0]), errWrite(errorPipe[1]), logRead(logPipe[0]), logWrite(logPipe[1]);
    plan.errorFd = errWrite.get();
    plan.logFd = logWrite.get();

    int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD;
    if (!spec.network) flags |= CLONE_NEWNET;
#if !defined(__SANITIZE_ADDRESS__)
    // (AddressSanitizer cannot follow a child running on the parent's memory.)
    flags |= CLONE_VM | CLONE_VFORK;
#endif
    const size_t stackSize = 256 * 1024;
    void* stack = mmap(nullptr, stackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) throw SysError("allocating a stack for the sandbox");
    // With CLONE_VFORK this returns once the child has exec'd or exited, so its stack is free again.
    pid_t pid = clone(childMain, static_cast<char*>(stack) + stackSize, flags, &plan);
    int cloneErr = errno;
    munmap(stack, stackSize);
    if (pid < 0) throw SysError(cloneErr, "creating the sandbox (clone with user namespaces)");
    errWrite.close();
    logWrite.close();

    return awaitExec(pid, errRead.get(), std::move(logRead));
}

bool LinuxSandbox::available() {
    pid_t pid = fork();
    if (pid == 0) _exit(unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? 0 : 1);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

BuilderProcess UnsandboxedRunner::start(const SandboxSpec& spec) {
    ChildPlan plan;
    fillCommand(plan, spec);
    plan.buildDir = plan.keep(spec.hostBuildDir);
    int logPipe[2], errorPipe[2];
    if (pipe2(logPipe, O_CLOEXEC) != 0 || pipe2(errorPipe, O_CLOEXEC) != 0) throw SysError("creating pipes");
    AutoCloseFD logRead(logPipe[0]), logWrite(logPipe[1]), errRead(errorPipe[0]), errWrite(errorPipe[1]);
    plan.errorFd = errWrite.get();
    pid_t pid = fork();
    if (pid < 0) throw SysError("forking the builder");
    if (pid == 0) {
        if (chdir(plan.buildDir) != 0) childFail(plan, "chdir", plan.buildDir);
        setsid();
        int devNull = open("/dev/null", O_RDONLY);
        if (devNull < 0 || dup2(devNull, 0) < 0 || dup2(logWrite.get(), 1) < 0 || dup2(logWrite.get(), 2) < 0)
            childFail(plan, "dup2", nullptr);
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execve(plan.builder, const_cast<char* const*>(plan.argv.data()), const_cast<char* const*>(plan.envp.data()));
        childFail(plan, "executing builder", plan.builder);
    }
    logWrite.close();
    errWrite.close();
    return awaitExec(pid, errRead.get(), std::move(logRead));
}

}  // namespace cstore
