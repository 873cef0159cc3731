#include "harness/sweep/timing.hpp"

#include <algorithm>

#include "harness/statistics.hpp"

namespace specbench {

void retime_cell(const Problem& problem, const RunSpec& run, int repeats, int threads,
                 std::vector<Row>& rows) {
  if (run.drift.steps > 0 || rows.empty() || rows.front().status == RunStatus::Error) return;
  std::vector<std::vector<double>> times(rows.size());
  const int warmups = 1;
  for (int rep = 0; rep < warmups + repeats; ++rep) {
    const auto again =
        run_estimator(problem, run.estimator, run.seed, run.checkpoints, false, {}, {}, threads)
            .rows;
    if (rep < warmups) continue;
    for (std::size_t k = 0; k < rows.size() && k < again.size(); ++k)
      times[k].push_back(again[k].time_s);
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (times[k].empty()) continue;
    const double med = quantile(times[k], 0.5);
    const auto [lo, hi] = std::minmax_element(times[k].begin(), times[k].end());
    rows[k].time_s = med;
    rows[k].time_spread = med > 0 ? (*hi - *lo) / med : 0;
  }
}

}  // namespace specbench
