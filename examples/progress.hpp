// SPDX-License-Identifier: BSL-1.0
#pragma once
// One line per epoch: on a terminal, a bar that fills as batches finish and is then replaced
// by the epoch's summary; elsewhere (a log, a pipe), just the summary.
#include <cstdio>
#include <string>

#include <unistd.h>

class EpochProgress {
public:
    EpochProgress(int epoch, int epochs, std::size_t batches)
        : epoch_(epoch), epochs_(epochs), batches_(batches), terminal_(isatty(STDOUT_FILENO)) {}

    void batch_done() {
        if (!terminal_) return;
        ++done_;
        const std::size_t width = 30, filled = width * done_ / batches_;
        std::printf("\repoch %*d/%d [%s%s] %zu/%zu", digits(), epoch_, epochs_,
                    std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                    done_, batches_);
        std::fflush(stdout);
    }

    void finish(const std::string& summary) const {
        std::printf("%sepoch %*d/%d  %s\n", terminal_ ? "\r\033[K" : "", digits(), epoch_,
                    epochs_, summary.c_str());
        std::fflush(stdout);
    }

private:
    int digits() const { return int(std::to_string(epochs_).size()); }

    int epoch_, epochs_;
    std::size_t batches_, done_ = 0;
    bool terminal_;
};
