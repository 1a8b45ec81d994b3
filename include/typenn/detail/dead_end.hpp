// SPDX-License-Identifier: BSL-1.0
#pragma once
// After a failed shape check has printed its diagnostic, models, tapes and calls resolve to
// this type, which converts to anything, so that the compiler prints nothing after the
// typenn: message that explains the mistake.
namespace typenn::detail {

struct DeadEnd {
    DeadEnd() = default;
    template <class... Anything>
    DeadEnd(Anything&&...) {}
    template <class Anything>
    operator Anything() const;

    template <class Self, class... Anything>
    static constexpr void visit(Self&, Anything&&...) {}
};

}  // namespace typenn::detail
