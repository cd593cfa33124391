#include "cstore/util/fiber.hh"

#if defined(__SANITIZE_ADDRESS__)
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, size_t* size_old);
}
#endif

namespace cstore {

void sanitizerStartSwitch(void** fakeStack, const FiberStackBounds& target) {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(fakeStack, target.bottom, target.size);
#else
    (void)fakeStack;
    (void)target;
#endif
}

void sanitizerFinishSwitch(void* fakeStack, FiberStackBounds* previous) {
#if defined(__SANITIZE_ADDRESS__)
    if (previous)
        __sanitizer_finish_switch_fiber(fakeStack, &previous->bottom, &previous->size);
    else
        __sanitizer_finish_switch_fiber(fakeStack, nullptr, nullptr);
#else
    (void)fakeStack;
    (void)previous;
#endif
}

}  // namespace cstore
