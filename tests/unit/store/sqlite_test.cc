// The SQLite wrapper: connection settings, statements, transactions, errors.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "cstore/store/sqlite.hh"
#include "store_test_support.hh"

using namespace cstore;
using namespace cstore::test;

namespace {
int64_t queryInt(Database& db, const std::string& sql) {
    Statement q(db, sql);
    EXPECT_TRUE(q.step()) << sql;
    return q.getInt(0);
}
std::string queryString(Database& db, const std::string& sql) {
    Statement q(db, sql);
    EXPECT_TRUE(q.step()) << sql;
    return q.getString(0);
}
}  // namespace

TEST(Sqlite, OpensWithWalForeignKeysAndABusyTimeout) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    EXPECT_TRUE(pathExists(tmp / "db.sqlite"));
    EXPECT_EQ(queryString(db, "pragma journal_mode"), "wal");
    EXPECT_EQ(queryInt(db, "pragma foreign_keys"), 1);
    EXPECT_GT(queryInt(db, "pragma busy_timeout"), 1000);
    EXPECT_EQ(db.path(), tmp / "db.sqlite");
}

TEST(Sqlite, WithoutCreateAMissingDatabaseIsAnError) {
    TempDir tmp;
    try {
        Database db(tmp / "missing.sqlite", false);
        FAIL() << "opened a missing database";
    } catch (SqliteError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.sqlite"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(pathExists(tmp / "missing.sqlite"));
    EXPECT_THROW(Database(tmp / "no/such/dir/db.sqlite"), SqliteError);
}

TEST(Sqlite, BindsAndReadsEveryType) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    db.exec("create table t (i integer, s text, n text)");
    Statement ins(db, "insert into t values (?, ?, ?)");
    std::string withNul("a\0b", 3);
    ins.bind(1, int64_t{-5}).bind(2, withNul).bindNull(3);
    ins.run();
    EXPECT_EQ(db.changes(), 1);
    EXPECT_EQ(db.lastInsertId(), 1);
    ins.bind(1, int64_t{1} << 40).bind(2, "plain").bind(3, std::optional<std::string>("x"));
    ins.run();
    ins.bind(1, int64_t{0}).bind(2, std::string()).bind(3, std::optional<std::string>());
    ins.run();

    Statement q(db, "select i, s, n from t order by rowid");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.getInt(0), -5);
    EXPECT_EQ(q.getString(1), withNul);
    EXPECT_TRUE(q.isNull(2));
    EXPECT_EQ(q.getOptString(2), std::nullopt);
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.getInt(0), int64_t{1} << 40);
    EXPECT_EQ(q.getString(1), "plain");
    EXPECT_EQ(q.getOptString(2), std::optional<std::string>("x"));
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.getString(1), "");
    EXPECT_FALSE(q.isNull(1));
    EXPECT_TRUE(q.isNull(2));
    EXPECT_FALSE(q.step());
}

TEST(Sqlite, StatementsAreReusableAfterReset) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    db.exec("create table t (k text primary key, v integer)");
    Statement ins(db, "insert into t values (?, ?)");
    for (int i = 0; i < 10; ++i) {
        ins.bind(1, "k" + std::to_string(i)).bind(2, int64_t{i});
        ins.run();
    }
    Statement q(db, "select v from t where k = ?");
    for (int i : {3, 7, 3}) {
        q.bind(1, "k" + std::to_string(i));
        ASSERT_TRUE(q.step());
        EXPECT_EQ(q.getInt(0), i);
        q.reset();
    }
}

TEST(Sqlite, ErrorsCarrySqlitesMessage) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    try {
        Statement bad(db, "selec nonsense");
        FAIL() << "prepared invalid SQL";
    } catch (SqliteError& e) {
        EXPECT_NE(std::string(e.what()).find("syntax error"), std::string::npos) << e.what();
    }
    EXPECT_THROW(db.exec("insert into missing values (1)"), SqliteError);
    db.exec("create table t (k text primary key not null)");
    Statement ins(db, "insert into t values (?)");
    ins.bind(1, "a");
    ins.run();
    ins.bind(1, "a");
    try {
        ins.run();
        FAIL() << "duplicate key accepted";
    } catch (SqliteError& e) {
        EXPECT_NE(std::string(e.what()).find("UNIQUE"), std::string::npos) << e.what();
    }
    // The statement is usable again after the error.
    ins.bind(1, "b");
    ins.run();
    EXPECT_EQ(queryInt(db, "select count(*) from t"), 2);
}

TEST(Sqlite, ForeignKeysAreEnforced) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    db.exec("create table p (id integer primary key); create table c (p integer references p(id) on delete restrict)");
    db.exec("insert into p values (1); insert into c values (1)");
    EXPECT_THROW(db.exec("insert into c values (2)"), SqliteError);
    EXPECT_THROW(db.exec("delete from p where id = 1"), SqliteError);
}

TEST(Sqlite, TransactionsRollBackUnlessCommitted) {
    TempDir tmp;
    Database db(tmp / "db.sqlite");
    db.exec("create table t (v integer)");
    {
        Transaction txn(db);
        db.exec("insert into t values (1)");
    }
    EXPECT_EQ(queryInt(db, "select count(*) from t"), 0);
    try {
        Transaction txn(db);
        db.exec("insert into t values (2)");
        throw Error("failure half-way");
    } catch (Error&) {
    }
    EXPECT_EQ(queryInt(db, "select count(*) from t"), 0);
    {
        Transaction txn(db);
        db.exec("insert into t values (3)");
        txn.commit();
    }
    EXPECT_EQ(queryInt(db, "select v from t"), 3);
}

TEST(Sqlite, ASecondWriterWaitsForTheFirst) {
    TempDir tmp;
    Database a(tmp / "db.sqlite");
    a.exec("create table t (v integer)");
    Database b(tmp / "db.sqlite");
    std::atomic<bool> committed{false};
    std::thread writer;
    {
        Transaction txn(a);
        a.exec("insert into t values (1)");
        writer = std::thread([&] {
            // Blocks on the busy timeout until `a` commits, then succeeds.
            Transaction other(b);
            EXPECT_TRUE(committed.load());
            b.exec("insert into t values (2)");
            other.commit();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        committed = true;
        txn.commit();
    }
    writer.join();
    EXPECT_EQ(queryInt(a, "select count(*) from t"), 2);
    // Readers are not blocked by a writer in WAL mode.
    Transaction txn(a);
    a.exec("insert into t values (3)");
    EXPECT_EQ(queryInt(b, "select count(*) from t"), 2);
}
