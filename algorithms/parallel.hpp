#pragma once
/// \file
/// The one threading primitive of the kernels: a fixed set of tasks spread over worker threads.
/// Callers make each task's arithmetic independent of which thread runs it (and combine task
/// results in task order), so results never depend on the thread count.

#include <thread>
#include <vector>

#include "algorithms/blas.hpp"  // Index

namespace specbench {

/// Runs work(0..tasks-1) on `workers` threads (the caller is one of them): task w, w + workers,
/// ... on worker w. workers <= 1 runs them in order on the caller.
template <class F>
void run_parallel(Index tasks, int workers, const F& work) {
  if (workers <= 1) {
    for (Index q = 0; q < tasks; ++q) work(q);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(std::size_t(workers - 1));
  for (int w = 1; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (Index q = w; q < tasks; q += workers) work(q);
    });
  for (Index q = 0; q < tasks; q += workers) work(q);
  for (auto& th : pool) th.join();
}

}  // namespace specbench
