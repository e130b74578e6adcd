# Helpers shared by every layer's CMakeLists.txt (style.md B3).

# Common compile flags for Tailor's own targets.
function(tailor_target_flags target)
  # Designated initializers that leave defaulted members out are idiomatic C++20; GCC 12 still
  # warns about them under -Wextra.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(TAILOR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TAILOR_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${TAILOR_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${TAILOR_SANITIZE})
  endif()
endfunction()

# tailor_add_library(<layer> SOURCES ... DEPS ...)
# Builds the static library tailor_<layer> with the alias tailor::<layer>.
function(tailor_add_library layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(target tailor_${layer})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(tailor::${layer} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
  tailor_target_flags(${target})
endfunction()

# tailor_add_tests(<layer> [DEPS ...])
# Globs every *_test.cc under the current folder into one test binary tailor_<layer>_tests that
# links only that layer (and what it already links), so an upward #include fails to link.
function(tailor_add_tests layer)
  if(NOT TAILOR_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  if(NOT test_sources)
    return()
  endif()
  set(target tailor_${layer}_tests)
  add_executable(${target} ${test_sources})
  target_link_libraries(${target} PRIVATE tailor::${layer} ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE TAILOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  tailor_target_flags(${target})
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${layer})
endfunction()
