#include <gtest/gtest.h>

#include "cstore/util/error.hh"
#include "cstore/util/stream.hh"

using namespace cstore;

TEST(SinkToSource, PullsWhatTheProducerPushes) {
    auto source = sinkToSource([](Sink& sink) {
        for (int i = 0; i < 1000; ++i) sink(std::to_string(i) + ",");
    });
    std::string expected;
    for (int i = 0; i < 1000; ++i) expected += std::to_string(i) + ",";
    std::string got;
    char buf[7];
    while (size_t n = source->read(buf, sizeof buf)) got.append(buf, n);
    EXPECT_EQ(got, expected);
}

TEST(SinkToSource, ProducerErrorsReachTheReader) {
    auto source = sinkToSource([](Sink& sink) {
        sink("abc");
        throw Error("producer failed");
    });
    char buf[16];
    EXPECT_EQ(source->read(buf, sizeof buf), 3u);
    EXPECT_THROW(source->read(buf, sizeof buf), Error);
}

TEST(SinkToSource, AbandonedProducerIsUnwound) {
    bool destroyed = false;
    struct Guard {
        bool& flag;
        ~Guard() { flag = true; }
    };
    {
        auto source = sinkToSource([&](Sink& sink) {
            Guard g{destroyed};
            while (true) sink("xxxx");
        });
        char buf[2];
        source->read(buf, 2);
    }
    EXPECT_TRUE(destroyed);
}

TEST(BufferedSink, CoalescesAndFlushes) {
    StringSink out;
    {
        BufferedSink buf(out, 8);
        buf("abc");
        buf("def");
        EXPECT_EQ(out.data, "");
        buf("ghi");
        buf("0123456789");
        buf.flush();
    }
    EXPECT_EQ(out.data, "abcdefghi0123456789");
}

TEST(Source, ReadExactlyFailsOnShortInput) {
    StringSource s("abc");
    char buf[4];
    EXPECT_THROW(s.readExactly(buf, 4), FormatError);
}

namespace {
// Recurses `depth` times with 2 KiB of live stack per frame, pushing one byte per level.
void deepProducer(Sink& sink, int depth) {
    volatile char frame[2048];
    frame[0] = static_cast<char>('a' + depth % 26);
    frame[sizeof frame - 1] = frame[0];
    if (depth > 0) deepProducer(sink, depth - 1);
    char c = frame[sizeof frame - 1];
    sink(std::string_view(&c, 1));
}
}  // namespace

TEST(SinkToSource, ProducersMayRecurseDeeply) {
    // ~2 MiB of producer stack, as dumpPath needs for a tree thousands of levels deep.
    auto source = sinkToSource([](Sink& sink) { deepProducer(sink, 1000); });
    EXPECT_EQ(source->drain().size(), 1001u);
}
