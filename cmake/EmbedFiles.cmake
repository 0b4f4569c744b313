# civicdesk_embed_files(TARGET <target> NAMESPACE <ns> BASE_DIR <dir> FILES <relative paths...>)
# Compiles the listed files into <target> so that the binary needs no files beside it.
# The generated source defines, in namespace civicdesk::<ns>:
#   std::optional<std::string_view> FindEmbeddedFile(std::string_view relative_path);
#   const std::vector<std::string_view>& EmbeddedFilePaths();
function(civicdesk_embed_files)
  cmake_parse_arguments(EMBED "" "TARGET;NAMESPACE;BASE_DIR" "FILES" ${ARGN})
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${EMBED_NAMESPACE}_embedded_files.cc")
  set(absolute_files "")
  foreach(relative_path IN LISTS EMBED_FILES)
    list(APPEND absolute_files "${EMBED_BASE_DIR}/${relative_path}")
  endforeach()
  string(REPLACE ";" "|" files_argument "${EMBED_FILES}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${output}" "-DNAMESPACE=${EMBED_NAMESPACE}"
            "-DBASE_DIR=${EMBED_BASE_DIR}" "-DFILES=${files_argument}"
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    DEPENDS ${absolute_files} "${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    COMMENT "Embedding ${EMBED_NAMESPACE} files"
    VERBATIM)
  target_sources(${EMBED_TARGET} PRIVATE "${output}")
endfunction()
