#include "harness/regression/report.hpp"

#include <algorithm>
#include <map>

#include "harness/regression/compare.hpp"

namespace specbench::regression {
namespace {

constexpr const char* kKinds[] = {"REGRESSION",   "MISSING",     "CHANGED",
                                  "INCONCLUSIVE", "IMPROVEMENT", "INFO"};

const char* verdict_text(int code) {
  return code == kComparePass ? "PASS" : code == kCompareRegression ? "REGRESSION" : "INCONCLUSIVE";
}

/// The number of findings of each kind (every kind, zeros included).
std::map<std::string, int> counts_of(const std::vector<Finding>& findings) {
  std::map<std::string, int> counts;
  for (const char* k : kKinds) counts[k] = 0;
  for (const auto& f : findings) ++counts[f.kind];
  return counts;
}

/// "0 REGRESSION, 0 MISSING, ..." in the order of kKinds.
std::string count_text(const std::map<std::string, int>& counts) {
  std::string text;
  for (const char* k : kKinds)
    text += (text.empty() ? "" : ", ") + std::to_string(counts.at(k)) + " " + k;
  return text;
}

void print_json(const Report& r, std::ostream& out) {
  nlohmann::json j = r.header;
  j["verdict"] = verdict_text(r.code);
  j["exit_code"] = r.code;
  j["summary"] = r.summary;
  j["counts"] = counts_of(r.findings);
  j["environment"] = nlohmann::json::array();
  for (const auto& e : r.env)
    j["environment"].push_back(
        {{"what", e.what}, {"baseline", e.base}, {"current", e.cur}, {"same", e.same()}});
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings)
    j["findings"].push_back({{"kind", f.kind},
                             {"category", f.category},
                             {"subject", f.subject},
                             {"cell", f.cell},
                             {"column", f.column},
                             {"detail", f.detail},
                             {"rerun", f.rerun},
                             {"numbers", f.numbers}});
  out << j.dump(2) << "\n";
}

void print_environment_markdown(const Report& r, std::ostream& out) {
  out << "- baseline: " << r.header.value("baseline", "")
      << "\n- current: " << r.header.value("current", "") << "\n\n";
  out << "| | baseline | current | |\n|---|---|---|---|\n";
  for (const auto& e : r.env)
    out << "| " << e.what << " | " << e.base << " | " << e.cur << " | "
        << (e.same() ? "same" : "**differs**") << " |\n";
  out << "\n";
}

void print_environment_text(const Report& r, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& e : r.env) width = std::max(width, e.what.size());
  out << "baseline: " << r.header.value("baseline", "")
      << "\ncurrent:  " << r.header.value("current", "") << "\n";
  out << "what differs:\n";
  bool any = false;
  for (const auto& e : r.env)
    if (!e.same()) {
      any = true;
      out << "  " << e.what << std::string(width - e.what.size() + 2, ' ') << e.base << "  ->  "
          << e.cur << "\n";
    }
  if (!any) out << "  nothing recorded\n";
  out << "the same:\n";
  for (const auto& e : r.env)
    if (e.same())
      out << "  " << e.what << std::string(width - e.what.size() + 2, ' ') << e.base << "\n";
}

void print_rules(const Report& r, bool md, std::ostream& out) {
  for (const char* k : {"accuracy_rule", "timing_rule"})
    if (r.header.contains(k))
      out << (md ? "- " : "") << (std::string(k) == "accuracy_rule" ? "accuracy: " : "timing: ")
          << r.header[k].get<std::string>() << "\n";
  out << "\n";
}

void print_findings_markdown(const Report& r, std::ostream& out) {
  if (!r.findings.empty()) {
    out << "| kind | subject | numbers | re-run |\n|---|---|---|---|\n";
    for (const auto& f : r.findings)
      out << "| " << f.kind << " | " << f.subject << (f.cell.empty() ? "" : " [" + f.cell + "]")
          << " | " << f.detail << " | " << (f.rerun.empty() ? "" : "`" + f.rerun + "`") << " |\n";
    out << "\n";
  }
  out << "**" << verdict_text(r.code) << "**: " << r.summary << "; "
      << count_text(counts_of(r.findings)) << "\n";
}

void print_findings_text(const Report& r, std::ostream& out) {
  for (const auto& f : r.findings) {
    out << f.kind << "  " << f.subject << (f.cell.empty() ? "" : "  [cell " + f.cell + "]")
        << "\n    " << f.detail << "\n";
    if (!f.rerun.empty()) out << "    re-run: " << f.rerun << "\n";
  }
  out << verdict_text(r.code) << ": " << r.summary << "; " << count_text(counts_of(r.findings))
      << "\n";
}

}  // namespace

void print_report(const Report& report, const std::string& format, std::ostream& out) {
  if (format == "json") return print_json(report, out);
  const bool md = format == "markdown";
  // What differs first: it decides how to read everything below.
  if (!report.env.empty())
    md ? print_environment_markdown(report, out) : print_environment_text(report, out);
  print_rules(report, md, out);
  md ? print_findings_markdown(report, out) : print_findings_text(report, out);
}

}  // namespace specbench::regression
