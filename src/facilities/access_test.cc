#include "facilities/access.h"

#include <gtest/gtest.h>

#include "storage/testing.h"

namespace civicdesk::facilities {
namespace {

// MayRecordWorks for a principal of `role` in `department`/`section` (nobody when role is empty).
class MayRecordWorksTest : public ::testing::Test {
 protected:
  MayRecordWorksTest() : database_("sqlite"), app_(*database_, http::AppOptions{}) {
    facility_.id = "H1";
    facility_.department = "総務部";
    facility_.section = "施設課";
  }

  Status Check(std::optional<http::Role> role, const std::string& department = {},
               const std::string& section = {}) {
    std::optional<http::SessionData> session;
    if (role) {
      http::Principal principal;
      principal.login = "someone";
      principal.role = *role;
      principal.department = department;
      principal.section = section;
      session = http::SessionData{principal, "token"};
    }
    http::RequestContext context(app_, request_, "ja", std::move(session));
    return MayRecordWorks(context, facility_);
  }

  storage::testing::TestDatabase database_;
  http::App app_;
  http::Request request_;
  Facility facility_;
};

TEST_F(MayRecordWorksTest, PublishersAndAdminsRecordOnAnyFacility) {
  EXPECT_TRUE(Check(http::Role::kPublisher).ok());
  EXPECT_TRUE(Check(http::Role::kAdmin).ok());
  facility_.department.clear();
  facility_.section.clear();
  EXPECT_TRUE(Check(http::Role::kPublisher).ok());
}

TEST_F(MayRecordWorksTest, SectionStaffNeedTheirDepartmentAndSectionToMatch) {
  EXPECT_TRUE(Check(http::Role::kSectionStaff, "総務部", "施設課").ok());
  // The same section name in another department is another section.
  const Status other_department = Check(http::Role::kSectionStaff, "企画部", "施設課");
  EXPECT_EQ(other_department.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(other_department.message_id(), "facilities.record_works_denied");
  EXPECT_EQ(Check(http::Role::kSectionStaff, "総務部", "人事課").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Check(std::nullopt).code(), StatusCode::kPermissionDenied);
}

TEST_F(MayRecordWorksTest, AFacilityWithoutAnOwnerIsForPublishersOnly) {
  facility_.department.clear();
  EXPECT_EQ(Check(http::Role::kSectionStaff, "", "施設課").code(), StatusCode::kPermissionDenied);
  facility_.department = "総務部";
  facility_.section.clear();
  EXPECT_EQ(Check(http::Role::kSectionStaff, "総務部", "").code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace civicdesk::facilities
