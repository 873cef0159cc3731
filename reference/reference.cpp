#include "reference/reference.hpp"
namespace specbench {
Reference compute_reference(const double*, std::int64_t, std::int64_t) { return {}; }
}
