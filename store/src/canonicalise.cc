// Canonical metadata for store objects (spec section 4).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cstore/store/local_store.hh"
#include "cstore/util/error.hh"
#include "cstore/util/file.hh"

namespace cstore {

namespace {
void removeXattrs(const std::string& path) {
    ssize_t size = llistxattr(path.c_str(), nullptr, 0);
    if (size < 0) {
        if (errno == ENOTSUP || errno == ENODATA) return;
        throw SysError("listing extended attributes of '%s'", path);
    }
    if (size == 0) return;
    std::string names(static_cast<size_t>(size), '\0');
    size = llistxattr(path.c_str(), names.data(), names.size());
    if (size < 0) throw SysError("listing extended attributes of '%s'", path);
    for (size_t i = 0; i < static_cast<size_t>(size);) {
        std::string name(names.c_str() + i);
        i += name.size() + 1;
        // SELinux labels and NFSv4 ACLs are managed by the system, as in Nix.
        if (name == "security.selinux" || name == "system.nfs4_acl") continue;
        if (lremovexattr(path.c_str(), name.c_str()) != 0 && errno != ENODATA)
            throw SysError("removing extended attribute '%s' of '%s'", name, path);
    }
}

void canonicalise(const std::string& path) {
    struct stat st = lstatOrThrow(path);
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
        throw Error("file '%s' has an unsupported type (only regular files, directories and symlinks are allowed)",
                    path);
    removeXattrs(path);
    if (S_ISDIR(st.st_mode)) {
        // Children first: the directory may lose its write bit below.
        if (!(st.st_mode & S_IWUSR) || !(st.st_mode & S_IXUSR)) chmod(path.c_str(), st.st_mode | S_IRWXU);
        for (auto& child : readDirectoryNames(path)) canonicalise(path + "/" + child);
    }
    if (!S_ISLNK(st.st_mode)) {
        mode_t mode = 0444 | ((st.st_mode & S_IXUSR) ? 0111 : 0);
        if (S_ISDIR(st.st_mode)) mode = 0555;
        if (chmod(path.c_str(), mode) != 0) throw SysError("changing the mode of '%s'", path);
    }
    struct timespec times[2] = {{0, UTIME_OMIT}, {1, 0}};
    if (utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        throw SysError("setting the modification time of '%s'", path);
}
}  // namespace

void canonicaliseTree(const std::string& path) { canonicalise(path); }

}  // namespace cstore
