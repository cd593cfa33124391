// libFuzzer target for the NAR reader. Every input is parsed with parseNar
// and restored with restorePath into a scratch directory; then:
//  - parsing and restoring agree on whether the input is a valid NAR;
//  - a rejected input leaves nothing behind, and nothing is ever written
//    outside the restore target;
//  - an accepted input is canonical: dumping the restored tree gives back
//    exactly the input bytes (the strict reader admits one encoding per tree).
// Any violation aborts, which libFuzzer reports with the input.
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cstore/store/nar.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

using namespace cstore;

namespace {

std::string scratch;  // holds only "out" while an input is being restored

[[noreturn]] void violation(const char* what, const std::string& detail = {}) {
    fprintf(stderr, "nar_reader_fuzz: %s %s\n", what, detail.c_str());
    abort();
}

// Checks what the parser hands out, independently of the restorer.
struct CheckingVisitor : NarVisitor {
    uint64_t expected = 0, received = 0;
    bool inFile = false;
    void checkPath(const std::string& path) {
        if (path.empty()) return;
        if (path.front() == '/' || path.back() == '/' || path.find("//") != std::string::npos ||
            path.find('\0') != std::string::npos)
            violation("bad path from the parser:", path);
        for (size_t start = 0; start <= path.size();) {
            size_t end = path.find('/', start);
            std::string part = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (part == "." || part == "..") violation("dot entry from the parser:", path);
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
    void createDirectory(const std::string& path) override { checkPath(path); }
    void createRegularFile(const std::string& path, bool, uint64_t size) override {
        checkPath(path);
        expected = size;
        received = 0;
        inFile = true;
    }
    void receiveContents(std::string_view chunk) override {
        if (!inFile) violation("contents outside a file");
        received += chunk.size();
        if (received > expected) violation("more contents than declared");
    }
    void closeRegularFile() override {
        if (!inFile || received != expected) violation("file closed with missing contents");
        inFile = false;
    }
    void createSymlink(const std::string& path, const std::string& target) override {
        checkPath(path);
        if (target.empty() || target.find('\0') != std::string::npos) violation("bad symlink target");
    }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    umask(022);
    const char* base = getenv("CSTORE_FUZZ_TMP");
    scratch = createTempDir(base && *base ? base : defaultTempDir(), "nar-fuzz");
    atexit([] { deletePath(scratch); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);

    bool parsed = true;
    try {
        StringSource source(input);
        CheckingVisitor visitor;
        parseNar(source, visitor);
        expectEnd(source);
    } catch (FormatError&) {
        parsed = false;
    }

    std::string target = scratch + "/out";
    bool restored = true;
    try {
        StringSource source(input);
        restorePath(target, source);
    } catch (SysError& e) {
        // A valid NAR whose paths are longer than PATH_MAX cannot be restored
        // through full path names; that is a limit of the file system calls.
        if (!parsed || e.errNo() != ENAMETOOLONG) violation("restore failed with a system error:", e.what());
        restored = false;
        parsed = false;
    } catch (Error&) {
        restored = false;
    }

    if (parsed != restored) violation(parsed ? "parsed but not restored" : "restored but not parsed");
    if (restored) {
        StringSink again;
        dumpPath(target, again);
        if (again.data != input) violation("restored tree does not dump to the same bytes");
        deletePath(target);
    } else if (pathExists(target)) {
        violation("a failed restore left its target behind");
    }
    if (!readDirectoryNames(scratch).empty()) violation("something was written outside the target");
    return 0;
}
