#include "bench/japanese_corpus.h"

#include <random>

namespace civicdesk::bench {
namespace {

struct Topic {
  const char* name;
  std::vector<std::string> nouns;
};

const std::vector<Topic>& Topics() {
  static const std::vector<Topic> topics = {
      {"緑と公園",
       {"公園", "緑", "街路樹", "緑地", "花壇", "樹木", "芝生", "遊歩道", "木陰", "植樹",
        "屋上緑化", "生物多様性", "水辺", "運河", "森"}},
      {"ごみと資源",
       {"ごみ", "分別", "資源回収", "食品ロス", "リサイクル", "粗大ごみ", "プラスチック", "集積所",
        "カラス", "容器", "生ごみ", "古紙", "収集日", "清掃", "ペットボトル"}},
      {"防災",
       {"防災", "避難所", "備蓄", "地震", "防災訓練", "津波", "防災無線", "耐震化", "避難経路",
        "帰宅困難者", "火災", "消火器", "災害", "ハザードマップ", "防災倉庫"}},
      {"交通",
       {"自転車", "駐輪場", "歩道", "コミュニティバス", "交通安全", "信号", "道路", "渋滞",
        "バリアフリー", "段差", "横断歩道", "駅", "タクシー", "シェアサイクル", "路線"}},
      {"環境と騒音",
       {"騒音", "飛行機", "振動", "大気汚染", "排気ガス", "工事", "羽田空港", "新飛行経路", "悪臭",
        "光害", "温暖化", "脱炭素", "省エネルギー", "再生可能エネルギー", "熱中症"}},
      {"子育て",
       {"保育園", "待機児童", "学童クラブ", "子育て支援", "児童館", "小児医療", "妊婦", "育児",
        "放課後", "子ども食堂", "遊び場", "ベビーカー", "一時保育", "保育士", "教育"}},
      {"高齢者と福祉",
       {"高齢者", "介護", "見守り", "デイサービス", "認知症", "福祉", "年金", "バリアフリー化",
        "地域包括支援センター", "孤立", "配食", "ヘルパー", "車いす", "健康", "介護予防"}},
      {"地域と文化",
       {"町会", "商店街", "祭り", "図書館", "区民センター", "文化財", "スポーツ", "多文化共生",
        "外国人住民", "日本語教室", "ボランティア", "生涯学習", "美術館", "盆踊り", "地域活動"}},
      {"行政手続",
       {"オンライン申請", "窓口", "マイナンバー", "手続", "待ち時間", "電子申請", "証明書",
        "キャッシュレス", "区役所", "相談", "ホームページ", "情報公開", "オープンデータ",
        "デジタル化", "職員"}},
      {"住まいとまちづくり",
       {"再開発", "マンション", "空き家", "家賃", "区営住宅", "景観", "高層ビル", "まちづくり",
        "日照", "建築", "公共施設", "用途地域", "防犯カメラ", "街灯", "タワーマンション"}},
  };
  return topics;
}

const std::vector<std::string>& Predicates() {
  static const std::vector<std::string> predicates = {
      "を増やしてほしい。",
      "について改善をお願いします。",
      "が不足していると感じます。",
      "の情報をもっと発信してください。",
      "に関する取組を強化してください。",
      "が心配です。",
      "を見直すべきだと思います。",
      "について区の考えを教えてください。",
      "の予算を確保してほしい。",
      "がとても良いので継続してください。",
      "について住民の声を聞いてほしい。",
      "の状況が以前より悪化しています。",
      "を計画に明記してください。",
      "に外国人住民も参加できるようにしてほしい。",
      "の目標値が低すぎると思います。",
      "について事業者への働きかけが必要です。",
      "を高齢者にも分かりやすく説明してほしい。",
      "の利用時間を延長してください。",
      "が近所で問題になっています。",
      "に関する相談窓口を設けてください。",
      "について具体的な数値目標を示してください。",
      "をもっと身近に感じられるようにしてほしい。",
      "の整備を急いでください。",
      "に子どもが安心して関われるようにしてほしい。",
      "は区の重要な課題だと考えます。",
      "についてアンケートを実施してはどうか。",
      "の担い手を育成してほしい。",
      "を地域と一緒に進めてほしい。",
      "の費用負担が大きいです。",
      "について他の区の事例を参考にしてください。"};
  return predicates;
}

}  // namespace

std::vector<CorpusOpinion> GenerateOpinions(size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  const auto& topics = Topics();
  const auto& predicates = Predicates();
  std::vector<CorpusOpinion> opinions;
  opinions.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const Topic& topic = topics[random() % topics.size()];
    std::string text;
    const int sentences = 1 + static_cast<int>(random() % 3);
    for (int s = 0; s < sentences; ++s) {
      const Topic& source = random() % 5 == 0 ? topics[random() % topics.size()] : topic;
      text += source.nouns[random() % source.nouns.size()];
      if (random() % 3 == 0) text += "や" + topic.nouns[random() % topic.nouns.size()];
      text += predicates[random() % predicates.size()];
    }
    opinions.push_back({std::move(text), topic.name});
  }
  return opinions;
}

namespace {
size_t Characters(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}
}  // namespace

std::vector<std::string> LongQueryWords() {
  std::vector<std::string> words;
  for (const Topic& topic : Topics())
    for (const std::string& noun : topic.nouns)
      if (Characters(noun) >= 3) words.push_back(noun);
  return words;
}

std::vector<std::string> ShortQueryWords() {
  std::vector<std::string> words;
  for (const Topic& topic : Topics())
    for (const std::string& noun : topic.nouns)
      if (Characters(noun) <= 2) words.push_back(noun);
  return words;
}

}  // namespace civicdesk::bench
