// SPDX-License-Identifier: BSL-1.0
#pragma once
// Run-time gradient-flow diagnostics (gradient_flow/): per-parameter and per-layer norms, the
// GradientMonitor that checks and records them, and its SVG plot. (Compile-time errors are in
// diagnostic/.)
#include "typenn/gradient_flow/monitor.hpp"
#include "typenn/gradient_flow/norms.hpp"
#include "typenn/gradient_flow/svg_plot.hpp"
