// The libcurl HTTP client against a scripted local server: statuses,
// retries, stalls, dropped connections, uploads.
#include <gtest/gtest.h>

#include <atomic>

#include "cstore/util/http.hh"
#include "scripted_server.hh"

using namespace cstore;
using namespace cstore::test;

namespace {
HttpOptions fastOptions() {
    HttpOptions o;
    o.connectTimeout = 5;
    o.stallTimeout = 1;
    o.attempts = 3;
    o.initialBackoffMs = 10;
    return o;
}
}  // namespace

TEST(Http, GetStreamsBodyAndReportsNotFound) {
    ScriptedServer server([](const ScriptedRequest& r) {
        if (r.path == "/hello") return ScriptedResponse{200, std::string(300000, 'x')};
        return ScriptedResponse{404, "no such file"};
    });
    HttpClient http(fastOptions());
    StringSink body;
    auto r = http.get(server.url("/hello"), body);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body.data, std::string(300000, 'x'));
    EXPECT_EQ(r.bodyBytes, 300000u);
    EXPECT_EQ(r.headers["content-type"], "application/octet-stream");

    StringSink missing;
    auto m = http.get(server.url("/missing"), missing);
    EXPECT_TRUE(m.notFound());
    EXPECT_EQ(missing.data, "");  // an error body never reaches the sink
    EXPECT_TRUE(http.head(server.url("/missing")).notFound());
    EXPECT_EQ(http.head(server.url("/hello")).status, 200);
}

TEST(Http, ServerErrorsAreRetriedThenSucceed) {
    std::atomic<int> calls{0};
    ScriptedServer server([&](const ScriptedRequest&) {
        return ++calls == 1 ? ScriptedResponse{500, "oops"} : ScriptedResponse{200, "fine"};
    });
    HttpClient http(fastOptions());
    StringSink body;
    auto r = http.withRetries([&] {
        body.data.clear();
        return http.get(server.url("/x"), body);
    });
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body.data, "fine");
    EXPECT_EQ(calls.load(), 2);
}

TEST(Http, PersistentErrorsGiveUp) {
    std::atomic<int> calls{0};
    ScriptedServer server([&](const ScriptedRequest&) {
        ++calls;
        return ScriptedResponse{503, "busy"};
    });
    HttpClient http(fastOptions());
    NullSink sink;
    try {
        http.withRetries([&] { return http.get(server.url("/x"), sink); });
        FAIL();
    } catch (HttpError& e) {
        EXPECT_EQ(e.status(), 503);
        EXPECT_NE(std::string(e.what()).find("3 attempts"), std::string::npos) << e.what();
    }
    EXPECT_EQ(calls.load(), 3);
}

TEST(Http, ClientErrorsAreNotRetried) {
    std::atomic<int> calls{0};
    ScriptedServer server([&](const ScriptedRequest&) {
        ++calls;
        return ScriptedResponse{400, "bad request"};
    });
    HttpClient http(fastOptions());
    NullSink sink;
    EXPECT_THROW(http.withRetries([&] { return http.get(server.url("/x"), sink); }), HttpError);
    EXPECT_EQ(calls.load(), 1);
}

TEST(Http, DroppedConnectionIsTransient) {
    ScriptedServer server([](const ScriptedRequest&) {
        ScriptedResponse r{200, std::string(100000, 'y')};
        r.dropAfter = 1000;
        return r;
    });
    HttpClient http(fastOptions());
    StringSink body;
    try {
        http.get(server.url("/x"), body);
        FAIL();
    } catch (HttpError& e) {
        EXPECT_TRUE(e.transient()) << e.what();
        EXPECT_EQ(e.status(), 0);
    }
}

TEST(Http, StallTimesOut) {
    ScriptedServer server([](const ScriptedRequest&) {
        ScriptedResponse r{200, "late"};
        r.stallMs = 4000;
        return r;
    });
    auto o = fastOptions();
    o.attempts = 1;
    HttpClient http(o);
    NullSink sink;
    auto start = std::chrono::steady_clock::now();
    try {
        http.withRetries([&] { return http.get(server.url("/x"), sink); });
        FAIL();
    } catch (HttpError& e) {
        EXPECT_TRUE(std::string(e.what()).find("timed out") != std::string::npos ||
                    std::string(e.what()).find("Operation too slow") != std::string::npos)
            << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST(Http, SinkErrorsPropagate) {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedResponse{200, std::string(100000, 'z')}; });
    HttpClient http(fastOptions());
    LambdaSink failing([](std::string_view) { throw FormatError("corrupt stream"); });
    EXPECT_THROW(http.get(server.url("/x"), failing), FormatError);
}

TEST(Http, PutSendsBody) {
    ScriptedServer server([](const ScriptedRequest& r) {
        return r.method == "PUT" ? ScriptedResponse{201, ""} : ScriptedResponse{405, ""};
    });
    HttpClient http(fastOptions());
    std::string data(200000, 'p');
    StringSource src(data);
    auto r = http.put(server.url("/up/a.nar"), src, data.size(), "application/x-nix-nar");
    EXPECT_EQ(r.status, 201);
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].path, "/up/a.nar");
    EXPECT_EQ(reqs[0].body, data);
}

TEST(Http, ConnectionRefusedIsTransientAndNamesTheUrl) {
    int port;
    {
        ScriptedServer s([](const ScriptedRequest&) { return ScriptedResponse{}; });
        port = std::stoi(s.url().substr(17));
    }
    HttpClient http(fastOptions());
    NullSink sink;
    try {
        http.get("http://127.0.0.1:" + std::to_string(port) + "/x", sink);
        FAIL();
    } catch (HttpError& e) {
        EXPECT_TRUE(e.transient());
        EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos);
    }
}
