#include "storage/postgres/postgres_connection.h"

#include <libpq-fe.h>

#include <cstring>

namespace civicdesk::storage {
namespace {

// Type OIDs from PostgreSQL's pg_type.h, used to give result cells their C++ type.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

using ResultHandle = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Parameters as the text libpq sends; a null pointer is SQL NULL.
struct ParamTexts {
  explicit ParamTexts(const std::vector<Value>& params)
      : texts(params.size()), values(params.size(), nullptr) {
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& param = params[i];
      if (std::holds_alternative<std::monostate>(param)) continue;
      if (const auto* integer = std::get_if<int64_t>(&param)) {
        texts[i] = std::to_string(*integer);
      } else if (const auto* real = std::get_if<double>(&param)) {
        char buffer[64];
        std::snprintf(buffer, sizeof(buffer), "%.17g", *real);
        texts[i] = buffer;
      } else {
        texts[i] = std::get<std::string>(param);
      }
      values[i] = texts[i].c_str();
    }
  }
  std::vector<std::string> texts;
  std::vector<const char*> values;
};

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(PGconn* handle) : handle_(handle) {}
  ~PostgresConnection() override { PQfinish(handle_); }

  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params) override {
    std::string numbered = NumberPlaceholders(sql);
    ParamTexts texts(params);
    ResultHandle result(PQexecParams(handle_, numbered.c_str(), static_cast<int>(params.size()),
                                     nullptr, texts.values.data(), nullptr, nullptr, 0),
                        PQclear);
    return Convert(result.get(), sql);
  }

  // Single-row mode: libpq hands over one row at a time instead of buffering the result.
  Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                   const std::function<Status(const std::vector<Value>&)>& on_row) override {
    std::string numbered = NumberPlaceholders(sql);
    ParamTexts texts(params);
    if (PQsendQueryParams(handle_, numbered.c_str(), static_cast<int>(params.size()), nullptr,
                          texts.values.data(), nullptr, nullptr, 0) == 0) {
      return Status::Unavailable(std::string("PostgreSQL: ") + PQerrorMessage(handle_));
    }
    PQsetSingleRowMode(handle_);
    Status outcome;
    while (PGresult* raw = PQgetResult(handle_)) {
      ResultHandle result(raw, PQclear);
      if (!outcome.ok()) continue;  // drain what is left after a failure
      ExecStatusType status = PQresultStatus(raw);
      if (status == PGRES_SINGLE_TUPLE) {
        outcome = on_row(ConvertRow(raw, 0));
      } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        Result<QueryResult> error = Convert(raw, sql);
        outcome = error.ok() ? Status::Internal("unexpected PostgreSQL result") : error.status();
      }
    }
    return outcome;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string script(sql);
    ResultHandle result(PQexec(handle_, script.c_str()), PQclear);
    Result<QueryResult> converted = Convert(result.get(), sql);
    return converted.ok() ? Status::Ok() : converted.status();
  }

  bool healthy() const override { return PQstatus(handle_) == CONNECTION_OK; }

 private:
  Result<QueryResult> Convert(PGresult* result, std::string_view sql) {
    ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string message = "PostgreSQL: ";
      message += result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(handle_);
      if (PQstatus(handle_) != CONNECTION_OK) {
        return Status::Unavailable("storage.connection_lost", {{"detail", message}});
      }
      const char* state =
          result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
      if (state != nullptr && std::strncmp(state, "23", 2) == 0) return Status::Conflict(message);
      // 40001 serialization failure, 40P01 deadlock, 55P03 lock not available: retryable.
      if (state != nullptr &&
          (std::strncmp(state, "40", 2) == 0 || std::strcmp(state, "55P03") == 0)) {
        return Status::Unavailable(message);
      }
      return Status::Internal(message + " in: " + std::string(sql.substr(0, 200)));
    }
    QueryResult converted;
    const char* affected = PQcmdTuples(result);
    if (affected != nullptr && *affected != '\0') converted.affected_rows = std::atoll(affected);
    int columns = PQnfields(result);
    int rows = PQntuples(result);
    for (int column = 0; column < columns; ++column)
      converted.columns.emplace_back(PQfname(result, column));
    converted.rows.reserve(rows);
    for (int row = 0; row < rows; ++row) converted.rows.push_back(ConvertRow(result, row));
    return converted;
  }

  // One result row with each cell given the C++ type of its column.
  static std::vector<Value> ConvertRow(PGresult* result, int row) {
    int columns = PQnfields(result);
    std::vector<Value> cells;
    cells.reserve(columns);
    for (int column = 0; column < columns; ++column) {
      if (PQgetisnull(result, row, column)) {
        cells.emplace_back(std::monostate{});
        continue;
      }
      const char* text = PQgetvalue(result, row, column);
      switch (PQftype(result, column)) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
          cells.emplace_back(static_cast<int64_t>(std::atoll(text)));
          break;
        case kBoolOid:
          cells.emplace_back(static_cast<int64_t>(text[0] == 't' ? 1 : 0));
          break;
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid:
          cells.emplace_back(std::strtod(text, nullptr));
          break;
        default:
          cells.emplace_back(
              std::string(text, static_cast<size_t>(PQgetlength(result, row, column))));
      }
    }
    return cells;
  }

  PGconn* handle_;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& uri) {
  PGconn* handle = PQconnectdb(uri.c_str());
  if (handle == nullptr || PQstatus(handle) != CONNECTION_OK) {
    std::string message = handle != nullptr ? PQerrorMessage(handle) : "out of memory";
    PQfinish(handle);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    return Status::Unavailable("storage.postgres_unreachable", {{"detail", message}});
  }
  PQsetClientEncoding(handle, "UTF8");
  auto connection = std::make_unique<PostgresConnection>(handle);
  // Keep notices (e.g. "relation already exists, skipping") off stderr.
  PQsetNoticeProcessor(
      handle, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace civicdesk::storage
