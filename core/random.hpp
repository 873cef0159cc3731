#pragma once
/// \file
/// Random numbers. Estimators never seed: the caller passes a generator seeded from the cell
/// (RandBLAS passes RNGState in and out). Boost.Random's engines and distributions are specified
/// algorithms, so the same seed gives the same numbers with any compiler and standard library
/// (std::normal_distribution is implementation-defined).

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <span>

namespace specbench {

using Rng = boost::random::mt19937_64;

/// Fills x with i.i.d. standard normal numbers (drawn in double, then rounded to T, so float and
/// double runs with the same seed start from the same vector up to rounding).
template <class T>
void fill_gaussian(Rng& rng, std::span<T> x) {
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  for (auto& xi : x) xi = static_cast<T>(normal(rng));
}

}  // namespace specbench
