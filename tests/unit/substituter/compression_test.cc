// Compression round trips, damaged streams, and the thread pipe.
#include <gtest/gtest.h>

#include <random>

#include "cstore/substituter/compression.hh"
#include "cstore/util/error.hh"
#include "cstore/util/logging.hh"
#include "parallel.hh"

using namespace cstore;

namespace {
std::string sample(size_t n) {
    std::mt19937 rng(7);
    std::string s;
    s.reserve(n);
    while (s.size() < n) s += (rng() % 4 == 0) ? std::string(1, static_cast<char>(rng())) : std::string("abcabc");
    s.resize(n);
    return s;
}

std::string compress(const std::string& method, const std::string& data, unsigned threads = 0) {
    StringSink out;
    auto c = makeCompressor(method, out, {-1, threads});
    for (size_t i = 0; i < data.size(); i += 100000) (*c)(std::string_view(data).substr(i, 100000));
    c->finish();
    return out.data;
}

std::string decompress(const std::string& method, const std::string& data, size_t chunk = 4096) {
    StringSink out;
    auto d = makeDecompressor(method, out);
    for (size_t i = 0; i < data.size(); i += chunk) (*d)(std::string_view(data).substr(i, chunk));
    d->finish();
    return out.data;
}
}  // namespace

TEST(Compression, RoundTrips) {
    for (std::string m : {"none", "zstd", "xz", "bzip2", "br"}) {
        std::string data = sample(m == "none" || m == "zstd" ? 3 << 20 : 1 << 19);  // the others are slow
        for (unsigned threads : {0u, 2u}) {
            std::string c = compress(m, data, threads);
            if (m != "none") {
                EXPECT_LT(c.size(), data.size()) << m;
            }
            EXPECT_EQ(decompress(m, c), data) << m << " threads " << threads;
            EXPECT_EQ(decompress(m, c, 1 << 20), data) << m;
        }
    }
    EXPECT_EQ(decompress("zstd", compress("zstd", "")), "");
}

TEST(Compression, DamagedStreamsAreErrors) {
    std::string data = sample(1 << 20);
    for (std::string m : {"zstd", "xz", "bzip2", "br"}) {
        std::string c = compress(m, data);
        EXPECT_THROW(decompress(m, c.substr(0, c.size() / 2)), FormatError) << m << " truncated";
        std::string corrupt = c;
        for (size_t i = c.size() / 3; i < c.size() / 3 + 64; ++i) corrupt[i] ^= 0x5a;
        EXPECT_THROW(decompress(m, corrupt), Error) << m << " corrupt";
        EXPECT_THROW(decompress(m, "this is not compressed at all"), FormatError) << m;
    }
    EXPECT_THROW(decompress("zstd", ""), FormatError);
    for (std::string m : {"xz", "bzip2", "br"}) {
        EXPECT_THROW(decompress(m, ""), FormatError) << m << " empty";
        EXPECT_THROW(decompress(m, compress(m, data) + "junk"), FormatError) << m << " trailing data";
    }
}

TEST(Compression, IncompressibleDataAndEmptyStreams) {
    std::mt19937 rng(3);
    std::string noise(3 << 20, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    for (std::string m : {"xz", "bzip2", "br"}) {
        EXPECT_EQ(decompress(m, compress(m, noise), 1 << 20), noise) << m;
        EXPECT_EQ(decompress(m, compress(m, "")), "") << m;
    }
}

TEST(Compression, NamesAndSuffixes) {
    EXPECT_EQ(narFileExtension("zstd"), ".nar.zst");
    EXPECT_EQ(narFileExtension("xz"), ".nar.xz");
    EXPECT_EQ(narFileExtension("none"), ".nar");
    EXPECT_EQ(narFileExtension("bzip2"), ".nar.bz2");
    EXPECT_EQ(narFileExtension("br"), ".nar.br");
    EXPECT_TRUE(compressionSupported("xz"));
    EXPECT_TRUE(compressionSupported("bzip2"));
    EXPECT_TRUE(compressionSupported("br"));
    EXPECT_FALSE(compressionSupported("lz4"));
    StringSink s;
    EXPECT_THROW(makeDecompressor("lz4", s), Error);
    EXPECT_THROW(makeCompressor("gzip", s), Error);
}

TEST(SinkToThread, PassesEverythingAndSignalsTheEnd) {
    std::string data = sample(5 << 20), got;
    size_t afterEnd = 99;
    {
        SinkToThread pipe([&](Source& src) {
            got = src.drain();
            char c;
            afterEnd = src.read(&c, 1) + src.read(&c, 1);
        });
        for (size_t i = 0; i < data.size(); i += 7777) pipe(std::string_view(data).substr(i, 7777));
        pipe.finish();
    }
    EXPECT_EQ(got, data);
    EXPECT_EQ(afterEnd, 0u);
}

TEST(SinkToThread, ConsumerErrorsReachTheProducer) {
    SinkToThread pipe([](Source& src) {
        char buf[10];
        src.readExactly(buf, 10);
        throw FormatError("bad data");
    });
    std::string big(4 << 20, 'x');
    EXPECT_THROW(
        {
            pipe(big);
            pipe.finish();
        },
        FormatError);
}

TEST(SinkToThread, AbandonedPipeStopsTheConsumer) {
    bool unwound = false;
    {
        SinkToThread pipe([&](Source& src) {
            struct Flag {
                bool& f;
                ~Flag() { f = true; }
            } flag{unwound};
            src.drain();
        });
        pipe(std::string(1000, 'x'));
    }
    EXPECT_TRUE(unwound);
}

TEST(ParallelFor, RunsEveryItemAndKeepsErrorsApart) {
    std::vector<int> out(100, 0);
    auto errors = parallelFor(100, 4, [&](size_t i) {
        if (i == 42) throw Error("item 42");
        out[i] = static_cast<int>(i);
    });
    for (size_t i = 0; i < 100; ++i) {
        if (i == 42)
            EXPECT_TRUE(errors[i]);
        else {
            EXPECT_FALSE(errors[i]);
            EXPECT_EQ(out[i], static_cast<int>(i));
        }
    }
    EXPECT_TRUE(parallelFor(0, 4, [](size_t) {}).empty());
}

TEST(ParallelFor, FailuresAreReportedAndInterruptionsRethrown) {
    auto errors = parallelFor(5, 2, [](size_t i) {
        if (i % 2) throw Error("item %s", i);
    });
    std::vector<std::string> seen;
    forEachFailure(errors, [&](size_t i, const char* what) { seen.push_back(std::to_string(i) + ":" + what); });
    EXPECT_EQ(seen, (std::vector<std::string>{"1:item 1", "3:item 3"}));
    errors[0] = std::make_exception_ptr(Interrupted());
    EXPECT_THROW(forEachFailure(errors, [](size_t, const char*) {}), Interrupted);
}

TEST(TransferStatus, PathsBytesAndRate) {
    EXPECT_EQ(transferStatus(3, 10, 2048, 4096, 2.0),
              "3/10 paths, " + formatBytes(2048) + " of " + formatBytes(4096) + ", " + formatBytes(1024) + "/s");
    EXPECT_EQ(transferStatus(0, 1, 0, 10, 0),
              "0/1 paths, " + formatBytes(0) + " of " + formatBytes(10) + ", " + formatBytes(0) + "/s");
}
