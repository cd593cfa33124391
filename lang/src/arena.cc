#include "cstore/lang/arena.hh"

#include <cstdlib>

namespace cstore {

Arena::~Arena() {
    for (auto it = destructors_.rbegin(); it != destructors_.rend(); ++it) it->destroy(it->object);
    for (void* chunk : chunks_) std::free(chunk);
}

void* Arena::allocateSlow(size_t size, size_t align) {
    auto newBlock = [&](size_t bytes) {
        void* block = std::malloc(bytes);
        if (!block) throw std::bad_alloc();
        chunks_.push_back(block);
        reserved_ += bytes;
        return reinterpret_cast<uintptr_t>(block);
    };
    // A large request gets a block of its own, so the current chunk keeps serving small ones.
    if (size + align > nextChunk_ / 4) {
        uintptr_t start = newBlock(size + align);
        return reinterpret_cast<void*>((start + align - 1) & ~(uintptr_t)(align - 1));
    }
    // Chunks double up to 32 MiB: small evaluations stay small, large ones make few system calls.
    size_t chunkSize = nextChunk_;
    if (nextChunk_ < (32u << 20)) nextChunk_ *= 2;
    uintptr_t start = newBlock(chunkSize);
    uintptr_t p = (start + align - 1) & ~(uintptr_t)(align - 1);
    cur_ = p + size;
    end_ = start + chunkSize;
    return reinterpret_cast<void*>(p);
}

}  // namespace cstore
