#include "fuzz/support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "app/cli.h"
#include "app/modules.h"

namespace civicdesk::fuzz {
namespace {

constexpr int kUsesPerDatabase = 2000;

struct State {
  std::string directory;
  std::string url;
  std::unique_ptr<storage::Database> database;
  int uses = 0;

  State() {
    const bool shm = access("/dev/shm", W_OK) == 0;
    std::string base = shm ? "/dev/shm" : std::filesystem::temp_directory_path().string();
    std::string pattern = base + "/civicdesk-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("civicdesk fuzz: mkdtemp");
      std::abort();
    }
    directory = pattern;
    url = "sqlite:" + directory + "/fuzz.db";
  }
  ~State() {
    database.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
};

// Destroyed (the directory removed) when the process exits normally.
State& GetState() {
  static State state;
  return state;
}

void Fail(const char* what, const Status& status) {
  std::fprintf(stderr, "civicdesk fuzz: %s: %s\n", what, status.message().c_str());
  std::abort();
}

}  // namespace

storage::Database& Database() {
  State& state = GetState();
  if (state.database && ++state.uses < kUsesPerDatabase) return *state.database;
  state.database.reset();
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(state.directory + "/fuzz.db" + suffix, ignored);
  Result<std::unique_ptr<storage::Database>> opened = storage::Database::Open(state.url);
  if (!opened.ok()) Fail("open", opened.status());
  std::vector<storage::ModuleMigrations> migrations;
  for (const http::Module& module : app::AllModules()) migrations.push_back(module.migrations);
  Result<int> migrated = storage::Migrate(**opened, migrations);
  if (!migrated.ok()) Fail("migrate", migrated.status());
  if (Status loaded = app::LoadShippedData(**opened); !loaded.ok()) Fail("load", loaded);
  state.database = std::move(*opened);
  state.uses = 0;
  return *state.database;
}

const std::string& DatabaseUrl() {
  Database();
  return GetState().url;
}

std::string WriteFile(std::string_view name, std::string_view bytes) {
  std::string path = GetState().directory + "/" + std::string(name);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    std::fprintf(stderr, "civicdesk fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

}  // namespace civicdesk::fuzz
