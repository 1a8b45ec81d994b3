# SPDX-License-Identifier: BSL-1.0
# tools/typenn_bake on files it must refuse, with the message it must give, and on a float64
# file, whose header must declare BakedWeights<double> (the float32 path is baked_tests).
#   cmake -DBAKE=<typenn_bake> -DFIXTURES=<tests/fixtures> -DWORK=<scratch dir> -P bake_tool_check.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(expect_refusal input name_space wanted)
    execute_process(COMMAND ${BAKE} ${input} ${WORK}/refused.hpp ${name_space}
                    RESULT_VARIABLE status ERROR_VARIABLE message)
    if(status EQUAL 0)
        message(FATAL_ERROR "typenn_bake accepted ${input} (namespace ${name_space})")
    endif()
    string(FIND "${message}" "${wanted}" at)
    if(at EQUAL -1 OR NOT message MATCHES "^typenn: ")
        message(FATAL_ERROR "typenn_bake ${input}: expected a message starting 'typenn: ' and "
                            "containing '${wanted}', got: ${message}")
    endif()
    if(EXISTS ${WORK}/refused.hpp)
        message(FATAL_ERROR "typenn_bake wrote a header for ${input}, which it refused")
    endif()
endfunction()

expect_refusal(${FIXTURES}/io/truncated.safetensors weights "is the file truncated?")
expect_refusal(${FIXTURES}/training/losses.safetensors weights
               "integer tensors are baked only as 0-dim buffers")
expect_refusal(${FIXTURES}/numerics/batchnorm.safetensors weights
               "expected every floating-point tensor to be F")
expect_refusal(${FIXTURES}/io/pytorch_net.safetensors 1weights "is not a C++ namespace name")
expect_refusal(${FIXTURES}/io/pytorch_net.safetensors "a::" "is not a C++ namespace name")

execute_process(COMMAND ${BAKE} ${FIXTURES}/training/optim_initial_f64.safetensors
                        ${WORK}/f64.hpp game::ai::weights
                COMMAND_ERROR_IS_FATAL ANY)
file(READ ${WORK}/f64.hpp header)
foreach(wanted "namespace game::ai::weights {" "inline constexpr double values[] = {"
               "inline constexpr std::int64_t integers[] = {"
               "inline constexpr typenn::BakedWeights<double> weights{tensors, values, integers};")
    string(FIND "${header}" "${wanted}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "the header baked from a float64 file lacks '${wanted}':\n${header}")
    endif()
endforeach()
