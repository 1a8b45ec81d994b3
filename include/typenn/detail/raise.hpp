// SPDX-License-Identifier: BSL-1.0
#pragma once
// TYPENN_RAISE error: how every typenn header refuses a call. With exceptions it is `throw`;
// in a program built without them (-fno-exceptions), where a throw expression does not
// compile, it writes the error's message to stderr and aborts, so that the headers compile
// either way and a refused call never returns. It takes the place of `throw` as written,
// operand and all: `TYPENN_RAISE std::invalid_argument("typenn: ...");`.
// TYPENN_HAS_EXCEPTIONS says which of the two a translation unit gets.
#include <cstdio>
#include <cstdlib>
#include <exception>

#if defined(__cpp_exceptions) || defined(_CPPUNWIND)
#define TYPENN_HAS_EXCEPTIONS 1
#else
#define TYPENN_HAS_EXCEPTIONS 0
#endif

#if TYPENN_HAS_EXCEPTIONS
#define TYPENN_RAISE throw
#else
#define TYPENN_RAISE ::typenn::detail::AbortWith{} =

namespace typenn::detail {
// An assignment, so that its operand binds as throw's does (a conditional expression, or a
// string concatenation over several lines, is taken whole).
struct AbortWith {
    [[noreturn]] void operator=(const std::exception& error) const noexcept {
        std::fputs(error.what(), stderr);
        std::fputc('\n', stderr);
        std::abort();
    }
};
}  // namespace typenn::detail
#endif
