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
