// Tests of the external-estimator plumbing (harness/plugins/): the protocol codec (lengths
// checked before anything is read, NaN/Inf refused, little-endian round trips), the process
// runner (deadlines, process-group kill, stderr tail, exit descriptions), the --describe schema
// parser, and one operator-mode cell against a shell-free /bin/sh-less child (python3).

#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "algorithms/dense.hpp"
#include "harness/plugins/child_process.hpp"
#include "harness/plugins/external.hpp"
#include "harness/plugins/protocol.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// True while `pid` runs (a zombie waiting for init to reap it has ended).
bool running(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close == std::string::npos || text.substr(close + 2, 1) != "Z";
}

/// Waits up to 2 s for `pid` to end.
bool ends(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (!running(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

ChildProcess python(const std::string& code) {
  return ChildProcess({"/usr/bin/python3", "-c", code}, "");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_plugins)

BOOST_AUTO_TEST_CASE(vectors_round_trip_little_endian_and_refuse_nan_inf) {
  const std::vector<double> x{1.0, -0.0, 1e-310, std::numeric_limits<double>::max()};
  const std::string bytes = encode_vector<double>(x);
  BOOST_TEST(bytes.size() == 32u);
  BOOST_TEST(static_cast<unsigned char>(bytes[7]) == 0x3f);  // 1.0 = 0x3ff0...: high byte last
  std::vector<double> back(4);
  decode_vector<double>(bytes, std::span<double>(back), "t");
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST((std::signbit(back[i]) == std::signbit(x[i]) && back[i] == x[i]));
  const std::vector<float> f{1.5f, std::nanf("")};
  std::vector<float> g(2);
  BOOST_CHECK_EXCEPTION(
      decode_vector<float>(encode_vector<float>(f), std::span<float>(g), "u"), PluginError,
      [](const PluginError& e) { return std::string(e.what()) == "u: entry 1 is NaN"; });
  const std::vector<double> inf{std::numeric_limits<double>::infinity()};
  BOOST_CHECK_THROW(
      decode_vector<double>(encode_vector<double>(inf), std::span<double>(back).first(1), "v"),
      PluginError);
  // a byte count that is not the entries' is refused, not read past
  BOOST_CHECK_THROW(decode_vector<double>(bytes.substr(0, 31), std::span<double>(back), "w"),
                    PluginError);
}

BOOST_AUTO_TEST_CASE(control_lines_and_fields_are_checked) {
  BOOST_TEST(parse_control_line(R"({"type":"apply","length":3})")["length"] == 3);
  BOOST_CHECK_THROW(parse_control_line("{not json"), PluginError);
  BOOST_CHECK_THROW(parse_control_line("[1, 2]"), PluginError);           // not an object
  BOOST_CHECK_THROW(parse_control_line(R"({"length":3})"), PluginError);  // no type
  const auto m = parse_control_line(R"({"type":"x","k":-1,"big":18446744073709551615,"s":"x"})");
  BOOST_CHECK_THROW(integer_field(m, "k", 0, 10), PluginError);
  BOOST_CHECK_THROW(integer_field(m, "big", 0, 1LL << 40), PluginError);
  BOOST_CHECK_THROW(integer_field(m, "missing", 0, 10), PluginError);
  BOOST_CHECK_THROW(real_field(m, "s"), PluginError);
  BOOST_CHECK_THROW(parse_control_line(R"({"type":"x","s":NaN})"), PluginError);  // not JSON
  BOOST_TEST(control_line({{"type", "vector"}, {"length", 2}}) ==
             "{\"length\":2,\"type\":\"vector\"}\n");
}

BOOST_AUTO_TEST_CASE(a_wrong_announced_length_is_refused_before_reading) {
  // The child announces 2^40 entries and sends nothing: the channel refuses at once (no read,
  // no 8 TB allocation), long before the deadline.
  ChildProcess child = python(
      "import sys,time\nsys.stdout.write('{\"type\":\"apply\",\"length\":1099511627776}\\n')\n"
      "sys.stdout.flush()\ntime.sleep(30)");
  Channel channel(child, deadline_in(20));
  const auto start = Clock::now();
  const auto message = channel.receive();
  BOOST_CHECK_EXCEPTION(channel.receive_vector<double>(message, "length", 10, "apply"), PluginError,
                        [](const PluginError& e) {
                          return std::string(e.what()) ==
                                 "apply: length 1099511627776, expected 10";
                        });
  BOOST_TEST(since(start) < 10.0);
}

BOOST_AUTO_TEST_CASE(a_silent_child_times_out_and_its_group_is_killed) {
  // The child starts a grandchild in its own group; killing the group ends both.
  ChildProcess child = python(
      "import subprocess,sys,time\np = subprocess.Popen(['sleep','60'])\n"
      "print(p.pid, flush=True)\ntime.sleep(60)");
  const pid_t grandchild = std::stoi(child.read_line(100, deadline_in(20)));
  const auto start = Clock::now();
  BOOST_CHECK_THROW(child.read_line(100, deadline_in(0.3)), PluginTimeout);
  const double waited = since(start);
  BOOST_TEST(waited >= 0.3);
  BOOST_TEST(waited < 5.0);  // the deadline plus scheduling, never the child's 60 s
  child.kill();
  BOOST_TEST(ends(grandchild));
}

BOOST_AUTO_TEST_CASE(what_a_plugin_leaves_running_dies_with_its_cell) {
  // The child starts a background process and exits 0: finish() reports the exit and kills the
  // group, so nothing outlives the cell.
  ChildProcess child =
      python("import subprocess\np = subprocess.Popen(['sleep','60'])\nprint(p.pid, flush=True)");
  const pid_t grandchild = std::stoi(child.read_line(100, deadline_in(20)));
  BOOST_TEST(child.finish(deadline_in(20)) == "exited with status 0");
  BOOST_TEST(ends(grandchild));
}

BOOST_AUTO_TEST_CASE(a_crash_is_described_with_the_tail_of_stderr) {
  std::string noise(5000, 'x');  // more than the tail keeps
  ChildProcess child = python("import os,signal,sys\nsys.stderr.write('" + noise +
                              "\\nlast words\\n')\nsys.stderr.flush()\n"
                              "os.kill(os.getpid(), signal.SIGSEGV)");
  BOOST_CHECK_EXCEPTION(
      child.read_line(100, deadline_in(20)), PluginError, [](const PluginError& e) {
        return std::string(e.what()).find("killed by signal 11") != std::string::npos;
      });
  const std::string tail = child.stderr_tail();
  BOOST_TEST(tail.size() <= ChildProcess::kStderrTail + 3);  // '\n' became " | "
  BOOST_TEST(tail.substr(tail.size() - 13) == " | last words");
}

BOOST_AUTO_TEST_CASE(writing_to_a_child_that_exited_fails_without_sigpipe) {
  ChildProcess child = python("import sys\nsys.exit(5)");
  std::string big(1 << 20, 'a');  // beyond the pipe's buffer
  BOOST_CHECK_EXCEPTION(child.write(big, deadline_in(20)), PluginError, [](const PluginError& e) {
    return std::string(e.what()).find("exited with status 5") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(describe_objects_become_schemas) {
  EstimatorInfo info;
  parse_description(nlohmann::json::parse(R"({"summary": "s", "iteration_param": "k",
      "nested": true, "params": [{"name": "k", "type": "int", "default": 3, "min": 1},
      {"name": "how", "type": "string", "default": "a", "choices": ["a", "b"]},
      {"name": "t", "type": "real", "default": 0.5}, {"name": "f", "type": "bool",
      "default": false}]})"),
                    info);
  BOOST_TEST(info.nested);
  BOOST_TEST(info.schema.specs().size() == 4u);
  BOOST_TEST((info.schema.find("how")->type == ParamType::Choice));
  BOOST_TEST(info.schema.find("k")->min == 1.0);
  const ParamSet p = info.schema.resolve({{"how", "b"}}, "x");
  BOOST_TEST(params_json(p).dump() == R"({"f":false,"how":"b","k":3,"t":0.5})");
  const auto refused = [](const char* text) {
    EstimatorInfo i;
    BOOST_CHECK_THROW(parse_description(nlohmann::json::parse(text), i), PluginError);
  };
  refused(R"({"params": []})");                                              // no summary
  refused(R"({"summary": "s", "params": [{"name": "k", "type": "int"}]})");  // no default
  refused(R"({"summary": "s", "params": [{"name": "k", "type": "int", "default": 0.5}]})");
  refused(R"({"summary": "s", "params": [{"name": "k", "type": "int", "default": 0, "min": 1}]})");
  refused(R"({"summary": "s", "params": [{"name": "timeout", "type": "int", "default": 1}]})");
  refused(R"({"summary": "s", "iteration_param": "nope"})");
  refused(R"({"summary": "s", "extra": 1})");
}

BOOST_AUTO_TEST_CASE(an_operator_cell_is_answered_and_counted_by_the_harness) {
  // A plug-in that asks for A e_1 once and returns u = A e_1 / ||.||, v = e_1, sigma = ||A e_1||.
  const std::string code =
      "import json,struct,sys\nw=sys.stdout.buffer\nr=sys.stdin.buffer\n"
      "w.write(b'{\"type\":\"hello\"}\\n');w.flush()\ns=json.loads(r.readline())\n"
      "m,n=s['m'],s['n']\nw.write((json.dumps({'type':'apply','length':n})+'\\n').encode()+"
      "struct.pack('<%dd'%n,*([1.0]+[0.0]*(n-1))));w.flush()\nh=json.loads(r.readline())\n"
      "y=struct.unpack('<%dd'%h['length'],r.read(8*h['length']))\nnm=sum(t*t for t in y)**.5\n"
      "w.write((json.dumps({'type':'result','sigma':nm,'iterations':1,'u_length':m,"
      "'v_length':n})+'\\n').encode()+struct.pack('<%dd'%m,*[t/nm for t in y])+"
      "struct.pack('<%dd'%n,*([1.0]+[0.0]*(n-1))));w.flush()\n";
  DenseMatrix<double> a(3, 2);
  a(0, 0) = 3;
  a(1, 0) = 4;
  a(2, 1) = 1;
  const DenseOperator<double> op(a);
  ExternalCommand command{{"/usr/bin/python3", "-c", code}, "", ExternalMode::Operator, 20};
  Rng rng(0);
  RunControl<double> control;
  const auto r = run_external<double>(command, op, ParamSet(), rng, control);
  BOOST_TEST(r.sigma == 5.0);  // ||(3, 4, 0)|| exactly
  BOOST_TEST(r.products == 1);
  BOOST_TEST(r.u[1] == 0.8);
}

BOOST_AUTO_TEST_CASE(blocks_and_gaussians_through_the_python_helper) {
  // A helper-based plug-in: X = [e_1, e_2] as one block (2 products), Y = A^T (A X) as another
  // (2 more), then u, v from the first column, and n Gaussians that must equal fill_gaussian's
  // from the same generator (checked in Python against the values sent in the start's params).
  const std::string code = std::string("import sys\nsys.path.insert(0, '") + SPECBENCH_SOURCE_DIR +
                           "/plugins')\nimport numpy as np, specbench_plugin as sp\n"
                           "@sp.operator_estimator('t')\ndef f(op, p):\n"
                           "    x = np.eye(op.n)[:, :2]\n    y = op.apply(x)\n"
                           "    z = op.apply_transpose(y)\n    g = op.gaussian(3)\n"
                           "    assert y.shape == (op.m, 2) and z.shape == (op.n, 2), y.shape\n"
                           "    s = np.linalg.norm(y[:, 0])\n"
                           "    yield 1, s + 1000 * abs(g[0] - p['g0']), y[:, 0] / s, x[:, 0]\n"
                           "sp.main(f)\n";
  DenseMatrix<double> a(3, 2);
  a(0, 0) = 3;
  a(1, 0) = 4;
  a(2, 1) = 1;
  const DenseOperator<double> op(a);
  ExternalCommand command{{"/usr/bin/python3", "-c", code}, "", ExternalMode::Operator, 30};
  Rng expected_rng(7);
  std::vector<double> g(3);
  fill_gaussian<double>(expected_rng, std::span<double>(g));
  ParamSet params;
  params.set("g0", g[0]);  // the plug-in sees its params; the schema is not needed here
  Rng rng(7);
  RunControl<double> control;
  const auto r = run_external<double>(command, op, params, rng, control);
  BOOST_TEST(r.sigma == 5.0);   // ||A e_1|| exactly, and g[0] equal to the harness's draw
  BOOST_TEST(r.products == 4);  // two blocks of two columns
  BOOST_TEST(r.u[0] == 0.6);
}

BOOST_AUTO_TEST_CASE(runs_files_without_counted_by_still_read) {
  // A runs.csv of the columns before counted_by (e.g. results/baselines/regression) reads with
  // counted_by = "harness" and is marked legacy (resume refuses to append to it); one column
  // fewer than that is refused.
  Row row;
  row.matrix = "lp_afiro.mtx";  // no field of this row needs quotes: fields split at ','
  row.estimator = "power";
  row.counted_by = "plugin";
  const auto dir = std::filesystem::temp_directory_path() / "specbench_test_legacy_runs";
  std::filesystem::create_directories(dir);
  std::string header = csv_header(), line = csv_line(row);
  std::size_t at = 0;  // counted_by's index
  while (run_columns()[at].name != "counted_by") ++at;
  const auto cut = [](const std::string& text, std::size_t k) {  // drop field k
    std::vector<std::string> fields(1);
    for (char c : text.substr(0, text.size() - 1))
      if (c == ',')
        fields.emplace_back();
      else
        fields.back().push_back(c);
    fields.erase(fields.begin() + long(k));
    std::string out;
    for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
    return out + "\n";
  };
  const auto write_text = [](const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
  };
  write_text(dir / "old.csv", cut(header, at) + cut(line, at));
  const RunsFile old = read_runs(dir / "old.csv");
  BOOST_TEST(old.legacy);
  BOOST_TEST(old.rows.at(0).counted_by == "harness");
  BOOST_TEST(old.rows.at(0).estimator == "power");
  write_text(dir / "new.csv", header + line);
  const RunsFile now = read_runs(dir / "new.csv");
  BOOST_TEST(!now.legacy);
  BOOST_TEST(now.rows.at(0).counted_by == "plugin");
  write_text(dir / "short.csv", cut(cut(header, at), 0) + cut(cut(line, at), 0));
  BOOST_CHECK_THROW(read_runs(dir / "short.csv"), InvalidArgument);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace specbench
