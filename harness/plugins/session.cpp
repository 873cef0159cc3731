// One cell of an external estimator: the conversation of the protocol (README, "External
// estimators"), in operator mode (the harness answers products) or matrix mode (the plug-in
// reads the matrix file and reports its own products and time).
#include <algorithm>
#include <chrono>

#include "algorithms/dense.hpp"
#include "algorithms/sparse.hpp"
#include "harness/plugins/external.hpp"
#include "harness/plugins/matrix_file.hpp"
#include "harness/plugins/protocol.hpp"

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

template <class T>
constexpr const char* dtype() {
  return std::is_same_v<T, float> ? "float32" : "float64";
}

Status parse_status(const nlohmann::json& message) {
  const std::string s = text_field(message, "status", "max_iterations");
  if (s == "converged") return Status::Converged;
  if (s == "max_iterations") return Status::MaxIterations;
  if (s == "breakdown") return Status::Breakdown;
  throw PluginError("message '" + message["type"].get<std::string>() + "': status '" +
                    s.substr(0, 40) + "' (accepted: converged, max_iterations, breakdown)");
}

/// The conversation of one cell, from the start message to the result.
template <class T>
class Session {
 public:
  Session(const ExternalCommand& command, const Operator<T>& a, Rng& rng,
          const RunControl<T>& control, Channel& channel)
      : command_(command), a_(a), counted_(a), rng_(rng), control_(control), channel_(channel) {
    pending_ = control.checkpoints;
    std::sort(pending_.begin(), pending_.end());
    pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  }

  /// Waits for hello (the plug-in's start-up is not its run time), then starts the clock.
  void hello() {
    const nlohmann::json h = channel_.receive();
    if (h["type"] != "hello")
      throw PluginError("expected 'hello' first, got '" + h["type"].get<std::string>() + "'");
    if (h.contains("protocol") && h["protocol"] != kProtocolVersion)
      throw PluginError("the plug-in speaks protocol " + h["protocol"].dump() +
                        "; this harness speaks " + std::to_string(kProtocolVersion));
    start_ = Clock::now();
  }

  EstimateResult<T> converse(nlohmann::json start) {
    channel_.send(start);
    for (;;) {
      const nlohmann::json message = channel_.receive();
      const std::string type = message["type"];
      if (type == "result") return result(message);
      if (type == "checkpoint")
        checkpoint(message);
      else if (type == "error")
        throw PluginError("the plug-in reported an error: " + text_field(message, "message", ""));
      else if (type == "gaussian")
        gaussian(message);
      else if (operator_mode() && (type == "apply" || type == "apply_transpose"))
        product(message);
      else if (type == "apply" || type == "apply_transpose")
        throw PluginError("'" + type + "' in matrix mode (the plug-in has the matrix file)");
      else
        throw PluginError("unknown request '" + type.substr(0, 40) + "'");
    }
  }

 private:
  bool operator_mode() const { return command_.mode == ExternalMode::Operator; }
  std::size_t m() const { return std::size_t(a_.rows()); }
  std::size_t n() const { return std::size_t(a_.cols()); }

  /// apply: x (n x k, column-major) -> A x (m x k); apply_transpose: y (m x k) -> A^T y.
  void product(const nlohmann::json& message) {
    const bool transpose = message["type"] == "apply_transpose";
    const long long k =
        message.contains("columns") ? integer_field(message, "columns", 1, kMaxBlockColumns) : 1;
    const std::size_t in = transpose ? m() : n(), out = transpose ? n() : m();
    const std::string what = std::string(transpose ? "apply_transpose" : "apply");
    const std::vector<T> x = channel_.receive_vector<T>(message, "length", in * k, what);
    std::vector<T> y(out * std::size_t(k));
    if (k == 1 && transpose)
      counted_.apply_transpose(std::span<const T>(x), std::span<T>(y));
    else if (k == 1)
      counted_.apply(std::span<const T>(x), std::span<T>(y));
    else if (transpose)
      counted_.apply_transpose_block(k, x.data(), y.data());
    else
      counted_.apply_block(k, x.data(), y.data());
    channel_.send_vector<T>(std::span<const T>(y));
  }

  /// gaussian: `length` standard normal numbers from the cell's generator (fill_gaussian, as the
  /// built-ins draw their starts), at most a block of max(m, n) vectors.
  void gaussian(const nlohmann::json& message) {
    const long long bound = kMaxBlockColumns * std::max<long long>(1, std::max(m(), n()));
    std::vector<T> x(std::size_t(integer_field(message, "length", 0, bound)));
    fill_gaussian<T>(rng_, std::span<T>(x));
    channel_.send_vector<T>(std::span<const T>(x));
  }

