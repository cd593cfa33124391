// Cooperative interruption: SIGINT/SIGTERM set a flag, long-running loops call
// checkInterrupt(), which throws `Interrupted` so destructors clean up
// (temporary files, locks, child processes) on the way out.
#pragma once

#include <atomic>

namespace cstore {

extern std::atomic<bool> interruptRequested;

// Installs handlers for SIGINT, SIGTERM and SIGHUP that request interruption.
void installInterruptHandlers();

inline void checkInterrupt() {
    if (interruptRequested.load(std::memory_order_relaxed)) [[unlikely]] {
        void throwInterrupted();
        throwInterrupted();
    }
}

}  // namespace cstore
