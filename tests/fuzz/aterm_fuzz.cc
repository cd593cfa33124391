// Feeds arbitrary bytes to the .drv (ATerm) reader. It must accept or throw
// FormatError, never crash; and whatever it accepts must print back to text
// that reads as the same derivation and prints identically again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cstore/store/derivation.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace cstore;
    static const StoreDir dir("/store");
    std::string text(reinterpret_cast<const char*>(data), size);
    Derivation drv;
    try {
        drv = Derivation::parse(dir, text, "fuzz");
    } catch (const FormatError&) {
        return 0;
    }
    std::string printed = drv.unparse(dir, false);
    Derivation again = Derivation::parse(dir, printed, "fuzz");  // must not throw
    if (!(again == drv)) abort();
    if (again.unparse(dir, false) != printed) abort();
    (void)drv.unparse(dir, true);
    return 0;
}