  /// sigma, u, v (and in matrix mode products, time_s) of a checkpoint or result message.
  Snapshot<T> state(const nlohmann::json& message, std::vector<T>& u, std::vector<T>& v) {
    Snapshot<T> s;
    s.sigma = T(real_field(message, "sigma"));
    if (!std::isfinite(s.sigma)) throw PluginError("sigma overflows " + std::string(dtype<T>()));
    s.status = parse_status(message);
    const std::string what = message["type"].get<std::string>();
    u = channel_.receive_vector<T>(message, "u_length", m(), what + " u");
    v = channel_.receive_vector<T>(message, "v_length", n(), what + " v");
    s.u = u;
    s.v = v;
    if (operator_mode()) {
      s.products = counted_.products();
      s.time_s = std::chrono::duration<double>(Clock::now() - start_ - observer_time_).count();
    } else {
      s.products = integer_field(message, "products", 0, 1LL << 62);
      s.time_s = real_field(message, "time_s");
      if (s.time_s < 0) throw PluginError("message '" + what + "': time_s is negative");
    }
    return s;
  }

  void deliver(Snapshot<T> s, int checkpoint) {
    s.checkpoint = checkpoint;
    const auto entered = Clock::now();
    control_.observer(s);
    observer_time_ += Clock::now() - entered;
  }

  void checkpoint(const nlohmann::json& message) {
    const long long k = integer_field(message, "k", 0, std::numeric_limits<int>::max());
    if (next_ >= pending_.size() || pending_[next_] != k)
      throw PluginError("checkpoint k = " + std::to_string(k) + " was not requested" +
                        (next_ < pending_.size()
                             ? " (next requested: " + std::to_string(pending_[next_]) + ")"
                             : " (all requested checkpoints were sent)"));
    std::vector<T> u, v;
    Snapshot<T> s = state(message, u, v);
    s.iteration = int(integer_field(message, "iterations", 0, k));
    if (control_.history != History::None) history_.push_back({s.iteration, s.sigma, s.products});
    ++next_;
    if (control_.observer) deliver(s, int(k));
  }

  EstimateResult<T> result(const nlohmann::json& message) {
    EstimateResult<T> r;
    Snapshot<T> s = state(message, r.u, r.v);
    r.sigma = s.sigma;
    r.status = s.status;
    r.iterations = int(integer_field(message, "iterations", 0, std::numeric_limits<int>::max()));
    r.products = s.products;
    s.iteration = r.iterations;
    if (control_.history != History::None) history_.push_back({r.iterations, r.sigma, r.products});
    r.history = std::move(history_);
    if (control_.observer) {
      if (pending_.empty()) deliver(s, r.iterations);
      while (next_ < pending_.size()) deliver(s, pending_[next_++]);
    }
    return r;
  }

  const ExternalCommand& command_;
  const Operator<T>& a_;
  CountingOperator<Operator<T>> counted_;
  Rng& rng_;
  const RunControl<T>& control_;
  Channel& channel_;
  std::vector<int> pending_;
  std::size_t next_ = 0;
  std::vector<IterationRecord<T>> history_;
  Clock::time_point start_;
  Clock::duration observer_time_{};
};

}  // namespace

nlohmann::json params_json(const ParamSet& params) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : params.items())
    std::visit([&, n = name](const auto& x) { out[n] = x; }, value);
  return out;
}

template <class T>
EstimateResult<T> run_external(const ExternalCommand& command, const Operator<T>& a,
                               const ParamSet& params, Rng& rng, const RunControl<T>& control) {
  nlohmann::json start = {{"type", "start"},
                          {"protocol", kProtocolVersion},
                          {"m", a.rows()},
                          {"n", a.cols()},
                          {"dtype", dtype<T>()},
                          {"params", params_json(params)},
                          {"checkpoints", control.checkpoints}};
  // The seed is in the generator (a plug-in that wants numbers asks for `gaussian`); a
  // derived integer lets a plug-in seed a generator of its own reproducibly.
  Rng copy = rng;
  start["seed"] = std::uint64_t(copy() >> 1);
  std::shared_ptr<const MatrixFile> file;
  if (command.mode == ExternalMode::Matrix) {
    file = matrix_file(a);
    start["mode"] = "matrix";
    start["matrix"] = file->path.string();
    start["format"] = file->format;
  } else {
    start["mode"] = "operator";
  }
  ChildProcess child(command.argv, command.cwd);
  const Deadline deadline = deadline_in(command.timeout_s);
  Channel channel(child, deadline);
  Session<T> session(command, a, rng, control, channel);
  try {
    session.hello();
    EstimateResult<T> r = session.converse(std::move(start));
    const std::string ended = child.finish(std::min(deadline, deadline_in(5)));
    if (ended != "exited with status 0") throw PluginError("after its result the plug-in " + ended);
    return r;
  } catch (const PluginError& e) {
    const bool timeout = dynamic_cast<const PluginTimeout*>(&e) != nullptr;
    child.kill();
    const std::string tail = child.stderr_tail();
    std::string message = "plug-in " + command.text() + ": ";
    if (timeout)
      message += "timed out after " + format_value(ParamValue(command.timeout_s)) +
                 " s (timeout in the config) " + e.what() + "; the plug-in was killed";
    else
      message += e.what();
    throw PluginError(message + (tail.empty() ? "; stderr: (empty)" : "; stderr: " + tail));
  }
}

template EstimateResult<float> run_external(const ExternalCommand&, const Operator<float>&,
                                            const ParamSet&, Rng&, const RunControl<float>&);
template EstimateResult<double> run_external(const ExternalCommand&, const Operator<double>&,
                                             const ParamSet&, Rng&, const RunControl<double>&);

}  // namespace specbench
