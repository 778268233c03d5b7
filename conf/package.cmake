# The Debian package, built by `cpack -G DEB` in a build directory configured
# for the system's layout:
#
#   cmake -S . -B build-deb -DCMAKE_INSTALL_PREFIX=/usr \
#         -DCMAKE_INSTALL_SYSCONFDIR=/etc -DBUILD_TESTING=OFF
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#
# (The prefix is compiled into the module as the helper's path, so it cannot
# be changed at packaging time; cpack refuses a build configured otherwise.)
# Included by the top-level CMakeLists.txt.

# The pam-auth-update(8) profile: "Default: no", lowest priority so the
# module comes last among the session modules of the common stacks.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/pam-configs/nsjail
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pam-configs)

# Where conf/nsjail.conf really lands (a relative sysconfdir is under the
# prefix: /usr/etc for prefix /usr).
if(IS_ABSOLUTE "${CMAKE_INSTALL_SYSCONFDIR}")
  set(NSJAIL_INSTALLED_CONFIG "${CMAKE_INSTALL_SYSCONFDIR}/nsjail.conf")
else()
  set(NSJAIL_INSTALLED_CONFIG
      "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SYSCONFDIR}/nsjail.conf")
endif()

set(NSJAIL_DEB_DIR ${CMAKE_CURRENT_BINARY_DIR}/debian)
file(MAKE_DIRECTORY ${NSJAIL_DEB_DIR})
file(WRITE ${NSJAIL_DEB_DIR}/conffiles "${NSJAIL_INSTALLED_CONFIG}\n")
# CPack copies control files as they are: give the scripts their mode here.
file(COPY ${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
     DESTINATION ${NSJAIL_DEB_DIR}
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                      GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/CPackNsjailProject.cmake "
if(CPACK_GENERATOR STREQUAL \"DEB\")
  if(NOT \"${CMAKE_INSTALL_PREFIX}\" STREQUAL \"/usr\" OR
     NOT \"${NSJAIL_INSTALLED_CONFIG}\" STREQUAL \"/etc/nsjail.conf\")
    message(FATAL_ERROR \"pam-nsjail: a Debian package needs a build configured \"
      \"with -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_SYSCONFDIR=/etc \"
      \"(this one: prefix ${CMAKE_INSTALL_PREFIX}, config ${NSJAIL_INSTALLED_CONFIG})\")
  endif()
endif()
")
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_BINARY_DIR}/CPackNsjailProject.cmake)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pam-nsjail)
set(CPACK_PACKAGE_VENDOR "pam_nsjail authors")
set(CPACK_PACKAGE_CONTACT "pam_nsjail authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "PAM session module placing logins in private mount namespaces by policy")
set(CPACK_PACKAGE_DESCRIPTION
"pam_nsjail places the sessions of the users a policy in /etc/nsjail.conf
names into a private mount namespace: hidden, read-only and read-write paths,
tmpfs and bind mounts, a private /tmp, or a whole root directory entered with
pivot_root. nsjailctl checks, explains, tries and safely edits the policy.
The shipped policy names no jail, and the pam-auth-update profile is off
until enabled with pam-auth-update --enable nsjail.")
# Absolute install destinations (the PAM module directory, /etc) must land
# in the package's tree, not on the build host.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "pam_nsjail authors")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# pam-auth-update comes with libpam-runtime.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpam-runtime (>= 1.0.1-6)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${NSJAIL_DEB_DIR}/conffiles ${NSJAIL_DEB_DIR}/postinst ${NSJAIL_DEB_DIR}/prerm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
