# SPDX-License-Identifier: BSL-1.0
# typenn_bake_weights(<target> SAFETENSORS <file> NAMESPACE <name> [HEADER <file name>])
#
# Bakes a safetensors file into <target>: a build step runs typenn_bake (tools/typenn_bake.cpp,
# built for the host on first use) to generate the header HEADER (default: <name>.hpp, with
# :: as _) in the current binary directory, which <target> can include. The header defines
# <name>::weights, from which the compiler builds the model (typenn/baked.hpp):
#   constinit const typenn::Model<Net> model{<name>::weights};
# The header is regenerated whenever the safetensors file changes.
function(typenn_bake_weights target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "SAFETENSORS;NAMESPACE;HEADER" "")
    if(NOT arg_SAFETENSORS OR NOT arg_NAMESPACE OR arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "typenn: usage: typenn_bake_weights(<target> SAFETENSORS <file> "
                            "NAMESPACE <name> [HEADER <file name>])")
    endif()
    if(NOT arg_HEADER)
        string(REPLACE "::" "_" arg_HEADER "${arg_NAMESPACE}.hpp")
    endif()
    get_filename_component(input "${arg_SAFETENSORS}" ABSOLUTE)

    if(NOT TARGET typenn_bake)
        # Next to this file once installed; in tools/ of a source tree.
        set(source "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/typenn_bake.cpp")
        if(NOT EXISTS "${source}")
            set(source "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../tools/typenn_bake.cpp")
        endif()
        add_executable(typenn_bake EXCLUDE_FROM_ALL "${source}")
        target_link_libraries(typenn_bake PRIVATE typenn::typenn)
    endif()

    set(output "${CMAKE_CURRENT_BINARY_DIR}/${arg_HEADER}")
    add_custom_command(OUTPUT "${output}"
        COMMAND typenn_bake "${input}" "${output}" "${arg_NAMESPACE}"
        DEPENDS "${input}" typenn_bake
        COMMENT "Baking ${arg_SAFETENSORS} into ${arg_HEADER}"
        VERBATIM)
    target_sources(${target} PRIVATE "${output}")
    target_include_directories(${target} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}")
endfunction()
