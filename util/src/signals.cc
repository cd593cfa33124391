#include "cstore/util/signals.hh"

#include <csignal>

#include "cstore/util/error.hh"

namespace cstore {

std::atomic<bool> interruptRequested{false};

namespace {
extern "C" void onSignal(int) { interruptRequested.store(true); }
}  // namespace

void throwInterrupted() { throw Interrupted(); }

void installInterruptHandlers() {
    struct sigaction act {};
    act.sa_handler = onSignal;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and see the flag
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &act, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

}  // namespace cstore
