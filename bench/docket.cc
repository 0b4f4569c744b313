#include "bench/docket.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench/japanese_corpus.h"

namespace civicdesk::bench {
namespace {

std::u32string Decode(const std::string& text) {
  std::u32string wide;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    const size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? c : c & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) code = (code << 6) | (text[i + k] & 0x3F);
    wide += code;
    i += length;
  }
  return wide;
}

std::string Encode(const std::u32string& wide) {
  std::string out;
  for (char32_t code : wide) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }
  return out;
}

}  // namespace

size_t WriteDocket(const std::string& path, size_t count) {
  std::mt19937_64 random(2017);
  std::vector<std::string> letters;
  for (int t = 0; t < 7; ++t) {
    std::string letter = "港区長様。";
    for (const CorpusOpinion& opinion : GenerateOpinions(4, 100 + t)) letter += opinion.text;
    letter += "以上、よろしくお願いいたします。";
    letters.push_back(letter);
  }
  const std::u32string replacements = U"芝麻布赤坂高輪港南台田町浦あいうえおかきくけこ";
  const std::vector<std::string> senders = {"芝", "麻布", "赤坂", "高輪", "芝浦港南"};
  std::vector<std::vector<std::string>> variants(letters.size());
  for (size_t t = 0; t < letters.size(); ++t) {
    for (int v = 0; v < 400; ++v) {
      std::u32string wide = Decode(letters[t]);
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits; ++e)
        wide[random() % wide.size()] = replacements[random() % replacements.size()];
      std::string variant = Encode(wide);
      if (random() % 10 < 3)
        variant = "私は" + senders[random() % senders.size()] + "地区に住んでいます。" + variant;
      variants[t].push_back(variant);
    }
  }
  const double shares[] = {0.12, 0.08, 0.06, 0.04, 0.03, 0.03, 0.02};
  const std::vector<CorpusOpinion> comments = GenerateOpinions(12000, 99);
  std::vector<double> weights(comments.size());
  double weight_sum = 0;
  for (size_t k = 0; k < weights.size(); ++k) weight_sum += weights[k] = 1.0 / std::pow(k + 1, 0.8);
  std::discrete_distribution<size_t> pick_comment(weights.begin(), weights.end());

  struct Line {
    std::string text;
    std::string truth;
  };
  std::vector<Line> lines;
  lines.reserve(count);
  for (size_t t = 0; t < letters.size(); ++t) {
    const size_t copies = static_cast<size_t>(shares[t] * count);
    for (size_t c = 0; c < copies; ++c) {
      if (random() % 100 < 55) {
        lines.push_back({letters[t], "T" + std::to_string(t + 1)});
      } else {
        lines.push_back({variants[t][random() % variants[t].size()], "N" + std::to_string(t + 1)});
      }
    }
  }
  const size_t repeated = static_cast<size_t>(0.56 * count);
  for (size_t c = 0; c < repeated; ++c) lines.push_back({comments[pick_comment(random)].text, ""});
  const std::vector<CorpusOpinion> one_offs = GenerateOpinions(count, 5);
  for (size_t c = 0; lines.size() < count; ++c) {
    lines.push_back({one_offs[c].text + "（" + std::to_string(c) + "）", ""});
  }
  std::shuffle(lines.begin(), lines.end(), random);
  std::ofstream out(path, std::ios::binary);
  for (size_t i = 0; i < lines.size(); ++i)
    out << "D" << i + 1 << '\t' << lines[i].text << '\t' << lines[i].truth << '\n';
  return lines.size();
}

// Recall of the planted near duplicates: the share of "N<k>" items in the campaign that holds
// most of letter k's exact copies.
double Recall(const std::string& corpus_path, const std::string& campaigns_path) {
  std::unordered_map<std::string, std::string> campaign_of;
  {
    std::ifstream in(campaigns_path);
    std::string id, campaign;
    while (in >> id >> campaign) campaign_of[id] = campaign;
  }
  std::map<std::string, std::map<std::string, size_t>> exact_in;  // letter → campaign → count
  std::vector<std::pair<std::string, std::string>> planted;       // letter, campaign ("" none)
  std::ifstream in(corpus_path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    const std::string truth = line.substr(line.rfind('\t') + 1);
    if (truth.empty()) continue;
    const std::string id = line.substr(0, line.find('\t'));
    auto found = campaign_of.find(id);
    const std::string campaign = found == campaign_of.end() ? "" : found->second;
    if (truth[0] == 'T') {
      if (!campaign.empty()) ++exact_in[truth.substr(1)][campaign];
    } else {
      planted.emplace_back(truth.substr(1), campaign);
    }
  }
  std::map<std::string, std::string> home;
  for (const auto& [letter, counts] : exact_in) {
    home[letter] = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
                     return a.second < b.second;
                   })->first;
  }
  size_t found = 0;
  for (const auto& [letter, campaign] : planted)
    found += !campaign.empty() && home[letter] == campaign;
  return planted.empty() ? 0 : static_cast<double>(found) / planted.size();
}

bool WriteDocketCsv(const std::string& docket_path, const std::string& csv_path) {
  std::ifstream in(docket_path, std::ios::binary);
  std::ofstream out(csv_path, std::ios::binary);
  out << "id,text\n";
  std::string line;
  while (std::getline(in, line)) {
    const size_t first = line.find('\t');
    const size_t second = line.find('\t', first + 1);
    std::string text = line.substr(first + 1, second - first - 1);
    std::string quoted;
    for (char c : text) {
      if (c == '"') quoted += '"';
      quoted += c;
    }
    out << line.substr(0, first) << ",\"" << quoted << "\"\n";
  }
  return static_cast<bool>(out.flush());
}

}  // namespace civicdesk::bench
