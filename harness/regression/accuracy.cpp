#include "harness/regression/accuracy.hpp"

#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace specbench::regression {
namespace {

/// Row-level verdicts, aggregated per cell, column and kind: one line each.
class Aggregate {
 public:
  struct Entry {
    std::string kind, category, column, subject, cell, rerun;
    std::size_t flagged = 0, rows = 0;
    double worst = -1;  ///< |change| / tolerance of the worst row
    double base = 0, cur = 0, tol = 0;
    std::string checkpoint, step, note;
  };

  void add(const std::string& kind, const std::string& category, const std::string& column,
           const Row& b, const Row& c, double base, double cur, double tol,
           const std::string& rerun, std::size_t rows_in_cell, const std::string& note = "") {
    const std::string k = c.cell + "|" + column + "|" + kind;
    auto [it, inserted] = entries_.try_emplace(k);
    Entry& e = it->second;
    if (inserted) {
      order_.push_back(k);
      e = {.kind = kind,
           .category = category,
           .column = column,
           .subject = subject_of(b),
           .cell = c.cell,
           .rerun = rerun,
           .rows = rows_in_cell};
    }
    ++e.flagged;
    const double change = std::abs(cur - base);
    const double score = tol > 0 ? change / tol : (change > 0 ? kInf : 0);
    if (score > e.worst || e.flagged == 1) {
      e.worst = score;
      e.subject = subject_of(c);
      e.base = base;
      e.cur = cur;
      e.tol = tol;
      e.checkpoint = std::to_string(c.checkpoint);
      e.step = step_text(c);
      e.rerun = rerun;
      e.note = note;
    }
  }

  std::vector<Finding> findings() const {
    std::vector<Finding> out;
    for (const auto& k : order_) out.push_back(finding(entries_.at(k)));
    return out;
  }

 private:
  static Finding finding(const Entry& e) {
    Finding f{.kind = e.kind,
              .category = e.category,
              .subject = e.subject,
              .cell = e.cell,
              .column = e.column,
              .rerun = e.rerun};
    const std::string where =
        "checkpoint " + e.checkpoint + (e.step.empty() ? "" : " step " + e.step);
    if (e.category == "status") {
      f.detail = "status " + e.note + " at " + std::to_string(e.flagged) + " of " +
                 std::to_string(e.rows) + " rows (first at " + where + ")";
    } else {
      f.detail =
          e.column + ": " + std::to_string(e.flagged) + " of " + std::to_string(e.rows) +
          " rows beyond tolerance; worst at " + where + ": " + fmt_pair(e.base, e.cur) +
          " (|change| " + fmt(std::abs(e.cur - e.base)) +
          (e.tol > 0 ? ", " + fmt(e.worst) + "x the tolerance " + fmt(e.tol) : ", tolerance 0") +
          ")" + (e.note.empty() ? "" : "; " + e.note);
    }
    f.numbers = {{"baseline", jnum(e.base)},
                 {"current", jnum(e.cur)},
                 {"ratio", jnum(e.base != 0 ? e.cur / e.base : (e.cur == 0 ? 1.0 : kInf))},
                 {"tolerance", jnum(e.tol)},
                 {"change_over_tolerance", jnum(e.worst)},
                 {"rows_flagged", e.flagged},
                 {"rows", e.rows},
                 {"checkpoint", e.checkpoint},
                 {"step", e.step}};
    return f;
  }

