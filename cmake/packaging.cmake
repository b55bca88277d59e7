# SPDX-License-Identifier: Apache-2.0
# `cpack -G DEB` (from the build directory): a Debian 12 package that installs
# under /usr, with rolecert.so in libcrypto's modules directory
# (ROLECERT_MODULES_INSTALL_DIR, absolute on Debian), the man pages gzip'ed
# and the bash completion in place. Depends are computed by dpkg-shlibdeps
# (dpkg-dev) when it is there, else listed by hand for Debian 12.

# Debian wants the licence as /usr/share/doc/PACKAGE/copyright.
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME copyright)

set(CPACK_PACKAGE_NAME rolecert)
set(CPACK_PACKAGE_VENDOR "rolecert")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "rolecert maintainers <rolecert@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")

set(CPACK_DEBIAN_PACKAGE_NAME rolecert)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # rolecert_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The long description (CPack puts the summary line before it and indents it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "rolecert turns a server role profile (Edge Transport, Client Access or a
custom list of names) into openssl.cnf sections for openssl req, after
checking every name against one name policy. Its OpenSSL 3 provider,
rolecert.so, applies the same policy when a request or certificate is
signed (openssl req, x509 -req, ca).")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The printed `openssl req` commands and the provider's use need the openssl
# command itself, which a minimal Debian 12 lacks.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "openssl (>= 3.0)")
find_program(ROLECERT_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(ROLECERT_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  # What `objdump -p` shows rolecert and rolecert.so need on Debian 12.
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS
         ", libc6 (>= 2.34), libssl3 (>= 3.0.0), libidn2-0 (>= 2.0.0), libinih1 (>= 55), libpsl5 (>= 0.21)")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")

include(CPack)
