#include "cstore/util/error.hh"

#include <cstring>

namespace cstore {

std::string SourcePos::toString() const {
    if (line == 0) return file;
    return format("%s:%s:%s", file, line, column);
}

void Error::rebuild() {
    full_.clear();
    if (pos_) full_ = pos_->toString() + ": ";
    full_ += message_;
    for (auto& t : trace_) full_ += "\n  " + t;
}

SysError::SysError(int err, std::string msg) : Error(msg + ": " + std::strerror(err)), errNo_(err) {}

}  // namespace cstore
