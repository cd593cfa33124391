#include "cstore/util/archive.hh"

#include <sys/stat.h>

#include "archive_extension.hh"
#include "cstore/util/extension.hh"
#include "cstore/util/file.hh"

namespace cstore {

size_t extractArchive(const std::string& archivePath, const std::string& dest, const std::string& shownAs) {
    static auto* extract = extensionFunction<decltype(cstore_extract_archive)>("archive", "cstore_extract_archive");
    return extract(archivePath, dest, shownAs);
}

std::string singleTopDirectory(const std::string& dir) {
    auto top = readDirectoryNames(dir);
    if (top.size() != 1) return dir;
    auto st = maybeLstat(dir + "/" + top[0]);
    return st && S_ISDIR(st->st_mode) ? dir + "/" + top[0] : dir;
}

}  // namespace cstore
