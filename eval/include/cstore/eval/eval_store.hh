// What the evaluator needs from a store, and nothing more: where the store
// is, and adding files and text to it. The CLI passes an implementation
// backed by the real LocalStore; tests pass a fake.
//
//   class MyStore : public EvalStore { ... };
//   EvalState state(options, &myStore);
//   "${./file}"   // calls addPath, the string then refers to the store path
#pragma once

#include <string>
#include <vector>

namespace cstore::eval {

class EvalStore {
public:
    virtual ~EvalStore() = default;
    // The logical store directory, e.g. "/store".
    virtual const std::string& storeDir() const = 0;
    // Copies `path` (recursively, NAR-hashed, as `nix-store --add`) into the
    // store under `name`; returns the store path. `filter`, when set, decides
    // for each path below `path` whether it is included.
    struct PathFilter {
        virtual ~PathFilter() = default;
        virtual bool include(const std::string& path, const std::string& type) = 0;
    };
    virtual std::string addPath(const std::string& name, const std::string& path, PathFilter* filter) = 0;
    // Adds a text file (as builtins.toFile) with the given references.
    virtual std::string addText(const std::string& name, const std::string& text,
                                const std::vector<std::string>& references) = 0;
    // Whether `path` is a valid store path (for builtins.storePath).
    virtual bool isValidPath(const std::string& path) = 0;
    // Where a path below the logical store directory really is (a store
    // whose root is not "/" keeps /store/x at <root>/store/x); other paths
    // are returned unchanged. Used by readFile, pathExists, readDir, hashFile
    // and import.
    virtual std::string toRealPath(const std::string& path) { return path; }

    // Downloads `url` into the store while evaluating (builtins.fetchurl,
    // builtins.fetchTarball): the file as a flat content-addressed path, or
    // with `unpack` the archive's contents (a single top-level directory
    // stripped) as a source path. With `expectedHash` (any hash form; of the
    // file, or of the NAR when unpacking) the result is checked, and a path
    // already in the store is returned without downloading.
    struct FetchRequest {
        std::string url, name, expectedHash;
        bool unpack = false;
    };
    virtual std::string fetch(const FetchRequest& request);
};

}  // namespace cstore::eval
