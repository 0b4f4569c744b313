#include "consultation/search_documents.h"

#include <algorithm>
#include <map>
#include <set>

#include "consultation/personal_data_flags.h"
#include "consultation/store.h"
#include "core/log.h"
#include "text/search_index.h"

namespace civicdesk::consultation {
namespace {

using storage::AsInt;
using storage::AsText;
using storage::Value;

constexpr size_t kItemsPerQuery = 500;

std::string StaffItemAddress(int64_t item_id) { return "/staff/items/" + std::to_string(item_id); }

// The result-page numbers (#item-No) of the items being written, per consultation: read in one
// pass over a consultation's table the first time a batch needs it, for every item of the
// write (`sorted_ids`), and kept for the later batches (a pass per batch made publishing a
// million items quadratic).
struct PublishedNumbersCache {
  std::vector<int64_t> sorted_ids;
  std::map<int64_t, std::map<int64_t, int>> numbers_in;
};

// The documents of one batch of items (and their responses), read and written over
// `connection`. `may_be_public` false keeps every opinion of the batch with staff.
Status WriteBatch(text::SearchIndex& index, storage::Connection& connection,
                  const std::vector<int64_t>& batch, bool may_be_public,
                  std::vector<int64_t>* held_back, PublishedNumbersCache& cache) {
  std::string placeholders;
  std::vector<Value> params;
  for (int64_t id : batch) {
    placeholders += params.empty() ? "?" : ", ?";
    params.emplace_back(id);
  }
  Result<storage::QueryResult> items = connection.Query(
      "SELECT i.id, i.consultation_id, i.text, i.active, i.response_id, c.title, c.state, "
      "r.text, i.in_result, CASE WHEN c.state = 'published' AND EXISTS (SELECT 1 FROM "
      "consultation_item j WHERE j.response_id = i.response_id AND j.in_result = 1) THEN 1 "
      "ELSE 0 END FROM consultation_item i JOIN "
      "consultation c ON c.id = i.consultation_id LEFT JOIN consultation_response r ON r.id = "
      "i.response_id WHERE i.id IN (" +
          placeholders + ")",
      params);
  if (!items.ok()) return items.status();
  Result<storage::QueryResult> routes = connection.Query(
      "SELECT item_id, department, section FROM consultation_item_section WHERE item_id IN (" +
          placeholders + ")",
      params);
  if (!routes.ok()) return routes.status();
  std::map<int64_t, std::vector<std::string>> sections_of;
  for (const auto& row : routes->rows)
    sections_of[AsInt(row[0])].push_back(AsText(row[1]) + "/" + AsText(row[2]));

  // A published opinion is public unless it shows personal data not yet dealt with, or its
  // text has not been checked (IndexItems checks before it writes).
  std::vector<int64_t> in_result;
  for (const auto& row : items->rows) {
    if (AsInt(row[3]) != 0 && AsText(row[6]) == "published" && AsInt(row[8]) == 1)
      in_result.push_back(AsInt(row[0]));
  }
  std::set<int64_t> held;
  if (!in_result.empty()) {
    if (may_be_public) {
      CIVICDESK_ASSIGN_OR_RETURN(held, ItemsHeldFromPublic(connection, in_result));
    } else {
      held.insert(in_result.begin(), in_result.end());
    }
    if (held_back != nullptr) held_back->insert(held_back->end(), held.begin(), held.end());
  }
  // A published hit links to its row on the result page (#item-No).
  auto number_of = [&](int64_t consultation_id, int64_t item_id) -> Result<int> {
    auto numbers = cache.numbers_in.find(consultation_id);
    if (numbers == cache.numbers_in.end()) {
      CIVICDESK_ASSIGN_OR_RETURN(auto read,
                                 PublishedNumbers(connection, consultation_id, cache.sorted_ids));
      numbers = cache.numbers_in.emplace(consultation_id, std::move(read)).first;
    }
    auto number = numbers->second.find(item_id);
    return number == numbers->second.end() ? 0 : number->second;
  };

  std::vector<text::SearchDocument> documents;
  std::vector<int64_t> removed;
  std::map<int64_t, text::SearchDocument> responses;
  std::map<int64_t, int> response_numbers;  // the first row of the result that carries each
  for (const auto& row : items->rows) {
    const int64_t item_id = AsInt(row[0]);
    const int64_t consultation_id = AsInt(row[1]);
    if (AsInt(row[3]) == 0) {
      removed.push_back(item_id);
      continue;
    }
    // Public once in a published result: opinions received after publication are not; a
    // response is when an item of the result carries it.
    const bool published =
        AsText(row[6]) == "published" && AsInt(row[8]) == 1 && held.count(item_id) == 0;
    const bool response_published = AsText(row[6]) == "published" && AsInt(row[9]) > 0;
    int number = 0;
    if (AsText(row[6]) == "published" && AsInt(row[8]) == 1) {
      CIVICDESK_ASSIGN_OR_RETURN(number, number_of(consultation_id, item_id));
    }
    const std::string url =
        published ? ResultItemAddress(consultation_id, number) : StaffItemAddress(item_id);
    documents.push_back(
        {"opinion", item_id, AsText(row[5]), AsText(row[2]), url, published, sections_of[item_id]});
    if (!storage::IsNull(row[4])) {
      const int64_t response_id = AsInt(row[4]);
      auto [found, inserted] =
          responses.try_emplace(response_id, text::SearchDocument{"response",
                                                                  response_id,
                                                                  AsText(row[5]),
                                                                  AsText(row[7]),
                                                                  url,
                                                                  response_published,
                                                                  {}});
      // A published response links to the first row of the result that carries it.
      int& first = response_numbers[response_id];
      if (response_published && number > 0 && (first == 0 || number < first)) {
        first = number;
        found->second.url = ResultItemAddress(consultation_id, number);
      }
      std::vector<std::string>& sections = found->second.sections;
      for (const std::string& section : sections_of[item_id]) {
        if (std::find(sections.begin(), sections.end(), section) == sections.end())
          sections.push_back(section);
      }
    }
  }
  for (auto& [id, response] : responses) documents.push_back(std::move(response));
  CIVICDESK_RETURN_IF_ERROR(index.Write(connection, documents));
  return index.WriteRemoval(connection, "opinion", removed);
}

Status WriteAll(storage::Database& database, storage::Connection& connection,
                const std::vector<int64_t>& item_ids, bool may_be_public,
                std::vector<int64_t>* held_back) {
  text::SearchIndex& index = text::SearchIndex::For(database);
  PublishedNumbersCache cache;
  cache.sorted_ids = item_ids;
  std::sort(cache.sorted_ids.begin(), cache.sorted_ids.end());
  for (size_t start = 0; start < item_ids.size(); start += kItemsPerQuery) {
    const size_t end = std::min(item_ids.size(), start + kItemsPerQuery);
    const std::vector<int64_t> batch(item_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                     item_ids.begin() + static_cast<std::ptrdiff_t>(end));
    CIVICDESK_RETURN_IF_ERROR(
        WriteBatch(index, connection, batch, may_be_public, held_back, cache));
  }
  return Status::Ok();
}

Status IndexItemsOrFail(storage::Database& database, const std::vector<int64_t>& item_ids) {
  // Published texts are checked for personal data first (detection is lazy and may mask a
  // text); when the check fails, no opinion of these is public.
  bool may_be_public = true;
  if (Status checked = CheckPublishedItems(database, item_ids); !checked.ok()) {
    Log(LogLevel::kError, "search index: personal-data check: " + checked.message());
    may_be_public = false;
  }
  for (size_t start = 0; start < item_ids.size(); start += kItemsPerQuery) {
    const size_t end = std::min(item_ids.size(), start + kItemsPerQuery);
    const std::vector<int64_t> batch(item_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                     item_ids.begin() + static_cast<std::ptrdiff_t>(end));
    CIVICDESK_RETURN_IF_ERROR(database.Transaction([&](storage::Connection& connection) {
      return WriteAll(database, connection, batch, may_be_public, nullptr);
    }));
  }
  return text::SearchIndex::For(database).CatchUp();
}

}  // namespace

Status WriteItemDocuments(storage::Database& database, storage::Connection& connection,
                          const std::vector<int64_t>& item_ids, std::vector<int64_t>* held_back) {
  return WriteAll(database, connection, item_ids, true, held_back);
}

Status WriteSubmissionDocuments(storage::Database& database, storage::Connection& connection,
                                int64_t submission_id) {
  std::vector<int64_t> item_ids;
  CIVICDESK_RETURN_IF_ERROR(
      connection.QueryEach("SELECT id FROM consultation_item WHERE submission_id = ?",
                           {submission_id}, [&](const std::vector<Value>& row) {
                             item_ids.push_back(AsInt(row[0]));
                             return Status::Ok();
                           }));
  return WriteItemDocuments(database, connection, item_ids);
}

Status WriteConsultationDocuments(storage::Database& database, storage::Connection& connection,
                                  int64_t consultation_id, std::vector<int64_t>* held_back) {
  std::vector<int64_t> item_ids;
  CIVICDESK_RETURN_IF_ERROR(
      connection.QueryEach("SELECT id FROM consultation_item WHERE consultation_id = ?",
                           {consultation_id}, [&](const std::vector<Value>& row) {
                             item_ids.push_back(AsInt(row[0]));
                             return Status::Ok();
                           }));
  return WriteItemDocuments(database, connection, item_ids, held_back);
}

text::SearchDocument StaffOpinionDocument(int64_t item_id, std::string consultation_title,
                                          std::string text, std::vector<std::string> sections) {
  return {"opinion",
          item_id,
          std::move(consultation_title),
          std::move(text),
          StaffItemAddress(item_id),
          false,
          std::move(sections)};
}

void IndexItems(storage::Database& database, const std::vector<int64_t>& item_ids) {
  if (Status indexed = IndexItemsOrFail(database, item_ids); !indexed.ok())
    Log(LogLevel::kError, "search index: " + indexed.message());
}

}  // namespace civicdesk::consultation