  std::map<std::string, Entry> entries_;
  std::vector<std::string> order_;
};

/// The cells of a run, and its failed cells (a cell that failed is one error row, at checkpoint
/// 0, however many rows it was to have).
struct Cells {
  std::set<std::string> all;
  std::map<std::string, const Row*> failed;
};

Cells cells_of(const RunDir& run) {
  Cells c;
  for (const RunRow& r : run.rows) {
    c.all.insert(r.row.cell);
    if (r.row.status == RunStatus::Error) c.failed.emplace(r.row.cell, &r.row);
  }
  return c;
}

/// Cells present on both sides that failed on exactly one: such cells are matched by cell key,
/// not row by row. Returns every cell that failed on either side (and is on both).
std::set<std::string> failed_cell_findings(const Cells& base, const Cells& cur,
                                           const nlohmann::json& cm,
                                           std::vector<Finding>& findings) {
  std::set<std::string> failed_cells;
  for (const auto* failed : {&base.failed, &cur.failed})
    for (const auto& [cell, row] : *failed) {
      if (!base.all.count(cell) || !cur.all.count(cell)) continue;  // MISSING / new below
      if (!failed_cells.insert(cell).second) continue;
      const auto bi = base.failed.find(cell), ci = cur.failed.find(cell);
      const bool b_err = bi != base.failed.end(), c_err = ci != cur.failed.end();
      if (b_err && c_err) continue;  // failed on both sides: nothing to compare
      findings.push_back({.kind = c_err ? "REGRESSION" : "IMPROVEMENT",
                          .category = "status",
                          .subject = subject_of(*row),
                          .cell = cell,
                          .column = "status",
                          .detail = c_err ? "the cell now fails: " + ci->second->message
                                          : "the cell failed in the baseline (" +
                                                bi->second->message + ") and now runs",
                          .rerun = rerun_of(*row, cm)});
    }
  return failed_cells;
}

/// One matched pair of rows (baseline b, current c) of a cell with `rows` rows.
struct Pair {
  const RunRow& b;
  const RunRow& c;
  std::size_t rows;
  std::string rerun;
};

/// The certified references must agree within their bounds (plus the rounding of the
/// sigma_ref column to double); otherwise one of them is wrong.
void check_reference(const Pair& p, Aggregate& agg) {
  const double bs = p.b.acc.sigma_ref, cs = p.c.acc.sigma_ref;
  const double tol =
      p.b.row.ref_bound + p.c.row.ref_bound + 0x1p-52 * std::max(std::abs(bs), std::abs(cs));
  if (!(std::abs(bs - cs) <= tol))
    agg.add("REGRESSION", "reference", "sigma_ref", p.b.row, p.c.row, bs, cs, tol, p.rerun, 1,
            "the certified intervals do not overlap: one reference is wrong");
}

struct Column {
  const char* name;
  double base, cur, tol;
  double base_err, cur_err;  ///< the error it measures (larger is worse)
};

/// The accuracy columns of a pair with their tolerances; the cosine errors only if both measure
/// a subspace of the same dimension.
std::vector<Column> columns_of(const Pair& p, const CompareOptions& o, Aggregate& agg) {
  const AccuracyRow &b = p.b.acc, &c = p.c.acc;
  const AccuracyTolerance t = accuracy_tolerance(b, c, o.ulps);
  const double s1 = c.sigma_ref;
  std::vector<Column> columns = {
      {"sigma", b.sigma, c.sigma, t.sigma, std::abs(b.sigma - s1), std::abs(c.sigma - s1)},
      {"rel_err", b.rel_err, c.rel_err, t.rel_err, b.rel_err, c.rel_err},
      {"normalized_norm", b.normalized_norm, c.normalized_norm, t.normalized_norm,
       std::abs(b.normalized_norm - 1), std::abs(c.normalized_norm - 1)},
      {"residual", b.residual, c.residual, t.residual, b.residual, c.residual},
  };
  // The cosine errors measure the distance to a subspace whose dimension is cluster_size:
  // if that changed (LAPACK's cluster test sits on its threshold), they measure other things.
  if (b.cluster_size == c.cluster_size) {
    columns.push_back(
        {"u_cos_err", b.u_cos_err, c.u_cos_err, t.u_cos_err, b.u_cos_err, c.u_cos_err});
    columns.push_back(
        {"v_cos_err", b.v_cos_err, c.v_cos_err, t.v_cos_err, b.v_cos_err, c.v_cos_err});
  } else {
    agg.add("INFO", "accuracy", "cluster_size", p.b.row, p.c.row, b.cluster_size, c.cluster_size, 0,
            p.rerun, p.rows, "cosine errors not compared (they measure subspaces of other sizes)");
  }
  return columns;
}

void check_columns(const Pair& p, const CompareOptions& o, Aggregate& agg) {
  for (const Column& col : columns_of(p, o, agg)) {
    const bool both_nan = std::isnan(col.base) && std::isnan(col.cur);
    if (both_nan || (!o.exact && col.base == col.cur)) continue;  // equal infinities too
    const double change = std::abs(col.cur - col.base);
    const double tol = o.exact ? 0.0 : col.tol;
    const bool same_bits = std::memcmp(&col.base, &col.cur, sizeof(double)) == 0;
    if (o.exact ? same_bits : change <= tol) continue;
    std::string kind = col.cur_err > col.base_err || std::isnan(col.cur)    ? "REGRESSION"
                       : col.cur_err < col.base_err || std::isnan(col.base) ? "IMPROVEMENT"
                                                                            : "CHANGED";
    // Bit-for-bit: a smaller error is not a regression, but it is a change, and fails.
    if (o.exact && kind == "IMPROVEMENT") kind = "CHANGED";
    agg.add(kind, "accuracy", col.name, p.b.row, p.c.row, col.base, col.cur, tol, p.rerun, p.rows,
            o.exact && kind == "CHANGED"
                ? "the error did not grow, but --exact asks for the same bits"
                : "");
  }
}

/// Work counts are integers that a change of rounding order cannot change, except where a
/// stopping test decided (status converged or breakdown: Lanczos' breakdown test sits at
/// rounding level, so the step it stops at can move between machines). There a different
/// count is INFO, and the accuracy columns judge the result.
void check_counts(const Pair& p, const CompareOptions& o, Aggregate& agg) {
  const Row &b = p.b.row, &c = p.c.row;
  const bool stopped = b.status == RunStatus::Converged || b.status == RunStatus::Breakdown;
  const char* count_kind = stopped && !o.exact ? "INFO" : "CHANGED";
  const std::string note = stopped ? "the stopping test decided where to stop" : "";
  if (b.iterations != c.iterations)
    agg.add(count_kind, "accuracy", "iterations", b, c, double(b.iterations), double(c.iterations),
            0, p.rerun, p.rows, note);
  if (b.matvecs != c.matvecs)
    agg.add(count_kind, "accuracy", "matvecs", b, c, double(b.matvecs), double(c.matvecs), 0,
            p.rerun, p.rows, note);
}

/// A matched pair: a status change, else (both without error) the reference once per matrix,
/// precision and step (`refs_checked`), the accuracy columns and the work counts.
void compare_pair(const Pair& p, const CompareOptions& o, std::set<std::string>& refs_checked,
                  Aggregate& agg) {
  const Row &b = p.b.row, &c = p.c.row;
  if (b.status != c.status) {
    const std::string kind = b.status == RunStatus::Error   ? "IMPROVEMENT"
                             : c.status == RunStatus::Error ? "REGRESSION"
                                                            : "CHANGED";
    agg.add(kind, "status", "status", b, c, 0, 0, 0, p.rerun, p.rows,
            std::string(to_string(b.status)) + " -> " + std::string(to_string(c.status)));
    return;
  }
  if (b.status == RunStatus::Error) return;
  if (refs_checked.insert(b.matrix + "|" + b.precision + "|" + step_text(b)).second)
    check_reference(p, agg);
  check_columns(p, o, agg);
  check_counts(p, o, agg);
}

}  // namespace

