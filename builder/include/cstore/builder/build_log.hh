// Build logs: stored zstd-compressed per derivation at
// `<stateDir>/log/<first two characters>/<rest of the .drv base name>.zst`,
// with the last lines kept in memory for error reports.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cstore/store/local_store.hh"

namespace cstore {

class BuildLogWriter {
public:
    BuildLogWriter(LocalStore& store, const StorePath& drvPath, size_t tailLines);
    ~BuildLogWriter();

    // Appends raw builder output; complete lines go to the tail and to `onLine`.
    void write(std::string_view data);
    // Flushes and closes the compressed file.
    void finish();

    const std::deque<std::string>& tail() const { return tail_; }
    const std::string& lastLine() const { return lastLine_; }
    const std::string& path() const { return path_; }
    std::function<void(const std::string&)> onLine;

private:
    void line(std::string l);
    struct Compressor;
    std::unique_ptr<Compressor> zstd_;
    std::string path_, partial_, lastLine_;
    std::deque<std::string> tail_;
    size_t tailLines_;
};

std::string buildLogPath(const LocalStore& store, const StorePath& drvPath);
// The decompressed log, or nothing if there is none.
std::optional<std::string> readBuildLog(const LocalStore& store, const StorePath& drvPath);

}  // namespace cstore
