#include "app/cli.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "app/messages.h"
#include "consultation/store.h"
#include "consultation/workflow.h"
#include "core/date.h"
#include "http/testing.h"
#include "storage/testing.h"

namespace civicdesk::app {
namespace {

struct CliRun {
  int exit_code = 0;
  std::string out;
  std::string err;
};

CliRun RunCommand(std::vector<std::string> words, const std::string& input = {}) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  CliRun run;
  run.exit_code = RunCli(words, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(Cli, BadDatabaseUrlIsAClearUsageError) {
  CliRun run = RunCommand({"db", "migrate", "--db", "mysql://localhost/x"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--db"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("sqlite:PATH"), std::string::npos) << run.err;
  CliRun missing = RunCommand({"db", "migrate"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--db"), std::string::npos);
  CliRun serve = RunCommand({"serve", "--db", "nonsense"});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_NE(serve.err.find("--db"), std::string::npos);
}

TEST(Cli, UnknownCommandsAndOptionsAreNamed) {
  CliRun command = RunCommand({"frobnicate"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("frobnicate"), std::string::npos);
  CliRun option = RunCommand({"db", "migrate", "--db", "sqlite:/tmp/x.db", "--colour", "red"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("--colour"), std::string::npos);
  CliRun port = RunCommand({"serve", "--db", "sqlite:/tmp/x.db", "--port", "http"});
  EXPECT_EQ(port.exit_code, 2);
  EXPECT_NE(port.err.find("--port"), std::string::npos);
  // The words come from the app's catalog, Japanese then English.
  EXPECT_NE(
      port.err.find("civicdesk: --port: 1〜65535 の整数を指定してください: 「http」 / must be "
                    "a whole number from 1 to 65535, got \"http\""),
      std::string::npos)
      << port.err;
  EXPECT_EQ(RunCommand({"version"}).exit_code, 0);
  CliRun help = RunCommand({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("使い方 / usage: civicdesk COMMAND"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Prints the version."), std::string::npos) << help.out;
}

// The command line shows the words of every layer: core, storage, the modules and its own.
// Issue 23 (7): `analyze` without its consultation answered with a usage line that left out
// --evaluate, and the usage said nothing of what it does. The error now prints the command's
// own entry of the usage, which names every option and says what --evaluate measures.
TEST(Cli, AnalyzeUsageNamesEvaluateAndWhatItMeasures) {
  CliRun bare = RunCommand({"analyze"});
  EXPECT_EQ(bare.exit_code, 2);
  for (const char* expected :
       {"--evaluate", "--save-groups", "--group-threshold", "交差検証", "cross-validation"})
    EXPECT_NE(bare.err.find(expected), std::string::npos) << expected << "\n" << bare.err;
  CliRun usage = RunCommand({});
  EXPECT_NE(usage.err.find(CommandUsageOf("analyze")), std::string::npos) << usage.err;
  EXPECT_EQ(CommandUsageOf("no-such-command"), "");
}

TEST(Cli, CatalogHoldsEveryLayersMessages) {
  for (const char* id :
       {"core.no_such_date", "storage.database_url_invalid", "http.role_invalid", "app.usage"})
    EXPECT_TRUE(CliCatalog().Has(id)) << id;
  EXPECT_EQ(Words(Status::InvalidArgument("core.no_such_date", {{"text", "2023-02-30"}}, "--opens")
                      .WithContext("file.csv")),
            "file.csv: --opens: 存在しない日付です: 「2023-02-30」 / no such date: 「2023-02-30」");
}

TEST(Cli, EveryAppMessageIdIsInTheCatalog) {
  const std::regex id_literal("\"(app\\.[a-z0-9_]+)\"");
  int found = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CIVICDESK_SOURCE_DIR) + "/src/app")) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".cc") || name.ends_with("_test.cc")) continue;
    std::ifstream file(entry.path());
    std::stringstream source;
    source << file.rdbuf();
    const std::string text = source.str();
    for (std::sregex_iterator it(text.begin(), text.end(), id_literal), end; it != end; ++it) {
      ++found;
      EXPECT_TRUE(CliCatalog().Has((*it)[1].str())) << name << ": " << (*it)[1].str();
    }
  }
  EXPECT_GT(found, 50);
}

class CliDatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  CliDatabaseTest() : database_(GetParam()) {}
  void SetUp() override { CIVICDESK_SKIP_IF_UNAVAILABLE(database_); }
  storage::testing::TestDatabase database_;
};

TEST_P(CliDatabaseTest, MigrateAppliesOnceAndStatusLists) {
  CliRun first = RunCommand({"db", "migrate", "--db", database_.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out.find("applied 0 "), std::string::npos) << first.out;
  CliRun second = RunCommand({"db", "migrate", "--db", database_.url()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("applied 0 migrations"), std::string::npos) << second.out;
  CliRun status = RunCommand({"db", "status", "--db", database_.url()});
  EXPECT_NE(status.out.find("plan\t1"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("http\t1"), std::string::npos) << status.out;
}

TEST_P(CliDatabaseTest, UserAddReadsThePasswordFromStandardInput) {
  CliRun added = RunCommand(
      {"user", "add", "--db", database_.url(), "--login", "suzuki", "--name", "鈴木 一郎", "--role",
       "section", "--department", "企画経営部", "--section", "企画課"},
      "a long enough password\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  Result<storage::QueryResult> row = database_->Query(
      "SELECT role, department, section, password_hash FROM http_user WHERE login = 'suzuki'");
  ASSERT_TRUE(row.ok());
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ(storage::AsText(row->rows[0][0]), "section");
  EXPECT_EQ(storage::AsText(row->rows[0][2]), "企画課");
  EXPECT_EQ(storage::AsText(row->rows[0][3]).rfind("$argon2id$", 0), 0u);

  CliRun short_password = RunCommand({"user", "add", "--db", database_.url(), "--login", "sato",
                                      "--name", "佐藤", "--role", "admin"},
                                     "short\n");
  EXPECT_EQ(short_password.exit_code, 2);
  EXPECT_NE(short_password.err.find("password"), std::string::npos);
  CliRun bad_role = RunCommand({"user", "add", "--db", database_.url(), "--login", "sato", "--name",
                                "佐藤", "--role", "mayor"},
                               "a long enough password\n");
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_NE(bad_role.err.find("--role"), std::string::npos);
  CliRun unscoped = RunCommand({"user", "add", "--db", database_.url(), "--login", "sato", "--name",
                                "佐藤", "--role", "section"},
                               "a long enough password\n");
  EXPECT_EQ(unscoped.exit_code, 2);
  EXPECT_NE(unscoped.err.find("--section"), std::string::npos);
}

std::string WriteTemporary(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream file(path, std::ios::binary);
  file << content;
  return path;
}

int64_t LastLineId(const std::string& out) {
  std::string trimmed = out.substr(0, out.find_last_not_of('\n') + 1);
  return std::stoll(trimmed.substr(trimmed.find_last_of('\n') + 1));
}

// Issue 4's check on seed 000: items that share an answer (rows 16–17, whose answer the table
// cuts short once, and rows 31–32) fall in the same group.
TEST_P(CliDatabaseTest, AnalyzeGroupsSeedItemsThatShareAnAnswer) {
  CliRun imported = RunCommand({"import", "results",
                                std::string(CIVICDESK_SOURCE_DIR) +
                                    "/data/minato/consultations/kankyo-kihon-keikaku-soan.txt",
                                "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string id = std::to_string(LastLineId(imported.out));
  CliRun analyzed = RunCommand({"analyze", id, "--json", "--db", database_.url()});
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  nlohmann::json result = nlohmann::json::parse(analyzed.out);
  // Written as it is produced, the document is byte for byte what dump(2) gives.
  EXPECT_EQ(analyzed.out, result.dump(2) + "\n");
  EXPECT_EQ(result["items"], 40);
  auto group_of = [&](int row) -> nlohmann::json {
    for (const auto& group : result["groups"]) {
      for (const auto& item : group["items"])
        if (item == row) return group;
    }
    return nullptr;
  };
  ASSERT_FALSE(group_of(16).is_null()) << result.dump();
  EXPECT_EQ(group_of(16)["items"], nlohmann::json::array({16, 17}));
  ASSERT_FALSE(group_of(31).is_null());
  EXPECT_EQ(group_of(31)["items"], nlohmann::json::array({31, 32}));
  EXPECT_TRUE(group_of(5).is_null() || group_of(5)["items"].size() < 40);

  CliRun saved = RunCommand({"analyze", id, "--save-groups", "--db", database_.url()});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  Result<storage::QueryResult> keys = database_->Query(
      "SELECT group_key FROM consultation_item WHERE external_id IN ('16', '17') ORDER BY id");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(storage::AsText(keys->rows[0][0]), storage::AsText(keys->rows[1][0]));
  EXPECT_EQ(storage::AsText(keys->rows[0][0]).rfind("G", 0), 0u);

  CliRun evaluated = RunCommand({"analyze", id, "--evaluate", "--json", "--db", database_.url()});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_EQ(evaluated.out, nlohmann::json::parse(evaluated.out).dump(2) + "\n");
  nlohmann::json evaluation = nlohmann::json::parse(evaluated.out)["evaluation"];
  for (const char* target : {"fields", "sections"}) {
    ASSERT_TRUE(evaluation[target].contains("macro_f1")) << evaluation.dump();
    EXPECT_EQ(evaluation[target]["examples"], 40);
    EXPECT_GT(evaluation[target]["accuracy"].get<double>(), 0.2) << target;
    EXPECT_LE(evaluation[target]["accuracy"].get<double>(), 1.0);
    EXPECT_GE(evaluation[target]["macro_f1"].get<double>(), 0.0);
  }
  EXPECT_EQ(RunCommand({"analyze", "999", "--db", database_.url()}).exit_code, 1);
  CliRun bad_threshold =
      RunCommand({"analyze", id, "--group-threshold", "2", "--db", database_.url()});
  EXPECT_EQ(bad_threshold.exit_code, 2);
  EXPECT_NE(bad_threshold.err.find("--group-threshold"), std::string::npos);
}

// Issue 17: `civicdesk publish` published a consultation with no item approved. Now it is
// refused while an item is not approved or holds personal data, naming the items; and (issue 25)
// before the period's close unless --close-early gives the new closing day.
TEST_P(CliDatabaseTest, PublishRefusesUnapprovedItemsAndPersonalDataNamingThem) {
  ASSERT_EQ(RunCommand({"db", "migrate", "--db", database_.url()}).exit_code, 0);
  Result<int64_t> created = consultation::CreateConsultation(
      *database_,
      {"港区公表確認計画（素案）", "公表確認計画", "2024-01-05", "2024-02-20", {"基本目標1"}},
      consultation::Settings{});
  ASSERT_TRUE(created.ok());
  const int64_t consultation_id = *created;
  ASSERT_TRUE(database_
                  ->Query("INSERT INTO consultation_org_unit (department, section) VALUES (?, ?)",
                          {std::string("環境リサイクル支援部"), std::string("環境課")})
                  .ok());  // the organisation chart, which `serve` loads
  std::vector<int64_t> items;
  for (const char* text :
       {"公園の緑を増やしてほしい。", "騒音がひどい。連絡先は03-1234-5678です。"}) {
    consultation::NewSubmission submission;
    submission.text = text;
    submission.channel = "郵送";
    ASSERT_TRUE(consultation::Submit(*database_, consultation_id, submission,
                                     consultation::Settings{}, consultation::Actor{0, "test"}, true)
                    .ok());
  }
  Result<std::vector<consultation::FieldOption>> fields =
      consultation::ListFields(*database_, consultation_id);
  ASSERT_TRUE(fields.ok());
  Result<std::vector<consultation::Item>> listed =
      consultation::ListItems(*database_, consultation_id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  for (const consultation::Item& item : *listed) {
    consultation::ItemUpdate answer;
    answer.field_ids = std::vector<int64_t>{fields->front().id};
    answer.sections = std::vector<consultation::SectionRef>{{"環境リサイクル支援部", "環境課"}};
    answer.response_text = "参考にさせていただきます。";
    answer.status = 5;
    ASSERT_TRUE(consultation::UpdateItem(*database_, item.id, answer, {0, "test"}).ok());
    items.push_back(item.id);
  }
  const std::vector<std::string> publish = {"publish", std::to_string(consultation_id), "--db",
                                            database_.url()};
  CliRun unapproved = RunCommand(publish);
  EXPECT_EQ(unapproved.exit_code, 1);
  EXPECT_NE(unapproved.err.find("No 1, No 2"), std::string::npos) << unapproved.err;
  EXPECT_EQ(unapproved.out, "");  // nothing written: nothing published
  for (int64_t item : items)
    ASSERT_TRUE(consultation::ApproveItem(*database_, item, {0, "test"}).ok());
  CliRun flagged = RunCommand(publish);
  EXPECT_EQ(flagged.exit_code, 1);
  EXPECT_NE(flagged.err.find("1 件: No 2"), std::string::npos) << flagged.err;
  EXPECT_EQ(consultation::GetConsultation(*database_, consultation_id)->state, "open");
  ASSERT_TRUE(consultation::MaskItem(*database_, items[1], {0, "test"}).ok());
  CliRun published = RunCommand(publish);
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_NE(published.out.find("公園の緑を増やしてほしい。"), std::string::npos);
  EXPECT_EQ(published.out.find("03-1234-5678"), std::string::npos);

  // A consultation still open: refused unless closed early, with the new closing day.
  const std::string today = FormatIsoDate(TodayInJapan());
  const std::string later =
      FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} + std::chrono::days(40)});
  Result<int64_t> open = consultation::CreateConsultation(
      *database_, {"港区期間中計画（素案）", "期間中計画", today, later, {"全般"}},
      consultation::Settings{});
  ASSERT_TRUE(open.ok());
  CliRun early = RunCommand({"publish", std::to_string(*open), "--db", database_.url()});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_NE(early.err.find("--close-early"), std::string::npos) << early.err;
  CliRun future = RunCommand(
      {"publish", std::to_string(*open), "--close-early", later, "--db", database_.url()});
  EXPECT_EQ(future.exit_code, 2);  // not a day from the opening to today: a usage error
  EXPECT_NE(future.err.find("--close-early"), std::string::npos) << future.err;
  CliRun closed = RunCommand(
      {"publish", std::to_string(*open), "--close-early", today, "--db", database_.url()});
  EXPECT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_EQ(consultation::GetConsultation(*database_, *open)->original_closes_on, later);
}

// Issue 25 #4: personal data was kept for ever. The ward's schedule deletes it.
TEST_P(CliDatabaseTest, PurgePersonalDataDeletesContactDetailsOnSchedule) {
  ASSERT_EQ(RunCommand({"db", "migrate", "--db", database_.url()}).exit_code, 0);
  Result<int64_t> created = consultation::CreateConsultation(
      *database_,
      {"港区削除確認計画（素案）", "削除確認計画", "2024-01-05", "2024-02-20", {"全般"}},
      consultation::Settings{});
  ASSERT_TRUE(created.ok());
  consultation::NewSubmission submission;
  submission.text = "公園のベンチを増やしてください。";
  submission.contact_email = "hanako@example.jp";
  ASSERT_TRUE(consultation::Submit(*database_, *created, submission, consultation::Settings{},
                                   consultation::Actor{0, "test"}, true)
                  .ok());
  auto published_on = [&](const std::string& day) {
    ASSERT_TRUE(database_
                    ->Query("UPDATE consultation SET state = 'published', published_at = ? WHERE"
                            " id = ?",
                            {day + "T03:00:00Z", *created})
                    .ok());
  };
  auto contact = [&] {
    Result<storage::QueryResult> rows = database_->Query(
        "SELECT contact_email FROM consultation_submission WHERE consultation_id = ?", {*created});
    return rows.ok() && !rows->empty() ? storage::AsText(rows->rows[0][0]) : std::string("?");
  };
  // Published yesterday: kept for 30 days.
  published_on(FormatIsoDate(Date{std::chrono::sys_days{TodayInJapan()} - std::chrono::days(1)}));
  CliRun kept =
      RunCommand({"consultation", "purge-personal-data", "--db", database_.url(), "--days", "30"});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(contact(), "hanako@example.jp");
  published_on("2024-03-01");
  CliRun purged =
      RunCommand({"consultation", "purge-personal-data", "--db", database_.url(), "--days", "30"});
  ASSERT_EQ(purged.exit_code, 0) << purged.err;
  EXPECT_NE(purged.out.find("1"), std::string::npos) << purged.out;
  EXPECT_EQ(contact(), "");
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--days", "-1"}, std::vector<std::string>{"--days", "x"},
        std::vector<std::string>{}}) {
    std::vector<std::string> words = {"consultation", "purge-personal-data", "--db",
                                      database_.url()};
    words.insert(words.end(), bad.begin(), bad.end());
    CliRun refused = RunCommand(words);
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--days"), std::string::npos) << refused.err;
  }
  // The server's hourly job takes the same schedule.
  CliRun serve =
      RunCommand({"serve", "--db", database_.url(), "--personal-data-days", "soon", "--port", "1"});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_NE(serve.err.find("--personal-data-days"), std::string::npos) << serve.err;
}

TEST_P(CliDatabaseTest, ImportOpinionsKeepsTheFileIdsAndFindsFormLetters) {
  std::string csv = "\xEF\xBB\xBFid,text,channel,field,section,group\n";
  const std::string letter =
      "羽田空港の新飛行経路について、区は国に対して騒音対策と安全対策を強く求めてください。"
      "説明会も十分ではありません。";
  for (int i = 1; i <= 6; ++i) {
    std::string text = letter;
    if (i % 2 == 0) text.replace(text.find("十分"), 6, "全く");  // a small edit
    csv += "A-" + std::to_string(i) + ",\"" + text + "\",郵送,全般,環境課,\n";
  }
  csv += "B-1,\"公園の緑を増やしてほしい。\nベンチも欲しい。\",,基本目標2,,g1\n";
  csv += "B-2,\"図書館の開館時間を延長して, 夜9時までにしてください。\",インターネット,,,\n";
  CliRun imported = RunCommand({"import", "opinions", WriteTemporary("opinions.csv", csv),
                                "--title", "一括テスト", "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string id = std::to_string(LastLineId(imported.out));
  Result<storage::QueryResult> fields = database_->Query(
      "SELECT f.label, COUNT(*) FROM consultation_item_field x JOIN consultation_field f ON f.id "
      "= x.field_id WHERE f.consultation_id = ? GROUP BY f.label ORDER BY f.label",
      {std::stoll(id)});
  ASSERT_TRUE(fields.ok());
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ(storage::AsText(fields->rows[0][0]), "全般");
  EXPECT_EQ(storage::AsInt(fields->rows[0][1]), 6);

  CliRun analyzed = RunCommand({"analyze", id, "--json", "--db", database_.url()});
  ASSERT_EQ(analyzed.exit_code, 0) << analyzed.err;
  nlohmann::json result = nlohmann::json::parse(analyzed.out);
  // Suggestions with scores, streamed: still byte for byte what dump(2) gives.
  EXPECT_EQ(analyzed.out, result.dump(2) + "\n");
  ASSERT_EQ(result["campaigns"].size(), 1u) << result.dump();
  EXPECT_EQ(result["campaigns"][0]["items"],
            nlohmann::json::array({"A-1", "A-2", "A-3", "A-4", "A-5", "A-6"}));
  EXPECT_EQ(result["campaigns"][0]["template"], letter);
  ASSERT_EQ(RunCommand({"analyze", id, "--save-groups", "--db", database_.url()}).exit_code, 0);
  Result<storage::QueryResult> keys = database_->Query(
      "SELECT DISTINCT group_key FROM consultation_item WHERE consultation_id = ? AND external_id "
      "LIKE 'A-%'",
      {std::stoll(id)});
  ASSERT_EQ(keys->size(), 1u);  // the form letter is saved as one campaign group, "C…"
  EXPECT_EQ(storage::AsText(keys->rows[0][0]).rfind("C", 0), 0u);
  // B-2 has neither field nor section: suggestions come from the classified rows, restricted
  // to this consultation's fields.
  // B-1 has a field but no section, so it gets section suggestions only.
  ASSERT_EQ(result["suggestions"].size(), 2u) << result["suggestions"].dump();
  EXPECT_EQ(result["suggestions"][0]["item"], "B-1");
  EXPECT_TRUE(result["suggestions"][0]["fields"].empty());
  EXPECT_FALSE(result["suggestions"][0]["sections"].empty());
  const nlohmann::json& suggestion = result["suggestions"][1];
  EXPECT_EQ(suggestion["item"], "B-2");
  ASSERT_FALSE(suggestion["fields"].empty());
  EXPECT_LE(suggestion["fields"].size(), 3u);
  for (const auto& field : suggestion["fields"]) {
    EXPECT_TRUE(field["label"] == "全般" || field["label"] == "基本目標2" || field["label"] == "—")
        << field.dump();
    EXPECT_GT(field["score"].get<double>(), 0);
  }
  ASSERT_FALSE(suggestion["sections"].empty());

  struct BadFile {
    std::string content;
    std::string named;
  };
  for (const BadFile& bad : std::vector<BadFile>{
           {"text\nhello\n", "id"},
           {"id,text\n1,ok\n2\n", "row 3"},
           {"id,text\n1,ok\n1,again\n", "row 3, id"},
           {"id,text\n1,\"\"\n", "row 2, text"},
           {"id,text\n1,\"bad \xE7\xB7 utf8\"\n", "row 2, text"},
           {"id,text,channel\n1,ok,伝書鳩\n", "row 2, channel"},
           {"id,text\n1,\"unclosed\n", "row"},
           {"", "row 1"},
       }) {
    CliRun refused = RunCommand(
        {"import", "opinions", WriteTemporary("bad.csv", bad.content), "--db", database_.url()});
    EXPECT_EQ(refused.exit_code, 2) << bad.content;
    EXPECT_NE(refused.err.find(bad.named), std::string::npos) << refused.err;
  }
  Result<storage::QueryResult> count =
      database_->Query("SELECT COUNT(*) FROM consultation WHERE source = 'csv'");
  EXPECT_EQ(storage::AsInt(count->rows[0][0]), 1);  // the refused files stored nothing
}

TEST_P(CliDatabaseTest, KpiSetActualRecordsAndEvaluates) {
  CliRun recorded = RunCommand({"kpi", "set-actual", "24-1-1", "--fiscal-year", "2023", "--value",
                                "75", "--source", "区調べ", "--db", database_.url()});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_NE(recorded.out.find("達成"), std::string::npos) << recorded.out;
  // A satisfaction KPI from its survey distribution: 満足 3.9 + まあ満足 23.7 = 27.6.
  CliRun survey = RunCommand({"kpi", "set-actual", "24-0-1", "--fiscal-year", "2022", "--survey",
                              "3.9/23.7/53.3/9.8/3.5/5.7", "--db", database_.url()});
  ASSERT_EQ(survey.exit_code, 0) << survey.err;
  Result<storage::QueryResult> share = database_->Query(
      "SELECT value, source FROM plan_kpi_actual WHERE code = '24-0-1' AND fiscal_year = 2022");
  ASSERT_EQ(share->size(), 1u);
  EXPECT_DOUBLE_EQ(storage::AsDouble(share->rows[0][0]), 27.6);
  EXPECT_NE(storage::AsText(share->rows[0][1]).find("満足+まあ満足"), std::string::npos);
  struct Bad {
    std::vector<std::string> words;
    int exit_code;
    std::string named;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{"kpi", "set-actual", "99-1-1", "--fiscal-year", "2023", "--value", "1"}, 1, "99-1-1"},
           {{"kpi", "set-actual", "24-1-1", "--fiscal-year", "2023", "--value", "120"},
            2,
            "--value"},
           {{"kpi", "set-actual", "24-1-1", "--fiscal-year", "2040", "--value", "50"},
            2,
            "--fiscal-year"},
           {{"kpi", "set-actual", "24-1-1", "--fiscal-year", "2023", "--value", "七十"},
            2,
            "--value"},
           {{"kpi", "set-actual", "24-1-1", "--value", "50"}, 2, "--fiscal-year"},
           {{"kpi", "set-actual", "24-0-1", "--fiscal-year", "2022", "--survey", "90/20/1/1/1"},
            2,
            "--survey"},
       }) {
    std::vector<std::string> words = bad.words;
    words.insert(words.end(), {"--db", database_.url()});
    CliRun refused = RunCommand(words);
    EXPECT_EQ(refused.exit_code, bad.exit_code) << refused.err;
    EXPECT_NE(refused.err.find(bad.named), std::string::npos) << refused.err;
  }
}

TEST_P(CliDatabaseTest, KpiImportChecksEveryRowBeforeWriting) {
  CliRun refused = RunCommand(
      {"kpi", "import",
       WriteTemporary(
           "bad-actuals.csv",
           "code,fiscal_year,value,source\n24-1-1,2022,52.7,区調べ\n24-1-1,2023,150,x\n"),
       "--db", database_.url()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("row 3, value"), std::string::npos) << refused.err;
  Result<storage::QueryResult> none = database_->Query("SELECT COUNT(*) FROM plan_kpi_actual");
  EXPECT_EQ(storage::AsInt(none->rows[0][0]), 0);  // the good first row was not written either
  EXPECT_EQ(RunCommand({"kpi", "import",
                        WriteTemporary("unknown.csv", "code,fiscal_year,value\n77-1-1,2022,1\n"),
                        "--db", database_.url()})
                .exit_code,
            2);
  CliRun imported =
      RunCommand({"kpi", "import",
                  WriteTemporary("actuals.csv",
                                 "\xEF\xBB\xBF"
                                 "code,fiscal_year,value,source\n"
                                 "24-1-1,2021,30,区調べ\n24-1-1,２０２２,52.7,区調べ\n"),
                  "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 2 actuals"), std::string::npos);
  Result<storage::QueryResult> rows =
      database_->Query("SELECT fiscal_year, value FROM plan_kpi_actual ORDER BY fiscal_year");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(storage::AsInt(rows->rows[1][0]), 2022);
  EXPECT_DOUBLE_EQ(storage::AsDouble(rows->rows[1][1]), 52.7);
}

// Issue 5's check: an evaluation dataset of another city imports and shows its projects.
TEST_P(CliDatabaseTest, AnotherCitysEvaluationDatasetImportsAndShows) {
  const std::string fixture =
      std::string(CIVICDESK_SOURCE_DIR) + "/tests/golden/evaluation/another_city.csv";
  CliRun imported = RunCommand(
      {"evaluation", "import", fixture, "--dataset", "架空市 行政評価", "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 4 evaluations"), std::string::npos);
  Result<storage::QueryResult> rows = database_->Query(
      "SELECT project, fiscal_year, costs, direction FROM plan_project_evaluation ORDER BY "
      "project, fiscal_year");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ(storage::AsText(rows->rows[2][0]), "私立保育所運営費補助");
  EXPECT_EQ(storage::AsInt(rows->rows[2][1]), 2021);  // 令和3年度
  nlohmann::json costs = nlohmann::json::parse(storage::AsText(rows->rows[2][2]));
  EXPECT_DOUBLE_EQ(costs["国庫支出金"].get<double>(), 120500);
  EXPECT_DOUBLE_EQ(costs["都道府県支出金"].get<double>(), 40200);
  EXPECT_DOUBLE_EQ(costs["一般財源"].get<double>(), 88000);

  // Importing again replaces the dataset instead of doubling it.
  ASSERT_EQ(RunCommand({"evaluation", "import", fixture, "--dataset", "架空市 行政評価", "--db",
                        database_.url()})
                .exit_code,
            0);
  Result<storage::QueryResult> count =
      database_->Query("SELECT COUNT(*) FROM plan_project_evaluation");
  EXPECT_EQ(storage::AsInt(count->rows[0][0]), 4);

  struct Bad {
    std::string content;
    std::string named;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"政策,施策,事業,年度\nA,B,C,令和0年度\n", "row 2, fiscal_year"},
           {"政策,施策,事業,年度,一般財源\nA,B,C,2022,たくさん\n", "row 2, cost_general"},
           {"政策,施策,年度\nA,B,2022\n", "project"},
           {"政策,施策,事業,年度\nA,B,C,2022\nA,B,C,2022\n", "row 3, project"},
       }) {
    CliRun refused =
        RunCommand({"evaluation", "import", WriteTemporary("bad-eval.csv", bad.content),
                    "--dataset", "壊れた", "--db", database_.url()});
    EXPECT_EQ(refused.exit_code, 2) << bad.content;
    EXPECT_NE(refused.err.find(bad.named), std::string::npos) << refused.err;
  }
  // A direction in words the list does not know is kept, classed as その他 and warned.
  CliRun unknown = RunCommand(
      {"evaluation", "import",
       WriteTemporary("eval-direction.csv", "政策,施策,事業,年度,方向性\nA,B,C,2022,やめる\n"),
       "--dataset", "方向性", "--db", database_.url()});
  ASSERT_EQ(unknown.exit_code, 0) << unknown.err;
  EXPECT_NE(unknown.err.find("row 2, direction"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("やめる"), std::string::npos) << unknown.err;
}

TEST_P(CliDatabaseTest, KpiImportReadsAnExcelWorkbook) {
  const std::string path = ::testing::TempDir() + "/actuals.xlsx";
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "実績");
  const char* header[] = {"code", "fiscal_year", "value", "source"};
  for (int c = 0; c < 4; ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
  worksheet_write_string(sheet, 1, 0, "24-1-1", nullptr);
  worksheet_write_number(sheet, 1, 1, 2022, nullptr);
  worksheet_write_number(sheet, 1, 2, 52.7, nullptr);
  worksheet_write_string(sheet, 1, 3, "区調べ（令和4年度）", nullptr);
  worksheet_write_string(sheet, 2, 0, "24-1-1", nullptr);
  worksheet_write_number(sheet, 2, 1, 2023, nullptr);
  worksheet_write_number(sheet, 2, 2, 75, nullptr);  // no source: a trailing empty cell
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);

  CliRun imported = RunCommand({"kpi", "import", path, "--db", database_.url()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 2 actuals"), std::string::npos);
  Result<storage::QueryResult> rows = database_->Query(
      "SELECT fiscal_year, value, source FROM plan_kpi_actual ORDER BY fiscal_year");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_DOUBLE_EQ(storage::AsDouble(rows->rows[0][1]), 52.7);
  EXPECT_EQ(storage::AsText(rows->rows[0][2]), "区調べ（令和4年度）");
  EXPECT_EQ(storage::AsInt(rows->rows[1][0]), 2023);

  CliRun broken = RunCommand(
      {"kpi", "import", WriteTemporary("broken.xlsx", "not a zip"), "--db", database_.url()});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("broken.xlsx"), std::string::npos) << broken.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, CliDatabaseTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

uint16_t FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// The check a new user makes: the real binary on an empty SQLite file serves the Minato plan.
TEST(CivicdeskBinary, ServesTheMinatoPlanFromAnEmptyDatabase) {
  storage::testing::TestDatabase scratch("sqlite");
  std::string url = scratch.url() + ".serve.db";
  uint16_t port = FreePort();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string port_text = std::to_string(port);
    execl(CIVICDESK_BINARY, CIVICDESK_BINARY, "serve", "--db", url.c_str(), "--port",
          port_text.c_str(), nullptr);
    _exit(127);
  }
  bool up = false;
  for (int attempt = 0; attempt < 200 && !up; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::string answer = http::testing::SendRaw(
        port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    up = answer.find(" 200 ") != std::string::npos;
  }
  ASSERT_TRUE(up) << "server did not come up";
  http::testing::ClientResponse policies =
      http::testing::Send(port, "GET", "/api/v1/plan/policies");
  EXPECT_EQ(nlohmann::json::parse(policies.body).size(), 26u);
  http::testing::ClientResponse home = http::testing::Send(port, "GET", "/");
  EXPECT_NE(home.body.find("港区基本計画"), std::string::npos);
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  std::string path = url.substr(std::string("sqlite:").size());
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace
}  // namespace civicdesk::app
