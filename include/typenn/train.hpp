// SPDX-License-Identifier: BSL-1.0
#pragma once
// Training toolkit, with PyTorch 1.13's semantics: losses, optimizers, learning-rate
// schedules, weight initialisers and gradient clipping.
#include "typenn/clip.hpp"
#include "typenn/init/gain.hpp"
#include "typenn/init/kaiming.hpp"
#include "typenn/init/xavier.hpp"
#include "typenn/loss/bce_with_logits.hpp"
#include "typenn/loss/cross_entropy.hpp"
#include "typenn/loss/mse.hpp"
#include "typenn/optim/adam.hpp"
#include "typenn/optim/adamw.hpp"
#include "typenn/optim/sgd.hpp"
#include "typenn/sched/cosine_annealing_lr.hpp"
#include "typenn/sched/exponential_lr.hpp"
#include "typenn/sched/linear_lr.hpp"
#include "typenn/sched/multi_step_lr.hpp"
#include "typenn/sched/reduce_lr_on_plateau.hpp"
#include "typenn/sched/sequential_lr.hpp"
#include "typenn/sched/step_lr.hpp"
