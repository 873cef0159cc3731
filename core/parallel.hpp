#pragma once
/// \file
/// The threading primitives, all of them: run_parallel for the kernels (a fixed set of tasks
/// spread over worker threads; callers make each task's arithmetic independent of which thread
/// runs it and combine task results in task order, so results never depend on the thread
/// count) and parallel_for for the sweep's cells (tasks handed out dynamically, exceptions
/// carried back to the caller).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/types.hpp"

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

/// Runs fn(0..count-1) on `jobs` threads; the first exception of fn is rethrown on the caller.
template <class F>
void parallel_for(std::size_t count, int jobs, F&& fn) {
  const auto workers = std::size_t(std::max(1, std::min<int>(jobs, int(count))));
  if (workers <= 1) {
    for (std::size_t k = 0; k < count; ++k) fn(k);
    return;
  }
  // No exception crosses a worker thread (it would terminate the process): the first one stops
  // the handing out of tasks, the workers finish the tasks they hold, and it is rethrown here.
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w)
    threads.emplace_back([&] {
      for (std::size_t k = next++; k < count; k = next++) {
        try {
          fn(k);
        } catch (...) {
          std::lock_guard lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          next = count;
        }
      }
    });
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace specbench
