#include <memory>
#include <optional>

#include "harness/results/meta.hpp"
#include "harness/results/output.hpp"
#include "harness/results/sink.hpp"
#include "harness/results/summary.hpp"

namespace specbench {
namespace {

class RunsCsvSink : public ResultSink {
 public:
  void begin(const RunContext& context, const std::vector<Row>&) override {
    csv_.emplace(context.output / "runs.csv", context.resumed);
  }
  void cell(const std::vector<Row>& rows) override { csv_->write(rows); }
  void end(const RunEnd&) override {
    if (csv_) csv_->close();  // fsync: the rows are on the disk when the run says it ended
    csv_.reset();
  }

 private:
  std::optional<CsvWriter> csv_;
};

class MetaJsonSink : public ResultSink {
 public:
  void begin(const RunContext& context, const std::vector<Row>&) override {
    path_ = context.output / "meta.json";
    meta_ = start_meta(context);
    write_meta(path_, meta_);
  }
  void reference(const Problem& problem, int step) override {
    auto ref = reference_to_json(problem);
    if (step >= 0) ref["step"] = step;
    dirty_ = add_reference(meta_["references"], std::move(ref)) || dirty_;
  }
  // Before the rows: meta.json is rewritten if it gained references (a resume does not recompute
  // the references of finished cells), at most once per write of rows.
  void cell(const std::vector<Row>&) override {
    if (dirty_) write_meta(path_, meta_);
    dirty_ = false;
  }
  void end(const RunEnd& end) override {
    meta_["status"] = end.status;
    meta_["finished_utc"] = end.finished_utc;
    meta_["seconds"] = end.seconds;
    meta_["rows"] = end.rows;
    meta_["errors"] = end.errors;
    write_meta(path_, meta_);
  }

 private:
  std::filesystem::path path_;
  nlohmann::json meta_;
  bool dirty_ = false;  // references added since meta.json was last written
};

class SummaryCsvSink : public ResultSink {
 public:
  void begin(const RunContext& context, const std::vector<Row>& resumed) override {
    path_ = context.output / "summary.csv";
    tolerances_ = context.tolerances;
    rows_ = resumed;
  }
  void cell(const std::vector<Row>& rows) override {
    rows_.insert(rows_.end(), rows.begin(), rows.end());
  }
  void end(const RunEnd&) override { write_summary(rows_, tolerances_, path_); }

 private:
  std::filesystem::path path_;
  std::vector<double> tolerances_;
  std::vector<Row> rows_;
};

}  // namespace

std::unique_ptr<ResultSink> make_runs_csv_sink() {
  return std::make_unique<RunsCsvSink>();
}
std::unique_ptr<ResultSink> make_meta_json_sink() {
  return std::make_unique<MetaJsonSink>();
}
std::unique_ptr<ResultSink> make_summary_csv_sink() {
  return std::make_unique<SummaryCsvSink>();
}

ResultSinks::ResultSinks(std::vector<std::unique_ptr<ResultSink>> sinks)
    : sinks_(std::move(sinks)) {}

ResultSinks ResultSinks::standard() {
  std::vector<std::unique_ptr<ResultSink>> sinks;
  sinks.push_back(make_meta_json_sink());
  sinks.push_back(make_runs_csv_sink());
  sinks.push_back(make_summary_csv_sink());
  return ResultSinks(std::move(sinks));
}

void ResultSinks::begin(const RunContext& context, const std::vector<Row>& resumed) {
  std::lock_guard lock(mutex_);
  for (auto& s : sinks_) s->begin(context, resumed);
}

void ResultSinks::reference(const Problem& problem, int step) {
  std::lock_guard lock(mutex_);
  for (auto& s : sinks_) s->reference(problem, step);
}

void ResultSinks::cell(const std::vector<Row>& rows) {
  std::lock_guard lock(mutex_);
  for (auto& s : sinks_) s->cell(rows);
}

void ResultSinks::end(const RunEnd& end) {
  std::lock_guard lock(mutex_);
  for (auto it = sinks_.rbegin(); it != sinks_.rend(); ++it) (*it)->end(end);
}

}  // namespace specbench
