// A thin RAII layer over SQLite: a connection, prepared statements with
// typed binding and reading, and transactions that roll back unless
// committed. Errors become SqliteError with SQLite's message.
//
//   Database db(path);
//   Statement q(db, "select id from ValidPaths where path = ?");
//   q.bind(1, p);
//   if (q.step()) id = q.getInt(0);
//   { Transaction txn(db); ...; txn.commit(); }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cstore/util/error.hh"

struct sqlite3;
struct sqlite3_stmt;

namespace cstore {

class SqliteError : public Error {
public:
    using Error::Error;
};

class Database {
public:
    // Opens (creating if needed) with WAL journaling, a busy timeout and foreign keys on.
    explicit Database(const std::string& path, bool create = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    int64_t lastInsertId() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

    [[noreturn]] void fail(std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, int64_t value);
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<std::string>& value) {
        return value ? bind(index, std::string_view(*value)) : bindNull(index);
    }

    // Returns true while there is a row to read.
    bool step();
    // Runs a statement that returns no rows, then resets it.
    void run();
    void reset();

    int64_t getInt(int column) const;
    std::string getString(int column) const;
    std::optional<std::string> getOptString(int column) const;
    bool isNull(int column) const;

private:
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool active_ = true;
};

}  // namespace cstore
