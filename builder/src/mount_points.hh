// Mount points for the inputs of sandboxed builds, recycled by rename.
//
// A staging directory (the sandbox's writable store) holds an empty
// directory or file for each input of the build, where the input is bound.
// Between builds, the ones the next build does not need are moved into a
// spare directory beside it and renamed back when a later build needs a
// mount point, instead of being deleted and made again. On ext4 without a
// journal every new inode costs a scan past each inode deleted in the last
// half minute, so that churn made every file creation in the store slower
// as a build graph went on (most of the time of a trivial build).
//
//   MountPoints& mp = mountPointsFor(stagingDir);   // one user at a time
//   mp.retire(stagingDir + "/" + unneeded);          // out of sight
//   mp.make(stagingDir + "/" + needed, true);         // a directory again
#pragma once

#include <string>
#include <vector>

namespace cstore {

class MountPoints {
public:
    explicit MountPoints(std::string spareDir) : spareDir_(std::move(spareDir)) {}
    ~MountPoints();  // deletes the spare directory
    MountPoints(const MountPoints&) = delete;
    MountPoints& operator=(const MountPoints&) = delete;

    // Makes `path` (which must not exist) an empty directory or an empty file.
    void make(const std::string& path, bool directory);
    // Removes `path`: an empty directory or empty file of ours is kept as a spare,
    // anything else is deleted.
    void retire(const std::string& path);

private:
    std::string spareDir_;
    bool spareDirMade_ = false;
    std::vector<std::string> dirs_, files_;
    unsigned next_ = 0;
};

// The recycler of a staging directory (its spares live in `stagingDir-spare`).
// Thread-safe to call; each staging directory has one user at a time.
MountPoints& mountPointsFor(const std::string& stagingDir);

}  // namespace cstore
