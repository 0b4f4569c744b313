#include "consultation/model.h"

#include <algorithm>

namespace civicdesk::consultation {

std::string_view RouteName(Route route) {
  switch (route) {
    case Route::kPublicComment:
      return "public_comment";
    case Route::kMeeting:
      return "meeting";
    case Route::kVoice:
      return "voice";
  }
  return "public_comment";
}

std::string_view RouteLabel(Route route) {
  switch (route) {
    case Route::kPublicComment:
      return "区民意見募集";
    case Route::kMeeting:
      return "区民説明会";
    case Route::kVoice:
      return "区民の声";
  }
  return "区民意見募集";
}

std::optional<Route> RouteOfChannel(std::string_view channel) {
  if (channel == kMeetingChannel) return Route::kMeeting;
  if (std::find(kPublicCommentChannels.begin(), kPublicCommentChannels.end(), channel) !=
      kPublicCommentChannels.end()) {
    return Route::kPublicComment;
  }
  return std::nullopt;
}

bool IsDistrict(std::string_view district) {
  return std::find(kDistricts.begin(), kDistricts.end(), district) != kDistricts.end();
}

std::string ChannelDisplay(std::string_view channel, std::string_view district) {
  if (channel == kMeetingChannel && !district.empty()) {
    return std::string(channel) + " (" + std::string(district) + ")";
  }
  return std::string(channel);
}

}  // namespace civicdesk::consultation
