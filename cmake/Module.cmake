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
