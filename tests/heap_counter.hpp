// SPDX-License-Identifier: BSL-1.0
#pragma once
// Counts every global allocation of a test program, for tests that show that a path
// allocates nothing. Include it in exactly one source file of the program: it replaces the
// global operator new and delete in all their forms (single and array, throwing and nothrow,
// aligned or not), so that every allocation is counted, and every pointer is freed by the
// same allocator that made it: under AddressSanitizer, a form left to the sanitizer would
// allocate in its own way and meet these deletes as a mismatch.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace heap_counter {
// Atomic: test frameworks and threads allocate concurrently with the code under test.
inline std::atomic<std::size_t> allocations{0};

inline void* allocate(std::size_t size) noexcept {
    ++allocations;
    return std::malloc(size ? size : 1);
}
inline void* allocate(std::size_t size, std::align_val_t align) noexcept {
    ++allocations;
    const std::size_t alignment = std::size_t(align);
    return std::aligned_alloc(alignment, (size + alignment - 1) & ~(alignment - 1));
}
inline void* or_throw(void* p) {
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
}  // namespace heap_counter

void* operator new(std::size_t size) { return heap_counter::or_throw(heap_counter::allocate(size)); }
void* operator new[](std::size_t size) { return heap_counter::or_throw(heap_counter::allocate(size)); }
void* operator new(std::size_t size, std::align_val_t align) {
    return heap_counter::or_throw(heap_counter::allocate(size, align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
    return heap_counter::or_throw(heap_counter::allocate(size, align));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return heap_counter::allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return heap_counter::allocate(size);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return heap_counter::allocate(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return heap_counter::allocate(size, align);
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
