// A tiny HTTP/1.1 server for tests: it listens on a free port of 127.0.0.1
// and answers every request with whatever the test's handler decides,
// including misbehaviour (stalling, dropping the connection mid-body).
// One request per connection (responses say `Connection: close`).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cstore::test {

struct ScriptedRequest {
    std::string method, path, body;
};

struct ScriptedResponse {
    int status = 200;
    std::string body;
    std::string contentType = "application/octet-stream";
    size_t dropAfter = std::string::npos;  // close the connection after this many body bytes
    int stallMs = 0;                       // wait this long before answering
};

class ScriptedServer {
public:
    using Handler = std::function<ScriptedResponse(const ScriptedRequest&)>;

    explicit ScriptedServer(Handler handler) : handler_(std::move(handler)) {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        listen(fd_, 64);
        thread_ = std::thread([this] { serve(); });
    }

    ~ScriptedServer() {
        stop_ = true;
        thread_.join();
        for (auto& t : workers_) t.join();
        close(fd_);
    }

    std::string url(const std::string& path = "") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::vector<ScriptedRequest> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            workers_.emplace_back([this, c] { handle(c); });
        }
    }

    static bool readSome(int c, std::string& buf) {
        pollfd p{c, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0) return false;
        char tmp[65536];
        ssize_t n = read(c, tmp, sizeof tmp);
        if (n <= 0) return false;
        buf.append(tmp, static_cast<size_t>(n));
        return true;
    }

    static void writeAll(int c, std::string_view data) {
        while (!data.empty()) {
            ssize_t n = send(c, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return;
            data.remove_prefix(static_cast<size_t>(n));
        }
    }

    void handle(int c) {
        std::string buf;
        size_t end;
        while ((end = buf.find("\r\n\r\n")) == std::string::npos)
            if (!readSome(c, buf)) return (void)close(c);
        ScriptedRequest req;
        std::string head = buf.substr(0, end);
        req.method = head.substr(0, head.find(' '));
        req.path = head.substr(req.method.size() + 1, head.find(' ', req.method.size() + 1) - req.method.size() - 1);
        size_t length = 0;
        for (auto pos = head.find("\r\n"); pos != std::string::npos; pos = head.find("\r\n", pos + 2)) {
            std::string line = head.substr(pos + 2, head.find("\r\n", pos + 2) - pos - 2);
            for (auto& ch : line) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
            if (line.starts_with("content-length:")) length = std::stoul(line.substr(15));
        }
        req.body = buf.substr(end + 4);
        while (req.body.size() < length)
            if (!readSome(c, req.body)) break;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(req);
        }
        ScriptedResponse r = handler_(req);
        if (r.stallMs) {
            auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(r.stallMs);
            while (!stop_ && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        std::string out = "HTTP/1.1 " + std::to_string(r.status) +
                          " X\r\nContent-Length: " + std::to_string(r.body.size()) +
                          "\r\nContent-Type: " + r.contentType + "\r\nConnection: close\r\n\r\n";
        writeAll(c, out);
        if (req.method != "HEAD") writeAll(c, std::string_view(r.body).substr(0, r.dropAfter));
        shutdown(c, SHUT_WR);
        close(c);
    }

    Handler handler_;
    int fd_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::vector<ScriptedRequest> requests_;
};

}  // namespace cstore::test
