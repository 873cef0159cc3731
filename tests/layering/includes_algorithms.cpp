// Must not compile in the reference/ layer: the reference never sees the estimators.
#include "algorithms/power.hpp"
