#include "mail/smtp.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace civicdesk::mail {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
  const std::string* message;
  size_t offset = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* data) {
  auto* upload = static_cast<Upload*>(data);
  const size_t left = upload->message->size() - upload->offset;
  const size_t chunk = std::min(left, size * count);
  std::memcpy(buffer, upload->message->data() + upload->offset, chunk);
  upload->offset += chunk;
  return chunk;
}

class CurlRelay : public Relay {
 public:
  explicit CurlRelay(RelaySettings settings) : settings_(std::move(settings)) { InitCurlOnce(); }

  Delivery Send(const std::string& from, const std::string& to,
                const std::string& message) override {
    Delivery delivery;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
      delivery.error = "curl_easy_init failed";
      return delivery;
    }
    const std::string mail_from = "<" + from + ">";
    const std::string rcpt = "<" + to + ">";
    curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
    Upload upload{&message};
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadMessage);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, settings_.timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings_.timeout_seconds);
    if (!settings_.implicit_tls) {
      curl_easy_setopt(curl, CURLOPT_USE_SSL,
                       settings_.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                             : static_cast<long>(CURLUSESSL_TRY));
    }
    if (!settings_.ca_file.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
    const CURLcode result = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (result == CURLE_OK) {
      delivery.sent = true;
      return delivery;
    }
    delivery.permanent = reply == 550 || reply == 551 || reply == 553;
    delivery.error = std::string(curl_easy_strerror(result)) + (error[0] ? ": " : "") + error +
                     (reply != 0 ? " (reply " + std::to_string(reply) + ")" : "");
    return delivery;
  }

 private:
  RelaySettings settings_;
};

}  // namespace

Result<RelaySettings> ParseSmtpUrl(std::string_view url, std::string_view field) {
  RelaySettings settings;
  settings.url = std::string(url);
  const Status invalid = Status::InvalidArgument("mail.smtp_url_invalid",
                                                 {{"value", std::string(url)}}, std::string(field));
  size_t scheme = 0;
  if (url.rfind("smtps://", 0) == 0) {
    settings.implicit_tls = true;
    scheme = 8;
  } else if (url.rfind("smtp://", 0) == 0) {
    scheme = 7;
  } else {
    return invalid;
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '?' || c == '#' || c == '\\') return invalid;
  }
  std::string_view rest = url.substr(scheme);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return invalid;
  const size_t at = rest.rfind('@');
  std::string_view host = at == std::string_view::npos ? rest : rest.substr(at + 1);
  if (host.empty() || host.front() == ':') return invalid;
  // Credentials go only over TLS: STARTTLS becomes required.
  settings.require_tls = at != std::string_view::npos;
  return settings;
}

std::unique_ptr<Relay> SmtpRelay(RelaySettings settings) {
  return std::make_unique<CurlRelay>(std::move(settings));
}

}  // namespace civicdesk::mail
