# SPDX-License-Identifier: BSL-1.0
# Runs PROGRAM on WEIGHTS, a file load() refuses, and passes only if the program ends
# abnormally with load's message on stderr: without exceptions a refusal cannot return.
execute_process(COMMAND ${PROGRAM} ${WEIGHTS} RESULT_VARIABLE status ERROR_VARIABLE err
                OUTPUT_VARIABLE out)
if(status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} accepted ${WEIGHTS}:\n${out}")
endif()
if(NOT err MATCHES "typenn: [^\n]*truncated")
    message(FATAL_ERROR "expected load's message on stderr, found (status ${status}):\n${err}")
endif()
message(STATUS "refused with status '${status}': ${err}")
