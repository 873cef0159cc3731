// Safe file writes (harness/results/atomic_file.hpp): exclusive temporary files under random
// names, never through a planted link, removed on every failure path; the runs.csv writer and
// the folder lock refuse links; readers never block on a FIFO.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "harness/results/atomic_file.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/output.hpp"

using namespace specbench;
namespace fs = std::filesystem;

namespace {

/// A fresh folder for one test.
struct TempDir {
  fs::path dir;
  explicit TempDir(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("specbench_atomic_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Names in `dir` containing ".tmp." (the temporary files).
std::set<std::string> temps(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos)
      out.insert(e.path().filename().string());
  return out;
}

/// A file-size limit of `bytes` for the test's lifetime, SIGXFSZ ignored (write(2) then fails
/// with EFBIG, as on a full disk).
struct FileSizeLimit {
  rlimit saved{};
  struct sigaction old_action {};
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGXFSZ, &ignore, &old_action);
    rlimit limit = saved;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::sigaction(SIGXFSZ, &old_action, nullptr);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(temporary_names_are_random_exclusive_and_beside_the_target) {
  TempDir t("names");
  const auto target = t.dir / "meta.json";
  AtomicFile a(target);
  std::optional<AtomicFile> b(std::in_place, target);
  // NAME.tmp. and 16 random characters: two files for one target never share a name.
  for (const auto* f : {&a, &*b}) {
    BOOST_TEST(f->temp_path().parent_path() == t.dir);
    const std::string name = f->temp_path().filename().string();
    BOOST_TEST(name.rfind("meta.json.tmp.", 0) == 0u);
    BOOST_TEST(name.size() == std::string("meta.json.tmp.").size() + 16);
  }
  BOOST_TEST(a.temp_path() != b->temp_path());
  struct stat st {};
  BOOST_REQUIRE(::lstat(a.temp_path().c_str(), &st) == 0);
  BOOST_TEST(S_ISREG(st.st_mode));
  BOOST_TEST((st.st_mode & 0777 & ~0644) == 0u);  // 0644 at most (less the umask)
  a.write("{}\n");
  a.commit();
  BOOST_TEST(slurp(target) == "{}\n");
  // b is never committed: its temporary file goes away with it, the target stays a's.
  const auto b_temp = b->temp_path();
  b.reset();
  BOOST_TEST(!fs::exists(b_temp));
  BOOST_TEST(slurp(target) == "{}\n");
}

BOOST_AUTO_TEST_CASE(a_link_at_the_target_is_replaced_never_written_through) {
  TempDir t("link");
  const auto victim = t.dir / "victim";
  std::ofstream(victim) << "precious\n";
  fs::create_symlink(victim, t.dir / "runs.csv");
  write_file_atomic(t.dir / "runs.csv", "new\n");
  BOOST_TEST(slurp(victim) == "precious\n");
  BOOST_TEST(!fs::is_symlink(fs::symlink_status(t.dir / "runs.csv")));
  BOOST_TEST(slurp(t.dir / "runs.csv") == "new\n");
  // The same for a fresh runs.csv (CsvWriter creates it whole, then appends to that file).
  fs::remove(t.dir / "runs.csv");
  fs::create_symlink(victim, t.dir / "runs.csv");
  {
    CsvWriter csv(t.dir / "runs.csv");
    csv.write({Row{}});
    csv.close();
  }
  BOOST_TEST(slurp(victim) == "precious\n");
  BOOST_TEST(slurp(t.dir / "runs.csv").rfind(csv_header(), 0) == 0u);
  BOOST_TEST(temps(t.dir).empty());
}

BOOST_AUTO_TEST_CASE(appending_refuses_links_and_non_regular_files) {
  TempDir t("append");
  const auto victim = t.dir / "victim";
  std::ofstream(victim) << "precious\n";
  fs::create_symlink(victim, t.dir / "runs.csv");
  BOOST_CHECK_THROW(CsvWriter(t.dir / "runs.csv", true), InvalidArgument);
  BOOST_TEST(slurp(victim) == "precious\n");
  BOOST_REQUIRE(::mkfifo((t.dir / "fifo.csv").c_str(), 0644) == 0);
  // Opening a FIFO for writing with nobody reading would block: O_NONBLOCK makes it fail
  // (ENXIO), and either way nothing is written to it.
  BOOST_CHECK_THROW(CsvWriter(t.dir / "fifo.csv", true), std::exception);
  // A hard link to another file (made where the kernel allows it) is refused too.
  fs::create_hard_link(victim, t.dir / "hard.csv");
  BOOST_CHECK_THROW(CsvWriter(t.dir / "hard.csv", true), InvalidArgument);
  BOOST_TEST(slurp(victim) == "precious\n");
  // A plain file is appended to.
  write_file_atomic(t.dir / "plain.csv", csv_header());
  {
    CsvWriter csv(t.dir / "plain.csv", true);
    csv.write({Row{}});
    csv.close();
  }
  BOOST_TEST(slurp(t.dir / "plain.csv").size() > csv_header().size());
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_no_temporary_file_and_the_old_target) {
  TempDir t("full");
  const auto target = t.dir / "summary.csv";
  write_file_atomic(target, "old\n");
  {
    FileSizeLimit limit(4096);  // the new content is 8 KiB: the write fails with EFBIG
    try {
      write_file_atomic(target, std::string(8192, 'x'));
      BOOST_FAIL("a write over the file-size limit succeeded");
    } catch (const std::runtime_error& e) {
      BOOST_TEST(std::string(e.what()).find(target.string()) != std::string::npos, e.what());
    }
  }
  BOOST_TEST(slurp(target) == "old\n");
  BOOST_TEST(temps(t.dir).empty());
  // A rename that fails (the target is a folder that is not empty): no temporary file either.
  fs::create_directories(t.dir / "busy" / "inside");
  BOOST_CHECK_THROW(write_file_atomic(t.dir / "busy", "x"), std::runtime_error);
  BOOST_TEST(temps(t.dir).empty());
  // A folder that does not exist: a message naming the target.
  try {
    write_file_atomic(t.dir / "missing" / "meta.json", "x");
    BOOST_FAIL("a write into a missing folder succeeded");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("missing/meta.json") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(a_failed_append_is_cut_back_to_the_last_whole_cell) {
  TempDir t("cut");
  const auto path = t.dir / "runs.csv";
  Row row;
  row.message = std::string(3000, 'm');  // one row of ~3 KB
  CsvWriter csv(path);
  csv.write({row});
  const auto before = fs::file_size(path);
  {
    // Room for part of the next cell only: write(2) writes a prefix, then fails.
    FileSizeLimit limit(before + 4000);
    BOOST_CHECK_THROW(csv.write({row, row}), std::runtime_error);
  }
  BOOST_TEST(fs::file_size(path) == before);  // no torn row left behind
  csv.write({row});                           // and the writer goes on after the space is back
  BOOST_TEST(fs::file_size(path) > before);
  csv.close();
}

BOOST_AUTO_TEST_CASE(readers_never_block_on_a_fifo) {
  TempDir t("fifo");
  const auto fifo = t.dir / "runs.csv";
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  // Without O_NONBLOCK this open would wait forever for a writer.
  try {
    read_text(fifo);
    BOOST_FAIL("read_text read a FIFO");
  } catch (const InvalidArgument& e) {
    BOOST_TEST(std::string(e.what()).find("not a regular file") != std::string::npos, e.what());
  }
  std::string why;
  BOOST_TEST(open_regular_file(fifo, false, why) == -1);
  BOOST_TEST(why == "not a regular file");
  BOOST_TEST(open_regular_file(t.dir / "none", false, why) == -1);
  BOOST_TEST(why.empty());  // absent: no reason
  std::ofstream(t.dir / "real") << "x";
  fs::create_symlink(t.dir / "real", t.dir / "link");
  BOOST_TEST(open_regular_file(t.dir / "link", false, why) == -1);
  BOOST_TEST(why.find("symbolic link") != std::string::npos);
  const int fd = open_regular_file(t.dir / "link", true, why);
  BOOST_TEST(fd >= 0);
  BOOST_TEST(read_all(fd, t.dir / "link", 10) == "x");
  ::close(fd);
}

BOOST_AUTO_TEST_CASE(the_folder_lock_refuses_a_planted_link) {
  TempDir t("lock");
  const auto victim = t.dir / "victim";
  std::ofstream(victim) << "precious\n";
  fs::create_symlink(victim, t.dir / FolderLock::kFileName);
  // Through the link the lock would truncate the victim to write its pid.
  BOOST_CHECK_THROW(FolderLock(t.dir, FolderLock::Mode::Exclusive), InvalidArgument);
  BOOST_CHECK_THROW(FolderLock(t.dir, FolderLock::Mode::Shared), InvalidArgument);
  BOOST_TEST(slurp(victim) == "precious\n");
  fs::remove(t.dir / FolderLock::kFileName);
  BOOST_REQUIRE(::mkfifo((t.dir / FolderLock::kFileName).c_str(), 0644) == 0);
  BOOST_CHECK_THROW(FolderLock(t.dir, FolderLock::Mode::Exclusive), InvalidArgument);
  fs::remove(t.dir / FolderLock::kFileName);
  fs::create_hard_link(victim, t.dir / FolderLock::kFileName);
  BOOST_CHECK_THROW(FolderLock(t.dir, FolderLock::Mode::Exclusive), InvalidArgument);
  BOOST_TEST(slurp(victim) == "precious\n");
  fs::remove(t.dir / FolderLock::kFileName);
  { FolderLock ok(t.dir, FolderLock::Mode::Exclusive); }  // a lock file of its own: fine
  BOOST_TEST(fs::is_regular_file(t.dir / FolderLock::kFileName));
}

// A writer killed before its destructor ran (here: a child that _exits with its AtomicFile open,
// as SIGKILL would) leaves NAME.tmp.RANDOM; remove_stale_temporaries removes exactly those of
// the given names (other names, other suffixes stay), removes a planted link as a link (its
// target intact), and with a minimum age keeps a young file.
BOOST_AUTO_TEST_CASE(temporaries_of_a_killed_writer_are_removed_and_nothing_else) {
  TempDir t("stale");
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    AtomicFile f(t.dir / "runs.csv");
    f.write("half a row");
    ::_exit(0);  // no destructor: the temporary file stays, as after kill -9
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_REQUIRE(temps(t.dir).size() == 1u);
  const auto victim = t.dir / "victim";
  std::ofstream(victim) << "precious\n";
  fs::create_symlink(victim, t.dir / "meta.json.tmp.0123456789abcdef");
  std::ofstream(t.dir / "runs.csv.tmp.short") << "x";              // not AtomicFile's suffix
  std::ofstream(t.dir / "notes.txt.tmp.0123456789abcdef") << "x";  // not a name asked for
  std::ofstream(t.dir / "runs.csv.tmp.0123456789ABCDEF") << "x";   // not [0-9a-z]
  BOOST_TEST(remove_stale_temporaries(t.dir, {"runs.csv", "meta.json"}) == 2u);
  BOOST_TEST((temps(t.dir) == std::set<std::string>{"notes.txt.tmp.0123456789abcdef",
                                                    "runs.csv.tmp.0123456789ABCDEF",
                                                    "runs.csv.tmp.short"}));
  BOOST_TEST(slurp(victim) == "precious\n");

  const auto young = t.dir / "k.json.tmp.abcdefghijklmnop";
  std::ofstream(young) << "{";
  BOOST_TEST(remove_stale_temporaries(t.dir, {"k.json"}, std::chrono::minutes(10)) == 0u);
  BOOST_TEST(fs::exists(young));
  fs::last_write_time(young, fs::file_time_type::clock::now() - std::chrono::minutes(20));
  BOOST_TEST(remove_stale_temporaries(t.dir, {"k.json"}, std::chrono::minutes(10)) == 1u);
  BOOST_TEST(!fs::exists(young));
}

BOOST_AUTO_TEST_SUITE_END()
