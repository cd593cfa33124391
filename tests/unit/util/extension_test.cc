#include "cstore/util/extension.hh"

#include <gtest/gtest.h>

#include "cstore/util/error.hh"

namespace cstore {
namespace {

TEST(Extension, MissingExtensionNamesWhereItLooked) {
    try {
        loadExtension("no-such-thing");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("cstore-no-such-thing.so"), std::string::npos) << msg;
        EXPECT_NE(msg.find("lib/cstore"), std::string::npos) << msg;
    }
    // A failed load is not remembered: it fails the same way again.
    EXPECT_THROW(loadExtension("no-such-thing"), Error);
}

TEST(Extension, LoadsOnceAndFindsEntryPoints) {
    loadExtension("archive");
    loadExtension("archive");
    EXPECT_NE(extensionSymbol("archive", "cstore_extract_archive"), nullptr);
    EXPECT_NE(extensionSymbol("http", "cstore_http_transport"), nullptr);
}

TEST(Extension, MissingSymbolIsAnError) { EXPECT_THROW(extensionSymbol("archive", "cstore_no_such_function"), Error); }

}  // namespace
}  // namespace cstore
