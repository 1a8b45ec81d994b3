# SPDX-License-Identifier: BSL-1.0
# Builds and runs the consumer project against typenn, in one of three ways:
#   MODE=installed: cmake --install typenn's build tree into a fresh prefix, then find_package
#   MODE=lean: typenn configured afresh as a packager would, without its tests, examples and
#     benchmarks and with Catch2 and Google Benchmark hidden from CMake, installed into a
#     fresh prefix, then find_package with those two still hidden: neither typenn's build nor
#     its package may need more than the library's own dependencies
#   MODE=subdirectory: add_subdirectory of typenn's source tree
set(work ${BINARY_DIR}/consumer-${MODE})
file(REMOVE_RECURSE ${work})
if(MODE STREQUAL "installed")
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${work}/prefix
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    set(configure_args -DCMAKE_PREFIX_PATH=${work}/prefix)
elseif(MODE STREQUAL "lean")
    set(hidden -DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON)
    execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${work}/typenn
                            -DTYPENN_BUILD_TESTS=OFF -DTYPENN_BUILD_EXAMPLES=OFF
                            -DTYPENN_BUILD_BENCHMARKS=OFF ${hidden}
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    foreach(directory tests examples benchmarks)
        if(EXISTS ${work}/typenn/${directory})
            message(FATAL_ERROR "typenn added ${directory}/ although TYPENN_BUILD_* are OFF")
        endif()
    endforeach()
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${work}/typenn --prefix ${work}/prefix
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    set(configure_args -DCMAKE_PREFIX_PATH=${work}/prefix ${hidden})
else()
    set(configure_args -DTYPENN_SOURCE_DIR=${SOURCE_DIR})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${work}/build
                        -DCMAKE_BUILD_TYPE=Release ${configure_args}
                        -DTYPENN_WEIGHTS=${SOURCE_DIR}/tests/fixtures/io/pytorch_net.safetensors
                        -DTYPENN_DIGITS_CSV_GZ=${SOURCE_DIR}/examples/data/digits.csv.gz
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${work}/build COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${work}/build/consumer COMMAND_ERROR_IS_FATAL ANY)
