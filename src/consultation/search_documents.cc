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

// How a consultation's result-page numbers (#item-No) are found while its documents are
// written. Publication freezes the table's order (publication_position 1..N over the items in
// the result, the table's first sort key), so the numbers are the positions, read with each
// batch: memory stays flat however large the consultation. Only a table whose positions are not
// exactly 1..N (none is, after publication) is numbered by reading its order, once per batch.
struct Numbering {
  std::map<int64_t, bool> frozen;  // by consultation
};

// True when the published table of `consultation_id` is numbered by its frozen positions.
Result<bool> NumberedByPosition(storage::Connection& connection, int64_t consultation_id) {
  CIVICDESK_ASSIGN_OR_RETURN(
      storage::QueryResult counted,
      connection.Query("SELECT COUNT(*), COUNT(i.publication_position), COUNT(DISTINCT"
                       " i.publication_position), MIN(i.publication_position),"
                       " MAX(i.publication_position) FROM consultation_item i WHERE"
                       " i.consultation_id = ? AND i.active = 1 AND i.in_result = 1",
                       {consultation_id}));
  const auto& row = counted.rows[0];
  const int64_t items = AsInt(row[0]);
  if (items == 0) return true;
  return AsInt(row[1]) == items && AsInt(row[2]) == items && AsInt(row[3]) == 1 &&
         AsInt(row[4]) == items;
}

// The documents of one batch of items (and their responses), read and written over
// `connection`. `may_be_public` false keeps every opinion of the batch with staff.
Status WriteBatch(text::SearchIndex& index, storage::Connection& connection,
                  const std::vector<int64_t>& batch, bool may_be_public,
                  std::vector<int64_t>* held_back, Numbering& numbering) {
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
      "ELSE 0 END, i.publication_position FROM consultation_item i JOIN "
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
  std::map<int64_t, std::map<int64_t, int>> read_numbers;  // the rare table read in order
  auto number_of = [&](const std::vector<Value>& row) -> Result<int> {
    const int64_t consultation_id = AsInt(row[1]);
    auto frozen = numbering.frozen.find(consultation_id);
    if (frozen == numbering.frozen.end()) {
      CIVICDESK_ASSIGN_OR_RETURN(bool by_position, NumberedByPosition(connection, consultation_id));
      frozen = numbering.frozen.emplace(consultation_id, by_position).first;
    }
    if (frozen->second) return static_cast<int>(AsInt(row[10]));
    auto numbers = read_numbers.find(consultation_id);
    if (numbers == read_numbers.end()) {
      std::vector<int64_t> sorted_ids(batch);
      std::sort(sorted_ids.begin(), sorted_ids.end());
      CIVICDESK_ASSIGN_OR_RETURN(auto read,
                                 PublishedNumbers(connection, consultation_id, sorted_ids));
      numbers = read_numbers.emplace(consultation_id, std::move(read)).first;
    }
    auto number = numbers->second.find(AsInt(row[0]));
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
      CIVICDESK_ASSIGN_OR_RETURN(number, number_of(row));
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
  Numbering numbering;
  for (size_t start = 0; start < item_ids.size(); start += kItemsPerQuery) {
    const size_t end = std::min(item_ids.size(), start + kItemsPerQuery);
    const std::vector<int64_t> batch(item_ids.begin() + static_cast<std::ptrdiff_t>(start),
                                     item_ids.begin() + static_cast<std::ptrdiff_t>(end));
    CIVICDESK_RETURN_IF_ERROR(
        WriteBatch(index, connection, batch, may_be_public, held_back, numbering));
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
  // A batch of ids at a time (by id, after the last one written), never the whole list.
  text::SearchIndex& index = text::SearchIndex::For(database);
  Numbering numbering;
  for (int64_t after = 0;;) {
    CIVICDESK_ASSIGN_OR_RETURN(
        storage::QueryResult rows,
        connection.Query("SELECT id FROM consultation_item WHERE consultation_id = ? AND id > ?"
                         " ORDER BY id LIMIT " +
                             std::to_string(kItemsPerQuery),
                         {consultation_id, after}));
    if (rows.empty()) return Status::Ok();
    std::vector<int64_t> batch;
    batch.reserve(rows.size());
    for (const auto& row : rows.rows) batch.push_back(AsInt(row[0]));
    after = batch.back();
    CIVICDESK_RETURN_IF_ERROR(WriteBatch(index, connection, batch, true, held_back, numbering));
  }
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
