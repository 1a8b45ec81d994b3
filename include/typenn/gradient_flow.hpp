#pragma once
// Run-time gradient-flow diagnostics: per-parameter and per-layer norms, the GradientMonitor
// that checks and records them, and its SVG plot. (Compile-time shape diagnostics are in
// typenn/diagnostics.hpp.)
#include "typenn/diagnostics/grad_flow.hpp"
#include "typenn/diagnostics/monitor.hpp"
#include "typenn/diagnostics/svg_plot.hpp"
