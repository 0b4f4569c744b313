#include "surveys/survey.h"

#include <gtest/gtest.h>

#include "surveys/answers.h"

namespace civicdesk::surveys {
namespace {

constexpr char kDefinition[] = R"({
  "key": "test-survey",
  "title": "テスト調査",
  "title_en": "Test survey",
  "fiscal_year": "令和8年度",
  "status": "open",
  "sections": [
    {"key": "about", "title": "あなたについて", "title_en": "About you", "questions": [
      {"key": "district", "type": "single", "segment": "district", "text": "お住まいの地区",
       "required": true,
       "choices": [{"value": "芝", "en": "Shiba"}, "麻布", "赤坂", "高輪", "芝浦港南"]},
      {"key": "residence", "type": "single", "segment": "residence", "text": "在住・在勤",
       "choices": ["在住", "在勤"]}
    ]},
    {"key": "main", "title": "区政について", "questions": [
      {"key": "satisfied", "type": "satisfaction", "text": "満足していますか", "required": true},
      {"key": "channels", "type": "multiple", "text": "情報をどこで", "choices": ["広報誌", "ホームページ", "SNS"]},
      {"key": "why", "type": "text", "text": "理由", "max_length": 10,
       "show_if": {"question": "satisfied", "any_of": ["あまり満足ではない", "満足ではない"]}},
      {"key": "years", "type": "number", "text": "住んでいる年数", "min": 0, "max": 120, "unit": "年"},
      {"key": "agree", "type": "agreement", "text": "意見を言いやすい"}
    ]}
  ],
  "feeds": [{"kpi": "24-0-1", "question": "satisfied", "choices": ["満足", "まあ満足"]},
            {"kpi": "25-3-2", "question": "agree", "choices": ["そう思う"], "segment": "在住"}]
})";

TEST(SurveyDefinition, ReadsEveryKindOfQuestionAndRoundTrips) {
  Result<Survey> survey = ParseDefinition(kDefinition);
  ASSERT_TRUE(survey.ok()) << survey.status().message_id() << " " << survey.status().field();
  EXPECT_EQ(survey->fiscal_year, 2026);
  EXPECT_EQ(survey->status, "open");
  ASSERT_EQ(survey->Questions().size(), 7u);
  EXPECT_EQ(survey->Find("satisfied")->choices.size(), 6u);
  EXPECT_EQ(survey->Find("satisfied")->choices[5].value, "不明");
  EXPECT_EQ(survey->Find("agree")->choices[1].value, "ややそう思う");
  EXPECT_EQ(survey->Find("district")->choices[0].en, "Shiba");
  EXPECT_EQ(survey->SegmentQuestion(kResidence)->key, "residence");
  EXPECT_EQ(survey->Find("why")->max_length, 10u);
  ASSERT_EQ(survey->feeds.size(), 2u);
  EXPECT_EQ(survey->feeds[1].segment, "在住");
  Result<Survey> again = ParseDefinition(DefinitionJson(*survey));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(DefinitionJson(*again), DefinitionJson(*survey));
}

TEST(SurveyDefinition, EachMistakeNamesItsPlace) {
  struct Case {
    std::string from, to, field, id;
  };
  const std::vector<Case> cases = {
      {R"("type": "agreement")", R"("type": "likert")", "sections[1].questions[4].type",
       "surveys.definition_type"},
      {R"("question": "satisfied", "any_of")", R"("question": "years", "any_of")",
       "sections[1].questions[2].show_if.question", "surveys.definition_earlier"},
      {R"(["あまり満足ではない", "満足ではない"])", R"(["とても不満"])",
       "sections[1].questions[2].show_if.any_of", "surveys.definition_not_offered"},
      {R"("segment": "在住")", R"("segment": "在学")", "feeds[1].segment",
       "surveys.definition_not_offered"},
      {R"("choices": ["満足", "まあ満足"])", R"("choices": ["大満足"])", "feeds[0].choices",
       "surveys.definition_not_offered"},
      {R"("key": "channels")", R"("key": "satisfied")", "sections[1].questions[1].key",
       "surveys.definition_duplicate"},
      {R"("令和8年度")", R"("来年度")", "fiscal_year", "surveys.definition_year"},
      {R"("min": 0, "max": 120)", R"("min": 120, "max": 0)", "sections[1].questions[3].max",
       "surveys.definition_range"},
      {R"("type": "single", "segment": "residence")",
       R"("type": "multiple", "segment": "residence")", "sections[0].questions[1].segment",
       "surveys.definition_segment_single"},
      {R"("kpi": "24-0-1")", R"("kpi": "KPI1")", "feeds[0].kpi", "surveys.definition_kpi"},
  };
  for (const Case& test : cases) {
    std::string text = kDefinition;
    const size_t at = text.find(test.from);
    ASSERT_NE(at, std::string::npos) << test.from;
    text.replace(at, test.from.size(), test.to);
    Result<Survey> survey = ParseDefinition(text);
    ASSERT_FALSE(survey.ok()) << test.to;
    EXPECT_EQ(survey.status().field(), test.field) << test.to;
    EXPECT_EQ(survey.status().message_id(), test.id) << test.to;
  }
  EXPECT_EQ(ParseDefinition("[1, 2]").status().message_id(), "surveys.definition_json");
  EXPECT_EQ(ParseDefinition("{\"key\": \"x\"}").status().field(), "definition.title");
}

TEST(SurveyAnswers, ChecksEachQuestionAndSkipsWhatIsNotAsked) {
  Survey survey = *ParseDefinition(kDefinition);
  std::vector<Status> errors;
  // The reason is typed although the condition does not hold: it is not asked, so not kept.
  ResponseInput input = ReadAnswers(survey,
                                    {{"q_district", "芝"},
                                     {"q_satisfied", "まあ満足"},
                                     {"q_channels__0", "1"},
                                     {"q_channels__2", "1"},
                                     {"q_why", "とても長い理由を書きました"},
                                     {"q_years", "１２"}},
                                    errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(input.district, "芝");
  const std::vector<std::pair<std::string, std::string>> expected = {{"district", "芝"},
                                                                     {"satisfied", "まあ満足"},
                                                                     {"channels", "広報誌"},
                                                                     {"channels", "SNS"},
                                                                     {"years", "12"}};
  EXPECT_EQ(input.answers, expected);

  errors.clear();
  ReadAnswers(survey,
              {{"q_satisfied", "満足ではない"},
               {"q_why", "とても長い理由を書きました"},
               {"q_years", "200"},
               {"q_agree", "大賛成"}},
              errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field(), "district");
  EXPECT_EQ(errors[0].message_id(), "surveys.answer_required");
  EXPECT_EQ(errors[1].field(), "why");
  EXPECT_EQ(errors[1].message_id(), "surveys.answer_too_long");
  EXPECT_EQ(errors[2].field(), "years");
  EXPECT_EQ(errors[2].message_id(), "surveys.answer_range");
  EXPECT_EQ(errors[3].field(), "agree");
  EXPECT_EQ(errors[3].message_id(), "surveys.answer_invalid");
}

}  // namespace
}  // namespace civicdesk::surveys
