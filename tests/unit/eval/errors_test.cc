// Golden files: each tests/data/eval/errors/NAME.cbl is evaluated and the
// error report (message, snippet, trace) must equal NAME.err. The data
// directory is written as <data> so the files don't depend on the checkout.
// CSTORE_UPDATE_GOLDEN=1 rewrites the .err files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cstore/util/file.hh"
#include "eval_fixture.hh"

using cstore::eval::testing::Evaluator;

namespace {

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
    return s;
}

std::string runFile(const std::string& path, bool showTrace) {
    Evaluator ev;
    std::string out = "no error";
    cstore::eval::runOnLargeStack(&ev.state, [&] {
        try {
            cstore::eval::Value v;
            ev.state.eval(ev.state.parseFile(path), v);
            ev.state.forceDeep(v);
        } catch (cstore::eval::EvalError& e) {
            out = cstore::eval::formatEvalError(ev.state, e, showTrace);
        }
    });
    return out + "\n";
}

}  // namespace

TEST(ErrorGolden, AllFiles) {
    const char* data = getenv("CSTORE_TEST_DATA");
    ASSERT_NE(data, nullptr);
    std::string dir = std::string(data) + "/eval/errors";
    bool update = getenv("CSTORE_UPDATE_GOLDEN") != nullptr;
    int count = 0;
    for (auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".cbl") continue;
        std::string cbl = entry.path().string();
        bool trace = cbl.find("trace") != std::string::npos;
        std::string actual = replaceAll(runFile(cbl, trace), std::string(data), "<data>");
        std::string errPath = cbl.substr(0, cbl.size() - 4) + ".err";
        if (update) cstore::writeFile(errPath, actual);
        std::string expected = cstore::pathExists(errPath) ? cstore::readFile(errPath) : "(missing " + errPath + ")";
        EXPECT_EQ(actual, expected) << "golden file " << errPath;
        ++count;
    }
    EXPECT_GE(count, 8);
}
