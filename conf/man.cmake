# Man pages (scdoc sources in conf/*.scd) and bash completion for nsjailctl.
# Included by the top-level CMakeLists.txt.

option(NSJAIL_MAN "Build and install the man pages (needs scdoc)" ON)

if(NSJAIL_MAN)
  find_program(SCDOC_EXECUTABLE scdoc)
  if(NOT SCDOC_EXECUTABLE)
    message(FATAL_ERROR
      "scdoc not found: it builds the man pages pam_nsjail(8), nsjail.conf(5), "
      "nsjailctl(8) and nsjail-helper(8). Install it (Debian/Ubuntu: apt-get install scdoc; "
      "RHEL: dnf install scdoc) or configure with -DNSJAIL_MAN=OFF.")
  endif()

  set(NSJAIL_MAN_OUTPUTS "")
  foreach(page pam_nsjail.8 nsjail.conf.5 nsjailctl.8 nsjail-helper.8)
    string(REGEX MATCH "[0-9]$" section "${page}")
    set(src ${CMAKE_CURRENT_LIST_DIR}/${page}.scd)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/man/${page})
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
      COMMAND sh -c "\"$0\" < \"$1\" > \"$2\".tmp && mv \"$2\".tmp \"$2\""
              ${SCDOC_EXECUTABLE} ${src} ${out}
      DEPENDS ${src}
      COMMENT "Building man page ${page}"
      VERBATIM)
    list(APPEND NSJAIL_MAN_OUTPUTS ${out})
    install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  endforeach()
  add_custom_target(man ALL DEPENDS ${NSJAIL_MAN_OUTPUTS})
endif()

install(FILES ${CMAKE_CURRENT_LIST_DIR}/bash-completion/nsjailctl
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
