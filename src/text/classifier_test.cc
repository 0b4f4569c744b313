#include "text/classifier.h"

#include <gtest/gtest.h>

namespace civicdesk::text {
namespace {

std::vector<LabeledText> Examples() {
  return {
      {"公園の緑を増やしてほしい", "緑"},       {"街路樹を植えてほしい", "緑"},
      {"緑地の保全を進めてほしい", "緑"},       {"樹木の剪定をお願いしたい", "緑"},
      {"ごみの分別が難しい", "ごみ"},           {"資源ごみの回収日を増やして", "ごみ"},
      {"ごみの収集時間を守ってほしい", "ごみ"}, {"食品ロスを減らす取組を", "ごみ"},
      {"防災訓練に参加したい", "防災"},         {"避難所の備蓄を増やしてほしい", "防災"},
      {"地震に備えた防災訓練を", "防災"},       {"災害時の避難経路を知りたい", "防災"},
  };
}

TEST(Classifier, SuggestsTheLikelyLabelsWithConfidence) {
  Result<Classifier> model = Classifier::Train(Examples());
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->label_count(), 3u);
  std::vector<Prediction> top = model->Predict("近所の公園に木を植えてほしい", 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].label, "緑");
  EXPECT_GT(top[0].score, top[1].score);
  EXPECT_NEAR(top[0].score + top[1].score + top[2].score, 1.0, 1e-9);
  EXPECT_EQ(model->Predict("避難所はどこですか", 1)[0].label, "防災");
  EXPECT_EQ(model->Predict("ごみの出し方", 1)[0].label, "ごみ");
  // Restricted to the labels a consultation has.
  std::vector<Prediction> only = model->Predict("公園の緑", 3, {"ごみ", "防災"});
  ASSERT_EQ(only.size(), 2u);
  EXPECT_NE(only[0].label, "緑");
}

TEST(Classifier, CorrectionsAreLearned) {
  std::vector<LabeledText> examples = Examples();
  Result<Classifier> before = Classifier::Train(examples);
  ASSERT_TRUE(before.ok());
  const std::string text = "カラスがごみ置き場を荒らす";
  EXPECT_EQ(before->Predict(text, 1)[0].label, "ごみ");
  // Staff correct two such items to 防災 (say, the ward files crows under public safety).
  examples.push_back({"カラスがごみ置き場を荒らす", "防災"});
  examples.push_back({"カラスの被害が多い", "防災"});
  Result<Classifier> after = Classifier::Train(examples);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->Predict(text, 1)[0].label, "防災");
}

TEST(Classifier, CrossValidationReportsAccuracyAndMacroF1) {
  Result<Evaluation> evaluation = CrossValidate(Examples(), {}, 4);
  ASSERT_TRUE(evaluation.ok());
  EXPECT_EQ(evaluation->examples, 12u);
  EXPECT_EQ(evaluation->labels, 3u);
  EXPECT_EQ(evaluation->folds, 4u);
  EXPECT_GT(evaluation->accuracy, 0.5);
  EXPECT_GT(evaluation->macro_f1, 0.4);
  EXPECT_LE(evaluation->macro_f1, 1.0);
  EXPECT_EQ(CrossValidate({}, {}, 5).status().message_id(), "text.too_few_classified");
  EXPECT_EQ(Classifier::Train({}).status().message_id(), "text.no_classified_examples");
}

}  // namespace
}  // namespace civicdesk::text
