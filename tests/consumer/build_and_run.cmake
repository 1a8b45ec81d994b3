# Builds and runs the consumer project against typenn, in one of two ways:
#   MODE=installed: cmake --install typenn's build tree into a fresh prefix, then find_package
#   MODE=subdirectory: add_subdirectory of typenn's source tree
set(work ${BINARY_DIR}/consumer-${MODE})
file(REMOVE_RECURSE ${work})
if(MODE STREQUAL "installed")
    execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${work}/prefix
                    COMMAND_ERROR_IS_FATAL ANY OUTPUT_QUIET)
    set(configure_args -DCMAKE_PREFIX_PATH=${work}/prefix)
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
