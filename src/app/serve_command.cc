// `civicdesk serve`: the site, its modules' background work and the mail sender, until a
// signal stops it.
#include "app/serve_command.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "app/cli.h"
#include "app/messages.h"
#include "app/modules.h"
#include "consultation/published_text.h"
#include "core/date.h"
#include "core/log.h"
#include "http/app.h"
#include "http/client_address.h"
#include "http/server.h"
#include "mail/address.h"
#include "mail/outbox.h"
#include "mail/smtp.h"

namespace civicdesk::app {
namespace {

// --smtp-url (mail/smtp.h), --smtp-ca, --mail-from (noreply@ the public host when not given) and
// --smtp-retry-seconds (the first wait after a failed attempt, doubled up to an hour).
struct MailOptions {
  std::optional<mail::RelaySettings> relay;
  mail::SenderOptions sender;
};

Result<MailOptions> MailOptionsOf(const Arguments& arguments, const std::string& public_url) {
  MailOptions options;
  if (arguments.Has("smtp-url")) {
    CIVICDESK_ASSIGN_OR_RETURN(mail::RelaySettings relay,
                               mail::ParseSmtpUrl(arguments.Get("smtp-url"), "--smtp-url"));
    relay.ca_file = arguments.Get("smtp-ca", "");
    options.relay = relay;
  }
  std::string host = public_url.substr(public_url.find("://") + 3);
  host = host.substr(0, host.find('/'));
  host =
      host.substr(0, host.rfind(':') == std::string::npos || host.back() == ']' ? std::string::npos
                                                                                : host.rfind(':'));
  if (host.empty() || host.front() == '[' || host.find('.') == std::string::npos)
    host = "localhost.localdomain";
  const std::string from = arguments.Get("mail-from", "noreply@" + host);
  Result<std::string> checked = mail::CheckAddress(from, "--mail-from");
  if (!checked.ok())
    return Status::InvalidArgument("mail.from_invalid", {{"value", from}}, "--mail-from");
  options.sender.from = *checked;
  CIVICDESK_ASSIGN_OR_RETURN(int retry, ParseInt(arguments, "smtp-retry-seconds", 60, 1, 86400));
  options.sender.first_retry = std::chrono::seconds(retry);
  return options;
}

// --public-url: the base of every absolute URL the site gives (CKAN, DCAT), http:// or https://
// with a host and nothing after the path; http://HOST:PORT when not given.
Result<std::string> PublicUrlOption(const Arguments& arguments, const std::string& host, int port) {
  if (!arguments.Has("public-url")) {
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
  const std::string given = arguments.Get("public-url", "");
  const size_t scheme = given.rfind("https://", 0) == 0  ? 8
                        : given.rfind("http://", 0) == 0 ? 7
                                                         : 0;
  const bool plain = std::all_of(given.begin(), given.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != '?' && c != '#' && c != '"' && c != '<' && c != '>' &&
           c != '\\';
  });
  std::string url = given;
  while (url.size() > scheme && url.back() == '/') url.pop_back();
  const std::string authority =
      scheme == 0 ? "" : url.substr(scheme, url.find('/', scheme) - scheme);
  if (scheme == 0 || !plain || authority.empty() || authority.find('@') != std::string::npos)
    return Status::InvalidArgument("app.public_url_invalid", {{"value", given}}, "--public-url");
  return url;
}

// Deletes personal data on the ward's schedule (consultation::PurgePersonalData), at start and
// then every hour, until the server stops.
std::jthread PersonalDataPurger(storage::Database& database, int days) {
  return std::jthread([&database, days](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    do {
      Result<consultation::PurgeReport> purged = consultation::PurgePersonalData(
          database, days, NowIso8601Utc(), consultation::Actor{0, "system"});
      if (!purged.ok()) {
        Log(LogLevel::kError, "personal data purge: " + purged.status().message());
      } else if (purged->consultations > 0) {
        Log(LogLevel::kInfo, "personal data purged: " + std::to_string(purged->consultations) +
                                 " consultations, " + std::to_string(purged->spans) + " spans");
      }
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
    } while (!stop.stop_requested());
  });
}

// Runs the modules' background tasks (http::BackgroundTask), each at start and then every
// `every`, until the server stops. A failure is logged; the task runs again next time.
std::jthread BackgroundTasks(storage::Database& database, std::vector<http::BackgroundTask> tasks) {
  return std::jthread([&database, tasks = std::move(tasks)](std::stop_token stop) {
    using Clock = std::chrono::steady_clock;
    std::vector<Clock::time_point> due(tasks.size(), Clock::now());
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      Clock::time_point next = Clock::now() + std::chrono::hours(1);
      for (size_t i = 0; i < tasks.size(); ++i) {
        if (Clock::now() >= due[i]) {
          if (Status ran = tasks[i].run(database); !ran.ok())
            Log(LogLevel::kError, tasks[i].name + ": " + ran.message());
          due[i] = Clock::now() + tasks[i].every;
        }
        next = std::min(next, due[i]);
      }
      std::unique_lock lock(mutex);
      wake.wait_until(lock, stop, next, [] { return false; });
    }
  });
}

}  // namespace

