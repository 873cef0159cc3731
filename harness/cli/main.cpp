#include "harness/cli/cli.hpp"

int main(int argc, char** argv) {
  return specbench::cli_main(argc, argv);
}
