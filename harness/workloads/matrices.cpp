/// \file
/// The matrix families (gaussian, spectrum, mtx), each registered by one static registrar as the
/// estimators are, and the spec parser. Spec grammar (see harness/workloads/matrices.hpp):
///
///   family:key=value,...   e.g. gaussian:m=200,n=100,seed=3
///   mtx:PATH               everything after "mtx:" is the path, verbatim (',' and '=' allowed)
///   PATH.mtx               a spec without ':' ending in ".mtx" is short for mtx:PATH.mtx

#include "harness/workloads/matrices.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "harness/workloads/mtx.hpp"

namespace specbench {
namespace {

constexpr std::string_view kFileFamily = "mtx";
constexpr std::string_view kFilePrefix = "mtx:";

// ---- gaussian ----

DenseMatrix<double> generate_gaussian(const ParamSet& p) {
  DenseMatrix<double> a(p.get_int("m"), p.get_int("n"));
  Rng rng(std::uint64_t(p.get_int("seed")));
  fill_gaussian<double>(rng, a.values());  // column-major: entry (i, j) is draw number i + j m
  return a;
}

const MatrixFamilyRegistrar kRegisterGaussian{{
    .name = "gaussian",
    .summary = "m x n matrix with i.i.d. standard normal entries (column-major draws from seed)",
    .schema = {{
        {.name = "m", .type = ParamType::Int, .help = "rows", .min = 1, .required = true},
        {.name = "n", .type = ParamType::Int, .help = "columns", .min = 1, .required = true},
        {.name = "seed",
         .type = ParamType::Int,
         .default_value = "0",
         .help = "seed of the generator (Boost mt19937_64)",
         .min = 0},
    }},
    .generate = generate_gaussian,
}};

// ---- spectrum ----

/// s_j, j = 1..k, of the spectrum family; s_1 = 1 for every decay (c = count).
///   geometric:   s_j = rate^(j-1)              (0 < rate <= 1; sigma2/sigma1 = rate)
///   polynomial:  s_j = j^(-rate)               (rate > 0;      sigma2/sigma1 = 2^(-rate))
///   exponential: s_j = exp(-rate (j-1))        (rate > 0;      sigma2/sigma1 = e^(-rate))
///   gap:         s_1 = 1, s_j = rate / (j-1)   (0 < rate < 1;  sigma2/sigma1 = rate exactly,
///                then a harmonic tail below it, so only the top gap is controlled)
///   step:        s_j = 1 for j <= c, rate after (0 < rate < 1)
///   clustered:   s_j = 1 for j <= c, rate^(j-c) after: sigma1 = ... = sigma_c (0 < rate < 1)
///   spiked:      c spikes linearly from 1 down to (1 + rate) / 2, then a flat bulk at rate
std::vector<double> spectrum_values(const std::string& decay, double rate, Index count, Index k) {
  std::vector<double> s(static_cast<std::size_t>(k));
  for (Index j = 1; j <= k; ++j) {
    double& sj = s[std::size_t(j - 1)];
    const bool top = j <= count;
    if (decay == "geometric")
      sj = std::pow(rate, double(j - 1));
    else if (decay == "polynomial")
      sj = std::pow(double(j), -rate);
    else if (decay == "exponential")
      sj = std::exp(-rate * double(j - 1));
    else if (decay == "step")
      sj = top ? 1.0 : rate;
    else if (decay == "clustered")
      sj = top ? 1.0 : std::pow(rate, double(j - count));
    else if (decay == "spiked")
      sj = top ? 1.0 - (1.0 - rate) / 2 * double(j - 1) / double(std::max<Index>(count - 1, 1))
               : rate;
    else
      sj = j == 1 ? 1.0 : rate / double(j - 1);
  }
  return s;
}

DenseMatrix<double> generate_spectrum(const ParamSet& p) {
  const Index m = p.get_int("m"), n = p.get_int("n");
  const auto s = spectrum_values(p.get_string("decay"), p.get_real("rate"), p.get_int("count"),
                                 std::min(m, n));
  Rng rng(std::uint64_t(p.get_int("seed")));
  return with_spectrum(m, n, s, rng);
}

void validate_spectrum(const ParamSet& p, std::string_view spec) {
  const std::string& decay = p.get_string("decay");
  const double rate = p.get_real("rate");
  SPECBENCH_REQUIRE(rate > 0, "matrix spec '", spec, "': rate must be > 0, got ", rate);
  SPECBENCH_REQUIRE(decay != "geometric" || rate <= 1, "matrix spec '", spec,
                    "': decay=geometric needs 0 < rate <= 1, got ", rate);
  const bool below_one =
      decay == "gap" || decay == "step" || decay == "clustered" || decay == "spiked";
  SPECBENCH_REQUIRE(!below_one || rate < 1, "matrix spec '", spec, "': decay=", decay,
                    " needs 0 < rate < 1, got ", rate);
}

const MatrixFamilyRegistrar kRegisterSpectrum{{
    .name = "spectrum",
    .summary = "U diag(s) V^T, U and V the Q factors of Gaussian matrices, prescribed singular "
               "values s with sigma1 = 1",
    .schema = {{
        {.name = "m", .type = ParamType::Int, .help = "rows", .min = 1, .required = true},
        {.name = "n", .type = ParamType::Int, .help = "columns", .min = 1, .required = true},
        {.name = "decay",
         .type = ParamType::Choice,
         .default_value = "geometric",
         .help = "s_j, j = 1..min(m,n), c = count: geometric rate^(j-1) (0 < rate <= 1); "
                 "polynomial j^(-rate); exponential exp(-rate (j-1)); gap 1, then rate/(j-1) "
                 "(sigma2/sigma1 = rate < 1); step 1 for j <= c, then rate; clustered 1 for "
                 "j <= c, then rate^(j-c); spiked c spikes from 1 to (1+rate)/2, then rate",
         .choices = {"geometric", "polynomial", "exponential", "gap", "step", "clustered",
                     "spiked"}},
        {.name = "rate",
         .type = ParamType::Real,
         .default_value = "0.9",
         .help = "decay rate (> 0; see decay)",
         .min = 0},
        {.name = "count",
         .type = ParamType::Int,
         .default_value = "1",
         .help = "c: size of the top block of step, clustered and spiked (ignored otherwise)",
         .min = 1},
        {.name = "seed",
         .type = ParamType::Int,
         .default_value = "0",
         .help = "seed of the generator of U and V (Boost mt19937_64)",
         .min = 0},
    }},
    .generate = generate_spectrum,
    .validate = validate_spectrum,
}};

// ---- mtx ----

const MatrixFamilyRegistrar kRegisterMtx{{
    .name = std::string(kFileFamily),
    .summary = "a Matrix Market file (.mtx, or gzip-compressed .mtx.gz), stored dense, or as "
               "CSR when a coordinate file's dense form exceeds 2^28 entries: mtx:PATH (or just "
               "PATH ending in .mtx or .mtx.gz)",
    .schema = {{
        {.name = "path",
         .type = ParamType::String,
         .help = "file path; everything after 'mtx:' is taken verbatim",
         .required = true},
    }},
    .generate = [](const ParamSet& p) { return read_matrix_market(p.get_string("path")); },
}};

}  // namespace

MatrixSpec parse_matrix_spec(std::string_view text, const std::filesystem::path& base_dir) {
  const auto& registry = MatrixFamilyRegistry::instance();
  MatrixSpec spec;
  std::vector<std::pair<std::string, std::string>> given;
  const bool file_prefix = text.starts_with(kFilePrefix);
  const bool file_shorthand = text.find(':') == std::string_view::npos &&
                              (text.ends_with(".mtx") || text.ends_with(".mtx.gz"));
  if (file_prefix || file_shorthand) {
    std::string_view path = file_prefix ? text.substr(kFilePrefix.size()) : text;
    // `mtx:path=FILE` (the generic key=value form) names the same file as `mtx:FILE`.
    if (path.starts_with("path=")) path.remove_prefix(5);
    spec.family = std::string(kFileFamily);
    given.emplace_back("path", std::string(path));
  } else {
    // The family first, so that an unknown one is reported as such whatever follows the ':'.
    spec.family = std::string(text.substr(0, text.find(':')));
    SPECBENCH_REQUIRE(
        spec.family.empty() || registry.find(spec.family) != nullptr, "matrix spec '", text,
        "': unknown matrix family '", spec.family, "'; accepted: ", registry.names_text(),
        text.ends_with(".mtx") ? " (write mtx:PATH for a file path containing ':')" : "");
    NamedSpec named = parse_named_spec(text, "matrix spec");
    spec.family = std::move(named.name);
    given = std::move(named.params);
  }

  const MatrixFamilyInfo& info = registry.get(spec.family, "matrix family");
  const std::string owner = detail::concat("matrix spec '", text, "'");
  spec.params = info.schema.resolve(given, owner);
  std::string written;
  if (spec.family == kFileFamily) {
    written = spec.params.get_string("path");
    SPECBENCH_REQUIRE(!written.empty(), owner, ": the file path is empty");
    std::filesystem::path file(written);
    if (file.is_relative() && !base_dir.empty()) file = (base_dir / file).lexically_normal();
    spec.file = file;
    spec.params.set("path", file.string());
  }

  // Any family with integer sizes m and n: refuse what dense storage cannot hold.
  const ParamSpec* m_spec = info.schema.find("m");
  const ParamSpec* n_spec = info.schema.find("n");
  if (m_spec && n_spec && m_spec->type == ParamType::Int && n_spec->type == ParamType::Int) {
    const long long m = spec.params.get_int("m"), n = spec.params.get_int("n");
    SPECBENCH_REQUIRE(m >= 1 && n >= 1, owner, ": the matrix must be at least 1 x 1, got ", m,
                      " x ", n);
    // (a sparse family is never dense: its own validate bounds it)
    SPECBENCH_REQUIRE(info.generate_sparse || m <= kMaxDenseEntries / n, owner, ": ", m, " x ", n,
                      " exceeds the dense storage limit of ", kMaxDenseEntries,
                      " entries (2 GiB of doubles)");
  }
  if (info.validate) info.validate(spec.params, text);

  spec.text = spec.family == kFileFamily ? std::string(kFilePrefix) + written
                                         : spec.family + ":" + spec.params.to_string();
  return spec;
}

std::string command_spec(const MatrixSpec& spec) {
  return spec.family == kFileFamily ? std::string(kFilePrefix) + spec.file.string() : spec.text;
}

DenseMatrix<double> make_matrix(const MatrixSpec& spec, std::string_view what) {
  const auto& info = MatrixFamilyRegistry::instance().get(spec.family, "matrix family");
  SPECBENCH_REQUIRE(info.generate != nullptr, "matrix spec '", spec.text, "': '", spec.family,
                    "' is a sparse family (CSR, never densified); ", what, " needs a dense matrix");
  if (spec.family == kFileFamily && is_sparse_only(spec))
    throw InvalidArgument(detail::concat(
        "matrix spec '", spec.text, "': the file is read as CSR (its dense form exceeds ",
        kMaxDenseEntries, " entries); ", what, " needs a dense matrix"));
  return info.generate(spec.params);
}

bool is_sparse_only(const MatrixSpec& spec) {
  if (spec.family == kFileFamily) {
    const MtxSize size = read_matrix_market_size(spec.params.get_string("path"));
    return size.coordinate && size.m > kMaxDenseEntries / size.n;
  }
  return MatrixFamilyRegistry::instance().get(spec.family, "matrix family").generate_sparse !=
         nullptr;
}

CsrMatrix<double> make_sparse_matrix(const MatrixSpec& spec) {
  if (spec.family == kFileFamily) return read_matrix_market_sparse(spec.params.get_string("path"));
  return MatrixFamilyRegistry::instance()
      .get(spec.family, "matrix family")
      .generate_sparse(spec.params);
}

}  // namespace specbench
