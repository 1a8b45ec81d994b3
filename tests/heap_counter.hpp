#pragma once
// Counts every global allocation of a test program, for tests that show that a path
// allocates nothing. Include it in exactly one source file of the program: it replaces the
// global operator new and delete.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace heap_counter {
// Atomic: test frameworks and threads allocate concurrently with the code under test.
inline std::atomic<std::size_t> allocations{0};
}  // namespace heap_counter

void* operator new(std::size_t size) {
    ++heap_counter::allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t align) {
    ++heap_counter::allocations;
    const std::size_t alignment = std::size_t(align);
    if (void* p = std::aligned_alloc(alignment, (size + alignment - 1) & ~(alignment - 1)))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
