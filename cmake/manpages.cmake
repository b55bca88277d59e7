# SPDX-License-Identifier: Apache-2.0
# The man pages: docs/man/*.scd (scdoc sources, with @VARIABLES@ filled in by
# configure_file) -> roff -> gzip -9n, installed under CMAKE_INSTALL_MANDIR.
#   rolecert.1.scd           rolecert(1): every command and option
#   rolecert-profile.5.scd   rolecert-profile(5): the profile format
#   rolecert-provider.7.scd  rolecert-provider(7): the provider
option(ROLECERT_MANPAGES "Build and install the man pages (needs scdoc)" ON)

if(ROLECERT_MANPAGES)
  find_program(ROLECERT_SCDOC scdoc)
  find_program(ROLECERT_GZIP gzip)
  if(NOT ROLECERT_SCDOC)
    message(FATAL_ERROR "scdoc not found: apt-get install scdoc, or configure with "
                        "-DROLECERT_MANPAGES=OFF to build without man pages")
  endif()
  if(NOT ROLECERT_GZIP)
    message(FATAL_ERROR "gzip not found (needed to compress the man pages)")
  endif()

  set(ROLECERT_MAN_SOURCES rolecert.1 rolecert-profile.5 rolecert-provider.7)
  set(ROLECERT_MAN_BUILD_DIR ${CMAKE_BINARY_DIR}/man)
  set(ROLECERT_MAN_OUTPUTS)
  foreach(page IN LISTS ROLECERT_MAN_SOURCES)
    string(REGEX REPLACE "^.*\\.([0-9])$" "\\1" section "${page}")
    set(source ${CMAKE_CURRENT_SOURCE_DIR}/docs/man/${page}.scd)
    set(configured ${ROLECERT_MAN_BUILD_DIR}/${page}.scd)
    set(roff ${ROLECERT_MAN_BUILD_DIR}/${page})
    # @PROJECT_VERSION@, @ROLECERT_DEFAULT_MODULE@, @ROLECERT_MODULES_INSTALL_DIR@
    configure_file(${source} ${configured} @ONLY)
    add_custom_command(
      OUTPUT ${roff} ${roff}.gz
      COMMAND ${CMAKE_COMMAND} -DSCDOC=${ROLECERT_SCDOC} -DGZIP=${ROLECERT_GZIP}
              -DINPUT=${configured} -DOUTPUT=${roff}
              -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/render_manpage.cmake
      DEPENDS ${configured} ${source} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/render_manpage.cmake
      COMMENT "Building man page ${page}"
      VERBATIM)
    list(APPEND ROLECERT_MAN_OUTPUTS ${roff} ${roff}.gz)
    install(FILES ${roff}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  endforeach()
  add_custom_target(manpages ALL DEPENDS ${ROLECERT_MAN_OUTPUTS})
endif()

# Bash completion: where bash-completion looks for it (relative to the prefix).
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/completion/rolecert
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
