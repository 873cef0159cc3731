// The per-iteration history a run keeps (RunControl::history: all, checkpoints, none) for every
// registered estimator, and the workspace check that refuses a run whose storage cannot fit
// (core/memory.hpp) before it allocates.

#include <boost/test/unit_test.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "algorithms/block_krylov.hpp"
#include "algorithms/lanczos.hpp"
#include "algorithms/registry.hpp"
#include "algorithms/rsvd.hpp"
#include "core/memory.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

BOOST_AUTO_TEST_SUITE(history)

// The history mode changes what is recorded, never the arithmetic: the result is bit-identical
// in all three modes (Lanczos and block Krylov form sigma only where it is recorded, so this also
// checks that skipping it changes nothing). None keeps nothing; checkpoints keeps a subset of the
// iterations 1, 2, 4, 8, ... and always the last, with the same values all keeps there.
BOOST_AUTO_TEST_CASE(modes_keep_what_they_say_and_change_no_result) {
  const auto a = generic_matrix(60, 50, 3);
  const DenseOperator<double> op(a);
  for (const EstimatorInfo* info : EstimatorRegistry::instance().all()) {
    if (info->iteration_param.empty()) continue;
    for (const std::string extra : {"", "reorth", "process"}) {
      if (!extra.empty() && info->name != "lanczos") continue;
      ParamSet p = info->schema.resolve({}, info->name);
      p.set(info->iteration_param, 37LL);
      if (extra == "reorth") p.set("reorth", std::string("none"));
      if (extra == "process") p.set("process", std::string("gram"));
      BOOST_TEST_CONTEXT(info->name << " " << p.to_string()) {
        auto run = [&](History h) {
          RunControl<double> control;
          control.history = h;
          Rng rng(5);
          return info->run_f64(op, p, rng, control);
        };
        const auto all = run(History::All), some = run(History::Checkpoints),
                   none = run(History::None);
        for (const auto* r : {&some, &none}) {  // exact equality: the same arithmetic
          BOOST_TEST(all.sigma == r->sigma);
          BOOST_TEST((all.u == r->u));
          BOOST_TEST((all.v == r->v));
          BOOST_TEST(all.iterations == r->iterations);
          BOOST_TEST(all.products == r->products);
          BOOST_TEST((all.status == r->status));
        }
        BOOST_TEST(none.history.empty());

        const int last = all.iterations;
        BOOST_TEST_REQUIRE(!some.history.empty());
        BOOST_TEST(some.history.back().iteration == last);
        BOOST_TEST(some.history.back().sigma == all.sigma);
        BOOST_TEST(some.history.back().products == all.products);
        BOOST_TEST_REQUIRE(!all.history.empty());
        BOOST_TEST(all.history.back().iteration == last);
        const bool every = int(all.history.size()) == last;  // all but torch_power's sparse one
        std::set<int> expected{last};
        for (int k = 1; k <= last; k *= 2) expected.insert(k);
        std::set<int> kept;
        for (const auto& h : some.history) {
          kept.insert(h.iteration);
          BOOST_TEST(expected.count(h.iteration) == 1u, "iteration " << h.iteration);
          for (const auto& g : all.history)
            if (g.iteration == h.iteration) {
              BOOST_TEST(g.sigma == h.sigma, "iteration " << h.iteration);
              BOOST_TEST(g.products == h.products, "iteration " << h.iteration);
            }
        }
        BOOST_TEST(kept.size() == some.history.size());  // increasing, no repeats
        if (every) BOOST_TEST((kept == expected));
      }
    }
  }
}

/// An operator that claims a huge shape and must never be applied: the workspace check has to
/// refuse before any product or allocation of that size.
struct HugeOperator {
  using Scalar = double;
  Index m, n;
  Index rows() const { return m; }
  Index cols() const { return n; }
  void apply(std::span<const double>, std::span<double>) const {
    throw std::logic_error("applied");
  }
  void apply_transpose(std::span<const double>, std::span<double>) const {
    throw std::logic_error("applied");
  }
};

// A million Lanczos steps without reorthogonalization keep a million basis vectors of
// 10^6 + 10^6 entries (16 TB), far beyond any test machine's memory; with full reorthogonalization
// a 100 x 10^5 operator keeps at most 101 columns and is accepted as far as the first product.
BOOST_AUTO_TEST_CASE(workspace_beyond_physical_memory_is_refused_first) {
  BOOST_TEST_REQUIRE(physical_memory_bytes() > 0);
  BOOST_TEST_REQUIRE(physical_memory_bytes() < 1.6e13);
  const HugeOperator huge{1000000, 1000000};
  auto message = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const std::runtime_error& e) {
      return e.what();
    } catch (const std::logic_error& e) {
      return std::string("logic: ") + e.what();
    }
    return "no exception";
  };
  Rng rng(1);
  const std::string lanczos = message(
      [&] { lanczos_bidiagonalization(huge, {.steps = 1000000, .reorth = Reorth::None}, rng); });
  BOOST_TEST(lanczos.find("lanczos: steps=1000000 on 1000000 x 1000000 needs") == 0, lanczos);
  BOOST_TEST(lanczos.find("GB of workspace; this machine has") != std::string::npos, lanczos);
  const std::string block =
      message([&] { block_krylov(huge, {.steps = 1000, .block = 1000}, rng); });
  BOOST_TEST(block.find("block_krylov: steps=1000, block=1000 on 1000000 x 1000000 needs") == 0,
             block);
  const std::string rsvd =
      message([&] { randomized_svd(huge, {.rank = 500000, .oversampling = 10}, rng); });
  BOOST_TEST(rsvd.find("rsvd: rank=500000, oversampling=10 on 1000000 x 1000000 needs") == 0, rsvd);
  // within memory: the check passes and the run reaches its first product
  const HugeOperator thin{100, 100000};
  const std::string fits = message([&] { lanczos_bidiagonalization(thin, {.steps = 50}, rng); });
  BOOST_TEST(fits == "logic: applied");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
