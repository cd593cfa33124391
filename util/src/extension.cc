#include "cstore/util/extension.hh"

#include <dlfcn.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <vector>

#include "cstore/util/error.hh"

namespace cstore {

namespace {

struct LoadedExtensions {
    std::mutex mutex;
    std::map<std::string, void*> handles;
};

LoadedExtensions& loaded() {
    static LoadedExtensions l;
    return l;
}

std::string executableDir() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    std::string path(buf, static_cast<size_t>(n));
    return path.substr(0, path.rfind('/'));
}

// Next to the installed binary (<prefix>/bin/../lib/cstore, which is also
// build/cli/../lib/cstore in a build tree), then the build tree itself
// (for test programs elsewhere in it).
std::vector<std::string> candidates(const std::string& file) {
    std::vector<std::string> dirs;
    if (auto dir = executableDir(); !dir.empty()) dirs.push_back(dir + "/../lib/cstore");
#ifdef CSTORE_EXTENSION_BUILD_DIR
    dirs.push_back(CSTORE_EXTENSION_BUILD_DIR);
#endif
    std::vector<std::string> out;
    for (auto& d : dirs) out.push_back(d + "/" + file);
    return out;
}

void* open(const std::string& name) {
    std::string file = "cstore-" + name + ".so";
    std::string tried;
    for (auto& path : candidates(file)) {
        if (access(path.c_str(), F_OK) != 0) {
            tried += (tried.empty() ? "" : ", ") + path;
            continue;
        }
        // RTLD_NOW: a symbol the program lacks is reported here, not in the middle of a transfer.
        if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
        throw Error("cannot load the %s extension '%s': %s", name, path, dlerror());
    }
    throw Error("the %s extension (%s) is missing: looked for %s", name, file, tried);
}

void* handleOf(const std::string& name) {
    auto& l = loaded();
    std::lock_guard lock(l.mutex);
    auto [it, fresh] = l.handles.try_emplace(name, nullptr);
    if (fresh) {
        try {
            it->second = open(name);
        } catch (...) {
            l.handles.erase(it);
            throw;
        }
    }
    return it->second;
}

}  // namespace

void loadExtension(const std::string& name) { handleOf(name); }

void* extensionSymbol(const std::string& name, const char* symbol) {
    void* handle = handleOf(name);
    dlerror();
    void* address = dlsym(handle, symbol);
    if (!address) throw Error("the %s extension has no '%s': %s", name, symbol, dlerror());
    return address;
}

}  // namespace cstore
