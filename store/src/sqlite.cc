#include "cstore/store/sqlite.hh"

#include <sqlite3.h>
#include <unistd.h>

namespace cstore {

Database::Database(const std::string& path, bool create) : path_(path) {
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError("cannot open the database '%s': %s", path, msg);
    }
    constexpr int busyTimeoutMs = 60 * 60 * 1000;
    sqlite3_busy_timeout(db_, busyTimeoutMs);
    exec("pragma foreign_keys = on");
    // Switching a new database to WAL needs an exclusive lock that SQLite does
    // not wait for through the busy handler: when two processes create the
    // same store at once, one gets SQLITE_BUSY. Retry until the other is done.
    int waitedMs = 0;
    while (sqlite3_exec(db_, "pragma journal_mode = wal", nullptr, nullptr, nullptr) == SQLITE_BUSY &&
           waitedMs < busyTimeoutMs) {
        usleep(10 * 1000);
        waitedMs += 10;
    }
    exec("pragma journal_mode = wal");  // reports any other error
    // WAL makes NORMAL durable against process crashes; only power loss can lose the last transactions.
    exec("pragma synchronous = normal");
    // A garbage collection reads every row and rewrites most pages of a large
    // store's tables; with SQLite's default cache (2 MB) it spilled dirty pages
    // to the WAL mid-transaction and read pages again. The cache grows only as needed.
    exec("pragma cache_size = -65536");
}

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

void Database::fail(std::string_view what) const {
    throw SqliteError("database '%s': %s: %s", path_, what, sqlite3_errmsg(db_));
}

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw SqliteError("database '%s': executing '%s': %s", path_, sql.substr(0, 60), msg);
    }
}

int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
        db.fail(format("preparing '%s'", sql));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        db_.fail("binding a value");
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("binding a value");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("binding a value");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = sqlite3_errmsg(db_.handle());
    sqlite3_reset(stmt_);
    throw SqliteError("database '%s': %s (in '%s')", db_.path(), msg, sqlite3_sql(stmt_));
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int64_t Statement::getInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::getString(int column) const {
    auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::getOptString(int column) const {
    if (isNull(column)) return std::nullopt;
    return getString(column);
}

bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("begin immediate"); }

Transaction::~Transaction() {
    if (active_) {
        try {
            db_.exec("rollback");
        } catch (...) {
        }
    }
}

void Transaction::commit() {
    db_.exec("commit");
    active_ = false;
}

}  // namespace cstore
