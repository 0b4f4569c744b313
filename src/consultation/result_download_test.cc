// The published result streams: a download of a million-row result keeps the server's memory
// flat (issue 16: the table was copied into a vector, then a string, before it was sent).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "consultation/consultation_module.h"
#include "consultation/publishing.h"
#include "consultation/synthetic.h"
#include "http/http_module.h"
#include "http/testing.h"
#include "text/text_module.h"

namespace civicdesk::consultation {
namespace {

using http::testing::TestSite;

// This process's resident memory in KiB (VmRSS of /proc/self/status).
int64_t ResidentKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

// GETs `target` as a resident (no session) and reads the whole answer, keeping only its size and
// the number of line feeds: the client itself must not hold the body.
struct Drained {
  int64_t bytes = 0;
  int64_t line_feeds = 0;
  std::string head;  // the status line and headers
};

Drained Drain(uint16_t port, const std::string& target) {
  Drained drained;
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(socket_fd);
    return drained;
  }
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  (void)!write(socket_fd, request.data(), request.size());
  char buffer[64 * 1024];
  bool in_head = true;
  for (ssize_t got; (got = read(socket_fd, buffer, sizeof(buffer))) > 0;) {
    std::string_view piece(buffer, static_cast<size_t>(got));
    if (in_head) {
      drained.head.append(piece);
      const size_t end = drained.head.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      piece = std::string_view(drained.head).substr(end + 4);
      std::string body_start(piece);
      drained.head.resize(end);
      in_head = false;
      drained.bytes += static_cast<int64_t>(body_start.size());
      drained.line_feeds += std::count(body_start.begin(), body_start.end(), '\n');
      continue;
    }
    drained.bytes += got;
    drained.line_feeds += std::count(piece.begin(), piece.end(), '\n');
  }
  close(socket_fd);
  return drained;
}

class ResultDownloadTest : public ::testing::TestWithParam<std::string> {
 protected:
  ResultDownloadTest()
      : site_(GetParam(), {http::HttpModule(), text::TextModule(), ConsultationModule()}) {}
  TestSite site_;
};

TEST_P(ResultDownloadTest, AMillionRowResultStreamsInFlatMemory) {
  CIVICDESK_SKIP_IF_UNAVAILABLE(site_);
  // A million rows on SQLite; PostgreSQL builds its rows more slowly, so a fifth of that shows
  // the same (memory that grows with the rows would grow by hundreds of MiB either way).
  const int64_t rows = GetParam() == "sqlite" ? 1'000'000 : 200'000;
  Result<int64_t> id = CreateSyntheticConsultation(site_.database(), rows);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // Published the way a publisher does, so the download is the public one a resident (no
  // session) asks for.
  const Status published = Publish(site_.database(), *id, Actor{1, "publisher"}, {});
  ASSERT_TRUE(published.ok()) << published.ToString();

  for (const char* format : {"csv", "tsv"}) {
    const int64_t before = ResidentKib();
    std::atomic<bool> done = false;
    std::atomic<int64_t> peak = before;
    std::thread sampler([&] {
      while (!done) {
        peak = std::max<int64_t>(peak, ResidentKib());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    const Drained drained =
        Drain(site_.port(), "/consultations/" + std::to_string(*id) + "/result." + format);
    done = true;
    sampler.join();
    ASSERT_NE(drained.head.find(" 200 "), std::string::npos) << drained.head;
    // Every item is a line (each synthetic text is one line), behind the header line; chunk
    // headers add line feeds of their own, so the count is at least the rows.
    EXPECT_GE(drained.line_feeds, rows + 1) << format;
    EXPECT_GT(drained.bytes, rows * 60) << format;
    const int64_t growth_mib = (peak - before) / 1024;
    EXPECT_LT(growth_mib, 64) << format << ": the server's memory grew by " << growth_mib
                              << " MiB while sending " << drained.bytes / (1024 * 1024) << " MiB";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ResultDownloadTest,
                         ::testing::ValuesIn(storage::testing::BackendNames()));

}  // namespace
}  // namespace civicdesk::consultation
