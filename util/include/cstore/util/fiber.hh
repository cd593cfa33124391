// Support for Boost.Context fibers: a guarded stack allocator that remembers
// where the stack is, and the AddressSanitizer annotations every stack
// switch needs (without them ASan mistakes the fiber's stack for an overflow
// of the thread's). The annotations compile to nothing without ASan.
//
//   FiberStackBounds fiberBounds, callerBounds;
//   auto f = boost::context::fiber(std::allocator_arg, GuardedStack(8 << 20, &fiberBounds), fn);
//   void* fake;
//   sanitizerStartSwitch(&fake, fiberBounds);   f = std::move(f).resume();   sanitizerFinishSwitch(fake, nullptr);
#pragma once

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cstddef>

namespace cstore {

struct FiberStackBounds {
    const void* bottom = nullptr;
    size_t size = 0;
};

class GuardedStack {
public:
    GuardedStack(size_t size, FiberStackBounds* bounds) : inner_(size), bounds_(bounds) {}
    boost::context::stack_context allocate() {
        auto sc = inner_.allocate();
        bounds_->bottom = static_cast<char*>(sc.sp) - sc.size;
        bounds_->size = sc.size;
        return sc;
    }
    void deallocate(boost::context::stack_context& sc) noexcept { inner_.deallocate(sc); }

private:
    boost::context::protected_fixedsize_stack inner_;
    FiberStackBounds* bounds_;
};

// Before switching to the stack `target`. Pass fakeStack = nullptr when the
// current fiber is finishing for good.
void sanitizerStartSwitch(void** fakeStack, const FiberStackBounds& target);
// First thing after a switch; `previous` receives the stack we came from.
void sanitizerFinishSwitch(void* fakeStack, FiberStackBounds* previous);

}  // namespace cstore
