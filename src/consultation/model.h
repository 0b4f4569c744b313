#ifndef CIVICDESK_CONSULTATION_MODEL_H_
#define CIVICDESK_CONSULTATION_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicdesk::consultation {

// How opinions reach the ward (DOMAIN.md). A consultation has two routes: 区民意見募集
// (public comment: 郵送, インターネット, ファックス, 持参) and 区民説明会 (town-hall meetings,
// with the district). The 区民の声 desk is a third, standing route.
enum class Route { kPublicComment, kMeeting, kVoice };

std::string_view RouteName(Route route);   // "public_comment", "meeting", "voice"
std::string_view RouteLabel(Route route);  // 区民意見募集, 区民説明会, 区民の声

inline constexpr std::array<std::string_view, 4> kPublicCommentChannels = {"郵送", "インターネット",
                                                                           "ファックス", "持参"};
inline constexpr std::string_view kMeetingChannel = "区民説明会";
inline constexpr std::array<std::string_view, 5> kDistricts = {"芝", "麻布", "赤坂", "高輪",
                                                               "芝浦港南"};
// Channels of the standing 区民の声 desk (seed 001: 来庁, 電話, メール, ...).
inline constexpr std::array<std::string_view, 7> kVoiceChannels = {
    "メール", "電話", "来庁", "手紙", "ファックス", "インターネット", "その他"};

// The route a channel belongs to in a consultation; nullopt for an unknown channel.
std::optional<Route> RouteOfChannel(std::string_view channel);

bool IsDistrict(std::string_view district);

// 区分 as published: "インターネット", "区民説明会 (芝浦港南)".
std::string ChannelDisplay(std::string_view channel, std::string_view district);

// 対応状況 1-5 and their legend (seed 000).
inline constexpr std::array<std::string_view, 5> kStatusLegend = {
    "意見を反映し、計画素案を修正したもの",
    "計画素案の記載の中で趣旨を反映しているもの",
    "計画素案では記述していないが、既存事業等で対応しているもの",
    "意見の内容が対応できないもの",
    "区に対する意見・要望として受けたもの",
};

// The relationship of a citizen to the ward, asked on the form.
inline constexpr std::array<std::string_view, 4> kRelationships = {"在住", "在勤", "在学",
                                                                   "その他"};

// Field labels that are not plan goals.
inline constexpr std::string_view kNoField = "—";
inline constexpr std::string_view kGeneralField = "全般";

// One row of the published table 「区民意見に対する区の考え方」.
struct PublishedRow {
  int64_t item_id = 0;
  int number = 0;             // No
  std::string fields;         // 主な該当分野
  std::string opinion;        // 区民意見
  std::string channel;        // 区分
  std::string departments;    // 回答部署 部 (several joined by "/")
  std::string sections;       // 回答部署 課
  std::string response;       // 区の考え方
  std::optional<int> status;  // 対応状況
  bool response_truncated = false;
  std::string group_key;      // "C…" a form letter (campaign), "G…" similar opinions, else ""
  std::string first_field;    // the label of its first field (the page groups by it), or ""
  int form_letter_count = 1;  // items this row stands for when form letters are collapsed
  // 訂正履歴: the corrections approved after publication, in order (corrections.h); "" when none.
  std::string corrections;
};

}  // namespace civicdesk::consultation

#endif  // CIVICDESK_CONSULTATION_MODEL_H_
