// SPDX-License-Identifier: BSL-1.0
#pragma once
// io_error: a file typenn was asked to read or write is unusable. Its message starts with
// "typenn: ", then names the file, the tensor concerned (if any) and what was expected versus
// what was found, so that a bad checkpoint can be fixed without a debugger.
#include <stdexcept>

namespace typenn {

struct io_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace typenn
