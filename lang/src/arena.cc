#include "cstore/lang/arena.hh"

#include <sys/mman.h>

#include <cstdlib>

namespace cstore {

namespace {
constexpr size_t hugePage = 2u << 20;
}

Arena::~Arena() {
    for (auto it = destructors_.rbegin(); it != destructors_.rend(); ++it) it->destroy(it->object);
    for (auto& [chunk, size] : chunks_) {
        if (size)
            munmap(chunk, size);
        else
            std::free(chunk);
    }
}

uintptr_t Arena::newBlock(size_t bytes) {
    if (bytes >= hugePage) {
        // Large chunks come straight from mmap, 2 MiB aligned. Transparent huge
        // pages (MADV_HUGEPAGE) made single runs faster but, on a VM that
        // returns free memory to its host, fresh 2 MiB pages are slow to fault
        // in after another large process exits; see bench/eval/README.md.
        size_t size = (bytes + hugePage - 1) & ~(hugePage - 1);
        void* p = mmap(nullptr, size + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        uintptr_t start = reinterpret_cast<uintptr_t>(p);
        uintptr_t aligned = (start + hugePage - 1) & ~(uintptr_t)(hugePage - 1);
        if (aligned > start) munmap(p, aligned - start);
        size_t tail = (start + size + hugePage) - (aligned + size);
        if (tail) munmap(reinterpret_cast<void*>(aligned + size), tail);
        chunks_.push_back({reinterpret_cast<void*>(aligned), size});
        reserved_ += size;
        return aligned;
    }
    void* block = std::malloc(bytes);
    if (!block) throw std::bad_alloc();
    chunks_.push_back({block, 0});
    reserved_ += bytes;
    return reinterpret_cast<uintptr_t>(block);
}

void* Arena::allocateSlow(size_t size, size_t align) {
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
