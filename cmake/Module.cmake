# cstore_module(NAME SOURCES... DEPENDS ...) declares one static library
# whose public headers live in <module>/include/cstore/<module>/.
function(cstore_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(cstore_${name} STATIC ${M_SOURCES})
  target_include_directories(cstore_${name}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(cstore_${name} PUBLIC ${M_DEPENDS})
  add_library(cstore::${name} ALIAS cstore_${name})
endfunction()

# Extensions (util/include/cstore/util/extension.hh): code that needs a heavy
# library, built as build/lib/cstore/cstore-<name>.so and loaded on first use.
# It is compiled against the modules' headers but links none of their static
# libraries: their symbols come from the executable that loads it, which is
# why every executable exports its symbols.
set(CMAKE_ENABLE_EXPORTS ON)
set(CSTORE_EXTENSION_DIR ${CMAKE_BINARY_DIR}/lib/cstore)
add_custom_target(cstore_extensions)

# cstore_extension(NAME SOURCES... MODULES util store ... DEPENDS third-party-targets...)
function(cstore_extension name)
  cmake_parse_arguments(E "" "" "SOURCES;MODULES;DEPENDS" ${ARGN})
  set(target cstore_extension_${name})
  add_library(${target} MODULE ${E_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME cstore-${name} SUFFIX .so
    LIBRARY_OUTPUT_DIRECTORY ${CSTORE_EXTENSION_DIR})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  foreach(module ${E_MODULES})
    target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/${module}/include)
  endforeach()
  target_link_libraries(${target} PRIVATE ${E_DEPENDS})
  add_dependencies(cstore_extensions ${target})
  # Where extension.cc looks: <bin>/../lib/cstore.
  install(TARGETS ${target} LIBRARY DESTINATION lib/cstore)
endfunction()
