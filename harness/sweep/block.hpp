#pragma once
/// \file
/// Internal to sweep/: one [[block]] of a config expanded into the plan's runs.

#include <toml++/toml.h>

#include <cstddef>
#include <map>
#include <string>

#include "harness/sweep/config_reader.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench {

/// Adds the block's matrices (to plan.matrices, once each: `matrix_index` maps a matrix text to
/// its index) and its runs, matrices x precisions x estimator parameter combinations x seeds, to
/// the plan. Matrix files are opened and parsed here, so that a bad file fails before any output.
void add_block(const ConfigReader& cfg, const toml::table& block, const Defaults& sweep_defaults,
               SweepPlan& plan, std::map<std::string, std::size_t>& matrix_index);

}  // namespace specbench