int Serve(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Result<Arguments> arguments =
      Arguments::Parse(words,
                       {"db", "host", "port", "threads", "submit-limit", "public-url",
                        "trusted-proxy", "personal-data-days", "timeout", "max-connections",
                        "smtp-url", "smtp-ca", "mail-from", "smtp-retry-seconds"},
                       {"secure-cookies"});
  if (!arguments.ok()) return Fail(err, arguments.status());
  Result<int> port = ParseInt(*arguments, "port", 8080, 1, 65535);
  if (!port.ok()) return Fail(err, port.status());
  // A submission holds its handler until the commit it shares with those waiting beside it is
  // durable (group commit): the more wait at once, the fewer commits intake needs (128 handlers
  // took 2.6× the submissions a second of 16). They share the database's 16 connections.
  int default_threads = static_cast<int>(std::max(128u, std::thread::hardware_concurrency() * 2));
  Result<int> threads = ParseInt(*arguments, "threads", default_threads, 1, 256);
  if (!threads.ok()) return Fail(err, threads.status());
  // Seconds a request may take to arrive, and each piece of an answer to be taken (slow clients).
  Result<int> timeout = ParseInt(*arguments, "timeout", 30, 1, 3600);
  if (!timeout.ok()) return Fail(err, timeout.status());
  Result<int> max_connections = ParseInt(*arguments, "max-connections", 10000, 1, 1000000);
  if (!max_connections.ok()) return Fail(err, max_connections.status());
  // Opinions per client address per minute; 0 turns the limit off (load tests).
  Result<int> submit_limit = ParseInt(*arguments, "submit-limit", 20, 0, 1000000);
  if (!submit_limit.ok()) return Fail(err, submit_limit.status());
  const std::string host = arguments->Get("host", "127.0.0.1");
  const std::string trusted_proxy = arguments->Get("trusted-proxy", "");
  if (!trusted_proxy.empty() && !http::IsIpAddress(trusted_proxy)) {
    return Fail(err, Status::InvalidArgument("app.trusted_proxy_invalid",
                                             {{"value", trusted_proxy}}, "--trusted-proxy"));
  }
  Result<std::string> public_url = PublicUrlOption(*arguments, host, *port);
  if (!public_url.ok()) return Fail(err, public_url.status());
  // The ward's schedule for deleting personal data: N days after publication (-1: never).
  Result<int> personal_data_days = ParseInt(*arguments, "personal-data-days", -1, 0, 36500);
  if (!personal_data_days.ok()) return Fail(err, personal_data_days.status());
  Result<MailOptions> mail_options = MailOptionsOf(*arguments, *public_url);
  if (!mail_options.ok()) return Fail(err, mail_options.status());
  Result<std::unique_ptr<storage::Database>> database =
      OpenMigrated(*arguments, out, false, /*load_data=*/true);
  if (!database.ok()) return Fail(err, database.status());

  std::vector<http::Module> modules = AllModules();
  http::AppOptions options;
  options.secure_cookies = arguments->Has("secure-cookies");
  options.submissions_per_minute = *submit_limit;
  options.public_url = *public_url;
  http::App app(**database, options);
  if (Status installed = app.Install(modules); !installed.ok()) return Fail(err, installed);

  http::ServerOptions server_options;
  server_options.host = host;
  server_options.port = static_cast<uint16_t>(*port);
  server_options.threads = *threads;
  server_options.read_timeout_seconds = *timeout;
  server_options.write_timeout_seconds = *timeout;
  server_options.max_connections = static_cast<size_t>(*max_connections);
  server_options.trusted_proxy = trusted_proxy;
  server_options.words = [&app](std::string_view id) {
    return app.messages().FormatBoth(Status::InvalidArgument(std::string(id)));
  };
  server_options.answer_at_once = [&app](const http::Request& request) {
    return app.KeptPage(request);
  };
  http::Server server(server_options,
                      [&app](http::Request request) { return app.Handle(std::move(request)); });
  if (Status started = server.Start(); !started.ok()) return Fail(err, started);
  // Stopped and joined before the app and the database go.
  std::jthread purger;
  if (*personal_data_days >= 0) purger = PersonalDataPurger(**database, *personal_data_days);
  std::vector<http::BackgroundTask> tasks;
  for (const http::Module& module : modules)
    tasks.insert(tasks.end(), module.background_tasks.begin(), module.background_tasks.end());
  std::jthread background = BackgroundTasks(**database, std::move(tasks));
  // Outgoing mail leaves only for a relay given with --smtp-url; without one it waits in the
  // outbox.
  std::jthread sender;
  if (mail_options->relay) {
    sender = mail::StartSender(**database, mail::SmtpRelay(*mail_options->relay),
                               mail_options->sender, std::chrono::seconds(2));
  }
  Log(LogLevel::kInfo, "civicdesk serving on http://" + server_options.host + ":" +
                           std::to_string(server.port()) + "/ (" + std::to_string(*threads) +
                           " threads)");
  server.WaitForSignal();
  Log(LogLevel::kInfo, "civicdesk stopped");
  return 0;
}

}  // namespace civicdesk::app
