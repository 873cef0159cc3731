// Must not compile in the algorithms/ or reference/ layer (CMakeLists.txt, "the layers").
#include "harness/sweep/sweep.hpp"
