// Evaluation runs on a fiber with a large stack: recursion in recipes maps to
// recursion in the evaluator, and the main thread's 8 MiB would overflow long
// before a legitimate deep evaluation ends. The stack is reserved with mmap
// and only touched pages cost memory; a guard page sits below it, and the
// evaluator stops well before it (EvalState::checkStack).
#include <sys/mman.h>

#include <boost/context/fiber.hpp>
#include <boost/context/stack_context.hpp>
#include <exception>

#include "cstore/util/error.hh"

#include "cstore/eval/eval_state.hh"

#if defined(__SANITIZE_ADDRESS__)
#define CSTORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CSTORE_ASAN 1
#endif
#endif

#ifdef CSTORE_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace cstore::eval {

namespace {

struct MmapStack {
    size_t size;
    void** baseOut;
    boost::context::stack_context allocate() {
        void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) throw SysError("allocating the evaluation stack");
        *baseOut = base;
        mprotect(base, 4096, PROT_NONE);  // guard page
        boost::context::stack_context sc;
        sc.size = size;
        sc.sp = static_cast<char*>(base) + size;
        return sc;
    }
    void deallocate(boost::context::stack_context& sc) { munmap(static_cast<char*>(sc.sp) - sc.size, sc.size); }
};

}  // namespace

void runOnLargeStack(EvalState* state, const std::function<void()>& fn, size_t stackSize) {
    namespace ctx = boost::context;
#ifdef CSTORE_ASAN
    // ASan unpoisons the stack on throw only when it is at most 64 MiB; beyond
    // that it reports false errors after a deep exception.
    if (stackSize > (60u << 20)) stackSize = 60u << 20;
#endif
    std::exception_ptr error;
    const char* bottom = nullptr;
    void* stackBase = nullptr;
#ifdef CSTORE_ASAN
    void* fakeStack = nullptr;
    const void* mainBottom = nullptr;
    size_t mainSize = 0;
#endif
    ctx::fiber f(std::allocator_arg, MmapStack{stackSize, &stackBase}, [&](ctx::fiber&& caller) {
#ifdef CSTORE_ASAN
        __sanitizer_finish_switch_fiber(nullptr, &mainBottom, &mainSize);
#endif
        char here;
        bottom = &here - stackSize + 64 * 1024;
        // Leave 1 MiB below the limit for code that doesn't check (printing, error handling).
        if (state) state->setStackLimit(bottom + (1 << 20));
        try {
            fn();
        } catch (...) {
            error = std::current_exception();
        }
        if (state) state->setStackLimit(nullptr);
#ifdef CSTORE_ASAN
        __sanitizer_start_switch_fiber(nullptr, mainBottom, mainSize);
#endif
        return std::move(caller);
    });
#ifdef CSTORE_ASAN
    // The fiber's stack is mmap'ed by MmapStack; tell ASan where it is.
    __sanitizer_start_switch_fiber(&fakeStack, stackBase, stackSize);
#endif
    f = std::move(f).resume();
#ifdef CSTORE_ASAN
    __sanitizer_finish_switch_fiber(fakeStack, nullptr, nullptr);
#endif
    if (error) std::rethrow_exception(error);
}

}  // namespace cstore::eval
