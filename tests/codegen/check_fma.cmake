# SPDX-License-Identifier: BSL-1.0
# cmake -DOBJDUMP=... -DOBJECT=kernel_instances.o -P check_fma.cmake
# Reads the disassembly of the kernel instances: no function of codegen:: or of the kernels
# they leave out of line may contain a 256- or 512-bit packed multiply (vmulps, vmulpd on a
# ymm or zmm register) that is not fused with its add, and they must contain packed FMAs
# (xsimd 8.1's fma() does not promise that by itself: without FMA in the target it
# multiplies, then adds). Exempt are 128-bit multiplies and the column tails of broadcast
# products (broadcast_scalar_columns, N % lanes columns), which GCC 12 vectorises across
# columns and rows (4 or 8 wide) without contracting them: writing those tails with std::fma
# instead stops the vectorisation and made the seed training step 1.8× slower.
execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn -C ${OBJECT}
                OUTPUT_VARIABLE disassembly RESULT_VARIABLE failed)
if(failed)
    message(FATAL_ERROR "objdump failed on ${OBJECT}")
endif()
if(disassembly MATCHES "typenn_codegen_machine_without_fma")
    message(STATUS "skipped: this machine has no FMA instructions")
    return()
endif()
string(REGEX REPLACE "\n([0-9a-f]+ <)" "\n@@\\1" marked "${disassembly}")
string(REPLACE ";" "," marked "${marked}")
string(REPLACE "\n@@" ";" functions "${marked}")
set(checked 0)
set(all_fused 0)
foreach(function IN LISTS functions)
    if(NOT function MATCHES "^[0-9a-f]+ <([^\n]*(codegen::|kernels::simd::)[^\n]*)>:")
        continue()
    endif()
    set(name "${CMAKE_MATCH_1}")
    string(REGEX MATCHALL "vfn?m(add|sub)[0-9]+p[sd]" fused "${function}")
    string(REGEX MATCHALL "vmulp[sd][^\n]*%[yz]mm" separate "${function}")
    list(LENGTH fused fused_count)
    list(LENGTH separate separate_count)
    message(STATUS "${name}: ${fused_count} packed FMA, ${separate_count} packed multiplies")
    if(name MATCHES "broadcast_scalar_columns<")
        set(separate_count 0)
    endif()
    if(NOT separate_count EQUAL 0)
        message(FATAL_ERROR "${name} multiplies without fusing the add")
    endif()
    math(EXPR checked "${checked} + 1")
    math(EXPR all_fused "${all_fused} + ${fused_count}")
endforeach()
if(checked EQUAL 0 OR all_fused EQUAL 0)
    message(FATAL_ERROR "no kernel function with FMA instructions in ${OBJECT}")
endif()
message(STATUS "${checked} kernel functions, ${all_fused} packed FMAs, no unfused multiply")
