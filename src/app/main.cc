#include <iostream>
#include <string>
#include <vector>

#include "app/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  return civicdesk::app::RunCli(words, std::cin, std::cout, std::cerr);
}