AccuracyReport compare_accuracy(const RunDir& base, const RunDir& cur, const CompareOptions& o) {
  AccuracyReport report;
  std::vector<Finding>& findings = report.findings;
  const Cells base_cells = cells_of(base), cur_cells = cells_of(cur);
  const std::set<std::string> failed_cells =
      failed_cell_findings(base_cells, cur_cells, cur.meta, findings);
  std::map<std::string, const RunRow*> cur_rows;
  for (const RunRow& r : cur.rows) cur_rows.emplace(key_of(r.row), &r);
  std::map<std::string, std::size_t> rows_per_cell;
  for (const RunRow& r : base.rows) ++rows_per_cell[r.row.cell];
  std::set<std::string> missing_cells, refs_checked;
  Aggregate agg;
  for (const RunRow& b : base.rows) {
    if (failed_cells.count(b.row.cell)) continue;
    const auto it = cur_rows.find(key_of(b.row));
    if (it == cur_rows.end()) {
      if (missing_cells.insert(b.row.cell).second)
        findings.push_back({.kind = "MISSING",
                            .category = "cells",
                            .subject = subject_of(b.row),
                            .cell = b.row.cell,
                            .detail = "rows of this cell are in the baseline, not in the current "
                                      "run",
                            .rerun = rerun_of(b.row, cur.meta)});
      continue;
    }
    ++report.compared;
    const RunRow& c = *it->second;
    compare_pair({b, c, rows_per_cell[b.row.cell], rerun_of(c.row, cur.meta)}, o, refs_checked,
                 agg);
  }
  for (auto& f : agg.findings()) findings.push_back(std::move(f));
  std::set<std::string> new_cells;
  for (const RunRow& r : cur.rows)
    if (!base_cells.all.count(r.row.cell) && new_cells.insert(r.row.cell).second)
      findings.push_back({.kind = "INFO",
                          .category = "cells",
                          .subject = subject_of(r.row),
                          .cell = r.row.cell,
                          .detail = "a new cell (not in the baseline)"});
  return report;
}

}  // namespace specbench::regression
