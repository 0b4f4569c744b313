// grouping_real (issue 20 deliverable 6): civicdesk's similar-opinion groups and field
// suggestions on real consultations of other governments (tests/real/consultations), scored
// against the groups they were officially answered in, beside a python3-sklearn baseline. The
// benchmark itself is bench/grouping_real.py (it drives this build's civicdesk and scores with
// bench/grouping_metrics.py); this executable runs it so that scripts/bench.sh finds it.
#include <unistd.h>

#include <cstdio>

int main() {
  const char* argv[] = {"/usr/bin/python3",
                        CIVICDESK_SOURCE_DIR "/bench/grouping_real.py",
                        "--civicdesk",
                        CIVICDESK_BINARY,
                        "--data",
                        CIVICDESK_SOURCE_DIR "/tests/real/consultations",
                        nullptr};
  execv(argv[0], const_cast<char* const*>(argv));
  std::perror("grouping_real: cannot run /usr/bin/python3 (apt-get install python3-sklearn)");
  return 2;
}
