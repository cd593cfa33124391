// A bump allocator: objects are carved out of large chunks and all freed
// together when the arena dies. The parser puts AST nodes here and the
// evaluator its values and environments, because both live as long as one
// evaluation and a pointer bump is the cheapest allocation there is.
//
//   Arena arena;
//   auto* node = arena.make<ExprInt>(...);     // destructor runs with the arena
//   auto* raw = arena.allocate(48, 16);         // uninitialised bytes
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace cstore {

class Arena {
public:
    explicit Arena(size_t firstChunk = 64 * 1024) : nextChunk_(firstChunk) {}
    ~Arena();
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    // Uninitialised memory, aligned to `align` (a power of two, at most 16).
    void* allocate(size_t size, size_t align = 16) {
        uintptr_t p = (cur_ + align - 1) & ~(uintptr_t)(align - 1);
        if (p + size > end_) [[unlikely]]
            return allocateSlow(size, align);
        cur_ = p + size;
        return reinterpret_cast<void*>(p);
    }

    // Constructs a T; its destructor runs when the arena dies, unless it is trivial.
    template <typename T, typename... Args>
    T* make(Args&&... args) {
        T* obj = new (allocate(sizeof(T), alignof(T) < 16 ? alignof(T) : 16)) T(std::forward<Args>(args)...);
        if constexpr (!std::is_trivially_destructible_v<T>)
            destructors_.push_back({obj, [](void* p) { static_cast<T*>(p)->~T(); }});
        return obj;
    }

    template <typename T>
    T* allocArray(size_t n) {
        static_assert(std::is_trivially_destructible_v<T>);
        return static_cast<T*>(allocate(sizeof(T) * (n ? n : 1), alignof(T) < 16 ? alignof(T) : 16));
    }

    // Extends the most recent allocation, which ends at `end`, by `n` bytes in
    // place; false if something was allocated after it or the chunk is full.
    bool tryExtend(const void* end, size_t n) {
        if (reinterpret_cast<uintptr_t>(end) != cur_ || cur_ + n > end_) return false;
        cur_ += n;
        return true;
    }

    // Bytes obtained from the system so far.
    size_t bytesReserved() const { return reserved_; }

private:
    void* allocateSlow(size_t size, size_t align);
    uintptr_t newBlock(size_t bytes);

    uintptr_t cur_ = 0, end_ = 0;
    size_t nextChunk_;
    size_t reserved_ = 0;
    std::vector<std::pair<void*, size_t>> chunks_;  // size 0: from malloc
    struct Destructor {
        void* object;
        void (*destroy)(void*);
    };
    std::vector<Destructor> destructors_;
};

}  // namespace cstore
